/*
 * test_passage.c - Check suite for lib/passage.[ch]: a table of texts with
 * the exact passages and section headings each must give, long-paragraph
 * splitting, and the seed article of the bundled corpus.
 *
 * Every split is also checked for the invariants of passage.h: ordinals
 * 1..n, ranges in order and trimmed of blank space, and no text lost (every
 * non-blank byte lies in a passage or in the heading of one).
 */
#include "testutil.h"
#include "text/passage.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 8

/* One expected passage: its exact text and its heading ("" for none). */
typedef struct want {
  const char *text;
  const char *heading;
} want;

typedef struct pcase {
  const char *name;
  const char *text;
  size_t count;
  want p[MAXP];
} pcase;

static const pcase cases[] = {
    {"empty", "", 0, {{NULL, NULL}}},
    {"blank lines only", "\n  \n\t\r\n\n", 0, {{NULL, NULL}}},
    {"one line, no line end", "Satu kalimat saja.", 1, {{"Satu kalimat saja.", ""}}},
    {"paragraphs by blank lines",
     "Ini paragraf pertama yang ditulis\ndalam dua baris.\n\n\n   Ini paragraf kedua.  \n",
     2,
     {{"Ini paragraf pertama yang ditulis\ndalam dua baris.", ""}, {"Ini paragraf kedua.", ""}}},
    {"one paragraph per line (news)",
     "Presiden meresmikan jembatan baru di Surabaya.\n"
     "Jembatan itu menghubungkan dua kecamatan.\n"
     "Warga menyambut gembira!\n"
     "Apakah proyek ini selesai tepat waktu?\n",
     4,
     {{"Presiden meresmikan jembatan baru di Surabaya.", ""},
      {"Jembatan itu menghubungkan dua kecamatan.", ""},
      {"Warga menyambut gembira!", ""},
      {"Apakah proyek ini selesai tepat waktu?", ""}}},
    {"hard-wrapped lines joined",
     "Pemerintah akan membangun\nsepuluh sekolah baru tahun\nini di Papua.\n"
     "Pembangunan dimulai pada\nbulan Maret.\n",
     2,
     {{"Pemerintah akan membangun\nsepuluh sekolah baru tahun\nini di Papua.", ""},
      {"Pembangunan dimulai pada\nbulan Maret.", ""}}},
    {"CRLF line ends",
     "Baris satu.\r\nBaris dua yang\r\ndibungkus.\r\n\r\nBaris tiga.\r\n",
     3,
     {{"Baris satu.", ""}, {"Baris dua yang\r\ndibungkus.", ""}, {"Baris tiga.", ""}}},
    {"closing quote after the full stop",
     "Ia berkata, \"Kami siap.\"\nRapat ditutup (pukul 10.00.)\nSelesai.\n",
     3,
     {{"Ia berkata, \"Kami siap.\"", ""}, {"Rapat ditutup (pukul 10.00.)", ""}, {"Selesai.", ""}}},
    {"numbered heading over two paragraphs",
     "Pendahuluan singkat artikel ini.\n\n"
     "2. Menjaga Perdamaian dan Keamanan Dunia\n\n"
     "Tujuan fundamental lainnya adalah perdamaian.\n\n"
     "Selain itu, kerjasama mencegah konflik.\n",
     3,
     {{"Pendahuluan singkat artikel ini.", ""},
      {"Tujuan fundamental lainnya adalah perdamaian.", "2. Menjaga Perdamaian dan Keamanan Dunia"},
      {"Selain itu, kerjasama mencegah konflik.", "2. Menjaga Perdamaian dan Keamanan Dunia"}}},
    {"headings up to the next heading",
     "Bagian Pertama\n\nIsi pertama.\n\nBagian Kedua\n\nIsi kedua.\n",
     2,
     {{"Isi pertama.", "Bagian Pertama"}, {"Isi kedua.", "Bagian Kedua"}}},
    {"heading between one-line paragraphs",
     "Kalimat pertama selesai.\nBagian Kedua\nKalimat kedua di sini.\n",
     2,
     {{"Kalimat pertama selesai.", ""}, {"Kalimat kedua di sini.", "Bagian Kedua"}}},
    {"short wrapped lines are not headings",
     "Rapat dimulai pagi.\nPresiden berkunjung ke\nkantor wali kota\nJakarta Selatan\n"
     "untuk rapat kabinet.\n",
     2,
     {{"Rapat dimulai pagi.", ""},
      {"Presiden berkunjung ke\nkantor wali kota\nJakarta Selatan\nuntuk rapat kabinet.", ""}}},
    {"bullets joined with the introducing paragraph",
     "Prinsip kerjasama antara lain:\n\n"
     "  \xE2\x80\xA2 Saling menghormati kedaulatan\n"
     "  - Kesetaraan dan keadilan\n"
     "  * Saling menguntungkan\n\n"
     "Paragraf berikutnya.\n",
     2,
     {{"Prinsip kerjasama antara lain:\n\n"
       "  \xE2\x80\xA2 Saling menghormati kedaulatan\n"
       "  - Kesetaraan dan keadilan\n"
       "  * Saling menguntungkan",
       ""},
      {"Paragraf berikutnya.", ""}}},
    {"bullets right below the intro, with a wrapped item",
     "Syarat pendaftaran:\n- Warga negara yang\n  berdomisili di Jakarta\n- Berusia 17 tahun\n",
     1,
     {{"Syarat pendaftaran:\n- Warga negara yang\n  berdomisili di Jakarta\n"
       "- Berusia 17 tahun",
       ""}}},
    {"bullets under a heading, no intro",
     "Daftar Anggota\n\n\xE2\x80\xA2 Indonesia\n\xE2\x80\xA2 Malaysia\n",
     1,
     {{"\xE2\x80\xA2 Indonesia\n\xE2\x80\xA2 Malaysia", "Daftar Anggota"}}},
    {"a dash not followed by a space is no bullet",
     "Suhu turun ke\n-5 derajat di puncak.\n",
     1,
     {{"Suhu turun ke\n-5 derajat di puncak.", ""}}},
    {"heading with no paragraph below is kept",
     "Judul Bagian Satu\n\nJudul Bagian Dua\n\nIsi bagian dua.\n\nPenutup Tanpa Isi\n",
     3,
     {{"Judul Bagian Satu", ""},
      {"Isi bagian dua.", "Judul Bagian Dua"},
      {"Penutup Tanpa Isi", ""}}},
    {"consecutive headings with no paragraph make one passage",
     "Lanjutkan Membaca\n\nPOPULER\n\nBerita Terkini\n",
     1,
     {{"Lanjutkan Membaca\n\nPOPULER\n\nBerita Terkini", ""}}},
    {"non-breaking spaces around a line",
     "\xC2\xA0Kalimat satu.\xC2\xA0 \n \xC2\xA0 Kalimat dua:\n\xC2\xA0 - butir\xC2\xA0\n",
     2,
     {{"Kalimat satu.", ""}, {"Kalimat dua:\n\xC2\xA0 - butir", ""}}},
    {"a wrapped line ending in a preposition is not a heading",
     "Presiden berkunjung ke\nJakarta Selatan untuk rapat.\n",
     1,
     {{"Presiden berkunjung ke\nJakarta Selatan untuk rapat.", ""}}},
    {"an unindented line after bullets starts a new paragraph",
     "Syarat:\n- satu\n- dua\nParagraf baru dimulai di sini.\n",
     2,
     {{"Syarat:\n- satu\n- dua", ""}, {"Paragraf baru dimulai di sini.", ""}}},
    {"an indented line after a bullet continues it",
     "Syarat:\n- satu yang panjang\n  berlanjut di sini\n- dua\n",
     1,
     {{"Syarat:\n- satu yang panjang\n  berlanjut di sini\n- dua", ""}}},
};

/* The bytes of text[s..e) as a string, in a buffer the caller frees. */
static char *slice(const char *text, size_t s, size_t e) {
  char *p = malloc(e - s + 1);
  ck_assert_ptr_nonnull(p);
  memcpy(p, text + s, e - s);
  p[e - s] = '\0';
  return p;
}

static int blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/*
 * Checks the invariants of a split of text[0..len): ordinals 1..n, ranges
 * inside the text, in order, not overlapping, not empty, trimmed; headings
 * inside the text; every non-blank byte in a passage or a heading.
 */
static void check_invariants(const char *name, const char *text, size_t len,
                             const tl_passage_list *l) {
  size_t i, b;
  char *covered = calloc(len + 1, 1);
  ck_assert_ptr_nonnull(covered);
  for (i = 0; i < l->count; i++) {
    const tl_passage *p = &l->items[i];
    ck_assert_msg(p->ordinal == i + 1, "%s: passage %zu has ordinal %zu", name, i, p->ordinal);
    ck_assert_msg(p->start < p->end && p->end <= len, "%s: passage %zu [%zu,%zu)", name, i + 1,
                  p->start, p->end);
    ck_assert_msg(!blank((unsigned char)text[p->start]) && !blank((unsigned char)text[p->end - 1]),
                  "%s: passage %zu not trimmed", name, i + 1);
    if (i > 0)
      ck_assert_msg(l->items[i - 1].end < p->start, "%s: passage %zu overlaps", name, i + 1);
    ck_assert(p->heading_start <= p->heading_end && p->heading_end <= len);
    for (b = p->start; b < p->end; b++)
      covered[b] = 1;
    for (b = p->heading_start; b < p->heading_end; b++)
      covered[b] = 1;
  }
  for (b = 0; b < len; b++)
    if (!covered[b] && !blank((unsigned char)text[b]) &&
        !((unsigned char)text[b] == 0xC2 && b + 1 < len && (unsigned char)text[b + 1] == 0xA0) &&
        !((unsigned char)text[b] == 0xA0 && b > 0 && (unsigned char)text[b - 1] == 0xC2))
      ck_abort_msg("%s: byte %zu ('%c') is in no passage and no heading", name, b, text[b]);
  free(covered);
}

/* Splits text, which must succeed, and checks the invariants. */
static void split(const char *name, const char *text, size_t len, tl_passage_list *l) {
  tl_error err;
  int rc = tl_passages_split(text, len, l, &err);
  ck_assert_msg(rc == TL_OK, "%s: %d %s", name, rc, err.msg);
  check_invariants(name, text, len, l);
}

START_TEST(test_table) {
  const pcase *c = &cases[_i];
  tl_passage_list l = {0};
  size_t i;
  split(c->name, c->text, strlen(c->text), &l);
  if (l.count != c->count) {
    for (i = 0; i < l.count; i++) {
      char *t = slice(c->text, l.items[i].start, l.items[i].end);
      fprintf(stderr, "%s: #%zu [%s]\n", c->name, i + 1, t);
      free(t);
    }
  }
  ck_assert_msg(l.count == c->count, "%s: %zu passages, want %zu", c->name, l.count, c->count);
  for (i = 0; i < c->count; i++) {
    const tl_passage *p = &l.items[i];
    char *t = slice(c->text, p->start, p->end);
    char *h = slice(c->text, p->heading_start, p->heading_end);
    ck_assert_msg(strcmp(t, c->p[i].text) == 0, "%s: passage %zu is [%s], want [%s]", c->name,
                  i + 1, t, c->p[i].text);
    ck_assert_msg(strcmp(h, c->p[i].heading) == 0, "%s: passage %zu heading is [%s], want [%s]",
                  c->name, i + 1, h, c->p[i].heading);
    free(t);
    free(h);
  }
  tl_passage_list_free(&l);
  ck_assert_ptr_null(l.items);
  ck_assert_uint_eq(l.count, 0);
}
END_TEST

/* The list is cleared, not appended to, when it is reused. */
START_TEST(test_reuse_list) {
  tl_passage_list l = {0};
  static const char a[] = "Satu.\nDua.\nTiga.\n", b[] = "Empat.\n";
  split("a", a, sizeof a - 1, &l);
  ck_assert_uint_eq(l.count, 3);
  split("b", b, sizeof b - 1, &l);
  ck_assert_uint_eq(l.count, 1);
  ck_assert_uint_eq(l.items[0].ordinal, 1);
  ck_assert_uint_eq(l.items[0].start, 0);
  ck_assert_uint_eq(l.items[0].end, 6);
  tl_passage_list_free(&l);
}
END_TEST

/* Counts blank-separated words in s[0..n). */
static size_t words(const char *s, size_t n) {
  size_t i, w = 0;
  int in = 0;
  for (i = 0; i < n; i++) {
    int sp = blank((unsigned char)s[i]);
    w += !sp && !in;
    in = !sp;
  }
  return w;
}

/*
 * Builds a paragraph of nsent sentences of 9 words each (the first word
 * numbered, so that every word is unique), under a heading. With wrap, the
 * paragraph is hard-wrapped: a line end replaces the space after every
 * 10th word or so, never after a full stop (that would end the paragraph).
 */
static char *long_paragraph_wrapped(size_t nsent, int wrap, size_t *len) {
  static const char *const w[] = {"ini",  "berisi", "tepat", "sembilan",
                                  "kata", "untuk",  "uji",   "pemecahan."};
  size_t cap = nsent * 96 + 64, n = 0, i, k, since = 0;
  char *t = malloc(cap);
  ck_assert_ptr_nonnull(t);
  n += (size_t)snprintf(t, cap, "Bagian Panjang\n\n");
  for (i = 0; i < nsent; i++) {
    n += (size_t)snprintf(t + n, cap - n, "%sKalimat%zu", i ? " " : "", i + 1);
    since++;
    for (k = 0; k < 8; k++) {
      int nl = wrap && since >= 10 && k < 7;
      n += (size_t)snprintf(t + n, cap - n, "%s%s", nl ? "\n" : " ", w[k]);
      since = nl ? 1 : since + 1;
    }
  }
  n += (size_t)snprintf(t + n, cap - n, "\n");
  *len = n;
  return t;
}

static char *long_paragraph(size_t nsent, size_t *len) {
  return long_paragraph_wrapped(nsent, 0, len);
}

/*
 * A paragraph of 450 words (loop 0: one line; loop 1: hard-wrapped, its
 * line ends inside sentences) is split at sentence ends into parts of at
 * most TL_PASSAGE_MAX_WORDS words, none lost, each keeping the heading.
 */
START_TEST(test_long_paragraph) {
  size_t len, i, total = 0, body;
  char *t = long_paragraph_wrapped(50, _i, &len);
  tl_passage_list l = {0};
  split("long", t, len, &l);
  body = strlen("Bagian Panjang\n\n");
  ck_assert_uint_eq(words(t + body, len - body), 450);
  /* ceil(450 / 200) = 3 parts of about 150 words */
  ck_assert_uint_eq(l.count, (450 + TL_PASSAGE_MAX_WORDS - 1) / TL_PASSAGE_MAX_WORDS);
  ck_assert_uint_eq(l.items[0].start, body);
  ck_assert_uint_eq(l.items[l.count - 1].end, len - 1);
  for (i = 0; i < l.count; i++) {
    const tl_passage *p = &l.items[i];
    size_t w = words(t + p->start, p->end - p->start);
    char *h = slice(t, p->heading_start, p->heading_end);
    ck_assert_str_eq(h, "Bagian Panjang");
    free(h);
    ck_assert_msg(w <= TL_PASSAGE_MAX_WORDS, "part %zu has %zu words", i + 1, w);
    ck_assert_msg(w >= 450 / l.count / 2, "part %zu has only %zu words", i + 1, w);
    ck_assert_msg(w % 9 == 0, "part %zu cuts a sentence (%zu words)", i + 1, w);
    ck_assert_int_eq(t[p->end - 1], '.');
    ck_assert_int_eq(strncmp(t + p->start, "Kalimat", 7), 0);
    if (i > 0) { /* only the space between sentences is between parts */
      ck_assert_uint_eq(p->start, l.items[i - 1].end + 1);
      ck_assert(t[p->start - 1] == ' ' || t[p->start - 1] == '\n');
    }
    total += w;
  }
  ck_assert_uint_eq(total, 450);
  tl_passage_list_free(&l);
  free(t);
}
END_TEST

/* At the limit a paragraph stays whole; one word more splits it in two. */
START_TEST(test_split_threshold) {
  size_t len;
  char *t;
  tl_passage_list l = {0};
  /* 22 sentences = 198 words, plus "Dua kata." = 200 */
  t = long_paragraph(22, &len);
  t[len - 1] = '\0';
  {
    char *u = malloc(len + 32);
    size_t n;
    ck_assert_ptr_nonnull(u);
    n = (size_t)snprintf(u, len + 32, "%s Dua kata.", t);
    split("200 words", u, n, &l);
    ck_assert_uint_eq(l.count, 1);
    ck_assert_uint_eq(words(u + l.items[0].start, l.items[0].end - l.items[0].start), 200);
    n = (size_t)snprintf(u, len + 32, "%s Tiga kata ini.", t);
    split("201 words", u, n, &l);
    ck_assert_uint_eq(l.count, 2);
    ck_assert_uint_eq(words(u + l.items[0].start, l.items[0].end - l.items[0].start) +
                          words(u + l.items[1].start, l.items[1].end - l.items[1].start),
                      201);
    free(u);
  }
  tl_passage_list_free(&l);
  free(t);
}
END_TEST

/* Finds the passage whose text starts with prefix; fails when none does. */
static const tl_passage *find_starting(const char *text, const tl_passage_list *l,
                                       const char *prefix) {
  size_t i, n = strlen(prefix);
  for (i = 0; i < l->count; i++)
    if (l->items[i].end - l->items[i].start >= n &&
        memcmp(text + l->items[i].start, prefix, n) == 0)
      return &l->items[i];
  ck_abort_msg("no passage starts with '%s'", prefix);
  return NULL;
}

/* Finds the passage holding the byte offset at; fails when none does. */
static const tl_passage *find_holding(const tl_passage_list *l, size_t at) {
  size_t i;
  for (i = 0; i < l->count; i++)
    if (l->items[i].start <= at && at < l->items[i].end)
      return &l->items[i];
  ck_abort_msg("no passage holds byte %zu", at);
  return NULL;
}

/* Asserts that passage p has the heading want. */
static void expect_heading(const char *text, const tl_passage *p, const char *want) {
  char *h = slice(text, p->heading_start, p->heading_end);
  ck_assert_msg(strcmp(h, want) == 0, "passage %zu heading [%s], want [%s]", p->ordinal, h, want);
  free(h);
}

/* The seed article, its title line skipped as the reader does. */
START_TEST(test_seed_article) {
  char path[1024];
  size_t len;
  char *file, *text, *intro;
  const tl_passage *p, *q;
  const char *last_bullet =
      "\xE2\x80\xA2 Kerjasama Indonesia-Arab Saudi dalam penyelenggaraan ibadah haji";
  tl_passage_list l = {0};
  snprintf(path, sizeof path, "%s/corpus/000_2094494d46160138.txt", tu_source_dir());
  file = tu_read_file(path, &len);
  ck_assert_ptr_nonnull(file);
  text = strchr(file, '\n') + 1;
  len -= (size_t)(text - file);
  split("seed", text, len, &l);
  ck_assert_uint_gt(l.count, 20);

  p = find_starting(text, &l, "Kerjasama bilateral adalah");
  expect_heading(text, p, "1. Kerjasama Bilateral");

  /* the bullet list is in the passage of the line introducing it */
  intro = strstr(text, "Contoh kerjasama bilateral Indonesia antara lain:");
  ck_assert_ptr_nonnull(intro);
  q = find_holding(&l, (size_t)(intro - text));
  ck_assert_uint_eq(q->start, (size_t)(intro - text));
  ck_assert_uint_eq(q->ordinal, p->ordinal + 1);
  expect_heading(text, q, "1. Kerjasama Bilateral");
  ck_assert_ptr_eq(find_holding(&l, (size_t)(strstr(text, "Kerjasama Indonesia-Jepang") - text)),
                   q);
  ck_assert_uint_eq(q->end, (size_t)(strstr(text, last_bullet) - text) + strlen(last_bullet));

  p = find_starting(text, &l, "Tujuan fundamental lainnya");
  expect_heading(text, p, "2. Menjaga Perdamaian dan Keamanan Dunia");
  q = find_starting(text, &l, "Selain itu, interdependensi");
  expect_heading(text, q, "2. Menjaga Perdamaian dan Keamanan Dunia");
  ck_assert_uint_eq(q->ordinal, p->ordinal + 1);

  /* the first paragraph comes before any heading */
  p = &l.items[0];
  ck_assert_int_eq(strncmp(text + p->start, "Pelajari tujuan utama", 21), 0);
  ck_assert_uint_eq(p->heading_start, p->heading_end);
  /* a heading is never a passage of its own where a paragraph follows it */
  for (size_t i = 0; i < l.count; i++)
    ck_assert_int_ne(strncmp(text + l.items[i].start, "1. Kerjasama Bilateral", 22), 0);

  tl_passage_list_free(&l);
  free(file);
}
END_TEST

/* Builds the suite. */
static Suite *passage_suite(void) {
  Suite *s = suite_create("passage");
  TCase *tc = tcase_create("passage");
  tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof *cases));
  tcase_add_test(tc, test_reuse_list);
  tcase_add_loop_test(tc, test_long_paragraph, 0, 2);
  tcase_add_test(tc, test_split_threshold);
  tcase_add_test(tc, test_seed_article);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(passage_suite());
}
