/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-Vi: the ACPI IVRS table, the IOMMU's registers and structures. Section
 * numbers are those of the AMD I/O Virtualization Technology (IOMMU)
 * Specification (pub. 48882, rev. 3.x). */
#ifndef HV_IOMMU_AMDVI_REGS_H
#define HV_IOMMU_AMDVI_REGS_H

/* IVRS (§5.2): the header, IVinfo (bytes 36-39), 8 reserved bytes, then IVHD
 * and IVMD blocks from byte 48, each starting with type (byte 0) and length
 * (bytes 2-3). */
#define IVRS_BLOCKS 48
#define IVHD_TYPE_10 0x10	/* §5.2.2.1; 0x11 and 0x40 describe the same IOMMU
				 * with more fields (§5.2.2.2) */
#define IVHD_TYPE_11 0x11
#define IVHD_TYPE_40 0x40
#define IVHD_BASE 8		/* IOMMU base address, 8 bytes */
#define IVHD_SEGMENT 16		/* PCI segment group, 2 bytes */
#define IVHD_ENTRIES_10 24	/* where the device entries start, type 10h */
#define IVHD_ENTRIES_11 40	/* types 11h and 40h */
/* Device entries (§5.2.2.3): type 1 'all devices' (4 bytes); types 2-63 are 4
 * bytes, 64-127 8 bytes, with the device ID in bytes 1-2; types 240 and up
 * (ACPI HID devices) have their length in byte 21 after 22 fixed bytes. */
#define IVHD_DEV_ALL 1
#define IVHD_DEV_VARIABLE 0xF0
#define IVHD_DEV_HID_UID_LEN 21

/* MMIO registers (§3.4). */
#define AMDVI_DEVTAB 0x0000	/* base 51:12, size 8:0 in 4-KiB units - 1 */
#define AMDVI_CMDBUF 0x0008	/* base 51:12, ComLen 59:56 (log2 entries) */
#define AMDVI_EVTLOG 0x0010	/* base 51:12, EventLen 59:56 */
#define AMDVI_CONTROL 0x0018
#define AMDVI_EXCL_BASE 0x0020	/* exclusion range: bit 0 enables it */
#define AMDVI_EXCL_LIMIT 0x0028
#define AMDVI_EFR 0x0030	/* extended features */
#define AMDVI_CMD_HEAD 0x2000	/* byte offsets into the buffer, bits 18:4 */
#define AMDVI_CMD_TAIL 0x2008
#define AMDVI_EVT_HEAD 0x2010
#define AMDVI_EVT_TAIL 0x2018
#define AMDVI_STATUS 0x2020
#define AMDVI_MMIO_SIZE 0x4000		/* the registers above (§3.4) */
#define AMDVI_MMIO_SIZE_PC 0x80000	/* with performance counters (EFR.PCSup) */
#define RING_LEN_256 (8ull << 56)	/* 2^8 entries of 16 bytes: one page */
#define RING_OFFSET_MASK 0x7FFF0ull

/* Control register (§3.4.3). */
#define CTRL_IOMMU_EN (1ull << 0)
#define CTRL_EVENT_LOG_EN (1ull << 2)
#define CTRL_CMD_BUF_EN (1ull << 12)
/* Status register (§3.4.13): RW1C bits. */
#define STATUS_EVENT_OVERFLOW (1ull << 0)
/* Extended features (§3.4.5). */
#define EFR_IA (1ull << 6)	/* INVALIDATE_IOMMU_ALL */
#define EFR_PC (1ull << 9)	/* performance counters: 512-KiB register window */

/* Device table entry (§2.2.2), 256 bits. Qword 0: V bit 0, TV bit 1 (the
 * translation fields are valid), Mode bits 11:9 (levels of the I/O page
 * table), root 51:12, IR bit 61, IW bit 62. Qword 1: domain ID 15:0, IoCtl
 * 36:35 (01b: port I/O passes). Qword 2: IV bit 0 clear leaves interrupts
 * untranslated. */
#define DTE_V (1ull << 0)
#define DTE_TV (1ull << 1)
#define DTE_MODE(levels) ((uint64_t)(levels) << 9)
#define DTE_IR (1ull << 61)
#define DTE_IW (1ull << 62)
#define DTE_IOCTL_PASS (1ull << 35)
/* I/O page table entries (§2.2.3): PR bit 0, Next Level 11:9 (the level of
 * the table pointed to; 0 makes the entry a page of its own level's size),
 * address 51:12, IR bit 61, IW bit 62. */
#define IOPTE_PR (1ull << 0)
#define IOPTE_NEXT(level) ((uint64_t)(level) << 9)
#define IOPTE_IR (1ull << 61)
#define IOPTE_IW (1ull << 62)

/* Commands (§2.4), 128 bits; the opcode is in bits 63:60 of the first qword. */
#define CMD_OPCODE(op) ((uint64_t)(op) << 60)
#define CMD_COMPLETION_WAIT 0x1		/* S bit 0: store qword 1 at bits 51:3 */
#define CMD_INVALIDATE_DEVTAB_ENTRY 0x2	/* device ID 15:0 */
#define CMD_INVALIDATE_IOMMU_PAGES 0x3	/* domain ID 47:32; qword 1: S bit 0, PDE
					 * bit 1, address 63:12 */
#define CMD_INVALIDATE_IOMMU_ALL 0x8
#define CMD_WAIT_STORE (1ull << 0)
#define INVALIDATE_ALL_PAGES (0x7FFFFFFFFFFFF000ull | 3) /* S and PDE: everything */

/* Event log entries (§2.5), 128 bits: device ID in bits 15:0, the event code
 * in bits 63:60 and flags in 59:48 of qword 0, the address in qword 1. */
#define EVENT_CODE(q0) ((unsigned)((q0) >> 60))
#define EVENT_IO_PAGE_FAULT 0x2
#define EVENT_RW(q0) (((q0) >> 53) & 1)	/* IO_PAGE_FAULT: 1 write (§2.5.3) */

#endif
