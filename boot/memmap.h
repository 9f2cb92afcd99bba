/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BOOT_MEMMAP_H
#define BOOT_MEMMAP_H

#include <efi.h>
#include <stdbool.h>

struct memmap_summary {
	UINTN regions;
	UINT64 usable_bytes;   /* conventional + boot services + loader (free after boot) */
	UINT64 runtime_bytes;  /* runtime services code and data */
	UINT64 reserved_bytes; /* reserved, ACPI, NVS, unusable, persistent */
	UINT64 mmio_regions;
	UINT64 top;            /* end of the highest region of any type */
};

/* Reads the firmware's memory map; false when it cannot be read. */
bool memmap_summarize(struct memmap_summary *out);

#endif
