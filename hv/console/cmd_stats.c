/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: `stats`, what a person asks first: how often each vCPU exits
 * and what for, which devices the guest uses, and whether the IOM had to
 * defer or drop work. Rates are per second of the machine running: since the
 * previous `stats` (the first time: since the machine started), leaving out
 * the time it stood stopped in the console. `stats -v` is the IOM's every
 * internal counter (iom_dump_stats). In 80 columns. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/console/stop_world.h"
#include "hv/cpu.h"
#include "hv/mem/pool.h"
#include "hv/percpu.h"
#include "hv/tsc_rate.h"
#include "hv/vcpu.h"
#include "iom/iom.h"

/* Ranges whose counts `stats` remembers from one call to the next, per space. */
#define STATS_RANGES 64

static struct {
	uint64_t tsc, stopped;
	uint64_t exits[HV_MAX_CPUS][HV_EXIT_KINDS];
	uint64_t reads[IOM_SPACE_COUNT][STATS_RANGES], writes[IOM_SPACE_COUNT][STATS_RANGES];
} last;

static const char *const kind_names[HV_EXIT_KINDS] = HV_EXIT_KIND_NAMES;

/* count per second over ms milliseconds. */
static unsigned long per_s(uint64_t count, uint64_t ms)
{
	return (unsigned long)(count * 1000 / (ms ? ms : 1));
}

static void exit_rates(uint64_t ms)
{
	uint64_t all[HV_EXIT_KINDS] = { 0 };
	con_printf("exits/s    total");
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		con_printf(" %7s", kind_names[k]);
	con_printf("\n");
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		if (!v->arch)
			continue;
		uint64_t d[HV_EXIT_KINDS], total = 0;
		for (unsigned k = 0; k < HV_EXIT_KINDS; k++) {
			uint64_t now = v->exit_kinds[k];
			d[k] = now - last.exits[i][k];
			last.exits[i][k] = now;
			all[k] += d[k];
			total += d[k];
		}
		con_printf("  cpu %-3u %6lu", i, per_s(total, ms));
		for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
			con_printf(" %7lu", per_s(d[k], ms));
		con_printf("\n");
	}
	uint64_t total = 0;
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		total += all[k];
	con_printf("  all     %6lu", per_s(total, ms));
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		con_printf(" %7lu", per_s(all[k], ms));
	con_printf("\n");
}

/* Each range the guest used in the interval: its rates and its totals. */
static void device_rates(uint64_t ms)
{
	unsigned shown = 0;
	con_printf("devices                   reads/s  writes/s       reads      writes\n");
	for (unsigned sp = 0; sp < IOM_SPACE_COUNT; sp++) {
		struct iom_range_counts c;
		for (unsigned i = 0; iom_range_counts((iom_space_t)sp, i, &c); i++) {
			uint64_t dr = c.reads, dw = c.writes;
			if (i < STATS_RANGES) {
				dr -= last.reads[sp][i];
				dw -= last.writes[sp][i];
				last.reads[sp][i] = c.reads;
				last.writes[sp][i] = c.writes;
			}
			if (!dr && !dw)
				continue;
			con_printf("  %-4s %-18.18s %8lu  %8lu  %10lu  %10lu\n",
				   sp == IOM_SPACE_PORT ? "port" : "mmio", c.name, per_s(dr, ms),
				   per_s(dw, ms), (unsigned long)c.reads, (unsigned long)c.writes);
			shown++;
		}
	}
	if (!shown)
		con_printf("  (no device access in this interval)\n");
}

static uint64_t both(iom_stat_t which)
{
	return iom_stat_get(IOM_SPACE_PORT, which, IOM_STAT_ALL_CPUS) +
	       iom_stat_get(IOM_SPACE_MMIO, which, IOM_STAT_ALL_CPUS);
}

static void stats(char *const *args, unsigned n)
{
	if (n) {
		if (!word_is(args[0], "-v")) {
			con_printf("error: '%s' is not -v\n", args[0]);
			con_printf("error: usage: stats [-v]\n");
			return;
		}
		iom_dump_stats(debug_cmd_print, 0);
		return;
	}
	uint64_t now = rdtsc(), stopped = stop_world_stopped_ticks();
	uint64_t ticks = (now - last.tsc) - (stopped - last.stopped);
	uint64_t ms = ticks / (tsc_mhz() * 1000);
	con_printf("over %lu.%lu s of running %s ('stats -v': every IOM counter)\n",
		   (unsigned long)(ms / 1000), (unsigned long)(ms % 1000 / 100),
		   last.tsc ? "since the last 'stats'" : "since the machine started");
	last.tsc = now;
	last.stopped = stopped;
	exit_rates(ms);
	device_rates(ms);
	con_printf("IOM (in all): %lu deferred, %lu dropped (deferral queue full), "
		   "%lu unclaimed\n", (unsigned long)both(IOM_STAT_DEFERRED),
		   (unsigned long)both(IOM_STAT_QUEUE_FULL),
		   (unsigned long)(both(IOM_STAT_UNCLAIMED_READS) + both(IOM_STAT_UNCLAIMED_WRITES)));
	struct pool_usage u = pool_usage();
	con_printf("hypervisor memory: pool %lu KiB, %lu KiB in use, peak %lu KiB\n",
		   (unsigned long)(u.total * PAGE_SIZE / 1024),
		   (unsigned long)(u.in_use * PAGE_SIZE / 1024),
		   (unsigned long)(u.peak * PAGE_SIZE / 1024));
}

const struct debug_cmd debug_cmds_stats[] = {
	{ "stats", "[-v]", "exits/s by kind per vCPU, device accesses/s,\n"
	  "deferred and dropped work, since the last 'stats';\n-v: every IOM counter", 0, 1,
	  stats },
	{ 0 },
};
