/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdbool.h>
#include <stdint.h>
#include "idt.h"
#include "hv/string.h"
#include "hv/x86/descriptor.h"

/* 256 gates of 16 bytes (SDM Vol. 3A §6.14.1). */
static uint8_t idt[256 * 16] __attribute__((aligned(16)));
static struct dtr firmware;
static bool loaded;

void guest_idt_set(unsigned vector, void (*handler)(void))
{
	guest_idt_set_dpl(vector, handler, 0);
}

void guest_idt_set_dpl(unsigned vector, void (*handler)(void), unsigned dpl)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	if (!loaded) {
		__asm__ volatile("sidt %0" : "=m"(firmware));
		memcpy(idt, (const void *)firmware.base,
		       firmware.limit + 1u < sizeof(idt) ? firmware.limit + 1u : sizeof(idt));
	}
	uint64_t h = (uint64_t)handler;
	/* A 64-bit interrupt gate: present, the DPL, IST 0 (Figure 6-8). */
	uint8_t gate[16] = {
		(uint8_t)h, (uint8_t)(h >> 8), (uint8_t)cs, (uint8_t)(cs >> 8),
		0, (uint8_t)(0x8E | (dpl & 3) << 5),
		(uint8_t)(h >> 16), (uint8_t)(h >> 24),
		(uint8_t)(h >> 32), (uint8_t)(h >> 40), (uint8_t)(h >> 48), (uint8_t)(h >> 56),
	};
	memcpy(idt + vector * 16, gate, sizeof(gate));
	if (!loaded) {
		struct dtr mine = { sizeof(idt) - 1, (uint64_t)idt };
		__asm__ volatile("lidt %0" ::"m"(mine));
		loaded = true;
	}
}

void guest_idt_restore(void)
{
	if (loaded)
		__asm__ volatile("lidt %0" ::"m"(firmware));
	loaded = false;
}
