/*
 * eval.c - TREC qrels and run readers and the trec_eval-compatible
 * measures declared in eval.h.
 *
 * Strings (qids, docids) live in per-handle arenas; lookups go through a
 * small open-addressing hash table keyed by (namespace, string), where the
 * namespace is 0 for query ids and the query's index for docids.
 */
#include "telusur/eval.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- string arena --------------------------------------------------- */

typedef struct arena_block {
  struct arena_block *next;
  size_t used, cap;
  char data[];
} arena_block;

typedef struct arena {
  arena_block *head;
} arena;

#define ARENA_BLOCK 65536

/*
 * Copies len bytes of s plus a NUL into the arena. Returns the copy, owned
 * by the arena until arena_free(), or NULL when out of memory.
 */
static char *arena_strdup(arena *a, const char *s, size_t len) {
  arena_block *b = a->head;
  char *p;
  if (!b || b->cap - b->used < len + 1) {
    size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
    b = malloc(sizeof *b + cap);
    if (!b)
      return NULL;
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
  }
  p = b->data + b->used;
  memcpy(p, s, len);
  p[len] = '\0';
  b->used += len + 1;
  return p;
}

/* Releases every block of the arena and leaves it empty. */
static void arena_free(arena *a) {
  arena_block *b = a->head;
  while (b) {
    arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

/* ---- hash table: (ns, string) -> size_t ------------------------------ */

typedef struct ht_slot {
  const char *key; /* NULL: empty; borrowed, must outlive the table */
  uint64_t hash;
  size_t ns;
  size_t val;
} ht_slot;

typedef struct htab {
  ht_slot *slots;
  size_t cap; /* 0 or a power of two */
  size_t n;
} htab;

/* FNV-1a over the string, mixed with the namespace; any 64-bit value. */
static uint64_t ht_hash(size_t ns, const char *key) {
  uint64_t h = 1469598103934665603ULL ^ ((uint64_t)ns * 0x9E3779B97F4A7C15ULL);
  const unsigned char *p = (const unsigned char *)key;
  for (; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL;
  }
  h ^= h >> 29;
  return h;
}

/*
 * Finds (ns, key): returns its slot, or NULL when absent. An empty table
 * (cap 0) is allowed.
 */
static ht_slot *ht_find(const htab *t, size_t ns, const char *key) {
  uint64_t h;
  size_t i;
  if (t->cap == 0)
    return NULL;
  h = ht_hash(ns, key);
  for (i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    ht_slot *s = &t->slots[i];
    if (!s->key)
      return NULL;
    if (s->hash == h && s->ns == ns && strcmp(s->key, key) == 0)
      return s;
  }
}

/*
 * Doubles the table (or makes the first 64 slots), rehashing every entry.
 * Returns TL_OK or TL_ERR_NOMEM (the table is then unchanged).
 */
static int ht_grow(htab *t) {
  size_t cap = t->cap ? t->cap * 2 : 64, i;
  ht_slot *slots;
  if (cap < t->cap || cap > SIZE_MAX / sizeof *slots)
    return TL_ERR_NOMEM;
  slots = calloc(cap, sizeof *slots);
  if (!slots)
    return TL_ERR_NOMEM;
  for (i = 0; i < t->cap; i++) {
    const ht_slot *s = &t->slots[i];
    size_t j;
    if (!s->key)
      continue;
    for (j = (size_t)s->hash & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
      ;
    slots[j] = *s;
  }
  free(t->slots);
  t->slots = slots;
  t->cap = cap;
  return TL_OK;
}

/*
 * Inserts (ns, key) -> val; the key must not be in the table yet (check
 * with ht_find first) and must outlive the table. Returns TL_OK or
 * TL_ERR_NOMEM.
 */
static int ht_insert(htab *t, size_t ns, const char *key, size_t val) {
  uint64_t h;
  size_t i;
  if ((t->n + 1) * 10 > t->cap * 7) {
    int rc = ht_grow(t);
    if (rc != TL_OK)
      return rc;
  }
  h = ht_hash(ns, key);
  for (i = (size_t)h & (t->cap - 1); t->slots[i].key; i = (i + 1) & (t->cap - 1))
    ;
  t->slots[i].key = key;
  t->slots[i].hash = h;
  t->slots[i].ns = ns;
  t->slots[i].val = val;
  t->n++;
  return TL_OK;
}

/* Releases the table's slots (not the keys) and leaves it empty. */
static void ht_free(htab *t) {
  free(t->slots);
  t->slots = NULL;
  t->cap = t->n = 0;
}

/* ---- small helpers -------------------------------------------------- */

/*
 * Makes room for at least need elements of size elem in *p (capacity
 * *cap, in elements), growing geometrically. Returns TL_OK or
 * TL_ERR_NOMEM (then *p and *cap are unchanged).
 */
static int grow_array(void **p, size_t *cap, size_t need, size_t elem) {
  size_t ncap;
  void *np;
  if (need <= *cap)
    return TL_OK;
  ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return TL_ERR_NOMEM;
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem)
    return TL_ERR_NOMEM;
  np = realloc(*p, ncap * elem);
  if (!np)
    return TL_ERR_NOMEM;
  *p = np;
  *cap = ncap;
  return TL_OK;
}

/*
 * Splits line (len bytes, NUL-terminated, without its newline) in place at
 * runs of space, tab, CR, VT and FF. Stores up to max field pointers in
 * fields and returns the number of fields found, which may exceed max
 * (the extra ones are counted, not stored).
 */
static size_t split_fields(char *line, char **fields, size_t max) {
  size_t n = 0;
  char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
      *p++ = '\0';
    if (!*p)
      return n;
    if (n < max)
      fields[n] = p;
    n++;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\v' && *p != '\f')
      p++;
  }
}

/*
 * Parses s as a whole base-10 integer into *v. Returns 1 on success, 0
 * when s is not an integer or is out of range for long.
 */
static int parse_long(const char *s, long *v) {
  char *end;
  long x;
  errno = 0;
  x = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE)
    return 0;
  *v = x;
  return 1;
}

/*
 * Parses s as a whole floating-point number into *v. Returns 1 on success,
 * 0 when s is not a number, is NaN, or overflows. Values that underflow
 * are accepted (as strtod rounds them).
 */
static int parse_double(const char *s, double *v) {
  char *end;
  double x;
  errno = 0;
  x = strtod(s, &end);
  if (end == s || *end || isnan(x))
    return 0;
  if (errno == ERANGE && isinf(x))
    return 0;
  *v = x;
  return 1;
}

/*
 * Reads the next line of in into *buf (capacity *cap, grown with getline)
 * without its trailing newline; sets *len to its length in bytes. Returns
 * TL_OK, TL_DONE at end of input, TL_ERR_IO on a read error or
 * TL_ERR_NOMEM (getline could not grow the buffer).
 */
static int next_line(FILE *in, char **buf, size_t *cap, size_t *len) {
  ssize_t n;
  errno = 0;
  n = getline(buf, cap, in);
  if (n < 0) {
    if (ferror(in))
      return errno == ENOMEM ? TL_ERR_NOMEM : TL_ERR_IO;
    return TL_DONE;
  }
  if (n > 0 && (*buf)[n - 1] == '\n')
    (*buf)[--n] = '\0';
  *len = (size_t)n;
  return TL_OK;
}

/*
 * Opens path for reading ("-": standard input) and sets *f. Returns TL_OK
 * or TL_ERR_IO with a message naming the path.
 */
static int open_input(const char *path, FILE **f, tl_error *err) {
  if (strcmp(path, "-") == 0) {
    *f = stdin;
    return TL_OK;
  }
  *f = fopen(path, "r");
  if (!*f)
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, strerror(errno));
  return TL_OK;
}

/* Closes f unless it is standard input. */
static void close_input(FILE *f) {
  if (f && f != stdin)
    fclose(f);
}

/* ---- qrels ---------------------------------------------------------- */

typedef struct qrels_query {
  const char *qid;
  size_t num_rel;
  long *gains; /* num_rel positive grades, descending; inside q->gains */
} qrels_query;

typedef struct qrels_judgment {
  long rel;
  unsigned long line;
} qrels_judgment;

struct tl_qrels {
  arena strings;
  htab qids; /* ns 0: qid -> index into queries */
  htab docs; /* ns query index: docid -> index into judgments */
  qrels_query *queries;
  size_t num_queries, cap_queries;
  qrels_judgment *judgments;
  size_t num_judgments, cap_judgments;
  long *gains; /* every query's gains, back to back */
};

/* Orders longs descending, for qsort. */
static int cmp_long_desc(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x < y) - (x > y);
}

/*
 * Finds qid among the queries of a table mapping qid -> index, adding it
 * (copied into strings) at index *count when new; growing *arr (elements
 * of size elem, capacity *cap) and zeroing the new element, whose first
 * member must be its `const char *qid`. Sets *idx. Returns TL_OK or
 * TL_ERR_NOMEM.
 */
static int intern_query(arena *strings, htab *qids, void **arr, size_t *count, size_t *cap,
                        size_t elem, const char *qid, size_t *idx) {
  ht_slot *s = ht_find(qids, 0, qid);
  const char *copy;
  char *e;
  int rc;
  if (s) {
    *idx = s->val;
    return TL_OK;
  }
  rc = grow_array(arr, cap, *count + 1, elem);
  if (rc != TL_OK)
    return rc;
  copy = arena_strdup(strings, qid, strlen(qid));
  if (!copy)
    return TL_ERR_NOMEM;
  rc = ht_insert(qids, 0, copy, *count);
  if (rc != TL_OK)
    return rc;
  e = (char *)*arr + *count * elem;
  memset(e, 0, elem);
  memcpy(e, &copy, sizeof copy);
  *idx = (*count)++;
  return TL_OK;
}

/*
 * Computes each query's num_rel and its gains (positive grades sorted
 * descending) once every judgment is read. Returns TL_OK or TL_ERR_NOMEM.
 */
static int qrels_finish(tl_qrels *q) {
  size_t i, total = 0, *fill = NULL;
  int rc = TL_OK;
  for (i = 0; i < q->docs.cap; i++) {
    const ht_slot *s = &q->docs.slots[i];
    if (s->key && q->judgments[s->val].rel > 0) {
      q->queries[s->ns].num_rel++;
      total++;
    }
  }
  q->gains = malloc((total ? total : 1) * sizeof *q->gains);
  fill = calloc(q->num_queries ? q->num_queries : 1, sizeof *fill);
  if (!q->gains || !fill) {
    rc = TL_ERR_NOMEM;
    goto cleanup;
  }
  total = 0;
  for (i = 0; i < q->num_queries; i++) {
    q->queries[i].gains = q->gains + total;
    total += q->queries[i].num_rel;
  }
  for (i = 0; i < q->docs.cap; i++) {
    const ht_slot *s = &q->docs.slots[i];
    long rel;
    if (!s->key)
      continue;
    rel = q->judgments[s->val].rel;
    if (rel > 0)
      q->queries[s->ns].gains[fill[s->ns]++] = rel;
  }
  for (i = 0; i < q->num_queries; i++)
    qsort(q->queries[i].gains, q->queries[i].num_rel, sizeof(long), cmp_long_desc);
cleanup:
  free(fill);
  return rc;
}

/* Reads the next non-blank line of in and splits it into exactly n fields
 * (f[0..n)); `what` names them for the message. Returns TL_OK, TL_DONE at
 * the end, or an error naming name:LINE. */
static int next_record(FILE *in, const char *name, char **line, size_t *cap, unsigned long *lineno,
                       char **f, size_t n, const char *what, tl_error *err) {
  for (;;) {
    size_t len, nf;
    int rc = next_line(in, line, cap, &len);
    if (rc == TL_DONE)
      return TL_DONE;
    ++*lineno;
    if (rc != TL_OK)
      return tl_error_set(err, rc, "%s:%lu: %s", name, *lineno,
                          rc == TL_ERR_IO ? strerror(errno) : "out of memory");
    if (memchr(*line, '\0', len))
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: NUL byte in line", name, *lineno);
    nf = split_fields(*line, f, n);
    if (nf == 0)
      continue;
    if (nf != n)
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: expected %zu fields (%s), found %zu", name,
                          *lineno, n, what, nf);
    return TL_OK;
  }
}

int tl_qrels_read(FILE *in, const char *name, tl_qrels **out, tl_error *err) {
  tl_qrels *q = NULL;
  char *line = NULL, *f[4];
  size_t cap = 0;
  unsigned long lineno = 0;
  int rc;
  *out = NULL;
  q = calloc(1, sizeof *q);
  if (!q) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", name);
    goto cleanup;
  }
  for (;;) {
    size_t qidx;
    long rel;
    ht_slot *s;
    const char *docid;
    rc = next_record(in, name, &line, &cap, &lineno, f, 4, "qid iter docid rel", err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK)
      goto cleanup;
    if (!parse_long(f[3], &rel)) {
      rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: relevance '%.64s' is not an integer", name,
                        lineno, f[3]);
      goto cleanup;
    }
    rc = intern_query(&q->strings, &q->qids, (void **)&q->queries, &q->num_queries, &q->cap_queries,
                      sizeof *q->queries, f[0], &qidx);
    if (rc != TL_OK)
      goto nomem;
    s = ht_find(&q->docs, qidx, f[2]);
    if (s) {
      rc = tl_error_set(
          err, TL_ERR_FORMAT,
          "%s:%lu: document '%.128s' judged twice for query "
          "'%.128s' (first at line %lu)",
          name, lineno, f[2], f[0],
          q->judgments[s->val]
              .line); /* NOLINT(clang-analyzer-core.NullDereference): set when s or rq is */
      goto cleanup;
    }
    rc = grow_array((void **)&q->judgments, &q->cap_judgments, q->num_judgments + 1,
                    sizeof *q->judgments);
    if (rc != TL_OK)
      goto nomem;
    docid = arena_strdup(&q->strings, f[2], strlen(f[2]));
    if (!docid)
      goto nomem;
    rc = ht_insert(&q->docs, qidx, docid, q->num_judgments);
    if (rc != TL_OK)
      goto nomem;
    q->judgments[q->num_judgments].rel = rel;
    q->judgments[q->num_judgments].line = lineno;
    q->num_judgments++;
  }
  rc = qrels_finish(q);
  if (rc != TL_OK)
    goto nomem;
  *out = q;
  q = NULL;
  rc = TL_OK;
  goto cleanup;
nomem:
  rc = tl_error_set(err, TL_ERR_NOMEM, "%s:%lu: out of memory", name, lineno);
cleanup:
  free(line);
  tl_qrels_free(q);
  return rc;
}

int tl_qrels_load(const char *path, tl_qrels **out, tl_error *err) {
  FILE *f = NULL;
  int rc;
  *out = NULL;
  rc = open_input(path, &f, err);
  if (rc != TL_OK)
    goto cleanup;
  rc = tl_qrels_read(f, path, out, err);
cleanup:
  close_input(f);
  return rc;
}

size_t tl_qrels_num_queries(const tl_qrels *q) {
  return q->num_queries;
}

int tl_qrels_grade(const tl_qrels *q, const char *qid, const char *docid, long *rel) {
  const ht_slot *sq = ht_find(&q->qids, 0, qid), *sd;
  if (!sq)
    return TL_ERR_NOTFOUND;
  sd = ht_find(&q->docs, sq->val, docid);
  if (!sd)
    return TL_ERR_NOTFOUND;
  *rel = q->judgments[sd->val].rel;
  return TL_OK;
}

void tl_qrels_free(tl_qrels *q) {
  if (!q)
    return;
  arena_free(&q->strings);
  ht_free(&q->qids);
  ht_free(&q->docs);
  free(q->queries);
  free(q->judgments);
  free(q->gains);
  free(q);
}

/* ---- run ------------------------------------------------------------ */

typedef struct run_doc {
  const char *docid;
  double score;
} run_doc;

typedef struct run_query {
  const char *qid;
  run_doc *docs;
  size_t num_docs, cap_docs;
} run_query;

struct tl_run {
  arena strings;
  htab qids; /* ns 0: qid -> index into queries */
  htab docs; /* ns query index: docid -> line number of its first line */
  run_query *queries;
  size_t num_queries, cap_queries;
};

/*
 * trec_eval's comp_sim_docno, for qsort: score descending, then docid
 * descending by strcmp.
 */
static int cmp_run_doc(const void *a, const void *b) {
  const run_doc *x = a, *y = b;
  if (x->score > y->score)
    return -1;
  if (x->score < y->score)
    return 1;
  return strcmp(y->docid, x->docid);
}

int tl_run_read(FILE *in, const char *name, tl_run **out, tl_error *err) {
  tl_run *r = NULL;
  char *line = NULL, *f[6];
  size_t cap = 0, i;
  unsigned long lineno = 0;
  int rc;
  *out = NULL;
  r = calloc(1, sizeof *r);
  if (!r) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", name);
    goto cleanup;
  }
  for (;;) {
    size_t qidx;
    long rank;
    double score;
    ht_slot *s;
    run_query *rq;
    const char *docid;
    rc = next_record(in, name, &line, &cap, &lineno, f, 6, "qid Q0 docid rank score tag", err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK)
      goto cleanup;
    if (!parse_long(f[3], &rank)) {
      rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: rank '%.64s' is not an integer", name, lineno,
                        f[3]);
      goto cleanup;
    }
    if (!parse_double(f[4], &score)) {
      rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: score '%.64s' is not a number", name, lineno,
                        f[4]);
      goto cleanup;
    }
    rc = intern_query(&r->strings, &r->qids, (void **)&r->queries, &r->num_queries, &r->cap_queries,
                      sizeof *r->queries, f[0], &qidx);
    if (rc != TL_OK)
      goto nomem;
    s = ht_find(&r->docs, qidx, f[2]);
    if (s) {
      rc = tl_error_set(err, TL_ERR_FORMAT,
                        "%s:%lu: document '%.128s' listed twice for query "
                        "'%.128s' (first at line %zu)",
                        name, lineno, f[2], f[0], s->val);
      goto cleanup;
    }
    rq = &r->queries[qidx];
    rc = grow_array((void **)&rq->docs, &rq->cap_docs,
                    rq->num_docs +
                        1, /* NOLINT(clang-analyzer-core.NullDereference): set when s or rq is */
                    sizeof *rq->docs);
    if (rc != TL_OK)
      goto nomem;
    docid = arena_strdup(&r->strings, f[2], strlen(f[2]));
    if (!docid)
      goto nomem;
    rc = ht_insert(&r->docs, qidx, docid, (size_t)lineno);
    if (rc != TL_OK)
      goto nomem;
    rq->docs[rq->num_docs].docid = docid;
    rq->docs[rq->num_docs].score = score;
    rq->num_docs++;
  }
  for (i = 0; i < r->num_queries; i++)
    qsort(r->queries[i].docs, r->queries[i].num_docs, sizeof(run_doc), cmp_run_doc);
  *out = r;
  r = NULL;
  rc = TL_OK;
  goto cleanup;
nomem:
  rc = tl_error_set(err, TL_ERR_NOMEM, "%s:%lu: out of memory", name, lineno);
cleanup:
  free(line);
  tl_run_free(r);
  return rc;
}

int tl_run_load(const char *path, tl_run **out, tl_error *err) {
  FILE *f = NULL;
  int rc;
  *out = NULL;
  rc = open_input(path, &f, err);
  if (rc != TL_OK)
    goto cleanup;
  rc = tl_run_read(f, path, out, err);
cleanup:
  close_input(f);
  return rc;
}

size_t tl_run_num_queries(const tl_run *r) {
  return r->num_queries;
}

const char *tl_run_doc(const tl_run *r, const char *qid, size_t pos) {
  const ht_slot *s = ht_find(&r->qids, 0, qid);
  const run_query *rq;
  if (!s)
    return NULL;
  rq = &r->queries[s->val];
  return pos < rq->num_docs ? rq->docs[pos].docid : NULL;
}

void tl_run_free(tl_run *r) {
  size_t i;
  if (!r)
    return;
  for (i = 0; i < r->num_queries; i++)
    free(r->queries[i].docs);
  free(r->queries);
  ht_free(&r->qids);
  ht_free(&r->docs);
  arena_free(&r->strings);
  free(r);
}

/* ---- evaluation ----------------------------------------------------- */

struct tl_eval {
  arena strings;
  tl_eval_query *rows;
  size_t num_rows;
  size_t num_ignored;
  tl_eval_scores mean;
};

/* Orders qrels_query pointers by strcmp of their qids, for qsort. */
static int cmp_query_ptr(const void *a, const void *b) {
  const qrels_query *x = *(const qrels_query *const *)a;
  const qrels_query *y = *(const qrels_query *const *)b;
  return strcmp(x->qid, y->qid);
}

/*
 * Scores one qrels query (num_rel >= 1, qrels index qidx) against its
 * ranked run documents docs[0..n) (n may be 0) into *out.
 */
static void score_query(const tl_qrels *qrels, size_t qidx, const qrels_query *qq,
                        const run_doc *docs, size_t n, tl_eval_scores *out) {
  double dcg = 0.0, idcg = 0.0;
  size_t i, rel_10 = 0, rel_100 = 0;
  memset(out, 0, sizeof *out);
  for (i = 0; i < n && i < TL_EVAL_CUT_LARGE; i++) {
    const ht_slot *s = ht_find(&qrels->docs, qidx, docs[i].docid);
    long rel = s ? qrels->judgments[s->val].rel : 0;
    if (rel <= 0)
      continue;
    rel_100++;
    if (i < TL_EVAL_CUT_SMALL) {
      rel_10++;
      dcg += (double)rel / log2((double)(i + 2));
      if (out->mrr_10 == 0.0)
        out->mrr_10 = 1.0 / (double)(i + 1);
    }
  }
  for (i = 0; i < qq->num_rel && i < TL_EVAL_CUT_SMALL; i++)
    idcg += (double)qq->gains[i] / log2((double)(i + 2));
  out->ndcg_10 = idcg > 0.0 ? dcg / idcg : 0.0;
  out->recall_10 = (double)rel_10 / (double)qq->num_rel;
  out->recall_100 = (double)rel_100 / (double)qq->num_rel;
}

int tl_eval_compute(const tl_qrels *qrels, const tl_run *run, tl_eval **out, tl_error *err) {
  tl_eval *e = NULL;
  const qrels_query **order = NULL;
  size_t i, n = 0;
  int rc = TL_OK;
  *out = NULL;
  e = calloc(1, sizeof *e);
  order = malloc((qrels->num_queries ? qrels->num_queries : 1) *
                 sizeof *order); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
  if (!e || !order)
    goto nomem;
  for (i = 0; i < qrels->num_queries; i++)
    if (qrels->queries[i].num_rel > 0)
      order[n++] = &qrels->queries[i];
  qsort(order, n, sizeof *order, cmp_query_ptr); /* NOLINT(bugprone-sizeof-expression) */
  e->rows = calloc(n ? n : 1, sizeof *e->rows);
  if (!e->rows)
    goto nomem;
  for (i = 0; i < n; i++) {
    const qrels_query *qq = order[i];
    const ht_slot *s = ht_find(&run->qids, 0, qq->qid);
    const run_query *rq = s ? &run->queries[s->val] : NULL;
    tl_eval_query *row = &e->rows[i];
    row->qid = arena_strdup(&e->strings, qq->qid, strlen(qq->qid));
    if (!row->qid)
      goto nomem;
    row->num_rel = qq->num_rel;
    row->num_ret = rq ? rq->num_docs : 0;
    score_query(qrels, (size_t)(qq - qrels->queries), qq, rq ? rq->docs : NULL, row->num_ret,
                &row->scores);
    e->mean.mrr_10 += row->scores.mrr_10;
    e->mean.ndcg_10 += row->scores.ndcg_10;
    e->mean.recall_10 += row->scores.recall_10;
    e->mean.recall_100 += row->scores.recall_100;
  }
  e->num_rows = n;
  if (n > 0) {
    e->mean.mrr_10 /= (double)n;
    e->mean.ndcg_10 /= (double)n;
    e->mean.recall_10 /= (double)n;
    e->mean.recall_100 /= (double)n;
  }
  for (i = 0; i < run->num_queries; i++) {
    const ht_slot *s = ht_find(
        &qrels->qids, 0,
        run->queries[i].qid); /* NOLINT(clang-analyzer-core.NullDereference): set when s or rq is */
    if (!s || qrels->queries[s->val].num_rel == 0)
      e->num_ignored++;
  }
  *out = e;
  e = NULL;
  goto cleanup;
nomem:
  rc = tl_error_set(err, TL_ERR_NOMEM, "evaluation: out of memory");
cleanup:
  free(order);
  tl_eval_free(e);
  return rc;
}

size_t tl_eval_num_queries(const tl_eval *e) {
  return e->num_rows;
}

size_t tl_eval_num_ignored(const tl_eval *e) {
  return e->num_ignored;
}

int tl_eval_query_at(const tl_eval *e, size_t i, tl_eval_query *out) {
  if (i >= e->num_rows)
    return TL_ERR_USAGE;
  *out = e->rows[i];
  return TL_OK;
}

void tl_eval_mean(const tl_eval *e, tl_eval_scores *out) {
  *out = e->mean;
}

void tl_eval_free(tl_eval *e) {
  if (!e)
    return;
  free(e->rows);
  arena_free(&e->strings);
  free(e);
}
