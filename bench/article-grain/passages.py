#!/usr/bin/python3
"""passages.py - the article layout's passage ranking, prototyped (see
bench/RESULTS-index.md, "Article-grain documents"): the first stage ranks
article documents by BM25, then each passage of the best articles is scored
from the positions of the query's terms inside it (BM25 of the passage, with
the article layout's statistics), plus LAMBDA times its article's score.
Beside it, the passage layout ranked with the same query (BM25 over passage
documents). Both indexes are built by telusur-index patched with
prototype.patch (TL_EXP_LINES=1 on both, TL_EXP_ARTICLE=1 on the article
one; TL_EXP_ZDIFF=1: stems only where they differ). The query is telusur's
analysis without stopwords: stems, their word forms at 0.5 and the title's
stems at 0.5, ORed, k1 0.6, b 0.75.

Usage: passages.py [--zdiff] [--articles] [--depth K] BUILD ARTICLE_DB PASSAGE_DB
                   QUERIES.tsv QRELS OUTDIR
Runs (top 10; with --articles, articles in order of their best passage) go to
OUTDIR; prints MRR@10 and nDCG@10 (telusur-eval) of the S and T queries and
all. Needs python3-xapian.
"""
import argparse, bisect, collections, math, os, struct, subprocess
import xapian

K1, B, GAP = 0.6, 0.75, 50  # GAP: positions between two passages (prototype.patch)
LAMBDAS = (0.0, 0.1, 0.2, 0.4, 0.8, 1.6)


def u32s(v):
    return struct.unpack("<%dI" % (len(v) // 4), v)


def analyze(build, text):
    """The query's word forms and stems, stopwords left out."""
    out = subprocess.run([build + "/telusur-analyze", text], capture_output=True, text=True,
                         check=True).stdout
    words, stems = [], []
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 5 or (len(f) > 5 and "stopword" in f[5]):
            continue
        if f[3] == "word":
            words.append(f[4])
        elif f[3] == "stem":
            stems.append(f[4])
    return list(dict.fromkeys(words)), list(dict.fromkeys(stems))


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--zdiff", action="store_true")
    ap.add_argument("--articles", action="store_true")
    ap.add_argument("--depth", type=int, default=20)
    for a in ("build", "article_db", "passage_db", "queries", "qrels", "outdir"):
        ap.add_argument(a)
    o = ap.parse_args()
    art, pas = xapian.Database(o.article_db), xapian.Database(o.passage_db)

    def members(prefix, s):  # a stem's terms: with --zdiff also the word form of its spelling
        return ["Z" + prefix + s, prefix + s] if o.zdiff else ["Z" + prefix + s]

    def qterm(ts):
        return xapian.Query(xapian.Query.OP_SYNONYM, [xapian.Query(t) for t in ts])

    dfs = {}

    def df(ts):  # documents of the article index holding any of ts
        if ts not in dfs:
            docs = set()
            for t in ts:
                if art.term_exists(t):
                    docs.update(p.docid for p in art.postlist(t))
            dfs[ts] = len(docs)
        return dfs[ts]

    # passage lengths (positions) of the article index: its mean, and each article's end
    ends, total, count = {}, 0, 0
    for p in art.postlist(""):
        doc = art.get_document(p.docid)
        starts = u32s(doc.get_value(30))
        last = max((ps[-1] for t in doc.termlist() if t.term[:1].islower() or t.term[:1].isdigit()
                    for ps in [list(t.positer)] if ps), default=starts[0])
        ends[p.docid] = last + 1
        total += ends[p.docid] - starts[0] - GAP * (len(starts) - 1)
        count += len(starts)
    avg = total / count
    n_art = art.get_doccount()

    runs = collections.defaultdict(list)
    with open(o.queries, encoding="utf-8") as f:
        queries = [l.rstrip("\n").split("\t", 1) for l in f if "\t" in l]
    for qid, text in queries:
        words, stems = analyze(o.build, text)
        terms = [(tuple(members("", s)), 1.0, False) for s in stems] + \
                [((w,), 0.5, False) for w in words] + [(tuple(members("S", s)), 0.5, True) for s in stems]
        query = xapian.Query(xapian.Query.OP_OR, [
            xapian.Query(xapian.Query.OP_SCALE_WEIGHT, qterm(ts), w) for ts, w, _ in terms])
        for name, db in (("passage layout", pas), ("article layout", art)):
            enq = xapian.Enquire(db)
            enq.set_weighting_scheme(xapian.BM25Weight(K1, 0, 1, B, 0.5))
            enq.set_query(query)
            if db is pas:
                runs[name].append((qid, ["%s#%d" % (m.document.get_value(1).decode(),
                                                    u32s(m.document.get_value(31))[0])
                                         for m in enq.get_mset(0, 100)]))
                continue
            mset = enq.get_mset(0, o.depth)
            runs["article layout, first stage"].append(
                (qid, [m.document.get_value(1).decode() + "#1" for m in mset]))
            scored = collections.defaultdict(list)
            for m in mset:
                doc = m.document
                starts, lines = u32s(doc.get_value(30)), u32s(doc.get_value(31))
                n = len(starts)
                lens = [(starts[j + 1] - GAP - starts[j]) if j + 1 < n else ends[m.docid] - starts[j]
                        for j in range(n)]
                wdf = {t.term.decode(errors="replace"): t.wdf for t in doc.termlist()}
                tf = [collections.Counter() for _ in range(n)]
                for ts, _, title in terms:
                    for t in ts:
                        if not title and t in wdf:
                            for pos in art.positionlist(m.docid, t):
                                tf[bisect.bisect_right(starts, pos) - 1][ts] += 1
                for j in range(n):
                    score = 0.0
                    for ts, w, title in terms:
                        f = sum(wdf.get(t, 0) for t in ts) if title else tf[j][ts]
                        if f:
                            norm = K1 * (1 - B + B * max(lens[j], 1) / avg)
                            idf = math.log(1 + (n_art - df(ts) + .5) / (df(ts) + .5))
                            score += w * idf * f * (K1 + 1) / (f + norm)
                    pid = "%s#%d" % (doc.get_value(1).decode(), lines[j])
                    for lam in LAMBDAS:
                        scored[lam].append((score + lam * m.weight, pid))
            for lam in LAMBDAS:
                runs["article layout, passages + %.1f x article" % lam].append(
                    (qid, [p for _, p in sorted(scored[lam], key=lambda x: -x[0])[:100]]))

    os.makedirs(o.outdir, exist_ok=True)
    for name, rows in runs.items():
        path = os.path.join(o.outdir, name.replace(" ", "_").replace(",", "") + ".run")
        with open(path, "w", encoding="utf-8") as f:
            for qid, ranked in rows:
                if o.articles:
                    ranked = list(dict.fromkeys(p.split("#")[0] for p in ranked))
                for i, d in enumerate(ranked[:10]):
                    f.write("%s Q0 %s %d %d proto\n" % (qid, d, i + 1, 100 - i))
        out = subprocess.run([o.build + "/telusur-eval", "-q", "-f", "tsv", o.qrels, path],
                             capture_output=True, text=True, check=True).stdout
        agg = collections.defaultdict(lambda: [0, 0.0, 0.0])
        for line in out.splitlines()[1:]:
            f = line.split("\t")
            if f[0] != "all":
                for k in (f[0][:2] if f[0][1:2] == ":" else "", "all"):
                    if k:
                        agg[k][0] += 1
                        agg[k][1] += float(f[2])
                        agg[k][2] += float(f[3])
        print("| %s | %s |" % (name, " | ".join("%s %.3f / %.3f" % (k.rstrip(":"), a[1] / a[0], a[2] / a[0])
                                             for k, a in sorted(agg.items(), key=lambda x: x[0] == "all"))))


if __name__ == "__main__":
    main()
