/* lk-sort-model.c — one grid being sorted: where each image is, the move log, the submit rule
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-params.h"
#include "lk-sort-model.h"

struct _LkSortModel
{
  GObject     parent_instance;

  /* The grid */
  guint      *items;
  guint       n_items;
  guint       nc;
  LkSortRule  rule;

  /* Where each position is now; how many positions each bin holds (index nc is the grid) */
  gint       *bins;
  guint      *counts;

  /* Every move in order, undos included, and the log indices that Ctrl+Z can still revert */
  GArray     *moves;
  GArray     *undo_stack;

  gint64      shown_at;
  char       *reason;

  /* The names the participant typed for the bins (nc + 1, NULL-terminated; "" for none) */
  char      **names;
};

G_DEFINE_FINAL_TYPE (LkSortModel, lk_sort_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_SUBMIT,
  PROP_REASON,
  N_PROPS,
};

enum {
  SIGNAL_MOVED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Returns the index into counts[] of @bin: the bin itself, or nc for the grid. */
static guint
count_index (LkSortModel *self,
             gint         bin)
{
  return bin == LK_BIN_LEFT_OUT ? self->nc : (guint) bin;
}

/* Returns the reason why the grid cannot be submitted yet, or NULL when it can. */
static char *
compute_reason (LkSortModel *self)
{
  guint left = self->counts[self->nc];

  if (self->rule == LK_SORT_RULE_ALL_PLACED && left > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Put the last image into a bin",
                                         "Put the %u remaining images into bins", left),
                            left);
  if (left == self->n_items)
    return g_strdup (_("Put at least one image into a bin"));

  return NULL;
}

static void
update_state (LkSortModel *self,
              gboolean     could_undo)
{
  g_autofree char *reason = compute_reason (self);
  gboolean could_submit = self->reason == NULL;

  if (g_strcmp0 (reason, self->reason) != 0)
    {
      g_free (self->reason);
      self->reason = g_steal_pointer (&reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
    }
  if (could_submit != (self->reason == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SUBMIT]);
  if (could_undo != lk_sort_model_get_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

/* Moves @position to @bin, logs it and tells listeners. */
static void
apply_move (LkSortModel *self,
            guint        position,
            gint         bin,
            gboolean     undo)
{
  gboolean could_undo = lk_sort_model_get_can_undo (self);
  LkSortMove move = {
    .position = position,
    .item = self->items[position],
    .from = self->bins[position],
    .to = bin,
    .ms = lk_sort_model_get_elapsed_ms (self),
    .undo = undo,
  };

  self->counts[count_index (self, move.from)]--;
  self->counts[count_index (self, move.to)]++;
  self->bins[position] = bin;
  g_array_append_val (self->moves, move);
  if (!undo)
    {
      guint index = self->moves->len - 1;

      g_array_append_val (self->undo_stack, index);
    }

  g_signal_emit (self, signals[SIGNAL_MOVED], 0, position, move.from, move.to);
  update_state (self, could_undo);
}

static void
lk_sort_model_finalize (GObject *object)
{
  LkSortModel *self = (LkSortModel *)object;

  g_clear_pointer (&self->items, g_free);
  g_clear_pointer (&self->bins, g_free);
  g_clear_pointer (&self->counts, g_free);
  g_clear_pointer (&self->moves, g_array_unref);
  g_clear_pointer (&self->undo_stack, g_array_unref);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->names, g_strfreev);

  G_OBJECT_CLASS (lk_sort_model_parent_class)->finalize (object);
}

static void
lk_sort_model_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkSortModel *self = LK_SORT_MODEL (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, lk_sort_model_get_can_undo (self));
      break;

    case PROP_CAN_SUBMIT:
      g_value_set_boolean (value, lk_sort_model_get_can_submit (self));
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sort_model_class_init (LkSortModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_sort_model_finalize;
  object_class->get_property = lk_sort_model_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SUBMIT] =
    g_param_spec_boolean ("can-submit", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkSortModel::moved:
   * @position: the image that moved
   * @from: the bin it left (%LK_BIN_LEFT_OUT for the grid)
   * @to: the bin it is in now
   */
  signals[SIGNAL_MOVED] =
    g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_INT, G_TYPE_INT);
}

static void
lk_sort_model_init (LkSortModel *self)
{
  self->moves = g_array_new (FALSE, FALSE, sizeof (LkSortMove));
  self->undo_stack = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * lk_sort_model_new:
 * @items: (array length=n_items): the grid's item ids in display order
 * @n_items: at least 1
 * @nc: number of bins, 1..10 (one key each: 1 to 9, then 0)
 * @rule: what must hold before submitting
 *
 * Every image starts in the grid. The clock starts now; call lk_sort_model_restart_clock()
 * when the grid is actually shown.
 *
 * Returns: (transfer full): a new model
 */
LkSortModel *
lk_sort_model_new (const guint *items,
                   guint        n_items,
                   guint        nc,
                   LkSortRule   rule)
{
  LkSortModel *self;

  g_return_val_if_fail (items != NULL && n_items > 0, NULL);
  g_return_val_if_fail (nc >= 1 && nc <= LK_PARAMS_STUDY_MAX_NC, NULL);

  self = g_object_new (LK_TYPE_SORT_MODEL, NULL);
  self->items = g_memdup2 (items, sizeof (guint) * n_items);
  self->n_items = n_items;
  self->nc = nc;
  self->rule = rule;
  self->bins = g_new (gint, n_items);
  for (guint i = 0; i < n_items; i++)
    self->bins[i] = LK_BIN_LEFT_OUT;
  self->counts = g_new0 (guint, nc + 1);
  self->counts[nc] = n_items;
  self->names = g_new0 (char *, nc + 1);
  for (guint b = 0; b < nc; b++)
    self->names[b] = g_strdup ("");
  self->reason = compute_reason (self);
  self->shown_at = g_get_monotonic_time ();

  return self;
}

guint
lk_sort_model_get_n_items (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), 0);

  return self->n_items;
}

guint
lk_sort_model_get_nc (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), 0);

  return self->nc;
}

LkSortRule
lk_sort_model_get_rule (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), LK_SORT_RULE_ANY_PLACED);

  return self->rule;
}

guint
lk_sort_model_get_item (LkSortModel *self,
                        guint        position)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), 0);
  g_return_val_if_fail (position < self->n_items, 0);

  return self->items[position];
}

/**
 * lk_sort_model_get_bin:
 *
 * Returns: the bin of the image at @position, or %LK_BIN_LEFT_OUT while it is in the grid
 */
gint
lk_sort_model_get_bin (LkSortModel *self,
                       guint        position)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), LK_BIN_LEFT_OUT);
  g_return_val_if_fail (position < self->n_items, LK_BIN_LEFT_OUT);

  return self->bins[position];
}

/**
 * lk_sort_model_get_n_in_bin:
 * @bin: 0..nc-1, or %LK_BIN_LEFT_OUT for the grid
 *
 * Returns: how many images @bin holds
 */
guint
lk_sort_model_get_n_in_bin (LkSortModel *self,
                            gint         bin)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), 0);
  g_return_val_if_fail (bin == LK_BIN_LEFT_OUT || (bin >= 0 && (guint) bin < self->nc), 0);

  return self->counts[count_index (self, bin)];
}

gboolean
lk_sort_model_get_can_undo (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), FALSE);

  return self->undo_stack->len > 0;
}

gboolean
lk_sort_model_get_can_submit (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), FALSE);

  return self->reason == NULL;
}

/**
 * lk_sort_model_get_reason:
 *
 * Returns: (nullable): why the grid cannot be submitted yet, for the participant; %NULL if it can
 */
const char *
lk_sort_model_get_reason (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), NULL);

  return self->reason;
}

/**
 * lk_sort_model_get_moves:
 * @n_moves: (out): number of moves
 *
 * Returns: (array length=n_moves) (transfer none): every move so far, in order, undos included
 */
const LkSortMove *
lk_sort_model_get_moves (LkSortModel *self,
                         guint       *n_moves)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), NULL);
  g_return_val_if_fail (n_moves != NULL, NULL);

  *n_moves = self->moves->len;

  return (const LkSortMove *) self->moves->data;
}

/**
 * lk_sort_model_get_answer:
 *
 * Returns: (array) (transfer none): the bin of each position, as lk_query_set_answer() takes it
 */
const gint *
lk_sort_model_get_answer (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), NULL);

  return self->bins;
}

/**
 * lk_sort_model_get_elapsed_ms:
 *
 * Returns: milliseconds since the grid was shown
 */
gint64
lk_sort_model_get_elapsed_ms (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), 0);

  return (g_get_monotonic_time () - self->shown_at) / 1000;
}

/**
 * lk_sort_model_restart_clock:
 *
 * Starts the times of the move log now: the grid has just been shown. Only before any move.
 */
void
lk_sort_model_restart_clock (LkSortModel *self)
{
  g_return_if_fail (LK_IS_SORT_MODEL (self));
  g_return_if_fail (self->moves->len == 0);

  self->shown_at = g_get_monotonic_time ();
}

/**
 * lk_sort_model_move:
 * @position: an image of the grid
 * @bin: 0..nc-1, or %LK_BIN_LEFT_OUT to put it back in the grid
 *
 * Returns: %TRUE if the image moved, %FALSE if it was already there (nothing is logged)
 */
gboolean
lk_sort_model_move (LkSortModel *self,
                    guint        position,
                    gint         bin)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), FALSE);
  g_return_val_if_fail (position < self->n_items, FALSE);
  g_return_val_if_fail (bin == LK_BIN_LEFT_OUT || (bin >= 0 && (guint) bin < self->nc), FALSE);

  if (self->bins[position] == bin)
    return FALSE;

  apply_move (self, position, bin, FALSE);

  return TRUE;
}

/**
 * lk_sort_model_undo:
 *
 * Reverts the last move that has not been undone yet. The reverting move is logged too, with
 * @undo set, so the log tells what the participant saw.
 *
 * Returns: %FALSE if there was nothing to undo
 */
gboolean
lk_sort_model_undo (LkSortModel *self)
{
  const LkSortMove *last;
  guint index;

  g_return_val_if_fail (LK_IS_SORT_MODEL (self), FALSE);

  if (self->undo_stack->len == 0)
    return FALSE;

  index = g_array_index (self->undo_stack, guint, self->undo_stack->len - 1);
  g_array_set_size (self->undo_stack, self->undo_stack->len - 1);
  last = &g_array_index (self->moves, LkSortMove, index);

  apply_move (self, last->position, last->from, TRUE);

  return TRUE;
}

/**
 * lk_sort_model_to_query:
 *
 * Returns: (transfer full): an answered #LkQuery of the grid as it is now, or %NULL with
 *   @error set if the submit rule does not hold
 */
LkQuery *
lk_sort_model_to_query (LkSortModel  *self,
                        GError      **error)
{
  g_autoptr(LkQuery) query = NULL;

  g_return_val_if_fail (LK_IS_SORT_MODEL (self), NULL);

  if (self->reason != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, self->reason);
      return NULL;
    }

  query = lk_query_new (self->items, self->n_items);
  if (!lk_query_set_answer (query, self->bins, self->nc, error))
    return NULL;

  return g_steal_pointer (&query);
}

/**
 * lk_sort_model_set_group_name:
 * @bin: a bin (0..nc-1)
 * @name: (nullable): the name the participant typed for it; %NULL or "" for none
 *
 * Names a bin's group (papers 001 and 002: the participant says what the images of a group
 * share). The name is not a move: it is not logged and Ctrl+Z does not revert it.
 */
void
lk_sort_model_set_group_name (LkSortModel *self,
                              guint        bin,
                              const char  *name)
{
  g_return_if_fail (LK_IS_SORT_MODEL (self));
  g_return_if_fail (bin < self->nc);

  g_free (self->names[bin]);
  self->names[bin] = g_strdup (name != NULL ? name : "");
}

/**
 * lk_sort_model_get_group_name:
 * @bin: a bin (0..nc-1)
 *
 * Returns: (transfer none): the name typed for @bin, "" for none
 */
const char *
lk_sort_model_get_group_name (LkSortModel *self,
                              guint        bin)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), "");
  g_return_val_if_fail (bin < self->nc, "");

  return self->names[bin];
}

/**
 * lk_sort_model_get_group_names:
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the name of every bin, by bin
 *   ("" for a bin left unnamed), or %NULL when no bin has a name (names may be only spaces:
 *   the store trims them)
 */
const char *const *
lk_sort_model_get_group_names (LkSortModel *self)
{
  g_return_val_if_fail (LK_IS_SORT_MODEL (self), NULL);

  for (guint b = 0; b < self->nc; b++)
    if (self->names[b][0] != '\0')
      return (const char *const *) self->names;

  return NULL;
}
