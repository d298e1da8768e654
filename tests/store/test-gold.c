/* test-gold.c — known answers: stored, listed, removed, imported from and exported to CSV
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-store-test.h"
#include "lk-gold.h"

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, 20);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->store, lk_store_close);
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static LkQuery *
answer_of (const guint *items,
           const gint  *bins,
           guint        n,
           guint        nc)
{
  LkQuery *q = lk_query_new (items, n);

  g_assert_true (lk_query_set_answer (q, bins, nc, NULL));

  return q;
}

static char *
write_csv (Fixture    *f,
           const char *name,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);

  return path;
}

static void
test_add_list_remove (Fixture       *f,
                      gconstpointer  data)
{
  const guint items[] = { 4, 9, 2, 7 };
  const gint bins[] = { 1, 0, LK_BIN_LEFT_OUT, 1 };
  g_autoptr(LkQuery) answer = answer_of (items, bins, 4, 2);
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  LkGoldGrid *grid;
  gint64 id, other;

  id = lk_gold_add (f->store, "dresses 1", LK_GOLD_USE_TRAINING, "Use colour 1 for red",
                    "overview", answer, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* A name is used once. */
  other = lk_gold_add (f->store, "dresses 1", LK_GOLD_USE_EXAM, NULL, "overview", answer, 2,
                       &error);
  g_assert_cmpint (other, ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  grids = lk_gold_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (grids->len, ==, 1);
  grid = g_ptr_array_index (grids, 0);
  g_assert_cmpint (grid->id, ==, id);
  g_assert_cmpstr (grid->name, ==, "dresses 1");
  g_assert_cmpint (grid->use, ==, LK_GOLD_USE_TRAINING);
  g_assert_cmpstr (grid->instructions, ==, "Use colour 1 for red");
  g_assert_cmpstr (grid->source, ==, "overview");
  g_assert_cmpuint (grid->nc, ==, 2);
  g_assert_cmpuint (lk_query_get_n_items (grid->answer), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (lk_query_get_item (grid->answer, i), ==, items[i]);
      g_assert_cmpint (lk_query_get_bin (grid->answer, i), ==, bins[i]);
    }

  /* A known answer that was shown stays. */
  g_assert_true (lk_store_exec (f->store,
                                "INSERT INTO query (phase, policy, embedding_version, state, drawn, "
                                "created, gold) VALUES (0, 'gold', 0, 'served', 0, 'now', 1)",
                                &error));
  g_assert_false (lk_gold_remove (f->store, id, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_store_exec (f->store, "DELETE FROM query", &error));
  g_assert_true (lk_gold_remove (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_false (lk_gold_remove (f->store, id, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

/* An exam answered once the study's last phase is stored (a session begun before it) goes
 * into the last phase: a query beyond the study's phases is damage to lk_store_check(). */
static void
test_exam_after_last_phase (Fixture       *f,
                            gconstpointer  data)
{
  const guint items[] = { 4, 9, 2, 7 };
  const gint bins[] = { 1, 0, LK_BIN_LEFT_OUT, 1 };
  g_autoptr(LkQuery) answer = answer_of (items, bins, 4, 2);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  guint phases = lk_store_get_params (f->store)->phases;
  gint64 gold, participant, session, id, phase;

  gold = lk_gold_add (f->store, "exam 1", LK_GOLD_USE_EXAM, NULL, "overview", answer, 2, &error);
  g_assert_no_error (error);
  participant = lk_store_add_participant (f->store, "P1", FALSE, FALSE, NULL, &error);
  session = lk_store_begin_session (f->store, participant, "station-a", &error);
  g_assert_no_error (error);

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (f->store, refiner, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 qid = g_array_index (ids, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (f->store, qid, NULL, &error);

          store_test_answer (q, lk_store_get_params (f->store)->nc, i);
          g_assert_cmpint (lk_answers_save (f->store, qid, q, session, 0, 1, NULL, 0, &error),
                           >, 0);
          lk_refiner_add_answer (refiner, q);
        }
      g_assert_true (lk_answers_end_phase (f->store, refiner, NULL, &error));
      g_assert_no_error (error);
    }

  id = lk_gold_save_answer (f->store, gold, LK_TASK_EXAM, answer, session, 2, 3, NULL, 0,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (lk_store_query_int (f->store, "SELECT max(phase) FROM query", 0, &phase,
                                     &error));
  g_assert_cmpint (phase, ==, phases - 1);
  g_assert_true (lk_store_check (f->store, &report, &error));
  g_assert_no_error (error);
}

static void
test_add_refused (Fixture       *f,
                  gconstpointer  data)
{
  const guint twice[] = { 1, 1, 2 };
  const guint far[] = { 1, 2, 20 };
  const guint ok[] = { 1, 2, 3 };
  const gint bins[] = { 0, 1, 1 };
  const gint out[] = { LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT };
  g_autoptr(LkQuery) a = answer_of (twice, bins, 3, 2);
  g_autoptr(LkQuery) b = answer_of (far, bins, 3, 2);
  g_autoptr(LkQuery) c = answer_of (ok, out, 3, 2);
  g_autoptr(LkQuery) d = answer_of (ok, bins, 3, 2);
  g_autoptr(GPtrArray) grids = NULL;
  LkQuery *bad[] = { a, b, c };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (lk_gold_add (f->store, "g", LK_GOLD_USE_EXAM, NULL, "overview", bad[i], 2,
                                    &error), ==, 0);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (lk_gold_add (f->store, "", LK_GOLD_USE_EXAM, NULL, "overview", d, 2,
                                  &error), ==, 0);
    g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  }
  grids = lk_gold_list (f->store, NULL);
  g_assert_cmpuint (grids->len, ==, 0);
}

#define HEADER "gold,use,position,image,bin,instructions\n"

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  /* Rows of a grid in any order, a byte order mark and CRLF line ends, a quoted field. */
  g_autofree char *csv = write_csv (f, "gold.csv",
    "\xEF\xBB\xBF" HEADER
    "exam A,exam,1,img3.png,0,\r\n"
    "exam A,exam,0,img5.png,1,\r\n"
    "exam A,exam,2,img8.png,left_out,\r\n"
    "page 1,training,0,img1.png,0,\"Put the red ones, all of them, together\"\r\n"
    "page 1,training,1,img2.png,0,\r\n"
    "\r\n");
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *again = NULL;
  guint added = 99, present = 99;
  LkGoldGrid *exam, *page;

  g_assert_true (lk_gold_import_csv (f->store, csv, &added, &present, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 2);
  g_assert_cmpuint (present, ==, 0);

  grids = lk_gold_list (f->store, &error);
  g_assert_cmpuint (grids->len, ==, 2);
  exam = g_ptr_array_index (grids, 0);
  page = g_ptr_array_index (grids, 1);
  g_assert_cmpstr (exam->name, ==, "exam A");
  g_assert_cmpint (exam->use, ==, LK_GOLD_USE_EXAM);
  g_assert_null (exam->instructions);
  g_assert_cmpuint (exam->nc, ==, 2);
  g_assert_cmpuint (lk_query_get_item (exam->answer, 0), ==, 5);
  g_assert_cmpint (lk_query_get_bin (exam->answer, 0), ==, 1);
  g_assert_cmpuint (lk_query_get_item (exam->answer, 1), ==, 3);
  g_assert_cmpint (lk_query_get_bin (exam->answer, 1), ==, 0);
  g_assert_cmpuint (lk_query_get_item (exam->answer, 2), ==, 8);
  g_assert_cmpint (lk_query_get_bin (exam->answer, 2), ==, LK_BIN_LEFT_OUT);
  g_assert_true (g_str_has_prefix (exam->source, "import:"));
  g_assert_cmpstr (page->instructions, ==, "Put the red ones, all of them, together");
  g_assert_cmpint (page->use, ==, LK_GOLD_USE_TRAINING);

  /* Importing the same file again adds nothing. */
  g_assert_true (lk_gold_import_csv (f->store, csv, &added, &present, &error));
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (present, ==, 2);

  /* The export is the file, in position order, and imports back as present. */
  paths = lk_collection_load_paths (f->store, &error);
  exported = lk_gold_to_csv (grids, paths);
  g_assert_cmpstr (exported, ==,
                   HEADER
                   "exam A,exam,0,img5.png,1,\n"
                   "exam A,exam,1,img3.png,0,\n"
                   "exam A,exam,2,img8.png,left_out,\n"
                   "page 1,training,0,img1.png,0,\"Put the red ones, all of them, together\"\n"
                   "page 1,training,1,img2.png,0,\n");
  again = write_csv (f, "again.csv", exported);
  g_assert_true (lk_gold_import_csv (f->store, again, &added, &present, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (present, ==, 2);
}

static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "gold,use,pos\n", "line 1: the header" },
    { HEADER "a,exam,0,img1.png,0,\na,exam,1,nowhere.png,0,\n", "line 3: no image \"nowhere.png\"" },
    { HEADER "a,quiz,0,img1.png,0,\n", "line 2: use \"quiz\"" },
    { HEADER "a,exam,0,img1.png,0,\na,exam,0,img2.png,1,\n", "line 3: the known answer \"a\" has position 0 already on line 2" },
    { HEADER "a,exam,0,img1.png,0,\na,exam,2,img2.png,1,\n", "no image at position 1" },
    { HEADER "a,exam,0,img1.png,0,\na,training,1,img2.png,1,\n", "line 3: the known answer \"a\" is exam on line 2" },
    { HEADER "a,exam,0,img1.png,x,\n", "line 2: bin \"x\"" },
    { HEADER "a,exam,0,img1.png,0\n", "line 2: 5 fields" },
    { HEADER "a,exam,0,img1.png,0,\na,exam,1,img1.png,1,\n", "shows image 1 twice" },
    { HEADER, "no known answers" },
    /* Another answer under a name the study has: refused, nothing stored. */
    { HEADER "b,exam,0,img1.png,0,\nb,exam,1,img2.png,0,\nexisting,exam,0,img1.png,1,\nexisting,exam,1,img2.png,0,\n",
      "already has a known answer named \"existing\"" },
  };
  const guint items[] = { 1, 2 };
  const gint bins[] = { 0, 1 };
  g_autoptr(LkQuery) existing = answer_of (items, bins, 2, 2);
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) add_error = NULL;

  g_assert_cmpint (lk_gold_add (f->store, "existing", LK_GOLD_USE_EXAM, NULL, "overview",
                                existing, 2, &add_error), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u.csv", i);
      g_autofree char *csv = write_csv (f, name, cases[i].text);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_false (lk_gold_import_csv (f->store, csv, NULL, NULL, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
    }
  grids = lk_gold_list (f->store, NULL);
  g_assert_cmpuint (grids->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lk/store/gold/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("add-list-remove", test_add_list_remove);
  ADD ("add-refused", test_add_refused);
  ADD ("import-export", test_import_export);
  ADD ("import-errors", test_import_errors);
  ADD ("exam-after-last-phase", test_exam_after_last_phase);

  return g_test_run ();
}
