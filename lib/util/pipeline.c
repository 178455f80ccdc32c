/* pipeline.c - an ordered pool of worker threads (POSIX threads). */
#include "util/pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct tl_pipeline_job {
  tl_pipeline *p;
  void *data;
  void **items; /* ring of items_per_job */
  size_t head, count;
  int started, done;
  tl_pipeline_job *next; /* in submission order */
};

struct tl_pipeline {
  tl_pipeline_options o;
  pthread_mutex_t mu;
  pthread_cond_t work_cv;  /* a job to start, or stopping */
  pthread_cond_t ready_cv; /* the consumer: an item or a finished job */
  pthread_cond_t space_cv; /* workers: room in a job */
  pthread_t *threads;
  size_t nthreads;
  tl_pipeline_job *first, *last, *next_start;
  size_t njobs;
  int cancelled, stopping;
};

typedef struct worker_arg {
  tl_pipeline *p;
  void *ctx;
} worker_arg;

static void *worker_main(void *varg) {
  worker_arg *a = varg;
  tl_pipeline *p = a->p;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    tl_pipeline_job *j;
    while (!p->next_start && !p->stopping)
      pthread_cond_wait(&p->work_cv, &p->mu);
    if (!p->next_start)
      break;
    j = p->next_start;
    p->next_start = j->next;
    j->started = 1;
    if (!p->cancelled) {
      pthread_mutex_unlock(&p->mu);
      p->o.work(a->ctx, j->data, j);
      pthread_mutex_lock(&p->mu);
    }
    j->done = 1;
    pthread_cond_broadcast(&p->ready_cv);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int tl_pipeline_create(const tl_pipeline_options *opts, tl_pipeline **out, tl_error *err) {
  tl_pipeline *p;
  worker_arg *args;
  size_t i;
  *out = NULL;
  if (!opts || opts->nworkers < 1 || !opts->work || !opts->consume || !opts->workers)
    return tl_error_set(err, TL_ERR_USAGE, "pipeline: no worker or missing function");
  if (!(p = calloc(1, sizeof *p + opts->nworkers * sizeof *args)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  p->o = *opts;
  if (!p->o.items_per_job)
    p->o.items_per_job = 64;
  if (!p->o.max_jobs)
    p->o.max_jobs = 2 * p->o.nworkers + 2;
  args = (worker_arg *)(p + 1);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->ready_cv, NULL);
  pthread_cond_init(&p->space_cv, NULL);
  if (!(p->threads = calloc(opts->nworkers, sizeof *p->threads))) {
    tl_pipeline_free(p);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  for (i = 0; i < opts->nworkers; i++) {
    args[i].p = p;
    args[i].ctx = opts->workers[i];
    if (pthread_create(&p->threads[i], NULL, worker_main, &args[i]) != 0) {
      tl_pipeline_free(p);
      return tl_error_set(err, TL_ERR_NOMEM, "cannot start a worker thread");
    }
    p->nthreads++;
  }
  *out = p;
  return TL_OK;
}

int tl_pipeline_emit(tl_pipeline_job *j, void *item) {
  tl_pipeline *p = j->p;
  int rc = 0;
  pthread_mutex_lock(&p->mu);
  while (j->count >= p->o.items_per_job && !p->cancelled)
    pthread_cond_wait(&p->space_cv, &p->mu);
  if (p->cancelled) {
    rc = 1;
  } else {
    j->items[(j->head + j->count) % p->o.items_per_job] = item;
    j->count++;
    if (j == p->first)
      pthread_cond_broadcast(&p->ready_cv);
  }
  pthread_mutex_unlock(&p->mu);
  return rc;
}

int tl_pipeline_cancelled(tl_pipeline_job *j) {
  int c;
  pthread_mutex_lock(&j->p->mu);
  c = j->p->cancelled;
  pthread_mutex_unlock(&j->p->mu);
  return c;
}

static void free_job(tl_pipeline *p, tl_pipeline_job *j) {
  while (j->count) {
    if (p->o.free_item)
      p->o.free_item(j->items[j->head]);
    j->head = (j->head + 1) % p->o.items_per_job;
    j->count--;
  }
  if (p->o.free_job)
    p->o.free_job(j->data);
  free(j->items);
  free(j);
}

/* Consumes the first job to its end (mu not held). */
static int consume_first(tl_pipeline *p) {
  tl_pipeline_job *j = p->first;
  int rc = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    void *item;
    while (!j->count && !j->done)
      pthread_cond_wait(&p->ready_cv, &p->mu);
    if (!j->count)
      break;
    item = j->items[j->head];
    j->head = (j->head + 1) % p->o.items_per_job;
    j->count--;
    pthread_cond_broadcast(&p->space_cv);
    if (p->cancelled) {
      if (p->o.free_item)
        p->o.free_item(item);
      continue;
    }
    pthread_mutex_unlock(&p->mu);
    rc = p->o.consume(p->o.consume_ctx, item);
    pthread_mutex_lock(&p->mu);
    if (rc) {
      p->cancelled = 1;
      pthread_cond_broadcast(&p->space_cv);
    }
  }
  p->first = j->next;
  if (!p->first)
    p->last = NULL;
  p->njobs--;
  pthread_mutex_unlock(&p->mu);
  free_job(p, j);
  return rc;
}

int tl_pipeline_submit(tl_pipeline *p, void *data) {
  tl_pipeline_job *j = calloc(1, sizeof *j);
  int rc = 0;
  if (j && !(j->items = calloc(p->o.items_per_job, sizeof *j->items))) {
    free(j);
    j = NULL;
  }
  if (!j) {
    if (p->o.free_job)
      p->o.free_job(data);
    return TL_ERR_NOMEM;
  }
  j->p = p;
  j->data = data;
  pthread_mutex_lock(&p->mu);
  if (p->last)
    p->last->next = j;
  else
    p->first = j;
  p->last = j;
  if (!p->next_start)
    p->next_start = j;
  p->njobs++;
  pthread_cond_signal(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  while (p->njobs > p->o.max_jobs) {
    int r = consume_first(p);
    if (r && !rc)
      rc = r;
  }
  return rc;
}

int tl_pipeline_finish(tl_pipeline *p) {
  int rc = 0;
  while (p->first) {
    int r = consume_first(p);
    if (r && !rc)
      rc = r;
  }
  return rc;
}

void tl_pipeline_cancel(tl_pipeline *p) {
  pthread_mutex_lock(&p->mu);
  p->cancelled = 1;
  pthread_cond_broadcast(&p->space_cv);
  pthread_mutex_unlock(&p->mu);
}

void tl_pipeline_free(tl_pipeline *p) {
  size_t i;
  if (!p)
    return;
  tl_pipeline_cancel(p);
  tl_pipeline_finish(p);
  pthread_mutex_lock(&p->mu);
  p->stopping = 1;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  for (i = 0; i < p->nthreads; i++)
    pthread_join(p->threads[i], NULL);
  free(p->threads);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->work_cv);
  pthread_cond_destroy(&p->ready_cv);
  pthread_cond_destroy(&p->space_cv);
  free(p);
}
