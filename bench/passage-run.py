#!/usr/bin/python3
"""passage-run.py - telusur's passages as the paragraphs of bench/keyword.sh's
passage judgments: reads `telusur-query --format json --batch` on standard
input and writes a TREC run whose docids are "ID#N", N the 1-based number of
a non-empty line of the article's text (the paragraphs of
bench/keyword-gen.py's passages.jsonl). A passage is named by every
paragraph its byte range covers (a passage of short lines joined covers
several), in order; a paragraph already listed for the query is not listed
again (the pieces of a long paragraph split for length).

Usage: passage-run.py CORPUS.jsonl < RESULTS.jsonl > RUN
"""
import json, sys


def line_starts(text):
    """Byte offsets where each non-empty line of text starts, in order."""
    starts, at = [], 0
    for line in text.encode("utf-8").split(b"\n"):
        if line.strip():
            starts.append((at, at + len(line)))
        at += len(line) + 1
    return starts


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lines = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for l in f:
            if l.strip():
                a = json.loads(l)
                lines[a["id"]] = line_starts(a["text"])
    seen, rank = set(), {}
    for l in sys.stdin:
        h = json.loads(l)
        if "article_id" not in h:  # a suggestion or facets line
            continue
        qid = h["qid"]
        for n, (start, end) in enumerate(lines[h["article_id"]], 1):
            if start < h["end"] and h["start"] < end and (qid, h["article_id"], n) not in seen:
                seen.add((qid, h["article_id"], n))
                rank[qid] = rank.get(qid, 0) + 1
                print("%s Q0 %s#%d %d %.6f telusur" % (qid, h["article_id"], n, rank[qid],
                                                      h["score"]))


if __name__ == "__main__":
    main()
