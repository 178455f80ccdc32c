/*
 * rerank.h - a linear second-stage reranker over the first (BM25) stage's
 * best passages.
 *
 * For a query and its first-stage candidates, each candidate gets a vector
 * of TL_RERANK_FEATURES features (query-term coverage, proximity, a
 * BM25 of stems and one of word forms recomputed on the passage, evidence
 * of the answer type the question word asks for near the matched words
 * or in the best-matching sentence, where in the passage the matches are,
 * verbatim phrase evidence, definition cues; each is
 * defined by tl_rerank_feature_doc()) and the score
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
#include "search/trees.h"
#include "telusur/analysis.h"
#include "telusur/error.h"
#include "telusur/search.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TL_RERANK_FEATURES, TL_RERANK_DEPTH, tl_rerank_feature_name() and
 * tl_rerank_feature_doc() are public: telusur/search.h. The features, their
 * order, names, definitions and default weights are declared once, in the
 * RR_FEATURES table of rerank.c. */

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
 * dimana, kemana, darimana (+kah), or di/ke/dari followed by mana(kah),
 * directly or after one word: di provinsi mana).
 * words[i] is words_len[i] bytes.
 */
enum tl_answer_type tl_rerank_answer_type(const char *const *words, const size_t *words_len,
                                          size_t n);

/** Document frequency of a term (as indexed: TL_PREFIX_STEM + stem for a stem, the
 * word form itself for a word): documents holding it, into *df. Returns
 * TL_OK or an error code with err set. */
typedef int (*tl_df_fn)(void *ctx, const char *term, size_t len, unsigned long *df, tl_error *err);

/** Collection statistics the features use. */
typedef struct tl_rerank_collection {
  unsigned long passages; /**< N: documents in the collection (as df counts) */
  double avg_length;      /**< mean passage length, in the unit of
                               tl_rerank_candidate.length (> 0) */
  tl_df_fn df;            /**< document frequencies */
  void *ctx;              /**< passed to df */
} tl_rerank_collection;

/** One first-stage candidate; zero-initialize it, then set what you have. */
typedef struct tl_rerank_candidate {
  const char *text;    /**< the passage text, UTF-8 */
  size_t len;          /**< bytes of text */
  double score;        /**< first-stage score */
  unsigned rank;       /**< first-stage rank, 1-based */
  double length;       /**< passage length for BM25's length normalization
                            (telusur: Xapian's document length, term
                            occurrences) */
  const char *heading; /**< the passage's heading (heading_len bytes), which
                            the index's positions count before its text
                            (schema.h); NULL or 0 bytes: none */
  size_t heading_len;
  const char *const *pos_terms; /**< with term_pos: the terms whose positions
                                     the index gave (tl_hits.pos_terms, in byte
                                     order); NULL: none */
  size_t npos_terms;
  const unsigned *term_pos; /**< the positions of pos_terms[i] in the
                                 passage, term_pos[term_at[i]] to
                                 term_pos[term_at[i + 1] - 1], as
                                 tl_hit.term_pos; NULL: the stems are found by
                                 analyzing the text */
  const size_t *term_at;
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
 * Scores candidates with the tree model t (trees.h, over the
 * TL_RERANK_FEATURES features) instead of the linear score alone: the score
 * becomes tl_trees_predict(t, features, linear score). The reranker takes
 * t (NULL: back to the linear score) and frees it.
 */
void tl_reranker_use_trees(tl_reranker *r, tl_trees *t);

/** The reranker's tree model, or NULL when it scores linearly. */
const tl_trees *tl_reranker_trees(const tl_reranker *r);

/**
 * Gives the reranker a second thread: from then on, tl_rerank computes the
 * features of its candidates on both threads, each taking the next
 * candidate not yet taken (the rest, normalization and scoring, stays on the
 * caller's thread). The thread first makes an analyzer of its own from opts
 * (NULL: the defaults; copied), which takes tens of milliseconds; until that
 * is done, and if it fails, tl_rerank goes on alone without waiting for it.
 * The features, scores and order are the same with or without the thread.
 * opts must describe the same analysis as the reranker's analyzer. A second
 * call does nothing. tl_reranker_free stops the thread (waiting for its
 * analyzer to be made, if it is being made). Errors: TL_ERR_NOMEM (out of
 * memory, or the thread could not be started).
 */
int tl_reranker_start_helper(tl_reranker *r, const tl_analyzer_options *opts, tl_error *err);

/** Where the reranker's second thread (tl_reranker_start_helper) stands. */
enum tl_helper_state {
  TL_HELPER_NONE,     /**< not started */
  TL_HELPER_STARTING, /**< making its analyzer */
  TL_HELPER_READY,    /**< takes part in tl_rerank */
  TL_HELPER_FAILED    /**< its analyzer could not be made: tl_rerank goes on alone */
};

/**
 * The terms whose positions tl_rerank reads from its candidates
 * (tl_rerank_candidate.term_pos), as the index holds them: each stem the
 * query asks for (not negated, not a joined form's, not a stopword's) as
 * TL_PREFIX_STEM + stem. *terms receives the *n terms, NUL-terminated, in
 * one malloc'd block with their bytes: free(*terms) frees them all.
 * Errors: TL_ERR_NOMEM.
 */
int tl_rerank_position_terms(const tl_query *query, char ***terms, size_t *n, tl_error *err);

/**
 * How many candidates r has taken the stems' positions of from the index
 * (tl_rerank_candidate.term_pos) instead of analyzing their text for
 * stems, since it was created, on both threads.
 */
size_t tl_reranker_indexed(tl_reranker *r);

/**
 * The state of r's second thread; *passages (if not NULL): how many
 * candidates it has computed the features of so far.
 */
enum tl_helper_state tl_reranker_helper(tl_reranker *r, size_t *passages);

/**
 * Computes the features of n candidates for query (query.h: analyzed by
 * the reranker's analyzer; its negated terms are left out) into features (n * TL_RERANK_FEATURES
 * doubles, row i for candidates[i]), their scores (sum of weight x feature, or the tree model's
 * prediction: tl_reranker_use_trees) into scores (n doubles), and the order into order (n indices
 * of candidates, best first; equal scores keep the candidates' order, which should be the first
 * stage's). Any of features and order may be NULL. With n == 0 nothing is done. The query is read
 * as words (operators and field names count as words); of a long query, the first 256 terms the
 * analyzer reported (about 128 words) are used. The weights were trained on questions
 * (bench/RESULTS-relevance.md), so tl_search reranks only queries that ask one (tl_query.question).
 * Cost: one analysis of each candidate's text, of its first 32 KiB at most (cut back to a space:
 * words past it count for nothing); without stemming its words where the candidate carries the
 * positions of the query's stem terms (term_pos), with the same features to the last bit. Errors:
 * TL_ERR_NOMEM, TL_ERR_ICU, TL_ERR_LIMIT (from the analyzer), and whatever coll->df returns.
 */
int tl_rerank(tl_reranker *r, const tl_query *query, const tl_rerank_collection *coll,
              const tl_rerank_candidate *candidates, size_t n, double *features, double *scores,
              size_t *order, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
