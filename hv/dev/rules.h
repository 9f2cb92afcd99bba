/* SPDX-License-Identifier: GPL-2.0-only */
/* "trace port|mmio SPAN" and "deny port|mmio SPAN" rules as IOM clients.
 *
 * trace: every access goes through to the real port or memory and is recorded
 * (hv/trace/printer.h), printed later from the deferred-work step.
 * deny: the default action: writes go into the void, reads return all ones;
 * the IOM's counters for the range count them.
 * MMIO rules need not be page aligned: the device claims the pages that cover
 * the rule and passes accesses outside the rule straight through. */
#ifndef HV_DEV_TRACE_H
#define HV_DEV_TRACE_H

#include "hv/devices.h"

void io_rule_register(const struct io_rule *rule);

#endif
