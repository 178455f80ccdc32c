#!/usr/bin/python3
"""latency.py - the first stage's cost in the two layouts (see
bench/RESULTS-index.md, "Article-grain documents"): the top 20 passages of
the passage layout, against the top 20 articles of the article layout, then
the positions of the query's terms in each (what passage scores are
computed from). The query as in passages.py; the article index built with
TL_EXP_ARTICLE=1 TL_EXP_ZDIFF=1. Times include Python's own overhead per
call, so the article layout's full figure is an upper bound; the positions
read per query are printed to estimate it in C++.

Usage: latency.py BUILD PASSAGE_DB ARTICLE_DB QUERIES.tsv...  (the first 500 of each file)
"""
import sys, time
import xapian

from passages import analyze  # the query analysis both prototypes share


def query(words, stems, zdiff):
    def stem(prefix, s):
        ts = ["Z" + prefix + s] + ([prefix + s] if zdiff else [])
        return xapian.Query(xapian.Query.OP_SYNONYM, [xapian.Query(t) for t in ts])
    parts = [stem("", s) for s in stems]
    parts += [xapian.Query(xapian.Query.OP_SCALE_WEIGHT, xapian.Query(w), 0.5) for w in words]
    parts += [xapian.Query(xapian.Query.OP_SCALE_WEIGHT, stem("S", s), 0.5) for s in stems]
    return xapian.Query(xapian.Query.OP_OR, parts)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    build, pas, art = sys.argv[1:4]
    texts = []
    for path in sys.argv[4:]:
        with open(path, encoding="utf-8") as f:
            texts += [l.rstrip("\n").split("\t", 1)[1] for l in f if "\t" in l][:500]
    analyzed = [analyze(build, t) for t in texts]
    for label, path, zdiff, positions in (("passage layout, top 20 passages", pas, False, False),
                                          ("article layout, top 20 articles", art, True, False),
                                          ("article layout, and their positions", art, True, True)):
        db = xapian.Database(path)
        enq = xapian.Enquire(db)
        enq.set_weighting_scheme(xapian.BM25Weight(0.6, 0, 1, 0.75, 0.5))
        for _ in range(2):  # the first round warms the caches
            ms, npos = [], []
            for words, stems in analyzed:
                t0, n = time.perf_counter(), 0
                enq.set_query(query(words, stems, zdiff))
                mset = enq.get_mset(0, 20)
                if positions:
                    terms = ["Z" + s for s in stems] + stems + words
                    for m in mset:
                        m.document.get_value(30)
                        for t in terms:
                            try:
                                n += sum(1 for _ in db.positionlist(m.docid, t))
                            except xapian.RangeError:
                                pass
                ms.append((time.perf_counter() - t0) * 1000)
                npos.append(n)
        ms.sort()
        npos.sort()
        print("| %s | %.2f | %.2f | %d / %d |" % (label, ms[len(ms) // 2], ms[int(len(ms) * .99)],
                                                  npos[len(npos) // 2], npos[int(len(npos) * .99)]))


if __name__ == "__main__":
    main()
