/*
 * fuzz_passage.c - libFuzzer harness for the passage splitter.
 *
 * The input, when it is valid UTF-8 (the splitter's contract, which the
 * reader guarantees), is split into passages; the harness checks that the
 * passages are in order, inside the text, not overlapping, not empty, and
 * numbered 1, 2, ..., with headings inside the text too. Each passage is
 * then scanned for acronym definitions, as the indexer does: each short
 * and long form must lie inside the passage.
 */
#include "text/acronym.h"
#include "text/passage.h"
#include "text/reader.h"

#include <stdint.h>
#include <stdlib.h>

static tl_passage_list list;

/* The passage being scanned: [start, end). */
typedef struct span {
  const char *start, *end;
} span;

/* Every short form a word: the strict rule gets its share of inputs. */
static int any_word(void *ctx, const char *w, size_t n) {
  (void)ctx;
  return n > 0 && w[0] != '\0';
}

static int on_def(void *ctx, const char *acr, size_t an, const char *lng, size_t ln) {
  const span *p = ctx;
  if (an == 0 || ln == 0 || acr < p->start || acr + an > p->end || lng < p->start ||
      lng + ln > p->end)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  tl_error err;
  size_t i, prev_end = 0;
  if (tl_utf8_check(text, size, NULL) != TL_OK)
    return 0;
  if (tl_passages_split(text, size, &list, &err) != TL_OK)
    abort(); /* only out of memory or an ICU failure may fail */
  for (i = 0; i < list.count; i++) {
    const tl_passage *p = &list.items[i];
    if (p->ordinal != i + 1 || p->start >= p->end || p->end > size || p->start < prev_end)
      abort();
    if (p->heading_start > p->heading_end || p->heading_end > size)
      abort();
    prev_end = p->end;
  }
  for (i = 0; i < list.count; i++) {
    span sp = {text + list.items[i].start, text + list.items[i].end};
    if (tl_acronym_scan(sp.start, (size_t)(sp.end - sp.start), size % 2 ? any_word : NULL, NULL,
                        on_def, &sp) != 0)
      abort();
  }
  return 0;
}
