/*
 * buf.h - a growable byte buffer and a helper that grows typed arrays.
 *
 * Capacities grow by doubling (amortised O(1) appends). Every size is
 * checked for overflow: a request whose size in bytes exceeds PTRDIFF_MAX
 * (the largest object C allows; SIZE_MAX / 2) fails with TL_ERR_NOMEM
 * like a failed allocation, without calling the allocator, and a failed
 * call leaves the buffer or array as it was.
 */
#ifndef TELUSUR_BUF_H
#define TELUSUR_BUF_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes room for at least need items of item_size bytes in the array
 * *items of capacity *cap (in items), growing it to the larger of need and
 * twice *cap (at least 16 items) with realloc. *items may be NULL with
 * *cap 0. item_size must not be 0. Returns TL_OK (also when *cap >= need
 * already; nothing changes then) or TL_ERR_NOMEM when the allocation fails
 * or the size in bytes would exceed PTRDIFF_MAX; then *items and *cap are
 * unchanged. The array stays the caller's, to be freed with free().
 */
int tl_array_reserve(void **items, size_t *cap, size_t need, size_t item_size);

/**
 * A growable byte buffer: data[0..len) are the bytes, followed by a NUL
 * whenever data is not NULL, so text can be read as a C string. cap is the
 * allocated size in bytes. Zero-initialize (TL_BUF_INIT) before use; read
 * data and len directly, change them only through the functions below, or
 * fill reserved room: after tl_buf_reserve(b, n), write up to n bytes at
 * data + len, add their count to len and store the NUL at data[len].
 */
typedef struct tl_buf {
  char *data;
  size_t len, cap;
} tl_buf;

/** An empty buffer that owns no memory. */
#define TL_BUF_INIT                                                                                \
  { NULL, 0, 0 }

/**
 * Makes room for extra more bytes (plus the NUL) without moving data on the
 * next appends of at most that many bytes. Returns TL_OK or TL_ERR_NOMEM
 * (allocation failed, or len + extra + 1 exceeds PTRDIFF_MAX; b unchanged).
 */
int tl_buf_reserve(tl_buf *b, size_t extra);

/**
 * Appends n bytes from p (any bytes, NUL included; p may be NULL when n is
 * 0). Returns TL_OK or TL_ERR_NOMEM (b unchanged).
 */
int tl_buf_append(tl_buf *b, const void *p, size_t n);

/** Appends the NUL-terminated string s without its NUL. As tl_buf_append. */
int tl_buf_append_str(tl_buf *b, const char *s);

/**
 * Appends the text printf would write for fmt and its arguments. Returns
 * TL_OK, TL_ERR_NOMEM (b unchanged) or TL_ERR_FORMAT when vsnprintf
 * reports an encoding error (b unchanged).
 */
int tl_buf_printf(tl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Empties the buffer (len 0), keeping its memory for reuse. */
void tl_buf_reset(tl_buf *b);

/**
 * Hands the bytes to the caller: returns data (len bytes and a NUL; *len
 * gets the length if len is not NULL), which the caller frees with free(),
 * and leaves b empty and owning nothing. A buffer that never held memory
 * gets a 1-byte allocation holding "". Returns NULL only when that
 * allocation fails (b unchanged).
 */
char *tl_buf_take(tl_buf *b, size_t *len);

/** Frees the buffer's memory and leaves it empty (TL_BUF_INIT). */
void tl_buf_free(tl_buf *b);

#ifdef __cplusplus
}
#endif

#endif
