/* SPDX-License-Identifier: GPL-2.0-only */
/* Inside the decoders: each family's entry point, and the helpers they share to
 * write into a struct trace_text. A family returns false when the address is
 * not one of its own. */
#ifndef HV_TRACE_DECODE_FAMILY_H
#define HV_TRACE_DECODE_FAMILY_H

#include "hv/trace/decode/decode.h"

/* Register name: sets t->reg (and starts t->text with it). */
void dec_reg(struct trace_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Puts `prefix` before both the register name and the text. */
void dec_prefix(struct trace_text *t, const char *prefix);
/* Appends to t->text. */
void dec_add(struct trace_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends " = VALUE" in hex, as wide as the access. */
void dec_value(struct trace_text *t, const struct trace_record *r);
/* Appends ", NAME" for each set bit that has a name in names[0..n). */
void dec_bits(struct trace_text *t, uint64_t value, const char *const *names, unsigned n);

/* Whether r is an MMIO access within [base, base + size) (base 0: the device
 * is absent), and its offset there. */
bool dec_mmio_offset(const struct trace_record *r, uint64_t base, unsigned size, unsigned *off);

/* The APIC delivery modes, by their 3-bit code (ioapic.c; the local APIC's ICR
 * uses the same codes). */
extern const char *const apic_delivery_names[8];

typedef bool decode_fn(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t);

decode_fn decode_cmos, decode_pit, decode_pic, decode_uart, decode_i8042, decode_post,
	decode_acpi_pm, decode_pci_cf8, decode_pci_ecam, decode_hpet, decode_ioapic, decode_lapic;

#endif
