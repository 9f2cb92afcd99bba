/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/arch.h - the architectural constants of x86-64, once.
 *
 * Register bits, MSR numbers, page-table bits, exception vectors and the
 * other numbers the Intel SDM and AMD APM define for every x86 CPU live here
 * and nowhere else; vendor virtualization formats (VMCB, VMCS fields, NPT and
 * EPT entry formats) stay in their backend's headers. Each group cites where
 * the manuals define it. Pure macros: the header builds on the host too.
 */
#ifndef HV_X86_ARCH_H
#define HV_X86_ARCH_H

/* ---- Sizes ------------------------------------------------------------ */
#define PAGE_SIZE_4K (1ull << 12)
#define PAGE_SIZE_2M (1ull << 21)
#define PAGE_SIZE_1G (1ull << 30)

/* ---- RFLAGS (SDM Vol. 1 §3.4.3, Figure 3-8) ---------------------------- */
#define X86_RFLAGS_CF     (1ull << 0)
#define X86_RFLAGS_FIXED1 (1ull << 1) /* reserved, always 1 */
#define X86_RFLAGS_PF     (1ull << 2)
#define X86_RFLAGS_AF     (1ull << 4)
#define X86_RFLAGS_ZF     (1ull << 6)
#define X86_RFLAGS_SF     (1ull << 7)
#define X86_RFLAGS_TF     (1ull << 8)
#define X86_RFLAGS_IF     (1ull << 9)
#define X86_RFLAGS_DF     (1ull << 10)
#define X86_RFLAGS_OF     (1ull << 11)
#define X86_RFLAGS_IOPL_SHIFT 12
#define X86_RFLAGS_IOPL   (3ull << 12)
#define X86_RFLAGS_NT     (1ull << 14)
#define X86_RFLAGS_RF     (1ull << 16)
#define X86_RFLAGS_VM     (1ull << 17)
#define X86_RFLAGS_AC     (1ull << 18)
#define X86_RFLAGS_VIF    (1ull << 19)
#define X86_RFLAGS_VIP    (1ull << 20)
#define X86_RFLAGS_ID     (1ull << 21)
/* The six status flags arithmetic instructions write (SDM Vol. 1 §3.4.3.1). */
#define X86_RFLAGS_STATUS (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | \
			   X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

/* ---- CR0 (SDM Vol. 3A §2.5, Figure 2-7) -------------------------------- */
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_MP (1ull << 1)
#define X86_CR0_EM (1ull << 2)
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_ET (1ull << 4)
#define X86_CR0_NE (1ull << 5)
#define X86_CR0_WP (1ull << 16)
#define X86_CR0_AM (1ull << 18)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR0_PG (1ull << 31)

/* ---- CR3 (SDM Vol. 3A §4.10.4.1) --------------------------------------- */
#define X86_CR3_PCID_NOFLUSH (1ull << 63) /* MOV to CR3 with CR4.PCIDE */

/* ---- CR4 (SDM Vol. 3A §2.5, Figure 2-7) -------------------------------- */
#define X86_CR4_VME        (1ull << 0)
#define X86_CR4_PVI        (1ull << 1)
#define X86_CR4_TSD        (1ull << 2)
#define X86_CR4_DE         (1ull << 3)
#define X86_CR4_PSE        (1ull << 4)
#define X86_CR4_PAE        (1ull << 5)
#define X86_CR4_MCE        (1ull << 6)
#define X86_CR4_PGE        (1ull << 7)
#define X86_CR4_PCE        (1ull << 8)
#define X86_CR4_OSFXSR     (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_UMIP       (1ull << 11)
#define X86_CR4_LA57       (1ull << 12)
#define X86_CR4_VMXE       (1ull << 13)
#define X86_CR4_SMXE       (1ull << 14)
#define X86_CR4_FSGSBASE   (1ull << 16)
#define X86_CR4_PCIDE      (1ull << 17)
#define X86_CR4_OSXSAVE    (1ull << 18)
#define X86_CR4_SMEP       (1ull << 20)
#define X86_CR4_SMAP       (1ull << 21)
#define X86_CR4_PKE        (1ull << 22)
#define X86_CR4_CET        (1ull << 23)
#define X86_CR4_PKS        (1ull << 24)

/* ---- EFER (SDM Vol. 3A §2.2.1; APM Vol. 2 §3.1.7) ---------------------- */
#define X86_EFER_SCE   (1ull << 0)
#define X86_EFER_LME   (1ull << 8)
#define X86_EFER_LMA   (1ull << 10)
#define X86_EFER_NXE   (1ull << 11)
#define X86_EFER_SVME  (1ull << 12) /* AMD */
#define X86_EFER_LMSLE (1ull << 13) /* AMD */
#define X86_EFER_FFXSR (1ull << 14) /* AMD */
#define X86_EFER_TCE   (1ull << 15) /* AMD */

/* ---- XCR0 (SDM Vol. 1 §13.3; the state components of §13.1) ------------ */
#define X86_XCR0_X87       (1ull << 0)
#define X86_XCR0_SSE       (1ull << 1)
#define X86_XCR0_AVX       (1ull << 2)
#define X86_XCR0_BNDREGS   (1ull << 3)
#define X86_XCR0_BNDCSR    (1ull << 4)
#define X86_XCR0_OPMASK    (1ull << 5)
#define X86_XCR0_ZMM_HI256 (1ull << 6)
#define X86_XCR0_HI16_ZMM  (1ull << 7)
#define X86_XCR0_PKRU      (1ull << 9)
#define X86_XCR0_TILECFG   (1ull << 17)
#define X86_XCR0_TILEDATA  (1ull << 18)
#define X86_XCR0_AVX512    (X86_XCR0_OPMASK | X86_XCR0_ZMM_HI256 | X86_XCR0_HI16_ZMM)

/* ---- Debug registers (SDM Vol. 3B §18.2) ------------------------------- */
#define X86_DR6_BS    (1ull << 14) /* single step */
#define X86_DR6_BT    (1ull << 15) /* task switch to a TSS with T set (§18.2.3) */
#define X86_DR7_LOCAL_ENABLES 0x55ull /* L0-L3, cleared by a task switch (§18.2.4) */
#define X86_DR6_RESET 0xFFFF0FF0ull
#define X86_DR7_RESET 0x400ull

/* ---- Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1) ----------------- */
#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_NMI 2
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_BR  5
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_DF  8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19
#define X86_EXC_VE  20
#define X86_EXC_CP  21

/* ---- Task-state segment (SDM Vol. 3A §3.5 Table 3-2, §9.2.1, §9.7) ------ */
#define X86_SEG_TYPE_TSS16_AVAIL 0x1
#define X86_SEG_TYPE_LDT       0x2
#define X86_SEG_TYPE_TSS_AVAIL 0x9  /* 32-bit TSS, or 64-bit in IA-32e mode */
#define X86_SEG_TYPE_TSS_BUSY  0xB
#define X86_SEG_TYPE_TSS_BUSY_BIT 0x2 /* busy (B) within a TSS type */
#define X86_SEG_TYPE_TSS_32BIT 0x8  /* a 32-bit TSS (types 9, 11), else 16-bit (1, 3) */
#define X86_TSS32_MIN_LIMIT    0x67 /* a smaller 32-bit TSS limit is #TS (§6.15, Table 6-6) */
#define X86_TSS16_MIN_LIMIT    0x2B /* the same for a 16-bit TSS */
#define X86_TSS32_T            0x1  /* debug trap flag in the TSS's T word (§8.2.1) */
#define X86_TSS_IOMAP_BASE     0x66 /* 16-bit offset of the I/O permission bitmap */

/* ---- Page-fault error code (SDM Vol. 3A §4.7, Figure 4-12) ------------- */
#define X86_PFEC_P    (1u << 0) /* 0: not present; 1: protection/rsvd */
#define X86_PFEC_W    (1u << 1) /* write access */
#define X86_PFEC_U    (1u << 2) /* user-mode access (CPL 3) */
#define X86_PFEC_RSVD (1u << 3) /* reserved bit set in a paging entry */
#define X86_PFEC_I    (1u << 4) /* instruction fetch */

/* ---- Paging-structure entries (SDM Vol. 3A §4.5, Tables 4-15 to 4-20;
 *      APM Vol. 2 §5.3.3). Also the format of AMD's nested page tables. --- */
#define X86_PTE_P    (1ull << 0)
#define X86_PTE_RW   (1ull << 1)
#define X86_PTE_US   (1ull << 2)
#define X86_PTE_PWT  (1ull << 3)
#define X86_PTE_PCD  (1ull << 4)
#define X86_PTE_A    (1ull << 5)
#define X86_PTE_D    (1ull << 6)
#define X86_PTE_PS   (1ull << 7) /* in a PDPTE or PDE: maps a 1-GiB or 2-MiB page */
#define X86_PTE_G    (1ull << 8)
#define X86_PTE_XD   (1ull << 63)
/* Bits 51:12: the physical address of a 4-KiB frame or the next table. */
#define X86_PTE_ADDR_MASK 0x000FFFFFFFFFF000ull

/* ---- Reset state (SDM Vol. 3A §10.1.1, Table 10-1; APM Vol. 2 §14.1.3) -- */
#define X86_CR0_RESET  0x60000010ull /* CD, NW, ET */
#define X86_PAT_RESET  0x0007040600070406ull
#define X86_RFLAGS_RESET X86_RFLAGS_FIXED1

/* ---- MSRs: architectural (SDM Vol. 4, Table 2-2) ----------------------- */
#define MSR_IA32_TSC                0x10
#define MSR_IA32_APIC_BASE          0x1B
#define MSR_IA32_FEATURE_CONTROL    0x3A
#define MSR_IA32_SYSENTER_CS        0x174
#define MSR_IA32_SYSENTER_ESP       0x175
#define MSR_IA32_SYSENTER_EIP       0x176
#define MSR_IA32_MISC_ENABLE        0x1A0
#define MSR_IA32_DEBUGCTL           0x1D9
#define MSR_IA32_MTRRCAP            0xFE
#define MSR_IA32_MTRR_PHYSBASE0     0x200
#define MSR_IA32_MTRR_PHYSMASK0     0x201
#define MSR_IA32_MTRR_FIX64K_00000  0x250
#define MSR_IA32_MTRR_FIX16K_80000  0x258
#define MSR_IA32_MTRR_FIX16K_A0000  0x259
#define MSR_IA32_MTRR_FIX4K_C0000   0x268 /* through 0x26F */
#define MSR_IA32_PAT                0x277
#define MSR_IA32_MTRR_DEF_TYPE      0x2FF
#define MSR_IA32_VMX_BASIC          0x480
#define MSR_IA32_VMX_PINBASED_CTLS  0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS      0x483
#define MSR_IA32_VMX_ENTRY_CTLS     0x484
#define MSR_IA32_VMX_MISC           0x485
#define MSR_IA32_VMX_CR0_FIXED0     0x486
#define MSR_IA32_VMX_CR0_FIXED1     0x487
#define MSR_IA32_VMX_CR4_FIXED0     0x488
#define MSR_IA32_VMX_CR4_FIXED1     0x489
#define MSR_IA32_VMX_VMCS_ENUM      0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP   0x48C
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x490
#define MSR_IA32_VMX_VMFUNC         0x491
#define MSR_IA32_VMX_FIRST          0x480 /* IA32_VMX_BASIC ... */
#define MSR_IA32_VMX_LAST           0x493 /* ... IA32_VMX_EXIT_CTLS2 */
#define MSR_IA32_RTIT_OUTPUT_BASE   0x560 /* Intel PT (SDM Vol. 3C §33.2.8) */
#define MSR_IA32_RTIT_OUTPUT_MASK_PTRS 0x561
#define MSR_IA32_RTIT_CTL           0x570
#define MSR_IA32_RTIT_STATUS        0x571
#define MSR_IA32_RTIT_CR3_MATCH     0x572
#define MSR_IA32_RTIT_ADDR0_A       0x580 /* ... IA32_RTIT_ADDR3_B, 0x587 */
#define MSR_IA32_RTIT_ADDR3_B       0x587
#define MSR_X2APIC_FIRST            0x800 /* x2APIC registers (SDM Vol. 3A §11.12.1.2) */
#define MSR_X2APIC_LAST             0x8FF
#define MSR_X2APIC_ICR              0x830
#define MSR_IA32_EFER               0xC0000080
#define MSR_IA32_STAR               0xC0000081
#define MSR_IA32_LSTAR              0xC0000082
#define MSR_IA32_CSTAR              0xC0000083
#define MSR_IA32_FMASK              0xC0000084
#define MSR_IA32_FS_BASE            0xC0000100
#define MSR_IA32_GS_BASE            0xC0000101
#define MSR_IA32_KERNEL_GS_BASE     0xC0000102
#define MSR_IA32_TSC_AUX            0xC0000103

/* ---- MSRs: AMD (APM Vol. 2 Appendix A; §15.30) -------------------------- */
#define MSR_AMD_SYSCFG   0xC0010010
#define MSR_AMD_HWCR     0xC0010015
#define MSR_AMD_TOP_MEM  0xC001001A
#define MSR_AMD_TOP_MEM2 0xC001001D
#define MSR_VM_CR        0xC0010114
#define MSR_VM_HSAVE_PA  0xC0010117

/* IA32_APIC_BASE (SDM Vol. 3A §11.4.4, Figure 11-5; §11.12.1). */
#define APIC_BASE_BSP       (1ull << 8)
#define APIC_BASE_X2APIC    (1ull << 10) /* EXTD: x2APIC mode */
#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_ADDR_MASK 0x000FFFFFFFFFF000ull
#define APIC_BASE_DEFAULT   0xFEE00000ull

/* IA32_FEATURE_CONTROL (SDM Vol. 3C §24.7). */
#define FEATURE_CONTROL_LOCK            (1ull << 0)
#define FEATURE_CONTROL_VMX_IN_SMX      (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

/* VM_CR (APM Vol. 2 §15.30.1). */
#define VM_CR_DPD    (1ull << 0)
#define VM_CR_R_INIT (1ull << 1)
#define VM_CR_DIS_A20M (1ull << 2)
#define VM_CR_LOCK   (1ull << 3)
#define VM_CR_SVMDIS (1ull << 4)

/* HWCR (APM Vol. 2 Appendix A.7): INVD behaves as WBINVD when set. */
#define HWCR_INVD_WBINVD (1ull << 4)

/* SYSCFG (APM Vol. 2 §7.9.1, Figure 7-16). */
#define SYSCFG_MTRR_FIX_DRAM_EN     (1ull << 18)
#define SYSCFG_MTRR_FIX_DRAM_MOD_EN (1ull << 19)
#define SYSCFG_MTRR_VAR_DRAM_EN     (1ull << 20)
#define SYSCFG_MTRR_TOM2_EN         (1ull << 21)
#define SYSCFG_TOM2_FORCE_WB        (1ull << 22)
#define SYSCFG_MEM_ENCRYPTION_EN    (1ull << 23) /* SME: §7.10.1 */
#define SYSCFG_SNP_EN               (1ull << 24) /* SEV-SNP: §15.36.2 */
#define SYSCFG_VMPL_EN              (1ull << 25)

/* ---- Local APIC (SDM Vol. 3A §11.4.1, Table 11-1; §11.6.1) -------------- */
#define APIC_REG_ID       0x20
#define APIC_REG_VERSION  0x30
#define APIC_REG_TPR      0x80
#define APIC_REG_EOI      0xB0
#define APIC_REG_LDR      0xD0
#define APIC_REG_DFR      0xE0
/* LDR and DFR (SDM Vol. 3A §11.6.2.2, Figures 11-13, 11-14): the logical ID in
 * LDR[31:24]; the model in DFR[31:28], flat 1111b or cluster 0000b; bits 27:0
 * of DFR read as ones. INIT leaves LDR 0 and DFR all ones (§11.4.7.3). */
#define APIC_LDR_ID(ldr)     ((ldr) >> 24)
#define APIC_DFR_MODEL(dfr)  ((dfr) >> 28)
#define APIC_DFR_FLAT        0xFu
#define APIC_DFR_RESERVED    0x0FFFFFFFu
#define APIC_DFR_RESET       0xFFFFFFFFu
#define APIC_REG_SVR      0xF0
#define APIC_REG_ISR0     0x100 /* ISR and IRR: 8 registers, 16 bytes apart */
#define APIC_REG_IRR0     0x200
#define APIC_REG_ESR      0x280
#define APIC_REG_ICR_LOW  0x300
#define APIC_REG_ICR_HIGH 0x310
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_LVT_THERMAL 0x330
#define APIC_REG_LVT_PERF 0x340
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_TIMER_INIT 0x380
#define APIC_REG_TIMER_DIV 0x3E0
#define APIC_LVT_MASKED     (1u << 16)
#define APIC_SVR_ENABLE     (1u << 8) /* §11.9, Figure 11-23 */
#define APIC_SVR_AFTER_INIT 0xFF      /* software-disabled, spurious vector 0xFF */

/* Interrupt Command Register fields (SDM Vol. 3A §11.6.1, Figure 11-12). */
#define ICR_VECTOR(icr)       ((uint8_t)(icr))
#define ICR_DELIVERY(icr)     (((icr) >> 8) & 7)
#define ICR_DELIVERY_FIXED    0
#define ICR_DELIVERY_LOWEST   1
#define ICR_DELIVERY_SMI      2
#define ICR_DELIVERY_NMI      4
#define ICR_DELIVERY_INIT     5
#define ICR_DELIVERY_STARTUP  6
#define ICR_DEST_LOGICAL      (1ull << 11)
#define ICR_DELIVERY_STATUS   (1ull << 12)
#define ICR_LEVEL_ASSERT      (1ull << 14)
#define ICR_TRIGGER_LEVEL     (1ull << 15)
#define ICR_SHORTHAND(icr)    (((icr) >> 18) & 3)
#define ICR_SHORTHAND_MASK    (3ull << 18)
#define ICR_SHORTHAND_NONE    0
#define ICR_SHORTHAND_SELF    1
#define ICR_SHORTHAND_ALL     2
#define ICR_SHORTHAND_ALL_BUT_SELF 3

/* ---- CPUID feature bits (SDM Vol. 2A, CPUID; APM Vol. 3 Appendix E) ----- */
#define CPUID_1_ECX_VMX        (1u << 5)
#define CPUID_1_ECX_X2APIC     (1u << 21)
#define CPUID_1_ECX_XSAVE      (1u << 26)
#define CPUID_1_ECX_OSXSAVE    (1u << 27)
#define CPUID_1_ECX_AVX        (1u << 28)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_EDX_APIC       (1u << 9)
#define CPUID_7_EBX_INTEL_PT   (1u << 25) /* leaf 0x14 enumerates it */
#define CPUID_7_ECX_OSPKE      (1u << 4)
#define CPUID_LEAF_INTEL_PT    0x14
#define CPUID_80000001_ECX_SVM (1u << 2)
#define CPUID_80000001_ECX_TCE (1u << 17)
#define CPUID_80000001_EDX_SYSCALL (1u << 11)
#define CPUID_80000001_EDX_FFXSR (1u << 25)
#define CPUID_80000001_EDX_NX  (1u << 20)
#define CPUID_80000001_EDX_PDPE1GB (1u << 26)
#define CPUID_80000001_EDX_LM  (1u << 29)

#endif
