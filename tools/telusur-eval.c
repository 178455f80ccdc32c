/*
 * telusur-eval - scores a TREC run against TREC qrels: MRR@10, nDCG@10,
 * Recall@10, Recall@100 and the number of queries, as trec_eval defines
 * them (see include/telusur/eval.h for the exact definitions and tie-breaking).
 *
 * Exit status: 0 success, 2 any error (bad arguments, unreadable file,
 * malformed line), as grep and ripgrep do.
 */
#include "telusur/eval.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "telusur-eval"
#define EXIT_ERROR 2

enum out_format { FORMAT_TABLE, FORMAT_TSV, FORMAT_JSON };

/* Prints the usage text to f. */
static void usage(FILE *f) {
  static const char *const text[] = {
      /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): PROG is spliced in */
      "Usage: " PROG " [OPTION]... QRELS RUN",
      "Score a ranked run against relevance judgments, as trec_eval does.",
      "",
      "  QRELS  TREC qrels, `qid iter docid rel` per line: rel an integer,",
      "         > 0 relevant, and the gain of nDCG",
      "  RUN    TREC run, `qid Q0 docid rank score tag` per line",
      "  Either may be `-` for standard input (not both).",
      "",
      "Options:",
      "  -q, --per-query      also print one row per query",
      "  -f, --format=FORMAT  table (default, aligned), tsv, or json (JSON",
      "                       Lines: one object per query, then a summary)",
      "  -h, --help           print this help and exit",
      "  -V, --version        print the version and exit",
      "",
      "Measures, as trec_eval 9 defines them: MRR@10 (recip_rank cut at",
      "10), nDCG@10 (ndcg_cut.10: gain = grade, discount log2(rank + 1),",
      "ideal from the qrels), Recall@10 and Recall@100 (recall.10/.100).",
      "Queries: those of QRELS with at least one relevant document; one",
      "missing from RUN scores 0 (trec_eval -c). Ranking: score descending,",
      "ties by docid descending (strcmp); the rank column is ignored, as in",
      "trec_eval. A docid twice for one query is an error in either file.",
      "",
      "Exit status: 0 success, 2 error (bad arguments, unreadable file, or",
      "a malformed or duplicate line, reported as FILE:LINE: message).",
  };
  size_t i;
  for (i = 0; i < sizeof text / sizeof text[0]; i++)
    fprintf(f, "%s\n", text[i]);
}

/*
 * Writes s to f as a JSON string literal (quotes included), escaping
 * quotes, backslashes and control characters; other bytes pass through.
 */
static void json_string(FILE *f, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  fputc('"', f);
  for (; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

/*
 * Prints the result to stdout in the chosen format; per-query rows too
 * when per_query is non-zero. Never fails (stdout errors are checked by
 * the caller).
 */
static void print_result(const tl_eval *e, enum out_format fmt, int per_query) {
  size_t n = tl_eval_num_queries(e), i, w = strlen("query");
  tl_eval_scores m;
  tl_eval_query q;
  tl_eval_mean(e, &m);
  if (fmt == FORMAT_JSON) {
    for (i = 0; per_query && i < n; i++) {
      tl_eval_query_at(e, i, &q);
      fputs("{\"type\":\"query\",\"qid\":", stdout);
      json_string(stdout, q.qid);
      printf(",\"num_rel\":%zu,\"num_ret\":%zu,\"mrr@10\":%.6f,"
             "\"ndcg@10\":%.6f,\"recall@10\":%.6f,\"recall@100\":%.6f}\n",
             q.num_rel, q.num_ret, q.scores.mrr_10, q.scores.ndcg_10, q.scores.recall_10,
             q.scores.recall_100);
    }
    printf("{\"type\":\"summary\",\"queries\":%zu,\"ignored\":%zu,"
           "\"mrr@10\":%.6f,\"ndcg@10\":%.6f,\"recall@10\":%.6f,"
           "\"recall@100\":%.6f}\n",
           n, tl_eval_num_ignored(e), m.mrr_10, m.ndcg_10, m.recall_10, m.recall_100);
    return;
  }
  if (fmt == FORMAT_TSV) {
    puts("qid\tqueries\tmrr@10\tndcg@10\trecall@10\trecall@100");
    for (i = 0; per_query && i < n; i++) {
      tl_eval_query_at(e, i, &q);
      printf("%s\t1\t%.6f\t%.6f\t%.6f\t%.6f\n", q.qid, q.scores.mrr_10, q.scores.ndcg_10,
             q.scores.recall_10, q.scores.recall_100);
    }
    printf("all\t%zu\t%.6f\t%.6f\t%.6f\t%.6f\n", n, m.mrr_10, m.ndcg_10, m.recall_10, m.recall_100);
    return;
  }
  for (i = 0; per_query && i < n; i++) {
    tl_eval_query_at(e, i, &q);
    if (strlen(q.qid) > w)
      w = strlen(q.qid);
  }
  printf("%-*s  %7s  %6s  %7s  %9s  %10s\n", (int)w, "query", "queries", "MRR@10", "nDCG@10",
         "Recall@10", "Recall@100");
  for (i = 0; per_query && i < n; i++) {
    tl_eval_query_at(e, i, &q);
    printf("%-*s  %7d  %6.4f  %7.4f  %9.4f  %10.4f\n", (int)w, q.qid, 1, q.scores.mrr_10,
           q.scores.ndcg_10, q.scores.recall_10, q.scores.recall_100);
  }
  printf("%-*s  %7zu  %6.4f  %7.4f  %9.4f  %10.4f\n", (int)w, "all", n, m.mrr_10, m.ndcg_10,
         m.recall_10, m.recall_100);
}

/*
 * Parses the command line, loads QRELS and RUN, prints the measures.
 * Returns 0 on success, EXIT_ERROR after printing a one-line message to
 * stderr on any error.
 */
int main(int argc, char **argv) {
  static const struct option opts[] = {{"per-query", no_argument, NULL, 'q'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  enum out_format fmt = FORMAT_TABLE;
  int per_query = 0, c, rc = EXIT_ERROR;
  tl_qrels *qrels = NULL;
  tl_run *run = NULL;
  tl_eval *e = NULL;
  tl_error err;
  tl_error_clear(&err);
  argv[0] = (char *)"telusur-eval"; /* getopt names the tool so, not its path */
  while ((c = getopt_long(argc, argv, "qf:hV", opts, NULL)) != -1) {
    switch (c) {
    case 'q': per_query = 1; break;
    case 'f':
      if (strcmp(optarg, "table") == 0)
        fmt = FORMAT_TABLE;
      else if (strcmp(optarg, "tsv") == 0)
        fmt = FORMAT_TSV;
      else if (strcmp(optarg, "json") == 0)
        fmt = FORMAT_JSON;
      else {
        fprintf(stderr, PROG ": unknown format '%s' (expected table, tsv or json)\n", optarg);
        goto cleanup;
      }
      break;
    case 'h':
      usage(stdout);
      rc = 0;
      goto cleanup;
    case 'V':
      printf(PROG " %s\n", TELUSUR_VERSION);
      rc = 0;
      goto cleanup;
    default: fprintf(stderr, "Try '" PROG " --help' for more information.\n"); goto cleanup;
    }
  }
  if (argc - optind != 2) {
    fprintf(stderr,
            PROG ": expected 2 arguments (QRELS RUN), got %d\n"
                 "Try '" PROG " --help' for more information.\n",
            argc - optind);
    goto cleanup;
  }
  if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0) {
    fprintf(stderr, PROG ": QRELS and RUN cannot both be standard input\n");
    goto cleanup;
  }
  if (tl_qrels_load(argv[optind], &qrels, &err) != TL_OK ||
      tl_run_load(argv[optind + 1], &run, &err) != TL_OK ||
      tl_eval_compute(qrels, run, &e, &err) != TL_OK) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    goto cleanup;
  }
  if (tl_eval_num_ignored(e) > 0)
    fprintf(stderr,
            PROG ": warning: %zu of %zu queries in %s have no relevant "
                 "document in %s and were ignored\n",
            tl_eval_num_ignored(e), tl_run_num_queries(run), argv[optind + 1], argv[optind]);
  print_result(e, fmt, per_query);
  rc = 0;
cleanup:
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, PROG ": error writing output: %s\n", strerror(errno));
    rc = EXIT_ERROR;
  }
  tl_eval_free(e);
  tl_run_free(run);
  tl_qrels_free(qrels);
  return rc;
}
