/* SPDX-License-Identifier: GPL-2.0-only */
/* Finding ACPI tables from the RSDP (ACPI 6.4 §5.2.5-5.2.8), and hiding one
 * from the guest. The host identity-maps physical memory, so table addresses
 * are usable as pointers. */
#ifndef HV_ACPI_H
#define HV_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/* The System Description Table Header every table starts with (§5.2.6). */
struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

/* The first table with this signature that the XSDT (else the RSDT) lists and
 * whose checksum is right; NULL if none or rsdp is 0. */
const struct acpi_header *acpi_find_table(uint64_t rsdp, const char *signature);

/* Gives the table another signature and mends its checksum, so that an OS that
 * looks for the old signature finds nothing, while the table stays where it is
 * and every pointer to it, and every other table's checksum, stays valid. */
void acpi_rename_table(const struct acpi_header *t, const char *new_signature);

#endif
