/* html.c - title, text, date, canonical url and site name of an HTML page. */
#include "text/html.h"

#include <gumbo.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements deeper than this are passed over (the walks recurse). */
#define MAX_DEPTH 512

/* A growable string; oom is set when an allocation failed. */
typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *ns;
    while (cap < b->len + n + 1)
      cap *= 2;
    if (!(ns = realloc(b->s, cap))) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

/* Appends s with white space (and no-break spaces) folded to one space;
 * none at the start of b. */
static void sb_add_folded(sbuf *b, const char *s) {
  while (*s) {
    size_t n = 0;
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
      n = 1;
    else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
      n = 2;
    if (n) {
      if (b->len > 0 && b->s[b->len - 1] != ' ')
        sb_add(b, " ", 1);
      s += n;
    } else {
      size_t k = 0;
      while (s[k] && !strchr(" \t\n\r\f\xC2", s[k]))
        k++;
      if (k == 0)
        k = 1; /* a 0xC2 lead byte of another character */
      sb_add(b, s, k);
      s += k;
    }
  }
}

/* Drops a trailing space. */
static void sb_trim(sbuf *b) {
  while (b->len > 0 && b->s[b->len - 1] == ' ')
    b->s[--b->len] = '\0';
}

/* A malloc'd copy of s with white space folded, trimmed; NULL when out of memory. */
static char *folded(const char *s) {
  sbuf b = {NULL, 0, 0, 0};
  sb_add(&b, "", 0);
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
    s++;
  sb_add_folded(&b, s);
  sb_trim(&b);
  if (b.oom) {
    free(b.s);
    return NULL;
  }
  return b.s;
}

static const char *attr(const GumboNode *n, const char *name) {
  const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

static int is_skipped(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NAV ||
         t == GUMBO_TAG_HEADER || t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_ASIDE ||
         t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_FORM || t == GUMBO_TAG_TEMPLATE;
}

static int is_block(GumboTag t) {
  return t == GUMBO_TAG_P || t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
         t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6 || t == GUMBO_TAG_LI ||
         t == GUMBO_TAG_BLOCKQUOTE;
}

/* The first element with tag t under n (n included), in document order. */
static const GumboNode *find(const GumboNode *n, GumboTag t, int depth) {
  unsigned i;
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT)
    return NULL;
  if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == t)
    return n;
  if (depth > MAX_DEPTH)
    return NULL;
  {
    const GumboVector *c =
        n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children : &n->v.element.children;
    for (i = 0; i < c->length; i++) {
      const GumboNode *f = find(c->data[i], t, depth + 1);
      if (f)
        return f;
    }
  }
  return NULL;
}

/* The first <time datetime> under n. */
static const char *find_time(const GumboNode *n, int depth) {
  unsigned i;
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH)
    return NULL;
  if (n->v.element.tag == GUMBO_TAG_TIME && attr(n, "datetime"))
    return attr(n, "datetime");
  for (i = 0; i < n->v.element.children.length; i++) {
    const char *s = find_time(n->v.element.children.data[i], depth + 1);
    if (s)
      return s;
  }
  return NULL;
}

/* Text extraction state. */
typedef struct walker {
  sbuf out;  /* the blocks so far */
  sbuf para; /* the block being read */
  int in_block;
  int in_item;   /* <li> elements open */
  int last_item; /* the last block was a list item */
} walker;

static void flush(walker *w) {
  sb_trim(&w->para);
  if (w->para.len == 0)
    return;
  /* list items are bullet lines, one under the other */
  if (w->out.len > 0)
    sb_add(&w->out, "\n\n", w->in_item && w->last_item ? 1 : 2);
  if (w->in_item)
    sb_add(&w->out, "\xE2\x80\xA2 ", 4);
  w->last_item = w->in_item > 0;
  sb_add(&w->out, w->para.s, w->para.len);
  w->para.len = 0;
  if (w->para.s)
    w->para.s[0] = '\0';
}

static void text_of(walker *w, const GumboNode *n, int depth) {
  unsigned i;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    if (w->in_block)
      sb_add_folded(&w->para, n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH || is_skipped(n->v.element.tag))
    return;
  if (n->v.element.tag == GUMBO_TAG_BR) {
    if (w->in_block && w->para.len > 0)
      sb_add_folded(&w->para, " ");
    return;
  }
  if (is_block(n->v.element.tag)) {
    flush(w);
    w->in_block++;
    w->in_item += n->v.element.tag == GUMBO_TAG_LI;
  }
  for (i = 0; i < n->v.element.children.length; i++)
    text_of(w, n->v.element.children.data[i], depth + 1);
  if (is_block(n->v.element.tag)) {
    flush(w);
    w->in_block--;
    w->in_item -= n->v.element.tag == GUMBO_TAG_LI;
  }
}

/* The first string "datePublished" in a JSON value, or NULL. */
static const char *date_published(json_object *o, int depth) {
  if (!o || depth > 64)
    return NULL;
  if (json_object_is_type(o, json_type_object)) {
    json_object *v;
    if (json_object_object_get_ex(o, "datePublished", &v) &&
        json_object_is_type(v, json_type_string))
      return json_object_get_string(v);
    json_object_object_foreach(o, key, val) {
      const char *s = date_published(val, depth + 1);
      (void)key;
      if (s)
        return s;
    }
  } else if (json_object_is_type(o, json_type_array)) {
    size_t i, n = json_object_array_length(o);
    for (i = 0; i < n; i++) {
      const char *s = date_published(json_object_array_get_idx(o, i), depth + 1);
      if (s)
        return s;
    }
  }
  return NULL;
}

/* What the head (and the rest) of the page says about the article. */
typedef struct meta {
  const char *og_title, *title_text, *site_name, *published, *canonical;
  const GumboNode *title;
  char *ld_date; /* malloc'd */
  int oom;
} meta;

static void read_meta(meta *m, const GumboNode *n, int depth) {
  unsigned i;
  GumboTag t;
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH)
    return;
  t = n->v.element.tag;
  if (t == GUMBO_TAG_META) {
    const char *p = attr(n, "property"), *c = attr(n, "content");
    if (!p)
      p = attr(n, "name");
    if (p && c && *c) {
      if (!m->og_title && strcasecmp(p, "og:title") == 0)
        m->og_title = c;
      else if (!m->site_name && strcasecmp(p, "og:site_name") == 0)
        m->site_name = c;
      else if (!m->published && strcasecmp(p, "article:published_time") == 0)
        m->published = c;
    }
  } else if (t == GUMBO_TAG_TITLE && !m->title) {
    m->title = n;
  } else if (t == GUMBO_TAG_LINK && !m->canonical) {
    const char *rel = attr(n, "rel"), *href = attr(n, "href");
    if (rel && href && *href && strcasecmp(rel, "canonical") == 0)
      m->canonical = href;
  } else if (t == GUMBO_TAG_SCRIPT && !m->ld_date && attr(n, "type") &&
             strcasecmp(attr(n, "type"), "application/ld+json") == 0 &&
             n->v.element.children.length > 0) {
    const GumboNode *c = n->v.element.children.data[0];
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) {
      json_object *o = json_tokener_parse(c->v.text.text);
      const char *d = date_published(o, 0);
      if (d && !(m->ld_date = strdup(d)))
        m->oom = 1;
      json_object_put(o);
    }
  }
  for (i = 0; i < n->v.element.children.length; i++)
    read_meta(m, n->v.element.children.data[i], depth + 1);
}

void tl_html_page_free(tl_html_page *page) {
  if (!page)
    return;
  free(page->title);
  free(page->text);
  free(page->date);
  free(page->url);
  free(page->source);
  memset(page, 0, sizeof *page);
}

/* The tag name at s (n bytes), in lower case, into name (at most
 * TL_TAG_NAME - 1 bytes kept); returns its length in s. */
#define TL_TAG_NAME 16
static size_t tag_name(const char *s, size_t n, char *name) {
  size_t k = 0;
  while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                   (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == ':')) {
    if (k < TL_TAG_NAME - 1)
      name[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
    k++;
  }
  name[k < TL_TAG_NAME - 1 ? k : TL_TAG_NAME - 1] = '\0';
  return k;
}

/* Whether name is one of the names of list (NULL-terminated). */
static int one_of(const char *name, const char *const *list) {
  for (; *list; list++)
    if (strcmp(name, *list) == 0)
      return 1;
  return 0;
}

/* Elements that never enclose what follows them as nesting does: void
 * elements, those whose end tag may be left out (HTML Living Standard,
 * 13.1.2 and 13.1.2.4), and those the parser does not open inside one of
 * their own (a, headings, button, form, nobr, select). */
static const char *const not_nesting[] = {
    "area", "base",   "br",     "col",      "embed",  "hr",    "img",   "input",    "link",
    "meta", "source", "track",  "wbr",      "p",      "li",    "dt",    "dd",       "tr",
    "td",   "th",     "option", "optgroup", "thead",  "tbody", "tfoot", "colgroup", "rb",
    "rt",   "rp",     "rtc",    "html",     "head",   "body",  "a",     "h1",       "h2",
    "h3",   "h4",     "h5",     "h6",       "button", "form",  "nobr",  "select",   NULL};

/* Elements whose contents are text, not markup, up to their end tag. */
static const char *const raw_text[] = {"script", "style",   "textarea", "title", "xmp",
                                       "iframe", "noembed", "noframes", NULL};

/* The end of the tag that starts at s[i] ('<' at s[i - 1]): the '>' outside
 * quoted attribute values; n when there is none. */
static size_t tag_end(const char *s, size_t i, size_t n) {
  char quote = 0;
  for (; i < n; i++) {
    if (quote)
      quote = s[i] == quote ? 0 : quote;
    else if (s[i] == '"' || s[i] == '\'')
      quote = s[i];
    else if (s[i] == '>')
      return i;
  }
  return n;
}

/* Whether start tags left open nest deeper than limit, counted in one pass
 * much as the parser nests them (a stack of the open elements: an end tag
 * closes the nearest open element of its name, if among the 32 innermost;
 * comments and the contents of raw text elements passed over): gumbo 0.10's
 * time grows with the square of the depth (200,000 nested elements:
 * minutes). -1 when out of memory. */
static int too_deep(const char *s, size_t n, size_t limit) {
  char(*open)[TL_TAG_NAME] = malloc((limit + 1) * sizeof *open), name[TL_TAG_NAME];
  size_t i = 0, depth = 0, foreign = 0;
  int deep = 0;
  if (!open)
    return -1;
  while (i < n && !deep) {
    const char *lt = memchr(s + i, '<', n - i);
    size_t k, end;
    if (!lt)
      break;
    i = (size_t)(lt - s) + 1;
    if (i + 3 <= n && memcmp(s + i, "!--", 3) == 0) {
      const char *c = strstr(s + i + 3, "-->"); /* s is NUL-terminated */
      i = c && (size_t)(c - s) < n ? (size_t)(c - s) + 3 : n;
    } else if (i + 1 < n && s[i] == '/' && tag_name(s + i + 1, n - i - 1, name) > 0) {
      for (k = depth; k > 0 && depth - k < 32 && strcmp(open[k - 1], name) != 0; k--)
        ;
      if (k > 0 && strcmp(open[k - 1], name) == 0)
        while (depth >= k) {
          depth--;
          foreign -= strcmp(open[depth], "svg") == 0 || strcmp(open[depth], "math") == 0;
        }
      i = tag_end(s, i, n);
    } else if (i < n && tag_name(s + i, n - i, name) > 0) {
      /* inside svg or math (foreign content) every element nests unless
       * self-closed, and none holds raw text */
      int closed;
      end = tag_end(s, i, n);
      closed = end < n && s[end - 1] == '/';
      if (!foreign && strcmp(name, "plaintext") == 0)
        break; /* the rest of the page is its text */
      if (foreign ? !closed : !one_of(name, not_nesting)) {
        if (depth == limit)
          deep = 1;
        else {
          strcpy(open[depth++], name); /* NOLINT: both TL_TAG_NAME bytes */
          foreign += strcmp(name, "svg") == 0 || strcmp(name, "math") == 0;
        }
      }
      i = end;
      if (!foreign && one_of(name, raw_text)) { /* to its end tag */
        const char *close = strstr(s + i, "</");
        char other[TL_TAG_NAME];
        while (close && (size_t)(close - s) < n &&
               (tag_name(close + 2, n - (size_t)(close - s) - 2, other) == 0 ||
                strcmp(other, name) != 0))
          close = strstr(close + 2, "</");
        i = close && (size_t)(close - s) < n ? (size_t)(close - s) : n;
      }
    }
  }
  free(open);
  return deep;
}

int tl_html_extract(const char *html, size_t len, tl_html_page *page, tl_error *err) {
  GumboOptions opt = kGumboDefaultOptions;
  GumboOutput *g;
  meta m;
  walker w;
  const GumboNode *root;
  const char *date;
  memset(page, 0, sizeof *page);
  memset(&m, 0, sizeof m);
  memset(&w, 0, sizeof w);
  opt.max_errors = 0; /* parse errors are not kept */
  switch (too_deep(html, len, TL_HTML_MAX_NESTING)) {
  case 0: break;
  case 1:
    return tl_error_set(err, TL_ERR_LIMIT, "elements nested deeper than %d", TL_HTML_MAX_NESTING);
  default: return tl_error_set(err, TL_ERR_NOMEM, "out of memory parsing HTML");
  }
  g = gumbo_parse_with_options(&opt, html, len);
  if (!g)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory parsing HTML");
  read_meta(&m, g->root, 0);
  if (!m.og_title && m.title) {
    sbuf t = {NULL, 0, 0, 0};
    unsigned i;
    sb_add(&t, "", 0);
    for (i = 0; i < m.title->v.element.children.length; i++) {
      const GumboNode *c = m.title->v.element.children.data[i];
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE)
        sb_add(&t, c->v.text.text, strlen(c->v.text.text));
    }
    page->title = t.oom ? NULL : folded(t.s);
    free(t.s);
  } else {
    page->title = folded(m.og_title ? m.og_title : "");
  }
  root = find(g->root, GUMBO_TAG_ARTICLE, 0);
  if (!root)
    root = find(g->root, GUMBO_TAG_MAIN, 0);
  if (!root)
    root = find(g->root, GUMBO_TAG_BODY, 0);
  if (!root)
    root = g->root;
  sb_add(&w.out, "", 0);
  sb_add(&w.para, "", 0);
  text_of(&w, root, 0);
  flush(&w);
  date = m.published ? m.published : m.ld_date;
  if (!date)
    date = find_time(root, 0);
  if (!date)
    date = find_time(g->root, 0);
  page->date = folded(date ? date : "");
  page->url = folded(m.canonical ? m.canonical : "");
  page->source = folded(m.site_name ? m.site_name : "");
  page->text = w.out.s;
  page->text_len = w.out.len;
  free(w.para.s);
  free(m.ld_date);
  gumbo_destroy_output(&opt, g);
  if (w.out.oom || w.para.oom || m.oom || !page->title || !page->date || !page->url ||
      !page->source) {
    tl_html_page_free(page);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory reading HTML");
  }
  return TL_OK;
}
