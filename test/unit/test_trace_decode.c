/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/trace/decode/: each device family's decoder against the register
 * sequences real drivers use (Linux's RTC read, its PIT and PIC set-up, a PCI
 * BAR sizing, SMP start-up IPIs...), fed in order through one decoder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/trace/decode/decode.h"

static struct trace_platform plat;
static struct trace_decoder dec;
static struct trace_text out;

static int setup(void **state)
{
	(void)state;
	trace_platform_defaults(&plat);
	plat.pm1a_evt = 0x600, plat.pm1_evt_len = 4, plat.pm1a_cnt = 0x604, plat.pm_tmr = 0x608;
	plat.ecam = 0xB0000000, plat.ecam_bus_first = 0, plat.ecam_bus_last = 255;
	trace_decoder_init(&dec, &plat);
	return 0;
}

/* Decodes one access; returns "DEVICE TEXT". */
static const char *feed(enum trace_kind kind, bool write, uint64_t addr, unsigned size,
			uint64_t value)
{
	static char line[200];
	struct trace_record r = { .kind = (uint8_t)kind,
				  .write = write,
				  .addr = addr,
				  .size = (uint8_t)size,
				  .value = value };
	trace_decode(&dec, &r, &out);
	snprintf(line, sizeof(line), "%s %s", out.device, out.text);
	return line;
}

#define OUT(port, v) feed(TRACE_PORT, true, port, 1, v)
#define IN(port, v) feed(TRACE_PORT, false, port, 1, v)
#define MMIO_W(a, v) feed(TRACE_MMIO, true, a, 4, v)
#define MMIO_R(a, v) feed(TRACE_MMIO, false, a, 4, v)
/* A PCI access through 0xCFC: the record's address is CF8 << 16 | port. */
#define CFG(w, cf8, size, v) feed(TRACE_PCI, w, (uint64_t)(cf8) << 16 | 0xCFC, size, v)

/* Linux's mc146818_get_time: status A (update in progress?), the time
 * registers, status B (format); NMI stays enabled. */
static void test_cmos_rtc_read(void **state)
{
	(void)state;
	assert_string_equal(IN(0x71, 0), "cmos data = 0x00 (index unknown)");
	assert_string_equal(OUT(0x70, 0x0A), "cmos index = 0x0a (status A), NMI enabled");
	assert_string_equal(IN(0x71, 0x26), "cmos status A = 0x26");
	assert_string_equal(IN(0x71, 0xA6), "cmos status A = 0xa6, update in progress");
	assert_string_equal(OUT(0x70, 0x00), "cmos index = 0x00 (seconds), NMI enabled");
	assert_string_equal(IN(0x71, 0x45), "cmos seconds = 0x45");
	assert_string_equal(out.reg, "seconds");
	assert_string_equal(OUT(0x70, 0x04), "cmos index = 0x04 (hours), NMI enabled");
	assert_string_equal(IN(0x71, 0x12), "cmos hours = 0x12");
	assert_string_equal(OUT(0x70, 0x8B), "cmos index = 0x0b (status B), NMI disabled");
	assert_string_equal(IN(0x71, 0x02), "cmos status B = 0x02, 24-hour");
	assert_string_equal(OUT(0x70, 0x32), "cmos index = 0x32 (century), NMI enabled");
	assert_string_equal(IN(0x71, 0x20), "cmos century = 0x20");
	assert_string_equal(OUT(0x70, 0x40), "cmos index = 0x40 (NVRAM), NMI enabled");
	assert_string_equal(IN(0x71, 0x00), "cmos NVRAM 0x40 = 0x00");
}

/* Linux's PIT set-up for a 100 Hz tick (a reload of 11932), then a latch. */
static void test_pit_programming(void **state)
{
	(void)state;
	assert_string_equal(
		OUT(0x43, 0x34),
		"pit control = 0x34: channel 0, LSB then MSB, mode 2 (rate generator), binary");
	assert_string_equal(OUT(0x40, 0x9C), "pit channel 0 reload = 0x9c (LSB)");
	assert_string_equal(OUT(0x40, 0x2E),
			    "pit channel 0 reload = 0x2e (MSB), reload 11932: 100 Hz");
	assert_string_equal(out.reg, "channel 0 reload");
	assert_string_equal(
		OUT(0x43, 0xB6),
		"pit control = 0xb6: channel 2, LSB then MSB, mode 3 (square wave), binary");
	assert_string_equal(OUT(0x43, 0x00), "pit control = 0x00: channel 0, latch");
	assert_string_equal(OUT(0x43, 0xC2),
			    "pit control = 0xc2: read-back count status, counters 0");
	assert_string_equal(OUT(0x61, 0x01), "pit port B = 0x01, timer 2 gate");
}

/* The classic 8259 initialization (ICW1-4 to both chips), masks, EOI, ELCR. */
static void test_pic_init(void **state)
{
	(void)state;
	assert_string_equal(OUT(0x20, 0x11),
			    "pic master ICW1 = 0x11: initialize, edge, cascade, ICW4 follows");
	assert_string_equal(OUT(0x21, 0x30), "pic master ICW2 = 0x30: vectors 0x30-0x37");
	assert_string_equal(OUT(0x21, 0x04), "pic master ICW3 = 0x04 (slaves on IRQ: 2)");
	assert_string_equal(OUT(0x21, 0x01), "pic master ICW4 = 0x01: 8086 mode");
	assert_string_equal(OUT(0x21, 0xFB), "pic master IMR = 0xfb (masked: 0 1 3 4 5 6 7)");
	assert_string_equal(OUT(0xA0, 0x11),
			    "pic slave ICW1 = 0x11: initialize, edge, cascade, ICW4 follows");
	assert_string_equal(OUT(0xA1, 0x38), "pic slave ICW2 = 0x38: vectors 0x38-0x3f");
	assert_string_equal(OUT(0xA1, 0x02), "pic slave ICW3 = 0x02: slave identity 2");
	assert_string_equal(OUT(0xA1, 0x01), "pic slave ICW4 = 0x01: 8086 mode");
	assert_string_equal(OUT(0xA1, 0xFF),
			    "pic slave IMR = 0xff (masked: 8 9 10 11 12 13 14 15)");
	assert_string_equal(OUT(0x20, 0x20), "pic master OCW2 = 0x20: non-specific EOI");
	assert_string_equal(OUT(0x20, 0x62), "pic master OCW2 = 0x62: specific EOI IRQ 2");
	assert_string_equal(OUT(0x20, 0x0B), "pic master OCW3 = 0x0b: read ISR");
	assert_string_equal(IN(0x20, 0x01), "pic master ISR = 0x01 (in service: 0)");
	assert_string_equal(OUT(0x4D1, 0x0E), "pic ELCR2 = 0x0e (level: 9 10 11)");
}

/* 8250 driver set-up: divisor 1 (115200 baud) under DLAB, then 8N1. */
static void test_uart_dlab(void **state)
{
	(void)state;
	assert_string_equal(OUT(0x3F8, 'h'), "uart COM1 THR = 0x68 'h'");
	assert_string_equal(OUT(0x3FB, 0x80), "uart COM1 LCR = 0x80: 5N1, DLAB");
	assert_string_equal(OUT(0x3F8, 0x01),
			    "uart COM1 DLL = 0x01 (divisor low: 115200 baud if DLM is 0)");
	assert_string_equal(OUT(0x3F9, 0x00), "uart COM1 DLM = 0x00");
	assert_string_equal(OUT(0x3FB, 0x03), "uart COM1 LCR = 0x03: 8N1");
	assert_string_equal(OUT(0x3F9, 0x05), "uart COM1 IER = 0x05, RX data, line status");
	assert_string_equal(IN(0x2FD, 0x60), "uart COM2 LSR = 0x60, THR empty, transmitter empty");
	assert_string_equal(IN(0x3FA, 0xC1), "uart COM1 IIR = 0xc1: no interrupt");
	assert_string_equal(IN(0x3FA, 0xC4), "uart COM1 IIR = 0xc4: RX data");
}

static void test_i8042_post_acpi(void **state)
{
	(void)state;
	assert_string_equal(IN(0x64, 0x1C), "i8042 status = 0x1c, system flag, command, unlocked");
	assert_string_equal(OUT(0x64, 0x60), "i8042 command = 0x60: write command byte");
	assert_string_equal(
		OUT(0x60, 0x47),
		"i8042 command byte = 0x47, keyboard interrupt, mouse interrupt, system flag, translate");
	assert_string_equal(OUT(0x60, 0xFF), "i8042 data = 0xff (to the keyboard)");
	assert_string_equal(OUT(0x64, 0xFE), "i8042 command = 0xfe: pulse reset line (CPU reset)");
	assert_string_equal(OUT(0x80, 0x2B), "post code = 0x2b");
	assert_string_equal(feed(TRACE_PORT, false, 0x608, 4, 0x123456),
			    "acpi PM timer = 0x00123456");
	assert_string_equal(feed(TRACE_PORT, true, 0x600, 2, 0x0101),
			    "acpi PM1 status = 0x0101, timer, power button");
	assert_string_equal(feed(TRACE_PORT, true, 0x602, 2, 0x0100),
			    "acpi PM1 enable = 0x0100, power button");
	assert_string_equal(feed(TRACE_PORT, true, 0x604, 2, 0x3401),
			    "acpi PM1 control = 0x3401, SCI_EN, SLP_EN (sleep type 5)");
	assert_string_equal(IN(0x1234, 0x55), "- ");
	assert_string_equal(out.reg, "port 0x1234");
	assert_string_equal(IN(0, 0x55), "- ");
	assert_string_equal(out.reg, "port 0x0");
	(void)feed(TRACE_MMIO, false, 0xFEDCBA9876543210ull, 4, 0);
	assert_string_equal(out.reg, "mmio 0xfedcba9876543210");
	(void)feed(TRACE_MMIO, true, 0x1000F, 1, 0);
	assert_string_equal(out.reg, "mmio 0x1000f");
}

/* A BAR sizing as every OS does it: read, write all ones, read the size mask
 * back, restore. Then an ID read across two registers, and the command. */
static void test_pci_bar_sizing(void **state)
{
	(void)state;
	const uint32_t bar0 = 0x80001810; /* bus 0, device 3, function 0, register 0x10 */
	assert_string_equal(CFG(false, bar0, 4, 0xFEBF0000),
			    "pci 00:03.0 BAR0 = 0xfebf0000 (memory 32-bit)");
	assert_string_equal(CFG(true, bar0, 4, 0xFFFFFFFF),
			    "pci 00:03.0 BAR0 = 0xffffffff (sizing)");
	assert_string_equal(CFG(false, bar0, 4, 0xFFFFF000),
			    "pci 00:03.0 BAR0 = 0xfffff000 (memory 32-bit, size 4 KiB)");
	assert_string_equal(CFG(true, bar0, 4, 0xFEBF0000), "pci 00:03.0 BAR0 = 0xfebf0000");
	assert_string_equal(out.reg, "BAR0");
	assert_string_equal(CFG(false, 0x80001814, 4, 0xFFFFFFE1),
			    "pci 00:03.0 BAR1 = 0xffffffe1 (I/O)");
	assert_string_equal(CFG(false, 0x80000000, 4, 0x12378086),
			    "pci 00:00.0 vendor ID = 0x8086, device ID = 0x1237");
	assert_string_equal(CFG(true, 0x80000804, 2, 0x0107),
			    "pci 00:01.0 command = 0x0107, I/O, memory, bus master, SERR");
	assert_string_equal(feed(TRACE_PCI, false, (uint64_t)0x80000808 << 16 | 0xCFE, 2, 0x0600),
			    "pci 00:01.0 subclass = 0x00, class = 0x06");
	assert_string_equal(
		CFG(false, 0x00000000, 4, 0xFFFFFFFF),
		"pci 00:00.0 vendor ID = 0xffff, device ID = 0xffff (config address disabled)");
	assert_string_equal(CFG(false, 0x8000F840, 4, 0x1),
			    "pci 00:1f.0 device-specific 0x040 = 0x00000001");
	/* ECAM: bus 1, device 2, function 3, register 0x34. */
	assert_string_equal(feed(TRACE_MMIO, false,
				 0xB0000000 + (1 << 20) + (2 << 15) + (3 << 12) + 0x34, 1, 0x40),
			    "pci 01:02.3 capabilities = 0x40");
}

static void test_hpet(void **state)
{
	(void)state;
	assert_string_equal(
		feed(TRACE_MMIO, false, 0xFED00000, 8, 0x0429B17F8086A201ull),
		"hpet capabilities = 0x0429b17f8086a201, 3 timers, 64-bit counter, period 69841279 fs");
	assert_string_equal(MMIO_R(0xFED000F0, 0x1234), "hpet main counter = 0x00001234");
	assert_string_equal(out.reg, "main counter");
	assert_string_equal(MMIO_R(0xFED000F4, 0), "hpet main counter high = 0x00000000");
	assert_string_equal(MMIO_W(0xFED00010, 3),
			    "hpet config = 0x00000003, enabled, legacy routing");
	assert_string_equal(
		MMIO_W(0xFED00100, 0x4C),
		"hpet timer 0 config = 0x0000004c, interrupt enabled, periodic, value set, IOAPIC input 0");
	assert_string_equal(MMIO_W(0xFED00148, 0x100), "hpet timer 2 comparator = 0x00000100");
}

static void test_ioapic_redirection(void **state)
{
	(void)state;
	assert_string_equal(MMIO_R(0xFEC00010, 0), "ioapic IOWIN = 0x00000000 (register unknown)");
	assert_string_equal(MMIO_W(0xFEC00000, 0x01), "ioapic IOREGSEL = 0x00000001");
	assert_string_equal(MMIO_R(0xFEC00010, 0x00170020),
			    "ioapic version = 0x00170020: version 0x20, 24 entries");
	assert_string_equal(MMIO_W(0xFEC00000, 0x12), "ioapic IOREGSEL = 0x00000012");
	assert_string_equal(
		MMIO_W(0xFEC00010, 0x00018030),
		"ioapic redirection 1 low = 0x00018030: vector 0x30, fixed, physical, active high, level, masked");
	assert_string_equal(out.reg, "redirection 1 low");
	assert_string_equal(MMIO_W(0xFEC00000, 0x13), "ioapic IOREGSEL = 0x00000013");
	assert_string_equal(MMIO_W(0xFEC00010, 0x01000000),
			    "ioapic redirection 1 high = 0x01000000: destination 1");
}

/* The INIT-SIPI-SIPI sequence that starts an application processor. */
static void test_lapic_icr(void **state)
{
	(void)state;
	assert_string_equal(MMIO_W(0xFEE00310, 0x01000000), "lapic ICR high = 0x01000000");
	assert_string_equal(MMIO_W(0xFEE00300, 0x0000C500),
			    "lapic ICR low = 0x0000c500: INIT to APIC 1");
	assert_string_equal(MMIO_W(0xFEE00300, 0x00008500),
			    "lapic ICR low = 0x00008500: INIT to APIC 1 (de-assert)");
	assert_string_equal(MMIO_W(0xFEE00300, 0x00000698),
			    "lapic ICR low = 0x00000698: startup at 0x98000 to APIC 1");
	assert_string_equal(MMIO_W(0xFEE00300, 0x000C00FD),
			    "lapic ICR low = 0x000c00fd: fixed vector 0xfd to all but self");
	assert_string_equal(MMIO_W(0xFEE000B0, 0), "lapic EOI = 0x00000000");
	assert_string_equal(MMIO_W(0xFEE00320, 0x000100EC),
			    "lapic LVT timer = 0x000100ec: vector 0xec, masked");
	assert_string_equal(MMIO_R(0xFEE00210, 0), "lapic IRR1 = 0x00000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cmos_rtc_read, setup),
		cmocka_unit_test_setup(test_pit_programming, setup),
		cmocka_unit_test_setup(test_pic_init, setup),
		cmocka_unit_test_setup(test_uart_dlab, setup),
		cmocka_unit_test_setup(test_i8042_post_acpi, setup),
		cmocka_unit_test_setup(test_pci_bar_sizing, setup),
		cmocka_unit_test_setup(test_hpet, setup),
		cmocka_unit_test_setup(test_ioapic_redirection, setup),
		cmocka_unit_test_setup(test_lapic_icr, setup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
