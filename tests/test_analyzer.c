/*
 * test_analyzer.c - Check suite for lib/analyzer.[ch], in the style of
 * Xapian's api_queryparser.cc: a table of inputs with every term they must
 * give, in order, with its flags, position and byte range.
 *
 * Only the stemmers "none" and "snowball" are used: the "indonesian"
 * stemmer has its own suite. Inputs avoid the closed compounds of
 * lexicon/compounds.txt except where a case is about them.
 */
#include "telusur/analysis.h"
#include "testutil.h"
#include "text/acronym.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flag shorthands for the table. */
#define S TL_TERM_STEM
#define J TL_TERM_JOINED
#define A TL_TERM_ACRONYM
#define N TL_TERM_NUMBER
#define W TL_TERM_STOPWORD
#define NM TL_TERM_NAME

#define MAXT 24

/* One term: its text, flags, position and byte range in the input. */
typedef struct term {
  const char *text;
  int flags;
  unsigned pos;
  size_t start, end;
} term;

typedef struct acase {
  const char *stemmer;
  const char *input;
  unsigned next_pos; /* with first_pos 1 */
  term t[MAXT];      /* ended by a NULL text */
} acase;

static const acase cases[] = {
    {"none", "", 1, {{NULL, 0, 0, 0, 0}}},
    {"none", "..., !? \xE2\x80\x94 ( ) \"\" ", 1, {{NULL, 0, 0, 0, 0}}},
    {"none", "Kata", 2, {{"kata", 0, 1, 0, 4}, {"kata", S, 1, 0, 4}}},
    /* names: a capitalised gazetteer word, a capitalised word after a place
     * word; not the same word in lower case */
    {"snowball",
     "Kediri kediri Gunung Bulan",
     5,
     {{"kediri", NM, 1, 0, 6},
      {"kediri", S | NM, 1, 0, 6},
      {"kediri", 0, 2, 7, 13},
      {"diri", S, 2, 7, 13},
      {"gunung", 0, 3, 14, 20},
      {"gunung", S, 3, 14, 20},
      {"bulan", NM, 4, 21, 26},
      {"bulan", S | NM, 4, 21, 26}}},
    /* a district's name (districts.txt) likewise, with the Indonesian
     * stemmer, which reads it as pe-tambur-an in lower case */
    {"indonesian",
     "Petamburan petamburan",
     3,
     {{"petamburan", NM, 1, 0, 10},
      {"petamburan", S | NM, 1, 0, 10},
      {"petamburan", 0, 2, 11, 21},
      {"tambur", S, 2, 11, 21}}},
    /* an acronym with -nya unhyphenated is two words, as with the hyphen */
    {"indonesian",
     "BPSnya",
     3,
     {{"bps", A, 1, 0, 3}, {"bps", A | S, 1, 0, 3}, {"nya", 0, 2, 3, 6}, {"nya", S, 2, 3, 6}}},
    /* NFKC case folding: fullwidth letters (3 bytes each) */
    {"none",
     "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 \xEF\xBC\xAB"
     "erja",
     3,
     {{"abc", A, 1, 0, 9},
      {"abc", A | S, 1, 0, 9},
      {"kerja", 0, 2, 10, 17},
      {"kerja", S, 2, 10, 17}}},
    /* a soft hyphen inside a word is dropped; the range covers it */
    {"none",
     "ker\xC2\xAD"
     "ja",
     2,
     {{"kerja", 0, 1, 0, 7}, {"kerja", S, 1, 0, 7}}},
    /* apostrophes inside words: ASCII and U+2019 */
    {"none",
     "Jum'at Jum\xE2\x80\x99"
     "at",
     3,
     {{"jumat", 0, 1, 0, 6},
      {"jumat", S, 1, 0, 6},
      {"jumat", 0, 2, 7, 15},
      {"jumat", S, 2, 7, 15}}},
    /* numbers stay whole, and are flagged; the periods that group
     * thousands are left out, one period before other than three digits
     * (or after a leading 0) is a decimal point, written as the Indonesian
     * decimal comma (a time too), the periods of a date stay */
    {"none",
     "3,5 dan 10.000 1.500.000,50 08.30 12.10.2005 2.5 1.0000 0.125",
     10,
     {{"3,5", N, 1, 0, 3},
      {"3,5", N | S, 1, 0, 3},
      {"dan", W, 2, 4, 7},
      {"dan", W | S, 2, 4, 7},
      {"10000", N, 3, 8, 14},
      {"10000", N | S, 3, 8, 14},
      {"1500000,50", N, 4, 15, 27},
      {"1500000,50", N | S, 4, 15, 27},
      {"08,30", N, 5, 28, 33},
      {"08,30", N | S, 5, 28, 33},
      {"12.10.2005", N, 6, 34, 44},
      {"12.10.2005", N | S, 6, 34, 44},
      {"2,5", N, 7, 45, 48},
      {"2,5", N | S, 7, 45, 48},
      {"1,0000", N, 8, 49, 55},
      {"1,0000", N | S, 8, 49, 55},
      {"0,125", N, 9, 56, 61},
      {"0,125", N | S, 9, 56, 61}}},
    /* a currency code against its amount is two words, as with a space;
     * other letters against digits stay one word */
    {"none",
     "Rp15.000 USD1.000 G20",
     6,
     {{"rp", 0, 1, 0, 2},
      {"rp", S, 1, 0, 2},
      {"15000", N, 2, 2, 8},
      {"15000", N | S, 2, 2, 8},
      {"usd", A, 3, 9, 12},
      {"usd", A | S, 3, 9, 12},
      {"1000", N, 4, 12, 17},
      {"1000", N | S, 4, 12, 17},
      {"g20", N, 5, 18, 21},
      {"g20", N | S, 5, 18, 21}}},
    /* the same through NFKC: fullwidth 1.000 (3 bytes a character) */
    {"none",
     "\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90",
     2,
     {{"1000", N, 1, 0, 15}, {"1000", N | S, 1, 0, 15}}},
    /* COVID-19: the parts, then the joined form at the first part's position */
    {"none",
     "COVID-19",
     3,
     {{"covid", A, 1, 0, 5},
      {"covid", A | S, 1, 0, 5},
      {"19", N, 2, 6, 8},
      {"19", N | S, 2, 6, 8},
      {"covid19", J | A | N, 1, 0, 8},
      {"covid19", J | A | N | S, 1, 0, 8}}},
    /* reduplication: parts at p and p+1, joined at p; the next word at p+2 */
    {"none",
     "negara-negara yang",
     4,
     {{"negara", 0, 1, 0, 6},
      {"negara", S, 1, 0, 6},
      {"negara", 0, 2, 7, 13},
      {"negara", S, 2, 7, 13},
      {"negaranegara", J, 1, 0, 13},
      {"negara-negara", J | S, 1, 0, 13},
      {"negaranegara", J | S, 1, 0, 13},
      {"yang", W, 3, 14, 18},
      {"yang", W | S, 3, 14, 18}}},
    /* multi-byte text: byte offsets, not characters; emoji is no word;
     * mathematical bold A (4 bytes) folds to a; diacritics are left out
     * (schema 7), a stroke too (ł), a Hangul syllable stays composed */
    {"none",
     "Caf\xC3\xA9 d\xC3\xA9j\xC3\xA0 \xF0\x9F\x98\x80 kata \xF0\x9D\x90\x80"
     "bc Ni\xC3\xB1o \xEA\xB0\x80 Wroc\xC5\x82"
     "aw",
     8,
     {{"cafe", 0, 1, 0, 5},
      {"cafe", S, 1, 0, 5},
      {"deja", 0, 2, 6, 12},
      {"deja", S, 2, 6, 12},
      {"kata", 0, 3, 18, 22},
      {"kata", S, 3, 18, 22},
      {"abc", 0, 4, 23, 29},
      {"abc", S, 4, 23, 29},
      {"nino", 0, 5, 30, 35},
      {"nino", S, 5, 30, 35},
      {"\xEA\xB0\x80", 0, 6, 36, 39},
      {"\xEA\xB0\x80", S, 6, 36, 39},
      {"wroclaw", 0, 7, 40, 48},
      {"wroclaw", S, 7, 40, 48}}},
    /* invalid UTF-8 reads as U+FFFD, which is no word */
    {"none",
     "ab\xFF\xFE"
     "cd x\xC3",
     4,
     {{"ab", 0, 1, 0, 2},
      {"ab", S, 1, 0, 2},
      {"cd", 0, 2, 4, 6},
      {"cd", S, 2, 4, 6},
      {"x", 0, 3, 7, 8},
      {"x", S, 3, 7, 8}}},
    /* a trailing hyphen joins nothing */
    {"none",
     "n- -x",
     3,
     {{"n", 0, 1, 0, 1}, {"n", S, 1, 0, 1}, {"x", 0, 2, 4, 5}, {"x", S, 2, 4, 5}}},
    /* snowball stems words, never acronyms nor numbers */
    {"snowball",
     "ASEAN DIKAJI dikaji Berlari 2025",
     6,
     {{"asean", A, 1, 0, 5},
      {"asean", A | S, 1, 0, 5},
      {"dikaji", A, 2, 6, 12},
      {"dikaji", A | S, 2, 6, 12},
      {"dikaji", 0, 3, 13, 19},
      {"kaji", S, 3, 13, 19},
      {"berlari", 0, 4, 20, 27},
      {"lari", S, 4, 20, 27},
      {"2025", N, 5, 28, 32},
      {"2025", N | S, 5, 28, 32}}},
    /* the joined spelling is stemmed too only when the stemmer leaves the
     * hyphenated word as it is (negara-negara, not berlari-lari) */
    {"snowball",
     "negara-negara berlari-lari",
     5,
     {{"negara", 0, 1, 0, 6},
      {"negara", S, 1, 0, 6},
      {"negara", 0, 2, 7, 13},
      {"negara", S, 2, 7, 13},
      {"negaranegara", J, 1, 0, 13},
      {"negara-negara", J | S, 1, 0, 13},
      {"negaranegara", J | S, 1, 0, 13},
      {"berlari", 0, 3, 14, 21},
      {"lari", S, 3, 14, 21},
      {"lari", 0, 4, 22, 26},
      {"lari", S, 4, 22, 26},
      {"berlarilari", J, 3, 14, 26},
      {"lari-lari", J | S, 3, 14, 26}}},
    /* an acronym joined to a word: di-PHK */
    {"none",
     "di-PHK",
     3,
     {{"di", W, 1, 0, 2},
      {"di", W | S, 1, 0, 2},
      {"phk", A, 2, 3, 6},
      {"phk", A | S, 2, 3, 6},
      {"diphk", J | A, 1, 0, 6},
      {"diphk", J | A | S, 1, 0, 6}}},
};

/* The terms a run gave. */
typedef struct got {
  size_t n;
  char text[64][256];
  term t[64];
  int stop_at; /* return 7 from the call with this 1-based index */
} got;

static int collect(void *ctx, int flags, const char *t, size_t len, size_t start, size_t end,
                   unsigned pos) {
  got *g = ctx;
  ck_assert_uint_lt(g->n, 64);
  ck_assert_uint_lt(len, 256);
  ck_assert_uint_gt(len, 0);
  memcpy(g->text[g->n], t, len);
  g->text[g->n][len] = '\0';
  g->t[g->n].text = g->text[g->n];
  g->t[g->n].flags = flags;
  g->t[g->n].pos = pos;
  g->t[g->n].start = start;
  g->t[g->n].end = end;
  g->n++;
  return (int)g->n == g->stop_at ? 7 : 0;
}

static tl_analyzer *make(const char *stemmer, const char *stopwords) {
  tl_analyzer_options o;
  tl_analyzer *a = NULL;
  tl_error err;
  int rc;
  memset(&o, 0, sizeof o);
  o.stemmer = stemmer;
  o.data_dir = tu_source_dir();
  o.stopwords = stopwords;
  rc = tl_analyzer_create(&o, &a, &err);
  ck_assert_msg(rc == TL_OK, "create %s: %s", stemmer, err.msg);
  return a;
}

/* Prints the terms a run gave, for a failing case. */
static void dump(const char *input, const got *g) {
  size_t i;
  fprintf(stderr, "input [%s]:\n", input);
  for (i = 0; i < g->n; i++)
    fprintf(stderr, "  {\"%s\", %d, %u, %zu, %zu},\n", g->t[i].text, g->t[i].flags, g->t[i].pos,
            g->t[i].start, g->t[i].end);
}

START_TEST(test_table) {
  const acase *c = &cases[_i];
  tl_analyzer *a = make(c->stemmer, NULL);
  static got g;
  tl_error err;
  unsigned next = 0;
  size_t i, want = 0;
  int rc;
  memset(&g, 0, sizeof g);
  rc = tl_analyzer_run(a, c->input, strlen(c->input), 1, collect, &g, &next, &err);
  ck_assert_msg(rc == TL_OK, "%s", err.msg);
  while (c->t[want].text)
    want++;
  if (g.n != want)
    dump(c->input, &g);
  ck_assert_msg(g.n == want, "[%s]: %zu terms, want %zu", c->input, g.n, want);
  for (i = 0; i < want; i++) {
    const term *e = &c->t[i], *t = &g.t[i];
    if (strcmp(t->text, e->text) != 0 || t->flags != e->flags || t->pos != e->pos ||
        t->start != e->start || t->end != e->end) {
      dump(c->input, &g);
      ck_abort_msg("[%s] term %zu: got {%s,%d,%u,%zu,%zu} want {%s,%d,%u,%zu,%zu}", c->input, i,
                   t->text, t->flags, t->pos, t->start, t->end, e->text, e->flags, e->pos, e->start,
                   e->end);
    }
  }
  ck_assert_uint_eq(next, c->next_pos);
  tl_analyzer_free(a);
}
END_TEST

/* Positions start at first_pos; next_pos chains runs; an empty run keeps it. */
START_TEST(test_positions) {
  tl_analyzer *a = make("none", "");
  static got g;
  tl_error err;
  unsigned next = 0;
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(tl_analyzer_run(a, "satu dua", 8, 10, collect, &g, &next, &err), TL_OK);
  ck_assert_uint_eq(next, 12);
  ck_assert_uint_eq(g.n, 4);
  ck_assert_uint_eq(g.t[0].pos, 10);
  ck_assert_uint_eq(g.t[2].pos, 11);
  ck_assert_int_eq(tl_analyzer_run(a, "tiga", 4, next, collect, &g, &next, &err), TL_OK);
  ck_assert_uint_eq(g.t[4].pos, 12);
  ck_assert_uint_eq(g.t[4].start, 0);
  ck_assert_uint_eq(next, 13);
  ck_assert_int_eq(tl_analyzer_run(a, " ... ", 5, 40, collect, &g, &next, &err), TL_OK);
  ck_assert_uint_eq(next, 40);
  /* next_pos may be NULL; len bounds the text */
  ck_assert_int_eq(tl_analyzer_run(a, "lima enam", 4, 1, collect, &g, NULL, &err), TL_OK);
  ck_assert_uint_eq(g.n, 8);
  ck_assert_str_eq(g.t[6].text, "lima");
  ck_assert_uint_eq(g.t[6].end, 4);
  /* with no stopword list nothing is flagged */
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(tl_analyzer_run(a, "yang", 4, 1, collect, &g, NULL, &err), TL_OK);
  ck_assert_uint_eq(g.n, 2);
  ck_assert_int_eq(g.t[0].flags, 0);
  tl_analyzer_free(a);
}
END_TEST

/* Without stems: the same word forms and joined forms, with the same
 * flags, positions and byte ranges, and the same next position, as the
 * run with stems gives besides its stems: hyphen groups, a closed
 * compound (kerja sama), a name, a number, an acronym, a stopword. */
START_TEST(test_words_only) {
  static const char text[] = "Anak-anak di Kota Kediri bekerja sama dengan PBB-nya sejak "
                             "2005-2006, memasukkan e-KTP ke kantor.";
  tl_analyzer *a = make("indonesian", NULL);
  static got all, words;
  tl_error err;
  unsigned next_all = 0, next_words = 0;
  size_t i, k = 0, stems = 0;
  memset(&all, 0, sizeof all);
  memset(&words, 0, sizeof words);
  ck_assert_int_eq(tl_analyzer_run(a, text, sizeof text - 1, 5, collect, &all, &next_all, &err),
                   TL_OK);
  ck_assert_int_eq(
      tl_analyzer_run_words(a, text, sizeof text - 1, 5, collect, &words, &next_words, &err),
      TL_OK);
  ck_assert_uint_eq(next_words, next_all);
  for (i = 0; i < all.n; i++) {
    if (all.t[i].flags & TL_TERM_STEM) {
      stems++;
      continue;
    }
    ck_assert_uint_lt(k, words.n);
    ck_assert_str_eq(words.t[k].text, all.t[i].text);
    ck_assert_int_eq(words.t[k].flags, all.t[i].flags);
    ck_assert_uint_eq(words.t[k].pos, all.t[i].pos);
    ck_assert_uint_eq(words.t[k].start, all.t[i].start);
    ck_assert_uint_eq(words.t[k].end, all.t[i].end);
    k++;
  }
  ck_assert_uint_eq(k, words.n);
  ck_assert_uint_gt(stems, 0);
  ck_assert_uint_ge(words.n, 20); /* the words, and the joined anakanak, kerjasama, ektp */
  /* the run after it stems again */
  memset(&all, 0, sizeof all);
  ck_assert_int_eq(tl_analyzer_run(a, "memasukkan", 10, 1, collect, &all, NULL, &err), TL_OK);
  ck_assert_uint_eq(all.n, 2);
  ck_assert_str_eq(all.t[1].text, "masuk");
  tl_analyzer_free(a);
}
END_TEST

/* A non-zero return from the callback stops the run and is returned. */
START_TEST(test_callback_stops) {
  tl_analyzer *a = make("none", NULL);
  static got g;
  tl_error err;
  memset(&g, 0, sizeof g);
  g.stop_at = 3;
  ck_assert_int_eq(tl_analyzer_run(a, "satu dua tiga", 13, 1, collect, &g, NULL, &err), 7);
  ck_assert_uint_eq(g.n, 3);
  /* the analyzer is usable again after a stopped run */
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(tl_analyzer_run(a, "empat", 5, 1, collect, &g, NULL, &err), TL_OK);
  ck_assert_uint_eq(g.n, 2);
  tl_analyzer_free(a);
}
END_TEST

/* Stopwords (the Tala list) and the other accessors. */
START_TEST(test_stopwords_and_names) {
  tl_analyzer *a = make("snowball", NULL);
  size_t n = 0;
  const char *s;
  ck_assert(tl_analyzer_is_stopword(a, "yang", 4));
  ck_assert(tl_analyzer_is_stopword(a, "yangxx", 4)); /* len bounds the word */
  ck_assert(!tl_analyzer_is_stopword(a, "negara", 6));
  ck_assert(!tl_analyzer_is_stopword(a, "", 0));
  ck_assert_str_eq(tl_analyzer_stemmer_name(a), "snowball");
  ck_assert(!tl_analyzer_is_known(a, "lintah", 6)); /* no lexicon */
  s = tl_analyzer_stem(a, "berlari", 7, &n);
  ck_assert_uint_eq(n, 4);
  ck_assert_int_eq(memcmp(s, "lari", 4), 0);
  tl_analyzer_free(a);
  a = make("none", NULL);
  ck_assert_str_eq(tl_analyzer_stemmer_name(a), "none");
  s = tl_analyzer_stem(a, "berlari", 7, &n);
  ck_assert_uint_eq(n, 7);
  ck_assert_int_eq(memcmp(s, "berlari", 7), 0);
  tl_analyzer_free(a);
  tl_analyzer_free(NULL);
  /* the lexicon's words as they are: roots and spelling variants */
  a = make("indonesian", NULL);
  ck_assert(tl_analyzer_is_known(a, "lintah", 6));
  ck_assert(tl_analyzer_is_known(a, "mendiang", 8));
  ck_assert(tl_analyzer_is_known(a, "analisa", 7));      /* a variant of analisis */
  ck_assert(!tl_analyzer_is_known(a, "mengulangi", 10)); /* affixed */
  ck_assert(!tl_analyzer_is_known(a, "kerjsama", 8));
  ck_assert(tl_analyzer_is_known(a, "lintahx", 6)); /* len bounds the word */
  ck_assert(!tl_analyzer_is_known(a, "", 0));
  tl_analyzer_free(a);
  /* a list by its absolute path, beside one by name */
  {
    char path[4096], names[4200];
    snprintf(path, sizeof path, "%s/stopwords/questions.txt", tu_source_dir());
    snprintf(names, sizeof names, "tala.txt,%s", path);
    a = make("none", names);
    ck_assert(tl_analyzer_is_stopword(a, "yang", 4));     /* tala.txt */
    ck_assert(tl_analyzer_is_stopword(a, "bilamana", 8)); /* questions.txt alone */
    tl_analyzer_free(a);
  }
}
END_TEST

/* Creation errors: an unknown stemmer, a missing stopword list. */
START_TEST(test_create_errors) {
  tl_analyzer_options o;
  tl_analyzer *a = (tl_analyzer *)1;
  tl_error err;
  memset(&o, 0, sizeof o);
  o.stemmer = "klingon";
  o.data_dir = tu_source_dir();
  ck_assert_int_eq(tl_analyzer_create(&o, &a, &err), TL_ERR_USAGE);
  ck_assert_ptr_null(a);
  ck_assert_ptr_nonnull(strstr(err.msg, "klingon"));
  o.stemmer = "none";
  o.stopwords = "no-such-list.txt";
  a = (tl_analyzer *)1;
  ck_assert_int_eq(tl_analyzer_create(&o, &a, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_null(a);
  ck_assert_ptr_nonnull(strstr(err.msg, "no-such-list.txt"));
  /* a directory is not an empty list */
  {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/stopwords", tu_source_dir());
    o.stopwords = dir;
    ck_assert_int_eq(tl_analyzer_create(&o, &a, &err), TL_ERR_IO);
    ck_assert_msg(strstr(err.msg, "Is a directory") != NULL, "%s", err.msg);
  }
}
END_TEST

/* Long and odd inputs must not crash and must keep ranges inside the text. */
START_TEST(test_robust) {
  tl_analyzer *a = make("none", NULL);
  static got g;
  static char text[4096];
  tl_error err;
  size_t i;
  unsigned next = 0;
  /* 300 letters: a word over TL_TERM_MAX is not emitted, but has its position */
  memset(text, 'a', 300);
  memcpy(text + 300, " b", 3);
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(tl_analyzer_run(a, text, 302, 1, collect, &g, &next, &err), TL_OK);
  ck_assert_uint_eq(g.n, 2);
  ck_assert_str_eq(g.t[0].text, "b");
  ck_assert_uint_eq(g.t[0].pos, 2);
  ck_assert_uint_eq(next, 3);
  /* seven hyphenated parts: groups of at most six */
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(tl_analyzer_run(a, "a-b-c-d-e-f-g", 13, 1, collect, &g, &next, &err), TL_OK);
  ck_assert_uint_eq(next, 8);
  ck_assert_str_eq(g.text[12], "abcdef");
  ck_assert_int_eq(g.t[12].flags, J);
  ck_assert_uint_eq(g.t[12].end, 11);
  ck_assert_str_eq(g.text[15], "g");
  ck_assert_uint_eq(g.t[15].pos, 7);
  /* a hyphen group whose hyphenated spelling would overflow a term: parts
   * only, no joined terms (five parts of 80 letters and one of 6) */
  {
    size_t k, n = 0;
    for (k = 0; k < 5; k++) {
      memset(text + n, 'a', 80);
      n += 80;
      text[n++] = '-';
    }
    memcpy(text + n, "bbbbbb", sizeof "bbbbbb"); /* with its NUL, not counted */
    n += 6;
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(tl_analyzer_run(a, text, n, 1, collect, &g, &next, &err), TL_OK);
    ck_assert_uint_eq(next, 7);
    for (k = 0; k < g.n; k++)
      ck_assert_int_eq(g.t[k].flags & J, 0);
    ck_assert_uint_eq(g.n, 12);
  }
  /* every byte value: no crash, ranges in bounds */
  for (i = 0; i < 256; i++)
    text[i] = (char)(i ? i : ' ');
  memset(&g, 0, sizeof g);
  g.stop_at = 64;
  {
    int rc = tl_analyzer_run(a, text, 256, 1, collect, &g, NULL, &err);
    ck_assert(rc == TL_OK || rc == 7);
  }
  for (i = 0; i < g.n; i++)
    ck_assert(g.t[i].start < g.t[i].end && g.t[i].end <= 256);
  tl_analyzer_free(a);
}
END_TEST

/* Builds the suite. */
/* Collects acronym definitions as "SHORT=long form;" into a buffer. */
static int on_def(void *ctx, const char *acr, size_t an, const char *lng, size_t ln) {
  char *out = ctx, norm[128];
  size_t n = tl_acronym_normalize(lng, ln, norm, sizeof norm);
  ck_assert_uint_gt(n, 0);
  snprintf(out + strlen(out), 512 - strlen(out), "%.*s=%s;", (int)an, acr, norm);
  return 0;
}

/* A few words, as an analyzer's lexicon would know them. */
static int is_word(void *ctx, const char *w, size_t n) {
  static const char *const words[] = {"redam", "asia", "medan", "jaksa"};
  size_t i;
  (void)ctx;
  for (i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
      return 1;
  return 0;
}

START_TEST(test_acronym_definitions) {
  static const char *const cases[][2] = {
      {"Menurut Badan Pusat Statistik (BPS), inflasi turun.", "BPS=badan pusat statistik;"},
      {"Sidang PBB (Perserikatan Bangsa-Bangsa) dibuka.", "PBB=perserikatan bangsa-bangsa;"},
      {"Data Badan Meteorologi, Klimatologi, dan Geofisika (BMKG).",
       "BMKG=badan meteorologi klimatologi dan geofisika;"},
      {"Anggaran Pendapatan dan Belanja Negara (APBN) naik.",
       "APBN=anggaran pendapatan dan belanja negara;"},
      {"Pada tahun (2020) dan PT Maju (Persero) dan kata (Ok).", ""},
      {"Ia pulang. (BPS) mencatat", ""}, /* nothing before the short form */
      {"harga naik (BPS tidak mencatat)", ""},
      {"(", ""},
      {"KPK (Komisi Pemberantasan Korupsi)", "KPK=komisi pemberantasan korupsi;"},
      /* syllabic acronyms: prefixes of the long form's words, the fewest
       * words before "(" that spell it */
      {"Kata Wakil Presiden (Wapres) kemarin.", "Wapres=wakil presiden;"},
      {"Kepala Badan Perencanaan Pembangunan Nasional (Bappenas) hadir.",
       "Bappenas=badan perencanaan pembangunan nasional;"},
      {"Menteri Komunikasi dan Informatika (Menkominfo) menjawab.",
       "Menkominfo=menteri komunikasi dan informatika;"},
      {"Presiden Joko Widodo (Jokowi) tiba.", "Jokowi=joko widodo;"},
      {"Bulog (Badan Urusan Logistik) menjual beras.", "Bulog=badan urusan logistik;"},
      /* pieces after a noun prefix and word ends; a reduplication counts
       * once in initials */
      {"Kepolisian Resor Kota (Polresta) Bogor.", "Polresta=kepolisian resor kota;"},
      {"Menurut Kementerian Perhubungan (Kemenhub) kemarin.", "Kemenhub=kementerian perhubungan;"},
      {"Kepala Satuan Tugas (Satgas) dan Kejaksaan Negeri (Kejari) hadir.",
       "Satgas=satuan tugas;Kejari=kejaksaan negeri;"},
      {"Ketua Badan Pengawas Pemilu (Bawaslu) bicara.", "Bawaslu=badan pengawas pemilu;"},
      /* kepala gives ka */
      {"Menurut Kepala Kepolisian Daerah (Kapolda) Jawa Timur.",
       "Kapolda=kepala kepolisian daerah;"},
      {"Kepala Satuan Reserse Kriminal (Kasatreskrim) dan Kepala Dinas Kesehatan (Kadinkes).",
       "Kasatreskrim=kepala satuan reserse kriminal;Kadinkes=kepala dinas kesehatan;"},
      {"Pasal itu di Kitab Undang-Undang Hukum Pidana (KUHP) lama.",
       "KUHP=kitab undang-undang hukum pidana;"},
      {"dengan tarif efektif rata-rata (TER) baru", "TER=tarif efektif rata-rata;"},
      /* a short form of two words */
      {"Ketua Komisi Nasional Hak Asasi Manusia (Komnas HAM) hadir.",
       "Komnas HAM=komisi nasional hak asasi manusia;"},
      {"Revisi Undang-Undang Informasi dan Transaksi Elektronik ( UU ITE ) dibahas.",
       "UU ITE=undang-undang informasi dan transaksi elektronik;"},
      {"Badan Pengelola BUMN (BP BUMN) dibentuk.", "BP BUMN=badan pengelola bumn;"},
      {"Saham PT Bank DBS Indonesia (Bank DBS) naik.", ""},
      /* definitions in words: atau disingkat, (selanjutnya disebut) */
      {"Majelis Ulama Indonesia atau disingkat MUI merilis fatwa.", "MUI=majelis ulama indonesia;"},
      {"memakai inter-process communication, atau disingkat IPC, di sini",
       "IPC=inter-process communication;"},
      {"Badan Pusat Statistik (selanjutnya disebut BPS) mencatat.", "BPS=badan pusat statistik;"},
      {"Sebuah Virtual Private Network (disingkat VPN) adalah", "VPN=virtual private network;"},
      {"Komisi Nasional Hak Asasi Manusia yang disingkat dengan Komnas HAM hadir.",
       "Komnas HAM=komisi nasional hak asasi manusia;"},
      {"Kota itu disebut Jakarta. Ia disingkat saja. Harga disebut BPS naik (disingkat)", ""},
      {"Kata Ketua Umum (Ketua umum) itu.", ""},
      /* not syllabic: a long form in lower case, a name that no prefixes
       * spell, too few letters, a single word, initials in mixed case,
       * a long form beginning with a connecting word */
      {"Ia mendarat di bandar udara (Bandara) itu.", ""},
      {"kata Robert Evans (Reuters) kemarin", ""},
      {"Hak Asasi Manusia (Ham) dijunjung.", ""},
      {"Kota Jakarta (Jakarta) ramai.", ""},
      {"Badan Pusat Statistik Nasional (Bpsn) baru.", ""},
      {"Dan Sosial (Danso) baru.", ""},
      /* no end piece in the first word, none of a word in capitals, not a
       * word of the long form itself */
      {"Sekretaris Negara Pratikno (Senin) tiba.", ""},
      {"Pada BUMN (BP BUMN) baru.", ""},
      {"Pilih Format - Bagan (Bagan) lalu.", ""},
      /* a short form that is a word gets prefixes alone; no end piece is a
       * bare suffix (-an, -i is one letter) */
      {"program Kampung Rekonsiliasi dan Perdamaian (Redam) itu", ""},
      {"Hak Asasi Manusia (Asia) dan Kementerian Dalam Negeri (Medan) dan", ""},
      {"Kejaksaan Agung yang disebut Jaksa itu", ""},
      {"Kementerian Keuangan (Kementan) dan Polres Sukabumi (Polri) kini", ""},
      {"Menurut Dewan Pertimbangan (Negara) itu.", ""}};
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char out[512] = "";
    ck_assert_int_eq(tl_acronym_scan(cases[i][0], strlen(cases[i][0]), is_word, NULL, on_def, out),
                     0);
    ck_assert_msg(strcmp(out, cases[i][1]) == 0, "'%s' gave '%s'", cases[i][0], out);
  }
}
END_TEST

static Suite *analyzer_suite(void) {
  Suite *s = suite_create("analyzer");
  TCase *tc = tcase_create("analyzer");
  tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof *cases));
  tcase_add_test(tc, test_positions);
  tcase_add_test(tc, test_words_only);
  tcase_add_test(tc, test_acronym_definitions);
  tcase_add_test(tc, test_callback_stops);
  tcase_add_test(tc, test_stopwords_and_names);
  tcase_add_test(tc, test_create_errors);
  tcase_add_test(tc, test_robust);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(analyzer_suite());
}
