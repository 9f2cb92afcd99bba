/* SPDX-License-Identifier: GPL-2.0-only */
/* Trapped memory accesses and string port I/O: the instruction is fetched,
 * decoded and emulated against the IOM (hv/x86/), since neither vendor reports
 * it in a form we can use everywhere (docs/emulators.md). */
#include "hv/console/console.h"
#include "hv/exit/exit.h"
#include "hv/format.h"
#include "hv/mem/guest_access.h"
#include "hv/exit/mmio_fast.h"
#include "hv/x86/emulate.h"
#include "hv/x86/string_io.h"


typedef enum x86_status emulate_fn(struct vcpu *v, const struct x86_ops *ops,
				   struct x86_result *res, const void *arg);

/* One emulation, from exit context and, if a read deferred, again from the
 * deferred context (iom_complete_deferred_read). */
struct emulation {
	struct vcpu *v;
	emulate_fn *fn;
	const void *arg;
	struct guest_access ga;
	struct x86_ops ops;
	struct x86_result *res;
	enum x86_status s;
};

static iom_status_t emulate_again(void *arg)
{
	struct emulation *e = arg;
	e->ga.ctx = IOM_CTX_DEFERRED;
	e->s = e->fn(e->v, &e->ops, e->res, e->arg);
	return e->s == X86_CALLBACK ? (iom_status_t)e->res->cb_status : IOM_OK;
}

static enum x86_status run_emulator(struct vcpu *v, emulate_fn fn, const void *arg,
					  struct x86_result *res)
{
	struct emulation e = { .v = v, .fn = fn, .arg = arg, .ga = { v, IOM_CTX_EXIT },
			       .res = res };
	guest_ops_init(&e.ops, &e.ga);
	enum x86_status s = fn(v, &e.ops, res, arg);
	if (s != X86_CALLBACK || res->cb_status != IOM_READ_DEFERRED)
		return s;
	iom_status_t st = iom_complete_deferred_read(v->index, emulate_again, &e);
	if (st == IOM_OK)
		return e.s;
	/* The access's own outcome, or the drain's, whichever weighs more. If
	 * the instruction completed on the retry (X86_OK: registers and RIP
	 * committed), the drain's outcome follows it. */
	res->cb_status = st;
	return X86_CALLBACK;
}

static void finish(struct vcpu *v, enum x86_status s, const struct x86_result *res,
		   uint64_t gpa, const char *what)
{
	switch (s) {
	case X86_OK:
		/* A single-step trap after it is the exit tail's, as for every
		 * instruction the hypervisor completes (hv/exit/exit_tail.h). */
		return;
	case X86_FAULT:
		vcpu_inject_exception(v, res->fault.vector, res->fault.has_error_code,
				      res->fault.error_code);
		if (res->fault.vector == X86_EXC_PF) {
			v->event.set_cr2 = true;
			v->event.cr2 = res->fault.cr2;
		}
		return;
	case X86_UNSUPPORTED: {
		/* Never guess: show the bytes and give the guest a fault. */
		char hex[3 * 15 + 1];
		if (!res->insn_len) {
			/* Nothing fetched: the code itself lies in trapped memory
			 * (a trace or deny rule over RAM that holds code). */
			log_err("vcpu %u: cannot fetch the instruction at rip 0x%lx (gpa 0x%lx): "
				"its code is in trapped memory: #GP to the guest", v->index,
				(unsigned long)v->regs.rip, (unsigned long)gpa);
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
			return;
		}
		unsigned n = res->insn_len <= 15 ? res->insn_len : 15;
		for (unsigned i = 0; i < n; i++)
			fmt_snprintf(hex + 3 * i, 4, "%02x ", res->insn[i]);
		hex[n ? 3 * n - 1 : 0] = '\0';
		log_err("vcpu %u: cannot emulate %s at rip 0x%lx (gpa 0x%lx), bytes [%s]: #GP "
			"to the guest", v->index, what, (unsigned long)v->regs.rip,
			(unsigned long)gpa, hex);
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	case X86_CALLBACK:
		/* The instruction did not complete: RIP stays, the outcome acts. */
		hv_complete(v, (iom_status_t)res->cb_status, v->regs.rip);
		return;
	}
}

static enum x86_status emulate(struct vcpu *v, const struct x86_ops *ops,
			       struct x86_result *res, const void *arg)
{
	(void)arg;
	return x86_emulate(&v->regs, ops, res);
}

void hv_exit_mmio(struct vcpu *v, uint64_t gpa)
{
	iom_status_t st;

	if (hv_mmio_fast(v, gpa, &st)) {
		if (st != IOM_OK) {
			struct x86_result res = { .cb_status = st };
			finish(v, X86_CALLBACK, &res, gpa, "the instruction");
		}
		return;
	}
	struct x86_result res = { 0 };
	vcpu_full_state(v); /* the emulator walks and decodes with all of it */
	finish(v, run_emulator(v, emulate, NULL, &res), &res, gpa, "the instruction");
}

static enum x86_status string_io(struct vcpu *v, const struct x86_ops *ops,
				 struct x86_result *res, const void *arg)
{
	return x86_string_io(&v->regs, ops, arg, res);
}

/* Never inlined into hv_exit_port: the plain IN/OUT exit would carry this
 * one's large frame (the emulator's state) on every exit. */
__attribute__((noinline)) void hv_exit_port_string(struct vcpu *v,
						   const struct hv_port_access *a)
{
	struct x86_result res = { 0 };
	struct guest_access ga = { v, IOM_CTX_EXIT };
	struct x86_ops ops;
	struct x86_insn insn;

	/* The exit information lacks the segment (and, on some CPUs, the address
	 * size); the instruction has both. */
	vcpu_full_state(v);
	guest_ops_init(&ops, &ga);
	enum x86_status s = x86_fetch_insn(&v->regs, &ops, &insn, &res);
	if (s != X86_OK) {
		finish(v, s, &res, 0, "string I/O");
		return;
	}
	struct x86_string_io io = {
		.port = a->port,
		.size = a->size,
		.in = a->in,
		.rep = a->rep,
		.addr_size = insn.addr_size,
		.seg = insn.seg_override >= 0 ? (uint8_t)insn.seg_override : X86_DS,
		.insn_len = insn.len,
	};
	finish(v, run_emulator(v, string_io, &io, &res), &res, 0, "string I/O");
}
