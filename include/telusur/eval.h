/*
 * eval.h - retrieval evaluation: TREC qrels and runs in, MRR@10, nDCG@10,
 * Recall@10 and Recall@100 out, per query and averaged.
 *
 * Definitions follow trec_eval 9 (NIST, https://github.com/usnistgov/
 * trec_eval) so that numbers can be compared with published figures:
 *
 *  - A document is relevant when its qrels grade is > 0 (trec_eval's
 *    default relevance_level 1). Documents of the run that the qrels do not
 *    mention are non-relevant.
 *  - Ranking: the run's documents for a query are ordered by score,
 *    descending; equal scores are ordered by docid, descending, by byte-wise
 *    strcmp (trec_eval's comp_sim_docno). The rank column is read and
 *    checked to be an integer but otherwise ignored, exactly as trec_eval
 *    does. Example: "d9" and "d10" with equal scores rank d9 first.
 *  - MRR@10: 1 / rank of the first relevant document when it is within the
 *    first 10, else 0 (trec_eval's recip_rank, cut at 10).
 *  - nDCG@10: trec_eval's ndcg_cut.10, the graded nDCG of Järvelin and
 *    Kekäläinen (ACM TOIS 20(4), 2002, pp. 422-446) with gain = the qrels
 *    grade and the log2 discount DCG@10 = sum_{i=1..10} rel_i / log2(i + 1);
 *    the ideal DCG sorts all of the query's positive grades in the qrels,
 *    descending, whether or not the run retrieved them.
 *  - Recall@k (k = 10, 100): relevant documents in the first k / all
 *    relevant documents of the query in the qrels (trec_eval's recall.k).
 *  - Queries: the queries of the qrels with at least one relevant document.
 *    Qrels queries with no relevant document are left out (their measures
 *    are undefined); a run query absent from that set is ignored; a query of
 *    the set without any result in the run counts 0 on every measure
 *    (trec_eval -c). Means are arithmetic means over that set.
 *  - Query order: byte-wise strcmp of the qid, as trec_eval prints them.
 *
 * Input formats (fields separated by any run of spaces, tabs or CR; blank
 * lines are skipped; any other line with the wrong number of fields or a
 * bad number is an error naming the file and line):
 *  - qrels: `qid iter docid rel`, iter ignored, rel an integer (<= 0 is
 *    non-relevant);
 *  - run:   `qid Q0 docid rank score tag`, Q0 and tag ignored, rank an
 *    integer, score a decimal or exponent floating-point number (not NaN).
 * A (qid, docid) pair given twice in one file is an error, as in trec_eval
 * ("duplicate docs").
 *
 * Thread safety: no global mutable state. Loaded tl_qrels and tl_run
 * handles are read-only after loading and may be shared between threads;
 * a tl_eval is read-only after it is computed.
 */
#ifndef TELUSUR_EVAL_H
#define TELUSUR_EVAL_H

#include "error.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Relevance judgments (a TREC qrels file), opaque. */
typedef struct tl_qrels tl_qrels;
/** A ranked run (a TREC run file), opaque. */
typedef struct tl_run tl_run;
/** Per-query and mean measures of one run against one qrels, opaque. */
typedef struct tl_eval tl_eval;

/** Rank cut-offs of the measures, in documents. */
#define TL_EVAL_CUT_SMALL 10
#define TL_EVAL_CUT_LARGE 100

/** The four measures of one query, or their means. Each is in [0, 1]. */
typedef struct tl_eval_scores {
  double mrr_10;     /**< reciprocal rank of the first relevant doc, cut 10 */
  double ndcg_10;    /**< graded nDCG with log2 discount, cut 10 */
  double recall_10;  /**< fraction of the relevant docs in the first 10 */
  double recall_100; /**< fraction of the relevant docs in the first 100 */
} tl_eval_scores;

/** One evaluated query. */
typedef struct tl_eval_query {
  /** The query id; borrowed from the tl_eval, valid until tl_eval_free. */
  const char *qid;
  /** Relevant documents (grade > 0) of the query in the qrels; >= 1. */
  size_t num_rel;
  /** Documents the run returned for the query (0: counted as zero). */
  size_t num_ret;
  /** The query's measures. */
  tl_eval_scores scores;
} tl_eval_query;

/**
 * Reads judgments in TREC qrels format (`qid iter docid rel`) from an open
 * stream. name: how error messages name the input (e.g. its path); not
 * kept. The stream is read to its end and not closed.
 * On success *out owns a handle to release with tl_qrels_free().
 * Errors: TL_ERR_FORMAT ("NAME:LINE: ..." for a line without exactly 4
 * fields, a grade that is not an integer, a NUL byte, or a (qid, docid)
 * pair judged twice), TL_ERR_IO (a read error), TL_ERR_NOMEM. On error
 * *out is NULL.
 */
tl_status tl_qrels_read(FILE *in, const char *name, tl_qrels **out, tl_error *err);

/**
 * Loads a qrels file: as tl_qrels_read() on the file at path ("-" reads
 * standard input). Errors: as tl_qrels_read(), and TL_ERR_IO when the file
 * cannot be opened.
 */
tl_status tl_qrels_load(const char *path, tl_qrels **out, tl_error *err);

/**
 * Number of distinct query ids in the qrels, including those with no
 * relevant document. q may not be NULL.
 */
size_t tl_qrels_num_queries(const tl_qrels *q);

/**
 * The grade of docid for qid: sets *rel and returns TL_OK, or returns
 * TL_ERR_NOTFOUND (and leaves *rel alone) when the pair is not judged.
 */
int tl_qrels_grade(const tl_qrels *q, const char *qid, const char *docid, long *rel);

/** Releases the judgments; NULL is allowed. */
void tl_qrels_free(tl_qrels *q);

/**
 * Reads a run in TREC format (`qid Q0 docid rank score tag`) from an open
 * stream. name: how error messages name the input; not kept. The stream is
 * read to its end and not closed. Each query's documents are then ordered
 * as described at the top of this file (score descending, docid
 * descending).
 * On success *out owns a handle to release with tl_run_free().
 * Errors: TL_ERR_FORMAT ("NAME:LINE: ..." for a line without exactly 6
 * fields, a rank that is not an integer, a score that is not a number or
 * is NaN, a NUL byte, or a docid given twice for one query), TL_ERR_IO (a
 * read error), TL_ERR_NOMEM. On error *out is NULL.
 */
tl_status tl_run_read(FILE *in, const char *name, tl_run **out, tl_error *err);

/**
 * Loads a run file: as tl_run_read() on the file at path ("-" reads
 * standard input). Errors: as tl_run_read(), and TL_ERR_IO when the file
 * cannot be opened.
 */
tl_status tl_run_load(const char *path, tl_run **out, tl_error *err);

/** Number of distinct query ids in the run. r may not be NULL. */
size_t tl_run_num_queries(const tl_run *r);

/**
 * The docid at 0-based position pos of qid's ranking, after the ordering
 * above, or NULL when qid is not in the run or pos is past its end.
 * Borrowed from the run: valid until tl_run_free().
 */
const char *tl_run_doc(const tl_run *r, const char *qid, size_t pos);

/** Releases the run; NULL is allowed. */
void tl_run_free(tl_run *r);

/**
 * Evaluates run against qrels (definitions at the top of this file).
 * Neither input is modified or kept: the result copies what it needs.
 * On success *out owns a result to release with tl_eval_free().
 * Errors: TL_ERR_NOMEM (then *out is NULL).
 */
tl_status tl_eval_compute(const tl_qrels *qrels, const tl_run *run, tl_eval **out, tl_error *err);

/**
 * Number of evaluated queries: qrels queries with at least one relevant
 * document. May be 0 (then the means are all 0).
 */
size_t tl_eval_num_queries(const tl_eval *e);

/**
 * Number of run queries that were ignored because the qrels give them no
 * relevant document (a mismatch of query ids shows up here).
 */
size_t tl_eval_num_ignored(const tl_eval *e);

/**
 * Fills *out with the i-th evaluated query, in strcmp order of the qids,
 * i in [0, tl_eval_num_queries(e)). Returns TL_OK, or TL_ERR_USAGE when i
 * is out of range (*out untouched).
 */
int tl_eval_query_at(const tl_eval *e, size_t i, tl_eval_query *out);

/**
 * Fills *out with the arithmetic means of the measures over the evaluated
 * queries (all 0 when there are none).
 */
void tl_eval_mean(const tl_eval *e, tl_eval_scores *out);

/** Releases the result; NULL is allowed. */
void tl_eval_free(tl_eval *e);

#ifdef __cplusplus
}
#endif

#endif
