/* SPDX-License-Identifier: GPL-2.0-only */
/* The MSRs that would put the hypervisor's memory in the guest's reach around
 * the CPU's page tables, tried once before the fuzzing:
 *   AMD: TOP_MEM, TOP_MEM2 and SYSCFG's memory-map bits decide which
 *        addresses are DRAM (APM Vol. 2 §7.9); a lowered TOP_MEM turns the
 *        memory above it into MMIO, the hypervisor's included. The
 *        hypervisor keeps them as the firmware set them.
 *   Intel: PT writes its trace to physical addresses that EPT does not
 *        translate (SDM Vol. 3C §33.2.7); the guest sees a CPU without PT.
 * Each line says what the guest saw; test/integration/hostile.sh checks
 * them and the hypervisor's log lines. */
#include "hostile.h"
#include "hv/cpu.h"
#include "hv/x86/arch.h"
#include "trap.h"

static uint32_t probe_msr;
static uint64_t probe_value;

static void do_read(void)
{
	probe_value = rdmsr(probe_msr);
}

static void do_write(void)
{
	wrmsr(probe_msr, probe_value);
}

/* Writes value to msr and says whether it was kept out ("kept": the MSR
 * reads as before), taken, or refused with #GP; puts the old value back if
 * the write was taken. */
static void try_write(const char *name, uint32_t msr, uint64_t value)
{
	probe_msr = msr;
	if (op_catch(do_read) >= 0) {
		gprintf("hostile: memory map: RDMSR %s: fault\n", name);
		return;
	}
	uint64_t old = probe_value;
	probe_value = value;
	if (op_catch(do_write) >= 0) {
		gprintf("hostile: memory map: WRMSR %s 0x%lx: #GP\n", name, value);
		return;
	}
	uint64_t now = rdmsr(msr);
	gprintf("hostile: memory map: WRMSR %s 0x%lx: %s (reads 0x%lx, was 0x%lx)\n", name,
		value, now == old ? "kept" : "taken", now, old);
	if (now != old)
		wrmsr(msr, old);
}

static void try_read(const char *name, uint32_t msr)
{
	probe_msr = msr;
	int v = op_catch(do_read);
	gprintf("hostile: memory map: RDMSR %s: %s\n", name, v == X86_EXC_GP ? "#GP" : "read");
}

void probe_memory_map(void)
{
	if (cfg.intel) {
		gprintf("hostile: memory map: CPUID.(7,0):EBX Intel PT %s\n",
			cpuid(7, 0).ebx & CPUID_7_EBX_INTEL_PT ? "set" : "clear");
		try_read("IA32_RTIT_CTL", MSR_IA32_RTIT_CTL);
		try_read("IA32_RTIT_OUTPUT_BASE", MSR_IA32_RTIT_OUTPUT_BASE);
		probe_msr = MSR_IA32_RTIT_OUTPUT_BASE;
		probe_value = 0;
		gprintf("hostile: memory map: WRMSR IA32_RTIT_OUTPUT_BASE 0: %s\n",
			op_catch(do_write) == X86_EXC_GP ? "#GP" : "done");
		return;
	}
	/* 16 MiB: on hardware every page above it would stop being DRAM. */
	try_write("TOP_MEM", MSR_AMD_TOP_MEM, 0x1000000);
	try_write("TOP_MEM2", MSR_AMD_TOP_MEM2, 0x100000000ull);
	probe_msr = MSR_AMD_SYSCFG;
	if (op_catch(do_read) < 0)
		try_write("SYSCFG", MSR_AMD_SYSCFG, probe_value ^ SYSCFG_MTRR_VAR_DRAM_EN);
}
