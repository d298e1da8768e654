/* test-gold-ui.c — known answers in the app: kept from the curator's sorting window with real
 * keys, listed and removed in the study overview; checked in the study file
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "tests/lk-test-utils.h"
#include "lk-collection.h"
#include "lk-curator-window-private.h"
#include "lk-export.h"
#include "lk-gold.h"
#include "lk-keys-test.h"
#include "lk-known-answers.h"
#include "lk-store-private.h"
#include "lk-study-overview-private.h"
#include "lk-ui-test.h"

static void
write_image (const char *path,
             guint       seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 60, 45);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 45; y++)
    for (int x = 0; x < 60; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) ((seed * 41 + x) % 256);
        p[1] = (guint8) ((seed * 67 + y) % 256);
        p[2] = (guint8) ((seed * 29 + x + y) % 256);
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
}

/* Makes a study of 20 generated images in @dir: grids of 8 in 3 bins. */
static char *
make_study (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkImportReport) report = NULL;
  char *path = g_build_filename (dir, "study.likeness", NULL);
  LkParams params;
  LkStore *store;

  lk_params_init (&params);
  params.nq = 8;
  params.nc = 3;
  params.knn_k = 10;
  params.budget = 12;
  params.phases = 3;
  params.iterations = 20;
  params.seed = 7;
  g_mkdir (images, 0700);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/p%02u.png", images, i);

      write_image (name, i);
    }
  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lk_store_close (store);

  return path;
}

/* Returns the integer the first column of @sql's first row holds, read through a read-only
 * connection of the test's own. */
static gint64
query_int (const char *path,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  g_assert_true (lk_store_query_int (store, sql, 0, &value, &error));
  g_assert_no_error (error);
  lk_store_close (store);

  return value;
}

static gboolean
curator_ready (gpointer data)
{
  return !lk_curator_window_is_preparing (data);
}

static gboolean
dialog_shown (gpointer data)
{
  return lk_ui_test_find_dialog () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return lk_ui_test_find_dialog () == NULL;
}

/* Whether a message dialog with the heading @data is shown. */
static gboolean
dialog_with_heading (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), data) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Types @names (xdotool key names) at @window through the X server, then spins the main loop
 * until @done holds. The keys may open a dialog that takes the focus before their releases
 * arrive, so this waits for what they do rather than for the releases. */
static void
type_until (GtkWindow  *window,
            const char *names,
            gboolean  (*done) (gpointer data),
            gpointer    data)
{
  g_autofree char *xid = g_strdup_printf ("%lu",
                                          gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  g_autofree char *command = g_strdup_printf ("xdotool windowfocus --sync %s key --delay 1 %s",
                                              xid, names);
  g_autoptr(GError) error = NULL;
  int status;

  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lk_ui_test_wait_for (done, data);
}

/* Sorts the grid shown (image p into bin p mod nc) and submits it. */
static void
sort_and_submit (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  LkSortModel *model = lk_session_get_model (session);

  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, p % lk_sort_model_get_nc (model));
  g_assert_true (lk_session_submit (session, &error));
  g_assert_no_error (error);
}

static LkCuratorWindow *
open_curator (LkStudy *study)
{
  LkCuratorWindow *curator = lk_curator_window_new (NULL, study);

  gtk_window_present (GTK_WINDOW (curator));
  lk_ui_test_wait_mapped (GTK_WIDGET (curator));
  lk_ui_test_wait_for (curator_ready, curator);
  g_assert_cmpstr (lk_curator_window_get_error (curator), ==, NULL);

  return curator;
}

/* The known answer in the file is the last answer's grid: the same images in the same order,
 * each in the bin the curator gave it. */
#define SAME_AS_LAST_ANSWER \
  "SELECT count(*) FROM gold_item g " \
  "JOIN query_item qi ON qi.position = g.position AND qi.item = g.item " \
  "JOIN answer a ON a.query = qi.query " \
  "JOIN answer_bin b ON b.answer = a.id AND b.position = g.position AND b.bin = g.bin " \
  "WHERE a.id = (SELECT max(id) FROM answer)"

/* Ctrl+K in the curator's window, Return in its dialog: the grid sorted last is a known
 * answer in the study file; Undo removes it; keeping it twice, or under a name in use, is
 * refused in a dialog and keeps nothing. */
static void
test_keep (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lk_test_tmpdir ("lk-gold-ui-XXXXXX");
  g_autofree char *path = make_study (dir);
  g_autoptr(LkStudy) study = NULL;
  g_autofree char *heading = NULL;
  LkCuratorWindow *curator;
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  LkSession *session;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      lk_test_rmdir (dir);
      return;
    }
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  curator = open_curator (study);
  session = lk_curator_window_get_session (curator);
  lk_session_begin (session);

  /* Nothing sorted yet: nothing to keep, and the dialog says so. */
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "No Grid Sorted Yet");
  g_clear_pointer (&heading, g_free);

  sort_and_submit (session);
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  dialog = lk_ui_test_find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Keep as Known Answer?");
  type_until (GTK_WINDOW (dialog), "Return", no_dialog, NULL);
  g_assert_cmpint (lk_curator_window_get_kept (curator), >, 0);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid WHERE source = 'curator' "
                                    "AND use = 'exam' AND nc = 3"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_item"), ==, 8);
  g_assert_cmpint (query_int (path, SAME_AS_LAST_ANSWER), ==, 8);

  /* The toast's Undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (curator), "curator.undo-keep", NULL));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 0);
  g_assert_cmpint (lk_curator_window_get_kept (curator), ==, 0);

  /* Kept again, then a second time: refused, still one. */
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  type_until (GTK_WINDOW (lk_ui_test_find_dialog ()), "Return", no_dialog, NULL);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 1);
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Already a Known Answer");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 1);

  /* A new grid under the name in use: refused, with the reason. */
  sort_and_submit (session);
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  dialog = lk_ui_test_find_dialog ();
  entry = GTK_EDITABLE (gtk_widget_get_first_child (adw_message_dialog_get_extra_child (dialog)));
  {
    g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(GPtrArray) grids = lk_gold_list (store, &error);

    g_assert_no_error (error);
    gtk_editable_set_text (entry, ((LkGoldGrid *) g_ptr_array_index (grids, 0))->name);
  }
  type_until (GTK_WINDOW (dialog), "Return", dialog_with_heading,
              "Could Not Keep the Known Answer");
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Could Not Keep the Known Answer");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (curator));
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

/* A study open for reading only: Ctrl+K says so in a dialog and keeps nothing. */
static void
test_keep_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lk_test_tmpdir ("lk-gold-ui-XXXXXX");
  g_autofree char *path = make_study (dir);
  g_autoptr(LkStudy) study = NULL;
  g_autofree char *heading = NULL;
  LkCuratorWindow *curator;
  LkStore *store;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      lk_test_rmdir (dir);
      return;
    }
  /* A grid sorted by the curator, with the study open for writing. */
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  curator = open_curator (study);
  lk_session_begin (lk_curator_window_get_session (curator));
  sort_and_submit (lk_curator_window_get_session (curator));
  gtk_window_destroy (GTK_WINDOW (curator));
  lk_ui_test_flush ();
  g_clear_object (&study);

  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  study = lk_study_new_for_store (store);
  curator = open_curator (study);
  type_until (GTK_WINDOW (curator), "ctrl+k", dialog_shown, NULL);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "The Study Is Open for Reading Only");
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (curator));
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

static gboolean
overview_loaded (gpointer overview)
{
  return !lk_study_overview_is_loading (overview);
}

static gboolean
export_done (gpointer overview)
{
  return !lk_study_overview_is_exporting (overview);
}

/* Adds a known answer of the images @first.. @first + 5, in bins i mod 3 (the last left
 * out), straight into the file. */
static void
add_gold (const char *path,
          const char *name,
          guint       first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  guint items[6];
  gint bins[6];
  g_autoptr(LkQuery) answer = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    {
      items[i] = first + i;
      bins[i] = i < 5 ? (gint) (i % 3) : LK_BIN_LEFT_OUT;
    }
  answer = lk_query_new (items, 6);
  g_assert_true (lk_query_set_answer (answer, bins, 3, NULL));
  g_assert_cmpint (lk_gold_add (store, name, LK_GOLD_USE_EXAM, NULL, "overview", answer, 3,
                                &error), >, 0);
  g_assert_no_error (error);
}

/* The overview counts the known answers; its row opens their list: one row per grid with
 * every image as a thumbnail; Remove takes one out of the file and Undo puts it back as it was;
 * a CSV imports (a bad one is refused in a dialog, adding nothing); the counts follow; the list
 * fits a 1024x600 screen. */
static void
test_overview_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lk_test_tmpdir ("lk-gold-ui-XXXXXX");
  g_autofree char *path = make_study (dir);
  g_autofree char *csv = g_build_filename (dir, "gold.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *heading = NULL;
  g_autoptr(LkStudy) study = NULL;
  LkStudyOverview *overview;
  LkKnownAnswers *list;
  GtkWindow *window;
  gint64 first;
  int min_width, min_height;

  add_gold (path, "first", 0);
  add_gold (path, "second", 6);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  overview = LK_STUDY_OVERVIEW (lk_study_overview_new ());
  window = lk_ui_test_show (GTK_WIDGET (overview));
  lk_study_overview_set_study (overview, study);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "gold"), ==,
                   "2 known answers, for training and the exam");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.gold", NULL));
  list = LK_KNOWN_ANSWERS (lk_study_overview_get_known_answers (overview));
  g_assert_nonnull (list);
  lk_ui_test_wait_mapped (GTK_WIDGET (list));
  g_assert_cmpuint (lk_known_answers_get_n_grids (list), ==, 2);
  g_assert_cmpuint (lk_known_answers_get_n_thumbnails (list, 0), ==, 6);
  g_assert_cmpuint (lk_known_answers_get_n_thumbnails (list, 1), ==, 6);
  gtk_widget_measure (GTK_WIDGET (list), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (list), GTK_ORIENTATION_VERTICAL, min_width, &min_height,
                      NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 1024);
  g_assert_cmpint (min_height, <=, 600);

  /* Remove, then Undo: the same grid again, under a new id. */
  first = lk_known_answers_get_id (list, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "known.remove", "x", first));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid WHERE name = 'first'"), ==, 0);
  g_assert_cmpuint (lk_known_answers_get_n_grids (list), ==, 1);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "gold"), ==,
                   "1 known answer, for training and the exam");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "known.undo-remove", NULL));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 2);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_item i JOIN gold_grid g ON "
                                    "g.id = i.gold WHERE g.name = 'first' AND i.item = i.position "
                                    "AND i.bin = (CASE WHEN i.position < 5 THEN i.position % 3 "
                                    "ELSE -1 END)"), ==, 6);
  g_assert_cmpuint (lk_known_answers_get_n_grids (list), ==, 2);

  /* A known answer shown to a participant stays, and a dialog says why. */
  g_assert_true (lk_store_exec (lk_study_get_store (study),
                                "INSERT INTO query (phase, policy, embedding_version, state, "
                                "drawn, created, gold) SELECT 0, 'gold', 0, 'served', 0, 'now', "
                                "id FROM gold_grid WHERE name = 'second'", &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "known.remove", "x",
                                             lk_known_answers_get_id (list, 0)));
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Could Not Remove the Known Answer");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 2);

  /* Import: a good file adds its grid; a bad one adds nothing and names its line. */
  g_assert_true (g_file_set_contents (csv, "gold,use,position,image,bin,instructions\n"
                                      "imported,training,0,p12.png,0,Reds together\n"
                                      "imported,training,1,p13.png,1,\n"
                                      "imported,training,2,p14.png,0,\n", -1, &error));
  g_assert_true (g_file_set_contents (bad, "gold,use,position,image,bin,instructions\n"
                                      "broken,exam,0,p12.png,0,\n"
                                      "broken,exam,1,nowhere.png,1,\n", -1, &error));
  lk_known_answers_import (list, bad);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Could Not Import the Known Answers");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid"), ==, 2);
  lk_known_answers_import (list, csv);
  g_assert_null (lk_ui_test_find_dialog ());
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM gold_grid WHERE name = 'imported' "
                                    "AND use = 'training'"), ==, 1);
  g_assert_cmpuint (lk_known_answers_get_n_grids (list), ==, 3);
  g_assert_cmpuint (lk_known_answers_get_n_thumbnails (list, 2), ==, 3);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "gold"), ==,
                   "3 known answers, for training and the exam");

  /* The overview's export writes the participants and the known answers beside the answers. */
  {
    g_autofree char *answers = g_build_filename (dir, "study-answers.csv", NULL);
    g_autofree char *participants = lk_study_overview_dup_export_path (answers, "participants");
    g_autofree char *gold = lk_study_overview_dup_export_path (answers, "gold");
    g_autofree char *other = lk_study_overview_dup_export_path ("/x/mine.csv", "gold");
    g_autofree char *text = NULL;

    g_assert_cmpstr (other, ==, "/x/mine-gold.csv");
    g_assert_true (g_str_has_suffix (participants, "/study-participants.csv"));
    lk_study_overview_export_answers (overview, answers);
    lk_ui_test_wait_for (export_done, overview);
    g_assert_null (lk_ui_test_find_dialog ());
    g_assert_true (g_file_get_contents (participants, &text, NULL, &error));
    g_assert_cmpstr (text, ==, "participant,pilot,status,excluded,answers,median_seconds,"
                     "agreement,repeats,consistency,gold_grids,gold_score,flag_inconsistent,"
                     "flag_low_gold\n");
    g_clear_pointer (&text, g_free);
    g_assert_true (g_file_get_contents (gold, &text, NULL, &error));
    g_assert_cmpstr (text, ==, "gold,use,position,image,bin,instructions\n"
                     "second,exam,0,p06.png,0,\n" "second,exam,1,p07.png,1,\n"
                     "second,exam,2,p08.png,2,\n" "second,exam,3,p09.png,0,\n"
                     "second,exam,4,p10.png,1,\n" "second,exam,5,p11.png,left_out,\n"
                     "first,exam,0,p00.png,0,\n" "first,exam,1,p01.png,1,\n"
                     "first,exam,2,p02.png,2,\n" "first,exam,3,p03.png,0,\n"
                     "first,exam,4,p04.png,1,\n" "first,exam,5,p05.png,left_out,\n"
                     "imported,training,0,p12.png,0,Reds together\n"
                     "imported,training,1,p13.png,1,\n" "imported,training,2,p14.png,0,\n");
    g_clear_pointer (&text, g_free);
    g_assert_true (g_file_get_contents (answers, &text, NULL, &error));
    g_assert_cmpstr (text, ==, LK_EXPORT_TIDY_HEADER "\n");
  }

  gtk_window_destroy (GTK_WINDOW (list));
  gtk_window_destroy (window);
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  g_test_add_func ("/lk/ui/gold/keep", test_keep);
  g_test_add_func ("/lk/ui/gold/keep-read-only", test_keep_read_only);
  g_test_add_func ("/lk/ui/gold/overview-list", test_overview_list);

  return g_test_run ();
}
