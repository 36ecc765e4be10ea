#!/usr/bin/python3
"""Simulation speed of qsa_top: the Verilated model (Accel, default configuration, one thread, no
trace) against Icarus on the same test, LeNet-5 on MNIST test image 0. Prints JSON.

Usage: /usr/bin/python3 bench/sim_speed.py [--build build] [--model M.qsa] [--icarus-cycles N]

1. build/bin/qsa_sim_speed runs the whole image on the Verilated model (repeatedly, thread CPU
   time), checks the output against the reference model and writes the test's DRAM image,
   expected output and register values (build/sim_speed/).
2. testbench/qsa_top_sim_tb.sv runs the same test under Icarus (vvp): same registers, same
   AXI4-Lite timing, a DRAM model with AxiDram's timing, so the same clock cycles. It runs the
   whole image if that is expected to take under --icarus-limit seconds (120), checking the output
   and the cycle count against Verilator's; otherwise the first --icarus-cycles cycles after
   START, and Verilator is measured again over the same window (AccelConfig::max_cycles) for the
   ratio. Icarus time is vvp's user CPU time less that of a run that only loads and resets.

--smoke N (the ctest check tb.qsa_top_sim_tb.icarus): no timing; Icarus must load, reset and
run N cycles after START within --icarus-timeout seconds, i.e. no always_comb blocks of the RTL
wake each other forever under Icarus, and Verilator's window (qsa_sim_speed --max-cycles N)
must end N cycles after START too. Exits nonzero otherwise.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A Verilator window of N cycles after START reads back BUSY_CYCLES = N plus the cycles of the
# driver's register reads before it freezes the counters (10 in the default configuration).
WindowSlack = 32


def run(cmd, **kw):
    """Runs cmd (a list) from the repository root; fails loudly; returns stdout."""
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, **kw)
    except OSError as e:  # the program itself is missing or not executable
        sys.exit(f"sim_speed: cannot run {cmd[0]}: {e.strerror} (build first: make build)")
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"sim_speed: command failed ({p.returncode}): {' '.join(cmd)}")
    return p.stdout


def timed_vvp(cmd, timeout):
    """Runs vvp; returns (stdout, user CPU seconds of the child, wall seconds); stdout is None if
    it ran out of time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    t0 = time.monotonic()
    try:
        out = run(cmd, timeout=timeout)
    except subprocess.TimeoutExpired:
        out = None
    wall = time.monotonic() - t0
    return out, resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before, wall


def tb_cycles(out):
    for line in out.splitlines():
        if line.startswith("qsa_top_sim_tb: cycles "):
            return int(line.split()[2])
    sys.exit("sim_speed: the testbench printed no cycle count:\n" + out)


def per_cycle_counts(speed, model, work):
    """Instructions executed and branches mispredicted per simulated clock cycle inside
    Accel::Run (harness, driver and model), counted by valgrind's callgrind with its branch
    simulation over one whole run: unlike a rate in cycles per second they do not depend on the
    machine or its load, so speed work can be compared across runs. A mispredicted branch costs
    the host some 15-20 cycles, so both matter (a case on random weight codes cost more in
    mispredictions than in instructions); the mispredictions come from callgrind's simple model
    of a branch predictor, a guide to the host's, and the measured rate decides. {} (and a note
    on stderr) when valgrind is missing."""
    out = os.path.join(work, "callgrind.out")
    try:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--branch-sim=yes",
                            f"--callgrind-out-file={out}",
                            "--toggle-collect=qsa::sim::Accel::Run*", speed, model,
                            "--min-time", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    except OSError:
        sys.stderr.write("sim_speed: valgrind is missing (scripts/setup.sh installs it): no "
                         "instruction count\n")
        return {}
    # "Collected : Ir Bc Bcm Bi Bim": instructions, conditional branches and their
    # mispredictions, indirect branches and theirs.
    m = re.search(r"Collected : (\d+) (\d+) (\d+) (\d+) (\d+)", p.stderr)
    if p.returncode != 0 or m is None:
        sys.exit("sim_speed: the callgrind run failed:\n" + p.stderr[-2000:])
    ir, _, bcm, _, bim = (int(g) for g in m.groups())
    cycles = json.loads(p.stdout)["clock_cycles_per_run"]
    return {"instructions_per_cycle": round(ir / cycles),
            "mispredicts_per_cycle": round((bcm + bim) / cycles, 1)}


def icarus_version():
    """The Icarus in use, and why its speed on this RTL is what it is."""
    v = run(["iverilog", "-V"]).splitlines()[0].strip()
    return (f"Icarus is `{v}` (Debian 12's). Its always_comb scheduling has upstream bug #508 "
            "(fixed in Icarus 12): waking one always_comb block wakes every block linked before "
            "it, which costs this RTL, written with always_comb throughout, much of Icarus's "
            "speed; the ratio is against this version")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--model", help="encoded model (default: encode models/lenet5.onnx)")
    ap.add_argument("--icarus-cycles", type=int, default=600,
                    help="cycles of the partial Icarus run (default 600)")
    ap.add_argument("--icarus-limit", type=float, default=120.0,
                    help="longest whole Icarus run to attempt, seconds (default 120)")
    ap.add_argument("--min-time", type=float, default=3.0, help="Verilator CPU seconds")
    ap.add_argument("--icarus-timeout", type=float, default=120.0,
                    help="longest partial Icarus run, seconds (default 120)")
    ap.add_argument("--smoke", type=int, default=0, metavar="N",
                    help="only check that Icarus runs N cycles after START (no timing)")
    ap.add_argument("--work", help="directory of the test's files (default BUILD/sim_speed)")
    a = ap.parse_args()
    if a.smoke < 0:
        sys.exit(f"sim_speed: --smoke must be >= 0, got {a.smoke}")
    build = os.path.join(ROOT, a.build)
    work = os.path.abspath(a.work) if a.work else os.path.join(build, "sim_speed")
    os.makedirs(work, exist_ok=True)
    model = a.model
    if model is None:
        model = os.path.join(work, "lenet5.qsa")
        run([os.path.join(build, "bin", "qsa"), "encode", "models/lenet5.onnx", "-o", model])

    # 1. Verilator, whole image; the test's inputs for the testbench.
    speed = os.path.join(build, "bin", "qsa_sim_speed")
    vl = json.loads(run([speed, model, "--min-time", "0" if a.smoke else str(a.min_time),
                         "--dump", work]))
    if not vl["output_matches"]:
        sys.exit("sim_speed: the Verilated model's output differs from the reference model")
    if not a.smoke:
        vl.update(per_cycle_counts(speed, model, work))
    with open(os.path.join(work, "test.json")) as f:
        test = json.load(f)
    described = (f"{os.path.relpath(model, ROOT)} on MNIST test image 0, "
                 f"{test['cycles']} cycles START to DONE")

    # 2. Icarus.
    rtl = sorted(os.path.join("rtl", n) for n in os.listdir(os.path.join(ROOT, "rtl"))
                 if n.endswith(".sv"))
    vvp_file = os.path.join(work, "qsa_top_sim_tb.vvp")
    run(["iverilog", "-g2012", "-o", vvp_file, "-s", "qsa_top_sim_tb",
         f"-Pqsa_top_sim_tb.DramBase={test['dram_base']}", *rtl,
         "testbench/qsa_axi_dram_model.sv", "testbench/qsa_top_sim_tb.sv"])
    args = [f"+dram={work}/dram.hex", f"+expect={work}/expect.hex"]
    args += [f"+{k}={test[k]}" for k in ("model_base", "desc_ptr", "desc_count", "act_addr0",
                                         "act_addr1", "win_base", "win_limit", "out_addr",
                                         "out_bytes")]
    setup_out, setup_cpu, _ = timed_vvp(["vvp", "-n", vvp_file, "+setup_only", *args],
                                        a.icarus_timeout)
    if a.smoke:
        if setup_out is None:
            sys.exit(f"sim_speed: vvp did not load and reset within {a.icarus_timeout:.0f} s "
                     "(always_comb blocks that wake each other?)")
        out, cpu, _ = timed_vvp(["vvp", "-n", vvp_file, *args, f"+max_cycles={a.smoke}"],
                                a.icarus_timeout)
        if out is None:
            sys.exit(f"sim_speed: vvp did not run {a.smoke} cycles after START within "
                     f"{a.icarus_timeout:.0f} s (always_comb blocks that wake each other?)")
        n = tb_cycles(out)
        if n != a.smoke:
            sys.exit(f"sim_speed: Icarus stopped after {n} cycles, expected {a.smoke}:\n{out}")
        # Verilator's side of a partial run must cover the same window: a.smoke cycles after
        # START (BUSY_CYCLES: those, and the driver's few register reads before it freezes the
        # counters), every run from idle.
        vw = json.loads(run([speed, model, "--min-time", "0.05", "--max-cycles", str(a.smoke)]))
        if not a.smoke <= vw["cycles_per_run"] <= a.smoke + WindowSlack:
            sys.exit(f"sim_speed: Verilator's window is {vw['cycles_per_run']} BUSY cycles, "
                     f"expected {a.smoke} to {a.smoke + WindowSlack}")
        print(f"sim_speed: Icarus ran {n} cycles after START ({cpu:.1f} s CPU)")
        return
    # The partial run, bounded: Icarus can stall for good in a zero-delay loop of always_comb
    # blocks that wake each other; then a shorter window, and if that stalls too, no ratio.
    out = None
    n = 0
    for n in sorted({a.icarus_cycles, min(a.icarus_cycles, 100)}, reverse=True):
        if setup_out is None:
            break  # it does not even get through reset
        out, cpu, wall = timed_vvp(["vvp", "-n", vvp_file, *args, f"+max_cycles={n}"],
                                   a.icarus_timeout)
        if out is not None:
            break
    if out is None:
        what = ("load and reset" if setup_out is None
                else f"finish the first {n} cycles after START")
        note = (f"vvp did not {what} within {a.icarus_timeout:.0f} s: Icarus stalls in a zero-delay loop (always_comb "
                "blocks that wake each other), so there is no Icarus speed to compare")
        result = {"test": described,
                  "verilator": vl,
                  "icarus": {"simulator": "icarus", "whole_run": False, "completed": False,
                             "cycles": 0, "cpu_seconds": None, "cycles_per_second": None,
                             "note": note},
                  "verilator_over_icarus": None}
        print(json.dumps(result, indent=2))
        return
    part_cycles = tb_cycles(out)
    part_cps = part_cycles / max(cpu - setup_cpu, 1e-9)
    ic = {"simulator": "icarus", "completed": True, "setup_cpu_seconds": round(setup_cpu, 3)}
    whole = test["cycles"] / part_cps < a.icarus_limit
    why = (f"the whole run ({test['cycles']} cycles) would take about "
           f"{test['cycles'] / part_cps:.0f} s")
    if whole:
        # Twice the limit: the rate of the first cycles is only an estimate.
        out, cpu, wall = timed_vvp(["vvp", "-n", vvp_file, *args,
                                    f"+expect_cycles={test['cycles']}"], 2 * a.icarus_limit)
        if out is None:
            whole = False
            why = f"the whole run did not end within {2 * a.icarus_limit:.0f} s"
    if whole:
        if "PASS" not in out:
            sys.exit("sim_speed: the Icarus run failed:\n" + out)
        cycles = tb_cycles(out)
        ic.update(whole_run=True, cycles=cycles, cpu_seconds=round(cpu, 3),
                  cycles_per_second=round(cycles / max(cpu - setup_cpu, 1e-9), 1),
                  output_matches=True, cycles_match_verilator=cycles == test["cycles"])
        ratio = vl["cycles_per_second"] / ic["cycles_per_second"]
        vl_window = None
    else:
        ic.update(whole_run=False, cycles=part_cycles, cpu_seconds=round(cpu, 3),
                  cycles_per_second=round(part_cps, 1),
                  note=f"{why}: Icarus ran the first {part_cycles} cycles after START, and "
                       f"Verilator is also measured over that window (every run from idle; "
                       f"its BUSY_CYCLES include the driver's reads before it freezes the "
                       f"counters). {icarus_version()}")
        vl_window = json.loads(run([speed, model, "--min-time", "1",
                                    "--max-cycles", str(part_cycles)]))
        ratio = vl_window["cycles_per_second"] / ic["cycles_per_second"]
    result = {"test": described,
              "verilator": vl, "icarus": ic, "verilator_over_icarus": round(ratio, 1)}
    if vl_window is not None:
        result["verilator_same_window"] = vl_window
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
