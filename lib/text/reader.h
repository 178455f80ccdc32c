/*
 * reader.h - files to articles.
 *
 * Formats, chosen by file name, in any letter case (a trailing ".gz" means
 * gzip, read through zlib):
 *  - ".txt":   one article; the first non-empty line is the title, the rest
 *              is the text (paragraphs separated by blank lines); the id is
 *              the path as given.
 *  - ".jsonl": JSON Lines, one article per line: "id", "title", "text", and
 *              optional "date", "url", "source". Every other top-level
 *              string, or array of strings, is a field under its own name
 *              (see tl_article.fields). Without "id" the id is "PATH:LINE".
 *              Blank lines are skipped.
 *  - ".html", ".htm": one article from a web page (see text/html.h); the id
 *              is the path as given.
 * Input must be UTF-8 text; a NUL byte marks binary data. A UTF-8 byte
 * order mark at the start of the (decompressed) input is dropped. Dates are
 * read as text/date.h describes, with the format set by
 * tl_reader_set_date_format() tried first.
 */
#ifndef TELUSUR_READER_H
#define TELUSUR_READER_H

#include "telusur/error.h"
#include "text/date.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest record (a .txt file, or one JSON line) read, in bytes. */
#define TL_READER_MAX_RECORD ((size_t)256 << 20)

/** File formats known to the reader. */
enum tl_format { TL_FORMAT_UNKNOWN = 0, TL_FORMAT_TXT, TL_FORMAT_JSONL, TL_FORMAT_HTML };

/**
 * Returns the format for a path from its name, in any letter case: ".txt",
 * ".jsonl" (also ".json"), ".html" (also ".htm"), each optionally followed
 * by ".gz"; TL_FORMAT_UNKNOWN otherwise.
 */
enum tl_format tl_reader_format(const char *path);

/** A keyword field of an article: a name and one value. */
typedef struct tl_field {
  const char *name;  /**< the JSON key ("topic", "author"...), or "site" */
  const char *value; /**< the value as written in the source */
} tl_field;

/** A title is at most this many bytes: a longer one is cut at a blank
 * space (else a character boundary), with a warning (the article is kept),
 * since the title is indexed and stored with every passage of its article. */
#define TL_TITLE_MAX 1024

/**
 * One article. Every string is NUL-terminated UTF-8; the strings and the
 * fields array are owned by the reader (valid as tl_reader_next() says).
 */
typedef struct tl_article {
  const char *id;       /**< unique id: the JSON "id", else the path */
  const char *title;    /**< "" when absent; at most TL_TITLE_MAX bytes */
  const char *text;     /**< the body the passages come from */
  size_t text_len;      /**< bytes in text */
  uint64_t text_offset; /**< byte offset of text in the (decompressed)
                           file for .txt; 0 for JSON Lines and HTML, whose
                           passage offsets count bytes of the decoded "text"
                           value or of the extracted text */
  const char *date;     /**< as written; "" when absent or not understood */
  const char *url;      /**< "" when absent */
  const char *source;   /**< "" when absent */
  const char *path;     /**< the file it came from, as given */
  uint64_t line;        /**< 1-based line for JSON Lines, 0 for .txt and HTML */
  /** Keyword fields in source order. JSON Lines: each top-level string, or
   * each string of a top-level array, other than "id", "title" and "text"
   * (other values are not fields), so that a name may come several times;
   * not "year" nor "month", which the index derives from the date (one left
   * out is a warning);
   * "date" only when understood. HTML: "date", "url", "source" when found.
   * Both, last: "site", the host of "url" in lower case, unless the source
   * has a "site" of its own. NULL when nfields is 0. */
  const tl_field *fields;
  size_t nfields;   /**< entries in fields */
  int has_time;     /**< 1 when date was understood: time holds it */
  tl_date time;     /**< the date as POSIX time (valid when has_time) */
  int date_invalid; /**< 1 when a date was given but not understood: the
                         article keeps no date (date "", has_time 0) */
} tl_article;

typedef struct tl_reader tl_reader;

/**
 * Opens path for reading. Errors: TL_ERR_USAGE (unknown format),
 * TL_ERR_IO (cannot open: the message names the path and the reason),
 * TL_ERR_FORMAT (a ".gz" name over data that is not gzip: "PATH: not gzip
 * data"), TL_ERR_NOMEM. *out is released with tl_reader_free().
 */
int tl_reader_open(const char *path, tl_reader **out, tl_error *err);

/**
 * Sets the strptime(3) format tried first on the dates of the articles read
 * from now on (e.g. "%m/%d/%Y %H:%M"), or NULL for ISO 8601 and RFC 2822
 * only (see text/date.h). The format is copied. Returns TL_OK or
 * TL_ERR_NOMEM.
 */
int tl_reader_set_date_format(tl_reader *r, const char *format, tl_error *err);

/**
 * Reads the next article. Returns TL_OK and sets *article (valid until the
 * next call or tl_reader_free), TL_DONE at the end, or an error for one
 * record: TL_ERR_FORMAT (malformed JSON, missing "text", an "id" that is
 * an object, array or boolean, binary data, truncated gzip, a text or HTML
 * file with no text: "PATH: no text (empty file), skipped"; a JSON Lines
 * file with no record is TL_DONE at once), TL_ERR_UTF8 (invalid
 * UTF-8), TL_ERR_LIMIT (record over TL_READER_MAX_RECORD), TL_ERR_IO (read
 * error), TL_ERR_NOMEM. The message names the file and the line (JSON
 * Lines) or byte offset. After an error the caller may call again: the
 * reader goes on with the next record when the file allows it, and returns
 * TL_DONE when it does not.
 *
 * A warning is an error of the same kind (TL_ERR_FORMAT, *article NULL)
 * about an article that is kept: a date not understood (the article gets
 * no date and date_invalid), an "id" or "title" that is a number (read as
 * its text), a "title" of another type (left empty), a "year" or "month"
 * field (left out: derived from the date), a title over
 * TL_TITLE_MAX bytes (cut). Its message names the
 * file and line, says what was wrong (quoting a bad date) and ends in
 * "(article kept)"; tl_reader_warned() is then 1, and the next call returns
 * that article.
 */
int tl_reader_next(tl_reader *r, const tl_article **article, tl_error *err);

/**
 * 1 when the last tl_reader_next() returned a warning, whose article the
 * next call returns; 0 otherwise (TL_OK, TL_DONE, or a skipped record).
 */
int tl_reader_warned(const tl_reader *r);

/** Bytes of (decompressed) input consumed so far. */
uint64_t tl_reader_bytes(const tl_reader *r);

/** Closes the file and frees the reader; NULL is allowed. */
void tl_reader_free(tl_reader *r);

/**
 * Checks that len bytes are valid UTF-8 without NUL bytes. Returns TL_OK,
 * or TL_ERR_UTF8 / TL_ERR_FORMAT (NUL byte: binary data) and sets
 * *bad_offset to the 0-based byte offset of the first bad byte.
 */
int tl_utf8_check(const char *s, size_t len, size_t *bad_offset);

#ifdef __cplusplus
}
#endif

#endif
