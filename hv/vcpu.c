/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/entry_work.h"
#include <stdarg.h>
#include <stddef.h>
#include "hv/format.h"
#include "hv/vcpu.h"
#include "hv/vcpu_asm.h"
#include "hv/percpu.h"
#include "hv/vendor.h"

_Static_assert(offsetof(struct vcpu, ctl_pa) == VCPU_CTL_PA, "vcpu_asm.h out of date");
_Static_assert(offsetof(struct vcpu, host_state_pa) == VCPU_HOST_STATE_PA,
	       "vcpu_asm.h out of date");
_Static_assert(offsetof(struct vcpu, regs.gpr) == VCPU_GPR(0), "vcpu_asm.h out of date");

static struct vcpu vcpus[HV_MAX_CPUS];

struct vcpu *vcpu_of(unsigned index)
{
	return index < HV_MAX_CPUS ? &vcpus[index] : NULL;
}

void hv_raise_exception(struct vcpu *v, uint8_t vector, uint32_t error)
{
	v->event = (struct vcpu_exception){ .pending = true, .vector = vector, .error = error };
	vcpu_events_raise(v);
}

void vcpu_load_full_state(struct vcpu *v)
{
	hv_vendor->load_full_state(v);
}

void vcpu_code_state(struct vcpu *v, struct x86_code_state *cs)
{
	hv_vendor->load_code_state(v, cs);
}

void vcpu_stop(struct vcpu *v, const char *why, ...)
{
	va_list ap;
	va_start(ap, why);
	fmt_vsnprintf(v->stop_reason, sizeof(v->stop_reason), why, ap);
	va_end(ap);
	v->state = VCPU_STOPPED;
	entry_work_raise(v->index); /* the vCPU stops before its next entry */
}

void vcpu_park(struct vcpu *v)
{
	if (v->parked)
		return;
	vcpu_full_state(v);
	__atomic_store_n(&v->parked, true, __ATOMIC_RELEASE);
}

void vcpu_unpark(struct vcpu *v)
{
	__atomic_store_n(&v->parked, false, __ATOMIC_RELEASE);
}
