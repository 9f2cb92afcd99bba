/* SPDX-License-Identifier: GPL-2.0-only */
/* The serial debug console. Ctrl-] Ctrl-] on the serial input (seen
 * by the virtual UART, hv/dev/vuart.h) activates it; from then on every typed
 * byte goes to its line editor instead of the guest, until "continue". The
 * guest keeps running meanwhile, except vCPUs a watchpoint (or a device)
 * stopped, which wait for "continue". Commands: hv/console/debug_commands.c.
 *
 * It runs in the deferred-work step before guest entries (never in exit
 * context), on whichever CPU gets there first: input is taken from the UART when
 * the guest reads it, and polled before entries (every VUART_POLL_MS of guest
 * silence, at every entry while the console is active or a vCPU is stopped). */
#ifndef HV_DEBUG_CONSOLE_H
#define HV_DEBUG_CONSOLE_H

#include "hv/vcpu.h"

/* From hv_before_entry: prints this CPU's watchpoint hits, flushes held log
 * messages that waited too long, polls the serial input, runs the console, and
 * keeps a stopped vCPU here (serving the console) until "continue". */
void debug_console_before_entry(struct vcpu *v);
/* Is debug_console_before_entry's work unfinished (hits to report, held
 * messages, a stop, the console in use)? Its timed UART poll aside. */
bool debug_console_pending(const struct vcpu *v);

/* Runs one command line (the console is held). */
void debug_command(char *line);

#endif
