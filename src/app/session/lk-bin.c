/* lk-bin.c — one numbered, coloured bin that images are dropped into
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-bin-private.h"
#include "lk-tile-wrap.h"

struct _LkBin
{
  AdwBin         parent_instance;

  /* Template widgets */
  GtkLabel      *number_label;
  GtkLabel      *count_label;
  GtkOverlay    *overlay;
  GtkLabel      *empty_label;
  GtkEntry      *name_entry;

  /* Borrowed references (owned by the widget) */
  LkTileWrap    *tiles;
  GtkDropTarget *drop_target;

  guint          index;
  guint          n_tiles;
  int            tile_size;
};

G_DEFINE_FINAL_TYPE (LkBin, lk_bin, ADW_TYPE_BIN)

enum {
  SIGNAL_TILE_DROPPED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
update_count (LkBin *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images",
                                                        self->n_tiles),
                                           self->n_tiles);

  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->n_tiles == 0);
}

static gboolean
drop_cb (LkBin         *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  guint position;
  gboolean accepted = FALSE;

  if (!G_VALUE_HOLDS_STRING (value)
      || !lk_image_tile_parse_drag (g_value_get_string (value), &position))
    return FALSE;

  g_debug ("drop of image %u on bin %u", position, self->index + 1);
  g_signal_emit (self, signals[SIGNAL_TILE_DROPPED], 0, position, &accepted);

  return accepted;
}

static GdkDragAction
enter_cb (LkBin         *self,
          double         x,
          double         y,
          GtkDropTarget *target)
{
  /* The real-pointer test waits for this before it lets go of the button. */
  g_debug ("drag entered bin %u", self->index + 1);

  return GDK_ACTION_MOVE;
}

static void
lk_bin_dispose (GObject *object)
{
  LkBin *self = (LkBin *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_BIN);

  G_OBJECT_CLASS (lk_bin_parent_class)->dispose (object);
}

static void
lk_bin_class_init (LkBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_bin_dispose;

  /**
   * LkBin::tile-dropped:
   * @position: the position of the image dropped here
   *
   * Returns: %TRUE if the drop was taken (the position exists)
   */
  signals[SIGNAL_TILE_DROPPED] =
    g_signal_new ("tile-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-bin.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBin, number_label);
  gtk_widget_class_bind_template_child (widget_class, LkBin, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkBin, overlay);
  gtk_widget_class_bind_template_child (widget_class, LkBin, empty_label);
  gtk_widget_class_bind_template_child (widget_class, LkBin, name_entry);
  gtk_widget_class_set_css_name (widget_class, "lk-bin");
}

static void
lk_bin_init (LkBin *self)
{
  GtkWidget *scrolled;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->tile_size = LK_BIN_TILE_SIZE;

  /* The images scroll rather than grow the bin: GtkWindow asks for the height its content needs
   * at its narrowest, and there a full bin is one image wide. */
  self->tiles = LK_TILE_WRAP (lk_tile_wrap_new (6));
  gtk_widget_set_valign (GTK_WIDGET (self->tiles), GTK_ALIGN_START);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->tiles));
  gtk_overlay_set_child (self->overlay, scrolled);

  self->drop_target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect_swapped (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect_swapped (self->drop_target, "enter", G_CALLBACK (enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

/**
 * lk_bin_dup_key_name:
 * @index: a bin's index (0-based)
 *
 * Returns: (transfer full): the key that files an image into bin @index: "1" to "9", and "0"
 *   for the tenth
 */
char *
lk_bin_dup_key_name (guint index)
{
  return index == LK_BIN_ZERO_KEY ? g_strdup ("0") : g_strdup_printf ("%u", index + 1);
}

/**
 * lk_bin_new:
 * @index: 0-based; the bin shows its key (@index + 1, 0 for the tenth) and takes the colour of
 *   its number
 */
GtkWidget *
lk_bin_new (guint index)
{
  LkBin *self = g_object_new (LK_TYPE_BIN, NULL);
  g_autofree char *key = lk_bin_dup_key_name (index);
  g_autofree char *colour = g_strdup_printf ("bin-%u", index % 10 + 1);
  g_autofree char *name = g_strdup_printf (_("Bin %u"), index + 1);
  /* Translators: the tooltip of a bin on the sorting screen: its number and its key */
  g_autofree char *tip = g_strdup_printf (_("Bin %u: press %s to put the image focused here"),
                                          index + 1, key);

  self->index = index;
  /* The badge shows the key, so that the tenth bin reads 0 as on the keyboard. */
  gtk_label_set_label (self->number_label, key);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->number_label), tip);
  gtk_widget_add_css_class (GTK_WIDGET (self), colour);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  {
    /* Translators: the accessible name of the entry for a bin's group name */
    g_autofree char *entry_name = g_strdup_printf (_("Name of the group in bin %u"), index + 1);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, entry_name, -1);
  }
  update_count (self);

  return GTK_WIDGET (self);
}

guint
lk_bin_get_index (LkBin *self)
{
  g_return_val_if_fail (LK_IS_BIN (self), 0);

  return self->index;
}

guint
lk_bin_get_n_tiles (LkBin *self)
{
  g_return_val_if_fail (LK_IS_BIN (self), 0);

  return self->n_tiles;
}

/**
 * lk_bin_get_drop_target:
 *
 * Returns: (transfer none): the controller that accepts dropped images (tests emit its "drop")
 */
GtkDropTarget *
lk_bin_get_drop_target (LkBin *self)
{
  g_return_val_if_fail (LK_IS_BIN (self), NULL);

  return self->drop_target;
}

void
lk_bin_add_tile (LkBin       *self,
                 LkImageTile *tile)
{
  g_return_if_fail (LK_IS_BIN (self));
  g_return_if_fail (LK_IS_IMAGE_TILE (tile));

  /* Sized once in the bin, so that its texture is made for the bin's scale factor. */
  lk_tile_wrap_append (self->tiles, GTK_WIDGET (tile));
  lk_image_tile_set_size (tile, self->tile_size);
  self->n_tiles++;
  update_count (self);
}

void
lk_bin_remove_tile (LkBin       *self,
                    LkImageTile *tile)
{
  g_return_if_fail (LK_IS_BIN (self));
  g_return_if_fail (LK_IS_IMAGE_TILE (tile));
  g_return_if_fail (self->n_tiles > 0);

  lk_tile_wrap_remove (self->tiles, GTK_WIDGET (tile));
  self->n_tiles--;
  update_count (self);
}

int
lk_bin_get_tile_size (LkBin *self)
{
  g_return_val_if_fail (LK_IS_BIN (self), LK_BIN_TILE_SIZE);

  return self->tile_size;
}

/**
 * lk_bin_set_tile_size:
 * @size: the edge of the bin's images, in logical pixels
 *
 * Resizes the images in the bin, and those put in later; each takes a texture at its new size.
 */
void
lk_bin_set_tile_size (LkBin *self,
                      int    size)
{
  g_return_if_fail (LK_IS_BIN (self));
  g_return_if_fail (size > 0);

  if (size == self->tile_size)
    return;
  self->tile_size = size;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lk_image_tile_set_size (LK_IMAGE_TILE (child), size);
}

/**
 * lk_bin_set_naming:
 * @naming: %TRUE to show the entry for the group's name under the bin
 *
 * Where the study asks for group names (papers 001 and 002), the participant types a short
 * name for each bin's group, in an entry on the bin's top line beside its number.
 */
void
lk_bin_set_naming (LkBin    *self,
                   gboolean  naming)
{
  g_return_if_fail (LK_IS_BIN (self));

  gtk_widget_set_visible (GTK_WIDGET (self->name_entry), naming);
  /* The name takes the count's place on the line (the images show how many there are): ten
   * bins with names then fit beside a grid of 24 on a 1024x600 screen. */
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), !naming);
}

/**
 * lk_bin_get_name_entry:
 *
 * Returns: (transfer none): the entry for the group's name (hidden unless lk_bin_set_naming())
 */
GtkEntry *
lk_bin_get_name_entry (LkBin *self)
{
  g_return_val_if_fail (LK_IS_BIN (self), NULL);

  return self->name_entry;
}
