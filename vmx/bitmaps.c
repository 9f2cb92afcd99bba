/* SPDX-License-Identifier: GPL-2.0-only */
/* I/O bitmaps (SDM Vol. 3C §25.6.4): bitmap A holds one bit per port for
 * 0000-7FFF, bitmap B for 8000-FFFF; a set bit makes IN/OUT/INS/OUTS on that port
 * exit, and an access that wraps past FFFF always exits (§26.1.3). The IOM decides
 * which ports trap (through its intercept hook); nothing else writes them.
 *
 * MSR bitmap (§25.6.9): one 4-KiB page of four 1-KiB maps, read-low (MSRs
 * 00000000-00001FFF) at 0, read-high (C0000000-C0001FFF) at 1024, write-low at
 * 2048, write-high at 3072. A set bit makes RDMSR/WRMSR exit; MSRs outside both
 * ranges always exit (§26.1.3). */
#include "vmx/bitmaps.h"
#include "hv/exit/msr_intercepts.h"
#include "hv/panic.h"
#include "hv/mem/pool.h"
#include "vmx/vmcs_fields.h"

#define MSR_BITMAP_READ_LOW 0
#define MSR_BITMAP_READ_HIGH 1024
#define MSR_BITMAP_WRITE_LOW 2048
#define MSR_BITMAP_WRITE_HIGH 3072

static uint8_t *io_bitmaps; /* A, then B: two consecutive pages */
static uint8_t *msr_bitmap;

uint64_t vmx_io_bitmap_a_pa(void)
{
	return (uint64_t)io_bitmaps;
}

uint64_t vmx_io_bitmap_b_pa(void)
{
	return (uint64_t)io_bitmaps + PAGE_SIZE;
}

uint64_t vmx_msr_bitmap_pa(void)
{
	return (uint64_t)msr_bitmap;
}

void vmx_io_bitmap_set(uint16_t first, uint32_t count, bool trap)
{
	/* Port p is bit p of the 8-KiB run A|B. */
	for (uint32_t p = first; p < (uint32_t)first + count && p <= 0xFFFF; p++) {
		uint8_t bit = 1u << (p & 7);
		if (trap)
			__atomic_or_fetch(&io_bitmaps[p >> 3], bit, __ATOMIC_RELEASE);
		else
			__atomic_and_fetch(&io_bitmaps[p >> 3], (uint8_t)~bit, __ATOMIC_RELEASE);
	}
}

static void msr_intercept(uint32_t msr, bool read, bool write)
{
	uint32_t read_base, write_base;
	if (msr <= 0x1FFF) {
		read_base = MSR_BITMAP_READ_LOW;
		write_base = MSR_BITMAP_WRITE_LOW;
	} else if (msr >= 0xC0000000 && msr <= 0xC0001FFF) {
		read_base = MSR_BITMAP_READ_HIGH;
		write_base = MSR_BITMAP_WRITE_HIGH;
	} else {
		panic("MSR 0x%x is outside the MSR bitmap", msr);
	}
	uint32_t bit = msr & 0x1FFF;
	if (read)
		msr_bitmap[read_base + bit / 8] |= 1u << (bit % 8);
	if (write)
		msr_bitmap[write_base + bit / 8] |= 1u << (bit % 8);
}

void vmx_bitmaps_init(void)
{
	io_bitmaps = pool_must_alloc_pages(2, "VMX I/O bitmaps");
	msr_bitmap = pool_must_alloc_pages(1, "VMX MSR bitmap");
	msr_intercepts_apply(MSR_ON_INTEL, msr_intercept);
}
