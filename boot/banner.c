/* SPDX-License-Identifier: GPL-2.0-only */
#include "boot/banner.h"
#include "hv/console/console.h"

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

/* Leading blanks of the brand string are padding (some CPUs right-align it). */
static const char *trim(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static void print_vmx(const struct cpu_features *f)
{
	if (!f->vmx) {
		log_info("vmx: no");
		return;
	}
	/* W=1 with R=0 is always an EPT misconfiguration (SDM Vol. 3C, "EPT
	 * Misconfigurations"), so any CPU with EPT can trap MMIO that way. */
	log_info("vmx: yes, ept %s (wb %s, uc %s, 2m %s, 1g %s, misconfig-trap %s), "
		 "unrestricted-guest %s, vpid %s, vmcs-revision 0x%x, true-ctls %s, ins-outs-info %s",
		 yn(f->vmx_ept), yn(f->vmx_ept_wb), yn(f->vmx_ept_uc), yn(f->vmx_ept_2m),
		 yn(f->vmx_ept_1g), yn(f->vmx_ept), yn(f->vmx_unrestricted), yn(f->vmx_vpid),
		 f->vmcs_revision, yn(f->vmx_true_ctls), yn(f->vmx_ins_outs_info));
	const char *state = f->vmx_locked_off	 ? "locked off (VMX disabled by firmware)"
			    : f->vmx_enabled_by_fw ? "locked on (VMX enabled by firmware)"
						   : "unlocked (iomvisor can enable VMX)";
	log_info("vmx firmware: IA32_FEATURE_CONTROL=0x%lx, %s", (unsigned long)f->feature_control,
		 state);
}

static void print_svm(const struct cpu_features *f)
{
	if (!f->svm) {
		log_info("svm: no");
		return;
	}
	log_info("svm: yes, npt %s, nrip-save %s, decode-assists %s, vmcb-clean %s, vgif %s, "
		 "asids %u, revision %u",
		 yn(f->svm_npt), yn(f->svm_nrips), yn(f->svm_decode_assists),
		 yn(f->svm_clean_bits), yn(f->svm_vgif), f->svm_asids, f->svm_revision);
	log_info("svm firmware: VM_CR=0x%lx, %s, %s", (unsigned long)f->vm_cr,
		 f->svm_disabled ? "SVM disabled (SVMDIS)" : "SVM enabled",
		 f->svm_locked ? "locked" : "unlocked");
}

void banner_print(const struct cpu_features *f, const struct mp_summary *mp,
		  const struct memmap_summary *mem)
{
	log_info("cpu: %s family 0x%x model 0x%x stepping %u, \"%s\", %u-bit physical addresses%s",
		 f->vendor, f->family, f->model, f->stepping, trim(f->brand), f->phys_addr_bits,
		 f->under_hypervisor ? ", running under a hypervisor" : "");
	print_vmx(f);
	print_svm(f);
	log_info("cpus: %lu logical, %lu enabled%s", (unsigned long)mp->count,
		 (unsigned long)mp->enabled, mp->available ? "" : " (no MP services: BSP only)");
	log_info("memory: %lu MiB usable, %lu KiB runtime, %lu KiB reserved, %lu MMIO regions, "
		 "%lu map entries, highest address 0x%lx",
		 (unsigned long)(mem->usable_bytes >> 20), (unsigned long)(mem->runtime_bytes >> 10),
		 (unsigned long)(mem->reserved_bytes >> 10), (unsigned long)mem->mmio_regions,
		 (unsigned long)mem->regions, (unsigned long)mem->top);
}
