/* lk-browser-window.c — browse a collection by learned similarity and by image features
 *
 * The whole collection in a grid, filtered by folder and name (lk-browser-window-grid.c). The
 * list of images is loaded on a worker thread (lk_browser_model_load_async(): 212 ms of CPU at
 * 100,000 images, which the window's first frame no longer waits for), after the study's row
 * checks (lk_store_open()'s, about 20 ms at 100,000, run there too); meanwhile the grid's
 * place says it is loading, and a damaged study or an error reading it is shown there. Computing the descriptors
 * and loading the neighbour spaces start once the list is in.
 * Selecting an image shows its 10 nearest neighbours under the learned embedding and, below
 * it for comparison, under the colour and HOG descriptors, each with its distance; a slider
 * dims the neighbours beyond a relative distance (lk-browser-window-spaces.c). Images placed
 * in fewer than LK_NEIGHBOURS_FEW_ANSWERS answers carry a "few answers" mark: the learned
 * metric knows them too little to trust their neighbours.
 *
 * "Sort grids yourself" (browser.sort-grids) opens an LkCuratorWindow on the same study: the
 * window's writable store becomes an LkStudy (which then owns it and its writer lock), as the
 * file cannot be opened for writing twice. Each saved answer refreshes the learned strip, the
 * answer counts and the "few answers" marks. Saving and exporting are
 * lk-browser-window-export.c, the actions lk-browser-window-actions.c; the widgets are the
 * template ui/browser/lk-browser-window.ui.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-browser-window-private.h"
#include "lk-collection.h"
#include "lk-pointer-probe.h"
#include "lk-screenshot.h"
#include "lk-study-errors.h"

G_DEFINE_FINAL_TYPE (LkBrowserWindow, lk_browser_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- the selected image ------------------------------------------------------------------ */

LkBrowserItem *
_lk_browser_window_find_item (LkBrowserWindow *self,
                              guint            id)
{
  return self->by_id != NULL && id < self->by_id->len ? g_ptr_array_index (self->by_id, id)
                                                      : NULL;
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

void
_lk_browser_window_show_seed_answers (LkBrowserWindow *self,
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

/* Shows image @id large, with its answers, and asks for its neighbours. */
void
_lk_browser_window_show_seed (LkBrowserWindow *self,
                              guint            id)
{
  LkBrowserItem *item = _lk_browser_window_find_item (self, id);

  if (self->has_seed)
    lk_thumbnail_loader_unwant (self->seed_loader, self->seed, self);
  self->seed = id;
  self->has_seed = TRUE;
  gtk_picture_set_paintable (GTK_PICTURE (self->seed_picture), NULL);
  lk_thumbnail_loader_want (self->seed_loader, id, seed_thumbnail_cb, self);
  gtk_label_set_text (GTK_LABEL (self->seed_name), item != NULL ? lk_browser_item_get_path (item)
                                                                : "");
  _lk_browser_window_show_seed_answers (self, item);
  _lk_browser_window_query_neighbours (self);
}

void
_lk_browser_window_show_error (LkBrowserWindow *self,
                               const char      *heading,
                               const char      *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
neighbour_activated_cb (LkBrowserWindow *self,
                        guint            item)
{
  lk_browser_window_select_item (self, item);
}

static void
threshold_changed_cb (LkBrowserWindow *self)
{
  _lk_browser_window_update_threshold (self);
}

/* Makes the three strips, which draw with the window's strip loader. */
static void
add_strips (LkBrowserWindow *self)
{
  static const char *strip_titles[LK_SPACE_N_KINDS] = {
    N_("Learned from the answers"), N_("Colour descriptor (baseline)"), N_("HOG descriptor (baseline)"),
  };

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      self->strips[s] = lk_knn_strip_new (_(strip_titles[s]), self->strip_loader);
      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[s]), _("Loading…"));
      g_signal_connect_swapped (self->strips[s], "neighbour-activated",
                                G_CALLBACK (neighbour_activated_cb), self);
      gtk_box_append (GTK_BOX (self->strips_box), self->strips[s]);
    }
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
  if (self->curator != NULL)
    gtk_window_destroy (GTK_WINDOW (self->curator));
  self->has_seed = FALSE;
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_BROWSER_WINDOW);

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
  g_clear_pointer (&self->by_id, g_ptr_array_unref);
  g_clear_object (&self->loader);
  g_clear_object (&self->seed_loader);
  g_clear_object (&self->strip_loader);
  g_clear_object (&self->items);
  g_clear_object (&self->filter);
  g_clear_object (&self->selection);
  g_clear_object (&self->spaces);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->folders, g_strfreev);
  g_free (self->path);
  g_free (self->root);
  g_free (self->filter_folder);
  g_free (self->filter_text);

  G_OBJECT_CLASS (lk_browser_window_parent_class)->finalize (object);
}

static void
lk_browser_window_class_init (LkBrowserWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_browser_window_dispose;
  object_class->finalize = lk_browser_window_finalize;

  g_type_ensure (LK_TYPE_PROGRESS_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/browser/lk-browser-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, search);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, folder_menu);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, features_progress);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, export_progress);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, load_error);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, seed_picture);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, seed_name);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, seed_answers);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, threshold);
  gtk_widget_class_bind_template_child (widget_class, LkBrowserWindow, strips_box);
  gtk_widget_class_bind_template_callback (widget_class, threshold_changed_cb);
  _lk_browser_window_grid_class_init (widget_class);
  _lk_browser_window_class_actions_init (widget_class);
}

/* For the pointer probe: busy until it has settled (Sort Grids refuses while the study's
 * image features are computed). */
static gboolean
browser_busy (GtkWindow *window)
{
  return !lk_browser_window_is_settled (LK_BROWSER_WINDOW (window));
}

static void
lk_browser_window_init (LkBrowserWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lk_pointer_probe_watch_window (GTK_WINDOW (self), "browser", browser_busy);

  self->cancellable = g_cancellable_new ();
  self->bound = g_hash_table_new (NULL, NULL);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
}

/* Makes a thumbnail loader of @study_path's for textures of @size px. */
static LkThumbnailLoader *
loader_new (const char  *study_path,
            guint        cache,
            guint        size,
            GError     **error)
{
  LkThumbnailLoader *loader = lk_thumbnail_loader_new (study_path, cache, error);

  if (loader != NULL)
    lk_thumbnail_loader_set_max_size (loader, size);

  return loader;
}

/* Shows the list of images in the grid, or why it could not be read. */
static void
list_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkBrowserWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) items = NULL;
  g_autoptr(GPtrArray) by_id = NULL;
  g_auto(GStrv) folders = NULL;
  LkBrowserItem *selected;

  items = lk_browser_model_load_finish (result, &folders, &by_id, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("the browser was closed while its list of images was loaded");
      return;
    }
  gtk_spinner_stop (self->loading_spinner);
  if (items == NULL)
    {
      g_autofree char *body = lk_study_error_dup_body (error);

      adw_status_page_set_description (self->load_error, body);
      gtk_stack_set_visible_child_name (self->grid_stack, "error");
      for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
        lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[s]), NULL);
      return;
    }

  self->items = g_steal_pointer (&items);
  self->by_id = g_steal_pointer (&by_id);
  self->folders = g_steal_pointer (&folders);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.judge", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", TRUE);
  _lk_browser_window_grid_init (self);
  gtk_stack_set_visible_child_name (self->grid_stack, "grid");
  gtk_widget_set_sensitive (self->folder_menu, TRUE);
  _lk_browser_window_start_features (self);
  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL)
    _lk_browser_window_show_seed (self, lk_browser_item_get_item (selected));
}

/* Makes the window on @study_path without its list of images (lk_browser_window_load()). */
static LkBrowserWindow *
window_new (GtkApplication  *application,
            const char      *study_path,
            GError         **error)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  LkBrowserWindow *self;

  /* Unchecked here: the checks read every row (about 20 ms at 100,000 images), and the list's
   * worker runs them on its own connection before the window uses the study (nothing reads or
   * writes through this store until the list is in; a damaged study is said in the grid's
   * place, list_loaded_cb()). */
  store = lk_store_open (study_path, LK_STORE_OPEN_UNCHECKED, &local_error);
  if (store == NULL && g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED))
    store = lk_store_open (study_path, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED, NULL);
  if (store == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_object_new (LK_TYPE_BROWSER_WINDOW, "application", application, NULL);
  self->path = g_strdup (study_path);
  self->store = g_steal_pointer (&store);
  self->spaces = lk_neighbour_spaces_new (study_path);
  self->root = lk_collection_get_root (self->store);
  self->loader = loader_new (study_path, 600, LK_BROWSER_CELL_SIZE, error);
  /* The selected image is shown larger, at its picture's size (the column is that wide). */
  self->seed_loader = self->loader != NULL ? loader_new (study_path, 8, LK_BROWSER_SEED_SIZE, error)
                                           : NULL;
  /* The strips' own, at their size: the Cairo renderer scales a texture on every frame it is
   * drawn, and the grid's 112 px textures in 96 px cells made a strip's first frame cost more
   * than the grid's (bench-browser). */
  self->strip_loader = self->seed_loader != NULL ? loader_new (study_path, 64,
                                                               LK_KNN_STRIP_CELL_SIZE, error)
                                                 : NULL;
  if (self->loader == NULL || self->seed_loader == NULL || self->strip_loader == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  basename = g_path_get_basename (study_path);
  adw_window_title_set_subtitle (self->window_title, basename);
  add_strips (self);
  /* No session until the list and the descriptors are in (features_done_cb()); nothing on
   * this store until the list's worker has checked the study (list_loaded_cb()). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.sort-grids", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.judge", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", FALSE);

  return self;
}

/**
 * lk_browser_window_new:
 * @application: the application
 * @study_path: the study to browse; opened for writing (to cache descriptors) or, when another
 *   process has it, read-only
 * @error: return location for a #GError
 *
 * Opens the study and makes the window, which checks the study and loads its list of images
 * on a worker thread (a damaged study, or an error reading it, is shown in the window).
 *
 * Returns: (transfer full) (nullable): the window, or %NULL when the study cannot be opened
 */
LkBrowserWindow *
lk_browser_window_new (GtkApplication  *application,
                       const char      *study_path,
                       GError         **error)
{
  LkBrowserWindow *self = window_new (application, study_path, error);

  if (self != NULL)
    lk_browser_window_load (self);

  return self;
}

/**
 * lk_browser_window_new_unloaded:
 *
 * Makes the window as lk_browser_window_new() does, but does not start loading its list of
 * images (lk_browser_window_load()): a test can change the study first.
 *
 * Returns: (transfer full) (nullable): the window
 */
LkBrowserWindow *
lk_browser_window_new_unloaded (const char  *study_path,
                                GError     **error)
{
  return window_new (NULL, study_path, error);
}

/**
 * lk_browser_window_load:
 *
 * Starts loading the list of images on a worker thread, once.
 */
void
lk_browser_window_load (LkBrowserWindow *self)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));
  g_return_if_fail (!gtk_spinner_get_spinning (self->loading_spinner) && self->items == NULL);

  gtk_spinner_start (self->loading_spinner);
  lk_browser_model_load_async (self->path, self->cancellable, list_loaded_cb, g_object_ref (self));
}

/**
 * lk_browser_window_is_loaded:
 *
 * Returns: %TRUE once the grid shows the list of images
 */
gboolean
lk_browser_window_is_loaded (LkBrowserWindow *self)
{
  return self->items != NULL;
}

/**
 * lk_browser_window_get_load_error:
 *
 * Returns: (nullable): what the window shows in place of the grid when the list of images could
 *   not be read
 */
const char *
lk_browser_window_get_load_error (LkBrowserWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->grid_stack), "error") != 0)
    return NULL;

  return adw_status_page_get_description (self->load_error);
}

static gboolean
screenshot_ready (GtkWidget *widget)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);

  /* A list that could not be read: the picture shows why. */
  return lk_browser_window_is_settled (self) || lk_browser_window_get_load_error (self) != NULL;
}

/**
 * lk_browser_window_save_screenshot:
 * @path: a PNG file
 *
 * Saves the window once descriptors, neighbours and visible thumbnails are in (or once it shows
 * that its list of images could not be read), then closes it.
 */
void
lk_browser_window_save_screenshot (LkBrowserWindow *self,
                                   const char      *path)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));

  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 6);
}

static gboolean
keep_dialog_tick_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  const char *path = user_data;

  if (!lk_browser_window_is_settled (self))
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (widget, "browser.sort-grids", NULL);
  if (self->curator == NULL)
    g_warning ("the Sort Grids window did not open");
  else
    lk_curator_window_show_keep_dialog (self->curator, path[0] != '\0' ? path : NULL);

  return G_SOURCE_REMOVE;
}

/**
 * lk_browser_window_show_keep_dialog:
 * @path: (nullable): a PNG file, or %NULL
 *
 * For `--page=keep-known-answer:STUDY`: once the window has settled, opens "Sort Grids…" and
 * there "Keep as Known Answer…" (the study must have a grid the curator sorted); with @path,
 * saves that dialog over the curator's window and closes the windows
 * (lk_curator_window_show_keep_dialog()).
 */
void
lk_browser_window_show_keep_dialog (LkBrowserWindow *self,
                                    const char      *path)
{
  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));

  gtk_widget_add_tick_callback (GTK_WIDGET (self), keep_dialog_tick_cb,
                                g_strdup (path != NULL ? path : ""), g_free);
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
  LkBrowserItem *found = _lk_browser_window_find_item (self, item);
  guint n;

  if (found == NULL)
    return FALSE;
  for (guint pass = 0; pass < 2; pass++)
    {
      /* Unfiltered, the grid's list is the collection's: the item is at its own place. */
      guint pos = lk_browser_item_get_position (found);
      g_autoptr(LkBrowserItem) at = g_list_model_get_item (model, pos);

      if (at != found)
        {
          /* Filtered: a walk of what the filter shows. */
          n = g_list_model_get_n_items (model);
          for (pos = 0; pos < n; pos++)
            {
              g_autoptr(LkBrowserItem) it = g_list_model_get_item (model, pos);

              if (it == found)
                break;
            }
        }
      if (pos < g_list_model_get_n_items (model))
        {
          gtk_single_selection_set_selected (self->selection, pos);
          gtk_widget_activate_action (self->grid, "list.scroll-to-item", "u", pos);
          if (!self->has_seed || self->seed != item)
            _lk_browser_window_show_seed (self, item);
          return TRUE;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->search), "");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->folder_menu), 0);
      lk_browser_window_set_filter (self, NULL, NULL);
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
  if (!lk_neighbour_spaces_is_loaded (self->spaces) || self->store_lent ||
      self->queries_running > 0 || self->refreshing || !self->has_seed ||
      gtk_picture_get_paintable (GTK_PICTURE (self->seed_picture)) == NULL)
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
