/* index.c - articles to passages to analyzed Xapian documents. */
#include "index.h"

#include "analyzer.h"
#include "passage.h"
#include "store.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Positions left empty between the heading and the text, so that no
 * phrase runs from one into the other. */
#define HEADING_GAP 8

struct tl_index {
  tl_store *store;
  tl_analyzer *analyzer;
  tl_doc *doc;
  tl_passage_list passages;
  char term[TL_TERM_MAX + 8];
};

/* Context of the term callback. */
typedef struct doc_ctx {
  tl_index *ix;
  const char *prefix; /* "" for body words, "S" for the title */
  tl_error *err;
} doc_ctx;

size_t tl_index_article_term(const char *id, char *buf) {
  size_t n = strlen(id);
  if (n <= TL_ID_TERM_MAX) {
    buf[0] = 'Q';
    memcpy(buf + 1, id, n);
    buf[n + 1] = '\0';
    return n + 1;
  } else {
    uint64_t h = 14695981039346656037ULL;
    size_t i;
    for (i = 0; i < n; i++) {
      h ^= (unsigned char)id[i];
      h *= 1099511628211ULL;
    }
    return (size_t)snprintf(buf, TL_ID_TERM_MAX + 2, "Q#%016llx", (unsigned long long)h);
  }
}

static int on_term(void *vctx, int flags, const char *term, size_t len, size_t start,
                   size_t end, unsigned pos) {
  doc_ctx *c = vctx;
  size_t p = strlen(c->prefix);
  char *t = c->ix->term;
  (void)start;
  (void)end;
  if (flags & TL_TERM_STEM) {
    t[0] = 'Z';
    memcpy(t + 1, c->prefix, p);
    memcpy(t + 1 + p, term, len);
    return tl_doc_add_term(c->ix->doc, t, len + p + 1, 1, c->err) != TL_OK;
  }
  memcpy(t, c->prefix, p);
  memcpy(t + p, term, len);
  return tl_doc_add_posting(c->ix->doc, t, len + p, pos, c->err) != TL_OK;
}

int tl_index_open(const char *db_path, const tl_index_options *opts, tl_index **out,
                  tl_error *err) {
  tl_index *ix;
  tl_analyzer_options aopts;
  char *have = NULL;
  const char *want = opts ? opts->stemmer : NULL;
  int rc;
  *out = NULL;
  if (!(ix = calloc(1, sizeof *ix)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if ((rc = tl_store_open(db_path, TL_STORE_WRITE, &ix->store, err)) != TL_OK)
    goto fail;
  if ((rc = tl_store_get_metadata(ix->store, TL_META_STEMMER, &have, err)) != TL_OK)
    goto fail;
  if (*have && want && strcmp(have, want) != 0) {
    rc = tl_error_set(err, TL_ERR_USAGE,
                      "index %s was built with the '%s' stemmer, not '%s': use a new "
                      "index for another stemmer",
                      db_path, have, want);
    goto fail;
  }
  memset(&aopts, 0, sizeof aopts);
  aopts.stemmer = *have ? have : want ? want : "indonesian";
  aopts.data_dir = opts ? opts->data_dir : NULL;
  if ((rc = tl_analyzer_create(&aopts, &ix->analyzer, err)) != TL_OK)
    goto fail;
  if ((rc = tl_doc_create(&ix->doc, err)) != TL_OK)
    goto fail;
  if (!*have && (rc = tl_store_set_metadata(ix->store, TL_META_STEMMER, aopts.stemmer,
                                            err)) != TL_OK)
    goto fail;
  if ((rc = tl_store_begin(ix->store, err)) != TL_OK)
    goto fail;
  free(have);
  *out = ix;
  return TL_OK;
fail:
  free(have);
  tl_index_close(ix);
  return rc;
}

/* The passage record stored as document data. */
static int set_record(tl_index *ix, const tl_article *a, const tl_passage *p,
                      tl_error *err) {
  json_object *o = json_object_new_object();
  const char *s;
  size_t n;
  int rc;
  if (!o)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  json_object_object_add(o, "article_id", json_object_new_string(a->id));
  json_object_object_add(o, "title", json_object_new_string(a->title));
  json_object_object_add(o, "passage", json_object_new_int64((int64_t)p->ordinal));
  json_object_object_add(o, "passages", json_object_new_int64((int64_t)ix->passages.count));
  json_object_object_add(o, "heading",
                         json_object_new_string_len(a->text + p->heading_start,
                                                    (int)(p->heading_end - p->heading_start)));
  json_object_object_add(o, "text", json_object_new_string_len(a->text + p->start,
                                                               (int)(p->end - p->start)));
  json_object_object_add(o, "start", json_object_new_int64((int64_t)(a->text_offset + p->start)));
  json_object_object_add(o, "end", json_object_new_int64((int64_t)(a->text_offset + p->end)));
  json_object_object_add(o, "path", json_object_new_string(a->path));
  if (*a->date)
    json_object_object_add(o, "date", json_object_new_string(a->date));
  if (*a->url)
    json_object_object_add(o, "url", json_object_new_string(a->url));
  if (*a->source)
    json_object_object_add(o, "source", json_object_new_string(a->source));
  s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
  rc = s ? tl_doc_set_data(ix->doc, s, n, err)
         : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  json_object_put(o);
  return rc;
}

int tl_index_add(tl_index *ix, const tl_article *a, size_t *npassages, tl_error *err) {
  char qterm[TL_ID_TERM_MAX + 2];
  size_t qlen = tl_index_article_term(a->id, qterm), i;
  int rc;
  if (npassages)
    *npassages = 0;
  if ((rc = tl_store_delete_term(ix->store, qterm, qlen, err)) != TL_OK)
    return rc;
  if ((rc = tl_passages_split(a->text, a->text_len, &ix->passages, err)) != TL_OK)
    return rc;
  for (i = 0; i < ix->passages.count; i++) {
    const tl_passage *p = &ix->passages.items[i];
    doc_ctx c = {ix, "", err};
    unsigned pos = 1;
    char pterm[TL_ID_TERM_MAX + 32];
    int n;
    tl_doc_clear(ix->doc);
    if (p->heading_end > p->heading_start) {
      rc = tl_analyzer_run(ix->analyzer, a->text + p->heading_start,
                           p->heading_end - p->heading_start, pos, on_term, &c, &pos, err);
      if (rc != TL_OK)
        return err->code ? err->code : TL_ERR_XAPIAN;
      pos += HEADING_GAP;
    }
    rc = tl_analyzer_run(ix->analyzer, a->text + p->start, p->end - p->start, pos, on_term,
                         &c, &pos, err);
    if (rc != TL_OK)
      return err->code ? err->code : TL_ERR_XAPIAN;
    c.prefix = "S";
    rc = tl_analyzer_run(ix->analyzer, a->title, strlen(a->title), 1, on_term, &c, NULL, err);
    if (rc != TL_OK)
      return err->code ? err->code : TL_ERR_XAPIAN;
    if ((rc = tl_doc_add_term(ix->doc, qterm, qlen, 0, err)) != TL_OK)
      return rc;
    n = snprintf(pterm, sizeof pterm, "P%s#%zu", qterm + 1, p->ordinal);
    if ((rc = tl_doc_add_term(ix->doc, pterm, (size_t)n, 0, err)) != TL_OK ||
        (rc = tl_doc_set_value(ix->doc, 0, a->date, strlen(a->date), err)) != TL_OK ||
        (rc = tl_doc_set_value(ix->doc, 1, a->id, strlen(a->id), err)) != TL_OK ||
        (rc = set_record(ix, a, p, err)) != TL_OK ||
        (rc = tl_store_add(ix->store, ix->doc, err)) != TL_OK)
      return rc;
    if (npassages)
      (*npassages)++;
  }
  return TL_OK;
}

int tl_index_commit(tl_index *ix, tl_error *err) {
  int rc = tl_store_commit(ix->store, err);
  if (rc == TL_OK)
    rc = tl_store_begin(ix->store, err);
  return rc;
}

unsigned long tl_index_passage_count(const tl_index *ix) {
  return tl_store_doc_count(ix->store);
}

void tl_index_close(tl_index *ix) {
  if (!ix)
    return;
  tl_store_close(ix->store);
  tl_analyzer_free(ix->analyzer);
  tl_doc_free(ix->doc);
  tl_passage_list_free(&ix->passages);
  free(ix);
}
