/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/disasm.h - an instruction the decoder knows, as text, and register
 * names: for the debug console's `rip` and `regs` (hv/console/cmd_inspect.c).
 *
 * Intel syntax, destination first, as the SDM writes instructions (Vol. 2A
 * §3.1.1.1): "mov dword [rax+rbx*4+0x10], ecx", "lock add byte fs:[rdi], 0x1",
 * "rep movsb". The decoder knows the emulated subset only (decode.h); the
 * caller prints anything else as bytes.
 */
#ifndef HV_X86_DISASM_H
#define HV_X86_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include "decode.h"

/* Writes insn's text into buf (always NUL-terminated when size > 0, cut at
 * size - 1); returns the length it needed. */
size_t x86_disasm(const struct x86_insn *insn, char *buf, size_t size);

/* A general register by width: "rax", "eax", "ax", "al"; high8 gives "ah"..
 * "bh" (registers 0-3); size 1, 2, 4 or 8. */
const char *x86_gpr_name(unsigned reg, unsigned size, bool high8);
/* "es", "cs", "ss", "ds", "fs", "gs" (enum x86_sreg). */
const char *x86_sreg_name(unsigned sreg);

/* A bit's name in a register the console decodes. */
struct x86_bit_name {
	uint64_t bit;
	const char *name;
};
/* The set bits of value that the table (ending with { 0, 0 }) names, as
 * "PE MP PG" (in table order); "-" when none. Written into buf like
 * x86_disasm. */
size_t x86_bit_names(uint64_t value, const struct x86_bit_name *table, char *buf, size_t size);
extern const struct x86_bit_name x86_rflags_bits[], x86_cr0_bits[], x86_cr4_bits[],
	x86_efer_bits[];

#endif
