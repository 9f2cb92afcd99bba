/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO fast path's memory of the last few accesses it made on each vCPU
 * (hv/exit/mmio_last.c): the same instruction at the same address again
 * skips the fetch, the decode and the checks of hv/exit/mmio_fast.c. */
#ifndef HV_EXIT_MMIO_LAST_H
#define HV_EXIT_MMIO_LAST_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/code_key.h"
#include "hv/vcpu.h"
#include "hv/x86/fast_mov.h"
#include "hv/x86/fetch64.h"

/* What the fast path found for one access, to be remembered: the 16 bytes at
 * RIP and where they are, what they decode to, the operand's linear address,
 * and the two walks (RIP's page, the operand's page). */
struct mmio_access {
	const uint8_t *code;
	uint64_t code_gpa;
	const struct x86_fast_mov *m;
	uint64_t la;
	const struct x86_fetch_walk *code_walk, *data_walk;
};

/* The MOV of a remembered access, with its linear address in *la, if this
 * exit (at gpa, with the code key k, hv/exit/code_key.h) is that access again
 * with every input of its checks unchanged; NULL otherwise. */
const struct x86_fast_mov *mmio_last_match(struct vcpu *v, const struct code_key *k, uint64_t gpa,
					   uint64_t *la);

/* Remembers an access the fast path let through at gpa under the key k (read
 * before its walks), every check passed. */
void mmio_last_record(struct vcpu *v, const struct code_key *k, uint64_t gpa,
		      const struct mmio_access *a);

#endif
