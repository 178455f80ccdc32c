/* test_cases.c - the handed cases: stems through telusur-analyze --stem,
 * query cases over their documents, and the judged gold groups and pairs
 * through a real index. */
#include "index/documents.h"
#include "index/schema.h"
#include "telusur/search.h"
#include "testutil.h"
#include "text/reader.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *path_of(const char *rel) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", tu_source_dir(), rel);
  return buf;
}

/* Indexes texts[0..n) as articles with ids ids[0..n) into a fresh database
 * in dir; returns a searcher over it. */
static tl_searcher *make_index(const char *dir, char **texts, char **ids, size_t n) {
  char db[1024];
  tl_index *ix;
  tl_searcher *s;
  tl_error err;
  size_t i;
  snprintf(db, sizeof db, "%s/db", dir);
  ck_assert_msg(tl_index_open(db, NULL, &ix, &err) == TL_OK, "%s", err.msg);
  for (i = 0; i < n; i++) {
    tl_article a;
    memset(&a, 0, sizeof a);
    a.id = ids[i];
    a.title = a.date = a.url = a.source = "";
    a.path = "test";
    a.text = texts[i];
    a.text_len = strlen(texts[i]);
    ck_assert_msg(tl_index_add(ix, &a, NULL, &err) == TL_OK, "%s", err.msg);
  }
  ck_assert_msg(tl_index_commit(ix, &err) == TL_OK, "%s", err.msg);
  tl_index_close(ix);
  ck_assert_msg(tl_searcher_open(db, NULL, NULL, &s, &err) == TL_OK, "%s", err.msg);
  return s;
}

/* Every case of tests/cases/stems.tsv through telusur-analyze --stem. */
START_TEST(stems_through_analyze) {
  char cmd[8192 + 512], *out = NULL, *err = NULL, *line, *save = NULL, *file;
  char *expect[256] = {0};
  size_t n = 0, i = 0;
  snprintf(cmd, sizeof cmd, "grep -v '^#' '%.4000s' | cut -f1 | '%.4000s/telusur-analyze' --stem",
           path_of("tests/cases/stems.tsv"), tu_bin_dir());
  ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
  file = tu_read_file(path_of("tests/cases/stems.tsv"), NULL);
  for (line = strtok_r(file, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *tab = strchr(line, '\t');
    if (line[0] == '#' || !tab)
      continue;
    ck_assert_uint_lt(n, 256);
    expect[n++] = line;
  }
  ck_assert_uint_ge(n, 49);
  save = NULL;
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
    char *word = expect[i], *root = strchr(word, '\t') + 1;
    size_t rl = strcspn(root, "\t");
    ck_assert_uint_lt(i, n);
    ck_assert_msg(strlen(line) == rl && strncmp(line, root, rl) == 0,
                  "%.*s: stem '%s', expected '%.*s'", (int)(root - word - 1), word, line, (int)rl,
                  root);
  }
  ck_assert_uint_eq(i, n);
  free(file);
  free(out);
  free(err);
}
END_TEST

/* Runs every case of a query-case file (JSON Lines: case, docs, query,
 * expect); returns the number of cases. */
static int run_query_cases(const char *rel) {
  char *file = tu_read_file(path_of(rel), NULL), *line, *save = NULL;
  int cases = 0;
  ck_assert_ptr_nonnull(file);
  for (line = strtok_r(file, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    json_object *o = json_tokener_parse(line), *docs, *v;
    const char *name, *query, *expect;
    char *texts[16], *ids[16], idbuf[16][16];
    char *dir = tu_tmpdir();
    size_t n, i;
    tl_searcher *s;
    tl_results *res = NULL;
    tl_error err;
    int rc;
    ck_assert_ptr_nonnull(o);
    json_object_object_get_ex(o, "case", &v);
    name = json_object_get_string(v);
    json_object_object_get_ex(o, "query", &v);
    query = json_object_get_string(v);
    json_object_object_get_ex(o, "expect", &v);
    expect = json_object_get_string(v);
    json_object_object_get_ex(o, "docs", &docs);
    n = json_object_array_length(docs);
    ck_assert_uint_le(n, 16);
    for (i = 0; i < n; i++) {
      texts[i] = (char *)json_object_get_string(json_object_array_get_idx(docs, i));
      snprintf(idbuf[i], sizeof idbuf[i], "d%zu", i);
      ids[i] = idbuf[i];
    }
    s = make_index(dir, texts, ids, n);
    rc = tl_search(s, query, 0, 10, 0, &res, &err);
    if (strcmp(expect, "match") == 0) {
      ck_assert_msg(rc == TL_OK && res->count > 0, "case %s: query '%s' found nothing (%s)", name,
                    query, rc == TL_OK ? res->parsed : err.msg);
    } else if (strcmp(expect, "nomatch") == 0) {
      ck_assert_msg(rc == TL_OK && res->count == 0, "case %s: query '%s' matched (%s)", name, query,
                    rc == TL_OK ? res->parsed : err.msg);
    } else if (strcmp(expect, "error") == 0) {
      ck_assert_msg(rc == TL_ERR_USAGE, "case %s: query '%s' gave %d, not a usage error", name,
                    query, rc);
    } else {
      ck_assert_msg(rc == TL_OK || rc == TL_ERR_USAGE, "case %s: query '%s' gave %d (%s)", name,
                    query, rc, err.msg);
    }
    tl_results_free(res);
    tl_searcher_close(s);
    tu_rmtree(dir);
    free(dir);
    json_object_put(o);
    cases++;
  }
  free(file);
  return cases;
}

/* Every case of the handed tests/cases/queries.jsonl behaves as it says. */
START_TEST(query_cases) {
  ck_assert_int_eq(run_query_cases("tests/cases/queries.jsonl"), 22);
}
END_TEST

/* The project's own cases of the same kind. */
START_TEST(more_query_cases) {
  ck_assert_int_eq(run_query_cases("tests/more-queries.jsonl"), 31);
}
END_TEST

/* Whether a search for query returns the article id among its first 1000. */
static int finds(tl_searcher *s, const char *query, const char *id) {
  tl_results *res = NULL;
  tl_error err;
  size_t i;
  int found = 0;
  if (tl_search(s, query, 0, 1000, 0, &res, &err) != TL_OK)
    return 0;
  for (i = 0; i < res->count; i++)
    if (strcmp(res->items[i].article_id, id) == 0)
      found = 1;
  tl_results_free(res);
  return found;
}

/* Reads a two-column TSV (skipping '#' lines) into a and b. */
static size_t read_pairs(const char *rel, char ***a, char ***b, char **file) {
  char *line, *save = NULL;
  size_t n = 0, cap = 512;
  *file = tu_read_file(path_of(rel), NULL);
  ck_assert_ptr_nonnull(*file);
  *a = malloc(cap * sizeof **a);
  *b = malloc(cap * sizeof **b);
  for (line = strtok_r(*file, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *tab = strchr(line, '\t');
    if (line[0] == '#' || !tab)
      continue;
    *tab = '\0';
    tab[1 + strcspn(tab + 1, "\t\r")] = '\0';
    if (n == cap) {
      cap *= 2;
      *a = realloc(*a, cap * sizeof **a);
      *b = realloc(*b, cap * sizeof **b);
    }
    (*a)[n] = line;
    (*b)[n] = tab + 1;
    n++;
  }
  return n;
}

/* Gold conflation groups: each form indexed as a document, each form run as
 * a query, finds every form of its group. */
START_TEST(gold_groups_find_each_other) {
  char **group, **form, *file, *dir = tu_tmpdir();
  size_t n = read_pairs("tests/cases/gold/conflation.tsv", &group, &form, &file), i, j;
  char **ids = malloc(n * sizeof *ids);
  tl_searcher *s;
  int failures = 0;
  ck_assert_uint_ge(n, 200);
  for (i = 0; i < n; i++) {
    ids[i] = malloc(strlen(group[i]) + strlen(form[i]) + 2);
    sprintf(ids[i], "%s/%s", group[i], form[i]);
  }
  s = make_index(dir, form, ids, n);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      if (strcmp(group[i], group[j]) == 0 && !finds(s, form[i], ids[j])) {
        fprintf(stderr, "group %s: '%s' does not find '%s'\n", group[i], form[i], form[j]);
        failures++;
      }
  ck_assert_int_eq(failures, 0);
  tl_searcher_close(s);
  for (i = 0; i < n; i++)
    free(ids[i]);
  free(ids);
  free(group);
  free(form);
  free(file);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Gold must-not pairs: neither form finds the other. */
START_TEST(gold_pairs_stay_apart) {
  char **fa, **fb, *file, *dir = tu_tmpdir();
  size_t n = read_pairs("tests/cases/gold/nonconflation.tsv", &fa, &fb, &file), i;
  char **texts, **ids;
  tl_searcher *s;
  int failures = 0;
  ck_assert_uint_ge(n, 25);
  texts = malloc(2 * n * sizeof *texts);
  ids = malloc(2 * n * sizeof *ids);
  for (i = 0; i < n; i++) {
    texts[2 * i] = fa[i];
    texts[2 * i + 1] = fb[i];
    ids[2 * i] = malloc(strlen(fa[i]) + 3);
    ids[2 * i + 1] = malloc(strlen(fb[i]) + 3);
    sprintf(ids[2 * i], "a:%s", fa[i]);
    sprintf(ids[2 * i + 1], "b:%s", fb[i]);
  }
  s = make_index(dir, texts, ids, 2 * n);
  for (i = 0; i < n; i++) {
    if (finds(s, fa[i], ids[2 * i + 1])) {
      fprintf(stderr, "'%s' finds '%s'\n", fa[i], fb[i]);
      failures++;
    }
    if (finds(s, fb[i], ids[2 * i])) {
      fprintf(stderr, "'%s' finds '%s'\n", fb[i], fa[i]);
      failures++;
    }
  }
  ck_assert_int_eq(failures, 0);
  tl_searcher_close(s);
  for (i = 0; i < 2 * n; i++)
    free(ids[i]);
  free(ids);
  free(texts);
  free(fa);
  free(fb);
  free(file);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Question words are dropped from queries: they do not weigh in ranking. */
START_TEST(question_words_dropped) {
  char *texts[] = {"Apa arti matronimik? Matronimik adalah nama dari pihak ibu.",
                   "Apa apa apa, siapa, kapan, bagaimana?"};
  char *ids[] = {"m", "q"};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 2);
  tl_results *res = NULL;
  tl_error err;
  ck_assert_int_eq(
      tl_search(s, "Apakah pengertian matronimik? Siapa, kapan, di mana?", 0, 10, 0, &res, &err),
      TL_OK);
  ck_assert_ptr_null(strstr(res->parsed, "apa"));
  ck_assert_ptr_null(strstr(res->parsed, "siapa"));
  ck_assert_ptr_null(strstr(res->parsed, "mana"));
  ck_assert_ptr_nonnull(strstr(res->parsed, "matronimik"));
  ck_assert_uint_eq(res->count, 1);
  ck_assert_str_eq(res->items[0].article_id, "m");
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* The query rewrite, as a table of {query, what Xapian's parser gets}. */
START_TEST(query_rewrite_table) {
  static const char *const cases[][2] = {
      {"Kerjasama Bilateral", "kerjasama bilateral"},
      {"kerja sama ekonomi", "kerjasama ekonomi"},
      {"\"kerja sama\" NEAR ekonomi", "kerjasama NEAR ekonomi"},
      /* a phrase beside NEAR or ADJ: its words joined by the operator */
      {"\"tanah longsor\" NEAR banjir", "tanah NEAR longsor NEAR banjir"},
      {"banjir ADJ/3 \"tanah longsor\"", "banjir ADJ/3 tanah ADJ/3 longsor"},
      /* a word read as a phrase beside NEAR or ADJ: its parts joined by
       * the operator, a reduplication's once */
      {"tanah-longsor NEAR banjir", "tanah NEAR longsor NEAR banjir"},
      {"banjir NEAR/3 e-KTP", "banjir NEAR/3 e NEAR/3 KTP"},
      {"(tanah-longsor ADJ banjir) desa", "(tanah ADJ longsor ADJ banjir) desa"},
      {"\"Perserikatan Bangsa-Bangsa\" NEAR perang", "perserikatan NEAR bangsa NEAR perang"},
      {"negara-negara NEAR perang", "negara NEAR perang"},
      {"tanah-longsor banjir", "tanah-longsor banjir"},
      /* a compound of two words is not a reduplication: searched whole */
      {"tanah-longsor", "tanah-longsor"},
      /* an excluded field value in quotes, or a range, in brackets */
      {"damai -title:\"x y\"", "damai -(title:\"x y\")"},
      {"damai -date:2025-10", "damai -(date:2025-10..2025-10)"},
      {"negara-negara", "negara"},
      {"\"negara-negara\"", "\"negara-negara\""},
      {"sebaik-baiknya", "baik"},
      {"ASEAN AND PBB", "ASEAN AND PBB"},
      {"di-PHK", "di-PHK"},
      {"Jum'at", "jumat"},
      {"ker\xC2\xADja", "kerja"},
      {"title:Damai -perang +dunia", "title:damai -perang +dunia"},
      {"apa arti damai di mana", " arti damai  "},
      {"yang dan", "yang dan"},
      {"damai XOR perang", "damai xor perang"},
      /* an operator a dropped stopword leaves without an operand goes too */
      {"siapa AND damai", "  damai"},
      {"damai OR yang", "damai  "},
      {"damai AND NOT yang", "damai AND NOT yang"}, /* excluded on its own: kept */
      {"(apa OR yang) AND damai", "(  )  damai"},
      {"damai yang AND perang", "damai  AND perang"},
      {"NOT damai", "NOT damai"},
      /* a name the stemmer would change is searched as written */
      {"kota kediri", "kota Kediri"},
      /* a place name the stemmer keeps whole needs no capital */
      {"gunung semeru", "gunung semeru"},
      {"Kediri", "Kediri"},
      {"kota malang", "kota malang"},
  };
  char *texts[] = {"Damai."};
  char *ids[] = {"d"};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 1);
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *out = NULL;
    tl_error err;
    ck_assert_int_eq(tl_search_rewrite(s, cases[i][0], &out, &err), TL_OK);
    ck_assert_msg(strcmp(out, cases[i][1]) == 0, "'%s' became '%s', expected '%s'", cases[i][0],
                  out, cases[i][1]);
    free(out);
  }
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Whether the results hold the passage of article id. */
static int has_article(const tl_results *r, const char *id) {
  size_t i;
  for (i = 0; i < r->count; i++)
    if (strcmp(r->items[i].article_id, id) == 0)
      return 1;
  return 0;
}

/* Searches each of the n cases {query, expansion shown (NULL: none), an
 * article found only through it, count} in s, and checks all three. */
static void check_expansions(tl_searcher *s, const char *const (*cases)[4], size_t n) {
  tl_results *res;
  tl_error err;
  size_t i;
  for (i = 0; i < n; i++) {
    ck_assert_int_eq(tl_search(s, cases[i][0], 0, 10, 0, &res, &err), TL_OK);
    if (!cases[i][1])
      ck_assert_msg(!res->expanded, "%s: expanded '%s'", cases[i][0], res->expanded);
    else
      ck_assert_msg(res->expanded && strcmp(res->expanded, cases[i][1]) == 0, "%s: expanded '%s'",
                    cases[i][0], res->expanded ? res->expanded : "(none)");
    ck_assert_msg(has_article(res, cases[i][2]), "%s: %s not found", cases[i][0], cases[i][2]);
    ck_assert_msg(res->count == (size_t)atoi(cases[i][3]), "%s: %zu results", cases[i][0],
                  res->count);
    tl_results_free(res);
  }
}

/* Acronyms: a definition in the text (LIPI) and the shipped list (PBB)
 * expand a query both ways, below the literal form; a long form with a
 * stopword (dan) too, which the query drops outside quotes; --no-expand is
 * off. */
START_TEST(acronym_expansion) {
  char *texts[] = {"Peneliti Lembaga Ilmu Pengetahuan Indonesia (LIPI) menemukan spesies baru.",
                   "Laporan tahunan LIPI terbit kemarin.",
                   "Sidang umum Perserikatan Bangsa-Bangsa dibuka.",
                   "Harga beras naik lagi.",
                   "Anggaran Pendapatan dan Belanja Negara (APBN) disahkan.",
                   "Defisit APBN melebar.",
                   "Kementerian Pekerjaan Umum dan Perumahan Rakyat (PUPR) membangun jalan.",
                   "Dinas Pekerjaan Umum (PU) memperbaiki jembatan."};
  char *ids[] = {"def", "short", "long", "other", "apbn", "defisit", "pupr", "pu"};
  char *dir = tu_tmpdir(), db[1024];
  tl_searcher *s = make_index(dir, texts, ids, 8), *plain;
  tl_searcher_options so;
  tl_results *res;
  tl_error err;
  ck_assert_int_eq(tl_search(s, "lembaga ilmu pengetahuan indonesia", 0, 10, 0, &res, &err), TL_OK);
  ck_assert(has_article(res, "short"));
  ck_assert_str_eq(res->items[0].article_id, "def"); /* the literal form first */
  ck_assert_ptr_nonnull(res->expanded);
  ck_assert_str_eq(res->expanded, "lembaga ilmu pengetahuan indonesia -> LIPI");
  tl_results_free(res);
  /* a long form that the query holds otherwise (in a field) is not
   * expanded, nor shown as expanded */
  ck_assert_int_eq(tl_search(s, "title:lembaga ilmu pengetahuan indonesia", 0, 10, 0, &res, &err),
                   TL_OK);
  ck_assert_ptr_null(res->expanded);
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "LIPI", 0, 10, 0, &res, &err), TL_OK);
  ck_assert(has_article(res, "def") && has_article(res, "short") && !has_article(res, "long"));
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "anggaran pendapatan dan belanja negara", 0, 10, 0, &res, &err),
                   TL_OK);
  ck_assert_str_eq(res->items[0].article_id, "apbn");
  ck_assert(has_article(res, "defisit"));
  ck_assert_str_eq(res->expanded, "anggaran pendapatan dan belanja negara -> APBN");
  tl_results_free(res);
  /* the longest long form the words spell, not the one of their first two */
  ck_assert_int_eq(tl_search(s, "pekerjaan umum dan perumahan rakyat", 0, 10, 0, &res, &err),
                   TL_OK);
  ck_assert_str_eq(res->expanded, "pekerjaan umum dan perumahan rakyat -> PUPR");
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "PBB", 0, 10, 0, &res, &err), TL_OK);
  ck_assert(has_article(res, "long"));
  ck_assert_str_eq(res->expanded, "PBB -> perserikatan bangsa-bangsa");
  tl_results_free(res);
  memset(&so, 0, sizeof so);
  so.no_expand = 1;
  snprintf(db, sizeof db, "%s/db", dir);
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &plain, &err), TL_OK);
  ck_assert_int_eq(tl_search(plain, "PBB", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_uint_eq(res->count, 0);
  ck_assert_ptr_null(res->expanded);
  tl_results_free(res);
  tl_searcher_close(plain);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* A syllabic acronym defined in the text (Bappenas, Wapres) expands both
 * ways, however it is typed (but one that is a common word, in lower case),
 * and is shown with a capital first letter; initials typed in lower case
 * are words, not acronyms. */
START_TEST(syllabic_acronym_expansion) {
  char def[] = "Wakil Presiden (Wapres) membuka rapat Badan Perencanaan Pembangunan "
               "Nasional (Bappenas) kemarin.";
  char *texts[] = {def,
                   "Badan Perencanaan Pembangunan Nasional merilis laporan tahunan.",
                   "Wapres meninjau banjir di Bekasi.",
                   "Peneliti Lembaga Ilmu Pengetahuan Indonesia (LIPI) menemukan spesies baru.",
                   "Laporan Lembaga Ilmu Pengetahuan Indonesia terbit.",
                   "Harga beras naik lagi.",
                   "Rakyat memilih dalam Pemilihan Umum (Pemilu) tahun ini."};
  char *ids[] = {"def", "long", "short", "lipi", "lipilong", "other", "pemilu"};
  const char *const cases[][4] = {
      /* query, expansion shown, an article found only through it, count */
      {"bappenas", "Bappenas -> badan perencanaan pembangunan nasional", "long", "2"},
      {"Bappenas", "Bappenas -> badan perencanaan pembangunan nasional", "long", "2"},
      {"BAPPENAS", "Bappenas -> badan perencanaan pembangunan nasional", "long", "2"},
      {"wapres", "Wapres -> wakil presiden", "def", "2"},
      {"wakil presiden", "wakil presiden -> Wapres", "short", "2"},
      {"LIPI", "LIPI -> lembaga ilmu pengetahuan indonesia", "lipilong", "2"}};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 7);
  tl_results *res;
  tl_error err;
  check_expansions(s, cases, sizeof cases / sizeof *cases);
  /* a syllabic acronym a text defines that is also a common word expands
   * typed with a capital, not in lower case (pemilu, a word of its own) */
  ck_assert_int_eq(tl_search(s, "pemilu", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->expanded);
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "Pemilu", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->expanded, "Pemilu -> pemilihan umum");
  tl_results_free(res);
  /* initials in lower case: the word lipi, not expanded */
  ck_assert_int_eq(tl_search(s, "lipi", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->expanded);
  ck_assert(!has_article(res, "lipilong"));
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* The shipped list's acronyms that news writes without defining them: a
 * syllabic one (Polri, Kemenkeu, Jabar) however typed, initials (KUHP) in
 * capitals; an acronym with two long forms (PMI) searches both. A short
 * form of two words (Satpol PP; TP PKK as the text defines it) expands
 * both ways, shown as the list writes it (Menko Perekonomian); a part of a
 * long form does not. */
START_TEST(listed_acronym_expansion) {
  char *texts[] = {"Kepolisian Negara Republik Indonesia menangkap tersangka.",
                   "Kementerian Keuangan menerbitkan obligasi.",
                   "Banjir melanda tiga kabupaten di Jawa Barat.",
                   "Pasal itu ada dalam Kitab Undang-Undang Hukum Pidana.",
                   "Palang Merah Indonesia mengirim relawan.",
                   "Pekerja Migran Indonesia pulang kampung.",
                   "Polri dan Kemenkeu bertemu di Jabar.",
                   "Harga beras naik lagi.",
                   "Satuan Polisi Pamong Praja menertibkan pedagang.",
                   "Satpol PP berjaga di pasar.",
                   "Ketua Tim Penggerak Pemberdayaan Kesejahteraan Keluarga (TP PKK) hadir.",
                   "Rapat TP PKK digelar.",
                   "Menteri Koordinator Bidang Perekonomian hadir.",
                   "Peraturan Pemerintah tentang pajak pedagang terbit."};
  char *ids[] = {"polri", "kemenkeu", "jabar", "kuhp",  "pmi1", "pmi2",  "short",
                 "other", "satpol",   "satpp", "tpdef", "tp",   "menko", "ppdoc"};
  const char *const cases[][4] = {
      /* query, expansion shown, an article found only through it, count */
      {"polri", "Polri -> kepolisian negara republik indonesia", "polri", "2"},
      {"Kemenkeu", "Kemenkeu -> kementerian keuangan", "kemenkeu", "2"},
      {"JABAR", "Jabar -> jawa barat", "jabar", "2"},
      {"jawa barat", "jawa barat -> Jabar", "short", "2"},
      {"KUHP", "KUHP -> kitab undang-undang hukum pidana", "kuhp", "1"},
      {"PMI", "PMI -> palang merah indonesia; PMI -> pekerja migran indonesia", "pmi2", "2"},
      /* a short form of two words, from the list and from a definition */
      {"satpol pp", "Satpol PP -> satuan polisi pamong praja", "satpol", "2"},
      {"menko perekonomian", "Menko Perekonomian -> menteri koordinator bidang perekonomian",
       "menko", "1"},
      {"Pamong Praja", NULL, "satpol", "1"},
      {"TP PKK", "TP PKK -> tim penggerak pemberdayaan kesejahteraan keluarga", "tpdef", "2"},
      {"tim penggerak pemberdayaan kesejahteraan keluarga",
       "tim penggerak pemberdayaan kesejahteraan keluarga -> TP PKK", "tp", "2"}};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 14);
  tl_results *res;
  tl_error err;
  check_expansions(s, cases, sizeof cases / sizeof *cases);
  /* NOT before a short form of two words excludes it and its long form,
   * and not what one of its words stands for alone (PP: peraturan
   * pemerintah); a wildcard's prefix is no acronym */
  ck_assert_int_eq(tl_search(s, "pedagang NOT Satpol PP", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->expanded, "Satpol PP -> satuan polisi pamong praja");
  ck_assert(has_article(res, "ppdoc") && !has_article(res, "satpol"));
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "Satpol PP*", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->expanded);
  tl_results_free(res);
  /* initials in lower case are a word: kuhp finds no long form */
  ck_assert_int_eq(tl_search(s, "kuhp", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->expanded);
  ck_assert_uint_eq(res->count, 0);
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Words the parser reads as a phrase: a hyphenated compound beside NEAR
 * or ADJ is searched as its parts near the other words, not refused; a web
 * address, one word in the text, finds it, beside NEAR too; a word in
 * capitals with a diacritic finds the word without it. */
START_TEST(words_read_as_phrases) {
  char far[] = "Banjir melanda desa kemarin sore. Warga mengungsi ke balai desa dan sekolah "
               "terdekat bersama keluarga mereka. Tanah di bukit itu subur, tidak longsor.";
  char *texts[] = {"Tanah-longsor menimbun rumah setelah banjir.",
                   far,
                   "Data e-KTP warga bocor.",
                   "Aduan dikirim lewat laman kppu.go.id atau humas@kppu.go.id kemarin.",
                   "Kopi di Café Johns enak.",
                   "Suku bunga dipotong menjadi -0,25% tahun ini.",
                   "Rapat dimulai pukul 10:30 WIB."};
  char *ids[] = {"near", "far", "ktp", "web", "cafe", "rate", "time"};
  const char *const cases[][2] = {{"tanah-longsor NEAR banjir", "near"},
                                  {"banjir NEAR/5 tanah-longsor", "near"},
                                  {"e-KTP NEAR data", "ktp"},
                                  {"data ADJ/3 e-KTP", "ktp"},
                                  {"kppu.go.id", "web"},
                                  {"kppu.go.id NEAR aduan", "web"},
                                  {"humas@kppu.go.id", "web"},
                                  {"CAFÉ", "cafe"},
                                  {"cafe", "cafe"},
                                  /* a negative decimal is no exclusion */
                                  {"bunga -0,25%", "rate"},
                                  /* words in capitals are words, derived too */
                                  {"PEMOTONGAN AND BUNGA", "rate"},
                                  /* a time beside NEAR, a NEAR beside other words */
                                  {"10:30 NEAR WIB", "time"},
                                  {"rapat dimulai NEAR WIB", "time"},
                                  {"\"laman kppu.go.id\"", "web"}};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 7);
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_results *res;
    tl_error err;
    ck_assert_msg(tl_search(s, cases[i][0], 0, 10, 0, &res, &err) == TL_OK, "%s: %s", cases[i][0],
                  err.msg);
    ck_assert_msg(res->count == 1 && strcmp(res->items[0].article_id, cases[i][1]) == 0,
                  "%s: %zu results", cases[i][0], res->count);
    tl_results_free(res);
  }
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* An expansion meets the query's operators where its words stand: what
 * the query excludes or requires, it excludes or requires of the
 * expansion too, and a long form beside NEAR is its acronym beside NEAR. */
START_TEST(acronym_expansion_meets_operators) {
  char *texts[] = {"Sidang umum Perserikatan Bangsa-Bangsa dibuka.",
                   "Perserikatan Bangsa-Bangsa mengecam perang itu.",
                   "Laporan PBB tentang perang terbit.",
                   "Sidang PBB ditunda.",
                   "Laporan tahunan PBB terbit kemarin.",
                   "Perang dagang memanas."};
  char *ids[] = {"long", "longwar", "war", "sidang", "report", "trade"};
  const struct {
    const char *query, *in, *out;
  } cases[] = {
      {"PBB -perang", "long", "longwar"},
      {"PBB NOT perang", "long", "longwar"},
      {"PBB AND perang", "longwar", "long"},
      {"PBB NEAR perang", "longwar", "long"},
      {"perang +PBB", "long", "trade"},
      {"(PBB OR sidang) -perang", "long", "longwar"},
      {"\"Perserikatan Bangsa-Bangsa\" -sidang", "report", "sidang"},
      {"perserikatan bangsa-bangsa -sidang", "report", "sidang"},
      {"\"Perserikatan Bangsa-Bangsa\" NEAR perang", "war", "sidang"},
      {"\"umum PBB\"", "long", "sidang"},
      /* an exclusion leaves out both forms; a clitic after a hyphen is
       * the acronym */
      {"perang -PBB", "trade", "longwar"},
      {"perang -\"perserikatan bangsa-bangsa\"", "trade", "war"},
      {"PBB-nya -perang", "report", "war"},
  };
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 6);
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_results *res;
    tl_error err;
    ck_assert_msg(tl_search(s, cases[i].query, 0, 10, 0, &res, &err) == TL_OK, "%s: %s",
                  cases[i].query, err.msg);
    ck_assert_msg(res->expanded, "%s: not expanded", cases[i].query);
    ck_assert_msg(has_article(res, cases[i].in), "%s: %s missing", cases[i].query, cases[i].in);
    ck_assert_msg(!has_article(res, cases[i].out), "%s: %s found", cases[i].query, cases[i].out);
    tl_results_free(res);
  }
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* The acronyms an index defines go with the passages that define them:
 * per short form the TL_ACRONYM_FORMS long forms defined in most passages
 * are kept, and a definition whose article is replaced is gone. */
START_TEST(acronyms_follow_the_passages) {
  char *texts[] = {"Komite Nasional Keselamatan Transportasi (KNKT) memeriksa kecelakaan.",
                   "Laporan Komite Nasional Keselamatan Transportasi (KNKT) terbit.",
                   "Komite Nasional Keselamatan Transportasi (KNKT) meminta data.",
                   "Komisi Nasional Kesehatan Tanah (KNKT) dibentuk.",
                   "Kantor Nasional Kebudayaan Timur (KNKT) dibuka.",
                   "Komando Nasional Keamanan Terpadu (KNKT) bersiaga.",
                   "Koperasi Nelayan Kota Tegal (KNKT) panen.",
                   "Kelompok Nelayan Kampung Tua (KNKT) berlayar."};
  char *ids[] = {"k1", "k2", "k3", "f1", "f2", "f3", "f4", "f5"};
  char *dir = tu_tmpdir(), db[1024];
  tl_searcher *s = make_index(dir, texts, ids, 8);
  tl_index *ix;
  tl_article a;
  tl_results *res;
  tl_error err;
  const char *e;
  size_t forms = 0, k;
  ck_assert_int_eq(tl_search(s, "KNKT", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_nonnull(res->expanded);
  /* the form of three passages first, then three of one passage each */
  ck_assert_msg(strncmp(res->expanded, "KNKT -> komite nasional keselamatan transportasi; ", 50) ==
                    0,
                "%s", res->expanded);
  for (e = res->expanded; (e = strstr(e, "KNKT -> ")); e++)
    forms++;
  ck_assert_uint_eq(forms, TL_ACRONYM_FORMS);
  tl_results_free(res);
  tl_searcher_close(s);
  /* k1..k3 rewritten without the definition: the others' forms are left */
  snprintf(db, sizeof db, "%s/db", dir);
  ck_assert_msg(tl_index_open(db, NULL, &ix, &err) == TL_OK, "%s", err.msg);
  for (k = 0; k < 3; k++) {
    memset(&a, 0, sizeof a);
    a.id = ids[k];
    a.title = a.date = a.url = a.source = "";
    a.path = "test";
    a.text = "Kecelakaan diperiksa.";
    a.text_len = strlen(a.text);
    ck_assert_msg(tl_index_add(ix, &a, NULL, &err) == TL_OK, "%s", err.msg);
  }
  ck_assert_msg(tl_index_commit(ix, &err) == TL_OK, "%s", err.msg);
  tl_index_close(ix);
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &s, &err), TL_OK);
  ck_assert_int_eq(tl_search(s, "KNKT", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_nonnull(res->expanded);
  ck_assert_ptr_null(strstr(res->expanded, "komite nasional"));
  ck_assert_msg(strstr(res->expanded, "kelompok nelayan kampung tua"), "%s", res->expanded);
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Spelling: words the index does not hold get the likely correction, and
 * are also searched as it, at half weight (no_expand: not); with correct
 * set, the correction is searched instead. A real word is not "corrected"
 * into another: a root of the lexicon, or a word whose stem the index
 * holds. */
START_TEST(spelling_suggestion) {
  char c[] = "Mending lewat jalur lintas selatan untuk mengurangi macet. Mereka mengulang "
             "ujian.";
  char *texts[] = {"Kerjasama bilateral adalah hubungan kerjasama antara dua negara.",
                   "Indonesia menjalin kerjasama bilateral dengan Jepang.", c,
                   "Sebuah stalagmit besar berdiri di dasar gua.",
                   "Stalagmitnya tumbuh dari lantai gua yang lembap."};
  char *ids[] = {"a", "b", "c", "d", "e"};
  const char *real[] = {"mendiang", "lintah", "mengulangi"};
  char *dir = tu_tmpdir(), db[1024], *j;
  tl_searcher *s = make_index(dir, texts, ids, 5), *fix, *plain;
  tl_searcher_options so;
  tl_results *res, *typed;
  tl_error err;
  ck_assert_int_eq(tl_search(s, "kerjsama bilatral", 0, 10, 0, &res, &err), TL_OK);
  /* found by the corrections, which weigh half what the words typed do */
  ck_assert_uint_eq(res->count, 2);
  ck_assert_ptr_nonnull(res->expanded);
  ck_assert_str_eq(res->expanded, "kerjsama -> kerjasama; bilatral -> bilateral");
  ck_assert_int_eq(tl_search(s, "kerjasama bilateral", 0, 10, 0, &typed, &err), TL_OK);
  ck_assert_uint_eq(typed->count, 2);
  ck_assert_ptr_null(typed->expanded);
  ck_assert_str_eq(typed->items[0].article_id, res->items[0].article_id);
  ck_assert_double_lt(res->items[0].score, typed->items[0].score);
  tl_results_free(typed);
  ck_assert_ptr_nonnull(res->suggestion);
  tl_results_free(res);
  /* a correction is searched by its stem: it finds every form of it, the
   * form itself (d, which holds no stem term of its own) among them */
  ck_assert_int_eq(tl_search(s, "stalakmit", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->expanded, "stalakmit -> stalagmit");
  ck_assert_uint_eq(res->count, 2);
  ck_assert(!strcmp(res->items[0].article_id, "d") || !strcmp(res->items[1].article_id, "d"));
  ck_assert(!strcmp(res->items[0].article_id, "e") || !strcmp(res->items[1].article_id, "e"));
  tl_results_free(res);
  /* a correction that is a stopword is suggested, not searched */
  ck_assert_int_eq(tl_search(s, "jepang dengn", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->suggestion, "jepang dengan");
  ck_assert_ptr_null(res->expanded);
  ck_assert_uint_eq(res->count, 1);
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "kerjsama bilatral", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->suggestion, "kerjasama bilateral");
  ck_assert_int_eq(res->corrected, 0);
  j = tl_results_suggestion_json(res, NULL);
  ck_assert_str_eq(j, "{\"suggestion\": \"kerjasama bilateral\"}");
  free(j);
  j = tl_results_suggestion_json(res, "q\"7"); /* a batch names the query */
  ck_assert_str_eq(j, "{\"qid\": \"q\\\"7\", \"suggestion\": \"kerjasama bilateral\"}");
  free(j);
  tl_results_free(res);
  /* a word the index holds is left alone; operators stay */
  ck_assert_int_eq(tl_search(s, "jepang AND negra", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_str_eq(res->suggestion, "jepang AND negara");
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "kerjasama bilateral", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->suggestion);
  ck_assert_ptr_null(tl_results_suggestion_json(res, "q1"));
  tl_results_free(res);
  /* one edit from an indexed word (mending, lintas, mengurangi), but real words */
  for (size_t k = 0; k < sizeof real / sizeof *real; k++) {
    ck_assert_int_eq(tl_search(s, real[k], 0, 10, 0, &res, &err), TL_OK);
    ck_assert_msg(res->suggestion == NULL, "%s -> %s", real[k], res->suggestion);
    tl_results_free(res);
  }
  /* a misspelling beside them is still corrected */
  ck_assert_int_eq(tl_search(s, "mendiang macat", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_ptr_nonnull(res->suggestion);
  ck_assert_str_eq(res->suggestion, "mendiang macet");
  tl_results_free(res);
  memset(&so, 0, sizeof so);
  snprintf(db, sizeof db, "%s/db", dir);
  so.no_expand = 1; /* suggested, not searched */
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &plain, &err), TL_OK);
  ck_assert_int_eq(tl_search(plain, "kerjsama bilatral", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_uint_eq(res->count, 0);
  ck_assert_ptr_null(res->expanded);
  ck_assert_str_eq(res->suggestion, "kerjasama bilateral");
  tl_results_free(res);
  tl_searcher_close(plain);
  so.no_expand = 0;
  so.correct = 1;
  ck_assert_int_eq(tl_searcher_open(db, &so, NULL, &fix, &err), TL_OK);
  ck_assert_int_eq(tl_search(fix, "kerjsama bilatral", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_uint_eq(res->count, 2);
  ck_assert_int_eq(res->corrected, 1);
  tl_results_free(res);
  tl_searcher_close(fix);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Fills n texts from fmt (one %zu: the text's number) into text, their ids
 * (prefix, then the number) into id, and points texts and ids at them. */
static void numbered(size_t n, const char *fmt, char prefix, char (*text)[96], char (*id)[24],
                     char **texts, char **ids) {
  size_t k;
  for (k = 0; k < n; k++) {
    snprintf(text[k], sizeof text[k], fmt, k);
    snprintf(id[k], sizeof id[k], "%c%zu", prefix, k);
    texts[k] = text[k];
    ids[k] = id[k];
  }
}

/* A typo in the text (kebijkan, in one passage) is still taken for one
 * when the word it misses is in fifty times as many passages (54 here), and
 * twenty at least; a rare word beside a word in fewer passages is not
 * (tarif, tarik), nor a rare word that the lexicon explains (dibalas). */
START_TEST(spelling_of_rare_typos) {
  char *texts[56], *ids[56], buf[56][96], idb[56][24];
  char *dir = tu_tmpdir();
  tl_searcher *s;
  tl_results *res;
  tl_error err;
  numbered(56, "Kebijakan fiskal nomor %zu dibahas.", 'k', buf, idb, texts, ids);
  snprintf(buf[0], sizeof buf[0], "Kebijkan itu berlaku, dan tarif impor naik.");
  snprintf(buf[1], sizeof buf[1], "Tarik tambang di lapangan; suratnya dibalas.");
  s = make_index(dir, texts, ids, 56);
  ck_assert_int_eq(tl_search(s, "kebijkan", 0, 60, 0, &res, &err), TL_OK);
  ck_assert_ptr_nonnull(res->suggestion);
  ck_assert_str_eq(res->suggestion, "kebijakan");
  ck_assert_uint_eq(res->items[0].article_id[1], '0'); /* the words typed first */
  ck_assert_uint_eq(res->count, 55);
  tl_results_free(res);
  ck_assert_int_eq(tl_search(s, "tarif", 0, 60, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->suggestion);
  ck_assert_uint_eq(res->count, 1);
  tl_results_free(res);
  /* a rare word whose stem is a root of the lexicon is a word (balas),
   * though dibahas, one edit away, is in 54 passages */
  ck_assert_int_eq(tl_search(s, "dibalas", 0, 60, 0, &res, &err), TL_OK);
  ck_assert_ptr_null(res->suggestion);
  ck_assert_uint_eq(res->count, 1);
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* A slip of an acronym typed in capitals (DRP, BMGK swapped; DPRR, BPSS
 * doubled) is corrected to the acronym of the table that the index holds
 * most (DPR, not DPD), in capitals; an acronym the table knows (KPU), the
 * index holds, or that is a letter away from another (DPT, GPS: other
 * acronyms) is left alone. Typed in lower case it is a word, and
 * corrected as a word is. */
START_TEST(spelling_of_acronyms) {
  char *texts[] = {"Rapat paripurna DPR membahas anggaran.", "Anggota DPR hadir.",
                   "Senator DPD bicara.", "Data BMKG menunjukkan hujan.",
                   "Kantor KPK dan BPS buka."};
  char *ids[] = {"a", "b", "c", "d", "e"};
  const char *const cases[][2] = {{"DRP", "DPR"},  {"rapat DRP", "rapat DPR"},
                                  {"DPRR", "DPR"}, {"BMGK", "BMKG"},
                                  {"KPU", NULL},   {"BPS", NULL},
                                  {"drp", "dpr"},  {"DPT", NULL},
                                  {"GPS", NULL},   {"BPSS", "BPS"}};
  char *dir = tu_tmpdir();
  tl_searcher *s = make_index(dir, texts, ids, 5);
  tl_results *res;
  tl_error err;
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    ck_assert_int_eq(tl_search(s, cases[i][0], 0, 10, 0, &res, &err), TL_OK);
    if (cases[i][1])
      ck_assert_msg(res->suggestion && strcmp(res->suggestion, cases[i][1]) == 0,
                    "%s: suggested '%s'", cases[i][0], res->suggestion ? res->suggestion : "");
    else
      ck_assert_msg(!res->suggestion, "%s: suggested '%s'", cases[i][0], res->suggestion);
    tl_results_free(res);
  }
  /* the correction is searched beside the typo */
  ck_assert_int_eq(tl_search(s, "DRP", 0, 10, 0, &res, &err), TL_OK);
  ck_assert_uint_eq(res->count, 2);
  ck_assert_str_eq(res->expanded, "DRP -> DPR");
  tl_results_free(res);
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* A word typed with a capital after the query's first word is a name the
 * index lacks, not a typo: left alone whatever the word one edit away
 * (Kempo: kemp, in one document; Jakrta: jakarta, in twelve); typed in lower
 * case, or first in the query, it is corrected. */
START_TEST(spelling_of_names) {
  char *texts[13], *ids[13], text[12][96], id[13][24];
  char *dir = tu_tmpdir();
  const char *q[][2] = {{"banjir di Jakrta", NULL},
                        {"banjir di jakrta", "banjir di jakarta"},
                        {"juara Kempo", NULL},
                        {"juara Kempo di jakrta", "juara Kempo di jakarta"},
                        {"juara kempo", "juara kemp"},
                        {"Kempo juara", "kemp juara"},
                        {"  Jakrta banjir", "  jakarta banjir"}};
  tl_searcher *s;
  tl_results *res;
  tl_error err;
  size_t k;
  numbered(12, "Hujan deras ke-%zu membuat banjir di Jakarta pagi ini.", 'j', text, id, texts, ids);
  texts[12] = "Jonathan Kemp menjadi juara lomba lari.";
  snprintf(id[12], sizeof id[12], "k");
  ids[12] = id[12];
  s = make_index(dir, texts, ids, 13);
  for (k = 0; k < sizeof q / sizeof *q; k++) {
    ck_assert_int_eq(tl_search(s, q[k][0], 0, 10, 0, &res, &err), TL_OK);
    if (q[k][1])
      ck_assert_msg(res->suggestion && strcmp(res->suggestion, q[k][1]) == 0, "%s -> %s", q[k][0],
                    res->suggestion ? res->suggestion : "(none)");
    else
      ck_assert_msg(!res->suggestion, "%s -> %s", q[k][0], res->suggestion);
    tl_results_free(res);
  }
  tl_searcher_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* An unknown stemmer or a missing lexicon is an error at start-up. */
START_TEST(startup_errors) {
  char *err = NULL, cmd[2048];
  int rc;
  snprintf(cmd, sizeof cmd, "echo kerja | '%s/telusur-analyze' --stem --stemmer=klingon",
           tu_bin_dir());
  rc = tu_run(cmd, NULL, &err);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown stemmer 'klingon'"));
  free(err);
  snprintf(cmd, sizeof cmd,
           "echo kerja | TELUSUR_DATA_DIR=/nonexistent '%s/telusur-analyze' --stem", tu_bin_dir());
  rc = tu_run(cmd, NULL, &err);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(err, "/nonexistent/"));
  free(err);
  /* telusur-index with an unknown stemmer leaves no new index behind */
  tu_dir_setup();
  snprintf(cmd, sizeof cmd, "'%s/telusur-index' -q -d '%s/new.db' --stemmer=klingon '%s/corpus'",
           tu_bin_dir(), tu_dir, tu_source_dir());
  rc = tu_run(cmd, NULL, &err);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown stemmer 'klingon'"));
  free(err);
  snprintf(cmd, sizeof cmd, "%s/new.db", tu_dir);
  ck_assert_int_ne(access(cmd, F_OK), 0);
  tu_dir_teardown();
}
END_TEST

int main(void) {
  Suite *s = suite_create("cases");
  TCase *tc = tcase_create("handed");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, stems_through_analyze);
  tcase_add_test(tc, query_cases);
  tcase_add_test(tc, more_query_cases);
  tcase_add_test(tc, acronym_expansion);
  tcase_add_test(tc, syllabic_acronym_expansion);
  tcase_add_test(tc, listed_acronym_expansion);
  tcase_add_test(tc, acronym_expansion_meets_operators);
  tcase_add_test(tc, words_read_as_phrases);
  tcase_add_test(tc, acronyms_follow_the_passages);
  tcase_add_test(tc, spelling_suggestion);
  tcase_add_test(tc, spelling_of_rare_typos);
  tcase_add_test(tc, spelling_of_names);
  tcase_add_test(tc, spelling_of_acronyms);
  tcase_add_test(tc, gold_groups_find_each_other);
  tcase_add_test(tc, gold_pairs_stay_apart);
  tcase_add_test(tc, startup_errors);
  tcase_add_test(tc, question_words_dropped);
  tcase_add_test(tc, query_rewrite_table);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
