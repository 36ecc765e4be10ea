#!/usr/bin/python3
"""Checks a `qsa sim` run against the reference model's `qsa infer` run of the same images.

Exit 1, naming every failed check: mismatches must be 0, the number of images as asked, the
DRAM bytes equal to the reference model's (total and in every layer), the accuracy and the
number of correct predictions equal to the reference model's, the JSON keys of docs/cli.md
present, and with --estimate-within TOL the reference model's cycle estimate within TOL of the
RTL's cycles on every layer.
"""
import argparse
import json
import sys

KEYS = ["mismatches", "images", "accuracy", "cycles", "utilization", "dram_read_bytes",
        "dram_write_bytes", "energy_pj", "sim_cycles_per_second", "layers", "estimate_cycles",
        "estimate_error", "zero_skip_saved_cycles"]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"check_cosim: cannot read {path}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sim", required=True, help="JSON of qsa sim")
    ap.add_argument("--infer", required=True, help="JSON of qsa infer on the same images")
    ap.add_argument("--images", type=int, required=True)
    ap.add_argument("--estimate-within", type=float, metavar="TOL",
                    help="every layer's |estimate_error| must be <= TOL (e.g. 0.05)")
    a = ap.parse_args()
    sim, ref = load(a.sim), load(a.infer)
    fails = [f"key '{k}' missing" for k in KEYS if k not in sim]
    if fails:
        sys.exit("check_cosim: " + "; ".join(fails))
    checks = [
        ("0 mismatches", sim["mismatches"] == 0, sim["mismatches"]),
        (f"{a.images} images", sim["images"] == a.images == ref["images"],
         (sim["images"], ref["images"])),
        ("same correct predictions as the reference model", sim["correct"] == ref["correct"],
         (sim["correct"], ref["correct"])),
        ("DRAM bytes equal to the reference model", sim["dram_equal_to_reference"], None),
        ("DRAM read bytes per image equal",
         abs(sim["dram_read_bytes"] - ref["dram_read_bytes"]) < 1e-9,
         (sim["dram_read_bytes"], ref["dram_read_bytes"])),
        ("every layer's DRAM bytes equal",
         all(l["dram_equal_to_reference"] for l in sim["layers"]), None),
        ("one entry per layer", len(sim["layers"]) == len(ref["layers"]), len(sim["layers"])),
        ("zero skipping saves cycles on no layer less than 0",
         all(l["zero_skip_saved_cycles"] >= 0 for l in sim["layers"]),
         [l["zero_skip_saved_cycles"] for l in sim["layers"]]),
    ]
    if a.estimate_within is not None:
        errs = [round(l["estimate_error"], 4) for l in sim["layers"]]
        checks.append((f"cycle estimate within {a.estimate_within:.1%} of the RTL on every layer",
                       all(abs(e) <= a.estimate_within for e in errs), errs))
    bad = [f"{name} ({got})" for name, ok, got in checks if not ok]
    for name, ok, got in checks:
        print(f"{'ok ' if ok else 'FAIL'} {name}")
    if bad:
        sys.exit("check_cosim: failed: " + "; ".join(bad))


if __name__ == "__main__":
    main()
