/* SPDX-License-Identifier: GPL-2.0-only */
/* Events the hypervisor delivers to the guest at an entry: the one place that
 * decides what is injected, in which order, and with which error code, for both
 * vendors. A backend only translates struct hv_event to and from its hardware
 * format (svm/exit_decode.c: EVENTINJ / EXITINTINFO; vmx/exit_decode.c: VM-entry
 * interruption information / IDT-vectoring information).
 *
 * The rules here are pure (no struct vcpu) so that they build on the host;
 * hv/exit/event.c applies them to a vCPU at the end of every exit (hv/exit/exit_tail.c). */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* The kinds of event, numbered as both vendors' type fields number them (SDM
 * Vol. 3C §25.8.3, Table 25-17; AMD APM Vol. 2 §15.20 uses 0, 2, 3 and 4 of
 * them: INT1, INT3 and INTO are "exceptions" there). */
enum hv_event_type {
	HV_EVENT_EXT_INT = 0,	    /* external interrupt */
	HV_EVENT_NMI = 2,
	HV_EVENT_EXCEPTION = 3,	    /* hardware exception (fault, trap or abort) */
	HV_EVENT_SOFT_INT = 4,	    /* INT n */
	HV_EVENT_PRIV_SOFT_EXC = 5, /* INT1 (ICEBP) */
	HV_EVENT_SOFT_EXC = 6,	    /* INT3, INTO */
};

/* One event, vendor-neutral: what an entry injects, or what an exit reports as
 * cut short. */
struct hv_event {
	bool valid;
	uint8_t type; /* enum hv_event_type */
	uint8_t vector;
	bool has_error;
	uint32_t error;
	/* Software events only: the length of the instruction that raised it
	 * (VMX pushes RIP + insn_len as the return address, SDM §27.6.1.3). */
	uint8_t insn_len;
};

/* Whether an exception pushes an error code (SDM Vol. 3A §6.3.1, Table 6-1;
 * §6.13): #DF, #TS, #NP, #SS, #GP, #PF, #AC and #CP, and only in protected
 * mode: real-mode delivery pushes none, and VM entry fails when asked to
 * (SDM Vol. 3C §27.2.1.3). */
bool hv_exception_has_error_code(uint8_t vector, bool protected_mode);

/* A hardware exception, error code decided by the rule above. */
struct hv_event hv_event_exception(uint8_t vector, uint32_t error, bool protected_mode);

/* The exception raised while delivering an earlier event (the exit cut that
 * delivery short, and handling the exit raised a new one): the double-fault
 * rules of SDM Vol. 3A §6.15, Interrupt 8, Table 6-5. Contributory (#DE, #TS,
 * #NP, #SS, #GP) after contributory, or a contributory or #PF after #PF, is a
 * #DF(0); any of those after #DF is a shutdown (*shutdown set); anything else
 * is handled serially: the new exception is delivered. */
struct hv_event hv_event_combine(const struct hv_event *first, const struct hv_event *second,
				 bool protected_mode, bool *shutdown);

/* Whether the event an exit cut short is delivered again at the entry. Every
 * event is, as the vendors require (SDM Vol. 3C §31.7.1.1; APM Vol. 2
 * §15.7.2), except software events where the exit leaves RIP at their
 * instruction, which then simply runs again (soft_rerun: SVM). */
bool hv_event_reinject(const struct hv_event *e, bool soft_rerun);

#endif
