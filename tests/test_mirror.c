/*
 * test_mirror.c - Check suite: re-indexing mirrors the collection. After
 * each change to the input (lines removed, an article rewritten, a file
 * deleted or renamed, an id moved between files or held by two, lines
 * without id shifted, another spelling of a path, an id held by several
 * files and dropped by the one shown), a re-run of
 * telusur-index leaves the index with the same articles, passages and
 * distinct terms, and the same (article id, passage, text) records, as a
 * fresh build of the same files. Also: -d on a folder that is not an index,
 * and bad input reported again on every run.
 */
#include "index/schema.h"
#include "telusur/index.h"
#include "testutil.h"
#include "xapian/store.h"

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static void put(const char *name, const char *text) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
}

static void mkdir_in(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(mkdir(path, 0700), 0);
}

static void remove_in(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(remove(path), 0);
}

/* Runs telusur-index ARGS in directory cwd (tu_dir when NULL); returns its
 * exit status and its stderr in *err (if not NULL; the caller frees it). */
static int index_in(const char *cwd, char **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int index_in(const char *cwd, char **err, const char *fmt, ...) {
  char args[4096], *e = NULL;
  va_list ap;
  int rc;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  rc =
      tu_runf(NULL, &e, "cd '%s' && '%s/telusur-index' %s", cwd ? cwd : tu_dir, tu_bin_dir(), args);
  if (err)
    *err = e;
  else
    free(e);
  return rc;
}

/* What an index holds: its figures and its records, one
 * "ID\tPASSAGE\tTITLE\tTEXT" line each, sorted. */
typedef struct snap {
  unsigned long articles, passages;
  unsigned long long terms;
  char **lines;
  size_t n, cap;
} snap;

static int on_data(void *ctx, const char *data, size_t len) {
  snap *s = ctx;
  tl_passage_record r;
  tl_error err;
  size_t n;
  ck_assert_int_eq(tl_record_decode(data, len, &r, &err), TL_OK);
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->lines = realloc(s->lines, s->cap * sizeof *s->lines);
    ck_assert_ptr_nonnull(s->lines);
  }
  n = strlen(r.article_id) + strlen(r.title) + r.text_len + 64;
  s->lines[s->n] = malloc(n);
  ck_assert_ptr_nonnull(s->lines[s->n]);
  snprintf(s->lines[s->n++], n, "%s\t%lu\t%s\t%.*s", r.article_id, r.passage, r.title,
           (int)r.text_len, r.text);
  tl_record_release(&r);
  return 0;
}

static int by_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static snap snapshot(const char *name) {
  char db[1024];
  snap s;
  tl_index_stats_t st;
  tl_store *store;
  tl_error err;
  memset(&s, 0, sizeof s);
  snprintf(db, sizeof db, "%s/%s", tu_dir, name);
  ck_assert_msg(tl_index_stats(db, &st, &err) == TL_OK, "%s", err.msg);
  s.articles = st.articles;
  s.passages = st.passages;
  s.terms = st.terms;
  ck_assert_msg(tl_store_open(db, TL_STORE_READ, &store, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(tl_store_each_data(store, on_data, &s, &err), TL_OK);
  tl_store_close(store);
  qsort(s.lines, s.n, sizeof *s.lines, by_str);
  return s;
}

static void snap_free(snap *s) {
  size_t i;
  for (i = 0; i < s->n; i++)
    free(s->lines[i]);
  free(s->lines);
}

/* The number of articles in the index tu_dir/name. */
static unsigned long articles(const char *name) {
  snap s = snapshot(name);
  unsigned long n = s.articles;
  snap_free(&s);
  return n;
}

/* Asserts that the index db holds what a fresh build of paths (as given,
 * from tu_dir; exit status status) holds. */
static void assert_mirror_status(const char *paths, int status) {
  char fresh[1024];
  snap a, b;
  size_t i;
  snprintf(fresh, sizeof fresh, "%s/fresh", tu_dir);
  tu_rmtree(fresh);
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d fresh %s", paths), status);
  a = snapshot("db");
  b = snapshot("fresh");
  ck_assert_uint_eq(a.articles, b.articles);
  ck_assert_uint_eq(a.passages, b.passages);
  ck_assert_uint_eq(a.terms, b.terms);
  ck_assert_uint_eq(a.n, b.n);
  for (i = 0; i < a.n; i++)
    ck_assert_str_eq(a.lines[i], b.lines[i]);
  snap_free(&a);
  snap_free(&b);
}

static void assert_mirror(const char *paths) {
  assert_mirror_status(paths, 0);
}

/* Re-indexes paths into db (from tu_dir); returns the summary line. */
static char *rerun(const char *paths) {
  char *err = NULL, args[1024];
  snprintf(args, sizeof args, "-d db %s", paths);
  ck_assert_int_eq(index_in(NULL, &err, "%s", args), 0);
  return err;
}

#define ASSERT_HAS(s, sub) ck_assert_msg(strstr((s), (sub)) != NULL, "no '%s' in: %s", (sub), (s))

static const char *const jsonl3 =
    "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
    "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani menanam padi di sawah.\"}\n"
    "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n";

static void make_in(void) {
  mkdir_in("in");
  put("in/a.txt", "Pantai Kuta\n\nWisatawan berselancar di pantai Kuta setiap sore.\n");
  put("in/b.jsonl", jsonl3);
  free(rerun("in"));
  assert_mirror("in");
}

START_TEST(lines_removed) {
  char *e;
  make_in();
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "removed 1;");
  free(e);
  assert_mirror("in");
}
END_TEST

START_TEST(article_rewritten) {
  char *e;
  make_in();
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b2\",\"title\":\"Jagung\",\"text\":\"Petani memanen jagung.\\n\\nHarga naik.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "replaced 1, unchanged 3, removed 0;");
  free(e);
  assert_mirror("in");
}
END_TEST

START_TEST(file_deleted_and_kept) {
  char *e;
  make_in();
  remove_in("in/a.txt");
  ck_assert_int_eq(index_in(NULL, &e, "--no-delete -d db in"), 0);
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_uint_eq(articles("db"), 4); /* kept */
  e = rerun("--prune in");              /* accepted: the default */
  ASSERT_HAS(e, "removed 1;");
  free(e);
  assert_mirror("in");
}
END_TEST

START_TEST(file_renamed) {
  char from[1024], to[1024];
  char *e;
  make_in();
  snprintf(from, sizeof from, "%s/in/b.jsonl", tu_dir);
  snprintf(to, sizeof to, "%s/in/c.jsonl", tu_dir);
  ck_assert_int_eq(rename(from, to), 0);
  e = rerun("in");
  free(e);
  assert_mirror("in");
  snprintf(from, sizeof from, "%s/in/a.txt", tu_dir);
  snprintf(to, sizeof to, "%s/in/d.txt", tu_dir);
  ck_assert_int_eq(rename(from, to), 0);
  free(rerun("in"));
  assert_mirror("in");
  /* a folder of files deleted whole */
  mkdir_in("in/sub");
  put("in/sub/s.txt", "Kopi\n\nKopi Gayo diekspor ke Eropa.\n");
  free(rerun("in"));
  assert_mirror("in");
  remove_in("in/sub/s.txt");
  remove_in("in/sub");
  free(rerun("in"));
  assert_mirror("in");
}
END_TEST

START_TEST(id_moved_between_files) {
  make_in();
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  put("in/c.jsonl", "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani menanam padi.\"}\n");
  free(rerun("in"));
  assert_mirror("in");
  /* and back, to a file before it in walk order */
  put("in/b.jsonl", jsonl3);
  put("in/c.jsonl", "{\"id\":\"c1\",\"title\":\"Kopi\",\"text\":\"Kopi Gayo diekspor.\"}\n");
  free(rerun("in"));
  assert_mirror("in");
}
END_TEST

START_TEST(id_in_two_files) {
  char *e;
  make_in();
  /* b2 in b.jsonl and c.jsonl: the copy shown is c.jsonl's, the last */
  put("in/c.jsonl", "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Sawah di Karawang.\"}\n");
  free(rerun("in"));
  assert_mirror("in");
  /* removed from b.jsonl: c.jsonl's copy stays */
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  assert_mirror("in");
}
END_TEST

START_TEST(lines_without_id) {
  char *e;
  mkdir_in("in");
  put("in/n.jsonl", "{\"title\":\"Satu\",\"text\":\"Gempa mengguncang Lombok.\"}\n"
                    "{\"title\":\"Dua\",\"text\":\"Petani menanam padi.\"}\n"
                    "{\"title\":\"Tiga\",\"text\":\"Vaksin baru diuji.\"}\n");
  free(rerun("in"));
  assert_mirror("in");
  /* the first line deleted: the others' PATH:LINE ids move up */
  put("in/n.jsonl", "{\"title\":\"Dua\",\"text\":\"Petani menanam padi.\"}\n"
                    "{\"title\":\"Tiga\",\"text\":\"Vaksin baru diuji.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "removed 1;");
  free(e);
  assert_mirror("in");
}
END_TEST

/* 1 when the index tu_dir/name holds a record containing sub. */
static int holds(const char *name, const char *sub) {
  snap s = snapshot(name);
  size_t i;
  int found = 0;
  for (i = 0; i < s.n && !found; i++)
    found = strstr(s.lines[i], sub) != NULL;
  snap_free(&s);
  return found;
}

static int on_holders(void *ctx, const char *key, const char *value) {
  char **s = ctx;
  size_t n = strlen(*s), m = strlen(key) + strlen(value) + 3;
  *s = realloc(*s, n + m);
  ck_assert_ptr_nonnull(*s);
  snprintf(*s + n, m, "%s=%s;", key, value);
  return 0;
}

/* The holders the index tu_dir/name records, "KEY=VALUE;" each (malloc'd). */
static char *holders(const char *name) {
  char db[1024];
  tl_store *store;
  tl_error err;
  char *b = calloc(1, 1);
  ck_assert_ptr_nonnull(b);
  snprintf(db, sizeof db, "%s/%s", tu_dir, name);
  ck_assert_msg(tl_store_open(db, TL_STORE_READ, &store, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(tl_store_metadata_each(store, TL_META_HOLD_PREFIX, on_holders, &b, &err), TL_OK);
  tl_store_close(store);
  return b;
}

/* assert_mirror, and the same holders recorded; n: how many ids have them */
static void assert_mirror_holders(const char *paths, int n) {
  char *a, *b, *p;
  int keys = 0;
  assert_mirror(paths);
  a = holders("db");
  b = holders("fresh");
  ck_assert_str_eq(a, b);
  for (p = a; (p = strstr(p, TL_META_HOLD_PREFIX)); p++)
    keys++;
  ck_assert_int_eq(keys, n);
  free(a);
  free(b);
}

/* An id held by several files: the copy shown is the last one of the
 * holder whose path sorts last, whatever the order of the paths given, and
 * the copy of another holder comes back when the shown one goes. */
START_TEST(id_held_by_several_files) {
  static const char b2c[] = "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Sawah di Karawang.\"}\n";
  char from[1024], to[1024], *e;
  make_in();
  put("in/c.jsonl", b2c);
  e = rerun("in");
  /* b.jsonl is not read again: its copy is named by its canonical path */
  ASSERT_HAS(e, "in/c.jsonl:1: article id 'b2' also held by ");
  ASSERT_HAS(e, "/in/b.jsonl: the copy indexed is the last one in ");
  free(e);
  assert_mirror_holders("in", 1);
  ck_assert(holds("db", "Sawah di Karawang") && !holds("db", "Petani menanam"));
  /* the shown copy's line removed: b.jsonl's copy comes back */
  put("in/c.jsonl", "{\"id\":\"c1\",\"title\":\"Kopi\",\"text\":\"Kopi Gayo diekspor.\"}\n");
  free(rerun("in"));
  assert_mirror_holders("in", 0);
  ck_assert(holds("db", "Petani menanam padi") && !holds("db", "Karawang"));
  /* held by c.jsonl again; then b.jsonl's copy rewritten: c.jsonl's stays,
   * and the duplicate is noted though c.jsonl is not read again */
  put("in/c.jsonl", b2c);
  free(rerun("in"));
  put("in/b.jsonl", "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok.\"}\n"
                    "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani memanen padi.\"}\n"
                    "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "in/b.jsonl:2: article id 'b2' also held by ");
  ASSERT_HAS(e, "/in/c.jsonl, the file whose path sorts last\n");
  free(e);
  assert_mirror_holders("in", 1);
  ck_assert(holds("db", "Karawang") && !holds("db", "memanen"));
  /* a fresh build of the paths in another order shows the same copy */
  assert_mirror_holders("in/c.jsonl in/b.jsonl in/a.txt", 1);
  /* the shown copy's file deleted (pruned): b.jsonl's copy comes back */
  remove_in("in/c.jsonl");
  e = rerun("--prune in");
  /* the article stays, another copy: replaced, not removed */
  ASSERT_HAS(e, "replaced 1, unchanged 4, removed 0;");
  free(e);
  assert_mirror_holders("in", 0);
  ck_assert(holds("db", "Petani memanen padi") && !holds("db", "Karawang"));
  /* held by c.jsonl again, which is renamed to sort before b.jsonl */
  put("in/c.jsonl", b2c);
  free(rerun("in"));
  ck_assert(holds("db", "Karawang"));
  snprintf(from, sizeof from, "%s/in/c.jsonl", tu_dir);
  snprintf(to, sizeof to, "%s/in/a0.jsonl", tu_dir);
  ck_assert_int_eq(rename(from, to), 0);
  free(rerun("in"));
  assert_mirror_holders("in", 1);
  ck_assert(holds("db", "memanen") && !holds("db", "Karawang"));
  /* the id moved from b.jsonl to d.jsonl, after it: d.jsonl's copy */
  put("in/b.jsonl", "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok.\"}\n"
                    "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji.\"}\n");
  put("in/d.jsonl", "{\"id\":\"b2\",\"title\":\"Jagung\",\"text\":\"Jagung dipanen.\"}\n"
                    "{\"id\":\"b2\",\"title\":\"Jagung\",\"text\":\"Jagung dijual.\"}\n");
  free(rerun("in"));
  assert_mirror_holders("in", 1);
  ck_assert(holds("db", "Jagung dijual") && !holds("db", "dipanen") && !holds("db", "memanen"));
  /* removed from the winner: a0.jsonl's copy comes back */
  put("in/d.jsonl", "{\"id\":\"d1\",\"title\":\"Teh\",\"text\":\"Kebun teh di Puncak.\"}\n");
  free(rerun("in"));
  assert_mirror_holders("in", 0);
  ck_assert(holds("db", "Karawang") && !holds("db", "Jagung"));
  /* removed from the last holder: gone */
  put("in/a0.jsonl", "{\"id\":\"a1\",\"title\":\"Kopi\",\"text\":\"Kopi Gayo diekspor.\"}\n");
  e = rerun("in");
  ASSERT_HAS(e, "removed 1;");
  free(e);
  assert_mirror_holders("in", 0);
  ck_assert(!holds("db", "Karawang") && !holds("db", "\tPadi\t"));
}
END_TEST

/* The same file named by an absolute path from another working directory
 * is the same file: nothing removed, nothing doubled. */
START_TEST(path_spellings) {
  char abs[1024], args[2048], *e;
  make_in();
  snprintf(abs, sizeof abs, "%s/in/a.txt", tu_dir);
  snprintf(args, sizeof args, "-d '%s/db' --prune '%s'", tu_dir, abs);
  ck_assert_int_eq(index_in("/", &e, "%s", args), 0);
  ASSERT_HAS(e, "added 0, replaced 0, unchanged 1, removed 0;");
  free(e);
  snprintf(args, sizeof args, "-d '%s/db' '%s/in/../in'", tu_dir, tu_dir);
  ck_assert_int_eq(index_in("/", &e, "%s", args), 0);
  ASSERT_HAS(e, "added 0, replaced 0, unchanged 4, removed 0;");
  free(e);
  assert_mirror("in");
  /* a file removed, named through another spelling of its folder */
  remove_in("in/a.txt");
  snprintf(args, sizeof args, "-d '%s/db' ./in/", tu_dir);
  ck_assert_int_eq(index_in(NULL, &e, "%s", args), 0);
  ASSERT_HAS(e, "removed 1;");
  free(e);
  assert_mirror("in");
}
END_TEST

/* Files recorded under other paths than those given are not touched. */
START_TEST(other_paths_untouched) {
  char *e;
  make_in();
  mkdir_in("more");
  put("more/m.txt", "Kopi\n\nKopi Gayo diekspor ke Eropa.\n");
  free(rerun("more"));
  remove_in("in/a.txt");
  e = rerun("more");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_uint_eq(articles("db"), 5);
}
END_TEST

/* A path given that does not exist removes nothing under it (a folder
 * moved or unmounted, a name mistyped), nor does a folder given that holds
 * no file any more; a file given by name that the index read before and
 * that is now deleted goes. */
START_TEST(missing_path_kept) {
  char from[1024], to[1024];
  char *e;
  make_in();
  snprintf(from, sizeof from, "%s/in", tu_dir);
  snprintf(to, sizeof to, "%s/moved", tu_dir);
  ck_assert_int_eq(rename(from, to), 0);
  ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 1);
  ASSERT_HAS(e, "in: No such file or directory, skipped; the articles indexed under it are kept");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_uint_eq(articles("db"), 4);
  ck_assert_int_eq(rename(to, from), 0);
  /* files named one by one: the deleted one goes, exit 0 */
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d named in/a.txt in/b.jsonl"), 0);
  ck_assert_uint_eq(articles("named"), 4);
  remove_in("in/a.txt");
  ck_assert_int_eq(index_in(NULL, &e, "-d named in/a.txt in/b.jsonl"), 0);
  ASSERT_HAS(e, "in/a.txt: No such file or directory: the file is gone, its articles are removed");
  ASSERT_HAS(e, "removed 1;");
  free(e);
  ck_assert_uint_eq(articles("named"), 3);
  /* a folder given that now holds no file (an unmounted mount point): kept */
  remove_in("in/b.jsonl");
  ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 1);
  ASSERT_HAS(e, "in: no file to index under it; the articles indexed under it are kept");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_uint_eq(articles("db"), 4);
  /* a name never indexed: nothing to remove, a skip */
  ck_assert_int_eq(index_in(NULL, &e, "-d named in/nothing.txt"), 1);
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_uint_eq(articles("named"), 3);
  /* below another path given, a missing or emptied folder keeps its
   * articles too; and a path whose parents are gone as well */
  mkdir_in("top");
  mkdir_in("top/sub");
  put("top/sub/s.txt", "Kopi\n\nKopi Gayo diekspor ke Eropa.\n");
  put("top/t.txt", "Teh\n\nTeh hijau dari Jawa Barat.\n");
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d nest top"), 0);
  remove_in("top/sub/s.txt");
  ck_assert_int_eq(index_in(NULL, &e, "-d nest top top/sub"), 1);
  ASSERT_HAS(e, "top/sub: no file to index under it; the articles indexed under it are kept");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  remove_in("top/sub");
  ck_assert_int_eq(index_in(NULL, &e, "-d nest top/sub top"), 1);
  ASSERT_HAS(e,
             "top/sub: No such file or directory, skipped; the articles indexed under it are kept");
  ASSERT_HAS(e, "removed 0;");
  free(e);
  ck_assert_int_eq(index_in(NULL, &e, "-d nest top/sub/deeper/x.txt"), 1);
  ASSERT_HAS(e,
             "x.txt: No such file or directory, skipped; the articles indexed under it are kept");
  free(e);
  ck_assert_uint_eq(articles("nest"), 2);
}
END_TEST

START_TEST(db_not_an_index) {
  char *e;
  mkdir_in("in");
  put("in/a.txt", "Pantai\n\nPantai Kuta.\n");
  mkdir_in("notes");
  put("notes/todo.md", "keep me\n");
  ck_assert_int_eq(index_in(NULL, &e, "-d notes in"), 2);
  ASSERT_HAS(e, "notes: a folder that is not empty and not an index");
  ck_assert_ptr_eq(strchr(e, '\n'), e + strlen(e) - 1); /* one line */
  free(e);
  /* an empty folder is fine */
  mkdir_in("empty");
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d empty in"), 0);
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d empty in"), 0); /* an index now */
}
END_TEST

/* A bad file is not recorded as done: every run reports it and exits 1. */
/* A file that turns bad (a cut gzip stream, a text with invalid UTF-8, a
 * malformed line, a link left dangling) keeps the articles the index has of
 * it; once it reads cleanly, what it no longer holds goes. */
START_TEST(bad_input_keeps_articles) {
  char *e, link[1024];
  snap s;
  int i;
  mkdir_in("in");
  ck_assert_int_eq(
      tu_runf(NULL, NULL,
              "cd '%s/in' && for i in 1 2 3 4 5 6; do printf '{\"id\":\"b%%d\",\"text\":"
              "\"Artikel nomor %%d tentang ekonomi pasar dan harga yang naik di kota "
              "besar.\"}\\n' $i $i; done | gzip >b.jsonl.gz",
              tu_dir),
      0);
  put("in/j.jsonl", "{\"id\":\"j1\",\"text\":\"Berita ekonomi satu.\"}\n"
                    "{\"id\":\"j2\",\"text\":\"Berita ekonomi dua.\"}\n");
  put("in/a.txt", "Judul A\n\nParagraf tentang ekonomi pasar.\n");
  put("in/c.txt", "Judul C\n\nParagraf tentang harga beras.\n");
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d db in"), 0);
  s = snapshot("db");
  ck_assert_uint_eq(s.articles, 10);
  snap_free(&s);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "cd '%s/in' && head -c 60 b.jsonl.gz >t && mv t b.jsonl.gz", tu_dir), 0);
  put("in/a.txt", "Judul A\n\nParagraf tentang ekonomi pas\xff ar.\n");
  put("in/j.jsonl", "{\"id\":\"j1\",\"text\":\"Berita ekonomi satu.\"}\n"
                    "{\"id\":\"j2\",\"text\":\"Berita eko\n");
  remove_in("in/c.txt");
  snprintf(link, sizeof link, "%s/in/c.txt", tu_dir);
  ck_assert_int_eq(symlink("nowhere.txt", link), 0);
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 1);
    ASSERT_HAS(e, "b.jsonl.gz");
    ASSERT_HAS(e, "a.txt");
    ASSERT_HAS(e, "j.jsonl:2");
    ASSERT_HAS(e, "c.txt");
    ASSERT_HAS(e, "removed 0");
    free(e);
    s = snapshot("db");
    ck_assert_uint_eq(s.articles, 10);
    snap_free(&s);
  }
  /* read cleanly again: j2's line gone, j2 goes; the others are back */
  put("in/j.jsonl", "{\"id\":\"j1\",\"text\":\"Berita ekonomi satu.\"}\n");
  put("in/a.txt", "Judul A\n\nParagraf tentang ekonomi pasar.\n");
  remove_in("in/b.jsonl.gz");
  remove_in("in/c.txt");
  ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 0);
  ASSERT_HAS(e, "removed 8");
  free(e);
  s = snapshot("db");
  ck_assert_uint_eq(s.articles, 2);
  snap_free(&s);
}
END_TEST

/* A file reached twice in a run (a link beside it, a path given twice) is
 * read once, under the first name, with a note naming the second. */
START_TEST(file_reached_twice) {
  char *e, link[1024];
  snap s;
  int i;
  mkdir_in("in");
  put("in/a.txt", "Judul\n\nParagraf tentang ekonomi.\n");
  snprintf(link, sizeof link, "%s/in/b.txt", tu_dir);
  ck_assert_int_eq(symlink("a.txt", link), 0);
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(index_in(NULL, &e, "-d db in in/a.txt"), 0);
    ASSERT_HAS(e, "in/b.txt: the same file as a path read before in this run, read once");
    ASSERT_HAS(e, "in/a.txt: the same file");
    ASSERT_HAS(e, i ? "added 0, replaced 0, unchanged 1, removed 0"
                    : "added 1, replaced 0, "
                      "unchanged 0, removed 0");
    free(e);
    s = snapshot("db");
    ck_assert_uint_eq(s.articles, 1);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_ptr_nonnull(strstr(s.lines[0], "in/a.txt\t1\tJudul"));
    snap_free(&s);
  }
}
END_TEST

/* Run again with another --date-format, an unchanged file is read again
 * and its articles get the dates it now understands; run again with the
 * same format, nothing is read. */
START_TEST(date_format_changed) {
  char *e, *out;
  int i;
  mkdir_in("in");
  put("in/d.jsonl",
      "{\"id\":\"d1\",\"text\":\"Harga beras naik.\",\"date\":\"10/21/2025 20:43\"}\n");
  ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 0);
  ASSERT_HAS(e, "not understood (article kept)");
  free(e);
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(index_in(NULL, &e, "-d db --date-format '%%m/%%d/%%Y %%H:%%M' in"), 0);
    ASSERT_HAS(e, i ? "added 0, replaced 0, unchanged 1" : "added 0, replaced 1, unchanged 0");
    free(e);
  }
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f json beras", tu_bin_dir(), tu_dir), 0);
  ASSERT_HAS(out, "\"date\":\"2025-10-21T20:43:00Z\"");
  free(out);
}
END_TEST

/* The lines of a run's stderr before its summary (the notes), malloc'd. */
static char *notes_of(const char *e) {
  const char *end = strstr(e, "telusur-index: ");
  const char *last = end;
  while (end && (end = strstr(end + 1, "telusur-index: ")))
    last = end;
  return strndup(e, last ? (size_t)(last - e) : strlen(e));
}

START_TEST(bad_input_reported_again) {
  static const char nul[] = "Judul\n\nTeks\0biner.\n";
  static const char *spelling[] = {"in", "in", "./in/", "in", "in"};
  char path[1024], *e, *first = NULL, *notes;
  int run;
  make_in();
  put("in/bad.jsonl", "{\"id\":\"x1\",\"text\":\"Baik sekali.\"}\n{\"id\":\n");
  snprintf(path, sizeof path, "%s/in/nul.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(path, nul, sizeof nul - 1), 0);
  put("in/trunc.txt.gz", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
  put("in/utf.txt", "Judul\n\nTeks \xff buruk.\n");
  for (run = 0; run < 5; run++) {
    /* run 3 finds bad.jsonl touched (another mtime, the same bytes) */
    if (run == 3) {
      snprintf(path, sizeof path, "%s/in/bad.jsonl", tu_dir);
      ck_assert_int_eq(utimes(path, NULL), 0);
    }
    ck_assert_int_eq(index_in(NULL, &e, "-d db %s", spelling[run]), 1);
    ASSERT_HAS(e, "in/bad.jsonl:2: malformed JSON at column 7");
    ASSERT_HAS(e, "in/nul.txt: binary data (NUL byte at byte offset 11), skipped");
    ASSERT_HAS(e, "in/trunc.txt.gz: truncated gzip data");
    ASSERT_HAS(e, "in/utf.txt: invalid UTF-8 at byte offset 12, skipped");
    ASSERT_HAS(e, "skipped: 0 files, 4 records (malformed 3, invalid UTF-8 1)");
    /* an unchanged file is not read again: its notes are those recorded,
     * the same as the first run's, under this run's spelling of the path */
    notes = notes_of(e);
    ck_assert_ptr_nonnull(notes);
    if (run == 2) {
      ck_assert_ptr_nonnull(strstr(notes, "./in/bad.jsonl:2"));
      ck_assert_ptr_null(strstr(notes, " in/"));
    } else if (!first) {
      first = notes;
      notes = NULL;
    } else {
      ck_assert_str_eq(notes, first);
    }
    free(notes);
    if (run > 0)
      ASSERT_HAS(e, "added 0, replaced 0, unchanged 5, removed 0");
    free(e);
  }
  free(first);
  /* the recorded notes are what a run reports while size and mtime stand:
   * the same number of other bytes under the old mtime is not read */
  {
    struct stat sb;
    struct timespec t[2];
    snprintf(path, sizeof path, "%s/in/bad.jsonl", tu_dir);
    ck_assert_int_eq(stat(path, &sb), 0);
    put("in/bad.jsonl", "{\"id\":\"x1\",\"text\":\"Baik sekali.\"}\nx23456\n");
    t[0] = sb.st_atim;
    t[1] = sb.st_mtim;
    ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
    ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 1);
    ASSERT_HAS(e, "in/bad.jsonl:2: malformed JSON at column 7");
    free(e);
    /* once the mtime moves, the file is read: the new record's note */
    ck_assert_int_eq(utimes(path, NULL), 0);
    ck_assert_int_eq(index_in(NULL, &e, "-d db in"), 1);
    ASSERT_HAS(e, "in/bad.jsonl:2: malformed JSON at column 1: unexpected character");
    free(e);
  }
  assert_mirror_status("in", 1);
  /* a FIFO named alone is skipped: exit 1 */
  snprintf(path, sizeof path, "%s/in/fifo.txt", tu_dir);
  ck_assert_int_eq(mkfifo(path, 0600), 0);
  ck_assert_int_eq(index_in(NULL, &e, "-d db in/fifo.txt"), 1);
  ASSERT_HAS(e, "fifo.txt");
  free(e);
  put("in/unknown.doc", "not a known format\n");
  ck_assert_int_eq(index_in(NULL, NULL, "-q -d db in/unknown.doc"), 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("mirror");
  TCase *tc = tcase_create("mirror");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, lines_removed);
  tcase_add_test(tc, article_rewritten);
  tcase_add_test(tc, file_deleted_and_kept);
  tcase_add_test(tc, file_renamed);
  tcase_add_test(tc, id_moved_between_files);
  tcase_add_test(tc, id_in_two_files);
  tcase_add_test(tc, id_held_by_several_files);
  tcase_add_test(tc, lines_without_id);
  tcase_add_test(tc, path_spellings);
  tcase_add_test(tc, other_paths_untouched);
  tcase_add_test(tc, missing_path_kept);
  tcase_add_test(tc, db_not_an_index);
  tcase_add_test(tc, bad_input_reported_again);
  tcase_add_test(tc, bad_input_keeps_articles);
  tcase_add_test(tc, file_reached_twice);
  tcase_add_test(tc, date_format_changed);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
