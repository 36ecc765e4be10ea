#!/usr/bin/env bash
# Compiles and runs one self-checking testbench under Icarus or Verilator.
#   testbench/run_tb.sh icarus|verilator TOP WORKDIR [+plusarg ...] -- SOURCES...
# Passes only if the simulator exits 0, prints a line starting with "PASS" and no line with
# "FAIL", "FATAL" or "ERROR". A watchdog (timeout) turns a hang into a failure.
set -euo pipefail
sim=$1 top=$2 work=$3
shift 3
plusargs=()
while [[ $# -gt 0 && "$1" != "--" ]]; do plusargs+=("$1"); shift; done
[[ "${1:-}" == "--" ]] || { echo "run_tb.sh: missing -- before the sources" >&2; exit 2; }
shift
mkdir -p "$work"
log="$work/sim.log"
case "$sim" in
  icarus)
    iverilog -g2012 -Wall -Wno-timescale -o "$work/$top.vvp" -s "$top" "$@"
    set +e; timeout 1200 vvp -n "$work/$top.vvp" "${plusargs[@]}" >"$log" 2>&1; rc=$?; set -e
    ;;
  verilator)
    verilator --binary --timing -j 2 -Wno-fatal -Wno-lint -Wno-style --top-module "$top" \
      -Mdir "$work/obj" -o "V$top" "$@" >"$work/build.log" 2>&1 \
      || { cat "$work/build.log" >&2; exit 1; }
    set +e; timeout 1200 "$work/obj/V$top" "${plusargs[@]}" >"$log" 2>&1; rc=$?; set -e
    ;;
  *) echo "run_tb.sh: unknown simulator '$sim'" >&2; exit 2 ;;
esac
tail -n 20 "$log"
if [[ $rc -ne 0 ]]; then echo "run_tb.sh: $top under $sim exited $rc" >&2; exit 1; fi
if grep -qE "FAIL|FATAL|ERROR" "$log"; then echo "run_tb.sh: $top under $sim reported a failure" >&2; exit 1; fi
grep -q "^PASS" "$log" || { echo "run_tb.sh: $top under $sim printed no PASS line" >&2; exit 1; }
