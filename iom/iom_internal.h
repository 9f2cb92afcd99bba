/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/iom_internal.h - state and helpers shared by the files of iom/.
 * Not for use outside iom/.
 */
#ifndef IOM_IOM_INTERNAL_H
#define IOM_IOM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/iom.h"
#include "iom/iom_platform.h"
#include "iom/seqlock.h"

#define IOM_NO_RANGE UINT32_MAX

/* Handles: a per-space tag above the table index, so a port handle passed as
 * an MMIO handle (or a stale integer) is caught. 0 stays invalid. */
#define IOM_PORT_HANDLE_TAG 0x10000u
#define IOM_MMIO_HANDLE_TAG 0x20000u

/* The kinds of dispatch, each with its own last-hit hint per CPU (string
 * accesses tend to hit other ranges than plain ones, e.g. an IDE data port
 * versus its status port). */
enum iom_op {
	IOM_OP_READ = 0,
	IOM_OP_WRITE,
	IOM_OP_READ_STR,
	IOM_OP_WRITE_STR,
	IOM_OP_COUNT
};

static inline bool iom_op_is_write(enum iom_op op)
{
	return op == IOM_OP_WRITE || op == IOM_OP_WRITE_STR;
}

/*
 * One registered range. Ranges are never destroyed, so a pointer to one stays
 * valid forever; that is what lets lock-free readers call a handler even if
 * the range is unmapped meanwhile.
 */
struct iom_range {
	/* Set at create and never changed; published to other CPUs by the
	 * release store of the space's range count and, for dispatch, by the
	 * seqcount release of the map that first makes it reachable. */
	const char *name;
	void *user;
	uint32_t flags;
	uint64_t size;                     /* ports or bytes */
	union {
		struct {
			iom_port_in_fn *in;
			iom_port_out_fn *out;
			iom_port_in_str_fn *in_str;
			iom_port_out_str_fn *out_str;
			const struct iom_port_desc *descs;
		} port;
		struct {
			iom_mmio_read_fn *read;
			iom_mmio_write_fn *write;
		} mmio;
	} cb;

	uint8_t space;                     /* iom_space_t */
	uint32_t index;                    /* in its space's ranges[] */

	/* Where it is mapped: changed by writers inside a seqcount write
	 * section (and under the registration lock, which is what dumps and
	 * queries hold), always with IOM_LOAD/IOM_STORE. */
	uint64_t base;
	uint32_t mapped;
};

/* The counters a range keeps, per CPU. */
enum iom_rstat {
	IOM_RSTAT_READS = 0,
	IOM_RSTAT_WRITES,
	IOM_RSTAT_DEFERRED,
	IOM_RSTAT_COMMIT_DIRECT,
	IOM_RSTAT_COMMIT_LOOKUP,
	IOM_RSTAT_STALE,
	IOM_RSTAT_HANDLER_CALLS,
	IOM_RSTAT_TIME,
	IOM_RSTAT_COUNT
};

/* One range's counters on one CPU: one cache line, written only by that
 * CPU (plain stores through IOM_STORE), so CPUs never contend for it. */
struct iom_range_stats {
	uint64_t v[IOM_RSTAT_COUNT];
} __attribute__((aligned(64)));

/* One mapped range in a space's sorted lookup table. */
struct iom_map_entry {
	uint64_t first;
	uint64_t last;                      /* inclusive, so 0xFFFF fits ports */
	uint32_t range;                     /* index into the space's ranges */
};

/* A whole address space: all port ranges or all MMIO ranges. */
struct iom_addr_space {
	uint64_t seq;                       /* seqcount over map[] and n_map,
					     * and the table's generation */
	uint32_t n_map;                     /* entries in map[], sorted by first */
	uint32_t n_ranges;                  /* created ranges (release-published) */
	uint32_t max_ranges;
	uint64_t addr_max;                  /* highest address a range may cover */
	uint32_t handle_tag;
	struct iom_map_entry *map;          /* max_ranges entries */
	struct iom_range *ranges;           /* max_ranges entries */
	struct iom_range_stats *rstats;     /* [IOM_MAX_CPUS][max_ranges] */
};

/* One write waiting in a CPU's deferred queue: all its bytes lie in one
 * range, as mapped when it was queued. */
struct iom_defer_entry {
	uint64_t addr;                      /* port or guest-physical address */
	uint64_t base;                      /* where the range was mapped */
	uint64_t gen;                       /* table generation of that lookup */
	uint32_t range;                     /* the range it is aimed at */
	uint8_t space;                      /* iom_space_t */
	uint8_t len;                        /* bytes in data */
	uint8_t data[IOM_MMIO_MAX_ACCESS];
};

/* A CPU's last hit for one kind of access, cached whole so a hit costs no
 * table read: valid while the space's seqcount still equals gen (the table
 * is then exactly as it was when the hint was taken). Empty: first > last. */
struct iom_hint {
	uint64_t gen;
	uint64_t first, last;
	uint32_t range;
};

/* Bytes of a split read that were read before a later part deferred, kept
 * so the deferred-context retry does not read them (and their side effects)
 * twice. */
struct iom_pending_read {
	bool active;
	uint8_t space;
	uint8_t len;
	uint8_t done;
	iom_status_t outcome;               /* merged status of the done part */
	uint64_t addr;
	uint8_t data[IOM_MMIO_MAX_ACCESS];
};

/* Everything one CPU owns. Only that CPU writes it (stats are also read by
 * others, with relaxed atomics), so none of it needs a lock. */
struct iom_cpu {
	struct iom_hint hint[IOM_SPACE_COUNT][IOM_OP_COUNT];
	uint32_t depth;                     /* dispatch calls in progress */
	iom_ctx_t ctx;                      /* their context (depth > 0) */
	uint32_t queue_len;
	struct iom_defer_entry queue[IOM_DEFER_QUEUE_LEN];
	struct iom_pending_read pending;
	uint64_t stats[IOM_SPACE_COUNT][IOM_STAT_COUNT];
	/* The single-call path's hinted accesses (iom/fast.h), one counter
	 * for what would be three: each is also one of READS or WRITES, one
	 * HINT_HITS and, for ports, one IN or OUT (the path takes no string
	 * access). [0] reads, [1] writes; stats.c adds them in. */
	uint64_t fast_hits[IOM_SPACE_COUNT][2];
	/* This CPU's row of each space's per-range counters (set by
	 * iom_init), so the single-call path finds a range's counters with
	 * an index instead of a multiplication. */
	struct iom_range_stats *rstats[IOM_SPACE_COUNT];
} __attribute__((aligned(64)));

/* Global state (state.c). */
extern bool iom_fast_enabled;           /* false: every access takes the
					 * general walk (for the tests that
					 * compare the two; fast.h) */
extern struct iom_addr_space iom_spaces[IOM_SPACE_COUNT];
extern struct iom_cpu iom_cpus[IOM_MAX_CPUS];
extern uint32_t iom_reg_lock;
extern uint64_t iom_lock_spins;         /* IOM_STAT_LOCK_CONTENTION */
extern bool iom_frozen;                 /* changed under iom_reg_lock */
extern bool iom_have_ops;               /* under iom_reg_lock */
extern struct iom_intercept_ops iom_ops;/* under iom_reg_lock */

/* --- stats.c ---------------------------------------------------------- */

/*
 * Adds n to a counter only this CPU writes. Other CPUs read it (dumps) with
 * relaxed loads, so the update must reach memory as one aligned 8-byte store,
 * which x86 performs atomically (SDM Vol. 3A §9.1.1); a read-modify-write
 * needs no LOCK because no one else writes. One ADD to memory does both; the
 * C atomics would make it a separate load, add and store.
 */
static inline void iom_counter_add(uint64_t *p, uint64_t n)
{
#if defined(__x86_64__)
	__asm__("addq %1, %0" : "+m"(*p) : "er"(n));
#else
	IOM_STORE(p, IOM_LOAD(p) + n);
#endif
}

static inline void iom_count_cpu(unsigned cpu, iom_space_t sp, iom_stat_t st,
				 uint64_t n)
{
	iom_counter_add(&iom_cpus[cpu].stats[sp][st], n);
}

/* Range r's counters on this CPU. */
static inline struct iom_range_stats *iom_range_stats(unsigned cpu,
						      const struct iom_range *r)
{
	const struct iom_addr_space *s = &iom_spaces[r->space];

	return &s->rstats[(size_t)cpu * s->max_ranges + r->index];
}

static inline void iom_count_range(unsigned cpu, const struct iom_range *r,
				   enum iom_rstat st, uint64_t n)
{
	iom_counter_add(&iom_range_stats(cpu, r)->v[st], n);
}

/* A range's counter summed over CPUs (stats.c). */
uint64_t iom_range_sum(const struct iom_range *r, enum iom_rstat st);

/* A handler call is about to happen. Counted per range only: a CPU's
 * HANDLER_CALLS is the sum over its ranges (stats.c), which costs the
 * dispatch path nothing. */
static inline void iom_count_call(unsigned cpu, const struct iom_range *r)
{
	iom_count_range(cpu, r, IOM_RSTAT_HANDLER_CALLS, 1);
}

/* Adds the time since t0 to the range's TIME (a CPU's TIME is again the sum
 * over its ranges). */
static inline void iom_count_time(unsigned cpu, const struct iom_range *r,
				  uint64_t t0)
{
	iom_count_range(cpu, r, IOM_RSTAT_TIME, iom_platform_timestamp() - t0);
}

/* A write or read deferred: DEFERRED and its per-direction twin. */
static inline void iom_count_deferred(unsigned cpu, iom_space_t sp, bool write)
{
	iom_count_cpu(cpu, sp, IOM_STAT_DEFERRED, 1);
	iom_count_cpu(cpu, sp, write ? IOM_STAT_DEFERRED_WRITES
				     : IOM_STAT_DEFERRED_READS, 1);
}

/* --- handles (state.c) ------------------------------------------------- */

/* The range a handle names, or NULL. Safe without the lock. */
struct iom_range *iom_handle_range(iom_space_t sp, uint32_t handle,
				   uint32_t *index);

/* --- table.c (writers; registration lock held) ------------------------- */

bool iom_table_overlaps(const struct iom_addr_space *s, uint64_t first,
			uint64_t last);
void iom_table_publish(struct iom_addr_space *s, uint32_t index, uint64_t base);
void iom_table_unpublish(struct iom_addr_space *s, uint32_t index);

/* --- intercept.c (registration lock held) ------------------------------ */

int iom_intercept(iom_space_t sp, uint64_t first, uint64_t size, bool trap);

/* --- lookup.c ------------------------------------------------------------ */

struct iom_hit {
	bool found;
	bool hint_hit;
	bool hint_stale;                    /* the hint predates the table */
	uint32_t range;                     /* found: range index */
	uint64_t first, last;               /* found: its mapped span */
	uint64_t next;                      /* !found: next mapped first above
					     * the address, or UINT64_MAX */
	uint64_t gen;                       /* generation the answer is from */
};

/* The table's answer for addr, from a consistent snapshot (hit->gen); reads
 * nothing else and changes nothing. */
void iom_search(struct iom_addr_space *s, uint64_t addr, struct iom_hit *hit);

/* Looks addr up; hint (may be NULL) is the caller's last hit, used first
 * and replaced on a hit. */
void iom_lookup(struct iom_addr_space *s, uint64_t addr, struct iom_hint *hint,
		struct iom_hit *hit);

/* iom_lookup with this CPU's hint for (sp, op), counting hint hits, misses
 * and stale hints. */
void iom_lookup_counted(unsigned cpu, iom_space_t sp, enum iom_op op,
			uint64_t addr, struct iom_hit *hit);

/* Forgets every hint (iom_init). */
void iom_hints_reset(struct iom_cpu *c);

/* --- status.c ------------------------------------------------------------ */

/* iom_status_merge for the dispatch path, where nearly every status is
 * IOM_OK: two OKs merge to OK without the call. */
static inline iom_status_t iom_merge(iom_status_t a, iom_status_t b)
{
	if (a == IOM_OK && b == IOM_OK)
		return IOM_OK;
	return iom_status_merge(a, b);
}

/*
 * Turns what a handler returned into what the dispatcher works with:
 * IOM_OK (also for IOM_UNUSED: the caller already has all ones in place),
 * a guest-visible outcome, or IOM_INTERNAL_ERROR for anything the handler may
 * not return. *deferred is set for IOM_DEFER in exit context; IOM_DEFER in
 * deferred context is an internal error.
 */
iom_status_t iom_handler_status_slow(iom_status_t st, iom_ctx_t ctx,
				     const struct iom_range *r, bool *deferred);

static inline iom_status_t iom_handler_status(iom_status_t st, iom_ctx_t ctx,
					      const struct iom_range *r,
					      bool *deferred)
{
	if (st == IOM_OK)
		return IOM_OK;
	return iom_handler_status_slow(st, ctx, r, deferred);
}

/* --- range I/O: deliver bytes that all lie inside one mapped range -------- */

/*
 * [addr, addr+len) lies in range r, mapped at first. Returns the merged
 * outcome of the handler calls; *done gets the bytes completed (all of them
 * unless *deferred, in which case the rest must not have been touched).
 */
typedef iom_status_t iom_range_io_fn(struct iom_range *r, iom_ctx_t ctx,
				     unsigned cpu, uint64_t addr,
				     uint64_t first, uint8_t *buf,
				     unsigned len, bool write,
				     unsigned *done, bool *deferred);
iom_range_io_fn iom_port_range_io;       /* port_io.c */
iom_range_io_fn iom_mmio_range_io;       /* mmio_size.c */

/* The address an MMIO handler sees for addr in r, mapped at first. */
static inline uint64_t iom_mmio_handler_addr(const struct iom_range *r,
					     uint64_t addr, uint64_t first)
{
	return (r->flags & IOM_MMIO_F_ABS) ? addr : addr - first;
}

/* Largest naturally aligned piece (8/4/2/1 bytes, at most max) at addr. */
static inline unsigned iom_pow2_piece(uint64_t addr, unsigned rest,
				      unsigned max)
{
	unsigned p = max;

	while (p > 1 && (p > rest || (addr & (p - 1))))
		p >>= 1;
	return p;
}

/* --- access.c: the dispatch core shared by ports and MMIO ---------------- */

/* Walks [addr, addr+len) from byte *done on, piece by piece, each piece going
 * to the range mapped there (or the default action). Stops when a handler
 * defers (*deferred; *done = bytes completed). *defer_range is the range
 * that deferred; *first_range the range of the first piece (or
 * IOM_NO_RANGE). Returns the merged outcome. */
iom_status_t iom_walk(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
		      enum iom_op op, uint64_t addr, uint8_t *buf,
		      unsigned len, unsigned *done, bool *deferred,
		      uint32_t *defer_range, uint32_t *first_range);

/* One guest access, with the ordering rules, pending-read resumption and
 * queueing of deferred writes; does not count READS/WRITES per CPU. */
iom_status_t iom_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
			enum iom_op op, uint64_t addr, uint8_t *buf,
			unsigned len);

/*
 * Every dispatch entry point starts with iom_enter and, if that returned
 * IOM_ENTER_OK, ends with iom_leave. iom_enter checks the CPU and context
 * (logging a contract violation: IOM_ENTER_BAD) and applies the recursion
 * guard (IOM_ENTER_TOO_DEEP, counted: the caller takes the default action).
 */
enum iom_enter_result {
	IOM_ENTER_OK,
	IOM_ENTER_BAD,
	IOM_ENTER_TOO_DEEP,
};
enum iom_enter_result iom_enter(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				const char *what);

static inline void iom_leave(unsigned cpu)
{
	iom_cpus[cpu].depth--;
}

/* True inside a handler's nested dispatch call (depth counts this one). */
static inline bool iom_nested(unsigned cpu)
{
	return iom_cpus[cpu].depth > 1;
}

/* --- defer.c --------------------------------------------------------------- */

static inline bool iom_queue_full(unsigned cpu)
{
	return iom_cpus[cpu].queue_len >= IOM_DEFER_QUEUE_LEN;
}

/* A write is queued as at most this many entries: a port write of 4 bytes
 * can touch 4 one-port ranges; an MMIO write (at most 64 bytes) touches at
 * most 2 page-aligned ranges. */
#define IOM_MAX_PIECES 4
_Static_assert(IOM_MMIO_MAX_ACCESS <= IOM_MMIO_PAGE_SIZE,
	       "an MMIO access must fit in two pages");
_Static_assert(IOM_DEFER_QUEUE_LEN >= IOM_MAX_PIECES,
	       "the queue must hold one whole write");

/*
 * Queues the write [addr, addr+len) behind what this CPU has queued: one
 * entry per range under it (looked up now, with the write hint), parts over
 * unmapped space taking the default action at once. All or nothing: if the
 * entries do not fit, nothing is queued and IOM_RETRY returned (counted as
 * QUEUE_FULL); otherwise IOM_OK. Counts DEFERRED per entry on the CPU and
 * once on each range (unless range_counted is that range: the caller
 * already counted the deferral there).
 */
iom_status_t iom_queue_access(unsigned cpu, iom_space_t sp, uint64_t addr,
			      const uint8_t *data, unsigned len,
			      uint32_t range_counted);

/* Appends one entry for bytes inside the range hit describes; the caller
 * has checked there is room. */
void iom_queue_write(unsigned cpu, iom_space_t sp, uint64_t addr,
		     const uint8_t *data, unsigned len,
		     const struct iom_hit *hit);

/* Little-endian helpers: buffers hold bytes in guest order on any host. */
static inline uint32_t iom_le_get(const uint8_t *b, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static inline void iom_le_put(uint8_t *b, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

#endif
