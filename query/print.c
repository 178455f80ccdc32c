/* telusur-query's output: the results of a query in each format, each
 * parseable whatever ids, titles and texts hold. */
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const formats[FMT_FEATURES + 1] = {"text", "tsv", "json", "trec", "features"};

/* Writes n bytes of s for a reader's eyes: tabs and line breaks as spaces,
 * other control characters (C0, DEL, and C1 as U+0080..U+009F) as \xHH or
 * \u00HH, so that no escape sequence of the text reaches a terminal. */
static void put_text(FILE *out, const char *s, size_t n) {
  size_t i, from = 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int c1 = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
             (unsigned char)s[i + 1] <= 0x9F;
    if (c >= 0x20 && c != 0x7F && !c1)
      continue;
    fwrite(s + from, 1, i - from, out);
    if (c == '\t' || c == '\n' || c == '\r')
      putc(' ', out);
    else if (c1)
      fprintf(out, "\\u00%02X", (unsigned char)s[++i]);
    else
      fprintf(out, "\\x%02X", c);
    from = i + 1;
  }
  fwrite(s + from, 1, n - from, out);
}

static void put_str(FILE *out, const char *s) {
  put_text(out, s, strlen(s));
}

/* Writes s as one token of a whitespace-separated line (TREC run, features):
 * bytes that are white space or control characters (and C1 controls) as
 * %HH; an empty s as "-". */
static void put_token(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  if (!*p)
    putc('-', out);
  for (; *p; p++) {
    if (*p <= 0x20 || *p == 0x7F)
      fprintf(out, "%%%02X", *p);
    else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      fprintf(out, "%%C2%%%02X", p[1]);
      p++;
    } else
      putc(*p, out);
  }
}

/* Writes a JSON line with the C1 controls (U+0080..U+009F, which JSON
 * lets through raw, but terminals read) as \u00HH: they occur in strings
 * only, where the escape means the same. */
static void put_json(FILE *out, const char *j) {
  const char *p = j;
  for (; *p; p++) {
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9F) {
      fwrite(j, 1, (size_t)(p - j), out);
      fprintf(out, "\\u00%02X", (unsigned char)p[1]);
      j = ++p + 1;
    }
  }
  fputs(j, out);
  putc('\n', out);
}

/* The snippet with its highlights: ANSI bold red when colour is on. */
static void put_snippet(FILE *out, const tl_result *r, int color) {
  size_t i, at = 0;
  const char *s = r->snippet;
  for (i = 0; color && i < r->nhighlights; i++) {
    put_text(out, s + at, r->highlights[i].start - at);
    fputs("\x1b[1;31m", out);
    put_text(out, s + r->highlights[i].start, r->highlights[i].end - r->highlights[i].start);
    fputs("\x1b[0m", out);
    at = r->highlights[i].end;
  }
  put_str(out, s + at);
}

static void put_result_text(FILE *out, const tl_result *r, const opts *o, const char *qid) {
  const char *bold = o->color ? "\x1b[1m" : "", *green = o->color ? "\x1b[32m" : "";
  const char *off = o->color ? "\x1b[0m" : "";
  if (qid) {
    put_str(out, qid);
    putc(' ', out);
  }
  fprintf(out, "%s%u.%s %s", bold, r->rank, off, green);
  put_str(out, *r->title ? r->title : "(untitled)");
  fprintf(out, "%s  [", off);
  put_str(out, r->article_id);
  fprintf(out, " #%u]  %.3f\n", r->passage, r->score);
  if (*r->heading) {
    fputs("   \xC2\xA7 ", out);
    put_str(out, r->heading);
    putc('\n', out);
  }
  if (*r->date) {
    fputs("   ", out);
    put_str(out, r->date);
    putc('\n', out);
  }
  fputs("   ", out);
  put_snippet(out, r, o->color);
  putc('\n', out);
  if (o->explain && *r->explain) {
    fputs("   weights: ", out);
    put_str(out, r->explain);
    putc('\n', out);
  }
  putc('\n', out);
}

static void put_result_tsv(FILE *out, const tl_result *r, const char *qid) {
  if (qid) {
    put_str(out, qid);
    putc('\t', out);
  }
  fprintf(out, "%u\t%.4f\t", r->rank, r->score);
  put_str(out, r->article_id);
  fprintf(out, "\t%u\t", r->passage);
  put_str(out, r->title);
  putc('\t', out);
  put_str(out, r->heading);
  putc('\t', out);
  put_str(out, r->snippet);
  putc('\n', out);
}

/* Starts a line of a batch's query with its qid. */
static void put_qid(FILE *out, const char *qid) {
  if (qid) {
    put_str(out, qid);
    putc(' ', out);
  }
}

void print_results(const tl_results *res, const opts *o, const char *qid) {
  /* the docids a TREC run has listed for the query so far */
  const char **seen = calloc(res->count + 1, sizeof *seen);
  size_t i, k, nseen = 0;
  FILE *out = stdout;
  if (o->explain && o->format == FMT_TEXT) {
    put_qid(out, qid);
    fputs("query: ", out);
    put_str(out, res->parsed);
    if (res->expanded) {
      fputs("\nexpanded: ", out);
      put_str(out, res->expanded);
    }
    fputs("\n\n", out);
  }
  if (res->suggestion && o->format == FMT_TEXT) {
    put_qid(out, qid);
    fputs(res->corrected ? "searched for: " : "did you mean: ", out);
    put_str(out, res->suggestion);
    fputs("\n\n", out);
  } else if (res->suggestion && o->format == FMT_JSON) {
    char *j = tl_results_suggestion_json(res, qid);
    if (j)
      put_json(out, j);
    free(j);
  }
  for (i = 0; i < res->count && !ferror(out); i++) {
    const tl_result *r = &res->items[i];
    switch (o->format) {
    case FMT_TEXT: put_result_text(out, r, o, qid); break;
    case FMT_TSV: put_result_tsv(out, r, qid); break;
    case FMT_JSON: {
      char *j = tl_result_json(r, qid, o->explain);
      if (j)
        put_json(out, j);
      free(j);
      break;
    }
    case FMT_TREC:
      for (k = 0; seen && k < nseen && strcmp(seen[k], r->docid) != 0; k++)
        ;
      if (!seen || k < nseen || nseen >= o->count)
        break;
      seen[nseen++] = r->docid;
      put_token(out, qid ? qid : "1");
      fputs(" Q0 ", out);
      put_token(out, r->docid);
      fprintf(out, " %zu %.6f ", o->offset + nseen, r->score);
      put_token(out, o->tag);
      putc('\n', out);
      break;
    case FMT_FEATURES:
      if (!r->features)
        break;
      put_token(out, qid ? qid : "1");
      putc('\t', out);
      put_token(out, r->docid);
      fprintf(out, "\t%u", r->first_rank);
      for (k = 0; tl_rerank_feature_name(k); k++)
        fprintf(out, "\t%.6g", r->features[k]);
      putc('\n', out);
      break;
    }
  }
  free(seen);
}

/* The text format's match counts and facets (each line of a batch's query
 * after its qid). */
static void put_counts(FILE *out, const tl_results *res, const char *qid) {
  size_t i, k;
  put_qid(out, qid);
  fprintf(out, "%s%lu passage%s of %lu article%s matched\n",
          res->passages_estimated ? "about " : "", res->passages_matched,
          res->passages_matched == 1 ? "" : "s", res->articles_matched,
          res->articles_matched == 1 ? "" : "s");
  for (i = 0; i < res->nfacets; i++) {
    putc('\n', out);
    put_qid(out, qid);
    put_str(out, res->facets[i].field);
    fputs(":\n", out);
    for (k = 0; k < res->facets[i].nvalues; k++) {
      put_qid(out, qid);
      fprintf(out, "  %6lu  ", res->facets[i].values[k].articles);
      put_str(out, res->facets[i].values[k].value);
      putc('\n', out);
    }
  }
}

void print_counts(const tl_results *res, const opts *o, const char *qid) {
  if (res->counted && o->format == FMT_TEXT)
    put_counts(stdout, res, qid);
  if (res->nfacets && o->format == FMT_JSON) {
    char *j = tl_results_facets_json(res, qid);
    if (j)
      put_json(stdout, j);
    free(j);
  }
}

void print_features_header(void) {
  size_t k;
  fputs("qid\tdocid\tfirst_rank", stdout);
  for (k = 0; tl_rerank_feature_name(k); k++)
    printf("\t%s", tl_rerank_feature_name(k));
  putchar('\n');
}

void print_missing(const tl_searcher *s, const opts *o) {
  const char *m = tl_searcher_missing(s);
  if (*m && strncmp(m, o->warned, 511) != 0)
    fprintf(stderr, "telusur-query: warning: shards not answering, left out: %s\n", m);
  snprintf(o->warned, 512, "%s", m);
}
