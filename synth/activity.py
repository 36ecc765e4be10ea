#!/usr/bin/python3
"""Switching-activity energy proxy (issue 6): gate-level toggles on recorded LeNet-5 operands.

For each design (synth/rtl/qsa_pe_datapath.sv and synth/rtl/conv_pe.sv at L lanes, and
rtl/qsa_qs_mult.sv and synth/rtl/exact_mult.sv alone) this
  1. synthesizes it with Yosys to generic cells (`synth -top TOP`, hierarchy kept so that the
     multiplier inside the QSA datapath is its own VCD scope), writes the netlist
     (`write_verilog -noattr -norename`: gates as continuous assignments, flip-flops as
     always blocks; functionally the cells of /usr/share/yosys/simcells.v) and `write_json`;
  2. simulates the netlist under Icarus on an operand stream recorded by
     build/bin/qsa_record_operands from the reference model's LeNet-5 run, dumping a VCD;
  3. counts 0<->1 transitions of every net bit and weights each by its fanout (cell input
     pins it drives, +1 for a top-level output): the proxy sum(toggles x fanout). Zero-delay
     simulation: functional toggles only, no glitches.
  4. simulates the same netlists again with every gate delayed by one unit (unit_delay(): a
     gate assignment of the netlist gets `#GATE_DELAY`, wires and flip-flops none), so that
     paths of unequal depth make glitches, and counts them the same way: a glitch-aware
     variant of the proxy (the conventional PE, the QSA datapath at every k, the multipliers).
Writes OUT/activity.json with the numbers and a markdown section for synth/report.py.

  synth/activity.py --build build --out build/synth [--lanes 8 16] [--images 1] [--slots 2000]
  synth/activity.py --self-test --out DIR   (ctest synth.activity.parse)
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = "rtl/qsa_0_pkg.sv"
TARGET = 0.40


def sh(cmd, **kw):
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, **kw)
    except OSError as e:  # the program itself is missing or not executable
        raise SystemExit(f"activity: cannot run {cmd[0]}: {e.strerror} (build first: make build)")
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:])
        raise SystemExit(f"activity: failed: {' '.join(cmd)}")
    return p.stdout


def netlist(out, name, top, sources, params):
    base = os.path.join(out, "act_" + name)
    lines = ["read_verilog -sv " + " ".join(sources)]
    lines += [f"chparam -set {k} {v} {top}" for k, v in params.items()]
    lines += [f"hierarchy -check -top {top}", f"rename -top {top}", f"synth -top {top}",
              "opt_clean -purge", f"write_verilog -noattr -norename {base}.v",
              f"write_json {base}.json"]
    with open(base + ".ys", "w") as f:
        f.write("\n".join(lines) + "\n")
    sh(["yosys", "-q", "-l", base + ".ys.log", "-s", base + ".ys"])
    return base


# Unit-delay variant: every gate of the generic netlist gets the same delay, 1 ps under the
# testbenches' `timescale 1ns/1ps`, against a 5 ns half clock period: logic up to 5,000 gates
# deep settles inside each half period, so each cycle's values are the zero-delay ones and only
# the glitches on the way are added. write_verilog writes a gate as `assign y = <expr>;` with an
# operator in <expr>, and a plain connection (a wire, a bit select, a concatenation) without one.
GATE_DELAY = "0.001"
GATE_OPS = re.compile(r"[&|^~?]")


def unit_delay(base):
    """Writes base_ud.v: base.v with `#GATE_DELAY` on every gate assignment. Returns its base."""
    out = base + "_ud"
    gates = 0
    with open(base + ".v") as f, open(out + ".v", "w") as g:
        g.write("`timescale 1ns/1ps\n")
        for line in f:
            m = re.match(r"(\s*)assign (.+?) = (.+);\s*$", line)
            if m and GATE_OPS.search(m.group(3)):
                line = f"{m.group(1)}assign #{GATE_DELAY} {m.group(2)} = {m.group(3)};\n"
                gates += 1
            g.write(line)
    if gates == 0:
        raise SystemExit(f"activity: no gate assignment found in {base}.v")
    return out


def fanouts(json_path, top):
    """{(module, bit): fanout}, {module: {net name: bits}}, {module: {instance: module}}."""
    with open(json_path) as f:
        mods = json.load(f)["modules"]
    fan, names, subs = {}, {}, {}
    for mname, m in mods.items():
        names[mname] = {n: v["bits"] for n, v in m["netnames"].items()}
        subs[mname] = {}
        for cname, c in m["cells"].items():
            if c["type"] in mods:  # a submodule: its own nets carry the fanout inside it
                subs[mname][cname] = c["type"]
                continue
            for port, bits in c["connections"].items():
                if c["port_directions"].get(port) == "input":
                    for b in bits:
                        if isinstance(b, int):
                            fan[(mname, b)] = fan.get((mname, b), 0) + 1
        if mname == top:
            for p, v in m["ports"].items():
                if v["direction"] == "output":
                    for b in v["bits"]:
                        if isinstance(b, int):
                            fan[(mname, b)] = fan.get((mname, b), 0) + 1
    return fan, names, subs


def clean(name):
    return name.lstrip("\\").strip()


def count_vcd(vcd, top, fan, names, subs, clock="clk_i"):
    """Toggles and fanout-weighted toggles per top-level scope part ('top' / instance)."""
    vars_ = {}  # id -> list of (group, [weights msb first], is_clock)
    scope = []
    seen = set()  # (instance path, bit): a net under several names is counted once
    seen_bits = set()  # (module, bit) shown at least once, for the coverage check
    cur = {}
    totals = {}
    with open(vcd) as f:
        for line in f:
            if line.startswith("$enddefinitions"):
                break
            t = line.split()
            if not t:
                continue
            if t[0] == "$scope":
                scope.append(clean(t[2]))
            elif t[0] == "$upscope":
                scope.pop()
            elif t[0] == "$var":
                width, ident, nm = int(t[2]), t[3], clean(t[4])
                if len(scope) < 2:
                    continue  # the testbench's own signals
                mod, group = top, "top"
                for inst in scope[2:]:
                    mod = subs[mod].get(inst, mod)
                    group = inst if group == "top" else group
                bits = names.get(mod, {}).get(nm) or names.get(mod, {}).get("\\" + nm)
                if bits is None:
                    for k, v in names.get(mod, {}).items():
                        if clean(k) == nm:
                            bits = v
                            break
                if bits is None or len(bits) != width:
                    continue
                w = []
                path = "/".join(scope[2:])
                for b in reversed(bits):  # msb first, as the VCD value
                    key = (path, b)
                    if not isinstance(b, int) or key in seen:
                        w.append(0)
                    else:
                        seen.add(key)
                        seen_bits.add((mod, b))
                        w.append(fan.get((mod, b), 0))
                if any(w):
                    vars_.setdefault(ident, []).append((group, w, nm == clock))
        for line in f:
            c = line[0]
            if c in "01xz":
                ident, val = line[1:].strip(), c
            elif c == "b":
                val, ident = line[1:].split()
            else:
                continue
            if ident not in vars_:
                continue
            for group, w, is_clk in vars_[ident]:
                width = len(w)
                if len(val) < width:
                    val = (val[0] if val[0] in "xz" else "0") * (width - len(val)) + val
                old = cur.get(ident)
                if old is not None:
                    tg = wt = 0
                    for i in range(width):
                        if old[i] != val[i] and old[i] in "01" and val[i] in "01":
                            tg += 1
                            wt += w[i]
                    key = (group, "clock" if is_clk else "data")
                    t0, w0 = totals.get(key, (0, 0))
                    totals[key] = (t0 + tg, w0 + wt)
            cur[ident] = val
    # Share of all fanout-weighted net bits of the netlist that the VCD showed (a check that
    # the names matched); bits never dumped (none expected) would be missing from the proxy.
    coverage = sum(fan.get(k, 0) for k in seen_bits) / max(1, sum(fan.values()))
    return totals, coverage


TB = """`timescale 1ns/1ps
module tb;
  reg clk_i = 1'b0, rst_ni = 1'b0;
  integer fd, r;
{decl}
  {top} dut ({conn});
  always #5 clk_i = ~clk_i;
  initial begin
{init}
    fd = $fopen("{stream}", "r");
    repeat (2) @(negedge clk_i);
    rst_ni = 1'b1;
    @(negedge clk_i);
    $dumpfile("{vcd}");
    $dumpvars(0, tb.dut);
    while (!$feof(fd)) begin
      r = $fscanf(fd, "{fmt}\\n", {reads});
      @(negedge clk_i);
    end
{idle}
    repeat (4) @(negedge clk_i);
    $finish;
  end
endmodule
"""


# The digit-serial design point (qsa_pe_datapath Serial=1): a vector's last group is held
# (stall_i, its operands in place) while the multiplier is busy with the previous vector (and
# one cycle after a last group, whose multiply loads a cycle later), as a stalling array would.
TB_SERIAL = """`timescale 1ns/1ps
module tb;
  reg clk_i = 1'b0, rst_ni = 1'b0;
  integer fd, r;
  reg clr_i, valid_i, last_i, stall_i, pend;
  reg [7:0] alpha_i;
  reg [2:0] k_i;
  reg [{cw}:0] code_i;
  reg [{aw}:0] act_i;
  reg v_n, l_n;
  reg [7:0] a_n;
  reg [{cw}:0] c_n;
  reg [{aw}:0] x_n;
  wire busy_o;
  qsa_pe_datapath dut (.clk_i(clk_i), .rst_ni(rst_ni), .clr_i(clr_i), .valid_i(valid_i),
    .last_i(last_i), .stall_i(stall_i), .code_i(code_i), .act_i(act_i), .alpha_i(alpha_i), .k_i(k_i),
    .busy_o(busy_o), .acc_o());
  always #5 clk_i = ~clk_i;
  initial begin
    clr_i = 0; valid_i = 0; last_i = 0; stall_i = 0; alpha_i = 0; code_i = 0; act_i = 0;
    pend = 0;
    k_i = 3'd{k};
    fd = $fopen("{stream}", "r");
    repeat (2) @(negedge clk_i);
    rst_ni = 1'b1;
    @(negedge clk_i);
    $dumpfile("{vcd}");
    $dumpvars(0, tb.dut);
    while (!$feof(fd)) begin
      r = $fscanf(fd, "%h %h %h %h %h\\n", v_n, l_n, a_n, c_n, x_n);
      valid_i = v_n; last_i = l_n; alpha_i = a_n; code_i = c_n; act_i = x_n;
      if (v_n && l_n) begin
        stall_i = 1;
        while (busy_o || pend) begin
          pend = 0;
          @(negedge clk_i);
        end
        stall_i = 0;
      end
      pend = v_n && l_n;
      @(negedge clk_i);
    end
    valid_i = 0; last_i = 0; code_i = 0; act_i = 0;
    repeat (12) @(negedge clk_i);
    $finish;
  end
endmodule
"""

# The digit-serial multiplier alone: load (x, α), then clock while it is busy.
TB_SERIAL_MULT = """`timescale 1ns/1ps
module tb;
  reg clk_i = 1'b0, rst_ni = 1'b0;
  integer fd, r;
  reg load_i;
  reg [16:0] x_i;
  reg [7:0] alpha_i;
  reg [2:0] k_i;
  wire busy_o;
  qs_mult_serial dut (.clk_i(clk_i), .rst_ni(rst_ni), .load_i(load_i), .x_i(x_i),
    .alpha_i(alpha_i), .k_i(k_i), .busy_o(busy_o), .add_o(), .cin_o());
  always #5 clk_i = ~clk_i;
  initial begin
    load_i = 0; x_i = 0; alpha_i = 0; k_i = 3'd{k};
    fd = $fopen("{stream}", "r");
    repeat (2) @(negedge clk_i);
    rst_ni = 1'b1;
    @(negedge clk_i);
    $dumpfile("{vcd}");
    $dumpvars(0, tb.dut);
    while (!$feof(fd)) begin
      r = $fscanf(fd, "%h %h\\n", x_i, alpha_i);
      load_i = 1;
      @(negedge clk_i);
      load_i = 0;
      while (busy_o) @(negedge clk_i);
    end
    repeat (4) @(negedge clk_i);
    $finish;
  end
endmodule
"""


def testbench(path, top, ports, reads, fmt, init, idle, stream, vcd):
    decl = "\n".join(f"  reg [{w - 1}:0] {n};" for n, w in ports)
    named = [f".{n}({n})" for n, _ in ports]
    if top == "qsa_qs_mult":
        conn = ", ".join(named + [".clk_i(clk_i)", ".rst_ni(rst_ni)", ".p_o()", ".pp_count_o()"])
    elif top == "exact_mult":  # combinational: no clock or reset
        conn = ", ".join(named + [".p_o()"])
    else:
        conn = ", ".join([".clk_i(clk_i)", ".rst_ni(rst_ni)"] + named + [".acc_o()"])
    with open(path, "w") as f:
        f.write(TB.format(decl=decl, top=top, conn=conn, init=init, stream=stream, vcd=vcd,
                          fmt=fmt, reads=reads, idle=idle))


def simulate(out, base, tb, name):
    vvp = os.path.join(out, f"act_{name}.vvp")
    sh(["iverilog", "-g2012", "-o", vvp, tb, base + ".v"])
    sh(["vvp", "-n", vvp])


SELF_TEST_RTL = """module st_add (input [3:0] a, input [3:0] b, output [4:0] s);
  assign s = a + b;
endmodule
module st_and (input c, input d, output y);
  assign y = c & d;
endmodule
module st_top (input clk_i, input [3:0] a_i, input [3:0] b_i, input c_i, input d_i,
               output [4:0] s_o, output y_o);
  st_add u_add (.a(a_i), .b(b_i), .s(s_o));
  st_and u_and (.c(c_i), .d(d_i), .y(y_o));
endmodule
"""

# One input vector per cycle. The AND gate's inputs change one at a time (c and d toggle twice
# each, y twice): no glitch is possible, so both delay models count c and d's 4 toggles x
# fanout 1. The adder's 0 + 0 -> 15 + 1 steps ripple a carry through every bit: under unit
# delay the sum bits glitch on the way, so the design's count must exceed the zero-delay one.
SELF_TEST_TB = """`timescale 1ns/1ps
module tb;
  reg clk_i = 1'b0;
  reg [3:0] a_i = 0, b_i = 0;
  reg c_i = 0, d_i = 0;
  st_top dut (.clk_i(clk_i), .a_i(a_i), .b_i(b_i), .c_i(c_i), .d_i(d_i), .s_o(), .y_o());
  always #5 clk_i = ~clk_i;
  initial begin
    $dumpfile("{vcd}");
    $dumpvars(0, tb.dut);
    @(negedge clk_i); a_i = 15; b_i = 1; c_i = 1;
    @(negedge clk_i); a_i = 0;  b_i = 0; d_i = 1;
    @(negedge clk_i); a_i = 15; b_i = 1; c_i = 0;
    @(negedge clk_i); a_i = 0;  b_i = 0; d_i = 0;
    repeat (2) @(negedge clk_i);
    $finish;
  end
endmodule
"""


def self_test(out):
    """ctest synth.activity.parse: the toggle count and the unit-delay variant on a tiny
    netlist whose counts are known (an AND gate) or must grow with glitches (an adder)."""
    os.makedirs(out, exist_ok=True)
    src = os.path.join(out, "st_top.v")
    with open(src, "w") as f:
        f.write(SELF_TEST_RTL)
    base = netlist(out, "self_test", "st_top", [src], {})

    def write_tb(tb, vcd):
        with open(tb, "w") as f:
            f.write(SELF_TEST_TB.replace("{vcd}", vcd))

    m = measure(out, base, "st_top", "self_test", write_tb)
    shown = {d: keyed(tot) for d, (tot, _) in m.items()}
    fails = []
    for d, (tot, cov) in m.items():
        if cov != 1.0:
            fails.append(f"{d}: the VCD showed {100 * cov:.1f} % of the net bits, not all")
        got = tot.get(("u_and", "data"), (0, 0))
        if got != (4, 4):
            fails.append(f"{d}: AND gate inputs counted {got} (toggles, weighted), not (4, 4)")
    # the adder's sum glitches where it leaves (s_o, counted at the top as an output)
    zd, ud = (wsum(shown[d], lambda g, kind: kind == "data") for d in ("zd", "ud"))
    if not zd or ud <= zd:
        fails.append(f"adder: unit delay counted {ud} toggles x fanout, zero delay {zd}: "
                     "no glitch seen")
    print(json.dumps(shown, indent=1))
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


def measure(out, base, top, name, write_tb, delays=("zd", "ud")):
    """Simulates netlist `base` of `top` under each delay model ("zd": zero delay, "ud": unit
    delay) with the testbench write_tb(tb_path, vcd_path) writes; {model: ({(group, kind):
    (toggles, weighted)}, coverage)}."""
    fan, names, subs = fanouts(base + ".json", top)
    res = {}
    for d in delays:
        suffix = "" if d == "zd" else "_" + d
        nb = base if d == "zd" else unit_delay(base)
        tb = os.path.join(out, f"act_{name}{suffix}_tb.v")
        vcd = os.path.join(out, f"act_{name}{suffix}.vcd")
        write_tb(tb, vcd)
        simulate(out, nb, tb, name + suffix)
        res[d] = count_vcd(vcd, top, fan, names, subs)
        os.remove(vcd)
    return res


def keyed(tot):
    return {f"{g}_{k}": v for (g, k), v in tot.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "synth"))
    ap.add_argument("--lanes", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--images", type=int, default=1)
    ap.add_argument("--slots", type=int, default=2000, help="MAC slots sampled per layer")
    ap.add_argument("--model", default=None, help="encoded LeNet-5 (.qsa)")
    ap.add_argument("--self-test", action="store_true",
                    help="check the toggle count and the unit-delay variant on tiny circuits")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    if a.self_test:
        return self_test(out)
    sdir = os.path.join(out, "streams")
    os.makedirs(sdir, exist_ok=True)
    model = a.model or os.path.join(out, "lenet5.qsa")
    res = {"lanes": {}, "images": a.images, "slots_per_layer": a.slots,
           "gate_delay_ps": float(GATE_DELAY) * 1000}
    for L in a.lanes:
        sh([os.path.join(a.build, "bin", "qsa_record_operands"), "models/lenet5.onnx", model,
            sdir, str(L), str(a.images), str(a.slots)])
        with open(os.path.join(sdir, f"meta_L{L}.json")) as f:
            meta = json.load(f)
        slots = sum(x["mac_slots"] for x in meta["layers"])
        r = {"mac_slots": slots, "qsa_cycles": sum(x["qsa_cycles"] for x in meta["layers"]),
             "conv_cycles": sum(x["conv_cycles"] for x in meta["layers"]),
             "multiplies": sum(x["multiplies"] for x in meta["layers"]), "qsa": {},
             "unit_delay": {"qsa": {}}}
        # conventional PE
        base = netlist(out, f"conv_L{L}", "conv_pe", ["synth/rtl/conv_pe.sv"], {"Lanes": L})
        m = measure(out, base, "conv_pe", f"conv_L{L}", lambda tb, vcd: testbench(
            tb, "conv_pe", [("clr_i", 1), ("valid_i", 1), ("wgt_i", 8 * L), ("act_i", 8 * L)],
            "valid_i, wgt_i, act_i", "%h %h %h",
            "    clr_i = 0; valid_i = 0; wgt_i = 0; act_i = 0;",
            "    valid_i = 0; wgt_i = 0; act_i = 0;",
            os.path.join(sdir, f"conv_L{L}.txt"), vcd))
        r["conv"] = keyed(m["zd"][0])
        r["unit_delay"]["conv"] = keyed(m["ud"][0])
        r["coverage"] = {"conv": m["zd"][1], "conv_ud": m["ud"][1]}
        # QSA datapath, every k
        base = netlist(out, f"qsa_L{L}", "qsa_pe_datapath",
                       [PKG, "rtl/qsa_lane.sv", "rtl/qsa_naf_recoder.sv", "rtl/qsa_naf_mult.sv",
                        "synth/rtl/qsa_pe_datapath.sv"], {"Lanes": L})
        for k in range(6):
            m = measure(out, base, "qsa_pe_datapath", f"qsa_L{L}_k{k}", lambda tb, vcd: testbench(
                tb, "qsa_pe_datapath",
                [("clr_i", 1), ("valid_i", 1), ("last_i", 1), ("stall_i", 1), ("alpha_i", 8),
                 ("code_i", 3 * L), ("act_i", 8 * L), ("k_i", 3)],
                "valid_i, last_i, alpha_i, code_i, act_i", "%h %h %h %h %h",
                f"    clr_i = 0; valid_i = 0; last_i = 0; stall_i = 0; alpha_i = 0; "
                f"code_i = 0; act_i = 0; k_i = 3'd{k};",
                "    valid_i = 0; last_i = 0; code_i = 0; act_i = 0;",
                os.path.join(sdir, f"qsa_L{L}.txt"), vcd))
            r["qsa"][str(k)] = keyed(m["zd"][0])
            r["unit_delay"]["qsa"][str(k)] = keyed(m["ud"][0])
            r["coverage"][f"qsa_k{k}"] = m["zd"][1]
            r["coverage"][f"qsa_k{k}_ud"] = m["ud"][1]
        # the digit-serial design point, every k (zero delay only)
        base = netlist(out, f"qsa_serial_L{L}", "qsa_pe_datapath",
                       [PKG, "rtl/qsa_lane.sv", "rtl/qsa_naf_recoder.sv", "rtl/qsa_naf_mult.sv",
                        "synth/rtl/qs_mult_serial.sv",
                        "synth/rtl/qsa_pe_datapath.sv"], {"Lanes": L, "Serial": 1})
        r["serial"] = {}
        for k in range(6):
            def serial_tb(tb, vcd, k=k):
                with open(tb, "w") as f:
                    f.write(TB_SERIAL.replace("{cw}", str(3 * L - 1))
                            .replace("{aw}", str(8 * L - 1)).replace("{k}", str(k))
                            .replace("{stream}", os.path.join(sdir, f"qsa_L{L}.txt"))
                            .replace("{vcd}", vcd))
            m = measure(out, base, "qsa_pe_datapath", f"serial_L{L}_k{k}", serial_tb, ("zd",))
            r["serial"][str(k)] = keyed(m["zd"][0])
            r["coverage"][f"serial_k{k}"] = m["zd"][1]
        res["lanes"][str(L)] = r
        print(f"activity: L = {L} done", flush=True)
    # the multiplier alone, every k, on the recorded (S_v, α) stream
    base = netlist(out, "qs_mult", "qsa_qs_mult",
                   [PKG, "rtl/qsa_naf_mult.sv", "rtl/qsa_qs_mult.sv"], {})
    with open(os.path.join(sdir, "mult.txt")) as f:
        nmul = sum(1 for _ in f)
    res["mult"] = {"multiplies": nmul, "k": {}, "unit_delay": {}, "coverage": {}}
    for k in range(6):
        m = measure(out, base, "qsa_qs_mult", f"mult_k{k}", lambda tb, vcd: testbench(
            tb, "qsa_qs_mult", [("x_i", 17), ("alpha_i", 8), ("k_i", 3)], "x_i, alpha_i",
            "%h %h", f"    x_i = 0; alpha_i = 0; k_i = 3'd{k};", "",
            os.path.join(sdir, "mult.txt"), vcd))
        res["mult"]["k"][str(k)] = keyed(m["zd"][0])
        res["mult"]["unit_delay"][str(k)] = keyed(m["ud"][0])
        res["mult"]["coverage"][str(k)] = m["zd"][1]
        res["mult"]["coverage"][f"{k}_ud"] = m["ud"][1]
    # the exact multiplier of the same widths on the same stream: the reference that the
    # quality-scalable multiply's activity is a ratio of (synth/report.py's error plot)
    base = netlist(out, "exact_mult", "exact_mult", [PKG, "synth/rtl/exact_mult.sv"], {})
    m = measure(out, base, "exact_mult", "exact_mult", lambda tb, vcd: testbench(
        tb, "exact_mult", [("x_i", 17), ("alpha_i", 8)], "x_i, alpha_i", "%h %h",
        "    x_i = 0; alpha_i = 0;", "", os.path.join(sdir, "mult.txt"), vcd))
    res["exact_mult"] = {"multiplies": nmul, "coverage": m["zd"][1],
                         "coverage_ud": m["ud"][1], "toggles": keyed(m["zd"][0]),
                         "toggles_ud": keyed(m["ud"][0])}
    base = netlist(out, "qs_serial", "qs_mult_serial", [PKG, "synth/rtl/qs_mult_serial.sv"], {})
    res["serial_mult"] = {"multiplies": nmul, "k": {}, "coverage": {}}
    for k in range(6):
        def serial_mult_tb(tb, vcd, k=k):
            with open(tb, "w") as f:
                f.write(TB_SERIAL_MULT.replace("{k}", str(k))
                        .replace("{stream}", os.path.join(sdir, "mult.txt"))
                        .replace("{vcd}", vcd))
        m = measure(out, base, "qs_mult_serial", f"serial_mult_k{k}", serial_mult_tb, ("zd",))
        res["serial_mult"]["k"][str(k)] = keyed(m["zd"][0])
        res["serial_mult"]["coverage"][str(k)] = m["zd"][1]
    res["markdown"] = markdown(res)
    with open(os.path.join(out, "activity.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(res["markdown"])
    return 0


def mult_per_multiply(res):
    """Data toggles × fanout per multiply on the recorded (S_v, α) stream: {k: qsa_qs_mult at
    k}, and exact_mult's (None when it was not measured)."""
    m = res["mult"]
    runtime = {k: wsum(v, lambda g, kind: kind == "data") / max(1, m["multiplies"])
               for k, v in m["k"].items()}
    ex = res.get("exact_mult")
    exact = (wsum(ex["toggles"], lambda g, kind: kind == "data") / max(1, ex["multiplies"])
             if ex else None)
    return runtime, exact


def is_mult(group):
    """A VCD group of the α multiply: its rows (u_mult) and, in the QSA datapath, α's recoder
    (u_recode, one stage earlier)."""
    return group.endswith("u_mult") or group.endswith("u_recode")


def wsum(d, pred=lambda g, kind: True):
    return sum(v[1] for key, v in d.items() for g, kind in [key.rsplit("_", 1)] if pred(g, kind))


def unit_delay_section(res, w):
    """The glitch-aware variant: the same netlists and streams under unit gate delay."""
    data = lambda g, kind: kind == "data"  # noqa: E731
    mult = lambda g, kind: kind == "data" and is_mult(g)  # noqa: E731
    w(f"**Glitch-aware variant (unit delay).** The same netlists and streams, simulated again "
      f"with every generic gate delayed by {res['gate_delay_ps']:g} ps (flip-flops and wires "
      "none; the half clock period is 5 ns, so every cycle settles to the zero-delay values). "
      "A net that an unequal-depth path makes change and change back within the cycle is "
      "counted too: the glitches of the adders and multiplier arrays, which zero delay leaves "
      "out. Equal delays for all gates are a crude model (real cells differ, and so do their "
      "glitches), so this is a second view, not a replacement: the target above is judged on "
      "the zero-delay proxy. Glitch factor = unit-delay / zero-delay data activity.\n")
    w("| L | k | QSA data / MAC | of which α multiply | conventional data / MAC | "
      "QSA / conventional (data) | QSA glitch factor | conventional glitch factor |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst8 = None
    for L, r in res["lanes"].items():
        n = r["mac_slots"]
        ud = r["unit_delay"]
        cd = wsum(ud["conv"], data) / n
        cz = wsum(r["conv"], data) / n
        for k, q in ud["qsa"].items():
            qd = wsum(q, data) / n
            qm = wsum(q, mult) / n
            qz = wsum(r["qsa"][k], data) / n
            w(f"| {L} | {k} | {qd:.1f} | {qm:.1f} | {cd:.1f} | {100 * qd / cd:.1f} % | "
              f"{qd / qz:.2f}× | {cd / cz:.2f}× |")
            if L == "8":
                worst8 = max(worst8 or 0, qd / cd)
    if worst8 is not None:
        w(f"\nUnder unit delay the QSA datapath at L = 8 is {100 * worst8:.1f} % of the "
          "conventional PE's data activity per MAC (worst k).")
    r8 = res["lanes"].get("8")
    if r8 and "0" in r8["qsa"]:
        n = r8["mac_slots"]
        qu, qz = r8["unit_delay"]["qsa"]["0"], r8["qsa"]["0"]
        rest = ((wsum(qu, data) - wsum(qu, mult)) / (wsum(qz, data) - wsum(qz, mult)))
        w(f"At L = 8, k = 0, the datapath without its multiply (lanes, lane adder, registers, "
          f"accumulator) has a glitch factor of {rest:.2f}×, its α multiply "
          f"{wsum(qu, mult) / max(1, wsum(qz, mult)):.2f}×, the conventional PE "
          f"{wsum(r8['unit_delay']['conv'], data) / wsum(r8['conv'], data):.2f}× "
          f"({wsum(qu, data) / n:.1f}, {wsum(qz, data) / n:.1f} per MAC in all).")
        ud8 = r8["unit_delay"]["qsa"]
        d0 = wsum(ud8["0"], data)
        moves = ", ".join(f"k = {k}: {100 * (wsum(v, data) - d0) / d0:+.1f} %"
                          for k, v in ud8.items() if k != "0")
        w(f"What k does under unit delay (L = 8, datapath activity per MAC against k = 0): "
          f"{moves}.")
    w("")
    m = res["mult"]
    ex = res.get("exact_mult", {})
    if m.get("unit_delay") and ex.get("toggles_ud"):
        runtime_z, exact_z = mult_per_multiply(res)
        exact = wsum(ex["toggles_ud"], data) / max(1, ex["multiplies"])
        w("The multipliers alone under unit delay, on the same stream of (S_v, α) pairs "
          f"(`exact_mult`: {exact:.1f} data toggles × fanout per multiply, a glitch factor of "
          f"{exact / exact_z:.2f}×):\n")
        w("| k | `qsa_qs_mult` per multiply (unit delay) | vs `exact_mult` (unit delay) | "
          "glitch factor |")
        w("|---:|---:|---:|---:|")
        for k, v in m["unit_delay"].items():
            pu = wsum(v, data) / max(1, m["multiplies"])
            pz = runtime_z[k]
            w(f"| {k} | {pu:.1f} | {pu / exact:.2f}× | {pu / pz:.2f}× |")
        w("")


def markdown(res):
    o = []
    w = o.append
    w("Proxy: Σ over net bits of (0↔1 transitions × fanout), from a zero-delay Icarus "
      "simulation of the Yosys generic-cell netlist (`synth -top`, hierarchy kept; "
      "`synth/activity.py`). Operands: `build/bin/qsa_record_operands` (`synth/record_operands.cc`)"
      f" runs the reference model on {res['images']} MNIST test image(s) and samples about "
      f"{res['slots_per_layer']} MAC slots per LeNet-5 layer (evenly spaced (position, filter) "
      "pairs, whole filters). The QSA datapath sees each vector's nonzero codes, L per cycle, "
      "with their activations and α; the conventional PE sees every slot, L per cycle, with "
      "per-filter int8 weights of the float model (round(127·w/max|w|)) and the same "
      "activations. Per MAC = per MAC slot of the sample (the same slots for both). "
      "Data = every net but the clock; clock = the clock net (its fanout is the flip-flop "
      "count), listed apart.\n")
    w("| L | k | MAC slots | cycles | QSA data / MAC | of which α multiply | multiply share | "
      "QSA clock / MAC | conventional data / MAC | conventional clock / MAC | QSA / conventional "
      "(data) | QSA / conventional (data + clock) |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for L, r in res["lanes"].items():
        n = r["mac_slots"]
        cd = wsum(r["conv"], lambda g, kind: kind == "data") / n
        cc = wsum(r["conv"], lambda g, kind: kind == "clock") / n
        for k, q in r["qsa"].items():
            qd = wsum(q, lambda g, kind: kind == "data") / n
            qm = wsum(q, lambda g, kind: kind == "data" and is_mult(g)) / n
            qc = wsum(q, lambda g, kind: kind == "clock") / n
            w(f"| {L} | {k} | {n:,} | {r['qsa_cycles']:,} vs {r['conv_cycles']:,} | {qd:.1f} | "
              f"{qm:.1f} | {100 * qm / qd:.1f} % | {qc:.1f} | {cd:.1f} | {cc:.1f} | "
              f"{100 * qd / cd:.1f} % | {100 * (qd + qc) / (cd + cc):.1f} % |")
    r8 = res["lanes"].get("8")
    if r8:
        n = r8["mac_slots"]
        cd = wsum(r8["conv"], lambda g, kind: kind == "data") / n
        worst = max(wsum(q, lambda g, kind: kind == "data") / n for q in r8["qsa"].values())
        w(f"\n**Target (issue 6): QSA PE activity per MAC ≤ {100 * TARGET:.0f} % of the "
          f"conventional PE's at L = 8: {'MET' if worst / cd <= TARGET else 'NOT MET'}** "
          f"(data nets, worst k: {100 * worst / cd:.1f} %).\n")
        q = r8["qsa"]
        if "0" in q and "1" in q:
            d0 = wsum(q["0"], lambda g, kind: kind == "data") / n
            d1 = wsum(q["1"], lambda g, kind: kind == "data") / n
            m0 = wsum(q["0"], lambda g, kind: kind == "data" and is_mult(g)) / n
            saving = 100 * (d0 - d1) / d0
            verdict = ("nearly free: the quality knob buys little energy here"
                       if saving < 5 else "not free: the quality knob buys energy")
            w(f"What k buys (L = 8): the α multiply is {100 * m0 / d0:.1f} % of the QSA "
              f"datapath's data activity at k = 0 (exact), and k = 1 lowers the datapath's "
              f"activity per MAC by {saving:.1f} % ({d0:.1f} -> {d1:.1f}). With one multiply per "
              f"vector, k is {verdict}.\n")
    w("Where the QSA datapath's data activity goes at k = 0 (exact), per MAC slot: the lanes "
      "(the L `qsa_lane` instances: decode, shift select, ones' complement), the α multiply "
      "(α's recoder `qsa_naf_recoder` as the vector enters s2, and the rows `qsa_naf_mult`), "
      "and the rest (the lane adder, the s1 / S_v / s2 registers and the "
      "accumulator with its adder). The last column is what the datapath would be with a "
      "multiply that cost nothing.\n")
    bare = None
    w("| L | lanes | α multiply | lane adder, registers, accumulator | total | conventional PE "
      "| lanes / conventional | without the multiply / conventional |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for L, r in res["lanes"].items():
        q = r["qsa"].get("0")
        if not q:
            continue
        n = r["mac_slots"]
        cd = wsum(r["conv"], lambda g, kind: kind == "data") / n
        lanes = wsum(q, lambda g, kind: kind == "data" and g.endswith("u_lane")) / n
        mult = wsum(q, lambda g, kind: kind == "data" and is_mult(g)) / n
        total = wsum(q, lambda g, kind: kind == "data") / n
        rest = total - lanes - mult
        w(f"| {L} | {lanes:.1f} | {mult:.1f} | {rest:.1f} | {total:.1f} | {cd:.1f} | "
          f"{100 * lanes / cd:.1f} % | {100 * (total - mult) / cd:.1f} % |")
        if L == "8" and (total - mult) / cd > TARGET:
            bare = 100 * (total - mult) / cd
    w("")
    if bare is not None:
        w(f"At L = 8 the datapath without its multiply (lanes, adders, registers), as if the "
          f"multiply cost nothing, is {bare:.1f} % of the conventional PE, above the "
          f"{100 * TARGET:.0f} % target: meeting it needs a leaner lane and adder structure, "
          "not only a cheaper α multiply.\n")
    if all("unit_delay" in r for r in res["lanes"].values()):
        unit_delay_section(res, w)
    if any("serial" in r for r in res["lanes"].values()):
        w("Digit-serial design point: `qsa_pe_datapath` with `Serial=1` (the α multiply by "
          "`synth/rtl/qs_mult_serial.sv`, one kept NAF digit per cycle into the accumulator; "
          "**not** the multiplier of the accelerator's `qsa_pe`), on the same streams. A "
          "vector's last group is held (stall_i: its operands stay in place, the stage-1 "
          "register does not take it) while the multiplier is still busy with the previous "
          "vector, as a stalling array would; those stall cycles are in the clock column.\n")
        w("| L | k | serial data / MAC | of which α multiply | multiply share | serial clock / MAC "
          "| conventional data / MAC | serial / conventional (data) | serial / conventional "
          "(data + clock) |")
        w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for L, r in res["lanes"].items():
            n = r["mac_slots"]
            cd = wsum(r["conv"], lambda g, kind: kind == "data") / n
            cc = wsum(r["conv"], lambda g, kind: kind == "clock") / n
            for k, q in r.get("serial", {}).items():
                qd = wsum(q, lambda g, kind: kind == "data") / n
                qm = wsum(q, lambda g, kind: kind == "data" and is_mult(g)) / n
                qc = wsum(q, lambda g, kind: kind == "clock") / n
                w(f"| {L} | {k} | {qd:.1f} | {qm:.1f} | {100 * qm / qd:.1f} % | {qc:.1f} | "
                  f"{cd:.1f} | {100 * qd / cd:.1f} % | {100 * (qd + qc) / (cd + cc):.1f} % |")
        if r8 and "serial" in r8:
            n = r8["mac_slots"]
            cd = wsum(r8["conv"], lambda g, kind: kind == "data") / n
            worst = max(wsum(q, lambda g, kind: kind == "data") / n
                        for q in r8["serial"].values())
            w(f"\nThe digit-serial design point at L = 8, worst k: {100 * worst / cd:.1f} % of "
              "the conventional PE's data activity per MAC (not the accelerator's PE, so not the "
              "target's figure).\n")
    m = res["mult"]
    sm = res.get("serial_mult", {"k": {}})
    w(f"The α multiplier alone on the recorded stream of {m['multiplies']:,} (S_v, α) pairs: "
      "`qsa_qs_mult` (runtime k, parallel rows; the standalone form, its recoder in front of "
      "the rows, where the PE recodes α a stage earlier) back to back, one pair per cycle; "
      "`qs_mult_serial` (digit-serial) loaded with each pair and clocked until it is done "
      "(its adder is the PE's accumulator, outside the unit, so it is not counted here):\n")
    ex = res.get("exact_mult")
    runtime, exact = mult_per_multiply(res)
    w("| k | `qsa_qs_mult`: data toggles × fanout per multiply | vs `exact_mult` | "
      "`qs_mult_serial`: per multiply |")
    w("|---:|---:|---:|---:|")
    for k, pval in runtime.items():
        sv = sm["k"].get(k)
        sval = (f"{wsum(sv, lambda g, kind: kind == 'data') / max(1, sm['multiplies']):.1f}"
                if sv else "—")
        rel = f"{pval / exact:.2f}×" if exact else "—"
        w(f"| {k} | {pval:.1f} | {rel} | {sval} |")
    if exact:
        w(f"\nThe exact multiplier `exact_mult` (`x * α`, the same widths, "
          f"`synth/rtl/exact_mult.sv`) on the same stream: {exact:.1f} data toggles × fanout "
          "per multiply.")
    covs = [c for r in res["lanes"].values() for c in r["coverage"].values()]
    covs += list(m.get("coverage", {}).values()) + list(sm.get("coverage", {}).values())
    if ex:
        covs += [ex["coverage"]] + ([ex["coverage_ud"]] if "coverage_ud" in ex else [])
    w(f"\nNet coverage check: the VCD showed {100 * min(covs):.1f} % (lowest run) of the "
      "netlists' fanout-weighted net bits.")
    return "\n".join(o)


if __name__ == "__main__":
    sys.exit(main())
