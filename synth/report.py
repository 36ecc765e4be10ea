#!/usr/bin/python3
"""Writes docs/synthesis.md from the JSON of `make synth` (issue 6). Nobody edits its output.

  synth/report.py --synth build/synth [-o docs/synthesis.md]

Reads SYNTH/results.json (synth/run_synth.py), SYNTH/qs_error.json (qsa_qs_error) and, if
present, SYNTH/activity.json (synth/activity.py; its section is rendered by activity.markdown from
the measured data, so a wording change needs no new simulation) and SYNTH/ice40.json
(synth/run_ice40.py; rendered by run_ice40.markdown). Every number in the page comes from them.
"""
import argparse
import json
import os
import sys

import activity  # its markdown(): the activity section, rendered from activity.json's data
import run_ice40  # its markdown(): the iCE40 section, from ice40.json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AREA_TARGET = 0.35      # issue 6: QSA PE <= 35 % of the conventional PE's sky130 area at L = 8
ACTIVITY_TARGET = 0.40  # issue 6: QSA PE activity per MAC <= 40 % of the conventional PE's
FIGURE = "qs_mult_error.svg"  # written to the figures/ folder beside the output page

# EvoApproxLib's 8-bit signed multipliers, the Pareto set for power and MAE, as published in the
# header comments of their C models (github.com/ehw-fit/evoapproxlib, folder
# multiplers/8x8_signed/pareto_pwr_mae/, commit d321f7f6; V. Mrazek et al., "Scalable
# Construction of Approximate Multipliers With Formally Guaranteed Worst Case Error", IEEE TVLSI
# 26(11), 2018). 45 nm PDK45. name: (MAE %, WCE %, EP %, MRE %, power mW, area µm²).
# mul8s_1KV8 is their exact multiplier.
EVOAPPROX_MUL8S = {
    "mul8s_1KV8": (0.00, 0.00, 0.00, 0.00, 0.425, 729.8),
    "mul8s_1KVA": (0.0018, 0.0076, 50.00, 0.28, 0.422, 711.0),
    "mul8s_1KVB": (0.0064, 0.026, 68.75, 0.90, 0.410, 685.2),
    "mul8s_1KR6": (0.051, 0.21, 74.80, 2.73, 0.363, 635.0),
    "mul8s_1L2H": (0.081, 0.39, 74.61, 4.41, 0.301, 558.9),
    "mul8s_1L2D": (0.23, 1.16, 93.16, 12.26, 0.200, 411.6),
    "mul8s_1L1G": (0.52, 2.66, 97.75, 27.44, 0.126, 284.9),
    "mul8s_1KR3": (3.08, 12.30, 98.05, 135.77, 0.052, 172.2),
}
EVOAPPROX_EXACT = "mul8s_1KV8"


def load(path, required=True):
    if not os.path.exists(path):
        if required:
            sys.exit(f"report: {path} missing (run `make synth`)")
        return None
    with open(path) as f:
        return json.load(f)


def fmt_int(v):
    return "—" if v is None else f"{v:,}"


def fmt_f(v, nd=0):
    return "—" if v is None else f"{v:,.{nd}f}"


def params(r):
    return ", ".join(f"{k}={v}" for k, v in r["params"].items()) or "defaults"


def row(name, r):
    g, c, s = r["generic"], r["cmos"], r["sky130"]
    tr = fmt_int(c.get("transistors")) + ("+" if c.get("transistors_lower_bound") else "")
    return (f"| `{name}` | {params(r)} | {fmt_int(g.get('cells'))} | {tr} | "
            f"{fmt_int(s.get('cells'))} | {fmt_f(s.get('area_um2'))} | "
            f"{fmt_f(s.get('delay_ps'))} |")


HEAD = ("| job | parameters | generic cells | transistors (`stat -tech cmos`) | sky130 cells | "
        "sky130 area (µm²) | delay (ps) |\n|---|---|---:|---:|---:|---:|---:|")


def error_cost(res, err, act, figdir):
    """The α multiply's error against its cost, beside EvoApproxLib's 8×8 multipliers: a table
    and docs/figures/qs_mult_error.svg. Costs are ratios to each library's own exact
    multiplier (sky130 area and gate-level activity here, PDK45 area and power there)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams["svg.hashsalt"] = "qsa"  # reproducible SVG ids

    o = []
    w = o.append
    ex_area = res.get("exact_mult", {}).get("sky130", {}).get("area_um2")
    runtime, ex_act = activity.mult_per_multiply(act) if act and "mult" in act else ({}, None)
    if not ex_area or not ex_act:
        return ["Needs `exact_mult`'s area and the multipliers' activity (run `make synth`).\n"]
    ek = {e["k"]: e for e in err["k"]}
    qsa = []  # (k, MAE %, MRE %, EP %, area ratio, activity ratio)
    for k in range(6):
        e, r, a_k = ek.get(k), res.get(f"qs_mult_k{k}"), runtime.get(str(k))
        if not e or not r or a_k is None:
            continue
        qsa.append((k, e["mae_pct"], e["mre_pct"], e["ep_pct"],
                    r["sky130"]["area_um2"] / ex_area, a_k / ex_act))
    ev_pwr, ev_area = EVOAPPROX_MUL8S[EVOAPPROX_EXACT][4], EVOAPPROX_MUL8S[EVOAPPROX_EXACT][5]
    evo = [(n, v[0], v[3], v[2], v[5] / ev_area, v[4] / ev_pwr)
           for n, v in EVOAPPROX_MUL8S.items()]

    w("## Error against cost, beside EvoApproxLib's 8×8 multipliers\n")
    w("The α multiply at each k next to EvoApproxLib's signed 8×8 multipliers (the Pareto set "
      "for power and MAE, `multiplers/8x8_signed/pareto_pwr_mae/` of "
      "github.com/ehw-fit/evoapproxlib at commit d321f7f6, the figures in their C models' "
      "headers; Mrazek et al., IEEE TVLSI 26(11), 2018), each as a ratio to its own library's "
      f"exact multiplier: theirs `{EVOAPPROX_EXACT}`, {ev_area} µm² and {ev_pwr} mW in a 45 nm "
      "PDK; ours `exact_mult` (the same 17-bit × 8-bit widths as the α multiply). The libraries "
      "and widths differ, so only the ratios and the relative error metrics (MAE % of the "
      "output range, MRE %, EP %) are compared. Our area is that of the multiplier built for "
      "one fixed k (`qs_mult_k<K>`, sky130, the table above); our energy proxy is the "
      "runtime-k `qsa_qs_mult`'s data activity per multiply at each k, over the activity of "
      f"`exact_mult` on the same recorded stream ({ex_act:.1f} toggles × fanout per multiply; "
      "section *Switching activity*). Theirs is the power PDK45 reports. k = 0 and k = 5 are "
      "exact (every NAF digit kept).\n")
    w("| multiplier | MAE % | MRE % | EP % | area vs exact | energy vs exact |")
    w("|---|---:|---:|---:|---:|---:|")
    for k, mae, mre, ep, ar, en in qsa:
        w(f"| QSA α multiply, k = {k} | {mae:.4f} | {mre:.3f} | {ep:.2f} | {ar:.2f}× | "
          f"{en:.2f}× (activity) |")
    for n, mae, mre, ep, ar, en in evo:
        w(f"| EvoApproxLib `{n}` | {mae:.4f} | {mre:.2f} | {ep:.2f} | {ar:.2f}× | "
          f"{en:.2f}× (power) |")
    best = min((q for q in qsa if q[2] > 0), key=lambda q: q[5], default=None)
    if best:
        smaller = [q[0] for q in qsa if q[4] < 1]
        w("\n" + ("Our multiplier saves no area at any k (every `qs_mult_k<K>` is larger than "
                   "`exact_mult`: the NAF rows and their selection cost more than an array "
                   "multiplier)" if not smaller else
                   f"Our multiplier is smaller than `exact_mult` at k = "
                   f"{', '.join(map(str, smaller))}") +
          f"; at k = {best[0]}, its cheapest setting in activity, it switches "
          f"{best[5]:.2f}× as much as the exact multiplier, at an MRE of {best[2]:.1f} %. "
          "EvoApproxLib's circuits trade error for area and power together. The α multiply "
          "runs once per vector, not once per MAC, so its cost in the PE is diluted by the "
          "vector length (section *QSA PE against a conventional int8 PE*).\n")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    for ax, col, label in ((axes[0], 4, "area / exact multiplier's"),
                           (axes[1], 5, "energy / exact multiplier's "
                                        "(ours: activity, theirs: power)")):
        ax.plot([q[col] for q in qsa], [q[2] for q in qsa], "o", color="tab:blue",
                label="QSA α multiply, k = 0..5 (sky130 area; gate-level activity)")
        for q in qsa:
            ax.annotate(f"k={q[0]}", (q[col], q[2]), textcoords="offset points", xytext=(4, 4),
                        fontsize=8, color="tab:blue")
        ax.plot([v[col] for v in evo], [v[2] for v in evo], "s--", color="tab:orange",
                label="EvoApproxLib mul8s (PDK45)")
        ax.set_yscale("symlog", linthresh=0.1)
        ax.set_xlabel(label)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("MRE (%)")
    axes[0].legend(fontsize=8, loc="upper right")
    fig.suptitle("Mean relative error against cost, each relative to its own exact multiplier")
    fig.tight_layout()
    os.makedirs(figdir, exist_ok=True)
    fig.savefig(os.path.join(figdir, FIGURE), format="svg", metadata={"Date": None})
    plt.close(fig)
    w(f"![MRE against area and energy, beside EvoApproxLib](figures/{FIGURE})\n")
    w("Command: `make synth` (`synth/report.py` draws it from `build/synth/results.json`, "
      "`qs_error.json` and `activity.json`).\n")
    return o


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", default=os.path.join(ROOT, "build", "synth"))
    ap.add_argument("-o", "--output", default=os.path.join(ROOT, "docs", "synthesis.md"))
    a = ap.parse_args()
    res = load(os.path.join(a.synth, "results.json"))
    err = load(os.path.join(a.synth, "qs_error.json"))
    act = load(os.path.join(a.synth, "activity.json"), required=False)
    ice = load(os.path.join(a.synth, "ice40.json"), required=False)
    any_r = next(iter(res.values()))
    area = {n: r["sky130"].get("area_um2") for n, r in res.items()}

    out = []
    w = out.append
    w("# Synthesis reports\n")
    w("Generated by `make synth` (`synth/run_synth.py`, `build/bin/qsa_qs_error`, "
      "`synth/activity.py`, `synth/run_ice40.py`, `synth/report.py`); do not edit. Every number below comes from those scripts; the Yosys "
      "script behind each row is `build/synth/<job>.ys` and its log `build/synth/<job>.log`.\n")
    w("## How the numbers are made\n")
    w(f"- Tool: {any_r['yosys']}. Each job is one Yosys run of one top at one parameter set:")
    w("  `read_verilog -sv <sources>` (`qsa_mem` read with `-lib`, a black box: it stands for "
      "the SRAM macros, so its storage is not in any area below), `chparam -set P V TOP` per "
      "parameter, `hierarchy -check -top TOP`, `synth -top TOP -flatten` (`qsa_top`: without "
      "`-flatten`, see its section), `check -assert`, no latches allowed.")
    w("- **Generic flow**: `stat` (cells of Yosys's internal gate library) and `stat -tech cmos` "
      "(transistor estimate) on that netlist. A transistor count marked + is Yosys's lower "
      "bound: `stat -tech cmos` has no count for some cell types (the flip-flops) and leaves "
      "them out.")
    w("- **sky130 flow**: the same netlist, `dfflibmap -liberty LIB`, "
      f"`abc -liberty LIB -script {any_r['abc_script']}`, `stat -liberty LIB`. LIB is "
      "`/work/shared/pdk/sky130hd_tt.lib.gz` (SkyWater 130 nm HD, typical, 25 °C, 1.80 V) "
      "without its `lpflow_*` cells (isolation/power-gating cells; "
      "synth/run_synth.py removes them from the copy it writes to build/synth).")
    w("- **ABC script**: the one `abc -fast -liberty` runs (`strash; dretime; map`), with "
      "`topo; stime -p` appended so ABC prints its critical-path estimate. Plain "
      "`abc -liberty` (with `&dch`, `&nf`, sizing) ran for many minutes on the arithmetic blocks; "
      "`-fast` keeps `make synth` within minutes, at some cost in area and delay. Every area "
      "below is of this mapping. Its result depends on the order of the netlist it is given, "
      "not only on the logic: a change elsewhere in the sources (a rewritten package function) "
      "renumbers Yosys's internal objects and can move a block's area by a percent or two with "
      "its logic unchanged (seen when a package function whose result the block does not use "
      "was rewritten). Differences of that size between runs of different sources are noise.")
    w("- **Timing mapping**: the netlist before that mapping (`design -save` after "
      "`dfflibmap`, `design -load` after the area `stat`), mapped again by "
      f"`abc -liberty LIB -script {any_r.get('timing_script', '—')}`: the same mapping, then "
      "ABC buffers high-fanout nets and sizes the gates (`buffer -p; upsize; dnsize`). The area "
      "mapping leaves every net on a minimum-size driver, so a select line driving hundreds of "
      "gates gets a delay many times the real one (table *Delay before and after buffering*).")
    w("- **Delay** is ABC's `stime` delay of the timing mapping: the longest path "
      "from an input or flip-flop output to an output or flip-flop input, with the library's "
      "load-dependent cell delays, no wire load, no clock-to-Q, setup or clock skew. It is an "
      "estimate for comparing blocks, not a timing sign-off.\n")

    # --- PE comparison -------------------------------------------------------------------------
    w("## QSA PE against a conventional int8 PE\n")
    w("- `qsa_pe_datapath` (`synth/rtl/qsa_pe_datapath.sv`): the arithmetic of `rtl/qsa_pe.sv` "
      "stages 0–2, written as there: L lanes (`rtl/qsa_lane.sv`: `qsa_pkg::lane_term`, the lane "
      "circuit `qsa_pe` writes out in its group-cycle block: `qsa_pkg::decode_code`, a one-hot select of a, 2a or 4a and a bitwise invert for a "
      "negative code; ones' complement, the +1 goes to the lane adder as a one-bit operand, "
      "and the terms enter it offset by 512, so it has no sign-extension columns; zero "
      "activations gated), the lane adder, the s1 / S_v / s2 registers, the α multiply (runtime "
      "k: α recoded to its kept NAF digits by `qsa_naf_recoder` (the functions `qsa_pe` calls) as "
      "the vector enters s2, which "
      "holds the digit masks, then the rows of `qsa_naf_mult`; its operands held between the "
      "vectors that use it) and the 32-bit accumulator. The lanes take their (code, activation) "
      "pairs as inputs. `qsa_pe` packs two "
      "short vectors per lane pass, so it has two lane sums and two multipliers; this is the "
      "datapath of one vector at a time.")
    w("- `conv_pe` (`synth/rtl/conv_pe.sv`): L exact signed 8×8 multipliers, an adder tree, "
      "the registered partial sum and the 32-bit accumulator; (weight, activation) pairs as "
      "inputs.")
    w("- Neither counts weight storage, operand selection, bias or output stages. For the whole "
      "PE of the accelerator, `qsa_pe` (memories black-boxed) adds the two 192-bit prefetch "
      "slots, the 192-bit working vector, the zero-skip compaction (which picks each lane's "
      "code and activation out of the 64-code vector), bias, requantize, ReLU and pooling.\n")
    w("| L | QSA datapath (µm²) | conventional PE (µm²) | QSA / conventional | "
      "whole `qsa_pe` (µm²) | QSA delay (ps) | conventional delay (ps) |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    ratios = {}
    for lanes in (8, 16):
        q, c = res.get(f"qsa_pe_datapath_L{lanes}"), res.get(f"conv_pe_L{lanes}")
        p = res.get(f"qsa_pe_L{lanes}")
        if not q or not c:
            continue
        ratio = q["sky130"]["area_um2"] / c["sky130"]["area_um2"]
        ratios[lanes] = ratio
        w(f"| {lanes} | {fmt_f(q['sky130']['area_um2'])} | {fmt_f(c['sky130']['area_um2'])} | "
          f"{100 * ratio:.1f} % | {fmt_f(p['sky130']['area_um2']) if p else '—'} | "
          f"{fmt_f(q['sky130'].get('delay_ps'))} | {fmt_f(c['sky130'].get('delay_ps'))} |")
    mult = area.get("qsa_qs_mult")
    if mult and "qsa_pe_datapath_L8" in res:
        w(f"\nOf the L = 8 QSA datapath, the runtime-k `qsa_qs_mult` alone (recoder and rows "
          f"synthesized together) is {fmt_f(mult)} µm² "
          f"({100 * mult / area['qsa_pe_datapath_L8']:.0f} %).")
    for lanes in (8, 16):
        q, nm = area.get(f"qsa_pe_datapath_L{lanes}"), area.get(f"qsa_pe_datapath_nomult_L{lanes}")
        c, val = area.get(f"conv_pe_L{lanes}"), area.get("qs_mult_value")
        if q and nm and c:
            line = (f"\nWhere the area goes at L = {lanes}: the datapath without its multiplier "
                    f"(`qsa_pe_datapath_nomult_L{lanes}`: lanes, lane adder, registers, "
                    f"accumulator) is {fmt_f(nm)} µm² ({100 * nm / c:.0f} % of the conventional "
                    f"PE); the multiplier adds {fmt_f(q - nm)} µm².")
            if val:
                line += (f" With the multiplier in its value form (`qs_mult_value`, "
                         f"{fmt_f(val)} µm², below) the sum would be about {fmt_f(nm + val)} µm² "
                         f"({100 * (nm + val) / c:.0f} % of the conventional PE; an estimate "
                         f"from separate syntheses, not a synthesized design).")
            w(line)
    if 8 in ratios:
        ok = ratios[8] <= AREA_TARGET
        w(f"\n**Target (issue 6): QSA PE ≤ {100 * AREA_TARGET:.0f} % of the conventional PE's "
          f"sky130 area at L = 8: {'MET' if ok else 'NOT MET'}** "
          f"(measured {100 * ratios[8]:.1f} %, datapath against datapath).\n")
    sp = {lanes: area.get(f"qsa_pe_datapath_serial_L{lanes}") for lanes in (8, 16)}
    if any(sp.values()):
        w("**Design point, not in the accelerator: a digit-serial α multiply.** "
          "`qsa_pe_datapath_serial_L<L>` is the same datapath with the α multiply done by "
          "`synth/rtl/qs_mult_serial.sv`: S_v goes from stage 1 into the unit, which adds one "
          "kept NAF digit's ±(S_v << i) per cycle into the accumulator (most significant "
          "first, stopping after k: that is the top-k selection), so a multiply takes as many "
          "cycles as Q_k(α) has nonzero digits (≤ k, ≤ 5) and the unit has no adder of its "
          "own. Its cost is time: a vector's last group must wait while the previous vector's "
          "digits are still being added, so the array would stall whenever a vector takes "
          "fewer lane cycles than its multiply. `qsa_pe` keeps the parallel multiplier; "
          "bit-exactness of the unit is checked by testbench/qs_mult_serial_tb.sv against the "
          "reference model's vectors.\n")
        w("| L | digit-serial datapath (µm²) | conventional PE (µm²) | serial / conventional |")
        w("|---:|---:|---:|---:|")
        for lanes, serial_area in sp.items():
            c = area.get(f"conv_pe_L{lanes}")
            if serial_area and c:
                w(f"| {lanes} | {fmt_f(serial_area)} | {fmt_f(c)} | "
                  f"{100 * serial_area / c:.1f} % |")
        w("")
    w(HEAD)
    for n in sorted(res):
        if res[n]["group"] == "pe":
            w(row(n, res[n]))
    w("")

    # --- multipliers ---------------------------------------------------------------------------
    w("## The quality-scalable multiplier at every k, and an exact one\n")
    w("`qsa_qs_mult` multiplies the 17-bit signed vector sum S_v by Q_k(α), α an unsigned 8-bit "
      "mantissa; k is a runtime input (0 = exact). It is synthesized as is (`qsa_qs_mult`, "
      "runtime k), and with k tied to each constant (`qs_mult_k<K>`, "
      "`synth/rtl/qs_mult_fixk.sv`): what a multiplier built for one fixed quality would cost. "
      "Its partial-product rows each hold two NAF positions (no two NAF digits are adjacent: 5 "
      "rows for 9 positions), and a negative digit inverts S_v, its +1 joining the row adder as "
      "one more operand. With k constant, the top-k selection folds away and the rows that k "
      "can never use remain (any α has up to 5 nonzero NAF digits at any of 9 positions, so "
      "every row is reachable for every k ≥ 1): the tied variants differ mainly in the "
      "selection logic. "
      "`exact_mult` (`synth/rtl/exact_mult.sv`) is `x * α` at the same widths; `qs_mult_value` "
      "(`synth/rtl/qs_mult_value.sv`) computes the same product as `qsa_qs_mult` another way: "
      "Q_k(α) as a number from the kept NAF digits, then one exact `x * Q_k(α)`.")
    ex = area.get("exact_mult")
    rk = area.get("qsa_qs_mult")
    if ex and rk:
        w(f" The runtime-k multiplier is {rk / ex:.2f}× the exact one's area" +
          ("; its saving is in switching activity (the rows not kept are operand-isolated), "
           "not in area." if rk >= ex else "."))
    w("\n")
    w("| multiplier | sky130 area (µm²) | vs exact | delay (ps) | transistors | "
      "MAE | MAE % | WCE | WCE % | MRE % | EP % | mean partial products |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ek = {e["k"]: e for e in err["k"]}
    mrows = [("qsa_qs_mult", "runtime k", None)] + \
        [(f"qs_mult_k{k}", f"k = {k}" + (" (exact)" if k == 0 else ""), k) for k in range(6)] + \
        [("qs_mult_value", "Q_k(α) as a number, then `x * Q_k(α)` (runtime k)", None),
         ("qs_mult_serial", "digit-serial, one kept digit per cycle, ≤ k cycles (runtime k; "
          "adds into the PE's accumulator, which is not counted)", None),
         ("exact_mult", "exact `x * α`", 0)]
    for n, label, k in mrows:
        r = res.get(n)
        if not r:
            continue
        s = r["sky130"]
        e = ek.get(k) if k is not None else None
        ratio = f"{s['area_um2'] / ex:.2f}×" if ex else "—"
        errs = ("| — " * 7) if e is None else (
            f"| {fmt_f(e['mae'], 1)} | {e['mae_pct']:.4f} | {fmt_int(e['wce'])} | "
            f"{e['wce_pct']:.3f} | {e['mre_pct']:.3f} | {e['ep_pct']:.2f} | "
            f"{e['mean_pp']:.2f} ")
        if n == "exact_mult":
            errs = "| 0 | 0 | 0 | 0 | 0 | 0 | — "
        w(f"| {label} (`{n}`) | {fmt_f(s['area_um2'])} | {ratio} | {fmt_f(s.get('delay_ps'))} | "
          f"{fmt_int(r['cmos'].get('transistors'))} {errs}|")
    w("")
    w("### Error metrics of the α multiply, per k\n")
    w(f"Exhaustive over all {err['pairs']:,.0f} operand pairs of the α multiply (x every "
      f"{err['x_width']}-bit signed value, α every {err['alpha_bits']}-bit mantissa), computed "
      "by `build/bin/qsa_qs_error` (`synth/qs_error.cc`) with the reference model's "
      "`qsa::cmodel::NafTopK`, the twin of the RTL's `qsa_pkg::naf_topk`. EvoApproxLib "
      "definitions, e = x·α − x·Q_k(α): MAE = mean |e|; WCE = max |e|; MRE = mean "
      "|e| / max(1, |x·α|); EP = P(e ≠ 0); MAE % and WCE % relative to the output range "
      f"2^{err['x_width'] + err['alpha_bits']}. k = 0 keeps every digit (exact); an 8-bit α "
      "has at most 5 nonzero NAF digits, so k = 5 is exact too. Mean partial products = mean "
      "number of NAF rows in use over all α (`NafKeptDigits`).\n")
    w("| k | MAE | MAE % | WCE | WCE % | MRE % | EP % | mean partial products |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for e in err["k"]:
        w(f"| {e['k']} | {fmt_f(e['mae'], 1)} | {e['mae_pct']:.4f} | {fmt_int(e['wce'])} | "
          f"{e['wce_pct']:.3f} | {e['mre_pct']:.3f} | {e['ep_pct']:.2f} | {e['mean_pp']:.2f} |")
    w("")

    # --- activity ------------------------------------------------------------------------------
    w("## Switching activity (energy proxy)\n")
    if act is None:
        w("Not measured yet: the gate-level toggle count (issue 6) is not part of this flow. "
          "What it needs: the generic-cell netlists above written with `write_verilog`, "
          "simulated under Icarus with `/usr/share/yosys/simcells.v` on operand streams "
          "recorded from the reference model's LeNet-5 layers, toggles per net weighted by "
          "fanout, per MAC, for every k and for `conv_pe`.\n")
    else:
        w(activity.markdown(act))
        w("")
        o_err = error_cost(res, err, act, os.path.join(os.path.dirname(
            os.path.abspath(a.output)), "figures"))
        out.extend(o_err)

    # --- leaves and top ------------------------------------------------------------------------
    w("## Leaf modules (default parameters)\n")
    w(HEAD)
    for n in sorted(res):
        if res[n]["group"] == "leaf":
            w(row(n, res[n]))
    w("\n`qsa_pe`, `qsa_act_buf`, `qsa_out_buf`: `qsa_mem` black-boxed (SRAM macros); their "
      "areas are the logic around the memories.\n")
    w("## qsa_top\n")
    w("`qsa_mem` black-boxed everywhere (SRAM macros, not counted): the area is the logic, "
      "registers and arithmetic of the accelerator around its buffers and weight stores. "
      "Synthesized with its hierarchy kept (a flat `synth -flatten` of `qsa_top` spent many "
      "minutes in Yosys's `share` pass): cells and area are totals over the hierarchy "
      "(`stat -top`), ABC maps each module on its own, and the delay is the longest path "
      "found inside one module (paths across module boundaries are not seen).\n")
    w(HEAD)
    tops = [n for n in sorted(res) if res[n]["group"] == "top"]
    for n in tops:
        w(row(n, res[n]).replace(f"| {params(res[n])} |",
                                 f"| {params(res[n])} ({res[n]['note']}) |", 1))
    w("")
    # Where each top's longest path is, and that module's delay when synthesized on its own.
    for n in tops:
        s = res[n]["sky130"]
        mod = s.get("delay_module")
        if not mod:
            continue
        alone = res.get(mod, {}).get("sky130", {}).get("delay_ps")
        ref = (f"; the same module synthesized on its own (job `{mod}`, default parameters): "
               f"{fmt_f(alone)} ps" if alone is not None else "")
        others = sorted(s.get("module_delay_ps", {}).items(), key=lambda x: -x[1])[1:4]
        nxt = (" The next longest, per module: "
               + ", ".join(f"`{m}` {fmt_f(d)} ps" for m, d in others) + ".") if others else ""
        w(f"- `{n}`: the longest path is inside `{mod}`, {fmt_f(s['delay_ps'])} ps{ref}. "
          f"As a clock period that is {1e6 / s['delay_ps']:,.0f} MHz, an upper bound: wires, "
          f"clock-to-Q, setup and skew are not in it.{nxt}")
    if any(res[n]["sky130"].get("delay_module") for n in tops):
        w("\nABC maps each module from the netlist Yosys hands it, whose cell order and generated "
          "names depend on the rest of the run, so one module's mapped delay differs between "
          "designs that contain it (above: inside `qsa_top` and on its own) and can move when "
          "another module of the design changes. The delay is reproducible for a given RTL; "
          "compare it across designs as an estimate only.\n")
    w("## Delay before and after buffering\n")
    w("Per job: the `stime` delay of the area mapping (every net on a minimum-size driver), the "
      "delay of the timing mapping (high-fanout nets buffered, gates sized), and the two "
      "mappings' areas. The delay columns of the tables above are the timing mapping's; their "
      "areas are the area mapping's.\n")
    w("| job | delay, area mapping (ps) | delay, buffered and sized (ps) | ratio | "
      "area, area mapping (µm²) | area, buffered and sized (µm²) |\n"
      "|---|---:|---:|---:|---:|---:|")
    for n in sorted(res):
        s = res[n]["sky130"]
        md, d = s.get("map_delay_ps"), s.get("delay_ps")
        ratio = f"{md / d:.1f}×" if md and d else "—"
        w(f"| `{n}` | {fmt_f(md)} | {fmt_f(d)} | {ratio} | {fmt_f(s.get('area_um2'))} | "
          f"{fmt_f(s.get('timed_area_um2'))} |")
    w("")
    if ice:
        w(run_ice40.markdown(ice, res))
    w("## Run times\n")
    w("| job | Yosys seconds |\n|---|---:|")
    for n in sorted(res):
        w(f"| `{n}` | {res[n]['seconds']} |")
    w("")
    with open(a.output, "w") as f:
        f.write("\n".join(out))
    print(f"report: wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
