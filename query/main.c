/* telusur-query: rank the passages of a telusur index for a query. */
#include "telusur/error.h"
#include "telusur/search.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_NONE 1
#define EXIT_ERROR 2

/* Most filters (--since, --until, --filter) and facets, and the longest
 * date, in bytes, of a command line. */
#define MAX_FILTERS 64
#define MAX_DATE 64

static const char usage[] =
    "Usage: telusur-query [OPTION]... QUERY...\n"
    "       telusur-query [OPTION]... --batch FILE\n"
    "Rank the passages (paragraphs) of a telusur index by BM25 relevance to QUERY.\n"
    "Query syntax (Xapian's): AND, OR, NOT, +word, -word, \"a phrase\", a NEAR b,\n"
    "title:word, word*, FIELD:value, date:FROM..TO (XOR is read as a word). Words\n"
    "go through the same Indonesian analysis as the index. A query that begins\n"
    "with '-' follows '--' (telusur-query -- -banjir).\n"
    "\n"
    "  -d, --db=DB          the index (default: $TELUSUR_DB, else ./telusur.db)\n"
    "  -n, --count=N        show N passages (default 10)\n"
    "      --offset=K       skip the first K passages\n"
    "  -f, --format=FMT     text (default), tsv, json (JSON Lines), trec or features\n"
    "                       (the reranker's features); fields: telusur-query(1)\n"
    "      --color=WHEN     highlight matches: auto (default), always, never\n"
    "      --explain        show the parsed query, its expansion and each term's weight\n"
    "      --no-expand      do not also search an acronym's long form and back, nor a\n"
    "                       misspelt word's correction\n"
    "      --correct        search the spelling suggestion ('did you mean') instead\n"
    "      --batch=FILE     read 'qid<TAB>query' lines from FILE ('-': stdin)\n"
    "      --run-tag=TAG    the tag column of TREC output (default telusur)\n"
    "      --since=DATE, --until=DATE  only articles dated from / through DATE\n"
    "                       (YYYY, YYYY-MM or YYYY-MM-DD, UTC)\n"
    "      --filter=FIELD=VALUE  only articles whose keyword field (topic, site,\n"
    "                       year, month, ...) has VALUE in any letter case;\n"
    "                       repeatable: one field's values ORed, fields ANDed\n"
    "      --sort=ORDER     relevance (default), newest or oldest\n"
    "      --facets=FIELD[,FIELD...]  count the matching articles by value\n"
    "      --per-article=N  at most N passages per article (default: 1 for text\n"
    "                       output of one query, else 0: no limit)\n"
    "      --stopwords=LIST query stopword files (a name in stopwords/ or a path)\n"
    "                       comma separated (tala.txt,questions.txt; none: no list)\n"
    "      --timeout=MS     wait at most MS ms for a remote shard (default 10000)\n"
    "      --allow-partial  answer from the shards that answer, with a warning\n"
    "Ranking (defaults: the best found by bench/relevance.sh; 0 turns a weight off):\n"
    "      --k1=X, --b=X    BM25 parameters (default %g and %g; b from 0 to 1)\n"
    "      --exact-weight=X weight of the exact word forms beside their stems (%g)\n"
    "      --title-weight=X, --article-weight=X  weight of the article's title words\n"
    "                       / of its next best passages, per article (%g, %g)\n"
    "      --context-weight=X  weight of the article's score for the query in its\n"
    "                       passages' (%g; questions reranked: 0)\n"
    "      --proximity=X    weight of neighbouring query words found close (%g)\n"
    "      --window=N       how close, in word positions (default %u)\n"
    "      --prf-docs=N, --prf-terms=N, --prf-weight=X  pseudo-relevance\n"
    "                       feedback (default %u, %u, %g: off)\n"
    "      --rerank-depth=N, --reranker=trees|linear|FILE  rerank a question's best N (%u)\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "A query holds at most 2,000 words and 20 wildcards of 1,000 terms each.\n"
    "\n"
    "Exit status: 0 a passage matched (listed or not); 1 none matched; 2 error (bad usage, a\n"
    "query over a limit, no index or a damaged one, a write error; with --batch,\n"
    "a bad line, reported as FILE:LINE while the rest runs).\n";

#include "print.h"

/* The exit status for status (-1: a write error already reported), after
 * flushing standard output: 2 with a message when that fails. */
static int finish(int status) {
  if (status >= 0 && (fflush(stdout) != 0 || ferror(stdout))) {
    fprintf(stderr, "telusur-query: error writing output: %s\n", strerror(errno));
    status = -1;
  }
  return status < 0 ? EXIT_ERROR : status;
}

/* Runs one query; returns 0 found, 1 none, 2 error (reported after where),
 * -1 a write error (reported). */
static int run_query(tl_searcher *s, const char *q, const opts *o, const char *qid,
                     const char *where) {
  tl_results *res = NULL;
  tl_error err;
  int found;
  tl_error_clear(&err);
  /* TREC lists a split paragraph once: fetch more passages than needed */
  if (tl_search(s, q, o->format == FMT_FEATURES ? 0 : o->offset,
                o->format == FMT_TREC       ? o->count + o->count / 2 + 10
                : o->format == FMT_FEATURES ? o->rerank_depth
                                            : o->count,
                o->explain, &res, &err) != TL_OK) {
    print_missing(s, o);
    fprintf(stderr, "telusur-query: %s%s\n", where, err.msg);
    return EXIT_ERROR;
  }
  print_missing(s, o);
  print_results(res, o, qid);
  print_counts(res, o, qid);
  /* a match counts also when none is listed (-n 0, an offset past the end) */
  found = res->count > 0 || (res->counted ? res->passages_matched > 0 : res->estimated > 0);
  tl_results_free(res);
  /* each answer as it comes (a batch read from a pipe is answered query by
   * query) */
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "telusur-query: error writing output: %s\n", strerror(errno));
    return -1;
  }
  return found ? 0 : EXIT_NONE;
}

/* Runs the 'qid<TAB>query' lines of file: a bad line or a failed query is
 * reported as FILE:LINE and skipped, the rest runs. Returns 0 (a passage
 * found, no line bad), 1 (none found, no line bad), 2 (a line bad or a
 * query failed), -1 (a write error). */
static int run_batch(tl_searcher *s, const char *file, const opts *o) {
  FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
  char *line = NULL, where[1200];
  size_t cap = 0;
  ssize_t n;
  unsigned long lineno = 0;
  int status = EXIT_NONE, errors = 0, rc = 0;
  if (!f) {
    fprintf(stderr, "telusur-query: %s: cannot open: %s\n", file, strerror(errno));
    return EXIT_ERROR;
  }
  while (rc >= 0 && (n = getline(&line, &cap, f)) > 0) {
    char *tab, *start = ++lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (!*start || *start == '#')
      continue;
    memmove(line, start, strlen(start) + 1); /* a byte order mark left out */
    tab = strchr(line, '\t');
    if (!tab || tab == line) {
      fprintf(stderr, "telusur-query: %s:%lu: %s, line skipped\n", file, lineno,
              tab ? "empty qid" : "expected 'qid<TAB>query'");
      errors++;
      continue;
    }
    *tab = '\0';
    snprintf(where, sizeof where, "%.1000s:%lu: query %.100s: ", file, lineno, line);
    rc = run_query(s, tab + 1, o, line, where);
    status = rc == 0 ? 0 : status;
    errors += rc == EXIT_ERROR;
  }
  if (ferror(f)) {
    fprintf(stderr, "telusur-query: %s:%lu: cannot read: %s\n", file, lineno + 1, strerror(errno));
    errors++;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  return rc < 0 ? -1 : errors ? EXIT_ERROR : status;
}

/* The index of arg in names[0..n-1]; -1 (with a message naming opt) when it
 * is none of them. */
static int choose(const char *opt, const char *arg, const char *const *names, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (strcmp(arg, names[i]) == 0)
      return i;
  fprintf(stderr, "telusur-query: %s takes %s", opt, names[0]);
  for (i = 1; i < n; i++)
    fprintf(stderr, "%s%s", i == n - 1 ? " or " : ", ", names[i]);
  fprintf(stderr, ", not '%.64s'\n", arg);
  return -1;
}

static int parse_uint(const char *arg, const char *name, unsigned max, unsigned *out) {
  char *end;
  long v = strtol(arg, &end, 10);
  if (*arg == '\0' || *end || v < 0 || (unsigned long)v > max) {
    fprintf(stderr, "telusur-query: %s takes a number from 0 to %u, not '%.64s'\n", name, max, arg);
    return -1;
  }
  *out = (unsigned)v;
  return 0;
}

int main(int argc, char **argv) {
  /* the ranking options are OPT_RANK + their index in rank_opts */
  enum {
    OPT_OFFSET = 256,
    OPT_COLOR,
    OPT_EXPLAIN,
    OPT_BATCH,
    OPT_TAG,
    OPT_STOP,
    OPT_SINCE,
    OPT_UNTIL,
    OPT_FILTER,
    OPT_SORT,
    OPT_PER_ARTICLE,
    OPT_FACETS,
    OPT_NO_EXPAND,
    OPT_CORRECT,
    OPT_TIMEOUT,
    OPT_PARTIAL,
    OPT_RANK
  };
  /* the ranking options follow, from rank_opts */
  struct option longopts[48] = {{"db", required_argument, NULL, 'd'},
                                {"count", required_argument, NULL, 'n'},
                                {"offset", required_argument, NULL, OPT_OFFSET},
                                {"format", required_argument, NULL, 'f'},
                                {"color", required_argument, NULL, OPT_COLOR},
                                {"colour", required_argument, NULL, OPT_COLOR},
                                {"explain", no_argument, NULL, OPT_EXPLAIN},
                                {"batch", required_argument, NULL, OPT_BATCH},
                                {"run-tag", required_argument, NULL, OPT_TAG},
                                {"stopwords", required_argument, NULL, OPT_STOP},
                                {"reranker", required_argument, NULL, 'r'},
                                {"since", required_argument, NULL, OPT_SINCE},
                                {"until", required_argument, NULL, OPT_UNTIL},
                                {"filter", required_argument, NULL, OPT_FILTER},
                                {"sort", required_argument, NULL, OPT_SORT},
                                {"per-article", required_argument, NULL, OPT_PER_ARTICLE},
                                {"facets", required_argument, NULL, OPT_FACETS},
                                {"no-expand", no_argument, NULL, OPT_NO_EXPAND},
                                {"correct", no_argument, NULL, OPT_CORRECT},
                                {"timeout", required_argument, NULL, OPT_TIMEOUT},
                                {"allow-partial", no_argument, NULL, OPT_PARTIAL},
                                {"help", no_argument, NULL, 'h'},
                                {"version", no_argument, NULL, 'V'}};
  const char *db = getenv("TELUSUR_DB"), *batch = NULL;
  static const char *const colors[] = {"auto", "always", "never"};
  static const char *const sorts[] = {"relevance", "newest", "oldest"}; /* enum tl_sort */
  const char *no_color = getenv("NO_COLOR");
  opts o;
  tl_searcher_options so;
  tl_rank_params rp;
  tl_searcher *s;
  tl_error err;
  int c, status, per_article_given = 0, color = 0;
  size_t nf = 0, nfacets = 0, nrank, nfixed;
  /* the filters, the texts of the date ranges they point to, the facets */
  tl_filter filters[MAX_FILTERS];
  char ranges[MAX_FILTERS][MAX_DATE + 3];
  const char *facets[MAX_FILTERS];
  char warned[512] = "";
  memset(&o, 0, sizeof o);
  o.warned = warned;
  memset(&so, 0, sizeof so);
  tl_rank_params_default(&rp);
  for (nfixed = 0; longopts[nfixed].name; nfixed++) /* the fixed options, then the ranking ones */
    ;
  for (nrank = 0;
       tl_rank_param_name(nrank) && nfixed + nrank + 1 < sizeof longopts / sizeof *longopts;
       nrank++) {
    struct option ro = {tl_rank_param_name(nrank), required_argument, NULL, OPT_RANK + (int)nrank};
    longopts[nfixed + nrank] = ro;
  }
  o.count = 10;
  o.tag = "telusur";
  if (!db || !*db)
    db = "telusur.db";
  argv[0] = (char *)"telusur-query"; /* getopt names the tool so, not its path */
  while ((c = getopt_long(argc, argv, "d:n:f:hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'd':
      if (!*optarg) {
        fputs("telusur-query: -d: an empty path\n", stderr);
        return EXIT_ERROR;
      }
      db = optarg;
      break;
    case 'n':
      if (parse_uint(optarg, "-n", 100000, &o.count))
        return EXIT_ERROR;
      break;
    case OPT_OFFSET:
      if (parse_uint(optarg, "--offset", 100000000, &o.offset))
        return EXIT_ERROR;
      break;
    case 'f':
      if ((c = choose("--format", optarg, formats, FMT_FEATURES + 1)) < 0)
        return EXIT_ERROR;
      o.format = (enum format)c;
      break;
    case OPT_COLOR:
      if ((color = choose("--color", optarg, colors, 3)) < 0)
        return EXIT_ERROR;
      break;
    case OPT_EXPLAIN: o.explain = 1; break;
    case OPT_NO_EXPAND: so.no_expand = 1; break;
    case OPT_CORRECT: so.correct = 1; break;
    case OPT_BATCH:
    case OPT_TAG:
    case OPT_STOP:
      if (!*optarg) {
        fprintf(stderr, "telusur-query: %s: an empty value\n",
                c == OPT_BATCH ? "--batch"
                : c == OPT_TAG ? "--run-tag"
                               : "--stopwords (none: no stopwords)");
        return EXIT_ERROR;
      }
      if (c == OPT_BATCH)
        batch = optarg;
      else if (c == OPT_TAG)
        o.tag = optarg;
      else
        so.query_stopwords = strcmp(optarg, "none") == 0 ? "" : optarg;
      break;
    case 'r': so.reranker = optarg; break; /* --reranker: no short option */
    case OPT_SINCE:
    case OPT_UNTIL:
    case OPT_FILTER: {
      char *eq = c == OPT_FILTER ? strchr(optarg, '=') : NULL;
      if (nf == MAX_FILTERS ||
          (c == OPT_FILTER ? !eq || eq == optarg || !eq[1] : strlen(optarg) > MAX_DATE)) {
        fprintf(stderr, "telusur-query: '%.64s': %s\n", optarg,
                nf == MAX_FILTERS ? "too many filters"
                : c == OPT_FILTER ? "--filter takes FIELD=VALUE, both not empty"
                                  : "not a date");
        return EXIT_ERROR;
      }
      filters[nf].field = eq ? optarg : "date";
      filters[nf].value = eq ? eq + 1 : ranges[nf];
      if (eq)
        *eq = '\0';
      else
        snprintf(ranges[nf], sizeof ranges[nf], c == OPT_SINCE ? "%s.." : "..%s", optarg);
      nf++;
      break;
    }
    case OPT_SORT:
      if ((so.sort = choose("--sort", optarg, sorts, 3)) < 0)
        return EXIT_ERROR;
      break;
    case OPT_TIMEOUT:
      if (parse_uint(optarg, "--timeout", 3600000, &so.timeout_ms))
        return EXIT_ERROR;
      break;
    case OPT_PARTIAL: so.allow_partial = 1; break;
    case OPT_FACETS: {
      char *f, *save = NULL;
      if (!optarg[strspn(optarg, ", ")]) {
        fputs("telusur-query: --facets: no field named (--facets=FIELD[,FIELD...])\n", stderr);
        return EXIT_ERROR;
      }
      for (f = strtok_r(optarg, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (nfacets == MAX_FILTERS) {
          fputs("telusur-query: too many facets\n", stderr);
          return EXIT_ERROR;
        }
        facets[nfacets++] = f;
      }
      break;
    }
    case OPT_PER_ARTICLE:
      if (parse_uint(optarg, "--per-article", 100000, &so.per_article))
        return EXIT_ERROR;
      per_article_given = 1;
      break;
    case 'h':
      printf(usage, rp.k1, rp.b, rp.exact_weight, rp.title_weight, rp.article_weight,
             rp.context_weight, rp.prox_weight, rp.prox_window, rp.prf_docs, rp.prf_terms,
             rp.prf_weight, rp.rerank_depth);
      return finish(0);
    case 'V': printf("telusur-query %s\n", TELUSUR_VERSION); return finish(0);
    default:
      if (c >= OPT_RANK && c < OPT_RANK + (int)nrank) {
        if (tl_rank_params_set(&rp, tl_rank_param_name((size_t)(c - OPT_RANK)), optarg, &err) ==
            TL_OK)
          break;
        fprintf(stderr, "telusur-query: %s\n", err.msg);
        return EXIT_ERROR;
      }
      fputs("Try 'telusur-query --help' for more information.\n", stderr);
      return EXIT_ERROR;
    }
  }
  o.color = o.format == FMT_TEXT && !(no_color && *no_color) &&
            (color == 1 || (color == 0 && isatty(STDOUT_FILENO)));
  if ((batch != NULL) == (optind < argc)) { /* a query, or a batch of them */
    fprintf(stderr, "telusur-query: %s\nTry 'telusur-query --help' for more information.\n",
            batch ? "a query and --batch: give one of them" : "empty query");
    return EXIT_ERROR;
  }
  so.no_snippets = o.format == FMT_TREC || o.format == FMT_FEATURES;
  so.filters = filters;
  so.nfilters = nf;
  so.facets = facets;
  so.nfacets = nfacets;
  so.count_matches = o.format == FMT_TEXT && !batch;
  /* a person sees each article once; machine formats keep every passage */
  if (!per_article_given)
    so.per_article = o.format == FMT_TEXT && !batch;
  o.rerank_depth = rp.rerank_depth;
  if (o.format == FMT_FEATURES) {
    if (o.rerank_depth == 0) {
      fputs("telusur-query: --format=features needs reranking (--rerank-depth above 0)\n", stderr);
      return EXIT_ERROR;
    }
    print_features_header();
  }
  if (tl_searcher_open(db, &so, &rp, &s, &err) != TL_OK) {
    fprintf(stderr, "telusur-query: %s\n", err.msg);
    return EXIT_ERROR;
  }
  if (tl_searcher_stale(s))
    fprintf(stderr, "telusur-query: warning: %s\n", tl_searcher_stale(s));
  if (tl_searcher_unknown_fields(s))
    fprintf(stderr, "telusur-query: warning: %s: no article has a field named %s\n", db,
            tl_searcher_unknown_fields(s));
  if (batch) {
    status = run_batch(s, batch, &o);
  } else {
    /* the words of the query, one space apart */
    char *q = NULL;
    size_t len;
    FILE *m = open_memstream(&q, &len);
    int i;
    for (i = optind; m && i < argc; i++)
      fprintf(m, "%s%s", i > optind ? " " : "", argv[i]);
    status = m && fclose(m) == 0 ? run_query(s, q, &o, NULL, "") : EXIT_ERROR;
    free(q);
  }
  tl_searcher_close(s);
  return finish(status);
}
