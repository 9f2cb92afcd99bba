/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include "boot/efi_mp.h"
#include "hv/cpu.h"
#include "hv/x86/arch.h"
#include "mp.h"

#define SPIN_CEILING 1000000000ull /* ends only a broken run */

/* A minute: the AP's work is a few exits, but emulators on a busy machine
 * are slow (the wait ends as soon as the AP returns). */
#define AP_TIMEOUT_US 60000000u

/* The firmware's MP services and its processor counts; NULL without them. */
static struct efi_mp_services *mp_services(UINTN *count, UINTN *enabled)
{
	struct efi_mp_services *mp = NULL;
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &efi_mp_services_guid, NULL,
					(void **)&mp)) ||
	    EFI_ERROR(mp->get_number_of_processors(mp, count, enabled)))
		return NULL;
	return mp;
}

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
	UINTN count = 1, enabled = 1, self = 0;
	struct efi_mp_services *mp = mp_services(&count, &enabled);
	if (!mp || enabled < 2 || EFI_ERROR(mp->who_am_i(mp, &self)))
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

unsigned guest_ap_ids(uint32_t *ids, unsigned max)
{
	UINTN count = 1, enabled = 1;
	struct efi_mp_services *mp = mp_services(&count, &enabled);
	if (!mp)
		return 0;
	unsigned n = 0;
	for (UINTN i = 0; i < count && n < max; i++) {
		struct efi_processor_information info;
		/* Status bit 0: the BSP (UEFI PI Vol. 2, EFI_PROCESSOR_INFORMATION). */
		if (!EFI_ERROR(mp->get_processor_info(mp, i, &info)) && !(info.status_flag & 1))
			ids[n++] = (uint32_t)info.processor_id;
	}
	return n;
}

volatile uint32_t *guest_xapic(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC))
		return NULL;
	return (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK);
}

void guest_xapic_ipi(volatile uint32_t *apic, uint32_t apic_id, uint32_t icr_low)
{
	for (uint64_t spin = 0;
	     spin < SPIN_CEILING && (apic[APIC_REG_ICR_LOW / 4] & ICR_DELIVERY_STATUS); spin++)
		cpu_relax();
	apic[APIC_REG_ICR_HIGH / 4] = apic_id << 24;
	apic[APIC_REG_ICR_LOW / 4] = icr_low;
}
