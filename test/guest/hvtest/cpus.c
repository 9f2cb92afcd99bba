/* SPDX-License-Identifier: GPL-2.0-only */
/* Every CPU is virtualized: the hypervisor reports each CPU taken over and, with
 * the load option "ap-signature", each application processor checks the
 * signature itself. Waking an AP through MP services sends it INIT-SIPI-SIPI,
 * which needs the INIT virtualization described in hv/exit/ipi.h. */
#include <efi.h>
#include <efilib.h>
#include "hvtest.h"
#include "boot/efi_mp.h"

static volatile unsigned aps_with_signature;

static VOID EFIAPI on_ap(VOID *arg)
{
	(void)arg;
	if (hv_present())
		__atomic_add_fetch(&aps_with_signature, 1, __ATOMIC_ACQ_REL);
}

void test_all_cpus(void)
{
	struct efi_mp_services *mp = NULL;
	UINTN count = 1, enabled = 1;
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &efi_mp_services_guid, NULL,
					(void **)&mp)) ||
	    EFI_ERROR(mp->get_number_of_processors(mp, &count, &enabled))) {
		gprintf("guest: no MP services: one CPU\n");
		return;
	}
	struct hc_result info = hypercall(HC_INFO, 0, 0, 0);
	guest_check(info.rcx == count, "iomvisor runs on all %lu CPUs (HC_INFO says %lu)", count,
		    info.rcx);
	if (count < 2 || !guest_has_option("ap-signature"))
		return;
	EFI_STATUS st = mp->startup_all_aps(mp, on_ap, FALSE, NULL, 0, NULL, NULL);
	guest_check(!EFI_ERROR(st) && aps_with_signature == count - 1,
		    "all %lu application processors see the signature (%u did)", count - 1,
		    aps_with_signature);
}
