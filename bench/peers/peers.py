#!/usr/bin/python3
"""peers.py - the two peer systems of bench/relevance.sh, measured on the
same passages and queries as telusur: Xapian (python3-xapian, Snowball
`indonesian` stemmer, STEM_SOME, BM25 with Xapian's defaults) and SQLite
FTS5 (python3's sqlite3, tokenizer unicode61, bm25() with its defaults).
Both drop the Tala stopwords from queries, OR the remaining words and
return the top 100, as the reference figures in shared/README.md were made.
When the corpus's objects have an "article" (passages of articles,
bench/keyword.sh), the title is indexed with each passage and the runs list
articles, each ranked by its best passage; with --passages they list the
passages themselves.

Usage: peers.py [--passages] STOPWORDS CORPUS.jsonl OUTDIR NAME QUERIES.tsv...
Writes OUTDIR/xapian.NAME.SPLIT.run and OUTDIR/fts5.NAME.SPLIT.run (TREC),
SPLIT taken from queries.SPLIT.tsv; prints timings on stderr.
"""
import json, os, re, sqlite3, sys, time
import xapian

DEPTH = 100


def read_stopwords(path):
    with open(path, encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip() and not w.startswith("#")}


def read_corpus(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield d["id"], d.get("title", ""), d["text"], d.get("article", d["id"])


def read_queries(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#") and "\t" in line:
                yield line.split("\t", 1)


def write_run(path, results):
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in results:
            for rank, (docid, score) in enumerate(hits, 1):
                out.write(f"{qid} Q0 {docid} {rank} {score:.6f} peer\n")


def xapian_runs(stop, docs, queries, dbdir, passages):
    db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    stem = xapian.Stem("indonesian")
    tg.set_stemmer(stem)
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    for docid, title, text, article in docs:
        doc = xapian.Document()
        tg.set_document(doc)
        if title:
            # passages of articles: the title is searched with the text
            tg.index_text(title, 1, "" if article != docid else "S")
            tg.increase_termpos()
        tg.index_text(text)
        doc.set_data(docid if passages else article)
        doc.add_value(0, article)
        doc.add_boolean_term("Q" + docid)
        db.replace_document("Q" + docid, doc)
    db.commit()
    stopper = xapian.SimpleStopper()
    for w in stop:
        stopper.add(w)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_stopper(stopper)
    qp.set_default_op(xapian.Query.OP_OR)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    if not passages:
        enq.set_collapse_key(0)  # a no-op when every passage is its own article
    for split, qs in queries:
        res = []
        for qid, q in qs:
            enq.set_query(qp.parse_query(q, xapian.QueryParser.FLAG_DEFAULT))
            res.append((qid, [(m.document.get_data().decode(), m.weight)
                              for m in enq.get_mset(0, DEPTH)]))
        yield split, res


def fts5_runs(stop, docs, queries, passages):
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(docid UNINDEXED, title, text, "
                "article UNINDEXED, tokenize='unicode61')")
    con.executemany("INSERT INTO p VALUES (?, ?, ?, ?)", docs)
    limit = DEPTH if passages else DEPTH * max(1, len(docs) // max(1, len({d[3] for d in docs})) * 4)
    word = re.compile(r"\w+")
    for split, qs in queries:
        res = []
        for qid, q in qs:
            words = [w for w in word.findall(q.lower()) if w not in stop]
            if not words:
                res.append((qid, []))
                continue
            match = " OR ".join('"%s"' % w for w in dict.fromkeys(words))
            col = "docid" if passages else "article"
            rows = con.execute("SELECT %s, bm25(p) FROM p WHERE p MATCH ? "
                               "ORDER BY bm25(p) LIMIT ?" % col, (match, limit)).fetchall()
            best = {}
            for d, s in rows:  # each article by its best passage
                best.setdefault(d, -s)
            res.append((qid, list(best.items())[:DEPTH]))
        yield split, res


def main():
    passages = len(sys.argv) > 1 and sys.argv[1] == "--passages"
    if passages:
        del sys.argv[1]
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    stopfile, corpus, outdir, name = sys.argv[1:5]
    stop = read_stopwords(stopfile)
    docs = list(read_corpus(corpus))
    queries = []
    for qf in sys.argv[5:]:
        split = re.sub(r"^queries\.|\.tsv$", "", os.path.basename(qf))
        queries.append((split, list(read_queries(qf))))
    t = time.time()
    for split, res in xapian_runs(stop, docs, queries, os.path.join(outdir, "xapian." + name + ".db"),
                                  passages):
        write_run(os.path.join(outdir, f"xapian.{name}.{split}.run"), res)
    print(f"peers: {name}: xapian {time.time() - t:.1f} s", file=sys.stderr)
    t = time.time()
    for split, res in fts5_runs(stop, docs, queries, passages):
        write_run(os.path.join(outdir, f"fts5.{name}.{split}.run"), res)
    print(f"peers: {name}: fts5 {time.time() - t:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
