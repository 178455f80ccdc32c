/* telusur-query's output: the results of a query in each format. */
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const formats[FMT_FEATURES + 1] = {"text", "tsv", "json", "trec", "features"};

/* Writes s with highlights: ANSI bold red when colour is on. */
static void put_snippet(const tl_result *r, int color) {
  size_t i, at = 0;
  const char *s = r->snippet;
  for (i = 0; color && i < r->nhighlights; i++) {
    fwrite(s + at, 1, r->highlights[i].start - at, stdout);
    fputs("\x1b[1;31m", stdout);
    fwrite(s + r->highlights[i].start, 1, r->highlights[i].end - r->highlights[i].start, stdout);
    fputs("\x1b[0m", stdout);
    at = r->highlights[i].end;
  }
  fputs(s + at, stdout);
}

static void put_tsv_field(const char *s) {
  for (; *s; s++)
    putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void print_results(const tl_results *res, const opts *o, const char *qid) {
  /* the docids a TREC run has listed for the query so far */
  const char **seen = calloc(res->count + 1, sizeof *seen);
  size_t i, nseen = 0;
  for (i = 0; i < res->count; i++) {
    const tl_result *r = &res->items[i];
    switch (o->format) {
    case FMT_TEXT:
      if (qid)
        printf("%s ", qid);
      printf("%s%u.%s %s%s%s  [%s #%u]  %.3f\n", o->color ? "\x1b[1m" : "", r->rank,
             o->color ? "\x1b[0m" : "", o->color ? "\x1b[32m" : "",
             *r->title ? r->title : "(untitled)", o->color ? "\x1b[0m" : "", r->article_id,
             r->passage, r->score);
      if (*r->heading)
        printf("   \xC2\xA7 %s\n", r->heading);
      if (*r->date)
        printf("   %s\n", r->date);
      fputs("   ", stdout);
      put_snippet(r, o->color);
      putchar('\n');
      if (o->explain && *r->explain)
        printf("   weights: %s\n", r->explain);
      putchar('\n');
      break;
    case FMT_TSV:
      if (qid)
        printf("%s\t", qid);
      printf("%u\t%.4f\t", r->rank, r->score);
      put_tsv_field(r->article_id);
      printf("\t%u\t", r->passage);
      put_tsv_field(r->title);
      putchar('\t');
      put_tsv_field(r->heading);
      putchar('\t');
      put_tsv_field(r->snippet);
      putchar('\n');
      break;
    case FMT_JSON: {
      char *j = tl_result_json(r, qid, o->explain);
      if (j)
        puts(j);
      free(j);
      break;
    }
    case FMT_TREC: {
      size_t k;
      for (k = 0; seen && k < nseen && strcmp(seen[k], r->docid) != 0; k++)
        ;
      if (!seen || k < nseen || nseen >= o->count)
        break;
      seen[nseen++] = r->docid;
      printf("%s Q0 %s %zu %.6f %s\n", qid ? qid : "1", r->docid, o->offset + nseen, r->score,
             o->tag);
      break;
    }
    case FMT_FEATURES: {
      size_t k;
      if (!r->features)
        break;
      printf("%s\t%s\t%u", qid ? qid : "1", r->docid, r->first_rank);
      for (k = 0; tl_rerank_feature_name(k); k++)
        printf("\t%.6g", r->features[k]);
      putchar('\n');
      break;
    }
    }
  }
  free(seen);
}

void print_counts(const tl_results *res, const opts *o) {
  if (res->counted && o->format == FMT_TEXT) {
    size_t i, k;
    printf("%lu passages of %lu articles matched\n", res->passages_matched, res->articles_matched);
    for (i = 0; i < res->nfacets; i++) {
      printf("\n%s:\n", res->facets[i].field);
      for (k = 0; k < res->facets[i].nvalues; k++)
        printf("  %6lu  %s\n", res->facets[i].values[k].articles, res->facets[i].values[k].value);
    }
  }
  if (res->nfacets && o->format == FMT_JSON) {
    char *j = tl_results_facets_json(res);
    if (j)
      puts(j);
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
