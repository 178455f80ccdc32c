/* expand.c - acronym expansion of queries (see expand.h). */
#include "search/expand.h"

#include "index/schema.h"
#include "telusur/analysis.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** One pair: the short form (lower case) and one long form (lower case). */
typedef struct pair {
  char *acr;
  char *lng;
} pair;

struct tl_acronyms {
  pair *p;
  size_t n, cap;
};

/* Adds a pair unless it is there already. */
static int add_pair(tl_acronyms *a, const char *acr, size_t an, const char *lng, size_t ln) {
  size_t i, k;
  char *s, *l;
  if (an == 0 || ln == 0)
    return TL_OK;
  for (i = 0; i < a->n; i++)
    if (strlen(a->p[i].acr) == an && strncmp(a->p[i].acr, acr, an) == 0 &&
        strlen(a->p[i].lng) == ln && strncmp(a->p[i].lng, lng, ln) == 0)
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
  a->n++;
  return TL_OK;
}

/* One acronym key of the index: its long forms, one a line. */
static int on_meta(void *ctx, const char *key, const char *value) {
  tl_acronyms *a = ctx;
  const char *acr = key + strlen(TL_META_ACRONYM_PREFIX);
  while (*value) {
    size_t n = strcspn(value, "\n");
    if (add_pair(a, acr, strlen(acr), value, n) != TL_OK)
      return 1;
    value += n + (value[n] == '\n');
  }
  return 0;
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
    if (add_pair(a, line, an, line + an + 1, n - an - 1) != TL_OK)
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  fclose(f);
  if (rc == TL_OK && st)
    rc = tl_store_metadata_each(st, TL_META_ACRONYM_PREFIX, on_meta, a, err);
  if (rc != TL_OK) {
    tl_acronyms_free(a);
    return rc;
  }
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
  }
  free(a->p);
  free(a);
}

/* Whether the word forms from term index i on spell the long form lng
 * (words split at spaces and hyphens). */
static int spells(const tl_query *q, size_t i, const char *lng) {
  const char *p = lng;
  for (; i < q->nterms && *p; i++) {
    const tl_query_term *t = &q->terms[i];
    size_t n;
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED))
      continue;
    if (t->negated)
      return 0;
    n = strcspn(p, " -");
    if (n != t->len || memcmp(p, t->term, n) != 0)
      return 0;
    p += n;
    while (*p == ' ' || *p == '-')
      p++;
  }
  return *p == '\0';
}

tl_status tl_acronyms_expand(const tl_acronyms *a, const tl_query *q, char **query, char **shown,
                             tl_error *err) {
  tl_buf e = TL_BUF_INIT, s = TL_BUF_INIT;
  size_t i, k;
  int failed = 0;
  *query = *shown = NULL;
  for (i = 0; a && i < q->nterms; i++) {
    const tl_query_term *t = &q->terms[i];
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED) || t->negated)
      continue;
    for (k = 0; k < a->n; k++) {
      const pair *p = &a->p[k];
      if ((t->flags & TL_TERM_ACRONYM) && strlen(p->acr) == t->len &&
          memcmp(p->acr, t->term, t->len) == 0) {
        /* the acronym: its long form, as a phrase */
        failed |= tl_buf_append_str(&e, e.len ? " OR \"" : "\"");
        failed |= tl_buf_append_str(&e, p->lng);
        failed |= tl_buf_append_str(&e, "\"");
        failed |= tl_buf_append_str(&s, s.len ? "; " : "");
        failed |= tl_buf_append(&s, q->text + t->start, t->end - t->start);
        failed |= tl_buf_append_str(&s, " -> ");
        failed |= tl_buf_append_str(&s, p->lng);
      } else if (p->lng[0] == t->term[0] && spells(q, i, p->lng)) {
        /* the long form: its acronym, in capitals (not stemmed) */
        size_t m;
        failed |= tl_buf_append_str(&e, e.len ? " OR " : "");
        for (m = 0; p->acr[m]; m++) {
          char c = (char)toupper((unsigned char)p->acr[m]);
          failed |= tl_buf_append(&e, &c, 1);
        }
        failed |= tl_buf_append_str(&s, s.len ? "; " : "");
        failed |= tl_buf_append_str(&s, p->lng);
        failed |= tl_buf_append_str(&s, " -> ");
        for (m = 0; p->acr[m]; m++) {
          char c = (char)toupper((unsigned char)p->acr[m]);
          failed |= tl_buf_append(&s, &c, 1);
        }
      }
    }
  }
  if (!failed && e.len) {
    *query = tl_buf_take(&e, NULL);
    *shown = tl_buf_take(&s, NULL);
    failed = !*query || !*shown;
  }
  tl_buf_free(&e);
  tl_buf_free(&s);
  if (failed) {
    free(*query);
    free(*shown);
    *query = *shown = NULL;
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* Whether [s, s + n) is only ASCII letters a-z. */
static int lower_letters(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] < 'a' || s[i] > 'z')
      return 0;
  return n > 0;
}

tl_status tl_spelling_suggest(tl_store *st, const tl_query *q, char **out, tl_error *err) {
  tl_buf b = TL_BUF_INIT;
  size_t i, copied = 0;
  int changed = 0, failed = 0;
  tl_status rc = TL_OK;
  *out = NULL;
  for (i = 0; i < q->nterms && rc == TL_OK; i++) {
    const tl_query_term *t = &q->terms[i];
    char *fix = NULL;
    if (t->flags & (TL_TERM_STEM | TL_TERM_JOINED | TL_TERM_NUMBER | TL_TERM_ACRONYM) ||
        t->negated || t->operator_ || t->start < copied || t->len < 3 ||
        !lower_letters(t->term, t->len) || q->text[t->end] == ':' || q->text[t->end] == '*')
      continue;
    if ((rc = tl_store_spelling(st, t->term, &fix, err)) != TL_OK)
      break;
    if (*fix) {
      failed |= tl_buf_append(&b, q->text + copied, t->start - copied);
      failed |= tl_buf_append_str(&b, fix);
      copied = t->end;
      changed = 1;
    }
    free(fix);
  }
  if (rc == TL_OK && changed) {
    failed |= tl_buf_append_str(&b, q->text + copied);
    if (failed || !(*out = tl_buf_take(&b, NULL)))
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  tl_buf_free(&b);
  return rc;
}
