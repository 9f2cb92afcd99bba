/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/entry_work.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/percpu.h"
#include "hv/trace/line.h"
#include "hv/trace/platform.h"
#include "hv/trace/printer.h"
#include "hv/trace/stats.h"
#include "hv/tsc_rate.h"
#include "hv/vcpu.h"

/* Lines printed before one guest entry at most. Printing happens with
 * interrupts off and waits for the UART (a line is some 130 bytes: ~11 ms at
 * 115200 baud), so a flood of records (one REP OUTS to a traced port records
 * up to the ring's 256) must not hold the vCPU for seconds: the rest goes out
 * at later entries, and what is overwritten meanwhile is counted as lost.
 * Records the filters or the per-register limit hold back cost no line. */
#define TRACE_LINES_PER_ENTRY 4
#define TRACE_TOP_ENTRIES 12

struct trace_cpu {
	struct trace_ring ring;
	struct trace_decoder decoder; /* fed this CPU's records in order */
	struct trace_stats stats;
	bool decoder_ready;
	bool window_open; /* the current window suppressed lines: a summary is due at its end */
};

static struct trace_cpu cpus[HV_MAX_CPUS];
static volatile bool printing = true;
static bool format_announced;
/* Changed by the console while other CPUs read it: a record decided during
 * the change may see half of it (it is printed or not; nothing else). */
static struct trace_config config;
/* The per-register limit in force (trace_config_limit), kept beside the
 * configuration so that the exit's count reads one word. */
static unsigned limit_now = TRACE_LIMIT_DEFAULT;
static uint64_t top_since; /* TSC of the last "trace top" */

void trace_set_printing(bool on)
{
	printing = on;
}

void trace_configure(const struct trace_config *c)
{
	config = *c;
	limit_now = trace_config_limit(&config);
}

const char *trace_config_command(char *const *words, unsigned n, bool *handled)
{
	const char *err = trace_config_apply(&config, words, n, handled);
	limit_now = trace_config_limit(&config);
	return err;
}

void trace_list_config(void)
{
	unsigned limit = trace_config_limit(&config);
	if (limit)
		con_printf("trace limit: %u lines per register per second\n", limit);
	else
		con_printf("trace limit: off\n");
	if (!config.nfilters)
		con_printf("trace filters: none (every record is printed)\n");
	for (unsigned i = 0; i < config.nfilters; i++) {
		char d[96];
		trace_filter_describe(&config.filters[i], d, sizeof(d));
		con_printf("trace filter %u: %s\n", i, d);
	}
}

static uint64_t window_ticks(void)
{
	return tsc_mhz() * 1000000; /* a second */
}

/* A new record that will not be printed, counted at once, in exit context,
 * when it needs no decoding (its key was remembered,
 * trace_stats_account_quiet): then it is consumed (printed = head) and no
 * deferred step waits for it, unless it is the first suppression of a
 * window (its summary's poll must be set). The flood limit holds most
 * records of a busy register back, and decoding each before the next entry
 * made a port read logged by a rule cost 3.7 times the read without rules.
 * False: the deferred step must run (a record that may print, one whose
 * register depends on the decoder's state, a new window). */
static inline __attribute__((always_inline)) bool account_at_once(struct trace_cpu *c,
								  const struct trace_record *r,
								  uint64_t head, unsigned limit,
								  bool print)
{
	bool suppressed;
	if (!trace_stats_account_quiet(&c->stats, r, limit, print, &suppressed))
		return false;
	c->ring.printed = head;
	if (suppressed && !c->window_open) {
		c->window_open = true;
		return false;
	}
	return true;
}

/* The same under filters: only what passes them counts towards the limit
 * and may print. Out of line (the common case has no filters), and it
 * raises the deferred step itself, so that the exit's call is its last. */
static __attribute__((noinline)) void finish_filtered(unsigned cpu, struct trace_cpu *c,
						      const struct trace_record *r, uint64_t head)
{
	bool pass = trace_filters_pass(&config, r);
	if (!account_at_once(c, r, head, pass ? limit_now : 0, printing && pass))
		entry_work_raise(cpu);
}

/* A record's fields, written in place (no struct built and copied). */
static inline __attribute__((always_inline)) void fill(struct trace_record *r, uint64_t tsc,
						       unsigned cpu, uint64_t rip, unsigned rule,
						       enum trace_kind kind, bool write,
						       uint64_t addr, unsigned size, uint64_t value)
{
	*r = (struct trace_record){
		.tsc = tsc,
		.rip = rip,
		.addr = addr,
		.value = value,
		.cpu = (uint16_t)cpu,
		.kind = (uint8_t)kind,
		.write = write,
		.size = (uint8_t)size,
		.rule = (uint16_t)rule,
	};
}

/* Appends a record to this CPU's ring, and counts it at once when nothing waits before it (no record,
 * lost count or summary: so the push loses nothing either), else raises the
 * deferred step, which decodes, counts and prints in order. Inlined into its
 * two callers, so that a rule's log, the hot one, takes the RIP from the
 * vCPU it was given instead of looking the vCPU up. */
static inline __attribute__((always_inline)) void record(unsigned cpu, uint64_t rip, unsigned rule,
							 enum trace_kind kind, bool write,
							 uint64_t addr, unsigned size,
							 uint64_t value)
{
	struct trace_cpu *c = &cpus[cpu];
	uint64_t head = c->ring.head;
	bool alone = head == c->ring.printed && !c->ring.lost && !c->stats.pending;
	struct trace_record *r = trace_ring_push(&c->ring);
	fill(r, rdtsc(), cpu, rip, rule, kind, write, addr, size, value);
	if (!alone)
		entry_work_raise(cpu);
	else if (config.nfilters)
		finish_filtered(cpu, c, r, head + 1);
	else if (!account_at_once(c, r, head + 1, limit_now, printing))
		entry_work_raise(cpu);
}

void trace_record_for_rule(unsigned cpu, unsigned rule, enum trace_kind kind, bool write,
			   uint64_t addr, unsigned size, uint64_t value)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	struct vcpu *v = vcpu_of(cpu);
	/* exit context: the instruction's own RIP */
	record(cpu, v ? v->regs.rip : 0, rule, kind, write, addr, size, value);
}

void trace_record(unsigned cpu, enum trace_kind kind, bool write, uint64_t addr, unsigned size,
		  uint64_t value)
{
	trace_record_for_rule(cpu, 0, kind, write, addr, size, value);
}

/* A port plan's log when the fast path below does not apply: every record
 * the general way (record), in rule-number order. */
static __attribute__((noinline)) void log_port_general(const struct vcpu *v, uint64_t rules,
						       bool write, uint16_t port, unsigned size,
						       uint32_t value)
{
	for (; rules; rules &= rules - 1)
		record(v->index, v->regs.rip, (unsigned)__builtin_ctzll(rules) + 1, TRACE_PORT,
		       write, port, size, value);
}

/* On the exit path of every port access a plan logs. The common case (one
 * rule, nothing waiting before the record, no filters) is record() with
 * what those conditions settle left out: the push cannot lose a record, the
 * kind is known, and so is most of the record's key. */
void trace_log_port(const struct vcpu *v, uint64_t rules, bool write, uint16_t port, unsigned size,
		    uint32_t value)
{
	/* The TSC first, while few values are live (rdtsc takes two
	 * registers); a record that goes the general way reads its own. */
	uint64_t tsc = rdtsc();
	/* A vCPU's index is below HV_MAX_CPUS (hv/start.c): the modulo keeps
	 * the table's index in bounds without a branch. */
	unsigned cpu = v->index % HV_MAX_CPUS;
	struct trace_cpu *c = &cpus[cpu];
	/* One register for the CPU's state, not the table and an index: the
	 * path below then fits the call-clobbered registers better. */
	__asm__("" : "+r"(c));
	uint64_t head = c->ring.head;
	if ((rules & (rules - 1)) || head != c->ring.printed || c->ring.lost || c->stats.pending ||
	    config.nfilters) {
		log_port_general(v, rules, write, port, size, value);
		return;
	}
	struct trace_record *r = &c->ring.rec[head % TRACE_RING_SIZE];
	c->ring.head = head + 1;
	fill(r, tsc, cpu, v->regs.rip, (unsigned)__builtin_ctzll(rules) + 1, TRACE_PORT, write,
	     port, size, value);
	if (!account_at_once(c, r, head + 1, limit_now, printing))
		entry_work_raise(cpu);
}

static void print_line(const struct trace_record *r, const struct trace_text *t)
{
	char line[TRACE_LINE_MAX];
	if (!format_announced) {
		format_announced = true;
		log_info("trace: format %u: cpuN tsc= rip= rule= in|out|read|write ADDRESS size= "
			 "<-|-> VALUE  DEVICE TEXT; tsc_mhz=%lu",
			 TRACE_LINE_FORMAT_VERSION, (unsigned long)tsc_mhz());
	}
	trace_format_line(line, sizeof(line), r, t);
	log_info("%s", line);
}

static struct trace_decoder *decoder(struct trace_cpu *c)
{
	if (!c->decoder_ready) {
		trace_decoder_init(&c->decoder, trace_platform());
		c->decoder_ready = true;
	}
	return &c->decoder;
}

static void summary(unsigned cpu, const struct trace_reg_count *c, const char *how, uint32_t n)
{
	/* With the register's counts so far (minus what the current window has
	 * suppressed and not yet reported): the host tool checks its own counts
	 * of lines and summaries against them (scripts/iomtrace --check). */
	bool known = c->device[0] != '-'; /* else the register says "port 0x5b8" */
	log_info("trace: cpu%u %s%s%s %s %u times in the last second (suppressed; %lu reads, %lu "
		 "writes so far)",
		 cpu, known ? c->device : "", known ? " " : "", c->reg, how, n,
		 (unsigned long)(c->reads - c->window_reads),
		 (unsigned long)(c->writes - c->window_writes));
}

static __attribute__((noinline)) void drain_slow(unsigned cpu, struct trace_cpu *c)
{
	unsigned budget = TRACE_LINES_PER_ENTRY;
	uint64_t lost = trace_ring_take_lost(&c->ring);
	if (lost && printing) {
		log_warn("trace: cpu%u: %lu records overwritten before they were printed", cpu,
			 (unsigned long)lost);
		budget--;
	}
	uint64_t window = window_ticks(), now = rdtsc();
	/* The window ends: what it suppressed becomes pending summaries
	 * (stats.pending), and the next window has suppressed nothing yet. */
	if (now - c->stats.window_start >= window)
		c->window_open = false;
	trace_stats_tick(&c->stats, now, window);
	const struct trace_reg_count *rc;
	uint32_t reads, writes;
	while (budget && trace_stats_next_summary(&c->stats, &rc, &reads, &writes)) {
		if (reads)
			summary(cpu, rc, "read", reads), budget--;
		if (writes)
			summary(cpu, rc, "written", writes), budget -= budget > 0;
	}
	unsigned limit = trace_config_limit(&config);
	const struct trace_record *r;
	for (unsigned n = 0;
	     budget && n < TRACE_RING_SIZE && (r = trace_ring_next_unprinted(&c->ring)); n++) {
		struct trace_text t;
		trace_decode(decoder(c), r, &t);
		/* Filtered records are counted, but only what passes the
		 * filters counts towards the limit. */
		bool pass = trace_filters_pass(&config, r);
		bool allowed = trace_stats_account(&c->stats, r, &t, window, pass ? limit : 0);
		if (!pass)
			continue;
		if (!allowed)
			c->window_open = true; /* its summary is due when the window ends */
		else if (printing)
			print_line(r, &t), budget--;
	}
}

void trace_drain(unsigned cpu)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	/* Nothing new, nothing to report: the common case. */
	if (trace_pending(cpu))
		drain_slow(cpu, &cpus[cpu]);
}

/* When an open window ends (its summary may then be due): a time-based poll,
 * so that the entries before it pay nothing for it. */
static uint64_t window_end(const struct trace_cpu *c)
{
	return c->window_open ? c->stats.window_start + window_ticks() : ~UINT64_C(0);
}

bool trace_pending(unsigned cpu)
{
	if (cpu >= HV_MAX_CPUS)
		return false;
	const struct trace_cpu *c = &cpus[cpu];
	return c->ring.printed < c->ring.head || c->ring.lost || c->stats.pending ||
	       (c->window_open && rdtsc() >= window_end(c));
}

uint64_t trace_poll_at(unsigned cpu)
{
	return cpu < HV_MAX_CPUS ? window_end(&cpus[cpu]) : ~UINT64_C(0);
}

void trace_show(void)
{
	for (unsigned cpu = 0; cpu < hv_cpu_count() && cpu < HV_MAX_CPUS; cpu++) {
		const struct trace_ring *ring = &cpus[cpu].ring;
		unsigned n = trace_ring_count(ring);
		struct trace_decoder d; /* the history alone, decoded from its start */
		trace_decoder_init(&d, trace_platform());
		log_info("trace: cpu %u: last %u accesses", cpu, n);
		for (unsigned i = 0; i < n; i++) {
			struct trace_text t;
			const struct trace_record *r = trace_ring_at(ring, i);
			trace_decode(&d, r, &t);
			print_line(r, &t);
		}
	}
}

void trace_top(void)
{
	static struct trace_stats *tables[HV_MAX_CPUS];
	static struct trace_top_entry top[TRACE_TOP_ENTRIES];
	unsigned ncpus = hv_cpu_count() < HV_MAX_CPUS ? hv_cpu_count() : HV_MAX_CPUS;
	for (unsigned i = 0; i < ncpus; i++)
		tables[i] = &cpus[i].stats;
	uint64_t now = rdtsc();
	unsigned n = trace_stats_top(tables, ncpus, top, TRACE_TOP_ENTRIES);
	uint64_t ms = (now - top_since) / (tsc_mhz() * 1000);
	top_since = now;
	con_printf("trace top: the last %lu.%03lu s\n", (unsigned long)(ms / 1000),
		   (unsigned long)(ms % 1000));
	if (!n)
		con_printf("  no traced accesses\n");
	for (unsigned i = 0; i < n; i++)
		con_printf("  %10lu  %-6s %-32s (%lu reads, %lu writes)\n",
			   (unsigned long)(top[i].reads + top[i].writes), top[i].device, top[i].reg,
			   (unsigned long)top[i].reads, (unsigned long)top[i].writes);
}
