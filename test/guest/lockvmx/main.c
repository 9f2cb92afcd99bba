/* SPDX-License-Identifier: GPL-2.0-only */
/* Firmware that locks VMX off, in front of iomvisor: the boot image of the
 * "VMX locked off" test. It locks IA32_FEATURE_CONTROL with neither VMX bit
 * set, as a firmware setup with VT-x disabled leaves it (SDM Vol. 3C §24.7:
 * VMXON then raises #GP), and starts \EFI\iomvisor\iomvisor.efi from the
 * same volume. iomvisor must say why it cannot run and chain-load its next
 * image without the hypervisor. */
#include <efi.h>
#include <efilib.h>
#include "guest.h"
#include "hv/cpu.h"
#include "hv/x86/arch.h"

#define IOMVISOR_PATH L"\\EFI\\iomvisor\\iomvisor.efi"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_HANDLE child = NULL;
	EFI_STATUS st;

	guest_init(image, systab);
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK))
		wrmsr(MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCK);
	gprintf("lockvmx: IA32_FEATURE_CONTROL was 0x%lx, now 0x%lx\n", (unsigned long)fc,
		(unsigned long)rdmsr(MSR_IA32_FEATURE_CONTROL));

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (!EFI_ERROR(st)) {
		EFI_DEVICE_PATH *path = FileDevicePath(li->DeviceHandle, IOMVISOR_PATH);
		st = path ? uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, path, NULL, 0, &child)
			  : EFI_OUT_OF_RESOURCES;
	}
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	guest_check(false, "iomvisor started and handed over (status 0x%lx)", (unsigned long)st);
	guest_finish();
}
