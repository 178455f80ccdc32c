/*
 * store.h - the C face of libxapian: the only module written in C++.
 *
 * Modelled on notmuch's C API over Xapian: opaque handles, status codes,
 * and a try/catch at every C boundary, so that every Xapian::Error becomes
 * TL_ERR_XAPIAN (TL_ERR_LOCK, TL_ERR_NOTFOUND for the lock and opening
 * errors, TL_ERR_MODIFIED when the revision a reader reads was discarded
 * by a writer's commits) with Xapian's own message, and no exception crosses into C.
 *
 * The terms, values and data an index's documents hold are described in
 * index/schema.h (Xapian omega's prefix conventions).
 */
#ifndef TELUSUR_STORE_H
#define TELUSUR_STORE_H

#include "telusur/error.h"
#include "telusur/search.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_store tl_store;
typedef struct tl_doc tl_doc;

/** Ways to open a store. */
enum tl_store_mode {
  TL_STORE_READ = 0,  /**< read only; the database must exist */
  TL_STORE_WRITE = 1, /**< read and write; created when missing; takes
                          the database's writer lock */
  TL_STORE_CREATE = 2 /**< as TL_STORE_WRITE, for a database being built
                           from nothing: commits are not synced to disk
                           (Xapian's DB_NO_SYNC); tl_store_sync makes the
                           result durable once at the end */
};

/**
 * Opens the Xapian database (or stub database) at path.
 * Errors: TL_ERR_NOTFOUND (read mode, no database there), TL_ERR_LOCK
 * (another writer holds the lock: the message names the lock file),
 * TL_ERR_XAPIAN, TL_ERR_NOMEM. Release with tl_store_close().
 */
tl_status tl_store_open(const char *path, int mode, tl_store **out, tl_error *err);

/**
 * Syncs every file of the database directory at path, the directory
 * itself and its entry in the directory that holds it, to disk (fsync(2)):
 * what TL_STORE_CREATE leaves to the end. path may also be a file (a stub
 * database): the file and its entry. Errors: TL_ERR_IO (nothing at path, a
 * directory that cannot be read, or a file or directory that cannot be
 * opened or synced; the message names it).
 */
tl_status tl_store_sync(const char *path, tl_error *err);

/** Default timeout of a remote shard (connecting, and each exchange), ms. */
#define TL_STORE_TIMEOUT_DEFAULT 10000

/**
 * Opens the database at path for reading (as tl_store_open in read mode).
 * A regular file at path is a stub database (Xapian's format): one
 * database a line, "auto PATH" (glass, chert too; PATH relative to the
 * file's directory) or "remote HOST:PORT" (a database xapian-tcpsrv
 * serves); the shards are searched as one database (Xapian's
 * multi-database: the statistics of them all). timeout_ms (0: the
 * default) bounds connecting to a remote shard and each exchange with it.
 * allow_partial: a shard that does not answer is left out (named by
 * tl_store_missing), and so is one that fails during a search (the search
 * is run again without it); without, either is an error naming the shard.
 * Errors: TL_ERR_NOTFOUND, TL_ERR_FORMAT (a stub line not understood: the
 * message names the file and line), TL_ERR_IO, TL_ERR_XAPIAN (a shard that
 * does not answer: the message names it, "shard HOST:PORT: ..."), every
 * shard missing), TL_ERR_NOMEM.
 */
tl_status tl_store_open_read(const char *path, unsigned timeout_ms, int allow_partial,
                             tl_store **out, tl_error *err);

/** The shards left out (allow_partial), ", "-separated; "" when none. Owned
 * by s, valid until the next call on s. */
const char *tl_store_missing(const tl_store *s);

/**
 * Closes the store. A write transaction still open is cancelled: nothing
 * of it is written. NULL is allowed.
 */
void tl_store_close(tl_store *s);

/** Number of documents (chunks of up to 64 passages of an article,
 * schema.h) in the store. */
unsigned long tl_store_doc_count(const tl_store *s);

/** Number of passages in the store (TL_TERM_PASSAGES summed); 0 when
 * Xapian fails. */
unsigned long tl_store_passage_count(const tl_store *s);

/** Mean passage length (word forms and stems of the passage and its
 * article's title, TL_SLOT_PASSAGES) over the store; 0 for an empty store,
 * or when Xapian fails. */
double tl_store_avg_length(const tl_store *s);

/**
 * Reads metadata key into *value (malloc'd, NUL-terminated, "" when unset;
 * the caller frees it); of a stub database, from the first of its shards
 * that holds documents (the first when none does). Errors: TL_ERR_XAPIAN,
 * TL_ERR_NOMEM.
 */
tl_status tl_store_get_metadata(tl_store *s, const char *key, char **value, tl_error *err);

/**
 * For a stub database, whose metadata tl_store_get_metadata reads from one
 * shard: whether the shards that answer and hold
 * documents differ in the value of metadata key (an unset value counts as
 * dflt). *out receives NULL when they agree (and for one database), else
 * the first two that differ with their values ("a.db 'indonesian', b.db
 * 'snowball'"), malloc'd; the caller frees it.
 * Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
tl_status tl_store_shards_differ(tl_store *s, const char *key, const char *dflt, char **out,
                                 tl_error *err);

/** Sets metadata key (write mode). Errors: TL_ERR_XAPIAN, TL_ERR_USAGE. */
tl_status tl_store_set_metadata(tl_store *s, const char *key, const char *value, tl_error *err);

/**
 * Starts a transaction (write mode): nothing of what follows is visible or
 * written until tl_store_commit(), which writes it all at once.
 * Errors: TL_ERR_XAPIAN, TL_ERR_USAGE (read-only store).
 */
tl_status tl_store_begin(tl_store *s, tl_error *err);

/** Commits the open transaction to disk. Errors: TL_ERR_XAPIAN. */
tl_status tl_store_commit(tl_store *s, tl_error *err);

/** Deletes every document indexed with term. Errors: TL_ERR_XAPIAN. */
tl_status tl_store_delete_term(tl_store *s, const char *term, size_t len, tl_error *err);

/** Adds a document (copied: doc stays the caller's). Errors: TL_ERR_XAPIAN. */
tl_status tl_store_add(tl_store *s, const tl_doc *doc, tl_error *err);

/** Creates an empty document. Errors: TL_ERR_NOMEM. Free with tl_doc_free(). */
tl_status tl_doc_create(tl_doc **out, tl_error *err);

/** Empties a document for reuse. */
void tl_doc_clear(tl_doc *d);

/** Frees a document; NULL is allowed. */
void tl_doc_free(tl_doc *d);

/**
 * Adds a term occurrence at position pos (1-based, as Xapian counts).
 * Errors: TL_ERR_USAGE (empty or over TL_INDEX_TERM_MAX, 245, bytes),
 * TL_ERR_NOMEM.
 */
tl_status tl_doc_add_posting(tl_doc *d, const char *term, size_t len, unsigned pos, tl_error *err);

/** Adds a term without position, raising its frequency by wdf. Errors as above. */
tl_status tl_doc_add_term(tl_doc *d, const char *term, size_t len, unsigned wdf, tl_error *err);

/**
 * Sets the document's records (len bytes at data, index/schema.h), stored
 * compressed in value slot TL_SLOT_RECORDS. Errors: TL_ERR_NOMEM.
 */
tl_status tl_doc_set_records(tl_doc *d, const char *data, size_t len, tl_error *err);

/** Sets value slot to a string. Errors: TL_ERR_NOMEM. */
tl_status tl_doc_set_value(tl_doc *d, unsigned slot, const char *v, size_t len, tl_error *err);

/**
 * Sets value slot to v as Xapian::sortable_serialise writes it: strings
 * that sort, byte by byte, in the order of the numbers (for sorting and
 * value ranges). Errors: TL_ERR_NOMEM.
 */
tl_status tl_doc_set_sortable(tl_doc *d, unsigned slot, double v, tl_error *err);

/**
 * Query-side hooks: stem returns the stem of a word (memory owned by the
 * callee, valid until its next call); stop says whether a word is a
 * stopword. Both receive case-folded UTF-8.
 */
typedef const char *(*tl_stem_fn)(void *ctx, const char *word, size_t len, size_t *stem_len);
typedef int (*tl_stop_fn)(void *ctx, const char *word, size_t len);

/** Options of a search; zero-initialize, then set (rank too: all zero is
 * BM25 with k1 = 0 and b = 0, no other evidence). */
/** An alternative of a run of a query's words (tl_search_options.expand). */
typedef struct tl_expansion {
  const char *from; /**< the run's word forms, lower case, separated by
                         spaces (a word may hold hyphens) */
  const char *to;   /**< what it is also searched as: words, lower case,
                         separated by spaces (searched as a phrase) or, with
                         to_acronym, one acronym of one word or two (a
                         phrase), lower case */
  int to_acronym;
  const char *shown; /**< the acronym (from, or to with to_acronym) as the
                          list writes it (Menko Perekonomian), or NULL:
                          shown in capitals, a syllabic one with a capital
                          first letter */
  int correction;    /**< 1: a spelling correction of the word from (shown in
                          lower case, searched by its stem, so that every
                          form of the word is found), not an acronym's */
  int applied;       /**< set to 1 by tl_store_search when the query holds the
                          run where an expansion can stand */
} tl_expansion;

typedef struct tl_search_options {
  tl_stem_fn stem;            /**< required */
  tl_stop_fn stop;            /**< NULL: no stopwords */
  void *ctx;                  /**< passed to stem and stop */
  unsigned offset;            /**< 0-based rank of the first hit to return */
  unsigned count;             /**< how many hits at most */
  int explain;                /**< fill tl_hit.explain with per-term weights */
  tl_rank_params rank;        /**< k1, b, exact_weight, prox_weight and
                                   prox_window, prf_*, in the ranges documented
                                   in search.h (tl_rank_params_check);
                                   rerank_depth is not the store's */
  const char *const *filters; /**< field terms (tl_field_term) the passages
                                   must have: those of one field (the same
                                   prefix up to ':') ORed, fields ANDed */
  size_t nfilters;
  int has_date;              /**< 1: only passages dated in the range: */
  double date_from, date_to; /**< POSIX seconds, both included */
  int sort;                  /**< TL_SORT_RELEVANCE, _NEWEST or _OLDEST */
  unsigned per_article;      /**< at most this many passages of an article
                                  (Xapian's collapse on TL_SLOT_ARTICLE_ID);
                                  0: no limit */
  unsigned block;            /**< documents per block of the ranking: sorting
                                  by relevance, passages are ranked a block of
                                  documents (in Xapian's order) after
                                  another, so that the first n hits of a
                                  search are the first n of any deeper one
                                  and pages join up; 0: 20 */
  unsigned lean_words;       /**< a query of this many distinct word forms
                                  or more finds its documents by its stems
                                  alone: the exact forms and the title weigh
                                  its passages only (the passages' scores are
                                  the same, the documents read may differ);
                                  0: never */
  tl_expansion *expand;      /**< nexpand alternatives of runs of the
                                  query's words, each searched in the run's
                                  place with its weights scaled by
                                  expand_weight: the acronym expansion
                                  (search/expand.h); their applied is set */
  size_t nexpand;
  double expand_weight;      /**< 0 to 1 */
  int count_matches;         /**< 1: count every match (tl_hits.passages_matched,
                                  articles_matched, filled by
                                  tl_store_hits_counts) */
  const char *const *facets; /**< keyword fields (names as in TL_SLOT_FIELDS,
                                  year and month included) whose matching
                                  articles are counted per value (also counts
                                  the matches, as count_matches); the names
                                  must live until tl_store_hits_counts */
  size_t nfacets;
  unsigned term_positions;           /**< the first this many hits carry the positions
                                          in their passage of the terms of
                                          position_terms, searched or not (tl_hit.
                                          term_pos: the reranker's candidates); 0:
                                          none */
  const char *const *position_terms; /**< terms as the index holds them (word
                                          forms, TL_PREFIX_STEM + stem; other
                                          prefixed terms are left out) */
  size_t nposition_terms;
} tl_search_options;

/** One ranked passage. */
typedef struct tl_hit {
  unsigned docid; /**< the document holding the passage */
  double score;   /**< BM25 relevance of the passage, its context added */
  char *data;     /**< the passage record, NUL-terminated */
  size_t data_len;
  char *explain;        /**< with explain: "term=weight " pairs, else NULL */
  unsigned long length; /**< the passage's length (as tl_store_avg_length) */
  unsigned *term_pos;   /**< with tl_search_options.term_positions, else NULL:
                             the positions in the passage of the term
                             tl_hits.pos_terms[i] (i from 0 to
                             tl_hits.npos_terms - 1) at term_pos[term_at[i]]
                             to term_pos[term_at[i + 1] - 1], ascending, each
                             once; 1-based from the passage's first position
                             (its heading's first word, else its text's). A
                             stem term's are those of the words whose stem it
                             is and of the word form spelt as it (a stem term
                             is not written where it is its word's form) */
  size_t *term_at;      /**< tl_hits.npos_terms + 1 offsets into term_pos */
} tl_hit;

/** Results of a search. */
typedef struct tl_hits {
  tl_hit *items;
  size_t count;
  unsigned long estimated; /**< Xapian's estimate of all matches */
  char *query;             /**< the parsed query, as Xapian describes it */
  char **terms;            /**< the query's terms (for highlighting) */
  size_t nterms;
  char **pos_terms; /**< with tl_search_options.term_positions: the
                         terms of position_terms but the prefixed ones
                         other than stems, each once, in byte order */
  size_t npos_terms;
  unsigned long passages_matched; /**< with count_matches: every matching passage (or
                                       an estimate: passages_estimated) */
  int passages_estimated;         /**< 1: passages_matched is estimated from a sample of the
                                       matching documents of several passages (more than 128
                                       of them, under a query whose match over a document
                                       tells whether one of its passages matches) */
  unsigned long articles_matched; /**< with count_matches: every matching article */
  tl_facet *facets;               /**< with facets: one per name of tl_search_options.facets, in
                                       that order (field: that name, not owned; values
                                       malloc'd, in no order; freed by tl_hits_free) */
  size_t nfacets;
  struct tl_counting *counting; /**< the counts under way (tl_store_hits_counts), or NULL */
} tl_hits;

/** The most terms one wildcard may expand to (Xapian's
 * QueryParser::set_max_expansion, WILDCARD_LIMIT_ERROR). */
#define TL_WILDCARD_MAX_TERMS 1000

/** The most wildcards in one query. */
#define TL_WILDCARD_MAX 20

/**
 * Parses query (Xapian QueryParser syntax: AND, OR, NOT, +/-, "phrases",
 * NEAR, title:, NAME:value for a keyword field as a boolean filter,
 * date:FROM..TO with days, months or years, either end optional, see
 * tl_date_bound) with the given stemmer and stopwords (stemming all words
 * outside phrases and not in capitals, Xapian's STEM_SOME) and ranks the
 * passages. The documents (chunks of articles, schema.h) are ranked first
 * by Xapian's BM25 over the query with NOT's right side left out; the
 * passages of the first max(20, offset + count + 10) of them (more while
 * fewer of their passages match, and a run of equal weights never cut) are
 * matched one by one as Xapian would match one document per passage (AND,
 * NOT, phrases and NEAR within a passage), and scored by BM25 (Robertson &
 * Zaragoza 2009) of the passage: wdf and length the passage's, document
 * frequencies and their number the index's documents', the mean length the
 * passages' (TL_TERM_LENGTH); each part of the query with its factor, plus
 * context_weight times the document's own BM25 weight (Callan 1994,
 * "Passage-level evidence in document retrieval"). *out is freed with
 * tl_hits_free(). The query must
 * not hold the XOR operator: Xapian 1.4.22 crashes in get_mset on some XOR
 * queries (tl_search_rewrite turns XOR into a plain word). A wildcard
 * (word*) may expand to at most TL_WILDCARD_MAX_TERMS terms, and a query
 * hold at most TL_WILDCARD_MAX wildcards: the work of a query stays bounded.
 * On shards (a stub) the answers are those of one database: wildcards are
 * expanded over the terms of all the shards, feedback terms weighted with
 * exact term frequencies, and passages of equal score (within a billionth;
 * and date, sorting by date) ordered by article id, then docid, also
 * across the cut at offset + count. A remote shard that fails is named
 * ("shard HOST:PORT: ..."); with allow_partial (tl_store_open_read) it is
 * left out and the search runs again on the others.
 * Errors: TL_ERR_USAGE (a query Xapian cannot parse, or an empty query),
 * TL_ERR_LIMIT (a wildcard expanding to too many terms, too many wildcards),
 * TL_ERR_MODIFIED (the index changed under the reader: tl_store_reopen
 * and retry), TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
tl_status tl_store_search(tl_store *s, const char *query, const tl_search_options *opts,
                          tl_hits **out, tl_error *err);

/**
 * The spelling correction of one case-folded word: the indexed word form
 * (letters a-z) with the same first letter nearest to it by the optimal
 * string alignment distance (Levenshtein with transpositions), within 1
 * edit, 2 edits for words over 6 bytes; of the nearest, the one in most
 * passages. A word of 6 bytes or more that the index holds in
 * TL_SPELLING_RARE passages or fewer (f) is taken for a typo in the text
 * when a word one edit away is in 50 f passages or more, and 20 at least
 * (kebijkan, kebijakan). Read from the term list at query time, so it
 * needs no data at index time and follows deletions and shards. *out
 * receives "" when the index holds the word more often or knows no
 * correction; free it with free().
 * Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
#define TL_SPELLING_RARE 2
tl_status tl_store_spelling(tl_store *s, const char *word, char **out, tl_error *err);

/**
 * Fills h's passages_matched, articles_matched and facets, for a search
 * with count_matches or facets (else does nothing). The count is a second
 * match, unweighted, over every document that may hold a matching passage,
 * then over their passages, 256 documents at a time (the ranking's own
 * match stops early: Xapian's max-weight pruning). On a machine of more than one core, for local
 * databases, it runs beside the ranking on a thread of its own with its own database handle,
 * started by tl_store_search: calling this after the caller's own work on the hits (reranking,
 * snippets) keeps that work beside it too. A count beside that saw another revision than s (a
 * writer committed in between) or failed is run again here. One count runs beside at a time: that
 * of a search started while another's is under way runs here, in the caller's thread. A second call
 * does nothing. Errors: TL_ERR_MODIFIED (the index changed under the reader), TL_ERR_XAPIAN,
 * TL_ERR_NOMEM.
 */
tl_status tl_store_hits_counts(tl_store *s, tl_hits *h, tl_error *err);

/** Frees search results (waiting for a count under way; the store must
 * still be open); NULL is allowed. */
void tl_hits_free(tl_hits *h);

/**
 * Reopens a read-only store at its latest committed revision.
 * Errors: TL_ERR_XAPIAN.
 */
tl_status tl_store_reopen(tl_store *s, tl_error *err);

/* ---- Maintenance, incremental indexing and shards (telusur-index) ---- */

/**
 * Number of documents indexed with term, into *n (0 when none); in write
 * mode it counts what the open transaction changed. A stem term
 * (TL_PREFIX_STEM + stem, or + TL_PREFIX_TITLE + stem) is counted as a
 * query searches it, with its word form (schema.h): the documents holding
 * either, counted when the rarer of the two is in at most 4,096 documents
 * and the other in at most 65,536, else Xapian's estimate for their OR,
 * df(stem term) + df(word) - df(stem term) * df(word) / documents, rounded.
 * A reader keeps the counts it has made (up to 65,536 terms, with those its
 * searches made) until it is reopened (tl_store_reopen).
 * Errors: TL_ERR_MODIFIED (reopen and retry), TL_ERR_XAPIAN.
 */
tl_status tl_store_term_count(tl_store *s, const char *term, size_t len, unsigned long *n,
                              tl_error *err);

/**
 * The value in slot of the first document indexed with term, into *value
 * (malloc'd, NUL-terminated, "" when no document has the term; the caller
 * frees it). Errors: TL_ERR_MODIFIED (reopen and retry), TL_ERR_XAPIAN,
 * TL_ERR_NOMEM.
 */
tl_status tl_store_first_value(tl_store *s, const char *term, size_t len, unsigned slot,
                               char **value, tl_error *err);

/**
 * Deletes every document indexed with term (write mode), and sets
 * *narticles (if not NULL) to the number of distinct non-empty values of
 * slot among them (the number of articles, with TL_SLOT_ARTICLE_ID). Errors: TL_ERR_XAPIAN,
 * TL_ERR_USAGE (read-only store).
 */
tl_status tl_store_delete_term_count(tl_store *s, const char *term, size_t len, unsigned slot,
                                     unsigned long *narticles, tl_error *err);

/**
 * Calls fn for each document indexed with term whose value in slot is not
 * empty, with that value (NUL-terminated, valid during the call); in write
 * mode it sees what the open transaction changed. fn returns 0 to go on, a
 * tl_status to stop (that status is returned). Errors: TL_ERR_MODIFIED
 * (reopen and retry), TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
typedef int (*tl_value_fn)(void *ctx, const char *value);
tl_status tl_store_term_values(tl_store *s, const char *term, size_t len, unsigned slot,
                               tl_value_fn fn, void *ctx, tl_error *err);

/**
 * Calls fn for each passage, in docid order and the passages' order, with
 * its record (len bytes, NUL-terminated, valid during the call). fn returns 0
 * to go on, a tl_status to stop (that status is returned). Errors:
 * TL_ERR_MODIFIED (reopen and retry), TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
typedef int (*tl_data_fn)(void *ctx, const char *data, size_t len);
tl_status tl_store_each_data(tl_store *s, tl_data_fn fn, void *ctx, tl_error *err);

/**
 * Calls fn for each metadata key starting with prefix, in key order, with
 * the key and its value (NUL-terminated, valid during the call). fn returns
 * 0 to go on, a tl_status to stop (that status is returned). Errors:
 * TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
typedef int (*tl_meta_fn)(void *ctx, const char *key, const char *value);
tl_status tl_store_metadata_each(tl_store *s, const char *prefix, tl_meta_fn fn, void *ctx,
                                 tl_error *err);

/**
 * Calls fn for each term of the index starting with prefix, in byte
 * order, with the term (len bytes, NUL-terminated, valid during the call)
 * and the number of documents holding it (over all shards). fn returns 0 to
 * go on, a tl_status to stop (that status is returned). Errors:
 * TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
typedef int (*tl_index_term_fn)(void *ctx, const char *term, size_t len, unsigned long passages);
tl_status tl_store_terms_each(tl_store *s, const char *prefix, tl_index_term_fn fn, void *ctx,
                              tl_error *err);

/** Figures of a database, from tl_store_stats(). */
typedef struct tl_store_stats_t {
  unsigned long documents;  /**< passages (TL_TERM_PASSAGES) */
  unsigned long articles;   /**< distinct article id terms (TL_PREFIX_ID) */
  unsigned long long terms; /**< distinct terms, all prefixes */
  unsigned long long bytes; /**< size of the database's files on disk */
  unsigned shards;          /**< databases combined (1 unless a stub) */
} tl_store_stats_t;

/**
 * Counts documents, articles and distinct terms of the database (or stub
 * database) at path, and adds up the size of its files (of every shard for
 * a stub). Errors: TL_ERR_NOTFOUND (no database there), TL_ERR_XAPIAN,
 * TL_ERR_IO, TL_ERR_NOMEM.
 */
tl_status tl_store_stats(const char *path, tl_store_stats_t *out, tl_error *err);

/**
 * Compacts the database at path in place (Xapian's compaction), safely:
 * it holds the writer lock throughout, so that no indexer writes meanwhile,
 * compacts into a new directory beside it (path + ".compact-tmp"), and
 * only then swaps the two by renaming; on any error the database is left
 * as it was. A stub database has each of its shards compacted. *before and
 * *after (if not NULL) receive the sizes in bytes. Errors: TL_ERR_LOCK
 * (another writer), TL_ERR_NOTFOUND, TL_ERR_XAPIAN, TL_ERR_IO.
 */
tl_status tl_store_compact(const char *path, unsigned long long *before, unsigned long long *after,
                           tl_error *err);

/**
 * Writes a Xapian stub database file at stub_path listing n shard
 * databases (paths relative to the stub file's directory, written as
 * "auto PATH" lines), atomically (a temporary file renamed over it).
 * Errors: TL_ERR_IO.
 */
tl_status tl_store_write_stub(const char *stub_path, const char *const *shards, size_t n,
                              tl_error *err);

/**
 * A 64-bit XXH64 digest of every document's id, data, terms (with wdf and
 * positions) and values, in docid order: equal digests mean the databases
 * hold the same documents. Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
tl_status tl_store_digest(tl_store *s, unsigned long long *out, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
