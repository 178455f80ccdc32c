#!/usr/bin/python3
"""question-misses.py - what a question collection's misses are made of: copies
of the judged passage, and first passages that hold the answer unjudged.

Usage: question-misses.py COLLECTION_DIR SPLIT RUN
  COLLECTION_DIR  a collection of bench/relevance.sh (corpus.jsonl,
                  qrels.SPLIT.txt, answers.SPLIT.jsonl or answers.jsonl:
                  {"qid", "answers"})
  RUN             a TREC run of it (bench/relevance.sh leaves them in its
                  work directory: telusur.COLLECTION.SPLIT.run)
Prints, over the questions of SPLIT:
  - passages that are copies of another (equal once lower-cased and
    stripped of all but letters and digits), and the questions whose judged
    passage has a copy (only one copy is judged);
  - MRR@10 / nDCG@10 of the run, and of the same run with the judged copy
    put first among the copies it lists (the most a choice between copies
    could give);
  - questions whose first passage is the judged one, and whose first
    passage holds one of the answers (as words), judged or not.
"""
import collections
import json
import math
import os
import re
import sys


def norm(t):
    return re.sub(r"[^0-9a-z]+", "", t.lower())


def words(t):
    return " " + re.sub(r"[^0-9a-z]+", " ", t.lower()).strip() + " "


def scores(ranked, rel):
    hit = [i for i, d in enumerate(ranked[:10]) if d in rel]
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
    dcg = sum(1 / math.log2(i + 2) for i in hit)
    return (1 / (hit[0] + 1) if hit else 0), (dcg / ideal if ideal else 0)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    base, split, run_path = sys.argv[1:]
    qrels = collections.defaultdict(set)
    for line in open(f"{base}/qrels.{split}.txt"):
        q, _, d, r = line.split()
        if int(r) > 0:
            qrels[q].add(d)
    corpus = {}
    for line in open(f"{base}/corpus.jsonl"):
        d = json.loads(line)
        corpus[d["id"]] = d.get("text", "")
    answers = {}
    path = f"{base}/answers.{split}.jsonl"
    if not os.path.exists(path):
        path = f"{base}/answers.jsonl"
    for line in open(path):
        a = json.loads(line)
        answers[a["qid"]] = a["answers"]
    run = collections.defaultdict(list)
    for line in open(run_path):
        q, _, d = line.split()[:3]
        run[q].append(d)
    key = {d: norm(t) for d, t in corpus.items()}
    copies = collections.Counter(key.values())
    print(f"passages {len(corpus)}, of them copies of another {sum(n for n in copies.values() if n > 1)}")
    print(f"questions {len(qrels)}, whose judged passage has a copy "
          f"{sum(1 for q in qrels if any(copies[key[d]] > 1 for d in qrels[q]))}")

    def judged_copy_first(q):
        ranked, out = run[q], list(run[q])
        at = collections.defaultdict(list)
        for i, d in enumerate(ranked):
            at[key[d]].append(i)
        for places in at.values():
            docs = sorted((ranked[i] for i in places), key=lambda d: d not in qrels[q])
            for i, d in zip(places, docs):
                out[i] = d
        return out

    for name, ranking in (("run", lambda q: run[q]), ("judged copy first", judged_copy_first)):
        s = [scores(ranking(q), qrels[q]) for q in qrels]
        print(f"{name}: MRR@10 {sum(m for m, _ in s) / len(s):.3f} "
              f"nDCG@10 {sum(n for _, n in s) / len(s):.3f}")
    first_judged = sum(1 for q in qrels if run[q] and run[q][0] in qrels[q])
    first_answers = [q for q in qrels if run[q] and any(
        words(a).strip() and words(a) in words(corpus[run[q][0]]) for a in answers.get(q, []))]
    print(f"first passage judged {first_judged}; holds an answer {len(first_answers)}, "
          f"of them unjudged {sum(1 for q in first_answers if run[q][0] not in qrels[q])}")


if __name__ == "__main__":
    main()
