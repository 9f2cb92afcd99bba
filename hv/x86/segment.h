/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/segment.h - segmentation: effective address -> linear address.
 *
 * linear = segment base + effective address, with the checks the CPU makes
 * on the way (SDM Vol. 3A §3.4, §5.3 limit checking, §5.4 type checking;
 * Vol. 1 §3.3.7.1 canonical addresses):
 *  - 64-bit mode: only FS and GS bases count, no limit or type checks; the
 *    linear address must be canonical (#GP(0), or #SS(0) for SS).
 *  - real and virtual-8086 mode: the cached limit is checked (that is what
 *    makes "unreal mode" work), attributes are not.
 *  - protected and compatibility mode: unusable (null) segments, type
 *    (no writes to code or read-only data, no reads of execute-only code)
 *    and limit (expand-up and expand-down) are checked: #GP(0), or #SS(0)
 *    for SS. Linear addresses are 32 bits and wrap.
 */
#ifndef HV_X86_SEGMENT_H
#define HV_X86_SEGMENT_H

#include "pagewalk.h"
#include "regs.h"
#include "result.h"

/* offset must already be truncated to the address size; size >= 1 bytes
 * starting there are checked. access is X86_ACC_*. */
enum x86_status x86_linear_address(const struct x86_regs *r, unsigned sreg,
				   uint64_t offset, uint64_t size,
				   unsigned access, uint64_t *la,
				   struct x86_result *res);

/* Alignment check (SDM Vol. 3A §6.15, "Interrupt 17"): with CR0.AM,
 * RFLAGS.AC and CPL 3, a data access of size 2/4/8 not aligned to its size
 * raises #AC(0). */
enum x86_status x86_check_alignment(const struct x86_regs *r, uint64_t la,
				    unsigned size, struct x86_result *res);

/* G in a segment descriptor: the limit counts 4-KiB units (§3.4.5). */
#define X86_DESC_G (1ull << 55)

/* The base (bits 31:0), byte-granular limit and attributes (without the
 * accessed bit the load sets) of the 8-byte descriptor d, loaded with sel. */
void x86_segment_from_descriptor(struct x86_segment *s, uint16_t sel, uint64_t d);

/* What the CPU caches when it loads selector sel from the GDT at gdt (limit
 * gdt_limit, in bytes): base, byte-granular limit and attributes, or an
 * unusable segment for a null, LDT or out-of-range selector. ia32e: system
 * descriptors are 16 bytes. The accessed bit is set for code and data, as the
 * load sets it in the descriptor. */
void x86_segment_from_gdt(struct x86_segment *s, uint16_t sel, const uint64_t *gdt,
			  uint32_t gdt_limit, bool ia32e);

#endif
