/* SPDX-License-Identifier: GPL-2.0-only */
/* INIT and SIPI, for both vendors. An INIT for a virtualized CPU arrives as an
 * NMI with init_pending set (hv/exit/ipi.h), or as the vendor's INIT exit; the host
 * then waits, as a real CPU waits for a SIPI (caught at the sender), and loads
 * the state a CPU has after INIT and SIPI: real mode at vector:0000 (SDM Vol. 3A
 * §10.1.1, Table 10-1; AMD APM Vol. 2 §14.1.3). The state is built here,
 * vendor-neutral; the backend writes it (vendor_ops.write_reset_state). */
#ifndef HV_RESET_H
#define HV_RESET_H

#include <stdint.h>
#include "hv/vcpu.h"
#include "hv/x86/regs.h"

struct hv_reset_state {
	/* ES, CS, SS, DS, FS, GS (enum x86_sreg), attributes as in struct
	 * x86_segment (VMX access-rights layout). */
	struct x86_segment seg[X86_NR_SREGS];
	struct x86_segment ldtr, tr;
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint64_t cr0, cr2, cr3, cr4, efer; /* as the guest sees them */
	uint64_t dr6, dr7, pat;
};

/* The state after INIT and a SIPI with vector (pure; the GPRs, RIP and RFLAGS
 * are set in struct vcpu by hv_vcpu_reset). */
void hv_reset_state_init(struct hv_reset_state *s, uint8_t sipi_vector);
/* Loads that state into v and the backend, and drops every event in flight. */
void hv_vcpu_reset(struct vcpu *v, uint8_t sipi_vector);
/* An INIT exit: waits for the SIPI, then resets. */
void hv_exit_init(struct vcpu *v);
/* An NMI reached the host for v: when it is the INIT another CPU sent
 * (init_pending), it is consumed as that INIT and true returned. */
bool hv_nmi_is_init(struct vcpu *v);

#endif
