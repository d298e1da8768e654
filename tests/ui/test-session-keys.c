/* test-session-keys.c — a participant's session with real key presses only (xdotool at the
 * test's own window): the sequence that crashed GTK 4.8's flow box, and seeded random key
 * sequences through several grids, with the page checked against its sort model throughout
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-bin-private.h"
#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-session-view-test.h"
#include "lk-sort-page-private.h"

typedef struct {
  SessionViewTest s;
  LkKeysTest      keys;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  LkSessionSetup setup;

  session_test_setup (&setup);
  setup.n_practice = 1;
  session_view_test_show (&fixture->s, &setup, "P-KEYS");
  lk_keys_test_init (&fixture->keys, fixture->s.window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  session_view_test_free (&fixture->s);
}

static void
type (Fixture    *fixture,
      const char *names)
{
  lk_keys_test_type (&fixture->keys, fixture->s.window, names);
}

static LkSortPage *
sort_page (Fixture *fixture)
{
  return lk_session_view_get_sort_page (fixture->s.view);
}

/* Returns the position of the image whose place has the keyboard focus, or -1. */
static int
focused_position (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->s.window));
  LkSortModel *model = lk_sort_page_get_model (sort_page (fixture));

  for (guint p = 0; focus != NULL && p < lk_sort_model_get_n_items (model); p++)
    {
      GtkWidget *place = lk_sort_page_get_place (sort_page (fixture), p);

      if (focus == place || gtk_widget_is_ancestor (focus, place))
        return (int) p;
    }

  return -1;
}

/* Fails unless every image is where the model says: in its place in the grid, or in its bin,
 * each bin counting what it holds; and the focus, if any, is on a widget of the window. */
static void
assert_page_matches_model (Fixture *fixture)
{
  LkSortPage *page = sort_page (fixture);
  LkSortModel *model = lk_sort_page_get_model (page);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->s.window));

  g_assert_nonnull (model);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    {
      GtkWidget *tile = GTK_WIDGET (lk_sort_page_get_tile (page, p));
      gint bin = lk_sort_model_get_bin (model, p);

      if (bin == LK_BIN_LEFT_OUT)
        g_assert_true (gtk_widget_is_ancestor (tile, lk_sort_page_get_place (page, p)));
      else
        g_assert_true (gtk_widget_is_ancestor (tile, GTK_WIDGET (lk_sort_page_get_bin (page, bin))));
    }
  for (guint b = 0; b < lk_sort_model_get_nc (model); b++)
    g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (page, b)), ==,
                      lk_sort_model_get_n_in_bin (model, (gint) b));
  if (focus != NULL)
    g_assert_true (gtk_widget_get_root (focus) == GTK_ROOT (fixture->s.window));
}

/* On the practice grid Tab, Right, 1, Enter; Continue; then Right on grid 1.
 * GTK 4.8's flow box kept its cursor on the image filed by 1, freed with the practice grid, and
 * the next arrow key read it (SIGSEGV in g_sequence_iter_next). */
static void
test_crash_sequence (Fixture       *fixture,
                     gconstpointer  data)
{
  session_view_test_activate (&fixture->s, "session.accept");
  session_view_test_activate (&fixture->s, "session.begin");
  g_assert_cmpstr (lk_session_view_get_page (fixture->s.view), ==, "sort");
  g_assert_true (lk_session_is_practice (fixture->s.session));

  type (fixture, "Tab Right 1 Return");
  g_assert_cmpstr (lk_session_view_get_page (fixture->s.view), ==, "practice-done");
  session_view_test_activate (&fixture->s, "session.begin");
  g_assert_cmpstr (lk_session_view_get_page (fixture->s.view), ==, "sort");
  g_assert_false (lk_session_is_practice (fixture->s.session));

  type (fixture, "Right");
  assert_page_matches_model (fixture);
  g_assert_cmpint (focused_position (fixture), ==, 1);
}

/* Random keys, with a seed from the test data, through every grid of the session: the pages
 * between grids are passed with their actions, as the participant's click would. */
static void
test_random_keys (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *const names[] = {
    "Left", "Right", "Up", "Down", "Left", "Right", "Up", "Down",
    "1", "2", "3", "0", "BackSpace", "Return", "ctrl+z", "Tab",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (GPOINTER_TO_UINT (data));
  guint n_typed = 0;

  session_view_test_activate (&fixture->s, "session.accept");
  session_view_test_activate (&fixture->s, "session.begin");
  while (lk_session_get_state (fixture->s.session) != LK_SESSION_DONE)
    {
      g_autoptr(GString) batch = g_string_new (NULL);
      LkSessionState state = lk_session_get_state (fixture->s.session);

      g_assert_cmpuint (n_typed, <, 3000);
      if (state == LK_SESSION_PRACTICE_DONE)
        session_view_test_activate (&fixture->s, "session.begin");
      else if (state == LK_SESSION_BREAK)
        session_view_test_activate (&fixture->s, "session.resume");
      g_assert_cmpint (lk_session_get_state (fixture->s.session), ==, LK_SESSION_SORTING);

      for (guint i = 0; i < 6; i++)
        g_string_append_printf (batch, i > 0 ? " %s" : "%s",
                                names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))]);
      g_test_message ("state %d: %s", lk_session_get_state (fixture->s.session), batch->str);
      type (fixture, batch->str);
      n_typed += 6;
      if (lk_session_get_state (fixture->s.session) == LK_SESSION_SORTING)
        assert_page_matches_model (fixture);
    }

  g_assert_cmpuint (lk_session_get_n_answered (fixture->s.session), ==, 7);
  g_test_message ("%u keys typed", n_typed);
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");
  if (!lk_keys_test_available ())
    {
      g_print ("1..0 # SKIP no xdotool or no X11 display\n");
      return 0;
    }

  g_test_add ("/lk/ui/session-keys/crash-sequence", Fixture, NULL, fixture_set_up,
              test_crash_sequence, fixture_tear_down);
  for (guint seed = 1; seed <= 3; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/ui/session-keys/random/%u", seed);

      g_test_add (path, Fixture, GUINT_TO_POINTER (seed), fixture_set_up, test_random_keys,
                  fixture_tear_down);
    }

  return g_test_run ();
}
