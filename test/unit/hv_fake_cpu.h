/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/hv_fake_cpu.h - host stand-ins for hv/cpu.h, forced in front of
 * the hv/ sources the test_hv_*.c programs compile (-include, test/hv.mk).
 *
 * hv/cpu.h wraps privileged instructions (CLI/STI, port I/O, CR reads) as
 * inline functions, which a user process cannot execute. Defining its guard
 * first makes every hv/ file that includes it use these instead; the
 * hypervisor build never sees this file. Port writes are recorded so a test
 * can check them (hv_reset_machine's reset sequence).
 */
#ifndef HV_CPU_H
#define HV_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* A fixed CPU, so no test depends on the host's: CPUID 80000008H reports a
 * 40-bit physical-address width (the guest's, hv/mem/guest_access.c); every
 * other leaf reads as zeros. */
static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	(void)subleaf;
	return (struct cpuid_regs){ .eax = leaf == 0x80000008u ? 40 : 0 };
}

/* Defined by the test program (test/unit/hv_fakes.h). */
extern unsigned fake_port_writes;
extern uint32_t fake_port_last[2]; /* port, value */
extern unsigned fake_irq_depth;

static inline uint64_t rdmsr(uint32_t msr) { (void)msr; return 0; }
static inline void wrmsr(uint32_t msr, uint64_t value) { (void)msr; (void)value; }
static inline uint8_t inb(uint16_t port) { (void)port; return 0xFF; }
static inline uint16_t inw(uint16_t port) { (void)port; return 0xFFFF; }
static inline uint32_t inl(uint16_t port) { (void)port; return 0xFFFFFFFF; }
static inline void fake_out(uint16_t port, uint32_t v)
{
	fake_port_writes++;
	fake_port_last[0] = port;
	fake_port_last[1] = v;
}
static inline void outb(uint16_t port, uint8_t v) { fake_out(port, v); }
static inline void outw(uint16_t port, uint16_t v) { fake_out(port, v); }
static inline void outl(uint16_t port, uint32_t v) { fake_out(port, v); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline uint64_t read_rflags(void) { return 0x202; }

#define RFLAGS_IF (1ull << 9)

/* Counts nesting, so a test can see a lock section closed again. */
static inline uint64_t irq_save(void)
{
	fake_irq_depth++;
	return RFLAGS_IF;
}

static inline void irq_restore(uint64_t flags)
{
	(void)flags;
	fake_irq_depth--;
}

static inline uint64_t rdtsc(void) { return __builtin_ia32_rdtsc(); }
static inline uint64_t read_cr0(void) { return 0; }
static inline uint64_t read_cr3(void) { return 0; }
static inline uint64_t read_cr4(void) { return 0; }
static inline uint32_t cpu_initial_apic_id(void) { return 0; }

static inline _Noreturn void cpu_halt_forever(void)
{
	__builtin_trap();
}

#endif
