/* expand.c - expansion of queries: acronyms, spelling corrections (see
 * expand.h). */
#include "search/expand.h"

#include "index/schema.h"
#include "telusur/analysis.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** One pair: the short form (lower case) and one long form (lower case);
 * passages: those defining it in the index (0: from the list). */
typedef struct pair {
  char *acr;
  char *lng;
  char *shown; /* the acronym as the list writes it; NULL: the index's */
  unsigned long passages;
} pair;

struct tl_acronyms {
  pair *p;
  size_t n, cap;
};

/* Appends a pair, both forms in lower case. */
static int add_pair(tl_acronyms *a, const char *acr, size_t an, const char *lng, size_t ln,
                    unsigned long passages) {
  size_t k;
  char *s, *l;
  if (an == 0 || ln == 0)
    return TL_OK;
  if (tl_array_reserve((void **)&a->p, &a->cap, a->n + 1, sizeof *a->p) != TL_OK)
    return TL_ERR_NOMEM;
  if (!(s = malloc(an + 1)) || !(l = malloc(ln + 1))) {
    free(s);
    return TL_ERR_NOMEM;
  }
  for (k = 0; k < an; k++)
    s[k] = (char)tolower((unsigned char)acr[k]);
  s[an] = '\0';
  for (k = 0; k < ln; k++)
    l[k] = (char)tolower((unsigned char)lng[k]);
  l[ln] = '\0';
  a->p[a->n].acr = s;
  a->p[a->n].lng = l;
  a->p[a->n].shown = NULL; /* the list's as written: Menko Perekonomian */
  if (passages == 0 && !(a->p[a->n].shown = strndup(acr, an))) {
    free(s);
    free(l);
    return TL_ERR_NOMEM;
  }
  a->p[a->n].passages = passages;
  a->n++;
  return TL_OK;
}

/* One acronym definition of the index: TL_PREFIX_ACRONYM short ":" long. */
static int on_term(void *ctx, const char *term, size_t len, unsigned long passages) {
  size_t n = strlen(TL_PREFIX_ACRONYM);
  const char *colon = memchr(term + n, ':', len - n);
  if (!colon)
    return 0;
  return add_pair(ctx, term + n, (size_t)(colon - term) - n, colon + 1,
                  len - (size_t)(colon - term) - 1, passages) != TL_OK
             ? TL_ERR_NOMEM
             : 0;
}

/* Orders pairs by short form, then the list's first, then by passages
 * defining them (most first), then by long form. */
static int pair_cmp(const void *x, const void *y) {
  const pair *a = x, *b = y;
  int c = strcmp(a->acr, b->acr);
  if (c)
    return c;
  if ((a->passages == 0) != (b->passages == 0))
    return a->passages == 0 ? -1 : 1;
  if (a->passages != b->passages)
    return a->passages > b->passages ? -1 : 1;
  return strcmp(a->lng, b->lng);
}

/* Sorts the pairs and keeps, per short form, the list's long forms and
 * up to TL_ACRONYM_FORMS of the index's (defined in most passages), each
 * long form once. */
static void keep_best(tl_acronyms *a) {
  size_t i, out = 0, from_index = 0;
  if (a->n > 1)
    qsort(a->p, a->n, sizeof *a->p, pair_cmp);
  for (i = 0; i < a->n; i++) {
    pair *p = &a->p[i];
    int same_acr = out > 0 && strcmp(a->p[out - 1].acr, p->acr) == 0, dup = 0;
    size_t k;
    if (!same_acr)
      from_index = 0;
    for (k = out; same_acr && k-- > 0 && strcmp(a->p[k].acr, p->acr) == 0;)
      dup |= strcmp(a->p[k].lng, p->lng) == 0;
    if (dup || (p->passages > 0 && from_index >= TL_ACRONYM_FORMS)) {
      free(p->acr);
      free(p->lng);
      free(p->shown);
      continue;
    }
    from_index += p->passages > 0;
    a->p[out++] = *p;
  }
  a->n = out;
}

tl_status tl_acronyms_load(tl_store *st, const char *data_dir, tl_acronyms **out, tl_error *err) {
  tl_acronyms *a;
  char path[4096], line[512];
  FILE *f;
  tl_status rc = TL_OK;
  *out = NULL;
  if (!(a = calloc(1, sizeof *a)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  snprintf(path, sizeof path, "%s/lexicon/acronyms.txt", data_dir);
  if (!(f = fopen(path, "r"))) {
    rc = tl_error_set(err, errno == ENOENT ? TL_ERR_NOTFOUND : TL_ERR_IO, "%s: %s", path,
                      strerror(errno));
    tl_acronyms_free(a);
    return rc;
  }
  while (rc == TL_OK && fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, "\r\n#"), an = strcspn(line, "\t");
    if (an >= n)
      continue;
    if (add_pair(a, line, an, line + an + 1, n - an - 1, 0) != TL_OK)
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (rc == TL_OK && ferror(f)) /* a directory, a read error: not an empty list */
    rc = tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));
  fclose(f);
  if (rc == TL_OK && st)
    rc = tl_store_terms_each(st, TL_PREFIX_ACRONYM, on_term, a, err);
  if (rc == TL_ERR_NOMEM) /* on_term's, with no message */
    tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (rc != TL_OK) {
    tl_acronyms_free(a);
    return rc;
  }
  keep_best(a);
  *out = a;
  return TL_OK;
}

void tl_acronyms_free(tl_acronyms *a) {
  size_t i;
  if (!a)
    return;
  for (i = 0; i < a->n; i++) {
    free(a->p[i].acr);
    free(a->p[i].lng);
    free(a->p[i].shown);
  }
  free(a->p);
  free(a);
}

int tl_acronyms_has(const tl_acronyms *a, const char *acr, size_t len) {
  size_t k;
  for (k = 0; a && k < a->n; k++)
    if (strlen(a->p[k].acr) == len && memcmp(a->p[k].acr, acr, len) == 0)
      return 1;
  return 0;
}

/* Whether the word forms from term index i on spell the long form lng
 * (words split at spaces and hyphens); one_sign: all negated or none, as
 * the first (the query marks the word after NOT negated, and Xapian reads
 * NOT as taking the words after it up to an operator: NOT Satpol PP). */
static int spells(const tl_query *q, size_t i, const char *lng, int one_sign) {
  const char *p = lng;
  int negated = q->terms[i].negated;
  for (; i < q->nterms && *p; i++) {
    const tl_query_term *t = &q->terms[i];
    size_t n;
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED))
      continue;
    if ((one_sign && t->negated != negated) || q->text[t->end] == '*')
      return 0; /* a wildcard's prefix spells no word */
    n = strcspn(p, " -");
    if (n != t->len || memcmp(p, t->term, n) != 0)
      return 0;
    p += n;
    while (*p == ' ' || *p == '-')
      p++;
  }
  return *p == '\0';
}

/* Appends one expansion of the words from to *out. */
static int add_expansion(tl_expansion **out, size_t *n, size_t *cap, const char *from,
                         const char *to, int to_acronym, const char *shown) {
  if (tl_array_reserve((void **)out, cap, *n + 1, sizeof **out) != TL_OK)
    return 1;
  memset(&(*out)[*n], 0, sizeof **out);
  (*out)[*n].from = from;
  (*out)[*n].to = to;
  (*out)[*n].to_acronym = to_acronym;
  (*out)[*n].shown = shown;
  (*n)++;
  return 0;
}

/* Whether the short form acr of the long form lng is syllabic (Bappenas,
 * Wapres): more letters than lng has words, split at spaces and hyphens.
 * A syllabic form is a word written with a capital first letter, so it is
 * expanded however it is typed; initials only when typed in capitals (AKU,
 * not aku "I"). */
static int is_syllabic(const char *acr, const char *lng) {
  size_t words = 0, letters = 0;
  const char *s;
  for (s = lng; *s; s++)
    words += (s == lng || s[-1] == ' ' || s[-1] == '-') && *s != ' ' && *s != '-';
  for (s = acr; *s; s++)
    letters += *s != ' ';
  return letters > words;
}

/* Whether the query's words from term i on are the short form acr: one
 * word (BPS), or the words of a short form of two (komnas ham, uu ite);
 * *typed receives whether one of them was typed as an acronym. */
static int is_short(const tl_query *q, size_t i, const char *acr, int *typed) {
  const tl_query_term *t = &q->terms[i];
  *typed = (t->flags & TL_TERM_ACRONYM) != 0;
  if (!strchr(acr, ' '))
    return strlen(acr) == t->len && memcmp(acr, t->term, t->len) == 0;
  if (!spells(q, i, acr, 0)) /* NOT Satpol PP: Xapian's NOT takes both */
    return 0;
  for (i++; i < q->nterms; i++) /* its second word */
    if (!(q->terms[i].flags & (TL_TERM_STEM | TL_TERM_JOINED))) {
      *typed |= (q->terms[i].flags & TL_TERM_ACRONYM) != 0;
      break;
    }
  return 1;
}

/* Whether the query's word t was typed in lower case and is a word of the
 * analyzer an's lexicon or a name of its gazetteer (redam, asia): a common
 * word, not the syllabic acronym that a text defined it as (the list's are
 * acronyms first: jabar, kemenkes). */
static int common_word(tl_analyzer *an, const tl_query *q, const tl_query_term *t) {
  return an && !isupper((unsigned char)q->text[t->start]) &&
         (tl_analyzer_is_known(an, t->term, t->len) || tl_analyzer_is_name(an, t->term, t->len));
}

tl_status tl_acronyms_expand(const tl_acronyms *a, tl_analyzer *an, const tl_query *q,
                             tl_expansion **out, size_t *nout, tl_error *err) {
  size_t i, k, cap = 0;
  int failed = 0;
  *out = NULL;
  *nout = 0;
  for (i = 0; a && i < q->nterms; i++) {
    const tl_query_term *t = &q->terms[i];
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED) || q->text[t->end] == '*')
      continue; /* a stem, a joined word, a wildcard's prefix */
    for (k = 0; k < a->n; k++) {
      const pair *p = &a->p[k];
      int typed = 0;
      if (is_short(q, i, p->acr, &typed) &&
          (typed || (is_syllabic(p->acr, p->lng) && (p->passages == 0 || !common_word(an, q, t)))))
        failed |= add_expansion(out, nout, &cap, p->acr, p->lng, 0, p->shown); /* its long form */
      else if (p->lng[0] == t->term[0] && spells(q, i, p->lng, 1))
        failed |= add_expansion(out, nout, &cap, p->lng, p->acr, 1, p->shown); /* its acronym */
    }
  }
  if (failed) {
    free(*out);
    *out = NULL;
    *nout = 0;
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* Appends s to b, as an acronym when acronym (in capitals; a syllabic one
 * of the long form lng with a capital first letter: Bappenas; of a short
 * form of two words, the second in capitals, and the first too when of
 * three letters or fewer: Komnas HAM, BP BUMN). */
static int append_cased(tl_buf *b, const char *s, int acronym, const char *lng) {
  int failed = 0, first = 1, all = acronym && !is_syllabic(s, lng);
  const char *sp = strchr(s, ' ');
  if (acronym && sp && sp - s <= 3)
    all = 1;
  for (; *s; s++, first = 0) {
    char c =
        (all || (acronym && (first || (sp && s > sp)))) ? (char)toupper((unsigned char)*s) : *s;
    failed |= tl_buf_append(b, &c, 1);
  }
  return failed;
}

tl_status tl_expansions_shown(const tl_expansion *e, size_t n, char **out, tl_error *err) {
  tl_buf s = TL_BUF_INIT;
  size_t i;
  int failed = 0;
  *out = NULL;
  for (i = 0; i < n; i++) {
    if (!e[i].applied)
      continue;
    failed |= tl_buf_append_str(&s, s.len ? "; " : "");
    if (e[i].correction && isupper((unsigned char)e[i].to[0])) { /* an acronym's: DRP -> DPR */
      const char *c;
      for (c = e[i].from; *c; c++) {
        char u = (char)toupper((unsigned char)*c);
        failed |= tl_buf_append(&s, &u, 1);
      }
    } else if (e[i].shown && !e[i].to_acronym && !e[i].correction) {
      failed |= tl_buf_append_str(&s, e[i].shown);
    } else {
      failed |= append_cased(&s, e[i].from, !e[i].to_acronym && !e[i].correction, e[i].to);
    }
    failed |= tl_buf_append_str(&s, " -> ");
    if (e[i].shown && e[i].to_acronym)
      failed |= tl_buf_append_str(&s, e[i].shown);
    else
      failed |= append_cased(&s, e[i].to, e[i].to_acronym, e[i].from);
  }
  if (!failed && s.len)
    failed = !(*out = tl_buf_take(&s, NULL));
  tl_buf_free(&s);
  return failed ? tl_error_set(err, TL_ERR_NOMEM, "out of memory") : TL_OK;
}

/* Whether [s, s + n) is only ASCII letters a-z. */
static int lower_letters(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] < 'a' || s[i] > 'z')
      return 0;
  return n > 0;
}

/* Whether the typed t[0..tn) is the acronym a[0..an) with a slip of the
 * hand: two neighbours swapped (DRP for DPR) or a letter doubled (DPRR for
 * DPR). A letter changed, added or dropped is not one: acronyms one such
 * edit apart are mostly other acronyms (DPT, DPR; GPS, BPS; UNJ, UN). */
static int acronym_slip(const char *a, size_t an, const char *t, size_t tn) {
  size_t i = 0;
  while (i < an && i < tn && a[i] == t[i])
    i++;
  if (tn == an + 1) /* t[i] doubles a neighbour, and the rest is a's */
    return ((i > 0 && t[i] == t[i - 1]) || (i + 1 < tn && t[i] == t[i + 1])) &&
           memcmp(t + i + 1, a + i, an - i) == 0;
  return tn == an && i + 1 < an && a[i] == t[i + 1] && a[i + 1] == t[i] &&
         memcmp(a + i + 2, t + i + 2, an - i - 2) == 0;
}

/* The correction of the acronym t (typed in capitals) that neither the
 * index st nor the table a holds: the acronym of a it is a slip of
 * (acronym_slip) that is in most passages of the index (DRP -> DPR, BMGK
 * -> BMKG), in capitals into fix (capacity TL_TERM_MAX + 1), "" when none. */
static tl_status acronym_correction(tl_store *st, const tl_acronyms *a, const tl_query_term *t,
                                    char *fix, tl_error *err) {
  unsigned long own = 0, best = 0;
  size_t k, n;
  tl_status rc;
  *fix = '\0';
  if (!a || t->len < 3 || t->len > TL_TERM_MAX || !lower_letters(t->term, t->len) ||
      tl_acronyms_has(a, t->term, t->len))
    return TL_OK;
  if ((rc = tl_store_term_count(st, t->term, t->len, &own, err)) != TL_OK || own > 0)
    return rc;
  for (k = 0; k < a->n; k++) {
    const char *c = a->p[k].acr;
    unsigned long m = 0;
    if ((k > 0 && strcmp(c, a->p[k - 1].acr) == 0) || !acronym_slip(c, strlen(c), t->term, t->len))
      continue;
    if ((rc = tl_store_term_count(st, c, strlen(c), &m, err)) != TL_OK)
      return rc;
    if (m > best) {
      best = m;
      for (n = 0; c[n]; n++)
        fix[n] = (char)toupper((unsigned char)c[n]);
      fix[n] = '\0';
    }
  }
  return TL_OK;
}

/* Calls on(ctx, t, fix) for each word t of q that the index st does not
 * hold, or holds as a rare typo, and has a correction fix, as
 * tl_store_spelling tells them; and for each acronym t that is a typo of
 * one of the table acr (acronym_correction). */
static tl_status each_correction(tl_store *st, tl_analyzer *an, const tl_acronyms *acr,
                                 const tl_query *q,
                                 int (*on)(void *ctx, const tl_query_term *t, const char *fix),
                                 void *ctx, tl_error *err) {
  size_t i, done = 0;
  tl_status rc = TL_OK;
  size_t lead = strspn(q->text, " \t\r\n"); /* where the first word starts */
  for (i = 0; i < q->nterms && rc == TL_OK; i++) {
    const tl_query_term *t = &q->terms[i];
    char *fix = NULL;
    if ((t->flags & TL_TERM_ACRONYM) && !(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) &&
        !t->negated && !t->operator_ && t->start >= done && q->text[t->end] != ':' &&
        q->text[t->end] != '*') {
      char afix[TL_TERM_MAX + 1];
      if ((rc = acronym_correction(st, acr, t, afix, err)) == TL_OK && *afix) {
        done = t->end;
        if (on(ctx, t, afix))
          rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      }
      continue;
    }
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED | TL_TERM_NUMBER | TL_TERM_ACRONYM) ||
        t->negated || t->operator_ || t->start < done || t->len < 3 ||
        !lower_letters(t->term, t->len) || q->text[t->end] == ':' || q->text[t->end] == '*' ||
        (t->start > lead && q->text[t->start] >= 'A' && q->text[t->start] <= 'Z') ||
        tl_analyzer_is_known(an, t->term, t->len))
      continue;
    if ((rc = tl_store_spelling(st, t->term, &fix, err)) != TL_OK)
      break;
    if (*fix) {
      /* a word whose stem the index holds finds its family already: a
       * "correction" would only change the word (mengulangi -> mengurangi);
       * looked up only for a word that has a correction. For a word the
       * index holds, as a rare typo (tl_store_spelling), its stem counts
       * where it is in more passages than the word itself; and a stem that
       * is a root of the lexicon makes it a real word however rare
       * (memikat: pikat), as the gazetteer's names are. */
      const tl_query_term *stem = tl_query_find(q, i, t->start, TL_TERM_STEM, TL_TERM_JOINED);
      char zt[TL_TERM_MAX + 2];
      unsigned long n = 0, own = 0;
      if (stem && stem->end == t->end && stem->len <= TL_TERM_MAX) {
        zt[0] = TL_PREFIX_STEM[0];
        memcpy(zt + 1, stem->term, stem->len);
        if ((rc = tl_store_term_count(st, zt, stem->len + 1, &n, err)) != TL_OK ||
            (rc = tl_store_term_count(st, t->term, t->len, &own, err)) != TL_OK) {
          free(fix);
          break;
        }
        if (n > own || (own > 0 && tl_analyzer_is_known(an, stem->term, stem->len)))
          *fix = '\0';
      }
      if (*fix && own > 0 && tl_analyzer_is_name(an, t->term, t->len)) /* lamongan */
        *fix = '\0';
    }
    if (*fix) {
      done = t->end;
      if (on(ctx, t, fix))
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    free(fix);
  }
  return rc;
}

/* What each_correction finds: the corrected text, and "from\0to\0" for
 * each of the n words corrected. */
typedef struct corrected {
  const tl_query *q;
  tl_buf text, pairs;
  size_t copied; /* q->text's bytes copied so far */
  size_t n;
} corrected;

static int on_correction(void *ctx, const tl_query_term *t, const char *fix) {
  corrected *c = ctx;
  int failed = tl_buf_append(&c->text, c->q->text + c->copied, t->start - c->copied);
  failed |= tl_buf_append_str(&c->text, fix);
  c->copied = t->end;
  c->n++;
  failed |= tl_buf_append(&c->pairs, t->term, t->len + 1);
  return failed | tl_buf_append(&c->pairs, fix, strlen(fix) + 1);
}

/* The pairs of c as c->n expansions in one block (their strings after
 * them). */
static tl_expansion *pairs_block(const corrected *c) {
  size_t n = c->n;
  tl_expansion *e = calloc(1, n * sizeof *e + c->pairs.len);
  char *words;
  size_t i, at = 0;
  if (!e)
    return NULL;
  words = memcpy(e + n, c->pairs.data, c->pairs.len);
  for (i = 0; i < n; i++) {
    e[i].from = words + at;
    at += strlen(words + at) + 1;
    e[i].to = words + at;
    at += strlen(words + at) + 1;
    e[i].correction = 1;
  }
  return e;
}

tl_status tl_spelling_suggest(tl_store *st, tl_analyzer *an, const tl_acronyms *acr,
                              const tl_query *q, char **out, tl_expansion **fixes, size_t *nfixes,
                              tl_error *err) {
  corrected c = {q, TL_BUF_INIT, TL_BUF_INIT, 0, 0};
  tl_status rc = each_correction(st, an, acr, q, on_correction, &c, err);
  *out = NULL;
  if (fixes) {
    *fixes = NULL;
    *nfixes = 0;
  }
  if (rc == TL_OK && c.n > 0) {
    if (tl_buf_append_str(&c.text, q->text + c.copied) || !(*out = tl_buf_take(&c.text, NULL)) ||
        (fixes && !(*fixes = pairs_block(&c)))) {
      free(*out);
      *out = NULL;
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    } else if (fixes) {
      *nfixes = c.n;
    }
  }
  tl_buf_free(&c.text);
  tl_buf_free(&c.pairs);
  return rc;
}
