/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/string_io.h - the memory side of INS/OUTS (SDM Vol. 2A INS,
 * Vol. 2B OUTS, REP).
 *
 * For an IOIO/I/O-instruction exit with the string bit set the backend
 * describes the instruction (port, element size, direction, REP, address
 * size, OUTS source segment, length) and calls x86_string_io(). The device
 * side goes through ops->port_string; this code reads or writes guest
 * memory at ES:rDI (INS, no override possible) or seg:rSI (OUTS, DS unless
 * overridden), steps rDI/rSI by the size (down with RFLAGS.DF), counts rCX
 * down for REP, and advances RIP by insn_len only once the whole
 * instruction is done.
 *
 * Where the backend does not know the segment override (SVM under QEMU
 * leaves EXITINFO1's segment field 0), use x86_fetch_insn() (emulate.h) to
 * decode the instruction; x86_emulate() also handles INS/OUTS itself.
 *
 * Work is done in chunks of consecutive elements within one page (one
 * element at a time when the guest memory is MMIO or the element crosses a
 * page). Guest memory of a chunk is translated before the port is touched,
 * so a #PF or #GP is raised before the device sees the access, with rSI/
 * rDI/rCX reflecting the elements already done and RIP at the
 * instruction, as the CPU delivers a fault in the middle of a REP string.
 * If port_string completes fewer elements than asked (or fails), the
 * registers reflect the elements it did and RIP stays: the guest
 * re-executes and continues. I/O permission (IOPL, TSS bitmap) is checked
 * by the CPU before an I/O exit and is not repeated here; x86_emulate()
 * checks it for the INS/OUTS it fetched itself (io_permission.h). If a memory write
 * callback fails after an INS chunk was read from the port, that data is
 * lost; the port has been read.
 */
#ifndef HV_X86_STRING_IO_H
#define HV_X86_STRING_IO_H

#include "ops.h"
#include "regs.h"
#include "result.h"

struct x86_string_io {
	uint16_t port;
	uint8_t size;       /* 1, 2 or 4 */
	bool in;            /* INS: port -> ES:rDI; else OUTS: seg:rSI -> port */
	bool rep;
	uint8_t addr_size;  /* 2, 4 or 8: selects SI/ESI/RSI, DI.., CX.. */
	uint8_t seg;        /* OUTS source segment (enum x86_sreg) */
	uint8_t insn_len;
};

enum x86_status x86_string_io(struct x86_regs *regs,
			      const struct x86_ops *ops,
			      const struct x86_string_io *io,
			      struct x86_result *res);

#endif
