#include <stdint.h>
#include "trap.h"
#include "hv/string.h"

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* 256 gates of 16 bytes (SDM Vol. 3A §6.14.1). */
static uint8_t idt[256 * 16] __attribute__((aligned(16)));
static struct dtr firmware_idt;
static uint64_t firmware_rflags;

/* trap_entry.S: guest_try(fn) runs fn and returns the vector it raised or -1;
 * trap_stubs holds 32 handlers of TRAP_STUB_SIZE bytes, one per vector. */
int guest_try(void (*fn)(void));
extern char trap_stubs[];
#define TRAP_STUB_SIZE 16
#define EXCEPTION_VECTORS 32

void trap_begin(void)
{
	uint16_t cs;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(firmware_rflags) : : "memory");
	__asm__ volatile("sidt %0" : "=m"(firmware_idt));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	/* Interrupt vectors keep the firmware's handlers. */
	memcpy(idt, (const void *)firmware_idt.base,
	       firmware_idt.limit + 1u < sizeof(idt) ? firmware_idt.limit + 1u : sizeof(idt));
	for (unsigned v = 0; v < EXCEPTION_VECTORS; v++) {
		uint64_t h = (uint64_t)(trap_stubs + v * TRAP_STUB_SIZE);
		uint8_t gate[16] = {
			(uint8_t)h, (uint8_t)(h >> 8), (uint8_t)cs, (uint8_t)(cs >> 8),
			0, 0x8E, /* IST 0; present, DPL 0, 64-bit interrupt gate */
			(uint8_t)(h >> 16), (uint8_t)(h >> 24),
			(uint8_t)(h >> 32), (uint8_t)(h >> 40), (uint8_t)(h >> 48), (uint8_t)(h >> 56),
		};
		memcpy(idt + v * 16, gate, sizeof(gate));
	}
	struct dtr mine = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(mine));
}

int trap_run(void (*fn)(void))
{
	return guest_try(fn);
}

void trap_end(void)
{
	__asm__ volatile("lidt %0" ::"m"(firmware_idt));
	if (firmware_rflags & (1u << 9)) /* IF, as trap_begin found it */
		__asm__ volatile("sti" ::: "memory");
}

static int raised(void (*fn)(void))
{
	trap_begin();
	int v = trap_run(fn);
	trap_end();
	return v;
}

bool guest_raises_ud(void (*fn)(void))
{
	return raised(fn) == 6;
}

bool guest_raises_gp(void (*fn)(void))
{
	return raised(fn) == 13;
}
