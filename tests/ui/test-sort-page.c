/* test-sort-page.c — the sorting screen driven through its own drop targets and actions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-demo-collection.h"
#include "lk-locale.h"
#include "lk-sort-page-private.h"
#include "lk-ui-test.h"
#include "lk-bin-private.h"

typedef struct {
  GtkWindow        *window;
  LkSortPage       *page;
  LkSortModel      *model;
  LkDemoCollection *source;
  guint             submitted;
} Fixture;

static void
submit_cb (LkSortPage *page,
           Fixture    *fixture)
{
  fixture->submitted++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint items[20];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    items[i] = 100 - 3 * i;

  fixture->source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  fixture->model = lk_sort_model_new (items, G_N_ELEMENTS (items), 4,
                                      GPOINTER_TO_INT (data));
  fixture->page = LK_SORT_PAGE (lk_sort_page_new ());
  g_signal_connect (fixture->page, "submit", G_CALLBACK (submit_cb), fixture);
  lk_sort_page_set_model (fixture->page, fixture->model, LK_IMAGE_SOURCE (fixture->source));
  lk_sort_page_set_participant (fixture->page, "P-TEST7");
  lk_sort_page_set_progress (fixture->page, 7, 30, FALSE);

  fixture->window = lk_ui_test_show (GTK_WIDGET (fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  lk_ui_test_flush ();
  g_assert_finalize_object (fixture->model);
  g_assert_finalize_object (fixture->source);
}

/* Delivers a drop of the image at @position to @target, as GTK does at the end of a drag. */
static gboolean
drop (GtkDropTarget *target,
      guint          position)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = g_strdup_printf ("tile-%u", position);
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  lk_ui_test_flush ();

  return accepted;
}

static GtkDropTarget *
bin_target (Fixture *fixture,
            guint    bin)
{
  return lk_bin_get_drop_target (lk_sort_page_get_bin (fixture->page, bin));
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  for (guint b = 0; b < 4; b++)
    {
      LkBin *bin = lk_sort_page_get_bin (fixture->page, b);

      g_assert_nonnull (bin);
      g_assert_cmpuint (lk_bin_get_index (bin), ==, b);
      g_assert_cmpuint (lk_bin_get_n_tiles (bin), ==, 0);
    }
  g_assert_null (lk_sort_page_get_bin (fixture->page, 4));
  g_assert_cmpstr (lk_sort_page_get_progress_text (fixture->page), ==, "Grid 7 of 30");
  g_assert_false (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Put at least one image into a bin");

  lk_sort_page_set_progress (fixture->page, 1, 2, TRUE);
  g_assert_cmpstr (lk_sort_page_get_progress_text (fixture->page), ==, "Practice grid 1 of 2");
}

static void
test_drops (Fixture       *fixture,
            gconstpointer  data)
{
  /* Grid to bin. */
  g_assert_true (drop (bin_target (fixture, 2), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, 2);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Done? Press Enter or Submit");

  /* Bin to bin. */
  g_assert_true (drop (bin_target (fixture, 0), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, 0);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 0);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 0)), ==, 1);

  /* Bin back to the grid. */
  g_assert_true (drop (lk_sort_page_get_grid_drop_target (fixture->page), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 0)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));

  /* Junk is refused. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean accepted = TRUE;

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "tile-99");
    g_signal_emit_by_name (bin_target (fixture, 1), "drop", &value, 1.0, 1.0, &accepted);
    g_assert_false (accepted);
  }
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (fixture->model, LK_BIN_LEFT_OUT), ==, 20);
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  const LkSortMove *moves;
  guint n_moves;

  /* Key 2 files the focused image into bin 2, and the focus moves on to the next image. */
  g_assert_true (lk_sort_page_focus_image (fixture->page, 5));
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 1));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, 1);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 1);

  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 3));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 6), ==, 3);

  /* A key beyond the last bin does nothing. */
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 6));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 7), ==, LK_BIN_LEFT_OUT);

  /* 0 (or Backspace) puts the focused image back, even from a bin. */
  g_assert_true (lk_sort_page_focus_image (fixture->page, 5));
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", -1));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 0);

  /* Ctrl+Z undoes the last move: image 5 goes back into bin 2. */
  g_assert_true (gtk_widget_activate_action (page, "sort.undo", NULL));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, 1);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 1);

  moves = lk_sort_model_get_moves (fixture->model, &n_moves);
  g_assert_cmpuint (n_moves, ==, 4);
  g_assert_true (moves[3].undo);

  /* Enter submits. */
  g_assert_true (gtk_widget_activate_action (page, "sort.submit", NULL));
  g_assert_cmpuint (fixture->submitted, ==, 1);
}

static void
test_submit_rule (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  GtkWidget *submit = lk_sort_page_get_submit_button (fixture->page);

  /* Every image must be placed: Submit stays off, and says how many are left. */
  gtk_widget_activate_action (page, "sort.submit", NULL);
  g_assert_cmpuint (fixture->submitted, ==, 0);
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==,
                   "Put the 20 remaining images into bins");

  for (guint p = 0; p < 19; p++)
    g_assert_true (drop (bin_target (fixture, p % 4), p));
  g_assert_false (gtk_widget_get_sensitive (submit));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Put the last image into a bin");

  g_assert_true (drop (bin_target (fixture, 1), 19));
  g_assert_true (gtk_widget_get_sensitive (submit));
  g_assert_true (gtk_widget_activate_action (page, "sort.submit", NULL));
  g_assert_cmpuint (fixture->submitted, ==, 1);

  g_assert_true (gtk_widget_activate_action (page, "sort.undo", NULL));
  lk_ui_test_flush ();
  g_assert_false (gtk_widget_get_sensitive (submit));
}

static void
test_new_grid (Fixture       *fixture,
               gconstpointer  data)
{
  static const guint items[] = { 1, 2, 3, 4, 5, 6 };
  LkSortModel *next = lk_sort_model_new (items, G_N_ELEMENTS (items), 3, LK_SORT_RULE_ANY_PLACED);

  drop (bin_target (fixture, 1), 0);
  lk_sort_model_move (next, 4, 2);
  lk_sort_page_set_model (fixture->page, next, LK_IMAGE_SOURCE (fixture->source));
  lk_ui_test_flush ();

  g_assert_null (lk_sort_page_get_bin (fixture->page, 3));
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));

  lk_sort_page_set_model (fixture->page, NULL, NULL);
  g_assert_finalize_object (next);
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

#define ADD(path, rule, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (rule), fixture_set_up, func, fixture_tear_down)
  ADD ("/lk/ui/sort-page/layout", LK_SORT_RULE_ANY_PLACED, test_layout);
  ADD ("/lk/ui/sort-page/drops", LK_SORT_RULE_ANY_PLACED, test_drops);
  ADD ("/lk/ui/sort-page/keys", LK_SORT_RULE_ANY_PLACED, test_keys);
  ADD ("/lk/ui/sort-page/submit-rule", LK_SORT_RULE_ALL_PLACED, test_submit_rule);
  ADD ("/lk/ui/sort-page/new-grid", LK_SORT_RULE_ANY_PLACED, test_new_grid);
#undef ADD

  return g_test_run ();
}
