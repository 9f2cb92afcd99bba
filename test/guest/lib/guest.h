/* SPDX-License-Identifier: GPL-2.0-only */
/* Support for the test guests: small EFI applications that iomvisor chain-loads.
 * They report on COM1 and end the emulator with a verdict the runners read:
 * a line "iomvisor-test: PASS" or "iomvisor-test: FAIL". */
#ifndef GUEST_H
#define GUEST_H

#include <efi.h>
#include <stdbool.h>
#include <stdint.h>

void guest_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records one check; prints "ok" or "FAIL" with the description. */
bool guest_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PASS if every check passed; then stops the emulator (QEMU isa-debug-exit, Bochs
 * shutdown port, UEFI ResetSystem as a last resort). */
_Noreturn void guest_finish(void);

/* The image's load options as ASCII (empty if none). */
const char *guest_load_options(void);
/* True when the load options hold this word. */
bool guest_has_option(const char *word);

#endif
