/* search.c - query rewriting through the analyzer, ranking and snippets. */
#include "telusur/search.h"

#include "index/documents.h"
#include "index/schema.h"
#include "search/rerank.h"
#include "telusur/analysis.h"
#include "text/reader.h"
#include "xapian/store.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Snippets: passages up to this many bytes are shown whole; longer ones as
 * a window of about SNIPPET_WORDS words around the best cluster of matches. */
#define SNIPPET_WHOLE 320
#define SNIPPET_WORDS 36

struct tl_searcher {
  tl_store *store;
  tl_analyzer *analyzer;   /* the index's analysis */
  tl_analyzer *query_stop; /* stopwords for queries (no stemming) */
  tl_analyzer *questions;  /* the question words, as stopwords */
  tl_reranker *reranker;
  unsigned rerank_depth; /* 0: off */
  double k1, b, exact_weight;
  int no_snippets;
  double prox_weight, prf_weight;
  unsigned prox_window, prf_docs, prf_terms;
};

/* An option's value: v when set (> 0), none when turned off (< 0), else def. */
static double opt_or(double v, double def) {
  return v > 0 ? v : v < 0 ? 0 : def;
}

int tl_searcher_open(const char *db_path, const tl_searcher_options *opts, tl_searcher **out,
                     tl_error *err) {
  tl_searcher *s;
  tl_analyzer_options ao;
  char *stemmer = NULL;
  int rc;
  *out = NULL;
  if (!(s = calloc(1, sizeof *s)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if ((rc = tl_store_open(db_path, TL_STORE_READ, &s->store, err)) != TL_OK ||
      (rc = tl_schema_check(s->store, db_path, NULL, err)) != TL_OK)
    goto fail;
  if ((rc = tl_store_get_metadata(s->store, TL_META_STEMMER, &stemmer, err)) != TL_OK)
    goto fail;
  memset(&ao, 0, sizeof ao);
  ao.data_dir = opts ? opts->data_dir : NULL;
  ao.stemmer = stemmer && *stemmer ? stemmer : "indonesian";
  if ((rc = tl_analyzer_create(&ao, &s->analyzer, err)) != TL_OK)
    goto fail;
  ao.stemmer = "none";
  ao.stopwords = opts && opts->query_stopwords ? opts->query_stopwords : "tala.txt,questions.txt";
  if ((rc = tl_analyzer_create(&ao, &s->query_stop, err)) != TL_OK)
    goto fail;
  s->rerank_depth = !opts || opts->rerank_depth == 0 ? TL_RERANK_DEPTH
                    : opts->rerank_depth < 0         ? 0
                                                     : (unsigned)opts->rerank_depth;
  if (s->rerank_depth > 0) {
    ao.stopwords = "questions.txt";
    if ((rc = tl_analyzer_create(&ao, &s->questions, err)) != TL_OK ||
        (rc = tl_reranker_create(s->analyzer, s->questions, NULL, &s->reranker, err)) != TL_OK)
      goto fail;
  }
  s->no_snippets = opts ? opts->no_snippets : 0;
  s->k1 = opts && (opts->k1 != 0 || opts->b != 0) ? opts->k1 : TL_BM25_K1;
  s->b = opts && (opts->k1 != 0 || opts->b != 0) ? opts->b : TL_BM25_B;
  s->prox_weight = opt_or(opts ? opts->prox_weight : 0, TL_PROX_WEIGHT);
  s->prox_window = (unsigned)opt_or(opts ? opts->prox_window : 0, TL_PROX_WINDOW);
  s->prf_docs = (unsigned)opt_or(opts ? opts->prf_docs : 0, TL_PRF_DOCS);
  s->prf_terms = (unsigned)opt_or(opts ? opts->prf_terms : 0, TL_PRF_TERMS);
  s->prf_weight = opt_or(opts ? opts->prf_weight : 0, TL_PRF_WEIGHT);
  s->exact_weight = opts && opts->exact_weight < 0   ? 0
                    : opts && opts->exact_weight > 0 ? opts->exact_weight
                                                     : TL_EXACT_WEIGHT;
  free(stemmer);
  *out = s;
  return TL_OK;
fail:
  free(stemmer);
  tl_searcher_close(s);
  return rc;
}

void tl_searcher_close(tl_searcher *s) {
  if (!s)
    return;
  tl_store_close(s->store);
  tl_analyzer_free(s->analyzer);
  tl_analyzer_free(s->query_stop);
  tl_reranker_free(s->reranker);
  tl_analyzer_free(s->questions);
  free(s);
}

/* A growable string. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
  int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *np = realloc(b->p, cap);
    if (!np) {
      b->failed = 1;
      return;
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

/* Xapian's operators, as typed. XOR is not among them: Xapian 1.4.22
 * crashes in get_mset on some queries that hold XOR (found by fuzzing), so
 * the rewrite turns it into the plain word "xor". */
static int is_operator(const char *s, size_t n) {
  static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", "ADJ"};
  size_t i;
  for (i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strlen(ops[i]) == n && memcmp(ops[i], s, n) == 0)
      return 1;
  return 0;
}

/* One term of the query as the analyzer saw it. */
typedef struct qterm {
  int flags;
  size_t start, end; /* bytes of the query */
  size_t term, len;  /* the term, in the rewrite context's text buffer */
} qterm;

typedef struct rewrite_ctx {
  qterm *terms;
  size_t n, cap;
  sbuf text; /* the terms' bytes */
} rewrite_ctx;

static int on_query_term(void *vctx, int flags, const char *term, size_t len, size_t start,
                         size_t end, unsigned pos) {
  rewrite_ctx *c = vctx;
  (void)pos;
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 32;
    qterm *nt = realloc(c->terms, cap * sizeof *nt);
    if (!nt)
      return TL_ERR_NOMEM;
    c->terms = nt;
    c->cap = cap;
  }
  c->terms[c->n].flags = flags;
  c->terms[c->n].start = start;
  c->terms[c->n].end = end;
  c->terms[c->n].term = c->text.n;
  c->terms[c->n].len = len;
  sb_add(&c->text, term, len);
  c->n++;
  return c->text.failed ? TL_ERR_NOMEM : 0;
}

/* The first term from index i on starting at byte start, with all of
 * flags_on and none of flags_off, or NULL. */
static const qterm *find_term(const rewrite_ctx *c, size_t i, size_t start, int flags_on,
                              int flags_off) {
  for (; i < c->n; i++)
    if (c->terms[i].start == start && (c->terms[i].flags & flags_on) == flags_on &&
        !(c->terms[i].flags & flags_off))
      return &c->terms[i];
  return NULL;
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

/* Rewrites the query word by word into the analyzer's forms:
 *  - a word becomes its normalized form (case folded, soft hyphens and
 *    apostrophes gone); operators, field names and acronyms stay as typed:
 *    Xapian's parser knows operators by their capitals and does not stem
 *    capitalized words (STEM_SOME), which keeps acronyms whole;
 *  - an open compound (kerja sama) becomes the joined word (kerjasama),
 *    which every spelling of the compound is indexed under;
 *  - outside quotes, a hyphenated word of letters (negara-negara,
 *    sebaik-baiknya) becomes the stem of the whole word; inside quotes it
 *    stays a phrase of its parts, so the exact form can still be asked for. */
int tl_search_rewrite(tl_searcher *s, const char *query, char **out, tl_error *err) {
  rewrite_ctx c;
  sbuf o;
  size_t len = strlen(query), bad, i, copied = 0, quotes_pos = 0, content = 0;
  int rc, in_quotes = 0, pass, changed;
  unsigned char *act = NULL; /* per term, from the first pass: ACT_* */
  *out = NULL;
  if (tl_utf8_check(query, len, &bad) != TL_OK)
    return tl_error_set(err, TL_ERR_UTF8, "query: invalid UTF-8 at byte offset %zu", bad);
  memset(&c, 0, sizeof c);
  memset(&o, 0, sizeof o);
  rc = tl_analyzer_run(s->analyzer, query, len, 1, on_query_term, &c, NULL, err);
  if (rc != TL_OK) {
    if (rc == TL_ERR_NOMEM || c.text.failed)
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  /* Stopwords outside quotes are dropped, unless nothing else is left:
   * Xapian's parser keeps a run of them ("di mana") together. */
  for (i = 0; i < c.n; i++) {
    const qterm *t = &c.terms[i];
    if (!(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) &&
        !tl_analyzer_is_stopword(s->query_stop, c.text.p + t->term, t->len) &&
        !is_operator(query + t->start, t->end - t->start))
      content++;
  }
  /* Two passes: the first marks what each word becomes, the second writes
   * the query, leaving out an operator that a dropped stopword left without
   * an operand on one side ("siapa AND presiden"), which Xapian's parser
   * would reject. */
  if (!(act = calloc(c.n + 1, 1))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (pass = 0; pass < 2; pass++) {
    copied = quotes_pos = 0;
    in_quotes = 0;
    o.n = 0;
    for (i = 0; i < c.n; i++) {
      const qterm *t = &c.terms[i], *j;
      const char *word = query + t->start;
      size_t wlen = t->end - t->start;
      if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED) || t->start < copied)
        continue;
      for (; quotes_pos < t->start; quotes_pos++)
        if (query[quotes_pos] == '"')
          in_quotes = !in_quotes;
      sb_add(&o, query + copied, t->start - copied);
      copied = t->end;
      j = find_term(&c, i + 1, t->start, TL_TERM_JOINED | TL_TERM_COMPOUND, TL_TERM_STEM);
      if (!j && !in_quotes)
        j = find_term(&c, i + 1, t->start, TL_TERM_JOINED | TL_TERM_STEM,
                      TL_TERM_COMPOUND | TL_TERM_NUMBER | TL_TERM_ACRONYM);
      if (j) {
        sb_add(&o, c.text.p + j->term, j->len);
        copied = j->end;
      } else if (content > 0 && !in_quotes && query[t->end] != ':' && query[t->end] != '-' &&
                 (t->start == 0 || !strchr("+-:", query[t->start - 1])) &&
                 tl_analyzer_is_stopword(s->query_stop, c.text.p + t->term, t->len) &&
                 !find_term(&c, i + 1, t->start, TL_TERM_JOINED, 0)) {
        act[i] = ACT_DROPPED; /* a stopword */
      } else if (wlen == 3 && memcmp(word, "XOR", 3) == 0) {
        sb_add(&o, "xor", 3);
      } else if (is_operator(word, wlen)) {
        if (pass == 0)
          act[i] = ACT_OPERATOR;
        else if (act[i] == ACT_OPERATOR)
          sb_add(&o, word, wlen);
      } else if (query[t->end] == ':' || (t->flags & TL_TERM_ACRONYM)) {
        sb_add(&o, word, wlen);
      } else {
        sb_add(&o, c.text.p + t->term, t->len);
      }
      if (!act[i])
        act[i] = ACT_WORD;
    }
    sb_add(&o, query + copied, len - copied);
    /* operators left without an operand read as dropped, until none is */
    for (changed = pass == 0; changed;) {
      changed = 0;
      for (i = c.n; i-- > 0;)
        if (act[i] == ACT_OPERATOR &&
            !(has_operand(act, i, c.n, -1) && has_operand(act, i, c.n, 1))) {
          act[i] = ACT_DROPPED;
          changed = 1;
        }
    }
  }
  if (!o.p)
    sb_add(&o, "", 0);
  if (o.failed) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  } else {
    *out = o.p;
    o.p = NULL;
  }
done:
  free(act);
  free(o.p);
  free(c.terms);
  free(c.text.p);
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
  char **terms;
  size_t nterms;
  tl_range *words; /* every word */
  int *hit;        /* whether words[i] matches */
  size_t n, cap;
  size_t hit_until; /* words ending by here are part of a matching joined form */
  int failed;
} match_ctx;

static int term_in(char **terms, size_t n, const char *prefix, const char *t, size_t len) {
  size_t i, p = strlen(prefix);
  for (i = 0; i < n; i++)
    if (strlen(terms[i]) == p + len && memcmp(terms[i], prefix, p) == 0 &&
        memcmp(terms[i] + p, t, len) == 0)
      return 1;
  return 0;
}

static int on_snippet_term(void *vctx, int flags, const char *term, size_t len, size_t start,
                           size_t end, unsigned pos) {
  match_ctx *c = vctx;
  int hit;
  (void)pos;
  hit = term_in(c->terms, c->nterms, (flags & TL_TERM_STEM) ? TL_PREFIX_STEM : "", term, len);
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
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 64;
    tl_range *w = realloc(c->words, cap * sizeof *w);
    int *h;
    if (!w)
      return c->failed = 1;
    c->words = w;
    if (!(h = realloc(c->hit, cap * sizeof *h)))
      return c->failed = 1;
    c->hit = h;
    c->cap = cap;
  }
  c->words[c->n].start = start;
  c->words[c->n].end = end;
  c->hit[c->n] = hit || end <= c->hit_until;
  c->n++;
  return 0;
}

static int make_snippet(tl_searcher *s, tl_hits *hits, tl_result *r, tl_error *err) {
  match_ctx c;
  size_t from = 0, to, i, best = 0, best_hits = 0, nh = 0, lo, hi, k, len = strlen(r->text);
  sbuf b;
  int rc;
  memset(&c, 0, sizeof c);
  memset(&b, 0, sizeof b);
  c.terms = hits->terms;
  c.nterms = hits->nterms;
  rc = tl_analyzer_run(s->analyzer, r->text, len, 1, on_snippet_term, &c, NULL, err);
  if (rc != TL_OK || c.failed) {
    free(c.words);
    free(c.hit);
    return c.failed ? tl_error_set(err, TL_ERR_NOMEM, "out of memory") : rc;
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
  if (from > 0)
    sb_add(&b, "\xE2\x80\xA6", 3);
  r->highlights = calloc(hi - lo + 1, sizeof *r->highlights);
  if (!r->highlights)
    b.failed = 1;
  /* Copy the window, runs of blank space (bullet lines) read as one space;
   * the matching words' ranges are taken as they are copied. */
  k = lo;
  for (i = from; i < to && r->highlights; i++) {
    int space = r->text[i] == '\n' || r->text[i] == ' ' || r->text[i] == '\t' || r->text[i] == '\r';
    while (k < hi && c.words[k].end <= i)
      k++;
    if (k < hi && c.hit[k] && c.words[k].start == i)
      r->highlights[nh].start = b.n;
    if (space) {
      if (b.n > 0 && b.p[b.n - 1] != ' ')
        sb_add(&b, " ", 1);
    } else {
      sb_add(&b, r->text + i, 1);
    }
    if (k < hi && c.hit[k] && c.words[k].end == i + 1)
      r->highlights[nh++].end = b.n;
  }
  r->nhighlights = nh;
  if (to < len)
    sb_add(&b, "\xE2\x80\xA6", 3);
  free(c.words);
  free(c.hit);
  if (b.failed || !b.p) {
    free(b.p);
    if (b.failed)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    b.p = strdup("");
  }
  r->snippet = b.p;
  return TL_OK;
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
/* A copy of query (malloc'd) with its negated parts blanked: a word or
 * "phrase" after NOT, and one led by '-', so that the reranker's features
 * count only what the query asks for. NULL when out of memory. */
static char *without_negated(const char *query) {
  char *q = strdup(query), *p;
  if (!q)
    return NULL;
  for (p = q; *p;) {
    int negate = 0;
    char *start;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    start = p;
    if (*p == '-') {
      negate = 1;
    } else if (strncmp(p, "NOT", 3) == 0 && (p[3] == ' ' || p[3] == '\t')) {
      negate = 1;
      p += 3;
      while (*p == ' ' || *p == '\t')
        p++;
    }
    if (*p == '"') {
      char *e = strchr(p + 1, '"');
      p = e ? e + 1 : p + strlen(p);
    } else {
      while (*p && !strchr(" \t\n\r", *p))
        p++;
    }
    if (negate)
      memset(start, ' ', (size_t)(p - start));
  }
  return q;
}

static int rerank_hits(tl_searcher *s, const char *query, const tl_hits *hits,
                       const tl_passage_record *recs, size_t nd, size_t *order, double *score,
                       double *features, double *shift, tl_error *err) {
  tl_rerank_collection coll;
  tl_rerank_candidate *c;
  char *asked;
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
  }
  if (!(asked = without_negated(query))) {
    free(c);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  rc = tl_rerank(s->reranker, asked, &coll, c, nd, features, score, order, err);
  free(asked);
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
  sbuf b;
  size_t j;
  char num[160];
  memset(&b, 0, sizeof b);
  for (j = 0; j < TL_RERANK_FEATURES; j++) {
    if (w[j] == 0)
      continue;
    snprintf(num, sizeof num, "%s%s(%.6g)=%.6f", b.n ? " " : "", tl_rerank_feature_name(j), x[j],
             w[j] * x[j]);
    sb_add(&b, num, strlen(num));
  }
  sb_add(&b, " | first stage: ", 16);
  sb_add(&b, first_stage ? first_stage : "", first_stage ? strlen(first_stage) : 0);
  if (b.failed) {
    free(b.p);
    return NULL;
  }
  return b.p;
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
static int rank_hits(tl_searcher *s, const char *query, unsigned depth, const tl_hits *hits,
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

int tl_search(tl_searcher *s, const char *query, unsigned offset, unsigned count, int explain,
              tl_results **out, tl_error *err) {
  tl_search_options so;
  tl_hits *hits = NULL;
  tl_results *res = NULL;
  tl_passage_record *recs = NULL;
  size_t *order = NULL, nd = 0, from, i;
  double *score = NULL, *features = NULL, shift = 0;
  char *q = NULL;
  int rc, attempt;
  unsigned depth = 0;
  *out = NULL;
  if ((rc = tl_search_rewrite(s, query, &q, err)) != TL_OK)
    return rc;
  if (!q)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  {
    size_t k;
    for (k = 0; q[k] && strchr(" \t\r\n", q[k]); k++)
      ;
    if (!q[k]) {
      free(q);
      return tl_error_set(err, TL_ERR_USAGE, "empty query");
    }
  }
  memset(&so, 0, sizeof so);
  so.stem = stem_cb;
  so.stop = stop_cb;
  so.ctx = s;
  so.offset = offset;
  so.count = count;
  if (s->rerank_depth > 0) {
    /* only questions are reranked (see tl_rerank_is_question) */
    int question = 0;
    if ((rc = tl_rerank_is_question(s->reranker, query, &question, err)) != TL_OK) {
      free(q);
      return rc;
    }
    depth = question ? s->rerank_depth : 0;
  }
  if (depth > 0) {
    /* the reranked window always starts at the first passage */
    so.offset = 0;
    so.count = offset + count > depth ? offset + count : depth;
  }
  so.k1 = s->k1;
  so.b = s->b;
  so.explain = explain;
  so.exact_weight = s->exact_weight;
  so.prox_weight = s->prox_weight;
  so.prox_window = s->prox_window;
  so.prf_docs = s->prf_docs;
  so.prf_terms = s->prf_terms;
  so.prf_weight = s->prf_weight;
  for (attempt = 0;; attempt++) {
    rc = tl_store_search(s->store, q, &so, &hits, err);
    if (rc == TL_OK)
      rc = rank_hits(s, query, depth, hits, &recs, &order, &score, &features, &nd, &shift, err);
    /* a writer committing under the reader: modified, or (reading blocks
     * being rewritten) seemingly corrupt; reopen, even after a reopen that
     * failed the same way, and retry (the reranker reads term statistics
     * too, so the search is run again with it) */
    if (rc != TL_ERR_XAPIAN || attempt >= 5 ||
        (!strstr(err->msg, "DatabaseModifiedError") && !strstr(err->msg, "DatabaseCorruptError")))
      break;
    free_ranking(hits, recs, order, score, features);
    hits = NULL;
    recs = NULL;
    order = NULL;
    score = NULL;
    features = NULL;
    tl_store_reopen(s->store, err);
  }
  free(q);
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
  res->estimated = hits->estimated;
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
    r->url = o->url;
    r->source = o->source;
    r->path = o->path;
    r->start = (size_t)o->start;
    r->end = r->start + strlen(r->text);
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
    if (!r->explain) {
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto fail;
    }
    if (s->no_snippets) {
      if (!(r->snippet = strdup(""))) {
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto fail;
      }
    } else if ((rc = make_snippet(s, hits, r, err)) != TL_OK)
      goto fail;
  }
  rc = TL_OK;
  *out = res;
  res = NULL;
fail:
  free_ranking(hits, recs, order, score, features);
  tl_results_free(res);
  return rc;
}

void tl_results_free(tl_results *r) {
  size_t i;
  if (!r)
    return;
  for (i = 0; i < r->count; i++) {
    free((char *)r->items[i].snippet);
    free((char *)r->items[i].explain);
    free(r->items[i].highlights);
    if (r->items[i].owner_)
      json_object_put(r->items[i].owner_);
  }
  free(r->items);
  free(r->parsed);
  free(r->features_);
  free(r);
}
