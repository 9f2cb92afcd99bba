/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include "guest.h"
#include "on_ap.h"
#include "boot/efi_mp.h"

/* A minute: the AP's work is a few exits, but emulators on a busy machine
 * are slow (the wait ends as soon as the AP returns). */
#define AP_TIMEOUT_US 60000000u

struct ap_call {
	void (*fn)(void *);
	void *arg;
};

static VOID EFIAPI on_ap(VOID *p)
{
	struct ap_call *c = p;
	c->fn(c->arg);
}

bool guest_on_ap(void (*fn)(void *), void *arg)
{
	struct efi_mp_services *mp = NULL;
	UINTN count = 1, enabled = 1, self = 0;
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &efi_mp_services_guid, NULL,
					(void **)&mp)) ||
	    EFI_ERROR(mp->get_number_of_processors(mp, &count, &enabled)) || enabled < 2 ||
	    EFI_ERROR(mp->who_am_i(mp, &self)))
		return false;
	struct ap_call c = { fn, arg };
	/* The first enabled processor that is not this one. */
	for (UINTN n = 0; n < count; n++) {
		if (n == self)
			continue;
		EFI_STATUS st = mp->startup_this_ap(mp, on_ap, n, NULL, AP_TIMEOUT_US, &c, NULL);
		if (st == EFI_NOT_READY || st == EFI_INVALID_PARAMETER)
			continue; /* disabled, or busy */
		return !EFI_ERROR(st);
	}
	return false;
}
