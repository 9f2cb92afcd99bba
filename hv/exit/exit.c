/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/exit.h"
#include "hv/exit/entry_work.h"
#include "hv/exit/exit_marks.h"
#include "hv/exit/exit_tail.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/console/debug_console.h"
#include "hv/dev/rules.h"
#include "hv/iommu/iommu.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/trace/printer.h"
#include "hv/dev/vuart.h"
#include "hv/x86/result.h"

/* Writes an IN result: 8- and 16-bit results merge into RAX, a 32-bit result
 * zero-extends (SDM Vol. 1 §3.4.1.1). */
static void set_rax(struct vcpu *v, uint32_t value, unsigned size)
{
	uint64_t *rax = &v->regs.gpr[X86_RAX];
	if (size == 4)
		*rax = value;
	else if (size == 2)
		*rax = (*rax & ~0xFFFFull) | (value & 0xFFFF);
	else
		*rax = (*rax & ~0xFFull) | (value & 0xFF);
}

_Noreturn void hv_reset_machine(void)
{
	con_printf("iomvisor[%u]: resetting the machine\n", hv_cpu_index());
	/* PCI reset control register 0xCF9: full reset (bits 1 and 2). Then the
	 * keyboard controller's pulse-reset command. */
	outb(0xCF9, 0x02);
	outb(0xCF9, 0x06);
	outb(0x64, 0xFE);
	panic("the machine did not reset");
}

void hv_complete_other(struct vcpu *v, iom_status_t st, uint64_t next_rip)
{
	switch (st) {
	case IOM_OK:
		v->regs.rip = next_rip;
		return;
	case IOM_RETRY:
		/* Queue full: drained before the entry; the guest re-executes. */
		return;
	case IOM_INJECT_GP:
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	case IOM_RESET:
		hv_reset_machine();
	case IOM_STOP_VCPU:
	case IOM_DEBUG_BREAK:
		log_warn("vcpu %u stopped at rip 0x%lx (%s)", v->index, (unsigned long)v->regs.rip,
			 iom_status_name(st));
		vcpu_stop(v, "%s", st == IOM_DEBUG_BREAK ? "device breakpoint" : "device");
		return;
	default:
		/* A broken rule inside the hypervisor: say so, and let the guest go
		 * on as if the access had completed rather than hang it. */
		log_err("vcpu %u: internal error (%s) completing the access at rip 0x%lx",
			v->index, iom_status_name(st), (unsigned long)v->regs.rip);
		v->regs.rip = next_rip;
		return;
	}
}

/* The IN that deferred, again from the deferred context; st is its own
 * status, apart from the drain's. */
struct port_retry {
	uint16_t port;
	unsigned size;
	unsigned cpu;
	uint32_t *value;
	iom_status_t st;
};

static iom_status_t port_read_again(void *arg)
{
	struct port_retry *r = arg;
	r->st = iom_port_read(r->cpu, IOM_CTX_DEFERRED, r->port, r->size, r->value);
	return r->st;
}

/* Out of line: the common IN carries none of it. */
static __attribute__((noinline)) void port_in_deferred(struct vcpu *v, uint16_t port, unsigned size,
						       uint64_t next_rip)
{
	uint32_t value = 0;
	struct port_retry r = { port, size, v->index, &value, IOM_INTERNAL_ERROR };
	iom_status_t st = iom_complete_deferred_read(v->index, port_read_again, &r);

	if (r.st == IOM_OK) {
		/* The IN completed. An outcome in st is then the drain's, of
		 * earlier writes: it acts after the IN, as the entry's drain
		 * would (hv_complete leaves RIP where it is now). */
		if (rules_active())
			rules_after_read(v, RULE_PORT, port, size, &value);
		set_rax(v, value, size);
		v->regs.rip = next_rip;
	}
	hv_complete(v, st, next_rip);
}

void hv_exit_port_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t next_rip)
{
	iom_status_t st;
	uint32_t value = 0;
	/* Rules (hv/dev/rules.h) act before and after the device. */
	bool rules = rules_active();
	if (in) {
		if (rules && rules_before_read(v, RULE_PORT, port, size, &value)) {
			st = IOM_OK; /* answered by a rule: the device is not read */
		} else {
			EXIT_MARK(v->index, EXIT_MARK_IOM_IN);
			st = iom_port_read(v->index, IOM_CTX_EXIT, port, size, &value);
			EXIT_MARK(v->index, EXIT_MARK_IOM_OUT);
			if (st == IOM_READ_DEFERRED) {
				port_in_deferred(v, port, size, next_rip);
				return;
			}
		}
		if (st == IOM_OK) {
			if (rules)
				rules_after_read(v, RULE_PORT, port, size, &value);
			set_rax(v, value, size);
		}
	} else {
		uint32_t mask = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
		value = (uint32_t)v->regs.gpr[X86_RAX] & mask;
		if (rules && !rules_before_write(v, RULE_PORT, port, size, &value)) {
			st = IOM_OK; /* dropped by a rule */
		} else {
			EXIT_MARK(v->index, EXIT_MARK_IOM_IN);
			st = iom_port_write(v->index, IOM_CTX_EXIT, port, size, value);
			EXIT_MARK(v->index, EXIT_MARK_IOM_OUT);
		}
	}
	hv_complete(v, st, next_rip);
}

static __attribute__((noinline)) void drain_deferred(struct vcpu *v)
{
	iom_status_t st = iom_drain_deferred(v->index);
	if (st != IOM_OK)
		hv_complete(v, st, v->regs.rip); /* the instruction completed already */
}

/* The earliest time-based poll: the UART's input, the IOMMU's faults, the
 * end of this CPU's trace flood window. */
static uint64_t next_poll_at(unsigned cpu)
{
	uint64_t uart = vuart_poll_at(), iommu = iommu_poll_at(), trace = trace_poll_at(cpu);
	uint64_t at = uart < iommu ? uart : iommu;
	return trace < at ? trace : at;
}

/* Every subsystem's own check, as before each entry; then what is left keeps
 * the pending word raised (hv/exit/entry_work.h). Also the exit tail's steps
 * 1 and 3 (hv/exit/exit_tail.h), whose flags are only ever set together with
 * a raise: an INIT that came as a host NMI (hv/host.c raises the word with
 * nmi_pending) is taken first, and a stopped vCPU (vcpu_stop raises it)
 * waits last. */
static __attribute__((noinline)) void before_entry_work(struct vcpu *v)
{
	entry_work_take(v->index);
	if (v->nmi_pending)
		hv_exit_take_init(v);
	if (iom_deferred_count(v->index))
		drain_deferred(v);
	trace_drain(v->index);
	debug_console_before_entry(v);
	iommu_poll();
	bool busy = iom_deferred_count(v->index) || trace_pending(v->index) ||
		    debug_console_pending(v);
	entry_work_rearm(v->index, busy, next_poll_at(v->index));
	if (v->state == VCPU_STOPPED)
		hv_exit_wait_while_stopped(v);
}

/* Before every entry, so the common case (nothing raised, no poll due) is a
 * load and a TSC compare; the work itself stays out of line. A deferred IOM
 * write raises the pending word too (iom_platform_deferred_queued, in
 * hv/iom_platform.c). */
void hv_before_entry(struct vcpu *v)
{
	if (__builtin_expect(!entry_work_idle(v->index), 0))
		before_entry_work(v);
}

void hv_exit_refuse(struct vcpu *v, const char *what)
{
	log_debug("vcpu %u: %s at rip 0x%lx refused with #UD", v->index, what,
		  (unsigned long)v->regs.rip);
	vcpu_inject_exception(v, X86_EXC_UD, false, 0);
}

void hv_exit_unknown(struct vcpu *v, const char *vendor, uint64_t code, uint64_t info)
{
	log_warn("vcpu %u: unexpected %s exit 0x%lx (information 0x%lx) at rip 0x%lx: #UD",
		 v->index, vendor, (unsigned long)code, (unsigned long)info,
		 (unsigned long)v->regs.rip);
	hv_raise_exception(v, X86_EXC_UD, 0);
}

void hv_exit_invd(struct vcpu *v, uint64_t next_rip)
{
	__asm__ volatile("wbinvd" ::: "memory");
	v->regs.rip = next_rip;
}

_Noreturn void hv_guest_shutdown(struct vcpu *v, const char *why)
{
	vcpu_full_state(v);
	const struct x86_regs *r = &v->regs;
	log_err("vcpu %u: guest %s at rip 0x%lx", v->index, why, (unsigned long)r->rip);
	log_err("  rax %016lx rbx %016lx rcx %016lx rdx %016lx", (unsigned long)r->gpr[0],
		(unsigned long)r->gpr[3], (unsigned long)r->gpr[1], (unsigned long)r->gpr[2]);
	log_err("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx", (unsigned long)r->gpr[6],
		(unsigned long)r->gpr[7], (unsigned long)r->gpr[5], (unsigned long)r->gpr[4]);
	log_err("  cs %04x ss %04x rflags %lx cr0 %lx cr3 %lx cr4 %lx efer %lx",
		r->seg[X86_CS].selector, r->seg[X86_SS].selector, (unsigned long)r->rflags,
		(unsigned long)r->cr0, (unsigned long)r->cr3, (unsigned long)r->cr4,
		(unsigned long)r->efer);
	hv_reset_machine();
}
