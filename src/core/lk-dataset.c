/* lk-dataset.c — built-in synthetic collections and CSV ground truth
 *
 * Specs (`likeness-cli simulate --dataset`):
 *   colors:N     N colours uniform in the RGB cube [0,1]^3 (the paper's section 4.3 "1000
 *                colors sampled uniformly"); no labels.
 *   points2d:N   N points uniform in the unit square; no labels.
 *   blobs:N      N points in 10 labelled Gaussian clusters in [0,1]^3 (sd 0.05), so that the
 *                cluster error can be measured.
 *   attributes:N N items with four two-valued attributes, in the manner of the faces of
 *                `001_8b2652e81e38914a.txt` (gender, hair, expression, age): each value is a fair
 *                coin, drawn independently. The label is the combination (16 classes, as the 16
 *                species of that paper's BIRDS set), and lk_dataset_get_attributes() gives the
 *                values, for the crowd of lk-simulate.c that sorts by one attribute at a time.
 *                The features are the four values plus a uniform jitter of +-0.1 per value, only
 *                so that the ground-truth neighbours are defined (the values alone tie by the
 *                hundred); they are not a picture of the item.
 *   classes:CxM  C classes of M items each (C * M items), as the 12 font classes of paper 000's
 *                180-image study (`classes:12x15`): each class a Gaussian cluster (sd 0.03) in
 *                [0,1]^3 around a centre at least 0.25 from every other class's (drawn again
 *                until it is), labelled by class, so its cluster error can be measured.
 *   csv:PATH     a CSV file whose header is `id,label,f1,f2,...`; the label column may be
 *                absent, and a label may be empty (that item then has none).
 *
 * The synthetic sets are drawn from their own stream of the seed (lk_rng_derive(), stream
 * DATASET_STREAM), never from lk_rng_new (seed) itself. A refiner seeded with the same seed
 * draws the paper's uniform random initial embedding from lk_rng_new (seed): drawn from that
 * generator too, colors:N was bit for bit that embedding, so every simulation started at the
 * ground truth (10-NN recall 1 before any answer) and every figure measured so was inflated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-dataset.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "lk-error.h"
#include "lk-rng.h"

#define MAX_ITEMS 1000000

/* lk_rng_derive() stream of the synthetic sets; the app's demo run derives its dataset seed
 * with the same number. */
#define DATASET_STREAM 11

struct _LkDataset {
  guint      n_items;
  guint      dim;
  double    *features;
  gint      *labels;       /* NULL when there are no labels; -1 = none for that item */
  guint      n_labels;
  GStrv      ids;          /* built-in sets: the index as text */
  GPtrArray *label_names;
  guint     *attributes;   /* attributes:N only: n_items x n_attributes values, else NULL */
  double    *descriptor;   /* attributes:N only: the observable colour, n_items x 3, else NULL */
  guint      n_attributes;
};

#define N_ATTRIBUTES 4

/**
 * lk_dataset_new:
 * @n_items: number of items
 * @dim: feature dimension
 * @features: (array): @n_items x @dim row-major, copied
 * @labels: (array) (nullable): a label per item (0.., or -1 for none), copied
 *
 * Returns: (transfer full): a dataset
 */
LkDataset *
lk_dataset_new (guint         n_items,
                guint         dim,
                const double *features,
                const gint   *labels)
{
  LkDataset *self = g_new0 (LkDataset, 1);

  self->n_items = n_items;
  self->dim = dim;
  self->features = g_memdup2 (features, sizeof (double) * n_items * dim);
  if (labels != NULL)
    {
      self->labels = g_memdup2 (labels, sizeof (gint) * n_items);
      for (guint i = 0; i < n_items; i++)
        self->n_labels = MAX (self->n_labels, (guint) (labels[i] + 1));
    }
  self->label_names = g_ptr_array_new_with_free_func (g_free);
  self->ids = g_new0 (char *, n_items + 1);
  for (guint i = 0; i < n_items; i++)
    self->ids[i] = g_strdup_printf ("%u", i);

  return self;
}

void
lk_dataset_free (LkDataset *self)
{
  if (self == NULL)
    return;

  g_free (self->features);
  g_free (self->labels);
  g_free (self->attributes);
  g_free (self->descriptor);
  g_strfreev (self->ids);
  g_ptr_array_unref (self->label_names);
  g_free (self);
}

static LkDataset *
make_uniform (guint    n,
              guint    dim,
              gsl_rng *rng)
{
  g_autofree double *f = g_new (double, (gsize) n * dim);

  for (gsize i = 0; i < (gsize) n * dim; i++)
    f[i] = gsl_rng_uniform (rng);

  return lk_dataset_new (n, dim, f, NULL);
}

static LkDataset *
make_blobs (guint    n,
            gsl_rng *rng)
{
  const guint n_blobs = 10, dim = 3;
  double centres[10 * 3];
  g_autofree double *f = g_new (double, (gsize) n * dim);
  g_autofree gint *labels = g_new (gint, n);

  for (guint c = 0; c < n_blobs * dim; c++)
    centres[c] = 0.15 + 0.7 * gsl_rng_uniform (rng);

  for (guint i = 0; i < n; i++)
    {
      labels[i] = i % n_blobs;
      for (guint k = 0; k < dim; k++)
        f[i * dim + k] = centres[labels[i] * dim + k] + gsl_ran_gaussian (rng, 0.05);
    }

  return lk_dataset_new (n, dim, f, labels);
}

static LkDataset *
make_attributes (guint    n,
                 gsl_rng *rng)
{
  g_autofree double *f = g_new (double, (gsize) n * N_ATTRIBUTES);
  g_autofree gint *labels = g_new (gint, n);
  guint *values = g_new (guint, (gsize) n * N_ATTRIBUTES);
  LkDataset *self;

  for (guint i = 0; i < n; i++)
    {
      labels[i] = 0;
      for (guint a = 0; a < N_ATTRIBUTES; a++)
        {
          guint v = gsl_rng_uniform_int (rng, 2);

          values[i * N_ATTRIBUTES + a] = v;
          labels[i] |= v << a;
          f[i * N_ATTRIBUTES + a] = v + 0.2 * (gsl_rng_uniform (rng) - 0.5);
        }
    }

  self = lk_dataset_new (n, N_ATTRIBUTES, f, labels);
  self->attributes = values;
  self->n_attributes = N_ATTRIBUTES;

  /* The observable colour (lk_dataset_get_descriptor()), drawn after the features so that
   * they stay those of earlier versions. */
  self->descriptor = g_new (double, (gsize) n * 3);
  for (guint i = 0; i < n; i++)
    {
      self->descriptor[i * 3] = 0.5 * values[i * N_ATTRIBUTES] + 0.5 * gsl_rng_uniform (rng);
      self->descriptor[i * 3 + 1] = gsl_rng_uniform (rng);
      self->descriptor[i * 3 + 2] = gsl_rng_uniform (rng);
    }

  return self;
}

static LkDataset *
make_classes (guint    n_classes,
              guint    per_class,
              gsl_rng *rng)
{
  const guint dim = 3;
  guint n = n_classes * per_class;
  g_autofree double *centres = g_new (double, (gsize) n_classes * dim);
  g_autofree double *f = g_new (double, (gsize) n * dim);
  g_autofree gint *labels = g_new (gint, n);

  for (guint c = 0; c < n_classes; c++)
    {
      /* Rejection: 12 points at least 0.25 apart fit easily in [0.15, 0.85]^3; after 10,000
       * tries the last draw is kept, so a request for too many classes still ends. */
      for (guint attempt = 0; attempt < 10000; attempt++)
        {
          gboolean apart = TRUE;

          for (guint k = 0; k < dim; k++)
            centres[c * dim + k] = 0.15 + 0.7 * gsl_rng_uniform (rng);
          for (guint o = 0; o < c && apart; o++)
            {
              double d2 = 0.0;

              for (guint k = 0; k < dim; k++)
                d2 += (centres[c * dim + k] - centres[o * dim + k]) *
                      (centres[c * dim + k] - centres[o * dim + k]);
              apart = d2 >= 0.25 * 0.25;
            }
          if (apart)
            break;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      labels[i] = i / per_class;
      for (guint k = 0; k < dim; k++)
        f[i * dim + k] = centres[labels[i] * dim + k] + gsl_ran_gaussian (rng, 0.03);
    }

  return lk_dataset_new (n, dim, f, labels);
}

/* Returns TRUE and the count if @text is a whole number in 1..MAX_ITEMS. */
static gboolean
parse_count (const char *text,
             guint      *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_ITEMS, &v, NULL))
    return FALSE;

  *out = (guint) v;
  return TRUE;
}

/**
 * lk_dataset_new_from_spec:
 * @spec: `colors:N`, `points2d:N`, `blobs:N`, `attributes:N`, `classes:CxM` or `csv:PATH`
 * @seed: seed of the synthetic sets (drawn from its derived stream, see the file's header)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error saying what is wrong
 */
LkDataset *
lk_dataset_new_from_spec (const char *spec,
                          guint64     seed,
                          GError    **error)
{
  g_autoptr(gsl_rng) rng = NULL;
  const char *colon;
  g_autofree char *kind = NULL;
  const char *arg;
  guint n;

  g_return_val_if_fail (spec != NULL, NULL);

  colon = strchr (spec, ':');
  if (colon == NULL)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "dataset '%s' has no ':'; use colors:N, points2d:N, blobs:N, attributes:N, classes:CxM or csv:PATH", spec);
      return NULL;
    }
  kind = g_strndup (spec, colon - spec);
  arg = colon + 1;

  if (strcmp (kind, "csv") == 0)
    {
      g_autofree char *text = NULL;

      if (!g_file_get_contents (arg, &text, NULL, error))
        return NULL;
      return lk_dataset_new_from_csv_data (text, error);
    }

  if (strcmp (kind, "classes") == 0)
    {
      g_auto(GStrv) parts = g_strsplit (arg, "x", 2);
      guint n_classes, per_class;

      if (g_strv_length (parts) != 2 || !parse_count (parts[0], &n_classes) ||
          !parse_count (parts[1], &per_class) || n_classes < 2 || per_class < 1 ||
          (guint64) n_classes * per_class > MAX_ITEMS)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "dataset classes:'%s' must be CxM, C >= 2 classes of M >= 1 items, at most %u in all",
                       arg, MAX_ITEMS);
          return NULL;
        }
      rng = lk_rng_new (lk_rng_derive (seed, DATASET_STREAM));
      return make_classes (n_classes, per_class, rng);
    }

  if (strcmp (kind, "colors") != 0 && strcmp (kind, "points2d") != 0 && strcmp (kind, "blobs") != 0 &&
      strcmp (kind, "attributes") != 0)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "unknown dataset kind '%s'; use colors:N, points2d:N, blobs:N, attributes:N, classes:CxM or csv:PATH", kind);
      return NULL;
    }
  if (!parse_count (arg, &n) || n < 2)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "dataset size '%s' must be a whole number from 2 to %u", arg, MAX_ITEMS);
      return NULL;
    }

  rng = lk_rng_new (lk_rng_derive (seed, DATASET_STREAM));

  if (strcmp (kind, "colors") == 0)
    return make_uniform (n, 3, rng);
  if (strcmp (kind, "points2d") == 0)
    return make_uniform (n, 2, rng);
  if (strcmp (kind, "attributes") == 0)
    return make_attributes (n, rng);
  return make_blobs (n, rng);
}

/* Returns the next line of *cursor without its line ending, advancing past it; NULL at the end. */
static char *
next_line (char **cursor)
{
  char *line = *cursor, *end;

  if (line == NULL || *line == '\0')
    return NULL;

  end = strchr (line, '\n');
  if (end != NULL)
    {
      *end = '\0';
      *cursor = end + 1;
    }
  else
    {
      *cursor = NULL;
    }

  if (end != NULL && end > line && end[-1] == '\r')
    end[-1] = '\0';
  else if (end == NULL && strlen (line) > 0 && line[strlen (line) - 1] == '\r')
    line[strlen (line) - 1] = '\0';

  return line;
}

/**
 * lk_dataset_new_from_csv_data:
 * @text: the whole CSV text: a header row with an `id` column, an optional `label` column and
 *   one or more numeric feature columns, then one row per item
 * @error: return location for a #GError
 *
 * Fields are separated by commas and may not be quoted. Any bad row fails the whole load, with
 * its line number.
 *
 * Returns: (transfer full) (nullable): the dataset
 */
LkDataset *
lk_dataset_new_from_csv_data (const char  *text,
                              GError     **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) label_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) label_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint id_col = -1, label_col = -1;
  guint n_cols, dim = 0, line_no = 1;
  gboolean any_label = FALSE;
  char *cursor, *line;
  LkDataset *self;

  g_return_val_if_fail (text != NULL, NULL);

#define FAIL(...) \
  G_STMT_START { \
    g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE, __VA_ARGS__); \
    return NULL; \
  } G_STMT_END

  copy = g_strdup (text);
  cursor = copy;
  line = next_line (&cursor);
  if (line == NULL)
    FAIL ("the CSV file is empty; it needs a header row id,label,f1,f2,...");

  header = g_strsplit (line, ",", -1);
  n_cols = g_strv_length (header);
  for (guint c = 0; c < n_cols; c++)
    {
      g_strstrip (header[c]);
      if (strcmp (header[c], "id") == 0 && id_col < 0)
        id_col = c;
      else if (strcmp (header[c], "label") == 0 && label_col < 0)
        label_col = c;
      else
        dim++;
    }
  if (id_col < 0)
    FAIL ("line 1: the header has no 'id' column; expected id,label,f1,f2,...");
  if (dim == 0)
    FAIL ("line 1: the header has no feature columns; expected id,label,f1,f2,...");

  while ((line = next_line (&cursor)) != NULL)
    {
      g_auto(GStrv) fields = NULL;
      gint label = -1;

      line_no++;
      if (*line == '\0')
        continue;

      fields = g_strsplit (line, ",", -1);
      if (g_strv_length (fields) != n_cols)
        FAIL ("line %u: %u fields, but the header has %u", line_no, g_strv_length (fields), n_cols);

      for (guint c = 0; c < n_cols; c++)
        {
          char *field = g_strstrip (fields[c]);

          if ((gint) c == id_col)
            {
              if (*field == '\0')
                FAIL ("line %u: the id is empty", line_no);
              if (g_hash_table_contains (seen_ids, field))
                FAIL ("line %u: the id '%s' appeared before", line_no, field);
              g_ptr_array_add (ids, g_strdup (field));
              g_hash_table_add (seen_ids, g_ptr_array_index (ids, ids->len - 1));
            }
          else if ((gint) c == label_col)
            {
              gpointer idx;

              if (*field == '\0')
                continue;
              any_label = TRUE;
              if (!g_hash_table_lookup_extended (label_index, field, NULL, &idx))
                {
                  g_ptr_array_add (label_names, g_strdup (field));
                  idx = GUINT_TO_POINTER (label_names->len - 1);
                  g_hash_table_insert (label_index, g_ptr_array_index (label_names, label_names->len - 1), idx);
                }
              label = GPOINTER_TO_INT (idx);
            }
          else
            {
              char *end = NULL;
              double v;

              errno = 0;
              v = g_ascii_strtod (field, &end);
              if (*field == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite (v))
                FAIL ("line %u: '%s' in column '%s' is not a finite number", line_no, field, header[c]);
              g_array_append_val (features, v);
            }
        }
      g_array_append_val (labels, label);

      if (ids->len > MAX_ITEMS)
        FAIL ("more than %u items", MAX_ITEMS);
    }

  if (ids->len < 2)
    FAIL ("the CSV file has %u item rows; at least 2 are needed", ids->len);

#undef FAIL

  self = lk_dataset_new (ids->len, dim, (const double *) features->data,
                         any_label ? (const gint *) labels->data : NULL);
  g_ptr_array_add (ids, NULL);
  g_strfreev (self->ids);
  self->ids = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  g_ptr_array_extend_and_steal (self->label_names, g_steal_pointer (&label_names));

  return self;
}

guint
lk_dataset_get_n_items (const LkDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

guint
lk_dataset_get_dim (const LkDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->dim;
}

const double *
lk_dataset_get_features (const LkDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->features;
}

/**
 * lk_dataset_get_labels:
 * @self: a dataset
 *
 * Returns: (nullable) (array): a label per item (-1 for none), or %NULL without labels
 */
const gint *
lk_dataset_get_labels (const LkDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->labels;
}

guint
lk_dataset_get_n_labels (const LkDataset *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_labels;
}

/**
 * lk_dataset_get_id:
 * @self: a dataset
 * @item: an item index
 *
 * Returns: the item's id: from the CSV file, or its index for built-in sets. The string is
 *   owned by @self.
 */
const char *
lk_dataset_get_id (const LkDataset *self,
                   guint            item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);

  return self->ids[item];
}

const char *
lk_dataset_get_label_name (const LkDataset *self,
                           guint            label)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (label < self->label_names->len)
    return g_ptr_array_index (self->label_names, label);

  return NULL;
}

/**
 * lk_dataset_get_descriptor:
 * @self: a dataset
 * @dim: (out): the descriptor's dimension
 *
 * What an image descriptor (a colour vector) would see of each item, the baseline the
 * learned metric is scored against. For colors:N, points2d:N, blobs:N and csv:PATH it is the
 * features themselves (the colour is what people judge). For attributes:N, whose people judge
 * by attributes that colour does not show, it is a colour in [0,1]^3 of which only the first
 * channel follows the first attribute (0.5 a_0 + 0.5 u), the others uniform noise: like a
 * hair colour that shows one attribute of a face and nothing of the other three.
 *
 * Returns: (array): n_items x @dim, row-major
 */
const double *
lk_dataset_get_descriptor (const LkDataset *self,
                           guint           *dim)
{
  g_return_val_if_fail (self != NULL && dim != NULL, NULL);

  if (self->descriptor != NULL)
    {
      *dim = 3;
      return self->descriptor;
    }
  *dim = self->dim;
  return self->features;
}

/**
 * lk_dataset_get_attributes:
 * @self: a dataset
 * @n_attributes: (out): attributes per item (0 without)
 *
 * Returns: (nullable) (array): the items' attribute values, @n_items x @n_attributes row-major
 *   (each 0 or 1), or %NULL for every set but `attributes:N`
 */
const guint *
lk_dataset_get_attributes (const LkDataset *self,
                           guint           *n_attributes)
{
  g_return_val_if_fail (self != NULL && n_attributes != NULL, NULL);

  *n_attributes = self->n_attributes;
  return self->attributes;
}
