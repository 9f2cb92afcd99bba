/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO exit's fast path: a plain MOV in 64-bit mode, done without the
 * general emulator (hv/exit/mmio_fast.c). */
#ifndef HV_MMIO_FAST_H
#define HV_MMIO_FAST_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/vcpu.h"
#include "iom/iom.h"

/*
 * The exit reported a trapped access at guest-physical gpa. If the instruction
 * at RIP is one the fast path takes, it does the access and returns true with
 * the IOM's status in *st: IOM_OK means the instruction completed (register
 * and RIP updated); anything else the caller applies as for the full
 * emulator's X86_CALLBACK, where RIP now stands: the instruction did not
 * complete (RIP unchanged), except when a deferred read succeeded on its
 * retry and only the drain of earlier writes returned an outcome, which then
 * follows the completed instruction (as with the full emulator). False:
 * nothing was done; use the full emulator.
 */
bool hv_mmio_fast(struct vcpu *v, uint64_t gpa, iom_status_t *st);

#endif
