/*
 * pipeline.h - an ordered pool of worker threads.
 *
 * The caller submits jobs (opaque pointers) in order; worker threads run
 * them in that order, each job on one worker, and every job emits items
 * (opaque pointers) as it goes. The caller's thread consumes the items
 * job by job, in submission order, and each job's items in the order they
 * were emitted: what the consumer sees does not depend on the number of
 * workers or on timing, so output built from it is the same for any N.
 *
 * Memory is bounded: each job holds at most `items_per_job` items not yet
 * consumed (emitting into a full job waits), and tl_pipeline_submit()
 * consumes finished work whenever more than `max_jobs` jobs are in flight.
 *
 * Threads: tl_pipeline_submit, _finish, _cancel and _free belong to the
 * thread that created the pipeline; work functions run on the workers and
 * may call tl_pipeline_emit() only for their own job.
 */
#ifndef TELUSUR_PIPELINE_H
#define TELUSUR_PIPELINE_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_pipeline tl_pipeline;
typedef struct tl_pipeline_job tl_pipeline_job;

/**
 * Runs one job on a worker. worker: the context given for this worker
 * (workers[i] of the options). data: the job as submitted, owned by the
 * pipeline (freed with free_job after the call). Emits items with
 * tl_pipeline_emit(). The return value is ignored; report errors as items.
 */
typedef void (*tl_pipeline_work_fn)(void *worker, void *data, tl_pipeline_job *job);

/**
 * Consumes one item on the caller's thread; the item is the consumer's from
 * then on. Return 0 to go on, non-zero to cancel the pipeline (see
 * tl_pipeline_cancel); the value is returned by _submit / _finish.
 */
typedef int (*tl_pipeline_consume_fn)(void *ctx, void *item);

/** Options of tl_pipeline_create; zero-initialize, then set. */
typedef struct tl_pipeline_options {
  size_t nworkers;                /**< threads, >= 1 */
  void **workers;                 /**< nworkers contexts, one per thread (not owned) */
  tl_pipeline_work_fn work;       /**< required */
  tl_pipeline_consume_fn consume; /**< required */
  void *consume_ctx;
  void (*free_item)(void *item); /**< drops items never consumed (after a cancel) */
  void (*free_job)(void *data);  /**< frees job data; NULL: not freed */
  size_t items_per_job;          /**< 0: 64 */
  size_t max_jobs;               /**< jobs in flight; 0: 2 * nworkers + 2 */
} tl_pipeline_options;

/**
 * Starts the worker threads. Errors: TL_ERR_USAGE (no worker or missing
 * function), TL_ERR_NOMEM (including a thread that could not be started).
 * Release with tl_pipeline_free().
 */
int tl_pipeline_create(const tl_pipeline_options *opts, tl_pipeline **out, tl_error *err);

/**
 * Queues a job (data becomes the pipeline's), then, while more than
 * max_jobs jobs are in flight, consumes the oldest job's items. Returns 0,
 * or the consume function's non-zero value (the pipeline is then
 * cancelled and data is freed unrun), or TL_ERR_NOMEM.
 */
int tl_pipeline_submit(tl_pipeline *p, void *data);

/**
 * Emits an item from a worker into its job; waits while the job holds
 * items_per_job unconsumed items. Returns 0, or 1 when the pipeline was
 * cancelled: the item is then not taken (the caller frees it) and the work
 * function should return.
 */
int tl_pipeline_emit(tl_pipeline_job *job, void *item);

/** Whether the pipeline was cancelled (for a work function to stop early). */
int tl_pipeline_cancelled(tl_pipeline_job *job);

/**
 * Consumes every job still in flight, in order. Returns 0 or the consume
 * function's non-zero value (the rest is then dropped with free_item).
 */
int tl_pipeline_finish(tl_pipeline *p);

/**
 * Cancels: workers stop at their next emit, and items not consumed are
 * dropped with free_item when the pipeline is finished or freed.
 */
void tl_pipeline_cancel(tl_pipeline *p);

/** Cancels what is left, joins the workers and frees; NULL is allowed. */
void tl_pipeline_free(tl_pipeline *p);

#ifdef __cplusplus
}
#endif

#endif
