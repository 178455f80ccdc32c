/*
 * reader.h - files to articles.
 *
 * Formats, chosen by file name (a trailing ".gz" means gzip, read through
 * zlib):
 *  - ".txt":   one article; the first non-empty line is the title, the rest
 *              is the text (paragraphs separated by blank lines); the id is
 *              the path as given.
 *  - ".jsonl": JSON Lines, one article per line: "id", "title", "text", and
 *              optional "date" (ISO 8601), "url", "source". Without "id" the
 *              id is "PATH:LINE". Blank lines are skipped.
 * Input must be UTF-8 text; a NUL byte marks binary data.
 */
#ifndef TELUSUR_READER_H
#define TELUSUR_READER_H

#include "telusur/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest record (a .txt file, or one JSON line) read, in bytes. */
#define TL_READER_MAX_RECORD ((size_t)256 << 20)

/** File formats known to the reader. */
enum tl_format { TL_FORMAT_UNKNOWN = 0, TL_FORMAT_TXT, TL_FORMAT_JSONL };

/**
 * Returns the format for a path from its name: ".txt", ".jsonl" (also
 * ".json"), each optionally followed by ".gz"; TL_FORMAT_UNKNOWN otherwise.
 */
enum tl_format tl_reader_format(const char *path);

/** One article. Every string is NUL-terminated UTF-8 owned by the reader. */
typedef struct tl_article {
  const char *id;       /**< unique id: the JSON "id", else the path */
  const char *title;    /**< "" when absent */
  const char *text;     /**< the body the passages come from */
  size_t text_len;      /**< bytes in text */
  uint64_t text_offset; /**< byte offset of text in the (decompressed)
                           file for .txt; 0 for JSON Lines, whose passage
                           offsets count bytes of the decoded "text" value */
  const char *date;     /**< "" when absent */
  const char *url;      /**< "" when absent */
  const char *source;   /**< "" when absent */
  const char *path;     /**< the file it came from, as given */
  uint64_t line;        /**< 1-based line for JSON Lines, 0 for .txt */
} tl_article;

typedef struct tl_reader tl_reader;

/**
 * Opens path for reading. Errors: TL_ERR_USAGE (unknown format),
 * TL_ERR_IO (cannot open: the message names the path and the reason),
 * TL_ERR_NOMEM. *out is released with tl_reader_free().
 */
int tl_reader_open(const char *path, tl_reader **out, tl_error *err);

/**
 * Reads the next article. Returns TL_OK and sets *article (valid until the
 * next call or tl_reader_free), TL_DONE at the end, or an error for one
 * record: TL_ERR_FORMAT (malformed JSON, missing "text", binary data,
 * truncated gzip), TL_ERR_UTF8 (invalid UTF-8), TL_ERR_LIMIT (record over
 * TL_READER_MAX_RECORD), TL_ERR_IO (read error), TL_ERR_NOMEM. The message
 * names the file and the line (JSON Lines) or byte offset. After an error
 * the caller may call again: the reader goes on with the next record when
 * the file allows it, and returns TL_DONE when it does not.
 */
int tl_reader_next(tl_reader *r, const tl_article **article, tl_error *err);

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
