/* lk-gold.c — known answers ("gold grids")
 *
 * A gold grid is a grid the experimenter sorted and keeps as the known answer: training pages
 * are shown with it as feedback, exam grids are scored against it (lk_qc_exam_score()) and
 * mixed into the main block as catch grids. Tables (schema version 7, lk-store-schema.c):
 * gold_grid (name, use, instructions, source, created, nc) and gold_item (gold, position) →
 * item, bin.
 *
 * The CSV a lab keeps its known answers in, one row per image:
 *   gold,use,position,image,bin,instructions
 * gold: the grid's name (rows of one grid share it, in any order); use: training or exam;
 * position: 0-based display position; image: the image's path as the study stores it (relative
 * to the collection, '/'-separated); bin: 0-based, or left_out; instructions: a training page's
 * own text (the first non-empty one of the grid's rows counts). The same file is what
 * lk_gold_to_csv() writes, so an export imports back. An import is one transaction: a bad row
 * stores nothing and is named with its line; a grid already in the study with the same name
 * and the same answer is left as it is and counted as present, so importing a file twice adds
 * nothing; the same name with another answer is refused.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-gold.h"

#include <string.h>

#include "lk-export.h"
#include "lk-store-private.h"

#define GOLD_CSV_HEADER "gold,use,position,image,bin,instructions"
/* A gold grid is sorted by a person on one screen: the largest grid the sorting page shows. */
#define GOLD_MAX_ITEMS 64
#define GOLD_MAX_BINS 10

static const char *const use_names[] = { "training", "exam" };

const char *
lk_gold_use_to_string (LkGoldUse use)
{
  g_return_val_if_fail ((guint) use < G_N_ELEMENTS (use_names), NULL);

  return use_names[use];
}

gboolean
lk_gold_use_from_string (const char *text,
                         LkGoldUse  *use)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (use_names); i++)
    if (g_str_equal (text, use_names[i]))
      {
        *use = (LkGoldUse) i;
        return TRUE;
      }

  return FALSE;
}

void
lk_gold_grid_free (LkGoldGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->name);
  g_free (grid->instructions);
  g_free (grid->source);
  g_free (grid->created);
  g_clear_pointer (&grid->answer, lk_query_free);
  g_free (grid);
}

/* What a known answer must be: 2 to GOLD_MAX_ITEMS images of the collection, each once, a
 * bin or left out each, bins below @nc (2 to GOLD_MAX_BINS), at least one image in a bin. */
static gboolean
check_answer (LkStore        *store,
              const char     *name,
              const LkQuery  *answer,
              guint           nc,
              GError        **error)
{
  guint n = lk_query_get_n_items (answer);
  gint64 n_images = 0;
  gboolean binned = FALSE;

  if (!lk_store_query_int (store, "SELECT count(*) FROM image", 0, &n_images, error))
    return FALSE;

  if (name == NULL || *name == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "A known answer needs a name (1 to 200 characters)");
      return FALSE;
    }
  if (n < 2 || n > GOLD_MAX_ITEMS || nc < 2 || nc > GOLD_MAX_BINS)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The known answer \"%s\" has %u images in %u bins; it needs 2 to %u images "
                   "and 2 to %u bins", name, n, nc, GOLD_MAX_ITEMS, GOLD_MAX_BINS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      gint bin = lk_query_get_bin (answer, i);

      if (lk_query_get_item (answer, i) >= n_images)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "The known answer \"%s\" shows image %u; the collection has %" G_GINT64_FORMAT,
                       name, lk_query_get_item (answer, i), n_images);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (lk_query_get_item (answer, j) == lk_query_get_item (answer, i))
          {
            g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                         "The known answer \"%s\" shows image %u twice", name,
                         lk_query_get_item (answer, i));
            return FALSE;
          }
      if (bin != LK_BIN_LEFT_OUT && (bin < 0 || bin >= (gint) nc))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "The known answer \"%s\" puts an image in bin %d of %u", name, bin, nc);
          return FALSE;
        }
      binned |= bin >= 0;
    }
  if (!binned)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The known answer \"%s\" leaves every image out", name);
      return FALSE;
    }

  return TRUE;
}

/* Inserts one gold grid inside the transaction already begun. */
static gint64
insert_gold (LkStore        *store,
             const char     *name,
             LkGoldUse       use,
             const char     *instructions,
             const char     *source,
             const LkQuery  *answer,
             guint           nc,
             GError        **error)
{
  g_autofree char *now = lk_store_now_iso8601 ();
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  stmt = lk_store_prepare (store,
                           "INSERT INTO gold_grid (name, use, instructions, source, created, nc) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lk_gold_use_to_string (use), -1, SQLITE_STATIC);
  if (instructions != NULL && *instructions != '\0')
    sqlite3_bind_text (stmt, 3, instructions, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, nc);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
                   "The study already has a known answer named \"%s\"", name);
      return 0;
    }
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Storing a known answer");
      return 0;
    }
  id = sqlite3_last_insert_rowid (lk_store_get_db (store));

  for (guint i = 0; i < lk_query_get_n_items (answer); i++)
    if (!lk_store_insert_row (store, NULL, "Storing a known answer's images", error,
                              "INSERT INTO gold_item (gold, position, item, bin) VALUES (?, ?, ?, ?)",
                              "xiii", id, (int) i, (int) lk_query_get_item (answer, i),
                              lk_query_get_bin (answer, i)))
      return 0;

  return id;
}

/**
 * lk_gold_add:
 * @store: a study open for writing
 * @name: a name not yet used in the study
 * @use: what it is for
 * @instructions: (nullable): a training page's own instructions
 * @source: where it comes from ("overview", "curator", "import:FILE")
 * @answer: the images in display order and their bins
 * @nc: the number of bins it is shown with
 * @error: return location for a #GError
 *
 * Keeps a sorted grid as a known answer, in one transaction.
 *
 * Returns: its id, or 0 on failure (a name in use is %LK_STORE_ERROR_EXISTS)
 */
gint64
lk_gold_add (LkStore        *store,
             const char     *name,
             LkGoldUse       use,
             const char     *instructions,
             const char     *source,
             const LkQuery  *answer,
             guint           nc,
             GError        **error)
{
  gint64 id;

  g_return_val_if_fail (store != NULL && answer != NULL && source != NULL, 0);

  if (!check_answer (store, name, answer, nc, error) || !lk_store_write_begin (store, error))
    return 0;
  id = insert_gold (store, name, use, instructions, source, answer, nc, error);
  if (id == 0)
    {
      lk_store_write_rollback (store);
      return 0;
    }
  if (!lk_store_write_commit (store, "Storing a known answer", error))
    return 0;

  return id;
}

static LkGoldGrid *
read_grid (LkStore       *store,
           sqlite3_stmt  *row,
           GError       **error)
{
  g_autoptr(LkGoldGrid) grid = g_new0 (LkGoldGrid, 1);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (gint));
  const char *use = (const char *) sqlite3_column_text (row, 2);
  sqlite3_stmt *stmt;
  int rc;

  grid->id = sqlite3_column_int64 (row, 0);
  grid->name = g_strdup ((const char *) sqlite3_column_text (row, 1));
  grid->instructions = g_strdup ((const char *) sqlite3_column_text (row, 3));
  grid->source = g_strdup ((const char *) sqlite3_column_text (row, 4));
  grid->created = g_strdup ((const char *) sqlite3_column_text (row, 5));
  grid->nc = sqlite3_column_int (row, 6);
  if (!lk_gold_use_from_string (use, &grid->use))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "The known answer %" G_GINT64_FORMAT " has the use \"%s\"", grid->id,
                   use != NULL ? use : "");
      return NULL;
    }

  /* A second statement: the caller's is still stepping through gold_grid. */
  stmt = lk_store_prepare (store,
                           "SELECT item, bin FROM gold_item WHERE gold = ? ORDER BY position",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, grid->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);
      gint bin = sqlite3_column_int (stmt, 1);

      g_array_append_val (items, item);
      g_array_append_val (bins, bin);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading a known answer's images");
      return NULL;
    }

  grid->answer = lk_query_new ((guint *) items->data, items->len);
  if (!lk_query_set_answer (grid->answer, (gint *) bins->data, MAX (grid->nc, 1), NULL) ||
      !check_answer (store, grid->name, grid->answer, grid->nc, NULL))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "The known answer \"%s\" is damaged: its images or bins are not a grid's",
                   grid->name);
      return NULL;
    }

  return g_steal_pointer (&grid);
}

#define GOLD_COLUMNS "SELECT id, name, use, instructions, source, created, nc FROM gold_grid "

/**
 * lk_gold_list:
 * @store: an open study
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LkGoldGrid): the study's known answers by id, or
 *   %NULL on failure (a damaged one is named)
 */
GPtrArray *
lk_gold_list (LkStore  *store,
              GError  **error)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_gold_grid_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = lk_store_prepare (store, GOLD_COLUMNS "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkGoldGrid *grid = read_grid (store, stmt, error);

      if (grid == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (grids, grid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the known answers");
      return NULL;
    }

  return g_steal_pointer (&grids);
}

/**
 * lk_gold_get:
 * @store: an open study
 * @id: a known answer's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the known answer, or %NULL (%LK_STORE_ERROR_NOT_FOUND when there is
 *   none with @id)
 */
LkGoldGrid *
lk_gold_get (LkStore  *store,
             gint64    id,
             GError  **error)
{
  sqlite3_stmt *stmt;
  LkGoldGrid *grid = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = lk_store_prepare (store, GOLD_COLUMNS "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    grid = read_grid (store, stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 "The study has no known answer %" G_GINT64_FORMAT, id);
  else
    lk_store_set_error (store, error, rc, "Reading a known answer");
  sqlite3_reset (stmt);

  return grid;
}

/**
 * lk_gold_remove:
 * @store: a study open for writing
 * @id: a known answer's id
 * @error: return location for a #GError
 *
 * Removes a known answer that no participant has been shown; one that was shown stays, as the
 * answers given to it are scored against it (%LK_STORE_ERROR_INVALID says so).
 *
 * Returns: %TRUE when it was removed
 */
gboolean
lk_gold_remove (LkStore  *store,
                gint64    id,
                GError  **error)
{
  gint64 shown = 0, exists = 0;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!lk_store_query_int (store, "SELECT count(*) FROM gold_grid WHERE id = ?", id, &exists,
                           error) ||
      !lk_store_query_int (store, "SELECT count(*) FROM query WHERE gold = ?", id, &shown, error))
    return FALSE;
  if (exists == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "The study has no known answer %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  if (shown > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The known answer %" G_GINT64_FORMAT " was shown %" G_GINT64_FORMAT
                   " times; it stays, as those answers are scored against it", id, shown);
      return FALSE;
    }
  return lk_store_write_row (store, NULL, NULL, "Removing a known answer", error,
                             "DELETE FROM gold_grid WHERE id = ?", "x", id);
}

/* One grid being read from a CSV. */
typedef struct {
  char      *name;
  LkGoldUse  use;
  char      *instructions;
  guint      first_line;
  GArray    *rows;   /* Row, any order */
} CsvGrid;

typedef struct {
  guint position;
  guint item;
  gint  bin;
  guint line;
} Row;

static void
csv_grid_free (gpointer data)
{
  CsvGrid *grid = data;

  g_free (grid->name);
  g_free (grid->instructions);
  g_array_unref (grid->rows);
  g_free (grid);
}

static gint
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = a, *rb = b;

  return (ra->position > rb->position) - (ra->position < rb->position);
}

/* Builds the grid's answer from its rows: positions 0..n-1 each once. */
static LkQuery *
csv_grid_answer (const char  *path,
                 CsvGrid     *grid,
                 guint       *nc,
                 GError     **error)
{
  g_autofree guint *items = NULL;
  g_autofree gint *bins = NULL;
  LkQuery *answer;
  gint max_bin = -1;

  g_array_sort (grid->rows, compare_rows);
  items = g_new (guint, MAX (grid->rows->len, 1));
  bins = g_new (gint, MAX (grid->rows->len, 1));
  for (guint i = 0; i < grid->rows->len; i++)
    {
      Row *row = &g_array_index (grid->rows, Row, i);

      if (row->position != i)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                       "%s: line %u: the known answer \"%s\" has no image at position %u "
                       "(positions run from 0 without gaps)", path, row->line, grid->name, i);
          return NULL;
        }
      items[i] = row->item;
      bins[i] = row->bin;
      max_bin = MAX (max_bin, row->bin);
    }
  /* The grid is shown with as many bins as its answer uses, and never fewer than 2. */
  *nc = MAX (max_bin + 1, 2);
  answer = lk_query_new (items, grid->rows->len);
  if (!lk_query_set_answer (answer, bins, *nc, error))
    {
      lk_query_free (answer);
      return NULL;
    }

  return answer;
}

/* Whether the study's known answer @name is @answer (same images, positions and bins). */
static gboolean
same_answer (const LkQuery *a,
             const LkQuery *b)
{
  if (lk_query_get_n_items (a) != lk_query_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < lk_query_get_n_items (a); i++)
    if (lk_query_get_item (a, i) != lk_query_get_item (b, i) ||
        lk_query_get_bin (a, i) != lk_query_get_bin (b, i))
      return FALSE;

  return TRUE;
}

/**
 * lk_gold_import_csv:
 * @store: a study open for writing
 * @path: a CSV in the layout at the top of this file
 * @n_added: (out) (optional): the known answers added
 * @n_present: (out) (optional): those already in the study, unchanged
 * @error: return location for a #GError
 *
 * Imports known answers in one transaction; a bad line stores nothing and is named.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_gold_import_csv (LkStore     *store,
                    const char  *path,
                    guint       *n_added,
                    guint       *n_present,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *source = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) items_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) grids_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (csv_grid_free);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(GArray) ncs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) local_error = NULL;
  guint added = 0, present = 0;
  const char *text;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s is not UTF-8 text", path);
      return FALSE;
    }
  paths = lk_collection_load_paths (store, error);
  if (paths == NULL)
    return FALSE;
  for (guint i = 0; i < paths->len; i++)
    if (g_ptr_array_index (paths, i) != NULL)
      g_hash_table_insert (items_by_path, g_strdup (g_ptr_array_index (paths, i)),
                           GUINT_TO_POINTER (i + 1));

  /* A spreadsheet's byte order mark and CRLF line ends are allowed. */
  text = g_str_has_prefix (contents, "\xEF\xBB\xBF") ? contents + 3 : contents;
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || strcmp (g_strchomp (lines[0]), GOLD_CSV_HEADER) != 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s: line 1: the header must be %s", path, GOLD_CSV_HEADER);
      return FALSE;
    }

  for (guint l = 1; lines[l] != NULL; l++)
    {
      g_auto (GStrv) f = NULL;
      guint line = l + 1;
      CsvGrid *grid;
      LkGoldUse use;
      guint64 position;
      gpointer item;
      Row row;

      g_strchomp (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      f = lk_export_parse_csv_line (lines[l], &local_error);
      if (f == NULL)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s: line %u: %s", path,
                       line, local_error->message);
          return FALSE;
        }
#define BAD(...) \
      G_STMT_START { \
        g_autofree char *message_ = g_strdup_printf (__VA_ARGS__); \
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s: line %u: %s", \
                     path, line, message_); \
        return FALSE; \
      } G_STMT_END
      if (g_strv_length (f) != 6)
        BAD ("%u fields, expected 6 (%s)", g_strv_length (f), GOLD_CSV_HEADER);
      if (f[0][0] == '\0')
        BAD ("the gold column (the known answer's name) is empty");
      if (!lk_gold_use_from_string (f[1], &use))
        BAD ("use \"%s\" is neither training nor exam", f[1]);
      if (!g_ascii_string_to_unsigned (f[2], 10, 0, GOLD_MAX_ITEMS - 1, &position, NULL))
        BAD ("position \"%s\" is not a whole number from 0 to %u", f[2], GOLD_MAX_ITEMS - 1);
      item = g_hash_table_lookup (items_by_path, f[3]);
      if (item == NULL)
        BAD ("no image \"%s\" in the study's collection", f[3]);
      row.position = position;
      row.item = GPOINTER_TO_UINT (item) - 1;
      row.line = line;
      if (strcmp (f[4], "left_out") == 0)
        row.bin = LK_BIN_LEFT_OUT;
      else
        {
          guint64 bin;

          if (!g_ascii_string_to_unsigned (f[4], 10, 0, GOLD_MAX_BINS - 1, &bin, NULL))
            BAD ("bin \"%s\" is neither left_out nor a whole number from 0 to %u", f[4],
                 GOLD_MAX_BINS - 1);
          row.bin = bin;
        }

      grid = g_hash_table_lookup (grids_by_name, f[0]);
      if (grid == NULL)
        {
          grid = g_new0 (CsvGrid, 1);
          grid->name = g_strdup (f[0]);
          grid->use = use;
          grid->first_line = line;
          grid->rows = g_array_new (FALSE, FALSE, sizeof (Row));
          g_ptr_array_add (grids, grid);
          g_hash_table_insert (grids_by_name, grid->name, grid);
        }
      else if (grid->use != use)
        BAD ("the known answer \"%s\" is %s on line %u and %s here", f[0],
             lk_gold_use_to_string (grid->use), grid->first_line, f[1]);
      for (guint r = 0; r < grid->rows->len; r++)
        if (g_array_index (grid->rows, Row, r).position == row.position)
          BAD ("the known answer \"%s\" has position %u already on line %u", f[0],
               row.position, g_array_index (grid->rows, Row, r).line);
      if (grid->instructions == NULL && f[5][0] != '\0')
        grid->instructions = g_strdup (f[5]);
      g_array_append_val (grid->rows, row);
#undef BAD
    }

  if (grids->len == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s has no known answers below its header", path);
      return FALSE;
    }

  /* Every grid is checked before anything is written. */
  for (guint g = 0; g < grids->len; g++)
    {
      CsvGrid *grid = g_ptr_array_index (grids, g);
      g_autoptr(GError) check_error = NULL;
      LkQuery *answer;
      guint nc;

      answer = csv_grid_answer (path, grid, &nc, error);
      if (answer == NULL)
        return FALSE;
      g_ptr_array_add (answers, answer);
      g_array_append_val (ncs, nc);
      if (!check_answer (store, grid->name, answer, nc, &check_error))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s: line %u: %s", path,
                       grid->first_line, check_error->message);
          return FALSE;
        }
    }

  existing = lk_gold_list (store, error);
  if (existing == NULL)
    return FALSE;
  source = g_strconcat ("import:", path, NULL);
  if (!lk_store_write_begin (store, error))
    return FALSE;
  for (guint g = 0; g < grids->len; g++)
    {
      CsvGrid *grid = g_ptr_array_index (grids, g);
      const LkQuery *answer = g_ptr_array_index (answers, g);
      gboolean found = FALSE;

      for (guint e = 0; e < existing->len && !found; e++)
        {
          LkGoldGrid *old = g_ptr_array_index (existing, e);

          if (!g_str_equal (old->name, grid->name))
            continue;
          found = TRUE;
          if (old->use != grid->use || !same_answer (old->answer, answer))
            {
              g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
                           "%s: line %u: the study already has a known answer named \"%s\", "
                           "with another answer; rename one of them", path, grid->first_line,
                           grid->name);
              lk_store_write_rollback (store);
              return FALSE;
            }
          present++;
        }
      if (found)
        continue;
      if (insert_gold (store, grid->name, grid->use, grid->instructions, source, answer,
                       g_array_index (ncs, guint, g), error) == 0)
        {
          lk_store_write_rollback (store);
          return FALSE;
        }
      added++;
    }
  if (!lk_store_write_commit (store, "Importing known answers", error))
    return FALSE;

  if (n_added != NULL)
    *n_added = added;
  if (n_present != NULL)
    *n_present = present;

  return TRUE;
}

static void
csv_field (GString    *out,
           const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/**
 * lk_gold_to_csv:
 * @grids: (element-type LkGoldGrid): known answers, as lk_gold_list() gives them
 * @paths: (element-type utf8): the study's image paths by item (lk_collection_load_paths())
 *
 * Returns: (transfer full): the CSV lk_gold_import_csv() reads, header included; a training
 *   page's instructions on its first row only
 */
char *
lk_gold_to_csv (GPtrArray *grids,
                GPtrArray *paths)
{
  GString *out = g_string_new (GOLD_CSV_HEADER "\n");

  g_return_val_if_fail (grids != NULL && paths != NULL, NULL);

  for (guint g = 0; g < grids->len; g++)
    {
      LkGoldGrid *grid = g_ptr_array_index (grids, g);

      for (guint i = 0; i < lk_query_get_n_items (grid->answer); i++)
        {
          guint item = lk_query_get_item (grid->answer, i);
          gint bin = lk_query_get_bin (grid->answer, i);

          csv_field (out, grid->name);
          g_string_append_printf (out, ",%s,%u,", lk_gold_use_to_string (grid->use), i);
          csv_field (out, item < paths->len ? g_ptr_array_index (paths, item) : NULL);
          if (bin == LK_BIN_LEFT_OUT)
            g_string_append (out, ",left_out,");
          else
            g_string_append_printf (out, ",%d,", bin);
          if (i == 0)
            csv_field (out, grid->instructions);
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * lk_gold_save_answer:
 * @store: a study open for writing
 * @gold: the gold grid the participant was shown (its row id)
 * @kind: %LK_TASK_EXAM (or %LK_TASK_TRAINING): the block it was shown in
 * @answer: the participant's answer, its images in the gold grid's display order
 * @session: the session row
 * @shown_us: when it was shown (µs since the epoch)
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the move log
 * @n_moves: its length
 * @error: return location for a #GError
 *
 * Stores a participant's answer to a gold grid in one transaction: a query of @kind with
 * query.gold set (policy %LK_GOLD_POLICY, drawn = 0, answered, in the phase the study is in),
 * and the answer with its move log. The participants' quality figures count it
 * (lk_participants_list()); the replay leaves it out of the model, as the live run does:
 * every participant sorting the same few gold grids would weigh their pairs many times over.
 *
 * Returns: the answer's id, or 0 with @error set
 */
gint64
lk_gold_save_answer (LkStore        *store,
                     gint64          gold,
                     LkTaskKind      kind,
                     const LkQuery  *answer,
                     gint64          session,
                     gint64          shown_us,
                     gint64          submitted_us,
                     const LkMove   *moves,
                     guint           n_moves,
                     GError        **error)
{
  LkAnswersMark mark = {
    .policy = LK_GOLD_POLICY,
    .in_current_phase = TRUE,
    .kind = lk_task_kind_to_string (kind),
    .gold = gold,
    .doing = "Storing the gold grid's answer",
  };

  g_return_val_if_fail (store != NULL && answer != NULL, 0);
  g_return_val_if_fail (kind == LK_TASK_EXAM || kind == LK_TASK_TRAINING, 0);
  g_return_val_if_fail (moves != NULL || n_moves == 0, 0);

  return lk_answers_save_marked (store, 0, 0, &mark, answer, session, shown_us, submitted_us,
                                 moves, n_moves, error);
}

/**
 * lk_gold_count_uses:
 * @store: a study
 * @counts: (out caller-allocates) (array fixed-size=2): the study's gold grids for each
 *   #LkGoldUse (training, exam)
 * @error: return location for a #GError
 *
 * For the plan's checks: a training or exam block shows at most this many grids, and a study
 * with none refuses a session whose plan has such a block.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_gold_count_uses (LkStore  *store,
                    guint     counts[2],
                    GError  **error)
{
  g_autoptr(GPtrArray) grids = NULL;

  g_return_val_if_fail (store != NULL && counts != NULL, FALSE);

  counts[LK_GOLD_USE_TRAINING] = counts[LK_GOLD_USE_EXAM] = 0;
  grids = lk_gold_list (store, error);
  if (grids == NULL)
    return FALSE;
  for (guint i = 0; i < grids->len; i++)
    counts[((const LkGoldGrid *) g_ptr_array_index (grids, i))->use]++;

  return TRUE;
}

/**
 * lk_gold_count:
 * @store: an open study
 * @n: (out): how many known answers it has
 * @error: return location for a #GError
 *
 * Returns: %FALSE when they could not be counted
 */
gboolean
lk_gold_count (LkStore  *store,
               guint    *n,
               GError  **error)
{
  gint64 count = 0;

  g_return_val_if_fail (store != NULL && n != NULL, FALSE);

  if (!lk_store_query_int (store, "SELECT count(*) FROM gold_grid", 0, &count, error))
    return FALSE;
  *n = (guint) count;

  return TRUE;
}

/**
 * lk_gold_find_same:
 * @store: an open study
 * @answer: a sorted grid
 * @name: (out) (transfer full): the name of the study's known answer that is @answer (the same
 *   images in the same order, in the same bins), or %NULL when there is none
 * @error: return location for a #GError
 *
 * Keeping one sorting twice as a known answer would count it twice in every exam score; the
 * curator's window asks this first and names the one already kept.
 *
 * Returns: %FALSE when the known answers could not be read
 */
gboolean
lk_gold_find_same (LkStore        *store,
                   const LkQuery  *answer,
                   char          **name,
                   GError        **error)
{
  g_autoptr(GPtrArray) grids = NULL;

  g_return_val_if_fail (store != NULL && answer != NULL && name != NULL, FALSE);

  *name = NULL;
  grids = lk_gold_list (store, error);
  if (grids == NULL)
    return FALSE;
  for (guint g = 0; g < grids->len && *name == NULL; g++)
    {
      LkGoldGrid *grid = g_ptr_array_index (grids, g);

      if (same_answer (grid->answer, answer))
        *name = g_strdup (grid->name);
    }

  return TRUE;
}

/**
 * lk_gold_last_sorted:
 * @store: an open study
 * @participant: a participant's code
 * @query: (out): the query of their last stored sorting answer (a main-block grid, not a
 *   trial, training page or exam grid), or 0 when they have none
 * @error: return location for a #GError
 *
 * What "Keep as Known Answer" keeps: the grid the curator sorted last.
 *
 * Returns: %FALSE when the answers could not be read
 */
gboolean
lk_gold_last_sorted (LkStore     *store,
                     const char  *participant,
                     gint64      *query,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL && participant != NULL && query != NULL, FALSE);

  *query = 0;
  stmt = lk_store_prepare (store,
                           "SELECT a.query FROM answer a JOIN query q ON q.id = a.query "
                           "JOIN participant p ON p.id = a.participant "
                           "WHERE p.code = ? AND q.kind = 'sort' AND q.gold IS NULL "
                           "ORDER BY a.id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, participant, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *query = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the last sorted grid");
      return FALSE;
    }

  return TRUE;
}
