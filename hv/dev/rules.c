/* SPDX-License-Identifier: GPL-2.0-only */
/* The rules' trapping and their life cycle (hv/dev/rules.h). */
#include "hv/acpi.h"
#include "hv/console/console.h"
#include "hv/dev/passthrough.h"
#include "hv/dev/rules.h"
#include "hv/format.h"
#include "hv/hv.h"
#include "hv/mem/guest_access.h"
#include "hv/mem/pool.h"
#include "iom/iom.h"

/* Pass-through ranges mapped over the gaps rules need trapped. */
#define TRAP_POOL 16
/* Ranges already mapped inside one rule's span (devices, other rules). */
#define MAX_PIECES 16

struct trap {
	uint32_t h;     /* iom_port_handle_t or iom_mmio_handle_t */
	unsigned owner; /* the rule that needs it; 0: unmapped */
	uint64_t first, last;
};

static struct trap port_traps[TRAP_POOL], mmio_traps[TRAP_POOL];
/* Whether the caller is the debug console, which holds the console. */
static bool console_held;

static iom_status_t trap_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			    unsigned size, uint32_t *value)
{
	*value = port_read(port, size);
	return IOM_OK;
}

static iom_status_t trap_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t value)
{
	port_write(port, size, value);
	return IOM_OK;
}

static iom_status_t trap_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t gpa, void *buf,
			      unsigned size)
{
	uint64_t v = mmio_read_phys(gpa, size);
	__builtin_memcpy(buf, &v, size);
	return IOM_OK;
}

static iom_status_t trap_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t gpa,
			       const void *buf, unsigned size)
{
	uint64_t v = 0;
	__builtin_memcpy(&v, buf, size);
	mmio_write_phys(gpa, size, v);
	return IOM_OK;
}

static void create_pool(void)
{
	for (unsigned i = 0; i < TRAP_POOL; i++) {
		struct iom_port_config pc = {
			.name = "rule (pass-through)", .count = 1, .flags = IOM_PORT_F_ABS,
			.in = trap_in, .out = trap_out,
		};
		/* Accesses pass through as the guest made them: exact sizes. */
		struct iom_mmio_config mc = {
			.name = "rule (pass-through)", .size = PAGE_SIZE,
			.flags = IOM_MMIO_F_ABS | IOM_MMIO_READ_PASSTHRU | IOM_MMIO_WRITE_PASSTHRU,
			.read = trap_read, .write = trap_write,
		};
		if (iom_port_create(&pc, &port_traps[i].h))
			port_traps[i].h = 0;
		if (iom_mmio_create(&mc, &mmio_traps[i].h))
			mmio_traps[i].h = 0;
	}
}

struct pieces {
	uint64_t first, last;
	unsigned n;
	bool overflow;
	uint64_t at[MAX_PIECES][2];
};

static void add_piece(struct pieces *p, uint64_t base, uint64_t size)
{
	if (base > p->last || base + size - 1 < p->first)
		return;
	if (p->n == MAX_PIECES) {
		p->overflow = true;
		return;
	}
	p->at[p->n][0] = base;
	p->at[p->n][1] = base + size - 1;
	p->n++;
}

static void port_piece(void *arg, uint16_t first, uint32_t count, iom_port_handle_t h)
{
	add_piece(arg, first, count);
}

static void mmio_piece(void *arg, uint64_t gpa, uint64_t size, iom_mmio_handle_t h)
{
	add_piece(arg, gpa, size);
}

/* The backend's trap hooks run under the IOM's lock and may wait for other
 * CPUs (TLB shootdown), which may be waiting for the console: it is let go
 * around every map and unmap. */
static void let_console_go(void)
{
	if (console_held)
		console_release();
}

static void take_console_back(void)
{
	if (console_held)
		console_hold();
}

static iom_err_t map_trap(bool mmio, struct trap *t, uint64_t first, uint64_t last)
{
	let_console_go();
	iom_err_t e = mmio ? iom_mmio_resize(t->h, last - first + 1)
			   : iom_port_resize(t->h, (uint32_t)(last - first + 1));
	if (!e)
		e = mmio ? iom_mmio_map(t->h, first) : iom_port_map(t->h, (uint16_t)first);
	take_console_back();
	return e;
}

static void unmap_trap(bool mmio, struct trap *t)
{
	let_console_go();
	if (mmio)
		iom_mmio_unmap(t->h);
	else
		iom_port_unmap(t->h);
	take_console_back();
	t->owner = 0;
}

static void untrap_rule(unsigned owner)
{
	for (unsigned i = 0; i < TRAP_POOL; i++) {
		if (port_traps[i].owner == owner)
			unmap_trap(false, &port_traps[i]);
		if (mmio_traps[i].owner == owner)
			unmap_trap(true, &mmio_traps[i]);
	}
}

/* Maps pass-through ranges, owned by `owner`, over the parts of
 * [first, last] nothing traps yet. */
static bool trap_span(bool mmio, uint64_t first, uint64_t last, unsigned owner, char *err,
		      size_t errlen)
{
	struct pieces p = { .first = first, .last = last };
	if (mmio)
		iom_for_each_mapped_mmio(mmio_piece, &p);
	else
		iom_for_each_mapped_port(port_piece, &p);
	if (p.overflow) {
		fmt_snprintf(err, errlen, "more than %u ranges are mapped in this span", MAX_PIECES);
		return false;
	}
	struct trap *pool = mmio ? mmio_traps : port_traps;
	uint64_t cursor = first;
	/* Pieces come in ascending order and never overlap each other. */
	for (unsigned k = 0; k <= p.n && cursor <= last; k++) {
		uint64_t next = k < p.n ? p.at[k][0] : last + 1;
		if (next > cursor) {
			uint64_t gap_last = next - 1 < last ? next - 1 : last;
			struct trap *t = NULL;
			for (unsigned i = 0; i < TRAP_POOL && !t; i++)
				if (pool[i].h && !pool[i].owner)
					t = &pool[i];
			if (!t) {
				fmt_snprintf(err, errlen, "all %u %s trap ranges are in use", TRAP_POOL,
					     mmio ? "mmio" : "port");
				return false;
			}
			iom_err_t e = map_trap(mmio, t, cursor, gap_last);
			if (e) {
				fmt_snprintf(err, errlen, "cannot trap 0x%lx-0x%lx (%s)",
					     (unsigned long)cursor, (unsigned long)gap_last,
					     iom_err_name(e));
				return false;
			}
			*t = (struct trap){ t->h, owner, cursor, gap_last };
		}
		if (k < p.n && p.at[k][1] + 1 > cursor)
			cursor = p.at[k][1] + 1;
	}
	return true;
}

static uint64_t page_down(uint64_t a)
{
	return a & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t page_up_last(uint64_t a)
{
	return a | (PAGE_SIZE - 1);
}

/* MMIO a rule may trap: inside the physical address space (CPUID
 * 80000008H), outside the hypervisor's own memory. */
static bool mmio_allowed(uint64_t first, uint64_t last, char *err, size_t errlen)
{
	unsigned bits = guest_phys_bits();
	if (bits < 64 && last >> bits) {
		fmt_snprintf(err, errlen, "0x%lx-0x%lx is beyond the %u-bit physical address space",
			     (unsigned long)first, (unsigned long)last, bits);
		return false;
	}
	if (hv_memory_overlaps(page_down(first), page_up_last(last))) {
		fmt_snprintf(err, errlen, "0x%lx-0x%lx overlaps the hypervisor's own memory",
			     (unsigned long)first, (unsigned long)last);
		return false;
	}
	return true;
}

/* Everything rule r needs trapped, owned by `owner`. */
static bool trap_rule(const struct rule *r, unsigned owner, char *err, size_t errlen)
{
	uint64_t lo, hi;
	switch (r->m.space) {
	case RULE_PORT:
		return trap_span(false, r->m.first, r->m.last, owner, err, errlen);
	case RULE_MMIO:
		return mmio_allowed(r->m.first, r->m.last, err, errlen) &&
		       trap_span(true, page_down(r->m.first), page_up_last(r->m.last), owner, err,
				 errlen);
	default: /* RULE_PCI: the data port, and the functions' ECAM pages */
		if (!trap_span(false, RULE_PCI_DATA_FIRST, RULE_PCI_DATA_LAST, owner, err, errlen))
			return false;
		return !rule_covers_pci_function(&rules_table, r, &lo, &hi) ||
		       trap_span(true, lo, hi, owner, err, errlen);
	}
}

/* The number the next published rule gets: trap ranges are owned by it
 * before it is published. */
static unsigned next_number(void)
{
	return rules_table.count + 1;
}

static unsigned install(const struct rule *r, char *err, size_t errlen)
{
	if (!rule_table_check(&rules_table, r, err, errlen))
		return 0;
	unsigned no = next_number();
	if (!trap_rule(r, no, err, errlen)) {
		untrap_rule(no); /* never half-installed */
		return 0;
	}
	return rule_table_publish(&rules_table, r);
}

/* Whether rule r's trapping covers any of [first, last] in that space. */
static bool needs(const struct rule *r, bool mmio, uint64_t first, uint64_t last)
{
	uint64_t lo, hi;
	switch (r->m.space) {
	case RULE_PORT:
		lo = r->m.first, hi = r->m.last;
		break;
	case RULE_MMIO:
		lo = page_down(r->m.first), hi = page_up_last(r->m.last);
		break;
	default:
		if (!mmio) {
			lo = RULE_PCI_DATA_FIRST, hi = RULE_PCI_DATA_LAST;
		} else if (!rule_covers_pci_function(&rules_table, r, &lo, &hi)) {
			return false;
		}
		return lo <= last && first <= hi;
	}
	return (r->m.space == RULE_MMIO) == mmio && lo <= last && first <= hi;
}

/* A trap range of a rule that goes: handed to another rule that needs part
 * of it, or unmapped. */
static void release_trap(bool mmio, struct trap *t)
{
	for (unsigned no = 1; no <= rules_table.count; no++) {
		const struct rule_slot *s = rule_table_get(&rules_table, no);
		if (s && needs(&s->r, mmio, t->first, t->last)) {
			t->owner = no;
			return;
		}
	}
	unmap_trap(mmio, t);
}

unsigned rules_add(const struct rule *r, char *err, size_t errlen)
{
	console_held = true;
	unsigned no = install(r, err, errlen);
	console_held = false;
	return no;
}

bool rules_delete(unsigned no)
{
	if (!rule_table_set_state(&rules_table, no, RULE_DELETED))
		return false;
	console_held = true;
	for (unsigned i = 0; i < TRAP_POOL; i++) {
		if (port_traps[i].owner == no)
			release_trap(false, &port_traps[i]);
		if (mmio_traps[i].owner == no)
			release_trap(true, &mmio_traps[i]);
	}
	console_held = false;
	return true;
}

bool rules_switch(unsigned no, bool on)
{
	return rule_table_set_state(&rules_table, no, on ? RULE_ON : RULE_OFF);
}

/* The ECAM window of segment 0 (ACPI MCFG; PCI Firmware Specification 3.0
 * §4.1.2, Table 4-3: 8 reserved bytes after the header, then 16-byte
 * entries: base address, segment, start bus, end bus, reserved). */
static void find_ecam(uint64_t acpi_rsdp)
{
	const struct acpi_header *mcfg = acpi_find_table(acpi_rsdp, "MCFG");
	if (!mcfg)
		return;
	const uint8_t *p = (const uint8_t *)mcfg + sizeof(*mcfg) + 8;
	const uint8_t *end = (const uint8_t *)mcfg + mcfg->length;
	for (; p + 16 <= end; p += 16) {
		uint64_t base;
		uint16_t segment;
		__builtin_memcpy(&base, p, 8);
		__builtin_memcpy(&segment, p + 8, 2);
		if (segment)
			continue;
		rules_table.ecam_base = base;
		rules_table.ecam_bus_first = p[10];
		rules_table.ecam_bus_last = p[11];
		rules_table.has_ecam = true;
		log_info("rules: ECAM at 0x%lx, buses %u-%u", (unsigned long)base, p[10], p[11]);
		return;
	}
}

void rules_register(const struct rule *rules, unsigned n, uint64_t acpi_rsdp)
{
	create_pool();
	find_ecam(acpi_rsdp);
	for (unsigned i = 0; i < n; i++) {
		char err[96];
		unsigned no = install(&rules[i], err, sizeof(err));
		if (no)
			log_info("rule %u (line %u): %s", no, rules[i].line, rules[i].text);
		else
			log_err("line %u: %s: %s: not installed", rules[i].line, rules[i].text, err);
	}
}
