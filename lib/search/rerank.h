/*
 * rerank.h - a linear second-stage reranker over the first (BM25) stage's
 * best passages.
 *
 * For a query and its first-stage candidates, each candidate gets a vector
 * of TL_RERANK_FEATURES features (query-term coverage, proximity, a
 * BM25 of stems and one of word forms recomputed on the passage, evidence
 * of the answer type the question word asks for near the matched words,
 * where in the passage the matches are, verbatim phrase evidence; each is
 * defined at its name in tl_rerank_feature_name()) and the score
 * sum_i w_i * x_i; the candidates are then ordered by that score, ties
 * keeping their first-stage order. The weights were trained by coordinate
 * ascent on mean nDCG@10 (Metzler & Croft 2007, "Linear feature-based
 * models for information retrieval", Information Retrieval 10(3)) with
 * bench/rerank-train.py; the procedure and its figures are in
 * bench/RESULTS-relevance.md.
 *
 * Query and passages go through the index's analyzer (analyzer.h): terms,
 * stems, positions and flags are the analyzer's; capitalisation is read
 * from the original text through the words' byte ranges.
 */
#ifndef TELUSUR_RERANK_H
#define TELUSUR_RERANK_H

#include "search/query.h"
#include "telusur/analysis.h"
#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of features of a candidate. */
#define TL_RERANK_FEATURES 27

/** Default reranking depth: how many first-stage passages are reranked
 * (chosen in bench/RESULTS-relevance.md, "Reranking"). */
#define TL_RERANK_DEPTH 20

/**
 * The name of feature i (0-based, < TL_RERANK_FEATURES), a static string;
 * NULL for i out of range. Definitions (query terms: the stems of the
 * query's words that are neither stopwords nor question words, each once;
 * idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)); positions are word
 * positions; "near": within 7 positions, i.e. inside a window of 8):
 *  0 bm25n: first-stage score / the first candidate's first-stage score
 *  1 logrank: -ln(first-stage rank) / ln(100)
 *  2 bm25s_n: BM25 (k1 0.6, b 0.75; Robertson & Zaragoza 2009) of the
 *    query terms' stems in the passage, / its maximum over the candidates
 *  3 bm25e_n: the same over the query terms' unstemmed word forms
 *  4 cov: share of the query terms in the passage
 *  5 idfcov: idf-weighted share of the query terms in the passage
 *  6 missing: number of query terms not in the passage
 *  7 rarest: 1 when the query term of highest idf is in the passage
 *  8 bigram: share of neighbouring query-term pairs found next to each
 *    other, in order
 *  9 win8: share of neighbouring query-term pairs found near each other
 * 10 span: matched terms / the shortest window (in positions) holding them
 *    all (0 under two matched terms)
 * 11 sentcov: the largest idf-weighted share of the query terms in one
 *    sentence
 * 12-16 at_person_cap, at_time_year, at_time_month, at_number_num,
 *    at_place_cap: the question asks for that answer type (see
 *    tl_rerank_answer_type) and a capitalised word / year / month name /
 *    number that is not a query word lies near a matched term
 * 17-19 cap_near, num_near, year_near: the same, whatever the question asks
 * 20 loglen: ln(1 + words of the passage)
 * 21 lead8: idf-weighted share of query terms first seen in the passage's
 *    first 8 words
 * 22 firstmatch: 1 / (1 + position of the first match, 0-based)
 * 23 defcue: the first match precedes a definition word (adalah, merupakan,
 *    ialah, yaitu) within the first 12 words, in the same sentence
 * 24 at_other_def: defcue for a question of no answer type above
 * 25 lcsub: the longest run of consecutive query words (word forms,
 *    stopwords kept, question words left out) found consecutively in the
 *    passage, / the query's words
 * 26 exbigram: share of consecutive query word pairs found consecutively
 */
const char *tl_rerank_feature_name(size_t i);

/** Answer types a question word asks for. */
enum tl_answer_type {
  TL_ANSWER_OTHER = 0,
  TL_ANSWER_PERSON, /**< siapa */
  TL_ANSWER_TIME,   /**< kapan, tahun berapa */
  TL_ANSWER_NUMBER, /**< berapa */
  TL_ANSWER_PLACE   /**< di mana, ke mana, dari mana */
};

/**
 * The answer type asked for by n case-folded words (in query order; the
 * analyzer's normalized word forms): the first type of person, time,
 * number, place with a cue among the words, by the table in rerank.c
 * (Indonesian question words: siapa(kah); kapan(kah), bilamana, bila(kah),
 * or tahun/tanggal/bulan/abad/hari followed by berapa/apa; berapa(kah);
 * dimana, kemana, darimana (+kah), or di/ke/dari followed by mana(kah)).
 * words[i] is words_len[i] bytes.
 */
enum tl_answer_type tl_rerank_answer_type(const char *const *words, const size_t *words_len,
                                          size_t n);

/** Document frequency of a term (as indexed: "Z" + stem for a stem, the
 * word form itself for a word): passages holding it, into *df. Returns
 * TL_OK or an error code with err set. */
typedef int (*tl_df_fn)(void *ctx, const char *term, size_t len, unsigned long *df, tl_error *err);

/** Collection statistics the features use. */
typedef struct tl_rerank_collection {
  unsigned long passages; /**< N: passages in the collection */
  double avg_length;      /**< mean passage length, in the unit of
                               tl_rerank_candidate.length (> 0) */
  tl_df_fn df;            /**< document frequencies */
  void *ctx;              /**< passed to df */
} tl_rerank_collection;

/** One first-stage candidate. */
typedef struct tl_rerank_candidate {
  const char *text; /**< the passage text, UTF-8 */
  size_t len;       /**< bytes of text */
  double score;     /**< first-stage score */
  unsigned rank;    /**< first-stage rank, 1-based */
  double length;    /**< passage length for BM25's length normalization
                         (telusur: Xapian's document length, term
                         occurrences) */
} tl_rerank_candidate;

typedef struct tl_reranker tl_reranker;

/**
 * Creates a reranker. analyzer: the index's analyzer, used for the query
 * and the passages; questions: an analyzer whose stopword list is the
 * question words (stopwords/questions.txt), asked only through
 * tl_analyzer_is_stopword. Both are borrowed: they must outlive the
 * reranker, and the reranker uses them (one thread at a time). weights:
 * TL_RERANK_FEATURES values, copied; NULL for the trained defaults.
 * Errors: TL_ERR_NOMEM. Free with tl_reranker_free().
 */
int tl_reranker_create(tl_analyzer *analyzer, tl_analyzer *questions, const double *weights,
                       tl_reranker **out, tl_error *err);

/** Frees the reranker; NULL is allowed. */
void tl_reranker_free(tl_reranker *r);

/** The reranker's weights (TL_RERANK_FEATURES values, owned by it). */
const double *tl_reranker_weights(const tl_reranker *r);

/**
 * Computes the features of n candidates for query (query.h: analyzed by
 * the reranker's analyzer; its negated terms are left out) into features (n * TL_RERANK_FEATURES
 * doubles, row i for candidates[i]), their scores (sum of weight x feature) into scores (n
 * doubles), and the order into order (n indices of candidates, best first; equal scores keep the
 * candidates' order, which should be the first stage's). Any of features and order may be NULL.
 * With n == 0 nothing is done. The query is read as words (operators and field names count as
 * words); of a long query, the first 256 terms the analyzer reported (about 128 words) are used.
 * The weights were trained on questions (bench/RESULTS-relevance.md), so tl_search reranks only
 * queries that ask one (tl_query.question). Cost: one analysis of each candidate's text. Errors:
 * TL_ERR_NOMEM, TL_ERR_ICU, TL_ERR_LIMIT (from the analyzer), and whatever coll->df returns.
 */
int tl_rerank(tl_reranker *r, const tl_query *query, const tl_rerank_collection *coll,
              const tl_rerank_candidate *candidates, size_t n, double *features, double *scores,
              size_t *order, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
