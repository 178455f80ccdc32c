/* rerank.c - features of first-stage candidates and their linear score. */
#include "search/rerank.h"

#include "index/schema.h"
#include "util/buf.h"
#include "util/strset.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* BM25 parameters of the recomputed stem and word-form BM25 (the shipping
 * first-stage defaults, search.h). */
#define RR_K1 0.6
#define RR_B 0.75
/* "Near": within RR_WINDOW - 1 positions. */
#define RR_WINDOW 8
/* The query's first RR_QUERY_TOKENS terms (words and stems: about half as
 * many words) are used; the rest of a longer query is left out, which keeps
 * the features' cost linear in the passages' length. */
#define RR_QUERY_TOKENS 256
/* Of a candidate's text, the first RR_TEXT_MAX bytes (cut back to a space)
 * are analyzed: the analysis is most of the reranker's cost and grows with
 * the text, so one huge passage (a whole book on one line) would cost a
 * query tens of milliseconds. No passage of the question collections is
 * over 20,000 bytes. */
#define RR_TEXT_MAX 32768
/* lead8 looks at the first RR_LEAD words; defcue at the first RR_DEF_LEAD. */
#define RR_LEAD 8
#define RR_DEF_LEAD 12
/* at_beside's run counts at most RR_RUN_TERMS distinct query terms. */
#define RR_RUN_TERMS 16

/*
 * The features, each declared once here and in this order (their indices;
 * the names are the header of --format features, which
 * bench/rerank-train.py reads): X(id, name, weight, group, doc). F_<id> is
 * the feature's index; weight its trained default (bench/rerank-train.py;
 * bench/RESULTS-relevance.md), on the raw feature; group the function that
 * computes it together with the other features of its group; doc its
 * definition, in the terms of tl_rerank_feature_name() (rerank.h).
 */
#define RR_FEATURES(X)                                                                             \
  X(BM25N, "bm25n", 1, group_first_stage,                                                          \
    "first-stage score / the first candidate's first-stage score")                                 \
  X(LOGRANK, "logrank", -0.0723991, group_first_stage, "-ln(first-stage rank) / ln(100)")          \
  X(BM25S, "bm25s_n", 0.0100631, group_bm25,                                                       \
    "BM25 (k1 0.6, b 0.75; Robertson & Zaragoza 2009) of the query terms' stems in the passage, "  \
    "/ its maximum over the candidates")                                                           \
  X(BM25E, "bm25e_n", 0, group_bm25, "bm25s_n over the query terms' unstemmed word forms")         \
  X(COV, "cov", 0.00647623, group_coverage, "share of the query terms in the passage")             \
  X(IDFCOV, "idfcov", -0.0211414, group_coverage,                                                  \
    "idf-weighted share of the query terms in the passage")                                        \
  X(MISSING, "missing", -0.0011897, group_coverage, "number of query terms not in the passage")    \
  X(RAREST, "rarest", 0.114225, group_coverage,                                                    \
    "1 when the query term of highest idf is in the passage")                                      \
  X(BIGRAM, "bigram", 0.121973, group_proximity,                                                   \
    "share of neighbouring query-term pairs found next to each other, in order")                   \
  X(WIN8, "win8", 0.0530059, group_proximity,                                                      \
    "share of neighbouring query-term pairs found near each other")                                \
  X(SPAN, "span", 0.00349232, group_span,                                                          \
    "matched terms / the shortest window (in positions) holding them all "                         \
    "(0 under two matched terms)")                                                                 \
  X(SENTCOV, "sentcov", 0.204048, group_sentence,                                                  \
    "the largest idf-weighted share of the query terms in one sentence")                           \
  X(AT_PERSON_CAP, "at_person_cap", 0.294564, group_answer,                                        \
    "the question asks for a person (tl_rerank_answer_type) and cap_near")                         \
  X(AT_TIME_YEAR, "at_time_year", 0.176798, group_answer,                                          \
    "the question asks for a time and year_near")                                                  \
  X(AT_TIME_MONTH, "at_time_month", 0.0849224, group_answer,                                       \
    "the question asks for a time and a month name that is not a query word lies near a "          \
    "matched term")                                                                                \
  X(AT_NUMBER_NUM, "at_number_num", 0.153578, group_answer,                                        \
    "the question asks for a number and num_near")                                                 \
  X(AT_PLACE_CAP, "at_place_cap", 0.198115, group_answer,                                          \
    "the question asks for a place and cap_near")                                                  \
  X(CAP_NEAR, "cap_near", -0.0411203, group_answer,                                                \
    "a capitalised word (not first in its sentence nor a stopword, or an acronym) that is not a "  \
    "query word lies near a matched term")                                                         \
  X(NUM_NEAR, "num_near", -0.00509026, group_answer,                                               \
    "a number that is not a query word lies near a matched term")                                  \
  X(YEAR_NEAR, "year_near", -0.0275219, group_answer,                                              \
    "a year (1000-2099, four digits) that is not a query word lies near a matched term")           \
  X(LOGLEN, "loglen", 0.00239793, group_length, "ln(1 + words of the passage)")                    \
  X(LEAD8, "lead8", 0.251085, group_lead,                                                          \
    "idf-weighted share of query terms first seen in the passage's first 8 words")                 \
  X(FIRSTMATCH, "firstmatch", 0.163199, group_lead,                                                \
    "1 / (1 + position of the first match, 0-based)")                                              \
  X(DEFCUE, "defcue", 0.00425425, group_lead,                                                      \
    "the first match precedes a definition word (adalah, merupakan, ialah, yaitu) within the "     \
    "first 12 words, in the same sentence")                                                        \
  X(AT_OTHER_DEF, "at_other_def", 0.0323762, group_lead,                                           \
    "defcue for a question of no answer type above")                                               \
  X(LCSUB, "lcsub", 0.018527, group_verbatim,                                                      \
    "the longest run of consecutive query words (word forms, stopwords kept, question words left " \
    "out) found consecutively in the passage, / the query's words")                                \
  X(EXBIGRAM, "exbigram", 0.0296255, group_verbatim,                                               \
    "share of consecutive query word pairs found consecutively")                                   \
  X(DEFTERM, "defterm", 0.0883799, group_defterm,                                                  \
    "a query term directly followed by a definition word (adalah, merupakan, ialah, yaitu)")       \
  X(AT_TIME_DATE, "at_time_date", 0.1311, group_answer,                                            \
    "the question asks for a time and a day/month date (21/9) or a weekday name lies near a "      \
    "matched term")                                                                                \
  X(AT_NUMBER_UNIT, "at_number_unit", 0.204041, group_answer,                                      \
    "the question asks for a number and a number that is not a query word is directly followed "   \
    "by a query term")                                                                             \
  X(TYPED_CAP, "typed_cap", 0.155668, group_answer,                                                \
    "the query term just before the question word apa, apakah, mana or manakah (partai apakah) "   \
    "is directly followed by a capitalised word that is not a query word")                         \
  X(AT_SENT, "at_sent", 0.0370947, group_answer,                                                   \
    "what the question asks for (a capitalised word for a person or place; a year, month, date "   \
    "or weekday for a time; a number) lies in the sentence of sentcov, not a query word")          \
  X(AT_BESIDE, "at_beside", 0.0496954, group_answer,                                               \
    "the largest idf-weighted share of the query terms in a run of matched words (stopwords "      \
    "between them passed over) directly before or after what the question asks for (as for "       \
    "at_sent; a capitalised word for other questions), in one sentence")

#define RR_ENUM(id, name, weight, group, doc) F_##id,
enum { RR_FEATURES(RR_ENUM) F_COUNT };
#undef RR_ENUM
_Static_assert(F_COUNT == TL_RERANK_FEATURES, "TL_RERANK_FEATURES counts RR_FEATURES");

#define RR_NAME(id, name, weight, group, doc) name,
static const char *const feature_names[TL_RERANK_FEATURES] = {RR_FEATURES(RR_NAME)};
#undef RR_NAME

#define RR_DOC(id, name, weight, group, doc) doc,
static const char *const feature_docs[TL_RERANK_FEATURES] = {RR_FEATURES(RR_DOC)};
#undef RR_DOC

#define RR_WEIGHT(id, name, weight, group, doc) weight,
static const double default_weights[TL_RERANK_FEATURES] = {RR_FEATURES(RR_WEIGHT)};
#undef RR_WEIGHT

/*
 * Answer types from Indonesian question words (kata tanya). A question
 * asks for a person with siapa, a time with kapan (or bilamana, bilakah,
 * the older forms) or with a time noun followed by berapa/apa ("tahun
 * berapa", "pada tanggal apa"), a number with berapa, a place with
 * dimana/kemana/darimana, written as one word or two (di mana), or with a
 * noun between (di provinsi mana); each may
 * carry the question particle -kah. Checked in this order: "tahun berapa"
 * asks for a time, not a number.
 */
static const char *const person_words[] = {"siapa", "siapakah"};
static const char *const time_words[] = {"kapan", "kapankah", "bilamana", "bilakah"};
static const char *const time_nouns[] = {"tahun", "tanggal", "bulan", "abad", "hari"};
static const char *const time_asks[] = {"berapa", "apa"};
static const char *const number_words[] = {"berapa", "berapakah"};
static const char *const place_words[] = {"dimana",    "dimanakah", "kemana",
                                          "kemanakah", "darimana",  "darimanakah"};
static const char *const place_preps[] = {"di", "ke", "dari"};
static const char *const place_asks[] = {"mana", "manakah"};

/* Month names (Indonesian), for at_time_month. */
static const char *const month_words[] = {"januari",   "februari", "maret",    "april",
                                          "mei",       "juni",     "juli",     "agustus",
                                          "september", "oktober",  "november", "desember"};

/* Weekday names, for at_time_date (news give a date as "Rabu (21/9)"). */
static const char *const weekday_words[] = {"senin", "selasa", "rabu",  "kamis",
                                            "jumat", "sabtu",  "minggu"};

/* Question words that follow the noun naming what is asked ("partai
 * apakah", "di provinsi mana"), for typed_cap. */
static const char *const typed_asks[] = {"apa", "apakah", "mana", "manakah"};

/* Words that open a definition ("X adalah ..."), for defcue and defterm. */
static const char *const definition_words[] = {"adalah", "merupakan", "ialah", "yaitu"};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int eq(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && memcmp(a, b, alen) == 0;
}

static int in_table(const char *w, size_t len, const char *const *table, size_t n) {
  size_t i;
  for (i = 0; len > 0 && i < n; i++) /* the first byte first: most words differ there */
    if (table[i][0] == w[0] && eq(w, len, table[i], strlen(table[i])))
      return 1;
  return 0;
}

const char *tl_rerank_feature_name(size_t i) {
  return i < TL_RERANK_FEATURES ? feature_names[i] : NULL;
}

const char *tl_rerank_feature_doc(size_t i) {
  return i < TL_RERANK_FEATURES ? feature_docs[i] : NULL;
}

enum tl_answer_type tl_rerank_answer_type(const char *const *words, const size_t *words_len,
                                          size_t n) {
  size_t i;
#define ANY(table)                                                                                 \
  for (i = 0; i < n; i++)                                                                          \
    if (in_table(words[i], words_len[i], table, COUNT(table)))
#define PAIR(first, second)                                                                        \
  for (i = 0; i + 1 < n; i++)                                                                      \
    if (in_table(words[i], words_len[i], first, COUNT(first)) &&                                   \
        in_table(words[i + 1], words_len[i + 1], second, COUNT(second)))
  ANY(person_words) return TL_ANSWER_PERSON;
  ANY(time_words) return TL_ANSWER_TIME;
  PAIR(time_nouns, time_asks) return TL_ANSWER_TIME;
  ANY(number_words) return TL_ANSWER_NUMBER;
  ANY(place_words) return TL_ANSWER_PLACE;
  PAIR(place_preps, place_asks) return TL_ANSWER_PLACE;
  for (i = 0; i + 2 < n; i++) /* di provinsi mana, dari negara manakah */
    if (in_table(words[i], words_len[i], place_preps, COUNT(place_preps)) &&
        in_table(words[i + 2], words_len[i + 2], place_asks, COUNT(place_asks)))
      return TL_ANSWER_PLACE;
#undef ANY
#undef PAIR
  return TL_ANSWER_OTHER;
}

/* ---- Tokens, as the analyzer reports them ---- */

typedef struct token {
  int flags;
  size_t start, end; /* bytes of the analyzed text */
  unsigned pos;
  size_t term, len; /* the term, in the token list's arena */
} token;

typedef struct tokens {
  token *t;
  size_t n, cap;
  tl_buf arena; /* the terms' bytes, each followed by a NUL */
  size_t limit; /* tokens kept at most; 0: all */
  int failed;
} tokens;

static int on_token(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                    unsigned pos) {
  tokens *c = vctx;
  if (c->limit && c->n >= c->limit)
    return TL_DONE; /* stops the analysis */
  if (tl_array_reserve((void **)&c->t, &c->cap, c->n + 1, sizeof *c->t) != TL_OK)
    return c->failed = TL_ERR_NOMEM;
  c->t[c->n].term = c->arena.len;
  if (tl_buf_append(&c->arena, term, len) != TL_OK || tl_buf_append(&c->arena, "", 1) != TL_OK)
    return c->failed = TL_ERR_NOMEM;
  c->t[c->n].flags = flags;
  c->t[c->n].start = start;
  c->t[c->n].end = end;
  c->t[c->n].pos = pos;
  c->t[c->n].len = len;
  c->n++;
  return 0;
}

/* The analyzer's terms of text into out: with its stems, or (words) only
 * the word forms and joined forms. */
static int analyze(tl_analyzer *a, const char *text, size_t len, int words, tokens *out,
                   tl_error *err) {
  int rc;
  out->n = 0;
  tl_buf_reset(&out->arena);
  out->failed = 0;
  rc = words ? tl_analyzer_run_words(a, text, len, 1, on_token, out, NULL, err)
             : tl_analyzer_run(a, text, len, 1, on_token, out, NULL, err);
  if (rc == TL_ERR_NOMEM || out->failed)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return rc == TL_DONE ? TL_OK : rc;
}

#define TERM(ts, k) ((ts)->arena.data + (ts)->t[k].term)
#define IS_WORD(f) (!((f) & (TL_TERM_STEM | TL_TERM_JOINED)))

/* ---- A growable list of positions ---- */

typedef struct posl {
  unsigned *p;
  size_t n, cap;
} posl;

static int posl_add(posl *l, unsigned p) {
  if (tl_array_reserve((void **)&l->p, &l->cap, l->n + 1, sizeof *l->p) != TL_OK)
    return -1;
  l->p[l->n++] = p;
  return 0;
}

static int cmp_unsigned(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return (x > y) - (x < y);
}

/* Sorts the list and drops repeats. */
static void posl_sort(posl *l) {
  size_t i, k = 0;
  if (l->n > 1)
    qsort(l->p, l->n, sizeof *l->p, cmp_unsigned);
  for (i = 0; i < l->n; i++)
    if (k == 0 || l->p[k - 1] != l->p[i])
      l->p[k++] = l->p[i];
  l->n = k;
}

/* Whether a sorted list holds a position p - RR_WINDOW + 1 .. p + RR_WINDOW - 1. */
static int near(const posl *l, unsigned p) {
  size_t lo = 0, hi = l->n;
  long from = (long)p - RR_WINDOW + 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if ((long)l->p[mid] < from)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n && l->p[lo] <= p + RR_WINDOW - 1;
}

static int holds(const posl *l, unsigned p) {
  return l->n > 0 && bsearch(&p, l->p, l->n, sizeof *l->p, cmp_unsigned) != NULL;
}

/* ---- The query ---- */

typedef struct query_info {
  tokens tok;
  size_t *stem, nstems; /* token index of each distinct query term (stem) */
  double *idf;          /* per query term */
  double tot_idf;
  size_t rarest;                   /* index of the term of highest idf */
  size_t *pair_a, *pair_b, npairs; /* neighbouring query-term pairs */
  size_t *word, nwords;            /* distinct word forms: query terms' words, then all words */
  double *word_idf;                /* idf of the query terms' word forms; 0 for the others */
  int *word_of_term;               /* whether word[i] is a query term's word form */
  size_t *seq, nseq;               /* lcsub's words: indices into word[] */
  size_t head;                     /* typed_cap's term (index into stem[]), or nstems */
  tl_strset *stems, *words;        /* the terms of stem[] and word[], by index */
  enum tl_answer_type at;
  int stems_fixed; /* every stem[] is its own stem: where the index gives
                      its positions, they are those of the analysis */
} query_info;

/* What one thread needs to compute passages' features: the query (read
 * only, shared by the threads) and buffers of its own. */
typedef struct rr_work {
  const query_info *q;
  tl_analyzer *analyzer;
  tokens ptok;             /* the passage being scored */
  int indexed;             /* ptok without stems: stem_pos from the index */
  atomic_size_t *nindexed; /* the reranker's count of such passages */
  size_t *slot;            /* per query term: its positions' term in the candidate */
  size_t slot_cap;
  posl *stem_pos; /* per query term */
  posl *word_pos; /* per query word form */
  size_t stem_pos_cap, word_pos_cap;
  posl all;               /* positions of all matched query terms */
  posl run_prev, run_cur; /* lcsub's runs */
  unsigned *run_len_prev, *run_len_cur;
  size_t run_len_prev_cap, run_len_cur_cap;
  unsigned *sent; /* sentence of each position */
  size_t sent_cap;
  double *sent_idf;
  size_t sent_idf_cap;
  unsigned *ev_pos; /* span: events (position, term) */
  size_t *ev_term;
  size_t *ev_cnt; /* per query term */
  size_t ev_pos_cap, ev_term_cap, ev_cnt_cap;
} rr_work;

static void work_free(rr_work *w) {
  size_t i;
  free(w->ptok.t);
  tl_buf_free(&w->ptok.arena);
  for (i = 0; i < w->stem_pos_cap; i++)
    free(w->stem_pos[i].p);
  for (i = 0; i < w->word_pos_cap; i++)
    free(w->word_pos[i].p);
  free(w->stem_pos);
  free(w->slot);
  free(w->word_pos);
  free(w->all.p);
  free(w->run_prev.p);
  free(w->run_cur.p);
  free(w->run_len_prev);
  free(w->run_len_cur);
  free(w->sent);
  free(w->sent_idf);
  free(w->ev_pos);
  free(w->ev_term);
  free(w->ev_cnt);
}

typedef struct rr_helper rr_helper;
static void helper_stop(rr_helper *h);

struct tl_reranker {
  tl_analyzer *questions;
  double w[TL_RERANK_FEATURES];
  tl_trees *trees; /* NULL: the linear score */
  query_info q;
  rr_work main;           /* the caller's thread */
  rr_helper *helper;      /* a second thread (tl_reranker_start_helper), or NULL */
  atomic_size_t nindexed; /* passages whose stem positions came from the index */
};

int tl_reranker_create(tl_analyzer *analyzer, tl_analyzer *questions, const double *weights,
                       tl_reranker **out, tl_error *err) {
  tl_reranker *r = calloc(1, sizeof *r);
  *out = NULL;
  if (!r)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (tl_strset_create(&r->q.stems) != TL_OK || tl_strset_create(&r->q.words) != TL_OK) {
    tl_strset_free(r->q.stems);
    free(r);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  r->main.analyzer = analyzer;
  r->main.q = &r->q;
  r->main.nindexed = &r->nindexed;
  atomic_init(&r->nindexed, 0);
  r->questions = questions;
  memcpy(r->w, weights ? weights : default_weights, sizeof r->w);
  *out = r;
  return TL_OK;
}

static void query_clear(query_info *q) {
  free(q->stem);
  free(q->idf);
  free(q->pair_a);
  free(q->pair_b);
  free(q->word);
  free(q->word_idf);
  free(q->word_of_term);
  free(q->seq);
  q->stem = q->pair_a = q->pair_b = q->word = q->seq = NULL;
  q->idf = q->word_idf = NULL;
  q->word_of_term = NULL;
  q->nstems = q->npairs = q->nwords = q->nseq = q->head = 0;
  tl_strset_clear(q->stems);
  tl_strset_clear(q->words);
}

void tl_reranker_free(tl_reranker *r) {
  if (!r)
    return;
  helper_stop(r->helper);
  query_clear(&r->q);
  tl_trees_free(r->trees);
  tl_strset_free(r->q.stems);
  tl_strset_free(r->q.words);
  free(r->q.tok.t);
  tl_buf_free(&r->q.tok.arena);
  work_free(&r->main);
  free(r);
}

const double *tl_reranker_weights(const tl_reranker *r) {
  return r->w;
}

void tl_reranker_use_trees(tl_reranker *r, tl_trees *t) {
  tl_trees_free(r->trees);
  r->trees = t;
}

const tl_trees *tl_reranker_trees(const tl_reranker *r) {
  return r->trees;
}

static int is_question(tl_reranker *r, const char *w, size_t len) {
  return r->questions && tl_analyzer_is_stopword(r->questions, w, len);
}

static double idf_of(unsigned long n, unsigned long df) {
  double N = (double)n, d = (double)df;
  if (d > N)
    d = N;
  return log(1 + (N - d + 0.5) / (d + 0.5));
}

/* The plain word token of the stem token k (the analyzer reports a word
 * before its stem, at the same position), or (size_t)-1. */
static size_t word_at(const tokens *ts, size_t k) {
  unsigned pos = ts->t[k].pos;
  while (k-- > 0 && ts->t[k].pos == pos)
    if (IS_WORD(ts->t[k].flags))
      return k;
  return (size_t)-1;
}

/* Index of word form w among the query's word forms, or nwords. */
static size_t find_word(const query_info *q, const char *w, size_t len) {
  size_t i;
  return tl_strset_has(q->words, w, len, &i) ? i : q->nwords;
}

/* Index of stem s among the query's terms, or nstems. */
static size_t find_stem(const query_info *q, const char *s, size_t len) {
  size_t i;
  return tl_strset_has(q->stems, s, len, &i) ? i : q->nstems;
}

/* The query's terms but its negated ones (only what the query asks for
 * counts), up to ts->limit, as tokens. */
static int query_tokens(const tl_query *query, tokens *ts, tl_error *err) {
  size_t i;
  int rc = TL_OK;
  ts->n = 0;
  tl_buf_reset(&ts->arena);
  ts->failed = 0;
  for (i = 0; i < query->nterms && rc == TL_OK; i++) {
    const tl_query_term *t = &query->terms[i];
    if (!t->negated)
      rc = on_token(ts, t->flags, t->term, t->len, t->start, t->end, t->pos);
  }
  if (ts->failed)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return TL_OK;
}

/* Whether a query term of these flags is a stem the features look for
 * (not a joined form's, not a stopword's; question words aside). */
static int asked_stem(int flags) {
  return (flags & (TL_TERM_STEM | TL_TERM_JOINED)) == TL_TERM_STEM && !(flags & TL_TERM_STOPWORD);
}

/* The query's terms, their idf, pairs, words, answer type. */
static int query_prepare(tl_reranker *r, const tl_query *query, const tl_rerank_collection *coll,
                         tl_error *err) {
  query_info *q = &r->q;
  tokens *ts = &q->tok;
  size_t k, n, nterms = 0, *term_stem = NULL, *term_word = NULL;
  const char **wl = NULL;
  size_t *wlen = NULL, nw = 0;
  int rc, added;
  query_clear(q);
  ts->limit = RR_QUERY_TOKENS;
  if ((rc = query_tokens(query, ts, err)) != TL_OK)
    return rc;
  n = ts->n;
  q->stem = calloc(n + 1, sizeof *q->stem);
  q->idf = calloc(n + 1, sizeof *q->idf);
  q->pair_a = calloc(n + 1, sizeof *q->pair_a);
  q->pair_b = calloc(n + 1, sizeof *q->pair_b);
  q->word = calloc(2 * n + 1, sizeof *q->word);
  q->word_idf = calloc(2 * n + 1, sizeof *q->word_idf);
  q->word_of_term = calloc(2 * n + 1, sizeof *q->word_of_term);
  q->seq = calloc(n + 1, sizeof *q->seq);
  term_stem = calloc(n + 1, sizeof *term_stem);
  term_word = calloc(n + 1, sizeof *term_word);
  wl = calloc(n + 1, sizeof *wl);
  wlen = calloc(n + 1, sizeof *wlen);
  if (!q->stem || !q->idf || !q->pair_a || !q->pair_b || !q->word || !q->word_idf ||
      !q->word_of_term || !q->seq || !term_stem || !term_word || !wl || !wlen) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto done;
  }
  /* Query terms: stems of words (not joined forms) that are neither
   * stopwords nor question words, in order. */
  for (k = 0; k < n; k++) {
    const token *t = &ts->t[k];
    size_t w, i;
    if (!asked_stem(t->flags))
      continue;
    w = word_at(ts, k);
    if (w == (size_t)-1)
      w = k;
    if (is_question(r, TERM(ts, w), ts->t[w].len) || is_question(r, TERM(ts, k), t->len))
      continue;
    if (tl_strset_add(q->stems, TERM(ts, k), t->len, &i, &added) != TL_OK) {
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto done;
    }
    if (added)
      q->stem[q->nstems++] = k;
    term_stem[nterms] = i;
    term_word[nterms++] = w;
  }
  /* neighbouring pairs of terms (a term next to itself is no pair) */
  for (k = 0; k + 1 < nterms; k++)
    if (term_stem[k] != term_stem[k + 1]) {
      q->pair_a[q->npairs] = term_stem[k];
      q->pair_b[q->npairs++] = term_stem[k + 1];
    }
  /* word forms: the terms' words first (with their own idf), then every
   * other plain word (for lcsub, exbigram, and "is a query word") */
  for (k = 0; k < nterms; k++) {
    size_t w = term_word[k];
    if (tl_strset_add(q->words, TERM(ts, w), ts->t[w].len, NULL, &added) != TL_OK) {
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto done;
    }
    if (added) {
      q->word_of_term[q->nwords] = 1;
      q->word[q->nwords++] = w;
    }
  }
  q->head = q->nstems;
  for (k = 0; k < n; k++) {
    const token *t = &ts->t[k];
    size_t i, j;
    if (!IS_WORD(t->flags))
      continue;
    /* typed_cap's term: the term of the word before apa/mana(kah) */
    if (nw > 0 && q->head == q->nstems &&
        in_table(TERM(ts, k), t->len, typed_asks, COUNT(typed_asks)))
      for (j = 0; j < nterms; j++)
        if (TERM(ts, term_word[j]) == wl[nw - 1]) {
          q->head = term_stem[j];
          break;
        }
    wl[nw] = TERM(ts, k);
    wlen[nw++] = t->len;
    if (tl_strset_add(q->words, TERM(ts, k), t->len, &i, &added) != TL_OK) {
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      goto done;
    }
    if (added)
      q->word[q->nwords++] = k;
    if (!is_question(r, TERM(ts, k), t->len))
      q->seq[q->nseq++] = i;
  }
  q->at = tl_rerank_answer_type(wl, wlen, nw);
  /* a stem that the stemmer changes again (stem(s) != s) has word forms
   * spelt as it whose stem is another: the index's positions of s would
   * hold them, so the passages are analyzed for their stems instead */
  q->stems_fixed = 1;
  for (k = 0; k < q->nstems && q->stems_fixed; k++) {
    size_t sl;
    const char *st =
        tl_analyzer_stem(r->main.analyzer, TERM(ts, q->stem[k]), ts->t[q->stem[k]].len, &sl);
    q->stems_fixed = sl == ts->t[q->stem[k]].len && memcmp(st, TERM(ts, q->stem[k]), sl) == 0;
  }
  /* collection statistics */
  q->tot_idf = 0;
  q->rarest = 0;
  for (k = 0; k < q->nstems; k++) {
    const token *t = &ts->t[q->stem[k]];
    char buf[TL_TERM_MAX + 2];
    unsigned long df = 0;
    buf[0] = TL_PREFIX_STEM[0];
    memcpy(buf + 1, TERM(ts, q->stem[k]), t->len);
    if ((rc = coll->df(coll->ctx, buf, t->len + 1, &df, err)) != TL_OK)
      goto done;
    q->idf[k] = idf_of(coll->passages, df);
    q->tot_idf += q->idf[k];
    if (q->idf[k] > q->idf[q->rarest])
      q->rarest = k;
  }
  for (k = 0; k < q->nwords; k++) {
    unsigned long df = 0;
    if (!q->word_of_term[k])
      continue;
    if ((rc = coll->df(coll->ctx, TERM(ts, q->word[k]), ts->t[q->word[k]].len, &df, err)) != TL_OK)
      goto done;
    q->word_idf[k] = idf_of(coll->passages, df);
  }
  rc = TL_OK;
done:
  free(term_stem);
  free(term_word);
  free(wl);
  free(wlen);
  return rc;
}

/* ---- Passages ---- */

/* Makes room for n position lists in *lists (capacity *cap), new ones
 * empty. */
static int reserve_lists(posl **lists, size_t *cap, size_t n) {
  size_t old = *cap;
  if (tl_array_reserve((void **)lists, cap, n, sizeof **lists) != TL_OK)
    return -1;
  memset(*lists + old, 0, (*cap - old) * sizeof **lists);
  return 0;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_mark(char c, const char *set) {
  return c != '\0' && strchr(set, c) != NULL;
}

/* The end of the next sentence boundary from *from on: [.!?]+, closing
 * quotes or brackets ["')\]]*, then white space (ASCII). Returns its end
 * offset and moves *from there; SIZE_MAX when there is none. */
static size_t next_boundary(const char *text, size_t len, size_t *from) {
  size_t i = *from;
  while (i < len) {
    size_t j = i;
    if (!is_mark(text[i], ".!?")) {
      i++;
      continue;
    }
    while (j < len && is_mark(text[j], ".!?"))
      j++;
    while (j < len && is_mark(text[j], "\"')]"))
      j++;
    if (j < len && is_space(text[j])) {
      while (j < len && is_space(text[j]))
        j++;
      *from = j;
      return j;
    }
    i = j;
  }
  *from = len;
  return SIZE_MAX;
}

/* Capitalisation of the word text[0..len): *upper_first: its first letter
 * is a capital; *all_upper: it has a cased letter and no small one;
 * *chars: its code points. */
static void word_case(const char *text, size_t len, int *upper_first, int *all_upper,
                      size_t *chars) {
  int32_t i = 0, n = (int32_t)len;
  int cased = 0, lower = 0;
  *upper_first = 0;
  *chars = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(text, i, n, c);
    if (c < 0)
      c = 0xFFFD;
    if (*chars == 0)
      *upper_first = u_isupper(c) != 0;
    (*chars)++;
    if (u_isupper(c) || u_istitle(c))
      cased = 1;
    if (u_islower(c))
      lower = cased = 1;
  }
  *all_upper = cased && !lower;
}

static int is_year(const char *t, size_t len) {
  size_t i;
  if (len != 4)
    return 0;
  for (i = 0; i < 4; i++)
    if (t[i] < '0' || t[i] > '9')
      return 0;
  return t[0] == '1' || (t[0] == '2' && t[1] == '0');
}

static int cmp_event(const rr_work *r, size_t a, size_t b) {
  if (r->ev_pos[a] != r->ev_pos[b])
    return r->ev_pos[a] < r->ev_pos[b] ? -1 : 1;
  return (r->ev_term[a] > r->ev_term[b]) - (r->ev_term[a] < r->ev_term[b]);
}

/* The shortest window holding every matched term (events sorted by
 * position). */
static unsigned shortest_span(rr_work *r, size_t nev, size_t m) {
  size_t i, j = 0, have = 0;
  unsigned best = UINT32_MAX;
  memset(r->ev_cnt, 0, r->q->nstems * sizeof *r->ev_cnt);
  for (i = 0; i < nev; i++) {
    if (r->ev_cnt[r->ev_term[i]]++ == 0)
      have++;
    while (have == m) {
      unsigned w = r->ev_pos[i] - r->ev_pos[j] + 1;
      if (w < best)
        best = w;
      if (--r->ev_cnt[r->ev_term[j]] == 0)
        have--;
      j++;
    }
  }
  return best;
}

/* The bytes of text (len bytes) to analyze: all of it up to RR_TEXT_MAX,
 * else RR_TEXT_MAX cut back to the last ASCII space or control byte (or,
 * with none in the last 256 bytes, to the start of a UTF-8 character). */
static size_t text_prefix(const char *text, size_t len) {
  size_t n = RR_TEXT_MAX;
  if (len <= RR_TEXT_MAX)
    return len;
  while (n > RR_TEXT_MAX - 256 && (unsigned char)text[n] > ' ')
    n--;
  if (n == RR_TEXT_MAX - 256)
    for (n = RR_TEXT_MAX; n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80; n--)
      ;
  return n;
}

/* What the feature groups share about the passage being scored, besides
 * the reranker's position lists (stem_pos, word_pos, all) and sentences
 * (sent). */
typedef struct passage {
  const tl_rerank_candidate *c;
  size_t len; /* bytes of c->text analyzed (text_prefix) */
  const tl_rerank_collection *coll;
  double top_score; /* the first candidate's first-stage score */
  size_t maxpos;    /* the highest position */
  size_t nwords;    /* plain words */
  unsigned first;   /* position of the first word */
  size_t nsent;     /* sentences */
  size_t m;         /* query terms found */
  unsigned best;    /* the sentence of the largest idf-weighted share (the first) */
  double best_idf;  /* its idf sum */
} passage;

static int no_term(void *ctx, int flags, const char *term, size_t len, size_t start, size_t end,
                   unsigned pos) {
  (void)ctx;
  (void)flags;
  (void)term;
  (void)len;
  (void)start;
  (void)end;
  (void)pos;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index in c->pos_terms of query stem i's stem term (TL_PREFIX_STEM +
 * stem), whose positions are its, or c->npos_terms when the index gave
 * none. */
static size_t stem_slot(const query_info *q, const tl_rerank_candidate *c, size_t i) {
  char term[TL_TERM_MAX + 2];
  const char *key = term, *const * at;
  term[0] = TL_PREFIX_STEM[0];
  memcpy(term + 1, TERM(&q->tok, q->stem[i]), q->tok.t[q->stem[i]].len + 1);
  at = bsearch(&key, c->pos_terms, c->npos_terms, sizeof *c->pos_terms, cmp_str);
  return at ? (size_t)(at - c->pos_terms) : c->npos_terms;
}

/* Lists the positions of the query's stems in the passage from those the
 * index gave (c->term_pos, r->slot: their terms), shifted from the
 * passage's first position (its heading's) to its text's and cut at
 * p->maxpos. */
static int indexed_positions(rr_work *r, passage *p, tl_error *err) {
  const query_info *q = r->q;
  const tl_rerank_candidate *c = p->c;
  unsigned off = 0, next = 1;
  size_t i, k;
  if (c->heading && c->heading_len > 0) {
    int rc = tl_analyzer_run_words(r->analyzer, c->heading, c->heading_len, 1, no_term, NULL, &next,
                                   err);
    if (rc != TL_OK)
      return rc;
    off = next - 1 + TL_HEADING_GAP;
  }
  for (i = 0; i < q->nstems; i++)
    for (k = c->term_at[r->slot[i]]; k < c->term_at[r->slot[i] + 1]; k++) {
      unsigned t = c->term_pos[k];
      if (t > off && t - off <= p->maxpos && posl_add(&r->stem_pos[i], t - off))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  return TL_OK;
}

/* Analyzes the passage into r->ptok and lists the positions of the query's
 * stems and word forms (sorted), and the highest position. The stems'
 * positions are the index's where it gave them for every query stem (the
 * passage's words then analyzed without stemming them), else the
 * analysis's: the same positions (the union of a stem term's and its word
 * form's, schema.h, where no stem changes its own stem again and no
 * hyphenated word's joined form is spelt as one). */
static int find_positions(rr_work *r, passage *p, tl_error *err) {
  const query_info *q = r->q;
  tokens *ts = &r->ptok;
  size_t k, i;
  int rc, indexed = q->stems_fixed && p->c->term_pos && p->c->pos_terms;
  if (indexed &&
      tl_array_reserve((void **)&r->slot, &r->slot_cap, q->nstems + 1, sizeof *r->slot) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; indexed && i < q->nstems; i++)
    indexed = (r->slot[i] = stem_slot(q, p->c, i)) < p->c->npos_terms;
  if (indexed) {
    if ((rc = analyze(r->analyzer, p->c->text, p->len, 1, ts, err)) != TL_OK)
      return rc;
    /* a hyphenated word's joined form spelt as a query stem (toli-toli:
     * tolitoli) is at its position in the index whatever the stem there
     * (toli): such a passage is analyzed with its stems */
    for (k = 0; k < ts->n && indexed; k++)
      indexed = (ts->t[k].flags & (TL_TERM_JOINED | TL_TERM_COMPOUND)) != TL_TERM_JOINED ||
                find_stem(q, TERM(ts, k), ts->t[k].len) >= q->nstems;
  }
  r->indexed = indexed;
  if (indexed)
    atomic_fetch_add(r->nindexed, 1);
  if (!indexed && (rc = analyze(r->analyzer, p->c->text, p->len, 0, ts, err)) != TL_OK)
    return rc;
  if (reserve_lists(&r->stem_pos, &r->stem_pos_cap, q->nstems + 1) ||
      reserve_lists(&r->word_pos, &r->word_pos_cap, q->nwords + 1))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < q->nstems; i++)
    r->stem_pos[i].n = 0;
  for (i = 0; i < q->nwords; i++)
    r->word_pos[i].n = 0;
  p->maxpos = 0;
  for (k = 0; k < ts->n; k++) {
    const token *t = &ts->t[k];
    if (t->pos > p->maxpos)
      p->maxpos = t->pos;
    if (t->flags & TL_TERM_STEM) {
      i = find_stem(q, TERM(ts, k), t->len);
      if (i < q->nstems && posl_add(&r->stem_pos[i], t->pos))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    } else {
      i = find_word(q, TERM(ts, k), t->len);
      if (i < q->nwords && posl_add(&r->word_pos[i], t->pos))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  }
  if (indexed && (rc = indexed_positions(r, p, err)) != TL_OK)
    return rc;
  for (i = 0; i < q->nstems; i++)
    posl_sort(&r->stem_pos[i]);
  for (i = 0; i < q->nwords; i++)
    posl_sort(&r->word_pos[i]);
  return TL_OK;
}

/* Sentences: a boundary after [.!?]+, closing quotes or brackets, and white
 * space; r->sent[pos] is the sentence of the word at pos. Also counts the
 * words and finds the first one. */
static int find_sentences(rr_work *r, passage *p, tl_error *err) {
  const tokens *ts = &r->ptok;
  size_t k, scan = 0, bnd;
  unsigned sid = 0;
  if (tl_array_reserve((void **)&r->sent, &r->sent_cap, p->maxpos + 2, sizeof *r->sent) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memset(r->sent, 0, (p->maxpos + 2) * sizeof *r->sent);
  p->nwords = 0;
  p->first = 0;
  bnd = next_boundary(p->c->text, p->len, &scan);
  for (k = 0; k < ts->n; k++) {
    const token *t = &ts->t[k];
    if (!IS_WORD(t->flags))
      continue;
    while (bnd <= t->start) {
      sid++;
      bnd = next_boundary(p->c->text, p->len, &scan);
    }
    r->sent[t->pos] = sid;
    if (p->nwords == 0)
      p->first = t->pos;
    p->nwords++;
  }
  p->nsent = sid + 1;
  return TL_OK;
}

/* The query terms found (p->m) and all their positions, sorted (r->all). */
static int find_matches(rr_work *r, passage *p, tl_error *err) {
  size_t i, k;
  r->all.n = 0;
  p->m = 0;
  for (i = 0; i < r->q->nstems; i++) {
    const posl *l = &r->stem_pos[i];
    if (l->n > 0)
      p->m++;
    for (k = 0; k < l->n; k++)
      if (posl_add(&r->all, l->p[k]))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  posl_sort(&r->all);
  return TL_OK;
}

/* Adds w to counts[s] for each sentence s holding a position of l (each
 * sentence once: positions are sorted, so are sentences). */
static void count_sentences(const rr_work *r, const passage *p, const posl *l, double w,
                            double *counts) {
  unsigned prev = UINT32_MAX;
  size_t k;
  for (k = 0; k < l->n; k++) {
    unsigned s = l->p[k] <= p->maxpos ? r->sent[l->p[k]] : 0;
    if (s != prev)
      counts[s] += w;
    prev = s;
  }
}

/* The sentence holding the largest idf-weighted share of the query terms
 * (the first of equals): p->best, p->best_idf. */
static int find_best_sentence(rr_work *r, passage *p, tl_error *err) {
  const query_info *q = r->q;
  size_t i;
  p->best = 0;
  p->best_idf = 0;
  if (p->m == 0)
    return TL_OK;
  if (tl_array_reserve((void **)&r->sent_idf, &r->sent_idf_cap, p->nsent + 1,
                       sizeof *r->sent_idf) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memset(r->sent_idf, 0, (p->nsent + 1) * sizeof *r->sent_idf);
  for (i = 0; i < q->nstems; i++)
    count_sentences(r, p, &r->stem_pos[i], q->idf[i], r->sent_idf);
  for (i = 0; i < p->nsent; i++)
    if (r->sent_idf[i] > p->best_idf) {
      p->best_idf = r->sent_idf[i];
      p->best = (unsigned)i;
    }
  return TL_OK;
}

/* ---- Feature groups: each computes its features (RR_FEATURES) into x,
 * reading only the passage and the query, not other groups' features ---- */

static int group_first_stage(rr_work *r, const passage *p, double *x, tl_error *err) {
  (void)r;
  (void)err;
  x[F_BM25N] = p->c->score / (p->top_score != 0 ? p->top_score : 1.0);
  x[F_LOGRANK] = p->c->rank > 1 ? -log((double)p->c->rank) / log(100.0) : 0.0;
  return TL_OK;
}

/* bm25s_n and bm25e_n, not yet normalized (tl_rerank divides them by their
 * maximum). */
static int group_bm25(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  double norm = RR_K1 * (1 - RR_B + RR_B * p->c->length / p->coll->avg_length), bs = 0, be = 0;
  size_t i;
  (void)err;
  for (i = 0; i < q->nstems; i++) {
    double tf = (double)r->stem_pos[i].n;
    if (tf > 0)
      bs += q->idf[i] * tf * (RR_K1 + 1) / (tf + norm);
  }
  for (i = 0; i < q->nwords; i++) {
    double tf = (double)r->word_pos[i].n;
    if (q->word_of_term[i] && tf > 0)
      be += q->word_idf[i] * tf * (RR_K1 + 1) / (tf + norm);
  }
  x[F_BM25S] = bs;
  x[F_BM25E] = be;
  return TL_OK;
}

static int group_coverage(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  double idfcov = 0;
  size_t i;
  (void)err;
  for (i = 0; i < q->nstems; i++)
    if (r->stem_pos[i].n > 0)
      idfcov += q->idf[i];
  x[F_COV] = (double)p->m / (double)(q->nstems ? q->nstems : 1);
  x[F_IDFCOV] = idfcov / (q->tot_idf > 0 ? q->tot_idf : 1.0);
  x[F_MISSING] = (double)(q->nstems - p->m);
  x[F_RAREST] = q->nstems && r->stem_pos[q->rarest].n ? 1.0 : 0.0;
  return TL_OK;
}

/* Neighbouring query-term pairs next to and near each other. */
static int group_proximity(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  size_t i, k, bg = 0, w8 = 0;
  (void)p;
  (void)err;
  if (q->npairs == 0)
    return TL_OK;
  for (i = 0; i < q->npairs; i++) {
    const posl *a = &r->stem_pos[q->pair_a[i]], *b = &r->stem_pos[q->pair_b[i]];
    int found_bg = 0, found_w8 = 0;
    for (k = 0; k < a->n && !(found_bg && found_w8); k++) {
      if (!found_bg && holds(b, a->p[k] + 1))
        found_bg = 1;
      if (!found_w8 && near(b, a->p[k]))
        found_w8 = 1;
    }
    bg += (size_t)found_bg;
    w8 += (size_t)found_w8;
  }
  x[F_BIGRAM] = (double)bg / (double)q->npairs;
  x[F_WIN8] = (double)w8 / (double)q->npairs;
  return TL_OK;
}

/* Makes room for the span's events: total of them, over nterms terms. */
static int reserve_events(rr_work *r, size_t total, size_t nterms) {
  return tl_array_reserve((void **)&r->ev_pos, &r->ev_pos_cap, total, sizeof *r->ev_pos) ||
         tl_array_reserve((void **)&r->ev_term, &r->ev_term_cap, total, sizeof *r->ev_term) ||
         tl_array_reserve((void **)&r->ev_cnt, &r->ev_cnt_cap, nterms, sizeof *r->ev_cnt);
}

static int group_span(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  size_t i, k, total = 0, nev = 0;
  if (p->m < 2)
    return TL_OK;
  for (i = 0; i < q->nstems; i++)
    total += r->stem_pos[i].n;
  if (reserve_events(r, total + 1, q->nstems + 1))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < q->nstems; i++)
    for (k = 0; k < r->stem_pos[i].n; k++) {
      /* insertion into position order (lists are short) */
      size_t j = nev++;
      r->ev_pos[j] = r->stem_pos[i].p[k];
      r->ev_term[j] = i;
      while (j > 0 && cmp_event(r, j - 1, j) > 0) {
        unsigned tp = r->ev_pos[j];
        size_t tt = r->ev_term[j];
        r->ev_pos[j] = r->ev_pos[j - 1];
        r->ev_term[j] = r->ev_term[j - 1];
        r->ev_pos[j - 1] = tp;
        r->ev_term[j - 1] = tt;
        j--;
      }
    }
  x[F_SPAN] = (double)p->m / (double)shortest_span(r, nev, p->m);
  return TL_OK;
}

static int group_sentence(rr_work *r, const passage *p, double *x, tl_error *err) {
  (void)err;
  x[F_SENTCOV] = p->best_idf / (r->q->tot_idf > 0 ? r->q->tot_idf : 1.0);
  return TL_OK;
}

/* The query term matched at position pos (index into q->stem), or nstems. */
static size_t term_at(const rr_work *r, unsigned pos) {
  size_t s;
  for (s = 0; s < r->q->nstems && !holds(&r->stem_pos[s], pos); s++)
    ;
  return s;
}

/* Whether the word token k is a query word: its stem (the stem token at its
 * position, else the word itself) is a query term, or it is one of the
 * query's word forms. Analyzed without stems (the index's positions), a
 * word at a query stem's position is stemmed as the analyzer would (a name,
 * number or acronym is its own stem): a joined form's stem shares it. */
static int is_query_word(rr_work *r, size_t k) {
  const tokens *ts = &r->ptok;
  const char *stem = TERM(ts, k);
  size_t s, stem_len = ts->t[k].len;
  if (r->indexed) {
    s = term_at(r, ts->t[k].pos);
    if (s < r->q->nstems && !(ts->t[k].flags & (TL_TERM_ACRONYM | TL_TERM_NUMBER | TL_TERM_NAME)))
      stem = tl_analyzer_stem(r->analyzer, stem, stem_len, &stem_len);
  }
  for (s = k + 1; s < ts->n && ts->t[s].pos == ts->t[k].pos; s++)
    if ((ts->t[s].flags & (TL_TERM_STEM | TL_TERM_JOINED)) == TL_TERM_STEM) {
      stem = TERM(ts, s);
      stem_len = ts->t[s].len;
      break;
    }
  return find_stem(r->q, stem, stem_len) < r->q->nstems ||
         find_word(r->q, TERM(ts, k), ts->t[k].len) < r->q->nwords;
}

/* Whether the number token ending at text[end] is the day of a day/month
 * date (21/9: the analyzer splits it into two numbers). */
static int is_day_month(const char *text, size_t len, size_t end) {
  return end + 1 < len && text[end] == '/' && text[end + 1] >= '0' && text[end + 1] <= '9';
}

/* The idf-weighted share of the query terms (each counted once) in the run
 * of matched words that ends next to word token k, going back (dir < 0) or
 * forward (dir > 0): within k's sentence, passing over one stopword at a
 * time, up to RR_RUN_TERMS terms. */
static double run_beside(const rr_work *r, size_t k, int dir) {
  const tokens *ts = &r->ptok;
  const query_info *q = r->q;
  unsigned sent = r->sent[ts->t[k].pos], pos = ts->t[k].pos;
  size_t seen[RR_RUN_TERMS], nseen = 0, j = k, i;
  double idf = 0;
  int skipped = 0;
  for (;;) {
    const token *t;
    size_t s;
    if (dir < 0 ? j == 0 : j + 1 >= ts->n)
      break;
    j = dir < 0 ? j - 1 : j + 1;
    t = &ts->t[j];
    if (!IS_WORD(t->flags) || t->pos == pos)
      continue;
    pos = t->pos;
    if (r->sent[pos] != sent)
      break;
    s = term_at(r, pos);
    if (s < q->nstems) {
      for (i = 0; i < nseen && seen[i] != s; i++)
        ;
      if (i == nseen) {
        seen[nseen++] = s;
        idf += q->idf[s];
      }
      skipped = 0;
      if (nseen == RR_RUN_TERMS)
        break;
    } else if ((t->flags & TL_TERM_STOPWORD) && !skipped) {
      skipped = 1;
    } else {
      break;
    }
  }
  return idf / (q->tot_idf > 0 ? q->tot_idf : 1.0);
}

/* Capitalised words, numbers, years, dates and month names that are not
 * query words, near the matches or in the best sentence, and what the
 * question asks for. */
static int group_answer(rr_work *r, const passage *p, double *x, tl_error *err) {
  const tokens *ts = &r->ptok;
  const query_info *q = r->q;
  const char *text = p->c->text;
  enum tl_answer_type at = q->at;
  unsigned last_sent = UINT32_MAX;
  int capn = 0, numn = 0, yearn = 0, monthn = 0, daten = 0, unit = 0, typed = 0, insent = 0;
  double beside = 0;
  size_t k;
  (void)err;
  for (k = 0; k < ts->n; k++) {
    const token *t = &ts->t[k];
    int upper_first, all_upper, cap, num, year, month, date, sentence_start, is_near, in_best,
        after_head, asked;
    size_t chars;
    if (!IS_WORD(t->flags))
      continue;
    sentence_start = r->sent[t->pos] != last_sent;
    last_sent = r->sent[t->pos];
    is_near = near(&r->all, t->pos);
    in_best = p->m > 0 && r->sent[t->pos] == p->best;
    after_head = q->head < q->nstems && t->pos > 0 && holds(&r->stem_pos[q->head], t->pos - 1);
    /* what follows counts only near a match, in the best sentence, or
     * just after typed_cap's term */
    if (!is_near && !in_best && !after_head)
      continue;
    word_case(text + t->start, t->end - t->start, &upper_first, &all_upper, &chars);
    /* capitalised: not as the first word of a sentence, nor as a stopword */
    cap = (upper_first && !(t->flags & TL_TERM_STOPWORD) && !sentence_start && !all_upper) ||
          (all_upper && chars > 1 && (t->flags & TL_TERM_ACRONYM));
    num = (t->flags & TL_TERM_NUMBER) != 0;
    year = is_year(text + t->start, t->end - t->start);
    month = in_table(TERM(ts, k), t->len, month_words, COUNT(month_words));
    date = (num && is_day_month(text, p->len, t->end)) ||
           in_table(TERM(ts, k), t->len, weekday_words, COUNT(weekday_words));
    if (!(cap || num || year || month || date) || is_query_word(r, k))
      continue;
    typed |= after_head && cap;
    asked = at == TL_ANSWER_TIME ? year || month || date : at == TL_ANSWER_NUMBER ? num : cap;
    if (in_best && at != TL_ANSWER_OTHER)
      insent |= asked;
    if (!is_near)
      continue;
    if (asked) {
      double b = run_beside(r, k, -1), a = run_beside(r, k, 1);
      beside = b > beside ? b : beside;
      beside = a > beside ? a : beside;
    }
    capn |= cap;
    numn |= num;
    yearn |= year;
    monthn |= month;
    daten |= date;
    unit |= num && holds(&r->all, t->pos + 1);
  }
  x[F_AT_PERSON_CAP] = capn && at == TL_ANSWER_PERSON;
  x[F_AT_TIME_YEAR] = yearn && at == TL_ANSWER_TIME;
  x[F_AT_TIME_MONTH] = monthn && at == TL_ANSWER_TIME;
  x[F_AT_NUMBER_NUM] = numn && at == TL_ANSWER_NUMBER;
  x[F_AT_PLACE_CAP] = capn && at == TL_ANSWER_PLACE;
  x[F_CAP_NEAR] = capn;
  x[F_NUM_NEAR] = numn;
  x[F_YEAR_NEAR] = yearn;
  x[F_AT_TIME_DATE] = daten && at == TL_ANSWER_TIME;
  x[F_AT_NUMBER_UNIT] = unit && at == TL_ANSWER_NUMBER;
  x[F_TYPED_CAP] = typed;
  x[F_AT_SENT] = insent;
  x[F_AT_BESIDE] = beside;
  return TL_OK;
}

static int group_length(rr_work *r, const passage *p, double *x, tl_error *err) {
  (void)r;
  (void)err;
  x[F_LOGLEN] = log(1.0 + (double)p->nwords);
  return TL_OK;
}

/* Where the matches are: in the lead, first, before a definition word. */
static int group_lead(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  const tokens *ts = &r->ptok;
  double lead = 0;
  size_t i, k;
  (void)err;
  for (i = 0; i < q->nstems; i++)
    if (r->stem_pos[i].n > 0 && r->stem_pos[i].p[0] < p->first + RR_LEAD)
      lead += q->idf[i];
  x[F_LEAD8] = lead / (q->tot_idf > 0 ? q->tot_idf : 1.0);
  if (r->all.n == 0)
    return TL_OK;
  x[F_FIRSTMATCH] = 1.0 / (1.0 + (double)(r->all.p[0] - p->first));
  for (k = 0; k < ts->n; k++) {
    const token *t = &ts->t[k];
    if (IS_WORD(t->flags) && t->pos < p->first + RR_DEF_LEAD &&
        in_table(TERM(ts, k), t->len, definition_words, COUNT(definition_words))) {
      if (r->all.p[0] < t->pos && r->sent[r->all.p[0]] == r->sent[t->pos])
        x[F_DEFCUE] = 1;
      break;
    }
  }
  x[F_AT_OTHER_DEF] = x[F_DEFCUE] && q->at == TL_ANSWER_OTHER;
  return TL_OK;
}

/* A query term directly followed by a definition word ("keuskupan adalah"). */
static int group_defterm(rr_work *r, const passage *p, double *x, tl_error *err) {
  const tokens *ts = &r->ptok;
  size_t k;
  (void)p;
  (void)err;
  for (k = 0; k < ts->n; k++) {
    const token *t = &ts->t[k];
    if (IS_WORD(t->flags) && t->pos > 0 && holds(&r->all, t->pos - 1) &&
        in_table(TERM(ts, k), t->len, definition_words, COUNT(definition_words))) {
      x[F_DEFTERM] = 1;
      break;
    }
  }
  return TL_OK;
}

/* One query word's step of the verbatim runs: its positions l extend the
 * runs ending just before them (r->run_prev) into r->run_cur; *lcs keeps
 * the longest run, *any whether one was extended. */
static int verbatim_step(rr_work *r, const posl *l, size_t *lcs, int *any) {
  size_t k, j;
  r->run_cur.n = 0;
  /* run_len_prev holds run_prev.n lengths: it was run_len_cur */
  if (tl_array_reserve((void **)&r->run_len_cur, &r->run_len_cur_cap, l->n + 1,
                       sizeof *r->run_len_cur) != TL_OK)
    return -1;
  for (k = 0; k < l->n; k++) {
    unsigned p = l->p[k], len = 1;
    for (j = 0; j < r->run_prev.n; j++)
      if (r->run_prev.p[j] + 1 == p) {
        len = r->run_len_prev[j] + 1;
        *any = 1;
        break;
      }
    if (posl_add(&r->run_cur, p))
      return -1;
    r->run_len_cur[r->run_cur.n - 1] = len;
    if (len > *lcs)
      *lcs = len;
  }
  return 0;
}

/* Verbatim runs of the query's words. */
static int group_verbatim(rr_work *r, const passage *p, double *x, tl_error *err) {
  const query_info *q = r->q;
  size_t i, lcs = 0, eb = 0;
  (void)p;
  if (q->nseq == 0)
    return TL_OK;
  r->run_prev.n = 0;
  for (i = 0; i < q->nseq; i++) {
    int any = 0;
    if (verbatim_step(r, &r->word_pos[q->seq[i]], &lcs, &any))
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    if (i > 0 && any)
      eb++;
    {
      posl tp = r->run_prev;
      unsigned *tl = r->run_len_prev;
      size_t tc = r->run_len_prev_cap;
      r->run_prev = r->run_cur;
      r->run_cur = tp;
      r->run_len_prev = r->run_len_cur;
      r->run_len_prev_cap = r->run_len_cur_cap;
      r->run_len_cur = tl;
      r->run_len_cur_cap = tc;
    }
  }
  x[F_LCSUB] = (double)lcs / (double)q->nseq;
  x[F_EXBIGRAM] = q->nseq > 1 ? (double)eb / (double)(q->nseq - 1) : 0.0;
  return TL_OK;
}

typedef int (*feature_group)(rr_work *r, const passage *p, double *x, tl_error *err);

#define RR_GROUP(id, name, weight, group, doc) group,
static const feature_group feature_groups[TL_RERANK_FEATURES] = {RR_FEATURES(RR_GROUP)};
#undef RR_GROUP

/* Features of one passage into x (bm25s_n and bm25e_n not yet normalized):
 * the passage's positions, sentences and matches, then each group of
 * RR_FEATURES once, in the table's order. */
static int passage_features(rr_work *r, const tl_rerank_collection *coll,
                            const tl_rerank_candidate *c, double top_score, double *x,
                            tl_error *err) {
  passage p;
  size_t f, g;
  int rc;
  memset(x, 0, TL_RERANK_FEATURES * sizeof *x);
  memset(&p, 0, sizeof p);
  p.c = c;
  p.len = text_prefix(c->text, c->len);
  p.coll = coll;
  p.top_score = top_score;
  if ((rc = find_positions(r, &p, err)) != TL_OK || (rc = find_sentences(r, &p, err)) != TL_OK ||
      (rc = find_matches(r, &p, err)) != TL_OK || (rc = find_best_sentence(r, &p, err)) != TL_OK)
    return rc;
  for (f = 0; f < TL_RERANK_FEATURES; f++) {
    for (g = 0; g < f && feature_groups[g] != feature_groups[f]; g++)
      ;
    if (g == f && (rc = feature_groups[f](r, &p, x, err)) != TL_OK)
      return rc;
  }
  return TL_OK;
}

/* ---- The passages of one tl_rerank call, shared out between threads ---- */

typedef struct rr_job {
  const tl_rerank_collection *coll;
  const tl_rerank_candidate *c;
  size_t n;
  double top_score;
  double *x;          /* n rows of features */
  atomic_size_t next; /* the next candidate not yet taken */
  atomic_int ready;   /* the query prepared (r->q), or the job given up */
} rr_job;

/* Computes the features of job's candidates until none is left: each
 * thread takes the next one, so that long passages even out. */
static int job_run(rr_work *w, rr_job *job, size_t *taken, tl_error *err) {
  size_t i;
  int rc;
  while ((i = atomic_fetch_add(&job->next, 1)) < job->n) {
    (*taken)++;
    if ((rc = passage_features(w, job->coll, &job->c[i], job->top_score,
                               job->x + i * TL_RERANK_FEATURES, err)) != TL_OK) {
      atomic_store(&job->next, job->n); /* the other thread stops too */
      return rc;
    }
  }
  return TL_OK;
}

#define HELPER_BUSY (-1) /* rr_helper.rc while a job is posted */

struct rr_helper {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t posted; /* a job, or quit, posted */
  enum tl_helper_state state;
  int quit;
  rr_job *job;   /* the job posted, while rc is HELPER_BUSY */
  atomic_int rc; /* the job's status, with its message in err */
  size_t taken;  /* passages it has computed the features of */
  tl_error err;
  rr_work work;
  char *stemmer, *data_dir, *stopwords; /* the analyzer's options */
};

/* The helper thread: makes its own analyzer, then does the jobs posted
 * until told to quit. */
static void *helper_main(void *arg) {
  rr_helper *h = arg;
  tl_analyzer_options ao;
  tl_analyzer *a = NULL;
  tl_error err;
  int ok;
  memset(&ao, 0, sizeof ao);
  ao.stemmer = h->stemmer;
  ao.data_dir = h->data_dir;
  ao.stopwords = h->stopwords;
  ok = tl_analyzer_create(&ao, &a, &err) == TL_OK;
  pthread_mutex_lock(&h->mu);
  h->work.analyzer = a;
  h->state = ok ? TL_HELPER_READY : TL_HELPER_FAILED;
  while (ok && !h->quit) {
    if (atomic_load(&h->rc) != HELPER_BUSY) {
      pthread_cond_wait(&h->posted, &h->mu);
      continue;
    }
    pthread_mutex_unlock(&h->mu);
    {
      tl_error jerr = {0, ""};
      int rc;
      size_t taken = 0;
      /* the caller prepares the query after posting the job: a wait of
       * about as long as the helper took to wake up */
      while (!atomic_load_explicit(&h->job->ready, memory_order_acquire))
        sched_yield();
      rc = job_run(&h->work, h->job, &taken, &jerr);
      pthread_mutex_lock(&h->mu);
      h->taken += taken;
      h->err = jerr;
      atomic_store_explicit(&h->rc, rc, memory_order_release);
    }
  }
  pthread_mutex_unlock(&h->mu);
  return NULL;
}

/* Hands job to the helper if it is ready (its analyzer made): 1 when it
 * took the job (helper_wait must follow), 0 when the caller does it all. */
static int helper_post(rr_helper *h, rr_job *job) {
  int took = 0;
  if (!h || job->n < 2)
    return 0;
  pthread_mutex_lock(&h->mu);
  if (h->state == TL_HELPER_READY) {
    h->job = job;
    atomic_store(&h->rc, HELPER_BUSY);
    pthread_cond_signal(&h->posted);
    took = 1;
  }
  pthread_mutex_unlock(&h->mu);
  return took;
}

/* Waits until the helper has finished the posted job (the wait is for its
 * last passage at most, shorter than being woken up: it yields rather than
 * sleeps). Returns rc (the caller's own status), or, when that is TL_OK and
 * the helper failed, the helper's status with its message in err. */
static int helper_wait(rr_helper *h, int rc, tl_error *err) {
  int hrc;
  while ((hrc = atomic_load_explicit(&h->rc, memory_order_acquire)) == HELPER_BUSY)
    sched_yield();
  pthread_mutex_lock(&h->mu);
  h->job = NULL;
  if (rc == TL_OK && hrc != TL_OK) {
    rc = hrc;
    *err = h->err;
  }
  pthread_mutex_unlock(&h->mu);
  return rc;
}

static void helper_free(rr_helper *h) {
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->posted);
  tl_analyzer_free(h->work.analyzer);
  work_free(&h->work);
  free(h->stemmer);
  free(h->data_dir);
  free(h->stopwords);
  free(h);
}

static void helper_stop(rr_helper *h) {
  if (!h)
    return;
  pthread_mutex_lock(&h->mu);
  h->quit = 1;
  pthread_cond_signal(&h->posted);
  pthread_mutex_unlock(&h->mu);
  pthread_join(h->thread, NULL);
  helper_free(h);
}

/* A copy of s (NULL for NULL); sets *failed when out of memory. */
static char *copy_or_null(const char *s, int *failed) {
  char *c = s ? strdup(s) : NULL;
  if (s && !c)
    *failed = 1;
  return c;
}

int tl_rerank_position_terms(const tl_query *pq, char ***terms, size_t *n, tl_error *err) {
  size_t i, bytes = 0, k = 0;
  char *at;
  *n = 0;
  for (i = 0; i < pq->nterms; i++)
    bytes += pq->terms[i].len + 2;
  if (!(*terms = malloc((pq->nterms + 1) * sizeof **terms + bytes)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  at = (char *)(*terms + pq->nterms + 1);
  for (i = 0; i < pq->nterms; i++) {
    const tl_query_term *t = &pq->terms[i];
    if (t->negated || !asked_stem(t->flags))
      continue;
    (*terms)[k++] = at;
    memcpy(at, TL_PREFIX_STEM, 1);
    memcpy(at + 1, t->term, t->len);
    at[t->len + 1] = '\0';
    at += t->len + 2;
  }
  *n = k;
  return TL_OK;
}

size_t tl_reranker_indexed(tl_reranker *r) {
  return atomic_load(&r->nindexed);
}

enum tl_helper_state tl_reranker_helper(tl_reranker *r, size_t *passages) {
  enum tl_helper_state st;
  if (passages)
    *passages = 0;
  if (!r->helper)
    return TL_HELPER_NONE;
  pthread_mutex_lock(&r->helper->mu);
  st = r->helper->state;
  if (passages)
    *passages = r->helper->taken;
  pthread_mutex_unlock(&r->helper->mu);
  return st;
}

int tl_reranker_start_helper(tl_reranker *r, const tl_analyzer_options *opts, tl_error *err) {
  rr_helper *h;
  int failed = 0;
  if (r->helper)
    return TL_OK;
  if (!(h = calloc(1, sizeof *h)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->posted, NULL);
  h->state = TL_HELPER_STARTING;
  h->stemmer = copy_or_null(opts ? opts->stemmer : NULL, &failed);
  h->data_dir = copy_or_null(opts ? opts->data_dir : NULL, &failed);
  h->stopwords = copy_or_null(opts ? opts->stopwords : NULL, &failed);
  h->work.q = &r->q;
  h->work.nindexed = &r->nindexed;
  if (failed) {
    helper_free(h);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (pthread_create(&h->thread, NULL, helper_main, h) != 0) {
    helper_free(h);
    return tl_error_set(err, TL_ERR_NOMEM, "cannot start the reranker's second thread");
  }
  r->helper = h;
  return TL_OK;
}

int tl_rerank(tl_reranker *r, const tl_query *query, const tl_rerank_collection *coll,
              const tl_rerank_candidate *candidates, size_t n, double *features, double *scores,
              size_t *order, tl_error *err) {
  double *x = features, max_s = 0, max_e = 0;
  size_t i, j, taken = 0;
  int rc;
  if (n == 0)
    return TL_OK;
  if (!x && !(x = malloc(n * TL_RERANK_FEATURES * sizeof *x)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  {
    /* the helper is woken first: it wakes while the query is prepared */
    rr_job job = {coll, candidates, n, candidates[0].score, x, 0, 0};
    int helped = helper_post(r->helper, &job);
    rc = query_prepare(r, query, coll, err);
    if (rc != TL_OK)
      atomic_store(&job.next, n); /* no passage for the helper either */
    atomic_store_explicit(&job.ready, 1, memory_order_release);
    if (rc == TL_OK)
      rc = job_run(&r->main, &job, &taken, err);
    if (helped)
      rc = helper_wait(r->helper, rc, err);
    if (rc != TL_OK)
      goto done;
  }
  for (i = 0; i < n; i++) {
    const double *xi = x + i * TL_RERANK_FEATURES;
    if (xi[F_BM25S] > max_s)
      max_s = xi[F_BM25S];
    if (xi[F_BM25E] > max_e)
      max_e = xi[F_BM25E];
  }
  for (i = 0; i < n; i++) {
    double *xi = x + i * TL_RERANK_FEATURES, s = 0;
    xi[F_BM25S] /= max_s > 0 ? max_s : 1.0;
    xi[F_BM25E] /= max_e > 0 ? max_e : 1.0;
    for (j = 0; j < TL_RERANK_FEATURES; j++)
      s += r->w[j] * xi[j];
    scores[i] = s;
  }
  if (r->trees) /* the linear scores in, the trees' out (the same array) */
    tl_trees_predict_rows(r->trees, x, n, scores, scores);
  if (order) {
    /* insertion sort: stable, and n is a reranking depth (tens); scores
     * within a billionth count as equal (the sums of equal features can
     * differ in their last bits, as BM25 from shards does) */
    for (i = 0; i < n; i++) {
      size_t at = i;
      double tol = 1e-9 * (fabs(scores[i]) > 1 ? fabs(scores[i]) : 1);
      while (at > 0 && scores[order[at - 1]] < scores[i] - tol)
        at--;
      memmove(order + at + 1, order + at, (i - at) * sizeof *order);
      order[at] = i;
    }
  }
  rc = TL_OK;
done:
  if (x != features)
    free(x);
  return rc;
}
