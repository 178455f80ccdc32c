/*
 * fuzz_passage.c - libFuzzer harness for the passage splitter.
 *
 * The input, when it is valid UTF-8 (the splitter's contract, which the
 * reader guarantees), is split into passages; the harness checks that the
 * passages are in order, inside the text, not overlapping, not empty, and
 * numbered 1, 2, ..., with headings inside the text too.
 */
#include "text/passage.h"
#include "text/reader.h"

#include <stdint.h>
#include <stdlib.h>

static tl_passage_list list;

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
  return 0;
}
