/* SPDX-License-Identifier: GPL-2.0-only */
/* Tracing of guest I/O: devices record accesses in exit context (hv/trace/ring.h);
 * the deferred-work step before each guest entry decodes what is new
 * (hv/trace/decode/), counts it per register (hv/trace/stats.h) and prints
 * what the filters and the per-register limit let through (hv/trace/filter.h),
 * in the line format of hv/trace/line.h, when printing is on ("trace on", the
 * default). A record that will not print and whose register its address
 * names (trace_stats_account_quiet) is counted at once in exit context
 * instead, undecoded, when no earlier record waits. Console output never
 * happens in exit context. */
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/trace/filter.h"
#include "hv/trace/ring.h"

void trace_record(unsigned cpu, enum trace_kind kind, bool write, uint64_t addr, unsigned size,
		  uint64_t value);
/* The same, naming the rule (1-based) whose action recorded the access. */
void trace_record_for_rule(unsigned cpu, unsigned rule, enum trace_kind kind, bool write,
			   uint64_t addr, unsigned size, uint64_t value);
/* The same for the rules in the set `rules` (bit i: rule i + 1; not 0)
 * whose log matched vCPU v's port access (size 1, 2 or 4), one record
 * each, in rule-number order: the port plans' call on the exit path, which
 * knows the vCPU (its CPU and RIP). */
struct vcpu;
void trace_log_port(const struct vcpu *v, uint64_t rules, bool write, uint16_t port, unsigned size,
		    uint32_t value);
void trace_set_printing(bool on);
/* Filters and limit from the configuration (before the take-over). */
void trace_configure(const struct trace_config *c);
/* The console's "trace filter ..." and "trace limit ...": NULL or what is
 * wrong; *handled false when the words are neither. */
const char *trace_config_command(char *const *words, unsigned n, bool *handled);
/* Lists the filters and the limit. */
void trace_list_config(void);
/* Decodes and prints a few of this CPU's new records (and how many were lost,
 * and the summaries of suppressed floods), oldest first; the rest at later
 * calls. Deferred context, before each guest entry. */
void trace_drain(unsigned cpu);
/* Has trace_drain work left on this CPU (records, a summary due)? */
bool trace_pending(unsigned cpu);
/* TSC: when this CPU's flood window ends and its summary falls due (a poll;
 * all ones: none). */
uint64_t trace_poll_at(unsigned cpu);
/* Lists every CPU's recorded history, oldest first ("trace show"). */
void trace_show(void);
/* The most accessed registers since the last call ("trace top"). */
void trace_top(void);

#endif
