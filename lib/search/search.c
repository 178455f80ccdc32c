/* search.c - query rewriting through the analyzer, ranking and snippets. */
#include "telusur/search.h"

#include "index/documents.h"
#include "index/schema.h"
#include "search/expand.h"
#include "search/query.h"
#include "search/rerank.h"
#include "telusur/analysis.h"
#include "text/date.h"
#include "text/fold.h"
#include "text/reader.h"
#include "text/stem_id.h"
#include "util/buf.h"
#include "util/data.h"
#include "util/strset.h"
#include "xapian/store.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Snippets: passages up to this many bytes are shown whole; longer ones as
 * a window of about SNIPPET_WORDS words around the best cluster of matches. */
#define SNIPPET_WHOLE 320
#define SNIPPET_WORDS 36
#define SNIPPET_MAX_BYTES 1024 /* a window of very long words is cut */

struct tl_searcher {
  tl_store *store;
  tl_analyzer *analyzer;   /* the index's analysis */
  tl_analyzer *query_stop; /* stopwords for queries (no stemming) */
  tl_analyzer *questions;  /* the question words, as stopwords */
  tl_reranker *reranker;   /* NULL when rank.rerank_depth is 0 */
  char *trees_path;        /* the tree model, read at the first reranking; NULL: none, or read */
  tl_analyzer_options helper_ao; /* the analysis of the reranker's second thread */
  char *stemmer, *data_dir;      /* helper_ao's strings */
  unsigned reranked;             /* reranked searches so far (up to 2) */
  int one_thread;                /* tl_searcher_options.threads is 1 */
  tl_rank_params rank;
  int no_snippets;
  char **fterms; /* the field filters' terms (schema.h), nfterms */
  size_t nfterms;
  int has_date, sort;
  double date_from, date_to;
  unsigned per_article;
  int count_matches;
  char **facets; /* the fields counted, nfacets */
  size_t nfacets;
  tl_acronyms *acronyms; /* NULL: no acronym expansion */
  int correct;           /* search the spelling suggestion instead */
  int expand_spelling;   /* also search a word the index lacks by its correction */
  tl_buf unknown;        /* tl_searcher_unknown_fields, ", "-separated */
  char *stale;           /* tl_searcher_stale, or NULL */
};

/* Weight of the expansion (acronyms, spelling corrections), against 1 for
 * the words typed: at 0.5 the corrections of the train questions' words put
 * two judged passages first, raised a third and moved none down
 * (bench/RESULTS-relevance.md). */
#define EXPAND_WEIGHT 0.5

/* The distinct word forms from which a reranked question finds its
 * documents by its stems alone (tl_search_options.lean_words): chosen on
 * the train questions, the fewest that leave TyDi's figures unchanged. */
#define LEAN_WORDS 8

/* Reads the filters of opts into s: field terms, and one date range (the
 * intersection of the date filters). */
static tl_status set_filters(tl_searcher *s, const tl_searcher_options *o, tl_error *err) {
  size_t i;
  tl_status rc;
  s->sort = o->sort;
  s->per_article = o->per_article;
  s->count_matches = o->count_matches || o->nfacets > 0;
  if (o->nfacets && !(s->facets = calloc(o->nfacets, sizeof *s->facets)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < o->nfacets; i++) {
    size_t k;
    if (!o->facets[i] || !*o->facets[i])
      return tl_error_set(err, TL_ERR_USAGE, "a facet without a field name");
    for (k = 0; k < s->nfacets && !(s->facets[k] && strcasecmp(s->facets[k], o->facets[i]) == 0);
         k++)
      ;
    if (k < s->nfacets) /* a field named twice (in any letter case) is counted once */
      continue;
    if (!(s->facets[s->nfacets] = strdup(o->facets[i])))
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    s->nfacets++;
  }
  if (o->sort < TL_SORT_RELEVANCE || o->sort > TL_SORT_OLDEST)
    return tl_error_set(err, TL_ERR_USAGE, "sort %d: out of range", o->sort);
  if (o->nfilters && !(s->fterms = calloc(o->nfilters, sizeof *s->fterms)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < o->nfilters; i++) {
    const char *f = o->filters[i].field, *v = o->filters[i].value ? o->filters[i].value : "";
    if (!f || !*f)
      return tl_error_set(err, TL_ERR_USAGE, "a filter without a field name");
    if (strcmp(f, TL_FIELD_DATE) == 0) {
      const char *dots = strstr(v, "..");
      size_t la = dots ? (size_t)(dots - v) : strlen(v);
      const char *b = dots ? dots + 2 : v;
      int64_t from = INT64_MIN, to = INT64_MAX;
      if (!*v || (dots && !la && !*b))
        return tl_error_set(err, TL_ERR_USAGE, "an empty date range");
      if ((la && (rc = tl_date_bound(v, la, 0, &from, err)) != TL_OK) ||
          (*b && (rc = tl_date_bound(b, strlen(b), 1, &to, err)) != TL_OK))
        return rc;
      if (from > to)
        return tl_error_set(err, TL_ERR_USAGE, "date range '%s': its start is after its end", v);
      if (!s->has_date || (double)from > s->date_from)
        s->date_from = (double)from;
      if (!s->has_date || (double)to < s->date_to)
        s->date_to = (double)to;
      s->has_date = 1;
      if (s->date_from > s->date_to)
        return tl_error_set(err, TL_ERR_USAGE, "the date filters have no date in common");
    } else {
      char term[TL_INDEX_TERM_MAX + 1], *folded;
      size_t flen, n;
      if ((rc = tl_fold(v, strlen(v), &folded, &flen, err)) != TL_OK)
        return rc;
      n = tl_field_term(f, folded, flen, term);
      free(folded);
      if (!n) /* too long for a term: no article has it */
        snprintf(term, sizeof term, "%s", TL_PREFIX_FIELD);
      if (!(s->fterms[s->nfterms] = strdup(term)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      s->nfterms++;
    }
  }
  return TL_OK;
}

static int index_field(tl_searcher *s, const char *name, size_t len);

/* The field of filter or facet k of o (filters first, then facets), or NULL
 * for the date filter. */
static const char *unknown_candidate(const tl_searcher *s, const tl_searcher_options *o, size_t k) {
  if (k < o->nfilters)
    return strcmp(o->filters[k].field, TL_FIELD_DATE) == 0 ? NULL : o->filters[k].field;
  return s->facets[k - o->nfilters];
}

/* The fields of the filters and facets that no article of the index has
 * (tl_searcher_unknown_fields): each once, in any letter case. */
static tl_status find_unknown(tl_searcher *s, const tl_searcher_options *o, tl_error *err) {
  size_t n = o->nfilters + s->nfacets;
  for (size_t k = 0; k < n; k++) {
    const char *name = unknown_candidate(s, o, k);
    size_t j;
    if (!name || index_field(s, name, strlen(name)))
      continue;
    for (j = 0; j < k; j++) /* named before: listed once */
      if (unknown_candidate(s, o, j) && strcasecmp(unknown_candidate(s, o, j), name) == 0)
        break;
    if (j < k)
      continue;
    if ((s->unknown.len && tl_buf_append_str(&s->unknown, ", ") != TL_OK) ||
        tl_buf_append_str(&s->unknown, name) != TL_OK)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* Reads the tree model found by find_trees, once. */
static int load_trees(tl_searcher *s, tl_error *err) {
  tl_trees *t;
  int rc;
  if (!s->trees_path)
    return TL_OK;
  if ((rc = tl_trees_load(s->trees_path, TL_RERANK_FEATURES, &t, err)) != TL_OK)
    return rc;
  tl_reranker_use_trees(s->reranker, t);
  free(s->trees_path);
  s->trees_path = NULL;
  return TL_OK;
}

/* Finds the tree model opts->reranker asks for, if any. A model named
 * (trees or a file) is read now, so that a bad one is an error of the
 * open; the default (NULL: the shipped trees) is only checked to open, into
 * s->trees_path, and read at the first reranking (rerank_hits), so that a
 * query that is not reranked (a keyword query) never waits for it. */
static int find_trees(tl_searcher *s, const tl_searcher_options *opts, tl_error *err) {
  const char *name = opts && opts->reranker ? opts->reranker : "trees";
  char path[4096];
  FILE *f;
  if (strcmp(name, "linear") == 0)
    return TL_OK;
  if (!*name)
    return tl_error_set(err, TL_ERR_USAGE, "reranker: expected linear, trees or a model file");
  if (strcmp(name, "trees") == 0) {
    int n = snprintf(path, sizeof path, "%s/lexicon/rerank-trees.txt",
                     opts && opts->data_dir ? opts->data_dir : tl_data_dir());
    if (n < 0 || (size_t)n >= sizeof path)
      return tl_error_set(err, TL_ERR_LIMIT, "data directory path too long");
    name = path;
  }
  if (!(f = fopen(name, "r")))
    return tl_error_set(err, errno == ENOENT ? TL_ERR_NOTFOUND : TL_ERR_IO, "%s: %s", name,
                        strerror(errno));
  fclose(f);
  if (!(s->trees_path = strdup(name)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return opts && opts->reranker ? load_trees(s, err) : TL_OK;
}

void tl_rank_params_default(tl_rank_params *p) {
  memset(p, 0, sizeof *p);
  p->k1 = 0.6;
  p->b = 0.75;
  p->exact_weight = 0.5;
  p->prox_weight = 0;
  p->prox_window = 8;
  p->prf_docs = 0;
  p->prf_terms = 0;
  p->prf_weight = 0;
  p->rerank_depth = 20;
  p->title_weight = 0.5;
  p->article_weight = 0.1;
  p->context_weight = 0.8;
}

/* The ranking parameters by name (as options: --NAME), with the name in
 * messages, the field, its type and its range. */
static const struct rank_param {
  const char *name, *label;
  size_t at;
  int count; /* an unsigned field, else a double */
  double min, max;
} rank_params[] = {
    {"k1", "k1", offsetof(tl_rank_params, k1), 0, 0, 1000},
    {"b", "b", offsetof(tl_rank_params, b), 0, 0, 1},
    {"exact-weight", "exact weight", offsetof(tl_rank_params, exact_weight), 0, 0, 1000},
    {"proximity", "proximity weight", offsetof(tl_rank_params, prox_weight), 0, 0, 1000},
    {"window", "proximity window", offsetof(tl_rank_params, prox_window), 1, 1, 1000},
    {"prf-docs", "feedback documents", offsetof(tl_rank_params, prf_docs), 1, 0, 1000},
    {"prf-terms", "feedback terms", offsetof(tl_rank_params, prf_terms), 1, 0, 1000},
    {"prf-weight", "feedback weight", offsetof(tl_rank_params, prf_weight), 0, 0, 1000},
    {"rerank-depth", "rerank depth", offsetof(tl_rank_params, rerank_depth), 1, 0, 100000},
    {"title-weight", "title weight", offsetof(tl_rank_params, title_weight), 0, 0, 1000},
    {"article-weight", "article weight", offsetof(tl_rank_params, article_weight), 0, 0, 1000},
    {"context-weight", "context weight", offsetof(tl_rank_params, context_weight), 0, 0, 1000}};
#define NRANK_PARAMS (sizeof rank_params / sizeof *rank_params)

const char *tl_rank_param_name(size_t i) {
  return i < NRANK_PARAMS ? rank_params[i].name : NULL;
}

static double rank_param_get(const tl_rank_params *p, const struct rank_param *r) {
  const void *field = (const char *)p + r->at;
  return r->count ? (double)*(const unsigned *)field : *(const double *)field;
}

static tl_status rank_param_in_range(const struct rank_param *r, double v, tl_error *err) {
  if (!(v >= r->min && v <= r->max))
    return tl_error_set(err, TL_ERR_USAGE, "%s %g out of range (expected %g to %g)", r->label, v,
                        r->min, r->max);
  return TL_OK;
}

tl_status tl_rank_params_check(const tl_rank_params *p, tl_error *err) {
  size_t i;
  for (i = 0; i < NRANK_PARAMS; i++) {
    tl_status rc = rank_param_in_range(&rank_params[i], rank_param_get(p, &rank_params[i]), err);
    if (rc != TL_OK)
      return rc;
  }
  return TL_OK;
}

tl_status tl_rank_params_set(tl_rank_params *p, const char *name, const char *value,
                             tl_error *err) {
  const struct rank_param *r = NULL;
  char *end;
  double v;
  size_t i;
  tl_status rc;
  for (i = 0; i < NRANK_PARAMS && !r; i++)
    r = strcmp(rank_params[i].name, name) == 0 ? &rank_params[i] : NULL;
  if (!r)
    return tl_error_set(err, TL_ERR_USAGE, "no ranking parameter '%s'", name);
  v = strtod(value, &end);
  if (*value == '\0' || *end)
    return tl_error_set(err, TL_ERR_USAGE, "%s: '%s' is not a number", r->label, value);
  if ((rc = rank_param_in_range(r, v, err)) != TL_OK)
    return rc;
  if (r->count && v != (double)(unsigned)v)
    return tl_error_set(err, TL_ERR_USAGE, "%s: '%s' is not a whole number", r->label, value);
  if (r->count)
    *(unsigned *)(void *)((char *)p + r->at) = (unsigned)v;
  else
    *(double *)(void *)((char *)p + r->at) = v;
  return TL_OK;
}

/* Sets s->stale to say that the shards of db_path were built by different
 * analyses of words (d: the two that differ). */
static tl_status set_shards_stale(tl_searcher *s, const char *db_path, const char *d) {
  tl_buf b = TL_BUF_INIT;
  if (tl_buf_printf(&b,
                    "%s: its shards were built by different analyses of words (%s): the words "
                    "whose terms changed are found in one and not the other; rebuild the older",
                    db_path, d) != TL_OK)
    return TL_ERR_NOMEM;
  s->stale = tl_buf_take(&b, NULL);
  return s->stale ? TL_OK : TL_ERR_NOMEM;
}

/* For shards behind a stub, whose metadata is read from one of them: that
 * they share the layout and the stemmer, as one analysis of a query
 * searches them all. Errors: TL_ERR_SCHEMA, TL_ERR_FORMAT (naming the two
 * that differ), the store's. */
static tl_status shards_agree(tl_store *st, const char *db_path, tl_error *err) {
  char *d = NULL;
  tl_status rc;
  if ((rc = tl_store_shards_differ(st, TL_META_SCHEMA, "1", &d, err)) != TL_OK)
    return rc;
  if (d) {
    rc = tl_error_set(err, TL_ERR_SCHEMA,
                      "%s: its shards have different index layouts (%s): rebuild the older",
                      db_path, d);
    free(d);
    return rc;
  }
  if ((rc = tl_store_shards_differ(st, TL_META_STEMMER, "indonesian", &d, err)) != TL_OK)
    return rc;
  if (d) {
    rc = tl_error_set(err, TL_ERR_FORMAT,
                      "%s: its shards were built with different stemmers (%s), and a query is "
                      "analyzed one way: rebuild one with the other's --stemmer",
                      db_path, d);
    free(d);
  }
  return rc;
}

tl_status tl_searcher_open(const char *db_path, const tl_searcher_options *opts,
                           const tl_rank_params *rank, tl_searcher **out, tl_error *err) {
  tl_searcher *s;
  tl_analyzer_options ao;
  char *stemmer = NULL;
  tl_status rc;
  *out = NULL;
  if (rank && (rc = tl_rank_params_check(rank, err)) != TL_OK)
    return rc;
  if (!(s = calloc(1, sizeof *s)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (rank)
    s->rank = *rank;
  else
    tl_rank_params_default(&s->rank);
  if ((rc = tl_store_open_read(db_path, opts ? opts->timeout_ms : 0, opts ? opts->allow_partial : 0,
                               &s->store, err)) != TL_OK ||
      (rc = tl_schema_check(s->store, db_path, NULL, err)) != TL_OK ||
      (rc = shards_agree(s->store, db_path, err)) != TL_OK)
    goto fail;
  if ((rc = tl_store_get_metadata(s->store, TL_META_STEMMER, &stemmer, err)) != TL_OK)
    goto fail;
  memset(&ao, 0, sizeof ao);
  ao.data_dir = opts ? opts->data_dir : NULL;
  ao.stemmer = stemmer && *stemmer ? stemmer : "indonesian";
  if ((rc = tl_analyzer_create(&ao, &s->analyzer, err)) != TL_OK ||
      (rc = tl_schema_check_analysis(s->store, db_path, tl_analyzer_fingerprint(s->analyzer), 0,
                                     &s->stale, err)) != TL_OK)
    goto fail;
  if (!s->stale) { /* the first shard's analysis is this telusur's; the others'? */
    char *d = NULL;
    if ((rc = tl_store_shards_differ(s->store, TL_META_ANALYSIS, "", &d, err)) != TL_OK)
      goto fail;
    if (d && set_shards_stale(s, db_path, d) != TL_OK) {
      free(d);
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto fail;
    }
    free(d);
  }
  if (!(s->stemmer = strdup(ao.stemmer)) || (ao.data_dir && !(s->data_dir = strdup(ao.data_dir)))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto fail;
  }
  s->helper_ao.stemmer = s->stemmer;
  s->helper_ao.data_dir = s->data_dir;
  ao.stemmer = "none";
  ao.stopwords = opts && opts->query_stopwords ? opts->query_stopwords : "tala.txt,questions.txt";
  if ((rc = tl_analyzer_create(&ao, &s->query_stop, err)) != TL_OK)
    goto fail;
  ao.stopwords = "questions.txt";
  if ((rc = tl_analyzer_create(&ao, &s->questions, err)) != TL_OK)
    goto fail;
  if (s->rank.rerank_depth > 0 &&
      (rc = tl_reranker_create(s->analyzer, s->questions, NULL, &s->reranker, err)) != TL_OK)
    goto fail;
  if (s->reranker && (rc = find_trees(s, opts, err)) != TL_OK)
    goto fail;
  s->no_snippets = opts ? opts->no_snippets : 0;
  s->one_thread = opts && opts->threads == 1;
  s->correct = opts ? opts->correct : 0;
  s->expand_spelling = !(opts && (opts->no_expand || opts->correct));
  if (!(opts && opts->no_expand) &&
      (rc = tl_acronyms_load(s->store, opts && opts->data_dir ? opts->data_dir : tl_data_dir(),
                             &s->acronyms, err)) != TL_OK)
    goto fail;
  if (opts &&
      ((rc = set_filters(s, opts, err)) != TL_OK || (rc = find_unknown(s, opts, err)) != TL_OK))
    goto fail;
  free(stemmer);
  *out = s;
  return TL_OK;
fail:
  free(stemmer);
  tl_searcher_close(s);
  return rc;
}

const char *tl_searcher_unknown_fields(const tl_searcher *s) {
  return s->unknown.len ? s->unknown.data : NULL;
}

const char *tl_searcher_missing(const tl_searcher *s) {
  return tl_store_missing(s->store);
}

const char *tl_searcher_stale(const tl_searcher *s) {
  return s->stale;
}

void tl_searcher_close(tl_searcher *s) {
  if (!s)
    return;
  free(s->stale);
  tl_store_close(s->store);
  tl_analyzer_free(s->analyzer);
  tl_analyzer_free(s->query_stop);
  tl_reranker_free(s->reranker);
  free(s->stemmer);
  free(s->data_dir);
  free(s->trees_path);
  tl_analyzer_free(s->questions);
  tl_acronyms_free(s->acronyms);
  for (size_t i = 0; i < s->nfterms; i++)
    free(s->fterms[i]);
  free(s->fterms);
  for (size_t i = 0; i < s->nfacets; i++)
    free(s->facets[i]);
  free(s->facets);
  tl_buf_free(&s->unknown);
  free(s);
}

/* What the rewrite made of a query term (0: not a word of its own). */
enum { ACT_WORD = 1, ACT_DROPPED, ACT_OPERATOR };

/* Whether the operator at term i of n keeps an operand on the side step
 * (-1 left, +1 right): a word kept before the next operator, or no dropped
 * stopword there either (the query as typed is then Xapian's to judge). */
static int has_operand(const unsigned char *act, size_t i, size_t n, int step) {
  ptrdiff_t k;
  int dropped = 0;
  for (k = (ptrdiff_t)i + step; k >= 0 && (size_t)k < n && act[k] != ACT_OPERATOR; k += step) {
    if (act[k] == ACT_WORD)
      return 1;
    dropped |= act[k] == ACT_DROPPED;
  }
  return !dropped;
}

/* Whether term i of the query is the operator NOT. */
static int is_not(const tl_query *pq, size_t i) {
  const tl_query_term *t = &pq->terms[i];
  return t->operator_ && t->end - t->start == 3 && memcmp(pq->text + t->start, "NOT", 3) == 0;
}

/* Whether the rewrite keeps nothing before term i: a NOT there stands
 * alone ("yang NOT banjir" as "NOT banjir", every passage without the
 * word). */
static int nothing_before(const unsigned char *act, size_t i) {
  while (i-- > 0)
    if (act[i] == ACT_WORD || act[i] == ACT_OPERATOR)
      return 0;
  return 1;
}

/* Whether query word t is a name that the stemmer would change (Kediri,
 * Semeru): capitalised in the query, or typed in lower case but listed by
 * the gazetteer; such a word is searched as written. */
static int name_kept_whole(const tl_searcher *s, const tl_query_term *t) {
  size_t sl;
  const char *stem;
  if (!(t->flags & TL_TERM_NAME) && !tl_analyzer_is_name(s->analyzer, t->term, t->len))
    return 0;
  stem = tl_analyzer_stem(s->analyzer, t->term, t->len, &sl);
  return sl != t->len || memcmp(stem, t->term, sl) != 0;
}

/* A date token of the query without a range (date:2025-10-21) as the range
 * of that day, month or year (date:2025-10-21..2025-10-21): Xapian's
 * parser takes only ranges. Returns a new string (q freed either way), or
 * NULL when out of memory. */
static char *date_days(char *q) {
  static const char key[] = TL_FIELD_DATE ":";
  const char *p = q;
  tl_buf o = TL_BUF_INIT;
  int failed = 0;
  for (;;) {
    const char *at = strstr(p, key), *v, *end, *dots;
    if (!at) {
      failed |= tl_buf_append_str(&o, p);
      break;
    }
    v = at + sizeof key - 1;
    for (end = v; *end && !strchr(" \t\r\n()\"", *end); end++)
      ;
    failed |= tl_buf_append(&o, p, (size_t)(end - p));
    for (dots = v; dots + 1 < end && !(dots[0] == '.' && dots[1] == '.'); dots++)
      ;
    if ((at == q || strchr(" \t\r\n(+-", at[-1])) && end > v && dots + 1 >= end) {
      failed |= tl_buf_append(&o, "..", 2);
      failed |= tl_buf_append(&o, v, (size_t)(end - v));
    }
    p = end;
  }
  free(q);
  if (failed) {
    tl_buf_free(&o);
    return NULL;
  }
  return tl_buf_take(&o, NULL);
}

/* The length of a field name and its ':' at p ("title:", "topic:"; letters,
 * digits and '_' before the colon), or 0. */
static size_t field_prefix(const char *p) {
  size_t n = 0;
  while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
         (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
    n++;
  return n > 0 && p[n] == ':' ? n + 1 : 0;
}

/* The end of a field's value at v: a "quoted" value to its closing quote,
 * else up to blank space or a bracket. */
static const char *value_end(const char *v) {
  if (*v == '"') {
    const char *e = strchr(v + 1, '"');
    return e ? e + 1 : v + strlen(v);
  }
  return v + strcspn(v, " \t\r\n()");
}

/* Whether p starts a token of q: at its start, or after blank space or '('. */
static int token_start(const char *q, const char *p) {
  return p == q || strchr(" \t\r\n(", p[-1]);
}

/* q with each excluded field written so that Xapian's parser excludes it:
 * without bracket_them, "title:-banjir" as "-title:banjir" (the parser
 * reads the first as title:banjir); with bracket_them, each "-FIELD:VALUE"
 * in brackets, "-(FIELD:VALUE)": the parser excludes a quoted value
 * ("-topic:\"Ekonomi & Keuangan\"") or a range ("-date:2025-10..2025-10")
 * led by '-' only so. A new string, or NULL when nothing changes or out of
 * memory. */
static char *excluded_fields(const char *q, int bracket_them) {
  tl_buf o = TL_BUF_INIT;
  const char *p, *copied = q;
  int changed = 0, failed = 0, in_quotes = 0;
  for (p = q; *p; p++) {
    size_t name;
    const char *v, *end;
    if (*p == '"')
      in_quotes = !in_quotes;
    if (in_quotes || !token_start(q, p))
      continue;
    if (bracket_them && *p == '-' && (name = field_prefix(p + 1))) {
      v = p + 1 + name; /* -FIELD:VALUE */
      end = value_end(v);
      failed |= tl_buf_append(&o, copied, (size_t)(p - copied));
      failed |= tl_buf_append_str(&o, "-(");
      failed |= tl_buf_append(&o, p + 1, (size_t)(end - p - 1));
      failed |= tl_buf_append_str(&o, ")");
    } else if (!bracket_them && (name = field_prefix(p)) && p[name] == '-') {
      v = p + name + 1; /* FIELD:-VALUE */
      end = value_end(v);
      failed |= tl_buf_append(&o, copied, (size_t)(p - copied));
      failed |= tl_buf_append_str(&o, "-");
      failed |= tl_buf_append(&o, p, name);
      failed |= tl_buf_append(&o, v, (size_t)(end - v));
    } else {
      continue;
    }
    copied = end;
    p = end - 1;
    changed = 1;
  }
  if (!changed || failed || tl_buf_append_str(&o, copied)) {
    tl_buf_free(&o);
    return NULL;
  }
  return tl_buf_take(&o, NULL);
}

/* The length of a NEAR or ADJ operator at p (with its /N), or 0. */
static size_t near_operator(const char *p) {
  size_t n = strncmp(p, "NEAR", 4) == 0 ? 4 : strncmp(p, "ADJ", 3) == 0 ? 3 : 0;
  if (n && p[n] == '/')
    for (n++; p[n] >= '0' && p[n] <= '9'; n++)
      ;
  return n && (!p[n] || strchr(" \t\r\n", p[n])) ? n : 0;
}

/* Whether c is one of the characters Xapian's parser joins words with
 * into a phrase (tanah-longsor, kppu.go.id, banjir/hujan). */
static int phrase_joiner(char c) {
  return c && strchr(".-/\\@:", c) != NULL;
}

/* Whether c is a byte of a word: an ASCII letter or digit, or of UTF-8. */
static int word_byte(char c) {
  return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Appends the words of [w, e) to o, joined by the operator op: split at
 * blanks and between words joined into a phrase; a part that repeats the
 * one before it (bangsa-bangsa) is written once. */
static int join_words(tl_buf *o, const char *w, const char *e, const char *op, size_t opn,
                      int *first) {
  int failed = 0;
  while (w < e) {
    size_t n = 0, part = 0, prev = 0, prev_len = 0;
    while (w + n < e && !strchr(" \t\r\n\"", w[n]))
      n++;
    while (part < n) {
      size_t k = part;
      while (k < n && !(phrase_joiner(w[k]) && k > 0 && word_byte(w[k - 1]) && k + 1 < n &&
                        word_byte(w[k + 1])))
        k++;
      if (part == 0 || k - part != prev_len || memcmp(w + prev, w + part, prev_len) != 0) {
        if (!*first)
          failed |=
              tl_buf_append_str(o, " ") || tl_buf_append(o, op, opn) || tl_buf_append_str(o, " ");
        failed |= tl_buf_append(o, w + part, k - part);
        *first = 0;
      }
      prev = part;
      prev_len = k - part;
      part = k + 1;
    }
    w += n;
    w += strspn(w, " \t\r\n\"");
  }
  return failed;
}

/* q with each "phrase" beside NEAR or ADJ written as its words joined by
 * that operator ("tanah longsor" NEAR banjir as tanah NEAR longsor NEAR
 * banjir; "kerjasama" NEAR ekonomi as kerjasama NEAR ekonomi), and so a
 * word that the parser reads as a phrase (tanah-longsor, e-KTP): Xapian's
 * parser takes only words there. The words must then be as near as the
 * operator asks, in order for ADJ. A new string, or NULL when nothing
 * changes or out of memory. */
static char *near_phrases(const char *q) {
  tl_buf o = TL_BUF_INIT;
  const char *p, *copied = q;
  int changed = 0, failed = 0;
  for (p = q; *p; p++) {
    const char *e, *before = p, *op = NULL, *w, *x;
    size_t opn = 0;
    int first = 1, joined = 0;
    if (strchr(" \t\r\n()", *p) || !token_start(q, p))
      continue;
    if (*p == '"') {
      if (!(e = strchr(p + 1, '"')))
        break;
      e++;
    } else {
      for (e = p; *e && !strchr(" \t\r\n()\"", *e); e++)
        joined |= phrase_joiner(*e) && e > p && word_byte(e[-1]) && word_byte(e[1]);
      if (!joined || strchr("+-", *p) ||
          (isalpha((unsigned char)*p) && memchr(p, ':', (size_t)(e - p))) ||
          memchr(p, '*', (size_t)(e - p)) || *e == '"') {
        p = e - 1;
        continue;
      }
    }
    w = e + strspn(e, " \t\r\n");
    if ((opn = near_operator(w))) {
      op = w;
    } else {
      while (before > q && strchr(" \t\r\n", before[-1]))
        before--;
      while (before > q && !strchr(" \t\r\n", before[-1]))
        before--;
      if (before < p && (opn = near_operator(before)) && before + opn <= p)
        op = before;
    }
    if (!op) {
      p = e - 1;
      continue;
    }
    failed |= tl_buf_append(&o, copied, (size_t)(p - copied));
    x = *p == '"' ? p + 1 : p;
    failed |= join_words(&o, x, *p == '"' ? e - 1 : e, op, opn, &first);
    copied = e;
    p = e - 1;
    changed = 1;
  }
  if (!changed || failed || tl_buf_append_str(&o, copied)) {
    tl_buf_free(&o);
    return NULL;
  }
  return tl_buf_take(&o, NULL);
}

/* q with each chain of words joined by NEAR or ADJ in brackets when other
 * words stand beside it ("hujan deras NEAR banjir" as "hujan (deras NEAR
 * banjir)"): Xapian's parser reads such a chain only alone or in brackets
 * (it fails on the first, and would read every word plainly). A new
 * string, or NULL when nothing changes or out of memory. */
static char *near_chains(const char *q) {
  enum { MAXTOK = 256 };
  const char *tb[MAXTOK], *te[MAXTOK];
  size_t n = 0, i, j;
  const char *p = q;
  char open[MAXTOK] = {0}, close[MAXTOK] = {0};
  int changed = 0, failed = 0;
  tl_buf o = TL_BUF_INIT;
  while (*p && n < MAXTOK) { /* tokens, a quoted phrase whole */
    p += strspn(p, " \t\r\n");
    if (!*p)
      break;
    tb[n] = p;
    while (*p && !strchr(" \t\r\n", *p)) {
      if (*p == '"') {
        const char *e = strchr(p + 1, '"');
        p = e ? e + 1 : p + strlen(p);
      } else {
        p++;
      }
    }
    te[n++] = p;
  }
  if (*p && n == MAXTOK)
    return NULL;
  for (i = 1; i + 1 < n; i++) {
    size_t first = i - 1, last;
    if (near_operator(tb[i]) != (size_t)(te[i] - tb[i]))
      continue;
    for (j = i; j + 1 < n && near_operator(tb[j]) == (size_t)(te[j] - tb[j]); j += 2)
      ;
    last = j - 1;
    i = j;
    if (first == 0 && last + 1 == n)
      continue; /* the whole query */
    if (*tb[first] == '(' && *(te[last] - 1) == ')')
      continue; /* in its own brackets already */
    open[first] = close[last] = 1;
    changed = 1;
  }
  if (!changed)
    return NULL;
  for (i = 0, p = q; i < n; i++) {
    const char *b = tb[i], *e = te[i];
    failed |= tl_buf_append(&o, p, (size_t)(b - p));
    if (open[i]) {
      while (*b == '(')
        failed |= tl_buf_append(&o, b++, 1);
      failed |= tl_buf_append(&o, "(", 1);
    }
    if (close[i]) {
      const char *c = e;
      while (c > b && c[-1] == ')')
        c--;
      failed |= tl_buf_append(&o, b, (size_t)(c - b));
      failed |= tl_buf_append(&o, ")", 1);
      b = c;
    }
    failed |= tl_buf_append(&o, b, (size_t)(e - b));
    p = e;
  }
  failed |= tl_buf_append_str(&o, p);
  if (failed) {
    tl_buf_free(&o);
    return NULL;
  }
  return tl_buf_take(&o, NULL);
}

/* Blanks each run of two or more dots in q outside a date range token
 * (date:FROM..TO, the one range the parser knows): an ellipsis or "10..20"
 * in a pasted text would read as a range no processor takes, which
 * Xapian's parser rejects ("Unknown range operation"). */
static void blank_ranges(char *q) {
  char *p = q;
  while ((p = strstr(p, ".."))) {
    char *token = p, *end = p;
    while (token > q && !strchr(" \t\r\n(\"", token[-1]))
      token--;
    while (*end == '.')
      end++;
    if (*token == '-' || *token == '+')
      token++;
    if (strncmp(token, TL_FIELD_DATE ":", strlen(TL_FIELD_DATE ":")) != 0)
      memset(p, ' ', (size_t)(end - p));
    p = end;
  }
}

/* Rewrites the query word by word into the analyzer's forms:
 *  - a word becomes its normalized form (case folded, soft hyphens and
 *    apostrophes gone); operators, field names and acronyms stay as typed:
 *    Xapian's parser knows operators by their capitals and does not stem
 *    capitalized words (STEM_SOME), which keeps acronyms whole;
 *  - an open compound (kerja sama) becomes the joined word (kerjasama),
 *    which every spelling of the compound is indexed under;
 *  - outside quotes, a hyphenated word of letters (negara-negara,
 *    sebaik-baiknya) becomes the stem of the whole word; inside quotes it
 *    stays a phrase of its parts, so the exact form can still be asked for;
 *  - dots that would read as a range are blanked (blank_ranges). */
/* Whether a case-folded word is a root of the lexicon, or a form of one
 * (DIDUGA of duga, SOROTI of sorot) whose stem has four letters or more. */
static int known_word(const tl_searcher *s, const char *w, size_t n) {
  size_t sn = 0;
  const char *stem;
  if (tl_analyzer_is_known(s->analyzer, w, n))
    return 1;
  stem = tl_analyzer_stem(s->analyzer, w, n, &sn);
  /* a stem of four letters or more: kemenkes is no form of kes */
  return stem && sn >= 4 && (sn != n || memcmp(stem, w, n) != 0) &&
         tl_analyzer_is_known(s->analyzer, stem, sn);
}

/* Whether query[start, end) is all that its quotes hold: a quote before it
 * and one after it (or the end, which closes a quote left open), with
 * nothing but spaces between. */
static int whole_quote(const char *query, size_t len, size_t start, size_t end) {
  while (start > 0 && query[start - 1] == ' ')
    start--;
  while (end < len && query[end] == ' ')
    end++;
  return start > 0 && query[start - 1] == '"' && (end == len || query[end] == '"');
}

static tl_status rewrite(const tl_searcher *s, const tl_query *pq, char **out, tl_error *err) {
  const char *query = pq->text;
  const tl_query_term *terms = pq->terms;
  tl_buf o = TL_BUF_INIT;
  size_t len = pq->len, n = pq->nterms, i, copied = 0, quotes_pos = 0, content = 0;
  tl_status rc = TL_OK;
  int in_quotes = 0, pass, changed, failed = 0;
  unsigned char *act = NULL; /* per term, from the first pass: ACT_* */
  *out = NULL;
  /* Stopwords outside quotes are dropped, unless nothing else is left:
   * Xapian's parser keeps a run of them ("di mana") together. */
  for (i = 0; i < n; i++) {
    const tl_query_term *t = &terms[i];
    if (!(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) &&
        !tl_analyzer_is_stopword(s->query_stop, t->term, t->len) && !t->operator_)
      content++;
  }
  /* Two passes: the first marks what each word becomes, the second writes
   * the query, leaving out an operator that a dropped stopword left without
   * an operand on one side ("siapa AND presiden"), which Xapian's parser
   * would reject. */
  if (!(act = calloc(n + 1, 1))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (pass = 0; pass < 2; pass++) {
    copied = quotes_pos = 0;
    in_quotes = 0;
    tl_buf_reset(&o);
    for (i = 0; i < n; i++) {
      const tl_query_term *t = &terms[i], *j;
      const char *word = query + t->start;
      size_t wlen = t->end - t->start;
      if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED) || t->start < copied)
        continue;
      for (; quotes_pos < t->start; quotes_pos++)
        if (query[quotes_pos] == '"')
          in_quotes = !in_quotes;
      failed |= tl_buf_append(&o, query + copied, t->start - copied);
      copied = t->end;
      /* an open compound as its joined word (kerja sama: kerjasama), but
       * inside a longer phrase, whose positions are its parts' ("kerja
       * sama bilateral") */
      j = tl_query_find(pq, i + 1, t->start, TL_TERM_JOINED | TL_TERM_COMPOUND, TL_TERM_STEM);
      if (j && in_quotes && !whole_quote(query, len, t->start, j->end))
        j = NULL;
      if (!j && !in_quotes)
        j = tl_query_find(pq, i + 1, t->start, TL_TERM_JOINED | TL_TERM_STEM,
                          TL_TERM_COMPOUND | TL_TERM_NUMBER | TL_TERM_ACRONYM);
      if (j) {
        failed |= tl_buf_append(&o, j->term, j->len);
        copied = j->end;
      } else if (content > 0 && !in_quotes && query[t->end] != ':' && query[t->end] != '-' &&
                 (t->start == 0 || !strchr("+-:", query[t->start - 1])) &&
                 (t->start < 4 || memcmp(query + t->start - 4, "NOT ", 4) != 0) &&
                 tl_analyzer_is_stopword(s->query_stop, t->term, t->len) &&
                 !tl_query_find(pq, i + 1, t->start, TL_TERM_JOINED, 0)) {
        act[i] = ACT_DROPPED; /* a stopword */
      } else if (wlen == 3 && memcmp(word, "XOR", 3) == 0) {
        failed |= tl_buf_append(&o, "xor", 3);
      } else if (t->operator_) {
        if (pass == 0)
          act[i] = ACT_OPERATOR;
        else if (act[i] == ACT_OPERATOR)
          failed |= tl_buf_append(&o, word, wlen);
      } else if (query[t->end] == ':' || ((t->flags & TL_TERM_ACRONYM) &&
                                          !(known_word(s, t->term, t->len) &&
                                            !tl_acronyms_has(s->acronyms, t->term, t->len)))) {
        /* a field's name as typed; an acronym in capitals, folded as the
         * analysis folds it (CAFÉ as CAFE: the parser would keep the
         * accent), which keeps the parser from stemming it; a word in
         * capitals that is no acronym but a root (BANJIR) is searched
         * as the word */
        if (query[t->end] == ':') {
          failed |= tl_buf_append(&o, word, wlen);
        } else {
          size_t m;
          for (m = 0; m < t->len; m++) {
            char c = t->term[m];
            if (c >= 'a' && c <= 'z')
              c = (char)(c - 'a' + 'A');
            failed |= tl_buf_append(&o, &c, 1);
          }
        }
      } else if (name_kept_whole(s, t)) {
        /* a capital keeps Xapian's parser from stemming the name */
        char first = t->term[0];
        if (first >= 'a' && first <= 'z')
          first = (char)(first - 'a' + 'A');
        failed |= tl_buf_append(&o, &first, 1);
        failed |= tl_buf_append(&o, t->term + 1, t->len - 1);
      } else {
        failed |= tl_buf_append(&o, t->term, t->len);
      }
      if (!act[i])
        act[i] = ACT_WORD;
    }
    failed |= tl_buf_append(&o, query + copied, len - copied);
    /* operators left without an operand read as dropped, until none is */
    for (changed = pass == 0; changed;) {
      changed = 0;
      for (i = n; i-- > 0;)
        if (act[i] == ACT_OPERATOR &&
            !((has_operand(act, i, n, -1) || (is_not(pq, i) && nothing_before(act, i))) &&
              has_operand(act, i, n, 1))) {
          act[i] = ACT_DROPPED;
          changed = 1;
        }
    }
  }
  if (failed || !(*out = tl_buf_take(&o, NULL)) || !(*out = date_days(*out))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  blank_ranges(*out);
  if (strchr(*out, '-')) {
    char *bracketed = excluded_fields(*out, 1);
    if (bracketed) {
      free(*out);
      *out = bracketed;
    }
  }
  if (strstr(*out, "NEAR") || strstr(*out, "ADJ")) {
    char *joined = near_phrases(*out), *grouped;
    if (joined) {
      free(*out);
      *out = joined;
    }
    if ((grouped = near_chains(*out))) {
      free(*out);
      *out = grouped;
    }
  }
done:
  free(act);
  tl_buf_free(&o);
  return rc;
}

tl_status tl_search_rewrite(tl_searcher *s, const char *query, char **out, tl_error *err) {
  tl_query *pq;
  tl_status rc;
  *out = NULL;
  if ((rc = tl_query_parse(s->analyzer, s->questions, query, &pq, err)) != TL_OK)
    return rc;
  rc = rewrite(s, pq, out, err);
  tl_query_free(pq);
  return rc;
}

static const char *stem_cb(void *ctx, const char *word, size_t len, size_t *stem_len) {
  tl_searcher *s = ctx;
  return tl_analyzer_stem(s->analyzer, word, len, stem_len);
}

static int stop_cb(void *ctx, const char *word, size_t len) {
  tl_searcher *s = ctx;
  return tl_analyzer_is_stopword(s->query_stop, word, len);
}

/* Snippet making: which words of the passage match a query term. */
typedef struct match_ctx {
  const tl_strset *terms; /* the query's terms */
  tl_buf key;             /* a prefixed term being looked up */
  tl_range *words;        /* every word */
  int *hit;               /* whether words[i] matches */
  size_t n, words_cap, hit_cap;
  size_t hit_until; /* words ending by here are part of a matching joined form */
  int failed;
} match_ctx;

/* Whether prefix followed by the len bytes at t is a query term (-1: out
 * of memory). */
static int term_in(match_ctx *c, const char *prefix, const char *t, size_t len) {
  if (!*prefix)
    return tl_strset_has(c->terms, t, len, NULL);
  tl_buf_reset(&c->key);
  if (tl_buf_append_str(&c->key, prefix) != TL_OK || tl_buf_append(&c->key, t, len) != TL_OK)
    return -1;
  return tl_strset_has(c->terms, c->key.data, c->key.len, NULL);
}

static int on_snippet_term(void *vctx, int flags, const char *term, size_t len, size_t start,
                           size_t end, unsigned pos) {
  match_ctx *c = vctx;
  int hit;
  (void)pos;
  if ((hit = term_in(c, (flags & TL_TERM_STEM) ? TL_PREFIX_STEM : "", term, len)) < 0)
    return c->failed = 1;
  if (c->n > 0 && c->words[c->n - 1].start == start && c->words[c->n - 1].end == end) {
    c->hit[c->n - 1] |= hit;
    return 0;
  }
  if (flags & TL_TERM_JOINED) {
    /* a joined form spans its parts: mark them all, also those to come */
    size_t i;
    if (hit) {
      for (i = c->n; i-- > 0 && c->words[i].start >= start;)
        c->hit[i] = 1;
      if (end > c->hit_until)
        c->hit_until = end;
    }
    return 0;
  }
  if (tl_array_reserve((void **)&c->words, &c->words_cap, c->n + 1, sizeof *c->words) != TL_OK ||
      tl_array_reserve((void **)&c->hit, &c->hit_cap, c->n + 1, sizeof *c->hit) != TL_OK)
    return c->failed = 1;
  c->words[c->n].start = start;
  c->words[c->n].end = end;
  c->hit[c->n] = hit || end <= c->hit_until;
  c->n++;
  return 0;
}

static int make_snippet(tl_searcher *s, const tl_strset *terms, tl_result *r, tl_error *err) {
  match_ctx c;
  size_t from = 0, to, i, best = 0, best_hits = 0, nh = 0, lo, hi, k, len = strlen(r->text);
  tl_buf b = TL_BUF_INIT;
  int rc, failed = 0, open = 0;
  memset(&c, 0, sizeof c);
  c.terms = terms;
  rc = tl_analyzer_run(s->analyzer, r->text, len, 1, on_snippet_term, &c, NULL, err);
  tl_buf_free(&c.key);
  if (rc != TL_OK || c.failed) {
    free(c.words);
    free(c.hit);
    return c.failed ? (int)tl_error_set(err, TL_ERR_NOMEM, "out of memory") : rc;
  }
  if (len <= SNIPPET_WHOLE || c.n <= SNIPPET_WORDS) {
    lo = 0;
    hi = c.n;
    from = 0;
    to = len;
  } else {
    /* the window of SNIPPET_WORDS words with the most matches */
    size_t cur = 0;
    for (i = 0; i < c.n; i++) {
      cur += (size_t)c.hit[i];
      if (i >= SNIPPET_WORDS)
        cur -= (size_t)c.hit[i - SNIPPET_WORDS];
      if (i + 1 >= SNIPPET_WORDS && cur > best_hits) {
        best_hits = cur;
        best = i + 1 - SNIPPET_WORDS;
      }
    }
    /* start a few words before the first match of the window */
    for (k = best; k < best + SNIPPET_WORDS && !c.hit[k]; k++)
      ;
    lo = k < best + SNIPPET_WORDS && k >= 4 ? k - 4 : best;
    if (lo + SNIPPET_WORDS > c.n)
      lo = c.n - SNIPPET_WORDS;
    hi = lo + SNIPPET_WORDS;
    from = lo == 0 ? 0 : c.words[lo].start;
    to = hi >= c.n ? len : c.words[hi - 1].end;
    if (hi < c.n) {
      /* keep the punctuation that ends the last word's sentence */
      while (to < len && strchr(".,;:!?)\"", r->text[to]))
        to++;
    }
  }
  if (to - from > SNIPPET_MAX_BYTES) {
    /* words too long for a window (a run of 70,000 letters): the bytes
     * around the first match, cut at characters */
    size_t first = from;
    for (k = lo; k < hi; k++)
      if (c.hit[k]) {
        first = c.words[k].start;
        break;
      }
    if (first > from + SNIPPET_MAX_BYTES / 4)
      from = first - SNIPPET_MAX_BYTES / 4;
    while (from > 0 && ((unsigned char)r->text[from] & 0xC0) == 0x80)
      from--;
    if (to - from > SNIPPET_MAX_BYTES) {
      to = from + SNIPPET_MAX_BYTES;
      while (to > from && ((unsigned char)r->text[to] & 0xC0) == 0x80)
        to--;
    }
  }
  if (from > 0)
    failed |= tl_buf_append(&b, "\xE2\x80\xA6", 3);
  r->highlights = calloc(hi - lo + 1, sizeof *r->highlights);
  if (!r->highlights)
    failed = 1;
  /* Copy the window, runs of blank space (bullet lines) read as one space;
   * the matching words' ranges are taken as they are copied. */
  k = lo;
  for (i = from; i < to && r->highlights; i++) {
    int space = r->text[i] == '\n' || r->text[i] == ' ' || r->text[i] == '\t' || r->text[i] == '\r';
    while (k < hi && c.words[k].end <= i)
      k++;
    if (k < hi && c.hit[k] && c.words[k].start == i) {
      r->highlights[nh].start = b.len;
      open = 1;
    }
    if (space) {
      if (b.len > 0 && b.data[b.len - 1] != ' ')
        failed |= tl_buf_append(&b, " ", 1);
    } else {
      failed |= tl_buf_append(&b, r->text + i, 1);
    }
    if (open && k < hi && c.words[k].end == i + 1) {
      r->highlights[nh++].end = b.len;
      open = 0;
    }
  }
  if (open) /* a match cut at the window's end */
    r->highlights[nh++].end = b.len;
  r->nhighlights = nh;
  if (to < len)
    failed |= tl_buf_append(&b, "\xE2\x80\xA6", 3);
  free(c.words);
  free(c.hit);
  if (failed || !(r->snippet = tl_buf_take(&b, NULL))) {
    tl_buf_free(&b);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* The set of the hits' query terms, for make_snippet, in *out. */
static tl_status terms_set(const tl_hits *hits, tl_strset **out, tl_error *err) {
  size_t i;
  if (tl_strset_create(out) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < hits->nterms; i++)
    if (tl_strset_add(*out, hits->terms[i], strlen(hits->terms[i]), NULL, NULL) != TL_OK)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return TL_OK;
}

/* The result's docid (tl_result.docid; malloc'd, NULL when out of memory):
 * an article of several paragraphs tells its passages apart by number. */
static char *make_docid(const tl_result *r, const tl_passage_record *rec) {
  size_t n = strlen(r->article_id) + 24;
  char *docid = malloc(n);
  if (docid && rec->paragraphs <= 1)
    snprintf(docid, n, "%s", r->article_id);
  else if (docid)
    snprintf(docid, n, "%s#%u", r->article_id, r->passage);
  return docid;
}

static int df_cb(void *ctx, const char *term, size_t len, unsigned long *df, tl_error *err) {
  tl_searcher *s = ctx;
  return tl_store_term_count(s->store, term, len, df, err);
}

/* Reranks the first nd of the hits (records parsed into recs): order[]
 * receives the hits' new order (all of them), score[] each hit's final
 * score, features (nd rows) the features. Hits below nd keep their order,
 * their BM25 scores shifted to continue below the reranked ones
 * (*shift: what was taken off). */
static int rerank_hits(tl_searcher *s, const tl_query *query, const tl_hits *hits,
                       const tl_passage_record *recs, size_t nd, size_t *order, double *score,
                       double *features, double *shift, tl_error *err) {
  tl_rerank_collection coll;
  tl_rerank_candidate *c;
  double lowest;
  size_t i;
  int rc;
  *shift = 0;
  if (!(c = calloc(nd + 1, sizeof *c)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  coll.passages = tl_store_doc_count(s->store);
  coll.avg_length = tl_store_avg_length(s->store);
  if (coll.avg_length <= 0)
    coll.avg_length = 1;
  coll.df = df_cb;
  coll.ctx = s;
  for (i = 0; i < nd; i++) {
    c[i].text = recs[i].text;
    c[i].len = strlen(c[i].text);
    c[i].score = hits->items[i].score;
    c[i].rank = (unsigned)i + 1;
    c[i].length = (double)hits->items[i].length;
    c[i].heading = recs[i].heading;
    c[i].heading_len = recs[i].heading_len;
    if (hits->items[i].term_pos) {
      c[i].pos_terms = (const char *const *)hits->pos_terms;
      c[i].npos_terms = hits->npos_terms;
      c[i].term_pos = hits->items[i].term_pos;
      c[i].term_at = hits->items[i].term_at;
    }
  }
  /* a searcher that reranks more than once gets a second thread for it,
   * where a second core is online (tl_reranker_start_helper; without it,
   * the ranking is the same) */
  if (!s->one_thread && s->reranked < 2 && ++s->reranked == 2 && sysconf(_SC_NPROCESSORS_ONLN) > 1)
    (void)tl_reranker_start_helper(s->reranker, &s->helper_ao, NULL);
  if ((rc = load_trees(s, err)) == TL_OK)
    rc = tl_rerank(s->reranker, query, &coll, c, nd, features, score, order, err);
  free(c);
  if (rc != TL_OK)
    return rc;
  lowest = score[order[nd - 1]];
  if (nd < hits->count)
    *shift = hits->items[nd].score - lowest;
  for (i = nd; i < hits->count; i++) {
    order[i] = i;
    score[i] = hits->items[i].score - *shift;
  }
  return TL_OK;
}

/* The explain string of a reranked passage: each feature's value and
 * contribution, then the first stage's parts. */
static char *rerank_explain(const tl_reranker *rr, const double *x, const char *first_stage) {
  const double *w = tl_reranker_weights(rr);
  const tl_trees *t = tl_reranker_trees(rr);
  tl_buf b = TL_BUF_INIT;
  size_t j;
  int failed = 0;
  if (t) /* a tree model: its inputs, the linear contributions scaled by its W */
    failed |= tl_buf_printf(&b, "trees(%.6f) linear x %.6g:", tl_trees_predict(t, x, 0),
                            tl_trees_linear_weight(t));
  for (j = 0; j < TL_RERANK_FEATURES; j++) {
    if (w[j] == 0)
      continue;
    failed |= tl_buf_printf(&b, "%s%s(%.6g)=%.6f", b.len ? " " : "", tl_rerank_feature_name(j),
                            x[j], w[j] * x[j]);
  }
  failed |= tl_buf_append_str(&b, " | first stage: ");
  failed |= tl_buf_append_str(&b, first_stage ? first_stage : "");
  if (failed) {
    tl_buf_free(&b);
    return NULL;
  }
  return tl_buf_take(&b, NULL);
}

static void free_ranking(tl_hits *hits, tl_passage_record *recs, size_t *order, double *score,
                         double *features) {
  size_t i;
  if (recs && hits)
    for (i = 0; i < hits->count; i++)
      tl_record_release(&recs[i]);
  free(recs);
  free(order);
  free(score);
  free(features);
  tl_hits_free(hits);
}

/* Parses the hits' records and, with reranking on, reranks the first
 * *nd = min(depth, hits) of them (see rerank_hits). */
static int rank_hits(tl_searcher *s, const tl_query *query, unsigned depth, const tl_hits *hits,
                     tl_passage_record **recs, size_t **order, double **score, double **features,
                     size_t *nd, double *shift, tl_error *err) {
  size_t i;
  *nd = 0;
  *shift = 0;
  if (!(*recs = calloc(hits->count + 1, sizeof **recs)) ||
      !(*order = calloc(hits->count + 1, sizeof **order)) ||
      !(*score = calloc(hits->count + 1, sizeof **score)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < hits->count; i++) {
    if (tl_record_decode(hits->items[i].data, hits->items[i].data_len, &(*recs)[i], err) != TL_OK)
      return tl_error_set(err, TL_ERR_FORMAT, "passage %u: unreadable record",
                          hits->items[i].docid);
    (*order)[i] = i;
    (*score)[i] = hits->items[i].score;
  }
  if (depth == 0 || hits->count == 0)
    return TL_OK;
  *nd = hits->count < depth ? hits->count : depth;
  if (!(*features = calloc(*nd * TL_RERANK_FEATURES, sizeof **features)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return rerank_hits(s, query, hits, *recs, *nd, *order, *score, *features, shift, err);
}

static int facet_cmp(const void *a, const void *b) {
  const tl_facet_value *x = a, *y = b;
  if (x->articles != y->articles)
    return x->articles > y->articles ? -1 : 1;
  return strcmp(x->value, y->value);
}

/* The counts of every match and the facets, as the match counted them:
 * the facets move from hits to res, sorted. */
static void take_counts(tl_searcher *s, tl_hits *hits, tl_results *res) {
  size_t i;
  res->counted = 1;
  res->passages_matched = hits->passages_matched;
  res->passages_estimated = hits->passages_estimated;
  res->articles_matched = hits->articles_matched;
  res->facets = hits->facets;
  res->nfacets = hits->nfacets;
  hits->facets = NULL;
  hits->nfacets = 0;
  for (i = 0; i < res->nfacets; i++) {
    res->facets[i].field = s->facets[i];
    if (res->facets[i].nvalues > 1)
      qsort(res->facets[i].values, res->facets[i].nvalues, sizeof *res->facets[i].values,
            facet_cmp);
  }
}

char *tl_results_suggestion_json(const tl_results *r, const char *qid) {
  json_object *v, *q = NULL;
  const char *js, *jq = NULL;
  char *line = NULL;
  size_t n;
  if (!r->suggestion || !(v = json_object_new_string(r->suggestion)))
    return NULL;
  if (qid && (q = json_object_new_string(qid)))
    jq = json_object_to_json_string_ext(q, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  js = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  n = js && (!qid || jq) ? strlen(js) + (jq ? strlen(jq) : 0) + 64 : 0;
  if (n && (line = malloc(n)))
    snprintf(line, n, "{%s%s%s\"suggestion\": %s%s}", jq ? "\"qid\": " : "", jq ? jq : "",
             jq ? ", " : "", js, r->corrected ? ", \"corrected\": true" : "");
  json_object_put(v);
  json_object_put(q);
  return line;
}

char *tl_results_facets_json(const tl_results *r, const char *qid) {
  json_object *j = json_object_new_object(), *all = json_object_new_object();
  char *line = NULL;
  size_t i, k;
  if (j && qid)
    json_object_object_add(j, "qid", json_object_new_string(qid));
  if (!j || !all || json_object_object_add(j, "facets", all) != 0) {
    json_object_put(j);
    json_object_put(all);
    return NULL;
  }
  for (i = 0; i < r->nfacets; i++) {
    json_object *f = json_object_new_object();
    if (!f || json_object_object_add(all, r->facets[i].field, f) != 0) {
      json_object_put(f);
      json_object_put(j);
      return NULL;
    }
    for (k = 0; k < r->facets[i].nvalues; k++)
      json_object_object_add(f, r->facets[i].values[k].value,
                             json_object_new_int64((int64_t)r->facets[i].values[k].articles));
  }
  line = strdup(
      json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(j);
  return line;
}

/* One search of the query as given (tl_search without the spelling
 * suggestion), its words also searched as the nfixes corrections at fixes
 * (tl_spelling_suggest). */
static tl_status search_once(tl_searcher *s, const char *query, const tl_expansion *fixes,
                             size_t nfixes, unsigned offset, unsigned count, int explain,
                             tl_results **out, tl_error *err) {
  tl_search_options so;
  tl_query *pq = NULL;
  tl_hits *hits = NULL;
  tl_results *res = NULL;
  tl_strset *terms = NULL;
  tl_passage_record *recs = NULL;
  size_t *order = NULL, nd = 0, from, i;
  double *score = NULL, *features = NULL, shift = 0;
  char *q = NULL, *expanded = NULL, **pterms = NULL;
  tl_expansion *expand = NULL;
  size_t nexpand = 0;
  tl_status rc;
  int attempt;
  unsigned depth = 0;
  *out = NULL;
  /* the query is analyzed once: its rewrite and the reranker read it */
  if ((rc = tl_query_parse(s->analyzer, s->questions, query, &pq, err)) != TL_OK)
    return rc;
  if ((rc = rewrite(s, pq, &q, err)) != TL_OK || !q) {
    tl_query_free(pq);
    return rc != TL_OK ? rc : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  {
    size_t k;
    for (k = 0; q[k] && strchr(" \t\r\n", q[k]); k++)
      ;
    if (!q[k]) {
      free(q);
      tl_query_free(pq);
      return tl_error_set(err, TL_ERR_USAGE, "empty query");
    }
  }
  memset(&so, 0, sizeof so);
  so.stem = stem_cb;
  so.stop = stop_cb;
  so.ctx = s;
  so.offset = offset;
  so.count = count;
  /* only questions are reranked (see tl_rerank) */
  depth = pq->question && s->sort == TL_SORT_RELEVANCE ? s->rank.rerank_depth : 0;
  if (depth > 0) {
    /* the reranked window always starts at the first passage */
    so.offset = 0;
    so.count = offset + count > depth ? offset + count : depth;
  }
  so.explain = explain;
  so.rank = s->rank;
  if (depth > 0) { /* the reranker reads the passages' own scores, and
                    * their terms' positions */
    so.rank.article_weight = 0;
    so.rank.context_weight = 0;
    so.term_positions = depth;
    /* the reranker's candidates: the best passages of a first block of
     * as many documents as it reranks (a block of 30 gave the question
     * collections .001 more nDCG@10 for a millisecond more at p99:
     * bench/RESULTS-index.md) */
    so.block = depth;
    /* a question of LEAN_WORDS words or more finds its documents by its
     * stems alone: its passages are weighed as before (so are the
     * reranker's features), and reading half the posting lists takes a
     * quarter off the slowest questions (bench/RESULTS-index.md) */
    so.lean_words = LEAN_WORDS;
    if ((rc = tl_rerank_position_terms(pq, &pterms, &so.nposition_terms, err)) != TL_OK) {
      free(q);
      tl_query_free(pq);
      return rc;
    }
    so.position_terms = (const char *const *)pterms;
  }
  so.filters = (const char *const *)s->fterms;
  so.nfilters = s->nfterms;
  so.has_date = s->has_date;
  so.date_from = s->date_from;
  so.date_to = s->date_to;
  so.sort = s->sort;
  so.per_article = s->per_article;
  if (s->acronyms &&
      (rc = tl_acronyms_expand(s->acronyms, s->analyzer, pq, &expand, &nexpand, err)) != TL_OK) {
    free(q);
    free(pterms);
    tl_query_free(pq);
    return rc;
  }
  if (nfixes) { /* the corrections after the acronyms, but for stopwords
                 * (dand -> dan), which are not searched as typed either */
    size_t k;
    tl_expansion *all = realloc(expand, (nexpand + nfixes) * sizeof *all);
    if (!all) {
      free(q);
      free(pterms);
      free(expand);
      tl_query_free(pq);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    expand = all;
    for (k = 0; k < nfixes; k++)
      if (!tl_analyzer_is_stopword(s->query_stop, fixes[k].to, strlen(fixes[k].to)))
        expand[nexpand++] = fixes[k];
  }
  so.expand = expand;
  so.nexpand = nexpand;
  so.expand_weight = EXPAND_WEIGHT;
  so.count_matches = s->count_matches;
  so.facets = (const char *const *)s->facets;
  so.nfacets = s->nfacets;
  for (attempt = 0;; attempt++) {
    rc = tl_store_search(s->store, q, &so, &hits, err);
    if (rc == TL_OK)
      rc = rank_hits(s, pq, depth, hits, &recs, &order, &score, &features, &nd, &shift, err);
    /* the counts, made beside the ranking and reranking (tl_store_hits_counts) */
    if (rc == TL_OK && s->count_matches)
      rc = tl_store_hits_counts(s->store, hits, err);
    /* a writer committing under the reader: reopen, even after a reopen
     * that failed the same way, and retry (the reranker reads term
     * statistics too, so the search is run again with it); from the
     * second retry on after a pause, doubling from 1 ms to 64 ms, so that
     * a search slower than the writer's commits (a loaded machine) still
     * gets a revision (0.2 s of pauses in all) */
    if (rc != TL_ERR_MODIFIED || attempt >= 9)
      break;
    if (attempt > 0) {
      struct timespec pause = {0, (1L << (attempt - 1 < 6 ? attempt - 1 : 6)) * 1000000L};
      nanosleep(&pause, NULL);
    }
    free_ranking(hits, recs, order, score, features);
    hits = NULL;
    recs = NULL;
    order = NULL;
    score = NULL;
    features = NULL;
    tl_store_reopen(s->store, err);
  }
  free(q);
  free(pterms);
  if (rc == TL_OK)
    rc = tl_expansions_shown(expand, nexpand, &expanded, err);
  free(expand);
  if (rc == TL_OK && (!recs || !order || !score)) {
    tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    rc = TL_ERR_NOMEM;
  }
  if (rc != TL_OK)
    goto fail;
  if (!(res = calloc(1, sizeof *res)) ||
      !(res->items = calloc(hits->count + 1, sizeof *res->items)) ||
      !(res->parsed = strdup(hits->query))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto fail;
  }
  if (!s->no_snippets && (rc = terms_set(hits, &terms, err)) != TL_OK)
    goto fail;
  res->estimated = hits->estimated;
  res->expanded = expanded;
  expanded = NULL;
  if (s->count_matches)
    take_counts(s, hits, res);
  from = depth > 0 ? offset : 0;
  res->features_ = features;
  features = NULL;
  for (i = from; i < hits->count && i < (size_t)from + count; i++) {
    tl_result *r = &res->items[res->count];
    size_t h = order[i];
    tl_passage_record *o = &recs[h];
    const char *ex = hits->items[h].explain;
    r->rank = offset + (unsigned)(i - from) + 1;
    r->first_rank = (depth > 0 ? 0 : offset) + (unsigned)h + 1;
    r->score = score[h];
    r->features = h < nd ? res->features_ + h * TL_RERANK_FEATURES : NULL;
    r->article_id = o->article_id;
    r->title = o->title;
    r->passage = (unsigned)o->passage;
    r->heading = o->heading;
    r->text = o->text;
    r->date = o->date;
    r->fields = o->fields_json;
    r->url = o->url;
    r->source = o->source;
    r->path = o->path;
    r->start = (size_t)o->start;
    /* rank_hits decoded every record: its strings are never NULL */
    r->end = r->start + strlen(r->text); /* NOLINT(clang-analyzer-core.NonNullParamChecker) */
    r->docid = make_docid(r, o);
    if (!explain || !ex)
      r->explain = strdup("");
    else if (h < nd)
      r->explain = rerank_explain(s->reranker, r->features, ex);
    else if (depth > 0) {
      char tail[96];
      size_t n = strlen(ex), t;
      char *e;
      snprintf(tail, sizeof tail, " (below the rerank depth)=%.6f", -shift);
      t = strlen(tail);
      if ((e = malloc(n + t + 1))) {
        memcpy(e, ex, n);
        memcpy(e + n, tail, t + 1);
      }
      r->explain = e;
    } else
      r->explain = strdup(ex);
    r->owner_ = o->owner; /* the record's JSON object owns the strings above */
    o->owner = NULL;
    res->count++;
    if (!r->explain || !r->docid) {
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto fail;
    }
    if (s->no_snippets) {
      if (!(r->snippet = strdup(""))) {
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto fail;
      }
    } else if ((rc = make_snippet(s, terms, r, err)) != TL_OK)
      goto fail;
  }
  rc = TL_OK;
  *out = res;
  res = NULL;
fail:
  free(expanded);
  tl_strset_free(terms);
  free_ranking(hits, recs, order, score, features);
  tl_results_free(res);
  tl_query_free(pq);
  return rc;
}

/* The text of a query whose words are all excluded ("-banjir", "yang
 * -\"tanah longsor\"", "(-banjir)": stopwords, which the rewrite drops,
 * and operators aside) with each '-' that leads a word or phrase written
 * as "NOT ": what it asks for, every passage without them (Xapian's parser
 * reads a lone "-word" as the word itself). NULL for any other query, or
 * when out of memory (the query is then searched as typed). */
static char *excluded_alone(const tl_searcher *s, const tl_query *pq) {
  tl_buf o = TL_BUF_INIT;
  size_t i, negated = 0;
  int in_quotes = 0, failed = 0;
  const char *p;
  for (i = 0; i < pq->nterms; i++) {
    const tl_query_term *t = &pq->terms[i];
    if (t->negated)
      negated++;
    else if (!t->operator_ && !(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) &&
             !tl_analyzer_is_stopword(s->query_stop, t->term, t->len))
      return NULL;
  }
  if (!negated || !strchr(pq->text, '-'))
    return NULL;
  for (p = pq->text; *p; p++) {
    if (*p == '-' && !in_quotes && (p == pq->text || strchr(" \t\r\n(", p[-1])))
      failed |= tl_buf_append_str(&o, "NOT ");
    else
      failed |= tl_buf_append(&o, p, 1);
    if (*p == '"')
      in_quotes = !in_quotes;
  }
  if (failed) {
    tl_buf_free(&o);
    return NULL;
  }
  return tl_buf_take(&o, NULL);
}

/* Whether the token at p, led by '-', is a negative number as news text
 * writes one: a decimal or a percentage (-0,25%, -1.5), not a whole number
 * (-2024 excludes the year). */
static int negative_number(const char *p) {
  size_t n = strcspn(p + 1, " \t\r\n()\""), k;
  int digits = 0, point = 0;
  if (n == 0 || !isdigit((unsigned char)p[1]))
    return 0;
  for (k = 1; k <= n; k++) {
    if (isdigit((unsigned char)p[k]))
      digits++;
    else if ((p[k] == ',' || p[k] == '.') && k < n && isdigit((unsigned char)p[k + 1]))
      point = 1;
    else if (!(p[k] == '%' && k == n))
      return 0;
  }
  return digits > 0 && (point || p[n] == '%');
}

static int found_term(void *ctx, const char *term, size_t len, unsigned long passages) {
  (void)ctx;
  (void)term;
  (void)len;
  (void)passages;
  return TL_DONE; /* one is enough */
}

/* Whether the index holds the keyword field name (len bytes): a term of
 * TL_PREFIX_FIELD NAME ":" (the name in capitals). */
static int index_field(tl_searcher *s, const char *name, size_t len) {
  char prefix[64];
  size_t k;
  tl_error err;
  if (len + 3 > sizeof prefix)
    return 0;
  prefix[0] = TL_PREFIX_FIELD[0];
  for (k = 0; k < len; k++)
    prefix[k + 1] = (char)toupper((unsigned char)name[k]);
  memcpy(prefix + len + 1, ":", 2);
  return tl_store_terms_each(s->store, prefix, found_term, NULL, &err) == TL_DONE;
}

/* The length of a token at p that names a field without a value: title:,
 * date: or a keyword field of the index, alone ("title:", "-date:",
 * "title:-") or with an empty phrase ("title:\"\"", "topic:\"", "title:\" \""),
 * or 0. */
static size_t empty_field(tl_searcher *s, const char *p) {
  size_t n = (*p == '-' || *p == '+') ? 1 : 0, m, e;
  for (m = 0; isalnum((unsigned char)p[n + m]) || p[n + m] == '_'; m++)
    ;
  if (m == 0 || p[n + m] != ':')
    return 0;
  e = n + m + 1;
  e += strspn(p + e, "-+");
  if (p[e] == '"') { /* an empty phrase, closed or not */
    size_t q = e + 1 + strspn(p + e + 1, " \t\r\n");
    if (p[q] && p[q] != '"')
      return 0;
    e = p[q] ? q + 1 : q;
  }
  if (p[e] && !strchr(" \t\r\n)", p[e]))
    return 0;
  if (!((m == strlen(TL_FIELD_TITLE) && strncmp(p + n, TL_FIELD_TITLE, m) == 0) ||
        (m == strlen(TL_FIELD_DATE) && strncmp(p + n, TL_FIELD_DATE, m) == 0) ||
        index_field(s, p + n, m)))
    return 0;
  return e;
}

/* q with what Xapian's parser would stumble on, outside quotes, read as a
 * person means it: a ')' without its '(', a dash standing alone ("hujan --
 * banjir") and a field named without a value (empty_field) as blanks, a
 * '-' joining a word to a bracket or a quote as a blank, a clitic joined by
 * a hyphen ("KPK-nya", "(BPS)-nya") left out, and a quote left open closed
 * at the end. A new string, or NULL when nothing changes or out of memory. */
static char *tidied(tl_searcher *s, const char *q) {
  size_t n = strlen(q), i, depth = 0, quotes = 0, field;
  char *t = malloc(n + 2);
  if (!t)
    return NULL;
  memcpy(t, q, n + 1);
  for (i = 0; i < n; i++) {
    if (t[i] == '"')
      quotes++;
    if (quotes % 2)
      continue;
    if (t[i] == '(') {
      depth++;
    } else if (t[i] == ')') {
      if (depth)
        depth--;
      else
        t[i] = ' ';
    } else if ((i == 0 || strchr(" \t\r\n(", t[i - 1])) && (field = empty_field(s, t + i))) {
      memset(t + i, ' ', field); /* title: alone, -date:, title:-, title:"" */
    } else if (t[i] == '-' && (i == 0 || strchr(" \t\r\n(", t[i - 1])) && negative_number(t + i)) {
      t[i] = ' '; /* -0,25% in a pasted sentence: the number, not excluded */
    } else if ((t[i] == '-' || t[i] == '+') && (i == 0 || strchr(" \t\r\n(", t[i - 1]))) {
      size_t k = i;
      while (t[k] == '-' || t[k] == '+')
        k++;
      if (!t[k] || strchr(" \t\r\n)", t[k]))
        memset(t + i, ' ', k - i);
    } else if (t[i] == '-' && i > 0 && !strchr(" \t\r\n(", t[i - 1])) {
      size_t w = strcspn(t + i + 1, " \t\r\n()\"");
      int joined = t[i - 1] == ')' || t[i - 1] == '"';
      if (tl_idstem_is_clitic(t + i + 1, w)) {
        memset(t + i, ' ', w + 1); /* KPK-nya, (BPS)-nya: the clitic adds nothing */
        joined = 0;
      }
      if (joined && (isalnum((unsigned char)t[i + 1]) || (unsigned char)t[i + 1] >= 0x80))
        t[i] = ' ';
    }
  }
  if (quotes % 2)
    memcpy(t + n, "\"", 2);
  if (strcmp(t, q) == 0) {
    free(t);
    return NULL;
  }
  return t;
}

/* The copies of one word a query of plain words keeps (once_each). */
#define QUERY_WORD_COPIES 3

/* q, a query of plain words (no quote, bracket, field, operator, or word
 * led by '-' or '+'), with each word at most QUERY_WORD_COPIES times: a
 * question may repeat a word it means (FacQA's questions do, and rank
 * better for it), but a pasted run of one word or acronym made Xapian's
 * matcher work for minutes (200 x "BPS", each with the long form of its
 * acronym as a phrase). A new string, or NULL when nothing changes, the
 * query is not plain, or out of memory. */
static char *once_each(const char *q) {
  size_t n = strlen(q), len, k, i, m = 0;
  const char *p = q;
  char *t;
  int dup = 0;
  if (strpbrk(q, "\"():"))
    return NULL;
  if (!(t = malloc(n + 1)))
    return NULL;
  while (*p) {
    p += strspn(p, " \t\r\n");
    len = strcspn(p, " \t\r\n");
    if (!len)
      break;
    if (*p == '-' || *p == '+' || tl_query_is_operator(p, len) ||
        (len == 3 && !memcmp(p, "XOR", 3))) {
      free(t);
      return NULL;
    }
    for (i = 0, k = 0; i < m;) { /* the words kept so far, space-separated */
      size_t w = strcspn(t + i, " ");
      k += w == len && memcmp(t + i, p, len) == 0;
      i += w + 1;
    }
    if (k >= QUERY_WORD_COPIES) {
      dup = 1;
    } else {
      if (m)
        t[m++] = ' ';
      memcpy(t + m, p, len);
      m += len;
      t[m] = '\0';
    }
    p += len;
  }
  t[m] = '\0';
  if (!dup) {
    free(t);
    return NULL;
  }
  return t;
}

tl_status tl_search(tl_searcher *s, const char *query, unsigned offset, unsigned count, int explain,
                    tl_results **out, tl_error *err) {
  tl_query *pq = NULL;
  char *fix = NULL, *not_alone, *tidy = tidied(s, query), *moved, *once;
  tl_expansion *fixes = NULL;
  size_t nfixes = 0;
  tl_status rc;
  *out = NULL;
  if (tidy)
    query = tidy;
  if ((once = once_each(query))) {
    free(tidy);
    query = tidy = once;
  }
  if ((moved = excluded_fields(query, 0))) /* title:-banjir as -title:banjir */
    query = moved;
  /* the spelling suggestion: words the index does not hold, corrected */
  if ((rc = tl_query_parse(s->analyzer, s->questions, query, &pq, err)) != TL_OK) {
    free(moved);
    free(tidy);
    return rc;
  }
  /* a suggestion that cannot be made (a remote shard that does not answer)
   * is left out: the search itself says what failed */
  if (tl_spelling_suggest(s->store, s->analyzer, s->acronyms, pq, &fix,
                          s->expand_spelling ? &fixes : NULL, &nfixes, err) != TL_OK)
    tl_error_clear(err);
  not_alone = excluded_alone(s, pq);
  tl_query_free(pq);
  rc = search_once(s,
                   fix && s->correct ? fix
                   : not_alone       ? not_alone
                                     : query,
                   fixes, nfixes, offset, count, explain, out, err);
  free(fixes);
  free(not_alone);
  free(moved);
  free(tidy);
  if (rc == TL_OK && *out) {
    (*out)->corrected = fix && s->correct;
    (*out)->suggestion = fix;
    fix = NULL;
  }
  free(fix);
  return rc;
}

char *tl_result_json(const tl_result *r, const char *qid, int explain) {
  json_object *j = json_object_new_object(), *hl = json_object_new_array();
  char *line;
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
  if (r->date && *r->date)
    json_object_object_add(j, "date", json_object_new_string(r->date));
  if (r->fields && *r->fields) {
    json_object *f = json_tokener_parse(r->fields);
    if (f)
      json_object_object_add(j, "fields", f);
  }
  if (explain)
    json_object_object_add(j, "explain", json_object_new_string(r->explain));
  line = strdup(
      json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(j);
  return line;
}

void tl_results_free(tl_results *r) {
  size_t i;
  if (!r)
    return;
  for (i = 0; i < r->count; i++) {
    free((char *)r->items[i].snippet);
    free((char *)r->items[i].explain);
    free((char *)r->items[i].docid);
    free(r->items[i].highlights);
    if (r->items[i].owner_)
      json_object_put(r->items[i].owner_);
  }
  free(r->items);
  free(r->parsed);
  free(r->expanded);
  free(r->suggestion);
  for (i = 0; i < r->nfacets; i++) {
    size_t k;
    for (k = 0; k < r->facets[i].nvalues; k++)
      free((char *)r->facets[i].values[k].value);
    free(r->facets[i].values);
  }
  free(r->facets);
  free(r->features_);
  free(r);
}
