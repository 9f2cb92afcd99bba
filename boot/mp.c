/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include "boot/efi_mp.h"
#include "boot/mp.h"
#include "hv/console/console.h"
#include "hv/percpu.h"

static struct efi_mp_services *mp_services(void)
{
	struct efi_mp_services *mp = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateProtocol, 3, &efi_mp_services_guid, NULL,
					  (void **)&mp);
	return EFI_ERROR(st) ? NULL : mp;
}

struct mp_summary mp_discover(void)
{
	struct mp_summary s = { .count = 1, .enabled = 1 };
	struct efi_mp_services *mp = mp_services();

	percpu_register(0, cpu_apic_id());
	if (!mp)
		return s;
	if (EFI_ERROR(mp->get_number_of_processors(mp, &s.count, &s.enabled)))
		return s;
	s.available = true;
	if (s.count > HV_MAX_CPUS) {
		log_warn("%lu CPUs, iomvisor handles %u: the rest run without it",
			 (unsigned long)s.count, HV_MAX_CPUS);
		s.count = HV_MAX_CPUS;
	}
	/* The BSP is processor 0 in MP services' numbering, as in ours. */
	for (UINTN i = 0; i < s.count; i++) {
		struct efi_processor_information info = { 0 };
		if (!EFI_ERROR(mp->get_processor_info(mp, i, &info)))
			percpu_register((unsigned)i, (uint32_t)info.processor_id);
	}
	return s;
}

struct ap_call {
	void (*fn)(void *arg);
	void *arg;
};

/* MP services calls the procedure with the UEFI (Microsoft x64) convention. */
static VOID EFIAPI ap_trampoline(VOID *p)
{
	struct ap_call *call = p;
	call->fn(call->arg);
}

EFI_STATUS mp_run_on_aps(void (*fn)(void *arg), void *arg)
{
	struct efi_mp_services *mp = mp_services();
	struct ap_call call = { fn, arg };
	if (!mp)
		return EFI_UNSUPPORTED;
	/* single_thread: one AP at a time, so per-CPU start-up messages stay readable
	 * and failures are attributable. */
	return mp->startup_all_aps(mp, ap_trampoline, TRUE, NULL, 0, &call, NULL);
}
