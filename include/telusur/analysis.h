/*
 * analyzer.h - text to terms: the one analysis used for indexing and for
 * queries, so that every word form a passage holds, typed as a query, finds
 * that passage.
 *
 * Steps, in order:
 *  1. ICU word segmentation (UAX #29 word boundaries, locale "id") over the
 *     UTF-8 text; segments of punctuation and space are not tokens.
 *  2. Normalization: NFKC case folding (Unicode NFKC_Casefold, which also
 *     drops default-ignorable characters such as the soft hyphen U+00AD);
 *     apostrophes inside words are removed (Jum'at = Jumat).
 *  3. Words joined by hyphens (negara-negara, di-PHK, COVID-19) are
 *     indexed part by part, and also as one joined term at the position of
 *     the first part, and stemmed as a whole.
 *     Two words that spell a closed compound of lexicon/compounds.txt
 *     (kerja sama, bekerja sama, ibu kota) are also indexed as the joined
 *     word at the position of the first, so that every spelling of a
 *     compound finds the others.
 *  4. Stemming through the stemmer interface (stemmer.h); acronyms (all
 *     capitals, 2 to 6 letters) and tokens with digits are never stemmed.
 *     Names stay names: a capitalised word that the gazetteer
 *     (lexicon/places.txt, lexicon/mountains.txt, lexicon/districts.txt)
 *     lists, or that follows a place word (gunung, kota, kabupaten,
 *     provinsi, pulau, ...) and is not ter- and its root (Kota Termacet, a
 *     headline's superlative), is its own stem and is flagged TL_TERM_NAME
 *     (Kediri stays kediri), while the same word in lower case is stemmed
 *     as a common word (kediri -> diri).
 *  5. Stopwords (a list under stopwords/) are flagged, not removed: they
 *     keep their positions so phrases still match; query parsing drops them
 *     outside phrases.
 * Byte offsets refer to the UTF-8 input, 0-based, end exclusive.
 */
#ifndef TELUSUR_ANALYZER_H
#define TELUSUR_ANALYZER_H

#include "error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Terms longer than this many bytes are not emitted (Xapian's limit is 245). */
#define TL_TERM_MAX 200

/** Flags passed with every term. */
enum tl_term_flags {
  TL_TERM_STEM = 1,      /**< the term is a stem (indexed with prefix "Z") */
  TL_TERM_JOINED = 2,    /**< a joined form of hyphenated or compound words */
  TL_TERM_ACRONYM = 4,   /**< from an all-capital word */
  TL_TERM_NUMBER = 8,    /**< the word holds a digit */
  TL_TERM_STOPWORD = 16, /**< the word is a stopword */
  TL_TERM_COMPOUND = 32, /**< with TL_TERM_JOINED: an open compound written
                              as two words (kerja sama), joined */
  TL_TERM_NAME = 64      /**< a capitalised name kept whole by the stemmer:
                              a word of the gazetteer, or a capitalised word
                              after a place word (Gunung Semeru, Kota Kediri) */
};

/** Options for tl_analyzer_create; zero-initialize and set what you need. */
typedef struct tl_analyzer_options {
  const char *stemmer;   /**< "indonesian", "snowball" or "none"; NULL: "indonesian" */
  const char *data_dir;  /**< holds stopwords/ and lexicon/; NULL: tl_data_dir() */
  const char *stopwords; /**< file names in data_dir/stopwords/ (an absolute
                              path: that file), comma separated, each under
                              256 bytes; NULL: "tala.txt"; "" for none */
} tl_analyzer_options;

typedef struct tl_analyzer tl_analyzer;

/**
 * Called for each term, word by word; the joined terms of a hyphen group
 * or an open compound come after the terms of their parts. term: len bytes, not
 * NUL-terminated, valid only during the call. start/end: the byte range of
 * the word in the input. pos: the term's position (a stem has the position
 * of its word). Return 0 to go on; any other value stops the analysis and
 * is returned by tl_analyzer_run.
 */
typedef int (*tl_term_fn)(void *ctx, int flags, const char *term, size_t len, size_t start,
                          size_t end, unsigned pos);

/**
 * Creates an analyzer. Errors: TL_ERR_USAGE (unknown stemmer),
 * TL_ERR_NOTFOUND (stopword list or lexicon missing), TL_ERR_ICU,
 * TL_ERR_IO, TL_ERR_NOMEM. One thread at a time per analyzer.
 */
tl_status tl_analyzer_create(const tl_analyzer_options *opts, tl_analyzer **out, tl_error *err);

/**
 * Analyzes len bytes of UTF-8 text (invalid sequences are read as U+FFFD),
 * calling fn for every term. Positions start at first_pos; *next_pos (if
 * not NULL) receives the position after the last word. Returns TL_OK, the
 * callback's non-zero value, or TL_ERR_NOMEM / TL_ERR_ICU / TL_ERR_LIMIT
 * (text over 1 GiB).
 */
tl_status tl_analyzer_run(tl_analyzer *a, const char *text, size_t len, unsigned first_pos,
                          tl_term_fn fn, void *ctx, unsigned *next_pos, tl_error *err);

/**
 * As tl_analyzer_run, without the stems: fn is called for the same word
 * forms and joined forms (never a term flagged TL_TERM_STEM), in the same
 * order, with the same positions, flags and byte ranges; the stemmer runs
 * only where it decides whether two words form a closed compound. Errors:
 * as tl_analyzer_run.
 */
tl_status tl_analyzer_run_words(tl_analyzer *a, const char *text, size_t len, unsigned first_pos,
                                tl_term_fn fn, void *ctx, unsigned *next_pos, tl_error *err);

/**
 * Normalizes and stems one already case-folded word, as indexing does.
 * Returns memory owned by the analyzer, valid until its next call.
 */
const char *tl_analyzer_stem(tl_analyzer *a, const char *word, size_t len, size_t *stem_len);

/** Whether a case-folded word is in the stopword list. */
int tl_analyzer_is_stopword(const tl_analyzer *a, const char *word, size_t len);

/**
 * Whether a case-folded word (len bytes) is a name of the gazetteer
 * (lexicon/places.txt, lexicon/mountains.txt, lexicon/districts.txt).
 */
int tl_analyzer_is_name(const tl_analyzer *a, const char *word, size_t len);

/**
 * Whether a case-folded word (len bytes of UTF-8) is, as it is, a word of
 * the Indonesian stemmer's lexicon: a root of its dictionaries (Debian's
 * hunspell-id, lexicon/roots.txt and the other lists of lexicon/) or a
 * spelling variant it maps (analisa, djalan); affixed forms are not looked
 * into. Always 0 with the snowball and none stemmers. Not thread-safe (as
 * tl_analyzer_stem).
 */
int tl_analyzer_is_known(tl_analyzer *a, const char *word, size_t len);

/** The stemmer's name ("indonesian", "snowball", "none"). */
const char *tl_analyzer_stemmer_name(const tl_analyzer *a);

/**
 * What decides a's terms, as a short string: the stemmer's name, the
 * version of the analysis code (one more at each change of the terms a text
 * gives) and a hash (XXH64, https://xxhash.com) of what the lexicon files
 * read say (hunspell-id, the lists of lexicon/, each by its name; comments
 * and line ends aside; not the stopword lists, which only queries read):
 * "indonesian 1 5f0c2a9e13d4b7a1". Two analyzers of equal
 * fingerprints give a text the same terms. An index records the
 * fingerprint of the analysis that built it (TL_META_ANALYSIS). Owned by a.
 */
const char *tl_analyzer_fingerprint(const tl_analyzer *a);

/** Frees the analyzer; NULL is allowed. */
void tl_analyzer_free(tl_analyzer *a);

#ifdef __cplusplus
}
#endif

#endif
