/* SPDX-License-Identifier: GPL-2.0-only */
/* svm/exit_decode.c: IOIO EXITINFO1/2 -> struct hv_port_access, and EVENTINJ /
 * EXITINTINFO <-> struct hv_event (AMD APM Vol. 2 §15.10.2, §15.20, §15.7.2).
 * The expected words are written out bit by bit from the manual's figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "svm/exit_decode.h"
#include "svm/vmcb.h"
#include "decode_check.h"

/* IN AL, DX with DX = 0x3F8: type IN (bit 0), SZ8 (bit 4), A16 (bit 7). The
 * address size is a string instruction's only (hv/exit/exit.h): 0 here. */
static void test_ioio_in_byte(void **state)
{
	(void)state;
	uint64_t info = 0x3F8ull << 16 | 1u << 7 | 1u << 4 | 1u << 0;
	struct hv_port_access a;

	svm_ioio_decode(info, 0x1234, &a);
	check_port_access(&a, (struct port_access_expect){ .port = 0x3F8, .size = 1, .in = true,
							   .addr_size = 0, .next_rip = 0x1234 });
}

/* REP OUTSD to port 0xCFC, 64-bit addresses: STR (2), REP (3), SZ32 (6), A64 (9). */
static void test_ioio_rep_outsd(void **state)
{
	(void)state;
	uint64_t info = 0xCFCull << 16 | 1u << 9 | 1u << 6 | 1u << 3 | 1u << 2;
	struct hv_port_access a;

	svm_ioio_decode(info, 0xFFFFFFFF80001000ull, &a);
	check_port_access(&a, (struct port_access_expect){ .port = 0xCFC, .size = 4, .string = true,
							   .rep = true, .addr_size = 8,
							   .next_rip = 0xFFFFFFFF80001000ull });
}

/* A 16-bit INS from port 0xFFFF with A32 (STR, bit 2), and QEMU's clear
 * address-size bits. */
static void test_ioio_word_and_unknown_address_size(void **state)
{
	(void)state;
	struct hv_port_access a;

	svm_ioio_decode(0xFFFFull << 16 | 1u << 8 | 1u << 5 | 1u << 2 | 1, 0, &a);
	assert_int_equal(a.port, 0xFFFF);
	assert_int_equal(a.size, 2);
	assert_int_equal(a.addr_size, 4);
	svm_ioio_decode(0x60ull << 16 | 1u << 4 | 1u << 2, 0, &a);
	assert_true(a.string);
	assert_int_equal(a.addr_size, 0); /* the common code decodes it */
}

/* #GP(0x18): vector 13, type 3, EV (bit 11), V (bit 31), error in 63:32. */
static void test_encode_exception_with_error(void **state)
{
	(void)state;
	struct hv_event e = { .valid = true, .type = HV_EVENT_EXCEPTION, .vector = 13,
			      .has_error = true, .error = 0x18 };
	assert_int_equal(svm_event_encode(&e), 0x18ull << 32 | 1ull << 31 | 1u << 11 | 3u << 8 | 13);
}

static void test_encode_nmi_and_invalid(void **state)
{
	(void)state;
	struct hv_event nmi = { .valid = true, .type = HV_EVENT_NMI, .vector = 2 };
	assert_int_equal(svm_event_encode(&nmi), 1ull << 31 | 2u << 8 | 2);
	struct hv_event none = { .valid = false, .type = HV_EVENT_NMI, .vector = 2 };
	assert_int_equal(svm_event_encode(&none), 0);
}

/* SVM has no types 5 and 6: INT1, INT3 and INTO are exceptions (type 3). */
static void test_encode_software_exceptions_as_exceptions(void **state)
{
	(void)state;
	struct hv_event bp = { .valid = true, .type = HV_EVENT_SOFT_EXC, .vector = 3 };
	assert_int_equal(svm_event_encode(&bp), 1ull << 31 | 3u << 8 | 3);
	struct hv_event icebp = { .valid = true, .type = HV_EVENT_PRIV_SOFT_EXC, .vector = 1 };
	assert_int_equal(svm_event_encode(&icebp), 1ull << 31 | 3u << 8 | 1);
	struct hv_event intn = { .valid = true, .type = HV_EVENT_SOFT_INT, .vector = 0x80 };
	assert_int_equal(svm_event_encode(&intn), 1ull << 31 | 4u << 8 | 0x80);
}

static void test_decode_exitintinfo(void **state)
{
	(void)state;
	struct hv_event e = svm_event_decode(0xAAull << 32 | 1ull << 31 | 1u << 11 | 3u << 8 | 14);
	assert_true(e.valid);
	assert_int_equal(e.type, HV_EVENT_EXCEPTION);
	assert_int_equal(e.vector, 14);
	assert_true(e.has_error);
	assert_int_equal(e.error, 0xAA);
	/* An external interrupt, no error code: the high half is ignored. */
	e = svm_event_decode(0xDEADull << 32 | 1ull << 31 | 0x30);
	assert_true(e.valid);
	assert_int_equal(e.type, HV_EVENT_EXT_INT);
	assert_int_equal(e.vector, 0x30);
	assert_false(e.has_error);
	assert_int_equal(e.error, 0);
	/* Not valid: nothing. */
	assert_false(svm_event_decode(3u << 8 | 14).valid);
}

/* #BP and #OF come only from INT3 and INTO: software exceptions, which
 * re-execute on SVM rather than being injected again. */
static void test_decode_int3_into_are_software(void **state)
{
	(void)state;
	assert_int_equal(svm_event_decode(1ull << 31 | 3u << 8 | 3).type, HV_EVENT_SOFT_EXC);
	assert_int_equal(svm_event_decode(1ull << 31 | 3u << 8 | 4).type, HV_EVENT_SOFT_EXC);
	assert_int_equal(svm_event_decode(1ull << 31 | 4u << 8 | 0x21).type, HV_EVENT_SOFT_INT);
	assert_false(hv_event_reinject(&(struct hv_event){ .valid = true,
							   .type = HV_EVENT_SOFT_EXC }, true));
}

/* Every event SVM can express survives encode -> decode. */
static void test_round_trip(void **state)
{
	(void)state;
	static const uint8_t types[] = { HV_EVENT_EXT_INT, HV_EVENT_NMI, HV_EVENT_EXCEPTION,
					 HV_EVENT_SOFT_INT };
	for (unsigned t = 0; t < sizeof(types); t++)
		for (unsigned vec = 0; vec < 256; vec += 5) {
			if (types[t] == HV_EVENT_EXCEPTION && (vec == 3 || vec == 4))
				continue;
			struct hv_event e = { .valid = true, .type = types[t], .vector = (uint8_t)vec,
					      .has_error = types[t] == HV_EVENT_EXCEPTION,
					      .error = types[t] == HV_EVENT_EXCEPTION ? vec * 7 : 0 };
			struct hv_event d = svm_event_decode(svm_event_encode(&e));
			check_same_event(&d, &e);
		}
}

/* `stats` counts exits by kind: each intercept the backend sets lands in its
 * column, anything else in "other". */
static void test_exit_kinds(void **state)
{
	(void)state;
	assert_int_equal(svm_exit_kind(SVM_EXIT_IOIO), HV_EXIT_KIND_PORT);
	assert_int_equal(svm_exit_kind(SVM_EXIT_NPF), HV_EXIT_KIND_MMIO);
	assert_int_equal(svm_exit_kind(SVM_EXIT_CPUID), HV_EXIT_KIND_CPUID);
	assert_int_equal(svm_exit_kind(SVM_EXIT_MSR), HV_EXIT_KIND_MSR);
	assert_int_equal(svm_exit_kind(SVM_EXIT_VMMCALL), HV_EXIT_KIND_HYPERCALL);
	assert_int_equal(svm_exit_kind(SVM_EXIT_NMI), HV_EXIT_KIND_NMI);
	assert_int_equal(svm_exit_kind(SVM_EXIT_INIT), HV_EXIT_KIND_NMI);
	assert_int_equal(svm_exit_kind(SVM_EXIT_SHUTDOWN), HV_EXIT_KIND_OTHER);
	assert_int_equal(svm_exit_kind(SVM_EXIT_INVALID), HV_EXIT_KIND_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_kinds),
		cmocka_unit_test(test_ioio_in_byte),
		cmocka_unit_test(test_ioio_rep_outsd),
		cmocka_unit_test(test_ioio_word_and_unknown_address_size),
		cmocka_unit_test(test_encode_exception_with_error),
		cmocka_unit_test(test_encode_nmi_and_invalid),
		cmocka_unit_test(test_encode_software_exceptions_as_exceptions),
		cmocka_unit_test(test_decode_exitintinfo),
		cmocka_unit_test(test_decode_int3_into_are_software),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("svm_decode", tests, NULL, NULL);
}
