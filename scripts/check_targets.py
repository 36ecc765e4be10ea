#!/usr/bin/python3
"""Checks the foundation's LeNet-5 targets (issue "Done when") on the JSON of qsa infer runs.

fp32 accuracy >= 98.0 %; 3-bit phi=4 accuracy drop <= 1.0 point (paper mode) and <= 0.5 point
(optimal mode); parameter memory reduction against fp32, as deployed, >= 85 %.
Exits 1 naming every target that is missed.
"""
import argparse
import json
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"check_targets: cannot read {path}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fp32", required=True)
    ap.add_argument("--paper", required=True)
    ap.add_argument("--optimal", required=True)
    a = ap.parse_args()
    fp32, paper, optimal = load(a.fp32), load(a.paper), load(a.optimal)
    checks = [
        ("fp32 accuracy >= 98.0 %", 100 * fp32["accuracy"], 100 * fp32["accuracy"] >= 98.0),
        ("paper-mode drop <= 1.0 point", 100 * (fp32["accuracy"] - paper["accuracy"]),
         100 * (fp32["accuracy"] - paper["accuracy"]) <= 1.0),
        ("optimal-mode drop <= 0.5 point", 100 * (fp32["accuracy"] - optimal["accuracy"]),
         100 * (fp32["accuracy"] - optimal["accuracy"]) <= 0.5),
        ("parameter memory reduction >= 85 %", 100 * optimal["compression"],
         100 * optimal["compression"] >= 85.0),
        ("same images in every run", fp32["images"],
         fp32["images"] == paper["images"] == optimal["images"] and fp32["images"] > 0),
    ]
    failed = 0
    for name, value, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}: {name} (measured {value:.2f})")
        failed += not ok
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
