/* lk-sort-page.c — the participant's sorting screen: a grid of images and numbered bins
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-image-tile.h"
#include "lk-pointer-probe.h"
#include "lk-sort-page-private.h"

#define GRID_TILE_SIZE 96
/* On a small screen the page is compact: tighter margins, no footer preview nor heading, the
 * bins' images smaller, no progress bar (the header's text says it), and the grid's as large
 * as fits, from 48 px up in steps of 8 (fewer sizes for the decoder to make ahead). A 1280x800 screen at a scale of 2 leaves the page
 * 640x400 logical pixels; there the 20 images of a grid (four rows of five) fit at 48 px with
 * the bins beside them, and nothing scrolls. */
#define COMPACT_GRID_TILE_SIZE 48
#define COMPACT_GRID_TILE_MAX  88
#define COMPACT_GRID_TILE_STEP 8
#define COMPACT_LARGE_PREVIEW_SIZE 280
/* The least the page asks of its window: what a 640x400 screen leaves below the header bar.
 * The page chooses its layout from the size it is given, so the window never grows by itself to
 * fit a layout, and the images do not change size while the participant sorts. */
#define PAGE_MIN_WIDTH  600
#define PAGE_MIN_HEIGHT 300
/* Images per row of the grid: five (paper 000's 20 images in four rows), six for a grid of 21
 * to 24 (paper 001's 24 images in four rows of six) and for larger ones. */
#define GRID_COLUMNS 5
#define GRID_COLUMNS_WIDE 6
/* The footer's preview and the press-and-hold one (their size requests in lk-sort-page.ui). */
#define PREVIEW_SIZE 88
#define LARGE_PREVIEW_SIZE 420

/* Where sort.move-focus takes the focus (the arrow keys, Home and End in lk-sort-page.ui). */
typedef enum {
  LK_SORT_MOTION_LEFT,
  LK_SORT_MOTION_RIGHT,
  LK_SORT_MOTION_UP,
  LK_SORT_MOTION_DOWN,
  LK_SORT_MOTION_FIRST,
  LK_SORT_MOTION_LAST,
} LkSortMotion;

struct _LkSortPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkLabel       *participant_label;
  GtkLabel       *practice_label;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkWidget      *body;
  GtkWidget      *grid_area;
  GtkWidget      *grid_heading;
  GtkGrid        *grid;
  GtkGrid        *bins_grid;
  GtkWidget      *footer;
  GtkWidget      *hints;
  GtkPicture     *preview;
  GtkPicture     *large_preview;
  GtkLabel       *status_label;
  GtkWidget      *submit_button;
  GtkEventController *shortcuts;

  /* Owned references */
  LkSortModel    *model;
  LkImageSource  *source;
  GPtrArray      *tiles;          /* LkImageTile, by position */
  GArray         *next_items;     /* guint: the next grid's images, when known */
  GCancellable   *large_cancellable; /* the large preview's image being read */

  /* Borrowed references (children of bins_grid or grid, or owned by the widget) */
  GPtrArray      *bins;           /* LkBin, by index */
  GPtrArray      *places;         /* AdwBin: each image's place in the grid, by position */
  GtkDropTarget  *grid_drop_target;

  LkImageTile    *marked;         /* the image of the place focused, ringed in its bin too */
  guint           cursor;         /* the place focused last */

  /* The palette way of working (paper 002): pick a bin's colour, then click images */
  gboolean        palette;
  gint            brush;          /* the bin picked, or -1 */

  gulong          moved_id;
  gulong          notify_id;

  /* Group names (papers 001 and 002): an entry under each bin */
  gboolean        naming;

  guint           columns;        /* images per row of the grid shown */

  /* The layout: compact or not, chosen from the size given (choose_layout()) */
  gboolean        compact;
  int             grid_size;           /* the grid's images' edge: GRID_TILE_SIZE unless compact */
  int             regular_min_width;   /* the regular layout's minimum, 0 until measured */
  int             regular_min_height;
  int             laid_width;          /* the size the layout was chosen for, -1 for none */
  int             laid_height;
};

G_DEFINE_FINAL_TYPE (LkSortPage, lk_sort_page, ADW_TYPE_BIN)

enum {
  SIGNAL_SUBMIT,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static LkImageTile *
tile_at (LkSortPage *self,
         guint       position)
{
  return g_ptr_array_index (self->tiles, position);
}

/* The edge of an image in the grid, and of one in a bin, in the layout shown. */
static int
grid_tile_size (LkSortPage *self)
{
  return self->grid_size;
}

static int
bin_tile_size (LkSortPage *self)
{
  return self->compact ? LK_BIN_COMPACT_TILE_SIZE : LK_BIN_TILE_SIZE;
}

static void
update_state (LkSortPage *self)
{
  gboolean can_submit = self->model != NULL && lk_sort_model_get_can_submit (self->model);
  gboolean can_undo = self->model != NULL && lk_sort_model_get_can_undo (self->model);
  const char *reason = self->model != NULL ? lk_sort_model_get_reason (self->model) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sort.submit", can_submit);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sort.undo", can_undo);

  /* The participant always sees why Submit is off; once it is on, how to use it. */
  gtk_label_set_label (self->status_label,
                       reason != NULL ? reason : _("Done? Press Enter or Submit"));
  /* Only when it changes: GTK 4.8 asks the X server where the pointer is at every new tooltip
   * (a round trip), and this runs at every move and every Submit. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (self->submit_button), reason) != 0)
    gtk_widget_set_tooltip_text (self->submit_button, reason);
}

static GtkWidget *
place_at (LkSortPage *self,
          guint       position)
{
  return g_ptr_array_index (self->places, position);
}

/* The grid keeps a place for every image, whether the image is in it or in a bin, so that
 * taking one out moves nothing else. The keyboard focus is always on a place, never on an
 * image: it stays put when its image goes into a bin, and a number key acts on the image of
 * the place focused, wherever that image is. (GTK 4.8's GtkFlowBox, used before, kept its
 * cursor on removed children and crashed at the next arrow key.) */
static void
take_out (LkSortPage  *self,
          LkImageTile *tile,
          gint         bin)
{
  if (bin == LK_BIN_LEFT_OUT)
    {
      GtkWidget *place = place_at (self, lk_image_tile_get_position (tile));

      adw_bin_set_child (ADW_BIN (place), NULL);
      gtk_widget_add_css_class (place, "empty");
    }
  else
    lk_bin_remove_tile (g_ptr_array_index (self->bins, bin), tile);
}

static void
put_in (LkSortPage  *self,
        LkImageTile *tile,
        gint         bin)
{
  if (bin == LK_BIN_LEFT_OUT)
    {
      GtkWidget *place = place_at (self, lk_image_tile_get_position (tile));

      /* Sized once in its place, so that its texture is made for the place's scale factor. */
      adw_bin_set_child (ADW_BIN (place), GTK_WIDGET (tile));
      lk_image_tile_set_size (tile, grid_tile_size (self));
      gtk_widget_remove_css_class (place, "empty");
    }
  else
    {
      lk_bin_add_tile (g_ptr_array_index (self->bins, bin), tile);
    }
}

static void
moved_cb (LkSortPage  *self,
          guint        position,
          gint         from,
          gint         to,
          LkSortModel *model)
{
  LkImageTile *tile = tile_at (self, position);

  take_out (self, tile, from);
  put_in (self, tile, to);
}

static void
model_notify_cb (LkSortPage  *self,
                 GParamSpec  *pspec,
                 LkSortModel *model)
{
  update_state (self);
}

/* Returns the position of the place @widget is or is in, or -1. */
static int
place_position (LkSortPage *self,
                GtkWidget  *widget)
{
  guint position;

  while (widget != NULL && gtk_widget_get_parent (widget) != GTK_WIDGET (self->grid))
    widget = gtk_widget_get_parent (widget);
  if (widget == NULL || !g_ptr_array_find (self->places, widget, &position))
    return -1;

  return (int) position;
}

/* Returns the position of the place that has the keyboard focus, or -1. */
static int
focused_position (LkSortPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return root != NULL ? place_position (self, gtk_root_get_focus (root)) : -1;
}

/* Returns the image of the place that has the keyboard focus (in the grid or in a bin), or NULL. */
static LkImageTile *
focused_tile (LkSortPage *self)
{
  int position = focused_position (self);

  return position >= 0 ? tile_at (self, (guint) position) : NULL;
}

static void
focus_tile (LkSortPage  *self,
            LkImageTile *tile)
{
  gtk_widget_grab_focus (place_at (self, lk_image_tile_get_position (tile)));
}

/* Returns the first image still in the grid after @position (wrapping around), or NULL. */
static LkImageTile *
next_in_grid (LkSortPage *self,
              guint       position)
{
  guint n = self->tiles->len;

  for (guint i = 1; i <= n; i++)
    {
      guint p = (position + i) % n;

      if (lk_sort_model_get_bin (self->model, p) == LK_BIN_LEFT_OUT)
        return tile_at (self, p);
    }

  return NULL;
}

/* Picks bin @brush (or none, -1) as the palette's colour, and rings that bin. */
static void
set_brush (LkSortPage *self,
           gint        brush)
{
  self->brush = brush;
  for (guint b = 0; b < self->bins->len; b++)
    {
      GtkWidget *bin = g_ptr_array_index (self->bins, b);

      if ((gint) b == brush)
        gtk_widget_add_css_class (bin, "brush");
      else
        gtk_widget_remove_css_class (bin, "brush");
    }
}

/* Palette: puts @tile into the bin picked, or back into the grid when it is there already. */
static void
paint (LkSortPage  *self,
       LkImageTile *tile)
{
  guint position = lk_image_tile_get_position (tile);
  gint bin = lk_sort_model_get_bin (self->model, position);

  if (self->brush < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  lk_sort_model_move (self->model, position, bin == self->brush ? LK_BIN_LEFT_OUT : self->brush);
}

static void
paint_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkSortPage *self = LK_SORT_PAGE (widget);
  LkImageTile *tile;

  if (self->model == NULL || !self->palette)
    return;
  tile = focused_tile (self);
  if (tile != NULL)
    paint (self, tile);
}

/* A bin's key, or Backspace (@bin LK_BIN_LEFT_OUT): files the image focused, or with the
 * palette picks the bin's colour. */
static void
place (LkSortPage *self,
       gint        bin)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LkImageTile *tile;
  LkImageTile *next;
  guint position;

  if (self->model == NULL)
    return;
  if (bin != LK_BIN_LEFT_OUT && (bin < 0 || (guint) bin >= lk_sort_model_get_nc (self->model)))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  /* Palette: a number key picks that bin's colour; Backspace still takes an image out. */
  if (self->palette && bin != LK_BIN_LEFT_OUT)
    {
      set_brush (self, bin);
      return;
    }

  /* With nothing focused, a number key takes the first image left in the grid. */
  tile = focused_tile (self);
  if (tile == NULL)
    tile = next_in_grid (self, self->tiles->len - 1);
  if (tile == NULL)
    return;

  position = lk_image_tile_get_position (tile);
  lk_sort_model_move (self->model, position, bin);

  /* Keep the keyboard flowing: after filing an image, go on with the next one in the grid. */
  next = bin != LK_BIN_LEFT_OUT ? next_in_grid (self, position) : NULL;
  focus_tile (self, next != NULL ? next : tile);
}

static void
place_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  place (LK_SORT_PAGE (widget), g_variant_get_int32 (parameter));
}

/* 0: the tenth bin's key in a grid of ten bins (paper 001's grids, keys 1 to 9 and 0), as on
 * the keyboard's top row; in a grid of fewer, it takes the image out, as Backspace does. */
static void
zero_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkSortPage *self = LK_SORT_PAGE (widget);

  if (self->model == NULL)
    return;
  place (self, lk_sort_model_get_nc (self->model) >= LK_BIN_ZERO_KEY + 1 ? LK_BIN_ZERO_KEY
                                                                          : LK_BIN_LEFT_OUT);
}

/* Returns where @motion takes the focus from the place at @position, in a grid of @n places
 * @columns to a row. The focus stops at the edges; left and right go on to the row above
 * or below, in reading order. */
static guint
move_position (guint        position,
               guint        n,
               guint        columns,
               LkSortMotion motion)
{
  switch (motion)
    {
    case LK_SORT_MOTION_LEFT:  return position > 0 ? position - 1 : position;
    case LK_SORT_MOTION_RIGHT: return position + 1 < n ? position + 1 : position;
    case LK_SORT_MOTION_UP:    return position >= columns ? position - columns : position;
    case LK_SORT_MOTION_DOWN:  return position + columns < n ? position + columns : position;
    case LK_SORT_MOTION_FIRST: return 0;
    case LK_SORT_MOTION_LAST:  return n - 1;
    default:                   g_assert_not_reached ();
    }
}

static void
move_focus_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LkSortPage *self = LK_SORT_PAGE (widget);
  LkSortMotion motion = (LkSortMotion) g_variant_get_int32 (parameter);
  int focused = focused_position (self);

  if (self->places->len == 0 || motion < LK_SORT_MOTION_LEFT || motion > LK_SORT_MOTION_LAST)
    return;

  /* From elsewhere (a button, or no focus at all), an arrow first goes back to the place
   * focused last, so that the participant sees where the keys act. */
  if (focused < 0)
    gtk_widget_grab_focus (place_at (self, MIN (self->cursor, self->places->len - 1)));
  else
    gtk_widget_grab_focus (place_at (self, move_position ((guint) focused, self->places->len,
                                                          self->columns, motion)));
}

/* A click on an image (in the grid or in a bin) or on an empty place focuses its place, so that
 * the number keys then act on it. */
static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            LkSortPage      *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  int position = LK_IS_IMAGE_TILE (widget)
                 ? (int) lk_image_tile_get_position (LK_IMAGE_TILE (widget))
                 : place_position (self, widget);

  if (position >= 0 && (guint) position < self->places->len)
    gtk_widget_grab_focus (place_at (self, (guint) position));
  /* Palette: a click on an image puts it in the bin picked (or takes it back out), and goes
   * no further, so that the bin it sits in is not picked instead. */
  if (self->palette && self->model != NULL && LK_IS_IMAGE_TILE (widget))
    {
      paint (self, LK_IMAGE_TILE (widget));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
}

/* Palette: a click on a bin, outside its images, picks its colour. */
static void
bin_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                LkSortPage      *self)
{
  GtkWidget *bin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  guint index;

  if (self->palette && g_ptr_array_find (self->bins, bin, &index))
    set_brush (self, (gint) index);
}

static void
focus_on_press (LkSortPage *self,
                GtkWidget  *widget)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  g_signal_connect_object (gesture, "pressed", G_CALLBACK (pressed_cb), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkSortPage *self = LK_SORT_PAGE (widget);

  if (self->model != NULL)
    lk_sort_model_undo (self->model);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkSortPage *self = LK_SORT_PAGE (widget);

  if (self->model != NULL && lk_sort_model_get_can_submit (self->model))
    g_signal_emit (self, signals[SIGNAL_SUBMIT], 0);
}

/* Shows @tile's image in the footer's preview, in a texture made at the preview's size. */
static void
show_preview (LkSortPage  *self,
              LkImageTile *tile)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->preview));
  g_autoptr(GdkTexture) texture =
    lk_image_source_dup_texture_at_size (self->source, lk_image_tile_get_item (tile),
                                         PREVIEW_SIZE * scale);

  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
}

static void
hide_large_preview (LkSortPage *self)
{
  g_cancellable_cancel (self->large_cancellable);
  g_clear_object (&self->large_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->large_preview), FALSE);
  gtk_picture_set_paintable (self->large_preview, NULL);
}

static void
large_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture =
    lk_image_source_load_large_finish (LK_IMAGE_SOURCE (object), result, &error);
  LkSortPage *self;

  /* Cancelled when the button was let go, the grid changed or the page went. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LK_SORT_PAGE (user_data);
  if (texture == NULL)
    {
      /* The tile's image stays there, enlarged: the image file may have moved. */
      g_debug ("no large preview: %s", error->message);
      return;
    }
  gtk_picture_set_paintable (self->large_preview, GDK_PAINTABLE (texture));
}

static void
preview_cb (LkSortPage  *self,
            gboolean     large,
            LkImageTile *tile)
{
  int scale;

  show_preview (self, tile);
  if (!large)
    return;

  /* The tile's own texture, enlarged, until the image itself is read off the main thread: a
   * 420 px view made from a 256 px thumbnail is blurred. */
  hide_large_preview (self);
  gtk_picture_set_paintable (self->large_preview, GDK_PAINTABLE (lk_image_tile_get_texture (tile)));
  gtk_widget_set_visible (GTK_WIDGET (self->large_preview), TRUE);
  self->large_cancellable = g_cancellable_new ();
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->large_preview));
  lk_image_source_load_large_async (self->source, lk_image_tile_get_item (tile),
                                    MIN (LARGE_PREVIEW_SIZE * scale, LK_IMAGE_SOURCE_MAX_SIZE),
                                    self->large_cancellable, large_loaded_cb, self);
}

static gboolean
legacy_event_cb (LkSortPage               *self,
                 GdkEvent                 *event,
                 GtkEventControllerLegacy *controller)
{
  /* The enlarged image stays only while the button is held. */
  if (gdk_event_get_event_type (event) == GDK_BUTTON_RELEASE)
    hide_large_preview (self);

  return GDK_EVENT_PROPAGATE;
}

static void
focus_widget_cb (LkSortPage *self,
                 GParamSpec *pspec,
                 GtkRoot    *root)
{
  LkImageTile *tile = focused_tile (self);
  GtkWidget *focus = gtk_root_get_focus (root);
  gboolean typing = focus != NULL && GTK_IS_TEXT (focus)
                    && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->bins_grid));

  /* While a group's name is typed, the keys are the entry's: the page's own (numbers, arrows,
   * Space, Enter, Ctrl+Z) wait until the focus leaves it. */
  gtk_event_controller_set_propagation_phase (self->shortcuts,
                                              typing ? GTK_PHASE_NONE : GTK_PHASE_CAPTURE);

  /* The keys act on this image: when it is in a bin, a ring shows it there too. */
  if (tile != self->marked)
    {
      if (self->marked != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->marked), "keyed");
      if (tile != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (tile), "keyed");
      self->marked = tile;
    }
  if (tile == NULL)
    return;
  self->cursor = lk_image_tile_get_position (tile);
  show_preview (self, tile);
}

static gboolean
grid_drop_cb (LkSortPage    *self,
              const GValue  *value,
              double         x,
              double         y,
              GtkDropTarget *target)
{
  guint position;

  if (self->model == NULL || !G_VALUE_HOLDS_STRING (value)
      || !lk_image_tile_parse_drag (g_value_get_string (value), &position)
      || position >= lk_sort_model_get_n_items (self->model))
    return FALSE;

  g_debug ("drop of image %u on the grid", position);
  lk_sort_model_move (self->model, position, LK_BIN_LEFT_OUT);

  return TRUE;
}

static GdkDragAction
grid_enter_cb (LkSortPage    *self,
               double         x,
               double         y,
               GtkDropTarget *target)
{
  /* The real-pointer test waits for this before it lets go of the button. */
  g_debug ("drag entered the grid");

  return GDK_ACTION_MOVE;
}

static gboolean
bin_dropped_cb (LkSortPage *self,
                guint       position,
                LkBin      *bin)
{
  if (self->model == NULL || position >= lk_sort_model_get_n_items (self->model))
    return FALSE;

  lk_sort_model_move (self->model, position, (gint) lk_bin_get_index (bin));

  return TRUE;
}

/* A group's name typed: kept in the model, which hands it over with the answer. */
static void
name_changed_cb (GtkEditable *editable,
                 LkSortPage  *self)
{
  for (guint b = 0; b < self->bins->len; b++)
    if (GTK_EDITABLE (lk_bin_get_name_entry (g_ptr_array_index (self->bins, b))) == editable)
      {
        if (self->model != NULL)
          lk_sort_model_set_group_name (self->model, b, gtk_editable_get_text (editable));
        return;
      }
}

/* Enter in a group's name: back to the image focused last, where the keys sort again. */
static void
name_activate_cb (LkSortPage *self,
                  GtkEntry   *entry)
{
  if (self->places->len > 0)
    gtk_widget_grab_focus (place_at (self, MIN (self->cursor, self->places->len - 1)));
}

static void
clear (LkSortPage *self)
{
  GtkWidget *child;

  if (self->model != NULL)
    {
      g_clear_signal_handler (&self->moved_id, self->model);
      g_clear_signal_handler (&self->notify_id, self->model);
    }
  /* Let go of the focus before its place goes: GTK 4.8 would otherwise move it on by itself at
   * the next frame, to the first focusable widget of the window (a button of the page shown
   * after the last grid, say). A new grid focuses its first image again. */
  if (focused_position (self) >= 0)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->places, 0);
  self->marked = NULL;
  self->cursor = 0;
  for (guint i = 0; i < self->bins->len; i++)
    gtk_grid_remove (self->bins_grid, g_ptr_array_index (self->bins, i));
  g_ptr_array_set_size (self->bins, 0);
  g_ptr_array_set_size (self->tiles, 0);
  gtk_picture_set_paintable (self->preview, NULL);
  hide_large_preview (self);
  g_array_set_size (self->next_items, 0);
  g_clear_object (&self->model);
  g_clear_object (&self->source);
}

/* Asks the source to decode ahead, off the main thread, what the page will ask for: the grid's
 * images in the bins' and the preview's sizes (the grid's own ones are being taken now), and
 * the next grid's in all three. The grid's are listed last first: those not ready yet are
 * decoded by the main thread from the first on, and the decoder meets it half-way. */
static void
prepare_images (LkSortPage *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int sizes[] = { grid_tile_size (self) * scale, bin_tile_size (self) * scale,
                  PREVIEW_SIZE * scale };
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));

  if (self->model == NULL)
    return;
  for (guint p = lk_sort_model_get_n_items (self->model); p > 0; p--)
    {
      guint item = lk_sort_model_get_item (self->model, p - 1);

      g_array_append_val (items, item);
    }
  g_array_append_vals (items, self->next_items->data, self->next_items->len);
  lk_image_source_prepare (self->source, (const guint *) (gpointer) items->data, items->len,
                           sizes, G_N_ELEMENTS (sizes));
}

/* The compact layout's style, over resources/style.css: kept beside the code that sets the
 * "compact" class and the sizes it goes with. */
static const char compact_css[] =
  "lk-sort-page.compact .sort-header { padding: 4px 12px; }\n"
  "lk-sort-page.compact .grid-area { padding: 6px; }\n"
  "lk-sort-page.compact lk-bin { min-height: 0; padding: 6px; }\n"
  "lk-sort-page.compact lk-bin .bin-number {\n"
  "  min-width: 24px; min-height: 24px; font-size: 14px;\n"
  "}\n";

static void
ensure_compact_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GtkCssProvider *provider;

  if (g_object_get_data (G_OBJECT (display), "lk-sort-page-compact-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, compact_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "lk-sort-page-compact-css", provider,
                          g_object_unref);
}

/* Switches between the regular layout and the compact one: every image takes its new size
 * (and a texture made at it), in the grid and in the bins. */
static void
set_compact (LkSortPage *self,
             gboolean    compact,
             int         grid_size)
{
  int margin = compact ? 8 : 24;
  int spacing = compact ? 6 : 8;

  if (!compact)
    grid_size = GRID_TILE_SIZE;
  if (self->compact == compact && self->grid_size == grid_size)
    return;
  self->compact = compact;
  self->grid_size = grid_size;

  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
  gtk_widget_set_visible (self->grid_heading, !compact);
  gtk_widget_set_visible (self->hints, !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->preview), !compact);
  /* The header's middle already says how far along the participant is; a practice grid's tag
   * leaves no room for the bar at 640 px. */
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !compact);
  gtk_widget_set_size_request (GTK_WIDGET (self->large_preview),
                               compact ? COMPACT_LARGE_PREVIEW_SIZE : LARGE_PREVIEW_SIZE,
                               compact ? COMPACT_LARGE_PREVIEW_SIZE : LARGE_PREVIEW_SIZE);

  /* The margins and spacings of lk-sort-page.ui, narrowed. */
  gtk_box_set_spacing (GTK_BOX (self->body), compact ? 12 : 24);
  gtk_widget_set_margin_start (self->body, margin);
  gtk_widget_set_margin_end (self->body, margin);
  gtk_widget_set_margin_top (self->body, compact ? 6 : 12);
  gtk_widget_set_margin_bottom (self->body, compact ? 6 : 12);
  gtk_grid_set_row_spacing (self->grid, spacing);
  gtk_grid_set_column_spacing (self->grid, spacing);
  gtk_grid_set_row_spacing (self->bins_grid, compact ? 6 : 12);
  gtk_grid_set_column_spacing (self->bins_grid, compact ? 6 : 12);
  gtk_box_set_spacing (GTK_BOX (self->footer), compact ? 8 : 16);
  /* The body's margin and the grid area's padding and border: the footer lines up with the grid. */
  gtk_widget_set_margin_start (self->footer, compact ? margin + 6 + 2 : 38);
  gtk_widget_set_margin_end (self->footer, margin);
  gtk_widget_set_margin_bottom (self->footer, compact ? 6 : 18);

  for (guint p = 0; p < self->places->len; p++)
    {
      gtk_widget_set_size_request (place_at (self, p), grid_tile_size (self),
                                   grid_tile_size (self));
      if (lk_sort_model_get_bin (self->model, p) == LK_BIN_LEFT_OUT)
        lk_image_tile_set_size (tile_at (self, p), grid_tile_size (self));
    }
  for (guint b = 0; b < self->bins->len; b++)
    lk_bin_set_tile_size (g_ptr_array_index (self->bins, b), bin_tile_size (self));
  prepare_images (self);
}

/* The child's least size: its width, and its height at @width (or at its least width). */
static void
child_minimum (LkSortPage *self,
               int         width,
               int        *min_width,
               int        *min_height)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, min_width, NULL, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, *min_width), min_height,
                      NULL, NULL, NULL);
}

/* The regular layout where it fits in @width x @height, the compact one elsewhere, with the
 * grid's images as large as fit. Chosen only when the size given changes or a grid of another
 * shape comes, never while the participant sorts, so that no image changes size under the
 * pointer. */
static void
choose_layout (LkSortPage *self,
               int         width,
               int         height)
{
  guint n = self->places->len;
  int rows = (int) MAX (1, (n + self->columns - 1) / self->columns);
  int columns = (int) MIN (MAX (n, 1), self->columns);
  int min_width, min_height, grow, size;

  if (self->compact && self->regular_min_width == 0)
    set_compact (self, FALSE, GRID_TILE_SIZE);
  if (!self->compact)
    child_minimum (self, width, &self->regular_min_width, &self->regular_min_height);
  if (width >= self->regular_min_width && height >= self->regular_min_height)
    {
      set_compact (self, FALSE, GRID_TILE_SIZE);
      g_debug ("sorting page at %dx%d: regular (it needs %dx%d)", width, height,
               self->regular_min_width, self->regular_min_height);
      return;
    }

  /* The compact layout at its smallest, then the room left shared among the grid's rows and
   * columns. The page's least size grows at least as fast as the grid's (the bins may take up
   * some of it, not more), so the images chosen always fit. */
  if (!self->compact)
    set_compact (self, TRUE, COMPACT_GRID_TILE_SIZE);
  size = self->grid_size;
  child_minimum (self, width, &min_width, &min_height);
  grow = MIN ((height - min_height) / rows, (width - min_width) / columns);
  /* Whole steps, down: a step less where the images must shrink by less than one. */
  grow = grow >= 0 ? grow / COMPACT_GRID_TILE_STEP
                   : -((-grow + COMPACT_GRID_TILE_STEP - 1) / COMPACT_GRID_TILE_STEP);
  set_compact (self, TRUE, CLAMP (size + grow * COMPACT_GRID_TILE_STEP, COMPACT_GRID_TILE_SIZE,
                                  COMPACT_GRID_TILE_MAX));
  /* The share above is a guess where the bins widen with the grid (five bins to a row): a step
   * down at a time until the page fits. */
  child_minimum (self, width, &min_width, &min_height);
  while ((min_width > width || min_height > height) && self->grid_size > COMPACT_GRID_TILE_SIZE)
    {
      set_compact (self, TRUE, self->grid_size - COMPACT_GRID_TILE_STEP);
      child_minimum (self, width, &min_width, &min_height);
    }
  g_debug ("sorting page at %dx%d: compact, images of %d px (the regular layout needs %dx%d, "
           "the compact one %dx%d at %d px)", width, height, self->grid_size,
           self->regular_min_width, self->regular_min_height, min_width, min_height, size);
}

static void
lk_sort_page_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  int child_min = 0;

  /* Measured no narrower (or lower) than it can be: GtkBox fails on less. */
  if (for_size >= 0)
    {
      gtk_widget_measure (child, orientation == GTK_ORIENTATION_HORIZONTAL
                                 ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                          -1, &child_min, NULL, NULL, NULL);
      for_size = MAX (for_size, child_min);
    }
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  *minimum = MIN (*minimum,
                  orientation == GTK_ORIENTATION_HORIZONTAL ? PAGE_MIN_WIDTH : PAGE_MIN_HEIGHT);
  *minimum_baseline = *natural_baseline = -1;
}

static void
lk_sort_page_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LkSortPage *self = LK_SORT_PAGE (widget);
  int min_width, min_height;

  if (self->model != NULL && (width != self->laid_width || height != self->laid_height))
    {
      self->laid_width = width;
      self->laid_height = height;
      choose_layout (self, width, height);
    }

  /* Never less than the child needs: where even the compact layout does not fit, its edge
   * is cut off rather than its parts squeezed into each other. */
  child_minimum (self, width, &min_width, &min_height);
  gtk_widget_allocate (adw_bin_get_child (ADW_BIN (self)), MAX (width, min_width),
                       MAX (height, min_height), -1, NULL);
}

static void
lk_sort_page_map (GtkWidget *widget)
{
  LkSortPage *self = LK_SORT_PAGE (widget);
  guint n_moves = 0;

  GTK_WIDGET_CLASS (lk_sort_page_parent_class)->map (widget);

  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-widget",
                           G_CALLBACK (focus_widget_cb), self, G_CONNECT_SWAPPED);

  /* The move log's times count from when the participant first sees the grid. */
  if (self->model != NULL)
    {
      lk_sort_model_get_moves (self->model, &n_moves);
      if (n_moves == 0)
        lk_sort_model_restart_clock (self->model);
      lk_sort_page_focus_image (self, 0);
    }
}

static void
lk_sort_page_unmap (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), focus_widget_cb, widget);

  GTK_WIDGET_CLASS (lk_sort_page_parent_class)->unmap (widget);
}

static void
lk_sort_page_dispose (GObject *object)
{
  LkSortPage *self = (LkSortPage *)object;

  if (self->tiles != NULL)
    clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_SORT_PAGE);
  g_clear_pointer (&self->tiles, g_ptr_array_unref);
  g_clear_pointer (&self->bins, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->next_items, g_array_unref);

  G_OBJECT_CLASS (lk_sort_page_parent_class)->dispose (object);
}

static void
lk_sort_page_class_init (LkSortPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_sort_page_dispose;
  widget_class->map = lk_sort_page_map;
  widget_class->measure = lk_sort_page_measure;
  widget_class->size_allocate = lk_sort_page_size_allocate;
  widget_class->unmap = lk_sort_page_unmap;

  /**
   * LkSortPage::submit:
   *
   * The participant submitted the grid; the study's rule holds.
   */
  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sort.place", "i", place_action);
  gtk_widget_class_install_action (widget_class, "sort.zero", NULL, zero_action);
  gtk_widget_class_install_action (widget_class, "sort.move-focus", "i", move_focus_action);
  gtk_widget_class_install_action (widget_class, "sort.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "sort.paint", NULL, paint_action);
  gtk_widget_class_install_action (widget_class, "sort.submit", NULL, submit_action);

  g_type_ensure (LK_TYPE_BIN);
  g_type_ensure (LK_TYPE_IMAGE_TILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-sort-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, participant_label);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, practice_label);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, body);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, grid_area);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, grid_heading);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, grid);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, footer);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, hints);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, bins_grid);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, preview);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, large_preview);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, LkSortPage, shortcuts);
  gtk_widget_class_bind_template_callback (widget_class, legacy_event_cb);
  gtk_widget_class_set_css_name (widget_class, "lk-sort-page");
}

static void
lk_sort_page_init (LkSortPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* AdwBin lays out its child with a GtkBinLayout, which would bypass measure() and
   * size_allocate() above. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  ensure_compact_css (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  self->laid_width = self->laid_height = -1;
  self->grid_size = GRID_TILE_SIZE;
  self->columns = GRID_COLUMNS;
  self->brush = -1;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sort.paint", FALSE);

  self->tiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->bins = g_ptr_array_new ();
  self->places = g_ptr_array_new ();
  self->next_items = g_array_new (FALSE, FALSE, sizeof (guint));

  self->grid_drop_target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect_swapped (self->grid_drop_target, "drop", G_CALLBACK (grid_drop_cb), self);
  g_signal_connect_swapped (self->grid_drop_target, "enter", G_CALLBACK (grid_enter_cb), self);
  gtk_widget_add_controller (self->grid_area, GTK_EVENT_CONTROLLER (self->grid_drop_target));

  update_state (self);
}

GtkWidget *
lk_sort_page_new (void)
{
  return g_object_new (LK_TYPE_SORT_PAGE, NULL);
}

/**
 * lk_sort_page_get_model:
 *
 * Returns: (transfer none) (nullable): the grid being sorted
 */
LkSortModel *
lk_sort_page_get_model (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return self->model;
}

/**
 * lk_sort_page_set_model:
 * @model: (nullable): the grid to sort, or %NULL to clear the page
 * @source: (nullable): where the grid's images come from; required with @model
 *
 * Shows a new grid. Images already moved in @model appear in their bins.
 */
/* Takes the next grid into the widgets of the last one, when it has as many images and bins
 * from the same source (every grid of a session does): each image back to its place, with its
 * new picture and name. Making the grid's forty-odd widgets anew, from their templates, with
 * their style computed again, was most of the main thread's work between Submit and the next
 * grid's frame. Returns FALSE when the widgets do not fit @model. */
static gboolean
reuse (LkSortPage    *self,
       LkSortModel   *model,
       LkImageSource *source)
{
  guint n = lk_sort_model_get_n_items (model);

  if (self->model == NULL || self->source != source || self->tiles->len != n
      || self->places->len != n || self->bins->len != lk_sort_model_get_nc (model))
    return FALSE;

  g_clear_signal_handler (&self->moved_id, self->model);
  g_clear_signal_handler (&self->notify_id, self->model);
  if (self->marked != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->marked), "keyed");
  self->marked = NULL;
  self->cursor = 0;
  gtk_picture_set_paintable (self->preview, NULL);
  hide_large_preview (self);
  g_array_set_size (self->next_items, 0);

  for (guint p = 0; p < n; p++)
    {
      LkImageTile *tile = tile_at (self, p);
      gint from = lk_sort_model_get_bin (self->model, p);
      guint item = lk_sort_model_get_item (model, p);
      g_autofree char *title = lk_image_source_dup_title (source, item);

      /* Its new image first, at the size it has where it is, then to where the model has it. */
      lk_image_tile_set_item (tile, item, title);
      if (title != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (place_at (self, p)),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      if (from != lk_sort_model_get_bin (model, p))
        {
          take_out (self, tile, from);
          put_in (self, tile, lk_sort_model_get_bin (model, p));
        }
    }
  g_set_object (&self->model, model);
  for (guint b = 0; b < self->bins->len; b++)
    {
      /* A copy: the entry's "changed", on the way, sets the model's name anew. */
      g_autofree char *name = g_strdup (lk_sort_model_get_group_name (model, b));

      gtk_editable_set_text (GTK_EDITABLE (lk_bin_get_name_entry (g_ptr_array_index (self->bins, b))),
                             name);
    }

  return TRUE;
}

/**
 * lk_sort_page_set_model:
 * @model: (nullable): the grid to sort, or %NULL to clear the page
 * @source: (nullable): where the grid's images come from; required with @model
 *
 * Shows a new grid. Images already moved in @model appear in their bins.
 */
void
lk_sort_page_set_model (LkSortPage    *self,
                        LkSortModel   *model,
                        LkImageSource *source)
{
  guint n, nc, columns;

  g_return_if_fail (LK_IS_SORT_PAGE (self));
  g_return_if_fail (model == NULL || LK_IS_SORT_MODEL (model));
  g_return_if_fail (model == NULL || LK_IS_IMAGE_SOURCE (source));

  if (model != NULL && reuse (self, model, source))
    prepare_images (self);
  else
    {
      clear (self);
      if (model == NULL)
        {
          update_state (self);
          return;
        }

      self->model = g_object_ref (model);
      self->source = g_object_ref (source);
      /* Another number of images or bins: the layout is chosen again at the next allocation. */
      self->regular_min_width = self->regular_min_height = 0;
      self->laid_width = self->laid_height = -1;
      n = lk_sort_model_get_n_items (model);
      nc = lk_sort_model_get_nc (model);
      self->columns = n > 4 * GRID_COLUMNS ? GRID_COLUMNS_WIDE : GRID_COLUMNS;
      prepare_images (self);

      /* Bins two to a row up to four, then three; ten (paper 001's) five to a row, in two
       * rows that leave the height to a grid of 24 on a 1024x600 screen. */
      columns = nc <= 4 ? 2 : nc >= 10 ? 5 : 3;
      for (guint b = 0; b < nc; b++)
        {
          GtkWidget *bin = lk_bin_new (b);

          GtkGesture *gesture = gtk_gesture_click_new ();

          g_signal_connect_object (gesture, "pressed", G_CALLBACK (bin_pressed_cb), self, 0);
          gtk_widget_add_controller (bin, GTK_EVENT_CONTROLLER (gesture));
          lk_bin_set_tile_size (LK_BIN (bin), bin_tile_size (self));
          lk_bin_set_naming (LK_BIN (bin), self->naming);
          g_signal_connect_object (lk_bin_get_name_entry (LK_BIN (bin)), "changed",
                                   G_CALLBACK (name_changed_cb), self, 0);
          g_signal_connect_object (lk_bin_get_name_entry (LK_BIN (bin)), "activate",
                                   G_CALLBACK (name_activate_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (bin, "tile-dropped", G_CALLBACK (bin_dropped_cb), self,
                                   G_CONNECT_SWAPPED);
          gtk_grid_attach (self->bins_grid, bin, b % columns, b / columns, 1, 1);
          g_ptr_array_add (self->bins, bin);
        }

      for (guint p = 0; p < n; p++)
        {
          guint item = lk_sort_model_get_item (model, p);
          g_autofree char *title = lk_image_source_dup_title (source, item);
          GtkWidget *tile = lk_image_tile_new (p, source, item, title);
          GtkWidget *place = adw_bin_new ();

          gtk_widget_add_css_class (place, "place");
          gtk_widget_add_css_class (place, "empty");
          gtk_widget_set_focusable (place, TRUE);
          gtk_widget_set_size_request (place, grid_tile_size (self), grid_tile_size (self));
          /* The place takes the focus for its image, so it also carries its name. */
          if (title != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (place), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            title, -1);
          focus_on_press (self, place);
          gtk_grid_attach (self->grid, place, (int) (p % self->columns),
                           (int) (p / self->columns), 1, 1);
          g_ptr_array_add (self->places, place);

          g_ptr_array_add (self->tiles, g_object_ref_sink (tile));
          g_signal_connect_object (tile, "preview", G_CALLBACK (preview_cb), self,
                                   G_CONNECT_SWAPPED);
          focus_on_press (self, tile);
          put_in (self, LK_IMAGE_TILE (tile), lk_sort_model_get_bin (model, p));
        }
    }

  self->moved_id = g_signal_connect_object (model, "moved", G_CALLBACK (moved_cb), self,
                                            G_CONNECT_SWAPPED);
  self->notify_id = g_signal_connect_object (model, "notify", G_CALLBACK (model_notify_cb),
                                             self, G_CONNECT_SWAPPED);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      guint n_moves;

      lk_sort_model_get_moves (model, &n_moves);
      if (n_moves == 0)
        lk_sort_model_restart_clock (model);
      lk_sort_page_focus_image (self, 0);
      /* The focus may have been on the first place already, with the last grid's image: no
       * focus change then tells that the place shows another image now. */
      focus_widget_cb (self, NULL, gtk_widget_get_root (GTK_WIDGET (self)));
    }

  update_state (self);
}

/**
 * lk_sort_page_prepare_next:
 * @items: (array length=n_items) (nullable): the next grid's images, when known
 *
 * Has the next grid's images decoded ahead, off the main thread, while the participant sorts
 * this one, so that showing it only takes textures that are ready. Forgotten when the grid
 * changes.
 */
void
lk_sort_page_prepare_next (LkSortPage  *self,
                           const guint *items,
                           guint        n_items)
{
  g_return_if_fail (LK_IS_SORT_PAGE (self));
  g_return_if_fail (items != NULL || n_items == 0);

  if (self->model == NULL)
    return;
  g_array_set_size (self->next_items, 0);
  g_array_append_vals (self->next_items, items, n_items);
  prepare_images (self);
}

/**
 * lk_sort_page_set_participant:
 * @code: the participant code, always on screen so the experimenter can check it
 */
void
lk_sort_page_set_participant (LkSortPage *self,
                              const char *code)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LK_IS_SORT_PAGE (self));

  /* Translators: shown at the top of the sorting screen, with the participant's code */
  text = g_strdup_printf (_("Participant %s"), code != NULL ? code : "");
  gtk_label_set_label (self->participant_label, text);
}

/**
 * lk_sort_page_set_progress:
 * @grid: 1-based number of the grid shown
 * @n_grids: how many grids there are (of this kind)
 * @practice: %TRUE for a practice grid, which is not recorded
 */
void
lk_sort_page_set_progress (LkSortPage *self,
                           guint       grid,
                           guint       n_grids,
                           gboolean    practice)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LK_IS_SORT_PAGE (self));

  if (practice)
    text = g_strdup_printf (_("Practice grid %u of %u"), grid, n_grids);
  else
    text = g_strdup_printf (_("Grid %u of %u"), grid, n_grids);
  gtk_label_set_label (self->progress_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->practice_label), practice);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 n_grids > 0 ? (double) (grid - 1) / n_grids : 0.0);
}

/**
 * lk_sort_page_focus_image:
 *
 * Moves the keyboard focus to the image at @position, wherever it is.
 *
 * Returns: %FALSE if there is no such image
 */
gboolean
lk_sort_page_focus_image (LkSortPage *self,
                          guint       position)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), FALSE);

  if (position >= self->tiles->len)
    return FALSE;

  focus_tile (self, tile_at (self, position));

  return TRUE;
}

/**
 * lk_sort_page_get_bin:
 *
 * Returns: (transfer none) (nullable): bin @index (0-based) of the current grid
 */
LkBin *
lk_sort_page_get_bin (LkSortPage *self,
                      guint       index)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return index < self->bins->len ? g_ptr_array_index (self->bins, index) : NULL;
}

/**
 * lk_sort_page_get_tile:
 *
 * Returns: (transfer none) (nullable): the image at @position of the current grid, in the grid
 *   or in a bin
 */
LkImageTile *
lk_sort_page_get_tile (LkSortPage *self,
                       guint       position)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return position < self->tiles->len ? tile_at (self, position) : NULL;
}

/**
 * lk_sort_page_get_place:
 *
 * Returns: (transfer none) (nullable): the place of the image at @position in the grid, which
 *   holds the image while it is not in a bin, and takes the keyboard focus for it
 */
GtkWidget *
lk_sort_page_get_place (LkSortPage *self,
                        guint       position)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return position < self->places->len ? place_at (self, position) : NULL;
}

/**
 * lk_sort_page_get_grid_drop_target:
 *
 * Returns: (transfer none): the controller that takes images back into the grid
 */
GtkDropTarget *
lk_sort_page_get_grid_drop_target (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return self->grid_drop_target;
}

/**
 * lk_sort_page_get_submit_button:
 *
 * Returns: (transfer none): the Submit button (its sensitivity follows the study's rule)
 */
GtkWidget *
lk_sort_page_get_submit_button (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return self->submit_button;
}

/**
 * lk_sort_page_get_status:
 *
 * Returns: (transfer none): the line beside Submit: why it is off, or how to use it
 */
const char *
lk_sort_page_get_status (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return gtk_label_get_label (self->status_label);
}

/**
 * lk_sort_page_get_progress_text:
 *
 * Returns: (transfer none): "Grid 7 of 30" or "Practice grid 1 of 1"
 */
const char *
lk_sort_page_get_progress_text (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return gtk_label_get_label (self->progress_label);
}

/**
 * lk_sort_page_get_preview:
 *
 * Returns: (transfer none): the footer's preview of the image pointed at or focused
 */
GtkPicture *
lk_sort_page_get_preview (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return self->preview;
}

/**
 * lk_sort_page_get_large_preview:
 *
 * Returns: (transfer none): the image pressed and held, enlarged (hidden otherwise)
 */
GtkPicture *
lk_sort_page_get_large_preview (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), NULL);

  return self->large_preview;
}

/**
 * lk_sort_page_get_grid_tile_size:
 *
 * Returns: the edge of an image in the grid, in the layout shown (96 px unless compact)
 */
int
lk_sort_page_get_grid_tile_size (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), GRID_TILE_SIZE);

  return self->grid_size;
}

/**
 * lk_sort_page_get_compact:
 *
 * Returns: %TRUE if the page shows its compact layout, for a small screen
 */
gboolean
lk_sort_page_get_compact (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), FALSE);

  return self->compact;
}

/**
 * lk_sort_page_append_centres:
 * @line: where to append
 *
 * For the real-pointer test (lk-pointer-probe.c): appends the centres of every image
 * ("tile-P", by position), of every bin ("bin-N", numbered as on screen), of the grid's drop
 * area ("grid") and of Submit, then which image has the keyboard focus ("focus=P", -1 for none)
 * and where each image is ("place=B,B,…", the 0-based bin of each position, -1 for the grid).
 */
void
lk_sort_page_append_centres (LkSortPage *self,
                             GString    *line)
{
  g_return_if_fail (LK_IS_SORT_PAGE (self));
  g_return_if_fail (line != NULL);

  for (guint p = 0; p < self->tiles->len; p++)
    {
      g_autofree char *name = g_strdup_printf ("tile-%u", p);

      lk_pointer_probe_append_centre (line, name, GTK_WIDGET (tile_at (self, p)));
    }
  for (guint b = 0; b < self->bins->len; b++)
    {
      g_autofree char *name = g_strdup_printf ("bin-%u", b + 1);

      lk_pointer_probe_append_centre (line, name, g_ptr_array_index (self->bins, b));
    }
  lk_pointer_probe_append_centre (line, "grid", self->grid_area);
  lk_pointer_probe_append_centre (line, "submit", self->submit_button);
  if (self->model != NULL)
    {
      LkImageTile *focus = focused_tile (self);

      g_string_append_printf (line, " focus=%d",
                              focus != NULL ? (int) lk_image_tile_get_position (focus) : -1);
      g_string_append (line, " place=");
      for (guint p = 0; p < self->tiles->len; p++)
        g_string_append_printf (line, p > 0 ? ",%d" : "%d", lk_sort_model_get_bin (self->model, p));
    }
}

/**
 * lk_sort_page_set_palette:
 * @palette: %TRUE for the palette way of working
 *
 * With the palette (paper 002's way of sorting), a number key or a click on a bin picks that
 * bin's colour, and a click on an image, or Space on the image focused, puts it into that bin;
 * doing so again on an image already there takes it back out. Dragging and Backspace (and 0
 * with fewer than ten bins) work as without it.
 */
void
lk_sort_page_set_palette (LkSortPage *self,
                          gboolean    palette)
{
  g_return_if_fail (LK_IS_SORT_PAGE (self));

  self->palette = palette;
  /* Without the palette, Space stays a button's. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sort.paint", palette);
  set_brush (self, -1);
}

/**
 * lk_sort_page_get_brush:
 *
 * Returns: the bin whose colour the palette has picked, or -1
 */
gint
lk_sort_page_get_brush (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), -1);

  return self->brush;
}

/**
 * lk_sort_page_set_group_names:
 * @naming: %TRUE to have the participant name each group
 *
 * With group names (papers 001 and 002, the study setting group-names), an entry under each
 * bin takes a short name for its group; Tab reaches it, Enter goes back to the images. The
 * names go into the grid's model (lk_sort_model_get_group_names()) and are saved with the
 * answer.
 */
void
lk_sort_page_set_group_names (LkSortPage *self,
                              gboolean    naming)
{
  g_return_if_fail (LK_IS_SORT_PAGE (self));

  self->naming = naming;
  for (guint b = 0; b < self->bins->len; b++)
    lk_bin_set_naming (g_ptr_array_index (self->bins, b), naming);
  /* The bins' heights change: the layout is chosen again at the next allocation. */
  self->regular_min_width = self->regular_min_height = 0;
  self->laid_width = self->laid_height = -1;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * lk_sort_page_get_columns:
 *
 * Returns: the images per row of the grid shown (5, or 6 for a grid of more than 20)
 */
guint
lk_sort_page_get_columns (LkSortPage *self)
{
  g_return_val_if_fail (LK_IS_SORT_PAGE (self), GRID_COLUMNS);

  return self->columns;
}
