#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdint.h>
#include "hv/vcpu.h"
#include "svm/vmcb.h"

struct svm_vcpu {
	struct vmcb *vmcb;
	void *host_save;  /* VM_HSAVE_PA area: VMRUN's own save of the host */
	void *host_state; /* VMSAVE area for the host's FS, GS, TR, LDTR, ... */
	uint64_t npt_generation; /* the nested-paging change this vCPU has flushed */
};

static inline struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->vmcb;
}

/* run.S */
_Noreturn void svm_enter(struct vcpu *v, uint64_t host_stack_top);
/* init_sipi.c: an INIT exit; returns with the vCPU at its SIPI vector */
void svm_exit_init(struct vcpu *v, struct vmcb *vmcb);
void svm_exit_nmi(struct vcpu *v, struct vmcb *vmcb);
/* exit.c: the guest state the fast path does not load (hv/vcpu.h) */
void svm_load_full_state(struct vcpu *v);
void svm_load_code_state(struct vcpu *v, struct x86_code_state *cs);
/* exit.c, called by run.S after every #VMEXIT */
void svm_handle_exit(struct vcpu *v);

#endif
