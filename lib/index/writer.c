/* writer.c - one database and the thread that writes it. */
#include "index/writer.h"

#include "xapian/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

enum cmd_kind { CMD_PUT, CMD_META, CMD_DROP, CMD_SWEEP, CMD_STOP };

typedef struct cmd {
  int kind;
  tl_prepared *prep;
  char *path;
  tl_file_state st;
  uint64_t *keep; /* CMD_SWEEP: sorted hashes of the id terms kept */
  size_t nkeep;
} cmd;

/* The queue holds at most this many commands ... */
#define QCAP 32
/* ... and holds at most about this many bytes of passage text queued. */
#define QBYTES (512u << 10)
/* A shard also commits when this many bytes of passage text wait
 * uncommitted (Xapian holds a transaction in memory: about 40 bytes per
 * byte of text), so that memory stays bounded however long the articles are:
 * also between two chunks of one article. The trade-off: such a huge
 * article is not replaced atomically (a reader may see its old passages
 * gone and only some of the new ones), and an interrupted run leaves it cut
 * short; but its file's state is recorded only after the whole file, so the
 * next run reads the file again, sees the article's passage count differ
 * (update.c) and indexes it again, deleting what was there first. */
#define COMMIT_BYTES (2ULL << 20)
/* A writer that creates its index, whose commits wait for no sync, commits
 * every this many bytes instead: Xapian's inverter, a map of the postings
 * of a transaction by term, is quicker to fill and to flush small (a fresh
 * build of mixed-30mb: 10% less CPU than with COMMIT_BYTES and 25 MB less
 * memory; bench/RESULTS-index.md). */
#define COMMIT_BYTES_NEW (512ULL << 10)

struct tl_writer {
  tl_index *ix;
  char *created; /* the database's path, when this writer created it */
  pthread_t thread;
  int started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  cmd q[QCAP];
  size_t head, count;
  unsigned long long queued_bytes; /* text bytes of the chunks queued */
  unsigned batch, uncommitted;
  unsigned long long uncommitted_bytes;
  /* results, read after the thread is joined (failed also before, under mu) */
  int failed;
  tl_error err;
  unsigned long added, replaced, removed;
};

int tl_writer_open(const char *path, const tl_index_options *opts, unsigned batch, tl_writer **out,
                   tl_error *err) {
  tl_writer *w = calloc(1, sizeof *w);
  tl_index_options io;
  struct stat sb;
  int rc;
  *out = NULL;
  if (!w)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memset(&io, 0, sizeof io);
  if (opts)
    io = *opts;
  io.create = stat(path, &sb) != 0 && errno == ENOENT;
  if (io.create && !(w->created = strdup(path))) {
    free(w);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if ((rc = tl_index_open(path, &io, &w->ix, err)) != TL_OK) {
    free(w->created);
    free(w);
    return rc;
  }
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  w->batch = batch ? batch : 1;
  *out = w;
  return TL_OK;
}

static void now_iso(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int commit(tl_writer *w, tl_error *err) {
  char ts[32];
  int rc;
  now_iso(ts, sizeof ts);
  if ((rc = tl_store_set_metadata(tl_index_store(w->ix), TL_META_UPDATED, ts, err)) != TL_OK)
    return rc;
  w->uncommitted = 0;
  w->uncommitted_bytes = 0;
  return tl_index_commit(w->ix, err);
}

int tl_writer_commit(tl_writer *w, tl_error *err) {
  return commit(w, err);
}

int tl_writer_sync(tl_writer *w, tl_error *err) {
  return w->created ? tl_store_sync(w->created, err) : TL_OK;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct sweep_ctx {
  const cmd *c;
  char **ids; /* ids of the file's articles not kept */
  size_t n, cap;
} sweep_ctx;

static int on_id(void *vctx, const char *id) {
  sweep_ctx *x = vctx;
  char q[TL_ID_TERM_MAX + 2];
  size_t ql = tl_index_article_term(id, q);
  uint64_t h = XXH3_64bits(q, ql);
  if (x->c->nkeep && bsearch(&h, x->c->keep, x->c->nkeep, sizeof h, cmp_u64))
    return 0;
  if (x->n == x->cap) {
    size_t cap = x->cap ? x->cap * 2 : 16;
    char **np = realloc(x->ids, cap * sizeof *np);
    if (!np)
      return TL_ERR_NOMEM;
    x->ids = np;
    x->cap = cap;
  }
  if (!(x->ids[x->n] = strdup(id)))
    return TL_ERR_NOMEM;
  x->n++;
  return 0;
}

/* Removes the articles whose passages carry the file term c->path but whose
 * id term is not in c->keep: those the file no longer holds. */
static int sweep(tl_writer *s, const cmd *c, tl_error *err) {
  tl_store *st = tl_index_store(s->ix);
  sweep_ctx x;
  size_t i;
  int rc;
  memset(&x, 0, sizeof x);
  x.c = c;
  rc = tl_store_term_values(st, c->path, strlen(c->path), TL_SLOT_ARTICLE_ID, on_id, &x, err);
  if (rc == TL_ERR_NOMEM)
    tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < x.n; i++) {
    char q[TL_ID_TERM_MAX + 2];
    size_t ql = tl_index_article_term(x.ids[i], q);
    if (rc == TL_OK && (rc = tl_store_delete_term(st, q, ql, err)) == TL_OK)
      s->removed++;
    free(x.ids[i]);
  }
  free(x.ids);
  return rc;
}

static void *writer_main(void *vw) {
  tl_writer *s = vw;
  for (;;) {
    cmd c;
    int rc = TL_OK, existed = 0;
    pthread_mutex_lock(&s->mu);
    while (!s->count)
      pthread_cond_wait(&s->cv, &s->mu);
    c = s->q[s->head];
    s->head = (s->head + 1) % QCAP;
    s->count--;
    s->queued_bytes -= c.prep ? c.prep->bytes : 0;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (c.kind == CMD_STOP)
      break;
    if (!s->failed) {
      if (c.kind == CMD_PUT) {
        rc = tl_index_put(s->ix, c.prep, &existed, &s->err);
        if (rc == TL_OK) {
          if (c.prep->first == 0) {
            if (existed)
              s->replaced++;
            else
              s->added++;
            s->uncommitted++;
          }
          s->uncommitted_bytes += c.prep->bytes;
          /* may commit inside a huge article: see COMMIT_BYTES */
          if (s->uncommitted >= s->batch ||
              s->uncommitted_bytes >= (s->created ? COMMIT_BYTES_NEW : COMMIT_BYTES))
            rc = commit(s, &s->err);
        }
      } else if (c.kind == CMD_META) {
        rc = tl_manifest_put(tl_index_store(s->ix), c.path, &c.st, c.path + strlen(c.path) + 1,
                             &s->err);
      } else if (c.kind == CMD_DROP) {
        rc = tl_manifest_delete(tl_index_store(s->ix), c.path, &s->err);
      } else {
        rc = sweep(s, &c, &s->err);
      }
      if (rc != TL_OK) {
        pthread_mutex_lock(&s->mu);
        s->failed = 1;
        pthread_mutex_unlock(&s->mu);
      }
    }
    tl_prepared_free(c.prep);
    free(c.path);
    free(c.keep);
  }
  return NULL;
}

int tl_writer_start(tl_writer *w, tl_error *err) {
  if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
    return tl_error_set(err, TL_ERR_NOMEM, "cannot start a writer thread");
  w->started = 1;
  return TL_OK;
}

/* Queues a command (taking c's pointers); returns the writer's error when
 * it has failed (the command is then dropped). */
static int push(tl_writer *s, cmd c, tl_error *err) {
  int rc = TL_OK;
  pthread_mutex_lock(&s->mu);
  while ((s->count >= QCAP || (s->count && s->queued_bytes >= QBYTES)) && !s->failed)
    pthread_cond_wait(&s->cv, &s->mu);
  if (s->failed) {
    rc = s->err.code ? s->err.code : TL_ERR_XAPIAN;
    if (err)
      *err = s->err;
  } else {
    s->q[(s->head + s->count) % QCAP] = c;
    s->count++;
    s->queued_bytes += c.prep ? c.prep->bytes : 0;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  if (rc != TL_OK) {
    tl_prepared_free(c.prep);
    free(c.path);
    free(c.keep);
  }
  return rc;
}

int tl_writer_put(tl_writer *w, tl_prepared *p, tl_error *err) {
  cmd c;
  memset(&c, 0, sizeof c);
  c.kind = CMD_PUT;
  c.prep = p;
  return push(w, c, err);
}

int tl_writer_put_state(tl_writer *w, const char *path, const tl_file_state *st, const char *notes,
                        tl_error *err) {
  cmd c;
  size_t np = strlen(path) + 1, nn = notes ? strlen(notes) + 1 : 1;
  memset(&c, 0, sizeof c);
  c.kind = st ? CMD_META : CMD_DROP;
  if (st)
    c.st = *st;
  /* the path, then the notes: one allocation */
  if (!(c.path = malloc(np + nn)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memcpy(c.path, path, np);
  memcpy(c.path + np, notes ? notes : "", nn);
  return push(w, c, err);
}

int tl_writer_sweep(tl_writer *w, const char *fterm, uint64_t *keep, size_t nkeep, tl_error *err) {
  cmd c;
  memset(&c, 0, sizeof c);
  c.kind = CMD_SWEEP;
  c.keep = keep;
  c.nkeep = nkeep;
  if (!(c.path = strdup(fterm))) {
    free(keep);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (nkeep)
    qsort(keep, nkeep, sizeof *keep, cmp_u64);
  return push(w, c, err);
}

int tl_writer_stop(tl_writer *s, tl_error *err) {
  if (s->started) {
    cmd stop;
    memset(&stop, 0, sizeof stop);
    stop.kind = CMD_STOP;
    pthread_mutex_lock(&s->mu);
    while (s->count >= QCAP)
      pthread_cond_wait(&s->cv, &s->mu);
    s->q[(s->head + s->count) % QCAP] = stop;
    s->count++;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    s->started = 0;
  }
  if (!s->failed)
    return TL_OK;
  if (err)
    *err = s->err;
  return s->err.code ? s->err.code : TL_ERR_XAPIAN;
}

tl_index *tl_writer_index(tl_writer *w) {
  return w->ix;
}

void tl_writer_counts(const tl_writer *w, unsigned long *added, unsigned long *replaced,
                      unsigned long *removed) {
  *added = w->added;
  *replaced = w->replaced;
  *removed = w->removed;
}

void tl_writer_free(tl_writer *w) {
  if (!w)
    return;
  tl_writer_stop(w, NULL);
  tl_index_close(w->ix);
  free(w->created);
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->cv);
  free(w);
}
