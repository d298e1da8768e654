/* lk-lab-stations-view.c — a lab study's stations, refiner and answers as they arrive
 *
 * The "Stations" page of the experimenter's live view on a lab study: a status line (the
 * listener's connection), the counts and who holds the refiner, one row per station (last
 * seen, the grid it holds and the lease's age, its answers) and the latest answers. It only
 * shows an LkLabLive read on a worker thread (lk-experimenter-window-lab.c); it never talks
 * to the server. Rows are plain labels, so the page reads well with a screen reader and
 * scrolls with the keyboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-lab-stations-view.h"

struct _LkLabStationsView
{
  GtkBox      parent_instance;

  GtkLabel   *status;
  GtkLabel   *summary;
  GtkLabel   *refiner;
  GtkListBox *stations;
  GtkListBox *answers;

  guint       n_answers;
  guint       n_stations;
};

G_DEFINE_FINAL_TYPE (LkLabStationsView, lk_lab_stations_view, GTK_TYPE_BOX)

static GtkLabel *
add_label (GtkBox     *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);

  return GTK_LABEL (label);
}

static GtkListBox *
add_list (GtkBox     *box,
          const char *heading)
{
  GtkLabel *title = add_label (box, "heading");
  GtkWidget *list = gtk_list_box_new ();

  gtk_label_set_text (title, heading);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title, NULL, -1);
  gtk_box_append (box, list);

  return GTK_LIST_BOX (list);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *text,
         gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 4);
  gtk_widget_set_margin_bottom (label, 4);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_append (list, label);
}

static void
lk_lab_stations_view_class_init (LkLabStationsViewClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-lab-stations-view");
}

static void
lk_lab_stations_view_init (LkLabStationsView *self)
{
  GtkBox *box = GTK_BOX (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (box, 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);

  self->status = add_label (box, "dim-label");
  gtk_label_set_text (self->status, _("Connecting to the lab study…"));
  self->summary = add_label (box, NULL);
  self->refiner = add_label (box, NULL);
  self->stations = add_list (box, _("Stations"));
  add_row (self->stations, _("No station has connected yet"), TRUE);
  self->answers = add_list (box, _("Latest answers"));
  add_row (self->answers, _("No answers yet"), TRUE);
}

GtkWidget *
lk_lab_stations_view_new (void)
{
  return g_object_new (LK_TYPE_LAB_STATIONS_VIEW, NULL);
}

/* A station's row: name, computer, last seen, answers, and the grid it holds. */
static char *
station_text (const LkLabLiveStation *s)
{
  g_autofree char *grid = NULL;
  g_autofree char *head = NULL;

  /* Translators: a station of a lab study: its name, its computer, seconds since it was last
   * seen, and how many answers it sent */
  head = g_strdup_printf (_("%s on %s · seen %.0f s ago · %u answers"), s->name,
                          s->host != NULL ? s->host : "?", s->seen_ago, s->answers);
  if (s->query == 0)
    return g_strdup_printf ("%s\n%s", head, _("no grid"));

  {
    g_autofree char *query = g_strdup_printf ("%" G_GINT64_FORMAT, s->query);

    /* Translators: the grid a station holds: its number, the participant sorting it, seconds
     * since it was claimed and seconds left on its lease */
    grid = g_strdup_printf (_("grid %s for %s, claimed %.0f s ago, lease %.0f s left"), query,
                            s->participant != NULL ? s->participant : "?", s->lease_age,
                            s->lease_left);
  }

  return g_strdup_printf ("%s\n%s", head, grid);
}

static char *
answer_text (const LkLabLiveAnswer *a)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, a->id);
  g_autofree char *query = g_strdup_printf ("%" G_GINT64_FORMAT, a->query);
  /* Translators: one answer of a lab study: its number, its grid, the participant, the
   * station, seconds since it came */
  g_autofree char *text = g_strdup_printf (_("answer %s · grid %s · %s at %s · %.0f s ago"),
                                           id, query,
                                           a->participant != NULL ? a->participant : "?",
                                           a->station != NULL ? a->station : "?", a->ago);

  /* Translators: added to an answer that came after its grid's lease had expired */
  return a->late ? g_strdup_printf ("%s · %s", text, _("late")) : g_steal_pointer (&text);
}

/**
 * lk_lab_stations_view_set_live:
 * @live: the lab study's state (lk_lab_live_read())
 *
 * Shows @live.
 */
void
lk_lab_stations_view_set_live (LkLabStationsView *self,
                               const LkLabLive   *live)
{
  g_autofree char *summary = NULL;
  g_autofree char *refiner = NULL;

  g_return_if_fail (LK_IS_LAB_STATIONS_VIEW (self));
  g_return_if_fail (live != NULL);

  self->n_answers = live->counts.answers;
  self->n_stations = live->stations->len;
  /* Translators: a lab study's counts: answers (of them late), grids not handed out yet,
   * grids being sorted, phases done */
  summary = g_strdup_printf (_("Answers: %u (%u late) · grids waiting: %u · being sorted: %u · "
                               "phases done: %u"),
                             live->counts.answers, live->counts.late, live->counts.pending,
                             live->counts.leased, live->counts.phases_done);
  gtk_label_set_text (self->summary, summary);
  /* Translators: %s is the name of the station that computes the next phase */
  refiner = live->refiner != NULL ? g_strdup_printf (_("Refiner: %s"), live->refiner)
                                  : g_strdup (_("Refiner: none (no station holds it)"));
  gtk_label_set_text (self->refiner, refiner);

  clear_list (self->stations);
  for (guint i = 0; i < live->stations->len; i++)
    {
      g_autofree char *text = station_text (g_ptr_array_index (live->stations, i));

      add_row (self->stations, text, FALSE);
    }
  if (live->stations->len == 0)
    add_row (self->stations, _("No station has connected yet"), TRUE);

  clear_list (self->answers);
  for (guint i = 0; i < live->answers->len; i++)
    {
      g_autofree char *text = answer_text (g_ptr_array_index (live->answers, i));

      add_row (self->answers, text, FALSE);
    }
  if (live->answers->len == 0)
    add_row (self->answers, _("No answers yet"), TRUE);
}

/**
 * lk_lab_stations_view_set_status:
 * @connected: whether the live view's listener is connected
 * @message: (nullable): why not
 */
void
lk_lab_stations_view_set_status (LkLabStationsView *self,
                                 gboolean           connected,
                                 const char        *message)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LK_IS_LAB_STATIONS_VIEW (self));

  if (connected)
    text = g_strdup (_("Live: following the stations"));
  else
    /* Translators: %s is the reason, from the server or the network */
    text = g_strdup_printf (_("Not connected, trying again: %s"), message != NULL ? message : "");
  gtk_label_set_text (self->status, text);
  if (connected)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
}

/* The answers counted in the state shown (for the tests). */
guint
lk_lab_stations_view_get_n_answers (LkLabStationsView *self)
{
  g_return_val_if_fail (LK_IS_LAB_STATIONS_VIEW (self), 0);

  return self->n_answers;
}

guint
lk_lab_stations_view_get_n_stations (LkLabStationsView *self)
{
  g_return_val_if_fail (LK_IS_LAB_STATIONS_VIEW (self), 0);

  return self->n_stations;
}
