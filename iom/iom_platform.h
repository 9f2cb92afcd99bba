/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/iom_platform.h - everything iom/ needs from the environment it runs in.
 *
 * The hypervisor implements these; the host unit tests implement them in
 * test/unit/iom_test_platform.h. Nothing else in iom/ reaches outside iom/.
 */
#ifndef IOM_IOM_PLATFORM_H
#define IOM_IOM_PLATFORM_H

#include <stdint.h>

/*
 * Logs one line (no trailing newline in fmt) about something that went
 * wrong: a handler returned a status it may not, the backend broke the
 * dispatch contract, an intercept hook failed. Called from any CPU, in exit
 * context too, so it must not block; dropping lines under pressure is fine.
 * Formats use only %d %u %x %lx %lu %ld %llx %llu %p %s %c.
 */
void iom_platform_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Called in every busy-wait loop of the IOM (registration spinlock, lock-free
 * readers waiting for a writer to finish). Should execute PAUSE and may
 * service requests from other CPUs (e.g. TLB shootdowns an intercept hook is
 * waiting for), so a CPU spinning here never deadlocks one that holds the
 * lock. Must not call into the IOM.
 */
void iom_platform_relax(void);

/*
 * A cheap, monotonic per-CPU clock for the TIME counters (the hypervisor
 * reads the TSC). Called twice around every delivery to a range, in exit
 * context too, so it must be fast and must not block. Only differences
 * between two calls on the same CPU are used; the unit is the platform's.
 */
uint64_t iom_platform_timestamp(void);

/*
 * A write was queued on cpu's deferred queue, by cpu itself (exit context):
 * the platform must call iom_drain_deferred(cpu) before that CPU's next guest
 * entry. Called on every write queued, after it is in the queue, so the
 * platform need not poll iom_deferred_count on every entry. Must be fast and
 * must not call into the IOM.
 */
void iom_platform_deferred_queued(unsigned cpu);

#endif
