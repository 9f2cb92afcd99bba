/* SPDX-License-Identifier: GPL-2.0-only */
/* The task-switch hooks (hv/vendor.h) for SVM. SVM performs task switches
 * itself unless the task-switch intercept is set (APM Vol. 2, Table B-1:
 * intercept vector 3, bit 29), and iomvisor never sets it (svm.c): these
 * keep the vendor table whole and mirror VMX. */
#include "svm/svm.h"

void svm_load_task_state(struct vcpu *v, struct x86_task_sys *s)
{
	const struct vmcb_save *g = &vmcb_of(v)->save;

	s->gdtr_base = g->gdtr.base;
	s->gdtr_limit = g->gdtr.limit;
	s->ldtr = (struct x86_segment){ .selector = g->ldtr.selector,
					.base = g->ldtr.base,
					.limit = g->ldtr.limit,
					.attr = x86_seg_attr_from_svm(g->ldtr.attrib) };
	s->dr7 = g->dr7;
}

void svm_write_task_state(struct vcpu *v, const struct x86_task_sys *s, enum hv_nmi_change nmi)
{
	struct vmcb *vmcb = vmcb_of(v);
	struct vmcb_save *g = &vmcb->save;
	const struct x86_regs *r = &v->regs;
	struct vmcb_seg *segs[X86_NR_SREGS] = { &g->es, &g->cs, &g->ss, &g->ds, &g->fs, &g->gs };

	(void)nmi; /* no task switch exits: no NMI delivered through one */
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		svm_seg_to_vmcb(segs[i], &r->seg[i]);
	svm_seg_to_vmcb(&g->ldtr, &s->ldtr);
	svm_seg_to_vmcb(&g->tr, &r->tr);
	g->cpl = r->cpl;
	g->cr0 = r->cr0;
	g->cr3 = r->cr3;
	g->dr7 = s->dr7;
	if (s->debug_trap)
		g->dr6 |= X86_DR6_BT;
	vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
}
