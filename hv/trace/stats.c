/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/string.h"
#include "hv/trace/stats.h"

static bool same(const struct trace_reg_count *c, const char *device, const char *reg)
{
	return c->device && strcmp(c->device, device) == 0 && strcmp(c->reg, reg) == 0;
}

/* A slot taken over names another register: the keys that led to it go. */
static void forget_slot(struct trace_stats *s, const struct trace_reg_count *c)
{
	uint8_t i = (uint8_t)(c - s->slot);
	for (unsigned k = 0; k < TRACE_STATS_KEYS; k++)
		if (s->key[k].shape && s->key[k].slot == i)
			s->key[k].shape = 0;
}

/* The slot for this register; a free one, or the least used one without a
 * pending summary, taken over: a busy register keeps its counts (the summaries
 * report them), the rarely used ones share what is left. */
static struct trace_reg_count *slot_for(struct trace_stats *s, const struct trace_text *t)
{
	struct trace_reg_count *victim = 0;
	uint64_t least = ~0ull;
	for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++) {
		struct trace_reg_count *c = &s->slot[i];
		if (same(c, t->device, t->reg))
			return c;
		uint64_t used = c->device ? c->reads + c->writes : 0;
		bool busy = c->pending_reads || c->pending_writes || c->window_reads ||
			    c->window_writes;
		if (!busy && used < least)
			least = used, victim = c;
	}
	if (!victim)
		return 0;
	if (victim->device) {
		s->evicted += victim->reads + victim->writes;
		forget_slot(s, victim);
	}
	*victim = (struct trace_reg_count){ .device = t->device };
	memcpy(victim->reg, t->reg, sizeof(victim->reg));
	victim->reg[sizeof(victim->reg) - 1] = 0;
	return victim;
}

void trace_stats_tick(struct trace_stats *s, uint64_t now, uint64_t window)
{
	if (now - s->window_start < window) {
		s->window_end = s->window_start + window;
		return;
	}
	s->window_start = now;
	s->window_end = now + window;
	for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++) {
		struct trace_reg_count *c = &s->slot[i];
		if (!c->window_reads && !c->window_writes) {
			c->window_lines = 0;
			continue;
		}
		if (!c->pending_reads && !c->pending_writes)
			s->pending++;
		c->pending_reads += c->window_reads;
		c->pending_writes += c->window_writes;
		c->window_reads = c->window_writes = c->window_lines = 0;
	}
}

bool trace_stats_account(struct trace_stats *s, const struct trace_record *r,
			 const struct trace_text *t, uint64_t window, unsigned limit)
{
	trace_stats_tick(s, r->tsc, window);
	struct trace_reg_count *c = slot_for(s, t);
	if (!c) {
		s->evicted++;
		return true;
	}
	if (t->plain) {
		struct trace_stats_key *k = trace_stats_key_of(s, r);
		*k = (struct trace_stats_key){ .addr = r->addr,
					       .shape = trace_stats_shape(r),
					       .slot = (uint8_t)(c - s->slot) };
	}
	return trace_stats_count(c, r->write, limit);
}

bool trace_stats_next_summary(struct trace_stats *s, const struct trace_reg_count **out,
			      uint32_t *reads, uint32_t *writes)
{
	if (!s->pending)
		return false;
	for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++) {
		struct trace_reg_count *c = &s->slot[i];
		if (!c->pending_reads && !c->pending_writes)
			continue;
		*out = c;
		*reads = c->pending_reads;
		*writes = c->pending_writes;
		c->pending_reads = c->pending_writes = 0;
		s->pending--;
		return true;
	}
	s->pending = 0;
	return false;
}

unsigned trace_stats_top(struct trace_stats *const *cpus, unsigned ncpus,
			 struct trace_top_entry *out, unsigned max)
{
	unsigned n = 0;
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++) {
			struct trace_reg_count *c = &cpus[cpu]->slot[i];
			if (!c->device)
				continue;
			uint64_t r = c->reads - c->top_reads, w = c->writes - c->top_writes;
			c->top_reads = c->reads, c->top_writes = c->writes;
			if (!r && !w)
				continue;
			unsigned j = 0;
			while (j < n && !(strcmp(out[j].device, c->device) == 0 &&
					  strcmp(out[j].reg, c->reg) == 0))
				j++;
			if (j == n) {
				if (n == max) {
					/* Full: replace the smallest if this one is bigger. */
					unsigned k = 0;
					for (unsigned m = 1; m < n; m++)
						if (out[m].reads + out[m].writes <
						    out[k].reads + out[k].writes)
							k = m;
					if (out[k].reads + out[k].writes >= r + w)
						continue;
					j = k;
				} else {
					n++;
				}
				out[j] = (struct trace_top_entry){ c->device, c->reg, 0, 0 };
			}
			out[j].reads += r, out[j].writes += w;
		}
	}
	/* Most accessed first (insertion sort: a few dozen entries). */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i;
		     j > 0 && out[j].reads + out[j].writes > out[j - 1].reads + out[j - 1].writes;
		     j--) {
			struct trace_top_entry t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}
