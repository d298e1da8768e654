/* test-group-names.c — a study with group-names on: a grid of 24 images in 10 bins on a real
 * study file, sorted and named with real keys (xdotool); the names reach the study file with the
 * answer and its export, and digits typed into a name file no image. A study with palette on:
 * its sessions sort with the palette
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-answers.h"
#include "lk-bin-private.h"
#include "lk-export.h"
#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-session-settings.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"
#include "lk-store-private.h"
#include "lk-study-private.h"
#include "lk-study-run.h"
#include "lk-study-test.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

/* A study of 40 images, grids of 24 in 10 bins (paper 001), with the setting @data on
 * ("group-names" or "palette"). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  g_autofree char *images = NULL;
  LkParams params = study_test_params ();

  f->dir = study_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  images = g_build_filename (f->dir, "images", NULL);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 40);
  params.nq = 24;
  params.nc = 10;
  params.knn_k = 30;
  params.budget = 4;
  params.phases = 2;
  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lk_session_settings_init (&settings);
  g_assert_true (lk_session_settings_set (&settings, data, "true", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_save_session_settings (store, &settings, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GtkWidget *
entry_text (LkSortPage *page,
            guint       bin)
{
  GtkWidget *entry = GTK_WIDGET (lk_bin_get_name_entry (lk_sort_page_get_bin (page, bin)));

  /* The GtkText inside the entry: it takes the focus. */
  return gtk_widget_get_first_child (entry);
}

static gboolean
focus_is (GtkWindow *window,
          GtkWidget *widget)
{
  return gtk_root_get_focus (GTK_ROOT (window)) == widget;
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(LkSortModel) first = NULL;
  LkSessionSetup setup;
  LkSessionView *view;
  LkSortPage *page;
  LkSortModel *model;
  GtkWindow *window;
  LkKeysTest keys;
  gint64 answer;

  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  g_assert_true (setup.group_names);
  g_assert_false (setup.palette);
  setup.consent = NULL;
  setup.n_practice = 0;
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "P-NAMES", FALSE,
                            LK_GRID_SOURCE (run), &error);
  g_assert_no_error (error);
  view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (view, session);
  window = lk_ui_test_show (GTK_WIDGET (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL));
  lk_ui_test_flush ();
  page = lk_session_view_get_sort_page (view);
  model = lk_sort_page_get_model (page);
  g_assert_nonnull (model);
  first = g_object_ref (model);
  g_assert_cmpuint (lk_sort_model_get_n_items (model), ==, 24);
  g_assert_cmpuint (lk_sort_model_get_nc (model), ==, 10);
  lk_ui_test_wait_painted (GTK_WIDGET (page));
  lk_keys_test_init (&keys, window);
  for (guint b = 0; b < 10; b++)
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lk_bin_get_name_entry (lk_sort_page_get_bin (page, b)))));

  /* Tab from the last image reaches the first bin's name. */
  g_assert_true (lk_sort_page_focus_image (page, 23));
  lk_keys_test_type (&keys, window, "Tab");
  g_assert_true (focus_is (window, entry_text (page, 0)));

  /* Typed there, digits and Space included, the keys are the name's: no image moves. */
  lk_keys_test_type (&keys, window, "R e d 2 space 0");
  g_assert_cmpstr (lk_sort_model_get_group_name (model, 0), ==, "Red2 0");
  for (guint p = 0; p < 24; p++)
    g_assert_cmpint (lk_sort_model_get_bin (model, p), ==, LK_BIN_LEFT_OUT);

  /* Enter goes back to the images, where the number keys file again. */
  lk_keys_test_type (&keys, window, "Return");
  g_assert_true (focus_is (window, lk_sort_page_get_place (page, 23)));
  lk_keys_test_type (&keys, window, "1");
  g_assert_cmpint (lk_sort_model_get_bin (model, 23), ==, 0);
  g_assert_true (lk_sort_page_focus_image (page, 4));
  lk_keys_test_type (&keys, window, "0");
  g_assert_cmpint (lk_sort_model_get_bin (model, 4), ==, 9);

  /* The tenth bin named too, then Enter on the images submits. */
  gtk_widget_grab_focus (entry_text (page, 9));
  lk_keys_test_type (&keys, window, "s k y");
  g_assert_cmpstr (lk_sort_model_get_group_name (model, 9), ==, "sky");
  lk_keys_test_type (&keys, window, "Return");
  lk_keys_test_type (&keys, window, "Return");
  g_assert_cmpuint (lk_session_get_n_answered (session), ==, 1);

  /* The next grid starts unnamed. */
  g_assert_true (lk_sort_page_get_model (page) != model);
  for (guint b = 0; b < 10; b++)
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (lk_bin_get_name_entry (lk_sort_page_get_bin (page, b)))), ==, "");

  /* In the file, with the answer; and in the export. */
  g_assert_true (lk_store_query_int (lk_study_get_store (study),
                                     "SELECT max(id) FROM answer WHERE ? > 0", 1, &answer,
                                     &error));
  g_assert_no_error (error);
  names = lk_answers_get_group_names (lk_study_get_store (study), answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 10);
  g_assert_cmpstr (names[0], ==, "Red2 0");
  g_assert_cmpstr (names[9], ==, "sky");
  for (guint b = 1; b < 9; b++)
    g_assert_cmpstr (names[b], ==, "");
  csv_path = g_build_filename (f->dir, "names.csv", NULL);
  g_assert_true (lk_export_group_names_csv (lk_study_get_store (study), csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_nonnull (strstr (csv, ",P-NAMES,"));
  g_assert_nonnull (strstr (csv, ",0,Red2 0\n"));
  g_assert_nonnull (strstr (csv, ",9,sky\n"));

  gtk_window_destroy (window);
  lk_ui_test_flush ();
}

/* Starts a session of the study at @path in a session view shown in a window, at its first
 * grid (no consent, no practice). */
static LkSessionView *
show_session (const char  *path,
              LkStudy    **study,
              LkSession  **session,
              GtkWindow  **window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  LkSessionSetup setup;
  LkSessionView *view;

  *study = lk_study_open (path, &error);
  g_assert_no_error (error);
  lk_study_get_setup (*study, &setup);
  setup.consent = NULL;
  setup.n_practice = 0;
  run = lk_study_run_new (*study, "test-station", &error);
  g_assert_no_error (error);
  *session = lk_session_new (LK_IMAGE_SOURCE (*study), &setup, "P-PAL", FALSE,
                             LK_GRID_SOURCE (run), &error);
  g_assert_no_error (error);
  view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (view, *session);
  *window = lk_ui_test_show (GTK_WIDGET (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL));
  lk_ui_test_flush ();

  return view;
}

/* The study setting palette: the session's sorting page is a palette; names are not asked. */
static void
test_palette (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkSession) session = NULL;
  GtkWindow *window;
  LkSessionView *view = show_session (f->path, &study, &session, &window);
  LkSortPage *page = lk_session_view_get_sort_page (view);
  LkSortModel *model = lk_sort_page_get_model (page);
  LkSessionSetup setup;
  LkKeysTest keys;

  lk_study_get_setup (study, &setup);
  g_assert_true (setup.palette);
  g_assert_false (setup.group_names);
  g_assert_nonnull (strstr (setup.instructions, "Pick a bin’s colour"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lk_bin_get_name_entry (lk_sort_page_get_bin (page, 0)))));
  lk_ui_test_wait_painted (GTK_WIDGET (page));
  lk_keys_test_init (&keys, window);

  /* A key picks a colour and files nothing; Space puts the image focused there. */
  g_assert_true (lk_sort_page_focus_image (page, 2));
  lk_keys_test_type (&keys, window, "0");
  g_assert_cmpint (lk_sort_page_get_brush (page), ==, 9);
  for (guint p = 0; p < 24; p++)
    g_assert_cmpint (lk_sort_model_get_bin (model, p), ==, LK_BIN_LEFT_OUT);
  lk_keys_test_type (&keys, window, "space");
  g_assert_cmpint (lk_sort_model_get_bin (model, 2), ==, 9);

  gtk_window_destroy (window);
  lk_ui_test_flush ();
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");
  if (!lk_keys_test_available ())
    {
      g_print ("1..0 # SKIP no xdotool or no X11 display\n");
      return 0;
    }

  g_test_add ("/lk/ui/group-names/typed-and-stored", Fixture, "group-names", fixture_set_up,
              test_names, fixture_tear_down);
  g_test_add ("/lk/ui/group-names/palette-setting", Fixture, "palette", fixture_set_up,
              test_palette, fixture_tear_down);

  return g_test_run ();
}
