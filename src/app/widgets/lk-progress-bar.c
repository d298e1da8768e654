/* lk-progress-bar.c — a worker's progress with a Cancel button, revealed while it runs
 *
 * The worker reports into an LkProgressCounter (two atomic counts, no widget), and the bar reads it
 * ten times a second on the main thread: a worker never touches a widget, and a fast worker
 * does not flood the main loop with one idle per step. Cancel cancels the bar's own
 * cancellable, chained to the window's: it stops the work, not the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-progress-bar.h"

struct _LkProgressCounter
{
  gatomicrefcount ref_count;
  int             done;  /* atomic */
  int             total; /* atomic */
};

struct _LkProgressBar
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkRevealer        *revealer;
  GtkProgressBar     *bar;

  /* Owned references */
  GCancellable       *cancellable;
  LkProgressCounter  *progress;

  /* State */
  LkProgressTextFunc  text_func;
  guint               tick;
};

G_DEFINE_FINAL_TYPE (LkProgressBar, lk_progress_bar, GTK_TYPE_WIDGET)

/* ---- the counts -------------------------------------------------------------------------- */

static LkProgressCounter *
counter_new (void)
{
  LkProgressCounter *self = g_new0 (LkProgressCounter, 1);

  g_atomic_ref_count_init (&self->ref_count);

  return self;
}

LkProgressCounter *
lk_progress_counter_ref (LkProgressCounter *self)
{
  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
lk_progress_counter_unref (LkProgressCounter *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

/**
 * lk_progress_counter_report:
 * @progress: an #LkProgressCounter
 *
 * Records that @done of @total are done; any thread may call it (it has the shape of
 * #LkNeighboursProgress).
 */
void
lk_progress_counter_report (guint    done,
                    guint    total,
                    gpointer progress)
{
  LkProgressCounter *self = progress;

  g_atomic_int_set (&self->total, (int) total);
  g_atomic_int_set (&self->done, (int) done);
}

/* ---- the bar ----------------------------------------------------------------------------- */

/**
 * lk_progress_bar_show_count:
 * @bar: a progress bar
 * @text: (nullable): its text
 *
 * Shows @done of @total on @bar (empty while @total is 0).
 */
void
lk_progress_bar_show_count (GtkProgressBar *bar,
                            guint           done,
                            guint           total,
                            const char     *text)
{
  gtk_progress_bar_set_fraction (bar, total > 0 ? (double) done / total : 0.0);
  gtk_progress_bar_set_text (bar, text);
}

/* Shows the worker's progress: a pulse until it knows its total (or, with no text at the
 * start, nothing until there is work to show). */
static gboolean
tick_cb (gpointer data)
{
  LkProgressBar *self = data;
  guint done = (guint) g_atomic_int_get (&self->progress->done);
  guint total = (guint) g_atomic_int_get (&self->progress->total);
  g_autofree char *text = NULL;

  if (total == 0)
    {
      if (gtk_revealer_get_reveal_child (self->revealer))
        gtk_progress_bar_pulse (self->bar);
      return G_SOURCE_CONTINUE;
    }
  text = self->text_func (done, total);
  lk_progress_bar_show_count (self->bar, done, total, text);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);

  return G_SOURCE_CONTINUE;
}

static void
cancel_clicked_cb (LkProgressBar *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * lk_progress_bar_start:
 * @parent: (nullable): the window's cancellable; cancelling it cancels the work too
 * @text: (nullable): shown at once, pulsing until the worker reports a total; with %NULL the
 *   bar shows only once there is a total
 * @text_func: the text for a count
 *
 * Starts showing a new piece of work, which reports into lk_progress_bar_get_counter().
 *
 * Returns: (transfer none): the work's cancellable, which Cancel cancels; the bar holds it
 *   until lk_progress_bar_stop()
 */
GCancellable *
lk_progress_bar_start (LkProgressBar      *self,
                       GCancellable       *parent,
                       const char         *text,
                       LkProgressTextFunc  text_func)
{
  g_return_val_if_fail (LK_IS_PROGRESS_BAR (self), NULL);
  g_return_val_if_fail (text_func != NULL, NULL);

  lk_progress_bar_stop (self);
  self->cancellable = g_cancellable_new ();
  if (parent != NULL)
    g_cancellable_connect (parent, G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (self->cancellable), g_object_unref);
  self->progress = counter_new ();
  self->text_func = text_func;
  lk_progress_bar_show_count (self->bar, 0, 0, text);
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
  self->tick = g_timeout_add (100, tick_cb, self);

  return self->cancellable;
}

/**
 * lk_progress_bar_get_counter:
 *
 * Returns: (transfer none) (nullable): where the running work reports its progress
 */
LkProgressCounter *
lk_progress_bar_get_counter (LkProgressBar *self)
{
  g_return_val_if_fail (LK_IS_PROGRESS_BAR (self), NULL);

  return self->progress;
}

/* Hides the bar; the work's cancellable and counts are dropped (a worker keeps its own
 * references). */
void
lk_progress_bar_stop (LkProgressBar *self)
{
  g_return_if_fail (LK_IS_PROGRESS_BAR (self));

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->progress, lk_progress_counter_unref);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

/* Returns whether work started and is not stopped yet. */
gboolean
lk_progress_bar_is_running (LkProgressBar *self)
{
  g_return_val_if_fail (LK_IS_PROGRESS_BAR (self), FALSE);

  return self->cancellable != NULL;
}

static void
lk_progress_bar_dispose (GObject *object)
{
  LkProgressBar *self = (LkProgressBar *)object;

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->progress, lk_progress_counter_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PROGRESS_BAR);

  G_OBJECT_CLASS (lk_progress_bar_parent_class)->dispose (object);
}

static void
lk_progress_bar_class_init (LkProgressBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_progress_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/widgets/lk-progress-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LkProgressBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, LkProgressBar, bar);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
lk_progress_bar_init (LkProgressBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_progress_bar_new (void)
{
  return g_object_new (LK_TYPE_PROGRESS_BAR, NULL);
}
