/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/guest_mem.h - guest linear-memory accesses, split by page and by
 * RAM/MMIO.
 *
 * An access is first resolved: every 4 KiB page it touches is translated
 * (with the access's rights) and classified as MMIO or RAM through
 * ops->is_mmio. Only then are the bytes moved, each piece to its own side
 * (mmio_* or ram_*). Resolving everything first means a write that faults
 * on its second page writes nothing, as on the CPU, and a read-modify-write
 * resolved with write access faults before its read reaches a device.
 */
#ifndef HV_X86_GUEST_MEM_H
#define HV_X86_GUEST_MEM_H

#include "ops.h"
#include "pagewalk.h"
#include "regs.h"
#include "result.h"

/* One guest-physical piece of an access: never crosses a 4 KiB page. */
struct x86_mem_span {
	uint64_t gpa;
	uint32_t len;
	bool mmio;
};

/* A resolved access of up to 4096 bytes: at most two pages. */
#define X86_MEM_MAX 4096u
struct x86_mem_ref {
	uint64_t la;
	uint32_t size;
	unsigned n;
	struct x86_mem_span span[2];
};

/* Translate [la, la+size) for access; size must be 1..X86_MEM_MAX. Outside
 * 64-bit mode linear addresses wrap at 4 GiB. */
enum x86_status x86_mem_resolve(const struct x86_regs *r,
				const struct x86_ops *ops, uint64_t la,
				uint32_t size, unsigned access,
				struct x86_mem_ref *ref, struct x86_result *res);

/* Move len bytes at offset off within a resolved access. */
enum x86_status x86_mem_read(const struct x86_ops *ops,
			     const struct x86_mem_ref *ref, uint32_t off,
			     void *buf, uint32_t len, struct x86_result *res);
enum x86_status x86_mem_write(const struct x86_ops *ops,
			      const struct x86_mem_ref *ref, uint32_t off,
			      const void *buf, uint32_t len,
			      struct x86_result *res);

/* Does any part of the access go to MMIO? */
bool x86_mem_any_mmio(const struct x86_mem_ref *ref);

#endif
