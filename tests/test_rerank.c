/* test_rerank.c - the reranker's features on hand-made queries and
 * passages, its order, and reranking in tl_search. */
#include "index/schema.h"
#include "search/rerank.h"
#include "telusur/analysis.h"
#include "telusur/error.h"
#include "telusur/search.h"
#include "testutil.h"
#include "xapian/store.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tl_analyzer *analyzer, *questions;

static void analyzers_setup(void) {
  tl_analyzer_options ao;
  tl_error err;
  memset(&ao, 0, sizeof ao);
  ao.data_dir = tu_source_dir();
  ck_assert_int_eq(tl_analyzer_create(&ao, &analyzer, &err), TL_OK);
  ao.stemmer = "none";
  ao.stopwords = "questions.txt";
  ck_assert_int_eq(tl_analyzer_create(&ao, &questions, &err), TL_OK);
}

static void analyzers_teardown(void) {
  tl_analyzer_free(analyzer);
  tl_analyzer_free(questions);
}

/* Document frequencies of a collection of 100 passages. */
static int fake_df(void *ctx, const char *term, size_t len, unsigned long *df, tl_error *err) {
  static const struct {
    const char *term;
    unsigned long df;
  } dfs[] = {{"presiden", 10}, {"pertama", 30}, {"indonesia", 50}};
  size_t i;
  (void)ctx;
  (void)err;
  if (len > 0 && term[0] == TL_PREFIX_STEM[0]) { /* stems: as their word forms here */
    term++;
    len--;
  }
  *df = 5;
  for (i = 0; i < sizeof dfs / sizeof *dfs; i++)
    if (strlen(dfs[i].term) == len && memcmp(dfs[i].term, term, len) == 0)
      *df = dfs[i].df;
  return TL_OK;
}

static double idf(double df) {
  return log(1 + (100 - df + 0.5) / (df + 0.5));
}

static size_t feature(const char *name) {
  size_t i;
  for (i = 0; i < TL_RERANK_FEATURES; i++)
    if (strcmp(tl_rerank_feature_name(i), name) == 0)
      return i;
  ck_abort_msg("no feature %s", name);
  return 0;
}

#define X(row, name) (x[(row)*TL_RERANK_FEATURES + feature(name)])
#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) < 1e-6, "%s = %.9f, expected %.9f", #a, (a), (b))

static const char *const passage_b =
    "Indonesia memiliki presiden. Pertama kali pemilihan umum diadakan pada 1955.";
static const char *const passage_a =
    "Soekarno adalah presiden pertama Indonesia yang lahir di Surabaya.";

/* Runs the reranker over texts (in first-stage order, scores 10, 9.9,
 * ...; the first twice the mean length, the others of mean length). */
static void rerank(const double *weights, const char *query, const char *const *texts, size_t n,
                   double *x, double *scores, size_t *order) {
  tl_rerank_collection coll = {100, 50.0, fake_df, NULL};
  tl_rerank_candidate c[8];
  tl_reranker *r;
  tl_query *q;
  tl_error err;
  size_t i;
  memset(c, 0, sizeof c);
  for (i = 0; i < n; i++) {
    c[i].text = texts[i];
    c[i].len = strlen(texts[i]);
    c[i].score = 10.0 - 0.1 * (double)i;
    c[i].rank = (unsigned)i + 1;
    c[i].length = i == 0 ? 100.0 : 50.0;
  }
  ck_assert_int_eq(tl_reranker_create(analyzer, questions, weights, &r, &err), TL_OK);
  ck_assert_int_eq(tl_query_parse(analyzer, questions, query, &q, &err), TL_OK);
  ck_assert_msg(tl_rerank(r, q, &coll, c, n, x, scores, order, &err) == TL_OK, "%s", err.msg);
  tl_query_free(q);
  tl_reranker_free(r);
}

/*
 * "Siapa presiden pertama Indonesia?": query terms presiden, pertama,
 * indonesia (siapa is a question word); it asks for a person.
 * Passage B (first stage 1st): Indonesia(1) memiliki(2) presiden(3).
 * Pertama(4) kali(5) pemilihan(6) umum(7) diadakan(8) pada(9) 1955(10).
 * Passage A (2nd): Soekarno(1) adalah(2) presiden(3) pertama(4)
 * Indonesia(5) yang(6) lahir(7) di(8) Surabaya(9).
 */
START_TEST(features_by_hand) {
  const char *texts[2] = {passage_b, passage_a};
  double x[2 * TL_RERANK_FEATURES], s[2];
  double ip = idf(10), i1 = idf(30), ii = idf(50), tot = ip + i1 + ii;
  size_t order[2];
  rerank(NULL, "Siapa presiden pertama Indonesia?", texts, 2, x, s, order);
  /* first stage */
  NEAR(X(0, "bm25n"), 1.0);
  NEAR(X(1, "bm25n"), 0.99);
  NEAR(X(0, "logrank"), 0.0);
  NEAR(X(1, "logrank"), -log(2) / log(100));
  /* BM25 (k1 0.6, b 0.75), tf 1 each: A of mean length weighs sum(idf);
   * B, twice the mean, sum(idf) * 1.6 / (1 + 0.6 * 1.75); / the max */
  NEAR(X(1, "bm25s_n"), 1.0);
  NEAR(X(0, "bm25s_n"), 1.6 / (1 + 0.6 * 1.75));
  NEAR(X(0, "bm25e_n"), 1.6 / (1 + 0.6 * 1.75));
  /* coverage: every term in both */
  NEAR(X(0, "cov"), 1.0);
  NEAR(X(0, "idfcov"), 1.0);
  NEAR(X(0, "missing"), 0.0);
  NEAR(X(0, "rarest"), 1.0);
  /* pairs (presiden, pertama), (pertama, indonesia): A has both next to
   * each other; B has presiden-pertama (3, 4) and pertama near indonesia */
  NEAR(X(1, "bigram"), 1.0);
  NEAR(X(0, "bigram"), 0.5);
  NEAR(X(0, "win8"), 1.0);
  NEAR(X(1, "span"), 1.0);       /* 3 terms in 3 positions */
  NEAR(X(0, "span"), 3.0 / 4.0); /* positions 1, 3, 4 */
  /* B's sentences: {indonesia, presiden} and {pertama} */
  NEAR(X(1, "sentcov"), 1.0);
  NEAR(X(0, "sentcov"), (ip + ii) / tot);
  /* answer type person: A has Surabaya (capitalised, not first in its
   * sentence) 4 positions after Indonesia; B's capitals open sentences
   * or are query words, but 1955 (number, year) is 6 after pertama */
  NEAR(X(1, "at_person_cap"), 1.0);
  NEAR(X(1, "cap_near"), 1.0);
  NEAR(X(1, "num_near"), 0.0);
  NEAR(X(0, "at_person_cap"), 0.0);
  NEAR(X(0, "cap_near"), 0.0);
  NEAR(X(0, "num_near"), 1.0);
  NEAR(X(0, "year_near"), 1.0);
  NEAR(X(0, "at_time_year"), 0.0);
  NEAR(X(0, "at_number_num"), 0.0);
  /* lead: all terms within the first 8 words in both */
  NEAR(X(1, "lead8"), 1.0);
  NEAR(X(1, "firstmatch"), 1.0 / 3.0);
  NEAR(X(0, "firstmatch"), 1.0);
  NEAR(X(1, "loglen"), log(10));
  NEAR(X(0, "loglen"), log(11));
  /* adalah (2) comes before A's first match: no definition cue */
  NEAR(X(1, "defcue"), 0.0);
  /* verbatim: "presiden pertama indonesia" in A; "presiden. Pertama" in B */
  NEAR(X(1, "lcsub"), 1.0);
  NEAR(X(1, "exbigram"), 1.0);
  NEAR(X(0, "lcsub"), 2.0 / 3.0);
  NEAR(X(0, "exbigram"), 0.5);
  /* the score is the weighted sum; the trained model puts A first */
  ck_assert_uint_eq(order[0], 1);
  ck_assert_uint_eq(order[1], 0);
  ck_assert(s[1] > s[0]);
}
END_TEST

/* Lead position and the definition cue: the matched words open the
 * passage, before "adalah". */
START_TEST(lead_and_definition) {
  const char *texts[2] = {
      "Sejarah kota ini panjang dan berliku sejak zaman kolonial Belanda, dan presiden "
      "pertama lahir di sana.",
      "Presiden pertama adalah kepala negara yang pertama kali menjabat."};
  double x[2 * TL_RERANK_FEATURES], s[2];
  double ip = idf(10), i1 = idf(30), ii = idf(50);
  size_t order[2];
  rerank(NULL, "presiden pertama Indonesia", texts, 2, x, s, order);
  /* the second: presiden at 1, pertama at 2 (and 8): lead8 counts both */
  NEAR(X(1, "lead8"), (ip + i1) / (ip + i1 + ii));
  NEAR(X(1, "firstmatch"), 1.0);
  NEAR(X(1, "defcue"), 1.0);
  NEAR(X(1, "at_other_def"), 1.0); /* no question word: answer type other */
  NEAR(X(1, "cov"), 2.0 / 3.0);
  NEAR(X(1, "missing"), 1.0);
  NEAR(X(1, "rarest"), 1.0); /* presiden has the highest idf */
  /* the first: presiden at 12, pertama at 13 */
  NEAR(X(0, "lead8"), 0.0);
  NEAR(X(0, "firstmatch"), 1.0 / 12.0);
  NEAR(X(0, "defcue"), 0.0);
  NEAR(X(0, "bigram"), 1.0 / 2.0);
  ck_assert_uint_eq(order[0], 1);
}
END_TEST

/* Time and number questions: a year and a month name, a number, near
 * the matched words. */
START_TEST(answer_types) {
  const char *when[2] = {"Soekarno lahir di Blitar.", "Soekarno lahir pada 6 Juni 1901 di Blitar."};
  const char *howmany[1] = {"Penduduk Jakarta berjumlah 10 juta jiwa."};
  double x[2 * TL_RERANK_FEATURES], s[2];
  size_t order[2];
  rerank(NULL, "Kapan Soekarno lahir?", when, 2, x, s, order);
  NEAR(X(0, "at_time_year"), 0.0);
  NEAR(X(0, "cap_near"), 1.0); /* Blitar */
  NEAR(X(0, "at_person_cap"), 0.0);
  NEAR(X(1, "at_time_year"), 1.0);
  NEAR(X(1, "at_time_month"), 1.0);
  NEAR(X(1, "num_near"), 1.0);
  NEAR(X(1, "at_number_num"), 0.0);
  ck_assert_uint_eq(order[0], 1); /* the passage with the date first */
  rerank(NULL, "Berapa jumlah penduduk Jakarta?", howmany, 1, x, s, order);
  NEAR(X(0, "at_number_num"), 1.0);
  NEAR(X(0, "at_time_year"), 0.0);
}
END_TEST

/* The features of the second set: a number before a query term, a
 * day/month date or weekday, the noun before "apakah" followed by a name, a
 * term before "adalah", what is asked in the best sentence. */
START_TEST(sentence_and_answer_cues) {
  const char *seats[2] = {"Saat ini di Bundestag, FDP memiliki 47 kursi. Partai itu kecil.",
                          "Kursi di Bundestag dibagi. FDP ada di sana sejak 1949."};
  const char *when[2] = {"Jumpa pers konser digelar di Jakarta, Rabu (21/9) lalu.",
                         "Jumpa pers konser digelar di Jakarta."};
  const char *party[2] = {"Ayman Nour adalah kandidat dari Partai Al Ghad.",
                          "Ayman Nour, kandidat dari partai oposisi, kalah."};
  const char *where[1] = {"Jimbaran terletak di provinsi Bali."};
  double x[2 * TL_RERANK_FEATURES], s[2];
  size_t order[2];
  rerank(NULL, "Berapakah kursi yang dimiliki FDP di Bundestag?", seats, 2, x, s, order);
  NEAR(X(0, "at_number_unit"), 1.0); /* 47 kursi */
  NEAR(X(1, "at_number_unit"), 0.0); /* 1949 is followed by no query term */
  NEAR(X(0, "at_sent"), 1.0);        /* 47 in the sentence of all the terms */
  NEAR(X(1, "at_sent"), 0.0);        /* 1949 is not in the first (best) sentence */
  NEAR(X(0, "at_time_date"), 0.0);
  NEAR(X(0, "typed_cap"), 0.0);
  NEAR(X(0, "defterm"), 0.0);
  /* a time question: Rabu and 21/9 near the matches in the first */
  rerank(NULL, "Kapan jumpa pers konser digelar?", when, 2, x, s, order);
  NEAR(X(0, "at_time_date"), 1.0);
  NEAR(X(0, "at_sent"), 1.0);
  NEAR(X(1, "at_time_date"), 0.0);
  NEAR(X(1, "at_sent"), 0.0); /* Jakarta: a name, not a time */
  /* the noun before apakah: partai, followed by Al in the first only;
   * nour, a query term, before adalah */
  rerank(NULL, "Kandidat dari partai apakah Ayman Nour?", party, 2, x, s, order);
  NEAR(X(0, "typed_cap"), 1.0);
  NEAR(X(1, "typed_cap"), 0.0);
  NEAR(X(0, "defterm"), 1.0);
  NEAR(X(1, "defterm"), 0.0);
  NEAR(X(0, "at_sent"), 0.0); /* answer type other */
  /* di provinsi manakah: provinsi, then Bali; a place question */
  rerank(NULL, "Di provinsi manakah Jimbaran?", where, 1, x, s, order);
  NEAR(X(0, "typed_cap"), 1.0);
  NEAR(X(0, "at_sent"), 1.0);
  NEAR(X(0, "at_place_cap"), 1.0);
}
END_TEST

/* at_beside: what is asked directly after or before a run of matched
 * words, in one sentence, passing over one stopword at a time. */
START_TEST(answer_beside_run) {
  const char *minister[2] = {
      "Sumber dana, menurut Menteri Kesehatan Siti Fadilah Supari, berasal dari WHO.",
      "Menteri Kesehatan Indonesia bertemu Wakil Presiden."};
  const char *governor[2] = {"Kemarin Gubernur dari Papua Barnabas Suebu hadir.",
                             "Kemarin gubernur yang dari Papua, Barnabas, hadir."};
  const char *passengers[2] = {"Pesawat itu membawa 84 penumpang.",
                               "Pesawat itu jatuh pada 2005. Penumpang selamat."};
  double x[2 * TL_RERANK_FEATURES], s[2];
  double i5 = idf(5), ii = idf(50);
  size_t order[2];
  /* Siti after menteri kesehatan; in the second, Wakil follows bertemu */
  rerank(NULL, "Siapa Menteri Kesehatan Indonesia?", minister, 2, x, s, order);
  NEAR(X(0, "at_beside"), 2 * i5 / (2 * i5 + ii));
  NEAR(X(1, "at_beside"), 0.0);
  /* the stopword dari passed over; dari and yang, two in a row, are not */
  rerank(NULL, "Siapa gubernur dari Papua?", governor, 2, x, s, order);
  NEAR(X(0, "at_beside"), 1.0);
  NEAR(X(1, "at_beside"), 0.5);
  /* a number question: 84 before penumpang; 2005 ends its sentence */
  rerank(NULL, "Berapa penumpang pesawat itu?", passengers, 2, x, s, order);
  NEAR(X(0, "at_beside"), 0.5);
  NEAR(X(1, "at_beside"), 0.0);
}
END_TEST

static enum tl_answer_type answer_type(const char *words) {
  const char *w[16];
  size_t len[16], n = 0;
  char *copy = strdup(words), *save = NULL, *t;
  enum tl_answer_type at;
  for (t = strtok_r(copy, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save)) {
    w[n] = t;
    len[n++] = strlen(t);
  }
  at = tl_rerank_answer_type(w, len, n);
  free(copy);
  return at;
}

/* Only questions are reranked: a question word, or a final '?'. */
static int is_question(const char *query) {
  tl_query *q;
  tl_error err;
  int question;
  ck_assert_int_eq(tl_query_parse(analyzer, questions, query, &q, &err), TL_OK);
  question = q->question;
  tl_query_free(q);
  return question;
}

/* A huge passage is analyzed up to 32 KiB, cut back to a space: words past
 * it count for nothing, words before it as in any passage. */
START_TEST(huge_passage_prefix) {
  static const char filler[] = "kata ";
  static const char words[] = "presiden pertama Indonesia. ";
  size_t n = 7000 * (sizeof filler - 1) + sizeof words, i;
  char *late = malloc(n), *early = malloc(n);
  const char *texts[2];
  double x[2 * TL_RERANK_FEATURES], s[2];
  size_t order[2];
  ck_assert_ptr_nonnull(late);
  ck_assert_ptr_nonnull(early);
  memcpy(early, words, sizeof words - 1);
  for (i = 0; i < 7000; i++) {
    memcpy(late + i * (sizeof filler - 1), filler, sizeof filler - 1);
    memcpy(early + sizeof words - 1 + i * (sizeof filler - 1), filler, sizeof filler - 1);
  }
  memcpy(late + 7000 * (sizeof filler - 1), words, sizeof words);
  early[n - 1] = '\0';
  texts[0] = late;
  texts[1] = early;
  rerank(NULL, "Siapa presiden pertama Indonesia?", texts, 2, x, s, order);
  /* byte 32768 is inside the 6,554th "kata": 6,553 whole words are read */
  NEAR(X(0, "loglen"), log(1.0 + 6553));
  NEAR(X(0, "cov"), 0.0);
  NEAR(X(0, "missing"), 3.0);
  /* the three words and the first 6,548 fillers: 32,768 - 28 bytes */
  NEAR(X(1, "cov"), 1.0);
  NEAR(X(1, "loglen"), log(1.0 + 3 + 6548));
  free(late);
  free(early);
}
END_TEST

START_TEST(questions_only) {
  ck_assert_int_eq(is_question("Siapakah presiden pertama Indonesia"), 1);
  ck_assert_int_eq(is_question("presiden pertama Indonesia itu siapa"), 1);
  ck_assert_int_eq(is_question("DIMANAKAH Danau Toba"), 1);
  ck_assert_int_eq(is_question("Danau Toba ada di provinsi mana"), 1);
  ck_assert_int_eq(is_question("presiden pertama Indonesia? "), 1);
  ck_assert_int_eq(is_question("presiden pertama Indonesia?!"), 1);
  ck_assert_int_eq(is_question("\"presiden pertama Indonesia?\""), 1);
  ck_assert_int_eq(is_question("presiden pertama Indonesia\xEF\xBC\x9F"), 1);
  ck_assert_int_eq(is_question("presiden pertama Indonesia!"), 0);
  ck_assert_int_eq(is_question("prinsip kerjasama internasional"), 0);
  ck_assert_int_eq(is_question("\"perdagangan bebas\" AND AFTA"), 0);
  ck_assert_int_eq(is_question(""), 0);
}
END_TEST

START_TEST(answer_type_table) {
  ck_assert_int_eq(answer_type("siapakah penemu telepon"), TL_ANSWER_PERSON);
  ck_assert_int_eq(answer_type("kapan perang dunia berakhir"), TL_ANSWER_TIME);
  ck_assert_int_eq(answer_type("pada tahun berapa candi borobudur dibangun"), TL_ANSWER_TIME);
  ck_assert_int_eq(answer_type("berapa jumlah provinsi"), TL_ANSWER_NUMBER);
  ck_assert_int_eq(answer_type("di mana ibu kota jepang"), TL_ANSWER_PLACE);
  ck_assert_int_eq(answer_type("dimanakah danau toba"), TL_ANSWER_PLACE);
  ck_assert_int_eq(answer_type("di provinsi manakah jimbaran"), TL_ANSWER_PLACE);
  ck_assert_int_eq(answer_type("dari negara mana dia"), TL_ANSWER_PLACE);
  ck_assert_int_eq(answer_type("di provinsi kota manakah"), TL_ANSWER_OTHER);
  ck_assert_int_eq(answer_type("apa itu fotosintesis"), TL_ANSWER_OTHER);
  ck_assert_int_eq(answer_type("mana yang lebih besar"), TL_ANSWER_OTHER);
  ck_assert_int_eq(answer_type(""), TL_ANSWER_OTHER);
}
END_TEST

/* Weights decide the order; equal scores keep the first-stage order. */
START_TEST(order_by_weights) {
  const char *texts[3] = {passage_b, passage_a, passage_b};
  double w[TL_RERANK_FEATURES], x[3 * TL_RERANK_FEATURES], s[3];
  size_t order[3];
  memset(w, 0, sizeof w);
  w[feature("bm25n")] = 1;
  rerank(w, "Siapa presiden pertama Indonesia?", texts, 3, x, s, order);
  ck_assert_uint_eq(order[0], 0);
  ck_assert_uint_eq(order[1], 1);
  ck_assert_uint_eq(order[2], 2);
  NEAR(s[1], 0.99);
  /* lcsub outweighs the 0.01 of bm25n: A moves up */
  w[feature("lcsub")] = 1;
  rerank(w, "Siapa presiden pertama Indonesia?", texts, 3, x, s, order);
  ck_assert_uint_eq(order[0], 1);
  ck_assert_uint_eq(order[1], 0);
  ck_assert_uint_eq(order[2], 2);
  NEAR(s[1], 0.99 + 1.0);
  /* all weights 0: every score 0, first-stage order kept */
  memset(w, 0, sizeof w);
  rerank(w, "Siapa presiden pertama Indonesia?", texts, 3, x, s, order);
  ck_assert_uint_eq(order[0], 0);
  ck_assert_uint_eq(order[1], 1);
  ck_assert_uint_eq(order[2], 2);
}
END_TEST

/* The feature table: TL_RERANK_FEATURES features, each with a unique name
 * fit for a TSV header and for bench/rerank-train.py's comma-separated
 * --use (letters, digits, '_'), a one-line definition, and a finite default
 * weight, bm25n's being 1 (the trainer's scale). */
START_TEST(feature_table) {
  tl_reranker *r;
  tl_error err;
  const double *w;
  size_t i, j, n = 0;
  ck_assert_int_eq(tl_reranker_create(analyzer, questions, NULL, &r, &err), TL_OK);
  w = tl_reranker_weights(r);
  while (tl_rerank_feature_name(n))
    n++;
  ck_assert_uint_eq(n, TL_RERANK_FEATURES);
  ck_assert_ptr_null(tl_rerank_feature_doc(TL_RERANK_FEATURES));
  for (i = 0; i < TL_RERANK_FEATURES; i++) {
    const char *name = tl_rerank_feature_name(i), *doc = tl_rerank_feature_doc(i);
    ck_assert_uint_gt(strlen(name), 0);
    ck_assert_uint_eq(strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(name));
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_gt(strlen(doc), 0);
    ck_assert_ptr_null(strchr(doc, '\n'));
    ck_assert(isfinite(w[i]));
    for (j = 0; j < i; j++)
      ck_assert_str_ne(tl_rerank_feature_name(j), name);
  }
  ck_assert_str_eq(tl_rerank_feature_name(0), "bm25n");
  ck_assert(w[0] == 1.0);
  tl_reranker_free(r);
}
END_TEST

/* Writes doc (len bytes of JSON Lines) to tu_dir/c.jsonl and indexes it
 * into tu_dir/db; path receives the index's path. */
static void index_doc(const char *doc, size_t len, char *path, size_t cap) {
  char *err_out = NULL;
  int rc;
  snprintf(path, cap, "%s/c.jsonl", tu_dir);
  ck_assert_int_eq(tu_write_file(path, doc, len), 0);
  rc = tu_runf(NULL, &err_out, "'%s/telusur-index' -q -d '%s/db' '%s'", tu_bin_dir(), tu_dir, path);
  ck_assert_msg(rc == 0, "index: %s", err_out);
  free(err_out);
  snprintf(path, cap, "%s/db", tu_dir);
}

/* A small index: tl_search with reranking off is BM25's order; with it on,
 * the top passages are a reordering of BM25's, and the rest follow. (A
 * reranked question's first stage goes without the context and article
 * parts, so the searcher without reranking goes without them too.) */
START_TEST(search_depth) {
  static const char *const lines[] = {
      "Presiden pertama Indonesia adalah Soekarno yang lahir di Surabaya.",
      "Indonesia memiliki presiden. Pertama kali pemilihan umum diadakan pada 1955.",
      "Presiden Indonesia dipilih setiap lima tahun sekali.",
      "Wakil presiden pertama adalah Mohammad Hatta dari Bukittinggi.",
      "Indonesia adalah negara kepulauan terbesar di dunia.",
      "Pemilihan presiden Indonesia yang pertama secara langsung terjadi pada 2004.",
      "Ibu kota Indonesia adalah Jakarta."};
  char path[1024], *doc = calloc(1, 65536);
  tl_searcher_options so;
  tl_rank_params rp;
  tl_searcher *off, *on;
  tl_results *a = NULL, *b = NULL;
  tl_error err;
  size_t i, j, k, len = 0;
  for (i = 0; i < sizeof lines / sizeof *lines; i++)
    len += (size_t)snprintf(doc + len, 65536 - len,
                            "{\"id\": \"d%zu\", \"title\": \"\", \"text\": \"%s\"}\n", i, lines[i]);
  index_doc(doc, len, path, sizeof path);
  free(doc);
  memset(&so, 0, sizeof so);
  so.data_dir = tu_source_dir();
  so.no_snippets = 1;
  tl_rank_params_default(&rp);
  rp.rerank_depth = 0;
  rp.context_weight = 0;
  rp.article_weight = 0;
  ck_assert_int_eq(tl_searcher_open(path, &so, &rp, &off, &err), TL_OK);
  rp.rerank_depth = 4;
  ck_assert_int_eq(tl_searcher_open(path, &so, &rp, &on, &err), TL_OK);
  ck_assert_int_eq(tl_search(off, "Siapa presiden pertama Indonesia?", 0, 10, 0, &a, &err), TL_OK);
  ck_assert_int_eq(tl_search(on, "Siapa presiden pertama Indonesia?", 0, 10, 0, &b, &err), TL_OK);
  ck_assert_uint_ge(a->count, 6);
  ck_assert_uint_eq(a->count, b->count);
  for (i = 0; i < a->count; i++) {
    ck_assert_uint_eq(a->items[i].first_rank, i + 1);
    ck_assert_ptr_null(a->items[i].features);
    if (i > 0)
      ck_assert(a->items[i].score <= a->items[i - 1].score);
  }
  for (i = 0; i < b->count; i++) {
    const tl_result *r = &b->items[i];
    if (i > 0)
      ck_assert(r->score <= b->items[i - 1].score);
    if (i < 4) {
      /* a passage of BM25's top 4, with its features */
      ck_assert_uint_le(r->first_rank, 4);
      ck_assert_ptr_nonnull(r->features);
      for (j = 0; j < i; j++)
        ck_assert_uint_ne(b->items[j].first_rank, r->first_rank);
    } else {
      ck_assert_uint_eq(r->first_rank, i + 1);
      ck_assert_ptr_null(r->features);
      ck_assert_str_eq(r->article_id, a->items[i].article_id);
    }
    ck_assert_str_eq(r->article_id, a->items[r->first_rank - 1].article_id);
  }
  /* an offset is a window of the reranked list */
  tl_results_free(a);
  ck_assert_int_eq(tl_search(on, "Siapa presiden pertama Indonesia?", 2, 3, 0, &a, &err), TL_OK);
  ck_assert_uint_eq(a->count, 3);
  for (i = 0; i < 3; i++) {
    ck_assert_uint_eq(a->items[i].rank, i + 3);
    ck_assert_str_eq(a->items[i].article_id, b->items[i + 2].article_id);
    ck_assert(fabs(a->items[i].score - b->items[i + 2].score) < 1e-12);
  }
  tl_results_free(a);
  /* negated words (NOT, -) are not part of what the features look for:
   * the passages that remain have the features they have without them */
  ck_assert_int_eq(
      tl_search(on, "Siapa presiden pertama Indonesia NOT Hatta -Jakarta?", 0, 10, 0, &a, &err),
      TL_OK);
  ck_assert_uint_ge(a->count, 3);
  for (i = 0; i < a->count && a->items[i].features; i++) {
    for (j = 0; j < b->count; j++)
      if (strcmp(b->items[j].article_id, a->items[i].article_id) == 0 && b->items[j].features)
        for (k = feature("cov"); k <= feature("missing"); k++)
          NEAR(a->items[i].features[k], b->items[j].features[k]);
  }
  tl_results_free(a);
  tl_results_free(b);
  tl_searcher_close(off);
  tl_searcher_close(on);
}
END_TEST

/* Whether a[0..n) and b[0..n) hold the same values, exactly. */
static int same_values(const double *a, const double *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!(a[i] == b[i]))
      return 0;
  return 1;
}

/* Waits (up to 20 s) until r's second thread is no longer starting. */
static enum tl_helper_state helper_settled(tl_reranker *r) {
  enum tl_helper_state st;
  int i;
  for (i = 0; i < 20000 && (st = tl_reranker_helper(r, NULL)) == TL_HELPER_STARTING; i++)
    usleep(1000);
  return st;
}

/* A second thread changes nothing: the same features to the last bit, the
 * same scores and order, call after call; and one whose analyzer cannot be
 * made leaves the reranker working alone. */
START_TEST(second_thread_same_features) {
  /* each passage holds a derived form of a query term (kepresidenan), so
   * that a passage analyzed otherwise would show */
  static const char *const texts[] = {
      "Indonesia memiliki kepresidenan. Pertama kali pemilihan umum diadakan pada 1955.",
      "Soekarno adalah presiden pertama Indonesia; kepresidenannya lama.",
      "Kepresidenan Indonesia dipilih setiap lima tahun sekali.",
      "Wakil presiden pertama adalah Mohammad Hatta; masa kepresidenan dimulai 1945.",
      "Indonesia adalah negara kepulauan terbesar dengan sistem kepresidenan.",
      "Pemilihan kepresidenan Indonesia yang pertama secara langsung terjadi pada 2004.",
      "Ibu kota Indonesia adalah Jakarta, tempat kepresidenan berada.",
      "Masa kepresidenannya yang pertama dimulai di Jakarta pada 1945."};
  enum { N = sizeof texts / sizeof *texts };
  tl_rerank_collection coll = {100, 50.0, fake_df, NULL};
  tl_rerank_candidate c[N];
  double x0[N * TL_RERANK_FEATURES], s0[N], x[N * TL_RERANK_FEATURES], sc[N];
  size_t o0[N], o[N], i, taken = 0;
  const char *stemmers[] = {NULL, "no-such-stemmer"};
  const enum tl_helper_state expect[] = {TL_HELPER_READY, TL_HELPER_FAILED};
  tl_analyzer_options ao;
  tl_reranker *r;
  tl_query *q;
  tl_error err;
  int k, round;
  char *long_texts[N];
  memset(c, 0, sizeof c);
  for (i = 0; i < N; i++) {
    /* each passage its sentence 40 times: long enough (about 3 KB) that the
     * thread wakes up before the caller has done them all */
    size_t len = strlen(texts[i]), j;
    ck_assert_ptr_nonnull(long_texts[i] = malloc(40 * (len + 1) + 1));
    for (j = 0; j < 40; j++) {
      memcpy(long_texts[i] + j * (len + 1), texts[i], len);
      long_texts[i][j * (len + 1) + len] = ' ';
    }
    long_texts[i][40 * (len + 1)] = '\0';
    c[i].text = long_texts[i];
    c[i].len = 40 * (len + 1);
    c[i].score = 10.0 - 0.1 * (double)i;
    c[i].rank = (unsigned)i + 1;
    c[i].length = 40.0 * (8 + (double)i);
  }
  ck_assert_int_eq(
      tl_query_parse(analyzer, questions, "Siapa presiden pertama Indonesia?", &q, &err), TL_OK);
  ck_assert_int_eq(tl_reranker_create(analyzer, questions, NULL, &r, &err), TL_OK);
  ck_assert_msg(tl_rerank(r, q, &coll, c, N, x0, s0, o0, &err) == TL_OK, "%s", err.msg);
  tl_reranker_free(r);
  /* the run without the thread is the reference: passage 1 holds the
   * three query terms, passages 4 and 7 two (presiden as kepresidenan) */
  NEAR(x0[1 * TL_RERANK_FEATURES + feature("cov")], 1.0);
  NEAR(x0[4 * TL_RERANK_FEATURES + feature("cov")], 2.0 / 3);
  NEAR(x0[7 * TL_RERANK_FEATURES + feature("cov")], 2.0 / 3);
  for (k = 0; k < 2; k++) {
    ck_assert_int_eq(tl_reranker_create(analyzer, questions, NULL, &r, &err), TL_OK);
    ck_assert_int_eq(tl_reranker_helper(r, NULL), TL_HELPER_NONE);
    memset(&ao, 0, sizeof ao);
    ao.data_dir = tu_source_dir();
    ao.stemmer = stemmers[k];
    ck_assert_int_eq(tl_reranker_start_helper(r, &ao, &err), TL_OK);
    ck_assert_int_eq(tl_reranker_start_helper(r, &ao, &err), TL_OK); /* a second call: nothing */
    ck_assert_int_eq(helper_settled(r), expect[k]);
    /* rounds until the thread has taken part (it takes the next passage
     * when it wakes up, so in some rounds the caller does them all) */
    for (round = 0; round < 3 || (k == 0 && taken == 0 && round < 2000); round++) {
      memset(x, 0xff, sizeof x);
      ck_assert_msg(tl_rerank(r, q, &coll, c, N, x, sc, o, &err) == TL_OK, "%s", err.msg);
      ck_assert_msg(same_values(x, x0, N * TL_RERANK_FEATURES),
                    "features differ with a second thread (%d)", k);
      ck_assert(same_values(sc, s0, N));
      ck_assert(memcmp(o, o0, sizeof o) == 0);
      tl_reranker_helper(r, &taken);
    }
    if (k == 0)
      ck_assert_uint_gt(taken, 0);
    else
      ck_assert_uint_eq(taken, 0);
    tl_reranker_free(r);
  }
  tl_query_free(q);
  for (i = 0; i < N; i++)
    free(long_texts[i]);
}
END_TEST

static const char *stem_cb(void *ctx, const char *w, size_t len, size_t *n) {
  (void)ctx;
  return tl_analyzer_stem(analyzer, w, len, n);
}

/* The stems' positions that a search gives its hits (tl_search_options.
 * term_positions) give the reranker the features that analyzing the
 * passages gives, to the last bit: passages under headings, after others
 * of their article, with names, numbers and acronyms whose stem terms the
 * query does not search (2005 of 2005-2006, PBB of PBB-nya); a passage
 * holding a hyphenated word whose joined form is a query stem (Toli-Toli:
 * tolitoli, stem toli) is analyzed for its stems. */
START_TEST(index_positions_same_features) {
  static const char doc[] =
      "{\"id\": \"a1\", \"title\": \"Sejarah PBB\", \"text\": \"Pembentukan PBB\\n\\n"
      "Perserikatan Bangsa-Bangsa (PBB) mulai terbentuk pada 24 Oktober 1945. Sejak itu "
      "PBB-nya makin besar dan mulai membentuk badan baru.\\n\\nAnggota Baru\\n\\nPada "
      "2005-2006 anggota PBB bertambah. Bentuk kerja sama mulai terbentuk di Kota Kediri pada "
      "2005.\\n\\nDi Toli-Toli PBB mulai membentuk dewan pada 2005.\"}\n"
      "{\"id\": \"a2\", \"title\": \"Tolitoli\", \"text\": \"Kabupaten Tolitoli terbentuk pada "
      "1959. Luas wilayah Tolitoli mulai diukur pada 2005 oleh PBB.\\n\\nTolitoli dan PBB "
      "mulai bekerja sama pada 2005.\"}\n";
  static const char question[] = "Kapan PBB mulai terbentuk di Tolitoli pada 2005?";
  enum { N = 8 };
  tl_rerank_collection coll = {100, 50.0, fake_df, NULL};
  tl_rerank_candidate c[N];
  tl_passage_record rec[N];
  double x0[N * TL_RERANK_FEATURES], x1[N * TL_RERANK_FEATURES], s0[N], s1[N];
  size_t o0[N], o1[N], i, n, nterms = 0;
  char path[1024], **terms = NULL;
  tl_search_options so;
  tl_store *st;
  tl_hits *h = NULL;
  tl_reranker *r;
  tl_query *q;
  tl_error err;
  index_doc(doc, sizeof doc - 1, path, sizeof path);
  ck_assert_int_eq(tl_query_parse(analyzer, questions, question, &q, &err), TL_OK);
  /* the query's stems as stem terms, as tl_search asks for them */
  ck_assert_int_eq(tl_rerank_position_terms(q, &terms, &nterms, &err), TL_OK);
  ck_assert_uint_ge(nterms, 4);
  ck_assert_int_eq(tl_store_open(path, TL_STORE_READ, &st, &err), TL_OK);
  memset(&so, 0, sizeof so);
  so.stem = stem_cb;
  so.count = N;
  tl_rank_params_default(&so.rank);
  so.term_positions = N;
  so.position_terms = (const char *const *)terms;
  so.nposition_terms = nterms;
  ck_assert_msg(tl_store_search(st, "pbb mulai terbentuk tolitoli 2005", &so, &h, &err) == TL_OK,
                "%s", err.msg);
  n = h->count;
  ck_assert_uint_ge(n, 5);
  ck_assert_uint_eq(h->npos_terms, nterms); /* Z2005 and Zpbb too, not searched */
  memset(c, 0, sizeof c);
  for (i = 0; i < n; i++) {
    ck_assert_ptr_nonnull(h->items[i].term_pos);
    ck_assert_int_eq(tl_record_decode(h->items[i].data, h->items[i].data_len, &rec[i], &err),
                     TL_OK);
    c[i].text = rec[i].text;
    c[i].len = rec[i].text_len;
    c[i].heading = rec[i].heading;
    c[i].heading_len = rec[i].heading_len;
    c[i].score = h->items[i].score;
    c[i].rank = (unsigned)i + 1;
    c[i].length = (double)h->items[i].length;
  }
  /* analyzed */
  ck_assert_int_eq(tl_reranker_create(analyzer, questions, NULL, &r, &err), TL_OK);
  ck_assert_msg(tl_rerank(r, q, &coll, c, n, x0, s0, o0, &err) == TL_OK, "%s", err.msg);
  ck_assert_uint_eq(tl_reranker_indexed(r), 0);
  tl_reranker_free(r);
  /* from the index's positions */
  for (i = 0; i < n; i++) {
    c[i].pos_terms = (const char *const *)h->pos_terms;
    c[i].npos_terms = h->npos_terms;
    c[i].term_pos = h->items[i].term_pos;
    c[i].term_at = h->items[i].term_at;
  }
  ck_assert_int_eq(tl_reranker_create(analyzer, questions, NULL, &r, &err), TL_OK);
  ck_assert_msg(tl_rerank(r, q, &coll, c, n, x1, s1, o1, &err) == TL_OK, "%s", err.msg);
  /* the Toli-Toli passage analyzed; the others not */
  ck_assert_uint_eq(tl_reranker_indexed(r), n - 1);
  ck_assert_msg(same_values(x0, x1, n * TL_RERANK_FEATURES), "features differ");
  ck_assert(same_values(s0, s1, n));
  ck_assert(memcmp(o0, o1, n * sizeof *o0) == 0);
  /* the features see the matches: a passage holds all of the terms but one */
  {
    double best = 0;
    for (i = 0; i < n; i++)
      if (x1[i * TL_RERANK_FEATURES + feature("cov")] > best)
        best = x1[i * TL_RERANK_FEATURES + feature("cov")];
    ck_assert(best >= 0.75);
  }
  tl_reranker_free(r);
  for (i = 0; i < n; i++)
    tl_record_release(&rec[i]);
  tl_hits_free(h);
  tl_store_close(st);
  tl_query_free(q);
  free(terms);
}
END_TEST

/* The tree evaluator gives XGBoost's own predictions (tests/trees: a small
 * model and vectors with XGBoost's outputs, from bench/rerank-trees.py
 * --fixture), and the linear score enters with the model's weight. */
START_TEST(trees_match_xgboost) {
  char path[4096], *text, *line, *save = NULL;
  tl_trees *t;
  tl_error err;
  size_t checked = 0, k;
  double rows[10 * TL_RERANK_FEATURES], each[10] = {0}, all[10];
  snprintf(path, sizeof path, "%s/tests/trees/tiny-model.txt", tu_source_dir());
  ck_assert_msg(tl_trees_load(path, TL_RERANK_FEATURES, &t, &err) == TL_OK, "%s", err.msg);
  ck_assert(tl_trees_linear_weight(t) == 0);
  snprintf(path, sizeof path, "%s/tests/trees/tiny-vectors.tsv", tu_source_dir());
  ck_assert_ptr_nonnull(text = tu_read_file(path, NULL));
  for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    double x[TL_RERANK_FEATURES], want;
    char *p = line, *end;
    size_t j;
    want = strtod(p, &end);
    ck_assert_ptr_ne(end, p);
    for (j = 0; j < TL_RERANK_FEATURES; j++) {
      p = end;
      x[j] = strtod(p, &end);
      ck_assert_ptr_ne(end, p);
    }
    ck_assert_double_eq_tol(tl_trees_predict(t, x, 0), want, 1e-5);
    ck_assert_double_eq_tol(tl_trees_predict(t, x, 3), want, 1e-5); /* W is 0 */
    ck_assert_uint_lt(checked, 10);
    memcpy(rows + checked * TL_RERANK_FEATURES, x, sizeof x);
    each[checked] = tl_trees_predict(t, x, 0);
    checked++;
  }
  ck_assert_uint_eq(checked, 10);
  /* all rows at once, the linear scores in and the predictions out in
   * one array: the same values to the last bit */
  for (k = 0; k < 10; k++)
    all[k] = 0;
  tl_trees_predict_rows(t, rows, 10, all, all);
  for (k = 0; k < 10; k++)
    ck_assert(all[k] == each[k]);
  free(text);
  tl_trees_free(t);
}
END_TEST

static int load_text(const char *text, size_t nfeatures, tl_error *err) {
  char path[4096];
  tl_trees *t = NULL;
  int rc;
  snprintf(path, sizeof path, "%s/model.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
  rc = tl_trees_load(path, nfeatures, &t, err);
  ck_assert(rc == TL_OK ? t != NULL : t == NULL);
  tl_trees_free(t);
  return rc;
}

/* A model by hand: the split is "<" on floats, the linear score is weighted. */
START_TEST(trees_by_hand) {
  static const char model[] = "telusur-trees 1\nfeatures 2\nbase 0.5\nlinear 2\ntrees 2\n"
                              "tree 3\ns 1 0.25 1 2 2\nl -1\nl 1.5\n"
                              "tree 1\nl 0.125\n";
  char path[4096];
  tl_trees *t;
  tl_error err;
  double x[2] = {0, 0.2};
  snprintf(path, sizeof path, "%s/model.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(path, model, strlen(model)), 0);
  ck_assert_msg(tl_trees_load(path, 2, &t, &err) == TL_OK, "%s", err.msg);
  ck_assert_double_eq_tol(tl_trees_predict(t, x, 0), 0.5 - 1 + 0.125, 1e-12);
  x[1] = 0.25; /* not below the threshold */
  ck_assert_double_eq_tol(tl_trees_predict(t, x, 0), 0.5 + 1.5 + 0.125, 1e-12);
  x[1] = NAN; /* missing: the default child */
  ck_assert_double_eq_tol(tl_trees_predict(t, x, 1), 0.5 + 1.5 + 0.125 + 2, 1e-12);
  tl_trees_free(t);
}
END_TEST

/* A tree whose leaves lie at different depths, NaNs sent to either child,
 * infinities, and rows of both kinds in one call: each row as alone. */
START_TEST(trees_uneven_and_missing) {
  /* tree 1: x0 < 1 ? (x1 < 2 ? (x0 < 0 ? 1 : 2) : 3) : 4, NaNs going NO
   * (but at x0 < 0, never reached by one);
   * tree 2: x1 < 5 ? 10 : (x0 < -3 ? 20 : 30), NaNs going YES */
  static const char model[] = "telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 2\n"
                              "tree 7\ns 0 1 1 2 2\ns 1 2 3 4 4\nl 4\ns 0 0 5 6 5\nl 3\n"
                              "l 1\nl 2\n"
                              "tree 5\ns 1 5 1 2 1\nl 10\ns 0 -3 3 4 3\nl 20\nl 30\n";
  static const struct {
    double x0, x1, want;
  } rows[] = {
      {-1, 0, 1 + 10},          {0.5, 0, 2 + 10},      {0.5, 2, 3 + 10},
      {1, 0, 4 + 10},           {-4, 6, 3 + 20},       {2, 6, 4 + 30},
      {NAN, 0, 4 + 10},         {0.5, NAN, 3 + 10},    {NAN, NAN, 4 + 10},
      {-INFINITY, 0, 1 + 10},   {INFINITY, 9, 4 + 30}, {-INFINITY, INFINITY, 3 + 20},
      {0.5, -INFINITY, 2 + 10}, {-2, 7, 3 + 30},
  };
  enum { N = sizeof rows / sizeof *rows };
  double x[2 * N], lin[N], out[N];
  char path[4096];
  tl_trees *t;
  tl_error err;
  size_t i;
  snprintf(path, sizeof path, "%s/model.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(path, model, strlen(model)), 0);
  ck_assert_msg(tl_trees_load(path, 2, &t, &err) == TL_OK, "%s", err.msg);
  for (i = 0; i < N; i++) {
    x[2 * i] = rows[i].x0;
    x[2 * i + 1] = rows[i].x1;
    lin[i] = 0;
    ck_assert_msg(tl_trees_predict(t, x + 2 * i, 0) == rows[i].want, "row %zu: %g, expected %g", i,
                  tl_trees_predict(t, x + 2 * i, 0), rows[i].want);
  }
  tl_trees_predict_rows(t, x, N, lin, out);
  for (i = 0; i < N; i++)
    ck_assert_msg(out[i] == rows[i].want, "row %zu of all: %g", i, out[i]);
  tl_trees_free(t);
  {
    /* rows wider than 64 features */
    static const char wide[] = "telusur-trees 1\nfeatures 70\nbase 0\nlinear 0\ntrees 1\n"
                               "tree 3\ns 69 0.5 1 2 2\nl 1\nl 2\n";
    double w[2 * 70] = {0};
    w[70 + 69] = 1;
    ck_assert_int_eq(tu_write_file(path, wide, strlen(wide)), 0);
    ck_assert_msg(tl_trees_load(path, 70, &t, &err) == TL_OK, "%s", err.msg);
    tl_trees_predict_rows(t, w, 2, lin, out);
    ck_assert(out[0] == 1 && out[1] == 2);
    tl_trees_free(t);
  }
}
END_TEST

/* Bad and missing models are clear errors naming the file and line. */
START_TEST(trees_bad_models) {
  static const struct {
    const char *text;
    const char *msg; /* in the message */
  } bad[] = {
      {"", "not a tree model"},
      {"telusur-trees 2\n", "not a tree model"},
      {"telusur-trees 1\nfeatures 3\nbase 0\nlinear 0\ntrees 0\n", "3 features, not 2"},
      {"telusur-trees 1\nfeatures 2\nbase x\n", ":3: expected 'base NUMBER'"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\n", ":6: expected 'tree NUMBER'"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 2\nl 1\n", ":8: missing node"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 1\ns 2 0.5 1 2 1\n", ":7:"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 3\ns 0 0.5 0 2 2\nl 1\nl 2\n",
       ":7: expected"}, /* a cycle */
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 3\ns 0 0.5 1 3 1\nl 1\nl 2\n",
       ":7: expected"}, /* out of the tree */
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 1\nl nan\n", "not finite"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 4\ns 0 0.5 1 2 1\n"
       "s 1 0.5 3 3 3\nl 1\nl 2\n",
       "tree 1: a node is the child of two splits"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 0\nextra\n", ":6: text after"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 99999999999\n", "at most 100000"},
      /* a node no split leads to */
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 4\ns 0 0.5 1 2 1\nl 1\nl 2\n"
       "l 3\n",
       "tree 1: a node not reached from the root"},
      /* values whose sum would not be finite */
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 1\nl 1e308\n",
       ":7: leaf value not finite or over 1e+06"},
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 1e300\n", ":4: expected 'linear NUMBER'"},
      {"telusur-trees 1\nfeatures 2\nbase -inf\n", ":3: expected 'base NUMBER'"},
      /* a line too long, a NUL byte: named on their own line */
      {"telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 1\nl 0.0000000000000000000"
       "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000001\n",
       ":7: a line over 256 bytes"},
  };
  char path[4096];
  tl_trees *t;
  tl_error err;
  size_t i;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_int_eq(load_text(bad[i].text, 2, &err), TL_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, bad[i].msg) && strstr(err.msg, "model.txt"), "case %zu: %s", i,
                  err.msg);
  }
  ck_assert_int_eq(load_text("telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 0\n", 2, &err),
                   TL_OK);
  /* CRLF line ends, blank space around lines, blank lines: read */
  ck_assert_msg(
      load_text(" telusur-trees 1\r\nfeatures 2\r\n\r\nbase 0 \r\n\tlinear 0\r\ntrees 1\r\n"
                "tree 3\r\n  s 1 0.25 1 2 2\r\nl -1\r\nl 1.5\r\n\r\n\n",
                2, &err) == TL_OK,
      "%s", err.msg);
  /* a NUL byte, named on its line */
  snprintf(path, sizeof path, "%s/model.txt", tu_dir);
  {
    static const char nul[] =
        "telusur-trees 1\nfeatures 2\nbase 0\nlinear 0\ntrees 1\ntree 1\nl 1\0\n";
    ck_assert_int_eq(tu_write_file(path, nul, sizeof nul - 1), 0);
    ck_assert_int_eq(tl_trees_load(path, 2, &t, &err), TL_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "model.txt:7: a NUL byte"), "%s", err.msg);
  }
  /* a directory: the system's reason */
  ck_assert_int_eq(tl_trees_load(tu_dir, 2, &t, &err), TL_ERR_IO);
  ck_assert_ptr_null(t);
  ck_assert_msg(strstr(err.msg, "Is a directory"), "%s", err.msg);
  snprintf(path, sizeof path, "%s/none.txt", tu_dir);
  ck_assert_int_eq(tl_trees_load(path, 2, &t, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_null(t);
  ck_assert_ptr_nonnull(strstr(err.msg, "none.txt"));
}
END_TEST

/* The shipped model loads, and a searcher reports a missing one. */
START_TEST(trees_shipped_and_searcher) {
  char path[4096];
  tl_trees *t;
  tl_error err;
  tl_searcher_options so;
  tl_rank_params rp;
  tl_searcher *s;
  static const char doc[] =
      "{\"id\": \"d1\", \"title\": \"\", \"text\": \"Soekarno adalah presiden "
      "pertama Indonesia.\"}\n";
  snprintf(path, sizeof path, "%s/lexicon/rerank-trees.txt", tu_source_dir());
  ck_assert_msg(tl_trees_load(path, TL_RERANK_FEATURES, &t, &err) == TL_OK, "%s", err.msg);
  tl_trees_free(t);
  index_doc(doc, strlen(doc), path, sizeof path);
  memset(&so, 0, sizeof so);
  so.data_dir = tu_source_dir();
  tl_rank_params_default(&rp);
  so.reranker = "trees";
  ck_assert_msg(tl_searcher_open(path, &so, &rp, &s, &err) == TL_OK, "%s", err.msg);
  tl_searcher_close(s);
  so.reranker = "/nonexistent/model.txt";
  ck_assert_int_eq(tl_searcher_open(path, &so, &rp, &s, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/model.txt"));
  so.reranker = "";
  ck_assert_int_eq(tl_searcher_open(path, &so, &rp, &s, &err), TL_ERR_USAGE);
  /* the default model is read at the first question: a keyword query never
   * reads it; a broken one fails the question, naming the file and line */
  {
    char data[4096];
    tl_results *r = NULL;
    snprintf(data, sizeof data, "%s/data", tu_dir);
    ck_assert_int_eq(tu_runf(NULL, NULL,
                             "mkdir '%s' && cp -r '%s/lexicon' '%s/stopwords' '%s' && "
                             "echo 'telusur-trees 1' >'%s/lexicon/rerank-trees.txt'",
                             data, tu_source_dir(), tu_source_dir(), data, data),
                     0);
    so.data_dir = data;
    so.reranker = NULL;
    ck_assert_msg(tl_searcher_open(path, &so, &rp, &s, &err) == TL_OK, "%s", err.msg);
    ck_assert_msg(tl_search(s, "presiden Indonesia", 0, 5, 0, &r, &err) == TL_OK, "%s", err.msg);
    ck_assert_uint_eq(r->count, 1);
    tl_results_free(r);
    r = NULL;
    ck_assert_int_eq(tl_search(s, "siapa presiden pertama Indonesia?", 0, 5, 0, &r, &err),
                     TL_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "rerank-trees.txt:2:") != NULL, "%s", err.msg);
    tl_searcher_close(s);
  }
}
END_TEST

static Suite *rerank_suite(void) {
  Suite *s = suite_create("rerank");
  TCase *tc = tcase_create("features");
  tcase_add_checked_fixture(tc, analyzers_setup, analyzers_teardown);
  tcase_add_test(tc, features_by_hand);
  tcase_add_test(tc, lead_and_definition);
  tcase_add_test(tc, answer_types);
  tcase_add_test(tc, sentence_and_answer_cues);
  tcase_add_test(tc, answer_beside_run);
  tcase_add_test(tc, answer_type_table);
  tcase_add_test(tc, huge_passage_prefix);
  tcase_add_test(tc, questions_only);
  tcase_add_test(tc, order_by_weights);
  tcase_add_test(tc, feature_table);
  tcase_add_test(tc, second_thread_same_features);
  tcase_add_test(tc, trees_match_xgboost);
  suite_add_tcase(s, tc);
  tc = tcase_create("search");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_add_test(tc, search_depth);
  tcase_add_test(tc, trees_by_hand);
  tcase_add_test(tc, trees_uneven_and_missing);
  tcase_add_test(tc, trees_bad_models);
  tcase_add_test(tc, trees_shipped_and_searcher);
  suite_add_tcase(s, tc);
  tc = tcase_create("positions");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_add_checked_fixture(tc, analyzers_setup, analyzers_teardown);
  tcase_add_test(tc, index_positions_same_features);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(rerank_suite());
}
