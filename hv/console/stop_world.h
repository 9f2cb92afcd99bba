/* SPDX-License-Identifier: GPL-2.0-only */
/* The debug console stops every vCPU while it is active: each stops itself at
 * its next exit once the guest's line is ended (hv/console/debug_console.c);
 * one that has not after STOP_KICK_MS runs without exits (a spin, HLT) and is brought to the host by
 * an NMI (hv/exit/stop_kick.h), once per activation. */
#ifndef HV_CONSOLE_STOP_WORLD_H
#define HV_CONSOLE_STOP_WORLD_H

#include <stdint.h>

#define STOP_KICK_MS 10

/* The console became active (on the CPU that serves it). */
void stop_world_begin(void);
/* 'continue': the machine runs again. */
void stop_world_end(void);
/* TSC ticks the machine has spent stopped in the console, all sessions so far
 * (the current one included): `stats` leaves them out of its rates. */
uint64_t stop_world_stopped_ticks(void);
/* From every CPU waiting in the console: kicks the vCPUs still running. */
void stop_world_poll(void);
/* After stop_world_begin, before the prompt: waits (kicking) until every
 * vCPU the hypervisor runs is parked or waits for a SIPI, for at most
 * STOP_WAIT_MS (a vCPU held up in the host, e.g. on a lock, is then shown as
 * running by `cpus` and stops when it gets here). Returns how many are parked
 * and sets *total to how many it looked at. */
#define STOP_WAIT_MS 2000
unsigned stop_world_wait(unsigned *total);

#endif
