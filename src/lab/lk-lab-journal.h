/* lk-lab-journal.h — a station's local journal: answers kept on disk until the server has them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lab.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkLabJournalEntry:
 * @client_uuid: the answer's own id (the same for every try, so a flush never doubles it)
 * @query: the claimed grid's id, or 0 for a grid drawn on the spot (sorting only)
 * @phase: the claimed grid's phase, or for a grid drawn on the spot the phases of the
 *   embedding it was drawn from (sorting only)
 * @lease_token: (nullable): the claim's lease token (sorting only)
 * @participant: the participant's code
 * @pilot: whether a new participant is pilot data
 * @session: the session's row in the lab study, or 0 when none was opened (the station was
 *   offline from the start): the flush then opens one for @participant
 * @nc: the study's number of bins (to read @answer back; sorting only)
 * @answer: (nullable): a sorted grid with its bins; %NULL for a trial
 * @shown_us: when the grid or trial was shown (µs since the epoch)
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves (sorting only)
 * @n_moves: their number
 * @trial: (nullable): a trial of a task other than sorting (triplet, choice5, match,
 *   intruder), answered; %NULL for a sorted grid. Exactly one of @answer and @trial is set.
 * @block: the trial's block of the session plan, from 0 (trials only)
 *
 * One answer in the journal. lk_lab_journal_add() copies it.
 */
typedef struct {
  char     *client_uuid;
  gint64    query;
  guint     phase;
  char     *lease_token;
  char     *participant;
  gboolean  pilot;
  gint64    session;
  guint     nc;
  LkQuery  *answer;
  gint64    shown_us;
  gint64    submitted_us;
  LkMove   *moves;
  guint     n_moves;
  LkTrial  *trial;
  guint     block;
} LkLabJournalEntry;

typedef struct _LkLabJournal LkLabJournal;

char         *lk_lab_journal_default_path (const char          *station) G_GNUC_WARN_UNUSED_RESULT;
LkLabJournal *lk_lab_journal_open      (const char               *path,
                                        GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
void          lk_lab_journal_free      (LkLabJournal             *self);
const char   *lk_lab_journal_get_path  (const LkLabJournal       *self);
guint         lk_lab_journal_get_length (const LkLabJournal      *self);
guint         lk_lab_journal_count_trials (const LkLabJournal    *self,
                                           const char            *participant);
const char   *lk_lab_journal_get_problems (const LkLabJournal    *self);
const LkLabJournalEntry *lk_lab_journal_get_entry (const LkLabJournal *self,
                                                   guint               index);
gboolean      lk_lab_journal_add       (LkLabJournal             *self,
                                        const LkLabJournalEntry  *entry,
                                        GError                  **error);
gboolean      lk_lab_journal_remove    (LkLabJournal             *self,
                                        const char               *client_uuid,
                                        GError                  **error);
gboolean      lk_lab_journal_flush     (LkLabJournal             *self,
                                        LkLab                    *lab,
                                        guint                    *n_flushed,
                                        GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLabJournal, lk_lab_journal_free)

G_END_DECLS
