/* SPDX-License-Identifier: GPL-2.0-only */
/* The two runs of a case and their comparison; the trampoline that loads every
 * general register and RFLAGS, runs one instruction and saves them again; and
 * exception catching, so an instruction the hypervisor refuses (it injects
 * #GP) fails its case instead of ending the test in the firmware's handler. */
#include "mmiotest.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "iom/iom.h"

#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101

unsigned cases_run;

/* ---- trampoline ----------------------------------------------------------
 * int run_code(struct cpu_state *s, const void *code): s in RDI, code in RSI.
 * The caller's RFLAGS (IF, DF) are saved first and restored last. A caught
 * exception lands in mt_fault_common, which drops the exception frame by
 * going back to the stack pointer run_code saved. */
__asm__(".pushsection .text\n"
	".globl run_code\n"
	".hidden run_code\n"
	"run_code:\n"
	"	pushfq\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	push %rdi\n"
	"	push %rsi\n"
	"	mov %rsp, mt_saved_rsp(%rip)\n"
	"	movl $-1, mt_fault_vector(%rip)\n"
	"	pushq 128(%rdi)\n"
	"	popfq\n"
	"	mov 0(%rdi), %rax\n mov 8(%rdi), %rcx\n mov 16(%rdi), %rdx\n"
	"	mov 24(%rdi), %rbx\n mov 40(%rdi), %rbp\n mov 48(%rdi), %rsi\n"
	"	mov 64(%rdi), %r8\n mov 72(%rdi), %r9\n mov 80(%rdi), %r10\n"
	"	mov 88(%rdi), %r11\n mov 96(%rdi), %r12\n mov 104(%rdi), %r13\n"
	"	mov 112(%rdi), %r14\n mov 120(%rdi), %r15\n"
	"	mov 56(%rdi), %rdi\n"
	"	call *(%rsp)\n"
	"	pushfq\n"
	"	push %rdi\n"
	"	mov 24(%rsp), %rdi\n"
	"	mov %rax, 0(%rdi)\n mov %rcx, 8(%rdi)\n mov %rdx, 16(%rdi)\n"
	"	mov %rbx, 24(%rdi)\n mov %rbp, 40(%rdi)\n mov %rsi, 48(%rdi)\n"
	"	mov %r8, 64(%rdi)\n mov %r9, 72(%rdi)\n mov %r10, 80(%rdi)\n"
	"	mov %r11, 88(%rdi)\n mov %r12, 96(%rdi)\n mov %r13, 104(%rdi)\n"
	"	mov %r14, 112(%rdi)\n mov %r15, 120(%rdi)\n"
	"	popq 56(%rdi)\n"
	"	popq 128(%rdi)\n"
	"mt_recover:\n"
	"	add $16, %rsp\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"	popfq\n"
	"	movslq mt_fault_vector(%rip), %rax\n"
	"	ret\n"
	"mt_fault_ud:\n"
	"	pushq $0\n" /* #UD has no error code */
	"	pushq $6\n"
	"	jmp mt_fault_common\n"
	"mt_fault_gp:\n"
	"	pushq $13\n"
	"	jmp mt_fault_common\n"
	"mt_fault_pf:\n"
	"	pushq $14\n"
	"mt_fault_common:\n"
	"	pop %rax\n"
	"	mov %eax, mt_fault_vector(%rip)\n"
	"	mov mt_saved_rsp(%rip), %rsp\n"
	"	jmp mt_recover\n"
	".popsection\n"
	".pushsection .data\n"
	".balign 8\n"
	"mt_saved_rsp: .quad 0\n"
	"mt_fault_vector: .long -1\n"
	".popsection\n");

extern const char mt_fault_ud[] __attribute__((visibility("hidden")));
extern const char mt_fault_gp[] __attribute__((visibility("hidden")));
extern const char mt_fault_pf[] __attribute__((visibility("hidden")));

/* ---- exception catching -------------------------------------------------- */

struct __attribute__((packed)) idtr {
	uint16_t limit;
	uint64_t base;
};

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, attr;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

static struct idt_gate saved_gates[3];
static const uint8_t caught[3] = { 6, 13, 14 };

static struct idt_gate *idt(void)
{
	struct idtr r;
	__asm__ volatile("sidt %0" : "=m"(r));
	return (struct idt_gate *)r.base;
}

void faults_catch(void)
{
	const char *handlers[3] = { mt_fault_ud, mt_fault_gp, mt_fault_pf };
	struct idt_gate *g = idt();
	uint64_t fl = irq_save();
	for (int i = 0; i < 3; i++) {
		struct idt_gate n = g[caught[i]];
		uint64_t a = (uint64_t)handlers[i];
		saved_gates[i] = n;
		n.off_lo = (uint16_t)a;
		n.off_mid = (uint16_t)(a >> 16);
		n.off_hi = (uint32_t)(a >> 32);
		n.ist = 0;
		g[caught[i]] = n;
	}
	irq_restore(fl);
}

void faults_release(void)
{
	struct idt_gate *g = idt();
	uint64_t fl = irq_save();
	for (int i = 0; i < 3; i++)
		g[caught[i]] = saved_gates[i];
	irq_restore(fl);
}

/* ---- memory helpers ------------------------------------------------------ */

uint8_t mmio_ld8(uint64_t a)
{
	uint8_t v;
	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(a) : "memory");
	return v;
}

void mmio_st64(uint64_t a, uint64_t v)
{
	__asm__ volatile("movq %1, (%0)" ::"r"(a), "r"(v) : "memory");
}

uint64_t mmio_accesses(void)
{
	return range_stat(IOM_SPACE_MMIO, TESTDEV_MMIO_BASE, IOM_STAT_READS) +
	       range_stat(IOM_SPACE_MMIO, TESTDEV_MMIO_BASE, IOM_STAT_WRITES);
}

/* ---- one case ------------------------------------------------------------ */

#define NVARIANTS 7

static uint8_t ram_ref[NREGIONS][REGION_SIZE] __attribute__((aligned(64)));
static uint8_t ram_mmio_run[NREGIONS][REGION_SIZE] __attribute__((aligned(64)));

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The input of one variant: region bytes, register values, status flags. */
struct input {
	uint8_t mem[NREGIONS][REGION_SIZE];
	uint64_t gpr[16];
	uint64_t flags;
};

static void make_input(const struct tcase *c, unsigned v, struct input *in)
{
	uint64_t regval = 0;
	uint8_t memval = 0;
	rng = 0x9E3779B97F4A7C15ull * (cases_run + 1) + v * 0x1234567ull + 1;
	switch (v) {
	case 3: memval = 0x5A, regval = 0x5A5A5A5A5A5A5A5Aull, in->flags = 0; break;
	case 4: memval = 0xFF, regval = 1, in->flags = STATUS; break;
	case 5: memval = 0x80, regval = 0x7F7F7F7F7F7F7F7Full, in->flags = CF; break;
	case 6: memval = 0, regval = 0, in->flags = rnd() & STATUS; break;
	default: in->flags = rnd() & STATUS; break;
	}
	for (unsigned n = 0; n < NREGIONS; n++)
		for (unsigned i = 0; i < REGION_SIZE; i++)
			in->mem[n][i] = v < 3 ? (uint8_t)rnd() : memval;
	for (unsigned i = 0; i < 16; i++)
		in->gpr[i] = v < 3 ? rnd() : regval;
	in->flags |= c->fset;
}

static unsigned region_len(const struct tcase *c, unsigned n)
{
	return n == 0 && c->where == W_DEFER ? DEFER_REGION_SIZE : REGION_SIZE;
}

/* Where region n lives in a run. */
static uint64_t region_addr(const struct tcase *c, bool mmio, unsigned n)
{
	if (n == 0 && c->where == W_ALIAS)
		return alias_page(mmio ? ALIAS_MMIO : ALIAS_RAM_A) + 0x100;
	if (n == 0 && c->where == W_STRADDLE)
		return alias_page(mmio ? ALIAS_RAM_A : ALIAS_RAM_B) + 0x1000 - 0x40;
	if (!mmio)
		return (uint64_t)ram_ref[n];
	if (!(c->mmio & (1u << n)))
		return (uint64_t)ram_mmio_run[n];
	if (n == 0 && c->where == W_DEFER)
		return TESTDEV_MMIO_BASE + MMIO_DEFER_REGION_OFF;
	return TESTDEV_MMIO_BASE + (n ? MMIO_REGION1_OFF : MMIO_REGION0_OFF);
}

/* Region bytes go in with qword stores and come back with byte loads, each
 * a plain MOV (in MMIO: the emulator's simplest case, which hvtest checks). */
static void put_region(uint64_t a, bool device, const uint8_t *src, unsigned len)
{
	if (device) {
		for (unsigned i = 0; i < len; i += 8) {
			uint64_t q;
			__builtin_memcpy(&q, src + i, 8);
			mmio_st64(a + i, q);
		}
	} else {
		__builtin_memcpy((void *)a, src, len);
	}
}

static void get_region(uint64_t a, bool device, uint8_t *dst, unsigned len)
{
	if (device) {
		for (unsigned i = 0; i < len; i++)
			dst[i] = mmio_ld8(a + i);
	} else {
		__builtin_memcpy(dst, (void *)a, len);
	}
}

struct outcome {
	int fault;
	struct cpu_state s;
	uint8_t mem[NREGIONS][REGION_SIZE];
	uint64_t base[16]; /* subtracted from a pointer register before comparing */
	uint64_t mmio_count;
};

static void set_seg_bases(const struct tcase *c, uint64_t *fs, uint64_t *gs)
{
	*fs = rdmsr(MSR_FS_BASE);
	*gs = rdmsr(MSR_GS_BASE);
	if (c->flags & C_FSBASE)
		wrmsr(MSR_FS_BASE, FS_TEST_BASE);
	if (c->flags & C_GSBASE)
		wrmsr(MSR_GS_BASE, GS_TEST_BASE);
}

static void run_one(const struct tcase *c, const struct input *in, bool mmio, struct outcome *o)
{
	uint64_t addr[NREGIONS];
	bool device[NREGIONS];
	const void *code = c->code;

	__builtin_memset(o, 0, sizeof(*o));
	for (unsigned n = 0; n < NREGIONS; n++) {
		addr[n] = region_addr(c, mmio, n);
		device[n] = mmio && (c->mmio & (1u << n));
		put_region(addr[n], device[n], in->mem[n], region_len(c, n));
	}
	__builtin_memcpy(o->s.gpr, in->gpr, sizeof(o->s.gpr));
	o->s.gpr[RSP] = 0;
	for (const struct reg_init *r = c->r; r < c->r + 5 && r->reg1; r++) {
		unsigned reg = r->reg1 - 1u;
		if (r->region < 0) {
			o->s.gpr[reg] = (uint64_t)r->value;
			continue;
		}
		uint64_t b = addr[r->region];
		if (r->seg == 1)
			b -= FS_TEST_BASE;
		else if (r->seg == 2)
			b -= GS_TEST_BASE;
		o->base[reg] = b;
		o->s.gpr[reg] = (b + (uint64_t)r->value) | r->high;
	}
	o->s.rflags = 2 | (in->flags & (STATUS | DF)) | (read_rflags() & IF);
	if (c->gen) {
		uint64_t page = alias_page(ALIAS_CODE);
		uint64_t target = addr[0] + (uint64_t)(int64_t)c->gen_off;
		if (c->flags & C_FSBASE)
			target -= FS_TEST_BASE;
		if (page && (c->flags & C_CODE_SPLIT))
			page += 0x1000 - CODE_SPLIT;
		code = page ? c->gen((uint8_t *)page, target) : NULL;
		if (!code) {
			o->fault = -2;
			return;
		}
	}
	uint64_t fs, gs, n0 = mmio_accesses();
	set_seg_bases(c, &fs, &gs);
	o->fault = run_code(&o->s, code);
	wrmsr(MSR_FS_BASE, fs);
	wrmsr(MSR_GS_BASE, gs);
	o->mmio_count = mmio_accesses() - n0;
	for (unsigned n = 0; n < NREGIONS; n++)
		get_region(addr[n], device[n], o->mem[n], region_len(c, n));
}

static const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void flag_names(uint64_t m, char *buf)
{
	static const struct { uint64_t bit; const char *n; } f[] = {
		{ CF, "CF" }, { PF, "PF" }, { AF, "AF" }, { ZF, "ZF" },
		{ SF, "SF" }, { OF, "OF" }, { DF, "DF" },
	};
	char *p = buf;
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!(m & f[i].bit))
			continue;
		if (p != buf)
			*p++ = ' ';
		for (const char *s = f[i].n; *s; s++)
			*p++ = *s;
	}
	*p = '\0';
}

/* Compares the two outcomes; prints what differs (at most a few lines). */
static bool compare(const struct tcase *c, unsigned v, const struct outcome *a,
		    const struct outcome *b)
{
	bool ok = true;
	if (a->fault != -1 || b->fault != -1) {
		gprintf("guest:   variant %u: exception: RAM run %d, MMIO run %d%s\n", v, a->fault,
			b->fault, b->fault == -2 ? " (encoding cannot reach the address)" : "");
		return false;
	}
	for (unsigned i = 0; i < 16; i++) {
		if (i == RSP)
			continue;
		uint64_t x = a->s.gpr[i] - a->base[i], y = b->s.gpr[i] - b->base[i];
		if (x != y) {
			gprintf("guest:   variant %u: %s: RAM 0x%lx, MMIO 0x%lx%s\n", v, reg_names[i],
				x, y, a->base[i] ? " (relative to the region)" : "");
			ok = false;
		}
	}
	uint64_t fa = a->s.rflags & c->fmask, fb = b->s.rflags & c->fmask;
	if (fa != fb) {
		gprintf("guest:   variant %u: rflags: RAM 0x%lx, MMIO 0x%lx (compared 0x%lx)\n", v,
			a->s.rflags, b->s.rflags, c->fmask);
		ok = false;
	}
	unsigned shown = 0;
	for (unsigned n = 0; n < NREGIONS; n++)
		for (unsigned i = 0; i < region_len(c, n); i++)
			if (a->mem[n][i] != b->mem[n][i]) {
				if (shown++ < 4)
					gprintf("guest:   variant %u: region %u byte 0x%x: RAM 0x%02x, "
						"MMIO 0x%02x\n", v, n, i, a->mem[n][i],
						b->mem[n][i]);
				ok = false;
			}
	if (!(c->flags & C_NOACCESS) && b->mmio_count == 0) {
		gprintf("guest:   variant %u: the MMIO run did not reach the test device\n", v);
		ok = false;
	}
	return ok;
}

bool run_case(const struct tcase *c)
{
	static struct input in;
	static struct outcome ram, mmio;
	bool ok = true;
	char fl[32];

	cases_run++;
	for (unsigned v = 0; v < NVARIANTS; v++) {
		make_input(c, v, &in);
		run_one(c, &in, false, &ram);
		run_one(c, &in, true, &mmio);
		if (!compare(c, v, &ram, &mmio))
			ok = false;
	}
	flag_names(c->fmask & ~DF, fl);
	return guest_check(ok, "%s [flags %s]%s", c->name, (c->fmask & 2) ? "unchanged" : fl,
			   ok ? "" : " (variants differ, above)");
}
