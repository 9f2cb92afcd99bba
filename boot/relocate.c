/* SPDX-License-Identifier: GPL-2.0-only */
/* Moving the image into runtime memory.
 *
 * The image is one ELF shared object linked at 0 (linker.ld) whose only dynamic
 * relocations are R_X86_64_RELATIVE: "base + addend" (System V ABI, AMD64
 * supplement, §4.4). crt0 has applied them for the address the firmware chose;
 * here they are applied again for the copy's address. */
#include <efi.h>
#include <efilib.h>
#include "boot/relocate.h"
#include "hv/console/console.h"
#include "hv/string.h"

/* ELF-64 dynamic section and RELA entries (System V gABI, "Dynamic Section",
 * "Relocation"); tag and type numbers from the gABI and the AMD64 supplement. */
struct elf64_dyn {
	int64_t tag;
	uint64_t val;
};

struct elf64_rela {
	uint64_t offset;
	uint64_t info; /* symbol << 32 | type */
	int64_t addend;
};

enum { DT_NULL = 0, DT_RELA = 7, DT_RELASZ = 8, DT_RELAENT = 9 };
enum { R_X86_64_NONE = 0, R_X86_64_RELATIVE = 8 };

extern char ImageBase[];
extern char _image_end[];
extern struct elf64_dyn _DYNAMIC[];

static bool apply_relocations(char *base)
{
	/* .dynamic is read from the copy; its d_ptr values are image offsets
	 * because the image is linked at 0. */
	struct elf64_dyn *dyn = (struct elf64_dyn *)(base + ((char *)_DYNAMIC - ImageBase));
	uint64_t rela_off = 0, rela_size = 0, rela_ent = sizeof(struct elf64_rela);

	for (; dyn->tag != DT_NULL; dyn++) {
		if (dyn->tag == DT_RELA)
			rela_off = dyn->val;
		else if (dyn->tag == DT_RELASZ)
			rela_size = dyn->val;
		else if (dyn->tag == DT_RELAENT)
			rela_ent = dyn->val;
	}
	for (uint64_t off = 0; off < rela_size; off += rela_ent) {
		struct elf64_rela *r = (struct elf64_rela *)(base + rela_off + off);
		uint32_t type = (uint32_t)r->info;
		switch (type) {
		case R_X86_64_NONE:
			break;
		case R_X86_64_RELATIVE:
			*(uint64_t *)(base + r->offset) = (uint64_t)base + r->addend;
			break;
		default:
			log_err("image has relocation type %u at offset 0x%lx; cannot move it",
				type, (unsigned long)r->offset);
			return false;
		}
	}
	return true;
}

uint64_t boot_image_size(void)
{
	return (uint64_t)(_image_end - ImageBase);
}

void *boot_in_copy(void *base, const void *symbol)
{
	return (char *)base + ((const char *)symbol - ImageBase);
}

void *boot_relocate_image(void)
{
	UINTN size = (UINTN)boot_image_size();
	UINTN pages = (size + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	EFI_PHYSICAL_ADDRESS copy = 0;

	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					  EfiRuntimeServicesCode, pages, &copy);
	if (EFI_ERROR(st)) {
		log_err("cannot allocate %lu pages of runtime memory for the image (status 0x%lx)",
			(unsigned long)pages, (unsigned long)st);
		return NULL;
	}
	/* Copy the image as it is now; its pointers into itself are re-based
	 * below. */
	memcpy((void *)copy, ImageBase, size);
	if (!apply_relocations((char *)copy)) {
		uefi_call_wrapper(BS->FreePages, 2, copy, pages);
		return NULL;
	}
	log_debug("image moved to runtime memory at 0x%lx (%lu KiB)", (unsigned long)copy,
		  (unsigned long)(size / 1024));
	return (void *)copy;
}

uint64_t boot_release_image(void *base)
{
	UINTN pages = (UINTN)((boot_image_size() + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE);
	EFI_STATUS st = uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)base, pages);
	return EFI_ERROR(st) ? 0 : pages;
}
