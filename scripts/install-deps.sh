#!/bin/sh
# Installs what telusur needs to build, test and benchmark, from Debian 12
# packages. Run as root.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config clang \
  libxapian-dev libicu-dev zlib1g-dev libzstd-dev libjson-c-dev libgumbo-dev libstemmer-dev \
  check hunspell-id xapian-tools python3 python3-xapian python3-numpy python3-xgboost libxxhash-dev libjemalloc-dev xapian-omega \
  sqlite3 time valgrind man-db >/dev/null
