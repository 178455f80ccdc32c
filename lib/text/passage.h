/*
 * passage.h - an article's text to passages, the unit of retrieval.
 *
 * A passage is a paragraph: lines separated by blank lines, or, in text
 * written one paragraph per line, a line that follows a line ending a
 * sentence. Lines wrapped inside a sentence are joined.
 *  - A heading (a short line, at most TL_HEADING_MAX_WORDS words, with no
 *    sentence-final punctuation, standing alone or starting with a capital
 *    or digit between paragraphs) is not a passage of its own: it is the
 *    section heading of the passages below it, up to the next heading.
 *    Headings with no paragraph below them become a passage, so no text is
 *    lost.
 *  - A run of bulleted items (lines starting with •, ◦, ▪, ·, -, * or +
 *    followed by a space) is one passage together with the paragraph that
 *    introduces it.
 *  - A paragraph longer than TL_PASSAGE_MAX_WORDS words is split at
 *    sentence boundaries (ICU sentence break iterator, Unicode UAX #29)
 *    into parts of about equal length.
 */
#ifndef TELUSUR_PASSAGE_H
#define TELUSUR_PASSAGE_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Paragraphs longer than this many words are split at sentences. */
#define TL_PASSAGE_MAX_WORDS 200
/** A heading has at most this many words. */
#define TL_HEADING_MAX_WORDS 14

/** One passage, as byte ranges of the article text (0-based, end exclusive). */
typedef struct tl_passage {
  size_t ordinal;       /**< 1-based position in the article */
  size_t start, end;    /**< the passage's bytes, trimmed of blank space */
  size_t heading_start; /**< the section heading's bytes; equal to */
  size_t heading_end;   /**< heading_start when there is none */
} tl_passage;

/** A growable array of passages. */
typedef struct tl_passage_list {
  tl_passage *items;
  size_t count, cap;
} tl_passage_list;

/**
 * Splits text (len bytes of valid UTF-8) into passages, appended to *list
 * after clearing it (reuse one list across articles; free with
 * tl_passage_list_free). Errors: TL_ERR_NOMEM, TL_ERR_ICU.
 */
int tl_passages_split(const char *text, size_t len, tl_passage_list *list, tl_error *err);

/** Frees the items of list (the struct itself is the caller's). */
void tl_passage_list_free(tl_passage_list *list);

#ifdef __cplusplus
}
#endif

#endif
