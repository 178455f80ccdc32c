/* query.c - a query analyzed once. */
#include "search/query.h"

#include "text/reader.h"
#include "util/buf.h"

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

/* Xapian's operators, as typed. XOR is not among them: Xapian 1.4.22
 * crashes in get_mset on some queries that hold XOR (found by fuzzing), so
 * the rewrite turns it into the plain word "xor". */
static int is_operator(const char *s, size_t n) {
  static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", "ADJ"};
  size_t i;
  for (i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strlen(ops[i]) == n && memcmp(ops[i], s, n) == 0)
      return 1;
  return 0;
}

/* Marks the terms within the query's negated parts: a word or "phrase"
 * after NOT, or one led by '-' (a term overlapping such a part counts as
 * in it). */
static void mark_negated(tl_query *q) {
  const char *text = q->text, *p = text;
  size_t i;
  while (*p) {
    int negate = 0;
    const char *start;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    start = p;
    if (*p == '-') {
      negate = 1;
    } else if (strncmp(p, "NOT", 3) == 0 && (p[3] == ' ' || p[3] == '\t')) {
      negate = 1;
      p += 3;
      while (*p == ' ' || *p == '\t')
        p++;
    }
    if (*p == '"') {
      const char *e = strchr(p + 1, '"');
      p = e ? e + 1 : p + strlen(p);
    } else {
      while (*p && !strchr(" \t\n\r", *p))
        p++;
    }
    if (negate)
      for (i = 0; i < q->nterms; i++)
        if (q->terms[i].start < (size_t)(p - text) && q->terms[i].end > (size_t)(start - text))
          q->terms[i].negated = 1;
  }
}

/* Whether the text ends with a question mark: '?' or the full-width
 * U+FF1F, before closing quotes, brackets, '!' and spaces. */
static int ends_in_question_mark(const char *text, size_t n) {
  while (n > 0 && strchr(" \t\r\n\"')]!", text[n - 1]))
    n--;
  return (n > 0 && text[n - 1] == '?') || (n >= 3 && memcmp(text + n - 3, "\xEF\xBC\x9F", 3) == 0);
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
    t->operator_ = is_operator(q->text + t->start, t->end - t->start);
    t->question = !(t->flags & (TL_TERM_STEM | TL_TERM_JOINED)) && questions &&
                  tl_analyzer_is_stopword(questions, t->term, t->len);
    if (t->question && !q->question_word)
      q->question_word = t->term;
  }
  mark_negated(q);
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
  free(q);
}
