/* lk-session-test.h — a session on the colours demo with answers in memory, for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-core.h"
#include "lk-demo-collection.h"
#include "lk-memory-run-private.h"
#include "lk-method.h"
#include "lk-session.h"

/* Small settings: grids of 8 in 3 bins, 7 grids in 2 phases, a break every 3, 2 practice
 * grids, a consent text. Tests change what they need before session_test_new(). */
static inline void
session_test_setup (LkSessionSetup *setup)
{
  *setup = (LkSessionSetup) { 0 };
  lk_params_init (&setup->params);
  setup->params.nq = 8;
  setup->params.nc = 3;
  setup->params.budget = 7;
  setup->params.phases = 2;
  setup->params.iterations = 20;
  setup->params.seed = 2385;
  setup->rule = LK_SORT_RULE_ANY_PLACED;
  setup->break_every = 3;
  setup->n_practice = 2;
  setup->consent = "Agree?";
  setup->instructions = "Sort them.";
  setup->grids_per_participant = 0;
}

/* Returns a session on a new colours demo (*@source) answering a new in-memory study *@run. */
static inline LkSession *
session_test_new (const LkSessionSetup  *setup,
                  const char            *participant,
                  gboolean               pilot,
                  LkDemoCollection     **source,
                  LkMemoryRun          **run)
{
  g_autoptr(GError) error = NULL;
  LkSession *session;

  *source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  *run = lk_memory_run_new (lk_image_source_get_n_items (LK_IMAGE_SOURCE (*source)),
                            &setup->params, lk_method_paper, NULL, &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (*source), setup, participant, pilot,
                            LK_GRID_SOURCE (*run), &error);
  g_assert_no_error (error);

  return session;
}

/* Checks that nothing else holds on to the session, its run or its source, and frees them. */
static inline void
session_test_free (LkSession        *session,
                   LkMemoryRun      *run,
                   LkDemoCollection *source)
{
  g_assert_finalize_object (session);
  g_assert_finalize_object (run);
  g_assert_finalize_object (source);
}
