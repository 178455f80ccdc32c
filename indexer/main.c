/* telusur-index: index articles into a telusur database, in parallel and
 * incrementally; compact it; print its figures. */
#include "telusur/error.h"
#include "telusur/index.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_SKIPPED 1
#define EXIT_FATAL 2

static const char usage[] =
    "Usage: telusur-index [OPTION]... PATH...\n"
    "  or:  telusur-index [-d DB] --compact | --stats\n"
    "Index Indonesian articles for telusur-query. PATH is a file or a directory\n"
    "(walked recursively in name order); '-' reads paths from standard input,\n"
    "one a line. Formats: .txt (first non-empty line is the title, paragraphs\n"
    "separated by blank lines), .jsonl (one article per line: id, title, text,\n"
    "and optional date, url, source, keyword fields), .json (the same as a JSON\n"
    "array, objects across lines, or one a line), .html or .htm, and\n"
    "each gzip-compressed (.gz).\n"
    "Re-indexing an article (same id) replaces its passages. Re-running over\n"
    "the same paths mirrors them: unchanged files (same size and mtime, or the\n"
    "same content hash) and, in a changed JSON Lines file, unchanged articles\n"
    "are skipped; articles gone from a changed file are removed, and so are\n"
    "the articles of files recorded under a PATH given that are gone.\n"
    "\n"
    "  -d, --db=DB          the index (default: $TELUSUR_DB, else ./telusur.db)\n"
    "      --stemmer=NAME   indonesian (default), snowball or none; fixed when\n"
    "                       the index is created\n"
    "      --batch=N        commit every N articles (default 1000), and at the\n"
    "                       latest every 2 MB of passage text per database\n"
    "  -j, --jobs=N         analysis threads (default: the number of cores)\n"
    "      --no-delete      keep the articles of indexed files under PATH that\n"
    "                       are gone (by default they are removed)\n"
    "      --prune          accepted for compatibility: removing is the default\n"
    "      --date-format=FMT  a strptime(3) format tried first on dates (e.g.\n"
    "                       '%m/%d/%Y %H:%M'), before ISO 8601 and RFC 2822;\n"
    "                       a date not understood is named on stderr and its\n"
    "                       article indexed without a date\n"
    "      --shards=N       build N shard databases in parallel and a stub\n"
    "                       database DB that lists them (search it with\n"
    "                       telusur-query -d DB); fixed when DB is created\n"
    "      --compact        compact the database in place (Xapian compaction;\n"
    "                       with PATHs, after indexing them)\n"
    "      --stats          print articles, passages, distinct terms, size and\n"
    "                       last update (with PATHs, after indexing them)\n"
    "  -q, --quiet          print neither progress nor summary\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "On a terminal, a progress line on stderr shows files and articles done,\n"
    "passages, MB/s and time left; at the end a summary counts articles added,\n"
    "replaced, unchanged and removed, what was skipped and why, passages,\n"
    "bytes and seconds.\n"
    "\n"
    "Bad input (a missing or unreadable file, invalid UTF-8, binary data, a\n"
    "malformed JSON line, truncated gzip data) is reported on stderr, one line\n"
    "naming the file and the line or byte offset, and skipped; the rest is\n"
    "indexed. Each commit is atomic: an interrupted run leaves the index as it\n"
    "was at the last commit.\n"
    "\n"
    "Exit status: 0 all input indexed; 1 indexed, but some input was skipped;\n"
    "2 error (bad usage, or the index could not be opened or written).\n";

/* ---- the progress line and notes ---- */

typedef struct cli {
  int progress; /* a progress line is drawn */
  double last;  /* when it was last drawn, seconds */
} cli;

static void clear_progress(cli *c) {
  if (c->progress)
    fputs("\r\033[K", stderr);
}

/* A note on one line: a control character (a line break in a file's name)
 * is written as '?', so that a line still reads as one note. */
static void on_note(void *ctx, int code, const char *msg) {
  (void)code;
  clear_progress(ctx);
  fputs("telusur-index: ", stderr);
  for (; *msg; msg++)
    putc((unsigned char)*msg < 0x20 || *msg == 0x7f ? '?' : *msg, stderr);
  putc('\n', stderr);
}

static void on_progress(void *ctx, const tl_update_progress *p) {
  cli *c = ctx;
  double el = p->seconds, mbs, left = -1;
  char eta[32];
  if (el - c->last < 0.25)
    return;
  c->last = el;
  mbs = el > 0 ? (double)p->bytes_done / 1e6 / el : 0;
  if (p->bytes_total && p->bytes_done && p->bytes_done <= p->bytes_total)
    left = el * (double)(p->bytes_total - p->bytes_done) / (double)p->bytes_done;
  if (left >= 0)
    snprintf(eta, sizeof eta, "%d:%02d left", (int)left / 60, (int)left % 60);
  else
    snprintf(eta, sizeof eta, "--:-- left");
  if (p->total_files)
    fprintf(stderr,
            "\r\033[Ktelusur-index: %lu/%lu files, %lu articles, %lu passages, "
            "%.1f MB/s, %s",
            p->files + p->skipped_files, p->total_files, p->articles, p->passages, mbs, eta);
  else
    fprintf(stderr, "\r\033[Ktelusur-index: %lu files, %lu articles, %lu passages, %.1f MB/s",
            p->files + p->skipped_files, p->articles, p->passages, mbs);
}

/* The plural ending of a count's noun: "" for one, else "s". */
static const char *plural(unsigned long n) {
  return n == 1 ? "" : "s";
}

static void print_summary(const tl_update_summary *s) {
  char why[256] = "", undated[64] = "";
  size_t wl = 0;
  int k;
  for (k = 0; k < TL_UPDATE_REASONS; k++)
    if (s->reasons[k] && wl < sizeof why - 40)
      wl += (size_t)snprintf(why + wl, sizeof why - wl, "%s%s %lu", wl ? ", " : " (",
                             tl_update_reason_name(k), s->reasons[k]);
  if (wl)
    snprintf(why + wl, sizeof why - wl, ")");
  if (s->undated)
    snprintf(undated, sizeof undated, "%lu article%s without a parseable date; ", s->undated,
             plural(s->undated));
  fprintf(stderr,
          "telusur-index: %lu article%s (%lu passage%s) from %lu file%s, %.1f MB, "
          "in %.2f s; added %lu, replaced %lu, unchanged %lu, removed %lu; "
          "skipped: %lu file%s, %lu record%s%s; %sindex: %lu passage%s%s\n",
          s->articles, plural(s->articles), s->passages, plural(s->passages), s->files,
          plural(s->files), (double)s->bytes / 1e6, s->seconds, s->added, s->replaced, s->unchanged,
          s->removed, s->skipped_files, plural(s->skipped_files), s->skipped_records,
          plural(s->skipped_records), why, undated, s->index_passages, plural(s->index_passages),
          s->stopped ? "; stopped by an error, the index keeps its last commit" : "");
}

/* ---- maintenance ---- */

static int do_compact(const char *db, int quiet) {
  tl_error err;
  unsigned long long before = 0, after = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (tl_index_compact(db, &before, &after, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    return EXIT_FATAL;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!quiet)
    fprintf(stderr, "telusur-index: compacted %s: %.1f MB -> %.1f MB in %.2f s\n", db,
            (double)before / 1e6, (double)after / 1e6,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}

static int do_stats(const char *db) {
  tl_error err;
  tl_index_stats_t st;
  if (tl_index_stats(db, &st, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    return EXIT_FATAL;
  }
  printf("database\t%s\n", db);
  printf("articles\t%lu\n", st.articles);
  printf("passages\t%lu\n", st.passages);
  printf("distinct terms\t%llu\n", st.terms);
  printf("size\t%llu bytes (%.1f MB)\n", st.bytes, (double)st.bytes / 1e6);
  printf("shards\t%u\n", st.shards);
  printf("stemmer\t%s\n", *st.stemmer ? st.stemmer : "-");
  printf("last update\t%s\n", *st.updated ? st.updated : "-");
  return 0;
}

/* status, or EXIT_FATAL with a message when standard output could not be
 * written (a full disk, a closed pipe). */
static int out_status(int status) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "telusur-index: error writing output: %s\n", strerror(errno));
    return EXIT_FATAL;
  }
  return status;
}

static long parse_num(const char *opt, const char *arg, long lo, long hi) {
  char *end;
  long v;
  errno = 0;
  v = strtol(arg, &end, 10);
  if (errno || *end || end == arg || v < lo || v > hi) {
    fprintf(stderr, "telusur-index: --%s takes a number from %ld to %ld, not '%.40s'\n", opt, lo,
            hi, arg);
    return -1;
  }
  return v;
}

/* Indexes the paths of argv[first..]; '-' reads paths from stdin. Returns
 * TL_OK, or the error that stopped the update. */
static int add_paths(tl_update *u, char **paths, int n, tl_error *err) {
  int i, rc = TL_OK;
  for (i = 0; i < n && rc == TL_OK; i++) {
    if (strcmp(paths[i], "-") == 0) {
      char *line = NULL;
      size_t cap = 0;
      ssize_t len;
      while (rc == TL_OK && (len = getline(&line, &cap, stdin)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
          line[--len] = '\0';
        if (len > 0)
          rc = tl_update_add_path(u, line, err);
      }
      free(line);
    } else {
      rc = tl_update_add_path(u, paths[i], err);
    }
  }
  return rc;
}

int main(int argc, char **argv) {
  enum {
    O_STEMMER = 256,
    O_BATCH,
    O_PRUNE,
    O_NO_DELETE,
    O_SHARDS,
    O_COMPACT,
    O_STATS,
    O_DATE_FORMAT
  };
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"stemmer", required_argument, NULL, O_STEMMER},
                                           {"batch", required_argument, NULL, O_BATCH},
                                           {"jobs", required_argument, NULL, 'j'},
                                           {"prune", no_argument, NULL, O_PRUNE},
                                           {"date-format", required_argument, NULL, O_DATE_FORMAT},
                                           {"shards", required_argument, NULL, O_SHARDS},
                                           {"compact", no_argument, NULL, O_COMPACT},
                                           {"stats", no_argument, NULL, O_STATS},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {"version", no_argument, NULL, 'V'},
                                           {"no-delete", no_argument, NULL, O_NO_DELETE},
                                           {NULL, 0, NULL, 0}};
  const char *db = getenv("TELUSUR_DB");
  tl_update_options opts = tl_update_options_default();
  tl_update_summary sum;
  tl_update *u;
  tl_error err;
  cli c;
  int i, quiet = 0, compact = 0, stats = 0, status, expect = 1;
  long v;
  memset(&c, 0, sizeof c);
  /* a file size limit makes writes fail (EFBIG, reported), not kill us */
  signal(SIGXFSZ, SIG_IGN);
  if (!db || !*db)
    db = "telusur.db";
  argv[0] = (char *)"telusur-index"; /* getopt names the tool so, not its path */
  while ((i = getopt_long(argc, argv, "d:j:qhV", longopts, NULL)) != -1) {
    switch (i) {
    case 'd':
      if (!*optarg) {
        fputs("telusur-index: -d: an empty path\n", stderr);
        return EXIT_FATAL;
      }
      db = optarg;
      break;
    case O_STEMMER: opts.stemmer = optarg; break;
    case O_BATCH:
      if ((v = parse_num("batch", optarg, 1, 10000000)) < 0)
        return EXIT_FATAL;
      opts.batch = (unsigned)v;
      break;
    case 'j':
      if ((v = parse_num("jobs", optarg, 1, 256)) < 0)
        return EXIT_FATAL;
      opts.jobs = (unsigned)v;
      break;
    case O_SHARDS:
      if ((v = parse_num("shards", optarg, 1, TL_UPDATE_MAX_SHARDS)) < 0)
        return EXIT_FATAL;
      opts.shards = (unsigned)v;
      break;
    case O_PRUNE: break; /* the default now */
    case O_NO_DELETE: opts.no_delete = 1; break;
    case O_DATE_FORMAT:
      if (!*optarg) {
        fputs("telusur-index: --date-format: an empty format\n", stderr);
        return EXIT_FATAL;
      }
      opts.date_format = optarg;
      break;
    case O_COMPACT: compact = 1; break;
    case O_STATS: stats = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(usage, stdout); return out_status(0);
    case 'V': printf("telusur-index %s\n", TELUSUR_VERSION); return out_status(0);
    default: fputs("Try 'telusur-index --help' for more information.\n", stderr); return EXIT_FATAL;
    }
  }
  if (optind >= argc && !compact && !stats) {
    fputs("telusur-index: no PATH given\nTry 'telusur-index --help' for more information.\n",
          stderr);
    return EXIT_FATAL;
  }
  for (i = optind; i < argc; i++)
    if (!*argv[i]) {
      fputs("telusur-index: an empty PATH\n", stderr);
      return EXIT_FATAL;
    }
  if (optind >= argc) {
    if (compact && (status = do_compact(db, quiet)) != 0)
      return status;
    return out_status(stats ? do_stats(db) : 0);
  }

  c.progress = !quiet && isatty(STDERR_FILENO);
  opts.note = on_note;
  opts.progress = c.progress ? on_progress : NULL;
  opts.ctx = &c;
  if (tl_update_open(db, &opts, &u, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    return EXIT_FATAL;
  }
  /* the totals for the time left: unknown when paths come from stdin */
  for (i = optind; i < argc; i++)
    expect = expect && strcmp(argv[i], "-") != 0;
  for (i = optind; c.progress && expect && i < argc; i++)
    tl_update_expect(u, argv[i]);
  add_paths(u, argv + optind, argc - optind, &err);
  if (tl_update_finish(u, &sum, &err) != TL_OK)
    on_note(&c, err.code, err.msg);
  tl_update_free(u);
  clear_progress(&c);
  if (!quiet)
    print_summary(&sum);
  status = sum.stopped ? EXIT_FATAL : (sum.skipped_files || sum.skipped_records) ? EXIT_SKIPPED : 0;
  if (!sum.stopped && compact && do_compact(db, quiet) != 0)
    status = EXIT_FATAL;
  if (!sum.stopped && stats && status != EXIT_FATAL && do_stats(db) != 0)
    status = EXIT_FATAL;
  return out_status(status);
}
