/* SPDX-License-Identifier: GPL-2.0-only */
/* Random instructions against the test MMIO page and RAM. Every general
 * register but RSP points into the test device's page (TESTDEV_MMIO_BASE) or
 * into scratch RAM, and an instruction is drawn whose memory operand can only
 * be such a register plus an 8-bit displacement, so it touches the trapped
 * page (the hypervisor's emulator) or scratch RAM, never the guest itself:
 *   - ModRM: no RIP-relative or absolute (disp32) forms, no SIB index (REX.X
 *     clear, index 100), no RSP base, and RSP never the register operand;
 *   - no opcode that transfers control (Jcc, JMP, CALL, RET, LOOP, INT n,
 *     IRET, SYSCALL...), loads a segment register or a descriptor table,
 *     changes RSP by more than a push (ENTER, LEAVE, POP RSP, XCHG/MOV RSP,
 *     BSWAP RSP, MOV SPL with REX),
 *     halts (HLT, MWAIT), enables interrupts (STI), touches ports (IN, OUT,
 *     INS, OUTS: ports.c does that), takes an absolute address (MOV with
 *     moffs, A0-A3), or belongs to another class here (MOV
 *     to CRn/DRn, WRMSR, 0F 01: sysops.c); no VEX/EVEX (C4, C5, 62) whose
 *     payload would be the constrained bytes; REP/REPNE only as SSE prefixes
 *     (a string instruction repeats once).
 * Opcodes without a ModRM byte are followed straight by the padding, whose
 * NOPs (0x90) serve as an immediate if the opcode takes one; an INT3 ends the
 * code, so "completed" shows as #BP in the summary. */
#include <efi.h>
#include <efilib.h>
#include "hostile.h"
#include "hv/dev/testdev.h"

#define SCRATCH_PAGES 16
static uint64_t scratch;
static uint8_t *code;

uint64_t insn_regs[16];
uint64_t insn_code_ptr;
void insn_exec(void);
__asm__(".pushsection .text\n"
	".globl insn_exec\n"
	".hidden insn_exec\n"
	"insn_exec:\n"
	"	mov insn_regs+0(%rip), %rax\n mov insn_regs+8(%rip), %rcx\n"
	"	mov insn_regs+16(%rip), %rdx\n mov insn_regs+24(%rip), %rbx\n"
	"	mov insn_regs+40(%rip), %rbp\n mov insn_regs+48(%rip), %rsi\n"
	"	mov insn_regs+56(%rip), %rdi\n mov insn_regs+64(%rip), %r8\n"
	"	mov insn_regs+72(%rip), %r9\n mov insn_regs+80(%rip), %r10\n"
	"	mov insn_regs+88(%rip), %r11\n mov insn_regs+96(%rip), %r12\n"
	"	mov insn_regs+104(%rip), %r13\n mov insn_regs+112(%rip), %r14\n"
	"	mov insn_regs+120(%rip), %r15\n"
	"	jmp *insn_code_ptr(%rip)\n"
	".popsection\n");

bool insn_init(void)
{
	EFI_PHYSICAL_ADDRESS a = 0xFFFFFFFF, c = 0xFFFFFFFF;
	/* Below 4 GiB: an address-size prefix (67) keeps the pointers valid. */
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
					SCRATCH_PAGES, &a)) ||
	    EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderCode, 1,
					&c)))
		return false;
	scratch = a;
	code = (uint8_t *)c;
	return true;
}

/* A pointer into the middle of scratch RAM: room on both sides for the
 * displacement and for the largest stores (FXSAVE, XSAVE, FNSAVE). */
uint64_t insn_scratch(struct prng *p)
{
	return scratch + 4 * 4096 + prng_below(p, 4 * 4096);
}

static uint64_t pointer(struct prng *p)
{
	if (prng_next(p) & 1)
		return TESTDEV_MMIO_BASE + 0x80 + prng_below(p, 0xF00);
	return insn_scratch(p);
}

/* One-byte opcodes: 'm' takes ModRM, 'g' a group (ModRM reg is an opcode
 * extension), '.' no ModRM, 'x' excluded (see the top of the file); prefixes
 * and 0F are 'x' here (added separately). Rows of 16 (SDM Vol. 2D, A.3). */
static const char one_byte[256 + 1] =
	/* 0 */ "mmmm..xxmmmm..xx"
	/* 1 */ "mmmm....mmmm...."
	/* 2 */ "mmmm..x.mmmm..x."
	/* 3 */ "mmmm..x.mmmm..x."
	/* 4 */ "xxxxxxxxxxxxxxxx"
	/* 5 */ "............x..."
	/* 6 */ "..xmxxxx.m.mxxxx"
	/* 7 */ "xxxxxxxxxxxxxxxx"
	/* 8 */ "ggggmmmmmmmmmmxg"
	/* 9 */ "....x..........."
	/* A */ "xxxx............"
	/* B */ "....x.......x..."
	/* C */ "ggxxxxggxxxxxxxx"
	/* D */ "gggg....gggggggg"
	/* E */ "xxxxxxxxxxxxxxxx"
	/* F */ "x.xxx.gg...x..gg";

/* Two-byte opcodes 0F xx, the same letters; '3' a three-byte escape (0F 38,
 * 0F 3A: one more opcode byte, then ModRM). */
static const char two_byte[256 + 1] =
	/* 0 */ "xxmmxx.xx.x.xmxm"
	/* 1 */ "mmmmmmmmgggggggg"
	/* 2 */ "xxxxxxxxmmmmmmmm"
	/* 3 */ "x...xxxx3x3xxxxx"
	/* 4 */ "mmmmmmmmmmmmmmmm"
	/* 5 */ "mmmmmmmmmmmmmmmm"
	/* 6 */ "mmmmmmmmmmmmmmmm"
	/* 7 */ "mgggmmm.mmmmmmmm"
	/* 8 */ "xxxxxxxxxxxxxxxx"
	/* 9 */ "mmmmmmmmmmmmmmmm"
	/* A */ ".x.mmmxx.xxmmmgm"
	/* B */ "mmxmxxmmmmgmmmmm"
	/* C */ "mmmmmmmg....x..."
	/* D */ "mmmmmmmmmmmmmmmm"
	/* E */ "mmmmmmmmmmmmmmmm"
	/* F */ "mmmmmmmmmmmmmmmm";

static uint8_t pick_opcode(struct prng *p, const char *table, char *kind)
{
	for (;;) {
		uint8_t op = (uint8_t)prng_next(p);
		if (table[op] != 'x') {
			*kind = table[op];
			return op;
		}
	}
}

/* Group members left out: FF /2 /3 (CALL), /4 /5 (JMP); C6, C7 and 8F are
 * defined only for /0 (C6 /7, C7 /7 are XABORT, XBEGIN). */
static bool group_reg_ok(bool two, uint8_t op, unsigned reg)
{
	if (two)
		return true;
	if (op == 0xFF)
		return reg == 0 || reg == 1 || reg == 6 || reg == 7;
	if (op == 0xC6 || op == 0xC7 || op == 0x8F)
		return reg == 0;
	return true;
}

static unsigned emit_modrm(struct prng *p, uint8_t *at, bool group, bool two, uint8_t op,
			   bool *reg_form)
{
	unsigned n = 0;
	unsigned r = (unsigned)prng_below(p, 20);
	unsigned mod = r < 9 ? 0 : r < 18 ? 1 : 3;
	unsigned reg, rm;
	do
		reg = (unsigned)prng_below(p, 8);
	while ((!group && reg == 4) || (group && !group_reg_ok(two, op, reg)));
	do
		rm = (unsigned)prng_below(p, 8);
	while (rm == 4 && mod == 3 ? true : (mod == 0 && rm == 5));
	at[n++] = (uint8_t)(mod << 6 | reg << 3 | rm);
	*reg_form = mod == 3;
	if (mod != 3 && rm == 4) {
		unsigned base;
		do
			base = (unsigned)prng_below(p, 8);
		while (base == 4 || (base == 5 && mod == 0));
		at[n++] = (uint8_t)(prng_below(p, 4) << 6 | 4 << 3 | base); /* index none */
	}
	if (mod == 1)
		at[n++] = (uint8_t)prng_next(p);
	return n;
}

#define PADDING 16

void op_insn(struct prng *p, char *desc)
{
	static const uint8_t legacy[] = { 0x66, 0x67, 0xF0, 0x2E, 0x3E, 0x26, 0x36, 0x64, 0x65 };
	uint8_t buf[32];
	unsigned n = 0;
	for (unsigned i = 0; i < 16; i++)
		insn_regs[i] = i == 4 ? 0 : pointer(p);
	uint64_t r = prng_next(p);
	for (unsigned i = 0, np = r % 3; i < np; i++)
		buf[n++] = legacy[prng_below(p, sizeof(legacy))];
	bool two = (r >> 2) & 1;
	if (two && ((r >> 3) & 3) == 0)
		buf[n++] = (r >> 5) & 1 ? 0xF3 : 0xF2; /* an SSE mandatory prefix */
	if ((r >> 6) & 1)
		buf[n++] = (uint8_t)(0x40 | (prng_next(p) & 0xD)); /* REX, X clear */
	char kind;
	uint8_t op;
	if (two) {
		buf[n++] = 0x0F;
		op = pick_opcode(p, two_byte, &kind);
		buf[n++] = op;
		if (kind == '3') {
			buf[n++] = (uint8_t)prng_next(p);
			kind = 'm';
		}
	} else {
		op = pick_opcode(p, one_byte, &kind);
		buf[n++] = op;
	}
	bool reg_form = true;
	if (kind != '.')
		n += emit_modrm(p, buf + n, kind == 'g', two, op, &reg_form);
	/* LOCK only with a memory operand: QEMU's TCG aborts ("tcg fatal
	 * error") on LOCK BT with a register operand, where hardware raises
	 * #UD; a CS prefix (2E, ignored in 64-bit mode) takes its place. */
	for (unsigned i = 0; reg_form && i < n; i++)
		if (buf[i] == 0xF0)
			buf[i] = 0x2E;

	char hex[3 * 20 + 1];
	unsigned h = 0;
	for (unsigned i = 0; i < n && i < 20; i++) {
		hex[h++] = "0123456789abcdef"[buf[i] >> 4];
		hex[h++] = "0123456789abcdef"[buf[i] & 15];
		hex[h++] = ' ';
	}
	hex[h ? h - 1 : 0] = '\0';
	describe(desc, "insn [%s] rax 0x%lx rbx 0x%lx rsi 0x%lx rdi 0x%lx", hex, insn_regs[0],
		 insn_regs[3], insn_regs[6], insn_regs[7]);

	for (unsigned i = 0; i < n; i++)
		code[i] = buf[i];
	for (unsigned i = 0; i < PADDING; i++)
		code[n + i] = 0x90;
	code[n + PADDING] = 0xCC;
	insn_code_ptr = (uint64_t)code;
	op_catch(insn_exec);
}
