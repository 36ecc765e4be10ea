// Vector geometry, section sizes, code packing, CRC-32 and the semantic checks of an encoded
// model (docs/spec.md §1, §4, §5, §7).
#include "qsa/cmodel/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <utility>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"

namespace qsa::cmodel {
namespace {

constexpr int kMaxLayers = 256;
constexpr int kMaxDim = 4096;  // input height/width/channels and output channels
constexpr int kMaxKernel = 15;
constexpr int kMaxStride = 15;
constexpr int kMaxShift = 31;
constexpr int kMaxNameBytes = 31;  // 32-byte field, NUL-padded
constexpr int kMaxClasses = 255;   // the header stores the class count as u8
constexpr int kMinInputExp = -7;   // QuantizeInput is defined for e_in in [-7, 0] (§4)
constexpr int kMaxInputExp = 0;
constexpr int64_t kAccMax = std::numeric_limits<int32_t>::max();
// Largest |w_q · a| of one weight: |β·Q_k(m)| ≤ 4·256 times |a| ≤ 128, i.e. 2^17 (§4).
constexpr int64_t kMaxProduct = int64_t{1} << 17;

// "<origin>: layer <i>: <field>: <what>", or "<origin>: <field>: <what>" when layer < 0.
template <typename... Args>
[[noreturn]] void Fail(const std::string& origin, int layer, std::string_view field,
                       fmt::format_string<Args...> what, Args&&... args) {
  const std::string text = fmt::format(what, std::forward<Args>(args)...);
  if (layer < 0) throw FormatError(fmt::format("{}: {}: {}", origin, field, text));
  throw FormatError(fmt::format("{}: layer {}: {}: {}", origin, layer, field, text));
}

void CheckRange(const std::string& origin, int layer, std::string_view field, int64_t value,
                int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    Fail(origin, layer, field, "{} is out of range {}..{}", value, lo, hi);
  }
}

// Overflow-checked 64-bit arithmetic for size computations on untrusted values.
int64_t CheckedMul(int64_t a, int64_t b, std::string_view what) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    throw FormatError(fmt::format("{}: {} * {} overflows 64 bits", what, a, b));
  }
  return r;
}
int64_t CeilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0); }

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      extra = 1, cp = b0 & 0x1Fu, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2, cp = b0 & 0x0Fu, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3, cp = b0 & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= s.size()) return false;  // truncated sequence
    for (int j = 1; j <= extra; ++j) {
      const auto b = static_cast<unsigned char>(s[i + j]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

// Whether β is in the level set of φ (spec §1): {0, ±1}, {0, ±1, ±2} or {0, ±1, ±2, ±4}.
// Every decodable β is 0 or ± a power of two up to 4, so membership is |β| ≤ φ.
bool InLevelSet(int beta, int phi) { return std::abs(beta) <= phi; }

void CheckCodes(const Layer& layer, const std::string& origin, int index) {
  const LayerDesc& d = layer.desc;
  const unsigned limit = 1u << d.bits;
  for (size_t j = 0; j < layer.codes.size(); ++j) {
    const unsigned code = layer.codes[j];
    const int beta = code < limit ? DecodeCode(code, d.bits) : kReservedCode;
    if (beta != kReservedCode && InLevelSet(beta, d.phi)) continue;
    // Error path only: name the code by its index in the layer's stream.
    const std::string field = fmt::format("code {}", j);
    if (code >= limit) Fail(origin, index, field, "value {} does not fit in {} bits", code, d.bits);
    if (beta == kReservedCode) Fail(origin, index, field, "reserved code 0b{:0{}b}", code, d.bits);
    Fail(origin, index, field, "beta {:+} (0b{:0{}b}) is outside the level set of phi={}", beta,
         code, d.bits, d.phi);
  }
}

}  // namespace

std::vector<VectorSpan> FilterVectors(const LayerDesc& d) {
  const int n = d.vector_len;
  if (n < 1) throw FormatError(fmt::format("FilterVectors: vector length {} is not >= 1", n));
  const int64_t positions = int64_t{d.kernel_h} * d.kernel_w;
  const int64_t fan_in = CheckedMul(positions, d.in.c, "FilterVectors");
  if (d.kernel_h < 0 || d.kernel_w < 0 || d.in.c < 0 || fan_in > std::numeric_limits<int>::max()) {
    throw FormatError(
        fmt::format("FilterVectors: invalid filter {}x{}x{}", d.kernel_h, d.kernel_w, d.in.c));
  }
  std::vector<VectorSpan> spans;
  if (d.orient == Orientation::kChannel) {
    // Runs of N channels at each (r, s); the last run of a position may be shorter.
    const int c = d.in.c;
    spans.reserve(static_cast<size_t>(positions * CeilDiv(c, n)));
    for (int64_t pos = 0; pos < positions; ++pos) {
      for (int c0 = 0; c0 < c; c0 += n) {
        spans.push_back({static_cast<int>(pos * c + c0), std::min(n, c - c0)});
      }
    }
  } else {
    // Runs of N over the whole [r][s][c] filter; the last run may be shorter.
    const int total = static_cast<int>(fan_in);
    spans.reserve(static_cast<size_t>(CeilDiv(total, n)));
    for (int start = 0; start < total; start += n) {
      spans.push_back({start, std::min(n, total - start)});
    }
  }
  return spans;
}

LayerSections SectionSizes(const LayerDesc& d) {
  if (d.bits != 2 && d.bits != 3) {
    throw FormatError(fmt::format("SectionSizes: code bits {} is not 2 or 3", d.bits));
  }
  if (d.vector_len < 1 || d.kernel_h < 0 || d.kernel_w < 0 || d.in.c < 0 || d.out_c < 0) {
    throw FormatError(fmt::format("SectionSizes: invalid geometry {}x{}x{}, {} filters, N={}",
                                  d.kernel_h, d.kernel_w, d.in.c, d.out_c, d.vector_len));
  }
  constexpr std::string_view kWhat = "SectionSizes";
  const int64_t positions = CheckedMul(d.kernel_h, d.kernel_w, kWhat);
  const int64_t fan_in = CheckedMul(positions, d.in.c, kWhat);
  const int64_t per_filter = d.orient == Orientation::kChannel
                                 ? CheckedMul(positions, CeilDiv(d.in.c, d.vector_len), kWhat)
                                 : CeilDiv(fan_in, d.vector_len);
  const int64_t weights = CheckedMul(fan_in, d.out_c, kWhat);
  const int64_t codes_per_word = 64 / d.bits;  // 21 or 32
  LayerSections s;
  s.vectors = CheckedMul(per_filter, d.out_c, kWhat);
  s.codes_bytes = CheckedMul(CeilDiv(weights, codes_per_word), 8, kWhat);
  s.alpha_bytes = s.vectors;
  s.bias_bytes = CheckedMul(d.out_c, 4, kWhat);
  return s;
}

std::vector<uint8_t> PackCodes(const std::vector<uint8_t>& codes, int bits) {
  if (bits != 2 && bits != 3) {
    throw FormatError(fmt::format("PackCodes: code bits {} is not 2 or 3", bits));
  }
  const size_t per_word = 64 / static_cast<size_t>(bits);
  const size_t words = (codes.size() + per_word - 1) / per_word;
  std::vector<uint8_t> out(words * 8, 0);
  for (size_t w = 0; w < words; ++w) {
    uint64_t word = 0;
    for (size_t j = 0; j < per_word && w * per_word + j < codes.size(); ++j) {
      const size_t index = w * per_word + j;
      const uint64_t code = codes[index];
      if (code >> bits != 0) {
        throw FormatError(fmt::format("PackCodes: code {} is {}, which does not fit in {} bits",
                                      index, code, bits));
      }
      word |= code << (static_cast<size_t>(bits) * j);
    }
    for (size_t b = 0; b < 8; ++b) out[w * 8 + b] = static_cast<uint8_t>(word >> (8 * b));
  }
  return out;
}

namespace {
// Table of the reflected IEEE 802.3 polynomial 0xEDB88320, built at compile time.
constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();
}  // namespace

uint32_t Crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) crc = kCrcTable[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

void ValidateLayerDesc(const LayerDesc& d, const std::string& origin, int index) {
  const int i = index;
  if (d.kind != LayerKind::kConv && d.kind != LayerKind::kFc) {
    Fail(origin, i, "kind", "{} is not 0 (conv) or 1 (fully connected)", static_cast<int>(d.kind));
  }
  if (d.bits != 2 && d.bits != 3) Fail(origin, i, "bits", "{} is not 2 or 3", d.bits);
  if (d.phi != 1 && d.phi != 2 && d.phi != 4) Fail(origin, i, "phi", "{} is not 1, 2 or 4", d.phi);
  if (d.bits == 2 && d.phi != 1) {
    Fail(origin, i, "phi", "{} with 2-bit codes; 2-bit encoding is only defined for phi=1", d.phi);
  }
  if (d.orient != Orientation::kChannel && d.orient != Orientation::kFilter) {
    Fail(origin, i, "orientation", "{} is not 0 (channel-wise) or 1 (filter-wise)",
         static_cast<int>(d.orient));
  }
  CheckRange(origin, i, "vector length", d.vector_len, 1, kMaxVector);
  CheckRange(origin, i, "k", d.k, 0, kMaxK);
  CheckRange(origin, i, "kernel height", d.kernel_h, 1, kMaxKernel);
  CheckRange(origin, i, "kernel width", d.kernel_w, 1, kMaxKernel);
  CheckRange(origin, i, "stride", d.stride, 1, kMaxStride);
  CheckRange(origin, i, "pad top", d.pad_top, 0, d.kernel_h - 1);
  CheckRange(origin, i, "pad bottom", d.pad_bottom, 0, d.kernel_h - 1);
  CheckRange(origin, i, "pad left", d.pad_left, 0, d.kernel_w - 1);
  CheckRange(origin, i, "pad right", d.pad_right, 0, d.kernel_w - 1);
  CheckRange(origin, i, "alpha exp", d.alpha_exp, -128, 127);
  CheckRange(origin, i, "input exp", d.in_exp, -128, 127);
  CheckRange(origin, i, "output exp", d.out_exp, -128, 127);
  const int shift = d.Shift();  // exponents are int8 here, so no overflow
  if (shift < 0 || shift > kMaxShift) {
    Fail(origin, i, "shift", "out_exp {} - in_exp {} - alpha_exp {} = {} is out of range 0..{}",
         d.out_exp, d.in_exp, d.alpha_exp, shift, kMaxShift);
  }
  CheckRange(origin, i, "input height", d.in.h, 1, kMaxDim);
  CheckRange(origin, i, "input width", d.in.w, 1, kMaxDim);
  CheckRange(origin, i, "input channels", d.in.c, 1, kMaxDim);
  CheckRange(origin, i, "output channels", d.out_c, 1, kMaxDim);
  if (d.kind == LayerKind::kFc) {
    // A fully-connected layer is a 1x1 convolution on a 1x1xC input (§4).
    constexpr std::string_view kFcRule = "must be {} for a fully connected layer, got {}";
    if (d.kernel_h != 1) Fail(origin, i, "kernel height", kFcRule, 1, d.kernel_h);
    if (d.kernel_w != 1) Fail(origin, i, "kernel width", kFcRule, 1, d.kernel_w);
    if (d.stride != 1) Fail(origin, i, "stride", kFcRule, 1, d.stride);
    if (d.in.h != 1) Fail(origin, i, "input height", kFcRule, 1, d.in.h);
    if (d.in.w != 1) Fail(origin, i, "input width", kFcRule, 1, d.in.w);
    // Pads are already < kernel = 1, i.e. 0.
  }
  // Check the numerator before dividing: C++ division truncates toward zero, so a kernel that
  // overhangs the padded input by less than the stride would otherwise give one output row.
  if (d.in.h + d.pad_top + d.pad_bottom < d.kernel_h) {
    Fail(origin, i, "output height", "kernel height {} exceeds the padded input height {}",
         d.kernel_h, d.in.h + d.pad_top + d.pad_bottom);
  }
  if (d.in.w + d.pad_left + d.pad_right < d.kernel_w) {
    Fail(origin, i, "output width", "kernel width {} exceeds the padded input width {}", d.kernel_w,
         d.in.w + d.pad_left + d.pad_right);
  }
  if (d.pool && d.ConvOutH() < 2) {
    Fail(origin, i, "pooled height", "2x2 max-pool of a {}-row output leaves none", d.ConvOutH());
  }
  if (d.pool && d.ConvOutW() < 2) {
    Fail(origin, i, "pooled width", "2x2 max-pool of a {}-column output leaves none", d.ConvOutW());
  }
  if (d.FanIn() > kMaxFanIn) {  // ≤ 15·15·4096, fits int
    Fail(origin, i, "fan-in", "{}x{}x{} = {} exceeds {}; the 32-bit accumulator could overflow",
         d.kernel_h, d.kernel_w, d.in.c, d.FanIn(), kMaxFanIn);
  }
}

void Model::Validate(const std::string& origin) const {
  if (name.size() > kMaxNameBytes) {
    Fail(origin, -1, "name", "{} bytes, at most {}", name.size(), kMaxNameBytes);
  }
  if (name.find('\0') != std::string::npos) Fail(origin, -1, "name", "contains a NUL byte");
  if (!IsValidUtf8(name)) Fail(origin, -1, "name", "not valid UTF-8");
  CheckRange(origin, -1, "layer count", static_cast<int64_t>(layers.size()), 1, kMaxLayers);
  CheckRange(origin, -1, "input height", input.h, 1, kMaxDim);
  CheckRange(origin, -1, "input width", input.w, 1, kMaxDim);
  CheckRange(origin, -1, "input channels", input.c, 1, kMaxDim);
  CheckRange(origin, -1, "input exp", input_exp, kMinInputExp, kMaxInputExp);

  Shape prev = input;  // output shape of the previous layer (the network input for layer 0)
  for (size_t li = 0; li < layers.size(); ++li) {
    const int i = static_cast<int>(li);
    const Layer& layer = layers[li];
    const LayerDesc& d = layer.desc;
    ValidateLayerDesc(d, origin, i);

    // Chaining: an FC layer reads the previous HWC tensor flattened.
    const bool fc = d.kind == LayerKind::kFc;
    const bool chained =
        fc ? (d.in.h == 1 && d.in.w == 1 && int64_t{d.in.c} == prev.Elements()) : d.in == prev;
    if (!chained) {
      Fail(origin, i, "input shape", "{}x{}x{} does not match {} {}x{}x{}{}", d.in.h, d.in.w,
           d.in.c, li == 0 ? "the model input" : "the previous layer's output", prev.h, prev.w,
           prev.c, fc ? fmt::format(" (flattened: 1x1x{})", prev.Elements()) : "");
    }

    const LayerSections s = SectionSizes(d);
    if (static_cast<int64_t>(layer.codes.size()) != d.Weights()) {
      Fail(origin, i, "codes", "{} codes, the geometry needs {}", layer.codes.size(), d.Weights());
    }
    if (static_cast<int64_t>(layer.alphas.size()) != s.vectors) {
      Fail(origin, i, "alphas", "{} mantissas, the geometry has {} vectors", layer.alphas.size(),
           s.vectors);
    }
    if (static_cast<int64_t>(layer.biases.size()) != d.out_c) {
      Fail(origin, i, "biases", "{} biases for {} output channels", layer.biases.size(), d.out_c);
    }
    CheckCodes(layer, origin, i);

    // Accumulator bound (§4): fan_in · 2^17 + |bias| ≤ 2^31 − 1.
    const int64_t bias_limit = kAccMax - int64_t{d.FanIn()} * kMaxProduct;
    for (size_t o = 0; o < layer.biases.size(); ++o) {
      const int64_t bias = layer.biases[o];
      if (std::abs(bias) > bias_limit) {
        Fail(origin, i, fmt::format("bias {}", o),
             "|{}| exceeds {} = 2^31 - 1 - fan-in {} * 2^17; the accumulator could overflow", bias,
             bias_limit, d.FanIn());
      }
    }
    prev = d.Out();
  }
  if (Classes() > kMaxClasses) {
    Fail(origin, -1, "classes", "the last layer has {} output channels, at most {} (u8 field)",
         Classes(), kMaxClasses);
  }
}

}  // namespace qsa::cmodel
