/* SPDX-License-Identifier: GPL-2.0-only */
/* Running a function on an application processor (UEFI MP services), for
 * checks of what another CPU sees. */
#ifndef GUEST_ON_AP_H
#define GUEST_ON_AP_H

#include <stdbool.h>

/* Runs fn(arg) on the first application processor and waits for it to
 * return; false (fn not run) on a machine with one CPU or without MP
 * services. fn runs with interrupts off and may not call boot services. */
bool guest_on_ap(void (*fn)(void *), void *arg);

#endif
