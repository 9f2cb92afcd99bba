/* SPDX-License-Identifier: GPL-2.0-only */
/* MOV to CR0 that would leave 64-bit mode with paging off: #GP(0) on the CPU
 * (SDM Vol. 2B, MOV to CR; Vol. 3A §10.8.5.4: IA-32e mode is left from
 * compatibility mode). On VMX the write exits, because it also changes
 * CR0.NE, which VMX operation keeps set underneath; the hypervisor must
 * give the same #GP rather than load a state VM entry refuses. Intel only:
 * on AMD the write does not exit, and QEMU's TCG does not raise this #GP
 * (the guest loses its paging and hangs, bare as well). */
#include "fidelity.h"
#include "hv/cpu.h"
#include "hv/x86/arch.h"
#include "trap.h"

static void clear_pg_and_ne(void)
{
	uint64_t v = read_cr0() & ~(X86_CR0_PG | X86_CR0_NE);
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

void test_cr_writes(void)
{
	if (cpuid(0, 0).ebx != 0x756e6547) /* "Genu" */
		return;
	uint64_t cr0 = read_cr0();
	trap_begin();
	int vector = trap_run(clear_pg_and_ne);
	trap_end();
	gprintf("guest: MOV CR0 clearing PG and NE in 64-bit mode: %s\n",
		vector == X86_EXC_GP ? "#GP" : vector < 0 ? "done" : "another fault");
	guest_check(read_cr0() == cr0, "CR0 unchanged after the refused MOV (0x%lx)",
		    (unsigned long)read_cr0());
}
