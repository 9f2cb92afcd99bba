/* SPDX-License-Identifier: GPL-2.0-only */
/* The test device's ports (hv/dev/testdev.h) through the IOM. */
#include "hvtest.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "iom/iom.h"

#define BASE TESTDEV_PORT_BASE
#define DEFER (TESTDEV_PORT_BASE + TESTDEV_PORT_DEFER)

static uint64_t reads(void)
{
	return range_stat(IOM_SPACE_PORT, BASE, IOM_STAT_READS);
}

static uint64_t writes(void)
{
	return range_stat(IOM_SPACE_PORT, BASE, IOM_STAT_WRITES);
}

void test_ports(void)
{
	uint64_t r0 = reads(), w0 = writes();
	uint64_t d0 = range_stat(IOM_SPACE_PORT, BASE, IOM_STAT_DEFERRED);
	uint64_t u0 = iom_stat(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS);

	/* Six reads and four writes reach the range; each value is read once. */
	outl(BASE, 0x12345678);
	uint32_t a = inl(BASE);
	outb(BASE + 1, 0xAB);
	uint16_t b = inw(BASE);
	uint8_t c = inb(BASE + 3);
	outw(BASE + 2, 0xBEEF);
	uint32_t d = inl(BASE);
	guest_check(a == 0x12345678, "32-bit scratch register reads back (0x%x)", a);
	guest_check(b == 0xAB78, "8-bit write, 16-bit read (0x%x)", b);
	guest_check(c == 0x12, "8-bit read of byte 3 (0x%x)", c);
	guest_check(d == 0xBEEFAB78, "16-bit write to the upper half (0x%x)", d);

	/* Every access to this register defers: the write is queued and committed
	 * before the guest runs on; the read is retried from the deferred context. */
	outl(DEFER, 0xCAFEF00D);
	uint32_t e = inl(DEFER);
	guest_check(e == 0xCAFEF00D, "deferred write, then deferred read (0x%x)", e);

	/* A 4-byte read of the last two ports: the part past the device is
	 * unclaimed and reads all ones. */
	uint32_t f = inl(BASE + TESTDEV_PORT_COUNT - 2);
	guest_check(f == 0xFFFFCAFE, "read running past the range: 0x%08x == 0xffffcafe", f);

	/* Exact counts, as iom.h defines them ("parts of accesses delivered"):
	 * writes: the 4 above plus the queued one's commit = 5; reads: 6, plus the
	 * retries of the two that deferred (the straddling read touches bytes 2-3
	 * of the deferring register too) = 8; deferrals: the write and those two
	 * reads = 3; the straddling read's last two ports: 1 unclaimed part. */
	uint64_t r = reads() - r0, w = writes() - w0;
	uint64_t dd = range_stat(IOM_SPACE_PORT, BASE, IOM_STAT_DEFERRED) - d0;
	uint64_t u = iom_stat(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS) - u0;
	gprintf("guest: port counts: reads %lu writes %lu deferred %lu unclaimed reads %lu\n",
		r, w, dd, u);
	guest_check(w == 5, "the IOM counted 5 writes to the range (%lu)", w);
	guest_check(r == 8, "the IOM counted 8 reads of the range (%lu)", r);
	guest_check(dd == 3, "the IOM counted 3 deferrals on the range (%lu)", dd);
	guest_check(u == 1, "the IOM counted 1 unclaimed read part (%lu)", u);
}
