/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/console/debug_console.h"
#include "hv/panic.h"
#include "hv/console/debug_console_edit.h"
#include "hv/dev/vuart.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"
#include "hv/console/watch.h"

static struct spinlock owner = SPINLOCK_INIT;
static struct line_editor editor;

static void prompt(void)
{
	con_printf("iomvisor> ");
}

/* Takes the typed bytes and acts on them; one CPU at a time. */
static void service(void)
{
	if (!vuart_console_active() && !vuart_activation_pending())
		return;
	if (!spin_trylock(&owner))
		return;
	console_hold();
	if (vuart_take_activation()) {
		console_debug_begin();
		editor_reset(&editor);
		log_info("debug console: active on cpu %u; 'help' lists the commands, 'continue' "
			 "leaves", hv_cpu_index());
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

static __attribute__((noinline)) void report_watch_hits(struct vcpu *v)
{
	struct watch_hit h;
	int stop = -1; /* the watchpoint that stops the vCPU */
	while (watch_next_hit(v->index, &h)) {
		const char *dir = h.space == WATCH_PORT ? (h.write ? "out" : "in") :
			(h.write ? "write" : "read");
		log_info("watch %u: cpu %u rip 0x%lx %s %s 0x%lx size %u value 0x%lx%s", h.index,
			 v->index, (unsigned long)h.rip, dir, h.space == WATCH_PORT ? "port" : "mmio",
			 (unsigned long)h.addr, h.size, (unsigned long)h.value,
			 h.stop ? " (stopping the vcpu)" : "");
		if (h.stop && stop < 0)
			stop = (int)h.index;
	}
	uint64_t lost = watch_take_lost(v->index);
	if (lost)
		log_warn("watch: cpu %u: %lu hits not recorded (too many at once)", v->index,
			 (unsigned long)lost);
	if (stop >= 0)
		vcpu_stop(v, "watchpoint %d", stop);
}

/* Polls the UART, serves the console, and holds a stopped vCPU here. */
static __attribute__((noinline)) void console_step(struct vcpu *v)
{
	for (;;) {
		bool stopped = v->state == VCPU_STOPPED;
		if (stopped && !vuart_console_active()) {
			log_warn("vcpu %u stopped at rip 0x%lx: debug console active, 'continue' "
				 "resumes", v->index, (unsigned long)v->regs.rip);
			vuart_console_request();
		}
		if (stopped)
			vcpu_park(v);
		vuart_poll(stopped || vuart_console_active());
		service();
		if (v->state != VCPU_STOPPED) {
			vcpu_unpark(v);
			return;
		}
		hv_check_panic(); /* another CPU's panic stops this one too */
		cpu_relax();
	}
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
