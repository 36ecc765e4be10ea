#!/usr/bin/python3
"""The iCE40 flow of the synthesis reports (issue 6, flow c): LUTs and placed-and-routed Fmax.

The sky130 delays of synth/run_synth.py are ABC's estimates without wires. This flow places and
routes the PE comparison and the multipliers on a real FPGA, so its Fmax includes routing:
  resources  `synth_ice40 -top TOP` of the block alone (Yosys's iCE40 flow: LUT4s, carry
             cells, flip-flops; flattened), then `stat`;
  Fmax       the block inside a generated wrapper that registers every input and output port
             (OUT/NAME.wrap.sv), so every path of the block runs from a flip-flop to a flip-flop,
             `synth_ice40 -top ice40_wrap -json`, then `nextpnr-ice40 --hx8k --package ct256`
             once per seed; the Fmax is nextpnr's for the clock (flip-flop to flip-flop, with
             placement and routing), its critical path named by the cells at either end.
iCE40 HX8K: 7,680 logic cells (a LUT4, a carry and a flip-flop each), no multiplier blocks, so
the conventional PE's multipliers are LUTs, as its sky130 multipliers are gates.

  synth/run_ice40.py [--out build/synth] [--only REGEX] [--seeds N] [--list]
  synth/run_ice40.py --self-test --out DIR   # ctest synth.ice40.parse: a tiny block, checked

Writes OUT/ice40/NAME.* (scripts, logs, nextpnr reports) and OUT/ice40.json; synth/report.py
renders its section of docs/synthesis.md from that JSON.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

import run_synth  # the source lists of the sky130 jobs: both flows synthesize the same RTL

ROOT = run_synth.ROOT
DEVICE = ["--hx8k", "--package", "ct256"]
DEVICE_NAME = "iCE40HX8K (ct256)"
DEVICE_LCS, DEVICE_RAMS = 7680, 32  # logic cells (LUT4 + carry + flip-flop) and 4 kbit RAMs
# The placer's timing target. Above what any block here reaches, so placement is timing-driven
# throughout; --timing-allow-fail because missing it is the expected outcome, not an error.
TARGET_MHZ = 100
PASS_PORTS = ("clk_i", "rst_ni")  # passed straight to the block, not registered


# The sky130 jobs placed and routed here, as run_synth.py defines them (same sources and
# parameters), with what each is.
SKY130_JOBS = {
    "qsa_pe_datapath_L8": "QSA PE datapath, 8 lanes (the sky130 comparison's block)",
    "conv_pe_L8": "conventional int8 PE, 8 lanes",
    "qsa_qs_mult": "quality-scalable multiplier, runtime k",
    "exact_mult": "exact x * α, the same widths",
}


def jobs():
    sky = {j["name"]: j for j in run_synth.jobs()}
    res = [dict(sky[n], note=note) for n, note in SKY130_JOBS.items()]
    if any(j["blackbox"] for j in res):  # read_lines reads sources only
        raise SystemExit("run_ice40: a job with black boxes cannot be placed")
    # The whole accelerator at its smallest, its memories included (block RAMs): resources
    # only, if it does not fit the device.
    res.append(run_synth.job("qsa_top_tiny", "qsa_top", run_synth.TOP_SOURCES + run_synth.MEM,
                             {"Pes": 1, "Lanes": 4, "VecRows": 16, "ActHalfBytes": 1024,
                              "OutHalfBytes": 512},
                             note="qsa_top, 1 PE × 4 lanes, 16 vector rows, 1 KiB / 512 B "
                                  "buffer halves"))
    return res


def run(cmd, log, what):
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:])
        raise SystemExit(f"run_ice40: {what} failed (see {log})")
    return p.stdout


def read_lines(j):
    lines = ["read_verilog -sv " + " ".join(j["sources"])]
    for k, v in j["params"].items():
        lines.append(f"chparam -set {k} {v} {j['top']}")
    return lines


def ports(j, base, yosys):
    """The block's ports, from Yosys: [(name, "input"|"output", width)] in declaration order."""
    path = base + ".ports.json"
    script = read_lines(j) + [f"hierarchy -check -top {j['top']}", "proc",
                              f"write_json {path}"]
    with open(base + ".ports.ys", "w") as f:
        f.write("\n".join(script) + "\n")
    run([yosys, "-q", "-l", base + ".ports.log", "-s", base + ".ports.ys"], base + ".ports.log",
        f"port discovery of {j['name']}")
    with open(path) as f:
        mods = json.load(f)["modules"]
    tops = [m for m in mods.values() if m.get("attributes", {}).get("top")]
    if len(tops) != 1:
        raise SystemExit(f"run_ice40: {path}: {len(tops)} top modules, expected 1")
    res = []
    for name, p in tops[0]["ports"].items():
        if p["direction"] not in ("input", "output"):
            raise SystemExit(f"run_ice40: {j['top']}.{name}: {p['direction']} port unsupported")
        res.append((name, p["direction"], len(p["bits"])))
    return res


def wrapper(j, plist):
    """SystemVerilog of ice40_wrap: the block with a flip-flop on every input and output."""
    decl, regs, conns = [], [], []
    for name, d, w in plist:
        rng = f"[{w - 1}:0] " if w > 1 else ""
        decl.append(f"  {d} logic {rng}{name}")
        if name in PASS_PORTS:
            conns.append(f"    .{name}({name})")
            continue
        regs.append(f"  logic {rng}{name}_q;")
        if d == "input":
            regs.append(f"  always_ff @(posedge clk_i) {name}_q <= {name};")
            conns.append(f"    .{name}({name}_q)")
        else:
            regs.append(f"  logic {rng}{name}_d;")
            regs.append(f"  always_ff @(posedge clk_i) {name}_q <= {name}_d;")
            regs.append(f"  assign {name} = {name}_q;")
            conns.append(f"    .{name}({name}_d)")
    if not any(n == "clk_i" for n, _, _ in plist):
        decl.insert(0, "  input logic clk_i")
    params = ", ".join(f".{k}({v})" for k, v in j["params"].items())
    inst = f"  {j['top']} " + (f"#({params}) " if params else "") + "u_dut (\n"
    return (f"// Generated by synth/run_ice40.py (job {j['name']}): {j['top']} with a flip-flop on\n"
            "// every input and output, so that nextpnr's Fmax covers all of its paths.\n"
            "module ice40_wrap (\n" + ",\n".join(decl) + "\n);\n" + "\n".join(regs) + "\n"
            + inst + ",\n".join(conns) + "\n  );\nendmodule\n")


def cell_summary(st):
    t = st["cell_types"]
    if not st.get("cells"):
        raise SystemExit("run_ice40: no cell count in the stat output")
    unknown = sorted(k for k in t if not k.startswith("SB_"))
    if unknown:
        raise SystemExit(f"run_ice40: unmapped cells after synth_ice40: {unknown}")
    return {"lut4": t.get("SB_LUT4", 0), "carry": t.get("SB_CARRY", 0),
            "dff": sum(v for k, v in t.items() if k.startswith("SB_DFF")),
            "ram": sum(v for k, v in t.items() if k.startswith("SB_RAM")),
            "cells": st["cells"], "cell_types": t}


def parse_report(path):
    """Fmax (MHz), logic cells used and the critical path's two ends of one nextpnr report."""
    with open(path) as f:
        r = json.load(f)
    fmax = r.get("fmax", {})
    if len(fmax) != 1:
        raise SystemExit(f"run_ice40: {path}: {len(fmax)} clocks, expected 1")
    (clock, f_), = fmax.items()
    path_ends, levels = None, None
    for cp in r.get("critical_paths", []):
        if cp["from"].startswith("posedge") and cp["to"].startswith("posedge") and cp["path"]:
            nets = [e["net"] for e in cp["path"] if e.get("net")]
            # From the net the first flip-flop drives to the cell the last one is packed with.
            path_ends = [nets[0] if nets else cp["path"][0]["from"]["cell"],
                         cp["path"][-1]["to"]["cell"]]
            levels = sum(1 for e in cp["path"] if e.get("type") == "logic")
    lc = r.get("utilization", {}).get("ICESTORM_LC", {})
    return {"fmax_mhz": f_["achieved"], "clock": clock, "lc_used": lc.get("used"),
            "critical_path": path_ends, "logic_levels": levels}


def synth_ice40(yosys, base, read, top, what, json_out=False):
    """One Yosys run, BASE.ys (log BASE.log): READ, then `synth_ice40 -top TOP` (with
    `-json BASE.json` for nextpnr if json_out), then `stat` into BASE.stat; its cell summary."""
    script = read + [f"hierarchy -check -top {top}",
                     f"synth_ice40 -top {top}" + (f" -json {base}.json" if json_out else ""),
                     f"tee -q -o {base}.stat stat"]
    with open(base + ".ys", "w") as f:
        f.write("\n".join(script) + "\n")
    run([yosys, "-q", "-l", base + ".log", "-s", base + ".ys"], base + ".log", what)
    with open(base + ".stat") as f:
        return cell_summary(run_synth.parse_stat(f.read()))


def run_job(j, out, seeds, yosys, nextpnr):
    base = os.path.join(out, j["name"])
    t0 = time.time()
    # Resources of the block alone.
    res = synth_ice40(yosys, base, read_lines(j), j["top"], f"synth_ice40 of {j['name']}")
    res.update({k: j[k] for k in ("top", "params", "sources", "note")})
    res.update({"device": DEVICE_NAME, "lc_available": DEVICE_LCS,
                "yosys": run([yosys, "-V"], base + ".log", "yosys -V").strip(),
                "nextpnr": nextpnr_version(nextpnr, base + ".log")})
    # A logic cell holds one LUT4 and one flip-flop: more of either than the device has cells
    # (or more RAMs than it has) cannot be placed, and nextpnr would only say so.
    res["fits"] = max(res["lut4"], res["dff"]) <= DEVICE_LCS and res["ram"] <= DEVICE_RAMS
    if not res["fits"]:
        res["seconds"] = round(time.time() - t0, 1)
        return res
    # Fmax of the block between flip-flops.
    plist = ports(j, base, yosys)
    with open(base + ".wrap.sv", "w") as f:
        f.write(wrapper(j, plist))
    wrapped = synth_ice40(yosys, base + ".wrap",
                          [f"read_verilog -sv {' '.join(j['sources'])} {base}.wrap.sv"],
                          "ice40_wrap", f"synth_ice40 of {j['name']}'s wrapper", json_out=True)
    runs = []
    for s in range(1, seeds + 1):
        rep, log = f"{base}.pnr{s}.json", f"{base}.pnr{s}.log"
        run([nextpnr, *DEVICE, "--json", base + ".wrap.json", "--freq", str(TARGET_MHZ),
             "--timing-allow-fail", "--seed", str(s), "--report", rep, "-q", "-l", log],
            log, f"nextpnr-ice40 of {j['name']} (seed {s})")
        runs.append(dict(parse_report(rep), seed=s))
    f = [r["fmax_mhz"] for r in runs]
    best = max(runs, key=lambda r: r["fmax_mhz"])
    res.update({"nextpnr_args": DEVICE + ["--freq", str(TARGET_MHZ), "--timing-allow-fail"],
                "seeds": seeds, "runs": runs, "fmax_mhz_median": statistics.median(f),
                "fmax_mhz_min": min(f), "fmax_mhz_max": max(f),
                "critical_path_best": best["critical_path"],
                "logic_levels_best": best["logic_levels"],
                "wrapped_lc_used": best["lc_used"],
                "wrapper_ffs": sum(w for n, _, w in plist if n not in PASS_PORTS),
                "wrapped_dff": wrapped["dff"],
                "script": os.path.relpath(base + ".ys", ROOT),
                "wrap_script": os.path.relpath(base + ".wrap.ys", ROOT),
                "seconds": round(time.time() - t0, 1)})
    return res


def net_of(name):
    """The signal of a nextpnr cell or net name: `u_dut.s2_alpha_q_SB_LUT4_I1_6_LC` and
    `u_dut.s2_alpha_q[1]` -> `s2_alpha_q` (the wrapper's instance prefix dropped)."""
    if not name:
        return "?"
    name = re.sub(r"\[\d+\]$", "", name.split("_SB_")[0])
    return name[len("u_dut."):] if name.startswith("u_dut.") else name


def markdown(ice, sky):
    """The iCE40 section of docs/synthesis.md from OUT/ice40.json (and the sky130 results, for
    the side-by-side ratios). Every number comes from the two JSON files."""
    o = []
    w = o.append
    placed = {n: r for n, r in ice.items() if r.get("fits", True)}
    if not placed:
        return ""
    any_r = next(iter(placed.values()))
    seeds = any_r["seeds"]
    w("## iCE40: placed and routed (flow c)\n")
    w("The sky130 delays above are ABC's estimates without wires. Here the same blocks are "
      f"synthesized for an {any_r['device']} FPGA and placed and routed, so the Fmax includes "
      "routing and the flip-flops' clock-to-Q and setup (`synth/run_ice40.py`, run by "
      f"`make synth`; {any_r['yosys']}, {any_r['nextpnr']}).")
    w("- **Resources**: `synth_ice40 -top TOP` of the block alone (flattened), `stat`. A logic "
      "cell holds one LUT4, one carry and one flip-flop; the HX8K has no multiplier blocks, so "
      "the conventional PE's multipliers are LUTs, as its sky130 multipliers are gates.")
    w("- **Fmax**: the block inside a generated wrapper that puts a flip-flop on every input and "
      "output port (`build/synth/ice40/<job>.wrap.sv`), so every path of the block runs from a "
      "flip-flop to a flip-flop; `synth_ice40 -top ice40_wrap -json`, then `nextpnr-ice40 "
      f"{' '.join(any_r['nextpnr_args'])} --seed S` for S = 1..{seeds} (the {TARGET_MHZ} MHz "
      "target keeps placement timing-driven; every block misses it). Fmax is nextpnr's for the "
      "clock; the table gives the median and the range over the seeds. The critical path is "
      "the best seed's: the signal its first flip-flop drives, the signal of the logic cell it ends in (a flip-flop shares its cell with the LUT feeding it), and the logic cells (LUTs and carries) on the way.\n")
    w("| block | LUT4 | carries | flip-flops | logic cells, wrapped and placed | Fmax median (MHz) "
      "| Fmax range (MHz) | critical path (best seed) | sky130 delay (ps) |")
    w("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    order = [j["name"] for j in jobs()]
    for n in sorted(placed, key=lambda n: (order.index(n) if n in order else len(order), n)):
        r = ice[n]
        cp = r.get("critical_path_best") or [None, None]
        sd = sky.get(n, {}).get("sky130", {}).get("delay_ps")
        w(f"| `{n}`: {r['note']} | {r['lut4']:,} | {r['carry']:,} | {r['dff']:,} | "
          f"{r['wrapped_lc_used']:,} of {r['lc_available']:,} | {r['fmax_mhz_median']:.1f} | "
          f"{r['fmax_mhz_min']:.1f}–{r['fmax_mhz_max']:.1f} | `{net_of(cp[0])}` → "
          f"`{net_of(cp[1])}`, {r.get('logic_levels_best', '?')} cells | "
          f"{'—' if sd is None else f'{sd:,.0f}'} |")
    w("")
    q, c = ice.get("qsa_pe_datapath_L8"), ice.get("conv_pe_L8")
    if q and c:
        qa = sky.get("qsa_pe_datapath_L8", {}).get("sky130", {}).get("area_um2")
        ca = sky.get("conv_pe_L8", {}).get("sky130", {}).get("area_um2")
        area = f" (sky130 area: {100 * qa / ca:.1f} %)" if qa and ca else ""
        w(f"At L = 8 the QSA datapath takes {100 * q['lut4'] / c['lut4']:.1f} % of the "
          f"conventional PE's LUT4s{area}, and reaches {q['fmax_mhz_median']:.1f} MHz against "
          f"{c['fmax_mhz_median']:.1f} MHz (medians).\n")
    m, e = ice.get("qsa_qs_mult"), ice.get("exact_mult")
    if m and e:
        k0 = sky.get("qs_mult_k0", {}).get("sky130", {}).get("delay_ps")
        rk = sky.get("qsa_qs_mult", {}).get("sky130", {}).get("delay_ps")
        ex = sky.get("exact_mult", {}).get("sky130", {}).get("delay_ps")
        tail = ""
        if k0 and rk and ex:
            tail = (f" The sky130 delays of the same multipliers: {rk:,.0f} ps at runtime k, "
                    f"{k0:,.0f} ps with k tied to 0 (the top-k selection folded away), "
                    f"{ex:,.0f} ps exact.")
        w(f"The runtime-k multiplier alone reaches {m['fmax_mhz_median']:.1f} MHz and the exact "
          f"multiplier of the same widths {e['fmax_mhz_median']:.1f} MHz ({m['lut4']:,} against "
          f"{e['lut4']:,} LUT4s).{tail}\n")
    for n, r in sorted(ice.items()):
        if not r.get("fits", True):
            ps = ", ".join(f"{k}={v}" for k, v in r["params"].items())
            w(f"`{n}` ({r['note']}; `{r['top']}` with {ps}) does not fit: `synth_ice40` gives "
              f"{r['lut4']:,} LUT4s, {r['dff']:,} flip-flops and {r['ram']:,} RAMs of 4 kbit, "
              f"against the device's {r['lc_available']:,} logic cells and {DEVICE_RAMS} RAMs, "
              "so it is not placed.\n")
    w("")
    return "\n".join(o)


def nextpnr_version(nextpnr, log):
    """`nextpnr-ice40 0.4-1+b1` from `--version`'s "... (Version 0.4-1+b1)"."""
    text = run([nextpnr, "--version"], log, "nextpnr-ice40 --version")
    m = re.search(r"\(Version ([^)]+)\)", text)
    return f"nextpnr-ice40 {m.group(1)}" if m else text.strip().splitlines()[-1]


def self_test(out, yosys, nextpnr):
    """A 1-lane qsa_decoder through the whole flow; what the parsers read is checked."""
    os.makedirs(out, exist_ok=True)
    j = run_synth.job("self_test_decoder", "qsa_decoder", run_synth.PKG + ["rtl/qsa_decoder.sv"],
                      {"Lanes": 1})
    r = run_job(j, out, 2, yosys, nextpnr)
    fails = []
    if not r["lut4"]:
        fails.append("synth_ice40: no SB_LUT4 counted")
    if r["lut4"] + r["carry"] + r["dff"] + r["ram"] > r["cells"]:
        fails.append("cell classes add up to more than the cell count")
    widths = r["wrapper_ffs"]
    if widths != 9:  # qsa_decoder with Lanes=1: code_i, bits3_i; zero_o, neg_o, shift_o, reserved_o
        fails.append(f"wrapper: {widths} port bits registered, the block has 9")
    if r["wrapped_dff"] != r["dff"] + widths:
        fails.append(f"wrapped design: {r['wrapped_dff']} flip-flops, expected the block's "
                     f"{r['dff']} and the wrapper's {widths}")
    if r["wrapped_lc_used"] is None or r["wrapped_lc_used"] < widths:
        fails.append(f"nextpnr: {r['wrapped_lc_used']} logic cells for {widths} flip-flops")
    if not all(0 < x["fmax_mhz"] < 2000 for x in r["runs"]) or len(r["runs"]) != 2:
        fails.append(f"nextpnr: Fmax {[x['fmax_mhz'] for x in r['runs']]}")
    if not r["critical_path_best"] or len(r["critical_path_best"]) != 2:
        fails.append("nextpnr: no flip-flop to flip-flop critical path")
    if not r["fmax_mhz_min"] <= r["fmax_mhz_median"] <= r["fmax_mhz_max"]:
        fails.append("Fmax summary out of order")
    return run_synth.self_test_verdict({k: v for k, v in r.items() if k != "cell_types"}, fails)


def main():
    ap = run_synth.job_args(__doc__)
    ap.add_argument("--seeds", type=int, default=5, help="nextpnr placements per job (1..50)")
    ap.add_argument("--nextpnr", default="nextpnr-ice40")
    ap.add_argument("--self-test", action="store_true",
                    help="run one tiny block through the flow and check what the parsers read")
    a = ap.parse_args()
    a.out = os.path.abspath(a.out)  # the tools run in ROOT
    if not 1 <= a.seeds <= 50:
        ap.error(f"--seeds {a.seeds}: must be 1..50")
    for tool in (a.yosys, a.nextpnr):
        if subprocess.run(["sh", "-c", f'command -v "{tool}"'], stdout=subprocess.DEVNULL).returncode:
            sys.exit(f"run_ice40: {tool} not found (scripts/setup.sh installs it)")
    if a.self_test:
        return self_test(a.out, a.yosys, a.nextpnr)
    todo = [j for j in jobs() if not a.only or re.search(a.only, j["name"])]
    if a.list:
        for j in todo:
            print(j["name"], j["top"], j["params"])
        return 0
    if not todo:
        sys.exit(f"run_ice40: no job matches --only {a.only!r}")
    out = os.path.join(a.out, "ice40")
    os.makedirs(out, exist_ok=True)
    rpath = os.path.join(a.out, "ice40.json")
    results = {}
    if os.path.exists(rpath):
        with open(rpath) as f:
            results = json.load(f)
    for j in todo:
        print(f"run_ice40: {j['name']} ...", flush=True)
        r = results[j["name"]] = run_job(j, out, a.seeds, a.yosys, a.nextpnr)
        with open(rpath + ".tmp", "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
        os.replace(rpath + ".tmp", rpath)
        fmax = (f"Fmax {r['fmax_mhz_median']:.1f} MHz (median of {a.seeds})" if r["fits"]
                else f"does not fit the {DEVICE_NAME}, not placed")
        print(f"run_ice40: {j['name']}: {r['lut4']} LUT4, {r['carry']} carries, {r['dff']} "
              f"flip-flops, {r['ram']} RAMs, {fmax}, {r['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
