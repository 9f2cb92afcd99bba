/* SPDX-License-Identifier: GPL-2.0-only */
/* SVM exit information <-> vendor-neutral records (svm/exit_decode.h). */
#include "svm/exit_decode.h"
#include "hv/x86/arch.h"
#include "svm/vmcb.h"

/* A string instruction's address size (APM Vol. 2 §15.10.2). QEMU leaves
 * the bits clear: 0 lets the common code decode it from the instruction. */
static uint8_t ioio_addr_size(uint64_t info)
{
	return info & SVM_IOIO_A64 ? 8 : info & SVM_IOIO_A32 ? 4 : info & SVM_IOIO_A16 ? 2 : 0;
}

void svm_ioio_decode(uint64_t info, uint64_t next_rip, struct hv_port_access *a)
{
	*a = (struct hv_port_access){
		.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT),
		.size = info & SVM_IOIO_SZ32 ? 4 : info & SVM_IOIO_SZ16 ? 2 : 1,
		.in = info & SVM_IOIO_IN,
		.string = info & SVM_IOIO_STR,
		.rep = info & SVM_IOIO_REP,
		/* Only INS and OUTS have one; the common IN and OUT pay
		 * nothing for it. */
		.addr_size = info & SVM_IOIO_STR ? ioio_addr_size(info) : 0,
		/* EXITINFO2 is the next RIP on IOIO exits, NRIP save or not. */
		.next_rip = next_rip,
	};
}

/* SVM knows four types (§15.20): INT1, INT3 and INTO are exceptions there. */
uint64_t svm_event_encode(const struct hv_event *e)
{
	if (!e->valid)
		return 0;
	uint64_t type = e->type == HV_EVENT_SOFT_INT ? HV_EVENT_SOFT_INT
			: e->type == HV_EVENT_PRIV_SOFT_EXC || e->type == HV_EVENT_SOFT_EXC
			    ? HV_EVENT_EXCEPTION : e->type;
	uint64_t code = e->vector | type << SVM_EVTINJ_TYPE_SHIFT | SVM_EVTINJ_VALID;
	if (e->has_error)
		code |= SVM_EVTINJ_ERROR_VALID | (uint64_t)e->error << SVM_EVTINJ_ERROR_SHIFT;
	return code;
}

struct hv_event svm_event_decode(uint64_t info)
{
	struct hv_event e = { 0 };
	if (!(info & SVM_EVTINJ_VALID))
		return e;
	e.valid = true;
	e.vector = (uint8_t)(info & SVM_EVTINJ_VECTOR_MASK);
	e.type = (uint8_t)((info & SVM_EVTINJ_TYPE_MASK) >> SVM_EVTINJ_TYPE_SHIFT);
	/* #BP and #OF only come from INT3 and INTO: software exceptions. */
	if (e.type == HV_EVENT_EXCEPTION && (e.vector == X86_EXC_BP || e.vector == X86_EXC_OF))
		e.type = HV_EVENT_SOFT_EXC;
	e.has_error = info & SVM_EVTINJ_ERROR_VALID;
	e.error = e.has_error ? (uint32_t)(info >> SVM_EVTINJ_ERROR_SHIFT) : 0;
	return e;
}
