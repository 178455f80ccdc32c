/*
 * schema.h - the layout of a telusur index: what every Xapian document
 * holds, and the database's metadata. The one place that names a prefix, a
 * value slot, a metadata key or a field of the passage record.
 *
 * An article's passages are kept together: one Xapian document holds a
 * chunk of up to 64 consecutive passages (and about 16 KiB of text) of one
 * article, most articles in one document. A document has
 *  - terms (prefixes follow Xapian omega's conventions: a capital letter,
 *    so that no prefixed term is mistaken for a lowercase word form):
 *    - each passage's heading's and text's word forms (NFKC case folded,
 *      diacritics left out since version 7: nino for Niño), unprefixed, with
 *      positions (1-based: a passage's heading first, then a gap of
 *      TL_HEADING_GAP, then its text; the next passage starts
 *      TL_PASSAGE_GAP positions after the
 *      last word of the one before, so that no phrase or NEAR crosses
 *      two; TL_SLOT_PASSAGES tells where each passage's words are);
 *    - TL_PREFIX_STEM + stem of each word, at the word's position (omega's
 *      "Z"; the positions tell a stem's passage), only where the stem
 *      differs from the word form (since version 6): a stem s is searched
 *      as its stem term and its word form s together (Xapian's OP_SYNONYM:
 *      three in four stems of news text are their word's own form);
 *    - the article title's word forms as TL_PREFIX_TITLE + word with
 *      positions of their own (from 1), and their stems as TL_PREFIX_STEM
 *      TL_PREFIX_TITLE + stem where they differ from the word (omega's
 *      "S", subject; searchable as title:), once per document: a field of
 *      each of its passages;
 *    - TL_PREFIX_ID + article id, or TL_PREFIX_ID "#" + a 64-bit FNV-1a hash
 *      of the id in hex when the id is over TL_ID_TERM_MAX bytes (omega's
 *      "Q", unique id), so that re-indexing an article replaces all its
 *      documents;
 *    - TL_PREFIX_FILE + the hex XXH3-64 of the path of the file the article
 *      came from (manifest.h), when it came from a file;
 *    - for each acronym defined in a passage's text ("Badan Pusat Statistik
 *      (BPS)", text/acronym.h), a boolean term TL_PREFIX_ACRONYM + the short
 *      form in lower case + ":" + the long form normalized
 *      (tl_acronym_normalize): the collection's acronym table is the terms
 *      of this prefix, which follow deletions and shards;
 *    - for each keyword field of the article (tl_article.fields) but date
 *      and url, a boolean term (tl_field_term): TL_PREFIX_FIELD + the
 *      field's name in capitals + ":" + its value case-folded (text/fold.h),
 *      left out when over TL_INDEX_TERM_MAX bytes (a value over that
 *      is a text, not a keyword: neither a term nor in the record); with a date, the same
 *      for the derived fields TL_FIELD_YEAR ("2025") and TL_FIELD_MONTH
 *      ("2025-10"), in UTC (omega's "X" prefixes, user-defined fields);
 *    - TL_TERM_PASSAGES and TL_TERM_LENGTH, whose frequencies in the
 *      document are its number of passages and their summed length;
 *    no term is longer than TL_INDEX_TERM_MAX bytes (word forms and stems
 *    are at most TL_TERM_MAX bytes, analysis.h);
 *  - values: TL_SLOT_PASSAGES its passage table; TL_SLOT_ARTICLE_ID the
 *    article id (the key results are collapsed on, one article at a time)
 *    and, when the article has a date, TL_SLOT_DATE its seconds since the
 *    epoch, UTC, as Xapian::sortable_serialise writes them,
 *    TL_SLOT_ARTICLE_KEY a hash of its id and TL_SLOT_FIELDS its keyword
 *    fields with their values as in the source (to count matches per
 *    article and facets without reading records); only on the article's
 *    first document TL_SLOT_ARTICLE_HASH the article's content hash (16 hex
 *    digits, manifest.h) and TL_SLOT_FILE the canonical path of the file
 *    it was read from; slot 0 is unused;
 *  - value TL_SLOT_RECORDS: records, each a 32-bit length (least significant
 *    byte first) and the record, a JSON object (tl_passage_record below):
 *    first the article's part of its passages' records
 *    (TL_RECORD_ARTICLE), once per document since version 8, then each
 *    passage's own part (TL_RECORD_PASSAGE), in order; a passage's record
 *    is the two joined (tl_record_join). Since version 9 stored
 *    compressed, since version 10 in this value slot, not the document's
 *    data (left empty), since version 11 as one Zstandard frame (RFC 8878,
 *    with the records' size in its header).
 * The database's metadata: TL_META_SCHEMA (the layout's version),
 * TL_META_STEMMER (the stemmer, so that queries analyze their words the
 * same way), TL_META_ANALYSIS (what else decides the terms: the analysis
 * code's version and its lexicon, tl_analyzer_fingerprint), TL_META_UPDATED (time of the last
 * update) and one key TL_META_FILE_PREFIX + path per file indexed (manifest.h), and one key
 * TL_META_HOLD_PREFIX + id term per article id that several files hold. A stub database
 * (shards) reads its metadata from its first shard that holds documents; a
 * searcher checks that the others agree on the layout and the stemmer, and
 * warns when their analysis differs (tl_store_shards_differ).
 */
#ifndef TELUSUR_SCHEMA_H
#define TELUSUR_SCHEMA_H

#include "telusur/error.h"
#include "text/reader.h"
#include "xapian/store.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Version of the layout described above. Indexes written before the
 * version was recorded have no TL_META_SCHEMA key and this same layout
 * (version 1). Any change to the layout (a prefix, a slot, the record)
 * bumps it, so that older indexes are refused with the way to rebuild them
 * instead of giving wrong results. A change to the analysis of words (a
 * stem, a name kept whole) is told by TL_META_ANALYSIS instead: such an
 * index still answers, with a warning (tl_schema_check_analysis).
 */
#define TL_SCHEMA_VERSION 11

/* ---- term prefixes (strings; PREFIX[0] is the letter) ---- */

/** Stems, at their words' positions (omega: stemmed term). */
#define TL_PREFIX_STEM "Z"
/** Words of the article's title (omega: subject). */
#define TL_PREFIX_TITLE "S"
/** The article's id, on each of its documents (omega: unique id). */
#define TL_PREFIX_ID "Q"
/** The hash of the path of the file the article came from. */
#define TL_PREFIX_FILE "G"
/** Prefix of an acronym definition found in a passage's text (see the
 * layout above). */
#define TL_PREFIX_ACRONYM "K"
/** The field name of title terms in queries (title:word). */
#define TL_FIELD_TITLE "title"
/** Keyword fields: "X" + the name in capitals + ":" + the folded value. */
#define TL_PREFIX_FIELD "X"
/** The derived field of an article's year ("2025"), UTC. */
#define TL_FIELD_YEAR "year"
/** The derived field of an article's month ("2025-10"), UTC. */
#define TL_FIELD_MONTH "month"
/** The field name of the date range in queries (date:2025-10..2025-12). */
#define TL_FIELD_DATE "date"

/* ---- value slots ---- */

/** Value slot holding the article's id, on each of its documents. */
#define TL_SLOT_ARTICLE_ID 1
/** Value slot holding the article's hash (16 hex digits), on its first document. */
#define TL_SLOT_ARTICLE_HASH 2
/** Value slot holding the article's date (sortable_serialise of its POSIX
 * seconds), on each document of an article with a date. */
#define TL_SLOT_DATE 3
/** Value slot holding, on each document, the article's key (the 8 bytes of
 * TL_SLOT_ARTICLE_KEY) then its keyword fields for facets: so that one
 * value per matching document counts articles and their facets. The fields:
 * name NUL value NUL for each field but
 * date, url, year and month, in source order, values as in the source
 * (those over TL_INDEX_TERM_MAX bytes left out), then, with a date,
 * TL_FIELD_MONTH and TL_FIELD_YEAR of it (UTC). */
#define TL_SLOT_FIELDS 4
/** Value slot holding the article's key, on each document: the XXH3-64 of
 * its id, 8 bytes, most significant first. Matches are counted by article
 * on it (facets), without reading the longer ids. */
#define TL_SLOT_ARTICLE_KEY 5
/** The length of an article key, in bytes. */
#define TL_ARTICLE_KEY_LEN 8
/** Value slot holding the canonical path of the file the article was read
 * from (its holder), on its first document: of an article id that several
 * files hold, the copy shown is the one of the holder whose path sorts last
 * (update.c). */
#define TL_SLOT_FILE 6
/** Value slot holding the passage table of a document (an article's chunk
 * of passages): for each passage, in order, three 32-bit unsigned integers,
 * least significant byte first: its first word position, the position
 * after its last word, and its length (the word forms and stems of its
 * heading, text and the article's title as analyzed, a stem counted also
 * where it is not written: BM25's document length). */
#define TL_SLOT_PASSAGES 7
/** Value slot holding a document's records, compressed (see the layout
 * above). */
#define TL_SLOT_RECORDS 8
/** Bytes per passage in TL_SLOT_PASSAGES. */
#define TL_PASSAGE_ENTRY 12

/** Positions left empty between a passage's heading and its text, so
 * that no phrase runs from one into the other. */
#define TL_HEADING_GAP 8

/** Positions left empty between two passages of a document, so that no
 * phrase or NEAR of up to this many words runs from one into the next. */
#define TL_PASSAGE_GAP 100

/** The term whose within-document frequency is the document's number of
 * passages: summed over the index (its collection frequency), the
 * passages of the index, in shards and remote shards alike. */
#define TL_TERM_PASSAGES "P#"
/** The term whose within-document frequency is the sum of its passages'
 * lengths (TL_SLOT_PASSAGES): summed over the index, the total length of
 * its passages, for BM25's mean passage length. */
#define TL_TERM_LENGTH "P="

/* ---- limits, in bytes ---- */

/** Longest term Xapian stores, prefix included. */
#define TL_INDEX_TERM_MAX 245
/** Longest article id used as is in a term; longer ones are hashed. */
#define TL_ID_TERM_MAX 180

/* ---- metadata keys ---- */

/** The layout's version (decimal integer, TL_SCHEMA_VERSION). */
#define TL_META_SCHEMA "telusur.schema"
/** The analysis of words that built the index (tl_analyzer_fingerprint). */
#define TL_META_ANALYSIS "telusur.analysis"
/** The stemmer the index was built with. */
#define TL_META_STEMMER "telusur.stemmer"
/** Time of the last update, ISO 8601 UTC. */
#define TL_META_UPDATED "telusur.updated"
/** In each shard written by --shards: the number of shards its articles
 * are hashed to (decimal), so that a stub whose lines were changed is
 * refused before an article goes to another shard than the one holding it. */
#define TL_META_SHARDS "telusur.shards"
/** Most long forms taken per short form (those defined in most passages). */
#define TL_ACRONYM_FORMS 4
/** Prefix of the keys of the file-state table (manifest.h). */
#define TL_META_FILE_PREFIX "telusur.file:"
/** Prefix of the keys listing the files that hold an article id held by
 * more than one: key prefix + the id term (tl_index_article_term), value
 * the holders' canonical paths in byte order, one a line. */
#define TL_META_HOLD_PREFIX "telusur.holders:"

/* ---- the passage record (document data) ---- */

/**
 * A passage's record: a JSON object with, in this order, "passage",
 * "heading" (left out when empty), "text", "start" (the passage's own part,
 * TL_RECORD_PASSAGE), then "article_id", "title" (left out when ""),
 * "paragraphs" (left out when at most 1), "path" (left out when equal to
 * the article id), "date", "url", "source" (each left out when ""),
 * "fields" (an object of the article's keyword fields other than date, url
 * and source, by name, each a string or, for a name given several times, an
 * array of strings, the values as in the source, those over
 * TL_INDEX_TERM_MAX bytes left out; left out when there are none) (the
 * article's part, TL_RECORD_ARTICLE, stored once per document). "date" is
 * ISO 8601 UTC (text/date.h). The passage ends at byte start + text_len of
 * its source.
 */
typedef struct tl_passage_record {
  const char *article_id;   /**< the article's id */
  const char *title;        /**< the article's title; "" when none */
  unsigned long passage;    /**< 1-based ordinal of the passage in the article */
  unsigned long paragraphs; /**< paragraphs of the article (1 when absent) */
  const char *heading;      /**< the section heading: heading_len bytes */
  size_t heading_len;       /**< 0: none */
  const char *text;         /**< the passage: text_len bytes */
  size_t text_len;
  unsigned long long start;        /**< byte offset of text in its source */
  const char *path;                /**< the file it came from; NULL or equal to
                                        article_id: left out (decoded as article_id) */
  const char *date, *url, *source; /**< NULL or "": none */
  const tl_field *fields;          /**< encoded: the article's fields (those
                                        named date, url and source are left
                                        out); decoded: NULL */
  size_t nfields;
  const char *fields_json; /**< decoded: the "fields" object as JSON
                                text, "" when none; encoded: ignored */
  void *owner;             /**< decoded: the parsed JSON object (json_object *) that
                                owns every string above; released by tl_record_release */
} tl_passage_record;

/** The passage's own members of its record (see tl_passage_record). */
#define TL_RECORD_PASSAGE 1u
/** The article's members of a passage's record (see tl_passage_record). */
#define TL_RECORD_ARTICLE 2u
/** A passage's whole record. */
#define TL_RECORD_WHOLE (TL_RECORD_PASSAGE | TL_RECORD_ARTICLE)

/**
 * Encodes the members of r that parts names (TL_RECORD_PASSAGE,
 * TL_RECORD_ARTICLE or both; r's owner is ignored) as the JSON record
 * described above, into *buf: a malloc'd buffer of *cap bytes that is
 * grown (realloc) as needed and stays the caller's (*buf NULL and *cap 0 to
 * start; free it when done, even after an error). *len receives the
 * record's length in bytes; (*buf)[*len] is a NUL. The heading and the
 * text are copied as they are (heading_len and text_len bytes); NULL
 * strings count as "" (article_id and text included). Errors: TL_ERR_NOMEM,
 * TL_ERR_LIMIT (a heading or text of 2 GiB or more), TL_ERR_USAGE (parts
 * names neither part).
 */
int tl_record_encode(const tl_passage_record *r, unsigned parts, char **buf, size_t *cap,
                     size_t *len, tl_error *err);

/**
 * Joins a passage's part of its record (plen bytes at passage) and its
 * article's part (alen bytes at article), as tl_record_encode wrote them,
 * into the passage's whole record: the members of the first, then those of
 * the second, in one JSON object. out receives plen + alen - 1 bytes (not
 * NUL-terminated) and must hold that many. Returns the length written, or 0
 * when either part is not a JSON object with a member ("{...}", as when a
 * document's data is damaged; out is then not written).
 */
size_t tl_record_join(const char *passage, size_t plen, const char *article, size_t alen,
                      char *out);

/**
 * Decodes a record of len bytes at data into *out. Every string of *out is
 * NUL-terminated and owned by out->owner (the parsed JSON object), valid
 * until tl_record_release(out); a field left out reads as its default: ""
 * (title, heading, date, url, source; also article_id and text), 1
 * (paragraphs), 0 (passage, start), the article id (path). A field of
 * another JSON type than expected reads as json-c converts it. Errors:
 * TL_ERR_FORMAT (not a JSON object), TL_ERR_NOMEM; *out is then zeroed.
 */
int tl_record_decode(const char *data, size_t len, tl_passage_record *out, tl_error *err);

/** Releases a decoded record's owner and zeroes *r; NULL, or a record
 * without an owner, is allowed. */
void tl_record_release(tl_passage_record *r);

/**
 * Writes the term of keyword field name (ASCII letters put in capitals) with
 * the value folded (flen bytes, already case-folded, text/fold.h) into buf
 * (TL_INDEX_TERM_MAX + 1 bytes): TL_PREFIX_FIELD NAME ":" value, NUL-
 * terminated. Returns its length, or 0 when it would be over
 * TL_INDEX_TERM_MAX bytes (buf then holds "").
 */
size_t tl_field_term(const char *name, const char *folded, size_t flen, char *buf);

/* ---- the schema version ---- */

/**
 * Checks the layout version of the index open in s (path: the index's
 * path, for messages). The version is the value of TL_META_SCHEMA; without
 * the key, an index with documents is of version 1 (the layout before the
 * key), an empty index is new. *keyed (if not NULL) is set to 1 when the key
 * is there, else 0 (a writer then records it with tl_schema_write).
 * Errors: TL_ERR_SCHEMA (a version other than TL_SCHEMA_VERSION: a newer
 * one "built by a newer telusur", an older one with the commands that
 * rebuild the index), TL_ERR_FORMAT (a value that is not a decimal
 * integer), TL_ERR_XAPIAN, TL_ERR_NOMEM.
 */
int tl_schema_check(tl_store *s, const char *path, int *keyed, tl_error *err);

/**
 * Compares the analysis of words that built the index open in s
 * (TL_META_ANALYSIS) with fingerprint (tl_analyzer_fingerprint of the
 * analyzer at hand); path names the index in the message. *stale receives
 * NULL when they are equal or the index holds no document yet (with record
 * set, the store being writable, fingerprint is then recorded: what is
 * indexed next is of that analysis), else a line for people, malloc'd (the
 * caller frees it): the index was built by another analysis (or before the
 * key existed), what that means, and how to rebuild it: the shell commands,
 * each path one shell word (quoted where a shell would read it otherwise),
 * with the index's stemmer and, for a stub database or a shard it lists,
 * the shards and their number; for a path holding a control character,
 * words instead of commands, so that the line stays one. Such an index
 * still opens: its words whose terms did not change are found as before.
 * Errors: TL_ERR_XAPIAN, TL_ERR_USAGE (record on a read-only store),
 * TL_ERR_NOMEM.
 */
int tl_schema_check_analysis(tl_store *s, const char *path, const char *fingerprint, int record,
                             char **stale, tl_error *err);

/**
 * Records TL_SCHEMA_VERSION as the index's TL_META_SCHEMA (write mode).
 * Errors: TL_ERR_XAPIAN, TL_ERR_USAGE (read-only store).
 */
int tl_schema_write(tl_store *s, tl_error *err);

#ifdef __cplusplus
}
#endif

#endif
