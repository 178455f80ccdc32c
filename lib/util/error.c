/* error.c - status names and error records. */
#include "telusur/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *tl_status_name(int code) {
  switch (code) {
  case TL_OK: return "ok";
  case TL_DONE: return "done";
  case TL_ERR_NOMEM: return "out of memory";
  case TL_ERR_IO: return "input/output error";
  case TL_ERR_FORMAT: return "malformed input";
  case TL_ERR_UTF8: return "invalid UTF-8";
  case TL_ERR_ICU: return "ICU error";
  case TL_ERR_XAPIAN: return "Xapian error";
  case TL_ERR_LOCK: return "database locked";
  case TL_ERR_USAGE: return "usage error";
  case TL_ERR_NOTFOUND: return "not found";
  case TL_ERR_LIMIT: return "size limit exceeded";
  case TL_ERR_SCHEMA: return "index schema mismatch";
  case TL_ERR_MODIFIED: return "index modified";
  default: return "unknown status";
  }
}

tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...) {
  va_list ap;
  if (!err)
    return code;
  err->code = code;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start above */
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

void tl_error_clear(tl_error *err) {
  if (err) {
    err->code = TL_OK;
    err->msg[0] = '\0';
  }
}
