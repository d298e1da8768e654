/* lk-browser-window-grid.c — the browser's grid of thumbnails, its columns and its filter
 *
 * The whole collection in a GtkGridView (virtualised: only the cells on screen exist, their
 * thumbnails come from LkThumbnailLoader's worker threads and cache), filtered by folder and
 * name. A cell is one LkThumbCell, which draws its thumbnail and name itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-browser-window-private.h"
#include "lk-thumb-cell.h"

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
  GtkWidget *cell = lk_thumb_cell_new (LK_BROWSER_CELL_SIZE);

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

/* Marks again the bound cells whose images have few answers (after the counts changed). */
void
_lk_browser_window_update_few_answers (LkBrowserWindow *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LkBrowserItem *it = gtk_list_item_get_item (key);
      GtkWidget *cell = gtk_list_item_get_child (key);

      if (it != NULL && cell != NULL)
        lk_thumb_cell_set_few_answers (LK_THUMB_CELL (cell),
                                       lk_browser_item_get_answers (it) < LK_NEIGHBOURS_FEW_ANSWERS);
    }
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

  return CLAMP ((guint) (gtk_adjustment_get_page_size (hadj) / LK_BROWSER_CELL_SIZE), 1, 40);
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

static void
search_changed_cb (LkBrowserWindow *self)
{
  const char *folder = NULL;
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->folder_menu));

  /* The folder menu's model is set once the folders are known, before the filter. */
  if (self->filter == NULL)
    return;
  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    folder = self->folders[selected - 1];
  lk_browser_window_set_filter (self, folder, gtk_editable_get_text (GTK_EDITABLE (self->search)));
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
    _lk_browser_window_show_seed (self, lk_browser_item_get_item (item));
}

/* Fills the folder menu and makes the grid's models, once the list of images is loaded. */
void
_lk_browser_window_grid_init (LkBrowserWindow *self)
{
  g_autoptr(GtkStringList) folder_names = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;

  gtk_string_list_append (folder_names, _("All folders"));
  for (guint i = 0; self->folders[i] != NULL; i++)
    gtk_string_list_append (folder_names, *self->folders[i] != '\0' ? self->folders[i]
                                                                    : _("(top folder)"));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->folder_menu), G_LIST_MODEL (folder_names));

  /* No function while nothing is filtered: the filter then matches all, and the filter model
   * passes the list through instead of calling one per image (100,000 calls at 100,000). */
  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->items)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (GTK_GRID_VIEW (self->grid), factory);
  gtk_grid_view_set_model (GTK_GRID_VIEW (self->grid), GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid)), "changed",
                    G_CALLBACK (grid_width_changed_cb), self);
  /* A name typed while the list was loading filters it now. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search)) != '\0')
    search_changed_cb (self);
}

void
_lk_browser_window_grid_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
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
  /* Either call tells the filter model that everything may have changed. */
  if ((folder != NULL && *folder != '\0') || self->filter_text != NULL)
    gtk_custom_filter_set_filter_func (self->filter, filter_cb, self, NULL);
  else
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
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
