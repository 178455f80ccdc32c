/*
 * index.h - building and updating an index: an indexing run, and the
 * figures and compaction of an index.
 *
 * An update reads files (.txt, .jsonl, and both gzip-compressed) into
 * articles, splits them into passages and writes one Xapian document per
 * passage, incrementally: a file whose size and mtime, or else whose
 * content hash, are those recorded at its last indexing is not read again,
 * and in a changed JSON Lines file an article whose content hash and
 * passage count the index holds is not analyzed again. Analysis runs on
 * `jobs` threads; the documents are written by one thread per database, in
 * an order that does not depend on the number of threads, so that the
 * index holds the same documents for any `jobs`. With shards, each article
 * goes to the shard its id hashes to (XXH3-64 of its term, modulo the
 * number of shards) and a stub database at the index's path lists the
 * shards ("DB.shardK" beside it), for searching them as one.
 *
 * Each commit is atomic: an interrupted update leaves the index as it was
 * at its last commit, and a file's state is recorded only with the whole
 * file's documents.
 */
#ifndef TELUSUR_PUBLIC_INDEX_H
#define TELUSUR_PUBLIC_INDEX_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most shard databases an index may have. */
#define TL_UPDATE_MAX_SHARDS 64

/** Size of tl_update_summary.reasons: one count per status code. */
#define TL_UPDATE_REASONS 12

/** Where an update is, for a progress display. */
typedef struct tl_update_progress {
  unsigned long files;            /**< files read or found unchanged */
  unsigned long skipped_files;    /**< files that could not be read */
  unsigned long skipped_records;  /**< articles that could not be read */
  unsigned long total_files;      /**< files expected (tl_update_expect); 0: unknown */
  unsigned long articles;         /**< articles read (new, changed or unchanged) */
  unsigned long passages;         /**< passages analyzed */
  unsigned long long bytes_done;  /**< bytes of text read or passed over as unchanged
                                       (uncompressed, for .gz the size gzip records) */
  unsigned long long bytes_total; /**< bytes expected (tl_update_expect); 0: unknown */
  double seconds;                 /**< since tl_update_open */
} tl_update_progress;

/** Options of tl_update_open; start from tl_update_options_default(). */
typedef struct tl_update_options {
  const char *stemmer;     /**< NULL: the index's own, or "indonesian" for a new one */
  const char *data_dir;    /**< NULL: tl_data_dir() */
  unsigned jobs;           /**< analysis threads; 0: the number of cores */
  unsigned batch;          /**< articles per commit (also at the latest every 2 MB of
                                passage text per database); 0: 1000 */
  unsigned shards;         /**< 0 or 1: as the index is (one database when new); N > 1:
                                N shard databases and a stub (must match an existing stub) */
  int prune;               /**< ignored: gone files are removed unless no_delete */
  int no_delete;           /**< non-zero: keep the articles of the files recorded
                                under the paths given that are gone (by default
                                tl_update_finish removes them) */
  const char *date_format; /**< a strptime(3) format tried first on article
                                dates (e.g. "%m/%d/%Y %H:%M"), before ISO 8601
                                and RFC 2822; NULL: none. Must stay valid
                                until tl_update_free */
  /** Called after each piece of work (a file passed over, an article, a
   * file done), on the thread calling tl_update_add_path or
   * tl_update_finish; p is valid during the call. NULL: none. */
  void (*progress)(void *ctx, const tl_update_progress *p);
  /** Called for each one-line note on the input, on the same thread:
   * code TL_OK for a path passed over (not a file of a known format),
   * else the status code of a file or record skipped (TL_ERR_IO,
   * TL_ERR_FORMAT, TL_ERR_UTF8, TL_ERR_LIMIT, ...); msg names the file and
   * the line or byte offset, valid during the call. NULL: none. */
  void (*note)(void *ctx, int code, const char *msg);
  void *ctx; /**< passed to progress and note */
} tl_update_options;

/** The default options: stemmer and data_dir NULL, jobs 0, batch 1000,
 * shards 0, gone files removed, no date format, no callbacks. */
tl_update_options tl_update_options_default(void);

/** What an update did, from tl_update_finish. */
typedef struct tl_update_summary {
  unsigned long files;           /**< files read or found unchanged */
  unsigned long articles;        /**< articles read: added + replaced + unchanged */
  unsigned long added;           /**< articles new to the index */
  unsigned long replaced;        /**< articles whose passages were replaced */
  unsigned long unchanged;       /**< articles of unchanged files or unchanged lines */
  unsigned long removed;         /**< articles removed: gone from a file read
                                      again, or of a file that is gone */
  unsigned long undated;         /**< articles read whose date was not understood
                                      (indexed without a date; each also
                                      reported by a note of code TL_OK) */
  unsigned long passages;        /**< passages analyzed and written */
  unsigned long index_passages;  /**< passages the index holds at the end */
  unsigned long long bytes;      /**< bytes of text read (uncompressed) */
  double seconds;                /**< since tl_update_open */
  unsigned long skipped_files;   /**< files that could not be read */
  unsigned long skipped_records; /**< articles that could not be read */
  /** skipped files and records by status code (reasons[TL_ERR_IO], ...;
   * reasons[0] counts codes outside the array); see tl_update_reason_name */
  unsigned long reasons[TL_UPDATE_REASONS];
  int stopped; /**< 1 when an error stopped the update (nothing after its
                    last commit was kept) */
} tl_update_summary;

/** A short static name for the reason a file or record was skipped (index
 * into tl_update_summary.reasons): "unreadable", "malformed", "invalid
 * UTF-8", "too large", "unknown format", "out of memory", else "other". */
const char *tl_update_reason_name(int code);

typedef struct tl_update tl_update;

/**
 * Opens the index at db_path for an update (creating it when missing: one
 * database, or with opts->shards > 1 the shards and the stub; a regular
 * file at db_path is read as a stub database listing the shards), starts
 * the analysis and writer threads. opts NULL: the defaults. Errors:
 * TL_ERR_USAGE (db_path is not a stub database; a stub with another number
 * of shards, or a single database where shards were asked; more than
 * TL_UPDATE_MAX_SHARDS shards; a stemmer other
 * than the index's, or unknown), TL_ERR_LOCK (another writer),
 * TL_ERR_NOTFOUND (lexicon or stopwords missing), TL_ERR_XAPIAN,
 * TL_ERR_IO, TL_ERR_NOMEM. Free with tl_update_free(). The update's
 * functions belong to the thread that opened it (it runs threads of its
 * own); several updates of one index cannot run at once (TL_ERR_LOCK).
 */
tl_status tl_update_open(const char *db_path, const tl_update_options *opts, tl_update **out,
                         tl_error *err);

/**
 * Adds the files under path to the totals that progress reports
 * (tl_update_progress.total_files and bytes_total), for a time-left
 * estimate; reads no file's content. Call it before tl_update_add_path.
 */
void tl_update_expect(tl_update *u, const char *path);

/**
 * Indexes path: a file, or a directory walked recursively in byte order of
 * names (hidden names and unknown formats passed over with a note). The
 * work is queued; notes and progress are reported as it is done (also
 * during later calls). Input that cannot be read is noted and skipped, not
 * an error. A path that does not exist is noted and skipped, and the
 * articles recorded under it are kept (a folder moved or unmounted, a name
 * mistyped), unless it is itself a file the index recorded: that file was
 * deleted, and its articles go as a gone file's do (tl_update_finish). A
 * directory in which the walk finds no file to read, under which the index
 * recorded files (an unmounted mount point), is noted and its articles kept.
 * What is kept so is kept even below another path given to the update.
 * Errors (the update has then stopped: call tl_update_finish
 * for the summary): TL_ERR_XAPIAN, TL_ERR_IO (the index could not be
 * written), TL_ERR_ICU, TL_ERR_NOMEM, or the error of an earlier call.
 */
tl_status tl_update_add_path(tl_update *u, const char *path, tl_error *err);

/**
 * Waits for the work queued, then, unless an error stopped the update,
 * records the files' states, removes the articles of gone files
 * that were recorded under a path given to tl_update_add_path (unless
 * opts->no_delete; files recorded under other paths are not touched), and
 * commits every database. Fills *summary (if not NULL)
 * in every case. Returns TL_OK, or the error that stopped the update (the
 * same as an earlier tl_update_add_path returned, if one did); the index
 * then keeps its last commit. Call it once; then tl_update_free().
 */
tl_status tl_update_finish(tl_update *u, tl_update_summary *summary, tl_error *err);

/**
 * Stops the threads, closes the index and frees. Before tl_update_finish
 * it aborts: what was not committed is discarded. NULL is allowed.
 */
void tl_update_free(tl_update *u);

/** Figures of an index, from tl_index_stats. */
typedef struct tl_index_stats_t {
  unsigned long articles;   /**< distinct article ids */
  unsigned long passages;   /**< documents */
  unsigned long long terms; /**< distinct terms, all prefixes */
  unsigned long long bytes; /**< size of its files on disk, every shard's */
  unsigned shards;          /**< databases (1 unless a stub) */
  char stemmer[64];         /**< the stemmer it is built with; "" unknown */
  char updated[64];         /**< last commit of an update, ISO 8601 UTC; "" unknown */
} tl_index_stats_t;

/**
 * Reads the figures of the index (or stub database) at path into *out.
 * Errors: TL_ERR_NOTFOUND (no database there), TL_ERR_XAPIAN, TL_ERR_IO,
 * TL_ERR_NOMEM.
 */
tl_status tl_index_stats(const char *path, tl_index_stats_t *out, tl_error *err);

/**
 * Reads the name of the stemmer the index (or stub database) at path was
 * built with into buf (size bytes, NUL-terminated; "" when the index does
 * not record one), without counting anything: what telusur-analyze -d
 * needs to analyze words as the index does. Errors: TL_ERR_NOTFOUND (no
 * database there), TL_ERR_XAPIAN, TL_ERR_LIMIT (the name does not fit),
 * TL_ERR_NOMEM.
 */
tl_status tl_index_read_stemmer(const char *path, char *buf, size_t size, tl_error *err);

/**
 * Compacts the index at path in place (Xapian's compaction; each shard of
 * a stub), safely: under the writer lock, into a new directory that then
 * replaces the old one; on any error the index is left as it was. *before
 * and *after (if not NULL) receive the sizes in bytes. Errors: TL_ERR_LOCK
 * (another writer), TL_ERR_NOTFOUND, TL_ERR_XAPIAN, TL_ERR_IO.
 */
tl_status tl_index_compact(const char *path, unsigned long long *before, unsigned long long *after,
                           tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
