/* SPDX-License-Identifier: GPL-2.0-only */
/* What the processor offers for virtualization, read once at boot. Used for the
 * banner and by the backends to choose their paths (e.g. NRIP save or not). */
#ifndef HV_CPU_FEATURES_H
#define HV_CPU_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	char vendor[13];
	char brand[49];
	bool intel, amd;
	uint32_t family, model, stepping;
	unsigned phys_addr_bits;
	bool gib_pages;	       /* CPUID.80000001H:EDX[26]: 1-GiB pages (also in NPT) */
	bool under_hypervisor; /* CPUID.01H:ECX[31] */

	/* Intel VMX */
	bool vmx;
	uint64_t feature_control;   /* IA32_FEATURE_CONTROL */
	bool vmx_locked_off;	    /* locked with VMX-outside-SMX clear */
	bool vmx_enabled_by_fw;	    /* locked with VMX-outside-SMX set */
	uint32_t vmcs_revision;
	bool vmx_true_ctls;	    /* IA32_VMX_BASIC[55] */
	bool vmx_ins_outs_info;	    /* IA32_VMX_BASIC[54] */
	bool vmx_secondary;
	bool vmx_ept, vmx_unrestricted, vmx_vpid;
	bool vmx_ept_wb, vmx_ept_uc, vmx_ept_2m, vmx_ept_1g;

	/* AMD SVM */
	bool svm;
	uint64_t vm_cr;		    /* VM_CR MSR */
	bool svm_disabled;	    /* VM_CR.SVMDIS */
	bool svm_locked;	    /* VM_CR.LOCK */
	uint32_t svm_revision;
	uint32_t svm_asids;
	bool svm_npt, svm_nrips, svm_decode_assists, svm_vgif, svm_clean_bits;
};

/* Fills f for the calling CPU. Reads only MSRs the CPUID bits promise. */
void cpu_features_detect(struct cpu_features *f);

#endif
