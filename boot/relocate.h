#ifndef BOOT_RELOCATE_H
#define BOOT_RELOCATE_H

#include <efi.h>

/* Copies the running image into EfiRuntimeServicesCode pages and applies its
 * relocations for the new address, so the hypervisor's code and data survive
 * ExitBootServices (the firmware loads an application as EfiLoaderCode, which the
 * OS reclaims). Returns the address of `entry` inside the copy, or NULL (the
 * reason is logged) when the image cannot be moved. */
void *boot_relocate_image(EFI_HANDLE image, void *entry);

#endif
