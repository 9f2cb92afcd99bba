/* The end of every exit, for both vendors: the backend's exit handler decoded
 * the exit and called the common handlers (hv/exit.h); this finishes the work
 * and leaves the VMCB or VMCS ready for the entry. */
#include "hv/exit_tail.h"
#include "hv/cpu.h"
#include "hv/exit.h"
#include "hv/panic.h"
#include "hv/reset.h"
#include "hv/vendor.h"

static __attribute__((noinline)) void wait_while_stopped(struct vcpu *v)
{
	/* Stopped by a device or the debug console: the debug console's
	 * "continue" (another CPU) sets the state back. */
	while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_STOPPED) {
		hv_check_panic();
		cpu_relax();
	}
}

void hv_exit_finish(struct vcpu *v)
{
	const struct vendor_ops *ops = hv_vendor;

	/* An INIT whose NMI the host took while it ran (hv/host.c marks NMIs
	 * taken in the host as the guest's): the same as the NMI exit. */
	if (v->nmi_pending && __atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE))
		hv_nmi_is_init(v);
	hv_before_entry(v);
	if (v->state == VCPU_STOPPED)
		wait_while_stopped(v);
	ops->store_regs(v, v->regs.rip != v->exit_rip);
	if (v->event.pending || v->interrupted.valid || v->nmi_pending || v->nmi_window)
		hv_deliver_events(v);
	uint64_t gen = ops->nested_generation();
	if (gen != v->nested_generation) {
		v->nested_generation = gen;
		ops->flush_nested_tlb(v);
	}
}
