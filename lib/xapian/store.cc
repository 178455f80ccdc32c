// store.cc - the extern "C" shim over libxapian. Every function catches
// every exception and turns it into a status code with a message.
#include "xapian/store.h"

#include "index/schema.h"
#include "text/date.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <stdexcept>
#include <string>
#include <strings.h>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

// One database of a stub file: a local path, or a remote one served by
// xapian-tcpsrv (host and port).
struct tl_shard {
  std::string name; // as messages name it: the path, or HOST:PORT
  std::string path;
  std::string host;
  unsigned port = 0; // 0: local
};

struct tl_store {
  Xapian::Database *db = nullptr;
  Xapian::WritableDatabase *wdb = nullptr; // same object as db when writable
  std::string path;
  bool in_transaction = false;
  std::vector<tl_shard> shards; // read mode, a stub: its databases
  unsigned timeout_ms = TL_STORE_TIMEOUT_DEFAULT;
  bool allow_partial = false;
  std::string missing;        // the shards left out (allow_partial), ", "-separated
  bool network_error = false; // the last error was a remote shard's
  bool reconnect = false;     // a remote shard failed: the connections of the
                              // others may be out of step, open all again
  // Second handles on the same local databases, one per shard, for the
  // count that runs beside the ranking (count_databases); empty until a
  // search counts.
  std::vector<Xapian::Database> count_db;
  bool count_db_failed = false; // it could not be opened: count in one thread
  bool count_busy = false;      // a thread counts on count_db (one at a time)
  // The word forms (a-z, 3 bytes or more) with their passage counts, by
  // first letter, as spelling suggestions read them: read once per letter
  // and revision (a reader), forgotten when the database is reopened.
  std::unordered_map<char, std::vector<std::pair<std::string, Xapian::doccount>>> spell_terms;
};

struct tl_doc {
  Xapian::Document doc;
};

static void reopen_count_databases(tl_store *s);

namespace {

tl_status from_xapian(tl_error *err, const Xapian::Error &e, const char *what) {
  tl_status code = TL_ERR_XAPIAN;
  const std::string type = e.get_type();
  if (type == "DatabaseLockError")
    code = TL_ERR_LOCK;
  else if (type == "DatabaseModifiedError")
    code = TL_ERR_MODIFIED;
  else if (type == "DatabaseNotFoundError" || type == "DatabaseOpeningError")
    code = TL_ERR_NOTFOUND;
  else if (type == "QueryParserError")
    code = TL_ERR_USAGE;
  else if (type == "WildcardError")
    code = TL_ERR_LIMIT;
  std::string msg = e.get_msg();
  if (!e.get_context().empty())
    msg += " (" + e.get_context() + ")";
  if (e.get_error_string()) // the system's reason: "File too large", "No space left..."
    msg += std::string(": ") + e.get_error_string();
  return tl_error_set(err, code, "%s: %s: %s", what, type.c_str(), msg.c_str());
}

tl_status from_std(tl_error *err, const std::exception &e, const char *what) {
  if (dynamic_cast<const std::bad_alloc *>(&e))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", what);
  return tl_error_set(err, TL_ERR_XAPIAN, "%s: %s", what, e.what());
}

// An error of a reader: Xapian reports blocks being rewritten by a writer's
// commit as DatabaseCorruptError; when the database on disk has moved on
// from the reader's revision, that is the index changing under the reader
// (TL_ERR_MODIFIED), else real corruption.
tl_status from_reader(tl_store *s, tl_error *err, const Xapian::Error &e, const char *what) {
  tl_status code = from_xapian(err, e, what);
  const std::string type = e.get_type();
  s->network_error = type == "NetworkError" || type == "NetworkTimeoutError";
  if (code != TL_ERR_XAPIAN || s->wdb || !s->shards.empty() || type != "DatabaseCorruptError")
    return code;
  try {
    if (Xapian::Database(s->path).get_revision() != s->db->get_revision())
      err->code = code = TL_ERR_MODIFIED;
  } catch (...) { // a stub database has no one revision: left as it is
  }
  return code;
}

char *dup_string(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) {
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
  }
  return p;
}

// Calls the C stemmer from Xapian's QueryParser.
class CStem : public Xapian::StemImplementation {
public:
  CStem(tl_stem_fn fn, void *ctx) : fn_(fn), ctx_(ctx) {}
  std::string operator()(const std::string &word) override {
    size_t n = 0;
    const char *s = fn_(ctx_, word.data(), word.size(), &n);
    return std::string(s, n);
  }
  std::string get_description() const override {
    return "telusur";
  }

private:
  tl_stem_fn fn_;
  void *ctx_;
};

// Accepts expand-set terms that are word forms or stems (TL_PREFIX_STEM),
// not stopwords, and not in the query already (prefixes are capitals).
class ExpandTerms : public Xapian::ExpandDecider {
public:
  ExpandTerms(tl_stop_fn stop, void *ctx, const Xapian::Query &q) : stop_(stop), ctx_(ctx) {
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
      seen_.insert(*t);
  }
  bool operator()(const std::string &term) const override {
    size_t at = term[0] == TL_PREFIX_STEM[0] ? 1 : 0;
    if (term.size() <= at + 1 || (term[at] >= 'A' && term[at] <= 'Z') ||
        (term[at] >= '0' && term[at] <= '9'))
      return false;
    if (seen_.count(term))
      return false;
    return !(stop_ && stop_(ctx_, term.data() + at, term.size() - at));
  }

private:
  tl_stop_fn stop_;
  void *ctx_;
  std::set<std::string> seen_;
};

// Proximity evidence: each pair of neighbouring word forms of the query
// (in query order, stopwords already left out by the parser) within
// window positions of each other in a passage.
Xapian::Query proximity_query(const Xapian::Query &words, unsigned window) {
  std::vector<std::string> t;
  for (auto it = words.get_terms_begin(); it != words.get_terms_end(); ++it)
    if (!(*it).empty() && !((*it)[0] >= 'A' && (*it)[0] <= 'Z'))
      t.push_back(*it);
  std::vector<Xapian::Query> pairs;
  for (size_t i = 0; i + 1 < t.size(); i++) {
    if (t[i] == t[i + 1])
      continue;
    Xapian::Query two[2] = {Xapian::Query(t[i]), Xapian::Query(t[i + 1])};
    pairs.push_back(Xapian::Query(Xapian::Query::OP_NEAR, two, two + 2, window));
  }
  return Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
}

// The number of wildcards (OP_WILDCARD) in q.
size_t count_wildcards(const Xapian::Query &q) {
  if (q.get_type() == Xapian::Query::OP_WILDCARD)
    return 1;
  size_t n = 0;
  for (size_t i = 0; i < q.get_num_subqueries(); i++)
    n += count_wildcards(q.get_subquery(i));
  return n;
}

class CStop : public Xapian::Stopper {
public:
  CStop(tl_stop_fn fn, void *ctx) : fn_(fn), ctx_(ctx) {}
  bool operator()(const std::string &word) const override {
    return fn_(ctx_, word.data(), word.size()) != 0;
  }

private:
  tl_stop_fn fn_;
  void *ctx_;
};

} // namespace

#define TL_CATCH(what)                                                                             \
  catch (const Xapian::Error &e) {                                                                 \
    return from_xapian(err, e, what);                                                              \
  }                                                                                                \
  catch (const std::exception &e) {                                                                \
    return from_std(err, e, what);                                                                 \
  }                                                                                                \
  catch (...) {                                                                                    \
    return tl_error_set(err, TL_ERR_XAPIAN, "%s: unknown exception", what);                        \
  }

namespace {

// A shard that cannot be opened or read: the message names it.
class ShardError : public std::runtime_error {
public:
  ShardError(const std::string &msg, tl_status code) : std::runtime_error(msg), code_(code) {}
  tl_status code() const {
    return code_;
  }

private:
  tl_status code_;
};

std::string trim(const std::string &t) {
  size_t b = t.find_first_not_of(" \t\r"), e = t.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
}

// Reads a stub database file (Xapian's format): one database a line, "auto
// PATH" (or glass, chert) relative to the file's directory, or "remote
// HOST:PORT" for a database that xapian-tcpsrv serves; blank lines and '#'
// comments are skipped. Throws ShardError naming the file and line.
std::vector<tl_shard> read_stub(const std::string &path) {
  std::vector<tl_shard> out;
  std::ifstream in(path);
  if (!in)
    throw ShardError(path + ": " + std::strerror(errno), TL_ERR_IO);
  std::string line;
  unsigned n = 0;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  while (std::getline(in, line)) {
    n++;
    line = trim(line);
    if (line.empty() || line[0] == '#')
      continue;
    size_t sp = line.find_first_of(" \t");
    std::string type = line.substr(0, sp),
                rest = sp == std::string::npos ? "" : trim(line.substr(sp));
    std::string where = path + ":" + std::to_string(n) + ": ";
    tl_shard sh;
    if (type == "remote") {
      size_t colon = rest.rfind(':');
      char *end = nullptr;
      unsigned long port =
          colon == std::string::npos ? 0 : std::strtoul(rest.c_str() + colon + 1, &end, 10);
      if (colon == 0)
        throw ShardError(where + "'remote :PROGRAM' is not supported: 'remote HOST:PORT'",
                         TL_ERR_FORMAT);
      if (colon == std::string::npos || !end || *end || port == 0 || port > 65535)
        throw ShardError(where + "'" + line + "': expected 'remote HOST:PORT'", TL_ERR_FORMAT);
      sh.host = rest.substr(0, colon);
      sh.port = (unsigned)port;
      sh.name = rest;
    } else if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
      sh.path = std::filesystem::path(rest).is_absolute() ? rest : (dir / rest).string();
      sh.name = sh.path;
    } else {
      throw ShardError(where + "'" + line + "': expected 'auto PATH' or 'remote HOST:PORT'",
                       TL_ERR_FORMAT);
    }
    out.push_back(sh);
  }
  if (out.empty())
    throw ShardError(path + ": a stub database that lists no database", TL_ERR_FORMAT);
  return out;
}

// Opens a local database for reading: a writer committing while we open
// can discard the revision being read, or rewrite blocks as we read them
// (seemingly corrupt): open again, a few times.
Xapian::Database open_local(const std::string &path) {
  for (int attempt = 0;; attempt++) {
    try {
      return Xapian::Database(path);
    } catch (const Xapian::DatabaseModifiedError &) {
      if (attempt >= 10)
        throw;
    } catch (const Xapian::DatabaseCorruptError &) {
      if (attempt >= 10)
        throw;
    }
  }
}

Xapian::Database open_shard(const tl_shard &sh, unsigned timeout_ms) {
  if (sh.port) // timeout_ms for connecting and for each exchange
    return Xapian::Remote::open(sh.host, sh.port, timeout_ms, timeout_ms);
  return open_local(sh.path);
}

ShardError shard_error(const tl_shard &sh, const Xapian::Error &e) {
  tl_error err;
  tl_status code = from_xapian(&err, e, ("shard " + sh.name).c_str());
  return ShardError(err.msg, code == TL_ERR_NOTFOUND ? TL_ERR_NOTFOUND : TL_ERR_XAPIAN);
}

// (Re)opens the shards of s as one database: Xapian's multi-database, whose
// statistics (document count, average length, term frequencies) are those
// of all its shards together. With allow_partial, a shard that does not
// answer is left out (s->missing names it); without, it is an error.
void open_shards(tl_store *s) {
  auto *db = new Xapian::Database();
  std::string missing;
  size_t live = 0;
  for (const auto &sh : s->shards) {
    try {
      db->add_database(open_shard(sh, s->timeout_ms));
      live++;
    } catch (const Xapian::Error &e) {
      if (!s->allow_partial) {
        delete db;
        throw shard_error(sh, e);
      }
      missing += (missing.empty() ? "" : ", ") + sh.name;
    }
  }
  if (live == 0) {
    delete db;
    throw ShardError("no shard of " + s->path + " answers: " + missing, TL_ERR_XAPIAN);
  }
  delete s->db;
  s->db = db;
  s->missing = missing;
  s->spell_terms.clear();
}

// After a remote shard failed: the shard that does not answer, named.
std::string failed_shard(tl_store *s) {
  for (const auto &sh : s->shards) {
    if (!sh.port)
      continue;
    try {
      open_shard(sh, s->timeout_ms).get_doccount();
    } catch (const Xapian::Error &e) {
      return sh.name;
    }
  }
  return std::string();
}

} // namespace

extern "C" tl_status tl_store_open_read(const char *path, unsigned timeout_ms, int allow_partial,
                                        tl_store **out, tl_error *err) {
  *out = nullptr;
  tl_store *s = nullptr;
  try {
    s = new tl_store;
    s->path = path;
    s->timeout_ms = timeout_ms ? timeout_ms : TL_STORE_TIMEOUT_DEFAULT;
    s->allow_partial = allow_partial != 0;
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
      s->shards = read_stub(path);
      open_shards(s);
    } else {
      s->db = new Xapian::Database(open_local(path));
    }
    *out = s;
    return TL_OK;
  } catch (const ShardError &e) {
    delete s;
    return tl_error_set(err, e.code(), "%s", e.what());
  } catch (const Xapian::Error &e) {
    delete s;
    std::string what = std::string("database ") + path;
    return from_xapian(err, e, what.c_str());
  } catch (const std::exception &e) {
    delete s;
    return from_std(err, e, path);
  }
}

extern "C" const char *tl_store_missing(const tl_store *s) {
  return s->missing.c_str();
}

extern "C" tl_status tl_store_open(const char *path, int mode, tl_store **out, tl_error *err) {
  if (mode != TL_STORE_WRITE)
    return tl_store_open_read(path, TL_STORE_TIMEOUT_DEFAULT, 0, out, err);
  *out = nullptr;
  tl_store *s = nullptr;
  try {
    s = new tl_store;
    s->path = path;
    s->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
    s->db = s->wdb;
    *out = s;
    return TL_OK;
  } catch (const Xapian::Error &e) {
    delete s;
    std::string what = std::string("database ") + path;
    if (std::string(e.get_type()) == "DatabaseLockError")
      return tl_error_set(err, TL_ERR_LOCK,
                          "database %s is locked by another writer (lock file "
                          "%s/flintlock): %s",
                          path, path, e.get_msg().c_str());
    return from_xapian(err, e, what.c_str());
  } catch (const std::exception &e) {
    delete s;
    return from_std(err, e, path);
  }
}

extern "C" void tl_store_close(tl_store *s) {
  if (!s)
    return;
  try {
    if (s->wdb && s->in_transaction)
      s->wdb->cancel_transaction();
  } catch (...) {
  }
  try {
    s->db->close();
  } catch (...) {
  }
  delete s->db;
  delete s;
}

extern "C" unsigned long tl_store_doc_count(const tl_store *s) {
  try {
    return s->db->get_doccount();
  } catch (...) {
    return 0;
  }
}

extern "C" double tl_store_avg_length(const tl_store *s) {
  try {
    return s->db->get_avlength();
  } catch (...) {
    return 0;
  }
}

// Runs read(), a read of s's database; a reader that sees its revision
// discarded by a writer's commit reopens on the latest and reads again (a
// few times). A writer reads its own revision: no retry.
template <class Read> static void read_latest(tl_store *s, Read read) {
  for (int attempt = 0;; attempt++) {
    try {
      read();
      return;
    } catch (const Xapian::DatabaseModifiedError &) {
      if (attempt >= 10 || s->wdb)
        throw;
      s->db->reopen();
      s->spell_terms.clear();
    }
  }
}

extern "C" tl_status tl_store_get_metadata(tl_store *s, const char *key, char **value,
                                           tl_error *err) {
  *value = nullptr;
  try {
    std::string v;
    read_latest(s, [&] { v = s->db->get_metadata(key); });
    *value = dup_string(v);
    return *value ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("reading metadata")
}

extern "C" tl_status tl_store_set_metadata(tl_store *s, const char *key, const char *value,
                                           tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->set_metadata(key, value);
    return TL_OK;
  }
  TL_CATCH("writing metadata")
}

extern "C" tl_status tl_store_begin(tl_store *s, tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->begin_transaction(true);
    s->in_transaction = true;
    return TL_OK;
  }
  TL_CATCH("starting a transaction")
}

extern "C" tl_status tl_store_commit(tl_store *s, tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    if (s->in_transaction) {
      s->in_transaction = false;
      s->wdb->commit_transaction();
    } else {
      s->wdb->commit();
    }
    return TL_OK;
  }
  TL_CATCH("committing")
}

extern "C" tl_status tl_store_delete_term(tl_store *s, const char *term, size_t len,
                                          tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->delete_document(std::string(term, len));
    return TL_OK;
  }
  TL_CATCH("deleting documents")
}

extern "C" tl_status tl_store_add(tl_store *s, const tl_doc *doc, tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->add_document(doc->doc);
    return TL_OK;
  }
  TL_CATCH("adding a document")
}

// The optimal string alignment distance of a and b (Levenshtein 1966 with
// Damerau's 1964 transpositions of neighbours: each insertion, deletion,
// The rows of the edit distance's table, kept from one candidate to the next.
struct EditRows {
  std::vector<unsigned> before, prev, cur;
};

// The optimal string alignment distance of a and b (Levenshtein 1966 with
// Damerau's 1964 transpositions of neighbours: each insertion, deletion,
// substitution or transposition is one edit), or max + 1 when it is over
// max; r: the rows, reused.

static unsigned edit_distance(const std::string &a, const std::string &b, unsigned max,
                              EditRows &r) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max)
    return max + 1;
  r.before.assign(m + 1, 0);
  r.prev.resize(m + 1);
  r.cur.assign(m + 1, 0);
  for (size_t j = 0; j <= m; j++)
    r.prev[j] = (unsigned)j;
  for (size_t i = 1; i <= n; i++) {
    unsigned row_min = r.cur[0] = (unsigned)i;
    for (size_t j = 1; j <= m; j++) {
      unsigned c =
          std::min({r.prev[j] + 1, r.cur[j - 1] + 1, r.prev[j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        c = std::min(c, r.before[j - 2] + 1);
      r.cur[j] = c;
      row_min = std::min(row_min, c);
    }
    if (row_min > max)
      return max + 1;
    std::swap(r.before, r.prev);
    std::swap(r.prev, r.cur);
  }
  return r.prev[m];
}

// A lower bound of the edit distance of two words of letters a-z, from
// their letters alone (the bag distance: an edit adds, drops or changes at
// most one letter on each side, a transposition none): the larger of the
// letters a has over b and b over a. want holds a's counts of a-z, other
// its other bytes (which b, of letters a-z, lacks).
static unsigned bag_distance(const unsigned (&want)[26], unsigned other, const std::string &b) {
  int diff[26];
  for (int k = 0; k < 26; k++)
    diff[k] = (int)want[k];
  for (char c : b)
    diff[c - 'a']--;
  unsigned more = other, fewer = 0;
  for (int d : diff)
    (d > 0 ? more : fewer) += (unsigned)(d > 0 ? d : -d);
  return std::max(more, fewer);
}

// The indexed word form (an unprefixed term of letters a-z) nearest to
// word within max edits, the one in most passages among the nearest; ""
// when none, among terms (spelling_candidates: words are taken to begin
// with the letter typed). Read from the term list, the suggestions follow
// the index as it is (deletions included), in one database or over shards
// alike.
static std::string
spelling_suggestion(const std::vector<std::pair<std::string, Xapian::doccount>> &terms,
                    const std::string &word, unsigned max) {
  std::string best;
  unsigned best_d = max + 1;
  Xapian::doccount best_f = 0;
  unsigned want[26] = {0}, other = 0;
  for (char c : word) {
    if (c >= 'a' && c <= 'z')
      want[c - 'a']++;
    else
      other++;
  }
  EditRows rows;
  for (const auto &tf : terms) {
    const std::string &t = tf.first;
    size_t len_diff = t.size() > word.size() ? t.size() - word.size() : word.size() - t.size();
    if (len_diff > std::min(max, best_d) || bag_distance(want, other, t) > std::min(max, best_d))
      continue;
    unsigned d = edit_distance(word, t, std::min(max, best_d), rows);
    if (d == 0 || d > max)
      continue;
    if (d < best_d || (d == best_d && tf.second > best_f)) {
      best = t;
      best_d = d;
      best_f = tf.second;
    }
  }
  return best;
}

// The candidates of spelling_suggestion for words beginning with first:
// the indexed word forms of letters a-z, 3 bytes or more, with the number
// of passages holding each; read from the term list once per letter and
// revision (kept by a reader, s->spell_terms).
static const std::vector<std::pair<std::string, Xapian::doccount>> &
spelling_candidates(tl_store *s, char first) {
  auto at = s->spell_terms.find(first);
  if (at != s->spell_terms.end() && !s->wdb)
    return at->second;
  std::vector<std::pair<std::string, Xapian::doccount>> terms;
  std::string prefix(1, first);
  for (auto it = s->db->allterms_begin(prefix); it != s->db->allterms_end(prefix); ++it) {
    const std::string t = *it;
    if (t.size() >= 3 &&
        std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      terms.emplace_back(t, it.get_termfreq());
  }
  return s->spell_terms[first] = std::move(terms);
}

extern "C" tl_status tl_store_spelling(tl_store *s, const char *word, char **out, tl_error *err) {
  *out = nullptr;
  try {
    const std::string word_s(word);
    std::string w;
    read_latest(s, [&] {
      if (!word_s.empty() && s->db->get_termfreq(word_s) == 0) // held: no correction
        w = spelling_suggestion(spelling_candidates(s, word_s[0]), word_s,
                                word_s.size() > 6 ? 2 : 1);
    });
    *out = dup_string(w);
    return *out ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("suggesting a spelling")
}

extern "C" tl_status tl_store_reopen(tl_store *s, tl_error *err) {
  try {
    s->db->reopen();
    s->spell_terms.clear();
    if (!s->count_busy)
      reopen_count_databases(s);
    return TL_OK;
  }
  TL_CATCH("reopening the database")
}

extern "C" tl_status tl_doc_create(tl_doc **out, tl_error *err) {
  try {
    *out = new tl_doc;
    return TL_OK;
  } catch (...) {
    *out = nullptr;
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
}

extern "C" void tl_doc_clear(tl_doc *d) {
  d->doc = Xapian::Document();
}

extern "C" void tl_doc_free(tl_doc *d) {
  delete d;
}

extern "C" tl_status tl_doc_add_posting(tl_doc *d, const char *term, size_t len, unsigned pos,
                                        tl_error *err) {
  if (len == 0 || len > TL_INDEX_TERM_MAX)
    return tl_error_set(err, TL_ERR_USAGE, "term of %zu bytes", len);
  try {
    d->doc.add_posting(std::string(term, len), pos);
    return TL_OK;
  }
  TL_CATCH("adding a posting")
}

extern "C" tl_status tl_doc_add_term(tl_doc *d, const char *term, size_t len, unsigned wdf,
                                     tl_error *err) {
  if (len == 0 || len > TL_INDEX_TERM_MAX)
    return tl_error_set(err, TL_ERR_USAGE, "term of %zu bytes", len);
  try {
    d->doc.add_term(std::string(term, len), wdf);
    return TL_OK;
  }
  TL_CATCH("adding a term")
}

extern "C" tl_status tl_doc_set_data(tl_doc *d, const char *data, size_t len, tl_error *err) {
  try {
    d->doc.set_data(std::string(data, len));
    return TL_OK;
  }
  TL_CATCH("setting document data")
}

extern "C" tl_status tl_doc_set_value(tl_doc *d, unsigned slot, const char *v, size_t len,
                                      tl_error *err) {
  try {
    d->doc.add_value(slot, std::string(v, len));
    return TL_OK;
  }
  TL_CATCH("setting a value")
}

extern "C" tl_status tl_doc_set_sortable(tl_doc *d, unsigned slot, double v, tl_error *err) {
  try {
    d->doc.add_value(slot, Xapian::sortable_serialise(v));
    return TL_OK;
  }
  TL_CATCH("setting a value")
}

// date:FROM..TO in a query: days, months or years (tl_date_bound), either
// end optional, as a range of the date slot.
class DateRange : public Xapian::RangeProcessor {
public:
  DateRange() : Xapian::RangeProcessor(TL_SLOT_DATE, TL_FIELD_DATE ":") {}
  Xapian::Query operator()(const std::string &from, const std::string &to) override {
    int64_t a = 0, b = 0;
    tl_error e;
    if ((!from.empty() && tl_date_bound(from.data(), from.size(), 0, &a, &e) != TL_OK) ||
        (!to.empty() && tl_date_bound(to.data(), to.size(), 1, &b, &e) != TL_OK))
      throw Xapian::QueryParserError(e.msg);
    if (!from.empty() && !to.empty() && a > b)
      throw Xapian::QueryParserError("date range " + from + ".." + to +
                                     ": its start is after its end");
    if (from.empty())
      return Xapian::Query(Xapian::Query::OP_VALUE_LE, TL_SLOT_DATE,
                           Xapian::sortable_serialise((double)b));
    if (to.empty())
      return Xapian::Query(Xapian::Query::OP_VALUE_GE, TL_SLOT_DATE,
                           Xapian::sortable_serialise((double)a));
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, TL_SLOT_DATE,
                         Xapian::sortable_serialise((double)a),
                         Xapian::sortable_serialise((double)b));
  }
};

// The boolean prefixes of the keyword fields a query names (NAME:value),
// title and date aside, for the fields the index holds: "30:1" in a query
// stays text.
static void add_field_prefixes(Xapian::QueryParser &qp, const Xapian::Database &db,
                               const char *query) {
  const char *p = query;
  while (*p) {
    const char *b = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '_')
      p++;
    if (p > b && *p == ':' && (b == query || !std::isalnum((unsigned char)b[-1]))) {
      std::string name(b, (size_t)(p - b)), prefix(TL_PREFIX_FIELD);
      if (name != TL_FIELD_TITLE && name != TL_FIELD_DATE) {
        for (char c : name)
          prefix += (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        prefix += ":";
        if (db.allterms_begin(prefix) != db.allterms_end(prefix))
          qp.add_boolean_prefix(name, prefix);
      }
    }
    if (p == b)
      p++;
  }
}

// Expands the wildcards of q over the terms of the whole database. Xapian
// 1.4 expands a wildcard in each shard of a multi-database on its own (each
// shard's terms, and a synonym's frequency estimated shard by shard), so
// that shards would score it otherwise than one database: expanded here
// into the terms they all hold, the wildcard scores as in one database.
// Only the operators the query parser puts around a wildcard are rebuilt;
// Xapian 1.4 shows a wildcard's pattern in its description only.
static Xapian::Query expand_wildcards(const Xapian::Query &q, const Xapian::Database &db) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::OP_WILDCARD) {
    std::string d = q.get_description(); // "Query(WILDCARD SYNONYM pattern)"
    const std::string head = "Query(WILDCARD ";
    size_t sp = d.find(' ', head.size());
    if (d.compare(0, head.size(), head) != 0 || sp == std::string::npos || d.back() != ')')
      return q;
    std::string comb = d.substr(head.size(), sp - head.size());
    std::string pattern = d.substr(sp + 1, d.size() - sp - 2);
    std::vector<Xapian::Query> terms;
    for (auto t = db.allterms_begin(pattern);
         t != db.allterms_end(pattern) && terms.size() <= TL_WILDCARD_MAX_TERMS; ++t)
      terms.push_back(Xapian::Query(*t));
    Xapian::Query::op c = comb == "OR"    ? Xapian::Query::OP_OR
                          : comb == "MAX" ? Xapian::Query::OP_MAX
                                          : Xapian::Query::OP_SYNONYM;
    if (terms.size() > TL_WILDCARD_MAX_TERMS) // as Xapian's WILDCARD_LIMIT_ERROR
      throw Xapian::WildcardError("Wildcard " + pattern + "* expands to more than " +
                                  std::to_string(TL_WILDCARD_MAX_TERMS) + " terms");
    if (terms.empty())
      return Xapian::Query::MatchNothing;
    return Xapian::Query(c, terms.begin(), terms.end());
  }
  switch (op) {
  case Xapian::Query::OP_AND:
  case Xapian::Query::OP_OR:
  case Xapian::Query::OP_AND_NOT:
  case Xapian::Query::OP_AND_MAYBE:
  case Xapian::Query::OP_FILTER:
  case Xapian::Query::OP_SYNONYM:
  case Xapian::Query::OP_MAX: break;
  default: return q;
  }
  std::vector<Xapian::Query> subs;
  bool changed = false;
  for (size_t i = 0; i < q.get_num_subqueries(); i++) {
    Xapian::Query sub = q.get_subquery(i), x = expand_wildcards(sub, db);
    changed |= x.get_description() != sub.get_description();
    subs.push_back(x);
  }
  return changed ? Xapian::Query(op, subs.begin(), subs.end()) : q;
}

// Whether two weights are equal but for rounding: Xapian sums a passage's
// term weights in an order that depends on the shard's own statistics, so
// that one passage can score a few units in the last place apart in one
// database and in shards.
static bool same_weight(double a, double b) {
  double m = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

// Counts the passages that match a query, the distinct articles they are
// passages of (by their key, TL_SLOT_ARTICLE_KEY) and, for facets, the
// distinct articles per value of their keyword fields (TL_SLOT_FIELDS: the
// article key, then name NUL value NUL pairs). Xapian's ValueCountMatchSpy
// counts documents per value of one slot; this counts articles. The match
// is unweighted (BoolWeight) and sees every passage (check_at_least: all);
// the spy only collects docids, whose values are then read in docid order
// from the slot's value stream (cheaper than a document per passage), an
// article's fields once, from the first of its passages; articles are
// told apart by their 64-bit keys. Remote shards run Xapian's own
// ValueCountMatchSpy over TL_SLOT_FIELDS, whose counts add() takes.
static_assert(TL_ARTICLE_KEY_LEN == sizeof(uint64_t), "an article key is 64 bits");

class ArticleCounts : public Xapian::MatchSpy {
public:
  explicit ArticleCounts(bool facets) : want_fields(facets) {}
  void operator()(const Xapian::Document &doc, double) override {
    docids.push_back(doc.get_docid());
  }
  // Adds the passages of db that match `match` (a query without the
  // ranking's weighting parts) to the counts: by docids and value streams,
  // or (by_values: remote shards, a multi-database) by Xapian's spy.
  void run(const Xapian::Database &db, const Xapian::Query &match, bool by_values) {
    Xapian::Enquire counter(db);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_query(match);
    if (by_values) {
      Xapian::ValueCountMatchSpy vspy(TL_SLOT_FIELDS);
      counter.add_matchspy(&vspy);
      counter.get_mset(0, 0, db.get_doccount());
      add(vspy);
      return;
    }
    docids.clear();
    counter.add_matchspy(this);
    counter.get_mset(0, 0, db.get_doccount());
    if (!std::is_sorted(docids.begin(), docids.end()))
      std::sort(docids.begin(), docids.end());
    passages += docids.size();
    // the fields slot starts with the article key: one value stream
    Xapian::valueno slot = want_fields ? TL_SLOT_FIELDS : TL_SLOT_ARTICLE_KEY;
    Xapian::ValueIterator v = db.valuestream_begin(slot), end = db.valuestream_end(slot);
    uint64_t last = 0;
    bool any = false;
    for (Xapian::docid d : docids) {
      v.skip_to(d);
      if (v == end)
        break;
      if (v.get_docid() != d) // a document without the value: not a passage, not counted
        continue;
      const std::string &value = *v;
      uint64_t key = 0;
      std::memcpy(&key, value.data(), std::min(sizeof key, value.size()));
      if (any && key == last) // the passages of an article follow each other
        continue;
      any = true;
      last = key;
      if (articles.insert(key).second && want_fields)
        fields[value.size() > TL_ARTICLE_KEY_LEN ? value.substr(TL_ARTICLE_KEY_LEN) : ""]++;
    }
  }
  // The same counts from Xapian's own spy over TL_SLOT_FIELDS: one value
  // per article, counted per passage.
  void add(const Xapian::ValueCountMatchSpy &v) {
    for (auto it = v.values_begin(); it != v.values_end(); ++it) {
      const std::string &value = *it;
      passages += it.get_termfreq();
      uint64_t key = 0;
      std::memcpy(&key, value.data(), std::min(sizeof key, value.size()));
      articles.insert(key);
      if (want_fields)
        fields[value.size() > TL_ARTICLE_KEY_LEN ? value.substr(TL_ARTICLE_KEY_LEN) : ""]++;
    }
  }
  // The articles per value of field name, into out.
  void facet_counts(const std::string &name,
                    std::unordered_map<std::string, unsigned long> &out) const {
    std::vector<std::string> seen; // the values of one article's fields
    for (const auto &fc : fields) {
      const std::string &f = fc.first;
      seen.clear();
      for (size_t p = 0; p < f.size();) {
        size_t n = f.find('\0', p), v = n == std::string::npos ? f.size() : n + 1;
        size_t e = v < f.size() ? f.find('\0', v) : std::string::npos;
        if (e == std::string::npos)
          e = f.size();
        // field names in any letter case, as filters take them
        if (name.size() == n - p && strncasecmp(f.data() + p, name.data(), n - p) == 0) {
          std::string value = f.substr(v, e - v);
          if (std::find(seen.begin(), seen.end(), value) == seen.end()) { // once per article
            out[value] += fc.second;
            seen.push_back(std::move(value));
          }
        }
        p = e + 1;
      }
    }
  }
  // Forgets what was counted: before a count is run again.
  void reset() {
    passages = 0;
    docids.clear();
    articles.clear();
    fields.clear();
  }
  unsigned long passages = 0;
  std::unordered_set<uint64_t> articles;

private:
  bool want_fields;
  std::vector<Xapian::docid> docids;
  std::unordered_map<std::string, unsigned long> fields; // articles per fields value
};

// The passages offset .. offset+count-1 of the ranking, passages of equal
// score (and date, sorting by date) ordered by article id, then docid
// (within an article, all in one shard, docids follow the passages' order
// in one database and in a multi-database alike). Xapian ranks equal
// weights by docid, which depends on how shards interleave, and weights
// equal but for rounding in either order: the run of equal keys across
// the cut is fetched whole and ordered here.
static std::vector<Xapian::MSetIterator>
ranked_passages(Xapian::Enquire &enquire, const tl_search_options *o, Xapian::MSet &mset) {
  std::vector<Xapian::MSetIterator> all, out;
  // sorting by relevance, Xapian's sort key is the article id
  auto same = [o](const Xapian::MSetIterator &a, const Xapian::MSetIterator &b) {
    return (!o->sort || a.get_sort_key() == b.get_sort_key()) &&
           same_weight(a.get_weight(), b.get_weight());
  };
  // A run of equal keys across the cut is fetched whole, up to TIE_RUN_MAX
  // passages past the cut; past that the order is Xapian's. Sorting by
  // relevance, exactly equal weights are already in Xapian's order by
  // article id: a run goes on being fetched only while it holds weights
  // equal but for rounding (a query of one term or a filter alone, whose
  // ties are exact, is never fetched further).
  const Xapian::doccount TIE_RUN_MAX = 1000, PEEK = 16;
  Xapian::doccount need = o->offset + o->count, m = need + PEEK;
  for (;;) {
    mset = enquire.get_mset(0, m + 1);
    if (need == 0 || mset.size() <= m || !same(mset[m], mset[need - 1]) || m >= need + TIE_RUN_MAX)
      break;
    if (!o->sort) {
      bool exact = true;
      for (Xapian::doccount k = need; k <= m && exact; k++)
        exact = mset[k].get_weight() == mset[need - 1].get_weight();
      if (exact)
        break;
    }
    m = std::min(m * 2, need + TIE_RUN_MAX);
  }
  for (auto it = mset.begin(); it != mset.end(); ++it)
    all.push_back(it);
  std::vector<std::string> article(all.size());
  std::vector<size_t> idx(all.size());
  for (size_t i = 0; i < all.size(); i++)
    idx[i] = i;
  for (size_t i = 0; i < all.size();) { // runs of equal keys, in Xapian's order
    size_t j = i + 1;
    while (j < all.size() && same(all[j], all[j - 1]))
      j++;
    if (j - i > 1 && i < need) {
      for (size_t k = i; k < j; k++)
        article[k] =
            o->sort ? all[k].get_document().get_value(TL_SLOT_ARTICLE_ID) : all[k].get_sort_key();
      std::sort(idx.begin() + (long)i, idx.begin() + (long)j, [&](size_t a, size_t b) {
        return article[a] != article[b] ? article[a] < article[b] : *all[a] < *all[b];
      });
    }
    i = j;
  }
  // the documents of the hits at once: remote shards send them in one
  // exchange instead of one each
  if (o->offset < mset.size())
    mset.fetch(mset[o->offset], need < mset.size() ? mset[need] : mset.end());
  for (size_t i = o->offset; i < idx.size() && i < need; i++)
    out.push_back(all[idx[i]]);
  return out;
}

// The filter of the options: field terms ORed within a field (the terms
// sharing the prefix up to ':'), fields ANDed, and the date range.
static Xapian::Query filter_query(const tl_search_options *o) {
  std::map<std::string, std::vector<Xapian::Query>> by_field;
  std::vector<Xapian::Query> parts;
  for (size_t i = 0; i < o->nfilters; i++) {
    std::string t(o->filters[i]);
    by_field[t.substr(0, t.find(':') + 1)].push_back(Xapian::Query(t));
  }
  for (auto &f : by_field)
    parts.push_back(Xapian::Query(Xapian::Query::OP_OR, f.second.begin(), f.second.end()));
  if (o->has_date)
    parts.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, TL_SLOT_DATE,
                                  Xapian::sortable_serialise(o->date_from),
                                  Xapian::sortable_serialise(o->date_to)));
  if (parts.empty())
    return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// The title as a field of the passage (Robertson, Zaragoza & Taylor 2004
// weigh a document's fields; a scaled sum of the fields' BM25 is the cheap
// form): each distinct word form and stem of the query's plain words (not
// field terms) as the title's term, ORed.
static Xapian::Query title_query(const Xapian::Query &words) {
  std::vector<Xapian::Query> t;
  const char stem = TL_PREFIX_STEM[0];
  for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it) {
    const std::string &w = *it;
    bool stemmed = w.size() > 1 && w[0] == stem;
    char first = stemmed ? w[1] : w.empty() ? 'A' : w[0];
    if (first >= 'A' && first <= 'Z')
      continue;
    t.push_back(Xapian::Query(stemmed ? std::string(TL_PREFIX_STEM TL_PREFIX_TITLE) + w.substr(1)
                                      : std::string(TL_PREFIX_TITLE) + w));
  }
  return Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end());
}

// A query parser for the index in db: the query-side stemmer and stopper of
// opts, words ORed, the title: and date: fields and the keyword fields the
// query names.
static void setup_parser(Xapian::QueryParser &qp, const Xapian::Database &db,
                         const Xapian::Stem &stem, const tl_search_options *opts,
                         const char *query) {
  qp.set_database(db);
  qp.set_stemmer(stem);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  if (opts->stop)
    qp.set_stopper((new CStop(opts->stop, opts->ctx))->release());
  qp.set_default_op(Xapian::Query::OP_OR);
  qp.add_prefix(TL_FIELD_TITLE, TL_PREFIX_TITLE);
  add_field_prefixes(qp, db, query);
  qp.add_rangeprocessor((new DateRange())->release());
}

// Second handles on s's databases, one per shard, for counting beside the
// ranking on a thread of its own (a Xapian object is never used by two
// threads): local databases, all of them answering, on a machine of more
// than one core; else null, and the count runs after the ranking, on s->db.
static std::vector<Xapian::Database> *count_databases(tl_store *s) {
  if (s->wdb || s->count_db_failed || s->count_busy || !s->missing.empty() ||
      std::thread::hardware_concurrency() < 2)
    return nullptr;
  if (s->count_db.empty()) {
    try {
      if (s->shards.empty())
        s->count_db.push_back(open_local(s->path));
      for (const auto &sh : s->shards)
        s->count_db.push_back(open_shard(sh, s->timeout_ms));
    } catch (const Xapian::Error &) {
      s->count_db.clear();
      s->count_db_failed = true;
      return nullptr;
    }
  }
  return &s->count_db;
}

// Brings the counting handles to the latest revision; if one fails they
// are dropped (counts then run after the ranking).
static void reopen_count_databases(tl_store *s) {
  try {
    for (auto &db : s->count_db)
      db.reopen();
  } catch (const Xapian::Error &) {
    s->count_db.clear();
    s->count_db_failed = true;
  }
}

// Whether the counting handles see the passages db sees: an indexing run
// that changes anything adds or deletes passages, which changes their
// count or their total length.
static bool same_state(const std::vector<Xapian::Database> &shards, const Xapian::Database &db) {
  Xapian::doccount n = 0;
  Xapian::totallength len = 0;
  for (const auto &sh : shards) {
    n += sh.get_doccount();
    len += sh.get_total_length();
  }
  return n == db.get_doccount() && len == db.get_total_length();
}

// A count run on a thread of its own, on its own database handles; the
// query crosses as its serialisation (Xapian's reference counts are not
// atomic: no object is shared). join() waits for it and tells whether it
// ran without error; the destructor waits too (a ranking that throws).
class CountThread {
public:
  CountThread(std::vector<Xapian::Database> &shards, const Xapian::Query &match,
              ArticleCounts &counts)
      : query(match.serialise()), thread([this, &shards, &counts] {
          try {
            Xapian::Query q = Xapian::Query::unserialise(query);
            for (auto &db : shards) // an article is in one shard: the counts add up
              counts.run(db, q, false);
          } catch (...) { // the count runs again in the caller's thread
            failed = true;
          }
        }) {}
  CountThread(const CountThread &) = delete;
  CountThread &operator=(const CountThread &) = delete;
  ~CountThread() {
    if (thread.joinable())
      thread.join();
  }
  bool join() {
    thread.join();
    return !failed;
  }

private:
  std::string query;
  bool failed = false;
  std::thread thread;
};

// The counts a search asked for (tl_hits.counting), from the moment the
// ranking starts until tl_store_hits_counts: a count beside the ranking,
// or the query to count after it.
struct tl_counting {
  tl_counting(tl_store *store, const Xapian::Query &q, const tl_search_options *o, bool remote_)
      : s(store), match(q), remote(remote_), counts(o->nfacets > 0),
        facets(o->facets, o->facets + o->nfacets) {
    try {
      if (!remote && (cdb = count_databases(s))) {
        beside.reset(new CountThread(*cdb, match, counts));
        s->count_busy = true;
      }
    } catch (const std::system_error &) { // no thread to be had: counted after
    }
  }
  tl_counting(const tl_counting &) = delete;
  tl_counting &operator=(const tl_counting &) = delete;
  ~tl_counting() {
    if (beside) {
      beside.reset(); // joined
      s->count_busy = false;
    }
  }
  // The counts, into h; the count beside the ranking stands if it ran
  // without error on the same passages (a writer may have committed
  // between the two handles' openings), else it is run again here.
  void finish(tl_hits *h) {
    if (!beside || !beside->join() || !same_state(*cdb, *s->db)) {
      if (beside) {
        beside.reset();
        s->count_busy = false;
        reopen_count_databases(s);
      }
      counts.reset();
      // a multi-database's docids interleave its shards': counted by values
      counts.run(*s->db, match, remote || s->shards.size() > 1);
    }
    h->passages_matched = counts.passages;
    h->articles_matched = counts.articles.size();
    if (facets.empty())
      return;
    if (!(h->facets = static_cast<tl_facet *>(std::calloc(facets.size(), sizeof *h->facets))))
      throw std::bad_alloc();
    h->nfacets = facets.size();
    for (size_t i = 0; i < facets.size(); i++) {
      tl_facet *f = &h->facets[i];
      std::unordered_map<std::string, unsigned long> values;
      f->field = facets[i];
      counts.facet_counts(facets[i], values);
      if (values.empty())
        continue;
      if (!(f->values =
                static_cast<tl_facet_value *>(std::calloc(values.size(), sizeof *f->values))))
        throw std::bad_alloc();
      for (const auto &c : values) {
        if (!(f->values[f->nvalues].value = dup_string(c.first)))
          throw std::bad_alloc();
        f->values[f->nvalues++].articles = c.second;
      }
    }
  }

  tl_store *s;
  Xapian::Query match; // the passages counted; used by this thread only
  bool remote;
  ArticleCounts counts;
  std::vector<const char *> facets; // the names, tl_search_options.facets
  std::vector<Xapian::Database> *cdb = nullptr;
  std::unique_ptr<CountThread> beside; // after counts: destroyed (joined) first
};

static tl_status search_once(tl_store *s, const char *query, const tl_search_options *opts,
                             tl_hits **out, tl_error *err) {
  *out = nullptr;
  tl_hits *h = nullptr;
  try {
    Xapian::Stem stem(new CStem(opts->stem, opts->ctx));
    Xapian::QueryParser qp;
    setup_parser(qp, *s->db, stem, opts, query);
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT |
                     Xapian::QueryParser::FLAG_WILDCARD;
    qp.set_max_expansion(TL_WILDCARD_MAX_TERMS, Xapian::Query::WILDCARD_LIMIT_ERROR,
                         Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
    // checked for the limits as parsed, then expanded (expand_wildcards)
    Xapian::Query q = qp.parse_query(query, flags);
    if (q.empty())
      return tl_error_set(err, TL_ERR_USAGE, "the query has no searchable words");
    if (opts->expand && *opts->expand && opts->expand_weight > 0) {
      // The acronym expansion, weighted below the words typed.
      Xapian::Query e = qp.parse_query(opts->expand, flags);
      if (!e.empty())
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, e, opts->expand_weight));
    }
    size_t nwild = count_wildcards(q);
    if (nwild > TL_WILDCARD_MAX)
      return tl_error_set(err, TL_ERR_LIMIT, "query: %zu wildcards, over the limit of %d", nwild,
                          TL_WILDCARD_MAX);
    q = expand_wildcards(q, *s->db);
    // Parts of the score, for explain: the query's terms (each with the
    // factor its weight is scaled by), then the proximity and feedback parts.
    Xapian::Query words = q, exact, prox, feedback, title;
    const tl_rank_params *rp = &opts->rank;
    if (rp->title_weight > 0)
      title = title_query(words);
    if (rp->exact_weight > 0 || rp->prox_weight > 0) {
      qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
      exact = expand_wildcards(qp.parse_query(query, flags), *s->db);
    }
    if (rp->exact_weight > 0 && !exact.empty()) {
      // The same query on unstemmed word forms, as extra evidence: a
      // passage with the very forms typed ranks above one with their stems.
      q = Xapian::Query(Xapian::Query::OP_OR, q,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact, rp->exact_weight));
    }
    Xapian::Query match = q; // the passages that match: the parts below only weigh them
    if (!title.empty()) {
      title = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, rp->title_weight);
      q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, title);
    }
    if (rp->prox_weight > 0 && !exact.empty()) {
      prox = proximity_query(exact, rp->prox_window);
      if (!prox.empty()) {
        prox = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, prox, rp->prox_weight);
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, prox);
      }
    }

    Xapian::Query filter = filter_query(opts);
    if (!filter.empty()) { // a filter never changes a score
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
      match = Xapian::Query(Xapian::Query::OP_FILTER, match, filter);
    }

    Xapian::Enquire enquire(*s->db);
    // k3 = 0: a term's weight does not grow with its count in the query,
    // so that the score is the sum of the parts explain shows.
    Xapian::BM25Weight bm25(rp->k1, 0, 0, rp->b, 0.5);
    enquire.set_weighting_scheme(bm25);
    if (opts->sort)
      enquire.set_sort_by_value_then_relevance(TL_SLOT_DATE, opts->sort == TL_SORT_NEWEST);
    else // ties by article id (then docid), as TieKey
      enquire.set_sort_by_relevance_then_value(TL_SLOT_ARTICLE_ID, false);
    if (rp->prf_docs > 0 && rp->prf_terms > 0 && rp->prf_weight > 0) {
      // Pseudo-relevance feedback: the best terms of the first passages
      // (Xapian's expand set), weighted as the expand set ranks them.
      enquire.set_query(q);
      Xapian::MSet top = enquire.get_mset(0, rp->prf_docs);
      Xapian::RSet rset;
      for (auto it = top.begin(); it != top.end(); ++it)
        rset.add_document(*it);
      if (!rset.empty()) {
        ExpandTerms decider(opts->stop, opts->ctx, q);
        // exact term frequencies: a multi-database's otherwise come
        // from the shard a term is first met in
        Xapian::ESet eset =
            enquire.get_eset(rp->prf_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> extra;
        double top_weight = eset.empty() ? 0 : eset.begin().get_weight();
        for (auto it = eset.begin(); it != eset.end(); ++it)
          if (top_weight > 0)
            extra.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                                          rp->prf_weight * it.get_weight() / top_weight));
        if (!extra.empty()) {
          feedback = Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end());
          q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, feedback);
        }
      }
    }
    enquire.set_query(q);
    // Articles ranked by their passages: the best one plus article_weight
    // times the next TL_ARTICLE_PASSAGES, over the first passages of the
    // ranking (an article whose best passage is not among them is left
    // out, as it would rank low anyway).
    bool by_article = opts->per_article == 1 && !opts->sort && rp->article_weight > 0;
    if (opts->per_article)
      enquire.set_collapse_key(TL_SLOT_ARTICLE_ID,
                               by_article ? 1 + TL_ARTICLE_PASSAGES : opts->per_article);
    // Counting: a second, unweighted match over the passages that match,
    // beside the ranking where it can (count_databases), else when the
    // counts are asked for (tl_store_hits_counts).
    bool remote = std::any_of(s->shards.begin(), s->shards.end(),
                              [](const tl_shard &sh) { return sh.port != 0; });
    std::unique_ptr<tl_counting> counting;
    if (opts->count_matches || opts->nfacets)
      counting.reset(new tl_counting(s, match, opts, remote));
    Xapian::doccount want = opts->offset + opts->count;
    Xapian::MSet mset;
    struct Ranked {
      Xapian::MSetIterator it;
      double score, article;
    };
    std::vector<Ranked> ranked;
    if (by_article) {
      mset = enquire.get_mset(0, want * 2 + 20);
      std::map<std::string, size_t> seen;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto at = seen.find(it.get_collapse_key());
        if (at == seen.end()) {
          seen.emplace(it.get_collapse_key(), ranked.size());
          ranked.push_back({it, it.get_weight(), 0});
        } else {
          ranked[at->second].article += rp->article_weight * it.get_weight();
        }
      }
      // ties (equal but for rounding, which depends on the shards) by
      // article id: the same order from any layout
      std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        double x = a.score + a.article, y = b.score + b.article;
        return same_weight(x, y) ? a.it.get_collapse_key() < b.it.get_collapse_key() : x > y;
      });
      ranked.erase(ranked.begin(), ranked.begin() + std::min<size_t>(opts->offset, ranked.size()));
      if (ranked.size() > opts->count)
        ranked.resize(opts->count);
    } else {
      for (const auto &it : ranked_passages(enquire, opts, mset))
        ranked.push_back({it, it.get_weight(), 0});
    }

    h = static_cast<tl_hits *>(std::calloc(1, sizeof *h));
    if (!h)
      throw std::bad_alloc();
    h->estimated = mset.get_matches_estimated();
    h->counting = counting.release();
    h->query = dup_string(q.get_description());
    // The terms the user's words became (not those feedback added): they
    // are highlighted, and explained one by one.
    Xapian::Query typed = rp->exact_weight > 0 && !exact.empty()
                              ? Xapian::Query(Xapian::Query::OP_OR, words, exact)
                              : words;
    size_t nterms = 0;
    for (auto t = typed.get_unique_terms_begin(); t != typed.get_unique_terms_end(); ++t)
      nterms++;
    h->terms = static_cast<char **>(std::calloc(nterms + 1, sizeof *h->terms));
    if (!h->terms || !h->query)
      throw std::bad_alloc();
    // a term counts once for each of the two queries it is in (sets, not a
    // scan per term: a query of 10,000 words stays linear)
    std::map<std::string, double> factor_of;
    for (auto w = words.get_unique_terms_begin(); w != words.get_unique_terms_end(); ++w)
      factor_of[*w] += 1;
    if (rp->exact_weight > 0)
      for (auto w = exact.get_unique_terms_begin(); w != exact.get_unique_terms_end(); ++w)
        factor_of[*w] += rp->exact_weight;
    std::vector<double> factor;
    for (auto t = typed.get_unique_terms_begin(); t != typed.get_unique_terms_end(); ++t) {
      if (!(h->terms[h->nterms] = dup_string(*t)))
        throw std::bad_alloc();
      h->nterms++;
      factor.push_back(factor_of[*t]);
    }
    h->items = static_cast<tl_hit *>(std::calloc(ranked.size() + 1, sizeof *h->items));
    if (!h->items)
      throw std::bad_alloc();
    for (const Ranked &r : ranked) {
      const Xapian::MSetIterator &it = r.it;
      tl_hit *hit = &h->items[h->count];
      Xapian::Document doc = it.get_document();
      std::string data = doc.get_data();
      hit->docid = *it;
      hit->score = r.score + r.article;
      hit->length = s->db->get_doclength(hit->docid); // may throw: before any allocation
      hit->data = dup_string(data);
      hit->data_len = data.size();
      if (!hit->data)
        throw std::bad_alloc();
      h->count++;
      if (opts->explain) {
        // BM25 is a sum over the query's terms: each term's share is the
        // weight the passage gets from a query of that term alone, under
        // the same collection statistics.
        // Exact word forms count with their factor (exact_weight); the
        // proximity and feedback parts are shown as a whole each.
        // The passage is found among its article's passages (a filter on
        // the article's id term, which leaves weights as they are): a
        // match decider would see a shard's own docids, and remote shards
        // take none.
        std::string ex, idterm;
        Xapian::TermIterator t = doc.termlist_begin();
        t.skip_to(TL_PREFIX_ID);
        if (t != doc.termlist_end() && (*t).compare(0, 1, TL_PREFIX_ID) == 0)
          idterm = *t;
        Xapian::doccount npass = idterm.empty() ? 0 : s->db->get_termfreq(idterm);
        std::vector<std::pair<std::string, Xapian::Query>> parts;
        for (size_t i = 0; i < h->nterms; i++)
          parts.emplace_back(h->terms[i],
                             factor[i] == 1 ? Xapian::Query(h->terms[i])
                                            : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                            Xapian::Query(h->terms[i]), factor[i]));
        if (!title.empty())
          parts.emplace_back("(title)", title);
        if (!prox.empty())
          parts.emplace_back("(proximity)", prox);
        if (!feedback.empty())
          parts.emplace_back("(feedback)", feedback);
        for (const auto &part : parts) {
          Xapian::Enquire one(*s->db);
          one.set_query(
              Xapian::Query(Xapian::Query::OP_FILTER, part.second, Xapian::Query(idterm)));
          one.set_weighting_scheme(bm25);
          Xapian::MSet m = one.get_mset(0, npass);
          auto mine = m.begin();
          while (mine != m.end() && *mine != hit->docid)
            ++mine;
          if (mine == m.end())
            continue;
          char num[64];
          std::snprintf(num, sizeof num, "%.4f", mine.get_weight());
          if (!ex.empty())
            ex += ' ';
          ex += part.first + "=" + num;
        }
        if (r.article > 0) {
          char num[64];
          std::snprintf(num, sizeof num, "%.4f", r.article);
          ex += std::string(ex.empty() ? "" : " ") + "(article)=" + num;
        }
        if (!(hit->explain = dup_string(ex)))
          throw std::bad_alloc();
      }
    }
    *out = h;
    return TL_OK;
  } catch (const Xapian::Error &e) {
    tl_hits_free(h);
    return from_reader(s, err, e, "search");
  } catch (const std::exception &e) {
    tl_hits_free(h);
    return from_std(err, e, "search");
  } catch (...) {
    tl_hits_free(h);
    return tl_error_set(err, TL_ERR_XAPIAN, "search: unknown exception");
  }
}

// A search; a remote shard failing is named, and with allow_partial left
// out: the search runs again on the shards that answer.
extern "C" tl_status tl_store_search(tl_store *s, const char *query, const tl_search_options *opts,
                                     tl_hits **out, tl_error *err) {
  s->network_error = false;
  try {
    if (s->reconnect) {
      open_shards(s);
      s->reconnect = false;
    }
  } catch (const ShardError &e) {
    return tl_error_set(err, e.code(), "%s", e.what());
  }
  TL_CATCH("search")
  tl_status rc = search_once(s, query, opts, out, err);
  if (rc == TL_OK || !s->network_error || s->shards.empty())
    return rc;
  s->reconnect = !s->allow_partial;
  try {
    if (s->allow_partial) {
      open_shards(s);
      s->network_error = false;
      return search_once(s, query, opts, out, err);
    }
    std::string name = failed_shard(s), msg = err->msg;
    if (!name.empty())
      return tl_error_set(err, rc, "shard %s: %s", name.c_str(), msg.c_str());
    return rc;
  } catch (const ShardError &e) {
    return tl_error_set(err, e.code(), "%s", e.what());
  }
  TL_CATCH("search")
}

extern "C" void tl_hits_free(tl_hits *h) {
  if (!h)
    return;
  for (size_t i = 0; i < h->count; i++) {
    std::free(h->items[i].data);
    std::free(h->items[i].explain);
  }
  std::free(h->items);
  for (size_t i = 0; i < h->nfacets; i++) {
    for (size_t k = 0; k < h->facets[i].nvalues; k++)
      std::free(const_cast<char *>(h->facets[i].values[k].value));
    std::free(h->facets[i].values);
  }
  std::free(h->facets);
  for (size_t i = 0; i < h->nterms; i++)
    std::free(h->terms[i]);
  std::free(h->terms);
  std::free(h->query);
  delete h->counting;
  std::free(h);
}

extern "C" tl_status tl_store_hits_counts(tl_store *s, tl_hits *h, tl_error *err) {
  if (!h->counting)
    return TL_OK;
  try {
    h->counting->finish(h);
    delete h->counting;
    h->counting = nullptr;
    return TL_OK;
  } catch (const Xapian::Error &e) {
    return from_reader(s, err, e, "counting the matches");
  } catch (const std::exception &e) {
    return from_std(err, e, "counting the matches");
  }
}

// ---- Maintenance, incremental indexing and shards (telusur-index) ----

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <vector>
#include <xxhash.h>

namespace {

namespace fs = std::filesystem;

// The shard paths a stub database file lists, resolved against its
// directory; empty when path is not a regular file.
std::vector<std::string> stub_shards(const std::string &path) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return out;
  std::ifstream in(path);
  std::string line;
  fs::path dir = fs::path(path).parent_path();
  while (std::getline(in, line)) {
    size_t sp = line.find(' ');
    if (line.empty() || line[0] == '#' || sp == std::string::npos)
      continue;
    std::string p = line.substr(sp + 1);
    out.push_back(fs::path(p).is_absolute() ? p : (dir / p).string());
  }
  return out;
}

unsigned long long tree_bytes(const std::string &path) {
  std::error_code ec;
  unsigned long long n = 0;
  if (fs::is_regular_file(path, ec))
    return fs::file_size(path, ec);
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec))
      n += it->file_size(ec);
  return n;
}

// Compacts one glass database directory in place.
void compact_one(const std::string &path) {
  Xapian::WritableDatabase lock(path, Xapian::DB_OPEN); // the writer lock
  std::string tmp = path + ".compact-tmp", old = path + ".compact-old";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::remove_all(old, ec);
  {
    Xapian::Database src(path);
    src.compact(tmp);
  }
  if (std::rename(path.c_str(), old.c_str()) != 0)
    throw std::runtime_error("renaming " + path + ": " + std::strerror(errno));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    std::rename(old.c_str(), path.c_str());
    throw std::runtime_error("renaming " + tmp + ": " + std::strerror(e));
  }
  lock.close();
  fs::remove_all(old, ec);
}

} // namespace

extern "C" tl_status tl_store_term_count(tl_store *s, const char *term, size_t len,
                                         unsigned long *n, tl_error *err) {
  *n = 0;
  try {
    *n = s->db->get_termfreq(std::string(term, len));
    return TL_OK;
  } catch (const Xapian::Error &e) {
    return from_reader(s, err, e, "counting a term");
  } catch (const std::exception &e) {
    return from_std(err, e, "counting a term");
  } catch (...) {
    return tl_error_set(err, TL_ERR_XAPIAN, "counting a term: unknown exception");
  }
}

extern "C" tl_status tl_store_first_value(tl_store *s, const char *term, size_t len, unsigned slot,
                                          char **value, tl_error *err) {
  *value = nullptr;
  try {
    std::string t(term, len), v;
    Xapian::PostingIterator it = s->db->postlist_begin(t);
    if (it != s->db->postlist_end(t))
      v = s->db->get_document(*it).get_value(slot);
    *value = dup_string(v);
    return *value ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("reading a value")
}

extern "C" tl_status tl_store_delete_term_count(tl_store *s, const char *term, size_t len,
                                                unsigned slot, unsigned long *narticles,
                                                tl_error *err) {
  if (narticles)
    *narticles = 0;
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    std::string t(term, len);
    if (narticles) {
      std::set<std::string> seen;
      for (auto it = s->wdb->postlist_begin(t); it != s->wdb->postlist_end(t); ++it) {
        std::string v = s->wdb->get_document(*it).get_value(slot);
        if (!v.empty())
          seen.insert(v);
      }
      *narticles = seen.size();
    }
    s->wdb->delete_document(t);
    return TL_OK;
  }
  TL_CATCH("deleting documents")
}

extern "C" tl_status tl_store_term_values(tl_store *s, const char *term, size_t len, unsigned slot,
                                          tl_value_fn fn, void *ctx, tl_error *err) {
  try {
    std::string t(term, len);
    for (auto it = s->db->postlist_begin(t); it != s->db->postlist_end(t); ++it) {
      std::string v = s->db->get_document(*it).get_value(slot);
      int rc = v.empty() ? 0 : fn(ctx, v.c_str());
      if (rc)
        return static_cast<tl_status>(rc);
    }
    return TL_OK;
  } catch (const Xapian::Error &e) {
    return from_reader(s, err, e, "listing values");
  } catch (const std::exception &e) {
    return from_std(err, e, "listing values");
  } catch (...) {
    return tl_error_set(err, TL_ERR_XAPIAN, "listing values: unknown exception");
  }
}

extern "C" tl_status tl_store_each_data(tl_store *s, tl_data_fn fn, void *ctx, tl_error *err) {
  try {
    for (auto it = s->db->postlist_begin(""); it != s->db->postlist_end(""); ++it) {
      std::string d = s->db->get_document(*it).get_data();
      int rc = fn(ctx, d.c_str(), d.size());
      if (rc)
        return static_cast<tl_status>(rc);
    }
    return TL_OK;
  } catch (const Xapian::Error &e) {
    return from_reader(s, err, e, "reading documents");
  } catch (const std::exception &e) {
    return from_std(err, e, "reading documents");
  } catch (...) {
    return tl_error_set(err, TL_ERR_XAPIAN, "reading documents: unknown exception");
  }
}

extern "C" tl_status tl_store_terms_each(tl_store *s, const char *prefix, tl_index_term_fn fn,
                                         void *ctx, tl_error *err) {
  try {
    std::string p(prefix);
    std::vector<std::pair<std::string, Xapian::doccount>> terms;
    // read first, then call fn, as tl_store_metadata_each
    read_latest(s, [&] {
      terms.clear();
      for (auto it = s->db->allterms_begin(p); it != s->db->allterms_end(p); ++it)
        terms.emplace_back(*it, it.get_termfreq());
    });
    for (const auto &t : terms) {
      int rc = fn(ctx, t.first.c_str(), t.first.size(), t.second);
      if (rc)
        return static_cast<tl_status>(rc);
    }
    return TL_OK;
  }
  TL_CATCH("listing terms")
}

extern "C" tl_status tl_store_metadata_each(tl_store *s, const char *prefix, tl_meta_fn fn,
                                            void *ctx, tl_error *err) {
  try {
    std::string p(prefix);
    std::vector<std::pair<std::string, std::string>> kv;
    // read first, then call fn: a reader retries on a revision a writer
    // discarded, and fn sees every key once
    read_latest(s, [&] {
      kv.clear();
      for (auto it = s->db->metadata_keys_begin(p); it != s->db->metadata_keys_end(p); ++it)
        kv.emplace_back(*it, s->db->get_metadata(*it));
    });
    for (const auto &e : kv) {
      int rc = fn(ctx, e.first.c_str(), e.second.c_str());
      if (rc)
        return static_cast<tl_status>(rc);
    }
    return TL_OK;
  }
  TL_CATCH("listing metadata")
}

extern "C" tl_status tl_store_stats(const char *path, tl_store_stats_t *out, tl_error *err) {
  std::memset(out, 0, sizeof *out);
  try {
    Xapian::Database db(path);
    out->documents = db.get_doccount();
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      out->terms++;
      if (!(*it).empty() && (*it)[0] == TL_PREFIX_ID[0])
        out->articles++;
    }
    std::vector<std::string> shards = stub_shards(path);
    out->shards = shards.empty() ? 1 : (unsigned)shards.size();
    out->bytes = tree_bytes(path);
    for (const auto &sh : shards)
      out->bytes += tree_bytes(sh);
    return TL_OK;
  }
  TL_CATCH("database statistics")
}

extern "C" tl_status tl_store_compact(const char *path, unsigned long long *before,
                                      unsigned long long *after, tl_error *err) {
  try {
    std::vector<std::string> shards = stub_shards(path);
    if (shards.empty())
      shards.push_back(path);
    unsigned long long b = 0, a = 0;
    for (const auto &sh : shards)
      b += tree_bytes(sh);
    for (const auto &sh : shards) {
      try {
        compact_one(sh);
      } catch (const Xapian::DatabaseLockError &e) {
        return tl_error_set(err, TL_ERR_LOCK,
                            "database %s is locked by another writer (lock file "
                            "%s/flintlock): %s",
                            sh.c_str(), sh.c_str(), e.get_msg().c_str());
      }
    }
    for (const auto &sh : shards)
      a += tree_bytes(sh);
    if (before)
      *before = b;
    if (after)
      *after = a;
    return TL_OK;
  }
  TL_CATCH("compacting")
}

extern "C" tl_status tl_store_write_stub(const char *stub_path, const char *const *shards, size_t n,
                                         tl_error *err) {
  std::string tmp = std::string(stub_path) + ".tmp";
  FILE *f = std::fopen(tmp.c_str(), "w");
  if (!f)
    return tl_error_set(err, TL_ERR_IO, "%s: %s", tmp.c_str(), std::strerror(errno));
  for (size_t i = 0; i < n; i++)
    std::fprintf(f, "auto %s\n", shards[i]);
  if (std::fclose(f) != 0 || std::rename(tmp.c_str(), stub_path) != 0) {
    int e = errno;
    std::remove(tmp.c_str());
    return tl_error_set(err, TL_ERR_IO, "%s: %s", stub_path, std::strerror(e));
  }
  return TL_OK;
}

extern "C" tl_status tl_store_digest(tl_store *s, unsigned long long *out, tl_error *err) {
  *out = 0;
  XXH64_state_t *h = XXH64_createState();
  if (!h)
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  try {
    XXH64_reset(h, 0);
    auto put = [h](const std::string &x) {
      uint64_t n = x.size();
      XXH64_update(h, &n, sizeof n);
      XXH64_update(h, x.data(), x.size());
    };
    auto num = [h](uint64_t n) { XXH64_update(h, &n, sizeof n); };
    for (auto it = s->db->postlist_begin(""); it != s->db->postlist_end(""); ++it) {
      Xapian::Document d = s->db->get_document(*it);
      num(*it);
      put(d.get_data());
      for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
        put(*t);
        num(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
          num(*p);
      }
      for (auto v = d.values_begin(); v != d.values_end(); ++v) {
        num(v.get_valueno());
        put(*v);
      }
    }
    *out = XXH64_digest(h);
    XXH64_freeState(h);
    return TL_OK;
  } catch (...) {
    XXH64_freeState(h);
    try {
      throw;
    }
    TL_CATCH("digest")
  }
}
