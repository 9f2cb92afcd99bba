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

	/* Where it is mapped: changed by writers inside a seqcount write
	 * section, read by readers (the deferred-queue commit) inside a read
	 * section, always with IOM_LOAD/IOM_STORE. */
	uint64_t base;
	uint32_t mapped;

	/* Counters bumped by any CPU with relaxed atomic adds. One shared
	 * cache line per range costs far less than the exit that leads here. */
	uint64_t stats[IOM_STAT_COUNT];
};

/* One mapped range in a space's sorted lookup table. */
struct iom_map_entry {
	uint64_t first;
	uint64_t last;                      /* inclusive, so 0xFFFF fits ports */
	uint32_t range;                     /* index into the space's ranges */
};

/* A whole address space: all port ranges or all MMIO ranges. */
struct iom_addr_space {
	uint32_t seq;                       /* seqcount over map[] and n_map */
	uint32_t n_map;                     /* entries in map[], sorted by first */
	uint32_t n_ranges;                  /* created ranges (release-published) */
	uint32_t max_ranges;
	uint64_t addr_max;                  /* highest address a range may cover */
	uint32_t handle_tag;
	struct iom_map_entry *map;          /* max_ranges entries */
	struct iom_range *ranges;           /* max_ranges entries */
};

/* One write waiting in a CPU's deferred queue. */
struct iom_defer_entry {
	uint64_t addr;                      /* port or guest-physical address */
	uint32_t range;                     /* range it hit (hint), or IOM_NO_RANGE */
	uint8_t space;                      /* iom_space_t */
	uint8_t len;                        /* bytes in data */
	uint8_t data[IOM_MMIO_MAX_ACCESS];
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
	uint32_t hint[IOM_SPACE_COUNT][IOM_OP_COUNT];  /* map[] slot of last hit */
	uint32_t queue_len;
	struct iom_defer_entry queue[IOM_DEFER_QUEUE_LEN];
	struct iom_pending_read pending;
	uint64_t stats[IOM_SPACE_COUNT][IOM_STAT_COUNT];
} __attribute__((aligned(64)));

/* Global state (state.c). */
extern struct iom_addr_space iom_spaces[IOM_SPACE_COUNT];
extern struct iom_cpu iom_cpus[IOM_MAX_CPUS];
extern uint32_t iom_reg_lock;
extern bool iom_frozen;                 /* changed under iom_reg_lock */
extern bool iom_have_ops;               /* under iom_reg_lock */
extern struct iom_intercept_ops iom_ops;/* under iom_reg_lock */

/* --- stats.c ---------------------------------------------------------- */

/* Only `cpu` itself calls this, so a plain load/store pair is enough; the
 * atomics only keep concurrent readers (dumps) free of data races. */
static inline void iom_count_cpu(unsigned cpu, iom_space_t sp, iom_stat_t st,
				 uint64_t n)
{
	uint64_t *p = &iom_cpus[cpu].stats[sp][st];

	IOM_STORE(p, IOM_LOAD(p) + n);
}

static inline void iom_count_range(struct iom_range *r, iom_stat_t st)
{
	__atomic_fetch_add(&r->stats[st], 1, __ATOMIC_RELAXED);
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
	uint32_t range;                     /* found: range index */
	uint64_t first, last;               /* found: its mapped span */
	uint64_t next;                      /* !found: next mapped first above
					     * the address, or UINT64_MAX */
};

/* Looks addr up; hint (may be NULL) is the caller's last-hit slot, used
 * first and updated on a hit. */
void iom_lookup(struct iom_addr_space *s, uint64_t addr, uint32_t *hint,
		struct iom_hit *hit);

/* --- status.c ------------------------------------------------------------ */

/*
 * Turns what a handler returned into what the dispatcher works with:
 * IOM_OK (also for IOM_UNUSED: the caller already has all ones in place),
 * a guest-visible outcome, or IOM_INTERNAL_ERROR for anything the handler may
 * not return. *deferred is set for IOM_DEFER in exit context; IOM_DEFER in
 * deferred context is an internal error.
 */
iom_status_t iom_handler_status(iom_status_t st, iom_ctx_t ctx,
				const struct iom_range *r, bool *deferred);

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

/* Checks common to every dispatch entry point; logs and returns false for a
 * contract violation. */
bool iom_check_cpu(unsigned cpu, iom_ctx_t ctx, const char *what);

/* --- defer.c --------------------------------------------------------------- */

static inline bool iom_queue_full(unsigned cpu)
{
	return iom_cpus[cpu].queue_len >= IOM_DEFER_QUEUE_LEN;
}

/* Appends a write; the caller has checked there is room. */
void iom_queue_write(unsigned cpu, iom_space_t sp, uint64_t addr,
		     const uint8_t *data, unsigned len, uint32_t range);

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
