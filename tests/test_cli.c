/* test_cli.c - end-to-end tests of telusur-index and telusur-query. */
#include "testutil.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Runs a command line built with printf-style arguments. */
static void write_in_dir(const char *name, const char *data, size_t len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  ck_assert_int_eq(tu_write_file(path, data, len), 0);
}

/* Indexes the seed article alone into tu_dir/db. */
static void index_seed(void) {
  char *err = NULL;
  int rc = tu_runf(NULL, &err,
                   "cp '%s/corpus/000_2094494d46160138.txt' '%s/seed.txt' && "
                   "'%s/telusur-index' -d '%s/db' '%s/seed.txt'",
                   tu_source_dir(), tu_dir, tu_bin_dir(), tu_dir, tu_dir);
  ck_assert_msg(rc == 0, "index failed (%d): %s", rc, err);
  free(err);
}

/* The text of the first-ranked passage for query, via JSON output. */
static char *top_text(const char *db, const char *query) {
  char *out = NULL, *res = NULL;
  json_object *o;
  int rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s' -n 1 --format json -- '%s'",
                   tu_bin_dir(), db, query);
  ck_assert_msg(rc == 0, "query '%s' exit %d", query, rc);
  o = json_tokener_parse(out);
  ck_assert_msg(o != NULL, "query '%s': output is not JSON: %s", query, out);
  {
    json_object *t;
    ck_assert(json_object_object_get_ex(o, "text", &t));
    res = strdup(json_object_get_string(t));
  }
  json_object_put(o);
  free(out);
  return res;
}

START_TEST(seed_queries) {
  char path[1024], line[2048], db[1024];
  FILE *f;
  int n = 0;
  index_seed();
  snprintf(db, sizeof db, "%s/db", tu_dir);
  snprintf(path, sizeof path, "%s/tests/cases/seed-queries.tsv", tu_source_dir());
  f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  while (fgets(line, sizeof line, f)) {
    char *tab = strchr(line, '\t'), *want, *alt, *text;
    int ok = 0;
    if (line[0] == '#' || !tab)
      continue;
    *tab = '\0';
    want = tab + 1;
    want[strcspn(want, "\r\n")] = '\0';
    text = top_text(db, line);
    for (alt = want; alt;) {
      char *sep = strstr(alt, " || ");
      if (sep)
        *sep = '\0';
      if (strstr(text, alt))
        ok = 1;
      alt = sep ? sep + 4 : NULL;
    }
    ck_assert_msg(ok, "query '%s': top passage lacks '%s': %s", line, want, text);
    free(text);
    n++;
  }
  fclose(f);
  ck_assert_int_eq(n, 10);
}
END_TEST

START_TEST(bundled_corpus_bilateral_first) {
  char db[1024], *text, *err = NULL;
  int rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s/db' '%s/corpus'", tu_bin_dir(), tu_dir,
                   tu_source_dir());
  ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
  free(err);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  text = top_text(db, "kerjasama bilateral");
  ck_assert_msg(strncmp(text, "Kerjasama bilateral adalah hubungan kerjasama", 45) == 0, "%s",
                text);
  free(text);
}
END_TEST

START_TEST(json_output_parses) {
  char *out = NULL, *line, *save = NULL;
  int n = 0;
  index_seed();
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -n 5 -f json kerjasama",
                           tu_bin_dir(), tu_dir),
                   0);
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    json_object *o = json_tokener_parse(line), *v;
    static const char *const keys[] = {"rank",    "score",   "article_id", "title",
                                       "passage", "heading", "text",       "snippet"};
    size_t k;
    ck_assert_msg(o != NULL, "not JSON: %s", line);
    for (k = 0; k < sizeof keys / sizeof *keys; k++)
      ck_assert_msg(json_object_object_get_ex(o, keys[k], &v), "no %s in %s", keys[k], line);
    json_object_object_get_ex(o, "rank", &v);
    ck_assert_int_eq(json_object_get_int(v), n + 1);
    json_object_object_get_ex(o, "title", &v);
    ck_assert_str_eq(json_object_get_string(v), "Tujuan Kerjasama Antar Negara: Membangun "
                                                "Hubungan Internasional yang Saling Menguntungkan");
    json_object_put(o);
    n++;
  }
  ck_assert_int_eq(n, 5);
  free(out);
}
END_TEST

START_TEST(tsv_and_text_formats) {
  char *out = NULL;
  index_seed();
  ck_assert_int_eq(tu_runf(&out, NULL,
                           "'%s/telusur-query' -d '%s/db' -n 1 -f tsv kerjasama bilateral",
                           tu_bin_dir(), tu_dir),
                   0);
  {
    int tabs = 0;
    char *p;
    for (p = out; *p && *p != '\n'; p++)
      tabs += *p == '\t';
    ck_assert_int_eq(tabs, 6);
    ck_assert(strncmp(out, "1\t", 2) == 0);
    ck_assert_ptr_nonnull(strstr(out, "\t1. Kerjasama Bilateral\t"));
  }
  free(out);
  /* colour only when asked and NO_COLOR unset */
  ck_assert_int_eq(tu_runf(&out, NULL,
                           "'%s/telusur-query' -d '%s/db' -n 1 --color=always bilateral",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_ptr_nonnull(strstr(out, "\x1b[1;31mbilateral\x1b[0m"));
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL,
                           "NO_COLOR=1 '%s/telusur-query' -d '%s/db' -n 1 --color=always bilateral",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_ptr_null(strchr(out, '\x1b'));
  free(out);
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -n 1 bilateral", tu_bin_dir(), tu_dir), 0);
  ck_assert_ptr_null(strchr(out, '\x1b')); /* not a terminal */
  ck_assert_ptr_nonnull(strstr(out, "\xC2\xA7 1. Kerjasama Bilateral"));
  free(out);
}
END_TEST

START_TEST(exit_statuses) {
  char *err = NULL;
  index_seed();
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' bilateral", tu_bin_dir(), tu_dir), 0);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' zzzqqqxxx", tu_bin_dir(), tu_dir), 1);
  {
    /* a misspelt word matches by its correction (an expansion), as
     * suggested; --no-expand: suggested only, nothing matched */
    char *out = NULL;
    ck_assert_int_eq(
        tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' bilatral", tu_bin_dir(), tu_dir), 0);
    ck_assert_msg(strstr(out, "did you mean: bilateral\n") && strstr(out, "\n1. "), "%s", out);
    free(out);
    out = NULL;
    ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' --no-expand bilatral",
                             tu_bin_dir(), tu_dir),
                     1);
    ck_assert_msg(strstr(out, "did you mean: bilateral\n") && !strstr(out, "\n1. "), "%s", out);
    free(out);
  }
  /* a match listed or not: -n 0, an offset past the last, in each format */
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' -n 0 bilateral", tu_bin_dir(), tu_dir), 0);
  ck_assert_int_eq(tu_runf(NULL, NULL,
                           "'%s/telusur-query' -d '%s/db' --offset 100000 -f json bilateral",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_int_eq(tu_runf(NULL, NULL,
                           "'%s/telusur-query' -d '%s/db' --offset 100000 -f tsv bilateral",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' -n 0 zzzqqqxxx", tu_bin_dir(), tu_dir), 1);
  {
    /* an article that matches while none of its passages does (the word
     * excluded is in the one passage that has the other): nothing found,
     * counted (text) or not (json, tsv, -n 0) */
    static const char *const formats[] = {"text", "json", "tsv"};
    static const char doc[] = "{\"id\":\"a\",\"text\":\"Merapi meletus dan warga mengungsi.\"}\n"
                              "{\"id\":\"b\",\"text\":\"Harga cabai naik.\"}\n";
    char path[1024];
    size_t f;
    snprintf(path, sizeof path, "%s/not.jsonl", tu_dir);
    ck_assert_int_eq(tu_write_file(path, doc, sizeof doc - 1), 0);
    ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-index' -q -d '%s/not.db' '%s'", tu_bin_dir(),
                             tu_dir, path),
                     0);
    for (f = 0; f < sizeof formats / sizeof *formats; f++) {
      ck_assert_int_eq(tu_runf(NULL, NULL,
                               "'%s/telusur-query' -d '%s/not.db' -f %s 'merapi -mengungsi'",
                               tu_bin_dir(), tu_dir, formats[f]),
                       1);
      ck_assert_int_eq(tu_runf(NULL, NULL,
                               "'%s/telusur-query' -d '%s/not.db' -f %s 'merapi -cabai'",
                               tu_bin_dir(), tu_dir, formats[f]),
                       0);
    }
    ck_assert_int_eq(tu_runf(NULL, NULL,
                             "'%s/telusur-query' -d '%s/not.db' -f json -n 0 'merapi -mengungsi'",
                             tu_bin_dir(), tu_dir),
                     1);
    ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/not.db' -f json -n 0 merapi",
                             tu_bin_dir(), tu_dir),
                     0);
  }
  ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/db'", tu_bin_dir(), tu_dir), 2);
  ck_assert_ptr_nonnull(strstr(err, "empty query"));
  free(err);
  ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/db' ''", tu_bin_dir(), tu_dir),
                   2);
  ck_assert_ptr_nonnull(strstr(err, "empty query"));
  free(err);
  /* a NEAR/N or ADJ/N after another operator: refused before Xapian's
   * parser, which loses memory on it (this test also runs under valgrind) */
  {
    static const char *const dangling[] = {"merapi AND NEAR/2 desa", "OR ADJ/3 merapi",
                                           "merapi NOT NEAR desa", "NEAR/2 merapi"};
    size_t k;
    for (k = 0; k < sizeof dangling / sizeof *dangling; k++) {
      ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/db' -- '%s'", tu_bin_dir(),
                               tu_dir, dangling[k]),
                       2);
      ck_assert_msg(strstr(err, "needs a word on each side") &&
                        strchr(err, '\n') == strrchr(err, '\n'),
                    "%s: %s", dangling[k], err);
      free(err);
    }
  }
  ck_assert_int_eq(
      tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/nothere' bilateral", tu_bin_dir(), tu_dir), 2);
  ck_assert_ptr_nonnull(strstr(err, "nothere"));
  free(err);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' --bogus x", tu_bin_dir()), 2);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -f xml -d '%s/db' x", tu_bin_dir(), tu_dir), 2);
  /* an option's empty value is an error, not the option left out */
  ck_assert_int_eq(
      tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/db' --facets '' x", tu_bin_dir(), tu_dir), 2);
  ck_assert_ptr_nonnull(strstr(err, "--facets: no field named"));
  free(err);
  ck_assert_int_eq(
      tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/db' --facets=, x", tu_bin_dir(), tu_dir), 2);
  ck_assert_ptr_nonnull(strstr(err, "--facets: no field named"));
  free(err);
  ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-index' -d '%s/db2' --date-format '' '%s/db'",
                           tu_bin_dir(), tu_dir, tu_dir),
                   2);
  ck_assert_ptr_nonnull(strstr(err, "--date-format: an empty format"));
  free(err);
  {
    static const char *const empty[][2] = {
        {"telusur-query -d '' x", "-d: an empty path"},
        {"telusur-index -d '' x.jsonl", "-d: an empty path"},
        {"telusur-query --filter topic= x", "--filter takes FIELD=VALUE, both not empty"},
        {"telusur-query --filter =x x", "--filter takes FIELD=VALUE, both not empty"},
        {"telusur-query --batch ''", "--batch: an empty value"},
        {"telusur-query -f trec --run-tag '' x", "--run-tag: an empty value"},
        {"telusur-query --stopwords '' x", "--stopwords (none: no stopwords): an empty value"},
        {"telusur-index -d e.db ''", "an empty PATH"}};
    size_t k;
    for (k = 0; k < sizeof empty / sizeof *empty; k++) {
      ck_assert_int_eq(tu_runf(NULL, &err, "cd '%s' && '%s'/%s", tu_dir, tu_bin_dir(), empty[k][0]),
                       2);
      ck_assert_msg(strstr(err, empty[k][1]), "%s: %s", empty[k][0], err);
      free(err);
    }
  }
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-index' --bogus", tu_bin_dir()), 2);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-index' -d '%s/db'", tu_bin_dir(), tu_dir), 2);
  /* TELUSUR_DB is the default database */
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "TELUSUR_DB='%s/db' '%s/telusur-query' bilateral", tu_dir, tu_bin_dir()),
      0);
}
END_TEST

START_TEST(help_and_version) {
  char *out = NULL;
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-index' --help", tu_bin_dir()), 0);
  ck_assert_ptr_nonnull(strstr(out, "Exit status"));
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' --help", tu_bin_dir()), 0);
  ck_assert_ptr_nonnull(strstr(out, "Exit status"));
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' --version", tu_bin_dir()), 0);
  ck_assert(strncmp(out, "telusur-query ", 14) == 0);
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-index' --version", tu_bin_dir()), 0);
  ck_assert(strncmp(out, "telusur-index ", 14) == 0);
  free(out);
  /* an unknown option is named by the tool, not by the path it was run by */
  {
    static const char *const tools[] = {"telusur-index", "telusur-query", "telusur-eval"};
    size_t k;
    for (k = 0; k < sizeof tools / sizeof *tools; k++) {
      char *err = NULL, want[64];
      ck_assert_int_eq(tu_runf(NULL, &err, "'%s/%s' --no-such-option", tu_bin_dir(), tools[k]), 2);
      snprintf(want, sizeof want, "%s: unrecognized option", tools[k]);
      ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
      free(err);
    }
  }
}
END_TEST

/* Writes a gzip file holding data, cut to keep bytes of its compressed form. */
static void write_gz(const char *name, const char *data, size_t keep) {
  char path[1024];
  gzFile gz;
  snprintf(path, sizeof path, "%s/%s", tu_dir, name);
  gz = gzopen(path, "wb");
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(gzwrite(gz, data, (unsigned)strlen(data)), (int)strlen(data));
  ck_assert_int_eq(gzclose(gz), Z_OK);
  if (keep) {
    size_t n;
    char *all = tu_read_file(path, &n);
    ck_assert_uint_lt(keep, n);
    ck_assert_int_eq(tu_write_file(path, all, keep), 0);
    free(all);
  }
}

/* Each bad input: one line naming the file and the line or byte offset, the
 * rest indexed, exit status 1. */
START_TEST(bad_inputs) {
  char *out = NULL, *err = NULL;
  static char big[200000];
  size_t i;
  int rc;
  write_in_dir(
      "good.jsonl",
      "{\"id\":\"a1\",\"title\":\"Satu\",\"text\":\"Kerjasama ekonomi kedua negara.\"}\n"
      "{\"id\":\"a2\",\"title\":\"Dua\",\"text\":\"Perdamaian dunia dijaga. \"\n"
      "{\"id\":\"a3\",\"title\":\"Tiga\",\"text\":\"Pantai Kuta ramai.\"}\n",
      0 + strlen("{\"id\":\"a1\",\"title\":\"Satu\",\"text\":\"Kerjasama ekonomi kedua negara.\"}\n"
                 "{\"id\":\"a2\",\"title\":\"Dua\",\"text\":\"Perdamaian dunia dijaga. \"\n"
                 "{\"id\":\"a3\",\"title\":\"Tiga\",\"text\":\"Pantai Kuta ramai.\"}\n"));
  write_in_dir("bad-utf8.txt", "Judul\n\nTeks \xC3\x28 rusak.\n", 21);
  write_in_dir("binary.txt", "Judul\n\x00\x01\x02\x03", 10);
  write_in_dir("line\nbreak.jsonl", "x\n", 2); /* a note about it stays one line */
  /* a truncated gzip file: its first complete lines are still indexed */
  for (i = 0; i + 120 < sizeof big;) {
    int n = snprintf(
        big + i, sizeof big - i,
        "{\"id\":\"g%zu\",\"title\":\"G\",\"text\":\"Gempa bumi %zu guncang pesisir %x.\"}\n", i,
        i * 7919, (unsigned)(i * 2654435761u));
    i += (size_t)n;
  }
  write_gz("cut.jsonl.gz", big, 3000);
  rc = tu_runf(&out, &err, "'%s/telusur-index' -d '%s/db' '%s' '%s/missing.txt'", tu_bin_dir(),
               tu_dir, tu_dir, tu_dir);
  ck_assert_int_eq(rc, 1);
  ck_assert_msg(strstr(err, "good.jsonl:2: malformed JSON") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "bad-utf8.txt: invalid UTF-8 at byte offset 12") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "binary.txt: binary data (NUL byte at byte offset 6)") != NULL, "%s",
                err);
  ck_assert_msg(strstr(err, "cut.jsonl.gz: truncated gzip data") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "missing.txt: No such file or directory") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "/line?break.jsonl:1: malformed JSON") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "skipped: 1 file, 5 records") != NULL, "%s", err);
  free(out);
  free(err);
  out = err = NULL;
  /* a malformed tree model is an error naming the file and line */
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s/db' --reranker='%s/good.jsonl' 'siapa?'",
               tu_bin_dir(), tu_dir, tu_dir);
  ck_assert_int_eq(rc, 2);
  ck_assert_msg(strstr(err, "good.jsonl:1: not a tree model") != NULL, "%s", err);
  free(out);
  free(err);
  /* the good articles around the bad ones are there */
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv pantai", tu_bin_dir(), tu_dir), 0);
  ck_assert_ptr_nonnull(strstr(out, "\ta3\t"));
  free(out);
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv -n 1 gempa", tu_bin_dir(), tu_dir),
      0);
  ck_assert_ptr_nonnull(strstr(out, "\tg"));
  free(out);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' perdamaian", tu_bin_dir(), tu_dir), 1);
}
END_TEST

/* What was indexed before survives a later run that fails or is bad. */
START_TEST(earlier_index_kept) {
  char *err = NULL;
  index_seed();
  write_in_dir("bad.jsonl", "{not json\n", 10);
  ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-index' -d '%s/db' '%s/bad.jsonl'", tu_bin_dir(),
                           tu_dir, tu_dir),
                   1);
  free(err);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' bilateral", tu_bin_dir(), tu_dir), 0);
  /* re-indexing the same, unchanged article analyzes nothing: counts stay */
  ck_assert_int_eq(tu_runf(NULL, &err, "'%s/telusur-index' -d '%s/db' '%s/seed.txt'", tu_bin_dir(),
                           tu_dir, tu_dir),
                   0);
  ck_assert_msg(strstr(err, "1 article (0 passages)") && strstr(err, "unchanged 1") &&
                    strstr(err, "index: 48 passages"),
                "%s", err);
  free(err);
}
END_TEST

START_TEST(paths_from_stdin_and_gzip) {
  char *err = NULL;
  write_gz("a.jsonl.gz", "{\"id\":\"z1\",\"title\":\"Zat\",\"text\":\"Vaksin baru diuji.\"}\n", 0);
  write_gz("b.txt.gz", "Judul Gz\n\nPetani menanam padi di sawah.\n", 0);
  ck_assert_int_eq(tu_runf(NULL, &err,
                           "printf '%%s\\n%%s\\n' '%s/a.jsonl.gz' '%s/b.txt.gz' | "
                           "'%s/telusur-index' -d '%s/db' -",
                           tu_dir, tu_dir, tu_bin_dir(), tu_dir),
                   0);
  ck_assert_msg(strstr(err, "2 articles (2 passages) from 2 files") != NULL, "%s", err);
  free(err);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' vaksin", tu_bin_dir(), tu_dir), 0);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' sawah", tu_bin_dir(), tu_dir),
                   0);
}
END_TEST

START_TEST(query_syntax) {
  char *out = NULL;
  index_seed();
  /* a phrase, NOT, title: and +/- reach Xapian's parser */
  ck_assert_int_eq(tu_runf(&out, NULL,
                           "'%s/telusur-query' -d '%s/db' -n 100 -f tsv '\"energi terbarukan\"'",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_ptr_nonnull(strstr(out, "energi terbarukan"));
  free(out);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' '\"terbarukan energi\"'",
                           tu_bin_dir(), tu_dir),
                   1);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'title:kerjasama'", tu_bin_dir(), tu_dir),
      0);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'title:vaksin'", tu_bin_dir(), tu_dir), 1);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'vaksin AND opec'", tu_bin_dir(), tu_dir),
      1);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'vaksin NOT covid'", tu_bin_dir(), tu_dir),
      1);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'vaksin OR opec'", tu_bin_dir(), tu_dir),
      0);
  ck_assert_int_eq(
      tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' '+vaksin -covid'", tu_bin_dir(), tu_dir),
      1);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 'vaksin NEAR/3 covid'",
                           tu_bin_dir(), tu_dir),
                   0);
}
END_TEST

/* A number found however its thousands are written: 7.380 by 7380 and back
 * (the analyzer leaves out the periods that group thousands), and with its
 * currency against it (Rp15.000). */
START_TEST(grouped_numbers) {
  char *out = NULL;
  write_in_dir("a.txt", "Kayu sitaan\n\nPolisi menyita 7.380 meter kubik kayu log.\n", 56);
  write_in_dir("b.txt", "Harga kayu\n\nHarganya Rp 1500000 per ton, pukul 08.30.\n", 54);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-index' -q -d '%s/db' '%s/a.txt' '%s/b.txt'",
                           tu_bin_dir(), tu_dir, tu_dir, tu_dir),
                   0);
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv 7380", tu_bin_dir(), tu_dir), 0);
  ck_assert_msg(strstr(out, "a.txt") && !strstr(out, "b.txt"), "%s", out);
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv '\"1.500.000 per\"'",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_msg(strstr(out, "b.txt") && !strstr(out, "a.txt"), "%s", out);
  free(out);
  /* a currency written against its amount: found by the amount alone,
   * and by a phrase with a space */
  write_in_dir("c.txt", "Tiket\n\nTiket masuk Rp15.000 per orang.\n", 39);
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-index' -q -d '%s/db' '%s/c.txt'", tu_bin_dir(),
                           tu_dir, tu_dir),
                   0);
  ck_assert_int_eq(
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv 15000", tu_bin_dir(), tu_dir), 0);
  ck_assert_msg(strstr(out, "c.txt") != NULL, "%s", out);
  free(out);
  ck_assert_int_eq(tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv '\"Rp 15.000\"'",
                           tu_bin_dir(), tu_dir),
                   0);
  ck_assert_msg(strstr(out, "c.txt") != NULL, "%s", out);
  free(out);
  /* a time is no grouped number */
  ck_assert_int_eq(tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/db' 0830", tu_bin_dir(), tu_dir),
                   1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("end-to-end");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, seed_queries);
  tcase_add_test(tc, bundled_corpus_bilateral_first);
  tcase_add_test(tc, json_output_parses);
  tcase_add_test(tc, tsv_and_text_formats);
  tcase_add_test(tc, exit_statuses);
  tcase_add_test(tc, help_and_version);
  tcase_add_test(tc, bad_inputs);
  tcase_add_test(tc, earlier_index_kept);
  tcase_add_test(tc, paths_from_stdin_and_gzip);
  tcase_add_test(tc, query_syntax);
  tcase_add_test(tc, grouped_numbers);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
