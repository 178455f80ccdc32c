/*
 * test_index.c - Check suite for parallel, incremental and sharded indexing
 * (indexer/main.c, lib/index, lib/pipeline, lib/manifest, and the
 * maintenance functions of lib/store): the same documents for any -j; re-runs
 * that skip what did not change, replace what did and prune what is gone;
 * compaction and statistics; shards that rank like one database.
 */
#include "index/documents.h"
#include "index/manifest.h"
#include "testutil.h"
#include "text/reader.h"
#include "util/pipeline.h"
#include "xapian/store.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

static char cmd[16384];

static int run(char **out, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char **out, char **err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  return tu_run(cmd, out, err);
}

static void put(const char *name, const char *text) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
}

static unsigned long long digest(const char *db) {
  tl_store *s;
  tl_error err;
  unsigned long long d = 0;
  ck_assert_msg(tl_store_open(db, TL_STORE_READ, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_store_digest(s, &d, &err) == TL_OK, "%s", err.msg);
  tl_store_close(s);
  return d;
}

/* Runs telusur-index with args; returns its stderr (the caller frees). */
static char *index_run(int want, const char *args) {
  char *err = NULL;
  int rc = run(NULL, &err, "'%s/telusur-index' %s", tu_bin_dir(), args);
  ck_assert_msg(rc == want, "telusur-index %s: exit %d, want %d: %s", args, rc, want, err);
  return err;
}

#define ASSERT_HAS(hay, needle)                                                                    \
  ck_assert_msg(strstr((hay), (needle)) != NULL, "no '%s' in: %s", (needle), (hay))

/* Part 1: the documents are the same whatever the number of threads. */
START_TEST(same_output_any_jobs) {
  char args[4096], db[1024];
  unsigned long long d[3];
  const char *jobs[3] = {"1", "2", "5"};
  int i;
  for (i = 0; i < 3; i++) {
    snprintf(db, sizeof db, "%s/j%s.db", tu_dir, jobs[i]);
    snprintf(args, sizeof args, "-q -j %s --batch 50 -d '%s' '%s/corpus'", jobs[i], db,
             tu_source_dir());
    free(index_run(0, args));
    d[i] = digest(db);
  }
  ck_assert(d[0] == d[1]);
  ck_assert(d[0] == d[2]);
}
END_TEST

/* The pipeline hands items over in submission order. */
typedef struct order_ctx {
  long next, bad;
} order_ctx;

static void order_work(void *w, void *data, tl_pipeline_job *job) {
  long base = *(long *)data, i;
  (void)w;
  for (i = 0; i < 100; i++) {
    long *v = malloc(sizeof *v);
    *v = base * 100 + i;
    if (tl_pipeline_emit(job, v)) {
      free(v);
      return;
    }
  }
}

static int order_consume(void *ctx, void *item) {
  order_ctx *c = ctx;
  if (*(long *)item != c->next)
    c->bad++;
  c->next++;
  free(item);
  return 0;
}

START_TEST(pipeline_keeps_order) {
  tl_pipeline *p;
  tl_pipeline_options o;
  tl_error err;
  order_ctx c = {0, 0};
  void *w[4] = {NULL, NULL, NULL, NULL};
  long i;
  memset(&o, 0, sizeof o);
  o.nworkers = 4;
  o.workers = w;
  o.work = order_work;
  o.consume = order_consume;
  o.consume_ctx = &c;
  o.free_item = free;
  o.free_job = free;
  o.items_per_job = 7;
  ck_assert_int_eq(tl_pipeline_create(&o, &p, &err), TL_OK);
  for (i = 0; i < 200; i++) {
    long *j = malloc(sizeof *j);
    *j = i;
    ck_assert_int_eq(tl_pipeline_submit(p, j), 0);
  }
  ck_assert_int_eq(tl_pipeline_finish(p), 0);
  tl_pipeline_free(p);
  ck_assert_int_eq(c.bad, 0);
  ck_assert_int_eq(c.next, 20000);
}
END_TEST

static void set_mtime(const char *name, long sec) {
  char path[1024];
  struct timeval tv[2];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  tv[0].tv_sec = tv[1].tv_sec = sec;
  tv[0].tv_usec = tv[1].tv_usec = 0;
  ck_assert_int_eq(utimes(path, tv), 0);
}

/* The run's summary: a count of one takes its noun in the singular. */
START_TEST(summary_in_words) {
  char args[4096], *err;
  snprintf(cmd, sizeof cmd, "%s/one", tu_dir);
  ck_assert_int_eq(mkdir(cmd, 0700), 0);
  put("one/a.jsonl",
      "{\"id\":\"a1\",\"title\":\"Gempa\",\"text\":\"Gempa di Lombok.\",\"date\":\"kemarin\"}\n"
      "not json\n");
  snprintf(args, sizeof args, "-d '%s/db1' '%s/one/a.jsonl' '%s/one/gone.txt'", tu_dir, tu_dir,
           tu_dir);
  err = index_run(1, args);
  ASSERT_HAS(err, "telusur-index: 1 article (1 passage) from 1 file, ");
  ASSERT_HAS(err, "skipped: 1 file, 1 record (");
  ASSERT_HAS(err, "; 1 article without a parseable date; index: 1 passage\n");
  free(err);
}
END_TEST

/* Part 2: unchanged files are skipped, changed articles replaced, gone
 * files pruned. */
START_TEST(incremental_runs) {
  char args[4096], *err;
  snprintf(cmd, sizeof cmd, "%s/in", tu_dir);
  ck_assert_int_eq(mkdir(cmd, 0700), 0);
  put("in/a.txt", "Pantai Kuta\n\nWisatawan berselancar di pantai Kuta setiap sore.\n");
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani menanam padi di sawah.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  snprintf(args, sizeof args, "-d '%s/db' '%s/in'", tu_dir, tu_dir);
  err = index_run(0, args);
  ASSERT_HAS(err, "4 articles (4 passages) from 2 files");
  ASSERT_HAS(err, "added 4, replaced 0, unchanged 0, removed 0");
  free(err);

  /* a second run analyzes nothing */
  err = index_run(0, args);
  ASSERT_HAS(err, "4 articles (0 passages) from 2 files, 0.0 MB");
  ASSERT_HAS(err, "added 0, replaced 0, unchanged 4, removed 0");
  ASSERT_HAS(err, "index: 4 passages");
  free(err);

  /* a new mtime with the same content: the content hash says unchanged */
  set_mtime("in/a.txt", 1000000000);
  err = index_run(0, args);
  ASSERT_HAS(err, "added 0, replaced 0, unchanged 4, removed 0");
  free(err);

  /* one JSON line changed, one added: only they are analyzed */
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani memanen jagung di ladang.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n"
      "{\"id\":\"b4\",\"title\":\"Banjir\",\"text\":\"Banjir merendam Jakarta Utara.\"}\n");
  err = index_run(0, args);
  ASSERT_HAS(err, "5 articles (2 passages) from 2 files");
  ASSERT_HAS(err, "added 1, replaced 1, unchanged 3, removed 0");
  ASSERT_HAS(err, "index: 5 passages");
  free(err);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s/db' sawah", tu_bin_dir(), tu_dir), 1);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s/db' jagung", tu_bin_dir(), tu_dir),
                   0);

  /* a file gone: kept with --no-delete, removed without it (--prune is
   * accepted, and the default) */
  snprintf(cmd, sizeof cmd, "%s/in/a.txt", tu_dir);
  ck_assert_int_eq(remove(cmd), 0);
  snprintf(args, sizeof args, "--no-delete -d '%s/db' '%s/in'", tu_dir, tu_dir);
  err = index_run(0, args);
  ASSERT_HAS(err, "removed 0");
  free(err);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s/db' selancar", tu_bin_dir(), tu_dir),
                   0);
  snprintf(args, sizeof args, "--prune -d '%s/db' '%s/in'", tu_dir, tu_dir);
  err = index_run(0, args);
  ASSERT_HAS(err, "added 0, replaced 0, unchanged 4, removed 1");
  ASSERT_HAS(err, "index: 4 passages");
  free(err);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s/db' selancar", tu_bin_dir(), tu_dir),
                   1);
  /* no progress line when stderr is not a terminal */
  snprintf(args, sizeof args, "-d '%s/db' '%s/in'", tu_dir, tu_dir);
  err = index_run(0, args);
  ck_assert_ptr_null(strchr(err, '\r'));
  free(err);
}
END_TEST

/* The file-state table round-trips through metadata. */
START_TEST(manifest_roundtrip) {
  char db[1024];
  tl_store *s;
  tl_error err;
  tl_file_state st = {123, 456789, 0xabcdef0123456789ULL, 7, 42, 0xfedcba9876543210ULL}, got;
  int found;
  char longpath[600];
  snprintf(db, sizeof db, "%s/m.db", tu_dir);
  memset(longpath, 'x', sizeof longpath - 1);
  longpath[0] = '/';
  longpath[sizeof longpath - 1] = '\0';
  ck_assert_int_eq(tl_store_open(db, TL_STORE_WRITE, &s, &err), TL_OK);
  char *notes = NULL;
  ck_assert_int_eq(tl_manifest_put(s, "a b\tc.txt", &st, NULL, &err), TL_OK);
  ck_assert_int_eq(tl_manifest_put(s, longpath, &st, "4 :7: bad\n", &err), TL_OK);
  ck_assert_int_eq(tl_manifest_put(s, "n\n1 2.txt", &st, "4 :1: x\n4 :9: y\n", &err), TL_OK);
  ck_assert_int_eq(tl_manifest_get(s, "a b\tc.txt", &got, &notes, &found, &err), TL_OK);
  ck_assert_int_eq(found, 1);
  ck_assert_ptr_null(notes);
  ck_assert(got.size == 123 && got.mtime_ns == 456789 && got.hash == st.hash && got.articles == 7 &&
            got.passages == 42 && got.date_format == st.date_format);
  /* notes come back whole after a path that holds a newline and digits */
  ck_assert_int_eq(tl_manifest_get(s, "n\n1 2.txt", &got, &notes, &found, &err), TL_OK);
  ck_assert_int_eq(found, 1);
  ck_assert_str_eq(notes, "4 :1: x\n4 :9: y\n");
  ck_assert(got.size == 123 && got.passages == 42);
  free(notes);
  /* a state recorded before the date format was kept reads as none */
  ck_assert_int_eq(tl_store_set_metadata(s, TL_META_FILE_PREFIX "old.txt",
                                         "5 6 0000000000000007 1 2\told.txt", &err),
                   TL_OK);
  ck_assert_int_eq(tl_manifest_get(s, "old.txt", &got, NULL, &found, &err), TL_OK);
  ck_assert_int_eq(found, 1);
  ck_assert(got.size == 5 && got.hash == 7 && got.passages == 2 && got.date_format == 0);
  ck_assert_int_eq(tl_manifest_get(s, longpath, &got, &notes, &found, &err), TL_OK);
  ck_assert_int_eq(found, 1);
  ck_assert_str_eq(notes, "4 :7: bad\n");
  free(notes);
  ck_assert_int_eq(tl_manifest_get(s, "nope.txt", &got, NULL, &found, &err), TL_OK);
  ck_assert_int_eq(found, 0);
  ck_assert_int_eq(tl_manifest_delete(s, longpath, &err), TL_OK);
  ck_assert_int_eq(tl_manifest_get(s, longpath, &got, NULL, &found, &err), TL_OK);
  ck_assert_int_eq(found, 0);
  tl_store_close(s);
}
END_TEST

/* Part 5: compaction in place keeps every document; --stats tells. */
START_TEST(compact_and_stats) {
  char args[4096], db[1024], *out = NULL, *err;
  unsigned long long before;
  snprintf(db, sizeof db, "%s/c.db", tu_dir);
  snprintf(args, sizeof args, "-q -d '%s' '%s/corpus'", db, tu_source_dir());
  free(index_run(0, args));
  before = digest(db);
  snprintf(args, sizeof args, "-d '%s' --compact", db);
  err = index_run(0, args);
  ASSERT_HAS(err, "compacted");
  free(err);
  ck_assert(digest(db) == before);
  ck_assert_int_eq(run(&out, NULL, "'%s/telusur-index' -d '%s' --stats", tu_bin_dir(), db), 0);
  ASSERT_HAS(out, "articles\t389\n");
  ASSERT_HAS(out, "passages\t");
  ASSERT_HAS(out, "distinct terms\t");
  ASSERT_HAS(out, "size\t");
  ASSERT_HAS(out, "last update\t20");
  free(out);
  /* the compacted index is still writable and incremental */
  snprintf(args, sizeof args, "-d '%s' '%s/corpus'", db, tu_source_dir());
  err = index_run(0, args);
  ASSERT_HAS(err, "added 0, replaced 0, unchanged 389");
  free(err);
  /* a missing database is an error */
  snprintf(args, sizeof args, "-d '%s/none.db' --stats", tu_dir);
  free(index_run(2, args));
}
END_TEST

/* Reads "score<TAB>id<TAB>passage" of each result of a TSV run. */
static size_t results(const char *db, const char *q, char rows[][512], size_t max) {
  char *out = NULL, *line, *save = NULL;
  size_t n = 0;
  run(&out, NULL, "'%s/telusur-query' -d '%s' -n %zu -f tsv -- '%s'", tu_bin_dir(), db, max, q);
  for (line = strtok_r(out, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
    char *f[5];
    int k;
    f[0] = line;
    for (k = 1; k < 5; k++) {
      f[k] = strchr(f[k - 1], '\t');
      if (!f[k])
        break;
      *f[k]++ = '\0';
    }
    if (k < 5)
      continue;
    snprintf(rows[n++], 512, "%s\t%s\t%.*s", f[1], f[2], (int)strcspn(f[3], "\t"), f[3]);
  }
  free(out);
  return n;
}

static int cmp_rows(const void *a, const void *b) {
  return strcmp(a, b);
}

/* Part 6: N shards behind a stub rank as one database. */
START_TEST(shards_rank_as_one) {
  static const char *queries[] = {
      "kerjasama bilateral",   "perdamaian dunia", "ekonomi", "menteri luar negeri",
      "\"energi terbarukan\"", "pendidikan anak",  "sungai"};
  char args[4096], one[1024], stub[1024], *out = NULL, *err;
  static char a[20][512], b[20][512];
  size_t i, na, nb;
  snprintf(one, sizeof one, "%s/one.db", tu_dir);
  snprintf(stub, sizeof stub, "%s/stub.db", tu_dir);
  snprintf(args, sizeof args, "-q -d '%s' '%s/corpus'", one, tu_source_dir());
  free(index_run(0, args));
  snprintf(args, sizeof args, "--shards 3 -d '%s' '%s/corpus'", stub, tu_source_dir());
  err = index_run(0, args);
  ASSERT_HAS(err, "added 389");
  free(err);
  ck_assert_int_eq(run(&out, NULL, "'%s/telusur-index' -d '%s' --stats", tu_bin_dir(), stub), 0);
  ASSERT_HAS(out, "articles\t389\n");
  ASSERT_HAS(out, "shards\t3\n");
  free(out);
  for (i = 0; i < sizeof queries / sizeof *queries; i++) {
    size_t k;
    na = results(one, queries[i], a, 20);
    nb = results(stub, queries[i], b, 20);
    ck_assert_msg(na > 0 && na == nb, "%s: %zu vs %zu results", queries[i], na, nb);
    /* the same scores rank by rank; the same passages (ties in any order) */
    for (k = 0; k < na; k++)
      ck_assert_msg(strncmp(a[k], b[k], strcspn(a[k], "\t")) == 0, "%s: rank %zu: %s vs %s",
                    queries[i], k + 1, a[k], b[k]);
    qsort(a, na, sizeof a[0], cmp_rows);
    qsort(b, nb, sizeof b[0], cmp_rows);
    {
      /* leave out the lowest score, whose ties may be cut differently */
      const char *low = NULL;
      size_t m;
      for (m = 0; m < na; m++)
        if (!low || strtod(a[m], NULL) < strtod(low, NULL))
          low = a[m];
      for (m = 0; m < na; m++)
        if (strtod(a[m], NULL) > strtod(low, NULL))
          ck_assert_msg(bsearch(a[m], b, nb, sizeof b[0], cmp_rows) != NULL,
                        "%s: %s missing from the shards", queries[i], a[m]);
    }
  }
  /* re-running over the stub is incremental too */
  snprintf(args, sizeof args, "-d '%s' '%s/corpus'", stub, tu_source_dir());
  err = index_run(0, args);
  ASSERT_HAS(err, "added 0, replaced 0, unchanged 389");
  free(err);
  /* compaction of every shard */
  snprintf(args, sizeof args, "-d '%s' --compact", stub);
  free(index_run(0, args));
  na = results(stub, "kerjasama bilateral", a, 5);
  ck_assert_uint_eq(na, 5);
}
END_TEST

/* Shards behind a stub are searched by one analysis of the query, read
 * from the first shard: shards built with different stemmers are refused,
 * naming both, and a shard built by another analysis of words than the
 * first is warned of; shards that agree say nothing, nor does an empty one
 * (here of another stemmer). */
START_TEST(shards_must_agree) {
  const char *names[] = {"a", "b", "c", "e"};
  const char *stemmers[] = {"", "--stemmer snowball", "", "--stemmer snowball"};
  char args[4096], path[1024], stub[1024], *out = NULL, *err = NULL;
  size_t i;
  tl_store *st;
  tl_error e;
  for (i = 0; i < 4; i++) {
    FILE *f;
    snprintf(path, sizeof path, "%s/agree-%s", tu_dir, names[i]);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/agree-%s/%s.txt", tu_dir, names[i], names[i]);
    if (i < 3) { /* e: an empty shard */
      ck_assert_ptr_nonnull(f = fopen(path, "w"));
      fprintf(f, "Judul %s\n\nPemerintah menjalin kerjasama ekonomi.\n", names[i]);
      fclose(f);
    }
    snprintf(args, sizeof args, "-q %s -d '%s/agree-%s.db' '%s/agree-%s'", stemmers[i], tu_dir,
             names[i], tu_dir, names[i]);
    free(index_run(0, args));
  }
  /* a and b: another stemmer */
  snprintf(stub, sizeof stub, "%s/agree-ab.stub", tu_dir);
  ck_assert_int_eq(tu_write_file(stub, "auto agree-a.db\nauto agree-b.db\n", 32), 0);
  ck_assert_int_eq(run(&out, &err, "'%s/telusur-query' -d '%s' kerjasama", tu_bin_dir(), stub), 2);
  ASSERT_HAS(err, "its shards were built with different stemmers");
  ASSERT_HAS(err, "agree-a.db 'indonesian', ");
  ASSERT_HAS(err, "agree-b.db 'snowball'");
  free(out);
  free(err);
  /* a, c and the empty e: one analysis, found in both */
  snprintf(stub, sizeof stub, "%s/agree-ace.stub", tu_dir);
  ck_assert_int_eq(tu_write_file(stub, "auto agree-a.db\nauto agree-c.db\nauto agree-e.db\n", 48),
                   0);
  ck_assert_int_eq(run(&out, &err, "'%s/telusur-query' -d '%s' kerjasama", tu_bin_dir(), stub), 0);
  ASSERT_HAS(out, "2 passages of 2 articles matched");
  ck_assert_msg(strstr(err, "analys") == NULL, "%s", err);
  free(out);
  free(err);
  /* the empty e first: the stemmer is the first shard's that holds
   * documents (kerjasama, not Snowball's k-e-r prefix read as ke-) */
  snprintf(stub, sizeof stub, "%s/agree-ea.stub", tu_dir);
  ck_assert_int_eq(tu_write_file(stub, "auto agree-e.db\nauto agree-a.db\n", 32), 0);
  ck_assert_int_eq(
      run(&out, &err, "'%s/telusur-query' -d '%s' --explain kerjasama", tu_bin_dir(), stub), 0);
  ASSERT_HAS(out, "Zkerjasama");
  ck_assert_msg(strstr(out, "Zrjasama") == NULL, "%s", out);
  ck_assert_msg(strstr(err, "analys") == NULL, "%s", err);
  free(out);
  free(err);
  snprintf(stub, sizeof stub, "%s/agree-ace.stub", tu_dir);
  /* c recorded by another analysis: warned of, and still searched */
  snprintf(path, sizeof path, "%s/agree-c.db", tu_dir);
  ck_assert_int_eq(tl_store_open(path, TL_STORE_WRITE, &st, &e), TL_OK);
  ck_assert_int_eq(tl_store_set_metadata(st, "telusur.analysis", "indonesian 1 0", &e), TL_OK);
  tl_store_close(st);
  ck_assert_int_eq(run(&out, &err, "'%s/telusur-query' -d '%s' kerjasama", tu_bin_dir(), stub), 0);
  ASSERT_HAS(out, "2 passages of 2 articles matched");
  ASSERT_HAS(err, "its shards were built by different analyses of words");
  ASSERT_HAS(err, "agree-c.db 'indonesian 1 0'");
  free(out);
  free(err);
}
END_TEST

/* An article of many passages goes to the index in chunks, with commits
 * inside it (COMMIT_BYTES in lib/index/writer.c): all its passages arrive, a
 * re-run skips it, and an article cut short by an interrupted run is
 * indexed again. */
static void put_many(const char *name, int n, const char *last) {
  char path[1024];
  FILE *f;
  int i;
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_ptr_nonnull(f = fopen(path, "w"));
  fputs("Artikel yang sangat panjang\n\n", f);
  for (i = 1; i < n; i++)
    fprintf(f,
            "Paragraf nomor %d membahas pembangunan jembatan desa ke-%d di Sumatera "
            "Barat bersama warga setempat dan pemerintah kabupaten.\n\n",
            i, i);
  fprintf(f, "%s\n", last);
  ck_assert_int_eq(fclose(f), 0);
}

START_TEST(huge_article_in_chunks) {
  char args[4096], path[1024], db[1024], *err;
  tl_index *ix;
  tl_analysis *an;
  tl_reader *rd;
  const tl_article *a;
  tl_prepared *p;
  tl_error e;
  size_t n = 0;
  snprintf(path, sizeof path, "%s/big.txt", tu_dir);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  /* 20,000 paragraphs, about 2.6 MB: more than one commit's worth */
  put_many("big.txt", 20000, "Kalimat terakhir menyebut kerbau albino.");
  snprintf(args, sizeof args, "-j 2 -d '%s' '%s'", db, path);
  err = index_run(0, args);
  ASSERT_HAS(err, "1 article (20000 passages) from 1 file,");
  ASSERT_HAS(err, "added 1, replaced 0");
  ASSERT_HAS(err, "index: 20000 passages");
  free(err);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s' albino", tu_bin_dir(), db), 0);
  err = index_run(0, args);
  ASSERT_HAS(err, "unchanged 1");
  ASSERT_HAS(err, "index: 20000 passages");
  free(err);

  /* the file changes, and a run is cut short after a commit inside the
   * article: the index holds the new article's first chunk only */
  put_many("big.txt", 20000, "Kalimat terakhir menyebut kerbau bule.");
  ck_assert_msg(tl_index_open(db, NULL, &ix, &e) == TL_OK, "%s", e.msg);
  ck_assert_msg(tl_analysis_create(tl_index_stemmer(ix), NULL, &an, &e) == TL_OK, "%s", e.msg);
  ck_assert_msg(tl_reader_open(path, &rd, &e) == TL_OK, "%s", e.msg);
  ck_assert_int_eq(tl_reader_next(rd, &a, &e), TL_OK);
  ck_assert_int_eq(tl_index_prepare_begin(an, a, &n, &e), TL_OK);
  ck_assert_uint_eq(n, 20000);
  ck_assert_int_eq(tl_index_prepare_next(an, a, 100, 0, &p, &e), TL_OK);
  ck_assert_uint_eq(p->first, 0);
  ck_assert_uint_eq(p->count, 1);
  ck_assert_uint_eq(p->passages, 100);
  ck_assert_uint_eq(p->total, 20000);
  ck_assert_int_eq(tl_index_put(ix, p, NULL, &e), TL_OK);
  tl_prepared_free(p);
  ck_assert_int_eq(tl_index_commit(ix, &e), TL_OK);
  ck_assert_uint_eq(tl_index_passage_count(ix), 100);
  tl_reader_free(rd);
  tl_analysis_free(an);
  tl_index_close(ix);

  /* the next run sees the article incomplete and indexes it again */
  err = index_run(0, args);
  ASSERT_HAS(err, "1 article (20000 passages) from 1 file,");
  ASSERT_HAS(err, "index: 20000 passages");
  free(err);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s' albino", tu_bin_dir(), db), 1);
  ck_assert_int_eq(run(NULL, NULL, "'%s/telusur-query' -d '%s' bule", tu_bin_dir(), db), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("index");
  TCase *tc = tcase_create("index");
  SRunner *sr;
  int failed;
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, same_output_any_jobs);
  tcase_add_test(tc, pipeline_keeps_order);
  tcase_add_test(tc, summary_in_words);
  tcase_add_test(tc, incremental_runs);
  tcase_add_test(tc, manifest_roundtrip);
  tcase_add_test(tc, compact_and_stats);
  tcase_add_test(tc, shards_rank_as_one);
  tcase_add_test(tc, shards_must_agree);
  suite_add_tcase(s, tc);
  /* 20,000 passages: minutes under the sanitizers on a loaded machine */
  tc = tcase_create("huge");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 480);
  tcase_add_test(tc, huge_article_in_chunks);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
