/* SPDX-License-Identifier: GPL-2.0-only */
/* Port I/O: IN and OUT of every size, and single-iteration INS/OUTS whose
 * memory operand lies in RAM or on the test MMIO page, on any port but the
 * writes below. Reads are never excluded: on these machines no port acts on a
 * read.
 *
 * Writes left alone, because on the bare machine too they end or break it,
 * which is the guest's right but ends the run, not a hypervisor finding:
 *   0xCF9            reset control (Intel ICH / QEMU q35, PIIX4 in Bochs)
 *   0x64             keyboard controller commands: 0xFE pulses reset, 0xD1
 *                    writes the output port whose bit 0 is reset
 *   0x60             keyboard data: Bochs stops the emulator on a byte its
 *                    keyboard does not model (0xFE, resend)
 *   0x92             System Control Port A: bit 0 fast reset, bit 1 A20
 *                    (A20 off aliases every odd MiB)
 *   0x600-0x67F      q35 ICH9 ACPI PM block (QEMU): PM1 control at 0x604
 *                    (SLP_EN powers off)
 *   0xB000-0xB03F    PIIX4 PM block where OVMF puts it in Bochs (0xB004)
 *   0x4000-0x403F    PIIX4 PM block at the Bochs BIOS's address (0x4004)
 *   0xB2-0xB3        APM control: a write raises an SMI
 *   0xCFC-0xCFF      PCI configuration data: moving a BAR or the q35 host
 *                    bridge's PAM/SMRAM/PCIEXBAR registers can take away the
 *                    RAM the guest runs from (0xCF8, the address, is fuzzed)
 *   0x3F8-0x3FF      the console UART (the hypervisor's; writes only make noise)
 *   0x3F0-0x3F7, 0x1F0-0x1F7, 0x170-0x177, 0x376  floppy and IDE: commands
 *                    that write the boot disk or start ISA DMA into memory
 *   every PCI function's I/O BARs on bus 0 (found at start): bus masters whose
 *                    DMA bypasses the nested page tables (no IOMMU in these
 *                    emulators), so it could reach the hypervisor's memory,
 *                    a known limit, not what this fuzzer tests
 *   0x510-0x51B      QEMU fw_cfg (its DMA interface writes guest memory)
 *   0xF4-0xF7        QEMU isa-debug-exit (ends the emulator)
 *   0x8900, 0x8A00-0x8A01  Bochs shutdown and debugger control
 *   0x400-0x403, 0x500-0x503  Bochs's BIOS and VGA BIOS panic and message
 *                    ports (a write to a panic port stops the emulator)
 *   0xE9             the emulators' debug console (noise on the log)
 *   0x20, 0xA0       the PICs' command ports: Bochs stops the emulator on an
 *                    ICW1 it does not model (single mode, level-triggered),
 *                    which the 8259A accepts
 *   0x40             PIT counter 0: a reload value of a few ticks makes
 *                    QEMU's PIT timer outrun its main loop, which then stops
 *                    the whole emulator (bare too: docs/emulators.md) */
#include "hostile.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "trap.h"

struct port_span {
	uint16_t first, last;
};

static const struct port_span fixed[] = {
	{ 0xCF9, 0xCF9 }, { 0x64, 0x64 },     { 0x60, 0x60 },	  { 0x92, 0x92 },	  { 0x600, 0x67F },
	{ 0xB000, 0xB03F }, { 0x4000, 0x403F }, { 0xB2, 0xB3 },	  { 0xCFC, 0xCFF },
	{ 0x3F8, 0x3FF }, { 0x3F0, 0x3F7 },   { 0x1F0, 0x1F7 },	  { 0x170, 0x177 },
	{ 0x376, 0x376 }, { 0x510, 0x51B },   { 0xF4, 0xF7 },	  { 0x8900, 0x8900 },
	{ 0x8A00, 0x8A01 }, { 0xE9, 0xE9 },   { 0x400, 0x403 },	  { 0x500, 0x503 },
	{ 0x20, 0x20 },	    { 0xA0, 0xA0 },   { 0x40, 0x40 },
};
#define MAX_BARS 48
static struct port_span bars[MAX_BARS];
static unsigned nbars;

/* PCI configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2). */
static uint32_t pci_read(unsigned dev, unsigned fn, unsigned reg)
{
	outl(0xCF8, 0x80000000u | dev << 11 | fn << 8 | reg);
	return inl(0xCFC);
}

void ports_init(void)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint32_t id = pci_read(dev, fn, 0);
			if ((id & 0xFFFF) == 0xFFFF) {
				if (fn == 0)
					break;
				continue;
			}
			/* Header type 0 has six BARs, type 1 (bridges) two. */
			unsigned type = (pci_read(dev, fn, 0x0C) >> 16) & 0x7F;
			unsigned nbar = type == 0 ? 6 : type == 1 ? 2 : 0;
			for (unsigned b = 0; b < nbar && nbars < MAX_BARS; b++) {
				uint32_t bar = pci_read(dev, fn, 0x10 + 4 * b);
				/* Bit 0 set: an I/O BAR; its size would take a
				 * write to learn: 256 ports cover any legacy one. */
				if ((bar & 1) && (bar & ~3u)) {
					uint32_t base = bar & 0xFFFC;
					uint32_t last = base + 0xFF > 0xFFFF ? 0xFFFF : base + 0xFF;
					bars[nbars++] = (struct port_span){ (uint16_t)base, (uint16_t)last };
				}
			}
			if (fn == 0 && !((pci_read(dev, fn, 0x0C) >> 16) & 0x80))
				break; /* not multi-function */
		}
	}
	gprintf("hostile: %u PCI I/O BARs left alone\n", nbars);
	for (unsigned i = 0; i < nbars; i++)
		gprintf("hostile:   ports 0x%x-0x%x\n", bars[i].first, bars[i].last);
}

static bool in_spans(const struct port_span *s, unsigned n, uint16_t port)
{
	for (unsigned i = 0; i < n; i++)
		if (port >= s[i].first && port <= s[i].last)
			return true;
	return false;
}

static bool may_write(uint16_t port, unsigned size)
{
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);
		if (in_spans(fixed, sizeof(fixed) / sizeof(fixed[0]), p) || in_spans(bars, nbars, p))
			return false;
	}
	return true;
}

/* Ports worth more draws than the rest: the ones the hypervisor traps or
 * that matter to it. */
static const uint16_t favourite[] = {
	TESTDEV_PORT_BASE, 0x3F8, 0xCF8, 0xCFC, 0x70, 0x20, 0xA0, 0x40, 0x60, 0x80, 0x61, 0x4D0,
};

static uint16_t pio_port;
static unsigned pio_size;
static uint32_t pio_value;
static uint64_t pio_mem;
static bool pio_out;

static void do_pio(void)
{
	if (pio_out) {
		if (pio_size == 1)
			outb(pio_port, (uint8_t)pio_value);
		else if (pio_size == 2)
			outw(pio_port, (uint16_t)pio_value);
		else
			outl(pio_port, pio_value);
	} else {
		if (pio_size == 1)
			(void)inb(pio_port);
		else if (pio_size == 2)
			(void)inw(pio_port);
		else
			(void)inl(pio_port);
	}
}

/* One iteration of REP INS/OUTS (the count in RCX is 1). */
static void do_pio_string(void)
{
	uint64_t c = 1, m = pio_mem;
	if (pio_out) {
		if (pio_size == 1)
			__asm__ volatile("rep outsb" : "+S"(m), "+c"(c) : "d"(pio_port) : "memory");
		else if (pio_size == 2)
			__asm__ volatile("rep outsw" : "+S"(m), "+c"(c) : "d"(pio_port) : "memory");
		else
			__asm__ volatile("rep outsl" : "+S"(m), "+c"(c) : "d"(pio_port) : "memory");
	} else {
		if (pio_size == 1)
			__asm__ volatile("rep insb" : "+D"(m), "+c"(c) : "d"(pio_port) : "memory");
		else if (pio_size == 2)
			__asm__ volatile("rep insw" : "+D"(m), "+c"(c) : "d"(pio_port) : "memory");
		else
			__asm__ volatile("rep insl" : "+D"(m), "+c"(c) : "d"(pio_port) : "memory");
	}
}

/* insn.c's scratch RAM, for the string forms. */
uint64_t insn_scratch(struct prng *p);

void op_pio(struct prng *p, char *desc)
{
	static const unsigned sizes[] = { 1, 2, 4 };
	uint64_t r = prng_next(p);
	pio_size = sizes[r % 3];
	pio_out = (r >> 2) & 1;
	bool string = ((r >> 3) & 7) == 0;
	unsigned pick = (r >> 6) & 3;
	pio_port = pick == 0   ? (uint16_t)prng_next(p)
		   : pick == 1 ? (uint16_t)prng_below(p, 0x1000)
			       : (uint16_t)(favourite[prng_below(p, sizeof(favourite) / 2)] +
					    prng_below(p, 8));
	pio_value = (uint32_t)prng_next(p);
	if (pio_out && !may_write(pio_port, pio_size))
		pio_out = false;
	if (string) {
		pio_mem = (prng_next(p) & 1) ? TESTDEV_MMIO_BASE + prng_below(p, 0xFF0)
					     : insn_scratch(p);
		describe(desc, "rep %s%c port 0x%x mem 0x%lx", pio_out ? "outs" : "ins",
			 "?bw?d"[pio_size], pio_port, pio_mem);
		op_catch(do_pio_string);
		return;
	}
	describe(desc, "%s%c port 0x%x value 0x%x", pio_out ? "out" : "in", "?bw?d"[pio_size],
		 pio_port, pio_value);
	op_catch(do_pio);
}
