#!/usr/bin/python3
"""index-pairs.py DB - the (term, document) pairs of a Xapian database:
the number of documents, the pairs in all, and the pairs per term kind
(the prefix letter; "" word forms, "Z" stems, "ZS" title stems)."""
import sys

import xapian

db = xapian.Database(sys.argv[1])
kinds = {}
for t in db.allterms():
    k = t.term[:2] if t.term[:2] == b"ZS" else t.term[:1] if t.term[:1].isupper() else b""
    kinds[k] = kinds.get(k, 0) + t.termfreq
print("documents", db.get_doccount())
print("pairs", sum(kinds.values()))
for k, n in sorted(kinds.items(), key=lambda x: -x[1]):
    print(" ", k.decode() or '""', n)
