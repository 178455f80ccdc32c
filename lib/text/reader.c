/* reader.c - files to articles: plain text, JSON Lines and HTML, gzip or not. */
#include "text/reader.h"

#include "text/html.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>
#include <zlib.h>

#define CHUNK 65536

struct tl_reader {
  char *path;
  enum tl_format format;
  FILE *file;
  int gzip; /* the file is gzip data, inflated through zlib */
  z_stream zs;
  unsigned char *zin; /* compressed input */
  uint64_t zin_total; /* compressed bytes read from the file */
  int done;           /* no more records can be read */
  uint64_t consumed;  /* decompressed bytes handed out so far */
  uint64_t line;      /* lines read (JSON Lines), or the line of the value read */
  /* a .json file holding a JSON array, or objects across lines: read
   * whole (buf), value after value from buf + at */
  size_t at;           /* in buf: where the next value is looked for */
  uint64_t at_line;    /* the line of buf + at */
  uint64_t value_line; /* the line where the last value read starts */
  char *late_error;    /* a read error met while reading the file whole,
                          reported after the values read before it */
  unsigned value_nth;  /* that value's number among those starting on value_line */
  enum { JSON_LINES, JSON_ARRAY, JSON_VALUES } layout;
  int layout_read;  /* the layout is known */
  int array_closed; /* the array's ']' was read */
  int whole_json;   /* a .json file (not .jsonl): it may be read whole */
  /* input buffer */
  char *buf;
  size_t buf_len, buf_pos, buf_cap;
  int eof;
  json_object *json;
  json_tokener *tok;
  char *owned_id;
  char *owned_site;  /* the "site" field's value */
  char *date_format; /* strptime format tried first, or NULL */
  tl_field *fields;
  size_t fields_cap;
  tl_html_page page; /* the HTML article's strings */
  int pending;       /* the article is ready for the next call (a warning) */
  int warned;        /* the last call returned a warning */
  char warning[TL_ERROR_MSG_MAX];
  char title[TL_TITLE_MAX + 1]; /* a title cut to TL_TITLE_MAX bytes */
  tl_article article;
};

static int has_suffix(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n > m && strncasecmp(s + n - m, suffix, m) == 0;
}

enum tl_format tl_reader_format(const char *path) {
  size_t n = strlen(path);
  if (has_suffix(path, n, ".gz"))
    n -= 3;
  if (has_suffix(path, n, ".txt"))
    return TL_FORMAT_TXT;
  if (has_suffix(path, n, ".jsonl") || has_suffix(path, n, ".json"))
    return TL_FORMAT_JSONL;
  if (has_suffix(path, n, ".html") || has_suffix(path, n, ".htm"))
    return TL_FORMAT_HTML;
  return TL_FORMAT_UNKNOWN;
}

/* Every byte's high bit, and 1 in every byte, of a 64-bit word. */
#define ASCII_HIGH 0x8080808080808080ull
#define ASCII_ONES 0x0101010101010101ull

int tl_utf8_check(const char *s, size_t len, size_t *bad_offset) {
  size_t done = 0;
  /* U8_NEXT takes int32_t lengths: walk in slices of at most 1 GiB, each
   * ended early so that no character is cut at a slice edge. */
  while (done < len) {
    size_t slice = len - done;
    int32_t i = 0, n;
    if (slice > ((size_t)1 << 30))
      slice = (size_t)1 << 30;
    n = (int32_t)slice;
    while (i < n) {
      UChar32 c;
      int32_t at = i;
      uint64_t v;
      /* eight bytes at a time while they are ASCII and none is NUL */
      if (n - at >= 8) {
        memcpy(&v, s + done + (size_t)at, 8);
        if (!(v & ASCII_HIGH) && !((v - ASCII_ONES) & ~v & ASCII_HIGH)) {
          i += 8;
          continue;
        }
      }
      if (n - at < 4 && done + slice < len)
        break; /* reread in the next slice */
      U8_NEXT((const uint8_t *)s + done, i, n, c);
      if (c <= 0) {
        if (bad_offset)
          *bad_offset = done + (size_t)at;
        return c < 0 ? TL_ERR_UTF8 : TL_ERR_FORMAT;
      }
    }
    done += (size_t)i;
  }
  return TL_OK;
}

int tl_reader_open(const char *path, tl_reader **out, tl_error *err) {
  tl_reader *r;
  *out = NULL;
  if (tl_reader_format(path) == TL_FORMAT_UNKNOWN)
    return tl_error_set(err, TL_ERR_USAGE, "%s: unknown file type", path);
  r = calloc(1, sizeof *r);
  if (!r || !(r->path = strdup(path))) {
    free(r);
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
  }
  r->format = tl_reader_format(path);
  {
    size_t n = strlen(path);
    r->whole_json = has_suffix(path, n, ".json") || has_suffix(path, n, ".json.gz");
  }
  errno = 0;
  r->file = fopen(path, "rb");
  if (!r->file) {
    int e = errno;
    tl_error_set(err, TL_ERR_IO, "%s: cannot open: %s", path, strerror(e));
    free(r->path);
    free(r);
    return TL_ERR_IO;
  }
  {
    /* gzip data is known by its magic bytes, whatever the name says */
    int c1 = getc(r->file), c2 = getc(r->file);
    int unreadable = ferror(r->file); /* reported by the first read */
    r->gzip = c1 == 0x1f && c2 == 0x8b;
    rewind(r->file);
    if (!r->gzip && !unreadable && has_suffix(path, strlen(path), ".gz")) {
      fclose(r->file);
      free(r->path);
      free(r);
      return tl_error_set(err, TL_ERR_FORMAT, "%s: not gzip data", path);
    }
  }
  if (r->gzip) {
    r->zin = malloc(CHUNK);
    if (!r->zin || inflateInit2(&r->zs, 15 + 16) != Z_OK) {
      free(r->zin);
      fclose(r->file);
      free(r->path);
      free(r);
      return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
    }
  }
  *out = r;
  return TL_OK;
}

/* After a gzip member: passes over zero bytes (padding to a block, which
 * gzip ignores too). 1 at the end of the file, 0 when more input follows (a
 * next member, or data inflate will refuse), -1 on a read error (err set). */
static int skip_zeros(tl_reader *r, tl_error *err) {
  for (;;) {
    size_t n;
    while (r->zs.avail_in > 0 && *r->zs.next_in == 0) {
      r->zs.next_in++;
      r->zs.avail_in--;
    }
    if (r->zs.avail_in > 0)
      return 0;
    if ((n = fread(r->zin, 1, CHUNK, r->file)) == 0) {
      if (!ferror(r->file))
        return 1;
      tl_error_set(err, TL_ERR_IO, "%s: read error at compressed byte %llu: %s", r->path,
                   (unsigned long long)r->zin_total, strerror(errno));
      return -1;
    }
    r->zin_total += n;
    r->zs.next_in = r->zin;
    r->zs.avail_in = (unsigned)n;
  }
}

/* Reads up to cap bytes of (inflated) input into dst; sets *got. At the end
 * of the input *got is 0. Errors name the file and the offset. */
static int source_read(tl_reader *r, char *dst, size_t cap, size_t *got, tl_error *err) {
  *got = 0;
  if (!r->gzip) {
    *got = fread(dst, 1, cap, r->file);
    if (*got == 0 && ferror(r->file))
      return tl_error_set(err, TL_ERR_IO, "%s: read error at byte %llu: %s", r->path,
                          (unsigned long long)r->consumed + r->buf_len, strerror(errno));
    return TL_OK;
  }
  r->zs.next_out = (unsigned char *)dst;
  r->zs.avail_out = (unsigned)(cap > UINT32_MAX ? UINT32_MAX : cap);
  while (r->zs.avail_out > 0) {
    int zrc;
    if (r->zs.avail_in == 0) {
      size_t n = fread(r->zin, 1, CHUNK, r->file);
      if (n == 0) {
        if (ferror(r->file))
          return tl_error_set(err, TL_ERR_IO, "%s: read error at compressed byte %llu: %s", r->path,
                              (unsigned long long)r->zin_total, strerror(errno));
        if (r->zs.total_in == 0 && r->zin_total > 0 && *got == 0 &&
            (unsigned char *)dst == r->zs.next_out)
          break; /* the end, after a complete member */
        *got = (size_t)((char *)r->zs.next_out - dst);
        if (*got > 0)
          return TL_OK; /* hand out what was inflated; report next time */
        return tl_error_set(err, TL_ERR_FORMAT,
                            "%s: truncated gzip data at compressed byte %llu "
                            "(after %llu bytes of text)",
                            r->path, (unsigned long long)r->zin_total,
                            (unsigned long long)r->consumed + r->buf_len);
      }
      r->zin_total += n;
      r->zs.next_in = r->zin;
      r->zs.avail_in = (unsigned)n;
    }
    zrc = inflate(&r->zs, Z_NO_FLUSH);
    if (zrc == Z_STREAM_END) {
      /* another gzip member may follow */
      uint64_t in_left = r->zs.avail_in;
      unsigned char *next = r->zs.next_in;
      unsigned char *out = r->zs.next_out;
      unsigned avail = r->zs.avail_out;
      int end;
      inflateReset(&r->zs);
      r->zs.next_in = next;
      r->zs.avail_in = (unsigned)in_left;
      r->zs.next_out = out;
      r->zs.avail_out = avail;
      if ((end = skip_zeros(r, err)) < 0)
        return TL_ERR_IO;
      if (end)
        break;
      continue;
    }
    if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
      *got = (size_t)((char *)r->zs.next_out - dst);
      if (*got > 0)
        return TL_OK; /* hand out what was inflated; report next time */
      return tl_error_set(err, TL_ERR_FORMAT, "%s: corrupt gzip data at compressed byte %llu: %s",
                          r->path, (unsigned long long)(r->zin_total - r->zs.avail_in),
                          r->zs.msg ? r->zs.msg : "inflate failed");
    }
  }
  *got = (size_t)((char *)r->zs.next_out - dst);
  return TL_OK;
}

/* Refills the input buffer; returns TL_OK (maybe at eof) or an error. */
static int fill(tl_reader *r, tl_error *err) {
  size_t got = 0;
  int rc;
  if (r->buf && r->buf_pos > 0) {
    memmove(r->buf, r->buf + r->buf_pos, r->buf_len - r->buf_pos);
    r->buf_len -= r->buf_pos;
    r->buf_pos = 0;
  }
  /* room for a chunk and the NUL that ends a record */
  if (tl_array_reserve((void **)&r->buf, &r->buf_cap, r->buf_len + CHUNK + 1, 1) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  rc = source_read(r, r->buf + r->buf_len, r->buf_cap - 1 - r->buf_len, &got, err);
  if (rc != TL_OK) {
    r->done = 1;
    return rc;
  }
  if (got == 0)
    r->eof = 1;
  r->buf_len += got;
  return TL_OK;
}

static const char *json_str(json_object *obj, const char *key) {
  json_object *v;
  if (!json_object_object_get_ex(obj, key, &v) || !v)
    return "";
  if (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int) ||
      json_object_is_type(v, json_type_double))
    return json_object_get_string(v);
  return "";
}

/* Appends a field; TL_ERR_NOMEM when it cannot. */
static int add_field(tl_reader *r, const char *name, const char *value, tl_error *err) {
  if (tl_array_reserve((void **)&r->fields, &r->fields_cap, r->article.nfields + 1,
                       sizeof *r->fields) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  r->fields[r->article.nfields].name = name;
  r->fields[r->article.nfields].value = value;
  r->article.nfields++;
  r->article.fields = r->fields;
  return TL_OK;
}

/* Adds the field "site": the host of url ("scheme://user@HOST:port/..."),
 * in lower case; nothing when url has no host. */
static int add_site(tl_reader *r, const char *url, tl_error *err) {
  const char *p = strstr(url, "://"), *end, *at;
  size_t i, n;
  if (!p)
    return TL_OK;
  p += 3;
  end = p + strcspn(p, "/?#");
  for (at = p; at < end; at++)
    if (*at == '@')
      p = at + 1; /* user information */
  if (*p == '[') {
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close)
      return TL_OK;
    end = close + 1; /* an IPv6 address keeps its brackets */
  } else {
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (colon)
      end = colon; /* a port */
  }
  n = (size_t)(end - p);
  if (n == 0)
    return TL_OK;
  free(r->owned_site);
  if (!(r->owned_site = malloc(n + 1)))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  for (i = 0; i < n; i++)
    r->owned_site[i] = (char)tolower((unsigned char)p[i]);
  r->owned_site[n] = '\0';
  return add_field(r, "site", r->owned_site, err);
}

/* Adds a warning to r->warning ("; " between warnings). */
static void warn(tl_reader *r, const char *what) {
  size_t n = strlen(r->warning);
  snprintf(r->warning + n, sizeof r->warning - n, "%s%s", n ? "; " : "", what);
}

/* Reads the article's date: understood, it is kept (date, time, a "date"
 * field when add is set); not, a warning, and no date. */
static int read_date(tl_reader *r, const char *text, int add, tl_error *err) {
  tl_error derr;
  r->article.date = "";
  if (!*text)
    return TL_OK;
  if (tl_date_parse(text, r->date_format, &r->article.time, &derr) != TL_OK) {
    r->article.date_invalid = 1;
    warn(r, derr.msg);
    return TL_OK;
  }
  r->article.date = text;
  r->article.has_time = 1;
  return add ? add_field(r, "date", text, err) : TL_OK;
}

/* A title over TL_TITLE_MAX bytes is cut, at the last blank space of its
 * first TL_TITLE_MAX bytes (else at a character boundary), with a warning:
 * the title is indexed and stored with each passage of the article. */
static void cut_title(tl_reader *r) {
  const char *t = r->article.title;
  size_t n = strlen(t), k = TL_TITLE_MAX;
  char what[96];
  if (n <= TL_TITLE_MAX)
    return;
  while (k > TL_TITLE_MAX / 2 && t[k] != ' ')
    k--;
  if (k == TL_TITLE_MAX / 2)
    for (k = TL_TITLE_MAX; k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80; k--)
      ;
  memcpy(r->title, t, k);
  r->title[k] = '\0';
  r->article.title = r->title;
  snprintf(what, sizeof what, "title of %zu bytes cut to %zu", n, k);
  warn(r, what);
}

/* Hands out the article, or first the warnings about it. */
static int hand_out(tl_reader *r, const tl_article **article, tl_error *err) {
  if (r->article.title)
    cut_title(r);
  if (!r->warning[0]) {
    *article = &r->article;
    return TL_OK;
  }
  r->pending = 1;
  r->warned = 1;
  if (r->article.line)
    return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: %s (article kept)", r->path,
                        (unsigned long long)r->article.line, r->warning);
  return tl_error_set(err, TL_ERR_FORMAT, "%s: %s (article kept)", r->path, r->warning);
}

/* Whether len bytes of valid UTF-8 hold a letter or a digit (of any
 * script): text of spaces, marks or punctuation alone has nothing to index. */
static int has_word(const char *s, size_t len) {
  int32_t i = 0, n = (int32_t)(len < INT32_MAX ? len : INT32_MAX);
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalnum(c))
      return 1;
  }
  return 0;
}

/* Whether len bytes are all white space. */
static int blank(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++)
    if (!strchr(" \t\r\n\f\v", s[i]))
      return 0;
  return 1;
}

/* The charset an HTML page declares in its first 1024 bytes (<meta
 * charset=X> or <meta http-equiv content="...; charset=X">), into name
 * (cap bytes); 0 when none. As the HTML Living Standard's prescan, in short
 * (13.2.3.2): the first "charset=" in a <meta> tag. */
static int declared_charset(const char *s, size_t len, char *name, size_t cap) {
  size_t i, n = len < 1024 ? len : 1024;
  for (i = 0; i + 5 < n; i++) {
    const char *end, *c;
    size_t k = 0;
    if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) != 0)
      continue;
    if (!(end = memchr(s + i, '>', n - i)))
      return 0;
    for (c = s + i; c + 7 <= end && strncasecmp(c, "charset", 7) != 0; c++)
      ;
    if (c + 7 > end)
      continue;
    for (c += 7; c < end && *c == ' '; c++)
      ;
    if (c >= end || *c != '=')
      continue;
    for (c++; c < end && (*c == '"' || *c == '\'' || *c == ' '); c++)
      ;
    while (c + k < end && k + 1 < cap && !strchr("\"'; />", c[k]))
      k++;
    memcpy(name, c, k);
    name[k] = '\0';
    return k > 0;
  }
  return 0;
}

/* An HTML page in the legacy charset it declares (windows-1252, iso-8859-1,
 * ...) converted to UTF-8 in r->buf, by ICU; TL_ERR_UTF8 when it declares
 * none, or UTF-8, or one ICU does not know. */
static int from_declared(tl_reader *r, tl_error *err) {
  char name[64], *out;
  UErrorCode st = U_ZERO_ERROR;
  int32_t n;
  if (!declared_charset(r->buf, r->buf_len, name, sizeof name) || strcasecmp(name, "utf-8") == 0 ||
      strcasecmp(name, "utf8") == 0)
    return TL_ERR_UTF8;
  /* the labels the Encoding Standard (https://encoding.spec.whatwg.org/,
   * "Legacy single-byte encodings") reads as windows-1252 */
  {
    static const char *const w1252[] = {
        "ansi_x3.4-1968", "ascii",           "cp1252",     "cp819",     "csisolatin1",
        "ibm819",         "iso-8859-1",      "iso-ir-100", "iso8859-1", "iso88591",
        "iso_8859-1",     "iso_8859-1:1987", "l1",         "latin1",    "us-ascii",
        "x-cp1252"};
    size_t k;
    for (k = 0; k < sizeof w1252 / sizeof *w1252; k++)
      if (strcasecmp(name, w1252[k]) == 0)
        snprintf(name, sizeof name, "windows-1252");
  }
  n = ucnv_convert("UTF-8", name, NULL, 0, r->buf, (int32_t)r->buf_len, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
    return TL_ERR_UTF8;
  if (!(out = malloc((size_t)n + 1)))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  st = U_ZERO_ERROR;
  ucnv_convert("UTF-8", name, out, n + 1, r->buf, (int32_t)r->buf_len, &st);
  if (U_FAILURE(st)) {
    free(out);
    return TL_ERR_UTF8;
  }
  free(r->buf);
  r->buf = out;
  r->buf_len = (size_t)n;
  r->buf_cap = (size_t)n + 1;
  r->buf[n] = '\0';
  return TL_OK;
}

/* Reads the whole (decompressed) file into r->buf, NUL-terminated, and
 * checks that it is UTF-8 text; an HTML page (html) that is not, but
 * declares another charset, is converted from it. */
static int read_all(tl_reader *r, int html, tl_error *err) {
  size_t bad = 0;
  int rc;
  r->done = 1;
  while (!r->eof) {
    if ((rc = fill(r, err)) != TL_OK)
      return rc;
    if (r->buf_len > TL_READER_MAX_RECORD)
      return tl_error_set(err, TL_ERR_LIMIT, "%s: larger than %zu MiB, skipped", r->path,
                          TL_READER_MAX_RECORD >> 20);
  }
  r->buf[r->buf_len] = '\0';
  r->consumed = r->buf_len; /* bytes of the file, also when converted */
  rc = tl_utf8_check(r->buf, r->buf_len, &bad);
  if (rc == TL_ERR_UTF8 && html && (rc = from_declared(r, err)) == TL_OK)
    rc = tl_utf8_check(r->buf, r->buf_len, &bad);
  else if (rc == TL_ERR_NOMEM)
    return rc;
  if (rc == TL_ERR_FORMAT)
    return tl_error_set(err, rc, "%s: binary data (NUL byte at byte offset %zu), skipped", r->path,
                        bad);
  if (rc != TL_OK)
    return tl_error_set(err, rc, "%s: invalid UTF-8 at byte offset %zu, skipped", r->path, bad);
  r->buf_pos = r->buf_len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (blank(r->buf + r->buf_pos, r->buf_len - r->buf_pos))
    return tl_error_set(err, TL_ERR_FORMAT, "%s: no text (empty file), skipped", r->path);
  return TL_OK;
}

static int next_txt(tl_reader *r, const tl_article **article, tl_error *err) {
  size_t i, title_start, title_end;
  int rc = read_all(r, 0, err);
  if (rc != TL_OK)
    return rc;
  /* The title is the first non-empty line, after a byte order mark. */
  i = r->buf_pos;
  for (;;) {
    size_t s = i;
    while (i < r->buf_len && r->buf[i] != '\n')
      i++;
    title_start = s;
    title_end = i;
    while (title_start < title_end && strchr(" \t\r", r->buf[title_start]))
      title_start++;
    while (title_end > title_start && strchr(" \t\r", r->buf[title_end - 1]))
      title_end--;
    if (title_end > title_start || i >= r->buf_len)
      break;
    i++;
  }
  if (i < r->buf_len)
    i++;
  r->buf[title_end] = '\0'; /* the title's line end is not part of the text */
  memset(&r->article, 0, sizeof r->article);
  r->article.id = r->path;
  r->article.title = r->buf + title_start;
  r->article.text = r->buf + i;
  r->article.text_len = r->buf_len - i;
  r->article.text_offset = i;
  if (!has_word(r->article.text, r->article.text_len)) {
    /* one line and nothing under it: the line is the text too, so that
     * a file of one paragraph is found */
    r->article.text = r->article.title;
    r->article.text_len = title_end - title_start;
    r->article.text_offset = title_start;
  }
  r->article.date = r->article.url = r->article.source = "";
  r->article.path = r->path;
  return hand_out(r, article, err);
}

static int next_html(tl_reader *r, const tl_article **article, tl_error *err) {
  int rc = read_all(r, 1, err);
  tl_html_page *p = &r->page;
  if (rc != TL_OK)
    return rc;
  if ((rc = tl_html_extract(r->buf + r->buf_pos, r->buf_len - r->buf_pos, p, err)) != TL_OK) {
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    return rc == TL_ERR_LIMIT ? tl_error_set(err, TL_ERR_FORMAT, "%s: %s, skipped", r->path, why)
                              : tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  }
  if (!p->text_len && !*p->title)
    return tl_error_set(err, TL_ERR_FORMAT, "%s: no text in the page, skipped", r->path);
  memset(&r->article, 0, sizeof r->article);
  r->article.id = r->path;
  r->article.title = p->title;
  r->article.text = p->text;
  r->article.text_len = p->text_len;
  r->article.url = p->url;
  r->article.source = p->source;
  r->article.path = r->path;
  if ((rc = read_date(r, p->date, 1, err)) != TL_OK ||
      (*p->url && (rc = add_field(r, "url", p->url, err)) != TL_OK) ||
      (*p->source && (rc = add_field(r, "source", p->source, err)) != TL_OK) ||
      (rc = add_site(r, p->url, err)) != TL_OK)
    return rc;
  return hand_out(r, article, err);
}

/* A line found whole in the buffer may still be over the record limit (the
 * buffer grows to twice the limit): it is skipped like a longer one. */
static int line_limit(tl_reader *r, size_t len, uint64_t at, tl_error *err) {
  if (len <= TL_READER_MAX_RECORD)
    return TL_OK;
  r->line++;
  return tl_error_set(
      err, TL_ERR_LIMIT, "%s:%llu: line longer than %zu MiB (byte offset %llu), skipped", r->path,
      (unsigned long long)r->line, TL_READER_MAX_RECORD >> 20, (unsigned long long)at);
}

/* Finds the next line in the buffer; sets *start and *len. TL_DONE at end. */
static int next_line(tl_reader *r, char **start, size_t *len, tl_error *err) {
  size_t scanned = 0;
  for (;;) {
    char *nl = r->buf
                   ? memchr(r->buf + r->buf_pos + scanned, '\n', r->buf_len - r->buf_pos - scanned)
                   : NULL;
    if (nl) {
      *start = r->buf + r->buf_pos;
      *len = (size_t)(nl - *start);
      r->buf_pos += *len + 1;
      r->consumed += *len + 1;
      return line_limit(r, *len, r->consumed - *len - 1, err);
    }
    if (r->eof) {
      if (r->buf_pos == r->buf_len)
        return TL_DONE;
      *start = r->buf + r->buf_pos;
      *len = r->buf_len - r->buf_pos;
      r->consumed += *len;
      r->buf_pos = r->buf_len;
      return line_limit(r, *len, r->consumed - *len, err);
    }
    scanned = r->buf_len - r->buf_pos;
    if (scanned > TL_READER_MAX_RECORD) {
      /* Skip the rest of this line without keeping it. */
      uint64_t at = r->consumed;
      r->consumed += scanned;
      r->buf_pos = r->buf_len;
      r->line++;
      for (;;) {
        int rc = fill(r, err);
        if (rc != TL_OK)
          return rc;
        nl = r->buf ? memchr(r->buf, '\n', r->buf_len) : NULL;
        if (nl || r->eof) {
          size_t k = nl ? (size_t)(nl - r->buf) + 1 : r->buf_len;
          r->consumed += k;
          r->buf_pos = k;
          break;
        }
        r->consumed += r->buf_len;
        r->buf_pos = r->buf_len;
      }
      return tl_error_set(
          err, TL_ERR_LIMIT, "%s:%llu: line longer than %zu MiB (byte offset %llu), skipped",
          r->path, (unsigned long long)r->line, TL_READER_MAX_RECORD >> 20, (unsigned long long)at);
    }
    {
      int rc = fill(r, err);
      if (rc != TL_OK)
        return rc;
    }
  }
}

/* The name of a JSON value's type, for messages. */
static const char *type_name(json_object *v) {
  switch (json_object_get_type(v)) {
  case json_type_boolean: return "a boolean";
  case json_type_int:
  case json_type_double: return "a number";
  case json_type_object: return "an object";
  case json_type_array: return "an array";
  default: return "not a string";
  }
}

/* "id" and "title" should be strings (or null): a number is read as its
 * text with a warning; an "id" of another type skips the line, a "title"
 * of another type is left empty with a warning. */
static int check_id_title(tl_reader *r, tl_error *err) {
  json_object *v;
  char what[160];
  if (json_object_object_get_ex(r->json, "id", &v) && v &&
      !json_object_is_type(v, json_type_string)) {
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: \"id\" is %s, not a string, line skipped",
                          r->path, (unsigned long long)r->line, type_name(v));
    snprintf(what, sizeof what, "\"id\" is a number, read as \"%.64s\"", json_object_get_string(v));
    warn(r, what);
  }
  if (json_object_object_get_ex(r->json, "title", &v) && v &&
      !json_object_is_type(v, json_type_string)) {
    int number = json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
    snprintf(what, sizeof what, "\"title\" is %s, %s", type_name(v),
             number ? "read as its text" : "left empty");
    warn(r, what);
  }
  return TL_OK;
}

/* The fields of a JSON line, its "site" and its date. */
static int json_fields(tl_reader *r, tl_error *err) {
  json_object *v;
  int rc, has_site = json_object_object_get_ex(r->json, "site", &v);
  r->article.date = "";
  json_object_object_foreach(r->json, key, val) {
    if (!val || strcmp(key, "id") == 0 || strcmp(key, "title") == 0 || strcmp(key, "text") == 0)
      continue;
    if (strcasecmp(key, "year") == 0 || strcasecmp(key, "month") == 0) {
      /* the index derives them from the date (index/schema.h): the
       * article's own would give filters and facets two answers */
      char what[96];
      snprintf(what, sizeof what, "field \"%s\" left out: it is derived from the date", key);
      warn(r, what);
    } else if (strcmp(key, "date") == 0) {
      /* a field only when it is a string that is understood */
      if ((rc = read_date(r, json_str(r->json, "date"), json_object_is_type(val, json_type_string),
                          err)) != TL_OK)
        return rc;
    } else if (json_object_is_type(val, json_type_string)) {
      if ((rc = add_field(r, key, json_object_get_string(val), err)) != TL_OK)
        return rc;
    } else if (json_object_is_type(val, json_type_array)) {
      size_t i, n = json_object_array_length(val);
      for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(val, i);
        if (e && json_object_is_type(e, json_type_string) &&
            (rc = add_field(r, key, json_object_get_string(e), err)) != TL_OK)
          return rc;
      }
    }
  }
  return has_site ? TL_OK : add_site(r, r->article.url, err);
}

/* The article of r->json, a value read from a line or a .json file:
 * checked as one record of JSON Lines. */
static int json_record(tl_reader *r, const char *warning, const tl_article **article,
                       tl_error *err) {
  size_t bad = 0;
  int rc;
  json_object *text;
  if (!json_object_is_type(r->json, json_type_object))
    return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: not a JSON object, line skipped", r->path,
                        (unsigned long long)r->line);
  if (!json_object_object_get_ex(r->json, "text", &text) ||
      !json_object_is_type(text, json_type_string))
    return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: no \"text\" string, line skipped", r->path,
                        (unsigned long long)r->line);
  memset(&r->article, 0, sizeof r->article);
  r->warning[0] = '\0';
  if (warning)
    warn(r, warning);
  if ((rc = check_id_title(r, err)) != TL_OK)
    return rc;
  r->article.id = json_str(r->json, "id");
  if (!*r->article.id) {
    size_t n = strlen(r->path) + 48;
    free(r->owned_id);
    if (!(r->owned_id = malloc(n)))
      return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
    if (r->value_nth > 1) /* the second object starting on the line: PATH:LINE.2 */
      snprintf(r->owned_id, n, "%s:%llu.%u", r->path, (unsigned long long)r->line, r->value_nth);
    else
      snprintf(r->owned_id, n, "%s:%llu", r->path, (unsigned long long)r->line);
    r->article.id = r->owned_id;
  }
  r->article.title = json_str(r->json, "title");
  r->article.text = json_object_get_string(text);
  r->article.text_len = (size_t)json_object_get_string_len(text);
  r->article.url = json_str(r->json, "url");
  r->article.source = json_str(r->json, "source");
  r->article.path = r->path;
  r->article.line = r->line;
  /* JSON escapes can still smuggle a NUL or a lone surrogate in. */
  if (tl_utf8_check(r->article.text, r->article.text_len, &bad) != TL_OK)
    return tl_error_set(err, TL_ERR_UTF8,
                        "%s:%llu: \"text\" holds a NUL or invalid character "
                        "at byte %zu of its value, line skipped",
                        r->path, (unsigned long long)r->line, bad);
  /* nothing to index: not an article added (and an article of that id
   * the index holds is kept, as for any line skipped) */
  if (!has_word(r->article.text, r->article.text_len))
    return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: no word in \"text\", line skipped", r->path,
                        (unsigned long long)r->line);
  if ((rc = json_fields(r, err)) != TL_OK)
    return rc;
  return hand_out(r, article, err);
}

/* Drops the last value read and readies the tokener for the next one.
 * TL_OK or TL_ERR_NOMEM. */
static int json_ready(tl_reader *r, tl_error *err) {
  if (r->json) {
    json_object_put(r->json);
    r->json = NULL;
  }
  if (!r->tok && !(r->tok = json_tokener_new()))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  json_tokener_reset(r->tok);
  return TL_OK;
}

/* Whether c is JSON's white space (RFC 8259, section 2). */
static int json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Moves r->at past JSON white space (and byte order marks) in buf,
 * counting the lines. */
static void json_skip_space(tl_reader *r) {
  for (;;) {
    while (r->at < r->buf_len && json_space(r->buf[r->at]))
      r->at_line += r->buf[r->at++] == '\n';
    if (r->buf_len - r->at < 3 || memcmp(r->buf + r->at, "\xEF\xBB\xBF", 3) != 0)
      return;
    r->at += 3; /* a byte order mark: files joined by cat */
  }
}

/* Moves r->at past a value that did not parse, from its start: to the
 * ',' or ']' that ends it within an array, or past its closing bracket
 * among objects across lines, matching brackets outside strings; to the
 * next line that starts an object where the brackets never close. */
static void json_resync(tl_reader *r, size_t start) {
  size_t k = start, depth = 0;
  int in_string = 0;
  for (; k < r->buf_len; k++) {
    char c = r->buf[k];
    if (in_string) {
      if (c == '\\')
        k++;
      else if (c == '"')
        in_string = 0;
      else if (c == '\n')
        break; /* JSON strings hold no line end: the string was cut */
      continue;
    }
    if (c == '"') {
      in_string = 1;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (depth == 0) /* the array's own ']' */
        break;
      if (--depth == 0 && r->layout == JSON_VALUES) {
        k++;
        break;
      }
    } else if (c == ',' && depth == 0 && r->layout == JSON_ARRAY) {
      break;
    }
  }
  if (k >= r->buf_len || in_string) { /* unbalanced: the next line that starts an object */
    k = start;
    while (k < r->buf_len) {
      char *nl = memchr(r->buf + k, '\n', r->buf_len - k);
      size_t j;
      if (!nl) {
        k = r->buf_len;
        break;
      }
      k = (size_t)(nl - r->buf) + 1;
      for (j = k; j < r->buf_len && (r->buf[j] == ' ' || r->buf[j] == '\t'); j++)
        ;
      if (j < r->buf_len && r->buf[j] == '{')
        break;
    }
  }
  for (r->at = start; r->at < k; r->at++)
    r->at_line += r->buf[r->at] == '\n';
}

/* A .json file's layout, from its start: an array ('[' first) or objects
 * ('{' first: across lines as "jq ." writes them, or one a line), read
 * whole (up to TL_READER_MAX_RECORD bytes; objects beyond it are read as
 * JSON Lines), else JSON Lines. */
static int json_layout(tl_reader *r, tl_error *err) {
  size_t k = 0;
  int rc;
  r->layout_read = 1;
  r->layout = JSON_LINES;
  if (r->format != TL_FORMAT_JSONL || !r->whole_json)
    return TL_OK;
  for (;;) { /* the first line holding more than white space, in buf */
    char *nl;
    if (k == 0 && r->buf_len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
      k = 3;
    while (k < r->buf_len && json_space(r->buf[k]))
      k++;
    nl = k < r->buf_len ? memchr(r->buf + k, '\n', r->buf_len - k) : NULL;
    if (nl || r->eof)
      break;
    if (r->buf_len > TL_READER_MAX_RECORD)
      return TL_OK; /* JSON Lines, whose reader skips the long line */
    if ((rc = fill(r, err)) != TL_OK)
      return rc;
  }
  if (k >= r->buf_len || (r->buf[k] != '[' && r->buf[k] != '{'))
    return TL_OK;
  while (!r->eof) {
    if ((rc = fill(r, err)) != TL_OK) {
      /* a read error (truncated gzip): the values read before it are
       * still read, the error reported after them */
      if (rc == TL_ERR_NOMEM || !(r->late_error = strdup(err->msg)))
        return rc;
      r->done = 0;
      r->eof = 1;
      break;
    }
    if (r->buf_len > TL_READER_MAX_RECORD) {
      if (r->buf[k] == '{') /* too large to read whole: read as JSON Lines */
        return TL_OK;
      r->done = 1;
      return tl_error_set(err, TL_ERR_LIMIT, "%s: a JSON array larger than %zu MiB, skipped",
                          r->path, TL_READER_MAX_RECORD >> 20);
    }
  }
  r->buf[r->buf_len] = '\0';
  r->consumed = r->buf_len;
  r->layout = r->buf[k] == '[' ? JSON_ARRAY : JSON_VALUES;
  r->at_line = 1;
  r->at = 0;
  while (r->at < k)
    r->at_line += r->buf[r->at++] == '\n';
  r->at += r->layout == JSON_ARRAY; /* past the '[' */
  return TL_OK;
}

/* The next value of a .json file read whole (JSON_ARRAY: its next element;
 * JSON_VALUES: its next value): an article as a line of JSON Lines would
 * give it, r->line the line where the value starts. A value that does not
 * parse is reported at the line of the fault, and reading goes on at the
 * next line that starts an object. */
static int next_json_value(tl_reader *r, const tl_article **article, tl_error *err) {
  enum json_tokener_error jerr;
  size_t start, end, bad = 0;
  int rc, missing_comma = 0;
  json_skip_space(r);
  if (r->layout == JSON_ARRAY && !r->array_closed) {
    if (r->at < r->buf_len && r->buf[r->at] == ']') {
      r->array_closed = 1;
      r->at++;
      json_skip_space(r);
      if (r->at < r->buf_len && !r->late_error) {
        r->at = r->buf_len;
        return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: data after the end of the JSON array",
                            r->path, (unsigned long long)r->at_line);
      }
    } else if (r->at >= r->buf_len && !r->late_error) {
      r->array_closed = 1;
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: the JSON array is not closed by ']'",
                          r->path, (unsigned long long)r->at_line);
    }
  }
  if (r->at >= r->buf_len || r->array_closed) {
    r->done = 1;
    if (r->late_error) { /* the read error, after the values read before it */
      tl_error_set(err, TL_ERR_FORMAT, "%s", r->late_error);
      free(r->late_error);
      r->late_error = NULL;
      return err->code;
    }
    return TL_DONE;
  }
  if ((rc = json_ready(r, err)) != TL_OK)
    return rc;
  start = r->at;
  r->line = r->at_line;
  /* several values starting on one line: the second is LINE.2 (ids) */
  r->value_nth = r->line == r->value_line && r->value_nth > 0 ? r->value_nth + 1 : 1;
  r->value_line = r->line;
  end = r->buf_len - start < INT32_MAX ? r->buf_len : start + INT32_MAX;
  r->json = json_tokener_parse_ex(r->tok, r->buf + start, (int)(end - start));
  jerr = json_tokener_get_error(r->tok);
  if (!r->json && jerr == json_tokener_success) { /* null */
    rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: not a JSON object (null), skipped", r->path,
                      (unsigned long long)r->line);
  } else if (!r->json || jerr != json_tokener_success) {
    size_t fault = start + json_tokener_get_parse_end(r->tok), k;
    uint64_t line = r->at_line;
    for (k = start; k < fault && k < r->buf_len; k++)
      line += r->buf[k] == '\n';
    if (r->json) {
      json_object_put(r->json);
      r->json = NULL;
    }
    json_resync(r, start);
    if (r->layout == JSON_ARRAY && r->at < r->buf_len && r->buf[r->at] == ',')
      r->at++;
    return tl_error_set(err, TL_ERR_FORMAT,
                        "%s:%llu: malformed JSON at byte offset %zu (line %llu): %s, skipped",
                        r->path, (unsigned long long)r->line, fault, (unsigned long long)line,
                        jerr == json_tokener_success || jerr == json_tokener_continue
                            ? "unexpected end"
                            : json_tokener_error_desc(jerr));
  } else {
    rc = TL_OK;
  }
  end = start + json_tokener_get_parse_end(r->tok);
  /* the value's bytes, checked as a line of JSON Lines is */
  if (rc == TL_OK && (rc = tl_utf8_check(r->buf + start, end - start, &bad)) != TL_OK &&
      rc != TL_ERR_NOMEM)
    rc = tl_error_set(
        err, rc, "%s:%llu: %s at byte offset %zu, skipped", r->path, (unsigned long long)r->line,
        rc == TL_ERR_FORMAT ? "binary data (NUL byte)" : "invalid UTF-8", start + bad);
  for (r->at = start; r->at < end; r->at++)
    r->at_line += r->buf[r->at] == '\n';
  if (r->layout == JSON_ARRAY) { /* a ',' before the next element, or the ']' */
    json_skip_space(r);
    if (r->at < r->buf_len && r->buf[r->at] == ',') {
      r->at++;
    } else if (r->at < r->buf_len && r->buf[r->at] != ']') {
      missing_comma = 1; /* the element is kept, the next read from here */
    }
  }
  if (rc != TL_OK) {
    json_object_put(r->json); /* NULL for null */
    r->json = NULL;
    return rc;
  }
  return json_record(r, missing_comma ? "no ',' after it in the array" : NULL, article, err);
}

static int next_jsonl(tl_reader *r, const tl_article **article, tl_error *err) {
  for (;;) {
    char *line = NULL;
    size_t len = 0, bad = 0;
    uint64_t offset = r->consumed;
    int rc = next_line(r, &line, &len, err);
    enum json_tokener_error jerr;
    if (rc == TL_DONE) {
      r->done = 1; /* no record at all is a collection of none, not an error */
      return TL_DONE;
    }
    if (rc != TL_OK)
      return rc;
    r->line++;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
      line += 3; /* a byte order mark: a file's, or one's joined by cat */
      len -= 3;
      offset += 3;
    }
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
      len--;
    {
      size_t k = 0;
      while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
      if (k == len)
        continue; /* blank line */
    }
    rc = tl_utf8_check(line, len, &bad);
    if (rc == TL_ERR_FORMAT)
      return tl_error_set(err, rc,
                          "%s:%llu: binary data (NUL byte at byte offset %llu), "
                          "line skipped",
                          r->path, (unsigned long long)r->line, (unsigned long long)offset + bad);
    if (rc != TL_OK)
      return tl_error_set(err, rc, "%s:%llu: invalid UTF-8 at byte offset %llu, line skipped",
                          r->path, (unsigned long long)r->line, (unsigned long long)offset + bad);
    if ((rc = json_ready(r, err)) != TL_OK)
      return rc;
    if (len > INT32_MAX)
      return tl_error_set(err, TL_ERR_LIMIT, "%s:%llu: line too long, skipped", r->path,
                          (unsigned long long)r->line);
    r->json = json_tokener_parse_ex(r->tok, line, (int)len);
    jerr = json_tokener_get_error(r->tok);
    if (!r->json && len - strspn(line, " \t") == 4 && memcmp(line + len - 4, "null", 4) == 0)
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%llu: not a JSON object (null), line skipped",
                          r->path, (unsigned long long)r->line);
    if (!r->json || jerr != json_tokener_success || json_tokener_get_parse_end(r->tok) != len) {
      size_t at = r->json ? json_tokener_get_parse_end(r->tok) : len;
      if (jerr != json_tokener_success && jerr != json_tokener_continue)
        at = json_tokener_get_parse_end(r->tok);
      if (r->json) {
        json_object_put(r->json);
        r->json = NULL;
      }
      return tl_error_set(err, TL_ERR_FORMAT,
                          "%s:%llu: malformed JSON at column %zu: %s, line skipped", r->path,
                          (unsigned long long)r->line, at + 1,
                          jerr == json_tokener_success || jerr == json_tokener_continue
                              ? "unexpected end or trailing data"
                              : json_tokener_error_desc(jerr));
    }
    return json_record(r, NULL, article, err);
  }
}

int tl_reader_set_date_format(tl_reader *r, const char *format, tl_error *err) {
  char *f = NULL;
  if (format && !(f = strdup(format)))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", r->path);
  free(r->date_format);
  r->date_format = f;
  return TL_OK;
}

int tl_reader_next(tl_reader *r, const tl_article **article, tl_error *err) {
  int rc;
  *article = NULL;
  r->warned = 0;
  if (r->pending) {
    r->pending = 0;
    *article = &r->article;
    return TL_OK;
  }
  if (r->done)
    return TL_DONE;
  r->warning[0] = '\0';
  if (r->format == TL_FORMAT_TXT)
    return next_txt(r, article, err);
  if (r->format == TL_FORMAT_HTML)
    return next_html(r, article, err);
  if (!r->layout_read && (rc = json_layout(r, err)) != TL_OK)
    return rc;
  if (r->layout != JSON_LINES)
    return next_json_value(r, article, err);
  return next_jsonl(r, article, err);
}

int tl_reader_warned(const tl_reader *r) {
  return r->warned;
}

uint64_t tl_reader_bytes(const tl_reader *r) {
  return r->consumed;
}

void tl_reader_free(tl_reader *r) {
  if (!r)
    return;
  if (r->file)
    fclose(r->file);
  if (r->gzip)
    inflateEnd(&r->zs);
  free(r->zin);
  if (r->json)
    json_object_put(r->json);
  free(r->late_error);
  if (r->tok)
    json_tokener_free(r->tok);
  free(r->buf);
  free(r->owned_id);
  free(r->owned_site);
  free(r->date_format);
  free(r->fields);
  tl_html_page_free(&r->page);
  free(r->path);
  free(r);
}
