/*
 * fuzz_reader.c - libFuzzer harness for the readers: plain text, JSON Lines,
 * HTML and gzip.
 *
 * Input: one selector byte, then the file's bytes. Selector bit 0: the file
 * is named .jsonl (else .txt), bit 2: .html (over bit 0); bit 1: the
 * harness gzip-compresses the bytes
 * first (so that valid gzip streams of arbitrary text are read; raw bytes
 * starting with the gzip magic exercise the inflate loop on corrupt data).
 * Checks that every article the reader hands out is well formed: NUL-
 * terminated strings, text_len matching, valid UTF-8 text.
 */
#include "text/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char path_txt[256], path_jsonl[256], path_html[256];

static void init_paths(void) {
  const char *dir = getenv("TMPDIR");
  if (path_txt[0])
    return;
  if (!dir || !*dir)
    dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(path_txt, sizeof path_txt, "%s/telusur-fuzz-reader.%ld.txt", dir, (long)getpid());
  snprintf(path_jsonl, sizeof path_jsonl, "%s/telusur-fuzz-reader.%ld.jsonl", dir, (long)getpid());
  snprintf(path_html, sizeof path_html, "%s/telusur-fuzz-reader.%ld.html", dir, (long)getpid());
}

static int write_plain(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  if (size && fwrite(data, 1, size, f) != size) {
    fclose(f);
    return -1;
  }
  return fclose(f);
}

static int write_gzip(const char *path, const uint8_t *data, size_t size) {
  z_stream zs;
  unsigned char out[65536];
  FILE *f = fopen(path, "wb");
  int zrc;
  if (!f)
    return -1;
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    fclose(f);
    return -1;
  }
  zs.next_in = (unsigned char *)data;
  zs.avail_in = (unsigned)size;
  do {
    zs.next_out = out;
    zs.avail_out = sizeof out;
    zrc = deflate(&zs, Z_FINISH);
    fwrite(out, 1, sizeof out - zs.avail_out, f);
  } while (zrc == Z_OK || (zrc == Z_BUF_ERROR && zs.avail_out == 0));
  deflateEnd(&zs);
  return fclose(f);
}

static void check_str(const char *s) {
  if (!s)
    abort();
  (void)strlen(s); /* ASan: must be NUL-terminated inside its buffer */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path;
  tl_reader *r = NULL;
  tl_error err;
  const tl_article *a;
  int rc, records = 0;
  if (size < 1)
    return 0;
  init_paths();
  path = (data[0] & 4) ? path_html : (data[0] & 1) ? path_jsonl : path_txt;
  if (((data[0] & 2) ? write_gzip : write_plain)(path, data + 1, size - 1) != 0)
    return 0;
  if (tl_reader_open(path, &r, &err) != TL_OK)
    abort(); /* the file exists and its name is known */
  for (;;) {
    rc = tl_reader_next(r, &a, &err);
    if (rc == TL_DONE)
      break;
    if (++records > 1000000)
      abort(); /* the reader must make progress and end */
    if (rc != TL_OK) {
      if (err.msg[0] == '\0' || strlen(err.msg) >= TL_ERROR_MSG_MAX)
        abort(); /* every error says what went wrong */
      continue;
    }
    check_str(a->id);
    check_str(a->title);
    check_str(a->date);
    check_str(a->url);
    check_str(a->source);
    check_str(a->path);
    for (size_t i = 0; i < a->nfields; i++) {
      check_str(a->fields[i].name);
      check_str(a->fields[i].value);
    }
    if (a->has_time && a->date_invalid)
      abort();
    if (!a->text || a->text[a->text_len] != '\0')
      abort();
    if (tl_utf8_check(a->text, a->text_len, NULL) != TL_OK)
      abort(); /* the reader only hands out valid UTF-8 without NULs */
  }
  if (tl_reader_bytes(r) > (uint64_t)1 << 40)
    abort();
  tl_reader_free(r);
  unlink(path);
  return 0;
}
