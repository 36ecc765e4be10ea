"""Paper 002's Table 3 beside QSA: the Conv-16 ... Conv-128 MNIST networks (models/paper002/,
trained by models/train.py) encoded and run on the co-simulated accelerator, next to the
paper's CMSIS-NN, uTensor and TF-Micro figures measured on a Cortex-M4 board (nRF52840).
Called by bench/run_bench.py.
"""
import os

# Paper 002, Table 3 (MNIST), as printed: RAM bytes, flash bytes, time ms, energy mJ.
PAPER002 = {
    16: {"CMSIS-NN": (22788, 29724, 188, 5), "uTensor": (28544, 70712, 3034, 70),
         "TF-Micro": (60432, 159372, 973, 19)},
    32: {"CMSIS-NN": (47396, 40828, 597, 16), "uTensor": (42064, 70776, 10001, 231),
         "TF-Micro": (72640, 171580, 3218, 64)},
    64: {"CMSIS-NN": (110436, 76828, 2091, 57), "uTensor": (69104, 70840, 34960, 808),
         "TF-Micro": (110880, 209820, 11526, 228)},
    96: {"CMSIS-NN": (191908, 105336, 4495, 122), "uTensor": (100072, 70904, 76338, 1763),
         "TF-Micro": (167552, 266492, 24939, 494)},
    128: {"CMSIS-NN": (253042, 166470, 8445, 230), "uTensor": (123184, 70968, 138668, 3203),
          "TF-Micro": (242656, 341596, 43415, 860)},
}
# Stated clock for the latency column: an assumption, below the upper bound that docs/synthesis.md
# gives for qsa_top (default): ABC's 11.3 ns path in qsa_compute, about 89 MHz, typical corner,
# no wires, clock-to-Q or setup. Revisit when that path changes.
CLOCK_MHZ = 40
SIM_IMAGES = 10


def section(qsa, work, run, load, root):
    out = ["## Paper 002, Table 3: the accelerator beside CMSIS-NN, uTensor and TF-Micro\n",
           "Paper 002's MNIST networks (Sec. 4.3: conv 3×3 + ReLU, max-pool, conv 3×3 + ReLU, "
           "max-pool, dense; Conv-K has K kernels per conv; parameter counts equal Table 2's), "
           "trained here by `models/train.py convK --out models/paper002`, encoded with the "
           "defaults (`qsa encode models/paper002/convK.onnx -o X.qsa`: 3-bit, φ = 4, N = 16, "
           "optimal mode), accuracy on the bit-exact reference model over the whole "
           "`mnist:test` split (`qsa infer`), cycles and energy from the co-simulated RTL over "
           f"the first {SIM_IMAGES} images (`qsa sim X.qsa --data mnist:test --limit "
           f"{SIM_IMAGES}`: every layer checked bit-exact). Latency assumes a {CLOCK_MHZ} MHz "
           "clock, below the clock bound that docs/synthesis.md gives for `qsa_top` from ABC's "
           "delay (no wires, clock-to-Q or setup). On-chip memory is the build's buffers and "
           "PE stores; model size is the .qsa file (codes, α's, biases, descriptors). Energy "
           "(horowitz45) counts DRAM, on-chip buffer and arithmetic energy only: no leakage, "
           "clock tree or control.\n",
           "**Not like for like:** paper 002's figures are measured on a Cortex-M4 board "
           "(nRF52840 at 64 MHz, the whole MCU's current at 3.3 V); ours are simulated cycles "
           "and a per-operation energy model of an accelerator.\n",
           "| network | accuracy (QSA, ref. model) | cycles / image | latency | on-chip memory | model size | DRAM energy | total energy | CMSIS-NN RAM / flash / time / energy | uTensor | TF-Micro |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for k in sorted(PAPER002):
        onnx = f"models/paper002/conv{k}.onnx"
        q = f"{work}/p002_conv{k}.qsa"
        run([qsa, "encode", onnx, "-o", q, "--json", f"{work}/p002_conv{k}_encode.json"], [])
        run([qsa, "infer", q, "--data", "mnist:test", "--threads", "2", "--json",
             f"{work}/p002_conv{k}_infer.json"], [])
        run([qsa, "sim", q, "--data", "mnist:test", "--limit", str(SIM_IMAGES), "--json",
             f"{work}/p002_conv{k}_sim.json"], [])
        ref = load(f"{work}/p002_conv{k}_infer.json")
        sim = load(f"{work}/p002_conv{k}_sim.json")
        size = os.path.getsize(os.path.join(root, q))
        lat_ms = sim["cycles"] / (CLOCK_MHZ * 1e3)
        cells = []
        for fw in ("CMSIS-NN", "uTensor", "TF-Micro"):
            ram, flash, ms, mj = PAPER002[k][fw]
            cells.append(f"{ram:,} B / {flash:,} B / {ms:,} ms / {mj} mJ")
        out.append(
            f"| Conv-{k} | {100 * ref['accuracy']:.2f} % | {sim['cycles']:,.0f} | {lat_ms:.3f} ms "
            f"| {sim['array']['on_chip_bytes']:,} B | {size:,} B "
            f"| {sim['energy_pj']['dram'] / 1e6:.3f} µJ | {sim['energy_pj']['total'] / 1e6:.3f} µJ "
            f"| " + " | ".join(cells) + " |")
    out.append("")
    out.append("Paper 002's accuracies (Table 2, Keras fp32): 0.97, 0.98, 0.98, 0.99, 0.99.\n")
    return out
