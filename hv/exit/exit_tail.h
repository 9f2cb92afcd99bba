/* SPDX-License-Identifier: GPL-2.0-only */
/* The common end of every exit, called last by each backend's exit handler
 * with its own ops table (a constant, so that the hooks below become direct
 * calls the compiler can inline: this runs on every exit):
 *   1. an INIT that arrived as a host NMI is taken (hv/exit/reset.h);
 *   2. deferred IOM writes, trace records, the debug console;
 *   3. a stopped vCPU waits here until it is continued;
 *   (1 to 3 are hv_before_entry's, asked through the entry-work deadline
 *   that whoever sets nmi_pending or stops the vCPU raises: one test for
 *   the three, hv/exit/entry_work.h)
 *   4. an instruction the hypervisor completed with RFLAGS.TF set gets its
 *      single-step trap; the backend stores RIP, RSP, RFLAGS (store_regs),
 *      ending the interrupt shadow when the instruction completed;
 *   5. events, when any is pending or an NMI window is open: hv_deliver_events
 *      (hv/exit/event.c), asked through one word (struct vcpu.events_raised)
 *      that whoever sets the flags raises;
 *   6. the guest TLB is flushed when the nested page tables changed.
 * The rare steps are out of line (hv/exit/exit_tail.c, hv/exit/event.c). */
#ifndef HV_EXIT_TAIL_H
#define HV_EXIT_TAIL_H

#include "hv/exit/entry_work.h"
#include "hv/exit/exit.h"
#include "hv/vendor.h"

/* Steps 1 and 3, and step 5 (hv/exit/event.c). */
void hv_exit_take_init(struct vcpu *v);
void hv_exit_wait_while_stopped(struct vcpu *v);
void hv_deliver_events(struct vcpu *v);
void hv_exit_events(struct vcpu *v);
void hv_exit_single_step(struct vcpu *v);

/* An NMI for the vCPU (or the INIT it may carry, hv/exit/ipi.h), from the
 * host's NMI handler or an NMI exit: the events word and the entry work are
 * raised, so that the tail below looks at both. */
static inline void vcpu_nmi_pend(struct vcpu *v)
{
	v->nmi_pending = true;
	vcpu_events_raise(v);
	entry_work_raise(v->index);
}

static inline void hv_exit_finish(struct vcpu *v, const struct vendor_ops *ops)
{
	hv_before_entry(v); /* steps 1 to 3 */
	bool completed = v->regs.rip != v->exit_rip;
	if (__builtin_expect(completed && (v->regs.rflags & X86_RFLAGS_TF), 0))
		hv_exit_single_step(v);
	ops->store_regs(v, completed);
	if (__builtin_expect(__atomic_load_n(&v->events_raised, __ATOMIC_ACQUIRE), 0))
		hv_exit_events(v);
	uint64_t gen = ops->nested_generation();
	if (__builtin_expect(gen != v->nested_generation, 0)) {
		v->nested_generation = gen;
		ops->flush_nested_tlb(v);
	}
}

#endif
