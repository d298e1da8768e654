/* lk-lab-listen-private.h — what the listener's tests reach
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lab-listen.h"

G_BEGIN_DECLS

/* The wait before the first reconnection attempt and the longest wait (doubling between). */
void   lk_lab_listen_set_backoff      (LkLabListen *self,
                                       double       first_seconds,
                                       double       max_seconds);
/* Events delivered by the first read after a reconnection (sent while the listener was away). */
guint  lk_lab_listen_get_backfilled   (LkLabListen *self);

G_END_DECLS
