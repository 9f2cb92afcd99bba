/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO exit's fast path. Nearly every trapped MMIO access is a plain MOV
 * in 64-bit mode, and the hardware has already segmented and translated its
 * data address: the exit's guest-physical address is where it goes. So this
 * path needs only the instruction bytes (one walk of RIP, hv/x86/fetch64.c), a
 * decoder for those MOVs (hv/x86/fast_mov.c) and the IOM. Whatever it is not
 * sure of it leaves to x86_emulate(), before any device has seen an access:
 * the outcome is then the full emulator's. */
#include "hv/exit/mmio_fast.h"
#include "hv/dev/lapic.h"
#include "hv/dev/rules.h"
#include "hv/exit/code_page.h"
#include "hv/exit/exit_marks.h"
#include "hv/exit/mmio_last.h"
#include "hv/mem/guest_access.h"
#include "hv/mem/nested_map.h"
#include "hv/host.h"
#include "hv/percpu.h"
#include "hv/mem/trap_map.h"
#include "hv/x86/fast_mov.h"
#include "hv/x86/fetch64.h"

/* The last instruction each CPU decoded. A driver's MMIO accesses repeat (the
 * same accessor, a polling loop), and a decode depends on nothing but the
 * bytes: the same 16 bytes decode the same, whatever changed around them.
 * Only this CPU touches its entry; one cache line each. */
struct last_decoded {
	uint64_t bytes[2];
	struct x86_fast_mov m;
	bool valid;
} __attribute__((aligned(64)));
static struct last_decoded last[HV_MAX_CPUS];

/* Decodes the fetched bytes, or finds them decoded already; NULL if the fast
 * path does not take them. */
static const struct x86_fast_mov *decode(struct vcpu *v, const uint8_t *code, unsigned n,
					 struct x86_fast_mov *scratch)
{
	struct last_decoded *d = &last[v->index];
	uint64_t b[2];

	/* Fewer bytes (the page ends there) may decode otherwise: not cached. */
	if (n < X86_FETCH64_BUF)
		return x86_fast_mov_decode(code, n, scratch) ? scratch : NULL;
	__builtin_memcpy(b, code, sizeof(b));
	if (d->valid && d->bytes[0] == b[0] && d->bytes[1] == b[1])
		return &d->m;
	d->valid = x86_fast_mov_decode(code, n, &d->m);
	d->bytes[0] = b[0];
	d->bytes[1] = b[1];
	return d->valid ? &d->m : NULL;
}

/* The MOV's read, again from the deferred context after it deferred; st is
 * its own status, apart from the drain's. */
struct fast_retry {
	struct vcpu *v;
	uint64_t gpa;
	uint64_t *value;
	unsigned size;
	iom_status_t st;
};

static iom_status_t fast_read_again(void *arg)
{
	struct fast_retry *f = arg;
	f->st = guest_mmio_read(f->v, IOM_CTX_DEFERRED, f->gpa, f->value, f->size);
	return f->st;
}

/* Out of line: the common MOV carries none of it. The MOV completes when its
 * own access did; an outcome of the drain (earlier writes) then follows it,
 * as with the full emulator. */
static __attribute__((noinline)) iom_status_t
fast_read_deferred(struct vcpu *v, const struct x86_fast_mov *m, uint64_t gpa)
{
	uint64_t value = 0;
	struct fast_retry f = { v, gpa, &value, m->size, IOM_INTERNAL_ERROR };
	iom_status_t st = iom_complete_deferred_read(v->index, fast_read_again, &f);
	if (f.st == IOM_OK)
		x86_fast_mov_complete(&v->regs, m, value);
	return st;
}

/* The MOV at RIP, fetched, decoded and checked, with its operand's linear
 * address in *la; NULL if the fast path does not take it. Remembered for the
 * next exits (hv/exit/mmio_last.h) when its bytes were fetched whole. Out of
 * line: a repeated access (mmio_last_match) needs none of it. */
static __attribute__((noinline)) const struct x86_fast_mov *
fetch_and_check(struct vcpu *v, const struct x86_code_state *cs, uint64_t generation, uint64_t gpa,
		uint64_t *la, struct x86_fast_mov *scratch)
{
	const struct x86_regs *r = &v->regs;
	const struct x86_fast_mov *m;
	uint8_t code[X86_FETCH64_BUF];
	/* The caller's key, taken again here from the same inputs: passing
	 * its address would keep the caller's copy in memory on the repeated
	 * access's path, which needs only its registers. */
	const struct code_key key = code_key_of(v, cs, generation), *k = &key;

	unsigned n = code_page_fetch(v, cs, k, code);
	if (!n || !(m = decode(v, code, n, scratch)))
		return NULL;
	/* The exit's address must be the operand's, whole. */
	*la = x86_fast_mov_address(r, m);
	if (!x86_fast_mov_fits(m, *la, cs->cr4 & X86_CR4_LA57, gpa))
		return NULL;
	/* The decoded access, as the CPU would check it: the bytes may have been
	 * rewritten since the CPU ran them (a read became a write, a user access
	 * went to a supervisor page). */
	if (!code_page_data_allowed(v, cs, k, *la, m->write, gpa))
		return NULL;
	/* The full emulator sends accesses to pages the trap map does not list
	 * (one just unmapped on another CPU) to RAM. A remembered access needs
	 * no such check again: a page leaves the trap map only after the nested
	 * map changed (hv/start.c), which moves the generation its key holds. */
	if (!trap_map_is_special(gpa))
		return NULL;
	if (n == X86_FETCH64_BUF) {
		const struct x86_fetch_walk *cw = code_page_walk(v);
		mmio_last_record(v, k, gpa,
				 &(struct mmio_access){
					 .code = code,
					 .code_gpa = cw->page | (r->rip & (PAGE_SIZE_4K - 1)),
					 .m = m,
					 .la = *la,
					 .code_walk = cw,
					 .data_walk = data_page_walk(v),
				 });
	}
	return m;
}

bool hv_mmio_fast(struct vcpu *v, uint64_t gpa, iom_status_t *st)
{
	struct x86_regs *r = &v->regs;
	struct x86_code_state cs;
	struct x86_fast_mov scratch;
	const struct x86_fast_mov *m;
	uint64_t value = 0, la;

	/* The full emulator owes these: the single-step #DB after the
	 * instruction (SDM Vol. 3A §18.3.1.4), and an alignment check that a
	 * user access may raise (#AC, Vol. 3A §6.15 interrupt 17). */
	if (r->rflags & X86_RFLAGS_TF)
		return false;
	if (r->cpl == 3 && (r->rflags & X86_RFLAGS_AC))
		return false;

	vcpu_code_state(v, &cs);
	/* The generation before any walk (hv/exit/code_key.h). */
	uint64_t generation = guest_map_generation();
	struct code_key k = code_key_of(v, &cs, generation);
	m = mmio_last_match(v, &k, gpa, &la);
	if (!m && !(m = fetch_and_check(v, &cs, generation, gpa, &la, &scratch)))
		return false;

	if (m->write)
		value = x86_fast_mov_store_value(r, m);
	/* The local APIC's EOI, TPR and TMICT writes and ICR reads: straight to
	 * the APIC (hv/dev/lapic.h), unless a rule (a watchpoint is one) is to
	 * see them (guest_mmio_read and guest_mmio_write apply those). */
	if (m->size == 4 && lapic_fast_register(gpa, m->write) && !rules_active() &&
	    lapic_fast_access(v->index, gpa, m->write, &value)) {
		*st = IOM_OK;
	} else {
		EXIT_MARK(v->index, EXIT_MARK_IOM_IN);
		*st = m->write ? guest_mmio_write(v, IOM_CTX_EXIT, gpa, &value, m->size)
			       : guest_mmio_read(v, IOM_CTX_EXIT, gpa, &value, m->size);
		EXIT_MARK(v->index, EXIT_MARK_IOM_OUT);
	}
	/* Only reads defer (writes are queued). */
	if (*st == IOM_READ_DEFERRED)
		*st = fast_read_deferred(v, m, gpa);
	else if (*st == IOM_OK)
		x86_fast_mov_complete(r, m, value);
	return true;
}
