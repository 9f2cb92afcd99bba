/* SPDX-License-Identifier: GPL-2.0-only */
/* Exit handling common to both vendors. A backend turns its exit information
 * into these calls; each works on struct vcpu's registers (the backend loads them
 * before and writes RAX, RSP, RIP and RFLAGS back after) and may queue an event.
 * svm/exit.c and vmx/exit.c are twins around this file. */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/vcpu.h"
#include "iom/iom.h"

/* An I/O instruction, as the backend decoded it from the exit information. */
struct hv_port_access {
	uint16_t port;
	uint8_t size;	   /* 1, 2 or 4 */
	bool in;
	bool string;	   /* INS/OUTS */
	bool rep;
	uint8_t addr_size; /* string only: 2, 4 or 8; 0 when the backend does not know */
	uint64_t next_rip;
};

/* CPUID, 2 bytes: executes it for the guest with the hypervisor's changes. */
void hv_exit_cpuid(struct vcpu *v);
/* INS/OUTS: the memory side emulated, the device side through the IOM. */
void hv_exit_port_string(struct vcpu *v, const struct hv_port_access *a);
/* IN and OUT (not string): the fields of struct hv_port_access it uses,
 * passed in registers. */
void hv_exit_port_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t next_rip);
/* An I/O instruction's exit. Inline, so that the record the backend decodes
 * (also inline) never reaches memory on the common IN and OUT: its fields
 * go to hv_exit_port_io in registers, and the string-only ones are not even
 * computed. */
static inline void hv_exit_port(struct vcpu *v, const struct hv_port_access *a)
{
	if (a->string) {
		/* A copy: only it reaches memory, on this branch alone. */
		struct hv_port_access s = *a;
		hv_exit_port_string(v, &s);
	} else
		hv_exit_port_io(v, a->port, a->size, a->in, a->next_rip);
}
/* A trapped guest-physical access: fetch, decode and emulate the instruction. */
void hv_exit_mmio(struct vcpu *v, uint64_t gpa);
/* VMMCALL / VMCALL (3 bytes): the hypercall ABI in hv/exit/hypercall.h. */
void hv_exit_hypercall(struct vcpu *v);
/* The guest cannot go on, as a CPU that shuts down: a triple fault, an event
 * whose delivery touches trapped or hidden memory (its IDT, stack or TSS in
 * device or hypervisor memory), a task switch through device memory (its TSS,
 * GDT, LDT or new stack). Logs why and the
 * guest's state, then resets the machine, as the chipset does on shutdown. */
_Noreturn void hv_guest_shutdown(struct vcpu *v, const char *why);
/* Refuses the instruction at RIP with #UD (guest SVM/VMX instructions). */
void hv_exit_refuse(struct vcpu *v, const char *what);
/* An exit the hypervisor does not handle: an instruction that exits
 * unconditionally on a newer CPU (SEAMCALL, TDCALL, ...) or a new exit code.
 * Bare metal without the feature raises #UD; so does the guest here, and the
 * exit is logged. Never a panic: the guest chose the instruction. */
void hv_exit_unknown(struct vcpu *v, const char *vendor, uint64_t code, uint64_t info);
/* INVD would drop dirty cache lines, the hypervisor's among them: WBINVD keeps
 * memory coherent and is what INVD means for the guest's own data (SDM Vol. 2A,
 * INVD: software must not rely on the lines being discarded). */
void hv_exit_invd(struct vcpu *v, uint64_t next_rip);
/* Before every guest entry: commit this CPU's deferred writes, print its new
 * trace records, then the debug console's step (watchpoint hits, held log
 * messages, serial input; a stopped vCPU waits there for "continue"). */
void hv_before_entry(struct vcpu *v);

/* Acts on an IOM status for an instruction that ends at next_rip: IOM_OK
 * (nearly always) moves RIP past it, the rest see hv_complete_other. */
void hv_complete_other(struct vcpu *v, iom_status_t st, uint64_t next_rip);

static inline void hv_complete(struct vcpu *v, iom_status_t st, uint64_t next_rip)
{
	if (st == IOM_OK)
		v->regs.rip = next_rip;
	else
		hv_complete_other(v, st, next_rip);
}

/* Resets the machine (keyboard controller / PCI reset register). */
_Noreturn void hv_reset_machine(void);

#endif
