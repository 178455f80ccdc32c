/*
 * stem_id.h - telusur's dictionary-aware Indonesian stemmer.
 *
 * Confix stripping in the style of Nazief & Adriani (1996) and Enhanced
 * Confix Stripping (Arifin, Mahendra & Ciptaningtyas 2009): an affix is only
 * removed when what remains is a known root.
 */
#ifndef TELUSUR_STEM_ID_H
#define TELUSUR_STEM_ID_H

#include "telusur/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_idstem tl_idstem;

/**
 * Loads the root lexicon: the hunspell-id dictionary (env
 * TELUSUR_HUNSPELL_DIC, else /usr/share/hunspell/id_ID.dic) and
 * data_dir/lexicon/{roots,compounds,protected,exceptions,variants,places,mountains}.txt.
 * Errors: TL_ERR_NOTFOUND (a lexicon file is missing), TL_ERR_IO, TL_ERR_NOMEM. *out is
 * released with tl_idstem_free().
 */
int tl_idstem_create(const char *data_dir, tl_idstem **out, tl_error *err);

/**
 * Stems one case-folded UTF-8 word of len bytes (hyphens allowed).
 * Returns the stem (memory owned by the handle, valid until the next call)
 * and its length in bytes in *stem_len. One thread at a time per handle.
 */
const char *tl_idstem_stem(tl_idstem *s, const char *word, size_t len, size_t *stem_len);

/**
 * Whether the lexicon knows one case-folded UTF-8 word of len bytes as it
 * is: a root of one of its lists (hunspell-id, roots, compounds, protected,
 * variants), or a spelling variant it maps (analisa, djalan). Affixed forms
 * are not looked into. One thread at a time per handle, as tl_idstem_stem.
 */
int tl_idstem_known(tl_idstem *s, const char *word, size_t len);

/**
 * Whether the n bytes at s are a clitic written after a hyphen (nya, ku,
 * mu, lah, kah, pun: "rumah-nya", "KPK-nya"), in any ASCII letter case.
 */
int tl_idstem_is_clitic(const char *s, size_t n);

/**
 * A hash (XXH64, https://xxhash.com) of what the lexicon files the handle
 * read say, each by its name (the dictionary by its role), in the order
 * read (tl_data_hash_file, tl_data_hash_line): it changes with any entry.
 */
uint64_t tl_idstem_lexicon_hash(const tl_idstem *s);

/** Releases the handle; NULL is allowed. */
void tl_idstem_free(tl_idstem *s);

#ifdef __cplusplus
}
#endif

#endif
