/* SPDX-License-Identifier: GPL-2.0-only */
/* vmx/exit_decode.c: I/O exit qualification (+ instruction information) ->
 * struct hv_port_access, and VM-entry interruption information / IDT-vectoring
 * information <-> struct hv_event (SDM Vol. 3C §28.2.1 Table 28-5, §28.2.5
 * Table 28-8, §25.8.3 Table 25-17, §28.2.4). Expected words are written out
 * bit by bit from the tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "vmx/exit_decode.h"
#include "vmx/vmcs_fields.h"
#include "hv/x86/task_switch.h"
#include "decode_check.h"

/* vmx_io_decode's record, returned. */
static struct hv_port_access decode(uint64_t q, uint64_t next_rip, bool have_info,
				    uint32_t insn_info)
{
	struct hv_port_access a;

	vmx_io_decode(q, next_rip, have_info, insn_info, &a);
	return a;
}

/* IN AL, DX from 0x3F8: size-1 in bits 2:0 (0), direction IN (bit 3). */
static void test_io_in_byte(void **state)
{
	(void)state;
	struct hv_port_access a = decode(0x3F8ull << 16 | 1u << 3, 0x1002, false, 0);
	check_port_access(&a, (struct port_access_expect){ .port = 0x3F8, .size = 1, .in = true,
							   .next_rip = 0x1002 });
}

/* REP OUTSW to 0x1F0: size 2 (1), string (bit 4), REP (bit 5); instruction
 * information bits 9:7 = 1: 32-bit addresses. */
static void test_io_rep_outsw_with_info(void **state)
{
	(void)state;
	uint64_t q = 0x1F0ull << 16 | 1u << 5 | 1u << 4 | 1;
	struct hv_port_access a = decode(q, 0x2000, true, 1u << 7);
	check_port_access(&a, (struct port_access_expect){ .port = 0x1F0, .size = 2, .string = true,
							   .rep = true, .addr_size = 4,
							   .next_rip = 0x2000 });
	/* 16- and 64-bit addresses, a reserved value, and no information. */
	assert_int_equal(decode(q, 0, true, 0).addr_size, 2);
	assert_int_equal(decode(q, 0, true, 2u << 7).addr_size, 8);
	assert_int_equal(decode(q, 0, true, 3u << 7).addr_size, 0);
	assert_int_equal(decode(q, 0, false, 2u << 7).addr_size, 0);
}

static void test_io_dword_in(void **state)
{
	(void)state;
	struct hv_port_access a = decode(0xCFCull << 16 | 1u << 3 | 3, 0, false, 0);
	assert_int_equal(a.port, 0xCFC);
	assert_int_equal(a.size, 4);
	assert_true(a.in);
}

/* #GP: vector 13, type 3 (bits 10:8), deliver error code (bit 11), valid (31). */
static void test_encode_exception(void **state)
{
	(void)state;
	struct hv_event e = { .valid = true, .type = HV_EVENT_EXCEPTION, .vector = 13,
			      .has_error = true, .error = 0 };
	assert_int_equal(vmx_event_encode(&e), 1u << 31 | 1u << 11 | 3u << 8 | 13);
	e = (struct hv_event){ .valid = true, .type = HV_EVENT_EXCEPTION, .vector = 6 };
	assert_int_equal(vmx_event_encode(&e), 1u << 31 | 3u << 8 | 6);
	e.valid = false;
	assert_int_equal(vmx_event_encode(&e), 0);
}

static void test_encode_nmi_and_software(void **state)
{
	(void)state;
	struct hv_event nmi = { .valid = true, .type = HV_EVENT_NMI, .vector = 2 };
	assert_int_equal(vmx_event_encode(&nmi), 1u << 31 | 2u << 8 | 2);
	struct hv_event bp = { .valid = true, .type = HV_EVENT_SOFT_EXC, .vector = 3, .insn_len = 1 };
	assert_int_equal(vmx_event_encode(&bp), 1u << 31 | 6u << 8 | 3);
	assert_true(vmx_event_needs_length(bp.type));
	assert_true(vmx_event_needs_length(HV_EVENT_SOFT_INT));
	assert_true(vmx_event_needs_length(HV_EVENT_PRIV_SOFT_EXC));
	assert_false(vmx_event_needs_length(HV_EVENT_EXCEPTION));
	assert_false(vmx_event_needs_length(HV_EVENT_NMI));
}

/* IDT-vectoring information: bit 12 is undefined there, bits 30:13 reserved;
 * none of them may reach the entry field. */
static void test_decode_idt_vectoring(void **state)
{
	(void)state;
	uint32_t info = 1u << 31 | 1u << 12 | 1u << 11 | 3u << 8 | 14;
	struct hv_event e = vmx_event_decode(info, 0x6);
	assert_true(e.valid);
	assert_int_equal(e.type, HV_EVENT_EXCEPTION);
	assert_int_equal(e.vector, 14);
	assert_true(e.has_error);
	assert_int_equal(e.error, 6);
	assert_int_equal(vmx_event_encode(&e), info & ~(1u << 12));
	/* No error code: the error field is ignored. */
	e = vmx_event_decode(1u << 31 | 0x41, 0x1234);
	assert_int_equal(e.type, HV_EVENT_EXT_INT);
	assert_int_equal(e.vector, 0x41);
	assert_false(e.has_error);
	assert_int_equal(e.error, 0);
	assert_false(vmx_event_decode(3u << 8 | 13, 0).valid);
}

/* Every type and vector survives encode -> decode. */
static void test_round_trip(void **state)
{
	(void)state;
	static const uint8_t types[] = { HV_EVENT_EXT_INT, HV_EVENT_NMI, HV_EVENT_EXCEPTION,
					 HV_EVENT_SOFT_INT, HV_EVENT_PRIV_SOFT_EXC,
					 HV_EVENT_SOFT_EXC };
	for (unsigned t = 0; t < sizeof(types); t++)
		for (unsigned vec = 0; vec < 256; vec += 3) {
			bool err = types[t] == HV_EVENT_EXCEPTION && (vec & 1);
			struct hv_event e = { .valid = true, .type = types[t], .vector = (uint8_t)vec,
					      .has_error = err, .error = err ? vec << 3 : 0 };
			struct hv_event d = vmx_event_decode(vmx_event_encode(&e), e.error);
			check_same_event(&d, &e);
		}
}

/* `stats` counts exits by kind: each exit the backend takes lands in its
 * column, anything else in "other". */
static void test_exit_kinds(void **state)
{
	(void)state;
	assert_int_equal(vmx_exit_kind(EXIT_REASON_IO), HV_EXIT_KIND_PORT);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_EPT_MISCONFIG), HV_EXIT_KIND_MMIO);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_EPT_VIOLATION), HV_EXIT_KIND_MMIO);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_CPUID), HV_EXIT_KIND_CPUID);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_RDMSR), HV_EXIT_KIND_MSR);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_WRMSR), HV_EXIT_KIND_MSR);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_VMCALL), HV_EXIT_KIND_HYPERCALL);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_EXCEPTION_NMI), HV_EXIT_KIND_NMI);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_INIT), HV_EXIT_KIND_NMI);
	assert_int_equal(vmx_exit_kind(EXIT_REASON_TRIPLE_FAULT), HV_EXIT_KIND_OTHER);
}

/* Task-switch exit qualification (Table 28-2): selector in 15:0, source in
 * 31:30 (0 CALL, 1 IRET, 2 JMP, 3 task gate in the IDT); bits 29:16 reserved. */
static void test_task_switch(void **state)
{
	(void)state;
	struct hv_task_exit t = vmx_task_switch_decode(2ull << 30 | 0x0028, 7);
	assert_int_equal(t.source, X86_TASK_JMP);
	assert_int_equal(t.selector, 0x28);
	assert_int_equal(t.insn_len, 7);
	t = vmx_task_switch_decode(3ull << 30 | 0x3FFFull << 16 | 0x0033, 0);
	assert_int_equal(t.source, X86_TASK_GATE);
	assert_int_equal(t.selector, 0x33);
	t = vmx_task_switch_decode(1ull << 30 | 0x18, 1);
	assert_int_equal(t.source, X86_TASK_IRET);
	assert_int_equal(vmx_task_switch_decode(0x20, 7).source, X86_TASK_CALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_switch),
		cmocka_unit_test(test_exit_kinds),
		cmocka_unit_test(test_io_in_byte),
		cmocka_unit_test(test_io_rep_outsw_with_info),
		cmocka_unit_test(test_io_dword_in),
		cmocka_unit_test(test_encode_exception),
		cmocka_unit_test(test_encode_nmi_and_software),
		cmocka_unit_test(test_decode_idt_vectoring),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("vmx_decode", tests, NULL, NULL);
}
