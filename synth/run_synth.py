#!/usr/bin/python3
"""Synthesis reports of the QSA RTL with Yosys (issue 6): runs every job, writes JSON.

Each job synthesizes one top with one parameter set, in one Yosys run, two flows:
  generic  `synth -top TOP -flatten`, then `stat` (cells) and `stat -tech cmos` (transistor
           estimate) on Yosys's internal gate library;
  sky130   the same netlist, `dfflibmap -liberty LIB`, `abc -liberty LIB` with the script of
           `abc -fast` (strash; dretime; map) followed by `topo; stime -p` so that ABC prints
           its critical-path delay, then `stat -liberty LIB` (area in um^2);
  timing   the netlist before that mapping (`design -load`), mapped again with buffering and
           gate sizing added (buffer -p; upsize; dnsize) before `stime -p`: the delay reported.
           The area mapping leaves every net on a minimum-size driver, so a select line that
           fans out to hundreds of gates makes its `stime` delay many times too long.
LIB is /work/shared/pdk/sky130hd_tt.lib.gz (SkyWater 130 nm HD, typical corner) without its
lpflow_* cells (power-gating/isolation cells no synthesis flow should pick for logic).
qsa_mem is read with `read_verilog -lib` (a black box): it stands for the SRAM macros, so areas
are those of the logic around them.

  synth/run_synth.py [--out build/synth] [--only REGEX] [--list]

Writes OUT/NAME.ys, OUT/NAME.log, the stat files, the two ABC runs' logs (OUT/NAME.abc.log,
OUT/NAME.abc_timing.log) and OUT/results.json (one entry per job; entries of jobs not run this
time are kept, entries of jobs no longer defined are dropped). synth/report.py turns the JSON
into docs/synthesis.md.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PDK = "/work/shared/pdk/sky130hd_tt.lib.gz"
LIB_NAME = "sky130hd_tt_synth.lib"
ABC_SCRIPT = "+strash;dretime;map;topo;stime,-p"  # abc -fast's liberty script + timing report
# The delay estimate: the same mapping, then high-fanout nets buffered and gates sized
# (`buffer` needs the `topo` order first: it fails on a mapped node without fanout).
TIMING_SCRIPT = "+strash;dretime;map;topo;buffer,-p;upsize;dnsize;topo;stime,-p"

PKG = ["rtl/qsa_0_pkg.sv"]
MEM = ["rtl/qsa_mem.sv"]
DATAPATH = PKG + ["rtl/qsa_lane.sv", "rtl/qsa_naf_recoder.sv", "rtl/qsa_naf_mult.sv",
                  "synth/rtl/qs_mult_serial.sv", "synth/rtl/qsa_pe_datapath.sv"]
TOP_SOURCES = PKG + ["rtl/qsa_0_regs_pkg.sv", "rtl/qsa_zero_skip.sv", "rtl/qsa_naf_recoder.sv",
                     "rtl/qsa_naf_mult.sv",
                     "rtl/qsa_lane.sv", "rtl/qsa_pe.sv", "rtl/qsa_compute.sv",
                     "rtl/qsa_act_buf.sv",
                     "rtl/qsa_out_buf.sv", "rtl/qsa_code_unpack.sv", "rtl/qsa_divider.sv",
                     "rtl/qsa_desc_check.sv", "rtl/qsa_dma.sv", "rtl/qsa_axil_csr.sv",
                     "rtl/qsa_seq.sv", "rtl/qsa_top.sv"]

PE_SOURCES = PKG + ["rtl/qsa_zero_skip.sv", "rtl/qsa_naf_recoder.sv", "rtl/qsa_naf_mult.sv",
                    "rtl/qsa_lane.sv", "rtl/qsa_pe.sv"]


def job(name, top, sources, params=None, blackbox=(), group="leaf", note="", flatten=True):
    return {"name": name, "top": top, "sources": list(sources), "params": dict(params or {}),
            "blackbox": list(blackbox), "group": group, "note": note, "flatten": flatten}


def jobs():
    j = []
    # Leaf modules at their default parameters.
    leaf = [
        ("qsa_decoder", PKG + ["rtl/qsa_decoder.sv"], {}, []),
        ("qsa_naf_recoder", PKG + ["rtl/qsa_naf_recoder.sv"], {}, []),
        ("qsa_naf_mult", PKG + ["rtl/qsa_naf_mult.sv"], {}, []),
        ("qsa_qs_mult", PKG + ["rtl/qsa_naf_mult.sv", "rtl/qsa_qs_mult.sv"], {}, []),
        ("qsa_zero_skip", PKG + ["rtl/qsa_zero_skip.sv"], {}, []),
        ("qsa_lane", PKG + ["rtl/qsa_lane.sv"], {}, []),
        ("qsa_code_unpack", PKG + ["rtl/qsa_code_unpack.sv"], {}, []),
        ("qsa_divider", ["rtl/qsa_divider.sv"], {}, []),
        ("qsa_desc_check", ["rtl/qsa_0_regs_pkg.sv", "rtl/qsa_divider.sv",
                            "rtl/qsa_desc_check.sv"], {}, []),
        ("qsa_act_buf", ["rtl/qsa_act_buf.sv"], {}, MEM),
        ("qsa_out_buf", ["rtl/qsa_out_buf.sv"], {}, MEM),
        ("qsa_dma", ["rtl/qsa_0_regs_pkg.sv", "rtl/qsa_dma.sv"], {}, []),
        ("qsa_axil_csr", ["rtl/qsa_0_regs_pkg.sv", "rtl/qsa_axil_csr.sv"], {}, []),
        ("qsa_pe", PE_SOURCES, {}, MEM),
    ]
    for name, src, params, bb in leaf:
        j.append(job(name, name, src, params, bb, "leaf"))
    # The PE comparison: QSA datapath against a conventional int8 PE, same lanes.
    for lanes in (8, 16):
        j.append(job(f"qsa_pe_datapath_L{lanes}", "qsa_pe_datapath", DATAPATH,
                     {"Lanes": lanes}, group="pe"))
        j.append(job(f"qsa_pe_datapath_nomult_L{lanes}", "qsa_pe_datapath", DATAPATH,
                     {"Lanes": lanes, "WithMult": 0}, group="pe",
                     note="the datapath without its multiplier: area attribution only"))
        j.append(job(f"qsa_pe_datapath_serial_L{lanes}", "qsa_pe_datapath", DATAPATH,
                     {"Lanes": lanes, "Serial": 1}, group="pe",
                     note="design point: the digit-serial multiply (not in qsa_pe)"))
        j.append(job(f"conv_pe_L{lanes}", "conv_pe", ["synth/rtl/conv_pe.sv"],
                     {"Lanes": lanes}, group="pe"))
        j.append(job(f"qsa_pe_L{lanes}", "qsa_pe",
                     PE_SOURCES, {"Lanes": lanes}, MEM, group="pe"))
    # The multipliers: runtime k, k tied to each constant, exact.
    for k in range(0, 6):
        j.append(job(f"qs_mult_k{k}", "qs_mult_fixk",
                     PKG + ["rtl/qsa_naf_mult.sv", "rtl/qsa_qs_mult.sv",
                            "synth/rtl/qs_mult_fixk.sv"], {"K": k},
                     group="mult"))
    j.append(job("exact_mult", "exact_mult", PKG + ["synth/rtl/exact_mult.sv"], group="mult"))
    j.append(job("qs_mult_value", "qs_mult_value", PKG + ["synth/rtl/qs_mult_value.sv"],
                 group="mult", note="Q_k(α) as a number, then x * Q_k(α)"))
    j.append(job("qs_mult_serial", "qs_mult_serial", PKG + ["synth/rtl/qs_mult_serial.sv"],
                 group="mult", note="digit-serial: one kept digit per cycle"))
    # The whole accelerator at two configurations.
    # Not flattened (a flat qsa_top spends many minutes in `share`): areas are totals over the
    # hierarchy, the delay the longest path found inside one module.
    j.append(job("qsa_top_default", "qsa_top", TOP_SOURCES, {}, MEM, group="top",
                 note="8 PEs × 8 lanes", flatten=False))
    j.append(job("qsa_top_large", "qsa_top", TOP_SOURCES, {"Pes": 16, "Lanes": 16}, MEM,
                 group="top", note="16 PEs × 16 lanes", flatten=False))
    return j


def ys_script(j, lib):
    lines = [f"# generated by synth/run_synth.py: job {j['name']}"]
    lines.append("read_verilog -sv " + " ".join(j["sources"]))
    for b in j["blackbox"]:
        lines.append(f"read_verilog -sv -lib {b}")
    # chparam before hierarchy: Yosys 0.23's `hierarchy -chparam` trips an assertion when a
    # parameterized top instantiates a parameterized module.
    for k, v in j["params"].items():
        lines.append(f"chparam -set {k} {v} {j['top']}")
    lines.append(f"hierarchy -check -top {j['top']}")
    lines.append(f"rename -top {j['top']}")  # $paramod\\TOP\\... back to TOP
    lines.append(f"synth -top {j['top']}" + (" -flatten" if j["flatten"] else ""))
    lines.append("check -assert")
    lines.append("select -assert-none t:$dlatch t:$adlatch t:$dlatchsr")
    top = f" -top {j['top']}"  # with hierarchy: totals over the design hierarchy
    lines.append("tee -q -o @OUT@.generic.stat stat" + top)
    lines.append("tee -q -o @OUT@.cmos.stat stat -tech cmos" + top)
    if j["group"] in ("pe", "mult"):  # generic-cell netlist for the activity simulation
        lines.append("write_verilog -noattr @OUT@.generic.v")
    lines.append(f"dfflibmap -liberty {lib}")
    lines.append("design -save premap")
    # Each ABC run's output in a file of its own (parse_abc reads them apart).
    lines.append(f"tee -q -o @OUT@.abc.log abc -liberty {lib} -script {ABC_SCRIPT}")
    lines.append("opt_clean")
    lines.append(f"tee -q -o @OUT@.sky130.stat stat -liberty {lib}" + top)
    lines.append("design -load premap")
    lines.append(f"tee -q -o @OUT@.abc_timing.log abc -liberty {lib} -script {TIMING_SCRIPT}")
    lines.append("opt_clean")
    lines.append(f"tee -q -o @OUT@.timing.stat stat -liberty {lib}" + top)
    return "\n".join(lines) + "\n"


def filtered_lib(out):
    """The PDK library without its lpflow_* cells, written once into OUT."""
    path = os.path.join(out, LIB_NAME)
    if os.path.exists(path):
        return path
    with gzip.open(PDK, "rt") as f:
        text = f.read()
    res, i, dropped = [], 0, 0
    for m in re.finditer(r'\n\s*cell \("(sky130_fd_sc_hd__lpflow_[^"]*)"\) \{', text):
        if m.start() < i:
            continue
        depth, k = 0, m.end() - 1
        while True:
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        res.append(text[i:m.start()])
        i, dropped = k + 1, dropped + 1
    res.append(text[i:])
    with open(path + ".tmp", "w") as f:
        f.write("".join(res))
    os.replace(path + ".tmp", path)
    print(f"run_synth: {path} ({dropped} lpflow cells dropped)")
    return path


def parse_stat(text):
    """Cells, per-type counts, area and transistors of one `stat` output (flattened top)."""
    r = {}
    h = text.find("=== design hierarchy ===")
    if h >= 0:  # hierarchical design: the totals follow this header
        text = text[h:]
    m = re.search(r"Number of cells:\s+(\d+)", text)
    r["cells"] = int(m.group(1)) if m else None
    types = {}
    if m:
        for line in text[m.end():].splitlines()[1:]:
            t = re.match(r"\s+(\S+)\s+(\d+)\s*$", line)
            if not t:
                break
            types[t.group(1)] = int(t.group(2))
    r["cell_types"] = types
    m = re.search(r"Chip area for (?:top )?module '[^']*':\s+([\d.]+)", text)
    if m:
        r["area_um2"] = float(m.group(1))
    m = re.search(r"Estimated number of transistors:\s+(\d+)(\+?)", text)
    if m:
        r["transistors"] = int(m.group(1))
        r["transistors_lower_bound"] = m.group(2) == "+"
    return r


def parse_abc(log):
    """ABC's stime lines of one `abc` pass: delay (ps), ABC's own area, and per module (one
    ABC run per module the pass extracts) its delay."""
    runs = re.findall(r"ABC: WireLoad = \"[^\"]*\"\s+Gates =\s*(\d+).*?Area =\s*([\d.]+).*?"
                      r"Delay =\s*([\d.]+) ps", log)
    if not runs:
        return {}
    # The module of each run: the `abc` pass names it ("Extracting gate netlist of module
    # `$paramod$<hash>\name'") before it calls ABC on it.
    per_run = re.findall(r"Extracting gate netlist of module `([^']*)'"
                         r"((?:(?!Extracting gate netlist).)*?)ABC: WireLoad = \"[^\"]*\""
                         r"\s+Gates =.*?Delay =\s*([\d.]+) ps", log, re.S)
    delays = {}  # module name (without its parameter hash) -> its longest run
    for module, _, d in per_run:
        # `\name`, `$paramod$<hash>\name` or `$paramod\name\P=V...`: the name is the part
        # after the first backslash (a module of no hierarchy has none).
        parts = module.split("\\")
        name = parts[1] if len(parts) > 1 else parts[0]
        delays[name] = max(delays.get(name, 0.0), float(d))
    # With hierarchy kept, the longest of the per-module paths.
    res = {"abc_gates": sum(int(g) for g, _, _ in runs),
           "abc_area": round(sum(float(a) for _, a, _ in runs), 2),
           "delay_ps": max(float(d) for _, _, d in runs), "abc_runs": len(runs)}
    if len(per_run) == len(runs):
        res["module_delay_ps"] = delays
        res["delay_module"] = max(delays, key=delays.get)
    return res


def read_results(base, res):
    """The stat files and ABC logs of job BASE into res: cells and area of the area mapping
    (sky130), its unbuffered delay (map_delay_ps), and from the timing mapping the delay
    (delay_ps), its per-module delays and the area after buffering and sizing."""
    for flow in ("generic", "cmos", "sky130"):
        with open(f"{base}.{flow}.stat") as f:
            res[flow] = parse_stat(f.read())
    with open(base + ".abc.log") as f:
        area_run = parse_abc(f.read())
    with open(base + ".abc_timing.log") as f:
        timing_run = parse_abc(f.read())
    with open(base + ".timing.stat") as f:
        timed = parse_stat(f.read())
    s = res["sky130"]
    for k in ("abc_gates", "abc_area", "abc_runs"):
        if k in area_run:
            s[k] = area_run[k]
    s["map_delay_ps"] = area_run.get("delay_ps")
    for k in ("delay_ps", "module_delay_ps", "delay_module"):
        if k in timing_run:
            s[k] = timing_run[k]
    s["timed_area_um2"] = timed.get("area_um2")
    s["timed_cells"] = timed.get("cells")


def run_job(j, out, lib, yosys):
    base = os.path.join(out, j["name"])
    script = ys_script(j, lib).replace("@OUT@", base)
    with open(base + ".ys", "w") as f:
        f.write(script)
    t0 = time.time()
    p = subprocess.run([yosys, "-q", "-l", base + ".log", "-s", base + ".ys"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.time() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:])
        raise SystemExit(f"run_synth: yosys failed on job {j['name']} (see {base}.log)")
    res = {k: j[k] for k in ("top", "params", "blackbox", "group", "note", "sources", "flatten")}
    res["seconds"] = round(secs, 1)
    res["script"] = os.path.relpath(base + ".ys", ROOT)
    read_results(base, res)
    res["abc_script"] = ABC_SCRIPT
    res["timing_script"] = TIMING_SCRIPT
    res["yosys"] = subprocess.run([yosys, "-V"], stdout=subprocess.PIPE, text=True).stdout.strip()
    return res


def self_test(out, yosys):
    """ctest synth.scripts.parse: a 1-lane qsa_decoder through both flows, parsed and checked."""
    os.makedirs(out, exist_ok=True)
    lib = filtered_lib(out)
    j = job("self_test_decoder", "qsa_decoder", PKG + ["rtl/qsa_decoder.sv"], {"Lanes": 1})
    r = run_job(j, out, os.path.abspath(lib), yosys)
    fails = []
    for flow in ("generic", "sky130"):
        s = r[flow]
        if not s.get("cells"):
            fails.append(f"{flow}: no cell count")
        elif sum(s["cell_types"].values()) != s["cells"]:
            fails.append(f"{flow}: cell types sum to {sum(s['cell_types'].values())}, "
                         f"not {s['cells']}")
    if not r["cmos"].get("transistors"):
        fails.append("stat -tech cmos: no transistor estimate")
    if not r["sky130"].get("area_um2"):
        fails.append("stat -liberty: no chip area")
    if not all(t.startswith("sky130_fd_sc_hd__") for t in r["sky130"]["cell_types"]):
        fails.append(f"sky130: unmapped cells {sorted(r['sky130']['cell_types'])}")
    if any("lpflow" in t for t in r["sky130"]["cell_types"]):
        fails.append("sky130: an lpflow cell was used")
    if not r["sky130"].get("map_delay_ps"):
        fails.append("abc (area mapping): no stime delay")
    if not r["sky130"].get("delay_ps"):
        fails.append("abc (timing mapping): no stime delay")
    if not r["sky130"].get("timed_area_um2"):
        fails.append("timing mapping: no chip area")
    if r["sky130"].get("abc_runs") != 1:
        fails.append(f"abc: {r['sky130'].get('abc_runs')} runs in the area log, not 1")
    if r["sky130"].get("delay_module") != "qsa_decoder":
        fails.append(f"abc: longest path in {r['sky130'].get('delay_module')}, not qsa_decoder")
    return self_test_verdict({k: r[k] for k in ("generic", "cmos", "sky130")}, fails)


def self_test_verdict(shown, fails):
    """A self-test's end: what the parsers read, then each failure; the exit status."""
    print(json.dumps(shown, indent=1))
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


def job_args(doc):
    """The options every synthesis job runner takes (this script and run_ice40.py)."""
    ap = argparse.ArgumentParser(description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "synth"))
    ap.add_argument("--only", default=None, help="run only the jobs whose name matches REGEX")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--yosys", default="yosys")
    return ap


def main():
    ap = job_args(__doc__)
    ap.add_argument("--reparse", action="store_true",
                    help="re-read the stat files and logs of the jobs in results.json")
    ap.add_argument("--self-test", action="store_true",
                    help="synthesize one tiny block both ways and check what the parsers read")
    a = ap.parse_args()
    if a.self_test:
        return self_test(a.out, a.yosys)
    todo = [j for j in jobs() if not a.only or re.search(a.only, j["name"])]
    if a.list:
        for j in todo:
            print(j["name"], j["top"], j["params"])
        return 0
    if not todo:
        sys.exit(f"run_synth: no job matches --only {a.only!r} (--list shows the jobs)")
    os.makedirs(a.out, exist_ok=True)
    lib = filtered_lib(a.out)
    rpath = os.path.join(a.out, "results.json")
    results = {}
    if os.path.exists(rpath):
        with open(rpath) as f:
            results = json.load(f)
    # A job that is no longer defined (renamed or removed) must not reach the report.
    stale = sorted(set(results) - {j["name"] for j in jobs()})
    if stale:
        print(f"run_synth: dropping the results of jobs no longer defined: {', '.join(stale)}")
        for name in stale:
            del results[name]
    if a.reparse:
        defs = {j["name"]: j for j in jobs()}
        for name, r in results.items():
            if name in defs:
                r["note"] = defs[name]["note"]
            read_results(os.path.join(a.out, name), r)
        todo = []
    for j in todo:  # one Yosys at a time
        print(f"run_synth: {j['name']} ...", flush=True)
        results[j["name"]] = run_job(j, a.out, os.path.relpath(lib, ROOT), a.yosys)
        r = results[j["name"]]
        print(f"run_synth: {j['name']}: {r['sky130'].get('area_um2', 0):.0f} um^2, "
              f"{r['sky130'].get('delay_ps', 0):.0f} ps, {r['seconds']} s", flush=True)
        with open(rpath + ".tmp", "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
        os.replace(rpath + ".tmp", rpath)
    with open(rpath + ".tmp", "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    os.replace(rpath + ".tmp", rpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
