/* test-session-exam.c — training and exam blocks (paper 002): the pass/fail decision on
 * hand-made scores, the feedback's groups on a hand-made answer, a study file's plan
 * training:2,exam:2,sort:3 driven with real keys once passing (3 grids sorted, the exam's
 * answers stored with their gold grids and left out of the model) and once failing (the end
 * page, the participant not qualified in the file, no sorting answer), a block cut to the gold
 * grids there are, and the in-memory demo's plan with training or an exam refused
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-answers.h"
#include "lk-gold-feedback.h"
#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-participants.h"
#include "lk-session-settings.h"
#include "lk-session-test.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"
#include "lk-store-private.h"
#include "lk-study-run.h"
#include "lk-study-test.h"

#define PLAN "training:2,exam:2,sort:3"

/* The known answers: two training pages (4 and 6 images) and two exam grids (8 and 6), their
 * bins in display order. */
static const gint train_a[] = { 0, 0, 1, 1 };
static const gint train_b[] = { 0, 1, 2, 0, 1, 2 };
static const gint exam_a[] = { 0, 0, 1, 1, 2, 2, 0, 1 };
static const gint exam_b[] = { 1, 1, 0, 0, 2, 2 };

typedef struct {
  char        *dir;
  char        *images;
  char        *path;
  LkStudy     *study;
  LkStudyRun  *run;
  LkSession   *session;
  GtkWindow   *window;
  LkSessionView *view;
  LkKeysTest   keys;
} Fixture;

/* Adds a known answer of @n images starting at image @first. */
static void
add_gold (LkStore    *store,
          const char *name,
          LkGoldUse   use,
          const char *instructions,
          guint       first,
          const gint *bins,
          guint       n,
          guint       nc)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *items = g_new (guint, n);
  g_autoptr(LkQuery) answer = NULL;

  for (guint i = 0; i < n; i++)
    items[i] = first + i;
  answer = lk_query_new (items, n);
  g_assert_true (lk_query_set_answer (answer, bins, nc, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_gold_add (store, name, use, instructions, "overview", answer, nc, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkStore *store;

  f->dir = study_test_tmpdir ();
  f->images = g_build_filename (f->dir, "images", NULL);
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  g_assert_cmpint (g_mkdir (f->images, 0700), ==, 0);
  study_test_create (f->path, f->images, 24);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  add_gold (store, "train-a", LK_GOLD_USE_TRAINING, "Two pairs here.", 0, train_a, 4, 2);
  add_gold (store, "train-b", LK_GOLD_USE_TRAINING, NULL, 4, train_b, 6, 3);
  add_gold (store, "exam-a", LK_GOLD_USE_EXAM, NULL, 10, exam_a, 8, 3);
  add_gold (store, "exam-b", LK_GOLD_USE_EXAM, NULL, 18, exam_b, 6, 3);
  g_clear_pointer (&store, lk_store_close);

  f->study = lk_study_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (f->window);
      lk_ui_test_flush ();
    }
  if (f->run != NULL)
    lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (f->run)));
  if (f->session != NULL)
    g_assert_finalize_object (f->session);
  if (f->run != NULL)
    g_assert_finalize_object (f->run);
  g_assert_finalize_object (f->study);
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->path);
}

/* Returns a session of @code on the fixture's study with @plan, or NULL with @error set. */
static LkSession *
new_session (Fixture     *f,
             const char  *code,
             const char  *plan_text,
             GError     **error)
{
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;
  LkPlan plan;

  lk_study_get_setup (f->study, &setup);
  if (f->run == NULL)
    {
      f->run = lk_study_run_new (f->study, "test-station", error);
      g_assert_nonnull (f->run);
    }
  g_assert_true (lk_plan_parse (plan_text, &plan, NULL));
  session = lk_session_new (LK_IMAGE_SOURCE (f->study), &setup, code, FALSE,
                            LK_GRID_SOURCE (f->run), error);
  g_assert_nonnull (session);
  if (!lk_session_set_plan (session, &plan, error))
    return NULL;

  return g_steal_pointer (&session);
}

/* Starts @code's session with the plan in a window with its view. */
static void
show_session (Fixture    *f,
              const char *code)
{
  g_autoptr(GError) error = NULL;

  f->session = new_session (f, code, PLAN, &error);
  g_assert_no_error (error);
  f->view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (f->view, f->session);
  f->window = lk_ui_test_show (GTK_WIDGET (f->view));
  lk_keys_test_init (&f->keys, f->window);
}

static void
type (Fixture    *f,
      const char *names)
{
  lk_keys_test_type (&f->keys, f->window, names);
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
  lk_ui_test_flush ();
}

static void
assert_page (Fixture    *f,
             const char *page)
{
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_session_view_get_page (f->view), ==, page);
}

/* Types the keys that file the grid shown as @bins (each image's bin, in display order, all
 * placed) and submit it: the focus goes to the first image (Home twice: the first may only
 * bring the focus back to the images), and each number key files the focused image and moves
 * on to the next one in the grid. */
static void
type_answer (Fixture    *f,
             const gint *bins,
             guint       n)
{
  g_autoptr(GString) keys = g_string_new ("Tab Home Home");

  g_assert_cmpuint (lk_sort_model_get_n_items (lk_session_get_model (f->session)), ==, n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (keys, " %d", bins[i] + 1);
  g_string_append (keys, " Return");
  type (f, keys->str);
}

static gboolean
feedback_ready (gpointer data)
{
  return lk_session_view_get_feedback_ready (data);
}

/* Returns the first column of the first row of @sql on the study's file, as a number. */
static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (lk_store_query_int (lk_study_get_store (f->study), sql, 0, &value, &error));
  g_assert_no_error (error);

  return value;
}

/* The two training pages with their steps and feedback, one exactly right and one all wrong;
 * nothing of them is stored. Leaves the session on the exam's instructions. */
static void
do_training (Fixture *f)
{
  const char *text;

  activate (f, "session.accept");
  assert_page (f, "instructions");
  g_assert_cmpint (lk_session_get_kind (f->session), ==, LK_TASK_TRAINING);
  activate (f, "session.begin");
  assert_page (f, "sort");
  g_assert_false (lk_session_is_practice (f->session));
  g_assert_cmpuint (lk_session_get_n_grids (f->session), ==, 2);
  text = lk_session_view_get_gold_text (f->view);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Training page 1 of 2"));
  g_assert_nonnull (strstr (text, "Two pairs here."));
  /* The gold grid's own two bins, not the study's three. */
  g_assert_cmpuint (lk_sort_model_get_nc (lk_session_get_model (f->session)), ==, 2);

  type_answer (f, train_a, G_N_ELEMENTS (train_a));
  assert_page (f, "feedback");
  g_assert_cmpstr (lk_session_view_get_feedback_title (f->view), ==, "Your Score: 100 of 100");
  lk_ui_test_wait_for (feedback_ready, f->view);
  type (f, "Return");
  assert_page (f, "sort");
  g_assert_nonnull (strstr (lk_session_view_get_gold_text (f->view), "Training page 2 of 2"));

  /* Everything in the first bin: no known group kept, 0 points, and one row per group. */
  {
    static const gint wrong[] = { 0, 0, 0, 0, 0, 0 };
    GtkWidget *groups = lk_session_view_get_feedback_groups (f->view);
    guint n_rows = 0;

    type_answer (f, wrong, G_N_ELEMENTS (wrong));
    assert_page (f, "feedback");
    g_assert_cmpstr (lk_session_view_get_feedback_title (f->view), ==, "Your Score: 0 of 100");
    for (GtkWidget *row = gtk_widget_get_first_child (groups); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      n_rows++;
    g_assert_cmpuint (n_rows, ==, 3);
  }
  lk_ui_test_wait_for (feedback_ready, f->view);
  type (f, "Return");
  assert_page (f, "break");
  g_assert_true (lk_session_get_between_blocks (f->session));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM answer"), ==, 0);

  activate (f, "session.resume");
  assert_page (f, "instructions");
  g_assert_cmpint (lk_session_get_kind (f->session), ==, LK_TASK_EXAM);
  activate (f, "session.begin");
  assert_page (f, "sort");
  g_assert_nonnull (strstr (lk_session_view_get_gold_text (f->view), "Test grid 1 of 2"));
}

static void
test_pass (Fixture       *f,
           gconstpointer  data)
{
  static const gint sorted[] = { 0, 1, 2, 0, 1, 2, 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  const LkParticipantInfo *info;

  show_session (f, "P-PASS");
  do_training (f);

  /* The exam, answered right: no feedback between its grids. */
  type_answer (f, exam_a, G_N_ELEMENTS (exam_a));
  assert_page (f, "sort");
  g_assert_nonnull (strstr (lk_session_view_get_gold_text (f->view), "Test grid 2 of 2"));
  type_answer (f, exam_b, G_N_ELEMENTS (exam_b));
  g_assert_cmpfloat_with_epsilon (lk_session_get_exam_mean (f->session), 100, 1e-9);
  assert_page (f, "break");
  activate (f, "session.resume");
  g_assert_cmpint (lk_session_get_kind (f->session), ==, LK_TASK_SORT);
  activate (f, "session.begin");
  for (guint g = 1; g <= 3; g++)
    {
      assert_page (f, "sort");
      g_assert_null (lk_session_view_get_gold_text (f->view));
      g_assert_cmpuint (lk_session_get_grid_number (f->session), ==, g);
      type_answer (f, sorted, G_N_ELEMENTS (sorted));
    }
  assert_page (f, "done");

  /* In the file: the two exam answers with their gold grids, the three sorting answers, and
   * the participant still active. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                                 "WHERE q.kind = 'exam' AND q.gold IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                                 "WHERE q.kind = 'sort'"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM participant WHERE code = 'P-PASS' AND "
                                 "status = 'active'"), ==, 1);

  /* The participants' figures count the exam; the model (replayed) does not. */
  infos = lk_participants_list (lk_study_get_store (f->study), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  info = g_ptr_array_index (infos, 0);
  g_assert_cmpuint (info->gold_grids, ==, 2);
  g_assert_cmpfloat_with_epsilon (info->gold_score, 100, 1e-9);
  refiner = lk_answers_rebuild (lk_study_get_store (f->study), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_answers (refiner)->len, ==, 3);

  /* The exam's queries and answers keep the study file's invariants. */
  {
    g_autofree char *report = NULL;
    gboolean ok = lk_store_check (lk_study_get_store (f->study), &report, &error);

    g_assert_no_error (error);
    if (!ok)
      g_error ("check: %s", report);
  }
}

static void
test_fail (Fixture       *f,
           gconstpointer  data)
{
  static const gint one_bin[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkSession) again = NULL;

  show_session (f, "P-FAIL");
  do_training (f);

  /* Everything in one bin: no known group matched, 0 each, below the pass mark of 80. */
  type_answer (f, one_bin, 8);
  assert_page (f, "sort");
  type_answer (f, one_bin, 6);
  g_assert_cmpfloat_with_epsilon (lk_session_get_exam_mean (f->session), 0, 1e-9);
  g_assert_cmpint (lk_session_get_state (f->session), ==, LK_SESSION_NOT_QUALIFIED);
  assert_page (f, "not-qualified");

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM participant WHERE code = 'P-FAIL' AND "
                                 "status = 'not_qualified'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                                 "WHERE q.kind = 'exam' AND q.gold IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                                 "WHERE q.kind = 'sort'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM session WHERE ended IS NOT NULL"), ==, 1);

  /* The same code again is refused before consent. */
  again = new_session (f, "P-FAIL", PLAN, &error);
  g_assert_null (again);
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NOT_QUALIFIED);
}

/* Answers @session's training (right) and exam (@bins each), without the view. */
static void
pass_gold_blocks (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  static const gint *const exams[] = { exam_a, exam_b };

  lk_session_accept_consent (session);
  lk_session_begin (session);
  for (guint page = 0; page < 2; page++)
    {
      LkSortModel *model = lk_session_get_model (session);
      const LkGoldGrid *gold = lk_session_get_gold (session);

      for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
        lk_sort_model_move (model, p, lk_query_get_bin (gold->answer, p));
      g_assert_true (lk_session_submit (session, &error));
      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_FEEDBACK);
      g_assert_true (lk_session_continue (session, &error));
      g_assert_no_error (error);
    }
  lk_session_resume (session);
  lk_session_begin (session);
  for (guint g = 0; g < 2; g++)
    {
      LkSortModel *model = lk_session_get_model (session);

      for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
        lk_sort_model_move (model, p, exams[g][p]);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_BREAK);
  lk_session_resume (session);
  lk_session_begin (session);
  g_assert_cmpint (lk_session_get_kind (session), ==, LK_TASK_SORT);
}

/* A participant who passed and sorted one grid comes back to the second grid of the sorting
 * block: the exam's answers count as done, the training (not stored) is not shown again; the
 * same with the run that served them and with a new run read from the file. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkSortModel *model;

  f->session = new_session (f, "P-BACK", PLAN, &error);
  g_assert_no_error (error);
  pass_gold_blocks (f->session);
  model = lk_session_get_model (f->session);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % 3));
  g_assert_true (lk_session_submit (f->session, &error));
  g_assert_no_error (error);
  g_assert_true (lk_session_end (f->session, &error));
  g_assert_finalize_object (g_steal_pointer (&f->session));

  for (guint r = 0; r < 2; r++)
    {
      g_autoptr(LkSession) back = NULL;

      if (r == 1)
        {
          lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (f->run)));
          g_assert_finalize_object (g_steal_pointer (&f->run));
        }
      back = new_session (f, "P-BACK", PLAN, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (lk_session_get_block (back, NULL), ==, 2);
      lk_session_accept_consent (back);
      lk_session_begin (back);
      g_assert_cmpint (lk_session_get_kind (back), ==, LK_TASK_SORT);
      g_assert_cmpuint (lk_session_get_grid_number (back), ==, 2);
    }
}

/* Returns the first mapped button under @widget whose action is @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Fails unless @widget lies wholly inside @width x @height of @window, or inside a scrolled
 * window that does. */
static void
assert_inside (GtkWidget  *window,
               GtkWidget  *widget,
               int         width,
               int         height)
{
  graphene_rect_t bounds;

  g_assert_nonnull (widget);
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) != NULL)
    widget = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
}

/* A training page with its steps, and its feedback, fit a 1024x600 screen: the window keeps
 * the size the main window's content has there (600 less its header bar), with Submit, every
 * image and Continue inside. */
static void
test_small_screen (Fixture       *f,
                   gconstpointer  data)
{
  static const int width = 1024, height = 600 - 50;
  g_autoptr(GError) error = NULL;
  GtkWidget *w;
  LkSortPage *page;

  f->session = new_session (f, "P-SMALL", PLAN, &error);
  g_assert_no_error (error);
  f->view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (f->view, f->session);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  lk_ui_test_wait_mapped (GTK_WIDGET (f->view));
  w = GTK_WIDGET (f->window);

  activate (f, "session.accept");
  activate (f, "session.begin");
  lk_ui_test_wait_painted (w);
  page = lk_session_view_get_sort_page (f->view);
  g_assert_nonnull (lk_session_view_get_gold_text (f->view));
  g_assert_cmpint (gtk_widget_get_width (w), <=, width);
  g_assert_cmpint (gtk_widget_get_height (w), <=, height);
  assert_inside (w, find_button (GTK_WIDGET (page), "sort.submit"), width, height);
  for (guint p = 0; p < G_N_ELEMENTS (train_a); p++)
    assert_inside (w, GTK_WIDGET (lk_sort_page_get_tile (page, p)), width, height);

  for (guint p = 0; p < G_N_ELEMENTS (train_a); p++)
    lk_sort_model_move (lk_session_get_model (f->session), p, train_a[p]);
  g_assert_true (lk_session_submit (f->session, &error));
  assert_page (f, "feedback");
  lk_ui_test_wait_for (feedback_ready, f->view);
  lk_ui_test_wait_painted (w);
  g_assert_cmpint (gtk_widget_get_height (w), <=, height);
  assert_inside (w, find_button (GTK_WIDGET (f->view), "session.continue"), width, height);
}

/* A plan asking for more gold grids than the study has shows those there are; the study's
 * pass mark is the setting `pass-mark`. */
static void
test_fewer_gold (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };

  f->session = new_session (f, "P-FEW", "training:5,exam:4,sort:3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_session_get_n_gold (f->session, LK_TASK_TRAINING), ==, 2);
  g_assert_cmpuint (lk_session_get_n_gold (f->session, LK_TASK_EXAM), ==, 2);
  lk_session_accept_consent (f->session);
  lk_session_begin (f->session);
  g_assert_cmpuint (lk_session_get_n_grids (f->session), ==, 2);

  g_assert_cmpfloat (lk_grid_source_get_pass_mark (LK_GRID_SOURCE (f->run)), ==, 80);
  lk_session_settings_init (&settings);
  g_assert_true (lk_session_settings_set (&settings, "pass-mark", "62.5", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_save_session_settings (lk_study_get_store (f->study), &settings,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (lk_grid_source_get_pass_mark (LK_GRID_SOURCE (f->run)), ==, 62.5);
  g_assert_false (lk_session_settings_set (&settings, "pass-mark", "101", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

/* The decision on hand-made scores: the mean must be at least the pass mark. */
static void
test_decision (void)
{
  static const double pair[] = { 100, 60 };
  static const double low_pair[] = { 100, 50 };
  static const double five[] = { 100, 100, 100, 100, 0 };
  static const double thirds[] = { 100, 100.0 * 2 / 3, 100.0 * 2 / 3 };

  /* 100 and 60: a mean of exactly 80, which is "at least 80" (paper 002): a pass. */
  g_assert_true (lk_session_exam_passes (pair, 2, 80));
  g_assert_false (lk_session_exam_passes (pair, 2, 80.5));
  g_assert_false (lk_session_exam_passes (low_pair, 2, 80));
  /* Paper 002's demo: one page of five wrong still passes at 80. */
  g_assert_true (lk_session_exam_passes (five, 5, 80));
  g_assert_false (lk_session_exam_passes (five, 4 + 1, 80.01));
  /* 77.8 by thirds (partial answers): below 80, above 75. */
  g_assert_false (lk_session_exam_passes (thirds, 3, 80));
  g_assert_true (lk_session_exam_passes (thirds, 3, 75));
  g_assert_true (lk_session_exam_passes (NULL, 0, 80));
}

/* The feedback's groups on a hand-made answer: a kept group, a split one, a mixed one. */
static void
test_groups_kept (void)
{
  static const guint items[] = { 3, 5, 7, 9, 11, 13 };
  static const gint known[] = { 0, 0, 1, 1, 2, LK_BIN_LEFT_OUT };
  /* Bins renamed (2 for 0) and group 1 split; image 13 left out as it should be, but image 11
   * of group 2 put with group 1's half, so group 2 is not kept. */
  static const gint theirs[] = { 2, 2, 0, 1, 1, LK_BIN_LEFT_OUT };
  g_autoptr(LkQuery) answer = lk_query_new (items, 6);
  LkGoldGrid gold = { .nc = 3 };
  g_autoptr(GError) error = NULL;

  gold.answer = lk_query_new (items, 6);
  g_assert_true (lk_query_set_answer (gold.answer, known, 3, &error));
  g_assert_true (lk_query_set_answer (answer, theirs, 3, &error));
  g_assert_no_error (error);
  g_assert_true (lk_gold_feedback_group_kept (&gold, answer, 0));
  g_assert_false (lk_gold_feedback_group_kept (&gold, answer, 1));
  g_assert_false (lk_gold_feedback_group_kept (&gold, answer, 2));
  g_assert_true (lk_gold_feedback_group_kept (&gold, answer, LK_BIN_LEFT_OUT));
  lk_query_free (gold.answer);
}

/* The in-memory demo has no known answers: a plan with training or an exam is refused with
 * what to do, before consent. */
static void
test_memory_no_gold (void)
{
  LkSessionSetup setup;
  g_autoptr(LkDemoCollection) source = NULL;
  g_autoptr(LkMemoryRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  LkPlan plan;

  session_test_setup (&setup);
  session = session_test_new (&setup, "P-DEMO", FALSE, &source, &run);
  g_assert_true (lk_plan_parse ("training:2,sort:3", &plan, NULL));
  g_assert_false (lk_session_set_plan (session, &plan, &error));
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NO_GOLD);
  g_assert_nonnull (strstr (error->message, "training"));
  g_clear_error (&error);
  g_assert_true (lk_plan_parse ("sort:3,exam:1", &plan, NULL));
  g_assert_false (lk_session_set_plan (session, &plan, &error));
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NO_GOLD);
  g_assert_nonnull (strstr (error->message, "exam"));
  g_clear_error (&error);
  /* Nothing changed: the session still runs without a plan. */
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_CONSENT);
  g_assert_cmpuint (lk_session_get_block (session, NULL), ==, 0);
  g_assert_true (lk_plan_parse ("sort:3", &plan, NULL));
  g_assert_true (lk_session_set_plan (session, &plan, &error));
  g_assert_no_error (error);
  session_test_free (g_steal_pointer (&session), g_steal_pointer (&run),
                     g_steal_pointer (&source));
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

  g_test_add_func ("/lk/ui/session-exam/decision", test_decision);
  g_test_add_func ("/lk/ui/session-exam/groups-kept", test_groups_kept);
  g_test_add_func ("/lk/ui/session-exam/memory-no-gold", test_memory_no_gold);
  g_test_add ("/lk/ui/session-exam/fewer-gold", Fixture, NULL, fixture_set_up, test_fewer_gold,
              fixture_tear_down);
  g_test_add ("/lk/ui/session-exam/resume", Fixture, NULL, fixture_set_up, test_resume,
              fixture_tear_down);
  g_test_add ("/lk/ui/session-exam/small-screen", Fixture, NULL, fixture_set_up,
              test_small_screen, fixture_tear_down);
  if (lk_keys_test_available ())
    {
      g_test_add ("/lk/ui/session-exam/pass", Fixture, NULL, fixture_set_up, test_pass,
                  fixture_tear_down);
      g_test_add ("/lk/ui/session-exam/fail", Fixture, NULL, fixture_set_up, test_fail,
                  fixture_tear_down);
    }

  return g_test_run ();
}
