// Writes the vectors of testbench/qsa_desc_check_tb.sv from the reference model.
//
//   gen_desc_vectors OUT.hex [--seed N]
//
// One line per check, every field hex, space separated:
//   <build> <first> <prev_h> <prev_w> <prev_c> <k_ovr_en> <k_ovr> <desc: 128 digits, byte 63
//   first> <err> <cause> <bits3> <chanwise> <relu> <pool> <fc> <N> <k> <R> <S> <stride> <pt>
//   <pl> <pb> <pr> <shift> <in_h> <in_w> <in_c> <out_c> <fan_in> <V> <conv_h> <conv_w>
//   <comp_h> <comp_w> <out_h> <out_w> <rb> <ob> <T> <codes_off> <alpha_off> <bias_off>
//   <vec_count>
// <build> selects the DUT build of the tb (kBuilds below). When <err> is 1 the fields after
// <cause> are 0 and not checked (the RTL's decoded outputs are only valid without an error).
//
// The expected results come from DescCheckTwin, the C++ twin of qsa_desc_check's priority
// order, built on the reference model: ValidateLayerDesc and SectionSizes for DESC_FIELD,
// PlanLayer for DESC_LIMIT and the plan. The cases (fixed seed, raw mt19937 words so that the
// sequence does not depend on the standard library's distributions):
//   - valid layers, small and log-uniform up to the format's limits, chained to a previous
//     shape (or first), on both builds: no error, or DESC_LIMIT when the build is too small;
//   - each of them mutated into each error class (reserved bytes and flags, every field range
//     and count, misaligned offsets, broken chaining including 16- and 32-bit product wraps,
//     V > VecRows), alone and in combinations, so that the priority order is exercised;
//   - raw descriptors: random bytes, and random small field values with the reserved bytes 0.
// The descriptor bytes of valid layers are written by EncodeDescriptor (spec §7), which is
// checked against SerializeModel on every layer small enough to serialize.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/model.h"

namespace {

using qsa::cmodel::ArrayConfig;
using qsa::cmodel::Layer;
using qsa::cmodel::LayerDesc;
using qsa::cmodel::LayerKind;
using qsa::cmodel::LayerPlan;
using qsa::cmodel::Orientation;
using qsa::cmodel::Shape;

// ERR_CAUSE codes (rtl/regs/qsa_regs.json).
constexpr int kCauseNone = 0x00;
constexpr int kCauseField = 0x21;
constexpr int kCauseShape = 0x22;
constexpr int kCauseAlign = 0x23;
constexpr int kCauseReserved = 0x24;
constexpr int kCauseLimit = 0x25;

// The two DUT builds of the tb: the default, and a small one where the limits bite often.
struct Build {
  int64_t act_bytes, out_bytes;
  int vec_rows, pes;
};
constexpr std::array<Build, 2> kBuilds = {{{32768, 8192, 256, 8}, {2048, 512, 24, 3}}};

ArrayConfig ConfigOf(int build) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = kBuilds[size_t(build)].act_bytes;
  cfg.out_buffer_bytes = kBuilds[size_t(build)].out_bytes;
  cfg.vec_rows = kBuilds[size_t(build)].vec_rows;
  cfg.pes = kBuilds[size_t(build)].pes;
  return cfg;
}

using Bytes = std::array<uint8_t, 64>;

void Put16(Bytes& b, size_t at, uint32_t v) {
  b[at] = uint8_t(v);
  b[at + 1] = uint8_t(v >> 8);
}
void Put32(Bytes& b, size_t at, uint32_t v) {
  Put16(b, at, v & 0xFFFFu);
  Put16(b, at + 2, v >> 16);
}
uint32_t Get16(const Bytes& b, size_t at) { return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8; }
uint32_t Get32(const Bytes& b, size_t at) { return Get16(b, at) | Get16(b, at + 2) << 16; }

// Descriptor field offsets (spec §7).
constexpr size_t kKind = 0, kBits = 1, kOrient = 2, kN = 3, kK = 4, kFlags = 5, kR = 6, kS = 7,
                 kStride = 8, kPadT = 9, kPadL = 10, kPadB = 11, kPadR = 12, kEa = 13, kEin = 14,
                 kEout = 15, kInH = 16, kInW = 18, kInC = 20, kOutC = 22, kVectors = 24,
                 kCodesOff = 28, kCodesBytes = 32, kAlphaOff = 36, kAlphaBytes = 40, kBiasOff = 44,
                 kBiasBytes = 48, kPhi = 52, kReserved = 53;

struct Offsets {
  uint32_t codes = 0, alpha = 0, bias = 0;
};

// The 64 descriptor bytes of a valid layer (spec §7), counts from SectionSizes.
Bytes EncodeDescriptor(const LayerDesc& d, const Offsets& off) {
  const qsa::cmodel::LayerSections s = qsa::cmodel::SectionSizes(d);
  Bytes b{};
  b[kKind] = uint8_t(d.kind);
  b[kBits] = uint8_t(d.bits);
  b[kOrient] = uint8_t(d.orient);
  b[kN] = uint8_t(d.vector_len);
  b[kK] = uint8_t(d.k);
  b[kFlags] = uint8_t((d.relu ? 1 : 0) | (d.pool ? 2 : 0));
  b[kR] = uint8_t(d.kernel_h);
  b[kS] = uint8_t(d.kernel_w);
  b[kStride] = uint8_t(d.stride);
  b[kPadT] = uint8_t(d.pad_top);
  b[kPadL] = uint8_t(d.pad_left);
  b[kPadB] = uint8_t(d.pad_bottom);
  b[kPadR] = uint8_t(d.pad_right);
  b[kEa] = uint8_t(int8_t(d.alpha_exp));
  b[kEin] = uint8_t(int8_t(d.in_exp));
  b[kEout] = uint8_t(int8_t(d.out_exp));
  Put16(b, kInH, uint32_t(d.in.h));
  Put16(b, kInW, uint32_t(d.in.w));
  Put16(b, kInC, uint32_t(d.in.c));
  Put16(b, kOutC, uint32_t(d.out_c));
  Put32(b, kVectors, uint32_t(s.vectors));
  Put32(b, kCodesOff, off.codes);
  Put32(b, kCodesBytes, uint32_t(s.codes_bytes));
  Put32(b, kAlphaOff, off.alpha);
  Put32(b, kAlphaBytes, uint32_t(s.alpha_bytes));
  Put32(b, kBiasOff, off.bias);
  Put32(b, kBiasBytes, uint32_t(s.bias_bytes));
  b[kPhi] = uint8_t(d.phi);
  return b;
}

// Any 64 bytes as a LayerDesc (enum fields keep out-of-range values for ValidateLayerDesc).
LayerDesc DecodeDescriptor(const Bytes& b) {
  LayerDesc d;
  d.kind = static_cast<LayerKind>(b[kKind]);
  d.bits = b[kBits];
  d.orient = static_cast<Orientation>(b[kOrient]);
  d.vector_len = b[kN];
  d.k = b[kK];
  d.relu = (b[kFlags] & 1) != 0;
  d.pool = (b[kFlags] & 2) != 0;
  d.kernel_h = b[kR];
  d.kernel_w = b[kS];
  d.stride = b[kStride];
  d.pad_top = b[kPadT];
  d.pad_left = b[kPadL];
  d.pad_bottom = b[kPadB];
  d.pad_right = b[kPadR];
  d.alpha_exp = int8_t(b[kEa]);
  d.in_exp = int8_t(b[kEin]);
  d.out_exp = int8_t(b[kEout]);
  d.in = {int(Get16(b, kInH)), int(Get16(b, kInW)), int(Get16(b, kInC))};
  d.out_c = int(Get16(b, kOutC));
  d.phi = b[kPhi];
  return d;
}

struct Case {
  int build = 0;
  Bytes desc{};
  bool first = false;
  uint32_t prev_h = 0, prev_w = 0, prev_c = 0;  // 16-bit inputs
  bool k_en = false;
  int k_ovr = 0;
};

struct Expect {
  int cause = kCauseNone;
  LayerDesc d;
  LayerPlan plan;
};

// The C++ twin of qsa_desc_check: the first failing class in the RTL's priority order.
Expect DescCheckTwin(const Case& c) {
  Expect e;
  const Bytes& b = c.desc;
  // 1. Reserved bytes and flag bits.
  bool reserved = (b[kFlags] & 0xFC) != 0;
  for (size_t i = kReserved; i < 64; ++i) reserved |= b[i] != 0;
  if (reserved) {
    e.cause = kCauseReserved;
    return e;
  }
  // 2. Field ranges (the reference model's own check), then the counts against the geometry.
  e.d = DecodeDescriptor(b);
  try {
    qsa::cmodel::ValidateLayerDesc(e.d, "desc", 0);
  } catch (const qsa::FormatError&) {
    e.cause = kCauseField;
    return e;
  }
  const qsa::cmodel::LayerSections s = qsa::cmodel::SectionSizes(e.d);
  const uint32_t vectors = Get32(b, kVectors);
  if (vectors != uint64_t(s.vectors) || Get32(b, kCodesBytes) != uint64_t(s.codes_bytes) ||
      Get32(b, kAlphaBytes) != vectors || Get32(b, kBiasBytes) != uint64_t(s.bias_bytes)) {
    e.cause = kCauseField;
    return e;
  }
  // 3. Alignment.
  if ((Get32(b, kCodesOff) | Get32(b, kAlphaOff) | Get32(b, kBiasOff)) % 8 != 0) {
    e.cause = kCauseAlign;
    return e;
  }
  // 4. Chaining (exact 64-bit products).
  if (!c.first) {
    const bool ok = e.d.kind == LayerKind::kFc
                        ? uint64_t(e.d.in.c) == uint64_t{c.prev_h} * c.prev_w * c.prev_c
                        : e.d.in == Shape{int(c.prev_h), int(c.prev_w), int(c.prev_c)};
    if (!ok) {
      e.cause = kCauseShape;
      return e;
    }
  }
  // 5. The build's limits: PlanLayer refuses what does not fit.
  try {
    e.plan = qsa::cmodel::PlanLayer(e.d, ConfigOf(c.build));
  } catch (const qsa::ConfigError&) {
    e.cause = kCauseLimit;
    return e;
  }
  return e;
}

void WriteCase(std::FILE* out, const Case& c, const Expect& e) {
  std::fprintf(out, "%x %x %04x %04x %04x %x %x ", c.build, c.first ? 1 : 0, c.prev_h, c.prev_w,
               c.prev_c, c.k_en ? 1 : 0, c.k_ovr);
  for (int i = 63; i >= 0; --i) std::fprintf(out, "%02x", c.desc[size_t(i)]);
  const bool err = e.cause != kCauseNone;
  std::fprintf(out, " %x %02x", err ? 1 : 0, e.cause);
  const LayerDesc& d = e.d;
  const LayerPlan& p = e.plan;
  if (err) {
    for (int i = 0; i < 20 + 14; ++i) std::fprintf(out, " 0");
    std::fprintf(out, "\n");
    return;
  }
  const int k = c.k_en ? c.k_ovr : d.k;
  std::fprintf(out, " %x %x %x %x %x %02x %x %x %x %x %x %x %x %x %02x %04x %04x %04x %04x %04x",
               d.bits == 3, d.orient == Orientation::kChannel, d.relu, d.pool,
               d.kind == LayerKind::kFc, d.vector_len, k, d.kernel_h, d.kernel_w, d.stride,
               d.pad_top, d.pad_left, d.pad_bottom, d.pad_right, d.Shift(), d.in.h, d.in.w, d.in.c,
               d.out_c, p.fan_in);
  std::fprintf(out, " %04x %04x %04x %04x %04x %04x %04x %08x %08x %04x %08x %08x %08x %08x\n",
               p.vectors_per_filter, p.conv_h, p.conv_w, p.comp_h, p.comp_w, p.out_h, p.out_w,
               uint32_t(p.row_bytes), uint32_t(p.out_row_bytes), p.band_rows,
               Get32(c.desc, kCodesOff), Get32(c.desc, kAlphaOff), Get32(c.desc, kBiasOff),
               Get32(c.desc, kVectors));
}

// ---------------------------------------------------------------------------------------------
// Random cases
// ---------------------------------------------------------------------------------------------

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  uint32_t Word() { return static_cast<uint32_t>(rng_()); }
  // Uniform in [lo, hi] (modulo bias is irrelevant here).
  int64_t U(int64_t lo, int64_t hi) { return lo + int64_t(rng_() % uint64_t(hi - lo + 1)); }
  bool Chance(int percent) { return U(0, 99) < percent; }
  // Log-uniform in [1, hi]: a random bit length, then a value of that length.
  int64_t Log(int64_t hi) {
    int bits = 0;
    while ((int64_t{1} << (bits + 1)) <= hi) ++bits;
    const int b = int(U(0, bits));
    const int64_t lo = int64_t{1} << b;
    return U(lo, std::min(hi, 2 * lo - 1));
  }

  // A random valid layer. `small` keeps shapes that usually fit the default build.
  LayerDesc ValidLayer(bool small) {
    for (;;) {
      LayerDesc d;
      d.kind = Chance(20) ? LayerKind::kFc : LayerKind::kConv;
      d.bits = Chance(30) ? 2 : 3;
      d.phi = d.bits == 2 ? 1 : std::array<int, 3>{1, 2, 4}[size_t(U(0, 2))];
      d.orient = Chance(50) ? Orientation::kChannel : Orientation::kFilter;
      d.vector_len = int(Chance(20) ? U(1, 4) : U(1, 64));
      d.k = int(U(0, 5));
      d.relu = Chance(50);
      d.out_c = int(small ? Log(256) : Log(4096));
      if (d.kind == LayerKind::kFc) {
        d.in = {1, 1, int(small ? Log(2048) : Log(4096))};
      } else {
        d.kernel_h = int(Chance(70) ? U(1, 5) : U(1, 15));
        d.kernel_w = int(Chance(70) ? U(1, 5) : U(1, 15));
        d.stride = int(Chance(60) ? 1 : (Chance(70) ? U(2, 4) : U(2, 15)));
        d.pad_top = int(U(0, d.kernel_h - 1));
        d.pad_bottom = int(U(0, d.kernel_h - 1));
        d.pad_left = int(U(0, d.kernel_w - 1));
        d.pad_right = int(U(0, d.kernel_w - 1));
        d.in = {int(small ? Log(128) : Log(4096)), int(small ? Log(128) : Log(4096)),
                int(small ? Log(64) : Log(4096))};
        const int max_c = qsa::cmodel::kMaxFanIn / (d.kernel_h * d.kernel_w);
        if (d.in.c > max_c) d.in.c = int(U(1, max_c));
        if (d.in.h + d.pad_top + d.pad_bottom < d.kernel_h) continue;
        if (d.in.w + d.pad_left + d.pad_right < d.kernel_w) continue;
        d.pool = d.ConvOutH() >= 2 && d.ConvOutW() >= 2 && Chance(40);
      }
      d.alpha_exp = int(U(-128, 127));
      d.in_exp = int(U(-128, 127));
      const int shift = int(Chance(10) ? (Chance(50) ? 0 : 31) : U(0, 31));
      d.out_exp = d.in_exp + d.alpha_exp + shift;
      if (d.out_exp < -128 || d.out_exp > 127) {
        d.alpha_exp = int(U(-20, 0));
        d.in_exp = int(U(-20, 0));
        d.out_exp = d.in_exp + d.alpha_exp + shift;
      }
      qsa::cmodel::ValidateLayerDesc(d, "gen", 0);  // by construction
      return d;
    }
  }

  Offsets RandomOffsets() {
    Offsets o;
    auto one = [&] { return Chance(20) ? uint32_t(U(0, 64)) * 8 : (Word() & ~7u); };
    o.codes = one();
    o.alpha = one();
    o.bias = one();
    return o;
  }

  // A case for a valid layer: chained to the right previous shape, or first.
  Case ValidCase(const LayerDesc& d, int build) {
    Case c;
    c.build = build;
    c.desc = EncodeDescriptor(d, RandomOffsets());
    c.first = Chance(20);
    c.k_en = Chance(30);
    c.k_ovr = int(U(0, 7));
    if (c.first) {
      c.prev_h = Word() & 0xFFFF;
      c.prev_w = Word() & 0xFFFF;
      c.prev_c = Word() & 0xFFFF;
    } else if (d.kind == LayerKind::kFc) {
      // A random factorization h·w·c of the input channels.
      uint32_t rest = uint32_t(d.in.c);
      c.prev_h = Divisor(rest);
      rest /= c.prev_h;
      c.prev_w = Divisor(rest);
      c.prev_c = rest / c.prev_w;
    } else {
      c.prev_h = uint32_t(d.in.h);
      c.prev_w = uint32_t(d.in.w);
      c.prev_c = uint32_t(d.in.c);
    }
    return c;
  }

  uint32_t Divisor(uint32_t n) {
    std::vector<uint32_t> divs;
    for (uint32_t i = 1; i <= n; ++i) {
      if (n % i == 0) divs.push_back(i);
    }
    return divs[size_t(U(0, int64_t(divs.size()) - 1))];
  }

  // Mutations that aim at one class (the twin decides what the result is).
  void MutateReserved(Case& c) {
    if (Chance(50)) {
      c.desc[size_t(U(kReserved, 63))] = uint8_t(U(1, 255));
    } else {
      c.desc[kFlags] |= uint8_t(1u << U(2, 7));
    }
  }

  // Rewrites the four counts to agree with the (possibly out-of-range) geometry, so that a
  // range mutation is the descriptor's only fault; a geometry SectionSizes cannot size is left.
  static void FixCounts(Bytes& b) {
    const LayerDesc d = DecodeDescriptor(b);
    qsa::cmodel::LayerSections s;
    try {
      s = qsa::cmodel::SectionSizes(d);
    } catch (const qsa::Error&) {
      return;
    }
    Put32(b, kVectors, uint32_t(s.vectors));
    Put32(b, kCodesBytes, uint32_t(s.codes_bytes));
    Put32(b, kAlphaBytes, uint32_t(s.vectors));
    Put32(b, kBiasBytes, uint32_t(s.bias_bytes));
  }

  void MutateField(Case& c) {
    MutateFieldOnce(c);
    const int kind = last_field_kind_;
    if (kind < 20 || kind > 24) {
      if (Chance(75)) FixCounts(c.desc);
    }
  }

  void MutateFieldOnce(Case& c) {
    Bytes& b = c.desc;
    auto byte_out = [&](size_t at, int lo, int hi) {  // a value outside [lo, hi]
      int v;
      if (Chance(50)) {  // just outside
        v = (lo == 0 || (hi < 255 && Chance(50))) ? hi + 1 : lo - 1;
      } else {
        do {
          v = int(U(0, 255));
        } while (v >= lo && v <= hi);
      }
      b[at] = uint8_t(v);
    };
    auto dim_out = [&](size_t at) {
      Put16(b, at, Chance(30) ? 0u : uint32_t(Chance(50) ? U(4097, 4100) : U(4097, 65535)));
    };
    auto count_off = [&](size_t at, int64_t delta_max) {
      const int64_t delta = U(1, delta_max) * (Chance(50) ? 1 : -1);
      Put32(b, at, uint32_t(int64_t(Get32(b, at)) + delta));
    };
    last_field_kind_ = int(U(0, 28));
    switch (last_field_kind_) {
      case 0:
        byte_out(kKind, 0, 1);
        break;
      case 1:
        byte_out(kBits, 2, 3);
        break;
      case 2: {
        int v;
        if (Chance(50)) {
          v = std::array<int, 4>{0, 3, 5, 8}[size_t(U(0, 3))];
        } else {
          do {
            v = int(U(0, 255));
          } while (v == 1 || v == 2 || v == 4);
        }
        b[kPhi] = uint8_t(v);
        break;
      }
      case 3:  // 2-bit codes with phi 2 or 4
        b[kBits] = 2;
        b[kPhi] = Chance(50) ? 2 : 4;
        break;
      case 4:
        byte_out(kOrient, 0, 1);
        break;
      case 5:
        byte_out(kN, 1, 64);
        break;
      case 6:
        byte_out(kK, 0, 5);
        break;
      case 7:
        byte_out(kR, 1, 15);
        break;
      case 8:
        byte_out(kS, 1, 15);
        break;
      case 9:
        byte_out(kStride, 1, 15);
        break;
      case 10: {  // a pad >= its kernel
        const size_t at = std::array<size_t, 4>{kPadT, kPadL, kPadB, kPadR}[size_t(U(0, 3))];
        const int kernel = (at == kPadT || at == kPadB) ? b[kR] : b[kS];
        b[at] = uint8_t(Chance(50) ? kernel : U(kernel, 255));
        break;
      }
      case 11: {  // shift out of 0..31, often just outside (-1 or 32)
        int ea = int8_t(b[kEa]), ei = int8_t(b[kEin]);
        int eo = ei + ea + (Chance(50) ? -1 : 32);
        if (eo < -128 || eo > 127) {
          ea = int(U(-20, 0));
          ei = int(U(-20, 0));
          eo = ei + ea + (Chance(50) ? -1 : 32);
          b[kEa] = uint8_t(int8_t(ea));
          b[kEin] = uint8_t(int8_t(ei));
        }
        if (Chance(30)) {
          do {
            eo = int(U(-128, 127));
          } while (eo - ei - ea >= 0 && eo - ei - ea <= 31);
        }
        b[kEout] = uint8_t(int8_t(eo));
        break;
      }
      case 12:
        dim_out(kInH);
        break;
      case 13:
        dim_out(kInW);
        break;
      case 14:
        dim_out(kInC);
        break;
      case 15:
        dim_out(kOutC);
        break;
      case 16:  // the FC form broken: kind 1 on a conv layer, or a kernel on an FC layer
        if (b[kKind] == 0 && Chance(50)) {
          b[kKind] = 1;
        } else {  // an FC layer with exactly one of R, S, stride, input h, input w not 1
          b[kKind] = 1;
          b[kR] = b[kS] = b[kStride] = 1;
          b[kPadT] = b[kPadB] = b[kPadL] = b[kPadR] = 0;
          Put16(b, kInH, 1);
          Put16(b, kInW, 1);
          const size_t at = std::array<size_t, 5>{kR, kS, kStride, kInH, kInW}[size_t(U(0, 4))];
          if (at == kInH || at == kInW) {
            Put16(b, at, uint32_t(Chance(50) ? 2 : U(2, 4096)));
          } else {
            b[at] = uint8_t(U(2, 15));
          }
        }
        break;
      case 17: {  // kernel taller than the padded input
        const uint32_t h = uint32_t(U(1, 10));
        Put16(b, kInH, h);
        b[kPadT] = b[kPadB] = 0;
        b[kR] = uint8_t(U(h + 1, 15));
        break;
      }
      case 18: {  // pool on a one-row (or one-column) conv output
        b[kFlags] |= 2;
        b[kStride] = uint8_t(U(1, 15));
        if (Chance(50)) {
          Put16(b, kInH, uint32_t(b[kR]) + uint32_t(U(0, b[kStride] - 1)) - b[kPadT] - b[kPadB]);
        } else {
          Put16(b, kInW, uint32_t(b[kS]) + uint32_t(U(0, b[kStride] - 1)) - b[kPadL] - b[kPadR]);
        }
        break;
      }
      case 19: {  // fan-in above 16383, often just above
        b[kKind] = 0;
        if (Chance(50)) {
          static constexpr std::array<std::array<int, 3>, 6> kOver = {
              {{2, 2, 4096}, {1, 4, 4096}, {4, 1, 4096}, {8, 8, 256}, {15, 15, 73}, {13, 9, 141}}};
          const std::array<int, 3> rsc = kOver[size_t(U(0, 5))];
          b[kR] = uint8_t(rsc[0]);
          b[kS] = uint8_t(rsc[1]);
          Put16(b, kInC, uint32_t(rsc[2]));
        } else {
          b[kR] = uint8_t(U(8, 15));
          b[kS] = uint8_t(U(8, 15));
          Put16(b, kInC, uint32_t(U(16384 / (b[kR] * b[kS]) + 1, 4096)));
        }
        b[kPadT] = b[kPadB] = b[kPadL] = b[kPadR] = 0;
        break;
      }
      case 20:
        count_off(kVectors, Chance(50) ? 1 : 100000);
        break;
      case 21:
        count_off(kCodesBytes, Chance(50) ? 8 : 1);
        break;
      case 22:
        count_off(kAlphaBytes, Chance(50) ? 1 : 1000);
        break;
      case 23:
        count_off(kBiasBytes, Chance(50) ? 4 : 1);
        break;
      case 24:  // vector count and α bytes agree, but not with the geometry
        count_off(kVectors, Chance(50) ? 1 : 64);
        Put32(b, kAlphaBytes, Get32(b, kVectors));
        break;
      case 25:  // N changed, counts kept: V differs unless the ceilings agree
        b[kN] = uint8_t(U(1, 64));
        break;
      case 26:  // code width changed, counts kept
        b[kBits] = b[kBits] == 3 ? 2 : 3;
        b[kPhi] = 1;
        break;
      case 27: {  // fan-in just below the limit: valid (only the counts may then disagree)
        b[kKind] = 0;
        static constexpr std::array<std::array<int, 3>, 4> kUnder = {
            {{15, 15, 72}, {8, 8, 255}, {7, 9, 260}, {1, 3, 4096}}};
        const std::array<int, 3> rsc = kUnder[size_t(U(0, 3))];
        b[kR] = uint8_t(rsc[0]);
        b[kS] = uint8_t(rsc[1]);
        Put16(b, kInC, uint32_t(rsc[2]));
        b[kPadT] = b[kPadB] = b[kPadL] = b[kPadR] = 0;
        break;
      }
      default: {  // 32-bit extremes of the counts, or one flipped high bit
        const size_t at =
            std::array<size_t, 4>{kVectors, kCodesBytes, kAlphaBytes, kBiasBytes}[size_t(U(0, 3))];
        if (Chance(50)) {
          Put32(b, at, Chance(50) ? 0xFFFFFFFFu : 0x80000000u);
        } else {
          Put32(b, at, Get32(b, at) ^ (1u << U(16, 31)));
          if (at == kVectors && Chance(50)) Put32(b, kAlphaBytes, Get32(b, kVectors));
        }
        break;
      }
    }
  }

  void MutateAlign(Case& c) {
    const size_t at = std::array<size_t, 3>{kCodesOff, kAlphaOff, kBiasOff}[size_t(U(0, 2))];
    Put32(c.desc, at, Get32(c.desc, at) + uint32_t(U(1, 7)));
  }

  void MutateShape(Case& c) {
    c.first = false;
    const LayerDesc d = DecodeDescriptor(c.desc);
    const uint32_t in_c = Get16(c.desc, kInC);
    switch (U(0, 5)) {
      case 0:  // one dimension off by a little
        *std::array<uint32_t*, 3>{&c.prev_h, &c.prev_w, &c.prev_c}[size_t(U(0, 2))] ^=
            uint32_t(U(1, 3));
        break;
      case 1:  // one dimension off in the bits above the 13 the plan keeps
        *std::array<uint32_t*, 3>{&c.prev_h, &c.prev_w, &c.prev_c}[size_t(U(0, 2))] ^=
            uint32_t(1u << U(13, 15));
        break;
      case 2:  // the conv shape, transposed or as its flattening
        if (d.kind == LayerKind::kFc) {
          c.prev_h = 1;
          c.prev_w = 1;
          c.prev_c = in_c + uint32_t(U(1, 5));
        } else {
          c.prev_h = 1;
          c.prev_w = 1;
          c.prev_c = uint32_t(d.in.Elements()) & 0xFFFFu;
        }
        break;
      case 3:  // a product equal to in_c modulo 2^17: 3 · 43691 = 2^17 + 1
        c.prev_h = Chance(50) ? 3u : 43691u;
        c.prev_w = c.prev_h == 3u ? 43691u : 3u;
        c.prev_c = in_c;
        if (Chance(50)) std::swap(c.prev_w, c.prev_c);
        break;
      case 4:  // a product equal to in_c modulo 2^32 (h·w·c = in_c + j·2^32)
        if (!Wrap32(in_c, c)) {
          c.prev_h = 0xFFFF;
          c.prev_w = 0xFFFF;
          c.prev_c = uint32_t(U(0, 0xFFFF));
        }
        break;
      default:  // zeros and extremes
        c.prev_h = Chance(50) ? 0u : 0xFFFFu;
        c.prev_w = Chance(50) ? 0u : uint32_t(d.in.w);
        c.prev_c = Chance(50) ? 0u : in_c;
        break;
    }
  }

  // Finds 16-bit h, w, c with h·w·c ≡ target (mod 2^32) and h·w·c ≠ target: an odd c, then
  // t = target / c (mod 2^32) split into two 16-bit factors.
  bool Wrap32(uint32_t target, Case& c) {
    for (int tries = 0; tries < 40; ++tries) {
      const uint32_t cc = uint32_t(U(1, 0x7FFF)) * 2 + 1;
      uint32_t inv = cc;  // Newton's iteration for the inverse of an odd number mod 2^32
      for (int i = 0; i < 5; ++i) inv *= 2u - cc * inv;
      const uint32_t t = target * inv;
      for (uint32_t h = std::max<uint32_t>(1, (t + 0xFFFEu) / 0xFFFFu); h <= 0xFFFF; ++h) {
        if (t % h == 0 && t / h <= 0xFFFF) {
          c.prev_h = h;
          c.prev_w = t / h;
          c.prev_c = cc;
          if (uint64_t{h} * c.prev_w * cc != target) return true;
          break;
        }
      }
    }
    return false;
  }

  // A layer that is valid but beyond the build's vector rows (V > VecRows).
  LayerDesc WideLayer(int build) {
    for (;;) {
      LayerDesc d = ValidLayer(true);
      d.orient = Orientation::kFilter;
      d.vector_len = int(U(1, 3));
      const int v = (d.FanIn() + d.vector_len - 1) / d.vector_len;
      if (v > kBuilds[size_t(build)].vec_rows) return d;
    }
  }

  // Divisors of n in [lo, hi].
  static std::vector<int64_t> Divisors(int64_t n, int64_t lo, int64_t hi) {
    std::vector<int64_t> out;
    for (int64_t i = std::max<int64_t>(lo, 1); i <= std::min(n, hi); ++i) {
      if (n % i == 0) out.push_back(i);
    }
    return out;
  }

  // A valid layer at a buffer boundary of the build: its input row rb = W·C (or its output row
  // ob = W_o·K) divides A - 6, A - 7 or A - 8 (O - 6, ...), where (A - 7)/rb steps, and the
  // layer is shaped so that this term of min(Hc, T1, T2) usually binds. A slack or rounding
  // error then changes T.
  LayerDesc BoundaryLayer(int build) {
    const Build& bd = kBuilds[size_t(build)];
    for (;;) {
      LayerDesc d = ValidLayer(true);
      d.kind = LayerKind::kConv;
      d.pad_left = d.pad_right = 0;
      if (Chance(50)) {
        const int64_t x = bd.act_bytes - U(6, 8);
        const std::vector<int64_t> rbs = Divisors(x, 2, 4096 * 16);
        const int64_t rb = rbs[size_t(U(0, int64_t(rbs.size()) - 1))];
        const std::vector<int64_t> cs = Divisors(rb, (rb + 4095) / 4096, 16);
        if (cs.empty()) continue;
        d.in.c = int(cs[size_t(U(0, int64_t(cs.size()) - 1))]);
        d.in.w = int(rb / d.in.c);
        d.kernel_w = 1;
        d.out_c = 1;
        const int64_t rows_in = (bd.act_bytes - 7) / rb;
        d.kernel_h = int(U(1, std::min<int64_t>(15, rows_in + 1)));
        d.stride = int(U(1, 3));
        d.pad_top = int(U(0, d.kernel_h - 1));
        d.pad_bottom = int(U(0, d.kernel_h - 1));
        const int64_t t1 = rows_in >= d.kernel_h ? (rows_in - d.kernel_h) / d.stride + 1 : 1;
        d.in.h =
            int(std::min<int64_t>(4096, U(t1 * d.stride + d.kernel_h, 2 * t1 * d.stride + 40)));
        d.pool = Chance(30);
      } else {
        const int64_t x = bd.out_bytes - U(6, 8);
        const std::vector<int64_t> obs = Divisors(x, 2, 4096 * 16);
        const int64_t ob = obs[size_t(U(0, int64_t(obs.size()) - 1))];
        const std::vector<int64_t> wos = Divisors(ob, (ob + 4095) / 4096, 16);
        if (wos.empty()) continue;
        const int64_t wo = wos[size_t(U(0, int64_t(wos.size()) - 1))];
        d.out_c = int(ob / wo);
        d.pool = Chance(50);
        d.kernel_w = int(U(1, 3));
        d.stride = 1;
        d.in.w = int(wo * (d.pool ? 2 : 1) + (d.pool ? U(0, 1) : 0) + d.kernel_w - 1);
        d.in.c = int(U(1, 3));
        d.kernel_h = int(U(1, 3));
        d.pad_top = int(U(0, d.kernel_h - 1));
        d.pad_bottom = int(U(0, d.kernel_h - 1));
        const int64_t t2 = ((bd.out_bytes - 7) / ob) * (d.pool ? 2 : 1);
        d.in.h = int(std::min<int64_t>(4096, U(t2 + d.kernel_h, 2 * t2 + 40)));
      }
      if (d.in.w > 4096 || d.FanIn() > qsa::cmodel::kMaxFanIn) continue;
      if (d.in.h + d.pad_top + d.pad_bottom < d.kernel_h) continue;
      if (d.pool && (d.ConvOutH() < 2 || d.ConvOutW() < 2)) d.pool = false;
      try {
        qsa::cmodel::ValidateLayerDesc(d, "gen", 0);
      } catch (const qsa::FormatError&) {
        continue;
      }
      return d;
    }
  }

  // Raw descriptors: random fields of small values (so that the deeper checks are reached).
  Bytes SmallRaw() {
    Bytes b{};
    for (size_t i = 0; i <= kPhi; ++i) b[i] = uint8_t(U(0, 6));
    b[kKind] = uint8_t(U(0, 1));
    b[kBits] = uint8_t(U(2, 3));
    b[kPhi] = uint8_t(std::array<int, 3>{1, 2, 4}[size_t(U(0, 2))]);
    b[kFlags] = uint8_t(U(0, 3));
    b[kN] = uint8_t(U(1, 64));
    b[kEa] = uint8_t(int8_t(U(-3, 0)));
    b[kEin] = uint8_t(int8_t(U(-3, 0)));
    b[kEout] = uint8_t(int8_t(U(0, 3)));
    for (size_t at : {kInH, kInW, kInC, kOutC}) Put16(b, at, uint32_t(U(0, 20)));
    for (size_t at : {kVectors, kCodesBytes, kAlphaBytes, kBiasBytes}) {
      Put32(b, at, uint32_t(U(0, 200)));
    }
    for (size_t at : {kCodesOff, kAlphaOff, kBiasOff}) Put32(b, at, uint32_t(U(0, 40)) * 8);
    return b;
  }

  Bytes RandomRaw() {
    Bytes b{};
    for (auto& x : b) x = uint8_t(Word());
    if (Chance(70)) {  // reach beyond the reserved check
      for (size_t i = kReserved; i < 64; ++i) b[i] = 0;
      b[kFlags] &= 3;
    }
    return b;
  }

 private:
  std::mt19937 rng_;
  int last_field_kind_ = 0;
};

// Checks EncodeDescriptor against SerializeModel on a one-layer model (layers small enough).
bool CrossCheckEncoding(const LayerDesc& d) {
  if (d.Weights() > 200000 || d.out_c > 255) return true;  // too big to build or > u8 classes
  qsa::cmodel::Model m;
  m.name = "gen";
  m.input = d.in;
  m.input_exp = -7;
  Layer l;
  l.desc = d;
  l.codes.assign(size_t(d.Weights()), 0);
  l.alphas.assign(size_t(qsa::cmodel::SectionSizes(d).vectors), 0);
  l.biases.assign(size_t(d.out_c), 0);
  m.layers.push_back(l);
  const std::vector<uint8_t> file = qsa::cmodel::SerializeModel(m);
  Bytes want;
  std::memcpy(want.data(), file.data() + 64, 64);
  Offsets off;
  off.codes = Get32(want, kCodesOff);
  off.alpha = Get32(want, kAlphaOff);
  off.bias = Get32(want, kBiasOff);
  return EncodeDescriptor(d, off) == want;
}

int Usage() {
  std::fprintf(stderr, "usage: gen_desc_vectors OUT.hex [--seed N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return Usage();
  const std::string path = argv[1];
  uint32_t seed = 20240602u;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = uint32_t(std::strtoul(argv[++i], nullptr, 0));
    } else {
      return Usage();
    }
  }
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "gen_desc_vectors: cannot write %s\n", path.c_str());
    return 1;
  }

  Gen g(seed);
  std::array<int, 0x26> by_cause{};
  int cases = 0, cross_checked = 0;
  auto emit = [&](const Case& c) {
    const Expect e = DescCheckTwin(c);
    WriteCase(out, c, e);
    ++by_cause[size_t(e.cause)];
    ++cases;
  };

  try {
    // Valid layers, each followed by its mutations.
    for (int n = 0; n < 1400; ++n) {
      const int build = n % 10 < 7 ? 0 : 1;
      const LayerDesc d = g.ValidLayer(n % 2 == 0);
      if (n < 400) {
        if (!CrossCheckEncoding(d)) {
          std::fprintf(stderr,
                       "gen_desc_vectors: EncodeDescriptor disagrees with "
                       "SerializeModel on valid layer %d\n",
                       n);
          return 1;
        }
        ++cross_checked;
      }
      const Case base = g.ValidCase(d, build);
      emit(base);
      // One mutation of a random class, or two or three (then the priority order decides).
      Case c = base;
      const int count = n % 2 == 0 ? 1 : int(g.U(2, 3));
      for (int i = 0; i < count; ++i) {
        switch (g.U(0, 3)) {
          case 0:
            g.MutateReserved(c);
            break;
          case 1:
            g.MutateField(c);
            break;
          case 2:
            g.MutateAlign(c);
            break;
          default:
            g.MutateShape(c);
            break;
        }
      }
      emit(c);
    }
    // One focused mutation of each field kind on fresh valid layers.
    for (int n = 0; n < 600; ++n) {
      Case c = g.ValidCase(g.ValidLayer(true), n % 2);
      g.MutateField(c);
      if (n % 3 == 0) g.MutateAlign(c);  // FIELD must win over ALIGN
      if (n % 5 == 0) g.MutateShape(c);  // and over SHAPE
      emit(c);
    }
    // Shape and alignment alone, and V > VecRows (with and without a lower class).
    for (int n = 0; n < 300; ++n) {
      Case c = g.ValidCase(g.ValidLayer(n % 2 == 0), n % 2);
      if (n % 2 == 0) {
        g.MutateShape(c);
      } else {
        g.MutateAlign(c);
        if (n % 3 == 0) g.MutateShape(c);  // ALIGN must win over SHAPE
      }
      emit(c);
      const int build = n % 2;
      Case w = g.ValidCase(g.WideLayer(build), build);
      if (n % 4 == 0) g.MutateShape(w);  // SHAPE must win over LIMIT
      emit(w);
    }
    // Layers at the buffer boundaries of each build.
    for (int n = 0; n < 600; ++n) {
      const int build = n % 2;
      emit(g.ValidCase(g.BoundaryLayer(build), build));
    }
    // Raw descriptors.
    for (int n = 0; n < 600; ++n) {
      Case c;
      c.build = n % 2;
      c.desc = n % 3 == 0 ? g.RandomRaw() : g.SmallRaw();
      c.first = g.Chance(50);
      c.prev_h = uint32_t(g.U(0, 20));
      c.prev_w = uint32_t(g.U(0, 20));
      c.prev_c = uint32_t(g.U(0, 20));
      c.k_en = g.Chance(50);
      c.k_ovr = int(g.U(0, 7));
      emit(c);
    }
  } catch (const qsa::Error& e) {
    std::fprintf(stderr, "gen_desc_vectors: %s\n", e.what());
    return 1;
  }

  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "gen_desc_vectors: error writing %s\n", path.c_str());
    return 1;
  }
  std::fprintf(stderr,
               "gen_desc_vectors: %d cases (none %d, reserved %d, field %d, align %d, shape %d, "
               "limit %d); encoding cross-checked on %d layers\n",
               cases, by_cause[kCauseNone], by_cause[kCauseReserved], by_cause[kCauseField],
               by_cause[kCauseAlign], by_cause[kCauseShape], by_cause[kCauseLimit], cross_checked);
  // Every class must be well represented, or the tb proves little.
  for (int cause :
       {kCauseNone, kCauseReserved, kCauseField, kCauseAlign, kCauseShape, kCauseLimit}) {
    if (by_cause[size_t(cause)] < 150) {
      std::fprintf(stderr, "gen_desc_vectors: only %d cases of cause 0x%02x\n",
                   by_cause[size_t(cause)], cause);
      return 1;
    }
  }
  return 0;
}
