/* lk-evidence.c — an open-addressing hash table of pair counts
 *
 * The table is keyed by the ordered pair (a < b) packed into 64 bits and grows by doubling at
 * a load of 3/4, so memory follows the number of pairs actually seen (at most nq (nq - 1) / 2
 * per answer), never N x N. A study of 10,000 images and 12,000 grids has 1.4 million pairs:
 * with 20-byte slots (packed, instead of 24 aligned) and the load of 3/4 (instead of 1/2, which
 * left the table a third full after a doubling) they take 40 MB instead of 100; linear probing
 * at that load still finds a pair in under 3 probes on average.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-evidence.h"
#include "lk-evidence-private.h"
#include "lk-pair-key-private.h"

#include <string.h>

#define EMPTY_KEY G_MAXUINT64

typedef struct __attribute__ ((packed)) {
  guint64 key;
  guint32 together;
  guint32 apart;
  guint32 shared;
} Slot;

G_STATIC_ASSERT (sizeof (Slot) == 20);

struct _LkEvidence {
  guint  n_items;
  guint  n_answers;
  gsize  n_pairs;
  gsize  capacity;              /* a power of two */
  Slot  *slots;
  guint64 n_probes;             /* slots visited by lk_evidence_add_counts(), for the tests */
};

static Slot *
alloc_slots (gsize capacity)
{
  Slot *slots = g_new (Slot, capacity);

  for (gsize i = 0; i < capacity; i++)
    slots[i].key = EMPTY_KEY;

  return slots;
}

/* Returns the first slot to probe for @key.
 *
 * The hash is salted with the capacity. Unsalted, every table put its pairs in one order (by
 * the one hash), and lk_evidence_foreach() hands them out in that order: copied into another
 * table (a phase's pairs into those of all phases), the first pairs to arrive from a source
 * table 3/4 full all had their home slots in the low part of the growing copy, which held more
 * than it could, and linear probing walked long runs (tests/core/test-distance.c: 14 probes
 * per pair instead of 3; the first phase of the paper's method at N = 30,000 spent 53 % of its
 * time here). With the salt the order of a table says nothing about the slots of a table of
 * another capacity, and a table of the same capacity receives the pairs in the order of their
 * home slots, at no more than the source's load. */
static inline gsize
home_slot (gsize   capacity,
           guint64 key)
{
  return lk_pair_key_mix (key ^ (capacity * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)))
         & (capacity - 1);
}

/* Returns the slot holding @key, or the empty slot where it would go, adding the slots visited
 * to @n_probes. */
static Slot *
find_slot_counted (Slot    *slots,
                   gsize    capacity,
                   guint64  key,
                   guint64 *n_probes)
{
  gsize i = home_slot (capacity, key);
  guint64 probes = 1;

  while (slots[i].key != EMPTY_KEY && slots[i].key != key)
    {
      i = (i + 1) & (capacity - 1);
      probes++;
    }
  *n_probes += probes;

  return &slots[i];
}

static Slot *
find_slot (Slot    *slots,
           gsize    capacity,
           guint64  key)
{
  guint64 ignored = 0;

  return find_slot_counted (slots, capacity, key, &ignored);
}

static void
grow (LkEvidence *self)
{
  gsize new_capacity = self->capacity * 2;
  Slot *new_slots = alloc_slots (new_capacity);

  for (gsize i = 0; i < self->capacity; i++)
    {
      if (self->slots[i].key != EMPTY_KEY)
        *find_slot (new_slots, new_capacity, self->slots[i].key) = self->slots[i];
    }

  g_free (self->slots);
  self->slots = new_slots;
  self->capacity = new_capacity;
}

/**
 * lk_evidence_new:
 * @n_items: number of items in the collection
 *
 * Returns: (transfer full): empty evidence over @n_items items
 */
LkEvidence *
lk_evidence_new (guint n_items)
{
  LkEvidence *self = g_new0 (LkEvidence, 1);

  self->n_items = n_items;
  self->capacity = 1024;
  self->slots = alloc_slots (self->capacity);

  return self;
}

/**
 * lk_evidence_new_sized:
 * @n_items: number of items in the collection
 * @n_pairs: how many distinct pairs it will hold, at most (a hint)
 *
 * As lk_evidence_new(), with the table sized for @n_pairs at once, so that filling it does not
 * double it step by step (a phase of the paper's method at N = 10,000 adds 450,000 pairs; the
 * doublings cost as much as the insertions and a page fault per fresh page each time).
 *
 * Returns: (transfer full): empty evidence over @n_items items
 */
LkEvidence *
lk_evidence_new_sized (guint n_items,
                       gsize n_pairs)
{
  LkEvidence *self = g_new0 (LkEvidence, 1);

  self->n_items = n_items;
  self->capacity = 1024;
  while (3 * self->capacity < 4 * n_pairs)
    self->capacity *= 2;
  self->slots = alloc_slots (self->capacity);

  return self;
}

LkEvidence *
lk_evidence_copy (const LkEvidence *self)
{
  LkEvidence *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->slots = g_memdup2 (self->slots, sizeof (Slot) * self->capacity);

  return copy;
}

void
lk_evidence_free (LkEvidence *self)
{
  if (self == NULL)
    return;

  g_free (self->slots);
  g_free (self);
}

guint
lk_evidence_get_n_items (const LkEvidence *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

/**
 * lk_evidence_get_n_pairs:
 * @self: evidence
 *
 * Returns: the number of distinct pairs that have shared a grid
 */
gsize
lk_evidence_get_n_pairs (const LkEvidence *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_pairs;
}

guint
lk_evidence_get_n_answers (const LkEvidence *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_answers;
}

/**
 * lk_evidence_add_counts:
 * @self: evidence
 * @a: an item
 * @b: another item
 * @together: positive results to add
 * @apart: negative results to add
 * @shared: co-occurrences to add
 *
 * Adds counts for the pair (@a, @b) in either order.
 */
void
lk_evidence_add_counts (LkEvidence *self,
                        guint       a,
                        guint       b,
                        guint       together,
                        guint       apart,
                        guint       shared)
{
  guint64 key;
  Slot *slot;

  g_return_if_fail (self != NULL);
  g_return_if_fail (a != b && a < self->n_items && b < self->n_items);

  if (4 * (self->n_pairs + 1) > 3 * self->capacity)
    grow (self);

  key = lk_pair_key (a, b);
  slot = find_slot_counted (self->slots, self->capacity, key, &self->n_probes);
  if (slot->key == EMPTY_KEY)
    {
      *slot = (Slot) { .key = key };
      self->n_pairs++;
    }

  slot->together += together;
  slot->apart += apart;
  slot->shared += shared;
}

/**
 * lk_evidence_add_answer:
 * @self: evidence
 * @query: an answered query
 *
 * Adds every pair of @query: one co-occurrence each, and its positive or negative result as
 * lk_query_pair_result() defines it.
 */
void
lk_evidence_add_answer (LkEvidence    *self,
                        const LkQuery *query)
{
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (query != NULL && lk_query_is_answered (query));

  n = lk_query_get_n_items (query);
  for (guint i = 0; i < n; i++)
    {
      /* The pairs of an item land in unrelated slots of a table far larger than the caches:
       * asking for all of the row's slots first lets their cache misses overlap (a hint only;
       * a growth on the way merely wastes it). */
      for (guint j = i + 1; j < n; j++)
        {
          guint64 key = lk_pair_key (lk_query_get_item (query, i), lk_query_get_item (query, j));

          __builtin_prefetch (&self->slots[home_slot (self->capacity, key)]);
        }

      for (guint j = i + 1; j < n; j++)
        {
          LkPairResult r = lk_query_pair_result (query, i, j);

          lk_evidence_add_counts (self, lk_query_get_item (query, i), lk_query_get_item (query, j),
                                  r == LK_PAIR_POSITIVE, r == LK_PAIR_NEGATIVE, 1);
        }
    }

  self->n_answers++;
}

/**
 * lk_evidence_lookup:
 * @self: evidence
 * @a: an item
 * @b: another item
 * @counts: (out) (optional): the pair's counts, zero if it never shared a grid
 *
 * Returns: %TRUE if the pair has shared a grid
 */
gboolean
lk_evidence_lookup (const LkEvidence *self,
                    guint             a,
                    guint             b,
                    LkPairCounts     *counts)
{
  const Slot *slot;

  g_return_val_if_fail (self != NULL, FALSE);

  slot = find_slot (self->slots, self->capacity, lk_pair_key (a, b));

  if (counts != NULL)
    {
      *counts = (LkPairCounts) { .a = MIN (a, b), .b = MAX (a, b) };
      if (slot->key != EMPTY_KEY)
        {
          counts->together = slot->together;
          counts->apart = slot->apart;
          counts->shared = slot->shared;
        }
    }

  return slot->key != EMPTY_KEY;
}

/**
 * lk_evidence_foreach:
 * @self: evidence
 * @func: called once per pair that has shared a grid, in an order fixed by the contents
 * @user_data: passed to @func
 */
void
lk_evidence_foreach (const LkEvidence *self,
                     LkEvidenceFunc    func,
                     gpointer          user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  for (gsize i = 0; i < self->capacity; i++)
    {
      const Slot *s = &self->slots[i];
      LkPairCounts c;

      if (s->key == EMPTY_KEY)
        continue;

      c = (LkPairCounts) {
        .a = (guint) (s->key >> 32),
        .b = (guint) (s->key & G_MAXUINT32),
        .together = s->together,
        .apart = s->apart,
        .shared = s->shared,
      };
      func (&c, user_data);
    }
}

/* Returns the number of slots lk_evidence_add_counts() has visited in this table (an update of a
 * pair found at its home slot visits one). */
guint64
lk_evidence_get_n_probes (const LkEvidence *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_probes;
}
