/* SPDX-License-Identifier: GPL-2.0-only */
/* NMI blocking: from the NMI handler, the guest sends itself a second NMI. It
 * must arrive only after the handler's IRET (SDM Vol. 3A §6.7.1; APM Vol. 2
 * §8.2.9): never nested inside the first handler, and not lost. The handler
 * gives the hypervisor every chance to get it wrong: CPUID exits, a trapped
 * port, hypercalls. */
#include "fidelity.h"
#include "hv/cpu.h"
#include "hvif.h"
#include "idt.h"

void nmi_handler(void);
extern volatile uint32_t nmi_depth, nmi_max_depth, nmi_count;

/* NMI to this CPU by its own APIC ID, no shorthand: "self" allows only fixed
 * delivery (SDM Vol. 3A §11.6.1, Table 11-3 notes). */
static void send_self_nmi(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	uint64_t icr = ICR_DELIVERY_NMI << 8 | ICR_LEVEL_ASSERT;
	if (base & APIC_BASE_X2APIC) {
		wrmsr(MSR_X2APIC_ICR, icr | (uint64_t)(uint32_t)rdmsr(MSR_X2APIC_FIRST + 2) << 32);
		return;
	}
	volatile uint32_t *apic = (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK);
	uint32_t id = apic[APIC_REG_ID / 4] >> 24;
	apic[APIC_REG_ICR_HIGH / 4] = id << 24;
	apic[APIC_REG_ICR_LOW / 4] = (uint32_t)icr;
}

void nmi_body(void)
{
	if (nmi_count != 1)
		return;
	send_self_nmi();
	for (unsigned i = 0; i < 200; i++) {
		cpuid(0, 0);
		if (hv_present() && i % 16 == 0)
			hypercall(HC_INFO, 0, 0, 0);
	}
}

void test_nmi_blocking(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		gprintf("guest: skip: the local APIC is disabled\n");
		return;
	}
	nmi_count = nmi_depth = nmi_max_depth = 0;
	uint64_t f = irq_save();
	guest_idt_set(X86_EXC_NMI, nmi_handler);
	send_self_nmi();
	/* Both NMIs come at once on bare metal; the ceiling only ends a broken run. */
	for (uint64_t spin = 0; nmi_count < 2 && spin < 100000000; spin++)
		cpu_relax();
	guest_idt_restore();
	irq_restore(f);
	guest_check(nmi_count == 2 && nmi_max_depth == 1,
		    "an NMI sent from the NMI handler arrives after its IRET (%u NMIs, "
		    "deepest nesting %u)",
		    nmi_count, nmi_max_depth);
}
