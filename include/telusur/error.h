/*
 * error.h - status codes and error records shared by every telusur module.
 *
 * Every fallible function returns a tl_status (TL_OK on success) and,
 * where it can say more, fills a caller-owned tl_error with the code and a
 * one-line message. No global state: the error lives on the caller's stack.
 */
#ifndef TELUSUR_ERROR_H
#define TELUSUR_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. TL_DONE is not an error: an iterator has no more items. */
enum tl_status {
  TL_OK = 0,
  TL_DONE = 1,     /**< iteration finished */
  TL_ERR_NOMEM,    /**< an allocation failed */
  TL_ERR_IO,       /**< a file could not be opened, read or written */
  TL_ERR_FORMAT,   /**< malformed input (JSON, gzip, binary data) */
  TL_ERR_UTF8,     /**< input is not valid UTF-8 */
  TL_ERR_ICU,      /**< an ICU call failed */
  TL_ERR_XAPIAN,   /**< libxapian threw an exception */
  TL_ERR_LOCK,     /**< the database is locked by another writer */
  TL_ERR_USAGE,    /**< bad arguments or an invalid query */
  TL_ERR_NOTFOUND, /**< a database, lexicon or named resource is missing */
  TL_ERR_LIMIT,    /**< input over a size limit */
  TL_ERR_SCHEMA,   /**< an index of another layout version (schema.h) */
  TL_ERR_MODIFIED  /**< the index changed under a reader (a writer
                        committed and the revision read was discarded):
                        reopen and retry */
};

typedef enum tl_status tl_status;

/** Maximum length of an error message, in bytes, including the NUL. */
#define TL_ERROR_MSG_MAX 512

/** A status code with a one-line, NUL-terminated message. */
typedef struct tl_error {
  int code;
  char msg[TL_ERROR_MSG_MAX];
} tl_error;

/**
 * Returns a static, human-readable name for a status code (never NULL;
 * "unknown status" for codes outside enum tl_status). Not to be freed.
 */
const char *tl_status_name(int code);

/**
 * Sets err (if not NULL) to code and a printf-style message, truncated to
 * TL_ERROR_MSG_MAX - 1 bytes. Returns code, so that callers can write
 * `return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));`.
 */
tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Clears err (if not NULL) to TL_OK and an empty message. */
void tl_error_clear(tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
