/* query.c - a query analyzed once. */
#include "search/query.h"

#include "text/reader.h"
#include "util/buf.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_ctx {
  tl_query *q;
  size_t cap;
  tl_buf arena; /* the terms' bytes, each followed by a NUL */
  int failed;
} parse_ctx;

static int on_term(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                   unsigned pos) {
  parse_ctx *c = vctx;
  tl_query *q = c->q;
  tl_query_term *t;
  size_t used = c->arena.len;
  if (tl_array_reserve((void **)&q->terms, &c->cap, q->nterms + 1, sizeof *q->terms) != TL_OK ||
      tl_buf_append(&c->arena, term, len) != TL_OK || tl_buf_append(&c->arena, "", 1) != TL_OK)
    return c->failed = TL_ERR_NOMEM;
  t = &q->terms[q->nterms++];
  memset(t, 0, sizeof *t);
  t->flags = flags;
  t->start = start;
  t->end = end;
  t->pos = pos;
  t->term = (const char *)(uintptr_t)used; /* an offset until the arena is final */
  t->len = len;
  return 0;
}

/* XOR is not among the operators: Xapian 1.4.22 crashes in get_mset on
 * some queries that hold XOR (found by fuzzing), so the rewrite turns it
 * into the plain word "xor". */
int tl_query_is_operator(const char *s, size_t n) {
  static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", "ADJ"};
  size_t i, m;
  for (i = 0; i < sizeof ops / sizeof *ops; i++) {
    m = strlen(ops[i]);
    if (m <= n && memcmp(ops[i], s, m) == 0 &&
        (m == n ||
         (i >= 3 && s[m] == '/' && m + 1 < n && strspn(s + m + 1, "0123456789") >= n - m - 1)))
      return 1; /* NEAR/3, ADJ/2 too */
  }
  return 0;
}

/* The position in q->by_start_ of the first term that starts at or after
 * byte start with an index at or after i. */
static size_t lower_bound(const tl_query *q, size_t start, size_t i) {
  size_t lo = 0, hi = q->nterms;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const tl_query_term *t = &q->terms[q->by_start_[mid]];
    if (t->start < start || (t->start == start && q->by_start_[mid] < i))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

const tl_query_term *tl_query_find(const tl_query *q, size_t i, size_t start, int flags_on,
                                   int flags_off) {
  size_t k;
  for (k = lower_bound(q, start, i); k < q->nterms; k++) {
    const tl_query_term *t = &q->terms[q->by_start_[k]];
    if (t->start != start)
      break;
    if ((t->flags & flags_on) == flags_on && !(t->flags & flags_off))
      return t;
  }
  return NULL;
}

typedef struct start_index {
  size_t start, index;
} start_index;

/* qsort order of terms: by start, then index. */
static int start_index_cmp(const void *a, const void *b) {
  const start_index *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Fills q->by_start_ and q->max_span_; non-zero when out of memory. */
static int index_terms(tl_query *q) {
  start_index *p = malloc((q->nterms + 1) * sizeof *p);
  size_t i;
  if (!p || !(q->by_start_ = malloc((q->nterms + 1) * sizeof *q->by_start_))) {
    free(p);
    return -1;
  }
  for (i = 0; i < q->nterms; i++) {
    p[i].start = q->terms[i].start;
    p[i].index = i;
    if (q->terms[i].end - q->terms[i].start > q->max_span_)
      q->max_span_ = q->terms[i].end - q->terms[i].start;
  }
  if (q->nterms > 1)
    qsort(p, q->nterms, sizeof *p, start_index_cmp);
  for (i = 0; i < q->nterms; i++)
    q->by_start_[i] = p[i].index;
  free(p);
  return 0;
}

/* The end of the query part that starts at p: a "phrase" to its closing
 * quote, a (group) to its closing bracket, else a word to the next space
 * outside quotes (title:"a phrase"). */
static const char *part_end(const char *p) {
  int depth = 0, in_quotes = 0;
  if (*p != '(') {
    for (; *p && (in_quotes || !strchr(" \t\n\r", *p)); p++)
      if (*p == '"')
        in_quotes = !in_quotes;
    return p;
  }
  for (; *p; p++) {
    if (*p == '"')
      in_quotes = !in_quotes;
    else if (!in_quotes && *p == '(')
      depth++;
    else if (!in_quotes && *p == ')' && --depth == 0)
      return p + 1;
  }
  return p;
}

/* Marks the terms within the query's negated parts: a word, "phrase" or
 * (group) after NOT (negated 1), or a word or phrase led by '-' (negated
 * 2), within brackets or not (a term overlapping such a part counts as in
 * it). */
static void mark_negated(tl_query *q) {
  const char *text = q->text, *p = text;
  size_t k;
  while (*p) {
    int negate = 0;
    const char *start;
    p += strspn(p, " \t\n\r(");
    if (!*p)
      break;
    start = p;
    if (*p == '-') {
      negate = 2;
      p++;
    } else if (strncmp(p, "NOT", 3) == 0 && (p[3] == ' ' || p[3] == '\t')) {
      negate = 1;
      p += 3;
      p += strspn(p, " \t");
    }
    p = part_end(p);
    if (!negate)
      continue;
    /* the terms overlapping [start, p): those starting within max_span_
     * bytes before start, up to p */
    {
      size_t s = (size_t)(start - text), e = (size_t)(p - text);
      for (k = lower_bound(q, s > q->max_span_ ? s - q->max_span_ : 0, 0); k < q->nterms; k++) {
        tl_query_term *t = &q->terms[q->by_start_[k]];
        if (t->start >= e)
          break;
        if (t->end > s)
          t->negated = negate;
      }
    }
  }
}

/* Whether the text ends with a question mark: '?' or the full-width
 * U+FF1F, before closing quotes, brackets, '!' and spaces. */
static int ends_in_question_mark(const char *text, size_t n) {
  while (n > 0 && strchr(" \t\r\n\"')]!", text[n - 1]))
    n--;
  return (n > 0 && text[n - 1] == '?') || (n >= 3 && memcmp(text + n - 3, "\xEF\xBC\x9F", 3) == 0);
}

/* The words of text as typed: runs of characters between white space
 * that hold a letter or digit, operators aside ("negara-negara", "-negara",
 * "NOT negara" and "title:negara" are one each). */
static size_t typed_words(const char *text) {
  size_t n = 0, len, k;
  const char *p = text;
  while (*p) {
    p += strspn(p, " \t\r\n");
    len = strcspn(p, " \t\r\n");
    for (k = 0; k < len && !tl_query_is_operator(p, len); k++)
      if (isalnum((unsigned char)p[k]) || (unsigned char)p[k] >= 0x80) {
        n++;
        break;
      }
    p += len;
  }
  return n;
}

/* TL_OK, or the error of a query over TL_QUERY_MAX_WORDS words as typed
 * or TL_QUERY_MAX_TERMS terms, or with a NEAR/N or ADJ/N distance out of
 * range. */
static tl_status check_limits(const tl_query *q, tl_error *err) {
  size_t i, words = 0, typed = typed_words(q->text);
  for (i = 0; i < q->nterms; i++) {
    const tl_query_term *t = &q->terms[i];
    const char *after = q->text + t->end;
    if (!(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)))
      words++;
    if (t->operator_ && *after == '/' && after[1] >= '0' && after[1] <= '9' &&
        ((t->end - t->start == 4 && memcmp(q->text + t->start, "NEAR", 4) == 0) ||
         (t->end - t->start == 3 && memcmp(q->text + t->start, "ADJ", 3) == 0))) {
      unsigned long v = 0;
      size_t n = 1;
      for (; after[n] >= '0' && after[n] <= '9'; n++)
        if (v <= TL_QUERY_MAX_NEAR)
          v = v * 10 + (unsigned long)(after[n] - '0');
      if (v < 1 || v > TL_QUERY_MAX_NEAR)
        return tl_error_set(
            err, TL_ERR_USAGE, "query: %.*s: the distance must be from 1 to %d word positions",
            (int)(t->end - t->start + (n > 40 ? 40 : n)), q->text + t->start, TL_QUERY_MAX_NEAR);
    }
  }
  if (typed > TL_QUERY_MAX_WORDS)
    return tl_error_set(err, TL_ERR_LIMIT, "query: %zu words, over the limit of %d", typed,
                        TL_QUERY_MAX_WORDS);
  if (words > TL_QUERY_MAX_TERMS)
    return tl_error_set(err, TL_ERR_LIMIT,
                        "query: %zu terms (its words, their parts and forms), over the limit of %d",
                        words, TL_QUERY_MAX_TERMS);
  return TL_OK;
}

/* The token of text that ends at end (exclusive): its first byte, a
 * phrase in quotes whole ("a b"), a field's quoted value with its field. */
static const char *token_before(const char *text, const char *end) {
  const char *p = end;
  if (p > text && p[-1] == '"') {
    for (p--; p > text && p[-1] != '"'; p--)
      ;
    if (p > text)
      p--;
  }
  while (p > text && !strchr(" \t\r\n()", p[-1]))
    p--;
  return p;
}

/* Whether the token [p, e) holds a field (a ':' before any quote) or ends
 * in a wildcard. */
static int field_or_wildcard(const char *p, const char *e) {
  const char *quote = memchr(p, '"', (size_t)(e - p));
  const char *colon = memchr(p, ':', (size_t)((quote ? quote : e) - p));
  if (p < e && (*p == '+' || *p == '-'))
    p++;
  /* a field's name begins with a letter (10:30 is a time) */
  return (colon && p < colon && isalpha((unsigned char)*p)) || (e > p && e[-1] == '*');
}

/* TL_OK, or the error of an operator Xapian's parser would read otherwise
 * than a person means it:
 *  - NEAR or ADJ without a word on a side, or beside a bracket, a field or
 *    a wildcard (they join plain words and phrases: a field's positions are
 *    not the text's), or beside a word led by '-' (the parser would read it
 *    as wanted);
 *  - AND, OR or NOT beside a word led by '-' ("hujan -banjir OR longsor");
 *  - OR beside an exclusion ('-word' or NOT) within the same brackets
 *    ("hujan OR longsor -banjir" excludes banjir from longsor alone). */
static tl_status check_operators(const tl_query *q, tl_error *err) {
  enum { DEPTH = 32 };
  unsigned char has_or[DEPTH] = {0}, has_not[DEPTH] = {0};
  size_t i, k, depth = 0;
  int in_quotes = 0;
  const char *p;
  for (i = 0; i < q->nterms; i++) {
    const tl_query_term *t = &q->terms[i];
    size_t n = t->end - t->start;
    const char *after, *next_end, *before, *prev;
    int near = (n == 4 && memcmp(q->text + t->start, "NEAR", 4) == 0) ||
               (n == 3 && memcmp(q->text + t->start, "ADJ", 3) == 0);
    if (!t->operator_)
      continue;
    n += strcspn(q->text + t->end, " \t\r\n\"()"); /* NEAR/3 */
    after = q->text + t->start + n;
    after += strspn(after, " \t\r\n");
    next_end = after;
    if (*next_end == '"' || (*next_end && next_end[1] == '"' && strchr("+-", *next_end))) {
      const char *close = strchr(strchr(next_end, '"') + 1, '"');
      next_end = close ? close + 1 : next_end + strlen(next_end);
    }
    next_end += strcspn(next_end, " \t\r\n()");
    for (before = q->text + t->start; before > q->text && strchr(" \t\r\n", before[-1]); before--)
      ;
    prev = token_before(q->text, before);
    if (near && (!*after || *after == ')' || before == q->text || before[-1] == '(' ||
                 tl_query_is_operator(after, (size_t)(next_end - after)) ||
                 tl_query_is_operator(prev, (size_t)(before - prev))))
      return tl_error_set(err, TL_ERR_USAGE, "query: %.*s needs a word on each side", (int)n,
                          q->text + t->start);
    if (near && (*after == '(' || (before > q->text && before[-1] == ')') ||
                 field_or_wildcard(after, next_end) || field_or_wildcard(prev, before)))
      return tl_error_set(err, TL_ERR_USAGE,
                          "query: %.*s beside a bracket, a field or a wildcard: NEAR and ADJ join "
                          "plain words and phrases of the text (title:\"a b\" is a phrase of "
                          "titles)",
                          (int)n, q->text + t->start);
    for (k = 0; near && k < q->nterms && *after != '-'; k++) {
      const tl_query_term *o = &q->terms[k];
      if (o->negated == 2 && o->pos + 1 == t->pos && !(o->flags & (TL_TERM_STEM | TL_TERM_JOINED)))
        break;
    }
    if (*after == '-' || (near && k < q->nterms) || (!near && prev < before && *prev == '-'))
      return near ? tl_error_set(err, TL_ERR_USAGE,
                                 "query: %.*s beside an excluded word ('-'): NEAR and ADJ join "
                                 "words that a passage holds",
                                 (int)n, q->text + t->start)
                  : tl_error_set(err, TL_ERR_USAGE,
                                 "query: %.*s beside an excluded word ('-'): write the exclusion "
                                 "after brackets ((hujan OR longsor) -banjir) or with NOT (hujan "
                                 "NOT banjir)",
                                 (int)n, q->text + t->start);
  }
  /* OR and an exclusion side by side, within one pair of brackets */
  for (p = q->text;; p++) {
    if (*p == '"')
      in_quotes = !in_quotes;
    if (in_quotes && *p)
      continue;
    if (!*p || *p == ')') {
      if (depth < DEPTH && has_or[depth] && has_not[depth])
        return tl_error_set(err, TL_ERR_USAGE,
                            "query: OR beside an exclusion ('-word' or NOT) in the same brackets: "
                            "brackets say what it excludes from ((hujan OR longsor) -banjir, or "
                            "hujan OR (longsor -banjir))");
      if (!*p)
        break;
      if (depth < DEPTH)
        has_or[depth] = has_not[depth] = 0;
      if (depth)
        depth--;
    } else if (*p == '(') {
      depth++;
      if (depth < DEPTH)
        has_or[depth] = has_not[depth] = 0;
    } else if (p == q->text || strchr(" \t\r\n(", p[-1])) {
      size_t w = strcspn(p, " \t\r\n()");
      int is_or = w == 2 && memcmp(p, "OR", 2) == 0;
      int is_not = (w == 3 && memcmp(p, "NOT", 3) == 0) || (*p == '-' && w > 1);
      if (depth < DEPTH) {
        has_or[depth] |= is_or;
        has_not[depth] |= is_not;
      }
    }
  }
  return TL_OK;
}

tl_status tl_query_parse(tl_analyzer *analyzer, const tl_analyzer *questions, const char *text,
                         tl_query **out, tl_error *err) {
  parse_ctx c;
  tl_query *q;
  size_t bad, i;
  int rc;
  *out = NULL;
  if (tl_utf8_check(text, strlen(text), &bad) != TL_OK)
    return tl_error_set(err, TL_ERR_UTF8, "query: invalid UTF-8 at byte offset %zu", bad);
  if (!(q = calloc(1, sizeof *q)) || !(q->text = strdup(text))) {
    free(q);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  q->len = strlen(text);
  memset(&c, 0, sizeof c);
  c.q = q;
  rc = tl_analyzer_run(analyzer, q->text, q->len, 1, on_term, &c, NULL, err);
  if (rc == TL_OK && !(q->arena_ = tl_buf_take(&c.arena, NULL)))
    rc = TL_ERR_NOMEM;
  tl_buf_free(&c.arena);
  if (rc != TL_OK) {
    tl_query_free(q);
    if (rc == TL_ERR_NOMEM || c.failed)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    return (tl_status)rc;
  }
  for (i = 0; i < q->nterms; i++) {
    tl_query_term *t = &q->terms[i];
    t->term = q->arena_ + (uintptr_t)t->term;
    t->operator_ = tl_query_is_operator(q->text + t->start, t->end - t->start);
    t->question = !(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) && questions &&
                  tl_analyzer_is_stopword(questions, t->term, t->len);
    if (t->question && !q->question_word)
      q->question_word = t->term;
  }
  if (index_terms(q)) {
    tl_query_free(q);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if ((rc = check_limits(q, err)) != TL_OK) {
    tl_query_free(q);
    return (tl_status)rc;
  }
  mark_negated(q);
  if ((rc = check_operators(q, err)) != TL_OK) {
    tl_query_free(q);
    return (tl_status)rc;
  }
  q->question = q->question_word != NULL || ends_in_question_mark(q->text, q->len);
  *out = q;
  return TL_OK;
}

void tl_query_free(tl_query *q) {
  if (!q)
    return;
  free(q->text);
  free(q->terms);
  free(q->arena_);
  free(q->by_start_);
  free(q);
}
