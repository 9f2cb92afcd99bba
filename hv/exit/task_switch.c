/* SPDX-License-Identifier: GPL-2.0-only */
/* Task-switch exits (hv/exit/task_switch.h). */
#include "hv/exit/task_switch.h"
#include "hv/console/console.h"
#include "hv/exit/exit.h"
#include "hv/mem/guest_access.h"
#include "hv/mem/pdpte.h"
#include "hv/vendor.h"
#include "hv/x86/task_switch.h"

static bool load_pdptes(void *ctx, uint64_t cr3, uint64_t pdpte[4])
{
	(void)ctx;
	return hv_read_pdptes(cr3, pdpte);
}

/* The switch's own description of the event it delivers: where the old task
 * resumes (after a software event's instruction, at a hardware event's), EXT
 * in error codes for events from outside the program (SDM Vol. 3A §6.13; INT1
 * counts as one), and the error code an exception pushes. */
static void describe_event(struct x86_task_switch *ts, const struct hv_event *e, uint8_t insn_len)
{
	bool soft = e->type == HV_EVENT_SOFT_INT || e->type == HV_EVENT_SOFT_EXC;

	ts->ext = !soft;
	ts->insn_len = soft || e->type == HV_EVENT_PRIV_SOFT_EXC ? insn_len : 0;
	ts->has_error = e->has_error;
	ts->error = e->error;
}

void hv_exit_task_switch(struct vcpu *v, const struct hv_task_exit *t)
{
	const struct hv_event cut = v->interrupted;
	struct x86_task_switch ts = { .source = (enum x86_task_source)t->source,
				      .selector = t->selector,
				      .load_pdptes = load_pdptes };
	struct x86_task_sys sys;
	struct x86_result res = { 0 };
	struct guest_access ga = { v, IOM_CTX_EXIT };
	struct x86_ops ops;

	if (ts.source == X86_TASK_GATE && cut.valid)
		describe_event(&ts, &cut, t->insn_len);
	else if (ts.source != X86_TASK_GATE)
		ts.insn_len = t->insn_len;
	vcpu_full_state(v);
	hv_vendor->load_task_state(v, &sys);
	guest_ops_init(&ops, &ga);
	log_debug("vcpu %u: task switch (source %u) to TSS 0x%x at rip 0x%lx", v->index, t->source,
		  t->selector, (unsigned long)v->regs.rip);
	enum x86_status st = x86_task_switch(&v->regs, &sys, &ops, &ts, &res);
	if (sys.switched) {
		/* The switch delivered the event: it is not delivered again
		 * (SDM Vol. 3C §28.2.4 reports it only because the switch exited). */
		v->interrupted.valid = false;
		enum hv_nmi_change nmi = HV_NMI_KEEP;
		if (ts.source == X86_TASK_IRET)
			nmi = HV_NMI_UNBLOCK;
		else if (ts.source == X86_TASK_GATE && cut.valid && cut.type == HV_EVENT_NMI)
			nmi = HV_NMI_BLOCK;
		hv_vendor->write_task_state(v, &sys, nmi);
	}
	switch (st) {
	case X86_OK:
		/* The new TSS's T flag: #DB with DR6.BT (SDM Vol. 3B §18.3.1.5);
		 * the backend set BT. */
		if (sys.debug_trap)
			hv_raise_exception(v, X86_EXC_DB, 0);
		return;
	case X86_FAULT:
		/* Before the switch the fault is the old task's and combines
		 * with the event being delivered (hv/exit/event.c); after it,
		 * the new task's. */
		hv_raise_exception(v, res.fault.vector, res.fault.error_code);
		if (res.fault.vector == X86_EXC_PF) {
			v->event.set_cr2 = true;
			v->event.cr2 = res.fault.cr2;
		}
		return;
	case X86_UNSUPPORTED:
		hv_guest_shutdown(v, "task switch with a TSS, descriptor table or stack in "
				     "device memory (not emulated)");
	case X86_CALLBACK:
		hv_guest_shutdown(v, "task switch through memory the hypervisor cannot read");
	}
}
