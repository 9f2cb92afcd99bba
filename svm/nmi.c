/* SPDX-License-Identifier: GPL-2.0-only */
/* NMI blocking on SVM. After delivering an NMI the CPU blocks further NMIs
 * until the handler's IRET retires (SDM Vol. 3A §6.7.1; APM Vol. 2 §8.2.9).
 * VMRUN's event injection does not record that for the guest (without the
 * vNMI extension, APM Vol. 2 §15.21.10), so the hypervisor tracks it: an
 * injected NMI blocks; the IRET is intercepted (§15.9: the exit comes before
 * the IRET executes, and without NRIP save its end is unknown), and the block
 * ends at the first later exit whose RIP is elsewhere. When an NMI waits for
 * that moment, the IRET is single-stepped: TF is set for it (the trap follows
 * the IRET whatever RFLAGS it loads, SDM Vol. 3B §18.3.1.4) and #DB is
 * intercepted, giving an exit right after it. */
#include "hv/console/console.h"
#include "hv/exit/exit.h"
#include "svm/svm.h"

#define DB_INTERCEPT (1u << X86_EXC_DB)

/* Every exit: the IRET we waited for has retired once RIP moved off it. */
void svm_nmi_exit_begin(struct vcpu *v, const struct vmcb *vmcb)
{
	struct svm_vcpu *s = v->arch;
	if (s->awaiting_iret && vmcb->save.rip != s->iret_rip) {
		s->awaiting_iret = false;
		s->nmi_blocked = false;
	}
}

void svm_nmi_injected(struct vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	s->nmi_blocked = true;
	s->awaiting_iret = false;
	s->vmcb->control.intercept_misc1 |= SVM_INTERCEPT_IRET;
}

bool svm_nmi_blocked(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->nmi_blocked;
}

void svm_exit_iret(struct vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	s->vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	s->awaiting_iret = true;
	s->iret_rip = v->regs.rip;
}

/* An NMI waits while the guest blocks them: step over the IRET if it is the
 * next instruction; otherwise its intercept will come. */
void svm_nmi_window(struct vcpu *v, bool want)
{
	struct svm_vcpu *s = v->arch;
	struct vmcb *vmcb = s->vmcb;
	if (!want || !s->awaiting_iret || s->nmi_single_step)
		return;
	s->nmi_single_step = true;
	s->guest_tf = vmcb->save.rflags & X86_RFLAGS_TF;
	s->guest_dr6 = vmcb->save.dr6;
	vmcb->save.rflags |= X86_RFLAGS_TF;
	vmcb->control.intercept_exceptions |= DB_INTERCEPT;
}

/* The #DB intercept: ours after a stepped IRET. A guest that was single-
 * stepping itself gets its #DB as the CPU made it; otherwise DR6 is as it
 * was. */
void svm_exit_debug(struct vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	struct vmcb *vmcb = s->vmcb;
	vmcb->control.intercept_exceptions &= ~DB_INTERCEPT;
	if (s->nmi_single_step && !s->guest_tf) {
		vmcb->save.dr6 = s->guest_dr6;
		s->nmi_single_step = false;
		return;
	}
	s->nmi_single_step = false;
	hv_raise_exception(v, X86_EXC_DB, 0);
}

/* INIT: no NMI in service, nothing intercepted for it. */
void svm_nmi_reset(struct vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	s->nmi_blocked = s->awaiting_iret = s->nmi_single_step = false;
	s->vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	s->vmcb->control.intercept_exceptions &= ~DB_INTERCEPT;
}
