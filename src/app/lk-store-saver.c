/* lk-store-saver.c — answers written to the study file, and the study's queue of grids
 *
 * Each answer is one transaction (lk_answers_save) committed before save() returns, so the
 * session shows the next grid only once the answer is on disk. The queue is the file's: the
 * oldest query still open, else the next phase drawn from the refiner that lk_answers_rebuild
 * replayed from the file. So a study whose app was killed resumes at the next unanswered grid.
 *
 * The participant and the session rows are written with the first answer, not before: a
 * participant who declines consent, or leaves before answering, leaves nothing in the study.
 * A failure there is a failed save like any other, and the session's Retry writes them again.
 *
 * Phase ends run here, on the calling thread, as the CLI does (lk-cli-store.c); a refinement
 * worker can take them over without changing this interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "lk-answers.h"
#include "lk-store-saver.h"

struct _LkStoreSaver
{
  GObject     parent_instance;

  /* Owned references */
  LkStudy    *study;
  LkRefiner  *refiner;
  char       *station;

  /* Rows written with the first answer */
  gint64      participant;
  gint64      session;
  guint       n_answered;   /* in the study when the saver was made */
};

static void lk_store_saver_answer_saver_init (LkAnswerSaverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkStoreSaver, lk_store_saver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_ANSWER_SAVER,
                                                      lk_store_saver_answer_saver_init))

/* Returns TRUE once the participant and the session are in the study. */
static gboolean
ensure_session (LkStoreSaver          *self,
                const LkAnswerRecord  *record,
                GError               **error)
{
  LkStore *store = lk_study_get_store (self->study);

  if (self->session > 0)
    return TRUE;

  /* A code already in the study is the same person coming back (or a resumed session). */
  if (self->participant == 0)
    self->participant = lk_store_find_participant (store, record->participant);
  if (self->participant == 0)
    self->participant = lk_store_add_participant (store, record->participant, TRUE,
                                                  record->pilot, NULL, error);
  if (self->participant == 0)
    return FALSE;
  self->session = lk_store_begin_session (store, self->participant, self->station, error);

  return self->session > 0;
}

static gboolean
lk_store_saver_save (LkAnswerSaver         *saver,
                     const LkAnswerRecord  *record,
                     GError               **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);
  g_autofree LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (record->query_id > 0, FALSE);

  if (!ensure_session (self, record, error))
    return FALSE;

  /* An undo is kept as the move it makes (back to where the image was). */
  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };
  if (lk_answers_save (store, record->query_id, record->answer, self->session,
                       record->shown_us, record->submitted_us, moves, record->n_moves,
                       error) == 0)
    return FALSE;

  lk_refiner_add_answer (self->refiner, record->answer);

  return TRUE;
}

static LkQuery *
lk_store_saver_next_query (LkAnswerSaver  *saver,
                           gint64         *query_id,
                           guint          *phase,
                           GError        **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);

  for (;;)
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, error);
      g_autoptr(GArray) drawn = NULL;

      if (open == NULL)
        return NULL;
      if (open->len > 0)
        {
          g_autoptr(GError) local_error = NULL;
          gint64 id = g_array_index (open, gint64, 0);
          LkQuery *query = lk_answers_get_query (store, id, NULL, error);

          if (query == NULL)
            return NULL;
          /* Only a mark for the analysis: a failure here must not stop the participant. */
          if (!lk_answers_set_state (store, id, LK_QUERY_SERVED, &local_error))
            g_debug ("could not mark query %" G_GINT64_FORMAT " served: %s", id,
                     local_error->message);
          *query_id = id;
          *phase = lk_refiner_get_phase (self->refiner);
          return query;
        }

      /* The phase is fully answered: fold it in, then draw the next phase's grids. */
      if (lk_refiner_get_n_batch_answers (self->refiner) > 0 &&
          !lk_answers_end_phase (store, self->refiner, NULL, error))
        {
          g_autoptr(LkRefiner) rebuilt = lk_answers_rebuild (store, NULL, NULL);

          /* The refiner ran one phase ahead of the file; replay the file for the retry. */
          if (rebuilt != NULL)
            {
              lk_refiner_free (self->refiner);
              self->refiner = g_steal_pointer (&rebuilt);
            }
          return NULL;
        }
      if (lk_refiner_is_done (self->refiner))
        return NULL;
      drawn = lk_answers_draw_queries (store, self->refiner, error);
      if (drawn == NULL)
        {
          g_autoptr(LkRefiner) rebuilt = lk_answers_rebuild (store, NULL, NULL);

          /* Drawing advanced the refiner's generator; the file did not change. */
          if (rebuilt != NULL)
            {
              lk_refiner_free (self->refiner);
              self->refiner = g_steal_pointer (&rebuilt);
            }
          return NULL;
        }
    }
}

static guint
lk_store_saver_get_n_answered (LkAnswerSaver *saver)
{
  return LK_STORE_SAVER (saver)->n_answered;
}

static gboolean
lk_store_saver_end (LkAnswerSaver  *saver,
                    GError        **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);

  if (self->session == 0 || store == NULL)
    return TRUE;
  if (!lk_store_end_session (store, self->session, error))
    return FALSE;
  self->session = 0;

  return TRUE;
}

static void
lk_store_saver_answer_saver_init (LkAnswerSaverInterface *iface)
{
  iface->save = lk_store_saver_save;
  iface->next_query = lk_store_saver_next_query;
  iface->get_n_answered = lk_store_saver_get_n_answered;
  iface->end = lk_store_saver_end;
}

static void
lk_store_saver_finalize (GObject *object)
{
  LkStoreSaver *self = (LkStoreSaver *)object;

  g_clear_pointer (&self->refiner, lk_refiner_free);
  g_clear_object (&self->study);
  g_clear_pointer (&self->station, g_free);

  G_OBJECT_CLASS (lk_store_saver_parent_class)->finalize (object);
}

static void
lk_store_saver_class_init (LkStoreSaverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_store_saver_finalize;
}

static void
lk_store_saver_init (LkStoreSaver *self)
{
}

/**
 * lk_store_saver_new:
 * @study: an open study
 * @station: (nullable): the name of the machine or room, recorded with the session; %NULL
 *   for the host name
 *
 * Rebuilds the study's refinement from the file, ready to serve its next unanswered grid.
 *
 * Returns: (transfer full): the saver, or %NULL with @error set if the study cannot be replayed
 *   (for example, it has fewer images than a grid shows)
 */
LkStoreSaver *
lk_store_saver_new (LkStudy     *study,
                    const char  *station,
                    GError     **error)
{
  g_autoptr(LkStoreSaver) self = NULL;
  LkStore *store;
  LkStoreCounts counts;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);
  g_return_val_if_fail (lk_study_get_store (study) != NULL, NULL);

  store = lk_study_get_store (study);
  self = g_object_new (LK_TYPE_STORE_SAVER, NULL);
  self->study = g_object_ref (study);
  self->station = g_strdup (station != NULL ? station : g_get_host_name ());
  if (!lk_store_get_counts (store, &counts, error))
    return NULL;
  self->n_answered = counts.answers;
  self->refiner = lk_answers_rebuild (store, NULL, error);
  if (self->refiner == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * lk_store_saver_get_study:
 *
 * Returns: (transfer none): the study written to
 */
LkStudy *
lk_store_saver_get_study (LkStoreSaver *self)
{
  g_return_val_if_fail (LK_IS_STORE_SAVER (self), NULL);

  return self->study;
}

/**
 * lk_store_saver_get_session_id:
 *
 * Returns: the session's row in the study, or 0 before the first answer and after the end
 */
gint64
lk_store_saver_get_session_id (LkStoreSaver *self)
{
  g_return_val_if_fail (LK_IS_STORE_SAVER (self), 0);

  return self->session;
}
