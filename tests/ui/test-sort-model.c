/* test-sort-model.c — the sorting state without a display: moves, undo, answer, log, rule
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "lk-locale.h"
#include "lk-sort-model.h"

static const guint items[] = { 17, 4, 93, 250, 8, 61 };

static void
count_moved_cb (LkSortModel *model,
                guint        position,
                gint         from,
                gint         to,
                guint       *count)
{
  (*count)++;
}

static void
test_moves (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 4, LK_SORT_RULE_ANY_PLACED);
  guint moved = 0;

  g_signal_connect (model, "moved", G_CALLBACK (count_moved_cb), &moved);
  g_assert_cmpuint (lk_sort_model_get_n_items (model), ==, 6);
  g_assert_cmpuint (lk_sort_model_get_nc (model), ==, 4);
  g_assert_cmpuint (lk_sort_model_get_item (model, 3), ==, 250);
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (model, LK_BIN_LEFT_OUT), ==, 6);

  g_assert_true (lk_sort_model_move (model, 2, 3));
  g_assert_true (lk_sort_model_move (model, 5, 3));
  g_assert_true (lk_sort_model_move (model, 0, 1));
  g_assert_false (lk_sort_model_move (model, 0, 1));
  g_assert_true (lk_sort_model_move (model, 5, 0));
  g_assert_true (lk_sort_model_move (model, 2, LK_BIN_LEFT_OUT));

  g_assert_cmpuint (moved, ==, 5);
  g_assert_cmpint (lk_sort_model_get_bin (model, 2), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (lk_sort_model_get_bin (model, 5), ==, 0);
  g_assert_cmpint (lk_sort_model_get_bin (model, 0), ==, 1);
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (model, 0), ==, 1);
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (model, 1), ==, 1);
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (model, 3), ==, 0);
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (model, LK_BIN_LEFT_OUT), ==, 4);

  g_assert_finalize_object (model);
}

static void
test_undo (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 3, LK_SORT_RULE_ANY_PLACED);
  const LkSortMove *moves;
  guint n_moves;

  g_assert_false (lk_sort_model_get_can_undo (model));
  g_assert_false (lk_sort_model_undo (model));

  lk_sort_model_move (model, 1, 0);
  lk_sort_model_move (model, 1, 2);
  lk_sort_model_move (model, 4, 1);
  g_assert_true (lk_sort_model_get_can_undo (model));

  /* Undo walks back one move at a time, not one image at a time. */
  g_assert_true (lk_sort_model_undo (model));
  g_assert_cmpint (lk_sort_model_get_bin (model, 4), ==, LK_BIN_LEFT_OUT);
  g_assert_true (lk_sort_model_undo (model));
  g_assert_cmpint (lk_sort_model_get_bin (model, 1), ==, 0);
  g_assert_true (lk_sort_model_undo (model));
  g_assert_cmpint (lk_sort_model_get_bin (model, 1), ==, LK_BIN_LEFT_OUT);
  g_assert_false (lk_sort_model_get_can_undo (model));
  g_assert_false (lk_sort_model_undo (model));

  /* The log keeps everything the participant did, the undos flagged. */
  moves = lk_sort_model_get_moves (model, &n_moves);
  g_assert_cmpuint (n_moves, ==, 6);
  g_assert_false (moves[2].undo);
  g_assert_true (moves[3].undo);
  g_assert_cmpuint (moves[3].position, ==, 4);
  g_assert_cmpint (moves[3].from, ==, 1);
  g_assert_cmpint (moves[3].to, ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (moves[5].from, ==, 0);
  g_assert_cmpint (moves[5].to, ==, LK_BIN_LEFT_OUT);

  g_assert_finalize_object (model);
}

static void
test_log (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 4, LK_SORT_RULE_ANY_PLACED);
  const LkSortMove *moves;
  guint n_moves;

  lk_sort_model_restart_clock (model);
  lk_sort_model_move (model, 3, 2);
  g_usleep (15000);
  lk_sort_model_move (model, 3, 1);

  moves = lk_sort_model_get_moves (model, &n_moves);
  g_assert_cmpuint (n_moves, ==, 2);
  g_assert_cmpuint (moves[0].position, ==, 3);
  g_assert_cmpuint (moves[0].item, ==, 250);
  g_assert_cmpint (moves[0].from, ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (moves[0].to, ==, 2);
  g_assert_cmpint (moves[1].from, ==, 2);
  g_assert_cmpint (moves[1].to, ==, 1);
  g_assert_cmpint (moves[0].ms, >=, 0);
  g_assert_cmpint (moves[1].ms, >=, moves[0].ms + 15);
  g_assert_cmpint (lk_sort_model_get_elapsed_ms (model), >=, moves[1].ms);

  g_assert_finalize_object (model);
}

static void
test_answer (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 2, LK_SORT_RULE_ANY_PLACED);
  g_autoptr(LkQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  const gint *answer;

  lk_sort_model_move (model, 0, 1);
  lk_sort_model_move (model, 1, 0);
  lk_sort_model_move (model, 2, 1);
  lk_sort_model_move (model, 5, 0);

  answer = lk_sort_model_get_answer (model);
  g_assert_cmpint (answer[0], ==, 1);
  g_assert_cmpint (answer[1], ==, 0);
  g_assert_cmpint (answer[2], ==, 1);
  g_assert_cmpint (answer[3], ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (answer[4], ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (answer[5], ==, 0);

  query = lk_sort_model_to_query (model, &error);
  g_assert_no_error (error);
  g_assert_true (lk_query_is_answered (query));
  g_assert_cmpuint (lk_query_get_n_items (query), ==, 6);
  g_assert_cmpuint (lk_query_get_item (query, 5), ==, 61);
  g_assert_cmpint (lk_query_get_bin (query, 2), ==, 1);
  g_assert_cmpint (lk_query_get_bin (query, 4), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (lk_query_pair_result (query, 0, 2), ==, LK_PAIR_POSITIVE);
  g_assert_cmpint (lk_query_pair_result (query, 0, 1), ==, LK_PAIR_NEGATIVE);

  g_assert_finalize_object (model);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_rule_any (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 4, LK_SORT_RULE_ANY_PLACED);
  g_autoptr(GError) error = NULL;
  LkQuery *query;
  guint notified = 0;

  g_signal_connect (model, "notify::can-submit", G_CALLBACK (count_notify_cb), &notified);

  g_assert_false (lk_sort_model_get_can_submit (model));
  g_assert_cmpstr (lk_sort_model_get_reason (model), ==, "Put at least one image into a bin");
  query = lk_sort_model_to_query (model, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (query);

  lk_sort_model_move (model, 4, 2);
  g_assert_true (lk_sort_model_get_can_submit (model));
  g_assert_null (lk_sort_model_get_reason (model));
  lk_sort_model_move (model, 1, 2);
  g_assert_cmpuint (notified, ==, 1);

  lk_sort_model_undo (model);
  lk_sort_model_undo (model);
  g_assert_false (lk_sort_model_get_can_submit (model));
  g_assert_cmpuint (notified, ==, 2);

  g_assert_finalize_object (model);
}

static void
test_rule_all (void)
{
  LkSortModel *model = lk_sort_model_new (items, G_N_ELEMENTS (items), 3, LK_SORT_RULE_ALL_PLACED);

  g_assert_cmpint (lk_sort_model_get_rule (model), ==, LK_SORT_RULE_ALL_PLACED);
  g_assert_cmpstr (lk_sort_model_get_reason (model), ==, "Put the 6 remaining images into bins");
  for (guint i = 0; i < 5; i++)
    lk_sort_model_move (model, i, i % 3);
  g_assert_false (lk_sort_model_get_can_submit (model));
  g_assert_cmpstr (lk_sort_model_get_reason (model), ==, "Put the last image into a bin");
  lk_sort_model_move (model, 5, 0);
  g_assert_true (lk_sort_model_get_can_submit (model));
  lk_sort_model_move (model, 5, LK_BIN_LEFT_OUT);
  g_assert_false (lk_sort_model_get_can_submit (model));

  g_assert_finalize_object (model);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/ui/sort-model/moves", test_moves);
  g_test_add_func ("/lk/ui/sort-model/undo", test_undo);
  g_test_add_func ("/lk/ui/sort-model/log", test_log);
  g_test_add_func ("/lk/ui/sort-model/answer", test_answer);
  g_test_add_func ("/lk/ui/sort-model/rule-any", test_rule_any);
  g_test_add_func ("/lk/ui/sort-model/rule-all", test_rule_all);

  return g_test_run ();
}
