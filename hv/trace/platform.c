/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/acpi.h"
#include "hv/console/console.h"
#include "hv/string.h"
#include "hv/trace/platform.h"

static struct trace_platform platform;
static bool platform_ready;

/* Byte offsets of the fields read here, after the 36-byte table header. */
#define FADT_PM1A_EVT_BLK 56 /* ACPI 6.4 §5.2.9, Table 5.9 (32-bit I/O ports) */
#define FADT_PM1B_EVT_BLK 60
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_PM_TMR_BLK 76
#define FADT_PM1_EVT_LEN 88
#define FADT_CENTURY 108
#define HPET_BASE_ADDRESS 44  /* IA-PC HPET 1.0a §3.2.4: the GAS's address field */
#define MADT_LAPIC_ADDRESS 36 /* ACPI 6.4 §5.2.12, Table 5.19 */
#define MADT_ENTRIES 44
#define MADT_IOAPIC 1	      /* §5.2.12.3: address at +4 */
#define MADT_LAPIC_OVERRIDE 5 /* §5.2.12.8: 64-bit address at +4 */
#define MCFG_ENTRIES 44	      /* PCI Firmware Specification 3.0 §4.1.2 */
#define MCFG_ENTRY_SIZE 16    /* base (8), segment (2), first bus, last bus, reserved */

static uint64_t field(const struct acpi_header *t, unsigned offset, unsigned size)
{
	uint64_t v = 0;
	if (offset + size <= t->length)
		memcpy(&v, (const uint8_t *)t + offset, size);
	return v;
}

static void from_fadt(const struct acpi_header *t)
{
	platform.pm1a_evt = (uint16_t)field(t, FADT_PM1A_EVT_BLK, 4);
	platform.pm1b_evt = (uint16_t)field(t, FADT_PM1B_EVT_BLK, 4);
	platform.pm1a_cnt = (uint16_t)field(t, FADT_PM1A_CNT_BLK, 4);
	platform.pm1b_cnt = (uint16_t)field(t, FADT_PM1B_CNT_BLK, 4);
	platform.pm_tmr = (uint16_t)field(t, FADT_PM_TMR_BLK, 4);
	platform.pm1_evt_len = (uint8_t)field(t, FADT_PM1_EVT_LEN, 1);
	platform.cmos_century = (uint8_t)field(t, FADT_CENTURY, 1);
}

static void from_madt(const struct acpi_header *t)
{
	uint64_t lapic = field(t, MADT_LAPIC_ADDRESS, 4);
	bool ioapic_seen = false;
	for (unsigned off = MADT_ENTRIES; off + 2 <= t->length;) {
		unsigned type = (unsigned)field(t, off, 1), len = (unsigned)field(t, off + 1, 1);
		if (len < 2)
			break;
		if (type == MADT_IOAPIC && !ioapic_seen)
			platform.ioapic = field(t, off + 4, 4), ioapic_seen = true;
		else if (type == MADT_LAPIC_OVERRIDE)
			lapic = field(t, off + 4, 8);
		off += len;
	}
	if (lapic)
		platform.lapic = lapic;
}

static void from_mcfg(const struct acpi_header *t)
{
	for (unsigned off = MCFG_ENTRIES; off + MCFG_ENTRY_SIZE <= t->length;
	     off += MCFG_ENTRY_SIZE) {
		if (field(t, off + 8, 2) != 0) /* segment 0 only: 0xCF8 reaches no other */
			continue;
		platform.ecam = field(t, off, 8);
		platform.ecam_bus_first = (uint8_t)field(t, off + 10, 1);
		platform.ecam_bus_last = (uint8_t)field(t, off + 11, 1);
		return;
	}
}

void trace_platform_init(uint64_t rsdp)
{
	trace_platform_defaults(&platform);
	platform_ready = true;
	const struct acpi_header *t;
	if ((t = acpi_find_table(rsdp, "FACP")))
		from_fadt(t);
	if ((t = acpi_find_table(rsdp, "HPET")) && field(t, HPET_BASE_ADDRESS, 8))
		platform.hpet = field(t, HPET_BASE_ADDRESS, 8);
	if ((t = acpi_find_table(rsdp, "APIC")))
		from_madt(t);
	if ((t = acpi_find_table(rsdp, "MCFG")))
		from_mcfg(t);
	log_info("trace decoders: PM1 0x%x/0x%x timer 0x%x, HPET 0x%lx, IOAPIC 0x%lx, ECAM 0x%lx",
		 platform.pm1a_evt, platform.pm1a_cnt, platform.pm_tmr,
		 (unsigned long)platform.hpet, (unsigned long)platform.ioapic,
		 (unsigned long)platform.ecam);
}

const struct trace_platform *trace_platform(void)
{
	if (!platform_ready) {
		trace_platform_defaults(&platform);
		platform_ready = true;
	}
	return &platform;
}
