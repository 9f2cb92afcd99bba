/* SPDX-License-Identifier: GPL-2.0-only */
/* What the MMIO fast path's kept walks and accesses depend on besides the
 * paging entries and the bytes they read: one record, taken once per exit and
 * compared by each memory (hv/exit/code_page.c, hv/exit/mmio_last.c).
 *
 * A walk of the guest's tables and its checks (hv/x86/fetch64.c) read CR0.WP,
 * CR3, CR4 (LA57, SMEP, SMAP, PKE, PKS), EFER (LMA, NXE), CS.L, the CPL class
 * (user or supervisor) and RFLAGS.AC (SDM Vol. 3A §4.5, §4.6.1), and asked
 * the hypervisor which pages are RAM, an answer the nested map's generation
 * covers (hv/exit/code_page.c says why). Whole registers are kept for
 * brevity: a change of a bit no walk reads only costs one walk afresh. */
#ifndef HV_EXIT_CODE_KEY_H
#define HV_EXIT_CODE_KEY_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/vcpu.h"
#include "hv/x86/arch.h"
#include "hv/x86/fetch64.h"

struct code_key {
	uint64_t cr0, cr3, cr4, efer, generation;
	uint32_t cs_l;
	bool user, ac;
};

/* The vCPU's key now. generation: the nested map's, read before any walk
 * that is to be kept under this key, so that a change of the map meanwhile
 * makes what is kept older than the map, never newer. */
static inline struct code_key code_key_of(const struct vcpu *v, const struct x86_code_state *cs,
					  uint64_t generation)
{
	return (struct code_key){
		.cr0 = cs->cr0,
		.cr3 = cs->cr3,
		.cr4 = cs->cr4,
		.efer = cs->efer,
		.generation = generation,
		.cs_l = cs->cs_attr & X86_SEG_L,
		.user = v->regs.cpl == 3,
		.ac = !!(v->regs.rflags & X86_RFLAGS_AC),
	};
}

static inline bool code_key_same(const struct code_key *a, const struct code_key *b)
{
	return a->cr3 == b->cr3 && a->generation == b->generation && a->cr0 == b->cr0 &&
	       a->cr4 == b->cr4 && a->efer == b->efer && a->cs_l == b->cs_l && a->user == b->user &&
	       a->ac == b->ac;
}

#endif
