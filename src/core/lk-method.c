/* lk-method.c — the registry of embedding methods
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-method.h"
#include "lk-method-private.h"
#include "lk-cen.h"

#include <string.h>

static const LkMethodType *const registry[] = {
  &_lk_method_paper_type,
  &_lk_method_random_type,
  &_lk_method_triplet_type,
  &_lk_method_crowdcluster_type,
  &_lk_method_cen_type,
  &_lk_method_cen_variance_type,
  &_lk_method_cen_synth_type,
};

static const LkMethodType **
all_methods (guint *n_methods)
{
  *n_methods = G_N_ELEMENTS (registry);

  return (const LkMethodType **) registry;
}

/**
 * lk_method_list:
 * @n_methods: (out): number of methods
 *
 * Returns: (transfer none) (array length=n_methods): every available method, default first
 */
const LkMethodType **
lk_method_list (guint *n_methods)
{
  g_return_val_if_fail (n_methods != NULL, NULL);

  return all_methods (n_methods);
}

/**
 * lk_method_lookup:
 * @name: a method name
 *
 * Returns: (transfer none) (nullable): the method called @name
 */
const LkMethodType *
lk_method_lookup (const char *name)
{
  const LkMethodType **methods;
  guint n;

  g_return_val_if_fail (name != NULL, NULL);

  methods = all_methods (&n);
  for (guint i = 0; i < n; i++)
    if (strcmp (methods[i]->name, name) == 0)
      return methods[i];

  return NULL;
}
