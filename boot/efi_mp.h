/* SPDX-License-Identifier: GPL-2.0-only */
/* EFI_MP_SERVICES_PROTOCOL, UEFI Platform Initialization spec Vol. 2 §13.4. gnu-efi
 * does not ship it, so the layout is declared here from the spec (used by boot/
 * and by the test guests). */
#ifndef BOOT_EFI_MP_H
#define BOOT_EFI_MP_H

#include <efi.h>

static EFI_GUID efi_mp_services_guid __attribute__((unused)) = { 0x3fdda605, 0xa76e, 0x4f46,
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

#endif
