#!/bin/sh
# Builds the libFuzzer harnesses (fuzz/, clang, -fsanitize=fuzzer,address,
# undefined) and runs each for a bounded time. First every saved crash in
# fuzz/regressions/HARNESS/ is replayed (each one a regression test), then
# each harness fuzzes from a seed corpus built here from real text:
# ../shared/data (TyDi QA, FacQA, detik) when present, else the bundled
# corpus/ and tests/cases.
#
#   sh scripts/fuzz.sh            # CI: 15 s per harness, about a minute in all
#   sh scripts/fuzz.sh 3600       # a longer run: an hour per harness
#
# Environment: TELUSUR_FUZZ_BUILD (build dir, default build-fuzz),
# TELUSUR_FUZZ_WORK (corpora and crash artifacts, default /tmp/telusur-fuzz),
# TELUSUR_SHARED (shared data, default ../shared), FUZZ_JOBS (harnesses run
# at once, default 1). Crashes are written to WORK/artifacts/; the script
# then exits 1.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
secs=${1:-15}
build=${TELUSUR_FUZZ_BUILD:-build-fuzz}
work=${TELUSUR_FUZZ_WORK:-/tmp/telusur-fuzz}
shared=${TELUSUR_SHARED:-$src/../shared}
harnesses="fuzz_reader fuzz_passage fuzz_analyzer fuzz_query"

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTELUSUR_FUZZ=ON -DTELUSUR_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target $harnesses >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# 1. Replay every saved crash: each is a regression test.
for h in $harnesses; do
  dir=fuzz/regressions/$h
  if [ -d "$dir" ] && [ -n "$(ls "$dir" 2>/dev/null)" ]; then
    "$build/$h" -runs=1 "$dir"/* >"$work.replay.log" 2>&1 ||
      { cat "$work.replay.log"; echo "fuzz.sh: $h: a saved crash in $dir fails again" >&2; exit 1; }
    echo "fuzz.sh: $h: $(ls "$dir" | wc -l) saved crash input(s) pass"
  fi
done

# 2. Seed corpora, from real text; nothing of it is committed.
rm -rf "$work/seed"
mkdir -p "$work/seed" "$work/artifacts"
for h in $harnesses; do mkdir -p "$work/seed/$h" "$work/corpus/$h"; done
texts=$work/seed/texts
mkdir -p "$texts"
jsonl=""
for f in "$shared/data/tydiqa-goldp-id-retrieval/corpus.jsonl" \
         "$shared/data/facqa-news-retrieval/corpus.jsonl" \
         "$shared/data/detik-news-1000/articles.jsonl"; do
  [ -f "$f" ] && jsonl="$jsonl $f"
done
[ -n "$jsonl" ] || jsonl="$src/corpus/tydiqa-wikipedia.jsonl"
n=0
for f in $jsonl; do
  # groups of 3 lines as JSON Lines; the "text" values as plain text
  head -n 60 "$f" | split -l 3 - "$texts/j$n."
  head -n 40 "$f" | sed -n 's/.*"text": *"\(.*\)".*/\1/p' | sed 's/\\n/\n/g; s/\\"/"/g' |
    split -l 1 - "$texts/t$n."
  n=$((n + 1))
done
cp "$src"/corpus/*.txt "$texts/"
i=0
for f in "$texts"/*; do
  i=$((i + 1))
  case "$(basename "$f")" in
    j*) printf '\001' | cat - "$f" >"$work/seed/fuzz_reader/$i.jsonl"
        printf '\003' | cat - "$f" >"$work/seed/fuzz_reader/$i.jsonl.z"
        { printf '\001'; gzip -c "$f"; } >"$work/seed/fuzz_reader/$i.jsonl.gz" ;;
    *)  printf '\000' | cat - "$f" >"$work/seed/fuzz_reader/$i.txt"
        printf '\002' | cat - "$f" >"$work/seed/fuzz_reader/$i.txt.z"
        { printf '\000'; gzip -c "$f" | head -c 200; } >"$work/seed/fuzz_reader/$i.txt.gz"
        head -c 8000 "$f" >"$work/seed/fuzz_passage/$i"
        { printf '\000'; head -c 4000 "$f"; } >"$work/seed/fuzz_analyzer/$i.0"
        { printf '\001'; head -c 2000 "$f"; } >"$work/seed/fuzz_analyzer/$i.1" ;;
  esac
done
q=0
for f in "$shared/data/tydiqa-goldp-id-retrieval/queries.train.tsv" \
         "$shared/data/facqa-news-retrieval/queries.train.tsv" \
         "$src/tests/cases/seed-queries.tsv"; do
  [ -f "$f" ] || continue
  head -n 100 "$f" | cut -f2 | while IFS= read -r line; do
    q=$((q + 1)); printf '%s' "$line" >"$work/seed/fuzz_query/$(basename "$f").$q"
  done
done
for s in 'kerjasama AND "perdamaian dunia"' 'title:menteri NEAR ekonomi' \
         '+negara -perang' 'ekonom* OR (damai XOR "kerja sama")' '"unbalanced (' \
         'AND' 'foo:bar' 'negara-negara di-PHK COVID-19'; do
  q=$((q + 1)); printf '%s' "$s" >"$work/seed/fuzz_query/hand.$q"
done

# 3. Fuzz each harness for $secs seconds; the corpus grows across runs.
run_one() {
  h=$1
  case $h in
    fuzz_reader) max=16384 ;; fuzz_query) max=1024 ;; *) max=8192 ;;
  esac
  log=$work/$h.log
  if "$build/$h" -max_total_time="$secs" -max_len=$max -timeout=25 -rss_limit_mb=2560 \
       -print_final_stats=1 -artifact_prefix="$work/artifacts/$h-" \
       "$work/corpus/$h" "$work/seed/$h" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz.sh: $h: ${runs:-?} executions in $secs s, no crash (corpus: $(ls "$work/corpus/$h" | wc -l) inputs)"
  else
    tail -n 60 "$log"
    echo "fuzz.sh: $h: CRASH; input saved in $work/artifacts/ (add it to fuzz/regressions/$h/)" >&2
    return 1
  fi
}
status=0
jobs=${FUZZ_JOBS:-1}
if [ "$jobs" -gt 1 ]; then
  pids=""
  for h in $harnesses; do run_one "$h" & pids="$pids $!"; done
  for p in $pids; do wait "$p" || status=1; done
else
  for h in $harnesses; do run_one "$h" || status=1; done
fi
exit $status
