/* SPDX-License-Identifier: GPL-2.0-only */
/* Numbers as users type them, in the configuration and on the debug console.
 * Pure C (unit-tested on the host). */
#ifndef HV_NUMBER_H
#define HV_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

/* "0x..." hexadecimal or plain decimal; false for anything else, an empty
 * number or one past 64 bits. */
bool parse_number(const char *s, uint64_t *out);
/* Hexadecimal with its 0x only, as ports and addresses are written. */
bool parse_hex(const char *s, uint64_t *out);

/* "A-B" (inclusive), "A+N" (N units from A) or "A": addresses in hexadecimal
 * with 0x, as ports and physical addresses are always written; N decimal or
 * hexadecimal. Within 0..max. v is restored. */
bool parse_span(char *v, uint64_t max, uint64_t *first, uint64_t *last);

#endif
