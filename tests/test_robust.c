/*
 * test_robust.c - never crash, never lose an index.
 *
 *  - crash safety: telusur-index killed with SIGKILL at random moments (and
 *    during --compact): the index opens, passes xapian-check, answers
 *    queries, and the same command run again ends with the article and
 *    passage counts of an uninterrupted run;
 *  - concurrency: queries while an indexer commits never fail; a second
 *    indexer fails at once (status 2, a message naming the lock) and
 *    changes nothing;
 *  - resource limits: a 200 MB single line, gzip bombs, a directory tree
 *    1,000 levels deep, symbolic link loops, files that vanish or shrink
 *    while read, a full disk (ulimit -f): a clear message, bounded memory,
 *    the last committed state kept;
 *  - bad queries: NUL bytes, invalid UTF-8, 100,000 characters, unbalanced
 *    quotes and brackets, operators alone, unknown fields.
 *
 * Random kill moments come from TELUSUR_ROBUST_SEED (default: the time; the
 * seed is printed). TELUSUR_ROBUST_ARTICLES sets the size of the generated
 * collection (default 2000 articles of three paragraphs each, made from
 * TyDi QA passages when ../shared/data holds them, else from corpus/).
 */
#include "telusur/search.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Peak memory allowed for reading one 200 MB line (the reader holds the
 * record, json-c a parse buffer and the decoded value). */
#define RSS_LIMIT_KB (UNDER_ASAN ? 4000000L : 1400000L)

static char cmd[16384];
static unsigned seed;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Starts /bin/sh -c "exec CMD" with output to dir/NAME.out and .err. */
static pid_t spawn(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static pid_t spawn(const char *name, const char *fmt, ...) {
  char line[16384], full[17000];
  va_list ap;
  pid_t pid;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  snprintf(full, sizeof full, "exec %s </dev/null >'%s/%s.out' 2>'%s/%s.err'", line, tu_dir, name,
           tu_dir, name);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", full, (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* Waits for pid; returns its exit status, or 128 + signal. */
static int wait_for(pid_t pid, long *maxrss_kb) {
  int st;
  struct rusage ru;
  while (wait4(pid, &st, 0, &ru) < 0)
    ck_assert_int_eq(errno, EINTR);
  if (maxrss_kb)
    *maxrss_kb = ru.ru_maxrss;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *slurp(const char *name) {
  char path[1024];
  char *s;
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  s = tu_read_file(path, NULL);
  return s ? s : strdup("");
}

/* "articles N" and "passages M" from telusur-index --stats. */
static void stats(const char *db, unsigned long *articles, unsigned long *passages) {
  char *out = NULL, *err = NULL, *p;
  int rc = tu_runf(&out, &err, "'%s/telusur-index' -d '%s' --stats", tu_bin_dir(), db);
  ck_assert_msg(rc == 0, "--stats on %s: exit %d: %s", db, rc, err);
  p = strstr(out, "articles\t");
  ck_assert_msg(p != NULL, "--stats: %s", out);
  *articles = strtoul(p + 9, NULL, 10);
  p = strstr(out, "passages\t");
  ck_assert_msg(p != NULL, "--stats: %s", out);
  *passages = strtoul(p + 9, NULL, 10);
  free(out);
  free(err);
}

/* The index opens, passes xapian-check, and answers a query. */
static void check_db(const char *db, const char *when) {
  char path[1024];
  char *out = NULL, *err = NULL;
  int rc;
  struct stat st;
  snprintf(path, sizeof path, "%s/iamglass", db);
  if (stat(path, &st) != 0)
    return; /* killed before the index was created: nothing to check */
  rc = tu_runf(&out, &err, "xapian-check '%s'", db);
  ck_assert_msg(rc == 0, "%s: xapian-check %s failed (%d): %s%s", when, db, rc, out, err);
  free(out);
  free(err);
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' -n 3 -- 'indonesia'", tu_bin_dir(), db);
  ck_assert_msg(rc == 0 || rc == 1, "%s: query failed (%d): %s", when, rc, err);
  free(err);
}

/* ---- the generated collection ---- */

static char **paras;
static size_t nparas;

static void load_paragraphs(void) {
  char *path, *data, *line, *save = NULL;
  if (paras)
    return;
  path = tu_shared_path("data/tydiqa-goldp-id-retrieval/corpus.jsonl");
  if (!path) {
    char p[1024];
    snprintf(p, sizeof p, "%s/corpus/tydiqa-wikipedia.jsonl", tu_source_dir());
    path = strdup(p);
  }
  data = tu_read_file(path, NULL);
  ck_assert_msg(data != NULL, "cannot read %s", path);
  for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    json_object *o = json_tokener_parse(line), *t;
    if (o && json_object_object_get_ex(o, "text", &t) && json_object_get_string_len(t) > 40) {
      char **np = realloc(paras, (nparas + 1) * sizeof *paras);
      ck_assert_ptr_nonnull(np);
      paras = np;
      paras[nparas++] = strdup(json_object_get_string(t));
    }
    json_object_put(o);
  }
  ck_assert_uint_gt(nparas, 100);
  free(data);
  free(path);
}

/* Writes n articles of three paragraphs, ids PREFIX-k, into nfiles JSON
 * Lines files tu_dir/SUB/part-i.jsonl. */
static void make_collection(const char *sub, const char *prefix, size_t n, int nfiles) {
  char path[1024];
  int f;
  size_t k;
  load_paragraphs();
  snprintf(path, sizeof path, "%s/%s", tu_dir, sub);
  ck_assert_int_eq(mkdir(path, 0755), 0);
  for (f = 0; f < nfiles; f++) {
    FILE *out;
    snprintf(path, sizeof path, "%s/%s/part-%d.jsonl", tu_dir, sub, f);
    out = fopen(path, "w");
    ck_assert_ptr_nonnull(out);
    for (k = (size_t)f; k < n; k += (size_t)nfiles) {
      json_object *o = json_object_new_object();
      char id[64], title[128], *text;
      const char *a = paras[(3 * k) % nparas], *b = paras[(3 * k + 1) % nparas],
                 *c = paras[(3 * k + 2) % nparas];
      size_t len = strlen(a) + strlen(b) + strlen(c) + 8;
      snprintf(id, sizeof id, "%s-%zu", prefix, k);
      snprintf(title, sizeof title, "Artikel %zu", k);
      text = malloc(len);
      snprintf(text, len, "%s\n\n%s\n\n%s", a, b, c);
      json_object_object_add(o, "id", json_object_new_string(id));
      json_object_object_add(o, "title", json_object_new_string(title));
      json_object_object_add(o, "text", json_object_new_string(text));
      fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
      json_object_put(o);
      free(text);
    }
    ck_assert_int_eq(fclose(out), 0);
  }
}

static size_t collection_size(void) {
  const char *s = getenv("TELUSUR_ROBUST_ARTICLES");
  long n = s ? atol(s) : 0;
  return n > 0 ? (size_t)n : 2000;
}

static double uniform(double lo, double hi) {
  return lo + (hi - lo) * ((double)rand_r(&seed) / (double)RAND_MAX);
}

static void sleep_s(double s) {
  struct timespec t;
  t.tv_sec = (time_t)s;
  t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
  while (nanosleep(&t, &t) != 0 && errno == EINTR)
    ;
}

/* ---- crash safety ---- */

START_TEST(kill_while_indexing) {
  char ref[1024], db[1024];
  unsigned long ra, rp, a, p;
  double t0, took;
  int rc, round;
  char *err = NULL;
  make_collection("in", "art", collection_size(), 6);
  snprintf(ref, sizeof ref, "%s/ref.db", tu_dir);
  snprintf(db, sizeof db, "%s/killed.db", tu_dir);
  t0 = now();
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q --batch 100 -d '%s' '%s/in'", tu_bin_dir(), ref,
               tu_dir);
  took = now() - t0;
  ck_assert_msg(rc == 0, "uninterrupted run: exit %d: %s", rc, err);
  free(err);
  stats(ref, &ra, &rp);
  ck_assert_uint_eq(ra, collection_size());
  fprintf(stderr, "test_robust: %lu articles, %lu passages in %.1f s; kill seed %u\n", ra, rp, took,
          seed);
  for (round = 0; round < 3; round++) {
    int kills = round == 2 ? 2 : 1, k; /* the last round kills the resumed run too */
    tu_rmtree(db);
    for (k = 0; k < kills; k++) {
      pid_t pid = spawn("kill", "'%s/telusur-index' -q --batch 100 -d '%s' '%s/in'", tu_bin_dir(),
                        db, tu_dir);
      double at = uniform(0.05, 0.95) * took;
      char when[128];
      sleep_s(at);
      kill(pid, SIGKILL);
      rc = wait_for(pid, NULL);
      snprintf(when, sizeof when, "round %d, kill %d at %.2f s (status %d)", round, k, at, rc);
      check_db(db, when);
    }
    err = NULL;
    rc = tu_runf(NULL, &err, "'%s/telusur-index' -q --batch 100 -d '%s' '%s/in'", tu_bin_dir(), db,
                 tu_dir);
    ck_assert_msg(rc == 0, "round %d: re-run after the kill: exit %d: %s", round, rc, err);
    free(err);
    stats(db, &a, &p);
    ck_assert_msg(a == ra && p == rp,
                  "round %d: after a kill and a re-run: %lu articles, %lu passages; "
                  "uninterrupted: %lu, %lu (seed %u)",
                  round, a, p, ra, rp, seed);
    check_db(db, "after the re-run");
  }
}
END_TEST

static int has_option(const char *opt) {
  char *out = NULL;
  int yes;
  tu_runf(&out, NULL, "'%s/telusur-index' --help", tu_bin_dir());
  yes = out && strstr(out, opt) != NULL;
  free(out);
  return yes;
}

START_TEST(kill_while_compacting) {
  char db[1024];
  unsigned long ra, rp, a, p;
  double t0, took;
  int rc, round;
  char *err = NULL;
  if (!has_option("--compact")) {
    fprintf(stderr, "test_robust: telusur-index has no --compact: compaction kill not tested\n");
    return;
  }
  make_collection("in", "art", collection_size() / 2, 3);
  snprintf(db, sizeof db, "%s/c.db", tu_dir);
  /* small batches: many revisions, much to compact */
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q --batch 20 -d '%s' '%s/in'", tu_bin_dir(), db,
               tu_dir);
  ck_assert_msg(rc == 0, "index: exit %d: %s", rc, err);
  free(err);
  stats(db, &ra, &rp);
  rc = tu_runf(NULL, NULL, "cp -a '%s' '%s/probe.db'", db, tu_dir);
  ck_assert_int_eq(rc, 0);
  t0 = now();
  rc =
      tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s/probe.db' --compact", tu_bin_dir(), tu_dir);
  took = now() - t0;
  ck_assert_msg(rc == 0, "--compact: exit %d: %s", rc, err);
  free(err);
  for (round = 0; round < 3; round++) {
    pid_t pid = spawn("compact", "'%s/telusur-index' -q -d '%s' --compact", tu_bin_dir(), db);
    double at = uniform(0.0, 1.0) * took;
    char when[128];
    sleep_s(at);
    kill(pid, SIGKILL);
    rc = wait_for(pid, NULL);
    snprintf(when, sizeof when, "compaction killed at %.3f s of %.3f (status %d)", at, took, rc);
    check_db(db, when);
    stats(db, &a, &p);
    ck_assert_msg(a == ra && p == rp, "%s: %lu articles, %lu passages; before: %lu, %lu", when, a,
                  p, ra, rp);
  }
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s' --compact", tu_bin_dir(), db);
  ck_assert_msg(rc == 0, "--compact after the kills: exit %d: %s", rc, err);
  free(err);
  stats(db, &a, &p);
  ck_assert_uint_eq(a, ra);
  ck_assert_uint_eq(p, rp);
  check_db(db, "after compaction");
}
END_TEST

/* ---- concurrency ---- */

START_TEST(queries_while_committing) {
  char db[1024];
  tl_searcher *s;
  tl_error err;
  pid_t pid;
  int rc, st, done = 0;
  unsigned long nq = 0, nproc = 0;
  static const char *const qs[] = {"indonesia", "kota besar", "\"presiden pertama\"",
                                   "sungai OR gunung", "title:artikel"};
  char *e = NULL;
  make_collection("a", "old", collection_size() / 2, 2);
  make_collection("b", "new", collection_size() / 2, 4);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  rc = tu_runf(NULL, &e, "'%s/telusur-index' -q -d '%s' '%s/a'", tu_bin_dir(), db, tu_dir);
  ck_assert_msg(rc == 0, "index: exit %d: %s", rc, e);
  free(e);
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &s, &err), TL_OK);
  pid =
      spawn("writer", "'%s/telusur-index' -q --batch 10 -d '%s' '%s/b'", tu_bin_dir(), db, tu_dir);
  while (!done) {
    tl_results *res = NULL;
    const char *q = qs[nq % (sizeof qs / sizeof *qs)];
    rc = tl_search(s, q, 0, 10, 0, &res, &err);
    ck_assert_msg(rc == TL_OK, "query '%s' during a commit: %s", q, err.msg);
    tl_results_free(res);
    nq++;
    if (nq % 25 == 0) {
      /* a new reader process, opening while the writer commits */
      char *qerr = NULL;
      rc = tu_runf(NULL, &qerr, "'%s/telusur-query' -d '%s' -n 5 -- '%s'", tu_bin_dir(), db, q);
      ck_assert_msg(rc == 0 || rc == 1, "telusur-query '%s' during a commit: %d: %s", q, rc, qerr);
      free(qerr);
      nproc++;
    }
    if (waitpid(pid, &st, WNOHANG) == pid)
      done = 1;
  }
  ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer failed: %s", slurp("writer.err"));
  fprintf(stderr, "test_robust: %lu queries in process, %lu in new processes, during commits\n", nq,
          nproc);
  ck_assert_uint_gt(nq, 5);
  tl_searcher_close(s);
}
END_TEST

START_TEST(second_indexer_is_refused) {
  char db[1024];
  unsigned long a1, p1, a2, p2;
  pid_t pid;
  double t0, took;
  int rc, st;
  char *out = NULL, *err = NULL;
  make_collection("a", "first", collection_size() / 2, 2);
  make_collection("b", "second", 50, 1);
  ck_assert_int_eq(tu_runf(NULL, NULL,
                           "printf '{\"id\":\"zz\",\"text\":\"kata zzqxunik hanya di sini\"}\\n' "
                           ">> '%s/b/part-0.jsonl'",
                           tu_dir),
                   0);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  pid = spawn("first", "'%s/telusur-index' -q --batch 50 -d '%s' '%s/a'", tu_bin_dir(), db, tu_dir);
  /* wait until the first writer has created the index and holds its lock */
  for (rc = 0; rc < 200; rc++) {
    char p[1100];
    struct stat sb;
    snprintf(p, sizeof p, "%s/iamglass", db);
    if (stat(p, &sb) == 0)
      break;
    sleep_s(0.02);
  }
  sleep_s(0.2);
  t0 = now();
  rc = tu_runf(&out, &err, "'%s/telusur-index' -d '%s' '%s/b'", tu_bin_dir(), db, tu_dir);
  took = now() - t0;
  ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0,
                "the first indexer ended before the second started: make the collection larger");
  ck_assert_msg(rc == 2, "second indexer: exit %d (want 2): %s", rc, err);
  ck_assert_msg(strstr(err, "lock") != NULL, "the message does not name the lock: %s", err);
  ck_assert_msg(took < 5.0, "the second indexer took %.1f s to give up", took);
  free(out);
  free(err);
  rc = wait_for(pid, NULL);
  ck_assert_msg(rc == 0, "first indexer: exit %d: %s", rc, slurp("first.err"));
  /* nothing of the second's input is in the index */
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' zzqxunik", tu_bin_dir(), db);
  ck_assert_msg(rc == 1, "the refused indexer's article is searchable (%d): %s", rc, err);
  free(err);
  stats(db, &a1, &p1);
  ck_assert_uint_eq(a1, collection_size() / 2);
  /* and the index is the same as one built by the first alone */
  snprintf(db, sizeof db, "%s/alone.db", tu_dir);
  rc = tu_runf(NULL, NULL, "'%s/telusur-index' -q -d '%s' '%s/a'", tu_bin_dir(), db, tu_dir);
  ck_assert_int_eq(rc, 0);
  stats(db, &a2, &p2);
  ck_assert_uint_eq(a1, a2);
  ck_assert_uint_eq(p1, p2);
}
END_TEST

/* ---- resource limits ---- */

/* Writes tu_dir/name: prefix, then n bytes of filler words (no newline), then
 * suffix. */
static void write_long_line(const char *name, const char *prefix, size_t n, const char *suffix) {
  static const char words[] = "kerjasama bilateral perdamaian dunia ekonomi menteri ";
  char path[1024], *chunk;
  size_t cs = (size_t)1 << 20, i, done = 0;
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  chunk = malloc(cs);
  for (i = 0; i < cs; i++)
    chunk[i] = words[i % (sizeof words - 1)];
  fputs(prefix, f);
  while (done < n) {
    size_t k = n - done < cs ? n - done : cs;
    ck_assert_uint_eq(fwrite(chunk, 1, k, f), k);
    done += k;
  }
  fputs(suffix, f);
  ck_assert_int_eq(fclose(f), 0);
  free(chunk);
}

START_TEST(line_of_200_mb) {
  long rss;
  pid_t pid;
  int rc;
  char *err, *out;
  /* one JSON line of 200 MB: a huge field beside a short text */
  write_long_line("big.jsonl", "{\"id\":\"big\",\"text\":\"Kerjasama bilateral.\",\"blob\":\"",
                  200u << 20, "\"}\n{\"id\":\"small\",\"text\":\"perdamaian dunia\"}\n");
  pid = spawn("big", "'%s/telusur-index' -d '%s/db' '%s/big.jsonl'", tu_bin_dir(), tu_dir, tu_dir);
  rc = wait_for(pid, &rss);
  err = slurp("big.err");
  ck_assert_msg(rc == 0, "200 MB JSON line: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "2 articles") != NULL, "200 MB JSON line: %s", err);
  ck_assert_msg(rss < RSS_LIMIT_KB, "200 MB JSON line: peak RSS %ld kB", rss);
  fprintf(stderr, "test_robust: a 200 MB JSON line: peak RSS %ld MB\n", rss / 1024);
  free(err);
  /* one .txt line of 200 MB that ends in invalid UTF-8: read, checked and
   * reported with its offset, in bounded memory */
  write_long_line("big.txt", "Judul\n\n", 200u << 20, "\xff\n");
  pid = spawn("bigtxt", "'%s/telusur-index' -d '%s/db' '%s/big.txt'", tu_bin_dir(), tu_dir, tu_dir);
  rc = wait_for(pid, &rss);
  err = slurp("bigtxt.err");
  ck_assert_msg(rc == 1, "200 MB text line: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "invalid UTF-8 at byte offset 209715207") != NULL, "%s", err);
  ck_assert_msg(rss < RSS_LIMIT_KB, "200 MB text line: peak RSS %ld kB", rss);
  free(err);
  /* a line over the 256 MiB record limit is skipped with a message */
  write_long_line("huge.jsonl", "{\"text\":\"", 300u << 20, "\"}\n{\"text\":\"sesudahnya\"}\n");
  snprintf(cmd, sizeof cmd, "%s/big.txt", tu_dir);
  unlink(cmd);
  snprintf(cmd, sizeof cmd, "%s/big.jsonl", tu_dir);
  unlink(cmd);
  pid =
      spawn("huge", "'%s/telusur-index' -d '%s/db' '%s/huge.jsonl'", tu_bin_dir(), tu_dir, tu_dir);
  rc = wait_for(pid, &rss);
  err = slurp("huge.err");
  ck_assert_msg(rc == 1, "300 MB line: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "line longer than 256 MiB") != NULL, "%s", err);
  ck_assert_msg(rss < RSS_LIMIT_KB, "300 MB line: peak RSS %ld kB", rss);
  free(err);
  out = NULL;
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' sesudahnya", tu_bin_dir(), tu_dir);
  ck_assert_msg(rc == 0, "the line after the long one was not indexed");
  free(out);
}
END_TEST

/* Writes a gzip file of `members` members, each 1 MiB of `fill`. */
static void write_bomb(const char *name, int fill, int members) {
  char path[1024];
  unsigned char *raw = malloc((size_t)1 << 20), *z;
  uLongf zn = compressBound(1u << 20) + 64;
  z_stream zs;
  FILE *f;
  int i;
  memset(raw, fill, (size_t)1 << 20);
  z = malloc(zn);
  memset(&zs, 0, sizeof zs);
  ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
  zs.next_in = raw;
  zs.avail_in = 1u << 20;
  zs.next_out = z;
  zs.avail_out = (uInt)zn;
  ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
  zn = zs.total_out;
  deflateEnd(&zs);
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  f = fopen(path, "wb");
  for (i = 0; i < members; i++)
    ck_assert_uint_eq(fwrite(z, 1, zn, f), zn);
  ck_assert_int_eq(fclose(f), 0);
  free(raw);
  free(z);
}

START_TEST(gzip_bombs) {
  long rss;
  pid_t pid;
  int rc;
  char *err;
  double t0 = now();
  /* 2 MB of gzip inflating to 2 GiB: one line of 'a' (time grows with the
   * inflated size, memory does not) */
  write_bomb("bomb.jsonl.gz", 'a', 2048);
  /* 1 MB inflating to 1 GiB of text in one .txt */
  write_bomb("bomb.txt.gz", 'a', 1024);
  /* NUL bytes: binary data */
  write_bomb("zeros.txt.gz", 0, 64);
  pid = spawn("bomb",
              "'%s/telusur-index' -d '%s/db' '%s/bomb.jsonl.gz' '%s/bomb.txt.gz' "
              "'%s/zeros.txt.gz'",
              tu_bin_dir(), tu_dir, tu_dir, tu_dir, tu_dir);
  rc = wait_for(pid, &rss);
  err = slurp("bomb.err");
  ck_assert_msg(rc == 1, "gzip bombs: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "bomb.jsonl.gz:1: line longer than 256 MiB"), "%s", err);
  ck_assert_msg(strstr(err, "bomb.txt.gz: larger than 256 MiB"), "%s", err);
  ck_assert_msg(strstr(err, "zeros.txt.gz: binary data"), "%s", err);
  ck_assert_msg(rss < RSS_LIMIT_KB, "gzip bombs: peak RSS %ld kB", rss);
  fprintf(stderr, "test_robust: gzip bombs (2 GiB, 1 GiB, 64 MiB): %.1f s, peak RSS %ld MB\n",
          now() - t0, rss / 1024);
  free(err);
}
END_TEST

START_TEST(deep_tree_and_link_loops) {
  char *path = malloc(4096), *err = NULL, *out = NULL;
  size_t n;
  int i, rc;
  n = (size_t)snprintf(path, 4096, "%s/deep", tu_dir);
  for (i = 0; i < 1000; i++)
    n += (size_t)snprintf(path + n, 4096 - n, "/d");
  rc = tu_runf(NULL, NULL,
               "mkdir -p '%s' && printf 'Dasar\\n\\nkata terdalam zzdeep\\n' > '%s/a.txt'", path,
               path);
  ck_assert_int_eq(rc, 0);
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -d '%s/db' '%s/deep'", tu_bin_dir(), tu_dir, tu_dir);
  ck_assert_msg(rc == 0, "1,000 levels: exit %d: %s", rc, err);
  free(err);
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' zzdeep", tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  free(out);
  /* a link to itself, a loop of two, and a link to an ancestor */
  rc = tu_runf(NULL, NULL,
               "mkdir -p '%s/loop/sub' && cd '%s/loop' && ln -s self self && ln -s b.txt a.txt && "
               "ln -s a.txt b.txt && ln -s .. sub/up && printf 'Judul\\n\\nkata zzloop\\n' > c.txt",
               tu_dir, tu_dir);
  ck_assert_int_eq(rc, 0);
  err = NULL;
  rc = tu_runf(NULL, &err, "timeout 60 '%s/telusur-index' -d '%s/db' '%s/loop'", tu_bin_dir(),
               tu_dir, tu_dir);
  ck_assert_msg(rc == 1, "link loops: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "symbolic link") != NULL, "link loops: %s", err);
  free(err);
  out = NULL;
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' zzloop", tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  free(out);
  free(path);
}
END_TEST

START_TEST(files_that_vanish_or_shrink) {
  char *err = NULL;
  pid_t pid;
  int rc;
  /* a path that is gone by the time it is read */
  rc = tu_runf(NULL, &err,
               "printf 'Judul\\n\\nkata zzstay\\n' > '%s/stay.txt' && "
               "printf '%%s\\n' '%s/gone.txt' '%s/stay.txt' | '%s/telusur-index' -d '%s/db' -",
               tu_dir, tu_dir, tu_dir, tu_bin_dir(), tu_dir);
  ck_assert_msg(rc == 1, "vanished file: exit %d: %s", rc, err);
  ck_assert_msg(strstr(err, "gone.txt") != NULL, "the message does not name the file: %s", err);
  free(err);
  /* a file cut short while it is read */
  make_collection("shrink", "shr", collection_size(), 1);
  pid = spawn("shrink", "'%s/telusur-index' --batch 50 -d '%s/db2' '%s/shrink/part-0.jsonl'",
              tu_bin_dir(), tu_dir, tu_dir);
  sleep_s(0.3);
  rc = tu_runf(NULL, NULL, "truncate -s 100000 '%s/shrink/part-0.jsonl'", tu_dir);
  ck_assert_int_eq(rc, 0);
  rc = wait_for(pid, NULL);
  err = slurp("shrink.err");
  ck_assert_msg(rc == 0 || rc == 1, "shrunk file: exit %d: %s", rc, err);
  free(err);
  {
    char db2[1024];
    snprintf(db2, sizeof db2, "%s/db2", tu_dir);
    check_db(db2, "after a file shrank");
  }
}
END_TEST

START_TEST(full_disk) {
  char db[1024];
  unsigned long a0, p0, a, p;
  int rc;
  char *err = NULL;
  make_collection("a", "first", 200, 1);
  make_collection("b", "more", collection_size(), 2);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s' '%s/a'", tu_bin_dir(), db, tu_dir);
  ck_assert_msg(rc == 0, "index: %d: %s", rc, err);
  free(err);
  stats(db, &a0, &p0);
  /* no file may grow past 4 MB (ulimit -f counts 512-byte blocks in dash,
   * 1024 in bash: 8192 is 4 or 8 MB); one commit, at the end */
  err = NULL;
  rc = tu_runf(NULL, &err,
               "ulimit -f 8192 && LSAN_OPTIONS=suppressions='%s/tests/lsan-xapian.supp' "
               "exec '%s/telusur-index' --batch 1000000 -d '%s' '%s/b'",
               tu_source_dir(), tu_bin_dir(), db, tu_dir);
  ck_assert_msg(rc == 2, "full disk: exit %d (want 2): %s", rc, err);
  ck_assert_msg(strstr(err, "too large") != NULL || strstr(err, "space") != NULL ||
                    strstr(err, "Too large") != NULL,
                "full disk: no clear message: %s", err);
  free(err);
  check_db(db, "after a full disk");
  stats(db, &a, &p);
  ck_assert_uint_eq(a, a0);
  ck_assert_uint_eq(p, p0);
}
END_TEST

/* ---- bad queries ---- */

typedef struct bad_query {
  const char *what, *query; /* query: a shell word */
  int ok_statuses;          /* bit n: exit status n is fine */
  const char *message;      /* with status 2: a part of the message */
} bad_query;

/* A data file that cannot be read (a directory where a list should be) is
 * an error naming it, exit status 2, not an empty list. */
START_TEST(unreadable_data_files) {
  static const char *const lists[] = {"acronyms.txt", "roots.txt"};
  char *out = NULL, *errs = NULL;
  size_t i;
  ck_assert_int_eq(tu_runf(NULL, NULL,
                           "echo 'Gempa di pesisir.' > '%s/a.txt' && '%s/telusur-index' -q -d "
                           "'%s/db' '%s/a.txt'",
                           tu_dir, tu_bin_dir(), tu_dir, tu_dir),
                   0);
  for (i = 0; i < sizeof lists / sizeof *lists; i++) {
    ck_assert_int_eq(tu_runf(NULL, NULL,
                             "rm -rf '%s/data' && mkdir '%s/data' && cp -r '%s/lexicon' "
                             "'%s/stopwords' '%s/data' && rm '%s/data/lexicon/%s' && mkdir "
                             "'%s/data/lexicon/%s'",
                             tu_dir, tu_dir, tu_source_dir(), tu_source_dir(), tu_dir, tu_dir,
                             lists[i], tu_dir, lists[i]),
                     0);
    ck_assert_int_eq(tu_runf(&out, &errs,
                             "TELUSUR_DATA_DIR='%s/data' '%s/telusur-query' -d '%s/db' gempa",
                             tu_dir, tu_bin_dir(), tu_dir),
                     2);
    ck_assert_msg(strstr(errs, lists[i]) && strstr(errs, ": Is a directory"), "%s", errs);
    ck_assert_str_eq(out, "");
    free(out);
    free(errs);
  }
}
END_TEST

START_TEST(bad_queries) {
  static const bad_query cases[] = {
      {"invalid UTF-8", "\"$(printf 'kerja\\377sama')\"", 1 << 2, "invalid UTF-8"},
      {"a lone continuation byte", "\"$(printf '\\200')\"", 1 << 2, "invalid UTF-8"},
      {"an overlong NUL", "\"$(printf 'a\\300\\200b')\"", 1 << 2, "invalid UTF-8"},
      {"an unbalanced quote", "'\"kerjasama bilateral'", 3, NULL},
      {"a lone quote", "'\"'", 7, NULL},
      {"unbalanced brackets", "'(kerjasama OR (damai'", 7, NULL},
      {"closing brackets", "'kerjasama ))) damai'", 7, NULL},
      {"AND alone", "AND", 7, NULL},
      {"operators alone", "'OR NOT XOR NEAR'", 7, NULL},
      {"a plus alone", "'+'", 1 << 2, NULL},
      {"a minus alone", "'-'", 1 << 2, NULL},
      {"a star alone", "'*'", 1 << 2, NULL},
      {"NOT first", "'NOT kerjasama'", 7, NULL},
      {"an unknown field", "'penulis:budi kerjasama'", 3, NULL},
      {"an empty field", "'title:'", 7, NULL},
      {"a wildcard of one letter", "'k*'", 3, NULL},
      {"blank space", "'   '", 1 << 2, NULL},
      {"stopwords only", "'yang dan di'", 7, NULL},
      {"a NEAR with nothing", "'kerjasama NEAR'", 7, NULL},
      {"fuzz_query crash (SEGV in Xapian's get_mset, store.cc of 30 Nov)",
       "'otal luas daase00000a puphrase0000000004584805158151520255a ekonomfyan beker* "
       "O(XOR damai Xma puergnang'",
       7, NULL},
      {"fuzz_query crash, minimized: a wildcard XOR a word twice (SEGV in get_mset)",
       "'ekonom* XOR damai XOR damai'", 7, NULL},
      {"control characters", "\"$(printf 'kerja\\001\\033[31msama')\"", 7, NULL},
  };
  char *out, *err;
  char db[1024], longq[1024];
  size_t i;
  int rc;
  snprintf(db, sizeof db, "%s/db", tu_dir);
  rc = tu_runf(NULL, NULL, "'%s/telusur-index' -d '%s' '%s/corpus/000_2094494d46160138.txt'",
               tu_bin_dir(), db, tu_source_dir());
  ck_assert_int_eq(rc, 0);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const bad_query *c = &cases[i];
    out = err = NULL;
    rc = tu_runf(&out, &err, "timeout 30 '%s/telusur-query' -d '%s' -n 5 %s-- %s", tu_bin_dir(), db,
                 i % 2 ? "--explain " : "", c->query);
    ck_assert_msg(rc >= 0 && rc <= 2 && (c->ok_statuses & (1 << rc)), "%s: exit %d: %s%s", c->what,
                  rc, err, out);
    if (rc == 2) {
      ck_assert_msg(err && strncmp(err, "telusur-query: ", 15) == 0 && strchr(err, '\n') &&
                        strlen(err) < 600,
                    "%s: no clear one-line message: %s", c->what, err);
      if (c->message)
        ck_assert_msg(strstr(err, c->message) != NULL, "%s: %s", c->what, err);
    }
    free(out);
    free(err);
  }
  /* NUL bytes (only a batch file can hold them): the line is cut at the
   * NUL, the rest of the batch runs */
  snprintf(longq, sizeof longq, "%s/nul.tsv", tu_dir);
  ck_assert_int_eq(tu_write_file(longq, "1\tkerja\0sama\n2\t\0\n3\tkerjasama\n", 29), 0);
  out = err = NULL;
  rc = tu_runf(&out, &err, "timeout 30 '%s/telusur-query' -d '%s' --batch '%s' --format trec",
               tu_bin_dir(), db, longq);
  ck_assert_msg(rc == 0 || rc == 2, "NUL bytes: exit %d: %s", rc, err);
  ck_assert_msg(strstr(out, "3 Q0 ") != NULL, "NUL bytes: the batch stopped: %s %s", out, err);
  free(out);
  free(err);
  /* 100,000 characters: many words, and one long word */
  {
    static const char *const fills[] = {"kerjasama damai dunia ekonomi menteri ", "a"};
    int k;
    for (k = 0; k < 2; k++) {
      char *q = malloc(100001);
      size_t fl = strlen(fills[k]), j;
      double t0;
      for (j = 0; j < 100000; j++)
        q[j] = fills[k][j % fl];
      q[100000] = '\0';
      snprintf(longq, sizeof longq, "%s/long.tsv", tu_dir);
      {
        FILE *f = fopen(longq, "w");
        fprintf(f, "1\t%s\n", q);
        fclose(f);
      }
      out = err = NULL;
      t0 = now();
      /* as an argument too: 100,000 bytes fit in one argv string */
      rc = tu_runf(&out, &err, "timeout 60 '%s/telusur-query' -d '%s' -- \"$(cut -f2 '%s')\"",
                   tu_bin_dir(), db, longq);
      ck_assert_msg(rc >= 0 && rc <= 2, "a query of 100,000 characters: exit %d: %s", rc, err);
      if (rc == 2)
        ck_assert_msg(strncmp(err, "telusur-query: ", 15) == 0 && strlen(err) < 600,
                      "a query of 100,000 characters: %.600s", err);
      fprintf(stderr, "test_robust: a query of 100,000 characters (%s): exit %d in %.2f s\n",
              k ? "one word" : "words", rc, now() - t0);
      free(out);
      free(err);
      free(q);
    }
  }
}
END_TEST

static Suite *robust_suite(void) {
  Suite *s = suite_create("robust");
  TCase *tc;
  tc = tcase_create("crash");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, kill_while_indexing);
  tcase_add_test(tc, kill_while_compacting);
  suite_add_tcase(s, tc);
  tc = tcase_create("concurrency");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, queries_while_committing);
  tcase_add_test(tc, second_indexer_is_refused);
  suite_add_tcase(s, tc);
  tc = tcase_create("limits");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, line_of_200_mb);
  tcase_add_test(tc, gzip_bombs);
  tcase_add_test(tc, deep_tree_and_link_loops);
  tcase_add_test(tc, files_that_vanish_or_shrink);
  tcase_add_test(tc, full_disk);
  suite_add_tcase(s, tc);
  tc = tcase_create("queries");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, bad_queries);
  tcase_add_test(tc, unreadable_data_files);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  const char *s = getenv("TELUSUR_ROBUST_SEED");
  seed = s && *s ? (unsigned)strtoul(s, NULL, 10) : (unsigned)time(NULL);
  return tu_run_suite(robust_suite());
}
