/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/event.h"
#include "hv/exit/task_switch.h"
#include "hv/vcpu.h"
#include "hv/x86/task_switch.h"
#include "svm/vmcb.h"

struct svm_vcpu {
	struct vmcb *vmcb;
	void *host_save;  /* VM_HSAVE_PA area: VMRUN's own save of the host */
	void *host_state; /* VMSAVE area for the host's FS, GS, TR, LDTR, ... */
	/* NMI blocking, which SVM without vNMI leaves to software (svm/nmi.c). */
	bool nmi_blocked;    /* from an injected NMI until its IRET retired */
	bool awaiting_iret;  /* the IRET exit came; it retires when RIP moves */
	uint64_t iret_rip;
	bool nmi_single_step; /* TF set for the IRET, to exit right after it */
	bool guest_tf;	      /* the guest's own TF at that IRET */
	uint64_t guest_dr6;   /* DR6 before the single step */
};

static inline struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->vmcb;
}

/* struct x86_segment's attributes (VMX layout, hv/x86/regs.h) in the VMCB's
 * 12 bits: descriptor bits 52-55 move from 15:12 to 11:8. An unusable segment
 * has attributes 0 (P clear). */
static inline uint16_t svm_seg_attr(uint32_t attr)
{
	if (attr & X86_SEG_UNUSABLE)
		return 0;
	return (uint16_t)((attr & 0xFFu) | ((attr >> 4) & 0xF00u));
}

static inline void svm_seg_to_vmcb(struct vmcb_seg *d, const struct x86_segment *s)
{
	*d = (struct vmcb_seg){ .selector = s->selector, .attrib = svm_seg_attr(s->attr),
				.limit = s->limit, .base = s->base };
}

/* run.S */
_Noreturn void svm_enter(struct vcpu *v, uint64_t host_stack_top);
/* exit.c, called by run.S after every #VMEXIT */
void svm_handle_exit(struct vcpu *v);
/* exit.c: the vendor hooks of hv/vendor.h */
void svm_load_full_state(struct vcpu *v);
void svm_load_code_state(struct vcpu *v, struct x86_code_state *cs);
void svm_store_regs(struct vcpu *v, bool completed);
void svm_write_cr2(struct vcpu *v, uint64_t cr2);
/* A real INIT (svm/real_init.c, hv/rejoin.h): the INIT intercept, and the
 * vendor hook that takes the CPU back afterwards. */
void svm_exit_real_init(struct vcpu *v);
void svm_rejoin(struct vcpu *v, uint64_t stack_top);
bool svm_real_init_unseen(struct vcpu *v);
/* NMI blocking in software (svm/nmi.c). */
void svm_nmi_exit_begin(struct vcpu *v, const struct vmcb *vmcb);
void svm_nmi_injected(struct vcpu *v);
bool svm_nmi_blocked(struct vcpu *v);
void svm_exit_iret(struct vcpu *v);
void svm_exit_debug(struct vcpu *v);
void svm_nmi_reset(struct vcpu *v);
void svm_inject(struct vcpu *v, const struct hv_event *e);
void svm_nmi_window(struct vcpu *v, bool want);
uint64_t svm_nested_generation(void);
void svm_flush_nested_tlb(struct vcpu *v);
/* init_sipi.c */
struct hv_reset_state;
/* task_state.c: the task-switch hooks of hv/vendor.h */
void svm_load_task_state(struct vcpu *v, struct x86_task_sys *s);
void svm_write_task_state(struct vcpu *v, const struct x86_task_sys *s, enum hv_nmi_change nmi);
void svm_write_reset_state(struct vcpu *v, const struct hv_reset_state *s);

#endif
