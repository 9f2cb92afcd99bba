/* SPDX-License-Identifier: GPL-2.0-only */
/* A private IDT for a test that needs its own handler on some vector: a copy of
 * the firmware's IDT with the test's gates, loaded until guest_idt_restore(). */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

/* Points vector at handler (an assembly entry ending in IRETQ) in the private
 * IDT, copying the firmware's and loading the private one on first use. */
void guest_idt_set(unsigned vector, void (*handler)(void));
/* The same with the gate's DPL: 3 lets user mode reach it with INT n
 * (SDM Vol. 3A §6.12.1.1). */
void guest_idt_set_dpl(unsigned vector, void (*handler)(void), unsigned dpl);
/* Loads the firmware's IDT again. */
void guest_idt_restore(void);

#endif
