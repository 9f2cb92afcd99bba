/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/guest_mem.c - resolve and perform split guest-memory accesses.
 */
#include "guest_mem.h"

enum x86_status x86_mem_resolve(const struct x86_regs *r,
				const struct x86_ops *ops, uint64_t la,
				uint32_t size, unsigned access,
				struct x86_mem_ref *ref, struct x86_result *res)
{
	uint64_t mask = x86_cpu_mode(r) == X86_MODE_LONG64 ? ~0ull
							    : 0xffffffffull;
	uint32_t done = 0;

	ref->la = la;
	ref->size = size;
	ref->n = 0;
	while (done < size && ref->n < 2) {
		uint64_t a = (la + done) & mask;
		uint32_t room = X86_PAGE_SIZE - (a & (X86_PAGE_SIZE - 1));
		uint32_t len = size - done < room ? size - done : room;
		struct x86_mem_span *s = &ref->span[ref->n];
		enum x86_status st;

		st = x86_translate(r, ops, a, access, &s->gpa, res);
		if (st)
			return st;
		s->len = len;
		s->mmio = ops->is_mmio ? ops->is_mmio(ops->ctx, s->gpa) : false;
		ref->n++;
		done += len;
	}
	return X86_OK;
}

static enum x86_status move(const struct x86_ops *ops,
			    const struct x86_mem_ref *ref, uint32_t off,
			    uint8_t *buf, uint32_t len, bool write,
			    struct x86_result *res)
{
	uint32_t pos = 0; /* offset of the current span within the access */

	for (unsigned i = 0; i < ref->n && len; i++) {
		const struct x86_mem_span *s = &ref->span[i];
		uint32_t start, n;
		uint64_t gpa;
		int rc;

		if (off >= pos + s->len) {
			pos += s->len;
			continue;
		}
		start = off - pos;
		n = s->len - start < len ? s->len - start : len;
		gpa = s->gpa + start;
		if (write)
			rc = s->mmio ? ops->mmio_write(ops->ctx, gpa, buf, n)
				     : ops->ram_write(ops->ctx, gpa, buf, n);
		else
			rc = s->mmio ? ops->mmio_read(ops->ctx, gpa, buf, n)
				     : ops->ram_read(ops->ctx, gpa, buf, n);
		if (rc)
			return x86_callback_failed(res, rc);
		buf += n;
		off += n;
		len -= n;
		pos += s->len;
	}
	return X86_OK;
}

enum x86_status x86_mem_read(const struct x86_ops *ops,
			     const struct x86_mem_ref *ref, uint32_t off,
			     void *buf, uint32_t len, struct x86_result *res)
{
	return move(ops, ref, off, buf, len, false, res);
}

enum x86_status x86_mem_write(const struct x86_ops *ops,
			      const struct x86_mem_ref *ref, uint32_t off,
			      const void *buf, uint32_t len,
			      struct x86_result *res)
{
	return move(ops, ref, off, (uint8_t *)(uintptr_t)buf, len, true, res);
}

bool x86_mem_any_mmio(const struct x86_mem_ref *ref)
{
	for (unsigned i = 0; i < ref->n; i++)
		if (ref->span[i].mmio)
			return true;
	return false;
}
