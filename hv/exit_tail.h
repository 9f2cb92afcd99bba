/* The common end of every exit (hv/exit_tail.c), called last by each backend's
 * exit handler:
 *   1. an INIT that arrived as a host NMI is taken (hv/reset.h);
 *   2. hv_before_entry: deferred IOM writes, trace records, the debug console;
 *   3. a stopped vCPU waits here until it is continued;
 *   4. the backend stores RIP, RSP, RFLAGS (store_regs), ending the interrupt
 *      shadow when the instruction completed;
 *   5. events: hv_deliver_events (hv/event.c);
 *   6. the guest TLB is flushed when the nested page tables changed. */
#ifndef HV_EXIT_TAIL_H
#define HV_EXIT_TAIL_H

#include "hv/vcpu.h"

void hv_exit_finish(struct vcpu *v);
/* hv/event.c: step 5, when anything is pending or an NMI window is open. */
void hv_deliver_events(struct vcpu *v);

#endif
