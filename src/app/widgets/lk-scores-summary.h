/* lk-scores-summary.h — a study's scores (lk_study_scores_compute()) read off the main thread,
 * and their headline figures as the overview and the experimenter's window show them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The task kinds scored and the metrics compared, in the order shown. */
#define LK_SCORES_N_KINDS 4
#define LK_SCORES_N_METRICS 3
extern const char *const lk_scores_kinds[LK_SCORES_N_KINDS];
extern const char *const lk_scores_metrics[LK_SCORES_N_METRICS];

void        lk_scores_compute_async  (const char           *path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
JsonNode   *lk_scores_compute_finish (GAsyncResult         *result,
                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
JsonNode   *lk_scores_compute_sync   (const char           *path,
                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;

const char *lk_scores_kind_title     (const char           *kind);
const char *lk_scores_figure_title   (const char           *kind);
const char *lk_scores_metric_title   (const char           *metric);
gboolean    lk_scores_headline       (JsonObject           *scores,
                                      const char           *kind,
                                      const char           *metric,
                                      double               *estimate,
                                      double               *lower,
                                      double               *upper);
char       *lk_scores_format_figure  (double                estimate,
                                      double                lower,
                                      double                upper) G_GNUC_WARN_UNUSED_RESULT;
char       *lk_scores_dup_summary    (JsonNode             *scores) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
