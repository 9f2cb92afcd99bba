/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor test guest: one file per area, each adding checks. */
#ifndef HVTEST_H
#define HVTEST_H

#include "guest.h"
#include "hvif.h"

void test_ports(void);
void test_mmio(void);
void test_hidden_memory(void);
void test_high_memory(void);
void test_unsupported(void);
void test_all_cpus(void);

#endif
