/*
 * test_walk.c - Check suite for lib/walk.[ch]: the exact visit order
 * (strcmp of names, whatever the creation order), hidden names, unknown
 * types, names in any letter case, HTML pages, symbolic links (a loop must
 * not trap the walk), errors.
 */
#include "testutil.h"
#include "text/walk.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The visits of a walk, as "KIND path-relative-to-tmp" lines. */
typedef struct visits {
  char log[8192];
  size_t len;
  int calls;
  int stop_at; /* return 5 from this 1-based call */
} visits;

static int record(void *ctx, const char *path, int kind, const char *msg) {
  visits *v = ctx;
  static const char *const names[] = {"FILE", "SKIPPED", "ERROR"};
  size_t n = strlen(tu_dir);
  const char *rel = strncmp(path, tu_dir, n) == 0 ? path + n + (path[n] == '/') : path;
  ck_assert(kind >= TL_WALK_FILE && kind <= TL_WALK_ERROR);
  /* a message exactly for the skipped and the failed, one line */
  if (kind == TL_WALK_FILE)
    ck_assert_ptr_null(msg);
  else {
    ck_assert_ptr_nonnull(msg);
    ck_assert_str_ne(msg, "");
    ck_assert_ptr_null(strchr(msg, '\n'));
  }
  v->len += (size_t)snprintf(v->log + v->len, sizeof v->log - v->len, "%s %s\n", names[kind], rel);
  ck_assert_uint_lt(v->len, sizeof v->log);
  v->calls++;
  return v->calls == v->stop_at ? 5 : 0;
}

/* Creates tu_dir/rel with some text; directories must exist. */
static void file(const char *rel) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", tu_dir, rel);
  ck_assert_int_eq(tu_write_file(p, "Judul\nTeks.\n", 12), 0);
}

static void dir(const char *rel) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", tu_dir, rel);
  ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void link_to(const char *target, const char *rel) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", tu_dir, rel);
  ck_assert_int_eq(symlink(target, p), 0);
}

/* Builds a tree, its entries created out of order. */
static void tree(void) {
  dir("root");
  file("root/z.txt");
  dir("root/sub");
  file("root/sub/y.jsonl");
  file("root/b.jsonl");
  link_to("..", "root/sub/loop"); /* a directory link to the parent */
  file("root/9.txt");
  file("root/notes.md");
  file("root/.hidden.txt");
  dir("root/.git");
  file("root/.git/config.txt");
  dir("root/sub/deeper");
  file("root/sub/deeper/c.txt");
  file("root/a.txt.gz");
  file("root/B.txt");
  dir("root/a-dir");
  file("root/a-dir/k.txt");
  file("root/10.txt");
  link_to("z.txt", "root/link.txt");           /* a link to a file */
  link_to("nowhere.txt", "root/dangling.txt"); /* a link to nothing */
  {
    char p[1024];
    snprintf(p, sizeof p, "%s/root/fifo.txt", tu_dir);
    ck_assert_int_eq(mkfifo(p, 0644), 0);
  }
  dir("root/index"); /* a Xapian database is not input */
  file("root/index/iamglass");
  file("root/index/postlist.txt");
  dir("root/empty");
}

static const char expected[] = "FILE root/10.txt\n"
                               "FILE root/9.txt\n"
                               "FILE root/B.txt\n"
                               "FILE root/a-dir/k.txt\n"
                               "FILE root/a.txt.gz\n"
                               "FILE root/b.jsonl\n"
                               "ERROR root/dangling.txt\n"
                               "SKIPPED root/fifo.txt\n"
                               "SKIPPED root/index\n"
                               "FILE root/link.txt\n"
                               "SKIPPED root/notes.md\n"
                               "FILE root/sub/deeper/c.txt\n"
                               "SKIPPED root/sub/loop\n"
                               "FILE root/sub/y.jsonl\n"
                               "FILE root/z.txt\n";

START_TEST(test_order) {
  visits v;
  char p[1024];
  tree();
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/root", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_str_eq(v.log, expected);
}
END_TEST

/* A trailing slash does not double in the paths. */
START_TEST(test_trailing_slash) {
  visits v;
  char p[1024];
  tree();
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/root/", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_str_eq(v.log, expected);
}
END_TEST

/* A top-level file is reported as it is, whatever its name. */
START_TEST(test_single_paths) {
  visits v;
  char p[1024];
  tree();
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/root/sub/y.jsonl", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  snprintf(p, sizeof p, "%s/root/notes.md", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  snprintf(p, sizeof p, "%s/root/empty", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  /* a link given at the top is followed: the walker was asked for it */
  snprintf(p, sizeof p, "%s/root/sub/loop", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_int_eq(strncmp(v.log,
                           "FILE root/sub/y.jsonl\n"
                           "SKIPPED root/notes.md\n"
                           "FILE root/sub/loop/10.txt\n",
                           strlen("FILE root/sub/y.jsonl\nSKIPPED root/notes.md\n"
                                  "FILE root/sub/loop/10.txt\n")),
                   0);
  /* ...and inside it the same link is skipped: the loop ends */
  ck_assert_ptr_nonnull(strstr(v.log, "SKIPPED root/sub/loop/sub/loop\n"));
  ck_assert_int_eq(v.calls, 2 + 15);
}
END_TEST

/* A missing path is one error naming it. */
START_TEST(test_missing) {
  visits v;
  char p[1024];
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/nope", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_str_eq(v.log, "ERROR nope\n");
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/nope/deeper.txt", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_str_eq(v.log, "ERROR nope/deeper.txt\n");
}
END_TEST

/* A non-zero return from the callback stops the walk and is returned. */
START_TEST(test_stop) {
  visits v;
  char p[1024];
  tree();
  memset(&v, 0, sizeof v);
  v.stop_at = 4;
  snprintf(p, sizeof p, "%s/root", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), 5);
  ck_assert_int_eq(v.calls, 4);
  ck_assert_str_eq(v.log, "FILE root/10.txt\nFILE root/9.txt\nFILE root/B.txt\n"
                          "FILE root/a-dir/k.txt\n");
}
END_TEST

/* An unreadable directory is an error (only where permissions apply). */
START_TEST(test_unreadable_dir) {
  visits v;
  char p[1024];
  dir("locked");
  file("locked/a.txt");
  snprintf(p, sizeof p, "%s/locked", tu_dir);
  ck_assert_int_eq(chmod(p, 0), 0);
  memset(&v, 0, sizeof v);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  if (geteuid() != 0)
    ck_assert_str_eq(v.log, "ERROR locked\n");
  else
    ck_assert_str_eq(v.log, "FILE locked/a.txt\n");
  chmod(p, 0755);
}
END_TEST

/* The message of the last skipped path. */
static int last_msg(void *ctx, const char *path, int kind, const char *msg) {
  (void)path;
  if (kind == TL_WALK_SKIPPED)
    snprintf(ctx, 256, "%s", msg);
  return 0;
}

/* HTML pages and names in any letter case are input; look-alikes are not. */
START_TEST(test_formats) {
  static const char *const names[] = {"j.GZ",    "a.HTML",    "i.html.bz2", "b.htm",
                                      "h.xhtml", "c.html.gz", "d.Htm.GZ",   "e.TXT",
                                      "f.JSONL", "g.JSON.GZ", "k.htmlx",    "l.Txt.Gz"};
  visits v;
  char p[1024], msg[256] = "";
  size_t i;
  dir("fmt");
  for (i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(p, sizeof p, "fmt/%s", names[i]);
    file(p);
  }
  memset(&v, 0, sizeof v);
  snprintf(p, sizeof p, "%s/fmt", tu_dir);
  ck_assert_int_eq(tl_walk(p, record, &v), TL_OK);
  ck_assert_str_eq(v.log, "FILE fmt/a.HTML\n"
                          "FILE fmt/b.htm\n"
                          "FILE fmt/c.html.gz\n"
                          "FILE fmt/d.Htm.GZ\n"
                          "FILE fmt/e.TXT\n"
                          "FILE fmt/f.JSONL\n"
                          "FILE fmt/g.JSON.GZ\n"
                          "SKIPPED fmt/h.xhtml\n"
                          "SKIPPED fmt/i.html.bz2\n"
                          "SKIPPED fmt/j.GZ\n"
                          "SKIPPED fmt/k.htmlx\n"
                          "FILE fmt/l.Txt.Gz\n");
  snprintf(p, sizeof p, "%s/fmt/h.xhtml", tu_dir);
  ck_assert_int_eq(tl_walk(p, last_msg, msg), TL_OK);
  ck_assert_str_eq(msg, "unknown file type (known: .txt, .jsonl, .json, .html, .htm, and .gz of "
                        "them)");
}
END_TEST

/* Builds the suite. */
static Suite *walk_suite(void) {
  Suite *s = suite_create("walk");
  TCase *tc = tcase_create("walk");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_add_test(tc, test_order);
  tcase_add_test(tc, test_trailing_slash);
  tcase_add_test(tc, test_single_paths);
  tcase_add_test(tc, test_missing);
  tcase_add_test(tc, test_stop);
  tcase_add_test(tc, test_unreadable_dir);
  tcase_add_test(tc, test_formats);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(walk_suite());
}
