#!/usr/bin/python3
"""Fails (exit 1) unless the figures models/README.md states for each shipped model equal the
ones models/train.py recorded in models/<name>.json: test accuracy and count, train accuracy,
epochs, wall/train seconds and ONNX size. The README's numbers are copied; this keeps them true."""
import json
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
readme = open(os.path.join(root, "README.md")).read()
failed = 0
for name in ("lenet5", "convnet"):
    j = json.load(open(os.path.join(root, f"{name}.json")))
    want = [
        f"**{100 * j['fp32_test_accuracy']:.2f} %** ({j['fp32_test_correct']}/{j['test_size']})",
        f"| {name} | {j['epochs']} | {100 * j['fp32_test_accuracy']:.2f} % | "
        f"{100 * j['fp32_train_accuracy']:.2f} % | {j['train_seconds']:.1f} s | "
        f"{j['wall_seconds']:.1f} s | {j['onnx']['bytes']:,} bytes |",
    ]
    for text in want:
        ok = text in readme
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}: models/README.md states {text!r}")
print(f"{4 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
