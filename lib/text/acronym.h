/*
 * acronym.h - acronym definitions found in running text: "Badan Pusat
 * Statistik (BPS)" and "BPS (Badan Pusat Statistik)".
 *
 * Algorithm: Schwartz & Hearst, "A simple algorithm for identifying
 * abbreviation definitions in biomedical text", PSB 2003, restricted to
 * initials: the short form is one token of 2 to 8 ASCII letters, at least
 * two of them capitals, and every letter of it, read right to left, must
 * be the first letter of a word of the long form (words split at spaces
 * and hyphens: Perserikatan Bangsa-Bangsa is PBB), in order; connecting
 * words (dan, untuk, dari, di, ke, pada, serta, yang, atas, bagi; and, of,
 * for, the) and the first half of a reduplication (Kitab Undang-Undang
 * Hukum Pidana is KUHP) may be skipped inside the long form. The long form is at most
 * 2 * letters + 2 words long and never crosses a sentence end.
 *
 * Syllabic acronyms (akronim, the Indonesian way of shortening names:
 * Wakil Presiden (Wapres), Badan Perencanaan Pembangunan Nasional
 * (Bappenas), Joko Widodo (Jokowi)) when the initials do not match: the
 * short form is one word of 4 to 12 ASCII letters, the first a capital, and
 * is, in order, a piece of each word of a long form of two or more
 * capitalised words (connecting words may give none), with more letters
 * than the long form has words, none of them the short form itself. A
 * piece is the word's start, the start of its root after a noun prefix
 * (ke-, per-, pe-, pem-, pen-, peng-, penge-, ber-, ter-: Kepolisian
 * Resor Kota is Polresta, Kementerian Perhubungan Kemenhub) or, but in the
 * first word, the word's end of two letters or more that is not a suffix
 * (-an, -kan, -nya, ...: Satuan Tugas is Satgas, Kejaksaan Negeri Kejari);
 * kepala gives ka (Kepala Kepolisian Daerah is Kapolda); a word in
 * capitals gives its start alone. Of the words before
 * "(", the fewest that spell it are the long form.
 *
 * A short form in parentheses may be two words, the second in capitals
 * (Komnas HAM, UU ITE, BP BUMN): their letters are matched as one short
 * form's, and the definition gives the two words as written.
 *
 * The same definitions written in words, as Indonesian laws and news write
 * them: "Long Form atau disingkat LF", "Long Form yang selanjutnya disebut
 * LF", "Long Form (disingkat dengan LF)": the short form after "disingkat"
 * or "disebut" (and "dengan", "menjadi", "sebagai"), the long form before
 * the words that lead to it (atau, yang, selanjutnya, biasa, lebih). The spelling rules write such
 * an acronym of a name with a capital first letter (Pedoman Umum Ejaan Bahasa Indonesia, 2015,
 * "Singkatan dan Akronim": Bulog, Bappenas).
 */
#ifndef TELUSUR_TEXT_ACRONYM_H
#define TELUSUR_TEXT_ACRONYM_H

#include <stddef.h>

/**
 * Called per definition found: the short form (as written) and the long
 * form (as written, in the text). Return 0 to go on; any other value stops
 * the scan and is returned by tl_acronym_scan.
 */
typedef int (*tl_acronym_fn)(void *ctx, const char *acr, size_t acr_len, const char *lng,
                             size_t lng_len);

/**
 * Whether word (len bytes, ASCII lower case) is a word of the language or a
 * name (tl_analyzer_is_known, tl_analyzer_is_name): nonzero if so.
 */
typedef int (*tl_acronym_word_fn)(void *ctx, const char *word, size_t len);

/**
 * Scans len bytes of UTF-8 text for acronym definitions, calling fn for
 * each. A syllabic short form that is_word (NULL: none) calls a word
 * (Redam, Asia, Medan) is defined only by a long form whose words give it
 * prefixes, their starts alone: a word's end or its root's start would
 * read common words as acronyms of what stands before them. Returns 0 or
 * fn's non-zero value. Never reads outside the text.
 */
int tl_acronym_scan(const char *text, size_t len, tl_acronym_word_fn is_word, void *word_ctx,
                    tl_acronym_fn fn, void *ctx);

/**
 * Writes the long form lng (lng_len bytes) normalized for storage into out
 * (capacity cap): ASCII lower case, runs of white space and punctuation
 * other than '-' as one space.
 * Returns the length written, 0 when it does not fit.
 */
size_t tl_acronym_normalize(const char *lng, size_t lng_len, char *out, size_t cap);

#endif
