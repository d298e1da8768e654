/* lk-browser-window-spaces.c — the browser's descriptors, neighbour spaces and queries
 *
 * Once the list of images is loaded, the window's writable store is lent to one GTask that finds and computes missing
 * descriptors (lk_image_features_update(), with progress and Cancel): the main thread does not
 * use the store until it returns. Then LkNeighbourSpaces loads the three spaces through its
 * own read-only connection; each selection runs one k-NN query there, whose result is dropped
 * if the selection moved on. The UI thread only swaps results in.
 *
 * Each answer the curator saves refreshes the learned space, the answer counts and the "few
 * answers" marks the same way (lk_browser_window_refresh_neighbours()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-browser-window-private.h"
#include "lk-image-features.h"

/* ---- neighbours of the selected image ---------------------------------------------------- */

void
_lk_browser_window_update_threshold (LkBrowserWindow *self)
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
  g_autoptr(LkBrowserWindow) self = user_data;
  g_autoptr(LkNeighbourLists) lists = NULL;

  self->queries_running--;
  lists = lk_neighbour_spaces_query_finish (LK_NEIGHBOUR_SPACES (source), result, NULL);
  if (lists == NULL || !self->has_seed || lists->item != self->seed)
    return;
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      LkKnnStrip *strip = LK_KNN_STRIP (self->strips[s]);
      const GError *error = lk_neighbour_spaces_get_error (self->spaces, s);

      if (!lists->loaded[s])
        lk_knn_strip_set_message (strip, error != NULL ? error->message : NULL);
      else if (lists->n[s] == 0)
        lk_knn_strip_set_message (strip, _("This image has no descriptor (it could not be decoded)"));
      else
        lk_knn_strip_set_neighbours (strip, lists->ids[s], lists->distances[s], lists->n[s],
                                     lk_neighbour_spaces_get_scale (self->spaces, s));
    }
  _lk_browser_window_update_threshold (self);
}

void
_lk_browser_window_query_neighbours (LkBrowserWindow *self)
{
  if (!lk_neighbour_spaces_is_loaded (self->spaces) || !self->has_seed)
    return;
  self->queries_running++;
  lk_neighbour_spaces_query_async (self->spaces, self->seed, LK_BROWSER_K, self->cancellable,
                                   query_done_cb, g_object_ref (self));
}

/* ---- loading the spaces ------------------------------------------------------------------ */

/* Swaps in what a load of the spaces read. A failure is said in a toast (@what: what could not
 * be done), unless the window is closing: then its cancellable is cancelled, and a load that
 * was past its last check of it may fail on a study file that has gone meanwhile. */
static gboolean
finish_load (LkBrowserWindow *self,
             GObject         *source,
             GAsyncResult    *result,
             const char      *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (lk_neighbour_spaces_load_finish (LK_NEIGHBOUR_SPACES (source), result, &error))
    return TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    {
      g_debug ("%s: %s", what, error->message);
      return FALSE;
    }
  /* A toast's title is markup: the reason may hold a path with an ampersand. */
  message = g_markup_printf_escaped ("%s: %s", what, error->message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));

  return FALSE;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkBrowserWindow) self = user_data;

  if (finish_load (self, source, result, _("The neighbours could not be loaded")))
    _lk_browser_window_query_neighbours (self);
}

static void
load_spaces (LkBrowserWindow *self)
{
  lk_neighbour_spaces_load_async (self->spaces, LK_NEIGHBOUR_SPACES_ALL | LK_NEIGHBOUR_SPACES_SCALES,
                                  self->cancellable, load_done_cb, g_object_ref (self));
}

/* ---- refreshing after the curator's answers ---------------------------------------------- */

static void start_refresh (LkBrowserWindow *self);

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LkBrowserWindow) self = user_data;
  const guint *support;
  guint n_support;
  gboolean changed = FALSE;

  self->refreshing = FALSE;
  if (!finish_load (self, source, result, _("The neighbours could not be refreshed")))
    return;

  /* Answer counts: once per saved answer, a walk of an array by item id (at 100,000 images, a
   * walk of the list model took a main-loop iteration of its own). */
  support = lk_neighbour_spaces_get_support (self->spaces, &n_support);
  for (guint id = 0; self->by_id != NULL && id < self->by_id->len; id++)
    {
      LkBrowserItem *it = g_ptr_array_index (self->by_id, id);
      guint answers = id < n_support ? support[id] : 0;

      if (it != NULL && lk_browser_item_get_answers (it) != answers)
        {
          lk_browser_item_set_answers (it, answers);
          changed = TRUE;
        }
    }
  if (changed)
    _lk_browser_window_update_few_answers (self);
  if (self->has_seed)
    _lk_browser_window_show_seed_answers (self, _lk_browser_window_find_item (self, self->seed));
  self->n_refreshes++;
  _lk_browser_window_query_neighbours (self);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }
}

static void
start_refresh (LkBrowserWindow *self)
{
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refreshing = TRUE;
  lk_neighbour_spaces_load_async (self->spaces,
                                  LK_NEIGHBOUR_SPACES_LEARNED | LK_NEIGHBOUR_SPACES_SCALES |
                                  LK_NEIGHBOUR_SPACES_SUPPORT,
                                  self->cancellable, refresh_done_cb, g_object_ref (self));
}

/**
 * lk_browser_window_refresh_neighbours:
 *
 * Reloads the learned embedding and the answer counts from the study file (through a
 * read-only connection, off the main thread) and shows the selected image's neighbours
 * again. Called when the curator's session saved an answer or stored a phase.
 */
void
lk_browser_window_refresh_neighbours (LkBrowserWindow *self)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));

  if (lk_neighbour_spaces_is_loaded (self->spaces))
    start_refresh (self);
}

/* ---- computing the descriptors ----------------------------------------------------------- */

typedef struct {
  LkStore           *store;    /* lent by the window until the task returns */
  LkProgressCounter *progress;
} FeaturesData;

static void
features_data_free (gpointer data)
{
  FeaturesData *f = data;

  lk_progress_counter_unref (f->progress);
  g_free (f);
}

static void
features_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FeaturesData *f = task_data;
  g_autoptr(GError) error = NULL;

  if (lk_image_features_update (f->store, cancellable, lk_progress_counter_report, f->progress, NULL,
                                &error))
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
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("computing image features: %s", error->message);
  if (g_cancellable_is_cancelled (self->cancellable))
    return; /* the window is gone, and its widgets with it */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", TRUE);
  lk_progress_bar_stop (self->features_progress);
  load_spaces (self);
}

static char *
features_text (guint done,
               guint total)
{
  return g_strdup_printf (_("Computing image features: %u of %u"), done, total);
}

/* Computes the missing descriptors, then loads the spaces. */
void
_lk_browser_window_start_features (LkBrowserWindow *self)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *features;
  FeaturesData *f;

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
  features = lk_progress_bar_start (self->features_progress, self->cancellable, NULL,
                                    features_text);
  f = g_new0 (FeaturesData, 1);
  f->store = self->store;
  f->progress = lk_progress_counter_ref (lk_progress_bar_get_counter (self->features_progress));
  task = g_task_new (self, features, features_done_cb, NULL);
  g_task_set_task_data (task, f, features_data_free);
  self->store_lent = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", FALSE);
  g_task_run_in_thread (task, features_thread);
}
