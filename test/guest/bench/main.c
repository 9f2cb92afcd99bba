/* SPDX-License-Identifier: GPL-2.0-only */
/* Benchmark guest: ticks per iteration of the exits iomvisor handles most, all
 * measured in one run so that only their ratios matter (under QEMU -icount the
 * TSC counts executed instructions, host and guest alike). Prints lines
 * "bench: NAME TICKS" and the ratios to the CPUID exit. */
#include "guest.h"
#include "hvif.h"
#include "idt.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"

#define ITERATIONS 2000

/* Out of line, so each op is one call from one place: a copy of the op per
 * unrolled iteration would give every access its own RIP, which no driver's
 * loop does, and each copy would miss the MMIO fast path's memory of recent
 * accesses (hv/exit/mmio_last.c). */
static __attribute__((noinline)) uint64_t per_iteration(void (*op)(void))
{
	uint64_t best = ~0ull;
	for (int round = 0; round < 3; round++) {
		uint64_t t0 = rdtsc();
		for (int i = 0; i < ITERATIONS; i++)
			op();
		uint64_t t = (rdtsc() - t0) / ITERATIONS;
		if (t < best)
			best = t;
	}
	return best;
}

static void op_cpuid(void)
{
	(void)cpuid(0x40000000, 0);
}

static void op_port_read(void)
{
	(void)inl(TESTDEV_PORT_BASE);
}

static void op_mmio_read(void)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(TESTDEV_MMIO_BASE) : "memory");
}

/* With option "rules" (test/bench.sh): the test device's scratch bytes,
 * each matched by one rule, so the device behind them is the one the plain
 * port read reaches. */
#define RULE_LOG_PORT (TESTDEV_PORT_BASE + 1)   /* rule port 0x5a1 r log */
#define RULE_READ_PORT (TESTDEV_PORT_BASE + 2)  /* rule port 0x5a2 r read=0x12 */
#define RULE_COUNT_PORT (TESTDEV_PORT_BASE + 3) /* rule port 0x5a3 r count */
/* Two scratch dwords of its MMIO page, beside the one mmio-read reads. MMIO
 * rules have no compiled plan: the general engine matches them. */
#define RULE_LOG_MMIO (TESTDEV_MMIO_BASE + 0x10)   /* rule mmio 0xfe800010+4 r log */
#define RULE_COUNT_MMIO (TESTDEV_MMIO_BASE + 0x20) /* rule mmio 0xfe800020+4 r count */

static void op_rule_log(void)
{
	(void)inb(RULE_LOG_PORT);
}

static void op_rule_read(void)
{
	(void)inb(RULE_READ_PORT);
}

static void op_rule_count(void)
{
	(void)inb(RULE_COUNT_PORT);
}

static void op_rule_mmio_log(void)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(RULE_LOG_MMIO) : "memory");
}

static void op_rule_mmio_count(void)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(RULE_COUNT_MMIO) : "memory");
}

/* The same device with rules on beside it, none matching this byte. */
static void op_beside_rules(void)
{
	(void)inb(TESTDEV_PORT_BASE);
}

/* The local APIC: a fixed IPI to self through the ICR, taken, and ended
 * with an EOI by the handler (self_ipi.S); and a lone EOI write. Bare metal
 * runs the first too, for the ratio (test/bench.sh). */
#define SELF_IPI_VECTOR 0x51
#define SELF_IPI_CEILING 100000000u /* ends only a lost interrupt */
extern volatile uint32_t self_ipi_count;
extern volatile uint64_t self_ipi_eoi;
void self_ipi_handler(void);
static volatile uint32_t *apic;

static void op_self_ipi(void)
{
	uint32_t before = self_ipi_count;
	apic[APIC_REG_ICR_LOW / 4] =
		ICR_SHORTHAND_SELF << 18 | ICR_DELIVERY_FIXED << 8 | SELF_IPI_VECTOR;
	for (uint32_t spin = 0; self_ipi_count == before && spin < SELF_IPI_CEILING; spin++)
		cpu_relax();
}

static void op_eoi_write(void)
{
	apic[APIC_REG_EOI / 4] = 0;
}

/* Ticks per self-IPI, or 0 where the APIC is not an xAPIC or an interrupt
 * was lost. Interrupts are on only for the loop. */
static uint64_t measure_self_ipi(uint64_t base)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
	if (!(msr & APIC_BASE_ENABLE) || (msr & APIC_BASE_X2APIC))
		return 0;
	apic = (volatile uint32_t *)(msr & APIC_BASE_ADDR_MASK);
	self_ipi_eoi = (uint64_t)(uintptr_t)&apic[APIC_REG_EOI / 4];
	guest_idt_set(SELF_IPI_VECTOR, self_ipi_handler);
	uint64_t f = irq_save();
	__asm__ volatile("sti" ::: "memory");
	uint64_t t = per_iteration(op_self_ipi) - base;
	irq_restore(f);
	guest_idt_restore();
	return self_ipi_count >= 3 * ITERATIONS ? t : 0;
}

static void op_nothing(void)
{
	__asm__ volatile("" ::: "memory");
}

/* The parts of the exit before this call (HC_EXIT_MARKS), in a build with
 * exit marks; false otherwise. Its own VMMCALL/VMCALL with nothing before it
 * (the library's hypercall() runs CPUID first, an exit of its own). */
enum { PART_VENDOR, PART_HANDLER, PART_IOM, PART_DEVICE, PART_TAIL, PARTS };
static bool intel;

static bool exit_parts(uint64_t p[PARTS])
{
	uint64_t rax = HC_EXIT_MARKS, rbx = 0, rcx = 0, rdx = 0, rsi = 0, rdi = 0;
	if (intel)
		__asm__ volatile("vmcall"
				 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi)
				 :
				 : "memory");
	else
		__asm__ volatile("vmmcall"
				 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi)
				 :
				 : "memory");
	p[PART_VENDOR] = rbx;
	p[PART_HANDLER] = rcx;
	p[PART_IOM] = rdx;
	p[PART_DEVICE] = rsi;
	p[PART_TAIL] = rdi;
	return rax == HC_OK;
}

/* One exit's ticks and, with exit marks, where they go: the vendor's exit
 * decode, the handler (instruction decode, completion), the IOM, the device,
 * the exit tail, each less the marks' own cost. The entry/exit glue is what
 * the build without marks takes beyond their sum (test/bench.sh). */
static uint64_t measure(const char *name, void (*op)(void), uint64_t base)
{
	uint64_t t = per_iteration(op) - base, p[PARTS];
	if (exit_parts(p))
		gprintf("bench: parts %s vendor %lu handler %lu iom %lu device %lu tail %lu\n", name,
			p[PART_VENDOR], p[PART_HANDLER], p[PART_IOM], p[PART_DEVICE], p[PART_TAIL]);
	return t;
}

/* Ratio as x.yy without floating point. */
static void ratio(const char *name, uint64_t a, uint64_t b)
{
	uint64_t r = b ? a * 100 / b : 0;
	gprintf("bench: %s / cpuid = %lu.%02lu\n", name, r / 100, r % 100);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	uint64_t base = per_iteration(op_nothing);
	uint64_t s = measure_self_ipi(base);
	gprintf("bench: self-ipi %lu ticks\n", s);
	guest_check(s, "self-IPIs sent, taken and ended");
	if (!guest_check(hv_present() || guest_has_option("bare"), "running under iomvisor") ||
	    !hv_present())
		guest_finish();
	intel = cpuid(0, 0).ebx == 0x756e6547; /* "Genu" */
	uint64_t c = measure("cpuid-exit", op_cpuid, base);
	uint64_t p = measure("port-read", op_port_read, base);
	uint64_t m = measure("mmio-read", op_mmio_read, base);
	if (apic)
		gprintf("bench: lapic-eoi-write %lu ticks\n", measure("lapic-eoi-write", op_eoi_write, base));
	gprintf("bench: cpuid-exit %lu ticks\n", c);
	gprintf("bench: port-read %lu ticks\n", p);
	gprintf("bench: mmio-read %lu ticks\n", m);
	ratio("port-read", p, c);
	ratio("mmio-read", m, c);
	guest_check(c && p && m, "all three measured");
	if (guest_has_option("rules")) {
		static const struct {
			const char *name;
			void (*op)(void);
		} ruled[] = {
			{ "rule-count-read", op_rule_count },
			{ "rule-read=-read", op_rule_read },
			{ "port-read-beside-rules", op_beside_rules },
			{ "rule-count-mmio-read", op_rule_mmio_count },
			/* Last: the trace records they leave that print are
			 * decoded at the entries after them, which would count
			 * against the rows that came next. */
			{ "rule-log-mmio-read", op_rule_mmio_log },
			{ "rule-log-read", op_rule_log },
		};
		for (unsigned i = 0; i < sizeof(ruled) / sizeof(ruled[0]); i++)
			gprintf("bench: %s %lu ticks\n", ruled[i].name,
				measure(ruled[i].name, ruled[i].op, base));
		guest_check(inb(RULE_READ_PORT) == 0x12, "the read= rule answered");
	}
	guest_finish();
}
