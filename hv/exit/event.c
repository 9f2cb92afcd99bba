/* SPDX-License-Identifier: GPL-2.0-only */
/* Event delivery at the end of an exit, for both vendors (hv/exit/event.h has the
 * rules, hv/vendor.h the hooks that write the result to the VMCB or VMCS).
 *
 * Order: an exception the hypervisor raised belongs to the instruction at RIP
 * and goes first (combined with an event whose delivery the exit cut short, as
 * the CPU would combine them); else the cut-short event is delivered again;
 * else an NMI waiting for the guest, unless the guest blocks NMIs now, in which
 * case the backend is asked for an exit when it can take one. */
#include "hv/exit/event.h"
#include "hv/console/console.h"
#include "hv/exit/exit.h"
#include "hv/exit/exit_tail.h"
#include "hv/vendor.h"
#include "hv/x86/regs.h"

static bool guest_protected_mode(struct vcpu *v)
{
	vcpu_full_state(v); /* an exception is rare: the full read is fine */
	return v->regs.cr0 & X86_CR0_PE;
}

static struct hv_event raised_exception(struct vcpu *v, const struct hv_event *cut)
{
	bool pe = guest_protected_mode(v), shutdown;
	struct hv_event e = hv_event_exception(v->event.vector, v->event.error, pe);

	/* CR2 is written when the #PF is detected, even when it becomes a #DF
	 * (SDM Vol. 3A §6.15, Interrupt 14). */
	if (v->event.set_cr2)
		hv_vendor->write_cr2(v, v->event.cr2);
	v->event.pending = false;
	if (!cut->valid)
		return e;
	e = hv_event_combine(cut, &e, pe, &shutdown);
	if (shutdown)
		hv_guest_shutdown(v, "exception while delivering a double fault");
	log_debug("vcpu %u: exception %u raised while delivering event %u: injecting %u",
		  v->index, v->event.vector, cut->vector, e.vector);
	return e;
}

void hv_deliver_events(struct vcpu *v)
{
	const struct vendor_ops *ops = hv_vendor;
	/* An NMI the host took after the exit tail looked for an INIT
	 * (hv_exit_finish) may be the one that carries an INIT (hv/exit/ipi.h):
	 * it is no NMI for the guest. Take the INIT now, before anything reaches
	 * the guest, and write the state it left. */
	if (v->nmi_pending && __atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE)) {
		hv_exit_take_init(v);
		ops->store_regs(v, false);
	}
	struct hv_event e = { 0 }, cut = v->interrupted;

	v->interrupted.valid = false;
	if (!hv_event_reinject(&cut, ops->soft_events_rerun))
		cut.valid = false;
	if (v->event.pending)
		e = raised_exception(v, &cut);
	else if (cut.valid)
		e = cut;
	if (!e.valid && v->nmi_pending && !ops->nmi_blocked(v)) {
		e = (struct hv_event){ .valid = true, .type = HV_EVENT_NMI, .vector = X86_EXC_NMI };
		v->nmi_pending = false;
	}
	if (e.valid)
		ops->inject(v, &e);
	/* The host's NMI handler may set nmi_pending at any moment (hv/host.c):
	 * the backend looks again after closing the window. */
	if (v->nmi_pending || v->nmi_window) {
		v->nmi_window = v->nmi_pending;
		ops->nmi_window(v, v->nmi_window);
	}
}

/* The flags events_raised stands for (struct vcpu): anything to deliver. */
static bool events_waiting(const struct vcpu *v)
{
	return v->event.pending || v->interrupted.valid || v->nmi_pending || v->nmi_window;
}

/* The exit tail's step 5 (hv/exit/exit_tail.h), when events_raised was up.
 * The word is cleared before the flags are read, so a flag set meanwhile (the
 * host's NMI handler) raises it again; whatever is still waiting afterwards
 * (an NMI the guest blocks, its window open) keeps it raised for the next
 * exit, as the flags alone were tested before. */
void hv_exit_events(struct vcpu *v)
{
	__atomic_exchange_n(&v->events_raised, 0, __ATOMIC_ACQ_REL);
	if (events_waiting(v))
		hv_deliver_events(v);
	if (events_waiting(v))
		vcpu_events_raise(v);
}
