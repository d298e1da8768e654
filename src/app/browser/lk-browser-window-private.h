/* lk-browser-window-private.h — the browser window's state, shared by its files, and what
 * tests and benchmarks reach inside it
 *
 * lk-browser-window.c       the class, the selected image, the public functions
 * lk-browser-window-grid.c  the grid of thumbnails, its columns and its filter
 * lk-browser-window-spaces.c  descriptors, neighbour spaces, queries and refreshes
 * lk-browser-window-export.c  saving a strip, exporting every image's neighbours
 * lk-browser-window-actions.c the browser.* actions and their keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-browser-model.h"
#include "lk-browser-window.h"
#include "lk-curator-window.h"
#include "lk-knn-strip.h"
#include "lk-neighbour-spaces.h"
#include "lk-progress-bar.h"
#include "lk-study.h"
#include "lk-thumbnail-loader.h"

G_BEGIN_DECLS

/* Neighbours shown per space. */
#define LK_BROWSER_K 10

/* Edge of a grid cell's thumbnail (LkThumbCell), and of the textures the loader makes for it:
 * at scale 1 a texture is drawn as it is; at scale 2 it is drawn enlarged, a fair price for a
 * texture a quarter the size of the stored 256 px thumbnail. */
#define LK_BROWSER_CELL_SIZE 112

/* Edge of the selected image's picture, and of its texture (drawn as it is, not scaled from the
 * stored 256 px on every frame). */
#define LK_BROWSER_SEED_SIZE 200

struct _LkBrowserWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toasts;
  AdwWindowTitle     *window_title;
  GtkWidget          *search;
  GtkWidget          *folder_menu;
  LkProgressBar      *features_progress;
  LkProgressBar      *export_progress;
  GtkStack           *grid_stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *load_error;
  GtkWidget          *grid;
  GtkWidget          *seed_picture;
  GtkWidget          *seed_name;
  GtkWidget          *seed_answers;
  GtkWidget          *threshold;
  GtkWidget          *strips_box;

  /* Widgets made in code (a strip draws with the window's strip loader) */
  GtkWidget          *strips[LK_SPACE_N_KINDS];

  /* Owned references */
  LkStore            *store;      /* owned by study once there is one */
  LkStudy            *study;
  GHashTable         *bound;      /* GtkListItem of the grid's bound cells (set) */
  char               *path;
  char               *root;
  LkThumbnailLoader  *loader;
  LkThumbnailLoader  *seed_loader;
  LkThumbnailLoader  *strip_loader;
  GListStore         *items;      /* NULL until the list is loaded */
  GPtrArray          *by_id;      /* items' LkBrowserItem by item id (borrowed from items) */
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;
  LkNeighbourSpaces  *spaces;
  GStrv               folders;

  /* Borrowed references */
  LkCuratorWindow    *curator;    /* weak */

  /* State */
  char               *filter_folder;
  char               *filter_text;
  guint               seed;
  gboolean            has_seed;
  gboolean            store_lent;
  guint               queries_running;
  guint               columns_idle;
  gboolean            refreshing;
  gboolean            refresh_again;
  guint               n_refreshes;
};

/* lk-browser-window.c */
LkBrowserItem *_lk_browser_window_find_item          (LkBrowserWindow *self,
                                                      guint            id);
void           _lk_browser_window_show_seed          (LkBrowserWindow *self,
                                                      guint            id);
void           _lk_browser_window_show_seed_answers  (LkBrowserWindow *self,
                                                      LkBrowserItem   *item);
void           _lk_browser_window_show_error         (LkBrowserWindow *self,
                                                      const char      *heading,
                                                      const char      *body);

/* lk-browser-window-grid.c */
void           _lk_browser_window_grid_init          (LkBrowserWindow *self);
void           _lk_browser_window_grid_class_init    (GtkWidgetClass  *widget_class);
void           _lk_browser_window_update_few_answers (LkBrowserWindow *self);

/* lk-browser-window-spaces.c */
void           _lk_browser_window_start_features     (LkBrowserWindow *self);
void           _lk_browser_window_query_neighbours   (LkBrowserWindow *self);
void           _lk_browser_window_update_threshold   (LkBrowserWindow *self);

/* lk-browser-window-export.c */
void           _lk_browser_window_export_strip       (LkBrowserWindow *self,
                                                      LkSpaceKind      kind);
void           _lk_browser_window_choose_export      (LkBrowserWindow *self);

/* lk-browser-window-actions.c */
void           _lk_browser_window_class_actions_init (GtkWidgetClass  *widget_class);

/* For tests and benchmarks. */
LkBrowserWindow   *lk_browser_window_new_unloaded      (const char         *study_path,
                                                        GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void               lk_browser_window_load              (LkBrowserWindow    *self);
gboolean           lk_browser_window_is_loaded         (LkBrowserWindow    *self);
const char        *lk_browser_window_get_load_error    (LkBrowserWindow    *self);
gboolean           lk_browser_window_select_item       (LkBrowserWindow    *self,
                                                        guint               item);
gboolean           lk_browser_window_is_settled        (LkBrowserWindow    *self);
LkKnnStrip        *lk_browser_window_get_strip         (LkBrowserWindow    *self,
                                                        LkSpaceKind         kind);
GtkGridView       *lk_browser_window_get_grid          (LkBrowserWindow    *self);
LkThumbnailLoader *lk_browser_window_get_loader        (LkBrowserWindow    *self);
void               lk_browser_window_export_neighbours (LkBrowserWindow    *self,
                                                        const char         *path,
                                                        LkNeighboursFormat  format);
gboolean           lk_browser_window_is_exporting      (LkBrowserWindow    *self);
guint              lk_browser_window_get_n_refreshes   (LkBrowserWindow    *self);
GtkWindow         *lk_browser_window_get_curator       (LkBrowserWindow    *self);
void               lk_browser_window_set_filter        (LkBrowserWindow    *self,
                                                        const char         *folder,
                                                        const char         *text);

G_END_DECLS
