/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: a stopped vCPU's registers and the instruction at its RIP,
 * and guest memory, physical or through that vCPU's page tables. A vCPU shows
 * its state once it is parked (hv/vcpu.h: stopped, waiting on its own CPU,
 * its full state loaded there); memory is read only where it is plain RAM:
 * the hypervisor's hidden memory and trapped device pages are named, never
 * read. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/cpu.h"
#include "hv/format.h"
#include "hv/host.h"
#include "hv/mem/guest_access.h"
#include "hv/mem/trap_map.h"
#include "hv/number.h"
#include "hv/percpu.h"
#include "hv/string.h"
#include "hv/vcpu.h"
#include "hv/x86/disasm.h"
#include "hv/x86/emulate.h"
#include "hv/x86/pagewalk.h"

/* What `mem` and `vmem` show at most, and without LEN. */
#define DUMP_DEFAULT 64
#define DUMP_MAX 1024
#define ROW 16

/* Without a CPU number: the first vCPU a watchpoint or device stopped (the
 * one the person came for), else the one the console runs on. */
static unsigned default_vcpu(void)
{
	for (unsigned i = 0; i < hv_cpu_count() && i < HV_MAX_CPUS; i++) {
		struct vcpu *v = vcpu_of(i);
		if (v->arch && v->parked && !v->console_stop)
			return i;
	}
	return hv_cpu_index();
}

/* The vCPU a command names (its argument number `which`, or default_vcpu),
 * parked; NULL with the reason printed. */
static struct vcpu *parked_vcpu(char *const *args, unsigned n, unsigned which)
{
	uint64_t i = default_vcpu();
	if (n > which && !parse_number(args[which], &i)) {
		con_printf("error: '%s' is not a vCPU number\n", args[which]);
		return 0;
	}
	if (i >= hv_cpu_count() || i >= HV_MAX_CPUS || !vcpu_of((unsigned)i)->arch) {
		con_printf("error: no vcpu %lu (%u vCPUs; 'cpus' lists them)\n", (unsigned long)i,
			   hv_cpu_count());
		return 0;
	}
	struct vcpu *v = vcpu_of((unsigned)i);
	if (!__atomic_load_n(&v->parked, __ATOMIC_ACQUIRE)) {
		con_printf("error: vcpu %lu is not stopped: its state is shown only while it "
			   "waits ('cpus')\n", (unsigned long)i);
		return 0;
	}
	return v;
}

static void bits_line(const char *name, uint64_t value, const struct x86_bit_name *table)
{
	char names[128];
	x86_bit_names(value, table, names, sizeof(names));
	con_printf("%-6s %016lx  %s\n", name, (unsigned long)value, names);
}

static void pending_events(const struct vcpu *v)
{
	bool any = false;
	if (v->event.pending) {
		con_printf("pending: exception %u error 0x%x\n", v->event.vector, v->event.error);
		any = true;
	}
	if (v->interrupted.valid) {
		con_printf("pending: interrupted delivery of vector %u (type %u)\n",
			   v->interrupted.vector, v->interrupted.type);
		any = true;
	}
	if (v->nmi_pending) {
		con_printf("pending: NMI\n");
		any = true;
	}
	if (!any)
		con_printf("pending: none\n");
}

static void regs(char *const *args, unsigned n)
{
	struct vcpu *v = parked_vcpu(args, n, 0);
	if (!v)
		return;
	const struct x86_regs *r = &v->regs;
	con_printf("vcpu %u, stopped (%s), cpl %u, %u-bit code\n", v->index, v->stop_reason,
		   r->cpl, x86_mode_code_bits(x86_cpu_mode(r)));
	for (unsigned i = 0; i < X86_NR_GPRS; i++)
		con_printf("%-3s %016lx%s", x86_gpr_name(i, 8, false), (unsigned long)r->gpr[i],
			   i % 3 == 2 || i == X86_NR_GPRS - 1 ? "\n" : "  ");
	con_printf("rip %016lx\n", (unsigned long)r->rip);
	char names[128];
	x86_bit_names(r->rflags, x86_rflags_bits, names, sizeof(names));
	con_printf("rflags %016lx  %s IOPL=%lu\n", (unsigned long)r->rflags, names,
		   (unsigned long)((r->rflags & X86_RFLAGS_IOPL) >> X86_RFLAGS_IOPL_SHIFT));
	for (unsigned s = 0; s < X86_NR_SREGS; s++)
		con_printf("%s %04x base %016lx limit %08x attr %05x\n", x86_sreg_name(s),
			   r->seg[s].selector, (unsigned long)r->seg[s].base, r->seg[s].limit,
			   r->seg[s].attr);
	bits_line("cr0", r->cr0, x86_cr0_bits);
	con_printf("cr2    %016lx\ncr3    %016lx\n", (unsigned long)r->cr2, (unsigned long)r->cr3);
	bits_line("cr4", r->cr4, x86_cr4_bits);
	bits_line("efer", r->efer, x86_efer_bits);
	pending_events(v);
}

/* One row: LABEL, then up to ROW bytes in hex and as ASCII (80 columns). */
static void dump_row(const char *label, const uint8_t *b, unsigned len)
{
	con_printf("%s ", label);
	for (unsigned i = 0; i < ROW; i++)
		con_printf(i < len ? " %02x" : "   ", b[i < len ? i : 0]);
	con_printf("  ");
	for (unsigned i = 0; i < len; i++)
		con_printf("%c", b[i] >= 0x20 && b[i] < 0x7F ? b[i] : '.');
	con_printf("\n");
}

/* Why the page at gpa is not shown, or NULL for plain RAM. */
static const char *not_shown(uint64_t gpa)
{
	if (trap_map_is_hidden(gpa))
		return "hidden (the hypervisor's memory)";
	if (trap_map_is_special(gpa))
		return "trapped (a device's; not read)";
	if (!host_maps(gpa, 1))
		return "beyond the host's map (not read)";
	return 0;
}

/* [gpa, gpa+len) within one page; label_base: the address rows are labelled
 * with (the physical or the linear one). */
static void dump_page_part(uint64_t gpa, uint64_t label_base, unsigned len)
{
	char label[24];
	const char *why = not_shown(gpa);
	if (why) {
		con_printf("%012lx  %u bytes: %s\n", (unsigned long)label_base, len, why);
		return;
	}
	for (unsigned off = 0; off < len; off += ROW) {
		uint8_t b[ROW];
		unsigned n = len - off < ROW ? len - off : ROW;
		memcpy(b, (const void *)(gpa + off), n);
		fmt_snprintf(label, sizeof(label), "%012lx", (unsigned long)(label_base + off));
		dump_row(label, b, n);
	}
}

static unsigned page_rest(uint64_t a)
{
	return (unsigned)(X86_PAGE_SIZE - (a & (X86_PAGE_SIZE - 1)));
}

/* ADDR [LEN] of `mem` and `vmem`: false with the error printed. */
static bool range_args(char *const *args, unsigned n, uint64_t *addr, unsigned *len)
{
	uint64_t l = DUMP_DEFAULT;
	if (!parse_number(args[0], addr)) {
		con_printf("error: '%s' is not an address\n", args[0]);
		return false;
	}
	if (n > 1 && (!parse_number(args[1], &l) || l == 0 || l > DUMP_MAX)) {
		con_printf("error: '%s' is not a length from 1 to %u\n", args[1], DUMP_MAX);
		return false;
	}
	*len = (unsigned)l;
	return true;
}

static void mem(char *const *args, unsigned n)
{
	uint64_t a;
	unsigned len;
	if (!range_args(args, n, &a, &len))
		return;
	if (a >> guest_phys_bits() || (a + len - 1) >> guest_phys_bits()) {
		con_printf("error: 0x%lx is beyond the guest's %u physical address bits\n",
			   (unsigned long)a, guest_phys_bits());
		return;
	}
	while (len) {
		unsigned part = len < page_rest(a) ? len : page_rest(a);
		dump_page_part(a, a, part);
		a += part;
		len -= part;
	}
}

/* The translation the vCPU's own walk gives, read-only: a supervisor read
 * (SMAP out of the way: the console looks, the guest does not), without
 * setting accessed bits. */
static enum x86_status translate(struct vcpu *v, uint64_t la, uint64_t *gpa,
				 struct x86_result *res)
{
	struct guest_access ga = { v, IOM_CTX_EXIT };
	struct x86_ops ops;
	guest_ops_init(&ops, &ga);
	ops.pte_set_bits = 0;
	struct x86_regs r = v->regs;
	r.cpl = 0;
	r.rflags |= X86_RFLAGS_AC;
	return x86_translate(&r, &ops, la, X86_ACC_READ, gpa, res);
}

static void vmem(char *const *args, unsigned n)
{
	struct vcpu *v = parked_vcpu(args, n, 2);
	uint64_t la;
	unsigned len;
	if (!v || !range_args(args, n, &la, &len))
		return;
	while (len) {
		unsigned part = len < page_rest(la) ? len : page_rest(la);
		uint64_t gpa;
		struct x86_result res;
		if (translate(v, la, &gpa, &res) != X86_OK) {
			con_printf("%016lx  not mapped: #PF error 0x%x (a read at cpl 0)\n",
				   (unsigned long)la, res.fault.error_code);
		} else {
			con_printf("%016lx -> %lx:\n", (unsigned long)la, (unsigned long)gpa);
			dump_page_part(gpa, gpa, part);
		}
		la += part;
		len -= part;
	}
}

static void rip(char *const *args, unsigned n)
{
	struct vcpu *v = parked_vcpu(args, n, 0);
	if (!v)
		return;
	struct guest_access ga = { v, IOM_CTX_EXIT };
	struct x86_ops ops;
	guest_ops_init(&ops, &ga);
	ops.pte_set_bits = 0;
	struct x86_insn insn;
	struct x86_result res = { 0 };
	enum x86_status st = x86_fetch_insn(&v->regs, &ops, &insn, &res);
	char line[80], text[96];
	unsigned used = (unsigned)fmt_snprintf(line, sizeof(line), "vcpu %u rip %lx:", v->index,
					       (unsigned long)v->regs.rip);
	con_printf("%s", line);
	for (unsigned i = 0; i < res.insn_len && i < sizeof(res.insn); i++)
		con_printf(" %02x", res.insn[i]);
	used += 3 * res.insn_len;
	if (st == X86_OK)
		x86_disasm(&insn, text, sizeof(text));
	else if (st == X86_FAULT)
		fmt_snprintf(text, sizeof(text), "(fetch faults: vector %u error 0x%x)",
			     res.fault.vector, res.fault.error_code);
	else
		fmt_snprintf(text, sizeof(text), "(not an instruction the decoder knows)");
	/* Beside the bytes when that fits 80 columns, else under them. */
	if (used + 2 + strlen(text) <= 80)
		con_printf("  %s\n", text);
	else
		con_printf("\n  %s\n", text);
}

const struct debug_cmd debug_cmds_inspect[] = {
	{ "regs", "[CPU]", "a stopped vCPU's registers, decoded (default: the one a\nwatchpoint stopped, else the console's own)", 0, 1,
	  regs },
	{ "rip", "[CPU]", "the instruction at a stopped vCPU's RIP: bytes, decoded", 0, 1, rip },
	{ "mem", "ADDR [LEN]", "guest-physical memory, hex and ASCII (LEN 64, at most\n1024)", 1,
	  2, mem },
	{ "vmem", "ADDR [LEN [CPU]]", "the same through a stopped vCPU's page tables", 1, 3,
	  vmem },
	{ 0 },
};
