/* lk-cli-gold.c — `likeness-cli gold`: a study's known answers (gold grids)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-cli.h"
#include "lk-gold.h"
#include "lk-store-private.h"

static void
print_json (GPtrArray *grids,
            GPtrArray *paths)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (b);
  for (guint g = 0; g < grids->len; g++)
    {
      LkGoldGrid *grid = g_ptr_array_index (grids, g);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, grid->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, grid->name);
      json_builder_set_member_name (b, "use");
      json_builder_add_string_value (b, lk_gold_use_to_string (grid->use));
      json_builder_set_member_name (b, "instructions");
      if (grid->instructions != NULL)
        json_builder_add_string_value (b, grid->instructions);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, grid->source);
      json_builder_set_member_name (b, "created");
      json_builder_add_string_value (b, grid->created);
      json_builder_set_member_name (b, "bins");
      json_builder_add_int_value (b, grid->nc);
      json_builder_set_member_name (b, "images");
      json_builder_begin_array (b);
      for (guint i = 0; i < lk_query_get_n_items (grid->answer); i++)
        {
          guint item = lk_query_get_item (grid->answer, i);
          gint bin = lk_query_get_bin (grid->answer, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "position");
          json_builder_add_int_value (b, i);
          json_builder_set_member_name (b, "item");
          json_builder_add_int_value (b, item);
          json_builder_set_member_name (b, "image");
          json_builder_add_string_value (b, item < paths->len ? g_ptr_array_index (paths, item) : "");
          json_builder_set_member_name (b, "bin");
          if (bin == LK_BIN_LEFT_OUT)
            json_builder_add_string_value (b, "left_out");
          else
            json_builder_add_int_value (b, bin);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

static void
print_text (GPtrArray *grids)
{
  if (grids->len == 0)
    {
      printf ("No known answers. Import some with likeness-cli gold STUDY --import FILE.csv\n");
      return;
    }
  for (guint g = 0; g < grids->len; g++)
    {
      LkGoldGrid *grid = g_ptr_array_index (grids, g);
      guint n = lk_query_get_n_items (grid->answer), left_out = 0;

      for (guint i = 0; i < n; i++)
        left_out += lk_query_get_bin (grid->answer, i) == LK_BIN_LEFT_OUT;
      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%u images in %u bins%s\t%s\n", grid->id, grid->name,
              lk_gold_use_to_string (grid->use), n, grid->nc,
              left_out > 0 ? ", some left out" : "", grid->source);
    }
}

int
lk_cli_gold (int    argc,
             char **argv)
{
  g_autofree char *import_path = NULL, *export_path = NULL;
  gint64 remove_id = 0;
  gboolean json = FALSE, list = FALSE;
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "list the known answers (the default)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list them as JSON", NULL },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import_path,
      "add the known answers of a CSV (gold,use,position,image,bin,instructions), all or none; "
      "those already in the study are left as they are", "FILE" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      "write them as that CSV (- for standard output)", "FILE" },
    { "remove", 0, 0, G_OPTION_ARG_INT64, &remove_id,
      "remove the known answer with this id (one that was shown stays)", "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean writes;
  int status = 0;

  context = lk_cli_parse ("gold", "STUDY",
                          "Lists, imports, exports or removes a study's known answers: grids "
                          "sorted by the experimenter, shown in training pages, scored in the "
                          "exam and mixed into the main block as catch grids.",
                          entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if ((import_path != NULL) + (export_path != NULL) + (remove_id != 0) + (list || json) > 1)
    return lk_cli_usage_error ("gold", "give one of --list, --import, --export and --remove");

  writes = import_path != NULL || remove_id != 0;
  store = lk_store_open (argv[1], writes ? LK_STORE_OPEN_DEFAULT : LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return lk_cli_failure ("gold", error);

  if (import_path != NULL)
    {
      guint added = 0, present = 0;

      if (!lk_gold_import_csv (store, import_path, &added, &present, &error))
        return lk_cli_failure ("gold", error);
      printf ("%u known answers added, %u already present\n", added, present);
      return 0;
    }
  if (remove_id != 0)
    {
      if (!lk_gold_remove (store, remove_id, &error))
        return lk_cli_failure ("gold", error);
      printf ("Known answer %" G_GINT64_FORMAT " removed\n", remove_id);
      return 0;
    }

  grids = lk_gold_list (store, &error);
  if (grids == NULL)
    return lk_cli_failure ("gold", error);
  if (export_path != NULL || json)
    {
      g_autoptr(GPtrArray) paths = lk_collection_load_paths (store, &error);

      if (paths == NULL)
        return lk_cli_failure ("gold", error);
      if (json)
        print_json (grids, paths);
      else
        {
          g_autofree char *csv = lk_gold_to_csv (grids, paths);
          g_autoptr(GString) out = g_string_new (csv);

          if (!lk_export_write_file (out, export_path, &error))
            return lk_cli_failure ("gold", error);
        }
      return 0;
    }
  print_text (grids);

  return 0;
}
