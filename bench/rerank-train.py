#!/usr/bin/python3
"""rerank-train.py - train the reranker's weights (lib/search/rerank.c) by coordinate ascent.

Reads feature dumps of telusur-query (--format features --rerank-depth D) for
the train and valid queries of TyDi QA GoldP and FacQA, and their qrels;
trains a linear model on globally z-scored features by coordinate ascent
(Metzler & Croft 2007, "Linear feature-based models for information
retrieval"; RankLib's line search over fixed step sizes) on the mean of the
two collections' nDCG@10 over their train queries; prints train and valid
figures and the weights on the raw features, one "name weight" line each, for
the weight column of the RR_FEATURES table in lib/search/rerank.c.

Usage:
  bench/rerank-train.py --work DIR [--build BUILD] [--depth D] [--use FEATURES]
DIR holds the indexes bench/relevance.sh builds (RELEVANCE_WORK=DIR
sh bench/relevance.sh -B build --no-peers); the dumps are made there
(DIR/features.COLL.SPLIT.D.tsv) when missing, with BUILD/telusur-query (the
features do not depend on the weights; delete the dumps after changing how
lib/search/rerank.c computes them).
--use: comma-separated feature names (bm25n is always in), default all;
--drop: features to leave out (ablations); --cv K: also K-fold
cross-validation on the train queries (folds by a CRC-32 of the query id;
each fold's model trained on the others), its mean nDCG@10 per collection
printed. Needs python3-numpy.

Figures: MRR@10, nDCG@10, R@10 of the reranked top D only (a relevant
passage below D counts as not found), each TREC docid at its best passage,
as telusur-eval counts them; every query of the qrels counts.
"""
import argparse
import os
import subprocess
import sys
import zlib

import numpy as np

COLLS = ["tydiqa-goldp-id-retrieval", "facqa-news-retrieval"]
SHORT = {"tydiqa-goldp-id-retrieval": "TyDi", "facqa-news-retrieval": "FacQA"}
STEPS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]


def dump(args, coll, split):
    path = os.path.join(args.work, "features.%s.%s.%d.tsv" % (coll, split, args.depth))
    if not os.path.exists(path):
        db = os.path.join(args.work, "telusur.%s.db" % coll)
        queries = os.path.join(args.shared, "data", coll, "queries.%s.tsv" % split)
        with open(path + ".tmp", "w") as out:
            rc = subprocess.call([os.path.join(args.build, "telusur-query"), "-d", db,
                                  "--format", "features", "--rerank-depth", str(args.depth),
                                  "--batch", queries], stdout=out)
        # 2: a query failed (its one-line error is above) and the rest went on,
        # or nothing could run (an empty dump)
        if rc not in (0, 1, 2) or os.path.getsize(path + ".tmp") == 0:
            sys.exit("rerank-train: telusur-query failed on %s" % queries)
        if rc == 2:
            print("rerank-train: some queries of %s failed (above); they have no rows" % queries,
                  file=sys.stderr)
        os.rename(path + ".tmp", path)
    return path


class Part:
    """The candidates of one collection and split."""

    def __init__(self, path, qrels):
        with open(path) as f:
            header = f.readline().rstrip("\n").split("\t")
            self.names = header[3:]
            qid, doc, rank, rows = [], [], [], []
            for line in f:
                p = line.rstrip("\n").split("\t")
                qid.append(p[0])
                doc.append(p[1])
                rank.append(int(p[2]))
                rows.append([float(v) for v in p[3:]])
        self.X = np.array(rows, dtype=np.float64)
        rel = {}
        for line in open(qrels):
            q, _, d, r = line.split()
            if int(r) > 0:
                rel.setdefault(q, set()).add(d)
        self.nq = len(rel)
        qids = sorted(set(qid) | set(rel))
        qindex = {q: i for i, q in enumerate(qids)}
        self.q = np.array([qindex[q] for q in qid])
        self.rank = np.array(rank)
        # groups: one per (query, docid); a docid counts at its best passage
        keys = {}
        self.g = np.array([keys.setdefault((q, d), len(keys)) for q, d in zip(qid, doc)])
        self.gq = np.zeros(len(keys), dtype=int)
        self.grel = np.zeros(len(keys), dtype=bool)
        for (q, d), i in keys.items():
            self.gq[i] = qindex[q]
            self.grel[i] = d in rel.get(q, ())
        # one relevant passage per query in these collections
        assert np.bincount(self.gq[self.grel], minlength=len(qids)).max() <= 1
        self.relg = np.full(len(qids), -1)
        self.relg[self.gq[self.grel]] = np.where(self.grel)[0]
        self.fold = np.array([zlib.crc32(q.encode()) for q in qids])
        # rows by group, for the per-group maximum
        self.order = np.argsort(self.g, kind="stable")
        gs = self.g[self.order]
        self.starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])

    def metrics(self, s, queries=None):
        """MRR@10, nDCG@10, R@10 of scores s over all queries, or over those
        of the boolean mask queries (one value per query index)."""
        # ties keep the first-stage order
        s = s - 1e-9 * self.rank
        gs = np.maximum.reduceat(s[self.order], self.starts)
        has = self.relg >= 0
        relsc = np.full(len(self.relg), np.inf)
        relsc[has] = gs[self.relg[has]]
        beat = np.bincount(self.gq, weights=(gs > relsc[self.gq]).astype(float),
                           minlength=len(self.relg))
        r = 1 + beat
        top = has & (r <= 10)
        sel = np.ones(len(r), dtype=bool) if queries is None else queries
        nq = self.nq if queries is None else max(int(sel.sum()), 1)
        return dict(mrr=float(np.sum(1 / r[top & sel]) / nq),
                    ndcg=float(np.sum(1 / np.log2(r[top & sel] + 1)) / nq),
                    r10=float((top & sel).sum() / nq))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", required=True)
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--shared", default=os.environ.get("TELUSUR_SHARED",
                                                       os.path.join(here, "..", "..", "shared")))
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--use", default="all")
    ap.add_argument("--drop", default="")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--cv", type=int, default=0)
    args = ap.parse_args()
    parts = {}
    for c in COLLS:
        for sp in ("train", "valid"):
            parts[(c, sp)] = Part(dump(args, c, sp),
                                  os.path.join(args.shared, "data", c, "qrels.%s.txt" % sp))
    names = parts[(COLLS[0], "train")].names
    use = names if args.use == "all" else ["bm25n"] + [u for u in args.use.split(",") if u != "bm25n"]
    use = [u for u in use if u not in args.drop.split(",")]
    for u in use:
        if u not in names:
            sys.exit("rerank-train: unknown feature %s" % u)
    cols = [names.index(u) for u in use]
    train = [p for k, p in parts.items() if k[1] == "train"]
    allX = np.vstack([p.X for p in train])
    mu, sd = allX.mean(0), allX.std(0) + 1e-9
    for p in parts.values():
        p.Z = ((p.X - mu) / sd)[:, cols]

    def ascent(fold, log):
        """Coordinate ascent on the train queries not in fold (-1: all)."""
        sel = [None if fold < 0 else p.fold % args.cv != fold for p in train]

        def objective(w):
            return np.mean([p.metrics(p.Z @ w, m)["ndcg"] for p, m in zip(train, sel)])

        w = np.zeros(len(cols))
        w[0] = 1.0
        best = objective(w)
        if log:
            print("depth %d, start: train objective %.4f" % (args.depth, best), file=sys.stderr)
        for rnd in range(args.rounds):
            old = best
            for j in range(len(cols)):
                bw = w[j]
                for st in STEPS:
                    for sgn in (1, -1):
                        w2 = w.copy()
                        w2[j] = w[j] + sgn * st
                        v = objective(w2)
                        if v > best + 1e-7:
                            best, bw = v, w2[j]
                w[j] = bw
            w = w / np.abs(w).sum()
            if log:
                print("round %d: train objective %.4f" % (rnd, best), file=sys.stderr)
            if best - old < 1e-5:
                break
        return w

    if args.cv > 1:
        held = {c: [] for c in COLLS}
        for f in range(args.cv):
            wf = ascent(f, False)
            for c in COLLS:
                p = parts[(c, "train")]
                held[c].append(p.metrics(p.Z @ wf, p.fold % args.cv == f)["ndcg"])
        print("cv %d train nDCG@10: %s, mean %.4f" % (args.cv, "  ".join(
            "%s %.4f" % (SHORT[c], np.mean(held[c])) for c in COLLS),
            np.mean([np.mean(v) for v in held.values()])))
    w = ascent(-1, True)
    for (c, sp), p in sorted(parts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        b = p.metrics(p.X[:, names.index("bm25n")])
        m = p.metrics(p.Z @ w)
        print("%-5s %-5s bm25 %.4f %.4f %.4f  reranked %.4f %.4f %.4f" % (
            sp, SHORT[c], b["mrr"], b["ndcg"], b["r10"], m["mrr"], m["ndcg"], m["r10"]))
    # weights on the raw features (the constant offset of z-scoring does
    # not change the order), scaled so that bm25n weighs 1
    raw = np.zeros(len(names))
    raw[cols] = w / sd[cols]
    if raw[0] != 0:
        raw = raw / abs(raw[0])
    print("weights (the RR_FEATURES table in lib/search/rerank.c):")
    for i, n in enumerate(names):
        print("%-14s %.6g" % (n, raw[i]))


if __name__ == "__main__":
    main()
