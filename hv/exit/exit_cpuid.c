/* SPDX-License-Identifier: GPL-2.0-only */
/* CPUID as the guest sees it: the real CPU's answer, with the hypervisor-present
 * bit set, the vendor's virtualization extension hidden (the guest cannot use
 * it under iomvisor), and iomvisor's own leaves at 0x40000000.
 *
 * CPUID runs here in the host, on the vCPU's own CPU, so what it reports of
 * that CPU's local APIC (initial and x2APIC IDs, CPUID.1:EDX.APIC after the
 * guest's IA32_APIC_BASE writes) and of XCR0 and IA32_XSS (leaf 0xD sizes: the
 * guest's values, neither is switched at an exit) is already the guest's. Two
 * bits mirror a control register, and the host's CR4 is not the guest's:
 * CPUID.1:ECX.OSXSAVE is CR4.OSXSAVE and CPUID.(7,0):ECX.OSPKE is CR4.PKE
 * (SDM Vol. 2A, CPUID, Tables 3-10 and 3-8). Those come from the guest's CR4.
 * Intel PT is hidden too (below). */
#include "hv/exit/exit.h"
#include "hv/cpu.h"
#include "hv/exit/hypercall.h"

#define CPUID_INSN_LEN 2

static uint64_t guest_cr4(struct vcpu *v)
{
	vcpu_full_state(v);
	return v->regs.cr4;
}

/* Intel PT is hidden: it writes its trace to physical addresses that EPT does
 * not translate, so the hypervisor's memory would be in reach (SDM Vol. 3C
 * §33.2.7). Leaf 0x14 reads zero as on a CPU without it, but only where the
 * CPU has PT: above the highest basic leaf, CPUID answers for that leaf. */
static bool intel_pt_present(void)
{
	return cpuid(7, 0).ebx & CPUID_7_EBX_INTEL_PT;
}

/* reg with bit as the guest's control-register bit says. */
static uint32_t mirror(uint32_t reg, uint32_t bit, uint64_t on)
{
	return on ? reg | bit : reg & ~bit;
}

/* The hypervisor's own leaves (the range the SDM and APM reserve for
 * software): highest leaf and the 12-byte signature "iomvisor\0\0\0\0", the
 * hypercall ABI's version; zeros above. */
static struct cpuid_regs hypervisor_leaf(uint32_t leaf)
{
	if (leaf == HV_CPUID_BASE)
		return (struct cpuid_regs){ .eax = HV_CPUID_MAX, .ebx = HV_SIGNATURE_EBX,
					    .ecx = HV_SIGNATURE_ECX, .edx = HV_SIGNATURE_EDX };
	if (leaf == HV_CPUID_VERSION)
		return (struct cpuid_regs){ .eax = HV_HYPERCALL_ABI_VERSION };
	return (struct cpuid_regs){ 0 };
}

/* The leaves whose answer differs from the CPU's (the header says why). */
static bool leaf_changed(uint32_t leaf)
{
	return leaf == 1 || leaf == 7 || leaf == CPUID_LEAF_INTEL_PT || leaf == 0x80000001 ||
	       leaf == 0x8000000A;
}

/* Out of line: the guest asks these rarely (at boot), and the common CPUID
 * exit should not carry their registers. */
static __attribute__((noinline)) struct cpuid_regs change_leaf(struct vcpu *v, uint32_t leaf,
								uint32_t sub, struct cpuid_regs r)
{
	if (leaf == 1) {
		r.ecx |= CPUID_1_ECX_HYPERVISOR;
		r.ecx &= ~CPUID_1_ECX_VMX;
		r.ecx = mirror(r.ecx, CPUID_1_ECX_OSXSAVE, guest_cr4(v) & X86_CR4_OSXSAVE);
	} else if (leaf == 7 && sub == 0) {
		r.ecx = mirror(r.ecx, CPUID_7_ECX_OSPKE, guest_cr4(v) & X86_CR4_PKE);
		r.ebx &= ~CPUID_7_EBX_INTEL_PT;
	} else if (leaf == CPUID_LEAF_INTEL_PT && intel_pt_present()) {
		r = (struct cpuid_regs){ 0 }; /* no Intel PT */
	} else if (leaf == 0x80000001) {
		r.ecx &= ~CPUID_80000001_ECX_SVM;
	} else if (leaf == 0x8000000A) {
		r = (struct cpuid_regs){ 0 }; /* SVM features: none */
	}
	return r;
}

/* CPUID writes all four 32-bit registers, zero-extending in 64-bit mode. */
static inline void set_result(uint64_t *g, struct cpuid_regs r)
{
	g[X86_RAX] = r.eax;
	g[X86_RBX] = r.ebx;
	g[X86_RCX] = r.ecx;
	g[X86_RDX] = r.edx;
}

/* The leaves whose answer the hypervisor changes, out of line: the common exit
 * (any other leaf) then passes the CPU's registers straight through, without
 * the packing and unpacking a struct crossing a call costs. */
static __attribute__((noinline)) void changed_leaf(struct vcpu *v, uint32_t leaf, uint32_t sub)
{
	set_result(v->regs.gpr, change_leaf(v, leaf, sub, cpuid(leaf, sub)));
}

void hv_exit_cpuid(struct vcpu *v)
{
	uint64_t *g = v->regs.gpr;
	uint32_t leaf = (uint32_t)g[X86_RAX], sub = (uint32_t)g[X86_RCX];

	if (leaf >= HV_CPUID_BASE && leaf <= HV_CPUID_BASE + 0xFF)
		set_result(g, hypervisor_leaf(leaf));
	else if (__builtin_expect(leaf_changed(leaf), 0))
		changed_leaf(v, leaf, sub);
	else
		set_result(g, cpuid(leaf, sub));
	v->regs.rip += CPUID_INSN_LEN;
}
