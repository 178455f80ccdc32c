/* index-query.c - per-query latency of telusur's batch mode: one process,
 * one searcher, the queries of a 'qid<TAB>query' file one after another,
 * ranking only (no snippets, as for TREC runs), top 10.
 * Usage: index-query DB QUERIES.tsv [RERANK_DEPTH [FIELD=VALUE|- [FACETS]]];
 * prints "p50_ms p99_ms n". RERANK_DEPTH: passages reranked (0: none; "-"
 * or absent: the searcher's); FIELD=VALUE: a filter (telusur-query
 * --filter); FACETS: one field whose matching articles are counted per
 * value (telusur-query --facets), or "+" for the counts of matching
 * passages and articles alone (as text output prints them). Env TELUSUR_RERANKER: the reranker
 * (telusur-query --reranker; unset: the searcher's default); env TELUSUR_CLOCK=cpu: the
 * process's CPU time (all its threads) per query instead of wall time; env
 * TELUSUR_THREADS=1: the searcher on one thread (tl_searcher_options.threads); env
 * TELUSUR_EACH=1: each query's "qid<TAB>ms" on standard error too. */
#include "telusur/search.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  tl_searcher *s;
  tl_searcher_options o;
  tl_rank_params rp;
  tl_error err;
  FILE *f;
  char line[8192];
  double *lat = NULL;
  size_t n = 0, cap = 0;
  tl_filter filter;
  const char *facet;
  if (argc < 3 || argc > 6) {
    fputs("usage: index-query DB QUERIES.tsv [RERANK_DEPTH [FIELD=VALUE|- [FACETS]]]\n", stderr);
    return 2;
  }
  memset(&o, 0, sizeof o);
  o.no_snippets = 1;
  o.reranker = getenv("TELUSUR_RERANKER");
  o.threads = getenv("TELUSUR_THREADS") ? (unsigned)atoi(getenv("TELUSUR_THREADS")) : 0;
  tl_rank_params_default(&rp);
  if (argc >= 4 && strcmp(argv[3], "-") != 0)
    rp.rerank_depth = atoi(argv[3]) > 0 ? (unsigned)atoi(argv[3]) : 0;
  if (argc >= 5 && strchr(argv[4], '=')) {
    *strchr(argv[4], '=') = '\0';
    filter.field = argv[4];
    filter.value = argv[4] + strlen(argv[4]) + 1;
    o.filters = &filter;
    o.nfilters = 1;
  }
  if (argc == 6 && strcmp(argv[5], "+") == 0) {
    o.count_matches = 1;
  } else if (argc == 6) {
    facet = argv[5];
    o.facets = &facet;
    o.nfacets = 1;
  }
  if (tl_searcher_open(argv[1], &o, &rp, &s, &err) != TL_OK) {
    fprintf(stderr, "index-query: %s\n", err.msg);
    return 2;
  }
  if (!(f = fopen(argv[2], "r"))) {
    perror(argv[2]);
    return 2;
  }
  const char *clock_env = getenv("TELUSUR_CLOCK");
  int each = getenv("TELUSUR_EACH") != NULL;
  clockid_t clk =
      clock_env && strcmp(clock_env, "cpu") == 0 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
  while (fgets(line, sizeof line, f)) {
    char *q = strchr(line, '\t');
    tl_results *r = NULL;
    struct timespec t0, t1;
    if (!q)
      continue;
    q[strcspn(q, "\r\n")] = '\0';
    q++;
    clock_gettime(clk, &t0);
    if (tl_search(s, q, 0, 10, 0, &r, &err) != TL_OK)
      continue;
    clock_gettime(clk, &t1);
    tl_results_free(r);
    if (tl_array_reserve((void **)&lat, &cap, n + 1, sizeof *lat) != TL_OK)
      return 2;
    lat[n++] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (each)
      fprintf(stderr, "%.*s\t%.3f\n", (int)(q - 1 - line), line, lat[n - 1]);
  }
  fclose(f);
  tl_searcher_close(s);
  if (!n)
    return 1;
  qsort(lat, n, sizeof *lat, cmp);
  printf("%.3f %.3f %zu\n", lat[n / 2], lat[n * 99 / 100 < n ? n * 99 / 100 : n - 1], n);
  free(lat);
  return 0;
}
