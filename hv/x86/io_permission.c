/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/io_permission.c - the IOPL and I/O permission bitmap check
 * (io_permission.h).
 */
#include "io_permission.h"
#include "guest_mem.h"
#include "hv/x86/arch.h"

static enum x86_status gp0(struct x86_result *res)
{
	return x86_raise(res, X86_EXC_GP, true, 0, 0);
}

/* Reads 2 bytes of the TSS at offset off: an implicit supervisor access
 * (SDM Vol. 3A §4.6.1), so it walks as CPL 0 with RFLAGS.AC clear, which
 * also gives SMAP its implicit-access rule. */
static enum x86_status read_tss16(const struct x86_regs *r, const struct x86_ops *ops,
				  uint32_t off, uint16_t *v, struct x86_result *res)
{
	struct x86_regs sup = *r;
	struct x86_mem_ref ref;
	enum x86_status st;

	sup.cpl = 0;
	sup.rflags &= ~X86_RFLAGS_AC;
	st = x86_mem_resolve(&sup, ops, r->tr.base + off, 2, X86_ACC_READ, &ref, res);
	return st ? st : x86_mem_read(ops, &ref, 0, v, 2, res);
}

enum x86_status x86_io_permitted(const struct x86_regs *r, const struct x86_ops *ops,
				 uint16_t port, unsigned size, struct x86_result *res)
{
	enum x86_cpu_mode mode = x86_cpu_mode(r);
	unsigned iopl = (unsigned)((r->rflags & X86_RFLAGS_IOPL) >> X86_RFLAGS_IOPL_SHIFT);
	unsigned type = r->tr.attr & X86_SEG_TYPE_MASK;
	uint16_t map, bits;
	enum x86_status st;

	if (mode == X86_MODE_REAL || (mode != X86_MODE_V86 && r->cpl <= iopl))
		return X86_OK;
	/* Only a 32- or 64-bit TSS has a bitmap, and its base field must lie
	 * within the limit (§19.5.2; a 16-bit TSS has none). */
	if ((r->tr.attr & X86_SEG_UNUSABLE) ||
	    (type != X86_SEG_TYPE_TSS_AVAIL && type != X86_SEG_TYPE_TSS_BUSY) ||
	    r->tr.limit < X86_TSS_IOMAP_BASE + 1)
		return gp0(res);
	st = read_tss16(r, ops, X86_TSS_IOMAP_BASE, &map, res);
	if (st)
		return st;
	/* The CPU reads the two bytes that hold the port's bits; both must lie
	 * within the limit (§19.5.2: hence the all-ones byte after the map). */
	uint32_t off = (uint32_t)map + port / 8;
	if (off + 1 > r->tr.limit)
		return gp0(res);
	st = read_tss16(r, ops, off, &bits, res);
	if (st)
		return st;
	return bits & (((1u << size) - 1) << (port & 7)) ? gp0(res) : X86_OK;
}
