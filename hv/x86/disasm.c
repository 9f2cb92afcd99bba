/* SPDX-License-Identifier: GPL-2.0-only */
/* Instruction text and register names (disasm.h). */
#include "disasm.h"
#include "regs.h"

/* The register names of SDM Vol. 2A §3.1.1.1 (Table 3-1), by width. */
static const char *const gpr64[X86_NR_GPRS] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const gpr32[X86_NR_GPRS] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const gpr16[X86_NR_GPRS] = {
	"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
};
static const char *const gpr8[X86_NR_GPRS] = {
	"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
	"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
};
static const char *const high8_names[4] = { "ah", "ch", "dh", "bh" };
static const char *const sregs[X86_NR_SREGS] = { "es", "cs", "ss", "ds", "fs", "gs" };

const char *x86_gpr_name(unsigned reg, unsigned size, bool high8)
{
	if (reg >= X86_NR_GPRS)
		return "?";
	if (high8)
		return reg < 4 ? high8_names[reg] : "?";
	switch (size) {
	case 1:
		return gpr8[reg];
	case 2:
		return gpr16[reg];
	case 4:
		return gpr32[reg];
	default:
		return gpr64[reg];
	}
}

const char *x86_sreg_name(unsigned sreg)
{
	return sreg < X86_NR_SREGS ? sregs[sreg] : "?";
}

/* An appender that always NUL-terminates and counts what it would need. */
struct text {
	char *buf;
	size_t size, len;
};

static void put(struct text *t, const char *s)
{
	for (; *s; s++, t->len++)
		if (t->len + 1 < t->size)
			t->buf[t->len] = *s;
	if (t->size)
		t->buf[t->len < t->size ? t->len : t->size - 1] = '\0';
}

static void put_hex(struct text *t, uint64_t v)
{
	char digits[19] = "0x";
	int n = 0;
	uint64_t x = v;
	do
		n++;
	while (x >>= 4);
	for (int i = 0; i < n; i++)
		digits[2 + i] = "0123456789abcdef"[(v >> (4 * (n - 1 - i))) & 0xF];
	digits[2 + n] = '\0';
	put(t, digits);
}

static const char *size_word(unsigned size)
{
	switch (size) {
	case 1:
		return "byte ";
	case 2:
		return "word ";
	case 4:
		return "dword ";
	case 8:
		return "qword ";
	}
	return "";
}

/* seg:[base+index*scale+disp], registers of the address size. */
static void put_mem(struct text *t, const struct x86_insn *in, const struct x86_operand *o)
{
	put(t, size_word(o->size));
	if (in->seg_override >= 0) {
		put(t, x86_sreg_name(o->seg));
		put(t, ":");
	}
	put(t, "[");
	bool any = false;
	if (o->base == X86_REG_RIP) {
		put(t, in->addr_size == 8 ? "rip" : "eip");
		any = true;
	} else if (o->base != X86_REG_NONE) {
		put(t, x86_gpr_name((unsigned)o->base, in->addr_size, false));
		any = true;
	}
	if (o->index != X86_REG_NONE) {
		if (any)
			put(t, "+");
		put(t, x86_gpr_name((unsigned)o->index, in->addr_size, false));
		if (o->scale > 1) {
			char s[3] = { '*', (char)('0' + o->scale), '\0' };
			put(t, s);
		}
		any = true;
	}
	/* Without registers the displacement is an address (moffs, disp32):
	 * unsigned, of the address size. */
	uint64_t disp = (uint64_t)o->disp;
	if (!any) {
		put_hex(t, disp & x86_size_mask(in->addr_size));
	} else if (o->disp < 0) {
		put(t, "-");
		put_hex(t, -disp & x86_size_mask(in->addr_size));
	} else if (o->disp > 0) {
		put(t, "+");
		put_hex(t, disp);
	}
	put(t, "]");
}

static bool is_string(unsigned m)
{
	return m >= X86_MOVS && m <= X86_OUTS;
}

size_t x86_disasm(const struct x86_insn *in, char *buf, size_t size)
{
	struct text t = { buf, size, 0 };
	put(&t, "");
	if (in->lock)
		put(&t, "lock ");
	if (is_string(in->mnemonic)) {
		/* REPE/REPNE only for the compares (SDM Vol. 2B, REP/REPE/
		 * REPZ/REPNE/REPNZ); the operands are implied: rSI, rDI. */
		bool compares = in->mnemonic == X86_CMPS || in->mnemonic == X86_SCAS;
		if (in->rep == 0xf3)
			put(&t, compares ? "repe " : "rep ");
		else if (in->rep == 0xf2)
			put(&t, "repne ");
		/* A segment override applies to the source, DS:rSI, only. */
		if (in->seg_override >= 0 && in->mnemonic != X86_STOS && in->mnemonic != X86_SCAS &&
		    in->mnemonic != X86_INS) {
			put(&t, x86_sreg_name((unsigned)in->seg_override));
			put(&t, " ");
		}
		put(&t, x86_mnemonic_name(in->mnemonic));
		put(&t, in->op_size == 1 ? "b" : in->op_size == 2 ? "w" : in->op_size == 4 ? "d" : "q");
		return t.len;
	}
	put(&t, x86_mnemonic_name(in->mnemonic));
	for (unsigned i = 0; i < in->n_operands && i < 2; i++) {
		const struct x86_operand *o = &in->op[i];
		put(&t, i ? ", " : " ");
		switch (o->kind) {
		case X86_OPND_REG:
			put(&t, x86_gpr_name(o->reg, o->size, o->high8));
			break;
		case X86_OPND_MEM:
			put_mem(&t, in, o);
			break;
		case X86_OPND_IMM:
			put_hex(&t, o->imm & x86_size_mask(o->size));
			break;
		}
	}
	return t.len;
}

size_t x86_bit_names(uint64_t value, const struct x86_bit_name *table, char *buf, size_t size)
{
	struct text t = { buf, size, 0 };
	put(&t, "");
	for (; table->name; table++) {
		if (!(value & table->bit))
			continue;
		if (t.len)
			put(&t, " ");
		put(&t, table->name);
	}
	if (!t.len)
		put(&t, "-");
	return t.len;
}

/* RFLAGS: SDM Vol. 1 §3.4.3, Figure 3-8 (IOPL is printed as a number). */
const struct x86_bit_name x86_rflags_bits[] = {
	{ X86_RFLAGS_CF, "CF" }, { X86_RFLAGS_PF, "PF" }, { X86_RFLAGS_AF, "AF" },
	{ X86_RFLAGS_ZF, "ZF" }, { X86_RFLAGS_SF, "SF" }, { X86_RFLAGS_TF, "TF" },
	{ X86_RFLAGS_IF, "IF" }, { X86_RFLAGS_DF, "DF" }, { X86_RFLAGS_OF, "OF" },
	{ X86_RFLAGS_NT, "NT" }, { X86_RFLAGS_RF, "RF" }, { X86_RFLAGS_VM, "VM" },
	{ X86_RFLAGS_AC, "AC" }, { X86_RFLAGS_VIF, "VIF" }, { X86_RFLAGS_VIP, "VIP" },
	{ X86_RFLAGS_ID, "ID" }, { 0, 0 },
};

/* CR0: SDM Vol. 3A §2.5, Figure 2-7. */
const struct x86_bit_name x86_cr0_bits[] = {
	{ X86_CR0_PE, "PE" }, { X86_CR0_MP, "MP" }, { X86_CR0_EM, "EM" }, { X86_CR0_TS, "TS" },
	{ X86_CR0_ET, "ET" }, { X86_CR0_NE, "NE" }, { X86_CR0_WP, "WP" }, { X86_CR0_AM, "AM" },
	{ X86_CR0_NW, "NW" }, { X86_CR0_CD, "CD" }, { X86_CR0_PG, "PG" }, { 0, 0 },
};

/* CR4: SDM Vol. 3A §2.5, Figure 2-7. */
const struct x86_bit_name x86_cr4_bits[] = {
	{ X86_CR4_VME, "VME" }, { X86_CR4_PVI, "PVI" }, { X86_CR4_TSD, "TSD" },
	{ X86_CR4_DE, "DE" }, { X86_CR4_PSE, "PSE" }, { X86_CR4_PAE, "PAE" },
	{ X86_CR4_MCE, "MCE" }, { X86_CR4_PGE, "PGE" }, { X86_CR4_PCE, "PCE" },
	{ X86_CR4_OSFXSR, "OSFXSR" }, { X86_CR4_OSXMMEXCPT, "OSXMMEXCPT" },
	{ X86_CR4_UMIP, "UMIP" }, { X86_CR4_LA57, "LA57" }, { X86_CR4_VMXE, "VMXE" },
	{ X86_CR4_SMXE, "SMXE" }, { X86_CR4_FSGSBASE, "FSGSBASE" }, { X86_CR4_PCIDE, "PCIDE" },
	{ X86_CR4_OSXSAVE, "OSXSAVE" }, { X86_CR4_SMEP, "SMEP" }, { X86_CR4_SMAP, "SMAP" },
	{ X86_CR4_PKE, "PKE" }, { X86_CR4_CET, "CET" }, { X86_CR4_PKS, "PKS" }, { 0, 0 },
};

/* EFER: SDM Vol. 3A §2.2.1, Table 2-1; AMD APM Vol. 2 §3.1.7. */
const struct x86_bit_name x86_efer_bits[] = {
	{ X86_EFER_SCE, "SCE" }, { X86_EFER_LME, "LME" }, { X86_EFER_LMA, "LMA" },
	{ X86_EFER_NXE, "NXE" }, { X86_EFER_SVME, "SVME" }, { X86_EFER_LMSLE, "LMSLE" },
	{ X86_EFER_FFXSR, "FFXSR" }, { X86_EFER_TCE, "TCE" }, { 0, 0 },
};
