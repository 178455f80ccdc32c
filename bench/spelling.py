#!/usr/bin/python3
"""spelling.py - how often telusur-query's spelling suggestion ("did you
mean") is right, on the detik articles as bench/keyword.sh leaves them
(KEYWORD_WORK=DIR sh bench/keyword.sh ... keeps DIR/telusur.db and the
queries):
  - false alarms: the 1,000 known-item queries (sentences of the articles'
    own summaries, spelt as published) that get a suggestion at all;
  - corrections: 300 misspellings made from words of 5 letters or more that
    occur 3 times or more in the articles (one deletion, insertion,
    substitution or transposition past the first letter, seed 11, none of
    them a word of the articles), each searched alone: suggested, and
    suggested as the word it was made from.

Usage: spelling.py BUILD_DIR KEYWORD_WORK_DIR
"""
import json, os, random, re, subprocess, sys


def suggestions(build, db, queries):
    """{qid: suggestion} of a --batch run of queries [(qid, text)]."""
    text = "".join("%s\t%s\n" % q for q in queries)
    out = subprocess.run([build + "/telusur-query", "-d", db, "-f", "json", "-n", "1",
                          "--batch", "-"], input=text, capture_output=True, text=True).stdout
    got = {}
    for line in out.splitlines():
        h = json.loads(line)
        if "suggestion" in h:
            got[h["qid"]] = h["suggestion"]
    return got


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build, work = sys.argv[1:]
    db = os.path.join(work, "telusur.db")
    with open(os.path.join(work, "queries.keyword.tsv"), encoding="utf-8") as f:
        known = [tuple(l.rstrip("\n").split("\t", 1)) for l in f if "\t" in l]
    counts = {}
    with open(os.path.join(work, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            for w in re.findall(r"[a-z]+", json.loads(line)["text"]):
                if len(w) >= 5:
                    counts[w] = counts.get(w, 0) + 1
    rng = random.Random(11)
    words = [w for w, n in counts.items() if n >= 3]
    rng.shuffle(words)
    pairs = []
    for w in words:
        if len(pairs) == 300:
            break
        kind, i = rng.randrange(4), rng.randrange(len(w))
        c = rng.choice("abcdefghijklmnopqrstuvwxyz")
        m = (w[:i] + w[i + 1:], w[:i] + c + w[i:], w[:i] + c + w[i + 1:],
             w[:i] + w[i + 1:i + 2] + w[i] + w[i + 2:])[kind]
        if i > 0 and m != w and m not in counts:
            pairs.append((w, m))
    alarms = suggestions(build, db, known)
    fixes = suggestions(build, db, [("m%d" % k, m) for k, (_, m) in enumerate(pairs)])
    right = sum(1 for k, (w, _) in enumerate(pairs) if fixes.get("m%d" % k) == w)
    print("correct queries with a suggestion: %d of %d" % (len(alarms), len(known)))
    print("misspellings: %d with a suggestion, %d of them the word meant, of %d"
          % (len(fixes), right, len(pairs)))


if __name__ == "__main__":
    main()
