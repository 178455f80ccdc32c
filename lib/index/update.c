/* update.c - an indexing run: which files and articles changed, their
 * analysis on worker threads, the writers, pruning, the shard stub. */
#include "telusur/index.h"

#include "index/documents.h"
#include "index/manifest.h"
#include "index/writer.h"
#include "telusur/error.h"
#include "text/reader.h"
#include "text/walk.h"
#include "util/buf.h"
#include "util/pipeline.h"
#include "util/strset.h"
#include "xapian/store.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* ---- what workers hand to the consumer ---- */

enum item_kind {
  IT_NOTE,         /* a skipped record: text, code */
  IT_SKIP_FILE,    /* a file that could not be read: text, code */
  IT_FATAL,        /* analysis failed: text */
  IT_ARTICLE,      /* prep, existed */
  IT_ARTICLE_SAME, /* an unchanged article of a changed file */
  IT_FILE_SAME,    /* an unchanged file: st (counts recorded), touched */
  IT_FILE_DONE     /* a file read: text = canonical path, st, keep, bad, complete */
};

typedef struct item {
  int kind, code, existed, touched;
  int undated; /* IT_ARTICLE (first chunk), IT_ARTICLE_SAME: a date not understood */
  char *text;
  tl_prepared *prep;
  tl_file_state st;
  unsigned long long bytes; /* input bytes consumed since the last item */
  uint64_t *keep;           /* IT_FILE_DONE: XXH3-64 of the id terms the file holds */
  size_t nkeep, capkeep;
  int bad;      /* IT_FILE_DONE: records were skipped */
  int complete; /* IT_FILE_DONE: read to its end */
  int replay;   /* IT_FILE_DONE: notes holds every note, none of a passing cause */
  tl_buf notes; /* IT_FILE_DONE: the notes to record; IT_FILE_SAME: those recorded */
  char *id;     /* IT_ARTICLE (first chunk), IT_ARTICLE_SAME: the article id */
  char *where;  /* with id: "PATH:LINE" (JSON Lines) or "PATH", as given */
  char *holder; /* with id: the canonical path of the file read */
  char *prior;  /* with id: the holder of the copy the index held, when another file */
} item;

static void item_free(void *v) {
  item *it = v;
  if (!it)
    return;
  free(it->text);
  free(it->keep);
  free(it->id);
  free(it->where);
  free(it->holder);
  free(it->prior);
  tl_buf_free(&it->notes);
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
#define CHUNK_BYTES (16u << 10)

typedef struct worker {
  tl_analysis *an;
  tl_store *ro;            /* the index as last committed, to tell what changed */
  const char *date_format; /* tl_update_options.date_format */
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
 * the number of its documents. Errors only when the index cannot be read. */
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

/* Adds the hash of an id term to the file's list; 1 when out of memory. */
static int keep_id(item *done, const char *id) {
  char q[TL_ID_TERM_MAX + 2];
  size_t ql = tl_index_article_term(id, q);
  if (done->nkeep == done->capkeep) {
    size_t cap = done->capkeep ? done->capkeep * 2 : 64;
    uint64_t *nk = realloc(done->keep, cap * sizeof *nk);
    if (!nk)
      return 1;
    done->keep = nk;
    done->capkeep = cap;
  }
  done->keep[done->nkeep++] = XXH3_64bits(q, ql);
  return 0;
}

/* The holder (TL_SLOT_FILE) of the copy of the article the index holds
 * into *holder (malloc'd; "" when none, or unknown). Errors only when the
 * index cannot be read. */
static int old_holder(worker *w, const char *q, size_t ql, char **holder) {
  tl_error err;
  int tries;
  for (tries = 0; tries < 2; tries++) {
    if (tl_store_first_value(w->ro, q, ql, TL_SLOT_FILE, holder, &err) == TL_OK)
      return TL_OK;
    tl_store_reopen(w->ro, &err);
  }
  return TL_ERR_XAPIAN;
}

/* Gives it the article's id, where it is read, the file holding it
 * (canonical path) and the other file whose copy the index holds, for the
 * bookkeeping of ids held by several files; 1 when out of memory. */
static int tag_article(worker *w, item *it, const tl_article *a, const char *holder) {
  char line[32] = "", q[TL_ID_TERM_MAX + 2], *old = NULL;
  size_t n, ql = tl_index_article_term(a->id, q);
  if (a->line)
    snprintf(line, sizeof line, ":%llu", (unsigned long long)a->line);
  n = strlen(a->path) + strlen(line) + 1;
  if (!(it->id = strdup(a->id)) || !(it->where = malloc(n)) || !(it->holder = strdup(holder)))
    return 1;
  if (old_holder(w, q, ql, &old) == TL_OK && *old && strcmp(old, holder) != 0)
    it->prior = old;
  else
    free(old);
  snprintf(it->where, n, "%s%s", a->path, line);
  return 0;
}

/* Notes recorded with a file's state are lines "CODE P:REST" or "CODE -MSG":
 * P when the message began with the path as it was given, which is left
 * out, so that a later run reports them under its own spelling of the
 * path. At most this many bytes of them; past that, the file is read again. */
#define NOTES_MAX (64u << 10)

/* Adds a note of the file read as path to done->notes; a note of a cause
 * that may pass (an I/O error, memory) or too many notes end the replay. */
static void add_note(item *done, const char *path, const char *msg, int code) {
  size_t n = strlen(path), at = done->notes.len;
  int prefixed = strncmp(msg, path, n) == 0;
  char *c;
  if (!done->replay)
    return;
  if (code == TL_ERR_IO || code == TL_ERR_NOMEM || done->notes.len + strlen(msg) > NOTES_MAX ||
      tl_buf_printf(&done->notes, "%d %c%s\n", code, prefixed ? 'P' : '-',
                    prefixed ? msg + n : msg) != TL_OK) {
    done->replay = 0;
    tl_buf_free(&done->notes);
    return;
  }
  for (c = done->notes.data + at; c < done->notes.data + done->notes.len - 1; c++)
    if (*c == '\n')
      *c = ' ';
}

/* Emits the notes recorded with an unchanged file, read as path, as the
 * reading would have; 1 when the consumer stops. */
static int replay_notes(tl_pipeline_job *job, const char *path, const char *notes) {
  tl_buf msg = TL_BUF_INIT;
  int stop = 0;
  while (*notes && !stop) {
    const char *end = strchr(notes, '\n'), *rest;
    char *e;
    long code = strtol(notes, &e, 10);
    size_t n;
    if (!end || *e != ' ' || (e[1] != 'P' && e[1] != '-'))
      break; /* not written by add_note */
    rest = e + 2;
    n = (size_t)(end - rest);
    tl_buf_reset(&msg);
    if ((e[1] == 'P' && tl_buf_append_str(&msg, path) != TL_OK) ||
        tl_buf_append(&msg, rest, n) != TL_OK) {
      emit(job, item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM));
      stop = 1;
      break;
    }
    stop = emit(job, item_new(IT_NOTE, msg.data, (int)code));
    notes = end + 1;
  }
  tl_buf_free(&msg);
  return stop;
}

static void work_file(worker *w, const char *path, tl_pipeline_job *job) {
  tl_error err;
  tl_file_state now, old;
  char *notes = NULL;
  int found = 0;
  tl_reader *rd = NULL;
  const tl_article *a;
  item *it, *done;
  uint64_t last_bytes = 0;
  int rc, fatal = 0;
  char *canon;
  if (tl_file_stat(path, &now, &err) != TL_OK) {
    emit(job, item_new(IT_SKIP_FILE, err.msg, TL_ERR_IO));
    return;
  }
  /* one file, one state and one file term, whatever spelling of its path */
  if (!(canon = tl_canonical_path(path))) {
    emit(job, item_new(IT_SKIP_FILE, strerror(errno), errno == ENOMEM ? TL_ERR_NOMEM : TL_ERR_IO));
    return;
  }
  tl_store_reopen(w->ro, &err);
  if (tl_manifest_get(w->ro, canon, &old, &notes, &found, &err) != TL_OK)
    found = 0;
  /* read with another --date-format, a file's articles are read again */
  now.date_format =
      w->date_format && *w->date_format ? XXH3_64bits(w->date_format, strlen(w->date_format)) : 0;
  if (found && old.date_format != now.date_format)
    found = 0;
  /* an unchanged file is not read: what reading it reported is reported again */
  if (found && old.size == now.size && old.mtime_ns == now.mtime_ns) {
    if ((it = item_new(IT_FILE_SAME, canon, TL_OK))) {
      it->st = old;
      it->bytes = content_size(path, now.size);
    }
    free(canon);
    if (!(notes && replay_notes(job, path, notes)))
      emit(job, it);
    else
      item_free(it);
    free(notes);
    return;
  }
  if (tl_file_hash(path, &now.hash, &err) != TL_OK) {
    free(canon);
    free(notes);
    emit(job, item_new(IT_SKIP_FILE, err.msg, TL_ERR_IO));
    return;
  }
  if (found && old.hash == now.hash) {
    if ((it = item_new(IT_FILE_SAME, canon, TL_OK))) {
      it->st = now;
      it->st.articles = old.articles;
      it->st.passages = old.passages;
      it->touched = 1;
      it->bytes = content_size(path, now.size);
      if (notes && tl_buf_append_str(&it->notes, notes) != TL_OK) {
        item_free(it);
        it = item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM);
      }
    }
    free(canon);
    if (!(notes && replay_notes(job, path, notes)))
      emit(job, it);
    else
      item_free(it);
    free(notes);
    return;
  }
  free(notes);
  done = item_new(IT_FILE_DONE, canon, TL_OK);
  if (done)
    done->replay = 1;
  if (!done || tl_analysis_set_file(w->an, canon, &err) != TL_OK) {
    free(canon);
    item_free(done);
    emit(job, item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM));
    return;
  }
  free(canon);
  if ((rc = tl_reader_open(path, &rd, &err)) != TL_OK ||
      (rc = tl_reader_set_date_format(rd, w->date_format, &err)) != TL_OK) {
    tl_reader_free(rd);
    item_free(done);
    emit(job, item_new(IT_SKIP_FILE, err.msg, rc));
    return;
  }
  for (;;) {
    char *oldhash = NULL, hex[17];
    unsigned long np = 0;
    size_t npassages = 0;
    rc = tl_reader_next(rd, &a, &err);
    if (rc == TL_DONE) {
      done->complete = 1;
      break;
    }
    if (rc != TL_OK) {
      /* a warning about an article that is kept is a note, not a skip */
      it = item_new(IT_NOTE, err.msg, tl_reader_warned(rd) ? TL_OK : rc);
      done->bad += !tl_reader_warned(rd);
      add_note(done, path, err.msg, tl_reader_warned(rd) ? TL_OK : rc);
    } else if (keep_id(done, a->id)) {
      it = item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM);
    } else if ((rc = tl_index_prepare_begin(w->an, a, &npassages, &err)) != TL_OK) {
      it = item_new(IT_FATAL, err.msg, rc);
    } else {
      /* an article whose hash and number of documents the index holds is
       * not analyzed again (a number that differs: an article cut by an
       * interrupted run, see COMMIT_BYTES in writer.c) */
      tl_prepared probe;
      probe.qlen = tl_index_article_term(a->id, probe.qterm);
      tl_hash_hex(tl_article_hash(a), hex);
      int same = found && old_article(w, &probe, &oldhash, &np) == TL_OK && *oldhash &&
                 strcmp(oldhash, hex) == 0 &&
                 np == tl_index_chunk_count(w->an, CHUNK_PASSAGES, CHUNK_BYTES);
      free(oldhash);
      if (same) {
        it = item_new(IT_ARTICLE_SAME, NULL, TL_OK);
        if (it && tag_article(w, it, a, done->text)) {
          item_free(it);
          it = item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM);
        } else if (it) {
          it->st.passages = npassages;
          it->undated = a->date_invalid;
        }
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
          now.passages += p->passages;
          if (first && tag_article(w, it, a, done->text)) {
            item_free(it);
            emit(job, item_new(IT_FATAL, "out of memory", TL_ERR_NOMEM));
            break;
          }
          if (first) {
            it->undated = a->date_invalid;
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
  done->st = now;
  done->bytes = tl_reader_bytes(rd) - last_bytes;
  tl_reader_free(rd);
  emit(job, done);
}

static void work(void *vw, void *vjob, tl_pipeline_job *pj) {
  job *j = vjob;
  if (j->kind == JOB_NOTE)
    emit(pj, item_new(j->code != TL_OK ? IT_SKIP_FILE : IT_NOTE, j->text, j->code));
  else
    work_file(vw, j->text, pj);
}

/* ---- the run ---- */

#define NO_FILE UINT32_MAX

/* An article id read in the run: the files read that hold it. */
typedef struct idrun {
  char *id;       /* the id, for notes */
  char *where;    /* where it was read last: "PATH:LINE" or "PATH" */
  uint32_t first; /* the holders read: indexes into tl_update.files */
  uint32_t n, cap;
  uint32_t *more; /* the holders after the first */
  uint32_t prior; /* another file whose copy the index held, or NO_FILE */
} idrun;

enum { FILE_READ = 1, FILE_GONE = 2 }; /* tl_update.fflag */

struct tl_update {
  tl_update_options o;
  tl_writer **w;
  size_t nw;
  int sharded; /* file states wait for the end (several databases) */
  char *stub;  /* the stub this run wrote (new shards): synced at the end */
  worker *workers;
  void **wctx;
  size_t nworkers;
  tl_pipeline *pl;
  int fatal, finished;
  tl_error err; /* what stopped the run */
  tl_update_progress p;
  unsigned long unchanged, removed, undated;
  unsigned long restored; /* articles removed, then indexed again from another holder */
  unsigned long reasons[TL_UPDATE_REASONS];
  unsigned long long bytes;
  struct timespec t0;
  /* sharded: file states, applied once every shard has committed */
  char **st_paths;
  tl_file_state *sts; /* a NULL-state (a state to remove): size UINT64_MAX */
  size_t nst, cap_st;
  /* the canonical paths given to tl_update_add_path: the files recorded
   * under them that are gone are removed at the end */
  char **roots;
  size_t nroots;
  /* canonical paths given that do not exist or hold no file any more:
   * nothing recorded under them is removed, whatever root they are under */
  char **kept;
  size_t nkept;
  const char *given;  /* the path tl_update_add_path walks */
  int given_missing;  /* it does not exist, and nothing recorded under it is removed */
  int given_gone;     /* it does not exist, and is a file the index recorded: removed */
  size_t given_files; /* files the walk of it found */
  /* the article ids read in this run (keyed by id term) and their holders */
  tl_strset *ids;
  tl_strset *walked; /* canonical paths of the files submitted in this run */
  idrun *run;
  size_t cap_run;
  /* canonical paths of holders, of the files read cleanly to their end (FILE_READ)
   * and of those pruned (FILE_GONE) */
  tl_strset *files;
  unsigned char *fflag;
  size_t cap_fflag;
};

tl_update_options tl_update_options_default(void) {
  tl_update_options o;
  memset(&o, 0, sizeof o);
  o.batch = 1000;
  return o;
}

const char *tl_update_reason_name(int code) {
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

static double since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Stops the run on its first error (later ones are dropped). */
static void stop(tl_update *u, const tl_error *e) {
  if (u->fatal)
    return;
  u->fatal = 1;
  u->err = *e;
  if (u->err.code == TL_OK)
    u->err.code = TL_ERR_XAPIAN;
}

static void stop_nomem(tl_update *u) {
  tl_error e;
  tl_error_set(&e, TL_ERR_NOMEM, "out of memory");
  stop(u, &e);
}

static void note(tl_update *u, int code, const char *msg) {
  if (u->o.note)
    u->o.note(u->o.ctx, code, msg);
}

/* Records a file's state (st NULL: removes it). */
static int keep_state(tl_update *u, const char *path, const tl_file_state *st, const char *notes) {
  tl_error e;
  size_t np, nn;
  if (!u->sharded) {
    if (tl_writer_put_state(u->w[0], path, st, notes, &e) == TL_OK)
      return 0;
    stop(u, &e);
    return 1;
  }
  if (u->nst == u->cap_st) {
    size_t cap = u->cap_st ? u->cap_st * 2 : 64;
    char **np = realloc(u->st_paths, cap * sizeof *np);
    tl_file_state *ns;
    if (!np)
      goto nomem;
    u->st_paths = np;
    if (!(ns = realloc(u->sts, cap * sizeof *ns)))
      goto nomem;
    u->sts = ns;
    u->cap_st = cap;
  }
  /* the path, then the notes: one allocation */
  np = strlen(path) + 1;
  nn = notes ? strlen(notes) + 1 : 1;
  if (!(u->st_paths[u->nst] = malloc(np + nn)))
    goto nomem;
  memcpy(u->st_paths[u->nst], path, np);
  memcpy(u->st_paths[u->nst] + np, notes ? notes : "", nn);
  if (st) {
    u->sts[u->nst++] = *st;
  } else {
    memset(&u->sts[u->nst], 0, sizeof *u->sts);
    u->sts[u->nst++].size = UINT64_MAX;
  }
  return 0;
nomem:
  stop_nomem(u);
  return 1;
}

/* The index of a canonical path in u->files (added when new), or NO_FILE
 * when out of memory. */
static uint32_t file_index(tl_update *u, const char *path) {
  size_t k;
  int added;
  if ((!u->files && tl_strset_create(&u->files) != TL_OK) ||
      tl_strset_add(u->files, path, strlen(path), &k, &added) != TL_OK || k >= NO_FILE ||
      tl_array_reserve((void **)&u->fflag, &u->cap_fflag, k + 1, 1) != TL_OK)
    return NO_FILE;
  if (added)
    u->fflag[k] = 0;
  return (uint32_t)k;
}

static int run_holds(const idrun *r, uint32_t f) {
  uint32_t i;
  if (r->n && r->first == f)
    return 1;
  for (i = 1; i < r->n; i++)
    if (r->more[i - 1] == f)
      return 1;
  return 0;
}

/* Records which file holds an article read, and notes an article id read
 * twice in the run (within a file or in two). Which copy is shown is
 * settled at the end of the run (settle_holders). Non-zero when out of
 * memory. */
static int check_duplicate(tl_update *u, item *it) {
  char q[TL_ID_TERM_MAX + 2];
  size_t k, ql;
  int added;
  uint32_t f;
  idrun *r;
  if (!it->id)
    return 0;
  ql = tl_index_article_term(it->id, q);
  if ((!u->ids && tl_strset_create(&u->ids) != TL_OK) ||
      tl_strset_add(u->ids, q, ql, &k, &added) != TL_OK ||
      tl_array_reserve((void **)&u->run, &u->cap_run, k + 1, sizeof *u->run) != TL_OK ||
      (f = file_index(u, it->holder)) == NO_FILE)
    goto nomem;
  r = &u->run[k];
  if (added) {
    memset(r, 0, sizeof *r);
    r->prior = NO_FILE;
    r->id = it->id;
    it->id = NULL;
  } else {
    char msg[1024];
    snprintf(msg, sizeof msg,
             "%.180s: article id '%.80s' also at %.180s: the copy indexed is the last one in "
             "the file whose path sorts last",
             it->where, r->id, r->where);
    note(u, TL_OK, msg);
    free(r->where);
  }
  r->where = it->where;
  it->where = NULL;
  if (!run_holds(r, f)) {
    if (r->n == 0) {
      r->first = f;
    } else {
      size_t cap = r->cap;
      if (tl_array_reserve((void **)&r->more, &cap, r->n, sizeof *r->more) != TL_OK)
        goto nomem;
      r->cap = (uint32_t)cap;
      r->more[r->n - 1] = f;
    }
    r->n++;
  }
  if (it->prior && r->prior == NO_FILE && (r->prior = file_index(u, it->prior)) == NO_FILE)
    goto nomem;
  return 0;
nomem:
  stop_nomem(u);
  return 1;
}

static int consume(void *vu, void *vit) {
  tl_update *u = vu;
  item *it = vit;
  tl_error e;
  int halt = 0;
  u->bytes += it->kind == IT_FILE_SAME ? 0 : it->bytes;
  u->p.bytes_done += it->bytes;
  switch (it->kind) {
  case IT_NOTE:
  case IT_SKIP_FILE:
    note(u, it->code, it->text);
    if (it->code != TL_OK) {
      if (it->kind == IT_SKIP_FILE)
        u->p.skipped_files++;
      else
        u->p.skipped_records++;
      u->reasons[it->code > 0 && it->code < TL_UPDATE_REASONS ? it->code : 0]++;
    }
    break;
  case IT_FATAL:
    tl_error_set(&e, it->code, "%s", it->text);
    stop(u, &e);
    halt = 1;
    break;
  case IT_ARTICLE: {
    tl_prepared *p = it->prep;
    size_t k = u->nw > 1 ? XXH3_64bits(p->qterm, p->qlen) % u->nw : 0;
    it->prep = NULL;
    u->p.articles += p->first == 0;
    u->p.passages += p->passages;
    if (check_duplicate(u, it)) {
      tl_prepared_free(p);
      halt = 1;
      break;
    }
    u->undated += (unsigned long)it->undated;
    if (tl_writer_put(u->w[k], p, &e) != TL_OK) {
      stop(u, &e);
      halt = 1;
    }
    break;
  }
  case IT_ARTICLE_SAME:
    if (check_duplicate(u, it)) {
      halt = 1;
      break;
    }
    u->p.articles++;
    u->unchanged++;
    u->undated += (unsigned long)it->undated;
    break;
  case IT_FILE_SAME:
    u->p.files++;
    u->p.articles += it->st.articles;
    u->unchanged += it->st.articles;
    if (it->touched && keep_state(u, it->text, &it->st, it->notes.data))
      halt = 1;
    break;
  case IT_FILE_DONE: {
    /* the articles a file read cleanly to its end no longer holds go; a
     * file with records skipped (a malformed line, a cut or corrupt gzip
     * stream, a text refused whole) keeps every article the index has of
     * it, since a skipped record may hold any of them, and is read again
     * next time, to report them again */
    char fterm[18];
    size_t k;
    int clean = it->complete && !it->bad;
    u->p.files++;
    tl_file_term(it->text, fterm);
    for (k = 0; clean && !halt && k < u->nw; k++) {
      uint64_t *keep = NULL;
      if (it->nkeep && !(keep = malloc(it->nkeep * sizeof *keep))) {
        stop_nomem(u);
        halt = 1;
        break;
      }
      if (it->nkeep)
        memcpy(keep, it->keep, it->nkeep * sizeof *keep);
      if (tl_writer_sweep(u->w[k], fterm, keep, it->nkeep, &e) != TL_OK) {
        stop(u, &e);
        halt = 1;
      }
    }
    /* a file with records skipped keeps its notes with its state: a run
     * that finds it unchanged reports them again without reading it. One
     * not read to its end, or with a note of a cause that may pass (an I/O
     * error) or too many, gets a state that never matches it: the next run
     * reads it again, but finds its unchanged articles in the index and
     * does not analyze them again */
    if (!it->complete || (it->bad && !it->replay)) {
      it->st.mtime_ns = INT64_MIN;
      it->st.hash = 0;
    }
    if (!halt && keep_state(u, it->text, &it->st, it->bad ? it->notes.data : NULL))
      halt = 1;
    if (!halt && clean) {
      uint32_t f = file_index(u, it->text);
      if (f == NO_FILE) {
        stop_nomem(u);
        halt = 1;
      } else {
        u->fflag[f] |= FILE_READ;
      }
    }
    break;
  }
  }
  item_free(it);
  if (u->o.progress) {
    u->p.seconds = since(&u->t0);
    u->o.progress(u->o.ctx, &u->p);
  }
  return halt;
}

static int submit(tl_update *u, int kind, int code, const char *text) {
  size_t n = strlen(text) + 1;
  job *j = malloc(sizeof *j + n);
  if (!j) {
    stop_nomem(u);
    return 1;
  }
  j->kind = kind;
  j->code = code;
  memcpy(j->text, text, n);
  if (tl_pipeline_submit(u->pl, j) != 0)
    stop_nomem(u); /* unless consume stopped the run first */
  return u->fatal;
}

static int on_path(void *ctx, const char *path, int kind, const char *msg) {
  tl_update *u = ctx;
  char buf[4096 + 512];
  /* a path given that is passed over (a FIFO, an unknown format) is skipped */
  int named = kind == TL_WALK_SKIPPED && strcmp(path, u->given) == 0;
  if (kind == TL_WALK_FILE) {
    u->given_files++;
    /* a file reached again under another name (a link, a path given twice)
     * is read once: its two names would fight over its articles */
    char *canon = tl_canonical_path(path);
    size_t k;
    int added = 1;
    if (canon && ((!u->walked && tl_strset_create(&u->walked) != TL_OK) ||
                  tl_strset_add(u->walked, canon, strlen(canon), &k, &added) != TL_OK)) {
      free(canon);
      stop_nomem(u);
      return 1;
    }
    free(canon);
    if (added)
      return submit(u, JOB_FILE, TL_OK, path);
    snprintf(buf, sizeof buf, "%s: the same file as a path read before in this run, read once",
             path);
    return submit(u, JOB_NOTE, TL_OK, buf);
  }
  if (u->given_gone && strcmp(path, u->given) == 0) {
    snprintf(buf, sizeof buf, "%s: %s: the file is gone, its articles are removed", path, msg);
    return submit(u, JOB_NOTE, TL_OK, buf);
  }
  snprintf(buf, sizeof buf, "%s: %s%s%s", path, msg,
           kind == TL_WALK_SKIPPED && !named ? "" : ", skipped",
           u->given_missing && strcmp(path, u->given) == 0
               ? "; the articles indexed under it are kept"
               : "");
  return submit(u, JOB_NOTE, kind == TL_WALK_ERROR ? TL_ERR_IO : named ? TL_ERR_USAGE : TL_OK, buf);
}

/* Counts the files and their text bytes under a path, for progress. */
static int count_path(void *ctx, const char *path, int kind, const char *msg) {
  tl_update *u = ctx;
  struct stat sb;
  (void)msg;
  if (kind == TL_WALK_FILE && stat(path, &sb) == 0) {
    u->p.total_files++;
    u->p.bytes_total += content_size(path, (unsigned long long)sb.st_size);
  }
  return 0;
}

void tl_update_expect(tl_update *u, const char *path) {
  tl_walk(path, count_path, u);
}

/* Whether the index records a file below the directory of a holds_ctx. */
typedef struct holds_ctx {
  const char *dir;
  size_t n;
  int found;
} holds_ctx;

static int on_held(void *ctx, const char *path, const tl_file_state *st) {
  holds_ctx *h = ctx;
  (void)st;
  if (strncmp(path, h->dir, h->n) == 0 && (path[h->n] == '/' || (h->n == 1 && *h->dir == '/')))
    h->found = 1;
  return h->found;
}

/* 1 when the index records canonical path p as a file it has read. */
static int recorded_file(tl_update *u, const char *p) {
  tl_file_state st;
  tl_error e;
  int found = 0;
  return tl_manifest_get(tl_index_store(tl_writer_index(u->w[0])), p, &st, NULL, &found, &e) ==
             TL_OK &&
         found;
}

/* The canonical path of path (malloc'd), also when it and some of its
 * parents are gone: the canonical path of the nearest one that exists,
 * then the names below it as given. NULL with errno set when it cannot be
 * made. */
static char *canonical_any(const char *path) {
  char *c = tl_canonical_path(path), *dir, *slash, *out = NULL;
  size_t n;
  if (c || errno != ENOENT || !(dir = strdup(path)))
    return c;
  for (n = strlen(dir); n > 1 && dir[n - 1] == '/';)
    dir[--n] = '\0';
  if ((slash = strrchr(dir, '/')) && slash > dir) {
    const char *name = slash + 1;
    *slash = '\0';
    if ((c = canonical_any(dir)) && (out = malloc(strlen(c) + strlen(name) + 2)))
      sprintf(out, "%s/%s", strcmp(c, "/") == 0 ? "" : c, name); /* NOLINT */
    free(c);
  }
  free(dir);
  if (!out && !errno)
    errno = ENOMEM;
  return out;
}

/* Adds canonical path p (taken) to the paths whose records are kept; 1 when
 * out of memory. */
static int keep_path(tl_update *u, char *p) {
  char **nk = realloc(u->kept, (u->nkept + 1) * sizeof *nk);
  if (!nk) {
    free(p);
    return 1;
  }
  u->kept = nk;
  u->kept[u->nkept++] = p;
  return 0;
}

tl_status tl_update_add_path(tl_update *u, const char *path, tl_error *err) {
  if (!u->fatal && !u->finished) {
    char *canon = canonical_any(path), **nr;
    struct stat sb;
    /* A path given that does not exist (a folder moved or unmounted, a name
     * mistyped) removes nothing recorded under it, even below another path
     * given: that would empty the index of a whole collection for a typing
     * error. A file the index recorded under that very name was deleted: it
     * goes, as in a walk. */
    u->given_gone = canon && lstat(path, &sb) != 0 && errno == ENOENT;
    u->given_missing = u->given_gone && !recorded_file(u, canon);
    u->given_gone &= !u->given_missing && !u->o.no_delete;
    if (u->given_missing) {
      if (keep_path(u, canon))
        stop_nomem(u);
      canon = NULL;
    } else if (canon && (nr = realloc(u->roots, (u->nroots + 1) * sizeof *nr))) {
      u->roots = nr;
      u->roots[u->nroots++] = canon;
    } else if (canon || errno == ENOMEM) {
      free(canon);
      canon = NULL;
      stop_nomem(u);
    }
    u->given = path;
    u->given_files = 0;
    if (!u->fatal)
      tl_walk(path, on_path, u);
    /* A directory that holds no file to read, under which the index
     * recorded files (an unmounted mount point, a folder emptied by
     * mistake): nothing under it is removed either. */
    if (!u->fatal && u->given_files == 0 && canon && u->nroots &&
        u->roots[u->nroots - 1] == canon && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
      holds_ctx h = {canon, strlen(canon), 0};
      tl_error e;
      tl_manifest_each(tl_index_store(tl_writer_index(u->w[0])), on_held, &h, &e);
      if (h.found) { /* (an index that cannot be read: the prune reports it) */
        char buf[4096 + 128];
        u->nroots--;
        snprintf(buf, sizeof buf,
                 "%s: no file to index under it; the articles indexed under it are kept", path);
        submit(u, JOB_NOTE, TL_ERR_IO, buf);
        if (keep_path(u, canon))
          stop_nomem(u);
      }
    }
  }
  if (u->finished && !u->fatal)
    return tl_error_set(err, TL_ERR_USAGE, "the update is finished");
  if (!u->fatal)
    return TL_OK;
  if (err)
    *err = u->err;
  return u->err.code;
}

/* ---- prune ---- */

typedef struct gone {
  tl_update *u;
  char **paths;
  size_t n, cap;
  int nomem;
} gone;

/* 1 when canonical path p is one of the n paths dirs or below one. */
static int under_any(char *const *dirs, size_t n, const char *p) {
  size_t i;
  for (i = 0; i < n; i++) {
    const char *r = dirs[i];
    size_t len = strlen(r);
    if (strncmp(p, r, len) == 0 && (p[len] == '\0' || p[len] == '/' || (len == 1 && *r == '/')))
      return 1;
  }
  return 0;
}

/* Lists the files recorded under the run's paths that are gone, and the
 * states recorded under another spelling than the canonical path (an index
 * written before paths were canonical): their passages are stale. */
static int on_state(void *ctx, const char *path, const tl_file_state *st) {
  gone *g = ctx;
  struct stat sb;
  char *canon = tl_canonical_path(path);
  int stale;
  (void)st;
  if (!canon && errno != ENOENT)
    return errno == ENOMEM ? (g->nomem = 1) : 0;
  /* no canonical path: its folder is gone too; but a link left dangling
   * is an error the walk reports (its target may come back), not a file
   * deleted */
  stale = under_any(g->u->roots, g->u->nroots, canon ? canon : path) &&
          !under_any(g->u->kept, g->u->nkept, canon ? canon : path) &&
          (!canon || strcmp(canon, path) != 0 || (stat(path, &sb) != 0 && errno == ENOENT)) &&
          !(lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode));
  free(canon);
  if (!stale)
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

/* Removes the articles of files that are gone (every writer stopped). */
static int prune(tl_update *u, tl_error *err) {
  tl_store *s0 = tl_index_store(tl_writer_index(u->w[0]));
  gone g;
  size_t i, k;
  int rc;
  memset(&g, 0, sizeof g);
  g.u = u;
  rc = tl_manifest_each(s0, on_state, &g, err);
  if (g.nomem)
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; rc == TL_OK && i < g.n; i++) {
    char term[18];
    size_t tl = tl_file_term(g.paths[i], term);
    for (k = 0; rc == TL_OK && k < u->nw; k++) {
      unsigned long n = 0;
      rc = tl_store_delete_term_count(tl_index_store(tl_writer_index(u->w[k])), term, tl,
                                      TL_SLOT_ARTICLE_ID, &n, err);
      u->removed += n;
    }
    if (rc == TL_OK)
      rc = tl_manifest_delete(s0, g.paths[i], err);
    if (rc == TL_OK) {
      uint32_t f = file_index(u, g.paths[i]);
      if (f == NO_FILE)
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      else
        u->fflag[f] |= FILE_GONE;
    }
  }
  for (i = 0; i < g.n; i++)
    free(g.paths[i]);
  free(g.paths);
  return rc;
}

/* ---- article ids held by several files ---- */

/* An id to settle: its term and the holders the index recorded. */
typedef struct contest {
  tl_update *u;
  tl_strset *q;   /* id terms */
  char **persist; /* the recorded holders (malloc'd value), or NULL */
  size_t cap;
  int nomem;
} contest;

/* A copy to read again: its holder and its id term. */
typedef struct reread {
  char *file, *q;
} reread;

static int contest_add(contest *c, const char *q, const char *persist) {
  size_t k;
  int added;
  if ((!c->q && tl_strset_create(&c->q) != TL_OK) ||
      tl_strset_add(c->q, q, strlen(q), &k, &added) != TL_OK ||
      tl_array_reserve((void **)&c->persist, &c->cap, k + 1, sizeof *c->persist) != TL_OK)
    return c->nomem = 1;
  if (added)
    c->persist[k] = NULL;
  if (persist && !c->persist[k] && !(c->persist[k] = strdup(persist)))
    return c->nomem = 1;
  return 0;
}

/* 1 when holder h of the id of run entry r (NULL: not read in the run)
 * still holds it: a file read to its end or pruned in the run holds what it
 * was read holding, any other file what the index recorded. */
static int still_holds(tl_update *u, const idrun *r, const char *h) {
  size_t f;
  if (!u->files || !tl_strset_has(u->files, h, strlen(h), &f) ||
      !(u->fflag[f] & (FILE_READ | FILE_GONE)))
    return 1;
  return r && run_holds(r, (uint32_t)f);
}

static int on_holders(void *ctx, const char *key, const char *value) {
  contest *c = ctx;
  tl_update *u = c->u;
  const char *q = key + strlen(TL_META_HOLD_PREFIX), *p = value;
  size_t k;
  int hit = u->ids && tl_strset_has(u->ids, q, strlen(q), &k);
  if (strncmp(key, TL_META_HOLD_PREFIX, strlen(TL_META_HOLD_PREFIX)) != 0)
    return 0;
  while (!hit && *p) {
    size_t n = strcspn(p, "\n"), f;
    hit = u->files && tl_strset_has(u->files, p, n, &f) && (u->fflag[f] & (FILE_READ | FILE_GONE));
    p += n + (p[n] == '\n');
  }
  return hit && contest_add(c, q, value) ? TL_ERR_NOMEM : 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_reread(const void *a, const void *b) {
  const reread *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  return c ? c : strcmp(x->q, y->q);
}

static tl_store *shard_of(tl_update *u, const char *q, size_t *k) {
  *k = u->nw > 1 ? XXH3_64bits(q, strlen(q)) % u->nw : 0;
  return tl_index_store(tl_writer_index(u->w[*k]));
}

/* Reads file again and puts the last copy of each id in rr[0..n) (all of
 * that file) into the index. A file that cannot be read is noted. */
static int restore_from(tl_update *u, const reread *rr, size_t n, tl_error *err) {
  tl_analysis *an = u->workers[0].an;
  tl_reader *rd = NULL;
  const tl_article *a;
  tl_strset *want = NULL;
  tl_error e;
  size_t i;
  int rc;
  if (tl_strset_create(&want) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; i < n; i++)
    if (tl_strset_add(want, rr[i].q, strlen(rr[i].q), NULL, NULL) != TL_OK) {
      tl_strset_free(want);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  if ((rc = tl_reader_open(rr[0].file, &rd, &e)) != TL_OK ||
      (rc = tl_reader_set_date_format(rd, u->o.date_format, &e)) != TL_OK) {
    char msg[TL_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%.200s: the copies of ids it holds are not indexed again", e.msg);
    note(u, rc, msg);
    u->p.skipped_files++;
    tl_reader_free(rd);
    tl_strset_free(want);
    return TL_OK;
  }
  if ((rc = tl_analysis_set_file(an, rr[0].file, err)) != TL_OK) {
    tl_reader_free(rd);
    tl_strset_free(want);
    return rc;
  }
  rc = TL_OK;
  while (rc == TL_OK) {
    char q[TL_ID_TERM_MAX + 2];
    size_t k;
    tl_prepared *p = NULL;
    tl_index *ix;
    int r = tl_reader_next(rd, &a, &e);
    if (r == TL_DONE)
      break;
    if (r != TL_OK) /* noted when the file was read */
      continue;
    tl_index_article_term(a->id, q);
    if (!tl_strset_has(want, q, strlen(q), NULL))
      continue;
    shard_of(u, q, &k);
    ix = tl_writer_index(u->w[k]);
    /* a later copy in the same file replaces an earlier one */
    if ((rc = tl_index_prepare_begin(an, a, NULL, err)) != TL_OK)
      break;
    while ((r = tl_index_prepare_next(an, a, CHUNK_PASSAGES, CHUNK_BYTES, &p, err)) == TL_OK) {
      rc = tl_index_put(ix, p, NULL, err);
      tl_prepared_free(p);
      if (rc != TL_OK)
        break;
    }
    if (rc == TL_OK && r != TL_DONE)
      rc = r;
  }
  tl_reader_free(rd);
  tl_strset_free(want);
  return rc;
}

/* Settles the article ids several files hold, or held before the run: the
 * copy shown is the one of the holder whose canonical path sorts last in
 * byte order (within that file, its last copy), whatever order the files
 * were given or read in; a copy another holder still has is indexed again
 * when the one shown goes. The holders are recorded under
 * TL_META_HOLD_PREFIX + id term while there are two or more. Runs after
 * every writer stopped and the gone files were pruned. */
static int settle_holders(tl_update *u, tl_error *err) {
  tl_store *s0 = tl_index_store(tl_writer_index(u->w[0]));
  contest c;
  reread *rr = NULL;
  size_t nrr = 0, caprr = 0, i, k;
  int rc;
  memset(&c, 0, sizeof c);
  c.u = u;
  rc = tl_store_metadata_each(s0, TL_META_HOLD_PREFIX, on_holders, &c, err);
  for (k = 0; rc == TL_OK && u->ids && k < tl_strset_count(u->ids); k++)
    if ((u->run[k].n > 1 || u->run[k].prior != NO_FILE) &&
        contest_add(&c, tl_strset_key(u->ids, k, NULL), NULL))
      break;
  if (c.nomem)
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (i = 0; rc == TL_OK && c.q && i < tl_strset_count(c.q); i++) {
    const char *q = tl_strset_key(c.q, i, NULL), *hold[3];
    char **h = NULL, key[sizeof TL_META_HOLD_PREFIX + TL_ID_TERM_MAX + 2], *cur = NULL, *p;
    size_t nh = 0, caph = 0, j, len = 0, shard, ri;
    idrun *r = u->ids && tl_strset_has(u->ids, q, strlen(q), &ri) ? &u->run[ri] : NULL;
    const char *unread = NULL;
    /* every holder: recorded, read in the run, the one the index held */
    for (p = c.persist[i]; rc == TL_OK && p && *p;) {
      size_t n = strcspn(p, "\n");
      int end = p[n] == '\0';
      p[n] = '\0';
      if (tl_array_reserve((void **)&h, &caph, nh + 1, sizeof *h) != TL_OK)
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      else
        h[nh++] = p;
      p += n + !end;
    }
    hold[0] = r && r->prior != NO_FILE ? tl_strset_key(u->files, r->prior, NULL) : NULL;
    for (j = 0; rc == TL_OK && r && j <= r->n; j++) {
      const char *x = j == r->n ? hold[0]
                      : j == 0  ? tl_strset_key(u->files, r->first, NULL)
                                : tl_strset_key(u->files, r->more[j - 1], NULL);
      if (!x)
        continue;
      if (tl_array_reserve((void **)&h, &caph, nh + 1, sizeof *h) != TL_OK)
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      else
        h[nh++] = (char *)x;
    }
    /* those that still hold it, once each, in byte order */
    if (nh)
      qsort(h, nh, sizeof *h, cmp_str);
    for (j = 0, k = 0; j < nh; j++)
      if ((!k || strcmp(h[k - 1], h[j]) != 0) && still_holds(u, r, h[j]))
        h[k++] = h[j];
    nh = k;
    for (j = 0; j < nh; j++) {
      size_t f;
      if (!unread && (!u->files || !tl_strset_has(u->files, h[j], strlen(h[j]), &f) || !r ||
                      !run_holds(r, (uint32_t)f)))
        unread = h[j];
      len += strlen(h[j]) + 1;
    }
    /* the copy shown must be the last holder's */
    if (rc == TL_OK && nh &&
        (rc = tl_store_first_value(shard_of(u, q, &shard), q, strlen(q), TL_SLOT_FILE, &cur,
                                   err)) == TL_OK &&
        strcmp(cur, h[nh - 1]) != 0) {
      if (tl_array_reserve((void **)&rr, &caprr, nrr + 1, sizeof *rr) != TL_OK ||
          !(rr[nrr].file = strdup(h[nh - 1])) || !(rr[nrr].q = strdup(q))) {
        if (nrr < caprr)
          free(rr[nrr].file);
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      } else {
        unsigned long n = 1;
        nrr++;
        /* gone from the index: counted as removed, it is replaced instead */
        if (tl_store_term_count(shard_of(u, q, &shard), q, strlen(q), &n, err) == TL_OK && !n)
          u->restored++;
      }
    }
    free(cur);
    /* a duplicate with a file not read again is noted too */
    if (rc == TL_OK && r && nh > 1 && unread) {
      char msg[1024];
      snprintf(msg, sizeof msg,
               "%.180s: article id '%.80s' also held by %.180s: the copy indexed is the last one "
               "in %.180s, the file whose path sorts last",
               r->where, r->id, unread, h[nh - 1]);
      note(u, TL_OK, msg);
    }
    /* the holders recorded */
    snprintf(key, sizeof key, "%s%s", TL_META_HOLD_PREFIX, q);
    if (rc == TL_OK && nh > 1) {
      char *v = malloc(len), *o = v;
      if (!v) {
        rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
      } else {
        for (j = 0; j < nh; j++)
          o += sprintf(o, "%s%s", j ? "\n" : "", h[j]); /* NOLINT */
        rc = tl_store_set_metadata(s0, key, v, err);
        free(v);
      }
    } else if (rc == TL_OK && c.persist[i]) {
      rc = tl_store_set_metadata(s0, key, "", err);
    }
    free(h);
  }
  /* the copies to index again, one read of each file */
  if (nrr)
    qsort(rr, nrr, sizeof *rr, cmp_reread);
  for (i = 0; rc == TL_OK && i < nrr; i = k) {
    for (k = i + 1; k < nrr && strcmp(rr[k].file, rr[i].file) == 0;)
      k++;
    rc = restore_from(u, rr + i, k - i, err);
  }
  for (i = 0; i < nrr; i++) {
    free(rr[i].file);
    free(rr[i].q);
  }
  free(rr);
  for (i = 0; c.q && i < tl_strset_count(c.q); i++)
    free(c.persist[i]);
  free(c.persist);
  tl_strset_free(c.q);
  return rc;
}

tl_status tl_update_finish(tl_update *u, tl_update_summary *sum, tl_error *err) {
  tl_error e;
  size_t k;
  if (u->finished)
    return tl_error_set(err, TL_ERR_USAGE, "the update is finished");
  u->finished = 1;
  if (tl_pipeline_finish(u->pl) != 0)
    stop_nomem(u); /* unless consume stopped the run first */
  tl_pipeline_free(u->pl);
  u->pl = NULL;
  for (k = 0; k < u->nw; k++)
    if (tl_writer_stop(u->w[k], &e) != TL_OK)
      stop(u, &e);
  /* every writer thread is joined: the rest runs here */
  for (k = 0; !u->fatal && k < u->nst; k++) {
    tl_store *s0 = tl_index_store(tl_writer_index(u->w[0]));
    if ((u->sts[k].size == UINT64_MAX
             ? tl_manifest_delete(s0, u->st_paths[k], &e)
             : tl_manifest_put(s0, u->st_paths[k], &u->sts[k],
                               u->st_paths[k] + strlen(u->st_paths[k]) + 1, &e)) != TL_OK)
      stop(u, &e);
  }
  if (!u->fatal && !u->o.no_delete && prune(u, &e) != TL_OK)
    stop(u, &e);
  if (!u->fatal && settle_holders(u, &e) != TL_OK)
    stop(u, &e);
  for (k = 0; !u->fatal && k < u->nw; k++)
    if (tl_writer_commit(u->w[k], &e) != TL_OK)
      stop(u, &e);
  /* a new index is synced once, here, not at each commit: its databases,
   * and the stub that lists new shards */
  for (k = 0; !u->fatal && k < u->nw; k++)
    if (tl_writer_sync(u->w[k], &e) != TL_OK)
      stop(u, &e);
  if (!u->fatal && u->stub && tl_store_sync(u->stub, &e) != TL_OK)
    stop(u, &e);
  if (sum) {
    memset(sum, 0, sizeof *sum);
    for (k = 0; k < u->nw; k++) {
      unsigned long added, replaced, removed;
      tl_writer_counts(u->w[k], &added, &replaced, &removed);
      sum->added += added;
      sum->replaced += replaced;
      sum->removed += removed;
      sum->index_passages += tl_index_passage_count(tl_writer_index(u->w[k]));
    }
    sum->files = u->p.files;
    sum->articles = u->p.articles;
    sum->unchanged = u->unchanged;
    sum->removed += u->removed;
    if (u->restored > sum->removed)
      u->restored = sum->removed;
    sum->removed -= u->restored;
    sum->replaced += u->restored;
    sum->undated = u->undated;
    sum->passages = u->p.passages;
    sum->bytes = u->bytes;
    sum->seconds = since(&u->t0);
    sum->skipped_files = u->p.skipped_files;
    sum->skipped_records = u->p.skipped_records;
    memcpy(sum->reasons, u->reasons, sizeof sum->reasons);
    sum->stopped = u->fatal;
  }
  if (!u->fatal)
    return TL_OK;
  if (err)
    *err = u->err;
  return u->err.code;
}

/* ---- opening: the databases, one or the shards a stub lists ---- */

typedef char shard_name[4096];

/* Reads the shard paths of a stub file (relative to its directory, as
 * written) into names; returns how many, or -1 when it is not one, or a
 * stub of one remote database ("remote HOST:PORT", served by xapian-tcpsrv
 * --writable), which Xapian opens for writing as one database; -2 when it
 * lists remote databases among others. */
static int read_stub(const char *db, shard_name *names, int max) {
  FILE *f = fopen(db, "r");
  char line[4200];
  int n = 0, remote = 0;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f) && n < max) {
    size_t k = strcspn(line, "\r\n");
    line[k] = '\0';
    if (strncmp(line, "auto ", 5) == 0 && k - 5 < 4096)
      memcpy(names[n++], line + 5, k - 5 + 1);
    remote += strncmp(line, "remote ", 7) == 0;
  }
  fclose(f);
  return remote == 0 ? n : remote == 1 && n == 0 ? -1 : -2;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* 1 when path is a directory that holds files but no Xapian database: not
 * an index, and not to be written into. */
static int foreign_dir(const char *path) {
  char probe[4096 + 16];
  struct stat sb;
  DIR *d;
  struct dirent *e;
  int any = 0;
  if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return 0;
  snprintf(probe, sizeof probe, "%.4095s/iamglass", path);
  if (stat(probe, &sb) == 0 || !(d = opendir(path)))
    return 0;
  while (!any && (e = readdir(d)))
    any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return any;
}

/* Records in each shard the number of shards articles are hashed to, and
 * refuses a stub that lists another number than a shard records (a line
 * added or removed by hand: articles would be hashed to other shards than
 * those holding them). */
static int check_shard_count(tl_update *u, const char *db, shard_name *names, tl_error *err) {
  char want[24];
  size_t k;
  int rc = TL_OK;
  snprintf(want, sizeof want, "%zu", u->nw);
  for (k = 0; k < u->nw && rc == TL_OK; k++) {
    tl_store *st = tl_index_store(tl_writer_index(u->w[k]));
    char *have = NULL;
    if ((rc = tl_store_get_metadata(st, TL_META_SHARDS, &have, err)) != TL_OK)
      return rc;
    if (*have && strcmp(have, want) != 0)
      rc = tl_error_set(err, TL_ERR_USAGE,
                        "%s lists %zu shards, but %s holds articles hashed to %s shards: index new "
                        "articles into a shard of their own, or build the shards again",
                        db, u->nw, names[k], have);
    else if (!*have)
      rc = tl_store_set_metadata(st, TL_META_SHARDS, want, err);
    free(have);
  }
  return rc;
}

/* Opens the writers (and, for new shards, writes the stub). */
static int open_writers(tl_update *u, const char *db, shard_name *names, tl_error *err) {
  tl_index_options io;
  struct stat sb;
  unsigned nshards = u->o.shards;
  size_t k;
  int rc, v = stat(db, &sb) == 0 && S_ISREG(sb.st_mode) ? read_stub(db, names, TL_UPDATE_MAX_SHARDS)
                                                        : -1;
  if (foreign_dir(db))
    return tl_error_set(err, TL_ERR_USAGE, "%s: a folder that is not empty and not an index", db);
  if (nshards > TL_UPDATE_MAX_SHARDS)
    return tl_error_set(err, TL_ERR_USAGE, "%u shards: at most %d", nshards, TL_UPDATE_MAX_SHARDS);
  if (v == -2)
    return tl_error_set(err, TL_ERR_USAGE,
                        "%s lists remote databases: index each through a stub of its own", db);
  if (v == 0)
    return tl_error_set(err, TL_ERR_USAGE, "%s is not a stub database", db);
  if (v > 0 && nshards && nshards != (unsigned)v)
    return tl_error_set(err, TL_ERR_USAGE, "%s is a stub database of %d shards, not %u", db, v,
                        nshards);
  if (v < 0 && nshards > 1 && stat(db, &sb) == 0)
    return tl_error_set(err, TL_ERR_USAGE, "%s is a single database, not shards", db);
  u->sharded = v > 0 || nshards > 1;
  u->nw = v > 0 ? (size_t)v : u->sharded ? (size_t)nshards : 1;
  if (!(u->w = calloc(u->nw, sizeof(tl_writer *))))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memset(&io, 0, sizeof io);
  io.stemmer = u->o.stemmer;
  io.data_dir = u->o.data_dir;
  for (k = 0; k < u->nw; k++) {
    char path[8192];
    if (u->sharded) {
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
    if ((rc = tl_writer_open(path, &io, u->o.batch, &u->w[k], err)) != TL_OK)
      return rc;
  }
  if (u->sharded && (rc = check_shard_count(u, db, names, err)) != TL_OK)
    return rc;
  if (u->sharded && v < 0) {
    const char *list[TL_UPDATE_MAX_SHARDS];
    for (k = 0; k < u->nw; k++)
      list[k] = names[k];
    /* commit the empty shards, so that the stub opens for reading */
    for (k = 0; k < u->nw; k++)
      if ((rc = tl_writer_commit(u->w[k], err)) != TL_OK)
        return rc;
    if ((rc = tl_store_write_stub(db, list, u->nw, err)) != TL_OK)
      return rc;
    if (!(u->stub = strdup(db)))
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

/* Compares the analysis of words that built the index (each shard) with
 * the workers' (tl_schema_check_analysis): a new index records it, one
 * built by another is noted once, and updated all the same. */
static int check_analysis(tl_update *u, const char *db, tl_error *err) {
  const char *fp = tl_analyzer_fingerprint(tl_analysis_analyzer(u->workers[0].an));
  size_t k;
  int rc = TL_OK, noted = 0;
  for (k = 0; k < u->nw && rc == TL_OK; k++) {
    char *stale = NULL;
    rc = tl_schema_check_analysis(tl_index_store(tl_writer_index(u->w[k])), db, fp, 1, &stale, err);
    if (stale && !noted++) {
      tl_buf msg = TL_BUF_INIT;
      if (tl_buf_printf(&msg, "warning: %s", stale) == TL_OK)
        note(u, TL_OK, msg.data);
      tl_buf_free(&msg);
    }
    free(stale);
  }
  return rc;
}

/* Starts the workers (an analysis and a read-only view of the index each:
 * the database, or the stub), the writer threads and the pipeline. */
static int start(tl_update *u, const char *db, tl_error *err) {
  const char *stemmer = tl_index_stemmer(tl_writer_index(u->w[0]));
  tl_pipeline_options po;
  size_t k;
  int rc;
  long jobs = u->o.jobs ? (long)u->o.jobs : sysconf(_SC_NPROCESSORS_ONLN);
  u->nworkers = jobs < 1 ? 1 : (size_t)jobs;
  u->workers = calloc(u->nworkers, sizeof *u->workers);
  u->wctx = calloc(u->nworkers, sizeof *u->wctx);
  if (!u->workers || !u->wctx)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  for (k = 0; k < u->nworkers; k++) {
    if ((rc = tl_analysis_create(stemmer, u->o.data_dir, &u->workers[k].an, err)) != TL_OK ||
        (rc = tl_store_open(db, TL_STORE_READ, &u->workers[k].ro, err)) != TL_OK)
      return rc;
    u->workers[k].date_format = u->o.date_format;
    u->wctx[k] = &u->workers[k];
  }
  if ((rc = check_analysis(u, db, err)) != TL_OK)
    return rc;
  for (k = 0; k < u->nw; k++)
    if ((rc = tl_writer_start(u->w[k], err)) != TL_OK)
      return rc;
  memset(&po, 0, sizeof po);
  po.nworkers = u->nworkers;
  po.workers = u->wctx;
  po.work = work;
  po.consume = consume;
  po.consume_ctx = u;
  po.free_item = item_free;
  po.free_job = free;
  po.items_per_job = 8; /* chunks of up to CHUNK_BYTES each */
  return tl_pipeline_create(&po, &u->pl, err);
}

tl_status tl_update_open(const char *db_path, const tl_update_options *opts, tl_update **out,
                         tl_error *err) {
  tl_update *u = calloc(1, sizeof *u);
  shard_name *names = calloc(TL_UPDATE_MAX_SHARDS, sizeof *names);
  int rc;
  *out = NULL;
  if (!u || !names) {
    free(u);
    free(names);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  u->o = opts ? *opts : tl_update_options_default();
  if (!u->o.batch)
    u->o.batch = 1000;
  clock_gettime(CLOCK_MONOTONIC, &u->t0);
  rc = open_writers(u, db_path, names, err);
  free(names);
  if (rc == TL_OK)
    rc = start(u, db_path, err);
  if (rc != TL_OK) {
    tl_update_free(u);
    return rc;
  }
  *out = u;
  return TL_OK;
}

void tl_update_free(tl_update *u) {
  size_t k;
  if (!u)
    return;
  tl_pipeline_free(u->pl);
  for (k = 0; u->w && k < u->nw; k++)
    tl_writer_free(u->w[k]);
  free(u->w);
  for (k = 0; u->workers && k < u->nworkers; k++) {
    tl_analysis_free(u->workers[k].an);
    tl_store_close(u->workers[k].ro);
  }
  free(u->workers);
  free(u->wctx);
  for (k = 0; k < u->nst; k++)
    free(u->st_paths[k]);
  free(u->st_paths);
  free(u->sts);
  for (k = 0; k < u->nroots; k++)
    free(u->roots[k]);
  free(u->roots);
  free(u->stub);
  for (k = 0; k < u->nkept; k++)
    free(u->kept[k]);
  free(u->kept);
  for (k = 0; u->ids && k < tl_strset_count(u->ids); k++) {
    free(u->run[k].id);
    free(u->run[k].where);
    free(u->run[k].more);
  }
  free(u->run);
  tl_strset_free(u->ids);
  tl_strset_free(u->walked);
  tl_strset_free(u->files);
  free(u->fflag);
  free(u);
}

/* ---- maintenance ---- */

tl_status tl_index_stats(const char *path, tl_index_stats_t *out, tl_error *err) {
  tl_store_stats_t st;
  tl_store *s;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = tl_store_stats(path, &st, err)) != TL_OK)
    return rc;
  out->articles = st.articles;
  out->passages = st.documents;
  out->terms = st.terms;
  out->bytes = st.bytes;
  out->shards = st.shards;
  if (tl_store_open(path, TL_STORE_READ, &s, err) == TL_OK) {
    char *updated = NULL, *stemmer = NULL;
    tl_store_get_metadata(s, TL_META_UPDATED, &updated, err);
    tl_store_get_metadata(s, TL_META_STEMMER, &stemmer, err);
    tl_store_close(s);
    snprintf(out->updated, sizeof out->updated, "%s", updated ? updated : "");
    snprintf(out->stemmer, sizeof out->stemmer, "%s", stemmer ? stemmer : "");
    free(updated);
    free(stemmer);
  }
  tl_error_clear(err);
  return TL_OK;
}

tl_status tl_index_compact(const char *path, unsigned long long *before, unsigned long long *after,
                           tl_error *err) {
  return tl_store_compact(path, before, after, err);
}
