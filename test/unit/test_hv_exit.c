/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: the common exit glue (hv/exit/exit.c, exit_mmio.c, mmio_fast.c,
 * guest_access.c) against the real IOM and emulator, a fake vCPU and guest
 * memory. The glue reads guest RAM where the hypervisor's identity map puts
 * it (host address = guest-physical address), so the guest's RAM here is
 * mapped at a fixed low address of the test process. */
#include <sys/mman.h>

#include "test/unit/iom_test_platform.h"
#include "test/unit/hv_fakes.h"
#include "test/unit/x86_fake_guest.h"
#include "hv/exit/exit.h"
#include "hv/exit/entry_work.h"
#include "hv/exit/exit_tail.h"
#include "hv/mem/trap_map.h"
#include "hv/x86/regs.h"
#include "hv/x86/result.h"

#define RAM 0x10000000ull                 /* guest RAM: 16 MiB, identity */
#define RAM_SIZE (16ull << 20)
#define PML4 (RAM + 0x1000)
#define PDPT (RAM + 0x2000)
#define PD0 (RAM + 0x3000)                /* GiB 0 */
#define PD3 (RAM + 0x4000)                /* GiB 3 */
#define CODE (RAM + 0x100000)
#define DATA (RAM + 0x200000)
#define DEV 0xFED00000ull                 /* a device page (no RAM behind) */
#define TRAPPED_RAM (RAM + 0x800000)      /* a trapped page amid RAM */
#define HIDDEN (RAM + 0x900000)           /* the hypervisor's, hidden */
#define PAGE 0x1000ull
#define PORT 0x60


static struct dev A, B, P;
static struct vcpu *v;
static unsigned full_state_loads, code_state_loads;

static void *at(uint64_t gpa) { return (void *)(uintptr_t)gpa; }
static void put64(uint64_t gpa, uint64_t val) { memcpy(at(gpa), &val, 8); }

/* The nested map's generation (hv/mem/nested_map.h): every setup is a new
 * machine, and a test that traps a page bumps it as the map would. */
static uint64_t fake_generation;
uint64_t guest_map_generation(void) { return fake_generation; }

/* The exit tail's steps 1 and 3 (hv/exit/exit_tail.c), as seams: counted. */
static unsigned fake_init_takes, fake_stop_waits;
void hv_exit_take_init(struct vcpu *vc)
{
	(void)vc;
	fake_init_takes++;
}
void hv_exit_wait_while_stopped(struct vcpu *vc)
{
	(void)vc;
	fake_stop_waits++;
}

/* The backend's share, as link-time seams (hv/vcpu.h). */
void vcpu_load_full_state(struct vcpu *vc) { (void)vc; full_state_loads++; }

void vcpu_code_state(struct vcpu *vc, struct x86_code_state *cs)
{
	code_state_loads++;
	*cs = (struct x86_code_state){ .cr0 = vc->regs.cr0, .cr3 = vc->regs.cr3, .cr4 = vc->regs.cr4,
				       .efer = vc->regs.efer,
				       .cs_attr = vc->regs.seg[X86_CS].attr };
}

/* 4-level paging, identity: RAM with 2-MiB pages, and the 2 MiB that hold
 * DEV. */
static void build_page_tables(void)
{
	memset(at(PML4), 0, 4 * PAGE);
	put64(PML4, PDPT | PG_P | PG_RW);
	put64(PDPT, PD0 | PG_P | PG_RW);
	put64(PDPT + 3 * 8, PD3 | PG_P | PG_RW);
	for (uint64_t a = RAM; a < RAM + RAM_SIZE; a += 2 << 20)
		put64(PD0 + (a >> 21) * 8, a | PG_P | PG_RW | PG_PS);
	uint64_t dev2m = DEV & ~((2ull << 20) - 1);
	put64(PD3 + ((dev2m >> 21) & 511) * 8, dev2m | PG_P | PG_RW | PG_PS);
}

static void long_mode_vcpu(struct vcpu *vc)
{
	struct x86_regs *r = &vc->regs;
	memset(r, 0, sizeof(*r));
	r->cr0 = X86_CR0_PE | X86_CR0_PG;
	r->cr3 = PML4;
	r->cr4 = X86_CR4_PAE;
	r->efer = X86_EFER_LME | X86_EFER_LMA;
	r->rflags = X86_RFLAGS_FIXED1;
	fg_flat_segments(r, 64);
	r->rip = CODE;
	vc->full_state = false;
	vc->state = VCPU_RUNNING;
}

static int map_once(void)
{
	static bool mapped;
	if (mapped)
		return 0;
	void *p = mmap(at(RAM), RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != at(RAM))
		return -1;
	mapped = true;
	host_idmap.eager_end = RAM + RAM_SIZE;
	/* The hypervisor's start does these once. */
	trap_map_hide(HIDDEN, PAGE);
	assert_int_equal(trap_map_set(DEV, PAGE, true), 0);
	assert_int_equal(trap_map_set(TRAPPED_RAM, PAGE, true), 0);
	return 0;
}

static int setup(void **state)
{
	if (map_once())
		return -1;
	iom_test_setup(state);
	fake_reset();
	fake_generation++;
	memset(at(RAM), 0, RAM_SIZE);
	build_page_tables();
	v = &fake_vcpus[0];
	long_mode_vcpu(v);
	full_state_loads = code_state_loads = 0;
	dev_init(&A);
	dev_init(&B);
	dev_init(&P);
	map_mmio_dev(&A, "a", DEV, PAGE, 0);
	map_mmio_dev(&B, "b", TRAPPED_RAM, PAGE, 0);
	map_port_dev(&P, "p", PORT, 8, 0);
	return 0;
}

static void code(const uint8_t *bytes, size_t n)
{
	memcpy(at(v->regs.rip), bytes, n);
}
#define CODE_BYTES(...)                                         \
	do {                                                    \
		static const uint8_t b_[] = { __VA_ARGS__ };    \
		code(b_, sizeof(b_));                           \
	} while (0)

static void port(uint16_t p, unsigned size, bool in)
{
	struct hv_port_access a = { .port = p, .size = (uint8_t)size, .in = in,
				    .next_rip = v->regs.rip + 2 };
	hv_exit_port(v, &a);
}

/* ---- port I/O ------------------------------------------------------------- */

/* IN of each size: 8 and 16 bits keep RAX's upper bits, 32 bits zero-extend
 * (SDM Vol. 1 §3.4.1.1). */
static void test_port_read_sizes_merge_into_rax(void **state)
{
	memcpy(P.mem, "\x11\x22\x33\x44", 4);
	static const struct { unsigned size; uint64_t rax; } cases[] = {
		{ 1, 0xAAAAAAAAAAAAAA11ull },
		{ 2, 0xAAAAAAAAAAAA2211ull },
		{ 4, 0x0000000044332211ull },
	};
	for (unsigned i = 0; i < 3; i++) {
		v->regs.gpr[X86_RAX] = 0xAAAAAAAAAAAAAAAAull;
		v->regs.rip = CODE;
		port(PORT, cases[i].size, true);
		assert_int_equal(v->regs.gpr[X86_RAX], cases[i].rax);
		assert_int_equal(v->regs.rip, CODE + 2);
	}
}

static void test_port_write_takes_the_low_bytes_of_rax(void **state)
{
	v->regs.gpr[X86_RAX] = 0x1122334455667788ull;
	port(PORT, 2, false);
	assert_int_equal(P.n, 1);
	assert_call(&P, 0, 'o', IOM_CTX_EXIT, 0, 2);
	assert_int_equal(P.log[0].value, 0x7788);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x1122334455667788ull);
}

/* RIP moves past the instruction only when the access completed. */
static void test_rip_advances_only_on_success(void **state)
{
	v->regs.gpr[X86_RAX] = 0x55;
	P.status = IOM_INJECT_GP;
	port(PORT, 1, true);
	assert_int_equal(v->regs.rip, CODE);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x55);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_GP);
	assert_int_equal(v->event.error, 0);

	P.status = IOM_STOP_VCPU;
	v->event.pending = false;
	port(PORT, 1, false);
	assert_int_equal(v->regs.rip, CODE);
	assert_int_equal(v->state, VCPU_STOPPED);
	assert_false(v->event.pending);
}

/* A full queue: the OUT is not done, RIP stays, the entry drains the queue,
 * and the re-executed OUT goes through. */
static void test_queue_full_write_is_retried(void **state)
{
	P.defer_from = 0;
	unsigned queued = 0;
	v->regs.gpr[X86_RAX] = 0;
	while (v->regs.rip == CODE) {
		v->regs.rip = CODE;
		port(PORT, 1, false);
		if (v->regs.rip == CODE)
			break;
		v->regs.rip = CODE;
		queued++;
		assert_true(queued <= IOM_DEFER_QUEUE_LEN);
	}
	assert_int_equal(queued, IOM_DEFER_QUEUE_LEN);
	assert_int_equal(v->regs.rip, CODE); /* the one that found it full */
	assert_int_equal(v->state, VCPU_RUNNING);
	hv_before_entry(v);
	assert_int_equal(iom_deferred_count(0), 0);
	/* The first write's handler deferred; the rest queued behind it
	 * without a call (iom.h, "Ordering"); then every one committed. */
	assert_int_equal(P.n, 1 + IOM_DEFER_QUEUE_LEN);
	P.defer_from = -1;
	port(PORT, 1, false);
	assert_int_equal(v->regs.rip, CODE + 2);
}

/* An IN after a write that deferred: the write is committed first, then the
 * read runs from deferred context, and the instruction completes before the
 * vCPU re-enters the guest. */
static void test_deferred_read_completes_before_entry(void **state)
{
	P.defer_from = 0; /* exit-context calls defer; deferred ones do not */
	v->regs.gpr[X86_RAX] = 0xA5;
	port(PORT, 1, false);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(iom_deferred_count(0), 1);

	v->regs.gpr[X86_RAX] = 0xFFFFFFFF00000000ull;
	port(PORT, 1, true);
	assert_int_equal(iom_deferred_count(0), 0);
	assert_int_equal(v->regs.rip, CODE + 4);
	assert_int_equal(v->regs.gpr[X86_RAX], 0xFFFFFFFF000000A5ull);
	/* Device order: the OUT deferred, then committed, then the IN. */
	assert_int_equal(P.n, 3);
	assert_call(&P, 1, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_call(&P, 2, 'i', IOM_CTX_DEFERRED, 0, 1);
	/* Nothing left for the entry. */
	hv_before_entry(v);
	assert_int_equal(P.n, 3);
	assert_int_equal(fake_trace_drains, 1);
	assert_int_equal(fake_debug_steps, 1);
}

/* The steps before an entry run when something raised this CPU's pending
 * word, left work unfinished, queued a deferred write, or a poll fell due;
 * otherwise the entry skips them all. */
static void test_before_entry_runs_only_with_work(void **state)
{
	fake_poll_at = UINT64_MAX; /* no poll due */
	hv_before_entry(v);        /* whatever the last test left */
	fake_trace_drains = 0;
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 0);

	entry_work_raise(v->index); /* a producer: a trace record, a hit... */
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 1);
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 1);

	entry_work_raise_all(); /* a producer for every CPU: a held log line */
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 2);

	fake_debug_pending = true; /* work left: the steps run again */
	entry_work_raise(v->index);
	hv_before_entry(v);
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 4);
	fake_debug_pending = false;
	hv_before_entry(v); /* finished now */
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 5);

	P.defer_from = 0; /* a deferred write raises the word (the IOM's platform hook) */
	iom_test_on_queued = entry_work_raise;
	port(PORT, 1, false);
	iom_test_on_queued = NULL;
	assert_int_equal(iom_deferred_count(0), 1);
	hv_before_entry(v);
	assert_int_equal(iom_deferred_count(0), 0);
	assert_int_equal(fake_trace_drains, 6);

	fake_poll_at = rdtsc(); /* the deadline the steps leave: passed already */
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 6);
	entry_work_raise(v->index);
	hv_before_entry(v); /* takes the new deadline */
	hv_before_entry(v); /* a poll fell due */
	assert_int_equal(fake_trace_drains, 8);

	fake_poll_at = UINT64_MAX; /* the trace's flood window ends: a poll too */
	fake_trace_poll_at = rdtsc();
	entry_work_raise(v->index);
	hv_before_entry(v);
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 10);
	fake_trace_poll_at = UINT64_MAX;
}

/* The exit tail's INIT check and stopped wait run on the entry's slow path:
 * an NMI for the vCPU (vcpu_nmi_pend) and a stop (vcpu_stop) raise the
 * entry work, and an entry with nothing raised looks at neither. */
static void test_init_and_stop_ride_the_entry_work(void **state)
{
	fake_poll_at = UINT64_MAX; /* no poll due */
	hv_before_entry(v);	   /* whatever the last test left */
	hv_before_entry(v);
	fake_init_takes = fake_stop_waits = 0;

	vcpu_nmi_pend(v);
	assert_true(v->nmi_pending);
	assert_int_not_equal(v->events_raised, 0);
	hv_before_entry(v);
	assert_int_equal(fake_init_takes, 1);
	assert_int_equal(fake_stop_waits, 0);
	v->nmi_pending = false;
	v->events_raised = 0;

	v->state = VCPU_STOPPED;
	entry_work_raise(v->index); /* as the real vcpu_stop does */
	hv_before_entry(v);
	assert_int_equal(fake_stop_waits, 1);
	v->state = VCPU_RUNNING;
	hv_before_entry(v);
	hv_before_entry(v);
	assert_int_equal(fake_init_takes, 1);
	assert_int_equal(fake_stop_waits, 1);
}

static void raise_once(unsigned cpu)
{
	fake_on_drain = NULL;
	entry_work_raise(cpu);
}

/* Work raised while the entry's slow path runs, after it took the pending word
 * and before it set the next deadline, is taken at the next entry: setting the
 * deadline does not undo the raise's "due now" (hv/exit/entry_work.h). */
static void test_work_raised_during_the_slow_path_is_kept(void **state)
{
	fake_poll_at = UINT64_MAX; /* no poll due */
	hv_before_entry(v);        /* whatever the last test left */
	hv_before_entry(v);
	fake_trace_drains = 0;

	fake_on_drain = raise_once;
	entry_work_raise(v->index);
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 1);
	hv_before_entry(v); /* the raise from inside the slow path */
	assert_int_equal(fake_trace_drains, 2);
	hv_before_entry(v);
	assert_int_equal(fake_trace_drains, 2);
}

/* The drain's outcome belongs to the earlier write: the IN itself
 * completes (RAX, RIP), and the outcome acts after it. */
static void test_deferred_read_with_a_failing_drain(void **state)
{
	struct dev W;
	dev_init(&W);
	map_port_dev(&W, "w", 0x70, 1, 0);
	W.defer_from = 0;
	W.status = IOM_STOP_VCPU; /* its commit stops the vCPU */
	port(0x70, 1, false);
	assert_int_equal(iom_deferred_count(0), 1);

	P.mem[0] = 0x42;
	v->regs.gpr[X86_RAX] = 0x1234;
	port(PORT, 1, true);
	assert_int_equal(W.n, 2);                 /* committed */
	assert_int_equal(P.n, 1);                 /* the read retried, once */
	assert_call(&P, 0, 'i', IOM_CTX_DEFERRED, 0, 1);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x1242);
	assert_int_equal(v->regs.rip, CODE + 4);
	assert_int_equal(v->state, VCPU_STOPPED);
}

/* The read's own outcome keeps the IN undone, whatever the drain said. */
static void test_deferred_read_failing_itself(void **state)
{
	P.defer_from = 0;
	port(PORT, 1, false);
	P.status = IOM_INJECT_GP; /* the commit and the retry both answer this */
	v->regs.gpr[X86_RAX] = 0x1234;
	port(PORT, 1, true);
	assert_int_equal(P.n, 3);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x1234);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_GP);
}

/* The entry commits what is queued and acts on its outcome; the
 * instruction that queued it completed already. */
static void test_before_entry_drains_and_applies(void **state)
{
	P.defer_from = 0;
	P.status = IOM_INJECT_GP;
	port(PORT, 1, false);
	assert_int_equal(v->regs.rip, CODE + 2);
	hv_before_entry(v);
	assert_int_equal(iom_deferred_count(0), 0);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_GP);
}

/* ---- MMIO: the fast path and the emulator ---------------------------------- */

struct outcome {
	uint64_t gpr[X86_NR_GPRS];
	uint64_t rip;
	unsigned dev_calls;
	uint64_t dev_value;
	uint8_t mem[16];
};

/* Runs the instruction at CODE with RBX = DEV + 0x10, through the fast path
 * (TF clear) or through the emulator (TF set: the fast path leaves
 * single-stepping to it), from the same state. */
static struct outcome run_mmio(const uint8_t *bytes, size_t n, unsigned disp,
			       bool emulator, bool defer_first)
{
	struct outcome o;
	setup(NULL);
	code(bytes, n);
	memcpy(A.mem + 0x10, "\x81\x92\xA3\xB4\xC5\xD6\xE7\xF8", 8);
	for (unsigned i = 0; i < X86_NR_GPRS; i++)
		v->regs.gpr[i] = 0x0101010101010101ull * (i + 1);
	v->regs.gpr[X86_RBX] = DEV + 0x10;
	if (emulator)
		v->regs.rflags |= X86_RFLAGS_TF;
	if (defer_first) {
		/* A write to A that defers, so the MOV's read defers too. */
		uint32_t w = 0x5A5A5A5A;
		A.defer_from = 0;
		assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, DEV + 0x100, &w, 4), IOM_OK);
		A.defer_from = -1;
	}
	hv_exit_mmio(v, DEV + 0x10 + disp); /* the operand's address */
	assert_int_equal(full_state_loads, emulator ? 1 : 0);
	/* No exception: the single-step #DB after a completed instruction is
	 * the exit tail's (hv/exit/exit_tail.h), the same for every exit. */
	assert_false(v->event.pending);
	/* A store behind a deferred write is queued too: all is committed
	 * before the vCPU re-enters. */
	hv_before_entry(v);
	assert_int_equal(iom_deferred_count(0), 0);
	memcpy(o.gpr, v->regs.gpr, sizeof(o.gpr));
	o.rip = v->regs.rip;
	o.dev_calls = A.n;
	o.dev_value = A.n ? A.log[A.n - 1].value : 0;
	memcpy(o.mem, A.mem + 0x10, 16);
	return o;
}

static void same_either_way(const uint8_t *bytes, size_t n, unsigned len, unsigned disp)
{
	for (int deferred = 0; deferred < 2; deferred++) {
		struct outcome fast = run_mmio(bytes, n, disp, false, deferred);
		struct outcome emul = run_mmio(bytes, n, disp, true, deferred);
		assert_int_equal(fast.rip, CODE + len);
		assert_int_equal(emul.rip, CODE + len);
		assert_memory_equal(fast.gpr, emul.gpr, sizeof(fast.gpr));
		assert_int_equal(fast.dev_calls, emul.dev_calls);
		assert_int_equal(fast.dev_value, emul.dev_value);
		assert_memory_equal(fast.mem, emul.mem, 16);
	}
}

static void test_mmio_mov_fast_path_equals_emulator(void **state)
{
	static const struct { uint8_t b[8]; unsigned n, disp; } movs[] = {
		{ { 0x8B, 0x03 }, 2, 0 },             /* mov eax, [rbx]: zero-extends */
		{ { 0x48, 0x8B, 0x0B }, 3, 0 },       /* mov rcx, [rbx] */
		{ { 0x66, 0x8B, 0x13 }, 3, 0 },       /* mov dx, [rbx]: keeps the rest */
		{ { 0x8A, 0x23 }, 2, 0 },             /* mov ah, [rbx] */
		{ { 0x44, 0x8A, 0x43, 0x03 }, 4, 3 }, /* mov r8b, [rbx+3] */
		{ { 0x89, 0x33 }, 2, 0 },             /* mov [rbx], esi */
		{ { 0x48, 0x89, 0x3B }, 3, 0 },       /* mov [rbx], rdi */
		{ { 0x88, 0x63, 0x02 }, 3, 2 },       /* mov [rbx+2], ah */
		{ { 0x0F, 0xB6, 0x03 }, 3, 0 },       /* movzx eax, byte [rbx] */
		{ { 0x48, 0x0F, 0xBF, 0x03 }, 4, 0 }, /* movsx rax, word [rbx] */
	};
	for (unsigned i = 0; i < sizeof(movs) / sizeof(movs[0]); i++)
		same_either_way(movs[i].b, movs[i].n, movs[i].n, movs[i].disp);
}

/* Is the fast path really taken for a plain MOV? (Else the comparison above
 * would compare the emulator with itself.) */
static void test_fast_path_skips_the_full_state(void **state)
{
	CODE_BYTES(0x8B, 0x03);
	v->regs.gpr[X86_RBX] = DEV;
	hv_exit_mmio(v, DEV);
	assert_int_equal(code_state_loads, 1);
	assert_int_equal(full_state_loads, 0);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(A.n, 1);
}

/* A fresh vCPU about to run mov eax, [DEV] (RAX 0x77), through the emulator
 * or not. */
static void mov_eax_from_dev(bool emulator)
{
	setup(NULL);
	CODE_BYTES(0x8B, 0x03);
	v->regs.gpr[X86_RBX] = DEV;
	v->regs.gpr[X86_RAX] = 0x77;
	if (emulator)
		v->regs.rflags |= X86_RFLAGS_TF;
}

/* A device's outcome stops the MOV on either path: RIP and the register
 * stay. */
static void test_mmio_outcome_leaves_the_instruction_undone(void **state)
{
	for (int emulator = 0; emulator < 2; emulator++) {
		mov_eax_from_dev(emulator);
		A.status = IOM_INJECT_GP;
		hv_exit_mmio(v, DEV);
		assert_int_equal(v->regs.rip, CODE);
		assert_int_equal(v->regs.gpr[X86_RAX], 0x77);
		assert_true(v->event.pending);
		assert_int_equal(v->event.vector, X86_EXC_GP);
	}
}

/* A read that deferred behind a write whose commit stops the vCPU: on both
 * paths the read is still retried (the drain emptied the queue; iom.h,
 * iom_complete_deferred_read), the MOV completes, and the vCPU stops after
 * it: the same registers either way. */
static void test_mmio_deferred_read_with_a_failing_drain(void **state)
{
	for (int emulator = 0; emulator < 2; emulator++) {
		mov_eax_from_dev(emulator);
		P.defer_from = 0;
		P.status = IOM_STOP_VCPU;
		assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, PORT, 1, 1), IOM_OK);
		hv_exit_mmio(v, DEV);
		assert_int_equal(P.n, 2);       /* committed */
		assert_int_equal(A.n, 1);       /* and the read retried */
		assert_call(&A, 0, 'r', IOM_CTX_DEFERRED, 0, 4);
		assert_int_equal(v->state, VCPU_STOPPED);
		assert_int_equal(iom_deferred_count(0), 0);
		assert_int_equal(v->regs.rip, CODE + 2);
		assert_int_equal(v->regs.gpr[X86_RAX], dev_le(A.mem, 4)); /* zero-extended */
	}
}

/* ---- guest memory (guest_access.c through the emulator) -------------------- */

/* A load that straddles the last bytes of a RAM page and a trapped page gets
 * each part from where it lives. */
static void test_access_across_ram_and_trapped_page(void **state)
{
	CODE_BYTES(0x8B, 0x03); /* mov eax, [rbx] */
	memcpy(at(TRAPPED_RAM - 2), "\x11\x22", 2);
	memcpy(B.mem, "\x33\x44", 2);
	memcpy(at(TRAPPED_RAM), "\xEE\xEE", 2); /* host RAM under the trap: unseen */
	v->regs.gpr[X86_RBX] = TRAPPED_RAM - 2;
	hv_exit_mmio(v, TRAPPED_RAM);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x44332211);
	assert_int_equal(B.n, 1);
	assert_call(&B, 0, 'r', IOM_CTX_EXIT, 0, 2);
}

/* An instruction whose bytes cross a page boundary is fetched whole. */
static void test_instruction_across_a_page(void **state)
{
	for (int emulator = 0; emulator < 2; emulator++) {
		setup(NULL);
		v->regs.rip = CODE + PAGE - 1;
		CODE_BYTES(0x48, 0x8B, 0x03); /* mov rax, [rbx] */
		v->regs.gpr[X86_RBX] = DEV;
		if (emulator)
			v->regs.rflags |= X86_RFLAGS_TF;
		memcpy(A.mem, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
		hv_exit_mmio(v, DEV);
		assert_int_equal(v->regs.rip, CODE + PAGE + 2);
		assert_int_equal(v->regs.gpr[X86_RAX], 0x0807060504030201ull);
	}
}

/* The hypervisor's memory reads as nothing: all ones, never its bytes. */
static void test_hidden_memory_is_refused(void **state)
{
	memcpy(at(HIDDEN), "secret!!", 8);
	CODE_BYTES(0x48, 0x8B, 0x03); /* mov rax, [rbx] */
	v->regs.gpr[X86_RBX] = HIDDEN;
	hv_exit_mmio(v, HIDDEN);
	assert_int_equal(v->regs.rip, CODE + 3);
	assert_int_equal(v->regs.gpr[X86_RAX], ~0ull);
	/* And a write there goes nowhere. */
	setup(NULL);
	CODE_BYTES(0x48, 0x89, 0x03); /* mov [rbx], rax */
	memcpy(at(HIDDEN), "secret!!", 8);
	v->regs.gpr[X86_RBX] = HIDDEN;
	v->regs.gpr[X86_RAX] = 0x4141414141414141ull;
	hv_exit_mmio(v, HIDDEN);
	assert_int_equal(v->regs.rip, CODE + 3);
	assert_memory_equal(at(HIDDEN), "secret!!", 8);
}

/* Code in the hypervisor's memory is not fetched: #GP, not its bytes. */
static void test_code_in_hidden_memory_is_not_fetched(void **state)
{
	v->regs.rip = HIDDEN;
	memcpy(at(HIDDEN), "\x8B\x03", 2);
	v->regs.gpr[X86_RBX] = DEV;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, HIDDEN);
	assert_int_equal(A.n, 0);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_GP);
}

/* ---- the code page's translation, kept per vCPU (hv/exit/code_page.c) --- */

/* Two MOVs from the device at the same linear RIP: the first from 8B 03 (mov
 * eax, [rbx]), the second, after the guest changed its tables, from 48 8B 03
 * (mov rax, [rbx]) at another physical page. Each exit runs what the tables
 * say now. */
#define CODE_ELSEWHERE (CODE + (4ull << 20)) /* CODE's 2-MiB page, moved */
static void two_exits_around(void (*change)(void))
{
	memcpy(A.mem, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	CODE_BYTES(0x8B, 0x03);
	memcpy(at(CODE_ELSEWHERE), "\x48\x8B\x03", 3);
	v->regs.gpr[X86_RBX] = DEV;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x04030201);
	change();
	v->regs.rip = CODE;
	v->regs.gpr[X86_RAX] = 0;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, CODE + 3);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x0807060504030201ull);
	assert_int_equal(full_state_loads, 0); /* both on the fast path */
}

/* A paging entry rewritten in memory, no exit between (nested paging lets the
 * guest's INVLPG run): the next fetch follows it. */
static void move_code_page(void)
{
	put64(PD0 + (CODE >> 21) * 8, (CODE_ELSEWHERE & ~((2ull << 20) - 1)) | PG_P | PG_RW | PG_PS);
}

static void test_code_page_follows_a_rewritten_entry(void **state)
{
	two_exits_around(move_code_page);
}

/* Another CR3 (a task switch) with other tables: the same. */
#define PML4_B (RAM + 0x5000)
#define PDPT_B (RAM + 0x6000)
#define PD0_B (RAM + 0x7000)
static void switch_cr3(void)
{
	memcpy(at(PML4_B), at(PML4), PAGE);
	memcpy(at(PDPT_B), at(PDPT), PAGE);
	memcpy(at(PD0_B), at(PD0), PAGE);
	put64(PML4_B, PDPT_B | PG_P | PG_RW);
	put64(PDPT_B, PD0_B | PG_P | PG_RW);
	put64(PD0_B + (CODE >> 21) * 8, (CODE_ELSEWHERE & ~((2ull << 20) - 1)) | PG_P | PG_RW | PG_PS);
	v->regs.cr3 = PML4_B;
}

static void test_code_page_follows_cr3(void **state)
{
	two_exits_around(switch_cr3);
}

/* The code page trapped after it was kept (the nested map's generation
 * moves): its bytes are no longer fetched, the guest gets the #GP. */
static void test_code_page_trapped_later_is_not_fetched(void **state)
{
	CODE_BYTES(0x8B, 0x03);
	v->regs.gpr[X86_RBX] = DEV;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(trap_map_set(CODE, PAGE, true), 0);
	fake_generation++;
	v->regs.rip = CODE;
	hv_exit_mmio(v, DEV);
	assert_int_equal(trap_map_set(CODE, PAGE, false), 0);
	assert_int_equal(v->regs.rip, CODE);
	assert_true(v->event.pending);
	assert_int_equal(v->event.vector, X86_EXC_GP);
}

/* The data page's walk, kept per vCPU: a write let through, then the guest
 * makes the device's page read-only (no exit between): the same write at the
 * same place is checked against the tables as they are now, so the fast path
 * leaves it to the full emulator. */
static void test_data_page_follows_a_rewritten_entry(void **state)
{
	uint64_t pde = PD3 + (((DEV & ~((2ull << 20) - 1)) >> 21) & 511) * 8;
	uint64_t entry;
	v->regs.cr0 |= X86_CR0_WP; /* supervisor writes obey R/W (SDM Vol. 3A §4.6.1) */
	CODE_BYTES(0x89, 0x03);    /* mov [rbx], eax */
	v->regs.gpr[X86_RBX] = DEV;
	v->regs.gpr[X86_RAX] = 0x11223344;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(A.n, 1);
	assert_int_equal(full_state_loads, 0); /* the fast path */
	memcpy(&entry, at(pde), 8);
	put64(pde, entry & ~(uint64_t)PG_RW);
	v->regs.rip = CODE;
	hv_exit_mmio(v, DEV);
	put64(pde, entry);
	assert_true(full_state_loads > 0); /* not the fast path's to take */
}

/* ---- the last access, kept per vCPU (hv/exit/mmio_last.c) ---- */

/* The same RIP, the same device address, the same tables: but the guest
 * rewrote the instruction between the two exits (mov eax, [rbx], then mov
 * [rbx], ecx). The second exit runs the new bytes, never the old decode. */
static void test_last_access_follows_rewritten_bytes(void **state)
{
	memcpy(A.mem, "\x01\x02\x03\x04", 4);
	CODE_BYTES(0x8B, 0x03);
	v->regs.gpr[X86_RBX] = DEV;
	for (int i = 0; i < 2; i++) { /* the second time from the memory */
		v->regs.rip = CODE;
		v->regs.gpr[X86_RAX] = 0;
		hv_exit_mmio(v, DEV);
		assert_int_equal(v->regs.rip, CODE + 2);
		assert_int_equal(v->regs.gpr[X86_RAX], 0x04030201);
	}
	assert_int_equal(A.n, 2);
	v->regs.rip = CODE;
	CODE_BYTES(0x89, 0x0B); /* mov [rbx], ecx */
	v->regs.gpr[X86_RCX] = 0xAABBCCDD;
	hv_exit_mmio(v, DEV);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(A.n, 3);
	assert_int_equal(A.log[2].value, 0xAABBCCDD); /* a write now */
	assert_int_equal(v->regs.gpr[X86_RAX], 0x04030201);
	assert_int_equal(full_state_loads, 0); /* all on the fast path */
}

/* The same instruction at the same RIP reaching the device through another
 * base register value (another linear address mapped to the same page):
 * checked afresh, and the access lands where the exit says. */
static void test_last_access_follows_the_operand(void **state)
{
	memcpy(A.mem, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	CODE_BYTES(0x8B, 0x43, 0x04); /* mov eax, [rbx+4] */
	v->regs.gpr[X86_RBX] = DEV;
	hv_exit_mmio(v, DEV + 4);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x08070605);
	/* RBX moved: the operand is at DEV + 8 now, but the exit reports DEV + 4
	 * (no such exit on a real CPU): not the fast path's to take. */
	v->regs.rip = CODE;
	v->regs.gpr[X86_RBX] = DEV + 4;
	hv_exit_mmio(v, DEV + 4);
	assert_true(full_state_loads > 0);
}

/* Two accesses that alternate (an interrupt handler's device write and its
 * EOI) are both remembered; the guest then rewrites the one remembered first
 * (mov eax, [rbx] becomes mov [rbx], ecx): its next exit runs the new bytes,
 * and the other is still let through as before. */
#define CODE_B (CODE + 0x40)
static void exit_at(uint64_t rip, uint64_t gpa)
{
	v->regs.rip = rip;
	hv_exit_mmio(v, gpa);
}

static void test_last_accesses_alternating(void **state)
{
	memcpy(A.mem, "\x01\x02\x03\x04", 4);
	memcpy(B.mem, "\x05\x06\x07\x08", 4);
	v->regs.rip = CODE;
	CODE_BYTES(0x8B, 0x03); /* mov eax, [rbx] */
	v->regs.rip = CODE_B;
	CODE_BYTES(0x8B, 0x0E); /* mov ecx, [rsi] */
	v->regs.gpr[X86_RBX] = DEV;
	v->regs.gpr[X86_RSI] = TRAPPED_RAM;
	for (int i = 0; i < 3; i++) {
		exit_at(CODE, DEV);
		assert_int_equal(v->regs.rip, CODE + 2);
		assert_int_equal(v->regs.gpr[X86_RAX], 0x04030201);
		exit_at(CODE_B, TRAPPED_RAM);
		assert_int_equal(v->regs.rip, CODE_B + 2);
		assert_int_equal(v->regs.gpr[X86_RCX], 0x08070605);
	}
	v->regs.rip = CODE;
	CODE_BYTES(0x89, 0x0B); /* mov [rbx], ecx */
	exit_at(CODE, DEV);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(A.n, 4);
	assert_int_equal(A.log[3].value, 0x08070605); /* a write now */
	v->regs.gpr[X86_RCX] = 0;
	exit_at(CODE_B, TRAPPED_RAM);
	assert_int_equal(v->regs.gpr[X86_RCX], 0x08070605);
	assert_int_equal(B.n, 4);
	assert_int_equal(full_state_loads, 0); /* all on the fast path */
}

/* A remembered access whose page then leaves the trap map (released on
 * another CPU: the nested map first, which moves its generation, then the
 * trap map; hv/start.c): the next exit there is not the remembered one, and
 * the access goes to RAM as the full emulator sends it. */
static void test_last_access_page_released(void **state)
{
	memcpy(B.mem, "\x05\x06\x07\x08", 4);
	memcpy(at(TRAPPED_RAM), "\x11\x22\x33\x44", 4);
	CODE_BYTES(0x8B, 0x03); /* mov eax, [rbx] */
	v->regs.gpr[X86_RBX] = TRAPPED_RAM;
	for (int i = 0; i < 2; i++) { /* the second time from the memory */
		exit_at(CODE, TRAPPED_RAM);
		assert_int_equal(v->regs.gpr[X86_RAX], 0x08070605);
	}
	fake_generation++;
	assert_int_equal(trap_map_set(TRAPPED_RAM, PAGE, false), 0);
	exit_at(CODE, TRAPPED_RAM);
	assert_int_equal(trap_map_set(TRAPPED_RAM, PAGE, true), 0);
	assert_int_equal(v->regs.rip, CODE + 2);
	assert_int_equal(v->regs.gpr[X86_RAX], 0x44332211);
	assert_int_equal(B.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port_read_sizes_merge_into_rax, setup),
		cmocka_unit_test_setup(test_port_write_takes_the_low_bytes_of_rax, setup),
		cmocka_unit_test_setup(test_rip_advances_only_on_success, setup),
		cmocka_unit_test_setup(test_queue_full_write_is_retried, setup),
		cmocka_unit_test_setup(test_deferred_read_completes_before_entry, setup),
		cmocka_unit_test_setup(test_deferred_read_with_a_failing_drain, setup),
		cmocka_unit_test_setup(test_deferred_read_failing_itself, setup),
		cmocka_unit_test_setup(test_before_entry_drains_and_applies, setup),
		cmocka_unit_test_setup(test_mmio_mov_fast_path_equals_emulator, setup),
		cmocka_unit_test_setup(test_fast_path_skips_the_full_state, setup),
		cmocka_unit_test_setup(test_mmio_outcome_leaves_the_instruction_undone, setup),
		cmocka_unit_test_setup(test_mmio_deferred_read_with_a_failing_drain, setup),
		cmocka_unit_test_setup(test_access_across_ram_and_trapped_page, setup),
		cmocka_unit_test_setup(test_instruction_across_a_page, setup),
		cmocka_unit_test_setup(test_hidden_memory_is_refused, setup),
		cmocka_unit_test_setup(test_code_in_hidden_memory_is_not_fetched, setup),
		cmocka_unit_test_setup(test_last_accesses_alternating, setup),
		cmocka_unit_test_setup(test_last_access_page_released, setup),
		cmocka_unit_test_setup(test_code_page_follows_a_rewritten_entry, setup),
		cmocka_unit_test_setup(test_code_page_follows_cr3, setup),
		cmocka_unit_test_setup(test_code_page_trapped_later_is_not_fetched, setup),
		cmocka_unit_test_setup(test_data_page_follows_a_rewritten_entry, setup),
		cmocka_unit_test_setup(test_last_access_follows_rewritten_bytes, setup),
		cmocka_unit_test_setup(test_last_access_follows_the_operand, setup),
		cmocka_unit_test_setup(test_before_entry_runs_only_with_work, setup),
		cmocka_unit_test_setup(test_work_raised_during_the_slow_path_is_kept, setup),
		cmocka_unit_test_setup(test_init_and_stop_ride_the_entry_work, setup),
	};
	return cmocka_run_group_tests_name("hv_exit", tests, NULL, NULL);
}
