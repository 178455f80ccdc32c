/* telusur-query's output: the results of a query in each format. */
#ifndef TELUSUR_QUERY_PRINT_H
#define TELUSUR_QUERY_PRINT_H

#include "telusur/search.h"

enum format { FMT_TEXT, FMT_TSV, FMT_JSON, FMT_TREC, FMT_FEATURES };

/* The names of the formats, indexed by enum format. */
extern const char *const formats[FMT_FEATURES + 1];

typedef struct opts {
  enum format format;
  int color, explain;
  unsigned count, offset;
  unsigned rerank_depth; /* for the features format */
  const char *tag;
  char *warned; /* the shards left out last warned of (--allow-partial), 512 bytes */
} opts;

/* Prints the passages of res to standard output in o's format (with
 * --explain in text, the parsed query first); qid: the query's id in batch
 * mode, else NULL. Every format stays parseable whatever ids, titles and
 * texts hold: text and tsv write tabs and line breaks as spaces and other
 * control characters (C0, DEL, C1) as \xHH or \u00HH, so that no escape
 * sequence of indexed text reaches a terminal; json escapes C1 controls
 * too; trec and features write white space and control bytes of qids,
 * docids and the tag as %HH (an empty one as "-"). A write error is left
 * for the caller to find with ferror(stdout). */
void print_results(const tl_results *res, const opts *o, const char *qid);

/* Prints, after the results, the counts of matches and the facets (text)
 * or the facets line (json) when the searcher computed them. */
void print_counts(const tl_results *res, const opts *o, const char *qid);

/* With --allow-partial: warns on standard error of the shards left out
 * (tl_searcher_missing), once each time they change. */
void print_missing(const tl_searcher *s, const opts *o);

/* Prints the header line of the features format. */
void print_features_header(void);

#endif
