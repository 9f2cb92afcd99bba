/* EFI_MP_SERVICES_PROTOCOL, UEFI Platform Initialization spec Vol. 2 §13.4. gnu-efi
 * does not ship it, so the layout is declared here from the spec. */
#include <efi.h>
#include <efilib.h>
#include "boot/mp.h"
#include "hv/console.h"
#include "hv/percpu.h"

static EFI_GUID mp_services_guid = { 0x3fdda605, 0xa76e, 0x4f46,
				     { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };

struct efi_processor_information {
	UINT64 processor_id; /* the local APIC ID */
	UINT32 status_flag;
	UINT32 package, core, thread;
	/* PI 1.7 appends extended topology, written only when asked for with bit 24
	 * of the processor number; room for it keeps an older/newer mismatch safe. */
	UINT32 extended[8];
};

struct efi_mp_services;
typedef VOID(EFIAPI *efi_ap_procedure)(VOID *arg);

struct efi_mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)(struct efi_mp_services *self,
						     UINTN *count, UINTN *enabled);
	EFI_STATUS(EFIAPI *get_processor_info)(struct efi_mp_services *self, UINTN number,
					       struct efi_processor_information *info);
	EFI_STATUS(EFIAPI *startup_all_aps)(struct efi_mp_services *self,
					    efi_ap_procedure procedure, BOOLEAN single_thread,
					    EFI_EVENT wait_event, UINTN timeout_us, VOID *arg,
					    UINTN **failed_cpus);
	EFI_STATUS(EFIAPI *startup_this_ap)(struct efi_mp_services *self,
					    efi_ap_procedure procedure, UINTN number,
					    EFI_EVENT wait_event, UINTN timeout_us, VOID *arg,
					    BOOLEAN *finished);
	EFI_STATUS(EFIAPI *switch_bsp)(struct efi_mp_services *self, UINTN number,
				       BOOLEAN enable_old_bsp);
	EFI_STATUS(EFIAPI *enable_disable_ap)(struct efi_mp_services *self, UINTN number,
					      BOOLEAN enable, UINT32 *health);
	EFI_STATUS(EFIAPI *who_am_i)(struct efi_mp_services *self, UINTN *number);
};

static struct efi_mp_services *mp_services(void)
{
	struct efi_mp_services *mp = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateProtocol, 3, &mp_services_guid, NULL,
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
