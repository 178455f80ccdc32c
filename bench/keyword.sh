#!/bin/sh
# keyword.sh - known-item keyword queries: telusur beside Xapian and SQLite
# FTS5, measured in the same run on the same articles and queries.
#
# Usage: bench/keyword.sh [-B BUILD_DIR] [-i "INDEX-OPTIONS"] [--no-peers]
#                         [-- TELUSUR-QUERY-OPTION...]
#   -B BUILD_DIR   where telusur-index, telusur-query, telusur-eval are
#                  (default ./build)
#   -i OPTIONS     passed to telusur-index
#   --no-peers     telusur only (for ranking experiments)
#   -- OPTION...   passed to telusur-query (e.g. --k1=1.2)
# Env: TELUSUR_SHARED (default ../shared beside the source tree),
#      KEYWORD_WORK (keep the generated files, indexes and runs there;
#      default a temporary dir), KEYWORD_SEED (the queries' seed, default 17).
# The collection is data/detik-news-1000 (1,000 news articles, no license:
# read here at run time, never copied into the repository). Each query is one
# sentence of an article's own summary (bench/keyword-gen.py); its answers
# are the article and its exact copies, judged per article (a passage of the
# article counts: every system lists each article once, at its best
# passage). The peers index each paragraph with the article's title
# (bench/peers/peers.py). Prints MRR@10, nDCG@10, Recall@10, Recall@100.
# A second table finds passages: 240 queries of 120 articles (a sentence of
# the summary, "S", and the title, "T"), each with the paragraphs of its
# article that answer it judged by hand (bench/detik-passages.qrels: grade 2
# answers it alone, 1 in part), every passage listed (several per article).
# Needs python3 with python3-xapian.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
peers=1
index_opts=
while [ $# -gt 0 ]; do
  case $1 in
    -B) build=$2; shift 2 ;;
    -i) index_opts=$2; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "keyword.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" && pwd)
shared=${TELUSUR_SHARED:-$src/../shared}
articles=$shared/data/detik-news-1000/articles.jsonl
for p in telusur-index telusur-query telusur-eval; do
  [ -x "$build/$p" ] || { echo "keyword.sh: $build/$p missing: build first (see README)" >&2; exit 2; }
done
[ -f "$articles" ] || { echo "keyword.sh: $articles missing (set TELUSUR_SHARED)" >&2; exit 2; }
py=
for cand in python3 /usr/bin/python3; do
  if "$cand" -c 'import xapian, sqlite3' 2>/dev/null; then py=$cand; break; fi
done
if [ -z "$py" ]; then
  [ $peers = 0 ] || { echo "keyword.sh: python3 cannot import xapian: install python3-xapian (scripts/install-deps.sh)" >&2; exit 2; }
  py=python3
fi
if [ -n "${KEYWORD_WORK:-}" ]; then
  work=$KEYWORD_WORK; mkdir -p "$work"
else
  work=$(mktemp -d /tmp/telusur-keyword.XXXXXX)
  trap 'rm -rf "$work"' EXIT INT TERM
fi
start=$(date +%s)
"$py" "$src/bench/keyword-gen.py" "$articles" "$work" "${KEYWORD_SEED:-17}" \
  "$src/bench/detik-passages.qrels"

if [ $peers = 1 ]; then
  "$py" "$src/bench/peers/peers.py" "$src/stopwords/tala.txt" "$work/passages.jsonl" \
    "$work" detik "$work/queries.keyword.tsv" 2>"$work/peers.log" &
  peers_pid=$!
  "$py" "$src/bench/peers/peers.py" --passages "$src/stopwords/tala.txt" "$work/passages.jsonl" \
    "$work" detik-passages "$work/queries.passage.tsv" 2>"$work/peers-passages.log" &
  peers2_pid=$!
fi
rm -rf "$work/telusur.db"
# shellcheck disable=SC2086
"$build/telusur-index" -q $index_opts -d "$work/telusur.db" "$work/corpus.jsonl"
# one line per article (its best passage), the passage's ordinal dropped
"$build/telusur-query" -d "$work/telusur.db" -n 100 --per-article 1 --format trec \
  --batch "$work/queries.keyword.tsv" "$@" | sed 's/^\([^ ]* Q0 [^ #]*\)#[0-9]* /\1 /' \
  >"$work/telusur.detik.keyword.run"
# every passage, each named by the paragraphs it covers
"$build/telusur-query" -d "$work/telusur.db" -n 100 --per-article 0 --format json \
  --batch "$work/queries.passage.tsv" "$@" | "$py" "$src/bench/passage-run.py" "$work/corpus.jsonl" \
  >"$work/telusur.detik-passages.passage.run"
if [ $peers = 1 ]; then
  wait "$peers_pid" || { cat "$work/peers.log" >&2; exit 2; }
  wait "$peers2_pid" || { cat "$work/peers-passages.log" >&2; exit 2; }
fi

label() {
  case $1 in
    telusur) echo telusur ;;
    xapian) echo "Xapian (Snowball indonesian), title with each passage" ;;
    fts5) echo "SQLite FTS5 (unicode61), title with each passage" ;;
  esac
}
systems=telusur
[ $peers = 1 ] && systems="telusur xapian fts5"
echo "Known-item keyword queries, detik-news-1000 (MRR@10 / nDCG@10 / R@10 / R@100)${*:+, telusur-query $*}${index_opts:+, telusur-index $index_opts}"
echo
echo "| system | $(wc -l <"$work/queries.keyword.tsv" | tr -d ' ') queries |"
echo "|---|---|"
for s in $systems; do
  "$build/telusur-eval" -f tsv "$work/qrels.txt" "$work/$s.detik.keyword.run" | tail -n 1 |
    awk -F'\t' -v l="$(label $s)" '{ printf "| %s | %.3f / %.3f / %.3f / %.3f |\n", l, $3, $4, $5, $6 }'
done
echo
echo "Passages judged by hand, the same articles (MRR@10 / nDCG@10 / R@10 / R@100)"
echo
echo "| system | summary sentences (S) | titles (T) | all |"
echo "|---|---|---|---|"
for s in $systems; do
  "$build/telusur-eval" -q -f tsv "$work/qrels.passage.txt" "$work/$s.detik-passages.passage.run" |
    awk -F'\t' -v l="$(label $s)" '
      function row(k) { return sprintf("%.3f / %.3f / %.3f / %.3f", m[k]/n[k], d[k]/n[k], r[k]/n[k], h[k]/n[k]) }
      $1 != "qid" && $1 != "all" { k = substr($1, 1, 1); n[k]++; m[k] += $3; d[k] += $4; r[k] += $5; h[k] += $6 }
      $1 == "all" { printf "| %s | %s | %s | %.3f / %.3f / %.3f / %.3f |\n", l, row("S"), row("T"), $3, $4, $5, $6 }'
done
echo
echo "($(( $(date +%s) - start )) s)"
