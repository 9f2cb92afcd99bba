/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: the vCPUs, and resuming them. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/console/stop_world.h"
#include "hv/dev/vuart.h"
#include "hv/percpu.h"
#include "hv/vcpu.h"

static const char *state_name(enum vcpu_state s)
{
	switch (s) {
	case VCPU_RUNNING:
		return "running";
	case VCPU_WAIT_FOR_SIPI:
		return "wait-for-sipi";
	case VCPU_STOPPED:
		return "stopped";
	}
	return "?";
}

static void cpus(char *const *args, unsigned n)
{
	con_printf("vcpu  apic  state                    exits  last exit rip (why stopped)\n");
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		con_printf("%4u  %4u  %-13s %16lu  0x%lx", i, percpu_apic_id(i),
			   state_name(v->state), (unsigned long)vcpu_exits(v), (unsigned long)v->regs.rip);
		if (v->state == VCPU_STOPPED)
			con_printf(" (%s)", v->stop_reason);
		con_printf("\n");
	}
}

static void resume(char *const *args, unsigned n)
{
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		if (v->state == VCPU_STOPPED) {
			con_printf("vcpu %u resumes\n", i);
			__atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
		}
	}
	vuart_console_leave();
	log_info("debug console: left; serial input goes to the guest again");
	stop_world_end();
	console_debug_end(); /* what waited for the console comes out */
}

const struct debug_cmd debug_cmds_cpus[] = {
	{ "cpus", "", "each vCPU: APIC ID, state, exits, last RIP, why stopped", 0, 0, cpus },
	{ "continue", "", "resume the vCPUs; serial input goes to the guest again", 0, 0,
	  resume },
	{ 0 },
};
