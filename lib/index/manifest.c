/* manifest.c - the file-state table in Xapian metadata, and content hashes. */
#include "index/manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

void tl_hash_hex(uint64_t h, char *buf) {
  snprintf(buf, 17, "%016" PRIx64, h);
}

void tl_manifest_key(const char *path, char *buf) {
  size_t n = strlen(path);
  if (n <= TL_MANIFEST_PATH_MAX) {
    snprintf(buf, TL_MANIFEST_KEY_MAX, "%s%s", TL_META_FILE_PREFIX, path);
  } else {
    char hex[17];
    tl_hash_hex(XXH3_64bits(path, n), hex);
    snprintf(buf, TL_MANIFEST_KEY_MAX, "%s#%s", TL_META_FILE_PREFIX, hex);
  }
}

size_t tl_file_term(const char *path, char *buf) {
  buf[0] = TL_PREFIX_FILE[0];
  tl_hash_hex(XXH3_64bits(path, strlen(path)), buf + 1);
  return 17;
}

/* Parses a value; returns the path inside it, its length in *plen and the
 * notes after it in *notes (empty when none), or NULL when malformed. */
static const char *parse(const char *v, tl_file_state *st, size_t *plen, const char **notes) {
  unsigned long long size, hash, fmt = 0, nlen = 0;
  long long mtime;
  unsigned long na, np;
  const char *tab = strchr(v, '\t');
  size_t rest;
  /* the date format's hash and the notes' length came later: a state
   * without them has 5 or 6 numbers */
  if (!tab || sscanf(v, "%llu %lld %llx %lu %lu %llx %llu", &size, &mtime, &hash, &na, &np, &fmt,
                     &nlen) < 5)
    return NULL;
  rest = strlen(tab + 1);
  if (nlen > rest)
    return NULL;
  st->date_format = fmt;
  st->size = size;
  st->mtime_ns = mtime;
  st->hash = hash;
  st->articles = na;
  st->passages = np;
  *plen = rest - (size_t)nlen;
  *notes = tab + 1 + *plen;
  return tab + 1;
}

int tl_manifest_get(tl_store *s, const char *path, tl_file_state *st, char **notes, int *found,
                    tl_error *err) {
  char key[TL_MANIFEST_KEY_MAX];
  char *v = NULL;
  const char *p, *n = NULL;
  size_t plen = 0;
  int rc;
  memset(st, 0, sizeof *st);
  *found = 0;
  if (notes)
    *notes = NULL;
  tl_manifest_key(path, key);
  if ((rc = tl_store_get_metadata(s, key, &v, err)) != TL_OK)
    return rc;
  p = parse(v, st, &plen, &n);
  if (p && plen == strlen(path) && memcmp(p, path, plen) == 0) {
    *found = 1;
    if (notes && *n && !(*notes = strdup(n))) {
      free(v);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  } else {
    memset(st, 0, sizeof *st);
  }
  free(v);
  return TL_OK;
}

int tl_manifest_put(tl_store *s, const char *path, const tl_file_state *st, const char *notes,
                    tl_error *err) {
  char key[TL_MANIFEST_KEY_MAX], *v;
  size_t nlen = notes ? strlen(notes) : 0, n = strlen(path) + nlen + 160;
  int rc;
  if (!(v = malloc(n)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  snprintf(v, n, "%" PRIu64 " %" PRId64 " %016" PRIx64 " %lu %lu %016" PRIx64 " %zu\t%s%s",
           st->size, st->mtime_ns, st->hash, st->articles, st->passages, st->date_format, nlen,
           path, nlen ? notes : "");
  tl_manifest_key(path, key);
  rc = tl_store_set_metadata(s, key, v, err);
  free(v);
  return rc;
}

int tl_manifest_delete(tl_store *s, const char *path, tl_error *err) {
  char key[TL_MANIFEST_KEY_MAX];
  tl_manifest_key(path, key);
  return tl_store_set_metadata(s, key, "", err); /* "" removes the entry */
}

typedef struct each_ctx {
  tl_manifest_fn fn;
  void *ctx;
} each_ctx;

static int on_meta(void *vctx, const char *key, const char *value) {
  each_ctx *c = vctx;
  tl_file_state st;
  const char *notes;
  size_t plen;
  const char *p = parse(value, &st, &plen, &notes);
  char *path;
  int rc;
  (void)key;
  if (!p)
    return 0;
  if (!*notes)
    return c->fn(c->ctx, p, &st);
  if (!(path = strndup(p, plen)))
    return TL_ERR_NOMEM;
  rc = c->fn(c->ctx, path, &st);
  free(path);
  return rc;
}

int tl_manifest_each(tl_store *s, tl_manifest_fn fn, void *ctx, tl_error *err) {
  each_ctx c = {fn, ctx};
  return tl_store_metadata_each(s, TL_META_FILE_PREFIX, on_meta, &c, err);
}

int tl_file_stat(const char *path, tl_file_state *st, tl_error *err) {
  struct stat sb;
  memset(st, 0, sizeof *st);
  if (stat(path, &sb) != 0)
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));
  st->size = (uint64_t)sb.st_size;
  st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
  return TL_OK;
}

int tl_file_hash(const char *path, uint64_t *hash, tl_error *err) {
  FILE *f = fopen(path, "rb");
  XXH3_state_t *h;
  char buf[1 << 16];
  size_t n;
  int bad;
  *hash = 0;
  if (!f)
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));
  if (!(h = XXH3_createState())) {
    fclose(f);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  XXH3_64bits_reset(h);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    XXH3_64bits_update(h, buf, n);
  bad = ferror(f);
  *hash = XXH3_64bits_digest(h);
  XXH3_freeState(h);
  fclose(f);
  return bad ? tl_error_set(err, TL_ERR_IO, "%s: read error", path) : TL_OK;
}

uint64_t tl_article_hash(const tl_article *a) {
  XXH3_state_t *st = XXH3_createState();
  const char *fields[6];
  uint64_t h;
  size_t i;
  uint64_t off = a->text_offset, len;
  fields[0] = a->id;
  fields[1] = a->title;
  fields[2] = a->date;
  fields[3] = a->url;
  fields[4] = a->source;
  fields[5] = a->path;
  if (!st) /* out of memory: a hash of the text alone still tells changes */
    return XXH3_64bits(a->text, a->text_len);
  XXH3_64bits_reset(st);
  for (i = 0; i < 6; i++) {
    len = strlen(fields[i]);
    XXH3_64bits_update(st, &len, sizeof len);
    XXH3_64bits_update(st, fields[i], len);
  }
  len = a->text_len;
  XXH3_64bits_update(st, &len, sizeof len);
  XXH3_64bits_update(st, a->text, a->text_len);
  XXH3_64bits_update(st, &off, sizeof off);
  h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h;
}

char *tl_canonical_path(const char *path) {
  char *r = realpath(path, NULL), *dir, *slash, *out;
  const char *base;
  size_t n;
  if (r || errno != ENOENT)
    return r;
  /* gone: its directory's canonical path and its name */
  if (!(dir = strdup(path)))
    return NULL;
  n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    dir[--n] = '\0';
  slash = strrchr(dir, '/');
  base = slash ? slash + 1 : dir;
  if (slash == dir)
    r = strdup("/");
  else {
    if (slash)
      *slash = '\0';
    r = realpath(slash ? dir : ".", NULL);
  }
  out = r ? malloc(strlen(r) + strlen(base) + 2) : NULL;
  if (out)
    sprintf(out, "%s%s%s", r, strcmp(r, "/") == 0 ? "" : "/", base); /* NOLINT */
  free(r);
  free(dir);
  if (!out && !errno)
    errno = ENOMEM;
  return out;
}
