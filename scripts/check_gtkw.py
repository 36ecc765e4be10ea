#!/usr/bin/python3
"""Checks that every signal a GTKWave save file shows exists in an FST trace.

    check_gtkw.py SAVE.gtkw TRACE.fst

Reads the trace's declarations with fst2vcd (Debian package gtkwave) and exits 1 naming each
signal of SAVE.gtkw (full hierarchical name, with or without its [msb:lsb]) that the trace
does not have, so a renamed RTL signal cannot silently blank the waveform view.
"""
import re
import subprocess
import sys


def trace_signals(fst):
    try:
        p = subprocess.Popen(["fst2vcd", "-f", fst], stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL)
    except OSError as e:
        sys.exit(f"check_gtkw: cannot run fst2vcd ({e}); install the gtkwave package")
    scope, names = [], set()
    for line in p.stdout:
        t = line.split()
        if not t:
            continue
        if t[0] == "$scope":
            scope.append(t[2])
        elif t[0] == "$upscope":
            scope.pop()
        elif t[0] == "$var":
            names.add(".".join(scope + [t[4]]))
        elif t[0] == "$enddefinitions":
            break
    p.kill()
    p.wait()
    if not names:
        sys.exit(f"check_gtkw: {fst}: no signals (not an FST trace?)")
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    save, fst = sys.argv[1], sys.argv[2]
    have = trace_signals(fst)
    wanted = []
    with open(save) as f:
        for line in f:
            line = line.strip()
            if line and line[0] not in "[*@-":
                wanted.append(line)
    missing = [w for w in wanted if re.sub(r"\[\d+:\d+\]$", "", w) not in have]
    if not wanted:
        sys.exit(f"check_gtkw: {save} shows no signals")
    if missing:
        sys.exit(f"check_gtkw: {save}: not in {fst}: " + ", ".join(missing))
    print(f"check_gtkw: all {len(wanted)} signals of {save} are in {fst}")


if __name__ == "__main__":
    main()
