/* lk-cli-score.c — likeness-cli score: every metric of a study scored on its stored trials
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "lk-cli.h"
#include "lk-store.h"
#include "lk-study-scores.h"

int
lk_cli_score (int    argc,
              char **argv)
{
  gboolean json = FALSE, csv = FALSE;
  g_autofree char *k_text = NULL, *raters_text = NULL, *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "print one JSON object keyed by task kind, each with its metrics", NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv,
      "print tidy CSV: kind, metric, score, value, lower, upper", NULL },
    { "k", 'k', 0, G_OPTION_ARG_STRING, &k_text, "K of score-at-top-K (default 30)", "K" },
    { "raters", 0, 0, G_OPTION_ARG_STRING, &raters_text,
      "ratings a triplet needs to be scored (default 3)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "seed of the bootstrap intervals and associative-recall draws (default 1)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = NULL;
  g_autofree char *text = NULL;
  LkStudyScoreOptions options;
  guint64 value;
  int status = 0;

  context = lk_cli_parse ("score", "STUDY",
                   "Scores every metric the study has (learned: the last phase's embedding; "
                   "colour and HOG descriptors) on its stored trials: triplet precision and "
                   "score-at-top-K on unanimous triplets, forced-choice accuracy, agreement and "
                   "position bias, recall@k and associative recall on collected match pairs, "
                   "intruder accuracy and Dawid-Skene, with bootstrap 95 % intervals.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (json && csv)
    return lk_cli_usage_error ("score", "give --json or --csv, not both");
  lk_study_score_options_init (&options);
  if (k_text != NULL)
    {
      if (!lk_cli_parse_uint ("--k", k_text, 1, 100000, &value, &error))
        return lk_cli_usage_error ("score", error->message);
      options.top_k = (guint) value;
    }
  if (raters_text != NULL)
    {
      if (!lk_cli_parse_uint ("--raters", raters_text, 1, 1000, &value, &error))
        return lk_cli_usage_error ("score", error->message);
      options.min_raters = (guint) value;
    }
  if (seed_text != NULL)
    {
      if (!lk_cli_parse_uint ("--seed", seed_text, 0, G_MAXUINT64, &value, &error))
        return lk_cli_usage_error ("score", error->message);
      options.seed = value;
    }

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return lk_cli_failure ("score", error);
  scores = lk_study_scores_compute (store, &options, &error);
  if (scores == NULL)
    return lk_cli_failure ("score", error);

  if (json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, scores);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
    }
  else
    {
      text = csv ? lk_study_scores_to_csv (scores) : lk_study_scores_to_text (scores);
      fputs (text, stdout);
    }

  return 0;
}
