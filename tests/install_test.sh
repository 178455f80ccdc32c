#!/bin/sh
# Installs the build into a temporary prefix and uses it as a user would:
# builds examples/search.c through pkg-config alone, checks that it ranks as
# the installed telusur-query does on an index of corpus/ made by the
# installed telusur-index, that libtelusur exports exactly the functions of
# the installed public headers, and that each man page renders without a
# warning.
# Usage: install_test.sh SOURCE_DIR BUILD_DIR LIBDIR INCLUDEDIR MANDIR
# (the last three relative to the prefix, as GNUInstallDirs has them).
# Environment: CC (default cc), TELUSUR_EXAMPLE_CFLAGS (extra compiler flags,
# as the sanitizers the library was built with), CMAKE (default cmake).
set -eu
src=$1 build=$2 libdir=$3 includedir=$4 mandir=$5
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/telusur-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() {
  echo "install_test: $*" >&2
  exit 1
}

"${CMAKE:-cmake}" --install "$build" --prefix "$prefix" >/dev/null
for f in bin/telusur-index bin/telusur-query bin/telusur-analyze bin/telusur-eval \
  "$libdir/libtelusur.so" "$libdir/libtelusur.so.0" "$libdir/pkgconfig/telusur.pc" \
  "$includedir/telusur/search.h" share/telusur/stopwords/tala.txt; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
[ "$(readlink "$prefix/$libdir/libtelusur.so")" = libtelusur.so.0 ] ||
  fail "libtelusur.so does not link to libtelusur.so.0"

# The example, built with pkg-config's flags only. The installed programs
# run with no library path and the installed data files.
unset LD_LIBRARY_PATH
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" TELUSUR_DATA_DIR="$prefix/share/telusur"
[ "$(pkg-config --modversion telusur)" = 0.1.0 ] || fail "pkg-config --modversion telusur"
# shellcheck disable=SC2046,SC2086 # pkg-config's output is a list of words
$cc ${TELUSUR_EXAMPLE_CFLAGS:-} -o "$tmp/search" "$src/examples/search.c" \
  $(pkg-config --cflags --libs telusur) || fail "examples/search.c does not build"
"$prefix/bin/telusur-index" -q -d "$tmp/db" "$src/corpus" 2>/dev/null
for q in "siapa presiden pertama Indonesia?" "bahasa daerah" "kerjasama bilateral"; do
  "$prefix/bin/telusur-query" -d "$tmp/db" -f tsv "$q" | cut -f3 >"$tmp/want"
  LD_LIBRARY_PATH="$prefix/$libdir" "$tmp/search" "$tmp/db" "$q" >"$tmp/got"
  [ "$(wc -l <"$tmp/want")" -ge 5 ] || fail "'$q': telusur-query found under 5 passages"
  cmp -s "$tmp/want" "$tmp/got" || {
    diff "$tmp/want" "$tmp/got" >&2
    fail "'$q': examples/search prints other article ids than telusur-query"
  }
done

# Exported symbols = functions declared in the public headers.
for h in "$prefix/$includedir"/telusur/*.h; do
  echo "#include <telusur/$(basename "$h")>"
done | $cc -E -P -I"$prefix/$includedir" - | grep -o '\btl_[a-z0-9_]*[[:space:]]*(' |
  tr -d ' \t(' | sort -u >"$tmp/declared"
nm -D --defined-only "$prefix/$libdir/libtelusur.so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
  sort -u >"$tmp/exported"
[ "$(wc -l <"$tmp/declared")" -ge 30 ] || fail "under 30 functions found in the public headers"
cmp -s "$tmp/declared" "$tmp/exported" || {
  diff "$tmp/declared" "$tmp/exported" >&2
  fail "libtelusur's exports ('>') differ from the public headers' functions ('<')"
}

# Man pages render without a warning.
for p in telusur-index telusur-query telusur-analyze telusur-eval; do
  page=$prefix/$mandir/man1/$p.1
  [ -f "$page" ] || fail "$mandir/man1/$p.1 not installed"
  warnings=$(man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$p.1: $warnings"
done
