/* lk-study-overview.c — an open study at a glance, and what the experimenter can do with it
 *
 * Opening a study (from the recent list, Open or Create) shows this page rather than starting a
 * session: the counts read from the file, the participants with their pilot flags, the
 * session settings, and the actions (among them "Send Grids to a Crowd Platform…",
 * lk-crowd-send.c, whose batch is written on a worker thread; "Known Answers", the study's gold
 * grids in a window of their own, lk-known-answers.c). The counts are read on a worker
 * thread with a read-only connection of its own, so a large study never holds up the window;
 * the page keeps the
 * LkStudy (and with it the study's writer lock) for the session it may start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lk-browser-window.h"
#include "lk-crowd-send.h"
#include "lk-export.h"
#include "lk-gold.h"
#include "lk-judging-window.h"
#include "lk-known-answers.h"
#include "lk-pointer-probe.h"
#include "lk-save-dialog.h"
#include "lk-scores-summary.h"
#include "lk-start-page.h"
#include "lk-study-overview-private.h"
#include "lk-study-scores.h"

#ifdef LK_HAVE_LAB
#include "lk-lab-run.h"
#endif
#include "lk-study-settings-window.h"

/* How many participants the page lists before "and N more". */
#define MAX_PARTICIPANT_ROWS 12

struct _LkStudyOverview
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkLabel            *finished_label;
  AdwEntryRow         *participant_row;
  GtkSwitch           *pilot_switch;
  GtkButton           *start_button;
  GtkSpinner          *preparing_spinner;
  AdwActionRow        *start_row;
  GtkWidget           *experimenter_button;
  AdwActionRow        *images_row;
  AdwActionRow        *answers_row;
  GtkLevelBar         *budget_bar;
  AdwActionRow        *phases_row;
  AdwActionRow        *scores_row;
  AdwActionRow        *participants_row;
  AdwActionRow        *gold_row;
  AdwPreferencesGroup *participants_group;
  GtkWidget           *edit_settings_button;
  AdwActionRow        *grid_row;
  AdwActionRow        *length_row;
  AdwActionRow        *consent_row;
  AdwActionRow        *breaks_row;
  AdwActionRow        *practice_row;
  AdwActionRow        *plan_row;
  AdwActionRow        *rule_row;
  AdwActionRow        *passphrase_row;
  AdwActionRow        *sorting_row;
  AdwActionRow        *checks_row;
  AdwActionRow        *exam_row;
  AdwActionRow        *choice5_row;

  /* Owned references */
  LkStudy             *study;
  GCancellable        *loading;        /* the counts being read; NULL when read */
  GCancellable        *exporting;      /* an export under way */
  GPtrArray           *participant_rows;  /* borrowed, in participants_group */
  char                *probe_line;     /* the centres printed last (lk-pointer-probe.c) */
  guint                probe_serial;   /* and how many lines were printed */
  LkSessionSettings   *undo_settings;  /* the settings before the last save; NULL after Undo */
  GtkWindow           *settings_window;  /* weak: the settings being edited */
  GtkWindow           *gold_window;    /* weak: the known answers shown */

  /* State */
  gboolean             loaded;
  gboolean             finished;
  gboolean             probe;
  gboolean             preparing;
};

G_DEFINE_FINAL_TYPE (LkStudyOverview, lk_study_overview, ADW_TYPE_BIN)

enum {
  SIGNAL_START_SESSION,
  SIGNAL_BACK,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static const LkSaveType csv_type[] = {
  { N_("CSV table"), "*.csv", "text/csv", ".csv" },
};

/* What the worker reads from the study file. */
typedef struct {
  char          *path;
  LkStoreCounts  counts;
  guint          budget;
  guint          phases;
  GArray        *participants;   /* LkStoreParticipant */
  char          *scores;         /* the scores' summary (lk-scores-summary.c), or why none */
} Summary;

static void
summary_free (Summary *summary)
{
  g_free (summary->path);
  g_clear_pointer (&summary->participants, g_array_unref);
  g_free (summary->scores);
  g_free (summary);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Summary, summary_free)

static void
summary_job (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Summary *summary = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (summary->path, LK_STORE_OPEN_READ_ONLY, &error);

  if (store == NULL || !lk_store_get_counts (store, &summary->counts, &error)
      || (summary->participants = lk_store_list_participants (store, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  summary->budget = lk_store_get_params (store)->budget;
  summary->phases = lk_store_get_params (store)->phases;
  /* The trials' scores, on the same read-only connection; a failure is shown in their row. */
  {
    g_autoptr(JsonNode) scores = lk_study_scores_compute (store, NULL, &error);

    /* Translators: the reason comes from the study file's store */
    summary->scores = scores != NULL ? lk_scores_dup_summary (scores)
                                     : g_strdup_printf (_("The scores could not be computed: %s"),
                                                        error->message);
  }
  g_task_return_boolean (task, TRUE);
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text);
}

/* The connection URI of a lab study (whose LkStudy is a private copy pulled when it was
 * opened), or NULL for a study file. */
static const char *
lab_uri (LkStudyOverview *self)
{
#ifdef LK_HAVE_LAB
  return self->study != NULL ? lk_lab_study_get_uri (self->study) : NULL;
#else
  return NULL;
#endif
}

static void
update_actions (LkStudyOverview *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GApplication *app = g_application_get_default ();
  gboolean has_views = app != NULL && g_action_group_has_action (G_ACTION_GROUP (app),
                                                                 "experimenter-study");

  /* While a crowd batch is written the worker has the study's handle: nothing here writes. */
  gboolean writing = self->exporting != NULL
                     && g_object_get_data (G_OBJECT (self->exporting), "lk-crowd") != NULL;

  gtk_widget_action_set_enabled (widget, "overview.start",
                                 self->study != NULL && self->loaded && !self->finished
                                 && !writing);
  gtk_widget_action_set_enabled (widget, "overview.browse", self->study != NULL);
  gtk_widget_action_set_enabled (widget, "overview.judge", self->study != NULL && !writing);
  /* A lab study's settings live in its database, which every station reads; the overview
   * shows a copy, and a change made to it would be lost. */
  gtk_widget_action_set_enabled (widget, "overview.edit-settings",
                                 self->study != NULL && !self->preparing && !writing
                                 && lab_uri (self) == NULL);
  gtk_widget_set_tooltip_text (self->edit_settings_button,
                               lab_uri (self) == NULL ? NULL
                               : _("A lab study’s settings are changed on its server, for every "
                                   "station: likeness-cli settings URI --set KEY=VALUE"));
  gtk_widget_action_set_enabled (widget, "overview.undo-settings",
                                 self->study != NULL && !self->preparing && !writing
                                 && self->undo_settings != NULL);
  gtk_widget_action_set_enabled (widget, "overview.export",
                                 self->study != NULL && self->exporting == NULL);
  gtk_widget_action_set_enabled (widget, "overview.crowd-send",
                                 self->study != NULL && self->exporting == NULL);
  gtk_widget_action_set_enabled (widget, "overview.gold", self->study != NULL && !writing);
  gtk_widget_action_set_enabled (widget, "overview.experimenter",
                                 self->study != NULL && has_views);
  gtk_widget_set_tooltip_text (self->experimenter_button,
                               has_views ? NULL
                               : _("This version of Likeness cannot show the experimenter’s "
                                   "views of a study file"));
}

static void
clear_participant_rows (LkStudyOverview *self)
{
  for (guint i = 0; i < self->participant_rows->len; i++)
    adw_preferences_group_remove (self->participants_group,
                                  g_ptr_array_index (self->participant_rows, i));
  g_ptr_array_set_size (self->participant_rows, 0);
}

static void
add_participant_row (LkStudyOverview *self,
                     const char      *title,
                     const char      *subtitle,
                     gboolean         pilot)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (pilot)
    {
      GtkWidget *badge = gtk_label_new (_("Pilot"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }
  adw_preferences_group_add (self->participants_group, row);
  g_ptr_array_add (self->participant_rows, row);
}

static void
show_summary (LkStudyOverview *self,
              const Summary   *summary)
{
  const LkStoreCounts *c = &summary->counts;
  guint n_pilot = 0, shown = 0;
  g_autofree char *answers = NULL;
  g_autofree char *phases = NULL;
  g_autofree char *people = NULL;
  g_autofree char *participants = NULL;
  g_autofree char *sessions = NULL;
  g_autofree char *images = NULL;

  self->finished = summary->budget > 0 && c->answers >= summary->budget;
  images = c->missing_images > 0
           ? g_strdup_printf (ngettext ("%u image, %u of them missing at the last import",
                                        "%u images, %u of them missing at the last import",
                                        c->images), c->images, c->missing_images)
           : g_strdup_printf (ngettext ("%u image", "%u images", c->images), c->images);
  /* Translators: answers of the study's budget of grids, then the share in per cent */
  answers = g_strdup_printf (_("%u of %u grids answered (%u %%)"), c->answers, summary->budget,
                             summary->budget > 0
                             ? (guint) MIN (100, (100.0 * c->answers) / summary->budget) : 0);
  /* The checks are in the budget, the exam's grids are not: both said, apart. */
  if (c->check_answers > 0)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("%s, %u of them a check (a grid shown "
                                                         "again or a catch grid)",
                                                         "%s, %u of them checks (grids shown "
                                                         "again or catch grids)",
                                                         c->check_answers),
                                               answers, c->check_answers);

      g_free (answers);
      answers = g_steal_pointer (&more);
    }
  if (c->exam_answers > 0)
    {
      /* Translators: "12 of 40 grids answered (30 %)", then the exam grids answered besides */
      g_autofree char *more = g_strdup_printf (ngettext ("%s (+ %u exam grid)",
                                                         "%s (+ %u exam grids)",
                                                         c->exam_answers),
                                               answers, c->exam_answers);

      g_free (answers);
      answers = g_steal_pointer (&more);
    }
  phases = g_strdup_printf (_("%u of %u phases done"), MIN (c->phases_done, summary->phases),
                            summary->phases);
  for (guint i = 0; i < summary->participants->len; i++)
    n_pilot += g_array_index (summary->participants, LkStoreParticipant, i).pilot ? 1 : 0;
  participants = g_strdup_printf (ngettext ("%u participant", "%u participants",
                                            c->participants), c->participants);
  sessions = g_strdup_printf (ngettext ("%u session", "%u sessions", c->sessions), c->sessions);
  /* Translators: "3 participants" in "4 sessions", and how many participants are pilots */
  people = g_strdup_printf (_("%s in %s, %u of them pilot"), participants, sessions, n_pilot);
  set_subtitle (self->images_row, images);
  set_subtitle (self->answers_row, answers);
  set_subtitle (self->phases_row, phases);
  set_subtitle (self->scores_row, summary->scores);
  set_subtitle (self->participants_row, people);
  gtk_level_bar_set_value (self->budget_bar,
                           summary->budget > 0 ? MIN (1.0, (double) c->answers / summary->budget)
                                               : 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->finished_label), self->finished);

  clear_participant_rows (self);
  for (guint i = 0; i < summary->participants->len && shown < MAX_PARTICIPANT_ROWS; i++, shown++)
    {
      const LkStoreParticipant *p = &g_array_index (summary->participants, LkStoreParticipant, i);
      g_autofree char *text = g_strdup_printf (ngettext ("%u answer", "%u answers", p->answers),
                                               p->answers);

      add_participant_row (self, p->code, text, p->pilot);
    }
  if (summary->participants->len > shown)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more"),
                                               summary->participants->len - shown);

      add_participant_row (self, more, NULL, FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->participants_group), summary->participants->len > 0);
}

static void
summary_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkStudyOverview) self = user_data;
  g_autoptr(GError) error = NULL;
  Summary *summary = g_task_get_task_data (G_TASK (result));

  /* A reload (or another study) since this read started has made it stale. */
  if (g_task_get_cancellable (G_TASK (result)) != self->loading)
    return;
  g_clear_object (&self->loading);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_subtitle (self->answers_row, error->message);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The study’s counts could not be read")));
      update_actions (self);
      return;
    }
  self->loaded = TRUE;
  show_summary (self, summary);
  update_actions (self);
}

/* Returns what the plan's training and exam blocks will show when the study has fewer known
 * answers than they ask for (none: no session starts), or NULL when they have enough. */
static char *
gold_notice (LkStudyOverview *self,
             const LkPlan    *plan)
{
  guint wanted[2] = { lk_plan_count_kind (plan, LK_TASK_TRAINING),
                      lk_plan_count_kind (plan, LK_TASK_EXAM) };
  guint counts[2];
  g_autoptr(GError) error = NULL;

  if (wanted[0] == 0 && wanted[1] == 0)
    return NULL;
  if (!lk_gold_count_uses (lk_study_get_store (self->study), counts, &error))
    /* Translators: the reason comes from the study file's store */
    return g_strdup_printf (_("its known answers could not be read (%s)"), error->message);
  if ((wanted[0] > 0 && counts[0] == 0) || (wanted[1] > 0 && counts[1] == 0))
    return g_strdup (_("no session starts: the study has no known answers for its training or "
                       "exam (likeness-cli gold --import)"));
  for (guint u = 0; u < 2; u++)
    /* A block asks for its count; two blocks of one kind each show the same grids. */
    for (guint b = 0; b < plan->n_blocks; b++)
      if (plan->blocks[b].kind == (u == 0 ? LK_TASK_TRAINING : LK_TASK_EXAM)
          && plan->blocks[b].count > counts[u])
        return u == 0
               ? g_strdup_printf (ngettext ("the study has %u known answer for training, so "
                                            "the training shows one page",
                                            "the study has %u known answers for training, so "
                                            "the training shows that many pages", counts[u]),
                                  counts[u])
               : g_strdup_printf (ngettext ("the study has %u known answer for the exam, so "
                                            "the exam shows one grid",
                                            "the study has %u known answers for the exam, so "
                                            "the exam shows that many grids", counts[u]),
                                  counts[u]);

  return NULL;
}

/* Shows the study's session plan, as `likeness-cli settings` writes it: the blocks of tasks a
 * participant does, in order. */
static void
show_plan (LkStudyOverview *self,
           const LkParams  *params)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *subtitle = NULL;
  LkPlan plan;

  if (!lk_store_load_session_settings (lk_study_get_store (self->study), &settings, &error) ||
      !lk_session_settings_get_plan (&settings, params, &plan, &error))
    {
      /* Translators: the reason comes from the study file's store */
      subtitle = g_strdup_printf (_("The plan could not be read (%s); sessions sort grids "
                                    "only"), error->message);
      set_subtitle (self->plan_row, subtitle);
      return;
    }
  text = lk_plan_to_string (&plan);
  /* Translators: the plan as blocks KIND:COUNT[:PRACTICE], e.g. sort:30,triplet:20 */
  subtitle = settings.plan != NULL ? g_strdup (text)
                                   : g_strdup_printf (_("%s (one sorting block, the default)"),
                                                      text);
  {
    g_autofree char *gold = gold_notice (self, &plan);

    if (gold != NULL)
      {
        g_autofree char *both = g_strdup_printf ("%s — %s", subtitle, gold);

        g_free (subtitle);
        subtitle = g_steal_pointer (&both);
      }
  }
  set_subtitle (self->plan_row, subtitle);
}

/* Shows the settings the session setup does not carry: the ways of sorting, the checks, the
 * exam's pass mark and the forced choices' candidates. */
static void
show_more_settings (LkStudyOverview *self)
{
  g_auto(LkSessionSettings) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *sorting = NULL;
  g_autofree char *repeats = NULL;
  g_autofree char *catches = NULL;
  g_autofree char *checks = NULL;
  g_autofree char *exam = NULL;

  if (!lk_store_load_session_settings (lk_study_get_store (self->study), &s, &error))
    {
      /* Translators: the reason comes from the study file's store */
      g_autofree char *text = g_strdup_printf (_("The settings could not be read (%s)"),
                                               error->message);

      set_subtitle (self->sorting_row, text);
      set_subtitle (self->checks_row, text);
      set_subtitle (self->exam_row, text);
      set_subtitle (self->choice5_row, text);
      return;
    }

  if (s.group_names && s.palette)
    sorting = g_strdup (_("Participants name each group, and sort with a palette"));
  else if (s.group_names)
    sorting = g_strdup (_("Participants name each group they sort"));
  else if (s.palette)
    sorting = g_strdup (_("With a palette: a bin’s colour is picked, then images are clicked"));
  else
    sorting = g_strdup (_("Images are dragged or typed into bins; groups are not named"));
  /* A lab station keeps no group names (LkLabRun stores none), so its session view asks for
   * none: say so where the experimenter sees the setting, and where it is changed. */
  if (s.group_names && lab_uri (self) != NULL)
    {
      g_autofree char *lab = g_strdup_printf ("%s — %s", sorting,
                                              _("but not at lab stations, which cannot keep the "
                                                "names: their sessions sort without them "
                                                "(likeness-cli settings URI --set "
                                                "group-names=false turns it off)"));

      g_free (sorting);
      sorting = g_steal_pointer (&lab);
    }

  /* Translators: a share of each participant's grids, in per cent */
  repeats = s.repeat_share > 0 ? g_strdup_printf (_("%g %% of the grids shown again"),
                                                  s.repeat_share * 100)
                               : g_strdup (_("no grid shown again"));
  /* Translators: a share of each participant's grids, in per cent */
  catches = s.gold_share > 0 ? g_strdup_printf (_("%g %% catch grids"), s.gold_share * 100)
                             : g_strdup (_("no catch grids"));
  /* Translators: "5 % of the grids shown again", "no catch grids", then the thresholds: an
   * adjusted Rand index (-1 to 1) and a score (0 to 100) */
  checks = g_strdup_printf (_("%s, %s; flagged below a consistency of %g or a gold score of %g"),
                            repeats, catches, s.min_consistency, s.min_gold_score);
  /* Translators: the exam's pass mark, a score from 0 to 100 */
  exam = g_strdup_printf (_("%g of 100: below it, the session ends and the participant is not "
                            "qualified"), s.pass_mark);

  set_subtitle (self->sorting_row, sorting);
  set_subtitle (self->checks_row, checks);
  set_subtitle (self->exam_row, exam);
  set_subtitle (self->choice5_row, lk_study_settings_describe_choice5 (s.choice5_policy));
}

/* The settings a session gets, read from the study (cheap: a few rows of the open file). */
static void
show_settings (LkStudyOverview *self)
{
  LkSessionSetup setup;
  g_autofree char *passphrase = lk_study_dup_passphrase (self->study);
  g_autofree char *grid = NULL;
  g_autofree char *breaks = NULL;
  g_autofree char *practice = NULL;
  g_autofree char *consent = NULL;
  g_autofree char *length = NULL;
  const LkMethodType *method = lk_store_get_method (lk_study_get_store (self->study));

  lk_study_get_setup (self->study, &setup);
  /* Translators: images per grid, bins, and the method's short name (paper, random, triplet) */
  grid = g_strdup_printf (_("%u images a grid, %u bins, method %s, k = %u"),
                          setup.params.nq, setup.params.nc, method->name, setup.params.knn_k);
  breaks = setup.break_every > 0
           ? g_strdup_printf (ngettext ("A break after every grid", "A break after every %u grids",
                                        setup.break_every), setup.break_every)
           : g_strdup (_("No breaks"));
  practice = g_strdup_printf (ngettext ("%u practice grid, not recorded",
                                        "%u practice grids, not recorded", setup.n_practice),
                              setup.n_practice);
  if (setup.grids_per_participant > 0)
    /* Translators: a participant's grids, then the study's budget of grids */
    length = g_strdup_printf (ngettext ("%u grid each, of the study’s %u",
                                        "%u grids each, of the study’s %u",
                                        setup.grids_per_participant),
                              setup.grids_per_participant, setup.params.budget);
  else
    length = g_strdup (_("No limit: a session runs until the study’s budget is spent"));
  if (setup.consent != NULL)
    {
      consent = g_strdup (setup.consent);
      g_strdelimit (consent, "\n", ' ');
    }

  set_subtitle (self->grid_row, grid);
  set_subtitle (self->length_row, length);
  set_subtitle (self->consent_row, consent != NULL ? consent : _("No consent page"));
  set_subtitle (self->breaks_row, breaks);
  set_subtitle (self->practice_row, practice);
  set_subtitle (self->rule_row, setup.rule == LK_SORT_RULE_ALL_PLACED
                                ? _("Every image must be in a bin")
                                : _("Images may be left out; at least one in a bin"));
  set_subtitle (self->passphrase_row, passphrase != NULL && passphrase[0] != '\0'
                                      ? _("Set: leaving a session asks for it")
                                      : _("None: anyone can leave a session"));
  show_plan (self, &setup.params);
  show_more_settings (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);

  if (self->study != NULL && self->loaded && !self->finished)
    g_signal_emit (self, signals[SIGNAL_START_SESSION], 0, self->study);
}

static void
generate_code_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  g_autofree char *code = lk_start_page_generate_code ();

  gtk_editable_set_text (GTK_EDITABLE (self->participant_row), code);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
experimenter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);

  /* A lab study's views follow the database live, not the copy pulled when it was opened. */
  if (self->study != NULL)
    gtk_widget_activate_action (widget, "app.experimenter-study", "s",
                                lab_uri (self) != NULL ? lab_uri (self)
                                : lk_study_get_path (self->study));
}

static void
clear_undo (LkStudyOverview *self)
{
  if (self->undo_settings != NULL)
    {
      lk_session_settings_clear (self->undo_settings);
      g_clear_pointer (&self->undo_settings, g_free);
    }
}

/* Returns the study's session settings as stored now, or NULL with @error set. */
static LkSessionSettings *
dup_settings (LkStudyOverview  *self,
              GError          **error)
{
  g_autofree LkSessionSettings *settings = g_new0 (LkSessionSettings, 1);

  if (!lk_store_load_session_settings (lk_study_get_store (self->study), settings, error))
    {
      lk_session_settings_clear (settings);
      return NULL;
    }

  return g_steal_pointer (&settings);
}

static void
free_settings (gpointer settings)
{
  lk_session_settings_clear (settings);
  g_free (settings);
}

static void
settings_saved_cb (LkStudyOverview *self,
                   gpointer         window)
{
  AdwToast *toast = adw_toast_new (_("Session settings saved"));

  /* What Undo goes back to: the settings as they were when the window opened. */
  clear_undo (self);
  self->undo_settings = g_object_steal_data (window, "lk-settings-before");

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "overview.undo-settings");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  show_settings (self);
  update_actions (self);
}

static void
edit_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;
  LkSessionSettings *before;
  LkStudySettingsWindow *window;

  if (self->study == NULL || self->preparing)
    return;
  if (self->settings_window != NULL)
    {
      gtk_window_present (self->settings_window);
      return;
    }
  before = dup_settings (self, &error);
  if (before == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The session settings could not be read (%s); "
                                                 "close the study and open it again."),
                                               error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
      return;
    }
  window = lk_study_settings_window_new (self->study);
  g_object_set_data_full (G_OBJECT (window), "lk-settings-before", before, free_settings);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  g_signal_connect_object (window, "saved", G_CALLBACK (settings_saved_cb), self,
                           G_CONNECT_SWAPPED);
  self->settings_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->settings_window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
undo_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->study == NULL || self->undo_settings == NULL || self->preparing)
    return;
  if (!lk_study_set_session_settings (self->study, self->undo_settings, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The settings could not be put back (%s); "
                                                 "check that the study file can be written."),
                                               error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
      return;
    }
  clear_undo (self);
  show_settings (self);
  update_actions (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("The earlier session settings are back")));
}

/* Shows how many known answers the study has (a count on the study's own handle: cheap). */
static void
show_gold_count (LkStudyOverview *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  /* While a crowd batch is written the worker has the study's handle. */
  if (self->study == NULL || (self->exporting != NULL &&
                              g_object_get_data (G_OBJECT (self->exporting), "lk-crowd") != NULL))
    return;
  if (!lk_gold_count (lk_study_get_store (self->study), &n, &error))
    /* Translators: the reason comes from the study file's store */
    text = g_strdup_printf (_("The known answers could not be counted: %s"), error->message);
  else if (n == 0)
    text = g_strdup (_("None yet: keep a grid you sorted, or import them from a CSV file"));
  else
    text = g_strdup_printf (ngettext ("%u known answer, for training and the exam",
                                      "%u known answers, for training and the exam", n), n);
  set_subtitle (self->gold_row, text);
}

/* A lab study's overview holds a private copy of the study: known answers changed there would
 * be lost, so its list is read only. */
static void
gold_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  LkKnownAnswers *window;

  if (self->study == NULL)
    return;
  if (self->gold_window != NULL)
    {
      gtk_window_present (self->gold_window);
      return;
    }
  window = lk_known_answers_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->study,
                                 lab_uri (self) == NULL);
  g_signal_connect_object (window, "changed", G_CALLBACK (show_gold_count), self,
                           G_CONNECT_SWAPPED);
  self->gold_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->gold_window);
  gtk_window_present (GTK_WINDOW (window));
}

static GtkApplication *
get_application (LkStudyOverview *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
}

static void
toast_error (LkStudyOverview *self,
             const GError    *error)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* Shows @window, or when it could not be made (NULL), @error in a toast. */
static void
present_or_toast (LkStudyOverview *self,
                  GtkWindow       *window,
                  const GError    *error)
{
  if (window == NULL)
    toast_error (self, error);
  else
    gtk_window_present (window);
}

/* The browser opens the file itself; while this page holds the study's writer lock it falls
 * back to reading only (no cached descriptors, no grids sorted by the curator). */
static void
browse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  g_autoptr(GError) error = NULL;
  LkBrowserWindow *browser;

  if (self->study == NULL)
    return;
  browser = lk_browser_window_new (get_application (self), lk_study_get_path (self->study),
                                   &error);
  present_or_toast (self, GTK_WINDOW (browser), error);
}

/* Judging writes its marks through this page's own handle: the study has one writer. */
static void
judge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *judging;

  if (self->study == NULL)
    return;
  judging = lk_judging_window_new_for_store (get_application (self),
                                             lk_study_get_path (self->study),
                                             lk_study_get_store (self->study),
                                             G_OBJECT (self->study), &error);
  present_or_toast (self, GTK_WINDOW (judging), error);
}

static void
export_job (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  char **paths = task_data;   /* the study, the answers, the participants, the known answers */
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (paths[0], LK_STORE_OPEN_READ_ONLY, &error);

  if (store == NULL || !lk_export_answers_csv (store, paths[1], &error) ||
      !lk_export_participants_csv (store, paths[2], &error) ||
      !lk_export_gold_csv (store, paths[3], &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkStudyOverview) self = user_data;
  g_autoptr(GError) error = NULL;
  char **paths = g_task_get_task_data (G_TASK (result));
  gboolean done = g_task_propagate_boolean (G_TASK (result), &error);

  /* Cancelled when the page was disposed: its toast overlay is gone. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->exporting);
  if (!done)
    toast_error (self, error);
  else
    {
      g_autofree char *name = g_path_get_basename (paths[1]);
      /* Translators: %s is the name of the CSV file written */
      g_autofree char *text = g_strdup_printf (_("Answers exported to “%s”, the participants "
                                                 "and the known answers beside it"), name);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
  update_actions (self);
}

/**
 * lk_study_overview_dup_export_path:
 * @answers: the answers' CSV chosen
 * @what: "participants" or "gold"
 *
 * Returns: (transfer full): the file written beside @answers: "study-answers.csv" gives
 *   "study-participants.csv", any other "name.csv" gives "name-participants.csv"
 */
char *
lk_study_overview_dup_export_path (const char *answers,
                                   const char *what)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (answers != NULL && what != NULL, NULL);

  stem = g_str_has_suffix (answers, ".csv") ? g_strndup (answers, strlen (answers) - 4)
                                            : g_strdup (answers);
  if (g_str_has_suffix (stem, "-answers"))
    stem[strlen (stem) - strlen ("-answers")] = '\0';

  return g_strdup_printf ("%s-%s.csv", stem, what);
}

/**
 * lk_study_overview_export_answers:
 * @path: the CSV file to write
 *
 * Writes the study's tidy answers (one row per answer and image) to @path on a worker thread,
 * with a read-only connection of its own, and beside it the participants' quality figures and
 * the known answers (lk_study_overview_dup_export_path()); a toast says when it is done or why
 * it failed.
 */
void
lk_study_overview_export_answers (LkStudyOverview *self,
                                  const char      *path)
{
  g_autoptr(GTask) task = NULL;
  char **paths;

  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (self->study != NULL && self->exporting == NULL);

  paths = g_new0 (char *, 5);
  paths[0] = g_strdup (lk_study_get_path (self->study));
  paths[1] = g_strdup (path);
  paths[2] = lk_study_overview_dup_export_path (path, "participants");
  paths[3] = lk_study_overview_dup_export_path (path, "gold");
  self->exporting = g_cancellable_new ();
  task = g_task_new (self, self->exporting, export_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_study_overview_export_answers);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, export_job);
  update_actions (self);
}

static void
export_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(LkStudyOverview) self = user_data;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    path = lk_save_dialog_dup_path (dialog, csv_type, G_N_ELEMENTS (csv_type));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (path != NULL && self->study != NULL && self->exporting == NULL)
    lk_study_overview_export_answers (self, path);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->study == NULL)
    return;
  base = g_path_get_basename (lk_study_get_path (self->study));
  if (g_str_has_suffix (base, ".likeness"))
    base[strlen (base) - strlen (".likeness")] = '\0';
  name = g_strconcat (base, "-answers.csv", NULL);
  dialog = lk_save_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               _("Export the Answers"), _("_Export"), csv_type,
                               G_N_ELEMENTS (csv_type), name, G_CALLBACK (export_chosen_cb),
                               g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* A crowd batch being written: the study's own (writing) handle is the worker's alone until
 * it is done; the page's actions that write are disabled meanwhile (update_actions()). */
typedef struct {
  LkStore         *store;
  LkCrowdPlatform  platform;
  guint            n_grids;
  char            *base_url;
  char            *folder;
  LkCrowdExport    result;
} CrowdJob;

static void
crowd_job_free (gpointer data)
{
  CrowdJob *job = data;

  g_free (job->base_url);
  g_free (job->folder);
  g_free (job);
}

static void
crowd_job (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  CrowdJob *job = task_data;
  GError *error = NULL;

  if (!lk_crowd_export (job->store, job->platform, job->n_grids, job->base_url, job->folder,
                        &job->result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
crowd_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkStudyOverview) self = user_data;
  g_autoptr(GError) error = NULL;
  CrowdJob *job = g_task_get_task_data (G_TASK (result));
  gboolean done = g_task_propagate_boolean (G_TASK (result), &error);
  GtkRoot *root;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->exporting);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!done)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("Could Not Send the Grids"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      /* Translators: %u is a number of grids, %s the folder's name */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u grid written to “%s”",
                                                            "%u grids written to “%s”",
                                                            job->result.n_grids),
                                               job->result.n_grids, job->folder);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
  update_actions (self);
}

/**
 * lk_study_overview_send_to_crowd:
 * @platform: Toloka or Mechanical Turk
 * @n_grids: how many of the study's ready grids
 * @base_url: where the batch's images/ will be uploaded
 * @folder: a new or empty folder for the batch
 *
 * Writes a crowd batch (lk_crowd_export()) on a worker thread with the study's handle; a toast
 * says when it is done, a dialog why it failed.
 */
void
lk_study_overview_send_to_crowd (LkStudyOverview *self,
                                 LkCrowdPlatform  platform,
                                 guint            n_grids,
                                 const char      *base_url,
                                 const char      *folder)
{
  g_autoptr(GTask) task = NULL;
  CrowdJob *job;

  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));
  g_return_if_fail (base_url != NULL && folder != NULL);
  g_return_if_fail (self->study != NULL && self->exporting == NULL);

  job = g_new0 (CrowdJob, 1);
  job->store = lk_study_get_store (self->study);
  job->platform = platform;
  job->n_grids = n_grids;
  job->base_url = g_strdup (base_url);
  job->folder = g_strdup (folder);
  self->exporting = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->exporting), "lk-crowd", GINT_TO_POINTER (TRUE));
  task = g_task_new (self, self->exporting, crowd_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_study_overview_send_to_crowd);
  /* The study (and its handle) lives as long as the job. */
  g_object_set_data_full (G_OBJECT (task), "lk-study", g_object_ref (self->study), g_object_unref);
  g_task_set_task_data (task, job, crowd_job_free);
  g_task_run_in_thread (task, crowd_job);
  update_actions (self);
}

static void
crowd_chosen_cb (LkCrowdPlatform  platform,
                 guint            n_grids,
                 const char      *base_url,
                 const char      *folder,
                 gpointer         user_data)
{
  LkStudyOverview *self = user_data;

  if (self->study != NULL && self->exporting == NULL)
    lk_study_overview_send_to_crowd (self, platform, n_grids, base_url, folder);
}

static void
crowd_send_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (self->study == NULL)
    return;
  dialog = lk_crowd_send_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         crowd_chosen_cb, self);
  /* The dialog may outlive the page: it holds a reference to it. */
  g_object_set_data_full (G_OBJECT (dialog), "lk-overview", g_object_ref (self), g_object_unref);
}

/* With LIKENESS_PRINT_CENTRES set: after a painted frame, prints where the start button and
 * the Known Answers row are, when that changed: "centres SERIAL overview [busy] [finished]
 * start=X,Y known-answers=X,Y" ("busy" while the counts are read), for the tests that drive
 * the app with the real pointer and keys. */
static void
probe_after_paint_cb (LkStudyOverview *self,
                      GdkFrameClock   *clock)
{
  g_autoptr(GString) line = g_string_new ("overview");

  if (self->loading != NULL)
    g_string_append (line, " busy");
  if (self->finished)
    g_string_append (line, " finished");
  lk_pointer_probe_append_centre (line, "start", GTK_WIDGET (self->start_button));
  lk_pointer_probe_append_centre (line, "known-answers", GTK_WIDGET (self->gold_row));
  if (g_strcmp0 (line->str, self->probe_line) == 0)
    return;
  g_free (self->probe_line);
  self->probe_line = g_strdup (line->str);
  g_print ("centres %u %s\n", ++self->probe_serial, line->str);
  fflush (stdout);
}

static void
lk_study_overview_map (GtkWidget *widget)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);

  GTK_WIDGET_CLASS (lk_study_overview_parent_class)->map (widget);
  if (self->probe)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (probe_after_paint_cb), self, G_CONNECT_SWAPPED);
}

static void
lk_study_overview_unmap (GtkWidget *widget)
{
  LkStudyOverview *self = LK_STUDY_OVERVIEW (widget);

  if (self->probe)
    g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (widget),
                                          probe_after_paint_cb, self);
  g_clear_pointer (&self->probe_line, g_free);
  GTK_WIDGET_CLASS (lk_study_overview_parent_class)->unmap (widget);
}

static void
lk_study_overview_dispose (GObject *object)
{
  LkStudyOverview *self = (LkStudyOverview *)object;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_cancellable_cancel (self->exporting);
  g_clear_object (&self->exporting);
  if (self->settings_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->settings_window),
                                    (gpointer *) &self->settings_window);
      gtk_window_destroy (g_steal_pointer (&self->settings_window));
    }
  if (self->gold_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->gold_window),
                                    (gpointer *) &self->gold_window);
      gtk_window_destroy (g_steal_pointer (&self->gold_window));
    }
  clear_undo (self);
  g_clear_object (&self->study);
  g_clear_pointer (&self->participant_rows, g_ptr_array_unref);
  g_clear_pointer (&self->probe_line, g_free);
  /* The toast overlay is both a bound template child and AdwBin's child: let AdwBin drop it
   * first, or libadwaita 1.2 unparents it a second time after the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_STUDY_OVERVIEW);

  G_OBJECT_CLASS (lk_study_overview_parent_class)->dispose (object);
}

static void
lk_study_overview_class_init (LkStudyOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_study_overview_dispose;
  widget_class->map = lk_study_overview_map;
  widget_class->unmap = lk_study_overview_unmap;

  /**
   * LkStudyOverview::start-session:
   * @study: the study shown
   *
   * The experimenter asked for a participant's session on a study that still takes one.
   */
  signals[SIGNAL_START_SESSION] =
    g_signal_new ("start-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, LK_TYPE_STUDY);

  /**
   * LkStudyOverview::back:
   *
   * The experimenter is done with the study.
   */
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "overview.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "overview.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "overview.generate-code", NULL,
                                   generate_code_action);
  gtk_widget_class_install_action (widget_class, "overview.experimenter", NULL,
                                   experimenter_action);
  gtk_widget_class_install_action (widget_class, "overview.browse", NULL, browse_action);
  gtk_widget_class_install_action (widget_class, "overview.judge", NULL, judge_action);
  gtk_widget_class_install_action (widget_class, "overview.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "overview.crowd-send", NULL, crowd_send_action);
  gtk_widget_class_install_action (widget_class, "overview.gold", NULL, gold_action);
  gtk_widget_class_install_action (widget_class, "overview.edit-settings", NULL,
                                   edit_settings_action);
  gtk_widget_class_install_action (widget_class, "overview.undo-settings", NULL,
                                   undo_settings_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/study/lk-study-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, finished_label);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, participant_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, pilot_switch);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, start_button);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, preparing_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, start_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, experimenter_button);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, images_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, answers_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, budget_bar);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, phases_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, participants_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, gold_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, scores_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, participants_group);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, edit_settings_button);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, grid_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, length_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, consent_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, breaks_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, practice_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, plan_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, rule_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, sorting_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, checks_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, exam_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, choice5_row);
  gtk_widget_class_bind_template_child (widget_class, LkStudyOverview, passphrase_row);
}

static void
lk_study_overview_init (LkStudyOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->participant_rows = g_ptr_array_new ();
  self->probe = lk_pointer_probe_enabled ();
  update_actions (self);
}

GtkWidget *
lk_study_overview_new (void)
{
  return g_object_new (LK_TYPE_STUDY_OVERVIEW, NULL);
}

/**
 * lk_study_overview_get_study:
 *
 * Returns: (transfer none) (nullable): the study shown
 */
LkStudy *
lk_study_overview_get_study (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  return self->study;
}

/**
 * lk_study_overview_set_study:
 * @study: (nullable): the study to show, or %NULL to let it go (and its lock with it)
 *
 * Shows @study's settings at once and its counts once a worker has read them.
 */
void
lk_study_overview_set_study (LkStudyOverview *self,
                             LkStudy         *study)
{
  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));
  g_return_if_fail (study == NULL || LK_IS_STUDY (study));

  if (self->study != study)
    clear_undo (self);
  if (self->study != study && self->settings_window != NULL)
    gtk_window_destroy (self->settings_window);
  if (self->study != study && self->gold_window != NULL)
    gtk_window_destroy (self->gold_window);
  g_set_object (&self->study, study);
  if (study != NULL)
    {
      g_autofree char *name = g_path_get_basename (lk_study_get_path (study));
      g_autofree char *dir = g_path_get_dirname (lk_study_get_path (study));

      adw_window_title_set_title (self->window_title, name);
      adw_window_title_set_subtitle (self->window_title, dir);
      show_settings (self);
    }
  lk_study_overview_reload (self);
}

/**
 * lk_study_overview_get_participant_code:
 *
 * Returns: (transfer none): the next participant's code as typed; may be empty
 */
const char *
lk_study_overview_get_participant_code (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->participant_row));
}

/**
 * lk_study_overview_set_participant:
 * @code: (nullable): the next participant's code, or %NULL to empty the field
 * @pilot: whether they are a pilot participant
 */
void
lk_study_overview_set_participant (LkStudyOverview *self,
                                   const char      *code,
                                   gboolean         pilot)
{
  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->participant_row), code != NULL ? code : "");
  gtk_switch_set_active (self->pilot_switch, pilot);
}

/**
 * lk_study_overview_get_pilot:
 *
 * Returns: whether the next participant is a pilot
 */
gboolean
lk_study_overview_get_pilot (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), FALSE);

  return gtk_switch_get_active (self->pilot_switch);
}

/**
 * lk_study_overview_set_preparing:
 * @preparing: whether a session on the study is being prepared (the study replayed)
 *
 * Meanwhile a spinner and "Preparing…" take the start button's place.
 */
void
lk_study_overview_set_preparing (LkStudyOverview *self,
                                 gboolean         preparing)
{
  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));

  self->preparing = preparing;
  update_actions (self);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !preparing);
  gtk_widget_set_visible (GTK_WIDGET (self->preparing_spinner), preparing);
  gtk_spinner_set_spinning (self->preparing_spinner, preparing);
  adw_action_row_set_subtitle (self->start_row, preparing ? _("Preparing…")
                                                         : _("A code is made up when none is "
                                                             "typed"));
}

/**
 * lk_study_overview_reload:
 *
 * Reads the study's counts again (after a session, say) on a worker thread.
 */
void
lk_study_overview_reload (LkStudyOverview *self)
{
  g_autoptr(GTask) task = NULL;
  Summary *summary;

  g_return_if_fail (LK_IS_STUDY_OVERVIEW (self));

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loaded = FALSE;
  self->finished = FALSE;
  clear_participant_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->finished_label), FALSE);
  update_actions (self);
  if (self->study == NULL)
    return;

  show_gold_count (self);
  set_subtitle (self->answers_row, _("Reading the study…"));
  summary = g_new0 (Summary, 1);
  summary->path = g_strdup (lk_study_get_path (self->study));
  self->loading = g_cancellable_new ();
  task = g_task_new (self, self->loading, summary_ready_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_study_overview_reload);
  g_task_set_task_data (task, summary, (GDestroyNotify) summary_free);
  g_task_run_in_thread (task, summary_job);
}

/**
 * lk_study_overview_is_loading:
 *
 * Returns: %TRUE while the counts are being read
 */
gboolean
lk_study_overview_is_loading (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), FALSE);

  return self->loading != NULL;
}

/**
 * lk_study_overview_is_finished:
 *
 * Returns: %TRUE when the counts are read and the study's budget is spent
 */
gboolean
lk_study_overview_is_finished (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), FALSE);

  return self->finished;
}

/**
 * lk_study_overview_get_row_text:
 * @row: "images", "answers", "phases", "participants", "scores", "gold", "grid", "length", "breaks",
 *   "practice", "rule", "plan", "passphrase", "start", "sorting", "checks", "exam" or "choice5"
 *
 * Returns: (transfer none): the row's subtitle
 */
const char *
lk_study_overview_get_row_text (LkStudyOverview *self,
                                const char      *row)
{
  struct { const char *name; AdwActionRow *row; } rows[] = {
    { "images", self->images_row }, { "answers", self->answers_row },
    { "phases", self->phases_row }, { "participants", self->participants_row },
    { "scores", self->scores_row }, { "gold", self->gold_row },
    { "grid", self->grid_row }, { "length", self->length_row },
    { "breaks", self->breaks_row },
    { "practice", self->practice_row }, { "rule", self->rule_row },
    { "plan", self->plan_row },
    { "passphrase", self->passphrase_row }, { "start", self->start_row },
    { "sorting", self->sorting_row }, { "checks", self->checks_row },
    { "exam", self->exam_row }, { "choice5", self->choice5_row },
  };

  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].name, row))
      return adw_action_row_get_subtitle (rows[i].row);

  g_return_val_if_reached (NULL);
}

/**
 * lk_study_overview_get_n_participant_rows:
 *
 * Returns: how many rows the participants' list shows ("and N more" included)
 */
guint
lk_study_overview_get_n_participant_rows (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), 0);

  return self->participant_rows->len;
}

/**
 * lk_study_overview_get_button:
 * @button: "start", "experimenter" or "edit-settings"
 *
 * Returns: (transfer none): the button
 */
GtkWidget *
lk_study_overview_get_button (LkStudyOverview *self,
                              const char      *button)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  if (g_str_equal (button, "start"))
    return GTK_WIDGET (self->start_button);
  if (g_str_equal (button, "experimenter"))
    return self->experimenter_button;
  if (g_str_equal (button, "edit-settings"))
    return self->edit_settings_button;

  g_return_val_if_reached (NULL);
}

/**
 * lk_study_overview_is_exporting:
 *
 * Returns: %TRUE while an export started by lk_study_overview_export_answers() runs
 */
gboolean
lk_study_overview_is_exporting (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), FALSE);

  return self->exporting != NULL;
}

/**
 * lk_study_overview_get_settings_window:
 *
 * Returns: (transfer none) (nullable): the session settings being edited, if they are
 */
GtkWindow *
lk_study_overview_get_settings_window (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  return self->settings_window;
}

/**
 * lk_study_overview_get_known_answers:
 *
 * Returns: (transfer none) (nullable): the known answers' window, if it is open
 */
GtkWindow *
lk_study_overview_get_known_answers (LkStudyOverview *self)
{
  g_return_val_if_fail (LK_IS_STUDY_OVERVIEW (self), NULL);

  return self->gold_window;
}
