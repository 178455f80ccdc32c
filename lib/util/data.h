/*
 * data.h - where telusur finds its data files (stopwords/, lexicon/), and
 * the hash of what their lines say.
 */
#ifndef TELUSUR_DATA_H
#define TELUSUR_DATA_H

#include <stdint.h>

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

/**
 * Hashes into h (XXH64, https://xxhash.com, seeded with h) what one line of
 * a list file says: its bytes before a '#', a carriage return or the line
 * feed, trailing blanks left out; nothing for a line that says nothing, so
 * that comments and line ends do not count. Returns the new hash.
 */
uint64_t tl_data_hash_line(uint64_t h, const char *line);

/** Hashes the name of a list file (the last path component of path) into
 * h: a file boundary, so that a line moved to another file counts. */
uint64_t tl_data_hash_file(uint64_t h, const char *path);

#ifdef __cplusplus
}
#endif

#endif
