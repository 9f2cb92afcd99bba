/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include "boot/efi_util.h"

bool ascii_to_ucs2(CHAR16 *dst, UINTN n, const char *src)
{
	UINTN i = 0;
	for (; src[i] && i + 1 < n; i++)
		dst[i] = (unsigned char)src[i] < 0x80 ? (CHAR16)src[i] : L'?';
	if (n)
		dst[i] = 0;
	return !src[i];
}

bool ucs2_to_ascii(char *dst, UINTN n, const CHAR16 *src, UINTN src_chars)
{
	UINTN i = 0;
	for (; i < src_chars && src[i] && i + 1 < n; i++)
		dst[i] = src[i] < 0x80 ? (char)src[i] : '?';
	if (n)
		dst[i] = '\0';
	return i == src_chars || !src[i];
}

EFI_LOADED_IMAGE *efi_loaded_image(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					  (void **)&li);
	return EFI_ERROR(st) ? NULL : li;
}

EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, char **buf, UINTN *size)
{
	CHAR16 wpath[256];
	EFI_FILE_IO_INTERFACE *fs = NULL;
	EFI_FILE_HANDLE root = NULL, file = NULL;
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS st;

	*buf = NULL;
	*size = 0;
	if (!ascii_to_ucs2(wpath, sizeof(wpath) / sizeof(wpath[0]), path))
		return EFI_INVALID_PARAMETER;
	EFI_LOADED_IMAGE *li = efi_loaded_image(image);
	if (!li)
		return EFI_NOT_FOUND;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, li->DeviceHandle, &FileSystemProtocol,
			       (void **)&fs);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(fs->OpenVolume, 2, fs, &root);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(root->Open, 5, root, &file, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		goto out;
	info = LibFileInfo(file);
	if (!info) {
		st = EFI_DEVICE_ERROR;
		goto out;
	}
	UINTN len = info->FileSize;
	*buf = AllocatePool(len + 1);
	if (!*buf) {
		st = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	st = uefi_call_wrapper(file->Read, 3, file, &len, *buf);
	if (EFI_ERROR(st)) {
		FreePool(*buf);
		*buf = NULL;
		goto out;
	}
	(*buf)[len] = '\0';
	*size = len;
out:
	if (info)
		FreePool(info);
	if (file)
		uefi_call_wrapper(file->Close, 1, file);
	uefi_call_wrapper(root->Close, 1, root);
	return st;
}
