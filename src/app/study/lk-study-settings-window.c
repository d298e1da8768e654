/* lk-study-settings-window.c — editing a study's session settings from its overview
 *
 * The experimenter changes the settings a study's sessions get: grids per participant, practice
 * grids, breaks, the sorting rule, group names and the palette, the checks (repeated and catch
 * grids, the flags' thresholds), the exam's pass mark, the forced choices' candidates, the
 * session plan (checked as it is typed), the consent and instructions texts and the passphrase:
 * every key of `likeness-cli settings`. A number typed outside its field's range is refused with
 * the range, never clamped in silence. The window reads them from the study and writes them
 * back through lk_study_set_session_settings(), the same store call as `likeness-cli settings
 * --set`, after the core's rule
 * (lk_session_settings_validate()) has accepted them; each value goes through
 * lk_session_settings_set(), so the app and the command line read every key alike.
 *
 * It is opened only from the overview, which is shown only between sessions, and it is modal, so
 * no session starts while it is open: a running session never sees its settings change. Cancel
 * (or Escape) leaves the file as it was; after Save the overview offers Undo.
 *
 * Changing or removing a passphrase asks for the current one: the overview is open to whoever
 * sits at the machine once a session has been left, and the passphrase is what keeps a
 * participant from leaving study mode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-study-settings-window-private.h"
#include "lk-trial-draw.h"

struct _LkStudySettingsWindow
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkLabel             *error_label;
  AdwActionRow         *grids_row;
  GtkSpinButton        *grids_spin;
  GtkSpinButton        *practice_spin;
  GtkSpinButton        *breaks_spin;
  GtkSwitch            *all_placed_switch;
  GtkSwitch            *group_names_switch;
  GtkSwitch            *palette_switch;
  GtkSpinButton        *repeat_spin;
  GtkSpinButton        *gold_share_spin;
  GtkSpinButton        *pass_mark_spin;
  GtkSpinButton        *min_consistency_spin;
  GtkSpinButton        *min_gold_spin;
  AdwComboRow          *choice5_row;
  AdwEntryRow          *plan_row;
  GtkLabel             *plan_error_label;
  GtkTextView          *consent_view;
  GtkTextView          *instructions_view;
  AdwPreferencesGroup  *passphrase_group;
  GtkWidget            *current_row;
  GtkWidget            *new_row;
  GtkWidget            *repeat_row;
  GtkWidget            *remove_row;
  GtkSwitch            *remove_switch;

  /* Owned references */
  LkStudy              *study;
  char                 *error;       /* the last Save's complaint, as shown; NULL when none */

  /* State */
  LkSessionSettings     settings;    /* as read when the window opened */
};

G_DEFINE_FINAL_TYPE (LkStudySettingsWindow, lk_study_settings_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
show_error (LkStudySettingsWindow *self,
            const char            *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* Copies every setting of @from into @to, through their text as `settings --set` reads it. */
static void
copy_settings (LkSessionSettings       *to,
               const LkSessionSettings *from)
{
  const char *const *keys = lk_session_settings_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = lk_session_settings_dup (from, keys[i]);

      lk_session_settings_set (to, keys[i], value, NULL);
    }
}

/* Sets the setting @key from a spin button, read the way `settings --set` reads it; @scale
 * turns what is shown into the setting's value (a share is shown in per cent). A number typed
 * outside the field's range is refused with a message naming the field (@what) and its range,
 * rather than clamped by the spin button without a word. */
static gboolean
set_from_spin (LkStudySettingsWindow  *self,
               LkSessionSettings      *settings,
               const char             *key,
               GtkSpinButton          *spin,
               double                  scale,
               const char             *what)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  double lower = gtk_adjustment_get_lower (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  g_autoptr(GError) error = NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *end = NULL;
  double x;

  /* g_strtod() reads the decimal comma of the locale the spin button writes, and a point. */
  x = g_strtod (typed, &end);
  if (typed[0] == '\0' || *end != '\0' || !(x >= lower - 1e-9 && x <= upper + 1e-9))
    {
      g_autofree char *text = NULL;
      g_autofree char *low = g_strdup_printf ("%g", lower);
      g_autofree char *high = g_strdup_printf ("%g", upper);

      /* Translators: the field's title, its smallest and largest values, then what was typed */
      text = g_strdup_printf (_("“%s” takes a number from %s to %s, not “%s”: type one in that "
                                "range, then save again."), what, low, high, typed);
      show_error (self, text);
      return FALSE;
    }

  /* A number typed but not yet confirmed with Enter counts too. */
  gtk_spin_button_update (spin);
  x = gtk_spin_button_get_value (spin) * scale;
  /* A count in full ("%g" writes ten million as 1e+07, which a count does not parse). */
  if (!lk_session_settings_set (settings, key,
                                g_ascii_formatd (buffer, sizeof buffer,
                                                 gtk_spin_button_get_digits (spin) == 0
                                                 && scale == 1 ? "%.0f" : "%.6g", x),
                                &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_study_settings_describe_choice5:
 * @policy: (nullable): a `choice5-policy` value; %NULL for the default, "random"
 *
 * Returns: (transfer none): what the policy does, in a short translated sentence
 */
const char *
lk_study_settings_describe_choice5 (const char *policy)
{
  if (g_strcmp0 (policy, "pair") == 0)
    return _("One candidate is the image a participant paired with the query on a match page, "
             "four are drawn at random; all at random until the study has such a pair");
  if (g_strcmp0 (policy, "model-vs-model") == 0)
    return _("One candidate is the learned model’s nearest image, four are the colour "
             "descriptor’s nearest; all at random before the first phase");

  return _("The query and its five candidates are drawn at random");
}

/* Says under the forced-choice row what the policy chosen does. */
static void
choice5_selected_cb (LkStudySettingsWindow *self)
{
  guint i = adw_combo_row_get_selected (self->choice5_row);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->choice5_row),
                               lk_study_settings_describe_choice5 (
                                 i < g_strv_length ((char **) lk_trial_draw_choice5_policies)
                                 ? lk_trial_draw_choice5_policies[i] : NULL));
}

/* Fills @settings->passphrase from the passphrase rows; FALSE (with the message shown) when the
 * current passphrase is wrong or the new one was mistyped. */
static gboolean
read_passphrase (LkStudySettingsWindow *self,
                 LkSessionSettings     *settings)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->current_row));
  const char *fresh = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  gboolean removing = self->settings.passphrase != NULL
                      && gtk_switch_get_active (self->remove_switch);

  if (!removing && fresh[0] == '\0')
    {
      if (repeat[0] != '\0')
        {
          show_error (self, _("Only the repetition of a new passphrase is filled in: type the "
                              "new passphrase in both fields, or empty them to keep the "
                              "passphrase as it is."));
          return FALSE;
        }
      return TRUE;
    }
  if (self->settings.passphrase != NULL && g_strcmp0 (current, self->settings.passphrase) != 0)
    {
      show_error (self, current[0] == '\0'
                        ? _("Changing or removing the passphrase needs the current one: type it "
                            "under Current passphrase.")
                        : _("The current passphrase is not right, so it was not changed: type "
                            "the passphrase this study has now."));
      return FALSE;
    }
  if (removing)
    return lk_session_settings_set (settings, "passphrase", NULL, NULL);
  if (g_strcmp0 (fresh, repeat) != 0)
    {
      show_error (self, _("The new passphrase and its repetition differ: type the same "
                          "passphrase in both fields."));
      return FALSE;
    }

  return lk_session_settings_set (settings, "passphrase", fresh, NULL);
}

/* Shows under the plan row why @error's plan does not parse, or hides it (@error NULL). */
static void
show_plan_error (LkStudySettingsWindow *self,
                 const GError          *error)
{
  g_autofree char *text = NULL;

  if (error != NULL)
    /* Translators: the reason names the block and what is wrong with it */
    text = g_strdup_printf (_("This plan cannot be read: %s"), error->message);
  gtk_label_set_text (self->plan_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->plan_error_label), text != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->plan_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->plan_row), "error");
}

/* Checks the plan as it is typed, so that a mistake is shown where it is made. */
static void
plan_changed_cb (LkStudySettingsWindow *self)
{
  g_auto(LkSessionSettings) scratch = { 0 };
  g_autoptr(GError) error = NULL;

  lk_session_settings_init (&scratch);
  lk_session_settings_set (&scratch, "plan", gtk_editable_get_text (GTK_EDITABLE (self->plan_row)),
                           &error);
  show_plan_error (self, error);
}

/* Returns whether the plan of @settings fits the study (its images, its budget); otherwise
 * shows what to change. */
static gboolean
plan_fits (LkStudySettingsWindow   *self,
           const LkSessionSettings *settings,
           const LkParams          *params)
{
  g_autoptr(GError) error = NULL;
  LkStoreCounts counts;
  LkPlan plan;

  if (settings->plan == NULL)
    return TRUE;
  if (lk_session_settings_get_plan (settings, params, &plan, &error) &&
      lk_store_get_counts (lk_study_get_store (self->study), &counts, &error) &&
      lk_session_settings_check_plan (&plan, params, counts.images, &error))
    return TRUE;

  {
    g_autofree char *text = NULL;

    /* Translators: the reason says what to change */
    text = g_strdup_printf (_("The session plan does not fit this study: %s"), error->message);
    show_error (self, text);
  }

  return FALSE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkStudySettingsWindow *self = LK_STUDY_SETTINGS_WINDOW (widget);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *consent = dup_view_text (self->consent_view);
  g_autofree char *instructions = dup_view_text (self->instructions_view);
  LkSessionSetup setup;

  /* Every setting as read, so that one this window does not show survives a Save. */
  lk_session_settings_init (&settings);
  copy_settings (&settings, &self->settings);
  if (!set_from_spin (self, &settings, "grids-per-participant", self->grids_spin, 1,
                      _("Grids per participant"))
      || !set_from_spin (self, &settings, "practice-grids", self->practice_spin, 1,
                         _("Practice grids"))
      || !set_from_spin (self, &settings, "break-every", self->breaks_spin, 1, _("Break every"))
      || !set_from_spin (self, &settings, "repeat-share", self->repeat_spin, 0.01,
                         _("Grids shown again"))
      || !set_from_spin (self, &settings, "gold-share", self->gold_share_spin, 0.01,
                         _("Catch grids"))
      || !set_from_spin (self, &settings, "pass-mark", self->pass_mark_spin, 1,
                         _("Exam pass mark"))
      || !set_from_spin (self, &settings, "min-consistency", self->min_consistency_spin, 1,
                         _("Flag below consistency"))
      || !set_from_spin (self, &settings, "min-gold-score", self->min_gold_spin, 1,
                         _("Flag below gold score")))
    return;
  if (!lk_session_settings_set (&settings, "choice5-policy",
                                lk_trial_draw_choice5_policies[
                                  MIN (adw_combo_row_get_selected (self->choice5_row),
                                       g_strv_length ((char **) lk_trial_draw_choice5_policies)
                                       - 1)], &error)
      || !lk_session_settings_set (&settings, "all-placed",
                                   gtk_switch_get_active (self->all_placed_switch)
                                   ? "true" : "false", &error)
      || !lk_session_settings_set (&settings, "group-names",
                                   gtk_switch_get_active (self->group_names_switch)
                                   ? "true" : "false", &error)
      || !lk_session_settings_set (&settings, "palette",
                                   gtk_switch_get_active (self->palette_switch)
                                   ? "true" : "false", &error)
      || !lk_session_settings_set (&settings, "consent", consent, &error)
      || !lk_session_settings_set (&settings, "instructions", instructions, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (!lk_session_settings_set (&settings, "plan",
                                gtk_editable_get_text (GTK_EDITABLE (self->plan_row)), &error))
    {
      g_autofree char *text = NULL;

      show_plan_error (self, error);
      /* Translators: the reason names the block of the plan and what is wrong with it */
      text = g_strdup_printf (_("The session plan cannot be read: %s"), error->message);
      show_error (self, text);
      return;
    }
  if (!read_passphrase (self, &settings))
    return;

  lk_study_get_setup (self->study, &setup);
  if (!lk_session_settings_validate (&settings, &setup.params, NULL))
    {
      g_autofree char *text = NULL;

      /* Translators: the study's budget of grids */
      text = g_strdup_printf (_("A participant cannot sort more grids than the whole study has: "
                                "choose at most %u grids per participant (the study’s budget), "
                                "or 0 for no limit."), setup.params.budget);
      show_error (self, text);
      return;
    }
  if (!plan_fits (self, &settings, &setup.params))
    return;
  if (!lk_study_set_session_settings (self->study, &settings, &error))
    {
      g_autofree char *text = NULL;

      /* Translators: the reason comes from the study file's store */
      text = g_strdup_printf (_("The settings could not be written, and the study keeps its "
                                "old ones (%s). Check that the study file can be written, then "
                                "save again."), error->message);
      show_error (self, text);
      return;
    }

  show_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
remove_active_cb (LkStudySettingsWindow *self)
{
  gboolean removing = gtk_switch_get_active (self->remove_switch);

  gtk_widget_set_sensitive (self->new_row, !removing);
  gtk_widget_set_sensitive (self->repeat_row, !removing);
}

/* Fills the rows from the settings read. */
static void
show_settings (LkStudySettingsWindow *self)
{
  const LkSessionSettings *s = &self->settings;
  gboolean has_passphrase = s->passphrase != NULL;
  LkSessionSetup setup;
  g_autofree char *grids = NULL;

  lk_study_get_setup (self->study, &setup);
  /* Translators: the study's budget of grids */
  grids = g_strdup_printf (_("At most the study’s budget, %u; 0 for no limit"),
                           setup.params.budget);
  adw_action_row_set_subtitle (self->grids_row, grids);
  gtk_spin_button_set_value (self->grids_spin, s->grids_per_participant);
  gtk_spin_button_set_value (self->practice_spin, s->n_practice);
  gtk_spin_button_set_value (self->breaks_spin, s->break_every);
  gtk_switch_set_active (self->all_placed_switch, s->all_placed);
  gtk_switch_set_active (self->group_names_switch, s->group_names);
  gtk_switch_set_active (self->palette_switch, s->palette);
  gtk_spin_button_set_value (self->repeat_spin, s->repeat_share * 100);
  gtk_spin_button_set_value (self->gold_share_spin, s->gold_share * 100);
  gtk_spin_button_set_value (self->pass_mark_spin, s->pass_mark);
  gtk_spin_button_set_value (self->min_consistency_spin, s->min_consistency);
  gtk_spin_button_set_value (self->min_gold_spin, s->min_gold_score);
  for (guint i = 0; lk_trial_draw_choice5_policies[i] != NULL; i++)
    if (g_strcmp0 (lk_trial_draw_choice5_policies[i],
                   s->choice5_policy != NULL ? s->choice5_policy
                                             : lk_trial_draw_choice5_policies[0]) == 0)
      adw_combo_row_set_selected (self->choice5_row, i);
  choice5_selected_cb (self);
  gtk_editable_set_text (GTK_EDITABLE (self->plan_row), s->plan != NULL ? s->plan : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->consent_view),
                            s->consent != NULL ? s->consent : "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->instructions_view),
                            s->instructions != NULL ? s->instructions : "", -1);

  gtk_widget_set_visible (self->current_row, has_passphrase);
  gtk_widget_set_visible (self->remove_row, has_passphrase);
  adw_preferences_group_set_description (self->passphrase_group,
                                         has_passphrase
                                         ? _("Asked for whenever a session is left. Changing or "
                                             "removing it needs the current one.")
                                         : _("None is set: anyone can leave a session. Set one "
                                             "to keep participants in study mode."));
}

static void
lk_study_settings_window_dispose (GObject *object)
{
  LkStudySettingsWindow *self = (LkStudySettingsWindow *)object;

  g_clear_object (&self->study);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_STUDY_SETTINGS_WINDOW);

  G_OBJECT_CLASS (lk_study_settings_window_parent_class)->dispose (object);
}

static void
lk_study_settings_window_finalize (GObject *object)
{
  LkStudySettingsWindow *self = (LkStudySettingsWindow *)object;

  lk_session_settings_clear (&self->settings);
  g_free (self->error);

  G_OBJECT_CLASS (lk_study_settings_window_parent_class)->finalize (object);
}

static void
lk_study_settings_window_class_init (LkStudySettingsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_study_settings_window_dispose;
  object_class->finalize = lk_study_settings_window_finalize;

  /**
   * LkStudySettingsWindow::saved:
   *
   * The settings were written to the study file; the window closes next.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "settings.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "settings.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "settings.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "settings.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/study/lk-study-settings-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, grids_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, grids_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, practice_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, breaks_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, all_placed_switch);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, group_names_switch);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, palette_switch);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, repeat_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, gold_share_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, pass_mark_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, min_consistency_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, min_gold_spin);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, choice5_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, plan_error_label);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, consent_view);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, passphrase_group);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, current_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, new_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, remove_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudySettingsWindow, remove_switch);
}

static void
lk_study_settings_window_init (LkStudySettingsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lk_session_settings_init (&self->settings);
  g_signal_connect_swapped (self->remove_switch, "notify::active",
                            G_CALLBACK (remove_active_cb), self);
  g_signal_connect_swapped (self->plan_row, "changed", G_CALLBACK (plan_changed_cb), self);
  g_signal_connect_swapped (self->choice5_row, "notify::selected",
                            G_CALLBACK (choice5_selected_cb), self);
}

/**
 * lk_study_settings_window_new:
 * @study: an open study, between sessions
 *
 * Returns: (transfer full): a window showing @study's session settings, which writes them back
 *   on Save (and emits #LkStudySettingsWindow::saved) and leaves them alone on Cancel
 */
LkStudySettingsWindow *
lk_study_settings_window_new (LkStudy *study)
{
  LkStudySettingsWindow *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);

  self = g_object_new (LK_TYPE_STUDY_SETTINGS_WINDOW, NULL);
  self->study = g_object_ref (study);
  lk_session_settings_clear (&self->settings);
  if (!lk_store_load_session_settings (lk_study_get_store (study), &self->settings, &error))
    {
      g_autofree char *text = NULL;

      /* Translators: the reason comes from the study file's store */
      text = g_strdup_printf (_("The study’s settings could not be read, so the defaults are "
                                "shown (%s). Saving writes what is shown."), error->message);
      show_error (self, text);
    }
  show_settings (self);

  return self;
}

/**
 * lk_study_settings_window_get_error:
 *
 * Returns: (nullable): what the last Save complained of, as shown; %NULL when nothing
 */
const char *
lk_study_settings_window_get_error (LkStudySettingsWindow *self)
{
  g_return_val_if_fail (LK_IS_STUDY_SETTINGS_WINDOW (self), NULL);

  return self->error;
}

/**
 * lk_study_settings_window_get_plan_error:
 *
 * Returns: (nullable): what is shown under the plan row as it is typed; %NULL when hidden
 */
const char *
lk_study_settings_window_get_plan_error (LkStudySettingsWindow *self)
{
  g_return_val_if_fail (LK_IS_STUDY_SETTINGS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->plan_error_label)))
    return NULL;

  return gtk_label_get_text (self->plan_error_label);
}

/**
 * lk_study_settings_window_set_text:
 * @field: "grids", "practice", "breaks", "repeat-share", "gold-share", "pass-mark",
 *   "min-consistency", "min-gold" (typed into the spin button, not yet confirmed),
 *   "consent", "instructions", "current", "new", "repeat" or "plan"
 * @text: what to type there
 */
void
lk_study_settings_window_set_text (LkStudySettingsWindow *self,
                                   const char            *field,
                                   const char            *text)
{
  struct { const char *name; GtkWidget *widget; } fields[] = {
    { "grids", GTK_WIDGET (self->grids_spin) },
    { "practice", GTK_WIDGET (self->practice_spin) },
    { "breaks", GTK_WIDGET (self->breaks_spin) },
    { "repeat-share", GTK_WIDGET (self->repeat_spin) },
    { "gold-share", GTK_WIDGET (self->gold_share_spin) },
    { "pass-mark", GTK_WIDGET (self->pass_mark_spin) },
    { "min-consistency", GTK_WIDGET (self->min_consistency_spin) },
    { "min-gold", GTK_WIDGET (self->min_gold_spin) },
    { "consent", GTK_WIDGET (self->consent_view) },
    { "instructions", GTK_WIDGET (self->instructions_view) },
    { "current", self->current_row },
    { "new", self->new_row },
    { "repeat", self->repeat_row },
    { "plan", GTK_WIDGET (self->plan_row) },
  };

  g_return_if_fail (LK_IS_STUDY_SETTINGS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, field))
      {
        if (GTK_IS_TEXT_VIEW (fields[i].widget))
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (fields[i].widget)),
                                    text, -1);
        else
          gtk_editable_set_text (GTK_EDITABLE (fields[i].widget), text);
        return;
      }

  g_return_if_reached ();
}
