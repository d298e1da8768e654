/* cli-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli-test-utils.h"

#include "tests/lk-test-utils.h"

#include <stdarg.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <sys/wait.h>

void
cli_run_clear (CliRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs the likeness-cli named by $LIKENESS_CLI with a NULL-terminated argument list; fills
 * @r with its standard output, standard error and exit code. */
void
cli_run (CliRun     *r,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("LIKENESS_CLI");
  const char *arg;
  va_list ap;
  int wait_status = 0;

  g_assert_nonnull (cli);
  cli_run_clear (r);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/* Returns the answer ids (as strings) of @study's tidy export, read through likeness-cli. */
GHashTable *
cli_answer_ids (const char *study)
{
  g_auto(CliRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  cli_run (&r, "export", study, "--answers", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_hash_table_add (ids, g_strndup (lines[i], strcspn (lines[i], ",")));

  return ids;
}

/* Writes @n small PNGs of distinct colours, cNN.png, a third of them in @images/sub. */
void
cli_make_images (const char *images,
                 guint       n)
{
  g_autofree char *sub = g_build_filename (images, "sub", NULL);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 14);
      g_autofree char *name = g_strdup_printf ("%sc%02u.png", i % 3 == 0 ? "sub/" : "", i);
      g_autofree char *path = g_build_filename (images, name, NULL);
      g_autoptr(GError) error = NULL;

      gdk_pixbuf_fill (pixbuf, ((guint32) (i * 37 % 256) << 24) | ((guint32) (i * 91 % 256) << 16) |
                               ((guint32) (i * 13 % 256) << 8) | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }
}

void
cli_fixture_setup (CliFixture    *f,
                   gconstpointer  data)
{
  f->dir = lk_test_tmpdir (data);
  f->images = g_build_filename (f->dir, "images", NULL);
  f->study = g_build_filename (f->dir, "study.likeness", NULL);
  f->damaged = g_build_filename (f->dir, "damaged.likeness", NULL);
  cli_make_images (f->images, CLI_FIXTURE_IMAGES);
}

void
cli_fixture_teardown (CliFixture    *f,
                      gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->study);
  g_free (f->damaged);
}
