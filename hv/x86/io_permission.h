/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/io_permission.h - may this CPL touch this port? (SDM Vol. 1 §19.5.1
 * I/O privilege level, §19.5.2 I/O permission bit map; APM Vol. 2 §13.3.)
 *
 * In protected mode with CPL > IOPL, and always in virtual-8086 mode, an
 * I/O instruction may reach a port only if the bits of all its bytes are
 * clear in the I/O permission bitmap of the current 32- or 64-bit TSS;
 * otherwise, or if that part of the bitmap lies beyond the TSS limit, it
 * raises #GP(0) before touching the port or memory. The CPU checks this
 * before an I/O exit; an INS or OUTS that reaches the hypervisor through an
 * MMIO exit on its memory operand is re-fetched, and the bytes may not be the
 * instruction the CPU checked, so the emulator checks again.
 */
#ifndef HV_X86_IO_PERMISSION_H
#define HV_X86_IO_PERMISSION_H

#include "ops.h"
#include "regs.h"
#include "result.h"

/* X86_OK when r may access size bytes at port; else the #GP(0) (or the fault
 * of reading the TSS) in res. */
enum x86_status x86_io_permitted(const struct x86_regs *r, const struct x86_ops *ops,
				 uint16_t port, unsigned size, struct x86_result *res);

#endif
