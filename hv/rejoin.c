/* SPDX-License-Identifier: GPL-2.0-only */
/* A CPU that a real INIT reset comes back (hv/rejoin.h). */
#include "hv/rejoin.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/exit/ipi.h"
#include "hv/host.h"
#include "hv/mem/pool.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/string.h"
#include "hv/tsc_rate.h"
#include "hv/vendor.h"
#include "hv/x86/arch.h"

/* The sender's physical SIPIs: one a millisecond (the CPU may still be on
 * its way into the wait when the first comes, and ignore it), for at most
 * REJOIN_WAIT_MS; a CPU back in the host ends them at once. */
#define REJOIN_RETRY_MS 1
#define REJOIN_WAIT_MS 5000

extern char rejoin_tramp_start[], rejoin_tramp_end[], rejoin_tramp_data[],
	rejoin_tramp_long64[];

/* The data at rejoin_tramp_data (hv/rejoin_tramp.S), in its order there. */
struct rejoin_tramp_data {
	uint64_t gdt[3];
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad;
	uint32_t far_offset;
	uint16_t far_selector;
	uint16_t data_selector;
	uint32_t cr4_bits, cr0_bits, efer_msr, efer_bits, low_cr3, stack_lock;
	uint64_t host_cr3, stack_fn, rejoin_fn;
} __attribute__((packed));
_Static_assert(sizeof(struct rejoin_tramp_data) == 88, "rejoin_tramp.S's data layout");

/* The host's control registers, as each CPU ran with them at take-over. */
struct host_regs {
	uint64_t cr0, cr4, efer;
};

static uint64_t tramp_base;
static struct host_regs host_regs[HV_MAX_CPUS];
static bool told[HV_MAX_CPUS];

#define OFF(sym) ((uint64_t)((uintptr_t)(sym) - (uintptr_t)rejoin_tramp_start))

static uint64_t rejoin_stack(void);
static void rejoin_cpu(void);

void rejoin_install(uint64_t base)
{
	uint64_t *pml4 = (uint64_t *)(base + PAGE_SIZE), *pdpt = pml4 + 512, *pd = pdpt + 512;
	memset((void *)base, 0, REJOIN_PAGES * PAGE_SIZE);
	memcpy((void *)base, rejoin_tramp_start, (size_t)(rejoin_tramp_end - rejoin_tramp_start));
	pml4[0] = (uint64_t)pdpt | X86_PTE_P | X86_PTE_RW;
	pdpt[0] = (uint64_t)pd | X86_PTE_P | X86_PTE_RW;
	pd[0] = X86_PTE_P | X86_PTE_RW | X86_PTE_PS; /* [0, 2 MiB), this page in it */

	struct rejoin_tramp_data *d = (void *)(base + OFF(rejoin_tramp_data));
	d->gdt[0] = 0;
	d->gdt[HOST_CS / 8] = GDT_CODE64;
	d->gdt[HOST_DS / 8] = GDT_DATA;
	d->gdt_base = (uint32_t)(base + OFF(rejoin_tramp_data));
	d->far_offset = (uint32_t)(base + OFF(rejoin_tramp_long64));
	d->far_selector = HOST_CS;
	d->data_selector = HOST_DS;
	d->cr4_bits = X86_CR4_PAE;
	d->cr0_bits = (uint32_t)(X86_CR0_PG | X86_CR0_PE);
	d->efer_msr = MSR_IA32_EFER;
	d->efer_bits = X86_EFER_LME;
	d->low_cr3 = (uint32_t)(uint64_t)pml4;
	d->host_cr3 = (uint64_t)host_idmap.pml4;
	d->stack_fn = (uint64_t)rejoin_stack;
	d->rejoin_fn = (uint64_t)rejoin_cpu;
	tramp_base = base;
	log_debug("rejoin: trampoline for CPUs a real INIT resets at 0x%lx", (unsigned long)base);
}

void rejoin_record_cpu(unsigned index)
{
	if (index < HV_MAX_CPUS)
		host_regs[index] = (struct host_regs){ read_cr0(), read_cr4(), rdmsr(MSR_IA32_EFER) };
}

/* On the trampoline's shared stack: the control registers as the host had
 * them (INIT left CR0.CD and NW set, CR4 and EFER with only what the
 * trampoline set: SDM Vol. 3A §9.1.1), then this CPU's own stack. */
static uint64_t rejoin_stack(void)
{
	unsigned i = hv_cpu_index();
	const struct host_regs *h = &host_regs[i];
	__asm__ volatile("mov %0, %%cr0" ::"r"(h->cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" ::"r"(h->cr4) : "memory");
	wrmsr(MSR_IA32_EFER, h->efer);
	return host_cpu_of(i)->stack_top;
}

static void tell(unsigned i)
{
	if (i < HV_MAX_CPUS && !told[i]) {
		told[i] = true;
		log_info("cpu %u: real INIT (IOAPIC/MSI): the CPU rejoins at the next SIPI", i);
	}
}

/* On its own host stack: the host's GDT, TSS and IDT, then the backend. An
 * INIT the hypervisor never saw (the emulator reset the CPU at the INIT
 * intercept's exit, before the host ran) comes back through the SIPI its
 * sender recorded as rejoin_vector. */
static void rejoin_cpu(void)
{
	unsigned i = hv_cpu_index();
	struct host_cpu *hc = host_cpu_of(i);
	struct vcpu *v = vcpu_of(i);
	host_cpu_reload(hc);
	spin_lock(&v->start_lock);
	bool unseen = !v->real_wait;
	if (unseen) {
		v->init_pending = v->init_again = false;
		v->sipi_vector = v->rejoin_vector;
		v->sipi_pending = true;
	}
	v->real_wait = false;
	spin_unlock(&v->start_lock);
	if (unseen) {
		tell(i);
		hv_init_forget(v); /* the real APIC reset itself */
	}
	log_debug("cpu %u: back from a real INIT (%s, exit %s)", i, unseen ? "unseen" : "seen",
		  hv_vendor->real_init_unseen && hv_vendor->real_init_unseen(v) ? "not handled"
									   : "handled");
	hv_vendor->rejoin(v, hc->stack_top);
	panic("cpu %u: the backend cannot take back a CPU after a real INIT", i);
}

bool hv_real_init_begin(struct vcpu *v)
{
	if (!tramp_base || !hv_vendor->rejoin || (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_BSP)) {
		if (v->index < HV_MAX_CPUS && !told[v->index])
			log_warn("cpu %u: real INIT (IOAPIC/MSI), which %s: the vCPU waits in "
				 "the host", v->index,
				 tramp_base ? "sends the boot CPU to its reset vector"
					    : "no trampoline can take back");
		if (v->index < HV_MAX_CPUS)
			told[v->index] = true;
		return false;
	}
	tell(v->index);
	hv_init_forget(v); /* the APIC: the INIT about to be let in */
	spin_lock(&v->start_lock);
	v->state = VCPU_WAIT_FOR_SIPI;
	v->init_pending = v->init_again = v->sipi_pending = false;
	v->real_wait = true;
	spin_unlock(&v->start_lock);
	return true;
}

void hv_real_init_missed(struct vcpu *v)
{
	spin_lock(&v->start_lock);
	v->real_wait = false;
	spin_unlock(&v->start_lock);
	log_warn("cpu %u: the real INIT did not reset the CPU: the vCPU waits in the host",
		 v->index);
}

bool hv_in_real_wait(struct vcpu *v)
{
	return __atomic_load_n(&v->real_wait, __ATOMIC_ACQUIRE) ||
	       (hv_vendor && hv_vendor->real_init_unseen && hv_vendor->real_init_unseen(v));
}

/* A SIPI to CPU i with the trampoline's vector (SDM Vol. 3A §11.6.1). */
static uint64_t tramp_sipi(unsigned i, bool x2apic)
{
	return hv_icr_to(ICR_DELIVERY_STARTUP << 8 | ICR_LEVEL_ASSERT | tramp_base >> 12,
			 percpu_apic_id(i), x2apic);
}

void hv_rejoin_sipi(unsigned i, bool x2apic, void (*send)(uint64_t icr))
{
	if (tramp_base && hv_vendor->rejoin)
		send(tramp_sipi(i, x2apic));
}

void hv_rejoin_wake(struct vcpu *t, unsigned i, bool x2apic, void (*send)(uint64_t icr))
{
	uint64_t icr = tramp_sipi(i, x2apic);
	uint64_t retry = tsc_mhz() * 1000 * REJOIN_RETRY_MS;
	for (unsigned n = 0; n < REJOIN_WAIT_MS / REJOIN_RETRY_MS; n++) {
		send(icr);
		for (uint64_t t0 = rdtsc(); rdtsc() - t0 < retry;) {
			if (!__atomic_load_n(&t->real_wait, __ATOMIC_ACQUIRE))
				return;
			hv_check_panic();
			cpu_relax();
		}
	}
	log_err("cpu %u: did not come back from its real INIT", i);
}
