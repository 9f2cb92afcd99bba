/* SPDX-License-Identifier: GPL-2.0-only */
/* The debug console's commands. Output goes straight to the console (the caller
 * holds it); the IOM dumps go through a printer that writes raw text. */
#include <stdarg.h>
#include "hv/console/console.h"
#include "hv/console/debug_console.h"
#include "hv/console/debug_console_edit.h"
#include "hv/dev/passthrough.h"
#include "hv/dev/vuart.h"
#include "hv/percpu.h"
#include "hv/trace/printer.h"
#include "hv/vcpu.h"
#include "hv/console/watch.h"
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

void debug_commands_register(void)
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

static void print(void *arg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

static bool word_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void help(void)
{
	con_printf(
		"commands:\n"
		"  help                  this list\n"
		"  ioport                I/O port ranges, their ports and counters\n"
		"  mmio                  MMIO ranges and their counters\n"
		"  stats                 IOM counters, all CPUs and per CPU\n"
		"  trace on|off|show     print traced accesses as they happen, or not; list the\n"
		"                        recent ones\n"
		"  break                 list watchpoints\n"
		"  break port|mmio ADDR [r|w|rw] [VALUE] [stop]\n"
		"                        watch guest accesses to ADDR (reads, writes or both;\n"
		"                        only those of VALUE): log each, and with 'stop' stop the\n"
		"                        vCPU after the access until 'continue'. Only trapped\n"
		"                        accesses are seen: a port no device claims is trapped\n"
		"                        for the watchpoint (up to %u such ports); an MMIO\n"
		"                        address must lie in a range 'mmio' lists. String I/O\n"
		"                        (INS/OUTS) is not watched.\n"
		"  break clear [N]       remove watchpoint N, or all\n"
		"  cpus                  each vCPU: index, APIC ID, state, exits, last exit RIP\n"
		"  continue              resume stopped vCPUs, give the serial input back to the\n"
		"                        guest\n", WATCH_RANGES);
}

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

static void cpus(void)
{
	con_printf("vcpu  apic  state                    exits  last exit rip\n");
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		con_printf("%4u  %4u  %-13s %16lu  0x%lx\n", i, percpu_apic_id(i),
			   state_name(v->state), (unsigned long)v->exits,
			   (unsigned long)v->regs.rip);
	}
}

static void resume(void)
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
			con_printf("break: usage: break clear [N]\n");
		}
		return;
	}
	set_watch(words, n);
}

void debug_command(char *line)
{
	char *w[DEBUG_MAX_WORDS];
	unsigned n = split_words(line, w);
	if (!n)
		return;
	if (n > DEBUG_MAX_WORDS) {
		con_printf("error: too many words\n");
		return;
	}
	if (word_is(w[0], "help") && n == 1)
		help();
	else if (word_is(w[0], "ioport") && n == 1)
		iom_dump_ports(print, 0);
	else if (word_is(w[0], "mmio") && n == 1)
		iom_dump_mmio(print, 0);
	else if (word_is(w[0], "stats") && n == 1)
		iom_dump_stats(print, 0);
	else if (word_is(w[0], "cpus") && n == 1)
		cpus();
	else if (word_is(w[0], "continue") && n == 1)
		resume();
	else if (word_is(w[0], "break"))
		brk(w + 1, n - 1);
	else if (word_is(w[0], "trace") && n == 2 && word_is(w[1], "on"))
		trace_set_printing(true), con_printf("trace printing on\n");
	else if (word_is(w[0], "trace") && n == 2 && word_is(w[1], "off"))
		trace_set_printing(false), con_printf("trace printing off\n");
	else if (word_is(w[0], "trace") && n == 2 && word_is(w[1], "show"))
		trace_show();
	else if (word_is(w[0], "trace"))
		con_printf("error: usage: trace on|off|show\n");
	else if (word_is(w[0], "help") || word_is(w[0], "ioport") || word_is(w[0], "mmio") ||
		 word_is(w[0], "stats") || word_is(w[0], "cpus") || word_is(w[0], "continue"))
		con_printf("error: %s takes no arguments\n", w[0]);
	else
		con_printf("error: unknown command '%s' (type 'help')\n", w[0]);
}
