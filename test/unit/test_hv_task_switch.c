/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: a task-switch exit (hv/exit/task_switch.c) on a fake vCPU in
 * 32-bit protected mode, guest RAM identity-mapped in the test process as the
 * hypervisor maps it: the event a task gate delivers is not delivered again,
 * a fault before the switch leaves it to combine, NMI blocking follows the
 * switch, the T flag raises #DB, and the backend's hooks see the new state. */
#include <sys/mman.h>

#include "test/unit/iom_test_platform.h"
#include "test/unit/hv_fakes.h"
#include "test/unit/x86_fake_guest.h"
#include "hv/exit/exit.h"
#include "hv/exit/task_switch.h"
#include "hv/mem/trap_map.h"
#include "hv/x86/descriptor.h"

#define RAM 0x30000000ull /* guest RAM: 1 MiB, identity */
#define RAM_SIZE (1ull << 20)
#define GDT (RAM + 0x1000)
#define TSS_A (RAM + 0x3000)
#define TSS_B (RAM + 0x3100)
#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS_A 0x18
#define SEL_TSS_B 0x20

static void *at(uint64_t gpa)
{
	return (void *)(uintptr_t)gpa;
}

/* The backend's share, as link-time seams (hv/vcpu.h) and hooks (hv/vendor.h). */
void vcpu_load_full_state(struct vcpu *vc)
{
	(void)vc;
}
void vcpu_code_state(struct vcpu *vc, struct x86_code_state *cs)
{
	(void)vc;
	(void)cs;
}

static struct x86_task_sys written;
static enum hv_nmi_change nmi_written;
static unsigned writes;

static void load_task_state(struct vcpu *vc, struct x86_task_sys *s)
{
	(void)vc;
	*s = (struct x86_task_sys){ .gdtr_base = GDT,
				    .gdtr_limit = 0x27,
				    .ldtr = { .attr = X86_SEG_UNUSABLE },
				    .dr7 = 0x401 };
}

static void write_task_state(struct vcpu *vc, const struct x86_task_sys *s, enum hv_nmi_change nmi)
{
	(void)vc;
	written = *s;
	nmi_written = nmi;
	writes++;
}

static const struct vendor_ops ops = { .name = "fake",
				       .load_task_state = load_task_state,
				       .write_task_state = write_task_state };

static jmp_buf shut;
static const char *shutdown_why;

_Noreturn void hv_guest_shutdown(struct vcpu *vc, const char *why)
{
	(void)vc;
	shutdown_why = why;
	longjmp(shut, 1);
}

static struct vcpu *v;

static int setup(void **state)
{
	static bool mapped;
	if (!mapped) {
		if (mmap(at(RAM), RAM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != at(RAM))
			return -1;
		host_idmap.eager_end = RAM + RAM_SIZE;
		mapped = true;
	}
	iom_test_setup(state);
	fake_reset();
	hv_vendor = &ops;
	writes = 0;
	shutdown_why = NULL;
	memset(at(RAM), 0, RAM_SIZE);
	uint64_t *gdt = at(GDT);
	gdt[1] = x86_descriptor(0, 0xFFFFF, 0x9B, 0xC);
	gdt[2] = x86_descriptor(0, 0xFFFFF, 0x93, 0xC);
	gdt[3] = x86_descriptor((uint32_t)TSS_A, 0x67, 0x8B, 0);
	gdt[4] = x86_descriptor((uint32_t)TSS_B, 0x67, 0x89, 0);
	struct tss32 *b = at(TSS_B);
	b->eip = 0x5000;
	b->eflags = 0x2;
	b->gpr[X86_RSP] = (uint32_t)RAM + 0x8000;
	b->trap = 0;
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		b->sreg[i] = i == X86_CS ? SEL_CODE : SEL_DATA;

	v = vcpu_of(0);
	struct x86_regs *r = &v->regs;
	r->cr0 = X86_CR0_PE;
	fg_flat_segments(r, 32);
	r->rip = 0x4000;
	r->rflags = X86_RFLAGS_FIXED1;
	r->tr = (struct x86_segment){ SEL_TSS_A, TSS_A, 0x67, X86_SEG_P | X86_SEG_TYPE_TSS_BUSY };
	return 0;
}

static int teardown(void **state)
{
	hv_vendor = NULL;
	(void)state;
	return 0;
}

static void run(uint8_t source, uint16_t sel, uint8_t len)
{
	struct hv_task_exit t = { .source = source, .selector = sel, .insn_len = len };
	if (!setjmp(shut))
		hv_exit_task_switch(v, &t);
}

/* A #GP delivered through a task gate: the switch delivers it (not again at
 * the entry), its error code on the new stack, the saved EIP the faulting one. */
static void test_event_through_gate(void **state)
{
	(void)state;
	v->interrupted = (struct hv_event){ .valid = true,
					    .type = HV_EVENT_EXCEPTION,
					    .vector = X86_EXC_GP,
					    .has_error = true,
					    .error = 0x58 };
	run(X86_TASK_GATE, SEL_TSS_B, 3);
	assert_false(v->interrupted.valid);
	assert_false(v->event.pending);
	assert_int_equal(writes, 1);
	assert_int_equal(nmi_written, HV_NMI_KEEP);
	assert_int_equal(written.dr7, 0x400); /* L0 cleared */
	assert_int_equal(v->regs.rip, 0x5000);
	assert_int_equal(v->regs.gpr[X86_RSP], RAM + 0x8000 - 4);
	assert_int_equal(*(uint32_t *)at(RAM + 0x8000 - 4), 0x58);
	assert_int_equal(((struct tss32 *)at(TSS_A))->eip, 0x4000); /* hardware event: no length */
}

/* INT n through a gate: the old task resumes after the instruction. An NMI
 * through one blocks NMIs; IRET unblocks them. */
static void test_soft_int_and_nmi(void **state)
{
	(void)state;
	v->interrupted = (struct hv_event){
		.valid = true, .type = HV_EVENT_SOFT_INT, .vector = 0x40, .insn_len = 2
	};
	run(X86_TASK_GATE, SEL_TSS_B, 2);
	assert_int_equal(((struct tss32 *)at(TSS_A))->eip, 0x4002);
	assert_int_equal(nmi_written, HV_NMI_KEEP);

	setup(state);
	v->interrupted = (struct hv_event){ .valid = true, .type = HV_EVENT_NMI, .vector = 2 };
	run(X86_TASK_GATE, SEL_TSS_B, 0);
	assert_int_equal(nmi_written, HV_NMI_BLOCK);

	/* back with IRET (B is busy, A's link is A) */
	run(X86_TASK_IRET, SEL_TSS_A, 1);
	assert_int_equal(writes, 2);
	assert_int_equal(nmi_written, HV_NMI_UNBLOCK);
	assert_int_equal(v->regs.rip, 0x4000);
}

/* A fault before the switch is the old task's: nothing written back, the
 * event it interrupted still there to combine with it (hv/exit/event.c). */
static void test_fault_before_switch(void **state)
{
	(void)state;
	v->interrupted =
		(struct hv_event){ .valid = true, .type = HV_EVENT_EXT_INT, .vector = 0x30 };
	((uint64_t *)at(GDT))[4] = x86_descriptor((uint32_t)TSS_B, 0x67, 0x09, 0); /* not present */
	run(X86_TASK_GATE, SEL_TSS_B, 0);
	assert_int_equal(writes, 0);
	assert_true(v->interrupted.valid);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_NP);
	assert_int_equal(v->event.error, SEL_TSS_B | 1); /* EXT: an external interrupt */
	assert_int_equal(v->regs.rip, 0x4000);
}

/* A fault after the switch is the new task's: written back, then raised. */
static void test_fault_after_switch(void **state)
{
	(void)state;
	((struct tss32 *)at(TSS_B))->sreg[X86_SS] = 0;
	run(X86_TASK_JMP, SEL_TSS_B, 5);
	assert_int_equal(writes, 1);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_TS);
	assert_int_equal(v->event.error, 0);
	assert_int_equal(v->regs.tr.selector, SEL_TSS_B);
}

/* The T flag: #DB, the backend told to set DR6.BT. */
static void test_trap_flag(void **state)
{
	(void)state;
	((struct tss32 *)at(TSS_B))->trap = X86_TSS32_T;
	run(X86_TASK_CALL, SEL_TSS_B, 7);
	assert_true(written.debug_trap);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_DB);
}

/* A TSS in device memory: the guest is shut down, with the reason. */
static void test_tss_in_device_memory(void **state)
{
	(void)state;
	assert_int_equal(trap_map_set(TSS_B & ~0xFFFull, 0x1000, true), 0);
	run(X86_TASK_JMP, SEL_TSS_B, 5);
	assert_int_equal(trap_map_set(TSS_B & ~0xFFFull, 0x1000, false), 0);
	assert_non_null(shutdown_why);
	assert_int_equal(writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_event_through_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_int_and_nmi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_before_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_after_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tss_in_device_memory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
