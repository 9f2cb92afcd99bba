#include <stdint.h>
#include "trap.h"
#include "hv/string.h"

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* 256 gates of 16 bytes (SDM Vol. 3A §6.14.1). */
static uint8_t idt[256 * 16] __attribute__((aligned(16)));

/* trap_entry.S */
bool guest_try(void (*fn)(void));
extern char guest_ud_handler[], guest_gp_handler[];

static bool raises(unsigned vector, const char *handler, void (*fn)(void))
{
	struct dtr old, mine;
	uint16_t cs;

	__asm__ volatile("sidt %0" : "=m"(old));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	__asm__ volatile("cli" ::: "memory");
	memcpy(idt, (const void *)old.base, old.limit + 1u < sizeof(idt) ? old.limit + 1u : sizeof(idt));
	uint64_t h = (uint64_t)handler;
	uint8_t *g = idt + vector * 16;
	uint8_t gate[16] = {
		(uint8_t)h, (uint8_t)(h >> 8), (uint8_t)cs, (uint8_t)(cs >> 8),
		0, 0x8E, /* IST 0; present, DPL 0, 64-bit interrupt gate */
		(uint8_t)(h >> 16), (uint8_t)(h >> 24),
		(uint8_t)(h >> 32), (uint8_t)(h >> 40), (uint8_t)(h >> 48), (uint8_t)(h >> 56),
	};
	memcpy(g, gate, sizeof(gate));
	mine = (struct dtr){ sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(mine));
	bool hit = guest_try(fn);
	__asm__ volatile("lidt %0" ::"m"(old));
	__asm__ volatile("sti" ::: "memory");
	return hit;
}

bool guest_raises_ud(void (*fn)(void))
{
	return raises(6, guest_ud_handler, fn);
}

bool guest_raises_gp(void (*fn)(void))
{
	return raises(13, guest_gp_handler, fn);
}
