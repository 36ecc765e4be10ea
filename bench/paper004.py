"""Paper 004's experiments reproduced with the qsa tool (issue: "Reproduce paper 004's
results"): Table III with FC-only fine-tuning, Fig. 7 (accuracy against phi), Fig. 8-10 (the
ConvNet's vector-length and bit-width design space, per-layer quantization) and the quality
knob k. Called by bench/run_bench.py; every number comes from a command it runs, and the
command is written next to it. Plots are SVG files in docs/figures/ (python3-matplotlib).
"""
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.hashsalt"] = "qsa"  # reproducible SVG ids

PAPER = {  # paper 004's own figures, as printed (Table III, Sec. IV, conclusion)
    "lenet_fp32": 98.68, "lenet_quant": 97.59, "lenet_ft5": 98.35, "lenet_ft20": 98.55,
    "lenet_memory": 82.49,
    "convnet_3bit": (73.28, 88.82), "convnet_2bit": (68.47, 91.95),
}
# The ConvNet sweeps use the first CONVNET_IMAGES test images (the full 10,000 take ~1 min a
# run on two cores); LeNet-5 runs use its whole test split.
CONVNET_IMAGES = 2000


class Runner:
    def __init__(self, qsa, work, run, load, root):
        self.qsa, self.work, self.run, self.load, self.root = qsa, work, run, load, root
        self.figures = os.path.join(root, "docs", "figures")
        os.makedirs(self.figures, exist_ok=True)

    def encode(self, onnx, name, *opts, calib="mnist:train"):
        out = f"{self.work}/{name}.qsa"
        cmd = [self.qsa, "encode", onnx, "-o", out, "--calib", calib,
               "--json", f"{self.work}/{name}_encode.json", *opts]
        self.run(cmd, [])
        return out, cmd, self.load(f"{self.work}/{name}_encode.json")

    def infer(self, model, name, data, *opts, limit=0):
        cmd = [self.qsa, "infer", model, "--data", data, "--threads", "2",
               "--json", f"{self.work}/{name}.json", *opts]
        if limit:
            cmd += ["--limit", str(limit)]
        self.run(cmd, [])
        return cmd, self.load(f"{self.work}/{name}.json")

    def fp32(self, onnx, name, data, *opts, limit=0):
        cmd = [self.qsa, "infer", "--fp32", onnx, "--data", data, "--threads", "2",
               "--json", f"{self.work}/{name}.json", *opts]
        if limit:
            cmd += ["--limit", str(limit)]
        self.run(cmd, [])
        return cmd, self.load(f"{self.work}/{name}.json")

    def save(self, fig, name):
        path = os.path.join(self.figures, name)
        fig.savefig(path, format="svg", metadata={"Date": None})
        plt.close(fig)
        return f"figures/{name}"


def pct(x):
    return f"{100.0 * x:.2f} %"


def energy_saving(enc):
    """DRAM energy of moving the deployed weights once, saved against fp32 (paper 004's
    'energy saving'; proportional to the bits moved, so equal to the memory saving)."""
    return enc["total"]["weight_dram_energy_saving"]


def table3(r):
    """Table III: LeNet-5 fp32, quantized without retraining, and after 5 / 20 epochs of
    fine-tuning only the FC layers with the conv layers frozen at their quantized values."""
    lines = ["## Paper 004, Table III: LeNet-5 on MNIST, with FC-only fine-tuning\n"]
    fcmd, fp = r.fp32("models/lenet5.onnx", "t3_fp32", "mnist:test")
    rows = [("fp32", fp["accuracy"], None, " ".join(fcmd), PAPER["lenet_fp32"])]
    for mode in ("paper", "optimal"):
        q, ecmd, enc = r.encode("models/lenet5.onnx", f"t3_{mode}", "--mode", mode)
        icmd, res = r.infer(q, f"t3_{mode}_infer", "mnist:test")
        rows.append((f"{mode} mode, no retraining", res["accuracy"], res["compression"],
                     " ".join(ecmd) + " && " + " ".join(icmd), PAPER["lenet_quant"]))
        wjson = f"{r.work}/t3_{mode}_weights.json"
        r.run([r.qsa, "inspect", q, "--weights", wjson], [])
        for epochs, paper in ((5, PAPER["lenet_ft5"]), (20, PAPER["lenet_ft20"])):
            onnx = f"{r.work}/t3_{mode}_ft{epochs}.onnx"
            tcmd = ["/usr/bin/python3", "models/finetune.py", "lenet5", "--weights", wjson,
                    "--epochs", str(epochs), "--out", onnx]
            r.run(tcmd, [])
            fq, fecmd, _ = r.encode(onnx, f"t3_{mode}_ft{epochs}", "--mode", mode,
                                    "--freeze", f"{q}:0,1")
            ficmd, fres = r.infer(fq, f"t3_{mode}_ft{epochs}_infer", "mnist:test")
            rows.append((f"{mode} mode, {epochs} epochs FC-only fine-tuning", fres["accuracy"],
                         fres["compression"], " && ".join(
                             " ".join(c) for c in (tcmd, fecmd, ficmd)), paper))
    lines.append("Every quantized row is measured on the bit-exact reference model "
                 f"(`mnist:test`, {fp['images']} images). Fine-tuning (`models/finetune.py`, "
                 "torch) trains only fc1-fc3 with conv1-conv2 set to their deployed weights and "
                 "frozen; `qsa encode --freeze` keeps the conv layers' codes exactly and encodes "
                 "the tuned FC layers in the same mode.\n")
    lines.append("| configuration | accuracy | paper 004 | gap (points) | parameter memory saved | command |")
    lines.append("|---|---|---|---|---|---|")
    for name, acc, comp, cmd, paper in rows:
        lines.append(f"| {name} | {pct(acc)} | {paper:.2f} % | {100 * acc - paper:+.2f} | "
                     f"{pct(comp) if comp is not None else '—'} | `{cmd}` |")
    lines.append(f"\nPaper 004's parameter-memory reduction: {PAPER['lenet_memory']} %.\n")
    return lines


def fig7(r):
    """Fig. 7: accuracy against phi for both networks (3-bit codes, N = 16)."""
    lines = ["## Paper 004, Fig. 7: accuracy against φ\n",
             "3-bit codes, N = 16, orientation auto, k = 0. LeNet-5 on `mnist:test` (all images), "
             f"the ConvNet on the first {CONVNET_IMAGES} images of `fashion:test` (paper 004 used "
             "CIFAR-10; no registry here ships it). Commands: `qsa encode NET.onnx -o X.qsa --phi "
             "P --mode MODE --calib DATA:train` then `qsa infer X.qsa --data DATA:test`.\n",
             "| network | mode | φ = 1 | φ = 2 | φ = 4 |", "|---|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for net, data, limit in (("lenet5", "mnist", 0), ("convnet", "fashion", CONVNET_IMAGES)):
        for mode in ("paper", "optimal"):
            accs = []
            for phi in (1, 2, 4):
                q, _, _ = r.encode(f"models/{net}.onnx", f"f7_{net}_{mode}_p{phi}", "--phi",
                                   str(phi), "--mode", mode, calib=f"{data}:train")
                _, res = r.infer(q, f"f7_{net}_{mode}_p{phi}_infer", f"{data}:test", limit=limit)
                accs.append(100 * res["accuracy"])
            lines.append(f"| {net} | {mode} | " + " | ".join(f"{a:.2f} %" for a in accs) + " |")
            ax.plot([1, 2, 4], accs, marker="o", label=f"{net}, {mode}")
    ax.set_xscale("log", base=2)
    ax.set_xticks([1, 2, 4], ["1", "2", "4"])
    ax.set_xlabel("φ (levels ±1 … ±φ)")
    ax.set_ylabel("accuracy (%)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    lines.append(f"\n![accuracy against phi]({r.save(fig, 'fig7_phi.svg')})\n")
    return lines


def fig8_10(r):
    """Fig. 8-10 on the ConvNet: N in {2..64}, 2-bit against 3-bit; the design space; and
    quantizing one layer at a time."""
    lines = ["## Paper 004, Fig. 8-10: the ConvNet's design space\n",
             f"ConvNet on the first {CONVNET_IMAGES} images of `fashion:test`, optimal mode, "
             "orientation auto, k = 0; 3-bit codes with φ = 4, 2-bit (ternary) with φ = 1. "
             "*Energy saving* is paper 004's: the DRAM energy of moving the deployed weights "
             "once, against fp32 (horowitz45); DRAM energy is per byte, so it equals the memory "
             "saving. Commands: `qsa encode models/convnet.onnx -o X.qsa "
             "--bits B --vector N --calib fashion:train` then `qsa infer X.qsa --data "
             f"fashion:test --limit {CONVNET_IMAGES}` (at N = 2 and 4 with `--vec-rows 1024`: "
             "the 1600-input FC layer's 800 and 400 vectors per filter, and at N = 2 a 3×3×64 "
             "filter's 288, exceed the 256 a PE of the default build holds, so the RTL refuses "
             "those layers; the reference model runs them as a build with 1024).\n",
             "| bits | N | accuracy | parameter memory saved | energy saving | paper 004 |",
             "|---|---|---|---|---|---|"]
    pts = {2: [], 3: []}
    for bits in (3, 2):
        for n in (2, 4, 8, 16, 32, 64):
            q, _, enc = r.encode("models/convnet.onnx", f"f8_b{bits}_n{n}", "--bits", str(bits),
                                 "--vector", str(n), calib="fashion:train")
            # At N = 2 and 4 the ConvNet's 1600-input FC layer has 800 and 400 vectors per
            # filter (and at N = 2 a 3x3x64 filter 288), more than a PE of the default build
            # holds (256): the reference model runs them as a build with 1024.
            big = ("--vec-rows", "1024") if n < 8 else ()
            _, res = r.infer(q, f"f8_b{bits}_n{n}_infer", "fashion:test", *big,
                             limit=CONVNET_IMAGES)
            pts[bits].append((n, res["accuracy"], res["compression"], energy_saving(enc)))
            paper = PAPER["convnet_3bit" if bits == 3 else "convnet_2bit"]
            lines.append(f"| {bits} | {n} | {pct(res['accuracy'])} | {pct(res['compression'])} | "
                         f"{pct(energy_saving(enc))} | {paper[0]} % at {paper[1]} % saving (CIFAR-10) |")
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.3))
    for bits, p in pts.items():
        ns = [x[0] for x in p]
        axes[0].plot(ns, [100 * x[1] for x in p], marker="o", label=f"{bits}-bit")
        axes[1].plot(ns, [100 * x[2] for x in p], marker="o", label=f"{bits}-bit")
    for ax, yl in zip(axes, ("accuracy (%)", "parameter memory saved (%)")):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("vector length N")
        ax.set_ylabel(yl)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    lines.append(f"\n![ConvNet against N]({r.save(fig, 'fig8_convnet_n.svg')})\n")
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for bits, p in pts.items():
        ax.scatter([100 * x[3] for x in p], [100 * x[1] for x in p], label=f"{bits}-bit (ours)")
        for n, acc, _, es in p:
            ax.annotate(f"N={n}", (100 * es, 100 * acc), fontsize=6)
    for bits in (3, 2):
        acc, es = PAPER["convnet_3bit" if bits == 3 else "convnet_2bit"]
        ax.scatter([es], [acc], marker="x", label=f"paper 004, {bits}-bit (CIFAR-10)")
    ax.set_xlabel("DRAM energy saving of the weights (%)")
    ax.set_ylabel("accuracy (%)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    lines.append(f"![design space]({r.save(fig, 'fig10_design_space.svg')})\n")

    # Per-layer quantization: the float ConvNet with one layer's deployed weights.
    lines.append("### Quantizing one layer at a time\n")
    lines.append("The float ConvNet with only layer L's weights replaced by the deployed ones "
                 "(N = 16): `qsa infer --fp32 models/convnet.onnx --deployed X.qsa --layers L "
                 f"--data fashion:test --limit {CONVNET_IMAGES}`; activations stay float.\n")
    _, fp = r.fp32("models/convnet.onnx", "f9_fp32", "fashion:test", limit=CONVNET_IMAGES)
    lines.append(f"fp32: {pct(fp['accuracy'])}.\n")
    lines.append("| bits | " + " | ".join(f"layer {i}" for i in range(6)) + " |")
    lines.append("|---|" + "---|" * 6)
    bars = {}
    for bits in (3, 2):
        q = f"{r.work}/f8_b{bits}_n16.qsa"
        accs = []
        for layer in range(6):
            _, res = r.fp32("models/convnet.onnx", f"f9_b{bits}_l{layer}", "fashion:test",
                            "--deployed", q, "--layers", str(layer), limit=CONVNET_IMAGES)
            accs.append(res["accuracy"])
        bars[bits] = accs
        lines.append(f"| {bits} | " + " | ".join(pct(a) for a in accs) + " |")
    fig, ax = plt.subplots(figsize=(5, 3.3))
    w = 0.38
    for k, (bits, accs) in enumerate(bars.items()):
        ax.bar([i + (k - 0.5) * w for i in range(6)], [100 * a for a in accs], w,
               label=f"{bits}-bit")
    ax.axhline(100 * fp["accuracy"], color="k", lw=0.8, ls="--", label="fp32")
    ax.set_xticks(range(6), [f"L{i}" for i in range(6)])
    lo = min(min(a) for a in bars.values())
    ax.set_ylim(max(0, 100 * lo - 5), 100)
    ax.set_ylabel("accuracy (%)")
    ax.set_xlabel("the one quantized layer")
    ax.legend(fontsize=7)
    fig.tight_layout()
    lines.append(f"\n![per-layer quantization]({r.save(fig, 'fig9_per_layer.svg')})\n")
    return lines


def knob_k(r):
    """Accuracy and alpha-multiplier energy against k for both networks."""
    lines = ["## The quality knob k\n",
             "The same encoded models run with every layer's k overridden (`qsa infer X.qsa "
             "--k K`). The α-multiplier energy counts one 32-bit add (horowitz45: 0.1 pJ) per "
             "partial product (NAF digit used) per vector, per image. LeNet-5 on all of "
             f"`mnist:test`, the ConvNet on the first {CONVNET_IMAGES} images of `fashion:test`.\n",
             "| network | k | accuracy | partial products / image | α-multiplier energy / image | share of compute energy |",
             "|---|---|---|---|---|---|"]
    fig, ax = plt.subplots(1, 2, figsize=(8, 3.3))
    for net, data, limit in (("lenet5", "mnist", 0), ("convnet", "fashion", CONVNET_IMAGES)):
        q = f"{r.work}/f7_{net}_optimal_p4.qsa"
        accs, mult = [], []
        for k in (1, 2, 3, 4, 5, 0):
            _, res = r.infer(q, f"k_{net}_{k}", f"{data}:test", "--k", str(k), limit=limit)
            pp = res["stats"]["partial_products"] / res["images"]
            e_mult = pp * 0.1
            share = e_mult / res["energy_breakdown_pj"]["compute"]
            label = "0 (exact)" if k == 0 else str(k)
            lines.append(f"| {net} | {label} | {pct(res['accuracy'])} | {pp:,.0f} | "
                         f"{e_mult:,.1f} pJ | {pct(share)} |")
            accs.append(100 * res["accuracy"])
            mult.append(e_mult)
        ks = [1, 2, 3, 4, 5, 6]
        ax[0].plot(ks, accs, marker="o", label=net)
        ax[1].plot(ks, [m / mult[-1] for m in mult], marker="o", label=net)
    for a, yl in zip(ax, ("accuracy (%)", "α-multiplier energy / exact")):
        a.set_xticks([1, 2, 3, 4, 5, 6], ["1", "2", "3", "4", "5", "exact"])
        a.set_xlabel("k (NAF digits of α kept)")
        a.set_ylabel(yl)
        a.legend(fontsize=7)
        a.grid(alpha=0.3)
    fig.tight_layout()
    lines.append(f"\n![accuracy and multiplier energy against k]({r.save(fig, 'k_knob.svg')})\n")
    return lines


def sections(qsa, work, run, load, root):
    r = Runner(qsa, work, run, load, root)
    return table3(r) + fig7(r) + fig8_10(r) + knob_k(r)
