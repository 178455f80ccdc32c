/* test_batch.c - telusur-query --batch, TREC runs and --explain, end to end. */
#include "testutil.h"

#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_in_dir(const char *name, const char *data) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, data, strlen(data)), 0);
}

/* A sentence of about 25 words on topic word t, numbered n. */
static void add_sentence(char *buf, size_t cap, const char *t, int n) {
  size_t at = strlen(buf);
  snprintf(buf + at, cap - at,
           "Kalimat ke-%d membahas %s di wilayah pesisir utara dengan penduduk yang "
           "bekerja sebagai nelayan dan petani garam sepanjang musim kemarau panjang. ",
           n, t);
}

/*
 * A collection of single-passage articles, as the shared test collections
 * are: one line each, no title; "long-1" is one paragraph of over 200 words
 * (split into several passages by the indexer), "multi" has two paragraphs.
 */
static void make_collection(void) {
  static char doc[65536], longtext[16384];
  char *err = NULL;
  int i, rc;
  longtext[0] = '\0';
  for (i = 1; i <= 14; i++)
    add_sentence(longtext, sizeof longtext, i == 13 ? "rumput laut kering" : "garam", i);
  snprintf(doc, sizeof doc,
           "{\"id\": \"doc-1\", \"title\": \"\", \"text\": \"Harimau Sumatera (Panthera tigris "
           "sumatrae) hidup di hutan hujan Pulau Sumatera.\"}\n"
           "{\"id\": \"doc-2\", \"title\": \"\", \"text\": \"Gajah Sumatera hidup berkelompok "
           "di hutan dataran rendah.\"}\n"
           "{\"id\": \"long-1\", \"title\": \"\", \"text\": \"%s\"}\n"
           "{\"id\": \"multi\", \"title\": \"\", \"text\": \"Paragraf pertama tentang kopi "
           "Gayo dari Aceh.\\n\\nParagraf kedua tentang teh hijau dari Jawa Barat.\"}\n",
           longtext);
  write_in_dir("c.jsonl", doc);
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s/db' '%s/c.jsonl'", tu_bin_dir(), tu_dir,
               tu_dir);
  ck_assert_msg(rc == 0, "index failed (%d): %s", rc, err);
  free(err);
}

/* Checks every line of a TREC run: 6 fields, Q0, ranks 1.. per query,
 * scores not increasing, no docid twice for a query, tag. Returns lines. */
static int check_trec(const char *run_text, const char *tag) {
  char *copy = strdup(run_text), *save = NULL, *line;
  char prev_q[256] = "", seen[64][128];
  int nseen = 0, lines = 0, rank = 0;
  double prev_score = 0;
  ck_assert_ptr_nonnull(copy);
  for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char q[256], q0[8], docid[128], t[64];
    int r, k;
    double score;
    ck_assert_msg(sscanf(line, "%255s %7s %127s %d %lf %63s", q, q0, docid, &r, &score, t) == 6,
                  "bad TREC line: %s", line);
    ck_assert_str_eq(q0, "Q0");
    ck_assert_str_eq(t, tag);
    if (strcmp(q, prev_q) != 0) {
      snprintf(prev_q, sizeof prev_q, "%s", q);
      rank = 0;
      nseen = 0;
    } else {
      ck_assert_msg(score <= prev_score + 1e-9, "scores rise at %s", line);
    }
    ck_assert_int_eq(r, ++rank);
    prev_score = score;
    for (k = 0; k < nseen; k++)
      ck_assert_msg(strcmp(seen[k], docid) != 0, "docid twice for %s: %s", q, docid);
    if (nseen < 64)
      snprintf(seen[nseen++], sizeof seen[0], "%s", docid);
    lines++;
  }
  free(copy);
  return lines;
}

START_TEST(batch_trec_gives_corpus_ids) {
  char *out = NULL, *err = NULL;
  int rc;
  make_collection();
  write_in_dir("q.tsv", "# a comment line\n"
                        "q1\tDi manakah harimau Sumatera hidup?\n"
                        "\n"
                        "q2\tApakah rumput laut kering?\n"
                        "q3\tteh hijau Jawa Barat\n"
                        "q4\tkopi Gayo\n");
  rc = tu_runf(&out, &err,
               "'%s/telusur-query' -d '%s/db' -n 100 --format trec --run-tag exp1 "
               "--batch '%s/q.tsv'",
               tu_bin_dir(), tu_dir, tu_dir);
  ck_assert_msg(rc == 0, "batch exit %d: %s", rc, err);
  ck_assert_int_ge(check_trec(out, "exp1"), 4);
  /* single-passage articles give their corpus ids, as the qrels name them */
  ck_assert_ptr_nonnull(strstr(out, "q1 Q0 doc-1 1 "));
  /* a long paragraph split for length is still one document, listed once */
  ck_assert_ptr_nonnull(strstr(out, "q2 Q0 long-1 1 "));
  ck_assert_ptr_null(strstr(out, "long-1#"));
  /* the paragraphs of a several-paragraph article are id#ordinal */
  ck_assert_ptr_nonnull(strstr(out, "q3 Q0 multi#2 1 "));
  ck_assert_ptr_nonnull(strstr(out, "q4 Q0 multi#1 1 "));
  ck_assert_ptr_null(strstr(out, " multi "));
  free(out);
  free(err);
}
END_TEST

START_TEST(batch_from_stdin_and_errors) {
  char *out = NULL, *err = NULL;
  int rc;
  make_collection();
  /* '-' reads standard input; -n limits each query's list */
  rc = tu_runf(&out, NULL,
               "printf 'a\\tharimau\\nb\\tgajah hutan\\n' | '%s/telusur-query' -d "
               "'%s/db' -n 1 -f trec --batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(check_trec(out, "telusur"), 2);
  ck_assert_ptr_nonnull(strstr(out, "a Q0 doc-1 1 "));
  ck_assert_ptr_nonnull(strstr(out, "b Q0 doc-2 1 "));
  free(out);
  /* other formats carry the qid */
  rc = tu_runf(&out, NULL,
               "printf 'qx\\tharimau\\n' | '%s/telusur-query' -d '%s/db' -f tsv "
               "--batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  ck_assert_msg(strncmp(out, "qx\t1\t", 5) == 0, "tsv: %s", out);
  free(out);
  /* in json every line names its query: results, a spelling suggestion, facets */
  rc = tu_runf(&out, NULL,
               "printf 'qa\\tharimau hutn\\nqb\\tgajah\\n' | '%s/telusur-query' -d '%s/db' -n 1 "
               "-f json --facets source --batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  {
    char *save = NULL, *line;
    int lines = 0, suggestions = 0, facets = 0;
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      json_object *o = json_tokener_parse(line), *v;
      ck_assert_msg(o && json_object_object_get_ex(o, "qid", &v), "no qid: %s", line);
      ck_assert_msg(strcmp(json_object_get_string(v), lines < 3 ? "qa" : "qb") == 0, "%s", line);
      suggestions += json_object_object_get_ex(o, "suggestion", NULL);
      facets += json_object_object_get_ex(o, "facets", NULL);
      json_object_put(o);
      lines++;
    }
    /* qa: its suggestion ("hutan"), a result, its facets; qb: a result, its facets */
    ck_assert_int_eq(lines, 5);
    ck_assert_int_eq(suggestions, 1);
    ck_assert_int_eq(facets, 2);
  }
  free(out);
  /* in text, every line of the suggestion, the counts and the facets too */
  rc = tu_runf(&out, NULL,
               "printf 'qa\\tharimau hutn\\nqb\\tgajah\\n' | '%s/telusur-query' -d '%s/db' -n 1 "
               "--color never --facets source --batch - | grep -v '^   ' | grep -v '^$'",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  {
    char *save = NULL, *line;
    int lines = 0;
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), lines++)
      ck_assert_msg(strncmp(line, lines < 4 ? "qa " : "qb ", 3) == 0, "no qid: %s", line);
    /* per query: a result, the counts, the facet's name (the did-you-mean of qa) */
    ck_assert_int_eq(lines, 7);
  }
  free(out);
  /* a line without a tab is reported with its line number; the rest runs */
  rc = tu_runf(&out, &err,
               "printf 'a\\tharimau\\nno tab here\\n' | '%s/telusur-query' -d '%s/db' "
               "-f trec --batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(out, "a Q0 doc-1 1 "));
  ck_assert_ptr_nonnull(strstr(err, "-:2:"));
  free(out);
  free(err);
  /* a byte order mark before the first qid is not part of it */
  rc = tu_runf(&out, NULL,
               "printf '\\357\\273\\277a\\tharimau\\n' | '%s/telusur-query' -d '%s/db' -n 1 "
               "-f trec --batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  ck_assert_msg(strncmp(out, "a Q0 doc-1 1 ", 13) == 0, "%s", out);
  free(out);
  /* a query besides --batch is a usage error, not dropped */
  rc =
      tu_runf(NULL, &err, "printf 'a\\tharimau\\n' | '%s/telusur-query' -d '%s/db' --batch - gajah",
              tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(err, "a query and --batch"));
  free(err);
  /* nothing found for any query: exit 1, empty run */
  rc = tu_runf(&out, NULL,
               "printf 'z\\tzzzqqq\\n' | '%s/telusur-query' -d '%s/db' -f trec "
               "--batch -",
               tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 1);
  ck_assert_str_eq(out, "");
  free(out);
  /* a missing batch file is an error */
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' --batch '%s/none.tsv'",
                           tu_bin_dir(), tu_dir, tu_dir),
                   2);
}
END_TEST

/* Sums the "term=weight" parts of an explain string; of a reranked
 * passage's, the "feature(value)=contribution" parts before '|' (those
 * after it are the first stage's), and with the trees ("trees(T) linear x
 * W: parts"), T + W times that sum. */
static double explain_sum(const char *ex, int *nparts) {
  double sum = 0, trees = 0, w = 1;
  const char *p = ex, *bar = strchr(ex, '|');
  *nparts = 0;
  if (sscanf(ex, "trees(%lf) linear x %lf:", &trees, &w) == 2)
    p = strchr(ex, ':');
  while ((p = strchr(p, '=')) && (!bar || p < bar)) {
    sum += strtod(p + 1, NULL);
    (*nparts)++;
    p++;
  }
  return trees + w * sum;
}

/* --explain: the parts add up to each passage's score, with every
 * ranking feature on. */
static void check_explain(const char *extra, const char *query, int reranked) {
  char *out = NULL, *save = NULL, *line;
  int rc, lines = 0;
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -n 5 -f json --explain %s -- '%s'",
               tu_bin_dir(), tu_dir, extra, query);
  ck_assert_int_eq(rc, 0);
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    json_object *o = json_tokener_parse(line), *v;
    double score, sum;
    int n;
    ck_assert_ptr_nonnull(o);
    ck_assert(json_object_object_get_ex(o, "score", &v));
    score = json_object_get_double(v);
    ck_assert(json_object_object_get_ex(o, "explain", &v));
    sum = explain_sum(json_object_get_string(v), &n);
    ck_assert_int_ge(n, 1);
    if (lines == 0)
      ck_assert_int_eq(strstr(json_object_get_string(v), "bm25n(") != NULL, reranked);
    ck_assert_msg(fabs(sum - score) < 1e-3 * (1 + score), "%s: parts %s add up to %f, score %f",
                  extra, json_object_get_string(v), sum, score);
    json_object_put(o);
    lines++;
  }
  ck_assert_int_ge(lines, 2);
  free(out);
}

START_TEST(explain_adds_up) {
  char *out = NULL;
  make_collection();
  const char *kw = "harimau Sumatera hidup di hutan", *qn = "di mana harimau Sumatera hidup";
  check_explain("--rerank-depth=0", kw, 0);
  check_explain("--rerank-depth=0 --exact-weight=0", kw, 0);
  check_explain("--rerank-depth=0 --exact-weight=1 --proximity=1 --window=4", kw, 0);
  check_explain("--rerank-depth=0 --prf-docs=2 --prf-terms=5 --prf-weight=0.5", kw, 0);
  check_explain("--rerank-depth=0", qn, 0);
  /* the title and the article's next passages, shown as parts too */
  check_explain("--rerank-depth=0 --per-article=1 --title-weight=2 --article-weight=0.5", kw, 0);
  /* keyword queries are not reranked, questions are: the features'
   * contributions add up to the score */
  check_explain("", kw, 0);
  check_explain("", qn, 1);
  check_explain("", "harimau Sumatera hidup di hutan?", 1);
  check_explain("--rerank-depth=3 --exact-weight=0", qn, 1);
  /* below the rerank depth: BM25 parts and the shift */
  check_explain("--rerank-depth=1", qn, 1);
  check_explain("--reranker=linear", qn, 1);
  check_explain("--reranker=linear --rerank-depth=3 --exact-weight=0", qn, 1);
  /* text format shows the parsed query and a weights line per passage;
   * stopwords and question words are not in the query */
  ck_assert_int_eq(tu_runf(&out, NULL,
                           "'%s/telusur-query' -d '%s/db' --explain --color=never -- "
                           "'Di manakah harimau hidup?'",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_ptr_nonnull(strstr(out, "query: Query("));
  ck_assert_ptr_nonnull(strstr(out, "weights: "));
  ck_assert_ptr_nonnull(strstr(out, "harimau="));
  ck_assert_ptr_null(strstr(out, "manakah"));
  free(out);
}
END_TEST

/*
 * The shared FacQA collection (when present): the run names only corpus
 * ids, and telusur-eval reads it against the qrels as they are.
 */
START_TEST(shared_collection_ids) {
  char *base = tu_shared_path("data/facqa-news-retrieval/corpus.jsonl");
  char *out = NULL, *ids = NULL, *save = NULL, *line;
  int rc;
  if (!base) {
    fprintf(stderr, "test_batch: shared FacQA collection missing, test skipped\n");
    return;
  }
  base[strlen(base) - strlen("/corpus.jsonl")] = '\0';
  rc = tu_runf(NULL, NULL, "'%s/telusur-index' -q -d '%s/db' '%s/corpus.jsonl'", tu_bin_dir(),
               tu_dir, base);
  ck_assert_int_eq(rc, 0);
  rc = tu_runf(NULL, NULL,
               "'%s/telusur-query' -d '%s/db' -n 100 -f trec --batch "
               "'%s/queries.valid.tsv' > '%s/run'",
               tu_bin_dir(), tu_dir, base, tu_dir);
  ck_assert_int_eq(rc, 0);
  rc = tu_runf(&ids, NULL, "sed 's/.*\"id\": *\"\\([^\"]*\\)\".*/\\1/' '%s/corpus.jsonl'", base);
  ck_assert_int_eq(rc, 0);
  rc = tu_runf(&out, NULL, "cut -d' ' -f3 '%s/run' | sort -u", tu_dir);
  ck_assert_int_eq(rc, 0);
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char needle[256];
    snprintf(needle, sizeof needle, "%s\n", line);
    ck_assert_msg(strstr(ids, needle) != NULL, "docid %s is not a corpus id", line);
  }
  free(out);
  free(ids);
  rc = tu_runf(&out, NULL, "'%s/telusur-eval' -f tsv '%s/qrels.valid.txt' '%s/run'", tu_bin_dir(),
               base, tu_dir);
  ck_assert_int_eq(rc, 0);
  {
    /* last line: all, queries, MRR@10, nDCG@10, R@10, R@100 */
    const char *last = strstr(out, "all\t");
    double mrr = 0, ndcg = 0;
    int nq = 0;
    ck_assert_ptr_nonnull(last);
    ck_assert_int_eq(sscanf(last, "all\t%d\t%lf\t%lf", &nq, &mrr, &ndcg), 3);
    ck_assert_int_eq(nq, 311);
    ck_assert_msg(mrr > 0.80 && ndcg > 0.83, "MRR@10 %f nDCG@10 %f", mrr, ndcg);
  }
  free(out);
  free(base);
}
END_TEST

int main(void) {
  Suite *s = suite_create("batch");
  TCase *tc = tcase_create("end-to-end");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, batch_trec_gives_corpus_ids);
  tcase_add_test(tc, batch_from_stdin_and_errors);
  tcase_add_test(tc, explain_adds_up);
  tcase_add_test(tc, shared_collection_ids);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
