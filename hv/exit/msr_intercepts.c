/* SPDX-License-Identifier: GPL-2.0-only */
/* The MSRs the hypervisor intercepts, and why (hv/exit/msr_intercepts.h). Every
 * other MSR in the maps' ranges is the guest's, read and written by the CPU
 * with its own checks; on SVM an MSR outside the ranges always exits. */
#include "hv/exit/msr_intercepts.h"
#include "hv/x86/arch.h"

struct msr_intercept {
	uint32_t first, last;
	unsigned vendors;
	bool read, write;
	bool absent; /* a feature the guest's CPU lacks: every access #GP */
};

#define BOTH (MSR_ON_AMD | MSR_ON_INTEL)

static const struct msr_intercept intercepts[] = {
	/* EFER: SVME must stay set for VMRUN and invisible to the guest (on VMX
	 * the VMCS holds the guest's EFER and the CPU checks its writes). */
	{ MSR_IA32_EFER, MSR_IA32_EFER, MSR_ON_AMD, true, true, false },
	/* The virtualization controls belong to the hypervisor; the guest sees a
	 * CPU with SVM or VMX off and locked. */
	{ MSR_VM_CR, MSR_VM_CR, MSR_ON_AMD, true, true, false },
	{ MSR_VM_HSAVE_PA, MSR_VM_HSAVE_PA, MSR_ON_AMD, true, true, false },
	{ MSR_IA32_FEATURE_CONTROL, MSR_IA32_FEATURE_CONTROL, MSR_ON_INTEL, true, true, false },
	{ MSR_IA32_VMX_FIRST, MSR_IA32_VMX_LAST, MSR_ON_INTEL, true, true, true },
	/* The memory map and what INVD does are the hypervisor's too: HWCR's
	 * INVD-to-WBINVD stays set, and SYSCFG's memory-map bits and TOP_MEM /
	 * TOP_MEM2 stay as the firmware left them. Reads are the real values. */
	{ MSR_AMD_HWCR, MSR_AMD_HWCR, MSR_ON_AMD, false, true, false },
	{ MSR_AMD_SYSCFG, MSR_AMD_SYSCFG, MSR_ON_AMD, false, true, false },
	{ MSR_AMD_TOP_MEM, MSR_AMD_TOP_MEM, MSR_ON_AMD, false, true, false },
	{ MSR_AMD_TOP_MEM2, MSR_AMD_TOP_MEM2, MSR_ON_AMD, false, true, false },
	/* Intel PT writes its output to physical addresses past EPT: the guest
	 * sees a CPU without it (hv/exit/exit_cpuid.c), whose RTIT MSRs #GP. */
	{ MSR_IA32_RTIT_OUTPUT_BASE, MSR_IA32_RTIT_OUTPUT_MASK_PTRS, MSR_ON_INTEL, true, true, true },
	{ MSR_IA32_RTIT_CTL, MSR_IA32_RTIT_CR3_MATCH, MSR_ON_INTEL, true, true, true },
	{ MSR_IA32_RTIT_ADDR0_A, MSR_IA32_RTIT_ADDR3_B, MSR_ON_INTEL, true, true, true },
	/* The xAPIC's base and mode: the trap of its page follows them
	 * (hv/dev/lapic.h). */
	{ MSR_IA32_APIC_BASE, MSR_IA32_APIC_BASE, BOTH, false, true, false },
	/* x2APIC interrupt commands: INIT and SIPI (hv/exit/ipi.h). */
	{ MSR_X2APIC_ICR, MSR_X2APIC_ICR, BOTH, false, true, false },
	/* PAT and DEBUGCTL pass through on both: the CPU checks the guest's WRMSR.
	 * With nested paging the guest's PAT lives in G_PAT (APM Vol. 2 §15.25);
	 * without LBR virtualisation (§15.23) DEBUGCTL is the real register. On
	 * VMX the exit saves the values the CPU accepted (save IA32_PAT, save
	 * debug controls, SDM Vol. 3C §25.7.1), so VM entry's checks hold. */
};

void msr_intercepts_apply(unsigned vendor, void (*intercept)(uint32_t msr, bool read, bool write))
{
	for (unsigned i = 0; i < sizeof(intercepts) / sizeof(intercepts[0]); i++) {
		const struct msr_intercept *e = &intercepts[i];
		if (!(e->vendors & vendor))
			continue;
		for (uint32_t m = e->first; m <= e->last; m++)
			intercept(m, e->read, e->write);
	}
}

bool msr_of_absent_feature(uint32_t msr)
{
	for (unsigned i = 0; i < sizeof(intercepts) / sizeof(intercepts[0]); i++)
		if (intercepts[i].absent && msr >= intercepts[i].first && msr <= intercepts[i].last)
			return true;
	return false;
}
