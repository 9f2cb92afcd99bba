/* SPDX-License-Identifier: GPL-2.0-only */
/* The hostile guest's driver: options, the batch loop and the health checks
 * (hostile.h). Options (load options, words key=value):
 *   seed=S       the stream (default 1)
 *   ops=N        operations to run (default 100000), from first=I (default 0)
 *   batch=N      operations between health checks (default 1000)
 *   no=a,b       classes switched off: pio insn msr cpuid hc cr xsetbv
 *   unsafe=a,b   variants known to crash the hypervisor: efer xcr0 cr
 *   verbose      print each operation before doing it
 *   storm=N      every N operations an INIT, SIPI or both to a random AP,
 *                which runs a loop of exits meanwhile (storm.c)
 *   bare         run without the hypervisor, no health checks (hypercalls
 *                then raise #UD): does the machine do the same bare?
 * Prints "hostile: done: N ops in T ms (R ops/s), seed S" at the end; a
 * failed check prints the seed and the index range of the batch before it. */
#include <efi.h>
#include <efilib.h>
#include <stdarg.h>
#include "hostile.h"
#include "hv/cpu.h"
#include "hv/format.h"
#include "hv/number.h"
#include "trap.h"
#include "user.h"

struct fuzz_config cfg = { .seed = 1, .ops = 100000, .batch = 1000,
			   .classes = (1u << OP_CLASSES) - 1 };
uint64_t vectors_seen[32];
static uint64_t current_op;

static const char *const class_names[OP_CLASSES] = {
	[OP_PIO] = "pio", [OP_INSN] = "insn", [OP_MSR] = "msr", [OP_CPUID] = "cpuid",
	[OP_HC] = "hc",	  [OP_CR] = "cr",     [OP_XSETBV] = "xsetbv",
};
static const char *const unsafe_names[] = { "efer", "xcr0", "cr" };

struct desc_buf {
	char *p;
	unsigned n;
};

static void desc_emit(void *arg, char c)
{
	struct desc_buf *b = arg;
	if (b->n + 1 < DESC_SIZE)
		b->p[b->n++] = c;
}

void describe(char *desc, const char *fmt, ...)
{
	struct desc_buf b = { desc, 0 };
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(desc_emit, &b, fmt, ap);
	va_end(ap);
	desc[b.n] = '\0';
	if (cfg.verbose)
		gprintf("hostile: op %lu: %s\n", current_op, desc);
}

int op_catch(void (*fn)(void))
{
	int v = trap_run(fn);
	/* Whatever the operation left in RFLAGS (POPF, SAHF...): interrupts off,
	 * DF and TF clear; the FPU and SSE state back to their defaults. */
	uint32_t mxcsr = 0x1F80;
	__asm__ volatile("pushq $2; popfq; fninit; ldmxcsr %0" ::"m"(mxcsr) : "memory", "cc");
	if (v >= 0)
		vectors_seen[v]++;
	return v;
}

static bool word_eq(const char *a, unsigned n, const char *b)
{
	unsigned i = 0;
	for (; i < n && b[i] && a[i] == b[i]; i++)
		;
	return i == n && !b[i];
}

/* A comma-separated list of names: the bits of those found in names[]. */
static unsigned parse_names(const char *v, unsigned len, const char *const *names, unsigned count)
{
	unsigned bits = 0;
	while (len) {
		unsigned n = 0;
		while (n < len && v[n] != ',')
			n++;
		for (unsigned i = 0; i < count; i++)
			if (word_eq(v, n, names[i]))
				bits |= 1u << i;
		v += n + (n < len);
		len -= n + (n < len);
	}
	return bits;
}

static bool parse_u64(const char *v, unsigned len, uint64_t *out)
{
	char buf[24];
	if (len == 0 || len >= sizeof(buf))
		return false;
	for (unsigned i = 0; i < len; i++)
		buf[i] = v[i];
	buf[len] = '\0';
	return parse_number(buf, out);
}

static void parse_options(const char *s)
{
	while (*s) {
		while (*s == ' ')
			s++;
		const char *w = s, *eq = NULL;
		while (*s && *s != ' ') {
			if (*s == '=' && !eq)
				eq = s;
			s++;
		}
		unsigned klen = (unsigned)((eq ? eq : s) - w);
		const char *v = eq ? eq + 1 : s;
		unsigned vlen = (unsigned)(s - v);
		if (word_eq(w, klen, "verbose"))
			cfg.verbose = true;
		else if (word_eq(w, klen, "bare"))
			cfg.bare = true;
		else if (word_eq(w, klen, "seed"))
			parse_u64(v, vlen, &cfg.seed);
		else if (word_eq(w, klen, "ops"))
			parse_u64(v, vlen, &cfg.ops);
		else if (word_eq(w, klen, "first"))
			parse_u64(v, vlen, &cfg.first);
		else if (word_eq(w, klen, "storm"))
			parse_u64(v, vlen, &cfg.storm);
		else if (word_eq(w, klen, "batch"))
			parse_u64(v, vlen, &cfg.batch);
		else if (word_eq(w, klen, "no"))
			cfg.classes &= ~parse_names(v, vlen, class_names, OP_CLASSES);
		else if (word_eq(w, klen, "unsafe"))
			cfg.unsafe |= parse_names(v, vlen, unsafe_names, 3);
	}
	if (!cfg.batch)
		cfg.batch = 1;
}

/* TSC ticks per millisecond, measured against the firmware's Stall, for the
 * summary (the MSR operations may set the TSC back a little: a rough rate). */
static uint64_t tsc_per_ms(void)
{
	uint64_t t0 = rdtsc();
	uefi_call_wrapper(BS->Stall, 1, 20000);
	uint64_t d = (rdtsc() - t0) / 20;
	return d ? d : 1;
}

static uint64_t pool_base, pool_size, image_base, image_size;

/* The hypervisor answers, and its memory (HC_HV_MEMORY) reads all ones at a
 * few places drawn from the batch's generator. */
static bool healthy(uint64_t batch_index)
{
	if (cfg.bare)
		return true;
	struct hc_result r = hypercall(HC_INFO, 0, 0, 0);
	if (r.rc != HC_OK || r.rbx != HV_HYPERCALL_ABI_VERSION) {
		gprintf("hostile: FAIL: HC_INFO answered rc %ld rbx %lu\n", r.rc, r.rbx);
		return false;
	}
	struct prng p = prng_for(cfg.seed ^ 0x5EED, batch_index);
	for (int i = 0; i < 4; i++) {
		bool in_pool = i & 1;
		uint64_t base = in_pool ? pool_base : image_base;
		uint64_t size = in_pool ? pool_size : image_size;
		uint64_t a = base + (prng_below(&p, size / 8) * 8);
		uint64_t v = *(volatile uint64_t *)a;
		if (v != ~0ull) {
			gprintf("hostile: FAIL: hypervisor %s at 0x%lx reads 0x%lx\n",
				in_pool ? "pool" : "image", a, v);
			return false;
		}
	}
	return true;
}

typedef void (*op_fn)(struct prng *, char *);
static const op_fn ops[OP_CLASSES] = {
	[OP_PIO] = op_pio,     [OP_INSN] = op_insn, [OP_MSR] = op_msr,	  [OP_CPUID] = op_cpuid,
	[OP_HC] = op_hc,       [OP_CR] = op_cr,	    [OP_XSETBV] = op_xsetbv,
};

static void run_op(uint64_t index)
{
	static char desc[DESC_SIZE];
	struct prng p = prng_for(cfg.seed, index);
	unsigned enabled[OP_CLASSES], n = 0;
	for (unsigned c = 0; c < OP_CLASSES; c++)
		if (cfg.classes & (1u << c))
			enabled[n++] = c;
	unsigned c = enabled[prng_below(&p, n)];
	desc[0] = '\0';
	current_op = index;
	ops[c](&p, desc);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	parse_options(guest_load_options());
	cfg.intel = cpuid(0, 0).ebx == 0x756e6547; /* "Genu" */
	gprintf("hostile: seed %lu, ops %lu from %lu, batch %lu, classes 0x%x, unsafe 0x%x\n",
		cfg.seed, cfg.ops, cfg.first, cfg.batch, cfg.classes, cfg.unsafe);
	if (!guest_check(hv_present() != cfg.bare, "running %s iomvisor",
			 cfg.bare ? "without" : "under") ||
	    !cfg.classes)
		guest_finish();
	if (!cfg.bare) {
		struct hc_result m = hypercall(HC_HV_MEMORY, 0, 0, 0);
		pool_base = m.rbx, pool_size = m.rcx, image_base = m.rdx, image_size = m.rsi;
		if (!guest_check(m.rc == HC_OK && pool_size >= 8 && image_size >= 8,
				 "HC_HV_MEMORY: pool 0x%lx+0x%lx, image 0x%lx+0x%lx", pool_base,
				 pool_size, image_base, image_size))
			guest_finish();
	}
	if (!guest_check(insn_init(), "scratch memory for the instruction operations"))
		guest_finish();
	ports_init();
	cfg.user_mode = user_init();
	uint64_t per_ms = tsc_per_ms();
	if (cfg.storm && !guest_check(storm_init(per_ms), "the APs run their loop of exits"))
		guest_finish();

	/* Interrupts stay off from here to the end: the devices the operations
	 * reprogram may raise ones the firmware no longer expects, and the
	 * guest needs none (its console is polled). Seen once: after 100,000
	 * operations (seed 1, QEMU SVM) the first STI took an interrupt with
	 * vector 0, which the firmware reported as #DE. */
	__asm__ volatile("cli" ::: "memory");
	trap_begin();
	probe_memory_map();
	uint64_t t0 = rdtsc();
	uint64_t i = cfg.first, end = cfg.first + cfg.ops, batches = 0;
	bool ok = true;
	while (i < end) {
		uint64_t stop = i + cfg.batch < end ? i + cfg.batch : end;
		gprintf("hostile: ops %lu-%lu\n", i, stop - 1);
		bool storms_ok = true;
		for (uint64_t b = i; b < stop && storms_ok; b++) {
			if (cfg.storm && b % cfg.storm == 0)
				storms_ok = storm_step(b);
			run_op(b);
		}
		if (!storms_ok || !healthy(batches) || (cfg.storm && !storm_check())) {
			gprintf("hostile: FAIL: seed %lu, after ops %lu-%lu (replay: seed=%lu "
				"first=%lu ops=%lu verbose)\n", cfg.seed, i, stop - 1, cfg.seed, i,
				stop - i);
			ok = false;
			i = stop;
			break;
		}
		i = stop;
		batches++;
	}
	uint64_t ms = (rdtsc() - t0) / per_ms;
	trap_end();
	uint64_t done = i - cfg.first;
	gprintf("hostile: exceptions:");
	for (unsigned v = 0; v < 32; v++)
		if (vectors_seen[v])
			gprintf(" #%u x%lu", v, vectors_seen[v]);
	gprintf("\n");
	gprintf("hostile: done: %lu ops in %lu ms (%lu ops/s), seed %lu\n", done, ms,
		ms ? done * 1000 / ms : 0, cfg.seed);
	guest_check(ok, "the hypervisor answered and hid its memory after every batch");
	if (cfg.storm)
		storm_report(ok);
	guest_check(user_hc_not_ud == 0, "%lu hypercalls from CPL 3: each raised #UD (%lu did not)",
		    user_hc_count, user_hc_not_ud);
	guest_finish();
}
