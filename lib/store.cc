// store.cc - the extern "C" shim over libxapian. Every function catches
// every exception and turns it into a status code with a message.
#include "store.h"

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>

struct tl_store {
  Xapian::Database *db = nullptr;
  Xapian::WritableDatabase *wdb = nullptr; // same object as db when writable
  std::string path;
  bool in_transaction = false;
};

struct tl_doc {
  Xapian::Document doc;
};

namespace {

int from_xapian(tl_error *err, const Xapian::Error &e, const char *what) {
  int code = TL_ERR_XAPIAN;
  const std::string type = e.get_type();
  if (type == "DatabaseLockError")
    code = TL_ERR_LOCK;
  else if (type == "DatabaseNotFoundError" || type == "DatabaseOpeningError")
    code = TL_ERR_NOTFOUND;
  else if (type == "QueryParserError")
    code = TL_ERR_USAGE;
  std::string msg = e.get_msg();
  if (!e.get_context().empty())
    msg += " (" + e.get_context() + ")";
  return tl_error_set(err, code, "%s: %s: %s", what, type.c_str(), msg.c_str());
}

int from_std(tl_error *err, const std::exception &e, const char *what) {
  if (dynamic_cast<const std::bad_alloc *>(&e))
    return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", what);
  return tl_error_set(err, TL_ERR_XAPIAN, "%s: %s", what, e.what());
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
  std::string get_description() const override { return "telusur"; }

private:
  tl_stem_fn fn_;
  void *ctx_;
};

// Accepts one document only.
class OneDoc : public Xapian::MatchDecider {
public:
  explicit OneDoc(Xapian::docid id) : id_(id) {}
  bool operator()(const Xapian::Document &doc) const override {
    return doc.get_docid() == id_;
  }

private:
  Xapian::docid id_;
};

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

#define TL_CATCH(what)                                                         \
  catch (const Xapian::Error &e) {                                             \
    return from_xapian(err, e, what);                                          \
  }                                                                            \
  catch (const std::exception &e) {                                            \
    return from_std(err, e, what);                                             \
  }                                                                            \
  catch (...) {                                                                \
    return tl_error_set(err, TL_ERR_XAPIAN, "%s: unknown exception", what);    \
  }

extern "C" int tl_store_open(const char *path, int mode, tl_store **out,
                             tl_error *err) {
  *out = nullptr;
  tl_store *s = nullptr;
  try {
    s = new tl_store;
    s->path = path;
    if (mode == TL_STORE_WRITE) {
      s->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
      s->db = s->wdb;
    } else {
      s->db = new Xapian::Database(path);
    }
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

extern "C" int tl_store_get_metadata(tl_store *s, const char *key, char **value,
                                     tl_error *err) {
  *value = nullptr;
  try {
    *value = dup_string(s->db->get_metadata(key));
    return *value ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
  TL_CATCH("reading metadata")
}

extern "C" int tl_store_set_metadata(tl_store *s, const char *key, const char *value,
                                     tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->set_metadata(key, value);
    return TL_OK;
  }
  TL_CATCH("writing metadata")
}

extern "C" int tl_store_begin(tl_store *s, tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->begin_transaction(true);
    s->in_transaction = true;
    return TL_OK;
  }
  TL_CATCH("starting a transaction")
}

extern "C" int tl_store_commit(tl_store *s, tl_error *err) {
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

extern "C" int tl_store_delete_term(tl_store *s, const char *term, size_t len,
                                    tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->delete_document(std::string(term, len));
    return TL_OK;
  }
  TL_CATCH("deleting documents")
}

extern "C" int tl_store_add(tl_store *s, const tl_doc *doc, tl_error *err) {
  if (!s->wdb)
    return tl_error_set(err, TL_ERR_USAGE, "database %s is read-only", s->path.c_str());
  try {
    s->wdb->add_document(doc->doc);
    return TL_OK;
  }
  TL_CATCH("adding a document")
}

extern "C" int tl_store_reopen(tl_store *s, tl_error *err) {
  try {
    s->db->reopen();
    return TL_OK;
  }
  TL_CATCH("reopening the database")
}

extern "C" int tl_doc_create(tl_doc **out, tl_error *err) {
  try {
    *out = new tl_doc;
    return TL_OK;
  } catch (...) {
    *out = nullptr;
    return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
  }
}

extern "C" void tl_doc_clear(tl_doc *d) { d->doc = Xapian::Document(); }

extern "C" void tl_doc_free(tl_doc *d) { delete d; }

extern "C" int tl_doc_add_posting(tl_doc *d, const char *term, size_t len, unsigned pos,
                                  tl_error *err) {
  if (len == 0 || len > 245)
    return tl_error_set(err, TL_ERR_USAGE, "term of %zu bytes", len);
  try {
    d->doc.add_posting(std::string(term, len), pos);
    return TL_OK;
  }
  TL_CATCH("adding a posting")
}

extern "C" int tl_doc_add_term(tl_doc *d, const char *term, size_t len, unsigned wdf,
                               tl_error *err) {
  if (len == 0 || len > 245)
    return tl_error_set(err, TL_ERR_USAGE, "term of %zu bytes", len);
  try {
    d->doc.add_term(std::string(term, len), wdf);
    return TL_OK;
  }
  TL_CATCH("adding a term")
}

extern "C" int tl_doc_set_data(tl_doc *d, const char *data, size_t len, tl_error *err) {
  try {
    d->doc.set_data(std::string(data, len));
    return TL_OK;
  }
  TL_CATCH("setting document data")
}

extern "C" int tl_doc_set_value(tl_doc *d, unsigned slot, const char *v, size_t len,
                                tl_error *err) {
  try {
    d->doc.add_value(slot, std::string(v, len));
    return TL_OK;
  }
  TL_CATCH("setting a value")
}

extern "C" int tl_store_search(tl_store *s, const char *query,
                               const tl_search_options *opts, tl_hits **out,
                               tl_error *err) {
  *out = nullptr;
  tl_hits *h = nullptr;
  try {
    Xapian::QueryParser qp;
    Xapian::Stem stem(new CStem(opts->stem, opts->ctx));
    CStop *stop = opts->stop ? new CStop(opts->stop, opts->ctx) : nullptr;
    qp.set_database(*s->db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    if (stop)
      qp.set_stopper(stop->release());
    qp.set_default_op(Xapian::Query::OP_OR);
    qp.add_prefix("title", "S");
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT |
                     Xapian::QueryParser::FLAG_WILDCARD;
    Xapian::Query q = qp.parse_query(query, flags);
    if (q.empty())
      return tl_error_set(err, TL_ERR_USAGE, "the query has no searchable words");
    if (opts->exact_weight > 0) {
      // The same query on unstemmed word forms, as extra evidence: a
      // passage with the very forms typed ranks above one with their stems.
      qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
      Xapian::Query exact = qp.parse_query(query, flags);
      if (!exact.empty())
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact,
                                        opts->exact_weight));
    }

    Xapian::Enquire enquire(*s->db);
    enquire.set_query(q);
    double k1 = opts->k1, b = opts->b;
    if (k1 == 0 && b == 0) {
      k1 = 1;
      b = 0.5;
    }
    enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
    Xapian::MSet mset = enquire.get_mset(opts->offset, opts->count);

    h = static_cast<tl_hits *>(std::calloc(1, sizeof *h));
    if (!h)
      throw std::bad_alloc();
    h->estimated = mset.get_matches_estimated();
    h->query = dup_string(q.get_description());
    size_t nterms = 0;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
      nterms++;
    h->terms = static_cast<char **>(std::calloc(nterms + 1, sizeof *h->terms));
    if (!h->terms || !h->query)
      throw std::bad_alloc();
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
      if (!(h->terms[h->nterms] = dup_string(*t)))
        throw std::bad_alloc();
      h->nterms++;
    }
    h->items = static_cast<tl_hit *>(std::calloc(mset.size() + 1, sizeof *h->items));
    if (!h->items)
      throw std::bad_alloc();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      tl_hit *hit = &h->items[h->count];
      Xapian::Document doc = it.get_document();
      std::string data = doc.get_data();
      hit->docid = *it;
      hit->score = it.get_weight();
      hit->data = dup_string(data);
      hit->data_len = data.size();
      if (!hit->data)
        throw std::bad_alloc();
      h->count++;
      if (opts->explain) {
        // BM25 is a sum over the query's terms: each term's share is the
        // weight the passage gets from a query of that term alone, under
        // the same collection statistics.
        std::string ex;
        OneDoc only(hit->docid);
        for (size_t i = 0; i < h->nterms; i++) {
          Xapian::Enquire one(*s->db);
          one.set_query(Xapian::Query(h->terms[i]));
          one.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
          Xapian::MSet m = one.get_mset(0, 1, nullptr, &only);
          if (m.empty())
            continue;
          char num[64];
          std::snprintf(num, sizeof num, "%.4f", m.begin().get_weight());
          if (!ex.empty())
            ex += ' ';
          ex += std::string(h->terms[i]) + "=" + num;
        }
        if (!(hit->explain = dup_string(ex)))
          throw std::bad_alloc();
      }
    }
    *out = h;
    return TL_OK;
  } catch (const Xapian::Error &e) {
    tl_hits_free(h);
    return from_xapian(err, e, "search");
  } catch (const std::exception &e) {
    tl_hits_free(h);
    return from_std(err, e, "search");
  } catch (...) {
    tl_hits_free(h);
    return tl_error_set(err, TL_ERR_XAPIAN, "search: unknown exception");
  }
}

extern "C" void tl_hits_free(tl_hits *h) {
  if (!h)
    return;
  for (size_t i = 0; i < h->count; i++) {
    std::free(h->items[i].data);
    std::free(h->items[i].explain);
  }
  std::free(h->items);
  for (size_t i = 0; i < h->nterms; i++)
    std::free(h->terms[i]);
  std::free(h->terms);
  std::free(h->query);
  std::free(h);
}
