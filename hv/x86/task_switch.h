/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/task_switch.h - a hardware task switch, as a protected-mode CPU
 * performs it (SDM Vol. 3A §8.3 "Task Switching", §8.4 "Task Linking";
 * Vol. 2 pseudocode of CALL, JMP, IRET and INT n, "SWITCH-TASKS"). For a
 * hypervisor that is told of the switch instead of the CPU doing it (VMX:
 * exit reason 9, SDM Vol. 3C §26.4.2), with the guest's state in struct
 * x86_regs and struct x86_task_sys.
 *
 * What it does, in the CPU's order:
 *  1. the new TSS descriptor (GDT only): selector within the GDT, a TSS
 *     type, busy for IRET and available otherwise (#GP(sel), #TS(sel) for
 *     IRET), present (#NP(sel)), limit >= 0x67, or 0x2B for a 16-bit TSS
 *     (#TS(sel), SDM Vol. 3A §6.15 Table 6-6). The privilege checks on a
 *     task gate or a TSS descriptor are not repeated: the exit does not say
 *     whether a gate was used, and the CPU made them before it exited (SDM
 *     Vol. 3C §26.4.2, check 1).
 *  2. every page of the old TSS, the new TSS and both descriptors is
 *     translated before anything is written (#PF in the old task);
 *  3. the old task's EIP, EFLAGS (NT cleared for IRET), GPRs and segment
 *     selectors go to the old TSS; its busy bit is cleared for JMP and IRET;
 *  4. CALL and event delivery: the new TSS's link is the old TR selector,
 *     the new EFLAGS get NT; JMP, CALL and events set the new busy bit;
 *  5. TR, CR0.TS, DR7's local enables L0-L3 cleared (SDM Vol. 3B §18.2.4),
 *     CR3 (with paging; PAE PDPTEs through the caller's check), EIP,
 *     EFLAGS, GPRs, selectors, LDTR: the switch is complete from here, and
 *     a later fault is raised in the new task (*sys->switched);
 *  6. LDTR, CS, SS, DS, ES, FS, GS descriptors loaded and checked (#TS,
 *     #NP, #SS for SS, error code the selector), or virtual-8086 segments
 *     when the new EFLAGS.VM is set;
 *  7. an exception's error code pushed on the new stack (#SS if it does
 *     not fit), EIP checked against the new CS limit (#GP(0));
 *  8. the TSS's T bit: sys->debug_trap asks for the #DB with DR6.BT.
 * Error codes of faults raised while delivering an external event have
 * EXT (bit 0) set (SDM Vol. 3A §6.13).
 *
 * 16-bit TSSs (types 1 and 3) are saved and loaded in their own format (no
 * CR3, FS, GS or T flag; a word for the error code). A TSS, descriptor
 * table or new stack in trapped (MMIO) memory is refused: X86_UNSUPPORTED
 * (the caller treats it as the CPU's shutdown). A segment whose descriptor load faulted in
 * the new task keeps its new selector and is unusable; CS keeps the old
 * descriptor cache (VM entry needs a usable CS), the fault's handler loads
 * its own.
 */
#ifndef HV_X86_TASK_SWITCH_H
#define HV_X86_TASK_SWITCH_H

#include <stdbool.h>
#include <stdint.h>
#include "ops.h"
#include "regs.h"
#include "result.h"

/* What started the switch (numbered as VMX's exit qualification, SDM Vol. 3C
 * §28.2.1, Table 28-2, bits 31:30). */
enum x86_task_source {
	X86_TASK_CALL = 0,
	X86_TASK_IRET = 1,
	X86_TASK_JMP = 2,
	X86_TASK_GATE = 3, /* an event delivered through a task gate in the IDT */
};

struct x86_task_switch {
	enum x86_task_source source;
	uint16_t selector;	/* the new task's TSS (for IRET: the old TSS's link) */
	/* The old task resumes at RIP + insn_len: the length of CALL, JMP,
	 * IRET, INT n, INT3, INTO or INT1; 0 for a hardware event. */
	uint8_t insn_len;
	bool ext;		/* an external event: EXT in error codes */
	bool has_error;		/* an exception with an error code to push */
	uint32_t error;
	/* With PAE paging, the PDPTEs the new CR3 loads (SDM Vol. 3A §4.4.1):
	 * false when one is invalid (#GP(0) in the new task, CR3 unchanged). */
	bool (*load_pdptes)(void *ctx, uint64_t cr3, uint64_t pdpte[4]);
	void *pdptes_ctx;
};

/* The guest state beyond struct x86_regs a task switch reads and writes. */
struct x86_task_sys {
	uint64_t gdtr_base;
	uint32_t gdtr_limit;
	struct x86_segment ldtr;
	uint64_t dr7;
	/* Out: the new task's state is in regs and here (a fault, if any, is
	 * then the new task's); CR3 (and PDPTEs) loaded; the T bit was set. */
	bool switched;
	bool cr3_loaded;
	bool debug_trap;
};

enum x86_status x86_task_switch(struct x86_regs *r, struct x86_task_sys *sys,
				const struct x86_ops *ops, const struct x86_task_switch *ts,
				struct x86_result *res);

#endif
