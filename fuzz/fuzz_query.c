/*
 * fuzz_query.c - libFuzzer harness for query parsing and search.
 *
 * At start-up the harness indexes the bundled seed article into a
 * temporary index; every input, as a NUL-terminated string, is then
 * rewritten by the analyzer and run through Xapian's query parser and BM25
 * ranking, with and without --explain. Any status is fine (a bad query is
 * TL_ERR_USAGE or TL_ERR_UTF8 with a message); results must be well formed:
 * ranks in order, highlights inside their snippet.
 */
#include "index/documents.h"
#include "telusur/search.h"
#include "text/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tl_searcher *searcher;
static char dbdir[256];

static void remove_db(void) {
  char cmd[300];
  if (searcher)
    tl_searcher_close(searcher);
  searcher = NULL;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dbdir);
  if (system(cmd) != 0) {
    /* a leftover temporary directory is harmless */
  }
}

static void build_index(void) {
  const char *seed = TELUSUR_SOURCE_DATA_DIR "/corpus/000_2094494d46160138.txt";
  char tmpl[] = "/tmp/telusur-fuzz-query.XXXXXX";
  tl_index *ix;
  tl_reader *r;
  const tl_article *a;
  tl_error err;
  if (!mkdtemp(tmpl))
    abort();
  snprintf(dbdir, sizeof dbdir, "%s/db", tmpl);
  if (tl_index_open(dbdir, NULL, &ix, &err) != TL_OK || tl_reader_open(seed, &r, &err) != TL_OK) {
    fprintf(stderr, "fuzz_query: %s\n", err.msg);
    abort();
  }
  while (tl_reader_next(r, &a, &err) == TL_OK)
    if (tl_index_add(ix, a, NULL, &err) != TL_OK)
      abort();
  tl_reader_free(r);
  if (tl_index_commit(ix, &err) != TL_OK)
    abort();
  tl_index_close(ix);
  if (tl_searcher_open(dbdir, NULL, NULL, &searcher, &err) != TL_OK) {
    fprintf(stderr, "fuzz_query: %s\n", err.msg);
    abort();
  }
  /* the directory holding dbdir goes too */
  snprintf(dbdir, sizeof dbdir, "%s", tmpl);
  atexit(remove_db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *q, *rewritten = NULL;
  tl_results *res = NULL;
  tl_error err;
  size_t i, k;
  int rc;
  if (!searcher)
    build_index();
  if (!(q = malloc(size + 1)))
    return 0;
  memcpy(q, data, size);
  q[size] = '\0';
  rc = tl_search_rewrite(searcher, q, &rewritten, &err);
  if (rc == TL_OK)
    free(rewritten);
  else if ((rc != TL_ERR_UTF8 && rc != TL_ERR_NOMEM && rc != TL_ERR_USAGE && rc != TL_ERR_LIMIT) ||
           err.msg[0] == '\0')
    abort(); /* a query is refused only as bad input, saying why */
  tl_error_clear(&err);
  rc = tl_search(searcher, q, 0, 5, size % 2, &res, &err);
  if (rc == TL_OK) {
    for (i = 0; i < res->count; i++) {
      const tl_result *r = &res->items[i];
      size_t n = strlen(r->snippet);
      if (r->rank != i + 1)
        abort();
      for (k = 0; k < r->nhighlights; k++)
        if (r->highlights[k].start > r->highlights[k].end || r->highlights[k].end > n)
          abort();
    }
    tl_results_free(res);
  } else if (err.msg[0] == '\0') {
    abort(); /* a failure always says why */
  }
  free(q);
  return 0;
}
