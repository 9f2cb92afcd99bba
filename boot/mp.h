/* SPDX-License-Identifier: GPL-2.0-only */
/* The firmware's view of the logical CPUs (UEFI PI spec, EFI MP Services). */
#ifndef BOOT_MP_H
#define BOOT_MP_H

#include <efi.h>
#include <stdbool.h>

struct mp_summary {
	bool available; /* the firmware offers MP services */
	UINTN count;    /* logical CPUs */
	UINTN enabled;
};

/* Counts the CPUs and records each one's APIC ID (hv/percpu.h). */
struct mp_summary mp_discover(void);

/* Runs fn(arg) on every application processor, one after another, and waits.
 * Returns the firmware's status. */
EFI_STATUS mp_run_on_aps(void (*fn)(void *arg), void *arg);

#endif
