/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing up the hypervisor: the backend's shared structures, the devices, then
 * each CPU in turn. */
#include "hv/console/console.h"
#include "hv/dev/lapic.h"
#include "hv/devices.h"
#include "hv/host.h"
#include "hv/hv.h"
#include "hv/iommu/iommu.h"
#include "hv/percpu.h"
#include "hv/rejoin.h"
#include "hv/trace/platform.h"
#include "hv/mem/pool.h"
#include "hv/mem/trap_map.h"
#include "hv/vcpu.h"
#include "hv/vendor.h"
#include "iom/iom.h"

const struct vendor_ops *hv_vendor;
static struct hv_memory memory;
static unsigned running;

unsigned hv_running_cpus(void)
{
	return __atomic_load_n(&running, __ATOMIC_ACQUIRE);
}

const struct hv_memory *hv_memory(void)
{
	return &memory;
}

static bool overlaps(uint64_t first, uint64_t last, uint64_t base, uint64_t size)
{
	return size && first < base + size && last >= base;
}

bool hv_memory_overlaps(uint64_t first, uint64_t last)
{
	return overlaps(first, last, memory.pool_base, memory.pool_size) ||
	       overlaps(first, last, memory.image_base, memory.image_size) ||
	       overlaps(first, last, memory.low_base, memory.low_size);
}

static int port_trap(void *arg, uint16_t first, uint32_t count, bool trap)
{
	(void)arg;
	return hv_vendor->set_port_trap(first, count, trap);
}

static int mmio_trap(void *arg, uint64_t gpa, uint64_t size, bool trap)
{
	(void)arg;
	/* A trap over the hypervisor's memory would hand it to a handler: never
	 * (configuration rules are refused before this, hv/dev/rules.c). */
	if (trap && size && hv_memory_overlaps(gpa, gpa + size - 1)) {
		log_err("mmio: not trapping 0x%lx+0x%lx: the hypervisor's memory",
			(unsigned long)gpa, (unsigned long)size);
		return -1;
	}
	/* The emulator's map first when trapping, last when releasing: an exit
	 * for a trapped page always finds it there. A backend that fails changed
	 * nothing (hv/mem/nested_map.h), so the map goes back to what it was too:
	 * a failed trap is forgotten, a failed release stays trapped. */
	if (trap && trap_map_set(gpa, size, true)) {
		log_err("mmio: cannot trap 0x%lx+0x%lx: the emulator's trap map is full",
			(unsigned long)gpa, (unsigned long)size);
		return -1;
	}
	int rc = hv_vendor->set_mmio_trap(gpa, size, trap);
	if (trap ? rc != 0 : rc == 0)
		trap_map_set(gpa, size, false);
	return rc;
}

static void hide(uint64_t base, uint64_t size)
{
	trap_map_hide(base, size);
	hv_vendor->hide(base, size);
}

/* What hv_takeover_this_cpu (takeover.S) saved of its caller. */
struct takeover_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx, rflags, return_address;
};

/* The guest continues as if hv_takeover_this_cpu had returned 0. Returns only
 * when this CPU could not be taken over. */
int hv_takeover(struct takeover_frame *f)
{
	struct vcpu *v = vcpu_of(hv_cpu_index());
	if (!hv_vendor || !v)
		return -1;
	struct x86_regs *r = &v->regs;
	r->gpr[X86_RAX] = 0;
	r->gpr[X86_RBX] = f->rbx;
	r->gpr[X86_RBP] = f->rbp;
	r->gpr[X86_R12] = f->r12;
	r->gpr[X86_R13] = f->r13;
	r->gpr[X86_R14] = f->r14;
	r->gpr[X86_R15] = f->r15;
	r->gpr[X86_RSP] = (uint64_t)(f + 1); /* past the return address */
	r->rip = f->return_address;
	r->rflags = f->rflags;
	lapic_read_logical_id(v);
	rejoin_record_cpu(v->index);
	__atomic_add_fetch(&running, 1, __ATOMIC_ACQ_REL);
	int rc = hv_vendor->start_cpu(v);
	__atomic_sub_fetch(&running, 1, __ATOMIC_ACQ_REL);
	log_err("hypervisor: CPU %u could not be taken over", v->index);
	return rc;
}

static const struct vendor_ops *pick_vendor(const struct cpu_features *f)
{
	if (f->amd || f->svm)
		return svm_vendor.supported(f) ? &svm_vendor : NULL;
	if (f->intel || f->vmx)
		return vmx_vendor.supported(f) ? &vmx_vendor : NULL;
	log_err("hypervisor: no backend for this CPU (%s): booting without the hypervisor",
		f->vendor);
	return NULL;
}

enum hv_start_result hv_start(const struct hv_start_params *p)
{
	hv_vendor = pick_vendor(p->features);
	if (!hv_vendor)
		return HV_NO_BACKEND;
	memory = p->memory;
	pool_init(memory.pool_base, memory.pool_size / PAGE_SIZE);
	/* This copy of the image took the console's state along when it was made
	 * (boot/relocate.c); reprogramming the same UART would only garble what it
	 * is sending. */
	if (p->uart_base != console_uart_base())
		console_init(p->uart_base);
	console_set_level(p->log_level);
	for (unsigned i = 0; i < p->cpus && i < HV_MAX_CPUS; i++)
		percpu_register(i, p->apic_ids[i]);

	for (unsigned i = 0; i < p->cpus && i < HV_MAX_CPUS; i++)
		vcpu_of(i)->index = i;
	host_init_shared(p->features, p->top);
	hv_vendor->global_init(p->features, p->top);
	hide(memory.image_base, memory.image_size);
	hide(memory.pool_base, memory.pool_size);
	if (memory.low_size >= REJOIN_PAGES * PAGE_SIZE) {
		hide(memory.low_base, memory.low_size);
		rejoin_install(memory.low_base);
	}

	/* Devices register now; the hooks then replay every mapped range into the
	 * backend's bitmaps and page tables. */
	iom_init();
	trace_platform_init(p->acpi_rsdp);
	devices_register(p->acpi_rsdp);
	/* DMA translation is on before any CPU enters the guest; its register
	 * traps are IOM ranges, so this comes before the freeze. */
	struct iommu_platform iommu = { p->acpi_rsdp, p->features->phys_addr_bits, p->top };
	iommu_start(&iommu);
	iom_freeze();
	struct iom_intercept_ops ops = { NULL, port_trap, mmio_trap };
	iom_err_t err = iom_set_intercept_ops(&ops);
	if (err != IOM_E_OK) {
		log_err("hypervisor: cannot install intercepts (%s): not started", iom_err_name(err));
		return HV_START_FAILED;
	}

	log_info("hypervisor: %s backend ready for %u CPUs", hv_vendor->name, p->cpus);
	return HV_STARTED;
}
