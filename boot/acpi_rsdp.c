/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include <stdbool.h>
#include "boot/acpi_rsdp.h"

static bool guid_equal(const EFI_GUID *a, const EFI_GUID *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	for (unsigned i = 0; i < sizeof(EFI_GUID); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

uint64_t efi_acpi_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	uint64_t v1 = 0;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (guid_equal(&t->VendorGuid, &acpi20))
			return (uint64_t)t->VendorTable;
		if (guid_equal(&t->VendorGuid, &acpi10))
			v1 = (uint64_t)t->VendorTable;
	}
	return v1;
}
