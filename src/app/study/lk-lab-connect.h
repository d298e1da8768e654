/* lk-lab-connect.h — "Connect to a Lab Study…": the connection URI, and errors in plain words
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called with the URI the experimenter chose to connect to. */
typedef void (*LkLabConnectFunc) (const char *uri,
                                  gpointer    user_data);

void  lk_lab_connect_dialog_present (GtkWindow        *parent,
                                     const char       *uri,
                                     const GError     *error,
                                     LkLabConnectFunc  func,
                                     gpointer          user_data);
char *lk_lab_connect_describe_error (const GError     *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
