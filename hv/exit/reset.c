/* SPDX-License-Identifier: GPL-2.0-only */
/* INIT and SIPI (hv/exit/reset.h). */
#include "hv/exit/reset.h"
#include "hv/cpu.h"
#include "hv/exit/ipi.h"
#include "hv/string.h"
#include "hv/vendor.h"

/* Access rights (SDM Vol. 3C §25.4.1; descriptor bits 40-47): present, S, type. */
#define AR_CODE16 (X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_CODE | X86_SEG_TYPE_W | X86_SEG_TYPE_A)
#define AR_DATA16 (X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_W | X86_SEG_TYPE_A)
#define AR_LDT (X86_SEG_P | 0x2)	 /* system type 2: LDT */
#define AR_TSS_BUSY (X86_SEG_P | 0xB) /* system type 11: busy 32-bit TSS */
#define REAL_LIMIT 0xFFFF

static struct x86_segment real_seg(uint16_t selector, uint32_t attr)
{
	return (struct x86_segment){ .selector = selector, .base = (uint64_t)selector << 4,
				     .limit = REAL_LIMIT, .attr = attr };
}

void hv_reset_state_init(struct hv_reset_state *s, uint8_t sipi_vector)
{
	*s = (struct hv_reset_state){ 0 };
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		s->seg[i] = real_seg(0, AR_DATA16);
	/* The SIPI's vector VV starts the CPU at VV00:0000 (SDM Vol. 3A §10.4.4.1). */
	s->seg[X86_CS] = real_seg((uint16_t)(sipi_vector << 8), AR_CODE16);
	s->ldtr = real_seg(0, AR_LDT);
	s->tr = real_seg(0, AR_TSS_BUSY);
	s->gdtr_limit = s->idtr_limit = REAL_LIMIT;
	s->cr0 = X86_CR0_RESET;
	s->dr6 = X86_DR6_RESET;
	s->dr7 = X86_DR7_RESET;
	s->pat = X86_PAT_RESET;
}

void hv_vcpu_reset(struct vcpu *v, uint8_t sipi_vector)
{
	struct hv_reset_state s;

	hv_reset_state_init(&s, sipi_vector);
	/* Whatever was in flight belonged to the CPU before its INIT. */
	v->event.pending = false;
	v->interrupted.valid = false;
	v->nmi_pending = false;
	hv_vendor->write_reset_state(v, &s);
	/* General registers: zero, but EDX holds the processor signature
	 * (Table 10-1). The exit tail writes RSP, RIP and RFLAGS back. */
	memset(v->regs.gpr, 0, sizeof(v->regs.gpr));
	v->regs.gpr[X86_RDX] = cpuid(1, 0).eax;
	v->regs.rip = 0;
	v->regs.rflags = X86_RFLAGS_RESET;
	v->regs.cpl = 0;
	v->full_state = false;
}

void hv_exit_init(struct vcpu *v)
{
	hv_vcpu_reset(v, hv_wait_for_sipi(v));
}

bool hv_nmi_is_init(struct vcpu *v)
{
	if (!__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE))
		return false;
	v->nmi_pending = false;
	hv_exit_init(v);
	return true;
}
