#!/bin/bash
# shards-bench.sh BUILD_DIR - query latency and throughput of one local
# index against the same articles in 1, 2 and 4 shards served by
# xapian-tcpsrv on loopback (and 4 local shards), all measured in this one
# run, printed as one table (ratios are to the local index).
#
# Corpus: $TELUSUR_SHARED/data (default ../shared/data beside the source
# tree) mixed-id-30mb/corpus.jsonl.gz; skipped (exit 0) where it is missing.
# Queries: the first 500 of TyDi's and of FacQA's train query files, ranked
# as telusur-query --batch does (top 10, questions reranked, no snippets).
# Latency: one client, the queries one after another (bench/index-query.c).
# Throughput: CLIENTS clients at once (default 2), each running all the
# queries; queries per second over the wall time.
# Also the latency of one shard of 4 and of 2 alone (a collection a quarter
# and half the size) for the size dependence (see RESULTS-shards.md).
# Needs xapian-tcpsrv (xapian-tools). Servers listen on 127.0.0.1 only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
shared=${TELUSUR_SHARED:-$here/../../shared}
data=$shared/data
clients=${CLIENTS:-2}
corpus=$data/mixed-id-30mb/corpus.jsonl.gz
if [ ! -f "$corpus" ]; then
  echo "shards-bench: $corpus not found: skipped"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/telusur-shards.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

q=$work/queries.tsv
{
  head -n 500 "$data/tydiqa-goldp-id-retrieval/queries.train.tsv"
  head -n 500 "$data/facqa-news-retrieval/queries.train.tsv"
} >"$q"

# (a few lines of the corpus hold NUL characters: skipped, exit status 1)
for n in 1 2 4; do
  if [ $n -eq 1 ]; then
    "$build/telusur-index" -q -d "$work/one" "$corpus" 2>/dev/null
  else
    "$build/telusur-index" -q -d "$work/s$n" --shards $n "$corpus" 2>/dev/null
  fi
  [ $? -le 1 ] || exit 2
done

start_shard() { # DB: sets port
  local i
  for _ in $(seq 1 30); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$1" >/dev/null 2>&1 &
    pids+=($!)
    for i in $(seq 1 100); do
      kill -0 "${pids[-1]}" 2>/dev/null || break
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
      sleep 0.05
    done
  done
  echo "shards-bench: could not start xapian-tcpsrv" >&2
  exit 2
}
for n in 1 2 4; do
  : >"$work/r$n"
  for ((k = 0; k < n; k++)); do
    if [ $n -eq 1 ]; then start_shard "$work/one"; else start_shard "$work/s$n.shard$k"; fi
    echo "remote 127.0.0.1:$port" >>"$work/r$n"
  done
done

# throughput DB: queries per second with $clients clients at once
throughput() {
  local t0 t1 cp=()
  t0=$(date +%s.%N)
  for ((c = 0; c < clients; c++)); do
    "$build/index-query" "$1" "$q" >/dev/null &
    cp+=($!)
  done
  wait "${cp[@]}"
  t1=$(date +%s.%N)
  awk -v n="$(wc -l <"$q")" -v c="$clients" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n * c / (b - a)}'
}

rows=$work/rows
base_p50= base_qps=
for cfg in "one|one local index" "s4|4 local shards (stub)" "r1|1 shard on loopback" \
  "r2|2 shards on loopback" "r4|4 shards on loopback" "s2.shard0|half the articles, local" \
  "s4.shard0|a quarter of the articles, local"; do
  db=$work/${cfg%%|*} name=${cfg#*|}
  "$build/index-query" "$db" "$q" >/dev/null # warm the page cache
  read -r p50 p99 n <<<"$("$build/index-query" "$db" "$q")"
  qps=$(throughput "$db")
  [ -n "$base_p50" ] || base_p50=$p50 base_qps=$qps
  echo "$name|$p50|$p99|$qps|$(awk -v a="$p50" -v b="$base_p50" 'BEGIN {printf "%.2f", a / b}')|$(awk -v a="$qps" -v b="$base_qps" 'BEGIN {printf "%.2f", a / b}')" >>"$rows"
done

echo "Query latency and throughput, mixed-id-30mb, $n queries (TyDi + FacQA train), $clients clients for throughput"
echo
echo "| index | p50 ms | p99 ms | queries/s | p50 / local | queries/s / local |"
echo "|---|---|---|---|---|---|"
awk -F'|' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$rows"
