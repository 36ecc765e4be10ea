#!/usr/bin/python3
"""Fine-tune only the fully-connected layers of a shipped model with its convolution layers
frozen at their quantized (deployed) values, as in paper 004's Table III, and export ONNX.

    /usr/bin/python3 models/finetune.py lenet5 --weights W.json --epochs 5 --out FT.onnx

W.json is `qsa inspect OUT.qsa --weights W.json` of the encoded model: its conv layers'
deployed weights replace the float ones and are frozen (weights and biases); the FC layers
start from the shipped float weights (models/<name>.onnx) and train on the training split
with the recipe's augmentation, Adam, cosine decay. The result is meant to be re-encoded
(`qsa encode FT.onnx`) and measured on the bit-exact reference model, not in torch.
Deterministic like models/train.py. Writes FT.onnx and FT.json (settings, torch accuracy).
"""
import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train  # noqa: E402  (the recipes, data loading, export)


def load_onnx_weights(model, path):
    """The shipped float weights: ONNX initializers named like the torch parameters."""
    init = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}
    state = model.state_dict()
    missing = [k for k in state if k not in init]
    if missing:
        sys.exit(f"finetune: {path} has no initializer for {missing}")
    for k in state:
        if tuple(init[k].shape) != tuple(state[k].shape):
            sys.exit(f"finetune: {path}: {k} is {init[k].shape}, the model wants {tuple(state[k].shape)}")
        state[k] = torch.from_numpy(np.array(init[k], dtype=np.float32))
    model.load_state_dict(state)


def freeze_deployed_convs(model, weights_path):
    """Conv weights := the deployed ones ([o][r][s][c] -> [o][c][r][s]); conv layers frozen."""
    with open(weights_path) as f:
        deployed = json.load(f)["layers"]
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    dconvs = [l for l in deployed if l["kind"] == "conv"]
    if len(convs) != len(dconvs):
        sys.exit(f"finetune: {weights_path} has {len(dconvs)} conv layers, the model {len(convs)}")
    for conv, l in zip(convs, dconvs):
        o, r, s, c = l["shape"]
        w = np.array(l["weights"], dtype=np.float32).reshape(o, r, s, c).transpose(0, 3, 1, 2)
        if tuple(conv.weight.shape) != w.shape:
            sys.exit(f"finetune: layer {l['index']}: deployed {w.shape} vs model "
                     f"{tuple(conv.weight.shape)}")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
        for p in conv.parameters():
            p.requires_grad_(False)
    return len(convs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", choices=sorted(train.RECIPES))
    ap.add_argument("--weights", required=True, help="qsa inspect --weights JSON")
    ap.add_argument("--onnx", default=None, help="float model (default: models/<model>.onnx)")
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--out", required=True, help="output .onnx")
    ap.add_argument("--seed", type=int, default=train.SEED)
    a = ap.parse_args(argv)
    if a.epochs < 1:
        sys.exit("finetune: --epochs must be >= 1")
    r = train.RECIPES[a.model]
    src = a.onnx or os.path.join(HERE, f"{a.model}.onnx")
    train.set_determinism(a.seed)
    xtr_u8, ytr_u8 = train.qsa_data.load(r["dataset"], "train")
    xte_u8, yte_u8 = train.qsa_data.load(r["dataset"], "test")
    xtr, ytr = train.to_tensor(xtr_u8), torch.from_numpy(ytr_u8.astype(np.int64))
    xte, yte = train.to_tensor(xte_u8), torch.from_numpy(yte_u8.astype(np.int64))
    ntr = xtr.shape[0]

    model = r["build"]()
    load_onnx_weights(model, src)
    frozen = freeze_deployed_convs(model, a.weights)
    params = [p for p in model.parameters() if p.requires_grad]
    before = train.evaluate(model, xte, yte) / xte.shape[0]
    print(f"finetune {a.model}: {frozen} conv layers frozen at their deployed weights; "
          f"{sum(p.numel() for p in params)} trainable FC parameters; {a.epochs} epochs, "
          f"Adam lr {a.lr} cosine; torch accuracy before {before:.4f}", flush=True)

    gen = torch.Generator().manual_seed(a.seed)
    opt = torch.optim.Adam(params, lr=a.lr)
    steps = a.epochs * math.ceil(ntr / r["batch"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    t0 = time.time()
    for ep in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(ntr, generator=gen)
        loss_sum = 0.0
        for i in range(0, ntr, r["batch"]):
            idx = perm[i:i + r["batch"]]
            xb = train.augment(xtr[idx], gen, r["rot_deg"], r["shift_px"], r["hflip"])
            loss = F.cross_entropy(model(xb), ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * idx.numel()
        print(f"epoch {ep:3d}/{a.epochs}  loss {loss_sum / ntr:.4f}", flush=True)
    after = train.evaluate(model, xte, yte) / xte.shape[0]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    ops = train.export_onnx(model, a.out)
    info = {"model": a.model, "source": src, "deployed_weights": a.weights,
            "epochs": a.epochs, "lr": a.lr, "seed": a.seed, "frozen_conv_layers": frozen,
            "torch_test_accuracy_before": round(before, 5),
            "torch_test_accuracy_after": round(after, 5),
            "seconds": round(time.time() - t0, 1), "onnx_ops": sorted(set(ops)),
            "command": " ".join(["/usr/bin/python3", "models/finetune.py"] + (argv or sys.argv[1:]))}
    train.atomic_write_text(os.path.splitext(a.out)[0] + ".json", json.dumps(info, indent=2) + "\n")
    print(f"torch accuracy after {after:.4f}; wrote {a.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
