#!/bin/sh
# relevance.sh - relevance of telusur beside Xapian and SQLite FTS5, on the
# Indonesian test collections TyDi QA GoldP (Wikipedia) and FacQA (news),
# all three measured in this run on the same passages and the same queries.
#
# Usage: bench/relevance.sh [-B BUILD_DIR] [-s "SPLITS"] [-i "INDEX-OPTIONS"]
#                           [--no-peers] [-- TELUSUR-QUERY-OPTION...]
#   -B BUILD_DIR   where telusur-index, telusur-query, telusur-eval are
#                  (default ./build; build it first, see the README)
#   -s SPLITS      query splits to run (default "train valid"; the test
#                  splits are held back and not in the shared data)
#   -i OPTIONS     passed to telusur-index (e.g. "--stemmer=snowball")
#   --no-peers     telusur only (for ranking experiments)
#   -- OPTION...   passed to telusur-query (e.g. --k1=1.2 --proximity=0.5)
# Env: TELUSUR_SHARED (default ../shared beside the source tree),
#      RELEVANCE_WORK (keep indexes and runs there; default a temporary dir).
# Prints one table (MRR@10, nDCG@10, Recall@10, Recall@100 per collection
# and split, telusur_eval's definitions). Needs python3 with the Debian
# package python3-xapian (sqlite3 with FTS5 is in python3's standard library).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
splits="train valid"
peers=1
index_opts=
while [ $# -gt 0 ]; do
  case $1 in
    -B) build=$2; shift 2 ;;
    -s) splits=$2; shift 2 ;;
    -i) index_opts=$2; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "relevance.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" && pwd)
shared=${TELUSUR_SHARED:-$src/../shared}
data=$shared/data
colls="tydiqa-goldp-id-retrieval facqa-news-retrieval"
for p in telusur-index telusur-query telusur-eval; do
  [ -x "$build/$p" ] || { echo "relevance.sh: $build/$p missing: build first (see README)" >&2; exit 2; }
done
for c in $colls; do
  [ -f "$data/$c/corpus.jsonl" ] || { echo "relevance.sh: $data/$c missing (set TELUSUR_SHARED)" >&2; exit 2; }
done
py=
if [ $peers = 1 ]; then
  for cand in python3 /usr/bin/python3; do
    if "$cand" -c 'import xapian, sqlite3' 2>/dev/null; then py=$cand; break; fi
  done
  [ -n "$py" ] || { echo "relevance.sh: python3 cannot import xapian: install python3-xapian (scripts/install-deps.sh)" >&2; exit 2; }
fi
if [ -n "${RELEVANCE_WORK:-}" ]; then
  work=$RELEVANCE_WORK; mkdir -p "$work"
else
  work=$(mktemp -d /tmp/telusur-relevance.XXXXXX)
  trap 'rm -rf "$work"' EXIT INT TERM
fi
start=$(date +%s)

# The peers run in the background, on the other core.
if [ $peers = 1 ]; then
  (
    for c in $colls; do
      qs=
      for sp in $splits; do qs="$qs $data/$c/queries.$sp.tsv"; done
      # shellcheck disable=SC2086
      "$py" "$src/bench/peers/peers.py" "$src/stopwords/tala.txt" "$data/$c/corpus.jsonl" \
        "$work" "$c" $qs
    done
  ) 2>"$work/peers.log" &
  peers_pid=$!
fi

for c in $colls; do
  rm -rf "$work/telusur.$c.db"
  # shellcheck disable=SC2086
  "$build/telusur-index" -q $index_opts -d "$work/telusur.$c.db" "$data/$c/corpus.jsonl"
  for sp in $splits; do
    "$build/telusur-query" -d "$work/telusur.$c.db" -n 100 --format trec \
      --batch "$data/$c/queries.$sp.tsv" "$@" >"$work/telusur.$c.$sp.run" || [ $? = 1 ]
  done
done
if [ $peers = 1 ]; then
  wait "$peers_pid" || { cat "$work/peers.log" >&2; exit 2; }
fi

systems=telusur
[ $peers = 1 ] && systems="telusur xapian fts5"
for s in $systems; do
  for c in $colls; do
    for sp in $splits; do
      printf '%s\t%s\t%s\t' "$s" "$c" "$sp"
      "$build/telusur-eval" -f tsv "$data/$c/qrels.$sp.txt" "$work/$s.$c.$sp.run" | tail -n 1
    done
  done
done >"$work/figures.tsv"

python3 - "$work/figures.tsv" "$*" "$(( $(date +%s) - start ))" "$index_opts" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
names = {"tydiqa-goldp-id-retrieval": "TyDi", "facqa-news-retrieval": "FacQA"}
label = {"telusur": "telusur", "xapian": "Xapian (Snowball indonesian)",
         "fts5": "SQLite FTS5 (unicode61)"}
splits = []
for r in rows:
    if r[2] not in splits:
        splits.append(r[2])
print("Relevance (MRR@10 / nDCG@10 / R@10 / R@100), top 100" +
      (", telusur-query " + sys.argv[2] if sys.argv[2] else "") +
      (", telusur-index " + sys.argv[4] if sys.argv[4] else ""))
for sp in sorted(splits, key=lambda s: s != "valid"):
    cols = [c for c in names if any(r[1] == c and r[2] == sp for r in rows)]
    print()
    print("| %s | %s |" % (sp, " | ".join("%s (%s q)" % (names[c], next(
        r[4] for r in rows if r[1] == c and r[2] == sp)) for c in cols)))
    print("|---|" + "---|" * len(cols))
    for s in label:
        cells = []
        for c in cols:
            r = [r for r in rows if r[0] == s and r[1] == c and r[2] == sp]
            if r:
                cells.append(" / ".join("%.3f" % float(x) for x in r[0][5:9]))
        if cells:
            print("| %s | %s |" % (label[s], " | ".join(cells)))
print("\n(%s s)" % sys.argv[3])
PY
