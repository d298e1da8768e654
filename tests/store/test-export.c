/* test-export.c — every export parsed back and compared with what was stored; answer import
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "lk-answers.h"
#include "lk-export.h"
#include "lk-gold.h"
#include "lk-knn.h"
#include "lk-participants.h"
#include "lk-store-private.h"
#include "lk-store.h"
#include "lk-scores.h"
#include "lk-trial.h"

#include "lk-store-test.h"

typedef struct {
  char      *dir;
  char      *path;
  LkStore   *store;
  LkRefiner *refiner;
} Fixture;

/* A study of 30 placeholder images with 12 answers by two participants over 3 phases. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  gint64 sessions[2];

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, 30);
  for (guint p = 0; p < 2; p++)
    {
      g_autofree char *code = g_strdup_printf ("P,%u", p);   /* a comma, to need quoting */
      gint64 id = lk_store_add_participant (f->store, code, TRUE, FALSE, NULL, &error);

      sessions[p] = lk_store_begin_session (f->store, id, "lab", &error);
    }
  f->refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  while (!lk_refiner_is_done (f->refiner))
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (f->store, f->refiner, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 qid = g_array_index (ids, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (f->store, qid, NULL, &error);

          store_test_answer (q, 3, i + lk_refiner_get_phase (f->refiner));
          g_assert_cmpint (lk_answers_save (f->store, qid, q, sessions[i % 2], 1000 + qid,
                                            5000 + qid, NULL, 0, &error), >, 0);
          lk_refiner_add_answer (f->refiner, q);
        }
      g_assert_true (lk_answers_end_phase (f->store, f->refiner, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_refiner_free (f->refiner);
  lk_store_close (f->store);
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Returns the rows of the CSV at @path, header included, each a GStrv. */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      g_ptr_array_add (rows, lk_export_parse_csv_line (lines[i], &error));
      g_assert_no_error (error);
    }

  return rows;
}

static void
test_parse_line (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) f = lk_export_parse_csv_line ("1,\"a,b\",\"say \"\"hi\"\"\",,x", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (f), ==, 5);
  g_assert_cmpstr (f[1], ==, "a,b");
  g_assert_cmpstr (f[2], ==, "say \"hi\"");
  g_assert_cmpstr (f[3], ==, "");
  g_assert_null (lk_export_parse_csv_line ("1,\"open", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE);
}

static void
test_tidy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "answers.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (lk_export_answers_csv (f->store, csv, &error));
  g_assert_no_error (error);
  rows = read_csv (csv);
  g_assert_cmpuint (rows->len, ==, 1 + 12 * 8);
  {
    g_autofree char *header = g_strjoinv (",", g_ptr_array_index (rows, 0));

    g_assert_cmpstr (header, ==, LK_EXPORT_TIDY_HEADER);
  }
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      gint64 query = g_ascii_strtoll (row[3], NULL, 10);
      guint position = atoi (row[5]);
      g_autoptr(LkQuery) q = lk_answers_get_query (f->store, query, NULL, &error);
      gint bin = lk_query_get_bin (q, position);
      g_autofree char *expected_path = g_strdup_printf ("img%u.png", lk_query_get_item (q, position));

      g_assert_cmpuint (g_strv_length (row), ==, 13);
      g_assert_true (g_str_has_prefix (row[1], "P,"));
      /* No known answers and no repeats in this study. */
      g_assert_cmpstr (row[11], ==, "");
      g_assert_cmpstr (row[12], ==, "");
      g_assert_cmpuint (atoi (row[6]), ==, lk_query_get_item (q, position));
      g_assert_cmpstr (row[7], ==, expected_path);
      if (bin == LK_BIN_LEFT_OUT)
        g_assert_cmpstr (row[8], ==, "left_out");
      else
        g_assert_cmpint (atoi (row[8]), ==, bin);
      g_assert_cmpint (g_ascii_strtoll (row[9], NULL, 10), ==, 1000 + query);
      g_assert_cmpint (g_ascii_strtoll (row[10], NULL, 10), ==, 5000 + query);
    }
}

static void
test_pairs (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "pairs.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  const LkEvidence *evidence = lk_refiner_get_evidence (f->refiner);

  g_assert_true (lk_export_pairs_csv (f->store, csv, &error));
  g_assert_no_error (error);
  rows = read_csv (csv);
  g_assert_cmpuint (rows->len - 1, ==, lk_evidence_get_n_pairs (evidence));
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      LkPairCounts c;

      g_assert_true (lk_evidence_lookup (evidence, atoi (row[0]), atoi (row[1]), &c));
      g_assert_cmpuint (atoi (row[4]), ==, c.together);
      g_assert_cmpuint (atoi (row[5]), ==, c.apart);
      g_assert_cmpuint (atoi (row[6]), ==, c.shared);
    }
}

static void
test_embedding_knn (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *emb = g_build_filename (f->dir, "embedding.csv", NULL);
  g_autofree char *knn_csv = g_build_filename (f->dir, "knn.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  const LkEmbedding *embedding = lk_refiner_get_embedding (f->refiner);
  g_autofree guint *knn = NULL;

  g_assert_true (lk_export_embedding_csv (f->store, emb, &error));
  g_assert_no_error (error);
  rows = read_csv (emb);
  g_assert_cmpuint (rows->len, ==, 31);
  for (guint i = 0; i < 30; i++)
    {
      char **row = g_ptr_array_index (rows, i + 1);

      g_assert_cmpuint (g_strv_length (row), ==, 2 + 3);
      for (guint j = 0; j < 3; j++)
        g_assert_true (g_ascii_strtod (row[2 + j], NULL) == lk_embedding_get_point (embedding, i)[j]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_true (lk_export_knn_csv (f->store, 5, knn_csv, &error));
  g_assert_no_error (error);
  rows = read_csv (knn_csv);
  g_assert_cmpuint (rows->len, ==, 1 + 30 * 5);
  knn = lk_knn_compute (lk_embedding_get_data (embedding), 30, 3, 5, NULL);
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      g_assert_cmpuint (atoi (row[3]), ==, knn[atoi (row[0]) * 5 + atoi (row[2]) - 1]);
    }
  g_assert_false (lk_export_knn_csv (f->store, 30, knn_csv, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_build_filename (f->dir, "study.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *phases;

  g_assert_true (lk_export_json (f->store, json, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, LK_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "image")), ==, 30);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "answer")), ==, 12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "answer_bin")), ==, 96);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "participant")), ==, 2);
  phases = json_object_get_array_member (root, "phase");
  g_assert_cmpuint (json_array_get_length (phases), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (phases, 2), "embedding")), ==, 90);
  g_assert_true (json_array_get_double_element (json_object_get_array_member (
                   json_array_get_object_element (phases, 2), "embedding"), 4) ==
                 lk_embedding_get_data (lk_refiner_get_embedding (f->refiner))[4]);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (root, "study"), 0),
                     "method"), ==, "paper");
}

/* Export, import into a fresh study of the same images: the same pair evidence. */
static void
test_import_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *pairs1 = g_build_filename (f->dir, "pairs1.csv", NULL);
  g_autofree char *pairs2 = g_build_filename (f->dir, "pairs2.csv", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autofree char *a = NULL, *b = NULL;
  LkParams params = store_test_params ();
  LkStoreCounts counts;
  LkStore *store;

  g_assert_true (lk_export_answers_csv (f->store, csv, &error));
  g_assert_true (lk_export_pairs_csv (f->store, pairs1, &error));
  store = lk_store_create (other, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (store, 30);
  g_assert_cmpuint (lk_export_import_answers (store, csv, NULL, &error), ==, 12);
  g_assert_no_error (error);
  g_assert_true (lk_export_pairs_csv (store, pairs2, &error));
  g_assert_true (g_file_get_contents (pairs1, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (pairs2, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.participants, ==, 2);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);
}

static void
test_import_bad_rows (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "bad.csv", NULL);
  LkStoreCounts before, after;
  /* The header from before the gold and repeat_of columns, which the import still reads. */
  const char *text =
    LK_EXPORT_TIDY_HEADER_V1 "\n"
    "1,P9,,1,0,0,0,img0.png,0,10,20\n"
    "1,P9,,1,0,1,1,img1.png,7,10,20\n"              /* line 3: bin 7 */
    "1,P9,,1,0,2,2,nowhere.png,1,10,20\n"           /* line 4: unknown image */
    "2,P9,,2,0,0,3,img3.png,left_out,10,20\n"
    "2,P9,,2,0,0,4,img4.png,1,10,20\n"              /* line 6: position twice */
    "3,P9,,3,0,0,5\n"                               /* line 7: too few fields */
    "4,P9,,4,0,0,5,img5.png,1,ten,20\n";            /* line 8: time */

  g_assert_true (g_file_set_contents (csv, text, -1, NULL));
  g_assert_true (lk_store_get_counts (f->store, &before, &error));
  g_assert_cmpuint (lk_export_import_answers (f->store, csv, NULL, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  /* Five bad rows, and answers 1 and 2 left with fewer than two good items. */
  g_assert_nonnull (strstr (error->message, "7 problems"));
  for (guint line = 2; line <= 8; line++)
    {
      g_autofree char *needle = g_strdup_printf ("line %u:", line);

      g_assert_nonnull (strstr (error->message, needle));
    }
  g_assert_true (lk_store_get_counts (f->store, &after, &error));
  g_assert_cmpuint (after.answers, ==, before.answers);
  g_assert_cmpuint (after.participants, ==, before.participants);
  g_assert_cmpuint (after.queries, ==, before.queries);
}

typedef struct {
  char     *dir;
  gboolean  want_name;   /* a named temporary expected (no O_TMPFILE) */
  gboolean  fail;
  guint     calls;
} WriteSpy;

/* Checks, in the middle of an export, that its temporary is private and where it should be. */
static gboolean
write_spy (int         fd,
           const char *temp_name,
           gpointer    user_data)
{
  WriteSpy *spy = user_data;
  struct stat st;

  spy->calls++;
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  if (spy->want_name)
    {
      g_autofree char *dir = NULL;
      g_autofree char *base = NULL;

      g_assert_nonnull (temp_name);
      dir = g_path_get_dirname (temp_name);
      base = g_path_get_basename (temp_name);
      g_assert_cmpstr (dir, ==, spy->dir);
      g_assert_true (g_str_has_prefix (base, ".answers.csv."));
      g_assert_cmpint (g_stat (temp_name, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  else
    g_assert_null (temp_name);   /* O_TMPFILE: nothing to leave behind */

  return !spy->fail;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Returns the names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, (gpointer) g_intern_string (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* Every export's temporary is private (0600) while it is written, in the destination's folder,
 * with O_TMPFILE and without; the file in place gets the umask's mode, or keeps the mode of the
 * file it replaced; a failed export (at the last step, or onto a folder) leaves nothing. */
static void
test_private_write (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *csv = g_build_filename (out, "answers.csv", NULL);
  g_autofree char *old = NULL;
  g_autofree char *now = NULL;
  mode_t mask = umask (022);
  struct stat st;

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  for (guint pass = 0; pass < 2; pass++)
    {
      WriteSpy spy = { .dir = out, .want_name = pass == 1 };
      g_autoptr(GError) error = NULL;

      g_unlink (csv);
      _lk_export_set_write_hook (write_spy, &spy, spy.want_name);
      g_assert_true (lk_export_answers_csv (f->store, csv, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (spy.calls, ==, 1);
      g_assert_cmpint (g_stat (csv, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0644);
      g_clear_pointer (&now, g_free);
      now = list_dir (out);
      g_assert_cmpstr (now, ==, "answers.csv");

      /* Replacing keeps the mode the user gave the file. */
      g_assert_cmpint (g_chmod (csv, 0600), ==, 0);
      g_assert_true (lk_export_json (f->store, csv, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (csv, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_clear_pointer (&now, g_free);
      now = list_dir (out);
      g_assert_cmpstr (now, ==, "answers.csv");

      /* A failure once the data is written leaves the old file and nothing else. */
      g_clear_pointer (&old, g_free);
      g_assert_true (g_file_get_contents (csv, &old, NULL, NULL));
      spy.fail = TRUE;
      g_assert_false (lk_export_answers_csv (f->store, csv, &error));
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO);
      g_assert_nonnull (strstr (error->message, csv));
      g_clear_error (&error);
      {
        g_autofree char *kept = NULL;

        g_assert_true (g_file_get_contents (csv, &kept, NULL, NULL));
        g_assert_cmpstr (kept, ==, old);
      }
      g_clear_pointer (&now, g_free);
      now = list_dir (out);
      g_assert_cmpstr (now, ==, "answers.csv");

      /* And so does one that cannot be put in place (the target is a folder). */
      spy.fail = FALSE;
      {
        g_autofree char *folder = g_build_filename (out, "answers.csv.d", NULL);

        g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
        g_assert_false (lk_export_pairs_csv (f->store, folder, &error));
        g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO);
        g_clear_error (&error);
        g_clear_pointer (&now, g_free);
        now = list_dir (out);
        g_assert_cmpstr (now, ==, "answers.csv answers.csv.d");
        g_assert_cmpint (g_rmdir (folder), ==, 0);
      }
    }
  _lk_export_set_write_hook (NULL, NULL, FALSE);
  umask (mask);
}

/* Returns the query of the @n-th answer (from 0) of the participant @code. */
static gint64
nth_query (Fixture    *f,
           const char *code,
           guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT a.query FROM answer a JOIN participant p ON "
                                          "p.id = a.participant WHERE p.code = '%s' "
                                          "ORDER BY a.id LIMIT 1 OFFSET ?", code);
  gint64 query = 0;

  g_assert_true (lk_store_query_int (f->store, sql, n, &query, &error));
  g_assert_no_error (error);

  return query;
}

/* Gives the answer to @query the bins position mod @modulo and returns the query with them. */
static LkQuery *
set_bins (Fixture *f,
          gint64   query,
          guint    modulo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE answer_bin SET bin = position %% %u WHERE "
                                          "answer = (SELECT id FROM answer WHERE query = "
                                          "%" G_GINT64_FORMAT ")", modulo, query);
  LkQuery *q;

  g_assert_true (lk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  q = lk_answers_get_query (f->store, query, NULL, &error);
  g_assert_no_error (error);

  return q;
}

static gint64
add_gold (Fixture     *f,
          const char  *name,
          LkQuery     *answer,
          const gint  *bins,
          gint64       shown_in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) gold = lk_query_new (lk_query_get_items (answer),
                                          lk_query_get_n_items (answer));
  g_autofree char *sql = NULL;
  gint64 id;

  g_assert_true (lk_query_set_answer (gold, bins, 3, NULL));
  id = lk_gold_add (f->store, name, LK_GOLD_USE_EXAM, NULL, "overview", gold, 3, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE query SET gold = %" G_GINT64_FORMAT " WHERE id = %"
                         G_GINT64_FORMAT, id, shown_in);
  g_assert_true (lk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);

  return id;
}

/* Known answers, a repeated grid, a participant left out and not qualified: the answers CSV
 * names the known answer and the first showing on their rows, the participants CSV and JSON
 * carry the hand-worked QC figures, the known answers CSV the grids. */
static void
test_quality (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *participants = g_build_filename (f->dir, "participants.csv", NULL);
  g_autofree char *gold = g_build_filename (f->dir, "gold.csv", NULL);
  g_autofree char *json = g_build_filename (f->dir, "study.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) expected = g_string_new ("gold,use,position,image,bin,instructions\n");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(LkQuery) a = NULL, b = NULL, c = NULL;
  g_autofree char *sql = NULL;
  /* b is answered position % 2: {0,2,4,6} {1,3,5,7}; its known answer is the same. */
  const gint exact[8] = { 0, 1, 0, 1, 0, 1, 0, 1 };
  /* c is answered position % 3: {0,3,6} {1,4,7} {2,5}; its known answer has {0,3,6} and
   * {1,2,4,5,7}: 1 of the 2 gold clusters is one of the participant's, 100 x 1 / 2. */
  const gint half[8] = { 0, 1, 1, 0, 1, 1, 0, 1 };
  gint64 qa = nth_query (f, "P,0", 0), qb = nth_query (f, "P,0", 1), qc = nth_query (f, "P,1", 0);
  gint64 repeat = 0;
  guint n_gold = 0, n_repeat = 0;
  JsonObject *root, *p1;

  a = set_bins (f, qa, 3);
  b = set_bins (f, qb, 2);
  c = set_bins (f, qc, 3);
  add_gold (f, "g-exact", b, exact, qb);
  add_gold (f, "g, half", c, half, qc);

  /* qa shown again to P,0 and answered the same: consistency 1 (adjusted Rand index of two
   * equal partitions). */
  sql = g_strdup_printf (
    "INSERT INTO query (phase, policy, embedding_version, state, drawn, created, repeat_of) "
    "SELECT phase, 'repeat', embedding_version, 'answered', 0, created, id FROM query "
    "WHERE id = %1$" G_GINT64_FORMAT ";"
    "INSERT INTO query_item (query, position, item) SELECT last_insert_rowid (), position, item "
    "FROM query_item WHERE query = %1$" G_GINT64_FORMAT ";", qa);
  g_assert_true (lk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_query_int (f->store, "SELECT max(id) FROM query", 0, &repeat, &error));
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf (
    "INSERT INTO answer (query, participant, session, shown_us, submitted_us) "
    "SELECT %2$" G_GINT64_FORMAT ", participant, session, 100, 4100 FROM answer "
    "WHERE query = %1$" G_GINT64_FORMAT ";"
    "INSERT INTO answer_bin (answer, position, bin) SELECT last_insert_rowid (), position, bin "
    "FROM answer_bin WHERE answer = (SELECT id FROM answer WHERE query = %1$" G_GINT64_FORMAT ");",
    qa, repeat);
  g_assert_true (lk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  g_assert_true (lk_participants_set_excluded (f->store, "P,1", TRUE, &error));
  g_assert_true (lk_participants_set_qualified (f->store, "P,1", FALSE, &error));
  g_assert_no_error (error);

  /* The answers: gold and repeat_of on exactly those rows. */
  g_assert_true (lk_export_answers_csv (f->store, answers, &error));
  g_assert_no_error (error);
  rows = read_csv (answers);
  g_assert_cmpuint (rows->len, ==, 1 + 13 * 8);
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      gint64 query = g_ascii_strtoll (row[3], NULL, 10);

      g_assert_cmpuint (g_strv_length (row), ==, 13);
      if (query == qb)
        g_assert_cmpstr (row[11], ==, "g-exact");
      else if (query == qc)
        g_assert_cmpstr (row[11], ==, "g, half");
      else
        g_assert_cmpstr (row[11], ==, "");
      n_gold += row[11][0] != '\0';
      if (query == repeat)
        g_assert_cmpint (g_ascii_strtoll (row[12], NULL, 10), ==, qa);
      else
        g_assert_cmpstr (row[12], ==, "");
      n_repeat += row[12][0] != '\0';
    }
  g_assert_cmpuint (n_gold, ==, 16);
  g_assert_cmpuint (n_repeat, ==, 8);

  /* The participants: every column but the model's agreement is hand-worked. */
  g_assert_true (lk_export_participants_csv (f->store, participants, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = read_csv (participants);
  g_assert_cmpuint (rows->len, ==, 3);
  {
    const char *want[3][13] = {
      { "participant", "pilot", "status", "excluded", "answers", "median_seconds", "agreement",
        "repeats", "consistency", "gold_grids", "gold_score", "flag_inconsistent",
        "flag_low_gold" },
      { "P,0", "0", "active", "0", "7", "0.004", NULL, "1", "1", "1", "100", "0", "0" },
      { "P,1", "0", "not_qualified", "1", "6", "0.004", NULL, "0", "", "1", "50", "0",
        "1" },
    };

    for (guint r = 0; r < 3; r++)
      {
        char **row = g_ptr_array_index (rows, r);

        g_assert_cmpuint (g_strv_length (row), ==, 13);
        for (guint col = 0; col < 13; col++)
          if (want[r][col] != NULL)
            g_assert_cmpstr (row[col], ==, want[r][col]);
          else if (row[col][0] != '\0')
            {
              double agreement = g_ascii_strtod (row[col], NULL);

              g_assert_cmpfloat (agreement, >=, 0);
              g_assert_cmpfloat (agreement, <=, 1);
            }
      }
  }

  /* The known answers, in the layout `likeness-cli gold --import` reads. */
  g_assert_true (lk_export_gold_csv (f->store, gold, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (expected, "g-exact,exam,%u,img%u.png,%d,\n", i,
                            lk_query_get_item (b, i), exact[i]);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (expected, "\"g, half\",exam,%u,img%u.png,%d,\n", i,
                            lk_query_get_item (c, i), half[i]);
  g_assert_true (g_file_get_contents (gold, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, expected->str);

  /* The JSON: the known answers' tables and the same figures. */
  g_assert_true (lk_export_json (f->store, json, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "gold_grid")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "gold_item")), ==, 16);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "participants_qc")),
                    ==, 2);
  p1 = json_array_get_object_element (json_object_get_array_member (root, "participants_qc"), 1);
  g_assert_cmpstr (json_object_get_string_member (p1, "participant"), ==, "P,1");
  g_assert_cmpstr (json_object_get_string_member (p1, "status"), ==, "not_qualified");
  g_assert_true (json_object_get_boolean_member (p1, "excluded"));
  g_assert_true (json_object_get_boolean_member (p1, "flag_low_gold"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (p1, "gold_score"), 50,
                                  1e-9);
  g_assert_true (json_node_is_null (json_object_get_member (p1, "consistency")));
}

/* A participant's trial (a triplet, no bins) among their sorting answers: the participants'
 * export counts it and its time, and reads their grids as before. */
static void
test_participants_with_trials (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *participants = g_build_filename (f->dir, "participants.csv", NULL);
  g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, (const guint[]) { 3, 10, 20 }, 3);
  g_autoptr(GPtrArray) rows = NULL;
  gint64 session = 0;
  char **row;

  g_assert_true (lk_store_query_int (f->store, "SELECT s.id FROM session s JOIN participant p "
                                     "ON p.id = s.participant WHERE p.code = 'P,0'", 0, &session,
                                     &error));
  t->choice = LK_TRIPLET_ANSWER_A_CLOSER;
  g_assert_cmpint (lk_answers_save_trial (f->store, t, session, 0, 0, 1, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (lk_export_participants_csv (f->store, participants, &error));
  g_assert_no_error (error);
  rows = read_csv (participants);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row[0], ==, "P,0");
  /* Six grids and the trial; the median of 1 µs and six times 4 ms. */
  g_assert_cmpstr (row[4], ==, "7");
  g_assert_cmpstr (row[5], ==, "0.004");
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (row[0], ==, "P,1");
  g_assert_cmpstr (row[4], ==, "6");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/store/export/parse-line", test_parse_line);
#define ADD(path, func) \
  g_test_add ("/lk/store/export/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("tidy", test_tidy);
  ADD ("pairs", test_pairs);
  ADD ("embedding-knn", test_embedding_knn);
  ADD ("json", test_json);
  ADD ("import-round-trip", test_import_round_trip);
  ADD ("import-bad-rows", test_import_bad_rows);
  ADD ("private-write", test_private_write);
  ADD ("quality", test_quality);
  ADD ("participants-with-trials", test_participants_with_trials);
#undef ADD

  return g_test_run ();
}
