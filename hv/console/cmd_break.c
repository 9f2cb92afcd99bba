/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: watchpoints ("break"), hv/console/watch.h. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/console/watch.h"
#include "hv/dev/passthrough.h"
#include "hv/number.h"
#include "iom/iom.h"

/* Single-port pass-through ranges a port watchpoint maps where no device
 * claims the port (created before the IOM is frozen). */
#define WATCH_RANGES 4
static struct {
	iom_port_handle_t h;
	int watch; /* the watchpoint it serves, -1 when free */
} watch_ranges[WATCH_RANGES];

static iom_status_t watch_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t *value)
{
	*value = port_read(port, size);
	return IOM_OK;
}

static iom_status_t watch_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			      unsigned size, uint32_t value)
{
	port_write(port, size, value);
	return IOM_OK;
}

void watch_ranges_create(void)
{
	for (unsigned i = 0; i < WATCH_RANGES; i++) {
		struct iom_port_config pc = {
			.name = "watch (pass-through)",
			.count = 1,
			.flags = IOM_PORT_F_ABS,
			.in = watch_in,
			.out = watch_out,
		};
		watch_ranges[i].watch = -1;
		if (iom_port_create(&pc, &watch_ranges[i].h))
			watch_ranges[i].h = 0;
	}
}

static void list_watches(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < WATCH_MAX; i++) {
		struct watch w;
		if (!watch_get(i, &w))
			continue;
		const char *dirs = w.dirs == WATCH_READ ? "r" : w.dirs == WATCH_WRITE ? "w" : "rw";
		con_printf("watch %u: %s 0x%lx %s", i, w.space == WATCH_PORT ? "port" : "mmio",
			   (unsigned long)w.addr, dirs);
		if (w.has_value)
			con_printf(" value 0x%lx", (unsigned long)w.value);
		con_printf("%s, %lu hits\n", w.stop ? " stop" : "", (unsigned long)watch_hits(i));
		n++;
	}
	if (!n)
		con_printf("no watchpoints\n");
}

struct covered {
	uint64_t addr;
	bool hit;
};

static void port_visit(void *arg, uint16_t first, uint32_t count, iom_port_handle_t h)
{
	struct covered *c = arg;
	c->hit |= c->addr >= first && c->addr - first < count;
}

static void mmio_visit(void *arg, uint64_t gpa, uint64_t size, iom_mmio_handle_t h)
{
	struct covered *c = arg;
	c->hit |= c->addr >= gpa && c->addr - gpa < size;
}

static void remove_watch(unsigned i)
{
	watch_remove(i);
	for (unsigned r = 0; r < WATCH_RANGES; r++) {
		if (watch_ranges[r].watch == (int)i) {
			console_release(); /* see set_watch */
			iom_port_unmap(watch_ranges[r].h);
			console_hold();
			watch_ranges[r].watch = -1;
		}
	}
}

static void set_watch(char *const *words, unsigned n)
{
	struct watch w;
	const char *why = watch_parse(words, n, &w);
	if (why) {
		con_printf("break: %s\n", why);
		return;
	}
	struct covered c = { w.addr, false };
	int range = -1;
	if (w.space == WATCH_PORT) {
		iom_for_each_mapped_port(port_visit, &c);
		if (!c.hit) {
			for (unsigned r = 0; r < WATCH_RANGES && range < 0; r++)
				if (watch_ranges[r].h && watch_ranges[r].watch < 0)
					range = (int)r;
			if (range < 0) {
				con_printf("break: port 0x%lx is not trapped and all %u watch ranges "
					   "are in use\n", (unsigned long)w.addr, WATCH_RANGES);
				return;
			}
		}
	} else {
		iom_for_each_mapped_mmio(mmio_visit, &c);
		if (!c.hit) {
			con_printf("break: mmio 0x%lx is not trapped by any device (see 'mmio'); "
				   "it cannot be watched\n", (unsigned long)w.addr);
			return;
		}
	}
	int i = watch_add(&w);
	if (i < 0) {
		con_printf("break: all %u watchpoints are in use\n", WATCH_MAX);
		return;
	}
	if (range >= 0) {
		/* The backend's trap hook runs under the IOM's lock and may wait for
		 * other CPUs, which may be waiting for the console: let it go. */
		console_release();
		iom_err_t e = iom_port_map(watch_ranges[range].h, (uint16_t)w.addr);
		console_hold();
		if (e) {
			watch_remove((unsigned)i);
			con_printf("break: cannot trap port 0x%lx (%s)\n", (unsigned long)w.addr,
				   iom_err_name(e));
			return;
		}
		watch_ranges[range].watch = i;
	}
	con_printf("watch %d set%s\n", i, range >= 0 ? " (port trapped for it)" : "");
}

static void brk(char *const *words, unsigned n)
{
	if (!n) {
		list_watches();
		return;
	}
	if (word_is(words[0], "clear")) {
		uint64_t i;
		if (n == 1) {
			for (unsigned k = 0; k < WATCH_MAX; k++)
				remove_watch(k);
			con_printf("all watchpoints removed\n");
		} else if (n == 2 && parse_number(words[1], &i) && i < WATCH_MAX) {
			remove_watch((unsigned)i);
			con_printf("watch %u removed\n", (unsigned)i);
		} else {
			debug_cmd_usage(&debug_cmds_break[0]);
		}
		return;
	}
	set_watch(words, n);
}

const struct debug_cmd debug_cmds_break[] = {
	{ "break", "[port|mmio ADDR [r|w|rw] [VALUE] [stop] | clear [N]]",
	  "no arguments: list the watchpoints and their hits.\n"
	  "port|mmio ADDR: watch guest accesses to ADDR (reads, writes or both; only\n"
	  "those of VALUE): log each, and with 'stop' stop the vCPU after the access\n"
	  "until 'continue'. Only trapped accesses are seen: a port no device claims\n"
	  "is trapped for the watchpoint while a pass-through range is free; an MMIO\n"
	  "address must lie in a range 'mmio' lists. String I/O (INS/OUTS) is not\n"
	  "watched.\n"
	  "clear [N]: remove watchpoint N, or all",
	  0, 6, brk },
	{ 0 },
};
