/* SPDX-License-Identifier: GPL-2.0-only */
/* The AP restart test's real-mode program (aps.c copies it to a page below
 * 1 MiB; a SIPI starts an AP at its first byte, CS = page >> 4, IP = 0: SDM
 * Vol. 3A §9.4.4.1). All addresses are page-relative: DS = CS.
 *
 * Phase 1: interrupts on, with the local APIC as INIT left it: software-
 * disabled, its IRR, ISR and LVTs reset (SDM Vol. 3A §11.4.7.3). Nothing may
 * arrive; any interrupt or exception goes through the private IVT to a stub
 * that counts it. Phase 2: the AP enables its APIC and takes the fixed IPIs the
 * BSP sends on vector 0x41, then masks interrupts and halts, and the BSP sends
 * one more IPI that stays pending in its IRR until the next INIT clears it.
 * Before phase 1, in real mode, the AP reads IA32_VMX_BASIC: a CPU without VMX
 * (and so a guest of iomvisor, which hides it) raises #GP, whose real-mode
 * frame has no error code (SDM Vol. 3A §20.1.4: IP, CS, FLAGS); the #GP stub
 * checks the frame and steps over the RDMSR.
 * The APIC is reached through FS in unreal mode (a flat 4-GiB limit kept from
 * a moment in protected mode: SDM Vol. 3A §9.9.2). */
	.code16
	.text
	.globl ap_tramp_start, ap_tramp_end, ap_tramp_data, ap_tramp_ivtd, ap_tramp_gdtd
	.globl ap_tramp_gdt, ap_tramp_ivt, ap_tramp_stubs
ap_tramp_start:
	jmp code

	.balign 4
ap_tramp_data: /* struct ap_tramp_data in aps.c */
alive:       .long 0
phase1:      .long 0
apic_on:     .long 0
ipis:        .long 0
ipi_target:  .long 0
masked:      .long 0
unexpected:  .long 0
last_vector: .long 0
apic_base:   .long 0
gp_taken:    .long 0
gp_bad_frame: .long 0

	.balign 4
ap_tramp_ivtd:
	.word 256 * 4 - 1
	.long 0			/* linear address of the IVT, filled in */
	.balign 4
ap_tramp_gdtd:
	.word 16 - 1
	.long 0			/* linear address of the GDT, filled in */
	.balign 8
ap_tramp_gdt:
	.quad 0
	.quad 0x00CF92000000FFFF /* flat data: base 0, 4 GiB, writable */

code:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $0xff0, %sp
	lidt ap_tramp_ivtd - ap_tramp_start
	lgdt ap_tramp_gdtd - ap_tramp_start
	mov %cr0, %eax
	or $1, %al
	mov %eax, %cr0
	mov $8, %bx
	mov %bx, %fs
	and $0xfe, %al
	mov %eax, %cr0
	xor %bx, %bx
	mov %bx, %fs
	lock incl alive - ap_tramp_start

	/* Real mode, stack empty at 0xff0: RDMSR IA32_VMX_BASIC (0F 32). */
	movl $0x480, %ecx
	rdmsr

	/* Phase 1: one instruction after STI, a pending interrupt is taken. */
	sti
	nop
	nop
	movl $1, phase1 - ap_tramp_start
	cli

	/* Phase 2: spurious vector 0xFF, APIC software-enabled (SVR bit 8). */
	movl apic_base - ap_tramp_start, %ebx
	movl $0x1ff, %fs:0xf0(%ebx)
	movl $1, apic_on - ap_tramp_start
	sti
1:	pause
	movl ipis - ap_tramp_start, %eax
	cmpl ipi_target - ap_tramp_start, %eax
	jb 1b
	cli
	movl $1, masked - ap_tramp_start
2:	hlt
	jmp 2b

/* Vector 0x41 once the AP has enabled its APIC is the BSP's IPI: count it,
 * EOI. Anything else is unexpected, and so is 0x41 before that. */
stub_common:
	cmp $13, %al
	je gp_stub
	cmp $0x41, %al
	jne 3f
	cmpl $0, apic_on - ap_tramp_start
	je 3f
	lock incl ipis - ap_tramp_start
	push %ebx
	movl apic_base - ap_tramp_start, %ebx
	movl $0, %fs:0xb0(%ebx)
	pop %ebx
	pop %ax
	iret
3:	lock incl unexpected - ap_tramp_start
	movb %al, last_vector - ap_tramp_start
	pop %ax
	iret

/* #GP from the RDMSR: the stack holds AX (the stub's) over IP, CS, FLAGS,
 * so SP is 0xff0 - 8; an error code would make it 0xff0 - 10. */
gp_stub:
	cmp $0xff0 - 8, %sp
	jne 4f
	lock incl gp_taken - ap_tramp_start
	push %bp
	mov %sp, %bp
	addw $2, 4(%bp)		/* the saved IP: past the 2-byte RDMSR */
	pop %bp
	pop %ax
	iret
4:	movl $1, gp_bad_frame - ap_tramp_start
5:	cli
	hlt
	jmp 5b

	.balign 4
ap_tramp_ivt:
	.fill 256, 4, 0		/* far pointers to the stubs, filled in */

/* One 8-byte stub per vector: the vector into AL, then the common part. */
	.balign 8
ap_tramp_stubs:
	.set vec, 0
	.rept 256
	.balign 8
	push %ax
	mov $vec, %al
	jmp stub_common
	.set vec, vec + 1
	.endr
ap_tramp_end:
	.code64
	.section .note.GNU-stack, "", @progbits
