/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's own memory: page tables, control structures, stacks. boot/
 * allocates one region from UEFI as runtime memory (it survives ExitBootServices)
 * and hands it here; nothing else in the host allocates. */
#ifndef HV_POOL_H
#define HV_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul

void pool_init(uint64_t base, size_t pages);
/* Zeroed, page-aligned, physically contiguous; NULL when the pool is exhausted. */
void *pool_alloc_pages(size_t pages);
void pool_free_page(void *page);
/* n single pages into page[]: all of them (true), or none taken (false). For
 * what must all be had or none kept; pool_free_singles gives them back. */
bool pool_alloc_singles(void **page, unsigned n);
void pool_free_singles(void **page, unsigned n);
/* Like pool_alloc_pages, but panics: for memory the hypervisor cannot run without. */
void *pool_must_alloc_pages(size_t pages, const char *what);

uint64_t pool_base(void);
size_t pool_free_pages(void);

/* Pages in the pool, in use now, and the most ever in use at once. */
struct pool_usage {
	size_t total, in_use, peak;
};
struct pool_usage pool_usage(void);
/* One log line: the pool's size, use and peak, and when (e.g. "at start-up"). */
void pool_report(const char *when);

#endif
