/* bench-submit.c — how long a participant waits between pressing Submit and having the next
 * grid: lk_session_submit() on a study file of 1000 images, from the call until the session's
 * next sort model is ready (the answer is saved in its transaction first, and at a phase
 * boundary the phase is folded in and the next batch drawn). The widget's swap to the new
 * model adds one frame on top; this measures the session, without a display. Not a test.
 *
 *   build/bench/bench-submit [--submits 200] [--images 1000] [--per-phase 100]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "lk-collection.h"
#include "lk-core.h"
#include "lk-session.h"
#include "lk-store.h"
#include "lk-store-saver.h"
#include "lk-study.h"
#include "tests/ui/lk-study-test.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  guint submits = 200, n_images = 1000, per_phase = 100, boundaries = 0, done = 0;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.likeness", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree double *ms = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStoreSaver) saver = NULL;
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;
  LkParams params;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--submits") && i + 1 < argc)
        submits = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--images") && i + 1 < argc)
        n_images = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--per-phase") && i + 1 < argc)
        per_phase = (guint) atoi (argv[++i]);
    }
  ms = g_new (double, submits);

  /* The paper's grids (20 images, 4 bins) on n_images images; enough budget for every submit. */
  g_mkdir_with_parents (images, 0700);
  study_test_make_images (images, n_images);
  lk_params_init (&params);
  params.budget = submits + 1;
  params.phases = MAX (1, (submits + per_phase - 1) / per_phase);
  {
    g_autoptr(LkStore) store = lk_store_create (path, &params, lk_method_paper, &error);
    g_autoptr(LkImportReport) report = NULL;

    g_assert_no_error (error);
    report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  saver = lk_store_saver_new (study, "bench", &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "BENCH", FALSE,
                            LK_ANSWER_SAVER (saver), &error);
  g_assert_no_error (error);
  lk_session_accept_consent (session);
  lk_session_begin (session);
  while (lk_session_is_practice (session) || lk_session_get_state (session) != LK_SESSION_SORTING)
    {
      LkSortModel *model = lk_session_get_model (session);

      if (model != NULL && lk_session_get_state (session) == LK_SESSION_SORTING)
        {
          for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
            lk_sort_model_move (model, p, (gint) (p % 4));
          lk_session_submit (session, NULL);
        }
      else
        lk_session_begin (session);
    }

  while (done < submits && lk_session_get_state (session) == LK_SESSION_SORTING)
    {
      LkSortModel *model = lk_session_get_model (session);
      guint answered = lk_session_get_n_answered (session);
      gint64 t0;

      for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
        lk_sort_model_move (model, p, (gint) (p % 4));
      t0 = g_get_monotonic_time ();
      if (!lk_session_submit (session, &error))
        g_error ("submit failed: %s", error->message);
      g_assert_nonnull (lk_session_get_model (session));
      ms[done++] = (g_get_monotonic_time () - t0) / 1000.0;
      /* Did this answer complete a phase's batch? */
      {
        guint end = 0;

        for (guint ph = 0; ph < params.phases; ph++)
          {
            end += lk_params_batch_size (&params, ph);
            if (answered + 1 == end)
              boundaries++;
          }
      }
    }

  qsort (ms, done, sizeof (double), compare_doubles);
  printf ("# %u submits on a study file of %u images, grids of %u in %u bins, %u phases of ~%u\n",
          done, n_images, params.nq, params.nc, params.phases, params.budget / params.phases);
  printf ("submit -> next grid: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
          "(%u of the submits completed a phase, folded in on this thread)\n",
          ms[done / 2], ms[done * 90 / 100], ms[(done * 99) / 100], ms[done - 1], boundaries);

  g_clear_object (&session);
  g_clear_object (&saver);
  g_clear_object (&study);
  study_test_rmdir (dir);

  return 0;
}
