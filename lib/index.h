/*
 * index.h - articles into the store: passages, analysis, documents.
 *
 * Each passage becomes one Xapian document with
 *  - its heading's and its text's word forms, with positions (the heading
 *    first, then a gap, then the text), and their stems ("Z" + stem);
 *  - the article title's words under prefix "S" (searchable as title:);
 *  - "Q" + article id on every passage of the article, so that re-indexing
 *    an article replaces all its passages, and "P" + id + "#" + ordinal;
 *  - value 0: the article's date, value 1: the article id;
 *  - as data, the passage record (JSON: article_id, title, passage, heading,
 *    text, start, end, path, date, url, source).
 * Metadata "telusur.stemmer" records the stemmer, so that queries analyze
 * their words the same way.
 */
#ifndef TELUSUR_INDEX_H
#define TELUSUR_INDEX_H

#include "error.h"
#include "reader.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Metadata key holding the stemmer the index was built with. */
#define TL_META_STEMMER "telusur.stemmer"

/** Longest article id used as is in a term; longer ones are hashed. */
#define TL_ID_TERM_MAX 180

typedef struct tl_index tl_index;

/** Options; zero-initialize, then set. */
typedef struct tl_index_options {
  const char *stemmer;  /**< NULL: the index's own, or "indonesian" for a new one */
  const char *data_dir; /**< NULL: tl_data_dir() */
} tl_index_options;

/**
 * Opens (creating when missing) the index at db_path for writing and
 * starts a transaction. Errors: TL_ERR_LOCK (another writer), TL_ERR_USAGE
 * (stemmer differs from the one the index was built with), TL_ERR_NOTFOUND
 * (lexicon or stopwords missing), TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
int tl_index_open(const char *db_path, const tl_index_options *opts, tl_index **out,
                  tl_error *err);

/**
 * Splits the article into passages, analyzes them and replaces every
 * passage the index held for the article's id. *npassages (if not NULL)
 * receives the number of passages written. Errors: TL_ERR_XAPIAN,
 * TL_ERR_ICU, TL_ERR_NOMEM.
 */
int tl_index_add(tl_index *ix, const tl_article *article, size_t *npassages,
                 tl_error *err);

/**
 * Commits everything added since the last commit, atomically, and starts a
 * new transaction. Errors: TL_ERR_XAPIAN.
 */
int tl_index_commit(tl_index *ix, tl_error *err);

/** The number of passages in the index. */
unsigned long tl_index_passage_count(const tl_index *ix);

/**
 * Closes the index. What was not committed is discarded: the index keeps
 * its last committed state. NULL is allowed.
 */
void tl_index_close(tl_index *ix);

/**
 * Writes the term that marks all passages of an article: "Q" + id, or
 * "Q#" + a 64-bit FNV-1a hash of id in hex when id is longer than
 * TL_ID_TERM_MAX bytes. buf must hold TL_ID_TERM_MAX + 2 bytes; returns
 * the term's length.
 */
size_t tl_index_article_term(const char *id, char *buf);

#ifdef __cplusplus
}
#endif

#endif
