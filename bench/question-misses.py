#!/usr/bin/python3
"""question-misses.py - what a question collection's misses are made of: copies
of the judged passage, and first passages that hold the answer unjudged.

Usage: question-misses.py COLLECTION_DIR SPLIT RUN [TELUSUR_ANALYZE]
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
With TELUSUR_ANALYZE (the program, e.g. build/telusur-analyze), also where
the run's nDCG@10 is lost: each question goes to the first of these classes
that holds for it, and a class loses the sum over its questions of
1 - nDCG@10, divided by all the questions (the classes' losses add up to
1 - the run's nDCG@10):
  - a judged passage is first (loses nothing where one passage is judged);
  - a copy of a judged passage is ranked above the first judged one found,
    within the first 10 (above: before it, or the first 10 if none is there);
  - a passage above it holds an answer;
  - no judged passage holds half of the question's content: of the
    question's stems that are not stopwords (question words are), weighted
    by their idf over the corpus, ln(1 + (N - df + 0.5) / (df + 0.5));
  - the rest.
"""
import bisect
import collections
import json
import math
import os
import re
import subprocess
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


def content_stems(analyze, texts):
    """The stems telusur-analyze gives the words of each text that are not
    stopwords: one list per text, in order."""
    data = "\n".join(t.replace("\n", " ") for t in texts).encode() + b"\n"
    starts, at = [], 0
    for t in data.split(b"\n")[:len(texts)]:
        starts.append(at)
        at += len(t) + 1
    out = subprocess.run([analyze], input=data, capture_output=True, check=True).stdout
    stems = [[] for _ in texts]
    for line in out.decode().splitlines():
        f = line.split("\t")
        if f[3] == "stem" and "stopword" not in f[5:]:
            stems[bisect.bisect_right(starts, int(f[1].split("-")[0])) - 1].append(f[4])
    return stems


def losses(analyze, qrels, queries, corpus, answers, run, key):
    """Prints the table of the classes of the docstring above."""
    ids = list(corpus)
    passage = dict(zip(ids, (set(s) for s in content_stems(analyze, [corpus[d] for d in ids]))))
    df = collections.Counter(s for stems in passage.values() for s in stems)
    qs = [q for q in qrels]
    question = dict(zip(qs, content_stems(analyze, [queries.get(q, "") for q in qs])))

    def idf(s):
        return math.log(1 + (len(corpus) - df[s] + 0.5) / (df[s] + 0.5))

    def coverage(q):
        total = sum(idf(s) for s in question[q])
        if not total:
            return 1
        return max(sum(idf(s) for s in question[q] if s in passage[d]) for d in qrels[q]) / total

    def holds_answer(d, q):
        return any(words(a).strip() and words(a) in words(corpus[d]) for a in answers.get(q, []))

    names = ["judged passage first", "a copy of it above it", "a passage above it holds an answer",
             "it holds under half of the question", "the rest"]
    count, loss = collections.Counter(), collections.Counter()
    for q in qrels:
        ranked = run[q]
        hit = [i for i, d in enumerate(ranked[:10]) if d in qrels[q]]
        above = ranked[:hit[0] if hit else 10]
        judged = {key[d] for d in qrels[q]}
        if hit and hit[0] == 0:
            c = 0
        elif any(key[d] in judged for d in above):
            c = 1
        elif any(holds_answer(d, q) for d in above):
            c = 2
        elif coverage(q) < 0.5:
            c = 3
        else:
            c = 4
        count[c] += 1
        loss[c] += 1 - scores(ranked, qrels[q])[1]
    print("| class | questions | nDCG@10 lost |\n|---|---:|---:|")
    for c, name in enumerate(names):
        print(f"| {name} | {count[c]} | {loss[c] / len(qrels):.4f} |")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    base, split, run_path = sys.argv[1:4]
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
    if len(sys.argv) == 5:
        queries = dict(line.rstrip("\n").split("\t", 1)
                       for line in open(f"{base}/queries.{split}.tsv"))
        losses(sys.argv[4], qrels, queries, corpus, answers, run, key)


if __name__ == "__main__":
    main()
