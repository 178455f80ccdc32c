/*
 * walk.h - the files under a path, in a stable order.
 */
#ifndef TELUSUR_WALK_H
#define TELUSUR_WALK_H

#include "telusur/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What tl_walk reports for a path. */
enum tl_walk_kind {
  TL_WALK_FILE = 0,    /**< a readable file of a known format */
  TL_WALK_SKIPPED = 1, /**< passed over (unknown type, hidden, symlinked
                            directory); msg says why */
  TL_WALK_ERROR = 2    /**< could not be read; msg says why */
};

/**
 * Called for each path. path: NUL-terminated, valid during the call.
 * msg: a one-line reason for TL_WALK_SKIPPED and TL_WALK_ERROR, else NULL.
 * Return 0 to go on, non-zero to stop the walk (tl_walk returns it).
 */
typedef int (*tl_walk_fn)(void *ctx, const char *path, int kind, const char *msg);

/**
 * Visits path: a file is reported as it is; a directory is walked
 * recursively in byte order of names (strcmp), so that the order does not
 * depend on the locale or the file system. Names starting with '.' are
 * passed over silently; symbolic links to directories are not followed
 * (reported as skipped), so a link loop cannot trap the walk. Files whose
 * format the reader does not know are reported as TL_WALK_SKIPPED.
 * Returns TL_OK or the callback's non-zero value.
 */
int tl_walk(const char *path, tl_walk_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
