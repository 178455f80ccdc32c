// store.cc - the extern "C" shim over libxapian. Every function catches
// every exception and turns it into a status code with a message.
#include "xapian/store.h"

#include "index/schema.h"
#include "text/date.h"

#include <xapian.h>
#include <zstd.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bitset>
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
#include <sstream>
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
  ~tl_store() {
    ZSTD_freeDCtx(zd);
  }
  Xapian::Database *db = nullptr;
  Xapian::WritableDatabase *wdb = nullptr; // same object as db when writable
  std::string path;
  bool in_transaction = false;
  std::vector<tl_shard> shards; // read mode, a stub: its databases
  // the shards that answered, each on its own (handles on the databases
  // of db): their metadata, which db reads from the first alone
  std::vector<std::pair<std::string, Xapian::Database>> live;
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
  // Terms' counted document frequencies with Xapian's estimates (term_freq),
  // as searches and the reranker ask for them again and again: kept for the
  // revision read (a reader), forgotten when the database is reopened.
  std::unordered_map<std::string, std::pair<double, double>> term_freqs;
  // Decompresses the records of hits (unpacked_data); made on first use.
  ZSTD_DCtx *zd = nullptr;
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

// Whether e, an error of a reader, is the index changing under it. Xapian
// reports blocks being rewritten by a writer's commit in more ways than
// DatabaseModifiedError: as DatabaseCorruptError, as a DatabaseError when a
// block read half rewritten points past the end of its table ("EOF reading
// block"), as DocNotFoundError when a document's entry is looked up in a
// block that now holds other keys. Whatever the error, when the database on
// disk has moved on from the reader's revision it is taken for a change:
// the reader reopens and reads again, and meets the error again if it is
// real. A writer reads its own revision, and a stub or sharded database
// has no one revision: neither sees a change but DatabaseModifiedError
// (a reader of shards); nor is a network error a change.
bool changed_under(const tl_store *s, const Xapian::Error &e) {
  const std::string type = e.get_type();
  if (s->wdb)
    return false;
  if (type == "DatabaseModifiedError")
    return true;
  if (!s->shards.empty() || type == "NetworkError" || type == "NetworkTimeoutError" ||
      type == "DatabaseLockError" || type == "DatabaseNotFoundError" ||
      type == "DatabaseOpeningError")
    return false;
  try {
    return Xapian::Database(s->path).get_revision() != s->db->get_revision();
  } catch (...) {
    return false;
  }
}

// An error of a reader, TL_ERR_MODIFIED when it is the index changing under
// it (changed_under).
tl_status from_reader(tl_store *s, tl_error *err, const Xapian::Error &e, const char *what) {
  tl_status code = from_xapian(err, e, what);
  const std::string type = e.get_type();
  s->network_error = type == "NetworkError" || type == "NetworkTimeoutError";
  if (code == TL_ERR_XAPIAN && changed_under(s, e))
    err->code = code = TL_ERR_MODIFIED;
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

// A line of a file as an error message quotes it: control bytes written as
// \xNN (a binary file's bytes would move the terminal), at most 60 bytes
// of it, then "...".
std::string shown(const std::string &line) {
  std::string out;
  char hex[8];
  for (size_t i = 0; i < line.size() && i < 60; i++) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 || c == 0x7f) {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return line.size() > 60 ? out + "..." : out;
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
        throw ShardError(where + "'" + shown(line) + "': expected 'remote HOST:PORT'",
                         TL_ERR_FORMAT);
      sh.host = rest.substr(0, colon);
      sh.port = (unsigned)port;
      sh.name = rest;
    } else if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
      sh.path = std::filesystem::path(rest).is_absolute() ? rest : (dir / rest).string();
      sh.name = sh.path;
    } else {
      throw ShardError(where + "'" + shown(line) + "': expected 'auto PATH' or 'remote HOST:PORT'",
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
  std::vector<std::pair<std::string, Xapian::Database>> live;
  for (const auto &sh : s->shards) {
    try {
      Xapian::Database one = open_shard(sh, s->timeout_ms);
      db->add_database(one);
      live.emplace_back(sh.name, one);
    } catch (const Xapian::Error &e) {
      if (!s->allow_partial) {
        delete db;
        throw shard_error(sh, e);
      }
      missing += (missing.empty() ? "" : ", ") + sh.name;
    }
  }
  if (live.empty()) {
    delete db;
    throw ShardError("no shard of " + s->path + " answers: " + missing, TL_ERR_XAPIAN);
  }
  delete s->db;
  s->db = db;
  s->live = std::move(live);
  s->missing = missing;
  s->spell_terms.clear();
  s->term_freqs.clear();
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
  if (mode != TL_STORE_WRITE && mode != TL_STORE_CREATE)
    return tl_store_open_read(path, TL_STORE_TIMEOUT_DEFAULT, 0, out, err);
  *out = nullptr;
  tl_store *s = nullptr;
  try {
    s = new tl_store;
    s->path = path;
    s->wdb = new Xapian::WritableDatabase(
        path, Xapian::DB_CREATE_OR_OPEN | (mode == TL_STORE_CREATE ? Xapian::DB_NO_SYNC : 0));
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

extern "C" unsigned long tl_store_passage_count(const tl_store *s) {
  try {
    return static_cast<unsigned long>(s->db->get_collection_freq(TL_TERM_PASSAGES));
  } catch (...) {
    return 0;
  }
}

extern "C" double tl_store_avg_length(const tl_store *s) {
  try {
    double n = static_cast<double>(s->db->get_collection_freq(TL_TERM_PASSAGES));
    return n > 0 ? static_cast<double>(s->db->get_collection_freq(TL_TERM_LENGTH)) / n : 0;
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
    } catch (const Xapian::Error &e) {
      if (attempt >= 10 || !changed_under(s, e))
        throw;
      s->db->reopen();
      s->spell_terms.clear();
      s->term_freqs.clear();
    }
  }
}

extern "C" tl_status tl_store_get_metadata(tl_store *s, const char *key, char **value,
                                           tl_error *err) {
  *value = nullptr;
  try {
    std::string v;
    read_latest(s, [&] {
      // of a stub's shards, the first that holds documents: an empty one
      // records what it was created with, not what it holds
      for (auto &one : s->live)
        if (one.second.get_doccount() > 0) {
          v = one.second.get_metadata(key);
          return;
        }
      v = s->db->get_metadata(key);
    });
    *value = dup_string(v);
    return *value ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("reading metadata")
}

extern "C" tl_status tl_store_shards_differ(tl_store *s, const char *key, const char *dflt,
                                            char **out, tl_error *err) {
  *out = nullptr;
  try {
    std::string first, first_name, diff;
    read_latest(s, [&] {
      first_name.clear();
      diff.clear();
      for (auto &one : s->live) {
        if (one.second.get_doccount() == 0)
          continue; // nothing indexed by any analysis yet
        std::string v = one.second.get_metadata(key);
        if (v.empty())
          v = dflt;
        if (first_name.empty()) {
          first = v;
          first_name = one.first;
        } else if (v != first) {
          diff = first_name + " '" + first + "', " + one.first + " '" + v + "'";
          break;
        }
      }
    });
    if (diff.empty())
      return TL_OK;
    *out = dup_string(diff);
    return *out ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("reading the shards' metadata")
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

// One file or directory to disk; 0, or errno.
static int sync_path(const std::string &p) {
  int fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  int rc = fsync(fd) == 0 ? 0 : errno;
  close(fd);
  return rc;
}

extern "C" tl_status tl_store_sync(const char *path, tl_error *err) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return tl_error_set(err, TL_ERR_IO, "%s: %s", path, std::strerror(errno));
  int rc = 0;
  std::string failed;
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    if (!d)
      return tl_error_set(err, TL_ERR_IO, "%s: %s", path, std::strerror(errno));
    while (struct dirent *e = readdir(d)) {
      std::string p = std::string(path) + "/" + e->d_name;
      if (stat(p.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode))
        continue;
      if ((rc = sync_path(p)) != 0) {
        failed = p;
        break;
      }
    }
    closedir(d);
  }
  if (!rc && (rc = sync_path(path)) != 0)
    failed = path;
  // its entry in the directory that holds it
  const char *slash = std::strrchr(path, '/');
  std::string parent = !slash ? "." : slash == path ? "/" : std::string(path, slash - path);
  if (!rc && (rc = sync_path(parent)) != 0)
    failed = parent;
  if (rc)
    return tl_error_set(err, TL_ERR_IO, "%s: cannot sync to disk: %s", failed.c_str(),
                        std::strerror(rc));
  return TL_OK;
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

// The indexed word form (an unprefixed term of letters a-z) in least
// passages or more nearest to word within max edits, the one in most
// passages among the nearest; "" when none, among terms
// (spelling_candidates: words are taken to begin with the letter typed).
// Read from the term list, the suggestions follow the index as it is
// (deletions included), in one database or over shards alike.
static std::string
spelling_suggestion(const std::vector<std::pair<std::string, Xapian::doccount>> &terms,
                    const std::string &word, unsigned max, Xapian::doccount least) {
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
    if (tf.second < least || len_diff > std::min(max, best_d) ||
        bag_distance(want, other, t) > std::min(max, best_d))
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
      if (word_s.empty())
        return;
      // a word the index lacks; or a typo in the text, of 6 letters or more:
      // in 1 or 2 passages, while a word one edit away is in 50 times as
      // many (kebijkan; not card, an English word, beside cara)
      Xapian::doccount f = s->db->get_termfreq(word_s);
      if (f == 0 || (f <= TL_SPELLING_RARE && word_s.size() >= 6))
        w = spelling_suggestion(spelling_candidates(s, word_s[0]), word_s,
                                word_s.size() > 6 && f == 0 ? 2 : 1,
                                f ? std::max<Xapian::doccount>(20, 50 * f) : 0);
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
    s->term_freqs.clear();
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

// A document's records as stored (schema.h, TL_SLOT_RECORDS): one
// Zstandard frame (RFC 8878) at level 1, which records the records' size;
// "" for none. Compressed where the document is made (an analysis thread),
// not by glass on the writer's thread, which the build waits on; kept in a
// value slot, which glass stores as it is, not as the document's data,
// which glass would try to deflate again (bench/RESULTS-index.md, schema
// 10 and 11).
static std::string packed_data(const char *data, size_t len) {
  if (len == 0)
    return std::string();
  std::string out(ZSTD_compressBound(len), '\0');
  size_t n = ZSTD_compress(&out[0], out.size(), data, len, 1);
  if (ZSTD_isError(n))
    throw std::bad_alloc();
  out.resize(n);
  return out;
}

// The records of a document as stored (packed_data), decompressed with the
// reader's context *zd (made on first use); a value that does not
// decompress to the size it states is a damaged index.
static std::string unpacked_data(ZSTD_DCtx **zd, const std::string &stored) {
  if (stored.empty())
    return stored;
  unsigned long long len = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (len == ZSTD_CONTENTSIZE_ERROR || len == ZSTD_CONTENTSIZE_UNKNOWN || len > 0xffffffffu)
    throw Xapian::DatabaseCorruptError("a document's records are not a Zstandard frame");
  if (!*zd && !(*zd = ZSTD_createDCtx()))
    throw std::bad_alloc();
  std::string out(static_cast<size_t>(len), '\0');
  size_t got = ZSTD_decompressDCtx(*zd, &out[0], out.size(), stored.data(), stored.size());
  if (ZSTD_isError(got) || got != len)
    throw Xapian::DatabaseCorruptError("a document's records do not decompress to their size");
  return out;
}

extern "C" tl_status tl_doc_set_records(tl_doc *d, const char *data, size_t len, tl_error *err) {
  try {
    d->doc.add_value(TL_SLOT_RECORDS, packed_data(data, len));
    return TL_OK;
  }
  TL_CATCH("setting document records")
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
    if (from.empty() && to.empty())
      throw Xapian::QueryParserError("date range ..: a date is needed on one side at least");
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

// q with each subquery replaced by sub(subquery), for the operators the
// query parser puts around words (AND, OR, AND_NOT, AND_MAYBE, FILTER,
// SYNONYM, MAX); q itself for any other (a phrase's or NEAR's window, a
// scale factor: Xapian 1.4 does not tell them), or when no subquery changed.
template <class Sub> static Xapian::Query rebuilt(const Xapian::Query &q, Sub sub) {
  const Xapian::Query::op op = q.get_type();
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
    Xapian::Query s = q.get_subquery(i), x = sub(s);
    changed |= x.get_description() != s.get_description();
    subs.push_back(x);
  }
  return changed ? Xapian::Query(op, subs.begin(), subs.end()) : q;
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
  return rebuilt(q, [&db](const Xapian::Query &sub) { return expand_wildcards(sub, db); });
}

// Whether two weights are equal but for rounding: Xapian sums a passage's
// term weights in an order that depends on the shard's own statistics, so
// that one passage can score a few units in the last place apart in one
// database and in shards.
static bool same_weight(double a, double b) {
  double m = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

// ---- Passages inside documents (schema.h: a document is a chunk of an
// article's passages, TL_SLOT_PASSAGES tells where each one's words are) ----

// One passage of a document: its word positions [first, end) and length.
struct Span {
  unsigned first, end, length;
};

static unsigned get_u32(const std::string &v, size_t at) {
  unsigned x = 0;
  for (size_t k = 4; k-- > 0;)
    x = x << 8 | static_cast<unsigned char>(v[at + k]);
  return x;
}

// The passages of a document, from its TL_SLOT_PASSAGES value.
static std::vector<Span> passage_spans(const std::string &v) {
  std::vector<Span> out;
  for (size_t at = 0; at + TL_PASSAGE_ENTRY <= v.size(); at += TL_PASSAGE_ENTRY)
    out.push_back({get_u32(v, at), get_u32(v, at + 4), get_u32(v, at + 8)});
  return out;
}

// Record k (0-based) of a document's data, after its length in 4 bytes;
// false when the data has none.
static bool data_record(const std::string &data, size_t k, size_t *at, size_t *len) {
  for (size_t p = 0; p + 4 <= data.size(); k--) {
    size_t n = get_u32(data, p);
    if (n > data.size() - p - 4)
      break;
    if (k == 0) {
      *at = p + 4;
      *len = n;
      return true;
    }
    p += 4 + n;
  }
  return false;
}

// The record of passage k (0-based) of a document's data (schema.h: the
// article's part, then each passage's own, joined); "" when the data has
// none.
static std::string passage_record(const std::string &data, size_t k) {
  size_t aat, alen, pat, plen;
  if (!data_record(data, 0, &aat, &alen) || !data_record(data, k + 1, &pat, &plen) || !alen ||
      !plen)
    return std::string();
  std::string r(plen + alen - 1, '\0');
  r.resize(tl_record_join(data.data() + pat, plen, data.data() + aat, alen, &r[0]));
  return r;
}

// Whether a term is its article's as a whole (title words and stems, the
// id, file, field and acronym terms), not one passage's: capitals, after
// the stem prefix for stems.
static bool article_term(const std::string &t) {
  size_t at = !t.empty() && t[0] == TL_PREFIX_STEM[0] ? 1 : 0;
  return at < t.size() && t[at] >= 'A' && t[at] <= 'Z';
}

// q with the right side of every AND_NOT left out, in the operators the
// query parser writes: a query that matches every document holding a
// passage that q matches.
static Xapian::Query relaxed(const Xapian::Query &q) {
  if (q.get_type() == Xapian::Query::OP_AND_NOT)
    return q.get_num_subqueries() ? relaxed(q.get_subquery(0)) : q;
  return rebuilt(q, relaxed);
}

// The right sides of q's AND_NOTs (what it excludes), into out.
static void excluded_parts(const Xapian::Query &q, std::vector<Xapian::Query> &out) {
  size_t n = q.get_num_subqueries();
  if (q.get_type() == Xapian::Query::OP_AND_NOT) {
    for (size_t i = 1; i < n; i++)
      out.push_back(q.get_subquery(i));
    n = std::min<size_t>(n, 1);
  }
  for (size_t i = 0; i < n; i++)
    excluded_parts(q.get_subquery(i), out);
}

// x without what q excludes: the exact word forms' query matches no
// passage that the stemmed words' leave out ("beras -banjir" and
// "dibanjiri").
static Xapian::Query excluding(const Xapian::Query &x, const Xapian::Query &q) {
  std::vector<Xapian::Query> parts;
  excluded_parts(q, parts);
  if (x.empty() || parts.empty())
    return x;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, x,
                       Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
}

// The terms a query counts for a document's weight: its leaves but those
// under the right of AND_NOT or a filter's filters, and those of ranges.
static void positive_terms(const Xapian::Query &q, std::set<std::string> &out) {
  Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::LEAF_TERM) {
    if (q.get_terms_begin() != q.get_terms_end())
      out.insert(*q.get_terms_begin());
    return;
  }
  size_t n = q.get_num_subqueries();
  if (op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_FILTER)
    n = std::min<size_t>(n, 1);
  for (size_t i = 0; i < n; i++)
    positive_terms(q.get_subquery(i), out);
}

// Whether a term of its article's as a whole is a title word or stem (with
// positions of its own), not a boolean term (id, file, field, acronym).
static bool title_term(const std::string &t) {
  size_t at = !t.empty() && t[0] == TL_PREFIX_STEM[0] ? 1 : 0;
  return at < t.size() && t[at] == TL_PREFIX_TITLE[0];
}

// The window of a PHRASE or NEAR query, from its description (Xapian 1.4
// does not tell it otherwise): the number after the operator's name.
static unsigned window_of(const Xapian::Query &q) {
  const char *op = q.get_type() == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
  std::string d = q.get_description();
  size_t at = d.find(op);
  return at == std::string::npos
             ? 0
             : static_cast<unsigned>(std::strtoul(d.c_str() + at + std::strlen(op), nullptr, 10));
}

// An exact phrase of terms: a PHRASE whose window is its number of terms
// (words one after another, as a quoted or hyphenated phrase parses).
static bool exact_phrase(const Xapian::Query &q) {
  size_t n = q.get_num_subqueries();
  if (q.get_type() != Xapian::Query::OP_PHRASE || n < 2)
    return false;
  for (size_t i = 0; i < n; i++)
    if (q.get_subquery(i).get_type() != Xapian::Query::LEAF_TERM)
      return false;
  return window_of(q) == n;
}

// Whether a passage's match can be told from the terms' frequencies alone
// (no phrase, NEAR, range or other operator that needs positions or
// values), or with phrases, from them and the positions of its exact
// phrases' terms (FrequencyMatch).
static bool matched_by(const Xapian::Query &q, bool phrases) {
  if (phrases && exact_phrase(q))
    return true;
  switch (q.get_type()) {
  case Xapian::Query::LEAF_TERM:
  case Xapian::Query::LEAF_MATCH_ALL:
  case Xapian::Query::LEAF_MATCH_NOTHING: return true;
  case Xapian::Query::OP_AND:
  case Xapian::Query::OP_OR:
  case Xapian::Query::OP_AND_NOT:
  case Xapian::Query::OP_AND_MAYBE:
  case Xapian::Query::OP_FILTER:
  case Xapian::Query::OP_SYNONYM:
  case Xapian::Query::OP_MAX:
  case Xapian::Query::OP_SCALE_WEIGHT:
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
      if (!matched_by(q.get_subquery(i), phrases))
        return false;
    return true;
  default: return false;
  }
}

static bool by_frequencies(const Xapian::Query &q) {
  return matched_by(q, false);
}

static bool by_positions(const Xapian::Query &q) {
  return matched_by(q, true);
}

// How a query's match over a document tells its match over the document's
// passages: GRAIN_WHOLE, the same for every passage (its article's terms,
// ranges over its values); GRAIN_LOCAL, the document matches if and only
// if one of its passages does (words, ORs of them, phrases and NEAR no
// wider than TL_PASSAGE_GAP, ANDs of one such with GRAIN_WHOLE ones);
// GRAIN_SPLIT, neither (an AND of words that may be in two passages, a NOT
// of a word, a wide NEAR).
enum Grain { GRAIN_WHOLE, GRAIN_LOCAL, GRAIN_SPLIT };

// The widest window of the PHRASE and NEAR operators in q, from its
// description: Xapian 1.4 does not tell a query's window otherwise.
static unsigned widest_window(const Xapian::Query &q) {
  std::string d = q.get_description();
  unsigned widest = 0;
  for (const char *op : {" PHRASE ", " NEAR "})
    for (size_t at = d.find(op); at != std::string::npos; at = d.find(op, at + 1))
      widest = std::max<unsigned>(widest, static_cast<unsigned>(std::strtoul(
                                              d.c_str() + at + std::strlen(op), nullptr, 10)));
  return widest;
}

static Grain grain(const Xapian::Query &q) {
  size_t n = q.get_num_subqueries();
  std::vector<Grain> sub;
  for (size_t i = 0; i < n; i++)
    sub.push_back(grain(q.get_subquery(i)));
  auto count = [&sub](Grain g) { return std::count(sub.begin(), sub.end(), g); };
  switch (q.get_type()) {
  case Xapian::Query::LEAF_TERM:
    return q.get_terms_begin() != q.get_terms_end() && article_term(*q.get_terms_begin())
               ? GRAIN_WHOLE
               : GRAIN_LOCAL;
  case Xapian::Query::LEAF_MATCH_ALL:
  case Xapian::Query::LEAF_MATCH_NOTHING:
  case Xapian::Query::OP_VALUE_RANGE:
  case Xapian::Query::OP_VALUE_GE:
  case Xapian::Query::OP_VALUE_LE: return GRAIN_WHOLE;
  case Xapian::Query::OP_OR:
  case Xapian::Query::OP_SYNONYM:
  case Xapian::Query::OP_MAX:
    return count(GRAIN_SPLIT) ? GRAIN_SPLIT : count(GRAIN_LOCAL) ? GRAIN_LOCAL : GRAIN_WHOLE;
  case Xapian::Query::OP_AND:
  case Xapian::Query::OP_FILTER:
    return count(GRAIN_SPLIT) || count(GRAIN_LOCAL) > 1 ? GRAIN_SPLIT
           : count(GRAIN_LOCAL)                         ? GRAIN_LOCAL
                                                        : GRAIN_WHOLE;
  case Xapian::Query::OP_AND_NOT: // what is left out must be the article's as a whole
    return !n ? GRAIN_WHOLE
           : std::all_of(sub.begin() + 1, sub.end(), [](Grain g) { return g == GRAIN_WHOLE; })
               ? sub[0]
               : GRAIN_SPLIT;
  case Xapian::Query::OP_AND_MAYBE:
  case Xapian::Query::OP_SCALE_WEIGHT: return n ? sub[0] : GRAIN_WHOLE;
  case Xapian::Query::OP_PHRASE:
  case Xapian::Query::OP_NEAR:
    if (count(GRAIN_WHOLE) == static_cast<long>(n))
      return GRAIN_WHOLE;
    return count(GRAIN_LOCAL) == static_cast<long>(n) && widest_window(q) <= TL_PASSAGE_GAP
               ? GRAIN_LOCAL
               : GRAIN_SPLIT;
  default: return GRAIN_SPLIT;
  }
}

// The word form a stem term is searched with (schema.h: a stem equal to its
// word form is not written, since version 6): "s" for "Zs", "Ss" for the
// title's "ZSs"; "" for any other term.
static std::string word_form_of(const std::string &t) {
  return t.size() > 1 && t[0] == TL_PREFIX_STEM[0] ? t.substr(1) : std::string();
}

// Xapian's estimate of the documents an OR of two terms in a and b of n
// documents holds, as if independent (OrPostList::
// get_termfreq_est_using_stats of Xapian 1.4, which its matcher weighs an
// OP_SYNONYM by).
static double or_estimate(double a, double b, double n) {
  return n > 0 ? std::floor(a + b - a * (b / n) + 0.5) : a + b;
}

// BM25's idf of a term in df of n documents, as Xapian's BM25Weight
// computes it without a relevance set (floored for terms in over a third
// of the documents).
static double bm25_idf(double df, double n) {
  double tw = (n - df + 0.5) / (df + 0.5);
  if (tw < 2)
    tw = tw * 0.5 + 1;
  return std::log(tw);
}

// q with each stem term (word_form_of) searched as Xapian's OP_SYNONYM of
// itself and its word form: one term to BM25, its wdf the two summed,
// its weight scaled by scale(term) when given (StemFreqs). In the
// operators rebuilt rewrites; with unweighted (a match that weighs
// nothing), under OP_SCALE_WEIGHT too, the scale left out. Weighted, under
// an OP_SCALE_WEIGHT by factor (the expansion's, with_expansions: Xapian
// 1.4 does not tell a query's factor, so a scaled query is recognised by
// its description), the factor kept.
using StemScale = std::function<double(const std::string &)>;
static Xapian::Query with_word_forms(const Xapian::Query &q, bool unweighted = false,
                                     const StemScale &scale = nullptr, double factor = 0) {
  if (q.get_type() == Xapian::Query::LEAF_TERM && q.get_terms_begin() != q.get_terms_end()) {
    const std::string t = *q.get_terms_begin(), word = word_form_of(t);
    if (word.empty())
      return q;
    Xapian::Query syn(Xapian::Query::OP_SYNONYM, q, Xapian::Query(word));
    double f = scale ? scale(t) : 1;
    return f == 1 ? syn : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, syn, f);
  }
  if (q.get_type() == Xapian::Query::OP_SCALE_WEIGHT && q.get_num_subqueries() == 1) {
    if (unweighted)
      return with_word_forms(q.get_subquery(0), true);
    if (factor > 0 && Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q.get_subquery(0), factor)
                              .get_description() == q.get_description())
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                           with_word_forms(q.get_subquery(0), false, scale, factor), factor);
    return q;
  }
  return rebuilt(q, [unweighted, &scale, factor](const Xapian::Query &sub) {
    return with_word_forms(sub, unweighted, scale, factor);
  });
}

// The number of documents that hold a term; for a stem term, the
// documents of its stem term or its word form (with_word_forms): counted
// where the rarer of the two is in at most UNION_RARE documents and the
// other in at most UNION_OTHER (a skip through the other's postings for
// each of the rarer's; a remote shard sends the other's whole list), else
// Xapian's estimate for their OR (or_estimate). The same rule for one
// database and for shards, local or remote, so that they rank alike. With
// estimate: Xapian's estimate into it (for any other term its own
// frequency).
static Xapian::doccount term_freq(const Xapian::Database &db, const std::string &t,
                                  double *estimate = nullptr) {
  const Xapian::doccount UNION_RARE = 4096, UNION_OTHER = 65536;
  std::string word = word_form_of(t);
  Xapian::doccount a = db.get_termfreq(t);
  if (estimate)
    *estimate = a;
  if (word.empty())
    return a;
  Xapian::doccount b = db.get_termfreq(word);
  double est = or_estimate(a, b, db.get_doccount());
  if (estimate)
    *estimate = est;
  if (!a || !b)
    return a + b;
  if (std::min(a, b) > UNION_RARE || std::max(a, b) > UNION_OTHER)
    return static_cast<Xapian::doccount>(est);
  const std::string &rare = a <= b ? t : word, &other = a <= b ? word : t;
  Xapian::doccount both = 0;
  Xapian::PostingIterator o = db.postlist_begin(other), oend = db.postlist_end(other);
  for (auto p = db.postlist_begin(rare); p != db.postlist_end(rare) && o != oend; ++p) {
    o.skip_to(*p);
    both += o != oend && *o == *p;
  }
  return a + b - both;
}

// Frequencies kept at most (tl_store.term_freqs): past it, forgotten.
const size_t TERM_FREQS_MAX = 65536;

// The document frequencies of a query's terms (term_freq), each counted
// once; and for a stem, the factor that turns the BM25 weight Xapian's
// matcher gives its OP_SYNONYM (with its estimated frequency) into the
// weight with its counted one: the ratio of the two idfs, since with k3 = 0
// a BM25 weight is its idf times a part of wdf and length alone.
class StemFreqs {
public:
  // freq: where the frequencies are kept (tl_store.term_freqs), also
  // across queries
  StemFreqs(const Xapian::Database &db,
            std::unordered_map<std::string, std::pair<double, double>> &freq)
      : db_(db), freq_(freq) {}
  double operator()(const std::string &t) {
    return freqs(t).first;
  }
  double scale(const std::string &t) {
    double n = db_.get_doccount(), xapian_idf = bm25_idf(freqs(t).second, n);
    return xapian_idf > 1e-9 ? bm25_idf(freqs(t).first, n) / xapian_idf : 1;
  }

private:
  // a term's counted frequency and Xapian's estimate (term_freq)
  std::pair<double, double> freqs(const std::string &t) {
    auto at = freq_.find(t);
    if (at == freq_.end()) {
      double est = 0, counted = term_freq(db_, t, &est);
      if (freq_.size() >= TERM_FREQS_MAX)
        freq_.clear();
      at = freq_.emplace(t, std::make_pair(counted, est)).first;
    }
    return at->second;
  }
  const Xapian::Database &db_;
  std::unordered_map<std::string, std::pair<double, double>> &freq_;
};

// The postings of a term as a query sees it: a stem term's are those of
// the stem term and of its word form (word_form_of) together.
class TermPostings {
public:
  TermPostings(const Xapian::Database &db, const std::string &t) : n_(1) {
    it_[0] = db.postlist_begin(t);
    std::string word = word_form_of(t);
    if (!word.empty())
      it_[n_++] = db.postlist_begin(word);
  }
  // Whether no document is left past the last one skipped to.
  bool done() const {
    for (size_t k = 0; k < n_; k++)
      if (it_[k] != Xapian::PostingIterator())
        return false;
    return true;
  }
  // Moves to document d (ascending from one call to the next): whether
  // the term is in it.
  bool skip_to(Xapian::docid d) {
    bool any = false;
    for (size_t k = 0; k < n_; k++) {
      if (it_[k] != Xapian::PostingIterator())
        it_[k].skip_to(d);
      in_[k] = it_[k] != Xapian::PostingIterator() && *it_[k] == d;
      any |= in_[k];
    }
    return any;
  }
  // In the document skipped to: the term's positions (ascending, each
  // once, into out).
  void positions(std::vector<unsigned> &out) const {
    out.clear();
    for (size_t k = 0; k < n_; k++)
      if (in_[k]) {
        size_t from = out.size();
        for (auto at = it_[k].positionlist_begin(); at != it_[k].positionlist_end(); ++at)
          out.push_back(*at);
        if (from > 0) { // a stem at its hyphenated word's first part: once
          std::inplace_merge(out.begin(), out.begin() + static_cast<long>(from), out.end());
          out.erase(std::unique(out.begin(), out.end()), out.end());
        }
      }
  }

private:
  Xapian::PostingIterator it_[2];
  bool in_[2] = {false, false};
  size_t n_;
};

// The positions p where an exact phrase of n terms occurs: term k of it
// (0-based) at p + k; positions(k) is term k's ascending positions (in a
// passage or a document). Each p is given to found; it returns false to stop.
template <class Positions, class Found>
static void phrase_starts(size_t n, Positions positions, Found found) {
  for (unsigned p : positions(0)) {
    size_t k = 1;
    while (k < n && std::binary_search(positions(k).begin(), positions(k).end(), p + k))
      k++;
    if (k == n && !found(p))
      return;
  }
}

// A query of by_frequencies, matched against up to 64 passages at once
// from the passages each of its terms occurs in: the query as a tree in an
// array (each node's operator, its term: an index into the sorted terms or
// none, and the index after its subtree; its subqueries follow it),
// evaluated over bit sets of passages.
class FrequencyMatch {
public:
  FrequencyMatch(const Xapian::Query &q, const std::vector<std::string> &terms) : terms_(terms) {
    compile(q);
  }
  // The passages of `all` (a bit per passage) that match, given has[i]:
  // the passages term i occurs in.
  uint64_t match(const uint64_t *has, uint64_t all) const {
    return eval(0, has, all);
  }
  // The same for a query of by_positions: phrase_has[k], the passages
  // its k-th exact phrase occurs in (in the order of phrase_terms).
  uint64_t match(const uint64_t *has, const uint64_t *phrase_has, uint64_t all) {
    phrase_has_ = phrase_has;
    uint64_t m = eval(0, has, all);
    phrase_has_ = nullptr;
    return m;
  }
  // The exact phrases of the query: each its terms' indexes, in order.
  std::vector<std::vector<size_t>> phrase_terms() const {
    std::vector<std::vector<size_t>> out;
    for (size_t i = 0; i < tree_.size(); i++)
      if (tree_[i].op == Xapian::Query::OP_PHRASE) {
        out.emplace_back();
        for (size_t c = i + 1; c < tree_[i].end; c = tree_[c].end)
          out.back().push_back(tree_[c].term);
      }
    return out;
  }
  // Whether one passage matches, given has[i] (1 when term i occurs in it)
  // and pos[i] (term i's positions in it, ascending): a query of
  // by_positions, whose exact phrases are matched from the positions.
  bool match_passage(const uint64_t *has, const std::vector<std::vector<unsigned>> &pos) {
    pos_ = &pos;
    bool m = eval(0, has, 1) != 0;
    pos_ = nullptr;
    return m;
  }

private:
  struct Node {
    Xapian::Query::op op;
    size_t term, end; // term: a LEAF_TERM's index in terms_, a PHRASE's in phrase_terms()
  };
  void compile(const Xapian::Query &q) {
    size_t at = tree_.size();
    tree_.push_back({q.get_type(), terms_.size(), 0});
    if (q.get_type() == Xapian::Query::OP_PHRASE)
      tree_[at].term = nphrases_++;
    if (q.get_type() == Xapian::Query::LEAF_TERM) {
      auto t = std::lower_bound(terms_.begin(), terms_.end(), *q.get_terms_begin());
      if (t != terms_.end() && *t == *q.get_terms_begin())
        tree_[at].term = static_cast<size_t>(t - terms_.begin());
    }
    size_t n = q.get_num_subqueries();
    // the subqueries that decide a match: AND_MAYBE's first alone
    if (q.get_type() == Xapian::Query::OP_AND_MAYBE)
      n = std::min<size_t>(n, 1);
    for (size_t i = 0; i < n; i++)
      compile(q.get_subquery(i));
    tree_[at].end = tree_.size();
  }
  uint64_t eval(size_t i, const uint64_t *has, uint64_t all) const {
    const Node &n = tree_[i];
    size_t c = i + 1;
    uint64_t m = 0;
    switch (n.op) {
    case Xapian::Query::LEAF_TERM: return n.term < terms_.size() ? has[n.term] & all : 0;
    case Xapian::Query::LEAF_MATCH_ALL: return all;
    case Xapian::Query::OP_PHRASE:
      return phrase_has_ ? phrase_has_[n.term] & all : pos_ && phrase(i) ? all : 0;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      if (c >= n.end)
        return 0;
      for (m = all; c < n.end && m; c = tree_[c].end)
        m &= eval(c, has, all);
      return m;
    case Xapian::Query::OP_AND_NOT:
      if (c >= n.end)
        return 0;
      m = eval(c, has, all);
      for (c = tree_[c].end; c < n.end && m; c = tree_[c].end)
        m &= ~eval(c, has, all);
      return m;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      for (; c < n.end && m != all; c = tree_[c].end)
        m |= eval(c, has, all);
      return m;
    default: return 0;
    }
  }

  // An exact phrase (node i, of terms) in the passage of pos_: its first
  // term at some position p, the k-th at p + k.
  bool phrase(size_t i) const {
    std::vector<size_t> t;
    for (size_t c = i + 1; c < tree_[i].end; c = tree_[c].end) {
      if (tree_[c].term >= terms_.size())
        return false;
      t.push_back(tree_[c].term);
    }
    bool in = false;
    phrase_starts(
        t.size(), [&](size_t k) -> const std::vector<unsigned> & { return (*pos_)[t[k]]; },
        [&in](unsigned) {
          in = true;
          return false; // one is enough
        });
    return in;
  }

  const std::vector<std::string> &terms_; // sorted
  std::vector<Node> tree_;
  const std::vector<std::vector<unsigned>> *pos_ = nullptr;
  const uint64_t *phrase_has_ = nullptr;
  size_t nphrases_ = 0;
};

// The passages of some documents, each with the given terms (a query's)
// where it has them: its own words' positions, and its article's terms
// (article_term) whole. A query is matched against each passage as Xapian
// would match it over one document per passage: by the terms'
// frequencies where the query's operators allow (by_frequencies), and the
// positions of its exact phrases (by_positions), else by Xapian's matcher
// over the passages as documents of an in-memory database: NEAR, other
// phrases, filters and date ranges within a passage (TL_PASSAGE_GAP keeps
// passages apart).
class PassageView {
public:
  struct Passage {
    Xapian::docid doc; // the document (of the database read)
    unsigned k;        // the passage within it, 0-based
    unsigned length;
    unsigned first;                         // its first position
    std::vector<unsigned> wdf;              // per term
    std::vector<std::vector<unsigned>> pos; // per term
  };
  PassageView(const Xapian::Database &db, const std::vector<std::string> &terms)
      : db_(db), terms_(terms) {}

  // Adds the passages of the documents, in that order. Positions are read
  // where they tell a term's passage (a document of several passages) or
  // when asked for (with_positions: the match needs them, or proximity);
  // those of the terms of wanted (the reranker's) in every passage, their
  // wdf still taken from the index where only wanted asks for them.
  void add(const std::vector<Xapian::docid> &docids, bool with_positions,
           const std::vector<bool> &wanted = std::vector<bool>()) {
    size_t nt = terms_.size();
    positions_ = positions_ && with_positions;
    std::vector<std::pair<Xapian::docid, size_t>> sorted; // document, its index in docids
    std::vector<std::vector<Span>> spans(docids.size());
    std::vector<size_t> first(docids.size()); // its first passage
    // documents in docid order (a count): their values read in streams
    bool ascending = std::is_sorted(docids.begin(), docids.end());
    Xapian::ValueIterator vp, vend;
    if (ascending)
      vp = db_.valuestream_begin(TL_SLOT_PASSAGES);
    auto value = [&](Xapian::ValueIterator &v, Xapian::docid did, Xapian::valueno slot) {
      if (!ascending)
        return db_.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot);
      if (v != vend)
        v.skip_to(did);
      return v != vend && v.get_docid() == did ? *v : std::string();
    };
    for (size_t d = 0; d < docids.size(); d++) {
      spans[d] = passage_spans(value(vp, docids[d], TL_SLOT_PASSAGES));
      first[d] = passages.size();
      if (spans[d].empty())
        continue;
      sorted.emplace_back(docids[d], d);
      for (size_t k = 0; k < spans[d].size(); k++)
        passages.push_back({docids[d], static_cast<unsigned>(k), spans[d][k].length,
                            spans[d][k].first, std::vector<unsigned>(nt),
                            std::vector<std::vector<unsigned>>(nt)});
    }
    std::sort(sorted.begin(), sorted.end());
    // The index's terms read, each once: the view's, and a stem's word
    // form (TermPostings), which its stem and its own view term share.
    std::vector<std::pair<std::string, size_t>> reads; // index term, view term
    std::vector<bool> two(nt);                         // a view term read from two
    for (size_t i = 0; i < nt; i++) {
      reads.emplace_back(terms_[i], i);
      std::string word = word_form_of(terms_[i]);
      if ((two[i] = !word.empty()))
        reads.emplace_back(word, i);
    }
    std::sort(reads.begin(), reads.end());
    // per document and term: its positions are read (else its wdf)
    auto by_position = [&](size_t d, const std::string &t) {
      bool whole = article_term(t);
      return !(whole && !title_term(t)) && !((whole || spans[d].size() == 1) && !with_positions);
    };
    auto read_positions = [&](size_t d, size_t i) {
      return by_position(d, terms_[i]) || (i < wanted.size() && wanted[i]);
    };
    std::vector<unsigned> at; // a term's positions in a document
    for (size_t r = 0, r_end; r < reads.size(); r = r_end) {
      const std::string &t = reads[r].first;
      for (r_end = r + 1; r_end < reads.size() && reads[r_end].first == t;)
        r_end++;
      bool whole = article_term(t), boolean = whole && !title_term(t);
      Xapian::PostingIterator p = db_.postlist_begin(t), pend = db_.postlist_end(t);
      for (const auto &dd : sorted) {
        p.skip_to(dd.first);
        if (p == pend)
          break;
        if (*p != dd.first)
          continue;
        const std::vector<Span> &sp = spans[dd.second];
        Passage *ps = &passages[first[dd.second]];
        bool read = false;
        for (size_t u = r; u < r_end && !read; u++)
          read = read_positions(dd.second, reads[u].second);
        if (!by_position(dd.second, t)) {
          unsigned wdf = boolean ? 1 : p.get_wdf();
          for (size_t u = r; u < r_end; u++)
            for (size_t j = 0; j < sp.size(); j++)
              ps[j].wdf[reads[u].second] += wdf;
          if (!read)
            continue;
        }
        at.assign(p.positionlist_begin(), p.positionlist_end());
        for (size_t u = r; u < r_end; u++) {
          size_t i = reads[u].second, k = 0;
          if (!read_positions(dd.second, i))
            continue;
          for (unsigned q : at) {
            while (!whole && k + 1 < sp.size() && q >= sp[k].end)
              k++;
            if (whole || (q >= sp[k].first && q < sp[k].end))
              ps[k].pos[i].push_back(q);
          }
        }
      }
    }
    // positions of two terms merged (each once: a stem at its hyphenated
    // word's first part is both), an article's terms in every passage
    for (const auto &dd : sorted) {
      const std::vector<Span> &sp = spans[dd.second];
      Passage *ps = &passages[first[dd.second]];
      for (size_t i = 0; i < nt; i++) {
        if (!read_positions(dd.second, i))
          continue;
        bool whole = article_term(terms_[i]);
        for (size_t j = 0; j < (whole ? 1 : sp.size()); j++) {
          std::vector<unsigned> &v = ps[j].pos[i];
          if (two[i] && !v.empty()) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
          }
        }
        for (size_t j = 0; j < sp.size() && by_position(dd.second, terms_[i]); j++) {
          if (whole && j > 0)
            ps[j].pos[i] = ps[0].pos[i];
          ps[j].wdf[i] = static_cast<unsigned>(ps[j].pos[i].size());
        }
      }
    }
  }

  // The passages (indexes into passages) that match q, in order.
  std::vector<size_t> match(const Xapian::Query &q) {
    std::vector<size_t> out;
    bool freq = by_frequencies(q);
    if (freq || (positions_ && by_positions(q))) {
      FrequencyMatch fm(q, terms_);
      std::vector<uint64_t> has(terms_.size());
      for (size_t j = 0; j < passages.size(); j++) {
        for (size_t i = 0; i < has.size(); i++)
          has[i] = passages[j].wdf[i] ? 1 : 0;
        if (freq ? fm.match(has.data(), 1) != 0 : fm.match_passage(has.data(), passages[j].pos))
          out.push_back(j);
      }
      return out;
    }
    Xapian::WritableDatabase vdb(std::string(), Xapian::DB_BACKEND_INMEMORY);
    std::string date; // the document's, for date ranges
    for (size_t j = 0; j < passages.size(); j++) {
      const Passage &p = passages[j];
      Xapian::Document vd;
      if (j == 0 || p.doc != passages[j - 1].doc)
        date = db_.get_document(p.doc, Xapian::DOC_ASSUME_VALID).get_value(TL_SLOT_DATE);
      for (size_t i = 0; i < terms_.size(); i++) {
        if (!p.wdf[i])
          continue;
        if (p.pos[i].empty())
          vd.add_boolean_term(terms_[i]);
        for (unsigned at : p.pos[i])
          vd.add_posting(terms_[i], at);
      }
      if (!date.empty())
        vd.add_value(TL_SLOT_DATE, date);
      vdb.add_document(vd);
    }
    if (passages.empty())
      return out;
    Xapian::Enquire e(vdb);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    e.set_query(q);
    Xapian::MSet m = e.get_mset(0, vdb.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it)
      out.push_back(*it - 1);
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<Passage> passages;

private:
  const Xapian::Database &db_;
  const std::vector<std::string> &terms_; // sorted
  bool positions_ = true;                 // every passage's positions read
};

// Counts the passages that match a query, the distinct articles they are
// passages of (by their key, TL_SLOT_ARTICLE_KEY) and, for facets, the
// distinct articles per value of their keyword fields (TL_SLOT_FIELDS: the
// article key, then name NUL value NUL pairs). The documents that match
// are found by an unweighted match that sees every one of them; their
// passages are matched (run) where the query's grain needs it or to count
// passages; an article's fields are read once, and articles are told
// apart by their 64-bit keys.
static_assert(TL_ARTICLE_KEY_LEN == sizeof(uint64_t), "an article key is 64 bits");

class ArticleCounts {
  static uint64_t all_passages(size_t n) {
    return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  }

public:
  explicit ArticleCounts(bool facets) : want_fields(facets) {}
  // Adds the passages of db that match passages_q (over its terms) and
  // their articles. Where the query's grain lets a document's match stand
  // for one of its passages' (not GRAIN_SPLIT), the documents that match
  // passages_q and the filter are counted as articles without reading
  // their passages, and passages are counted in documents of one passage
  // and up to SAMPLE others (spread evenly over the docid order; when there
  // are more, the count is estimated from the share of their passages that
  // match: passages_estimated). Else the passages of every document that
  // `documents` (passages_q relaxed, and the filter) matches are matched.
  void run(const Xapian::Database &db, const Xapian::Query &documents, const Xapian::Query &filter,
           const Xapian::Query &passages_q, const std::vector<std::string> &terms) {
    const size_t SAMPLE = 128;
    bool by_documents = grain(passages_q) != GRAIN_SPLIT;
    Xapian::Query dq = documents;
    if (by_documents)
      dq =
          filter.empty() ? passages_q : Xapian::Query(Xapian::Query::OP_FILTER, passages_q, filter);
    Xapian::Enquire counter(db);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    counter.set_query(with_word_forms(dq, true));
    Xapian::MSet m = counter.get_mset(0, db.get_doccount());
    std::vector<Xapian::docid> docids;
    for (auto it = m.begin(); it != m.end(); ++it)
      docids.push_back(*it);
    // read here alone: no iterator over the database outlives the count,
    // which may run in a thread of its own (CountThread)
    Xapian::ValueIterator fv = db.valuestream_begin(TL_SLOT_FIELDS);
    if (!by_documents) {
      passages += match_passages(db, docids, passages_q, terms, &fv).first;
      return;
    }
    Xapian::ValueIterator sv = db.valuestream_begin(TL_SLOT_PASSAGES), end;
    std::vector<Xapian::docid> several; // documents of several passages
    unsigned long several_passages = 0; // theirs
    for (Xapian::docid d : docids) {
      if (sv != end)
        sv.skip_to(d);
      size_t n = sv != end && sv.get_docid() == d ? (*sv).size() / TL_PASSAGE_ENTRY : 0;
      if (n == 0)
        continue;
      add_article(fv, d);
      if (n == 1) {
        passages++;
        continue;
      }
      several.push_back(d);
      several_passages += n;
    }
    if (several.size() <= SAMPLE) {
      passages += match_passages(db, several, passages_q, terms, nullptr).first;
      return;
    }
    std::vector<Xapian::docid> sample;
    for (size_t i = 0; i < SAMPLE; i++)
      sample.push_back(several[i * several.size() / SAMPLE]);
    auto share = match_passages(db, sample, passages_q, terms, nullptr);
    passages += static_cast<unsigned long>(
        std::llround(static_cast<double>(share.first) * several_passages / share.second));
    passages_estimated = true;
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
    passages_estimated = false;
    articles.clear();
    fields.clear();
  }
  unsigned long passages = 0;
  bool passages_estimated = false; // from a sample of the documents (run)
  std::unordered_set<uint64_t> articles;

private:
  // The article of document d, counted once (and its fields, for facets),
  // fv over the database's TL_SLOT_FIELDS.
  void add_article(Xapian::ValueIterator &fv, Xapian::docid d) {
    Xapian::ValueIterator end;
    if (fv != end)
      fv.skip_to(d);
    const std::string value = fv != end && fv.get_docid() == d ? *fv : std::string();
    uint64_t key = 0;
    std::memcpy(&key, value.data(), std::min(sizeof key, value.size()));
    if (articles.insert(key).second && want_fields)
      fields[value.size() > TL_ARTICLE_KEY_LEN ? value.substr(TL_ARTICLE_KEY_LEN) : ""]++;
  }
  // The passages (bits of sp's) an exact phrase occurs in: its first term
  // at position p and the k-th at p + k; pos[kept[t]], term t's positions
  // in the document. A phrase of the article's terms (the title's) is in
  // all of them, and one of a document of one passage in that one.
  static uint64_t phrase_passages(const std::vector<size_t> &ph, const std::vector<unsigned> *pos,
                                  const std::vector<size_t> &kept, const std::vector<Span> &sp,
                                  const std::vector<std::string> &terms) {
    uint64_t bits = 0;
    for (size_t t : ph)
      if (t >= terms.size())
        return 0;
    bool whole = article_term(terms[ph[0]]) || sp.size() <= 1;
    phrase_starts(
        ph.size(), [&](size_t k) -> const std::vector<unsigned> & { return pos[kept[ph[k]]]; },
        [&](unsigned p) {
          if (whole)
            bits = all_passages(sp.size());
          else
            bits |= passages_at(sp, p);
          return !whole;
        });
    return bits;
  }
  // The passage (a bit of sp's) that position p is in; 0 in none.
  static uint64_t passages_at(const std::vector<Span> &sp, unsigned p) {
    for (size_t j = 0; j < sp.size(); j++)
      if (p >= sp[j].first && p < sp[j].end)
        return uint64_t(1) << j;
    return 0;
  }

  // Matches the passages of the documents (ascending docids) against q:
  // the number that match and the number read; the articles of those that
  // match are added where fv (add_article) is given. A query of
  // by_positions from a bit set of the passages each term (and each exact
  // phrase: phrase_passages) occurs in per document (up to 64 passages:
  // schema.h), a term's positions read only where its passages are not all
  // or the one passage of its document, or it is a phrase's; else in
  // passage views.
  std::pair<unsigned long, unsigned long> match_passages(const Xapian::Database &db,
                                                         const std::vector<Xapian::docid> &docids,
                                                         const Xapian::Query &q,
                                                         const std::vector<std::string> &terms,
                                                         Xapian::ValueIterator *fv) {
    const size_t BATCH = 256;
    unsigned long matched = 0, read = 0;
    if (!by_positions(q)) {
      for (size_t from = 0; from < docids.size(); from += BATCH) {
        PassageView view(db, terms);
        view.add(std::vector<Xapian::docid>(docids.begin() + (long)from,
                                            docids.begin() +
                                                (long)std::min(docids.size(), from + BATCH)),
                 true);
        read += view.passages.size();
        Xapian::docid last = 0;
        for (size_t j : view.match(q)) {
          matched++;
          Xapian::docid d = view.passages[j].doc;
          if (fv && d != last) // the article of a document is counted once
            add_article(*fv, d);
          last = d;
        }
      }
      return {matched, read};
    }
    FrequencyMatch fm(q, terms);
    const size_t nt = terms.size();
    // exact phrases: their terms' positions in each document, kept
    const std::vector<std::vector<size_t>> phrases = fm.phrase_terms();
    std::vector<size_t> kept(nt, SIZE_MAX); // a phrase term's row in pos
    size_t nkept = 0;
    for (const auto &ph : phrases)
      for (size_t t : ph)
        if (t < nt && kept[t] == SIZE_MAX)
          kept[t] = nkept++;
    std::vector<std::vector<unsigned>> pos(BATCH * nkept);
    std::vector<uint64_t> phrase_has(BATCH * phrases.size());
    std::vector<TermPostings> post;
    for (const std::string &t : terms)
      post.emplace_back(db, t);
    std::vector<unsigned> at; // a term's positions in a document
    Xapian::ValueIterator sv = db.valuestream_begin(TL_SLOT_PASSAGES), vend;
    std::vector<std::vector<Span>> spans(BATCH);
    std::vector<uint64_t> has(BATCH * nt);
    for (size_t from = 0; from < docids.size(); from += BATCH) {
      size_t nb = std::min(docids.size() - from, BATCH);
      for (size_t d = 0; d < nb; d++) {
        if (sv != vend)
          sv.skip_to(docids[from + d]);
        spans[d] =
            passage_spans(sv != vend && sv.get_docid() == docids[from + d] ? *sv : std::string());
        if (spans[d].size() > 64)
          throw Xapian::DatabaseCorruptError("a document of more than 64 passages");
        read += spans[d].size();
      }
      std::fill(has.begin(), has.end(), 0);
      for (auto &v : pos)
        v.clear();
      for (size_t i = 0; i < nt; i++) {
        bool whole = article_term(terms[i]);
        TermPostings &p = post[i];
        for (size_t d = 0; d < nb && !p.done(); d++) {
          if (!p.skip_to(docids[from + d]))
            continue;
          const std::vector<Span> &sp = spans[d];
          uint64_t &bits = has[d * nt + i];
          if (kept[i] != SIZE_MAX) { // a phrase's term: every position, once
            std::vector<unsigned> &v = pos[d * nkept + kept[i]];
            p.positions(v);
            if (whole || sp.size() <= 1)
              bits = all_passages(sp.size());
            else
              for (unsigned a : v)
                bits |= passages_at(sp, a);
            continue;
          }
          if (whole || sp.size() <= 1) {
            bits = all_passages(sp.size());
            continue;
          }
          p.positions(at);
          size_t a = 0;
          for (size_t k = 0; k < sp.size() && a < at.size(); k++) {
            while (a < at.size() && at[a] < sp[k].first)
              a++;
            if (a < at.size() && at[a] < sp[k].end)
              bits |= uint64_t(1) << k;
          }
        }
      }
      for (size_t d = 0; d < nb; d++)
        for (size_t k = 0; k < phrases.size(); k++)
          phrase_has[d * phrases.size() + k] =
              phrase_passages(phrases[k], &pos[d * nkept], kept, spans[d], terms);
      for (size_t d = 0; d < nb; d++) {
        uint64_t m = phrases.empty() ? fm.match(&has[d * nt], all_passages(spans[d].size()))
                                     : fm.match(&has[d * nt], &phrase_has[d * phrases.size()],
                                                all_passages(spans[d].size()));
        if (m) {
          matched += std::bitset<64>(m).count();
          if (fv)
            add_article(*fv, docids[from + d]);
        }
      }
    }
    return {matched, read};
  }

  bool want_fields;
  std::unordered_map<std::string, unsigned long> fields; // articles per fields value
};

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
// field terms, nor words it excludes) as the title's term, ORed.
static Xapian::Query title_query(const Xapian::Query &words) {
  std::vector<Xapian::Query> t;
  std::set<std::string> wanted;
  const char stem = TL_PREFIX_STEM[0];
  positive_terms(words, wanted);
  for (const std::string &w : wanted) {
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

// Whether q holds what Xapian's parser reads as an operator: AND, OR,
// NOT, NEAR, ADJ (NEAR/N, ADJ/N) as words, '-' leading a word, or '+'
// leading a word beside others ("+banjir" alone is the word).
static bool has_operators(const char *q) {
  static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", "ADJ"};
  size_t words = 0;
  bool love = false;
  for (const char *p = q; *p;) {
    p += std::strspn(p, " \t\r\n()");
    size_t n = std::strcspn(p, " \t\r\n()");
    bool signed_ = (*p == '-' || *p == '+') && p[1] && !std::strchr(" \t\r\n)", p[1]);
    words += n > 0;
    love |= signed_ && *p == '+';
    if (signed_ && *p == '-')
      return true;
    size_t word = std::strcspn(p, " \t\r\n()/");
    for (const char *op : ops)
      if (word == std::strlen(op) && std::memcmp(p, op, word) == 0)
        return true;
    p += n;
  }
  return love && words > 1;
}

// Whether q is a pure NOT: everything but what it excludes.
static bool pure_not(const Xapian::Query &q) {
  return q.get_type() == Xapian::Query::OP_AND_NOT && q.get_num_subqueries() > 1 &&
         q.get_subquery(0).get_type() == Xapian::Query::LEAF_MATCH_ALL;
}

// q with a pure NOT ORed beside other words ("(NOT banjir) hujan", which
// the parser reads as every passage without banjir, or hujan) read as
// their exclusion: hujan without banjir.
static Xapian::Query pure_nots_excluded(const Xapian::Query &q) {
  Xapian::Query r = rebuilt(q, pure_nots_excluded);
  if (r.get_type() != Xapian::Query::OP_OR)
    return r;
  std::vector<Xapian::Query> wanted, excluded;
  for (size_t i = 0; i < r.get_num_subqueries(); i++) {
    Xapian::Query k = r.get_subquery(i);
    if (pure_not(k))
      for (size_t j = 1; j < k.get_num_subqueries(); j++)
        excluded.push_back(k.get_subquery(j));
    else
      wanted.push_back(k);
  }
  if (wanted.empty() || excluded.empty())
    return r;
  return Xapian::Query(Xapian::Query::OP_AND_NOT,
                       Xapian::Query(Xapian::Query::OP_OR, wanted.begin(), wanted.end()),
                       Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
}

// Parses query with flags, throwing a QueryParserError where Xapian's
// parser, failing on the query's operators, would read it again as plain
// words (QueryParser::parse_query does so on a "parse error"): "-banjir
// AND hujan" would search the words "banjir", "and" and "hujan". Told by
// parsing it without operators too: the same query while the text holds
// operators.
static Xapian::Query parse_strictly(Xapian::QueryParser &qp, const char *query, unsigned flags) {
  Xapian::Query q = qp.parse_query(query, flags);
  if (!q.empty() && has_operators(query) &&
      qp.parse_query(query, flags & Xapian::QueryParser::FLAG_CJK_NGRAM).get_description() ==
          q.get_description())
    throw Xapian::QueryParserError(
        "its operators cannot be read together (an operator without a word on one side, "
        "'+word' beside an operator, NOT before a bracket without a space): "
        "write NOT word (NOT banjir AND hujan), or brackets (-(banjir OR hujan))");
  return pure_nots_excluded(q);
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
  CountThread(std::vector<Xapian::Database> &shards, const Xapian::Query &documents,
              const Xapian::Query &filter, const Xapian::Query &passages,
              const std::vector<std::string> &terms, ArticleCounts &counts)
      : documents_q(documents.serialise()), filter_q(filter.serialise()),
        passages_q(passages.serialise()), terms_(terms), thread([this, &shards, &counts] {
          try {
            Xapian::Query d = Xapian::Query::unserialise(documents_q),
                          f = Xapian::Query::unserialise(filter_q),
                          p = Xapian::Query::unserialise(passages_q);
            for (auto &db : shards) // an article is in one shard: the counts add up
              counts.run(db, d, f, p, terms_);
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
  std::string documents_q, filter_q, passages_q;
  std::vector<std::string> terms_;
  bool failed = false;
  std::thread thread;
};

// The counts a search asked for (tl_hits.counting), from the moment the
// ranking starts until tl_store_hits_counts: a count beside the ranking,
// or the query to count after it.
struct tl_counting {
  tl_counting(tl_store *store, const Xapian::Query &documents, const Xapian::Query &filter_,
              const Xapian::Query &passages, const std::vector<std::string> &terms_,
              const tl_search_options *o, bool remote_)
      : s(store), match(documents), filter(filter_), passage_match(passages), terms(terms_),
        remote(remote_), counts(o->nfacets > 0), facets(o->facets, o->facets + o->nfacets) {
    try {
      if (!remote && (cdb = count_databases(s))) {
        beside.reset(new CountThread(*cdb, match, filter, passage_match, terms, counts));
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
      counts.run(*s->db, match, filter, passage_match, terms);
    }
    h->passages_matched = counts.passages;
    h->passages_estimated = counts.passages_estimated;
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
  Xapian::Query match;            // the documents counted; used by this thread only
  Xapian::Query filter;           // the options' filter (in match too)
  Xapian::Query passage_match;    // their passages counted
  std::vector<std::string> terms; // passage_match's terms
  bool remote;
  ArticleCounts counts;
  std::vector<const char *> facets; // the names, tl_search_options.facets
  std::vector<Xapian::Database> *cdb = nullptr;
  std::unique_ptr<CountThread> beside; // after counts: destroyed (joined) first
};

// BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework:
// BM25 and Beyond", eq. 3.15) of a term in a passage, as Xapian's
// BM25Weight computes it with k3 = 0 and a minimum normalized length of
// 0.5, its idf floored as Xapian 1.4 does for terms in over a third of the
// documents: document frequencies (a stem's: term_freq) and the number of
// documents are the index's (documents are articles' chunks), the length
// and its mean the
// passages' (TL_SLOT_PASSAGES, TL_TERM_LENGTH).
struct PassageBM25 {
  double k1, b, avglen;
  std::vector<double> idf; // per term of the view
  PassageBM25(const Xapian::Database &db, const std::vector<std::string> &terms, StemFreqs &freqs,
              double k1_, double b_)
      : k1(k1_), b(b_), avglen(0) {
    double n = db.get_collection_freq(TL_TERM_PASSAGES);
    avglen = n > 0 ? db.get_collection_freq(TL_TERM_LENGTH) / n : 1;
    if (avglen <= 0)
      avglen = 1;
    for (const auto &t : terms)
      idf.push_back(bm25_idf(freqs(t), db.get_doccount()));
  }
  double weight(size_t term, unsigned wdf, unsigned length) const {
    if (!wdf)
      return 0;
    double normlen = std::max(length / avglen, 0.5);
    return idf[term] * (k1 + 1) * wdf / (k1 * (normlen * b + (1 - b)) + wdf);
  }
};

// Whether two sorted position lists hold a pair less than window apart
// (Xapian's NEAR of two terms).
static bool near(const std::vector<unsigned> &a, const std::vector<unsigned> &b, unsigned window) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    unsigned d = a[i] > b[j] ? a[i] - b[j] : b[j] - a[i];
    if (d < window)
      return true;
    if (a[i] < b[j])
      i++;
    else
      j++;
  }
  return false;
}

// The leaves of a term or phrase query, or none.
static std::vector<Xapian::Query> leaves_of(const Xapian::Query &q) {
  std::vector<Xapian::Query> out;
  if (q.get_type() == Xapian::Query::LEAF_TERM)
    out.push_back(q);
  else if (q.get_type() == Xapian::Query::OP_PHRASE)
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
      if (q.get_subquery(i).get_type() != Xapian::Query::LEAF_TERM)
        return {};
      out.push_back(q.get_subquery(i));
    }
  return out;
}

// q with each phrase or NEAR of words, some of which the index also
// holds joined by dots as one word (a web address, kppu.go.id: the text's
// segmentation keeps it whole, Xapian's parser splits it) or by '@' and
// dots (an e-mail address or account, akun@instagram), ORed with the same
// operator over that word in their place (the longest run, the first).
static Xapian::Query dotted_words(const Xapian::Query &q, const Xapian::Database &db) {
  const Xapian::Query::op op = q.get_type();
  size_t n = q.get_num_subqueries();
  if (op != Xapian::Query::OP_PHRASE && op != Xapian::Query::OP_NEAR)
    return rebuilt(q, [&db](const Xapian::Query &sub) { return dotted_words(sub, db); });
  std::vector<std::string> w;
  for (size_t i = 0; i < n; i++) {
    Xapian::Query k = q.get_subquery(i);
    if (k.get_type() != Xapian::Query::LEAF_TERM || k.get_terms_begin() == k.get_terms_end())
      return q;
    w.push_back(*k.get_terms_begin());
    if (w.back().empty() || (w.back()[0] >= 'A' && w.back()[0] <= 'Z') || n > 8)
      return q;
  }
  for (size_t i = 0; i + 1 < n; i++)
    for (size_t j = n; j > i + 1; j--) {
      // joined by dots, or an address (nama@kantor.go.id, akun@instagram)
      std::string dots = w[i], at = w[i], joined;
      for (size_t k = i + 1; k < j; k++) {
        dots += "." + w[k];
        at += (k == i + 1 ? "@" : ".") + w[k];
      }
      if (db.term_exists(dots))
        joined = dots;
      else if (db.term_exists(at))
        joined = at;
      else
        continue;
      std::vector<Xapian::Query> v;
      for (size_t k = 0; k < n; k++)
        if (k < i || k >= j)
          v.push_back(q.get_subquery(k));
        else if (k == i)
          v.push_back(Xapian::Query(joined));
      unsigned removed = static_cast<unsigned>(j - i - 1), was = window_of(q);
      unsigned window = exact_phrase(q) ? static_cast<unsigned>(v.size())
                                        : std::max<unsigned>(static_cast<unsigned>(v.size()),
                                                             was > removed ? was - removed : 0);
      Xapian::Query by = v.size() == 1 ? v[0] : Xapian::Query(op, v.begin(), v.end(), window);
      return Xapian::Query(Xapian::Query::OP_OR, q, by);
    }
  return q;
}

// An acronym expansion (tl_expansion) ready to be put in place: the words
// of its run, and what the run is also searched as.
struct Alternative {
  std::vector<std::string> from;
  std::vector<bool> stopword; // from[i] is a stopword, which the query may have dropped
  Xapian::Query to;
  int *applied; // set when the run is found
};

// Whether leaf is a word form or the stem (TL_PREFIX_STEM) of word.
static bool leaf_spells(const Xapian::Query &leaf, const std::string &word,
                        const Xapian::Stem &stem) {
  if (leaf.get_type() != Xapian::Query::LEAF_TERM || leaf.get_terms_begin() == leaf.get_terms_end())
    return false;
  const std::string t = *leaf.get_terms_begin(), st = stem(word);
  return t == word || t == st || t == TL_PREFIX_STEM + st;
}

// How many of kids, from kids[at] on, spell the words of a's run, 0 when
// they do not: a hyphenated word one leaf per part, one phrase of its parts
// or one leaf (a reduplication's stem); any other word one leaf (its form
// or stem); a stopword one leaf or none, as the query drops stopwords
// outside quotes ("anggaran pendapatan dan belanja negara").
static size_t spelt_by(const std::vector<Xapian::Query> &kids, size_t at, const Alternative &a,
                       const Xapian::Stem &stem) {
  size_t k = at;
  for (size_t wi = 0; wi < a.from.size(); wi++) {
    const std::string &word = a.from[wi];
    bool optional = wi > 0 && wi + 1 < a.from.size() && a.stopword[wi];
    std::vector<std::string> parts;
    for (size_t p = 0, e; p <= word.size(); p = e + 1) {
      e = std::min(word.find('-', p), word.size());
      parts.push_back(word.substr(p, e - p));
    }
    auto each = [&](const std::vector<Xapian::Query> &q, size_t from) {
      for (size_t i = 0; i < parts.size(); i++)
        if (from + i >= q.size() || !leaf_spells(q[from + i], parts[i], stem))
          return false;
      return true;
    };
    if (k >= kids.size())
      return 0;
    // the word's parts as leaves side by side, or as one phrase, or the word
    bool phrase = parts.size() > 1 && kids[k].get_type() == Xapian::Query::OP_PHRASE &&
                  kids[k].get_num_subqueries() == parts.size() && each(leaves_of(kids[k]), 0);
    if (parts.size() > 1 && each(kids, k))
      k += parts.size();
    else if (phrase || leaf_spells(kids[k], word, stem))
      k++;
    else if (!optional)
      return 0;
  }
  return k - at;
}

// q with its expansions in place: where q's words (a word, a run of words
// under one operator, a phrase) spell an alternative's run, they are ORed
// with the alternative weighted by weight, so that the alternative meets
// the same operators, exclusions and filters as the words it stands for
// ("BPS -inflasi": the long form without inflasi). Within a phrase or NEAR
// the alternative takes the run's place among its terms.
static Xapian::Query with_expansions(const Xapian::Query &q, const std::vector<Alternative> &alts,
                                     const Xapian::Stem &stem, double weight) {
  const Xapian::Query::op op = q.get_type();
  size_t n = q.get_num_subqueries();
  auto weighed = [weight](const Xapian::Query &words, std::vector<Xapian::Query> &to) {
    if (to.empty())
      return words;
    return Xapian::Query(Xapian::Query::OP_OR, words,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       Xapian::Query(Xapian::Query::OP_OR, to.begin(), to.end()),
                                       weight));
  };
  std::vector<Xapian::Query> kids, to;
  for (size_t i = 0; i < n; i++)
    kids.push_back(q.get_subquery(i));
  switch (op) {
  case Xapian::Query::LEAF_TERM:
    kids.push_back(q);
    for (const Alternative &a : alts)
      if (spelt_by(kids, 0, a, stem) == 1) {
        to.push_back(a.to);
        *a.applied = 1;
      }
    return weighed(q, to);
  case Xapian::Query::OP_PHRASE:
  case Xapian::Query::OP_NEAR: {
    unsigned window = window_of(q);
    bool exact = exact_phrase(q);
    for (const Alternative &a : alts) {
      std::vector<Xapian::Query> by = leaves_of(a.to);
      for (size_t at = 0; !by.empty() && at < n; at++) {
        size_t len = spelt_by(kids, at, a, stem);
        if (!len)
          continue;
        *a.applied = 1;
        if (len == n && op == Xapian::Query::OP_PHRASE) {
          to.push_back(a.to);
          continue;
        }
        std::vector<Xapian::Query> v(kids.begin(), kids.begin() + static_cast<long>(at));
        v.insert(v.end(), by.begin(), by.end());
        v.insert(v.end(), kids.begin() + static_cast<long>(at + len), kids.end());
        unsigned grown = window + static_cast<unsigned>(by.size());
        unsigned w = exact
                         ? static_cast<unsigned>(v.size())
                         : std::max<unsigned>(static_cast<unsigned>(v.size()),
                                              grown > len ? grown - static_cast<unsigned>(len) : 0);
        to.push_back(Xapian::Query(op, v.begin(), v.end(), w));
      }
    }
    return weighed(q, to);
  }
  case Xapian::Query::OP_AND_NOT: // what is excluded, in both forms
  case Xapian::Query::OP_FILTER:
    for (Xapian::Query &k : kids)
      k = with_expansions(k, alts, stem, weight);
    return Xapian::Query(op, kids.begin(), kids.end());
  case Xapian::Query::OP_AND:
  case Xapian::Query::OP_OR:
  case Xapian::Query::OP_AND_MAYBE:
  case Xapian::Query::OP_SYNONYM:
  case Xapian::Query::OP_MAX: {
    std::vector<Xapian::Query> out;
    for (size_t at = 0; at < n;) {
      size_t len = 0;
      std::vector<Xapian::Query> run_to;
      std::vector<int *> run_applied;
      // the longest run spelt from here (pekerjaan umum dan perumahan
      // rakyat: PUPR, not the PU of its first two words)
      std::vector<size_t> spelt(alts.size());
      for (size_t k = 0; k < alts.size(); k++) {
        spelt[k] = alts[k].from.size() > 1 ? spelt_by(kids, at, alts[k], stem) : 0;
        len = std::max(len, spelt[k]);
      }
      for (size_t k = 0; k < alts.size(); k++)
        if (len && spelt[k] == len) {
          run_to.push_back(alts[k].to);
          run_applied.push_back(alts[k].applied);
        }
      if (!len || (op == Xapian::Query::OP_AND_MAYBE && at == 0 && len < n)) {
        out.push_back(with_expansions(kids[at++], alts, stem, weight));
        continue;
      }
      for (int *applied : run_applied)
        *applied = 1;
      auto first = kids.begin() + static_cast<long>(at);
      Xapian::Query run =
          len == 1 ? *first : Xapian::Query(op, first, first + static_cast<long>(len));
      out.push_back(weighed(run, run_to));
      at += len;
    }
    return Xapian::Query(op, out.begin(), out.end());
  }
  default: return q;
  }
}

// The parts of a passage's score, as --explain shows them.
enum Part { PART_TERM, PART_TITLE, PART_EXPANSION, PART_FEEDBACK, NPARTS };
static const char *const part_name[NPARTS] = {"", "(title)", "(expansion)", "(feedback)"};

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
    Xapian::Query typed_words = parse_strictly(qp, query, flags), expansion;
    if (typed_words.empty())
      return tl_error_set(err, TL_ERR_USAGE, "the query has no searchable words");
    size_t nwild = count_wildcards(typed_words);
    if (nwild > TL_WILDCARD_MAX)
      return tl_error_set(err, TL_ERR_LIMIT, "query: %zu wildcards, over the limit of %d", nwild,
                          TL_WILDCARD_MAX);
    typed_words = dotted_words(expand_wildcards(typed_words, *s->db), *s->db);
    // The acronym expansion, in the place of the words it stands for and
    // weighted below them (with_expansions); expansion: its queries.
    Xapian::Query words = typed_words;
    if (opts->nexpand && opts->expand_weight > 0) {
      std::vector<Alternative> alts;
      std::vector<Xapian::Query> all;
      for (size_t i = 0; i < opts->nexpand; i++) {
        tl_expansion &e = opts->expand[i];
        Alternative a;
        a.applied = &e.applied;
        std::istringstream from(e.from);
        for (std::string w; from >> w;) {
          a.from.push_back(w);
          a.stopword.push_back(opts->stop && opts->stop(opts->ctx, w.data(), w.size()));
        }
        // an acronym of two words (Komnas HAM) as a phrase, as a long form
        a.to = e.to_acronym && !strchr(e.to, ' ') ? Xapian::Query(e.to)
               : e.correction                     ? qp.parse_query(e.to, flags)
                              : qp.parse_query(std::string("\"") + e.to + "\"", flags);
        if (a.from.empty() || a.to.empty())
          continue;
        alts.push_back(a);
        all.push_back(a.to);
      }
      words = with_expansions(typed_words, alts, stem, opts->expand_weight);
      if (words.get_description() != typed_words.get_description())
        expansion = Xapian::Query(Xapian::Query::OP_OR, all.begin(), all.end());
    }
    // Parts of the score, for explain: the query's terms (each with the
    // factor its weight is scaled by), then the title, expansion,
    // proximity and feedback parts.
    Xapian::Query exact, prox, feedback, title;
    const tl_rank_params *rp = &opts->rank;
    if (rp->title_weight > 0)
      title = title_query(words);
    if (rp->exact_weight > 0 || rp->prox_weight > 0) {
      qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
      exact = dotted_words(
          expand_wildcards(pure_nots_excluded(qp.parse_query(query, flags)), *s->db), *s->db);
    }
    // The passages that match: the words typed, the expansion and, as
    // extra evidence, the same query on unstemmed word forms (a passage
    // with the very forms typed ranks above one with their stems); the
    // other parts only weigh them. The documents: the same with NOT's
    // right side left out (relaxed), so that an article whose other
    // passages hold a word excluded is still read.
    auto matching = [&](const Xapian::Query &w, const Xapian::Query &x) {
      Xapian::Query m = w;
      if (rp->exact_weight > 0 && !x.empty())
        m = Xapian::Query(Xapian::Query::OP_OR, m,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, x, rp->exact_weight));
      return m;
    };
    // q, and the passages' match, name each stem by its stem term (read as
    // TermPostings); dq, the documents' query for Xapian's matcher, searches
    // a stem with its word form (with_word_forms).
    Xapian::Query match = matching(words, excluding(exact, words));
    Xapian::Query matched_documents = matching(relaxed(words), relaxed(exact));
    // Its stems weigh with their counted frequencies, as in the passages'
    // scores (StemFreqs).
    if (s->wdb) // a writer's counts change with each document it adds
      s->term_freqs.clear();
    StemFreqs freqs(*s->db, s->term_freqs);
    StemScale scale = [&freqs](const std::string &t) { return freqs.scale(t); };
    double expand_weight = opts->expand_weight;
    auto xq = [&scale, expand_weight](const Xapian::Query &part) {
      return with_word_forms(part, false, scale, expand_weight);
    };
    // A long query finds its documents by its stems alone (lean_words):
    // half the posting lists for Xapian's matcher, the passages weighed as
    // before.
    size_t nexact = 0;
    for (auto it = exact.get_unique_terms_begin(); it != exact.get_unique_terms_end(); ++it)
      nexact++;
    bool lean = opts->lean_words > 0 && nexact >= opts->lean_words;
    Xapian::Query q = match,
                  dq = lean ? xq(relaxed(words)) : matching(xq(relaxed(words)), relaxed(exact));
    auto weigh = [&q, &dq, &xq, lean](const Xapian::Query &part, double factor) {
      q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, part, factor));
      if (!lean)
        dq = Xapian::Query(Xapian::Query::OP_AND_MAYBE, dq,
                           Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, xq(part), factor));
    };
    if (!title.empty())
      weigh(title, rp->title_weight);
    if (rp->prox_weight > 0 && !exact.empty()) {
      prox = proximity_query(exact, rp->prox_window);
      if (!prox.empty())
        weigh(prox, rp->prox_weight);
    }

    Xapian::Query filter = filter_query(opts);
    if (!filter.empty()) { // a filter never changes a score
      dq = Xapian::Query(Xapian::Query::OP_FILTER, dq, filter);
      matched_documents = Xapian::Query(Xapian::Query::OP_FILTER, matched_documents, filter);
    }

    // The first stage: documents (chunks of articles) by BM25 over their
    // whole text (Xapian's matcher); their passages are then matched and
    // weighed one by one (PassageView, PassageBM25), the document's own
    // weight scaled by context_weight added as evidence of the passage's
    // context (Callan 1994, "Passage-level evidence in document retrieval").
    Xapian::Enquire enquire(*s->db);
    // k3 = 0: a term's weight does not grow with its count in the query,
    // so that the score is the sum of the parts explain shows.
    Xapian::BM25Weight bm25(rp->k1, 0, 0, rp->b, 0.5);
    enquire.set_weighting_scheme(bm25);
    if (opts->sort)
      enquire.set_sort_by_value_then_relevance(TL_SLOT_DATE, opts->sort == TL_SORT_NEWEST);
    else // ties by article id (then docid)
      enquire.set_sort_by_relevance_then_value(TL_SLOT_ARTICLE_ID, false);
    std::vector<std::string> match_terms;
    for (auto t = match.get_unique_terms_begin(); t != match.get_unique_terms_end(); ++t)
      if (!(*t).empty())
        match_terms.push_back(*t);
    std::map<std::string, double> feedback_factor;
    if (rp->prf_docs > 0 && rp->prf_terms > 0 && rp->prf_weight > 0) {
      // Pseudo-relevance feedback: the best terms of the first documents
      // (Xapian's expand set), weighted as the expand set ranks them.
      // The documents are those of the first passages that match.
      enquire.set_query(dq);
      Xapian::MSet top = enquire.get_mset(0, 4 * rp->prf_docs + 20);
      std::vector<Xapian::docid> ids;
      for (auto it = top.begin(); it != top.end(); ++it)
        ids.push_back(*it);
      PassageView first(*s->db, match_terms);
      first.add(ids, !by_frequencies(match));
      std::set<Xapian::docid> matching_docs;
      for (size_t j : first.match(match))
        matching_docs.insert(first.passages[j].doc);
      Xapian::RSet rset;
      for (auto it = top.begin(); it != top.end() && rset.size() < rp->prf_docs; ++it)
        if (matching_docs.count(*it))
          rset.add_document(*it);
      if (!rset.empty()) {
        ExpandTerms decider(opts->stop, opts->ctx, q);
        // exact term frequencies: a multi-database's otherwise come
        // from the shard a term is first met in
        Xapian::ESet eset =
            enquire.get_eset(rp->prf_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> extra, xextra;
        double top_weight = eset.empty() ? 0 : eset.begin().get_weight();
        for (auto it = eset.begin(); it != eset.end(); ++it)
          if (top_weight > 0) {
            double f = rp->prf_weight * it.get_weight() / top_weight;
            feedback_factor[*it] = f;
            extra.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), f));
            xextra.push_back(
                Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, xq(Xapian::Query(*it)), f));
          }
        if (!extra.empty()) {
          feedback = Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end());
          q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, feedback);
          dq = Xapian::Query(Xapian::Query::OP_AND_MAYBE, dq,
                             Xapian::Query(Xapian::Query::OP_OR, xextra.begin(), xextra.end()));
        }
      }
    }
    enquire.set_query(dq);

    // The view's terms, and what each weighs for: the query's terms with
    // their factors (the words typed, their exact forms), the title's, the
    // expansion's and the feedback's, and proximity's pairs of word forms.
    std::vector<std::string> terms;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
      if (!(*t).empty())
        terms.push_back(*t);
    // and the terms whose positions the hits carry, searched or not (a
    // number's stem term, 2005 of 2005-2006, where the query searches the
    // number): they weigh nothing
    for (size_t k = 0; opts->term_positions > 0 && k < opts->nposition_terms; k++)
      if (*opts->position_terms[k] && !article_term(opts->position_terms[k]))
        terms.push_back(opts->position_terms[k]);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    auto index_of = [&terms](const std::string &t) {
      auto at = std::lower_bound(terms.begin(), terms.end(), t);
      return at != terms.end() && *at == t ? static_cast<size_t>(at - terms.begin()) : terms.size();
    };
    // the view's terms whose positions the hits carry (indexes into terms)
    std::vector<bool> wanted(terms.size());
    std::vector<size_t> pos_terms;
    for (size_t k = 0; opts->term_positions > 0 && k < opts->nposition_terms; k++) {
      size_t i = index_of(opts->position_terms[k]);
      if (i < terms.size() && !wanted[i]) {
        wanted[i] = true;
        pos_terms.push_back(i);
      }
    }
    std::sort(pos_terms.begin(), pos_terms.end());
    std::vector<double> factor[NPARTS];
    for (auto &f : factor)
      f.assign(terms.size(), 0);
    auto add_part = [&](const Xapian::Query &part, Part p, double f) {
      std::set<std::string> pos;
      if (!part.empty())
        positive_terms(part, pos);
      for (const auto &t : pos) {
        size_t i = index_of(t);
        if (i < terms.size())
          factor[p][i] += f;
      }
    };
    add_part(typed_words, PART_TERM, 1);
    if (rp->exact_weight > 0)
      add_part(exact, PART_TERM, rp->exact_weight);
    add_part(title, PART_TITLE, rp->title_weight);
    add_part(expansion, PART_EXPANSION, opts->expand_weight);
    for (const auto &f : feedback_factor)
      if (index_of(f.first) < terms.size())
        factor[PART_FEEDBACK][index_of(f.first)] += f.second;
    std::vector<std::pair<size_t, size_t>> pairs;
    if (!prox.empty()) {
      std::vector<std::string> wt;
      for (auto it = exact.get_terms_begin(); it != exact.get_terms_end(); ++it)
        if (!(*it).empty() && !((*it)[0] >= 'A' && (*it)[0] <= 'Z'))
          wt.push_back(*it);
      for (size_t i = 0; i + 1 < wt.size(); i++)
        if (wt[i] != wt[i + 1] && index_of(wt[i]) < terms.size() &&
            index_of(wt[i + 1]) < terms.size())
          pairs.emplace_back(index_of(wt[i]), index_of(wt[i + 1]));
    }
    PassageBM25 scorer(*s->db, terms, freqs, rp->k1, rp->b);

    // Counting: a second, unweighted match over the documents that match
    // and their passages, beside the ranking where it can
    // (count_databases), else when the counts are asked for
    // (tl_store_hits_counts).
    bool remote = std::any_of(s->shards.begin(), s->shards.end(),
                              [](const tl_shard &sh) { return sh.port != 0; });
    std::unique_ptr<tl_counting> counting;
    if (opts->count_matches || opts->nfacets)
      counting.reset(
          new tl_counting(s, matched_documents, filter, match, match_terms, opts, remote));

    // The ranking: passages of the first documents, more documents read
    // while too few of their passages match (AND across passages).
    struct Ranked {
      size_t p;   // in view.passages
      double key; // the score ranked by
      double parts[NPARTS], prox, context, article;
      size_t doc; // in docs
    };
    struct Doc {
      Xapian::docid docid;
      std::string id, date, data; // id: read when asked for (article_id)
      double weight;
      bool id_read, data_read;
    };
    bool by_article = opts->per_article == 1 && !opts->sort && rp->article_weight > 0;
    // at least one passage looked for, so that none found means none matches
    // (estimated 0), also with a count of 0
    Xapian::doccount want = std::max<Xapian::doccount>(opts->offset + opts->count, 1);
    // Documents are read by blocks (in Xapian's order): the first BLOCK,
    // the next 2 BLOCK, then 4 BLOCK, and so on. Their passages are ranked
    // by score, but the first BLOCK places of the ranking are settled by
    // the first block alone, the first 3 BLOCK by the first two blocks, and
    // so on (settle): reading more documents (a larger count or offset)
    // leaves the places already settled as they are. The first n hits of a
    // search are the first n of any deeper one, and pages taken with an
    // offset join up.
    const size_t BLOCK = opts->block ? opts->block : 20;
    auto block_of = [BLOCK](size_t i) { // document i (0-based) of the ranking
      size_t k = 0;
      while (i >= BLOCK * ((size_t{2} << k) - 1))
        k++;
      return k;
    };
    auto blocks_end = [BLOCK](size_t n) { // the end of the block holding n - 1
      size_t end = BLOCK;
      while (end < n)
        end = 2 * end + BLOCK;
      return static_cast<Xapian::doccount>(end);
    };
    Xapian::doccount depth = blocks_end(want);
    Xapian::MSet mset;
    std::unique_ptr<PassageView> view;
    std::vector<Doc> docs;
    std::vector<Ranked> ranked;
    auto article_id = [&docs, s](size_t d) -> const std::string & {
      if (!docs[d].id_read) {
        docs[d].id = s->db->get_document(docs[d].docid, Xapian::DOC_ASSUME_VALID)
                         .get_value(TL_SLOT_ARTICLE_ID);
        docs[d].id_read = true;
      }
      return docs[d].id;
    };
    // A run of documents of equal weight (and date, sorting by date) is
    // not cut at depth: Xapian orders it by docid, which depends on how
    // shards interleave (up to TIE_RUN_MAX documents past want).
    const Xapian::doccount TIE_RUN_MAX = 1000;
    auto tied = [&opts](const Xapian::MSetIterator &a, const Xapian::MSetIterator &b) {
      return (!opts->sort || a.get_sort_key() == b.get_sort_key()) &&
             same_weight(a.get_weight(), b.get_weight());
    };
    for (;;) {
      for (;;) {
        mset = enquire.get_mset(0, depth + 1);
        if (mset.size() <= depth || !tied(mset[depth - 1], mset[depth]) ||
            depth >= want + TIE_RUN_MAX)
          break;
        // sorting by relevance, exactly equal weights are already in
        // Xapian's order by article id (its sort key): only weights equal
        // but for rounding are fetched further
        if (!opts->sort) {
          bool exact = true;
          for (Xapian::doccount k = depth; k < mset.size() && exact; k++)
            exact = mset[k].get_weight() == mset[depth - 1].get_weight();
          if (exact)
            break;
        }
        depth = std::min(depth * 2, want + TIE_RUN_MAX);
      }
      view.reset(new PassageView(*s->db, terms));
      docs.clear();
      ranked.clear();
      // the first depth documents, a run of ties across the cut ordered
      // by article id (then docid), as in one database
      std::vector<Xapian::MSetIterator> cand;
      for (auto it = mset.begin(); it != mset.end(); ++it)
        cand.push_back(it);
      for (size_t i = 0; i < cand.size() && i < depth;) {
        size_t j = i + 1;
        while (j < cand.size() && tied(cand[j], cand[j - 1]))
          j++;
        bool exact = !opts->sort;
        for (size_t k = i + 1; k < j && exact; k++)
          exact = cand[k].get_weight() == cand[i].get_weight();
        if (j > depth && j - i > 1 && !exact) {
          std::vector<std::pair<std::string, Xapian::MSetIterator>> run;
          for (size_t k = i; k < j; k++)
            run.emplace_back(opts->sort ? s->db->get_document(*cand[k], Xapian::DOC_ASSUME_VALID)
                                              .get_value(TL_SLOT_ARTICLE_ID)
                                        : cand[k].get_sort_key(),
                             cand[k]);
          std::sort(run.begin(), run.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first < b.first : *a.second < *b.second;
          });
          for (size_t k = i; k < j; k++)
            cand[k] = run[k - i].second;
        }
        i = j;
      }
      if (cand.size() > depth)
        cand.resize(depth);
      std::unordered_map<Xapian::docid, size_t> doc_of;
      std::vector<Xapian::docid> ids;
      for (const auto &it : cand) {
        doc_of[*it] = docs.size();
        docs.push_back(
            {*it, std::string(),
             opts->sort ? s->db->get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(TL_SLOT_DATE)
                        : std::string(),
             std::string(), it.get_weight(), false, false});
        ids.push_back(*it);
      }
      view->add(ids, !pairs.empty() || !by_frequencies(match), wanted);
      for (size_t j : view->match(match)) {
        const PassageView::Passage &p = view->passages[j];
        Ranked r{};
        r.p = j;
        r.doc = doc_of[p.doc];
        for (size_t i = 0; i < terms.size(); i++) {
          double w = scorer.weight(i, p.wdf[i], p.length);
          for (int k = 0; k < NPARTS; k++)
            r.parts[k] += factor[k][i] * w;
        }
        for (const auto &pr : pairs)
          if (near(p.pos[pr.first], p.pos[pr.second], rp->prox_window))
            r.prox += rp->prox_weight * (scorer.weight(pr.first, p.wdf[pr.first], p.length) +
                                         scorer.weight(pr.second, p.wdf[pr.second], p.length));
        r.context = rp->context_weight * docs[r.doc].weight;
        r.key = r.prox + r.context;
        for (double part : r.parts)
          r.key += part;
        ranked.push_back(r);
      }
      // by date, then score; ties (equal but for rounding, which depends
      // on the shards) by article id, then the passages' order
      auto before = [&](const Ranked &a, const Ranked &b) {
        const Doc &x = docs[a.doc], &y = docs[b.doc];
        if (opts->sort && x.date != y.date)
          return opts->sort == TL_SORT_NEWEST ? x.date > y.date : x.date < y.date;
        if (!same_weight(a.key, b.key))
          return a.key > b.key;
        if (article_id(a.doc) != article_id(b.doc))
          return article_id(a.doc) < article_id(b.doc);
        const auto &pa = view->passages[a.p], &pb = view->passages[b.p];
        return pa.doc != pb.doc ? pa.doc < pb.doc : pa.k < pb.k;
      };
      std::sort(ranked.begin(), ranked.end(), before);
      if (opts->per_article && !opts->sort) {
        // An article's passages taken from the first block that holds
        // one (an article of several documents can span blocks): reading
        // more blocks then changes neither its best passage nor its score.
        std::unordered_map<std::string, size_t> first_block;
        for (const Ranked &r : ranked) {
          auto at = first_block.emplace(article_id(r.doc), block_of(r.doc)).first;
          at->second = std::min(at->second, block_of(r.doc));
        }
        std::vector<Ranked> kept;
        for (const Ranked &r : ranked)
          if (block_of(r.doc) == first_block[article_id(r.doc)])
            kept.push_back(r);
        ranked.swap(kept);
      }
      if (by_article) {
        // Articles ranked by their passages: the best one plus
        // article_weight times the next TL_ARTICLE_PASSAGES.
        std::unordered_map<std::string, std::pair<size_t, unsigned>> seen;
        std::vector<Ranked> best;
        for (const Ranked &r : ranked) {
          auto at = seen.find(article_id(r.doc));
          if (at == seen.end()) {
            seen.emplace(article_id(r.doc), std::make_pair(best.size(), 0u));
            best.push_back(r);
          } else if (at->second.second < TL_ARTICLE_PASSAGES) {
            at->second.second++;
            best[at->second.first].article += rp->article_weight * r.key;
          }
        }
        for (Ranked &r : best)
          r.key += r.article;
        std::stable_sort(best.begin(), best.end(), before);
        ranked.swap(best);
      } else if (opts->per_article) {
        std::unordered_map<std::string, unsigned> shown;
        std::vector<Ranked> kept;
        for (const Ranked &r : ranked)
          if (++shown[article_id(r.doc)] <= opts->per_article)
            kept.push_back(r);
        ranked.swap(kept);
      }
      if (!opts->sort) { // settled place by place, ranked in that order
        std::vector<Ranked> settled;
        std::vector<bool> taken(ranked.size());
        settled.reserve(ranked.size());
        for (size_t k = 0, end = BLOCK; settled.size() < ranked.size(); k++, end = 2 * end + BLOCK)
          for (size_t i = 0; i < ranked.size() && (end >= cand.size() || settled.size() < end); i++)
            if (!taken[i] && (end >= cand.size() || block_of(ranked[i].doc) <= k)) {
              taken[i] = true;
              settled.push_back(ranked[i]);
            }
        ranked.swap(settled);
      }
      if (ranked.size() >= want || mset.size() <= depth)
        break;
      depth = blocks_end(depth * 4);
    }
    // the documents that match are read on while no passage of theirs
    // does: none ranked is none at all
    size_t found = ranked.size();
    ranked.erase(ranked.begin(), ranked.begin() + std::min<size_t>(opts->offset, ranked.size()));
    if (ranked.size() > opts->count)
      ranked.resize(opts->count);

    h = static_cast<tl_hits *>(std::calloc(1, sizeof *h));
    if (!h)
      throw std::bad_alloc();
    h->estimated = found ? std::max<unsigned long>(mset.get_matches_estimated(), found) : 0;
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
    for (auto t = typed.get_unique_terms_begin(); t != typed.get_unique_terms_end(); ++t) {
      if (!(h->terms[h->nterms] = dup_string(*t)))
        throw std::bad_alloc();
      h->nterms++;
    }
    // the terms whose positions the hits carry, and their names
    if (opts->term_positions > 0) {
      h->pos_terms = static_cast<char **>(std::calloc(pos_terms.size() + 1, sizeof *h->pos_terms));
      if (!h->pos_terms)
        throw std::bad_alloc();
      for (size_t i : pos_terms) {
        if (!(h->pos_terms[h->npos_terms] = dup_string(terms[i])))
          throw std::bad_alloc();
        h->npos_terms++;
      }
    }
    h->items = static_cast<tl_hit *>(std::calloc(ranked.size() + 1, sizeof *h->items));
    if (!h->items)
      throw std::bad_alloc();
    // the documents of the hits at once: remote shards send them in one
    // exchange instead of one each
    if (!ranked.empty() && remote)
      mset.fetch();
    {
      // the documents read in docid order: neighbours share the blocks
      // of the docdata table that the cursor already holds
      std::vector<size_t> by_docid;
      for (const Ranked &r : ranked)
        if (!docs[r.doc].data_read) {
          docs[r.doc].data_read = true; // listed once
          by_docid.push_back(r.doc);
        }
      std::sort(by_docid.begin(), by_docid.end(),
                [&docs](size_t a, size_t b) { return docs[a].docid < docs[b].docid; });
      for (size_t d : by_docid)
        docs[d].data =
            unpacked_data(&s->zd, s->db->get_document(docs[d].docid, Xapian::DOC_ASSUME_VALID)
                                      .get_value(TL_SLOT_RECORDS));
    }
    for (const Ranked &r : ranked) {
      const PassageView::Passage &p = view->passages[r.p];
      Doc &d = docs[r.doc];
      tl_hit *hit = &h->items[h->count];
      std::string data = passage_record(d.data, p.k);
      hit->docid = p.doc;
      hit->score = r.key;
      hit->length = p.length;
      hit->data = dup_string(data);
      hit->data_len = data.size();
      if (!hit->data)
        throw std::bad_alloc();
      h->count++;
      if (h->count <= opts->term_positions) {
        size_t n = 0, at = 0;
        for (size_t i : pos_terms)
          n += p.pos[i].size();
        hit->term_at = static_cast<size_t *>(std::calloc(pos_terms.size() + 1, sizeof(size_t)));
        hit->term_pos = static_cast<unsigned *>(std::calloc(n + 1, sizeof(unsigned)));
        if (!hit->term_at || !hit->term_pos)
          throw std::bad_alloc();
        for (size_t k = 0; k < pos_terms.size(); k++) {
          hit->term_at[k] = at;
          for (unsigned q : p.pos[pos_terms[k]])
            hit->term_pos[at++] = q - p.first + 1;
        }
        hit->term_at[pos_terms.size()] = at;
      }
      if (opts->explain) {
        // BM25 is a sum over the query's terms: each term's share, scaled
        // by its factor (exact forms by exact_weight), then the other
        // parts as a whole each.
        std::string ex;
        char num[64];
        auto put = [&ex, &num](const std::string &name, double w) {
          std::snprintf(num, sizeof num, "%.4f", w);
          ex += (ex.empty() ? "" : " ") + name + "=" + num;
        };
        for (size_t i = 0; i < h->nterms; i++) {
          size_t t = index_of(h->terms[i]);
          if (t < terms.size() && p.wdf[t] && factor[PART_TERM][t] > 0)
            put(h->terms[i], factor[PART_TERM][t] * scorer.weight(t, p.wdf[t], p.length));
        }
        for (int k = PART_TITLE; k < NPARTS; k++) {
          if (k == PART_FEEDBACK && r.prox > 0)
            put("(proximity)", r.prox);
          if (r.parts[k] > 0)
            put(part_name[k], r.parts[k]);
        }
        if (r.context > 0)
          put("(context)", r.context);
        if (r.article > 0)
          put("(article)", r.article);
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
    std::free(h->items[i].term_pos);
    std::free(h->items[i].term_at);
  }
  std::free(h->items);
  for (size_t i = 0; i < h->npos_terms; i++)
    std::free(h->pos_terms[i]);
  std::free(h->pos_terms);
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
#include <sstream>
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
  // The two directories swapped in one step (Linux's RENAME_EXCHANGE), so
  // that a run killed here leaves path either as it was or compacted; where
  // the file system cannot, two renames, with a moment between them where
  // path is missing (its data in old).
  if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) == 0) {
    lock.close();
    fs::remove_all(tmp, ec);
    return;
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
    if (s->wdb) // a writer's counts change with each document it adds
      s->term_freqs.clear();
    *n = static_cast<unsigned long>(StemFreqs(*s->db, s->term_freqs)(std::string(term, len)));
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
      std::string d = unpacked_data(&s->zd, s->db->get_document(*it).get_value(TL_SLOT_RECORDS)), r;
      for (size_t k = 0; !(r = passage_record(d, k)).empty(); k++) {
        int rc = fn(ctx, r.c_str(), r.size());
        if (rc)
          return static_cast<tl_status>(rc);
      }
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
    out->documents = db.get_collection_freq(TL_TERM_PASSAGES);
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
      put(unpacked_data(&s->zd, d.get_value(TL_SLOT_RECORDS)));
      for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
        put(*t);
        num(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
          num(*p);
      }
      for (auto v = d.values_begin(); v != d.values_end(); ++v) {
        if (v.get_valueno() == TL_SLOT_RECORDS)
          continue; // as read, above
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
