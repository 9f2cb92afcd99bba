/* SPDX-License-Identifier: GPL-2.0-only */
/* What an exit was for, as the debug console's `stats` counts them: each
 * backend maps its exit code to one of these (svm_exit_kind, vmx_exit_kind)
 * and counts it in v->exit_kinds. */
#ifndef HV_EXIT_KIND_H
#define HV_EXIT_KIND_H

enum hv_exit_kind {
	HV_EXIT_KIND_PORT,	/* port I/O */
	HV_EXIT_KIND_MMIO,	/* a trapped or on-demand guest-physical page */
	HV_EXIT_KIND_CPUID,
	HV_EXIT_KIND_MSR,	/* RDMSR, WRMSR */
	HV_EXIT_KIND_HYPERCALL, /* VMMCALL, VMCALL */
	HV_EXIT_KIND_NMI,	/* NMIs and NMI windows, INIT, SIPI */
	HV_EXIT_KIND_OTHER,
	HV_EXIT_KINDS
};

/* The column titles of `stats`, in enum order. */
#define HV_EXIT_KIND_NAMES { "port", "mmio", "cpuid", "msr", "hcall", "nmi", "other" }

#endif
