/* SPDX-License-Identifier: GPL-2.0-only */
/* The cases whose instruction the assembler can write: the memory operand is
 * addressed through registers that point into the regions (harness.c). One
 * list, expanded twice: into the instructions (each followed by RET, for
 * run_code) and into the table of cases.
 *
 * Unless a case says otherwise its operand is [RBX] = region 0 + 0x40, region
 * 0 is MMIO in the MMIO run, and every other register starts with the
 * variant's value. String cases use RSI (source, region 0) and RDI
 * (destination, region 1); `mmio` says which of the two is MMIO.
 *
 * Flags compared, by the SDM's definition of each instruction:
 *  - ADD ADC SUB SBB CMP NEG INC DEC CMPS SCAS: CF PF AF ZF SF OF (INC/DEC:
 *    CF must stay as it was, so it is compared too);
 *  - AND OR XOR TEST: CF PF ZF SF OF (AF undefined);
 *  - BT BTS BTR BTC: CF (OF SF AF PF are undefined; ZF is "unaffected" in
 *    the SDM but undefined in AMD's APM, so it is not compared);
 *  - MOV MOVZX MOVSX MOVSXD MOVNTI XCHG NOT MOVS STOS LODS: all six must be
 *    unchanged ("[flags unchanged]").
 * DF is compared everywhere. */
#include "mmiotest.h"

#define SNIP(id, name, text, ...)                                                   \
	__asm__(".pushsection .text\n.globl mt_" #id "\n.hidden mt_" #id "\nmt_" #id \
		":\n\t" text "\n\tret\n.popsection\n");                             \
	extern const char mt_##id[] __attribute__((visibility("hidden")));

#define ENTRY(id, nm, text, fm, fs, mm, wh, fl, ...)                                  \
	{ .name = nm, .code = mt_##id, .fmask = fm, .fset = fs, .mmio = mm, .where = wh, \
	  .flags = fl, .r = { __VA_ARGS__ } },

/* [RBX] = region 0 + 0x40, region 0 MMIO. */
#define M(X, id, name, text, fl, ...) \
	X(id, name, text, fl, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x40), ##__VA_ARGS__)
/* Same, through RSI (for cases that write BH/BL or use RBX otherwise). */
#define MS(X, id, name, text, fl, ...) \
	X(id, name, text, fl, 0, 1, W_PLAIN, 0, P(RSI, 0, 0x40), ##__VA_ARGS__)

/* Group-1 ALU in all its memory forms: r/m,reg; reg,r/m; 80, 81, 83. */
#define ALU(X, op, OP, o0, o1, o2, o3, n, fl)                                                  \
	M(X, op##_mr8, o0 " /r " OP " r/m8,r8", #op "b %cl,(%rbx)", fl)                        \
	M(X, op##_mr16, "66 " o1 " /r " OP " r/m16,r16", #op "w %cx,(%rbx)", fl)               \
	M(X, op##_mr32, o1 " /r " OP " r/m32,r32", #op "l %ecx,(%rbx)", fl)                    \
	M(X, op##_mr64, "REX.W " o1 " /r " OP " r/m64,r64", #op "q %rcx,(%rbx)", fl)           \
	M(X, op##_rm8, o2 " /r " OP " r8,r/m8", #op "b (%rbx),%dl", fl)                        \
	M(X, op##_rm16, "66 " o3 " /r " OP " r16,r/m16", #op "w (%rbx),%dx", fl)               \
	M(X, op##_rm32, o3 " /r " OP " r32,r/m32", #op "l (%rbx),%edx", fl)                    \
	M(X, op##_rm64, "REX.W " o3 " /r " OP " r64,r/m64", #op "q (%rbx),%rdx", fl)           \
	M(X, op##_i8, "80 /" n " ib " OP " r/m8,imm8", #op "b $0x9c,(%rbx)", fl)               \
	M(X, op##_i16, "66 81 /" n " iw " OP " r/m16,imm16", #op "w $0x8001,(%rbx)", fl)       \
	M(X, op##_i32, "81 /" n " id " OP " r/m32,imm32", #op "l $0x7ffffff0,(%rbx)", fl)      \
	M(X, op##_i64, "REX.W 81 /" n " id " OP " r/m64,imm32", #op "q $-0x70000000,(%rbx)", fl) \
	M(X, op##_s16, "66 83 /" n " ib " OP " r/m16,imm8", #op "w $-3,(%rbx)", fl)            \
	M(X, op##_s32, "83 /" n " ib " OP " r/m32,imm8", #op "l $0x7f,(%rbx)", fl)             \
	M(X, op##_s64, "REX.W 83 /" n " ib " OP " r/m64,imm8", #op "q $-0x80,(%rbx)", fl)

/* String instructions: RSI into region 0, RDI into region 1, RCX the count. */
#define S(X, id, name, text, fl, df, mm, rcx) \
	X(id, name, text, fl, df, mm, W_PLAIN, 0, P(RSI, 0, 0x40), P(RDI, 1, 0x40), V(RCX, rcx))
/* STOS and SCAS: RDI into region 0 (MMIO). */
#define SD(X, id, name, text, fl, df, rcx) \
	X(id, name, text, fl, df, 1, W_PLAIN, 0, P(RDI, 0, 0x40), V(RCX, rcx))
/* Around the deferring qword: [RBX] = region 0 = MMIO 0xEF8 (+8: the qword). */
#define D(X, id, name, text, fl) X(id, name, text, fl, 0, 1, W_DEFER, 0, P(RBX, 0, 0))
/* Straddling: region 0 offset 0x40 is the start of the next page (MMIO). */
#define ST(X, id, name, text, fl, off, ...) \
	X(id, name, text, fl, 0, 1, W_STRADDLE, 0, P(RBX, 0, off), ##__VA_ARGS__)

#define NOCNT 0x123456789ull /* RCX of string forms without REP: left alone */

#define CASES(X)                                                                                 \
	/* MOV */                                                                                \
	M(X, mov_88, "88 /r MOV r/m8,r8", "movb %cl,(%rbx)", FL_NONE)                            \
	M(X, mov_88_ch, "88 /r MOV r/m8,CH (high byte source)", "movb %ch,(%rbx)", FL_NONE)      \
	M(X, mov_88_sil, "REX 88 /r MOV r/m8,SIL", "movb %sil,(%rbx)", FL_NONE)                  \
	M(X, mov_88_r9b, "REX.R 88 /r MOV r/m8,R9B (disp8)", "movb %r9b,1(%rbx)", FL_NONE)       \
	M(X, mov_89_16, "66 89 /r MOV r/m16,r16", "movw %cx,(%rbx)", FL_NONE)                    \
	M(X, mov_89_32, "89 /r MOV r/m32,r32", "movl %ecx,(%rbx)", FL_NONE)                      \
	M(X, mov_89_64, "REX.W 89 /r MOV r/m64,r64", "movq %rcx,(%rbx)", FL_NONE)                \
	M(X, mov_89_r10d, "REX.R 89 /r MOV r/m32,R10D (disp8)", "movl %r10d,8(%rbx)", FL_NONE)   \
	X(mov_89_d32, "REX.W 89 /r MOV r/m64,r64 (disp32)", "movq %rdx,0x1000(%rbx)", FL_NONE,   \
	  0, 1, W_PLAIN, 0, P(RBX, 0, 0x40 - 0x1000))                                            \
	M(X, mov_8a, "8A /r MOV r8,r/m8", "movb (%rbx),%cl", FL_NONE)                            \
	M(X, mov_8a_dh, "8A /r MOV DH,r/m8 (high byte destination)", "movb (%rbx),%dh", FL_NONE) \
	MS(X, mov_8a_bh, "8A /r MOV BH,r/m8 (high byte destination)", "movb (%rsi),%bh",        \
	   FL_NONE)                                                                              \
	M(X, mov_8a_dil, "REX 8A /r MOV DIL,r/m8", "movb (%rbx),%dil", FL_NONE)                  \
	M(X, mov_8a_r11b, "REX.R 8A /r MOV R11B,r/m8 (disp8)", "movb 1(%rbx),%r11b", FL_NONE)    \
	M(X, mov_8b_16, "66 8B /r MOV r16,r/m16", "movw (%rbx),%cx", FL_NONE)                    \
	M(X, mov_8b_32, "8B /r MOV r32,r/m32 (zero-extends)", "movl (%rbx),%ecx", FL_NONE)       \
	M(X, mov_8b_64, "REX.W 8B /r MOV r64,r/m64", "movq (%rbx),%rcx", FL_NONE)                \
	M(X, mov_8b_r12, "REX.WR 8B /r MOV R12,r/m64 (disp8 -8)", "movq -8(%rbx),%r12", FL_NONE) \
	M(X, mov_c6, "C6 /0 ib MOV r/m8,imm8", "movb $0xa5,(%rbx)", FL_NONE)                     \
	M(X, mov_c7_16, "66 C7 /0 iw MOV r/m16,imm16", "movw $0x1234,(%rbx)", FL_NONE)           \
	M(X, mov_c7_32, "C7 /0 id MOV r/m32,imm32", "movl $0x87654321,(%rbx)", FL_NONE)          \
	M(X, mov_c7_64, "REX.W C7 /0 id MOV r/m64,imm32 (sign-extended)", "movq $-5,(%rbx)",     \
	  FL_NONE)                                                                               \
	M(X, mov_c7_64p, "REX.W C7 /0 id MOV r/m64,imm32 (positive)", "movq $0x7ffffff1,(%rbx)", \
	  FL_NONE)                                                                               \
	/* MOVZX, MOVSX, MOVSXD, MOVNTI */                                                       \
	M(X, movzx_b16, "66 0F B6 /r MOVZX r16,r/m8", "movzbw (%rbx),%cx", FL_NONE)              \
	M(X, movzx_b32, "0F B6 /r MOVZX r32,r/m8", "movzbl (%rbx),%ecx", FL_NONE)                \
	M(X, movzx_b64, "REX.W 0F B6 /r MOVZX r64,r/m8", "movzbq (%rbx),%rcx", FL_NONE)          \
	M(X, movzx_w32, "0F B7 /r MOVZX r32,r/m16", "movzwl (%rbx),%ecx", FL_NONE)               \
	M(X, movzx_w64, "REX.WR 0F B7 /r MOVZX R8,r/m16", "movzwq (%rbx),%r8", FL_NONE)          \
	M(X, movsx_b16, "66 0F BE /r MOVSX r16,r/m8", "movsbw (%rbx),%cx", FL_NONE)              \
	M(X, movsx_b32, "0F BE /r MOVSX r32,r/m8", "movsbl (%rbx),%ecx", FL_NONE)                \
	M(X, movsx_b64, "REX.W 0F BE /r MOVSX r64,r/m8", "movsbq (%rbx),%rcx", FL_NONE)          \
	M(X, movsx_w16, "66 0F BF /r MOVSX r16,r/m16", ".byte 0x66, 0x0f, 0xbf, 0x0b", FL_NONE) \
	M(X, movsx_w32, "0F BF /r MOVSX r32,r/m16", "movswl (%rbx),%ecx", FL_NONE)               \
	M(X, movsx_w64, "REX.W 0F BF /r MOVSX r64,r/m16", "movswq (%rbx),%rcx", FL_NONE)         \
	M(X, movsxd_64, "REX.W 63 /r MOVSXD r64,r/m32", "movslq (%rbx),%rcx", FL_NONE)           \
	M(X, movsxd_r11, "REX.WR 63 /r MOVSXD R11,r/m32", "movslq (%rbx),%r11", FL_NONE)         \
	M(X, movsxd_32, "63 /r MOVSXD r32,r/m32 (no REX.W: zero-extends)", ".byte 0x63, 0x0b",   \
	  FL_NONE)                                                                               \
	M(X, movnti_32, "0F C3 /r MOVNTI m32,r32", "movnti %ecx,(%rbx)", FL_NONE)                \
	M(X, movnti_64, "REX.W 0F C3 /r MOVNTI m64,r64", "movnti %rcx,(%rbx)", FL_NONE)          \
	/* addressing forms */                                                                   \
	X(sib_idx4, "8B /r MOV r32,[RBX+RCX*4] (SIB, index 3)", "movl (%rbx,%rcx,4),%edx",       \
	  FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x40 - 12), V(RCX, 3))                            \
	X(sib_neg, "REX.W 89 /r MOV [RBX+RSI*8+0x10],RDX (SIB, index -2)",                      \
	  "movq %rdx,0x10(%rbx,%rsi,8)", FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x40),             \
	  V(RSI, -2))                                                                            \
	X(sib_r8r9, "REX.RXB 8B /r MOV R10D,[R8+R9*2] (SIB)", "movl (%r8,%r9,2),%r10d",          \
	  FL_NONE, 0, 1, W_PLAIN, 0, P(R8, 0, 0x40 - 10), V(R9, 5))                              \
	X(sib_nobase, "8B /r MOV r32,[RBX*1+0x40] (SIB, no base, disp32)",                      \
	  "movl 0x40(,%rbx,1),%eax", FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0))                    \
	X(base_rbp, "8B /r MOV r32,[RBP+0x10] (disp8)", "movl 0x10(%rbp),%eax", FL_NONE, 0, 1,  \
	  W_PLAIN, 0, P(RBP, 0, 0x30))                                                           \
	X(base_r13, "REX.B 8B /r MOV r32,[R13+0] (mod 01, R13 base)", "movl (%r13),%eax",        \
	  FL_NONE, 0, 1, W_PLAIN, 0, P(R13, 0, 0x40))                                            \
	X(base_r12, "REX.B 8B /r MOV r32,[R12] (SIB, R12 base)", "movl (%r12),%eax", FL_NONE,    \
	  0, 1, W_PLAIN, 0, P(R12, 0, 0x40))                                                     \
	X(addr32, "67 8B /r MOV r32,[EBX] (address size 32; RBX upper half ignored)",            \
	  ".byte 0x67, 0x8b, 0x0b", FL_NONE, 0, 1, W_PLAIN, 0,                                   \
	  PH(RBX, 0, 0x40, 0x5a5a000000000000ull))                                               \
	X(addr32_sib, "67 89 /r MOV [EBX+ECX*2+0x7f],EDX (address size 32)",                    \
	  "addr32 movl %edx,0x7f(%ebx,%ecx,2)", FL_NONE, 0, 1, W_PLAIN, 0,                       \
	  PH(RBX, 0, 0x40 - 0x7f - 6, 0x77000000000ull), V(RCX, 0xffffffff00000003ull))          \
	/* segment override prefixes */                                                          \
	M(X, seg_ds, "3E 8B /r MOV r32,DS:r/m32", ".byte 0x3e; movl (%rbx),%ecx", FL_NONE)       \
	M(X, seg_es, "26 89 /r MOV ES:r/m32,r32", ".byte 0x26; movl %ecx,(%rbx)", FL_NONE)       \
	M(X, seg_ss, "36 01 /r ADD SS:r/m32,r32", ".byte 0x36; addl %ecx,(%rbx)", FL_ARITH)      \
	M(X, seg_cs, "2E 8B /r MOV r32,CS:r/m32", ".byte 0x2e; movl (%rbx),%ecx", FL_NONE)       \
	X(seg_fs, "64 8B /r MOV r32,FS:r/m32 (FS base 0x10000)", "movl %fs:(%rbx),%ecx",         \
	  FL_NONE, 0, 1, W_PLAIN, C_FSBASE, PFS(RBX, 0, 0x40))                                   \
	X(seg_fs_w, "64 REX.W 01 /r ADD FS:r/m64,r64 (FS base 0x10000)", "addq %rcx,%fs:(%rbx)", \
	  FL_ARITH, 0, 1, W_PLAIN, C_FSBASE, PFS(RBX, 0, 0x40))                                  \
	X(seg_gs, "65 REX.W 89 /r MOV GS:r/m64,r64 (GS base 0x30000)", "movq %rcx,%gs:(%rbx)",  \
	  FL_NONE, 0, 1, W_PLAIN, C_GSBASE, PGS(RBX, 0, 0x40))                                   \
	M(X, seg_two, "2E 3E 66 8B /r MOV r16,r/m16 (two segment prefixes)",                    \
	  ".byte 0x2e, 0x3e, 0x66, 0x8b, 0x0b", FL_NONE)                                         \
	/* accesses that cross qword/dword boundaries inside the page */                         \
	X(cross_ld64, "REX.W 8B /r MOV r64,m64 crossing a qword boundary (offset 0x3d)",         \
	  "movq (%rbx),%rcx", FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x3d))                        \
	X(cross_st64, "REX.W 89 /r MOV m64,r64 crossing a qword boundary (offset 0x3b)",         \
	  "movq %rcx,(%rbx)", FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x3b))                        \
	X(cross_add32, "01 /r ADD m32,r32 crossing a qword boundary (offset 0x3e)",              \
	  "addl %ecx,(%rbx)", FL_ARITH, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x3e))                       \
	X(cross_c7_16, "66 C7 /0 MOV m16,imm16 at an odd offset", "movw $0x1234,(%rbx)",         \
	  FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x41))                                            \
	X(cross_xchg, "REX.W 87 /r XCHG m64,r64 crossing a qword boundary (offset 0x44)",        \
	  "xchgq %rcx,(%rbx)", FL_NONE, 0, 1, W_PLAIN, 0, P(RBX, 0, 0x44))                       \
	/* group-1 ALU */                                                                        \
	ALU(X, add, "ADD", "00", "01", "02", "03", "0", FL_ARITH)                                \
	ALU(X, or, "OR", "08", "09", "0A", "0B", "1", FL_LOGIC)                                  \
	ALU(X, adc, "ADC", "10", "11", "12", "13", "2", FL_ARITH)                                \
	ALU(X, sbb, "SBB", "18", "19", "1A", "1B", "3", FL_ARITH)                                \
	ALU(X, and, "AND", "20", "21", "22", "23", "4", FL_LOGIC)                                \
	ALU(X, sub, "SUB", "28", "29", "2A", "2B", "5", FL_ARITH)                                \
	ALU(X, xor, "XOR", "30", "31", "32", "33", "6", FL_LOGIC)                                \
	ALU(X, cmp, "CMP", "38", "39", "3A", "3B", "7", FL_ARITH)                                \
	M(X, add_ah, "00 /r ADD r/m8,AH (high byte source)", "addb %ah,(%rbx)", FL_ARITH)        \
	M(X, cmp_ch, "3A /r CMP CH,r/m8 (high byte)", "cmpb (%rbx),%ch", FL_ARITH)               \
	MS(X, sub_bh, "2A /r SUB BH,r/m8 (high byte destination)", "subb (%rsi),%bh", FL_ARITH) \
	MS(X, and_bh, "22 /r AND BH,r/m8 (high byte destination)", "andb (%rsi),%bh", FL_LOGIC) \
	M(X, adc_r14, "REX.WR 13 /r ADC R14,r/m64", "adcq (%rbx),%r14", FL_ARITH)                \
	M(X, lock_add, "F0 01 /r LOCK ADD m32,r32", "lock addl %ecx,(%rbx)", FL_ARITH)           \
	M(X, lock_or8, "F0 80 /1 LOCK OR m8,imm8", "lock orb $0x81,(%rbx)", FL_LOGIC)            \
	/* TEST */                                                                               \
	M(X, test_84, "84 /r TEST r/m8,r8", "testb %cl,(%rbx)", FL_LOGIC)                        \
	M(X, test_84_dh, "84 /r TEST r/m8,DH (high byte)", "testb %dh,(%rbx)", FL_LOGIC)         \
	M(X, test_85_16, "66 85 /r TEST r/m16,r16", "testw %cx,(%rbx)", FL_LOGIC)                \
	M(X, test_85_32, "85 /r TEST r/m32,r32", "testl %ecx,(%rbx)", FL_LOGIC)                  \
	M(X, test_85_64, "REX.W 85 /r TEST r/m64,r64", "testq %rcx,(%rbx)", FL_LOGIC)            \
	M(X, test_f6, "F6 /0 ib TEST r/m8,imm8", "testb $0x81,(%rbx)", FL_LOGIC)                 \
	M(X, test_f7_16, "66 F7 /0 iw TEST r/m16,imm16", "testw $0x8001,(%rbx)", FL_LOGIC)       \
	M(X, test_f7_32, "F7 /0 id TEST r/m32,imm32", "testl $0x80000001,(%rbx)", FL_LOGIC)      \
	M(X, test_f7_64, "REX.W F7 /0 id TEST r/m64,imm32", "testq $-2,(%rbx)", FL_LOGIC)        \
	/* XCHG */                                                                               \
	M(X, xchg_86, "86 /r XCHG r/m8,r8", "xchgb %cl,(%rbx)", FL_NONE)                         \
	M(X, xchg_86_ah, "86 /r XCHG r/m8,AH (high byte)", "xchgb %ah,(%rbx)", FL_NONE)          \
	M(X, xchg_87_16, "66 87 /r XCHG r/m16,r16", "xchgw %cx,(%rbx)", FL_NONE)                 \
	M(X, xchg_87_32, "87 /r XCHG r/m32,r32", "xchgl %ecx,(%rbx)", FL_NONE)                   \
	M(X, xchg_87_64, "REX.W 87 /r XCHG r/m64,r64", "xchgq %rcx,(%rbx)", FL_NONE)             \
	M(X, xchg_87_r9, "REX.R 87 /r XCHG r/m32,R9D", "xchgl (%rbx),%r9d", FL_NONE)             \
	M(X, xchg_lock, "F0 REX.W 87 /r LOCK XCHG r/m64,r64", "lock xchgq %rdx,(%rbx)", FL_NONE) \
	/* NOT NEG INC DEC */                                                                    \
	M(X, not8, "F6 /2 NOT r/m8", "notb (%rbx)", FL_NONE)                                     \
	M(X, not16, "66 F7 /2 NOT r/m16", "notw (%rbx)", FL_NONE)                                \
	M(X, not32, "F7 /2 NOT r/m32", "notl (%rbx)", FL_NONE)                                   \
	M(X, not64, "REX.W F7 /2 NOT r/m64", "notq (%rbx)", FL_NONE)                             \
	M(X, neg8, "F6 /3 NEG r/m8", "negb (%rbx)", FL_ARITH)                                    \
	M(X, neg16, "66 F7 /3 NEG r/m16", "negw (%rbx)", FL_ARITH)                               \
	M(X, neg32, "F7 /3 NEG r/m32", "negl (%rbx)", FL_ARITH)                                  \
	M(X, neg64, "REX.W F7 /3 NEG r/m64", "negq (%rbx)", FL_ARITH)                            \
	M(X, inc8, "FE /0 INC r/m8", "incb (%rbx)", FL_ARITH)                                    \
	M(X, inc16, "66 FF /0 INC r/m16", "incw (%rbx)", FL_ARITH)                               \
	M(X, inc32, "FF /0 INC r/m32", "incl (%rbx)", FL_ARITH)                                  \
	M(X, inc64, "REX.W FF /0 INC r/m64", "incq (%rbx)", FL_ARITH)                            \
	M(X, dec8, "FE /1 DEC r/m8", "decb (%rbx)", FL_ARITH)                                    \
	M(X, dec16, "66 FF /1 DEC r/m16", "decw (%rbx)", FL_ARITH)                               \
	M(X, dec32, "FF /1 DEC r/m32", "decl (%rbx)", FL_ARITH)                                  \
	M(X, dec64, "REX.W FF /1 DEC r/m64", "decq (%rbx)", FL_ARITH)                            \
	M(X, lock_dec, "F0 REX.W FF /1 LOCK DEC r/m64", "lock decq (%rbx)", FL_ARITH)            \
	/* BT BTS BTR BTC, register bit offsets (signed, may leave the operand) */              \
	M(X, bt_r16, "66 0F A3 /r BT m16,r16 (offset 0x23: word +4)", "btw %cx,(%rbx)", FL_BT,   \
	  V(RCX, 0xabcd00000023ull))                                                             \
	M(X, bts_r16, "66 0F AB /r BTS m16,r16 (offset -13: word -2)", "btsw %cx,(%rbx)", FL_BT, \
	  V(RCX, 0x1234fff3))                                                                    \
	M(X, btr_r16, "66 0F B3 /r BTR m16,r16 (offset 5)", "btrw %cx,(%rbx)", FL_BT, V(RCX, 5)) \
	M(X, btc_r16, "66 0F BB /r BTC m16,r16 (offset 40: word +4)", "btcw %cx,(%rbx)", FL_BT,  \
	  V(RCX, 40))                                                                            \
	M(X, bt_r32, "0F A3 /r BT m32,r32 (offset 13)", "btl %ecx,(%rbx)", FL_BT, V(RCX, 13))    \
	M(X, bts_r32, "0F AB /r BTS m32,r32 (offset 77: dword +8)", "btsl %ecx,(%rbx)", FL_BT,   \
	  V(RCX, 77))                                                                            \
	M(X, btr_r32, "0F B3 /r BTR m32,r32 (offset -9: dword -4)", "btrl %ecx,(%rbx)", FL_BT,   \
	  V(RCX, 0x12345678fffffff7ull))                                                         \
	M(X, btc_r32, "0F BB /r BTC m32,r32 (offset 100: dword +12)", "btcl %ecx,(%rbx)", FL_BT, \
	  V(RCX, 100))                                                                           \
	M(X, bt_r64, "REX.W 0F A3 /r BT m64,r64 (offset -70: qword -16)", "btq %rcx,(%rbx)",     \
	  FL_BT, V(RCX, -70))                                                                    \
	M(X, bts_r64, "REX.W 0F AB /r BTS m64,r64 (offset 130: qword +16)", "btsq %rcx,(%rbx)",  \
	  FL_BT, V(RCX, 130))                                                                    \
	M(X, btr_r64, "REX.W 0F B3 /r BTR m64,r64 (offset 63)", "btrq %rcx,(%rbx)", FL_BT,       \
	  V(RCX, 63))                                                                            \
	M(X, btc_r64, "REX.W 0F BB /r BTC m64,r64 (offset -1: qword -8)", "btcq %rcx,(%rbx)",    \
	  FL_BT, V(RCX, -1))                                                                     \
	/* ... and immediate ones (taken modulo the operand size) */                             \
	M(X, bt_i16, "66 0F BA /4 ib BT m16,imm8 (17)", "btw $17,(%rbx)", FL_BT)                 \
	M(X, bts_i16, "66 0F BA /5 ib BTS m16,imm8 (15)", "btsw $15,(%rbx)", FL_BT)              \
	M(X, btr_i16, "66 0F BA /6 ib BTR m16,imm8 (3)", "btrw $3,(%rbx)", FL_BT)                \
	M(X, btc_i16, "66 0F BA /7 ib BTC m16,imm8 (200)", "btcw $200,(%rbx)", FL_BT)            \
	M(X, bt_i32, "0F BA /4 ib BT m32,imm8 (35)", "btl $35,(%rbx)", FL_BT)                    \
	M(X, bts_i32, "0F BA /5 ib BTS m32,imm8 (0)", "btsl $0,(%rbx)", FL_BT)                   \
	M(X, btr_i32, "0F BA /6 ib BTR m32,imm8 (31)", "btrl $31,(%rbx)", FL_BT)                 \
	M(X, btc_i32, "0F BA /7 ib BTC m32,imm8 (9)", "btcl $9,(%rbx)", FL_BT)                   \
	M(X, bt_i64, "REX.W 0F BA /4 ib BT m64,imm8 (63)", "btq $63,(%rbx)", FL_BT)              \
	M(X, bts_i64, "REX.W 0F BA /5 ib BTS m64,imm8 (70)", "btsq $70,(%rbx)", FL_BT)           \
	M(X, btr_i64, "REX.W 0F BA /6 ib BTR m64,imm8 (33)", "btrq $33,(%rbx)", FL_BT)           \
	M(X, btc_i64, "REX.W 0F BA /7 ib BTC m64,imm8 (255)", "btcq $255,(%rbx)", FL_BT)         \
	M(X, lock_bts, "F0 0F BA /5 ib LOCK BTS m32,imm8", "lock btsl $5,(%rbx)", FL_BT)         \
	/* MOVS: MMIO->RAM, RAM->MMIO, MMIO->MMIO; DF up and down */                             \
	S(X, movsb_1, "A4 MOVS m8,m8 (MMIO to RAM)", "movsb", FL_NONE, 0, 1, NOCNT)              \
	S(X, movsb_2, "A4 MOVS m8,m8 (RAM to MMIO)", "movsb", FL_NONE, 0, 2, NOCNT)              \
	S(X, movsw_3, "66 A5 MOVS m16,m16 (MMIO to MMIO)", "movsw", FL_NONE, 0, 3, NOCNT)        \
	S(X, movsd_1, "A5 MOVS m32,m32 (MMIO to RAM, DF=1)", "movsl", FL_NONE, DF, 1, NOCNT)     \
	S(X, movsq_2, "REX.W A5 MOVS m64,m64 (RAM to MMIO)", "movsq", FL_NONE, 0, 2, NOCNT)      \
	S(X, rep_movsb_1, "F3 A4 REP MOVS m8,m8 (7, MMIO to RAM)", "rep movsb", FL_NONE, 0, 1,   \
	  7)                                                                                     \
	S(X, rep_movsb_2d, "F3 A4 REP MOVS m8,m8 (7, RAM to MMIO, DF=1)", "rep movsb", FL_NONE,  \
	  DF, 2, 7)                                                                              \
	S(X, rep_movsb_3, "F3 A4 REP MOVS m8,m8 (9, MMIO to MMIO)", "rep movsb", FL_NONE, 0, 3,  \
	  9)                                                                                     \
	S(X, rep_movsw_2, "F3 66 A5 REP MOVS m16,m16 (5, RAM to MMIO)", "rep movsw", FL_NONE, 0, \
	  2, 5)                                                                                  \
	S(X, rep_movsd_1d, "F3 A5 REP MOVS m32,m32 (6, MMIO to RAM, DF=1)", "rep movsl",         \
	  FL_NONE, DF, 1, 6)                                                                     \
	S(X, rep_movsq_3, "F3 REX.W A5 REP MOVS m64,m64 (5, MMIO to MMIO)", "rep movsq",         \
	  FL_NONE, 0, 3, 5)                                                                      \
	S(X, rep_movsq_3d, "F3 REX.W A5 REP MOVS m64,m64 (5, MMIO to MMIO, DF=1)", "rep movsq",  \
	  FL_NONE, DF, 3, 5)                                                                     \
	X(rep_movs_0, "F3 A5 REP MOVS m32,m32 (RCX 0: nothing)", "rep movsl", FL_NONE, 0, 3,     \
	  W_PLAIN, C_NOACCESS, P(RSI, 0, 0x40), P(RDI, 1, 0x40), V(RCX, 0))                      \
	X(rep_movsb_a32, "67 F3 A4 REP MOVS m8,m8 (address size 32: ESI EDI ECX=3)",             \
	  ".byte 0x67, 0xf3, 0xa4", FL_NONE, 0, 3, W_PLAIN, 0,                                   \
	  PH(RSI, 0, 0x40, 0xdead00000000ull), PH(RDI, 1, 0x40, 0xbeef00000000ull),              \
	  V(RCX, 0xffffffff00000003ull))                                                         \
	X(movsb_fs, "64 A4 MOVS m8,FS:m8 (FS base 0x10000, MMIO to RAM)",                        \
	  "movsb %fs:(%rsi),%es:(%rdi)", FL_NONE, 0, 1, W_PLAIN, C_FSBASE, PFS(RSI, 0, 0x40),    \
	  P(RDI, 1, 0x40))                                                                       \
	X(rep_movsd_gs, "65 F3 A5 REP MOVS m32,GS:m32 (4, GS base 0x30000, RAM to MMIO)",        \
	  "rep movsl %gs:(%rsi),%es:(%rdi)", FL_NONE, 0, 2, W_PLAIN, C_GSBASE,                   \
	  PGS(RSI, 0, 0x40), P(RDI, 1, 0x40), V(RCX, 4))                                         \
	/* STOS */                                                                               \
	SD(X, stosb, "AA STOS m8", "stosb", FL_NONE, 0, NOCNT)                                   \
	SD(X, stosw, "66 AB STOS m16 (DF=1)", "stosw", FL_NONE, DF, NOCNT)                       \
	SD(X, stosd, "AB STOS m32", "stosl", FL_NONE, 0, NOCNT)                                  \
	SD(X, stosq, "REX.W AB STOS m64", "stosq", FL_NONE, 0, NOCNT)                            \
	SD(X, rep_stosb, "F3 AA REP STOS m8 (9)", "rep stosb", FL_NONE, 0, 9)                    \
	SD(X, rep_stosd_d, "F3 AB REP STOS m32 (4, DF=1)", "rep stosl", FL_NONE, DF, 4)          \
	SD(X, rep_stosq, "F3 REX.W AB REP STOS m64 (3)", "rep stosq", FL_NONE, 0, 3)             \
	SD(X, repne_stosw, "F2 66 AB REPNE STOS m16 (3; F2 acts as REP)", ".byte 0xf2, 0x66, 0xab", \
	   FL_NONE, 0, 3)                                                                        \
	/* LODS */                                                                               \
	MS(X, lodsb, "AC LODS m8", "lodsb", FL_NONE)                                             \
	MS(X, lodsw, "66 AD LODS m16", "lodsw", FL_NONE)                                         \
	MS(X, lodsd, "AD LODS m32 (zero-extends)", "lodsl", FL_NONE)                             \
	X(lodsq_d, "REX.W AD LODS m64 (DF=1)", "lodsq", FL_NONE, DF, 1, W_PLAIN, 0,              \
	  P(RSI, 0, 0x40))                                                                       \
	MS(X, rep_lodsb, "F3 AC REP LODS m8 (3)", "rep lodsb", FL_NONE, V(RCX, 3))               \
	X(lodsb_fs, "64 AC LODS FS:m8 (FS base 0x10000)", "lodsb %fs:(%rsi),%al", FL_NONE, 0, 1, \
	  W_PLAIN, C_FSBASE, PFS(RSI, 0, 0x40))                                                  \
	X(cmpsd_fs, "64 A7 CMPS FS:m32,m32 (FS base 0x10000, MMIO, MMIO)",                       \
	  "cmpsl %es:(%rdi),%fs:(%rsi)", FL_ARITH, 0, 3, W_PLAIN, C_FSBASE, PFS(RSI, 0, 0x40),   \
	  P(RDI, 1, 0x40))                                                                       \
	X(rep_lodsw_d, "F3 66 AD REP LODS m16 (4, DF=1)", "rep lodsw", FL_NONE, DF, 1, W_PLAIN,  \
	  0, P(RSI, 0, 0x40), V(RCX, 4))                                                         \
	/* CMPS */                                                                               \
	S(X, cmpsb_1, "A6 CMPS m8,m8 (MMIO, RAM)", "cmpsb", FL_ARITH, 0, 1, NOCNT)               \
	S(X, cmpsq_2, "REX.W A7 CMPS m64,m64 (RAM, MMIO)", "cmpsq", FL_ARITH, 0, 2, NOCNT)       \
	S(X, cmpsw_3d, "66 A7 CMPS m16,m16 (MMIO, MMIO, DF=1)", "cmpsw", FL_ARITH, DF, 3, NOCNT) \
	S(X, repe_cmpsb_3, "F3 A6 REPE CMPS m8,m8 (8, MMIO, MMIO)", "repe cmpsb", FL_ARITH, 0,   \
	  3, 8)                                                                                  \
	S(X, repne_cmpsb_1, "F2 A6 REPNE CMPS m8,m8 (8, MMIO, RAM)", "repne cmpsb", FL_ARITH, 0, \
	  1, 8)                                                                                  \
	S(X, repe_cmpsd_2d, "F3 A7 REPE CMPS m32,m32 (5, RAM, MMIO, DF=1)", "repe cmpsl",        \
	  FL_ARITH, DF, 2, 5)                                                                    \
	S(X, repne_cmpsw_3, "F2 66 A7 REPNE CMPS m16,m16 (5, MMIO, MMIO)", "repne cmpsw",        \
	  FL_ARITH, 0, 3, 5)                                                                     \
	S(X, repe_cmpsq_1d, "F3 REX.W A7 REPE CMPS m64,m64 (4, MMIO, RAM, DF=1)", "repe cmpsq",  \
	  FL_ARITH, DF, 1, 4)                                                                    \
	/* SCAS */                                                                               \
	SD(X, scasb, "AE SCAS m8", "scasb", FL_ARITH, 0, NOCNT)                                  \
	SD(X, scasw, "66 AF SCAS m16", "scasw", FL_ARITH, 0, NOCNT)                              \
	SD(X, scasd_d, "AF SCAS m32 (DF=1)", "scasl", FL_ARITH, DF, NOCNT)                       \
	SD(X, scasq, "REX.W AF SCAS m64", "scasq", FL_ARITH, 0, NOCNT)                           \
	SD(X, repe_scasb, "F3 AE REPE SCAS m8 (8)", "repe scasb", FL_ARITH, 0, 8)                \
	SD(X, repne_scasb, "F2 AE REPNE SCAS m8 (8)", "repne scasb", FL_ARITH, 0, 8)             \
	SD(X, repe_scasw_d, "F3 66 AF REPE SCAS m16 (5, DF=1)", "repe scasw", FL_ARITH, DF, 5)   \
	SD(X, repne_scasq_d, "F2 REX.W AF REPNE SCAS m64 (4, DF=1)", "repne scasq", FL_ARITH,    \
	   DF, 4)                                                                                \
	/* the deferring qword at 0xF00 (region 0 = 0xEF8: 8 scratch bytes first) */             \
	D(X, defer_st, "REX.W 89 /r MOV m64,r64 (deferring register: queued write)",             \
	  "movq %rcx,8(%rbx)", FL_NONE)                                                          \
	D(X, defer_ld, "REX.W 8B /r MOV r64,m64 (deferring register: retried read)",             \
	  "movq 8(%rbx),%rcx", FL_NONE)                                                          \
	D(X, defer_add, "REX.W 01 /r ADD m64,r64 (deferring register)", "addq %rcx,8(%rbx)",     \
	  FL_ARITH)                                                                              \
	D(X, defer_xchg, "87 /r XCHG m32,r32 (deferring register)", "xchgl %ecx,12(%rbx)",       \
	  FL_NONE)                                                                               \
	D(X, defer_ld_x, "REX.W 8B /r MOV r64,m64 straddling scratch and deferring register",    \
	  "movq 4(%rbx),%rcx", FL_NONE)                                                          \
	D(X, defer_st_x, "REX.W 89 /r MOV m64,r64 straddling scratch and deferring register",    \
	  "movq %rcx,4(%rbx)", FL_NONE)                                                          \
	D(X, defer_btc, "0F BA /7 ib BTC m32,imm8 (deferring register)", "btcl $7,8(%rbx)",      \
	  FL_BT)                                                                                 \
	X(defer_rep_stos, "F3 AB REP STOS m32 (4, over scratch and deferring register)",         \
	  "rep stosl", FL_NONE, 0, 1, W_DEFER, 0, P(RDI, 0, 0), V(RCX, 4))                       \
	X(defer_movs, "REX.W A5 MOVS m64,m64 (deferring register to RAM)", "movsq", FL_NONE, 0,  \
	  1, W_DEFER, 0, P(RSI, 0, 8), P(RDI, 1, 0x40))                                          \
	/* straddling the end of a RAM page into the MMIO page (alias window) */                 \
	ST(X, strad_ld, "REX.W 8B /r MOV r64,m64 straddling RAM page end and MMIO page",         \
	   "movq (%rbx),%rcx", FL_NONE, 0x3c)                                                    \
	ST(X, strad_st, "REX.W 89 /r MOV m64,r64 straddling RAM page end and MMIO page",         \
	   "movq %rcx,(%rbx)", FL_NONE, 0x3a)                                                    \
	ST(X, strad_add, "01 /r ADD m32,r32 straddling RAM page end and MMIO page",              \
	   "addl %ecx,(%rbx)", FL_ARITH, 0x3e)                                                   \
	ST(X, strad_xchg, "66 87 /r XCHG m16,r16 straddling RAM page end and MMIO page",         \
	   "xchgw %cx,(%rbx)", FL_NONE, 0x3f)                                                    \
	ST(X, strad_bts, "REX.W 0F AB /r BTS m64,r64 straddling (offset 70: qword +8)",          \
	   "btsq %rdx,(%rbx)", FL_BT, 0x34, V(RDX, 70))                                          \
	X(strad_rep_movsb, "F3 A4 REP MOVS m8,m8 (12, source across RAM page end into MMIO)",    \
	  "rep movsb", FL_NONE, 0, 1, W_STRADDLE, 0, P(RSI, 0, 0x3a), P(RDI, 1, 0x40),           \
	  V(RCX, 12))                                                                            \
	X(strad_rep_stosw_d, "F3 66 AB REP STOS m16 (6, DF=1, from MMIO back into RAM)",          \
	  "rep stosw", FL_NONE, DF, 1, W_STRADDLE, 0, P(RDI, 0, 0x44), V(RCX, 6))                \
	X(strad_repe_cmpsd, "F3 A7 REPE CMPS m32,m32 (4, first one straddling RAM and MMIO)",        \
	  "repe cmpsl", FL_ARITH, 0, 1, W_STRADDLE, 0, P(RSI, 0, 0x3e), P(RDI, 1, 0x40),         \
	  V(RCX, 4))

CASES(SNIP)

static const struct tcase cases[] = { CASES(ENTRY) };

void run_snippet_cases(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}
