/* acronym.c - acronym definitions in running text (see acronym.h). */
#include "text/acronym.h"

#include <ctype.h>
#include <string.h>

/** Longest short form, in letters. */
#define ACR_MAX 8
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

/**
 * Matches the short form's letters against the first letters of words
 * w[0..nw), from the right; returns the index of the long form's first
 * word, or -1. whole: every word must be used.
 */
static int match(const char *acr, size_t an, const span *w, size_t nw, int whole) {
  size_t j = an;
  size_t i = nw;
  while (j > 0 && i > 0) {
    char c = (char)tolower((unsigned char)w[i - 1].s[0]);
    if (c == tolower((unsigned char)acr[j - 1])) {
      j--;
      i--;
    } else if (j < an && is_connector(w[i - 1].s, w[i - 1].n)) {
      i--;
    } else {
      return -1;
    }
  }
  if (j > 0 || (whole && i > 0))
    return -1;
  return (int)i;
}

int tl_acronym_scan(const char *text, size_t len, tl_acronym_fn fn, void *ctx) {
  size_t i;
  for (i = 0; i < len; i++) {
    const char *open, *close, *in;
    size_t nin;
    span w[MAX_WORDS];
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
    if (is_short_form(in, nin)) {
      /* Long Form (LF): the words before '(' in the same sentence */
      const char *from = open;
      size_t nw, max = 2 * nin + 2, back = 0, k;
      int first;
      while (from > text && !strchr(".!?;:()\n\"", from[-1]) && back < 300) {
        from--;
        back++;
      }
      nw = split(from, (size_t)(open - from), w, MAX_WORDS);
      k = nw > max ? nw - max : 0;
      first = nw > 0 ? match(in, nin, w + k, nw - k, 0) : -1;
      if (first >= 0 && (size_t)first < nw - k) {
        const span *a = &w[k + (size_t)first], *b = &w[nw - 1];
        int rc = fn(ctx, in, nin, a->s, (size_t)(b->s + b->n - a->s));
        if (rc)
          return rc;
      }
    } else if (open > text) {
      /* LF (Long Form): the token right before '(' is the short form */
      const char *e = open, *s;
      size_t nw;
      while (e > text && isspace((unsigned char)e[-1]))
        e--;
      for (s = e; s > text && isalpha((unsigned char)s[-1]); s--)
        ;
      if (s > text && !isspace((unsigned char)s[-1]) && !strchr("\"'(", s[-1]))
        continue;
      if (!is_short_form(s, (size_t)(e - s)))
        continue;
      nw = split(in, nin, w, MAX_WORDS);
      if (nw < 2 || nw > 2 * (size_t)(e - s) + 2 || match(s, (size_t)(e - s), w, nw, 1) != 0)
        continue;
      {
        int rc = fn(ctx, s, (size_t)(e - s), w[0].s, (size_t)(w[nw - 1].s + w[nw - 1].n - w[0].s));
        if (rc)
          return rc;
      }
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
