/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: hv/exit/ipi.c, the ICR writes the hypervisor takes over (INIT and
 * SIPI to CPUs it runs) and the ones it passes on, decoded by destination
 * shorthand and physical destination, xAPIC and x2APIC. */
#include "test/unit/hv_fakes.h"
#include "hv/exit/ipi.h"

/* ICR fields (SDM Vol. 3A §11.6.1, Figure 11-12), written out here so the
 * test does not share the code's mistakes. */
#define FIXED (0ull << 8)
#define SMI (2ull << 8)
#define NMI (4ull << 8)
#define INIT (5ull << 8)
#define SIPI (6ull << 8)
#define LOGICAL (1ull << 11)
#define ASSERT (1ull << 14)
#define LEVEL (1ull << 15)
#define SELF (1ull << 18)
#define ALL (2ull << 18)
#define ALL_BUT_SELF (3ull << 18)
#define XAPIC_DEST(id) ((uint64_t)(id) << 56)
#define X2APIC_DEST(id) ((uint64_t)(id) << 32)

static uint64_t sent[16];
static unsigned nsent;

static void send(uint64_t icr)
{
	assert_true(nsent < 16);
	sent[nsent++] = icr;
}

static int arch_dummy;

/* hv/rejoin.c's sender side: which CPU got a SIPI to the trampoline (one
 * only, or retried until back). */
static unsigned rejoin_sipis[FAKE_CPUS], rejoin_wakes[FAKE_CPUS];

void hv_rejoin_sipi(unsigned i, bool x2apic, void (*s)(uint64_t icr))
{
	(void)x2apic, (void)s;
	rejoin_sipis[i]++;
}

/* Here real_wait alone says a CPU sits in the real wait-for-SIPI. */
bool hv_in_real_wait(struct vcpu *v)
{
	return v->real_wait;
}

void hv_rejoin_wake(struct vcpu *t, unsigned i, bool x2apic, void (*s)(uint64_t icr))
{
	(void)t, (void)x2apic, (void)s;
	rejoin_wakes[i]++;
}

/* CPUs 0-3, APIC IDs 0, 2, 4, 6; all run by the hypervisor unless a test
 * says otherwise. */
static int setup(void **state)
{
	(void)state;
	fake_reset();
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		fake_apic_ids[i] = 2 * i;
		fake_vcpus[i].arch = &arch_dummy;
	}
	nsent = 0;
	memset(rejoin_sipis, 0, sizeof(rejoin_sipis));
	memset(rejoin_wakes, 0, sizeof(rejoin_wakes));
	return 0;
}

static uint64_t nmi_to(uint32_t apic_id, bool x2apic)
{
	return (x2apic ? X2APIC_DEST(apic_id) : XAPIC_DEST(apic_id)) | NMI | ASSERT;
}

static void test_physical_init_to_a_vcpu_becomes_pending_plus_nmi(void **state)
{
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | INIT | ASSERT | LEVEL, false, send);
	assert_true(fake_vcpus[2].init_pending);
	assert_false(fake_vcpus[1].init_pending || fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], nmi_to(4, false));
}

static void test_x2apic_destination_is_bits_32_to_63(void **state)
{
	hv_icr_write(&fake_vcpus[0], X2APIC_DEST(6) | INIT | ASSERT, true, send);
	assert_true(fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], nmi_to(6, true));
	/* The xAPIC field (bits 56-63) means nothing in x2APIC mode. */
	nsent = 0;
	fake_vcpus[3].init_pending = false;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(6) | INIT | ASSERT, true, send);
	assert_false(fake_vcpus[3].init_pending);
}

static void test_init_to_a_cpu_outside_goes_out_as_it_is(void **state)
{
	fake_vcpus[1].arch = NULL;
	uint64_t icr = XAPIC_DEST(2) | INIT | ASSERT;
	hv_icr_write(&fake_vcpus[0], icr, false, send);
	assert_false(fake_vcpus[1].init_pending);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], icr);
}

static void test_init_deassert_does_nothing(void **state)
{
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | INIT | LEVEL, false, send);
	hv_icr_write(&fake_vcpus[0], ALL_BUT_SELF | INIT | LEVEL, false, send);
	assert_int_equal(nsent, 0);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_false(fake_vcpus[i].init_pending);
}

static void test_init_shorthands(void **state)
{
	/* All but self: every other vCPU, one NMI each. */
	hv_icr_write(&fake_vcpus[1], ALL_BUT_SELF | INIT | ASSERT, false, send);
	assert_false(fake_vcpus[1].init_pending);
	assert_true(fake_vcpus[0].init_pending && fake_vcpus[2].init_pending &&
		    fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 3);
	assert_int_equal(sent[0], nmi_to(0, false));
	assert_int_equal(sent[1], nmi_to(4, false));
	assert_int_equal(sent[2], nmi_to(6, false));

	/* Self. */
	setup(state);
	hv_icr_write(&fake_vcpus[2], SELF | INIT | ASSERT, false, send);
	assert_true(fake_vcpus[2].init_pending);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], nmi_to(4, false));

	/* All, one CPU outside the hypervisor: the vCPUs get theirs, the real
	 * broadcast is held back (it would reset the vCPUs) and logged. */
	setup(state);
	fake_vcpus[3].arch = NULL;
	unsigned logs = fake_logs;
	hv_icr_write(&fake_vcpus[0], ALL | INIT | ASSERT, false, send);
	assert_int_equal(nsent, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(sent[i], nmi_to(2 * i, false));
	assert_false(fake_vcpus[3].init_pending);
	assert_int_equal(fake_logs, logs + 1);

	/* All but self, and all the others outside: no vCPU among them, so
	 * the real INIT goes out. */
	setup(state);
	for (unsigned i = 1; i < FAKE_CPUS; i++)
		fake_vcpus[i].arch = NULL;
	uint64_t icr = ALL_BUT_SELF | INIT | ASSERT;
	hv_icr_write(&fake_vcpus[0], icr, false, send);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], icr);
	assert_false(fake_vcpus[0].init_pending);
}

/* A physical destination of all ones is a broadcast (SDM Vol. 3A §11.6.2.1:
 * FFH for the xAPIC, FFFF_FFFFH for the x2APIC), not an APIC ID. */
static void test_physical_broadcast_reaches_every_vcpu(void **state)
{
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0xFF) | INIT | ASSERT, false, send);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_true(fake_vcpus[i].init_pending);
	assert_int_equal(nsent, FAKE_CPUS);

	setup(state);
	hv_icr_write(&fake_vcpus[0], X2APIC_DEST(0xFFFFFFFFu) | INIT | ASSERT, true, send);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_true(fake_vcpus[i].init_pending);
	assert_int_equal(nsent, FAKE_CPUS);

	/* With a CPU outside, the real broadcast would reset the vCPUs too:
	 * held back, as for the shorthands. */
	setup(state);
	fake_vcpus[2].arch = NULL;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0xFF) | INIT | ASSERT, false, send);
	assert_int_equal(nsent, FAKE_CPUS - 1);
	for (unsigned i = 0; i < nsent; i++)
		assert_int_not_equal(sent[i] & INIT, INIT);

	/* The SIPI that follows reaches them too. */
	setup(state);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		fake_vcpus[i].state = VCPU_WAIT_FOR_SIPI;
	nsent = 0;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0xFF) | SIPI | ASSERT | 0x9A, false, send);
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		assert_true(fake_vcpus[i].sipi_pending);
		assert_int_equal(fake_vcpus[i].sipi_vector, 0x9A);
	}
	assert_int_equal(nsent, 0);
}

/* A shorthand ignores the destination mode (SDM Vol. 3A §11.6.1): with the
 * logical bit set it still names the same CPUs, so the vCPUs among them must
 * not get a real INIT. */
static void test_shorthand_with_the_logical_bit(void **state)
{
	hv_icr_write(&fake_vcpus[0], ALL_BUT_SELF | LOGICAL | INIT | ASSERT, false, send);
	assert_int_equal(nsent, 3);
	for (unsigned i = 1; i < FAKE_CPUS; i++) {
		assert_true(fake_vcpus[i].init_pending);
		assert_int_equal(sent[i - 1], nmi_to(2 * i, false));
	}
}

/* x2APIC logical destinations are derived from the x2APIC ID: cluster
 * ID[19:4] in bits 31:16, bit ID[3:0] of the low 16 (SDM Vol. 3A
 * §11.12.10.2), so the targets are known. */
static void test_x2apic_logical_destination(void **state)
{
	/* APIC IDs 0, 2, 4, 6: cluster 0, bits 0, 2, 4, 6. Bits 2 and 6. */
	uint64_t dest = X2APIC_DEST(0x00000044u);
	hv_icr_write(&fake_vcpus[0], dest | LOGICAL | INIT | ASSERT, true, send);
	assert_false(fake_vcpus[0].init_pending || fake_vcpus[2].init_pending);
	assert_true(fake_vcpus[1].init_pending && fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[0], nmi_to(2, true));
	assert_int_equal(sent[1], nmi_to(6, true));

	/* Another cluster names none of them. */
	setup(state);
	hv_icr_write(&fake_vcpus[0], X2APIC_DEST(0x00010044u) | LOGICAL | INIT | ASSERT, true,
		     send);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_false(fake_vcpus[i].init_pending);

	/* CPU 2 (APIC ID 0x14: cluster 1, bit 4) waits for a SIPI. */
	setup(state);
	fake_apic_ids[2] = 0x14;
	fake_vcpus[2].state = VCPU_WAIT_FOR_SIPI;
	hv_icr_write(&fake_vcpus[0], X2APIC_DEST(0x00010010u) | LOGICAL | SIPI | ASSERT | 0x20,
		     true, send);
	assert_true(fake_vcpus[2].sipi_pending);
	assert_int_equal(fake_vcpus[2].sipi_vector, 0x20);
	assert_int_equal(nsent, 0);
}

/* xAPIC logical destinations (SDM Vol. 3A §11.6.2.2) follow the LDR and DFR
 * each guest programmed (recorded as it writes them): the flat model names
 * the CPUs whose LDR bit is set in the 8-bit destination, the cluster model
 * a cluster (bits 7:4) and up to 4 CPUs in it (bits 3:0). A SIPI to a vCPU
 * waiting for one must be taken over, or it never starts. */
static void test_xapic_logical_destination(void **state)
{
	/* Flat: CPUs 0-3 have LDR bits 0x01, 0x02, 0x04, 0x08. */
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		fake_vcpus[i].xapic_dfr = 0xFFFFFFFFu;
		fake_vcpus[i].xapic_ldr = (1u << i) << 24;
	}
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0x0A) | LOGICAL | INIT | ASSERT, false, send);
	assert_false(fake_vcpus[0].init_pending || fake_vcpus[2].init_pending);
	assert_true(fake_vcpus[1].init_pending && fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[0], nmi_to(2, false));
	assert_int_equal(sent[1], nmi_to(6, false));

	/* The SIPI that follows reaches the waiting vCPU. */
	nsent = 0;
	fake_vcpus[1].init_pending = false;
	fake_vcpus[1].state = VCPU_WAIT_FOR_SIPI;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0x02) | LOGICAL | SIPI | ASSERT | 0x9a, false,
		     send);
	assert_true(fake_vcpus[1].sipi_pending);
	assert_int_equal(fake_vcpus[1].sipi_vector, 0x9a);
	assert_int_equal(nsent, 0);

	/* Cluster: CPUs 0-1 in cluster 1 (bits 1, 2), CPUs 2-3 in cluster 2
	 * (bits 1, 2). Destination 0x22: cluster 2, bit 2 = CPU 3 only. */
	setup(state);
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		fake_vcpus[i].xapic_dfr = 0x0FFFFFFFu;
		fake_vcpus[i].xapic_ldr = ((1u + i / 2) << 28) | ((1u << (i % 2)) << 24);
	}
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0x22) | LOGICAL | INIT | ASSERT, false, send);
	for (unsigned i = 0; i < 3; i++)
		assert_false(fake_vcpus[i].init_pending);
	assert_true(fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], nmi_to(6, false));

	/* A logical destination that names no CPU: nothing happens. */
	setup(state);
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		fake_vcpus[i].xapic_dfr = 0xFFFFFFFFu;
		fake_vcpus[i].xapic_ldr = 0;
	}
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(0x0F) | LOGICAL | INIT | ASSERT, false, send);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_false(fake_vcpus[i].init_pending);
}

/* INIT resets the logical destination registers (SDM Vol. 3A §11.4.7.3: LDR
 * 0, DFR all ones), and the record with them. */
static void test_init_resets_the_logical_destination(void **state)
{
	fake_vcpus[1].xapic_ldr = 0x08000000u;
	fake_vcpus[1].xapic_dfr = 0x0FFFFFFFu;
	fake_vcpus[1].sipi_pending = true; /* so that the wait returns at once */
	fake_vcpus[1].sipi_vector = 0x10;
	assert_int_equal(hv_wait_for_sipi(&fake_vcpus[1]), 0x10);
	assert_int_equal(fake_vcpus[1].xapic_ldr, 0);
	assert_int_equal(fake_vcpus[1].xapic_dfr, 0xFFFFFFFFu);
}

static void test_sipi(void **state)
{
	/* Waiting for one (or INIT on the way): taken over. */
	fake_vcpus[1].state = VCPU_WAIT_FOR_SIPI;
	fake_vcpus[2].init_pending = true;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | SIPI | ASSERT | 0x10, false, send);
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | SIPI | ASSERT | 0x11, false, send);
	assert_true(fake_vcpus[1].sipi_pending);
	assert_int_equal(fake_vcpus[1].sipi_vector, 0x10);
	assert_true(fake_vcpus[2].sipi_pending);
	assert_int_equal(fake_vcpus[2].sipi_vector, 0x11);
	assert_int_equal(nsent, 0);

	/* A running vCPU ignores it, as a running CPU does; but a real INIT
	 * may have reset its CPU unseen: the vector is kept for the
	 * trampoline, and one SIPI goes there (hv/rejoin.h). */
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(6) | SIPI | ASSERT | 0x12, false, send);
	assert_false(fake_vcpus[3].sipi_pending);
	assert_int_equal(fake_vcpus[3].rejoin_vector, 0x12);
	assert_int_equal(rejoin_sipis[3], 1);
	assert_int_equal(nsent, 0);
	/* Waiting in the host is no proof either: one SIPI each, no retries. */
	assert_int_equal(rejoin_sipis[1] + rejoin_sipis[2], 2);
	assert_int_equal(rejoin_wakes[1] + rejoin_wakes[2], 0);

	/* A CPU outside the hypervisor gets the real one. */
	fake_vcpus[3].arch = NULL;
	uint64_t icr = XAPIC_DEST(6) | SIPI | ASSERT | 0x13;
	hv_icr_write(&fake_vcpus[0], icr, false, send);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], icr);
}

/* A vCPU whose CPU a real INIT the hypervisor saw put in the real
 * wait-for-SIPI: its SIPI is recorded and the sender brings the CPU back. */
static void test_sipi_to_a_cpu_in_the_real_wait(void **state)
{
	fake_vcpus[2].state = VCPU_WAIT_FOR_SIPI;
	fake_vcpus[2].real_wait = true;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | SIPI | ASSERT | 0x21, false, send);
	assert_true(fake_vcpus[2].sipi_pending);
	assert_int_equal(fake_vcpus[2].sipi_vector, 0x21);
	assert_int_equal(rejoin_wakes[2], 1);
	assert_int_equal(rejoin_sipis[2], 0);
	assert_int_equal(nsent, 0);
}

/* An INIT to a CPU in the real wait-for-SIPI that the hypervisor never saw
 * go there (its vCPU looks running): no NMI, which would wake it into the
 * reset state on QEMU; the SIPI after it is recorded. */
static void test_init_to_a_cpu_in_the_real_wait_sends_no_nmi(void **state)
{
	fake_vcpus[2].real_wait = true;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | INIT | ASSERT | LEVEL, false, send);
	assert_int_equal(nsent, 0);
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | SIPI | ASSERT | 0x22, false, send);
	assert_true(fake_vcpus[2].sipi_pending);
	assert_int_equal(fake_vcpus[2].sipi_vector, 0x22);
	assert_int_equal(fake_vcpus[2].rejoin_vector, 0x22);
}

/* An INIT to a vCPU already waiting for a SIPI leaves it waiting, as a CPU
 * in wait-for-SIPI stays there (SDM Vol. 3A §9.4.4): no NMI goes out, which
 * would reach the guest after its next start and take it back to the wait,
 * so that the one SIPI after the INIT would start it for no time at all. */
static void test_init_to_a_waiting_vcpu_sends_no_nmi(void **state)
{
	fake_vcpus[1].state = VCPU_WAIT_FOR_SIPI;
	fake_vcpus[1].sipi_pending = true; /* an older SIPI, not yet taken */
	fake_vcpus[1].sipi_vector = 0x10;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | INIT | ASSERT, false, send);
	assert_int_equal(nsent, 0);
	assert_false(fake_vcpus[1].init_pending);
	assert_false(fake_vcpus[1].sipi_pending); /* the INIT came after it */

	/* The SIPI after the INIT starts it, with its INIT done first. */
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | SIPI | ASSERT | 0x11, false, send);
	fake_vcpus[1].xapic_ldr = 0x08000000u; /* as if written in its last life */
	assert_int_equal(hv_wait_for_sipi(&fake_vcpus[1]), 0x11);
	assert_int_equal(fake_vcpus[1].xapic_ldr, 0);
	assert_int_equal(fake_vcpus[1].state, VCPU_RUNNING);
	assert_false(fake_vcpus[1].init_pending);
}

/* Two INITs to a running vCPU before it takes the first: one NMI. The second
 * would arrive after the vCPU has started again and look like the guest's. */
static void test_second_init_on_the_way_sends_no_second_nmi(void **state)
{
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | INIT | ASSERT, false, send);
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | INIT | ASSERT, false, send);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], nmi_to(2, false));
	assert_true(fake_vcpus[1].init_pending);
}

/* A CPU whose APIC is disabled (IA32_APIC_BASE.EN clear) is as a CPU without
 * one (SDM Vol. 3A §11.4.3): INIT and SIPI IPIs do not reach it, so a vCPU so
 * set neither gets an INIT nor takes a SIPI. */
static void test_ipis_skip_a_vcpu_with_its_apic_disabled(void **state)
{
	fake_apic_disabled[1] = true;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | INIT | ASSERT, false, send);
	hv_icr_write(&fake_vcpus[0], ALL_BUT_SELF | INIT | ASSERT, false, send);
	assert_false(fake_vcpus[1].init_pending || fake_vcpus[1].init_again);
	assert_true(fake_vcpus[2].init_pending && fake_vcpus[3].init_pending);
	assert_int_equal(nsent, 2); /* the NMIs of CPUs 2 and 3 */
	for (unsigned i = 0; i < nsent; i++)
		assert_int_not_equal(sent[i], nmi_to(2, false));

	fake_vcpus[1].state = VCPU_WAIT_FOR_SIPI;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(2) | SIPI | ASSERT | 0x10, false, send);
	assert_false(fake_vcpus[1].sipi_pending);
}

static void test_other_ipis_pass_through(void **state)
{
	const uint64_t icrs[] = {
		XAPIC_DEST(2) | FIXED | ASSERT | 0x40,
		ALL_BUT_SELF | FIXED | ASSERT | 0xF0,
		XAPIC_DEST(4) | NMI | ASSERT,
		SELF | NMI | ASSERT,
	};
	for (unsigned i = 0; i < sizeof(icrs) / sizeof(icrs[0]); i++)
		hv_icr_write(&fake_vcpus[0], icrs[i], false, send);
	assert_int_equal(nsent, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(sent[i], icrs[i]);
	for (unsigned i = 0; i < FAKE_CPUS; i++)
		assert_false(fake_vcpus[i].init_pending || fake_vcpus[i].sipi_pending);
}

/* An NMI or SMI IPI to a CPU in the real wait-for-SIPI: the CPU takes
 * neither (it waits for a SIPI alone), but QEMU would start it from its reset
 * state, outside the hypervisor. That target is left out and the others get
 * the IPI one by one, physical destination; no real wait, no change. */
static void test_nmi_passes_over_a_cpu_in_the_real_wait(void **state)
{
	fake_vcpus[2].real_wait = true;
	hv_icr_write(&fake_vcpus[0], XAPIC_DEST(4) | NMI | ASSERT, false, send);
	assert_int_equal(nsent, 0);

	hv_icr_write(&fake_vcpus[0], ALL_BUT_SELF | NMI | ASSERT, false, send);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[0], nmi_to(2, false));
	assert_int_equal(sent[1], nmi_to(6, false));

	nsent = 0; /* a physical broadcast, x2APIC, SMI */
	hv_icr_write(&fake_vcpus[0], X2APIC_DEST(0xFFFFFFFFu) | SMI | ASSERT, true, send);
	assert_int_equal(nsent, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(sent[i], X2APIC_DEST(2 * (i < 2 ? i : 3)) | SMI | ASSERT);

	nsent = 0;
	fake_vcpus[2].real_wait = false;
	hv_icr_write(&fake_vcpus[0], ALL_BUT_SELF | NMI | ASSERT, false, send);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], ALL_BUT_SELF | NMI | ASSERT);
}

static void test_wait_for_sipi_returns_the_vector(void **state)
{
	struct vcpu *v = &fake_vcpus[1];
	v->init_pending = true;
	v->sipi_pending = true; /* it came before the CPU got here */
	v->sipi_vector = 0x9F;
	assert_int_equal(hv_wait_for_sipi(v), 0x9F);
	assert_int_equal(v->state, VCPU_RUNNING);
	assert_false(v->init_pending);
	assert_false(v->sipi_pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_physical_init_to_a_vcpu_becomes_pending_plus_nmi, setup),
		cmocka_unit_test_setup(test_x2apic_destination_is_bits_32_to_63, setup),
		cmocka_unit_test_setup(test_init_to_a_cpu_outside_goes_out_as_it_is, setup),
		cmocka_unit_test_setup(test_init_deassert_does_nothing, setup),
		cmocka_unit_test_setup(test_init_shorthands, setup),
		cmocka_unit_test_setup(test_physical_broadcast_reaches_every_vcpu, setup),
		cmocka_unit_test_setup(test_shorthand_with_the_logical_bit, setup),
		cmocka_unit_test_setup(test_x2apic_logical_destination, setup),
		cmocka_unit_test_setup(test_xapic_logical_destination, setup),
		cmocka_unit_test_setup(test_init_resets_the_logical_destination, setup),
		cmocka_unit_test_setup(test_sipi, setup),
		cmocka_unit_test_setup(test_init_to_a_waiting_vcpu_sends_no_nmi, setup),
		cmocka_unit_test_setup(test_second_init_on_the_way_sends_no_second_nmi, setup),
		cmocka_unit_test_setup(test_ipis_skip_a_vcpu_with_its_apic_disabled, setup),
		cmocka_unit_test_setup(test_other_ipis_pass_through, setup),
		cmocka_unit_test_setup(test_sipi_to_a_cpu_in_the_real_wait, setup),
		cmocka_unit_test_setup(test_init_to_a_cpu_in_the_real_wait_sends_no_nmi, setup),
		cmocka_unit_test_setup(test_nmi_passes_over_a_cpu_in_the_real_wait, setup),
		cmocka_unit_test_setup(test_wait_for_sipi_returns_the_vector, setup),
	};
	return cmocka_run_group_tests_name("hv_ipi", tests, NULL, NULL);
}
