/*
 * test_update.c - Check suite for the update API (telusur/index.h) called
 * from C: the summary of a fresh build, of a re-run, of a changed JSON
 * line and of a prune; notes and progress; shards that hold the same
 * passages as one database; figures of an index.
 */
#include "telusur/index.h"
#include "telusur/search.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void put(const char *name, const char *text) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
}

static void make_in(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/in", tu_dir);
  ck_assert_int_eq(mkdir(path, 0700), 0);
  put("in/a.txt", "Pantai Kuta\n\nWisatawan berselancar di pantai Kuta setiap sore.\n");
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani menanam padi di sawah.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
}

/* Runs an update of tu_dir/in into tu_dir/db; returns its summary. */
static tl_update_summary update(const tl_update_options *o) {
  char db[1024], in[1024];
  tl_update *u;
  tl_update_summary sum;
  tl_error err;
  snprintf(db, sizeof db, "%s/db", tu_dir);
  snprintf(in, sizeof in, "%s/in", tu_dir);
  ck_assert_msg(tl_update_open(db, o, &u, &err) == TL_OK, "%s", err.msg);
  tl_update_expect(u, in);
  ck_assert_msg(tl_update_add_path(u, in, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_finish(u, &sum, &err) == TL_OK, "%s", err.msg);
  tl_update_free(u);
  ck_assert_int_eq(sum.stopped, 0);
  return sum;
}

static void assert_counts(const tl_update_summary *s, unsigned long files, unsigned long articles,
                          unsigned long added, unsigned long replaced, unsigned long unchanged,
                          unsigned long removed, unsigned long passages, unsigned long index) {
  ck_assert_uint_eq(s->files, files);
  ck_assert_uint_eq(s->articles, articles);
  ck_assert_uint_eq(s->added, added);
  ck_assert_uint_eq(s->replaced, replaced);
  ck_assert_uint_eq(s->unchanged, unchanged);
  ck_assert_uint_eq(s->removed, removed);
  ck_assert_uint_eq(s->passages, passages);
  ck_assert_uint_eq(s->index_passages, index);
  ck_assert_uint_eq(s->skipped_files, 0);
  ck_assert_uint_eq(s->skipped_records, 0);
}

/* A fresh build, a re-run, one JSON line changed, a file pruned. */
START_TEST(incremental_summaries) {
  tl_update_options o = tl_update_options_default();
  tl_update_summary s;
  char path[1024];
  o.jobs = 2;
  make_in();
  s = update(&o);
  assert_counts(&s, 2, 4, 4, 0, 0, 0, 4, 4);
  ck_assert_uint_gt(s.bytes, 100);

  /* a re-run analyzes nothing */
  s = update(&o);
  assert_counts(&s, 2, 4, 0, 0, 4, 0, 0, 4);
  ck_assert_uint_eq(s.bytes, 0);

  /* one JSON line changed: only its article is analyzed again */
  put("in/b.jsonl",
      "{\"id\":\"b1\",\"title\":\"Gempa\",\"text\":\"Gempa mengguncang Lombok pagi ini.\"}\n"
      "{\"id\":\"b2\",\"title\":\"Padi\",\"text\":\"Petani memanen jagung di ladang.\"}\n"
      "{\"id\":\"b3\",\"title\":\"Vaksin\",\"text\":\"Vaksin baru diuji di Bandung.\"}\n");
  s = update(&o);
  assert_counts(&s, 2, 4, 0, 1, 3, 0, 1, 4);

  /* a file gone: kept with no_delete, its article removed without */
  snprintf(path, sizeof path, "%s/in/a.txt", tu_dir);
  ck_assert_int_eq(remove(path), 0);
  o.no_delete = 1;
  s = update(&o);
  assert_counts(&s, 1, 3, 0, 0, 3, 0, 0, 4);
  o.no_delete = 0;
  s = update(&o);
  assert_counts(&s, 1, 3, 0, 0, 3, 1, 0, 3);
  s = update(&o);
  assert_counts(&s, 1, 3, 0, 0, 3, 0, 0, 3);
}
END_TEST

typedef struct seen {
  unsigned long calls, notes, codes[TL_UPDATE_REASONS];
  char last_note[512];
  tl_update_progress last;
} seen;

static void on_progress(void *ctx, const tl_update_progress *p) {
  seen *s = ctx;
  ck_assert(p->files >= s->last.files && p->articles >= s->last.articles);
  ck_assert(p->bytes_done >= s->last.bytes_done);
  s->last = *p;
  s->calls++;
}

static void on_note(void *ctx, int code, const char *msg) {
  seen *s = ctx;
  ck_assert(code >= 0 && code < TL_UPDATE_REASONS);
  s->notes++;
  s->codes[code]++;
  snprintf(s->last_note, sizeof s->last_note, "%s", msg);
}

/* Progress ends at the summary's counts; notes carry the reason. */
START_TEST(progress_and_notes) {
  tl_update_options o = tl_update_options_default();
  tl_update_summary s;
  seen sn;
  memset(&sn, 0, sizeof sn);
  make_in();
  put("in/c.jsonl", "{\"id\":\"c1\",\"title\":\"Kopi\",\"text\":\"Kopi Gayo dari Aceh.\"}\n"
                    "{\"id\":\"c2\",\"title\":\n");
  put("in/d.pdf", "%PDF-1.4\n");
  o.progress = on_progress;
  o.note = on_note;
  o.ctx = &sn;
  o.jobs = 3;
  s = update(&o);
  ck_assert_uint_eq(s.files, 3);
  ck_assert_uint_eq(s.articles, 5);
  ck_assert_uint_eq(s.added, 5);
  ck_assert_uint_eq(s.skipped_records, 1);
  ck_assert_uint_eq(s.skipped_files, 0);
  ck_assert_uint_eq(s.reasons[TL_ERR_FORMAT], 1);
  ck_assert_str_eq(tl_update_reason_name(TL_ERR_FORMAT), "malformed");
  /* the malformed line, and the unknown format passed over */
  ck_assert_uint_eq(sn.notes, 2);
  ck_assert_uint_eq(sn.codes[TL_ERR_FORMAT], 1);
  ck_assert_uint_eq(sn.codes[TL_OK], 1);
  ck_assert_ptr_nonnull(strstr(sn.last_note, "d.pdf"));
  /* one call per article, note and file at least */
  ck_assert_uint_ge(sn.calls, 5 + 2 + 3);
  ck_assert_uint_eq(sn.last.files, s.files);
  ck_assert_uint_eq(sn.last.articles, s.articles);
  ck_assert_uint_eq(sn.last.passages, s.passages);
  ck_assert_uint_eq(sn.last.skipped_records, s.skipped_records);
  ck_assert_uint_eq(sn.last.total_files, 3);
  ck_assert_uint_eq(sn.last.bytes_done, sn.last.bytes_total);
  ck_assert(sn.last.seconds > 0 && sn.last.seconds <= s.seconds);
}
END_TEST

/* Every passage a query finds, as "article_id#passage text", sorted. */
static size_t passages(const char *db, const char *q, char rows[][256], size_t max) {
  tl_searcher *s;
  tl_results *r = NULL;
  tl_error err;
  size_t i;
  ck_assert_msg(tl_searcher_open(db, NULL, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, q, 0, (unsigned)max, 0, &r, &err) == TL_OK, "%s: %s", q, err.msg);
  ck_assert_uint_lt(r->count, max);
  for (i = 0; i < r->count; i++)
    snprintf(rows[i], sizeof rows[i], "%s#%u %s", r->items[i].article_id, r->items[i].passage,
             r->items[i].text);
  i = r->count;
  tl_results_free(r);
  tl_searcher_close(s);
  qsort(rows, i, sizeof rows[0], (int (*)(const void *, const void *))strcmp);
  return i;
}

/* Two shards and a stub hold the passages one database holds. */
START_TEST(shards_hold_the_same_passages) {
  static const char *const words[] = {"kota", "sungai", "pasar", "sekolah", "hutan", "pelabuhan"};
  static const char *const queries[] = {"kota", "sungai OR pasar", "title:berita", "hutan"};
  static char a[200][256], b[200][256];
  tl_update_options o = tl_update_options_default();
  tl_update_summary s1, s2;
  tl_index_stats_t st1, st2;
  tl_update *u;
  tl_error err;
  char one[1024], two[1024], in[1024];
  size_t i, na, nb, len = 0;
  char *text = malloc(1 << 16);
  ck_assert_ptr_nonnull(text);
  snprintf(in, sizeof in, "%s/in", tu_dir);
  ck_assert_int_eq(mkdir(in, 0700), 0);
  for (i = 0; i < 60; i++)
    len += (size_t)snprintf(text + len, (1 << 16) - len,
                            "{\"id\":\"n%zu\",\"title\":\"Berita %zu\",\"text\":\"Di %s %zu "
                            "warga berkumpul.\\n\\nEsok %s dan %s ramai lagi.\"}\n",
                            i, i, words[i % 6], i, words[(i + 1) % 6], words[(i * 7) % 6]);
  put("in/n.jsonl", text);
  free(text);
  snprintf(one, sizeof one, "%s/one.db", tu_dir);
  snprintf(two, sizeof two, "%s/two.db", tu_dir);
  o.batch = 7;
  ck_assert_msg(tl_update_open(one, &o, &u, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(tl_update_add_path(u, in, &err), TL_OK);
  ck_assert_int_eq(tl_update_finish(u, &s1, &err), TL_OK);
  tl_update_free(u);
  o.shards = 2;
  o.jobs = 2;
  ck_assert_msg(tl_update_open(two, &o, &u, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(tl_update_add_path(u, in, &err), TL_OK);
  ck_assert_int_eq(tl_update_finish(u, &s2, &err), TL_OK);
  tl_update_free(u);
  ck_assert_uint_eq(s1.added, 60);
  ck_assert_uint_eq(s2.added, 60);
  ck_assert_uint_eq(s1.index_passages, 120);
  ck_assert_uint_eq(s2.index_passages, 120);

  ck_assert_msg(tl_index_stats(one, &st1, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_index_stats(two, &st2, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(st1.shards, 1);
  ck_assert_uint_eq(st2.shards, 2);
  ck_assert_uint_eq(st1.articles, 60);
  ck_assert_uint_eq(st2.articles, 60);
  ck_assert_uint_eq(st1.passages, 120);
  ck_assert_uint_eq(st2.passages, 120);
  ck_assert_uint_eq(st1.terms, st2.terms);
  ck_assert_str_eq(st1.stemmer, "indonesian");
  ck_assert_str_eq(st2.stemmer, "indonesian");
  ck_assert_uint_eq(strlen(st2.updated), 20); /* YYYY-MM-DDTHH:MM:SSZ */

  for (i = 0; i < sizeof queries / sizeof *queries; i++) {
    size_t k;
    na = passages(one, queries[i], a, 200);
    nb = passages(two, queries[i], b, 200);
    ck_assert_msg(na > 0 && na == nb, "%s: %zu vs %zu", queries[i], na, nb);
    for (k = 0; k < na; k++)
      ck_assert_str_eq(a[k], b[k]);
  }

  /* the stub's number of shards is fixed; a single database is not shards */
  o.shards = 3;
  ck_assert_int_eq(tl_update_open(two, &o, &u, &err), TL_ERR_USAGE);
  ck_assert_msg(strstr(err.msg, "is a stub database of 2 shards, not 3"), "%s", err.msg);
  ck_assert_ptr_null(u);
  o.shards = 2;
  ck_assert_int_eq(tl_update_open(one, &o, &u, &err), TL_ERR_USAGE);
  ck_assert_ptr_nonnull(strstr(err.msg, "is a single database, not shards"));
}
END_TEST

/* Compaction keeps the figures. */
START_TEST(compact_keeps_figures) {
  tl_update_options o = tl_update_options_default();
  tl_index_stats_t before, after;
  unsigned long long b = 0, a = 0;
  tl_error err;
  char db[1024];
  make_in();
  update(&o);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  ck_assert_int_eq(tl_index_stats(db, &before, &err), TL_OK);
  ck_assert_msg(tl_index_compact(db, &b, &a, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(b, before.bytes);
  ck_assert_uint_gt(a, 0);
  ck_assert_int_eq(tl_index_stats(db, &after, &err), TL_OK);
  ck_assert_uint_eq(after.articles, 4);
  ck_assert_uint_eq(after.passages, before.passages);
  ck_assert_uint_eq(after.terms, before.terms);
  ck_assert_uint_eq(after.bytes, a);
  snprintf(db, sizeof db, "%s/none.db", tu_dir);
  ck_assert_int_eq(tl_index_stats(db, &after, &err), TL_ERR_NOTFOUND);
}
END_TEST

int main(void) {
  Suite *s = suite_create("update");
  TCase *tc = tcase_create("update");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, incremental_summaries);
  tcase_add_test(tc, progress_and_notes);
  tcase_add_test(tc, shards_hold_the_same_passages);
  tcase_add_test(tc, compact_keeps_figures);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
