/* data.c - locating telusur's data directory. */
#include "util/data.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

const char *tl_data_dir(void) {
  const char *env = getenv("TELUSUR_DATA_DIR");
  struct stat st;
  if (env && *env)
    return env;
  if (stat(TELUSUR_SOURCE_DATA_DIR "/stopwords", &st) == 0 && S_ISDIR(st.st_mode))
    return TELUSUR_SOURCE_DATA_DIR;
  return TELUSUR_INSTALL_DATA_DIR;
}

uint64_t tl_data_hash_line(uint64_t h, const char *line) {
  size_t k = strcspn(line, "#\r\n");
  while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
    k--;
  return k ? XXH64(line, k, XXH64("\n", 1, h)) : h; /* a line break before each line */
}

uint64_t tl_data_hash_file(uint64_t h, const char *path) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  return XXH64(name, strlen(name) + 1, h); /* with its NUL */
}
