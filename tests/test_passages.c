/*
 * test_passages.c - Check suite for passages inside article documents
 * (schema.h): a query matches passages, not articles (AND, NOT, phrases
 * and NEAR within one passage), each hit is its own passage's record,
 * articles of more than one chunk are found in every chunk, matches are
 * counted by passage (estimated past 128 documents of several passages
 * where a document's match tells a passage's), and the article's score
 * adds as context where asked.
 */
#define _GNU_SOURCE
#include "index/schema.h"
#include "telusur/index.h"
#include "telusur/search.h"
#include "testutil.h"
#include "text/reader.h"
#include "xapian/store.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_PARAGRAPHS 150 /* three chunks of up to 64 passages */
#define RARE_PARAGRAPH 140  /* the one paragraph of the long article with "kuda" */

static char db[1024];

/* Indexes the file at path into db, one job, and checks that it held
 * `passages` passages. */
static void index_file(const char *path, unsigned passages) {
  tl_update_options o = tl_update_options_default();
  tl_update_summary sum;
  tl_update *u;
  tl_error err;
  o.jobs = 1;
  ck_assert_msg(tl_update_open(db, &o, &u, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_add_path(u, path, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_update_finish(u, &sum, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(sum.index_passages, passages);
  tl_update_free(u);
}

/* A fresh directory with db in it, and the collection file name opened
 * for writing (its path into path, n bytes). */
static FILE *new_collection(const char *name, char *path, size_t n) {
  FILE *f;
  tu_dir_setup();
  snprintf(path, n, "%s/%s", tu_dir, name);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  return f;
}

static void build(void) {
  char path[1024];
  FILE *f;
  int i;
  f = new_collection("news.jsonl", path, sizeof path);
  fputs("{\"id\":\"erupsi\",\"title\":\"Laporan banjir "
        "lahar\",\"topik\":\"bencana\",\"text\":\"Gunung Merapi meletus pagi "
        "ini.\\n\\nWarga desa mengungsi ke balai.\\n\\nJalan desa ditutup polisi.\"}\n",
        f);
  fputs(
      "{\"id\":\"ungsi\",\"title\":\"Kabar desa\",\"text\":\"Merapi tenang, warga tidak mengungsi "
      "dari desa.\"}\n",
      f);
  fputs("{\"id\":\"panjang\",\"title\":\"Catatan harian\",\"text\":\"", f);
  for (i = 1; i <= LONG_PARAGRAPHS; i++)
    fprintf(f, "%sParagraf %d bercerita tentang %s di ladang.", i > 1 ? "\\n\\n" : "", i,
            i == RARE_PARAGRAPH ? "kuda" : "sapi");
  fputs("\"}\n", f);
  /* two articles whose best passages weigh the same; the second's other
   * passages are about the query too: its context ranks it first */
  fputs("{\"id\":\"sepi\",\"title\":\"Satu\",\"text\":\"Harga cabai naik tajam.\\n\\nCuaca "
        "cerah.\"}\n",
        f);
  fputs("{\"id\":\"ramai\",\"title\":\"Dua\",\"text\":\"Harga cabai naik tajam.\\n\\nPetani "
        "cabai senang.\"}\n",
        f);
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 3 + 1 + LONG_PARAGRAPHS + 2 + 2);
}

/* The results of query (BM25 order, counted, up to 200), with params. */
static tl_results *search(const char *query, const tl_rank_params *params, int explain) {
  tl_searcher_options so;
  tl_searcher *s;
  tl_results *r = NULL;
  tl_rank_params p;
  tl_error err;
  memset(&so, 0, sizeof so);
  so.data_dir = tu_source_dir();
  so.no_snippets = 1;
  so.count_matches = 1;
  tl_rank_params_default(&p);
  p.rerank_depth = 0;
  ck_assert_msg(tl_searcher_open(db, &so, params ? params : &p, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, query, 0, 200, explain, &r, &err) == TL_OK, "%s: %s", query, err.msg);
  tl_searcher_close(s);
  return r;
}

/* "id#passage" of each hit, space-separated, in rank order. */
static char *hits(const tl_results *r) {
  static char buf[4096];
  size_t i, n = 0;
  buf[0] = '\0';
  for (i = 0; i < r->count && n < sizeof buf; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s#%u", i ? " " : "", r->items[i].article_id,
                          r->items[i].passage);
  return buf;
}

/* Whether r lists id#passage. */
static const tl_result *listed(const tl_results *r, const char *id, unsigned passage) {
  size_t i;
  for (i = 0; i < r->count; i++)
    if (strcmp(r->items[i].article_id, id) == 0 && r->items[i].passage == passage)
      return &r->items[i];
  return NULL;
}

/* "id#passage" of the hits of query from offset, count of them, on
 * searcher s, appended to out (n bytes) with a space before each. */
static void ranking(tl_searcher *s, const char *query, unsigned offset, unsigned count, char *out,
                    size_t n, double *first_rise) {
  tl_results *r = NULL;
  tl_error err;
  size_t i, len = strlen(out);
  ck_assert_msg(tl_search(s, query, offset, count, 0, &r, &err) == TL_OK, "%s", err.msg);
  for (i = 0; i < r->count && len < n; i++) {
    len +=
        (size_t)snprintf(out + len, n - len, " %s#%u", r->items[i].article_id, r->items[i].passage);
    /* a passage scored above the one before it: read from a deeper block */
    if (first_rise && i > 0 && r->items[i].score > r->items[i - 1].score && *first_rise == 0)
      *first_rise = (double)(offset + i + 1);
  }
  tl_results_free(r);
}

/* The next of a 64-bit linear congruential sequence (Knuth's MMIX). */
static unsigned long long next_random(unsigned long long *x) {
  return *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* A paragraph k of an article's JSON "text" (escaped blank lines between
 * paragraphs) of `words` words: of every 16, about `common` from a small
 * vocabulary that queries ask for, the rest from 2,000 rare words. */
static void random_paragraph(FILE *f, size_t k, size_t words, unsigned common,
                             unsigned long long *x) {
  static const char *const vocab[] = {"negara", "kota",  "desa",    "pasar", "harga", "beras",
                                      "sungai", "hutan", "sekolah", "guru",  "kapal", "hujan"};
  size_t w;
  fputs(k ? "\\n\\n" : "", f);
  for (w = 0; w < words; w++) {
    unsigned long long v = next_random(x);
    if ((v >> 60) < common)
      fprintf(f, "%s ", vocab[(v >> 33) % (sizeof vocab / sizeof *vocab)]);
    else
      fprintf(f, "kata%llu ", (v >> 33) % 2000);
  }
  fputs("akhir.", f);
}

/* Passages are ranked from the documents Xapian ranks first; a passage of
 * a document ranked lower can score higher than one listed. The first n
 * hits are still the first n of any deeper search, and pages taken with
 * an offset join up: no passage repeated, none left out; also with one or
 * two passages an article, long articles spanning two blocks among them. */
START_TEST(pages_join_up) {
  static const char *const queries[] = {"negara kota", "harga beras", "negara OR kota",
                                        "Di kota mana harga beras naik?"};
  char path[1024], full[8192], part[8192];
  unsigned long long x = 12345;
  tl_searcher_options so;
  tl_searcher *s;
  tl_rank_params p;
  tl_error err;
  FILE *f = new_collection("acak.jsonl", path, sizeof path);
  size_t a, k, w, q, rises = 0;
  unsigned pa;
  for (a = 0; a < 300; a++) {
    fprintf(f, "{\"id\":\"a%zu\",\"text\":\"", a);
    for (k = 0; k < 3; k++)
      random_paragraph(f, k, 8 + (size_t)(next_random(&x) >> 59), 5, &x);
    fputs("\"}\n", f);
  }
  /* long articles, each indexed as two documents or more (chunks of
   * 16 KiB), which can fall into two blocks */
  for (a = 0; a < 30; a++) {
    fprintf(f, "{\"id\":\"p%zu\",\"text\":\"", a);
    for (k = 0; k < 120; k++)
      random_paragraph(f, k, 20, 2, &x);
    fputs("\"}\n", f);
  }
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 900 + 30 * 120);
  memset(&so, 0, sizeof so);
  so.data_dir = tu_source_dir();
  so.no_snippets = 1;
  tl_rank_params_default(&p);  /* the question reranked, the rest BM25 */
  for (pa = 0; pa < 3; pa++) { /* every passage; one or two of an article */
    so.per_article = pa;
    ck_assert_msg(tl_searcher_open(db, &so, &p, &s, &err) == TL_OK, "%s", err.msg);
    for (q = 0; q < sizeof queries / sizeof *queries; q++) {
      static const unsigned counts[] = {1, 5, 10, 19, 20, 21, 35, 59};
      unsigned offset;
      double rise = 0;
      full[0] = '\0';
      ranking(s, queries[q], 0, 60, full, sizeof full, &rise);
      rises += rise > 0;
      for (k = 0; k < sizeof counts / sizeof *counts; k++) {
        const char *end = full;
        part[0] = '\0';
        ranking(s, queries[q], 0, counts[k], part, sizeof part, NULL);
        for (w = 0; w < counts[k] && (end = strchr(end + 1, ' ')); w++)
          ;
        ck_assert_msg(strncmp(part, full, strlen(part)) == 0 && (!end || *end == ' ') &&
                          strlen(part) == (end ? (size_t)(end - full) : strlen(full)),
                      "%s, per article %u, first %u: %s\nnot the first of: %s", queries[q], pa,
                      counts[k], part, full);
      }
      part[0] = '\0';
      for (offset = 0; offset < 60; offset += 7)
        ranking(s, queries[q], offset, offset + 7 <= 60 ? 7 : 60 - offset, part, sizeof part, NULL);
      ck_assert_msg(strcmp(part, full) == 0, "%s, per article %u, pages of 7: %s\nnot: %s",
                    queries[q], pa, part, full);
    }
    tl_searcher_close(s);
  }
  /* the case arises: a passage of a deeper block scored above one before it */
  ck_assert_uint_gt(rises, 0);
}
END_TEST

/* A snippet is a window of words around the matches; words too long for
 * any window (a run of 20,000 letters) are cut to about a kilobyte around
 * the first match, at characters, the match still highlighted. */
START_TEST(snippet_of_long_words) {
  char path[1024];
  tl_searcher_options so;
  tl_searcher *s;
  tl_rank_params p;
  tl_results *r = NULL;
  tl_error err;
  size_t k, bad;
  FILE *f = new_collection("panjang.jsonl", path, sizeof path);
  fputs("{\"id\":\"p\",\"text\":\"", f);
  for (k = 0; k < 20000; k++)
    fputs("\xC3\xA9", f); /* é */
  fputs(" durian ", f);
  for (k = 0; k < 15000; k++)
    fputc('x', f);
  fputs(" akhir\"}\n", f);
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 1);
  memset(&so, 0, sizeof so);
  so.data_dir = tu_source_dir();
  tl_rank_params_default(&p);
  ck_assert_msg(tl_searcher_open(db, &so, &p, &s, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_search(s, "durian", 0, 10, 0, &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(r->count, 1);
  ck_assert_uint_le(strlen(r->items[0].snippet), 1024 + 6);
  ck_assert_int_eq(tl_utf8_check(r->items[0].snippet, strlen(r->items[0].snippet), &bad), TL_OK);
  ck_assert_uint_eq(r->items[0].nhighlights, 1);
  ck_assert_int_eq(strncmp(r->items[0].snippet + r->items[0].highlights[0].start, "durian", 6), 0);
  ck_assert_uint_eq(r->items[0].highlights[0].end - r->items[0].highlights[0].start, 6);
  ck_assert_int_eq(strncmp(r->items[0].snippet, "\xE2\x80\xA6", 3), 0); /* cut before */
  tl_results_free(r);
  tl_searcher_close(s);
}
END_TEST

START_TEST(operators_within_a_passage) {
  tl_results *r;
  build();
  /* the article has both words, no passage has both */
  r = search("merapi AND mengungsi", NULL, 0);
  ck_assert_str_eq(hits(r), "ungsi#1");
  ck_assert_uint_eq(r->passages_matched, 1);
  ck_assert_uint_eq(r->articles_matched, 1);
  tl_results_free(r);
  /* either word: both passages of the article, and the other article */
  r = search("merapi mengungsi", NULL, 0);
  ck_assert_uint_eq(r->count, 3);
  ck_assert_ptr_nonnull(listed(r, "erupsi", 1));
  ck_assert_ptr_nonnull(listed(r, "erupsi", 2));
  ck_assert_ptr_nonnull(listed(r, "ungsi", 1));
  ck_assert_uint_eq(r->passages_matched, 3);
  ck_assert_uint_eq(r->articles_matched, 2);
  tl_results_free(r);
  /* NOT leaves out the passage, not the article */
  r = search("merapi -mengungsi", NULL, 0);
  ck_assert_str_eq(hits(r), "erupsi#1");
  tl_results_free(r);
  /* NOT alone: every passage without the word, counted as such (the
   * articles holding it in one passage keep their others) */
  r = search("NOT mengungsi", NULL, 0);
  ck_assert_uint_eq(r->count, 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 2);
  ck_assert_uint_eq(r->passages_matched, 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 2);
  ck_assert_uint_eq(r->articles_matched, 4);
  ck_assert_ptr_null(listed(r, "erupsi", 2));
  ck_assert_ptr_nonnull(listed(r, "erupsi", 3));
  tl_results_free(r);
  /* a word excluded alone, led by '-', is NOT alone too (not the word) */
  {
    const char *alone[] = {
        "-mengungsi",         "  -mengungsi",   "NOT mengungsi -\"banjir bandang\"",
        "yang -mengungsi",    "dan -mengungsi", "siapa -mengungsi?",
        "yang NOT mengungsi", "(-mengungsi)",   "siapa AND NOT mengungsi",
        "( -mengungsi )",     "-mengungsi yang"};
    size_t k;
    for (k = 0; k < sizeof alone / sizeof *alone; k++) {
      r = search(alone[k], NULL, 0);
      ck_assert_msg(r->count == 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 2, "%s: %zu", alone[k], r->count);
      ck_assert_ptr_null(listed(r, "erupsi", 2));
      ck_assert_ptr_null(listed(r, "ungsi", 1));
      tl_results_free(r);
    }
    r = search("-mengungsi -polisi", NULL, 0);
    ck_assert_uint_eq(r->count, 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 3);
    ck_assert_ptr_null(listed(r, "erupsi", 3));
    tl_results_free(r);
    /* a phrase excluded alone: every passage but the one holding it */
    for (k = 0; k < 3; k++) {
      const char *phrase[] = {"-\"warga desa\"", "yang -\"warga desa\"", "(-\"warga desa\")"};
      r = search(phrase[k], NULL, 0);
      ck_assert_msg(r->count == 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 1, "%s: %zu", phrase[k],
                    r->count);
      ck_assert_ptr_null(listed(r, "erupsi", 2));
      ck_assert_ptr_nonnull(listed(r, "ungsi", 1));
      tl_results_free(r);
    }
  }
  /* an excluded word leaves out its derived forms in the exact forms'
   * branch too: "ditutup" is excluded by "-tutup" */
  r = search("desa -tutup", NULL, 0);
  ck_assert_uint_eq(r->count, 2);
  ck_assert_ptr_nonnull(listed(r, "erupsi", 2));
  ck_assert_ptr_nonnull(listed(r, "ungsi", 1));
  tl_results_free(r);
  /* NEAR and ADJ beside a word led by '-' are refused, not searched as if
   * the word were wanted; NOT before a NEAR excludes the NEAR */
  {
    const char *refused[] = {"desa NEAR -polisi", "-polisi ADJ desa",
                             "desa NEAR/3 -\"warga desa\""};
    tl_searcher_options so;
    tl_searcher *sr;
    tl_rank_params p;
    tl_error err;
    size_t k;
    memset(&so, 0, sizeof so);
    so.data_dir = tu_source_dir();
    tl_rank_params_default(&p);
    ck_assert_msg(tl_searcher_open(db, &so, &p, &sr, &err) == TL_OK, "%s", err.msg);
    for (k = 0; k < sizeof refused / sizeof *refused; k++) {
      r = NULL;
      ck_assert_int_eq(tl_search(sr, refused[k], 0, 10, 0, &r, &err), TL_ERR_USAGE);
      ck_assert_ptr_null(r);
      ck_assert_msg(strstr(err.msg, "beside an excluded word"), "%s", err.msg);
    }
    /* operators Xapian's parser cannot read together are refused, not
     * read again as plain words ("-mengungsi AND desa" would search the
     * words "mengungsi", "and" and "desa") */
    {
      const char *unread[] = {"-mengungsi AND desa",
                              "desa OR -mengungsi",
                              "desa (-mengungsi)",
                              "desa -mengungsi OR polisi",
                              "NOT(mengungsi)",
                              "desa NEAR NOT polisi",
                              "(-mengungsi AND desa)",
                              "desa NEAR (-polisi)",
                              "desa AND -(mengungsi OR x)",
                              "desa NOT -polisi",
                              "desa OR polisi -mengungsi",
                              "desa NOT polisi OR lahar",
                              "desa NEAR polisi*",
                              "title:lahar NEAR desa",
                              "desa NEAR",
                              "desa NEAR NEAR polisi",
                              "desa NEAR (polisi)",
                              "title:",
                              "title:-",
                              "-date:",
                              "title:\"\"",
                              "title:\"",
                              "title:\" \"",
                              "date:\"\"",
                              "topik:",
                              "topik:\"\"",
                              "-topik:\"\"",
                              "date:..",
                              "desa date:.."};
      for (k = 0; k < sizeof unread / sizeof *unread; k++) {
        r = NULL;
        ck_assert_msg(tl_search(sr, unread[k], 0, 10, 0, &r, &err) == TL_ERR_USAGE, "%s: %s",
                      unread[k], r ? hits(r) : "");
        ck_assert_ptr_null(r);
      }
    }
    tl_searcher_close(sr);
    /* what the parser would stumble on is read as a person means it: a
     * ')' without its '(', a dash alone, a clitic after a bracket, a
     * quote left open, a NOT in brackets beside words, a word in capitals */
    {
      static const char *const same[][2] = {
          {"desa -mengungsi)", "desa -mengungsi"},
          {"desa) -mengungsi", "desa -mengungsi"},
          {"desa -- polisi", "desa polisi"},
          {"desa - polisi", "desa polisi"},
          {"(desa)-nya polisi", "desa polisi"},
          {"title:\"banjir lahar", "title:\"banjir lahar\""},
          {"\"warga desa", "\"warga desa\""},
          {"(NOT mengungsi) desa", "desa -mengungsi"},
          {"desa (NOT mengungsi) polisi", "(desa polisi) -mengungsi"},
          {"DESA -MENGUNGSI", "desa -mengungsi"},
          {"DITUTUP", "ditutup"},
          {"(desa OR polisi) -mengungsi", "(polisi OR desa) NOT mengungsi"},
          {"desa-nya -mengungsi", "desa -mengungsi"},
          {"desa title:", "desa"},
          {"desa title:\"\"", "desa"},
          {"title:\" \" desa", "desa"},
          {"desa topik:", "desa"},
          {"desa topik:\"", "desa"}};
      char expected[4096];
      for (k = 0; k < sizeof same / sizeof *same; k++) {
        r = search(same[k][1], NULL, 0);
        ck_assert_uint_gt(r->count, 0);
        snprintf(expected, sizeof expected, "%s", hits(r));
        tl_results_free(r);
        r = search(same[k][0], NULL, 0);
        ck_assert_msg(strcmp(hits(r), expected) == 0, "%s: %s, expected %s", same[k][0], hits(r),
                      expected);
        tl_results_free(r);
      }
    }
    /* a keyword field with a value filters; "field:" names no field
     * unless the index holds it: "merapi:" is the word */
    r = search("desa topik:bencana", NULL, 0);
    ck_assert_uint_eq(r->count, 2);
    ck_assert_ptr_nonnull(listed(r, "erupsi", 2));
    ck_assert_ptr_nonnull(listed(r, "erupsi", 3));
    tl_results_free(r);
    r = search("merapi:", NULL, 0);
    ck_assert_uint_eq(r->count, 2);
    ck_assert_ptr_nonnull(listed(r, "erupsi", 1));
    ck_assert_ptr_nonnull(listed(r, "ungsi", 1));
    tl_results_free(r);
    /* a word typed over and over counts three times at most: as many
     * copies rank as three do (a pasted run of one word or acronym made
     * Xapian's matcher work for minutes) */
    {
      char many[1024], expected[4096];
      double three;
      size_t k, at = 0;
      for (k = 0; k < 100; k++)
        at += (size_t)snprintf(many + at, sizeof many - at, "desa ");
      snprintf(many + at, sizeof many - at, "polisi");
      r = search("desa polisi desa desa", NULL, 0);
      ck_assert_uint_gt(r->count, 0);
      three = r->items[0].score;
      snprintf(expected, sizeof expected, "%s", hits(r));
      tl_results_free(r);
      r = search(many, NULL, 0);
      ck_assert_str_eq(hits(r), expected);
      ck_assert_double_eq_tol(r->items[0].score, three, 1e-9);
      tl_results_free(r);
      r = search("desa polisi desa", NULL, 0);
      ck_assert_double_gt(three, r->items[0].score); /* the third copy still counts */
      tl_results_free(r);
    }
    /* '+' on a word alone is the word */
    r = search("+desa", NULL, 0);
    ck_assert_uint_eq(r->count, 3);
    tl_results_free(r);
    /* a field excluded: led by '-', with a quoted value, or the '-' after
     * the colon; a stopword excluded on its own is excluded too */
    {
      const char *title[] = {"-title:lahar", "title:-lahar", "-title:\"banjir lahar\"",
                             "yang -title:\"banjir lahar\""};
      for (k = 0; k < sizeof title / sizeof *title; k++) {
        r = search(title[k], NULL, 0);
        ck_assert_msg(r->count == 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 3, "%s: %zu", title[k],
                      r->count);
        ck_assert_ptr_null(listed(r, "erupsi", 1));
        tl_results_free(r);
      }
      r = search("desa -title:\"banjir lahar\"", NULL, 0);
      ck_assert_str_eq(hits(r), "ungsi#1");
      tl_results_free(r);
      r = search("-mengungsi -ini", NULL, 0);
      ck_assert_uint_eq(r->count, 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 3);
      ck_assert_ptr_null(listed(r, "erupsi", 1));
      tl_results_free(r);
    }
    r = search("NOT desa NEAR polisi", NULL, 0);
    ck_assert_uint_eq(r->count, 3 + 1 + LONG_PARAGRAPHS + 2 + 2 - 1);
    ck_assert_ptr_null(listed(r, "erupsi", 3));
    tl_results_free(r);
  }
  /* an excluded word adds nothing through the title: "banjir" is in
   * erupsi's title alone, so "desa -banjir" scores its passages as "desa" */
  {
    tl_results *plain = search("desa", NULL, 0);
    const tl_result *a, *b;
    r = search("desa -banjir", NULL, 0);
    ck_assert_uint_eq(r->count, plain->count);
    ck_assert_ptr_nonnull(a = listed(r, "erupsi", 2));
    ck_assert_ptr_nonnull(b = listed(plain, "erupsi", 2));
    ck_assert_double_eq_tol(a->score, b->score, 1e-9);
    tl_results_free(plain);
    tl_results_free(r);
  }
  r = search("desa NOT polisi", NULL, 0);
  ck_assert_uint_eq(r->count, 2);
  ck_assert_ptr_nonnull(listed(r, "erupsi", 2));
  ck_assert_ptr_nonnull(listed(r, "ungsi", 1));
  ck_assert_uint_eq(r->passages_matched, 2);
  tl_results_free(r);
  /* a phrase or NEAR never runs from one passage into the next */
  r = search("\"ini warga\"", NULL, 0);
  ck_assert_uint_eq(r->count, 0);
  ck_assert_uint_eq(r->passages_matched, 0);
  tl_results_free(r);
  r = search("meletus NEAR warga", NULL, 0);
  ck_assert_uint_eq(r->count, 0);
  tl_results_free(r);
  r = search("\"warga desa mengungsi\"", NULL, 0);
  ck_assert_str_eq(hits(r), "erupsi#2");
  tl_results_free(r);
  /* the title is every passage's */
  r = search("title:lahar", NULL, 0);
  ck_assert_uint_eq(r->count, 3);
  ck_assert_uint_eq(r->passages_matched, 3);
  ck_assert_uint_eq(r->articles_matched, 1);
  tl_results_free(r);
  r = search("title:lahar AND polisi", NULL, 0);
  ck_assert_str_eq(hits(r), "erupsi#3");
  tl_results_free(r);
}
END_TEST

START_TEST(each_hit_its_own_passage) {
  tl_results *r;
  const tl_result *h;
  char want[128];
  build();
  r = search("jalan ditutup", NULL, 0);
  ck_assert_str_eq(hits(r), "erupsi#3");
  ck_assert_str_eq(r->items[0].text, "Jalan desa ditutup polisi.");
  ck_assert_str_eq(r->items[0].title, "Laporan banjir lahar");
  tl_results_free(r);
  /* a passage of the long article's third chunk, with its own record */
  r = search("kuda", NULL, 0);
  ck_assert_uint_eq(r->count, 1);
  h = listed(r, "panjang", RARE_PARAGRAPH);
  ck_assert_ptr_nonnull(h);
  snprintf(want, sizeof want, "Paragraf %d bercerita tentang kuda di ladang.", RARE_PARAGRAPH);
  ck_assert_str_eq(h->text, want);
  ck_assert_str_eq(h->title, "Catatan harian");
  tl_results_free(r);
  /* every passage of every chunk */
  r = search("sapi", NULL, 0);
  ck_assert_uint_eq(r->count, LONG_PARAGRAPHS - 1);
  ck_assert_uint_eq(r->passages_matched, LONG_PARAGRAPHS - 1);
  ck_assert_uint_eq(r->articles_matched, 1);
  ck_assert_ptr_nonnull(listed(r, "panjang", 1));
  ck_assert_ptr_nonnull(listed(r, "panjang", 64));
  ck_assert_ptr_nonnull(listed(r, "panjang", 65));
  ck_assert_ptr_nonnull(listed(r, "panjang", LONG_PARAGRAPHS));
  ck_assert_ptr_null(listed(r, "panjang", RARE_PARAGRAPH));
  tl_results_free(r);
}
END_TEST

/* The sum of the "name=weight" parts of an explanation. */
static double parts_sum(const char *ex, int *has_context) {
  double sum = 0;
  const char *p = ex;
  *has_context = strstr(ex, "(context)=") != NULL;
  while ((p = strchr(p, '=')) != NULL)
    sum += strtod(++p, NULL);
  return sum;
}

START_TEST(context_weighs_the_article) {
  tl_results *r;
  tl_rank_params p;
  int ctx;
  build();
  tl_rank_params_default(&p);
  p.rerank_depth = 0;
  p.article_weight = 0;
  /* without context, the two first passages tie (by article id) */
  p.context_weight = 0;
  r = search("harga cabai", &p, 1);
  ck_assert_uint_ge(r->count, 3);
  ck_assert_str_eq(r->items[0].text, "Harga cabai naik tajam.");
  ck_assert_str_eq(r->items[1].text, "Harga cabai naik tajam.");
  ck_assert_double_eq_tol(r->items[0].score, r->items[1].score, 1e-9);
  ck_assert_str_eq(r->items[0].article_id, "ramai");
  ck_assert_double_eq_tol(parts_sum(r->items[0].explain, &ctx), r->items[0].score, 1e-3);
  ck_assert_int_eq(ctx, 0);
  tl_results_free(r);
  /* with it, the passage of the article about the query ranks above its
   * twin, and explain shows the part */
  p.context_weight = 0.8;
  r = search("harga cabai", &p, 1);
  ck_assert_str_eq(r->items[0].article_id, "ramai");
  ck_assert_uint_eq(r->items[0].passage, 1);
  ck_assert_ptr_nonnull(listed(r, "sepi", 1));
  ck_assert_ptr_nonnull(listed(r, "ramai", 1));
  ck_assert(listed(r, "ramai", 1)->score > listed(r, "sepi", 1)->score + 1e-6);
  ck_assert_double_eq_tol(parts_sum(r->items[0].explain, &ctx), r->items[0].score, 1e-3);
  ck_assert_int_eq(ctx, 1);
  tl_results_free(r);
}
END_TEST

/* Builds an index of MANY articles of three passages ("banjir" in the
 * second, "hujan" in the third; titles "sungai" and "kota" in turn) and
 * SINGLE of one passage with both words: past 128 documents of several
 * passages, passages are counted in a sample of them. */
#define MANY 300
#define SINGLE 50
static void build_many(void) {
  char path[1024];
  FILE *f;
  int i;
  f = new_collection("many.jsonl", path, sizeof path);
  for (i = 0; i < MANY; i++)
    fprintf(
        f,
        "{\"id\":\"m%d\",\"title\":\"Berita %s\",\"text\":\"Paragraf pembuka nomor %d tentang air."
        "\\n\\nAir banjir naik.\\n\\nTurun hujan deras.\"}\n",
        i, i % 2 ? "kota" : "sungai", i);
  for (i = 0; i < SINGLE; i++)
    fprintf(f, "{\"id\":\"s%d\",\"title\":\"Kabar\",\"text\":\"Banjir karena hujan %d.\"}\n", i, i);
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 3 * MANY + SINGLE);
}

START_TEST(many_matches_counted) {
  /* estimated: -1 where either answer is right */
  static const struct {
    const char *query;
    int estimated;
    unsigned long articles, passages;
  } cases[] = {
      /* a word: articles exact, passages estimated from a sample (every
       * article has it in one passage of three: the estimate is exact) */
      {"banjir", 1, MANY + SINGLE, MANY + SINGLE},
      {"banjir OR hujan", 1, MANY + SINGLE, 2 * MANY + SINGLE},
      /* NOT of a title word leaves out whole articles: still by documents */
      {"banjir NOT title:sungai", 1, MANY / 2 + SINGLE, MANY / 2 + SINGLE},
      /* both words in one passage: every passage matched, exactly */
      {"banjir AND hujan", 0, SINGLE, SINGLE},
      {"banjir NOT hujan", 0, MANY, MANY},
      /* exact phrases, from the sampled documents' positions: in one
       * passage of three of every article of several passages ("air"
       * alone in another) */
      {"\"air banjir\"", 1, MANY, MANY},
      {"\"banjir naik\" OR \"hujan deras\"", 1, MANY, 2 * MANY},
      {"\"naik turun\"", -1, 0, 0},
      /* few documents of several passages: exact */
      {"pembuka AND nomor AND 7", 0, 1, 1},
  };
  size_t i;
  build_many();
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_results *r = search(cases[i].query, NULL, 0);
    if (cases[i].estimated >= 0)
      ck_assert_msg(r->passages_estimated == cases[i].estimated, "%s: estimated %d", cases[i].query,
                    r->passages_estimated);
    ck_assert_msg(r->articles_matched == cases[i].articles &&
                      r->passages_matched == cases[i].passages,
                  "%s: %lu articles, %lu passages; want %lu, %lu", cases[i].query,
                  r->articles_matched, r->passages_matched, cases[i].articles, cases[i].passages);
    tl_results_free(r);
  }
}
END_TEST

/* Exact phrases (quoted, or a hyphenated word) are matched in each passage
 * from its words' positions: in order and one after another, a word
 * repeated at two positions, an open compound among other words, never
 * across passages, and with the other operators as for single words. */
START_TEST(phrases_from_positions) {
  char path[1024];
  FILE *f;
  static const struct {
    const char *query, *hits;
  } cases[] = {
      {"\"kerja sama\"", "frasa#1"},
      /* an open compound inside a longer phrase: its parts' positions */
      {"\"kerja sama bilateral\"", "frasa#1"},
      {"\"kerja sama bilateral kedua\" AND negara", "frasa#1"},
      {"\"sama kerja\"", ""},
      {"\"dan dan\"", "frasa#3"},
      {"\"dan kerja keras\"", "frasa#3"},
      {"non-profit", "frasa#4"},
      {"\"profit non\"", ""},
      {"\"bilateral kedua negara sejak\"", ""},
      {"\"kerja sama\" AND negara", "frasa#1"},
      {"\"kerja sama\" AND keras", ""},
      {"\"kerja sama\" -negara", ""},
      {"\"kerja sama\" OR \"kerja keras\"", "frasa#1 frasa#3"},
      {"title:\"catatan rapat\" AND lembaga", "frasa#4"},
  };
  size_t i;
  f = new_collection("frasa.jsonl", path, sizeof path);
  fputs("{\"id\":\"frasa\",\"title\":\"Catatan rapat\",\"text\":\"Kerja sama bilateral "
        "kedua negara.\\n\\nSejak itu sama sekali tidak ada kerja.\\n\\nDan dan dan kerja keras."
        "\\n\\nLembaga non-profit membantu.\"}\n",
        f);
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 4);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_results *r = search(cases[i].query, NULL, 0);
    size_t n = 0, k;
    /* the hits in passage order, and as many counted */
    for (k = 0; cases[i].hits[k]; k++)
      n += cases[i].hits[k] == '#';
    ck_assert_msg(r->count == n && r->passages_matched == n, "%s: %zu hits (%s), %lu counted",
                  cases[i].query, r->count, hits(r), r->passages_matched);
    for (k = 1; k <= 4; k++) {
      char want[32];
      snprintf(want, sizeof want, "frasa#%zu", k);
      ck_assert_msg((strstr(cases[i].hits, want) != NULL) ==
                        (listed(r, "frasa", (unsigned)k) != NULL),
                    "%s: %s", cases[i].query, hits(r));
    }
    tl_results_free(r);
  }
}
END_TEST

/* A stem equal to its word form is not written (schema.h, version 6): the
 * query searches the stem with the word form, so that every form of the
 * word is found, in the text and the title, and counted as before. */
START_TEST(stems_searched_with_word_forms) {
  /* the first article holding each term ("": none) */
  static const struct {
    const char *term, *article;
  } held[] = {{"Zungsi", "a"}, {"ungsi", "a"}, {"Zdesa", ""}, {"ZSungsi", "a"}, {"Sungsi", "b"}};
  size_t i;
  char path[1024], *v = NULL;
  FILE *f;
  tl_results *r;
  tl_store *st;
  tl_error err;
  const tl_result *two, *three;
  f = new_collection("ungsi.jsonl", path, sizeof path);
  fputs("{\"id\":\"a\",\"title\":\"Warga mengungsi\",\"text\":\"Warga mengungsi ke balai "
        "desa.\\n\\nUngsi dulu, kata kepala desa.\\n\\nPengungsian berlangsung, warga ungsi "
        "lagi lalu mengungsi.\\n\\nJalan desa ditutup.\"}\n",
        f);
  fputs("{\"id\":\"b\",\"title\":\"Ungsi\",\"text\":\"Harga cabai naik.\"}\n", f);
  fputs("{\"id\":\"c\",\"title\":\"Kabar\",\"text\":\"Ungsi saja.\"}\n", f);
  ck_assert_int_eq(fclose(f), 0);
  index_file(path, 6);
  /* the stem term where a word differs from its stem, none where not */
  ck_assert_msg(tl_store_open(db, TL_STORE_READ, &st, &err) == TL_OK, "%s", err.msg);
  for (i = 0; i < sizeof held / sizeof *held; i++) {
    ck_assert_int_eq(
        tl_store_first_value(st, held[i].term, strlen(held[i].term), TL_SLOT_ARTICLE_ID, &v, &err),
        TL_OK);
    ck_assert_msg(strcmp(v, held[i].article) == 0, "%s: '%s'", held[i].term, v);
    free(v);
  }
  tl_store_close(st);

  /* every form found and counted: a#1 mengungsi, a#2 Ungsi, a#3
   * Pengungsian, ungsi and mengungsi, c#1 Ungsi */
  r = search("ungsi", NULL, 0);
  ck_assert_msg(r->passages_matched == 4 && r->articles_matched == 2, "%lu passages, %lu articles",
                r->passages_matched, r->articles_matched);
  tl_results_free(r);
  {
    /* the stem alone weighs: its wdf in a#3 is its three forms' */
    tl_rank_params p;
    tl_rank_params_default(&p);
    p.rerank_depth = 0;
    p.context_weight = 0;
    p.article_weight = 0;
    p.title_weight = 0;
    p.exact_weight = 0;
    r = search("mengungsi", &p, 1);
  }
  ck_assert_uint_eq(r->count, 4);
  ck_assert_str_eq(r->items[0].article_id, "a");
  ck_assert_uint_eq(r->items[0].passage, 3);
  two = listed(r, "a", 1);
  three = listed(r, "a", 3);
  ck_assert_ptr_nonnull(two);
  ck_assert_ptr_nonnull(three);
  /* the one part of each score, the stem's */
  ck_assert_msg(strncmp(three->explain, "Zungsi=", 7) == 0 && !strchr(three->explain, ' '), "%s",
                three->explain);
  ck_assert_msg(strncmp(two->explain, "Zungsi=", 7) == 0 && !strchr(two->explain, ' '), "%s",
                two->explain);
  /* BM25 (k1 0.6, b 0.75) of wdf 3 in a#3 (length 18) over wdf 1 in a#1
   * (14), mean length 70 / 6: 1.32; with wdf 2 it would be 1.19 */
  ck_assert_double_gt(three->score, 1.25 * two->score);
  tl_results_free(r);
  /* the title's stem, with and without a stem term */
  r = search("title:ungsi", NULL, 0);
  ck_assert_uint_eq(r->articles_matched, 2);
  ck_assert_ptr_nonnull(listed(r, "b", 1));
  tl_results_free(r);
  /* a phrase of word forms is still exact */
  r = search("\"warga ungsi\"", NULL, 0);
  ck_assert_str_eq(hits(r), "a#3");
  tl_results_free(r);
}
END_TEST

static Suite *passages_suite(void) {
  Suite *s = suite_create("passages");
  TCase *tc = tcase_create("passages");
  tcase_add_checked_fixture(tc, NULL, tu_dir_teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, operators_within_a_passage);
  tcase_add_test(tc, each_hit_its_own_passage);
  tcase_add_test(tc, context_weighs_the_article);
  tcase_add_test(tc, many_matches_counted);
  tcase_add_test(tc, phrases_from_positions);
  tcase_add_test(tc, stems_searched_with_word_forms);
  tcase_add_test(tc, pages_join_up);
  tcase_add_test(tc, snippet_of_long_words);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(passages_suite());
}
