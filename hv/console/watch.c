/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/entry_work.h"
#include "hv/console/watch.h"
#include "hv/console/debug_console_edit.h"
#include "hv/format.h"
#include "iom/iom.h" /* IOM_MMIO_ADDR_MAX */

static struct {
	struct watch w;
	volatile bool used;
	volatile uint64_t hits;
} table[WATCH_MAX];

volatile unsigned watch_active_count;

static struct {
	struct watch_hit ring[WATCH_HITS_PER_CPU];
	unsigned head, count; /* only its own CPU touches these */
	uint64_t lost;
} cpus[WATCH_CPUS];

/* The reason a break command was refused, naming the word at fault. */
static char why[96];

static const char *refuse(const char *fmt, const char *word)
{
	fmt_snprintf(why, sizeof(why), fmt, word);
	return why;
}

const char *watch_parse(char *const *words, unsigned n, struct watch *out)
{
	struct watch w = { .dirs = WATCH_READ | WATCH_WRITE };
	if (n < 2)
		return "usage: break port|mmio ADDR [r|w|rw] [VALUE] [stop]";
	if (word_is(words[0], "port"))
		w.space = WATCH_PORT;
	else if (word_is(words[0], "mmio"))
		w.space = WATCH_MMIO;
	else
		return refuse("'%s': the space is 'port' or 'mmio'", words[0]);
	if (!parse_number(words[1], &w.addr))
		return refuse("'%s': not an address (e.g. 0x5a0)", words[1]);
	if (w.space == WATCH_PORT && w.addr > 0xFFFF)
		return refuse("port %s: ports end at 0xffff", words[1]);
	if (w.space == WATCH_MMIO && w.addr > IOM_MMIO_ADDR_MAX)
		return refuse("mmio %s: past the largest physical address (2^52)", words[1]);
	unsigned i = 2;
	if (i < n && (word_is(words[i], "r") || word_is(words[i], "w") || word_is(words[i], "rw"))) {
		w.dirs = word_is(words[i], "r") ? WATCH_READ
			 : word_is(words[i], "w") ? WATCH_WRITE
						  : WATCH_READ | WATCH_WRITE;
		i++;
	}
	if (i < n && !word_is(words[i], "stop")) {
		if (!parse_number(words[i], &w.value))
			return refuse(i == 2 ? "'%s': not a direction (r, w, rw), a value (e.g. 0x41) "
					       "or 'stop'"
					     : "'%s': not a value (e.g. 0x41) or 'stop'",
				      words[i]);
		w.has_value = true;
		i++;
	}
	if (i < n && word_is(words[i], "stop")) {
		w.stop = true;
		i++;
	}
	if (i < n)
		return refuse(w.stop ? "'%s': unexpected after 'stop'" : "'%s': unexpected after the value",
			      words[i]);
	*out = w;
	return 0;
}

int watch_add(const struct watch *w)
{
	for (unsigned i = 0; i < WATCH_MAX; i++) {
		if (table[i].used)
			continue;
		table[i].w = *w;
		table[i].hits = 0;
		__atomic_store_n(&table[i].used, true, __ATOMIC_RELEASE);
		__atomic_add_fetch(&watch_active_count, 1, __ATOMIC_RELEASE);
		return (int)i;
	}
	return -1;
}

void watch_remove(unsigned index)
{
	if (index >= WATCH_MAX || !table[index].used)
		return;
	__atomic_store_n(&table[index].used, false, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&watch_active_count, 1, __ATOMIC_RELEASE);
}

bool watch_get(unsigned index, struct watch *out)
{
	if (index >= WATCH_MAX || !table[index].used)
		return false;
	*out = table[index].w;
	return true;
}

uint64_t watch_hits(unsigned index)
{
	return index < WATCH_MAX ? table[index].hits : 0;
}

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

int watch_access(unsigned cpu, enum watch_space space, uint64_t addr, unsigned size,
		 bool write, uint64_t value, uint64_t rip)
{
	for (unsigned i = 0; i < WATCH_MAX; i++) {
		if (!__atomic_load_n(&table[i].used, __ATOMIC_ACQUIRE))
			continue;
		const struct watch *w = &table[i].w;
		if (w->space != space || !(w->dirs & (write ? WATCH_WRITE : WATCH_READ)))
			continue;
		if (w->addr < addr || w->addr - addr >= size)
			continue;
		if (w->has_value && (value & mask_of(size)) != (w->value & mask_of(size)))
			continue;
		__atomic_add_fetch(&table[i].hits, 1, __ATOMIC_RELAXED);
		if (cpu < WATCH_CPUS) {
			struct watch_hit h = { (uint8_t)i, (uint8_t)space, (uint8_t)size, write,
					       w->stop, addr, value & mask_of(size), rip };
			if (cpus[cpu].count == WATCH_HITS_PER_CPU) {
				cpus[cpu].lost++;
			} else {
				cpus[cpu].ring[(cpus[cpu].head + cpus[cpu].count) %
					       WATCH_HITS_PER_CPU] = h;
				cpus[cpu].count++;
			}
			entry_work_raise(cpu); /* reported before the entry */
		}
		return (int)i;
	}
	return -1;
}

bool watch_has_news(unsigned cpu)
{
	return cpu < WATCH_CPUS && (cpus[cpu].count || cpus[cpu].lost);
}

bool watch_next_hit(unsigned cpu, struct watch_hit *out)
{
	if (cpu >= WATCH_CPUS || !cpus[cpu].count)
		return false;
	*out = cpus[cpu].ring[cpus[cpu].head];
	cpus[cpu].head = (cpus[cpu].head + 1) % WATCH_HITS_PER_CPU;
	cpus[cpu].count--;
	return true;
}

uint64_t watch_take_lost(unsigned cpu)
{
	if (cpu >= WATCH_CPUS)
		return 0;
	uint64_t n = cpus[cpu].lost;
	cpus[cpu].lost = 0;
	return n;
}

void watch_reset(void)
{
	for (unsigned i = 0; i < WATCH_MAX; i++)
		table[i].used = false, table[i].hits = 0;
	for (unsigned c = 0; c < WATCH_CPUS; c++)
		cpus[c].head = cpus[c].count = 0, cpus[c].lost = 0;
	watch_active_count = 0;
}
