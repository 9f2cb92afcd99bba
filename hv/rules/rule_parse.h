/* SPDX-License-Identifier: GPL-2.0-only */
/* The rule language (hv/rules/rule.h) from words, as the configuration file
 * (boot/config_parse.h) and the debug console split them. Pure C. */
#ifndef HV_RULES_RULE_PARSE_H
#define HV_RULES_RULE_PARSE_H

#include <stddef.h>
#include "hv/rules/rule.h"

/* words[0] is "rule" (optional), port, mmio, hide, protect, trace, deny or
 * break.
 * True and *out filled, or false and err[errlen] says what is wrong (out is
 * then undefined). */
bool rule_parse(char *const *words, unsigned n, struct rule *out, char *err, size_t errlen);

/* "log", "read=", "write=drop"...: an action's name, for listings. */
const char *rule_action_name(uint8_t kind);

/* Whether a configuration line's keyword starts a rule: rule, hide, protect,
 * trace, deny or break. */
bool rule_keyword(const char *word);

#endif
