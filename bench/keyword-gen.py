#!/usr/bin/python3
"""keyword-gen.py - the known-item keyword benchmark of bench/keyword.sh,
made at run time from a collection of news articles with summaries
(detik-news-1000; the data is never copied into the repository).

Usage: keyword-gen.py ARTICLES.jsonl OUTDIR [SEED [JUDGED.qrels]]
Writes into OUTDIR:
  corpus.jsonl    the articles (id, title, text, date, url) for telusur-index
  passages.jsonl  their paragraphs (the text's non-empty lines), one object
                  each: id (article id + "#" + ordinal), article, title, text,
                  for the peers (the title indexed with each passage)
  queries.keyword.tsv  one query per article: one sentence of its own summary,
                  picked at random (SEED, default 17) among the summary's
                  sentences of 5 words or more
  qrels.txt       the article and every article of the very same text
                  (exact copies) as the answers, relevance 1
With JUDGED (bench/detik-passages.qrels: paragraphs judged by hand for
the query "S:ID", the sentence of ID's summary above, and "T:ID", ID's
title), also:
  queries.passage.tsv  those queries
  qrels.passage.txt    their judged paragraphs ("ID#N": the Nth non-empty
                  line of the text, grade 1 or 2), and the same paragraphs
                  of the article's exact copies
"""
import json, os, random, re, sys
from collections import defaultdict


def sentences(text):
    parts = re.split(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 17)
    with open(src, encoding="utf-8") as f:
        arts = [json.loads(l) for l in f if l.strip()]
    copies = defaultdict(list)
    by_id = {}
    for a in arts:
        copies[a["text"]].append(a["id"])
        by_id[a["id"]] = a
    summary_query = {}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "corpus.jsonl"), "w", encoding="utf-8") as c, \
         open(os.path.join(out, "passages.jsonl"), "w", encoding="utf-8") as p, \
         open(os.path.join(out, "queries.keyword.tsv"), "w", encoding="utf-8") as q, \
         open(os.path.join(out, "qrels.txt"), "w", encoding="utf-8") as r:
        for a in arts:
            doc = {k: a[k] for k in ("id", "title", "text", "url") if a.get(k)}
            c.write(json.dumps(doc, ensure_ascii=False) + "\n")
            paras = [l.strip() for l in a["text"].split("\n") if l.strip()]
            for i, para in enumerate(paras, 1):
                p.write(json.dumps({"id": "%s#%d" % (a["id"], i), "article": a["id"],
                                    "title": a.get("title", ""), "text": para},
                                   ensure_ascii=False) + "\n")
            sents = sentences(a.get("summary", ""))
            long = [s for s in sents if len(s.split()) >= 5] or sents
            if not long:
                continue
            query = " ".join(rng.choice(long).split())
            summary_query[a["id"]] = query
            q.write("%s\t%s\n" % (a["id"], query))
            for d in copies[a["text"]]:
                r.write("%s 0 %s 1\n" % (a["id"], d))


    if len(sys.argv) == 5:
        judged = defaultdict(list)
        with open(sys.argv[4], encoding="utf-8") as f:
            for line in f:
                qid, _, docid, grade = line.split()
                judged[qid].append((docid.split("#")[1], grade))
        with open(os.path.join(out, "queries.passage.tsv"), "w", encoding="utf-8") as q, \
             open(os.path.join(out, "qrels.passage.txt"), "w", encoding="utf-8") as r:
            for qid, paras in judged.items():
                kind, aid = qid.split(":", 1)
                a = by_id[aid]
                q.write("%s\t%s\n" % (qid, summary_query[aid] if kind == "S"
                                       else " ".join(a["title"].split())))
                for d in copies[a["text"]]:
                    for n, grade in paras:
                        r.write("%s 0 %s#%s %s\n" % (qid, d, n, grade))


if __name__ == "__main__":
    main()
