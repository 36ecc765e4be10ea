#!/usr/bin/python3
"""Fails (exit 1) unless a quantized run's accuracy is within --max-drop points of the fp32 run
on the same images. Usage: check_drop.py --fp32 A.json --qsa B.json --max-drop POINTS"""
import argparse
import json
import sys

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--fp32", required=True)
ap.add_argument("--qsa", required=True)
ap.add_argument("--max-drop", type=float, required=True)
a = ap.parse_args()
try:
    fp32, qsa = (json.load(open(p)) for p in (a.fp32, a.qsa))
except (OSError, ValueError) as e:
    sys.exit(f"check_drop: {e}")
if fp32["images"] != qsa["images"] or fp32["images"] == 0:
    sys.exit(f"check_drop: runs differ in images ({fp32['images']} vs {qsa['images']})")
drop = 100 * (fp32["accuracy"] - qsa["accuracy"])
ok = drop <= a.max_drop
print(f"{'PASS' if ok else 'FAIL'}: drop {drop:.2f} points (fp32 {100 * fp32['accuracy']:.2f} %, "
      f"qsa {100 * qsa['accuracy']:.2f} %, limit {a.max_drop})")
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
