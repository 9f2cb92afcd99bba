/* CPUID as the guest sees it: the real CPU's answer, with the hypervisor-present
 * bit set, the vendor's virtualization extension hidden (the guest cannot use
 * it under iomvisor), and iomvisor's own leaves at 0x40000000. */
#include "hv/exit.h"
#include "hv/cpu.h"
#include "hv/hypercall.h"

#define CPUID_INSN_LEN 2

void hv_exit_cpuid(struct vcpu *v)
{
	uint64_t *g = v->regs.gpr;
	uint32_t leaf = (uint32_t)g[X86_RAX], sub = (uint32_t)g[X86_RCX];
	struct cpuid_regs r;

	if (leaf >= HV_CPUID_BASE && leaf <= HV_CPUID_BASE + 0xFF) {
		/* Hypervisor leaves (the range the SDM and APM reserve for software):
		 * highest leaf and the 12-byte signature "iomvisor\0\0\0\0". */
		r = (struct cpuid_regs){ 0 };
		if (leaf == HV_CPUID_BASE) {
			r.eax = HV_CPUID_MAX;
			r.ebx = HV_SIGNATURE_EBX;
			r.ecx = HV_SIGNATURE_ECX;
			r.edx = HV_SIGNATURE_EDX;
		} else if (leaf == HV_CPUID_VERSION) {
			r.eax = HV_HYPERCALL_ABI_VERSION;
		}
	} else {
		r = cpuid(leaf, sub);
		if (leaf == 1) {
			r.ecx |= 1u << 31;	/* hypervisor present (SDM Vol. 2A, CPUID) */
			r.ecx &= ~(1u << 5);	/* VMX */
		} else if (leaf == 0x80000001) {
			r.ecx &= ~(1u << 2);	/* SVM (APM Vol. 3, CPUID Fn8000_0001_ECX) */
		} else if (leaf == 0x8000000A) {
			r = (struct cpuid_regs){ 0 }; /* SVM features: none */
		}
	}
	/* CPUID writes all four 32-bit registers, zero-extending in 64-bit mode. */
	g[X86_RAX] = r.eax;
	g[X86_RBX] = r.ebx;
	g[X86_RCX] = r.ecx;
	g[X86_RDX] = r.edx;
	v->regs.rip += CPUID_INSN_LEN;
}
