/* SPDX-License-Identifier: GPL-2.0-only */
/* The vendor-neutral event rules of hv/exit/event.h: pure functions, built on the
 * host for the unit tests as well. */
#include "hv/exit/event.h"
#include "hv/x86/arch.h"

bool hv_exception_has_error_code(uint8_t vector, bool protected_mode)
{
	if (!protected_mode)
		return false;
	switch (vector) {
	case X86_EXC_DF:
	case X86_EXC_TS:
	case X86_EXC_NP:
	case X86_EXC_SS:
	case X86_EXC_GP:
	case X86_EXC_PF:
	case X86_EXC_AC:
	case X86_EXC_CP:
		return true;
	default:
		return false;
	}
}

struct hv_event hv_event_exception(uint8_t vector, uint32_t error, bool protected_mode)
{
	bool has_error = hv_exception_has_error_code(vector, protected_mode);
	return (struct hv_event){ .valid = true, .type = HV_EVENT_EXCEPTION, .vector = vector,
				  .has_error = has_error, .error = has_error ? error : 0 };
}

/* Table 6-3 / 6-4 classes: benign, contributory, page fault; #DF by itself. */
enum exc_class { BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT };

static enum exc_class exc_class(const struct hv_event *e)
{
	if (e->type != HV_EVENT_EXCEPTION)
		return BENIGN; /* interrupts, NMIs and software events */
	switch (e->vector) {
	case X86_EXC_DE:
	case X86_EXC_TS:
	case X86_EXC_NP:
	case X86_EXC_SS:
	case X86_EXC_GP:
		return CONTRIBUTORY;
	case X86_EXC_PF:
		return PAGE_FAULT;
	case X86_EXC_DF:
		return DOUBLE_FAULT;
	default:
		return BENIGN;
	}
}

struct hv_event hv_event_combine(const struct hv_event *first, const struct hv_event *second,
				 bool protected_mode, bool *shutdown)
{
	enum exc_class a = exc_class(first), b = exc_class(second);
	bool serious = b == CONTRIBUTORY || b == PAGE_FAULT;

	*shutdown = false;
	if (a == DOUBLE_FAULT && serious) {
		*shutdown = true;
		return (struct hv_event){ 0 };
	}
	if ((a == CONTRIBUTORY && b == CONTRIBUTORY) || (a == PAGE_FAULT && serious))
		/* #DF pushes 0 in protected mode (§6.15, Interrupt 8). */
		return hv_event_exception(X86_EXC_DF, 0, protected_mode);
	return *second;
}

bool hv_event_reinject(const struct hv_event *e, bool soft_rerun)
{
	if (!e->valid)
		return false;
	switch (e->type) {
	case HV_EVENT_SOFT_INT:
	case HV_EVENT_PRIV_SOFT_EXC:
	case HV_EVENT_SOFT_EXC:
		return !soft_rerun;
	default:
		return true;
	}
}
