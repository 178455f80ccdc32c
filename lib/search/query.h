/*
 * query.h - a query analyzed once.
 *
 * tl_search runs the query text through the index's analyzer once and
 * hands the result to what reads the query's words: the rewrite for
 * Xapian's parser (search.c) and the reranker (rerank.h), which asks
 * whether it is a question and takes its terms for its features.
 */
#ifndef TELUSUR_QUERY_H
#define TELUSUR_QUERY_H

#include "telusur/analysis.h"
#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One term of the query, as the analyzer reported it. */
typedef struct tl_query_term {
  int flags;         /**< TL_TERM_* (analysis.h) */
  size_t start, end; /**< the word's bytes in the query text, end exclusive */
  unsigned pos;      /**< the analyzer's word position, 1-based */
  const char *term;  /**< the term (word form, stem or joined form),
                          NUL-terminated, owned by the query */
  size_t len;        /**< bytes of term */
  int negated;       /**< within what the query excludes: 1 a word, "phrase"
                          or (group) after NOT (and the NOT itself), 2 a
                          word or "phrase" led by '-'; else 0 */
  int operator_;     /**< the word as typed is an operator: AND, OR, NOT,
                          NEAR, ADJ (capitals) */
  int question;      /**< a word form (no stem, no joined form) that is a
                          question word */
} tl_query_term;

/** The most words a query may hold as typed (runs of characters between
 * white space holding a letter or digit, operators aside): Xapian's
 * matcher works in time growing with the square of the terms ORed (1,000
 * words 0.2 s, 2,000 0.5 s, 10,000 9 s on a 400-passage index). */
#define TL_QUERY_MAX_WORDS 2000

/** The most terms other than stems a query may hold (a word's forms, the
 * parts of a hyphenated word, an excluded word's other forms): twice the
 * words, for words that each make several. */
#define TL_QUERY_MAX_TERMS (2 * TL_QUERY_MAX_WORDS)

/** The largest distance of NEAR/N and ADJ/N, in word positions. */
#define TL_QUERY_MAX_NEAR 1000

/** An analyzed query; free with tl_query_free(). */
typedef struct tl_query {
  char *text;           /**< the query as typed, NUL-terminated */
  size_t len;           /**< bytes of text */
  tl_query_term *terms; /**< in the analyzer's order */
  size_t nterms;
  int question;              /**< it asks a question: one of its words is a
                                  question word, or it ends with '?' or U+FF1F
                                  (before closing quotes, brackets, '!' and
                                  spaces) */
  const char *question_word; /**< the first question word's term, or NULL */
  char *arena_;              /**< private: the terms' bytes */
  size_t *by_start_;         /**< private: term indices by (start, index) */
  size_t max_span_;          /**< private: the most bytes a term spans */
} tl_query;

/**
 * Whether the n bytes at s are one of Xapian's operators as typed: AND,
 * OR, NOT, NEAR, ADJ, NEAR/N or ADJ/N (N digits). XOR is not: the rewrite
 * reads it as a word.
 */
int tl_query_is_operator(const char *s, size_t n);

/**
 * Analyzes text (UTF-8, NUL-terminated) with analyzer (the index's) into
 * *out; questions is an analyzer whose stopword list is the question words
 * (stopwords/questions.txt), asked only through tl_analyzer_is_stopword
 * (NULL: no question words). Both analyzers are used, not kept.
 * Errors: TL_ERR_UTF8 ("query: invalid UTF-8 at byte offset N"),
 * TL_ERR_NOMEM, TL_ERR_ICU, TL_ERR_LIMIT (from the analyzer; more than
 * TL_QUERY_MAX_WORDS words or TL_QUERY_MAX_TERMS terms), TL_ERR_USAGE (NEAR/N or ADJ/N with N out
 * of 1 .. TL_QUERY_MAX_NEAR).
 */
tl_status tl_query_parse(tl_analyzer *analyzer, const tl_analyzer *questions, const char *text,
                         tl_query **out, tl_error *err);

/**
 * The first term of q from index i on that starts at byte start, with all
 * of flags_on and none of flags_off, or NULL; O(log n + terms starting
 * there).
 */
const tl_query_term *tl_query_find(const tl_query *q, size_t i, size_t start, int flags_on,
                                   int flags_off);

/** Frees the query; NULL is allowed. */
void tl_query_free(tl_query *q);

#ifdef __cplusplus
}
#endif

#endif
