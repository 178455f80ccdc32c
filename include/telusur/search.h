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

/**
 * Ranking parameters, one meaning per value: 0 is zero (a weight or a
 * feature turned off), never "the default". Fill with
 * tl_rank_params_default(), then change what you need; tl_searcher_open()
 * refuses values out of the ranges below (TL_ERR_USAGE).
 */
typedef struct tl_rank_params {
  double k1;            /**< BM25 k1 (Robertson & Zaragoza 2009), 0 to 1000 */
  double b;             /**< BM25 b, length normalization, in [0, 1] */
  double exact_weight;  /**< 0 to 1000: the unstemmed word forms of the query
                             also match, their BM25 weight scaled by this
                             factor; 0: stems only */
  double prox_weight;   /**< 0 to 1000: proximity evidence: each pair of query
                             words next to each other in the query adds,
                             scaled by this factor, the pair's weight in
                             passages where the two occur within
                             prox_window positions; 0: off */
  unsigned prox_window; /**< word positions, 1 to 1000 */
  unsigned prf_docs;    /**< pseudo-relevance feedback: the prf_terms best
                             terms (Xapian's expand set) of the first
                             prf_docs passages are added to the query,
                             scaled by prf_weight; on when all three are
                             above 0 */
  unsigned prf_terms;
  double prf_weight;     /**< 0 to 1000 */
  unsigned rerank_depth; /**< passages reranked (rerank.h) for a question;
                              0: none (BM25 order) */
  double title_weight;   /**< 0 to 1000: the article's title is a field of each
                              of its passages: the query's words also match
                              the title's words and stems (TL_PREFIX_TITLE
                              terms), their BM25 weight scaled by this
                              factor, for passages the query matches (the
                              title never makes a match alone); 0: off */
  double article_weight; /**< 0 to 1000: with one passage per article
                              (tl_searcher_options.per_article 1) in
                              relevance order, not reranked, an article's
                              score is its best passage's plus this factor
                              times the scores of its next TL_ARTICLE_PASSAGES
                              best passages, and the articles are ranked by
                              it (evidence spread over an article's
                              paragraphs); 0: the best passage alone */
  double context_weight; /**< 0 to 1000: a passage's score adds this factor
                              times the BM25 score of its article (of the
                              chunk of up to 64 passages the index keeps
                              together) for the whole query: evidence of
                              the passage's context (Callan 1994,
                              "Passage-level evidence in document
                              retrieval"); not for reranked questions */
} tl_rank_params;

/** The passages after the best that count for tl_rank_params.article_weight. */
#define TL_ARTICLE_PASSAGES 3

/**
 * Sets p to the ranking defaults, the best found by bench/relevance.sh
 * (bench/RESULTS-relevance.md): k1 0.6, b 0.75, exact_weight 0.5,
 * prox_weight 0 (off), prox_window 8, pseudo-relevance feedback off (0
 * documents, 0 terms, weight 0), rerank_depth 20; title_weight 0.5 and
 * article_weight 0.1, the best found by bench/keyword.sh.
 */
void tl_rank_params_default(tl_rank_params *p);

/**
 * Checks p against the ranges documented in tl_rank_params and
 * tl_rank_params_set(). Errors:
 * TL_ERR_USAGE (with the offending parameter and value in err).
 */
tl_status tl_rank_params_check(const tl_rank_params *p, tl_error *err);

/**
 * The name of ranking parameter i (0-based), as telusur-query's option
 * --NAME: k1, b, exact-weight, proximity, window, prf-docs, prf-terms,
 * prf-weight, rerank-depth, title-weight, article-weight; NULL past the
 * last. The string is static.
 */
const char *tl_rank_param_name(size_t i);

/**
 * Sets the ranking parameter called name (tl_rank_param_name()) from the
 * decimal text value, checked against the range documented in
 * tl_rank_params (counts must be whole numbers; weights are at most 1000,
 * counts at most 1000, rerank-depth at most 100000). p is left unchanged on
 * error. Errors: TL_ERR_USAGE (no such parameter, not a number, out of
 * range; err names the parameter and the value).
 */
tl_status tl_rank_params_set(tl_rank_params *p, const char *name, const char *value, tl_error *err);

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
  const double *features; /**< reranked: one value per feature (names:
                               tl_rerank_feature_name), owned by the
                               results; else NULL */
  const char *date;       /**< the article's date, ISO 8601 UTC
                               ("2025-10-21T13:43:00Z", or "2025-10-21" for a
                               day); "" when none */
  const char *fields;     /**< the article's keyword fields other than date,
                               url and source, as a JSON object ({"topic":
                               "Ekonomi"}, an array for a name given several
                               times), the values as in the source; "" none */
  const char *url, *source, *path;
  size_t start, end; /**< byte range of the passage in its source */
  const char *docid; /**< the id evaluation runs (TREC) give the passage:
                          the article id, or "id#passage" for a passage of
                          an article of several paragraphs (the pieces of
                          one long paragraph split for length are the
                          article itself) */
  void *owner_;      /**< private: the record the strings live in */
} tl_result;

/** A value of a facet and the number of matching articles that have it. */
typedef struct tl_facet_value {
  const char *value; /**< as in the source (year "2025", month "2025-10") */
  unsigned long articles;
} tl_facet_value;

/** The counts of one field over all the matching articles. */
typedef struct tl_facet {
  const char *field;
  tl_facet_value *values; /**< most articles first, ties by value (bytes) */
  size_t nvalues;
} tl_facet;

/** Results of one query; free with tl_results_free(). */
typedef struct tl_results {
  tl_result *items;
  size_t count;
  unsigned long estimated;        /**< a rough count of the matches: at least the
                                       passages ranked, else Xapian's estimate of the
                                       matching documents; 0 only when no passage
                                       matches (counted exactly: passages_matched) */
  char *parsed;                   /**< the query as parsed (Xapian's description) */
  int counted;                    /**< 1 when the searcher counts matches
                                       (tl_searcher_options.count_matches or facets):
                                       the two counts and the facets below are set */
  unsigned long passages_matched; /**< every matching passage: exactly, unless
                                       passages_estimated */
  int passages_estimated;         /**< 1: passages_matched is an estimate: more than
                                       128 matching documents (chunks of articles) hold
                                       several passages, under a query that a document
                                       matches when one of its passages does (no AND of
                                       two words, NOT of a word or NEAR wider than 100):
                                       the passages of 128 of them, spread over the index,
                                       are matched and the others' counted in the same
                                       share. articles_matched and the facets are exact */
  unsigned long articles_matched; /**< every article with a matching passage */
  tl_facet *facets;               /**< one per field of tl_searcher_options.facets,
                                       in that order (a field named twice: once) */
  size_t nfacets;
  double *features_; /**< private: the items' features */
  char *expanded;    /**< the expansion searched besides the words typed
                          (acronyms, spelling corrections), for people ("BPS
                          -> badan pusat statistik; stalakmit -> stalagmit"),
                          or NULL */
  char *suggestion;  /**< the query with the words the index does not hold
                          replaced by their likely spelling correction
                          (tl_searcher_options.correct), or
                          NULL when no word needs one */
  int corrected;     /**< 1: the suggestion was searched instead of the
                          query (tl_searcher_options.correct) */
} tl_results;

/** Orders of the results. */
enum tl_sort {
  TL_SORT_RELEVANCE = 0, /**< by score */
  TL_SORT_NEWEST = 1,    /**< by the article's date, newest first, ties by
                              score; undated articles last */
  TL_SORT_OLDEST = 2     /**< oldest first, ties by score; undated first */
};

/**
 * A filter: only passages of articles whose keyword field (tl_result.fields,
 * also "site", the host of the url, and the derived "year", "2025", and
 * "month", "2025-10") has the value, compared case-folded. The field
 * "date" takes a range instead, "FROM..TO", both ends included, each a day
 * (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY), either end left out
 * ("2025-10.." from October 2025 on, "..2025" through 2025), or one day,
 * month or year alone; an article without a date never matches it.
 */
typedef struct tl_filter {
  const char *field;
  const char *value;
} tl_filter;

/** Options for a searcher besides ranking; zero-initialize. */
typedef struct tl_searcher_options {
  const char *data_dir;        /**< NULL: tl_data_dir() */
  const char *query_stopwords; /**< stopword files for queries, comma separated;
                                  NULL: "tala.txt,questions.txt" */
  int no_expand;               /**< do not expand acronyms or misspelt
                                    words: by default a query's acronym (a
                                    word in capitals) is also searched by
                                    its long forms and a long form by its
                                    acronym, at half weight (the table is
                                    lexicon/acronyms.txt and the definitions
                                    the index found in its text, "Badan
                                    Pusat Statistik (BPS)"), and a word with
                                    a spelling correction (tl_results.
                                    suggestion) by the correction, at half
                                    weight */
  int correct;                 /**< when a query has a spelling suggestion
                                    (tl_results.suggestion), search it
                                    instead of the query as typed */
  int no_snippets;             /**< leave snippets "" and highlights empty
                                    (ranking only, as for TREC runs) */
  /** Filters every search applies (copied): filters of one field are
   * ORed, of different fields ANDed; date ranges are ANDed. Filters never
   * change a score: they only drop passages. */
  const tl_filter *filters;
  size_t nfilters;
  int sort;             /**< enum tl_sort; other than relevance, nothing is
                             reranked (rerank_depth is ignored) */
  unsigned per_article; /**< at most this many passages of one article
                             (Xapian's collapse on the article id, kept
                             through reranking); 0: no limit */
  int count_matches;    /**< count every matching passage and article
                             (tl_results.passages_matched, articles_matched):
                             a full match, slower on large indexes */
  /** Fields to count values of over every matching article (also counts
   * the matches): a keyword field (tl_result.fields), "source", "year" or
   * "month" (of the article's date, UTC). Copied. */
  const char *const *facets;
  size_t nfacets;
  /** A stub database of remote shards ("remote HOST:PORT" lines): the
   * longest wait for connecting to a shard and for each exchange with it,
   * in milliseconds; 0: 10000. */
  unsigned timeout_ms;
  /** 0: a shard that does not answer (down, refusing, past timeout_ms) is
   * an error naming it; 1: the searcher answers from the shards that do,
   * as one index of what they hold (tl_searcher_missing names the others). */
  int allow_partial;
  /** The reranker's scoring (with rerank_depth > 0): "trees"
   * (gradient-boosted trees trained with XGBoost LambdaMART plus the
   * linear score, the model lexicon/rerank-trees.txt of data_dir;
   * bench/RESULTS-relevance.md), "linear" (a weighted sum of the features,
   * rerank.c), or the path of a tree model file (bench/rerank-trees.py
   * writes them). NULL: the shipped trees, ahead of the linear model in
   * cross-validation on the train questions, read at the first search that
   * reranks (a search that does not never reads them). A missing model
   * fails tl_searcher_open (TL_ERR_NOTFOUND, TL_ERR_IO); a malformed one
   * fails it when named here, else the first search that reranks
   * (TL_ERR_FORMAT with the file and line). */
  const char *reranker;
  /** Threads a search may use. 0: the caller's, and, from the second
   * search that reranks on, a second thread that computes half the
   * reranker's features where a second core is online (it makes its own
   * analyzer first, about 8 MB); 1: the caller's alone. The results are
   * the same either way. */
  unsigned threads;
} tl_searcher_options;

/**
 * Opens the index at db_path for searching, with the analyzer it was built
 * with (its stemmer is read from the index's metadata). opts NULL: all
 * zero; rank (copied) NULL: tl_rank_params_default(). A regular file at
 * db_path is a stub database (Xapian's format) listing shards, "auto PATH"
 * or "remote HOST:PORT" (served by xapian-tcpsrv) a line, searched as one
 * index: the same passages, order and scores as one database holding the
 * same articles (collection statistics of all the shards, wildcards
 * expanded over all their terms, ties ordered by article id, then passage).
 * Errors: TL_ERR_USAGE (a ranking parameter out of range, see
 * tl_rank_params_check; an index made with an unknown stemmer; a filter
 * with an empty field, or a date range not understood; a sort out of
 * range),
 * TL_ERR_NOTFOUND (no index there), TL_ERR_LOCK, TL_ERR_XAPIAN,
 * TL_ERR_SCHEMA (an index of another layout version: the message says
 * whether it is newer or how to rebuild it), TL_ERR_FORMAT (an unreadable
 * layout version), TL_ERR_NOMEM; for a stub, TL_ERR_FORMAT (a line not
 * understood: the message names the file and line) and TL_ERR_XAPIAN (a
 * shard that does not answer, without allow_partial: "shard HOST:PORT: ...").
 */
tl_status tl_searcher_open(const char *db_path, const tl_searcher_options *opts,
                           const tl_rank_params *rank, tl_searcher **out, tl_error *err);

/** Closes the searcher; NULL is allowed. */
void tl_searcher_close(tl_searcher *s);

/**
 * The fields of the searcher's filters and facets (tl_searcher_options)
 * that no article of the index has a value of (the date filter aside),
 * ", "-separated in the order given, each once; NULL when there is none.
 * Such a field is most likely misspelt: its filter matches nothing and its
 * facet counts nothing. Owned by s, valid until tl_searcher_close().
 */
const char *tl_searcher_unknown_fields(const tl_searcher *s);

/**
 * NULL, or a line for people when the index was built by another analysis
 * of words than the searcher's (an earlier telusur, another lexicon: see
 * tl_analyzer_fingerprint), saying so, what it means (a word whose terms
 * changed is not found in the passages indexed before) and the commands
 * that rebuild the index. The searcher answers all the same. Owned by s,
 * valid until tl_searcher_close().
 */
const char *tl_searcher_stale(const tl_searcher *s);

/**
 * The shards of a stub database left out with allow_partial since the
 * searcher opened or last searched (they did not answer), ", "-separated
 * (HOST:PORT, or a path); "" when every shard answers. Owned by s, valid
 * until the next call on s.
 */
const char *tl_searcher_missing(const tl_searcher *s);

/**
 * Runs query (UTF-8) and returns passages offset .. offset+count-1 of the
 * ranking: BM25 asked for max(depth, offset + count) passages, of which the
 * first depth are reranked (rerank.h; ties keep the BM25 order) and the
 * rest follow in BM25 order. Passages of equal score (and date, sorting by
 * date) are ordered by article id, then passage. BM25's passages come from
 * the documents Xapian ranks first, placed by blocks of them (20, 40, 80...
 * documents; a reranked search starts from a block of as many documents as
 * it reranks): the first n results of a search are the first n of any with
 * a larger offset + count, so that pages join up. With explain, each result's explain holds
 * per-term weights and, reranked, per-feature contributions.
 * A reader that sees the index change under it reopens and retries.
 * Errors: TL_ERR_USAGE (empty query, or one with no searchable word),
 * TL_ERR_UTF8 (query not valid UTF-8), TL_ERR_XAPIAN (also a remote shard
 * that fails, without allow_partial: the message names it), TL_ERR_MODIFIED
 * (the index kept changing through ten tries), TL_ERR_NOMEM,
 * TL_ERR_FORMAT (an unreadable passage record, or a malformed default tree
 * model, read at the first search that reranks: tl_searcher_options.reranker),
 * TL_ERR_IO (that model unreadable), TL_ERR_ICU.
 */
tl_status tl_search(tl_searcher *s, const char *query, unsigned offset, unsigned count, int explain,
                    tl_results **out, tl_error *err);

/**
 * The query rewritten by the analyzer, as handed to Xapian's parser
 * (malloc'd; the caller frees it). Errors: TL_ERR_UTF8, TL_ERR_NOMEM.
 */
tl_status tl_search_rewrite(tl_searcher *s, const char *query, char **out, tl_error *err);

/**
 * The result as one line of JSON (JSON Lines; malloc'd, the caller frees
 * it; NULL when out of memory): an object of qid (when qid is not NULL),
 * rank, score, article_id, title, passage, heading, text, snippet,
 * highlights (byte ranges of snippet, as [start, end] pairs), path, start,
 * end, date (when not ""), fields (the object, when not ""), and with
 * explain its explain, in that order; '/' is not escaped.
 */
char *tl_result_json(const tl_result *r, const char *qid, int explain);

/**
 * The facets of r as one line of JSON (malloc'd, the caller frees it; NULL
 * when out of memory): {"qid": qid (when qid is not NULL), "facets":
 * {FIELD: {VALUE: articles, ...}, ...}}, fields and values in the order of
 * r->facets; '/' is not escaped.
 */
char *tl_results_facets_json(const tl_results *r, const char *qid);

/**
 * The spelling suggestion of r as one line of JSON (malloc'd, the caller
 * frees it): {"qid": qid (when qid is not NULL), "suggestion": "..."}, with
 * "corrected": true when it was searched instead of the query; NULL when r
 * has no suggestion or memory runs out. '/' is not escaped.
 */
char *tl_results_suggestion_json(const tl_results *r, const char *qid);

/** Frees results; NULL is allowed. */
void tl_results_free(tl_results *r);

/** Number of the reranker's features of a passage (tl_result.features). */
#define TL_RERANK_FEATURES 33

/** Default reranking depth: how many first-stage passages are reranked
 * (chosen in bench/RESULTS-relevance.md, "Reranking"). */
#define TL_RERANK_DEPTH 20

/**
 * The name of feature i (0-based, < TL_RERANK_FEATURES), a static string;
 * NULL for i out of range. Terms of the definitions
 * (tl_rerank_feature_doc): query terms: the stems of the query's words that
 * are neither stopwords nor question words, each once;
 * idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)); positions are word
 * positions; "near": within 7 positions, i.e. inside a window of 8.
 */
const char *tl_rerank_feature_name(size_t i);

/** The definition of feature i (0-based, < TL_RERANK_FEATURES), one line
 * without a newline, a static string; NULL for i out of range. */
const char *tl_rerank_feature_doc(size_t i);

#ifdef __cplusplus
}
#endif

#endif
