/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include <stdbool.h>
#include "boot/memmap.h"

bool memmap_summarize(struct memmap_summary *out)
{
	UINTN entries = 0, key = 0, desc_size = 0;
	UINT32 desc_version = 0;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &desc_size, &desc_version);

	*out = (struct memmap_summary){ 0 };
	if (!map)
		return false;
	out->regions = entries;
	for (UINTN i = 0; i < entries; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)((char *)map + i * desc_size);
		UINT64 bytes = d->NumberOfPages * EFI_PAGE_SIZE, end = d->PhysicalStart + bytes;
		switch (d->Type) {
		case EfiConventionalMemory:
		case EfiBootServicesCode:
		case EfiBootServicesData:
		case EfiLoaderCode:
		case EfiLoaderData:
			out->usable_bytes += bytes;
			break;
		case EfiRuntimeServicesCode:
		case EfiRuntimeServicesData:
			out->runtime_bytes += bytes;
			break;
		case EfiMemoryMappedIO:
		case EfiMemoryMappedIOPortSpace:
			out->mmio_regions++;
			break;
		default:
			out->reserved_bytes += bytes;
			break;
		}
		if (end > out->top)
			out->top = end;
	}
	FreePool(map);
	return true;
}
