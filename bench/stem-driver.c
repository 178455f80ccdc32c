/*
 * stem-driver.c - stems words read from standard input with one of
 * telusur's stemmers, for bench/stem-accuracy.sh.
 *
 * Usage: stem-driver [-d DATA_DIR] [-t] STEMMER < words
 * STEMMER is a name tl_stemmer_create() knows (indonesian, snowball, none).
 * Reads one word a line (only the first tab-separated field is used) and
 * writes "word<TAB>stem" a line. With -t it stems the input 20 times over
 * and prints the throughput to standard error instead.
 */
#include "text/stemmer.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/** Runs the driver; see the file comment. */
int main(int argc, char **argv) {
  const char *data_dir = NULL, *name = NULL;
  tl_stemmer *s;
  tl_error err;
  char line[4096];
  char **words = NULL;
  size_t nwords = 0, cap = 0, i;
  int timing = 0, a, rep;
  for (a = 1; a < argc; a++) {
    if (strcmp(argv[a], "-d") == 0 && a + 1 < argc)
      data_dir = argv[++a];
    else if (strcmp(argv[a], "-t") == 0)
      timing = 1;
    else
      name = argv[a];
  }
  if (!name) {
    fprintf(stderr, "usage: stem-driver [-d DATA_DIR] [-t] STEMMER < words\n");
    return 2;
  }
  if (tl_stemmer_create(name, data_dir, &s, &err) != TL_OK) {
    fprintf(stderr, "stem-driver: %s\n", err.msg);
    return 1;
  }
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strcspn(line, "\t\r\n");
    line[n] = '\0';
    if (!timing) {
      size_t sl;
      const char *st = tl_stemmer_stem(s, line, n, &sl);
      printf("%s\t%.*s\n", line, (int)sl, st);
      continue;
    }
    if (tl_array_reserve((void **)&words, &cap, nwords + 1, sizeof *words) != TL_OK ||
        !(words[nwords] = strdup(line)))
      return 1;
    nwords++;
  }
  if (timing) {
    struct timespec t0, t1;
    size_t total = 0, sink = 0;
    double sec;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (rep = 0; rep < 20; rep++)
      for (i = 0; i < nwords; i++) {
        size_t sl;
        tl_stemmer_stem(s, words[i], strlen(words[i]), &sl);
        sink += sl;
        total++;
      }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "%zu stems in %.3f s: %.0f words/s (checksum %zu)\n", total, sec,
            (double)total / sec, sink);
    for (i = 0; i < nwords; i++)
      free(words[i]);
    free(words);
  }
  tl_stemmer_free(s);
  return 0;
}
