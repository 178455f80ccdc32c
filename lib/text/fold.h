/*
 * fold.h - keyword values in the one form the index keeps and queries
 * look up: Unicode NFKC case folding (NFKC_Casefold, as the analyzer
 * normalizes words), so that "Ekonomi" and "EKONOMI" are one value.
 */
#ifndef TELUSUR_FOLD_H
#define TELUSUR_FOLD_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Folds len bytes of UTF-8 at s (NFKC_Casefold of Unicode UAX #15 and
 * UTS #46, through ICU's unorm2; invalid UTF-8 reads as U+FFFD) into *out:
 * malloc'd, NUL-terminated, the caller frees it; *out_len (if not NULL)
 * receives its length in bytes. Errors: TL_ERR_ICU, TL_ERR_NOMEM.
 */
int tl_fold(const char *s, size_t len, char **out, size_t *out_len, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
