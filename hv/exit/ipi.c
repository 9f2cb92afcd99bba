/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/ipi.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/dev/lapic.h"
#include "hv/exit/lapic_init.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/rejoin.h"
#include "hv/vendor.h"

/* The destination field, and whether it is the broadcast one: all ones,
 * FFH for the xAPIC and FFFF_FFFFH for the x2APIC, in either destination
 * mode (SDM Vol. 3A §11.6.2.1, §11.6.2.2, §11.12.9). */
static uint32_t icr_dest(uint64_t icr, bool x2apic)
{
	return x2apic ? (uint32_t)(icr >> 32) : (uint32_t)(icr >> 56);
}

static bool is_broadcast(uint64_t icr, bool x2apic)
{
	return ICR_SHORTHAND(icr) == ICR_SHORTHAND_NONE &&
	       icr_dest(icr, x2apic) == (x2apic ? 0xFFFFFFFFu : 0xFFu);
}

/* An x2APIC's logical ID follows from its x2APIC ID: cluster ID[19:4] in
 * bits 31:16, and bit ID[3:0] of the low 16 (SDM Vol. 3A §11.12.10.2); a
 * logical destination names the CPUs of its cluster whose bit it sets. */
static bool x2apic_logical_match(uint32_t apic_id, uint32_t dest)
{
	return dest >> 16 == apic_id >> 4 && (dest & (1u << (apic_id & 0xF)));
}

/* An xAPIC logical destination names a CPU by its LDR, as its DFR says
 * (SDM Vol. 3A §11.6.2.2): in the flat model when one of its logical ID's bits
 * is set in the 8-bit destination; in the cluster model when the
 * destination's cluster (bits 7:4) is its own and one of its 4 bits (3:0) is
 * set. The registers are the guest's, as recorded (hv/vcpu.h). */
static bool xapic_logical_match(const struct vcpu *t, uint32_t dest)
{
	uint32_t id = APIC_LDR_ID(t->xapic_ldr);
	if (APIC_DFR_MODEL(t->xapic_dfr) == APIC_DFR_FLAT)
		return (id & dest) != 0;
	return (dest >> 4) == (id >> 4) && (dest & id & 0xF);
}

static bool is_target(const struct vcpu *from, unsigned i, uint64_t icr, bool x2apic)
{
	if (is_broadcast(icr, x2apic))
		return true;
	switch (ICR_SHORTHAND(icr)) {
	case ICR_SHORTHAND_SELF:
		return i == from->index;
	case ICR_SHORTHAND_ALL:
		return true;
	case ICR_SHORTHAND_ALL_BUT_SELF:
		return i != from->index;
	default:
		if ((icr & ICR_DEST_LOGICAL) && x2apic)
			return x2apic_logical_match(percpu_apic_id(i), icr_dest(icr, x2apic));
		if (icr & ICR_DEST_LOGICAL)
			return xapic_logical_match(vcpu_of(i), icr_dest(icr, x2apic));
		return percpu_apic_id(i) == icr_dest(icr, x2apic);
	}
}

static bool virtualized(const struct vcpu *t)
{
	return t && t->arch;
}

/* icr for the one CPU apic_id, physical destination, no shorthand: the
 * destination field is bits 63:56 for the xAPIC, 63:32 for the x2APIC (SDM
 * Vol. 3A §11.6.1, §11.12.9). */
uint64_t hv_icr_to(uint64_t icr, uint32_t apic_id, bool x2apic)
{
	unsigned shift = x2apic ? 32 : 56;
	icr &= ~(ICR_SHORTHAND_MASK | ICR_DEST_LOGICAL | (~0ull << shift));
	return icr | (uint64_t)apic_id << shift;
}

/* An NMI IPI to one CPU. */
uint64_t hv_nmi_icr(uint32_t apic_id, bool x2apic)
{
	return hv_icr_to(ICR_DELIVERY_NMI << 8 | ICR_LEVEL_ASSERT, apic_id, x2apic);
}

/* An NMI or SMI: a CPU in wait-for-SIPI takes neither, it waits for a SIPI
 * alone (SDM Vol. 3A §9.4.4); but QEMU would start a CPU that a real INIT
 * reset (hv/rejoin.h) from its reset state, outside the hypervisor. Such a
 * target is passed over, and the others get the IPI one by one. */
static void send_past_real_waits(const struct vcpu *from, uint64_t icr, bool x2apic,
				 void (*send)(uint64_t icr))
{
	bool skip[HV_MAX_CPUS] = { false }, any = false;
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *t = vcpu_of(i);
		skip[i] = is_target(from, i, icr, x2apic) && virtualized(t) && hv_in_real_wait(t);
		any |= skip[i];
	}
	if (!any) {
		send(icr);
		return;
	}
	static bool told; /* once: the guest may send them in a loop */
	if (!told) {
		told = true;
		log_warn("cpu %u: %s IPI to a CPU waiting for a SIPI after a real INIT: "
			 "not sent to it (and not said again)",
			 from->index, ICR_DELIVERY(icr) == ICR_DELIVERY_NMI ? "NMI" : "SMI");
	}
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++)
		if (!skip[i] && is_target(from, i, icr, x2apic))
			send(hv_icr_to(icr, percpu_apic_id(i), x2apic));
}

static void send_init(const struct vcpu *from, uint64_t icr, bool x2apic,
		      void (*send)(uint64_t icr))
{
	bool others = false, vcpus = false;
	for (unsigned i = 0; i < hv_cpu_count(); i++) {
		if (!is_target(from, i, icr, x2apic))
			continue;
		struct vcpu *t = vcpu_of(i);
		if (!virtualized(t)) {
			others = true;
			continue;
		}
		if (!lapic_enabled(i)) /* no IPI reaches it */
			continue;
		vcpus = true;
		/* A SIPI left over from the target's last start (a second SIPI
		 * that came as it started) is no SIPI for this INIT. A vCPU
		 * waiting for a SIPI waits on, reset again; one with an INIT on
		 * its way (the NMI sent) takes this one with it: a second NMI
		 * would find it started again and be taken for the guest's. */
		spin_lock(&t->start_lock);
		t->sipi_pending = false;
		/* In the real wait-for-SIPI (hv/rejoin.h) it needs no NMI: it
		 * waits, and its SIPI brings it back. */
		bool nmi = t->state != VCPU_WAIT_FOR_SIPI && !t->init_pending &&
			   !hv_in_real_wait(t);
		if (t->state == VCPU_WAIT_FOR_SIPI)
			t->init_again = true;
		else
			t->init_pending = true;
		spin_unlock(&t->start_lock);
		if (nmi)
			send(hv_nmi_icr(percpu_apic_id(i), x2apic));
	}
	/* CPUs the hypervisor does not run get the real INIT, unless it also
	 * names vCPUs (a shorthand, a broadcast, a logical group): it cannot be
	 * split, and would reset them out of the hypervisor. Say so. */
	if (others && !vcpus)
		send(icr);
	else if (others)
		log_warn(
			"INIT to CPUs inside and outside the hypervisor: not sent to those outside");
}

void hv_icr_write(struct vcpu *from, uint64_t icr, bool x2apic, void (*send)(uint64_t icr))
{
	unsigned mode = ICR_DELIVERY(icr);

	if (mode == ICR_DELIVERY_INIT && !(icr & ICR_LEVEL_ASSERT) && (icr & ICR_TRIGGER_LEVEL)) {
		/* INIT level de-assert: no effect on current CPUs (SDM Vol. 3A
		 * §11.6.1); passing it on could only re-INIT a CPU we started. */
		return;
	}
	if (mode == ICR_DELIVERY_INIT) {
		send_init(from, icr, x2apic, send);
		return;
	}
	if (mode == ICR_DELIVERY_NMI || mode == ICR_DELIVERY_SMI) {
		send_past_real_waits(from, icr, x2apic, send);
		return;
	}
	if (mode != ICR_DELIVERY_STARTUP) {
		send(icr);
		return;
	}
	/* A SIPI: a vCPU waiting for one gets it from us; anything else (a CPU
	 * the hypervisor does not run) gets the real one. */
	bool forward = false;
	for (unsigned i = 0; i < hv_cpu_count(); i++) {
		if (!is_target(from, i, icr, x2apic))
			continue;
		struct vcpu *t = vcpu_of(i);
		if (!virtualized(t)) {
			forward = true;
			continue;
		}
		if (!lapic_enabled(i))
			continue;
		/* Waiting, or about to (its NMI may still be on the way); a
		 * running vCPU ignores a SIPI, as a running CPU does. */
		spin_lock(&t->start_lock);
		if (t->state == VCPU_WAIT_FOR_SIPI || t->init_pending) {
			t->sipi_vector = ICR_VECTOR(icr);
			t->sipi_pending = true;
		}
		t->rejoin_vector = ICR_VECTOR(icr);
		bool real_wait = t->real_wait;
		spin_unlock(&t->start_lock);
		/* A real INIT may have reset its CPU, seen (real_wait) or not,
		 * running the guest or waiting in the host (hv/rejoin.h): it
		 * comes back through the trampoline. */
		if (real_wait)
			hv_rejoin_wake(t, i, x2apic, send);
		else
			hv_rejoin_sipi(i, x2apic, send);
	}
	if (forward)
		send(icr);
}

/* What INIT does to a CPU that the hypervisor must do itself: the INIT the
 * guest sent never reached this CPU's APIC. */
void hv_init_forget(struct vcpu *v)
{
	v->nmi_pending = false;
	v->event.pending = false;
	v->interrupted.valid = false;
	v->xapic_ldr = 0;
	v->xapic_dfr = APIC_DFR_RESET;
}

static void reset_as_init(struct vcpu *v)
{
	/* The APIC state INIT leaves, or interrupts from the CPU's previous life
	 * (pending IPIs, a running timer) reach the code the SIPI starts. */
	lapic_init_reset(hv_vendor->accept_host_interrupts);
	/* Then what INIT drops: an NMI the host took while it let interrupts in
	 * above is gone too. */
	hv_init_forget(v);
}

uint8_t hv_wait_for_sipi(struct vcpu *v)
{
	reset_as_init(v);
	/* A SIPI that came before this CPU got here already counts (the sender
	 * saw init_pending). */
	spin_lock(&v->start_lock);
	v->state = VCPU_WAIT_FOR_SIPI;
	v->init_pending = false;
	v->init_again = false;
	spin_unlock(&v->start_lock);
	log_debug("vcpu %u: INIT, waiting for SIPI", v->index);
	uint8_t vector;
	for (;;) {
		if (!__atomic_load_n(&v->sipi_pending, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&v->init_again, __ATOMIC_ACQUIRE)) {
			hv_check_panic();
			cpu_relax();
			continue;
		}
		/* An INIT since the last look comes first: any SIPI seen with
		 * it was sent after it (the INIT cleared the older ones). Running
		 * before the lock goes: a later SIPI (INIT-SIPI-SIPI sends two)
		 * then finds a running CPU and is ignored, as by a real one. */
		spin_lock(&v->start_lock);
		bool again = v->init_again, sipi = v->sipi_pending;
		vector = v->sipi_vector;
		v->init_again = v->sipi_pending = false;
		if (sipi)
			v->state = VCPU_RUNNING;
		spin_unlock(&v->start_lock);
		if (again)
			reset_as_init(v);
		if (sipi)
			break;
	}
	log_debug("vcpu %u: SIPI, starting at 0x%x:0000", v->index, vector << 8);
	return vector;
}
