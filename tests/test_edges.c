/*
 * test_edges.c - the edges of query input and program output, end to end:
 *  - every output format stays parseable whatever ids, titles and texts
 *    hold (tabs, newlines, ESC sequences, C1 controls); no control
 *    character of indexed text reaches text output raw; telusur-eval reads
 *    the runs telusur-query writes;
 *  - a write error on standard output (/dev/full) is status 2 with a
 *    message in every program;
 *  - numeric options and NEAR/N out of range are refused with a message;
 *  - the work of a query is bounded: words, wildcards, wildcard expansion;
 *  - a damaged index is an error (status 2), never "nothing found";
 *  - batch files: each bad line reported as FILE:LINE and skipped;
 *  - an article id read twice in a run is noted, naming both places.
 */
#include "testutil.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An article whose id, title and text hold a tab, a newline, ESC
 * sequences, BEL and the C1 CSI (U+009B); and a plain one. */
static const char collection[] =
    "{\"id\":\"a b\\tc\\u001b[31m\",\"title\":\"Judul\\tdengan\\nbaris\\u001b[2J\\u009b31m\","
    "\"text\":\"Kerjasama bilateral \\u001b[31mmerah\\u001b[0m\\tdan\\u0007 damai "
    "\\u009b2J.\\n\\nParagraf kedua tentang kerjasama dunia.\"}\n"
    "{\"id\":\"biasa\",\"title\":\"Biasa\",\"text\":\"Kerjasama ekonomi.\"}\n";

static char db[1024];

static void make_index(void) {
  char path[1024], *err = NULL;
  int rc;
  snprintf(path, sizeof path, "%s/c.jsonl", tu_dir);
  ck_assert_int_eq(tu_write_file(path, collection, strlen(collection)), 0);
  snprintf(db, sizeof db, "%s/db", tu_dir);
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s' '%s'", tu_bin_dir(), db, path);
  ck_assert_msg(rc == 0, "index: %d %s", rc, err);
  free(err);
}

/* Whether s holds a control character other than those allowed (C0, DEL,
 * or a C1 control as UTF-8). */
static int has_control(const char *s, const char *allowed) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++)
    if (((*p < 0x20 || *p == 0x7F) && !strchr(allowed, *p)) ||
        (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
      return 1;
  return 0;
}

static int count_char(const char *s, char c) {
  int n = 0;
  for (; *s; s++)
    n += *s == c;
  return n;
}

START_TEST(formats_stay_parseable) {
  char *out = NULL, *err = NULL, *line, *save = NULL, path[1024], *nl;
  int rc, lines = 0, rank_a = 0, header_tabs;
  make_index();
  /* text: no control character but line ends; the escapes shown */
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' -n 5 --per-article 0 'kerjasama?'",
               tu_bin_dir(), db);
  ck_assert_msg(rc == 0, "text: %d %s", rc, err);
  ck_assert_msg(!has_control(out, "\n"), "text holds a control character: %s", out);
  ck_assert_ptr_nonnull(strstr(out, "Judul dengan baris\\x1B[2J\\u009B31m  [a b c\\x1B[31m #1]"));
  ck_assert_ptr_nonnull(strstr(out, "\\x1B[31mmerah\\x1B[0m dan\\x07 damai \\u009B2J."));
  free(out);
  free(err);
  /* text with colour: only the program's own SGR sequences */
  rc = tu_runf(&out, NULL,
               "'%s/telusur-query' -d '%s' --color=always -n 5 --per-article 0 'kerjasama?'",
               tu_bin_dir(), db);
  ck_assert_int_eq(rc, 0);
  ck_assert_ptr_null(strstr(out, "\x1b[2J"));
  ck_assert_ptr_null(strstr(out, "\x1b[31m"));
  ck_assert_ptr_nonnull(strstr(out, "\x1b[1;31m"));
  free(out);
  /* tsv: 7 fields a line, no control character but tabs and line ends */
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s' -f tsv -n 5 'kerjasama?'", tu_bin_dir(), db);
  ck_assert_int_eq(rc, 0);
  ck_assert(!has_control(out, "\t\n"));
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), lines++)
    ck_assert_msg(count_char(line, '\t') == 6, "tsv line: %s", line);
  ck_assert_int_eq(lines, 3);
  free(out);
  /* json: each line parses, and gives back the id and title as indexed */
  rc =
      tu_runf(&out, NULL, "'%s/telusur-query' -d '%s' -f json -n 5 'kerjasama?'", tu_bin_dir(), db);
  ck_assert_int_eq(rc, 0);
  ck_assert(!has_control(out, "\n"));
  lines = 0;
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    json_object *o = json_tokener_parse(line), *v;
    ck_assert_msg(o != NULL, "json line: %s", line);
    ck_assert(json_object_object_get_ex(o, "article_id", &v));
    if (strcmp(json_object_get_string(v), "biasa") != 0) {
      ck_assert_str_eq(json_object_get_string(v), "a b\tc\x1b[31m");
      ck_assert(json_object_object_get_ex(o, "title", &v));
      ck_assert_str_eq(json_object_get_string(v), "Judul\tdengan\nbaris\x1b[2J\xC2\x9B"
                                                  "31m");
      lines++;
    }
    json_object_put(o);
  }
  ck_assert_int_eq(lines, 2);
  free(out);
  /* trec: six fields a line; telusur-eval reads the run */
  rc = tu_runf(&out, NULL,
               "printf 'q 1\\tkerjasama?\\n' | '%s/telusur-query' -d '%s' -f trec --batch - "
               "| tee '%s/run'",
               tu_bin_dir(), db, tu_dir);
  ck_assert_int_eq(rc, 0);
  ck_assert(!has_control(out, "\n"));
  lines = 0;
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char f[7][128];
    ck_assert_int_eq(sscanf(line, "%127s %127s %127s %127s %127s %127s %127s", f[0], f[1], f[2],
                            f[3], f[4], f[5], f[6]),
                     6);
    ck_assert_str_eq(f[0], "q%201");
    lines++;
    if (strcmp(f[2], "a%20b%09c%1B[31m#1") == 0)
      rank_a = atoi(f[3]);
  }
  ck_assert_int_eq(lines, 3);
  ck_assert_int_ge(rank_a, 1);
  free(out);
  snprintf(path, sizeof path, "%s/qrels", tu_dir);
  {
    static const char qrels[] = "q%201 0 a%20b%09c%1B[31m#1 1\n";
    ck_assert_int_eq(tu_write_file(path, qrels, sizeof qrels - 1), 0);
  }
  rc = tu_runf(&out, &err, "'%s/telusur-eval' -f tsv '%s' '%s/run'", tu_bin_dir(), path, tu_dir);
  ck_assert_msg(rc == 0, "telusur-eval: %d %s", rc, err);
  /* all, 1 query, MRR@10 = 1 / the rank of the relevant passage */
  {
    const char *all = strstr(out, "\nall\t1\t");
    ck_assert_msg(all && atof(all + 7) > 0.99 / rank_a && atof(all + 7) < 1.01 / rank_a,
                  "telusur-eval: %s", out);
  }
  free(out);
  free(err);
  /* features: the header's number of fields on every line */
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s' -f features 'kerjasama?'", tu_bin_dir(), db);
  ck_assert_int_eq(rc, 0);
  ck_assert(!has_control(out, "\t\n"));
  nl = strchr(out, '\n');
  ck_assert_ptr_nonnull(nl);
  *nl = '\0';
  header_tabs = count_char(out, '\t');
  lines = 0;
  for (line = strtok_r(nl + 1, "\n", &save); line; line = strtok_r(NULL, "\n", &save), lines++)
    ck_assert_int_eq(count_char(line, '\t'), header_tabs);
  ck_assert_int_eq(lines, 3);
  free(out);
}
END_TEST

/* A write error on standard output: status 2 and a message, every program. */
START_TEST(write_errors) {
  /* shell commands: $BIN the programs, $DB the index, $DIR the test's
   * directory */
  static const char *const cmds[] = {
      "\"$BIN/telusur-query\" -d \"$DB\" kerjasama",
      "\"$BIN/telusur-query\" -d \"$DB\" -f json kerjasama",
      "\"$BIN/telusur-query\" -d \"$DB\" -f trec --batch \"$DIR/b.tsv\"",
      "\"$BIN/telusur-query\" --help",
      "\"$BIN/telusur-index\" --stats -d \"$DB\"",
      "\"$BIN/telusur-index\" --version",
      "\"$BIN/telusur-analyze\" kerjasama",
      "\"$BIN/telusur-eval\" \"$DIR/qrels\" \"$DIR/run\"",
  };
  char path[1024], *err = NULL;
  size_t i;
  make_index();
  snprintf(path, sizeof path, "%s/b.tsv", tu_dir);
  ck_assert_int_eq(tu_write_file(path, "1\tkerjasama\n2\tekonomi\n", 22), 0);
  snprintf(path, sizeof path, "%s/qrels", tu_dir);
  ck_assert_int_eq(tu_write_file(path, "1 0 biasa 1\n", 12), 0);
  snprintf(path, sizeof path, "%s/run", tu_dir);
  ck_assert_int_eq(tu_write_file(path, "1 Q0 biasa 1 2.5 t\n", 19), 0);
  for (i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    int rc;
    err = NULL;
    rc = tu_runf(NULL, &err, "BIN='%s' DB='%s' DIR='%s'; %s > /dev/full", tu_bin_dir(), db, tu_dir,
                 cmds[i]);
    ck_assert_msg(rc == 2, "%s: status %d: %s", tu_last_command(), rc, err);
    ck_assert_msg(strstr(err, "error writing output: No space left on device") != NULL, "%s: %s",
                  tu_last_command(), err);
    ck_assert_msg(count_char(err, '\n') == 1, "%s: more than one line: %s", tu_last_command(), err);
    free(err);
  }
}
END_TEST

typedef struct refused {
  const char *args; /* after the program and -d DB */
  const char *message;
} refused;

/* Values out of range are refused, status 2, with a message naming them. */
START_TEST(option_ranges) {
  static const refused query[] = {
      {"--k1=-1 kerjasama", "k1 -1 out of range (expected 0 to 1000)"},
      {"--k1=nan kerjasama", "k1 nan out of range"},
      {"--k1=1e400 kerjasama", "k1 inf out of range"},
      {"--b=5 kerjasama", "b 5 out of range (expected 0 to 1)"},
      {"--exact-weight=1001 kerjasama", "exact weight 1001 out of range"},
      {"--proximity=-0.5 kerjasama", "proximity weight -0.5 out of range"},
      {"--window=0 kerjasama", "proximity window 0 out of range (expected 1 to 1000)"},
      {"--window=4294967297 kerjasama", "proximity window 4.29497e+09 out of range"},
      {"--window=2.5 kerjasama", "proximity window: '2.5' is not a whole number"},
      {"--prf-docs=-1 kerjasama", "feedback documents -1 out of range"},
      {"--prf-terms=1001 kerjasama", "feedback terms 1001 out of range"},
      {"--prf-weight=x kerjasama", "feedback weight: 'x' is not a number"},
      {"--rerank-depth=100001 kerjasama", "rerank depth 100001 out of range"},
      {"-n -1 kerjasama", "-n takes a number from 0 to 100000, not '-1'"},
      {"-n 99999999999999999999 kerjasama", "-n takes a number"},
      {"--offset=1x kerjasama", "--offset takes a number"},
      {"--per-article=100001 kerjasama", "--per-article takes a number"},
      {"'kerjasama NEAR/0 damai'", "NEAR/0: the distance must be from 1 to 1000"},
      {"'kerjasama NEAR/4294967295 damai'", "NEAR/4294967295: the distance"},
      {"'kerjasama NEAR/99999999999999999999999 damai'", "NEAR/9999"},
      {"'kerjasama ADJ/0 damai'", "ADJ/0: the distance"},
      {"'kerjasama NEAR/1001 damai'", "NEAR/1001: the distance"},
  };
  static const refused index[] = {
      {"-j 0 x", "--jobs takes a number from 1 to 256"},
      {"-j 257 x", "--jobs takes a number"},
      {"--batch 0 x", "--batch takes a number from 1"},
      {"--batch 99999999999999999999 x", "--batch takes a number"},
      {"--shards 0 x", "--shards takes a number from 1"},
  };
  char *out, *err;
  size_t i;
  int rc;
  make_index();
  for (i = 0; i < sizeof query / sizeof *query; i++) {
    out = err = NULL;
    rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' %s", tu_bin_dir(), db, query[i].args);
    ck_assert_msg(rc == 2 && strstr(err, query[i].message) && count_char(err, '\n') == 1,
                  "%s: status %d: %s", query[i].args, rc, err);
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
  }
  for (i = 0; i < sizeof index / sizeof *index; i++) {
    err = NULL;
    rc = tu_runf(NULL, &err, "'%s/telusur-index' -d '%s/new' %s", tu_bin_dir(), tu_dir,
                 index[i].args);
    ck_assert_msg(rc == 2 && strstr(err, index[i].message), "%s: status %d: %s", index[i].args, rc,
                  err);
    free(err);
  }
  /* the edges of the ranges are taken */
  rc = tu_runf(NULL, NULL,
               "'%s/telusur-query' -d '%s' --window=1000 --b=1 --k1=0 -n 0 "
               "'kerjasama NEAR/1000 ekonomi' && '%s/telusur-query' -d '%s' 'kerjasama ADJ/1 "
               "ekonomi'",
               tu_bin_dir(), db, tu_bin_dir(), db);
  ck_assert_int_le(rc, 1);
}
END_TEST

/* The work of a query is bounded: at most 2,000 words, 20 wildcards, each
 * expanding to at most 1,000 terms. */
START_TEST(query_limits) {
  char *text = malloc(200000), *err = NULL, path[1024];
  size_t at = 0;
  int i, rc;
  make_index();
  /* 1,100 words sharing the prefix "sel", ten to a paragraph */
  for (i = 0; i < 1100; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%ssel%c%c%c%s", i % 10 ? " " : "Kata ",
                           'a' + i / 100 % 26, 'a' + i / 10 % 10, 'a' + i % 10,
                           i % 10 == 9 ? ".\n\n" : "");
  snprintf(path, sizeof path, "%s/many.txt", tu_dir);
  ck_assert_int_eq(tu_write_file(path, text, at), 0);
  rc = tu_runf(NULL, &err, "'%s/telusur-index' -q -d '%s/many' '%s'", tu_bin_dir(), tu_dir, path);
  ck_assert_msg(rc == 0, "%s", err);
  free(err);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/many' 'sel*'", tu_bin_dir(), tu_dir);
  ck_assert_msg(rc == 2 && strstr(err, "sel* expands to more than 1000 terms"), "%d %s", rc, err);
  free(err);
  rc = tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/many' 'selb*'", tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  /* 21 wildcards, then 20 */
  for (at = 0, i = 0; i < 21; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%c%c* ", 'a' + i, 'a' + i % 5);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 2 && strstr(err, "query: 21 wildcards, over the limit of 20"), "%d %s", rc,
                err);
  free(err);
  text[at - 5] = '\0';
  rc = tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s' '%s'", tu_bin_dir(), db, text);
  ck_assert_int_le(rc, 1);
  /* 2,001 words, then 2,000 */
  for (at = 0, i = 0; i < 2001; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%s%c%c%cmu", i ? " " : "", 'b' + i % 20,
                           'a' + i / 20 % 20, 'a' + i / 400);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 2 && strstr(err, "query: 2001 words, over the limit of 2000"), "%d %s", rc,
                err);
  free(err);
  *strrchr(text, ' ') = '\0';
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 1, "2,000 words: %d %s", rc, err);
  free(err);
  /* words counted as typed: 1,500 words led by '-' (alone: read as NOT
   * word) or named by a field are under the limit (each makes two terms) */
  for (at = 0, i = 0; i < 1500; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%s-%c%c%cmu", i ? " " : "", 'b' + i % 20,
                           'a' + i / 20 % 20, 'a' + i / 400);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' -- '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 0 || rc == 1, "1,500 words led by -: %d %s", rc, err);
  free(err);
  for (at = 0, i = 0; i < 1500; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%s%s%c%c%cmu", i ? " " : "",
                           i % 2 ? "-" : "title:", 'b' + i % 20, 'a' + i / 20 % 20, 'a' + i / 400);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' -- '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 0 || rc == 1, "1,500 words led by - or title: %d %s", rc, err);
  free(err);
  /* and the terms they make are bounded too: 1,500 words of three parts */
  for (at = 0, i = 0; i < 1500; i++)
    at += (size_t)snprintf(text + at, 200000 - at, "%s%c%cx-%cy-z%c", i ? " " : "", 'b' + i % 20,
                           'a' + i / 20 % 20, 'a' + i / 400, 'a' + i % 7);
  err = NULL;
  rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s' '%s'", tu_bin_dir(), db, text);
  ck_assert_msg(rc == 2 &&
                    strstr(err, "terms (its words, their parts and forms), over the limit of 4000"),
                "%d %s", rc, err);
  free(err);
  free(text);
}
END_TEST

/* Dots that read as a range outside date: (an ellipsis, "10..20", a
 * trailing "..") are blanked, not refused: the words around them are
 * searched; date: ranges still parse. */
START_TEST(dots_are_not_ranges) {
  static const char *const queries[] = {"kerjasama... dunia", "kerjasama 10..20", "kerjasama..",
                                        "..kerjasama", "(kerjasama...)"};
  char *out = NULL, *err = NULL;
  size_t i;
  int rc;
  make_index();
  for (i = 0; i < sizeof queries / sizeof *queries; i++) {
    out = err = NULL;
    rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' --format tsv '%s'", tu_bin_dir(), db,
                 queries[i]);
    ck_assert_msg(rc == 0 && strstr(out, "\tbiasa\t"), "%s: %d %s", queries[i], rc, err);
    free(out);
    free(err);
  }
  out = err = NULL;
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' 'kerjasama date:2025-01..2025-02'",
               tu_bin_dir(), db);
  ck_assert_msg(rc == 1 && !strstr(err, "range"), "%d %s", rc, err); /* no date: none match */
  free(out);
  free(err);
}
END_TEST

/* The text output's match counts: the plural only where it is not one. */
START_TEST(match_counts_in_words) {
  static const struct {
    const char *query, *line;
  } cases[] = {{"ekonomi", "\n1 passage of 1 article matched\n"},
               {"dunia", "\n1 passage of 1 article matched\n"},
               {"bilateral OR dunia", "\n2 passages of 1 article matched\n"},
               {"kerjasama", "\n3 passages of 2 articles matched\n"}};
  size_t i;
  make_index();
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *out = NULL;
    int rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s' --color=never '%s'", tu_bin_dir(), db,
                     cases[i].query);
    ck_assert_msg(rc == 0 && strstr(out, cases[i].line), "%s: %d %s", cases[i].query, rc, out);
    free(out);
  }
}
END_TEST

/* A filter or facet field that no article has: a warning naming it, the
 * search done (nothing matched: status 1). */
START_TEST(unknown_field_warned) {
  char *out = NULL, *err = NULL;
  int rc;
  make_index();
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' --filter topik=ekonomi kerjasama",
               tu_bin_dir(), db);
  ck_assert_msg(rc == 1 && strstr(err, "warning: ") &&
                    strstr(err, "no article has a field named topik\n") &&
                    count_char(err, '\n') == 1,
                "%d %s", rc, err);
  free(out);
  free(err);
  out = err = NULL;
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' kerjasama", tu_bin_dir(), db);
  ck_assert_msg(rc == 0 && !*err, "%d %s", rc, err);
  free(out);
  free(err);
}
END_TEST

/* A damaged copy of an index: status 2 and a one-line message. */
START_TEST(damaged_index) {
  static const char *const damage[] = {
      "f='%s/bad/postlist.glass'; truncate -s $(($(stat -c %%s \"$f\") / 2)) \"$f\"",
      "truncate -s 0 '%s/bad/postlist.glass'",
      "rm '%s/bad/postlist.glass'",
      "truncate -s 0 '%s/bad/position.glass'",
      "dd if=/dev/zero of='%s/bad/postlist.glass' bs=8192 seek=1 count=2 conv=notrunc 2>/dev/null",
      "truncate -s 0 '%s/bad/iamglass'",
      "head -c 100000 /dev/zero > '%s/bad/postlist.glass'",
  };
  char *err;
  size_t i;
  make_index();
  for (i = 0; i < sizeof damage / sizeof *damage; i++) {
    char fmt[256];
    int rc = tu_runf(NULL, NULL, "rm -rf '%s/bad' && cp -r '%s' '%s/bad'", tu_dir, db, tu_dir);
    ck_assert_int_eq(rc, 0);
    rc = tu_runf(NULL, NULL, "'%s/telusur-query' -d '%s/bad' kerjasama", tu_bin_dir(), tu_dir);
    ck_assert_int_eq(rc, 0);
    snprintf(fmt, sizeof fmt, "%s", damage[i]);
    ck_assert_int_eq(tu_runf(NULL, NULL, fmt, tu_dir), 0);
    err = NULL;
    rc = tu_runf(NULL, &err, "'%s/telusur-query' -d '%s/bad' kerjasama", tu_bin_dir(), tu_dir);
    ck_assert_msg(rc == 2 && strncmp(err, "telusur-query: ", 15) == 0 && count_char(err, '\n') == 1,
                  "%s: status %d: %s", damage[i], rc, err);
    free(err);
  }
}
END_TEST

/* Each bad line of a batch file is reported as FILE:LINE and skipped; the
 * rest runs; status 2. */
START_TEST(batch_bad_lines) {
  static const char batch[] = "1\tkerjasama\n"
                              "no tab here\n"
                              "\tkerjasama\n"
                              "4\tkerjasama NEAR/0 ekonomi\n"
                              "5\tkerja\377sama\n"
                              "6\t   \n"
                              "# a comment\n"
                              "\n"
                              "9\tekonomi\n";
  char path[1024], *out = NULL, *err = NULL, where[1100];
  static const char *const messages[] = {
      ":2: expected 'qid<TAB>query', line skipped", ":3: empty qid, line skipped",
      ":4: query 4: query: NEAR/0: the distance", ":5: query 5: query: invalid UTF-8",
      ":6: query 6: empty query"};
  size_t i;
  int rc;
  make_index();
  snprintf(path, sizeof path, "%s/b.tsv", tu_dir);
  ck_assert_int_eq(tu_write_file(path, batch, sizeof batch - 1), 0);
  rc = tu_runf(&out, &err, "'%s/telusur-query' -d '%s' -f trec --batch '%s'", tu_bin_dir(), db,
               path);
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(out, "1 Q0 biasa 1 "));
  ck_assert_ptr_nonnull(strstr(out, "9 Q0 biasa 1 "));
  ck_assert_int_eq(count_char(err, '\n'), 5);
  for (i = 0; i < sizeof messages / sizeof *messages; i++) {
    snprintf(where, sizeof where, "telusur-query: %s%s", path, messages[i]);
    ck_assert_msg(strstr(err, where) != NULL, "no '%s' in: %s", where, err);
  }
  free(out);
  free(err);
}
END_TEST

/* An id held by two files, and twice by one: each later copy noted with
 * both places; the copy read last is the one indexed. */
START_TEST(duplicate_ids_noted) {
  static const char a[] = "{\"id\":\"x\",\"text\":\"Salinan pertama tentang kerjasama.\"}\n";
  static const char b[] = "{\"id\":\"y\",\"text\":\"Lain sama sekali.\"}\n"
                          "{\"id\":\"x\",\"text\":\"Salinan kedua tentang kerjasama.\"}\n"
                          "{\"id\":\"x\",\"text\":\"Salinan ketiga tentang kerjasama.\"}\n";
  char path[1024], *out = NULL, *err = NULL;
  int rc;
  snprintf(path, sizeof path, "%s/d", tu_dir);
  ck_assert_int_eq(tu_runf(NULL, NULL, "mkdir '%s'", path), 0);
  snprintf(path, sizeof path, "%s/d/a.jsonl", tu_dir);
  ck_assert_int_eq(tu_write_file(path, a, sizeof a - 1), 0);
  snprintf(path, sizeof path, "%s/d/b.jsonl", tu_dir);
  ck_assert_int_eq(tu_write_file(path, b, sizeof b - 1), 0);
  rc = tu_runf(NULL, &err, "cd '%s' && '%s/telusur-index' -d db d", tu_dir, tu_bin_dir());
  ck_assert_msg(rc == 0, "%d %s", rc, err);
  ck_assert_msg(strstr(err,
                       "telusur-index: d/b.jsonl:2: article id 'x' also at d/a.jsonl:1: the "
                       "copy indexed is the last one in the file whose path sorts last\n") != NULL,
                "%s", err);
  ck_assert_msg(strstr(err,
                       "telusur-index: d/b.jsonl:3: article id 'x' also at d/b.jsonl:2: the "
                       "copy indexed is the last one in the file whose path sorts last\n") != NULL,
                "%s", err);
  free(err);
  rc = tu_runf(&out, NULL, "'%s/telusur-query' -d '%s/db' -f tsv kerjasama", tu_bin_dir(), tu_dir);
  ck_assert_int_eq(rc, 0);
  /* one passage: the third copy */
  ck_assert_msg(count_char(out, '\n') == 1 && strncmp(out, "1\t", 2) == 0 &&
                    strstr(out, "\tx\t1\t\t\tSalinan ketiga tentang kerjasama.\n") != NULL,
                "%s", out);
  free(out);
}
END_TEST

static Suite *edges_suite(void) {
  Suite *s = suite_create("edges");
  TCase *tc = tcase_create("edges");
  tcase_add_checked_fixture(tc, tu_dir_setup, tu_dir_teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, formats_stay_parseable);
  tcase_add_test(tc, write_errors);
  tcase_add_test(tc, option_ranges);
  tcase_add_test(tc, query_limits);
  tcase_add_test(tc, dots_are_not_ranges);
  tcase_add_test(tc, match_counts_in_words);
  tcase_add_test(tc, unknown_field_warned);
  tcase_add_test(tc, damaged_index);
  tcase_add_test(tc, batch_bad_lines);
  tcase_add_test(tc, duplicate_ids_noted);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(edges_suite());
}
