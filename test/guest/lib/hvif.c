/* SPDX-License-Identifier: GPL-2.0-only */
#include "hvif.h"
#include "hv/cpu.h"
#include "iom/iom.h"

static bool is_intel(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	return r.ebx == 0x756e6547; /* "Genu" */
}

bool hv_present(void)
{
	struct cpuid_regs r = cpuid(HV_CPUID_BASE, 0);
	return (cpuid(1, 0).ecx >> 31) && r.ebx == HV_SIGNATURE_EBX &&
	       r.ecx == HV_SIGNATURE_ECX && r.edx == HV_SIGNATURE_EDX;
}

struct hc_result hypercall(uint64_t nr, uint64_t rbx, uint64_t rcx, uint64_t rdx)
{
	struct hc_result r;
	uint64_t rax = nr, rsi = 0;
	if (is_intel())
		__asm__ volatile("vmcall"
				 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi)
				 :
				 : "memory");
	else
		__asm__ volatile("vmmcall"
				 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi)
				 :
				 : "memory");
	r.rc = (int64_t)rax;
	r.rbx = rbx;
	r.rcx = rcx;
	r.rdx = rdx;
	r.rsi = rsi;
	return r;
}

uint64_t range_stat(unsigned space, uint64_t addr, unsigned counter)
{
	struct hc_result r = hypercall(HC_RANGE_STAT, space, addr, counter);
	return r.rc == HC_OK ? r.rbx : ~0ull;
}

uint64_t rule_stat(unsigned rule, unsigned counter)
{
	struct hc_result r = hypercall(HC_RULE_STAT, rule, counter, 0);
	return r.rc == HC_OK ? r.rbx : ~0ull;
}

uint64_t iom_stat(unsigned space, unsigned counter)
{
	struct hc_result r = hypercall(HC_IOM_STAT, space, counter, IOM_STAT_ALL_CPUS);
	return r.rc == HC_OK ? r.rbx : ~0ull;
}

unsigned hv_cpu_number(void)
{
	return (unsigned)hypercall(HC_INFO, 0, 0, 0).rdx;
}

uint64_t iom_stat_this_cpu(unsigned space, unsigned counter)
{
	struct hc_result r = hypercall(HC_IOM_STAT, space, counter, hv_cpu_number());
	return r.rc == HC_OK ? r.rbx : ~0ull;
}
