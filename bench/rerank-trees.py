#!/usr/bin/python3
"""rerank-trees.py - train the reranker's tree model (lib/search/trees.c) with XGBoost LambdaMART.

Reads the same feature dumps as bench/rerank-train.py (telusur-query
--format features, made in DIR when missing) for the train and valid queries
of TyDi QA GoldP and FacQA; trains gradient-boosted trees (XGBoost,
objective rank:ndcg, one group per query; Burges 2010, "From RankNet to
LambdaRank to LambdaMART") on both collections' train queries together, a
passage labelled 1 when its docid is relevant; prints train and valid
MRR@10 / nDCG@10 / R@10 of the linear model (the weights of lib/search/rerank.c),
of the trees, and of the trees plus W times the linear score for each W of
--blend; writes the model with the W of --linear to --out.

Usage:
  bench/rerank-trees.py --work DIR [--build BUILD] [--depth D] [--trees T]
                        [--max-depth M] [--eta E] [--blend W,...] [--linear W] [--out FILE]
  bench/rerank-trees.py --fixture DIR   the small model and vectors of tests/trees
DIR: as for bench/rerank-train.py. Needs python3-numpy and python3-xgboost.
"""
import argparse
import importlib.util
import json
import os
import re
import sys
import tempfile

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))


def load_train_module():
    spec = importlib.util.spec_from_file_location("rerank_train",
                                                  os.path.join(HERE, "rerank-train.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def feature_table():
    """(name, default weight) of each feature of the RR_FEATURES table of lib/search/rerank.c."""
    src = open(os.path.join(HERE, "..", "lib", "search", "rerank.c")).read()
    return [(n, float(v)) for n, v in re.findall(r'X\(\w+, "(\w+)", ([-0-9.e]+),', src)]


def linear_weights(names):
    """The default weights of the RR_FEATURES table of lib/search/rerank.c."""
    w = dict(feature_table())
    return np.array([w[n] for n in names])


def groups(q):
    """Sizes of the runs of equal query indices (the dumps list a query's rows together)."""
    cuts = np.flatnonzero(np.diff(q)) + 1
    return np.diff(np.concatenate([[0], cuts, [len(q)]]))


def write_model(bst, nfeatures, linear, path):
    with tempfile.TemporaryDirectory() as tmp:
        js = os.path.join(tmp, "model.json")
        bst.save_model(js)
        m = json.load(open(js))
    learner = m["learner"]
    base = float(learner["learner_model_param"]["base_score"])
    trees = learner["gradient_booster"]["model"]["trees"]
    with open(path, "w") as out:
        out.write("telusur-trees 1\nfeatures %d\nbase %.9g\nlinear %.9g\ntrees %d\n" % (
            nfeatures, base, linear, len(trees)))
        for t in trees:
            left, right = t["left_children"], t["right_children"]
            out.write("tree %d\n" % len(left))
            for i in range(len(left)):
                cond = float(np.float32(t["split_conditions"][i]))
                if left[i] == -1:
                    out.write("l %.9g\n" % cond)
                else:
                    out.write("s %d %.9g %d %d %d\n" % (
                        t["split_indices"][i], cond, left[i], right[i],
                        left[i] if t["default_left"][i] else right[i]))


def fixture(outdir):
    """A small model on random data, some vectors and XGBoost's predictions for them."""
    rng = np.random.default_rng(17)
    nf = len(feature_table())
    X = np.round(rng.random((400, nf)) * 4, 1)
    y = (X[:, 0] + X[:, 3] * X[:, 5] > 6).astype(int) + (X[:, 11] > 3).astype(int)
    d = xgb.DMatrix(X, label=y)
    d.set_group([20] * 20)
    bst = xgb.train({"objective": "rank:ndcg", "max_depth": 3, "eta": 0.3, "seed": 1}, d, 8)
    os.makedirs(outdir, exist_ok=True)
    write_model(bst, nf, 0.0, os.path.join(outdir, "tiny-model.txt"))
    V = np.vstack([X[:6], rng.random((4, nf)) * 4])
    pred = bst.predict(xgb.DMatrix(V))
    with open(os.path.join(outdir, "tiny-vectors.tsv"), "w") as out:
        for v, p in zip(V, pred):
            out.write("%.9g\t%s\n" % (p, "\t".join("%.17g" % x for x in v)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work")
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--shared", default=os.environ.get("TELUSUR_SHARED",
                                                       os.path.join(HERE, "..", "..", "shared")))
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--max-depth", type=int, default=4)
    ap.add_argument("--eta", type=float, default=0.05)
    ap.add_argument("--blend", default="0,0.5,1,2,4")
    ap.add_argument("--linear", type=float, default=0.0)
    ap.add_argument("--out")
    ap.add_argument("--fixture")
    args = ap.parse_args()
    if args.fixture:
        fixture(args.fixture)
        return
    if not args.work:
        sys.exit("rerank-trees: --work DIR needed")
    rt = load_train_module()
    parts = {}
    for c in rt.COLLS:
        for sp in ("train", "valid"):
            parts[(c, sp)] = rt.Part(rt.dump(args, c, sp),
                                     os.path.join(args.shared, "data", c, "qrels.%s.txt" % sp))
    names = parts[(rt.COLLS[0], "train")].names
    wl = linear_weights(names)
    train = [parts[(c, "train")] for c in rt.COLLS]
    X = np.vstack([p.X for p in train])
    y = np.concatenate([p.grel[p.g].astype(int) for p in train])
    g = np.concatenate([groups(p.q) for p in train])
    d = xgb.DMatrix(X, label=y)
    d.set_group(g)
    # every row and feature for every tree: with subsample and colsample_bytree 0.8 the seed
    # alone moved valid nDCG@10 by up to .008 (bench/RESULTS-relevance.md, "Answer beside")
    params = {"objective": "rank:ndcg", "eval_metric": "ndcg@10", "max_depth": args.max_depth,
              "eta": args.eta, "min_child_weight": 1, "subsample": 1.0, "colsample_bytree": 1.0,
              "seed": 17, "nthread": 1}
    bst = xgb.train(params, d, args.trees)
    blends = [float(b) for b in args.blend.split(",")]
    print("trees %d, max depth %d, eta %g, rerank depth %d" % (
        args.trees, args.max_depth, args.eta, args.depth))
    for (c, sp), p in sorted(parts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        lin = p.X @ wl
        tr = bst.predict(xgb.DMatrix(p.X))
        cells = ["linear %.4f/%.4f" % tuple(p.metrics(lin)[k] for k in ("mrr", "ndcg"))]
        for b in blends:
            m = p.metrics(tr + b * lin)
            cells.append("W=%g %.4f/%.4f" % (b, m["mrr"], m["ndcg"]))
        print("%-5s %-5s %s" % (sp, rt.SHORT[c], "  ".join(cells)))
    if args.out:
        write_model(bst, len(names), args.linear, args.out)


if __name__ == "__main__":
    main()
