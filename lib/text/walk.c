/* walk.c - recursive directory walk in byte order of names. */
#include "text/walk.h"

#include "text/reader.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk(const char *path, int top, tl_walk_fn fn, void *ctx) {
  struct stat st, lst;
  struct dirent **names = NULL;
  int n, i, rc = 0;
  char msg[256];
  if (stat(path, &st) != 0) {
    snprintf(msg, sizeof msg, "%s", strerror(errno));
    return fn(ctx, path, TL_WALK_ERROR, msg);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (!S_ISREG(st.st_mode))
      return fn(ctx, path, TL_WALK_SKIPPED, "not a regular file");
    if (tl_reader_format(path) == TL_FORMAT_UNKNOWN)
      return fn(ctx, path, TL_WALK_SKIPPED,
                "unknown file type (known: .txt, .jsonl, .json, .html, .htm, and .gz of them)");
    return fn(ctx, path, TL_WALK_FILE, NULL);
  }
  if (!top && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
    return fn(ctx, path, TL_WALK_SKIPPED, "symbolic link to a directory, not followed");
  {
    /* a Xapian database (an index) is not input */
    size_t len = strlen(path) + 16;
    char *probe = malloc(len);
    if (probe) {
      snprintf(probe, len, "%s/iamglass", path);
      rc = stat(probe, &lst) == 0;
      free(probe);
      if (rc)
        return fn(ctx, path, TL_WALK_SKIPPED, "a search index, not input");
      rc = 0;
    }
  }
  n = scandir(path, &names, NULL, by_name);
  if (n < 0) {
    snprintf(msg, sizeof msg, "%s", strerror(errno));
    return fn(ctx, path, TL_WALK_ERROR, msg);
  }
  for (i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    if (rc == 0 && name[0] != '.') {
      size_t len = strlen(path) + strlen(name) + 2;
      char *child = malloc(len);
      if (!child) {
        rc = fn(ctx, path, TL_WALK_ERROR, "out of memory");
      } else {
        size_t pl = strlen(path);
        snprintf(child, len, pl > 0 && path[pl - 1] == '/' ? "%s%s" : "%s/%s", path, name);
        rc = walk(child, 0, fn, ctx);
        free(child);
      }
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int tl_walk(const char *path, tl_walk_fn fn, void *ctx) {
  return walk(path, 1, fn, ctx);
}
