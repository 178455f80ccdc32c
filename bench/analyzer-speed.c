/* analyzer-speed: tokens per second of the whole analyzer (ICU segmentation,
 * normalization, stopwords, stemming) over the texts of a JSON Lines file,
 * on one core, for each stemmer named on the command line.
 * Usage: analyzer-speed FILE.jsonl[.gz] [STEMMER]... (default: indonesian snowball) */
#include "telusur/analysis.h"
#include "text/reader.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct text {
  char *p;
  size_t n;
} text;

static int count_word(void *ctx, int flags, const char *term, size_t len, size_t start, size_t end,
                      unsigned pos) {
  (void)term;
  (void)len;
  (void)start;
  (void)end;
  (void)pos;
  if (!(flags & (TL_TERM_STEM | TL_TERM_JOINED)))
    ++*(unsigned long *)ctx;
  return 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: steadier on a busy machine */
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  static const char *const dflt[] = {"indonesian", "snowball"};
  const char *const *names = dflt;
  int nnames = 2, i;
  tl_reader *r;
  tl_error err;
  const tl_article *a;
  text *texts = NULL;
  size_t ntexts = 0, cap = 0, bytes = 0, k;
  if (argc < 2) {
    fprintf(stderr, "usage: analyzer-speed FILE.jsonl [STEMMER]...\n");
    return 2;
  }
  if (argc > 2) {
    names = (const char *const *)argv + 2;
    nnames = argc - 2;
  }
  if (tl_reader_open(argv[1], &r, &err) != TL_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 2;
  }
  for (;;) {
    int rc = tl_reader_next(r, &a, &err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK)
      continue;
    if (tl_array_reserve((void **)&texts, &cap, ntexts + 1, sizeof *texts) != TL_OK ||
        !(texts[ntexts].p = malloc(a->text_len + 1))) {
      fprintf(stderr, "out of memory\n");
      return 2;
    }
    memcpy(texts[ntexts].p, a->text, a->text_len);
    texts[ntexts].n = a->text_len;
    bytes += a->text_len;
    ntexts++;
  }
  tl_reader_free(r);
  printf("%-12s %10s %12s %10s %14s\n", "stemmer", "texts", "tokens", "seconds", "tokens/s");
  for (i = 0; i < nnames; i++) {
    tl_analyzer_options o;
    tl_analyzer *an;
    unsigned long tokens = 0;
    double t0, t1, best = 1e9;
    int round;
    memset(&o, 0, sizeof o);
    o.stemmer = names[i];
    if (tl_analyzer_create(&o, &an, &err) != TL_OK) {
      fprintf(stderr, "%s\n", err.msg);
      return 2;
    }
    /* the best of five rounds (CPU time), after the first has filled the stem cache */
    for (round = 0; round < 5; round++) {
      tokens = 0;
      t0 = now();
      for (k = 0; k < ntexts; k++)
        tl_analyzer_run(an, texts[k].p, texts[k].n, 1, count_word, &tokens, NULL, &err);
      t1 = now();
      if (t1 - t0 < best)
        best = t1 - t0;
    }
    printf("%-12s %10zu %12lu %10.3f %14.0f\n", names[i], ntexts, tokens, best,
           (double)tokens / best);
    tl_analyzer_free(an);
  }
  printf("(%zu bytes of text)\n", bytes);
  for (k = 0; k < ntexts; k++)
    free(texts[k].p);
  free(texts);
  return 0;
}
