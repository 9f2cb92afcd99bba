/* SPDX-License-Identifier: GPL-2.0-only */
/* The PAE PDPTE registers a guest's MOV to CR0, CR3 or CR4 loads (SDM Vol. 3A
 * §4.4.1), where the hypervisor performs that MOV for the guest (VMX with EPT
 * keeps the four entries in the VMCS, and VM entry checks them). */
#ifndef HV_PDPTE_H
#define HV_PDPTE_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the four PDPTEs at guest-physical cr3[31:5]; false where the MOV must
 * raise #GP instead: a present entry with a reserved bit set (bits 2:1, 8:5
 * and 63:MAXPHYADDR, SDM Vol. 3A §4.4.1, Table 4-8), or entries that lie in
 * memory the guest cannot read (the hypervisor's own, or trapped device
 * memory: no CPU loads PDPTEs from a device). */
bool hv_read_pdptes(uint64_t cr3, uint64_t pdpte[4]);

#endif
