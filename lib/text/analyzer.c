/* analyzer.c - ICU segmentation, normalization, stopwords and stemming. */
#include "telusur/analysis.h"

#include "text/stemmer.h"
#include "util/buf.h"
#include "util/data.h"
#include "util/strset.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* Words joined by hyphens: at most this many parts form one group. */
#define MAX_GROUP 6

typedef struct word {
  int32_t u_start, u_end; /* UTF-16 range */
  size_t b_start, b_end;  /* byte range in the input */
  size_t norm, norm_len;  /* normalized UTF-8 in the arena */
  int flags;              /* TL_TERM_ACRONYM, TL_TERM_NUMBER */
  int capital;            /* starts with a capital letter, not all capitals */
} word;

struct tl_analyzer {
  tl_stemmer *stemmer;
  tl_strset *stop;             /* stopwords */
  tl_strset *compounds;        /* closed compounds (kerjasama) */
  tl_strset *tails;            /* endings of compounds that are words (sama, kota) */
  tl_strset *names;            /* the gazetteer: place and mountain names */
  const UNormalizer2 *nfkd_cf; /* NFKC_Casefold, decomposed */
  const UNormalizer2 *nfc;
  UBreakIterator *bi;
  UChar *u16;
  size_t *off; /* byte offset of each UTF-16 unit, plus one past the end */
  size_t u16_cap, off_cap;
  UChar *nbuf, *cbuf; /* the word decomposed, then composed again */
  int32_t nbuf_cap, cbuf_cap;
  char *arena;
  size_t arena_len, arena_cap;
  word *words;
  size_t nwords, words_cap;
  char join[TL_TERM_MAX * 2 + 8];
  int words_only; /* during tl_analyzer_run_words: no stems */
  uint64_t hash;  /* of the lexicon, then of compounds.txt and the gazetteer */
  char fingerprint[64];
};

/* The version of the analysis of words by this code (the word breaks, the
 * stemmer's rules, the names kept, the acronyms an index finds defined):
 * one more at each change of what a text's terms are, so that an index
 * built before it is told from one built by it (tl_analyzer_fingerprint). */
#define ANALYSIS_VERSION 6

/* Adds every word of the list file at path ('#' starts a comment line);
 * hashes its name and what its lines say into *hash unless hash is NULL
 * (tl_data_hash_file, tl_data_hash_line). */
static int load_list(tl_strset *set, const char *path, uint64_t *hash, tl_error *err) {
  char lbuf[512];
  FILE *f = fopen(path, "r");
  if (!f)
    return tl_error_set(err, errno == ENOENT ? TL_ERR_NOTFOUND : TL_ERR_IO, "%s: %s", path,
                        strerror(errno));
  if (hash)
    *hash = tl_data_hash_file(*hash, path);
  while (fgets(lbuf, sizeof lbuf, f)) {
    size_t k = strcspn(lbuf, "\r\n#");
    if (hash)
      *hash = tl_data_hash_line(*hash, lbuf);
    while (k > 0 && (lbuf[k - 1] == ' ' || lbuf[k - 1] == '\t'))
      k--;
    if (k == 0)
      continue;
    if (tl_strset_add(set, lbuf, k, NULL, NULL) != TL_OK) {
      fclose(f);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  }
  if (ferror(f)) { /* a directory, a read error: not an empty list */
    int e = errno;
    fclose(f);
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(e));
  }
  fclose(f);
  return TL_OK;
}

static int load_stopwords(tl_analyzer *a, const char *dir, const char *names, tl_error *err) {
  const char *p = names;
  while (*p) {
    char path[4096];
    size_t n = strcspn(p, ",");
    int rc;
    if (n > 0) {
      int w = *p == '/' /* a path of its own */
                  ? snprintf(path, sizeof path, "%.*s", (int)n, p)
                  : snprintf(path, sizeof path, "%s/stopwords/%.*s", dir, (int)n, p);
      if (w < 0 || (size_t)w >= sizeof path)
        return tl_error_set(err, TL_ERR_USAGE, "stopword list %.*s...: name too long", 64, p);
      if ((rc = load_list(a->stop, path, NULL, err)) != TL_OK)
        return rc;
    }
    p += n + (p[n] == ',');
  }
  return TL_OK;
}

/* Loads the closed compounds and the set of their endings that could be
 * the second word of an open spelling. */
static int load_compounds(tl_analyzer *a, const char *dir, tl_error *err) {
  char path[4096];
  size_t i;
  int rc;
  snprintf(path, sizeof path, "%s/lexicon/compounds.txt", dir);
  if ((rc = load_list(a->compounds, path, &a->hash, err)) != TL_OK)
    return rc;
  for (i = 0; i < tl_strset_count(a->compounds); i++) {
    size_t n, k;
    const char *c = tl_strset_key(a->compounds, i, &n);
    for (k = 2; k + 3 <= n; k++)
      if (tl_strset_add(a->tails, c + k, n - k, NULL, NULL) != TL_OK)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* Words after which a capitalised word is a name (Gunung Semeru). */
static int is_place_word(const char *t, size_t n) {
  static const char *const w[] = {"gunung",    "kota",      "kabupaten", "kab",   "provinsi",
                                  "pulau",     "kecamatan", "kec",       "desa",  "kampung",
                                  "danau",     "sungai",    "teluk",     "selat", "tanjung",
                                  "kelurahan", "dusun",     "pegunungan"};
  size_t i;
  for (i = 0; i < sizeof w / sizeof *w; i++)
    if (strlen(w[i]) == n && memcmp(w[i], t, n) == 0)
      return 1;
  return 0;
}

/* Loads the gazetteer of names that are never stemmed when capitalised. */
static int load_names(tl_analyzer *a, const char *dir, tl_error *err) {
  static const char *const files[] = {"places.txt", "mountains.txt", "districts.txt"};
  char path[4096];
  size_t i;
  int rc;
  for (i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/lexicon/%s", dir, files[i]);
    if ((rc = load_list(a->names, path, &a->hash, err)) != TL_OK)
      return rc;
  }
  return TL_OK;
}

tl_status tl_analyzer_create(const tl_analyzer_options *opts, tl_analyzer **out, tl_error *err) {
  tl_analyzer *a;
  UErrorCode st = U_ZERO_ERROR;
  const char *dir = opts && opts->data_dir ? opts->data_dir : tl_data_dir();
  const char *stem = opts && opts->stemmer ? opts->stemmer : "indonesian";
  const char *stop = opts && opts->stopwords ? opts->stopwords : "tala.txt";
  int rc;
  *out = NULL;
  if (!(a = calloc(1, sizeof *a)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (tl_strset_create(&a->stop) != TL_OK || tl_strset_create(&a->compounds) != TL_OK ||
      tl_strset_create(&a->tails) != TL_OK || tl_strset_create(&a->names) != TL_OK) {
    tl_analyzer_free(a);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if ((rc = tl_stemmer_create(stem, dir, &a->stemmer, err)) == TL_OK)
    a->hash = tl_stemmer_lexicon_hash(a->stemmer);
  if (rc != TL_OK || (rc = load_stopwords(a, dir, stop, err)) != TL_OK ||
      (rc = load_compounds(a, dir, err)) != TL_OK || (rc = load_names(a, dir, err)) != TL_OK) {
    tl_analyzer_free(a);
    return rc;
  }
  snprintf(a->fingerprint, sizeof a->fingerprint, "%s %d %016llx", tl_stemmer_name(a->stemmer),
           ANALYSIS_VERSION, (unsigned long long)a->hash);
  a->nfkd_cf = unorm2_getInstance(NULL, "nfkc_cf", UNORM2_DECOMPOSE, &st);
  if (U_SUCCESS(st))
    a->nfc = unorm2_getNFCInstance(&st);
  if (U_SUCCESS(st))
    a->bi = ubrk_open(UBRK_WORD, "id", NULL, 0, &st);
  if (U_FAILURE(st)) {
    tl_analyzer_free(a);
    return tl_error_set(err, TL_ERR_ICU, "ICU: %s", u_errorName(st));
  }
  *out = a;
  return TL_OK;
}

void tl_analyzer_free(tl_analyzer *a) {
  if (!a)
    return;
  tl_stemmer_free(a->stemmer);
  tl_strset_free(a->stop);
  tl_strset_free(a->compounds);
  tl_strset_free(a->tails);
  tl_strset_free(a->names);
  if (a->bi)
    ubrk_close(a->bi);
  free(a->u16);
  free(a->off);
  free(a->nbuf);
  free(a->cbuf);
  free(a->arena);
  free(a->words);
  free(a);
}

int tl_analyzer_is_stopword(const tl_analyzer *a, const char *word, size_t len) {
  return tl_strset_has(a->stop, word, len, NULL);
}

int tl_analyzer_is_name(const tl_analyzer *a, const char *word, size_t len) {
  return tl_strset_has(a->names, word, len, NULL);
}

int tl_analyzer_is_known(tl_analyzer *a, const char *word, size_t len) {
  return tl_stemmer_known(a->stemmer, word, len);
}

const char *tl_analyzer_fingerprint(const tl_analyzer *a) {
  return a->fingerprint;
}

const char *tl_analyzer_stemmer_name(const tl_analyzer *a) {
  return tl_stemmer_name(a->stemmer);
}

const char *tl_analyzer_stem(tl_analyzer *a, const char *word, size_t len, size_t *stem_len) {
  return tl_stemmer_stem(a->stemmer, word, len, stem_len);
}

/* Converts UTF-8 to UTF-16, keeping the byte offset of every unit. */
static int to_utf16(tl_analyzer *a, const char *text, size_t len, size_t *n16) {
  size_t i = 0, n = 0;
  if (tl_array_reserve((void **)&a->u16, &a->u16_cap, len + 1, sizeof *a->u16) != TL_OK ||
      tl_array_reserve((void **)&a->off, &a->off_cap, len + 2, sizeof *a->off) != TL_OK)
    return TL_ERR_NOMEM;
  while (i < len) {
    int32_t k = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)text + i, k, (int32_t)(len - i < 4 ? len - i : 4), c);
    if (c < 0)
      c = 0xFFFD;
    a->off[n] = i;
    if (c > 0xFFFF) {
      a->u16[n++] = U16_LEAD(c);
      a->off[n] = i;
      a->u16[n++] = U16_TRAIL(c);
    } else {
      a->u16[n++] = (UChar)c;
    }
    i += (size_t)k;
  }
  a->off[n] = len;
  *n16 = n;
  return TL_OK;
}

static int is_apostrophe(UChar c) {
  return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x60 || c == 0xB4;
}

static int is_hyphen(UChar c) {
  return c == 0x2D || c == 0x2010 || c == 0x2011;
}

/* Sets w's flags (number, acronym) and drops its capital when all its
 * letters are capitals, from its counts of letters and capitals. */
static void set_kind(word *w, int32_t letters, int32_t upper, int digits) {
  if (upper == letters)
    w->capital = 0;
  w->flags = 0;
  if (digits)
    w->flags |= TL_TERM_NUMBER;
  else if (letters >= 2 && letters <= 6 && upper == letters)
    w->flags |= TL_TERM_ACRONYM;
}

/* A number whose periods group its thousands, as Indonesian writes them
 * (7.380, 1.500.000,50: Pedoman Umum Ejaan Bahasa Indonesia, 2016, on the
 * period), as its digits alone (7380, 1500000,50), so that either way of
 * writing it finds the other; a number with one period and other than three
 * digits after it (or a 0 before it), a decimal point as English writes it
 * (2.5, 0.125, 3.14), with the Indonesian decimal comma (2,5, 0,125, 3,14);
 * a time (08.30) so too, in the text and in queries alike. Dates
 * (12.10.2005) stay. s is the n bytes of a normalized word; returns its new
 * length. */
static size_t indonesian_number(char *s, size_t n) {
  size_t i, k;
  for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
    ;
  if (i == 0 || i == n || s[i] != '.')
    return n;
  for (k = i + 1; k < n && isdigit((unsigned char)s[k]); k++)
    ;
  if (k == n && k > i + 1 && (k - i - 1 != 3 || s[0] == '0')) { /* 2.5, 0.125: decimal points */
    s[i] = ',';
    return n;
  }
  if (i > 3 || s[0] == '0')
    return n;
  while (i < n && s[i] == '.') {
    if (i + 3 >= n || !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
        !isdigit((unsigned char)s[i + 3]) || (i + 4 < n && isdigit((unsigned char)s[i + 4])))
      return n;
    i += 4;
  }
  if (i < n) { /* a decimal comma and its digits, to the end */
    if (s[i] != ',' || i + 1 == n)
      return n;
    for (k = i + 1; k < n; k++)
      if (!isdigit((unsigned char)s[k]))
        return n;
  }
  for (i = k = 0; i < n; i++)
    if (s[i] != '.')
      s[k++] = s[i];
  return k;
}

/* normalize for a word of ASCII alone, whose NFKC case folding is its
 * letters in lower case: the same result, without ICU. */
static int normalize_ascii(tl_analyzer *a, word *w, tl_error *err) {
  int32_t i, letters = 0, upper = 0;
  int digits = 0;
  char *out;
  if (tl_array_reserve((void **)&a->arena, &a->arena_cap,
                       a->arena_len + (size_t)(w->u_end - w->u_start) + 1, 1) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  out = a->arena + a->arena_len;
  w->capital = 0;
  for (i = w->u_start; i < w->u_end; i++) {
    char c = (char)a->u16[i];
    int is_upper = c >= 'A' && c <= 'Z';
    if (c >= '0' && c <= '9')
      digits = 1;
    else if (is_upper || (c >= 'a' && c <= 'z')) {
      if (letters == 0)
        w->capital = is_upper;
      letters++;
      upper += is_upper;
    }
    if (!is_apostrophe((UChar)c))
      *out++ = is_upper ? (char)(c - 'A' + 'a') : c;
  }
  set_kind(w, letters, upper, digits);
  w->norm = a->arena_len;
  w->norm_len = (size_t)(out - (a->arena + a->arena_len));
  if (digits)
    w->norm_len = indonesian_number(a->arena + w->norm, w->norm_len);
  a->arena_len += w->norm_len;
  return TL_OK;
}

/* The plain letter of a Latin letter whose stroke or bar no decomposition
 * removes (Wrocław as wroclaw, Ørsted as orsted), as Lucene's
 * ASCIIFoldingFilter folds them; any other character as it is. */
static UChar plain_letter(UChar c) {
  switch (c) {
  case 0x0142: return 'l'; /* ł */
  case 0x00F8: return 'o'; /* ø */
  case 0x0111: return 'd'; /* đ */
  case 0x0127: return 'h'; /* ħ */
  case 0x0167: return 't'; /* ŧ */
  case 0x0131: return 'i'; /* dotless ı */
  case 0x0180: return 'b'; /* ƀ */
  case 0x01B6: return 'z'; /* ƶ */
  default: return c;
  }
}

/* Normalizes the n UTF-16 units at u with nf into *buf (capacity *cap,
 * grown as needed), *len units. Errors: TL_ERR_ICU, TL_ERR_NOMEM. */
static int normalized(const UNormalizer2 *nf, const UChar *u, int32_t n, UChar **buf, int32_t *cap,
                      int32_t *len, tl_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  for (;;) {
    *len = unorm2_normalize(nf, u, n, *buf, *cap, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR)
      break;
    st = U_ZERO_ERROR;
    free(*buf);
    *cap = *len + 16;
    if (!(*buf = malloc((size_t)*cap * sizeof **buf))) {
      *cap = 0;
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  }
  if (U_FAILURE(st))
    return tl_error_set(err, TL_ERR_ICU, "normalization: %s", u_errorName(st));
  return TL_OK;
}

/* Normalizes a->u16[s..e) into the arena; fills w. */
static int normalize(tl_analyzer *a, word *w, tl_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n, i, j, letters = 0, upper = 0, out_len = 0;
  int digits = 0, rc;
  for (i = w->u_start; i < w->u_end && a->u16[i] < 0x80; i++)
    ;
  if (i == w->u_end)
    return normalize_ascii(a, w, err);
  w->capital = 0;
  for (i = w->u_start; i < w->u_end; i++) {
    UChar c = a->u16[i];
    if (u_isdigit(c))
      digits = 1;
    else if (u_isalpha(c)) {
      if (letters == 0)
        w->capital = u_isupper(c) != 0;
      letters++;
      if (u_isupper(c))
        upper++;
    }
  }
  set_kind(w, letters, upper, digits);
  if ((rc = normalized(a->nfkd_cf, a->u16 + w->u_start, w->u_end - w->u_start, &a->nbuf,
                       &a->nbuf_cap, &n, err)) != TL_OK)
    return rc;
  /* diacritics left out, as Lucene's ASCIIFoldingFilter does (Niño as
   * nino, café as cafe): decomposed, nonspacing marks removed, composed
   * again (Unicode UAX #15) */
  for (i = j = 0; i < n; i++)
    if (!is_apostrophe(a->nbuf[i]) && u_charType(a->nbuf[i]) != U_NON_SPACING_MARK)
      a->nbuf[j++] = plain_letter(a->nbuf[i]);
  if ((rc = normalized(a->nfc, a->nbuf, j, &a->cbuf, &a->cbuf_cap, &n, err)) != TL_OK)
    return rc;
  if (tl_array_reserve((void **)&a->arena, &a->arena_cap, a->arena_len + (size_t)n * 3 + 1, 1) !=
      TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  st = U_ZERO_ERROR;
  u_strToUTF8(a->arena + a->arena_len, (int32_t)(a->arena_cap - a->arena_len), &out_len, a->cbuf, n,
              &st);
  if (U_FAILURE(st))
    return tl_error_set(err, TL_ERR_ICU, "UTF-8 conversion: %s", u_errorName(st));
  w->norm = a->arena_len;
  w->norm_len = (size_t)out_len;
  if (digits)
    w->norm_len = indonesian_number(a->arena + w->norm, w->norm_len);
  a->arena_len += w->norm_len;
  return TL_OK;
}

/* Emits a stem term unless it is too long. */
static int emit(tl_term_fn fn, void *ctx, int flags, const char *t, size_t n, size_t s, size_t e,
                unsigned pos) {
  if (n == 0 || n > TL_TERM_MAX)
    return 0;
  return fn(ctx, flags, t, n, s, e, pos);
}

static int space_between(const tl_analyzer *a, const word *v, const word *w);

/* Whether w is ter- and its root, as the stemmer reads it: a superlative
 * or a state (terbesar, termacet, tertinggal), not a name. */
static int ter_root(const tl_analyzer *a, const word *w) {
  const char *t = a->arena + w->norm, *stem;
  size_t sl;
  if (w->norm_len < 6 || memcmp(t, "ter", 3) != 0)
    return 0;
  stem = tl_stemmer_stem(a->stemmer, t, w->norm_len, &sl);
  return sl + 3 == w->norm_len && memcmp(stem, t + 3, sl) == 0;
}

/* Whether word i is a name: capitalised, and in the gazetteer or after a
 * place word (Gunung Semeru; not Kota Termacet of a headline in Title
 * Case). */
static int is_name(const tl_analyzer *a, size_t i) {
  const word *w = &a->words[i], *v = i > 0 ? &a->words[i - 1] : NULL;
  if (!w->capital || (w->flags & (TL_TERM_NUMBER | TL_TERM_ACRONYM)))
    return 0;
  if (tl_strset_has(a->names, a->arena + w->norm, w->norm_len, NULL))
    return 1;
  return v && space_between(a, v, w) && is_place_word(a->arena + v->norm, v->norm_len) &&
         !ter_root(a, w);
}

/* Emits the terms of one word: its surface form and its stem (the word
 * itself for a name). */
static int emit_word(tl_analyzer *a, const word *w, int name, unsigned pos, tl_term_fn fn,
                     void *ctx) {
  const char *t = a->arena + w->norm;
  int flags = w->flags | (name ? TL_TERM_NAME : 0);
  int rc;
  size_t sl;
  const char *stem;
  if (tl_analyzer_is_stopword(a, t, w->norm_len))
    flags |= TL_TERM_STOPWORD;
  if ((rc = emit(fn, ctx, flags, t, w->norm_len, w->b_start, w->b_end, pos)) || a->words_only)
    return rc;
  if (flags & (TL_TERM_ACRONYM | TL_TERM_NUMBER | TL_TERM_NAME)) {
    stem = t;
    sl = w->norm_len;
  } else {
    stem = tl_stemmer_stem(a->stemmer, t, w->norm_len, &sl);
  }
  return emit(fn, ctx, flags | TL_TERM_STEM, stem, sl, w->b_start, w->b_end, pos);
}

/* Emits the joined terms of a hyphen group words[0..n). */
static int emit_group(tl_analyzer *a, const word *g, size_t n, unsigned pos, tl_term_fn fn,
                      void *ctx) {
  size_t i, jl = 0, hl = 0, sl, jsl;
  int flags = TL_TERM_JOINED, rc;
  char hyph[sizeof a->join];
  const char *stem, *jstem;
  for (i = 0; i < n; i++) {
    if (hl + g[i].norm_len + 1 >= sizeof hyph)
      return 0; /* too long to be a term (hyph is the longer spelling) */
    memcpy(a->join + jl, a->arena + g[i].norm, g[i].norm_len);
    memcpy(hyph + hl, a->arena + g[i].norm, g[i].norm_len);
    jl += g[i].norm_len;
    hl += g[i].norm_len;
    if (i + 1 < n)
      hyph[hl++] = '-';
    flags |= g[i].flags & (TL_TERM_NUMBER | TL_TERM_ACRONYM);
  }
  if ((rc = emit(fn, ctx, flags, a->join, jl, g[0].b_start, g[n - 1].b_end, pos)) || a->words_only)
    return rc;
  if (flags & (TL_TERM_NUMBER | TL_TERM_ACRONYM))
    return emit(fn, ctx, flags | TL_TERM_STEM, a->join, jl, g[0].b_start, g[n - 1].b_end, pos);
  /* The stem of the whole hyphenated word (negara-negara -> negara), and
   * of the joined spelling (kerja-sama -> kerjasama), when they differ. */
  stem = tl_stemmer_stem(a->stemmer, hyph, hl, &sl);
  if ((rc = emit(fn, ctx, flags | TL_TERM_STEM, stem, sl, g[0].b_start, g[n - 1].b_end, pos)))
    return rc;
  /* When the stemmer does not know the hyphenated word, try the joined
   * spelling (e-ktp is not known, ektp may be). */
  if (sl == hl && memcmp(stem, hyph, hl) == 0) {
    jstem = tl_stemmer_stem(a->stemmer, a->join, jl, &jsl);
    return emit(fn, ctx, flags | TL_TERM_STEM, jstem, jsl, g[0].b_start, g[n - 1].b_end, pos);
  }
  return 0;
}

/* Whether only blank space separates words v and w. */
static int space_between(const tl_analyzer *a, const word *v, const word *w) {
  int32_t i;
  if (w->u_start <= v->u_end)
    return 0;
  for (i = v->u_end; i < w->u_start; i++)
    if (!u_isWhitespace(a->u16[i]) && a->u16[i] != 0xA0)
      return 0;
  return 1;
}

/* Emits the joined form of two words that spell a closed compound (kerja
 * sama, bekerja sama), at the first word's position. */
static int emit_compound(tl_analyzer *a, const word *v, const word *w, unsigned pos, tl_term_fn fn,
                         void *ctx) {
  const char *t1 = a->arena + v->norm, *t2 = a->arena + w->norm, *stem;
  size_t n = v->norm_len + w->norm_len, sl;
  int flags = TL_TERM_JOINED | TL_TERM_COMPOUND, rc;
  if ((v->flags | w->flags) & (TL_TERM_NUMBER | TL_TERM_ACRONYM) || n >= sizeof a->join ||
      !tl_strset_has(a->tails, t2, w->norm_len, NULL))
    return 0;
  memcpy(a->join, t1, v->norm_len);
  memcpy(a->join + v->norm_len, t2, w->norm_len);
  if (tl_strset_has(a->compounds, a->join, n, NULL)) {
    stem = a->join;
    sl = n;
  } else {
    stem = tl_stemmer_stem(a->stemmer, a->join, n, &sl);
    if (!tl_strset_has(a->compounds, stem, sl, NULL))
      return 0;
  }
  {
    char joined[sizeof a->join];
    memcpy(joined, stem, sl);
    if ((rc = emit(fn, ctx, flags, a->join, n, v->b_start, w->b_end, pos)) || a->words_only)
      return rc;
    return emit(fn, ctx, flags | TL_TERM_STEM, joined, sl, v->b_start, w->b_end, pos);
  }
}

/* The length of the currency code that [u, u + n) begins with when a digit
 * follows it (Rp15.000, USD1.000: written against the amount, as the
 * Indonesian spelling rules have it for Rp), else 0. */
static int32_t currency_prefix(const UChar *u, int32_t n) {
  static const char *const codes[] = {"rp",  "idr", "usd", "sgd", "eur", "jpy", "aud",
                                      "gbp", "myr", "cny", "hkd", "sar", "rm"};
  size_t c;
  for (c = 0; c < sizeof codes / sizeof *codes; c++) {
    int32_t k = (int32_t)strlen(codes[c]), i;
    if (n <= k || u[k] < '0' || u[k] > '9')
      continue;
    for (i = 0; i < k && (u[i] | 0x20) == codes[c][i]; i++)
      ;
    if (i == k)
      return k;
  }
  return 0;
}

/* The length of the acronym that [u, u + n) begins with when the clitic
 * -nya follows it unhyphenated (BPSnya, KPKnya: 2 to 6 capitals A-Z, then
 * "nya" to the end), else 0: the acronym and nya are two words, as in
 * DPR-nya. */
static int32_t acronym_nya(const UChar *u, int32_t n) {
  int32_t k = 0;
  while (k < n && u[k] >= 'A' && u[k] <= 'Z')
    k++;
  if (k < 2 || k > 6 || n != k + 3 || u[k] != 'n' || u[k + 1] != 'y' || u[k + 2] != 'a')
    return 0;
  return k;
}

/* Adds the word a->u16[s..e) to a->words, unless it normalizes to nothing. */
static int add_word(tl_analyzer *a, int32_t s, int32_t e, tl_error *err) {
  word *w;
  int rc;
  if (tl_array_reserve((void **)&a->words, &a->words_cap, a->nwords + 1, sizeof *a->words) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  w = &a->words[a->nwords];
  w->u_start = s;
  w->u_end = e;
  w->b_start = a->off[s];
  w->b_end = a->off[e];
  if ((rc = normalize(a, w, err)) != TL_OK)
    return rc;
  if (w->norm_len > 0)
    a->nwords++;
  return TL_OK;
}

tl_status tl_analyzer_run(tl_analyzer *a, const char *text, size_t len, unsigned first_pos,
                          tl_term_fn fn, void *ctx, unsigned *next_pos, tl_error *err) {
  size_t n16, i;
  UErrorCode st = U_ZERO_ERROR;
  int32_t b, prev;
  unsigned pos = first_pos;
  int rc;
  if (next_pos)
    *next_pos = first_pos;
  if (len > ((size_t)1 << 30))
    return tl_error_set(err, TL_ERR_LIMIT, "text longer than 1 GiB");
  if (to_utf16(a, text, len, &n16) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  ubrk_setText(a->bi, a->u16, (int32_t)n16, &st);
  if (U_FAILURE(st))
    return tl_error_set(err, TL_ERR_ICU, "word break: %s", u_errorName(st));
  a->arena_len = 0;
  a->nwords = 0;
  prev = 0;
  for (b = ubrk_next(a->bi); b != UBRK_DONE; prev = b, b = ubrk_next(a->bi)) {
    int32_t cut;
    if (ubrk_getRuleStatus(a->bi) < UBRK_WORD_NONE_LIMIT)
      continue;
    /* a currency against its amount is two words, as with a space; an
     * acronym with -nya two, as with a hyphen */
    cut = currency_prefix(a->u16 + prev, b - prev);
    if (!cut)
      cut = acronym_nya(a->u16 + prev, b - prev);
    if ((cut && (rc = add_word(a, prev, prev + cut, err)) != TL_OK) ||
        (rc = add_word(a, prev + cut, b, err)) != TL_OK)
      return rc;
  }
  for (i = 0; i < a->nwords;) {
    size_t n = 1, k;
    /* a group of words joined by single hyphens */
    while (i + n < a->nwords && n < MAX_GROUP &&
           a->words[i + n].u_start == a->words[i + n - 1].u_end + 1 &&
           is_hyphen(a->u16[a->words[i + n - 1].u_end]))
      n++;
    for (k = 0; k < n; k++)
      if ((rc =
               emit_word(a, &a->words[i + k], n == 1 && is_name(a, i), pos + (unsigned)k, fn, ctx)))
        return rc;
    if (n > 1 && (rc = emit_group(a, &a->words[i], n, pos, fn, ctx)))
      return rc;
    /* an open compound: this word and the next, not hyphen-joined */
    if (n == 1 && i + 1 < a->nwords && space_between(a, &a->words[i], &a->words[i + 1]) &&
        !(i + 2 < a->nwords && a->words[i + 2].u_start == a->words[i + 1].u_end + 1 &&
          is_hyphen(a->u16[a->words[i + 1].u_end])) &&
        (rc = emit_compound(a, &a->words[i], &a->words[i + 1], pos, fn, ctx)))
      return rc;
    pos += (unsigned)n;
    i += n;
  }
  if (next_pos)
    *next_pos = pos;
  return TL_OK;
}

tl_status tl_analyzer_run_words(tl_analyzer *a, const char *text, size_t len, unsigned first_pos,
                                tl_term_fn fn, void *ctx, unsigned *next_pos, tl_error *err) {
  tl_status rc;
  a->words_only = 1;
  rc = tl_analyzer_run(a, text, len, first_pos, fn, ctx, next_pos, err);
  a->words_only = 0;
  return rc;
}
