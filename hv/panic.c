/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdarg.h>
#include "hv/panic.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/format.h"
#include "hv/percpu.h"
#include <stdbool.h>

volatile int hv_panicking;

/* An NMI to all CPUs but this one (ICR: delivery mode NMI, level assert,
 * shorthand "all excluding self"; SDM Vol. 3A §11.6.1). In the guest or in
 * the host, the other CPUs then stop too. */
#define ICR_NMI_ALL_BUT_SELF                                                   \
	((uint32_t)(ICR_DELIVERY_NMI << 8 | ICR_LEVEL_ASSERT |                 \
		    ICR_SHORTHAND_ALL_BUT_SELF << 18))

static void stop_other_cpus(void)
{
	uint64_t apic = rdmsr(MSR_IA32_APIC_BASE);
	if (!(apic & APIC_BASE_ENABLE))
		return;
	if (apic & APIC_BASE_X2APIC)
		wrmsr(MSR_X2APIC_ICR, ICR_NMI_ALL_BUT_SELF);
	else
		*(volatile uint32_t *)((apic & APIC_BASE_ADDR_MASK) + APIC_REG_ICR_LOW) =
			ICR_NMI_ALL_BUT_SELF;
}

void hv_check_panic(void)
{
	if (__atomic_load_n(&hv_panicking, __ATOMIC_ACQUIRE))
		cpu_halt_forever();
}

_Noreturn void panic(const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	__asm__ volatile("cli" ::: "memory");
	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);

	/* The first CPU to panic owns the console even if another CPU died while
	 * holding its lock, and stops the others; a later panic only reports. */
	bool first = __atomic_exchange_n(&hv_panicking, 1, __ATOMIC_ACQ_REL) == 0;
	if (first) {
		console_force_unlock();
		stop_other_cpus();
	}
	con_printf("\niomvisor[%u] PANIC: %s\niomvisor[%u] PANIC: %s\n", hv_cpu_index(), reason,
		   hv_cpu_index(), first ? "the machine is stopped" : "this CPU is stopped");
	cpu_halt_forever();
}
