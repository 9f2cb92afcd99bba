/* SPDX-License-Identifier: GPL-2.0-only */
/* ymm_across_exits(in, out, port, mmio): loads YMM0-15 from in (16 x 32
 * bytes), makes trapped accesses that each exit to the hypervisor, then stores
 * YMM0-15 to out. Between the loads and the stores no instruction here touches
 * a vector register, so out must equal in: whatever differs, an exit path
 * changed. The accesses (ymm.c counts them): the scratch port written and read
 * (OUT, IN), the deferring port written and read, the scratch MMIO qword
 * written and read (the hypervisor's emulator runs both), the deferring MMIO
 * qword read (retried), and CPUID (an exit on every path iomvisor runs).
 * SysV ABI: rdi in, rsi out, edx port, rcx the MMIO page; YMM0-15 are
 * caller-saved, rbx (CPUID's) is restored. */
#include "hv/dev/testdev.h"

/* The scratch MMIO qword: clear of the regions the other cases use (mmiotest.h). */
#define YMM_MMIO_OFF 0x700

	.text
	.globl ymm_across_exits
	.hidden ymm_across_exits
ymm_across_exits:
	push %rbx
	vmovdqu 0x000(%rdi), %ymm0
	vmovdqu 0x020(%rdi), %ymm1
	vmovdqu 0x040(%rdi), %ymm2
	vmovdqu 0x060(%rdi), %ymm3
	vmovdqu 0x080(%rdi), %ymm4
	vmovdqu 0x0a0(%rdi), %ymm5
	vmovdqu 0x0c0(%rdi), %ymm6
	vmovdqu 0x0e0(%rdi), %ymm7
	vmovdqu 0x100(%rdi), %ymm8
	vmovdqu 0x120(%rdi), %ymm9
	vmovdqu 0x140(%rdi), %ymm10
	vmovdqu 0x160(%rdi), %ymm11
	vmovdqu 0x180(%rdi), %ymm12
	vmovdqu 0x1a0(%rdi), %ymm13
	vmovdqu 0x1c0(%rdi), %ymm14
	vmovdqu 0x1e0(%rdi), %ymm15

	mov $0x5aa5c33c, %eax
	out %eax, (%dx)
	in (%dx), %eax
	add $TESTDEV_PORT_DEFER, %dx
	out %eax, (%dx)
	in (%dx), %eax
	mov %rdi, %rax
	mov %rax, YMM_MMIO_OFF(%rcx)
	mov YMM_MMIO_OFF(%rcx), %rax
	mov TESTDEV_MMIO_DEFER(%rcx), %rax
	xor %eax, %eax
	cpuid

	vmovdqu %ymm0, 0x000(%rsi)
	vmovdqu %ymm1, 0x020(%rsi)
	vmovdqu %ymm2, 0x040(%rsi)
	vmovdqu %ymm3, 0x060(%rsi)
	vmovdqu %ymm4, 0x080(%rsi)
	vmovdqu %ymm5, 0x0a0(%rsi)
	vmovdqu %ymm6, 0x0c0(%rsi)
	vmovdqu %ymm7, 0x0e0(%rsi)
	vmovdqu %ymm8, 0x100(%rsi)
	vmovdqu %ymm9, 0x120(%rsi)
	vmovdqu %ymm10, 0x140(%rsi)
	vmovdqu %ymm11, 0x160(%rsi)
	vmovdqu %ymm12, 0x180(%rsi)
	vmovdqu %ymm13, 0x1a0(%rsi)
	vmovdqu %ymm14, 0x1c0(%rsi)
	vmovdqu %ymm15, 0x1e0(%rsi)
	/* Leaves the upper halves clean for the firmware's SSE code (SDM Vol. 1
	 * §14.1.3: mixing dirty upper state and legacy SSE costs). */
	vzeroupper
	pop %rbx
	ret
