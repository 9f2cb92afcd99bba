/* The rare steps of the exit tail (hv/exit_tail.h). */
#include "hv/exit_tail.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/reset.h"

/* An INIT whose NMI the host took while it ran (hv/host.c marks NMIs taken in
 * the host as the guest's): the same as the NMI exit. */
void hv_exit_take_init(struct vcpu *v)
{
	if (__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE))
		hv_nmi_is_init(v);
}

/* Stopped by a device or the debug console: the debug console's "continue"
 * (another CPU) sets the state back. */
void hv_exit_wait_while_stopped(struct vcpu *v)
{
	while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_STOPPED) {
		hv_check_panic();
		cpu_relax();
	}
}
