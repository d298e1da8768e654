/* lk-store-schema.c — the study file's schema and its numbered, forward-only migrations
 *
 * A study is one SQLite file. Its header carries PRAGMA application_id = 0x4C6B5374 ("LkSt"),
 * which tells a study from any other SQLite file, and PRAGMA user_version, the schema version.
 * migrations[v - 1] takes a file from version v - 1 to v; a new file runs them all from 0, so
 * the oldest path is exercised on every create. Each upgrade runs inside one transaction with
 * its user_version bump, so a file is always at exactly one version. A file whose user_version
 * is higher than LK_STORE_SCHEMA_VERSION was written by a newer Likeness and is refused before
 * anything is written to it (lk-store.c).
 *
 * Version 1 (tables; ids are INTEGER PRIMARY KEYs, times are UTC ISO 8601 text or µs since
 * the Unix epoch where the column name ends in _us):
 *   study        one row: uuid, created, method name, app version, collection root (absolute)
 *   param        name → value (text; doubles printed with %.17g): every LkParams field, seed
 *                included, so the analysis can be re-run exactly
 *   lock_owner   one row: host, pid and time of the process that has the study open for
 *                writing (informational: the lock itself is flock(2) on the file, lk-store.c)
 *   image        item (the core's 0-based item id), path relative to the root ('/'-separated),
 *                sha256 of the content, bytes, mtime_us, width, height, format, missing flag
 *   thumbnail    item → PNG of at most 256 px on the long side, the sha256 it was made from
 *   participant  pseudonymous code, created, consent, pilot flag, notes
 *   session      participant, station name, started, ended
 *   query        phase, policy, embedding_version (completed phases when drawn), state
 *                (pending / served / answered / abandoned), drawn (1: by the refiner, 0: came
 *                with an imported answer)
 *   query_item   (query, position) → item, the display order
 *   answer       query (one answer per query), participant, session, shown_us, submitted_us
 *   answer_bin   (answer, position) → bin 0..nc-1, or -1 for left out
 *   answer_move  (answer, seq) → item, from_bin, to_bin, ms since shown (-1 is "not in a bin")
 *   phase        a completed phase: answers folded in, stress, iterations, pairs updated,
 *                n_items, dim, the embedding (n_items x dim little-endian doubles)
 *   phase_metric (phase, name) → value
 * Version 2: answer.source ('local', or 'import:FILE' for answers from a CSV), and an index of
 *   answers by session.
 * Version 3: feature — (item, kind) → the image descriptor ('color' or 'hog') computed from the
 *   content with that sha256 under the parameters in params, dim values as little-endian
 *   32-bit floats (lk-image-features.c).
 * Version 4: setting — key → value (text): the study's session settings (consent text, breaks,
 *   practice grids, submit rule, the passphrase to leave study mode; src/app/lk-study.c). A key
 *   that is absent means the application's default, so older files need no rows.
 * Version 5: the judging rounds of the paper's manual protocol (section 4.2, Table 1;
 *   lk-judgements.c):
 *   judging_round      created, judge (a code), baseline ('color' or 'hog'), k, sample_seed
 *                      (the seed of the seed sample and of the shuffles), phase (the completed
 *                      phase whose embedding gave the learned neighbours)
 *   judging_seed       (round, seq) → item: the seed images in the order they are judged
 *   judging_neighbour  (round, seq, source, rank) → item, distance: each seed's k-NN under the
 *                      learned metric ('learned') and under the baseline ('baseline')
 *   judging_shown      (round, seq, position) → item, mark, marked: the distinct neighbours in
 *                      their shuffled display order, each with the judge's mark ('very_similar',
 *                      'similar', 'unrelated'; NULL until given) and when it was given. A
 *                      neighbour in both lists is shown, and marked, once.
 * Version 6: crowd batches (lk-crowd.c):
 *   crowd_batch       platform ('toloka' or 'mturk'), created, base_url, seed: one exported batch
 *   crowd_grid        grid_id (the name the platform's files carry) → batch, query: the grids
 *                     handed to a batch, which the lab no longer serves (lk_answers_list_open())
 *   crowd_assignment  (platform, assignment) → answer, worker, status ('submitted', 'approved',
 *                     'rejected'), included (0: stored but left out of the model, as rejected
 *                     assignments are; the replay skips it): the key that makes an import of
 *                     the same results file add nothing
 * Version 7: quality control (lk-gold.c):
 *   gold_grid         name (unique), use ('training' or 'exam'), instructions (a training
 *                     page's own, or NULL), source ('overview', 'curator', 'import:FILE'),
 *                     created, nc: a known answer
 *   gold_item         (gold, position) → item, bin (-1 left out): its images and bins
 *   query.gold        the known answer a served grid showed (training, exam or catch), else NULL
 *   query.repeat_of   the query a repeated grid repeats (the consistency check), else NULL
 *   participant.status 'active', or 'not_qualified' (failed the exam: their answers stay
 *                     stored and are left out of the model)
 * Version 8: participant_excluded — participant → since (UTC ISO 8601): a participant the
 *   experimenter left out of the model (lk-participants.c). Their answers stay stored and
 *   counted; the replay and the live worker leave them out. A table of its own, not a column of
 *   participant, so that the lab's copy of participant (src/lab) keeps its columns.
 * Version 9: task kinds other than sorting (lk-answers-trial.c; src/core/lk-trial.h):
 *   query.kind         'sort' (every older row) or another LkTaskKind name. A trial is a query
 *                      with drawn = 0 and policy 'trial', its images in query_item in the
 *                      kind's order (triplet Q, A, B; choice5 and match Q then the candidates
 *                      as shown; intruder the eight as shown), stored answered with its answer
 *   trial              query → swapped (triplet: A shown on the right), key (the known answer's
 *                      position, -1 for none), trial_group (raters of one triplet share it, 0
 *                      alone), block (the session plan's block, from 0)
 *   answer.choice      a trial's answer (triplet 1-4, else a position; -1 for match's "none");
 *                      NULL for a sorting answer, whose bins are in answer_bin
 *   answer_group_name  (answer, bin) → name: the short names a participant gave the groups of
 *                      a sorting answer (papers 001, 002), only the bins named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-store-private.h"

static const char *migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE study ("
  "  id              INTEGER PRIMARY KEY CHECK (id = 1),"
  "  uuid            TEXT NOT NULL,"
  "  created         TEXT NOT NULL,"
  "  method          TEXT NOT NULL,"
  "  app_version     TEXT NOT NULL,"
  "  collection_root TEXT);"
  "CREATE TABLE param ("
  "  name  TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE lock_owner ("
  "  id    INTEGER PRIMARY KEY CHECK (id = 1),"
  "  host  TEXT NOT NULL,"
  "  pid   INTEGER NOT NULL,"
  "  since TEXT NOT NULL);"
  "CREATE TABLE image ("
  "  item     INTEGER PRIMARY KEY CHECK (item >= 0),"
  "  path     TEXT NOT NULL UNIQUE,"
  "  sha256   TEXT NOT NULL UNIQUE,"
  "  bytes    INTEGER NOT NULL,"
  "  mtime_us INTEGER NOT NULL,"
  "  width    INTEGER NOT NULL,"
  "  height   INTEGER NOT NULL,"
  "  format   TEXT NOT NULL,"
  "  missing  INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),"
  "  imported TEXT NOT NULL);"
  "CREATE TABLE thumbnail ("
  "  item   INTEGER PRIMARY KEY REFERENCES image (item) ON DELETE CASCADE,"
  "  sha256 TEXT NOT NULL,"
  "  width  INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  png    BLOB NOT NULL);"
  "CREATE TABLE participant ("
  "  id      INTEGER PRIMARY KEY,"
  "  code    TEXT NOT NULL UNIQUE,"
  "  created TEXT NOT NULL,"
  "  consent INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),"
  "  pilot   INTEGER NOT NULL DEFAULT 0 CHECK (pilot IN (0, 1)),"
  "  notes   TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE session ("
  "  id          INTEGER PRIMARY KEY,"
  "  participant INTEGER NOT NULL REFERENCES participant (id),"
  "  station     TEXT NOT NULL,"
  "  started     TEXT NOT NULL,"
  "  ended       TEXT);"
  "CREATE TABLE query ("
  "  id                INTEGER PRIMARY KEY,"
  "  phase             INTEGER NOT NULL CHECK (phase >= 0),"
  "  policy            TEXT NOT NULL,"
  "  embedding_version INTEGER NOT NULL,"
  "  state             TEXT NOT NULL DEFAULT 'pending'"
  "                    CHECK (state IN ('pending', 'served', 'answered', 'abandoned')),"
  "  drawn             INTEGER NOT NULL DEFAULT 1 CHECK (drawn IN (0, 1)),"
  "  created           TEXT NOT NULL);"
  "CREATE INDEX query_phase ON query (phase, id);"
  "CREATE TABLE query_item ("
  "  query    INTEGER NOT NULL REFERENCES query (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  item     INTEGER NOT NULL REFERENCES image (item),"
  "  PRIMARY KEY (query, position)) WITHOUT ROWID;"
  "CREATE TABLE answer ("
  "  id           INTEGER PRIMARY KEY,"
  "  query        INTEGER NOT NULL UNIQUE REFERENCES query (id),"
  "  participant  INTEGER REFERENCES participant (id),"
  "  session      INTEGER REFERENCES session (id),"
  "  shown_us     INTEGER NOT NULL,"
  "  submitted_us INTEGER NOT NULL);"
  "CREATE TABLE answer_bin ("
  "  answer   INTEGER NOT NULL REFERENCES answer (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  bin      INTEGER NOT NULL CHECK (bin >= -1),"
  "  PRIMARY KEY (answer, position)) WITHOUT ROWID;"
  "CREATE TABLE answer_move ("
  "  answer   INTEGER NOT NULL REFERENCES answer (id) ON DELETE CASCADE,"
  "  seq      INTEGER NOT NULL,"
  "  item     INTEGER NOT NULL,"
  "  from_bin INTEGER NOT NULL,"
  "  to_bin   INTEGER NOT NULL,"
  "  ms       INTEGER NOT NULL,"
  "  PRIMARY KEY (answer, seq)) WITHOUT ROWID;"
  "CREATE TABLE phase ("
  "  phase         INTEGER PRIMARY KEY CHECK (phase >= 0),"
  "  ended         TEXT NOT NULL,"
  "  answers       INTEGER NOT NULL,"
  "  stress        REAL,"
  "  iterations    INTEGER,"
  "  pairs_updated INTEGER,"
  "  n_items       INTEGER NOT NULL,"
  "  dim           INTEGER NOT NULL,"
  "  embedding     BLOB NOT NULL);"
  "CREATE TABLE phase_metric ("
  "  phase INTEGER NOT NULL REFERENCES phase (phase) ON DELETE CASCADE,"
  "  name  TEXT NOT NULL,"
  "  value REAL,"
  "  PRIMARY KEY (phase, name)) WITHOUT ROWID;",

  /* 1 → 2 */
  "ALTER TABLE answer ADD COLUMN source TEXT NOT NULL DEFAULT 'local';"
  "CREATE INDEX answer_session ON answer (session);",

  /* 2 → 3 */
  "CREATE TABLE feature ("
  "  item   INTEGER NOT NULL REFERENCES image (item) ON DELETE CASCADE,"
  "  kind   TEXT NOT NULL CHECK (kind IN ('color', 'hog')),"
  "  sha256 TEXT NOT NULL,"
  "  params TEXT NOT NULL,"
  "  dim    INTEGER NOT NULL CHECK (dim > 0),"
  "  vector BLOB NOT NULL,"
  "  PRIMARY KEY (item, kind)) WITHOUT ROWID;",

  /* 3 → 4 */
  "CREATE TABLE setting ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL) WITHOUT ROWID;",

  /* 4 → 5 */
  "CREATE TABLE judging_round ("
  "  id          INTEGER PRIMARY KEY,"
  "  created     TEXT NOT NULL,"
  "  judge       TEXT NOT NULL,"
  "  baseline    TEXT NOT NULL CHECK (baseline IN ('color', 'hog')),"
  "  k           INTEGER NOT NULL CHECK (k > 0),"
  "  sample_seed INTEGER NOT NULL,"
  "  phase       INTEGER);"
  "CREATE TABLE judging_seed ("
  "  round INTEGER NOT NULL REFERENCES judging_round (id) ON DELETE CASCADE,"
  "  seq   INTEGER NOT NULL CHECK (seq >= 0),"
  "  item  INTEGER NOT NULL REFERENCES image (item),"
  "  PRIMARY KEY (round, seq)) WITHOUT ROWID;"
  "CREATE TABLE judging_neighbour ("
  "  round    INTEGER NOT NULL,"
  "  seq      INTEGER NOT NULL,"
  "  source   TEXT NOT NULL CHECK (source IN ('learned', 'baseline')),"
  "  rank     INTEGER NOT NULL CHECK (rank >= 1),"
  "  item     INTEGER NOT NULL REFERENCES image (item),"
  "  distance REAL NOT NULL,"
  "  PRIMARY KEY (round, seq, source, rank),"
  "  FOREIGN KEY (round, seq) REFERENCES judging_seed (round, seq) ON DELETE CASCADE)"
  "  WITHOUT ROWID;"
  "CREATE TABLE judging_shown ("
  "  round    INTEGER NOT NULL,"
  "  seq      INTEGER NOT NULL,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  item     INTEGER NOT NULL REFERENCES image (item),"
  "  mark     TEXT CHECK (mark IN ('very_similar', 'similar', 'unrelated')),"
  "  marked   TEXT,"
  "  PRIMARY KEY (round, seq, position),"
  "  UNIQUE (round, seq, item),"
  "  FOREIGN KEY (round, seq) REFERENCES judging_seed (round, seq) ON DELETE CASCADE)"
  "  WITHOUT ROWID;",

  /* 5 → 6 */
  "CREATE TABLE crowd_batch ("
  "  id       INTEGER PRIMARY KEY,"
  "  platform TEXT NOT NULL CHECK (platform IN ('toloka', 'mturk')),"
  "  created  TEXT NOT NULL,"
  "  base_url TEXT NOT NULL,"
  "  seed     INTEGER NOT NULL);"
  "CREATE TABLE crowd_grid ("
  "  grid_id TEXT PRIMARY KEY,"
  "  batch   INTEGER NOT NULL REFERENCES crowd_batch (id) ON DELETE CASCADE,"
  "  query   INTEGER NOT NULL UNIQUE REFERENCES query (id)) WITHOUT ROWID;"
  "CREATE TABLE crowd_assignment ("
  "  platform   TEXT NOT NULL CHECK (platform IN ('toloka', 'mturk')),"
  "  assignment TEXT NOT NULL,"
  "  answer     INTEGER NOT NULL UNIQUE REFERENCES answer (id) ON DELETE CASCADE,"
  "  grid_id    TEXT NOT NULL REFERENCES crowd_grid (grid_id),"
  "  worker     TEXT NOT NULL,"
  "  status     TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),"
  "  included   INTEGER NOT NULL CHECK (included IN (0, 1)),"
  "  PRIMARY KEY (platform, assignment)) WITHOUT ROWID;",

  /* 6 → 7 */
  "CREATE TABLE gold_grid ("
  "  id           INTEGER PRIMARY KEY,"
  "  name         TEXT NOT NULL UNIQUE,"
  "  use          TEXT NOT NULL CHECK (use IN ('training', 'exam')),"
  "  instructions TEXT,"
  "  source       TEXT NOT NULL,"
  "  created      TEXT NOT NULL,"
  "  nc           INTEGER NOT NULL CHECK (nc >= 2));"
  "CREATE TABLE gold_item ("
  "  gold     INTEGER NOT NULL REFERENCES gold_grid (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  item     INTEGER NOT NULL REFERENCES image (item),"
  "  bin      INTEGER NOT NULL CHECK (bin >= -1),"
  "  PRIMARY KEY (gold, position)) WITHOUT ROWID;"
  "ALTER TABLE query ADD COLUMN gold INTEGER REFERENCES gold_grid (id);"
  "ALTER TABLE query ADD COLUMN repeat_of INTEGER REFERENCES query (id);"
  "ALTER TABLE participant ADD COLUMN status TEXT NOT NULL DEFAULT 'active'"
  "  CHECK (status IN ('active', 'not_qualified'));",

  /* 7 → 8: participants left out of the model */
  "CREATE TABLE participant_excluded ("
  "  participant INTEGER PRIMARY KEY REFERENCES participant (id) ON DELETE CASCADE,"
  "  since       TEXT NOT NULL);",


  /* 8 → 9: task kinds other than sorting */
  "ALTER TABLE query ADD COLUMN kind TEXT NOT NULL DEFAULT 'sort' CHECK (kind IN ('sort',"
  "  'triplet', 'choice5', 'match', 'intruder', 'training', 'exam'));"
  "CREATE TABLE trial ("
  "  query       INTEGER PRIMARY KEY REFERENCES query (id) ON DELETE CASCADE,"
  "  swapped     INTEGER NOT NULL DEFAULT 0 CHECK (swapped IN (0, 1)),"
  "  key         INTEGER NOT NULL DEFAULT -1,"
  "  trial_group INTEGER NOT NULL DEFAULT 0 CHECK (trial_group >= 0),"
  "  block       INTEGER NOT NULL DEFAULT 0 CHECK (block >= 0));"
  "ALTER TABLE answer ADD COLUMN choice INTEGER;"
  "CREATE TABLE answer_group_name ("
  "  answer INTEGER NOT NULL REFERENCES answer (id) ON DELETE CASCADE,"
  "  bin    INTEGER NOT NULL CHECK (bin >= 0),"
  "  name   TEXT NOT NULL,"
  "  PRIMARY KEY (answer, bin)) WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LK_STORE_SCHEMA_VERSION);

/* Runs @sql on @db; on failure sets @error naming @what. */
static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, LK_STORE_ERROR,
                   rc == SQLITE_READONLY ? LK_STORE_ERROR_READ_ONLY :
                   rc == SQLITE_FULL ? LK_STORE_ERROR_DISK_FULL : LK_STORE_ERROR_FAILED,
                   "%s: %s", what, message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_store_schema_upgrade:
 * @db: an open connection, outside any transaction
 * @from: the file's current user_version
 * @to: the version wanted, at most %LK_STORE_SCHEMA_VERSION
 * @error: return location for a #GError
 *
 * Runs the migrations from @from to @to, each in its own transaction together with its
 * user_version bump. Tests use @to below the current version to make old files.
 *
 * Returns: %TRUE on success; on failure the file stays at the last completed version.
 */
gboolean
lk_store_schema_upgrade (sqlite3  *db,
                         guint     from,
                         guint     to,
                         GError  **error)
{
  g_return_val_if_fail (to <= LK_STORE_SCHEMA_VERSION, FALSE);

  for (guint v = from; v < to; v++)
    {
      g_autofree char *what = g_strdup_printf ("Upgrading the study from version %u to %u", v, v + 1);
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u;", v + 1);

      if (!exec_sql (db, "BEGIN IMMEDIATE;", what, error))
        return FALSE;
      if ((v == 0 && !exec_sql (db, "PRAGMA application_id = 1282102132;", what, error)) ||
          !exec_sql (db, migrations[v], what, error) ||
          !exec_sql (db, bump, what, error) ||
          !exec_sql (db, "COMMIT;", what, error))
        {
          sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}
