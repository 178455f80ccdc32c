#!/bin/bash
# Shards searched as one index: an index of the bundled corpus built as one
# database and as 3 shards, the shards searched through a local stub and
# through xapian-tcpsrv (one server a shard, on 127.0.0.1, on free ports,
# started under setsid and stopped by their process ids). Checks that
# every kind of query (keywords, phrase, NEAR, title:, wildcard, a
# reranked question, filters, facets, sort, paging, explain) gets the
# passages, order and scores (within 1e-6) of the one database; that 8
# concurrent queries get them too; and that a shard down, stopped (past
# --timeout) or killed during a run is an error naming it, or with
# --allow-partial is left out with a warning.
# Usage: shards_test.sh SOURCE_DIR BUILD_DIR
set -u
src=$1 build=$2
index=$build/telusur-index query=$build/telusur-query
tmp=$(mktemp -d "${TMPDIR:-/tmp}/telusur-shards.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill -CONT "$p" 2>/dev/null
    kill -- "-$p" "$p" 2>/dev/null # the server and the children it forked
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
  echo "shards_test: $*" >&2
  failures=$((failures + 1))
}
command -v xapian-tcpsrv >/dev/null || {
  echo "shards_test: xapian-tcpsrv not found (package xapian-tools)" >&2
  exit 1
}

# The test collection: the corpus with a date, a topic and a title given
# to each article (several articles a day, so that sorting by date ties),
# and 30 articles copied under other ids (equal scores across articles and
# shards), and the multi-paragraph text file.
awk '{
  t = NR % 3; d = NR % 6 + 1
  sub(/"title": ""/, sprintf("\"title\": \"Judul t%d\"", t))
  sub(/}$/, sprintf(", \"date\": \"2024-03-%02d\", \"topic\": \"t%d\"}", d, t))
  print
  if (NR <= 30) { sub(/"id": "/, "\"id\": \"copy-"); print }
}' "$src/corpus/tydiqa-wikipedia.jsonl" >"$tmp/articles.jsonl"
cp "$src"/corpus/*.txt "$tmp/"
(cd "$tmp" && "$index" -q -d one articles.jsonl ./*.txt && "$index" -q -d three --shards 3 articles.jsonl ./*.txt) ||
  {
    echo "shards_test: indexing failed" >&2
    exit 1
  }

# Starts xapian-tcpsrv for database $1 on a free port of 127.0.0.1; sets
# port and pid (also kept in pids for the cleanup).
start_shard() {
  local try i
  for try in $(seq 1 30); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue # taken
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$1" >"$tmp/tcpsrv-$port.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        return 0
      fi
      sleep 0.05
    done
  done
  echo "shards_test: could not start xapian-tcpsrv" >&2
  exit 1
}
ports=() spids=()
for k in 0 1 2; do
  start_shard "$tmp/three.shard$k"
  ports+=("$port")
  spids+=("$pid")
  echo "remote 127.0.0.1:$port" >>"$tmp/remote"
done

# The lines of two outputs (JSON Lines) must be equal but for the scores,
# which must agree within 1e-6.
same_answers() { # what file1 file2
  awk -v what="$1" '
    function split_score(line, out,   m) {
      if (match(line, /"score":[-0-9.eE+]+/)) {
        out["s"] = substr(line, RSTART + 8, RLENGTH - 8) + 0
        out["l"] = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
      } else { out["s"] = 0; out["l"] = line }
    }
    NR == FNR { a[FNR] = $0; na = FNR; next }
    { nb = FNR
      split_score(a[FNR], x); split_score($0, y)
      d = x["s"] - y["s"]; if (d < 0) d = -d
      if (x["l"] != y["l"] || d > 1e-6) { print what ": line " FNR " differs:\n  " a[FNR] "\n  " $0; bad = 1; exit 1 } }
    END { if (!bad && na != nb) { print what ": " na " lines against " nb; exit 1 } }' "$2" "$3" >&2
}

# Each case: options, then the query (after the last tab).
cases=$(
  cat <<'EOF'
-n 20	bahasa daerah
-n 20 --per-article=0	negara OR wilayah
-n 20	"perang dunia"
-n 20	kota NEAR besar
-n 20	title:judul
-n 20	title:judul pertama
-n 30 --per-article=0	pemerin*
-n 20	peme* OR bahasa
-n 20 --explain	siapa presiden pertama indonesia?
-n 10 --offset 5	kapan perang dunia kedua berakhir?
-n 20 --explain	bahasa indonesia
-n 20 --filter topic=t1	bahasa
-n 20 --since 2024-03-03 --until 2024-03-04	negara
-n 20 --facets topic,month	negara
-n 20 --sort newest	bahasa
-n 25 --sort oldest --offset 3	topic:t2
-n 20 --offset 40	NOT adalah
-n 20 --prf-docs 5 --prf-terms 5 --prf-weight 0.5	sejarah kerajaan
EOF
)
n=0
while IFS= read -r line; do
  n=$((n + 1))
  q=${line##*$'\t'} opts=${line%%$'\t'*}
  # shellcheck disable=SC2086
  "$query" -d "$tmp/one" -f json $opts -- "$q" >"$tmp/one.$n" 2>&1
  [ -s "$tmp/one.$n" ] || fail "case $n ($q): no answer from one database"
  for db in three remote; do
    # shellcheck disable=SC2086
    "$query" -d "$tmp/$db" -f json $opts -- "$q" >"$tmp/$db.$n" 2>&1
    same_answers "$db, case $n ($opts $q)" "$tmp/one.$n" "$tmp/$db.$n" || fail "$db: case $n"
  done
done <<<"$cases"

# The counts of the text output (every match counted) agree too.
for db in one three remote; do
  "$query" -d "$tmp/$db" --color=never --facets=topic -- negara | grep -A5 'matched' >"$tmp/count.$db"
done
grep -q 'passages of' "$tmp/count.one" || fail "no counts in the text output"
cmp -s "$tmp/count.one" "$tmp/count.three" || fail "counts differ (local shards)"
cmp -s "$tmp/count.one" "$tmp/count.remote" || fail "counts differ (remote shards)"

# 8 queries at once on the remote shards.
cpids=()
for i in 1 2 3 4 5 6 7 8; do
  line=$(sed -n "${i}p" <<<"$cases")
  q=${line##*$'\t'} opts=${line%%$'\t'*}
  # shellcheck disable=SC2086
  "$query" -d "$tmp/remote" -f json $opts -- "$q" >"$tmp/conc.$i" 2>&1 &
  cpids+=($!)
done
for i in 1 2 3 4 5 6 7 8; do
  wait "${cpids[$((i - 1))]}"
  same_answers "concurrent query $i" "$tmp/one.$i" "$tmp/conc.$i" || fail "concurrent query $i"
done

# A shard that refuses: exit 2 and one line naming it.
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:1\n' "${ports[0]}" >"$tmp/refused"
"$query" -d "$tmp/refused" -- bahasa >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "refused shard: exit $rc, expected 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '127.0.0.1:1\b' "$tmp/err" ||
  fail "refused shard: $(cat "$tmp/err")"

# A stopped shard (it accepts but never answers): exit 2 past --timeout,
# naming it; with --allow-partial, the answers of the two others.
kill -STOP "${spids[1]}"
timeout 60 "$query" -d "$tmp/remote" --timeout 300 -- bahasa >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "stopped shard: exit $rc, expected 2"
grep -q "shard 127.0.0.1:${ports[1]}: .*Timeout" "$tmp/err" || fail "stopped shard: $(cat "$tmp/err")"
printf 'auto %s\nauto %s\n' "$tmp/three.shard0" "$tmp/three.shard2" >"$tmp/two"
"$query" -d "$tmp/two" -f json -n 20 -- bahasa >"$tmp/two.out" 2>&1
timeout 60 "$query" -d "$tmp/remote" --timeout 300 --allow-partial -f json -n 20 -- bahasa \
  >"$tmp/partial.out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "stopped shard, --allow-partial: exit $rc"
grep -q "warning: .*127.0.0.1:${ports[1]}" "$tmp/err" || fail "no warning naming the stopped shard"
same_answers "partial answers" "$tmp/two.out" "$tmp/partial.out" || fail "partial answers"
kill -CONT "${spids[1]}"

# A shard that stops answering during a batch, then answers again: the query
# that needed it fails naming it, and the next ones are answered (every
# shard's connection is opened again: the others' may be out of step).
rm -f "$tmp/fifo"
mkfifo "$tmp/fifo"
"$query" -d "$tmp/remote" --timeout 1000 -f json -n 20 --batch "$tmp/fifo" >"$tmp/back.out" 2>"$tmp/err" &
qpid=$!
exec 4>"$tmp/fifo"
printf 'q1\tbahasa\n' >&4
for i in $(seq 1 200); do grep -q '"qid":"q1"' "$tmp/back.out" && break; sleep 0.05; done
kill -STOP -- "-${spids[1]}"
printf 'q2\tbahasa daerah\n' >&4
for i in $(seq 1 200); do grep -q "query q2" "$tmp/err" && break; sleep 0.05; done
kill -CONT -- "-${spids[1]}"
printf 'q3\tnegara OR wilayah\n' >&4
exec 4>&-
wait $qpid
rc=$?
[ $rc -eq 2 ] || fail "a shard stopped during a batch: exit $rc, expected 2"
grep -q "query q2: shard 127.0.0.1:${ports[1]}: " "$tmp/err" || fail "stopped shard not named: $(cat "$tmp/err")"
grep -q '"qid":"q3"' "$tmp/back.out" || fail "a shard back: the next query not answered: $(cat "$tmp/err")"
[ "$(grep -c . "$tmp/err")" -eq 1 ] || fail "a shard back: more than one error: $(cat "$tmp/err")"

# A shard killed during a run: the batch reads from a FIFO, each answer is
# written as it comes; the shard is killed after the first one.
batch_kill() { # shard-index out err [options]
  local k=$1 out=$2 err=$3
  shift 3
  rm -f "$tmp/fifo"
  mkfifo "$tmp/fifo"
  "$query" -d "$tmp/remote" --timeout 2000 -f json -n 20 "$@" --batch "$tmp/fifo" >"$out" 2>"$err" &
  qpid=$!
  exec 4>"$tmp/fifo"
  printf 'q1\tbahasa\n' >&4
  for i in $(seq 1 200); do
    grep -q '"qid":"q1"' "$out" && break
    sleep 0.05
  done
  kill -- "-${spids[$k]}" "${spids[$k]}" 2>/dev/null
  wait "${spids[$k]}" 2>/dev/null
  printf 'q2\tbahasa\n' >&4
  exec 4>&-
  wait $qpid
}
batch_kill 2 "$tmp/kill.out" "$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "shard killed during a run: exit $rc, expected 2"
grep -q "query q2: shard 127.0.0.1:${ports[2]}: " "$tmp/err" || fail "killed shard: $(cat "$tmp/err")"
grep -q '"qid":"q1"' "$tmp/kill.out" || fail "killed shard: no answer before the kill"

start_shard "$tmp/three.shard2" # back, on another port
sed -i "3s/.*/remote 127.0.0.1:$port/" "$tmp/remote"
ports[2]=$port spids[2]=$pid
batch_kill 0 "$tmp/kill.out" "$tmp/err" --allow-partial
rc=$?
[ $rc -eq 0 ] || fail "shard killed during a run, --allow-partial: exit $rc"
grep -q "warning: .*127.0.0.1:${ports[0]}" "$tmp/err" || fail "no warning naming the killed shard"
printf 'auto %s\nauto %s\n' "$tmp/three.shard1" "$tmp/three.shard2" >"$tmp/two"
"$query" -d "$tmp/two" -f json -n 20 --batch - <<<$'q2\tbahasa' >"$tmp/two.out" 2>&1
grep '"qid":"q2"' "$tmp/kill.out" >"$tmp/partial.out"
same_answers "partial answers after a kill" "$tmp/two.out" "$tmp/partial.out" || fail "partial answers after a kill"

# A line added by hand to the stub --shards wrote: indexing through it is
# refused (articles would be hashed to other shards than those holding them);
# a re-run with the number the shards record still works.
(cd "$tmp" && "$index" -q -d two2 --shards 2 articles.jsonl && "$index" -q -d two2 --shards 2 articles.jsonl) ||
  fail "--shards 2 run again"
(cd "$tmp" && "$index" -q -d extra ./*.txt && echo "auto extra" >>two2)
"$index" -q -d "$tmp/two2" --shards 3 "$tmp/articles.jsonl" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "a shard added to the --shards stub: exit $rc, expected 2"
grep -q "two2 lists 3 shards, but two2.shard0 holds articles hashed to 2 shards" "$tmp/err" ||
  fail "a shard added to the --shards stub: $(cat "$tmp/err")"

[ $failures -eq 0 ] || exit 1
echo "shards_test: $n cases, same answers from 3 local and 3 remote shards as from one database"
