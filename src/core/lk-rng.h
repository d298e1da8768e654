/* lk-rng.h — seeded random sources
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

gsl_rng *lk_rng_new    (guint64 seed) G_GNUC_WARN_UNUSED_RESULT;
guint64  lk_rng_derive (guint64 seed,
                        guint64 stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

G_END_DECLS
