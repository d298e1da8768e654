/* lk-neighbours.c — k-NN of a study's images under the learned embedding and each descriptor
 *
 * An LkSpace is an immutable snapshot of one set of vectors: the last completed phase's
 * embedding (what the study has learned), or the cached colour or HOG descriptors
 * (lk-image-features.c). Once loaded it never touches the caller's store, so a worker thread
 * can query it while the UI keeps the store; a long descriptor (HOG) is kept a byte per value
 * and reads its few candidates' exact vectors back through a read-only connection of its own
 * (see "a long descriptor, quantised" below). lk_space_query() answers one item's k nearest neighbours in
 * O(N d) — the browser asks for one item at a time — with the arithmetic and tie rule of the
 * core's lk_knn_compute() (squared Euclidean distance summed in double over the coordinates in
 * order, nearest first, equal distances by smaller item id), so both give the same lists; the
 * tests check that. Items without a vector (a descriptor that could not be computed) are
 * neither seeds nor neighbours.
 *
 * "Known too little": the learned metric only knows an image through the answers that placed
 * it in a bin; lk_neighbours_load_support() counts them per item, and the browser marks items
 * under LK_NEIGHBOURS_FEW_ANSWERS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-neighbours.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "lk-knn.h"
#include "lk-store-private.h"

struct _LkSpace {
  gatomicrefcount  ref_count;
  LkSpaceKind      kind;
  guint            n_items;
  guint            dim;
  guint            n_present;
  double          *points;   /* learned: n_items x dim */
  float           *fpoints;  /* a short descriptor: n_items x dim */
  guint8          *present;

  /* A long descriptor (HOG), quantised (QUANTISE_MIN_DIM): a byte per value, the exact
   * floats read back from the study for the few candidates of a query */
  guint8          *codes;    /* n_items x dim */
  float           *lows;     /* per item: the value of code 0 */
  float           *steps;    /* per item: the value of one code step */
  double          *slacks;   /* per item: an upper bound of ||x - decoded x|| */
  char            *path;     /* the study the exact vectors are read from */
  GMutex           lock;     /* for exact */
  LkStore         *exact;    /* a read-only connection, opened at the first query */
};

/* Descriptors of at least this many values are kept quantised (HOG's 1764: 700 MB of floats
 * at 100,000 images, 176 MB of bytes); the colour descriptor stays as floats. */
#define QUANTISE_MIN_DIM 256

static const char *space_names[LK_SPACE_N_KINDS] = { "learned", "color", "hog" };

const char *
lk_space_kind_to_string (LkSpaceKind kind)
{
  g_return_val_if_fail (kind < LK_SPACE_N_KINDS, NULL);

  return space_names[kind];
}

gboolean
lk_space_kind_from_string (const char  *name,
                           LkSpaceKind *kind)
{
  for (guint k = 0; k < LK_SPACE_N_KINDS; k++)
    if (g_strcmp0 (name, space_names[k]) == 0)
      {
        *kind = k;
        return TRUE;
      }

  return FALSE;
}

/* Reads the last phase's embedding into @self. */
static gboolean
load_learned (LkSpace  *self,
              LkStore  *store,
              GError  **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store,
                                         "SELECT n_items, dim, embedding FROM phase "
                                         "ORDER BY phase DESC LIMIT 1", error);
  gboolean ok = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      guint n = sqlite3_column_int (stmt, 0), dim = sqlite3_column_int (stmt, 1);
      const guint8 *blob = sqlite3_column_blob (stmt, 2);

      if (n > 0 && dim > 0 && (gsize) sqlite3_column_bytes (stmt, 2) == (gsize) n * dim * 8)
        {
          self->n_items = n;
          self->dim = dim;
          self->points = g_new (double, (gsize) n * dim);
          for (gsize i = 0; i < (gsize) n * dim; i++)
            {
              guint64 bits;

              memcpy (&bits, blob + i * 8, 8);
              bits = GUINT64_FROM_LE (bits);
              memcpy (&self->points[i], &bits, 8);
            }
          self->present = g_malloc (n);
          memset (self->present, 1, n);
          ok = TRUE;
        }
      else
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "The stored embedding has the wrong size");
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 "No phase is complete yet: the study has learned nothing so far");
  else
    lk_store_set_error (store, error, rc, "Reading the embedding");
  sqlite3_reset (stmt);

  return ok;
}

/* ---- a long descriptor, quantised --------------------------------------------------------
 *
 * Each vector x is kept as a byte per value, q_c = round ((x_c - low) / step) with low and step
 * its own minimum and (maximum - minimum) / 255, and with the distance s = ||x - x'|| from its
 * decoding x'_c = low + step q_c (rounded up: an upper bound). For a seed a (exact, read back
 * from the study), the triangle inequality bounds the exact distance of each image b by its
 * decoded one: ||a - b'|| - s_b <= ||a - b|| <= ||a - b'|| + s_b. The k-th smallest upper bound
 * U is at least the k-th smallest exact distance, so every image of the exact k nearest (ties
 * included) has a lower bound of at most U: only those candidates are read back and measured
 * exactly, with the arithmetic and tie rule of the full-float space, so the lists are the same.
 * A small relative margin covers the rounding of the bounds' own sums. */

#define BOUND_MARGIN 1e-9

typedef struct {
  LkSpace *space;
  guint    dim;
} QuantiseData;

static void
decode (const LkSpace *self,
        guint          item,
        double        *out)
{
  const guint8 *q = self->codes + (gsize) item * self->dim;
  double low = self->lows[item], step = self->steps[item];

  for (guint c = 0; c < self->dim; c++)
    out[c] = low + step * q[c];
}

static void
quantise_row (guint        item,
              const float *values,
              guint        n_items,
              gpointer     user_data)
{
  LkSpace *self = user_data;
  g_autofree double *decoded = g_new (double, self->dim);
  guint8 *q;
  float lo = values[0], hi = values[0];
  double slack2 = 0.0;

  if (self->codes == NULL)
    {
      self->n_items = n_items;
      self->codes = g_new0 (guint8, MAX ((gsize) n_items * self->dim, 1));
      self->lows = g_new0 (float, MAX (n_items, 1));
      self->steps = g_new0 (float, MAX (n_items, 1));
      self->slacks = g_new0 (double, MAX (n_items, 1));
      self->present = g_new0 (guint8, MAX (n_items, 1));
    }
  for (guint c = 1; c < self->dim; c++)
    {
      lo = MIN (lo, values[c]);
      hi = MAX (hi, values[c]);
    }
  self->lows[item] = lo;
  self->steps[item] = (float) (((double) hi - lo) / 255.0);
  q = self->codes + (gsize) item * self->dim;
  for (guint c = 0; c < self->dim; c++)
    {
      double v = self->steps[item] > 0 ? ((double) values[c] - lo) / self->steps[item] : 0.0;

      q[c] = (guint8) CLAMP (floor (v + 0.5), 0, 255);
    }
  decode (self, item, decoded);
  for (guint c = 0; c < self->dim; c++)
    slack2 += ((double) values[c] - decoded[c]) * ((double) values[c] - decoded[c]);
  self->slacks[item] = sqrt (slack2) * (1 + BOUND_MARGIN) + 1e-12;
  self->present[item] = 1;
}

/* Reads a long descriptor row by row into its quantised form. */
static gboolean
load_quantised (LkSpace  *self,
                LkStore  *store,
                GError  **error)
{
  LkFeatureKind feature = self->kind == LK_SPACE_COLOR ? LK_FEATURE_COLOR : LK_FEATURE_HOG;
  guint n;

  self->dim = lk_feature_kind_get_dim (feature);
  if (!lk_image_features_scan (store, feature, quantise_row, self, &n, error))
    return FALSE;
  if (self->codes == NULL)
    {
      /* No image has the descriptor: the caller says so. */
      self->n_items = n;
      self->present = g_new0 (guint8, MAX (n, 1));
    }
  self->path = g_strdup (lk_store_get_path (store));

  return TRUE;
}

/* Reads @item's exact vector of a quantised space into @out (as doubles), through the space's
 * own connection (@self->lock held). A study that cannot be read any more (removed meanwhile)
 * leaves the decoded vector, within the item's slack of the exact one. */
static void
read_exact (LkSpace *self,
            guint    item,
            float   *buffer,
            double  *out)
{
  g_autoptr(GError) error = NULL;
  LkFeatureKind feature = self->kind == LK_SPACE_COLOR ? LK_FEATURE_COLOR : LK_FEATURE_HOG;

  if (self->exact == NULL)
    self->exact = lk_store_open (self->path, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED,
                                 &error);
  if (self->exact != NULL && lk_image_features_get (self->exact, feature, item, buffer, &error))
    {
      for (guint c = 0; c < self->dim; c++)
        out[c] = buffer[c];
      return;
    }
  g_debug ("reading the exact %s descriptor of image %u: %s", space_names[self->kind], item,
           error != NULL ? error->message : "no study");
  decode (self, item, out);
}

static guint
query_quantised (const LkSpace *cself,
                 guint          item,
                 guint          k,
                 guint         *ids,
                 double        *best)
{
  LkSpace *self = (LkSpace *) cself;
  guint dim = self->dim, filled = 0, n_upper = 0;
  g_autofree double *seed = g_new (double, dim);
  g_autofree double *other = g_new (double, dim);
  g_autofree float *buffer = g_new (float, dim);
  g_autofree guint *upper_ids = g_new (guint, k);
  g_autofree double *upper = g_new (double, k);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) lowers = g_array_new (FALSE, FALSE, sizeof (double));
  double u;

  g_mutex_lock (&self->lock);
  read_exact (self, item, buffer, seed);
  g_mutex_unlock (&self->lock);

  for (guint j = 0; j < self->n_items; j++)
    {
      const guint8 *q = self->codes + (gsize) j * dim;
      double low = self->lows[j], step = self->steps[j], slack = self->slacks[j];
      double d2 = 0.0, reject, d;
      guint c = 0;

      if (j == item || !self->present[j])
        continue;
      /* Beyond this, the lower bound exceeds the k-th upper bound found so far. */
      u = n_upper == k ? upper[k - 1] : INFINITY;
      reject = (u + slack) * (u + slack) * (1 + BOUND_MARGIN);
      while (c < dim)
        {
          guint end = MIN (c + 64, dim);

          for (; c < end; c++)
            {
              double e = seed[c] - (low + step * q[c]);

              d2 += e * e;
            }
          if (d2 > reject)
            break;
        }
      if (c < dim)
        continue;
      d = sqrt (d2);
      lk_knn_push (upper_ids, upper, k, &n_upper, j, d + slack);
      g_array_append_val (candidates, j);
      d -= slack;
      g_array_append_val (lowers, d);
    }

  /* Every candidate whose lower bound reaches the final k-th upper bound, exactly, in
   * increasing id order (the tie rule). */
  u = n_upper == k ? upper[k - 1] * (1 + BOUND_MARGIN) + 1e-12 : INFINITY;
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < candidates->len; i++)
    {
      guint j = g_array_index (candidates, guint, i);
      double d2 = 0.0;

      if (g_array_index (lowers, double, i) > u)
        continue;
      read_exact (self, j, buffer, other);
      for (guint c = 0; c < dim; c++)
        d2 += (seed[c] - other[c]) * (seed[c] - other[c]);
      lk_knn_push (ids, best, k, &filled, j, d2);
    }
  g_mutex_unlock (&self->lock);

  return filled;
}

/**
 * lk_space_load:
 * @store: a study
 * @kind: which vectors
 * @error: return location for a #GError; %LK_STORE_ERROR_NOT_FOUND when no phase is complete
 *   (learned) or no image has the descriptor yet
 *
 * Returns: (transfer full) (nullable): a snapshot of the vectors
 */
static LkSpace *
space_load (LkStore      *store,
            LkSpaceKind   kind,
            gboolean      compact,
            GError      **error)
{
  g_autoptr(LkSpace) self = g_new0 (LkSpace, 1);

  g_return_val_if_fail (kind < LK_SPACE_N_KINDS, NULL);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  self->kind = kind;
  if (kind == LK_SPACE_LEARNED)
    {
      if (!load_learned (self, store, error))
        return NULL;
    }
  else if (compact &&
           lk_feature_kind_get_dim (kind == LK_SPACE_COLOR ? LK_FEATURE_COLOR : LK_FEATURE_HOG)
           >= QUANTISE_MIN_DIM)
    {
      if (!load_quantised (self, store, error))
        return NULL;
    }
  else
    {
      self->fpoints = lk_image_features_load (store, kind == LK_SPACE_COLOR ? LK_FEATURE_COLOR
                                                                            : LK_FEATURE_HOG,
                                              &self->n_items, &self->dim, &self->present, error);
      if (self->fpoints == NULL)
        return NULL;
    }
  for (guint i = 0; i < self->n_items; i++)
    self->n_present += self->present[i];
  if (self->n_present == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "No image has the %s descriptor yet", space_names[kind]);
      return NULL;
    }

  return g_steal_pointer (&self);
}

LkSpace *
lk_space_load (LkStore      *store,
               LkSpaceKind   kind,
               GError      **error)
{
  return space_load (store, kind, FALSE, error);
}

/**
 * lk_space_load_compact:
 * @store: a study
 * @kind: which vectors
 * @error: return location for a #GError, as lk_space_load()'s
 *
 * Loads the space as lk_space_load() does, but a long descriptor (HOG) a byte per value: its
 * queries give the same lists, reading their few candidates' exact vectors back from @store's
 * file through a read-only connection of the space's own (a quarter of the memory: 176 MB
 * instead of 700 MB at 100,000 images). lk_space_distance() reads both vectors back, so
 * callers measuring many pairs load the space with lk_space_load().
 *
 * Returns: (transfer full) (nullable): a snapshot of the vectors
 */
LkSpace *
lk_space_load_compact (LkStore      *store,
                       LkSpaceKind   kind,
                       GError      **error)
{
  return space_load (store, kind, TRUE, error);
}

LkSpace *
lk_space_ref (LkSpace *self)
{
  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
lk_space_unref (LkSpace *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->points);
  g_free (self->fpoints);
  g_free (self->present);
  g_free (self->codes);
  g_free (self->lows);
  g_free (self->steps);
  g_free (self->slacks);
  g_free (self->path);
  g_clear_pointer (&self->exact, lk_store_close);
  g_mutex_clear (&self->lock);
  g_free (self);
}

LkSpaceKind
lk_space_get_kind (const LkSpace *self)
{
  return self->kind;
}

guint
lk_space_get_n_items (const LkSpace *self)
{
  return self->n_items;
}

guint
lk_space_get_dim (const LkSpace *self)
{
  return self->dim;
}

guint
lk_space_get_n_present (const LkSpace *self)
{
  return self->n_present;
}

gboolean
lk_space_has_item (const LkSpace *self,
                   guint          item)
{
  return item < self->n_items && self->present[item];
}

/* Returns the squared distance between items @i and @j, summed as lk_knn_compute() does, or,
 * as soon as the partial sum reaches @bound, that partial sum. The terms are squares, and adding
 * a non-negative number never lowers a sum in floating point, so the full sum would reach
 * @bound too: lk_knn_push() rejects both alike, and the lists are exactly those of the full
 * sums. With HOG's 1764 dimensions most candidates stop after a few hundred. */
static inline double
distance2 (const LkSpace *self,
           guint          i,
           guint          j,
           double         bound)
{
  double d2 = 0.0;
  guint c = 0;

  if (self->points != NULL)
    {
      const double *pi = self->points + (gsize) i * self->dim;
      const double *pj = self->points + (gsize) j * self->dim;

      for (; c < self->dim; c++)
        d2 += (pi[c] - pj[c]) * (pi[c] - pj[c]);

      return d2;
    }

  {
    const float *pi = self->fpoints + (gsize) i * self->dim;
    const float *pj = self->fpoints + (gsize) j * self->dim;

    while (c < self->dim)
      {
        guint end = MIN (c + 32, self->dim);

        for (; c < end; c++)
          d2 += ((double) pi[c] - (double) pj[c]) * ((double) pi[c] - (double) pj[c]);
        if (d2 >= bound)
          break;
      }
  }

  return d2;
}

/**
 * lk_space_query:
 * @self: a space
 * @item: the seed
 * @k: neighbours wanted
 * @ids: (out caller-allocates) (array length=k): neighbour ids, nearest first
 * @distances: (out caller-allocates) (optional) (array length=k): their Euclidean distances
 *
 * Returns: how many neighbours were found: @k, fewer when fewer other items have vectors, 0
 *   when @item has none
 */
guint
lk_space_query (const LkSpace *self,
                guint          item,
                guint          k,
                guint         *ids,
                double        *distances)
{
  g_autofree double *best = g_new (double, MAX (k, 1));
  guint filled = 0;

  if (!lk_space_has_item (self, item) || k == 0)
    return 0;
  if (self->codes != NULL)
    filled = query_quantised (self, item, k, ids, best);
  else
    for (guint j = 0; j < self->n_items; j++)
      {
        if (j != item && self->present[j])
          lk_knn_push (ids, best, k, &filled, j,
                       distance2 (self, item, j, filled == k ? best[k - 1] : INFINITY));
      }
  if (distances != NULL)
    for (guint r = 0; r < filled; r++)
      distances[r] = sqrt (best[r]);

  return filled;
}

/**
 * lk_neighbours_load_support:
 * @store: a study
 * @n_items: (out): the collection's item count (largest item id + 1)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): per item, the number of stored answers that placed it in a bin
 */
guint *
lk_neighbours_load_support (LkStore  *store,
                            guint    *n_items,
                            GError  **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT COALESCE(MAX(item) + 1, 0) FROM image",
                                         error);
  guint *support;
  guint n;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  n = rc == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
  sqlite3_reset (stmt);
  stmt = lk_store_prepare (store,
                           "SELECT qi.item, COUNT(*) FROM answer a "
                           "JOIN query_item qi ON qi.query = a.query "
                           "JOIN answer_bin ab ON ab.answer = a.id AND ab.position = qi.position "
                           "WHERE ab.bin >= 0 GROUP BY qi.item", error);
  if (stmt == NULL)
    return NULL;
  support = g_new0 (guint, MAX (n, 1));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      if (item < n)
        support[item] = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Counting answers per image");
      g_free (support);
      return NULL;
    }
  *n_items = n;

  return support;
}

/* Loads every space the study has (the learned one only once a phase is complete). */
static GPtrArray *
load_spaces (LkStore  *store,
             GError  **error)
{
  g_autoptr(GPtrArray) spaces = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_space_unref);

  for (guint k = 0; k < LK_SPACE_N_KINDS; k++)
    {
      g_autoptr(GError) local_error = NULL;
      LkSpace *space = lk_space_load (store, k, &local_error);

      if (space != NULL)
        g_ptr_array_add (spaces, space);
      else if (!g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  return g_steal_pointer (&spaces);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text != NULL && strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (text != NULL)
    g_string_append (out, text);
}

/* Every space's lists, computed before anything is written. */
typedef struct {
  LkSpace *space;
  guint   *found; /* per item */
  guint   *ids;   /* n_items x k */
  double  *dist;  /* n_items x k */
} Lists;

static void
lists_clear (gpointer data)
{
  Lists *l = data;

  g_free (l->found);
  g_free (l->ids);
  g_free (l->dist);
}

#define PROGRESS_EVERY 64

static GArray *
compute_lists (GPtrArray            *spaces,
               guint                 n_paths,
               guint                 k,
               LkNeighboursProgress  progress,
               gpointer              data,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(GArray) lists = g_array_new (FALSE, TRUE, sizeof (Lists));
  guint total = 0, done = 0;

  g_array_set_clear_func (lists, lists_clear);
  for (guint s = 0; s < spaces->len; s++)
    total += MIN (((LkSpace *) g_ptr_array_index (spaces, s))->n_items, n_paths);
  for (guint s = 0; s < spaces->len; s++)
    {
      LkSpace *space = g_ptr_array_index (spaces, s);
      guint n = MIN (space->n_items, n_paths);
      Lists l = { space, g_new0 (guint, MAX (n, 1)), g_new (guint, (gsize) MAX (n, 1) * k),
                  g_new (double, (gsize) MAX (n, 1) * k) };

      g_array_append_val (lists, l);
      for (guint i = 0; i < n; i++, done++)
        {
          if (done % PROGRESS_EVERY == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return NULL;
              if (progress != NULL)
                progress (done, total, data);
            }
          l.found[i] = lk_space_query (space, i, k, l.ids + (gsize) i * k, l.dist + (gsize) i * k);
        }
    }
  if (progress != NULL)
    progress (total, total, data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&lists);
}

static gboolean
write_csv (GArray     *lists,
           GPtrArray  *paths,
           guint       k,
           const char *path,
           GError    **error)
{
  g_autoptr(GString) out = g_string_new ("space,item,path,rank,neighbour,neighbour_path,distance\n");

  for (guint s = 0; s < lists->len; s++)
    {
      Lists *l = &g_array_index (lists, Lists, s);

      for (guint i = 0; i < MIN (l->space->n_items, paths->len); i++)
        for (guint r = 0; r < l->found[i]; r++)
          {
            guint j = l->ids[(gsize) i * k + r];
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append_printf (out, "%s,%u,", space_names[l->space->kind], i);
            append_csv_field (out, g_ptr_array_index (paths, i));
            g_string_append_printf (out, ",%u,%u,", r + 1, j);
            append_csv_field (out, j < paths->len ? g_ptr_array_index (paths, j) : NULL);
            g_string_append_printf (out, ",%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                                   l->dist[(gsize) i * k + r]));
          }
    }

  return lk_export_write_file (out, path, error);
}

static gboolean
write_json (GArray      *lists,
            GPtrArray   *paths,
            const guint *support,
            guint        n_support,
            guint        k,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "k");
  json_builder_add_int_value (builder, k);
  json_builder_set_member_name (builder, "spaces");
  json_builder_begin_object (builder);
  for (guint s = 0; s < lists->len; s++)
    {
      Lists *l = &g_array_index (lists, Lists, s);

      json_builder_set_member_name (builder, space_names[l->space->kind]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < MIN (l->space->n_items, paths->len); i++)
        {
          if (l->found[i] == 0)
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "item");
          json_builder_add_int_value (builder, i);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, g_ptr_array_index (paths, i));
          json_builder_set_member_name (builder, "answers");
          json_builder_add_int_value (builder, i < n_support ? support[i] : 0);
          json_builder_set_member_name (builder, "neighbours");
          json_builder_begin_array (builder);
          for (guint r = 0; r < l->found[i]; r++)
            {
              guint j = l->ids[(gsize) i * k + r];

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "item");
              json_builder_add_int_value (builder, j);
              json_builder_set_member_name (builder, "path");
              json_builder_add_string_value (builder, j < paths->len ? g_ptr_array_index (paths, j)
                                                                     : NULL);
              json_builder_set_member_name (builder, "distance");
              json_builder_add_double_value (builder, l->dist[(gsize) i * k + r]);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  out = g_string_new_len (text, len);

  return lk_export_write_file (out, path, error);
}

/**
 * lk_neighbours_export:
 * @store: a study; read on the calling thread only
 * @k: neighbours per item (at least 1)
 * @format: CSV or JSON
 * @path: the file to write (replaced whole, or left as it was on failure)
 * @progress: (nullable): told how many of the images of every space are done, on the calling
 *   thread, every 64 images and at the end
 * @data: for @progress
 * @cancellable: (nullable): checked every 64 images; nothing is written once it is cancelled
 * @error: return location for a #GError
 *
 * Writes each image's @k nearest neighbours under every space the study has (the learned one
 * once a phase is complete, and each descriptor that is cached). O(N² d) per space, as
 * lk_space_query() answers one image in O(N d): at 20,000 images, tens of seconds, so a UI
 * runs it on a worker with its own read-only connection.
 *
 * CSV: columns space (learned, color, hog), item, path, rank (1 = nearest), neighbour,
 * neighbour_path, distance. JSON: `{"k": K, "spaces": {"learned": [{"item", "path", "answers",
 * "neighbours": [{"item", "path", "distance"}…]}…], "color": […], "hog": […]}}`, a space only
 * when the study has it.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_neighbours_export (LkStore               *store,
                      guint                  k,
                      LkNeighboursFormat     format,
                      const char            *path,
                      LkNeighboursProgress   progress,
                      gpointer               data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) spaces = NULL;
  g_autoptr(GArray) lists = NULL;
  g_autofree guint *support = NULL;
  guint n_support = 0;

  if (k == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "k must be at least 1");
      return FALSE;
    }
  if ((paths = lk_collection_load_paths (store, error)) == NULL ||
      (spaces = load_spaces (store, error)) == NULL)
    return FALSE;
  if (format == LK_NEIGHBOURS_JSON &&
      (support = lk_neighbours_load_support (store, &n_support, error)) == NULL)
    return FALSE;
  lists = compute_lists (spaces, paths->len, k, progress, data, cancellable, error);
  if (lists == NULL)
    return FALSE;

  if (format == LK_NEIGHBOURS_JSON)
    return write_json (lists, paths, support, n_support, k, path, error);

  return write_csv (lists, paths, k, path, error);
}

/**
 * lk_neighbours_export_csv:
 * @store: a study
 * @k: neighbours per item
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * lk_neighbours_export() as CSV, without progress.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_neighbours_export_csv (LkStore     *store,
                          guint        k,
                          const char  *path,
                          GError     **error)
{
  return lk_neighbours_export (store, k, LK_NEIGHBOURS_CSV, path, NULL, NULL, NULL, error);
}

/**
 * lk_neighbours_export_json:
 * @store: a study
 * @k: neighbours per item
 * @path: the JSON file to write
 * @error: return location for a #GError
 *
 * lk_neighbours_export() as JSON, without progress.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_neighbours_export_json (LkStore     *store,
                           guint        k,
                           const char  *path,
                           GError     **error)
{
  return lk_neighbours_export (store, k, LK_NEIGHBOURS_JSON, path, NULL, NULL, NULL, error);
}

/**
 * lk_space_distance:
 * @a: an item
 * @b: another item
 * @space: (type LkSpace): the space
 *
 * An #LkScoreDistanceFunc: the Euclidean distance of @a and @b in @space (as lk_space_query()
 * measures it), +∞ when either has no vector (a descriptor not computed for it).
 *
 * Returns: the distance
 */
double
lk_space_distance (guint    a,
                   guint    b,
                   gpointer space)
{
  const LkSpace *self = space;
  double sum = 0.0;

  if (a >= self->n_items || b >= self->n_items || !self->present[a] || !self->present[b])
    return INFINITY;
  if (self->codes != NULL)
    {
      LkSpace *mutable = space;
      g_autofree double *va = g_new (double, self->dim);
      g_autofree double *vb = g_new (double, self->dim);
      g_autofree float *buffer = g_new (float, self->dim);

      g_mutex_lock (&mutable->lock);
      read_exact (mutable, a, buffer, va);
      read_exact (mutable, b, buffer, vb);
      g_mutex_unlock (&mutable->lock);
      for (guint j = 0; j < self->dim; j++)
        sum += (va[j] - vb[j]) * (va[j] - vb[j]);

      return sqrt (sum);
    }
  for (guint j = 0; j < self->dim; j++)
    {
      double d = self->points != NULL
                 ? self->points[(gsize) a * self->dim + j] - self->points[(gsize) b * self->dim + j]
                 : (double) self->fpoints[(gsize) a * self->dim + j] -
                   (double) self->fpoints[(gsize) b * self->dim + j];

      sum += d * d;
    }

  return sqrt (sum);
}
