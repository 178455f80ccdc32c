/* acronym.c - acronym definitions in running text (see acronym.h). */
#include "text/acronym.h"

#include <ctype.h>
#include <string.h>

/** Longest short form of initials, in letters. */
#define ACR_MAX 8
/** Shortest and longest syllabic short form (Sumut, Bapedalda), in letters. */
#define SYL_MIN 4
#define SYL_MAX 12
/** At most this many words are looked at for a long form. */
#define MAX_WORDS 20

/** A word of a candidate long form: [s, s + n). */
typedef struct span {
  const char *s;
  size_t n;
} span;

/** True for a byte that separates words (ASCII space, hyphen). */
static int is_sep(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-';
}

/** True for a connecting word that a long form may hold without a letter. */
static int is_connector(const char *s, size_t n) {
  static const char *const w[] = {"dan",  "untuk", "dari", "di",  "ke", "pada", "serta",
                                  "yang", "atas",  "bagi", "and", "of", "for",  "the"};
  size_t i, k;
  for (i = 0; i < sizeof w / sizeof *w; i++) {
    if (strlen(w[i]) != n)
      continue;
    for (k = 0; k < n && tolower((unsigned char)s[k]) == w[i][k]; k++)
      ;
    if (k == n)
      return 1;
  }
  return 0;
}

/** True when [s, s + n) is a short form: 2-8 ASCII letters, 2+ capitals. */
static int is_short_form(const char *s, size_t n) {
  size_t i, caps = 0;
  if (n < 2 || n > ACR_MAX)
    return 0;
  for (i = 0; i < n; i++) {
    if (!isalpha((unsigned char)s[i]))
      return 0;
    caps += isupper((unsigned char)s[i]) != 0;
  }
  return caps >= 2 && isupper((unsigned char)s[0]);
}

/** True when [s, s + n) may be a syllabic short form: SYL_MIN-SYL_MAX ASCII
 * letters, the first a capital. */
static int is_syllabic_form(const char *s, size_t n) {
  size_t i;
  if (n < SYL_MIN || n > SYL_MAX || !isupper((unsigned char)s[0]))
    return 0;
  for (i = 0; i < n; i++)
    if (!isalpha((unsigned char)s[i]))
      return 0;
  return 1;
}

/** Splits [s, s + n) into words (at most max); returns their number. */
static size_t split(const char *s, size_t n, span *w, size_t max) {
  size_t i = 0, k = 0;
  while (i < n && k < max) {
    size_t j;
    while (i < n && is_sep(s[i]))
      i++;
    for (j = i; j < n && !is_sep(s[j]); j++)
      ;
    if (j > i) {
      w[k].s = s + i;
      w[k].n = j - i;
      k++;
    }
    i = j;
  }
  return k;
}

/** Whether w[i] is the first half of a reduplication, the same word after
 * a hyphen (Undang-Undang), which initials count once (KUHP). */
static int doubled(const span *w, size_t i, size_t nw) {
  size_t k;
  if (i + 1 >= nw || w[i].n != w[i + 1].n || w[i].s + w[i].n + 1 != w[i + 1].s ||
      w[i].s[w[i].n] != '-')
    return 0;
  for (k = 0; k < w[i].n; k++)
    if (tolower((unsigned char)w[i].s[k]) != tolower((unsigned char)w[i + 1].s[k]))
      return 0;
  return 1;
}

/**
 * Matches the short form's letters against the first letters of words
 * w[0..nw), from the right; returns the index of the long form's first
 * word, or -1. whole: every word must be used. Connecting words and the
 * first half of a reduplication may give no letter.
 */
static int match(const char *acr, size_t an, const span *w, size_t nw, int whole) {
  size_t j = an;
  size_t i = nw;
  while (j > 0 && i > 0) {
    char c = (char)tolower((unsigned char)w[i - 1].s[0]);
    if (c == tolower((unsigned char)acr[j - 1])) {
      j--;
      i--;
    } else if (j < an && (is_connector(w[i - 1].s, w[i - 1].n) || doubled(w, i - 1, nw))) {
      i--;
    } else {
      return -1;
    }
  }
  if (j > 0 || (whole && i > 0))
    return -1;
  return (int)i;
}

/** Whether [s, s + n) begins with the lower-case ASCII string p. */
static int starts_with(const char *s, size_t n, const char *p) {
  size_t k;
  for (k = 0; p[k]; k++)
    if (k >= n || tolower((unsigned char)s[k]) != p[k])
      return 0;
  return 1;
}

/** Whether [s, s + n) is a suffix or clitic of Indonesian (-an, -kan,
 * -nya, -lah, -kah, -pun, -ku, -mu), which an akronim does not take as a
 * piece. */
static int is_suffix(const char *s, size_t n) {
  static const char *const w[] = {"an", "kan", "nya", "lah", "kah", "pun", "ku", "mu"};
  size_t i;
  for (i = 0; i < sizeof w / sizeof *w; i++)
    if (strlen(w[i]) == n && starts_with(s, n, w[i]))
      return 1;
  return 0;
}

/** How many letters of acr[0..an) stand, in the same case-folded order, in
 * s[0..n) from its start. */
static size_t common(const char *acr, size_t an, const char *s, size_t n) {
  size_t p;
  for (p = 0; p < an && p < n && tolower((unsigned char)s[p]) == tolower((unsigned char)acr[p]);
       p++)
    ;
  return p;
}

/**
 * Whether the short form's letters acr[0..an) are, in order, a non-empty
 * piece of each word of w[0..nw) but connecting words, which may give
 * none; the last word gives one. A piece is the word's start; or the start
 * of what follows a noun prefix (ke-, per-, pe-, pem-, pen-, peng-, penge-,
 * ber-, ter-: Kepolisian gives pol, Perhubungan hub), as an akronim takes
 * the syllables of the root; or, but for the first word (first), the
 * word's end of two letters or more that is no suffix (Satuan Tugas is
 * Satgas, Kejaksaan Negeri Kejari); kepala gives ka (Kapolda), as the
 * spelling rules' akronim of it does. A word in capitals (an acronym of its
 * own) gives its start alone, and so does every word when strict.
 * Backtracks over the pieces; failed[an][nw] remembers what failed, so that
 * each state is tried once.
 */
static int prefixes(const char *acr, size_t an, const span *w, size_t nw, int first, int strict,
                    unsigned char failed[SYL_MAX + 1][MAX_WORDS + 1]) {
  static const char *const noun_prefix[] = {"ke",   "per",   "pe",  "pem", "pen",
                                            "peng", "penge", "ber", "ter"};
  size_t p, k, most;
  if (nw == 0 || an == 0)
    return nw == 0 && an == 0;
  if (failed[an][nw])
    return 0;
  if (nw > 1 && is_connector(w->s, w->n) && prefixes(acr, an, w + 1, nw - 1, 0, strict, failed))
    return 1;
  for (p = 1, most = common(acr, an, w->s, w->n); p <= most; p++)
    if (prefixes(acr + p, an - p, w + 1, nw - 1, 0, strict, failed))
      return 1;
  /* kepala gives ka: Kepala Kepolisian Daerah is Kapolda */
  if (w->n == 6 && starts_with(w->s, 6, "kepala") && an > 2 && common(acr, 2, "ka", 2) == 2 &&
      prefixes(acr + 2, an - 2, w + 1, nw - 1, 0, strict, failed))
    return 1;
  if (strict || w->n < 2 || !islower((unsigned char)w->s[1])) { /* an acronym: BP */
    failed[an][nw] = 1;
    return 0;
  }
  for (k = 0; k < sizeof noun_prefix / sizeof *noun_prefix; k++) {
    size_t l = strlen(noun_prefix[k]);
    if (w->n < l + 3 || !starts_with(w->s, w->n, noun_prefix[k]))
      continue;
    for (p = 1, most = common(acr, an, w->s + l, w->n - l); p <= most; p++)
      if (prefixes(acr + p, an - p, w + 1, nw - 1, 0, strict, failed))
        return 1;
  }
  for (p = 2; !first && p <= an && p < w->n; p++)
    if (common(acr, p, w->s + w->n - p, p) == p && !is_suffix(w->s + w->n - p, p) &&
        prefixes(acr + p, an - p, w + 1, nw - 1, 0, strict, failed))
      return 1;
  failed[an][nw] = 1;
  return 0;
}

/**
 * Whether the syllabic short form acr[0..an) (an akronim: Wakil Presiden is
 * Wapres, Badan Perencanaan Pembangunan Nasional is Bappenas) is built from
 * the words w[0..nw): two or more words, each a capital but connecting
 * words, which give prefixes() of more letters than there are words (not
 * initials alone).
 */
static int syllabic(const char *acr, size_t an, const span *w, size_t nw, int strict) {
  unsigned char failed[SYL_MAX + 1][MAX_WORDS + 1];
  size_t i;
  if (nw < 2 || nw > MAX_WORDS || an > SYL_MAX || an <= nw || is_connector(w[0].s, w[0].n))
    return 0;
  for (i = 0; i < nw; i++)
    if ((!isupper((unsigned char)w[i].s[0]) && !is_connector(w[i].s, w[i].n)) ||
        (w[i].n == an && common(acr, an, w[i].s, an) == an)) /* Bagan - Bagan (Bagan) */
      return 0;
  memset(failed, 0, sizeof failed);
  return prefixes(acr, an, w, nw, 1, strict, failed);
}

/** The first of the last words w[0..nw) that spell the syllabic short form
 * acr[0..an) (the fewest such words), or -1. */
static int syllabic_tail(const char *acr, size_t an, const span *w, size_t nw, int strict) {
  size_t k;
  for (k = 2; k <= nw && k <= an + 2; k++)
    if (syllabic(acr, an, w + nw - k, k, strict))
      return (int)(nw - k);
  return -1;
}

/**
 * Whether [s, s + n) is a short form of two words (Komnas HAM, UU ITE, DK
 * PBB): two runs of ASCII letters parted by one space, the first with a
 * capital first letter, the second in capitals, SYL_MAX letters at most.
 * If so, out receives them joined ("KomnasHAM"), NUL-terminated, and their
 * number of letters is returned; if not, 0.
 */
static size_t two_words(const char *s, size_t n, char out[SYL_MAX + 2]) {
  const char *sp = memchr(s, ' ', n);
  size_t i, k = 0;
  if (!sp || sp == s || sp + 1 == s + n || n - 1 > SYL_MAX || !isupper((unsigned char)s[0]))
    return 0;
  for (i = 0; i < n; i++) {
    if (s + i == sp)
      continue;
    if (!isalpha((unsigned char)s[i]) || (s + i > sp && !isupper((unsigned char)s[i])))
      return 0;
    out[k++] = s[i];
  }
  out[k] = '\0';
  return k;
}

/** What a scan calls: fn for a definition, is_word (NULL: none) to tell a
 * short form that is a word. */
typedef struct scan {
  const char *text;
  tl_acronym_word_fn is_word;
  void *word_ctx;
  tl_acronym_fn fn;
  void *ctx;
} scan;

/** Whether the syllabic short form [s, s + n) is a word (sc->is_word, given
 * it in lower case): then its long form must give it prefixes alone. */
static int known(const scan *sc, const char *s, size_t n) {
  char low[SYL_MAX + 1];
  size_t i;
  if (!sc->is_word || n > SYL_MAX)
    return 0;
  for (i = 0; i < n; i++)
    low[i] = (char)tolower((unsigned char)s[i]);
  return sc->is_word(sc->word_ctx, low, n);
}

/**
 * The definition of the short form sf[0..sn) (as written; two words are
 * read as one) by the words before end in the same sentence (Long Form
 * (LF), Long Form atau disingkat LF): calls sc->fn for it and returns 1 with
 * *rc its value, or returns 0 when no long form spells the short form.
 */
static int defined_before(const scan *sc, const char *end, const char *sf, size_t sn, int *rc) {
  const char *text = sc->text;
  span w[MAX_WORDS];
  char joined[SYL_MAX + 2];
  const char *in = sf, *from = end;
  size_t nin = sn, nw, max, back = 0, k, njoined = two_words(sf, sn, joined);
  int first = -1;
  if (njoined && (is_short_form(joined, njoined) || is_syllabic_form(joined, njoined))) {
    in = joined; /* a short form of two words (Komnas HAM, UU ITE) is read as one */
    nin = njoined;
  }
  if (!is_short_form(in, nin) && !is_syllabic_form(in, nin))
    return 0;
  while (from > text && !strchr(".!?;:()\n\"", from[-1]) && back < 300) {
    from--;
    back++;
  }
  nw = split(from, (size_t)(end - from), w, MAX_WORDS);
  max = 2 * nin + 2;
  k = nw > max ? nw - max : 0;
  if (nw > 0 && is_short_form(in, nin))
    first = match(in, nin, w + k, nw - k, 0);
  if (first < 0 && nw > 0 && is_syllabic_form(in, nin))
    first = syllabic_tail(in, nin, w + k, nw - k, known(sc, in, nin));
  if (first < 0 || (size_t)first >= nw - k)
    return 0;
  *rc = sc->fn(sc->ctx, sf, sn, w[k + (size_t)first].s,
               (size_t)(w[nw - 1].s + w[nw - 1].n - w[k + (size_t)first].s));
  return 1;
}

/** The length of the word that [s, e) begins with, ASCII letters. */
static size_t word_at(const char *s, const char *e) {
  const char *p = s;
  while (p < e && isalpha((unsigned char)*p))
    p++;
  return (size_t)(p - s);
}

/** Whether the word w (lower case) stands at [s, e), whole. */
static int word_is(const char *s, const char *e, const char *w) {
  size_t n = strlen(w);
  return word_at(s, e) == n && starts_with(s, n, w);
}

/**
 * The written definitions "(disingkat LF)", "(selanjutnya disebut LF)",
 * "atau disingkat LF", "yang disingkat dengan LF": where the word
 * "disingkat" or "disebut" stands at s, the short form after it (one word
 * or two, before "(" or the text's end e) into *sf and *sn, and where the
 * long form before it ends (before "atau", "yang", "selanjutnya", a comma
 * or "(") into *lf_end. Returns 0 when s holds none.
 */
static int written_definition(const char *text, const char *s, const char *e, const char **sf,
                              size_t *sn, const char **lf_end) {
  static const char *const lead[] = {"atau", "yang", "selanjutnya", "biasa", "lebih"};
  const char *p, *b = s;
  size_t n, i;
  if (!word_is(s, e, "disingkat") && !word_is(s, e, "disebut"))
    return 0;
  p = s + word_at(s, e);
  for (i = 0; i < 2; i++) { /* disingkat dengan / menjadi LF */
    while (p < e && *p == ' ')
      p++;
    if (word_is(p, e, "dengan") || word_is(p, e, "menjadi") || word_is(p, e, "sebagai"))
      p += word_at(p, e);
  }
  while (p < e && *p == ' ')
    p++;
  if (!(n = word_at(p, e)))
    return 0;
  if (p + n + 1 < e && p[n] == ' ' && isupper((unsigned char)p[n + 1]) &&
      word_at(p + n + 1, e) > 1) { /* two words: Komnas HAM */
    size_t m = word_at(p + n + 1, e), k;
    for (k = 0; k < m && isupper((unsigned char)p[n + 1 + k]); k++)
      ;
    if (k == m)
      n += 1 + m;
  }
  if (p + n < e && isalnum((unsigned char)p[n]))
    return 0;
  *sf = p;
  *sn = n;
  /* back over the words that lead to it */
  for (;;) {
    const char *q = b;
    while (q > text && (q[-1] == ' ' || q[-1] == ','))
      q--;
    for (i = 0; i < sizeof lead / sizeof *lead; i++) {
      size_t l = strlen(lead[i]);
      if ((size_t)(q - text) >= l && starts_with(q - l, l, lead[i]) &&
          (q - l == text || !isalpha((unsigned char)q[-(long)l - 1])))
        break;
    }
    if (i == sizeof lead / sizeof *lead) {
      b = q;
      break;
    }
    b = q - strlen(lead[i]);
  }
  if (b > text && b[-1] == '(')
    b--;
  *lf_end = b;
  return 1;
}

int tl_acronym_scan(const char *text, size_t len, tl_acronym_word_fn is_word, void *word_ctx,
                    tl_acronym_fn fn, void *ctx) {
  const scan sc = {text, is_word, word_ctx, fn, ctx};
  size_t i;
  for (i = 0; i < len; i++) {
    const char *open, *close, *in, *sf, *lf_end;
    size_t nin, sn;
    span w[MAX_WORDS];
    int rc = 0;
    if ((text[i] == 'd' || text[i] == 'D') && (i == 0 || !isalpha((unsigned char)text[i - 1])) &&
        written_definition(text, text + i, text + len, &sf, &sn, &lf_end)) {
      /* Long Form atau disingkat LF; Long Form (selanjutnya disebut LF) */
      if (defined_before(&sc, lf_end, sf, sn, &rc) && rc)
        return rc;
      continue;
    }
    if (text[i] != '(')
      continue;
    open = text + i;
    close = memchr(open, ')', len - i);
    if (!close || close - open > 200)
      continue;
    in = open + 1;
    nin = (size_t)(close - in);
    while (nin && isspace((unsigned char)*in)) {
      in++;
      nin--;
    }
    while (nin && isspace((unsigned char)in[nin - 1]))
      nin--;
    if (word_is(in, in + nin, "disingkat") || word_is(in, in + nin, "disebut") ||
        word_is(in, in + nin, "selanjutnya"))
      continue; /* read at its word, above */
    if (defined_before(&sc, open, in, nin, &rc)) {
      /* Long Form (LF), or Long Form (Lofo) */
      if (rc)
        return rc;
    } else if (open > text) {
      /* LF (Long Form): the token right before '(' is the short form */
      const char *e = open, *s;
      size_t nw, an;
      int initials;
      while (e > text && isspace((unsigned char)e[-1]))
        e--;
      for (s = e; s > text && isalpha((unsigned char)s[-1]); s--)
        ;
      if (s > text && !isspace((unsigned char)s[-1]) && !strchr("\"'(", s[-1]))
        continue;
      an = (size_t)(e - s);
      initials = is_short_form(s, an);
      if (!initials && !is_syllabic_form(s, an))
        continue;
      nw = split(in, nin, w, MAX_WORDS);
      if (nw < 2 || nw > 2 * an + 2 ||
          (!(initials && match(s, an, w, nw, 1) == 0) &&
           !syllabic(s, an, w, nw, known(&sc, s, an))))
        continue;
      if ((rc = fn(ctx, s, an, w[0].s, (size_t)(w[nw - 1].s + w[nw - 1].n - w[0].s))))
        return rc;
    }
  }
  return 0;
}

size_t tl_acronym_normalize(const char *lng, size_t lng_len, char *out, size_t cap) {
  size_t i, o = 0;
  int space = 0;
  for (i = 0; i < lng_len; i++) {
    unsigned char c = (unsigned char)lng[i];
    if (isspace(c) || (c < 0x80 && ispunct(c) && c != '-')) {
      space = o > 0;
      continue;
    }
    if (space) {
      if (o + 1 >= cap)
        return 0;
      out[o++] = ' ';
      space = 0;
    }
    if (o + 1 >= cap)
      return 0;
    out[o++] = (char)tolower(c);
  }
  out[o] = '\0';
  return o;
}
