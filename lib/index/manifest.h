/*
 * manifest.h - the file-state table of incremental indexing, and the
 * content hashes it rests on.
 *
 * For every file indexed, the index keeps one Xapian metadata entry,
 * written in the same transaction as the file's documents so that both
 * commit atomically: key TL_META_FILE_PREFIX + path (or "#" + a hash of the
 * path when the path is over TL_MANIFEST_PATH_MAX bytes), value
 * "SIZE MTIME_NS HASH ARTICLES PASSAGES DATE_FORMAT NOTES_LEN\tPATH NOTES",
 * where HASH is the XXH3 64-bit hash of the file's bytes (as stored:
 * compressed for .gz) in hex, and NOTES (NOTES_LEN bytes, right after the
 * path) what reading the file reported of records it skipped, so that a
 * run that finds the file unchanged reports them again without reading it.
 *
 * A file is unchanged when its size and mtime are those recorded (no byte is
 * read), or, when they differ, when its content hash is. Each article's first
 * passage carries, in value slot TL_SLOT_ARTICLE_HASH, the
 * hash of its article (tl_article_hash) and in TL_SLOT_ARTICLE_ID its id, so that only the articles
 * of a changed JSON Lines file whose fields changed are analyzed again, and the term
 * tl_file_term(path), so that the articles of a file that is gone can be removed.
 */
#ifndef TELUSUR_MANIFEST_H
#define TELUSUR_MANIFEST_H

#include "index/schema.h"
#include "telusur/error.h"
#include "text/reader.h"
#include "xapian/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest path used as is in a key; longer ones are hashed. */
#define TL_MANIFEST_PATH_MAX 200
/** Bytes a key buffer needs. */
#define TL_MANIFEST_KEY_MAX (sizeof TL_META_FILE_PREFIX + TL_MANIFEST_PATH_MAX + 2)

/** What the index recorded of a file. */
typedef struct tl_file_state {
  uint64_t size;          /**< bytes on disk */
  int64_t mtime_ns;       /**< modification time, ns since the epoch */
  uint64_t hash;          /**< XXH3-64 of the bytes on disk */
  unsigned long articles; /**< articles indexed from it */
  unsigned long passages; /**< passages indexed from it */
  uint64_t date_format;   /**< XXH3-64 of the --date-format it was read with; 0: none
                               (and in a state recorded before it was kept) */
} tl_file_state;

/** Writes the metadata key of path into buf (TL_MANIFEST_KEY_MAX bytes). */
void tl_manifest_key(const char *path, char *buf);

/**
 * Reads the state of path into *st; *found is 1 when there is one, else 0
 * (and *st is zeroed). notes (may be NULL) receives the notes recorded with
 * it, malloc'd (the caller frees them), or NULL when there are none.
 * Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
int tl_manifest_get(tl_store *s, const char *path, tl_file_state *st, char **notes, int *found,
                    tl_error *err);

/**
 * Records the state of path (write mode), with notes (NULL or "": none), a
 * text of any bytes but NUL that tl_manifest_get gives back as it was.
 * Errors: TL_ERR_XAPIAN, TL_ERR_USAGE, TL_ERR_NOMEM.
 */
int tl_manifest_put(tl_store *s, const char *path, const tl_file_state *st, const char *notes,
                    tl_error *err);

/** Removes the state of path (write mode). Errors: TL_ERR_XAPIAN, TL_ERR_USAGE. */
int tl_manifest_delete(tl_store *s, const char *path, tl_error *err);

/**
 * Calls fn for every file recorded, in key order, with its path and state
 * (valid during the call); fn returns 0 to go on, non-zero to stop (that
 * value is returned). Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
typedef int (*tl_manifest_fn)(void *ctx, const char *path, const tl_file_state *st);
int tl_manifest_each(tl_store *s, tl_manifest_fn fn, void *ctx, tl_error *err);

/**
 * Stats path into *st (size and mtime; hash, articles and passages zero).
 * Errors: TL_ERR_IO (the message names the path and the reason).
 */
int tl_file_stat(const char *path, tl_file_state *st, tl_error *err);

/**
 * Hashes the bytes of the file at path (XXH3-64) into *hash. Errors:
 * TL_ERR_IO, TL_ERR_NOMEM.
 */
int tl_file_hash(const char *path, uint64_t *hash, tl_error *err);

/**
 * The canonical path of path (realpath(3): absolute, no symbolic link, no
 * "." or ".." component), malloc'd (the caller frees it); for a path that
 * does not exist, its directory's canonical path joined to its last
 * component. File states are recorded, and file terms made, from canonical
 * paths, so that every spelling of a file's path names one file. NULL on
 * error, with errno set (ENOENT: not even its directory exists; ENOMEM).
 */
char *tl_canonical_path(const char *path);

/** XXH3-64 of an article's id, title, text, text offset, date, url, source and path. */
uint64_t tl_article_hash(const tl_article *a);

/** Writes h as 16 lowercase hex digits and a NUL into buf (17 bytes). */
void tl_hash_hex(uint64_t h, char *buf);

/**
 * Writes the term marking every passage that came from path, TL_PREFIX_FILE + the hex
 * XXH3-64 of the path, into buf (18 bytes); returns its length (17).
 */
size_t tl_file_term(const char *path, char *buf);

#ifdef __cplusplus
}
#endif

#endif
