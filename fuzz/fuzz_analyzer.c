/*
 * fuzz_analyzer.c - libFuzzer harness for the analyzer (ICU segmentation,
 * NFKC case folding, hyphen groups, stemming, stopwords).
 *
 * Input: one selector byte (which stemmer: indonesian, snowball, none), then
 * arbitrary bytes (invalid UTF-8 included: the analyzer reads it as U+FFFD).
 * Checks every term: not empty, at most TL_TERM_MAX bytes, a byte range
 * inside the input, positions below the one run returns as next; and that the stemmer
 * and stopword lookup take every term back without trouble.
 */
#include "telusur/analysis.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static tl_analyzer *analyzers[3];
static const char *const stemmers[3] = {"indonesian", "snowball", "none"};

typedef struct ctx {
  tl_analyzer *a;
  size_t len;
  unsigned max_pos;
  unsigned long terms;
} ctx;

static int on_term(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                   unsigned pos) {
  ctx *c = vctx;
  size_t stem_len = 0;
  const char *stem;
  if (len == 0 || len > TL_TERM_MAX || start > end || end > c->len || pos < 1)
    abort();
  if (memchr(term, '\0', len))
    abort();
  if (pos > c->max_pos)
    c->max_pos = pos;
  c->terms++;
  if (!(flags & TL_TERM_STEM)) {
    stem = tl_analyzer_stem(c->a, term, len, &stem_len);
    if (stem && stem_len > 0)
      (void)stem[stem_len - 1];
    (void)tl_analyzer_is_stopword(c->a, term, len);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tl_error err;
  ctx c;
  unsigned next = 0;
  int which;
  if (size < 1)
    return 0;
  which = data[0] % 3;
  if (!analyzers[which]) {
    tl_analyzer_options o;
    memset(&o, 0, sizeof o);
    o.stemmer = stemmers[which];
    if (tl_analyzer_create(&o, &analyzers[which], &err) != TL_OK)
      abort();
  }
  memset(&c, 0, sizeof c);
  c.a = analyzers[which];
  c.len = size - 1;
  if (tl_analyzer_run(c.a, (const char *)data + 1, size - 1, 1, on_term, &c, &next, &err) != TL_OK)
    abort();
  if (c.terms > 0 && next <= c.max_pos)
    abort(); /* next_pos is the position after the last word */
  return 0;
}
