/* data.c - locating telusur's data directory. */
#include "util/data.h"

#include <stdlib.h>
#include <sys/stat.h>

const char *tl_data_dir(void) {
  const char *env = getenv("TELUSUR_DATA_DIR");
  struct stat st;
  if (env && *env)
    return env;
  if (stat(TELUSUR_SOURCE_DATA_DIR "/stopwords", &st) == 0 && S_ISDIR(st.st_mode))
    return TELUSUR_SOURCE_DATA_DIR;
  return TELUSUR_INSTALL_DATA_DIR;
}
