/* SPDX-License-Identifier: GPL-2.0-only */
/* The task-switch hooks (hv/vendor.h): the guest state a task switch reads and
 * writes beyond the usual, to and from the VMCS. The switch is hv/'s
 * (hv/exit/task_switch.c). */
#include "vmx/vmx.h"

void vmx_load_task_state(struct vcpu *v, struct x86_task_sys *s)
{
	(void)v;
	s->gdtr_base = vmread(GUEST_GDTR_BASE);
	s->gdtr_limit = (uint32_t)vmread(GUEST_GDTR_LIMIT);
	vmx_read_seg(&s->ldtr, VMCS_LDTR);
	s->dr7 = vmread(GUEST_DR7); /* loaded at entry: "load debug controls" */
}

void vmx_write_task_state(struct vcpu *v, const struct x86_task_sys *s, enum hv_nmi_change nmi)
{
	const struct x86_regs *r = &v->regs;

	/* SS.DPL is the CPL (§27.3.1.5): the segments carry it. */
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		vmx_write_seg(i, &r->seg[i]);
	vmx_write_seg(VMCS_LDTR, &s->ldtr);
	vmx_write_seg(VMCS_TR, &r->tr);
	if (r->cr0 != vmx_guest_cr0())
		vmx_write_cr0(v, r->cr0);
	if (s->cr3_loaded) {
		vmwrite(GUEST_CR3, r->cr3);
		/* With EPT and PAE paging the CPU takes the PDPTEs from the VMCS
		 * (§28.3.4); the switch loaded them. */
		if (r->pdpte_valid)
			for (unsigned i = 0; i < 4; i++)
				vmwrite(GUEST_PDPTE0 + 2 * i, r->pdpte[i]);
		vmx_flush_guest_tlb();
	}
	vmwrite(GUEST_DR7, s->dr7);
	if (s->debug_trap) {
		/* DR6 is not switched by VMX: the register is the guest's. */
		uint64_t dr6;
		__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
		__asm__ volatile("mov %0, %%dr6" ::"r"(dr6 | X86_DR6_BT));
	}
	if (nmi != HV_NMI_KEEP) {
		/* Blocking by NMI (§25.4.2, Table 25-3); with virtual NMIs it is
		 * the virtual blocking (§26.3). */
		uint64_t intr = vmread(GUEST_INTERRUPTIBILITY);
		intr = nmi == HV_NMI_BLOCK ? intr | INTERRUPTIBILITY_NMI
					   : intr & ~(uint64_t)INTERRUPTIBILITY_NMI;
		vmwrite(GUEST_INTERRUPTIBILITY, intr);
	}
}
