/* lk-background.c — background threads yield to the UI thread
 *
 * On these 2-core machines a phase run, two thumbnail decoders, the UI thread and the display
 * server all want a core at once; a frame that loses its core for 10 ms is a visible stall,
 * while a run or a decode that waits 10 ms is not seen. Linux lets a thread change its own nice
 * value (a thread is a task with its own tid there). GLib's shared pool threads keep the value
 * for later work, which is fine: only background work runs on them. Elsewhere this does
 * nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-background.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void
lk_background_lower_priority (void)
{
#ifdef __linux__
  pid_t tid = (pid_t) syscall (SYS_gettid);

  if (getpriority (PRIO_PROCESS, tid) < LK_BACKGROUND_NICE)
    setpriority (PRIO_PROCESS, tid, LK_BACKGROUND_NICE);
#endif
}
