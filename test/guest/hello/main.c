/* SPDX-License-Identifier: GPL-2.0-only */
/* The smallest test guest: proves it was chain-loaded with the options iomvisor
 * was told to pass on. The runner passes the expected options in the config
 * file's "next" line and checks this guest's report. */
#include "guest.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	gprintf("guest: hello from the chain-loaded image, options '%s'\n", guest_load_options());
	guest_check(guest_load_options()[0] != '\0', "load options were passed on");
	guest_finish();
}
