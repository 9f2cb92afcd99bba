/* SPDX-License-Identifier: GPL-2.0-only */
#include <stddef.h>
#include "hv/host.h"
#include "hv/exit/lapic_init.h"
#include "hv/exit/msr_safe.h"
#include "hv/exit/stop_kick.h"
#include "hv/console/console.h"
#include "hv/exit/exit_tail.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/mem/pool.h"
#include "hv/string.h"
#include "hv/vcpu.h"
#include "hv/vendor.h"
#include "hv/x86/arch.h"

/* IDT gate: 64-bit interrupt gate, present, DPL 0 (SDM Vol. 3A §6.14.1). */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
#define IDT_INTERRUPT_GATE 0x8E

static struct host_cpu *host_cpus[HV_MAX_CPUS];
static struct idt_gate *idt;
static uint64_t cr3;

/* Entry stubs in host_entry.S, one per exception vector, and 16-byte stubs for
 * the external-interrupt vectors 32-255. */
extern const uint64_t host_exception_stubs[32];
extern const char host_irq_stubs[];
#define HOST_IRQ_STUB_SIZE 16

/* The host's identity map (hv/mem/idmap.h) with the largest pages the CPU offers.
 * With 1-GiB pages (CPUID.80000001H:EDX[26]) the whole physical address space is
 * mapped from the start; otherwise 2-MiB pages up to top, at least 4 GiB (all
 * 32-bit MMIO), and the rest when the hypervisor first touches it for the guest.
 * The memory type comes from the MTRRs, which the host keeps (PAT index 0 = WB,
 * so UC MTRR ranges stay UC). */
static bool host_gib_pages;

static uint64_t host_gib(struct idmap *m, uint64_t g)
{
	(void)m;
	return idmap_long_mode_gib(g, host_gib_pages, X86_PTE_P | X86_PTE_RW);
}

struct idmap host_idmap = {
	.name = "host map", .present = X86_PTE_P, .table_flags = X86_PTE_P | X86_PTE_RW,
	.make_gib = host_gib, .lock = SPINLOCK_INIT,
};

static void build_page_tables(const struct cpu_features *f, uint64_t top)
{
	host_gib_pages = f->gib_pages;
	idmap_init(&host_idmap, f->phys_addr_bits, host_gib_pages, top);
	cr3 = (uint64_t)host_idmap.pml4;
	log_debug("host page tables: identity map of %lu GiB with %s pages",
		  (unsigned long)(host_idmap.eager_end / PAGE_SIZE_1G),
		  host_gib_pages ? "1-GiB" : "2-MiB");
}

static void build_idt(void)
{
	idt = pool_must_alloc_pages(1, "host IDT");
	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = v < 32 ? host_exception_stubs[v]
				    : (uint64_t)host_irq_stubs + (v - 32) * HOST_IRQ_STUB_SIZE;
		idt[v] = (struct idt_gate){
			.offset_lo = a & 0xFFFF,
			.selector = HOST_CS,
			/* NMI, #DF and #MC switch to a stack of their own (IST1): the
			 * host stack may be what failed. */
			.ist = (v == X86_EXC_NMI || v == X86_EXC_DF ||
				v == X86_EXC_MC) ? 1 : 0,
			.type_attr = IDT_INTERRUPT_GATE,
			.offset_mid = (a >> 16) & 0xFFFF,
			.offset_hi = a >> 32,
		};
	}
}

void host_init_shared(const struct cpu_features *f, uint64_t top)
{
	build_page_tables(f, top);
	build_idt();
}

struct host_cpu *host_cpu_init(unsigned index, void **page, unsigned n)
{
	/* The single pages first: only they can be given back (hv/mem/pool.h). */
	void *single[2];
	uint8_t *stack = NULL;
	if (pool_alloc_singles(page, n)) {
		if (pool_alloc_singles(single, 2) && !(stack = pool_alloc_pages(HOST_STACK_PAGES)))
			pool_free_singles(single, 2);
		if (!stack)
			pool_free_singles(page, n);
	}
	if (!stack) {
		log_err("host: out of memory for CPU %u (%lu pages free): it stays the firmware's",
			index, (unsigned long)pool_free_pages());
		return NULL;
	}
	struct host_cpu *hc = single[0];
	uint8_t *nmi_stack = single[1];

	hc->index = index;
	hc->stack_top = (uint64_t)(stack + HOST_STACK_PAGES * PAGE_SIZE);
	hc->nmi_stack_top = (uint64_t)(nmi_stack + PAGE_SIZE);
	hc->tss.ist[0] = hc->nmi_stack_top;
	hc->tss.iomap_base = sizeof(struct tss64); /* no I/O map: CPL 0 only */

	hc->gdt[0] = 0;
	hc->gdt[1] = GDT_CODE64;
	hc->gdt[2] = GDT_DATA;
	tss64_descriptor((uint64_t)&hc->tss, sizeof(struct tss64) - 1, &hc->gdt[3]);
	host_cpus[index] = hc;
	/* The last CPU's memory is the last the start takes: the pool's peak at
	 * start-up, once. */
	static unsigned cpus_ready;
	if (__atomic_add_fetch(&cpus_ready, 1, __ATOMIC_ACQ_REL) == hv_cpu_count())
		pool_report("all CPUs taken over");
	return hc;
}

void host_cpu_load(struct host_cpu *hc)
{
	struct dtr gdtr = { sizeof(hc->gdt) - 1, (uint64_t)hc->gdt };
	struct dtr idtr = { 256 * sizeof(struct idt_gate) - 1, (uint64_t)idt };

	__asm__ volatile("lgdt %0" ::"m"(gdtr));
	/* Reload CS with a far return, then the data segments. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 :
			 : "i"((uint64_t)HOST_CS), "i"(HOST_DS)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" ::"r"((uint16_t)HOST_TR));
	__asm__ volatile("lidt %0" ::"m"(idtr));
	__asm__ volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}

/* After a real INIT (hv/rejoin.h): the GDT in memory still marks the TSS busy
 * from the first LTR, which would refuse a second (SDM Vol. 3A §8.2.2). */
void host_cpu_reload(struct host_cpu *hc)
{
	hc->gdt[3] &= ~((uint64_t)X86_SEG_TYPE_TSS_BUSY_BIT << 40); /* type: bits 43:40 */
	host_cpu_load(hc);
}

struct host_cpu *host_cpu_of(unsigned index)
{
	return index < HV_MAX_CPUS ? host_cpus[index] : NULL;
}

struct host_cpu *host_cpu_self(void)
{
	struct dtr gdtr;
	read_gdtr(&gdtr);
	for (unsigned i = 0; i < HV_MAX_CPUS; i++)
		if (host_cpus[i] && (uint64_t)host_cpus[i]->gdt == gdtr.base)
			return host_cpus[i];
	return NULL;
}

/* The frame host_entry.S builds: general registers, then the vector and error
 * code, then what the CPU pushed (SDM Vol. 3A §6.14.2, Figure 6-9). */
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void host_exception(struct exception_frame *f)
{
	/* An NMI taken in the host belongs to the guest: note it for re-injection
	 * at the next entry, and let the vendor ask for an exit to deliver it
	 * (vendor_ops.host_nmi). On SVM the host runs with GIF clear, so NMIs
	 * arrive here only in the NMI exit's own window (svm/exit.c). */
	if (f->vector == X86_EXC_NMI) {
		struct host_cpu *hc = host_cpu_self();
		if (hc) {
			struct vcpu *v = vcpu_of(hc->index);
			/* The debug console's kick: the CPU is in the host, which is
			 * all it was for (an INIT goes first: hv/exit/stop_kick.h). */
			if (!__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE) &&
			    hv_stop_kick_take(v))
				return;
			vcpu_nmi_pend(v);
			hv_vendor->host_nmi(v);
			return;
		}
	}
	if (f->vector >= 32) {
		lapic_host_interrupt(f->vector);
		return;
	}
	if (f->vector == X86_EXC_GP) {
		uint64_t resume = msr_safe_fixup(f->rip);
		if (resume) { /* an MSR access for the guest that the CPU refused */
			f->rip = resume;
			return;
		}
	}
	if (f->vector == X86_EXC_DB) {
		/* The host sets neither TF nor DR7 breakpoints: a #DB here is the
		 * guest's, leaking across the world switch (a single-step trap an
		 * emulator delivers after VMRUN; a guest breakpoint on an address
		 * the host touches). The guest's own single-step is completed by
		 * the exit code; here it is dropped, the host's DR6 cleared
		 * (SDM Vol. 3B §18.2.3: the CPU never clears it). */
		static bool said;
		if (!said) {
			said = true;
			log_warn("host: #DB at rip 0x%lx (DR6 0x%lx) from the guest's debug state: "
				 "ignored", (unsigned long)f->rip, (unsigned long)read_dr6());
		}
		write_dr6(X86_DR6_RESET);
		f->rflags &= ~X86_RFLAGS_TF;
		return;
	}
	uint64_t cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	panic("host exception %lu, error 0x%lx at rip 0x%lx (rsp 0x%lx, cr2 0x%lx, "
	      "rax 0x%lx rbx 0x%lx rcx 0x%lx rdx 0x%lx rsi 0x%lx rdi 0x%lx)",
	      (unsigned long)f->vector, (unsigned long)f->error, (unsigned long)f->rip,
	      (unsigned long)f->rsp, (unsigned long)cr2, (unsigned long)f->rax,
	      (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx,
	      (unsigned long)f->rsi, (unsigned long)f->rdi);
}
