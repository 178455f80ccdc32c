/* testutil.h - helpers shared by the Check suites. */
#ifndef TELUSUR_TESTUTIL_H
#define TELUSUR_TESTUTIL_H

#include <stddef.h>

/** Directory of the built programs (telusur-index, ...); the environment
 * variable TELUSUR_TEST_BIN_DIR overrides it (valgrind wrappers). */
const char *tu_bin_dir(void);

/** The project's source directory (holds tests/cases, corpus/, ...). */
const char *tu_source_dir(void);

/**
 * Path of a file under the shared data directory (env TELUSUR_SHARED, else
 * ../shared beside the source tree), or NULL when it does not exist.
 * Returns malloc'd memory.
 */
char *tu_shared_path(const char *rel);

/**
 * The temporary directory of the running test: made by tu_dir_setup() and
 * removed by tu_dir_teardown(), a Check checked fixture.
 */
extern char *tu_dir;
void tu_dir_setup(void);
void tu_dir_teardown(void);

/** Makes a fresh temporary directory; returns malloc'd path. */
char *tu_tmpdir(void);

/** Writes len bytes to path (creating it); returns 0 on success. */
int tu_write_file(const char *path, const void *data, size_t len);

/** Reads a whole file; returns malloc'd NUL-terminated data or NULL. */
char *tu_read_file(const char *path, size_t *len);

/**
 * Runs a shell command line with /bin/sh -c; captures stdout and stderr into
 * malloc'd NUL-terminated strings (either pointer may be NULL to discard).
 * stdin is /dev/null unless the command redirects it. Returns the exit
 * status (0-255), or -1 when the command did not exit normally.
 */
int tu_run(const char *cmd, char **out, char **err);

/**
 * tu_run() of a command line built printf-style (at most 64 KiB); the
 * command line is kept for messages: tu_last_command().
 */
int tu_runf(char **out, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** The command line of the last tu_runf() call. */
const char *tu_last_command(void);

/** Runs every test of suite s; returns the exit status for main(). */
struct Suite;
int tu_run_suite(struct Suite *s);

/** Removes a directory tree (rm -rf). */
void tu_rmtree(const char *path);

#endif
