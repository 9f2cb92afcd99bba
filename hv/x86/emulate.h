/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/emulate.h - emulate the one instruction at the guest's CS:RIP.
 *
 * Use: an MMIO exit (NPT reserved-bit #NPF, EPT misconfiguration) tells
 * the backend the guest-physical address but not the instruction. The
 * backend fills a struct x86_regs, calls x86_emulate(), and acts on the
 * status:
 *
 *   struct x86_result res;
 *   switch (x86_emulate(&regs, &ops, &res)) {
 *   case X86_OK:          write back GPRs, RIP, RFLAGS; if res.single_step
 *                         inject a #DB trap (DR6.BS); resume
 *   case X86_FAULT:       inject res.fault (CR2 = res.fault.cr2 for #PF);
 *                         registers may reflect completed REP iterations:
 *                         write them back too; RIP is unchanged
 *   case X86_UNSUPPORTED: log res.insn[0..res.insn_len), RIP, GPA; inject
 *                         #UD (or #GP); nothing changed. Also returned
 *                         when the instruction bytes themselves are in
 *                         trapped MMIO (they are never fetched from there)
 *   case X86_CALLBACK:    res.cb_status is the callback's status; handle
 *                         it as the IOM says (e.g. defer and re-run)
 *   }
 *
 * The instruction is fetched through the page walker (execute access, CS
 * limit, possibly across a page), decoded, and executed against the
 * working copy of the registers; memory operands go to ops->mmio_* or
 * ops->ram_* page by page. Supported: MOV (88-8B, C6/C7, A0-A3), MOVZX,
 * MOVSX, MOVSXD, MOVNTI, MOVS/STOS/LODS (REP), CMPS/SCAS (REPE/REPNE),
 * INS/OUTS (via x86_string_io), ADD/OR/ADC/SBB/AND/SUB/XOR/CMP (00-3F,
 * 80/81/83), TEST (84/85, A8/A9, F6/F7 /0 /1), XCHG (86/87), NOT, NEG,
 * INC, DEC, BT/BTS/BTR/BTC (0F A3/AB/B3/BB, 0F BA /4-/7).
 *
 * Restartability: registers are committed only when the instruction
 * completes, so a failing callback or a fault leaves them untouched -
 * except REP string instructions, which commit RSI/RDI/RCX (and RAX,
 * RFLAGS for LODS/CMPS/SCAS) after every iteration like the CPU, and
 * resume where they stopped when re-executed. A read-modify-write
 * instruction does one read and one write; its memory is translated for
 * writing before the read, so a protection fault comes before any device
 * sees the read. A callback failing after an earlier callback of the
 * same instruction succeeded (the second half of a page-split write, the
 * write of a read-modify-write) cannot undo the first: the IOM decides
 * what its statuses mean in that case.
 *
 * LOCK and XCHG's implicit lock are honoured as far as a single read
 * followed by a single write allows; atomicity against other vCPUs on
 * the same MMIO is the IOM's business.
 */
#ifndef HV_X86_EMULATE_H
#define HV_X86_EMULATE_H

#include "decode.h"
#include "ops.h"
#include "regs.h"
#include "result.h"

enum x86_status x86_emulate(struct x86_regs *regs, const struct x86_ops *ops,
			    struct x86_result *res);

/*
 * Fetch (execute access, CS limit, page by page) and decode the
 * instruction at CS:RIP without executing it; for backends that need the
 * prefixes of an instruction (e.g. the segment override of an OUTS on SVM).
 * Same statuses as x86_emulate; res->insn/insn_len hold the bytes.
 */
enum x86_status x86_fetch_insn(const struct x86_regs *regs,
			       const struct x86_ops *ops,
			       struct x86_insn *insn, struct x86_result *res);

#endif
