/* index.c - articles to passages to analyzed Xapian documents. */
#include "index/documents.h"

#include "index/manifest.h"
#include "index/schema.h"
#include "telusur/analysis.h"
#include "text/acronym.h"
#include "text/fold.h"
#include "text/passage.h"
#include "util/buf.h"
#include "xapian/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* One thread's analysis: analyzer, passage list, the document being built. */
struct tl_analysis {
  tl_analyzer *analyzer;
  tl_doc *doc;
  tl_passage_list passages;
  char term[TL_TERM_MAX + 8];
  /* the article being prepared (tl_index_prepare_begin / _next) */
  size_t next, paragraphs, glen, qlen;
  char hash[17], gterm[18], qterm[TL_ID_TERM_MAX + 2];
  char key[8];  /* the article's key (TL_SLOT_ARTICLE_KEY) */
  char *record; /* the passage record being encoded, record_cap bytes */
  char *file;   /* the file term's path (tl_analysis_set_file); NULL: the article's */
  size_t record_cap;
  char *fterms; /* the article's field terms, each NUL-terminated, in fterms_len bytes */
  size_t fterms_len, fterms_cap;
  tl_buf fvalues;              /* the article's fields for facets (TL_SLOT_FIELDS) */
  char date[TL_DATE_TEXT_MAX]; /* the article's date, ISO 8601 UTC; "" none */
  tl_buf data;                 /* the chunk's passage records (schema.h) */
  tl_buf table;                /* the chunk's passage table (TL_SLOT_PASSAGES) */
};

struct tl_index {
  tl_store *store;
  tl_analysis *an; /* created on the first tl_index_add */
  char *stemmer;
  char *data_dir;
};

/* Context of the term callback. */
typedef struct doc_ctx {
  tl_analysis *ix;
  const char *prefix; /* "" for body words, TL_PREFIX_TITLE for the title */
  tl_error *err;
  unsigned terms; /* terms analyzed (word forms and stems): the passage's length */
  /* the last word form added, unprefixed: a stem equal to it at its
   * position is not written (schema.h) */
  char word[TL_TERM_MAX];
  size_t word_len;
  unsigned word_pos;
} doc_ctx;

size_t tl_index_article_term(const char *id, char *buf) {
  size_t n = strlen(id);
  if (n <= TL_ID_TERM_MAX) {
    buf[0] = TL_PREFIX_ID[0];
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
    return (size_t)snprintf(buf, TL_ID_TERM_MAX + 2, TL_PREFIX_ID "#%016llx",
                            (unsigned long long)h);
  }
}

static int on_term(void *vctx, int flags, const char *term, size_t len, size_t start, size_t end,
                   unsigned pos) {
  doc_ctx *c = vctx;
  size_t p = strlen(c->prefix);
  char *t = c->ix->term;
  (void)start;
  (void)end;
  c->terms++;
  if (flags & TL_TERM_STEM) {
    if (pos == c->word_pos && len == c->word_len && memcmp(term, c->word, len) == 0)
      return 0; /* searched as the word form (schema.h) */
    t[0] = TL_PREFIX_STEM[0];
    memcpy(t + 1, c->prefix, p);
    memcpy(t + 1 + p, term, len);
    return tl_doc_add_posting(c->ix->doc, t, len + p + 1, pos, c->err) != TL_OK;
  }
  memcpy(c->word, term, len);
  c->word_len = len;
  c->word_pos = pos;
  memcpy(t, c->prefix, p);
  memcpy(t + p, term, len);
  return tl_doc_add_posting(c->ix->doc, t, len + p, pos, c->err) != TL_OK;
}

int tl_analysis_create(const char *stemmer, const char *data_dir, tl_analysis **out,
                       tl_error *err) {
  tl_analysis *an;
  tl_analyzer_options aopts;
  int rc;
  *out = NULL;
  if (!(an = calloc(1, sizeof *an)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memset(&aopts, 0, sizeof aopts);
  aopts.stemmer = stemmer ? stemmer : "indonesian";
  aopts.data_dir = data_dir;
  if ((rc = tl_analyzer_create(&aopts, &an->analyzer, err)) != TL_OK) {
    tl_analysis_free(an);
    return rc;
  }
  *out = an;
  return TL_OK;
}

const tl_analyzer *tl_analysis_analyzer(const tl_analysis *an) {
  return an->analyzer;
}

int tl_analysis_set_file(tl_analysis *an, const char *file, tl_error *err) {
  char *f = file ? strdup(file) : NULL;
  if (file && !f)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  free(an->file);
  an->file = f;
  return TL_OK;
}

void tl_analysis_free(tl_analysis *an) {
  if (!an)
    return;
  tl_analyzer_free(an->analyzer);
  tl_doc_free(an->doc);
  tl_passage_list_free(&an->passages);
  free(an->record);
  free(an->file);
  free(an->fterms);
  tl_buf_free(&an->fvalues);
  tl_buf_free(&an->data);
  tl_buf_free(&an->table);
  free(an);
}

int tl_index_open(const char *db_path, const tl_index_options *opts, tl_index **out,
                  tl_error *err) {
  tl_index *ix;
  char *have = NULL;
  const char *want = opts ? opts->stemmer : NULL;
  int rc, keyed = 0;
  *out = NULL;
  /* before the index is opened: a new one is not left behind */
  if (want && strcmp(want, "indonesian") != 0 && strcmp(want, "snowball") != 0 &&
      strcmp(want, "none") != 0)
    return tl_error_set(err, TL_ERR_USAGE, "unknown stemmer '%s'", want);
  if (!(ix = calloc(1, sizeof *ix)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if ((rc = tl_store_open(db_path, opts && opts->create ? TL_STORE_CREATE : TL_STORE_WRITE,
                          &ix->store, err)) != TL_OK ||
      (rc = tl_schema_check(ix->store, db_path, &keyed, err)) != TL_OK ||
      (!keyed && (rc = tl_schema_write(ix->store, err)) != TL_OK))
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
  ix->stemmer = strdup(*have ? have : want ? want : "indonesian");
  ix->data_dir = opts && opts->data_dir ? strdup(opts->data_dir) : NULL;
  if (!ix->stemmer || (opts && opts->data_dir && !ix->data_dir)) {
    rc = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    goto fail;
  }
  if (!*have && (rc = tl_store_set_metadata(ix->store, TL_META_STEMMER, ix->stemmer, err)) != TL_OK)
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

/* The number of paragraphs the article's passages come from: a passage
 * starts a new paragraph unless it is the continuation of a long paragraph
 * split at a sentence (no line break and no heading between it and the
 * passage before). TREC runs name a one-paragraph article by its bare id. */
static size_t count_paragraphs(const tl_article *a, const tl_passage_list *ps) {
  size_t i, n = ps->count ? 1 : 0;
  for (i = 1; i < ps->count; i++) {
    const tl_passage *p = &ps->items[i];
    size_t from = ps->items[i - 1].end, to = p->start;
    if (p->heading_start != ps->items[i - 1].heading_start || to < from ||
        memchr(a->text + from, '\n', to - from))
      n++;
  }
  return n;
}

/* Appends a 32-bit unsigned integer, least significant byte first. */
static int put_u32(tl_buf *b, size_t v, tl_error *err) {
  unsigned char x[4];
  for (int k = 0; k < 4; k++)
    x[k] = (unsigned char)(v >> (8 * k));
  return tl_buf_append(b, x, 4) == TL_OK ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
}

/* Appends a part of the passage's record to the chunk's data (schema.h):
 * the article's part (p NULL), or p's own. */
static int set_record(tl_analysis *ix, const tl_article *a, const tl_passage *p, tl_error *err) {
  tl_passage_record r;
  size_t n;
  int rc;
  memset(&r, 0, sizeof r);
  if (p) {
    r.passage = p->ordinal;
    r.heading = a->text + p->heading_start;
    r.heading_len = p->heading_end > p->heading_start ? p->heading_end - p->heading_start : 0;
    r.text = a->text + p->start;
    r.text_len = p->end - p->start;
    r.start = a->text_offset + p->start;
  } else {
    r.article_id = a->id;
    r.title = a->title;
    r.paragraphs = ix->paragraphs;
    r.path = a->path;
    r.date = *ix->date ? ix->date : a->date;
    r.url = a->url;
    r.source = a->source;
    r.fields = a->fields;
    r.nfields = a->nfields;
  }
  if ((rc = tl_record_encode(&r, p ? TL_RECORD_PASSAGE : TL_RECORD_ARTICLE, &ix->record,
                             &ix->record_cap, &n, err)) != TL_OK ||
      (rc = put_u32(&ix->data, n, err)) != TL_OK)
    return rc;
  return tl_buf_append(&ix->data, ix->record, n) == TL_OK
             ? TL_OK
             : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
}

void tl_prepared_free(tl_prepared *p) {
  size_t i;
  if (!p)
    return;
  for (i = 0; i < p->count; i++)
    tl_doc_free(p->docs[i]);
  free(p->docs);
  free(p);
}

/* Whether word is a word of the analyzer's lexicon or a name of its
 * gazetteer (tl_acronym_word_fn). */
static int is_word(void *an, const char *word, size_t len) {
  return tl_analyzer_is_known(an, word, len) || tl_analyzer_is_name(an, word, len);
}

/* What on_acronym adds its terms to. */
typedef struct acronym_ctx {
  tl_doc *doc;
  tl_error *err;
} acronym_ctx;

/* Adds one acronym definition of the passage as its term
 * (TL_PREFIX_ACRONYM, schema.h); one over TL_INDEX_TERM_MAX bytes is left
 * out. */
static int on_acronym(void *vctx, const char *acr, size_t an, const char *lng, size_t ln) {
  acronym_ctx *c = vctx;
  char term[TL_INDEX_TERM_MAX + 1];
  size_t k, n = (size_t)snprintf(term, sizeof term, "%s", TL_PREFIX_ACRONYM);
  if (n + an + 1 >= sizeof term)
    return 0;
  for (k = 0; k < an; k++)
    term[n++] = (char)(acr[k] >= 'A' && acr[k] <= 'Z' ? acr[k] - 'A' + 'a' : acr[k]);
  term[n++] = ':';
  k = tl_acronym_normalize(lng, ln, term + n, sizeof term - n);
  if (k == 0 || n + k >= sizeof term)
    return 0;
  return tl_doc_add_term(c->doc, term, n + k, 0, c->err) != TL_OK;
}

/* Appends the term of field name with value (folded here) to ix->fterms. */
static int add_field_term(tl_analysis *ix, const char *name, const char *value, tl_error *err) {
  char term[TL_INDEX_TERM_MAX + 1], *folded;
  size_t flen, n = strlen(value);
  int rc;
  if (n > TL_INDEX_TERM_MAX)
    return TL_OK; /* a text, not a keyword */
  if ((rc = tl_fold(value, n, &folded, &flen, err)) != TL_OK)
    return rc;
  n = tl_field_term(name, folded, flen, term);
  free(folded);
  if (!n)
    return TL_OK; /* too long for a term: not a keyword */
  if (ix->fterms_len + n + 1 > ix->fterms_cap) {
    size_t cap = (ix->fterms_len + n + 1) * 2;
    char *nb = realloc(ix->fterms, cap);
    if (!nb)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    ix->fterms = nb;
    ix->fterms_cap = cap;
  }
  memcpy(ix->fterms + ix->fterms_len, term, n + 1);
  ix->fterms_len += n + 1;
  return TL_OK;
}

/* Appends name NUL value NUL to the facet values (TL_SLOT_FIELDS). */
static int add_field_value(tl_analysis *ix, const char *name, const char *value, tl_error *err) {
  if (strlen(value) > TL_INDEX_TERM_MAX)
    return TL_OK; /* a text, not a keyword */
  if (tl_buf_append(&ix->fvalues, name, strlen(name) + 1) != TL_OK ||
      tl_buf_append(&ix->fvalues, value, strlen(value) + 1) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  return TL_OK;
}

/* The article's field terms and facet values (schema.h: its key, then
 * the fields) and its date as text; ix->key is set. */
static int prepare_fields(tl_analysis *ix, const tl_article *a, tl_error *err) {
  size_t i;
  int rc;
  ix->fterms_len = 0;
  tl_buf_reset(&ix->fvalues);
  if (tl_buf_append(&ix->fvalues, ix->key, sizeof ix->key) != TL_OK)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  ix->date[0] = '\0';
  for (i = 0; i < a->nfields; i++) {
    const char *name = a->fields[i].name;
    if (strcmp(name, TL_FIELD_DATE) == 0 || strcmp(name, "url") == 0)
      continue;
    if ((rc = add_field_term(ix, name, a->fields[i].value, err)) != TL_OK)
      return rc;
    /* year and month facets are the date's */
    if (strcmp(name, TL_FIELD_YEAR) != 0 && strcmp(name, TL_FIELD_MONTH) != 0 &&
        (rc = add_field_value(ix, name, a->fields[i].value, err)) != TL_OK)
      return rc;
  }
  if (a->has_time && tl_date_format(&a->time, ix->date, sizeof ix->date) >= 7) {
    char ym[8];
    memcpy(ym, ix->date, 7);
    ym[7] = '\0';
    if ((rc = add_field_term(ix, TL_FIELD_MONTH, ym, err)) != TL_OK ||
        (rc = add_field_value(ix, TL_FIELD_MONTH, ym, err)) != TL_OK)
      return rc;
    ym[4] = '\0';
    if ((rc = add_field_term(ix, TL_FIELD_YEAR, ym, err)) != TL_OK ||
        (rc = add_field_value(ix, TL_FIELD_YEAR, ym, err)) != TL_OK)
      return rc;
  }
  return TL_OK;
}

int tl_index_prepare_begin(tl_analysis *ix, const tl_article *a, size_t *npassages, tl_error *err) {
  int rc;
  {
    uint64_t k = XXH3_64bits(a->id, strlen(a->id));
    for (int b = 0; b < 8; b++)
      ix->key[b] = (char)(unsigned char)(k >> (56 - 8 * b));
  }
  if ((rc = prepare_fields(ix, a, err)) != TL_OK)
    return rc;
  ix->next = 0;
  ix->passages.count = 0;
  if ((rc = tl_passages_split(a->text, a->text_len, &ix->passages, err)) != TL_OK) {
    ix->passages.count = 0;
    return rc;
  }
  ix->paragraphs = count_paragraphs(a, &ix->passages);
  ix->glen = ix->file   ? tl_file_term(ix->file, ix->gterm)
             : *a->path ? tl_file_term(a->path, ix->gterm)
                        : 0;
  ix->qlen = tl_index_article_term(a->id, ix->qterm);
  tl_hash_hex(tl_article_hash(a), ix->hash);
  if (npassages)
    *npassages = ix->passages.count;
  return TL_OK;
}

/* The passages of the chunk that starts at passage `from`: up to
 * max_passages (0: no limit) and about max_bytes of text (0: no limit; at
 * least one passage), their text bytes into *bytes. */
static size_t chunk_size(const tl_analysis *ix, size_t from, size_t max_passages, size_t max_bytes,
                         size_t *bytes) {
  size_t n;
  *bytes = 0;
  if (!max_passages)
    max_passages = (size_t)-1;
  for (n = 0; from + n < ix->passages.count && n < max_passages; n++) {
    const tl_passage *p = &ix->passages.items[from + n];
    if (n && max_bytes && *bytes + (p->end - p->start) > max_bytes)
      break;
    *bytes += p->end - p->start;
  }
  return n;
}

size_t tl_index_chunk_count(const tl_analysis *ix, size_t max_passages, size_t max_bytes) {
  size_t from = 0, chunks = 0, bytes;
  while (from < ix->passages.count) {
    from += chunk_size(ix, from, max_passages, max_bytes, &bytes);
    chunks++;
  }
  return chunks;
}

int tl_index_prepare_next(tl_analysis *ix, const tl_article *a, size_t max_passages,
                          size_t max_bytes, tl_prepared **out, tl_error *err) {
  tl_prepared *pr;
  size_t i, n, bytes;
  int rc;
  *out = NULL;
  if (ix->next >= ix->passages.count && (ix->next > 0 || ix->passages.count > 0))
    return TL_DONE;
  n = chunk_size(ix, ix->next, max_passages, max_bytes, &bytes);
  if (!(pr = calloc(1, sizeof *pr)))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  memcpy(pr->qterm, ix->qterm, ix->qlen + 1);
  pr->qlen = ix->qlen;
  pr->first = ix->next;
  pr->total = ix->passages.count;
  pr->bytes = bytes;
  pr->passages = n;
  if (n && !(pr->docs = calloc(1, sizeof *pr->docs))) { /* NOLINT(bugprone-sizeof-expression) */
    free(pr);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (n) {
    doc_ctx c;
    memset(&c, 0, sizeof c);
    c.ix = ix;
    c.prefix = TL_PREFIX_TITLE;
    c.err = err;
    unsigned pos = 1, title_terms;
    unsigned long total = 0;
    tl_buf_reset(&ix->data);
    tl_buf_reset(&ix->table);
    if ((rc = tl_doc_create(&ix->doc, err)) != TL_OK)
      goto fail;
    pr->docs[pr->count++] = ix->doc;
    if ((rc = set_record(ix, a, NULL, err)) != TL_OK)
      goto fail;
    /* the title once, in positions of its own (another prefix: no phrase
     * runs into the text); it counts in every passage's length */
    rc = tl_analyzer_run(ix->analyzer, a->title, strlen(a->title), 1, on_term, &c, NULL, err);
    if (rc != TL_OK) {
      rc = err->code ? err->code : TL_ERR_XAPIAN;
      goto fail;
    }
    title_terms = c.terms;
    c.prefix = "";
    c.word_len = 0;
    for (i = ix->next; i < ix->next + n; i++) {
      const tl_passage *p = &ix->passages.items[i];
      unsigned first = pos;
      c.terms = 0;
      if (p->heading_end > p->heading_start) {
        rc = tl_analyzer_run(ix->analyzer, a->text + p->heading_start,
                             p->heading_end - p->heading_start, pos, on_term, &c, &pos, err);
        if (rc != TL_OK) {
          rc = err->code ? err->code : TL_ERR_XAPIAN;
          goto fail;
        }
        pos += TL_HEADING_GAP;
      }
      rc = tl_analyzer_run(ix->analyzer, a->text + p->start, p->end - p->start, pos, on_term, &c,
                           &pos, err);
      if (rc != TL_OK) {
        rc = err->code ? err->code : TL_ERR_XAPIAN;
        goto fail;
      }
      {
        acronym_ctx ac = {ix->doc, err};
        if (tl_acronym_scan(a->text + p->start, p->end - p->start, is_word, ix->analyzer,
                            on_acronym, &ac)) {
          rc = err->code;
          goto fail;
        }
      }
      if ((rc = put_u32(&ix->table, first, err)) != TL_OK ||
          (rc = put_u32(&ix->table, pos, err)) != TL_OK ||
          (rc = put_u32(&ix->table, c.terms + title_terms, err)) != TL_OK ||
          (rc = set_record(ix, a, p, err)) != TL_OK)
        goto fail;
      total += c.terms + title_terms;
      pos += TL_PASSAGE_GAP;
    }
    if ((rc = tl_doc_add_term(ix->doc, pr->qterm, pr->qlen, 0, err)) != TL_OK ||
        (ix->glen && (rc = tl_doc_add_term(ix->doc, ix->gterm, ix->glen, 0, err)) != TL_OK) ||
        (rc = tl_doc_add_term(ix->doc, TL_TERM_PASSAGES, strlen(TL_TERM_PASSAGES), (unsigned)n,
                              err)) != TL_OK ||
        (rc = tl_doc_add_term(ix->doc, TL_TERM_LENGTH, strlen(TL_TERM_LENGTH), (unsigned)total,
                              err)) != TL_OK)
      goto fail;
    for (size_t k = 0; k < ix->fterms_len; k += strlen(ix->fterms + k) + 1)
      if ((rc = tl_doc_add_term(ix->doc, ix->fterms + k, strlen(ix->fterms + k), 0, err)) != TL_OK)
        goto fail;
    /* the article's id on every chunk (the collapse key), its date for
     * sorting and ranges, its fields for facets; its hash and file only on
     * its first chunk: it is read per article */
    if ((rc = tl_doc_set_value(ix->doc, TL_SLOT_ARTICLE_ID, a->id, strlen(a->id), err)) != TL_OK ||
        (rc = tl_doc_set_value(ix->doc, TL_SLOT_ARTICLE_KEY, ix->key, 8, err)) != TL_OK ||
        (a->has_time && (rc = tl_doc_set_sortable(ix->doc, TL_SLOT_DATE, (double)a->time.seconds,
                                                  err)) != TL_OK) ||
        (rc = tl_doc_set_value(ix->doc, TL_SLOT_FIELDS, ix->fvalues.data, ix->fvalues.len, err)) !=
            TL_OK ||
        (rc = tl_doc_set_value(ix->doc, TL_SLOT_PASSAGES, ix->table.data, ix->table.len, err)) !=
            TL_OK ||
        (ix->next == 0 &&
         (rc = tl_doc_set_value(ix->doc, TL_SLOT_ARTICLE_HASH, ix->hash, 16, err)) != TL_OK) ||
        (ix->next == 0 && ix->file &&
         (rc = tl_doc_set_value(ix->doc, TL_SLOT_FILE, ix->file, strlen(ix->file), err)) !=
             TL_OK) ||
        (rc = tl_doc_set_records(ix->doc, ix->data.data, ix->data.len, err)) != TL_OK)
      goto fail;
  }
  ix->next += n;
  if (!ix->passages.count)
    ix->next = 1; /* an article without passages: one empty chunk, then TL_DONE */
  ix->doc = NULL;
  *out = pr;
  return TL_OK;
fail:
  ix->doc = NULL;
  tl_prepared_free(pr);
  return rc;
}

int tl_index_prepare(tl_analysis *ix, const tl_article *a, tl_prepared **out, tl_error *err) {
  int rc;
  *out = NULL;
  if ((rc = tl_index_prepare_begin(ix, a, NULL, err)) != TL_OK)
    return rc;
  return tl_index_prepare_next(ix, a, 0, 0, out, err);
}

int tl_index_put(tl_index *ix, const tl_prepared *p, int *existed, tl_error *err) {
  size_t i;
  int rc;
  if (existed)
    *existed = 0;
  if (existed && p->first == 0) {
    unsigned long n = 0;
    if ((rc = tl_store_term_count(ix->store, p->qterm, p->qlen, &n, err)) != TL_OK)
      return rc;
    *existed = n > 0;
  }
  if (p->first == 0 && (rc = tl_store_delete_term(ix->store, p->qterm, p->qlen, err)) != TL_OK)
    return rc;
  for (i = 0; i < p->count; i++)
    if ((rc = tl_store_add(ix->store, p->docs[i], err)) != TL_OK)
      return rc;
  return TL_OK;
}

int tl_index_add(tl_index *ix, const tl_article *a, size_t *npassages, tl_error *err) {
  tl_prepared *p;
  int rc;
  if (npassages)
    *npassages = 0;
  if (!ix->an) {
    char *stale = NULL;
    if ((rc = tl_analysis_create(ix->stemmer, ix->data_dir, &ix->an, err)) != TL_OK)
      return rc;
    if (!ix->an)
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    /* a new index records its analysis (an update notes another one:
     * tl_update_open) */
    rc = tl_schema_check_analysis(ix->store, "", tl_analyzer_fingerprint(ix->an->analyzer), 1,
                                  &stale, err);
    free(stale);
    if (rc != TL_OK)
      return rc;
  }
  if ((rc = tl_index_prepare(ix->an, a, &p, err)) != TL_OK)
    return rc;
  if (!p)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  rc = tl_index_put(ix, p, NULL, err);
  if (rc == TL_OK && npassages)
    *npassages = p->passages;
  tl_prepared_free(p);
  return rc;
}

int tl_index_commit(tl_index *ix, tl_error *err) {
  int rc = tl_store_commit(ix->store, err);
  if (rc == TL_OK)
    rc = tl_store_begin(ix->store, err);
  return rc;
}

unsigned long tl_index_passage_count(const tl_index *ix) {
  return tl_store_passage_count(ix->store);
}

const char *tl_index_stemmer(const tl_index *ix) {
  return ix->stemmer;
}

tl_store *tl_index_store(tl_index *ix) {
  return ix->store;
}

void tl_index_close(tl_index *ix) {
  if (!ix)
    return;
  tl_store_close(ix->store);
  tl_analysis_free(ix->an);
  free(ix->stemmer);
  free(ix->data_dir);
  free(ix);
}

tl_status tl_index_read_stemmer(const char *path, char *buf, size_t size, tl_error *err) {
  tl_store *s;
  char *name = NULL;
  int rc;
  if ((rc = tl_store_open(path, TL_STORE_READ, &s, err)) != TL_OK)
    return rc;
  rc = tl_store_get_metadata(s, TL_META_STEMMER, &name, err);
  tl_store_close(s);
  if (rc != TL_OK)
    return rc;
  if (strlen(name) >= size)
    rc = tl_error_set(err, TL_ERR_LIMIT, "%s: stemmer name too long", path);
  else
    memcpy(buf, name, strlen(name) + 1);
  free(name);
  return rc;
}
