/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/alu.h - arithmetic/logic results and the RFLAGS they produce.
 *
 * Pure functions, no guest state: the emulator feeds them operand values
 * and merges the returned status flags. Flags per the instruction pages of
 * SDM Vol. 2 and Vol. 1 Appendix A (EFLAGS cross-reference). Where the SDM
 * leaves a flag undefined we pick what the CPUs we checked do (see the test
 * test/unit/test_x86_alu.c, which compares against the host CPU):
 *  - AND, OR, XOR, TEST: AF is undefined; cleared (as Intel and AMD do).
 *  - BT, BTS, BTR, BTC: OF, SF, AF, PF are undefined; left unchanged, as is
 *    ZF (which the SDM says is unaffected). Only CF changes.
 */
#ifndef HV_X86_ALU_H
#define HV_X86_ALU_H

#include <stdint.h>

/*
 * Compute `dst op src` on size bytes (1, 2, 4, 8) for op one of X86_ADD,
 * X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP, X86_TEST,
 * X86_INC, X86_DEC, X86_NEG, X86_NOT (enum x86_mnemonic; src is ignored by
 * the one-operand ones). *rflags supplies CF for ADC/SBB and receives the
 * new status flags; other RFLAGS bits are kept. Returns the result,
 * truncated to size (for CMP/TEST: the value the flags describe).
 */
uint64_t x86_alu(unsigned op, unsigned size, uint64_t dst, uint64_t src,
		 uint64_t *rflags);

/* Status flags for SF, ZF, PF of a result of size bytes. */
uint64_t x86_flags_szp(uint64_t result, unsigned size);

#endif
