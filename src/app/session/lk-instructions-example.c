/* lk-instructions-example.c — the instructions' worked example: a small grid sorted into bins
 *
 * People learn a task faster from a worked example than from a description alone. Before: a
 * grid of nine generated squares in three families (yellows, greys, pinks) and one odd one. After: the three families in
 * three numbered bins, the odd one left in the grid, since images that fit no bin may stay out
 * (as in the paper's task, a bin is any group of alike images; which bin gets which group does
 * not matter, so the squares' colours are unrelated to the bins' colours). Below it, the keys.
 *
 * The bins are drawn in the sorting screen's colours, read from the same style.css (the rules
 * "lk-bin.bin-N { border-color: …" and "lk-bin.bin-N .bin-number { background-color: …"), so the
 * example cannot drift from what the participant then sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-instructions-example-private.h"

#define N_BINS_DRAWN 3
#define MAX_BIN_COLOURS 9

/* The drawing's own units; it is scaled to the widget, keeping its proportions. */
#define DESIGN_WIDTH  600.0
#define DESIGN_HEIGHT 196.0

struct _LkInstructionsExample
{
  AdwBin            parent_instance;

  /* Template widgets */
  GtkDrawingArea   *drawing;
  GtkShortcutLabel *bin_keys;
  GtkShortcutLabel *take_out_keys;

  guint             n_bins;
};

G_DEFINE_FINAL_TYPE (LkInstructionsExample, lk_instructions_example, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_N_BINS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  GdkRGBA border[MAX_BIN_COLOURS];
  GdkRGBA number[MAX_BIN_COLOURS];
  guint   n;        /* bins with both colours found */
} BinColours;

/* The nine squares of the example grid, in grid order, and where they end up (-1: stays). */
static const struct {
  const char *colour;
  gint        bin;
} squares[] = {
  { "#f6d32d", 0 }, { "#77767b", 1 }, { "#f27aa5", 2 },
  { "#5e5c64", 1 }, { "#cdab8f", -1 }, { "#f8e45c", 0 },
  { "#f9a8c9", 2 }, { "#f5c211", 0 }, { "#9a9996", 1 },
};

/* Reads the bins' colours from style.css, once. */
static const BinColours *
bin_colours (void)
{
  static BinColours colours;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GRegex) border = NULL;
      g_autoptr(GRegex) number = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *css = NULL;
      gboolean found[2][MAX_BIN_COLOURS] = { { FALSE } };

      bytes = g_resources_lookup_data ("/io/github/likeness/Likeness/style.css",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes != NULL)
        css = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      else
        g_warning ("no style.css for the example's bin colours: %s", error->message);

      border = g_regex_new ("lk-bin\\.bin-([1-9])\\s*\\{\\s*border-color:\\s*(#[0-9a-fA-F]{6})",
                            0, 0, NULL);
      number = g_regex_new ("lk-bin\\.bin-([1-9])\\s+\\.bin-number\\s*\\{\\s*background-color:\\s*"
                            "(#[0-9a-fA-F]{6})", 0, 0, NULL);
      for (guint kind = 0; kind < 2 && css != NULL; kind++)
        {
          g_regex_match (kind == 0 ? border : number, css, 0, &match);
          while (g_match_info_matches (match))
            {
              g_autofree char *index = g_match_info_fetch (match, 1);
              g_autofree char *hex = g_match_info_fetch (match, 2);
              guint i = (guint) (index[0] - '1');

              gdk_rgba_parse (kind == 0 ? &colours.border[i] : &colours.number[i], hex);
              found[kind][i] = TRUE;
              g_match_info_next (match, NULL);
            }
          g_clear_pointer (&match, g_match_info_free);
        }
      while (colours.n < MAX_BIN_COLOURS && found[0][colours.n] && found[1][colours.n])
        colours.n++;
      if (css != NULL && colours.n < N_BINS_DRAWN)
        g_warning ("style.css gives colours for %u bins; the example needs %u", colours.n,
                   N_BINS_DRAWN);
      g_once_init_leave (&done, 1);
    }

  return &colours;
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The grid's outline, dashed as the drop area of the sorting screen when a drag is over it. */
static void
dashed_box (cairo_t       *cr,
            double         x,
            double         y,
            double         w,
            double         h,
            double         r,
            const GdkRGBA *colour)
{
  rounded_rect (cr, x, y, w, h, r);
  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
square (cairo_t    *cr,
        const char *colour,
        double      x,
        double      y,
        double      size)
{
  GdkRGBA rgba;

  gdk_rgba_parse (&rgba, colour);
  rounded_rect (cr, x, y, size, size, size / 6);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill (cr);
}

/* A caption centred on @cx (or starting at @cx when @left), its top at @y. */
static void
caption (GtkWidget     *widget,
         cairo_t       *cr,
         const char    *text,
         double         cx,
         double         y,
         double         width,
         gboolean       left,
         gboolean       bold,
         const GdkRGBA *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (bold ? 1.0 : 0.9));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
  cairo_move_to (cr, left ? cx : cx - width / 2, y);
  gdk_cairo_set_source_rgba (cr, colour);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  GtkWidget *widget = GTK_WIDGET (area);
  const BinColours *colours = bin_colours ();
  const double grid_x = 8, top = 34, cell = 34, gap = 8, pad = 10;
  const double grid_w = 3 * cell + 2 * gap + 2 * pad;
  const double bins_x = 236, bin_w = 112, bin_gap = 10, bin_h = 104, small = 24;
  double scale = MIN (width / DESIGN_WIDTH, height / DESIGN_HEIGHT);
  guint in_bin[N_BINS_DRAWN] = { 0 };
  GdkRGBA fg, dim;
  double ax0, ax1, ay, lx, ly;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.55;

  cairo_translate (cr, (width - DESIGN_WIDTH * scale) / 2, (height - DESIGN_HEIGHT * scale) / 2);
  cairo_scale (cr, scale, scale);

  /* Before: the grid, as the sorting screen shows it. */
  caption (widget, cr, _("Before"), grid_x + grid_w / 2, 4, grid_w + 40, FALSE, TRUE, &fg);
  dashed_box (cr, grid_x, top, grid_w, grid_w, 12, &dim);
  for (guint i = 0; i < G_N_ELEMENTS (squares); i++)
    square (cr, squares[i].colour, grid_x + pad + (i % 3) * (cell + gap),
            top + pad + (i / 3) * (cell + gap), cell);

  /* The arrow: sorting. */
  ax0 = grid_x + grid_w + 14;
  ax1 = bins_x - 14;
  ay = top + grid_w / 2;
  cairo_set_line_width (cr, 4);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_move_to (cr, ax0, ay);
  cairo_line_to (cr, ax1, ay);
  cairo_move_to (cr, ax1 - 12, ay - 11);
  cairo_line_to (cr, ax1, ay);
  cairo_line_to (cr, ax1 - 12, ay + 11);
  cairo_stroke (cr);

  /* After: the bins, numbered and coloured as on the sorting screen. */
  caption (widget, cr, _("After"), bins_x + (3 * bin_w + 2 * bin_gap) / 2, 4, 3 * bin_w, FALSE, TRUE,
           &fg);
  for (guint b = 0; b < N_BINS_DRAWN; b++)
    {
      double x = bins_x + b * (bin_w + bin_gap);
      GdkRGBA border = b < colours->n ? colours->border[b] : fg;
      GdkRGBA number = b < colours->n ? colours->number[b] : fg;
      GdkRGBA tint = border;
      g_autofree char *digit = g_strdup_printf ("%u", b + 1);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, digit);
      PangoAttrList *attrs = pango_attr_list_new ();
      int w, h;

      tint.alpha = 0.08;
      rounded_rect (cr, x, top, bin_w, bin_h, 12);
      gdk_cairo_set_source_rgba (cr, &tint);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 3);
      gdk_cairo_set_source_rgba (cr, &border);
      cairo_stroke (cr);

      cairo_arc (cr, x + 22, top + 22, 13, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &number);
      cairo_fill (cr);
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_HEAVY));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_move_to (cr, x + 22 - w / 2.0, top + 22 - h / 2.0);
      cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);
    }
  for (guint i = 0; i < G_N_ELEMENTS (squares); i++)
    {
      gint b = squares[i].bin;
      guint k;

      if (b < 0)
        continue;
      k = in_bin[b]++;
      square (cr, squares[i].colour, bins_x + b * (bin_w + bin_gap) + 10 + k * (small + 8),
              top + 46 + 0 * small, small);
    }

  /* The odd one out stays in the grid. */
  lx = bins_x;
  ly = top + bin_h + 14;
  dashed_box (cr, lx, ly, 44, 44, 10, &dim);
  for (guint i = 0; i < G_N_ELEMENTS (squares); i++)
    if (squares[i].bin < 0)
      square (cr, squares[i].colour, lx + 10, ly + 10, small);
  caption (widget, cr, _("Fits no bin, so it may stay in the grid"), lx + 56, ly + 12,
           DESIGN_WIDTH - lx - 56, TRUE, FALSE, &fg);
}

static void
lk_instructions_example_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LkInstructionsExample *self = LK_INSTRUCTIONS_EXAMPLE (object);

  switch (prop_id)
    {
    case PROP_N_BINS:
      g_value_set_uint (value, self->n_bins);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_instructions_example_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LkInstructionsExample *self = LK_INSTRUCTIONS_EXAMPLE (object);

  switch (prop_id)
    {
    case PROP_N_BINS:
      lk_instructions_example_set_n_bins (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_instructions_example_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LK_TYPE_INSTRUCTIONS_EXAMPLE);

  G_OBJECT_CLASS (lk_instructions_example_parent_class)->dispose (object);
}

static void
lk_instructions_example_class_init (LkInstructionsExampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_instructions_example_dispose;
  object_class->get_property = lk_instructions_example_get_property;
  object_class->set_property = lk_instructions_example_set_property;

  /**
   * LkInstructionsExample:n-bins:
   *
   * The study's bins per grid: the number keys shown are 1 to this (1 to 9 and 0 for ten).
   */
  properties[PROP_N_BINS] =
    g_param_spec_uint ("n-bins", NULL, NULL, 2, 100, 4,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-instructions-example.ui");
  gtk_widget_class_bind_template_child (widget_class, LkInstructionsExample, drawing);
  gtk_widget_class_bind_template_child (widget_class, LkInstructionsExample, bin_keys);
  gtk_widget_class_bind_template_child (widget_class, LkInstructionsExample, take_out_keys);
  gtk_widget_class_set_css_name (widget_class, "lk-instructions-example");
}

static void
lk_instructions_example_init (LkInstructionsExample *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drawing_area_set_draw_func (self->drawing, draw_cb, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drawing),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Example"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Before: a grid of nine coloured squares. After: the three "
                                    "yellow squares in bin 1, the three grey ones in bin 2, the two "
                                    "pink ones in bin 3; a brown square that fits no bin stays in "
                                    "the grid."),
                                  -1);
  self->n_bins = 0;
  lk_instructions_example_set_n_bins (self, 4);
}

GtkWidget *
lk_instructions_example_new (void)
{
  return g_object_new (LK_TYPE_INSTRUCTIONS_EXAMPLE, NULL);
}

guint
lk_instructions_example_get_n_bins (LkInstructionsExample *self)
{
  g_return_val_if_fail (LK_IS_INSTRUCTIONS_EXAMPLE (self), 0);

  return self->n_bins;
}

/**
 * lk_instructions_example_set_n_bins:
 * @n_bins: the study's bins per grid, at least 2
 */
void
lk_instructions_example_set_n_bins (LkInstructionsExample *self,
                                    guint                  n_bins)
{
  g_autofree char *keys = NULL;

  g_return_if_fail (LK_IS_INSTRUCTIONS_EXAMPLE (self));
  g_return_if_fail (n_bins >= 2);

  if (self->n_bins == n_bins)
    return;
  self->n_bins = n_bins;
  /* The keys of lk-sort-page.ui: 1 to 9, and 0 for a tenth bin, which leaves only Backspace
   * to take an image out; bins after the tenth take the mouse. */
  if (n_bins >= 10)
    keys = g_strdup ("1...9 0");
  else
    keys = g_strdup_printf ("1...%u", n_bins);
  gtk_shortcut_label_set_accelerator (self->bin_keys, keys);
  gtk_shortcut_label_set_accelerator (self->take_out_keys, n_bins >= 10 ? "BackSpace"
                                                                        : "0 BackSpace");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BINS]);
}

/**
 * lk_instructions_example_get_drawing:
 *
 * Returns: (transfer none): the drawn example (tests look at its pixels)
 */
GtkWidget *
lk_instructions_example_get_drawing (LkInstructionsExample *self)
{
  g_return_val_if_fail (LK_IS_INSTRUCTIONS_EXAMPLE (self), NULL);

  return GTK_WIDGET (self->drawing);
}

/**
 * lk_instructions_example_get_bin_keys:
 *
 * Returns: (transfer none): the accelerator shown for the bins' number keys, "1...4"
 */
const char *
lk_instructions_example_get_bin_keys (LkInstructionsExample *self)
{
  g_return_val_if_fail (LK_IS_INSTRUCTIONS_EXAMPLE (self), NULL);

  return gtk_shortcut_label_get_accelerator (self->bin_keys);
}

/**
 * lk_instructions_example_get_take_out_keys:
 *
 * Returns: (transfer none): the accelerator shown for taking an image out, "0 BackSpace"
 *   (only "BackSpace" with ten bins, where 0 is the tenth bin's key)
 */
const char *
lk_instructions_example_get_take_out_keys (LkInstructionsExample *self)
{
  g_return_val_if_fail (LK_IS_INSTRUCTIONS_EXAMPLE (self), NULL);

  return gtk_shortcut_label_get_accelerator (self->take_out_keys);
}
