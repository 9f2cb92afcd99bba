/* SPDX-License-Identifier: GPL-2.0-only */
/* The task-switch test's world (taskswitch.c builds it, taskswitch_entry.S runs
 * in it): one block below 4 GiB holding a 32-bit GDT, IDT, four 32-bit TSSs,
 * their stacks, the results and a copy of the code, all reached from the
 * 32-bit code by offset from its base (ESI), so the code runs wherever the
 * block is. Offsets are shared by the C and the assembly. */
#ifndef TASKSWITCH_H
#define TASKSWITCH_H

#define TS_W_SIZE 0x6000 /* 6 pages */
#define TS_W_GDT 0x000	 /* 8 descriptors */
#define TS_W_IDT 0x100	 /* 256 gates of 8 bytes */
#define TS_W_TSS_MAIN 0x900
#define TS_W_TSS_B 0x980
#define TS_W_TSS_INT 0xA00
#define TS_W_TSS_GP 0xA80
#define TS_W_TSS16 0xB80      /* a 16-bit TSS */
#define TS_W_GDTR32 0xB00     /* limit, then base (10 bytes: 64-bit LGDT) */
#define TS_W_IDTR32 0xB10
#define TS_W_SAVED_GDTR 0xB20 /* the firmware's, restored on the way back */
#define TS_W_SAVED_IDTR 0xB30
#define TS_W_SAVED_RSP 0xB40
#define TS_W_SAVED_CR3 0xB48
#define TS_W_SAVED_SEGS 0xB50 /* CS, SS, DS, ES, FS, GS: 2 bytes each */
#define TS_W_SAVED_TR 0xB5C   /* the firmware's TR selector */
#define TS_W_PHASE 0xB60      /* which check runs: results block index */
#define TS_W_GP_INSN 0xB64    /* address of the instruction that faults */
#define TS_W_RESULTS 0xC00    /* 0x40 bytes per phase */
#define TS_W_STACK_16 0x1000  /* below it: the 16-bit task's stack (SS based at the world) */
#define TS_W_STACK_B 0x1800   /* stack tops */
#define TS_W_STACK_INT 0x2000
#define TS_W_STACK_GP 0x2800
#define TS_W_STACK_MAIN 0x3000
#define TS_W_CODE 0x3000      /* the code's copy: up to the end */

/* GDT selectors */
#define TS_SEL_CODE32 0x08
#define TS_SEL_DATA 0x10
#define TS_SEL_CODE64 0x18
#define TS_SEL_TSS_MAIN 0x20
#define TS_SEL_TSS_B 0x28
#define TS_SEL_TSS_INT 0x30
#define TS_SEL_TSS_GP 0x38
#define TS_SEL_TSS16 0x40
#define TS_SEL_CODE_AT 0x48   /* 32-bit code based at the code's copy */
#define TS_SEL_DATA16 0x50    /* 64 KiB of data based at the world, B clear */
#define TS_GDT_ENTRIES 11
#define TS_PHASE_TSS16 4      /* its results block */

#define TS_INT_VECTOR 0x40
#define TS_BAD_SELECTOR 0x1230 /* past the GDT: MOV to DS raises #GP(0x1230) */

/* A phase's results (byte offsets in its 0x40-byte block): what the task that
 * ran saw, then what the main task saw after it came back. */
#define TS_R_COUNT 0x00	     /* entries into the task */
#define TS_R_EFLAGS 0x04     /* the task's EFLAGS on entry */
#define TS_R_MAIN_DESC 0x08  /* main TSS descriptor, high dword, during the task */
#define TS_R_OWN_DESC 0x0C   /* the task's own TSS descriptor, high dword */
#define TS_R_LINK 0x10	     /* the task's TSS link field */
#define TS_R_CR0 0x14
#define TS_R_ERROR 0x18	     /* #GP task: the error code on its stack; 16-bit task: EAX */
#define TS_R_MAIN_EIP 0x1C   /* #GP task: the EIP saved in the main TSS */
#define TS_R_ESP 0x20	     /* #GP task: ESP before popping the error code */
#define TS_R_AFTER_MAIN 0x24 /* main TSS descriptor high dword, back in main */
#define TS_R_AFTER_OWN 0x28  /* the task's descriptor, back in main */
#define TS_R_AFTER_EFLAGS 0x2C
#define TS_R_REGS_BAD 0x30   /* main's EBX, EDI, EBP not as they were */
#define TS_R_DONE 0x34	     /* main went on after the switch back */
#define TS_R_OWN_SEL 0x38    /* the task's own TR selector */

#define TS_MAGIC_EBX 0x1B1B1B1B
#define TS_MAGIC_EDI 0x2D2D2D2D
#define TS_MAGIC_EBP 0x3E3E3E3E

#endif
