/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/acpi.h"
#include "hv/string.h"

/* Root System Description Pointer (ACPI 6.4 §5.2.5.3). */
struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* of the first 20 bytes (the ACPI 1.0 structure) */
	char oem_id[6];
	uint8_t revision;  /* 0: ACPI 1.0, RSDT only; 2: XSDT present */
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

/* Every table's bytes, checksum included, sum to 0 mod 256 (§5.2.6). */
static uint8_t sum(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	for (uint32_t i = 0; i < len; i++)
		s += b[i];
	return s;
}

static bool valid(const struct acpi_header *t)
{
	return t && t->length >= sizeof(*t) && sum(t, t->length) == 0;
}

/* Entries are 8 bytes in the XSDT (§5.2.8), 4 in the RSDT (§5.2.7); XSDT
 * entries are not always 8-aligned, hence the copy. */
static const struct acpi_header *search(const struct acpi_header *sdt, unsigned entry_size,
					const char *signature)
{
	if (!valid(sdt))
		return NULL;
	const uint8_t *entries = (const uint8_t *)(sdt + 1);
	uint32_t n = (sdt->length - sizeof(*sdt)) / entry_size;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t addr = 0;
		memcpy(&addr, entries + i * entry_size, entry_size);
		const struct acpi_header *t = (const struct acpi_header *)addr;
		if (t && memcmp(t->signature, signature, 4) == 0 && valid(t))
			return t;
	}
	return NULL;
}

const struct acpi_header *acpi_find_table(uint64_t rsdp_addr, const char *signature)
{
	const struct acpi_rsdp *rsdp = (const struct acpi_rsdp *)rsdp_addr;
	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || sum(rsdp, 20) != 0)
		return NULL;
	const struct acpi_header *t = NULL;
	if (rsdp->revision >= 2 && rsdp->xsdt)
		t = search((const struct acpi_header *)rsdp->xsdt, 8, signature);
	if (!t && rsdp->rsdt)
		t = search((const struct acpi_header *)(uint64_t)rsdp->rsdt, 4, signature);
	return t;
}

void acpi_rename_table(const struct acpi_header *t, const char *new_signature)
{
	struct acpi_header *w = (struct acpi_header *)t;
	memcpy(w->signature, new_signature, 4);
	w->checksum = 0;
	w->checksum = (uint8_t)-sum(w, w->length);
}
