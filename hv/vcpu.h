/* One virtual CPU: the guest state the common exit code works on, and what the
 * backend needs to run it. One per logical CPU; vCPU i runs on CPU i. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/x86/fetch64.h"
#include "hv/x86/regs.h"

/* An event to deliver at the next guest entry (exception or NMI). */
struct hv_event {
	bool pending;
	uint8_t vector;
	bool is_nmi;
	bool has_error;
	uint32_t error;
	bool set_cr2; /* #PF: the guest's CR2 takes this first */
	uint64_t cr2;
};

enum vcpu_state {
	VCPU_RUNNING,
	VCPU_WAIT_FOR_SIPI, /* after INIT, as a real CPU */
	VCPU_STOPPED,	    /* stopped by a device or the debug console */
};

struct vcpu {
	/* Read by the run loops in assembly (hv/vcpu_asm.h): keep these first. */
	uint64_t ctl_pa;	/* VMCB (SVM) or VMCS (VMX) physical address */
	uint64_t host_state_pa; /* SVM: the host's VMSAVE area; VMX: unused */
	struct x86_regs regs; /* guest registers at an exit; GPRs kept by the run loop */

	unsigned index;
	void *arch; /* struct svm_vcpu / struct vmx_vcpu */
	/* After an exit regs holds the GPRs, RIP, RFLAGS and CPL; the control
	 * registers, EFER, segments and PDPTEs only once vcpu_full_state() asked
	 * the backend for them. Most exits (CPUID, port I/O, hypercalls) never
	 * need them, and reading them costs (some 35 VMREADs on VMX). */
	bool full_state;
	void (*load_full_state)(struct vcpu *v);
	/* Just CR3, CR4, EFER and CS's attributes, for the MMIO fast path's
	 * fetch (hv/mmio_fast.c): a few loads on SVM, four VMREADs on VMX. */
	void (*load_code_state)(struct vcpu *v, struct x86_code_state *cs);
	struct hv_event event;
	enum vcpu_state state;
	uint8_t sipi_vector;
	volatile bool sipi_pending;
	/* Set by the CPU that sent this vCPU an INIT (hv/ipi.c); the NMI that
	 * brings it to the host is then consumed as that INIT. */
	volatile bool init_pending;
	/* Set by the host's NMI handler (VMX), re-injected at the next entry. */
	volatile bool nmi_pending;
	uint64_t exits;
};

struct vcpu *vcpu_of(unsigned index);

static inline void vcpu_full_state(struct vcpu *v)
{
	if (!v->full_state) {
		v->load_full_state(v);
		v->full_state = true;
	}
}

/* Queues an exception for the next entry (an earlier one is replaced: the common
 * code raises at most one per exit). */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

#endif
