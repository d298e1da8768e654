/* lk-known-answers.c — a study's known answers, opened from the study overview
 *
 * One row per known answer (lk-gold.c): its name, use and source, and its images as small
 * thumbnails grouped by the bin the known answer puts them in (left-out images last). A row's
 * Remove button removes it, with Undo in a toast (the grid is added back as it was, under a new
 * id); a known answer some participant was shown stays, and a dialog says why. "Import from
 * CSV…" (Ctrl+O) adds the known answers of a CSV through lk_gold_import_csv(): all or none,
 * those already in the study left as they are; a bad file is named with its line in a dialog.
 * Every write goes through the study's own handle, on the main thread, as the overview's
 * settings do. A lab study's overview shows a private copy of the study, where a change would
 * be lost: the list is then read only. "changed" is emitted after every change, for the
 * overview's count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-known-answers.h"
#include "lk-gold.h"
#include "lk-pointer-probe.h"

/* The edge of a thumbnail in the list, in pixels. */
#define THUMBNAIL_SIZE 48

struct _LkKnownAnswers
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  GtkListBox      *list_box;

  /* Owned references */
  LkStudy         *study;
  LkGoldGrid      *removed;       /* the grid removed last, for Undo; NULL when none */
  GArray          *ids;           /* gint64: the rows' known answers, in order */
  GArray          *n_thumbnails;  /* guint: each row's thumbnails */

  /* State */
  gboolean         editable;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LkKnownAnswers, lk_known_answers, ADW_TYPE_WINDOW)

static void
show_error (LkKnownAnswers *self,
            const char     *heading,
            const char     *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_actions (LkKnownAnswers *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "known.import", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "known.remove", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "known.undo-remove",
                                 self->editable && self->removed != NULL);
}

/* Returns a thumbnail of @item, with its name as tooltip. */
static GtkWidget *
make_thumbnail (LkKnownAnswers *self,
                guint           item)
{
  LkImageSource *source = LK_IMAGE_SOURCE (self->study);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *title = NULL;
  GtkWidget *picture;

  if (item < lk_image_source_get_n_items (source))
    {
      texture = lk_image_source_dup_texture_at_size (source, item, THUMBNAIL_SIZE);
      title = lk_image_source_dup_title (source, item);
    }
  if (texture != NULL)
    {
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
    }
  else
    picture = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_set_tooltip_text (picture, title);

  return picture;
}

/* Returns a row for @grid: a heading with the Remove button, then a line per group. */
static GtkWidget *
make_row (LkKnownAnswers   *self,
          const LkGoldGrid *grid,
          guint            *n_thumbnails)
{
  guint n = lk_query_get_n_items (grid->answer), n_groups = 0;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (grid->name);
  GtkWidget *subtitle, *remove;
  g_autofree char *details = NULL;
  g_autofree char *groups = NULL;
  g_autofree char *label = NULL;
  g_autofree char *probe_name = NULL;
  const char *source;

  *n_thumbnails = 0;
  for (guint b = 0; b < grid->nc; b++)
    for (guint i = 0; i < n; i++)
      if (lk_query_get_bin (grid->answer, i) == (gint) b)
        {
          n_groups++;
          break;
        }
  if (g_str_equal (grid->source, "curator"))
    source = _("sorted in Sort Grids Yourself");
  else if (g_str_has_prefix (grid->source, "import:"))
    source = _("imported");
  else
    source = grid->source;
  groups = g_strdup_printf (ngettext ("%u image in %u groups", "%u images in %u groups", n), n,
                            n_groups);
  /* Translators: "exam" or "training page", then "8 images in 3 groups", then where it came
   * from */
  details = g_strdup_printf (_("%s · %s · %s"),
                             grid->use == LK_GOLD_USE_TRAINING ? _("Training page") : _("Exam"),
                             groups, source);
  subtitle = gtk_label_new (details);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (titles), title);
  gtk_box_append (GTK_BOX (titles), subtitle);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: %s is a known answer's name */
  label = g_strdup_printf (_("Remove “%s”"), grid->name);
  gtk_widget_set_tooltip_text (remove, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "known.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "x", grid->id);
  /* For the real-pointer test (lk-pointer-probe.c): the Remove button by its known answer's id. */
  probe_name = g_strdup_printf ("remove-%" G_GINT64_FORMAT, grid->id);
  gtk_widget_set_name (remove, probe_name);
  gtk_box_append (GTK_BOX (head), titles);
  gtk_box_append (GTK_BOX (head), remove);
  gtk_box_append (GTK_BOX (box), head);

  /* One line per group, in bin order, and the images left out last. */
  for (gint b = 0; b <= (gint) grid->nc; b++)
    {
      gint bin = b < (gint) grid->nc ? b : LK_BIN_LEFT_OUT;
      GtkWidget *line = NULL, *flow = NULL;

      for (guint i = 0; i < n; i++)
        {
          if (lk_query_get_bin (grid->answer, i) != bin)
            continue;
          if (line == NULL)
            {
              guint n_in_group = 0;
              g_autofree char *name = bin == LK_BIN_LEFT_OUT ? g_strdup (_("Left out"))
                                      /* Translators: a group of a known answer, from 1 */
                                      : g_strdup_printf (_("Group %d"), bin + 1);
              GtkWidget *group = gtk_label_new (name);

              line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
              gtk_label_set_xalign (GTK_LABEL (group), 0);
              gtk_label_set_width_chars (GTK_LABEL (group), 9);
              gtk_widget_set_valign (group, GTK_ALIGN_START);
              gtk_widget_set_margin_top (group, 19);
              gtk_widget_add_css_class (group, "caption-heading");
              flow = gtk_flow_box_new ();
              gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
              gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 16);
              gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 4);
              gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 4);
              /* A group's thumbnails side by side from the left (up to eight on a line
               * before they wrap), not spread over the row. */
              for (guint j = i; j < n; j++)
                n_in_group += lk_query_get_bin (grid->answer, j) == bin;
              gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), MIN (n_in_group, 8));
              gtk_widget_set_halign (flow, GTK_ALIGN_START);
              gtk_widget_set_hexpand (flow, TRUE);
              gtk_widget_set_can_focus (flow, FALSE);
              gtk_box_append (GTK_BOX (line), group);
              gtk_box_append (GTK_BOX (line), flow);
              gtk_box_append (GTK_BOX (box), line);
            }
          gtk_flow_box_append (GTK_FLOW_BOX (flow),
                               make_thumbnail (self, lk_query_get_item (grid->answer, i)));
          (*n_thumbnails)++;
        }
    }

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

/* Reads the known answers from the study again and shows them. */
static void
reload (LkKnownAnswers *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_array_set_size (self->ids, 0);
  g_array_set_size (self->n_thumbnails, 0);

  grids = lk_gold_list (lk_study_get_store (self->study), &error);
  if (grids == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("The Known Answers Could Not Be Read"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint g = 0; g < grids->len; g++)
    {
      const LkGoldGrid *grid = g_ptr_array_index (grids, g);
      guint n_thumbnails;

      gtk_list_box_append (self->list_box, make_row (self, grid, &n_thumbnails));
      g_array_append_val (self->ids, grid->id);
      g_array_append_val (self->n_thumbnails, n_thumbnails);
    }
  gtk_stack_set_visible_child_name (self->stack, grids->len > 0 ? "list" : "empty");
}

static void
changed (LkKnownAnswers *self)
{
  reload (self);
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkKnownAnswers *self = LK_KNOWN_ANSWERS (widget);
  LkStore *store = lk_study_get_store (self->study);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkGoldGrid) grid = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (!self->editable)
    return;
  grid = lk_gold_get (store, id, &error);
  if (grid == NULL || !lk_gold_remove (store, id, &error))
    {
      show_error (self, _("Could Not Remove the Known Answer"), error->message);
      return;
    }
  g_clear_pointer (&self->removed, lk_gold_grid_free);
  /* Translators: %s is a known answer's name */
  text = g_strdup_printf (_("“%s” removed"), grid->name);
  self->removed = g_steal_pointer (&grid);
  changed (self);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "known.undo-remove");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LkKnownAnswers *self = LK_KNOWN_ANSWERS (widget);
  LkGoldGrid *grid = self->removed;
  g_autoptr(GError) error = NULL;

  if (grid == NULL || !self->editable)
    return;
  if (lk_gold_add (lk_study_get_store (self->study), grid->name, grid->use, grid->instructions,
                   grid->source, grid->answer, grid->nc, &error) == 0)
    {
      show_error (self, _("Could Not Undo"), error->message);
      return;
    }
  g_clear_pointer (&self->removed, lk_gold_grid_free);
  changed (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("The known answer is back")));
}

static void
import_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(LkKnownAnswers) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL && (path = g_file_get_path (file)) == NULL)
    {
      show_error (self, _("Could Not Import the Known Answers"),
                  _("The file chosen is not on a local disk; copy it to a folder here first."));
      return;
    }
  if (path != NULL)
    lk_known_answers_import (self, path);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkKnownAnswers *self = LK_KNOWN_ANSWERS (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (!self->editable)
    return;
  dialog = gtk_file_chooser_native_new (_("Import Known Answers"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("CSV table"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
lk_known_answers_dispose (GObject *object)
{
  LkKnownAnswers *self = (LkKnownAnswers *)object;

  g_clear_object (&self->study);
  g_clear_pointer (&self->removed, lk_gold_grid_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->n_thumbnails, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_KNOWN_ANSWERS);

  G_OBJECT_CLASS (lk_known_answers_parent_class)->dispose (object);
}

static void
lk_known_answers_class_init (LkKnownAnswersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_known_answers_dispose;

  /**
   * LkKnownAnswers::changed:
   *
   * A known answer was removed, added back or imported.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "known.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "known.remove", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "known.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "known.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/study/lk-known-answers.ui");
  gtk_widget_class_bind_template_child (widget_class, LkKnownAnswers, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkKnownAnswers, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkKnownAnswers, stack);
  gtk_widget_class_bind_template_child (widget_class, LkKnownAnswers, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LkKnownAnswers, list_box);
}

static void
lk_known_answers_init (LkKnownAnswers *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lk_pointer_probe_watch_window (GTK_WINDOW (self), "known-answers", NULL);
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->n_thumbnails = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * lk_known_answers_new:
 * @parent: (nullable): the overview's window
 * @study: the study, open for writing when @editable
 * @editable: whether known answers can be removed and imported here
 *
 * Returns: (transfer none): the window (owned by GTK, as toplevels are)
 */
LkKnownAnswers *
lk_known_answers_new (GtkWindow *parent,
                      LkStudy   *study,
                      gboolean   editable)
{
  g_autofree char *title = NULL;
  LkKnownAnswers *self;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);

  self = g_object_new (LK_TYPE_KNOWN_ANSWERS, "transient-for", parent, "destroy-with-parent", TRUE,
                       NULL);
  self->study = g_object_ref (study);
  self->editable = editable && !lk_store_is_read_only (lk_study_get_store (study));
  title = g_path_get_basename (lk_study_get_path (study));
  adw_window_title_set_subtitle (self->window_title,
                                 self->editable ? title
                                 : _("Read only: a lab study is shown from a copy, where "
                                     "changes would be lost"));
  reload (self);
  update_actions (self);

  return self;
}

/**
 * lk_known_answers_import:
 * @path: a CSV of known answers (lk-gold.c)
 *
 * Imports it; a toast says how many were added, a dialog why none were.
 */
void
lk_known_answers_import (LkKnownAnswers *self,
                         const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint added = 0, present = 0;

  g_return_if_fail (LK_IS_KNOWN_ANSWERS (self));
  g_return_if_fail (path != NULL);

  if (!self->editable)
    return;
  if (!lk_gold_import_csv (lk_study_get_store (self->study), path, &added, &present, &error))
    {
      show_error (self, _("Could Not Import the Known Answers"), error->message);
      return;
    }
  /* Translators: known answers added from a CSV, then those the study had already */
  text = g_strdup_printf (ngettext ("%u known answer added, %u already present",
                                    "%u known answers added, %u already present", added),
                          added, present);
  changed (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/**
 * lk_known_answers_get_n_grids:
 *
 * Returns: the rows shown
 */
guint
lk_known_answers_get_n_grids (LkKnownAnswers *self)
{
  g_return_val_if_fail (LK_IS_KNOWN_ANSWERS (self), 0);

  return self->ids->len;
}

/**
 * lk_known_answers_get_n_thumbnails:
 * @index: a row, from 0
 *
 * Returns: the thumbnails the row shows
 */
guint
lk_known_answers_get_n_thumbnails (LkKnownAnswers *self,
                                   guint           index)
{
  g_return_val_if_fail (LK_IS_KNOWN_ANSWERS (self), 0);
  g_return_val_if_fail (index < self->n_thumbnails->len, 0);

  return g_array_index (self->n_thumbnails, guint, index);
}

/**
 * lk_known_answers_get_id:
 * @index: a row, from 0
 *
 * Returns: the id of the row's known answer
 */
gint64
lk_known_answers_get_id (LkKnownAnswers *self,
                         guint           index)
{
  g_return_val_if_fail (LK_IS_KNOWN_ANSWERS (self), 0);
  g_return_val_if_fail (index < self->ids->len, 0);

  return g_array_index (self->ids, gint64, index);
}
