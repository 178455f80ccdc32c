/* testutil.c - helpers shared by the Check suites. */
#include "testutil.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tu_bin_dir(void) {
  /* scripts/test.sh points this at wrappers that run the programs under
   * valgrind */
  const char *d = getenv("TELUSUR_TEST_BIN_DIR");
  return d && *d ? d : TELUSUR_BIN_DIR;
}

const char *tu_source_dir(void) {
  return TELUSUR_SOURCE_DATA_DIR;
}

char *tu_shared_path(const char *rel) {
  const char *base = getenv("TELUSUR_SHARED");
  size_t n;
  char *p;
  struct stat st;
  if (!base || !*base)
    base = TELUSUR_SHARED_DIR;
  n = strlen(base) + strlen(rel) + 2;
  p = malloc(n);
  if (!p)
    return NULL;
  snprintf(p, n, "%s/%s", base, rel);
  if (stat(p, &st) != 0) {
    free(p);
    return NULL;
  }
  return p;
}

char *tu_dir;

void tu_dir_setup(void) {
  tu_dir = tu_tmpdir();
  ck_assert_ptr_nonnull(tu_dir);
}

void tu_dir_teardown(void) {
  tu_rmtree(tu_dir);
  free(tu_dir);
  tu_dir = NULL;
}

char *tu_tmpdir(void) {
  char tmpl[] = "/tmp/telusur-test.XXXXXX";
  char *d = mkdtemp(tmpl);
  return d ? strdup(d) : NULL;
}

int tu_write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  size_t w;
  if (!f)
    return -1;
  w = fwrite(data, 1, len, f);
  if (fclose(f) != 0 || w != len)
    return -1;
  return 0;
}

char *tu_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  if (!f)
    return NULL;
  for (;;) {
    size_t r;
    if (cap - n < 65536) {
      char *nb = realloc(buf, cap * 2 + 65537);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
      cap = cap * 2 + 65536;
    }
    r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
  }
  fclose(f);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

int tu_run(const char *cmd, char **out, char **err) {
  char *dir = tu_tmpdir();
  char opath[512], epath[512];
  char *full;
  size_t n;
  int st;
  if (!dir)
    return -1;
  snprintf(opath, sizeof opath, "%s/out", dir);
  snprintf(epath, sizeof epath, "%s/err", dir);
  n = strlen(cmd) + 2 * sizeof opath + 64;
  full = malloc(n);
  if (!full) {
    free(dir);
    return -1;
  }
  snprintf(full, n, "( %s ) </dev/null >'%s' 2>'%s'", cmd, opath, epath);
  st = system(full);
  free(full);
  if (out)
    *out = tu_read_file(opath, NULL);
  if (err)
    *err = tu_read_file(epath, NULL);
  tu_rmtree(dir);
  free(dir);
  if (st == -1 || !WIFEXITED(st))
    return -1;
  return WEXITSTATUS(st);
}

void tu_rmtree(const char *path) {
  size_t n = strlen(path) + 16;
  char *cmd = malloc(n);
  if (!cmd)
    return;
  snprintf(cmd, n, "rm -rf '%s'", path);
  if (system(cmd) != 0) {
    /* nothing more to do: a leftover temporary directory is harmless */
  }
  free(cmd);
}

static char last_command[65536];

int tu_runf(char **out, char **err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* started just above: the analyzer's valist check misreads va_start here */
  // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
  vsnprintf(last_command, sizeof last_command, fmt, ap);
  va_end(ap);
  return tu_run(last_command, out, err);
}

const char *tu_last_command(void) {
  return last_command;
}

int tu_run_suite(struct Suite *s) {
  SRunner *sr = srunner_create(s);
  int failed;
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
