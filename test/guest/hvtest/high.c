/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest-physical memory above what the hypervisor maps at start. Without 1-GiB
 * nested pages (QEMU's qemu64, Bochs's Sandy Bridge) the NPT/EPT cover RAM and
 * the first 4 GiB; the rest is mapped a GiB at a time on first use, and traps
 * configured up there are built at start (hv/mem/idmap.h). The configuration
 * (test/integration/svm.sh, vmx.sh) denies HIGH_DENIED's page. */
#include "hvtest.h"
#include "hv/cpu.h"
#include "iom/iom.h"

#define HIGH_DENIED 0x800000000ull /* 32 GiB */
#define HIGH_PLAIN 0xC00000040ull  /* 48 GiB: nothing configured there */

static uint32_t ld32(uint64_t a) { uint32_t v; __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory"); return v; }
static void st32(uint64_t a, uint32_t v) { __asm__ volatile("movl %1, (%0)" ::"r"(a), "r"(v) : "memory"); }

/* Whether the firmware's page tables (4-level, identity) map a: an access the
 * guest cannot make tests nothing. */
static bool firmware_maps(uint64_t a)
{
	const uint64_t *t = (const uint64_t *)(read_cr3() & 0x000FFFFFFFFFF000ull);
	for (int shift = 39;; shift -= 9) {
		uint64_t e = t[(a >> shift) & 511];
		if (!(e & 1))
			return false;
		if (shift == 12 || (e & 0x80))
			return true;
		t = (const uint64_t *)(e & 0x000FFFFFFFFFF000ull);
	}
}

void test_high_memory(void)
{
	if (!guest_check(firmware_maps(HIGH_DENIED) && firmware_maps(HIGH_PLAIN),
			 "the firmware maps 0x%llx and 0x%llx", HIGH_DENIED, HIGH_PLAIN))
		return;
	/* The deny rule (rule 1 of test/integration/svm.sh and vmx.sh) answers
	 * the read and drops the write: both count as its hits, and neither
	 * reaches the page's pass-through range. */
	uint64_t h0 = rule_stat(1, 0);
	uint64_t r0 = range_stat(IOM_SPACE_MMIO, HIGH_DENIED, IOM_STAT_READS);
	uint64_t w0 = range_stat(IOM_SPACE_MMIO, HIGH_DENIED, IOM_STAT_WRITES);
	st32(HIGH_DENIED + 8, 0x12345678);
	uint32_t denied = ld32(HIGH_DENIED + 8);
	uint64_t h = rule_stat(1, 0) - h0;
	uint64_t r = range_stat(IOM_SPACE_MMIO, HIGH_DENIED, IOM_STAT_READS) - r0;
	uint64_t w = range_stat(IOM_SPACE_MMIO, HIGH_DENIED, IOM_STAT_WRITES) - w0;
	guest_check(denied == 0xFFFFFFFF && h == 2 && r == 0 && w == 0,
		    "a denied page at 32 GiB reads all ones (0x%x), its rule counted the read and "
		    "the write (%lu hits; %lu, %lu reached the page)", denied, h, r, w);

	/* Nothing is there: whatever the platform answers, twice the same, and
	 * through the nested map, not the IOM. */
	uint64_t all0 = iom_stat(IOM_SPACE_MMIO, IOM_STAT_READS);
	uint32_t a = ld32(HIGH_PLAIN), b = ld32(HIGH_PLAIN);
	uint64_t reads = iom_stat(IOM_SPACE_MMIO, IOM_STAT_READS) - all0;
	guest_check(a == b && reads == 0, "plain memory at 48 GiB reads 0x%x, 0x%x, not through "
		    "the IOM (%lu reads)", a, b, reads);
	guest_check(hypercall(HC_INFO, 0, 0, 0).rc == HC_OK, "the hypervisor still answers");
}
