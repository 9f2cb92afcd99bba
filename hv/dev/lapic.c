/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdint.h>
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/dev/lapic.h"
#include "hv/exit/ipi.h"
#include "hv/string.h"
#include "iom/iom.h"


static uint64_t apic_base;

static volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)(apic_base + off);
}

static void send(uint64_t icr)
{
	*reg(APIC_REG_ICR_HIGH) = (uint32_t)(icr >> 32);
	*reg(APIC_REG_ICR_LOW) = (uint32_t)icr;
}

/* Local APIC registers are 32 bits wide at 16-byte strides; the hardware wants
 * aligned 32-bit accesses, which is what guests issue. Anything else is passed
 * on as issued. */
static iom_status_t apic_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t off, void *buf,
			      unsigned size)
{
	if (size == 4 && !(off & 3)) {
		uint32_t v = *reg(off);
		memcpy(buf, &v, 4);
	} else {
		memcpy(buf, (const void *)(apic_base + off), size);
	}
	return IOM_OK;
}

static iom_status_t apic_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t off,
			       const void *buf, unsigned size)
{
	if (off == APIC_REG_ICR_LOW && size == 4) {
		uint32_t low;
		memcpy(&low, buf, 4);
		uint64_t icr = (uint64_t)*reg(APIC_REG_ICR_HIGH) << 32 | low;
		hv_icr_write(vcpu_of(cpu), icr, false, send);
		return IOM_OK;
	}
	if (size == 4 && !(off & 3)) {
		uint32_t v;
		memcpy(&v, buf, 4);
		*reg(off) = v;
		/* The logical destination registers, for INIT and SIPI sent to
		 * a logical destination (hv/exit/ipi.c). */
		if (off == APIC_REG_LDR)
			vcpu_of(cpu)->xapic_ldr = v;
		else if (off == APIC_REG_DFR)
			vcpu_of(cpu)->xapic_dfr = v | APIC_DFR_RESERVED;
	} else {
		memcpy((void *)(apic_base + off), buf, size);
	}
	return IOM_OK;
}

void lapic_read_logical_id(struct vcpu *v)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
	v->xapic_ldr = 0;
	v->xapic_dfr = APIC_DFR_RESET;
	if (!(msr & APIC_BASE_ENABLE) || (msr & APIC_BASE_X2APIC))
		return;
	volatile uint32_t *page = (volatile uint32_t *)(msr & APIC_BASE_ADDR_MASK);
	v->xapic_ldr = page[APIC_REG_LDR / 4];
	v->xapic_dfr = page[APIC_REG_DFR / 4] | APIC_DFR_RESERVED;
}

void lapic_register(void)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
	if (!(msr & APIC_BASE_ENABLE) || (msr & APIC_BASE_X2APIC)) {
		log_info("lapic: %s: ICR writes arrive through the x2APIC ICR MSR",
			 msr & APIC_BASE_X2APIC ? "x2APIC mode" : "disabled");
		return;
	}
	apic_base = msr & APIC_BASE_ADDR_MASK;
	struct iom_mmio_config mc = {
		.name = "lapic",
		.size = 0x1000,
		.flags = IOM_MMIO_READ_PASSTHRU | IOM_MMIO_WRITE_PASSTHRU,
		.read = apic_read,
		.write = apic_write,
	};
	iom_mmio_handle_t h;
	iom_err_t e;
	if ((e = iom_mmio_create(&mc, &h)) || (e = iom_mmio_map(h, apic_base)))
		log_err("lapic: cannot trap the xAPIC page at 0x%lx (%s): CPUs the OS starts "
			"will run without the hypervisor", (unsigned long)apic_base, iom_err_name(e));
}
