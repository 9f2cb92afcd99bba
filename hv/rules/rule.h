/* SPDX-License-Identifier: GPL-2.0-only */
/* One rule model for the configuration file and the debug console: a rule is a
 * match (what accesses it sees), actions (what it does to them, in the order
 * written) and counters (hits per rule and per action).
 *
 *   [rule] port FIRST-LAST|FIRST+N [r|w|rw] [size=1,2,4,8] [value=V[/MASK]]
 *          [cpu=0,2-3] [rip=A-B] ACTION...
 *   [rule] mmio ADDR-ADDR|ADDR+SIZE ... ACTION...
 *   break port|mmio SPAN [r|w|rw] [VALUE] [stop]
 *                                  = post [value=VALUE] log [stop]
 *   hide pci BB:DD.F[-BB:DD.F]     the functions read all ones, writes dropped
 *   protect port|mmio SPAN         reads pass; writes dropped and logged
 *   trace port|mmio SPAN           = rw log
 *   deny port|mmio SPAN            = rw read=all-ones write=drop
 * Actions: log, count, stop, read=VALUE, write=drop, write=VALUE,
 * write=or:M,and:M (each op in the order written), pass.
 * Stage: a rule matches before the device (writes) or right after it
 * (reads), in rule-number order; a `post` rule (a watchpoint: `break`)
 * matches after every other rule acted, on the value the guest finally got
 * or the device finally gets. It only watches (log, count, stop, pass), and
 * its log is a console line at once rather than a trace record.
 * Pure C: parser (rule_parse.h) and engine (rule_table.h) are unit-tested on
 * the host. */
#ifndef HV_RULES_RULE_H
#define HV_RULES_RULE_H

#include <stdbool.h>
#include <stdint.h>

#define RULE_MAX_ACTIONS 8
#define RULE_TEXT_MAX 80 /* the rule as written, for "rules" */

enum rule_space {
	RULE_PORT,
	RULE_MMIO,
	/* PCI functions (first/last: bus << 8 | device << 3 | function) seen
	 * through 0xCFC-0xCFF and through the ECAM window. */
	RULE_PCI,
};

enum { RULE_READ = 1, RULE_WRITE = 2 };

enum rule_action_kind {
	RULE_ACT_PASS,       /* nothing: the access goes on (the default) */
	RULE_ACT_LOG,        /* a trace record naming the rule */
	RULE_ACT_COUNT,      /* only its counter */
	RULE_ACT_STOP,       /* the vCPU stops after the access */
	RULE_ACT_READ,       /* reads: the guest gets arg; the device is not read */
	RULE_ACT_WRITE_DROP, /* writes: nothing reaches the device */
	RULE_ACT_WRITE_SET,  /* writes: arg reaches the device */
	RULE_ACT_WRITE_OR,   /* writes: value | arg */
	RULE_ACT_WRITE_AND,  /* writes: value & arg */
};

struct rule_action {
	uint8_t kind; /* enum rule_action_kind */
	uint64_t arg;
};

struct rule_match {
	uint8_t space; /* enum rule_space */
	uint8_t dirs;  /* RULE_READ | RULE_WRITE */
	uint8_t sizes; /* bit n: accesses of 2^n bytes (1, 2, 4, 8); 0: any size */
	bool has_value, has_rip;
	bool post; /* matched after the other rules (the stage above) */
	uint64_t first, last;  /* inclusive */
	uint64_t value, vmask; /* (access value & vmask) == value */
	uint64_t cpus;         /* bit n: CPU n; all ones: every CPU */
	uint64_t rip_first, rip_last;
};

struct rule {
	struct rule_match m;
	unsigned nactions;
	struct rule_action act[RULE_MAX_ACTIONS];
	unsigned line; /* the configuration line; 0 from the console */
	char text[RULE_TEXT_MAX];
};

/* Which directions a rule changes what the guest or the device sees:
 * RULE_READ for read=, RULE_WRITE for write=... (two such rules on the same
 * accesses would clash). */
unsigned rule_steers(const struct rule *r);

#endif
