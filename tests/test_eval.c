/*
 * test_eval.c - Check suite for lib/eval.[ch] and telusur-eval.
 *
 * Every expected value is worked out by hand in the comment beside it,
 * from trec_eval's definitions (see eval.h): DCG@10 = sum rel_i /
 * log2(i + 1) over ranks i = 1..10, ideal DCG from the qrels grades.
 */
#include "telusur/eval.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

/* A temporary directory per test, removed by teardown. */

/*
 * Writes text to tu_dir/name and returns the path in a static buffer that the
 * next call overwrites (copy it when two paths are needed at once).
 */
static const char *put(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
  return path;
}

/*
 * Loads qrels and run texts (written to tmp as "qrels" and "run") and
 * evaluates them; every step must succeed. Returns the owned result.
 */
static tl_eval *eval_texts(const char *qrels_text, const char *run_text) {
  tl_qrels *q = NULL;
  tl_run *r = NULL;
  tl_eval *e = NULL;
  tl_error err;
  char qpath[512];
  snprintf(qpath, sizeof qpath, "%s", put("qrels", qrels_text));
  ck_assert_msg(tl_qrels_load(qpath, &q, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_run_load(put("run", run_text), &r, &err) == TL_OK, "%s", err.msg);
  ck_assert_msg(tl_eval_compute(q, r, &e, &err) == TL_OK, "%s", err.msg);
  tl_run_free(r);
  tl_qrels_free(q);
  return e;
}

/* Fetches query i of e, which must exist, and checks its qid. */
static tl_eval_query row(const tl_eval *e, size_t i, const char *qid) {
  tl_eval_query q;
  ck_assert_int_eq(tl_eval_query_at(e, i, &q), TL_OK);
  ck_assert_str_eq(q.qid, qid);
  return q;
}

/* Asserts the four scores s equal the expected values within EPS. */
static void expect_scores(tl_eval_scores s, double mrr, double ndcg, double r10, double r100) {
  ck_assert_double_eq_tol(s.mrr_10, mrr, EPS);
  ck_assert_double_eq_tol(s.ndcg_10, ndcg, EPS);
  ck_assert_double_eq_tol(s.recall_10, r10, EPS);
  ck_assert_double_eq_tol(s.recall_100, r100, EPS);
}

/*
 * Loads text as qrels (is_run 0) or run (is_run 1) from tu_dir/name; it must
 * fail with TL_ERR_FORMAT and a message containing want.
 */
static void expect_bad(int is_run, const char *name, const char *text, const char *want) {
  tl_error err;
  int rc;
  const char *path = put(name, text);
  if (is_run) {
    tl_run *r = (tl_run *)1;
    rc = tl_run_load(path, &r, &err);
    ck_assert_ptr_null(r);
  } else {
    tl_qrels *q = (tl_qrels *)1;
    rc = tl_qrels_load(path, &q, &err);
    ck_assert_ptr_null(q);
  }
  ck_assert_int_eq(rc, TL_ERR_FORMAT);
  ck_assert_int_eq(err.code, TL_ERR_FORMAT);
  ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
  ck_assert_ptr_null(strchr(err.msg, '\n'));
}

/*
 * Graded relevance. q1 judges d1=2, d2=1, d3=0. The run ranks
 * d3 (0), d1 (2), d7 (unjudged), d2 (1).
 * DCG = 2/log2(3) + 1/log2(5) = 1.261860 + 0.430677 = 1.692536;
 * ideal = 2/log2(2) + 1/log2(3) = 2 + 0.630930 = 2.630930;
 * nDCG@10 = 0.643322. First relevant at rank 2: MRR 0.5. Recall 2/2.
 */
START_TEST(test_graded) {
  static const char run[] = "q1 Q0 d3 1 3.0 run\n"
                            "q1 Q0 d1 2 2.5 run\n"
                            "q1 Q0 d7 3 2.0 run\n"
                            "q1 Q0 d2 4 1.0 run\n";
  tl_eval *e = eval_texts("q1 0 d1 2\nq1 0 d2 1\nq1 0 d3 0\n", run);
  tl_eval_query q;
  tl_eval_scores m;
  ck_assert_uint_eq(tl_eval_num_queries(e), 1);
  q = row(e, 0, "q1");
  ck_assert_uint_eq(q.num_rel, 2);
  ck_assert_uint_eq(q.num_ret, 4);
  expect_scores(q.scores, 0.5, (2 / log2(3) + 1 / log2(5)) / (2 + 1 / log2(3)), 1.0, 1.0);
  ck_assert_double_eq_tol(q.scores.ndcg_10, 0.643322, 1e-6);
  tl_eval_mean(e, &m);
  expect_scores(m, q.scores.mrr_10, q.scores.ndcg_10, 1.0, 1.0);
  tl_eval_free(e);
}
END_TEST

/*
 * The ideal ranking comes from the qrels, not the run: q1 has grades 3
 * (d1) and 1 (d2); the run finds only d2, at rank 1.
 * nDCG@10 = (1/1) / (3/1 + 1/log2(3)) = 1 / 3.630930 = 0.275411.
 * Recall 1/2.
 */
START_TEST(test_ideal_from_qrels) {
  tl_eval *e = eval_texts("q1 0 d1 3\nq1 0 d2 1\n", "q1 Q0 d2 1 9 run\n");
  tl_eval_query q = row(e, 0, "q1");
  expect_scores(q.scores, 1.0, 1.0 / (3.0 + 1.0 / log2(3)), 0.5, 0.5);
  ck_assert_double_eq_tol(q.scores.ndcg_10, 0.275411, 1e-6);
  tl_eval_free(e);
}
END_TEST

/*
 * More than 10 relevant documents: 12 docs of grade 1, all retrieved in
 * the first 12. nDCG@10 = 1 (the ideal is cut at 10 too); Recall@10 =
 * 10/12; Recall@100 = 1; MRR 1.
 */
START_TEST(test_ideal_cut) {
  char qrels[1024] = "", run[2048] = "";
  size_t nq = 0, nr = 0;
  int i;
  tl_eval *e;
  for (i = 1; i <= 12; i++) {
    nq += (size_t)snprintf(qrels + nq, sizeof qrels - nq, "q 0 d%02d 1\n", i);
    nr += (size_t)snprintf(run + nr, sizeof run - nr, "q Q0 d%02d %d %d run\n", i, i, 100 - i);
  }
  e = eval_texts(qrels, run);
  expect_scores(row(e, 0, "q").scores, 1.0, 1.0, 10.0 / 12.0, 1.0);
  tl_eval_free(e);
}
END_TEST

/*
 * q1 has relevant docs; q2 judges only a non-relevant doc (grade 0) and
 * q3 only a negative grade: both are left out, though the run answers
 * them. A run query absent from the qrels (q9) is ignored too.
 */
START_TEST(test_no_relevant_left_out) {
  static const char run[] = "q1 Q0 a 1 1 run\n"
                            "q2 Q0 b 1 1 run\n"
                            "q3 Q0 c 1 1 run\n"
                            "q9 Q0 z 1 1 run\n";
  tl_eval *e = eval_texts("q1 0 a 1\nq2 0 b 0\nq3 0 c -1\n", run);
  tl_eval_query q;
  tl_eval_scores m;
  ck_assert_uint_eq(tl_eval_num_queries(e), 1);
  ck_assert_uint_eq(tl_eval_num_ignored(e), 3);
  row(e, 0, "q1");
  ck_assert_int_eq(tl_eval_query_at(e, 1, &q), TL_ERR_USAGE);
  tl_eval_mean(e, &m);
  expect_scores(m, 1.0, 1.0, 1.0, 1.0);
  tl_eval_free(e);
}
END_TEST

/*
 * q2 is in the qrels with a relevant doc but has no results: it counts
 * as 0 and halves every mean (q1 is perfect).
 */
START_TEST(test_no_results_zero) {
  tl_eval *e = eval_texts("q1 0 a 1\nq2 0 b 2\n", "q1 Q0 a 1 1 run\n");
  tl_eval_query q;
  tl_eval_scores m;
  ck_assert_uint_eq(tl_eval_num_queries(e), 2);
  ck_assert_uint_eq(tl_eval_num_ignored(e), 0);
  q = row(e, 1, "q2");
  ck_assert_uint_eq(q.num_ret, 0);
  ck_assert_uint_eq(q.num_rel, 1);
  expect_scores(q.scores, 0, 0, 0, 0);
  tl_eval_mean(e, &m);
  expect_scores(m, 0.5, 0.5, 0.5, 0.5);
  tl_eval_free(e);
}
END_TEST

/*
 * Relevant r1 at rank 11 and r2 at rank 101 (scores fall with the rank):
 * MRR@10 = nDCG@10 = Recall@10 = 0, Recall@100 = 1/2.
 */
START_TEST(test_rank_11_and_101) {
  size_t cap = 120 * 64, n = 0;
  char *run = malloc(cap);
  int i;
  tl_eval *e;
  ck_assert_ptr_nonnull(run);
  run[0] = '\0';
  for (i = 1; i <= 120; i++) {
    const char *doc = i == 11 ? "r1" : i == 101 ? "r2" : NULL;
    if (doc)
      n += (size_t)snprintf(run + n, cap - n, "q Q0 %s %d %d run\n", doc, i, 1000 - i);
    else
      n += (size_t)snprintf(run + n, cap - n, "q Q0 n%03d %d %d run\n", i, i, 1000 - i);
  }
  e = eval_texts("q 0 r1 1\nq 0 r2 1\n", run);
  expect_scores(row(e, 0, "q").scores, 0, 0, 0, 0.5);
  tl_eval_free(e);
  free(run);
}
END_TEST

/*
 * Ties and order: the run ranks by score descending, then docid
 * descending by strcmp (trec_eval), whatever the rank column and the line
 * order say. "d9" > "d10" by strcmp, so with equal scores d9 comes first
 * and the relevant d10 is at rank 2: MRR 0.5, nDCG = (1/log2(3)) / 1 =
 * 0.630930. In q2 the relevant d1 has the highest score (2.5) though it is
 * last in the file with rank 3: it is at rank 1, MRR 1.
 */
START_TEST(test_ties) {
  tl_eval *e;
  tl_run *r;
  tl_error err;
  char path[512];
  static const char run[] = "q1 Q0 d10 1 5.0 run\n"
                            "q1 Q0 d9 2 5.0 run\n"
                            "q2 Q0 d3 1 0.5 run\n"
                            "q2 Q0 d2 2 0.7 run\n"
                            "q2 Q0 d1 3 2.5e0 run\n";
  e = eval_texts("q1 0 d10 1\nq2 0 d1 1\n", run);
  expect_scores(row(e, 0, "q1").scores, 0.5, 1 / log2(3), 1, 1);
  ck_assert_double_eq_tol(row(e, 0, "q1").scores.ndcg_10, 0.630930, 1e-6);
  expect_scores(row(e, 1, "q2").scores, 1, 1, 1, 1);
  tl_eval_free(e);
  /* The order itself, as tl_run_doc exposes it (run file from above). */
  snprintf(path, sizeof path, "%s/run", tu_dir);
  ck_assert_int_eq(tl_run_load(path, &r, &err), TL_OK);
  ck_assert_uint_eq(tl_run_num_queries(r), 2);
  ck_assert_str_eq(tl_run_doc(r, "q1", 0), "d9");
  ck_assert_str_eq(tl_run_doc(r, "q1", 1), "d10");
  ck_assert_ptr_null(tl_run_doc(r, "q1", 2));
  ck_assert_str_eq(tl_run_doc(r, "q2", 0), "d1");
  ck_assert_str_eq(tl_run_doc(r, "q2", 1), "d2");
  ck_assert_str_eq(tl_run_doc(r, "q2", 2), "d3");
  ck_assert_ptr_null(tl_run_doc(r, "nope", 0));
  tl_run_free(r);
}
END_TEST

/* A (qid, docid) pair twice is an error in a run and in qrels. */
START_TEST(test_duplicates) {
  expect_bad(1, "dup.run", "q1 Q0 a 1 2 run\nq1 Q0 b 2 1 run\nq1 Q0 a 3 0 run\n",
             "dup.run:3: document 'a' listed twice for query 'q1' (first at "
             "line 1)");
  expect_bad(0, "dup.qrels", "q1 0 a 1\nq2 0 a 1\n\nq1 0 a 0\n",
             "dup.qrels:4: document 'a' judged twice for query 'q1' (first "
             "at line 1)");
}
END_TEST

/* The same docid under two queries is not a duplicate. */
START_TEST(test_same_doc_two_queries) {
  tl_eval *e = eval_texts("q1 0 a 1\nq2 0 a 1\n", "q1 Q0 a 1 1 run\nq2 Q0 a 1 1 run\n");
  tl_eval_scores m;
  tl_eval_mean(e, &m);
  expect_scores(m, 1, 1, 1, 1);
  tl_eval_free(e);
}
END_TEST

/* An empty run scores every qrels query 0; empty qrels give 0 queries. */
START_TEST(test_empty) {
  tl_eval *e = eval_texts("q1 0 a 1\nq2 0 b 1\n", "");
  tl_eval_scores m;
  ck_assert_uint_eq(tl_eval_num_queries(e), 2);
  tl_eval_mean(e, &m);
  expect_scores(m, 0, 0, 0, 0);
  tl_eval_free(e);
  e = eval_texts("", "q1 Q0 a 1 1 run\n");
  ck_assert_uint_eq(tl_eval_num_queries(e), 0);
  ck_assert_uint_eq(tl_eval_num_ignored(e), 1);
  tl_eval_mean(e, &m);
  expect_scores(m, 0, 0, 0, 0);
  tl_eval_free(e);
}
END_TEST

/* Bad lines: one-line messages naming the file and the line. */
START_TEST(test_malformed) {
  expect_bad(0, "a.qrels", "q1 0 d1 1\nq1 0 d2\n",
             "a.qrels:2: expected 4 fields (qid iter docid rel), found 3");
  expect_bad(0, "b.qrels", "q1 0 d1 1 extra\n", "b.qrels:1: expected 4");
  expect_bad(0, "c.qrels", "\n  \nq1 0 d1 1.5\n", "c.qrels:3: relevance '1.5' is not an integer");
  expect_bad(0, "d.qrels", "q1 0 d1 high\n", "d.qrels:1: relevance 'high'");
  expect_bad(1, "a.run", "q1 Q0 d1 1 1.0 run\nq1 Q0 d2 2 0.5\n",
             "a.run:2: expected 6 fields (qid Q0 docid rank score tag), "
             "found 5");
  expect_bad(1, "b.run", "q1 Q0 d1 first 1.0 run\n", "b.run:1: rank 'first' is not an integer");
  expect_bad(1, "c.run", "q1 Q0 d1 1 1.0x run\n", "c.run:1: score '1.0x' is not a number");
  expect_bad(1, "d.run", "q1 Q0 d1 1 nan run\n", "d.run:1: score 'nan'");
  expect_bad(1, "e.run", "q1 0 d1 1\n", "e.run:1: expected 6 fields");
}
END_TEST

/* Tabs, runs of spaces, CRLF endings, blank lines and no final newline. */
START_TEST(test_whitespace) {
  tl_eval *e = eval_texts("q1\t0\td1\t1\r\n\r\n  q1  0 d2 0", "q1\tQ0\td1\t1\t-1.5E1\ttag\r\n");
  tl_eval_query q = row(e, 0, "q1");
  ck_assert_uint_eq(q.num_rel, 1);
  expect_scores(q.scores, 1, 1, 1, 1);
  tl_eval_free(e);
}
END_TEST

/* Loading a missing file is TL_ERR_IO naming the path; grade lookups. */
START_TEST(test_io_and_grade) {
  tl_qrels *q = NULL;
  tl_run *r = NULL;
  tl_error err;
  long rel = 42;
  ck_assert_int_eq(tl_qrels_load("/nonexistent/qrels", &q, &err), TL_ERR_IO);
  ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/qrels"));
  ck_assert_int_eq(tl_run_load("/nonexistent/run", &r, &err), TL_ERR_IO);
  ck_assert_ptr_null(r);
  ck_assert_int_eq(tl_qrels_load(put("q", "x 0 a 2\nx 0 b 0\ny 0 a 1\n"), &q, &err), TL_OK);
  ck_assert_uint_eq(tl_qrels_num_queries(q), 2);
  ck_assert_int_eq(tl_qrels_grade(q, "x", "a", &rel), TL_OK);
  ck_assert_int_eq(rel, 2);
  ck_assert_int_eq(tl_qrels_grade(q, "x", "b", &rel), TL_OK);
  ck_assert_int_eq(rel, 0);
  ck_assert_int_eq(tl_qrels_grade(q, "x", "c", &rel), TL_ERR_NOTFOUND);
  ck_assert_int_eq(tl_qrels_grade(q, "z", "a", &rel), TL_ERR_NOTFOUND);
  ck_assert_int_eq(rel, 0);
  tl_qrels_free(q);
  tl_qrels_free(NULL);
  tl_run_free(NULL);
  tl_eval_free(NULL);
}
END_TEST

/* Many queries and documents: the hash tables grow and stay right. */
START_TEST(test_many) {
  FILE *fq, *fr;
  char qp[512], rp[512];
  tl_qrels *q;
  tl_run *r;
  tl_eval *e;
  tl_error err;
  tl_eval_scores m;
  int i, j;
  snprintf(qp, sizeof qp, "%s/big.qrels", tu_dir);
  snprintf(rp, sizeof rp, "%s/big.run", tu_dir);
  fq = fopen(qp, "w");
  fr = fopen(rp, "w");
  ck_assert_ptr_nonnull(fq);
  ck_assert_ptr_nonnull(fr);
  /* 500 queries; query i's relevant doc sits at rank (i % 20) + 1. */
  for (i = 0; i < 500; i++) {
    fprintf(fq, "query%d 0 doc%d-%d 1\n", i, i, i % 20);
    for (j = 0; j < 50; j++)
      fprintf(fr, "query%d Q0 doc%d-%d %d %d x\n", i, i, j, j + 1, 100 - j);
  }
  ck_assert_int_eq(fclose(fq), 0);
  ck_assert_int_eq(fclose(fr), 0);
  ck_assert_int_eq(tl_qrels_load(qp, &q, &err), TL_OK);
  ck_assert_int_eq(tl_run_load(rp, &r, &err), TL_OK);
  ck_assert_int_eq(tl_eval_compute(q, r, &e, &err), TL_OK);
  ck_assert_uint_eq(tl_eval_num_queries(e), 500);
  tl_eval_mean(e, &m);
  /* Ranks 1..20 equally often: MRR = (1/1 + ... + 1/10) / 20; R@10 = 0.5;
     R@100 = 1; nDCG = (sum_{k=1..10} 1/log2(k+1)) / 20. */
  {
    double mrr = 0, ndcg = 0;
    int k;
    for (k = 1; k <= 10; k++) {
      mrr += 1.0 / k;
      ndcg += 1.0 / log2(k + 1.0);
    }
    expect_scores(m, mrr / 20, ndcg / 20, 0.5, 1.0);
  }
  tl_eval_free(e);
  tl_run_free(r);
  tl_qrels_free(q);
}
END_TEST

/*
 * Runs the built telusur-eval with args (a shell fragment) and returns its
 * exit status; *out and *err get its malloc'd stdout and stderr.
 */
static int cli(const char *args, char **out, char **err) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cd '%s' && '%s/telusur-eval' %s", tu_dir, tu_bin_dir(), args);
  return tu_run(cmd, out, err);
}

/* The command line: formats, --per-query, errors and exit statuses. */
START_TEST(test_cli) {
  char *out = NULL, *err = NULL;
  put("qrels", "q1 0 d1 2\nq1 0 d2 1\nq1 0 d3 0\nq2 0 d5 1\nq3 0 d9 0\n");
  put("run", "q1 Q0 d3 1 3.0 t\n"
             "q1 Q0 d1 2 2.5 t\n"
             "q1 Q0 d7 3 2.0 t\n"
             "q1 Q0 d2 4 1.0 t\n");
  ck_assert_int_eq(cli("--format tsv --per-query qrels run", &out, &err), 0);
  ck_assert_str_eq(out, "qid\tqueries\tmrr@10\tndcg@10\trecall@10\trecall@100\n"
                        "q1\t1\t0.500000\t0.643322\t1.000000\t1.000000\n"
                        "q2\t1\t0.000000\t0.000000\t0.000000\t0.000000\n"
                        "all\t2\t0.250000\t0.321661\t0.500000\t0.500000\n");
  ck_assert_str_eq(err, "");
  free(out);
  free(err);

  ck_assert_int_eq(cli("qrels run", &out, &err), 0);
  ck_assert_str_eq(out, "query  queries  MRR@10  nDCG@10  Recall@10  "
                        "Recall@100\n"
                        "all          2  0.2500   0.3217     0.5000      "
                        "0.5000\n");
  free(out);
  free(err);

  ck_assert_int_eq(cli("-q -f json qrels - < run", &out, &err), 0);
  ck_assert_str_eq(out, "{\"type\":\"query\",\"qid\":\"q1\",\"num_rel\":2,\"num_ret\":4,"
                        "\"mrr@10\":0.500000,\"ndcg@10\":0.643322,\"recall@10\":1.000000,"
                        "\"recall@100\":1.000000}\n"
                        "{\"type\":\"query\",\"qid\":\"q2\",\"num_rel\":1,\"num_ret\":0,"
                        "\"mrr@10\":0.000000,\"ndcg@10\":0.000000,\"recall@10\":0.000000,"
                        "\"recall@100\":0.000000}\n"
                        "{\"type\":\"summary\",\"queries\":2,\"ignored\":0,"
                        "\"mrr@10\":0.250000,\"ndcg@10\":0.321661,\"recall@10\":0.500000,"
                        "\"recall@100\":0.500000}\n");
  free(out);
  free(err);

  /* A run query without relevant documents: a warning, still exit 0. */
  put("run2", "q3 Q0 d9 1 1 t\n");
  ck_assert_int_eq(cli("-f tsv qrels run2", &out, &err), 0);
  ck_assert_ptr_nonnull(strstr(out, "all\t2\t0.000000"));
  ck_assert_ptr_nonnull(strstr(err, "warning: 1 of 1 queries in run2"));
  free(out);
  free(err);

  /* A malformed line: one line on stderr naming file and line, exit 2. */
  put("bad", "q1 Q0 d1 1 1 t\nq1 Q0 d2 1\n");
  ck_assert_int_eq(cli("qrels bad", &out, &err), 2);
  ck_assert_str_eq(out, "");
  ck_assert_str_eq(err, "telusur-eval: bad:2: expected 6 fields (qid Q0 "
                        "docid rank score tag), found 4\n");
  free(out);
  free(err);

  ck_assert_int_eq(cli("missing run", &out, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "missing: No such file"));
  free(out);
  free(err);

  ck_assert_int_eq(cli("qrels", &out, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "expected 2 arguments"));
  free(out);
  free(err);

  ck_assert_int_eq(cli("--format xml qrels run", &out, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown format 'xml'"));
  free(out);
  free(err);

  ck_assert_int_eq(cli("--bogus qrels run", &out, &err), 2);
  free(out);
  free(err);

  ck_assert_int_eq(cli("--help", &out, &err), 0);
  ck_assert_ptr_nonnull(strstr(out, "Usage: telusur-eval"));
  ck_assert_ptr_nonnull(strstr(out, "--per-query"));
  free(out);
  free(err);

  ck_assert_int_eq(cli("--version", &out, &err), 0);
  ck_assert_str_eq(out, "telusur-eval " TELUSUR_VERSION "\n");
  free(out);
  free(err);
}
END_TEST

/* Builds the suite. */
static Suite *eval_suite(void) {
  Suite *s = suite_create("eval");
  TCase *tc = tcase_create("eval");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_add_test(tc, test_graded);
  tcase_add_test(tc, test_ideal_from_qrels);
  tcase_add_test(tc, test_ideal_cut);
  tcase_add_test(tc, test_no_relevant_left_out);
  tcase_add_test(tc, test_no_results_zero);
  tcase_add_test(tc, test_rank_11_and_101);
  tcase_add_test(tc, test_ties);
  tcase_add_test(tc, test_duplicates);
  tcase_add_test(tc, test_same_doc_two_queries);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_malformed);
  tcase_add_test(tc, test_whitespace);
  tcase_add_test(tc, test_io_and_grade);
  tcase_add_test(tc, test_many);
  tcase_add_test(tc, test_cli);
  suite_add_tcase(s, tc);
  return s;
}

/* Runs the suite; exit status 0 when every test passed. */
int main(void) {
  return tu_run_suite(eval_suite());
}
