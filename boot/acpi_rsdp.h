/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the firmware's ACPI tables start: UEFI hands the RSDP's address out in
 * its configuration table (UEFI spec 2.9 §4.6, ACPI 6.4 §5.2.5.2). */
#ifndef BOOT_ACPI_RSDP_H
#define BOOT_ACPI_RSDP_H

#include <stdint.h>

/* The physical address of the ACPI 2.0+ RSDP, else the ACPI 1.0 one; 0 when the
 * firmware offers neither. */
uint64_t efi_acpi_rsdp(void);

#endif
