#!/usr/bin/python3
"""Generate the QSA register-map artefacts from rtl/regs/qsa_regs.json.

One description, three generated files (nobody edits them by hand):
  rtl/qsa_0_regs_pkg.sv           SystemVerilog package qsa_regs_pkg (localparams only)
  firmware/include/qsa_regs.h   freestanding C11 header (stdint.h only)
  docs/registers.md             the register map as Markdown tables

Usage:
  /usr/bin/python3 scripts/gen_regs.py            validate the JSON and (re)write the files
  /usr/bin/python3 scripts/gen_regs.py --check    validate, regenerate in memory and exit 1
                                                  naming every generated file that is stale
Exit status: 0 success, 1 stale files (--check), 2 invalid description or usage.
Output is deterministic (no dates, registers sorted by offset): same JSON, same bytes.
Standard library only.
"""

import argparse
import json
import os
import re
import sys

PROG = "gen_regs.py"
JSON_REL = "rtl/regs/qsa_regs.json"
PKG_REL = "rtl/qsa_0_regs_pkg.sv"
HDR_REL = "firmware/include/qsa_regs.h"
DOC_REL = "docs/registers.md"
COMMAND = "/usr/bin/python3 scripts/gen_regs.py"

REG_ACCESS = ("ro", "rw", "w1c")
FIELD_ACCESS = ("ro", "rw", "w1c", "w1s")
# Field access types allowed inside a register of a given access type.
ALLOWED_FIELD_ACCESS = {"ro": ("ro",), "rw": ("ro", "rw", "w1s"), "w1c": ("ro", "w1c")}
SOURCES = ("const", "port", "hw")
NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
NAME_CHARS = 24  # width of a name in the package's name table (REG_TABLE_NAME)

TOP_KEYS = {"name": True, "title": True, "description": True, "data_width": True,
            "addr_width": True, "notes": False, "constants": False, "enums": False,
            "registers": True}
REG_KEYS = {"name": True, "offset": True, "access": True, "reset": True, "description": True,
            "fields": True, "array": False, "counter": False}
FIELD_KEYS = {"name": True, "lsb": True, "width": True, "access": True, "reset": True,
              "description": True, "source": False}
CONST_KEYS = {"name": True, "value": True, "description": True}
ENUM_KEYS = {"name": True, "register": True, "field": True, "description": True, "values": True}
ENUM_VALUE_KEYS = {"name": True, "value": True, "description": True}


class Invalid(Exception):
    """The description is invalid; carries every problem found."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


# --------------------------------------------------------------------------- validation

class Checker:
    def __init__(self):
        self.problems = []

    def err(self, where, msg):
        self.problems.append("%s: %s" % (where, msg) if where else msg)

    def keys(self, where, obj, spec):
        if not isinstance(obj, dict):
            self.err(where, "must be a JSON object")
            return False
        for k, required in spec.items():
            if required and k not in obj:
                self.err(where, "missing key '%s'" % k)
        for k in obj:
            if k not in spec:
                self.err(where, "unknown key '%s' (expected one of: %s)" % (k, ", ".join(spec)))
        return True

    def integer(self, where, what, v):
        """Accept a JSON integer or a string "0x..."/"123"; return int or None."""
        if isinstance(v, bool):
            self.err(where, "%s must be an integer, not %r" % (what, v))
            return None
        if isinstance(v, int):
            return v
        if isinstance(v, str):
            try:
                return int(v, 0)
            except ValueError:
                pass
        self.err(where, "%s must be an integer or a \"0x...\" string, not %r" % (what, v))
        return None

    def name(self, where, v):
        if not isinstance(v, str) or not NAME_RE.match(v):
            self.err(where, "name %r must match %s" % (v, NAME_RE.pattern))
            return False
        return True

    def text(self, where, what, v):
        if not isinstance(v, str) or not v.strip():
            self.err(where, "%s must be a non-empty string" % what)
            return False
        return True


def validate(doc):
    """Check the description and return a normalized model (ints, registers by offset)."""
    c = Checker()
    if not c.keys("top level", doc, TOP_KEYS):
        raise Invalid(c.problems)
    model = {"name": doc.get("name"), "title": doc.get("title"),
             "description": doc.get("description"), "notes": doc.get("notes", []),
             "constants": [], "enums": [], "registers": []}
    for k in ("name", "title", "description"):
        c.text("top level", "'%s'" % k, doc.get(k))
    if doc.get("data_width") != 32:
        c.err("top level", "data_width must be 32 (AXI4-Lite 32-bit registers), not %r"
              % (doc.get("data_width"),))
    aw = c.integer("top level", "addr_width", doc.get("addr_width"))
    if aw is not None and not 2 < aw <= 32:
        c.err("top level", "addr_width %d out of range 3..32" % aw)
        aw = None
    model["addr_width"] = aw
    notes = model["notes"]
    if not isinstance(notes, list) or not all(isinstance(n, str) and n for n in notes):
        c.err("top level", "'notes' must be a list of non-empty strings")
        model["notes"] = []

    # ---- registers and fields
    regs_in = doc.get("registers")
    if not isinstance(regs_in, list) or not regs_in:
        c.err("top level", "'registers' must be a non-empty list")
        regs_in = []
    by_name = {}
    by_offset = {}
    for i, r in enumerate(regs_in):
        where = "register #%d" % i
        if isinstance(r, dict) and isinstance(r.get("name"), str):
            where = "register %s" % r["name"]
        if not c.keys(where, r, REG_KEYS):
            continue
        ok = c.name(where, r["name"])
        name = r["name"]
        if ok and len(name) > NAME_CHARS:
            c.err(where, "name longer than %d characters" % NAME_CHARS)
        if ok and name in by_name:
            c.err(where, "duplicate register name")
        off = c.integer(where, "offset", r["offset"])
        if off is not None:
            if off < 0 or off % 4:
                c.err(where, "offset 0x%X is not 4-byte aligned" % off)
            elif aw is not None and off >= 1 << aw:
                c.err(where, "offset 0x%X does not fit addr_width %d" % (off, aw))
            elif off > 0xFFF:
                c.err(where, "offset 0x%X does not fit the package's 12-bit offsets" % off)
            elif off in by_offset:
                c.err(where, "offset 0x%03X overlaps register %s" % (off, by_offset[off]["name"]))
        access = r["access"]
        if access not in REG_ACCESS:
            c.err(where, "access %r must be one of %s" % (access, ", ".join(REG_ACCESS)))
            access = None
        reset = c.integer(where, "reset", r["reset"])
        if reset is not None and not 0 <= reset < 1 << 32:
            c.err(where, "reset 0x%X does not fit 32 bits" % reset)
            reset = None
        c.text(where, "description", r["description"])
        reg = {"name": name, "offset": off, "access": access, "reset": reset,
               "description": r["description"], "fields": [], "array": None, "counter": None}
        # fields
        fields_in = r["fields"]
        if not isinstance(fields_in, list) or not fields_in:
            c.err(where, "'fields' must be a non-empty list")
            fields_in = []
        owners = {}  # bit -> field name
        fnames = set()
        for j, f in enumerate(fields_in):
            fwhere = "%s, field #%d" % (where, j)
            if isinstance(f, dict) and isinstance(f.get("name"), str):
                fwhere = "%s, field %s" % (where, f["name"])
            if not c.keys(fwhere, f, FIELD_KEYS):
                continue
            if c.name(fwhere, f["name"]):
                if f["name"] in fnames:
                    c.err(fwhere, "duplicate field name")
                fnames.add(f["name"])
            lsb = c.integer(fwhere, "lsb", f["lsb"])
            width = c.integer(fwhere, "width", f["width"])
            mask = None
            if lsb is not None and width is not None:
                if lsb < 0 or width < 1 or lsb + width > 32:
                    c.err(fwhere, "bits [%d +: %d] do not fit a 32-bit register" % (lsb, width))
                else:
                    mask = ((1 << width) - 1) << lsb
                    clash = sorted({owners[b] for b in range(lsb, lsb + width) if b in owners})
                    if clash:
                        c.err(fwhere, "bits [%d:%d] overlap field %s"
                              % (lsb + width - 1, lsb, ", ".join(clash)))
                    for b in range(lsb, lsb + width):
                        owners.setdefault(b, f["name"])
            faccess = f["access"]
            if faccess not in FIELD_ACCESS:
                c.err(fwhere, "access %r must be one of %s" % (faccess, ", ".join(FIELD_ACCESS)))
                faccess = None
            elif access is not None and faccess not in ALLOWED_FIELD_ACCESS[access]:
                c.err(fwhere, "access %s is not allowed in a %s register (allowed: %s)"
                      % (faccess, access, ", ".join(ALLOWED_FIELD_ACCESS[access])))
            freset = c.integer(fwhere, "reset", f["reset"])
            if freset is not None and width is not None and width >= 1:
                if not 0 <= freset < 1 << width:
                    c.err(fwhere, "reset 0x%X does not fit its width %d" % (freset, width))
                    freset = None
                elif faccess == "w1s" and freset != 0:
                    c.err(fwhere, "a w1s (pulse) field reads 0: reset must be 0")
            c.text(fwhere, "description", f["description"])
            source = f.get("source")
            if source is not None:
                if faccess != "ro":
                    c.err(fwhere, "'source' applies to ro fields only")
                elif source not in SOURCES:
                    c.err(fwhere, "source %r must be one of %s" % (source, ", ".join(SOURCES)))
            elif faccess == "ro":
                source = "hw"
            reg["fields"].append({"name": f["name"], "lsb": lsb, "width": width, "mask": mask,
                                  "access": faccess, "reset": freset, "source": source,
                                  "description": f["description"]})
        # register reset must agree with its fields
        if reset is not None and all(f["reset"] is not None and f["mask"] is not None
                                     for f in reg["fields"]):
            composed = 0
            for f in reg["fields"]:
                composed |= f["reset"] << f["lsb"]
            if composed != reset:
                c.err(where, "reset 0x%08X disagrees with its fields' resets (0x%08X)"
                      % (reset, composed))
        for attr, keys in (("array", {"name": True, "index": True}),
                           ("counter", {"name": True, "index": True, "half": True})):
            a = r.get(attr)
            if a is None:
                continue
            awhere = "%s, %s" % (where, attr)
            if not c.keys(awhere, a, keys):
                continue
            c.name(awhere, a["name"])
            idx = c.integer(awhere, "index", a["index"])
            if idx is not None and idx < 0:
                c.err(awhere, "index must be >= 0")
            entry = {"name": a["name"], "index": idx}
            if attr == "counter":
                if a["half"] not in ("lo", "hi"):
                    c.err(awhere, "half must be \"lo\" or \"hi\"")
                entry["half"] = a["half"]
                if access != "ro":
                    c.err(awhere, "counter registers must be ro")
            reg[attr] = entry
        model["registers"].append(reg)
        if isinstance(name, str):
            by_name.setdefault(name, reg)
        if off is not None:
            by_offset.setdefault(off, reg)

    regs = model["registers"]
    _check_arrays(c, regs)
    model["counters"] = _check_counters(c, regs)

    # ---- constants
    consts = doc.get("constants", [])
    if not isinstance(consts, list):
        c.err("top level", "'constants' must be a list")
        consts = []
    seen = set()
    for i, k in enumerate(consts):
        where = "constant #%d" % i
        if isinstance(k, dict) and isinstance(k.get("name"), str):
            where = "constant %s" % k["name"]
        if not c.keys(where, k, CONST_KEYS):
            continue
        if c.name(where, k["name"]) and k["name"] in seen:
            c.err(where, "duplicate constant name")
        seen.add(k["name"])
        v = c.integer(where, "value", k["value"])
        if v is not None and not 0 <= v < 1 << 31:
            c.err(where, "value %d must be in 0..2^31-1" % v)
        c.text(where, "description", k["description"])
        model["constants"].append({"name": k["name"], "value": v,
                                   "description": k["description"]})

    # ---- enums (named values of a field)
    enums = doc.get("enums", [])
    if not isinstance(enums, list):
        c.err("top level", "'enums' must be a list")
        enums = []
    for i, e in enumerate(enums):
        where = "enum #%d" % i
        if isinstance(e, dict) and isinstance(e.get("name"), str):
            where = "enum %s" % e["name"]
        if not c.keys(where, e, ENUM_KEYS):
            continue
        c.name(where, e["name"])
        c.text(where, "description", e["description"])
        reg = by_name.get(e["register"])
        field = None
        if reg is None:
            c.err(where, "register %r does not exist" % (e["register"],))
        else:
            field = next((f for f in reg["fields"] if f["name"] == e["field"]), None)
            if field is None:
                c.err(where, "register %s has no field %r" % (reg["name"], e["field"]))
        width = field["width"] if field else None
        values = e["values"] if isinstance(e["values"], list) else []
        if not values:
            c.err(where, "'values' must be a non-empty list")
        out = []
        vnames, vvals = set(), set()
        for j, v in enumerate(values):
            vwhere = "%s, value #%d" % (where, j)
            if isinstance(v, dict) and isinstance(v.get("name"), str):
                vwhere = "%s, value %s" % (where, v["name"])
            if not c.keys(vwhere, v, ENUM_VALUE_KEYS):
                continue
            if c.name(vwhere, v["name"]) and v["name"] in vnames:
                c.err(vwhere, "duplicate name")
            vnames.add(v["name"])
            val = c.integer(vwhere, "value", v["value"])
            if val is not None:
                if width is not None and not 0 <= val < 1 << width:
                    c.err(vwhere, "value 0x%X does not fit %s.%s (%d bits)"
                          % (val, reg["name"], field["name"], width))
                if val in vvals:
                    c.err(vwhere, "duplicate value 0x%X" % val)
                vvals.add(val)
            c.text(vwhere, "description", v["description"])
            out.append({"name": v["name"], "value": val, "description": v["description"]})
        model["enums"].append({"name": e["name"], "register": e["register"],
                               "field": e["field"], "width": width,
                               "description": e["description"], "values": out})

    if c.problems:
        raise Invalid(c.problems)

    regs.sort(key=lambda r: r["offset"])
    for r in regs:
        r["fields"].sort(key=lambda f: f["lsb"])
        masks = {a: 0 for a in FIELD_ACCESS}
        for f in r["fields"]:
            masks[f["access"]] |= f["mask"]
        r["masks"] = masks
        r["valid_mask"] = sum(masks.values())
        r["used_bits"] = max(f["lsb"] + f["width"] for f in r["fields"])
    model["arrays"] = _arrays(regs)

    # Every generated identifier must be unique (package, and therefore the C header too).
    names = {}
    for ident, what in _package_identifiers(model):
        if ident in names:
            c.err("", "generated name %s of %s collides with the one of %s"
                  % (ident, what, names[ident]))
        names.setdefault(ident, what)
    if c.problems:
        raise Invalid(c.problems)
    return model


def _check_arrays(c, regs):
    groups = {}
    for r in regs:
        if r["array"] is not None:
            groups.setdefault(r["array"]["name"], []).append(r)
    for name, members in groups.items():
        where = "array %s" % name
        members = sorted(members, key=lambda r: (r["array"]["index"] is None, r["array"]["index"]))
        idx = [r["array"]["index"] for r in members]
        if idx != list(range(len(members))):
            c.err(where, "indices %s must be 0..%d, each once" % (idx, len(members) - 1))
            continue
        if any(r["offset"] is None for r in members):
            continue
        stride = members[1]["offset"] - members[0]["offset"] if len(members) > 1 else 4
        for k, r in enumerate(members):
            if r["offset"] != members[0]["offset"] + k * stride or stride <= 0:
                c.err(where, "register %s: offsets must be evenly spaced (stride %d)"
                      % (r["name"], stride))
                break
        ref = [(f["lsb"], f["width"], f["access"], f["reset"]) for f in members[0]["fields"]]
        for r in members[1:]:
            if [(f["lsb"], f["width"], f["access"], f["reset"]) for f in r["fields"]] != ref:
                c.err(where, "register %s: field layout differs from %s"
                      % (r["name"], members[0]["name"]))


def _arrays(regs):
    groups = {}
    for r in regs:
        if r["array"] is not None:
            groups.setdefault(r["array"]["name"], []).append(r)
    out = []
    for name, members in groups.items():
        members.sort(key=lambda r: r["array"]["index"])
        stride = members[1]["offset"] - members[0]["offset"] if len(members) > 1 else 4
        out.append({"name": name, "base": members[0]["offset"], "stride": stride,
                    "count": len(members)})
    out.sort(key=lambda a: a["base"])
    return out


def _check_counters(c, regs):
    """64-bit counters: LO at base + 8*i, HI at LO + 4, indices 0..N-1."""
    cnt = {}
    for r in regs:
        a = r["counter"]
        if a is None or a["index"] is None or a.get("half") not in ("lo", "hi"):
            continue
        slot = cnt.setdefault(a["index"], {})
        if a["half"] in slot:
            c.err("counter %s" % a["name"], "two %s registers with index %d (%s, %s)"
                  % (a["half"].upper(), a["index"], slot[a["half"]]["name"], r["name"]))
        slot[a["half"]] = r
    if not cnt:
        return None
    names = set()
    base = None
    for i in range(len(cnt)):
        slot = cnt.get(i)
        if slot is None:
            c.err("counters", "indices must be 0..%d, index %d is missing" % (len(cnt) - 1, i))
            return None
        if "lo" not in slot or "hi" not in slot:
            c.err("counters", "index %d needs both a lo and a hi register" % i)
            return None
        lo, hi = slot["lo"], slot["hi"]
        where = "counter %s" % lo["counter"]["name"]
        if lo["counter"]["name"] != hi["counter"]["name"]:
            c.err(where, "lo and hi registers name different counters (%s, %s)"
                  % (lo["counter"]["name"], hi["counter"]["name"]))
        if lo["counter"]["name"] in names:
            c.err(where, "duplicate counter name")
        names.add(lo["counter"]["name"])
        if lo["offset"] is None or hi["offset"] is None:
            continue
        if base is None:
            base = lo["offset"] - 8 * i
            if base % 8:
                c.err(where, "LO offsets must be 8-byte aligned")
        if lo["offset"] != base + 8 * i:
            c.err(where, "%s must sit at 0x%03X (counter base + 8 * index)"
                  % (lo["name"], base + 8 * i))
        if hi["offset"] != lo["offset"] + 4:
            c.err(where, "%s must sit at %s + 4" % (hi["name"], lo["name"]))
        for r in (lo, hi):
            if [(f["lsb"], f["width"]) for f in r["fields"]] != [(0, 32)]:
                c.err(where, "%s must have one 32-bit field" % r["name"])
    return {"base": base, "count": len(cnt),
            "names": [cnt[i]["lo"]["counter"]["name"] for i in range(len(cnt))]}


# --------------------------------------------------------------------------- generators

def _hex(v, digits):
    return "%0*x" % (digits, v)


def _ascii(text):
    """Source-code comments stay ASCII (the Markdown keeps the original text)."""
    table = {"§": "sec. ", "α": "alpha", "…": "...", "≥": ">=", "≤": "<=", "×": "x",
             "·": "*", "—": "-", "–": "-", "→": "->", "β": "beta", "φ": "phi"}
    out = "".join(table.get(ch, ch) for ch in text)
    return out.encode("ascii", "replace").decode("ascii")


def _wrap(text, width, prefix):
    words = _ascii(text).split()
    lines, cur = [], ""
    for w in words:
        if cur and len(prefix) + len(cur) + 1 + len(w) > width:
            lines.append(prefix + cur)
            cur = w
        else:
            cur = w if not cur else cur + " " + w
    if cur:
        lines.append(prefix + cur)
    return lines


def _field_access_summary(r):
    return ", ".join("%s %s" % (f["name"], f["access"]) for f in r["fields"])


def _package_identifiers(model):
    """(identifier, what) for every localparam the package declares."""
    yield "REG_DATA_WIDTH", "the data width"
    yield "REG_ADDR_WIDTH", "the address width"
    yield "REG_COUNT", "the register count"
    yield "REG_NAME_CHARS", "the name-table width"
    for t in ("OFFSET", "RESET", "RO_MASK", "RW_MASK", "W1C_MASK", "W1S_MASK", "NAME"):
        yield "REG_TABLE_" + t, "the register table"
    for k in model["constants"]:
        yield k["name"], "constant %s" % k["name"]
    for r in model["registers"]:
        what = "register %s" % r["name"]
        for s in ("OFFSET", "RESET", "RO_MASK", "RW_MASK", "W1C_MASK", "W1S_MASK", "USED_BITS"):
            yield "REG_%s_%s" % (r["name"], s), what
        for f in r["fields"]:
            fwhat = "field %s.%s" % (r["name"], f["name"])
            for s in ("LSB", "WIDTH", "MASK", "RESET"):
                yield "%s_%s_%s" % (r["name"], f["name"], s), fwhat
    for a in model.get("arrays", []):
        for s in ("BASE_OFFSET", "STRIDE", "COUNT"):
            yield "REG_%s_%s" % (a["name"], s), "array %s" % a["name"]
    cnt = model.get("counters")
    if cnt:
        yield "PERF_NUM_COUNTERS", "the counters"
        yield "REG_PERF_BASE_OFFSET", "the counters"
        for n in cnt["names"]:
            yield "PERF_%s_IDX" % n, "counter %s" % n
    for e in model["enums"]:
        for v in e["values"]:
            yield "%s_%s" % (e["name"], v["name"]), "enum %s" % e["name"]


def gen_package(model):
    regs = model["registers"]
    n = len(regs)
    o = []
    o.append("// Generated by scripts/gen_regs.py from %s -- do not edit." % JSON_REL)
    o.append("// Regenerate with: %s" % COMMAND)
    o.append("//")
    o.append("// %s: register offsets, field positions, masks and reset values of" % model["title"])
    o.append("// qsa_axil_csr. Localparams only (the subset Verilator, Icarus and Yosys accept);")
    o.append("// refer to them as qsa_regs_pkg::NAME. docs/registers.md describes every register.")
    o.append("// The file is named qsa_0_regs_pkg.sv so that rtl/*.sv lists it before its users.")
    o.append("package qsa_regs_pkg;")
    o.append("  // A register package is a catalogue: no single module uses every constant")
    o.append("  // (rtl/lint/qsa.vlt waives UNUSEDPARAM for this file).")
    o.append("")
    o.append("  localparam int REG_DATA_WIDTH = 32;")
    o.append("  localparam int REG_ADDR_WIDTH = %d;  // default AXI4-Lite address width" %
             model["addr_width"])
    o.append("  localparam int REG_COUNT = %d;" % n)
    o.append("  localparam int REG_NAME_CHARS = %d;" % NAME_CHARS)
    if model["constants"]:
        o.append("")
        for k in model["constants"]:
            o.extend(_wrap(k["description"], 98, "  // "))
            o.append("  localparam int %s = %d;" % (k["name"], k["value"]))
    for r in regs:
        o.append("")
        head = "0x%03x %s (%s): %s" % (r["offset"], r["name"], r["access"], r["description"])
        o.extend(_wrap(head, 98, "  // "))
        o.append("  localparam logic [11:0] REG_%s_OFFSET = 12'h%s;" % (r["name"], _hex(r["offset"], 3)))
        o.append("  localparam logic [31:0] REG_%s_RESET = 32'h%s;" % (r["name"], _hex(r["reset"], 8)))
        for a, s in (("ro", "RO"), ("rw", "RW"), ("w1c", "W1C"), ("w1s", "W1S")):
            o.append("  localparam logic [31:0] REG_%s_%s_MASK = 32'h%s;"
                     % (r["name"], s, _hex(r["masks"][a], 8)))
        o.append("  localparam int REG_%s_USED_BITS = %d;" % (r["name"], r["used_bits"]))
        for f in r["fields"]:
            p = "%s_%s" % (r["name"], f["name"])
            o.append("  localparam int %s_LSB = %d;" % (p, f["lsb"]))
            o.append("  localparam int %s_WIDTH = %d;" % (p, f["width"]))
            o.append("  localparam logic [31:0] %s_MASK = 32'h%s;" % (p, _hex(f["mask"], 8)))
            w = f["width"]
            o.append("  localparam logic [%d:0] %s_RESET = %d'h%s;"
                     % (w - 1, p, w, _hex(f["reset"], (w + 3) // 4)))
    for a in model["arrays"]:
        o.append("")
        o.append("  // Register array %s: register i at REG_%s_BASE_OFFSET + i * REG_%s_STRIDE."
                 % (a["name"], a["name"], a["name"]))
        o.append("  localparam logic [11:0] REG_%s_BASE_OFFSET = 12'h%s;"
                 % (a["name"], _hex(a["base"], 3)))
        o.append("  localparam int REG_%s_STRIDE = %d;" % (a["name"], a["stride"]))
        o.append("  localparam int REG_%s_COUNT = %d;" % (a["name"], a["count"]))
    cnt = model["counters"]
    if cnt:
        o.append("")
        o.append("  // 64-bit performance counters: counter i has its LO register at")
        o.append("  // REG_PERF_BASE_OFFSET + 8 * i and its HI register 4 bytes above; on the flat")
        o.append("  // counter bus it is bits [64 * i +: 64].")
        o.append("  localparam int PERF_NUM_COUNTERS = %d;" % cnt["count"])
        o.append("  localparam logic [11:0] REG_PERF_BASE_OFFSET = 12'h%s;" % _hex(cnt["base"], 3))
        for i, name in enumerate(cnt["names"]):
            o.append("  localparam int PERF_%s_IDX = %d;" % (name, i))
    for e in model["enums"]:
        o.append("")
        o.extend(_wrap("%s.%s values: %s" % (e["register"], e["field"], e["description"]),
                       98, "  // "))
        w = e["width"]
        for v in e["values"]:
            o.extend(_wrap(v["description"], 98, "  // "))
            o.append("  localparam logic [%d:0] %s_%s = %d'h%s;"
                     % (w - 1, e["name"], v["name"], w, _hex(v["value"], (w + 3) // 4)))
    # Tables for testbenches: entry i (registers in offset order) at [i * W +: W].
    o.append("")
    o.append("  // Tables of all registers in offset order (for testbenches): entry i is")
    o.append("  // bits [i * W +: W]; names are %d ASCII characters, space padded." % NAME_CHARS)

    def table(tname, width, values):
        o.append("  localparam logic [REG_COUNT*%d-1:0] %s = {" % (width, tname))
        items = list(reversed(values))  # entry 0 in the least significant bits
        line = "   "
        for k, v in enumerate(items):
            item = " " + v + ("," if k + 1 < len(items) else "")
            if len(line) + len(item) > 98:
                o.append(line)
                line = "   "
            line += item
        o.append(line)
        o.append("  };")

    for s in ("OFFSET", "RESET", "RO_MASK", "RW_MASK", "W1C_MASK", "W1S_MASK"):
        table("REG_TABLE_" + s, 12 if s == "OFFSET" else 32,
              ["REG_%s_%s" % (r["name"], s) for r in regs])
    table("REG_TABLE_NAME", 8 * NAME_CHARS,
          ['"%s"' % r["name"].ljust(NAME_CHARS) for r in regs])
    o.append("")
    o.append("endpackage")
    return "\n".join(o) + "\n"


def gen_header(model):
    regs = model["registers"]
    o = []
    o.append("/* Generated by scripts/gen_regs.py from %s -- do not edit." % JSON_REL)
    o.append(" * Regenerate with: %s" % COMMAND)
    o.append(" *")
    o.append(" * %s: byte offsets from the block's base address, field shifts," % model["title"])
    o.append(" * masks (in place) and reset values. Freestanding C11: needs only <stdint.h>.")
    o.append(" * docs/registers.md describes every register. */")
    o.append("#ifndef QSA_REGS_H_")
    o.append("#define QSA_REGS_H_")
    o.append("")
    o.append("#include <stdint.h>")
    o.append("")
    o.append("/* Field helpers: QSA_FIELD_GET(v, QSA_STATUS_LAYER), QSA_FIELD_PREP(QSA_CTRL_START, 1). */")
    o.append("#define QSA_FIELD_GET(value, field) (((uint32_t)(value) & field##_MASK) >> field##_SHIFT)")
    o.append("#define QSA_FIELD_PREP(field, v) (((uint32_t)(v) << field##_SHIFT) & field##_MASK)")
    o.append("")
    o.append("#define QSA_REG_DATA_WIDTH 32")
    o.append("#define QSA_REG_ADDR_WIDTH %d" % model["addr_width"])
    o.append("#define QSA_REG_COUNT %d" % len(regs))
    if model["constants"]:
        o.append("")
        for k in model["constants"]:
            o.append("#define QSA_%s %d /* %s */" % (k["name"], k["value"], _ascii(k["description"])))
    for r in regs:
        o.append("")
        head = "0x%03x %s (%s): %s" % (r["offset"], r["name"], r["access"], r["description"])
        lines = _wrap(head, 95, " * ")
        if len(lines) == 1:
            o.append("/*" + lines[0][2:] + " */")
        else:
            lines[0] = "/*" + lines[0][2:]
            o.extend(lines)
            o.append(" */")
        o.append("#define QSA_REG_%s_OFFSET UINT32_C(0x%s)" % (r["name"], _hex(r["offset"], 3)))
        o.append("#define QSA_REG_%s_RESET UINT32_C(0x%s)" % (r["name"], _hex(r["reset"], 8)))
        for a, s in (("rw", "RW"), ("w1c", "W1C"), ("w1s", "W1S")):
            if r["masks"][a]:
                o.append("#define QSA_REG_%s_%s_MASK UINT32_C(0x%s)"
                         % (r["name"], s, _hex(r["masks"][a], 8)))
        for f in r["fields"]:
            p = "QSA_%s_%s" % (r["name"], f["name"])
            o.append("#define %s_SHIFT %d" % (p, f["lsb"]))
            o.append("#define %s_WIDTH %d" % (p, f["width"]))
            o.append("#define %s_MASK UINT32_C(0x%s)" % (p, _hex(f["mask"], 8)))
            o.append("#define %s_RESET UINT32_C(0x%s)" % (p, _hex(f["reset"], 1)))
    for a in model["arrays"]:
        o.append("")
        o.append("/* Register array %s. */" % a["name"])
        o.append("#define QSA_REG_%s_BASE_OFFSET UINT32_C(0x%s)" % (a["name"], _hex(a["base"], 3)))
        o.append("#define QSA_REG_%s_STRIDE %d" % (a["name"], a["stride"]))
        o.append("#define QSA_REG_%s_COUNT %d" % (a["name"], a["count"]))
        o.append("#define QSA_REG_%s_OFFSET(i) (QSA_REG_%s_BASE_OFFSET + UINT32_C(%d) * (uint32_t)(i))"
                 % (a["name"], a["name"], a["stride"]))
    cnt = model["counters"]
    if cnt:
        o.append("")
        o.append("/* 64-bit performance counters: read LO first (it latches HI), then HI. */")
        o.append("#define QSA_PERF_NUM_COUNTERS %d" % cnt["count"])
        o.append("#define QSA_REG_PERF_BASE_OFFSET UINT32_C(0x%s)" % _hex(cnt["base"], 3))
        o.append("#define QSA_REG_PERF_LO_OFFSET(i) (QSA_REG_PERF_BASE_OFFSET + UINT32_C(8) * (uint32_t)(i))")
        o.append("#define QSA_REG_PERF_HI_OFFSET(i) (QSA_REG_PERF_LO_OFFSET(i) + UINT32_C(4))")
        for i, name in enumerate(cnt["names"]):
            o.append("#define QSA_PERF_%s_IDX %d" % (name, i))
    for e in model["enums"]:
        o.append("")
        o.append("/* %s.%s values. */" % (e["register"], e["field"]))
        for v in e["values"]:
            lines = _wrap(v["description"], 95, " * ")
            if len(lines) == 1:
                o.append("/*" + lines[0][2:] + " */")
            else:
                lines[0] = "/*" + lines[0][2:]
                o.extend(lines)
                o.append(" */")
            o.append("#define QSA_%s_%s UINT32_C(0x%s)"
                     % (e["name"], v["name"], _hex(v["value"], 2)))
    o.append("")
    o.append("#endif /* QSA_REGS_H_ */")
    return "\n".join(o) + "\n"


def _md(text):
    return text.replace("|", "\\|").replace("\n", " ")


def _bits(f):
    hi = f["lsb"] + f["width"] - 1
    return "[%d]" % hi if f["width"] == 1 else "[%d:%d]" % (hi, f["lsb"])


def gen_markdown(model):
    regs = model["registers"]
    o = []
    o.append("# %s" % model["title"])
    o.append("")
    o.append("Generated by `%s` from `%s`; do not edit by hand "
             "(`--check` tells whether this page is current)." % (COMMAND, JSON_REL))
    o.append("")
    o.append(model["description"] + " The same description generates `%s` (package "
             "`qsa_regs_pkg`) and `%s`." % (PKG_REL, HDR_REL))
    o.append("")
    for n in model["notes"]:
        o.append("- " + n)
    o.append("")
    o.append("## Register map")
    o.append("")
    o.append("| Offset | Name | Access | Reset | Fields | Description |")
    o.append("|---|---|---|---|---|---|")
    for r in regs:
        fields = ", ".join("%s%s" % (f["name"], _bits(f)) for f in r["fields"])
        o.append("| 0x%03X | %s | %s | 0x%08X | %s | %s |"
                 % (r["offset"], r["name"], r["access"], r["reset"], _md(fields),
                    _md(r["description"])))
    o.append("")
    o.append("Offsets not listed are unmapped (SLVERR).")
    o.append("")
    o.append("## Registers")
    for r in regs:
        o.append("")
        o.append("### 0x%03X %s" % (r["offset"], r["name"]))
        o.append("")
        o.append("%s Access `%s`, reset 0x%08X." % (r["description"], r["access"], r["reset"]))
        o.append("")
        o.append("| Bits | Field | Access | Reset | Description |")
        o.append("|---|---|---|---|---|")
        for f in r["fields"]:
            acc = f["access"]
            if acc == "ro" and f["source"] != "hw":
                acc = "ro (%s)" % f["source"]
            o.append("| %s | %s | %s | 0x%X | %s |"
                     % (_bits(f), f["name"], acc, f["reset"], _md(f["description"])))
    if model["constants"]:
        o.append("")
        o.append("## Constants")
        o.append("")
        o.append("| Name | Value | Description |")
        o.append("|---|---|---|")
        for k in model["constants"]:
            o.append("| %s | %d | %s |" % (k["name"], k["value"], _md(k["description"])))
    for e in model["enums"]:
        o.append("")
        o.append("## %s (%s.%s)" % (e["name"], e["register"], e["field"]))
        o.append("")
        o.append(e["description"])
        o.append("")
        o.append("| Value | Name | Description |")
        o.append("|---|---|---|")
        for v in e["values"]:
            o.append("| 0x%02X | %s_%s | %s |" % (v["value"], e["name"], v["name"],
                                                 _md(v["description"])))
    return "\n".join(o) + "\n"


# --------------------------------------------------------------------------- main

def main(argv):
    root_default = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 naming every generated file that differs")
    ap.add_argument("--root", default=root_default,
                    help="repository root (default: the parent of scripts/)")
    ap.add_argument("--json", default=None, help="description (default: ROOT/%s)" % JSON_REL)
    args = ap.parse_args(argv)

    json_path = args.json or os.path.join(args.root, JSON_REL)
    try:
        with open(json_path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as e:
        print("%s: cannot read %s: %s" % (PROG, json_path, e.strerror), file=sys.stderr)
        return 2
    except json.JSONDecodeError as e:
        print("%s: %s:%d:%d: invalid JSON: %s" % (PROG, json_path, e.lineno, e.colno, e.msg),
              file=sys.stderr)
        return 2
    try:
        model = validate(doc)
    except Invalid as e:
        for p in e.problems:
            print("%s: %s: %s" % (PROG, json_path, p), file=sys.stderr)
        return 2

    outputs = [(PKG_REL, gen_package(model)), (HDR_REL, gen_header(model)),
               (DOC_REL, gen_markdown(model))]
    stale = []
    for rel, text in outputs:
        path = os.path.join(args.root, rel)
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                current = fh.read()
        except OSError:
            current = None
        if current == text:
            continue
        if args.check:
            stale.append(rel)
            why = "missing" if current is None else "differs from what %s generates" % JSON_REL
            print("%s: %s is out of date (%s); run %s" % (PROG, rel, why, COMMAND),
                  file=sys.stderr)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            print("%s: wrote %s" % (PROG, rel))
    if stale:
        return 1
    if args.check:
        print("%s: %d generated files are current" % (PROG, len(outputs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
