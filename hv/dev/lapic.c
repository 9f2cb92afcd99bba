/* SPDX-License-Identifier: GPL-2.0-only */
/* The xAPIC page as an IOM client (hv/dev/lapic.h). Each CPU's APIC has its own
 * base (IA32_APIC_BASE, per CPU), which the guest may move or disable; nested
 * paging is one map for all vCPUs, so the trap covers every page at which some
 * vCPU's xAPIC sits, one IOM range per distinct page. An access through a
 * range reaches the host's identity mapping of the same address: the real
 * CPU's own APIC if its base is that page, else whatever lies beneath, as on
 * bare metal. Only interrupt-command writes to a CPU's own APIC are taken
 * over (hv_icr_write), so that a disabled or moved APIC sends nothing the
 * hypervisor would mistake for its INIT or SIPI. */
#include <stdint.h>
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/dev/apic_base.h"
#include "hv/dev/lapic.h"
#include "hv/exit/ipi.h"
#include "hv/exit/msr_safe.h"
#include "hv/mem/trap_map.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "iom/iom.h"

/* Distinct xAPIC pages trapped at once: the firmware's, and room for a guest
 * that moves some CPUs' APICs elsewhere. */
#define LAPIC_PAGES 4

struct lapic_page {
	iom_mmio_handle_t h;
	uint64_t base;	/* mapped at, or APIC_BASE_NO_PAGE */
	unsigned users; /* vCPUs whose xAPIC is here */
};

static struct lapic_page pages[LAPIC_PAGES];
static unsigned page_count; /* created */
static struct spinlock pages_lock = SPINLOCK_INIT;
/* Each vCPU's IA32_APIC_BASE as the guest last wrote it (or as found). */
static uint64_t cpu_base[HV_MAX_CPUS];
/* Whether the vCPU counts among its page's users: not when that page could
 * not be trapped, so that its leaving never takes the count of a vCPU that
 * trapped the same page later. Under pages_lock. */
static bool counted[HV_MAX_CPUS];
static struct apic_base_cpu cpu_caps;

/* The ICR of the calling CPU's own APIC, for hv_icr_write. */
static void send(uint64_t icr)
{
	uint64_t base = cpu_base[hv_cpu_index()] & APIC_BASE_ADDR_MASK;
	*(volatile uint32_t *)(base + APIC_REG_ICR_HIGH) = (uint32_t)(icr >> 32);
	*(volatile uint32_t *)(base + APIC_REG_ICR_LOW) = (uint32_t)icr;
}

static bool own_apic(unsigned cpu, const struct lapic_page *p)
{
	return apic_base_xapic_page(cpu_base[cpu]) == p->base;
}

/* Local APIC registers are 32 bits wide at 16-byte strides; the hardware wants
 * aligned 32-bit accesses, which is what guests issue. Anything else is passed
 * on as issued. */
static iom_status_t apic_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t off, void *buf,
			      unsigned size)
{
	const struct lapic_page *p = user;
	volatile uint32_t *reg = (volatile uint32_t *)(p->base + off);
	if (size == 4 && !(off & 3)) {
		uint32_t v = *reg;
		memcpy(buf, &v, 4);
	} else {
		memcpy(buf, (const void *)(p->base + off), size);
	}
	return IOM_OK;
}

static iom_status_t apic_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t off,
			       const void *buf, unsigned size)
{
	const struct lapic_page *p = user;
	volatile uint32_t *reg = (volatile uint32_t *)(p->base + off);
	bool own = own_apic(cpu, p);
	if (own && off == APIC_REG_ICR_LOW && size == 4) {
		uint32_t low;
		memcpy(&low, buf, 4);
		uint64_t icr = (uint64_t) * (volatile uint32_t *)(p->base + APIC_REG_ICR_HIGH) << 32 |
			       low;
		hv_icr_write(vcpu_of(cpu), icr, false, send);
		return IOM_OK;
	}
	if (size == 4 && !(off & 3)) {
		uint32_t v;
		memcpy(&v, buf, 4);
		*reg = v;
		/* The logical destination registers, for INIT and SIPI sent to
		 * a logical destination (hv/exit/ipi.c). */
		if (own && off == APIC_REG_LDR)
			vcpu_of(cpu)->xapic_ldr = v;
		else if (own && off == APIC_REG_DFR)
			vcpu_of(cpu)->xapic_dfr = v | APIC_DFR_RESERVED;
	} else {
		memcpy((void *)(p->base + off), buf, size);
	}
	return IOM_OK;
}

static bool page_use(uint64_t base, int users);

/* Is gpa in cpu's own xAPIC page (the page apic_read and apic_write reach
 * the CPU's own registers through)? */
static bool own_page(unsigned cpu, uint64_t gpa)
{
	return apic_base_xapic_page(cpu_base[cpu]) == (gpa & ~(uint64_t)(PAGE_SIZE_4K - 1));
}

bool lapic_fast_access(unsigned cpu, uint64_t gpa, bool write, uint64_t *value)
{
	if (!lapic_fast_register(gpa, write) || !own_page(cpu, gpa))
		return false;
	if (write)
		*(volatile uint32_t *)gpa = (uint32_t)*value;
	else
		*value = *(volatile uint32_t *)gpa;
	return true;
}

void lapic_read_logical_id(struct vcpu *v)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
	cpu_base[v->index] = msr;
	if (apic_base_xapic_page(msr) != APIC_BASE_NO_PAGE && page_count) {
		spin_lock(&pages_lock);
		counted[v->index] = page_use(msr & APIC_BASE_ADDR_MASK, 1);
		if (!counted[v->index])
			log_err("lapic: CPU %u's xAPIC at 0x%lx is not trapped: CPUs the OS starts "
				"from it will run without the hypervisor", v->index,
				(unsigned long)(msr & APIC_BASE_ADDR_MASK));
		spin_unlock(&pages_lock);
	}
	v->xapic_ldr = 0;
	v->xapic_dfr = APIC_DFR_RESET;
	if (!(msr & APIC_BASE_ENABLE) || (msr & APIC_BASE_X2APIC))
		return;
	volatile uint32_t *page = (volatile uint32_t *)(msr & APIC_BASE_ADDR_MASK);
	v->xapic_ldr = page[APIC_REG_LDR / 4];
	v->xapic_dfr = page[APIC_REG_DFR / 4] | APIC_DFR_RESERVED;
}

/* One more (users +1) or one fewer (-1) vCPU with its xAPIC at base; the
 * range is mapped with its first user and unmapped with its last. False when
 * no range could take a new page. Under pages_lock. */
static bool page_use(uint64_t base, int users)
{
	struct lapic_page *free = NULL;
	for (unsigned i = 0; i < page_count; i++) {
		struct lapic_page *p = &pages[i];
		if (p->base == base) {
			p->users += users;
			if (!p->users) {
				iom_mmio_unmap(p->h);
				p->base = APIC_BASE_NO_PAGE;
			}
			return true;
		}
		if (p->base == APIC_BASE_NO_PAGE && !free)
			free = p;
	}
	if (users < 0 || !free)
		return false;
	/* Never over the hypervisor's own memory: the handlers reach the page
	 * through the host's mapping, which for every other CPU is that
	 * memory. Left hidden, the guest's accesses there fault as before, and
	 * the APIC moved there is out of its reach (nothing it sends). */
	if (trap_map_is_hidden(base)) {
		log_warn("lapic: an xAPIC moved into the hypervisor's memory (0x%lx) stays "
			 "unreachable", (unsigned long)base);
		return false;
	}
	/* The IOM reads p->base from the handlers: set before the map. */
	free->base = base;
	iom_err_t e = iom_mmio_map(free->h, base);
	if (e) {
		log_err("lapic: cannot trap an xAPIC page at 0x%lx (%s)", (unsigned long)base,
			iom_err_name(e));
		free->base = APIC_BASE_NO_PAGE;
		return false;
	}
	free->users = 1;
	return true;
}

bool lapic_enabled(unsigned cpu)
{
	return cpu_base[cpu] & APIC_BASE_ENABLE;
}

bool lapic_base_write(struct vcpu *v, uint64_t value)
{
	uint64_t old = cpu_base[v->index];
	if (!apic_base_write_ok(&cpu_caps, old, value)) {
		log_warn("vcpu %u: WRMSR IA32_APIC_BASE 0x%lx (was 0x%lx) refused: #GP", v->index,
			 (unsigned long)value, (unsigned long)old);
		return false;
	}
	uint64_t from = apic_base_xapic_page(old), to = apic_base_xapic_page(value);
	spin_lock(&pages_lock);
	/* The new page is trapped before the APIC moves to it: no ICR write
	 * there may pass untaken. */
	bool trapped = to == from || to == APIC_BASE_NO_PAGE || !page_count || page_use(to, 1);
	if (!msr_write_safe(MSR_IA32_APIC_BASE, value)) {
		if (trapped && to != from && to != APIC_BASE_NO_PAGE && page_count)
			page_use(to, -1);
		spin_unlock(&pages_lock);
		return false;
	}
	cpu_base[v->index] = value;
	if (to != from) {
		if (counted[v->index])
			page_use(from, -1);
		counted[v->index] = trapped && to != APIC_BASE_NO_PAGE && page_count;
	}
	spin_unlock(&pages_lock);
	if (!trapped)
		log_err("vcpu %u: xAPIC moved to 0x%lx untrapped: INIT and SIPI sent through it "
			"are not caught", v->index, (unsigned long)to);
	log_debug("vcpu %u: IA32_APIC_BASE 0x%lx -> 0x%lx", v->index, (unsigned long)old,
		  (unsigned long)value);
	return true;
}

void lapic_register(void)
{
	struct cpuid_regs leaf1 = cpuid(1, 0), ext = cpuid(0x80000008, 0);
	/* Without leaf 80000008H a CPU has 36 address bits (SDM Vol. 3A
	 * §11.4.4: MAXPHYADDR). */
	cpu_caps.phys_bits = cpuid(0x80000000, 0).eax >= 0x80000008 ? ext.eax & 0xFF : 36;
	cpu_caps.x2apic = leaf1.ecx & CPUID_1_ECX_X2APIC;

	struct iom_mmio_config mc = {
		.name = "lapic",
		.size = 0x1000,
		.flags = IOM_MMIO_READ_PASSTHRU | IOM_MMIO_WRITE_PASSTHRU,
		.read = apic_read,
		.write = apic_write,
	};
	iom_err_t e = IOM_E_OK;
	for (unsigned i = 0; i < LAPIC_PAGES && !e; i++) {
		pages[i].base = APIC_BASE_NO_PAGE;
		mc.user = &pages[i];
		if (!(e = iom_mmio_create(&mc, &pages[i].h)))
			page_count++;
	}
	if (!page_count) {
		log_err("lapic: cannot create the xAPIC traps (%s): CPUs the OS starts will run "
			"without the hypervisor", iom_err_name(e));
		return;
	}
	/* The firmware's page, trapped before any CPU runs the guest; each
	 * CPU then counts itself in at its take-over (lapic_read_logical_id). */
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
	uint64_t page = apic_base_xapic_page(msr);
	if (page == APIC_BASE_NO_PAGE) {
		log_info("lapic: %s: ICR writes arrive through the x2APIC ICR MSR",
			 msr & APIC_BASE_X2APIC ? "x2APIC mode" : "disabled");
		return;
	}
	spin_lock(&pages_lock);
	if (page_use(page, 1))
		pages[0].users = 0; /* mapped, no vCPU counted yet */
	spin_unlock(&pages_lock);
}
