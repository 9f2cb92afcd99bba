/* SPDX-License-Identifier: GPL-2.0-only */
/* The state after INIT and SIPI (built by hv/exit/reset.c), written into the VMCS.
 * An INIT to a virtualized CPU arrives as an NMI exit with init_pending set
 * (hv/exit/ipi.h), a physical INIT as exit reason 3; the host waits for the SIPI and
 * loads this real-mode state, which unrestricted guest runs directly (SDM Vol.
 * 3C §27.3.1.1: CR0.PE and PG may be 0). */
#include "hv/exit/reset.h"
#include "vmx/vmx.h"

void vmx_write_reset_state(struct vcpu *v, const struct hv_reset_state *s)
{
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		vmx_write_seg(i, &s->seg[i]);
	vmx_write_seg(VMCS_LDTR, &s->ldtr);
	vmx_write_seg(VMCS_TR, &s->tr);
	vmwrite(GUEST_GDTR_BASE, s->gdtr_base);
	vmwrite(GUEST_GDTR_LIMIT, s->gdtr_limit);
	vmwrite(GUEST_IDTR_BASE, s->idtr_base);
	vmwrite(GUEST_IDTR_LIMIT, s->idtr_limit);

	/* EFER first: vmx_write_cr0 then sees no long mode to leave. CR4 as the
	 * guest sees it in the shadow, VMXE (CR4_FIXED0) underneath. */
	vmwrite(GUEST_IA32_EFER, s->efer);
	vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) & ~ENTRY_IA32E_MODE_GUEST);
	vmwrite(GUEST_CR3, s->cr3);
	vmwrite(CR4_READ_SHADOW, s->cr4);
	vmwrite(GUEST_CR4, s->cr4 | vmx_cfg.cr4_fixed0);
	vmx_write_cr0(v, s->cr0);
	/* CR2 and DR6 are not switched by VMX: the registers are the guest's. */
	__asm__ volatile("mov %0, %%cr2" ::"r"(s->cr2));
	__asm__ volatile("mov %0, %%dr6" ::"r"(s->dr6));
	vmwrite(GUEST_DR7, s->dr7);
	vmwrite(GUEST_IA32_PAT, s->pat);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmx_flush_guest_tlb();
}
