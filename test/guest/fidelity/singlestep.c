/* SPDX-License-Identifier: GPL-2.0-only */
/* Single-step over instructions the hypervisor completes for the guest: with
 * RFLAGS.TF set, CPUID, a trapped IN, a trapped MMIO load, a hypercall and an
 * intercepted RDMSR each end in one #DB with DR6.BS set, pointing at the next
 * instruction, exactly as when the CPU itself executes them (SDM Vol. 3B
 * §18.3.1.4, §18.2.3). The same in user mode (CPL 3, IOPL 3: user.h) for
 * CPUID, IN and the MMIO load; a hypercall from user mode is #UD, as on a
 * CPU without the hypervisor, and being a fault it brings no #DB. */
#include "fidelity.h"
#include "hv/cpu.h"
#include "hvif.h"
#include "idt.h"
#include "user.h"

void ss_cpuid(void), ss_in(void), ss_mmio(void), ss_vmmcall(void), ss_vmcall(void),
	ss_rdmsr_efer(void), ss_rdmsr_fc(void), ss_db_handler(void);
extern volatile uint64_t ss_expected, ss_rip, ss_dr6;
extern volatile uint32_t ss_count, ss_ud_count;
void ss_ud_handler(void);

/* Runs fn (a probe of singlestep_entry.S) in kernel or user mode with the
 * probes' #DB and #UD handlers; fills ss_count, ss_rip, ss_dr6, ss_ud_count. */
static void run_probe(void (*fn)(void), bool user)
{
	ss_count = ss_ud_count = 0;
	ss_rip = ss_dr6 = 0;
	uint64_t f = irq_save();
	guest_idt_set(X86_EXC_DB, ss_db_handler);
	guest_idt_set(X86_EXC_UD, ss_ud_handler);
	if (user)
		user_run(fn);
	else
		fn();
	guest_idt_restore();
	irq_restore(f);
}

static void probe_in(const char *what, void (*fn)(void), bool user)
{
	run_probe(fn, user);
	guest_check(ss_count == 1 && ss_ud_count == 0 && ss_rip == ss_expected &&
			    (ss_dr6 & X86_DR6_BS),
		    "single-step over %s%s: one #DB at the next instruction with DR6.BS "
		    "(%u #DB, %u #UD, rip %ld, dr6 0x%lx)",
		    what, user ? " in user mode" : "", ss_count, ss_ud_count,
		    (long)(ss_rip - ss_expected), (unsigned long)ss_dr6);
}

static void probe(const char *what, void (*fn)(void))
{
	probe_in(what, fn, false);
}

static void probe_user(const char *what, void (*fn)(void))
{
	probe_in(what, fn, true);
}

/* A hypercall instruction at CPL 3 with TF set: #UD and nothing else. */
static void probe_user_hypercall(void (*fn)(void))
{
	run_probe(fn, true);
	guest_check(ss_count == 0 && ss_ud_count == 1,
		    "a hypercall instruction in user mode with TF set: #UD, no #DB (%u #UD, "
		    "%u #DB)", ss_ud_count, ss_count);
}

void test_single_step(void)
{
	bool intel = cpuid(0, 0).ebx == 0x756e6547; /* "Genu" */
	probe("CPUID", ss_cpuid);
	if (guest_has_option("testdev")) {
		probe("IN from a trapped port", ss_in);
		probe("a load from a trapped MMIO page", ss_mmio);
	}
	if (hv_present())
		probe("a hypercall", intel ? ss_vmcall : ss_vmmcall);
	probe(intel ? "RDMSR IA32_FEATURE_CONTROL" : "RDMSR EFER",
	      intel ? ss_rdmsr_fc : ss_rdmsr_efer);

	if (!user_init())
		return;
	probe_user("CPUID", ss_cpuid);
	if (guest_has_option("testdev")) {
		probe_user("IN from a trapped port", ss_in);
		probe_user("a load from a trapped MMIO page", ss_mmio);
	}
	probe_user_hypercall(intel ? ss_vmcall : ss_vmmcall);
}
