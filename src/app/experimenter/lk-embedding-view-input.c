/* lk-embedding-view-input.c — the embedding view's pointer and keys: hover, click, scroll,
 * drag, the arrow keys and the zoom keys
 *
 * Scroll zooms about the pointer, drag pans, a double click resets the view. Hovering names the
 * image (its path, as a tooltip and under the enlarged thumbnail). The view takes the keyboard
 * focus (Tab): the arrow keys move the selection to the nearest image in that direction, + and -
 * zoom, 0 resets the view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-embedding-view-private.h"

static int
hit_test (LkEmbeddingView *self,
          double           x,
          double           y)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  LkEmbeddingTransform t = _lk_embedding_view_get_transform (self, w, h);
  double best = G_MAXDOUBLE, radius = MAX (_lk_embedding_view_thumb_size (self, w, h) / 2, 6);
  int found = -1;

  for (guint i = 0; i < self->n; i++)
    {
      double dx = t.ox + t.scale * self->pos[2 * i] - x;
      double dy = t.oy + t.scale * self->pos[2 * i + 1] - y;
      double d = dx * dx + dy * dy;

      if (d < best && d <= radius * radius)
        {
          best = d;
          found = i;
        }
    }

  return found;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           LkEmbeddingView          *self)
{
  lk_embedding_view_hover_at (self, x, y);
}

/**
 * lk_embedding_view_hover_at:
 *
 * What the pointer does at (@x, @y): the image there is enlarged and named (its path as the
 * tooltip).
 *
 * Returns: the image hovered, or -1
 */
int
lk_embedding_view_hover_at (LkEmbeddingView *self,
                            double           x,
                            double           y)
{
  int hit = hit_test (self, x, y);

  if (hit != self->hovered)
    {
      const char *path = hit >= 0 && self->thumbs != NULL
                         ? lk_thumbs_get_name (self->thumbs, hit) : NULL;
      g_autofree char *title = hit >= 0 ? lk_thumbs_dup_title (self->thumbs, hit) : NULL;

      self->hovered = hit;
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), path != NULL ? path : title);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  return hit;
}

static void
leave_cb (GtkEventControllerMotion *motion,
          LkEmbeddingView          *self)
{
  self->hovered = -1;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (GtkGestureClick *click,
            int              n_press,
            double           x,
            double           y,
            LkEmbeddingView *self)
{
  int hit = hit_test (self, x, y);

  if (hit >= 0)
    lk_embedding_view_set_selected (self, hit);
  if (n_press == 2)
    {
      self->zoom = 1.0;
      self->pan_x = self->pan_y = 0;
      _lk_embedding_view_invalidate_layer (self);
    }
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           LkEmbeddingView          *self)
{
  double factor = pow (1.15, -dy);
  double zoom = CLAMP (self->zoom * factor, 0.5, 40.0);

  factor = zoom / self->zoom;
  self->zoom = zoom;
  self->pan_x *= factor;
  self->pan_y *= factor;
  _lk_embedding_view_invalidate_layer (self);

  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag  *drag,
               double           x,
               double           y,
               LkEmbeddingView *self)
{
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
drag_update_cb (GtkGestureDrag  *drag,
                double           dx,
                double           dy,
                LkEmbeddingView *self)
{
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  _lk_embedding_view_invalidate_layer (self);
}

/* Returns the image nearest to @from in the direction (@dx, @dy) on screen (within 60° of it),
 * or the one nearest the view's centre when nothing is selected; -1 if there is none. */
static int
nearest_in_direction (LkEmbeddingView *self,
                      int              from,
                      double           dx,
                      double           dy)
{
  double best = G_MAXDOUBLE, fx, fy;
  int found = -1;

  if (self->n == 0)
    return -1;
  if (from < 0 || (guint) from >= self->n)
    {
      LkEmbeddingTransform t;

      t = _lk_embedding_view_get_transform (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                            gtk_widget_get_height (GTK_WIDGET (self)));

      fx = (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - t.ox) / t.scale;
      fy = (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - t.oy) / t.scale;
      dx = dy = 0;
    }
  else
    {
      fx = self->pos[2 * from];
      fy = self->pos[2 * from + 1];
    }
  for (guint i = 0; i < self->n; i++)
    {
      double vx = self->pos[2 * i] - fx, vy = self->pos[2 * i + 1] - fy;
      double d = vx * vx + vy * vy, along = vx * dx + vy * dy;

      if ((int) i == from || ((dx != 0 || dy != 0) && along <= 0.5 * sqrt (d)))
        continue;
      /* Nearest first, but straight ahead beats off to the side. */
      if (dx != 0 || dy != 0)
        d = d / MAX (along * along / d, 1e-6);
      if (d < best)
        {
          best = d;
          found = (int) i;
        }
    }

  return found;
}

/**
 * lk_embedding_view_move_selection:
 * @dx: -1, 0 or 1: left or right on screen
 * @dy: -1, 0 or 1: up or down on screen
 *
 * What the arrow keys do: selects the nearest image in that direction (the image nearest the
 * centre if none is selected).
 *
 * Returns: %TRUE if the selection moved
 */
gboolean
lk_embedding_view_move_selection (LkEmbeddingView *self,
                                  int              dx,
                                  int              dy)
{
  int next;

  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), FALSE);

  next = nearest_in_direction (self, self->selected, dx, dy);
  if (next < 0)
    return FALSE;
  lk_embedding_view_set_selected (self, next);

  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LkEmbeddingView       *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      lk_embedding_view_move_selection (self, -1, 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      lk_embedding_view_move_selection (self, 1, 0);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      lk_embedding_view_move_selection (self, 0, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      lk_embedding_view_move_selection (self, 0, 1);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      lk_embedding_view_set_view (self, self->zoom * 1.25, self->pan_x * 1.25, self->pan_y * 1.25);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      lk_embedding_view_set_view (self, self->zoom / 1.25, self->pan_x / 1.25, self->pan_y / 1.25);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      lk_embedding_view_set_view (self, 1.0, 0, 0);
      return TRUE;
    default:
      return FALSE;
    }
}

void
_lk_embedding_view_input_init (LkEmbeddingView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *key;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}
