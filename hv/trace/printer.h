/* SPDX-License-Identifier: GPL-2.0-only */
/* Tracing of guest I/O: devices record accesses in exit context (hv/trace/ring.h);
 * the deferred-work step before each guest entry prints what is new, when
 * printing is on ("trace on", the default). Console output never happens in exit
 * context. */
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/trace/ring.h"

void trace_record(unsigned cpu, enum trace_kind kind, bool write, uint64_t addr, unsigned size,
		  uint64_t value);
/* The same, naming the rule (1-based) whose action recorded the access. */
void trace_record_for_rule(unsigned cpu, unsigned rule, enum trace_kind kind, bool write,
			   uint64_t addr, unsigned size, uint64_t value);
void trace_set_printing(bool on);
/* Prints a few of this CPU's new records (and how many were lost), oldest
 * first; the rest at later calls. Deferred context, before each guest entry. */
void trace_drain(unsigned cpu);
/* Lists every CPU's recorded history, oldest first ("trace show"). */
void trace_show(void);

#endif
