#include <stddef.h>
#include "hv/vcpu.h"
#include "hv/vcpu_asm.h"
#include "hv/percpu.h"

_Static_assert(offsetof(struct vcpu, ctl_pa) == VCPU_CTL_PA, "vcpu_asm.h out of date");
_Static_assert(offsetof(struct vcpu, host_state_pa) == VCPU_HOST_STATE_PA,
	       "vcpu_asm.h out of date");
_Static_assert(offsetof(struct vcpu, regs.gpr) == VCPU_GPR(0), "vcpu_asm.h out of date");

static struct vcpu vcpus[HV_MAX_CPUS];

struct vcpu *vcpu_of(unsigned index)
{
	return index < HV_MAX_CPUS ? &vcpus[index] : NULL;
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	v->event = (struct hv_event){ .pending = true, .vector = vector, .has_error = has_error,
				      .error = error };
}
