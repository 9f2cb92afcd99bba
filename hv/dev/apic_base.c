/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/dev/apic_base.h"
#include "hv/x86/arch.h"

/* Bits 7:0 and 9 are reserved in every mode (Figure 11-5). */
#define APIC_BASE_RESERVED_LOW 0x2FFull

enum apic_mode { APIC_DISABLED, APIC_XAPIC, APIC_X2APIC, APIC_INVALID };

static enum apic_mode mode_of(uint64_t v)
{
	if (!(v & APIC_BASE_ENABLE))
		return v & APIC_BASE_X2APIC ? APIC_INVALID : APIC_DISABLED;
	return v & APIC_BASE_X2APIC ? APIC_X2APIC : APIC_XAPIC;
}

bool apic_base_write_ok(const struct apic_base_cpu *cpu, uint64_t old, uint64_t value)
{
	uint64_t reserved = APIC_BASE_RESERVED_LOW | ~((1ull << cpu->phys_bits) - 1);
	if (!cpu->x2apic)
		reserved |= APIC_BASE_X2APIC;
	if (value & reserved)
		return false;
	enum apic_mode from = mode_of(old), to = mode_of(value);
	/* The valid transitions (Figure 11-28): disabled -> xAPIC, xAPIC ->
	 * x2APIC, either -> disabled, and any mode to itself. EN=0 with
	 * EXTD=1 is no mode at all. */
	if (to == APIC_INVALID)
		return false;
	if (from == APIC_X2APIC && to == APIC_XAPIC)
		return false;
	if (from == APIC_DISABLED && to == APIC_X2APIC)
		return false;
	return true;
}

uint64_t apic_base_xapic_page(uint64_t value)
{
	return mode_of(value) == APIC_XAPIC ? value & APIC_BASE_ADDR_MASK : APIC_BASE_NO_PAGE;
}
