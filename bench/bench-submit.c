/* bench-submit.c — how long a participant waits between pressing Submit and having the next
 * grid, on a study file of 1000 images (the goal: under 50 ms at the 99th percentile over 200
 * submits, so that the wait is not felt). Not a test. Two modes:
 *
 *   build/bench/bench-submit [--submits 200] [--images 1000] [--per-phase 100]
 *
 * The session alone, no display: lk_session_submit(), from the call until the session's next
 * sort model is ready (the answer is saved in its transaction first; at a phase boundary the
 * refinement worker starts, and the next grid is drawn on the spot). Between submits the main
 * loop runs until the worker is idle, as it would while the participant sorts, so the worker's
 * results are swapped in and the following grids come from the study file.
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' env GSK_RENDERER=cairo GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory \
 *     _build/bench/bench-submit --frames [--think 150] [--each] [--submits 200] [--images 1000] \
 *     [--per-phase 100]
 *
 * Frame-accurate: the real session view (its sort page, with the app's style.css) in a
 * 1100x760 window, driven only through public API, so it measures whatever the session does
 * (saving on this thread, or phase updates on a worker, or anything else). For every grid the
 * images are put into bins through the sort model, and one frame is painted with them there;
 * then the main loop runs on for --think ms (default 150: a participant does not press Enter
 * within a frame of the last drop, and without the pause every figure would also include GDK's
 * wait for the next frame slot, up to 16.7 ms after the frame just painted).
 *
 * Then t0 is taken and the page's "sort.submit" action is activated (what Enter or the Submit
 * button does). The main loop runs on until the frame clock's "after-paint" of the first frame
 * that shows the next grid: a frame whose "before-paint" already found a new model on the sort
 * page, and after which every image of it is mapped, has a size and has its texture. t1 is
 * taken in that after-paint handler, and t1 - t0 is the figure: the session's work, the page's
 * swap to the new grid, the wait for the frame clock, layout, and drawing into the X window (not
 * the X server's own presentation, which GTK does not report on X11 without a compositor).
 * Also printed: from t0 until the activation returned (the synchronous part), within it the
 * session view's swap to the next grid (from the session's first property notification to the
 * end of its last one), from the return until t1 (frame clock, layout, drawing), and the main
 * thread's CPU time from t0 to t1 (a figure that other processes on a shared machine hardly
 * change; the wall-clock ones they do). Break pages are switched off (break_every = 0); the practice grid is
 * answered first and not measured. --each prints every submit's figures on a line of its own,
 * with what was special about it: "phase-end" (its answer completed a phase's batch), "spot"
 * (the next grid was drawn on the spot, while the worker folds the phase in), "run-back" (the
 * worker's result came back, and was stored, between Submit and the frame).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <adwaita.h>

#include "lk-collection.h"
#include "lk-core.h"
#include "lk-session.h"
#include "lk-session-view-private.h"
#include "lk-store.h"
#include "lk-study-run.h"
#include "lk-study.h"
#include "tests/ui/lk-study-test.h"
#include "bench-clock.h"
#include "lk-sort-page-private.h"

/* The main thread's CPU time, in ms: unlike the wall clock, hardly affected by other processes
 * on a shared machine. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);

  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
percentile (const double *sorted,
            guint         n,
            guint         pct)
{
  return sorted[MIN (n - 1, (n * pct) / 100)];
}

/* Sorts @values and prints "LABEL: median, p95, p99, max". */
static void
print_stats (const char *label,
             double     *values,
             guint       n)
{
  qsort (values, n, sizeof (double), bench_compare_double);
  printf ("%s: median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", label,
          percentile (values, n, 50), percentile (values, n, 95), percentile (values, n, 99),
          values[n - 1]);
}

/* Puts the images of the grid shown into bins, as a participant would (Submit is then on). */
static void
sort_grid (LkSortModel *model)
{
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % lk_sort_model_get_nc (model)));
}

/* Past consent, instructions and the practice grids, to the first recorded grid. */
static void
skip_practice (LkSession *session)
{
  lk_session_accept_consent (session);
  lk_session_begin (session);
  while (lk_session_is_practice (session) || lk_session_get_state (session) != LK_SESSION_SORTING)
    {
      LkSortModel *model = lk_session_get_model (session);

      if (model != NULL && lk_session_get_state (session) == LK_SESSION_SORTING)
        {
          sort_grid (model);
          lk_session_submit (session, NULL);
        }
      else
        lk_session_begin (session);
    }
}

/* Did the answer number @answered (0-based) complete a phase's batch? */
static gboolean
ends_phase (const LkParams *params,
            guint           answered)
{
  guint end = 0;

  for (guint ph = 0; ph < params->phases; ph++)
    {
      end += lk_params_batch_size (params, ph);
      if (answered + 1 == end)
        return TRUE;
    }

  return FALSE;
}

/* The session alone: lk_session_submit() until the next model is there. */
static guint
run_session (LkSession      *session,
             const LkParams *params,
             guint           submits,
             double         *ms,
             guint          *boundaries)
{
  guint done = 0;

  while (done < submits && lk_session_get_state (session) == LK_SESSION_SORTING)
    {
      g_autoptr(GError) error = NULL;
      guint answered = lk_session_get_n_answered (session);
      gint64 t0;

      sort_grid (lk_session_get_model (session));
      t0 = g_get_monotonic_time ();
      if (!lk_session_submit (session, &error))
        g_error ("submit failed: %s", error->message);
      g_assert_nonnull (lk_session_get_model (session));
      ms[done++] = (g_get_monotonic_time () - t0) / 1000.0;
      if (ends_phase (params, answered))
        (*boundaries)++;
      while (lk_refine_worker_get_busy (lk_session_get_refine_worker (session)))
        g_main_context_iteration (NULL, TRUE);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }

  return done;
}

typedef struct {
  LkSortPage  *page;
  LkSortModel *old_model;     /* a reference, so that no new model can reuse its address */
  gint64       t0;
  gint64       t1;
  double       cpu1;          /* thread_cpu_ms() at t1 */
  guint        n_painted;     /* frames painted since the counter was reset */
  gboolean     waiting;       /* between the activation and the frame showing the next grid */
  gboolean     new_at_start;  /* this frame's before-paint found the next grid on the page */
  gint64       t_first;       /* the session's first notification after t0 (before the view's) */
  gint64       t_last;        /* its last one, after the view had handled it */
} Frames;

/* Connected before the session view's own handler, and again after it: between the two, the
 * view swaps the page to the new grid. */
static void
first_notify_cb (LkSession  *session,
                 GParamSpec *pspec,
                 Frames     *f)
{
  if (f->waiting && f->t_first == 0)
    f->t_first = g_get_monotonic_time ();
}

static void
last_notify_cb (LkSession  *session,
                GParamSpec *pspec,
                Frames     *f)
{
  if (f->waiting)
    f->t_last = g_get_monotonic_time ();
}

static gboolean
shows_next_grid (Frames *f)
{
  LkSortModel *model = lk_sort_page_get_model (f->page);

  return model != NULL && model != f->old_model;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Frames        *f)
{
  f->new_at_start = f->waiting && shows_next_grid (f);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *f)
{
  gint64 now = g_get_monotonic_time ();
  LkSortModel *model;

  f->n_painted++;
  if (!f->waiting || !f->new_at_start || !shows_next_grid (f))
    return;

  /* Every image of the next grid laid out with its texture: the frame shows the grid. */
  model = lk_sort_page_get_model (f->page);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    {
      LkImageTile *tile = lk_sort_page_get_tile (f->page, p);

      if (tile == NULL || lk_image_tile_get_texture (tile) == NULL
          || !gtk_widget_get_mapped (GTK_WIDGET (tile)) || gtk_widget_get_width (GTK_WIDGET (tile)) <= 0)
        return;
    }
  f->t1 = now;
  f->cpu1 = thread_cpu_ms ();
  f->waiting = FALSE;
}

static gboolean
keep_awake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
clear_flag_cb (gpointer data)
{
  *(gboolean *) data = FALSE;

  return G_SOURCE_REMOVE;
}

/* Spins the main loop until *@flag is %FALSE (or @until_painted frames are painted), 60 s at most. */
static void
spin (Frames   *f,
      gboolean *flag,
      guint     until_painted)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (flag != NULL ? *flag : f->n_painted < until_painted)
    {
      if (g_get_monotonic_time () > end)
        g_error ("no frame with the next grid within 60 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The real session view in a window: Submit's activation until the frame showing the next grid. */
static guint
run_frames (LkSession      *session,
            const LkParams *params,
            guint           submits,
            double         *ms,
            double         *sync_ms,
            double         *view_ms,
            double         *paint_ms,
            double         *cpu_ms,
            guint           think_ms,
            gboolean        each,
            guint          *boundaries)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  LkSessionView *view = LK_SESSION_VIEW (lk_session_view_new ());
  GdkFrameClock *clock;
  Frames f = { 0 };
  guint awake, done = 0;

  /* A window without the application does not get style.css by itself: loaded here. */
  gtk_css_provider_load_from_resource (css, "/io/github/likeness/Likeness/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect (session, "notify", G_CALLBACK (first_notify_cb), &f);
  lk_session_view_set_session (view, session);
  g_signal_connect (session, "notify", G_CALLBACK (last_notify_cb), &f);
  f.page = lk_session_view_get_sort_page (view);
  gtk_window_set_default_size (window, 1100, 760);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  awake = g_timeout_add (20, keep_awake_cb, NULL);
  while (!gtk_widget_get_mapped (GTK_WIDGET (f.page)) || gtk_widget_get_width (GTK_WIDGET (f.page)) == 0)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &f);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &f);

  while (done < submits && lk_session_get_state (session) == LK_SESSION_SORTING)
    {
      guint answered = lk_session_get_n_answered (session);
      LkSortModel *model = lk_sort_page_get_model (f.page);
      LkRefineWorker *worker = lk_session_get_refine_worker (session);
      LkSnapshot *snapshot;
      gint64 returned;
      double cpu0;

      g_assert_true (model == lk_session_get_model (session));
      sort_grid (model);
      /* The participant has seen the grid sorted: one frame painted with the images in bins. */
      f.n_painted = 0;
      gtk_widget_queue_draw (GTK_WIDGET (window));
      spin (&f, NULL, 1);
      /* The participant's pause between seeing the last move and pressing Enter; the main loop
       * runs meanwhile (whatever the session does in the background goes on). */
      if (think_ms > 0)
        {
          gboolean thinking = TRUE;

          g_timeout_add (think_ms, clear_flag_cb, &thinking);
          spin (&f, &thinking, 0);
        }

      g_set_object (&f.old_model, model);
      f.waiting = TRUE;
      f.new_at_start = FALSE;
      f.t_first = f.t_last = 0;
      snapshot = lk_refine_worker_get_snapshot (worker);
      cpu0 = thread_cpu_ms ();
      f.t0 = g_get_monotonic_time ();
      if (!gtk_widget_activate_action (GTK_WIDGET (f.page), "sort.submit", NULL))
        g_error ("sort.submit is not enabled");
      returned = g_get_monotonic_time ();
      if (lk_session_get_state (session) == LK_SESSION_SAVE_FAILED)
        g_error ("saving failed: %s", lk_session_view_get_error_text (view));
      if (lk_session_get_state (session) != LK_SESSION_SORTING)
        break;     /* the budget is spent: the thank-you page, no next grid */
      spin (&f, &f.waiting, 0);

      sync_ms[done] = (returned - f.t0) / 1000.0;
      view_ms[done] = f.t_first != 0 ? (f.t_last - f.t_first) / 1000.0 : 0.0;
      paint_ms[done] = (f.t1 - returned) / 1000.0;
      cpu_ms[done] = f.cpu1 - cpu0;
      ms[done] = (f.t1 - f.t0) / 1000.0;
      if (each)
        printf ("submit %u: %.2f ms (activation %.2f, view %.2f, then painted %.2f; CPU %.2f)%s%s%s\n",
                done + 1, ms[done], sync_ms[done], view_ms[done], paint_ms[done], cpu_ms[done],
                ends_phase (params, answered) ? " phase-end" : "",
                lk_session_get_drawn (session) ? " spot" : "",
                lk_refine_worker_get_snapshot (worker) != snapshot ? " run-back" : "");
      done++;
      if (ends_phase (params, answered))
        (*boundaries)++;
    }

  g_signal_handlers_disconnect_by_data (clock, &f);
  g_signal_handlers_disconnect_by_data (session, &f);
  g_source_remove (awake);
  g_clear_object (&f.old_model);
  gtk_window_destroy (window);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  return done;
}

int
main (int    argc,
      char **argv)
{
  guint submits = 200, n_images = 1000, per_phase = 100, think_ms = 150, boundaries = 0, done = 0;
  gboolean frames = FALSE, each = FALSE;
  g_autofree char *dir = NULL;
  g_autofree char *images = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *ms = NULL;
  g_autofree double *sync_ms = NULL;
  g_autofree double *view_ms = NULL;
  g_autofree double *paint_ms = NULL;
  g_autofree double *cpu_ms = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) saver = NULL;
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
      else if (g_str_equal (argv[i], "--think") && i + 1 < argc)
        think_ms = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--frames"))
        frames = TRUE;
      else if (g_str_equal (argv[i], "--each"))
        each = TRUE;
      else
        {
          fprintf (stderr, "usage: %s [--frames [--think MS] [--each]] [--submits N] [--images N] "
                   "[--per-phase N]\n",
                   argv[0]);
          return 2;
        }
    }
  if (submits == 0 || per_phase == 0)
    {
      fprintf (stderr, "--submits and --per-phase must be at least 1\n");
      return 2;
    }
  if (frames && !gtk_init_check ())
    {
      fprintf (stderr, "--frames needs a display (run it under xvfb-run)\n");
      return 2;
    }
  if (frames)
    adw_init ();
  ms = g_new0 (double, submits);
  sync_ms = g_new0 (double, submits);
  view_ms = g_new0 (double, submits);
  paint_ms = g_new0 (double, submits);
  cpu_ms = g_new0 (double, submits);

  /* The paper's grids (20 images, 4 bins) on n_images images; enough budget for every submit. */
  dir = study_test_tmpdir ();
  images = g_build_filename (dir, "images", NULL);
  path = g_build_filename (dir, "bench.likeness", NULL);
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
  saver = lk_study_run_new (study, "bench", &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "BENCH", FALSE,
                            LK_GRID_SOURCE (saver), &error);
  g_assert_no_error (error);
  skip_practice (session);

  if (frames)
    done = run_frames (session, &params, submits, ms, sync_ms, view_ms, paint_ms, cpu_ms, think_ms,
                       each, &boundaries);
  else
    done = run_session (session, &params, submits, ms, &boundaries);
  if (done == 0)
    g_error ("no submit was measured");

  printf ("# %u submits on a study file of %u images, grids of %u in %u bins, %u phases of ~%u\n",
          done, n_images, params.nq, params.nc, params.phases, params.budget / params.phases);
  if (frames)
    {
      double worst = 0;
      guint worst_at = 0;

      for (guint i = 0; i < done; i++)
        if (ms[i] > worst)
          {
            worst = ms[i];
            worst_at = i;
          }
      printf ("# renderer: GSK_RENDERER=%s; %u ms between the sorted grid's frame and Submit; "
              "%u of the submits completed a phase\n",
              g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "(default)",
              think_ms, boundaries);
      printf ("# the slowest: submit %u of %u, %.2f ms (its activation returned after %.2f ms)\n",
              worst_at + 1, done, worst, sync_ms[worst_at]);
      print_stats ("the view swapping in the next grid (part of it)", view_ms, done);
      print_stats ("activation returned", sync_ms, done);
      print_stats ("then until the frame was painted", paint_ms, done);
      print_stats ("main thread's CPU time from submit to that after-paint", cpu_ms, done);
      print_stats ("submit -> after-paint of the next grid's frame", ms, done);
    }
  else
    {
      qsort (ms, done, sizeof (double), bench_compare_double);
      printf ("submit -> next grid: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
              "(%u of the submits completed a phase)\n",
              percentile (ms, done, 50), percentile (ms, done, 90), percentile (ms, done, 99),
              ms[done - 1], boundaries);
    }

  g_clear_object (&session);
  g_clear_object (&saver);
  g_clear_object (&study);
  lk_test_rmdir (dir);

  return 0;
}
