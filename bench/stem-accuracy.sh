#!/bin/sh
# stem-accuracy.sh - root accuracy of telusur's Indonesian stemmer beside
# Snowball (libstemmer, through stem-driver) and plain hunspell-id
# (libhunspell through python3 ctypes; first stem Hunspell_stem returns).
#
# Usage: bench/stem-accuracy.sh [BUILD_DIR]   (default: ./build)
# BUILD_DIR must hold stem-driver (cmake --build BUILD_DIR --target stem-driver).
# Env: TELUSUR_SHARED (default: ../shared beside the source tree),
#      TELUSUR_HUNSPELL_DIC (default /usr/share/hunspell/id_ID.dic).
# Sets: tests/cases/stems.tsv; tests/cases/gold/stems.tsv with and without
# flag=redup; Sastrawi's integration test pairs (MIT); the Snowball
# vocabulary (voc.txt, 64,586 words): there the reference is Snowball's own
# output, so we show agreement with it, and the share of stems that are in
# the Sastrawi root list (CC BY-NC-SA: used here only to evaluate).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
shared=${TELUSUR_SHARED:-$src/../shared}
driver=$build/stem-driver
[ -x "$driver" ] || { echo "stem-accuracy: $driver missing; build target stem-driver" >&2; exit 1; }
exec python3 - "$src" "$shared" "$driver" <<'PY'
import ctypes, ctypes.util, os, subprocess, sys, time
src, shared, driver = sys.argv[1:4]
dic = os.environ.get("TELUSUR_HUNSPELL_DIC", "/usr/share/hunspell/id_ID.dic")

def run_driver(name, words):
    out = subprocess.run([driver, "-d", src, name], input="\n".join(words) + "\n",
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        w, _, s = line.partition("\t")
        res[w] = s
    return [res.get(w, w) for w in words]

def hunspell_stems(words):
    lib = ctypes.util.find_library("hunspell") or ctypes.util.find_library("hunspell-1.7")
    if not lib:
        return None
    h = ctypes.CDLL(lib)
    h.Hunspell_create.restype = ctypes.c_void_p
    h.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    h.Hunspell_stem.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p)), ctypes.c_char_p]
    h.Hunspell_free_list.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p)), ctypes.c_int]
    aff = dic[:-4] + ".aff"
    hs = h.Hunspell_create(aff.encode(), dic.encode())
    out = []
    for w in words:
        lst = ctypes.POINTER(ctypes.c_char_p)()
        n = h.Hunspell_stem(hs, ctypes.byref(lst), w.encode("latin-1", "replace"))
        out.append(lst[0].decode("latin-1").lower() if n > 0 else w)
        if n > 0:
            h.Hunspell_free_list(hs, ctypes.byref(lst), n)
    return out

def load_pairs(path, skip_flag=None, only_flag=None):
    pairs = []
    for i, line in enumerate(open(path, encoding="utf-8")):
        if line.startswith("#") or (i == 0 and line.startswith("word\t")) or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) < 2:
            continue
        flag = f[2] if len(f) > 2 else ""
        if skip_flag and flag == skip_flag:
            continue
        if only_flag and flag != only_flag:
            continue
        pairs.append((f[0].lower(), f[1].lower()))
    return pairs

sets = [
    ("tests/cases/stems.tsv", load_pairs(os.path.join(src, "tests/cases/stems.tsv"))),
    ("gold/stems.tsv (all)", load_pairs(os.path.join(src, "tests/cases/gold/stems.tsv"))),
    ("gold/stems.tsv (no redup)", load_pairs(os.path.join(src, "tests/cases/gold/stems.tsv"), skip_flag="redup")),
    ("gold/stems.tsv (redup only)", load_pairs(os.path.join(src, "tests/cases/gold/stems.tsv"), only_flag="redup")),
]
sas = os.path.join(shared, "data/sastrawi-kata-dasar/stem-pairs.integration.tsv")
if os.path.exists(sas):
    sets.append(("Sastrawi integration pairs", load_pairs(sas)))
rows = []
for name, pairs in sets:
    words = [w for w, _ in pairs]
    ours, snow = run_driver("indonesian", words), run_driver("snowball", words)
    hun = hunspell_stems(words)
    def acc(stems):
        if stems is None:
            return "n/a"
        ok = sum(1 for s, (_, r) in zip(stems, pairs) if s == r)
        return "%d/%d %5.1f%%" % (ok, len(pairs), 100.0 * ok / max(1, len(pairs)))
    rows.append((name, acc(ours), acc(snow), acc(hun)))
print("root accuracy (stem == expected root)")
print("%-30s %-18s %-18s %-18s" % ("set", "telusur", "snowball", "hunspell"))
for r in rows:
    print("%-30s %-18s %-18s %-18s" % r)

voc = os.path.join(shared, "data/snowball-indonesian-stemmer/voc-stem.tsv")
kd_path = os.path.join(shared, "data/sastrawi-kata-dasar/kata-dasar.txt")
if os.path.exists(voc):
    pairs = load_pairs(voc)
    words = [w for w, _ in pairs]
    kd = set(open(kd_path).read().split()) if os.path.exists(kd_path) else None
    res = {"telusur": run_driver("indonesian", words), "snowball": run_driver("snowball", words),
           "hunspell": hunspell_stems(words)}
    print()
    print("Snowball vocabulary (%d words): agreement with Snowball's output; "
          "share of stems in the Sastrawi root list" % len(words))
    for k, stems in res.items():
        if stems is None:
            print("%-10s n/a" % k)
            continue
        agree = sum(1 for s, (_, r) in zip(stems, pairs) if s == r)
        inkd = sum(1 for s in stems if kd is not None and s in kd)
        print("%-10s agree %5.1f%%   stem is a Sastrawi root %5.1f%%" %
              (k, 100.0 * agree / len(words), 100.0 * inkd / len(words) if kd else float("nan")))
    t = subprocess.run([driver, "-d", src, "-t", "indonesian"], input="\n".join(words) + "\n",
                       capture_output=True, text=True, check=True).stderr.strip()
    print()
    print("telusur stemmer throughput over the vocabulary x20 (cache warm):", t)
PY
