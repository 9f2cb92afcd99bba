/* Runs under iomvisor with "testdev on" and checks, from the guest's side, what
 * the hypervisor promises: its CPUID signature and hypercalls, the test devices
 * read back through trapped ports and MMIO, unclaimed accesses reading all ones,
 * exact IOM counts, its own memory out of reach, and every CPU virtualized. */
#include "hvtest.h"
#include "hv/cpu.h"

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
	guest_check(hypercall(0x7777, 0, 0, 0).rc == HC_E_UNKNOWN,
		    "an unknown hypercall returns HC_E_UNKNOWN");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	gprintf("guest: hvtest starting, options '%s'\n", guest_load_options());
	if (!guest_check(hv_present(), "running under iomvisor"))
		guest_finish();
	test_identity();
	test_ports();
	test_mmio();
	test_hidden_memory();
	test_all_cpus();
	guest_finish();
}
