/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/pagewalk.h - guest linear -> guest-physical translation.
 *
 * Walks the guest's own page tables in whatever paging mode the registers
 * say (none, 32-bit with PSE 4 MiB pages, PAE, 4-level, 5-level; SDM Vol. 3A
 * chapter 4) and applies the access rights the CPU would (§4.6): U/S, R/W
 * with CR0.WP, XD with EFER.NXE, CR4.SMEP, CR4.SMAP with RFLAGS.AC.
 * Not modelled: protection keys (CR4.PKE/PKS), shadow stacks, HLAT, LAM,
 * implicit supervisor accesses, and the TLB (the walk always uses the
 * current tables).
 *
 * Accessed/dirty bits: set through ops->pte_set_bits when the backend
 * provides it, only after the walk succeeded (see ops.h).
 */
#ifndef HV_X86_PAGEWALK_H
#define HV_X86_PAGEWALK_H

#include "ops.h"
#include "regs.h"
#include "result.h"

/* Access kinds. User vs supervisor follows regs->cpl (3 = user). */
#define X86_ACC_READ  0u
#define X86_ACC_WRITE (1u << 0)
#define X86_ACC_FETCH (1u << 1)

#define X86_PAGE_SIZE 4096ull

/*
 * Translate la for an access of the given kind. On success *gpa is the
 * guest-physical address of la. A failed walk returns X86_FAULT with the
 * #PF the CPU would raise (vector 14, error code per SDM Vol. 3A §4.7,
 * cr2 = la); a failed read_gpa returns X86_CALLBACK.
 * With paging off the linear address is the physical address.
 */
enum x86_status x86_translate(const struct x86_regs *regs,
			      const struct x86_ops *ops, uint64_t la,
			      unsigned access, uint64_t *gpa,
			      struct x86_result *res);

#endif
