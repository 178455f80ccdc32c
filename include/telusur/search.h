/*
 * search.h - queries to ranked passages with snippets.
 *
 * The query text goes through the same analyzer as the passages (ICU word
 * segmentation, NFKC case folding, the index's stemmer), is rewritten word
 * by word into its normalized form, and is then parsed with Xapian's query
 * syntax (AND, OR, NOT, +/-, "phrases", NEAR, title:) and ranked by BM25;
 * the best passages of that ranking are then reranked by a linear model
 * over features of the query and each passage (rerank.h).
 */
#ifndef TELUSUR_SEARCH_H
#define TELUSUR_SEARCH_H

#include "error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_searcher tl_searcher;

/** Default weight of the unstemmed forms of the query's words (see
 * tl_search_options.exact_weight in store.h). */
#define TL_EXACT_WEIGHT 0.5

/** Ranking defaults, the best found by bench/relevance.sh (see
 * bench/RESULTS-relevance.md): BM25 parameters, proximity evidence of
 * neighbouring query words, pseudo-relevance feedback (0 terms: off). */
#define TL_BM25_K1 0.6
#define TL_BM25_B 0.75
#define TL_PROX_WEIGHT 0.0
#define TL_PROX_WINDOW 8
#define TL_PRF_DOCS 0
#define TL_PRF_TERMS 0
#define TL_PRF_WEIGHT 0.0

/** A byte range, 0-based, end exclusive. */
typedef struct tl_range {
  size_t start, end;
} tl_range;

/** One ranked passage. Strings are NUL-terminated UTF-8 owned by the results. */
typedef struct tl_result {
  unsigned rank; /**< 1-based */
  double score;  /**< the reranker's score (rerank.h) for passages within
                      the rerank depth; below it, the BM25 score shifted
                      down to continue below them; BM25 when reranking is
                      off */
  const char *article_id;
  const char *title;
  unsigned passage;     /**< 1-based ordinal within the article */
  const char *heading;  /**< "" when none */
  const char *text;     /**< the whole passage */
  const char *snippet;  /**< a window of text around the matching words */
  tl_range *highlights; /**< matching words, as byte ranges of snippet */
  size_t nhighlights;
  const char *explain;    /**< with explain: "term=weight ..." (BM25 parts);
                               reranked: "feature(value)=contribution ... |
                               first stage: term=weight ...", the parts before
                               '|' adding up to score; below the rerank depth:
                               the BM25 parts and "(below the rerank
                               depth)=-shift"; else "" */
  unsigned first_rank;    /**< 1-based rank in the first (BM25) stage */
  const double *features; /**< reranked: TL_RERANK_FEATURES values (names:
                               tl_rerank_feature_name), owned by the
                               results; else NULL */
  const char *date, *url, *source, *path;
  size_t start, end; /**< byte range of the passage in its source */
  void *owner_;      /**< private: the record the strings live in */
} tl_result;

/** Results of one query; free with tl_results_free(). */
typedef struct tl_results {
  tl_result *items;
  size_t count;
  unsigned long estimated; /**< estimated number of matching passages */
  char *parsed;            /**< the query as parsed (Xapian's description) */
  double *features_;       /**< private: the items' features */
} tl_results;

/** Options for a searcher; zero-initialize. */
typedef struct tl_searcher_options {
  const char *data_dir;        /**< NULL: tl_data_dir() */
  const char *query_stopwords; /**< stopword files for queries, comma separated;
                                  NULL: "tala.txt,questions.txt" */
  double k1, b;                /**< BM25 parameters; both 0 for the defaults */
  double exact_weight;         /**< weight of exact word forms beside stems;
                                    0: TL_EXACT_WEIGHT */
  int no_snippets;             /**< leave snippets "" and highlights empty
                                    (ranking only, as for TREC runs) */
  /* Ranking: 0 for the defaults above, < 0 to turn a weight off. */
  double prox_weight; /**< proximity evidence (tl_search_options) */
  int prox_window;
  int prf_docs, prf_terms; /**< pseudo-relevance feedback */
  double prf_weight;
  int rerank_depth; /**< passages reranked (rerank.h): 0 for TL_RERANK_DEPTH,
                         < 0 for none (BM25 order) */
} tl_searcher_options;

/**
 * Opens the index at db_path for searching, with the analyzer it was built
 * with (its stemmer is read from the index's metadata).
 * Errors: TL_ERR_NOTFOUND (no index there), TL_ERR_LOCK, TL_ERR_XAPIAN,
 * TL_ERR_USAGE (an index made with an unknown stemmer), TL_ERR_NOMEM.
 */
int tl_searcher_open(const char *db_path, const tl_searcher_options *opts, tl_searcher **out,
                     tl_error *err);

/** Closes the searcher; NULL is allowed. */
void tl_searcher_close(tl_searcher *s);

/**
 * Runs query (UTF-8) and returns passages offset .. offset+count-1 of the
 * ranking: BM25 asked for max(depth, offset + count) passages, of which the
 * first depth are reranked (rerank.h; ties keep the BM25 order) and the
 * rest follow in BM25 order. With explain, each result's explain holds
 * per-term weights and, reranked, per-feature contributions.
 * A reader that sees the index change under it reopens and retries.
 * Errors: TL_ERR_USAGE (empty query, or one with no searchable word),
 * TL_ERR_UTF8 (query not valid UTF-8), TL_ERR_XAPIAN, TL_ERR_NOMEM,
 * TL_ERR_FORMAT (an unreadable passage record), TL_ERR_ICU.
 */
int tl_search(tl_searcher *s, const char *query, unsigned offset, unsigned count, int explain,
              tl_results **out, tl_error *err);

/**
 * The query rewritten by the analyzer, as handed to Xapian's parser
 * (malloc'd; the caller frees it). Errors: TL_ERR_UTF8, TL_ERR_NOMEM.
 */
int tl_search_rewrite(tl_searcher *s, const char *query, char **out, tl_error *err);

/** Frees results; NULL is allowed. */
void tl_results_free(tl_results *r);

/** Number of the reranker's features of a passage (tl_result.features). */
#define TL_RERANK_FEATURES 27

/** Default reranking depth: how many first-stage passages are reranked
 * (chosen in bench/RESULTS-relevance.md, "Reranking"). */
#define TL_RERANK_DEPTH 20

/**
 * The name of the reranker's feature i (0-based, < TL_RERANK_FEATURES), a
 * static string; NULL for i out of range. Definitions (query terms: the stems of the
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
 *    at_place_cap: the question asks for that answer type (siapa: a
 *    person, kapan: a time, berapa: a number, di mana: a place) and a
 *    capitalised word / year / month name / number that is not a query
 *    word lies near a matched term
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

#ifdef __cplusplus
}
#endif

#endif
