/*
 * expand.h - expansion of queries: a query's acronym (a word typed in
 * capitals, BPS) is also searched by its long forms ("badan pusat
 * statistik"), a long form typed in full by its acronym, and a word the
 * index does not hold by its spelling correction, all weighted below what
 * was typed (tl_search_options.expand_weight).
 *
 * The table joins the project's list lexicon/acronyms.txt ("SHORT<TAB>long
 * form") and the acronyms the index found defined in its text
 * (TL_PREFIX_ACRONYM terms, schema.h: they go with the passages that define
 * them), up to TL_ACRONYM_FORMS long forms per short form, those defined in
 * most passages. It is read once when a searcher opens.
 */
#ifndef TELUSUR_SEARCH_EXPAND_H
#define TELUSUR_SEARCH_EXPAND_H

#include "search/query.h"
#include "telusur/error.h"
#include "xapian/store.h"

typedef struct tl_acronyms tl_acronyms;

/**
 * Reads the acronym table of data_dir/lexicon/acronyms.txt and of the index
 * st. Errors: TL_ERR_NOTFOUND (no acronyms.txt), TL_ERR_IO, TL_ERR_XAPIAN,
 * TL_ERR_NOMEM.
 */
tl_status tl_acronyms_load(tl_store *st, const char *data_dir, tl_acronyms **out, tl_error *err);

/** Frees the table; NULL is allowed. */
void tl_acronyms_free(tl_acronyms *a);

/**
 * Whether the table a (NULL: none) holds the short form acr (len bytes,
 * lower case).
 */
int tl_acronyms_has(const tl_acronyms *a, const char *acr, size_t len);

/**
 * The expansion of query q: *out receives *nout expansions, each a run of
 * words of q (an acronym, or a long form it spells) and what it is also
 * searched as (tl_expansion: its long form, or the acronym), none applied
 * yet; NULL and 0 when nothing expands. Initials (BPS) expand when typed in
 * capitals, a syllabic acronym (Bappenas) however it is typed, but one a
 * text defined not in lower case when it is a word of the analyzer an's
 * lexicon or a name (redam, asia; an NULL: no such check); a short form
 * of two words (Komnas HAM, UU ITE) as either of its words would, and is
 * searched as a phrase where a long form stands for it. The
 * expansions' strings are the table's, valid while a is; the caller frees
 * the array *out. Excluded words are expanded too, so that an exclusion
 * leaves out both forms.
 * Errors: TL_ERR_NOMEM.
 */
tl_status tl_acronyms_expand(const tl_acronyms *a, tl_analyzer *an, const tl_query *q,
                             tl_expansion **out, size_t *nout, tl_error *err);

/**
 * A line for people of the n expansions at e that a search applied
 * (tl_expansion.applied): "BPS -> badan pusat statistik; lembaga ilmu
 * pengetahuan indonesia -> LIPI; stalakmit -> stalagmit", acronyms in
 * capitals, spelling corrections in lower case. *out receives it,
 * malloc'd (the caller frees it), or NULL when none was applied.
 * Errors: TL_ERR_NOMEM.
 */
tl_status tl_expansions_shown(const tl_expansion *e, size_t n, char **out, tl_error *err);

/**
 * A spelling suggestion for query q, whose words were analyzed from its
 * text by analyzer an: each word of letters a-z that the index st does not
 * hold is replaced by its correction (tl_store_spelling), the rest of the
 * text is kept. *out receives the corrected query, or NULL when no word was
 * corrected; the caller frees it. Unless fixes is NULL, *fixes receives the
 * *nfixes corrections as expansions (tl_expansion: from a word's lower-case
 * form, to its correction, correction set; NULL and 0 when none), their
 * strings in the same block: the caller frees *fixes alone. Left alone:
 * operators, negated words, numbers, acronyms, a word whose stem the index
 * holds (the search finds its family already: mengulangi, not mengurangi)
 * and a root the analyzer's lexicon knows (tl_analyzer_is_known): a
 * correction there would only swap one real word for another (mendiang ->
 * mending, lintah -> lintas). Nor is a word typed with a capital letter
 * after the query's first word: a name the index lacks, not a typo (Vardy
 * -> vary, Pesawaran -> penawaran, Kempo -> kemp); the first word's
 * capital is the sentence's. An acronym typed in capitals, of 3 letters or
 * more, that neither the index nor the acronym table acr (NULL: none)
 * holds is replaced by the acronym of the table it is a slip of (two
 * neighbours swapped, a letter doubled: DRP -> DPR, BMGK -> BMKG, DPRR ->
 * DPR) that is in most passages of the index, in capitals; not by one a
 * letter changed, added or dropped away, mostly another acronym (DPT, DPR).
 * Errors: TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
tl_status tl_spelling_suggest(tl_store *st, tl_analyzer *an, const tl_acronyms *acr,
                              const tl_query *q, char **out, tl_expansion **fixes, size_t *nfixes,
                              tl_error *err);

#endif
