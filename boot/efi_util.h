/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers over UEFI boot services, used only before the hypervisor starts. */
#ifndef BOOT_EFI_UTIL_H
#define BOOT_EFI_UTIL_H

#include <efi.h>
#include <stdbool.h>

/* ASCII <-> UCS-2 (UEFI strings). Non-ASCII characters become '?'. Both always
 * NUL-terminate within n characters and return false when src did not fit. */
bool ascii_to_ucs2(CHAR16 *dst, UINTN n, const char *src);
bool ucs2_to_ascii(char *dst, UINTN n, const CHAR16 *src, UINTN src_chars);

/* Reads a whole file from the volume the image was loaded from into pool memory
 * (one spare byte at the end). The caller frees *buf with FreePool. */
EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, char **buf, UINTN *size);

EFI_LOADED_IMAGE *efi_loaded_image(EFI_HANDLE image);

#endif
