/* SPDX-License-Identifier: GPL-2.0-only */
/* The state after INIT and SIPI (built by hv/exit/reset.c), written into the VMCB.
 * SVM has no wait-for-SIPI state: the INIT intercept (or the NMI that carries
 * an INIT, hv/exit/ipi.h) brings the CPU to the host, which waits there for the
 * SIPI and then loads this. */
#include "hv/exit/reset.h"
#include "svm/svm.h"

void svm_write_reset_state(struct vcpu *v, const struct hv_reset_state *s)
{
	struct vmcb *vmcb = vmcb_of(v);
	struct vmcb_save *g = &vmcb->save;

	svm_seg_to_vmcb(&g->es, &s->seg[X86_ES]);
	svm_seg_to_vmcb(&g->cs, &s->seg[X86_CS]);
	svm_seg_to_vmcb(&g->ss, &s->seg[X86_SS]);
	svm_seg_to_vmcb(&g->ds, &s->seg[X86_DS]);
	svm_seg_to_vmcb(&g->fs, &s->seg[X86_FS]);
	svm_seg_to_vmcb(&g->gs, &s->seg[X86_GS]);
	svm_seg_to_vmcb(&g->ldtr, &s->ldtr);
	svm_seg_to_vmcb(&g->tr, &s->tr);
	g->gdtr = (struct vmcb_seg){ .limit = s->gdtr_limit, .base = s->gdtr_base };
	g->idtr = (struct vmcb_seg){ .limit = s->idtr_limit, .base = s->idtr_base };
	g->cpl = 0;
	g->efer = s->efer | X86_EFER_SVME; /* SVME is the hypervisor's (VMRUN needs it) */
	g->cr0 = s->cr0;
	g->cr2 = s->cr2;
	g->cr3 = s->cr3;
	g->cr4 = s->cr4;
	g->dr6 = s->dr6;
	g->dr7 = s->dr7;
	g->g_pat = s->pat;
	vmcb->control.event_inj = 0;
	vmcb->control.int_state = 0;
	vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	svm_nmi_reset(v);
}
