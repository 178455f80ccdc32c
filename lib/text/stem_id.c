/*
 * stem_id.c - telusur's dictionary-aware Indonesian stemmer.
 *
 * Method. A word that is itself a known root is returned unchanged. Else
 * every decomposition [prefix...] ROOT [-kan|-an|-i] [-ku|-mu|-nya]
 * [-lah|-kah|-tah|-pun] allowed by the confix-stripping rules of Nazief &
 * Adriani (1996) and Enhanced Confix Stripping (Arifin, Mahendra &
 * Ciptaningtyas 2009) is generated, with the nasal of me(N)-/pe(N)-
 * restored (menulis -> tulis, mengirim -> kirim, memukul -> pukul,
 * menyapu -> sapu) and menge-/penge- allowed before one-syllable roots.
 * Only decompositions whose ROOT is in the lexicon survive; ke- inside
 * another prefix needs a suffix with it (di-ke-tahu-i) unless the root is a
 * noun of direction (ter-ke-muka), so diketuai is di-ketua-i. A word that is
 * a lexicon word plus clitics (-lah/-kah/-tah/-pun, -ku/-mu/-nya) stems as
 * that word (peluangnya as peluang), unless the decomposition's root ends
 * in the clitic's letters (menikah: nikah). Among the decompositions the
 * best is chosen by:
 *   1. licence: the hunspell-id affix flags of the root allow the prefix
 *      and suffix that were removed (hunspell-id marks, for instance, that
 *      `urus` takes pe(N)- but `kurus` does not, so pengurus -> urus);
 *      pe(N)- with -kan or -i, and pe(N)- inside di- or me(N)-, count as
 *      licensed by half at most (licence(): penumpukan -> tumpuk, dipecat
 *      -> pecat);
 *   2. the more productive root: more hunspell affix flags, a proxy for
 *      how common the root is (mengukur -> ukur, not kukur; beradu -> adu,
 *      not radu); roots from the project's own lists count as productive;
 *   3. the longer root (gerakan -> gerak, not gera);
 *   4. the fewest affixes, then rule order (suffix before prefix).
 * A word hunspell-id lists that has no affix flags (or is only a name) is
 * a weak root: a fully licensed reading still wins (kepulauan -> pulau).
 * A word no decomposition explains is read as a partial reduplication
 * when it is one (reruntuhan -> runtuh: stem_dwipurwa()), else gets the
 * conservative fallback: only the possessive -nya is removed, and only
 * when at least four letters remain (see fallback()).
 *
 * Lexicon. The root words of Debian's hunspell-id dictionary (LGPL-3),
 * /usr/share/hunspell/id_ID.dic or the file named by TELUSUR_HUNSPELL_DIC,
 * read at run time, plus the project's lists in DATA_DIR/lexicon/:
 * roots.txt (extra roots), compounds.txt (closed compounds), protected.txt
 * (words never stemmed), exceptions.txt (word -> root overrides), and the
 * gazetteer places.txt and mountains.txt (place names, kept whole but never
 * the root of another word). All of
 * them live in one string set (util/strset.h), read-only after loading,
 * whose dense ids index the array of entries.
 *
 * Cache. Each handle keeps a direct-mapped cache of recent word -> stem
 * results, so that a repeated word costs one hash and one memcmp.
 */
#include "text/stem_id.h"

#include "util/buf.h"
#include "util/data.h"
#include "util/strset.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

/** Longest word the stemmer analyses; longer words are returned as is. */
#define MAX_WORD 120
/** Longest word (and stem) kept in the per-handle cache. */
#define CACHE_WORD 46
/** Number of cache slots (a power of two). */
#define CACHE_SLOTS 32768
/** Productivity credited to roots from the project's own lists. */
#define OWN_NFLAGS 64
/** At most this many prefixes are stripped from one word. */
#define MAX_PREFIXES 3
/** At most this many prefix readings are considered per word. */
#define MAX_READINGS 96

/* What a lexicon entry is; an entry can be several at once. */
enum {
  LEX_DIC = 1,        /* a root of the hunspell dictionary */
  LEX_ROOT = 2,       /* a root from lexicon/roots.txt */
  LEX_COMPOUND = 4,   /* a closed compound from lexicon/compounds.txt */
  LEX_PROTECTED = 8,  /* never stemmed (lexicon/protected.txt) */
  LEX_EXCEPTION = 16, /* mapped by lexicon/exceptions.txt */
  LEX_PROPER = 32,    /* a capitalised hunspell entry (a name) */
  LEX_COMMON = 64,    /* a lower-case hunspell entry */
  LEX_VARIANT = 128,  /* a spelling variant (lexicon/variants.txt) */
  LEX_PLACE = 256     /* a place name of the gazetteer (places.txt, mountains.txt) */
};

/* Derivational suffixes. */
enum { SUF_NONE, SUF_KAN, SUF_AN, SUF_I };

/* Prefixes; the hunspell-id flag letter of each is in prefix_letter[]. */
enum {
  PRE_NONE,
  PRE_DI,
  PRE_KE,
  PRE_SE,
  PRE_BER,
  PRE_TER,
  PRE_PER,
  PRE_ME,
  PRE_PE,
  PRE_KU,
  PRE_KAU,
  PRE_COUNT
};

static const char prefix_letter[PRE_COUNT] = {0, 'D', 'K', 'S', 'B', 'T', 'R', 'M', 'P', 'O', 'O'};

/** One lexicon entry: what is known about the word of the same id. */
typedef struct lex_entry {
  uint32_t len;        /* length of the word in bytes */
  uint32_t kind;       /* LEX_* bits */
  uint32_t pmask;      /* hunspell prefix letters taken alone (bit L-'A') */
  uint32_t circ[4];    /* [SUF_*]: prefix letters taken with that suffix */
  uint32_t smask;      /* bit SUF_*: the suffix is taken alone */
  uint32_t nflags;     /* number of hunspell affix flags (productivity) */
  uint32_t menge;      /* takes menge-/penge- (flags MG, PN) */
  uint32_t toff, tlen; /* exceptions.txt: the root the word maps to, in targets */
  uint32_t voff, vlen; /* variants.txt: the standard spelling, in targets */
} lex_entry;

/** One slot of the per-handle stem cache. */
typedef struct cache_slot {
  uint8_t wlen, slen; /* 0 wlen: empty */
  char word[CACHE_WORD];
  char stem[CACHE_WORD];
} cache_slot;

struct tl_idstem {
  tl_strset *words;   /* every word of the lexicon */
  lex_entry *entries; /* [id of the word in words] */
  size_t cap_entries;
  tl_buf targets; /* the roots of exceptions.txt, back to back */
  cache_slot *cache;
  char out[2 * MAX_WORD + 8]; /* result of the last uncached call */
  char var[2 * MAX_WORD + 8]; /* a rewritten spelling being stemmed */
  uint64_t hash;              /* of what the lexicon files say (tl_idstem_lexicon_hash) */
};

/** A prefix reading of a word: what remains after stripping prefixes. */
typedef struct reading {
  char s[MAX_WORD + 4];
  size_t len;
  int chain[MAX_PREFIXES]; /* PRE_* from the outside in */
  int n;                   /* number of prefixes removed */
  int menge;               /* menge-/penge- used: root must be 1 syllable */
} reading;

/** A full decomposition that ended on a lexicon root. */
typedef struct candidate {
  const lex_entry *root;
  int licence, nflags, naffix, order;
  int npre;  /* prefixes removed */
  int deriv; /* SUF_* removed */
} candidate;

/* ---------------------------------------------------------------- lexicon */

/** Finds the entry for the len bytes at w, or NULL. */
static const lex_entry *lex_find(const tl_idstem *st, const char *w, size_t len) {
  size_t id;
  return tl_strset_has(st->words, w, len, &id) ? &st->entries[id] : NULL;
}

/** The word of entry e (NUL-terminated, e->len bytes). */
static const char *lex_word(const tl_idstem *st, const lex_entry *e) {
  return tl_strset_key(st->words, (size_t)(e - st->entries), NULL);
}

/**
 * Returns the entry for w, adding an empty one when it is new; NULL when
 * memory runs out.
 */
static lex_entry *lex_add(tl_idstem *st, const char *w, size_t len) {
  size_t id;
  int added;
  if (tl_array_reserve((void **)&st->entries, &st->cap_entries, tl_strset_count(st->words) + 1,
                       sizeof *st->entries) != TL_OK ||
      tl_strset_add(st->words, w, len, &id, &added) != TL_OK)
    return NULL;
  if (added) {
    memset(&st->entries[id], 0, sizeof st->entries[id]);
    st->entries[id].len = (uint32_t)len;
  }
  return &st->entries[id];
}

/** Records the hunspell-id flag string (long flags: 2 chars each) on e. */
static void lex_note_flags(lex_entry *e, const char *f, size_t n) {
  size_t i;
  for (i = 0; i + 1 < n; i += 2) {
    char a = f[i], b = f[i + 1];
    e->nflags++;
    if ((a == 'M' && b == 'G') || (a == 'P' && b == 'N'))
      e->menge = 1;
    if (a >= 'A' && a <= 'Z') {
      uint32_t bit = 1u << (a - 'A');
      if (b == 'a')
        e->circ[SUF_AN] |= bit;
      else if (b == 'k')
        e->circ[SUF_KAN] |= bit;
      else if (b == 'i')
        e->circ[SUF_I] |= bit;
      else if (!(b >= 'a' && b <= 'z'))
        e->pmask |= bit;
    } else if (b == '0') {
      if (a == 'a')
        e->smask |= 1u << SUF_AN;
      else if (a == 'k')
        e->smask |= 1u << SUF_KAN;
      else if (a == 'i')
        e->smask |= 1u << SUF_I;
    }
  }
}

/** Trims ASCII white space from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n) {
  while (*n && isspace((unsigned char)**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n && isspace((unsigned char)(*s)[*n - 1]))
    (*n)--;
}

/**
 * Reads one word list. hunspell: the file is a hunspell .dic (count line,
 * then word[/FLAGS]); else one entry a line, '#' starts a comment, and for
 * LEX_EXCEPTION a line is "word<TAB or spaces>root". Every entry gets kind.
 */
static int lex_load(tl_idstem *st, const char *path, uint32_t kind, int hunspell, tl_error *err) {
  FILE *f = fopen(path, "rb");
  char line[1024];
  int first = 1;
  if (!f) {
    if (errno == ENOENT)
      return tl_error_set(err, TL_ERR_NOTFOUND, "lexicon file missing: %s", path);
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));
  }
  /* the dictionary by its role, not its name: a copy elsewhere is the same */
  st->hash = tl_data_hash_file(st->hash, hunspell ? "hunspell" : path);
  while (fgets(line, sizeof line, f)) {
    const char *w = line, *flags = NULL, *target = NULL;
    size_t n = strlen(line), nflags = 0, ntarget = 0, i;
    char low[sizeof line];
    lex_entry *e;
    st->hash = tl_data_hash_line(st->hash, line);
    if (hunspell) {
      if (first) { /* the count line: room for that many words, and the lists after them */
        unsigned long count = strtoul(line, NULL, 10);
        size_t want = tl_strset_count(st->words) + (count < (1ul << 24) ? count : 0) + 1024;
        first = 0;
        if (tl_strset_reserve(st->words, want) != TL_OK ||
            tl_array_reserve((void **)&st->entries, &st->cap_entries, want, sizeof *st->entries) !=
                TL_OK) {
          fclose(f);
          return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        }
        continue;
      }
      for (i = 0; i < n; i++)
        if (line[i] == '/' || line[i] == '\t' || line[i] == '\n') {
          if (line[i] == '/') {
            flags = line + i + 1;
            nflags = strcspn(flags, " \t\r\n");
          }
          n = i;
          break;
        }
    } else {
      char *hash = memchr(line, '#', n);
      if (hash)
        n = (size_t)(hash - line);
    }
    trim(&w, &n);
    if (!hunspell && (kind == LEX_EXCEPTION || kind == LEX_VARIANT)) {
      for (i = 0; i < n && !isspace((unsigned char)w[i]); i++)
        ;
      target = w + i;
      ntarget = n - i;
      n = i;
      trim(&target, &ntarget);
      if (ntarget == 0 || ntarget > MAX_WORD)
        continue;
    }
    if (n == 0 || n > MAX_WORD)
      continue;
    for (i = 0; i < n; i++) /* ASCII lower case: proper nouns in the .dic */
      low[i] = (char)tolower((unsigned char)w[i]);
    e = lex_add(st, low, n);
    if (!e) {
      fclose(f);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    e->kind |= kind;
    if (hunspell && isupper((unsigned char)w[0]))
      e->kind |= LEX_PROPER;
    else if (hunspell)
      e->kind |= LEX_COMMON;
    if (flags)
      lex_note_flags(e, flags, nflags);
    if (target && kind == LEX_VARIANT) {
      e->voff = (uint32_t)st->targets.len;
      e->vlen = (uint32_t)ntarget;
      if (tl_buf_append(&st->targets, target, ntarget) != TL_OK) {
        fclose(f);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      }
    } else if (target) {
      e->toff = (uint32_t)st->targets.len;
      e->tlen = (uint32_t)ntarget;
      if (tl_buf_append(&st->targets, target, ntarget) != TL_OK) {
        fclose(f);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      }
    }
  }
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(e));
  }
  fclose(f);
  return TL_OK;
}

int tl_idstem_create(const char *data_dir, tl_idstem **out, tl_error *err) {
  static const struct {
    const char *name;
    uint32_t kind;
  } lists[] = {{"roots.txt", LEX_ROOT},          {"compounds.txt", LEX_COMPOUND},
               {"protected.txt", LEX_PROTECTED}, {"exceptions.txt", LEX_EXCEPTION},
               {"variants.txt", LEX_VARIANT},    {"places.txt", LEX_PLACE},
               {"mountains.txt", LEX_PLACE}};
  const char *dic = getenv("TELUSUR_HUNSPELL_DIC");
  tl_idstem *st;
  char path[4096];
  size_t i;
  int rc;
  *out = NULL;
  if (!data_dir)
    return tl_error_set(err, TL_ERR_USAGE, "no data directory given");
  st = calloc(1, sizeof *st);
  if (!st || tl_strset_create(&st->words) != TL_OK) {
    tl_idstem_free(st);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (!dic || !*dic)
    dic = "/usr/share/hunspell/id_ID.dic";
  rc = lex_load(st, dic, LEX_DIC, 1, err);
  for (i = 0; rc == TL_OK && i < sizeof lists / sizeof lists[0]; i++) {
    snprintf(path, sizeof path, "%s/lexicon/%s", data_dir, lists[i].name);
    rc = lex_load(st, path, lists[i].kind, 0, err);
  }
  if (rc == TL_OK) {
    st->cache = calloc(CACHE_SLOTS, sizeof *st->cache);
    if (!st->cache)
      rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (rc != TL_OK) {
    tl_idstem_free(st);
    return rc;
  }
  *out = st;
  return TL_OK;
}

uint64_t tl_idstem_lexicon_hash(const tl_idstem *s) {
  return s->hash;
}

void tl_idstem_free(tl_idstem *s) {
  if (!s)
    return;
  tl_strset_free(s->words);
  free(s->entries);
  tl_buf_free(&s->targets);
  free(s->cache);
  free(s);
}

/* --------------------------------------------------------------- analysis */

/** True for the ASCII vowels a, e, i, o, u. */
static int is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/** Number of syllables in [s, s + n): its vowels, a diphthong (ai, au, ei,
 * oi) counted once; other vowels side by side are two (tu-a, bu-ah). */
static int syllables(const char *s, size_t n) {
  int k = 0;
  size_t i;
  for (i = 0; i < n; i++)
    if (is_vowel(s[i]) && !(i > 0 && ((s[i - 1] == 'a' && (s[i] == 'i' || s[i] == 'u')) ||
                                      ((s[i - 1] == 'e' || s[i - 1] == 'o') && s[i] == 'i'))))
      k++;
  return k;
}

/** True when [s, s + n) starts with the NUL-terminated p. */
static int starts(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && memcmp(s, p, k) == 0;
}

/** True when [s, s + n) ends with the NUL-terminated p. */
static int ends(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && memcmp(s + n - k, p, k) == 0;
}

/** Prefix readings collected for one word. */
typedef struct readings {
  reading r[MAX_READINGS];
  int n;
} readings;

/**
 * Adds the reading "restore + rest" reached from parent by removing prefix
 * `pre`. Residues shorter than 3 bytes are not kept.
 */
static void add_reading(readings *rs, const reading *parent, int pre, const char *restore,
                        const char *rest, size_t nrest, int menge) {
  reading *r;
  size_t nr = strlen(restore);
  int i;
  if (rs->n == MAX_READINGS || nr + nrest < 3 || nr + nrest > MAX_WORD)
    return;
  for (i = 0; i < parent->n; i++)
    if (parent->chain[i] == pre)
      return; /* the same prefix twice */
  r = &rs->r[rs->n];
  memcpy(r->s, restore, nr);
  memcpy(r->s + nr, rest, nrest);
  r->len = nr + nrest;
  r->s[r->len] = '\0';
  memcpy(r->chain, parent->chain, sizeof r->chain);
  r->chain[parent->n] = pre;
  for (i = 0; i < rs->n; i++) /* the same residue by the same route */
    if (rs->r[i].len == r->len && memcmp(rs->r[i].s, r->s, r->len) == 0 &&
        rs->r[i].n == parent->n + 1 && memcmp(rs->r[i].chain, r->chain, sizeof r->chain) == 0)
      return;
  r->n = parent->n + 1;
  r->menge = menge || parent->menge;
  rs->n++;
}

/**
 * The nasal prefixes me(N)- and pe(N)-: w starts with "me" or "pe" (head),
 * the rest is [s, s + n) after those two letters.
 */
static void nasal_readings(readings *rs, const reading *p, int pre, const char *s, size_t n) {
  if (n < 2)
    return;
  if (starts(s, n, "nge") && n > 4 && !is_vowel(s[3]))
    add_reading(rs, p, pre, "", s + 3, n - 3, 1); /* menge-bom */
  if (starts(s, n, "ng")) {
    if (n > 2 && is_vowel(s[2]))
      add_reading(rs, p, pre, "k", s + 2, n - 2, 0); /* mengirim */
    add_reading(rs, p, pre, "", s + 2, n - 2, 0);    /* mengambil, mengganti */
    return;
  }
  if (starts(s, n, "ny") && n > 2 && is_vowel(s[2])) {
    add_reading(rs, p, pre, "s", s + 2, n - 2, 0);  /* menyapu */
    add_reading(rs, p, pre, "sy", s + 2, n - 2, 0); /* penyair -> syair */
    add_reading(rs, p, pre, "", s, n, 0);           /* menyanyi */
    return;
  }
  if (s[0] == 'n') {
    if (is_vowel(s[1])) {
      add_reading(rs, p, pre, "t", s + 1, n - 1, 0); /* menulis */
      add_reading(rs, p, pre, "", s, n, 0);          /* menanti */
    } else {
      add_reading(rs, p, pre, "", s + 1, n - 1, 0); /* mendengar */
    }
    return;
  }
  if (s[0] == 'm') {
    if (is_vowel(s[1]) || s[1] == 'r') {
      add_reading(rs, p, pre, "", s, n, 0);          /* memakan */
      add_reading(rs, p, pre, "p", s + 1, n - 1, 0); /* memukul, pemrograman */
    }
    if (!is_vowel(s[1]))
      add_reading(rs, p, pre, "", s + 1, n - 1, 0); /* membaca, memproses */
    return;
  }
  /* me- keeps no nasal only before l, r, w, y (melihat, merawat, mewarnai,
   * meyakini): megawati is no me-gawat-i; pe- before any (pekerja) */
  if (pre == PRE_PE || (s[0] && strchr("lrwy", s[0])))
    add_reading(rs, p, pre, "", s, n, 0); /* melihat, merawat, pekerja */
}

/** Adds every reading one prefix further in than parent rs->r[idx]. */
static void strip_one_prefix(readings *rs, int idx) {
  reading p = rs->r[idx];
  const char *s = p.s;
  size_t n = p.len;
  if (n < 5 || p.n >= MAX_PREFIXES)
    return;
  if (starts(s, n, "di"))
    add_reading(rs, &p, PRE_DI, "", s + 2, n - 2, 0);
  if (starts(s, n, "ke"))
    add_reading(rs, &p, PRE_KE, "", s + 2, n - 2, 0);
  if (starts(s, n, "se"))
    add_reading(rs, &p, PRE_SE, "", s + 2, n - 2, 0);
  if (p.n == 0 && starts(s, n, "kau"))
    add_reading(rs, &p, PRE_KAU, "", s + 3, n - 3, 0);
  else if (p.n == 0 && starts(s, n, "ku"))
    add_reading(rs, &p, PRE_KU, "", s + 2, n - 2, 0);
  if (starts(s, n, "be")) {
    if (starts(s, n, "ber"))
      add_reading(rs, &p, PRE_BER, "", s + 3, n - 3, 0);
    if (starts(s, n, "bel") && starts(s + 3, n - 3, "ajar"))
      add_reading(rs, &p, PRE_BER, "", s + 3, n - 3, 0); /* belajar */
    if (n > 5 && (s[2] == 'r' || (s[3] == 'e' && s[4] == 'r')))
      add_reading(rs, &p, PRE_BER, "", s + 2, n - 2, 0); /* berumah, bekerja */
  }
  if (starts(s, n, "te")) {
    if (starts(s, n, "ter"))
      add_reading(rs, &p, PRE_TER, "", s + 3, n - 3, 0);
    if (n > 5 && (s[2] == 'r' || (s[3] == 'e' && s[4] == 'r')))
      add_reading(rs, &p, PRE_TER, "", s + 2, n - 2, 0); /* terasa */
  }
  if (starts(s, n, "pe")) {
    if (starts(s, n, "per"))
      add_reading(rs, &p, PRE_PER, "", s + 3, n - 3, 0);
    if (starts(s, n, "pel") && starts(s + 3, n - 3, "ajar"))
      add_reading(rs, &p, PRE_PER, "", s + 3, n - 3, 0); /* pelajar */
    if (n > 3 && s[2] == 'r')
      add_reading(rs, &p, PRE_PER, "", s + 2, n - 2, 0); /* perancang */
    nasal_readings(rs, &p, PRE_PE, s + 2, n - 2);
  }
  if (starts(s, n, "me"))
    nasal_readings(rs, &p, PRE_ME, s + 2, n - 2);
}

/** ECS: prefix/suffix pairs that never form a confix. */
static int bad_confix(int pre, int suf) {
  switch (pre) {
  case PRE_BER: return suf == SUF_I;
  case PRE_DI: return suf == SUF_AN;
  case PRE_KE: return suf == SUF_I || suf == SUF_KAN;
  case PRE_ME: return suf == SUF_AN;
  case PRE_SE: return suf == SUF_I || suf == SUF_KAN;
  case PRE_TER: return suf == SUF_AN;
  default: return 0;
  }
}

/**
 * Licence of a decomposition by the root's hunspell-id flags: 2 when the
 * flags allow the innermost prefix together with the suffix, 1 when they
 * allow one of them, 0 when they allow neither. Roots from the project's
 * own lists (no flags) count as licensed.
 */
static int flag_licence(const lex_entry *e, const reading *r, int suf) {
  int pre = r->n ? r->chain[r->n - 1] : PRE_NONE;
  int outer = r->n ? r->chain[0] : PRE_NONE;
  uint32_t bit, obit;
  int need, got;
  if (e->kind & (LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT))
    return 2; /* the project's own lists carry no flags */
  if (pre == PRE_NONE && suf == SUF_NONE)
    return 2;
  if (r->menge)
    return e->menge ? 3 : 0;
  bit = pre == PRE_NONE ? 0 : 1u << (prefix_letter[pre] - 'A');
  obit = outer == PRE_NONE ? 0 : 1u << (prefix_letter[outer] - 'A');
  if (pre != PRE_NONE && suf != SUF_NONE && (e->circ[suf] & (bit | obit)))
    return 2;
  need = (pre != PRE_NONE) + (suf != SUF_NONE);
  got = (pre != PRE_NONE && (e->pmask & (bit | obit))) +
        (suf != SUF_NONE && ((e->smask & (1u << suf)) || e->circ[suf]));
  return got == need ? 2 : got > 0 ? 1 : 0;
}

/**
 * The licence of a decomposition (flag_licence), at most 1 for what
 * Indonesian does not form though the flags may allow it: peN- makes nouns,
 * with -an, so peN-...-kan and -i are misspellings (penyampaikan; the
 * doubled k of penegakkan, read as tegak, is the rule's) and rank below a
 * reading with -an (penumpukan is tumpuk, not tumpu); nor do verbs take
 * peN- inside di- or meN- (mempekerjakan's pe- is per-'s): dipecat and
 * memecat are pecat, not cat.
 */
static int licence(const lex_entry *e, const reading *r, int suf) {
  int got = flag_licence(e, r, suf), outer = r->n ? r->chain[0] : PRE_NONE;
  int misspelt = outer == PRE_PE && (suf == SUF_I || (suf == SUF_KAN && r->s[e->len - 1] != 'k'));
  int nested = (outer == PRE_DI || outer == PRE_ME) && r->n > 1 && r->chain[1] == PRE_PE;
  return (misspelt || nested) && got > 1 ? 1 : got;
}

/** Whether e may be the root of a verb that the proclitics ku-, kau- take:
 * its hunspell-id flags allow di-, meN- or ku-, alone or with a suffix
 * (lihat, harap, kerja), or one of the project's lists vouches for it. */
static int verb_root(const lex_entry *e) {
  uint32_t verb = (1u << ('D' - 'A')) | (1u << ('M' - 'A')) | (1u << ('O' - 'A'));
  return (e->kind & (LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT)) ||
         ((e->pmask | e->circ[0] | e->circ[1] | e->circ[2] | e->circ[3]) & verb);
}

/** True when cand a is better than cand b. */
static int better(const candidate *a, const candidate *b) {
  if (a->licence != b->licence)
    return a->licence > b->licence;
  if (a->nflags != b->nflags)
    return a->nflags > b->nflags;
  if (a->root->len != b->root->len)
    return a->root->len > b->root->len;
  if (a->naffix != b->naffix)
    return a->naffix < b->naffix;
  return a->order < b->order;
}

/**
 * True when e is a hunspell-id word without affix flags that none of the
 * project's lists vouches for: such a word may be a derived form listed
 * whole (sebelah), and is only kept when no licensed analysis exists.
 */
static int weak_root(const lex_entry *e) {
  uint32_t own = LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT;
  return !(e->kind & own) && (e->nflags == 0 || !(e->kind & LEX_COMMON));
}

/** True when e may serve as the root of a decomposition. */
static int usable_root(const lex_entry *e) {
  return e && e->len >= 2 &&
         (e->kind & (LEX_DIC | LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT));
}

/**
 * True when r removed ke- inside another prefix, from a root of n bytes
 * that is not a noun of direction: such a ke- forms a confix with a suffix
 * (di-ke-tahu-i, ber-ke-lanjut-an, di-ke-temu-kan), never alone (diketuai
 * is di-ketua-i, not di-ke-tuai; berkerangka is ber-kerangka); only "ke"
 * with a noun of direction is a word that takes prefixes on its own
 * (ke muka: terkemuka, mengemuka; ke depan: mengedepan).
 */
static int inner_ke(const reading *r, size_t n) {
  static const char *const direction[] = {"muka", "depan", "belakang", "tengah", "samping",
                                          "atas", "bawah", "dalam",    "luar",   "pinggir"};
  size_t k;
  int i;
  for (i = 1; i < r->n && r->chain[i] != PRE_KE; i++)
    ;
  if (i >= r->n)
    return 0;
  for (k = 0; k < sizeof direction / sizeof *direction; k++)
    if (strlen(direction[k]) == n && memcmp(r->s, direction[k], n) == 0)
      return 0;
  return 1;
}

/* The clitics: particles and possessives, each after "" (none). */
static const char *const particles[] = {"", "lah", "kah", "tah", "pun"};
static const char *const possessives[] = {"", "ku", "mu", "nya"};
#define NPARTICLES (sizeof particles / sizeof *particles)
#define NPOSSESSIVES (sizeof possessives / sizeof *possessives)

/**
 * Tries every suffix reading of prefix reading r; keeps the best candidate
 * in *best (best->root NULL when none yet).
 */
static void try_suffixes(const tl_idstem *st, const reading *r, candidate *best, int *order) {
  static const struct {
    const char *s;
    int suf;
  } derivs[] = {{"", SUF_NONE}, {"kan", SUF_KAN}, {"an", SUF_AN}, {"i", SUF_I}};
  size_t a, b, c;
  int pre_out = r->n ? r->chain[0] : PRE_NONE;
  for (a = 0; a < NPARTICLES; a++) {
    size_t n1;
    if (!ends(r->s, r->len, particles[a]))
      continue;
    n1 = r->len - strlen(particles[a]);
    for (b = 0; b < NPOSSESSIVES; b++) {
      size_t n2;
      if (!ends(r->s, n1, possessives[b]))
        continue;
      n2 = n1 - strlen(possessives[b]);
      for (c = 0; c < 4; c++) {
        size_t n3;
        const lex_entry *e;
        candidate cand;
        if (!ends(r->s, n2, derivs[c].s))
          continue;
        n3 = n2 - strlen(derivs[c].s);
        if (n3 < 2 || bad_confix(pre_out, derivs[c].suf) ||
            (derivs[c].suf == SUF_NONE && inner_ke(r, n3)))
          continue;
        if (r->menge && syllables(r->s, n3) != 1)
          continue;
        e = lex_find(st, r->s, n3);
        if (!usable_root(e))
          continue;
        if (n3 < 3)
          continue;
        cand.root = e;
        cand.licence = licence(e, r, derivs[c].suf);
        if (r->n && (r->chain[0] == PRE_KU || r->chain[0] == PRE_KAU) && !verb_root(e))
          continue; /* ku-, kau- take verbs: kulihat, kuharap; not kukang, kusumo */
        if (cand.licence == 0 && r->n == 0 && e->nflags == 0 && (e->kind & LEX_DIC) &&
            !(e->kind & LEX_ROOT) && !(derivs[c].suf == SUF_KAN && n3 >= 5))
          continue; /* asean is not ase-an: ase takes no suffix */
        cand.nflags = (e->kind & (LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT))
                          ? OWN_NFLAGS
                          : (int)e->nflags;
        cand.naffix = r->n + (a > 0) + (b > 0) + (c > 0);
        cand.order = (*order)++;
        cand.npre = r->n;
        cand.deriv = derivs[c].suf;
        if (!best->root || better(&cand, best))
          *best = cand;
      }
    }
  }
}

/**
 * Conservative fallback for a word no decomposition explains (mostly
 * names and loanwords the lexicon lacks): removes only the possessive
 * -nya (syutingnya -> syuting), and only when 4+ bytes remain. Measured on
 * the Snowball vocabulary with the Sastrawi list as oracle, stripping -nya
 * turned 39 words into known roots and no known root into a non-root;
 * stripping also -ku/-mu/-lah hurt names (bunraku, rifatullah), and
 * stripping di-/me(N)-/ber-/ter- and -kan/-i made 19 roots but broke far
 * more names than it fixed (terompet, padepokan, meerkat).
 */
static size_t fallback(const char *w, size_t n) {
  if (n >= 7 && ends(w, n, "nya"))
    return n - 3;
  return n;
}

/**
 * The length of w without its clitics (a particle -lah/-kah/-tah/-pun
 * and/or a possessive -ku/-mu/-nya) when what remains, 4 bytes or more, is
 * a word of the lexicon; else n. Clitics never change a word's root, so a
 * word with them stems as the word alone: peluangnya as peluang (a root),
 * not pe-luang-nya.
 */
static size_t clitic_host(const tl_idstem *st, const char *w, size_t n) {
  size_t a, b, m = n;
  for (a = 1; a < NPARTICLES && m == n; a++)
    if (ends(w, n, particles[a]))
      m = n - strlen(particles[a]);
  for (b = 1; b < NPOSSESSIVES; b++)
    if (ends(w, m, possessives[b])) {
      size_t k = m - strlen(possessives[b]);
      if (k >= 4 && lex_find(st, w, k))
        return k;
      break;
    }
  /* a particle after a place name alone is rather the end of a name
   * (Delilah, not Deli-lah) */
  if (m < n && m >= 4) {
    const lex_entry *e = lex_find(st, w, m);
    if (e && e->kind != LEX_PLACE)
      return m;
  }
  return n;
}

/**
 * stem_simple() for a word w[0..n) whose lexicon entry is e (NULL: none),
 * its clitics left as they are.
 */
static const char *stem_decomposed(const tl_idstem *st, const char *w, size_t n, const lex_entry *e,
                                   size_t *out_len) {
  readings *rs;
  candidate best;
  int i, order = 0;
  if (e && (e->kind & LEX_EXCEPTION)) {
    *out_len = e->tlen;
    return st->targets.data + e->toff;
  }
  if (e && (!weak_root(e) || (e->kind & LEX_PLACE))) {
    *out_len = n;
    return w; /* a root, a compound, a protected word or a place name */
  }
  if (n < 4 || n > MAX_WORD) {
    *out_len = n;
    return w;
  }
  rs = malloc(sizeof *rs);
  if (!rs) {
    *out_len = n;
    return w;
  }
  rs->n = 1;
  memcpy(rs->r[0].s, w, n);
  rs->r[0].s[n] = '\0';
  rs->r[0].len = n;
  rs->r[0].n = 0;
  rs->r[0].menge = 0;
  for (i = 0; i < rs->n; i++)
    strip_one_prefix(rs, i);
  memset(&best, 0, sizeof best);
  for (i = 0; i < rs->n; i++)
    try_suffixes(st, &rs->r[i], &best, &order);
  free(rs);
  if (e && !(best.root && best.licence >= 2 && best.nflags >= 3 &&
             (!(e->kind & LEX_COMMON) ||
              (best.npre == 0 && (best.deriv == SUF_NONE || best.deriv == SUF_KAN))))) {
    *out_len = n;
    return w;
  }
  if (best.root && (best.root->kind & LEX_EXCEPTION)) {
    *out_len = best.root->tlen; /* pelajaran -> pelajar -> ajar */
    return st->targets.data + best.root->toff;
  }
  if (best.root) {
    *out_len = best.root->len;
    return lex_word(st, best.root);
  }
  *out_len = fallback(w, n);
  return w;
}

/**
 * Stems a word without hyphens. Returns a pointer to the stem bytes (the
 * word itself, the lexicon, or buf) and sets *out_len.
 */
static const char *stem_simple(const tl_idstem *st, const char *w, size_t n, size_t *out_len) {
  const lex_entry *e = lex_find(st, w, n);
  size_t host = e ? n : clitic_host(st, w, n);
  if (host < n) {
    /* peluangnya as peluang; but the root of a decomposition may end in
     * the clitic's letters (menikah: me-nikah, not meni-kah) */
    const char *r = stem_decomposed(st, w, n, e, out_len);
    if (r != w && *out_len >= n - host &&
        memcmp(r + *out_len - (n - host), w + host, n - host) == 0)
      return r;
    return stem_simple(st, w, host, out_len);
  }
  return stem_decomposed(st, w, n, e, out_len);
}

/**
 * The negated confix ke-tidak-...-an (ketidakjelasan -> jelas,
 * ketidakberdayaan -> daya): stems what lies between "ketidak" and "-an"
 * (and a final -nya) when the lexicon knows the result; NULL otherwise.
 */
static const char *stem_ketidak(const tl_idstem *st, const char *w, size_t n, size_t *out_len) {
  size_t k = strlen("ketidak"), m;
  const char *r;
  if (n > 7 + 3 && ends(w, n, "nya"))
    n -= 3;
  if (n < k + 5 || !starts(w, n, "ketidak") || !ends(w, n, "an"))
    return NULL;
  m = n - k - 2;
  r = stem_simple(st, w + k, m, out_len);
  return usable_root(lex_find(st, r, *out_len)) ? r : NULL;
}

/*
 * Partial reduplication (Sneddon, Indonesian: A Comprehensive Grammar,
 * 2.4.3): the first consonant copied with e before the word, mostly with
 * -an, for a collective (dedaunan, rerumputan, reruntuhan, jejaring).
 * Stems the word after the copy when that gives a root of the lexicon, for
 * a word of 7 bytes or more that is no lexicon word (tetangga, pepatah and
 * leluhur are, and so are some collectives: dedaunan) and not after m
 * (mem- is meN-); NULL otherwise. The caller takes it only where no other
 * reading explains the word (pepohonan is pohon either way).
 */
static const char *stem_dwipurwa(const tl_idstem *st, const char *w, size_t n, size_t *out_len) {
  const lex_entry *e = lex_find(st, w, n);
  const char *r;
  if (n < 7 || is_vowel(w[0]) || w[0] == 'm' || w[1] != 'e' || w[2] != w[0] || e)
    return NULL;
  r = stem_simple(st, w + 2, n - 2, out_len);
  return usable_root(lex_find(st, r, *out_len)) ? r : NULL;
}

int tl_idstem_is_clitic(const char *s, size_t n) {
  static const char *const c[] = {"nya", "ku", "mu", "lah", "kah", "pun"};
  size_t i;
  for (i = 0; i < sizeof c / sizeof c[0]; i++)
    if (strlen(c[i]) == n && strncasecmp(s, c[i], n) == 0)
      return 1;
  return 0;
}

/** True when [s, s + n) is a prefix written before a hyphen ("di-phk"). */
static int is_hyphen_prefix(const char *s, size_t n) {
  static const char *const c[] = {"di",   "ke",  "se",  "ber", "ter", "per", "me",  "pe", "meng",
                                  "peng", "mem", "pem", "men", "pen", "ku",  "kau", "be", "te"};
  size_t i;
  for (i = 0; i < sizeof c / sizeof c[0]; i++)
    if (strlen(c[i]) == n && memcmp(s, c[i], n) == 0)
      return 1;
  return 0;
}

/** The number of consonants [s, s + n) begins with (s not NUL-terminated). */
static size_t lead_consonants(const char *s, size_t n) {
  size_t k = 0;
  while (k < n && s[k] && strchr("bcdfghjklmnpqrstvwxyz", s[k]))
    k++;
  return k;
}

/** True when e is a root the lexicon knows (not only a fallback). */
static int known(const tl_idstem *st, const char *s, size_t n) {
  return usable_root(lex_find(st, s, n));
}

/* The consonants of [s, s + n) in order, into c (capacity cap); their
 * number. With vowels set, the vowels instead. */
static size_t letters_of(const char *s, size_t n, int vowels, char *c, size_t cap) {
  size_t i, k = 0;
  for (i = 0; i < n && k < cap; i++)
    if ((strchr("aeiou", s[i]) != NULL) == (vowels != 0))
      c[k++] = s[i];
  return k;
}

/* Whether the second part of a hyphenated word echoes the first, as a
 * partial or sound-changed reduplication does (Sneddon, Indonesian: A
 * Comprehensive Grammar, 2.4 and 2.5): the same word but its first
 * consonants (sayur-mayur, lauk-pauk), the same consonants in order
 * (bolak-balik, mondar-mandir), the same vowels, length and ending
 * (gotong-royong, hiruk-pikuk), an ending of four letters or more shared
 * by words of one length or with be- (tunggang-langgang, terang-benderang;
 * not Afrika-Amerika), the second the first with a suffix (besar-besaran),
 * the first an affixed form of what the second begins with
 * (meniru-nirukan, keabu-abuan) or the second with an infix (jari-jemari).
 * A compound of two words (tanah-longsor, ekspor-impor, Indonesia-Malaysia)
 * does not. x and y are nx and ny bytes, not NUL-terminated. */
static int echoes(const char *x, size_t nx, const char *y, size_t ny) {
  char cx[64], cy[64];
  size_t i, kx, ky, sx = lead_consonants(x, nx), sy = lead_consonants(y, ny), end = 0;
  if (sx < nx && sy < ny && nx - sx == ny - sy && memcmp(x + sx, y + sy, nx - sx) == 0)
    return 1;
  kx = letters_of(x, nx, 0, cx, sizeof cx);
  ky = letters_of(y, ny, 0, cy, sizeof cy);
  if (kx > 1 && kx == ky && memcmp(cx, cy, kx) == 0)
    return 1;
  if (ny > nx && memcmp(x, y, nx) == 0) /* besar-besaran */
    return 1;
  while (end < nx && end < ny && x[nx - 1 - end] == y[ny - 1 - end])
    end++;
  if (end >= 4 && end < nx && (nx == ny || (ny > nx && y[0] == 'b' && y[1] == 'e')))
    return 1;
  kx = letters_of(x, nx, 1, cx, sizeof cx);
  ky = letters_of(y, ny, 1, cy, sizeof cy);
  if (nx == ny && end >= 2 && kx > 1 && kx == ky && memcmp(cx, cy, kx) == 0)
    return 1;
  for (i = 1; i + 2 <= nx && i <= 4; i++) /* x a prefix and what y begins with */
    if (is_hyphen_prefix(x, i) && nx - i <= ny && memcmp(x + i, y, nx - i) == 0)
      return 1;
  /* y is x with an infix -em-, -el-, -er- after its first letter */
  return nx > 1 && ny >= nx + 2 && y[0] == x[0] && y[1] == 'e' && strchr("mlr", y[2]) &&
         memcmp(y + 3, x + 1, nx - 1) == 0;
}

/*
 * The base b of an affixed reduplication x-y whose base the lexicon holds
 * only reduplicated, b-b (iming-iming, wanti-wanti): x is a prefix and b,
 * y is b and a suffix (mengiming-imingi, diiming-imingi, mewanti-wanti,
 * ketidakhati-hatian). Returns the length of b (the start of y), or 0.
 * buf: room for 2 * MAX_WORD + 8 bytes.
 */
static size_t redup_base(const tl_idstem *st, const char *x, size_t nx, const char *y, size_t ny,
                         char *buf) {
  static const char *const prefixes[] = {"me",  "meng", "mem", "men", "meny",   "di",
                                         "ber", "ter",  "se",  "ke",  "ketidak"};
  static const char *const suffixes[] = {"", "i", "kan", "an"};
  size_t a, b;
  for (a = 0; a < sizeof suffixes / sizeof *suffixes; a++) {
    size_t m = ny - strlen(suffixes[a]);
    if (!ends(y, ny, suffixes[a]) || m < 3 || m >= nx || 2 * m + 1 > MAX_WORD ||
        memcmp(x + nx - m, y, m) != 0)
      continue;
    for (b = 0; b < sizeof prefixes / sizeof *prefixes; b++)
      if (strlen(prefixes[b]) == nx - m && memcmp(x, prefixes[b], nx - m) == 0)
        break;
    if (b == sizeof prefixes / sizeof *prefixes)
      continue;
    snprintf(buf, 2 * MAX_WORD + 8, "%.*s-%.*s", (int)m, y, (int)m, y);
    if (lex_find(st, buf, 2 * m + 1))
      return m;
  }
  return 0;
}

/**
 * Stems a hyphenated word: reduplication (negara-negara, bersama-sama,
 * sebaik-baiknya, meniru-nirukan) or a hyphenated prefix (di-phk).
 * Writes into buf (capacity 2 * MAX_WORD + 8).
 */
static const char *stem_hyphen(const tl_idstem *st, const char *w, size_t n, size_t *out_len,
                               char *buf) {
  const char *h = memchr(w, '-', n);
  const char *x = w, *y = h + 1, *sx, *sy;
  size_t nx = (size_t)(h - w), ny = n - nx - 1, lx, ly;
  const char *h2 = memchr(y, '-', ny);
  const lex_entry *e = lex_find(st, w, n);
  if (e && (e->kind & (LEX_PROTECTED | LEX_EXCEPTION | LEX_COMPOUND))) {
    if (e->kind & LEX_EXCEPTION) {
      *out_len = e->tlen;
      return st->targets.data + e->toff;
    }
    *out_len = n;
    return w;
  }
  if (h2 && tl_idstem_is_clitic(h2 + 1, (size_t)(w + n - h2 - 1)))
    ny = (size_t)(h2 - y); /* malaikat-malaikat-nya */
  else if (h2) {           /* three or more parts: leave as is */
    *out_len = n;
    return w;
  }
  if (nx == 0 || ny == 0) {
    *out_len = n;
    return w;
  }
  if (tl_idstem_is_clitic(y, ny))
    return stem_simple(st, x, nx, out_len);
  if (is_hyphen_prefix(x, nx)) /* di-phk */
    return stem_simple(st, y, ny, out_len);
  if (nx + ny <= MAX_WORD) { /* kerja-sama -> kerjasama if closed compound */
    const lex_entry *c;
    memcpy(buf, x, nx);
    memcpy(buf + nx, y, ny);
    c = lex_find(st, buf, nx + ny);
    if (c && (c->kind & LEX_COMPOUND)) {
      *out_len = nx + ny;
      return buf;
    }
  }
  sx = stem_simple(st, x, nx, &lx);
  /* sx may point into buf only if it is x or the lexicon: both stable */
  sy = stem_simple(st, y, ny, &ly);
  if (lx == ly && memcmp(sx, sy, lx) == 0) { /* negara-negara, anak-anaknya */
    *out_len = lx;
    return sx;
  }
  if (ny < nx && memcmp(x + nx - ny, y, ny) == 0 && known(st, sy, ly)) {
    *out_len = ly; /* bersama-sama */
    return sy;
  }
  if (known(st, sx, lx) && (echoes(x, nx, y, ny) || echoes(sx, lx, y, ny) ||
                            echoes(x, nx, sy, ly) || echoes(sx, lx, sy, ly))) {
    /* meniru-nirukan, sayur-mayur, dibolak-balik, sayur-mayurnya */
    *out_len = lx;
    return sx;
  }
  if (e) { /* the whole form is a dictionary word (kupu-kupu) */
    *out_len = n;
    return w;
  }
  if (known(st, sy, ly) && (echoes(x, nx, y, ny) || echoes(x, nx, sy, ly))) { /* sebaik-baiknya */
    *out_len = ly;
    return sy;
  }
  if ((ly = redup_base(st, x, nx, y, ny, buf)) > 0) { /* mengiming-imingi */
    *out_len = ly;
    return y;
  }
  *out_len = n;
  return w;
}

/** Stems a word without looking at spelling variants. */
static const char *stem_word(tl_idstem *s, const char *word, size_t len, size_t *rl) {
  const char *r;
  if (memchr(word, '-', len))
    return stem_hyphen(s, word, len, rl, s->out);
  if ((r = stem_ketidak(s, word, len, rl)))
    return r;
  r = stem_simple(s, word, len, rl);
  if (!usable_root(lex_find(s, r, *rl))) {
    size_t dl;
    const char *d = stem_dwipurwa(s, word, len, &dl);
    if (d) {
      *rl = dl;
      return d;
    }
  }
  return r;
}

/**
 * Writes into out (capacity cap) the word [w, w + n) with every `from`
 * replaced by `to`; returns the new length, or 0 when nothing was
 * replaced or the result does not fit.
 */
static size_t replace_all(const char *w, size_t n, const char *from, const char *to, char *out,
                          size_t cap) {
  size_t i = 0, o = 0, nf = strlen(from), nt = strlen(to);
  int any = 0;
  while (i < n) {
    if (i + nf <= n && memcmp(w + i, from, nf) == 0) {
      if (o + nt >= cap)
        return 0;
      memcpy(out + o, to, nt);
      o += nt;
      i += nf;
      any = 1;
    } else {
      if (o + 1 >= cap)
        return 0;
      out[o++] = w[i++];
    }
  }
  out[o] = '\0';
  return any ? o : 0;
}

/** True when the stem [r, r + rl) explains the word it is the stem of: a
 * root of the lexicon or an exception's. */
static int explaining_stem(tl_idstem *s, const char *r, size_t rl) {
  const lex_entry *e = lex_find(s, r, rl);
  return e && (usable_root(e) || (e->kind & LEX_EXCEPTION));
}

/** True when [w, w + n) is a word the lexicon knows or explains. */
static int explained(tl_idstem *s, const char *w, size_t n) {
  size_t rl;
  const char *r = stem_word(s, w, n, &rl);
  return explaining_stem(s, r, rl);
}

/* Loan endings that come in two forms, the first the one kept when the
 * lexicon explains neither (Pedoman Umum Pembentukan Istilah, 3rd ed.,
 * Pusat Bahasa, 2007, on adapting affixes):
 *  - English -ical -> -is beside the noun in -i: geomorfologis,
 *    geomorfologi;
 *  - -sis beside -tis after a, e or o: homeostasis, homeostatis (not the
 *    -itis of medicine);
 *  - -ic / -ics -> -ik / -ika: genetik, genetika;
 *  - Latin -vora beside -vor: herbivora, herbivor (a word in -vor takes
 *    -vora only where the lexicon knows that form: survivor stays). */
static const char *const loan_endings[][2] = {
    {"logi", "logis"},   {"grafi", "grafis"}, {"nomi", "nomis"}, {"sofi", "sofis"},
    {"metri", "metris"}, {"asis", "atis"},    {"esis", "etis"},  {"osis", "otis"},
    {"tik", "tika"},     {"nik", "nika"},     {"vor", "vora"}};

/*
 * The other form of a word of 7 bytes or more with a loan ending
 * (loan_endings) that the lexicon does not explain, into out (cap bytes,
 * NUL-terminated): the other form when the lexicon explains it, else the
 * first form of the pair. Returns its length, 0 when w has no such ending
 * or is itself the form kept.
 */
static size_t loan_form(tl_idstem *s, const char *w, size_t n, char *out, size_t cap) {
  size_t r, k;
  if (n < 7)
    return 0;
  for (r = 0; r < sizeof loan_endings / sizeof *loan_endings; r++)
    for (k = 0; k < 2; k++) {
      const char *e = loan_endings[r][k], *o = loan_endings[r][1 - k];
      size_t el = strlen(e), ol = strlen(o), base = n - el;
      if (!ends(w, n, e) || base < 4 || base + ol + 1 > cap)
        continue;
      /* the lexicon asked only for a word with a loan ending */
      if (explained(s, w, n))
        return 0;
      memcpy(out, w, base);
      memcpy(out + base, o, ol);
      out[base + ol] = '\0';
      return k == 1 || explained(s, out, base + ol) ? base + ol : 0;
    }
  return 0;
}

/* Letters of a loan spelt in two ways: the second written for the first
 * (KBBI lists such forms as non-standard beside their lemma: fitamin,
 * fariasi, hapal and persi for vitamin, variasi, hafal and versi; kwartal,
 * kharisma, ramadhan, ijin, rejeki for kuartal, karisma, ramadan, izin,
 * rezeki). Each is tried at one place of the word at a time. Not p for f
 * or v, nor j for z: most words respelt so are English (firing, foster,
 * Vegas) or names (Farah, Rizal), not loans. */
static const char *const loan_letters[][2] = {{"v", "f"},  {"f", "v"},   {"f", "p"},
                                              {"v", "p"},  {"ku", "kw"}, {"k", "kh"},
                                              {"d", "dh"}, {"t", "th"},  {"z", "j"}};

/* English endings of loans and their Indonesian forms (Pedoman Umum
 * Pembentukan Istilah, 3rd ed., Pusat Bahasa, 2007, on adapting affixes),
 * longest first; each taken where 5 bytes or more come before it (energy,
 * not Barry). */
static const char *const english_endings[][2] = {
    {"tional", "sional"}, {"ical", "is"},  {"tion", "si"}, {"sion", "si"}, {"ity", "itas"},
    {"ics", "ika"},       {"ism", "isme"}, {"ive", "if"},  {"ous", "us"},  {"ure", "ur"},
    {"ute", "ut"},        {"ic", "ik"},    {"y", "i"}};

/*
 * The Indonesian spelling of a loan written in English's (industry ->
 * industri, university -> universitas, electronic -> elektronik), by the
 * rules of Pedoman Umum Pembentukan Istilah on adapting letters and
 * endings: the ending (english_endings), then ph -> f, th -> t, ch -> k,
 * ck -> k, qu -> ku, x -> ks, c before e, i or y -> s, other c -> k, z -> s,
 * y between consonants -> i, and a doubled consonant -> one; only for a
 * word with c, q or x or one of the endings. Written into out (cap bytes,
 * NUL-terminated); returns its length, 0 when it is w, is none or does not
 * fit.
 */
static size_t english_form(const char *w, size_t n, char *out, size_t cap) {
  const size_t nendings = sizeof english_endings / sizeof *english_endings;
  char a[2 * MAX_WORD + 8];
  size_t na = n, i, o = 0, r;
  if (n + 8 > sizeof a || 2 * n + 8 > cap) /* x -> ks: up to twice as long */
    return 0;
  for (r = 0; r < nendings &&
              !(ends(w, n, english_endings[r][0]) && n >= strlen(english_endings[r][0]) + 5);
       r++)
    ;
  /* only a word with a letter Indonesian spells otherwise (c, q, x) or an
   * English ending: not an Indonesian word with a doubled letter */
  for (i = 0; r == nendings && i < n && w[i] != 'c' && w[i] != 'q' && w[i] != 'x'; i++)
    ;
  if (r == nendings && i == n)
    return 0;
  memcpy(a, w, n);
  if (r < nendings) {
    const char *t = english_endings[r][1];
    size_t tl = strlen(t);
    na = n - strlen(english_endings[r][0]);
    memcpy(a + na, t, tl + 1);
    na += tl;
  }
  for (i = 0; i < na; i++) {
    char c = a[i], next = i + 1 < na ? a[i + 1] : '\0';
    if ((c == 'p' && next == 'h') || (c == 't' && next == 'h') || (c == 'c' && next == 'h') ||
        (c == 'c' && next == 'k')) {
      out[o++] = c == 'p' ? 'f' : c == 't' ? 't' : 'k';
      i++;
    } else if (c == 'q' && next == 'u') {
      out[o++] = 'k';
    } else if (c == 'x') {
      out[o++] = 'k';
      out[o++] = 's';
    } else if (c == 'c') {
      out[o++] = next == 'e' || next == 'i' || next == 'y' ? 's' : 'k';
    } else if (c == 'z') {
      out[o++] = 's';
    } else if (c == 'y' && o > 0 && !is_vowel(out[o - 1]) && next && !is_vowel(next)) {
      out[o++] = 'i';
    } else if (o > 1 && out[o - 1] == c && !is_vowel(c)) {
      continue; /* a doubled consonant, not a first letter typed twice */
    } else {
      out[o++] = c;
    }
  }
  out[o] = '\0';
  return o != n || memcmp(out, w, n) != 0 ? o : 0;
}

/* Whether b is a, n bytes each, but for some c of a that are k in b. */
static int only_c_to_k(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (a[i] != b[i] && !(a[i] == 'c' && b[i] == 'k'))
      return 0;
  return 1;
}

/* Whether [w, w + n) is a root of the lexicon, or a word it explains by a
 * root of 5 bytes or more, written in it, that holds the bytes [at, at +
 * len) respelt: what a respelt loan must be, so that a name is not respelt
 * into a short root behind an affix (Kevin: kepin, ke-pin), nor its letter
 * into an affix (Vedanta: pedanta, pe-danta). */
static int respelt_word(tl_idstem *s, const char *w, size_t n, size_t at, size_t len) {
  size_t rl, i;
  const char *r;
  if (known(s, w, n))
    return 1;
  r = stem_word(s, w, n, &rl);
  if (rl < 5 || !explaining_stem(s, r, rl))
    return 0;
  for (i = 0; i <= at && i + rl <= n; i++)
    if (at + len <= i + rl && memcmp(w + i, r, rl) == 0)
      return 1;
  return 0;
}

/*
 * The word [w, w + n) in today's spelling, read as written before 1972
 * (Sneddon, Indonesian: A Comprehensive Grammar, 2nd ed., 2010, sec. 1.3):
 * dj -> j, tj -> c, oe -> u; with all set nj -> ny, sj -> sy, ch -> kh too
 * and, with y set, every other j -> y (masjarakat, achir, njonja, tjahaja).
 * Into out (cap bytes, NUL-terminated); returns its length, 0 when nothing
 * changes or it does not fit.
 */
static size_t today_spelling(const char *w, size_t n, int all, int y, char *out, size_t cap) {
  static const char *const old[][2] = {{"dj", "j"},  {"tj", "c"},  {"oe", "u"},
                                       {"nj", "ny"}, {"sj", "sy"}, {"ch", "kh"}};
  const size_t nold = all ? sizeof old / sizeof *old : 3;
  size_t i = 0, o = 0, k;
  while (i < n) {
    const char *t;
    for (k = 0; k < nold && !(i + 1 < n && w[i] == old[k][0][0] && w[i + 1] == old[k][0][1]); k++)
      ;
    t = k < nold ? old[k][1] : y && w[i] == 'j' ? "y" : NULL;
    if (o + (t ? strlen(t) : 1) + 1 > cap)
      return 0;
    if (t) {
      memcpy(out + o, t, strlen(t));
      o += strlen(t);
    } else {
      out[o++] = w[i];
    }
    i += k < nold ? 2 : 1;
  }
  out[o] = '\0';
  return o != n || memcmp(out, w, n) != 0 ? o : 0;
}

/*
 * The spelling of a word of 5 bytes or more that the lexicon does not
 * explain, respelt into a word it knows, into out (cap bytes,
 * NUL-terminated): the word read as written before 1972 (today_spelling,
 * when that is a root), else one of its loan letters in the other form
 * (loan_letters: fitamin -> vitamin, kwartal -> kuartal; respelt_word),
 * else its English spelling in Indonesian's (english_form: structure ->
 * struktur). Returns its length, 0 when there is none. The caller knows
 * that w is not explained.
 */
static size_t loan_respelling(tl_idstem *s, const char *w, size_t n, char *out, size_t cap) {
  size_t r, i, m, k;
  if (n < 5 || 2 * n + 8 > cap || memchr(w, '-', n))
    return 0;
  /* a root in today's spelling (njawa, sjukur, ichwan); with j for y too
   * (tjahaja, rakjat), only in a word with a sign of the old spelling
   * besides nj, which is today's too (menjadi): a j alone is mostly today's
   * (Jatim, not yatim; menujuk, a slip for menunjuk) */
  if ((m = today_spelling(w, n, 1, 0, out, cap)) > 0) {
    if (known(s, out, m))
      return m;
    for (i = 0; i + 1 < n; i++)
      if ((w[i + 1] == 'j' && (w[i] == 'd' || w[i] == 't' || w[i] == 's')) ||
          (w[i] == 'c' && w[i + 1] == 'h') || (w[i] == 'o' && w[i + 1] == 'e')) {
        if ((m = today_spelling(w, n, 1, 1, out, cap)) > 0 && known(s, out, m))
          return m;
        break;
      }
  }
  for (r = 0; r < sizeof loan_letters / sizeof *loan_letters; r++) {
    const char *f = loan_letters[r][1], *t = loan_letters[r][0];
    size_t fl = strlen(f), tl = strlen(t);
    for (i = 0; i + fl <= n; i++) {
      if (memcmp(w + i, f, fl) != 0 || (fl < tl && memcmp(w + i, t, tl) == 0))
        continue;
      memcpy(out, w, i);
      memcpy(out + i, t, tl);
      memcpy(out + i + tl, w + i + fl, n - i - fl);
      m = n - fl + tl;
      out[m] = '\0';
      /* kh, dh, th: most words that hold them unexplained are names
       * (Khurasan, Idham): respelt into a root alone */
      if (f[1] == 'h' ? m >= 5 && known(s, out, m) : respelt_word(s, out, m, i, tl))
        return m;
    }
  }
  /* a loan verb in -ir from Dutch -eren, which KBBI lists as the
   * non-standard form of the noun in -asi (koordinir, legalisir,
   * akomodir: koordinasi, legalisasi, akomodasi), also before -kan
   * (memproklamirkan: memproklamasikan) */
  for (k = 0; k < 2; k++) {
    const char *tail = k ? "irkan" : "ir";
    size_t tl = strlen(tail);
    if (n >= 5 + tl && ends(w, n, tail) && n + 1 < cap) {
      memcpy(out, w, n - tl);
      memcpy(out + n - tl, "asi", 3);
      memcpy(out + n - tl + 3, tail + 2, tl - 1); /* the NUL too */
      if (respelt_word(s, out, n + 1, n - tl, 3))
        return n + 1;
    }
  }
  m = english_form(w, n, out, cap);
  /* with no prefix: English words begin as Indonesian prefixes do
   * (director: di-rektor, chemistry: ke-mistri); a word whose only
   * change is c -> k may be Indonesian (c is a letter of its own there:
   * kacapi is no kakap-i), so it must be a root as respelt, clitics
   * aside (vokal, vokalnya) */
  if (m == n && only_c_to_k(w, out, n))
    return m >= 5 && (known(s, out, m) || clitic_host(s, out, m) < m) ? m : 0;
  return m >= 5 && respelt_word(s, out, m, 0, 1) ? m : 0;
}

/**
 * The standard spelling of a variant, or NULL when w is none (Sneddon,
 * Indonesian: A Comprehensive Grammar, 2nd ed., 2010, sec. 1.3 on the
 * 1947 and 1972 spelling reforms; KBBI for the loanword forms):
 *  - a form of lexicon/variants.txt (analisa -> analisis, praktek ->
 *    praktik);
 *  - an unknown word in the spelling before 1972: dj -> j, tj -> c,
 *    oe -> u (djalan -> jalan, tjinta -> cinta, oentoek -> untuk); taken
 *    only when the respelled word is explained by the lexicon (the other
 *    letters of that spelling and loan spellings: loan_respelling, for a
 *    word the stemmer does not explain);
 *  - an unknown loan with f for v or p for f (aktifitas -> aktivitas,
 *    positip -> positif), when the respelled word is explained;
 *  - an unexplained word with a loan ending in two forms (loan_form:
 *    geomorfologis -> geomorfologi, homeostatis -> homeostasis);
 *  - an unexplained loan verb in -ir, KBBI's non-standard form of the noun
 *    in -asi (loan_respelling: dikoordinir -> koordinasi, terisolir ->
 *    isolasi), when the lexicon explains the noun;
 *  - a -kan form missing the k of a root in -k (memasukan -> memasukkan),
 *    when the doubled form stems to a root in -k and the word as written is
 *    not explained by a licensed reading of a root in -k;
 *  - a -nya form missing the n of -an or of a root in -n (pekerjaanya ->
 *    pekerjaannya, dipimpinya -> dipimpinnya), when the word as written is
 *    not explained and the word before -nya ends in a vowel and a, or the
 *    doubled form has a prefix and a root of four letters or more (three
 *    before -kan, five in -n).
 * The result is written into s->var.
 */
static const char *variant_of(tl_idstem *s, const char *w, size_t n, size_t *vlen) {
  const lex_entry *e = lex_find(s, w, n);
  char a[2 * MAX_WORD + 8];
  size_t na;
  if (e && (e->kind & LEX_VARIANT)) {
    memcpy(s->var, s->targets.data + e->voff, e->vlen);
    *vlen = e->vlen;
    return s->var;
  }
  if (e && usable_root(e))
    return NULL;
  if (memchr(w, '-', n))
    return NULL;
  /* spelling before 1972: dj, tj, oe (the rest of it: loan_respelling) */
  if ((na = today_spelling(w, n, 0, 0, a, sizeof a)) > 0) {
    if (na >= 4 && !explained(s, w, n) && explained(s, a, na)) { /* not goes -> gus */
      memcpy(s->var, a, na);
      *vlen = na;
      return s->var;
    }
    return NULL;
  }
  /* loans: -fitas -> -vitas, final -ip -> -if */
  na = replace_all(w, n, "fitas", "vitas", a, sizeof a);
  if (!na && n > 4 && n < sizeof a && ends(w, n, "ip")) {
    memcpy(a, w, n - 2);
    memcpy(a + n - 2, "if", 3);
    na = n;
  }
  if (na) {
    if (!explained(s, w, n) && explained(s, a, na)) {
      memcpy(s->var, a, na);
      *vlen = na;
      return s->var;
    }
    return NULL;
  }
  /* loan endings in two forms: the form the lexicon explains, else the
   * first of the pair */
  if ((na = loan_form(s, w, n, a, sizeof a)) > 0) {
    memcpy(s->var, a, na + 1);
    *vlen = na;
    return s->var;
  }
  /* a lost doubled k: memasukan, meletakan, menaikan; not mengenakan,
   * merapikan, perombakan, whose written form has a root with affix flags
   * (kena, rapi, rombak) */
  if (n >= 7 && n < MAX_WORD && ends(w, n, "kan") && is_vowel(w[n - 4])) {
    size_t rl, ol;
    const char *r, *o;
    const lex_entry *re = NULL;
    memcpy(a, w, n - 3);
    memcpy(a + n - 3, "kkan", 5);
    r = stem_word(s, a, n + 1, &rl);
    if (rl >= 3 && r[rl - 1] == 'k' && (re = lex_find(s, r, rl)) != NULL && usable_root(re) &&
        (re->nflags >= 3 || (re->kind & (LEX_ROOT | LEX_COMPOUND)))) {
      char root[MAX_WORD + 8];
      memcpy(root, r, rl);
      o = stem_word(s, w, n, &ol);
      if ((ol != rl || memcmp(o, root, rl) != 0) && o[ol - 1] != 'k') { /* not rombak-an */
        const lex_entry *oe = lex_find(s, o, ol);
        if (!oe || !usable_root(oe) ||
            (!(oe->kind & (LEX_ROOT | LEX_COMPOUND | LEX_PROTECTED | LEX_VARIANT)) &&
             oe->nflags < 3)) {
          memcpy(s->var, a, n + 1);
          *vlen = n + 1;
          return s->var;
        }
      }
    }
  }
  /* a lost doubled n before -nya (pekerjaanya for pekerjaannya), when the
   * word as written is unexplained and the doubled form stems to a root,
   * and either the word before -nya ends in a vowel and a (pekerjaa-nya,
   * tujua-nya: few words end so) or the doubled form has a prefix
   * (memberika-nya, kekuata-nya) and a root of four letters or more, three
   * before -kan (disahka-nya), five in n (dipimpi-nya). Not what a name or
   * a loan unknown to the lexicon with -nya gives: sabunya, Kolakanya,
   * Toyotanya (sabun, kolak, toyot: no prefix), Beraunya (au), selainya
   * (lain: four letters in n), nor a word shaped as a partial reduplication
   * (tetanganya: te-tangan; but mem-, ke-k are prefixes). */
  if (n >= 7 && n < MAX_WORD && ends(w, n, "nya") && is_vowel(w[n - 4]) &&
      (w[1] != 'e' || w[0] != w[2] || w[0] == 'm' || w[0] == 'k') && !explained(s, w, n)) {
    size_t rl;
    const char *r;
    int vowels = w[n - 4] == 'a' && is_vowel(w[n - 5]);
    size_t least = ends(w, n - 3, "ka") ? 3 : 4;
    memcpy(a, w, n - 3);
    memcpy(a + n - 3, "nnya", 5);
    r = stem_word(s, a, n + 1, &rl);
    if (rl >= 3 && explaining_stem(s, r, rl) &&
        (vowels || (memcmp(a, r, rl) != 0 && rl >= (r[rl - 1] == 'n' ? 5 : least)))) {
      memcpy(s->var, a, n + 2);
      *vlen = n + 1;
      return s->var;
    }
  }
  return NULL;
}

/* stem_word of [w, w + n), a copy in the caller's buffer that ends with
 * the caller's block: a stem that is part of it is moved into s->out. */
static const char *stem_of_copy(tl_idstem *s, const char *w, size_t n, size_t *rl) {
  const char *r = stem_word(s, w, n, rl);
  if (r >= w && r <= w + n) {
    memmove(s->out, r, *rl);
    r = s->out;
  }
  return r;
}

int tl_idstem_known(tl_idstem *s, const char *word, size_t len) {
  size_t vl;
  if (len == 0 || len > MAX_WORD)
    return 0;
  return known(s, word, len) || variant_of(s, word, len, &vl) != NULL;
}

const char *tl_idstem_stem(tl_idstem *s, const char *word, size_t len, size_t *stem_len) {
  cache_slot *slot = &s->cache[XXH3_64bits(word, len) & (CACHE_SLOTS - 1)];
  const char *r;
  size_t rl;
  if (len < CACHE_WORD && slot->wlen == len && memcmp(slot->word, word, len) == 0) {
    *stem_len = slot->slen;
    return slot->stem;
  }
  if (len == 0 || len > MAX_WORD) {
    *stem_len = len;
    return word;
  }
  {
    size_t vl;
    const char *v = variant_of(s, word, len, &vl);
    if (v) {
      char std[2 * MAX_WORD + 8];
      memcpy(std, v, vl);
      r = stem_of_copy(s, std, vl, &rl);
    } else {
      r = stem_word(s, word, len, &rl);
      if (len >= 5 && !explaining_stem(s, r, rl)) {
        /* an unexplained word: its loan spelling, respelt (fitamin,
         * music), when that is explained */
        char std[2 * MAX_WORD + 8], kept[2 * MAX_WORD + 8];
        size_t m, kl = rl;
        memcpy(kept, r, rl); /* loan_respelling stems other words */
        if ((m = loan_respelling(s, word, len, std, sizeof std)) > 0) {
          r = stem_of_copy(s, std, m, &rl);
        } else {
          memcpy(s->out, kept, kl);
          r = s->out;
          rl = kl;
        }
      }
    }
  }
  {
    /* an affixed variant (menganalisa -> analisa): the standard's stem */
    const lex_entry *e = lex_find(s, r, rl);
    if (e && (e->kind & LEX_VARIANT)) {
      char std[2 * MAX_WORD + 8];
      memcpy(std, s->targets.data + e->voff, e->vlen);
      r = stem_of_copy(s, std, e->vlen, &rl);
    }
  }
  if (len < CACHE_WORD && rl < CACHE_WORD) {
    memcpy(slot->word, word, len);
    memmove(slot->stem, r, rl);
    slot->wlen = (uint8_t)len;
    slot->slen = (uint8_t)rl;
    *stem_len = rl;
    return slot->stem;
  }
  if (r != s->out)
    memmove(s->out, r, rl);
  *stem_len = rl;
  return s->out;
}
