/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing a vCPU that runs without exits to the host, for the debug console's
 * stop of every vCPU: an NMI IPI to its CPU (the NMI intercept on SVM, NMI
 * exiting on VMX, and the host's NMI handler when it is in the host already),
 * marked in v->stop_kick before it is sent, so that the NMI it causes is
 * consumed as the kick and never reaches the guest.
 *
 * NMIs are not counted by the CPU: one that arrives while another is pending
 * merges with it (SDM Vol. 3A §6.7.1; AMD APM Vol. 2 §8.2.3). Each NMI that
 * reaches the host for a vCPU is taken, in this order, as the INIT another CPU
 * sent (init_pending, hv/exit/reset.h), as the kick (stop_kick), or else as the
 * guest's own. A guest NMI that merges with the kick in the instant it is
 * sent is taken as the kick: the console kicks only vCPUs that have not
 * exited for a while after it was entered, which keeps that instant rare. */
#ifndef HV_EXIT_STOP_KICK_H
#define HV_EXIT_STOP_KICK_H

#include <stdbool.h>
#include "hv/vcpu.h"

/* Marks v and sends the NMI to its CPU (from another CPU, in the host). */
void hv_stop_kick(struct vcpu *v);
/* An NMI reached the host for v: true when it was the kick (then consumed).
 * Safe in NMI context. */
bool hv_stop_kick_take(struct vcpu *v);
/* An NMI exit (not NMI context): true when the NMI was the hypervisor's, the
 * INIT (taken: hv_nmi_is_init) or the kick; false when it is the guest's. */
bool hv_nmi_for_host(struct vcpu *v);

#endif
