/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/stop_kick.h"
#include "hv/cpu.h"
#include "hv/exit/ipi.h"
#include "hv/exit/reset.h"
#include "hv/percpu.h"
#include "hv/rejoin.h"

/* The host's own NMI IPI, physical destination. In xAPIC mode the
 * destination lies in ICR high, which the guest on this CPU may have written
 * for an IPI whose ICR low write is still to come: it gets its value back
 * (SDM Vol. 3A §11.6.1: ICR high is read/write). */
static void send_nmi(uint64_t apic, uint32_t apic_id)
{
	bool x2apic = apic & APIC_BASE_X2APIC;
	uint64_t icr = hv_nmi_icr(apic_id, x2apic);
	if (x2apic) {
		wrmsr(MSR_X2APIC_ICR, icr);
		return;
	}
	volatile uint32_t *high = (volatile uint32_t *)((apic & APIC_BASE_ADDR_MASK) +
							APIC_REG_ICR_HIGH);
	volatile uint32_t *low = (volatile uint32_t *)((apic & APIC_BASE_ADDR_MASK) +
						       APIC_REG_ICR_LOW);
	uint32_t guest_high = *high;
	*high = (uint32_t)(icr >> 32);
	*low = (uint32_t)icr;
	*high = guest_high;
}

void hv_stop_kick(struct vcpu *v)
{
	/* No local APIC on: no IPI, and no mark an NMI of the guest's would
	 * then be taken for. */
	uint64_t apic = rdmsr(MSR_IA32_APIC_BASE);
	if (!(apic & APIC_BASE_ENABLE) || hv_in_real_wait(v))
		return;
	__atomic_store_n(&v->stop_kick, true, __ATOMIC_RELEASE);
	send_nmi(apic, percpu_apic_id(v->index));
}

bool hv_stop_kick_take(struct vcpu *v)
{
	return __atomic_exchange_n(&v->stop_kick, false, __ATOMIC_ACQ_REL);
}

bool hv_nmi_for_host(struct vcpu *v)
{
	return hv_nmi_is_init(v) || hv_stop_kick_take(v);
}
