/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/iom.h - the I/O monitor: the contract between devices, the IOM and the
 * vendor backends (vmx/, svm/).
 *
 * Devices register I/O-port ranges and MMIO ranges with handlers. Every guest
 * access to a mapped range exits to the hypervisor; the backend turns the
 * exit into a vendor-neutral access and calls one of the dispatch functions
 * below, which finds the range, calls its handler and returns a status.
 *
 * This code builds both inside the freestanding hypervisor and, unchanged,
 * into host unit tests, so it uses no libc and no heap: every table is static
 * and bounded, and exhaustion is reported as an error code.
 *
 * ---------------------------------------------------------------------------
 * Contexts
 *
 * Every dispatch call says which context it runs in, and handlers are told
 * too:
 *   IOM_CTX_EXIT      straight from the exit handler: handlers must not block,
 *                     spin on contended locks or print to the console. A
 *                     handler that cannot finish here returns IOM_DEFER.
 *   IOM_CTX_DEFERRED  later on the same CPU, before it re-enters the guest,
 *                     where handlers may do slow work. IOM_DEFER is not
 *                     allowed here (it becomes IOM_INTERNAL_ERROR).
 *
 * ---------------------------------------------------------------------------
 * What the backend's common exit code must do (the deferral contract)
 *
 *   st = iom_<dispatch>(cpu, IOM_CTX_EXIT, ...);
 *   switch (st):
 *   IOM_READ_DEFERRED:  a read could not be completed in exit context and had
 *       no effect beyond what is reported (for string reads: *count says how
 *       many elements were done). Do NOT complete the instruction yet:
 *           d  = iom_drain_deferred(cpu);          // earlier writes first
 *           st = iom_<same dispatch>(cpu, IOM_CTX_DEFERRED, same arguments
 *                                     [for strings: the remaining elements]);
 *           st = iom_status_merge(st, d);
 *       then continue with st as below. The retry must follow before the
 *       next exit-context read on this CPU (the IOM keeps the bytes a split
 *       MMIO read already read so it does not read them twice).
 *   IOM_RETRY: the per-CPU deferred queue is full (writes only). Nothing
 *       of this access was done or queued (string writes: the elements not
 *       done are in *count; if some were done the return is IOM_OK with a
 *       partial count instead). Do not complete the instruction: drain the
 *       queue (iom_drain_deferred, before the next guest entry at the latest)
 *       and let the guest re-execute it (do not advance RIP). The
 *       re-executed instruction finds the queue empty. So a full queue is
 *       drained synchronously by the exit that found it full: the queued
 *       writes are committed, in order, before the write that found the
 *       queue full reaches any handler, and that write is never dropped,
 *       only done again from the start.
 *   IOM_OK and the guest-visible outcomes: the access is complete (writes that
 *       deferred sit in the queue and count as done for the guest). Complete
 *       the instruction, then apply the outcome (see iom_status_t).
 *   Before every guest entry: st = iom_status_merge(st,
 *       iom_drain_deferred(cpu)) and apply the outcome.
 *
 * Ordering: each CPU's queued writes are committed in the order the guest
 * issued them, and before any later access of that CPU reaches a handler:
 * while a CPU's queue is not empty, its exit-context claimed writes are queued
 * too and its exit-context reads return IOM_READ_DEFERRED. Nothing queued is
 * ever dropped, and a full queue never reorders (IOM_RETRY above).
 *
 * A queued write is aimed at the ranges mapped under it when the guest made
 * it: it is queued as one entry per range it touches (parts over unmapped
 * space take the default action at once), each recording the range, where
 * it was mapped and the table generation. The drain commits an entry:
 *   direct      the table has not changed since: straight to the range;
 *   via lookup  the table changed, but a fresh lookup finds the same range
 *               still mapped at the same base: to the range;
 *   stale       the range was unmapped, or moved (mapped at another base,
 *               even one still covering the address): the write takes the
 *               default action (it goes into the void; it is NOT redirected
 *               to whatever is mapped there now) and is counted as stale.
 * The guest may have moved a BAR between the write and its commit; the
 * write was meant for the device at the old place, and a different device
 * that now answers there must not receive it.
 *
 * ---------------------------------------------------------------------------
 * Concurrency
 *
 * Dispatch (all iom_port_read..iom_mmio_write, iom_drain_deferred) never
 * takes a lock and may run on all CPUs at once, each passing its own CPU
 * index (0..IOM_MAX_CPUS-1; per-CPU state is only ever touched by that CPU).
 * Create/map/unmap/freeze/set_intercept_ops are serialised by one spinlock
 * and may run while other CPUs dispatch. An access that races with an unmap
 * on another CPU may still reach the old handler (as a transaction in flight
 * on real hardware would): ranges are never destroyed, so this is safe, but
 * an unmap does not wait for handlers already running elsewhere.
 *
 * Handlers are called with no IOM lock held. They may create/map/unmap (a
 * PCI config write moving a BAR, say), preferably from IOM_CTX_DEFERRED since
 * that takes the registration spinlock.
 *
 * ---------------------------------------------------------------------------
 * Re-entry and the recursion guard
 *
 * A handler may call the dispatch functions itself (a bridge forwarding an
 * access, a device poking another): a nested access. Rules:
 *   - It must pass the context the handler was called with (anything else
 *     returns IOM_INTERNAL_ERROR and is logged).
 *   - It is the device's own access, made while the outer one is in
 *     progress. In exit context it follows the ordering rules above (it may
 *     return IOM_READ_DEFERRED or IOM_RETRY; the handler then has to return
 *     IOM_DEFER, so nested calls belong before any other side effect; a
 *     nested read that deferred part-way is redone whole). In deferred
 *     context it is dispatched at once, also while the drain is committing
 *     the entry that led to it (the entries still queued are later writes,
 *     which it does not overtake).
 *   - Dispatch calls nest at most IOM_MAX_NESTING deep per CPU (the
 *     backend's call is level 1). A call that would go deeper is not
 *     dispatched: it takes the default action (reads all ones, writes
 *     dropped, string transfers complete), returns IOM_OK and counts
 *     IOM_STAT_RECURSION. So a handler that, directly or through others,
 *     re-enters itself without end costs a bounded stack and shows up in
 *     the counters instead of hanging the CPU.
 *   - iom_drain_deferred must not be called from a handler
 *     (IOM_INTERNAL_ERROR).
 */
#ifndef IOM_IOM_H
#define IOM_IOM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Table bounds; a hypervisor build may raise them with -D. */
#ifndef IOM_MAX_CPUS
#define IOM_MAX_CPUS 64
#endif
#ifndef IOM_MAX_PORT_RANGES
#define IOM_MAX_PORT_RANGES 64
#endif
#ifndef IOM_MAX_MMIO_RANGES
#define IOM_MAX_MMIO_RANGES 64
#endif
/* Entries in each CPU's deferred-write queue (at least 4: one write is
 * queued as up to 4 entries, one per range it touches). */
#ifndef IOM_DEFER_QUEUE_LEN
#define IOM_DEFER_QUEUE_LEN 16
#endif
/* Levels of dispatch calls one CPU may have in progress (see "Re-entry"). */
#ifndef IOM_MAX_NESTING
#define IOM_MAX_NESTING 4
#endif
/*
 * Static footprint: every range has its counters per CPU (8 x 64-bit, one
 * cache line per range and CPU, so CPUs never share a line), i.e.
 * (IOM_MAX_PORT_RANGES + IOM_MAX_MMIO_RANGES) x IOM_MAX_CPUS x 64 bytes:
 * 512 KiB with the defaults. Raising a bound multiplies this; keep the
 * product near 1 MiB or below (the tables live in the hypervisor's image).
 */

/* Widest single MMIO access (a 64-byte AVX-512 or MOVDIR64B store). */
#define IOM_MMIO_MAX_ACCESS 64
/* MMIO ranges are mapped with page granularity, because that is what the
 * nested page tables can trap: a range sharing a page with another range or
 * with RAM could not be intercepted exactly. */
#define IOM_MMIO_PAGE_SIZE 4096u
/* Highest guest-physical address an MMIO range may cover (x86 MAXPHYADDR is
 * at most 52 bits). */
#define IOM_MMIO_ADDR_MAX ((UINT64_C(1) << 52) - 1)

/* ===========================================================================
 * Statuses
 * ======================================================================== */

/*
 * What handlers return and what dispatch returns. IOM_OK is 0 so the status
 * can travel through "0 means success" callback interfaces unchanged.
 */
typedef enum iom_status {
	/* Done. */
	IOM_OK = 0,
	/* Handler only, reads: nothing answers here; the IOM returns all bits
	 * set for the access width (writes: same as IOM_OK). Never returned by
	 * dispatch. */
	IOM_UNUSED,
	/* Handler only: cannot finish in exit context (lock busy, slow device,
	 * console output). The handler must not have had side effects: it is
	 * called again with the same arguments from IOM_CTX_DEFERRED (for
	 * string handlers: elements already done, as reported in *count, are
	 * done). Never returned by dispatch. */
	IOM_DEFER,
	/* Dispatch only: a read deferred; see the deferral contract above. */
	IOM_READ_DEFERRED,
	/* Dispatch only: the deferred queue is full; drain it and re-execute
	 * the instruction. */
	IOM_RETRY,
	/* Guest-visible outcomes, from handlers or dispatch. Listed here from
	 * lowest to highest merge priority (see iom_status_merge). */
	IOM_INJECT_GP,      /* inject #GP(0) into this vCPU */
	IOM_STOP_VCPU,      /* stop this vCPU (e.g. a device saw a fatal error) */
	IOM_RESET,          /* reset the machine */
	IOM_DEBUG_BREAK,    /* stop and enter the debug console */
	/* Something broke a rule (a handler returned a bad status, the backend
	 * passed bad arguments, an impossible merge). Logged where detected. */
	IOM_INTERNAL_ERROR,
	IOM_STATUS_COUNT
} iom_status_t;

/*
 * Merges two statuses, e.g. the exit's and the drain's, into the one the vCPU
 * acts on. Commutative. Priority, highest first:
 *   IOM_INTERNAL_ERROR > IOM_DEBUG_BREAK > IOM_RESET > IOM_STOP_VCPU
 *   > IOM_INJECT_GP > IOM_OK
 * Why this order: an internal error must never be hidden; a requested debug
 * break shows the developer the machine before a reset wipes it; a reset
 * makes stopping or faulting one vCPU moot; a stopped vCPU takes no #GP.
 * IOM_UNUSED, IOM_DEFER, IOM_READ_DEFERRED and IOM_RETRY are not outcomes
 * but steps the caller still has to take; merging one of them (or an unknown
 * value) means a step was skipped, so the result is IOM_INTERNAL_ERROR
 * (and the combination is logged).
 */
iom_status_t iom_status_merge(iom_status_t a, iom_status_t b);

/* "ok", "unused", ..., for logs and dumps; "?" for unknown values. */
const char *iom_status_name(iom_status_t st);

/* Registration results: 0 or a negative code. */
typedef enum iom_err {
	IOM_E_OK = 0,
	IOM_E_INVALID = -1,        /* NULL pointer, missing name, bad callback combination */
	IOM_E_ZERO_SIZE = -2,      /* a range of no ports / no bytes */
	IOM_E_RANGE = -3,          /* past port 0xFFFF or past IOM_MMIO_ADDR_MAX */
	IOM_E_ALIGN = -4,          /* MMIO base or size not page aligned */
	IOM_E_FLAGS = -5,          /* unknown flag bits or mode values */
	IOM_E_OVERLAP = -6,        /* the new mapping overlaps a mapped range */
	IOM_E_BAD_HANDLE = -7,     /* not a handle create returned */
	IOM_E_NO_SPACE = -8,       /* IOM_MAX_*_RANGES reached */
	IOM_E_FROZEN = -9,         /* create after iom_freeze() */
	IOM_E_ALREADY_MAPPED = -10,
	IOM_E_NOT_MAPPED = -11,
	IOM_E_INTERCEPT = -12,     /* the backend's intercept hook failed */
} iom_err_t;

const char *iom_err_name(iom_err_t err);

/* ===========================================================================
 * Handlers
 * ======================================================================== */

typedef enum iom_ctx {
	IOM_CTX_EXIT = 0,
	IOM_CTX_DEFERRED = 1,
} iom_ctx_t;

/*
 * Port handlers. `port` is the offset into the range, or the absolute port
 * with IOM_PORT_F_ABS. `size` is 1, 2 or 4. `cpu` is the accessing CPU.
 * Values live in the low `size` bytes.
 *
 * in:  *value is preset to all ones; return IOM_UNUSED to leave it so.
 * in_str / out_str: *count holds the elements wanted on entry and must hold
 *      the elements NOT done on return; stopping early (with IOM_OK) is a
 *      partial transfer the guest resumes by re-executing the instruction.
 *      Elements are `size` bytes each, packed, little-endian.
 * A range without in_str/out_str gets string accesses as a loop over in/out.
 * A missing in handler reads all ones; a missing out handler ignores writes.
 */
typedef iom_status_t iom_port_in_fn(void *user, iom_ctx_t ctx, unsigned cpu,
				    uint16_t port, unsigned size, uint32_t *value);
typedef iom_status_t iom_port_out_fn(void *user, iom_ctx_t ctx, unsigned cpu,
				     uint16_t port, unsigned size, uint32_t value);
typedef iom_status_t iom_port_in_str_fn(void *user, iom_ctx_t ctx, unsigned cpu,
					uint16_t port, unsigned size, void *dst,
					uint32_t *count);
typedef iom_status_t iom_port_out_str_fn(void *user, iom_ctx_t ctx, unsigned cpu,
					 uint16_t port, unsigned size,
					 const void *src, uint32_t *count);

/*
 * MMIO handlers. `addr` is the offset into the range, or the guest-physical
 * address with IOM_MMIO_F_ABS. The bytes are little-endian, as in guest
 * memory. Which sizes and alignments a handler sees depends on the range's
 * read/write mode (below); for reads, buf is preset to all ones.
 */
typedef iom_status_t iom_mmio_read_fn(void *user, iom_ctx_t ctx, unsigned cpu,
				      uint64_t addr, void *buf, unsigned size);
typedef iom_status_t iom_mmio_write_fn(void *user, iom_ctx_t ctx, unsigned cpu,
				       uint64_t addr, const void *buf,
				       unsigned size);

/* ===========================================================================
 * I/O-port ranges
 * ======================================================================== */

/* Handles are small nonzero numbers; 0 is never a valid handle. */
typedef uint32_t iom_port_handle_t;
typedef uint32_t iom_mmio_handle_t;

/* Handlers get absolute port numbers instead of offsets into the range. */
#define IOM_PORT_F_ABS 0x1u

/* Optional per-port names (for the ioport dump), one entry per port. */
struct iom_port_desc {
	const char *in;   /* may be NULL */
	const char *out;  /* may be NULL */
};

struct iom_port_config {
	const char *name;                 /* required; kept by reference */
	uint32_t count;                   /* ports, 1..0x10000 */
	uint32_t flags;                   /* IOM_PORT_F_* */
	void *user;                       /* first argument of every handler */
	iom_port_in_fn *in;
	iom_port_out_fn *out;
	iom_port_in_str_fn *in_str;
	iom_port_out_str_fn *out_str;
	const struct iom_port_desc *descs; /* NULL or `count` entries, kept by reference */
};

/* Creates an unmapped range. Fails with IOM_E_FROZEN after iom_freeze(). */
iom_err_t iom_port_create(const struct iom_port_config *cfg,
			  iom_port_handle_t *out);
/* Maps at base..base+count-1: the backend's intercept hook is asked to trap
 * the ports first, then the range becomes visible to dispatch. */
iom_err_t iom_port_map(iom_port_handle_t h, uint16_t base);
/* The range disappears from dispatch first, then the hook is told to stop
 * trapping. The range can be mapped again (anywhere). */
iom_err_t iom_port_unmap(iom_port_handle_t h);

/* ===========================================================================
 * MMIO ranges
 * ======================================================================== */

/* Handlers get guest-physical addresses instead of offsets. */
#define IOM_MMIO_F_ABS 0x1u

/*
 * Access-size adaptation, as VirtualBox's IOMMMIO_FLAGS_* define it. Many
 * devices only understand aligned 32-bit (or 64-bit) accesses; these modes
 * let the IOM turn whatever the guest issues into what the device wants.
 * Accesses wider than 8 bytes are first split at 8-byte boundaries, as the
 * bus would; accesses are also split where a range ends.
 *
 * Read modes:
 *   PASSTHRU     1/2/4/8-byte accesses go to the handler as issued (any
 *                alignment); other sizes (pieces of split accesses) go as
 *                naturally aligned 1/2/4/8-byte pieces.
 *   DWORD        the handler only sees aligned 4-byte reads; everything else
 *                is built from the aligned dwords it touches.
 *   DWORD_QWORD  as DWORD, but aligned 8-byte reads go through whole.
 * Write modes:
 *   PASSTHRU                 as for reads.
 *   DWORD_ZEROED             aligned dword writes only; bytes the guest did
 *                            not write are zero.
 *   DWORD_QWORD_ZEROED       as above, aligned qwords go through whole.
 *   DWORD_READ_MISSING       aligned dword writes only; bytes the guest did
 *                            not write are read from the device first (an
 *                            aligned dword read; needs a read handler).
 *   DWORD_QWORD_READ_MISSING as above, aligned qwords go through whole.
 *   ONLY_DWORD               aligned dword writes go through; all other
 *                            writes are ignored.
 *   ONLY_DWORD_QWORD         aligned dword and qword writes go through; all
 *                            other writes are ignored.
 * A write split into several dword writes may defer part-way: the dwords
 * already written stay written and the rest is queued.
 */
#define IOM_MMIO_READ_SHIFT 4
#define IOM_MMIO_READ_MASK (0x3u << IOM_MMIO_READ_SHIFT)
#define IOM_MMIO_READ_PASSTHRU    (0u << IOM_MMIO_READ_SHIFT)
#define IOM_MMIO_READ_DWORD       (1u << IOM_MMIO_READ_SHIFT)
#define IOM_MMIO_READ_DWORD_QWORD (2u << IOM_MMIO_READ_SHIFT)

#define IOM_MMIO_WRITE_SHIFT 8
#define IOM_MMIO_WRITE_MASK (0x7u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_PASSTHRU                 (0u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_DWORD_ZEROED             (1u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_DWORD_QWORD_ZEROED       (2u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_DWORD_READ_MISSING       (3u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_DWORD_QWORD_READ_MISSING (4u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_ONLY_DWORD               (5u << IOM_MMIO_WRITE_SHIFT)
#define IOM_MMIO_WRITE_ONLY_DWORD_QWORD         (6u << IOM_MMIO_WRITE_SHIFT)

struct iom_mmio_config {
	const char *name;                 /* required; kept by reference */
	uint64_t size;                    /* bytes, a nonzero multiple of IOM_MMIO_PAGE_SIZE */
	uint32_t flags;                   /* IOM_MMIO_F_ABS | one read mode | one write mode */
	void *user;
	iom_mmio_read_fn *read;           /* NULL: reads return all ones */
	iom_mmio_write_fn *write;         /* NULL: writes are ignored */
};

iom_err_t iom_mmio_create(const struct iom_mmio_config *cfg,
			  iom_mmio_handle_t *out);
/* gpa must be page aligned. Ordering with the intercept hook as for ports. */
iom_err_t iom_mmio_map(iom_mmio_handle_t h, uint64_t gpa);
iom_err_t iom_mmio_unmap(iom_mmio_handle_t h);

/* Changes the size of an unmapped range (ports; bytes, a nonzero multiple of
 * IOM_MMIO_PAGE_SIZE): for a client that learns at run time how much it has
 * to map, after the IOM is frozen (hv/dev/rules.c). A mapped range
 * (IOM_E_ALREADY_MAPPED) keeps its size; otherwise the same errors as
 * create. */
iom_err_t iom_port_resize(iom_port_handle_t h, uint32_t count);
iom_err_t iom_mmio_resize(iom_mmio_handle_t h, uint64_t size);

/* What a handle describes, for devices and tests. */
struct iom_range_info {
	const char *name;
	uint64_t base;      /* valid when mapped */
	uint64_t size;      /* ports or bytes */
	uint32_t flags;
	bool mapped;
};
iom_err_t iom_port_query(iom_port_handle_t h, struct iom_range_info *info);
iom_err_t iom_mmio_query(iom_mmio_handle_t h, struct iom_range_info *info);

/* ===========================================================================
 * Life cycle
 * ======================================================================== */

/* Resets every table, queue and counter. Call once before any other CPU
 * uses the IOM (tests call it before each test). */
void iom_init(void);
/* After this, creates fail with IOM_E_FROZEN; map and unmap keep working. */
void iom_freeze(void);
bool iom_is_frozen(void);

/* ===========================================================================
 * Intercept hooks (installed by the backend)
 * ======================================================================== */

/*
 * The backend's view of what must trap. `trap` true: from the moment the
 * hook returns, every guest access to these ports/bytes on every CPU must
 * exit (the IOM publishes the range only afterwards, so the guest can never
 * reach a mapped handler without trapping). `trap` false: the IOM no longer
 * needs them (already unpublished; the backend may keep trapping, and such
 * accesses then get the default action). MMIO calls are page aligned.
 * Return 0 on success; a failed trap=true call makes the map fail with
 * IOM_E_INTERCEPT (nothing published); a failed trap=false call is logged.
 * Hooks run with the IOM registration lock held: they must not call create/
 * map/unmap. The lock's spin loop calls iom_platform_relax(), so a hook may
 * wait for other CPUs (TLB shootdown) if relax services such requests.
 */
struct iom_intercept_ops {
	void *arg;
	int (*set_port_intercept)(void *arg, uint16_t first, uint32_t count,
				  bool trap);
	int (*set_mmio_intercept)(void *arg, uint64_t gpa, uint64_t size,
				  bool trap);
};

/* Installs the hooks (ops is copied; NULL removes them) and, under the same
 * lock, replays every range already mapped with trap=true, so nothing mapped
 * before the backend was ready is missed. On a replay failure the hooks are
 * removed again and IOM_E_INTERCEPT returned. */
iom_err_t iom_set_intercept_ops(const struct iom_intercept_ops *ops);

/* Calls fn for every mapped range in ascending order, under the registration
 * lock (a consistent snapshot; fn must not call create/map/unmap). For a
 * backend that builds a bitmap or page table for one more CPU later. */
typedef void iom_port_visit_fn(void *arg, uint16_t first, uint32_t count,
			       iom_port_handle_t h);
typedef void iom_mmio_visit_fn(void *arg, uint64_t gpa, uint64_t size,
			       iom_mmio_handle_t h);
void iom_for_each_mapped_port(iom_port_visit_fn *fn, void *arg);
void iom_for_each_mapped_mmio(iom_mmio_visit_fn *fn, void *arg);

/* ===========================================================================
 * Dispatch (backends)
 * ======================================================================== */

/*
 * All return IOM_OK, IOM_READ_DEFERRED (reads), IOM_RETRY (writes), a
 * guest-visible outcome or IOM_INTERNAL_ERROR (bad arguments: cpu out of
 * range, bad context, bad size, NULL buffer; deferred-context dispatch with
 * a non-empty queue; a nested call in another context than its handler's).
 * Unclaimed accesses get the default action: writes are dropped, reads
 * return all ones for the width; so do calls nested too deep (see
 * "Re-entry").
 *
 * Port accesses of `size` 1, 2 or 4 touch ports port..port+size-1; the part
 * of an access that runs past a range goes to whatever lies beyond (another
 * range or the default action), and ports past 0xFFFF are unclaimed. A
 * 3-byte piece left by such a split is delivered as 1 + 2 or 2 + 1.
 * *value gets the result in its low `size` bytes (upper bytes zero).
 */
iom_status_t iom_port_read(unsigned cpu, iom_ctx_t ctx, uint16_t port,
			   unsigned size, uint32_t *value);
iom_status_t iom_port_write(unsigned cpu, iom_ctx_t ctx, uint16_t port,
			    unsigned size, uint32_t value);

/*
 * String port I/O (INS/OUTS, with or without REP). *count: elements wanted
 * on entry, elements NOT done on return. dst/src hold *count packed elements
 * of `size` bytes. A return of IOM_OK with *count > 0 is a partial transfer:
 * the backend updates RDI/RSI/RCX for the elements done and lets the guest
 * re-execute the instruction. IOM_READ_DEFERRED (INS) also reports the
 * elements done so far; the retry passes the remaining ones. IOM_RETRY
 * (OUTS) means nothing was done or queued. A guest-visible outcome stops the
 * transfer after the element that produced it.
 * String writes that defer are queued element by element (one queue entry
 * each) as far as the queue has room; the rest is left in *count.
 */
iom_status_t iom_port_read_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				  unsigned size, void *dst, uint32_t *count);
iom_status_t iom_port_write_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				   unsigned size, const void *src,
				   uint32_t *count);

/*
 * MMIO access of len bytes (1..IOM_MMIO_MAX_ACCESS) at guest-physical gpa;
 * buf holds the bytes in guest memory order. The access may span ranges and
 * unclaimed space; each part is handled by what is mapped there, with that
 * range's size adaptation. gpa + len must not wrap.
 */
iom_status_t iom_mmio_read(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			   void *buf, unsigned len);
iom_status_t iom_mmio_write(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			    const void *buf, unsigned len);

/*
 * Commits this CPU's queued writes, in order, from IOM_CTX_DEFERRED, and
 * returns their merged status (IOM_OK when the queue was empty). Each entry
 * is committed direct, via lookup, or found stale and dropped (see
 * "Ordering" above). Must run on `cpu` itself, and not from a handler.
 */
iom_status_t iom_drain_deferred(unsigned cpu);
/* Entries waiting in cpu's queue (cheap; lets the run loop skip the drain). */
unsigned iom_deferred_count(unsigned cpu);

/*
 * The deferral contract for a read (above), in one call, for every backend
 * path whose exit-context dispatch returned IOM_READ_DEFERRED:
 *     d  = iom_drain_deferred(cpu);    the earlier writes, in guest order
 *     st = retry(arg);                 the same access from IOM_CTX_DEFERRED
 *     return iom_status_merge(st, d);
 * (Callers test for IOM_READ_DEFERRED themselves, so the common exit pays
 * one compare and builds no retry argument.) retry is called whatever the
 * drain returned: the drain has emptied the queue either way (nothing stays
 * queued), the bytes a split read already read are kept only for this retry
 * (skipping it would read them, and their side effects, twice when the
 * guest re-executes), and the read's own outcome (a reset, an internal
 * error) must not be hidden behind the drain's. The merge then lets the
 * weightier outcome act. retry must dispatch exactly the access that
 * deferred (string reads: the elements not yet done) with IOM_CTX_DEFERRED,
 * and return its status. An outcome that comes from the drain alone belongs
 * to earlier writes, whose instructions completed: the backends then
 * complete this one too (its retry returned IOM_OK; retry records that for
 * them) and apply the outcome after it, as the drain before an entry would.
 */
typedef iom_status_t iom_retry_fn(void *arg);
iom_status_t iom_complete_deferred_read(unsigned cpu, iom_retry_fn *retry, void *arg);

/* ===========================================================================
 * Statistics
 * ======================================================================== */

typedef enum iom_space {
	IOM_SPACE_PORT = 0,
	IOM_SPACE_MMIO = 1,
	IOM_SPACE_COUNT
} iom_space_t;

/*
 * Counter meanings (exact; tests rely on them). "Per CPU" counters are kept
 * for each CPU and space and summed by IOM_STAT_ALL_CPUS; "per range"
 * counters are kept for each range and CPU and summed over the CPUs. All are
 * plain per-CPU stores on the dispatch path (no atomic read-modify-write).
 *   READS / WRITES     per CPU: dispatch calls (a string call counts once);
 *                      per range: parts of accesses delivered to it (usually
 *                      one per access; a string call counts once; a commit
 *                      counts as a write).
 *   DEFERRED           a handler deferred: reads that returned
 *                      IOM_READ_DEFERRED, writes queued (per queue entry on
 *                      the CPU; once per deferring call on the range).
 *   COMMIT_DIRECT      queue entries committed, table unchanged since queued.
 *   COMMIT_LOOKUP      queue entries committed after a fresh lookup found
 *                      their range still mapped at the same base.
 *   UNCLAIMED_READS / UNCLAIMED_WRITES   parts of accesses no range claimed.
 *   HINT_HITS / HINT_MISSES  lookups answered by the CPU's last-hit hint or
 *                      not (per CPU only).
 *   QUEUE_FULL         writes that found the queue full (per CPU only).
 *   IN / OUT / INS / OUTS   port dispatch calls by kind (per CPU, port space
 *                      only): iom_port_read, _write, _read_string,
 *                      _write_string.
 *   HANDLER_CALLS      calls into handlers (per CPU and per range; MMIO size
 *                      adaptation may make several for one access).
 *   DEFERRED_READS / DEFERRED_WRITES   DEFERRED split by direction (per CPU).
 *   STALE              queue entries whose range was unmapped or moved before
 *                      the commit: dropped (per CPU; per range: the range the
 *                      write was aimed at).
 *   HINT_STALE         lookups whose hint was taken before the table last
 *                      changed (detected by the table generation), so it was
 *                      not used (per CPU only; also counted as HINT_MISSES).
 *   RECURSION          dispatch calls refused for nesting deeper than
 *                      IOM_MAX_NESTING (per CPU only).
 *   LOCK_CONTENTION    spins waiting for the registration lock. One counter
 *                      for the whole IOM (registration calls have no CPU
 *                      argument): read it with either space and
 *                      IOM_STAT_ALL_CPUS; for a single CPU it reads 0.
 *   TIME               time spent in the range's handlers (and the size
 *                      adaptation around them), in iom_platform_timestamp()
 *                      units (per CPU and per range).
 * Numbers 0-9 are part of the hypercall ABI and never change; new counters
 * are appended.
 */
typedef enum iom_stat {
	IOM_STAT_READS = 0,
	IOM_STAT_WRITES,
	IOM_STAT_DEFERRED,
	IOM_STAT_COMMIT_DIRECT,
	IOM_STAT_COMMIT_LOOKUP,
	IOM_STAT_UNCLAIMED_READS,
	IOM_STAT_UNCLAIMED_WRITES,
	IOM_STAT_HINT_HITS,
	IOM_STAT_HINT_MISSES,
	IOM_STAT_QUEUE_FULL,
	IOM_STAT_IN,                /* 10 */
	IOM_STAT_OUT,
	IOM_STAT_INS,
	IOM_STAT_OUTS,
	IOM_STAT_HANDLER_CALLS,
	IOM_STAT_DEFERRED_READS,    /* 15 */
	IOM_STAT_DEFERRED_WRITES,
	IOM_STAT_STALE,
	IOM_STAT_HINT_STALE,
	IOM_STAT_RECURSION,
	IOM_STAT_LOCK_CONTENTION,   /* 20 */
	IOM_STAT_TIME,
	IOM_STAT_COUNT
} iom_stat_t;

/* Pass as cpu to sum over all CPUs. */
#define IOM_STAT_ALL_CPUS (~0u)

/* One counter of one space, for one CPU or summed; 0 for bad arguments. */
uint64_t iom_stat_get(iom_space_t space, iom_stat_t which, unsigned cpu);
/* One counter of one range, summed over CPUs; 0 for a bad handle or a
 * counter ranges do not keep (the per-CPU-only ones above). */
uint64_t iom_port_range_stat(iom_port_handle_t h, iom_stat_t which);
uint64_t iom_mmio_range_stat(iom_mmio_handle_t h, iom_stat_t which);
/* "reads", "writes", ...; "?" for unknown values. */
const char *iom_stat_name(iom_stat_t which);

/* ===========================================================================
 * Dumps (debug console commands ioport, mmio, stats)
 * ======================================================================== */

/* Formats use only %d %u %x %lx %lu %ld %llx %llu %p %s %c with width,
 * '0' and '-'. */
typedef void (*iom_print_fn)(void *arg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ioport / mmio: every range (mapped ones in address order, then the
 * unmapped), or only the one holding an address. Brief (80 columns): where
 * it is mapped, reads, writes, name. Verbose: also its size, flags (abs/rel;
 * MMIO read and write modes) and every counter summed over CPUs (deferred,
 * commits direct / via lookup, stale commits, handler calls, time). Port
 * ranges list their per-port names when verbose or picked by a port.
 * stats: every counter summed, then the busiest ones per CPU. */
struct iom_dump_opts {
	bool verbose; /* every counter and flag (some 150 columns); else 80 columns */
	bool only;    /* only the range that holds addr, with its port names */
	uint64_t addr;
};
void iom_dump_ports(iom_print_fn print, void *arg, const struct iom_dump_opts *o);
void iom_dump_mmio(iom_print_fn print, void *arg, const struct iom_dump_opts *o);
void iom_dump_stats(iom_print_fn print, void *arg);

/* The index-th range of a space in creation order (indexes are stable: ranges
 * are never removed): its name and its reads and writes summed over CPUs, for
 * the debug console's per-device rates. False past the last range. */
struct iom_range_counts {
	const char *name;
	uint64_t reads, writes;
};
bool iom_range_counts(iom_space_t space, unsigned index, struct iom_range_counts *out);

#endif
