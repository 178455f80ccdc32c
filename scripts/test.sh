#!/bin/sh
# Builds telusur twice, plainly and with AddressSanitizer +
# UndefinedBehaviorSanitizer, and runs the whole test suite in both builds;
# then the libFuzzer harnesses for about a minute (scripts/fuzz.sh), and the
# end-to-end tests with every program under valgrind memcheck.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELUSUR_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTELUSUR_SANITIZE=ON -DTELUSUR_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
# LeakSanitizer passes over memory that libxapian itself allocates and
# loses on its error paths (a failed commit, a revision discarded under a
# reader): tests/lsan-xapian.supp. Objects telusur allocates are still checked.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  LSAN_OPTIONS=suppressions="$(pwd)/../tests/lsan-xapian.supp" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs")
# Fuzzing: every saved crash (fuzz/regressions/) replayed, then each harness
# for 15 s from seeds of real text.
sh scripts/fuzz.sh
# The end-to-end tests with telusur-index, -query and -eval run by valgrind
# memcheck: any error or definite leak makes the program exit 99, which fails
# the test.
vg=$(pwd)/build/valgrind-bin
mkdir -p "$vg"
for p in telusur-index telusur-query telusur-eval; do
  printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite "%s" "$@"\n' \
    "$(pwd)/build/$p" >"$vg/$p"
  chmod +x "$vg/$p"
done
TELUSUR_TEST_BIN_DIR=$vg CK_DEFAULT_TIMEOUT=1800 build/test_cli
