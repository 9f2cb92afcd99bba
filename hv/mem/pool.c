/* SPDX-License-Identifier: GPL-2.0-only */
/* A bump allocator over one contiguous region, with a free list for single pages
 * (page-table pages come and go when traps are added and removed; multi-page
 * structures live for as long as the hypervisor). The host identity-maps memory,
 * so a page's address is its physical address. */
#include "hv/mem/pool.h"
#include "hv/console/console.h"
#include "hv/panic.h"
#include "hv/spinlock.h"
#include "hv/string.h"

struct free_page {
	struct free_page *next;
};

static struct spinlock pool_lock = SPINLOCK_INIT;
static uint64_t region_base;
static size_t region_pages, next_unused;
static struct free_page *free_list;
static size_t free_listed;
static size_t peak; /* the most pages ever in use at once */

void pool_init(uint64_t base, size_t pages)
{
	region_base = base;
	region_pages = pages;
	next_unused = 0;
	free_list = NULL;
	free_listed = 0;
	peak = 0;
}

void *pool_alloc_pages(size_t pages)
{
	void *p = NULL;
	uint64_t flags = irq_save();

	spin_lock(&pool_lock);
	if (pages == 1 && free_list) {
		p = free_list;
		free_list = free_list->next;
		free_listed--;
	} else if (pages && pages <= region_pages - next_unused) {
		p = (void *)(region_base + next_unused * PAGE_SIZE);
		next_unused += pages;
	}
	if (next_unused - free_listed > peak)
		peak = next_unused - free_listed;
	spin_unlock(&pool_lock);
	irq_restore(flags);
	if (p)
		memset(p, 0, pages * PAGE_SIZE);
	return p;
}

void pool_free_page(void *page)
{
	uint64_t flags = irq_save();
	spin_lock(&pool_lock);
	struct free_page *f = page;
	f->next = free_list;
	free_list = f;
	free_listed++;
	spin_unlock(&pool_lock);
	irq_restore(flags);
}

bool pool_alloc_singles(void **page, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!(page[i] = pool_alloc_pages(1))) {
			pool_free_singles(page, i);
			return false;
		}
	}
	return true;
}

void pool_free_singles(void **page, unsigned n)
{
	while (n)
		pool_free_page(page[--n]);
}

void *pool_must_alloc_pages(size_t pages, const char *what)
{
	void *p = pool_alloc_pages(pages);
	if (!p)
		panic("out of hypervisor memory allocating %lu pages for %s (%lu of %lu free)",
		      (unsigned long)pages, what, (unsigned long)pool_free_pages(),
		      (unsigned long)region_pages);
	return p;
}

uint64_t pool_base(void)
{
	return region_base;
}

size_t pool_free_pages(void)
{
	return region_pages - next_unused + free_listed;
}

struct pool_usage pool_usage(void)
{
	uint64_t flags = irq_save();
	spin_lock(&pool_lock);
	struct pool_usage u = { region_pages, next_unused - free_listed, peak };
	spin_unlock(&pool_lock);
	irq_restore(flags);
	return u;
}

void pool_report(const char *when)
{
	struct pool_usage u = pool_usage();
	log_info("hypervisor memory: pool %lu KiB, %lu KiB in use, peak %lu KiB (%s)",
		 (unsigned long)(u.total * PAGE_SIZE / 1024),
		 (unsigned long)(u.in_use * PAGE_SIZE / 1024),
		 (unsigned long)(u.peak * PAGE_SIZE / 1024), when);
}
