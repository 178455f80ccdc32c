/* telusur-index: index articles into a telusur database, in parallel and
 * incrementally; compact it; print its figures. */
#include "index/documents.h"
#include "index/manifest.h"
#include "telusur/error.h"
#include "text/reader.h"
#include "text/walk.h"
#include "util/pipeline.h"
#include "xapian/store.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define EXIT_SKIPPED 1
#define EXIT_FATAL 2
#define MAX_SHARDS 64

static const char usage[] =
    "Usage: telusur-index [OPTION]... PATH...\n"
    "  or:  telusur-index [-d DB] --compact | --stats\n"
    "Index Indonesian articles for telusur-query. PATH is a file or a directory\n"
    "(walked recursively in name order); '-' reads paths from standard input,\n"
    "one a line. Formats: .txt (first non-empty line is the title, paragraphs\n"
    "separated by blank lines), .jsonl (one article per line: id, title, text,\n"
    "and optional date, url, source), and both gzip-compressed (.gz).\n"
    "Re-indexing an article (same id) replaces its passages. Re-running over\n"
    "the same paths skips unchanged files (same size and mtime, or the same\n"
    "content hash) and, in a changed JSON Lines file, unchanged articles.\n"
    "\n"
    "  -d, --db=DB          the index (default: $TELUSUR_DB, else ./telusur.db)\n"
    "      --stemmer=NAME   indonesian (default), snowball or none; fixed when\n"
    "                       the index is created\n"
    "      --batch=N        commit every N articles (default 1000), and at the\n"
    "                       latest every 2 MB of passage text per database\n"
    "  -j, --jobs=N         analysis threads (default: the number of cores)\n"
    "      --prune          remove the articles of indexed files that are gone\n"
    "      --shards=N       build N shard databases in parallel and a stub\n"
    "                       database DB that lists them (search it with\n"
    "                       telusur-query -d DB); fixed when DB is created\n"
    "      --compact        compact the database in place (Xapian compaction)\n"
    "      --stats          print articles, passages, distinct terms, size and\n"
    "                       last update\n"
    "  -q, --quiet          print neither progress nor summary\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "On a terminal, a progress line on stderr shows files and articles done,\n"
    "passages, MB/s and time left; at the end a summary counts articles added,\n"
    "replaced, unchanged and removed, what was skipped and why, passages,\n"
    "bytes and seconds.\n"
    "\n"
    "Bad input (a missing or unreadable file, invalid UTF-8, binary data, a\n"
    "malformed JSON line, truncated gzip data) is reported on stderr, one line\n"
    "naming the file and the line or byte offset, and skipped; the rest is\n"
    "indexed. Each commit is atomic: an interrupted run leaves the index as it\n"
    "was at the last commit.\n"
    "\n"
    "Exit status: 0 all input indexed; 1 indexed, but some input was skipped;\n"
    "2 error (bad usage, or the index could not be opened or written).\n";

/* ---- what workers hand to the consumer ---- */

enum item_kind {
  IT_NOTE,         /* a skipped record: text, code */
  IT_SKIP_FILE,    /* a file that could not be read: text, code */
  IT_FATAL,        /* analysis failed: text */
  IT_ARTICLE,      /* prep, existed */
  IT_ARTICLE_SAME, /* an unchanged article of a changed file */
  IT_FILE_SAME,    /* an unchanged file: st (counts recorded), touched */
  IT_FILE_DONE     /* a file read to its end: text = path, st */
};

typedef struct item {
  int kind, code, existed, touched;
  char *text;
  tl_prepared *prep;
  tl_file_state st;
  unsigned long long bytes; /* input bytes consumed since the last item */
} item;

static void item_free(void *v) {
  item *it = v;
  if (!it)
    return;
  free(it->text);
  tl_prepared_free(it->prep);
  free(it);
}

static item *item_new(int kind, const char *text, int code) {
  item *it = calloc(1, sizeof *it);
  if (!it)
    return NULL;
  it->kind = kind;
  it->code = code;
  if (text && !(it->text = strdup(text))) {
    free(it);
    return NULL;
  }
  return it;
}

/* ---- jobs ---- */

enum { JOB_FILE, JOB_NOTE };

typedef struct job {
  int kind, code; /* JOB_NOTE: code TL_OK when not a skip */
  char text[];    /* the path, or the note */
} job;

/* Bytes of text a file holds: for .gz, the size gzip recorded in its last
 * four bytes (mod 4 GiB), else its size. For progress only. */
static unsigned long long content_size(const char *path, unsigned long long size) {
  size_t n = strlen(path);
  unsigned long long isize = size;
  if (n > 3 && strcmp(path + n - 3, ".gz") == 0 && size >= 18) {
    FILE *f = fopen(path, "rb");
    unsigned char b[4];
    if (f) {
      if (fseek(f, -4, SEEK_END) == 0 && fread(b, 1, 4, f) == 4)
        isize = (unsigned long long)b[0] | (unsigned long long)b[1] << 8 |
                (unsigned long long)b[2] << 16 | (unsigned long long)b[3] << 24;
      fclose(f);
    }
  }
  return isize;
}

/* ---- workers ---- */

/* An article's passages go to the writer in chunks of at most this many
 * passages and about this many bytes of text, so that a huge article is
 * never held whole as documents. */
#define CHUNK_PASSAGES 64
#define CHUNK_BYTES (64u << 10)

typedef struct worker {
  tl_analysis *an;
  tl_store *ro; /* the index as last committed, to tell what changed */
} worker;

static int emit(tl_pipeline_job *job, item *it) {
  if (!it)
    return 1;
  if (tl_pipeline_emit(job, it) != 0) {
    item_free(it);
    return 1;
  }
  return 0;
}

/* The article's content hash as the index holds it ("" when absent), and
 * its passage count. Errors only when the index cannot be read. */
static int old_article(worker *w, const tl_prepared *p, char **hash, unsigned long *np) {
  tl_error err;
  int tries;
  for (tries = 0; tries < 2; tries++) {
    if (tl_store_first_value(w->ro, p->qterm, p->qlen, TL_SLOT_ARTICLE_HASH, hash, &err) == TL_OK &&
        tl_store_term_count(w->ro, p->qterm, p->qlen, np, &err) == TL_OK)
      return TL_OK;
    free(*hash);
    *hash = NULL;
    tl_store_reopen(w->ro, &err); /* DatabaseModifiedError: a newer revision */
  }
  return TL_ERR_XAPIAN;
}

static void work_file(worker *w, const char *path, tl_pipeline_job *job) {
  tl_error err;
  tl_file_state now, old;
  int found = 0;
  tl_reader *rd;
  const tl_article *a;
  item *it;
  uint64_t last_bytes = 0;
  int rc, fatal = 0;
  if (tl_file_stat(path, &now, &err) != TL_OK) {
    emit(job, item_new(IT_SKIP_FILE, err.msg, TL_ERR_IO));
    return;
  }
  tl_store_reopen(w->ro, &err);
  if (tl_manifest_get(w->ro, path, &old, &found, &err) != TL_OK)
    found = 0;
  if (found && old.size == now.size && old.mtime_ns == now.mtime_ns) {
    if ((it = item_new(IT_FILE_SAME, path, TL_OK))) {
      it->st = old;
      it->bytes = content_size(path, now.size);
    }
    emit(job, it);
    return;
  }
  if (tl_file_hash(path, &now.hash, &err) != TL_OK) {
    emit(job, item_new(IT_SKIP_FILE, err.msg, TL_ERR_IO));
    return;
  }
  if (found && old.hash == now.hash) {
    if ((it = item_new(IT_FILE_SAME, path, TL_OK))) {
      it->st = now;
      it->st.articles = old.articles;
      it->st.passages = old.passages;
      it->touched = 1;
      it->bytes = content_size(path, now.size);
    }
    emit(job, it);
    return;
  }
  if ((rc = tl_reader_open(path, &rd, &err)) != TL_OK) {
    emit(job, item_new(IT_SKIP_FILE, err.msg, rc));
    return;
  }
  for (;;) {
    char *oldhash = NULL, hex[17];
    unsigned long np = 0;
    size_t npassages = 0;
    rc = tl_reader_next(rd, &a, &err);
    if (rc == TL_DONE)
      break;
    if (rc != TL_OK) {
      it = item_new(IT_NOTE, err.msg, rc);
    } else if ((rc = tl_index_prepare_begin(w->an, a, &npassages, &err)) != TL_OK) {
      it = item_new(IT_FATAL, err.msg, rc);
    } else {
      /* an article whose hash and passage count the index holds is not
       * analyzed again (a count that differs: an article cut by an
       * interrupted run, see COMMIT_BYTES) */
      tl_prepared probe;
      probe.qlen = tl_index_article_term(a->id, probe.qterm);
      tl_hash_hex(tl_article_hash(a), hex);
      int same = found && old_article(w, &probe, &oldhash, &np) == TL_OK && *oldhash &&
                 strcmp(oldhash, hex) == 0 && np == npassages;
      free(oldhash);
      if (same) {
        it = item_new(IT_ARTICLE_SAME, NULL, TL_OK);
        if (it)
          it->st.passages = np;
      } else {
        /* the article's passages, a chunk at a time */
        uint64_t b = tl_reader_bytes(rd);
        tl_prepared *p = NULL;
        int first = 1;
        now.articles++;
        while ((rc = tl_index_prepare_next(w->an, a, CHUNK_PASSAGES, CHUNK_BYTES, &p, &err)) ==
               TL_OK) {
          if (!(it = item_new(IT_ARTICLE, NULL, TL_OK))) {
            tl_prepared_free(p);
            break;
          }
          it->prep = p;
          now.passages += p->count;
          if (first) {
            it->bytes = b - last_bytes;
            last_bytes = b;
            first = 0;
          }
          if (emit(job, it))
            break;
        }
        if (rc == TL_DONE)
          continue;
        if (rc != TL_OK)
          emit(job, item_new(IT_FATAL, err.msg, rc));
        break; /* out of memory, a failed analysis, or cancelled */
      }
    }
    if (it) {
      uint64_t b = tl_reader_bytes(rd);
      it->bytes = b - last_bytes;
      last_bytes = b;
      now.articles += it->kind == IT_ARTICLE_SAME;
      now.passages += it->kind == IT_ARTICLE_SAME ? it->st.passages : 0;
    }
    fatal = it && it->kind == IT_FATAL; /* it is the consumer's after emit */
    if (emit(job, it) || fatal)
      break;
  }
  if ((it = item_new(IT_FILE_DONE, path, TL_OK))) {
    it->st = now;
    it->bytes = tl_reader_bytes(rd) - last_bytes;
  }
  tl_reader_free(rd);
  emit(job, it);
}

static void work(void *vw, void *vjob, tl_pipeline_job *pj) {
  job *j = vjob;
  if (j->kind == JOB_NOTE)
    emit(pj, item_new(j->code != TL_OK ? IT_SKIP_FILE : IT_NOTE, j->text, j->code));
  else
    work_file(vw, j->text, pj);
}

/* ---- shard writers: one thread per database ---- */

enum cmd_kind { CMD_PUT, CMD_META, CMD_STOP };

typedef struct cmd {
  int kind;
  unsigned long long bytes; /* CMD_PUT: the article's input bytes */
  tl_prepared *prep;
  char *path;
  tl_file_state st;
} cmd;

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
 * (work_file) and indexes it again, deleting what was there first. */
#define COMMIT_BYTES (2ULL << 20)

typedef struct shard {
  tl_index *ix;
  char *path;
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
  unsigned long added, replaced;
} shard;

static void now_iso(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int shard_commit(shard *s, tl_error *err) {
  char ts[32];
  int rc;
  now_iso(ts, sizeof ts);
  if ((rc = tl_store_set_metadata(tl_index_store(s->ix), TL_META_UPDATED, ts, err)) != TL_OK)
    return rc;
  s->uncommitted = 0;
  s->uncommitted_bytes = 0;
  return tl_index_commit(s->ix, err);
}

static void *shard_main(void *vs) {
  shard *s = vs;
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
          if (s->uncommitted >= s->batch || s->uncommitted_bytes >= COMMIT_BYTES)
            rc = shard_commit(s, &s->err);
        }
      } else {
        rc = tl_manifest_put(tl_index_store(s->ix), c.path, &c.st, &s->err);
      }
      if (rc != TL_OK) {
        pthread_mutex_lock(&s->mu);
        s->failed = 1;
        pthread_mutex_unlock(&s->mu);
      }
    }
    tl_prepared_free(c.prep);
    free(c.path);
  }
  return NULL;
}

/* Queues a command (taking c's pointers); returns non-zero when the shard
 * has failed (the command is then dropped). */
static int shard_push(shard *s, cmd c) {
  int failed;
  pthread_mutex_lock(&s->mu);
  while ((s->count >= QCAP || (s->count && s->queued_bytes >= QBYTES)) && !s->failed)
    pthread_cond_wait(&s->cv, &s->mu);
  failed = s->failed && c.kind != CMD_STOP;
  if (!failed) {
    s->q[(s->head + s->count) % QCAP] = c;
    s->count++;
    s->queued_bytes += c.prep ? c.prep->bytes : 0;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  if (failed) {
    tl_prepared_free(c.prep);
    free(c.path);
  }
  return failed;
}

/* Stops and joins the thread (commands still queued are carried out). */
static void shard_join(shard *s) {
  cmd stop;
  if (!s->started)
    return;
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

/* ---- the run ---- */

#define NREASONS 12

typedef struct run {
  shard *shards;
  size_t nshards;
  tl_pipeline *pl;
  int sharded; /* file states wait for the end (several databases) */
  int fatal, progress;
  unsigned long files, articles, passages, unchanged, removed, skipped_files, skipped_records;
  unsigned long reasons[NREASONS];
  unsigned long long bytes, done_bytes, total_bytes;
  unsigned long total_files;
  struct timespec t0, last;
  /* sharded: file states, applied once every shard has committed */
  char **st_paths;
  tl_file_state *sts;
  size_t nst, cap_st;
} run;

static double since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_line(run *r, int force) {
  struct timespec t;
  double el, mbs, left = -1;
  char eta[32];
  clock_gettime(CLOCK_MONOTONIC, &t);
  if (!force &&
      (double)(t.tv_sec - r->last.tv_sec) + (double)(t.tv_nsec - r->last.tv_nsec) / 1e9 < 0.25)
    return;
  r->last = t;
  el = since(&r->t0);
  mbs = el > 0 ? (double)r->done_bytes / 1e6 / el : 0;
  if (r->total_bytes && r->done_bytes && r->done_bytes <= r->total_bytes)
    left = el * (double)(r->total_bytes - r->done_bytes) / (double)r->done_bytes;
  if (left >= 0)
    snprintf(eta, sizeof eta, "%d:%02d left", (int)left / 60, (int)left % 60);
  else
    snprintf(eta, sizeof eta, "--:-- left");
  if (r->total_files)
    fprintf(stderr,
            "\r\033[Ktelusur-index: %lu/%lu files, %lu articles, %lu passages, "
            "%.1f MB/s, %s",
            r->files + r->skipped_files, r->total_files, r->articles, r->passages, mbs, eta);
  else
    fprintf(stderr, "\r\033[Ktelusur-index: %lu files, %lu articles, %lu passages, %.1f MB/s",
            r->files + r->skipped_files, r->articles, r->passages, mbs);
}

static void clear_progress(run *r) {
  if (r->progress)
    fputs("\r\033[K", stderr);
}

static void note(run *r, const char *msg) {
  clear_progress(r);
  fprintf(stderr, "telusur-index: %s\n", msg);
}

static int keep_state(run *r, const char *path, const tl_file_state *st) {
  if (!r->sharded) {
    cmd c;
    memset(&c, 0, sizeof c);
    c.kind = CMD_META;
    c.st = *st;
    if (!(c.path = strdup(path)))
      return 1;
    return shard_push(&r->shards[0], c);
  }
  if (r->nst == r->cap_st) {
    size_t cap = r->cap_st ? r->cap_st * 2 : 64;
    char **np = realloc(r->st_paths, cap * sizeof *np);
    tl_file_state *ns;
    if (!np)
      return 1;
    r->st_paths = np;
    if (!(ns = realloc(r->sts, cap * sizeof *ns)))
      return 1;
    r->sts = ns;
    r->cap_st = cap;
  }
  if (!(r->st_paths[r->nst] = strdup(path)))
    return 1;
  r->sts[r->nst++] = *st;
  return 0;
}

static int consume(void *vr, void *vit) {
  run *r = vr;
  item *it = vit;
  int stop = 0;
  r->bytes += it->kind == IT_FILE_SAME ? 0 : it->bytes;
  r->done_bytes += it->bytes;
  switch (it->kind) {
  case IT_NOTE:
  case IT_SKIP_FILE:
    note(r, it->text);
    if (it->code != TL_OK) {
      if (it->kind == IT_SKIP_FILE)
        r->skipped_files++;
      else
        r->skipped_records++;
      r->reasons[it->code > 0 && it->code < NREASONS ? it->code : 0]++;
    }
    break;
  case IT_FATAL:
    note(r, it->text);
    r->fatal = 1;
    stop = 1;
    break;
  case IT_ARTICLE: {
    cmd c;
    size_t k = r->nshards > 1 ? XXH3_64bits(it->prep->qterm, it->prep->qlen) % r->nshards : 0;
    memset(&c, 0, sizeof c);
    c.kind = CMD_PUT;
    c.bytes = it->bytes;
    c.prep = it->prep;
    it->prep = NULL;
    r->articles += c.prep->first == 0;
    r->passages += c.prep->count;
    if (shard_push(&r->shards[k], c)) {
      r->fatal = 1;
      stop = 1;
    }
    break;
  }
  case IT_ARTICLE_SAME:
    r->articles++;
    r->unchanged++;
    break;
  case IT_FILE_SAME:
    r->files++;
    r->articles += it->st.articles;
    r->unchanged += it->st.articles;
    if (it->touched && keep_state(r, it->text, &it->st))
      r->fatal = stop = 1;
    break;
  case IT_FILE_DONE:
    r->files++;
    if (keep_state(r, it->text, &it->st))
      r->fatal = stop = 1;
    break;
  }
  item_free(it);
  if (r->progress)
    progress_line(r, 0);
  return stop;
}

static int submit(run *r, int kind, int code, const char *text) {
  size_t n = strlen(text) + 1;
  job *j = malloc(sizeof *j + n);
  if (!j)
    return 1;
  j->kind = kind;
  j->code = code;
  memcpy(j->text, text, n);
  if (tl_pipeline_submit(r->pl, j) != 0)
    r->fatal = 1;
  return r->fatal;
}

static int on_path(void *ctx, const char *path, int kind, const char *msg) {
  run *r = ctx;
  char buf[4096 + 512];
  if (kind == TL_WALK_FILE)
    return submit(r, JOB_FILE, TL_OK, path);
  snprintf(buf, sizeof buf, "%s: %s%s", path, msg, kind == TL_WALK_SKIPPED ? "" : ", skipped");
  return submit(r, JOB_NOTE, kind == TL_WALK_ERROR ? TL_ERR_IO : TL_OK, buf);
}

/* Counts the files and their text bytes under a path, for the progress line. */
static int count_path(void *ctx, const char *path, int kind, const char *msg) {
  run *r = ctx;
  struct stat sb;
  (void)msg;
  if (kind == TL_WALK_FILE && stat(path, &sb) == 0) {
    r->total_files++;
    r->total_bytes += content_size(path, (unsigned long long)sb.st_size);
  }
  return 0;
}

/* ---- prune ---- */

typedef struct gone {
  char **paths;
  size_t n, cap;
  int nomem;
} gone;

static int on_state(void *ctx, const char *path, const tl_file_state *st) {
  gone *g = ctx;
  struct stat sb;
  (void)st;
  if (stat(path, &sb) == 0 || errno != ENOENT)
    return 0;
  if (g->n == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 16;
    char **np = realloc(g->paths, cap * sizeof *np);
    if (!np)
      return g->nomem = 1;
    g->paths = np;
    g->cap = cap;
  }
  if (!(g->paths[g->n] = strdup(path)))
    return g->nomem = 1;
  g->n++;
  return 0;
}

/* Removes the articles of files that are gone (every shard thread joined). */
static int prune(run *r, tl_error *err) {
  gone g;
  size_t i, k;
  int rc;
  memset(&g, 0, sizeof g);
  rc = tl_manifest_each(tl_index_store(r->shards[0].ix), on_state, &g, err);
  if (g.nomem)
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; rc == TL_OK && i < g.n; i++) {
    char term[18];
    size_t tl = tl_file_term(g.paths[i], term);
    for (k = 0; rc == TL_OK && k < r->nshards; k++) {
      unsigned long n = 0;
      rc = tl_store_delete_term_count(tl_index_store(r->shards[k].ix), term, tl, TL_SLOT_ARTICLE_ID,
                                      &n, err);
      r->removed += n;
    }
    if (rc == TL_OK)
      rc = tl_manifest_delete(tl_index_store(r->shards[0].ix), g.paths[i], err);
  }
  for (i = 0; i < g.n; i++)
    free(g.paths[i]);
  free(g.paths);
  return rc;
}

/* ---- shards on disk ---- */

/* Reads the shard paths of a stub file (relative to its directory, as
 * written) into names; returns how many, or -1 when it is not one. */
static int read_stub(const char *db, char names[][4096], int max) {
  FILE *f = fopen(db, "r");
  char line[4200];
  int n = 0;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f) && n < max) {
    size_t k = strcspn(line, "\r\n");
    line[k] = '\0';
    if (strncmp(line, "auto ", 5) == 0 && k - 5 < 4096)
      memcpy(names[n++], line + 5, k - 5 + 1);
  }
  fclose(f);
  return n;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* ---- maintenance ---- */

static int do_compact(const char *db, int quiet) {
  tl_error err;
  unsigned long long before = 0, after = 0;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (tl_store_compact(db, &before, &after, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    return EXIT_FATAL;
  }
  if (!quiet)
    fprintf(stderr, "telusur-index: compacted %s: %.1f MB -> %.1f MB in %.2f s\n", db,
            (double)before / 1e6, (double)after / 1e6, since(&t0));
  return 0;
}

static int do_stats(const char *db) {
  tl_error err;
  tl_store_stats_t st;
  tl_store *s;
  char *updated = NULL, *stemmer = NULL;
  if (tl_store_stats(db, &st, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    return EXIT_FATAL;
  }
  if (tl_store_open(db, TL_STORE_READ, &s, &err) == TL_OK) {
    tl_store_get_metadata(s, TL_META_UPDATED, &updated, &err);
    tl_store_get_metadata(s, TL_META_STEMMER, &stemmer, &err);
    tl_store_close(s);
  }
  printf("database\t%s\n", db);
  printf("articles\t%lu\n", st.articles);
  printf("passages\t%lu\n", st.documents);
  printf("distinct terms\t%llu\n", st.terms);
  printf("size\t%llu bytes (%.1f MB)\n", st.bytes, (double)st.bytes / 1e6);
  printf("shards\t%u\n", st.shards);
  printf("stemmer\t%s\n", stemmer && *stemmer ? stemmer : "-");
  printf("last update\t%s\n", updated && *updated ? updated : "-");
  free(updated);
  free(stemmer);
  return 0;
}

static const char *reason_name(int code) {
  switch (code) {
  case TL_ERR_IO: return "unreadable";
  case TL_ERR_FORMAT: return "malformed";
  case TL_ERR_UTF8: return "invalid UTF-8";
  case TL_ERR_LIMIT: return "too large";
  case TL_ERR_USAGE: return "unknown format";
  case TL_ERR_NOMEM: return "out of memory";
  default: return "other";
  }
}

static long parse_num(const char *opt, const char *arg, long lo, long hi) {
  char *end;
  long v;
  errno = 0;
  v = strtol(arg, &end, 10);
  if (errno || *end || end == arg || v < lo || v > hi) {
    fprintf(stderr, "telusur-index: --%s takes a number from %ld to %ld\n", opt, lo, hi);
    return -1;
  }
  return v;
}

int main(int argc, char **argv) {
  enum { O_STEMMER = 256, O_BATCH, O_PRUNE, O_SHARDS, O_COMPACT, O_STATS };
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},        {"stemmer", required_argument, NULL, O_STEMMER},
      {"batch", required_argument, NULL, O_BATCH}, {"jobs", required_argument, NULL, 'j'},
      {"prune", no_argument, NULL, O_PRUNE},       {"shards", required_argument, NULL, O_SHARDS},
      {"compact", no_argument, NULL, O_COMPACT},   {"stats", no_argument, NULL, O_STATS},
      {"quiet", no_argument, NULL, 'q'},           {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},         {NULL, 0, NULL, 0}};
  static char names[MAX_SHARDS][4096];
  const char *db = getenv("TELUSUR_DB");
  tl_index_options opts;
  run r;
  tl_error err;
  int c, i, quiet = 0, do_prune = 0, compact = 0, stats = 0, status = 0;
  long batch = 1000, jobs, nshards = 0, v;
  size_t k, nw = 0;
  worker *workers = NULL;
  void **wctx = NULL;
  struct stat sb;
  tl_pipeline_options po;
  signal(SIGXFSZ, SIG_IGN); /* over ulimit -f: EFBIG and a message, not a silent death */
  memset(&opts, 0, sizeof opts);
  memset(&r, 0, sizeof r);
  /* a file size limit makes writes fail (EFBIG, reported), not kill us */
  signal(SIGXFSZ, SIG_IGN);
  jobs = sysconf(_SC_NPROCESSORS_ONLN);
  if (jobs < 1)
    jobs = 1;
  if (!db || !*db)
    db = "telusur.db";
  while ((c = getopt_long(argc, argv, "d:j:qhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case O_STEMMER: opts.stemmer = optarg; break;
    case O_BATCH:
      if ((batch = parse_num("batch", optarg, 1, 10000000)) < 0)
        return EXIT_FATAL;
      break;
    case 'j':
      if ((jobs = parse_num("jobs", optarg, 1, 256)) < 0)
        return EXIT_FATAL;
      break;
    case O_SHARDS:
      if ((nshards = parse_num("shards", optarg, 1, MAX_SHARDS)) < 0)
        return EXIT_FATAL;
      break;
    case O_PRUNE: do_prune = 1; break;
    case O_COMPACT: compact = 1; break;
    case O_STATS: stats = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V': printf("telusur-index %s\n", TELUSUR_VERSION); return 0;
    default: fputs("Try 'telusur-index --help' for more information.\n", stderr); return EXIT_FATAL;
    }
  }
  if (optind >= argc && !compact && !stats) {
    fputs("telusur-index: no PATH given\nTry 'telusur-index --help' for more information.\n",
          stderr);
    return EXIT_FATAL;
  }
  if (optind >= argc) {
    if (compact && (status = do_compact(db, quiet)) != 0)
      return status;
    return stats ? do_stats(db) : 0;
  }

  /* the databases: one, or the shards a stub lists */
  v = stat(db, &sb) == 0 && S_ISREG(sb.st_mode) ? read_stub(db, names, MAX_SHARDS) : -1;
  if (v == 0 || (v > 0 && nshards && nshards != v)) {
    fprintf(stderr, "telusur-index: %s is %s\n", db,
            v == 0 ? "not a stub database" : "a stub database with another number of shards");
    return EXIT_FATAL;
  }
  if (v < 0 && nshards > 1 && stat(db, &sb) == 0) {
    fprintf(stderr, "telusur-index: %s is a single database, not shards\n", db);
    return EXIT_FATAL;
  }
  r.sharded = v > 0 || nshards > 1;
  r.nshards = v > 0 ? (size_t)v : r.sharded ? (size_t)nshards : 1;
  if (!(r.shards = calloc(r.nshards, sizeof *r.shards))) {
    fputs("telusur-index: out of memory\n", stderr);
    return EXIT_FATAL;
  }
  clock_gettime(CLOCK_MONOTONIC, &r.t0);
  r.last = r.t0;
  for (k = 0; k < r.nshards; k++) {
    shard *s = &r.shards[k];
    char path[8192];
    if (r.sharded) {
      const char *slash = strrchr(db, '/');
      if (v < 0)
        snprintf(names[k], sizeof names[k], "%s.shard%zu", base_name(db), k);
      if (names[k][0] == '/' || !slash)
        snprintf(path, sizeof path, "%.4095s", names[k]);
      else
        snprintf(path, sizeof path, "%.*s/%.4000s", (int)(slash - db < 4000 ? slash - db : 4000),
                 db, names[k]);
    } else {
      snprintf(path, sizeof path, "%s", db);
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->batch = (unsigned)batch;
    if (!(s->path = strdup(path)) || tl_index_open(path, &opts, &s->ix, &err) != TL_OK) {
      fprintf(stderr, "telusur-index: %s\n", s->path ? err.msg : "out of memory");
      status = EXIT_FATAL;
      goto done;
    }
  }
  if (r.sharded && v < 0) {
    const char *list[MAX_SHARDS];
    for (k = 0; k < r.nshards; k++)
      list[k] = names[k];
    /* commit the empty shards, so that the stub opens for reading */
    for (k = 0; k < r.nshards; k++)
      if (shard_commit(&r.shards[k], &err) != TL_OK) {
        fprintf(stderr, "telusur-index: %s\n", err.msg);
        status = EXIT_FATAL;
        goto done;
      }
    if (tl_store_write_stub(db, list, r.nshards, &err) != TL_OK) {
      fprintf(stderr, "telusur-index: %s\n", err.msg);
      status = EXIT_FATAL;
      goto done;
    }
  }

  /* workers: one analysis and one read-only view of the index each */
  nw = (size_t)jobs;
  workers = calloc(nw, sizeof *workers);
  wctx = calloc(nw, sizeof *wctx);
  if (!workers || !wctx) {
    fputs("telusur-index: out of memory\n", stderr);
    status = EXIT_FATAL;
    goto done;
  }
  for (k = 0; k < nw; k++) {
    if (tl_analysis_create(tl_index_stemmer(r.shards[0].ix), opts.data_dir, &workers[k].an, &err) !=
            TL_OK ||
        tl_store_open(r.sharded ? db : r.shards[0].path, TL_STORE_READ, &workers[k].ro, &err) !=
            TL_OK) {
      fprintf(stderr, "telusur-index: %s\n", err.msg);
      status = EXIT_FATAL;
      goto done;
    }
    wctx[k] = &workers[k];
  }
  for (k = 0; k < r.nshards; k++) {
    if (pthread_create(&r.shards[k].thread, NULL, shard_main, &r.shards[k]) != 0) {
      fputs("telusur-index: cannot start a writer thread\n", stderr);
      status = EXIT_FATAL;
      goto done;
    }
    r.shards[k].started = 1;
  }
  memset(&po, 0, sizeof po);
  po.nworkers = nw;
  po.workers = wctx;
  po.work = work;
  po.consume = consume;
  po.consume_ctx = &r;
  po.free_item = item_free;
  po.free_job = free;
  po.items_per_job = 8; /* chunks of up to CHUNK_BYTES each */
  if (tl_pipeline_create(&po, &r.pl, &err) != TL_OK) {
    fprintf(stderr, "telusur-index: %s\n", err.msg);
    status = EXIT_FATAL;
    goto done;
  }

  r.progress = !quiet && isatty(STDERR_FILENO);
  if (r.progress) {
    for (i = optind; i < argc; i++)
      if (strcmp(argv[i], "-") != 0)
        tl_walk(argv[i], count_path, &r);
      else
        r.total_files = 0, r.total_bytes = 0; /* unknown */
    for (i = optind; i < argc; i++)
      if (strcmp(argv[i], "-") == 0)
        r.total_files = 0, r.total_bytes = 0;
  }
  for (i = optind; i < argc && !r.fatal; i++) {
    if (strcmp(argv[i], "-") == 0) {
      char *line = NULL;
      size_t cap = 0;
      ssize_t n;
      while (!r.fatal && (n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
          line[--n] = '\0';
        if (n > 0)
          tl_walk(line, on_path, &r);
      }
      free(line);
    } else {
      tl_walk(argv[i], on_path, &r);
    }
  }
  if (tl_pipeline_finish(r.pl) != 0)
    r.fatal = 1;
  tl_pipeline_free(r.pl);
  r.pl = NULL;
  for (k = 0; k < r.nshards; k++) {
    shard_join(&r.shards[k]);
    if (r.shards[k].failed) {
      note(&r, r.shards[k].err.msg);
      r.fatal = 1;
    }
  }
  /* every writer thread is joined: the rest runs here */
  for (k = 0; !r.fatal && k < r.nst; k++)
    if (tl_manifest_put(tl_index_store(r.shards[0].ix), r.st_paths[k], &r.sts[k], &err) != TL_OK) {
      note(&r, err.msg);
      r.fatal = 1;
    }
  if (!r.fatal && do_prune && prune(&r, &err) != TL_OK) {
    note(&r, err.msg);
    r.fatal = 1;
  }
  for (k = 0; !r.fatal && k < r.nshards; k++)
    if (shard_commit(&r.shards[k], &err) != TL_OK) {
      note(&r, err.msg);
      r.fatal = 1;
    }
  clear_progress(&r);
  if (!quiet) {
    unsigned long added = 0, replaced = 0, total = 0;
    char why[256] = "";
    size_t wl = 0;
    for (k = 0; k < r.nshards; k++) {
      added += r.shards[k].added;
      replaced += r.shards[k].replaced;
      total += tl_index_passage_count(r.shards[k].ix);
    }
    for (k = 0; k < NREASONS; k++)
      if (r.reasons[k] && wl < sizeof why - 40)
        wl += (size_t)snprintf(why + wl, sizeof why - wl, "%s%s %lu", wl ? ", " : " (",
                               reason_name((int)k), r.reasons[k]);
    if (wl)
      snprintf(why + wl, sizeof why - wl, ")");
    fprintf(stderr,
            "telusur-index: %lu articles (%lu passages) from %lu files, %.1f MB, "
            "in %.2f s; added %lu, replaced %lu, unchanged %lu, removed %lu; "
            "skipped: %lu files, %lu records%s; index: %lu passages%s\n",
            r.articles, r.passages, r.files, (double)r.bytes / 1e6, since(&r.t0), added, replaced,
            r.unchanged, r.removed, r.skipped_files, r.skipped_records, why, total,
            r.fatal ? "; stopped by an error, the index keeps its last commit" : "");
  }
  status = r.fatal ? EXIT_FATAL : (r.skipped_files || r.skipped_records) ? EXIT_SKIPPED : 0;
  if (!r.fatal && compact) {
    for (k = 0; k < r.nshards; k++) {
      tl_index_close(r.shards[k].ix);
      r.shards[k].ix = NULL;
    }
    if (do_compact(db, quiet) != 0)
      status = EXIT_FATAL;
  }
  if (!r.fatal && stats && status != EXIT_FATAL)
    do_stats(db);
done:
  if (r.pl) {
    tl_pipeline_free(r.pl);
  }
  for (k = 0; k < r.nshards; k++) {
    shard_join(&r.shards[k]);
    tl_index_close(r.shards[k].ix);
    free(r.shards[k].path);
    pthread_mutex_destroy(&r.shards[k].mu);
    pthread_cond_destroy(&r.shards[k].cv);
  }
  free(r.shards);
  for (k = 0; workers && k < nw; k++) {
    tl_analysis_free(workers[k].an);
    tl_store_close(workers[k].ro);
  }
  free(workers);
  free(wctx);
  for (k = 0; k < r.nst; k++)
    free(r.st_paths[k]);
  free(r.st_paths);
  free(r.sts);
  return status;
}
