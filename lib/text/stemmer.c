/* stemmer.c - dispatch to the stemmer chosen by name. */
#include "text/stemmer.h"

#include "text/stem_id.h"
#include "util/data.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

enum kind { KIND_NONE, KIND_SNOWBALL, KIND_INDONESIAN };

struct tl_stemmer {
  enum kind kind;
  struct sb_stemmer *snowball;
  tl_idstem *idstem;
};

int tl_stemmer_create(const char *name, const char *data_dir, tl_stemmer **out, tl_error *err) {
  tl_stemmer *s;
  *out = NULL;
  s = calloc(1, sizeof *s);
  if (!s)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (strcmp(name, "none") == 0) {
    s->kind = KIND_NONE;
  } else if (strcmp(name, "snowball") == 0) {
    s->kind = KIND_SNOWBALL;
    s->snowball = sb_stemmer_new("indonesian", "UTF_8");
    if (!s->snowball) {
      free(s);
      return tl_error_set(err, TL_ERR_NOTFOUND, "libstemmer has no 'indonesian' stemmer");
    }
  } else if (strcmp(name, "indonesian") == 0) {
    int rc;
    s->kind = KIND_INDONESIAN;
    rc = tl_idstem_create(data_dir ? data_dir : tl_data_dir(), &s->idstem, err);
    if (rc != TL_OK) {
      free(s);
      return rc;
    }
  } else {
    free(s);
    return tl_error_set(err, TL_ERR_USAGE,
                        "unknown stemmer '%s' (known: indonesian, snowball, none)", name);
  }
  *out = s;
  return TL_OK;
}

const char *tl_stemmer_stem(tl_stemmer *s, const char *word, size_t len, size_t *stem_len) {
  switch (s->kind) {
  case KIND_SNOWBALL: {
    const sb_symbol *r = sb_stemmer_stem(s->snowball, (const sb_symbol *)word, (int)len);
    if (!r)
      break;
    *stem_len = (size_t)sb_stemmer_length(s->snowball);
    return (const char *)r;
  }
  case KIND_INDONESIAN: return tl_idstem_stem(s->idstem, word, len, stem_len);
  case KIND_NONE: break;
  }
  *stem_len = len;
  return word;
}

int tl_stemmer_known(tl_stemmer *s, const char *word, size_t len) {
  return s->kind == KIND_INDONESIAN && tl_idstem_known(s->idstem, word, len);
}

const char *tl_stemmer_name(const tl_stemmer *s) {
  switch (s->kind) {
  case KIND_SNOWBALL: return "snowball";
  case KIND_INDONESIAN: return "indonesian";
  case KIND_NONE: break;
  }
  return "none";
}

uint64_t tl_stemmer_lexicon_hash(const tl_stemmer *s) {
  return s->kind == KIND_INDONESIAN ? tl_idstem_lexicon_hash(s->idstem) : 0;
}

void tl_stemmer_free(tl_stemmer *s) {
  if (!s)
    return;
  if (s->snowball)
    sb_stemmer_delete(s->snowball);
  tl_idstem_free(s->idstem);
  free(s);
}
