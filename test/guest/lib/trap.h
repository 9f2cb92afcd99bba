/* SPDX-License-Identifier: GPL-2.0-only */
/* Catching exceptions in a test guest: a private copy of the firmware's IDT
 * whose 32 exception gates (SDM Vol. 3A §6.3.1, vectors 0-31) point at
 * handlers that abandon the function that raised them. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include <stdbool.h>

/* True when fn raised #UD (fn is abandoned at the faulting instruction). */
bool guest_raises_ud(void (*fn)(void));
/* The same for #GP. */
bool guest_raises_gp(void (*fn)(void));

/* For many calls in a row: trap_begin() disables interrupts and loads the
 * private IDT; trap_run(fn) calls fn and returns the vector of the exception
 * it raised (fn abandoned there, its stack dropped), or -1; trap_end() puts
 * the firmware's IDT and the interrupt flag back as trap_begin found them. fn must leave RSP where it
 * found it when it raises, give or take a few pushes: the CPU pushes the
 * exception frame on the current stack (IST 0). */
void trap_begin(void);
int trap_run(void (*fn)(void));
void trap_end(void);

#endif
