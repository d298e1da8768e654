/* lk-browser-window.c — browse a collection by learned similarity and by image features
 *
 * The whole collection in a GtkGridView (virtualised: only the cells on screen exist, their
 * thumbnails come from LkThumbnailLoader's worker threads and cache), filtered by folder and
 * name. Selecting an image shows its 10 nearest neighbours under the learned embedding and,
 * below it for comparison, under the colour and HOG descriptors, each with its distance; a
 * slider dims the neighbours beyond a relative distance. Images placed in fewer than
 * LK_NEIGHBOURS_FEW_ANSWERS answers carry a "few answers" mark: the learned metric knows them
 * too little to trust their neighbours.
 *
 * Threads: on open, the window's writable store is lent to one GTask that finds and computes
 * missing descriptors (lk_image_features_update(), with progress and Cancel) — the main thread
 * does not use the store until it returns. Then another GTask loads the three LkSpace snapshots
 * through its own read-only connection; each selection runs one more GTask for the k-NN
 * queries (HOG at 20,000 images is about 35 M multiply-adds), whose result is dropped if the
 * selection moved on. The UI thread only swaps results in.
 *
 * "Sort grids yourself" (browser.sort-grids) opens an LkCuratorWindow on the same study: the
 * window's writable store becomes an LkStudy (which then owns it and its writer lock), as the
 * file cannot be opened for writing twice. Each saved answer refreshes the learned strip, the
 * answer counts and the "few answers" marks (lk_browser_window_refresh_neighbours(), which
 * reads through its own read-only connection in a GTask, like the first load).
 *
 * "Export Every Image's Neighbours…" (browser.export-neighbours, Ctrl+E) writes every image's
 * lists under every space (lk_neighbours_export()) from a GTask with its own read-only
 * connection, with progress and Cancel in a second row above the grid.
 *
 * Built in code rather than from a template: it has no static structure worth a .ui file
 * beyond what the few boxes below make, and it is opened on its own (likeness --browse).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lk-background.h"
#include "lk-browser-model.h"
#include "lk-curator-window.h"
#include "lk-screenshot.h"
#include "lk-browser-window.h"
#include "lk-image-features.h"
#include "lk-collection.h"
#include "lk-judging-window.h"
#include "lk-thumb-cell.h"

#define K 10
#define SCALE_SAMPLE 50
/* Edge of a grid cell's thumbnail (LkThumbCell), and of the textures the loader makes for it:
 * at scale 1 a texture is drawn as it is; at scale 2 it is drawn enlarged, a fair price for a
 * texture a quarter the size of the stored 256 px thumbnail. */
#define CELL_SIZE 112
/* Edge of the selected image's picture, and of its texture (drawn as it is, not scaled from the
 * stored 256 px on every frame). */
#define SEED_SIZE 200

typedef struct _ExportData ExportData;

struct _LkBrowserWindow
{
  AdwApplicationWindow parent_instance;

  /* Widgets */
  GtkWidget          *search;
  GtkWidget          *folder_menu;
  GtkWidget          *progress_revealer;
  GtkWidget          *progress;
  GtkWidget          *export_revealer;
  GtkWidget          *export_progress;
  AdwToastOverlay    *toasts;
  GtkWidget          *grid;
  GtkWidget          *seed_picture;
  GtkWidget          *seed_name;
  GtkWidget          *seed_answers;
  GtkWidget          *threshold;
  GtkWidget          *strips[LK_SPACE_N_KINDS];

  /* Owned references */
  LkStore            *store;      /* owned by study once there is one */
  LkStudy            *study;
  LkCuratorWindow    *curator;    /* weak */
  GHashTable         *bound;      /* GtkListItem of the grid's bound cells (set) */
  char               *path;
  char               *root;
  LkThumbnailLoader  *loader;
  LkThumbnailLoader  *seed_loader;
  LkThumbnailLoader  *strip_loader;
  GListStore         *items;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;
  GCancellable       *export_cancellable; /* while every image's neighbours are exported */
  ExportData         *export;             /* that export's, owned by its task */
  GStrv               folders;
  LkSpace            *spaces[LK_SPACE_N_KINDS];
  double              scales[LK_SPACE_N_KINDS];
  char               *space_errors[LK_SPACE_N_KINDS];

  /* State */
  char               *filter_folder;
  char               *filter_text;
  guint               seed;
  gboolean            has_seed;
  gboolean            store_lent;
  gboolean            spaces_loaded;
  guint               queries_running;
  char               *screenshot_path;
  guint               screenshot_frames;
  guint               columns_idle;
  gboolean            refreshing;
  gboolean            refresh_again;
  guint               n_refreshes;
  guint               export_tick;
};

G_DEFINE_FINAL_TYPE (LkBrowserWindow, lk_browser_window, ADW_TYPE_APPLICATION_WINDOW)

static void query_neighbours (LkBrowserWindow *self);
static void show_error       (LkBrowserWindow *self,
                              const char      *heading,
                              const char      *body);

/* ---- the grid ---------------------------------------------------------------------------- */

static void
cell_thumbnail_cb (guint       item,
                   GdkTexture *texture,
                   gpointer    user_data)
{
  LkThumbCell *cell = user_data;

  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "lk-item")) == item + 1)
    lk_thumb_cell_set_texture (cell, texture);
}

/* The path as a tooltip, asked for when shown: gtk_widget_set_tooltip_text() on every bind (or
 * on every cell made) made GTK query the pointer from the X server, a round trip per cell. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  GtkListItem *list_item = user_data;
  LkBrowserItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;

  if (item == NULL)
    return FALSE;
  if (lk_thumb_cell_get_few_answers (LK_THUMB_CELL (cell)))
    text = g_strdup_printf ("%s\n%s", lk_browser_item_get_path (item),
                            _("Few answers: the learned metric knows this image too little to "
                              "trust its neighbours"));
  gtk_tooltip_set_text (tooltip, text != NULL ? text : lk_browser_item_get_path (item));

  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *cell = lk_thumb_cell_new (CELL_SIZE);

  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), list_item);
  gtk_list_item_set_child (list_item, cell);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  LkBrowserWindow *self = user_data;
  LkBrowserItem *item = gtk_list_item_get_item (list_item);
  LkThumbCell *cell = LK_THUMB_CELL (gtk_list_item_get_child (list_item));
  guint id = lk_browser_item_get_item (item);

  lk_thumb_cell_set_name (cell, lk_browser_item_get_name (item));
  lk_thumb_cell_set_few_answers (cell, lk_browser_item_get_answers (item) < LK_NEIGHBOURS_FEW_ANSWERS);
  g_hash_table_add (self->bound, list_item);
  g_object_set_data (G_OBJECT (cell), "lk-item", GUINT_TO_POINTER (id + 1));
  lk_thumb_cell_set_texture (cell, NULL);
  lk_thumbnail_loader_want_object (self->loader, id, cell_thumbnail_cb, G_OBJECT (cell));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  LkBrowserWindow *self = user_data;
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  guint id1 = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "lk-item"));

  if (id1 != 0)
    lk_thumbnail_loader_unwant (self->loader, id1 - 1, cell);
  g_object_set_data (G_OBJECT (cell), "lk-item", NULL);
  g_hash_table_remove (self->bound, list_item);
}

/* GtkGridView (GTK 4.8) keeps max-columns x 30 rows of cells bound around the visible ones,
 * whatever the width: at the 30 columns this grid once asked for, 960 cells were bound,
 * allocated and given a thumbnail, most of them far off screen. So max-columns follows the
 * width: as many columns as fit (never fewer than GTK lays out), and about 11 x 32 cells at
 * 1280 px. Set from an idle, as the width is learnt during the grid's allocation. */
static guint
columns_wanted (LkBrowserWindow *self)
{
  GtkAdjustment *hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid));

  return CLAMP ((guint) (gtk_adjustment_get_page_size (hadj) / CELL_SIZE), 1, 40);
}

static gboolean
update_columns_cb (gpointer user_data)
{
  LkBrowserWindow *self = user_data;

  self->columns_idle = 0;
  if (columns_wanted (self) != gtk_grid_view_get_max_columns (GTK_GRID_VIEW (self->grid)))
    gtk_grid_view_set_max_columns (GTK_GRID_VIEW (self->grid), columns_wanted (self));

  return G_SOURCE_REMOVE;
}

static void
grid_width_changed_cb (GtkAdjustment *hadj,
                       gpointer       user_data)
{
  LkBrowserWindow *self = user_data;

  if (columns_wanted (self) != gtk_grid_view_get_max_columns (GTK_GRID_VIEW (self->grid)) &&
      self->columns_idle == 0)
    self->columns_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_columns_cb, self, NULL);
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  LkBrowserWindow *self = user_data;

  return lk_browser_item_matches (item, self->filter_folder, self->filter_text);
}

/* ---- the selected image ------------------------------------------------------------------ */

static LkBrowserItem *
find_item (LkBrowserWindow *self,
           guint            id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkBrowserItem) it = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (lk_browser_item_get_item (it) == id)
        return it;
    }

  return NULL;
}

static void
seed_thumbnail_cb (guint       item,
                   GdkTexture *texture,
                   gpointer    user_data)
{
  LkBrowserWindow *self = user_data;

  if (self->has_seed && self->seed == item)
    gtk_picture_set_paintable (GTK_PICTURE (self->seed_picture), GDK_PAINTABLE (texture));
}

static void show_seed_answers (LkBrowserWindow *self,
                               LkBrowserItem   *item);

static void
show_seed (LkBrowserWindow *self,
           guint            id)
{
  LkBrowserItem *item = find_item (self, id);

  if (self->has_seed)
    lk_thumbnail_loader_unwant (self->seed_loader, self->seed, self);
  self->seed = id;
  self->has_seed = TRUE;
  gtk_picture_set_paintable (GTK_PICTURE (self->seed_picture), NULL);
  lk_thumbnail_loader_want (self->seed_loader, id, seed_thumbnail_cb, self);
  gtk_label_set_text (GTK_LABEL (self->seed_name), item != NULL ? lk_browser_item_get_path (item)
                                                                : "");
  show_seed_answers (self, item);
  query_neighbours (self);
}

static void
show_seed_answers (LkBrowserWindow *self,
                   LkBrowserItem   *item)
{
  g_autofree char *answers = NULL;
  guint n;

  n = item != NULL ? lk_browser_item_get_answers (item) : 0;
  if (n < LK_NEIGHBOURS_FEW_ANSWERS)
    answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "In %u answer: too few to trust its learned neighbours",
                                            "In %u answers: too few to trust its learned neighbours",
                                            n), n);
  else
    answers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In %u answer", "In %u answers", n), n);
  gtk_label_set_text (GTK_LABEL (self->seed_answers), answers);
  if (n < LK_NEIGHBOURS_FEW_ANSWERS)
    gtk_widget_add_css_class (self->seed_answers, "warning");
  else
    gtk_widget_remove_css_class (self->seed_answers, "warning");
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      guint               position,
                      guint               n_items,
                      gpointer            user_data)
{
  LkBrowserWindow *self = user_data;
  LkBrowserItem *item = gtk_single_selection_get_selected_item (selection);

  if (item != NULL)
    show_seed (self, lk_browser_item_get_item (item));
}

typedef struct {
  LkSpace *spaces[LK_SPACE_N_KINDS];
  guint    seed;
  guint    n[LK_SPACE_N_KINDS];
  guint    ids[LK_SPACE_N_KINDS][K];
  double   distances[LK_SPACE_N_KINDS][K];
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *q = data;

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    g_clear_pointer (&q->spaces[s], lk_space_unref);
  g_free (q);
}

static void
query_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  QueryData *q = task_data;

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    if (q->spaces[s] != NULL)
      q->n[s] = lk_space_query (q->spaces[s], q->seed, K, q->ids[s], q->distances[s]);
  g_task_return_boolean (task, TRUE);
}

static void
update_threshold (LkBrowserWindow *self)
{
  double t = gtk_range_get_value (GTK_RANGE (self->threshold));

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    lk_knn_strip_set_threshold (LK_KNN_STRIP (self->strips[s]), t);
}

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  QueryData *q = g_task_get_task_data (G_TASK (result));

  self->queries_running--;
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || !self->has_seed || q->seed != self->seed)
    return;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      LkKnnStrip *strip = LK_KNN_STRIP (self->strips[s]);

      if (q->spaces[s] == NULL)
        lk_knn_strip_set_message (strip, self->space_errors[s]);
      else if (q->n[s] == 0)
        lk_knn_strip_set_message (strip, _("This image has no descriptor (it could not be decoded)"));
      else
        lk_knn_strip_set_neighbours (strip, q->ids[s], q->distances[s], q->n[s], self->scales[s]);
    }
  update_threshold (self);
}

static void
query_neighbours (LkBrowserWindow *self)
{
  g_autoptr(GTask) task = NULL;
  QueryData *q;

  if (!self->spaces_loaded || !self->has_seed)
    return;
  q = g_new0 (QueryData, 1);
  q->seed = self->seed;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    if (self->spaces[s] != NULL)
      q->spaces[s] = lk_space_ref (self->spaces[s]);
  task = g_task_new (self, self->cancellable, query_done_cb, NULL);
  g_task_set_task_data (task, q, query_data_free);
  self->queries_running++;
  g_task_run_in_thread (task, query_thread);
}

/* ---- loading the spaces ------------------------------------------------------------------ */

typedef struct {
  char     *path;
  gboolean  refresh;    /* the learned space and the answer counts only */
  LkSpace  *spaces[LK_SPACE_N_KINDS];
  double    scales[LK_SPACE_N_KINDS];
  char     *errors[LK_SPACE_N_KINDS];
  guint    *support;
  guint     n_support;
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
      g_free (l->errors[s]);
    }
  g_free (l);
}

/* Returns the mean distance to the k-th neighbour over up to SCALE_SAMPLE evenly spread items. */
static double
space_scale (LkSpace *space)
{
  guint n = lk_space_get_n_items (space), step = MAX (n / SCALE_SAMPLE, 1), count = 0;
  guint ids[K];
  double d[K], sum = 0.0;

  for (guint i = 0; i < n && count < SCALE_SAMPLE; i += step)
    {
      guint found = lk_space_query (space, i, K, ids, d);

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
  if (l->refresh)
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
      g_autoptr(GError) local_error = NULL;

      if (l->refresh && s != LK_SPACE_LEARNED)
        continue;
      l->spaces[s] = lk_space_load (store, s, &local_error);
      if (l->spaces[s] == NULL)
        l->errors[s] = g_strdup (local_error->message);
      else
        l->scales[s] = space_scale (l->spaces[s]);
    }
  g_task_return_boolean (task, TRUE);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  LoadData *l = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("could not load the neighbour spaces: %s", error->message);
      return;
    }
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      self->spaces[s] = g_steal_pointer (&l->spaces[s]);
      self->scales[s] = l->scales[s];
      self->space_errors[s] = g_steal_pointer (&l->errors[s]);
    }
  self->spaces_loaded = TRUE;
  query_neighbours (self);
}

static void
load_spaces (LkBrowserWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  LoadData *l = g_new0 (LoadData, 1);

  l->path = g_strdup (self->path);
  g_task_set_task_data (task, l, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/* ---- refreshing after the curator's answers ---------------------------------------------- */

static void start_refresh (LkBrowserWindow *self);

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  LoadData *l = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GListModel *items = G_LIST_MODEL (self->items);
  GHashTableIter iter;
  gpointer key;

  self->refreshing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("could not refresh the neighbours: %s", error->message);
      return;
    }
  g_clear_pointer (&self->spaces[LK_SPACE_LEARNED], lk_space_unref);
  g_clear_pointer (&self->space_errors[LK_SPACE_LEARNED], g_free);
  self->spaces[LK_SPACE_LEARNED] = g_steal_pointer (&l->spaces[LK_SPACE_LEARNED]);
  self->scales[LK_SPACE_LEARNED] = l->scales[LK_SPACE_LEARNED];
  self->space_errors[LK_SPACE_LEARNED] = g_steal_pointer (&l->errors[LK_SPACE_LEARNED]);

  /* Answer counts: once per saved answer, O(n) over the items (a few ms at 20,000). */
  for (guint i = 0, n = g_list_model_get_n_items (items); i < n; i++)
    {
      g_autoptr(LkBrowserItem) it = g_list_model_get_item (items, i);
      guint id = lk_browser_item_get_item (it);

      lk_browser_item_set_answers (it, id < l->n_support ? l->support[id] : 0);
    }
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LkBrowserItem *it = gtk_list_item_get_item (key);
      GtkWidget *cell = gtk_list_item_get_child (key);

      if (it != NULL && cell != NULL)
        lk_thumb_cell_set_few_answers (LK_THUMB_CELL (cell),
                                       lk_browser_item_get_answers (it) < LK_NEIGHBOURS_FEW_ANSWERS);
    }
  if (self->has_seed)
    show_seed_answers (self, find_item (self, self->seed));
  self->n_refreshes++;
  query_neighbours (self);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }
}

static void
start_refresh (LkBrowserWindow *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *l;

  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  task = g_task_new (self, self->cancellable, refresh_done_cb, NULL);
  l = g_new0 (LoadData, 1);
  l->path = g_strdup (self->path);
  l->refresh = TRUE;
  g_task_set_task_data (task, l, load_data_free);
  self->refreshing = TRUE;
  g_task_run_in_thread (task, load_thread);
}

/**
 * lk_browser_window_refresh_neighbours:
 *
 * Reloads the learned embedding and the answer counts from the study file (through a
 * read-only connection, off the main thread) and shows the selected image's neighbours
 * again. Called when the curator's session saved an answer; connect a "phase-completed"
 * signal here too, should phases come to end on a worker thread after the answer is saved.
 */
void
lk_browser_window_refresh_neighbours (LkBrowserWindow *self)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));

  if (self->spaces_loaded)
    start_refresh (self);
}

/* ---- sorting grids from the browser ------------------------------------------------------ */

static void
sort_grids_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->curator != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->curator));
      return;
    }
  if (self->store_lent || lk_store_is_read_only (self->store))
    {
      show_error (self, _("Cannot Sort Grids Here"),
                  _("The study is open for writing elsewhere, or its image features are still "
                    "being computed"));
      return;
    }
  /* The study takes over the store (and its writer lock) for good; the window keeps using
   * it through self->store, which the study now owns. */
  if (self->study == NULL)
    self->study = lk_study_new_for_store (self->store);
  self->curator = lk_curator_window_new (GTK_WINDOW (self), self->study, &error);
  if (self->curator == NULL)
    {
      show_error (self, _("Cannot Sort Grids Here"), error->message);
      return;
    }
  g_object_add_weak_pointer (G_OBJECT (self->curator), (gpointer *) &self->curator);
  g_signal_connect_object (self->curator, "answer-saved",
                           G_CALLBACK (lk_browser_window_refresh_neighbours), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->curator, "phase-stored",
                           G_CALLBACK (lk_browser_window_refresh_neighbours), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->curator));
}

/* ---- computing the descriptors ----------------------------------------------------------- */

typedef struct {
  GWeakRef window;
  guint    done;
  guint    total;
} Progress;

static gboolean
progress_idle_cb (gpointer data)
{
  Progress *p = data;
  g_autoptr(LkBrowserWindow) self = g_weak_ref_get (&p->window);

  if (self != NULL && p->total > 0 && self->store_lent)
    {
      g_autofree char *text = g_strdup_printf (_("Computing image features: %u of %u"),
                                               p->done, p->total);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress),
                                     (double) p->done / p->total);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
    }

  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_weak_ref_clear (&p->window);
  g_free (p);
}

static void
features_progress (guint    done,
                   guint    total,
                   gpointer user_data)
{
  GTask *task = user_data;
  Progress *p = g_new0 (Progress, 1);

  /* Throttled: one UI update per 1 % at most. */
  if (done != total && total > 100 && done % (total / 100) != 0)
    {
      g_free (p);
      return;
    }
  g_weak_ref_init (&p->window, g_task_get_source_object (task));
  p->done = done;
  p->total = total;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, progress_idle_cb, p, progress_free);
}

static void
features_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LkStore *store = task_data;
  g_autoptr(GError) error = NULL;

  if (lk_image_features_update (store, cancellable, features_progress, task, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
features_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  g_autoptr(GError) error = NULL;

  self->store_lent = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("computing image features: %s", error->message);
  if (!g_cancellable_is_cancelled (self->cancellable))
    load_spaces (self);
}

static void
cancel_features_cb (GtkButton *button,
                    gpointer   user_data)
{
  LkBrowserWindow *self = user_data;
  GCancellable *features = g_object_get_data (G_OBJECT (button), "lk-cancellable");

  g_cancellable_cancel (features);
  (void) self;
}

static void
start_features (LkBrowserWindow *self,
                GtkWidget       *cancel_button)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *features;

  /* Whether any descriptor is stale is for the task to find out: counting them is a scan of
   * the whole image and feature tables (over a second at 20,000 images, cold), too long for
   * the main thread before the first frame. The progress bar shows once there is work. */
  if (lk_store_is_read_only (self->store))
    {
      /* Another process has the study open for writing: no session from here. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", FALSE);
      load_spaces (self);
      return;
    }
  /* Its own cancellable, chained to the window's: Cancel stops the computing, not the window. */
  features = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (cancel_button), "lk-cancellable", features, g_object_unref);
  g_cancellable_connect (self->cancellable, G_CALLBACK (g_cancellable_cancel),
                         g_object_ref (features), g_object_unref);
  task = g_task_new (self, features, features_done_cb, NULL);
  g_task_set_task_data (task, self->store, NULL);
  self->store_lent = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", FALSE);
  g_task_run_in_thread (task, features_thread);
}

/* ---- saving ------------------------------------------------------------------------------ */

/* A type a save dialog offers: its name, its pattern, and the ending a name without one gets. */
typedef struct {
  const char *name;
  const char *pattern;
  const char *ending;
} SaveType;

/* A modal save dialog over @self offering @types (the first is chosen), with @name filled in;
 * @response gets the dialog and a reference on @self, which it drops with the dialog's. The
 * caller shows it. */
static GtkFileChooserNative *
save_chooser_new (LkBrowserWindow *self,
                  const char      *title,
                  const char      *accept,
                  const SaveType  *types,
                  guint            n_types,
                  const char      *name,
                  GCallback        response)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               accept, _("_Cancel"));

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(types[i].name));
      gtk_file_filter_add_pattern (filter, types[i].pattern);
      g_object_set_data (G_OBJECT (filter), "lk-ending", (gpointer) types[i].ending);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", response, g_object_ref (self));

  return chooser;
}

/* The local path chosen in a save_chooser_new() dialog; a name that has none of @types'
 * endings gets the chosen type's (or the first's). NULL when the choice is not a local file. */
static char *
chosen_path (GtkNativeDialog *chooser,
             const SaveType  *types,
             guint            n_types)
{
  GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  const char *ending = filter != NULL ? g_object_get_data (G_OBJECT (filter), "lk-ending") : NULL;

  if (path == NULL)
    return NULL;
  for (guint i = 0; i < n_types; i++)
    if (g_str_has_suffix (path, types[i].ending))
      return g_steal_pointer (&path);

  return g_strconcat (path, ending != NULL ? ending : types[0].ending, NULL);
}

/* ---- exporting every image's neighbours -------------------------------------------------- */

/* What the export's worker works on. It opens the study itself, read-only (a read-only
 * connection reads through the WAL beside the window's own), so the window keeps its store. */
struct _ExportData {
  char              *study;
  char              *path;
  LkNeighboursFormat format;
  int                done;  /* atomic */
  int                total; /* atomic */
};

static void
export_data_free (gpointer data)
{
  ExportData *e = data;

  g_free (e->study);
  g_free (e->path);
  g_free (e);
}

static void
export_progress_cb (guint    done,
                    guint    total,
                    gpointer data)
{
  ExportData *e = data;

  g_atomic_int_set (&e->total, (int) total);
  g_atomic_int_set (&e->done, (int) done);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *e = task_data;
  g_autoptr(GError) error = NULL;
  LkStore *store;
  gboolean ok;

  lk_background_lower_priority ();
  store = lk_store_open (e->study, LK_STORE_OPEN_READ_ONLY, &error);
  ok = store != NULL && lk_neighbours_export (store, K, e->format, e->path, export_progress_cb, e,
                                              cancellable, &error);
  g_clear_pointer (&store, lk_store_close);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Shows the worker's progress ten times a second. */
static gboolean
export_tick_cb (gpointer data)
{
  LkBrowserWindow *self = data;
  ExportData *e = self->export;
  guint done = e != NULL ? (guint) g_atomic_int_get (&e->done) : 0;
  guint total = e != NULL ? (guint) g_atomic_int_get (&e->total) : 0;
  g_autofree char *text = NULL;

  if (total == 0)
    {
      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->export_progress));
      return G_SOURCE_CONTINUE;
    }
  /* Translators: every image's neighbours under each metric, counted over the metrics */
  text = g_strdup_printf (_("Finding every image's neighbours: %u of %u"), done, total);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress), (double) done / total);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->export_progress), text);

  return G_SOURCE_CONTINUE;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  ExportData *e = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->export_tick, g_source_remove);
  g_clear_object (&self->export_cancellable);
  self->export = NULL;
  if (g_cancellable_is_cancelled (self->cancellable))
    return; /* the window is gone */
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->export_revealer), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", TRUE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_path_get_basename (e->path);
      g_autofree char *title = g_strdup_printf (_("Neighbours saved in “%s”"), name);

      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("Could Not Export the Neighbours"), error->message);
}

static void
cancel_export_cb (GtkButton *button,
                  gpointer   user_data)
{
  LkBrowserWindow *self = user_data;

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

/**
 * lk_browser_window_export_neighbours:
 * @path: the file to write, replaced whole when the export succeeds
 * @format: CSV or JSON
 *
 * Starts writing every image's 10 nearest neighbours under the learned metric and each image
 * descriptor (lk_neighbours_export()) on a worker, with progress and Cancel above the grid. A
 * toast says when the file is saved; an error is shown in a dialog. Does nothing while an
 * export is running.
 */
void
lk_browser_window_export_neighbours (LkBrowserWindow    *self,
                                     const char         *path,
                                     LkNeighboursFormat  format)
{
  g_autoptr(GTask) task = NULL;
  ExportData *e;

  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->export_cancellable != NULL)
    return;
  e = g_new0 (ExportData, 1);
  e->study = g_strdup (self->path);
  e->path = g_strdup (path);
  e->format = format;
  /* Its own cancellable, chained to the window's: Cancel stops the export, not the window. */
  self->export_cancellable = g_cancellable_new ();
  g_cancellable_connect (self->cancellable, G_CALLBACK (g_cancellable_cancel),
                         g_object_ref (self->export_cancellable), g_object_unref);
  task = g_task_new (self, self->export_cancellable, export_done_cb, NULL);
  g_task_set_task_data (task, e, export_data_free);
  self->export = e;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress), 0.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->export_progress),
                             _("Finding every image's neighbours…"));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->export_revealer), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", FALSE);
  self->export_tick = g_timeout_add (100, export_tick_cb, self);
  g_task_run_in_thread (task, export_thread);
}

/**
 * lk_browser_window_is_exporting:
 *
 * Returns: %TRUE while lk_browser_window_export_neighbours() runs
 */
gboolean
lk_browser_window_is_exporting (LkBrowserWindow *self)
{
  g_return_val_if_fail (LK_IS_BROWSER_WINDOW (self), FALSE);

  return self->export_cancellable != NULL;
}

static const SaveType neighbours_types[] = {
  { N_("CSV table"), "*.csv", ".csv" },
  { N_("JSON document"), "*.json", ".json" },
};

static void
export_neighbours_chosen_cb (GtkNativeDialog *chooser,
                             int              response,
                             gpointer         user_data)
{
  LkBrowserWindow *self = user_data;
  g_autofree char *path = chosen_path (chooser, neighbours_types,
                                       G_N_ELEMENTS (neighbours_types));

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    lk_browser_window_export_neighbours (self, path, g_str_has_suffix (path, ".json")
                                                     ? LK_NEIGHBOURS_JSON : LK_NEIGHBOURS_CSV);
  else if (response == GTK_RESPONSE_ACCEPT)
    show_error (self, _("Could Not Export the Neighbours"),
                _("Choose a file on this computer to save the neighbours in"));
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_neighbours_cb (GtkWidget  *widget,
                      const char *action,
                      GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  name = g_strdup_printf ("%s-neighbours.csv", base);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (
    save_chooser_new (self, _("Export Every Image's Neighbours"), _("_Export"), neighbours_types,
                      G_N_ELEMENTS (neighbours_types), name,
                      G_CALLBACK (export_neighbours_chosen_cb))));
}

/* A progress bar and its Cancel button, in a revealer shown while the work runs. */
static GtkWidget *
progress_row (GtkWidget **bar,
              GtkWidget **cancel_button,
              GCallback   cancel_cb,
              gpointer    data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *revealer = gtk_revealer_new ();

  *bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (*bar), TRUE);
  gtk_widget_set_hexpand (*bar, TRUE);
  gtk_widget_set_valign (*bar, GTK_ALIGN_CENTER);
  g_signal_connect (cancel, "clicked", cancel_cb, data);
  gtk_box_append (GTK_BOX (box), *bar);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  if (cancel_button != NULL)
    *cancel_button = cancel;

  return revealer;
}

/* ---- actions ----------------------------------------------------------------------------- */

static char *
seed_file_path (LkBrowserWindow *self)
{
  LkBrowserItem *item = self->has_seed ? find_item (self, self->seed) : NULL;

  if (item == NULL || self->root == NULL)
    return NULL;

  return g_build_filename (self->root, lk_browser_item_get_path (item), NULL);
}

static void
open_image_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);
  g_autofree char *uri = path != NULL ? g_filename_to_uri (path, NULL, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  if (uri != NULL && !g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("could not open %s: %s", path, error->message);
}

static void
show_items_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             result, NULL);

  /* No file manager on the bus: open the folder itself. */
  if (reply == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *folder = g_file_get_uri (parent);

      g_app_info_launch_default_for_uri (folder, NULL, NULL);
    }
}

static void
show_in_folder_cb (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);
  g_autoptr(GDBusConnection) bus = NULL;
  const char *uris[2] = { NULL, NULL };
  char *uri;

  if (path == NULL)
    return;
  uri = g_filename_to_uri (path, NULL, NULL);
  uris[0] = uri;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      show_items_cb (NULL, NULL, uri);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, 5000,
                          NULL, show_items_cb, uri);
}

static void
copy_path_cb (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);

  if (path != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), path);
}

/* Opens the judging window (issue 6, item 4) on this window's store: one writer per study. */
static void
judge_cb (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *judging;

  if (self->store_lent)
    {
      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[LK_SPACE_LEARNED]),
                                _("The descriptors are still being computed: judge the "
                                  "neighbours once they are done."));
      return;
    }
  judging = lk_judging_window_new_for_store (gtk_window_get_application (GTK_WINDOW (self)),
                                             self->path, self->store, G_OBJECT (self), &error);
  if (judging == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The judging window could not be opened: %s"),
                                               error->message);

      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[LK_SPACE_LEARNED]), text);
    }
  else
    gtk_window_present (GTK_WINDOW (judging));
}

/* ---- saving a strip as an image ---------------------------------------------------------- */

static void
show_error (LkBrowserWindow *self,
            const char      *heading,
            const char      *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const SaveType strip_types[] = {
  { N_("PNG image"), "*.png", ".png" },
  { N_("SVG drawing"), "*.svg", ".svg" },
  { N_("PDF document"), "*.pdf", ".pdf" },
};

static void
export_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  LkBrowserWindow *self = user_data;
  LkKnnStrip *strip = g_object_get_data (G_OBJECT (chooser), "lk-strip");
  g_autofree char *path = chosen_path (chooser, strip_types, G_N_ELEMENTS (strip_types));
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    {
      if (!lk_knn_strip_export (strip, path, &error))
        show_error (self, _("Could Not Save the Neighbours"), error->message);
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    show_error (self, _("Could Not Save the Neighbours"),
                _("Choose a file on this computer to save the image in"));
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_strip_cb (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  guint kind = g_variant_get_uint32 (parameter);
  static const char *names[LK_SPACE_N_KINDS] = {
    "neighbours-learned", "neighbours-colour", "neighbours-hog",
  };
  GtkFileChooserNative *chooser;
  LkBrowserItem *item;
  g_autofree char *name = NULL;

  if (kind >= LK_SPACE_N_KINDS)
    return;
  item = self->has_seed ? find_item (self, self->seed) : NULL;
  name = g_strdup_printf ("%s-%s.png", names[kind], item != NULL ? lk_browser_item_get_name (item)
                                                                 : "image");
  chooser = save_chooser_new (self, _("Save the Neighbours as an Image"), _("_Save"),
                              strip_types, G_N_ELEMENTS (strip_types), name,
                              G_CALLBACK (export_chosen_cb));
  g_object_set_data (G_OBJECT (chooser), "lk-strip", self->strips[kind]);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   gpointer        user_data)
{
  LkBrowserWindow *self = user_data;
  const char *folder = NULL;
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->folder_menu));

  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    folder = self->folders[selected - 1];
  lk_browser_window_set_filter (self, folder, gtk_editable_get_text (GTK_EDITABLE (self->search)));
}

static void
folder_changed_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  search_changed_cb (NULL, user_data);
}

static void
neighbour_activated_cb (LkKnnStrip *strip,
                        guint       item,
                        gpointer    user_data)
{
  lk_browser_window_select_item (user_data, item);
}

static void
threshold_changed_cb (GtkRange *range,
                      gpointer  user_data)
{
  update_threshold (user_data);
}

/* ---- screenshots ------------------------------------------------------------------------- */

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

/* Saved right after a frame is painted, when the window's render node is the one on screen:
 * saved from the tick callback (before layout), a thumbnail handed over since the last frame
 * had already dropped it, and there was nothing to save. */
static void
screenshot_after_paint_cb (GdkFrameClock   *clock,
                           LkBrowserWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint_cb, self);
  lk_widget_save_png (GTK_WIDGET (self), self->screenshot_path);
  g_idle_add_full (G_PRIORITY_HIGH, destroy_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
screenshot_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);

  if (!lk_browser_window_is_settled (self))
    {
      self->screenshot_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++self->screenshot_frames < 6)
    return G_SOURCE_CONTINUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (screenshot_after_paint_cb), self);
  gtk_widget_queue_draw (widget);

  return G_SOURCE_REMOVE;
}

/* ---- the class --------------------------------------------------------------------------- */

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (window);

  g_cancellable_cancel (self->cancellable);

  return FALSE;
}

static void
lk_browser_window_dispose (GObject *object)
{
  LkBrowserWindow *self = (LkBrowserWindow *)object;

  g_assert (LK_IS_BROWSER_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  /* Cells and strips are going away: no thumbnail may be delivered to them any more. */
  if (self->loader != NULL)
    lk_thumbnail_loader_forget_all (self->loader);
  if (self->seed_loader != NULL)
    lk_thumbnail_loader_forget_all (self->seed_loader);
  if (self->strip_loader != NULL)
    lk_thumbnail_loader_forget_all (self->strip_loader);
  g_clear_handle_id (&self->columns_idle, g_source_remove);
  g_clear_handle_id (&self->export_tick, g_source_remove);
  if (self->curator != NULL)
    gtk_window_destroy (GTK_WINDOW (self->curator));
  self->has_seed = FALSE;

  G_OBJECT_CLASS (lk_browser_window_parent_class)->dispose (object);
}

static void
lk_browser_window_finalize (GObject *object)
{
  LkBrowserWindow *self = (LkBrowserWindow *)object;

  /* Tasks hold a reference to the window, so none runs any more. */
  if (self->study != NULL)
    {
      self->store = NULL;
      g_clear_object (&self->study);
    }
  g_clear_pointer (&self->store, lk_store_close);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_object (&self->loader);
  g_clear_object (&self->seed_loader);
  g_clear_object (&self->strip_loader);
  g_clear_object (&self->items);
  g_clear_object (&self->filter);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->folders, g_strfreev);
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_clear_pointer (&self->spaces[s], lk_space_unref);
      g_free (self->space_errors[s]);
    }
  g_free (self->path);
  g_free (self->root);
  g_free (self->filter_folder);
  g_free (self->filter_text);
  g_free (self->screenshot_path);

  G_OBJECT_CLASS (lk_browser_window_parent_class)->finalize (object);
}

static void
lk_browser_window_class_init (LkBrowserWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_browser_window_dispose;
  object_class->finalize = lk_browser_window_finalize;

  gtk_widget_class_install_action (widget_class, "browser.open", NULL, open_image_cb);
  gtk_widget_class_install_action (widget_class, "browser.show-in-folder", NULL, show_in_folder_cb);
  gtk_widget_class_install_action (widget_class, "browser.copy-path", NULL, copy_path_cb);
  gtk_widget_class_install_action (widget_class, "browser.judge", NULL, judge_cb);
  gtk_widget_class_install_action (widget_class, "browser.export-strip", "u", export_strip_cb);
  gtk_widget_class_install_action (widget_class, "browser.sort-grids", NULL, sort_grids_cb);
  gtk_widget_class_install_action (widget_class, "browser.export-neighbours", NULL,
                                   export_neighbours_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "browser.export-neighbours", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "browser.copy-path", NULL);
}

static void
lk_browser_window_init (LkBrowserWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->bound = g_hash_table_new (NULL, NULL);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
}

static GtkWidget *
button (const char *icon,
        const char *tooltip,
        const char *action)
{
  GtkWidget *b = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (b, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);

  return b;
}

/* Saving a strip: one menu beside the threshold (a button beside each strip would make the
 * details wider than a 1280 px window). */
static GtkWidget *
export_menu_button (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *b = gtk_menu_button_new ();
  static const char *labels[LK_SPACE_N_KINDS] = {
    N_("Save the _Learned Neighbours…"), N_("Save the _Colour Neighbours…"),
    N_("Save the _HOG Neighbours…"),
  };

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(labels[s]), NULL);

      g_menu_item_set_action_and_target_value (item, "browser.export-strip",
                                               g_variant_new_uint32 (s));
      g_menu_append_item (menu, item);
    }
  {
    g_autoptr(GMenu) all = g_menu_new ();

    g_menu_append (all, _("_Export Every Image's Neighbours…"), "browser.export-neighbours");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (all));
  }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (b), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (b), "document-save-symbolic");
  gtk_widget_set_tooltip_text (b, _("Save a strip of neighbours as an image (PNG, SVG or PDF), "
                                    "or export every image's neighbours (CSV or JSON, Ctrl+E)"));

  return b;
}

static GtkWidget *
sort_grids_button (void)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (_("_Sort Grids…"));

  gtk_widget_set_tooltip_text (b, _("Answer grids of this study yourself and watch the "
                                    "neighbours improve"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), "browser.sort-grids");

  return b;
}

static void
build (LkBrowserWindow *self,
       const char      *title)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel;
  GtkWidget *paned = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *details = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *seed_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *strips_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *threshold_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *details_scrolled = gtk_scrolled_window_new ();
  GtkWidget *window_title = adw_window_title_new (_("Browse by similarity"), title);
  g_autoptr(GtkStringList) folder_names = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;
  static const char *strip_titles[LK_SPACE_N_KINDS] = {
    N_("Learned from the answers"), N_("Colour descriptor (baseline)"), N_("HOG descriptor (baseline)"),
  };

  gtk_window_set_title (GTK_WINDOW (self), _("Browse by similarity"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 860);

  /* Header: search by name, filter by folder. */
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), window_title);
  self->search = gtk_search_entry_new ();
  g_object_set (self->search, "placeholder-text", _("Filter by name"), NULL);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->search);
  gtk_string_list_append (folder_names, _("All folders"));
  for (guint i = 0; self->folders[i] != NULL; i++)
    gtk_string_list_append (folder_names, *self->folders[i] != '\0' ? self->folders[i] : _("(top folder)"));
  self->folder_menu = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (folder_names)), NULL);
  gtk_widget_set_tooltip_text (self->folder_menu, _("Show one folder and the folders in it"));
  g_signal_connect (self->folder_menu, "notify::selected", G_CALLBACK (folder_changed_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->folder_menu);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header),
                           button ("emblem-ok-symbolic", _("Judge the neighbours (Table 1 of the paper)"),
                                   "browser.judge"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), sort_grids_button ());
  gtk_box_append (GTK_BOX (toolbar), header);

  /* Progress of the descriptors, and of an export of every image's neighbours. */
  self->progress_revealer = progress_row (&self->progress, &cancel,
                                          G_CALLBACK (cancel_features_cb), self);
  gtk_box_append (GTK_BOX (toolbar), self->progress_revealer);
  self->export_revealer = progress_row (&self->export_progress, NULL,
                                        G_CALLBACK (cancel_export_cb), self);
  gtk_box_append (GTK_BOX (toolbar), self->export_revealer);

  /* The grid. */
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->items)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  self->grid = gtk_grid_view_new (GTK_SELECTION_MODEL (self->selection), factory);
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (self->grid), 10);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->grid);
  g_signal_connect (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid)), "changed",
                    G_CALLBACK (grid_width_changed_cb), self);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_size_request (scrolled, -1, 200);
  gtk_box_append (GTK_BOX (paned), scrolled);
  gtk_box_append (GTK_BOX (paned), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  /* The selected image. */
  self->seed_picture = gtk_picture_new ();
  gtk_widget_set_size_request (self->seed_picture, SEED_SIZE, SEED_SIZE);
  gtk_picture_set_can_shrink (GTK_PICTURE (self->seed_picture), TRUE);
  gtk_widget_add_css_class (self->seed_picture, "thumbnail-frame");
  self->seed_name = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->seed_name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->seed_name), 24);
  gtk_widget_add_css_class (self->seed_name, "heading");
  gtk_label_set_selectable (GTK_LABEL (self->seed_name), TRUE);
  self->seed_answers = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->seed_answers), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->seed_answers), 24);
  gtk_widget_add_css_class (self->seed_answers, "caption");
  gtk_box_append (GTK_BOX (actions), button ("image-x-generic-symbolic", _("Open the image"),
                                             "browser.open"));
  gtk_box_append (GTK_BOX (actions), button ("folder-open-symbolic", _("Show in the file manager"),
                                             "browser.show-in-folder"));
  gtk_box_append (GTK_BOX (actions), button ("edit-copy-symbolic", _("Copy the image's path"),
                                             "browser.copy-path"));
  gtk_widget_set_halign (actions, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (seed_box), self->seed_picture);
  gtk_box_append (GTK_BOX (seed_box), self->seed_name);
  gtk_box_append (GTK_BOX (seed_box), self->seed_answers);
  gtk_box_append (GTK_BOX (seed_box), actions);
  gtk_box_append (GTK_BOX (details), seed_box);

  /* Its neighbours, and the threshold. */
  self->threshold = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 2.0, 0.05);
  gtk_range_set_value (GTK_RANGE (self->threshold), 1.0);
  gtk_scale_set_draw_value (GTK_SCALE (self->threshold), TRUE);
  gtk_scale_set_digits (GTK_SCALE (self->threshold), 2);
  gtk_scale_set_value_pos (GTK_SCALE (self->threshold), GTK_POS_RIGHT);
  gtk_widget_set_hexpand (self->threshold, TRUE);
  gtk_widget_set_tooltip_text (self->threshold,
                               _("Dim neighbours farther than this many times the typical "
                                 "distance to a 10th neighbour in their space"));
  g_signal_connect (self->threshold, "value-changed", G_CALLBACK (threshold_changed_cb), self);
  gtk_box_append (GTK_BOX (threshold_box), gtk_label_new (_("Similarity threshold")));
  gtk_box_append (GTK_BOX (threshold_box), self->threshold);
  gtk_box_append (GTK_BOX (strips_box), threshold_box);
  gtk_box_append (GTK_BOX (threshold_box), export_menu_button ());
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      self->strips[s] = lk_knn_strip_new (_(strip_titles[s]), self->strip_loader);
      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[s]), _("Loading…"));
      g_signal_connect (self->strips[s], "neighbour-activated",
                        G_CALLBACK (neighbour_activated_cb), self);
      gtk_box_append (GTK_BOX (strips_box), self->strips[s]);
    }
  gtk_widget_set_hexpand (strips_box, TRUE);
  gtk_box_append (GTK_BOX (details), strips_box);
  gtk_widget_set_margin_start (details, 18);
  gtk_widget_set_margin_end (details, 18);
  gtk_widget_set_margin_top (details, 12);
  gtk_widget_set_margin_bottom (details, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (details_scrolled), details);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (details_scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_box_append (GTK_BOX (paned), details_scrolled);
  gtk_box_append (GTK_BOX (toolbar), paned);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, toolbar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->toasts));
  start_features (self, cancel);
}

/**
 * lk_browser_window_new:
 * @application: the application
 * @study_path: the study to browse; opened for writing (to cache descriptors) or, when another
 *   process has it, read-only
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the window
 */
LkBrowserWindow *
lk_browser_window_new (GtkApplication  *application,
                       const char      *study_path,
                       GError         **error)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  LkBrowserWindow *self;

  store = lk_store_open (study_path, LK_STORE_OPEN_DEFAULT, &local_error);
  if (store == NULL && g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED))
    store = lk_store_open (study_path, LK_STORE_OPEN_READ_ONLY, NULL);
  if (store == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_object_new (LK_TYPE_BROWSER_WINDOW, "application", application, NULL);
  self->path = g_strdup (study_path);
  self->store = g_steal_pointer (&store);
  self->root = lk_collection_get_root (self->store);
  self->items = lk_browser_model_load (self->store, &self->folders, error);
  self->loader = self->items != NULL ? lk_thumbnail_loader_new (study_path, 600, error) : NULL;
  if (self->loader != NULL)
    lk_thumbnail_loader_set_max_size (self->loader, CELL_SIZE);
  /* The selected image is shown larger, at its picture's size (the column is that wide). */
  self->seed_loader = self->loader != NULL ? lk_thumbnail_loader_new (study_path, 8, error) : NULL;
  if (self->seed_loader != NULL)
    lk_thumbnail_loader_set_max_size (self->seed_loader, SEED_SIZE);
  /* The strips' own, at their size: the Cairo renderer scales a texture on every frame it is
   * drawn, and the grid's 112 px textures in 96 px cells made a strip's first frame cost more
   * than the grid's (bench-browser). */
  self->strip_loader = self->seed_loader != NULL ? lk_thumbnail_loader_new (study_path, 64, error)
                                                 : NULL;
  if (self->strip_loader != NULL)
    lk_thumbnail_loader_set_max_size (self->strip_loader, LK_KNN_STRIP_CELL_SIZE);
  if (self->items == NULL || self->loader == NULL || self->seed_loader == NULL ||
      self->strip_loader == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  basename = g_path_get_basename (study_path);
  build (self, basename);
  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    show_seed (self, lk_browser_item_get_item (gtk_single_selection_get_selected_item (self->selection)));

  return self;
}

/**
 * lk_browser_window_save_screenshot:
 * @path: a PNG file
 *
 * Saves the window once descriptors, neighbours and visible thumbnails are in, then closes it.
 */
void
lk_browser_window_save_screenshot (LkBrowserWindow *self,
                                   const char      *path)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));

  g_free (self->screenshot_path);
  self->screenshot_path = g_strdup (path);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), screenshot_tick_cb, NULL, NULL);
}

/**
 * lk_browser_window_select_item:
 * @item: an item id
 *
 * Selects @item in the grid (clearing a filter that hides it) and scrolls to it.
 *
 * Returns: %FALSE if the collection has no such image
 */
gboolean
lk_browser_window_select_item (LkBrowserWindow *self,
                               guint            item)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n;

  if (find_item (self, item) == NULL)
    return FALSE;
  n = g_list_model_get_n_items (model);
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LkBrowserItem) it = g_list_model_get_item (model, i);

          if (lk_browser_item_get_item (it) == item)
            {
              gtk_single_selection_set_selected (self->selection, i);
              gtk_widget_activate_action (self->grid, "list.scroll-to-item", "u", i);
              if (!self->has_seed || self->seed != item)
                show_seed (self, item);
              return TRUE;
            }
        }
      gtk_editable_set_text (GTK_EDITABLE (self->search), "");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->folder_menu), 0);
      lk_browser_window_set_filter (self, NULL, NULL);
      n = g_list_model_get_n_items (model);
    }

  return FALSE;
}

/**
 * lk_browser_window_is_settled:
 *
 * Returns: %TRUE once descriptors and spaces are loaded, no neighbour query is running and no
 *   thumbnail that a widget waits for is still being decoded (tests and screenshots wait for it)
 */
gboolean
lk_browser_window_is_settled (LkBrowserWindow *self)
{
  if (!self->spaces_loaded || self->store_lent || self->queries_running > 0 || self->refreshing ||
      !self->has_seed || gtk_picture_get_paintable (GTK_PICTURE (self->seed_picture)) == NULL)
    return FALSE;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    if (!lk_knn_strip_is_loaded (LK_KNN_STRIP (self->strips[s])))
      return FALSE;

  return TRUE;
}

LkKnnStrip *
lk_browser_window_get_strip (LkBrowserWindow *self,
                             LkSpaceKind      kind)
{
  return LK_KNN_STRIP (self->strips[kind]);
}

GtkGridView *
lk_browser_window_get_grid (LkBrowserWindow *self)
{
  return GTK_GRID_VIEW (self->grid);
}

LkThumbnailLoader *
lk_browser_window_get_loader (LkBrowserWindow *self)
{
  return self->loader;
}

/**
 * lk_browser_window_set_filter:
 * @folder: (nullable): a folder relative to the root, or %NULL for all
 * @text: (nullable): text the file name contains (any case)
 */
void
lk_browser_window_set_filter (LkBrowserWindow *self,
                              const char      *folder,
                              const char      *text)
{
  g_free (self->filter_folder);
  g_free (self->filter_text);
  self->filter_folder = g_strdup (folder);
  self->filter_text = text != NULL && *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Returns how many times the neighbours were refreshed after the curator's answers. */
guint
lk_browser_window_get_n_refreshes (LkBrowserWindow *self)
{
  return self->n_refreshes;
}

/**
 * lk_browser_window_get_curator:
 *
 * Returns: (transfer none) (nullable): the window where the curator sorts grids, while open
 */
GtkWindow *
lk_browser_window_get_curator (LkBrowserWindow *self)
{
  return self->curator != NULL ? GTK_WINDOW (self->curator) : NULL;
}
