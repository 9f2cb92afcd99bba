/* SPDX-License-Identifier: GPL-2.0-only */
/* The fidelity test guest: each file checks one behaviour that must be the same
 * with and without iomvisor underneath (the promise: the guest sees the machine
 * it would see on bare metal, apart from the CPUID hypervisor bit and leaves
 * 0x40000000 and up). Every check also holds on bare metal. */
#ifndef FIDELITY_H
#define FIDELITY_H

#include <stdint.h>
#include "guest.h"

void test_cpuid_state_bits(void);
void test_single_step(void);
void test_nmi_blocking(void);
void test_unimplemented_msr(void);
void test_cr_writes(void);
void test_task_switch(void);
void test_ap_restarts(unsigned rounds);

#endif
