/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BOOT_RELOCATE_H
#define BOOT_RELOCATE_H

#include <efi.h>

/* Copies the running image into EfiRuntimeServicesCode pages and applies its
 * relocations for the new address. The copy is the hypervisor: it survives
 * ExitBootServices (the firmware loads an application as EfiLoaderCode, which the
 * OS reclaims) and is hidden from the guest. The image the firmware loaded goes on
 * as the guest's boot program. Returns the copy's base, or NULL (the reason is
 * logged). The copy's variables start as the original's are at this moment. */
void *boot_relocate_image(void);
/* Gives the copy at base back to the firmware, when the hypervisor will not run;
 * returns the number of 4-KiB pages freed (0 if the firmware refused). */
uint64_t boot_release_image(void *base);
/* The address of `symbol` (of this image) in the copy at base. */
void *boot_in_copy(void *base, const void *symbol);
uint64_t boot_image_size(void);

#endif
