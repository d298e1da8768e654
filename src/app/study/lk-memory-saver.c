/* lk-memory-saver.c — answers kept in memory: the demo studies' store, and a test double
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-memory-saver.h"

typedef struct {
  LkQuery  *answer;
  guint     n_moves;
  gboolean  pilot;
  gboolean  drawn;
} Saved;

struct _LkMemorySaver
{
  GObject   parent_instance;

  GArray   *saved;
  gboolean  failing;
};

static void lk_memory_saver_answer_saver_init (LkAnswerSaverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkMemorySaver, lk_memory_saver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_ANSWER_SAVER,
                                                      lk_memory_saver_answer_saver_init))

static gboolean
lk_memory_saver_save (LkAnswerSaver         *saver,
                      const LkAnswerRecord  *record,
                      GError               **error)
{
  LkMemorySaver *self = LK_MEMORY_SAVER (saver);
  Saved saved;

  if (self->failing)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("No space left on the device"));
      return FALSE;
    }

  saved.answer = lk_query_copy (record->answer);
  saved.n_moves = record->n_moves;
  saved.pilot = record->pilot;
  saved.drawn = record->drawn;
  g_array_append_val (self->saved, saved);

  return TRUE;
}

static void
lk_memory_saver_answer_saver_init (LkAnswerSaverInterface *iface)
{
  iface->save = lk_memory_saver_save;
}

static void
clear_saved (gpointer data)
{
  Saved *saved = data;

  g_clear_pointer (&saved->answer, lk_query_free);
}

static void
lk_memory_saver_finalize (GObject *object)
{
  LkMemorySaver *self = (LkMemorySaver *)object;

  g_clear_pointer (&self->saved, g_array_unref);

  G_OBJECT_CLASS (lk_memory_saver_parent_class)->finalize (object);
}

static void
lk_memory_saver_class_init (LkMemorySaverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_memory_saver_finalize;
}

static void
lk_memory_saver_init (LkMemorySaver *self)
{
  self->saved = g_array_new (FALSE, FALSE, sizeof (Saved));
  g_array_set_clear_func (self->saved, clear_saved);
}

LkMemorySaver *
lk_memory_saver_new (void)
{
  return g_object_new (LK_TYPE_MEMORY_SAVER, NULL);
}

guint
lk_memory_saver_get_n_saved (LkMemorySaver *self)
{
  g_return_val_if_fail (LK_IS_MEMORY_SAVER (self), 0);

  return self->saved->len;
}

/**
 * lk_memory_saver_get_answer:
 *
 * Returns: (transfer none): the answer saved @index-th
 */
const LkQuery *
lk_memory_saver_get_answer (LkMemorySaver *self,
                            guint          index)
{
  g_return_val_if_fail (LK_IS_MEMORY_SAVER (self), NULL);
  g_return_val_if_fail (index < self->saved->len, NULL);

  return g_array_index (self->saved, Saved, index).answer;
}

guint
lk_memory_saver_get_n_moves (LkMemorySaver *self,
                             guint          index)
{
  g_return_val_if_fail (LK_IS_MEMORY_SAVER (self), 0);
  g_return_val_if_fail (index < self->saved->len, 0);

  return g_array_index (self->saved, Saved, index).n_moves;
}

gboolean
lk_memory_saver_get_pilot (LkMemorySaver *self,
                           guint          index)
{
  g_return_val_if_fail (LK_IS_MEMORY_SAVER (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).pilot;
}

/**
 * lk_memory_saver_get_drawn:
 *
 * Returns: %TRUE if the @index-th answer's grid was drawn on the spot (the phase's queue was
 *   empty while the refinement worker ran)
 */
gboolean
lk_memory_saver_get_drawn (LkMemorySaver *self,
                           guint          index)
{
  g_return_val_if_fail (LK_IS_MEMORY_SAVER (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).drawn;
}

/**
 * lk_memory_saver_set_failing:
 * @failing: make every save fail as a full disk does, until set back
 */
void
lk_memory_saver_set_failing (LkMemorySaver *self,
                             gboolean       failing)
{
  g_return_if_fail (LK_IS_MEMORY_SAVER (self));

  self->failing = failing;
}
