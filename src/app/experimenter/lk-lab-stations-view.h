/* lk-lab-stations-view.h — a lab study's stations, refiner and answers as they arrive
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-lab-listen.h"

G_BEGIN_DECLS

#define LK_TYPE_LAB_STATIONS_VIEW (lk_lab_stations_view_get_type ())

G_DECLARE_FINAL_TYPE (LkLabStationsView, lk_lab_stations_view, LK, LAB_STATIONS_VIEW, GtkBox)

GtkWidget *lk_lab_stations_view_new         (void);
void       lk_lab_stations_view_set_live    (LkLabStationsView *self,
                                             const LkLabLive   *live);
void       lk_lab_stations_view_set_status  (LkLabStationsView *self,
                                             gboolean           connected,
                                             const char        *message);
guint      lk_lab_stations_view_get_n_answers (LkLabStationsView *self);
guint      lk_lab_stations_view_get_n_stations (LkLabStationsView *self);

G_END_DECLS
