/* SPDX-License-Identifier: GPL-2.0-only */
/* Device-aware decoding of trace records: what an access did, in the words of
 * the device's datasheet ("cmos index = 0x0a (status A), NMI enabled").
 *
 * One file per device family (cmos.c, pit.c, ...), each a table of the
 * addresses it knows and a function that names the register and decodes the
 * value. Devices whose meaning depends on an earlier access (the CMOS index,
 * the UART's DLAB, the IOAPIC's IOREGSEL, the PIC's initialization sequence)
 * keep that state in struct trace_decoder, which the caller feeds in record
 * order: one decoder per CPU's stream of records. Pure C (unit-tested). */
#ifndef HV_TRACE_DECODE_H
#define HV_TRACE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/trace/ring.h"

/* Where the platform puts the devices that move (from ACPI: FADT, HPET, MADT,
 * MCFG; hv/trace/platform.c). An address or port of 0 means "absent". */
struct trace_platform {
	uint16_t pm1a_evt, pm1b_evt;  /* PM1 event blocks: status, then enable */
	uint8_t pm1_evt_len;	      /* bytes per event block (status + enable) */
	uint16_t pm1a_cnt, pm1b_cnt;  /* PM1 control blocks */
	uint16_t pm_tmr;	      /* the ACPI PM timer */
	uint8_t cmos_century;	      /* CMOS index of the century, 0 if none */
	uint64_t hpet, ioapic, lapic; /* MMIO bases */
	uint64_t ecam;		      /* PCI Express configuration space base */
	uint8_t ecam_bus_first, ecam_bus_last;
};

/* The platform as most PCs have it: HPET at 0xFED00000, the first IOAPIC at
 * 0xFEC00000, the local APIC at its reset base, no ACPI ports, no ECAM. */
void trace_platform_defaults(struct trace_platform *p);

struct trace_decoder {
	const struct trace_platform *plat;
	int16_t cmos_index;   /* last index written to 0x70 (without NMI bit); -1 unknown */
	uint8_t pit_rw[3];    /* per channel: access mode from the control word (RW bits) */
	bool pit_msb_next[3]; /* LSB-then-MSB mode: the next byte is the MSB */
	uint8_t pit_lsb[3];   /* the LSB of a reload value being written */
	uint8_t pic_icw[2];   /* master, slave: the next ICW expected (2-4), 0 when none */
	uint8_t pic_icw1[2];  /* the ICW1 of the running initialization */
	bool pic_read_isr[2]; /* OCW3 chose the ISR (else the IRR) for command-port reads */
	uint8_t uart_lcr[4];  /* per COM port: the last LCR written (bit 7 is DLAB) */
	uint8_t i8042_cmd;    /* controller command waiting for its data byte, 0 none */
	int16_t ioapic_sel;   /* IOREGSEL; -1 unknown */
	uint32_t icr_high;    /* the local APIC's ICR high half (the destination) */
	uint64_t pci_sizing;  /* the access (kind, address) that last wrote all ones to a BAR */
	bool pci_sizing_valid;
};

/* What one access did. */
struct trace_text {
	const char *device; /* "cmos", "pit", "pic", "uart", "i8042", "post", "acpi", "pci",
			       "hpet", "ioapic", "lapic"; "-" when no decoder knows the address */
	char reg[40];	    /* the register alone, for counting ("index", "main counter") */
	char text[120];	    /* the register and what the value means */
	/* The register is named by the record's kind, address, size and
	 * direction alone (not by the decoder's state), and decoding the record
	 * changed no state: a record with the same four may be counted under
	 * this register without being decoded (hv/trace/stats.h). */
	bool plain;
};

void trace_decoder_init(struct trace_decoder *d, const struct trace_platform *plat);
/* Decodes r (and updates the decoder's state from it). Always fills t. */
void trace_decode(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t);

#endif
