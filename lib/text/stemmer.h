/*
 * stemmer.h - one interface over the Indonesian stemmers telusur knows.
 *
 * The analyzer calls exactly one stemmer, for indexing and for queries
 * alike, so that every form a passage contains, typed as a query, reaches
 * the same stem. Shaped after Snowball's libstemmer.h.
 *
 * Thread safety: a tl_stemmer handle must be used by one thread at a time;
 * create one handle per thread.
 */
#ifndef TELUSUR_STEMMER_H
#define TELUSUR_STEMMER_H

#include "telusur/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_stemmer tl_stemmer;

/**
 * Creates a stemmer by name:
 *  - "indonesian": telusur's dictionary-aware confix stripper (see stem_id.h);
 *  - "snowball":   Snowball's `indonesian` stemmer (Tala 2003), through
 *                  libstemmer, as used by Xapian and Lucene;
 *  - "none":       returns every word unchanged.
 * data_dir: the directory holding telusur's `lexicon/` (NULL: tl_data_dir()).
 * On success *out owns a handle to release with tl_stemmer_free().
 * Errors: TL_ERR_USAGE (unknown name), TL_ERR_NOTFOUND (a lexicon file is
 * missing), TL_ERR_IO, TL_ERR_NOMEM.
 */
int tl_stemmer_create(const char *name, const char *data_dir, tl_stemmer **out, tl_error *err);

/**
 * Stems one word. word: `len` bytes of UTF-8, already case-folded (NFKC
 * casefold), may contain hyphens ("negara-negara", "di-phk").
 * Returns a pointer to the stem's bytes and sets *stem_len (bytes); the
 * memory belongs to the handle and stays valid until the next call on it.
 * Never fails: a word it cannot stem is returned unchanged.
 */
const char *tl_stemmer_stem(tl_stemmer *s, const char *word, size_t len, size_t *stem_len);

/**
 * Whether the stemmer's lexicon knows the case-folded word (len bytes; see
 * tl_idstem_known); 0 for the stemmers without a lexicon (snowball, none).
 */
int tl_stemmer_known(tl_stemmer *s, const char *word, size_t len);

/** The name the handle was created with (static string). */
const char *tl_stemmer_name(const tl_stemmer *s);

/**
 * A hash of the stemmer's lexicon files (tl_idstem_lexicon_hash); 0 for
 * the stemmers without a lexicon (snowball, none).
 */
uint64_t tl_stemmer_lexicon_hash(const tl_stemmer *s);

/** Releases the handle; NULL is allowed. */
void tl_stemmer_free(tl_stemmer *s);

#ifdef __cplusplus
}
#endif

#endif
