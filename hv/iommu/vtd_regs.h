/* SPDX-License-Identifier: GPL-2.0-only */
/* Intel VT-d: the ACPI DMAR table and a remapping unit's registers and
 * structures. Section numbers are those of the Intel Virtualization Technology
 * for Directed I/O Architecture Specification (rev. 3.x). */
#ifndef HV_IOMMU_VTD_REGS_H
#define HV_IOMMU_VTD_REGS_H

/* DMAR table (§8.1): the header, Host Address Width (byte 36, width - 1),
 * flags (byte 37), then remapping structures from byte 48, each starting
 * with a 16-bit type and a 16-bit length. */
#define DMAR_HAW 36
#define DMAR_STRUCTURES 48
#define DMAR_TYPE_DRHD 0	/* §8.3: a remapping hardware unit */
/* DRHD: flags (byte 4, bit 0 INCLUDE_PCI_ALL), size (byte 5, bits 3:0: the
 * register set is 2^N pages), segment (bytes 6-7), register base (8-15). */
#define DRHD_SIZE 5
#define DRHD_SEGMENT 6
#define DRHD_BASE 8

/* Register offsets (§11.4). */
#define VTD_VER 0x00
#define VTD_CAP 0x08
#define VTD_ECAP 0x10
#define VTD_GCMD 0x18
#define VTD_GSTS 0x1C
#define VTD_RTADDR 0x20
#define VTD_CCMD 0x28
#define VTD_FSTS 0x34
#define VTD_FECTL 0x38
#define VTD_PMEN 0x64
#define VTD_IQH 0x80
#define VTD_IQT 0x88
#define VTD_IQA 0x90
/* The IOTLB registers sit at ECAP.IRO * 16 (§11.4.8): IVA, then IOTLB at +8. */
#define VTD_IOTLB_REG 0x08

/* Capability register (§11.4.2). */
#define CAP_RWBF (1ull << 4)			/* write buffers must be flushed */
#define CAP_SAGAW(c) (((c) >> 8) & 0x1F)	/* bit 1: 39-bit/3-level, bit 2: 48-bit/4-level */
#define CAP_FRO(c) ((((c) >> 24) & 0x3FF) * 16)	/* fault recording registers' offset */
#define CAP_SLLPS(c) (((c) >> 34) & 0xF)	/* bit 0: 2-MiB pages, bit 1: 1-GiB pages */
#define CAP_NFR(c) ((unsigned)(((c) >> 40) & 0xFF) + 1) /* fault recording registers */

/* Extended capability register (§11.4.3). */
#define ECAP_C (1ull << 0)			/* page walks snoop the CPU's caches */
#define ECAP_QI (1ull << 1)			/* queued invalidation */
#define ECAP_IRO(e) ((((e) >> 8) & 0x3FF) * 16)	/* IOTLB registers' offset */

/* Global command and status (§11.4.4, §11.4.5): the same bit in both. */
#define GCMD_TE (1u << 31)	/* translation enable */
#define GCMD_SRTP (1u << 30)	/* set root table pointer (one-shot) */
#define GCMD_WBF (1u << 27)	/* write buffer flush (one-shot) */
#define GCMD_QIE (1u << 26)	/* queued invalidation enable */
#define GCMD_IRE (1u << 25)	/* interrupt remapping enable */
#define GCMD_CFI (1u << 23)	/* compatibility format interrupts */
/* The bits that stay as they are when GCMD is written: software writes GSTS's
 * value of these, plus the one command it means (§11.4.4). */
#define GCMD_PERSISTENT (GCMD_TE | GCMD_QIE | GCMD_IRE | GCMD_CFI)

/* Context command (§11.4.6): ICC starts it and clears when done; CIRG 01b is
 * a global invalidation. */
#define CCMD_ICC (1ull << 63)
#define CCMD_GLOBAL (1ull << 61)
/* IOTLB invalidate (§11.4.8.1): IVT starts it and clears when done; IIRG 01b
 * global; DR and DW drain pending reads and writes first. */
#define IOTLB_IVT (1ull << 63)
#define IOTLB_GLOBAL (1ull << 60)
#define IOTLB_DR (1ull << 49)
#define IOTLB_DW (1ull << 48)

/* Fault status (§11.4.9): PFO overflow (RW1C), PPF some record pending. */
#define FSTS_PFO (1u << 0)
#define FSTS_PPF (1u << 1)
#define FSTS_IQE (1u << 4)	/* invalidation queue error */
#define FECTL_IM (1u << 31)	/* fault event interrupt masked: we poll */
#define PMEN_EPM (1u << 31)	/* protected memory regions enabled */
#define PMEN_PRS (1u << 0)	/* ... and in force */

/* A fault recording register (§11.4.14) is 128 bits: the low qword holds the
 * faulting page (bits 63:12); the high qword F (bit 63, RW1C), T (bit 62: 1
 * read, 0 write), the fault reason (bits 39:32) and the source ID (15:0). */
#define FRCD_F (1ull << 63)
#define FRCD_T (1ull << 62)
#define FRCD_REASON(hi) ((unsigned)((hi) >> 32) & 0xFF)
#define FRCD_SOURCE(hi) ((uint16_t)(hi))

/* Root entry (§9.1): present bit 0, context table at bits 63:12 (low qword).
 * Context entry (§9.3): low qword present bit 0, translation type bits 3:2
 * (00b: untranslated requests walk the second-level table), table at 63:12;
 * high qword address width bits 2:0 (1: 3 levels, 2: 4 levels), domain ID
 * bits 23:8. */
#define ROOT_P 1ull
#define CTX_P 1ull
#define CTX_AW(levels) ((uint64_t)(levels) - 2)
#define CTX_DID(d) ((uint64_t)(d) << 8)
/* Second-level paging entries (§9.8): read bit 0, write bit 1, page size bit
 * 7 (a 2-MiB or 1-GiB leaf), address bits 51:12. */
#define SL_R (1ull << 0)
#define SL_W (1ull << 1)
#define SL_PS (1ull << 7)

/* Invalidation queue (§6.5.2): 128-bit descriptors, type in bits 3:0. IQA
 * holds the queue's base with QS (bits 2:0) = 0 for one page of 256
 * descriptors; IQT is the next free descriptor's offset (index << 4). */
#define QI_CC 0x1ull		/* context-cache invalidate (§6.5.2.1) */
#define QI_IOTLB 0x2ull		/* IOTLB invalidate (§6.5.2.3) */
#define QI_WAIT 0x5ull		/* invalidation wait (§6.5.2.8) */
#define QI_GLOBAL (1ull << 4)	/* granularity 01b for CC and IOTLB */
#define QI_IOTLB_DW (1ull << 6)
#define QI_IOTLB_DR (1ull << 7)
#define QI_WAIT_SW (1ull << 5)	/* write the status data to the address */
#define QI_WAIT_DATA(d) ((uint64_t)(d) << 32)

#endif
