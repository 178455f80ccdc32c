/* buf.c - growable byte buffers and arrays. */
#include "util/buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Smallest capacity, in items, of an array that grows. */
#define MIN_ITEMS 16
/** Largest allocation in bytes: no object may be larger than PTRDIFF_MAX. */
#define MAX_BYTES ((size_t)PTRDIFF_MAX)

int tl_array_reserve(void **items, size_t *cap, size_t need, size_t item_size) {
  size_t ncap;
  void *p;
  if (need <= *cap)
    return TL_OK;
  ncap = *cap <= SIZE_MAX / 2 ? *cap * 2 : SIZE_MAX;
  if (ncap < need)
    ncap = need;
  if (ncap < MIN_ITEMS)
    ncap = MIN_ITEMS;
  if (item_size == 0 || need > MAX_BYTES / item_size)
    return TL_ERR_NOMEM;
  if (ncap > MAX_BYTES / item_size)
    ncap = MAX_BYTES / item_size;
  p = realloc(*items, ncap * item_size);
  if (!p)
    return TL_ERR_NOMEM;
  *items = p;
  *cap = ncap;
  return TL_OK;
}

int tl_buf_reserve(tl_buf *b, size_t extra) {
  if (extra > SIZE_MAX - 1 - b->len)
    return TL_ERR_NOMEM;
  if (tl_array_reserve((void **)&b->data, &b->cap, b->len + extra + 1, 1) != TL_OK)
    return TL_ERR_NOMEM;
  b->data[b->len] = '\0';
  return TL_OK;
}

int tl_buf_append(tl_buf *b, const void *p, size_t n) {
  if (tl_buf_reserve(b, n) != TL_OK)
    return TL_ERR_NOMEM;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return TL_OK;
}

int tl_buf_append_str(tl_buf *b, const char *s) {
  return tl_buf_append(b, s, strlen(s));
}

int tl_buf_printf(tl_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start above */
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return TL_ERR_FORMAT;
  if (tl_buf_reserve(b, (size_t)n) != TL_OK)
    return TL_ERR_NOMEM;
  va_start(ap, fmt);
  n = vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->data[b->len] = '\0';
    return TL_ERR_FORMAT;
  }
  b->len += (size_t)n;
  return TL_OK;
}

void tl_buf_reset(tl_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

char *tl_buf_take(tl_buf *b, size_t *len) {
  char *p;
  if (tl_buf_reserve(b, 0) != TL_OK)
    return NULL;
  p = b->data;
  if (len)
    *len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void tl_buf_free(tl_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
