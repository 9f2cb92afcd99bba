/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/result.h - how every hv/x86 entry point reports its outcome.
 *
 * Each entry point returns an enum x86_status and fills a struct
 * x86_result the caller provides:
 *   X86_OK           done; registers updated as the CPU would leave them.
 *   X86_FAULT        res->fault is the exception the CPU would raise; the
 *                    caller injects it (for #PF it also loads CR2 with
 *                    res->fault.cr2). RIP still points at the instruction.
 *   X86_UNSUPPORTED  the instruction is not one the library emulates (or
 *                    could not be decoded); res->insn/insn_len hold the
 *                    bytes fetched so the caller can log them (with RIP and
 *                    the GPA of the exit) and inject #UD or #GP. Nothing
 *                    changed.
 *   X86_CALLBACK     a callback returned nonzero; res->cb_status is that
 *                    value, passed through unchanged. Registers reflect the
 *                    work completed before it (see emulate.h).
 */
#ifndef HV_X86_RESULT_H
#define HV_X86_RESULT_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/x86/arch.h"

enum x86_status {
	X86_OK = 0,
	X86_FAULT,
	X86_UNSUPPORTED,
	X86_CALLBACK,
};

struct x86_fault {
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	uint64_t cr2;  /* #PF only: the faulting linear address */
};

struct x86_result {
	struct x86_fault fault;  /* X86_FAULT */
	int cb_status;           /* X86_CALLBACK */
	uint8_t insn[15];        /* instruction bytes fetched (x86_emulate) */
	uint8_t insn_len;        /* decoded length, or bytes fetched if unknown */
	/* x86_emulate completed an instruction while RFLAGS.TF was set: the
	 * caller owes the guest a single-step #DB trap (SDM Vol. 3A §18.3.1.4). */
	bool single_step;
};

static inline enum x86_status x86_raise(struct x86_result *res, uint8_t vector,
					bool has_ec, uint32_t ec, uint64_t cr2)
{
	res->fault.vector = vector;
	res->fault.has_error_code = has_ec;
	res->fault.error_code = ec;
	res->fault.cr2 = cr2;
	return X86_FAULT;
}

static inline enum x86_status x86_callback_failed(struct x86_result *res,
						  int status)
{
	res->cb_status = status;
	return X86_CALLBACK;
}

#endif
