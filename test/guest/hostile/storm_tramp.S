/* SPDX-License-Identifier: GPL-2.0-only */
/* What an AP runs between the INIT/SIPI storms (storm.c copies it to a page
 * of its own below 1 MiB; a SIPI starts the AP at the first byte, CS = page >>
 * 4, IP = 0: SDM Vol. 3A §9.4.4.1). It counts its start, then loops on exits:
 * an IN from the test device's port (trapped by the hypervisor) and a CPUID,
 * counting rounds, so most INITs reach it in the middle of an exit. INIT
 * leaves interrupts off (RFLAGS = 2: SDM Vol. 3A §9.1.1, Table 9-1), and
 * nothing here turns them on. */
	.code16
	.text
	.globl storm_tramp_start, storm_tramp_end, storm_tramp_data
storm_tramp_start:
	jmp code

	.balign 4
storm_tramp_data: /* struct storm_tramp_data in storm.c */
starts: .long 0
rounds: .long 0
port:   .long 0

code:
	cli
	mov %cs, %ax
	mov %ax, %ds
	lock incl starts - storm_tramp_start
1:	movw port - storm_tramp_start, %dx
	inb %dx, %al
	xorl %eax, %eax
	cpuid
	lock incl rounds - storm_tramp_start
	jmp 1b
storm_tramp_end:
