/* test-judging.c — the judging window driven through its own key controller and actions: errors
 * shown, a round marked with the number keys to the end, Table 1's scores on the hand-worked
 * case, the marks in the study file, export, and resuming an unfinished round in a new window;
 * and the neighbour spaces both this window and the browser load
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gstdio.h>

#include "tests/lk-test-utils.h"
#include "tests/lk-judging-test.h"
#include "lk-browser-window-private.h"
#include "lk-knn-strip-private.h"
#include "lk-judging-window-private.h"
#include "lk-ui-test.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params;
  LkStore *store;

  lk_params_init (&params);
  params.nq = 4;
  params.nc = 2;
  params.budget = 4;
  params.phases = 1;
  f->dir = lk_test_tmpdir ("lk-judging-XXXXXX");
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  store = lk_store_create (f->path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  lk_judging_test_fill (store);
  lk_store_close (store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
judging_idle (gpointer window)
{
  return !lk_judging_window_is_busy (window);
}

static void
wait_idle (LkJudgingWindow *window)
{
  lk_ui_test_wait_for (judging_idle, window);
}

static LkJudgingWindow *
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *window = lk_judging_window_new (NULL, f->path, &error);

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  return window;
}

static void
close_window (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* Presses @keyval through the window's marking controller, as a key press would. */
static gboolean
press (LkJudgingWindow *window,
       guint            keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (lk_judging_window_get_key_controller (window), "key-pressed", keyval, 0,
                         (GdkModifierType) 0, &handled);
  lk_ui_test_flush ();

  return handled;
}

/* Returns the display position of the neighbour with the focus, or -1. */
static gint
focused (LkJudgingWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  for (guint p = 0; lk_judging_window_get_neighbour (window, p) != NULL; p++)
    {
      GtkWidget *child = lk_judging_window_get_neighbour (window, p);

      if (focus == child || (focus != NULL && gtk_widget_is_ancestor (focus, child)))
        return p;
    }

  return -1;
}

static guint
key_for (gint mark)
{
  switch (mark)
    {
    case LK_JUDGEMENT_VERY_SIMILAR: return GDK_KEY_1;
    case LK_JUDGEMENT_SIMILAR: return GDK_KEY_2;
    case LK_JUDGEMENT_UNRELATED: return GDK_KEY_3;
    default: return GDK_KEY_0;
    }
}

/* Which toggle (0 very, 1 similar, 2 unrelated) of neighbour @p is down, or -1. */
static gint
toggle_down (LkJudgingWindow *window,
             guint            p)
{
  GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (lk_judging_window_get_neighbour (window, p)));
  GtkWidget *marks = gtk_widget_get_last_child (box);
  gint i = 0;

  for (GtkWidget *b = gtk_widget_get_first_child (marks); b != NULL; b = gtk_widget_get_next_sibling (b), i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (b)))
      return i;

  return -1;
}

/* The errors a judge can meet are shown on the start page, and nothing is stored. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  LkJudgingWindow *window = open_window (f);

  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "start");
  g_assert_null (lk_judging_window_get_error (window));

  /* No judge's code. */
  lk_judging_window_start_round (window, "  ", LK_SPACE_COLOR, 2, 6, 5);
  wait_idle (window);
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "start");
  g_assert_nonnull (strstr (lk_judging_window_get_error (window), "judge"));

  /* This study has colour descriptors only. */
  lk_judging_window_start_round (window, "J1", LK_SPACE_HOG, 2, 6, 5);
  wait_idle (window);
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "start");
  g_assert_nonnull (strstr (lk_judging_window_get_error (window), "HOG descriptor"));
  g_assert_null (lk_judging_window_get_round (window));
  close_window (window);

  /* No embedding: the phase goes, the message says what to do. */
  {
    g_autoptr(GError) error = NULL;
    LkStore *store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (lk_store_exec (store, "DELETE FROM phase", &error));
    lk_store_close (store);
  }
  window = open_window (f);
  lk_judging_window_start_round (window, "J1", LK_SPACE_COLOR, 2, 6, 5);
  wait_idle (window);
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "start");
  g_assert_nonnull (strstr (lk_judging_window_get_error (window), "no learned embedding"));
  close_window (window);
}

/* A whole round by keys: marks advance the focus, arrows move it, Page Down changes seed and
 * ends on the scores; these are the hand-worked ones (100 %, +1.00); the study file holds every
 * mark; the export has them; a new window opens on the finished round's list. */
static void
test_round (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *window = open_window (f);
  const LkJudgingRound *round;
  g_autofree char *csv = g_build_filename (f->dir, "j.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(LkJudgingRound) back = NULL;
  GtkWidget *flow;
  LkStore *store;
  gboolean moved = FALSE;

  lk_judging_window_start_round (window, "J1", LK_SPACE_COLOR, 2, 50, 5);
  wait_idle (window);
  g_assert_null (lk_judging_window_get_error (window));
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "judge");
  round = lk_judging_window_get_round (window);
  g_assert_nonnull (round);
  g_assert_cmpuint (round->n_seeds, ==, LK_JUDGING_TEST_N);
  g_assert_cmpuint (round->k, ==, 2);

  for (guint s = 0; s < round->n_seeds; s++)
    {
      const LkJudgingSeed *seed = &round->seeds[s];

      g_assert_cmpuint (lk_judging_window_get_seed_index (window), ==, s);
      g_assert_nonnull (lk_judging_window_get_neighbour (window, seed->n_shown - 1));
      g_assert_null (lk_judging_window_get_neighbour (window, seed->n_shown));
      /* The first image has the focus; each mark moves it on by one. */
      g_assert_cmpint (focused (window), ==, 0);
      for (guint p = 0; p < seed->n_shown; p++)
        {
          gint mark = lk_judging_test_mark (seed->item, seed->shown[p].item);

          g_assert_cmpint (focused (window), ==, p);
          g_assert_true (press (window, key_for (mark)));
          g_assert_cmpint (seed->shown[p].mark, ==, mark);
          g_assert_cmpint (toggle_down (window, p), ==,
                           mark == LK_JUDGEMENT_VERY_SIMILAR ? 0 : mark == LK_JUDGEMENT_SIMILAR ? 1 : 2);
        }
      if (!moved)
        {
          /* Arrows (the flow box's own cursor keys) move back; 0 takes a mark back, 2 gives
           * another. */
          flow = gtk_widget_get_parent (lk_judging_window_get_neighbour (window, 0));
          g_signal_emit_by_name (flow, "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS, -1, FALSE,
                                 FALSE, &moved);
          lk_ui_test_flush ();
          g_assert_true (moved);
          g_assert_cmpint (focused (window), ==, seed->n_shown - 2);
          g_assert_true (press (window, GDK_KEY_0));
          g_assert_cmpint (seed->shown[seed->n_shown - 2].mark, ==, LK_JUDGEMENT_NONE);
          g_assert_cmpint (toggle_down (window, seed->n_shown - 2), ==, -1);
          g_assert_true (press (window, GDK_KEY_2));
          g_assert_cmpint (seed->shown[seed->n_shown - 2].mark, ==, LK_JUDGEMENT_SIMILAR);
          g_assert_cmpint (focused (window), ==, seed->n_shown - 1);
          g_signal_emit_by_name (flow, "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS, -1, FALSE,
                                 FALSE, &moved);
          lk_ui_test_flush ();
          g_assert_true (press (window, key_for (lk_judging_test_mark (seed->item, seed->shown[seed->n_shown - 2].item))));
          g_assert_cmpint (focused (window), ==, seed->n_shown - 1);
        }
      g_assert_true (press (window, GDK_KEY_Page_Down));
    }
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "scores");
  g_assert_cmpstr (lk_judging_window_get_success_text (window), ==, "100.0 %");
  g_assert_cmpstr (lk_judging_window_get_avg_diff_text (window), ==, "+1.00");
  /* Keys do nothing off the judge page. */
  g_assert_false (press (window, GDK_KEY_1));

  /* Back to the seeds, and Previous. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "judging.resume", NULL));
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "judge");
  g_assert_cmpuint (lk_judging_window_get_seed_index (window), ==, LK_JUDGING_TEST_N - 1);
  g_assert_true (press (window, GDK_KEY_Page_Up));
  g_assert_cmpuint (lk_judging_window_get_seed_index (window), ==, LK_JUDGING_TEST_N - 2);

  /* Export, as the menu does once a file is chosen. */
  g_assert_true (lk_judging_window_export (window, csv, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, LK_JUDGEMENTS_CSV_HEADER);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + LK_JUDGING_TEST_N * 4 + 1);
  g_assert_null (strstr (text, ",\n"));

  /* The study file, read beside the window's writable handle. */
  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  back = lk_judging_round_load (store, round->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->judge, ==, "J1");
  for (guint s = 0; s < back->n_seeds; s++)
    for (guint p = 0; p < back->seeds[s].n_shown; p++)
      g_assert_cmpint (back->seeds[s].shown[p].mark, ==,
                       lk_judging_test_mark (back->seeds[s].item, back->seeds[s].shown[p].item));
  {
    sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT COUNT(*), COUNT(mark), COUNT(marked) "
                                                  "FROM judging_shown", &error);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 22);
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 22);
    g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 22);
    sqlite3_reset (stmt);
  }
  lk_store_close (store);
  close_window (window);

  /* The round is finished: a new window starts on the list of rounds. */
  window = open_window (f);
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "start");
  g_assert_null (lk_judging_window_get_round (window));
  close_window (window);
}

/* Marks given before the window closed are there when the round is resumed in a new window,
 * which opens on the first seed not completely marked. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  LkJudgingWindow *window = open_window (f);
  const LkJudgingRound *round;
  guint first_shown;

  lk_judging_window_start_round (window, "J2", LK_SPACE_COLOR, 2, 3, 9);
  wait_idle (window);
  round = lk_judging_window_get_round (window);
  g_assert_cmpuint (round->n_seeds, ==, 3);
  first_shown = round->seeds[0].shown[0].item;
  for (guint p = 0; p < round->seeds[0].n_shown; p++)
    g_assert_true (press (window, GDK_KEY_3));
  g_assert_true (press (window, GDK_KEY_Page_Down));
  g_assert_true (press (window, GDK_KEY_1));
  close_window (window);

  window = open_window (f);
  g_assert_cmpstr (lk_judging_window_get_page (window), ==, "judge");
  round = lk_judging_window_get_round (window);
  g_assert_cmpstr (round->judge, ==, "J2");
  g_assert_cmpuint (round->seeds[0].shown[0].item, ==, first_shown);
  g_assert_cmpuint (lk_judging_window_get_seed_index (window), ==, 1);
  g_assert_cmpint (round->seeds[1].shown[0].mark, ==, LK_JUDGEMENT_VERY_SIMILAR);
  g_assert_cmpint (round->seeds[1].shown[1].mark, ==, LK_JUDGEMENT_NONE);
  g_assert_cmpuint (lk_judging_round_count_marked (round, NULL), ==, round->seeds[0].n_shown + 1);
  g_assert_cmpint (toggle_down (window, 0), ==, 0);
  /* The focus is on the first image left to mark. */
  g_assert_cmpint (focused (window), ==, 1);
  /* BackSpace takes the mark back, in the file too. */
  gtk_widget_grab_focus (lk_judging_window_get_neighbour (window, 0));
  g_assert_true (press (window, GDK_KEY_BackSpace));
  g_assert_cmpint (toggle_down (window, 0), ==, -1);
  g_assert_true (press (window, GDK_KEY_Page_Up));
  g_assert_cmpint (toggle_down (window, 0), ==, 2);
  close_window (window);

  window = open_window (f);
  g_assert_cmpuint (lk_judging_window_get_seed_index (window), ==, 1);
  g_assert_cmpint (lk_judging_window_get_round (window)->seeds[1].shown[0].mark, ==, LK_JUDGEMENT_NONE);
  g_assert_cmpint (focused (window), ==, 0);
  close_window (window);
}

/* A mark that cannot be saved (the study file was moved away) is not shown as given: the
 * toggles stay up and the round keeps no mark; once the file is back, it saves. */
static void
test_save_failure (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *moved = g_strconcat (f->path, ".moved", NULL);
  LkJudgingWindow *window = open_window (f);
  const LkJudgingRound *round;

  lk_judging_window_start_round (window, "J3", LK_SPACE_COLOR, 2, 2, 4);
  wait_idle (window);
  round = lk_judging_window_get_round (window);
  g_assert_cmpint (g_rename (f->path, moved), ==, 0);
  g_assert_true (press (window, GDK_KEY_1));
  g_assert_cmpint (round->seeds[0].shown[0].mark, ==, LK_JUDGEMENT_NONE);
  g_assert_cmpint (toggle_down (window, 0), ==, -1);
  g_assert_cmpint (focused (window), ==, 0);
  /* The button's path fails the same way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "judging.mark", "(ui)", 0,
                                             LK_JUDGEMENT_SIMILAR));
  g_assert_cmpint (round->seeds[0].shown[0].mark, ==, LK_JUDGEMENT_NONE);
  g_assert_cmpint (toggle_down (window, 0), ==, -1);

  g_assert_cmpint (g_rename (moved, f->path), ==, 0);
  g_assert_true (press (window, GDK_KEY_1));
  g_assert_cmpint (round->seeds[0].shown[0].mark, ==, LK_JUDGEMENT_VERY_SIMILAR);
  g_assert_cmpint (toggle_down (window, 0), ==, 0);

  /* A click on a neighbour's "Similar" button. */
  {
    GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (lk_judging_window_get_neighbour (window, 1)));
    GtkWidget *similar = gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_widget_get_last_child (box)));

    g_signal_emit_by_name (similar, "clicked");
    lk_ui_test_flush ();
    g_assert_cmpint (round->seeds[0].shown[1].mark, ==, LK_JUDGEMENT_SIMILAR);
    g_assert_cmpint (toggle_down (window, 1), ==, 1);
  }
  close_window (window);
}

/* Gives every image a HOG vector too, so the browser has no descriptor left to compute. */
static void
add_hog (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  float first[LK_JUDGING_TEST_N];

  g_assert_no_error (error);
  for (guint i = 0; i < LK_JUDGING_TEST_N; i++)
    first[i] = i;
  lk_judging_test_put_features (store, LK_FEATURE_HOG, first, LK_JUDGING_TEST_N, TRUE);
  g_assert_cmpuint (lk_image_features_count_stale (store, &error), ==, 0);
  lk_store_close (store);
}

static LkJudgingWindow *
find_judging_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (LK_IS_JUDGING_WINDOW (w))
        return LK_JUDGING_WINDOW (w);
    }

  return NULL;
}

/* The browser's button opens the judging window on the browser's own (writable, locked)
 * store; the window keeps working after the browser is closed, and once both are gone the
 * study's lock is free again. */
static void
test_from_browser (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkBrowserWindow *browser;
  LkJudgingWindow *window;
  const LkJudgingRound *round;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint id;
  LkStore *store;

  add_hog (f);
  browser = lk_browser_window_new (NULL, f->path, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (browser));
  lk_ui_test_wait_mapped (GTK_WIDGET (browser));
  id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);
  /* Neighbours in the learned strip: the spaces are loaded (no descriptor was left to compute,
   * so the store was never lent to a worker). The placeholder images have no thumbnails, so
   * the browser never counts as settled. */
  while (lk_knn_strip_get_n_neighbours (lk_browser_window_get_strip (browser, LK_SPACE_LEARNED)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);

  g_assert_null (find_judging_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.judge", NULL));
  window = find_judging_window ();
  g_assert_nonnull (window);
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_judging_window_start_round (window, "J-B", LK_SPACE_HOG, 2, 2, 3);
  wait_idle (window);
  g_assert_null (lk_judging_window_get_error (window));
  round = lk_judging_window_get_round (window);
  g_assert_cmpint (round->baseline, ==, LK_SPACE_HOG);
  g_assert_true (press (window, GDK_KEY_1));
  g_assert_cmpint (round->seeds[0].shown[0].mark, ==, LK_JUDGEMENT_VERY_SIMILAR);

  /* The browser goes; its store stays with the judging window. */
  close_window (browser);
  g_assert_true (press (window, GDK_KEY_3));
  g_assert_cmpint (round->seeds[0].shown[1].mark, ==, LK_JUDGEMENT_UNRELATED);
  close_window (window);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(LkJudgingRound) back = lk_judging_round_load (store, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (lk_judging_round_count_marked (back, NULL), ==, 2);
  }
  lk_store_close (store);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Loads @flags into @spaces and waits for it. */
static void
load_spaces (LkNeighbourSpaces      *spaces,
             LkNeighbourSpacesFlags  flags)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  lk_neighbour_spaces_load_async (spaces, flags, NULL, store_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  g_assert_true (lk_neighbour_spaces_load_finish (spaces, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

/* Returns @item's @k nearest neighbours in each of @spaces' spaces. */
static LkNeighbourLists *
query_spaces (LkNeighbourSpaces *spaces,
              guint              item,
              guint              k)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  LkNeighbourLists *lists;

  lk_neighbour_spaces_query_async (spaces, item, k, NULL, store_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  lists = lk_neighbour_spaces_query_finish (spaces, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  g_assert_cmpuint (lists->item, ==, item);

  return lists;
}

static gboolean
learned_strip_filled (gpointer browser)
{
  return lk_knn_strip_get_n_neighbours (lk_browser_window_get_strip (browser, LK_SPACE_LEARNED)) > 0;
}

/* LkNeighbourSpaces loads the hand-made study's spaces (a missing one says why), its lists are
 * the hand-worked ones, and they are the lists the browser's strips show and the judging
 * window's round is drawn from. */
static void
test_neighbour_spaces (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkNeighbourSpaces) spaces = lk_neighbour_spaces_new (f->path);
  LkBrowserWindow *browser;
  LkJudgingWindow *window;
  const LkJudgingRound *round;
  const guint *support;
  guint n_support = 0;

  /* No HOG descriptor yet: that space is missing, and why; the others are there. */
  g_assert_false (lk_neighbour_spaces_is_loaded (spaces));
  load_spaces (spaces, LK_NEIGHBOUR_SPACES_ALL | LK_NEIGHBOUR_SPACES_SCALES |
                       LK_NEIGHBOUR_SPACES_SUPPORT);
  g_assert_true (lk_neighbour_spaces_is_loaded (spaces));
  g_assert_null (lk_neighbour_spaces_get_space (spaces, LK_SPACE_HOG));
  g_assert_error (lk_neighbour_spaces_get_error (spaces, LK_SPACE_HOG), LK_STORE_ERROR,
                  LK_STORE_ERROR_NOT_FOUND);
  support = lk_neighbour_spaces_get_support (spaces, &n_support);
  g_assert_nonnull (support);
  g_assert_cmpuint (n_support, ==, LK_JUDGING_TEST_N);

  /* With it, a load of HOG alone adds it and keeps the others. */
  add_hog (f);
  load_spaces (spaces, LK_NEIGHBOUR_SPACES_HOG | LK_NEIGHBOUR_SPACES_SCALES);
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      LkSpace *space = lk_neighbour_spaces_get_space (spaces, s);

      g_assert_nonnull (space);
      g_assert_null (lk_neighbour_spaces_get_error (spaces, s));
      g_assert_cmpuint (lk_space_get_n_items (space), ==, LK_JUDGING_TEST_N);
      g_assert_cmpfloat (lk_neighbour_spaces_get_scale (spaces, s), >, 0.0);
    }
  g_assert_true (lk_neighbour_spaces_get_support (spaces, &n_support) == support);

  /* The hand-worked lists; HOG's first values are the items themselves, like the learned line. */
  for (guint seed = 0; seed < LK_JUDGING_TEST_N; seed++)
    {
      g_autoptr(LkNeighbourLists) lists = query_spaces (spaces, seed, 2);

      for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
        {
          g_assert_true (lists->loaded[s]);
          g_assert_cmpuint (lists->n[s], ==, 2);
        }
      for (guint j = 0; j < 2; j++)
        {
          g_assert_cmpuint (lists->ids[LK_SPACE_LEARNED][j], ==, lk_judging_test_learned[seed][j]);
          g_assert_cmpuint (lists->ids[LK_SPACE_COLOR][j], ==, lk_judging_test_colour_nn[seed][j]);
          g_assert_cmpuint (lists->ids[LK_SPACE_HOG][j], ==, lk_judging_test_learned[seed][j]);
        }
    }

  /* The browser's strips show the same lists as the object's, for the selected image. */
  browser = lk_browser_window_new (NULL, f->path, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (browser));
  lk_ui_test_wait_mapped (GTK_WIDGET (browser));
  lk_ui_test_wait_for (learned_strip_filled, browser);
  {
    g_autoptr(LkNeighbourLists) lists = query_spaces (spaces, browser->seed, LK_BROWSER_K);

    for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
      {
        LkKnnStrip *strip = lk_browser_window_get_strip (browser, s);

        g_assert_cmpuint (lk_knn_strip_get_n_neighbours (strip), ==, lists->n[s]);
        g_assert_cmpuint (lists->n[s], ==, LK_JUDGING_TEST_N - 1);
        for (guint j = 0; j < lists->n[s]; j++)
          {
            double distance = -1.0;

            g_assert_cmpuint (lk_knn_strip_get_neighbour (strip, j, &distance), ==, lists->ids[s][j]);
            g_assert_cmpfloat_with_epsilon (distance, lists->distances[s][j], 1e-9);
          }
      }
  }
  close_window (browser);

  /* The judging window's round is drawn from the same lists. */
  window = open_window (f);
  lk_judging_window_start_round (window, "J-S", LK_SPACE_COLOR, 2, LK_JUDGING_TEST_N, 7);
  wait_idle (window);
  g_assert_null (lk_judging_window_get_error (window));
  round = lk_judging_window_get_round (window);
  g_assert_nonnull (round);
  g_assert_cmpuint (round->n_seeds, ==, LK_JUDGING_TEST_N);
  for (guint i = 0; i < round->n_seeds; i++)
    {
      const LkJudgingSeed *seed = &round->seeds[i];
      g_autoptr(LkNeighbourLists) lists = query_spaces (spaces, seed->item, 2);

      g_assert_cmpuint (seed->n_learned, ==, lists->n[LK_SPACE_LEARNED]);
      g_assert_cmpuint (seed->n_baseline, ==, lists->n[LK_SPACE_COLOR]);
      for (guint j = 0; j < seed->n_learned; j++)
        g_assert_cmpuint (seed->learned[j].item, ==, lists->ids[LK_SPACE_LEARNED][j]);
      for (guint j = 0; j < seed->n_baseline; j++)
        g_assert_cmpuint (seed->baseline[j].item, ==, lists->ids[LK_SPACE_COLOR][j]);
    }
  close_window (window);
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/lk/ui/judging/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("errors", test_errors);
  ADD ("round", test_round);
  ADD ("resume", test_resume);
  ADD ("save-failure", test_save_failure);
  ADD ("from-browser", test_from_browser);
  ADD ("neighbour-spaces", test_neighbour_spaces);
#undef ADD

  return g_test_run ();
}
