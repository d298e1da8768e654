/* lk-neighbour-spaces.c — a study's neighbour spaces, loaded off the main thread
 *
 * The collection browser shows an image's neighbours under the three spaces, and the judging
 * window draws its rounds from the learned space and one descriptor's; both load them here.
 * A load runs in a GTask with its own read-only connection to the study (a read-only
 * connection reads through the WAL beside a window's writable one), and hands back immutable
 * LkSpace snapshots that the main thread swaps in; a query runs in a GTask on references to
 * those snapshots, so a load may replace them meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-neighbour-spaces.h"

/* The scale of a space: the mean distance to the SCALE_K-th neighbour over up to SCALE_SAMPLE
 * evenly spread images (the browser's threshold is relative to it). */
#define SCALE_K      10
#define SCALE_SAMPLE 50

struct _LkNeighbourSpaces
{
  GObject   parent_instance;

  /* Owned references */
  char     *path;
  LkSpace  *spaces[LK_SPACE_N_KINDS];
  GError   *errors[LK_SPACE_N_KINDS];
  guint    *support;

  /* State */
  double    scales[LK_SPACE_N_KINDS];
  guint     n_support;
  gboolean  loaded;
};

G_DEFINE_FINAL_TYPE (LkNeighbourSpaces, lk_neighbour_spaces, G_TYPE_OBJECT)

/* ---- loading ----------------------------------------------------------------------------- */

typedef struct {
  char                  *path;
  LkNeighbourSpacesFlags flags;
  LkSpace               *spaces[LK_SPACE_N_KINDS];
  GError                *errors[LK_SPACE_N_KINDS];
  double                 scales[LK_SPACE_N_KINDS];
  guint                 *support;
  guint                  n_support;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *l = data;

  g_free (l->path);
  g_free (l->support);
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_clear_pointer (&l->spaces[s], lk_space_unref);
      g_clear_error (&l->errors[s]);
    }
  g_free (l);
}

/* Returns the mean distance to the SCALE_K-th neighbour over up to SCALE_SAMPLE images. */
static double
space_scale (LkSpace *space)
{
  guint n = lk_space_get_n_items (space), step = MAX (n / SCALE_SAMPLE, 1), count = 0;
  guint ids[SCALE_K];
  double d[SCALE_K], sum = 0.0;

  for (guint i = 0; i < n && count < SCALE_SAMPLE; i += step)
    {
      guint found = lk_space_query (space, i, SCALE_K, ids, d);

      if (found > 0)
        {
          sum += d[found - 1];
          count++;
        }
    }

  return count > 0 ? sum / count : 0.0;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *l = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (l->path, LK_STORE_OPEN_READ_ONLY, &error);

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((l->flags & LK_NEIGHBOUR_SPACES_SUPPORT) != 0)
    {
      l->support = lk_neighbours_load_support (store, &l->n_support, &error);
      if (l->support == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      if ((l->flags & (1 << s)) == 0)
        continue;
      /* Compact: HOG a byte per value (lk-neighbours.c), a quarter of its floats' memory. */
      l->spaces[s] = lk_space_load_compact (store, s, &l->errors[s]);
      if (l->spaces[s] != NULL && (l->flags & LK_NEIGHBOUR_SPACES_SCALES) != 0)
        l->scales[s] = space_scale (l->spaces[s]);
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * lk_neighbour_spaces_load_async:
 * @flags: the spaces to load, and whether with their scales and the answer counts
 *
 * Loads the spaces @flags names through a read-only connection of its own, on a worker. A
 * space that cannot be loaded (no completed phase, no descriptor yet) is not an error of the
 * load: lk_neighbour_spaces_get_error() says why it is missing.
 */
void
lk_neighbour_spaces_load_async (LkNeighbourSpaces      *self,
                                LkNeighbourSpacesFlags  flags,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *l;

  g_return_if_fail (LK_IS_NEIGHBOUR_SPACES (self));

  l = g_new0 (LoadData, 1);
  l->path = g_strdup (self->path);
  l->flags = flags;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_neighbour_spaces_load_async);
  g_task_set_task_data (task, l, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * lk_neighbour_spaces_load_finish:
 *
 * Swaps the loaded spaces in.
 *
 * Returns: %FALSE with @error set when the study could not be read (nothing changes then)
 */
gboolean
lk_neighbour_spaces_load_finish (LkNeighbourSpaces  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  LoadData *l;

  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  l = g_task_get_task_data (G_TASK (result));
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      if ((l->flags & (1 << s)) == 0)
        continue;
      g_clear_pointer (&self->spaces[s], lk_space_unref);
      g_clear_error (&self->errors[s]);
      self->spaces[s] = g_steal_pointer (&l->spaces[s]);
      self->errors[s] = g_steal_pointer (&l->errors[s]);
      self->scales[s] = l->scales[s];
    }
  if ((l->flags & LK_NEIGHBOUR_SPACES_SUPPORT) != 0)
    {
      g_free (self->support);
      self->support = g_steal_pointer (&l->support);
      self->n_support = l->n_support;
    }
  self->loaded = TRUE;

  return TRUE;
}

/* ---- queries ----------------------------------------------------------------------------- */

void
lk_neighbour_lists_free (LkNeighbourLists *lists)
{
  if (lists == NULL)
    return;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_free (lists->ids[s]);
      g_free (lists->distances[s]);
    }
  g_free (lists);
}

typedef struct {
  LkSpace          *spaces[LK_SPACE_N_KINDS];
  LkNeighbourLists *lists;
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *q = data;

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    g_clear_pointer (&q->spaces[s], lk_space_unref);
  lk_neighbour_lists_free (q->lists);
  g_free (q);
}

static void
query_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  QueryData *q = task_data;
  LkNeighbourLists *lists = q->lists;

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    if (q->spaces[s] != NULL)
      lists->n[s] = lk_space_query (q->spaces[s], lists->item, lists->k, lists->ids[s],
                                    lists->distances[s]);
  q->lists = NULL;
  g_task_return_pointer (task, lists, (GDestroyNotify) lk_neighbour_lists_free);
}

/**
 * lk_neighbour_spaces_query_async:
 * @item: an image
 * @k: how many neighbours per space
 *
 * Finds @item's @k nearest neighbours in each space loaded now, on a worker (HOG at 20,000
 * images is about 35 M multiply-adds).
 */
void
lk_neighbour_spaces_query_async (LkNeighbourSpaces   *self,
                                 guint                item,
                                 guint                k,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *q;

  g_return_if_fail (LK_IS_NEIGHBOUR_SPACES (self));
  g_return_if_fail (k > 0);

  q = g_new0 (QueryData, 1);
  q->lists = g_new0 (LkNeighbourLists, 1);
  q->lists->item = item;
  q->lists->k = k;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    if (self->spaces[s] != NULL)
      {
        q->spaces[s] = lk_space_ref (self->spaces[s]);
        q->lists->loaded[s] = TRUE;
        q->lists->ids[s] = g_new0 (guint, k);
        q->lists->distances[s] = g_new0 (double, k);
      }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_neighbour_spaces_query_async);
  g_task_set_task_data (task, q, query_data_free);
  g_task_run_in_thread (task, query_thread);
}

/**
 * lk_neighbour_spaces_query_finish:
 *
 * Returns: (transfer full): the lists, or %NULL with @error set (cancelled)
 */
LkNeighbourLists *
lk_neighbour_spaces_query_finish (LkNeighbourSpaces  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the class --------------------------------------------------------------------------- */

static void
lk_neighbour_spaces_finalize (GObject *object)
{
  LkNeighbourSpaces *self = (LkNeighbourSpaces *)object;

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_clear_pointer (&self->spaces[s], lk_space_unref);
      g_clear_error (&self->errors[s]);
    }
  g_free (self->support);
  g_free (self->path);

  G_OBJECT_CLASS (lk_neighbour_spaces_parent_class)->finalize (object);
}

static void
lk_neighbour_spaces_class_init (LkNeighbourSpacesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_neighbour_spaces_finalize;
}

static void
lk_neighbour_spaces_init (LkNeighbourSpaces *self)
{
}

/**
 * lk_neighbour_spaces_new:
 * @study_path: the study's file
 *
 * Returns: (transfer full): no space loaded yet
 */
LkNeighbourSpaces *
lk_neighbour_spaces_new (const char *study_path)
{
  LkNeighbourSpaces *self;

  g_return_val_if_fail (study_path != NULL, NULL);

  self = g_object_new (LK_TYPE_NEIGHBOUR_SPACES, NULL);
  self->path = g_strdup (study_path);

  return self;
}

/* Returns whether a load has finished. */
gboolean
lk_neighbour_spaces_is_loaded (LkNeighbourSpaces *self)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), FALSE);

  return self->loaded;
}

/**
 * lk_neighbour_spaces_get_space:
 *
 * Returns: (transfer none) (nullable): the space, if it was loaded
 */
LkSpace *
lk_neighbour_spaces_get_space (LkNeighbourSpaces *self,
                               LkSpaceKind        kind)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), NULL);
  g_return_val_if_fail (kind < LK_SPACE_N_KINDS, NULL);

  return self->spaces[kind];
}

/**
 * lk_neighbour_spaces_get_error:
 *
 * Returns: (transfer none) (nullable): why the space could not be loaded
 */
const GError *
lk_neighbour_spaces_get_error (LkNeighbourSpaces *self,
                               LkSpaceKind        kind)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), NULL);
  g_return_val_if_fail (kind < LK_SPACE_N_KINDS, NULL);

  return self->errors[kind];
}

/* Returns the space's typical distance to a 10th neighbour (loaded with
 * LK_NEIGHBOUR_SPACES_SCALES), or 0. */
double
lk_neighbour_spaces_get_scale (LkNeighbourSpaces *self,
                               LkSpaceKind        kind)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), 0.0);
  g_return_val_if_fail (kind < LK_SPACE_N_KINDS, 0.0);

  return self->scales[kind];
}

/**
 * lk_neighbour_spaces_get_support:
 * @n_items: (out): the length of the array
 *
 * Returns: (transfer none) (nullable): how many answers placed each image, by item id (loaded
 *   with LK_NEIGHBOUR_SPACES_SUPPORT)
 */
const guint *
lk_neighbour_spaces_get_support (LkNeighbourSpaces *self,
                                 guint             *n_items)
{
  g_return_val_if_fail (LK_IS_NEIGHBOUR_SPACES (self), NULL);

  *n_items = self->n_support;

  return self->support;
}
