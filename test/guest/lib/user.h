/* SPDX-License-Identifier: GPL-2.0-only */
/* Running a test function at CPL 3 (user mode) from a 64-bit UEFI guest.
 *
 * The firmware's page tables map everything for the supervisor only, and its
 * GDT has no user segments and no TSS. user_init() builds what user mode
 * needs: an identity map of the first 64 GiB in 2-MiB pages with U/S set at
 * every level (SDM Vol. 3A §4.6.1), a GDT holding the firmware's descriptors
 * plus a 64-bit user code and a user data segment and a 64-bit TSS whose RSP0
 * is a private stack (for exceptions taken in user mode, §6.14.4), and an
 * IDT gate of DPL 3 through which the user code comes back (§6.12.1.1).
 * user_run(fn) switches to them, enters fn at CPL 3 with interrupts off and
 * IOPL 3 (so IN/OUT work there), and returns when fn returns; exceptions
 * take the private IDT's handlers (idt.h), whose IRETQ goes back to user
 * mode. The firmware's CR3 and GDT are back after each call; the private IDT
 * stays loaded (guest_idt_restore() is the caller's). */
#ifndef GUEST_USER_H
#define GUEST_USER_H

#include <stdbool.h>

/* The vector user code returns through. */
#define USER_RETURN_VECTOR 0x81

/* False (and a line on the console) if the memory could not be had. */
bool user_init(void);
void user_run(void (*fn)(void));
/* Inside trap_run() (trap.h), an exception in user mode abandons user_run
 * without restoring: call this after such a trap_run returned a vector. */
void user_abandon(void);

#endif
