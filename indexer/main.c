/* telusur-index: index articles into a telusur database. */
#include "error.h"
#include "index.h"
#include "reader.h"
#include "walk.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_SKIPPED 1
#define EXIT_FATAL 2

static const char usage[] =
    "Usage: telusur-index [OPTION]... PATH...\n"
    "Index Indonesian articles for telusur-query. PATH is a file or a directory\n"
    "(walked recursively in name order); '-' reads paths from standard input,\n"
    "one a line. Formats: .txt (first non-empty line is the title, paragraphs\n"
    "separated by blank lines), .jsonl (one article per line: id, title, text,\n"
    "and optional date, url, source), and both gzip-compressed (.gz).\n"
    "Re-indexing an article (same id) replaces its passages.\n"
    "\n"
    "  -d, --db=DB          the index (default: $TELUSUR_DB, else ./telusur.db)\n"
    "      --stemmer=NAME   indonesian (default), snowball or none; fixed when\n"
    "                       the index is created\n"
    "      --batch=N        commit every N articles (default 1000)\n"
    "  -q, --quiet          print no summary\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Bad input (a missing or unreadable file, invalid UTF-8, binary data, a\n"
    "malformed JSON line, truncated gzip data) is reported on stderr, one line\n"
    "naming the file and the line or byte offset, and skipped; the rest is\n"
    "indexed. Each commit is atomic: an interrupted run leaves the index as it\n"
    "was at the last commit.\n"
    "\n"
    "Exit status: 0 all input indexed; 1 indexed, but some input was skipped;\n"
    "2 error (bad usage, or the index could not be opened or written).\n";

typedef struct run {
  tl_index *ix;
  unsigned batch;
  unsigned long files, articles, passages, skipped_files, skipped_records,
      uncommitted;
  unsigned long long bytes;
  int fatal;
} run;

static void note(const char *msg) { fprintf(stderr, "telusur-index: %s\n", msg); }

static int index_file(run *r, const char *path) {
  tl_reader *rd;
  tl_error err;
  const tl_article *a;
  int rc;
  if ((rc = tl_reader_open(path, &rd, &err)) != TL_OK) {
    note(err.msg);
    r->skipped_files++;
    return 0;
  }
  r->files++;
  for (;;) {
    size_t np = 0;
    rc = tl_reader_next(rd, &a, &err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK) {
      note(err.msg);
      r->skipped_records++;
      continue;
    }
    if ((rc = tl_index_add(r->ix, a, &np, &err)) != TL_OK) {
      note(err.msg);
      r->fatal = 1;
      break;
    }
    r->articles++;
    r->passages += np;
    if (++r->uncommitted >= r->batch) {
      if (tl_index_commit(r->ix, &err) != TL_OK) {
        note(err.msg);
        r->fatal = 1;
        break;
      }
      r->uncommitted = 0;
    }
  }
  r->bytes += tl_reader_bytes(rd);
  tl_reader_free(rd);
  return r->fatal;
}

static int on_path(void *ctx, const char *path, int kind, const char *msg) {
  run *r = ctx;
  if (kind == TL_WALK_FILE)
    return index_file(r, path);
  fprintf(stderr, "telusur-index: %s: %s%s\n", path, msg,
          kind == TL_WALK_SKIPPED ? "" : ", skipped");
  if (kind == TL_WALK_ERROR)
    r->skipped_files++;
  return 0;
}

static int index_path(run *r, const char *path) {
  return tl_walk(path, on_path, r);
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},   {"stemmer", required_argument, NULL, 's'},
      {"batch", required_argument, NULL, 'b'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  const char *db = getenv("TELUSUR_DB");
  tl_index_options opts;
  run r;
  tl_error err;
  int c, i, quiet = 0, status;
  struct timespec t0, t1;
  memset(&opts, 0, sizeof opts);
  memset(&r, 0, sizeof r);
  r.batch = 1000;
  if (!db || !*db)
    db = "telusur.db";
  while ((c = getopt_long(argc, argv, "d:qhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 's': opts.stemmer = optarg; break;
    case 'b': {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*end || v < 1 || v > 10000000) {
        fprintf(stderr, "telusur-index: --batch takes a number from 1 to 10000000\n");
        return EXIT_FATAL;
      }
      r.batch = (unsigned)v;
      break;
    }
    case 'q': quiet = 1; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': printf("telusur-index %s\n", TELUSUR_VERSION); return 0;
    default: fputs("Try 'telusur-index --help' for more information.\n", stderr); return EXIT_FATAL;
    }
  }
  if (optind >= argc) {
    fputs("telusur-index: no PATH given\nTry 'telusur-index --help' for more information.\n", stderr);
    return EXIT_FATAL;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (tl_index_open(db, &opts, &r.ix, &err) != TL_OK) {
    note(err.msg);
    return EXIT_FATAL;
  }
  for (i = optind; i < argc && !r.fatal; i++) {
    if (strcmp(argv[i], "-") == 0) {
      char *line = NULL;
      size_t cap = 0;
      ssize_t n;
      while (!r.fatal && (n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
          line[--n] = '\0';
        if (n > 0)
          index_path(&r, line);
      }
      free(line);
    } else {
      index_path(&r, argv[i]);
    }
  }
  if (!r.fatal && tl_index_commit(r.ix, &err) != TL_OK) {
    note(err.msg);
    r.fatal = 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!quiet)
    fprintf(stderr,
            "telusur-index: %lu articles (%lu passages) from %lu files, %.1f MB, "
            "in %.2f s; skipped: %lu files, %lu records; index: %lu passages%s\n",
            r.articles, r.passages, r.files, (double)r.bytes / 1e6,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            r.skipped_files, r.skipped_records, tl_index_passage_count(r.ix),
            r.fatal ? "; stopped by an error, the index keeps its last commit" : "");
  tl_index_close(r.ix);
  status = r.fatal ? EXIT_FATAL
           : (r.skipped_files || r.skipped_records) ? EXIT_SKIPPED
                                                    : 0;
  return status;
}
