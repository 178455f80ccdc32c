#!/bin/sh
# Indonesian analysis benchmark: root accuracy of telusur's stemmer beside
# Snowball's and plain hunspell's, then analyzer throughput (tokens a second,
# one core, stems cached per word form) with each stemmer on the detik news
# text. Usage: bench/analysis.sh [BUILD_DIR]   (reads $TELUSUR_SHARED, else ../shared)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
shared=${TELUSUR_SHARED:-../shared}
cmake --build "$build" --target stem-driver analyzer-speed >/dev/null
bash bench/stem-accuracy.sh "$build"
echo
detik=$shared/data/detik-news-1000/articles.jsonl
if [ ! -f "$detik" ]; then
  echo "no $detik: skipping the speed benchmark"
  exit 0
fi
echo "Analyzer throughput on $detik (best of 5 rounds, CPU time of one core):"
"$build/analyzer-speed" "$detik" indonesian snowball none | tee /tmp/telusur-speed.$$
awk '$1 == "indonesian" { i = $5 } $1 == "snowball" { s = $5 }
     END { if (s > 0) printf "indonesian / snowball speed: %.2f (target >= 0.80); indonesian >= 1M tokens/s: %s\n", i / s, (i >= 1000000 ? "yes" : "no") }' /tmp/telusur-speed.$$
rm -f /tmp/telusur-speed.$$
