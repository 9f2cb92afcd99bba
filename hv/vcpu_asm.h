/* Offsets into struct vcpu for the run loops (svm/run.S, vmx/run.S); hv/vcpu.c
 * checks them against the C layout at compile time. */
#ifndef HV_VCPU_ASM_H
#define HV_VCPU_ASM_H

#define VCPU_CTL_PA 0
#define VCPU_HOST_STATE_PA 8
#define VCPU_GPR(n) (16 + 8 * (n)) /* regs.gpr[n] */

#endif
