/*
 * eval.c - TREC qrels and run readers and the trec_eval-compatible
 * measures declared in eval.h.
 *
 * Strings (qids, docids) live in string sets (util/strset.h): one of the
 * query ids per handle, whose ids index the queries, and one of the docids
 * per query, whose ids index that query's judgments or documents.
 */
#include "telusur/eval.h"

#include "util/buf.h"
#include "util/strset.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- small helpers -------------------------------------------------- */

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

typedef struct qrels_judgment {
  long rel;
  unsigned long line;
} qrels_judgment;

typedef struct qrels_query {
  const char *qid;
  size_t num_rel;
  long *gains;     /* num_rel positive grades, descending; inside q->gains */
  tl_strset *docs; /* the judged docids; ids index judgments */
  qrels_judgment *judgments;
  size_t cap_judgments;
} qrels_query;

struct tl_qrels {
  tl_strset *qids; /* ids index queries */
  qrels_query *queries;
  size_t num_queries, cap_queries;
  long *gains; /* every query's gains, back to back */
};

/* Orders longs descending, for qsort. */
static int cmp_long_desc(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x < y) - (x > y);
}

/*
 * Finds qid in qids, adding it at index *count when new: grows *arr
 * (elements of size elem, capacity *cap) and zeroes the new element, whose
 * first member must be its `const char *qid` (set to the copy in qids).
 * Sets *idx. Returns TL_OK or TL_ERR_NOMEM.
 */
static int intern_query(tl_strset *qids, void **arr, size_t *count, size_t *cap, size_t elem,
                        const char *qid, size_t *idx) {
  const char *copy;
  char *e;
  int added;
  if (tl_array_reserve(arr, cap, *count + 1, elem) != TL_OK ||
      tl_strset_add(qids, qid, strlen(qid), idx, &added) != TL_OK)
    return TL_ERR_NOMEM;
  if (!added)
    return TL_OK;
  e = (char *)*arr + *idx * elem;
  memset(e, 0, elem);
  copy = tl_strset_key(qids, *idx, NULL);
  memcpy(e, &copy, sizeof copy);
  *count = tl_strset_count(qids);
  return TL_OK;
}

/*
 * Computes each query's num_rel and its gains (positive grades sorted
 * descending) once every judgment is read. Returns TL_OK or TL_ERR_NOMEM.
 */
static int qrels_finish(tl_qrels *q) {
  size_t i, j, total = 0;
  for (i = 0; i < q->num_queries; i++)
    for (j = 0; j < tl_strset_count(q->queries[i].docs); j++)
      total += q->queries[i].judgments[j].rel > 0;
  q->gains = malloc((total ? total : 1) * sizeof *q->gains);
  if (!q->gains)
    return TL_ERR_NOMEM;
  total = 0;
  for (i = 0; i < q->num_queries; i++) {
    qrels_query *qq = &q->queries[i];
    qq->gains = q->gains + total;
    for (j = 0; j < tl_strset_count(qq->docs); j++)
      if (qq->judgments[j].rel > 0)
        qq->gains[qq->num_rel++] = qq->judgments[j].rel;
    total += qq->num_rel;
    qsort(qq->gains, qq->num_rel, sizeof(long), cmp_long_desc);
  }
  return TL_OK;
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

tl_status tl_qrels_read(FILE *in, const char *name, tl_qrels **out, tl_error *err) {
  tl_qrels *q = NULL;
  char *line = NULL, *f[4];
  size_t cap = 0;
  unsigned long lineno = 0;
  int rc;
  *out = NULL;
  q = calloc(1, sizeof *q);
  if (!q || tl_strset_create(&q->qids) != TL_OK) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", name);
    goto cleanup;
  }
  for (;;) {
    size_t qidx, d;
    long rel;
    int added;
    qrels_query *qq;
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
    rc = intern_query(q->qids, (void **)&q->queries, &q->num_queries, &q->cap_queries,
                      sizeof *q->queries, f[0], &qidx);
    if (rc != TL_OK)
      goto nomem;
    qq = &q->queries[qidx];
    if ((!qq->docs && tl_strset_create(&qq->docs) != TL_OK) ||
        tl_array_reserve((void **)&qq->judgments, &qq->cap_judgments, tl_strset_count(qq->docs) + 1,
                         sizeof *qq->judgments) != TL_OK ||
        tl_strset_add(qq->docs, f[2], strlen(f[2]), &d, &added) != TL_OK)
      goto nomem;
    if (!added) {
      rc = tl_error_set(err, TL_ERR_FORMAT,
                        "%s:%lu: document '%.128s' judged twice for query "
                        "'%.128s' (first at line %lu)",
                        name, lineno, f[2], f[0], qq->judgments[d].line);
      goto cleanup;
    }
    qq->judgments[d].rel = rel;
    qq->judgments[d].line = lineno;
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

tl_status tl_qrels_load(const char *path, tl_qrels **out, tl_error *err) {
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
  size_t qi, d;
  if (!tl_strset_has(q->qids, qid, strlen(qid), &qi) ||
      !tl_strset_has(q->queries[qi].docs, docid, strlen(docid), &d))
    return TL_ERR_NOTFOUND;
  *rel = q->queries[qi].judgments[d].rel;
  return TL_OK;
}

void tl_qrels_free(tl_qrels *q) {
  size_t i;
  if (!q)
    return;
  for (i = 0; i < q->num_queries; i++) {
    tl_strset_free(q->queries[i].docs);
    free(q->queries[i].judgments);
  }
  tl_strset_free(q->qids);
  free(q->queries);
  free(q->gains);
  free(q);
}

/* ---- run ------------------------------------------------------------ */

typedef struct run_doc {
  const char *docid; /* in the query's docids */
  double score;
  unsigned long line; /* the line that listed it */
} run_doc;

typedef struct run_query {
  const char *qid;
  tl_strset *docids; /* ids index docs until they are sorted */
  run_doc *docs;
  size_t num_docs, cap_docs;
} run_query;

struct tl_run {
  tl_strset *qids; /* ids index queries */
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

tl_status tl_run_read(FILE *in, const char *name, tl_run **out, tl_error *err) {
  tl_run *r = NULL;
  char *line = NULL, *f[6];
  size_t cap = 0, i;
  unsigned long lineno = 0;
  int rc;
  *out = NULL;
  r = calloc(1, sizeof *r);
  if (!r || tl_strset_create(&r->qids) != TL_OK) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", name);
    goto cleanup;
  }
  for (;;) {
    size_t qidx, d;
    long rank;
    double score;
    int added;
    run_query *rq;
    rc = next_record(in, name, &line, &cap, &lineno, f, 6, "qid Q0 docid rank score tag", err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK)
      goto cleanup;
    /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): next_record filled f[0..6) */
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
    rc = intern_query(r->qids, (void **)&r->queries, &r->num_queries, &r->cap_queries,
                      sizeof *r->queries, f[0], &qidx);
    if (rc != TL_OK)
      goto nomem;
    rq = &r->queries[qidx];
    if ((!rq->docids && tl_strset_create(&rq->docids) != TL_OK) ||
        tl_array_reserve((void **)&rq->docs, &rq->cap_docs, rq->num_docs + 1, sizeof *rq->docs) !=
            TL_OK ||
        tl_strset_add(rq->docids, f[2], strlen(f[2]), &d, &added) != TL_OK)
      goto nomem;
    if (!added) {
      rc = tl_error_set(err, TL_ERR_FORMAT,
                        "%s:%lu: document '%.128s' listed twice for query "
                        "'%.128s' (first at line %lu)",
                        name, lineno, f[2], f[0], rq->docs[d].line);
      goto cleanup;
    }
    rq->docs[d].docid = tl_strset_key(rq->docids, d, NULL);
    rq->docs[d].score = score;
    rq->docs[d].line = lineno;
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

tl_status tl_run_load(const char *path, tl_run **out, tl_error *err) {
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
  const run_query *rq;
  size_t qi;
  if (!tl_strset_has(r->qids, qid, strlen(qid), &qi))
    return NULL;
  rq = &r->queries[qi];
  return pos < rq->num_docs ? rq->docs[pos].docid : NULL;
}

void tl_run_free(tl_run *r) {
  size_t i;
  if (!r)
    return;
  for (i = 0; i < r->num_queries; i++) {
    tl_strset_free(r->queries[i].docids);
    free(r->queries[i].docs);
  }
  free(r->queries);
  tl_strset_free(r->qids);
  free(r);
}

/* ---- evaluation ----------------------------------------------------- */

struct tl_eval {
  tl_strset *qids; /* the rows' qids */
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
 * Scores one qrels query (num_rel >= 1) against its ranked run documents
 * docs[0..n) (n may be 0) into *out.
 */
static void score_query(const qrels_query *qq, const run_doc *docs, size_t n, tl_eval_scores *out) {
  double dcg = 0.0, idcg = 0.0;
  size_t i, rel_10 = 0, rel_100 = 0;
  memset(out, 0, sizeof *out);
  for (i = 0; i < n && i < TL_EVAL_CUT_LARGE; i++) {
    size_t d;
    long rel = tl_strset_has(qq->docs, docs[i].docid, strlen(docs[i].docid), &d)
                   ? qq->judgments[d].rel
                   : 0;
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

tl_status tl_eval_compute(const tl_qrels *qrels, const tl_run *run, tl_eval **out, tl_error *err) {
  tl_eval *e = NULL;
  const qrels_query **order = NULL;
  size_t i, n = 0;
  int rc = TL_OK;
  *out = NULL;
  e = calloc(1, sizeof *e);
  if (e && tl_strset_create(&e->qids) != TL_OK)
    goto nomem;
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
    size_t qi, k;
    const run_query *rq =
        tl_strset_has(run->qids, qq->qid, strlen(qq->qid), &qi) ? &run->queries[qi] : NULL;
    tl_eval_query *row = &e->rows[i];
    if (tl_strset_add(e->qids, qq->qid, strlen(qq->qid), &k, NULL) != TL_OK)
      goto nomem;
    row->qid = tl_strset_key(e->qids, k, NULL);
    row->num_rel = qq->num_rel;
    row->num_ret = rq ? rq->num_docs : 0;
    score_query(qq, rq ? rq->docs : NULL, row->num_ret, &row->scores);
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
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): queries holds num_queries */
    const char *qid = run->queries[i].qid;
    size_t qi;
    if (!tl_strset_has(qrels->qids, qid, strlen(qid), &qi) || qrels->queries[qi].num_rel == 0)
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
  tl_strset_free(e->qids);
  free(e);
}
