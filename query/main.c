/* telusur-query: rank the passages of a telusur index for a query. */
#include "telusur/error.h"
#include "telusur/search.h"

#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_NONE 1
#define EXIT_ERROR 2

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
    "      --k1=X, --b=X    BM25 parameters\n"
    "      --exact-weight=X weight of the exact word forms beside their stems\n"
    "      --proximity=X    weight of neighbouring query words found close\n"
    "      --window=N       how close, in word positions\n"
    "      --prf-docs=N, --prf-terms=N, --prf-weight=X\n"
    "                       pseudo-relevance feedback: add the N best terms of\n"
    "                       the first N passages, scaled by X\n"
    "      --rerank-depth=N rerank the N best BM25 passages by the reranker's\n"
    "                       features (default %d; 0: BM25 order only)\n"
    "      --stopwords=LIST stopword files for queries, comma separated, from\n"
    "                       the data directory's stopwords/ (default\n"
    "                       tala.txt,questions.txt; 'none': keep every word)\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Formats: text: rank, score, title, article id and passage number, heading,\n"
    "and a snippet. tsv: rank, score, article_id, passage, title, heading,\n"
    "snippet (tabs and newlines in fields become spaces). json: one object per\n"
    "passage: rank, score, article_id, title, passage, heading, text, snippet,\n"
    "highlights (byte ranges of snippet), path, start, end. trec: 'qid Q0 docid\n"
    "rank score tag', where docid is the article id, or id#passage for articles\n"
    "of several paragraphs (each article, or passage, is listed once, at its\n"
    "best passage's rank). features: a header line, then per passage reranked:\n"
    "qid, docid (as in trec), the BM25 rank, and the reranker's features, tab\n"
    "separated (every reranked passage of each question: -n and --offset do not\n"
    "apply). In batch mode text, tsv and json lines carry the qid.\n"
    "\n"
    "Exit status: 0 a passage was found; 1 none was found; 2 error (bad usage,\n"
    "an empty query, no index).\n";

enum format { FMT_TEXT, FMT_TSV, FMT_JSON, FMT_TREC, FMT_FEATURES };

typedef struct opts {
  enum format format;
  int color, explain;
  unsigned count, offset;
  unsigned rerank_depth; /* for the features format */
  const char *tag;
} opts;

/* Writes s with highlights: ANSI bold red when colour is on. */
static void put_snippet(const tl_result *r, int color) {
  size_t i, at = 0;
  const char *s = r->snippet;
  if (!color) {
    fputs(s, stdout);
    return;
  }
  for (i = 0; i < r->nhighlights; i++) {
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

/* The docids a TREC run has listed for the query so far. */
typedef struct seen_ids {
  char **ids;
  size_t n, cap;
} seen_ids;

/* Takes docid into the list; non-zero when out of memory. */
static int seen_add(seen_ids *s, char *docid) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 128;
    char **p = realloc(s->ids, cap * sizeof *p);
    if (!p)
      return -1;
    s->ids = p;
    s->cap = cap;
  }
  s->ids[s->n++] = docid;
  return 0;
}

static void seen_free(seen_ids *s) {
  size_t i;
  for (i = 0; i < s->n; i++)
    free(s->ids[i]);
  free(s->ids);
}

/* The TREC docid of a result (malloc'd): the article id, or id#passage
 * for a passage of an article of several paragraphs (the pieces of one
 * long paragraph split for length are the article itself). */
static char *trec_docid(const tl_result *r) {
  json_object *rec = r->owner_, *np;
  long paragraphs = 1;
  char *docid;
  if (rec && json_object_object_get_ex(rec, "paragraphs", &np))
    paragraphs = (long)json_object_get_int64(np);
  if (paragraphs <= 1)
    return strdup(r->article_id);
  if ((docid = malloc(strlen(r->article_id) + 24)))
    sprintf(docid, "%s#%u", r->article_id, r->passage);
  return docid;
}

static void print_results(const tl_results *res, const opts *o, const char *qid) {
  size_t i;
  seen_ids seen_list = {NULL, 0, 0}, *seen = &seen_list;
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
      json_object *j = json_object_new_object(), *hl = json_object_new_array();
      size_t k;
      if (qid)
        json_object_object_add(j, "qid", json_object_new_string(qid));
      json_object_object_add(j, "rank", json_object_new_int((int)r->rank));
      json_object_object_add(j, "score", json_object_new_double(r->score));
      json_object_object_add(j, "article_id", json_object_new_string(r->article_id));
      json_object_object_add(j, "title", json_object_new_string(r->title));
      json_object_object_add(j, "passage", json_object_new_int((int)r->passage));
      json_object_object_add(j, "heading", json_object_new_string(r->heading));
      json_object_object_add(j, "text", json_object_new_string(r->text));
      json_object_object_add(j, "snippet", json_object_new_string(r->snippet));
      for (k = 0; k < r->nhighlights; k++) {
        json_object *pair = json_object_new_array();
        json_object_array_add(pair, json_object_new_int64((int64_t)r->highlights[k].start));
        json_object_array_add(pair, json_object_new_int64((int64_t)r->highlights[k].end));
        json_object_array_add(hl, pair);
      }
      json_object_object_add(j, "highlights", hl);
      json_object_object_add(j, "path", json_object_new_string(r->path));
      json_object_object_add(j, "start", json_object_new_int64((int64_t)r->start));
      json_object_object_add(j, "end", json_object_new_int64((int64_t)r->end));
      if (o->explain)
        json_object_object_add(j, "explain", json_object_new_string(r->explain));
      puts(json_object_to_json_string_ext(j,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
      json_object_put(j);
      break;
    }
    case FMT_TREC: {
      const char *q = qid ? qid : "1";
      char *docid = trec_docid(r);
      size_t k;
      if (!docid)
        break;
      for (k = 0; k < seen->n && strcmp(seen->ids[k], docid) != 0; k++)
        ;
      if (k < seen->n || seen->n >= o->count || seen_add(seen, docid)) {
        free(docid);
        break;
      }
      printf("%s Q0 %s %zu %.6f %s\n", q, docid, o->offset + seen->n, r->score, o->tag);
      break;
    }
    case FMT_FEATURES: {
      char *docid;
      size_t k;
      if (!r->features || !(docid = trec_docid(r)))
        break;
      printf("%s\t%s\t%u", qid ? qid : "1", docid, r->first_rank);
      for (k = 0; k < TL_RERANK_FEATURES; k++)
        printf("\t%.6g", r->features[k]);
      putchar('\n');
      free(docid);
      break;
    }
    }
  }
  seen_free(seen);
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
    if (qid)
      fprintf(stderr, "telusur-query: query %s: %s\n", qid, err.msg);
    else
      fprintf(stderr, "telusur-query: %s\n", err.msg);
    return EXIT_ERROR;
  }
  if (o->explain && o->format == FMT_TEXT)
    printf("%s%squery: %s\n\n", qid ? qid : "", qid ? " " : "", res->parsed);
  print_results(res, o, qid);
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
    if (rc == 0)
      status = 0;
    else if (rc == EXIT_ERROR)
      errors++;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  fflush(stdout);
  return errors ? EXIT_ERROR : status;
}

static int parse_weight(const char *arg, double *out) {
  char *end;
  double v = strtod(arg, &end);
  if (*arg == '\0' || *end || !(v >= 0 && v <= 1000)) {
    fprintf(stderr, "telusur-query: '%s': expected a number from 0 to 1000\n", arg);
    return -1;
  }
  *out = v;
  return 0;
}

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

int main(int argc, char **argv) {
  enum {
    OPT_OFFSET = 256,
    OPT_COLOR,
    OPT_EXPLAIN,
    OPT_BATCH,
    OPT_TAG,
    OPT_K1,
    OPT_B,
    OPT_EXACT,
    OPT_PROX,
    OPT_WINDOW,
    OPT_PRF_DOCS,
    OPT_PRF_TERMS,
    OPT_PRF_WEIGHT,
    OPT_STOP,
    OPT_RERANK
  };
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"count", required_argument, NULL, 'n'},
                                           {"offset", required_argument, NULL, OPT_OFFSET},
                                           {"format", required_argument, NULL, 'f'},
                                           {"color", required_argument, NULL, OPT_COLOR},
                                           {"colour", required_argument, NULL, OPT_COLOR},
                                           {"explain", no_argument, NULL, OPT_EXPLAIN},
                                           {"batch", required_argument, NULL, OPT_BATCH},
                                           {"run-tag", required_argument, NULL, OPT_TAG},
                                           {"k1", required_argument, NULL, OPT_K1},
                                           {"b", required_argument, NULL, OPT_B},
                                           {"exact-weight", required_argument, NULL, OPT_EXACT},
                                           {"proximity", required_argument, NULL, OPT_PROX},
                                           {"window", required_argument, NULL, OPT_WINDOW},
                                           {"prf-docs", required_argument, NULL, OPT_PRF_DOCS},
                                           {"prf-terms", required_argument, NULL, OPT_PRF_TERMS},
                                           {"prf-weight", required_argument, NULL, OPT_PRF_WEIGHT},
                                           {"stopwords", required_argument, NULL, OPT_STOP},
                                           {"rerank-depth", required_argument, NULL, OPT_RERANK},
                                           {"help", no_argument, NULL, 'h'},
                                           {"version", no_argument, NULL, 'V'},
                                           {NULL, 0, NULL, 0}};
  const char *db = getenv("TELUSUR_DB"), *color = "auto", *batch = NULL;
  const char *no_color = getenv("NO_COLOR");
  opts o;
  tl_searcher_options so;
  unsigned u;
  tl_searcher *s;
  tl_error err;
  int c, status;
  memset(&o, 0, sizeof o);
  memset(&so, 0, sizeof so);
  so.k1 = TL_BM25_K1; /* --k1 or --b alone: the other keeps its default */
  so.b = TL_BM25_B;
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
      if (strcmp(optarg, "text") == 0)
        o.format = FMT_TEXT;
      else if (strcmp(optarg, "tsv") == 0)
        o.format = FMT_TSV;
      else if (strcmp(optarg, "json") == 0)
        o.format = FMT_JSON;
      else if (strcmp(optarg, "trec") == 0)
        o.format = FMT_TREC;
      else if (strcmp(optarg, "features") == 0)
        o.format = FMT_FEATURES;
      else {
        fprintf(stderr, "telusur-query: unknown format '%s' (text, tsv, json, trec, features)\n",
                optarg);
        return EXIT_ERROR;
      }
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
    case OPT_K1:
    case OPT_B:
    case OPT_EXACT:
    case OPT_PROX:
    case OPT_PRF_WEIGHT: {
      double *to = c == OPT_K1      ? &so.k1
                   : c == OPT_B     ? &so.b
                   : c == OPT_EXACT ? &so.exact_weight
                   : c == OPT_PROX  ? &so.prox_weight
                                    : &so.prf_weight;
      if (parse_weight(optarg, &to[0]))
        return EXIT_ERROR;
      /* 0 turns a weight off (the library reads 0 as "the default") */
      if (to[0] == 0 && c != OPT_K1 && c != OPT_B)
        to[0] = -1;
      break;
    }
    case OPT_WINDOW:
    case OPT_PRF_DOCS:
    case OPT_PRF_TERMS:
      if (parse_uint(optarg,
                     c == OPT_WINDOW     ? "--window"
                     : c == OPT_PRF_DOCS ? "--prf-docs"
                                         : "--prf-terms",
                     1000, &u))
        return EXIT_ERROR;
      *(c == OPT_WINDOW     ? &so.prox_window
        : c == OPT_PRF_DOCS ? &so.prf_docs
                            : &so.prf_terms) = u ? (int)u : -1;
      break;
    case OPT_RERANK:
      if (parse_uint(optarg, "--rerank-depth", 100000, &u))
        return EXIT_ERROR;
      so.rerank_depth = u ? (int)u : -1;
      break;
    case OPT_STOP: so.query_stopwords = strcmp(optarg, "none") == 0 ? "" : optarg; break;
    case 'h': printf(usage, TL_RERANK_DEPTH); return 0;
    case 'V': printf("telusur-query %s\n", TELUSUR_VERSION); return 0;
    default: fputs("Try 'telusur-query --help' for more information.\n", stderr); return EXIT_ERROR;
    }
  }
  o.color = (no_color && *no_color)        ? 0
            : strcmp(color, "always") == 0 ? 1
            : strcmp(color, "never") == 0  ? 0
                                           : isatty(STDOUT_FILENO);
  if (o.format != FMT_TEXT)
    o.color = 0;
  if (!batch && optind >= argc) {
    fputs("telusur-query: empty query\nTry 'telusur-query --help' for more information.\n", stderr);
    return EXIT_ERROR;
  }
  so.no_snippets = o.format == FMT_TREC || o.format == FMT_FEATURES;
  o.rerank_depth = so.rerank_depth == 0  ? TL_RERANK_DEPTH
                   : so.rerank_depth < 0 ? 0
                                         : (unsigned)so.rerank_depth;
  if (o.format == FMT_FEATURES) {
    size_t k;
    if (o.rerank_depth == 0) {
      fputs("telusur-query: --format=features needs reranking (--rerank-depth above 0)\n", stderr);
      return EXIT_ERROR;
    }
    fputs("qid\tdocid\tfirst_rank", stdout);
    for (k = 0; k < TL_RERANK_FEATURES; k++)
      printf("\t%s", tl_rerank_feature_name(k));
    putchar('\n');
  }
  if (tl_searcher_open(db, &so, &s, &err) != TL_OK) {
    fprintf(stderr, "telusur-query: %s\n", err.msg);
    return EXIT_ERROR;
  }
  if (batch) {
    status = run_batch(s, batch, &o);
  } else {
    size_t len = 1;
    int i;
    char *q;
    for (i = optind; i < argc; i++)
      len += strlen(argv[i]) + 1;
    if (!(q = malloc(len))) {
      tl_searcher_close(s);
      return EXIT_ERROR;
    }
    len = 0;
    for (i = optind; i < argc; i++) {
      size_t n = strlen(argv[i]);
      if (i > optind)
        q[len++] = ' ';
      memcpy(q + len, argv[i], n);
      len += n;
    }
    q[len] = '\0';
    status = run_query(s, q, &o, NULL);
    free(q);
  }
  tl_searcher_close(s);
  if (fflush(stdout) != 0)
    status = EXIT_ERROR;
  return status;
}
