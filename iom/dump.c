/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/dump.c - the ioport, mmio and stats listings for the debug console.
 *
 * Output goes through the caller's print callback, whose formatter knows
 * only %d %u %x %lx %lu %ld %llx %llu %p %s %c (width, '0', '-'), so 64-bit
 * values are always cast to unsigned long long.
 */
#include "iom/iom_internal.h"

typedef unsigned long long ull;

static const char *const read_mode_names[] = {
	"passthru", "dword", "dword-qword",
};

static const char *const write_mode_names[] = {
	"passthru", "dword-zeroed", "dword-qword-zeroed",
	"dword-read-missing", "dword-qword-read-missing", "only-dword",
	"only-dword-qword",
};

static void range_counters(iom_print_fn print, void *arg,
			   const struct iom_range *r)
{
	print(arg, " %8llu %8llu %8llu %8llu %8llu %8llu %8llu %12llu",
	      (ull)iom_range_sum(r, IOM_RSTAT_READS),
	      (ull)iom_range_sum(r, IOM_RSTAT_WRITES),
	      (ull)iom_range_sum(r, IOM_RSTAT_DEFERRED),
	      (ull)iom_range_sum(r, IOM_RSTAT_COMMIT_DIRECT),
	      (ull)iom_range_sum(r, IOM_RSTAT_COMMIT_LOOKUP),
	      (ull)iom_range_sum(r, IOM_RSTAT_STALE),
	      (ull)iom_range_sum(r, IOM_RSTAT_HANDLER_CALLS),
	      (ull)iom_range_sum(r, IOM_RSTAT_TIME));
}

/* The column titles range_counters prints under. */
#define COUNTER_TITLES \
	"    reads   writes deferred   direct   lookup    stale    calls         time"


/* Whether the listing takes range r. The brief listing leaves out unmapped
 * ranges no access ever reached (spares, e.g. the rules' pass-through ranges),
 * counting them instead. */
static bool wanted(const struct iom_dump_opts *o, const struct iom_range *r, unsigned *idle)
{
	if (o->only)
		return r->mapped && o->addr >= r->base && o->addr - r->base < r->size;
	if (!o->verbose && !r->mapped && !iom_range_sum(r, IOM_RSTAT_READS) &&
	    !iom_range_sum(r, IOM_RSTAT_WRITES)) {
		(*idle)++;
		return false;
	}
	return true;
}

/* Mapped ranges in address order, then the unmapped ones; returns how many
 * were listed. The registration lock keeps the listing consistent; dispatch
 * does not need it, so dumping never stalls a guest access. */
static unsigned for_each_range(iom_space_t sp,
			       void (*fn)(iom_print_fn, void *, const struct iom_dump_opts *,
					  const struct iom_range *),
			       iom_print_fn print, void *arg, const struct iom_dump_opts *o)
{
	const struct iom_addr_space *s = &iom_spaces[sp];
	unsigned n = 0, idle = 0;

	for (uint32_t i = 0; i < s->n_map; i++) {
		const struct iom_range *r = &s->ranges[s->map[i].range];
		if (wanted(o, r, &idle))
			fn(print, arg, o, r), n++;
	}
	for (uint32_t i = 0; i < s->n_ranges; i++)
		if (!s->ranges[i].mapped && wanted(o, &s->ranges[i], &idle))
			fn(print, arg, o, &s->ranges[i]), n++;
	if (idle)
		print(arg, "  (%u unmapped range%s unused; -v lists every range)\n", idle,
		      idle == 1 ? "" : "s");
	return n;
}

/* The reads and writes columns of the brief listing, then the name. */
static void brief_counters(iom_print_fn print, void *arg, const struct iom_range *r,
			   bool wide)
{
	print(arg, wide ? "  %10llu  %10llu  %s\n" : "  %8llu  %8llu  %s\n",
	      (ull)iom_range_sum(r, IOM_RSTAT_READS), (ull)iom_range_sum(r, IOM_RSTAT_WRITES),
	      r->name);
}

static void port_names(iom_print_fn print, void *arg, const struct iom_range *r)
{
	if (!r->cb.port.descs)
		return;
	for (uint64_t i = 0; i < r->size; i++) {
		const struct iom_port_desc *d = &r->cb.port.descs[i];

		if (!d->in && !d->out)
			continue;
		print(arg, "      +%-4llx in %-16s out %s\n", (ull)i,
		      d->in ? d->in : "-", d->out ? d->out : "-");
	}
}

static void port_line(iom_print_fn print, void *arg, const struct iom_dump_opts *o,
		      const struct iom_range *r)
{
	if (!o->verbose) {
		if (r->mapped)
			print(arg, "  %04llx-%04llx", (ull)r->base, (ull)(r->base + r->size - 1));
		else
			print(arg, "  %-9s", "unmapped");
		brief_counters(print, arg, r, true);
		if (o->only)
			port_names(print, arg, r);
		return;
	}
	if (r->mapped)
		print(arg, "  %04llx %04llx", (ull)r->base,
		      (ull)(r->base + r->size - 1));
	else
		print(arg, "  ---- ----");
	print(arg, " %5llu %-8s %-3s", (ull)r->size,
	      r->mapped ? "mapped" : "unmapped",
	      (r->flags & IOM_PORT_F_ABS) ? "abs" : "rel");
	range_counters(print, arg, r);
	print(arg, "  %s\n", r->name);
	port_names(print, arg, r);
}

static void mmio_line(iom_print_fn print, void *arg, const struct iom_dump_opts *o,
		      const struct iom_range *r)
{
	if (!o->verbose) {
		if (r->mapped)
			print(arg, "  %016llx-%016llx", (ull)r->base, (ull)(r->base + r->size - 1));
		else
			print(arg, "  %-33s", "unmapped");
		brief_counters(print, arg, r, false);
		return;
	}
	if (r->mapped)
		print(arg, "  %016llx", (ull)r->base);
	else
		print(arg, "  ----------------");
	print(arg, " %10llx %-8s %-3s %-11s %-24s", (ull)r->size,
	      r->mapped ? "mapped" : "unmapped",
	      (r->flags & IOM_MMIO_F_ABS) ? "abs" : "rel",
	      read_mode_names[(r->flags & IOM_MMIO_READ_MASK) >> IOM_MMIO_READ_SHIFT],
	      write_mode_names[(r->flags & IOM_MMIO_WRITE_MASK) >> IOM_MMIO_WRITE_SHIFT]);
	range_counters(print, arg, r);
	print(arg, "  %s\n", r->name);
}

void iom_dump_ports(iom_print_fn print, void *arg, const struct iom_dump_opts *o)
{
	const struct iom_addr_space *s = &iom_spaces[IOM_SPACE_PORT];

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	print(arg, "I/O port ranges: %u created, %u mapped%s\n", s->n_ranges,
	      s->n_map, iom_frozen ? ", frozen" : "");
	if (o->verbose)
		print(arg, "  first last  ports state    how" COUNTER_TITLES "  name\n");
	else
		print(arg, "  ports           reads      writes  name\n");
	if (!for_each_range(IOM_SPACE_PORT, port_line, print, arg, o) && o->only)
		print(arg, "no range holds port 0x%llx: its accesses go to the hardware\n",
		      (ull)o->addr);
	iom_spin_unlock(&iom_reg_lock);
}

void iom_dump_mmio(iom_print_fn print, void *arg, const struct iom_dump_opts *o)
{
	const struct iom_addr_space *s = &iom_spaces[IOM_SPACE_MMIO];

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	print(arg, "MMIO ranges: %u created, %u mapped%s\n", s->n_ranges,
	      s->n_map, iom_frozen ? ", frozen" : "");
	if (o->verbose)
		print(arg, "  base                   size state    how read-mode   write-mode              " COUNTER_TITLES "  name\n");
	else
		print(arg, "  addresses" "                             reads    writes  name\n");
	if (!for_each_range(IOM_SPACE_MMIO, mmio_line, print, arg, o) && o->only)
		print(arg, "no range holds address 0x%llx: its accesses go to memory or the device\n",
		      (ull)o->addr);
	iom_spin_unlock(&iom_reg_lock);
}

void iom_dump_stats(iom_print_fn print, void *arg)
{
	print(arg, "IOM statistics (all CPUs)      ports         mmio\n");
	for (unsigned i = 0; i < IOM_STAT_COUNT; i++) {
		if (i == IOM_STAT_LOCK_CONTENTION)
			continue;       /* not per space: below */
		print(arg, "  %-20s %12llu %12llu\n", iom_stat_name((iom_stat_t)i),
		      (ull)iom_stat_get(IOM_SPACE_PORT, (iom_stat_t)i, IOM_STAT_ALL_CPUS),
		      (ull)iom_stat_get(IOM_SPACE_MMIO, (iom_stat_t)i, IOM_STAT_ALL_CPUS));
	}
	print(arg, "  %-20s %12llu (registration lock spins, both spaces)\n",
	      iom_stat_name(IOM_STAT_LOCK_CONTENTION),
	      (ull)iom_stat_get(IOM_SPACE_PORT, IOM_STAT_LOCK_CONTENTION,
				IOM_STAT_ALL_CPUS));

	print(arg, "Per CPU (with activity)   port-rd  port-wr  mmio-rd  mmio-wr deferred queue-full\n");
	for (unsigned cpu = 0; cpu < IOM_MAX_CPUS; cpu++) {
		uint64_t v[6] = {
			iom_stat_get(IOM_SPACE_PORT, IOM_STAT_READS, cpu),
			iom_stat_get(IOM_SPACE_PORT, IOM_STAT_WRITES, cpu),
			iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_READS, cpu),
			iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_WRITES, cpu),
			iom_stat_get(IOM_SPACE_PORT, IOM_STAT_DEFERRED, cpu)
				+ iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_DEFERRED, cpu),
			iom_stat_get(IOM_SPACE_PORT, IOM_STAT_QUEUE_FULL, cpu)
				+ iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_QUEUE_FULL, cpu),
		};

		if (!(v[0] | v[1] | v[2] | v[3] | v[4] | v[5]))
			continue;
		print(arg, "  cpu %-3u %23llu %8llu %8llu %8llu %8llu %10llu\n", cpu,
		      (ull)v[0], (ull)v[1], (ull)v[2], (ull)v[3], (ull)v[4],
		      (ull)v[5]);
	}
}

bool iom_range_counts(iom_space_t sp, unsigned index, struct iom_range_counts *out)
{
	if ((unsigned)sp >= IOM_SPACE_COUNT)
		return false;
	const struct iom_addr_space *s = &iom_spaces[sp];
	bool ok = false;
	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	if (index < s->n_ranges) {
		const struct iom_range *r = &s->ranges[index];
		*out = (struct iom_range_counts){
			.name = r->name,
			.reads = iom_range_sum(r, IOM_RSTAT_READS),
			.writes = iom_range_sum(r, IOM_RSTAT_WRITES),
		};
		ok = true;
	}
	iom_spin_unlock(&iom_reg_lock);
	return ok;
}
