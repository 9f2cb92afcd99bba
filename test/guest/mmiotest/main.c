/* SPDX-License-Identifier: GPL-2.0-only */
/* mmiotest: every instruction form the emulator handles, run against RAM and
 * against the test MMIO page, compared (mmiotest.h). Needs "testdev on".
 * Without the hypervisor (an Intel CPU before the VMX backend exists) there
 * is nothing to test: the guest says so and fails. */
#include <efi.h>
#include <efilib.h>
#include "mmiotest.h"
#include "hv/cpu.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	gprintf("guest: mmiotest starting\n");
	if (!guest_check(hv_present(), "running under iomvisor"))
		guest_finish();
	/* The firmware's timer keeps running; the cases do not mind. */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	bool alias = alias_init();
	guest_check(alias, "alias window for RIP-relative and page-straddling cases");
	faults_catch();
	uint64_t t0 = rdtsc();
	run_snippet_cases();
	run_generated_cases();
	run_pio_cases();
	run_ymm_case();
	faults_release();
	alias_release();
	gprintf("guest: mmiotest: %u cases (%lu Mcycles)\n", cases_run, (rdtsc() - t0) >> 20);
	guest_finish();
}
