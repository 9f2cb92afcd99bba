/* SPDX-License-Identifier: GPL-2.0-only */
/* MSR, CPUID, hypercall, control and debug register and XSETBV operations.
 * One hypercall in four is made from user mode (CPL 3, test/guest/lib/user.h),
 * where the hypervisor must answer #UD as a CPU without it would.
 * Every write that succeeds is undone by the next instruction, inside the
 * same asm block (no memory access in between), so the guest keeps the
 * machine it runs on; what the fuzzer probes is the hypervisor's handling of
 * the write itself (its checks, the #GP it must inject, its own state).
 *
 * Left alone, because on the bare machine too they wreck the guest (no
 * hypervisor finding there, just the end of the run):
 *   EFER.NXE (bit 11): cleared, every XD bit in the page tables becomes a
 *     reserved bit, and the guest's stack faults before the undo;
 *   IA32_APIC_BASE bits 10 (x2APIC; the way back to xAPIC is a #GP) and 11
 *     (a disabled local APIC comes back reset) and the base address.
 * Known to crash the hypervisor or the guest where bare metal gives #GP (or
 * to be accepted silently), found with this fuzzer on SVM (QEMU TCG) and so
 * off unless named in "unsafe="; Bochs VMX survived all of them:
 *   efer: WRMSR EFER with a reserved bit (e.g. 0x10000d00: VMRUN fails,
 *         invalid guest state, panic), with LMA changed (0x900: the guest
 *         runs off into garbage and hangs), LME cleared while paging (0xc00)
 *         or SVME set (0x1d00; VM_CR reads SVMDIS) accepted without #GP, or a
 *         defined bit this CPU lacks (TCE on qemu64: VMRUN fails). Without it
 *         only SCE and the supported FFXSR and TCE are flipped.
 *   xcr0: XSETBV with an invalid XCR0 or ECX != 0 (reported to crash; both
 *         Bochs models gave the #GP in these runs, QEMU's qemu64 has no XSAVE).
 *   cr:   MOV to CR4 with a reserved bit (0x100000000668), a bit CPUID does
 *         not report (SMAP 0x200668, LA57 0x1668, VMXE on AMD 0x2668): VMRUN
 *         fails, panic; clearing CR4.PAE in long mode (0x648): the guest
 *         triple-faults; clearing CR0.PG (#UD instead of #GP), clearing
 *         CR0.PE or setting CR0 bit 32 (no #GP). Without it only the other
 *         defined CR0 bits and the CR4 bits the CPU has are flipped. */
#include "hostile.h"
#include "hv/cpu.h"
#include "iom/iom.h"
#include "user.h"

#define MSR_EFER 0xC0000080u
#define MSR_APIC_BASE 0x1Bu
/* EFER (AMD APM Vol. 2 §3.1.7): SCE 0, LME 8, LMA 10, NXE 11, SVME 12,
 * LMSLE 13, FFXSR 14 (CPUID 80000001H:EDX[25]), TCE 15 (ECX[17]). */
#define EFER_NXE (1ull << 11)
/* IA32_APIC_BASE (SDM Vol. 3A §11.4.4): BSP 8, x2APIC 10, enable 11, base 12+. */
#define APIC_BASE_FLIPPABLE 0x2FFull

static uint32_t msr_index;
static uint64_t msr_orig, msr_new;

static void do_rdmsr(void)
{
	msr_orig = rdmsr(msr_index);
}

static void do_wrmsr_undo(void)
{
	__asm__ volatile("wrmsr\n\t"
			 "mov %%rdi, %%rax\n\t"
			 "mov %%rsi, %%rdx\n\t"
			 "wrmsr"
			 :
			 : "c"(msr_index), "a"((uint32_t)msr_new), "d"((uint32_t)(msr_new >> 32)),
			   "D"(msr_orig & 0xFFFFFFFF), "S"(msr_orig >> 32)
			 : "memory");
}

static void do_wrmsr(void)
{
	wrmsr(msr_index, msr_new);
}

static const uint32_t favourite_msrs[] = {
	MSR_EFER, 0xC0000081, 0xC0000082, 0xC0000083, 0xC0000084, 0xC0000100, 0xC0000101,
	0xC0000102, 0xC0000103, MSR_APIC_BASE, 0x3A, 0x10, 0x3B, 0x277, 0xFE, 0x2FF, 0x200,
	0x174, 0x175, 0x176, 0x1D9, 0x48, 0x49, 0xDA0, 0x1A0, 0x6E0, 0x480, 0x48D, 0x491,
	0xC0010114, 0xC0010117, 0xC0010015, 0xC0010010, 0xC0010111, 0xC0010112, 0xC0010113,
	0x802, 0x830, 0x80B, 0x9B, 0x79, 0x8B, 0x400, 0x401, 0x17A,
};

void op_msr(struct prng *p, char *desc)
{
	uint64_t r = prng_next(p);
	switch (r % 10) {
	case 0: case 1: case 2: case 3:
		msr_index = favourite_msrs[prng_below(p, sizeof(favourite_msrs) / 4)];
		break;
	case 4: msr_index = (uint32_t)prng_below(p, 0x2000); break;
	case 5: msr_index = 0xC0000000u + (uint32_t)prng_below(p, 0x2000); break;
	case 6: msr_index = 0xC0010000u + (uint32_t)prng_below(p, 0x2000); break;
	default: msr_index = (uint32_t)prng_next(p); break;
	}
	bool write = (r >> 8) & 1;
	unsigned bit = (unsigned)((r >> 9) & 63);
	bool flip = (r >> 15) & 3;
	uint64_t random = prng_next(p);
	if (!write) {
		describe(desc, "rdmsr 0x%x", msr_index);
		op_catch(do_rdmsr);
		return;
	}
	bool readable = op_catch(do_rdmsr) < 0;
	if (!readable) {
		/* An MSR that cannot be read (absent, or write-only like
		 * PRED_CMD): there is nothing to undo to. */
		msr_new = random;
		describe(desc, "wrmsr 0x%x (unreadable) value 0x%lx", msr_index, msr_new);
		op_catch(do_wrmsr);
		return;
	}
	msr_new = flip ? msr_orig ^ (1ull << bit) : random;
	if (msr_index == MSR_EFER) {
		uint32_t ext = cpuid(0x80000001, 0).edx, extc = cpuid(0x80000001, 0).ecx;
		uint64_t safe = 1 | (uint64_t)((ext >> 25) & 1) << 14 | /* SCE, FFXSR */
				(uint64_t)((extc >> 17) & 1) << 15;	  /* TCE */
		uint64_t allowed = (cfg.unsafe & UNSAFE_EFER) ? ~EFER_NXE : safe;
		msr_new = msr_orig ^ ((1ull << bit) & allowed);
	} else if (msr_index == MSR_APIC_BASE) {
		msr_new = msr_orig ^ ((1ull << bit) & APIC_BASE_FLIPPABLE);
	}
	describe(desc, "wrmsr 0x%x value 0x%lx then back to 0x%lx", msr_index, msr_new, msr_orig);
	op_catch(do_wrmsr_undo);
}

static uint32_t cpuid_leaf, cpuid_sub;

static void do_cpuid(void)
{
	(void)cpuid(cpuid_leaf, cpuid_sub);
}

void op_cpuid(struct prng *p, char *desc)
{
	uint64_t r = prng_next(p);
	switch (r % 5) {
	case 0: cpuid_leaf = (uint32_t)prng_below(p, 0x21); break;
	case 1: cpuid_leaf = 0x40000000u + (uint32_t)prng_below(p, 0x100); break;
	case 2: cpuid_leaf = 0x80000000u + (uint32_t)prng_below(p, 0x30); break;
	case 3: cpuid_leaf = 0x8FFFFFFFu + (uint32_t)prng_below(p, 3); break;
	default: cpuid_leaf = (uint32_t)prng_next(p); break;
	}
	cpuid_sub = (r >> 8) & 1 ? (uint32_t)prng_below(p, 64) : (uint32_t)prng_next(p);
	describe(desc, "cpuid 0x%x subleaf 0x%x", cpuid_leaf, cpuid_sub);
	op_catch(do_cpuid);
}

static uint64_t hc_nr, hc_b, hc_c, hc_d;
static bool hc_other_vendor;

static void do_hc(void)
{
	uint64_t a = hc_nr, b = hc_b, c = hc_c, d = hc_d, s = 0;
	if (cfg.intel != hc_other_vendor)
		__asm__ volatile("vmcall" : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(s) : : "memory");
	else
		__asm__ volatile("vmmcall" : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(s) : : "memory");
}

static uint64_t small_or_random(struct prng *p, uint64_t small)
{
	return prng_next(p) & 1 ? prng_below(p, small) : prng_next(p);
}

uint64_t user_hc_count, user_hc_not_ud;

static void do_hc_user(void)
{
	user_run(do_hc);
}

void op_hc(struct prng *p, char *desc)
{
	uint64_t r = prng_next(p);
	hc_nr = r % 2 ? prng_below(p, 4) : r % 3 ? prng_below(p, 17) : prng_next(p);
	hc_b = small_or_random(p, IOM_SPACE_COUNT + 1);
	hc_c = (r >> 8) & 1 ? 0x5A0 + prng_below(p, 8) : small_or_random(p, 24);
	hc_d = (r >> 9) & 1 ? 0xFFFFFFFFu : small_or_random(p, 24);
	hc_other_vendor = ((r >> 10) & 15) == 0;
	/* One in four from user mode: #UD, as on a CPU without the hypervisor. */
	bool user = ((r >> 14) & 3) == 0 && cfg.user_mode;
	describe(desc, "%s rax %lu rbx 0x%lx rcx 0x%lx rdx 0x%lx%s",
		 cfg.intel != hc_other_vendor ? "vmcall" : "vmmcall", hc_nr, hc_b, hc_c, hc_d,
		 user ? " from CPL 3" : "");
	if (!user) {
		op_catch(do_hc);
		return;
	}
	user_hc_count++;
	int v = op_catch(do_hc_user);
	if (v >= 0)
		user_abandon();
	if (v != X86_EXC_UD)
		user_hc_not_ud++;
}

/* Control and debug registers: write a changed value, then the old one. */
static unsigned cr_which;
static uint64_t cr_orig, cr_new;

static void do_cr(void)
{
	switch (cr_which) {
	case 0: __asm__ volatile("mov %0, %%cr0; mov %1, %%cr0" ::"r"(cr_new), "r"(cr_orig) : "memory"); break;
	case 2: __asm__ volatile("mov %0, %%cr2; mov %1, %%cr2" ::"r"(cr_new), "r"(cr_orig) : "memory"); break;
	case 3: __asm__ volatile("mov %0, %%cr3; mov %1, %%cr3" ::"r"(cr_new), "r"(cr_orig) : "memory"); break;
	case 4: __asm__ volatile("mov %0, %%cr4; mov %1, %%cr4" ::"r"(cr_new), "r"(cr_orig) : "memory"); break;
	case 8: __asm__ volatile("mov %0, %%cr8; mov %1, %%cr8" ::"r"(cr_new), "r"(cr_orig) : "memory"); break;
	case 16: __asm__ volatile("mov %0, %%dr0" ::"r"(cr_new)); break;
	case 17: __asm__ volatile("mov %0, %%dr1" ::"r"(cr_new)); break;
	case 22: __asm__ volatile("mov %0, %%dr6" ::"r"(cr_new)); break;
	case 23: __asm__ volatile("mov %0, %%dr7" ::"r"(cr_new)); break;
	}
}

/* DR7 back to its reset value (SDM Vol. 3B §17.2.4): no breakpoint armed. */
static void do_dr7_reset(void)
{
	__asm__ volatile("mov %0, %%dr7" ::"r"(0x400ull));
}

/* Defined bits (SDM Vol. 3A §2.5): CR0 PE MP EM TS ET NE WP AM NW CD PG;
 * CR4: cr4_supported() below. */
#define CR0_DEFINED 0xE005003Full
/* Long-mode bits bare metal refuses to change (#GP): CR0.PE, CR0.PG,
 * CR4.PAE, CR4.LA57 (SDM Vol. 3A §2.4.3 and the MOV CRn page). */
#define CR0_MODE 0x80000001ull
#define CR4_MODE 0x1020ull

/* CR4 bits this CPU implements (SDM Vol. 3A §2.5, each bit with its CPUID
 * flag); 0-10 are in every x86-64 CPU. VMXE (13) is hidden. */
static uint64_t cr4_supported(void)
{
	struct cpuid_regs one = cpuid(1, 0), seven = cpuid(7, 0);
	uint64_t s = 0x7FF;
	s |= (uint64_t)((seven.ecx >> 2) & 1) << 11;  /* UMIP */
	s |= (uint64_t)((one.ecx >> 6) & 1) << 14;    /* SMXE */
	s |= (uint64_t)(seven.ebx & 1) << 16;	       /* FSGSBASE */
	s |= (uint64_t)((one.ecx >> 17) & 1) << 17;   /* PCIDE */
	s |= (uint64_t)((one.ecx >> 26) & 1) << 18;   /* OSXSAVE */
	s |= (uint64_t)((seven.ecx >> 23) & 1) << 19; /* KL */
	s |= (uint64_t)((seven.ebx >> 7) & 1) << 20;  /* SMEP */
	s |= (uint64_t)((seven.ebx >> 20) & 1) << 21; /* SMAP */
	s |= (uint64_t)((seven.ecx >> 3) & 1) << 22;  /* PKE */
	s |= (uint64_t)((seven.ecx >> 7) & 1) << 23;  /* CET */
	s |= (uint64_t)((seven.ecx >> 31) & 1) << 24; /* PKS */
	return s;
}

static uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static uint64_t read_cr8(void) { uint64_t v; __asm__ volatile("mov %%cr8, %0" : "=r"(v)); return v; }

void op_cr(struct prng *p, char *desc)
{
	static const unsigned regs[] = { 0, 0, 0, 4, 4, 4, 3, 8, 8, 2, 16, 17, 22, 23 };
	uint64_t r = prng_next(p);
	cr_which = regs[r % (sizeof(regs) / sizeof(regs[0]))];
	unsigned bit = (unsigned)((r >> 8) & 63);
	switch (cr_which) {
	case 0: cr_orig = read_cr0(); break;
	case 2: cr_orig = read_cr2(); break;
	case 3: cr_orig = read_cr3(); bit = (r >> 8) & 1 ? 3 : 4; break; /* PWT, PCD */
	case 4: cr_orig = read_cr4(); break;
	case 8: cr_orig = read_cr8(); break;
	default: cr_orig = 0; break;
	}
	if (!(cfg.unsafe & UNSAFE_CR) &&
	    ((cr_which == 0 && !(((CR0_DEFINED & ~CR0_MODE) >> bit) & 1)) ||
	     (cr_which == 4 && !(((cr4_supported() & ~CR4_MODE) >> bit) & 1))))
		bit = 1; /* a defined bit instead (CR0.MP, CR4.PVI) */
	cr_new = cr_which >= 16 || cr_which == 2 ? prng_next(p)
		 : cr_which == 8 && (r >> 14) & 1 ? prng_below(p, 16)
						 : cr_orig ^ (1ull << bit);
	if (cr_which >= 16)
		describe(desc, "mov dr%u, 0x%lx", cr_which - 16, cr_new);
	else
		describe(desc, "mov cr%u, 0x%lx then back to 0x%lx", cr_which, cr_new, cr_orig);
	op_catch(do_cr);
	if (cr_which >= 16 && op_catch(do_dr7_reset) >= 0)
		op_catch(do_dr7_reset); /* DR7.GD was set: the first try raised #DB */
}

static uint32_t xcr_index;
static uint64_t xcr_orig, xcr_new;

static void do_xsetbv_undo(void)
{
	__asm__ volatile("xsetbv\n\t"
			 "mov %%rdi, %%rax\n\t"
			 "mov %%rsi, %%rdx\n\t"
			 "xor %%ecx, %%ecx\n\t"
			 "xsetbv"
			 :
			 : "c"(xcr_index), "a"((uint32_t)xcr_new), "d"((uint32_t)(xcr_new >> 32)),
			   "D"(xcr_orig & 0xFFFFFFFF), "S"(xcr_orig >> 32)
			 : "memory");
}

static void do_xgetbv(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr_index));
	xcr_orig = (uint64_t)hi << 32 | lo;
}

/* XCR0 values bare metal accepts (SDM Vol. 1 §13.3): x87 (bit 0) set, AVX
 * (2) only with SSE (1), and only bits CPUID 0DH.0 EDX:EAX reports. */
static bool xcr0_valid(uint64_t v)
{
	struct cpuid_regs d = cpuid(0xD, 0);
	uint64_t supported = (uint64_t)d.edx << 32 | d.eax;
	return (v & 1) && !(v & ~supported) && (!(v & 4) || (v & 2)) &&
	       ((v & 0xE0) == 0 || (v & 0xE0) == 0xE0) && (!(v & 0xE0) || (v & 4));
}

void op_xsetbv(struct prng *p, char *desc)
{
	uint64_t r = prng_next(p);
	xcr_index = 0;
	if (op_catch(do_xgetbv) >= 0 && (cpuid(1, 0).ecx >> 26) & 1) {
		/* The firmware left XSAVE off (CR4.OSXSAVE, bit 18): turn it
		 * on for good, as an OS does, if the CPU has it. */
		cr_which = 4;
		cr_orig = cr_new = read_cr4() | (1ull << 18);
		op_catch(do_cr);
	}
	if (op_catch(do_xgetbv) >= 0) {
		describe(desc, "xgetbv 0 faulted (no OSXSAVE)");
		return;
	}
	if (((r >> 4) & 3) == 0) {
		xcr_index = (uint32_t)(r & 1 ? prng_below(p, 4) : prng_next(p));
		describe(desc, "xgetbv ecx 0x%x", xcr_index);
		op_catch(do_xgetbv);
		xcr_index = 0;
		do_xgetbv();
		return;
	}
	xcr_new = r & 1 ? xcr_orig ^ (1ull << prng_below(p, 64)) : prng_next(p) & 0xFF;
	if ((r >> 1) & 1 && (cfg.unsafe & UNSAFE_XCR0))
		xcr_index = (uint32_t)prng_next(p);
	if (!(cfg.unsafe & UNSAFE_XCR0) && !xcr0_valid(xcr_new))
		xcr_new = xcr_orig;
	describe(desc, "xsetbv ecx 0x%x value 0x%lx then back to 0x%lx", xcr_index, xcr_new,
		 xcr_orig);
	op_catch(do_xsetbv_undo);
}
