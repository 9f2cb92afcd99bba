/* SPDX-License-Identifier: GPL-2.0-only */
/* Runs under iomvisor with "testdev on" and checks, from the guest's side, what
 * the hypervisor promises: its CPUID signature and hypercalls, the test devices
 * read back through trapped ports and MMIO, unclaimed accesses reading all ones,
 * exact IOM counts, its own memory out of reach, and every CPU virtualized. */
#include "hvtest.h"
#include "hv/cpu.h"
#include "trap.h"

static void test_identity(void)
{
	struct cpuid_regs r = cpuid(HV_CPUID_BASE, 0);
	guest_check((cpuid(1, 0).ecx >> 31) & 1, "CPUID.1:ECX[31] (hypervisor present) is set");
	guest_check(r.ebx == HV_SIGNATURE_EBX && r.ecx == HV_SIGNATURE_ECX &&
			    r.edx == HV_SIGNATURE_EDX,
		    "CPUID 0x40000000 signature is 'iomvisor' (%08x %08x %08x)", r.ebx, r.ecx,
		    r.edx);
	guest_check(r.eax == HV_CPUID_MAX, "highest hypervisor leaf 0x%x", r.eax);
	guest_check(!((cpuid(0x80000001, 0).ecx >> 2) & 1) && !((cpuid(1, 0).ecx >> 5) & 1),
		    "SVM and VMX are hidden from the guest");

	struct hc_result info = hypercall(HC_INFO, 0, 0, 0);
	guest_check(info.rc == HC_OK && info.rbx == HV_HYPERCALL_ABI_VERSION,
		    "HC_INFO: ABI version %lu, %lu vCPUs, this is vCPU %lu", info.rbx, info.rcx,
		    info.rdx);
}

static void unknown_hypercall(void)
{
	hypercall(0x7777, 0, 0, 0);
}

static void do_vmrun(void) { __asm__ volatile("vmrun %%rax" ::"a"(0ull)); }
static void do_vmload(void) { __asm__ volatile("vmload %%rax" ::"a"(0ull)); }
static void do_vmsave(void) { __asm__ volatile("vmsave %%rax" ::"a"(0ull)); }
static void do_stgi(void) { __asm__ volatile("stgi"); }
static void do_clgi(void) { __asm__ volatile("clgi"); }
static void do_skinit(void) { __asm__ volatile("skinit %%eax" ::"a"(0u)); }
static void do_vmxon(void)
{
	uint64_t pa = 0;
	__asm__ volatile("vmxon %0" ::"m"(pa));
}

/* What the hypervisor keeps for itself raises #UD, as on a CPU without the
 * extension: its own virtualization instructions, and hypercalls it does not
 * define. */
static void test_refused_instructions(void)
{
	guest_check(guest_raises_ud(unknown_hypercall), "an unknown hypercall raises #UD");
	guest_check(hypercall(HC_INFO, 0, 0, 0).rc == HC_OK, "and the next one works");
	if (cpuid(0, 0).ebx == 0x756e6547) { /* "Genu": Intel */
		guest_check(guest_raises_ud(do_vmxon), "VMXON raises #UD");
		/* CR4.VMXE (bit 13) is the hypervisor's; IA32_FEATURE_CONTROL reads
		 * as locked with VMX off (SDM Vol. 3C §23.7). */
		guest_check(!(read_cr4() & (1ull << 13)), "CR4.VMXE is invisible (CR4 0x%lx)",
			    read_cr4());
		uint64_t fc = rdmsr(0x3A);
		guest_check((fc & 1) && !(fc & 6), "IA32_FEATURE_CONTROL reads locked, VMX off (0x%lx)",
			    fc);
		return;
	}
	static const struct { const char *name; void (*fn)(void); } svm[] = {
		{ "VMRUN", do_vmrun }, { "VMLOAD", do_vmload }, { "VMSAVE", do_vmsave },
		{ "STGI", do_stgi },   { "CLGI", do_clgi },	{ "SKINIT", do_skinit },
	};
	for (unsigned i = 0; i < sizeof(svm) / sizeof(svm[0]); i++)
		guest_check(guest_raises_ud(svm[i].fn), "%s raises #UD", svm[i].name);

	/* The MSRs that would reveal or control SVM (AMD APM Vol. 2 §15.30): EFER
	 * without SVME, VM_CR as "disabled and locked", and EFER writes keep
	 * working for the guest. */
	uint64_t efer = rdmsr(0xC0000080);
	guest_check(!(efer & (1ull << 12)), "EFER.SVME is invisible (EFER 0x%lx)", efer);
	wrmsr(0xC0000080, efer);
	guest_check(rdmsr(0xC0000080) == efer, "EFER written back unchanged");
	uint64_t vm_cr = rdmsr(0xC0010114);
	guest_check((vm_cr & 0x18) == 0x18, "VM_CR reads SVMDIS and LOCK (0x%lx)", vm_cr);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	gprintf("guest: hvtest starting, options '%s'\n", guest_load_options());
	if (!guest_check(hv_present(), "running under iomvisor"))
		guest_finish();
	test_identity();
	test_refused_instructions();
	test_ports();
	test_mmio();
	test_unsupported();
	test_hidden_memory();
	test_high_memory();
	test_all_cpus();
	guest_finish();
}
