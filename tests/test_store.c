/*
 * test_store.c - Check suite for lib/store.{h,cc}: writing and reading a
 * Xapian database through the C shim, ranking, deletion, metadata,
 * transactions, and above all that Xapian's errors reach the caller as
 * status codes with Xapian's own message.
 */
#include "index/schema.h"
#include "testutil.h"
#include "xapian/store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char db[512];

static void setup(void) {
  tu_dir_setup();
  snprintf(db, sizeof db, "%s/db", tu_dir);
}

static tl_store *open_ok(const char *path, int mode) {
  tl_store *s = NULL;
  tl_error err;
  int rc = tl_store_open(path, mode, &s, &err);
  ck_assert_msg(rc == TL_OK, "open %s: %d %s", path, rc, err.msg);
  ck_assert_ptr_nonnull(s);
  return s;
}

/* Checks that call returns TL_OK, printing err's message otherwise. */
#define OK(call)                                                                                   \
  do {                                                                                             \
    int rc_ = (call);                                                                              \
    ck_assert_msg(rc_ == TL_OK, "%s: %d %s", #call, rc_, err.msg);                                 \
  } while (0)

/* The record of a passage one_passage made with data: its own part and
 * its article's, joined (schema.h). */
#define REC(data) "{\"passage\":1,\"article_id\":\"" data "\"}"

/* Appends a record (schema.h: its length in 4 bytes, then its bytes) to
 * buf at *n. */
static void put_record(char *buf, size_t cap, size_t *n, const char *rec) {
  size_t len = strlen(rec);
  ck_assert_uint_lt(*n + 4 + len, cap);
  for (int k = 0; k < 4; k++)
    buf[*n + k] = (char)(unsigned char)(len >> (8 * k));
  memcpy(buf + *n + 4, rec, len + 1); /* its NUL, not counted */
  *n += 4 + len;
}

/*
 * Makes d one passage (schema.h): its positions first..end-1 and length in
 * TL_SLOT_PASSAGES, the passage counts' terms, and as its data an article
 * part whose id is data and the passage's own part (REC(data) joined).
 */
static void one_passage(tl_doc *d, const char *data, unsigned first, unsigned end,
                        unsigned length) {
  tl_error err;
  unsigned char table[TL_PASSAGE_ENTRY];
  char rec[512], article[300];
  size_t n = 0;
  const unsigned v[3] = {first, end, length};
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 4; k++)
      table[4 * i + k] = (unsigned char)(v[i] >> (8 * k));
  OK(tl_doc_set_value(d, TL_SLOT_PASSAGES, (const char *)table, sizeof table, &err));
  OK(tl_doc_add_term(d, TL_TERM_PASSAGES, strlen(TL_TERM_PASSAGES), 1, &err));
  OK(tl_doc_add_term(d, TL_TERM_LENGTH, strlen(TL_TERM_LENGTH), length, &err));
  ck_assert_uint_lt(strlen(data), 200);
  snprintf(article, sizeof article, "{\"article_id\":\"%s\"}", data);
  put_record(rec, sizeof rec, &n, article);
  put_record(rec, sizeof rec, &n, "{\"passage\":1}");
  OK(tl_doc_set_records(d, rec, n, &err));
}

/*
 * Adds a passage: words at positions 1.. (each its own stem, which schema.h
 * does not write: a query's stem TL_PREFIX_STEM + word finds the word), the
 * TL_PREFIX_ID + id term, data and a value.
 */
static void add_doc(tl_store *s, const char *id, const char *const *words, const char *data) {
  tl_doc *d = NULL;
  tl_error err;
  char buf[300];
  unsigned pos;
  OK(tl_doc_create(&d, &err));
  for (pos = 1; words[pos - 1]; pos++) {
    const char *w = words[pos - 1];
    OK(tl_doc_add_posting(d, w, strlen(w), pos, &err));
  }
  snprintf(buf, sizeof buf, TL_PREFIX_ID "%s", id);
  OK(tl_doc_add_term(d, buf, strlen(buf), 0, &err));
  one_passage(d, data, 1, pos, 2 * (pos - 1));
  OK(tl_doc_set_value(d, TL_SLOT_ARTICLE_ID, id, strlen(id), &err));
  OK(tl_store_add(s, d, &err));
  tl_doc_free(d);
}

static const char *stem_same(void *ctx, const char *w, size_t len, size_t *n) {
  (void)ctx;
  *n = len;
  return w;
}

static int stop_dan(void *ctx, const char *w, size_t len) {
  (void)ctx;
  return len == 3 && memcmp(w, "dan", 3) == 0;
}

/* Search options with Xapian's BM25 defaults (k1 1, b 0.5), stem and count;
 * the rest zero. */
static tl_search_options options(tl_stem_fn stem, unsigned count) {
  tl_search_options o;
  memset(&o, 0, sizeof o);
  o.rank.k1 = 1;
  o.rank.b = 0.5;
  o.stem = stem;
  o.count = count;
  return o;
}

/* Searches, which must succeed. */
static tl_hits *search(tl_store *s, const char *q) {
  tl_search_options o;
  tl_hits *h = NULL;
  tl_error err;
  int rc;
  o = options(stem_same, 10);
  o.stop = stop_dan;
  rc = tl_store_search(s, q, &o, &h, &err);
  ck_assert_msg(rc == TL_OK, "search '%s': %d %s", q, rc, err.msg);
  ck_assert_ptr_nonnull(h);
  return h;
}

static const char *const d1[] = {"kucing", "hitam", "tidur", "di", "sofa", NULL};
static const char *const d2[] = {"anjing", "hitam", "mengejar", "kucing", "anjing", NULL};
static const char *const d3[] = {"burung", "terbang", "dan", "bernyanyi", NULL};

/* Writes the three passages above, committed, with metadata. */
static void build(void) {
  tl_store *s = open_ok(db, TL_STORE_WRITE);
  tl_error err;
  OK(tl_store_begin(s, &err));
  add_doc(s, "a1", d1, "doc1");
  add_doc(s, "a2", d2, "doc2");
  add_doc(s, "a3", d3, "doc3");
  OK(tl_store_set_metadata(s, "telusur.stemmer", "none", &err));
  OK(tl_store_commit(s, &err));
  ck_assert_uint_eq(tl_store_doc_count(s), 3);
  tl_store_close(s);
}

/* A database built from nothing (TL_STORE_CREATE: commits not synced) and
 * synced once at the end holds what was committed; the sync names what it
 * cannot reach. */
START_TEST(test_create_then_sync) {
  tl_store *s = open_ok(db, TL_STORE_CREATE);
  tl_hits *h;
  tl_error err;
  char missing[600];
  OK(tl_store_begin(s, &err));
  add_doc(s, "a1", d1, "doc1");
  add_doc(s, "a2", d2, "doc2");
  OK(tl_store_commit(s, &err));
  OK(tl_store_sync(db, &err));
  tl_store_close(s);
  s = open_ok(db, TL_STORE_READ);
  ck_assert_uint_eq(tl_store_doc_count(s), 2);
  h = search(s, "anjing");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc2"));
  tl_hits_free(h);
  tl_store_close(s);
  /* written to again as an existing database: commits synced as usual */
  s = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_begin(s, &err));
  add_doc(s, "a3", d3, "doc3");
  OK(tl_store_commit(s, &err));
  ck_assert_uint_eq(tl_store_doc_count(s), 3);
  tl_store_close(s);

  snprintf(missing, sizeof missing, "%s/no-such-dir", db);
  ck_assert_int_eq(tl_store_sync(missing, &err), TL_ERR_IO);
  ck_assert_msg(strstr(err.msg, missing) != NULL, "message: %s", err.msg);
  /* a file (a stub database) is synced with its entry */
  snprintf(missing, sizeof missing, "%s/iamglass", db);
  OK(tl_store_sync(missing, &err));
}
END_TEST

START_TEST(test_write_and_search) {
  tl_store *s;
  tl_hits *h;
  tl_error err;
  char *v = NULL;
  build();
  s = open_ok(db, TL_STORE_READ);
  ck_assert_uint_eq(tl_store_doc_count(s), 3);

  /* a word: the passage holding it twice ranks first */
  h = search(s, "anjing");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc2"));
  ck_assert_uint_eq(h->items[0].data_len, strlen(REC("doc2")));
  ck_assert_double_gt(h->items[0].score, 0);
  ck_assert_uint_eq(h->nterms, 1);
  ck_assert_str_eq(h->terms[0], "Zanjing");
  ck_assert_ptr_nonnull(h->query);
  ck_assert_ptr_null(h->items[0].explain);
  tl_hits_free(h);

  /* a word in two passages: both found */
  h = search(s, "kucing");
  ck_assert_uint_eq(h->count, 2);
  ck_assert_uint_eq(h->estimated, 2);
  tl_hits_free(h);

  /* a phrase: only the passage with the words side by side, in order */
  h = search(s, "\"kucing hitam\"");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc1"));
  tl_hits_free(h);
  h = search(s, "\"hitam kucing\"");
  ck_assert_uint_eq(h->count, 0);
  tl_hits_free(h);
  h = search(s, "\"anjing hitam\"");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc2"));
  tl_hits_free(h);

  /* OR of words: the passage with more of them first */
  h = search(s, "anjing mengejar burung");
  ck_assert_uint_eq(h->count, 2);
  ck_assert_str_eq(h->items[0].data, REC("doc2"));
  ck_assert_str_eq(h->items[1].data, REC("doc3"));
  tl_hits_free(h);

  /* boolean operators */
  h = search(s, "kucing NOT anjing");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc1"));
  tl_hits_free(h);

  /* metadata round trip; an unset key reads as "" */
  OK(tl_store_get_metadata(s, "telusur.stemmer", &v, &err));
  ck_assert_str_eq(v, "none");
  free(v);
  OK(tl_store_get_metadata(s, "no.such.key", &v, &err));
  ck_assert_str_eq(v, "");
  free(v);
  OK(tl_store_reopen(s, &err));
  tl_store_close(s);
  tl_store_close(NULL);
  tl_hits_free(NULL);
}
END_TEST

/* Explanations: one "term=weight" pair per matching query term. */
START_TEST(test_explain) {
  tl_store *s;
  tl_search_options o;
  tl_hits *h = NULL;
  tl_error err;
  build();
  s = open_ok(db, TL_STORE_READ);
  o = options(stem_same, 10);
  o.explain = 1;
  OK(tl_store_search(s, "anjing burung", &o, &h, &err));
  ck_assert_uint_eq(h->count, 2);
  ck_assert_ptr_nonnull(h->items[0].explain);
  ck_assert_ptr_nonnull(strstr(h->items[0].explain, "Zanjing="));
  ck_assert_ptr_null(strstr(h->items[0].explain, "Zburung="));
  ck_assert_ptr_nonnull(strstr(h->items[1].explain, "Zburung="));
  tl_hits_free(h);
  tl_store_close(s);
}
END_TEST

/* berlari -> lari, other words their own stem. */
static const char *stem_ber(void *ctx, const char *w, size_t len, size_t *n) {
  (void)ctx;
  if (len > 3 && memcmp(w, "ber", 3) == 0) {
    *n = len - 3;
    return w + 3;
  }
  *n = len;
  return w;
}

/* Searches "berlari pagi" with the first stage's documents read one block
 * of one after another, lean_words as given: the first passage's article
 * into top, the score of each article's passage into score[0] (runs) and
 * score[1] (ran), or -1 when it is not among the count hits. */
static void lean_search(tl_store *s, unsigned lean_words, unsigned count, char *top,
                        double score[2]) {
  tl_search_options o;
  tl_hits *h = NULL;
  tl_error err;
  o = options(stem_ber, count);
  o.rank.exact_weight = 2;
  o.block = 1;
  o.lean_words = lean_words;
  OK(tl_store_search(s, "berlari pagi", &o, &h, &err));
  ck_assert_uint_ge(h->count, 1);
  score[0] = score[1] = -1;
  for (size_t i = 0; i < h->count; i++) {
    tl_passage_record r;
    OK(tl_record_decode(h->items[i].data, h->items[i].data_len, &r, &err));
    if (i == 0)
      snprintf(top, 16, "%s", r.article_id);
    score[strcmp(r.article_id, "ran") == 0] = h->items[i].score;
    tl_record_release(&r);
  }
  tl_hits_free(h);
}

/* A query of lean_words distinct words or more finds its documents by its
 * stems alone: the exact form typed (berlari, weighted 2) no longer lifts
 * the document that holds it in Xapian's ranking, so the first block of one
 * document is the one with more of the stem (lari x 3); each passage's own
 * score is the same either way. */
START_TEST(test_lean_first_stage) {
  static const char *const runs[] = {"lari", "lari", "lari", "pagi", NULL};
  static const char *const ran[] = {"berlari", "pagi", "ini", "juga", NULL};
  tl_store *s = open_ok(db, TL_STORE_WRITE);
  tl_doc *d = NULL;
  tl_error err;
  char top[16];
  double full[2], lean[2], one[2];
  OK(tl_store_begin(s, &err));
  add_doc(s, "runs", runs, "runs");
  OK(tl_doc_create(&d, &err));
  for (unsigned pos = 1; ran[pos - 1]; pos++)
    OK(tl_doc_add_posting(d, ran[pos - 1], strlen(ran[pos - 1]), pos, &err));
  OK(tl_doc_add_posting(d, TL_PREFIX_STEM "lari", strlen(TL_PREFIX_STEM "lari"), 1, &err));
  OK(tl_doc_add_term(d, TL_PREFIX_ID "ran", strlen(TL_PREFIX_ID "ran"), 0, &err));
  one_passage(d, "ran", 1, 5, 8);
  OK(tl_doc_set_value(d, TL_SLOT_ARTICLE_ID, "ran", 3, &err));
  OK(tl_store_add(s, d, &err));
  tl_doc_free(d);
  OK(tl_store_commit(s, &err));
  tl_store_close(s);
  s = open_ok(db, TL_STORE_READ);
  lean_search(s, 0, 1, top, one); /* the exact form lifts ran */
  ck_assert_str_eq(top, "ran");
  lean_search(s, 3, 1, top, one); /* two words, under 3 */
  ck_assert_str_eq(top, "ran");
  lean_search(s, 2, 1, top, one); /* stems alone */
  ck_assert_str_eq(top, "runs");
  lean_search(s, 1, 1, top, one);
  ck_assert_str_eq(top, "runs");
  /* both documents read: the same passages with the same scores */
  lean_search(s, 0, 3, top, full);
  lean_search(s, 2, 3, top, lean);
  ck_assert(full[0] > 0 && full[1] > 0);
  ck_assert(full[0] == lean[0] && full[1] == lean[1]);
  ck_assert(one[0] == lean[0]);
  tl_store_close(s);
}
END_TEST

/* Queries with nothing to search for are usage errors. */
START_TEST(test_empty_query) {
  tl_store *s;
  tl_search_options o;
  tl_hits *h = (tl_hits *)1;
  tl_error err;
  build();
  s = open_ok(db, TL_STORE_READ);
  o = options(stem_same, 10);
  o.stop = stop_dan;
  ck_assert_int_eq(tl_store_search(s, "", &o, &h, &err), TL_ERR_USAGE);
  ck_assert_ptr_null(h);
  ck_assert_str_ne(err.msg, "");
  h = (tl_hits *)1;
  ck_assert_int_eq(tl_store_search(s, " , . ; ", &o, &h, &err), TL_ERR_USAGE);
  ck_assert_ptr_null(h);
  /* a query of stopwords only keeps them (Xapian's QueryParser rule) */
  OK(tl_store_search(s, "dan", &o, &h, &err));
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc3"));
  tl_hits_free(h);
  /* beside other words a stopword is dropped */
  OK(tl_store_search(s, "dan anjing", &o, &h, &err));
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc2"));
  ck_assert_uint_eq(h->nterms, 1);
  tl_hits_free(h);
  tl_store_close(s);
}
END_TEST

/* Deleting by the article's "Q" term removes its passages. */
START_TEST(test_delete_term) {
  tl_store *s;
  tl_hits *h;
  tl_error err;
  build();
  s = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_delete_term(s, "Qa2", 3, &err));
  OK(tl_store_delete_term(s, "Qnone", 5, &err)); /* no document: not an error */
  OK(tl_store_commit(s, &err));
  ck_assert_uint_eq(tl_store_doc_count(s), 2);
  tl_store_close(s);
  s = open_ok(db, TL_STORE_READ);
  ck_assert_uint_eq(tl_store_doc_count(s), 2);
  h = search(s, "anjing");
  ck_assert_uint_eq(h->count, 0);
  tl_hits_free(h);
  h = search(s, "kucing");
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data, REC("doc1"));
  tl_hits_free(h);
  tl_store_close(s);
}
END_TEST

/* A transaction not committed before close leaves nothing behind. */
START_TEST(test_uncommitted_transaction) {
  tl_store *s;
  tl_error err;
  build();
  s = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_begin(s, &err));
  add_doc(s, "a4", d3, "doc4");
  OK(tl_store_delete_term(s, "Qa1", 3, &err));
  OK(tl_store_set_metadata(s, "telusur.stemmer", "snowball", &err));
  tl_store_close(s);

  s = open_ok(db, TL_STORE_READ);
  ck_assert_uint_eq(tl_store_doc_count(s), 3);
  {
    char *v = NULL;
    OK(tl_store_get_metadata(s, "telusur.stemmer", &v, &err));
    ck_assert_str_eq(v, "none");
    free(v);
  }
  tl_store_close(s);

  /* a fresh database: the transaction leaves it empty */
  snprintf(db, sizeof db, "%s/db2", tu_dir);
  s = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_begin(s, &err));
  add_doc(s, "b1", d1, "x");
  tl_store_close(s);
  s = open_ok(db, TL_STORE_READ);
  ck_assert_uint_eq(tl_store_doc_count(s), 0);
  tl_store_close(s);
}
END_TEST

/* A read-only store refuses every write with TL_ERR_USAGE. */
START_TEST(test_read_only_refuses_writes) {
  tl_store *s;
  tl_doc *d = NULL;
  tl_error err;
  build();
  s = open_ok(db, TL_STORE_READ);
  ck_assert_int_eq(tl_store_begin(s, &err), TL_ERR_USAGE);
  ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
  ck_assert_int_eq(tl_store_commit(s, &err), TL_ERR_USAGE);
  ck_assert_int_eq(tl_store_delete_term(s, "Qa1", 3, &err), TL_ERR_USAGE);
  ck_assert_int_eq(tl_store_set_metadata(s, "k", "v", &err), TL_ERR_USAGE);
  OK(tl_doc_create(&d, &err));
  OK(tl_doc_add_term(d, "x", 1, 1, &err));
  ck_assert_int_eq(tl_store_add(s, d, &err), TL_ERR_USAGE);
  ck_assert_int_eq(err.code, TL_ERR_USAGE);
  tl_doc_free(d);
  ck_assert_uint_eq(tl_store_doc_count(s), 3);
  tl_store_close(s);
}
END_TEST

/* Terms: empty or over 245 bytes are refused before Xapian sees them. */
START_TEST(test_term_limits) {
  tl_doc *d = NULL;
  tl_store *s;
  tl_error err;
  char t[300];
  memset(t, 'a', sizeof t);
  OK(tl_doc_create(&d, &err));
  ck_assert_int_eq(tl_doc_add_posting(d, t, 246, 1, &err), TL_ERR_USAGE);
  ck_assert_ptr_nonnull(strstr(err.msg, "246"));
  ck_assert_int_eq(tl_doc_add_term(d, t, 300, 1, &err), TL_ERR_USAGE);
  ck_assert_int_eq(tl_doc_add_term(d, t, 0, 1, &err), TL_ERR_USAGE);
  ck_assert_int_eq(tl_doc_add_posting(d, t, 0, 1, &err), TL_ERR_USAGE);
  /* 245 bytes is the most Xapian takes: stored and found */
  OK(tl_doc_add_posting(d, t, 245, 1, &err));
  OK(tl_doc_set_records(d, "long", 4, &err));
  s = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_add(s, d, &err));
  OK(tl_store_commit(s, &err));
  ck_assert_uint_eq(tl_store_doc_count(s), 1);
  /* a cleared document is empty again */
  tl_doc_clear(d);
  OK(tl_store_add(s, d, &err));
  OK(tl_store_commit(s, &err));
  ck_assert_uint_eq(tl_store_doc_count(s), 2);
  tl_store_close(s);
  tl_doc_free(d);
  tl_doc_free(NULL);
}
END_TEST

/*
 * A term Xapian itself rejects (245 bytes, but NUL bytes take two bytes
 * each in Xapian's keys) comes back as TL_ERR_XAPIAN with Xapian's message,
 * from the add or from the commit, and the store stays usable.
 */
START_TEST(test_xapian_error_from_add) {
  tl_doc *d = NULL;
  tl_store *s;
  tl_error err;
  char t[245];
  int rc;
  memset(t, 0, sizeof t);
  OK(tl_doc_create(&d, &err));
  OK(tl_doc_add_term(d, t, sizeof t, 1, &err));
  s = open_ok(db, TL_STORE_WRITE);
  rc = tl_store_add(s, d, &err);
  if (rc == TL_OK)
    rc = tl_store_commit(s, &err);
  ck_assert_int_eq(rc, TL_ERR_XAPIAN);
  ck_assert_int_eq(err.code, TL_ERR_XAPIAN);
  ck_assert_msg(strstr(err.msg, "InvalidArgumentError") != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "too long") != NULL, "%s", err.msg);
  tl_doc_free(d);
  tl_store_close(s);
}
END_TEST

/* Opening errors: Xapian's, as codes with Xapian's message. */
START_TEST(test_open_errors) {
  tl_store *s = (tl_store *)1;
  tl_error err;
  char path[600];

  /* read-only, nothing there */
  snprintf(path, sizeof path, "%s/missing", tu_dir);
  ck_assert_int_eq(tl_store_open(path, TL_STORE_READ, &s, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_null(s);
  ck_assert_int_eq(err.code, TL_ERR_NOTFOUND);
  ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "DatabaseNotFoundError") != NULL, "%s", err.msg);
  ck_assert_ptr_null(strchr(err.msg, '\n'));

  /* read-only, a directory that is not a database */
  snprintf(path, sizeof path, "%s/empty", tu_dir);
  ck_assert_int_eq(mkdir(path, 0755), 0);
  s = (tl_store *)1;
  ck_assert_int_eq(tl_store_open(path, TL_STORE_READ, &s, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "DatabaseNotFoundError") != NULL, "%s", err.msg);

  /* read-only, a regular file that is not a stub database: the line named */
  snprintf(path, sizeof path, "%s/file", tu_dir);
  ck_assert_int_eq(tu_write_file(path, "not a database\n", 15), 0);
  s = (tl_store *)1;
  ck_assert_int_eq(tl_store_open(path, TL_STORE_READ, &s, &err), TL_ERR_FORMAT);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "file:1: 'not a database'") != NULL, "%s", err.msg);
  /* a binary file's control bytes are quoted escaped, and a long line cut */
  {
    char bin[200];
    memset(bin, 'x', sizeof bin);
    static const char head[8] = {'a', 'b', 0x1b, '[', '3', '1', 'm', 0x01}; /* no NUL */
    memcpy(bin, head, sizeof head);
    ck_assert_int_eq(tu_write_file(path, bin, sizeof bin), 0);
    ck_assert_int_eq(tl_store_open(path, TL_STORE_READ, &s, &err), TL_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, "file:1: 'ab\\x1b[31m\\x01xxx") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "xxx...': expected") != NULL, "%s", err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\x1b'));
    ck_assert_uint_lt(strlen(err.msg), sizeof bin);
    ck_assert_int_eq(tu_write_file(path, "not a database\n", 15), 0);
  }

  /* for writing, a regular file: Xapian reads it as a stub and fails */
  s = (tl_store *)1;
  ck_assert_int_eq(tl_store_open(path, TL_STORE_WRITE, &s, &err), TL_ERR_NOTFOUND);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "DatabaseOpeningError") != NULL, "%s", err.msg);

  /* for writing, under a missing directory */
  snprintf(path, sizeof path, "%s/no/such/dir/db", tu_dir);
  s = (tl_store *)1;
  ck_assert_int_eq(tl_store_open(path, TL_STORE_WRITE, &s, &err), TL_ERR_XAPIAN);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
  ck_assert_msg(strstr(err.msg, "DatabaseCreateError") != NULL, "%s", err.msg);
}
END_TEST

/* Tries to open db for writing in a child process; returns the code. */
static int writer_in_child(const char *path, char *msg, size_t msglen) {
  int fd[2], status = 0;
  pid_t pid;
  ssize_t n;
  ck_assert_int_eq(pipe(fd), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    tl_store *s = NULL;
    tl_error err;
    int rc = tl_store_open(path, TL_STORE_WRITE, &s, &err);
    if (rc == TL_OK) {
      snprintf(err.msg, sizeof err.msg, "opened");
      tl_store_close(s);
    }
    close(fd[0]);
    if (write(fd[1], err.msg, strlen(err.msg)) < 0)
      _exit(100);
    close(fd[1]);
    _exit(rc);
  }
  close(fd[1]);
  n = read(fd[0], msg, msglen - 1);
  msg[n > 0 ? n : 0] = '\0';
  close(fd[0]);
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status));
  return WEXITSTATUS(status);
}

/*
 * A second writer gets TL_ERR_LOCK, naming the lock file: from another
 * process, and from the same process.
 */
START_TEST(test_lock) {
  tl_store *w1, *w2 = (tl_store *)1;
  tl_error err;
  char msg[TL_ERROR_MSG_MAX];
  char lockfile[600];
  snprintf(lockfile, sizeof lockfile, "%s/flintlock", db);
  w1 = open_ok(db, TL_STORE_WRITE);

  ck_assert_int_eq(writer_in_child(db, msg, sizeof msg), TL_ERR_LOCK);
  ck_assert_msg(strstr(msg, lockfile) != NULL, "%s", msg);
  ck_assert_msg(strstr(msg, "locked") != NULL, "%s", msg);

  ck_assert_int_eq(tl_store_open(db, TL_STORE_WRITE, &w2, &err), TL_ERR_LOCK);
  ck_assert_ptr_null(w2);
  ck_assert_msg(strstr(err.msg, lockfile) != NULL, "%s", err.msg);

  /* readers are not locked out */
  {
    tl_store *r = open_ok(db, TL_STORE_READ);
    ck_assert_uint_eq(tl_store_doc_count(r), 0);
    tl_store_close(r);
  }
  tl_store_close(w1);
  /* the lock goes with the writer */
  ck_assert_int_eq(writer_in_child(db, msg, sizeof msg), TL_OK);
  w2 = open_ok(db, TL_STORE_WRITE);
  tl_store_close(w2);
}
END_TEST

/* A reader whose revision the writer's commits have discarded gets
 * TL_ERR_MODIFIED, from the search and from reading statistics, until it
 * reopens at the latest revision. */
START_TEST(test_modified) {
  tl_store *r, *w;
  tl_search_options o;
  tl_hits *h = NULL;
  tl_error err;
  unsigned long n = 0;
  int commit, i, rc = TL_OK;
  char id[32], word[32], q[32];
  const char *words[] = {"anjing", word, NULL};
  /* enough passages for trees of several levels, which the reader reads
   * block by block as it goes */
  w = open_ok(db, TL_STORE_WRITE);
  OK(tl_store_begin(w, &err));
  for (i = 0; i < 3000; i++) {
    snprintf(id, sizeof id, "a%d", i);
    snprintf(word, sizeof word, "w%d", i);
    add_doc(w, id, words, id);
  }
  OK(tl_store_commit(w, &err));
  r = open_ok(db, TL_STORE_READ);
  /* counted once and kept by the reader: forgotten when it reopens (below) */
  OK(tl_store_term_count(r, "Zanjing", 7, &n, &err));
  ck_assert_uint_eq(n, 3000);
  o = options(stem_same, 10);
  for (commit = 0; commit < 20 && rc == TL_OK; commit++) {
    OK(tl_store_begin(w, &err));
    for (i = 0; i < 300; i++) {
      snprintf(id, sizeof id, "n%d-%d", commit, i);
      snprintf(word, sizeof word, "w%d", (commit * 300 + i) % 3000);
      add_doc(w, id, words, id);
    }
    OK(tl_store_commit(w, &err));
    snprintf(q, sizeof q, "w%d", (commit * 797) % 3000);
    rc = tl_store_search(r, q, &o, &h, &err);
    if (rc == TL_OK)
      tl_hits_free(h);
    h = NULL;
  }
  ck_assert_msg(rc == TL_ERR_MODIFIED, "after %d commits: %d %s", commit, rc, err.msg);
  ck_assert_int_eq(err.code, TL_ERR_MODIFIED);
  ck_assert_int_ge(commit, 2); /* the revision read outlives one commit */
  OK(tl_store_reopen(r, &err));
  OK(tl_store_term_count(r, "Zanjing", 7, &n, &err));
  ck_assert_uint_eq(n, 3000 + 300 * (unsigned long)commit);
  OK(tl_store_search(r, "w0", &o, &h, &err));
  ck_assert_uint_eq(h->count, 1 + (unsigned)commit / 10 + (commit % 10 > 0));
  tl_hits_free(h);
  tl_store_close(w);
  tl_store_close(r);
}
END_TEST

/* Writes articles a<from>..a<to-1> to w (uncommitted): article i has
 * 1 + i % 3 passages, all with "anjing", the last one also with
 * "kucing" when i % 2 == 0; its key (8 bytes) and its topic t<i % 4> in
 * the fields slot, as the indexer writes them. */
static void add_articles(tl_store *w, int from, int to) {
  static const char *const plain[] = {"anjing", NULL};
  static const char *const both[] = {"anjing", "kucing", NULL};
  tl_error err;
  char id[32], key[8], fields[64];
  int i, p;
  for (i = from; i < to; i++) {
    int n = 1 + i % 3;
    size_t len;
    snprintf(id, sizeof id, "a%d", i);
    memset(key, 0, sizeof key);
    memcpy(key, &i, sizeof i);
    memcpy(fields, key, sizeof key);
    len = sizeof key +
          (size_t)snprintf(fields + sizeof key, sizeof fields - sizeof key, "topic%ct%d", '\0',
                           i % 4) +
          1;
    for (p = 0; p < n; p++) {
      tl_doc *d = NULL;
      const char *const *words = p == n - 1 && i % 2 == 0 ? both : plain;
      unsigned pos;
      OK(tl_doc_create(&d, &err));
      for (pos = 1; words[pos - 1]; pos++) /* each its own stem: not written */
        OK(tl_doc_add_posting(d, words[pos - 1], strlen(words[pos - 1]), pos, &err));
      one_passage(d, id, 1, pos, 2 * (pos - 1));
      OK(tl_doc_set_value(d, TL_SLOT_ARTICLE_ID, id, strlen(id), &err));
      OK(tl_doc_set_value(d, TL_SLOT_ARTICLE_KEY, key, sizeof key, &err));
      OK(tl_doc_set_value(d, TL_SLOT_FIELDS, fields, len, &err));
      OK(tl_store_add(w, d, &err));
      tl_doc_free(d);
    }
  }
}

/* Starts a search for "kucing" that counts, with the facet topic. */
static tl_hits *start_count(tl_store *s) {
  static const char *const topic[] = {"topic"};
  tl_search_options o;
  tl_hits *h = NULL;
  tl_error err;
  o = options(stem_same, 5);
  o.count_matches = 1;
  o.facets = topic;
  o.nfacets = 1;
  OK(tl_store_search(s, "kucing", &o, &h, &err));
  return h;
}

/* Checks h's counts against articles a0..a<n-1> of add_articles: the even
 * ones match "kucing", in one passage each. */
static void check_counts(tl_store *s, tl_hits *h, int n) {
  tl_error err;
  unsigned long want[4] = {0, 0, 0, 0}, got[4] = {0, 0, 0, 0};
  int i;
  size_t k;
  OK(tl_store_hits_counts(s, h, &err));
  OK(tl_store_hits_counts(s, h, &err)); /* a second call changes nothing */
  for (i = 0; i < n; i += 2)
    want[i % 4]++;
  ck_assert_uint_eq(h->passages_matched, (unsigned long)(n + 1) / 2);
  ck_assert_uint_eq(h->articles_matched, (unsigned long)(n + 1) / 2);
  ck_assert_uint_eq(h->nfacets, 1);
  for (k = 0; k < h->facets[0].nvalues; k++) {
    const tl_facet_value *v = &h->facets[0].values[k];
    ck_assert_msg(strlen(v->value) == 2 && v->value[0] == 't', "%s", v->value);
    got[v->value[1] - '0'] = v->articles;
  }
  for (i = 0; i < 4; i++)
    ck_assert_uint_eq(got[i], want[i]);
}

/* The counts a search asks for are exact whether they are made beside the
 * ranking or after it: two searches under way at once (the second counts
 * after its ranking), and a reader whose counting handle opens on a later
 * revision than its own (a commit in between: counted again, on the
 * reader's revision). */
START_TEST(test_counts) {
  tl_store *w = open_ok(db, TL_STORE_WRITE), *r, *old;
  tl_hits *h1, *h2;
  tl_error err;
  OK(tl_store_begin(w, &err));
  add_articles(w, 0, 301);
  OK(tl_store_commit(w, &err));
  r = open_ok(db, TL_STORE_READ);
  h1 = start_count(r);
  h2 = start_count(r);
  check_counts(r, h2, 301);
  check_counts(r, h1, 301);
  tl_hits_free(h1);
  tl_hits_free(h2);
  h1 = start_count(r); /* the counting handle, opened, is used again */
  tl_hits_free(h1);    /* freed with its count under way */
  old = open_ok(db, TL_STORE_READ);
  OK(tl_store_begin(w, &err));
  add_articles(w, 301, 400);
  OK(tl_store_commit(w, &err));
  h1 = start_count(old);
  check_counts(old, h1, 301);
  tl_hits_free(h1);
  OK(tl_store_reopen(old, &err));
  h1 = start_count(old);
  check_counts(old, h1, 400);
  tl_hits_free(h1);
  tl_store_close(old);
  tl_store_close(r);
  tl_store_close(w);
}
END_TEST

/* Builds the suite. */
static Suite *store_suite(void) {
  Suite *s = suite_create("store");
  TCase *tc = tcase_create("store");
  tcase_add_checked_fixture(tc, setup, tu_dir_teardown);
  tcase_add_test(tc, test_create_then_sync);
  tcase_add_test(tc, test_write_and_search);
  tcase_add_test(tc, test_counts);
  tcase_add_test(tc, test_explain);
  tcase_add_test(tc, test_lean_first_stage);
  tcase_add_test(tc, test_empty_query);
  tcase_add_test(tc, test_delete_term);
  tcase_add_test(tc, test_uncommitted_transaction);
  tcase_add_test(tc, test_read_only_refuses_writes);
  tcase_add_test(tc, test_term_limits);
  tcase_add_test(tc, test_xapian_error_from_add);
  tcase_add_test(tc, test_open_errors);
  tcase_add_test(tc, test_lock);
  tcase_add_test(tc, test_modified);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(store_suite());
}
