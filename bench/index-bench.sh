#!/bin/sh
# index-bench.sh BUILD_DIR - indexing throughput, memory, index size and
# query latency of telusur against Xapian's omindex and SQLite FTS5, all
# measured in this one run, printed as one table (ratios are to telusur).
#
# Corpora: $TELUSUR_SHARED/data (default ../shared/data beside the source
# tree): mixed-id-30mb/corpus.jsonl.gz and detik-news-1000/articles.jsonl.
# Needs /usr/bin/time, omindex (xapian-omega), python3 with sqlite3 and
# python3-xapian (scripts/install-deps.sh installs them).
# Queries: the first 500 of TyDi's and of FacQA's train query files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
shared=${TELUSUR_SHARED:-$here/../../shared}
data=$shared/data
py=/usr/bin/python3
peers=$here/index-peers.py
work=$(mktemp -d "${TMPDIR:-/tmp}/telusur-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
jobs=$(nproc 2>/dev/null || echo 2)

# timed OUT CMD...: runs CMD, writes "seconds peak_rss_kb" to OUT
timed() {
  out=$1; shift
  /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null 2>"$out.err" || {
    rc=$?; [ $rc -eq 1 ] || { echo "failed ($rc): $*" >&2; cat "$out.err" >&2; exit 2; }; }
}
sec() { tail -n 1 "$1" | cut -d' ' -f1; } # the seconds a timed run took
size_mb() { du -sb "$@" | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }
rows=$work/rows
: >"$rows"
: >"$work/rounds"
# row CORPUS SYSTEM TIMEFILE SIZE_MB TEXT_BYTES
row() {
  read -r sec kb <<EOT
$(tail -n 1 "$3")
EOT
  echo "$1|$2|$sec|$(awk -v b="$5" -v s="$sec" 'BEGIN {printf "%.2f", b / 1e6 / s}')|$(awk -v k="$kb" 'BEGIN {printf "%.0f", k / 1024}')|$4" >>"$rows"
}

# median OUT FILES...: the run of median wall time among FILES (as timed
# writes them) copied to OUT
median() {
  out=$1; shift
  for f in "$@"; do echo "$(tail -n 1 "$f") $f"; done | sort -n | awk '{l[NR] = $3} END {print l[int((NR + 1) / 2)]}' |
    xargs -I{} cp {} "$out"
}

# Each build is timed ROUNDS times (env INDEX_BENCH_ROUNDS, default 3), the
# systems in turn within a round, and its median run is reported: this VM's
# speed drifts within minutes, and a drift during one system's only run
# would move the ratios.
rounds=${INDEX_BENCH_ROUNDS:-3}

bench_corpus() { # NAME FILE
  name=$1 file=$2 w=$work/$1
  mkdir -p "$w"
  case "$file" in *.gz) bytes=$(gzip -dc "$file" | wc -c) ;; *) bytes=$(wc -c <"$file") ;; esac
  echo "== $name: $bytes bytes of JSON Lines" >&2
  $py "$peers" split "$file" "$w/txt"

  r=1
  while [ "$r" -le "$rounds" ]; do
    rm -rf "$w/t.db" "$w"/ts.db* "$w/o.db" "$w/f.sqlite"
    timed "$w/t.time.$r" "$build/telusur-index" -q -d "$w/t.db" "$file"
    timed "$w/ts.time.$r" "$build/telusur-index" -q -d "$w/ts.db" --shards 2 "$file"
    timed "$w/o.time.$r" omindex --db "$w/o.db" --url / --stemmer=indonesian "$w/txt"
    timed "$w/f.time.$r" $py "$peers" fts5-build "$file" "$w/f.sqlite"
    awk -v n="$name" -v r="$r" -v t="$(sec "$w/t.time.$r")" -v ts="$(sec "$w/ts.time.$r")" \
      -v o="$(sec "$w/o.time.$r")" -v f="$(sec "$w/f.time.$r")" 'BEGIN {
      printf "| %s | %d | %s | %s | %s | %s | %.2f | %.2f | %.2f |\n", n, r, t, ts, o, f, ts / t, o / t, f / t }' >>"$work/rounds"
    r=$((r + 1))
  done
  for s in t ts o f; do
    median "$w/$s.time" $(seq 1 "$rounds" | sed "s|^|$w/$s.time.|")
  done

  timed "$w/t2.time" "$build/telusur-index" -q -d "$w/t.db" "$file"
  timed "$w/tc.time" "$build/telusur-index" -q -d "$w/t.db" --compact
  "$build/telusur-index" -q -d "$w/ts.db" --compact
  row "$name" "telusur -j$jobs" "$w/t.time" "$(size_mb "$w/t.db")" "$bytes"
  row "$name" "telusur, re-run unchanged" "$w/t2.time" "-" "$bytes"
  row "$name" "telusur --shards 2" "$w/ts.time" "$(size_mb "$w/ts.db" "$w"/ts.db.shard*)" "$bytes"
  row "$name" "omindex (1 doc per file)" "$w/o.time" "$(size_mb "$w/o.db")" "$bytes"
  row "$name" "FTS5 (1 row per paragraph)" "$w/f.time" "$(size_mb "$w/f.sqlite")" "$bytes"
}

bench_corpus mixed-30mb "$data/mixed-id-30mb/corpus.jsonl.gz"
bench_corpus detik-1000 "$data/detik-news-1000/articles.jsonl"

# Query latency over the passages of the 30 MB corpus.
w=$work/mixed-30mb
timed "$w/x.time" $py "$peers" xapian-build "$data/mixed-id-30mb/corpus.jsonl.gz" "$w/x.db"
xapian-compact "$w/x.db" "$w/xc.db" >/dev/null && rm -rf "$w/x.db" && mv "$w/xc.db" "$w/x.db"
row mixed-30mb "Xapian TermGenerator (1 doc per paragraph)" "$w/x.time" "$(size_mb "$w/x.db")" \
  "$(gzip -dc "$data/mixed-id-30mb/corpus.jsonl.gz" | wc -c)"
q=$work/queries.tsv
{ head -n 500 "$data/tydiqa-goldp-id-retrieval/queries.train.tsv"
  head -n 500 "$data/facqa-news-retrieval/queries.train.tsv"; } >"$q"
# medians of p50 and of p99 over ROUNDS runs, telusur and Xapian in turn
: >"$w/lat_t" && : >"$w/lat_t0" && : >"$w/lat_x"
r=1
while [ "$r" -le "$rounds" ]; do
  "$build/index-query" "$w/t.db" "$q" >>"$w/lat_t"
  "$build/index-query" "$w/t.db" "$q" 0 >>"$w/lat_t0"
  $py "$peers" xapian-query "$w/x.db" "$q" >>"$w/lat_x"
  r=$((r + 1))
done
medians() { # FILE of "p50 p99 n" lines
  for c in 1 2; do cut -d' ' -f$c "$1" | sort -n | awk '{v[NR] = $1} END {printf "%s ", v[int((NR + 1) / 2)]}'; done
  tail -n 1 "$1" | cut -d' ' -f3
}
lat_t=$(medians "$w/lat_t")
lat_t0=$(medians "$w/lat_t0")
lat_x=$(medians "$w/lat_x")
# Archive queries: a filter on the commonest source, and facets by source.
src=$(gzip -dc "$data/mixed-id-30mb/corpus.jsonl.gz" | $py -c 'import sys, json, collections
print(collections.Counter(json.loads(l).get("source") for l in sys.stdin).most_common(1)[0][0])')
lat_tf=$("$build/index-query" "$w/t.db" "$q" - "source=$src")
lat_tc=$("$build/index-query" "$w/t.db" "$q" - - source)
lat_tn=$("$build/index-query" "$w/t.db" "$q" - - +)
# the same, as CPU time of the process (the counts run on a second thread)
lat_tp=$(TELUSUR_CLOCK=cpu "$build/index-query" "$w/t.db" "$q")
lat_tcp=$(TELUSUR_CLOCK=cpu "$build/index-query" "$w/t.db" "$q" - - source)
lat_f=$($py "$peers" fts5-query "$w/f.sqlite" "$q")

echo
echo "Indexing (ratios: to telusur -j$jobs on the same corpus; index sizes after compaction for telusur)"
echo
printf '| corpus | system | wall s | MB/s | peak RSS MB | index MB | time / telusur | size / telusur |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
awk -F'|' -v j="telusur -j$jobs" '
  { c[NR] = $0; if ($2 == j) { ts[$1] = $3; sz[$1] = $6 } }
  END { for (i = 1; i <= NR; i++) { split(c[i], f, "|");
      tr = ts[f[1]] > 0 ? sprintf("%.2f", f[3] / ts[f[1]]) : "-";
      sr = (f[6] != "-" && sz[f[1]] > 0) ? sprintf("%.2f", f[6] / sz[f[1]]) : "-";
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], tr, sr } }' "$rows"
echo
echo "Each round (wall s; time / telusur as above: each system's wall time over telusur -j$jobs's)"
echo
printf '| corpus | round | telusur | --shards 2 | omindex | FTS5 | --shards 2 / telusur | omindex / telusur | FTS5 / telusur |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
cat "$work/rounds"
echo
echo "Query latency, 1,000 queries (TyDi + FacQA), top 10, one process each, mixed-30mb passages"
echo
printf '| system | p50 ms | p99 ms | queries |\n|---|---:|---:|---:|\n'
set -- $lat_t; printf '| telusur (batch, Indonesian analysis, questions reranked) | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_t0; printf '| telusur, BM25 only (--rerank-depth=0) | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_tf; printf '| telusur, --filter source=%s | %s | %s | %s |\n' "$src" "$1" "$2" "$3"
set -- $lat_tc; printf '| telusur, --facets source | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_tn; printf '| telusur, match counts (text output) | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_tp; printf '| telusur, CPU time of the process | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_tcp; printf '| telusur, --facets source, CPU time of the process (both threads) | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_x; printf '| Xapian QueryParser + Enquire (Snowball indonesian) | %s | %s | %s |\n' "$1" "$2" "$3"
set -- $lat_f; printf '| FTS5 (OR of the words, bm25) | %s | %s | %s |\n' "$1" "$2" "$3"
