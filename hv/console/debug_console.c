/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/console/debug_console.h"
#include "hv/panic.h"
#include "hv/console/debug_console_edit.h"
#include "hv/dev/vuart.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"
#include "hv/console/stop_world.h"
#include "hv/console/watch.h"

static struct spinlock owner = SPINLOCK_INIT;
static struct line_editor editor;

static void prompt(void)
{
	con_printf("iomvisor> ");
}

/* Takes the typed bytes and acts on them; one CPU at a time, and only one
 * whose vCPU is stopped (a vCPU still running finishes the guest's line
 * first). */
static void service(struct vcpu *v)
{
	if (v->state != VCPU_STOPPED ||
	    (!vuart_console_active() && !vuart_activation_pending()))
		return;
	if (!spin_trylock(&owner))
		return;
	/* Entering: every vCPU stops before the prompt (the console is not held
	 * meanwhile: the guest may end its line, a vCPU on its way may need it
	 * for a log line); then only the console's output reaches the line. */
	unsigned stopped = 0, total = 0;
	bool entering = vuart_take_activation();
	if (entering) {
		stop_world_begin();
		stopped = stop_world_wait(&total);
		console_debug_begin();
	}
	console_hold();
	if (entering) {
		editor_reset(&editor);
		log_info("debug console: active on cpu %u, %u of %u vCPUs stopped; type 'help'",
			 hv_cpu_index(), stopped, total);
		prompt();
	}
	int c;
	while (vuart_console_active() && (c = vuart_console_getc()) >= 0) {
		/* The guest wrote while the prompt's line was open: that line was
		 * ended, so the prompt and what was typed so far go on a new one. */
		if (console_own_line_was_ended()) {
			prompt();
			con_printf("%s", editor.buf);
		}
		switch (editor_feed(&editor, (uint8_t)c)) {
		case EDIT_ECHO:
			con_printf("%c", c);
			break;
		case EDIT_ERASE:
			con_printf("\b \b");
			break;
		case EDIT_BELL:
			con_printf("\a");
			break;
		case EDIT_CANCEL:
			con_printf("^C\n");
			prompt();
			break;
		case EDIT_SUBMIT:
			con_printf("\n");
			debug_command(editor.buf);
			editor_reset(&editor);
			if (vuart_console_active())
				prompt();
			break;
		case EDIT_NONE:
			break;
		}
	}
	console_release();
	spin_unlock(&owner);
}

/* Watchpoint hits (post rules' log, hv/console/watch.h); the rule stopped
 * the vCPU already, in the exit. */
static __attribute__((noinline)) void report_watch_hits(struct vcpu *v)
{
	struct watch_hit h;
	while (watch_next_hit(v->index, &h)) {
		const char *dir = h.mmio ? (h.write ? "write" : "read") : (h.write ? "out" : "in");
		log_info("rule %u: cpu %u rip 0x%lx %s %s 0x%lx size %u value 0x%lx%s", h.rule,
			 v->index, (unsigned long)h.rip, dir, h.mmio ? "mmio" : "port",
			 (unsigned long)h.addr, h.size, (unsigned long)h.value,
			 h.stop ? " (stopping the vcpu)" : "");
	}
	uint64_t lost = watch_take_lost(v->index);
	if (lost)
		log_warn("watch: cpu %u: %lu hits not recorded (too many at once)", v->index,
			 (unsigned long)lost);
}

/* Polls the UART, serves the console, and holds a stopped vCPU here. While
 * the console is active every vCPU stops here at its next exit, once the
 * guest's line is ended (console_guest_line_open). */
static __attribute__((noinline)) void console_step(struct vcpu *v)
{
	for (;;) {
		if (v->state == VCPU_RUNNING && vuart_console_active() &&
		    !console_guest_line_open()) {
			vcpu_stop(v, "console");
			v->console_stop = true;
		}
		bool stopped = v->state == VCPU_STOPPED;
		if (stopped && !vuart_console_active()) {
			/* Stopped for a console that has ended meanwhile ('continue'
			 * came between its look and its stop): go on. */
			if (v->console_stop) {
				__atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
			} else {
				log_warn("vcpu %u stopped at rip 0x%lx: debug console active, "
					 "'continue' resumes", v->index, (unsigned long)v->regs.rip);
				vuart_console_request();
			}
		}
		if (v->state == VCPU_STOPPED)
			vcpu_park(v);
		vuart_poll(stopped || vuart_console_active());
		service(v);
		if (vuart_console_active())
			stop_world_poll();
		if (v->state != VCPU_STOPPED) {
			vcpu_unpark(v);
			v->console_stop = false;
			return;
		}
		hv_check_panic(); /* another CPU's panic stops this one too */
		cpu_relax();
	}
}

bool debug_console_pending(const struct vcpu *v)
{
	return watch_has_news(v->index) || console_poll_pending() ||
	       (vuart_present() && (v->state == VCPU_STOPPED || vuart_console_active() ||
				    vuart_activation_pending()));
}

void debug_console_before_entry(struct vcpu *v)
{
	if (watch_has_news(v->index))
		report_watch_hits(v);
	console_poll();
	if (!vuart_present())
		return; /* no input: a stopped vCPU waits in the backend's loop */
	/* The common case, before nearly every entry: running, the console idle,
	 * the UART polled lately. */
	if (v->state == VCPU_STOPPED || vuart_console_active() || vuart_activation_pending() ||
	    vuart_poll_due())
		console_step(v);
}
