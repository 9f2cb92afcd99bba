/* SPDX-License-Identifier: GPL-2.0-only */
/* The rare steps of the exit tail (hv/exit/exit_tail.h). */
#include "hv/exit/exit_tail.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/exit/reset.h"

/* An INIT whose NMI the host took while it ran (hv/host.c marks NMIs taken in
 * the host as the guest's): the same as the NMI exit. */
void hv_exit_take_init(struct vcpu *v)
{
	if (__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE))
		hv_nmi_is_init(v);
}

/* The instruction the hypervisor completed for the guest ran with RFLAGS.TF
 * set: the CPU would raise the single-step trap after it, with DR6.BS set
 * (SDM Vol. 3B §18.3.1.4, §18.2.3), unless it faulted (an exception is
 * pending, and RIP moved only for an INIT or SIPI, whose state has TF clear). */
void hv_exit_single_step(struct vcpu *v)
{
	if (v->event.pending)
		return;
	if (!hv_vendor->pend_single_step(v))
		hv_raise_exception(v, X86_EXC_DB, 0);
}

/* Stopped by a device or the debug console: the debug console's "continue"
 * (another CPU) sets the state back. */
void hv_exit_wait_while_stopped(struct vcpu *v)
{
	vcpu_park(v);
	while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_STOPPED) {
		hv_check_panic();
		cpu_relax();
	}
	vcpu_unpark(v);
}
