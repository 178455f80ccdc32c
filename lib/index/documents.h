/*
 * index.h - articles into the store: passages, analysis, documents.
 *
 * Each passage becomes one Xapian document: its terms, values and record
 * are described in schema.h, with the index's metadata.
 */
#ifndef TELUSUR_DOCUMENTS_H
#define TELUSUR_DOCUMENTS_H

#include "index/schema.h"
#include "telusur/analysis.h"
#include "telusur/error.h"
#include "text/reader.h"
#include "xapian/store.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_index tl_index;

/** Options; zero-initialize, then set. */
typedef struct tl_index_options {
  const char *stemmer;  /**< NULL: the index's own, or "indonesian" for a new one */
  const char *data_dir; /**< NULL: tl_data_dir() */
  int create;           /**< 1: a new index, built from nothing: its commits
                             are not synced to disk (TL_STORE_CREATE), and
                             the caller syncs it once at the end
                             (tl_store_sync) */
} tl_index_options;

/**
 * Opens (creating when missing) the index at db_path for writing and
 * starts a transaction; an index without a layout version (a new one, or
 * one written before versions were recorded) gets TL_SCHEMA_VERSION.
 * Errors: TL_ERR_LOCK (another writer), TL_ERR_USAGE (stemmer differs from
 * the one the index was built with, or is unknown), TL_ERR_SCHEMA and
 * TL_ERR_FORMAT (see tl_schema_check), TL_ERR_XAPIAN, TL_ERR_NOMEM. The analyzer is created on the
 * first tl_index_add (TL_ERR_NOTFOUND there when the lexicon or stopwords are missing).
 */
int tl_index_open(const char *db_path, const tl_index_options *opts, tl_index **out, tl_error *err);

/**
 * Splits the article into passages, analyzes them and replaces every
 * passage the index held for the article's id. *npassages (if not NULL)
 * receives the number of passages written. Errors: TL_ERR_XAPIAN,
 * TL_ERR_ICU, TL_ERR_NOMEM.
 */
int tl_index_add(tl_index *ix, const tl_article *article, size_t *npassages, tl_error *err);

/**
 * Commits everything added since the last commit, atomically, and starts a
 * new transaction. Errors: TL_ERR_XAPIAN.
 */
int tl_index_commit(tl_index *ix, tl_error *err);

/**
 * One thread's analysis for tl_index_prepare (an analyzer and buffers): not
 * thread-safe, so create one per worker thread.
 */
typedef struct tl_analysis tl_analysis;

/**
 * Creates an analysis with the named stemmer (NULL: "indonesian"; use
 * tl_index_stemmer() of the index it prepares for) and data directory
 * (NULL: tl_data_dir()). Errors: TL_ERR_USAGE (unknown stemmer),
 * TL_ERR_NOTFOUND (lexicon or stopwords missing), TL_ERR_ICU, TL_ERR_IO,
 * TL_ERR_NOMEM. Free with tl_analysis_free().
 */
int tl_analysis_create(const char *stemmer, const char *data_dir, tl_analysis **out, tl_error *err);

/** The analysis's analyzer (owned by an). */
const tl_analyzer *tl_analysis_analyzer(const tl_analysis *an);

/**
 * Names the file whose term (tl_file_term) marks the passages of the
 * articles prepared next: file (copied; its canonical path, so that every
 * spelling of a path gives one term), or NULL for each article's own path.
 * Errors: TL_ERR_NOMEM.
 */
int tl_analysis_set_file(tl_analysis *an, const char *file, tl_error *err);

/** Frees an analysis; NULL is allowed. */
void tl_analysis_free(tl_analysis *an);

/**
 * An article's passages analyzed into documents, ready to be written: all
 * of them (tl_index_prepare), or one chunk of them (tl_index_prepare_next).
 */
typedef struct tl_prepared {
  char qterm[TL_ID_TERM_MAX + 2]; /**< the article's id term (TL_PREFIX_ID) */
  size_t qlen;
  tl_doc **docs; /**< the chunk's document (one, or none for an article
                      without passages), owned */
  size_t count;
  size_t passages;          /**< passages in the chunk's document */
  size_t first;             /**< 0-based index of docs[0] in the article:
                                 0 for the article's first chunk */
  size_t total;             /**< passages of the whole article */
  unsigned long long bytes; /**< text bytes of these passages */
} tl_prepared;

/**
 * Splits the article into passages and analyzes them into documents (the
 * thread-safe half of tl_index_add: any thread, with its own analysis).
 * *out is freed with tl_prepared_free(). Errors: TL_ERR_ICU, TL_ERR_NOMEM,
 * TL_ERR_LIMIT, TL_ERR_XAPIAN.
 */
int tl_index_prepare(tl_analysis *an, const tl_article *a, tl_prepared **out, tl_error *err);

/**
 * Streaming preparation, so that memory does not grow with an article's
 * size: _begin splits the article into passages (*npassages, if not NULL,
 * receives their number), then each _next analyzes the next chunk of at
 * most max_passages passages (0: no limit) and about max_bytes bytes of
 * text (0: no limit; a chunk holds at least one passage) into *out, and
 * returns TL_DONE when the article has no passage left (an article without
 * passages gives one empty chunk first). The article must stay valid and
 * unchanged, and the analysis serve no other article, until TL_DONE.
 * Errors as tl_index_prepare.
 */
int tl_index_prepare_begin(tl_analysis *an, const tl_article *a, size_t *npassages, tl_error *err);

/**
 * The number of documents (chunks) that tl_index_prepare_next, with the same
 * max_passages and max_bytes, makes of the article _begin split: 0 for an
 * article without passages, which makes none.
 */
size_t tl_index_chunk_count(const tl_analysis *an, size_t max_passages, size_t max_bytes);
int tl_index_prepare_next(tl_analysis *an, const tl_article *a, size_t max_passages,
                          size_t max_bytes, tl_prepared **out, tl_error *err);

/** Frees a prepared article; NULL is allowed. */
void tl_prepared_free(tl_prepared *p);

/**
 * Replaces every passage the index holds for the prepared article's id by
 * its documents (the writing half of tl_index_add; the thread that owns
 * ix). For a chunk (tl_index_prepare_next), the first chunk (first == 0)
 * deletes the article's old passages and adds its documents, and each
 * later chunk only adds its own: put the chunks in order. *existed (if not
 * NULL) is set to 1 when the article was in the index before (first chunk
 * only; 0 for later chunks). A commit between two chunks of one article
 * makes the article's old passages gone and only some new ones present in
 * the committed index. Errors: TL_ERR_XAPIAN.
 */
int tl_index_put(tl_index *ix, const tl_prepared *p, int *existed, tl_error *err);

/** The stemmer the index is built with (owned by ix). */
const char *tl_index_stemmer(const tl_index *ix);

/** The index's store, for metadata and deletions in its transaction. */
tl_store *tl_index_store(tl_index *ix);

/** The number of passages in the index. */
unsigned long tl_index_passage_count(const tl_index *ix);

/**
 * Closes the index. What was not committed is discarded: the index keeps
 * its last committed state. NULL is allowed.
 */
void tl_index_close(tl_index *ix);

/**
 * Writes the term that marks all passages of an article: TL_PREFIX_ID + id,
 * or TL_PREFIX_ID "#" + a 64-bit FNV-1a hash of id in hex when id is longer than
 * TL_ID_TERM_MAX bytes. buf must hold TL_ID_TERM_MAX + 2 bytes; returns
 * the term's length.
 */
size_t tl_index_article_term(const char *id, char *buf);

#ifdef __cplusplus
}
#endif

#endif
