/* SPDX-License-Identifier: GPL-2.0-only */
/* Chain-loaded by iomvisor (and runnable bare: every check holds there too). */
#include "fidelity.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	gprintf("guest: fidelity starting, options '%s'\n", guest_load_options());
	test_cpuid_state_bits();
	test_unimplemented_msr();
	test_cr_writes();
	test_single_step();
	test_nmi_blocking();
	test_task_switch();
	/* Last: they leave the APs parked in wait-for-SIPI. */
	static struct ap_set aps;
	if (ap_set_init(&aps)) {
		test_ap_restarts(&aps, guest_has_option("quick") ? 20 : 200);
		test_apic_base_moves(&aps);
		test_real_init(&aps);
	}
	guest_finish();
}
