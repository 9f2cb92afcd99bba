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

/* MSRs the hypervisor owns (AMD APM Vol. 2 §15.30; EFER: Vol. 2 §3.1.7). */
#define MSR_EFER 0xC0000080
#define MSR_VM_CR 0xC0010114
#define MSR_VM_HSAVE_PA 0xC0010117
#define MSR_X2APIC_ICR 0x830 /* SDM Vol. 3A §11.12.9 */
#define MSR_APIC_BASE 0x1B
#define APIC_BASE_X2APIC (1ull << 10)
#define EFER_SVME (1ull << 12)

#endif
