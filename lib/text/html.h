/*
 * html.h - an article from an HTML page, parsed with Google's gumbo
 * (an HTML5 parser, https://github.com/google/gumbo-parser).
 *
 * The text comes from the paragraphs, headings and list items (p, h1-h6,
 * li, blockquote) of the page's first <article>, else its first <main>,
 * else its <body>; nothing inside script, style, nav, header, footer,
 * aside, noscript, form or template is taken. Each such block becomes one
 * line (white space, &nbsp; included, folded to single spaces) and blocks
 * are separated by a blank line, as paragraphs are in a .txt file, so that
 * a heading is a short line between blank lines; the text of a list item
 * is a bullet line ("• " and the text), with no blank line between items
 * that follow each other (text/passage.h: a run of bulleted items).
 */
#ifndef TELUSUR_HTML_H
#define TELUSUR_HTML_H

#include "telusur/error.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a page yields. Every string is NUL-terminated UTF-8, "" when absent. */
typedef struct tl_html_page {
  char *title;     /**< <meta property="og:title" content>, else <title> */
  char *text;      /**< the blocks, separated by "\n\n" */
  size_t text_len; /**< bytes in text */
  char *date;      /**< as written: <meta property="article:published_time">,
                        else the first "datePublished" of a JSON-LD script
                        (type application/ld+json), else the datetime of the
                        first <time> (in the article first, then anywhere) */
  char *url;       /**< <link rel="canonical" href> */
  char *source;    /**< <meta property="og:site_name" content> */
} tl_html_page;

/** Pages whose elements nest deeper than this are refused (see tl_html_extract). */
#define TL_HTML_MAX_NESTING 5000

/**
 * Parses len bytes of UTF-8 HTML (invalid bytes are read as U+FFFD by the
 * parser; html[len] must be readable and NUL) into *page, whose strings are
 * malloc'd and owned by *page until tl_html_page_free(). <meta> is matched
 * on its property or name attribute. Returns TL_OK, TL_ERR_LIMIT (start tags
 * left open nest deeper than TL_HTML_MAX_NESTING, counted in one pass
 * before parsing: the parser's time grows with the square of the depth) or
 * TL_ERR_NOMEM (*page then holds nothing to free).
 */
int tl_html_extract(const char *html, size_t len, tl_html_page *page, tl_error *err);

/** Frees the strings of page (not page itself) and zeroes it; NULL is allowed. */
void tl_html_page_free(tl_html_page *page);

#ifdef __cplusplus
}
#endif

#endif
