#!/usr/bin/env bash
# Installs what QSA needs from Debian's packages, only what is missing, so that `make demo`
# and `make test` work on a fresh Debian 12 machine. Idempotent: a second run installs nothing.
#   scripts/setup.sh            # build, test and data dependencies
#   scripts/setup.sh --train    # also python3-torch and python3-onnx, for models/train.py
set -euo pipefail

packages=(
  cmake g++ make pkg-config git
  libfmt-dev libcli11-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  python3 python3-numpy python3-matplotlib
  dataset-fashion-mnist
  nodejs npm
  clang-format
  verilator iverilog yosys gtkwave valgrind
  nextpnr-ice40
)
if [[ "${1:-}" == "--train" ]]; then
  packages+=(python3-torch python3-onnx)
fi

missing=()
for p in "${packages[@]}"; do
  # npm ships with some Node.js builds; accept a working command in place of the package.
  if [[ "$p" == npm || "$p" == nodejs ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all Debian packages present."
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "setup: error: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# Package lists may be missing or stale on a fresh machine: update once, then install.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done."
