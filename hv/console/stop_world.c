/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/stop_world.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/exit/stop_kick.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/rejoin.h"
#include "hv/tsc_rate.h"
#include "hv/vcpu.h"

static volatile uint64_t began; /* TSC at the activation */
static volatile bool kicked[HV_MAX_CPUS];
static volatile bool stopped_now;
static uint64_t stopped_before; /* the ticks of the sessions that ended */

void stop_world_begin(void)
{
	for (unsigned i = 0; i < HV_MAX_CPUS; i++)
		kicked[i] = false;
	__atomic_store_n(&began, rdtsc(), __ATOMIC_RELEASE);
	stopped_now = true;
}

void stop_world_end(void)
{
	stopped_before += rdtsc() - began;
	stopped_now = false;
}

uint64_t stop_world_stopped_ticks(void)
{
	return stopped_before + (stopped_now ? rdtsc() - began : 0);
}

void stop_world_poll(void)
{
	if (rdtsc() - __atomic_load_n(&began, __ATOMIC_ACQUIRE) < tsc_mhz() * 1000 * STOP_KICK_MS ||
	    console_guest_line_open()) /* the vCPUs go on until it ends */
		return;
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		/* Not taken over, waiting for a SIPI (in the host already), or
		 * stopped: nothing to bring out. */
		if (i == hv_cpu_index() || !v->arch ||
		    __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_RUNNING)
			continue;
		if (!__atomic_exchange_n(&kicked[i], true, __ATOMIC_ACQ_REL))
			hv_stop_kick(v);
	}
}

/* The vCPUs the hypervisor runs that are not waiting for a SIPI; *parked of
 * them parked. */
static unsigned count(unsigned *parked)
{
	unsigned n = 0;
	*parked = 0;
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		if (!v->arch || __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_WAIT_FOR_SIPI ||
		    hv_in_real_wait(v)) /* out of the hypervisor until a SIPI: hv/rejoin.h */
			continue;
		n++;
		if (__atomic_load_n(&v->parked, __ATOMIC_ACQUIRE))
			(*parked)++;
	}
	return n;
}

unsigned stop_world_wait(unsigned *total)
{
	uint64_t start = rdtsc(), limit = tsc_mhz() * 1000 * STOP_WAIT_MS;
	unsigned parked;
	while ((*total = count(&parked)) != parked && rdtsc() - start < limit) {
		stop_world_poll();
		hv_check_panic();
		cpu_relax();
	}
	return parked;
}
