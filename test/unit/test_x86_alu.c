/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_alu.c - alu.c against the host CPU: the same
 * operation on the same operands must give the same result and the same
 * defined RFLAGS bits. Flags the SDM leaves undefined are checked against
 * our documented choice instead (alu.h), since CPUs may differ there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hv/x86/alu.h"
#include "hv/x86/decode.h"
#include "hv/x86/regs.h"

#if defined(__x86_64__)

/* Run `insn` on the host with the given status flags. The stack pointer
 * moves below the red zone before pushf/popf. */
#define HOST2(fn, insn, type, cons)                                          \
	static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)             \
	{                                                                    \
		type x = (type)a, y = (type)b;                               \
		uint64_t f = *fl;                                            \
		__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"                \
				 "push %[f]\n\tpopfq\n\t"                    \
				 insn " %[y], %[x]\n\t"                      \
				 "pushfq\n\tpop %[f]\n\t"                    \
				 "lea 128(%%rsp), %%rsp"                     \
				 : [x] "+" cons(x), [f] "+r"(f)              \
				 : [y] cons(y)                               \
				 : "cc", "memory");                          \
		*fl = f;                                                     \
		return (uint64_t)x;                                          \
	}
#define HOST1(fn, insn, type, cons)                                          \
	static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)             \
	{                                                                    \
		type x = (type)a;                                            \
		uint64_t f = *fl;                                            \
		(void)b;                                                     \
		__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"                \
				 "push %[f]\n\tpopfq\n\t"                    \
				 insn " %[x]\n\t"                            \
				 "pushfq\n\tpop %[f]\n\t"                    \
				 "lea 128(%%rsp), %%rsp"                     \
				 : [x] "+" cons(x), [f] "+r"(f)              \
				 :                                           \
				 : "cc", "memory");                          \
		*fl = f;                                                     \
		return (uint64_t)x;                                          \
	}

#define FOR_SIZES2(op)                                   \
	HOST2(h_##op##1, #op "b", uint8_t, "q")          \
	HOST2(h_##op##2, #op "w", uint16_t, "r")         \
	HOST2(h_##op##4, #op "l", uint32_t, "r")         \
	HOST2(h_##op##8, #op "q", uint64_t, "r")
#define FOR_SIZES1(op)                                   \
	HOST1(h_##op##1, #op "b", uint8_t, "q")          \
	HOST1(h_##op##2, #op "w", uint16_t, "r")         \
	HOST1(h_##op##4, #op "l", uint32_t, "r")         \
	HOST1(h_##op##8, #op "q", uint64_t, "r")

FOR_SIZES2(add) FOR_SIZES2(or) FOR_SIZES2(adc) FOR_SIZES2(sbb)
FOR_SIZES2(and) FOR_SIZES2(sub) FOR_SIZES2(xor) FOR_SIZES2(cmp)
FOR_SIZES2(test)
FOR_SIZES1(inc) FOR_SIZES1(dec) FOR_SIZES1(neg) FOR_SIZES1(not)

typedef uint64_t (*host_fn)(uint64_t, uint64_t, uint64_t *);

struct op_case {
	unsigned op;
	host_fn fn[4];
	bool writes;       /* result register is the op's result */
	uint64_t defined;  /* flags the SDM defines for it */
};

#define ALL X86_RFLAGS_STATUS
#define CASE(m, name, w, def) { m, { h_##name##1, h_##name##2, h_##name##4, h_##name##8 }, w, def }

static const struct op_case cases[] = {
	CASE(X86_ADD, add, true, ALL),
	CASE(X86_OR, or, true, ALL & ~X86_RFLAGS_AF),
	CASE(X86_ADC, adc, true, ALL),
	CASE(X86_SBB, sbb, true, ALL),
	CASE(X86_AND, and, true, ALL & ~X86_RFLAGS_AF),
	CASE(X86_SUB, sub, true, ALL),
	CASE(X86_XOR, xor, true, ALL & ~X86_RFLAGS_AF),
	CASE(X86_CMP, cmp, false, ALL),
	CASE(X86_TEST, test, false, ALL & ~X86_RFLAGS_AF),
	CASE(X86_INC, inc, true, ALL),
	CASE(X86_DEC, dec, true, ALL),
	CASE(X86_NEG, neg, true, ALL),
	CASE(X86_NOT, not, true, ALL),
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t operand(unsigned size)
{
	static const uint64_t edge[] = { 0, 1, 2, 0xf, 0x10, 0x7f, 0x80, 0xff,
					 0x7fff, 0x8000, 0xffff, 0x7fffffff,
					 0x80000000, 0xffffffff,
					 0x7fffffffffffffffull,
					 0x8000000000000000ull, ~0ull };
	uint64_t r = rnd();

	if ((r & 3) == 0)
		return edge[(r >> 8) % (sizeof(edge) / sizeof(edge[0]))] & x86_size_mask(size);
	return rnd() & x86_size_mask(size);
}

static void test_alu_matches_host(void **state)
{
	static const unsigned sizes[4] = { 1, 2, 4, 8 };
	unsigned checked = 0;

	(void)state;
	for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (unsigned s = 0; s < 4; s++) {
			for (int i = 0; i < 4000; i++) {
				unsigned size = sizes[s];
				uint64_t a = operand(size), b = operand(size);
				/* random status flags in, IF stays as popf wants */
				uint64_t fin = X86_RFLAGS_FIXED1 | (rnd() & X86_RFLAGS_STATUS);
				uint64_t fh = fin | X86_RFLAGS_IF, fe = fin;
				uint64_t rh = cases[c].fn[s](a, b, &fh);
				uint64_t re = x86_alu(cases[c].op, size, a, b, &fe);
				uint64_t def = cases[c].defined;

				if (cases[c].writes)
					assert_int_equal(re, rh & x86_size_mask(size));
				if ((fe & def) != (fh & def)) {
					print_error("op %s size %u a=%#llx b=%#llx flags in %#llx: "
						    "emu %#llx host %#llx\n",
						    x86_mnemonic_name(cases[c].op), size,
						    (unsigned long long)a, (unsigned long long)b,
						    (unsigned long long)fin,
						    (unsigned long long)(fe & ALL),
						    (unsigned long long)(fh & ALL));
					fail();
				}
				/* our choice for undefined AF: cleared */
				if (!(def & X86_RFLAGS_AF))
					assert_int_equal(fe & X86_RFLAGS_AF, 0);
				/* nothing outside the status flags changes */
				assert_int_equal(fe & ~ALL, fin & ~ALL);
				checked++;
			}
		}
	}
	assert_true(checked > 100000);
}

/* BT on the host, register forms: CF must match; other flags are
 * undefined, ours stay unchanged (checked in test_x86_emulate.c). */
#define HOSTBT(fn, insn)                                                     \
	static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)             \
	{                                                                    \
		uint64_t x = a, f = *fl;                                     \
		__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"                \
				 "push %[f]\n\tpopfq\n\t"                    \
				 insn " %[y], %[x]\n\t"                      \
				 "pushfq\n\tpop %[f]\n\t"                    \
				 "lea 128(%%rsp), %%rsp"                     \
				 : [x] "+r"(x), [f] "+r"(f)                  \
				 : [y] "r"(b)                                \
				 : "cc", "memory");                          \
		*fl = f;                                                     \
		return x;                                                    \
	}
HOSTBT(h_btq, "btq")
HOSTBT(h_btsq, "btsq")
HOSTBT(h_btrq, "btrq")
HOSTBT(h_btcq, "btcq")

static void test_bt_carry_matches_host(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		uint64_t a = rnd(), b = rnd(), f = X86_RFLAGS_FIXED1 | X86_RFLAGS_IF;
		unsigned bit = b & 63;
		uint64_t cf = (a >> bit) & 1;

		assert_int_equal(h_btq(a, b, &f), a);
		assert_int_equal(f & X86_RFLAGS_CF, cf);
		assert_int_equal(h_btsq(a, b, &f), a | (1ull << bit));
		assert_int_equal(h_btrq(a, b, &f), a & ~(1ull << bit));
		assert_int_equal(h_btcq(a, b, &f), a ^ (1ull << bit));
		assert_int_equal(f & X86_RFLAGS_CF, cf);
	}
}

static void test_szp(void **state)
{
	(void)state;
	assert_int_equal(x86_flags_szp(0, 4), X86_RFLAGS_ZF | X86_RFLAGS_PF);
	assert_int_equal(x86_flags_szp(0x100, 1), X86_RFLAGS_ZF | X86_RFLAGS_PF);
	assert_int_equal(x86_flags_szp(0x80, 1), X86_RFLAGS_SF);
	assert_int_equal(x86_flags_szp(0x80, 2), 0);
	assert_int_equal(x86_flags_szp(0x8000000000000003ull, 8),
			 X86_RFLAGS_SF | X86_RFLAGS_PF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_matches_host),
		cmocka_unit_test(test_bt_carry_matches_host),
		cmocka_unit_test(test_szp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

static void test_szp_only(void **state)
{
	(void)state;
	assert_int_equal(x86_flags_szp(0, 4), X86_RFLAGS_ZF | X86_RFLAGS_PF);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_szp_only) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
