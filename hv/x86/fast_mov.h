/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/fast_mov.h - the MMIO fast path's decoder: one plain MOV between a
 * general-purpose register (or an immediate) and memory, in 64-bit mode.
 *
 * An MMIO exit is nearly always such a MOV, and the hardware has already done
 * the segmentation and the page walk of the data access (the exit reports the
 * guest-physical address), so the whole of x86_emulate() is not needed for it.
 * This decoder knows only:
 *   88/89 MOV r/m, reg          8A/8B MOV reg, r/m
 *   C6 /0 MOV r/m8, imm8        C7 /0 MOV r/m, imm16/32
 *   0F B6/B7 MOVZX reg, r/m     0F BE/BF MOVSX reg, r/m
 * with the prefixes 66, 67, REX, and the CS/DS/ES/SS overrides (no effect in
 * 64-bit mode, SDM Vol. 1 §3.3.7.1). Anything else - FS/GS overrides (their
 * bases are not at hand), LOCK, REP, other opcodes, register forms, more bytes
 * than given - is declined, and the caller uses the full emulator. Whatever it
 * accepts, x86_decode() decodes the same way (test/unit/test_x86_fast_mov.c
 * checks that).
 */
#ifndef HV_X86_FAST_MOV_H
#define HV_X86_FAST_MOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "regs.h"

#define X86_FAST_NO_REG 0xff
#define X86_FAST_RIP    0xfe /* base: RIP-relative */

struct x86_fast_mov {
	uint8_t len;       /* instruction length */
	uint8_t size;      /* bytes of memory accessed: 1, 2, 4, 8 */
	bool write;        /* memory is the destination */
	bool has_imm;      /* write: store imm instead of the register */
	bool sign_extend;  /* MOVSX */
	uint8_t reg;       /* the GPR operand, 0-15 (0-3 with high8) */
	bool high8;        /* AH, CH, DH, BH */
	uint8_t reg_size;  /* bytes of the register operand */
	uint8_t addr_size; /* 4 (67 prefix) or 8 */
	uint8_t base;      /* GPR, X86_FAST_RIP or X86_FAST_NO_REG */
	uint8_t index;     /* GPR or X86_FAST_NO_REG */
	uint8_t scale;     /* 1, 2, 4, 8 */
	int32_t disp;
	uint64_t imm;      /* sign-extended to 64 bits */
};

/* Decodes code[0..avail) as 64-bit code. True: *m describes the instruction;
 * false: not one of the forms above (nothing is known about it). */
bool x86_fast_mov_decode(const uint8_t *code, size_t avail,
			 struct x86_fast_mov *m);

/* The linear address of the memory operand (the segment base is 0: no FS/GS
 * override is accepted), wrapped at the address size. */
static inline uint64_t x86_fast_mov_address(const struct x86_regs *r,
					    const struct x86_fast_mov *m)
{
	uint64_t ea = (uint64_t)(int64_t)m->disp;

	/* RIP-relative: relative to the next instruction (§2.2.1.6). */
	if (m->base == X86_FAST_RIP)
		ea += r->rip + m->len;
	else if (m->base != X86_FAST_NO_REG)
		ea += r->gpr[m->base];
	if (m->index != X86_FAST_NO_REG)
		ea += r->gpr[m->index] * m->scale;
	/* 32-bit addresses wrap at 4 GiB (Vol. 1 §3.3.7). */
	return m->addr_size == 4 ? ea & 0xffffffffull : ea;
}

/*
 * Whether an exit's guest-physical address gpa can be taken for the operand
 * at linear address la (x86_fast_mov_address): la is canonical (la57: 57-bit
 * addresses; Vol. 1 §3.3.7.1), the operand lies within one page, and gpa is
 * its first byte's place in that page. An access split across two pages
 * reports the page that trapped, which may be the second: such accesses are
 * the full emulator's, which splits them.
 */
static inline bool x86_fast_mov_fits(const struct x86_fast_mov *m, uint64_t la,
				     bool la57, uint64_t gpa)
{
	unsigned bits = la57 ? 57 : 48;

	if ((uint64_t)((int64_t)(la << (64 - bits)) >> (64 - bits)) != la)
		return false;
	return !((la ^ gpa) & 0xfff) && (la & 0xfff) + m->size <= 0x1000;
}

/* A write: the value to store (the low m->size bytes count). */
static inline uint64_t x86_fast_mov_store_value(const struct x86_regs *r,
						const struct x86_fast_mov *m)
{
	if (m->has_imm)
		return m->imm & x86_size_mask(m->size);
	return x86_gpr_read(r, m->reg, m->high8, m->size);
}

/* Completes the instruction after its memory access succeeded: a read writes
 * the register (32-bit writes zero-extend, 8/16-bit merge; SDM Vol. 1
 * §3.4.1.1), RIP moves past the instruction and RFLAGS.RF is cleared
 * (SDM Vol. 3A §18.3.1.1), as x86_emulate() would leave them. */
static inline __attribute__((always_inline)) void
x86_fast_mov_complete(struct x86_regs *r, const struct x86_fast_mov *m, uint64_t loaded)
{
	if (!m->write) {
		uint64_t v = loaded & x86_size_mask(m->size);

		if (m->sign_extend) {
			unsigned shift = 64 - m->size * 8;

			v = (uint64_t)((int64_t)(v << shift) >> shift);
		}
		x86_gpr_write(r, m->reg, m->high8, m->reg_size, v);
	}
	r->rip += m->len;
	r->rflags &= ~X86_RFLAGS_RF;
}

#endif
