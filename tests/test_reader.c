/*
 * test_reader.c - Check suite for lib/text/reader.[ch]: .txt, .jsonl and
 * .html files, plain or gzip, names in any letter case, byte order marks,
 * fields and dates, every documented error and warning with its code and a
 * message that names the file and the line or byte offset, and
 * tl_utf8_check.
 */
#include "testutil.h"
#include "text/reader.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A temporary directory per test, removed by teardown. */

/* Path of tu_dir/name in a static buffer that the next call overwrites. */
static const char *at(const char *name) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  return path;
}

/* Writes len bytes to tu_dir/name; returns the path (static buffer). */
static const char *put_n(const char *name, const char *data, size_t len) {
  const char *path = at(name);
  ck_assert_int_eq(tu_write_file(path, data, len), 0);
  return path;
}

static const char *put(const char *name, const char *text) {
  return put_n(name, text, strlen(text));
}

/* Writes len bytes gzip-compressed to tu_dir/name; returns the path. */
static const char *put_gz(const char *name, const char *data, size_t len) {
  const char *path = at(name);
  gzFile gz = gzopen(path, "wb9");
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(gzwrite(gz, data, (unsigned)len), (int)len);
  ck_assert_int_eq(gzclose(gz), Z_OK);
  return path;
}

/* Opens path, which must succeed. */
static tl_reader *open_ok(const char *path) {
  tl_reader *r = NULL;
  tl_error err;
  int rc = tl_reader_open(path, &r, &err);
  ck_assert_msg(rc == TL_OK, "open %s: %d %s", path, rc, err.msg);
  ck_assert_ptr_nonnull(r);
  return r;
}

/* Reads the next article, which must exist. */
static const tl_article *next_ok(tl_reader *r) {
  const tl_article *a = NULL;
  tl_error err;
  int rc = tl_reader_next(r, &a, &err);
  ck_assert_msg(rc == TL_OK, "next: %d %s", rc, rc > TL_DONE ? err.msg : "");
  ck_assert_ptr_nonnull(a);
  return a;
}

/* The next call must end the file, and so must the one after it. */
static void expect_done(tl_reader *r) {
  const tl_article *a = (const tl_article *)1;
  tl_error err;
  ck_assert_int_eq(tl_reader_next(r, &a, &err), TL_DONE);
  ck_assert_ptr_null(a);
  ck_assert_int_eq(tl_reader_next(r, &a, &err), TL_DONE);
}

/*
 * The next call must fail with code, and the message must contain every
 * one of the NULL-terminated strings given (the path, "path:line", an
 * offset...), and be one line.
 */
static void expect_error(tl_reader *r, int code, ...) {
  const tl_article *a = (const tl_article *)1;
  tl_error err;
  const char *want;
  va_list ap;
  int rc = tl_reader_next(r, &a, &err);
  ck_assert_msg(rc == code, "want %d got %d (%s)", code, rc, rc > TL_DONE ? err.msg : "");
  ck_assert_int_eq(err.code, code);
  ck_assert_ptr_null(a);
  ck_assert_ptr_null(strchr(err.msg, '\n'));
  va_start(ap, code);
  while ((want = va_arg(ap, const char *)) != NULL)
    ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
  va_end(ap);
}

/* The text of an article as a NUL-terminated copy check. */
static void expect_text(const tl_article *a, const char *text) {
  ck_assert_uint_eq(a->text_len, strlen(text));
  ck_assert_int_eq(memcmp(a->text, text, a->text_len), 0);
  ck_assert_int_eq(a->text[a->text_len], '\0');
}

START_TEST(test_format_names) {
  ck_assert_int_eq(tl_reader_format("a.txt"), TL_FORMAT_TXT);
  ck_assert_int_eq(tl_reader_format("dir/a.txt.gz"), TL_FORMAT_TXT);
  ck_assert_int_eq(tl_reader_format("a.jsonl"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.json"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.jsonl.gz"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.json.gz"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.md"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("a.gz"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("a.txt.bz2"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("a.gz.txt.x"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("a.txt.gz.gz"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("txt"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format(".txt"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format(".jsonl"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format(""), TL_FORMAT_UNKNOWN);
  /* HTML, and any letter case */
  ck_assert_int_eq(tl_reader_format("a.html"), TL_FORMAT_HTML);
  ck_assert_int_eq(tl_reader_format("a.htm"), TL_FORMAT_HTML);
  ck_assert_int_eq(tl_reader_format("a.html.gz"), TL_FORMAT_HTML);
  ck_assert_int_eq(tl_reader_format("a.htm.gz"), TL_FORMAT_HTML);
  ck_assert_int_eq(tl_reader_format("A.HTML"), TL_FORMAT_HTML);
  ck_assert_int_eq(tl_reader_format("a.TXT"), TL_FORMAT_TXT);
  ck_assert_int_eq(tl_reader_format("a.Txt.GZ"), TL_FORMAT_TXT);
  ck_assert_int_eq(tl_reader_format("a.JSONL"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.JSON.Gz"), TL_FORMAT_JSONL);
  ck_assert_int_eq(tl_reader_format("a.xhtml"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format(".html"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format(".HTM.gz"), TL_FORMAT_UNKNOWN);
  ck_assert_int_eq(tl_reader_format("a.GZ"), TL_FORMAT_UNKNOWN);
}
END_TEST

START_TEST(test_utf8_check) {
  size_t bad = 99;
  ck_assert_int_eq(tl_utf8_check("", 0, &bad), TL_OK);
  ck_assert_int_eq(tl_utf8_check("abc", 3, &bad), TL_OK);
  /* é (2 bytes), € (3 bytes), 😀 (4 bytes) */
  ck_assert_int_eq(tl_utf8_check("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9, &bad), TL_OK);
  /* a lone continuation byte at offset 2 */
  ck_assert_int_eq(tl_utf8_check("ab\x80"
                                 "cd",
                                 5, &bad),
                   TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 2);
  /* a lead byte whose sequence is cut by a space: the lead byte is bad */
  ck_assert_int_eq(tl_utf8_check("x\xC3 y", 4, &bad), TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 1);
  /* a sequence cut by the end of the buffer */
  ck_assert_int_eq(tl_utf8_check("abc\xE2\x82", 5, &bad), TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 3);
  /* overlong NUL, CESU surrogate, 0xFF */
  ck_assert_int_eq(tl_utf8_check("\xC0\x80", 2, &bad), TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 0);
  ck_assert_int_eq(tl_utf8_check("ok\xED\xA0\x80", 5, &bad), TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 2);
  ck_assert_int_eq(tl_utf8_check("\xC3\xA9\xFF", 3, &bad), TL_ERR_UTF8);
  ck_assert_uint_eq(bad, 2);
  /* NUL: binary data, a format error */
  ck_assert_int_eq(tl_utf8_check("ab\0cd", 5, &bad), TL_ERR_FORMAT);
  ck_assert_uint_eq(bad, 2);
  /* the length is honoured: bytes past it are not looked at */
  ck_assert_int_eq(tl_utf8_check("ab\xFF", 2, &bad), TL_OK);
  /* bad_offset may be NULL */
  ck_assert_int_eq(tl_utf8_check("\xFF", 1, NULL), TL_ERR_UTF8);
}
END_TEST

/* Long runs of ASCII (read eight bytes at a time) with a bad byte, a NUL
 * or a good character at every offset, up to the last byte. */
START_TEST(test_utf8_check_long) {
  char buf[40];
  size_t at, bad;
  for (at = 0; at < sizeof buf; at++) {
    memset(buf, 'a', sizeof buf);
    buf[at] = '\xFF';
    bad = 99;
    ck_assert_int_eq(tl_utf8_check(buf, sizeof buf, &bad), TL_ERR_UTF8);
    ck_assert_uint_eq(bad, at);
    buf[at] = '\0';
    bad = 99;
    ck_assert_int_eq(tl_utf8_check(buf, sizeof buf, &bad), TL_ERR_FORMAT);
    ck_assert_uint_eq(bad, at);
    buf[at] = '\x7F'; /* DEL: ASCII, not NUL */
    ck_assert_int_eq(tl_utf8_check(buf, sizeof buf, &bad), TL_OK);
    if (at + 2 <= sizeof buf) {
      buf[at] = '\xC3'; /* é */
      buf[at + 1] = '\xA9';
      ck_assert_int_eq(tl_utf8_check(buf, sizeof buf, &bad), TL_OK);
      /* cut by the length: the lead byte is bad */
      ck_assert_int_eq(tl_utf8_check(buf, at + 1, &bad), TL_ERR_UTF8);
      ck_assert_uint_eq(bad, at);
    }
  }
}
END_TEST

/* Title: the first non-empty line, trimmed; text after its line end. */
START_TEST(test_txt) {
  static const char data[] = "\n  \n  Judul Artikel \t\r\n\nParagraf satu.\n\nParagraf dua.\n";
  const char *path = put("a.txt", data);
  char p[512];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", path);
  r = open_ok(p);
  a = next_ok(r);
  ck_assert_str_eq(a->title, "Judul Artikel");
  /* "\n  \n" is 4 bytes, "  Judul Artikel \t\r\n" 19: the text starts at 23 */
  ck_assert_uint_eq(a->text_offset, 23);
  expect_text(a, "\nParagraf satu.\n\nParagraf dua.\n");
  ck_assert_int_eq(memcmp(data + a->text_offset, a->text, a->text_len), 0);
  ck_assert_str_eq(a->id, p);
  ck_assert_str_eq(a->path, p);
  ck_assert_uint_eq(a->line, 0);
  ck_assert_str_eq(a->date, "");
  ck_assert_str_eq(a->url, "");
  ck_assert_str_eq(a->source, "");
  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), sizeof data - 1);
  tl_reader_free(r);
  tl_reader_free(NULL);
}
END_TEST

/* A byte order mark is not part of the title; offsets still count it. */
START_TEST(test_txt_bom_crlf) {
  tl_reader *r = open_ok(put("bom.txt", "\xEF\xBB\xBFJudul\r\nBaris satu.\r\nBaris dua.\r\n"));
  const tl_article *a = next_ok(r);
  ck_assert_str_eq(a->title, "Judul");
  ck_assert_uint_eq(a->text_offset, 10); /* 3 + "Judul\r\n" */
  expect_text(a, "Baris satu.\r\nBaris dua.\r\n");
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* A title with no text (the title is the text too), and text or HTML
 * files with nothing in them: noted, skipped; JSON Lines with no record:
 * done. */
START_TEST(test_txt_title_only_and_empty) {
  char p[512];
  tl_reader *r = open_ok(put("t.txt", "Hanya Judul"));
  const tl_article *a = next_ok(r);
  ck_assert_str_eq(a->title, "Hanya Judul");
  /* the one line is the text too: a file of one paragraph is found */
  ck_assert_uint_eq(a->text_offset, 0);
  expect_text(a, "Hanya Judul");
  expect_done(r);
  tl_reader_free(r);
  r = open_ok(put("t2.txt", "\n  Satu paragraf saja, tanpa judul.  \n\n \n"));
  a = next_ok(r);
  ck_assert_uint_eq(a->text_offset, 3);
  expect_text(a, "Satu paragraf saja, tanpa judul.");
  expect_done(r);
  tl_reader_free(r);

  snprintf(p, sizeof p, "%s", put("e.txt", ""));
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "no text (empty file)", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);

  snprintf(p, sizeof p, "%s", put("w.txt", "\xEF\xBB\xBF \r\n\t\n  \n"));
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "no text (empty file)", (const char *)NULL);
  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), 11);
  tl_reader_free(r);

  /* JSON Lines with no record: a collection of none (a day without news) */
  r = open_ok(put("e.jsonl", "\n \r\n\n"));
  expect_done(r);
  tl_reader_free(r);
  r = open_ok(put("z.jsonl", ""));
  expect_done(r);
  tl_reader_free(r);

  snprintf(p, sizeof p, "%s", put_gz("e.html.gz", "", 0));
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "no text (empty file)", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

START_TEST(test_txt_invalid_utf8) {
  /* "Judul\n" is 6 bytes, "ab" 2 more: the bad byte is at offset 8 */
  char p[512];
  tl_reader *r;
  snprintf(p, sizeof p, "%s",
           put("bad.txt", "Judul\nab\xFF"
                          "cd\n"));
  r = open_ok(p);
  expect_error(r, TL_ERR_UTF8, p, "byte offset 8", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

START_TEST(test_txt_nul) {
  char p[512];
  tl_reader *r;
  snprintf(p, sizeof p, "%s", put_n("bin.txt", "Judul\nabc\0def", 13));
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "binary", "byte offset 9", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* JSON Lines: fields, the "PATH:LINE" id, blank lines and CRLF. */
START_TEST(test_jsonl) {
  static const char data[] =
      "{\"id\":\"a1\",\"title\":\"Satu\",\"text\":\"Teks \\u00e9 satu.\","
      "\"date\":\"2025-02-20\",\"url\":\"https://x.id/1\",\"source\":\"liputan6\"}\n"
      "\n"
      "  \t\r\n"
      "{\"title\":\"Dua\",\"text\":\"Teks dua.\"}\r\n"
      "{\"id\":42,\"text\":\"Tiga\",\"title\":null,\"extra\":[1,2]}\n"
      "{\"id\":\"e\",\"title\":\"Judul saja\",\"text\":\" \\t\\n\\u00a0\\u3000\\u200b. \"}\n"
      "{\"id\":\"\",\"text\":\"Empat\"}";
  char p[512], id[600];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", put("a.jsonl", data));
  r = open_ok(p);

  a = next_ok(r);
  ck_assert_str_eq(a->id, "a1");
  ck_assert_str_eq(a->title, "Satu");
  expect_text(a, "Teks \xC3\xA9 satu.");
  ck_assert_str_eq(a->date, "2025-02-20");
  ck_assert_str_eq(a->url, "https://x.id/1");
  ck_assert_str_eq(a->source, "liputan6");
  ck_assert_str_eq(a->path, p);
  ck_assert_uint_eq(a->line, 1);
  ck_assert_uint_eq(a->text_offset, 0);

  a = next_ok(r);
  snprintf(id, sizeof id, "%s:4", p);
  ck_assert_str_eq(a->id, id);
  ck_assert_str_eq(a->title, "Dua");
  expect_text(a, "Teks dua.");
  ck_assert_str_eq(a->date, "");
  ck_assert_uint_eq(a->line, 4);

  snprintf(id, sizeof id, "%s:5: \"id\" is a number, read as \"42\" (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, id, (const char *)NULL);
  ck_assert_int_eq(tl_reader_warned(r), 1);
  a = next_ok(r);
  ck_assert_int_eq(tl_reader_warned(r), 0);
  ck_assert_str_eq(a->id, "42");
  ck_assert_str_eq(a->title, "");
  expect_text(a, "Tiga");
  ck_assert_uint_eq(a->line, 5);

  /* a text of white space alone: nothing to index, the line skipped */
  snprintf(id, sizeof id, "%s:6: no word in \"text\", line skipped", p);
  expect_error(r, TL_ERR_FORMAT, id, (const char *)NULL);
  ck_assert_int_eq(tl_reader_warned(r), 0);

  /* an empty id is no id; the last line has no line end */
  a = next_ok(r);
  snprintf(id, sizeof id, "%s:7", p);
  ck_assert_str_eq(a->id, id);
  expect_text(a, "Empat");
  ck_assert_uint_eq(a->line, 7);

  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), sizeof data - 1);
  tl_reader_free(r);
}
END_TEST

/* A malformed line is reported with its line number; reading goes on. */
/* A .json file holding a JSON array, or objects across lines (as "jq ."
 * writes them), is read whole: each element or object an article, at the
 * line where it starts; one that does not parse is named by its line and
 * byte offset, and the next object read. One object per line stays JSON
 * Lines. */
START_TEST(test_json_whole) {
  char p[512];
  const tl_article *a;
  tl_reader *r = open_ok(put("arr.json", "\xEF\xBB\xBF[\n  {\"id\": \"j1\", \"text\": \"satu\"},\n"
                                         "  {\"id\": \"j2\",\n   \"text\": \"dua\"}\n]\n"));
  a = next_ok(r);
  ck_assert_str_eq(a->id, "j1");
  ck_assert_uint_eq(a->line, 2);
  expect_text(a, "satu");
  a = next_ok(r);
  ck_assert_str_eq(a->id, "j2");
  ck_assert_uint_eq(a->line, 3);
  expect_text(a, "dua");
  expect_done(r);
  tl_reader_free(r);

  r = open_ok(put("pretty.json", "{\n  \"id\": \"p1\",\n  \"text\": \"satu\"\n}\n"
                                 "{\n  \"text\": \"dua\"\n}"));
  a = next_ok(r);
  ck_assert_str_eq(a->id, "p1");
  ck_assert_uint_eq(a->line, 1);
  a = next_ok(r);
  ck_assert_uint_eq(a->line, 5);
  ck_assert_ptr_nonnull(strstr(a->id, "pretty.json:5"));
  expect_text(a, "dua");
  expect_done(r);
  tl_reader_free(r);

  /* one object per line: JSON Lines, a bad line skipped alone */
  snprintf(p, sizeof p, "%s",
           put("lines.json", "{\"text\": \"satu\"}\n{\"text\": \n{\"text\": \"tiga\"}\n"));
  r = open_ok(p);
  a = next_ok(r);
  expect_text(a, "satu");
  expect_error(r, TL_ERR_FORMAT, "lines.json:2:", "malformed JSON", (const char *)NULL);
  a = next_ok(r);
  ck_assert_uint_eq(a->line, 3);
  expect_done(r);
  tl_reader_free(r);

  /* a bad element: named, the next one read; an array left open */
  snprintf(p, sizeof p, "%s",
           put("bad.json", "[\n  {\"id\": \"b1\", \"text\": \"satu\"},\n  {\"id\": \"b2\", \"text: "
                           "\"dua\"},\n  {\"id\": \"b3\", \"text\": \"tiga\"},\n  7,\n"
                           "  {\"id\": \"b5\", \"text\": \"lima\"}\n"));
  r = open_ok(p);
  ck_assert_str_eq(next_ok(r)->id, "b1");
  expect_error(r, TL_ERR_FORMAT, "bad.json:3:", "malformed JSON at byte offset 57",
               (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "b3");
  expect_error(r, TL_ERR_FORMAT, "bad.json:5:", "not a JSON object", (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "b5");
  expect_error(r, TL_ERR_FORMAT, "bad.json:7:", "not closed by ']'", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);

  /* an empty array, data after the array, gzip */
  r = open_ok(put("empty.json", " [ ]\n"));
  expect_done(r);
  tl_reader_free(r);
  r = open_ok(put("after.json", "[{\"text\": \"satu\"}] x"));
  expect_text(next_ok(r), "satu");
  expect_error(r, TL_ERR_FORMAT, "after.json:1:", "after the end of the JSON array",
               (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  {
    static const char arr[] = "[{\"text\": \"satu\"},\n{\"text\": \"dua\"}]";
    r = open_ok(put_gz("arr.json.gz", arr, sizeof arr - 1));
    expect_text(next_ok(r), "satu");
    expect_text(next_ok(r), "dua");
    expect_done(r);
    tl_reader_free(r);
  }
}
END_TEST

/* Faults inside a .json file read whole: each costs its own value, never
 * the rest of the file (a nested array, a null, a bad byte, a missing
 * comma, a cut gzip stream); objects without "id" starting on one line get
 * ids of their own. */
START_TEST(test_json_whole_faults) {
  tl_reader *r;
  const tl_article *a;
  char *data = malloc(100000), *gz, p[512];
  size_t len = 0, gzlen = 0, i, n;
  ck_assert_ptr_nonnull(data);
  /* one line, no ids: PATH:1, PATH:1.2, PATH:1.3 */
  r = open_ok(put("noid.json", "[{\"text\":\"satu\"},{\"text\":\"dua\"},{\"text\":\"tiga\"}]"));
  ck_assert_ptr_nonnull(strstr(next_ok(r)->id, "noid.json:1"));
  ck_assert_ptr_nonnull(strstr(next_ok(r)->id, "noid.json:1.2"));
  ck_assert_ptr_nonnull(strstr(next_ok(r)->id, "noid.json:1.3"));
  expect_done(r);
  tl_reader_free(r);
  /* a fault after a nested array of objects: the object skipped, not the
   * rest of the array */
  r = open_ok(put("nest.json",
                  "[\n {\"id\": \"p1\", \"text\": \"satu\",\n  \"a\": [\n   {\"n\": 1}\n  ],\n"
                  "  \"x\": tru\n },\n {\"id\": \"p2\", \"text\": \"dua\"}\n]\n"));
  expect_error(r, TL_ERR_FORMAT, "nest.json:2:", "malformed JSON", "(line 6)", (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "p2");
  expect_done(r);
  tl_reader_free(r);
  /* a null, a bad byte, an empty element, a missing comma */
  r = open_ok(
      put("mixed.json",
          "[null, {\"id\":\"o1\",\"text\":\"satu\"},\n{\"id\":\"o2\",\"text\":\"d\xFFua\"},\n"
          "{\"id\":\"o3\",\"text\":\"tiga\"},,{\"id\":\"o4\",\"text\":\"empat\"} "
          "{\"id\":\"o5\",\"text\":\"lima\"}]"));
  expect_error(r, TL_ERR_FORMAT, "mixed.json:1:", "not a JSON object (null)", (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "o1");
  expect_error(r, TL_ERR_UTF8, "mixed.json:2:", "invalid UTF-8 at byte offset 54",
               (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "o3");
  expect_error(r, TL_ERR_FORMAT, "mixed.json:3:", "malformed JSON", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, "mixed.json:3:", "no ',' after it in the array (article kept)",
               (const char *)NULL);
  ck_assert_str_eq(next_ok(r)->id, "o4"); /* the warned article, handed out next */
  ck_assert_str_eq(next_ok(r)->id, "o5");
  expect_done(r);
  tl_reader_free(r);
  /* a whole object on the first line, then objects across lines, joined
   * by cat with their byte order marks */
  r = open_ok(put("cat.json", "{\"id\":\"x1\",\"text\":\"satu\"}\n\xEF\xBB\xBF{\n \"id\": \"x2\",\n"
                              " \"text\": \"dua\"\n}\n"));
  ck_assert_str_eq(next_ok(r)->id, "x1");
  a = next_ok(r);
  ck_assert_str_eq(a->id, "x2");
  ck_assert_uint_eq(a->line, 2);
  expect_done(r);
  tl_reader_free(r);
  /* a gzip stream cut short: the objects before the cut, then the error */
  len = (size_t)snprintf(data, 100000, "[\n");
  for (i = 0; i < 2000; i++)
    len +=
        (size_t)snprintf(data + len, 100000 - len, " {\"id\": \"g%zu\", \"text\": \"kata%u\"},\n",
                         i, (unsigned)(i * 2654435761u % 100000u));
  len += (size_t)snprintf(data + len, 100000 - len, " {\"text\": \"akhir\"}\n]\n");
  snprintf(p, sizeof p, "%s", put_gz("cut.json.gz", data, len));
  gz = tu_read_file(p, &gzlen);
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(tu_write_file(p, gz, gzlen / 2), 0);
  free(gz);
  r = open_ok(p);
  for (n = 0;; n++) {
    tl_error err;
    int rc = tl_reader_next(r, &a, &err);
    if (rc != TL_OK) {
      ck_assert_msg(rc == TL_ERR_FORMAT && strstr(err.msg, "malformed JSON"), "%d %s", rc, err.msg);
      break;
    }
    ck_assert_uint_eq(a->line, n + 2);
  }
  ck_assert_uint_gt(n, 100);
  ck_assert_uint_lt(n, 2000);
  expect_error(r, TL_ERR_FORMAT, "cut.json.gz", "truncated", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  free(data);
}
END_TEST

START_TEST(test_jsonl_bad_lines) {
  static const char data[] = "{\"text\": \"satu\"\n"               /* 1: unterminated object */
                             "{\"id\":\"ok2\",\"text\":\"dua\"}\n" /* 2 */
                             "[1, 2, 3]\n"                         /* 3: not an object */
                             "\"teks\"\n"                          /* 4: not an object */
                             "{\"id\":\"x\",\"title\":\"t\"}\n"    /* 5: no text */
                             "{\"id\":\"y\",\"text\":7}\n"         /* 6: text not a string */
                             "{\"text\":\"a\"} {\"text\":\"b\"}\n" /* 7: trailing data */
                             "{\"text\":\"a\\u0000b\"}\n"          /* 8: NUL through an escape */
                             "{\"id\":\"ok9\",\"text\":\"sembilan\"}\n"
                             " null\n"; /* 10: not an object */
  char p[512], l1[600], l3[600], l4[600], l5[600], l6[600], l7[600], l8[600], l10[600];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", put("bad.jsonl", data));
  snprintf(l1, sizeof l1, "%s:1:", p);
  snprintf(l3, sizeof l3, "%s:3:", p);
  snprintf(l4, sizeof l4, "%s:4:", p);
  snprintf(l5, sizeof l5, "%s:5:", p);
  snprintf(l6, sizeof l6, "%s:6:", p);
  snprintf(l7, sizeof l7, "%s:7:", p);
  snprintf(l8, sizeof l8, "%s:8:", p);
  snprintf(l10, sizeof l10, "%s:10:", p);
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, l1, "malformed JSON", (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "ok2");
  ck_assert_uint_eq(a->line, 2);
  expect_text(a, "dua");
  expect_error(r, TL_ERR_FORMAT, l3, "not a JSON object", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, l4, "not a JSON object", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, l5, "\"text\"", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, l6, "\"text\"", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, l7, "malformed JSON", "column 14", (const char *)NULL);
  expect_error(r, TL_ERR_UTF8, l8, (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "ok9");
  ck_assert_uint_eq(a->line, 9);
  expect_error(r, TL_ERR_FORMAT, l10, "not a JSON object (null)", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* Invalid UTF-8 and NUL bytes in JSON Lines: line and file byte offset. */
START_TEST(test_jsonl_utf8_nul) {
  /* line 1 is 15 bytes + '\n'; line 2's bad byte is its 11th (offset 10):
   * file offset 16 + 10 = 26. Line 2 is 13 bytes + '\n', so line 3 starts
   * at 30; its NUL is at offset 10 in it: 40. */
  static const char data[] = "{\"text\":\"satu\"}\n"
                             "{\"text\":\"d\xFF\"}\n"
                             "{\"text\":\"t\0\"}\n"
                             "{\"text\":\"empat\"}\n";
  char p[512], l2[600], l3[600];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", put_n("u.jsonl", data, sizeof data - 1));
  snprintf(l2, sizeof l2, "%s:2:", p);
  snprintf(l3, sizeof l3, "%s:3:", p);
  r = open_ok(p);
  expect_text(next_ok(r), "satu");
  expect_error(r, TL_ERR_UTF8, l2, "byte offset 26", (const char *)NULL);
  expect_error(r, TL_ERR_FORMAT, l3, "NUL", "byte offset 40", (const char *)NULL);
  a = next_ok(r);
  expect_text(a, "empat");
  ck_assert_uint_eq(a->line, 4);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* .gz of both formats reads as the plain files do. */
START_TEST(test_gzip) {
  static const char txt[] = "\xEF\xBB\xBFJudul Gz\n\nIsi teks.\n";
  static const char jsonl[] = "{\"id\":\"g1\",\"text\":\"satu\"}\n\n{\"text\":\"dua\"}\n";
  char p[512], id[600];
  tl_reader *r;
  const tl_article *a;
  r = open_ok(put_gz("a.txt.gz", txt, sizeof txt - 1));
  a = next_ok(r);
  ck_assert_str_eq(a->title, "Judul Gz");
  ck_assert_uint_eq(a->text_offset, 12);
  expect_text(a, "\nIsi teks.\n");
  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), sizeof txt - 1);
  tl_reader_free(r);

  snprintf(p, sizeof p, "%s", put_gz("b.jsonl.gz", jsonl, sizeof jsonl - 1));
  r = open_ok(p);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "g1");
  expect_text(a, "satu");
  a = next_ok(r);
  snprintf(id, sizeof id, "%s:3", p);
  ck_assert_str_eq(a->id, id);
  expect_text(a, "dua");
  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), sizeof jsonl - 1);
  tl_reader_free(r);

  /* a ".gz" name over data that is not gzip says so, whatever the data */
  {
    static const char *const names[] = {"plain.txt.gz", "plain.JSONL.GZ", "empty.html.gz"};
    static const char *const data[] = {"Judul\nTeks.", "{\"text\":\"x\"}\n", ""};
    size_t k;
    for (k = 0; k < 3; k++) {
      tl_error err;
      snprintf(p, sizeof p, "%s", put(names[k], data[k]));
      r = (tl_reader *)1;
      ck_assert_int_eq(tl_reader_open(p, &r, &err), TL_ERR_FORMAT);
      ck_assert_ptr_null(r);
      snprintf(id, sizeof id, "%s: not gzip data", p);
      ck_assert_str_eq(err.msg, id);
    }
  }
}
END_TEST

/*
 * Decompresses path with zlib until its first error; returns the number
 * of complete lines ("\n"-ended) in what came out.
 */
static size_t complete_lines(const char *path) {
  gzFile gz = gzopen(path, "rb");
  char buf[4096];
  size_t lines = 0;
  int n, i;
  ck_assert_ptr_nonnull(gz);
  while ((n = gzread(gz, buf, sizeof buf)) > 0)
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  gzclose(gz);
  return lines;
}

/*
 * A gzip file cut in half: the complete lines before the cut are read,
 * then TL_ERR_FORMAT ("truncated"), then TL_DONE.
 */
START_TEST(test_gzip_truncated) {
  char *data = malloc(200000), *gzdata, p[512], want[600];
  size_t len = 0, gzlen = 0, expect, i;
  tl_reader *r;
  unsigned seed = 12345;
  ck_assert_ptr_nonnull(data);
  for (i = 1; i <= 2000; i++) {
    /* pseudo-random words so that the data does not compress to nothing */
    char words[64];
    seed = seed * 1103515245u + 12345u;
    snprintf(words, sizeof words, "kata%u %u", seed % 100000u, (seed >> 8) % 977u);
    len +=
        (size_t)snprintf(data + len, 200000 - len, "{\"id\":\"d%zu\",\"text\":\"%s\"}\n", i, words);
  }
  snprintf(p, sizeof p, "%s", put_gz("cut.jsonl.gz", data, len));
  gzdata = tu_read_file(p, &gzlen);
  ck_assert_ptr_nonnull(gzdata);
  ck_assert_uint_gt(gzlen, 1000);
  ck_assert_int_eq(tu_write_file(p, gzdata, gzlen / 2), 0);
  free(gzdata);
  expect = complete_lines(p);
  ck_assert_uint_gt(expect, 10);
  ck_assert_uint_lt(expect, 2000);

  r = open_ok(p);
  for (i = 1; i <= expect; i++) {
    const tl_article *a = next_ok(r);
    char id[32];
    snprintf(id, sizeof id, "d%zu", i);
    ck_assert_str_eq(a->id, id);
    ck_assert_uint_eq(a->line, i);
  }
  snprintf(want, sizeof want, "%s:", p);
  expect_error(r, TL_ERR_FORMAT, want, "truncated", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);

  /* the same cut in a .txt.gz: the one record is an error */
  snprintf(p, sizeof p, "%s", put_gz("cut.txt.gz", data, len));
  gzdata = tu_read_file(p, &gzlen);
  ck_assert_int_eq(tu_write_file(p, gzdata, gzlen / 2), 0);
  free(gzdata);
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "truncated", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  free(data);
}
END_TEST

/*
 * After a complete gzip member: zero bytes (block padding) are passed over,
 * as gzip does; other data is an error naming its compressed byte, after
 * the articles inflated before it.
 */
START_TEST(test_gzip_trailing) {
  static const char lines[] = "{\"id\":\"t1\",\"text\":\"Satu.\"}\n"
                              "{\"id\":\"t2\",\"text\":\"Dua.\"}\n";
  static const char zeros[512] = {0};
  char p[512], want[600], *gz, *grown;
  size_t gzlen = 0, n;
  tl_reader *r;
  int k;
  for (k = 0; k < 2; k++) {
    snprintf(p, sizeof p, "%s",
             put_gz(k ? "garbage.jsonl.gz" : "zeros.jsonl.gz", lines, sizeof lines - 1));
    gz = tu_read_file(p, &gzlen);
    ck_assert_ptr_nonnull(gz);
    n = gzlen + (k ? 13 : sizeof zeros);
    grown = realloc(gz, n);
    ck_assert_ptr_nonnull(grown);
    gz = grown;
    memcpy(gz + gzlen, k ? "garbage after" : zeros, n - gzlen);
    ck_assert_int_eq(tu_write_file(p, gz, n), 0);
    free(gz);
    r = open_ok(p);
    ck_assert_str_eq(next_ok(r)->id, "t1");
    ck_assert_str_eq(next_ok(r)->id, "t2");
    if (k) {
      /* zlib tells after reading the two bytes a member's header starts with */
      snprintf(want, sizeof want, "%s: corrupt gzip data at compressed byte %zu", p, gzlen + 2);
      expect_error(r, TL_ERR_FORMAT, want, "incorrect header check", (const char *)NULL);
    }
    expect_done(r);
    tl_reader_free(r);
  }
}
END_TEST

/* Files that cannot be opened or read. */
START_TEST(test_open_errors) {
  tl_reader *r = (tl_reader *)1;
  tl_error err;
  char p[512];

  /* missing file: TL_ERR_IO naming the path and the reason */
  snprintf(p, sizeof p, "%s", at("missing.txt"));
  ck_assert_int_eq(tl_reader_open(p, &r, &err), TL_ERR_IO);
  ck_assert_ptr_null(r);
  ck_assert_int_eq(err.code, TL_ERR_IO);
  ck_assert_ptr_nonnull(strstr(err.msg, p));
  ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));

  /* unknown format: TL_ERR_USAGE, before the file is touched */
  snprintf(p, sizeof p, "%s", put("notes.md", "x"));
  r = (tl_reader *)1;
  ck_assert_int_eq(tl_reader_open(p, &r, &err), TL_ERR_USAGE);
  ck_assert_ptr_null(r);
  ck_assert_ptr_nonnull(strstr(err.msg, p));

  /* a directory with a reader's name opens but cannot be read */
  snprintf(p, sizeof p, "%s", at("dir.jsonl"));
  ck_assert_int_eq(mkdir(p, 0755), 0);
  r = open_ok(p);
  expect_error(r, TL_ERR_IO, p, (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  snprintf(p, sizeof p, "%s", at("dir.txt.gz"));
  ck_assert_int_eq(mkdir(p, 0755), 0);
  r = open_ok(p);
  expect_error(r, TL_ERR_IO, p, (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);

  /* an unreadable file: only meaningful when permissions apply (not root) */
  snprintf(p, sizeof p, "%s", put("secret.txt", "Judul\nteks"));
  ck_assert_int_eq(chmod(p, 0), 0);
  if (geteuid() != 0) {
    r = (tl_reader *)1;
    ck_assert_int_eq(tl_reader_open(p, &r, &err), TL_ERR_IO);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.msg, p));
    ck_assert_ptr_nonnull(strstr(err.msg, "Permission denied"));
  }
  chmod(p, 0644);
}
END_TEST

/* The fields of an article as "name=value;" pairs. */
static void expect_fields(const tl_article *a, const char *want) {
  char got[1024] = "";
  size_t i, n = 0;
  for (i = 0; i < a->nfields; i++)
    n += (size_t)snprintf(got + n, sizeof got - n, "%s=%s;", a->fields[i].name, a->fields[i].value);
  ck_assert_uint_lt(n, sizeof got);
  ck_assert_str_eq(got, want);
}

/* Top-level strings and arrays of strings are fields; "site" from "url". */
START_TEST(test_jsonl_fields) {
  static const char data[] =
      "{\"id\":\"f1\",\"title\":\"T\",\"text\":\"x\",\"source\":\"detik\","
      "\"url\":\"https://user@News.Detik.COM:8080/berita/1?a=b\",\"topic\":\"Ekonomi\","
      "\"author\":[\"Budi\",7,\"Sari\",null,[\"x\"]],\"views\":120,\"draft\":false,"
      "\"meta\":{\"a\":\"b\"},\"date\":\"2025-10-21\",\"empty\":\"\",\"nothing\":null}\n"
      "{\"text\":\"y\",\"url\":\"http://[::1]:80/x\",\"site\":\"sendiri\"}\n"
      "{\"text\":\"z\",\"url\":\"/relatif\",\"tags\":[]}\n"
      "{\"text\":\"w\",\"url\":\"https://kompas.id\"}\n"
      "{\"text\":\"v\",\"year\":\"1999\",\"month\":[\"1999-01\"],\"topic\":\"Sejarah\"}\n"
      "{\"text\":\"u\",\"Month\":\"x\",\"YEAR\":\"y\",\"topic\":\"Seni\"}\n";
  char want[4096 + 200];
  tl_reader *r = open_ok(put("f.jsonl", data));
  const tl_article *a = next_ok(r);
  ck_assert_str_eq(a->source, "detik");
  ck_assert_str_eq(a->url, "https://user@News.Detik.COM:8080/berita/1?a=b");
  ck_assert_str_eq(a->date, "2025-10-21");
  ck_assert_int_eq(a->has_time, 1);
  ck_assert_int_eq(a->time.seconds, 1761004800);
  ck_assert_int_eq(a->time.date_only, 1);
  ck_assert_int_eq(a->date_invalid, 0);
  expect_fields(a, "source=detik;url=https://user@News.Detik.COM:8080/berita/1?a=b;"
                   "topic=Ekonomi;author=Budi;author=Sari;date=2025-10-21;empty=;"
                   "site=news.detik.com;");
  a = next_ok(r);
  expect_fields(a, "url=http://[::1]:80/x;site=sendiri;");
  ck_assert_int_eq(a->has_time, 0);
  ck_assert_int_eq(a->date_invalid, 0);
  a = next_ok(r);
  expect_fields(a, "url=/relatif;");
  a = next_ok(r);
  expect_fields(a, "url=https://kompas.id;site=kompas.id;");
  /* year and month come from the date alone: the article's own left out */
  snprintf(want, sizeof want,
           "%s:5: field \"year\" left out: it is derived from the date; field \"month\" left out: "
           "it is derived from the date (article kept)",
           at("f.jsonl"));
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  expect_fields(a, "topic=Sejarah;");
  /* in any letter case: filters take field names so */
  snprintf(want, sizeof want,
           "%s:6: field \"Month\" left out: it is derived from the date; field \"YEAR\" left out: "
           "it is derived from the date (article kept)",
           at("f.jsonl"));
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  expect_fields(a, "topic=Seni;");
  expect_done(r);
  tl_reader_free(r);

  /* .txt has none */
  r = open_ok(put("f.txt", "Judul\nTeks."));
  a = next_ok(r);
  ck_assert_uint_eq(a->nfields, 0);
  ck_assert_int_eq(a->has_time, 0);
  tl_reader_free(r);
}
END_TEST

/* Dates: every form, the caller's format, and a bad date as a warning. */
START_TEST(test_jsonl_dates) {
  static const char data[] =
      "{\"id\":\"d1\",\"text\":\"x\",\"date\":\"10/21/2025 20:43\"}\n"
      "{\"id\":\"d2\",\"text\":\"x\",\"date\":\"Tue, 21 Oct 2025 20:43:00 +0700\"}\n"
      "{\"id\":\"d3\",\"text\":\"x\",\"date\":\"2025-10-21T20:43:00+07:00\"}\n"
      "{\"id\":\"d4\",\"text\":\"x\",\"date\":\"kemarin sore\",\"topic\":\"T\"}\n"
      "{\"id\":\"d5\",\"text\":\"x\",\"date\":20251021}\n"
      "{\"id\":\"d6\",\"text\":\"x\",\"date\":\"\"}\n";
  char p[512], w4[600], w5[600];
  tl_reader *r;
  const tl_article *a;
  tl_error err;
  snprintf(p, sizeof p, "%s", put("d.jsonl", data));
  r = open_ok(p);
  ck_assert_int_eq(tl_reader_set_date_format(r, "%m/%d/%Y %H:%M", &err), TL_OK);
  a = next_ok(r);
  ck_assert_str_eq(a->date, "10/21/2025 20:43");
  ck_assert_int_eq(a->has_time, 1);
  ck_assert_int_eq(a->time.seconds, 1761079380); /* 20:43 taken as UTC */
  ck_assert_int_eq(a->time.date_only, 0);
  expect_fields(a, "date=10/21/2025 20:43;");
  a = next_ok(r);
  ck_assert_int_eq(a->time.seconds, 1761054180);
  a = next_ok(r);
  ck_assert_int_eq(a->time.seconds, 1761054180);
  /* not understood: a warning naming file, line and the text; the article
   * is kept without a date */
  snprintf(w4, sizeof w4, "%s:4: date \"kemarin sore\" not understood (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, w4, (const char *)NULL);
  ck_assert_int_eq(tl_reader_warned(r), 1);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "d4");
  ck_assert_str_eq(a->date, "");
  ck_assert_int_eq(a->has_time, 0);
  ck_assert_int_eq(a->date_invalid, 1);
  expect_fields(a, "topic=T;");
  snprintf(w5, sizeof w5, "%s:5: date \"20251021\" not understood (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, w5, (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "d5");
  ck_assert_int_eq(a->date_invalid, 1);
  expect_fields(a, "");
  /* an empty date is no date, and no warning */
  a = next_ok(r);
  ck_assert_str_eq(a->id, "d6");
  ck_assert_int_eq(a->date_invalid, 0);
  ck_assert_int_eq(a->has_time, 0);
  ck_assert_int_eq(tl_reader_warned(r), 0);
  expect_done(r);
  /* without the format the first date is not understood */
  tl_reader_free(r);
  r = open_ok(p);
  ck_assert_int_eq(tl_reader_set_date_format(r, "%m/%d/%Y", &err), TL_OK);
  ck_assert_int_eq(tl_reader_set_date_format(r, NULL, &err), TL_OK);
  expect_error(r, TL_ERR_FORMAT, "10/21/2025 20:43", "(article kept)", (const char *)NULL);
  a = next_ok(r);
  ck_assert_int_eq(a->date_invalid, 1);
  tl_reader_free(r);
}
END_TEST

/* "id" and "title" of the wrong type. */
/* A title over TL_TITLE_MAX bytes is cut at a space, with a warning, in
 * JSON Lines and in text; the article is kept whole otherwise. */
START_TEST(test_long_title) {
  char *title = malloc(3 * TL_TITLE_MAX), *line = malloc(4 * TL_TITLE_MAX), p[512], want[900];
  size_t n = 0, i;
  tl_reader *r;
  const tl_article *a;
  int k;
  ck_assert_ptr_nonnull(title);
  ck_assert_ptr_nonnull(line);
  for (i = 0; n + 8 < 3 * TL_TITLE_MAX - 1; i++) /* "kata0 kata1 ...": spaces to cut at */
    n += (size_t)snprintf(title + n, 3 * TL_TITLE_MAX - n, "%skata%zu", i ? " " : "", i % 10);
  for (k = 0; k < 2; k++) {
    if (k == 0)
      snprintf(line, 4 * TL_TITLE_MAX, "{\"id\":\"l1\",\"title\":\"%s\",\"text\":\"Isi.\"}\n",
               title);
    else
      snprintf(line, 4 * TL_TITLE_MAX, "%s\n\nIsi.\n", title);
    snprintf(p, sizeof p, "%s", put(k ? "long.txt" : "long.jsonl", line));
    r = open_ok(p);
    snprintf(want, sizeof want, "title of %zu bytes cut to", n);
    expect_error(r, TL_ERR_FORMAT, p, want, "(article kept)", (const char *)NULL);
    ck_assert_int_eq(tl_reader_warned(r), 1);
    a = next_ok(r);
    ck_assert_uint_le(strlen(a->title), TL_TITLE_MAX);
    ck_assert_uint_gt(strlen(a->title), TL_TITLE_MAX - 8);
    ck_assert_int_eq(strncmp(a->title, title, strlen(a->title)), 0);
    ck_assert_int_eq(title[strlen(a->title)], ' '); /* cut at a space */
    ck_assert_ptr_nonnull(strstr(a->text, "Isi."));
    expect_done(r);
    tl_reader_free(r);
  }
  free(title);
  free(line);
}
END_TEST

START_TEST(test_jsonl_id_title_types) {
  static const char data[] = "{\"id\":{\"a\":1},\"text\":\"x\"}\n"
                             "{\"id\":[\"a\"],\"text\":\"x\"}\n"
                             "{\"id\":true,\"text\":\"x\"}\n"
                             "{\"id\":\"t4\",\"title\":2025,\"text\":\"x\"}\n"
                             "{\"id\":\"t5\",\"title\":{\"x\":1},\"text\":\"x\"}\n"
                             "{\"id\":1.5,\"title\":[1],\"text\":\"x\",\"date\":\"?\"}\n"
                             "{\"id\":null,\"title\":null,\"text\":\"x\"}\n";
  char p[512], want[900];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", put("t.jsonl", data));
  r = open_ok(p);
  snprintf(want, sizeof want, "%s:1: \"id\" is an object, not a string, line skipped", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  ck_assert_int_eq(tl_reader_warned(r), 0);
  snprintf(want, sizeof want, "%s:2: \"id\" is an array, not a string, line skipped", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  snprintf(want, sizeof want, "%s:3: \"id\" is a boolean, not a string, line skipped", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  snprintf(want, sizeof want, "%s:4: \"title\" is a number, read as its text (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "t4");
  ck_assert_str_eq(a->title, "2025");
  snprintf(want, sizeof want, "%s:5: \"title\" is an object, left empty (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->title, "");
  /* several warnings in one message */
  snprintf(want, sizeof want,
           "%s:6: \"id\" is a number, read as \"1.5\"; \"title\" is an array, left empty; "
           "date \"?\" not understood (article kept)",
           p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  ck_assert_str_eq(a->id, "1.5");
  ck_assert_int_eq(a->date_invalid, 1);
  /* null is absent, without a word */
  a = next_ok(r);
  snprintf(want, sizeof want, "%s:7", p);
  ck_assert_str_eq(a->id, want);
  ck_assert_str_eq(a->title, "");
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* A byte order mark starts JSON Lines, plain or gzip, and HTML; in JSON
 * Lines also a later line (files joined by cat). */
START_TEST(test_bom) {
  static const char jsonl[] = "\xEF\xBB\xBF{\"id\":\"b1\",\"text\":\"satu\"}\n"
                              "\xEF\xBB\xBF{\"id\":\"b2\",\"text\":\"dua\"}\n";
  static const char txt[] = "\xEF\xBB\xBF\nJudul\n\nIsi.\n";
  static const char html[] = "\xEF\xBB\xBF<title>Judul</title><p>Isi.</p>";
  const char *names[] = {"bom.jsonl", "bom.JSONL.GZ"};
  size_t k;
  for (k = 0; k < 2; k++) {
    tl_reader *r = open_ok(k ? put_gz(names[k], jsonl, sizeof jsonl - 1) : put(names[k], jsonl));
    const tl_article *a = next_ok(r);
    ck_assert_str_eq(a->id, "b1");
    ck_assert_uint_eq(a->line, 1);
    expect_text(a, "satu");
    a = next_ok(r);
    ck_assert_str_eq(a->id, "b2");
    expect_done(r);
    ck_assert_uint_eq(tl_reader_bytes(r), sizeof jsonl - 1);
    tl_reader_free(r);
  }
  {
    tl_reader *r = open_ok(put_gz("bom.TXT.gz", txt, sizeof txt - 1));
    const tl_article *a = next_ok(r);
    ck_assert_str_eq(a->title, "Judul");
    expect_text(a, "\nIsi.\n");
    tl_reader_free(r);
    r = open_ok(put("bom.html", html));
    a = next_ok(r);
    ck_assert_str_eq(a->title, "Judul");
    expect_text(a, "Isi.");
    tl_reader_free(r);
  }
}
END_TEST

/* HTML pages, plain and gzip: the article, its date and fields. */
START_TEST(test_html_pages) {
  static const char html[] =
      "<html><head><meta property=\"og:title\" content=\"Judul OG\">"
      "<meta property=\"og:site_name\" content=\"Kabar\">"
      "<meta property=\"article:published_time\" content=\"2025-10-21T20:43:00+07:00\">"
      "<link rel=\"canonical\" href=\"https://Www.Kabar.example/a\"></head>"
      "<body><nav><p>Menu</p></nav><article><h1>Kepala</h1><p>Isi satu.</p>"
      "<script>x()</script><p>Isi dua.</p></article></body></html>";
  static const char bad_date[] = "<time datetime=\"besok\"></time><p>Isi.</p>";
  char p[512], want[600];
  tl_reader *r;
  const tl_article *a;
  snprintf(p, sizeof p, "%s", put_gz("page.HTM.GZ", html, sizeof html - 1));
  r = open_ok(p);
  a = next_ok(r);
  ck_assert_str_eq(a->id, p);
  ck_assert_str_eq(a->path, p);
  ck_assert_str_eq(a->title, "Judul OG");
  expect_text(a, "Kepala\n\nIsi satu.\n\nIsi dua.");
  ck_assert_uint_eq(a->text_offset, 0);
  ck_assert_uint_eq(a->line, 0);
  ck_assert_str_eq(a->date, "2025-10-21T20:43:00+07:00");
  ck_assert_int_eq(a->has_time, 1);
  ck_assert_int_eq(a->time.seconds, 1761054180);
  ck_assert_str_eq(a->url, "https://Www.Kabar.example/a");
  ck_assert_str_eq(a->source, "Kabar");
  expect_fields(a, "date=2025-10-21T20:43:00+07:00;url=https://Www.Kabar.example/a;source=Kabar;"
                   "site=www.kabar.example;");
  expect_done(r);
  ck_assert_uint_eq(tl_reader_bytes(r), sizeof html - 1);
  tl_reader_free(r);

  snprintf(p, sizeof p, "%s", put("bad.html", bad_date));
  r = open_ok(p);
  snprintf(want, sizeof want, "%s: date \"besok\" not understood (article kept)", p);
  expect_error(r, TL_ERR_FORMAT, want, (const char *)NULL);
  a = next_ok(r);
  expect_text(a, "Isi.");
  ck_assert_int_eq(a->date_invalid, 1);
  ck_assert_str_eq(a->date, "");
  expect_fields(a, "");
  expect_done(r);
  tl_reader_free(r);

  /* a page with nothing to read is noted; invalid UTF-8 as in .txt */
  snprintf(p, sizeof p, "%s", put("kosong.html", "<html><script>x()</script></html>"));
  r = open_ok(p);
  expect_error(r, TL_ERR_FORMAT, p, "no text in the page", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  snprintf(p, sizeof p, "%s", put("rusak.html", "<p>a\xFF</p>"));
  r = open_ok(p);
  expect_error(r, TL_ERR_UTF8, p, "byte offset 4", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
  /* a page that declares a legacy charset is read in it (iso-8859-1 as
   * windows-1252, the Encoding Standard's reading); one declaring UTF-8 is
   * not converted */
  snprintf(p, sizeof p, "%s",
           put("latin.html", "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; "
                             "charset=ISO-8859-1\"><title>Caf\xE9</title></head>"
                             "<body><p>Kopi caf\xE9 \x93"
                             "enak\x94.</p></body></html>"));
  r = open_ok(p);
  a = next_ok(r);
  ck_assert_str_eq(a->title, "Caf\xC3\xA9");
  expect_text(a, "Kopi caf\xC3\xA9 \xE2\x80\x9C"
                 "enak\xE2\x80\x9D.");
  expect_done(r);
  tl_reader_free(r);
  /* spaces around '=', another of the Encoding Standard's windows-1252 labels */
  snprintf(p, sizeof p, "%s", put("latin2.html", "<meta charset = \"iso_8859-1\"><p>\x80 5</p>"));
  r = open_ok(p);
  a = next_ok(r);
  expect_text(a, "\xE2\x82\xAC 5");
  expect_done(r);
  tl_reader_free(r);
  snprintf(p, sizeof p, "%s", put("utf.html", "<meta charset='utf-8'><p>a\xFF</p>"));
  r = open_ok(p);
  expect_error(r, TL_ERR_UTF8, p, "byte offset 26", (const char *)NULL);
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* Upper-case names are read as their format. */
START_TEST(test_upper_case_names) {
  tl_reader *r = open_ok(put("A.TXT", "Judul\nIsi."));
  const tl_article *a = next_ok(r);
  ck_assert_str_eq(a->title, "Judul");
  tl_reader_free(r);
  r = open_ok(put("B.JSONL", "{\"id\":\"u\",\"text\":\"isi\"}\n"));
  a = next_ok(r);
  ck_assert_str_eq(a->id, "u");
  tl_reader_free(r);
  r = open_ok(put_gz("C.Jsonl.Gz", "{\"id\":\"v\",\"text\":\"isi\"}\n", 24));
  a = next_ok(r);
  ck_assert_str_eq(a->id, "v");
  expect_done(r);
  tl_reader_free(r);
}
END_TEST

/* Builds the suite. */
static Suite *reader_suite(void) {
  Suite *s = suite_create("reader");
  TCase *tc = tcase_create("reader");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_add_test(tc, test_format_names);
  tcase_add_test(tc, test_utf8_check);
  tcase_add_test(tc, test_utf8_check_long);
  tcase_add_test(tc, test_txt);
  tcase_add_test(tc, test_txt_bom_crlf);
  tcase_add_test(tc, test_txt_title_only_and_empty);
  tcase_add_test(tc, test_txt_invalid_utf8);
  tcase_add_test(tc, test_txt_nul);
  tcase_add_test(tc, test_jsonl);
  tcase_add_test(tc, test_jsonl_bad_lines);
  tcase_add_test(tc, test_json_whole);
  tcase_add_test(tc, test_json_whole_faults);
  tcase_add_test(tc, test_jsonl_utf8_nul);
  tcase_add_test(tc, test_gzip);
  tcase_add_test(tc, test_gzip_truncated);
  tcase_add_test(tc, test_gzip_trailing);
  tcase_add_test(tc, test_long_title);
  tcase_add_test(tc, test_open_errors);
  tcase_add_test(tc, test_jsonl_fields);
  tcase_add_test(tc, test_jsonl_dates);
  tcase_add_test(tc, test_jsonl_id_title_types);
  tcase_add_test(tc, test_bom);
  tcase_add_test(tc, test_html_pages);
  tcase_add_test(tc, test_upper_case_names);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(reader_suite());
}
