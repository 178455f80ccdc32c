/*
 * test_archive.c - Check suite for searching a news archive: date ranges
 * and keyword filters narrow the unfiltered results exactly and never
 * change a score; sorting by date; one passage per article; a date not
 * understood is named and its article still indexed and found.
 */
#define _GNU_SOURCE
#include "telusur/index.h"
#include "telusur/search.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 10

/* The collection: each article has two paragraphs, both with "pasar". */
static const struct {
  const char *id, *date, *topic, *source, *city;
  int y, m, d, hh, mm; /* the date, UTC; y 0: not understood */
} arts[N] = {
    {"a0", "01/15/2024 08:00", "Ekonomi", "Kompas", "bandung", 2024, 1, 15, 8, 0},
    {"a1", "02/20/2024 09:30", "Politik", "Detik", "medan", 2024, 2, 20, 9, 30},
    {"a2", "03/01/2025 00:00", "Ekonomi", "Kompas", "surabaya", 2025, 3, 1, 0, 0},
    {"a3", "05/10/2025 12:00", "Olahraga", "Tempo", "makassar", 2025, 5, 10, 12, 0},
    {"a4", "10/31/2025 23:59", "Ekonomi", "Detik", "semarang", 2025, 10, 31, 23, 59},
    {"a5", "11/01/2025 00:00", "Politik", "Kompas", "palembang", 2025, 11, 1, 0, 0},
    {"a6", "12/25/2025 18:00", "Olahraga", "Detik", "denpasar", 2025, 12, 25, 18, 0},
    {"a7", "07/04/2023 10:00", "Ekonomi", "Tempo", "padang", 2023, 7, 4, 10, 0},
    {"a8", "02/28/2025 23:59", "Politik", "Tempo", "manado", 2025, 2, 28, 23, 59},
    {"a9", "kemarin sore", "Ekonomi", "Kompas", "ambon", 0, 0, 0, 0, 0},
};

static char notes[4096];

static void on_note(void *ctx, int code, const char *msg) {
  size_t n = strlen(notes);
  (void)ctx;
  (void)code;
  snprintf(notes + n, sizeof notes - n, "%s\n", msg);
}

static long long seconds(int i) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = arts[i].y - 1900;
  tm.tm_mon = arts[i].m - 1;
  tm.tm_mday = arts[i].d;
  tm.tm_hour = arts[i].hh;
  tm.tm_min = arts[i].mm;
  return (long long)timegm(&tm);
}

static int index_of(const char *id) {
  int i;
  for (i = 0; i < N; i++)
    if (strcmp(arts[i].id, id) == 0)
      return i;
  ck_abort_msg("unknown article %s", id);
  return -1;
}

static char db[1024];
static tl_update_summary sum;

static void build(void) {
  char path[1024], line[1024];
  FILE *f;
  tl_update_options o = tl_update_options_default();
  tl_update *u;
  tl_error err;
  int i;
  tu_dir_setup();
  snprintf(path, sizeof path, "%s/news.jsonl", tu_dir);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (i = 0; i < N; i++) {
    snprintf(line, sizeof line,
             "{\"id\":\"%s\",\"title\":\"Berita %s\",\"text\":\"Pasar di %s ramai pagi ini."
             "\\n\\nHarga beras di pasar %s naik.\",\"date\":\"%s\",\"topic\":\"%s\","
             "\"source\":\"%s\",\"url\":\"https://news.example.id/%s\"}\n",
             arts[i].id, arts[i].city, arts[i].city, arts[i].city, arts[i].date, arts[i].topic,
             arts[i].source, arts[i].id);
    fputs(line, f);
  }
  ck_assert_int_eq(fclose(f), 0);
  notes[0] = '\0';
  o.date_format = "%m/%d/%Y %H:%M";
  o.note = on_note;
  o.jobs = 1;
  ck_assert_msg(tl_update_open(db, &o, &u, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_add_path(u, path, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_finish(u, &sum, &err) == TL_OK, "%s", err.msg);
  tl_update_free(u);
}

/* The passages found for query with the options, by (article, passage). */
typedef struct hit {
  int art;
  unsigned passage;
  double score;
  char date[40];
} hit;

static size_t search(const tl_searcher_options *so, const char *query, hit *out) {
  tl_searcher *s;
  tl_results *r;
  tl_error err;
  size_t i;
  ck_assert_msg(tl_searcher_open(db, so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, query, 0, 100, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_le(r->count, 2 * N);
  for (i = 0; i < r->count; i++) {
    out[i].art = index_of(r->items[i].article_id);
    out[i].passage = r->items[i].passage;
    out[i].score = r->items[i].score;
    snprintf(out[i].date, sizeof out[i].date, "%s", r->items[i].date);
  }
  i = r->count;
  tl_results_free(r);
  tl_searcher_close(s);
  return i;
}

static const hit *find(const hit *h, size_t n, int art, unsigned passage) {
  size_t i;
  for (i = 0; i < n; i++)
    if (h[i].art == art && h[i].passage == passage)
      return &h[i];
  return NULL;
}

/* filtered == the unfiltered hits narrowed by keep, with equal scores */
static void assert_narrowed(const hit *all, size_t nall, const hit *f, size_t nf,
                            int (*keep)(int)) {
  size_t i, want = 0;
  for (i = 0; i < nall; i++)
    if (keep(all[i].art)) {
      const hit *g = find(f, nf, all[i].art, all[i].passage);
      ck_assert_msg(g != NULL, "%s #%u missing", arts[all[i].art].id, all[i].passage);
      ck_assert_double_eq(g->score, all[i].score);
      want++;
    }
  ck_assert_uint_eq(nf, want);
}

static int in_mar_to_oct_2025(int i) {
  return arts[i].y && seconds(i) >= 1740787200LL /* 2025-03-01 */ &&
         seconds(i) <= 1761955199LL /* 2025-10-31T23:59:59 */;
}

static int from_nov_2025(int i) {
  return arts[i].y && seconds(i) >= 1761955200LL;
}

static int ekonomi(int i) {
  return strcmp(arts[i].topic, "Ekonomi") == 0;
}

static int ekonomi_or_politik_from_kompas(int i) {
  return (ekonomi(i) || strcmp(arts[i].topic, "Politik") == 0) &&
         strcmp(arts[i].source, "Kompas") == 0;
}

static int year_2025(int i) {
  return arts[i].y == 2025;
}

static int not_in_mar_to_oct_2025(int i) {
  return !in_mar_to_oct_2025(i);
}

static int not_year_2025(int i) {
  return !year_2025(i);
}

static int not_ekonomi(int i) {
  return !ekonomi(i);
}

START_TEST(bad_date_named_article_kept) {
  hit h[2 * N];
  tl_searcher_options so;
  size_t n;
  build();
  ck_assert_uint_eq(sum.articles, N);
  ck_assert_uint_eq(sum.undated, 1);
  ck_assert_uint_eq(sum.skipped_records, 0);
  ck_assert_msg(strstr(notes, "news.jsonl:10") != NULL, "notes: %s", notes);
  ck_assert_msg(strstr(notes, "kemarin sore") != NULL, "notes: %s", notes);
  memset(&so, 0, sizeof so);
  n = search(&so, "ambon", h);
  ck_assert_uint_eq(n, 2);
  ck_assert_int_eq(h[0].art, 9);
  ck_assert_str_eq(h[0].date, "");
  n = search(&so, "semarang", h);
  ck_assert_uint_ge(n, 1);
  ck_assert_str_eq(h[0].date, "2025-10-31T23:59:00Z");
  tu_dir_teardown();
}
END_TEST

START_TEST(date_ranges_narrow) {
  hit all[2 * N], f[2 * N];
  tl_searcher_options so;
  tl_filter since = {"date", "2025-03.."}, until = {"date", "..2025-10"}, both[2],
            nov = {"date", "2025-11..2025"};
  size_t nall, nf;
  build();
  memset(&so, 0, sizeof so);
  nall = search(&so, "pasar", all);
  ck_assert_uint_eq(nall, 2 * N);
  both[0] = since;
  both[1] = until;
  so.filters = both;
  so.nfilters = 2;
  nf = search(&so, "pasar", f);
  assert_narrowed(all, nall, f, nf, in_mar_to_oct_2025);
  ck_assert_uint_eq(nf, 2 * 3); /* a2, a3, a4: the ends included */
  so.nfilters = 0;
  nf = search(&so, "pasar date:2025-03-01..2025-10", f);
  assert_narrowed(all, nall, f, nf, in_mar_to_oct_2025);
  so.filters = &nov;
  so.nfilters = 1;
  nf = search(&so, "pasar", f);
  assert_narrowed(all, nall, f, nf, from_nov_2025);
  ck_assert_uint_eq(nf, 2 * 2);
  /* a date alone in the query is its day, month or year */
  so.nfilters = 0;
  nf = search(&so, "pasar date:2025", f);
  assert_narrowed(all, nall, f, nf, year_2025);
  nf = search(&so, "date:2025-03-01..2025-10 pasar", f);
  assert_narrowed(all, nall, f, nf, in_mar_to_oct_2025);
  /* a range or a date excluded, led by '-' as NOT: the other articles */
  nf = search(&so, "pasar -date:2025-03-01..2025-10", f);
  assert_narrowed(all, nall, f, nf, not_in_mar_to_oct_2025);
  nf = search(&so, "pasar -date:2025", f);
  assert_narrowed(all, nall, f, nf, not_year_2025);
  nf = search(&so, "pasar NOT date:2025", f);
  assert_narrowed(all, nall, f, nf, not_year_2025);
  tu_dir_teardown();
}
END_TEST

/* A date range whose start is after its end, or filters with no date in
 * common, are usage errors naming them, not a filter dropped. */
START_TEST(date_ranges_reversed) {
  tl_searcher_options so;
  tl_filter back = {"date", "2025-10..2025-03"},
            apart[2] = {{"date", "2025-11.."}, {"date", "..2025-10"}};
  tl_searcher *s;
  tl_results *r = NULL;
  tl_error err;
  build();
  memset(&so, 0, sizeof so);
  so.filters = &back;
  so.nfilters = 1;
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &s, &err), TL_ERR_USAGE);
  ck_assert_msg(strstr(err.msg, "2025-10..2025-03") && strstr(err.msg, "after its end"), "%s",
                err.msg);
  so.filters = apart;
  so.nfilters = 2;
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &s, &err), TL_ERR_USAGE);
  ck_assert_msg(strstr(err.msg, "no date in common") != NULL, "%s", err.msg);
  so.nfilters = 0;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_ne(tl_search(s, "pasar date:2025-10..2025-03", 0, 10, 0, &r, &err), TL_OK);
  ck_assert_ptr_null(r);
  ck_assert_msg(strstr(err.msg, "after its end") != NULL, "%s", err.msg);
  ck_assert_int_ne(tl_search(s, "pasar date:2025-02-30", 0, 10, 0, &r, &err), TL_OK);
  ck_assert_msg(strstr(err.msg, "2025-02-30") != NULL, "%s", err.msg);
  tl_searcher_close(s);
  tu_dir_teardown();
}
END_TEST

START_TEST(field_filters_narrow) {
  hit all[2 * N], f[2 * N];
  tl_searcher_options so;
  tl_filter eko = {"topic", "EKONOMI"},
            mix[3] = {{"topic", "ekonomi"}, {"source", "kompas"}, {"topic", "Politik"}},
            year = {"year", "2025"};
  size_t nall, nf;
  build();
  memset(&so, 0, sizeof so);
  nall = search(&so, "pasar", all);
  so.filters = &eko;
  so.nfilters = 1;
  nf = search(&so, "pasar", f);
  assert_narrowed(all, nall, f, nf, ekonomi);
  ck_assert_uint_eq(nf, 2 * 5);
  so.nfilters = 0;
  nf = search(&so, "pasar topic:ekonomi", f);
  assert_narrowed(all, nall, f, nf, ekonomi);
  /* excluded: led by '-', quoted or not, or with the '-' after the colon */
  nf = search(&so, "pasar -topic:ekonomi", f);
  assert_narrowed(all, nall, f, nf, not_ekonomi);
  nf = search(&so, "pasar -topic:\"Ekonomi\"", f);
  assert_narrowed(all, nall, f, nf, not_ekonomi);
  nf = search(&so, "pasar topic:-ekonomi", f);
  assert_narrowed(all, nall, f, nf, not_ekonomi);
  so.filters = mix;
  so.nfilters = 3;
  nf = search(&so, "pasar", f);
  assert_narrowed(all, nall, f, nf, ekonomi_or_politik_from_kompas);
  ck_assert_uint_eq(nf, 2 * 4); /* a0, a2, a5, a9 */
  so.filters = &year;
  so.nfilters = 1;
  nf = search(&so, "pasar", f);
  assert_narrowed(all, nall, f, nf, year_2025);
  /* NAME:value of a field the index does not hold is text, not a filter
   * that matches nothing ("dari 30:1 menjadi 78:1" in a question) */
  so.nfilters = 0;
  ck_assert_uint_eq(search(&so, "pasar 30:1 penulis:budi", f), nall);
  tu_dir_teardown();
}
END_TEST

START_TEST(sort_by_date) {
  hit h[2 * N];
  tl_searcher_options so;
  size_t n, i;
  build();
  memset(&so, 0, sizeof so);
  so.sort = TL_SORT_NEWEST;
  n = search(&so, "pasar", h);
  ck_assert_uint_eq(n, 2 * N);
  for (i = 1; i < n; i++) {
    if (!arts[h[i].art].y) { /* the undated article last */
      ck_assert_uint_ge(i, n - 2);
      continue;
    }
    ck_assert_msg(seconds(h[i - 1].art) >= seconds(h[i].art), "%s before %s", arts[h[i - 1].art].id,
                  arts[h[i].art].id);
  }
  ck_assert_int_eq(h[0].art, 6);
  so.sort = TL_SORT_OLDEST;
  n = search(&so, "pasar", h);
  ck_assert_int_eq(h[2].art, 7); /* after the undated article's two passages */
  for (i = 3; i < n; i++)
    ck_assert(seconds(h[i - 1].art) <= seconds(h[i].art));
  tu_dir_teardown();
}
END_TEST

START_TEST(one_passage_per_article) {
  hit all[2 * N], h[2 * N];
  tl_searcher_options so;
  size_t n, i, j;
  build();
  memset(&so, 0, sizeof so);
  search(&so, "pasar", all);
  so.per_article = 1;
  n = search(&so, "pasar", h);
  ck_assert_uint_eq(n, N); /* none repeated, none lost */
  for (i = 0; i < n; i++) {
    for (j = 0; j < i; j++)
      ck_assert_int_ne(h[i].art, h[j].art);
    ck_assert_ptr_nonnull(find(all, 2 * N, h[i].art, h[i].passage));
  }
  tu_dir_teardown();
}
END_TEST

/* The count of value in the facet (0 when absent). */
static unsigned long facet_count(const tl_facet *f, const char *value) {
  size_t i;
  for (i = 0; i < f->nvalues; i++)
    if (strcmp(f->values[i].value, value) == 0)
      return f->values[i].articles;
  return 0;
}

START_TEST(facets_count_articles) {
  /* a field named twice (in any letter case) is counted once; names in any
   * letter case count the field, as filters take it */
  static const char *const fields[] = {"topic", "source", "year", "TOPIC", "Month"};
  static const char *const topics[] = {"Ekonomi", "Politik", "Olahraga"};
  tl_searcher_options so;
  tl_searcher *s;
  tl_results *r;
  tl_error err;
  tl_filter since = {"date", "2024-02.."};
  size_t i, k, total = 0;
  build();
  memset(&so, 0, sizeof so);
  so.facets = fields;
  so.nfacets = 5;
  so.filters = &since;
  so.nfilters = 1;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, "pasar", 0, 3, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(r->counted, 1);
  ck_assert_uint_eq(r->count, 3);
  ck_assert_uint_eq(r->nfacets, 4);
  for (i = 0; i < N; i++) /* the articles dated from February 2024 on */
    total += arts[i].y && seconds(i) >= 1706745600LL;
  ck_assert_uint_eq(total, 7);
  ck_assert_uint_eq(r->articles_matched, total);
  ck_assert_uint_eq(r->passages_matched, 2 * total);
  for (k = 0; k < 3; k++) {
    unsigned long want = 0;
    for (i = 0; i < N; i++)
      want += arts[i].y && seconds(i) >= 1706745600LL && strcmp(arts[i].topic, topics[k]) == 0;
    ck_assert_uint_eq(facet_count(&r->facets[0], topics[k]), want);
  }
  ck_assert_str_eq(r->facets[0].field, "topic");
  ck_assert_uint_eq(facet_count(&r->facets[1], "Kompas"), 2); /* a2, a5 */
  ck_assert_uint_eq(facet_count(&r->facets[2], "2025"), 6);
  ck_assert_uint_eq(facet_count(&r->facets[2], "2024"), 1);
  ck_assert_uint_eq(facet_count(&r->facets[2], "2023"), 0);
  ck_assert_uint_eq(facet_count(&r->facets[3], "2025-02"), 1);
  ck_assert_uint_eq(r->facets[2].values[0].articles, 6); /* most first */
  {
    char *j = tl_results_facets_json(r, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_msg(strstr(j, "{\"facets\":{\"topic\":{") == j, "%s", j);
    ck_assert_msg(strstr(j, "\"year\":{\"2025\":6,\"2024\":1}") != NULL, "%s", j);
    free(j);
    j = tl_results_facets_json(r, "q7"); /* a batch names the query */
    ck_assert_ptr_nonnull(j);
    ck_assert_msg(strstr(j, "{\"qid\":\"q7\",\"facets\":{\"topic\":{") == j, "%s", j);
    free(j);
  }
  tl_results_free(r);
  tl_searcher_close(s);
  so.nfacets = 0; /* the counts alone */
  so.count_matches = 1;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, "pasar", 0, 3, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_int_eq(r->counted, 1);
  ck_assert_uint_eq(r->articles_matched, total);
  ck_assert_uint_eq(r->passages_matched, 2 * total);
  ck_assert_uint_eq(r->nfacets, 0);
  tl_results_free(r);
  tl_searcher_close(s);
  tu_dir_teardown();
}
END_TEST

/* Facets and counts are taken over every match: with one passage per
 * article and a field filter they still count every matching passage and
 * article; a value given twice in an article counts it once. */
START_TEST(facets_with_collapse_and_filter) {
  static const char *const fields[] = {"tag", "source", "year"};
  tl_searcher_options so;
  tl_update_options o = tl_update_options_default();
  tl_update *u;
  tl_searcher *s;
  tl_results *r;
  tl_error err;
  tl_filter kompas = {"source", "kompas"};
  char path[1100];
  FILE *f;
  size_t i, kompas_articles = 0;
  build();
  snprintf(path, sizeof path, "%s/more.jsonl", tu_dir);
  f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("{\"id\":\"b0\",\"text\":\"Pasar ikan.\\n\\nPasar ikan buka.\",\"source\":\"Kompas\","
        "\"tag\":[\"Pasar Ikan\",\"Pasar Ikan\",\"Laut\"]}\n"
        "{\"id\":\"b1\",\"text\":\"Ikan segar.\",\"source\":\"Kompas\",\"tag\":\"Laut\"}\n"
        "{\"id\":\"b2\",\"text\":\"Pasar buah.\",\"source\":\"Tempo\",\"tag\":\"Buah\"}\n",
        f);
  ck_assert_int_eq(fclose(f), 0);
  o.jobs = 1;
  ck_assert_msg(tl_update_open(db, &o, &u, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_add_path(u, path, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_finish(u, &sum, &err) == TL_OK, "%s", err.msg);
  tl_update_free(u);
  for (i = 0; i < N; i++)
    kompas_articles += strcmp(arts[i].source, "Kompas") == 0;
  ck_assert_uint_eq(kompas_articles, 4);
  memset(&so, 0, sizeof so);
  so.facets = fields;
  so.nfacets = 3;
  so.filters = &kompas;
  so.nfilters = 1;
  so.per_article = 1;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, "pasar", 0, 2, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(r->count, 2);
  ck_assert_uint_eq(r->articles_matched, kompas_articles + 1);       /* and b0 */
  ck_assert_uint_eq(r->passages_matched, 2 * (kompas_articles + 1)); /* two each */
  ck_assert_uint_eq(r->facets[0].nvalues, 2);
  ck_assert_uint_eq(facet_count(&r->facets[0], "Pasar Ikan"), 1); /* given twice */
  ck_assert_uint_eq(facet_count(&r->facets[0], "Laut"), 1);       /* b1 does not match */
  ck_assert_uint_eq(facet_count(&r->facets[0], "Buah"), 0);       /* b2 is Tempo's */
  ck_assert_uint_eq(r->facets[1].nvalues, 1);
  ck_assert_uint_eq(facet_count(&r->facets[1], "Kompas"), kompas_articles + 1);
  ck_assert_uint_eq(facet_count(&r->facets[2], "2025"), 2); /* a2, a5 */
  ck_assert_uint_eq(facet_count(&r->facets[2], "2024"), 1); /* a0; a9 and b0 undated */
  ck_assert_uint_eq(r->facets[2].nvalues, 2);
  tl_results_free(r);
  /* a question is reranked: the counts are the match's all the same */
  ck_assert_msg(tl_search(s, "di mana pasar ikan?", 0, 10, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(r->articles_matched, kompas_articles + 2); /* b1 has ikan */
  ck_assert_uint_eq(r->passages_matched, 2 * (kompas_articles + 1) + 1);
  ck_assert_uint_eq(facet_count(&r->facets[0], "Laut"), 2);
  ck_assert_uint_eq(r->count, kompas_articles + 2);
  tl_results_free(r);
  tl_searcher_close(s);
  tu_dir_teardown();
}
END_TEST

START_TEST(bad_filters_refused) {
  tl_searcher_options so;
  tl_searcher *s = NULL;
  tl_filter bad = {"date", "2025-13"};
  tl_error err;
  build();
  memset(&so, 0, sizeof so);
  so.filters = &bad;
  so.nfilters = 1;
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &s, &err), TL_ERR_USAGE);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, "2025-13") != NULL, "%s", err.msg);
  tu_dir_teardown();
}
END_TEST

/* Filter and facet fields that no article has are named, each once, in
 * the order given; the date filter and the fields the articles have are
 * not. */
START_TEST(unknown_fields_named) {
  tl_searcher_options so;
  tl_searcher *s = NULL;
  tl_filter f[] = {
      {"topik", "Ekonomi"}, {"source", "Kompas"}, {"date", "2025"}, {"TOPIK", "x"}, {"kota,", "x"}};
  const char *facets[] = {"site", "kota", "Topic", "year"};
  tl_error err;
  build();
  memset(&so, 0, sizeof so);
  so.filters = f;
  so.nfilters = 5;
  so.facets = facets;
  so.nfacets = 4;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_ptr_nonnull(tl_searcher_unknown_fields(s));
  ck_assert_str_eq(tl_searcher_unknown_fields(s), "topik, kota,, kota");
  tl_searcher_close(s);
  so.nfilters = 3;
  f[0].field = "topic";
  so.nfacets = 1;
  ck_assert_msg(tl_searcher_open(db, &so, NULL, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_ptr_null(tl_searcher_unknown_fields(s));
  tl_searcher_close(s);
  tu_dir_teardown();
}
END_TEST

int main(void) {
  Suite *s = suite_create("archive");
  TCase *tc = tcase_create("archive");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, bad_date_named_article_kept);
  tcase_add_test(tc, date_ranges_narrow);
  tcase_add_test(tc, date_ranges_reversed);
  tcase_add_test(tc, field_filters_narrow);
  tcase_add_test(tc, sort_by_date);
  tcase_add_test(tc, one_passage_per_article);
  tcase_add_test(tc, facets_count_articles);
  tcase_add_test(tc, facets_with_collapse_and_filter);
  tcase_add_test(tc, bad_filters_refused);
  tcase_add_test(tc, unknown_fields_named);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
