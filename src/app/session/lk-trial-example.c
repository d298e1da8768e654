/* lk-trial-example.c — the instructions' drawn example of a task other than sorting
 *
 * As for sorting (lk-instructions-example.c), people learn a task faster from a worked example
 * than from words alone: each task's screen drawn small with coloured squares, the good answer
 * ringed and its key said under it. A triplet: an orange query, a light orange A and a blue B
 * ("A looks more like it", key 3 or ←). Five candidates: the second is the orange one (key 2).
 * A match page: the same in two rows, with "none of these" (key 0) for when nothing fits. The
 * odd one out: seven greens and a pink (key 6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-trial-example.h"

/* The drawing's own units; it is scaled to the widget, keeping its proportions. */
#define DESIGN_WIDTH  600.0
#define DESIGN_HEIGHT 170.0

#define QUERY   "#f5a142"
#define LIKE    "#f8c27a"
#define ACCENT  "#3584e4"

static const char *const others[] = {
  "#62a0ea", "#8ff0a4", "#9141ac", "#77767b", "#f66151", "#2ec27e", "#5e5c64", "#dc8add",
  "#1c71d8",
};

static const char *const greens[] = {
  "#57e389", "#33d17a", "#2ec27e", "#26a269", "#8ff0a4", "#3bb070", "#4fc07f",
};

static void
square (cairo_t    *cr,
        const char *colour,
        double      x,
        double      y,
        double      size,
        gboolean    ringed)
{
  GdkRGBA rgba;

  gdk_rgba_parse (&rgba, colour);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  if (ringed)
    {
      gdk_rgba_parse (&rgba, ACCENT);
      gdk_cairo_set_source_rgba (cr, &rgba);
      cairo_set_line_width (cr, 4);
      cairo_rectangle (cr, x - 5, y - 5, size + 10, size + 10);
      cairo_stroke (cr);
    }
}

/* A caption centred on @cx, its top at @y. */
static void
caption (GtkWidget     *widget,
         cairo_t       *cr,
         const char    *text,
         double         cx,
         double         y,
         double         width,
         gboolean       bold,
         const GdkRGBA *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cairo_move_to (cr, cx - width / 2, y);
  gdk_cairo_set_source_rgba (cr, colour);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_triplet (GtkWidget     *widget,
              cairo_t       *cr,
              const GdkRGBA *fg)
{
  square (cr, QUERY, 275, 4, 50, FALSE);
  square (cr, LIKE, 190, 76, 50, TRUE);
  square (cr, others[0], 360, 76, 50, FALSE);
  caption (widget, cr, "A", 215, 130, 40, TRUE, fg);
  caption (widget, cr, "B", 385, 130, 40, TRUE, fg);
  caption (widget, cr, _("Press 3 or ←: A looks more like it"), 300, 150, 560, FALSE, fg);
}

static void
draw_choice (GtkWidget     *widget,
             cairo_t       *cr,
             const GdkRGBA *fg,
             gboolean       match)
{
  guint n = match ? 10 : 5, columns = 5, good = match ? 6 : 1;
  double cell = match ? 38 : 56, gap = match ? 14 : 16;
  double x0 = 190, y0 = match ? 8 : 24;

  square (cr, QUERY, 40, 30, 80, FALSE);
  for (guint i = 0; i < n; i++)
    {
      double x = x0 + (i % columns) * (cell + gap);
      double y = y0 + (i / columns) * (cell + gap + 16);
      char number[4];

      square (cr, i == good ? LIKE : others[i % G_N_ELEMENTS (others)], x, y, cell, i == good);
      g_snprintf (number, sizeof number, "%u", i + 1);
      caption (widget, cr, number, x + cell / 2, y + cell + 2, 30, FALSE, fg);
    }
  if (match)
    caption (widget, cr, _("Press 7, or move to it with the arrow keys and press Enter. "
                           "If none looks like it: 0"), 300, 138, 580, FALSE, fg);
  else
    caption (widget, cr, _("Press 2: it looks most like the one on the left"),
             300, 138, 580, FALSE, fg);
}

static void
draw_intruder (GtkWidget     *widget,
               cairo_t       *cr,
               const GdkRGBA *fg)
{
  const double cell = 40, gap = 22, x0 = 300 - 2 * cell - 1.5 * gap;

  for (guint i = 0, g = 0; i < 8; i++)
    {
      double x = x0 + (i % 4) * (cell + gap);
      double y = 6 + (i / 4) * (cell + gap);
      gboolean odd = i == 5;
      char number[4];

      square (cr, odd ? "#f27aa5" : greens[g++], x, y, cell, odd);
      g_snprintf (number, sizeof number, "%u", i + 1);
      caption (widget, cr, number, x + cell / 2, y + cell + 1, 30, FALSE, fg);
    }
  caption (widget, cr, _("Press 6: the pink one does not belong with the greens"),
           300, 142, 580, FALSE, fg);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  GtkWidget *widget = GTK_WIDGET (area);
  LkTaskKind kind = (LkTaskKind) GPOINTER_TO_INT (user_data);
  double scale = MIN (width / DESIGN_WIDTH, height / DESIGN_HEIGHT);
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cairo_translate (cr, (width - DESIGN_WIDTH * scale) / 2, (height - DESIGN_HEIGHT * scale) / 2);
  cairo_scale (cr, scale, scale);

  switch (kind)
    {
    case LK_TASK_TRIPLET:
      draw_triplet (widget, cr, &fg);
      break;
    case LK_TASK_CHOICE5:
      draw_choice (widget, cr, &fg, FALSE);
      break;
    case LK_TASK_MATCH:
      draw_choice (widget, cr, &fg, TRUE);
      break;
    case LK_TASK_INTRUDER:
      draw_intruder (widget, cr, &fg);
      break;
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      break;
    }
}

/**
 * lk_trial_example_set_kind:
 * @area: the instructions' drawing area for tasks other than sorting
 * @kind: the task whose example it draws
 */
void
lk_trial_example_set_kind (GtkDrawingArea *area,
                           LkTaskKind      kind)
{
  g_return_if_fail (GTK_IS_DRAWING_AREA (area));

  gtk_drawing_area_set_draw_func (area, draw_cb, GINT_TO_POINTER (kind), NULL);
}
