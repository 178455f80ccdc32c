/* fold.c - NFKC case folding of keyword values. */
#include "text/fold.h"

#include <limits.h>
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int tl_fold(const char *s, size_t len, char **out, size_t *out_len, tl_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
  UChar *a = NULL, *b = NULL;
  char *r = NULL;
  int32_t na = 0, nb, nr = 0;
  *out = NULL;
  if (U_FAILURE(st))
    return tl_error_set(err, TL_ERR_ICU, "ICU: %s", u_errorName(st));
  if (len > INT32_MAX / 4)
    return tl_error_set(err, TL_ERR_LIMIT, "value of %zu bytes: too long", len);
  /* UTF-8 to UTF-16 (at most one unit per byte), fold (NFKC_Casefold grows
   * a string at most 18 times), back to UTF-8 (at most 3 bytes per unit) */
  if (!(a = malloc(((size_t)len + 1) * sizeof *a)))
    goto nomem;
  u_strFromUTF8WithSub(a, (int32_t)len + 1, &na, s, (int32_t)len, 0xFFFD, NULL, &st);
  nb = na * 18 + 1;
  if (U_FAILURE(st) || !(b = malloc((size_t)nb * sizeof *b)))
    goto fail;
  nb = unorm2_normalize(nf, a, na, b, nb, &st);
  if (U_FAILURE(st) || !(r = malloc((size_t)nb * 3 + 1)))
    goto fail;
  u_strToUTF8(r, nb * 3 + 1, &nr, b, nb, &st);
  if (U_FAILURE(st))
    goto fail;
  r[nr] = '\0';
  free(a);
  free(b);
  *out = r;
  if (out_len)
    *out_len = (size_t)nr;
  return TL_OK;
fail:
  free(a);
  free(b);
  free(r);
  if (U_FAILURE(st))
    return tl_error_set(err, TL_ERR_ICU, "ICU: %s", u_errorName(st));
nomem:
  return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
}
