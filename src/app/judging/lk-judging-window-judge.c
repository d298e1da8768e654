/* lk-judging-window-judge.c — the judging window's judge page: one seed large, its neighbours
 * in a flow box, three marks on each
 *
 * The judge must not know which metric produced which image, so the neighbours come in the
 * round's stored shuffled order with neither labels, ranks nor distances, and an image both
 * metrics found appears once. Each mark is one small transaction on the main thread,
 * committed before the toggle stays down, so a killed app loses nothing acknowledged.
 * Thumbnails come from LkThumbnailLoader's workers; the seed's original file is decoded at
 * SEED_SIZE in a GTask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-collection.h"
#include "lk-judging-window-private.h"

#define CELL_SIZE 150
#define SEED_SIZE 720

/* Button order → mark. */
static const gint toggle_marks[3] = {
  LK_JUDGEMENT_VERY_SIMILAR, LK_JUDGEMENT_SIMILAR, LK_JUDGEMENT_UNRELATED,
};

static void
decode_seed_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file_at_scale (task_data, SEED_SIZE, SEED_SIZE, TRUE,
                                                         &error);

  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
decode_seed_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  guint generation = 0;
  g_autoptr(LkJudgingWindow) self = _lk_judging_task_owner_steal (user_data, &generation);
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GdkTexture) texture = NULL;

  /* A missing or unreadable original keeps the thumbnail. */
  if (self == NULL || pixbuf == NULL || generation != self->seed_generation ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  lk_thumbnail_loader_unwant_picture (self->loader, self->seed_picture);
  gtk_picture_set_paintable (self->seed_picture, GDK_PAINTABLE (texture));
}

static void
update_progress (LkJudgingWindow *self)
{
  const LkJudgingSeed *seed = &self->round->seeds[self->seed];
  g_autofree char *title = g_strdup_printf (_("Seed %u of %u"), self->seed + 1,
                                            self->round->n_seeds);
  g_autofree char *text = NULL;
  guint here = 0, all, shown;

  for (guint p = 0; p < seed->n_shown; p++)
    here += seed->shown[p].mark != LK_JUDGEMENT_NONE;
  all = lk_judging_round_count_marked (self->round, &shown);
  text = g_strdup_printf (_("%u of %u images marked for this seed, %u of %u in the round"), here,
                          seed->n_shown, all, shown);
  gtk_label_set_text (self->seed_label, title);
  gtk_label_set_text (self->progress_label, text);
  gtk_button_set_label (self->next_button, self->seed + 1 < self->round->n_seeds
                                           ? _("_Next Seed") : _("_Finish"));
}

/* Shows @cell's mark on its toggles. */
static void
sync_cell (LkJudgingWindow *self,
           guint            position)
{
  LkJudgingCell *cell = &g_array_index (self->cells, LkJudgingCell, position);
  gint mark = self->round->seeds[self->seed].shown[position].mark;

  self->updating = TRUE;
  for (guint b = 0; b < 3; b++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (cell->toggles[b]), toggle_marks[b] == mark);
  self->updating = FALSE;
  if (mark == LK_JUDGEMENT_NONE)
    gtk_widget_remove_css_class (cell->child, "judged");
  else
    gtk_widget_add_css_class (cell->child, "judged");
}

/* Stores @mark for the image at @position of the current seed; shows a failure and keeps the
 * old mark. Returns whether it was saved. */
gboolean
_lk_judging_window_set_mark (LkJudgingWindow *self,
                             guint            position,
                             gint             mark)
{
  g_autoptr(GError) error = NULL;

  if (self->round == NULL || self->busy || position >= self->cells->len)
    return FALSE;
  if (!lk_judging_round_mark (self->store, self->round, self->seed, position, mark, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The mark could not be saved: %s"),
                                               error->message);

      _lk_judging_window_toast (self, text);
      sync_cell (self, position);
      return FALSE;
    }
  sync_cell (self, position);
  update_progress (self);

  return TRUE;
}

static void
toggle_toggled_cb (GtkToggleButton *button,
                   gpointer         user_data)
{
  LkJudgingWindow *self = user_data;
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lk-position"));
  guint b = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lk-button"));

  if (self->updating || !gtk_toggle_button_get_active (button))
    return;
  _lk_judging_window_set_mark (self, position, toggle_marks[b]);
}

void
_lk_judging_window_clear_cells (LkJudgingWindow *self)
{
  for (guint p = 0; p < self->cells->len; p++)
    {
      LkJudgingCell *cell = &g_array_index (self->cells, LkJudgingCell, p);

      lk_thumbnail_loader_unwant_picture (self->loader, GTK_PICTURE (cell->picture));
      gtk_flow_box_remove (self->neighbours, cell->child);
    }
  g_array_set_size (self->cells, 0);
}

static void
add_cell (LkJudgingWindow *self,
          guint            position,
          guint            item)
{
  static const char *labels[3] = { N_("Very"), N_("Similar"), N_("Unrelated") };
  static const char *tooltips[3] = {
    N_("Very similar to the seed (1)"), N_("Similar to the seed (2)"), N_("Unrelated to the seed (3)"),
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *marks = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *name = g_strdup_printf (_("Image %u"), position + 1);
  LkJudgingCell cell = { 0 };

  cell.item = item;
  cell.picture = gtk_picture_new ();
  gtk_widget_set_size_request (cell.picture, CELL_SIZE, CELL_SIZE);
  gtk_picture_set_can_shrink (GTK_PICTURE (cell.picture), TRUE);
  gtk_box_append (GTK_BOX (box), cell.picture);
  gtk_widget_add_css_class (marks, "linked");
  gtk_widget_set_halign (marks, GTK_ALIGN_CENTER);
  for (guint b = 0; b < 3; b++)
    {
      cell.toggles[b] = gtk_toggle_button_new_with_label (_(labels[b]));
      gtk_widget_set_tooltip_text (cell.toggles[b], _(tooltips[b]));
      gtk_widget_add_css_class (cell.toggles[b], "caption");
      gtk_widget_set_focus_on_click (cell.toggles[b], FALSE);
      if (b > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (cell.toggles[b]),
                                     GTK_TOGGLE_BUTTON (cell.toggles[0]));
      g_object_set_data (G_OBJECT (cell.toggles[b]), "lk-position", GUINT_TO_POINTER (position));
      g_object_set_data (G_OBJECT (cell.toggles[b]), "lk-button", GUINT_TO_POINTER (b));
      g_signal_connect (cell.toggles[b], "toggled", G_CALLBACK (toggle_toggled_cb), self);
      gtk_box_append (GTK_BOX (marks), cell.toggles[b]);
    }
  gtk_box_append (GTK_BOX (box), marks);
  cell.child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (cell.child), box);
  gtk_widget_add_css_class (cell.child, "card");
  gtk_widget_add_css_class (cell.child, "judging-cell");
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell.child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  gtk_flow_box_append (self->neighbours, cell.child);
  g_array_append_val (self->cells, cell);
  lk_thumbnail_loader_want_picture (self->loader, GTK_PICTURE (cell.picture), item);
}

/* Moves the keyboard focus to the neighbour at @position the way the flow box's own keys do,
 * so its cursor follows and the arrows carry on from there (a plain grab_focus would leave the
 * flow box's cursor behind). */
void
_lk_judging_window_focus_cell (LkJudgingWindow *self,
                               guint            position)
{
  GtkWidget *child = g_array_index (self->cells, LkJudgingCell, position).child;

  if (!gtk_widget_child_focus (child, GTK_DIR_DOWN))
    gtk_widget_grab_focus (child);
}

void
_lk_judging_window_show_seed (LkJudgingWindow *self,
                              guint            seed)
{
  const LkJudgingSeed *s;
  g_autofree char *relative = NULL;
  g_autofree char *root = NULL;
  guint focus = 0;

  g_return_if_fail (self->round != NULL && seed < self->round->n_seeds);

  self->seed = seed;
  s = &self->round->seeds[seed];
  _lk_judging_window_clear_cells (self);
  for (guint p = 0; p < s->n_shown; p++)
    {
      add_cell (self, p, s->shown[p].item);
      sync_cell (self, p);
    }

  /* The seed: its thumbnail at once, the original file larger when it is decoded. */
  self->seed_generation++;
  gtk_picture_set_paintable (self->seed_picture, NULL);
  lk_thumbnail_loader_want_picture (self->loader, self->seed_picture, s->item);
  relative = lk_collection_get_image_path (self->store, s->item);
  root = lk_collection_get_root (self->store);
  if (relative != NULL && root != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, decode_seed_done,
                                          _lk_judging_task_owner_new (self, self->seed_generation));

      g_task_set_task_data (task, g_build_filename (root, relative, NULL), g_free);
      g_task_run_in_thread (task, decode_seed_thread);
    }

  update_progress (self);
  _lk_judging_window_show_page (self, "judge");
  for (guint p = 0; p < s->n_shown; p++)
    if (s->shown[p].mark == LK_JUDGEMENT_NONE)
      {
        focus = p;
        break;
      }
  if (self->cells->len > 0)
    _lk_judging_window_focus_cell (self, focus);
}

void
_lk_judging_window_set_round (LkJudgingWindow *self,
                              LkJudgingRound  *round)
{
  g_autofree char *subtitle = NULL;
  guint first;

  _lk_judging_window_clear_cells (self);
  g_clear_pointer (&self->round, lk_judging_round_free);
  self->round = round;
  subtitle = g_strdup_printf (_("Round %u by %s"), (guint) round->id, round->judge);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (round->n_seeds == 0)
    {
      _lk_judging_window_show_start_error (self, _("This round has no seed images."));
      _lk_judging_window_show_page (self, "start");
      return;
    }
  first = lk_judging_round_first_open (round);
  _lk_judging_window_show_seed (self, MIN (first, round->n_seeds - 1));
}
