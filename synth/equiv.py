#!/usr/bin/python3
"""Formal equivalence of RTL blocks against an earlier revision (Yosys's equiv_* passes).

For changes that must not change the hardware, such as logic moved under a branch so that a
simulator skips it: proves that every output and every register's next state of module MODULE
in the working tree equal those of the same module at git revision REV, for every input and
every state the registers can reach (equiv_make pairs the two by signal name, equiv_simple
proves what it can over a few cycles, equiv_induct the rest by induction over the registers).

  synth/equiv.py --rev REV MODULE [MODULE ...]   # e.g. --rev HEAD~1 qsa_code_unpack
  synth/equiv.py --self-test   # ctest synth.equiv: qsa_divider against itself (proven) and
                               # against a copy with one comparison changed (not proven)

The gold copy is `git show REV:rtl/MODULE.sv` with the module renamed MODULE_gold; every other
rtl/*.sv file is read from the working tree, so the submodules are the same on both sides.
Exits 0 when every module is proven equivalent, 1 when one is not (the failing lines of the
Yosys log are printed; the whole log is kept in OUT), 2 on bad input.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RTL = os.path.join(ROOT, "rtl")


def run(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, **kw)
    except OSError as e:
        sys.exit(f"equiv: cannot run {cmd[0]}: {e.strerror} (scripts/setup.sh installs it)")


def gold_source(rev, module):
    p = run(["git", "-C", ROOT, "show", f"{rev}:rtl/{module}.sv"])
    if p.returncode != 0:
        print(f"equiv: rtl/{module}.sv at revision {rev!r}: {p.stderr.strip()}", file=sys.stderr)
        sys.exit(2)
    return rename(p.stdout, module, f"rtl/{module}.sv at {rev}")


def rename(src, module, what):
    src, n = re.subn(rf"^module\s+{module}\b", f"module {module}_gold", src, flags=re.M)
    if n != 1:
        print(f"equiv: {what} does not declare module {module} once", file=sys.stderr)
        sys.exit(2)
    return src


def prove(rev, module, out, yosys, timeout, gold_src=None, keep=True):
    """Returns True when proven; writes OUT/MODULE.gold.sv, .ys and .log. The gold copy is
    MODULE at git revision rev, or gold_src (the module's source) when given."""
    gold = os.path.join(out, f"{module}.gold.sv")
    with open(gold, "w") as f:
        f.write(rename(gold_src, module, rev) if gold_src is not None
                else gold_source(rev, module))
    sources = sorted(os.path.join(RTL, n) for n in os.listdir(RTL) if n.endswith(".sv"))
    script = os.path.join(out, f"{module}.ys")
    with open(script, "w") as f:
        f.write(f"read_verilog -sv {' '.join(sources)} {gold}\n"
                "hierarchy -check\n"
                "proc\n"
                "memory -nomap\n"
                "async2sync\n"
                "opt_clean\n"
                f"equiv_make {module}_gold {module} equiv\n"
                "hierarchy -top equiv\n"
                "equiv_simple -seq 5\n"
                "equiv_induct\n"
                "equiv_status -assert\n")
    log = os.path.join(out, f"{module}.log")
    where = f"log: {log}" if keep else "the Yosys log is kept with --out DIR"
    try:
        p = run([yosys, "-q", "-l", log, script], timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"equiv: {module}: not proven within {timeout} s ({where})")
        return False
    if p.returncode == 0:
        print(f"equiv: {module}: equivalent to {rev}")
        return True
    errors = [l for l in (p.stdout + p.stderr).splitlines() if "ERROR" in l or "unproven" in l]
    print(f"equiv: {module}: NOT proven equivalent to {rev} ({where})")
    for line in errors[-10:]:
        print("  " + line)
    return False


def self_test(out, yosys, keep):
    """The divider against its own source (must be proven) and against a copy whose restoring
    step compares with > instead of >= (a different quotient: must not be proven)."""
    with open(os.path.join(RTL, "qsa_divider.sv")) as f:
        src = f.read()
    step = "if (shifted >= {1'b0, div_q}) begin"
    if src.count(step) != 1:
        print("equiv: self-test: rtl/qsa_divider.sv no longer has the step it mutates",
              file=sys.stderr)
        return 2
    same = prove("its own source", "qsa_divider", out, yosys, 600.0, gold_src=src, keep=keep)
    mutated = src.replace(step, step.replace(">=", ">"))
    differs = not prove("a mutated copy", "qsa_divider", out, yosys, 600.0, gold_src=mutated,
                        keep=keep)
    if same and differs:
        print("equiv: self-test passed")
        return 0
    print("equiv: self-test FAILED: " + ("" if same else "the same source was not proven; ")
          + ("" if differs else "the mutated copy was proven equivalent"))
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", help="git revision of the gold copy")
    ap.add_argument("--self-test", action="store_true", help="check the tool itself")
    ap.add_argument("--out", help="directory for scripts and logs (default: a temporary one)")
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per module")
    ap.add_argument("modules", nargs="*", metavar="MODULE", help="a module of rtl/MODULE.sv")
    a = ap.parse_args()
    if a.self_test:
        if a.rev or a.modules:
            print("equiv: --self-test takes no --rev and no MODULE", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            out = a.out or tmp
            os.makedirs(out, exist_ok=True)
            return self_test(out, a.yosys, a.out is not None)
    if not a.rev or not a.modules:
        print("equiv: give --rev REV and at least one MODULE (or --self-test)", file=sys.stderr)
        return 2
    for m in a.modules:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", m) or not os.path.isfile(
                os.path.join(RTL, f"{m}.sv")):
            print(f"equiv: no module {m!r}: expected the file rtl/{m}.sv", file=sys.stderr)
            return 2
    if a.timeout <= 0:
        print(f"equiv: --timeout must be > 0, got {a.timeout}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = a.out or tmp
        os.makedirs(out, exist_ok=True)
        ok = [prove(a.rev, m, out, a.yosys, a.timeout, keep=a.out is not None)
              for m in a.modules]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
