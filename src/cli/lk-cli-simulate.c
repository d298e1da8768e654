/* lk-cli-simulate.c — `likeness-cli simulate`
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <json-glib/json-glib.h>

#include "lk-cli.h"
#include "lk-core.h"

typedef struct {
  gboolean json;
  gboolean histogram;
  guint64  seed;
  guint    n_seeds;
  guint    n_phases;
  gboolean extra;          /* print the held-out and attribute columns */
  gboolean plan;           /* print the trials column */
  gboolean qc;             /* print the quality control columns */
  gboolean score;          /* score the metrics on the other tasks after the last phase */
  const LkDataset *dataset;
  const LkNoise   *noise;
  gboolean score_failed;
  /* Sums over seeds, per phase, for the mean rows. */
  double  *sum_recall;
  double  *sum_error;
  double  *sum_locality;
  double  *sum_stress;
  double  *sum_seconds;
  double  *sum_pair;
  double  *sum_attribute;
  double  *sum_attribute_heldout;
  double  *sum_mcc;
  guint   *queries;
} Output;

static void json_add_figure_value (JsonBuilder *b,
                                   const char  *name,
                                   double       value);
static void json_add_figure (JsonBuilder *b,
                             const char  *name,
                             double       value);

static void
print_header (const Output *out)
{
  printf ("%5s %5s %8s %9s %13s %10s %10s %8s", "seed", "phase", "queries", "recall10",
          "cluster_error", "locality", "stress", "seconds");
  if (out->extra)
    printf (" %13s %14s %13s %7s", "pair_accuracy", "attribute_acc", "attr_heldout", "mcc");
  if (out->plan)
    printf (" %7s", "trials");
  if (out->qc)
    printf (" %6s %6s %8s %10s", "people", "random", "left_out", "random_out");
  printf ("\n");
}

static void
json_add_interval (JsonBuilder      *b,
                   const char       *name,
                   const LkInterval *v)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_add_figure_value (b, "estimate", v->estimate);
  json_add_figure_value (b, "lower", v->lower);
  json_add_figure_value (b, "upper", v->upper);
  json_builder_end_object (b);
}

static void
print_interval (const char       *name,
                const LkInterval *v,
                int               digits)
{
  printf ("  %-20s %.*f [%.*f, %.*f]", name, digits, v->estimate, digits, v->lower, digits,
          v->upper);
}

/* The scores of the learned metric and the descriptor on the other tasks (--score). */
static void
print_scores (Output              *out,
              const LkEmbedding   *embedding)
{
  g_autoptr(GError) error = NULL;
  LkSimulateScores sc;

  if (!lk_simulate_score (out->dataset, embedding, out->noise, out->seed, &sc, &error))
    {
      fprintf (stderr, "likeness-cli simulate: --score: %s\n", error->message);
      out->score_failed = TRUE;
      return;
    }

  if (out->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) out->seed);
      json_builder_set_member_name (b, "scores");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "triplet");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rated");
      json_builder_add_int_value (b, sc.n_triplets);
      json_builder_set_member_name (b, "kept");
      json_builder_add_int_value (b, sc.n_kept);
      json_add_figure (b, "unanimity_rate", sc.unanimity_rate);
      json_builder_set_member_name (b, "metrics");
      json_builder_begin_object (b);
      for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
        {
          json_builder_set_member_name (b, sc.metric_names[m]);
          json_builder_begin_object (b);
          json_add_interval (b, "precision", &sc.metrics[m].triplet_precision);
          json_add_interval (b, "score_at_k", &sc.metrics[m].triplet_score_at_k);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "choice5");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "questions");
      json_builder_add_int_value (b, sc.n_questions);
      json_builder_set_member_name (b, "metrics");
      json_builder_begin_object (b);
      for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
        {
          json_builder_set_member_name (b, sc.metric_names[m]);
          json_builder_begin_object (b);
          json_add_interval (b, "accuracy", &sc.metrics[m].choice_agreement);
          json_add_interval (b, "target_accuracy", &sc.metrics[m].choice_target);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "intruder");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "hits");
      json_builder_add_int_value (b, sc.n_hits);
      json_builder_set_member_name (b, "metrics");
      json_builder_begin_object (b);
      for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
        {
          json_builder_set_member_name (b, sc.metric_names[m]);
          json_builder_begin_object (b);
          json_add_interval (b, "accuracy", &sc.metrics[m].intruder_accuracy);
          json_add_interval (b, "agreement", &sc.metrics[m].intruder_agreement);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);

      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return;
    }

  printf ("# scores, seed %" G_GUINT64_FORMAT ": %u triplets x %d raters, %u unanimous with an "
          "order (unanimity %.3f); %u forced-choice questions x %d raters; %u intruder HITs x %d "
          "raters; 95 %% bootstrap intervals\n", out->seed, sc.n_triplets,
          LK_SCORES_TRIPLET_RATERS, sc.n_kept, sc.unanimity_rate, sc.n_questions,
          LK_SIMULATE_SCORE_CHOICE_RATERS, sc.n_hits, LK_SCORES_TRIPLET_RATERS);
  for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
    {
      printf ("%-8s", sc.metric_names[m]);
      print_interval ("triplet_precision", &sc.metrics[m].triplet_precision, 3);
      print_interval ("score_at_30", &sc.metrics[m].triplet_score_at_k, 0);
      printf ("\n%-8s", "");
      print_interval ("choice5_accuracy", &sc.metrics[m].choice_agreement, 3);
      print_interval ("choice5_target", &sc.metrics[m].choice_target, 3);
      printf ("\n%-8s", "");
      print_interval ("intruder_accuracy", &sc.metrics[m].intruder_accuracy, 3);
      print_interval ("intruder_agreement", &sc.metrics[m].intruder_agreement, 3);
      printf ("\n");
    }
}

/* A figure, or "-" for NAN. */
static void
print_figure (double value,
              int    width)
{
  char text[32];

  if (isnan (value))
    g_strlcpy (text, "-", sizeof text);
  else
    g_snprintf (text, sizeof text, "%.4f", value);
  printf (" %*s", width, text);
}

static void
json_add_figure_value (JsonBuilder *b,
                       const char  *name,
                       double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static void
json_add_figure (JsonBuilder *b,
                 const char  *name,
                 double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static void
phase_cb (const LkPhaseReport *r,
          gpointer             user_data)
{
  Output *out = user_data;
  guint p = r->phase - 1;

  if (p < out->n_phases)
    {
      out->sum_recall[p] += r->recall10;
      out->sum_error[p] += r->cluster_error;
      out->sum_locality[p] += r->cooccurrence_locality;
      out->sum_stress[p] += r->stress;
      out->sum_seconds[p] += r->seconds;
      out->sum_pair[p] += r->pair_accuracy;
      out->sum_attribute[p] += r->attribute_accuracy;
      out->sum_attribute_heldout[p] += r->attribute_accuracy_heldout;
      out->sum_mcc[p] += r->mcc;
      out->queries[p] = r->queries;
    }

  if (out->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) out->seed);
      json_builder_set_member_name (b, "phase");
      json_builder_add_int_value (b, r->phase);
      json_builder_set_member_name (b, "queries");
      json_builder_add_int_value (b, r->queries);
      json_builder_set_member_name (b, "recall10");
      json_builder_add_double_value (b, r->recall10);
      json_builder_set_member_name (b, "cluster_error");
      if (isnan (r->cluster_error))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, r->cluster_error);
      json_builder_set_member_name (b, "cooccurrence_locality");
      json_builder_add_double_value (b, r->cooccurrence_locality);
      json_builder_set_member_name (b, "stress");
      json_builder_add_double_value (b, r->stress);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, r->seconds);
      if (out->extra)
        {
          json_add_figure (b, "pair_accuracy", r->pair_accuracy);
          json_add_figure (b, "attribute_accuracy", r->attribute_accuracy);
          json_add_figure (b, "attribute_accuracy_heldout", r->attribute_accuracy_heldout);
          json_add_figure (b, "mcc", r->mcc);
        }
      if (out->plan)
        {
          json_builder_set_member_name (b, "trials");
          json_builder_add_int_value (b, r->trials);
        }
      if (out->qc)
        {
          json_builder_set_member_name (b, "participants");
          json_builder_add_int_value (b, r->qc_participants);
          json_builder_set_member_name (b, "random_participants");
          json_builder_add_int_value (b, r->qc_random);
          json_builder_set_member_name (b, "left_out");
          json_builder_add_int_value (b, r->qc_left_out);
          json_builder_set_member_name (b, "random_left_out");
          json_builder_add_int_value (b, r->qc_random_left_out);
        }
      json_builder_set_member_name (b, "recall10_histogram");
      json_builder_begin_array (b);
      for (guint h = 0; h <= 10; h++)
        json_builder_add_int_value (b, r->recall10_histogram[h]);
      json_builder_end_array (b);
      json_builder_end_object (b);

      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  else
    {
      char err[32];

      if (isnan (r->cluster_error))
        g_strlcpy (err, "-", sizeof err);
      else
        g_snprintf (err, sizeof err, "%.4f", r->cluster_error);
      printf ("%5" G_GUINT64_FORMAT " %5u %8u %9.4f %13s %10.4f %10.5f %8.3f", out->seed,
              r->phase, r->queries, r->recall10, err, r->cooccurrence_locality, r->stress,
              r->seconds);
      if (out->extra)
        {
          print_figure (r->pair_accuracy, 13);
          print_figure (r->attribute_accuracy, 14);
          print_figure (r->attribute_accuracy_heldout, 13);
          print_figure (r->mcc, 7);
        }
      if (out->plan)
        printf (" %7u", r->trials);
      if (out->qc)
        printf (" %6u %6u %8u %10u", r->qc_participants, r->qc_random, r->qc_left_out,
                r->qc_random_left_out);
      printf ("\n");
      if (out->histogram)
        {
          printf ("      10-NN found:");
          for (guint h = 0; h <= 10; h++)
            printf (" %u:%u", h, r->recall10_histogram[h]);
          printf ("\n");
        }
    }
  if (out->score && r->phase == out->n_phases)
    print_scores (out, r->embedding);
  fflush (stdout);
}

static void
print_means (const Output *out)
{
  printf ("\nmean over %u seeds:\n", out->n_seeds);
  printf ("%5s %5s %8s %9s %13s %10s %10s %8s", "", "phase", "queries", "recall10",
          "cluster_error", "locality", "stress", "seconds");
  if (out->extra)
    printf (" %13s %14s %13s %7s", "pair_accuracy", "attribute_acc", "attr_heldout", "mcc");
  printf ("\n");
  for (guint p = 0; p < out->n_phases; p++)
    {
      char err[32];

      if (isnan (out->sum_error[p]))
        g_strlcpy (err, "-", sizeof err);
      else
        g_snprintf (err, sizeof err, "%.4f", out->sum_error[p] / out->n_seeds);
      printf ("%5s %5u %8u %9.4f %13s %10.4f %10.5f %8.3f", "mean", p + 1, out->queries[p],
              out->sum_recall[p] / out->n_seeds, err, out->sum_locality[p] / out->n_seeds,
              out->sum_stress[p] / out->n_seeds, out->sum_seconds[p] / out->n_seeds);
      if (out->extra)
        {
          print_figure (out->sum_pair[p] / out->n_seeds, 13);
          print_figure (out->sum_attribute[p] / out->n_seeds, 14);
          print_figure (out->sum_attribute_heldout[p] / out->n_seeds, 13);
          print_figure (out->sum_mcc[p] / out->n_seeds, 7);
        }
      printf ("\n");
    }
}

/* Parses "3", "1..3" or "1,2,5" into a list of seeds. */
static GArray *
parse_seeds (const char  *text,
             GError     **error)
{
  g_autoptr(GArray) seeds = g_array_new (FALSE, FALSE, sizeof (guint64));
  const char *dots = strstr (text, "..");

  if (dots != NULL)
    {
      g_autofree char *lo_text = g_strndup (text, dots - text);
      guint64 lo, hi;

      if (!lk_cli_parse_uint ("--seeds", lo_text, 0, G_MAXUINT32, &lo, error) ||
          !lk_cli_parse_uint ("--seeds", dots + 2, lo, lo + 999, &hi, error))
        return NULL;
      for (guint64 s = lo; s <= hi; s++)
        g_array_append_val (seeds, s);
    }
  else
    {
      g_auto(GStrv) parts = g_strsplit (text, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          guint64 s;

          if (!lk_cli_parse_uint ("--seeds", parts[i], 0, G_MAXUINT32, &s, error))
            return NULL;
          g_array_append_val (seeds, s);
        }
    }

  return g_steal_pointer (&seeds);
}

static void
list_methods (void)
{
  guint n;
  const LkMethodType **methods = lk_method_list (&n);

  for (guint i = 0; i < n; i++)
    printf ("%-13s %s\n", methods[i]->name, methods[i]->description);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  fprintf (stderr, "likeness-cli simulate: %s\n", message);
  fprintf (stderr, "Run 'likeness-cli simulate --help' for the options.\n");
  return LK_CLI_EXIT_USAGE;
}

int
lk_cli_simulate (int    argc,
                 char **argv)
{
  g_autofree char *dataset_spec = NULL, *seeds_text = NULL;
  g_autofree char *noise_bin_text = NULL, *noise_out_text = NULL;
  g_autofree char *holdout_text = NULL, *rho_text = NULL, *participants_text = NULL;
  g_autofree char *plan_text = NULL, *choice5_policy = NULL, *random_share_text = NULL;
  gboolean json = FALSE, histogram = FALSE, list = FALSE, score = FALSE;
  gboolean qualify = FALSE, catch_repeats = FALSE;
  LkPlan plan;
  g_autofree char *cen_attribute_text = NULL;
  GOptionEntry entries[] = {
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset_spec,
      "colors:N, points2d:N, blobs:N, attributes:N, classes:CxM or csv:PATH (default colors:1000)", "SPEC" },
    { "holdout", 0, 0, G_OPTION_ARG_STRING, &holdout_text,
      "share of grids kept out of training, for the held-out pair accuracy (default 0)", "X" },
    { "rho", 0, 0, G_OPTION_ARG_STRING, &rho_text,
      "attributes:N: probability that a participant sorts by the grid's most varied attribute (default 0.5)", "X" },
    { "participants", 0, 0, G_OPTION_ARG_STRING, &participants_text,
      "attributes:N: number of simulated participants (default 40)", "N" },
    { "cen-attribute", 0, 0, G_OPTION_ARG_STRING, &cen_attribute_text,
      "cen-synth: the attribute dimension its synthesized grids point at (default: each in turn)", "K" },
    { "seeds", 0, 0, G_OPTION_ARG_STRING, &seeds_text,
      "run several seeds (A..B or A,B,C) and print the mean per phase", "LIST" },
    { "noise-random-bin", 0, 0, G_OPTION_ARG_STRING, &noise_bin_text,
      "share of items a simulated participant puts in a random bin (default 0)", "X" },
    { "noise-left-out", 0, 0, G_OPTION_ARG_STRING, &noise_out_text,
      "share of items a simulated participant leaves out (default 0)", "X" },
    { "plan", 0, 0, G_OPTION_ARG_STRING, &plan_text,
      "each participant's session plan, e.g. sort:20,triplet:300 (default: sorting only)", "PLAN" },
    { "choice5-policy", 0, 0, G_OPTION_ARG_STRING, &choice5_policy,
      "candidates of the plan's choice5 trials: random (default), pair or model-vs-model", "POLICY" },
    { "random-share", 0, 0, G_OPTION_ARG_STRING, &random_share_text,
      "share of participants (sessions of 20 grids) who sort at random (default 0)", "X" },
    { "qualify", 0, 0, G_OPTION_ARG_NONE, &qualify,
      "each participant first sorts 3 gold grids; below a mean exam score of 80 they are left "
      "out (the experimenter's decision, automated)", NULL },
    { "catch", 0, 0, G_OPTION_ARG_NONE, &catch_repeats,
      "5 % of each participant's grids are shown again; below a mean consistency (adjusted "
      "Rand index) of 0.3 their answers are left out (automated)", NULL },
    { "score", 0, 0, G_OPTION_ARG_NONE, &score,
      "after the last phase, score the learned metric and the colour descriptor on simulated "
      "triplets, forced choices and intruders", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON Lines, one object per phase", NULL },
    { "histogram", 0, 0, G_OPTION_ARG_NONE, &histogram, "print the 10-NN recall histogram per phase", NULL },
    { "list-methods", 0, 0, G_OPTION_ARG_NONE, &list, "list the available methods and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- simulate a study");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) dataset = NULL;
  g_autoptr(GArray) seeds = NULL;
  g_autofree double *sums = NULL;
  g_autofree guint *queries = NULL;
  const LkMethodType *method = lk_method_paper;
  g_auto(LkCliParamOptions) param_options = { 0 };
  LkSimulateOptions options;
  LkParams params;
  Output out = { 0 };

  g_option_context_set_summary (context,
    "Runs Algorithm 1 of the paper (or another method) with simulated participants, who sort\n"
    "each grid by k-means of its items' ground-truth features, and prints one row per phase.");
  lk_cli_param_options_init (&param_options);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, param_options.entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    {
      g_autofree char *msg = g_strdup_printf ("unexpected argument '%s'", argv[1]);
      return usage_error (context, msg);
    }

  if (list)
    {
      list_methods ();
      return 0;
    }

  lk_params_init (&params);
  lk_simulate_options_init (&options);

  if (!lk_cli_param_options_apply (&param_options, &params, &method, &error))
    return usage_error (context, error->message);
  if ((noise_bin_text != NULL &&
       !lk_cli_parse_double ("--noise-random-bin", noise_bin_text, 0.0, 1.0,
                             &options.noise.random_bin, &error)) ||
      (noise_out_text != NULL &&
       !lk_cli_parse_double ("--noise-left-out", noise_out_text, 0.0, 1.0,
                             &options.noise.left_out, &error)) ||
      (holdout_text != NULL &&
       !lk_cli_parse_double ("--holdout", holdout_text, 0.0, 0.9, &options.holdout, &error)) ||
      (rho_text != NULL &&
       !lk_cli_parse_double ("--rho", rho_text, 0.0, 1.0, &options.rho, &error)) ||
      (random_share_text != NULL &&
       !lk_cli_parse_double ("--random-share", random_share_text, 0.0, 1.0,
                             &options.random_share, &error)))
    return usage_error (context, error->message);
  options.qualify = qualify;
  options.catch_repeats = catch_repeats;
  if ((options.random_share > 0.0 || qualify || catch_repeats) && plan_text != NULL)
    return usage_error (context, "--random-share, --qualify and --catch run without --plan");
  if (plan_text != NULL)
    {
      if (!lk_plan_parse (plan_text, &plan, &error))
        {
          g_autofree char *msg = g_strdup_printf ("--plan: %s", error->message);
          return usage_error (context, msg);
        }
      {
        gboolean sorts = FALSE;

        for (guint b = 0; b < plan.n_blocks; b++)
          sorts |= lk_task_kind_is_sorting (plan.blocks[b].kind);
        if (!sorts)
          return usage_error (context, "--plan: a simulated plan needs a sorting block, since "
                                       "the budget counts grids");
      }
      options.plan = &plan;
    }
  if (choice5_policy != NULL)
    {
      if (g_strcmp0 (choice5_policy, "random") != 0 && g_strcmp0 (choice5_policy, "pair") != 0 &&
          g_strcmp0 (choice5_policy, "model-vs-model") != 0)
        return usage_error (context, "--choice5-policy: use random, pair or model-vs-model");
      if (g_strcmp0 (choice5_policy, "pair") == 0)
        return usage_error (context, "--choice5-policy: a simulated study has no collected pairs; "
                                     "use random or model-vs-model");
      options.choice5_policy = choice5_policy;
    }
  if (participants_text != NULL)
    {
      guint64 v;

      if (!lk_cli_parse_uint ("--participants", participants_text, 1, 100000, &v, &error))
        return usage_error (context, error->message);
      options.participants = (guint) v;
    }
  if (cen_attribute_text != NULL)
    {
      guint64 v;

      if (!lk_cli_parse_uint ("--cen-attribute", cen_attribute_text, 0, params.dim - 1, &v, &error))
        return usage_error (context, error->message);
      options.cen_attribute = (gint) v;
    }

  if (seeds_text != NULL)
    {
      seeds = parse_seeds (seeds_text, &error);
      if (seeds == NULL)
        return usage_error (context, error->message);
    }
  else
    {
      seeds = g_array_new (FALSE, FALSE, sizeof (guint64));
      g_array_append_val (seeds, params.seed);
    }

  dataset = lk_dataset_new_from_spec (dataset_spec != NULL ? dataset_spec : "colors:1000",
                                      params.seed, &error);
  if (dataset == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("--dataset: %s", error->message);
      return usage_error (context, msg);
    }

  {
    LkParams check = params;

    if (method->single_phase)
      check.phases = 1;
    if (!lk_params_validate (&check, lk_dataset_get_n_items (dataset), &error))
      return usage_error (context, error->message);
  }

  out.json = json;
  out.histogram = histogram;
  out.plan = options.plan != NULL;
  out.qc = options.random_share > 0.0 || qualify || catch_repeats;
  out.score = score;
  out.noise = &options.noise;
  out.n_seeds = seeds->len;
  out.n_phases = method->single_phase ? 1 : params.phases;
  {
    guint n_attributes = 0;

    lk_dataset_get_attributes (dataset, &n_attributes);
    out.extra = options.holdout > 0.0 || n_attributes > 0;
  }
  sums = g_new0 (double, 9 * out.n_phases);
  queries = g_new0 (guint, out.n_phases);
  out.sum_recall = sums;
  out.sum_error = sums + out.n_phases;
  out.sum_locality = sums + 2 * out.n_phases;
  out.sum_stress = sums + 3 * out.n_phases;
  out.sum_seconds = sums + 4 * out.n_phases;
  out.sum_pair = sums + 5 * out.n_phases;
  out.sum_attribute = sums + 6 * out.n_phases;
  out.sum_mcc = sums + 7 * out.n_phases;
  out.sum_attribute_heldout = sums + 8 * out.n_phases;
  out.queries = queries;

  if (!json)
    {
      printf ("# dataset %s, %u items; method %s; budget %u in %u phases; nq %u, nc %u, k %u, "
              "d %u, beta %g, epsilon %g, %u iterations\n",
              dataset_spec != NULL ? dataset_spec : "colors:1000", lk_dataset_get_n_items (dataset),
              method->name, params.budget, out.n_phases, params.nq, params.nc, params.knn_k,
              params.dim, params.beta, params.epsilon, params.iterations);
      if (options.plan != NULL)
        {
          g_autofree char *text = lk_plan_to_string (options.plan);

          printf ("# plan per participant: %s (trials answered from the ground truth)\n", text);
        }
      if (out.extra)
        printf ("# crowd: %s; holdout %g\n",
                lk_dataset_get_attributes (dataset, &(guint) { 0 }) != NULL ?
                "attribute participants (see lk-simulate.c)" : "k-means participants",
                options.holdout);
      if (out.qc)
        printf ("# quality control: %g of the participants sort at random; exam %s, catch "
                "grids %s (the experimenter's decision automated: left out below 80 or a "
                "consistency of 0.3)\n", options.random_share, qualify ? "on" : "off",
                catch_repeats ? "on" : "off");
      print_header (&out);
    }

  for (guint s = 0; s < seeds->len; s++)
    {
      g_autoptr(LkDataset) seeded = NULL;
      const LkDataset *data = dataset;

      params.seed = g_array_index (seeds, guint64, s);
      out.seed = params.seed;

      /* Synthetic sets are drawn from the run's seed, so each seed is a new collection. */
      if (dataset_spec == NULL || !g_str_has_prefix (dataset_spec, "csv:"))
        {
          seeded = lk_dataset_new_from_spec (dataset_spec != NULL ? dataset_spec : "colors:1000",
                                             params.seed, NULL);
          data = seeded;
        }

      out.dataset = data;
      if (!lk_simulate_run_with_options (data, &params, method, &options, phase_cb, &out, &error))
        {
          fprintf (stderr, "likeness-cli simulate: %s\n", error->message);
          return LK_CLI_EXIT_FAILURE;
        }
      if (out.score_failed)
        return LK_CLI_EXIT_FAILURE;
    }

  if (!json && seeds->len > 1)
    print_means (&out);

  return 0;
}
