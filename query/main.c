/* telusur-query: rank the passages of a telusur index for a query. */
#include "telusur/error.h"
#include "telusur/search.h"

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
    "Query syntax (Xapian's): words are ranked by relevance; AND, OR, NOT,\n"
    "+word (must), -word (must not), \"a phrase\", a NEAR b, title:word, word*\n"
    "(XOR is read as a word: Xapian 1.4 crashes on some XOR queries). Words go\n"
    "through the same Indonesian analysis as the index (case folding, stemming).\n"
    "\n"
    "  -d, --db=DB          the index (default: $TELUSUR_DB, else ./telusur.db)\n"
    "  -n, --count=N        show N passages (default 10)\n"
    "      --offset=K       skip the first K passages\n"
    "  -f, --format=FMT     text (default), tsv, json (JSON Lines), trec or\n"
    "                       features (the reranker's features, for training)\n"
    "      --color=WHEN     highlight matches: auto (default; on a terminal),\n"
    "                       always, never; NO_COLOR in the environment disables it\n"
    "      --explain        show the parsed query and each term's weight\n"
    "      --batch=FILE     read 'qid<TAB>query' lines from FILE ('-': stdin)\n"
    "      --run-tag=TAG    the tag column of TREC output (default telusur)\n"
    "\n"
    "Ranking (defaults: the best found by bench/relevance.sh; 0 turns a weight off):\n"
    "      --k1=X, --b=X    BM25 parameters (default %g and %g; b from 0 to 1)\n"
    "      --exact-weight=X weight of the exact word forms beside their stems (%g)\n"
    "      --proximity=X    weight of neighbouring query words found close (%g)\n"
    "      --window=N       how close, in word positions (default %u; 1 or more)\n"
    "      --prf-docs=N, --prf-terms=N, --prf-weight=X\n"
    "                       pseudo-relevance feedback: add the N best terms of\n"
    "                       the first N passages, scaled by X (default %u, %u, %g)\n"
    "      --rerank-depth=N rerank the N best BM25 passages by the reranker's\n"
    "                       features (default %u; 0: BM25 order only)\n"
    "      --since=DATE, --until=DATE\n"
    "                       only articles dated from / through DATE (YYYY,\n"
    "                       YYYY-MM or YYYY-MM-DD, UTC; --until 2025-10: through\n"
    "                       October 31); as date:FROM..TO in the query\n"
    "      --filter=FIELD=VALUE  only articles whose field (topic, site, year,\n"
    "                       month, any keyword field of the source) has VALUE,\n"
    "                       in any letter case; repeatable: values of one field\n"
    "                       ORed, fields ANDed; as FIELD:value in the query.\n"
    "                       Filters never change scores\n"
    "      --sort=ORDER     relevance (default), newest or oldest (ties by\n"
    "                       relevance; no reranking)\n"
    "      --facets=FIELD[,FIELD...]  count the matching articles by each value\n"
    "                       of the fields (a keyword field, source, year or\n"
    "                       month): after the results in text, as one line\n"
    "                       {\"facets\": {...}} after them in json\n"
    "      --per-article=N  at most N passages per article (default: 1 for\n"
    "                       text output of one query, else 0: no limit)\n"
    "      --stopwords=LIST stopword files for queries, comma separated, from\n"
    "                       the data directory's stopwords/ (default\n"
    "                       tala.txt,questions.txt; 'none': keep every word)\n"
    "      --timeout=MS     wait at most MS ms for a remote shard (0: 10000)\n"
    "      --allow-partial  answer from the shards that answer (a warning names\n"
    "                       the others) instead of failing\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Formats: text: rank, score, title, article id and passage number, heading,\n"
    "date (ISO 8601 UTC) and a snippet. tsv: rank, score, article_id, passage, title, heading,\n"
    "snippet (tabs and newlines in fields become spaces). json: one object per\n"
    "passage: rank, score, article_id, title, passage, heading, text, snippet,\n"
    "highlights (byte ranges of snippet), path, start, end, date (ISO 8601\n"
    "UTC) and fields (the article's keyword fields) when it has them. trec: 'qid Q0 docid\n"
    "rank score tag', where docid is the article id, or id#passage for articles\n"
    "of several paragraphs (each article, or passage, is listed once, at its\n"
    "best passage's rank). features: a header line, then per passage reranked:\n"
    "qid, docid (as in trec), the BM25 rank, and the reranker's features, tab\n"
    "separated (every reranked passage of each question: -n and --offset do not\n"
    "apply). In batch mode text, tsv and json lines carry the qid.\n"
    "\n"
    "Exit status: 0 a passage was found; 1 none was found; 2 error (bad usage,\n"
    "an empty query, no index, a shard that does not answer).\n";

enum format { FMT_TEXT, FMT_TSV, FMT_JSON, FMT_TREC, FMT_FEATURES };
static const char *const formats[] = {"text", "tsv", "json", "trec", "features"};

typedef struct opts {
  enum format format;
  int color, explain;
  unsigned count, offset;
  unsigned rerank_depth; /* for the features format */
  const char *tag;
  char *warned; /* the missing shards last warned of (--allow-partial) */
} opts;

/* Writes s with highlights: ANSI bold red when colour is on. */
static void put_snippet(const tl_result *r, int color) {
  size_t i, at = 0;
  const char *s = r->snippet;
  for (i = 0; color && i < r->nhighlights; i++) {
    fwrite(s + at, 1, r->highlights[i].start - at, stdout);
    fputs("\x1b[1;31m", stdout);
    fwrite(s + r->highlights[i].start, 1, r->highlights[i].end - r->highlights[i].start, stdout);
    fputs("\x1b[0m", stdout);
    at = r->highlights[i].end;
  }
  fputs(s + at, stdout);
}

static void put_tsv_field(const char *s) {
  for (; *s; s++)
    putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void print_results(const tl_results *res, const opts *o, const char *qid) {
  /* the docids a TREC run has listed for the query so far */
  const char **seen = calloc(res->count + 1, sizeof *seen);
  size_t i, nseen = 0;
  for (i = 0; i < res->count; i++) {
    const tl_result *r = &res->items[i];
    switch (o->format) {
    case FMT_TEXT:
      if (qid)
        printf("%s ", qid);
      printf("%s%u.%s %s%s%s  [%s #%u]  %.3f\n", o->color ? "\x1b[1m" : "", r->rank,
             o->color ? "\x1b[0m" : "", o->color ? "\x1b[32m" : "",
             *r->title ? r->title : "(untitled)", o->color ? "\x1b[0m" : "", r->article_id,
             r->passage, r->score);
      if (*r->heading)
        printf("   \xC2\xA7 %s\n", r->heading);
      if (*r->date)
        printf("   %s\n", r->date);
      fputs("   ", stdout);
      put_snippet(r, o->color);
      putchar('\n');
      if (o->explain && *r->explain)
        printf("   weights: %s\n", r->explain);
      putchar('\n');
      break;
    case FMT_TSV:
      if (qid)
        printf("%s\t", qid);
      printf("%u\t%.4f\t", r->rank, r->score);
      put_tsv_field(r->article_id);
      printf("\t%u\t", r->passage);
      put_tsv_field(r->title);
      putchar('\t');
      put_tsv_field(r->heading);
      putchar('\t');
      put_tsv_field(r->snippet);
      putchar('\n');
      break;
    case FMT_JSON: {
      char *j = tl_result_json(r, qid, o->explain);
      if (j)
        puts(j);
      free(j);
      break;
    }
    case FMT_TREC: {
      size_t k;
      for (k = 0; seen && k < nseen && strcmp(seen[k], r->docid) != 0; k++)
        ;
      if (!seen || k < nseen || nseen >= o->count)
        break;
      seen[nseen++] = r->docid;
      printf("%s Q0 %s %zu %.6f %s\n", qid ? qid : "1", r->docid, o->offset + nseen, r->score,
             o->tag);
      break;
    }
    case FMT_FEATURES: {
      size_t k;
      if (!r->features)
        break;
      printf("%s\t%s\t%u", qid ? qid : "1", r->docid, r->first_rank);
      for (k = 0; tl_rerank_feature_name(k); k++)
        printf("\t%.6g", r->features[k]);
      putchar('\n');
      break;
    }
    }
  }
  free(seen);
}

/* With --allow-partial: names the shards left out, once each time they change. */
static void warn_missing(const tl_searcher *s, const opts *o) {
  const char *m = tl_searcher_missing(s);
  if (strncmp(m, o->warned, 4095) != 0 && *m)
    fprintf(stderr, "telusur-query: warning: shards not answering, left out: %s\n", m);
  snprintf(o->warned, 4096, "%s", m);
}

/* Runs one query; returns 0 found, 1 none, 2 error. */
static int run_query(tl_searcher *s, const char *q, const opts *o, const char *qid) {
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
    warn_missing(s, o);
    fprintf(stderr, "telusur-query: %s%s%s%s\n", qid ? "query " : "", qid ? qid : "",
            qid ? ": " : "", err.msg);
    return EXIT_ERROR;
  }
  warn_missing(s, o);
  if (o->explain && o->format == FMT_TEXT)
    printf("%s%squery: %s\n\n", qid ? qid : "", qid ? " " : "", res->parsed);
  print_results(res, o, qid);
  if (res->counted && o->format == FMT_TEXT) {
    size_t i, k;
    printf("%lu passages of %lu articles matched\n", res->passages_matched, res->articles_matched);
    for (i = 0; i < res->nfacets; i++) {
      printf("\n%s:\n", res->facets[i].field);
      for (k = 0; k < res->facets[i].nvalues; k++)
        printf("  %6lu  %s\n", res->facets[i].values[k].articles, res->facets[i].values[k].value);
    }
  }
  if (res->nfacets && o->format == FMT_JSON) {
    char *j = tl_results_facets_json(res);
    if (j)
      puts(j);
    free(j);
  }
  found = res->count > 0;
  tl_results_free(res);
  return found ? 0 : EXIT_NONE;
}

static int run_batch(tl_searcher *s, const char *file, const opts *o) {
  FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  unsigned long lineno = 0;
  int status = EXIT_NONE, errors = 0;
  if (!f) {
    fprintf(stderr, "telusur-query: %s: cannot open: ", file);
    perror(NULL);
    return EXIT_ERROR;
  }
  while ((n = getline(&line, &cap, f)) > 0) {
    char *tab;
    int rc;
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    tab = strchr(line, '\t');
    if (!tab) {
      fprintf(stderr, "telusur-query: %s:%lu: expected 'qid<TAB>query', line skipped\n", file,
              lineno);
      errors++;
      continue;
    }
    *tab = '\0';
    rc = run_query(s, tab + 1, o, line);
    status = rc == 0 ? 0 : status;
    errors += rc == EXIT_ERROR;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  fflush(stdout);
  return errors ? EXIT_ERROR : status;
}

/* The ranking options: the tl_rank_params field each sets, a weight
 * (double, 0 to 1000) or, with max > 0, a count (0 to max). */
static const struct rank_opt {
  const char *name;
  size_t at;
  unsigned max;
} rank_opts[] = {{"k1", offsetof(tl_rank_params, k1), 0},
                 {"b", offsetof(tl_rank_params, b), 0},
                 {"exact-weight", offsetof(tl_rank_params, exact_weight), 0},
                 {"proximity", offsetof(tl_rank_params, prox_weight), 0},
                 {"window", offsetof(tl_rank_params, prox_window), 1000},
                 {"prf-docs", offsetof(tl_rank_params, prf_docs), 1000},
                 {"prf-terms", offsetof(tl_rank_params, prf_terms), 1000},
                 {"prf-weight", offsetof(tl_rank_params, prf_weight), 0},
                 {"rerank-depth", offsetof(tl_rank_params, rerank_depth), 100000}};

static int parse_uint(const char *arg, const char *name, unsigned max, unsigned *out) {
  char *end;
  long v = strtol(arg, &end, 10);
  if (*arg == '\0' || *end || v < 0 || (unsigned long)v > max) {
    fprintf(stderr, "telusur-query: %s takes a number from 0 to %u\n", name, max);
    return -1;
  }
  *out = (unsigned)v;
  return 0;
}

/* Sets the field of ranking option o from arg; non-zero (with a message)
 * when arg is no number in the option's range. */
static int set_rank(const struct rank_opt *o, const char *arg, tl_rank_params *rp) {
  char *end, name[32];
  void *field = (char *)rp + o->at;
  double v;
  if (o->max > 0) {
    snprintf(name, sizeof name, "--%s", o->name);
    return parse_uint(arg, name, o->max, field);
  }
  v = strtod(arg, &end);
  if (*arg == '\0' || *end || !(v >= 0 && v <= 1000)) {
    fprintf(stderr, "telusur-query: '%s': expected a number from 0 to 1000\n", arg);
    return -1;
  }
  memcpy(field, &v, sizeof v);
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
    OPT_TIMEOUT,
    OPT_PARTIAL,
    OPT_RANK
  };
  /* the ranking options follow, from rank_opts */
  struct option longopts[32] = {{"db", required_argument, NULL, 'd'},
                                {"count", required_argument, NULL, 'n'},
                                {"offset", required_argument, NULL, OPT_OFFSET},
                                {"format", required_argument, NULL, 'f'},
                                {"color", required_argument, NULL, OPT_COLOR},
                                {"colour", required_argument, NULL, OPT_COLOR},
                                {"explain", no_argument, NULL, OPT_EXPLAIN},
                                {"batch", required_argument, NULL, OPT_BATCH},
                                {"run-tag", required_argument, NULL, OPT_TAG},
                                {"stopwords", required_argument, NULL, OPT_STOP},
                                {"since", required_argument, NULL, OPT_SINCE},
                                {"until", required_argument, NULL, OPT_UNTIL},
                                {"filter", required_argument, NULL, OPT_FILTER},
                                {"sort", required_argument, NULL, OPT_SORT},
                                {"per-article", required_argument, NULL, OPT_PER_ARTICLE},
                                {"facets", required_argument, NULL, OPT_FACETS},
                                {"timeout", required_argument, NULL, OPT_TIMEOUT},
                                {"allow-partial", no_argument, NULL, OPT_PARTIAL},
                                {"help", no_argument, NULL, 'h'},
                                {"version", no_argument, NULL, 'V'}};
  const size_t nfixed = 20, nrank = sizeof rank_opts / sizeof *rank_opts;
  const char *db = getenv("TELUSUR_DB"), *color = "auto", *batch = NULL;
  const char *no_color = getenv("NO_COLOR");
  opts o;
  tl_searcher_options so;
  tl_rank_params rp;
  tl_searcher *s;
  tl_error err;
  int c, status, per_article = -1;
  size_t k, nf = 0, nfacets = 0;
  /* the filters, the texts of the date ranges they point to, the facets */
  tl_filter filters[MAX_FILTERS];
  char ranges[MAX_FILTERS][MAX_DATE + 3];
  const char *facets[MAX_FILTERS];
  char warned[4096] = "";
  memset(&o, 0, sizeof o);
  o.warned = warned;
  memset(&so, 0, sizeof so);
  tl_rank_params_default(&rp);
  for (k = 0; k < nrank; k++) {
    struct option ro = {rank_opts[k].name, required_argument, NULL, OPT_RANK + (int)k};
    longopts[nfixed + k] = ro;
  }
  o.count = 10;
  o.tag = "telusur";
  if (!db || !*db)
    db = "telusur.db";
  while ((c = getopt_long(argc, argv, "d:n:f:hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'n':
      if (parse_uint(optarg, "-n", 100000, &o.count))
        return EXIT_ERROR;
      break;
    case OPT_OFFSET:
      if (parse_uint(optarg, "--offset", 100000000, &o.offset))
        return EXIT_ERROR;
      break;
    case 'f':
      for (k = 0; k <= FMT_FEATURES && strcmp(optarg, formats[k]) != 0; k++)
        ;
      if (k > FMT_FEATURES) {
        fprintf(stderr, "telusur-query: unknown format '%s' (text, tsv, json, trec, features)\n",
                optarg);
        return EXIT_ERROR;
      }
      o.format = (enum format)k;
      break;
    case OPT_COLOR:
      if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
          strcmp(optarg, "never") != 0) {
        fprintf(stderr, "telusur-query: --color takes auto, always or never\n");
        return EXIT_ERROR;
      }
      color = optarg;
      break;
    case OPT_EXPLAIN: o.explain = 1; break;
    case OPT_BATCH: batch = optarg; break;
    case OPT_TAG: o.tag = optarg; break;
    case OPT_STOP: so.query_stopwords = strcmp(optarg, "none") == 0 ? "" : optarg; break;
    case OPT_SINCE:
    case OPT_UNTIL:
      if (strlen(optarg) > MAX_DATE || nf == MAX_FILTERS) {
        fprintf(stderr, "telusur-query: '%.64s': %s\n", optarg,
                nf == MAX_FILTERS ? "too many filters" : "not a date");
        return EXIT_ERROR;
      }
      snprintf(ranges[nf], sizeof ranges[nf], c == OPT_SINCE ? "%s.." : "..%s", optarg);
      filters[nf].field = "date";
      filters[nf].value = ranges[nf];
      nf++;
      break;
    case OPT_FILTER: {
      char *eq = strchr(optarg, '=');
      if (nf == MAX_FILTERS) {
        fputs("telusur-query: too many filters\n", stderr);
        return EXIT_ERROR;
      }
      if (!eq || eq == optarg) {
        fprintf(stderr, "telusur-query: --filter takes FIELD=VALUE, not '%s'\n", optarg);
        return EXIT_ERROR;
      }
      *eq = '\0';
      filters[nf].field = optarg;
      filters[nf].value = eq + 1;
      nf++;
      break;
    }
    case OPT_SORT:
      if (strcmp(optarg, "relevance") == 0)
        so.sort = TL_SORT_RELEVANCE;
      else if (strcmp(optarg, "newest") == 0)
        so.sort = TL_SORT_NEWEST;
      else if (strcmp(optarg, "oldest") == 0)
        so.sort = TL_SORT_OLDEST;
      else {
        fprintf(stderr, "telusur-query: --sort takes relevance, newest or oldest\n");
        return EXIT_ERROR;
      }
      break;
    case OPT_FACETS: {
      char *f;
      char *save = NULL;
      for (f = strtok_r(optarg, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (nfacets == MAX_FILTERS) {
          fputs("telusur-query: too many facets\n", stderr);
          return EXIT_ERROR;
        }
        facets[nfacets++] = f;
      }
      break;
    }
    case OPT_TIMEOUT:
      if (parse_uint(optarg, "--timeout", 3600000, &so.timeout_ms))
        return EXIT_ERROR;
      break;
    case OPT_PARTIAL: so.allow_partial = 1; break;
    case OPT_PER_ARTICLE: {
      unsigned v;
      if (parse_uint(optarg, "--per-article", 100000, &v))
        return EXIT_ERROR;
      per_article = (int)v;
      break;
    }
    case 'h':
      printf(usage, rp.k1, rp.b, rp.exact_weight, rp.prox_weight, rp.prox_window, rp.prf_docs,
             rp.prf_terms, rp.prf_weight, rp.rerank_depth);
      return 0;
    case 'V': printf("telusur-query %s\n", TELUSUR_VERSION); return 0;
    default:
      if (c >= OPT_RANK && c < OPT_RANK + (int)nrank) {
        if (set_rank(&rank_opts[c - OPT_RANK], optarg, &rp))
          return EXIT_ERROR;
        break;
      }
      fputs("Try 'telusur-query --help' for more information.\n", stderr);
      return EXIT_ERROR;
    }
  }
  o.color = o.format == FMT_TEXT && !(no_color && *no_color) &&
            (strcmp(color, "always") == 0 || (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO)));
  if (!batch && optind >= argc) {
    fputs("telusur-query: empty query\nTry 'telusur-query --help' for more information.\n", stderr);
    return EXIT_ERROR;
  }
  so.no_snippets = o.format == FMT_TREC || o.format == FMT_FEATURES;
  so.filters = filters;
  so.nfilters = nf;
  so.facets = facets;
  so.nfacets = nfacets;
  so.count_matches = o.format == FMT_TEXT && !batch;
  /* a person reading sees each article once; machine formats keep every
   * passage */
  so.per_article = per_article >= 0                 ? (unsigned)per_article
                   : o.format == FMT_TEXT && !batch ? 1
                                                    : 0;
  o.rerank_depth = rp.rerank_depth;
  if (o.format == FMT_FEATURES) {
    if (o.rerank_depth == 0) {
      fputs("telusur-query: --format=features needs reranking (--rerank-depth above 0)\n", stderr);
      return EXIT_ERROR;
    }
    fputs("qid\tdocid\tfirst_rank", stdout);
    for (k = 0; tl_rerank_feature_name(k); k++)
      printf("\t%s", tl_rerank_feature_name(k));
    putchar('\n');
  }
  if (tl_searcher_open(db, &so, &rp, &s, &err) != TL_OK) {
    fprintf(stderr, "telusur-query: %s\n", err.msg);
    return EXIT_ERROR;
  }
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
    status = m && fclose(m) == 0 ? run_query(s, q, &o, NULL) : EXIT_ERROR;
    free(q);
  }
  tl_searcher_close(s);
  if (fflush(stdout) != 0)
    status = EXIT_ERROR;
  return status;
}
