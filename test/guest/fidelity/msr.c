/* SPDX-License-Identifier: GPL-2.0-only */
/* An MSR the CPU does not implement raises #GP on RDMSR and WRMSR (SDM Vol. 2B,
 * RDMSR; APM Vol. 3, RDMSR). On AMD every MSR outside the permission map's
 * ranges exits (APM Vol. 2 §15.11), and the hypervisor must answer exactly as
 * the CPU would. 0x40000100 lies in the range reserved for software, which no
 * CPU implements. The guest reports what it saw; the test compares it with the
 * same CPU model without the hypervisor (QEMU's TCG, unlike hardware and
 * Bochs, reads unknown MSRs as 0 and ignores writes to them). */
#include "fidelity.h"
#include "hv/cpu.h"
#include "trap.h"

#define MSR_UNIMPLEMENTED 0x40000100u

static volatile uint64_t value;

static void read_unimplemented(void)
{
	value = rdmsr(MSR_UNIMPLEMENTED);
}

static void write_unimplemented(void)
{
	wrmsr(MSR_UNIMPLEMENTED, 0);
}

static void write_efer_reserved(void)
{
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | 1ull << 1);
}

/* Reserved values the CPU refuses with #GP, for MSRs neither backend
 * intercepts: the CPU checks the write itself, and the cases prove the value
 * never reaches the VMCB or VMCS, where it would fail VMRUN or VM entry.
 * PAT: every entry type 2, which is reserved (SDM Vol. 3A §12.12.2, Table
 * 12-10; APM Vol. 2 §7.8.1). DEBUGCTL: bit 63, reserved on both vendors (SDM
 * Vol. 3B §18.4.1; APM Vol. 2 §13.1.1.5). */
#define PAT_RESERVED_TYPE_2 0x0202020202020202ull
#define DEBUGCTL_RESERVED_BIT_63 (1ull << 63)

static volatile uint32_t reserved_msr;
static volatile uint64_t reserved_value;

static void write_reserved(void)
{
	wrmsr(reserved_msr, reserved_value);
}

/* Reports "#GP" or "done"; after a #GP the MSR must read back unchanged, and
 * a value an emulator took is undone so the rest of the run is unaffected. */
static void report_reserved_write(const char *what, uint32_t msr, uint64_t bad)
{
	uint64_t old = rdmsr(msr);
	reserved_msr = msr;
	reserved_value = bad;
	bool gp = guest_raises_gp(write_reserved);
	uint64_t after = rdmsr(msr);
	gprintf("guest: WRMSR %s: %s\n", what, gp ? "#GP" : "done");
	if (gp)
		guest_check(after == old, "MSR 0x%x unchanged after the refused write (0x%lx)",
			    msr, (unsigned long)after);
	else
		wrmsr(msr, old);
}

void test_unimplemented_msr(void)
{
	report_reserved_write("PAT with reserved type 2", MSR_IA32_PAT, PAT_RESERVED_TYPE_2);
	report_reserved_write("DEBUGCTL with reserved bit 63", MSR_IA32_DEBUGCTL,
			      DEBUGCTL_RESERVED_BIT_63);

	/* A reserved EFER bit (bit 1): #GP on hardware and Bochs (SDM Vol. 4,
	 * IA32_EFER); QEMU's TCG drops it silently. */
	uint64_t efer = rdmsr(MSR_IA32_EFER);
	gprintf("guest: WRMSR EFER with reserved bit 1: %s\n",
		guest_raises_gp(write_efer_reserved) ? "#GP" : "done");
	guest_check(rdmsr(MSR_IA32_EFER) == efer, "EFER unchanged after the refused write (0x%lx)",
		    (unsigned long)rdmsr(MSR_IA32_EFER));

	value = ~0ull;
	if (guest_raises_gp(read_unimplemented))
		gprintf("guest: RDMSR 0x%x: #GP\n", MSR_UNIMPLEMENTED);
	else
		gprintf("guest: RDMSR 0x%x: 0x%lx\n", MSR_UNIMPLEMENTED, (unsigned long)value);
	gprintf("guest: WRMSR 0x%x: %s\n", MSR_UNIMPLEMENTED,
		guest_raises_gp(write_unimplemented) ? "#GP" : "done");
}
