/* SPDX-License-Identifier: GPL-2.0-only */
/* IOPM: 12 KiB, one bit per port, set = intercept; the bits past port 0xFFFF
 * catch multi-byte accesses that wrap (AMD APM Vol. 2 §15.10.1). The IOM decides
 * which ports trap (through its intercept hook); nothing else writes this map.
 *
 * MSRPM: 8 KiB, two bits per MSR (read, write) in three 2-KiB blocks for MSRs
 * 0000_0000h-0000_1FFFh, C000_0000h-C000_1FFFh and C001_0000h-C001_1FFFh
 * (§15.11, Table 15-11). MSRs outside the blocks always exit. */
#include "svm/permission_maps.h"
#include "hv/exit/msr_intercepts.h"
#include "hv/panic.h"
#include "hv/mem/pool.h"
#include "hv/x86/arch.h"

#define IOPM_PAGES 3
#define MSRPM_PAGES 2

static uint8_t *iopm;
static uint8_t *msrpm;

uint64_t svm_iopm_pa(void)
{
	return (uint64_t)iopm;
}

uint64_t svm_msrpm_pa(void)
{
	return (uint64_t)msrpm;
}

void svm_iopm_set(uint16_t first, uint32_t count, bool trap)
{
	for (uint32_t p = first; p < (uint32_t)first + count && p <= 0xFFFF; p++) {
		uint8_t bit = 1u << (p & 7);
		if (trap)
			__atomic_or_fetch(&iopm[p >> 3], bit, __ATOMIC_RELEASE);
		else
			__atomic_and_fetch(&iopm[p >> 3], (uint8_t)~bit, __ATOMIC_RELEASE);
	}
}

static void msrpm_intercept(uint32_t msr, bool read, bool write)
{
	uint32_t block_base;
	if (msr <= 0x1FFF)
		block_base = 0x000;
	else if (msr >= 0xC0000000 && msr <= 0xC0001FFF)
		block_base = 0x800;
	else if (msr >= 0xC0010000 && msr <= 0xC0011FFF)
		block_base = 0x1000;
	else
		panic("MSR 0x%x is outside the MSR permission map", msr);
	uint32_t bit = (msr & 0x1FFF) * 2;
	uint8_t *byte = &msrpm[block_base + bit / 8];
	if (read)
		*byte |= 1u << (bit % 8);
	if (write)
		*byte |= 2u << (bit % 8);
}

void svm_permission_maps_init(void)
{
	iopm = pool_must_alloc_pages(IOPM_PAGES, "IOPM");
	msrpm = pool_must_alloc_pages(MSRPM_PAGES, "MSRPM");
	/* The bits past port 0xFFFF: an access that wraps there is intercepted. */
	iopm[0x2000] = 0xFF;
	msr_intercepts_apply(MSR_ON_AMD, msrpm_intercept);
}
