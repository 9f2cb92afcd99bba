/* SPDX-License-Identifier: GPL-2.0-only */
/* CPUID outputs that follow the CPU's own state: CPUID.1:ECX.OSXSAVE mirrors
 * CR4.OSXSAVE, CPUID.(7,0):ECX.OSPKE mirrors CR4.PKE (SDM Vol. 2A, CPUID), the
 * XSAVE area size of leaf 0xD follows XCR0 (SDM Vol. 1 §13.2), and the initial
 * APIC ID is the CPU's own (CPUID.1:EBX[31:24], the xAPIC ID register). */
#include "fidelity.h"
#include "hv/cpu.h"

/* CPUID leaf/bit read with CR4 bit `cr4_bit` first set, then clear; interrupts
 * stay off so that no firmware handler runs with the changed CR4. */
static void read_with_cr4_bit(uint64_t cr4_bit, uint32_t leaf, uint32_t bit, bool *set, bool *clear)
{
	uint64_t f = irq_save(), cr4 = read_cr4();
	write_cr4(cr4 | cr4_bit);
	*set = cpuid(leaf, 0).ecx & bit;
	write_cr4(cr4 & ~cr4_bit);
	*clear = cpuid(leaf, 0).ecx & bit;
	write_cr4(cr4);
	irq_restore(f);
}

/* The size leaf 0xD EBX gives for XCR0 = xcr0: the legacy area and header
 * (512 + 64 bytes), or the end of the highest enabled component (its offset and
 * size: CPUID.(0xD,i):EBX and EAX). */
static uint32_t expected_xsave_size(uint64_t xcr0)
{
	uint32_t size = 576;
	for (unsigned i = 2; i < 63; i++) {
		if (!(xcr0 >> i & 1))
			continue;
		struct cpuid_regs c = cpuid(0xD, i);
		if (c.ebx + c.eax > size)
			size = c.ebx + c.eax;
	}
	return size;
}

static void check_xsave(void)
{
	bool set, clear;
	read_with_cr4_bit(X86_CR4_OSXSAVE, 1, CPUID_1_ECX_OSXSAVE, &set, &clear);
	guest_check(set && !clear, "CPUID.1:ECX.OSXSAVE follows CR4.OSXSAVE (set: %d, clear: %d)",
		    set, clear);

	uint64_t f = irq_save(), cr4 = read_cr4();
	write_cr4(cr4 | X86_CR4_OSXSAVE);
	uint64_t xcr0 = xgetbv(0), supported = cpuid(0xD, 0).eax;
	xsetbv(0, X86_XCR0_X87 | X86_XCR0_SSE);
	uint32_t sse = cpuid(0xD, 0).ebx, avx = 0, want_avx = 0;
	if (supported & X86_XCR0_AVX) {
		xsetbv(0, X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX);
		avx = cpuid(0xD, 0).ebx;
		want_avx = expected_xsave_size(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX);
	}
	xsetbv(0, xcr0 ? xcr0 : X86_XCR0_X87);
	write_cr4(cr4);
	irq_restore(f);
	guest_check(sse == 576, "CPUID.(0xD,0):EBX is 576 with XCR0 = x87|SSE (%u)", sse);
	if (supported & X86_XCR0_AVX)
		guest_check(avx == want_avx, "CPUID.(0xD,0):EBX is %u with XCR0 = x87|SSE|AVX (%u)",
			    want_avx, avx);
}

void test_cpuid_state_bits(void)
{
	if (cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE)
		check_xsave();
	else
		gprintf("guest: skip: no XSAVE on this CPU\n");

	/* PKU: CPUID.(7,0):ECX[3]. */
	if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx & (1u << 3))) {
		bool set, clear;
		read_with_cr4_bit(X86_CR4_PKE, 7, CPUID_7_ECX_OSPKE, &set, &clear);
		guest_check(set && !clear, "CPUID.(7,0):ECX.OSPKE follows CR4.PKE (set: %d, clear: %d)",
			    set, clear);
	} else {
		gprintf("guest: skip: no protection keys on this CPU\n");
	}

	uint64_t apic = rdmsr(MSR_IA32_APIC_BASE);
	if ((apic & APIC_BASE_ENABLE) && !(apic & APIC_BASE_X2APIC)) {
		uint32_t id = *(volatile uint32_t *)((apic & APIC_BASE_ADDR_MASK) + APIC_REG_ID) >> 24;
		uint32_t cpuid_id = cpuid(1, 0).ebx >> 24;
		guest_check(id == cpuid_id, "CPUID.1:EBX[31:24] is the APIC ID (%u, APIC %u)", cpuid_id,
			    id);
	}
}
