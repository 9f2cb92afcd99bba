/* SPDX-License-Identifier: GPL-2.0-only */
/* Triple-faults on purpose: with an empty IDT, an INT3 becomes #GP, then #DF,
 * then shutdown. iomvisor must log the guest's state and reset the machine. */
#include "guest.h"
#include "hv/x86/descriptor.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static const struct dtr empty = { 0, 0 };
	guest_init(image, systab);
	gprintf("guest: triple fault coming\n");
	__asm__ volatile("cli; lidt %0; int3" ::"m"(empty));
	gprintf("guest: still running after the triple fault\n");
	guest_finish();
}
