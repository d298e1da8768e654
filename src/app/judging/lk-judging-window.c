/* lk-judging-window.c — judge a study's neighbours by hand, as in the paper's Table 1
 *
 * The paper's manual protocol (section 4.2): for sampled seed images, the 10-NN under the
 * learned metric and under a feature baseline are labelled very similar / similar / unrelated,
 * and scored as Success % and Avg. Diff. The round itself (sample, lists, merge of duplicates,
 * shuffle, storage) is lk-judgements.c; this window shows it. The judge must not know which
 * metric produced which image, so the neighbours come in the round's stored shuffled order
 * with neither labels, ranks nor distances, and an image both metrics found appears once.
 *
 * Pages: "start" (a new round, or an earlier one to resume), "loading", "judge" (one seed
 * large, its neighbours in a flow box, three marks on each), "scores".
 *
 * Threads: a new round's spaces are loaded and its lists computed in a GTask with its own
 * read-only connection (HOG k-NN over a large collection takes a while); the main thread then
 * stores the round in one transaction. Tasks reach the window through a weak reference (see
 * TaskOwner), so it is always finalized, closing the store, on the main thread. Each mark is one small transaction on the main thread,
 * committed before the toggle stays down, so a killed app loses nothing acknowledged.
 * Thumbnails come from LkThumbnailLoader's workers; the seed's original file is decoded at
 * SEED_SIZE in another GTask. No widget is touched off the main thread.
 *
 * Keyboard: 1 / 2 / 3 mark the focused image very similar / similar / unrelated and move to
 * the next one, 0 or BackSpace take the mark back, arrows move (GtkFlowBox), Page Down / Up
 * or Alt+Right / Left change seed.
 *
 * The store: opened here for writing, or borrowed from the collection browser that opened the
 * window (one writer per study file); then a reference on the browser keeps its store alive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-collection.h"
#include "lk-judging-window.h"
#include "lk-screenshot.h"
#include "lk-thumbnail-loader.h"

#define CELL_SIZE 150
#define SEED_SIZE 720

typedef struct {
  GtkWidget *child;      /* GtkFlowBoxChild */
  GtkWidget *picture;
  GtkWidget *toggles[3]; /* very similar, similar, unrelated */
  guint      item;
} Cell;

/* Button order → mark. */
static const gint toggle_marks[3] = {
  LK_JUDGEMENT_VERY_SIMILAR, LK_JUDGEMENT_SIMILAR, LK_JUDGEMENT_UNRELATED,
};

struct _LkJudgingWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toasts;
  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkLabel           *start_error;
  AdwEntryRow        *judge_row;
  AdwComboRow        *baseline_row;
  GtkSpinButton      *seeds_spin;
  GtkSpinButton      *k_spin;
  GtkSpinButton      *sample_seed_spin;
  AdwPreferencesGroup *rounds_group;
  GtkListBox         *rounds_list;
  GtkSpinner         *spinner;
  GtkLabel           *seed_label;
  GtkPicture         *seed_picture;
  GtkLabel           *progress_label;
  GtkButton          *next_button;
  GtkFlowBox         *neighbours;
  AdwStatusPage      *scores_page;
  GtkLabel           *success_label;
  GtkLabel           *avg_diff_label;

  /* Owned references */
  LkStore            *store;        /* owned unless store_owner is set */
  GObject            *store_owner;
  char               *path;
  LkThumbnailLoader  *loader;
  LkJudgingRound     *round;
  GCancellable       *cancellable;
  GtkEventController *keys;
  GArray             *cells;        /* of Cell, by display position */

  /* State */
  guint               seed;
  guint               seed_generation;
  gboolean            busy;
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (LkJudgingWindow, lk_judging_window, ADW_TYPE_APPLICATION_WINDOW)

static void show_seed (LkJudgingWindow *self, guint seed);

/* Tasks point back at the window through a weak reference, never as their source object: a
 * task's last reference can go on its worker thread, and the window (which closes the store,
 * and so the study's lock) must be finalized on the main thread, when it is closed. */
typedef struct {
  GWeakRef window;
  guint    generation;
} TaskOwner;

static TaskOwner *
task_owner_new (LkJudgingWindow *self,
                guint            generation)
{
  TaskOwner *owner = g_new0 (TaskOwner, 1);

  g_weak_ref_init (&owner->window, self);
  owner->generation = generation;

  return owner;
}

/* Returns the window if it is still there (a reference), and frees @owner. */
static LkJudgingWindow *
task_owner_steal (TaskOwner *owner,
                  guint     *generation)
{
  LkJudgingWindow *self = g_weak_ref_get (&owner->window);

  if (generation != NULL)
    *generation = owner->generation;
  g_weak_ref_clear (&owner->window);
  g_free (owner);

  return self;
}

/* ---- state of the actions ---------------------------------------------------------------- */

static void
update_actions (LkJudgingWindow *self)
{
  gboolean have = self->round != NULL && !self->busy;
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean judging = have && g_strcmp0 (page, "judge") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.start", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.rounds", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.next", judging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.previous", judging && self->seed > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.mark", judging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.scores", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.resume", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.export", have);
}

static void
show_page (LkJudgingWindow *self,
           const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (name, "loading") == 0);
  update_actions (self);
}

static void
toast (LkJudgingWindow *self,
       const char      *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* ---- the start page ---------------------------------------------------------------------- */

static void
open_round_clicked_cb (GtkButton *button,
                       gpointer   user_data)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "lk-round"));

  gtk_widget_activate_action (GTK_WIDGET (user_data), "judging.open-round", "x", id);
}

/* Lists the study's rounds; returns the id of the newest one left unfinished, or 0. */
static gint64
refresh_rounds (LkJudgingWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = lk_judgements_list_rounds (self->store, &error);
  GtkWidget *row;
  gint64 open = 0;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->rounds_list))) != NULL)
    gtk_list_box_remove (self->rounds_list, row);
  if (rounds == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The judging rounds could not be read: %s"),
                                               error->message);

      gtk_label_set_text (self->start_error, text);
      gtk_widget_set_visible (GTK_WIDGET (self->start_error), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->rounds_group), FALSE);
      return 0;
    }
  for (guint i = 0; i < rounds->len; i++)
    {
      const LkJudgingRoundInfo *info = g_ptr_array_index (rounds, i);
      g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (info->created, NULL);
      g_autoptr(GDateTime) local = created != NULL ? g_date_time_to_local (created) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M")
                                            : g_strdup (info->created);
      g_autofree char *title = NULL, *subtitle = NULL;
      GtkWidget *button;

      title = g_strdup_printf (_("Round %u by %s, against the %s descriptor"),
                               (guint) info->id, info->judge,
                               info->baseline == LK_SPACE_HOG ? _("HOG") : _("colour"));
      subtitle = g_strdup_printf (_("%u seeds, %u of %u images marked — %s"), info->n_seeds,
                                  info->n_marked, info->n_shown, when);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      button = gtk_button_new_with_mnemonic (info->n_marked < info->n_shown ? _("_Resume")
                                                                            : _("_Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "lk-round", GSIZE_TO_POINTER ((gsize) info->id));
      g_signal_connect (button, "clicked", G_CALLBACK (open_round_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_prepend (self->rounds_list, row);
      if (info->n_marked < info->n_shown)
        open = info->id;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rounds_group), rounds->len > 0);

  return open;
}

static void
show_start_error (LkJudgingWindow *self,
                  const char      *message)
{
  gtk_label_set_text (self->start_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->start_error), message != NULL);
}

/* ---- the judge page ---------------------------------------------------------------------- */

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
  g_autoptr(LkJudgingWindow) self = task_owner_steal (user_data, &generation);
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
  Cell *cell = &g_array_index (self->cells, Cell, position);
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
static gboolean
set_mark (LkJudgingWindow *self,
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

      toast (self, text);
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
  set_mark (self, position, toggle_marks[b]);
}

static void
clear_cells (LkJudgingWindow *self)
{
  for (guint p = 0; p < self->cells->len; p++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, p);

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
  Cell cell = { 0 };

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
static void
focus_cell (LkJudgingWindow *self,
            guint            position)
{
  GtkWidget *child = g_array_index (self->cells, Cell, position).child;

  if (!gtk_widget_child_focus (child, GTK_DIR_DOWN))
    gtk_widget_grab_focus (child);
}

static void
show_seed (LkJudgingWindow *self,
           guint            seed)
{
  const LkJudgingSeed *s;
  g_autofree char *relative = NULL;
  g_autofree char *root = NULL;
  guint focus = 0;

  g_return_if_fail (self->round != NULL && seed < self->round->n_seeds);

  self->seed = seed;
  s = &self->round->seeds[seed];
  clear_cells (self);
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
                                          task_owner_new (self, self->seed_generation));

      g_task_set_task_data (task, g_build_filename (root, relative, NULL), g_free);
      g_task_run_in_thread (task, decode_seed_thread);
    }

  update_progress (self);
  show_page (self, "judge");
  for (guint p = 0; p < s->n_shown; p++)
    if (s->shown[p].mark == LK_JUDGEMENT_NONE)
      {
        focus = p;
        break;
      }
  if (self->cells->len > 0)
    focus_cell (self, focus);
}

static void
set_round (LkJudgingWindow *self,
           LkJudgingRound  *round)
{
  g_autofree char *subtitle = NULL;
  guint first;

  clear_cells (self);
  g_clear_pointer (&self->round, lk_judging_round_free);
  self->round = round;
  subtitle = g_strdup_printf (_("Round %u by %s"), (guint) round->id, round->judge);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (round->n_seeds == 0)
    {
      show_start_error (self, _("This round has no seed images."));
      show_page (self, "start");
      return;
    }
  first = lk_judging_round_first_open (round);
  show_seed (self, MIN (first, round->n_seeds - 1));
}

/* ---- the scores page --------------------------------------------------------------------- */

static void
show_scores (LkJudgingWindow *self)
{
  double success = 0.0, avg = 0.0;
  guint scored = lk_judging_round_score (self->round, &success, &avg);
  g_autofree char *description = NULL;

  if (scored == 0)
    {
      gtk_label_set_text (self->success_label, "—");
      gtk_label_set_text (self->avg_diff_label, "—");
      description = g_strdup (_("No seed is completely marked yet: a seed is scored once every "
                                "image shown for it is marked."));
    }
  else
    {
      g_autofree char *s = g_strdup_printf (_("%.1f %%"), success);
      g_autofree char *a = g_strdup_printf ("%+.2f", avg);

      gtk_label_set_text (self->success_label, s);
      gtk_label_set_text (self->avg_diff_label, a);
      if (scored == self->round->n_seeds)
        description = g_strdup_printf (_("Over all %u seeds, %u nearest neighbours from each "
                                         "metric."), scored, self->round->k);
      else
        description = g_strdup_printf (_("Over the %u of %u seeds whose images are all "
                                         "marked."), scored, self->round->n_seeds);
    }
  adw_status_page_set_description (self->scores_page, description);
  show_page (self, "scores");
}

/* ---- making a round ---------------------------------------------------------------------- */

typedef struct {
  char        *path;
  char        *judge;
  LkSpaceKind  baseline;
  guint        k;
  guint        n_seeds;
  guint64      sample_seed;
} PlanData;

static void
plan_data_free (gpointer data)
{
  PlanData *d = data;

  g_free (d->path);
  g_free (d->judge);
  g_free (d);
}

static void
plan_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanData *d = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (d->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(LkSpace) learned = NULL;
  g_autoptr(LkSpace) baseline = NULL;
  LkJudgingRound *round;

  if (store == NULL)
    {
      g_task_return_new_error (task, LK_STORE_ERROR, LK_STORE_ERROR_FAILED,
                               _("The study could not be read: %s"), error->message);
      return;
    }
  learned = lk_space_load (store, LK_SPACE_LEARNED, &error);
  if (learned == NULL)
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        g_task_return_new_error (task, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                                 _("The study has no learned embedding yet: no phase is "
                                   "complete. Answer grids until the first phase ends, then "
                                   "judge its neighbours."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  baseline = lk_space_load (store, d->baseline, &error);
  if (baseline == NULL)
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        g_task_return_new_error (task, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                                 _("No image has the %s descriptor yet. Open the collection "
                                   "browser once, which computes the descriptors, or import "
                                   "the images again with likeness-cli."),
                                 d->baseline == LK_SPACE_HOG ? _("HOG") : _("colour"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  round = lk_judging_round_plan (learned, baseline, d->judge, d->k, d->n_seeds, d->sample_seed,
                                 &error);
  if (round == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, round, (GDestroyNotify) lk_judging_round_free);
}

static void
plan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkJudgingWindow) self = task_owner_steal (user_data, NULL);
  g_autoptr(GError) error = NULL;
  LkJudgingRound *round = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      lk_judging_round_free (round);
      return;
    }
  self->busy = FALSE;
  if (round != NULL && !lk_judging_round_save (self->store, round, &error))
    g_clear_pointer (&round, lk_judging_round_free);
  if (round == NULL)
    {
      show_start_error (self, error->message);
      show_page (self, "start");
      return;
    }
  show_start_error (self, NULL);
  refresh_rounds (self);
  set_round (self, round);
}

/**
 * lk_judging_window_start_round:
 * @self: the window
 * @judge: the judge's code
 * @baseline: %LK_SPACE_COLOR or %LK_SPACE_HOG
 * @k: neighbours per list (the paper: 10)
 * @n_seeds: seeds to sample
 * @sample_seed: the sample's seed
 *
 * Fills the new-round form and starts the round, as the Start button does; the window is busy
 * until its neighbours are found.
 */
void
lk_judging_window_start_round (LkJudgingWindow *self,
                               const char      *judge,
                               LkSpaceKind      baseline,
                               guint            k,
                               guint            n_seeds,
                               guint            sample_seed)
{
  g_return_if_fail (LK_IS_JUDGING_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->judge_row), judge);
  adw_combo_row_set_selected (self->baseline_row, baseline == LK_SPACE_HOG ? 1 : 0);
  gtk_spin_button_set_value (self->seeds_spin, n_seeds);
  gtk_spin_button_set_value (self->k_spin, k);
  gtk_spin_button_set_value (self->sample_seed_spin, sample_seed);
  gtk_widget_activate_action (GTK_WIDGET (self), "judging.start", NULL);
}

/* ---- actions ----------------------------------------------------------------------------- */

static void
start_cb (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  g_autofree char *judge = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->judge_row))));
  g_autoptr(GTask) task = NULL;
  PlanData *d;

  if (self->busy)
    return;
  if (*judge == '\0')
    {
      show_start_error (self, _("Enter the judge’s code first (a pseudonym is enough)."));
      gtk_widget_grab_focus (GTK_WIDGET (self->judge_row));
      return;
    }
  d = g_new0 (PlanData, 1);
  d->path = g_strdup (self->path);
  d->judge = g_steal_pointer (&judge);
  d->baseline = adw_combo_row_get_selected (self->baseline_row) == 1 ? LK_SPACE_HOG : LK_SPACE_COLOR;
  d->n_seeds = gtk_spin_button_get_value_as_int (self->seeds_spin);
  d->k = gtk_spin_button_get_value_as_int (self->k_spin);
  d->sample_seed = (guint64) gtk_spin_button_get_value (self->sample_seed_spin);
  task = g_task_new (NULL, self->cancellable, plan_done, task_owner_new (self, 0));
  g_task_set_task_data (task, d, plan_data_free);
  self->busy = TRUE;
  show_start_error (self, NULL);
  show_page (self, "loading");
  g_task_run_in_thread (task, plan_thread);
}

static void
open_round_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LkJudgingRound *round;

  if (self->busy)
    return;
  round = lk_judging_round_load (self->store, g_variant_get_int64 (parameter), &error);
  if (round == NULL)
    {
      show_start_error (self, error->message);
      show_page (self, "start");
      return;
    }
  show_start_error (self, NULL);
  set_round (self, round);
}

static void
rounds_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  refresh_rounds (self);
  show_page (self, "start");
}

static void
next_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round == NULL)
    return;
  if (self->seed + 1 < self->round->n_seeds)
    show_seed (self, self->seed + 1);
  else
    show_scores (self);
}

static void
previous_cb (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL && self->seed > 0)
    show_seed (self, self->seed - 1);
}

static void
scores_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL)
    show_scores (self);
}

static void
resume_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL)
    show_seed (self, self->seed);
}

/* judging.mark (position, mark): the buttons' and keys' path, for tests and assistive tools. */
static void
mark_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  guint position;
  gint mark;

  g_variant_get (parameter, "(ui)", &position, &mark);
  if (mark < LK_JUDGEMENT_NONE || mark > LK_JUDGEMENT_VERY_SIMILAR)
    return;
  set_mark (self, position, mark);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  LkJudgingWindow *self = user_data;
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "lk-json"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        toast (self, _("Choose a local file to export to."));
      else if (!lk_judging_window_export (self, path, json, &error))
        {
          g_autofree char *text = g_strdup_printf (_("The export failed: %s"), error->message);

          toast (self, text);
        }
      else
        {
          g_autofree char *name = g_path_get_basename (path);
          g_autofree char *text = g_strdup_printf (_("Saved %s"), name);

          toast (self, text);
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->round == NULL)
    return;
  dialog = gtk_file_chooser_native_new (json ? _("Export the Judgements as JSON")
                                             : _("Export the Judgements as CSV"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("judgements-round-%" G_GINT64_FORMAT ".%s", self->round->id,
                          json ? "json" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "lk-json", GINT_TO_POINTER (json));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- keys -------------------------------------------------------------------------------- */

/* Returns the display position of the neighbour holding the focus, or -1. */
static gint
focused_position (LkJudgingWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_FLOW_BOX_CHILD (w) && gtk_widget_get_parent (w) == GTK_WIDGET (self->neighbours))
      return gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (w));

  return -1;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  LkJudgingWindow *self = user_data;
  gint position, mark;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || self->round == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "judge") != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_1: case GDK_KEY_KP_1: mark = LK_JUDGEMENT_VERY_SIMILAR; break;
    case GDK_KEY_2: case GDK_KEY_KP_2: mark = LK_JUDGEMENT_SIMILAR; break;
    case GDK_KEY_3: case GDK_KEY_KP_3: mark = LK_JUDGEMENT_UNRELATED; break;
    case GDK_KEY_0: case GDK_KEY_KP_0: case GDK_KEY_BackSpace: mark = LK_JUDGEMENT_NONE; break;
    case GDK_KEY_Page_Down:
      gtk_widget_activate_action (GTK_WIDGET (self), "judging.next", NULL);
      return TRUE;
    case GDK_KEY_Page_Up:
      gtk_widget_activate_action (GTK_WIDGET (self), "judging.previous", NULL);
      return TRUE;
    default:
      return FALSE;
    }
  position = focused_position (self);
  if (position < 0)
    return FALSE;
  /* A mark moves on to the next image, so a seed is judged with the number keys alone. */
  if (set_mark (self, position, mark) && mark != LK_JUDGEMENT_NONE &&
      (guint) position + 1 < self->cells->len)
    focus_cell (self, position + 1);

  return TRUE;
}

/* ---- screenshots ------------------------------------------------------------------------- */

static gboolean
screenshot_ready (GtkWidget *widget)
{
  return !LK_JUDGING_WINDOW (widget)->busy;
}

/* ---- the class --------------------------------------------------------------------------- */

static void
lk_judging_window_dispose (GObject *object)
{
  LkJudgingWindow *self = (LkJudgingWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->loader != NULL)
    lk_thumbnail_loader_forget_all (self->loader);
  if (self->cells != NULL)
    g_array_set_size (self->cells, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_JUDGING_WINDOW);

  G_OBJECT_CLASS (lk_judging_window_parent_class)->dispose (object);
}

static void
lk_judging_window_finalize (GObject *object)
{
  LkJudgingWindow *self = (LkJudgingWindow *)object;

  /* Tasks hold a reference to the window, so none runs any more. */
  g_clear_pointer (&self->round, lk_judging_round_free);
  if (self->store_owner == NULL)
    g_clear_pointer (&self->store, lk_store_close);
  g_clear_object (&self->store_owner);
  g_clear_object (&self->loader);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cells, g_array_unref);
  g_free (self->path);

  G_OBJECT_CLASS (lk_judging_window_parent_class)->finalize (object);
}

static void
lk_judging_window_class_init (LkJudgingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_judging_window_dispose;
  object_class->finalize = lk_judging_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/judging/lk-judging-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, start_error);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, judge_row);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, baseline_row);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seeds_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, k_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, sample_seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, rounds_group);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, rounds_list);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seed_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seed_picture);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, neighbours);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, scores_page);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, success_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, avg_diff_label);

  gtk_widget_class_install_action (widget_class, "judging.start", NULL, start_cb);
  gtk_widget_class_install_action (widget_class, "judging.open-round", "x", open_round_cb);
  gtk_widget_class_install_action (widget_class, "judging.rounds", NULL, rounds_cb);
  gtk_widget_class_install_action (widget_class, "judging.next", NULL, next_cb);
  gtk_widget_class_install_action (widget_class, "judging.previous", NULL, previous_cb);
  gtk_widget_class_install_action (widget_class, "judging.scores", NULL, scores_cb);
  gtk_widget_class_install_action (widget_class, "judging.resume", NULL, resume_cb);
  gtk_widget_class_install_action (widget_class, "judging.mark", "(ui)", mark_cb);
  gtk_widget_class_install_action (widget_class, "judging.export", "s", export_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "judging.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "judging.previous", NULL);
}

static void
lk_judging_window_init (LkJudgingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  /* Capture: the number keys work whichever part of a neighbour has the focus, and Page Up /
   * Down change seed before the flow box would page its cursor. */
  self->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->keys, GTK_PHASE_CAPTURE);
  g_signal_connect (self->keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->neighbours), self->keys);
  gtk_spin_button_set_value (self->sample_seed_spin, g_random_int_range (1, G_MAXINT32));
}

/* Finishes construction around @store; on failure destroys the window. */
static LkJudgingWindow *
setup (LkJudgingWindow  *self,
       const char       *study_path,
       GError          **error)
{
  g_autofree char *basename = g_path_get_basename (study_path);
  gint64 open;

  self->path = g_strdup (study_path);
  self->loader = lk_thumbnail_loader_new (study_path, 200, error);
  if (self->loader == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  adw_window_title_set_subtitle (self->window_title, basename);
  if (lk_store_is_read_only (self->store))
    show_start_error (self, _("The study is open read-only (another window or process has it): "
                              "rounds can be looked at but no mark can be saved."));
  open = refresh_rounds (self);
  show_page (self, "start");
  /* Carry on where the judge left off. */
  if (open != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "judging.open-round", "x", open);

  return self;
}

/**
 * lk_judging_window_new:
 * @application: the application
 * @study_path: the study, opened here for writing
 * @error: return location for a #GError (the study is missing, damaged or open elsewhere)
 *
 * Returns: (transfer full) (nullable): the window, resuming the newest unfinished round if
 *   there is one
 */
LkJudgingWindow *
lk_judging_window_new (GtkApplication  *application,
                       const char      *study_path,
                       GError         **error)
{
  LkStore *store = lk_store_open (study_path, LK_STORE_OPEN_DEFAULT, error);
  LkJudgingWindow *self;

  if (store == NULL)
    return NULL;
  self = g_object_new (LK_TYPE_JUDGING_WINDOW, "application", application, NULL);
  self->store = store;

  return setup (self, study_path, error);
}

/**
 * lk_judging_window_new_for_store:
 * @application: the application
 * @study_path: the study's file
 * @store: (transfer none): the study, already open (the study's one writable handle)
 * @store_owner: the object that owns @store and closes it only when finalized; the window
 *   holds a reference on it
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the window
 */
LkJudgingWindow *
lk_judging_window_new_for_store (GtkApplication  *application,
                                 const char      *study_path,
                                 LkStore         *store,
                                 GObject         *store_owner,
                                 GError         **error)
{
  LkJudgingWindow *self;

  g_return_val_if_fail (store != NULL && G_IS_OBJECT (store_owner), NULL);

  self = g_object_new (LK_TYPE_JUDGING_WINDOW, "application", application, NULL);
  self->store = store;
  self->store_owner = g_object_ref (store_owner);

  return setup (self, study_path, error);
}

gboolean
lk_judging_window_is_busy (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), FALSE);

  return self->busy;
}

/**
 * lk_judging_window_get_page:
 *
 * Returns: "start", "loading", "judge" or "scores"
 */
const char *
lk_judging_window_get_page (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * lk_judging_window_get_error:
 *
 * Returns: (nullable): the error shown on the start page, if any
 */
const char *
lk_judging_window_get_error (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->start_error))
         ? gtk_label_get_text (self->start_error) : NULL;
}

const LkJudgingRound *
lk_judging_window_get_round (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return self->round;
}

guint
lk_judging_window_get_seed_index (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), 0);

  return self->seed;
}

/**
 * lk_judging_window_get_neighbour:
 * @position: a display position on the current seed
 *
 * Returns: (transfer none) (nullable): that neighbour's GtkFlowBoxChild
 */
GtkWidget *
lk_judging_window_get_neighbour (LkJudgingWindow *self,
                                 guint            position)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return position < self->cells->len ? g_array_index (self->cells, Cell, position).child : NULL;
}

/**
 * lk_judging_window_get_key_controller:
 *
 * Returns: (transfer none): the controller that handles the marking keys
 */
GtkEventController *
lk_judging_window_get_key_controller (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return self->keys;
}

const char *
lk_judging_window_get_success_text (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_label_get_text (self->success_label);
}

const char *
lk_judging_window_get_avg_diff_text (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_label_get_text (self->avg_diff_label);
}

/**
 * lk_judging_window_export:
 * @path: the file to write
 * @json: %TRUE for JSON with the scores, %FALSE for CSV
 * @error: return location for a #GError
 *
 * Exports the current round (what the Export menu does once a file is chosen).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_judging_window_export (LkJudgingWindow  *self,
                          const char       *path,
                          gboolean          json,
                          GError          **error)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), FALSE);
  g_return_val_if_fail (self->round != NULL, FALSE);

  return json ? lk_judgements_export_json (self->store, self->round->id, path, error)
              : lk_judgements_export_csv (self->store, self->round->id, path, error);
}

/**
 * lk_judging_window_save_screenshot:
 * @path: a PNG file
 *
 * Saves the window once it is drawn and its pictures are in, then closes it.
 */
void
lk_judging_window_save_screenshot (LkJudgingWindow *self,
                                   const char      *path)
{
  g_return_if_fail (LK_IS_JUDGING_WINDOW (self));

  /* Thumbnails and the seed's decode come in over a few frames. */
  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 30);
}
