/* SPDX-License-Identifier: GPL-2.0-only */
/* What the IOM needs from the hypervisor (iom/iom_platform.h). */
#include <stdarg.h>
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/exit/entry_work.h"
#include "iom/iom_platform.h"

void iom_platform_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
}

void iom_platform_relax(void)
{
	cpu_relax();
}

/* The TSC: cheap, and constant-rate on every CPU this runs on in practice;
 * the IOM only adds up differences taken on one CPU. */
uint64_t iom_platform_timestamp(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Drained before the CPU's next entry (hv/exit/exit.c), which looks only at
 * the pending word. */
void iom_platform_deferred_queued(unsigned cpu)
{
	entry_work_raise(cpu);
}
