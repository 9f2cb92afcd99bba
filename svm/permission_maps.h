/* SPDX-License-Identifier: GPL-2.0-only */
/* The I/O permission map and MSR permission map every vCPU's VMCB points at. */
#ifndef SVM_PERMISSION_MAPS_H
#define SVM_PERMISSION_MAPS_H

#include <stdbool.h>
#include <stdint.h>

void svm_permission_maps_init(void);
uint64_t svm_iopm_pa(void);
uint64_t svm_msrpm_pa(void);
/* Sets or clears the intercept for ports [first, first+count). */
void svm_iopm_set(uint16_t first, uint32_t count, bool trap);

#endif
