/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/emulate_internal.h - state and helpers shared by emulate*.c.
 */
#ifndef HV_X86_EMULATE_INTERNAL_H
#define HV_X86_EMULATE_INTERNAL_H

#include "decode.h"
#include "emulate.h"
#include "guest_mem.h"

struct x86_emu {
	struct x86_regs *guest;  /* the caller's registers: committed state */
	struct x86_regs r;       /* working copy */
	const struct x86_ops *ops;
	struct x86_result *res;
	struct x86_insn in;
	bool completed;          /* RIP advanced past the instruction */
};

/* Effective address (offset within the segment) of a memory operand,
 * truncated to the address size. */
uint64_t x86_emu_ea(const struct x86_emu *e, const struct x86_operand *o);

/* Translate seg:off (size bytes) for access and, for access & READ, read
 * the value (little-endian, zero-extended). */
enum x86_status x86_emu_mem_resolve(struct x86_emu *e, unsigned seg,
				    uint64_t off, unsigned size,
				    unsigned access, struct x86_mem_ref *ref);
enum x86_status x86_emu_mem_load(struct x86_emu *e,
				 const struct x86_mem_ref *ref, uint64_t *val);
enum x86_status x86_emu_mem_store(struct x86_emu *e,
				  const struct x86_mem_ref *ref, uint64_t val);

/*
 * Operand access. x86_emu_load reads an operand of o->size bytes; with
 * for_write, a memory operand is translated for writing and *ref keeps the
 * translation for x86_emu_store (read-modify-write). x86_emu_store with a
 * NULL ref translates by itself. Immediates load sign-extended, masked to
 * the operand size.
 */
enum x86_status x86_emu_load(struct x86_emu *e, const struct x86_operand *o,
			     bool for_write, struct x86_mem_ref *ref,
			     uint64_t *val);
enum x86_status x86_emu_store(struct x86_emu *e, const struct x86_operand *o,
			      const struct x86_mem_ref *ref, uint64_t val);

/* Write an address-size register (rSI, rDI, rCX): 16-bit merges, 32-bit
 * zero-extends, 64-bit replaces. */
void x86_emu_set_addr_reg(struct x86_emu *e, unsigned reg, uint64_t val);

/* Copy the working registers to the caller's (RIP unchanged). */
void x86_emu_commit(struct x86_emu *e);
/* The instruction is done: advance RIP, clear RF, commit. */
enum x86_status x86_emu_finish(struct x86_emu *e);

/* Instruction classes (emulate_alu.c, emulate_string.c). */
enum x86_status x86_emu_alu(struct x86_emu *e);
enum x86_status x86_emu_unary(struct x86_emu *e);
enum x86_status x86_emu_bittest(struct x86_emu *e);
enum x86_status x86_emu_string(struct x86_emu *e);

#endif
