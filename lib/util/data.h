/*
 * data.h - where telusur finds its data files (stopwords/, lexicon/).
 */
#ifndef TELUSUR_DATA_H
#define TELUSUR_DATA_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns the directory that holds `stopwords/` and `lexicon/`: the
 * environment variable TELUSUR_DATA_DIR when set and non-empty, else the
 * source tree the programs were built from when it still exists, else the
 * installed data directory (PREFIX/share/telusur). The string is static or
 * from the environment: do not free or modify it.
 */
const char *tl_data_dir(void);

#ifdef __cplusplus
}
#endif

#endif
