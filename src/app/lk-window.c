/* lk-window.c — the main window: start page, then a participant's session
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lk-create-page-private.h"
#include "lk-screenshot.h"
#include "lk-demo-collection.h"
#include "lk-memory-run.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-session-view.h"
#include "lk-start-page.h"
#include "lk-study-errors.h"
#include "lk-study-overview-private.h"
#include "lk-study-run.h"
#include "lk-study.h"
#include "lk-window-private.h"
#ifdef LK_HAVE_LAB
#include "lk-lab-connect.h"
#include "lk-lab-run.h"

static void connect_lab_cb (LkWindow    *self,
                            LkStartPage *page);
#endif

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  LkStartPage          *start_page;
  LkCreatePage         *create_page;
  LkStudyOverview      *overview;
  LkSessionView        *session_view;

  /* Owned references */
  GSettings            *settings;
  char                 *screenshot_path;
  char                 *passphrase;      /* to leave the session's study mode; NULL: none */
  AdwMessageDialog     *leave_dialog;    /* the confirmation while it is shown */
  GCancellable         *preparing;       /* a study's replay under way (lk_window_start_study) */
  LkStudy              *session_study;   /* the study of the session shown, for a rescue */

  /* State */
  gboolean              leave_confirmed;
  gboolean              dialog_page;     /* --page opens a dialog, which the screenshot shows */
  const char           *dialog_action;   /* the overview's action that opens it; NULL: lab */
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (LkWindow   *self,
       const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static gboolean
in_session (LkWindow *self)
{
  return lk_session_view_get_session (self->session_view) != NULL;
}

/* Shows @session, full screen in study mode. */
static void
show_session (LkWindow  *self,
              LkSession *session)
{
  self->leave_confirmed = FALSE;
  g_clear_pointer (&self->passphrase, g_free);
  lk_session_view_set_session (self->session_view, session);
  gtk_stack_set_visible_child_name (self->stack, "session");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave", TRUE);
  if (g_settings_get_boolean (self->settings, "study-mode") && self->screenshot_path == NULL)
    gtk_window_fullscreen (GTK_WINDOW (self));
}

/* Returns the next participant's code, typed on the overview, trimmed; an experimenter in a
 * hurry still gets a code to write down: one is made up (and shown there) when none is typed. */
static char *
dup_participant_code (LkWindow *self)
{
  g_autofree char *code = g_strstrip (g_strdup (lk_study_overview_get_participant_code (self->overview)));

  if (code[0] == '\0')
    {
      g_free (code);
      code = lk_start_page_generate_code ();
      lk_study_overview_set_participant (self->overview, code,
                                         lk_study_overview_get_pilot (self->overview));
    }

  return g_steal_pointer (&code);
}

/* The demos keep nothing: their participant gets a made-up code. */
static void
start_demo_cb (LkWindow    *self,
               const char  *name,
               LkStartPage *page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = lk_start_page_generate_code ();

  if (!lk_window_start_demo (self, name, code, FALSE, &error))
    toast (self, error->message);
}

static void confirm_leave (LkWindow *self);

/* Finish on the thank-you, declined-consent or study-complete page leaves study mode like any
 * other way out: with the study's passphrase, when it has one. */
static void
session_finished_cb (LkWindow      *self,
                     LkSessionView *view)
{
  if (self->passphrase != NULL)
    confirm_leave (self);
  else
    lk_window_end_session (self);
}

/* Destroys a leave dialog. The focus leaves the passphrase entry first: GTK 4.8's password
 * entry hears of its text losing the focus, and when that happens as the dialog is finalized,
 * the entry is already gone (an invalid cast, a crash at worst). */
static void
destroy_leave_dialog (AdwMessageDialog *dialog)
{
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
leave_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   LkWindow         *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  gboolean right = self->passphrase == NULL
                   || (entry != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)),
                                                   self->passphrase) == 0);

  if (self->leave_dialog == dialog)
    self->leave_dialog = NULL;
  /* adw_message_dialog_response() (Enter in the passphrase field) does not close it. */
  destroy_leave_dialog (dialog);
  if (g_strcmp0 (response, "leave") != 0 || !in_session (self))
    return;

  if (!right)
    {
      toast (self, _("Wrong passphrase: the session goes on"));
      return;
    }

  lk_window_end_session (self);
}

/* Enter in the passphrase field: the right passphrase leaves (and closes the dialog); a wrong
 * one says so in the dialog, which stays open for another try. */
static void
passphrase_activate_cb (GtkPasswordEntry *entry,
                        LkWindow         *self)
{
  AdwMessageDialog *dialog = self->leave_dialog;

  if (dialog == NULL)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), self->passphrase) == 0)
    {
      adw_message_dialog_response (dialog, "leave");
      return;
    }

  adw_message_dialog_set_body (dialog, _("Wrong passphrase. Type it again, or stay in the "
                                         "session."));
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
}

/* Asks the experimenter before a session is left: a participant must not wander off into the
 * start page (and from there into other participants' data). When the study has a passphrase,
 * the dialog asks for it, and a wrong one keeps the session (and study mode) going. */
static void
confirm_leave (LkWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->leave_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->leave_dialog));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Leave the Session?"),
                                                       self->passphrase != NULL
                                                       ? _("For the experimenter: type the "
                                                           "study’s passphrase. The answers "
                                                           "saved so far are kept; this session "
                                                           "cannot be continued.")
                                                       : _("For the experimenter. The answers "
                                                           "saved so far are kept; this session "
                                                           "cannot be continued.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Stay"),
                                    "leave", _("_Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  if (self->passphrase != NULL)
    {
      GtkWidget *entry = gtk_password_entry_new ();

      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passphrase"), -1);
      g_signal_connect_object (entry, "activate", G_CALLBACK (passphrase_activate_cb), self, 0);
      adw_message_dialog_set_extra_child (dialog, entry);
    }
  self->leave_dialog = dialog;
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  if (in_session (self))
    confirm_leave (self);
}

static gboolean
lk_window_close_request (GtkWindow *window)
{
  LkWindow *self = LK_WINDOW (window);

  if (in_session (self) && !self->leave_confirmed && self->screenshot_path == NULL)
    {
      confirm_leave (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (lk_window_parent_class)->close_request (window);
}

static void
create_study_cb (LkWindow    *self,
                 LkStartPage *page)
{
  lk_create_page_reset (self->create_page);
  gtk_stack_set_visible_child_name (self->stack, "create");
}

/* Shows @study's overview, which keeps it open for the session it may start. */
static void
show_overview (LkWindow *self,
               LkStudy  *study)
{
  if (lk_study_overview_get_study (self->overview) != study)
    lk_study_overview_set_study (self->overview, study);
  else
    lk_study_overview_reload (self->overview);
  gtk_stack_set_visible_child_name (self->stack, "overview");
}

static void
create_back_cb (LkWindow     *self,
                LkCreatePage *page)
{
  LkStudy *study = lk_create_page_get_study (page);

  /* Leaving the report closes the new study (and its lock); it joins the recent ones. */
  if (study != NULL)
    lk_start_page_add_recent (self->start_page, lk_study_get_path (study));
  lk_create_page_reset (page);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

static void
create_start_cb (LkWindow     *self,
                 LkStudy      *study,
                 LkCreatePage *page)
{
  g_autoptr(LkStudy) keep = g_object_ref (study);

  lk_start_page_add_recent (self->start_page, lk_study_get_path (keep));
  lk_create_page_reset (page);
  show_overview (self, keep);
}

static void
overview_start_cb (LkWindow        *self,
                   LkStudy         *study,
                   LkStudyOverview *overview)
{
  g_autofree char *code = dup_participant_code (self);

  lk_window_start_study (self, study, code, lk_study_overview_get_pilot (overview));
}

static void
overview_back_cb (LkWindow        *self,
                  LkStudyOverview *overview)
{
  lk_study_overview_set_study (overview, NULL);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

static void
create_error_cb (LkWindow     *self,
                 const char   *heading,
                 const char   *message,
                 LkCreatePage *page)
{
  lk_window_show_error (self, heading, message);
}

static void
open_study_cb (LkWindow    *self,
               GFile       *file,
               LkStartPage *page)
{
  lk_window_open_study (self, file);
}

/* Ready once laid out (and a study's counts read, a training page's feedback ready for
 * Continue); the shared screenshot path then waits a few frames, so that layout and textures
 * have settled. */
static gboolean
screenshot_ready (GtkWidget *widget)
{
  LkWindow *self = LK_WINDOW (widget);

  return gtk_widget_get_width (widget) > 0 && !self->dialog_page
         && !lk_study_overview_is_loading (self->overview)
         && lk_session_view_is_settled (self->session_view);
}

/* Returns a plausible bin for a demo colour: by its strongest channel, dark ones apart. */
static gint
colour_bin (LkImageSource *source,
            guint          item)
{
  g_autofree char *title = lk_image_source_dup_title (source, item);
  unsigned r = 0, g = 0, b = 0;
  const char *hash = strchr (title, '#');

  if (hash == NULL || sscanf (hash, "#%02x%02x%02x", &r, &g, &b) != 3)
    return 0;
  if (r + g + b < 200)
    return 3;

  return r >= g && r >= b ? 0 : g >= b ? 1 : 2;
}

/* Takes a colours demo session through consent, practice and six grids, and half of the
 * seventh, as a participant might: the state the README's screenshot shows. */
static void
fake_progress (LkSession *session)
{
  LkImageSource *source = lk_session_get_source (session);
  LkSortModel *model;

  lk_session_accept_consent (session);
  lk_session_begin (session);
  while (lk_session_get_state (session) != LK_SESSION_SORTING || lk_session_is_practice (session)
         || lk_session_get_n_answered (session) < 6)
    {
      if (lk_session_get_state (session) != LK_SESSION_SORTING)
        {
          lk_session_begin (session);
          continue;
        }
      model = lk_session_get_model (session);
      for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
        lk_sort_model_move (model, p, colour_bin (source, lk_sort_model_get_item (model, p)));
      if (!lk_session_submit (session, NULL))
        return;
    }

  model = lk_session_get_model (session);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p += 2)
    lk_sort_model_move (model, p, colour_bin (source, lk_sort_model_get_item (model, p)));
}

static void start_session_on_run (LkWindow   *self,
                                  LkStudy    *study,
                                  const char *participant,
                                  gboolean    pilot,
                                  GObject    *run,
                                  GError     *error);

/* Puts each image of the gold page shown where its known answer has it, but one: the first
 * image whose group has others goes into the next bin (so one group is not kept). */
static void
sort_as_known_but_one (LkSession *session)
{
  const LkGoldGrid *gold = lk_session_get_gold (session);
  LkSortModel *model = lk_session_get_model (session);
  guint n = lk_sort_model_get_n_items (model), nc = lk_sort_model_get_nc (model);
  gboolean moved = FALSE;

  for (guint p = 0; p < n && p < lk_query_get_n_items (gold->answer); p++)
    {
      gint bin = lk_query_get_bin (gold->answer, p);
      guint same = 0;

      for (guint q = 0; q < lk_query_get_n_items (gold->answer); q++)
        same += lk_query_get_bin (gold->answer, q) == bin;
      if (!moved && bin >= 0 && same > 1 && nc > 1)
        {
          bin = (bin + 1) % (gint) nc;
          moved = TRUE;
        }
      lk_sort_model_move (model, p, bin);
    }
}

/* "feedback:STUDY" and "not-qualified:STUDY", for the README's screenshots: a session on the
 * open study file by a made-up participant (its answers stored as any session's), taken to the
 * feedback of the plan's first training page, sorted as its known answer says but for one
 * image, or to the end page of a participant who did not qualify: every exam grid's images in
 * one group (training pages are sorted so on the way). */
static gboolean
show_gold_page (LkWindow  *self,
                gboolean   feedback,
                GError   **error)
{
  LkStudy *study = lk_study_overview_get_study (self->overview);
  LkSessionState target = feedback ? LK_SESSION_FEEDBACK : LK_SESSION_NOT_QUALIFIED;
  g_autoptr(LkStudyRun) run = NULL;
  LkSession *session;

  run = lk_study_run_new (study, NULL, error);
  if (run == NULL)
    return FALSE;
  start_session_on_run (self, study, "P-7KQ4M", FALSE, G_OBJECT (run), NULL);
  session = lk_session_view_get_session (self->session_view);
  if (session == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no session could start");
      return FALSE;
    }
  lk_session_accept_consent (session);
  for (guint step = 0; lk_session_get_state (session) != target; step++)
    {
      LkSessionState state = lk_session_get_state (session);

      if (step > 1000 || (state != LK_SESSION_INSTRUCTIONS && state != LK_SESSION_PRACTICE_DONE
                          && state != LK_SESSION_BREAK && state != LK_SESSION_FEEDBACK
                          && state != LK_SESSION_SORTING))
        {
          g_autoptr(GEnumClass) states = g_type_class_ref (LK_TYPE_SESSION_STATE);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "the study's plan did not lead to that page (it stopped at %s)",
                       g_enum_get_value (states, state)->value_nick);
          return FALSE;
        }
      if (state == LK_SESSION_INSTRUCTIONS || state == LK_SESSION_PRACTICE_DONE)
        lk_session_begin (session);
      else if (state == LK_SESSION_BREAK)
        lk_session_resume (session);
      else if (state == LK_SESSION_FEEDBACK && !lk_session_continue (session, error))
        return FALSE;
      else if (state == LK_SESSION_SORTING)
        {
          LkSortModel *model = lk_session_get_model (session);

          if (lk_session_get_gold (session) != NULL
              && lk_session_get_kind (session) == LK_TASK_TRAINING)
            sort_as_known_but_one (session);
          else
            for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
              lk_sort_model_move (model, p, 0);
          if (!lk_session_submit (session, error))
            return FALSE;
        }
    }

  return TRUE;
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  if (self->leave_dialog != NULL)
    destroy_leave_dialog (g_steal_pointer (&self->leave_dialog));
  g_cancellable_cancel (self->preparing);
  g_clear_object (&self->preparing);
  g_clear_object (&self->session_study);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
}

static void
lk_window_finalize (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  g_clear_pointer (&self->screenshot_path, g_free);
  g_clear_pointer (&self->passphrase, g_free);

  G_OBJECT_CLASS (lk_window_parent_class)->finalize (object);
}

static void
lk_window_class_init (LkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_window_dispose;
  object_class->finalize = lk_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = lk_window_close_request;

  gtk_widget_class_install_action (widget_class, "win.leave", NULL, leave_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave", NULL);
  /* Closing goes through close-request, which asks for the passphrase during a session. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);

  g_type_ensure (LK_TYPE_START_PAGE);
  g_type_ensure (LK_TYPE_CREATE_PAGE);
  g_type_ensure (LK_TYPE_STUDY_OVERVIEW);
  g_type_ensure (LK_TYPE_SESSION_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, create_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, session_view);
  gtk_widget_class_bind_template_callback (widget_class, start_demo_cb);
  gtk_widget_class_bind_template_callback (widget_class, session_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_study_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_study_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_back_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_start_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_error_cb);
  gtk_widget_class_bind_template_callback (widget_class, overview_start_cb);
  gtk_widget_class_bind_template_callback (widget_class, overview_back_cb);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.likeness.Likeness");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave", FALSE);
#ifdef LK_HAVE_LAB
  g_signal_connect_object (self->start_page, "connect-lab", G_CALLBACK (connect_lab_cb), self,
                           G_CONNECT_SWAPPED);
#endif
}

/**
 * lk_window_new:
 * @application: (nullable): the application, or %NULL in tests
 */
LkWindow *
lk_window_new (LkApplication *application)
{
  return g_object_new (LK_TYPE_WINDOW, "application", application, NULL);
}

/**
 * lk_window_get_visible_page:
 *
 * Returns: (transfer none): "start" or "session"
 */
const char *
lk_window_get_visible_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Shows @error of a study in a dialog: its kind as the heading, then what happened and what to
 * do, with the store's own message as the details. */
static void
show_study_error (LkWindow     *self,
                  const GError *error)
{
  g_autofree char *body = lk_study_error_dup_body (error);

  lk_window_show_error (self, lk_study_error_heading (error), body);
}

static gboolean
edit_settings_cb (gpointer data)
{
  LkWindow *self = data;

  gtk_widget_activate_action (GTK_WIDGET (self->overview), "overview.edit-settings", NULL);

  return G_SOURCE_REMOVE;
}

/* Returns the shown dialog of @self (transient for it), or NULL. */
static GtkWindow *
find_dialog (LkWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
dialog_shot_destroyed_cb (LkWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Opens the dialog of a --page ("lab-connect", "crowd-send:STUDY", "known-answers:STUDY")
 * once the window is shown,
 * or it would be covered; a screenshot then saves the dialog and closes both. */
static gboolean
open_dialog_cb (gpointer data)
{
  LkWindow *self = data;
  GtkWindow *dialog;

  if (self->dialog_action != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->overview), self->dialog_action, NULL);
  else
#ifdef LK_HAVE_LAB
    connect_lab_cb (self, self->start_page);
#else
    lk_window_open_lab (self, "postgresql://");
#endif
  dialog = find_dialog (self);
  self->dialog_page = FALSE;
  if (dialog == NULL)
    g_warning ("the page's dialog did not open");
  else if (self->screenshot_path != NULL)
    {
      lk_window_save_png_when_ready (dialog, self->screenshot_path, NULL, 4);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_shot_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
      self->dialog_page = TRUE;
    }

  return G_SOURCE_REMOVE;
}

/**
 * lk_window_show_page:
 * @page: "start", "instructions" for a colours demo's instructions, "sort" for a colours
 *   demo part-way through a grid, "triplet", "choice5", "match" or "intruder" for a colours
 *   demo's first trial of that task ("KIND-instructions" for its instructions),
 *   "overview:STUDY" for a study file's overview,
 *   "settings:STUDY" for it with its session settings open to edit (for screenshots),
 *   "crowd-send:STUDY" for it with "Send Grids to a Crowd Platform…" open, or
 *   "lab-connect" for the start page with "Connect to a Lab Study…" open
 *
 * Returns: %FALSE if @page is unknown
 */
gboolean
lk_window_show_page (LkWindow   *self,
                     const char *page)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (g_str_equal (page, "start"))
    {
      gtk_stack_set_visible_child_name (self->stack, "start");
      return TRUE;
    }
  if (g_str_equal (page, "create") || g_str_equal (page, "report"))
    {
      g_autoptr(GError) error = NULL;

      create_study_cb (self, self->start_page);
      if (g_str_equal (page, "report") && !lk_create_page_show_sample (self->create_page, &error))
        {
          g_warning ("%s", error->message);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_has_prefix (page, "overview:"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (page + strlen ("overview:"));

      lk_window_open_study (self, file);
      return TRUE;
    }
  if (g_str_equal (page, "lab-connect") || g_str_has_prefix (page, "crowd-send:")
      || g_str_has_prefix (page, "known-answers:"))
    {
      gtk_stack_set_visible_child_name (self->stack, "start");
      if (!g_str_equal (page, "lab-connect"))
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (strchr (page, ':') + 1);

          lk_window_open_study (self, file);
          if (lk_study_overview_get_study (self->overview) == NULL)
            return FALSE;
          self->dialog_action = g_str_has_prefix (page, "crowd-send:") ? "overview.crowd-send"
                                                                       : "overview.gold";
        }
      self->dialog_page = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_dialog_cb, g_object_ref (self),
                       g_object_unref);
      return TRUE;
    }
  if (g_str_has_prefix (page, "feedback:") || g_str_has_prefix (page, "not-qualified:"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (strchr (page, ':') + 1);
      g_autoptr(GError) error = NULL;

      lk_window_open_study (self, file);
      if (lk_study_overview_get_study (self->overview) == NULL)
        return FALSE;
      if (!show_gold_page (self, g_str_has_prefix (page, "feedback:"), &error))
        {
          g_warning ("%s", error->message);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_has_prefix (page, "settings:"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (page + strlen ("settings:"));

      lk_window_open_study (self, file);
      if (lk_study_overview_get_study (self->overview) == NULL)
        return FALSE;
      /* Once the window is shown, or it would cover the settings window. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, edit_settings_cb, g_object_ref (self),
                       g_object_unref);
      return TRUE;
    }
  {
    g_autofree char *kind_name = g_strdup (page);
    char *suffix = strstr (kind_name, "-instructions");
    LkTaskKind kind;

    if (suffix != NULL && g_str_equal (suffix, "-instructions"))
      *suffix = '\0';
    if (lk_task_kind_from_string (kind_name, &kind) && !lk_task_kind_is_sorting (kind))
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *plan = g_strdup_printf ("%s:12", kind_name);
        LkSession *session;

        if (!lk_window_start_demo_plan (self, "colours", plan, "P-7KQ4M", FALSE, &error))
          {
            g_warning ("%s", error->message);
            return FALSE;
          }
        session = lk_session_view_get_session (self->session_view);
        lk_session_accept_consent (session);
        if (suffix == NULL)
          lk_session_begin (session);
        return TRUE;
      }
  }
  if (g_str_equal (page, "instructions") || g_str_equal (page, "sort"))
    {
      g_autoptr(GError) error = NULL;
      LkSession *session;

      if (!lk_window_start_demo (self, "colours", "P-7KQ4M", FALSE, &error))
        {
          g_warning ("%s", error->message);
          return FALSE;
        }
      session = lk_session_view_get_session (self->session_view);
      if (g_str_equal (page, "instructions"))
        lk_session_accept_consent (session);
      else
        fake_progress (session);
      return TRUE;
    }

  return FALSE;
}

/**
 * lk_window_open_study:
 * @file: a .likeness study file
 *
 * Opens a study file and shows its overview, from which a session can be started. During a
 * session (or while one is prepared) it does nothing: leaving a session takes the passphrase.
 */
void
lk_window_open_study (LkWindow *self,
                      GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* A study opened from outside (`likeness STUDY` again) must not take the window out of a
   * participant's session, nor swap the study being prepared for one. */
  if (in_session (self) || self->preparing != NULL)
    {
      g_message ("a session is under way or being prepared: the study is not opened");
      return;
    }

  if (g_file_has_uri_scheme (file, "postgresql") || g_file_has_uri_scheme (file, "postgres"))
    {
      g_autofree char *uri = g_file_get_uri (file);

      lk_window_open_lab (self, uri);
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file; copy the study to this computer first"), uri);
    }
  else if (lk_study_overview_get_study (self->overview) != NULL
           && g_strcmp0 (lk_study_get_path (lk_study_overview_get_study (self->overview)),
                         path) == 0)
    study = g_object_ref (lk_study_overview_get_study (self->overview));
  else
    {
      /* The study shown before lets go of its lock first: it may be the same file. */
      lk_study_overview_set_study (self->overview, NULL);
      study = lk_study_open (path, &error);
    }

  if (study != NULL)
    {
      lk_start_page_add_recent (self->start_page, path);
      show_overview (self, study);
    }
  if (error != NULL)
    show_study_error (self, error);
}

/**
 * lk_window_show_error:
 * @heading: what went wrong, briefly
 * @body: the details (which file, why)
 *
 * Shows an error that needs the experimenter's attention in a dialog.
 */
void
lk_window_show_error (LkWindow   *self,
                      const char *heading,
                      const char *body)
{
  GtkWidget *dialog;

  g_return_if_fail (LK_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rescue_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkWindow         *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "rescue") != 0 || self->session_study == NULL)
    return;
  copy = lk_store_rescue (lk_study_get_store (self->session_study), &error);
  if (copy == NULL)
    {
      show_study_error (self, error);
      return;
    }
  g_clear_object (&self->session_study);
  /* Translators: %s is a study file's path */
  message = g_strdup_printf (_("Every answer saved so far is in “%s”. Leave this session and "
                               "open that file to go on."), copy);
  lk_window_show_error (self, _("The Study Was Written Out Again"), message);
}

/* A save failed because the study's file was deleted or moved while open: Retry can never
 * succeed, and the answers saved so far live only in the open connection until the app
 * closes. Offers to write them out again beside the old path (lk_store_rescue()). */
static void
session_state_cb (LkSession  *session,
                  GParamSpec *pspec,
                  LkWindow   *self)
{
  AdwMessageDialog *dialog;

  if (lk_session_get_state (session) != LK_SESSION_SAVE_FAILED || self->session_study == NULL ||
      !lk_store_is_moved (lk_study_get_store (self->session_study)))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("The Study File Was Moved or Deleted"),
                                                       _("For the experimenter. Nothing more can "
                                                         "be saved to it, but every answer saved "
                                                         "so far is still open here. Write the "
                                                         "study out again beside its old place, "
                                                         "before closing Likeness?")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Not Now"),
                                    "rescue", _("_Write It Out Again"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rescue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rescue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (rescue_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  LkWindow *window;
  LkStudy  *study;
  char     *participant;
  gboolean  pilot;
} StartJob;

static void
start_job_free (StartJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->study);
  g_free (job->participant);
  g_free (job);
}

/* Gives @session the study's session plan (a study file's, or a lab study's through its
 * copy), when it has one other than the default (one sorting block, which a session without a
 * plan is). */
static gboolean
set_study_plan (LkSession       *session,
                LkStudy         *study,
                const LkParams  *params,
                GError         **error)
{
  g_auto(LkSessionSettings) settings = { 0 };
  LkPlan plan;

  if (!lk_store_load_session_settings (lk_study_get_store (study), &settings, error))
    return FALSE;
  if (settings.plan == NULL)
    return TRUE;

  return lk_session_settings_get_plan (&settings, params, &plan, error)
         && lk_session_set_plan (session, &plan, error);
}

static void
run_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StartJob *job = user_data;
  LkWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) run = NULL;

#ifdef LK_HAVE_LAB
  if (g_task_get_source_tag (G_TASK (result)) == lk_lab_run_new_async)
    run = G_OBJECT (lk_lab_run_new_finish (result, &error));
  else
#endif
    run = G_OBJECT (lk_study_run_new_finish (result, &error));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      start_job_free (job);
      return;
    }
  g_clear_object (&self->preparing);
  lk_study_overview_set_preparing (self->overview, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);

  start_session_on_run (self, job->study, job->participant, job->pilot, run, error);
  start_job_free (job);
}

/* Shows a session of @participant on @run, @study's run (or, without one, @error: why the
 * study could not be replayed), or the error that stopped it in a dialog. */
static void
start_session_on_run (LkWindow   *self,
                      LkStudy    *study,
                      const char *participant,
                      gboolean    pilot,
                      GObject    *run,
                      GError     *run_error)
{
  g_autoptr(GError) error = run_error != NULL ? g_error_copy (run_error) : NULL;
  g_autoptr(LkSession) session = NULL;
  g_autofree char *passphrase = NULL;
  LkSessionSetup setup;

  if (run != NULL)
    {
      lk_study_get_setup (study, &setup);
      passphrase = lk_study_dup_passphrase (study);
      session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, participant, pilot,
                                LK_GRID_SOURCE (run), &error);
      /* A lab study's copy holds the lab database's settings, its plan with them. */
      if (session != NULL && !set_study_plan (session, study, &setup.params, &error))
        g_clear_object (&session);
    }
  if (session == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack,
                                        lk_study_overview_get_study (self->overview) != NULL
                                        ? "overview" : "start");
      show_study_error (self, error);
      return;
    }
  lk_session_view_set_n_bins (self->session_view, setup.params.nc);
  show_session (self, session);
  self->passphrase = g_steal_pointer (&passphrase);
  g_set_object (&self->session_study, study);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, 0);
}

/**
 * lk_window_start_study:
 * @study: an open study
 * @participant: the participant code
 * @pilot: tag the participant as pilot data
 *
 * Starts a session on @study at its next unanswered grid; every answer is saved in the file
 * before the next grid is shown. The study is replayed first (every stored phase's update),
 * on a worker thread: meanwhile the window says so and takes no input
 * (lk_window_is_preparing()); a study that cannot run a session (too few images, a damaged
 * file…) is then shown in an error dialog.
 */
void
lk_window_start_study (LkWindow    *self,
                       LkStudy     *study,
                       const char  *participant,
                       gboolean     pilot)
{
  StartJob *job;

  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (LK_IS_STUDY (study));
  g_return_if_fail (participant != NULL);
  g_return_if_fail (self->preparing == NULL);

  job = g_new0 (StartJob, 1);
  job->window = g_object_ref (self);
  job->study = g_object_ref (study);
  job->participant = g_strdup (participant);
  job->pilot = pilot;
  self->preparing = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  /* The participant may already be at the screen: the overview says "Preparing…", naming no
   * file, and only until the replay is over. */
  lk_study_overview_set_preparing (self->overview, TRUE);
#ifdef LK_HAVE_LAB
  /* A lab study's copy: the session's grids come from the database. */
  if (lk_lab_study_get_uri (study) != NULL)
    {
      lk_lab_run_new_async (study, NULL, self->preparing, run_ready_cb, job);
      return;
    }
#endif
  lk_study_run_new_async (study, NULL, self->preparing, run_ready_cb, job);
}

#ifdef LK_HAVE_LAB
typedef struct {
  LkWindow *window;
  char     *uri;
} LabJob;

static void lab_uri_chosen_cb (const char *uri,
                               gpointer    user_data);

static void
lab_opened_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LabJob *job = user_data;
  LkWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_lab_study_open_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->preparing);
      gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
      if (study != NULL)
        {
          lk_study_overview_set_study (self->overview, NULL);
          show_overview (self, study);
          toast (self, lk_lab_study_get_summary (study));
        }
      else
        lk_lab_connect_dialog_present (GTK_WINDOW (self), job->uri, error, lab_uri_chosen_cb,
                                       self);
    }
  g_object_unref (job->window);
  g_free (job->uri);
  g_free (job);
}

static void
lab_uri_chosen_cb (const char *uri,
                   gpointer    user_data)
{
  lk_window_open_lab (LK_WINDOW (user_data), uri);
}

static void
connect_lab_cb (LkWindow    *self,
                LkStartPage *page)
{
  lk_lab_connect_dialog_present (GTK_WINDOW (self), NULL, NULL, lab_uri_chosen_cb, self);
}

/**
 * lk_window_open_lab:
 * @uri: a lab study's connection URI (postgresql://USER@HOST/DATABASE, no password)
 *
 * Connects to a lab study and shows its overview (of a private copy pulled from the
 * database), from which a session is started at this station. A failure is shown in the
 * connection dialog, in plain words. During a session it does nothing.
 */
void
lk_window_open_lab (LkWindow   *self,
                    const char *uri)
{
  LabJob *job;

  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (uri != NULL);

  if (in_session (self) || self->preparing != NULL)
    {
      g_message ("a session is under way or being prepared: the lab study is not opened");
      return;
    }
  job = g_new0 (LabJob, 1);
  job->window = g_object_ref (self);
  job->uri = g_strdup (uri);
  self->preparing = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  toast (self, _("Connecting to the lab study…"));
  lk_lab_study_open_async (uri, self->preparing, lab_opened_cb, job);
}
#else
void
lk_window_open_lab (LkWindow   *self,
                    const char *uri)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  lk_window_show_error (self, _("Lab Studies Are Not Available"),
                        _("This build of Likeness cannot open a lab study (PostgreSQL). Pull it "
                          "into a study file with “likeness-cli pg-pull URI OUT.likeness” on a "
                          "computer that can, and open that file."));
}
#endif

/**
 * lk_window_is_preparing:
 *
 * Returns: %TRUE while a study started with lk_window_start_study() is being replayed
 */
gboolean
lk_window_is_preparing (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);

  return self->preparing != NULL;
}

/**
 * lk_window_get_leave_dialog:
 *
 * Returns: (transfer none) (nullable): the dialog asking to leave the session (with a
 *   #GtkPasswordEntry as its extra child when the study has a passphrase), while it is shown
 */
AdwMessageDialog *
lk_window_get_leave_dialog (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return self->leave_dialog;
}

/**
 * lk_window_get_overview:
 *
 * Returns: (transfer none): the study overview page
 */
LkStudyOverview *
lk_window_get_overview (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return self->overview;
}

/**
 * lk_window_save_screenshot:
 * @path: where to write the PNG
 *
 * Once the window is mapped and has drawn a few frames, saves it as a PNG and closes it.
 */
void
lk_window_save_screenshot (LkWindow   *self,
                           const char *path)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_free (self->screenshot_path);
  self->screenshot_path = g_strdup (path);
  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 4);
}

/* The demo studies' settings: the paper's grid (20 images, 4 bins) and a short session. */
static void
demo_setup (LkSessionSetup *setup)
{
  *setup = (LkSessionSetup) { 0 };
  lk_params_init (&setup->params);
  setup->params.nq = 20;
  setup->params.nc = 4;
  setup->params.budget = 30;
  setup->params.phases = 3;
  setup->params.seed = (guint64) g_get_real_time ();
  setup->rule = LK_SORT_RULE_ANY_PLACED;
  setup->break_every = 10;
  setup->n_practice = 1;
  setup->grids_per_participant = 0;
  setup->consent = _("This is a demonstration study. In a real study this page says who runs "
                     "the study, what you will do and for how long, what is recorded and how "
                     "it is kept, and that you may stop at any time without giving a reason.\n\n"
                     "Do you agree to take part?");
  setup->instructions = _("You will see a grid of images and four numbered bins. Put images "
                          "that look alike into the same bin. Drag them with the mouse, or move "
                          "between images with the arrow keys and press a bin’s number. Press 0 "
                          "or Backspace to take an image back out of a bin, and Ctrl+Z to undo. "
                          "Images that fit no bin may stay where they are. When you are done, "
                          "press Enter or Submit.\n\n"
                          "First comes a practice grid, which is not recorded.");
}

/* The "mixed" demo's plan: a short sorting block, then each other task, each with a practice
 * item. */
#define MIXED_DEMO_PLAN "sort:6:1,triplet:8:1,choice5:6:1,match:4:1,intruder:6:1"

/**
 * lk_window_start_demo_plan:
 * @name: "colours" or "letters"
 * @plan: (nullable): a session plan (lk_plan_parse()), or %NULL for sorting only
 * @participant: the participant code
 * @pilot: tag the answers as pilot data
 *
 * Starts a session on a built-in demo study going through @plan's blocks. Trials are drawn at
 * random (intruders from the collection's groups); answers are kept in memory only.
 *
 * Returns: %FALSE with @error set if the demo could not be made
 */
gboolean
lk_window_start_demo_plan (LkWindow    *self,
                           const char  *name,
                           const char  *plan,
                           const char  *participant,
                           gboolean     pilot,
                           GError     **error)
{
  g_autoptr(LkDemoCollection) collection = NULL;
  g_autoptr(LkMemoryRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autofree guint *labels = NULL;
  LkSessionSetup setup;
  LkPlan parsed;
  guint n_labels;

  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL && participant != NULL, FALSE);

  if (plan != NULL && !lk_plan_parse (plan, &parsed, error))
    return FALSE;
  collection = lk_demo_collection_new (name, error);
  if (collection == NULL)
    return FALSE;
  demo_setup (&setup);
  run = lk_memory_run_new (lk_image_source_get_n_items (LK_IMAGE_SOURCE (collection)),
                           &setup.params, lk_method_paper, NULL, error);
  if (run == NULL)
    return FALSE;
  labels = lk_demo_collection_dup_labels (collection, &n_labels);
  lk_memory_run_set_labels (run, labels, n_labels);
  session = lk_session_new (LK_IMAGE_SOURCE (collection), &setup, participant, pilot,
                            LK_GRID_SOURCE (run), error);
  if (session == NULL)
    return FALSE;
  if (plan != NULL && !lk_session_set_plan (session, &parsed, error))
    return FALSE;

  lk_session_view_set_n_bins (self->session_view, setup.params.nc);
  show_session (self, session);

  return TRUE;
}

/**
 * lk_window_start_demo:
 * @name: "colours", "letters", or "mixed" (colours with a plan of every task)
 * @participant: the participant code
 * @pilot: tag the answers as pilot data
 *
 * Starts a session on a built-in demo study. Its answers are kept in memory only. In study mode
 * (the "study-mode" setting) the window goes full screen until the session is left.
 *
 * Returns: %FALSE with @error set if the demo could not be made
 */
gboolean
lk_window_start_demo (LkWindow    *self,
                      const char  *name,
                      const char  *participant,
                      gboolean     pilot,
                      GError     **error)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL && participant != NULL, FALSE);

  if (g_str_equal (name, "mixed"))
    return lk_window_start_demo_plan (self, "colours", MIXED_DEMO_PLAN, participant, pilot,
                                      error);

  return lk_window_start_demo_plan (self, name, NULL, participant, pilot, error);
}

/**
 * lk_window_get_start_page:
 *
 * Returns: (transfer none): the start page
 */
LkStartPage *
lk_window_get_start_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return self->start_page;
}

/**
 * lk_window_get_session_view:
 *
 * Returns: (transfer none): the session pages
 */
LkSessionView *
lk_window_get_session_view (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return self->session_view;
}

/**
 * lk_window_end_session:
 *
 * Leaves the session (already confirmed) and goes back to the study's overview, or after a
 * demo to the start page.
 */
void
lk_window_end_session (LkWindow *self)
{
  LkSession *session;

  g_return_if_fail (LK_IS_WINDOW (self));

  /* The end time goes into the study; a failure there loses no answer, so it only informs. */
  session = lk_session_view_get_session (self->session_view);
  if (session != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!lk_session_end (session, &error))
        toast (self, error->message);
    }
  /* A study deleted or moved while open, not written out again yet, is before it closes. */
  if (self->session_study != NULL && lk_store_is_moved (lk_study_get_store (self->session_study)))
    rescue_response_cb (NULL, "rescue", self);
  g_clear_object (&self->session_study);
  lk_session_view_set_session (self->session_view, NULL);
  g_clear_pointer (&self->passphrase, g_free);
  if (self->leave_dialog != NULL)
    destroy_leave_dialog (g_steal_pointer (&self->leave_dialog));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave", FALSE);
  gtk_window_unfullscreen (GTK_WINDOW (self));
  /* The next participant gets a code of their own. */
  lk_study_overview_set_participant (self->overview, NULL, FALSE);
  /* Back to the study's overview, with the session's answers counted, or, after a demo, to
   * the start page. */
  if (lk_study_overview_get_study (self->overview) != NULL)
    show_overview (self, lk_study_overview_get_study (self->overview));
  else
    gtk_stack_set_visible_child_name (self->stack, "start");
}
