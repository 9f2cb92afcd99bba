/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/string_io.c - INS/OUTS memory side, chunked and restartable.
 */
#include "guest_mem.h"
#include "segment.h"
#include "string_io.h"

/* Elements moved per chunk at most. */
#define CHUNK_BYTES 256u

/* Reverse the order of n elements of size bytes in place (DF=1: the
 * instruction walks memory downwards, the chunk buffer is in memory
 * order). */
static void reverse_elements(uint8_t *buf, uint64_t n, unsigned size)
{
	for (uint64_t i = 0, j = n - 1; i < j; i++, j--) {
		for (unsigned k = 0; k < size; k++) {
			uint8_t t = buf[i * size + k];

			buf[i * size + k] = buf[j * size + k];
			buf[j * size + k] = t;
		}
	}
}

static void set_addr_reg(struct x86_regs *r, unsigned reg, unsigned asz,
			 uint64_t val)
{
	/* 16-bit address size merges, 32-bit zero-extends (as the emulator
	 * does for every address-size register update). */
	x86_gpr_write(r, reg, false, asz, val);
}

/*
 * How many elements, starting at offset off and walking in direction dir,
 * can go in one chunk: no more than wanted, than fit in the buffer, than
 * stay in the current page, and no offset wrap at the address size.
 */
static uint64_t chunk_elements(uint64_t wanted, uint64_t la, uint64_t off,
			       uint64_t amask, unsigned size, bool down)
{
	uint64_t n = wanted, page_off = la & (X86_PAGE_SIZE - 1), fit;

	if (n > CHUNK_BYTES / size)
		n = CHUNK_BYTES / size;
	if (down) {
		fit = page_off / size + 1;   /* elements at la, la-size, ... */
		if (fit > off / size + 1)
			fit = off / size + 1;
	} else {
		fit = (X86_PAGE_SIZE - page_off) / size;
		if (fit > (amask - off) / size + 1)
			fit = (amask - off) / size + 1;
	}
	if (fit == 0)
		fit = 1; /* the first element straddles a page */
	return n < fit ? n : fit;
}

enum x86_status x86_string_io(struct x86_regs *r, const struct x86_ops *ops,
			      const struct x86_string_io *io,
			      struct x86_result *res)
{
	unsigned size = io->size, asz = io->addr_size;
	uint64_t amask = x86_size_mask(asz);
	unsigned idx = io->in ? X86_RDI : X86_RSI;
	unsigned seg = io->in ? X86_ES : io->seg;
	unsigned access = io->in ? X86_ACC_WRITE : X86_ACC_READ;
	bool down = r->rflags & X86_RFLAGS_DF;
	uint64_t count = io->rep ? (r->gpr[X86_RCX] & amask) : 1;
	uint64_t budget = ops->rep_budget ? ops->rep_budget : ~0ull;
	uint8_t buf[CHUNK_BYTES];

	while (count) {
		uint64_t off = r->gpr[idx] & amask, la, lo, n, done;
		struct x86_mem_ref ref;
		enum x86_status st;
		int rc;

		if (budget == 0)
			return X86_OK; /* RIP unchanged: the guest resumes */
		st = x86_linear_address(r, seg, off, size, access, &la, res);
		if (!st)
			st = x86_check_alignment(r, la, size, res);
		if (st)
			return st;
		n = chunk_elements(count < budget ? count : budget, la, off,
				   amask, size, down);
		for (;;) {
			lo = down ? off - (n - 1) * size : off;
			st = x86_linear_address(r, seg, lo, n * size, access,
						&la, res);
			if (!st)
				st = x86_mem_resolve(r, ops, la, n * size,
						     access, &ref, res);
			/* Retry a failing chunk as a single element so the
			 * fault is raised exactly where the CPU raises it;
			 * MMIO goes one element per callback. */
			if (n > 1 && (st == X86_FAULT ||
				      (!st && x86_mem_any_mmio(&ref)))) {
				n = 1;
				continue;
			}
			break;
		}
		if (st)
			return st;

		done = n;
		if (io->in) {
			rc = ops->port_string(ops->ctx, io->port, size, true,
					      buf, &done);
			if (done > n)
				done = n;
			if (done) {
				/* The elements done are the first ones in
				 * instruction order: at the top of the chunk
				 * when walking down. */
				uint32_t at = down ? (n - done) * size : 0;

				if (down)
					reverse_elements(buf, done, size);
				st = x86_mem_write(ops, &ref, at, buf,
						   done * size, res);
				if (st)
					return st;
			}
		} else {
			st = x86_mem_read(ops, &ref, 0, buf, n * size, res);
			if (st)
				return st;
			if (down)
				reverse_elements(buf, n, size);
			rc = ops->port_string(ops->ctx, io->port, size, false,
					      buf, &done);
			if (done > n)
				done = n;
		}

		set_addr_reg(r, idx, asz,
			     down ? off - done * size : off + done * size);
		if (io->rep)
			set_addr_reg(r, X86_RCX, asz,
				     (r->gpr[X86_RCX] & amask) - done);
		count -= done;
		budget -= done;
		if (rc)
			return x86_callback_failed(res, rc);
		if (done < n)
			return X86_OK; /* partial: re-executed by the guest */
	}
	/* Done: RIP past the instruction (wrapping at the code size), RF
	 * cleared as after any completed instruction. */
	r->rip = (r->rip + io->insn_len) &
		 x86_size_mask(x86_mode_code_bits(x86_cpu_mode(r)) / 8);
	r->rflags &= ~X86_RFLAGS_RF;
	return X86_OK;
}
