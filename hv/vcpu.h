/* SPDX-License-Identifier: GPL-2.0-only */
/* One virtual CPU: the guest state the common exit code works on, and what the
 * backend needs to run it. One per logical CPU; vCPU i runs on CPU i. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/event.h"
#include "hv/spinlock.h"
#include "hv/exit/exit_kind.h"
#include "hv/x86/fetch64.h"
#include "hv/x86/regs.h"

/* An exception the common code raised, for the next guest entry (hv/exit/event.c
 * turns it into a struct hv_event there). */
struct vcpu_exception {
	bool pending;
	uint8_t vector;
	uint32_t error; /* pushed when the vector has one (hv/exit/event.h decides) */
	bool set_cr2;	/* #PF: the guest's CR2 takes this first */
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
	uint64_t exit_rip; /* RIP at the exit: moved means the instruction completed */
	struct vcpu_exception event;
	/* The event whose delivery the exit cut short (the backend decodes it at
	 * the exit); hv/exit/event.c delivers it again. */
	struct hv_event interrupted;
	bool nmi_window; /* the backend was asked for an NMI window */
	uint64_t nested_generation; /* the nested-paging change this vCPU has flushed */
	enum vcpu_state state;
	char stop_reason[32]; /* why it is VCPU_STOPPED, for "cpus" (vcpu_stop) */
	/* Stopped and waiting on its own CPU with its full state in regs
	 * (vcpu_park): the debug console may read regs from any CPU. */
	volatile bool parked;
	/* INIT and SIPI (hv/exit/ipi.c). start_lock orders the senders against
	 * this vCPU entering and leaving the wait for SIPI: state (WAIT_FOR_SIPI)
	 * and the four fields below change under it. */
	struct spinlock start_lock;
	uint8_t sipi_vector;
	volatile bool sipi_pending;
	/* Set by the CPU that sent this vCPU an INIT while it ran, with one NMI
	 * that brings it to the host; that NMI is then consumed as the INIT. */
	volatile bool init_pending;
	/* An INIT sent while it waited for a SIPI: it waits on, reset again. */
	bool init_again;
	/* A real INIT reset the CPU itself (hv/rejoin.h): it waits in the real
	 * wait-for-SIPI, out of the hypervisor, until a SIPI brings it back. */
	volatile bool real_wait;
	/* The vector of the last SIPI sent to it: the one a CPU that a real
	 * INIT reset unseen starts at when it comes back. */
	uint8_t rejoin_vector;
	/* The guest's xAPIC logical destination registers, for INIT and SIPI sent
	 * to a logical destination (hv/exit/ipi.c): read at take-over, recorded
	 * as the guest writes them through the trapped xAPIC page
	 * (hv/dev/lapic.c), reset by INIT. Only this CPU's APIC holds the real
	 * ones, so the sender could not read them. */
	uint32_t xapic_ldr, xapic_dfr;
	/* Set by the debug console before the NMI that brings this vCPU to the
	 * host (hv/exit/stop_kick.h); that NMI is consumed, not the guest's. */
	volatile bool stop_kick;
	/* Stopped by the debug console itself (not by a watchpoint or device):
	 * resumes on its own when the console is no longer active. */
	bool console_stop;
	/* Set by the host's NMI handler (VMX), re-injected at the next entry. */
	volatile bool nmi_pending;
	/* Nonzero: the exit tail has events to look at (hv_exit_events): an
	 * exception raised (event.pending), an event the exit cut short
	 * (interrupted.valid), an NMI for the guest (nmi_pending) or its
	 * window asked for (nmi_window). Whoever sets one of those raises it
	 * after (vcpu_events_raise), so the common exit tests one word
	 * instead of four flags; the tail clears it before it looks. */
	uint32_t events_raised;
	/* The exits by kind (hv/exit/exit_kind.h); their sum is all of them
	 * (vcpu_exits): one counter less on every exit. */
	uint64_t exit_kinds[HV_EXIT_KINDS];
};

static inline uint64_t vcpu_exits(const struct vcpu *v)
{
	uint64_t n = 0;
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		n += v->exit_kinds[k];
	return n;
}

/* After setting event.pending, interrupted.valid, nmi_pending or nmi_window
 * (struct vcpu.events_raised). Release: the flag is visible first. */
static inline void vcpu_events_raise(struct vcpu *v)
{
	__atomic_store_n(&v->events_raised, 1, __ATOMIC_RELEASE);
}

struct vcpu *vcpu_of(unsigned index);
/* Stops the vCPU before its next entry until the debug console's "continue";
 * WHY (printf-style) is what "cpus" shows. */
void vcpu_stop(struct vcpu *v, const char *why, ...) __attribute__((format(printf, 2, 3)));

/* A stopped vCPU, on its own CPU, before it waits: loads its full state (the
 * backend reads it on this CPU only: VMREAD) and marks it parked; unpark when
 * it goes on. */
void vcpu_park(struct vcpu *v);
void vcpu_unpark(struct vcpu *v);

/* The backend's hooks (hv/vendor.h), for the code that sees only struct vcpu. */
void vcpu_load_full_state(struct vcpu *v);
void vcpu_code_state(struct vcpu *v, struct x86_code_state *cs);

static inline void vcpu_full_state(struct vcpu *v)
{
	if (!v->full_state) {
		vcpu_load_full_state(v);
		v->full_state = true;
	}
}

/* Queues an exception for the next entry (an earlier one is replaced: the common
 * code raises at most one per exit). Whether it pushes error is decided at the
 * entry, from the vector and the guest's mode (hv/exit/event.h). */
void hv_raise_exception(struct vcpu *v, uint8_t vector, uint32_t error);

/* The older spelling: has_error is no longer the caller's to decide (the
 * architecture does, hv/exit/event.h), so it is ignored. */
static inline void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error,
					 uint32_t error)
{
	(void)has_error;
	hv_raise_exception(v, vector, error);
}

#endif
