/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BOOT_CHAINLOAD_H
#define BOOT_CHAINLOAD_H

#include <efi.h>
#include <stdbool.h>

/* True when the UEFI shell started this image: the shell installs its
 * parameters protocol on every image it starts (UEFI Shell Specification 2.2,
 * 2.3), and on no other. */
bool chainload_started_by_shell(EFI_HANDLE self);

/* Loads the EFI image at path (on the volume iomvisor came from) and starts it with
 * options as its load options. shell_style: options are a shell command line
 * (first word the program), and the image also gets the shell's parameters
 * protocol with those words as Argv, as if the shell had started it. Returns when
 * the image returns, or with the error that kept it from starting (logged). */
EFI_STATUS chainload(EFI_HANDLE self, const char *path, const char *options, bool shell_style);

#endif
