/* strset.c - a set of byte strings: open addressing, XXH3 hashes. */
#include "util/strset.h"

#include "util/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/** Slots of a new table (a power of two). */
#define MIN_SLOTS 16
/** Size in bytes of the first block of key copies; later ones double. */
#define FIRST_BLOCK 512
/** Largest block size reached by doubling. */
#define MAX_BLOCK (1u << 20)

/** One slot of the table: ref 0 is empty, else the key's id + 1. */
typedef struct slot {
  uint64_t hash;
  size_t ref;
} slot;

/** One key: its copy in a block and its length. */
typedef struct key {
  const char *p;
  size_t len;
} key;

/** A block of key copies, each followed by a NUL. */
typedef struct block {
  struct block *next;
  size_t used, cap;
  char data[];
} block;

struct tl_strset {
  slot *slots;
  size_t mask; /* slot count - 1; slots is NULL until the first add */
  key *keys;
  size_t n, keys_cap;
  block *blocks; /* newest first */
};

int tl_strset_create(tl_strset **out) {
  *out = calloc(1, sizeof **out);
  return *out ? TL_OK : TL_ERR_NOMEM;
}

/** The slot of key (hash h), or the empty slot where it would go. */
static slot *probe(const tl_strset *s, uint64_t h, const void *k, size_t len) {
  size_t i = (size_t)h & s->mask;
  for (;;) {
    slot *sl = &s->slots[i];
    if (!sl->ref)
      return sl;
    if (sl->hash == h) {
      const key *e = &s->keys[sl->ref - 1];
      if (e->len == len && (len == 0 || memcmp(e->p, k, len) == 0))
        return sl;
    }
    i = (i + 1) & s->mask;
  }
}

/** Makes the table twice as large (or MIN_SLOTS), rehashing every key. */
static int grow_table(tl_strset *s) {
  size_t n = s->slots ? (s->mask + 1) * 2 : MIN_SLOTS, i;
  slot *t;
  if (n > SIZE_MAX / 2 / sizeof *t)
    return TL_ERR_NOMEM;
  if (!(t = calloc(n, sizeof *t)))
    return TL_ERR_NOMEM;
  for (i = 0; s->slots && i <= s->mask; i++) {
    size_t j;
    if (!s->slots[i].ref)
      continue;
    for (j = (size_t)s->slots[i].hash & (n - 1); t[j].ref; j = (j + 1) & (n - 1))
      ;
    t[j] = s->slots[i];
  }
  free(s->slots);
  s->slots = t;
  s->mask = n - 1;
  return TL_OK;
}

int tl_strset_reserve(tl_strset *s, size_t n) {
  if (n > SIZE_MAX / 4 / sizeof(slot))
    return TL_ERR_NOMEM;
  while (!s->slots || n * 2 > s->mask + 1)
    if (grow_table(s) != TL_OK)
      return TL_ERR_NOMEM;
  return tl_array_reserve((void **)&s->keys, &s->keys_cap, n, sizeof *s->keys);
}

/** Copies len bytes and a NUL into a block; NULL when out of memory. */
static const char *copy_key(tl_strset *s, const void *k, size_t len) {
  block *b = s->blocks;
  char *p;
  if (len > SIZE_MAX - sizeof *b - 1)
    return NULL;
  if (!b || b->cap - b->used < len + 1) {
    size_t cap = b ? (b->cap < MAX_BLOCK ? b->cap * 2 : b->cap) : FIRST_BLOCK;
    if (cap < len + 1)
      cap = len + 1;
    if (!(b = malloc(sizeof *b + cap)))
      return NULL;
    b->next = s->blocks;
    b->used = 0;
    b->cap = cap;
    s->blocks = b;
  }
  p = b->data + b->used;
  if (len)
    memcpy(p, k, len);
  p[len] = '\0';
  b->used += len + 1;
  return p;
}

int tl_strset_add(tl_strset *s, const void *k, size_t len, size_t *id, int *added) {
  uint64_t h = XXH3_64bits(k, len);
  slot *sl;
  key *e;
  if (s->slots) {
    sl = probe(s, h, k, len);
    if (sl->ref) {
      if (id)
        *id = sl->ref - 1;
      if (added)
        *added = 0;
      return TL_OK;
    }
  }
  if ((!s->slots || (s->n + 1) * 2 > s->mask + 1) && grow_table(s) != TL_OK)
    return TL_ERR_NOMEM;
  if (tl_array_reserve((void **)&s->keys, &s->keys_cap, s->n + 1, sizeof *s->keys) != TL_OK)
    return TL_ERR_NOMEM;
  e = &s->keys[s->n];
  if (!(e->p = copy_key(s, k, len)))
    return TL_ERR_NOMEM;
  e->len = len;
  sl = probe(s, h, k, len);
  sl->hash = h;
  sl->ref = ++s->n;
  if (id)
    *id = s->n - 1;
  if (added)
    *added = 1;
  return TL_OK;
}

int tl_strset_has(const tl_strset *s, const void *k, size_t len, size_t *id) {
  const slot *sl;
  if (!s->n)
    return 0;
  sl = probe(s, XXH3_64bits(k, len), k, len);
  if (!sl->ref)
    return 0;
  if (id)
    *id = sl->ref - 1;
  return 1;
}

size_t tl_strset_count(const tl_strset *s) {
  return s->n;
}

const char *tl_strset_key(const tl_strset *s, size_t id, size_t *len) {
  if (len)
    *len = s->keys[id].len;
  return s->keys[id].p;
}

/** Frees every block of key copies. */
static void free_blocks(tl_strset *s) {
  while (s->blocks) {
    block *next = s->blocks->next;
    free(s->blocks);
    s->blocks = next;
  }
}

void tl_strset_clear(tl_strset *s) {
  free_blocks(s);
  if (s->slots)
    memset(s->slots, 0, (s->mask + 1) * sizeof *s->slots);
  s->n = 0;
}

void tl_strset_free(tl_strset *s) {
  if (!s)
    return;
  free_blocks(s);
  free(s->slots);
  free(s->keys);
  free(s);
}
