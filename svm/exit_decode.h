/* SPDX-License-Identifier: GPL-2.0-only */
/* The SVM exit information the common code needs, translated to and from
 * vendor-neutral records. Pure functions: they build on the host, where
 * test/unit/test_svm_decode.c checks them. */
#ifndef SVM_EXIT_DECODE_H
#define SVM_EXIT_DECODE_H

#include <stdint.h>
#include "hv/exit/event.h"
#include "hv/exit/exit.h"
#include "hv/exit/exit_kind.h"
#include "svm/vmcb.h"

/* An IOIO exit: EXITINFO1 (APM Vol. 2 §15.10.2, Figure 15-2) and EXITINFO2,
 * the next RIP. Into *a, not returned: a returned record is packed into
 * integers (the ABI's return registers), which the inlined exit path then
 * unpacks; through a pointer its fields stay apart, in registers. */
void svm_ioio_decode(uint64_t exit_info1, uint64_t exit_info2, struct hv_port_access *a);

/* The kind of an exit code (APM Vol. 2 Appendix C, "SVM Intercept Exit
 * Codes"), for the debug console's `stats`. Inline: with a constant code (the
 * exit handler's common cases) the count's index is a constant. */
static inline enum hv_exit_kind svm_exit_kind(uint64_t exit_code)
{
	switch (exit_code) {
	case SVM_EXIT_IOIO:
		return HV_EXIT_KIND_PORT;
	case SVM_EXIT_NPF:
		return HV_EXIT_KIND_MMIO;
	case SVM_EXIT_CPUID:
		return HV_EXIT_KIND_CPUID;
	case SVM_EXIT_MSR:
		return HV_EXIT_KIND_MSR;
	case SVM_EXIT_VMMCALL:
		return HV_EXIT_KIND_HYPERCALL;
	case SVM_EXIT_NMI:
	case SVM_EXIT_INIT:
	case SVM_EXIT_IRET: /* the end of an NMI handler, intercepted for NMI blocking */
		return HV_EXIT_KIND_NMI;
	}
	return HV_EXIT_KIND_OTHER;
}

/* EVENTINJ for e (APM Vol. 2 §15.20, Figure 15-4); 0 when e is not valid. */
uint64_t svm_event_encode(const struct hv_event *e);
/* EXITINTINFO, which has EVENTINJ's format (§15.7.2). */
struct hv_event svm_event_decode(uint64_t exit_int_info);

#endif
