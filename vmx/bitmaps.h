/* SPDX-License-Identifier: GPL-2.0-only */
/* The I/O bitmaps and the MSR bitmap every vCPU's VMCS points at. */
#ifndef VMX_BITMAPS_H
#define VMX_BITMAPS_H

#include <stdbool.h>
#include <stdint.h>

void vmx_bitmaps_init(void);
uint64_t vmx_io_bitmap_a_pa(void);
uint64_t vmx_io_bitmap_b_pa(void);
uint64_t vmx_msr_bitmap_pa(void);
/* Sets or clears the intercept for ports [first, first+count). */
void vmx_io_bitmap_set(uint16_t first, uint32_t count, bool trap);

#endif
