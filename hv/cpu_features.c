/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/cpu_features.h"
#include "hv/cpu.h"
#include "hv/string.h"

static void put_regs(char *dst, const struct cpuid_regs *r)
{
	memcpy(dst, &r->eax, 4);
	memcpy(dst + 4, &r->ebx, 4);
	memcpy(dst + 8, &r->ecx, 4);
	memcpy(dst + 12, &r->edx, 4);
}

static void detect_identity(struct cpu_features *f)
{
	struct cpuid_regs r = cpuid(0, 0);
	/* The vendor string is EBX, EDX, ECX in that order (SDM Vol. 2A, CPUID leaf 0). */
	memcpy(f->vendor, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);
	f->vendor[12] = '\0';
	f->intel = !memcmp(f->vendor, "GenuineIntel", 12);
	f->amd = !memcmp(f->vendor, "AuthenticAMD", 12);

	/* Family/model with the extended fields folded in as the SDM describes
	 * (Vol. 2A, CPUID leaf 01H, "Version Information"). */
	r = cpuid(1, 0);
	uint32_t base_family = (r.eax >> 8) & 0xF, base_model = (r.eax >> 4) & 0xF;
	f->family = base_family == 0xF ? base_family + ((r.eax >> 20) & 0xFF) : base_family;
	f->model = (base_family == 0x6 || base_family == 0xF)
			   ? (((r.eax >> 16) & 0xF) << 4) | base_model
			   : base_model;
	f->stepping = r.eax & 0xF;
	f->under_hypervisor = (r.ecx >> 31) & 1;
	f->vmx = (r.ecx >> 5) & 1; /* CPUID.01H:ECX[5] VMX */

	uint32_t max_ext = cpuid(0x80000000, 0).eax;
	if (max_ext >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			put_regs(f->brand + 16 * i, &r);
		}
		f->brand[48] = '\0';
	} else {
		memcpy(f->brand, "unknown", 8);
	}
	if (max_ext >= 0x80000001) {
		struct cpuid_regs e = cpuid(0x80000001, 0);
		f->svm = (e.ecx >> 2) & 1;	 /* CPUID Fn8000_0001_ECX[2] SVM */
		f->gib_pages = (e.edx >> 26) & 1; /* CPUID Fn8000_0001_EDX[26] Page1GB */
	}
	f->phys_addr_bits = max_ext >= 0x80000008 ? (cpuid(0x80000008, 0).eax & 0xFF) : 36;
}

static void detect_vmx(struct cpu_features *f)
{
	/* IA32_FEATURE_CONTROL: bit 0 lock, bit 2 VMXON outside SMX (SDM Vol. 3C §23.7). */
	f->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
	bool locked = f->feature_control & 1, outside_smx = (f->feature_control >> 2) & 1;
	f->vmx_locked_off = locked && !outside_smx;
	f->vmx_enabled_by_fw = locked && outside_smx;

	/* IA32_VMX_BASIC: revision in bits 30:0, bit 54 INS/OUTS information,
	 * bit 55 TRUE_* controls (SDM Vol. 3D, Appendix A.1). */
	uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);
	f->vmcs_revision = basic & 0x7FFFFFFF;
	f->vmx_ins_outs_info = (basic >> 54) & 1;
	f->vmx_true_ctls = (basic >> 55) & 1;

	/* Allowed-1 settings are the high 32 bits of a control MSR (Appendix A.3).
	 * Primary bit 31 activates the secondary controls, whose bit 1 is EPT,
	 * bit 5 VPID, bit 7 unrestricted guest (SDM Vol. 3C §24.6.2, Table 24-7). */
	uint64_t proc = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	f->vmx_secondary = (proc >> 63) & 1;
	if (!f->vmx_secondary)
		return;
	uint64_t proc2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	f->vmx_ept = (proc2 >> (32 + 1)) & 1;
	f->vmx_vpid = (proc2 >> (32 + 5)) & 1;
	f->vmx_unrestricted = (proc2 >> (32 + 7)) & 1;
	if (!f->vmx_ept)
		return;
	/* IA32_VMX_EPT_VPID_CAP (Appendix A.10): bit 8 UC, bit 14 WB, bit 16
	 * 2-MiB pages, bit 17 1-GiB pages. */
	uint64_t cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	f->vmx_ept_uc = (cap >> 8) & 1;
	f->vmx_ept_wb = (cap >> 14) & 1;
	f->vmx_ept_2m = (cap >> 16) & 1;
	f->vmx_ept_1g = (cap >> 17) & 1;
}

static void detect_svm(struct cpu_features *f)
{
	/* VM_CR: bit 3 LOCK, bit 4 SVMDIS (AMD APM Vol. 2 §15.30.1). */
	f->vm_cr = rdmsr(MSR_VM_CR);
	f->svm_locked = (f->vm_cr >> 3) & 1;
	f->svm_disabled = (f->vm_cr >> 4) & 1;

	/* CPUID Fn8000_000A: EAX revision, EBX number of ASIDs, EDX features:
	 * bit 0 NP, bit 3 NRIPS, bit 5 VMCB clean bits, bit 7 decode assists,
	 * bit 16 VGIF (AMD APM Vol. 3, Appendix E.4.9). */
	if (cpuid(0x80000000, 0).eax < 0x8000000A)
		return;
	struct cpuid_regs r = cpuid(0x8000000A, 0);
	f->svm_revision = r.eax & 0xFF;
	f->svm_asids = r.ebx;
	f->svm_npt = r.edx & 1;
	f->svm_nrips = (r.edx >> 3) & 1;
	f->svm_clean_bits = (r.edx >> 5) & 1;
	f->svm_decode_assists = (r.edx >> 7) & 1;
	f->svm_vgif = (r.edx >> 16) & 1;
}

void cpu_features_detect(struct cpu_features *f)
{
	memset(f, 0, sizeof(*f));
	detect_identity(f);
	if (f->vmx)
		detect_vmx(f);
	if (f->svm)
		detect_svm(f);
}
