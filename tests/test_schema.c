/*
 * test_schema.c - Check suite for lib/index/schema.{h,c}: the passage
 * record's bytes (as documents.c has always written them) and its round
 * trip, and the layout version an index records and is checked against.
 */
#include "index/documents.h"
#include "index/schema.h"
#include "telusur/analysis.h"
#include "telusur/search.h"
#include "testutil.h"
#include "xapian/store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TL_SCHEMA_VERSION as a string */
#define STRING_(x) #x
#define STRING(x) STRING_(x)
#define VERSION STRING(TL_SCHEMA_VERSION)

#define OK(call)                                                                                   \
  do {                                                                                             \
    int rc_ = (call);                                                                              \
    ck_assert_msg(rc_ == TL_OK, "%s: %d %s", #call, rc_, err.msg);                                 \
  } while (0)

#define ASSERT_HAS(hay, needle)                                                                    \
  ck_assert_msg(strstr((hay), (needle)) != NULL, "no '%s' in: %s", (needle), (hay))

/* A record with every field set; the heading and text are slices of a
 * longer buffer (not NUL-terminated where they end). */
static const char full_buf[] = "Bab 1|Baris \"satu\"\n\tbaris dua / garis \x01 \xc3\xa9|rest";
static const char full_json[] =
    "{\"passage\":2,\"heading\":\"Bab 1\",\"text\":\"Baris \\\"satu\\\"\\n\\tbaris dua / "
    "garis \\u0001 \xc3\xa9\",\"start\":42,\"article_id\":\"a1\",\"title\":\"Judul "
    "\\\"A\\\"\",\"paragraphs\":3,\"path\":\"dir/f.jsonl\",\"date\":\"2024-01-02\",\"url\":"
    "\"https://x.id/a?b=1\",\"source\":\"Kompas\"}";

static tl_passage_record full_record(void) {
  tl_passage_record r;
  memset(&r, 0, sizeof r);
  r.article_id = "a1";
  r.title = "Judul \"A\"";
  r.passage = 2;
  r.paragraphs = 3;
  r.heading = full_buf;
  r.heading_len = 5;
  r.text = full_buf + 6;
  r.text_len = strchr(full_buf + 6, '|') - (full_buf + 6);
  r.start = 42;
  r.path = "dir/f.jsonl";
  r.date = "2024-01-02";
  r.url = "https://x.id/a?b=1";
  r.source = "Kompas";
  return r;
}

/* Every field set: the exact bytes, and back. */
START_TEST(record_full_round_trip) {
  tl_passage_record r = full_record(), d;
  tl_error err;
  char *buf = NULL;
  size_t cap = 0, len = 0;
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len, &err));
  ck_assert_uint_eq(len, strlen(full_json));
  ck_assert_str_eq(buf, full_json);
  ck_assert_uint_ge(cap, len + 1);
  OK(tl_record_decode(buf, len, &d, &err));
  ck_assert_ptr_nonnull(d.owner);
  ck_assert_str_eq(d.article_id, "a1");
  ck_assert_str_eq(d.title, "Judul \"A\"");
  ck_assert_uint_eq(d.passage, 2);
  ck_assert_uint_eq(d.paragraphs, 3);
  ck_assert_uint_eq(d.heading_len, 5);
  ck_assert_str_eq(d.heading, "Bab 1");
  ck_assert_uint_eq(d.text_len, r.text_len);
  ck_assert_int_eq(memcmp(d.text, r.text, r.text_len), 0);
  ck_assert_uint_eq(strlen(d.text), r.text_len);
  ck_assert_uint_eq(d.start, 42);
  ck_assert_str_eq(d.path, "dir/f.jsonl");
  ck_assert_str_eq(d.date, "2024-01-02");
  ck_assert_str_eq(d.url, "https://x.id/a?b=1");
  ck_assert_str_eq(d.source, "Kompas");
  tl_record_release(&d);
  ck_assert_ptr_null(d.owner);
  ck_assert_ptr_null(d.text);
  tl_record_release(&d); /* twice: nothing left to release */
  tl_record_release(NULL);
  free(buf);
}
END_TEST

/* Fields at their defaults are left out, NULL or "" alike, and decode to
 * their defaults; a path equal to the id is left out, an empty one is not. */
START_TEST(record_defaults_left_out) {
  tl_passage_record r, d;
  tl_error err;
  char *buf = NULL;
  size_t cap = 0, len = 0;
  static const char want[] = "{\"passage\":1,\"text\":\"Isi.\",\"start\":0,\"article_id\":\"b7\"}";
  memset(&r, 0, sizeof r);
  r.article_id = "b7";
  r.passage = 1;
  r.text = "Isi.";
  r.text_len = 4;
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len,
                      &err)); /* NULL strings, paragraphs 0 */
  ck_assert_str_eq(buf, want);
  r.title = r.date = r.url = r.source = "";
  r.heading = "ignored";
  r.heading_len = 0;
  r.paragraphs = 1;
  r.path = "b7";
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len, &err)); /* "" strings, path = id */
  ck_assert_str_eq(buf, want);
  ck_assert_uint_eq(len, sizeof want - 1);
  OK(tl_record_decode(buf, len, &d, &err));
  ck_assert_str_eq(d.article_id, "b7");
  ck_assert_str_eq(d.title, "");
  ck_assert_uint_eq(d.passage, 1);
  ck_assert_uint_eq(d.paragraphs, 1);
  ck_assert_str_eq(d.heading, "");
  ck_assert_uint_eq(d.heading_len, 0);
  ck_assert_str_eq(d.text, "Isi.");
  ck_assert_uint_eq(d.text_len, 4);
  ck_assert_uint_eq(d.start, 0);
  ck_assert_str_eq(d.path, "b7");
  ck_assert_str_eq(d.date, "");
  ck_assert_str_eq(d.url, "");
  ck_assert_str_eq(d.source, "");
  tl_record_release(&d);
  r.path = "";
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len, &err));
  ck_assert_str_eq(buf, "{\"passage\":1,\"text\":\"Isi.\",\"start\":0,\"article_id\":\"b7\","
                        "\"path\":\"\"}");
  OK(tl_record_decode(buf, len, &d, &err));
  ck_assert_str_eq(d.path, "");
  tl_record_release(&d);
  free(buf);
}
END_TEST

/* A buffer grown for a long record serves a shorter one after it. */
START_TEST(record_buffer_reused) {
  tl_passage_record r = full_record();
  tl_error err;
  char *buf = NULL, *first;
  size_t cap = 0, len = 0, cap1;
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len, &err));
  first = buf;
  cap1 = cap;
  memset(&r, 0, sizeof r);
  r.article_id = "x";
  OK(tl_record_encode(&r, TL_RECORD_WHOLE, &buf, &cap, &len, &err));
  ck_assert_ptr_eq(buf, first);
  ck_assert_uint_eq(cap, cap1);
  ck_assert_str_eq(buf, "{\"passage\":0,\"text\":\"\",\"start\":0,\"article_id\":\"x\"}");
  ck_assert_uint_eq(len, strlen(buf));
  free(buf);
}
END_TEST

/* The two parts stored apart (the article's once per document) join into
 * the whole record, byte for byte; a part that is not an object joins to
 * nothing, and a record of no part is refused. */
START_TEST(record_parts_join) {
  tl_passage_record r = full_record();
  tl_error err;
  char *buf = NULL, *p, out[512];
  size_t cap = 0, len = 0, plen;
  OK(tl_record_encode(&r, TL_RECORD_PASSAGE, &buf, &cap, &len, &err));
  ck_assert_str_eq(buf,
                   "{\"passage\":2,\"heading\":\"Bab 1\",\"text\":\"Baris \\\"satu\\\"\\n\\tbaris "
                   "dua / garis \\u0001 \xc3\xa9\",\"start\":42}");
  p = strdup(buf);
  plen = len;
  OK(tl_record_encode(&r, TL_RECORD_ARTICLE, &buf, &cap, &len, &err));
  ck_assert_str_eq(buf, "{\"article_id\":\"a1\",\"title\":\"Judul \\\"A\\\"\",\"paragraphs\":3,"
                        "\"path\":\"dir/f.jsonl\",\"date\":\"2024-01-02\",\"url\":"
                        "\"https://x.id/a?b=1\",\"source\":\"Kompas\"}");
  ck_assert_uint_eq(plen + len - 1, strlen(full_json));
  ck_assert_uint_eq(tl_record_join(p, plen, buf, len, out), strlen(full_json));
  ck_assert_int_eq(memcmp(out, full_json, strlen(full_json)), 0);
  memset(out, '#', sizeof out);
  ck_assert_uint_eq(tl_record_join("{}", 2, buf, len, out), 0);
  ck_assert_uint_eq(tl_record_join(p, plen, "[1]", 3, out), 0);
  ck_assert_uint_eq(tl_record_join(p, plen - 1, buf, len, out), 0); /* cut short */
  ck_assert_uint_eq(tl_record_join(p, plen, buf, 0, out), 0);
  ck_assert_int_eq(out[0], '#');
  ck_assert_int_eq(tl_record_encode(&r, 0, &buf, &cap, &len, &err), TL_ERR_USAGE);
  ck_assert_uint_eq(len, 0);
  free(p);
  free(buf);
}
END_TEST

/* Bad data is TL_ERR_FORMAT with a zeroed record, never a crash. */
START_TEST(record_decode_errors) {
  static const char *const bad[] = {"",         "not json",        "[1,2]",
                                    "\"text\"", "{\"text\":\"a\"", "{\"text\":"};
  tl_passage_record d;
  tl_error err;
  size_t i;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    memset(&d, 0xab, sizeof d);
    ck_assert_int_eq(tl_record_decode(bad[i], strlen(bad[i]), &d, &err), TL_ERR_FORMAT);
    ck_assert_int_eq(err.code, TL_ERR_FORMAT);
    ASSERT_HAS(err.msg, "unreadable passage record");
    ck_assert_ptr_null(d.owner);
    ck_assert_ptr_null(d.text);
  }
  /* only len bytes are read: a record cut short is unreadable */
  ck_assert_int_eq(tl_record_decode(full_json, 20, &d, &err), TL_ERR_FORMAT);
  /* numbers where strings are expected read as their text */
  {
    static const char nums[] = "{\"article_id\":12,\"passage\":\"3\"}";
    OK(tl_record_decode(nums, sizeof nums - 1, &d, &err));
  }
  ck_assert_str_eq(d.article_id, "12");
  ck_assert_str_eq(d.path, "12");
  ck_assert_uint_eq(d.passage, 3);
  tl_record_release(&d);
}
END_TEST

static const char *stem_same(void *ctx, const char *w, size_t len, size_t *n) {
  (void)ctx;
  *n = len;
  return w;
}

/* Indexes one article into a new index at db. */
static void make_index_with(const char *db, const char *stemmer) {
  tl_index_options io;
  tl_index *ix;
  tl_error err;
  tl_article a;
  size_t n = 0;
  memset(&a, 0, sizeof a);
  a.id = "a1";
  a.title = "Judul";
  a.text = "Gempa bumi mengguncang pesisir.";
  a.text_len = strlen(a.text);
  a.date = "2024-01-02";
  a.url = "https://x.id/a";
  a.source = "Kompas";
  a.path = "berita/a.jsonl";
  memset(&io, 0, sizeof io);
  io.stemmer = stemmer;
  OK(tl_index_open(db, &io, &ix, &err));
  OK(tl_index_add(ix, &a, &n, &err));
  ck_assert_uint_eq(n, 1);
  OK(tl_index_commit(ix, &err));
  tl_index_close(ix);
}

static void make_index(const char *db) {
  make_index_with(db, NULL);
}

/* Sets (value "" deletes) a metadata key of the index. */
static void set_meta(const char *db, const char *key, const char *value) {
  tl_store *s;
  tl_error err;
  OK(tl_store_open(db, TL_STORE_WRITE, &s, &err));
  OK(tl_store_set_metadata(s, key, value, &err));
  OK(tl_store_commit(s, &err));
  tl_store_close(s);
}

/* Sets (value "" deletes) the index's schema key. */
static void set_schema(const char *db, const char *value) {
  set_meta(db, TL_META_SCHEMA, value);
}

static char *get_meta(const char *db, const char *key) {
  tl_store *s;
  tl_error err;
  char *v = NULL;
  OK(tl_store_open(db, TL_STORE_READ, &s, &err));
  OK(tl_store_get_metadata(s, key, &v, &err));
  tl_store_close(s);
  return v;
}

/* A new index records the version, and a hit's record is its passage's
 * part and its article's joined (documents.c writes them apart). */
START_TEST(index_records_version_and_record) {
  char db[1024], *v;
  tl_store *s;
  tl_search_options o;
  tl_hits *h = NULL;
  tl_searcher *se;
  tl_error err;
  snprintf(db, sizeof db, "%.500s/db", tu_dir);
  make_index(db);
  v = get_meta(db, TL_META_SCHEMA);
  ck_assert_str_eq(v, VERSION);
  free(v);
  OK(tl_store_open(db, TL_STORE_READ, &s, &err));
  memset(&o, 0, sizeof o);
  o.stem = stem_same;
  o.count = 10;
  OK(tl_store_search(s, "gempa", &o, &h, &err));
  ck_assert_uint_eq(h->count, 1);
  ck_assert_str_eq(h->items[0].data,
                   "{\"passage\":1,\"text\":\"Gempa bumi mengguncang pesisir.\",\"start\":0,"
                   "\"article_id\":\"a1\",\"title\":\"Judul\",\"path\":\"berita/a.jsonl\",\"date\":"
                   "\"2024-01-02\",\"url\":\"https://x.id/a\",\"source\":\"Kompas\"}");
  tl_hits_free(h);
  tl_store_close(s);
  OK(tl_searcher_open(db, NULL, NULL, &se, &err));
  tl_searcher_close(se);
}
END_TEST

/* A newer version is refused, for reading and for writing. */
START_TEST(newer_version_refused) {
  char db[1024];
  tl_searcher *se = NULL;
  tl_index *ix = NULL;
  tl_error err;
  snprintf(db, sizeof db, "%.500s/db", tu_dir);
  make_index(db);
  set_schema(db, "999");
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ck_assert_ptr_null(se);
  ck_assert_int_eq(err.code, TL_ERR_SCHEMA);
  ck_assert_uint_eq(strncmp(err.msg, db, strlen(db)), 0);
  ASSERT_HAS(err.msg, ": index schema 999 is newer than this telusur's " VERSION);
  ASSERT_HAS(err.msg, "built by a newer telusur");
  ck_assert_int_eq(tl_index_open(db, NULL, &ix, &err), TL_ERR_SCHEMA);
  ck_assert_ptr_null(ix);
  ASSERT_HAS(err.msg, "index schema 999 is newer than this telusur's " VERSION);
  ck_assert_str_eq(tl_status_name(TL_ERR_SCHEMA), "index schema mismatch");
}
END_TEST

/* An older version is refused with the commands that rebuild the index. */
START_TEST(older_version_says_how_to_rebuild) {
  char db[512], want[4096], *out = NULL, *errs = NULL;
  tl_searcher *se = NULL;
  tl_index *ix = NULL;
  tl_error err;
  snprintf(db, sizeof db, "%.500s/db", tu_dir);
  make_index(db);
  set_schema(db, "0");
  snprintf(want, sizeof want,
           "%s: index schema 0 is older than this telusur's " VERSION "; rebuild it: rm -r %s && "
           "telusur-index -d %s PATH...",
           db, db, db);
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ck_assert_str_eq(err.msg, want);
  ck_assert_int_eq(tl_index_open(db, NULL, &ix, &err), TL_ERR_SCHEMA);
  ck_assert_str_eq(err.msg, want);
  /* the command-line programs say it too */
  ck_assert_int_ne(tu_runf(&out, &errs, "'%s/telusur-query' -d '%s' gempa", tu_bin_dir(), db), 0);
  ASSERT_HAS(errs, want);
  free(out);
  free(errs);
  /* and a value that is no number is unreadable */
  set_schema(db, "1x");
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &se, &err), TL_ERR_FORMAT);
  ASSERT_HAS(err.msg, "unreadable index schema version '1x'");
}
END_TEST

/* An index written before the key existed (documents, no key) is of
 * version 1: refused, with the way to rebuild it. */
START_TEST(no_key_with_documents_is_version_1) {
  char db[1024], *v;
  tl_searcher *se;
  tl_index *ix;
  tl_error err;
  snprintf(db, sizeof db, "%.500s/db", tu_dir);
  make_index(db);
  set_schema(db, "");
  v = get_meta(db, TL_META_SCHEMA);
  ck_assert_str_eq(v, "");
  free(v);
  se = NULL;
  ck_assert_int_eq(tl_searcher_open(db, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ck_assert_ptr_null(se);
  ASSERT_HAS(err.msg, "index schema 1 is older than this telusur's " VERSION "; rebuild it");
  ix = NULL;
  ck_assert_int_eq(tl_index_open(db, NULL, &ix, &err), TL_ERR_SCHEMA);
  ck_assert_ptr_null(ix);
}
END_TEST

/* A stub database reads the version of its first shard, and refuses
 * shards of another version than the first's, naming both; the rebuild
 * command of a stub that --shards wrote removes the shards too. */
START_TEST(stub_reads_first_shard) {
  char stub[512], sh[2][1024], want[4096];
  const char *names[2] = {"s.shard0", "s.shard1"};
  tl_searcher *se = NULL;
  tl_index *ix = NULL;
  tl_error err;
  int k;
  snprintf(stub, sizeof stub, "%.500s/s", tu_dir);
  for (k = 0; k < 2; k++) {
    snprintf(sh[k], sizeof sh[k], "%s/%s", tu_dir, names[k]);
    make_index(sh[k]);
    set_meta(sh[k], TL_META_SHARDS, "2"); /* as telusur-index --shards=2 writes */
  }
  OK(tl_store_write_stub(stub, names, 2, &err));
  OK(tl_searcher_open(stub, NULL, NULL, &se, &err));
  tl_searcher_close(se);
  set_schema(sh[1], "0");
  ck_assert_int_eq(tl_searcher_open(stub, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  snprintf(want, sizeof want, "%s: its shards have different index layouts (%s '%d', %s '0')", stub,
           sh[0], TL_SCHEMA_VERSION, sh[1]);
  ck_assert_uint_eq(strncmp(err.msg, want, strlen(want)), 0);
  set_schema(sh[0], "0");
  snprintf(want, sizeof want,
           "%s: index schema 0 is older than this telusur's " VERSION
           "; rebuild it: rm -r %s %s %s && "
           "telusur-index -d %s --shards=2 PATH...",
           stub, stub, sh[0], sh[1], stub);
  ck_assert_int_eq(tl_searcher_open(stub, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ck_assert_str_eq(err.msg, want);
  /* a writer opens the shard itself, and is told to rebuild the stub */
  ck_assert_int_eq(tl_index_open(sh[0], NULL, &ix, &err), TL_ERR_SCHEMA);
  ck_assert_ptr_null(ix);
  ck_assert_uint_eq(strncmp(err.msg, sh[0], strlen(sh[0])), 0);
  ASSERT_HAS(err.msg, strchr(want, ';'));
  /* a stub written by hand, whose shards need not be the ones --shards
   * hashed articles to (here one records no count), is not removed by a
   * command either: its shards may be other indexes' */
  set_meta(sh[1], TL_META_SHARDS, "");
  ck_assert_int_eq(tl_searcher_open(stub, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ASSERT_HAS(err.msg, "; rebuild it: index each of its shards again, then list them in a new stub");
  /* a stub that names its backend, as one listing remote shards does, is
   * not removed by a command: its shards may be anywhere */
  {
    char line[1200];
    snprintf(line, sizeof line, "glass %s\n", names[0]);
    ck_assert_int_eq(tu_write_file(stub, line, strlen(line)), 0);
  }
  ck_assert_int_eq(tl_searcher_open(stub, NULL, NULL, &se, &err), TL_ERR_SCHEMA);
  ASSERT_HAS(err.msg, "; rebuild it: index each of its shards again, then list them in a new stub");
}
END_TEST

/* The fingerprint of an analyzer of the data directory dir (NULL: the
 * project's), malloc'd. */
static char *fingerprint_of(const char *dir) {
  tl_analyzer_options ao;
  tl_analyzer *an;
  tl_error err;
  char *fp;
  memset(&ao, 0, sizeof ao);
  ao.data_dir = dir;
  OK(tl_analyzer_create(&ao, &an, &err));
  fp = strdup(tl_analyzer_fingerprint(an));
  tl_analyzer_free(an);
  return fp;
}

/* An index records the analysis of words that built it. One built by
 * another (an earlier telusur, another lexicon), or before the key
 * existed, still answers and takes updates, with a warning that says how
 * to rebuild it; the update keeps the old record. */
START_TEST(other_analysis_warned) {
  char db[512], file[1024], want[4096], *v, *fp, *out = NULL, *errs = NULL;
  tl_searcher *se;
  tl_results *res = NULL;
  tl_error err;
  snprintf(db, sizeof db, "%.500s/db", tu_dir);
  make_index(db);
  fp = fingerprint_of(NULL);
  ck_assert_uint_eq(strncmp(fp, "indonesian 6 ", 13), 0);
  ck_assert_uint_eq(strlen(fp), 13 + 16);
  v = get_meta(db, TL_META_ANALYSIS);
  ck_assert_str_eq(v, fp);
  free(v);
  OK(tl_searcher_open(db, NULL, NULL, &se, &err));
  ck_assert_ptr_null(tl_searcher_stale(se));
  tl_searcher_close(se);
  /* another analysis */
  set_meta(db, TL_META_ANALYSIS, "indonesian 0 0123456789abcdef");
  snprintf(want, sizeof want,
           "%s: the index was built by another analysis of words (indonesian 0 "
           "0123456789abcdef) than this telusur's (%s): the words whose terms changed are not "
           "found in what it held before; rebuild it: rm -r %s && telusur-index -d %s PATH...",
           db, fp, db, db);
  OK(tl_searcher_open(db, NULL, NULL, &se, &err));
  ck_assert_str_eq(tl_searcher_stale(se), want);
  OK(tl_search(se, "gempa", 0, 10, 0, &res, &err));
  ck_assert_uint_eq(res->count, 1);
  tl_results_free(res);
  tl_searcher_close(se);
  /* telusur-query says it and answers */
  ck_assert_int_eq(tu_runf(&out, &errs, "'%s/telusur-query' -d '%s' gempa", tu_bin_dir(), db), 0);
  ASSERT_HAS(errs, "telusur-query: warning: ");
  ASSERT_HAS(errs, want);
  ASSERT_HAS(out, "Gempa bumi mengguncang pesisir.");
  free(out);
  free(errs);
  /* an index with documents and no key was built before it existed */
  set_meta(db, TL_META_ANALYSIS, "");
  OK(tl_searcher_open(db, NULL, NULL, &se, &err));
  ck_assert_ptr_nonnull(tl_searcher_stale(se));
  ASSERT_HAS(tl_searcher_stale(se), "another analysis of words (not recorded) than this");
  tl_searcher_close(se);
  /* telusur-index notes it once, updates, and keeps the record as it was */
  snprintf(file, sizeof file, "%.500s/b.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(file, "Banjir melanda kota.\n", 21), 0);
  ck_assert_int_eq(tu_runf(&out, &errs, "'%s/telusur-index' -d '%s' '%s'", tu_bin_dir(), db, file),
                   0);
  ASSERT_HAS(errs, "telusur-index: warning: ");
  ASSERT_HAS(errs, "another analysis of words (not recorded) than this");
  ck_assert_ptr_null(strstr(strstr(errs, "another analysis") + 1, "another analysis"));
  free(out);
  free(errs);
  v = get_meta(db, TL_META_ANALYSIS);
  ck_assert_str_eq(v, "");
  free(v);
  OK(tl_searcher_open(db, NULL, NULL, &se, &err));
  OK(tl_search(se, "banjir", 0, 10, 0, &res, &err));
  ck_assert_uint_eq(res->count, 1);
  tl_results_free(res);
  tl_searcher_close(se);
  free(fp);
}
END_TEST

/* The fingerprint follows the lexicon: a copy of the data directory gives
 * the same one, a root more another. */
START_TEST(fingerprint_follows_lexicon) {
  char dir[1024], roots[1200];
  char *a, *b, *c;
  FILE *f;
  snprintf(dir, sizeof dir, "%.500s/data", tu_dir);
  ck_assert_int_eq(tu_runf(NULL, NULL, "mkdir '%s' && cp -r '%s/lexicon' '%s/stopwords' '%s'", dir,
                           tu_source_dir(), tu_source_dir(), dir),
                   0);
  a = fingerprint_of(NULL);
  b = fingerprint_of(dir);
  ck_assert_str_eq(a, b);
  snprintf(roots, sizeof roots, "%s/lexicon/roots.txt", dir);
  ck_assert_ptr_nonnull(f = fopen(roots, "a"));
  fputs("zzkata\n", f);
  fclose(f);
  c = fingerprint_of(dir);
  ck_assert_str_ne(a, c);
  ck_assert_uint_eq(strncmp(a, c, 13), 0); /* the same stemmer and code */
  /* what a line says counts, not comments or line ends */
  ck_assert_int_eq(tu_runf(NULL, NULL, "printf '# note\\r\\n\\n' >> '%s'", roots), 0);
  free(b);
  b = fingerprint_of(dir);
  ck_assert_str_eq(b, c);
  /* nor does a word count the same in another list */
  ck_assert_int_eq(
      tu_runf(NULL, NULL,
              "cd '%s/lexicon' && grep -v '^zzkata$' roots.txt > r && mv r roots.txt && "
              "echo zzkata >> protected.txt",
              dir),
      0);
  free(b);
  b = fingerprint_of(dir);
  ck_assert_str_ne(b, c);
  ck_assert_str_ne(b, a);
  free(a);
  free(b);
  free(c);
}
END_TEST

/* An index with nothing in it takes the analysis of what is indexed
 * next; the rebuild command is one a shell runs on that path alone, with
 * the index's stemmer and its shards. */
START_TEST(rebuild_command_and_empty_index) {
  char db[1024], data[1024], dir[1024], out_db[1200], want[4096], *v, *out = NULL, *errs = NULL;
  char *stale = NULL;
  tl_store *st;
  tl_error err;
  /* an empty index, created with one analysis, updated with another */
  snprintf(db, sizeof db, "%.500s/empty", tu_dir);
  snprintf(data, sizeof data, "%.500s/data", tu_dir);
  snprintf(dir, sizeof dir, "%.500s/none", tu_dir);
  ck_assert_int_eq(
      tu_runf(NULL, NULL,
              "mkdir '%s' '%s' && cp -r '%s/lexicon' '%s/stopwords' '%s' && echo zzkata "
              ">> '%s/lexicon/roots.txt'",
              dir, data, tu_source_dir(), tu_source_dir(), data, data),
      0);
  ck_assert_int_eq(
      tu_runf(NULL, &errs, "'%s/telusur-index' -q -d '%s' '%s'", tu_bin_dir(), db, dir), 0);
  free(errs);
  ck_assert_int_eq(tu_runf(NULL, &errs,
                           "echo 'Banjir melanda kota.' > '%s/a.txt' && "
                           "TELUSUR_DATA_DIR='%s' '%s/telusur-index' -q -d '%s' '%s/a.txt'",
                           tu_dir, data, tu_bin_dir(), db, tu_dir),
                   0);
  ck_assert_ptr_null(strstr(errs, "analysis"));
  free(errs);
  v = get_meta(db, TL_META_ANALYSIS);
  ck_assert_int_eq(tu_runf(&out, &errs, "TELUSUR_DATA_DIR='%s' '%s/telusur-query' -d '%s' banjir",
                           data, tu_bin_dir(), db),
                   0);
  ck_assert_str_eq(errs, "");
  free(out);
  free(errs);
  ck_assert_int_eq(tu_runf(&out, &errs, "'%s/telusur-query' -d '%s' banjir", tu_bin_dir(), db), 0);
  ASSERT_HAS(errs, v);
  free(v);
  free(out);
  free(errs);
  /* a path a shell would split or read, and a stemmer not the default */
  snprintf(out_db, sizeof out_db, "%.500s/db x'y", tu_dir);
  make_index_with(out_db, "snowball");
  set_meta(out_db, TL_META_ANALYSIS, "snowball 0 0123456789abcdef");
  OK(tl_store_open(out_db, TL_STORE_READ, &st, &err));
  OK(tl_schema_check_analysis(st, out_db, "snowball 1 0", 0, &stale, &err));
  snprintf(want, sizeof want,
           "rebuild it: rm -r '%s/db x'\\''y' && telusur-index -d '%s/db x'\\''y' "
           "--stemmer=snowball PATH...",
           tu_dir, tu_dir);
  ASSERT_HAS(stale, want);
  free(stale);
  /* a path with a line break: no command, the line stays one */
  OK(tl_schema_check_analysis(st, "a\nb", "snowball 1 0", 0, &stale, &err));
  ck_assert_ptr_null(strchr(stale + 2, '\n'));
  ASSERT_HAS(stale, "rebuild it: remove it and index its files again into a new index");
  free(stale);
  tl_store_close(st);
  /* a database named like a shard beside a file its stub would be is no
   * shard unless that file lists it */
  snprintf(db, sizeof db, "%.500s/report.shard1", tu_dir);
  make_index(db);
  snprintf(dir, sizeof dir, "%.500s/report", tu_dir);
  ck_assert_int_eq(tu_write_file(dir, "not a stub\n", 11), 0);
  set_schema(db, "0");
  {
    tl_index *ix = NULL;
    snprintf(want, sizeof want, "rebuild it: rm -r %s && telusur-index -d %s PATH...", db, db);
    ck_assert_int_eq(tl_index_open(db, NULL, &ix, &err), TL_ERR_SCHEMA);
    ASSERT_HAS(err.msg, want);
  }
}
END_TEST

static Suite *schema_suite(void) {
  Suite *s = suite_create("schema");
  TCase *tc = tcase_create("record");
  TCase *tv = tcase_create("version");
  tcase_add_test(tc, record_full_round_trip);
  tcase_add_test(tc, record_defaults_left_out);
  tcase_add_test(tc, record_buffer_reused);
  tcase_add_test(tc, record_parts_join);
  tcase_add_test(tc, record_decode_errors);
  suite_add_tcase(s, tc);
  tcase_add_checked_fixture(tv, tu_dir_setup, tu_dir_teardown);
  tcase_add_test(tv, index_records_version_and_record);
  tcase_add_test(tv, newer_version_refused);
  tcase_add_test(tv, older_version_says_how_to_rebuild);
  tcase_add_test(tv, no_key_with_documents_is_version_1);
  tcase_add_test(tv, stub_reads_first_shard);
  tcase_add_test(tv, other_analysis_warned);
  tcase_add_test(tv, fingerprint_follows_lexicon);
  tcase_add_test(tv, rebuild_command_and_empty_index);
  suite_add_tcase(s, tv);
  return s;
}

int main(void) {
  return tu_run_suite(schema_suite());
}
