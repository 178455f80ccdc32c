/* schema.c - the passage record and the layout version of an index. */
#include "index/schema.h"

#include "telusur/analysis.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The layout of the indexes written before TL_META_SCHEMA was. */
#define UNKEYED_VERSION 1

/* The longest terms: a title word's stem, and the hashed id term. */
_Static_assert(sizeof TL_PREFIX_STEM TL_PREFIX_TITLE - 1 + TL_TERM_MAX <= TL_INDEX_TERM_MAX,
               "a prefixed term over Xapian's limit");
_Static_assert(sizeof TL_PREFIX_ID - 1 + TL_ID_TERM_MAX <= TL_INDEX_TERM_MAX,
               "an id term over Xapian's limit");

static int add(json_object *o, const char *key, json_object *v) {
  if (!v)
    return -1;
  if (json_object_object_add(o, key, v) != 0) {
    json_object_put(v);
    return -1;
  }
  return 0;
}

static const char *or_empty(const char *s) {
  return s ? s : "";
}

/* Whether a field is kept in the record's own members. */
static int own_field(const char *name) {
  return strcmp(name, "date") == 0 || strcmp(name, "url") == 0 || strcmp(name, "source") == 0;
}

/* The "fields" object: a string per name, an array for a name given
 * several times; nothing when there are no fields. */
static int add_fields(json_object *o, const tl_field *f, size_t n) {
  json_object *fo = NULL, *v;
  size_t i;
  for (i = 0; i < n; i++) {
    json_object *s;
    if (own_field(f[i].name) || strlen(f[i].value) > TL_INDEX_TERM_MAX)
      continue;
    if (!fo && (!(fo = json_object_new_object()) || add(o, "fields", fo) != 0))
      return -1;
    if (!(s = json_object_new_string(f[i].value)))
      return -1;
    if (!json_object_object_get_ex(fo, f[i].name, &v)) {
      if (add(fo, f[i].name, s) != 0)
        return -1;
      continue;
    }
    if (!json_object_is_type(v, json_type_array)) {
      json_object *a = json_object_new_array();
      if (!a || json_object_array_add(a, json_object_get(v)) != 0 || add(fo, f[i].name, a) != 0) {
        json_object_put(s);
        return -1;
      }
      v = a;
    }
    if (json_object_array_add(v, s) != 0) {
      json_object_put(s);
      return -1;
    }
  }
  return 0;
}

size_t tl_field_term(const char *name, const char *folded, size_t flen, char *buf) {
  size_t p = sizeof TL_PREFIX_FIELD - 1, n = strlen(name), i;
  if (p + n + 1 + flen > TL_INDEX_TERM_MAX) {
    buf[0] = '\0';
    return 0;
  }
  memcpy(buf, TL_PREFIX_FIELD, p);
  for (i = 0; i < n; i++)
    buf[p + i] = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 'a' + 'A') : name[i];
  buf[p + n] = ':';
  memcpy(buf + p + n + 1, folded, flen);
  buf[p + n + 1 + flen] = '\0';
  return p + n + 1 + flen;
}

int tl_record_encode(const tl_passage_record *r, unsigned parts, char **buf, size_t *cap,
                     size_t *len, tl_error *err) {
  const char *id = or_empty(r->article_id), *s;
  json_object *o;
  size_t n;
  int bad = 0;
  *len = 0;
  if (!(parts & TL_RECORD_WHOLE))
    return tl_error_set(err, TL_ERR_USAGE, "a record of no part");
  if (r->heading_len > INT_MAX || r->text_len > INT_MAX)
    return tl_error_set(err, TL_ERR_LIMIT, "passage of %zu bytes: too large for its record",
                        r->text_len > r->heading_len ? r->text_len : r->heading_len);
  if (!(o = json_object_new_object()))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  if (parts & TL_RECORD_PASSAGE) {
    bad |= add(o, "passage", json_object_new_int64((int64_t)r->passage));
    if (r->heading && r->heading_len > 0)
      bad |= add(o, "heading", json_object_new_string_len(r->heading, (int)r->heading_len));
    bad |= add(o, "text", json_object_new_string_len(r->text ? r->text : "", (int)r->text_len));
    bad |= add(o, "start", json_object_new_int64((int64_t)r->start));
  }
  if (parts & TL_RECORD_ARTICLE) {
    bad |= add(o, "article_id", json_object_new_string(id));
    if (r->title && *r->title)
      bad |= add(o, "title", json_object_new_string(r->title));
    if (r->paragraphs > 1)
      bad |= add(o, "paragraphs", json_object_new_int64((int64_t)r->paragraphs));
    if (r->path && strcmp(r->path, id) != 0)
      bad |= add(o, "path", json_object_new_string(r->path));
    if (r->date && *r->date)
      bad |= add(o, "date", json_object_new_string(r->date));
    if (r->url && *r->url)
      bad |= add(o, "url", json_object_new_string(r->url));
    if (r->source && *r->source)
      bad |= add(o, "source", json_object_new_string(r->source));
    if (!bad)
      bad |= add_fields(o, r->fields, r->nfields);
  }
  s = bad ? NULL
          : json_object_to_json_string_length(
                o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
  if (s && n + 1 > *cap) {
    char *nb = realloc(*buf, n + 1);
    if (nb) {
      *buf = nb;
      *cap = n + 1;
    } else
      s = NULL;
  }
  if (!s) {
    json_object_put(o);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  memcpy(*buf, s, n + 1);
  *len = n;
  json_object_put(o);
  return TL_OK;
}

size_t tl_record_join(const char *passage, size_t plen, const char *article, size_t alen,
                      char *out) {
  if (plen < 3 || alen < 3 || passage[0] != '{' || passage[plen - 1] != '}' || article[0] != '{' ||
      article[alen - 1] != '}')
    return 0;
  memcpy(out, passage, plen - 1);
  out[plen - 1] = ',';
  memcpy(out + plen, article + 1, alen - 1);
  return plen + alen - 1;
}

/* A field as a string ("" when absent or null) and its length in bytes. */
static const char *field_str(json_object *o, const char *key, size_t *len) {
  json_object *v;
  const char *s;
  if (!json_object_object_get_ex(o, key, &v) || !v) {
    if (len)
      *len = 0;
    return "";
  }
  if (!(s = json_object_get_string(v)))
    s = "";
  if (len)
    *len = json_object_is_type(v, json_type_string) ? (size_t)json_object_get_string_len(v)
                                                    : strlen(s);
  return s;
}

/* A field as an integer (def when absent or null). */
static int64_t field_int(json_object *o, const char *key, int64_t def) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return def;
  return json_object_get_int64(v);
}

int tl_record_decode(const char *data, size_t len, tl_passage_record *out, tl_error *err) {
  json_tokener *tok;
  json_object *o;
  enum json_tokener_error jerr;
  memset(out, 0, sizeof *out);
  if (len > INT_MAX)
    return tl_error_set(err, TL_ERR_FORMAT, "passage record of %zu bytes: too large", len);
  if (!(tok = json_tokener_new()))
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  o = json_tokener_parse_ex(tok, data, (int)len);
  jerr = json_tokener_get_error(tok);
  if (!o && jerr == json_tokener_continue) /* ended early: no closing brace */
    jerr = json_tokener_error_parse_eof;
  json_tokener_free(tok);
  if (!o || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    return tl_error_set(err, TL_ERR_FORMAT, "unreadable passage record: %s",
                        o && jerr == json_tokener_success ? "not a JSON object"
                                                          : json_tokener_error_desc(jerr));
  }
  out->owner = o;
  out->article_id = field_str(o, "article_id", NULL);
  out->title = field_str(o, "title", NULL);
  out->passage = (unsigned long)field_int(o, "passage", 0);
  out->paragraphs = (unsigned long)field_int(o, "paragraphs", 1);
  out->heading = field_str(o, "heading", &out->heading_len);
  out->text = field_str(o, "text", &out->text_len);
  out->start = (unsigned long long)field_int(o, "start", 0);
  out->path =
      json_object_object_get_ex(o, "path", NULL) ? field_str(o, "path", NULL) : out->article_id;
  out->date = field_str(o, "date", NULL);
  out->url = field_str(o, "url", NULL);
  out->source = field_str(o, "source", NULL);
  {
    json_object *f;
    out->fields_json = json_object_object_get_ex(o, "fields", &f) && f
                           ? json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE)
                           : "";
  }
  return TL_OK;
}

void tl_record_release(tl_passage_record *r) {
  if (!r)
    return;
  if (r->owner)
    json_object_put(r->owner);
  memset(r, 0, sizeof *r);
}

/* Appends p to b as one word of a POSIX shell: as it is when it holds only
 * letters, digits and _./:@%+=,-, else in single quotes (a quote in it as
 * '\''), so that a command pasted from a message touches that path only. */
static int shell_word(tl_buf *b, const char *p) {
  int rc = TL_OK;
  if (*p && strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:@%+=,-") ==
                strlen(p))
    return tl_buf_append_str(b, p);
  rc = tl_buf_append_str(b, "'");
  for (; *p && rc == TL_OK; p++)
    rc = *p == '\'' ? tl_buf_append_str(b, "'\\''") : tl_buf_append(b, p, 1);
  return rc == TL_OK ? tl_buf_append_str(b, "'") : rc;
}

/* The databases a stub database at stub lists ("auto NAME", NAME relative
 * to the stub's folder), as shell words after a space each, into b; their
 * number into *n. Returns 0 when it cannot be read or lists a remote
 * shard (removed where it is served, not here); *has is set when one of
 * them is path. */
static int stub_shards(const char *stub, const char *path, tl_buf *b, size_t *n, int *has) {
  char line[4200], full[8400];
  const char *slash = strrchr(stub, '/');
  int dir = slash ? (int)(slash - stub) : -1, ok = 1;
  FILE *f = fopen(stub, "r");
  *n = 0;
  *has = 0;
  if (!f)
    return 0;
  while (ok && fgets(line, sizeof line, f)) {
    size_t k = strcspn(line, "\r\n");
    line[k] = '\0';
    if (k == 0 || line[0] == '#')
      continue;
    if (strncmp(line, "auto ", 5) != 0) {
      ok = 0;
      break;
    }
    if (line[5] == '/' || dir < 0)
      snprintf(full, sizeof full, "%s", line + 5);
    else
      snprintf(full, sizeof full, "%.*s/%s", dir, stub, line + 5);
    *has |= strcmp(full, path) == 0;
    ok = tl_buf_append_str(b, " ") == TL_OK && shell_word(b, full) == TL_OK;
    (*n)++;
  }
  fclose(f);
  return ok && *n > 0;
}

/* Whether the shards of the stub open in s are the n that telusur-index
 * --shards=n wrote, which each record n (TL_META_SHARDS). */
static int made_by_shards(tl_store *s, size_t n) {
  char *v = NULL, *d = NULL, want[24];
  tl_error e;
  int made;
  snprintf(want, sizeof want, "%zu", n);
  made = tl_store_get_metadata(s, TL_META_SHARDS, &v, &e) == TL_OK && strcmp(v, want) == 0 &&
         tl_store_shards_differ(s, TL_META_SHARDS, "", &d, &e) == TL_OK && !d;
  free(v);
  free(d);
  return made;
}

/* The way to rebuild the index at path (open in s), into b: the commands
 * that remove it and index again, with its stemmer. A stub database (a
 * file) that --shards wrote is removed with the shards it lists and built
 * again with as many (another stub: its shards are to be rebuilt one by
 * one); a shard that its stub lists is rebuilt through the stub. */
static int rebuild_command(tl_store *s, const char *path, tl_buf *b) {
  struct stat sb;
  char stub[4096], *stemmer = NULL, opt[128] = "";
  const char *dot = strrchr(path, '.');
  size_t n = dot ? (size_t)(dot - path) : 0, nshards = 0;
  tl_buf shards = TL_BUF_INIT;
  tl_error e;
  int has = 0, sharded = 0;
  const char *p;
  for (p = path; *p && (unsigned char)*p >= 0x20 && *p != 0x7f; p++)
    ;
  if (*p) /* no command to paste on one line */
    return tl_buf_append_str(b, "remove it and index its files again into a new index");
  if (tl_store_get_metadata(s, TL_META_STEMMER, &stemmer, &e) == TL_OK && stemmer && *stemmer &&
      strcmp(stemmer, "indonesian") != 0)
    snprintf(opt, sizeof opt, " --stemmer=%.100s", stemmer);
  free(stemmer);
  if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
    snprintf(stub, sizeof stub, "%s", path);
    sharded = stub_shards(stub, path, &shards, &nshards, &has) && made_by_shards(s, nshards);
    if (!sharded) { /* remote shards, a stub not to be read here, or one
                     * written by hand, whose shards may be other indexes' */
      tl_buf_free(&shards);
      return tl_buf_append_str(b, "index each of its shards again, then list them in a new stub");
    }
  } else if (dot && strncmp(dot, ".shard", 6) == 0 && dot[6] &&
             strspn(dot + 6, "0123456789") == strlen(dot + 6) && n < sizeof stub) {
    memcpy(stub, path, n);
    stub[n] = '\0';
    sharded = stat(stub, &sb) == 0 && S_ISREG(sb.st_mode) &&
              stub_shards(stub, path, &shards, &nshards, &has) && has && made_by_shards(s, nshards);
  }
  {
    const char *target = sharded ? stub : path;
    int failed = tl_buf_append_str(b, "rm -r ") | shell_word(b, target);
    failed |= sharded ? tl_buf_append(b, shards.data, shards.len) : TL_OK;
    failed |= tl_buf_append_str(b, " && telusur-index -d ") | shell_word(b, target);
    failed |= sharded ? tl_buf_printf(b, " --shards=%zu", nshards) : TL_OK;
    failed |= tl_buf_printf(b, "%s PATH...", opt);
    tl_buf_free(&shards);
    return failed ? TL_ERR_NOMEM : TL_OK;
  }
}

/* The refusal of an older index, with the command line that rebuilds it. */
static int older(tl_store *s, const char *path, long version, tl_error *err) {
  tl_buf cmd = TL_BUF_INIT;
  int rc;
  if (rebuild_command(s, path, &cmd) != TL_OK || tl_buf_append(&cmd, "", 1) != TL_OK) {
    tl_buf_free(&cmd);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  if (strlen(path) + cmd.len + 80 >= TL_ERROR_MSG_MAX) { /* a command cut short is no command */
    tl_buf_reset(&cmd);
    if (tl_buf_append_str(&cmd, "remove it and index its files again into a new index") != TL_OK ||
        tl_buf_append(&cmd, "", 1) != TL_OK) {
      tl_buf_free(&cmd);
      return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
  }
  rc = tl_error_set(err, TL_ERR_SCHEMA,
                    "%s: index schema %ld is older than this telusur's %d; rebuild it: %s", path,
                    version, TL_SCHEMA_VERSION, cmd.data);
  tl_buf_free(&cmd);
  return rc;
}

int tl_schema_check(tl_store *s, const char *path, int *keyed, tl_error *err) {
  char *v = NULL, *end;
  long version;
  int rc;
  if (keyed)
    *keyed = 0;
  if ((rc = tl_store_get_metadata(s, TL_META_SCHEMA, &v, err)) != TL_OK)
    return rc;
  if (!*v) {
    /* no key: a new index, or one written before the key was */
    free(v);
    version = TL_SCHEMA_VERSION;
    if (tl_store_doc_count(s) > 0)
      version = UNKEYED_VERSION;
  } else {
    errno = 0;
    version = strtol(v, &end, 10);
    if (errno || end == v || *end || !(isdigit((unsigned char)*v) || *v == '-')) {
      rc = tl_error_set(err, TL_ERR_FORMAT, "%s: unreadable index schema version '%s'", path, v);
      free(v);
      return rc;
    }
    free(v);
    if (keyed)
      *keyed = 1;
  }
  if (version > TL_SCHEMA_VERSION)
    return tl_error_set(err, TL_ERR_SCHEMA,
                        "%s: index schema %ld is newer than this telusur's %d: the index was "
                        "built by a newer telusur",
                        path, version, TL_SCHEMA_VERSION);
  if (version < TL_SCHEMA_VERSION)
    return older(s, path, version, err);
  return TL_OK;
}

int tl_schema_check_analysis(tl_store *s, const char *path, const char *fingerprint, int record,
                             char **stale, tl_error *err) {
  char *v = NULL;
  tl_buf b = TL_BUF_INIT;
  int rc;
  *stale = NULL;
  if ((rc = tl_store_get_metadata(s, TL_META_ANALYSIS, &v, err)) != TL_OK)
    return rc;
  if (tl_store_doc_count(s) == 0 || strcmp(v, fingerprint) == 0) {
    /* the same analysis, or an index with nothing in it yet: what is
     * indexed next is of this analysis */
    if (record && strcmp(v, fingerprint) != 0)
      rc = tl_store_set_metadata(s, TL_META_ANALYSIS, fingerprint, err);
    free(v);
    return rc;
  }
  rc = tl_buf_printf(&b,
                     "%s: the index was built by another analysis of words (%s) than this "
                     "telusur's (%s): the words whose terms changed are not found in what it held "
                     "before; rebuild it: ",
                     path, *v ? v : "not recorded", fingerprint);
  free(v);
  if (rc != TL_OK || rebuild_command(s, path, &b) != TL_OK || !(*stale = tl_buf_take(&b, NULL))) {
    tl_buf_free(&b);
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  return TL_OK;
}

int tl_schema_write(tl_store *s, tl_error *err) {
  char v[24];
  snprintf(v, sizeof v, "%d", TL_SCHEMA_VERSION);
  return tl_store_set_metadata(s, TL_META_SCHEMA, v, err);
}
