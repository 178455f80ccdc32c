/*
 * strset.h - a set of byte strings, each with a dense id.
 *
 * Keys are byte strings with a length (they may hold NUL bytes). The set
 * copies each key once; the copy stays at the same address until
 * tl_strset_clear() or tl_strset_free(). Keys get the ids 0, 1, 2, ... in
 * the order they were first added, so a map from strings to values is a
 * set plus the caller's array of values indexed by id.
 *
 * Method: open addressing with linear probing over a power-of-two table
 * kept at most half full, hashed with XXH3 (64-bit) from libxxhash.
 * Not thread-safe for writers; concurrent readers (tl_strset_has, _key,
 * _count) are safe while no thread adds or clears.
 */
#ifndef TELUSUR_STRSET_H
#define TELUSUR_STRSET_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_strset tl_strset;

/**
 * Creates an empty set in *out, freed with tl_strset_free(). Returns TL_OK
 * or TL_ERR_NOMEM (*out is then NULL).
 */
int tl_strset_create(tl_strset **out);

/**
 * Makes room for n keys in all (those held counted), so that adding up to
 * that many grows nothing: for a set whose size is known ahead, one
 * allocation instead of a doubling series (each a copy, and fresh pages to
 * fault in). Returns TL_OK or TL_ERR_NOMEM (the set is then unchanged but
 * for a larger table).
 */
int tl_strset_reserve(tl_strset *s, size_t n);

/**
 * Adds the len bytes at key (key may be NULL when len is 0) unless the set
 * holds them already. *id (if id is not NULL) gets the key's id, new or
 * old; *added (if not NULL) gets 1 when the key is new, 0 when it was
 * there. Returns TL_OK or TL_ERR_NOMEM (the set is then unchanged).
 */
int tl_strset_add(tl_strset *s, const void *key, size_t len, size_t *id, int *added);

/**
 * Returns 1 when the set holds the len bytes at key, setting *id (if id is
 * not NULL) to its id; else 0 (*id untouched).
 */
int tl_strset_has(const tl_strset *s, const void *key, size_t len, size_t *id);

/** Number of keys in the set; the ids are 0 .. count - 1. */
size_t tl_strset_count(const tl_strset *s);

/**
 * Returns the set's copy of key id (id < count): its bytes followed by a
 * NUL, owned by the set and valid until tl_strset_clear or _free. *len (if
 * not NULL) gets the length in bytes, without the NUL.
 */
const char *tl_strset_key(const tl_strset *s, size_t id, size_t *len);

/** Removes every key (ids start again at 0), keeping the table's memory. */
void tl_strset_clear(tl_strset *s);

/** Frees the set and its keys; s may be NULL. */
void tl_strset_free(tl_strset *s);

#ifdef __cplusplus
}
#endif

#endif
