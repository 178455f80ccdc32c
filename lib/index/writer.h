/*
 * writer.h - one database and the thread that writes it.
 *
 * A writer owns an open index (documents.h) and, once started, a thread
 * that takes prepared articles and file states from a bounded queue and
 * writes them into the index's transaction, committing every `batch`
 * articles and whenever 2 MB of passage text wait uncommitted (512 KB in an
 * index the writer creates: COMMIT_BYTES and COMMIT_BYTES_NEW in writer.c). Before tl_writer_start
 * and after tl_writer_stop the index belongs to the calling thread (tl_writer_index,
 * tl_writer_commit).
 */
#ifndef TELUSUR_WRITER_H
#define TELUSUR_WRITER_H

#include "index/documents.h"
#include "index/manifest.h"
#include "telusur/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_writer tl_writer;

/**
 * Opens (creating when missing) the index at path (tl_index_open) for a
 * writer that commits every batch articles (>= 1). An index this call
 * creates (nothing at path) is built without syncing each commit to disk
 * (tl_index_options.create; opts->create is ignored): tl_writer_sync makes
 * it durable at the end. Errors as tl_index_open. Free with
 * tl_writer_free().
 */
int tl_writer_open(const char *path, const tl_index_options *opts, unsigned batch, tl_writer **out,
                   tl_error *err);

/** Starts the writer's thread. Errors: TL_ERR_NOMEM (no thread). */
int tl_writer_start(tl_writer *w, tl_error *err);

/**
 * Queues a prepared article chunk (taken: freed by the writer in every
 * case), waiting while the queue is full. Returns TL_OK, or the error that
 * stopped the writer (copied into err; the chunk is dropped).
 */
int tl_writer_put(tl_writer *w, tl_prepared *p, tl_error *err);

/** Queues a file's state and its notes (NULL: none; see tl_manifest_put;
 * both copied), as tl_writer_put; st NULL: removes the state recorded for
 * path, so that the next run reads the file again. */
int tl_writer_put_state(tl_writer *w, const char *path, const tl_file_state *st, const char *notes,
                        tl_error *err);

/**
 * Queues the removal of the articles of a file that it no longer holds:
 * those whose passages carry the file term fterm (tl_file_term, copied)
 * but whose id term's XXH3-64 is not among the nkeep hashes of keep
 * (malloc'd, taken: freed by the writer in every case; NULL when nkeep is
 * 0). Put it after the file's articles. Returns as tl_writer_put.
 */
int tl_writer_sweep(tl_writer *w, const char *fterm, uint64_t *keep, size_t nkeep, tl_error *err);

/**
 * Stops the thread after the commands queued and joins it (nothing when
 * it is not running). Returns TL_OK, or the error that stopped the writer.
 */
int tl_writer_stop(tl_writer *w, tl_error *err);

/**
 * Records the time of the update (TL_META_UPDATED) and commits; the thread
 * must not be running. Errors: TL_ERR_XAPIAN.
 */
int tl_writer_commit(tl_writer *w, tl_error *err);

/**
 * Syncs the index to disk (tl_store_sync) when the writer created it, after
 * its last commit; nothing otherwise (Xapian synced each commit). The
 * thread must not be running. Errors: TL_ERR_IO.
 */
int tl_writer_sync(tl_writer *w, tl_error *err);

/** The writer's index (the thread must not be running to write it). */
tl_index *tl_writer_index(tl_writer *w);

/** Articles added, replaced and removed (tl_writer_sweep) so far (read
 * after tl_writer_stop). */
void tl_writer_counts(const tl_writer *w, unsigned long *added, unsigned long *replaced,
                      unsigned long *removed);

/** Stops the thread, closes the index (discarding what was not committed)
 * and frees; NULL is allowed. */
void tl_writer_free(tl_writer *w);

#ifdef __cplusplus
}
#endif

#endif
