/* lk-core.h — everything the GTK-free core offers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-dataset.h"
#include "lk-distance.h"
#include "lk-embedding.h"
#include "lk-error.h"
#include "lk-evidence.h"
#include "lk-features.h"
#include "lk-judging.h"
#include "lk-kmeans.h"
#include "lk-knn.h"
#include "lk-method.h"
#include "lk-metrics.h"
#include "lk-params.h"
#include "lk-projection.h"
#include "lk-query.h"
#include "lk-query-policy.h"
#include "lk-refine.h"
#include "lk-rng.h"
#include "lk-sammon.h"
#include "lk-scores.h"
#include "lk-simulate.h"
