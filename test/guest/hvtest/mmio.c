/* SPDX-License-Identifier: GPL-2.0-only */
/* The test device's MMIO page through the IOM: plain MOV loads and stores of
 * every size (the compiler's choice of encoding is pinned with inline asm). */
#include "hvtest.h"
#include "hv/dev/testdev.h"
#include "iom/iom.h"
#include "trap.h"

#define BASE TESTDEV_MMIO_BASE

static void st8(uint64_t a, uint8_t v) { __asm__ volatile("movb %1, (%0)" ::"r"(a), "q"(v) : "memory"); }
static void st16(uint64_t a, uint16_t v) { __asm__ volatile("movw %1, (%0)" ::"r"(a), "r"(v) : "memory"); }
static void st32(uint64_t a, uint32_t v) { __asm__ volatile("movl %1, (%0)" ::"r"(a), "r"(v) : "memory"); }
static void st64(uint64_t a, uint64_t v) { __asm__ volatile("movq %1, (%0)" ::"r"(a), "r"(v) : "memory"); }
static uint8_t ld8(uint64_t a) { uint8_t v; __asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(a) : "memory"); return v; }
static uint16_t ld16(uint64_t a) { uint16_t v; __asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(a) : "memory"); return v; }
static uint32_t ld32(uint64_t a) { uint32_t v; __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory"); return v; }
static uint64_t ld64(uint64_t a) { uint64_t v; __asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(a) : "memory"); return v; }

static uint64_t stat(unsigned counter)
{
	return range_stat(IOM_SPACE_MMIO, BASE, counter);
}

void test_mmio(void)
{
	uint64_t r0 = stat(IOM_STAT_READS), w0 = stat(IOM_STAT_WRITES);

	/* 4 stores, 6 loads. */
	st64(BASE + 0x10, 0x1122334455667788ull);
	uint64_t q = ld64(BASE + 0x10);
	st8(BASE + 0x10, 0xAA);
	st16(BASE + 0x12, 0xBBCC);
	st32(BASE + 0x14, 0xDDEEFF00);
	uint8_t b = ld8(BASE + 0x11);
	uint16_t w = ld16(BASE + 0x12);
	uint32_t d = ld32(BASE + 0x14);
	uint64_t all = ld64(BASE + 0x10);
	uint32_t mis = ld32(BASE + 0x13); /* misaligned */
	guest_check(q == 0x1122334455667788ull, "64-bit store and load (0x%lx)", q);
	guest_check(b == 0x77, "8-bit load (0x%x)", b);
	guest_check(w == 0xBBCC, "16-bit store and load (0x%x)", w);
	guest_check(d == 0xDDEEFF00, "32-bit store and load (0x%x)", d);
	guest_check(all == 0xDDEEFF00BBCC77AAull, "mixed-size stores read as one qword (0x%lx)", all);
	guest_check(mis == 0xEEFF00BB, "misaligned 32-bit load (0x%x)", mis);

	uint64_t r = stat(IOM_STAT_READS) - r0, wr = stat(IOM_STAT_WRITES) - w0;
	gprintf("guest: mmio counts: reads %lu writes %lu\n", r, wr);
	guest_check(wr == 4, "the IOM counted 4 MMIO writes (%lu)", wr);
	guest_check(r == 6, "the IOM counted 6 MMIO reads (%lu)", r);

	/* The deferring qword: queued write, retried read. */
	st64(BASE + TESTDEV_MMIO_DEFER, 0x0123456789ABCDEFull);
	uint64_t dq = ld64(BASE + TESTDEV_MMIO_DEFER);
	guest_check(dq == 0x0123456789ABCDEFull, "deferred MMIO write and read (0x%lx)", dq);
	/* Nothing answers past the registers: all ones. */
	uint32_t none = ld32(BASE + 0xF80);
	guest_check(none == 0xFFFFFFFF, "an unused offset of the device reads all ones (0x%x)", none);
}

/* IMUL with a memory operand (0F AF /r) is outside the emulator's set
 * (hv/x86): iomvisor must log it and give the guest #GP, not a wrong value. */
static void imul_on_mmio(void)
{
	uint32_t v = 3;
	__asm__ volatile(".byte 0x0f, 0xaf, 0x07" /* imul (%rdi), %eax */
			 : "+a"(v)
			 : "D"(BASE + 0x20)
			 : "memory", "cc");
}

void test_unsupported(void)
{
	guest_check(guest_raises_gp(imul_on_mmio),
		    "an instruction the emulator does not know gets #GP");
	guest_check(hypercall(HC_INFO, 0, 0, 0).rc == HC_OK, "and the hypervisor carries on");
}

void test_hidden_memory(void)
{
	struct hc_result m = hypercall(HC_HV_MEMORY, 0, 0, 0);
	guest_check(m.rc == HC_OK && m.rcx && m.rsi, "HC_HV_MEMORY: pool 0x%lx+0x%lx, image 0x%lx+0x%lx",
		    m.rbx, m.rcx, m.rdx, m.rsi);
	uint64_t u0 = iom_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_READS);
	uint64_t w0 = iom_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_WRITES);

	/* The hypervisor's memory is a hole in the guest's bus: reads give all
	 * ones, writes vanish, and the hypervisor carries on. */
	uint64_t pool = m.rbx, image = m.rdx;
	uint64_t before = ld64(pool);
	st64(pool, 0);
	st64(image + 0x1000, 0); /* its code */
	uint64_t after = ld64(pool);
	uint32_t code = ld32(image + 0x1000);
	guest_check(before == ~0ull && after == ~0ull, "hypervisor pool reads all ones (0x%lx)", after);
	guest_check(code == 0xFFFFFFFF, "hypervisor code reads all ones (0x%x)", code);
	uint64_t ur = iom_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_READS) - u0;
	uint64_t uw = iom_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_WRITES) - w0;
	guest_check(ur == 3 && uw == 2, "counted as 3 unclaimed reads and 2 unclaimed writes (%lu, %lu)",
		    ur, uw);
	guest_check(hypercall(HC_INFO, 0, 0, 0).rc == HC_OK, "the hypervisor still answers");
}
