/* trees.c - reads and evaluates a tree ensemble (trees.h). */
#include "search/trees.h"

#include "util/buf.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines of a model are short: a node is "s F THRESHOLD YES NO DEFAULT". */
#define LINE_MAX_BYTES 256
/* Bounds that keep a malformed count from asking for huge allocations. */
#define MAX_TREES 100000
#define MAX_NODES 1000000
/* The largest leaf value, base and linear weight in magnitude: XGBoost's
 * are below 100; a sum of MAX_NODES of them stays finite. */
#define MAX_VALUE 1e6

typedef struct node {
  double value; /* a leaf's */
  float threshold;
  int32_t feature;        /* -1: a leaf */
  uint32_t yes, no, dflt; /* indices into the model's nodes (< MAX_NODES) */
} node;

/* A node as evaluated: the nodes of a tree in breadth-first order, so
 * that a split's two children are next to each other (YES at left, NO at
 * left + 1). A leaf splits on feature 0 at +infinity with left its own
 * index, so that a finite feature value stays on it: a row walks every
 * tree for the tree's depth in steps without branches, several rows at a
 * time. */
typedef struct walk_node {
  float threshold;
  uint16_t feature;
  uint8_t nan_no; /* a NaN goes to NO (else YES) */
  uint32_t left;
} walk_node;

struct tl_trees {
  size_t nfeatures, ntrees;
  double base, linear;
  size_t *root; /* per tree: its first node in nodes, then in walk */
  node *nodes;  /* as read */
  size_t nnodes, cap;
  walk_node *walk; /* the nodes as evaluated (nnodes) */
  double *value;   /* per node of walk: a leaf's value */
  unsigned *depth; /* per tree: the longest path, in splits */
};

void tl_trees_free(tl_trees *t) {
  if (!t)
    return;
  free(t->root);
  free(t->nodes);
  free(t->walk);
  free(t->value);
  free(t->depth);
  free(t);
}

/* Lays tree i (read into t->nodes from t->root[i], n nodes) out in walk
 * order from t->root[i] (the same place), with its depth. queue, level: n
 * slots of scratch. Returns 0, -1 when a node is reached from two splits
 * (the layout would not fit), or -2 when a node is not reached from the
 * root. */
static int lay_out(tl_trees *t, size_t i, size_t n, uint32_t *queue, unsigned *level) {
  size_t first = t->root[i], head = 0, tail = 0, k;
  unsigned depth = 0;
  /* reached from the root: children come after their node (read_tree) */
  memset(level, 0, n * sizeof *level);
  level[0] = 1;
  for (k = 0; k < n; k++) {
    const node *d = &t->nodes[first + k];
    if (!level[k])
      return -2;
    if (d->feature >= 0)
      level[d->yes - first] = level[d->no - first] = 1;
  }
  queue[tail] = (uint32_t)first; /* old index of walk node first + tail */
  level[tail++] = 0;
  while (head < tail) {
    const node *d = &t->nodes[queue[head]];
    walk_node *w = &t->walk[first + head];
    if (level[head] > depth)
      depth = level[head];
    if (d->feature < 0) {
      w->threshold = INFINITY;
      w->feature = 0;
      w->nan_no = 0;
      w->left = (uint32_t)(first + head);
      t->value[first + head] = d->value;
    } else {
      if (tail + 2 > n)
        return -1;
      w->threshold = d->threshold;
      w->feature = (uint16_t)d->feature;
      w->nan_no = d->dflt == d->no;
      w->left = (uint32_t)(first + tail);
      t->value[first + head] = 0;
      queue[tail] = d->yes;
      level[tail++] = level[head] + 1;
      queue[tail] = d->no;
      level[tail++] = level[head] + 1;
    }
    head++;
  }
  t->depth[i] = depth;
  return 0;
}

typedef struct reader {
  FILE *f;
  const char *path;
  unsigned long line;
  char *buf; /* the line read, NUL-terminated */
  size_t cap;
} reader;

static int bad(reader *rd, tl_error *err, const char *what) {
  return tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: %s", rd->path, rd->line, what);
}

/* The next line that is not blank into rd->buf, without the blank space
 * around it (a CR of CRLF among it): 1; 0 at the end of the file; -1 on a
 * line over LINE_MAX_BYTES, a NUL byte or a read error (err set). */
static int next_line(reader *rd, tl_error *err) {
  for (;;) {
    ssize_t got;
    size_t len, skip;
    errno = 0;
    if ((got = getline(&rd->buf, &rd->cap, rd->f)) < 0) {
      if (ferror(rd->f))
        return tl_error_set(err, errno == ENOMEM ? TL_ERR_NOMEM : TL_ERR_IO, "%s: %s", rd->path,
                            strerror(errno ? errno : EIO)),
               -1;
      return 0;
    }
    rd->line++;
    len = (size_t)got;
    if (strlen(rd->buf) != len)
      return bad(rd, err, "a NUL byte: not a text file"), -1;
    if (len > LINE_MAX_BYTES)
      return tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: a line over %d bytes", rd->path, rd->line,
                          LINE_MAX_BYTES),
             -1;
    while (len > 0 && strchr(" \t\r\n", rd->buf[len - 1]))
      rd->buf[--len] = '\0';
    skip = strspn(rd->buf, " \t");
    if (skip < len) {
      memmove(rd->buf, rd->buf + skip, len - skip + 1);
      return 1;
    }
  }
}

/* Reads "KEY NUMBER" into *v, a finite number of at most limit in
 * magnitude. */
static int header(reader *rd, const char *key, double limit, double *v, tl_error *err) {
  char k[32], rest;
  int got = next_line(rd, err);
  *v = 0;
  if (got < 0)
    return (int)err->code;
  if (!got || sscanf(rd->buf, "%31s %lf %c", k, v, &rest) != 2 || strcmp(k, key) != 0 ||
      !(fabs(*v) <= limit))
    return tl_error_set(err, TL_ERR_FORMAT,
                        "%s:%lu: expected '%s NUMBER' (at most %g in magnitude)", rd->path,
                        rd->line + !got, key, limit);
  return TL_OK;
}

/* Reads the n numbers that follow a node's letter in s (each after blank
 * space, as strtod reads them) into v; 1 when there are n and only blank
 * space after them. (By hand rather than sscanf: the shipped model has
 * 36,000 nodes, read at every start of telusur-query.) */
static int numbers(const char *s, double *v, int n) {
  char *end;
  int i;
  for (i = 0; i < n; i++) {
    const char *d;
    if (*s != ' ' && *s != '\t')
      return 0;
    while (*s == ' ' || *s == '\t')
      s++;
    for (d = s; *d >= '0' && *d <= '9' && d - s < 9; d++)
      ;
    if (d > s && (*d == ' ' || *d == '\t' || *d == '\0')) { /* a node index: digits alone */
      for (v[i] = 0; s < d; s++)
        v[i] = v[i] * 10 + (*s - '0');
      continue;
    }
    v[i] = strtod(s, &end);
    if (end == s)
      return 0;
    s = end;
  }
  while (*s == ' ' || *s == '\t')
    s++;
  return *s == '\0';
}

/* Whether v is a whole number in [lo, hi). */
static int index_in(double v, size_t lo, size_t hi) {
  return v >= (double)lo && v < (double)hi && v == floor(v);
}

static int read_tree(tl_trees *t, reader *rd, tl_error *err) {
  double m = 0;
  size_t i, first = t->nnodes, n;
  int rc;
  if ((rc = header(rd, "tree", MAX_NODES, &m, err)) != TL_OK)
    return rc;
  if (m < 1 || m != floor(m) || (double)t->nnodes + m > MAX_NODES)
    return tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: node count out of range", rd->path, rd->line);
  n = (size_t)m;
  if (tl_array_reserve((void **)&t->nodes, &t->cap, t->nnodes + n, sizeof *t->nodes) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < n; i++) {
    node *d = &t->nodes[first + i];
    double v[5];
    if ((rc = next_line(rd, err)) <= 0)
      return rc < 0
                 ? (int)err->code
                 : (int)tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: missing node (%zu of tree's %zu)",
                                     rd->path, rd->line + 1, i + 1, n);
    if (rd->buf[0] == 'l' && numbers(rd->buf + 1, v, 1)) {
      if (!(fabs(v[0]) <= MAX_VALUE))
        return tl_error_set(err, TL_ERR_FORMAT,
                            "%s:%lu: leaf value not finite or over %g in magnitude", rd->path,
                            rd->line, MAX_VALUE);
      d->feature = -1;
      d->value = v[0];
      continue;
    }
    /* children come after their parent (XGBoost numbers them so), which
     * also rules out cycles */
    if (rd->buf[0] != 's' || !numbers(rd->buf + 1, v, 5) || !index_in(v[0], 0, t->nfeatures) ||
        isnan(v[1]) || !index_in(v[2], i + 1, n) || !index_in(v[3], i + 1, n) ||
        (v[4] != v[2] && v[4] != v[3]))
      return tl_error_set(err, TL_ERR_FORMAT,
                          "%s:%lu: expected 'l VALUE' or 's FEATURE THRESHOLD YES NO DEFAULT' "
                          "(a feature under %zu, children after their node and in the tree)",
                          rd->path, rd->line, t->nfeatures);
    d->feature = (int32_t)v[0];
    d->threshold = (float)v[1];
    d->value = 0;
    d->yes = (uint32_t)(first + (size_t)v[2]);
    d->no = (uint32_t)(first + (size_t)v[3]);
    d->dflt = (uint32_t)(first + (size_t)v[4]);
  }
  t->nnodes += n;
  return TL_OK;
}

/* The nodes laid out for evaluation (walk, value, depth). */
static int build_walk(tl_trees *t, const char *path, tl_error *err) {
  size_t i, most = 0;
  uint32_t *queue;
  unsigned *level;
  for (i = 0; i < t->ntrees; i++) {
    size_t end = i + 1 < t->ntrees ? t->root[i + 1] : t->nnodes;
    if (end - t->root[i] > most)
      most = end - t->root[i];
  }
  t->walk = malloc((t->nnodes + 1) * sizeof *t->walk);
  t->value = malloc((t->nnodes + 1) * sizeof *t->value);
  t->depth = malloc((t->ntrees + 1) * sizeof *t->depth);
  queue = malloc((most + 1) * sizeof *queue);
  level = malloc((most + 1) * sizeof *level);
  if (!t->walk || !t->value || !t->depth || !queue || !level) {
    free(queue);
    free(level);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  for (i = 0; i < t->ntrees; i++) {
    size_t end = i + 1 < t->ntrees ? t->root[i + 1] : t->nnodes;
    int laid = lay_out(t, i, end - t->root[i], queue, level);
    if (laid != 0) {
      free(queue);
      free(level);
      return tl_error_set(err, TL_ERR_FORMAT, "%s: tree %zu: %s", path, i + 1,
                          laid == -1 ? "a node is the child of two splits"
                                     : "a node not reached from the root");
    }
  }
  free(queue);
  free(level);
  return TL_OK;
}

int tl_trees_load(const char *path, size_t nfeatures, tl_trees **out, tl_error *err) {
  reader rd = {0};
  tl_trees *t;
  double v = 0;
  size_t i;
  int rc;
  *out = NULL;
  rd.path = path;
  if (!(rd.f = fopen(path, "r")))
    return tl_error_set(err, errno == ENOENT ? TL_ERR_NOTFOUND : TL_ERR_IO, "%s: %s", path,
                        strerror(errno));
  if (!(t = calloc(1, sizeof *t))) {
    fclose(rd.f);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if ((rc = next_line(&rd, err)) <= 0 || strcmp(rd.buf, "telusur-trees 1") != 0) {
    rc = rc < 0 ? (int)err->code
                : (int)tl_error_set(err, TL_ERR_FORMAT,
                                    "%s:%lu: not a tree model (expected 'telusur-trees 1')", path,
                                    rd.line ? rd.line : 1);
    goto fail;
  }
  if ((rc = header(&rd, "features", MAX_NODES, &v, err)) != TL_OK)
    goto fail;
  if (v != (double)nfeatures) {
    rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: the model has %g features, not %zu", path,
                      rd.line, v, nfeatures);
    goto fail;
  }
  if (nfeatures > UINT16_MAX) {
    rc = tl_error_set(err, TL_ERR_USAGE, "%s: %zu features, more than trees can split on", path,
                      nfeatures);
    goto fail;
  }
  t->nfeatures = nfeatures;
  if ((rc = header(&rd, "base", MAX_VALUE, &t->base, err)) != TL_OK ||
      (rc = header(&rd, "linear", MAX_VALUE, &t->linear, err)) != TL_OK ||
      (rc = header(&rd, "trees", MAX_TREES, &v, err)) != TL_OK)
    goto fail;
  if (v < 0 || v != floor(v)) {
    rc = tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: tree count out of range", path, rd.line);
    goto fail;
  }
  t->ntrees = (size_t)v;
  if (t->ntrees && !(t->root = malloc(t->ntrees * sizeof *t->root))) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto fail;
  }
  for (i = 0; i < t->ntrees; i++) {
    t->root[i] = t->nnodes;
    if ((rc = read_tree(t, &rd, err)) != TL_OK)
      goto fail;
  }
  if ((rc = build_walk(t, path, err)) != TL_OK)
    goto fail;
  if ((rc = next_line(&rd, err)) != 0) {
    rc = rc < 0 ? (int)err->code
                : (int)tl_error_set(err, TL_ERR_FORMAT, "%s:%lu: text after the last tree", path,
                                    rd.line);
    goto fail;
  }
  free(rd.buf);
  fclose(rd.f);
  *out = t;
  return TL_OK;
fail:
  free(rd.buf);
  fclose(rd.f);
  tl_trees_free(t);
  return rc;
}

/* Rows evaluated together by tl_trees_predict_rows. */
#define ROWS 64

/* One row as read (the nodes of t), for a row holding a NaN or an
 * infinity. */
static double predict_read(const tl_trees *t, const double *x) {
  double sum = 0;
  size_t i;
  for (i = 0; i < t->ntrees; i++) {
    const node *d = &t->nodes[t->root[i]];
    while (d->feature >= 0) {
      float v = (float)x[d->feature]; /* compared as XGBoost does */
      d = &t->nodes[isnan(v) ? d->dflt : v < d->threshold ? d->yes : d->no];
    }
    sum += d->value;
  }
  return sum;
}

void tl_trees_predict_rows(const tl_trees *t, const double *x, size_t n, const double *linear,
                           double *out) {
  float xf[ROWS * 64];
  double sum[ROWS];
  uint32_t at[ROWS];
  int nan_row[ROWS]; /* evaluated as read instead */
  size_t first, m, i, k, f, nf = t->nfeatures, per = nf <= 64 ? ROWS : 1;
  for (first = 0; first < n; first += m) {
    m = n - first < per ? n - first : per;
    for (k = 0; k < m; k++) {
      sum[k] = 0;
      nan_row[k] = 0;
      if (nf <= 64)
        for (f = 0; f < nf; f++) {
          float v = (float)x[(first + k) * nf + f]; /* compared as XGBoost does */
          /* a NaN or an infinity (which would step off a leaf) sends the
           * row the way it was read; it walks on zeros meanwhile */
          nan_row[k] |= !isfinite(v);
          xf[k * 64 + f] = isfinite(v) ? v : 0.0f;
        }
      else
        nan_row[k] = 1; /* wider rows than the walk's buffer: as read */
    }
    /* a tree at a time over the rows, for the tree's depth: its nodes stay
     * in the cache, and the rows' steps do not wait on one another */
    for (i = 0; nf <= 64 && i < t->ntrees; i++) {
      unsigned step;
      for (k = 0; k < m; k++)
        at[k] = (uint32_t)t->root[i];
      for (step = 0; step < t->depth[i]; step++)
        for (k = 0; k < m; k++) {
          const walk_node *w = &t->walk[at[k]];
          float v = xf[k * 64 + w->feature];
          at[k] = w->left + (v < w->threshold ? 0u : 1u);
        }
      for (k = 0; k < m; k++)
        sum[k] += t->value[at[k]];
    }
    for (k = 0; k < m; k++) {
      if (nan_row[k])
        sum[k] = predict_read(t, x + (first + k) * nf);
      out[first + k] = t->base + sum[k] + t->linear * linear[first + k];
    }
  }
}

double tl_trees_predict(const tl_trees *t, const double *x, double linear) {
  double s;
  tl_trees_predict_rows(t, x, 1, &linear, &s);
  return s;
}

double tl_trees_linear_weight(const tl_trees *t) {
  return t->linear;
}
