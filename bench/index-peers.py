#!/usr/bin/python3
"""index-peers.py - the peers of bench/index-bench.sh: SQLite FTS5 and
Xapian's own QueryParser/Enquire, indexing and querying the same passages
(paragraphs) as telusur, and the text files omindex reads.

Usage:
  index-peers.py split CORPUS.jsonl[.gz] OUTDIR     one .txt per document (omindex)
  index-peers.py fts5-build CORPUS DB               one row per paragraph, unicode61
  index-peers.py xapian-build CORPUS DB             one document per paragraph,
                                                    TermGenerator, Snowball indonesian
  index-peers.py fts5-query DB QUERIES.tsv          prints "p50_ms p99_ms n"
  index-peers.py xapian-query DB QUERIES.tsv        prints "p50_ms p99_ms n"
Queries: OR of their words (FTS5: each word quoted; ranked by bm25());
Xapian: QueryParser with the indonesian stemmer, STEM_SOME, default OR,
BM25Weight defaults. Top 10 each, in one process.
"""
import gzip, json, os, re, sqlite3, sys, time

TOP = 10


def docs(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if isinstance(d.get("text"), str):
                yield str(d.get("id", "")), d.get("title") or "", d["text"]


def paragraphs(text):
    return [p.strip() for p in re.split(r"\n+", text) if p.strip()]


def split(corpus, out):
    os.makedirs(out, exist_ok=True)
    for i, (_id, title, text) in enumerate(docs(corpus)):
        sub = os.path.join(out, "%03d" % (i // 1000))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "%05d.txt" % i), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + text + "\n")


def fts5_build(corpus, db):
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, title, text, tokenize='unicode61')")
    with con:
        for _id, title, text in docs(corpus):
            con.executemany("INSERT INTO p VALUES (?,?,?)",
                            ((_id, title, para) for para in paragraphs(text)))
    con.execute("INSERT INTO p(p) VALUES('optimize')")
    con.commit()
    con.close()


def xapian_build(corpus, db):
    import xapian
    wdb = xapian.WritableDatabase(db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("indonesian"))
    for _id, title, text in docs(corpus):
        for para in paragraphs(text):
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(title, 1, "S")
            tg.increase_termpos()
            tg.index_text(para)
            doc.set_data(para)
            doc.add_boolean_term("Q" + _id)
            wdb.add_document(doc)
    wdb.commit()
    wdb.close()


def queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                out.append(line.rstrip("\n").split("\t", 1)[1])
    return out


def report(lat):
    lat.sort()
    n = len(lat)
    p = lambda q: lat[min(n - 1, int(q * n))] * 1000
    print("%.3f %.3f %d" % (p(0.50), p(0.99), n))


def fts5_query(db, qfile):
    con = sqlite3.connect(db)
    lat = []
    for q in queries(qfile):
        words = re.findall(r"\w+", q)
        if not words:
            continue
        m = " OR ".join('"%s"' % w for w in words)
        t = time.perf_counter()
        con.execute("SELECT id FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT %d" % TOP,
                    (m,)).fetchall()
        lat.append(time.perf_counter() - t)
    report(lat)


def xapian_query(db, qfile):
    import xapian
    d = xapian.Database(db)
    qp = xapian.QueryParser()
    qp.set_database(d)
    qp.set_stemmer(xapian.Stem("indonesian"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_OR)
    enq = xapian.Enquire(d)
    enq.set_weighting_scheme(xapian.BM25Weight())
    lat = []
    for q in queries(qfile):
        t = time.perf_counter()
        try:
            enq.set_query(qp.parse_query(q))
            [m.docid for m in enq.get_mset(0, TOP)]
        except xapian.QueryParserError:
            continue
        lat.append(time.perf_counter() - t)
    report(lat)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"split": split, "fts5-build": fts5_build, "xapian-build": xapian_build,
     "fts5-query": fts5_query, "xapian-query": xapian_query}[cmd](*args)
