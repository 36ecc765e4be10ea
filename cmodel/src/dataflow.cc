// The execution plan of a layer and its DRAM traffic (docs/spec.md §8, "Execution plan and
// DRAM dataflow (v2)"). rtl/qsa_desc_check.sv computes the same plan in hardware.
#include "qsa/cmodel/dataflow.h"

#include <fmt/format.h>

#include <algorithm>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

int64_t ArrayConfig::OnChipBytes() const {
  const int64_t pe_bits = int64_t{vec_rows} * (kMaxVector * 3 + 8);
  return 2 * act_buffer_bytes + 2 * out_buffer_bytes + int64_t{pes} * pe_bits / 8;
}

void ArrayConfig::Validate() const {
  auto fail = [](const char* field, const std::string& what, int64_t value) {
    throw ConfigError(fmt::format("ArrayConfig: {} must be {}, got {}", field, what, value));
  };
  if (pes <= 0) fail("pes", "> 0", pes);
  if (lanes <= 0) fail("lanes", "> 0", lanes);
  if (beat_bytes <= 0 || (beat_bytes & (beat_bytes - 1)) != 0) {
    fail("beat_bytes", "a power of two", beat_bytes);
  }
  if (act_buffer_bytes < beat_bytes || act_buffer_bytes % beat_bytes != 0) {
    fail("act_buffer_bytes", fmt::format("a positive multiple of beat_bytes ({})", beat_bytes),
         act_buffer_bytes);
  }
  if (out_buffer_bytes < beat_bytes || out_buffer_bytes % beat_bytes != 0) {
    fail("out_buffer_bytes", fmt::format("a positive multiple of beat_bytes ({})", beat_bytes),
         out_buffer_bytes);
  }
  if (vec_rows <= 0) fail("vec_rows", "> 0", vec_rows);
}

namespace {
int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

int64_t BeatBytes(int64_t s, int64_t e, int64_t beat) {
  if (e <= s) return 0;
  return beat * (CeilDiv(e, beat) - s / beat);
}

LayerPlan PlanLayer(const LayerDesc& d, const ArrayConfig& cfg) {
  cfg.Validate();
  ValidateLayerDesc(d, "PlanLayer", -1);
  LayerPlan p;
  p.fan_in = d.FanIn();
  p.vectors_per_filter =
      d.orient == Orientation::kFilter
          ? static_cast<int>(CeilDiv(p.fan_in, d.vector_len))
          : d.kernel_h * d.kernel_w * static_cast<int>(CeilDiv(d.in.c, d.vector_len));
  p.codes_per_word = 64 / d.bits;
  p.conv_h = d.ConvOutH();
  p.conv_w = d.ConvOutW();
  p.comp_h = d.pool ? 2 * (p.conv_h / 2) : p.conv_h;
  p.comp_w = d.pool ? 2 * (p.conv_w / 2) : p.conv_w;
  p.out_h = d.pool ? p.conv_h / 2 : p.conv_h;
  p.out_w = d.pool ? p.conv_w / 2 : p.conv_w;
  p.row_bytes = int64_t{d.in.w} * d.in.c;
  p.out_row_bytes = int64_t{p.out_w} * d.out_c;

  if (p.vectors_per_filter > cfg.vec_rows) {
    throw ConfigError(fmt::format(
        "ArrayConfig: vec_rows ({}) is less than the layer's {} vectors per filter ({}x{}x{}, "
        "N={}); the hardware refuses it (DESC_LIMIT)",
        cfg.vec_rows, p.vectors_per_filter, d.kernel_h, d.kernel_w, d.in.c, d.vector_len));
  }

  // Band rows: the input window of T rows, (T-1)·stride + R input rows, must fit A - slack
  // bytes, the T (or T/2 pooled) output rows O - slack bytes; the slack lets a band start
  // anywhere within a beat.
  const int64_t slack = cfg.beat_bytes - 1;
  const int64_t rows_in = (cfg.act_buffer_bytes - slack) / p.row_bytes;
  const int64_t t1 = rows_in >= d.kernel_h ? (rows_in - d.kernel_h) / d.stride + 1 : 0;
  const int64_t rows_out = (cfg.out_buffer_bytes - slack) / p.out_row_bytes;
  const int64_t t2 = d.pool ? 2 * rows_out : rows_out;
  int64_t t = std::min<int64_t>({p.comp_h, t1, t2});
  if (d.pool) t -= t % 2;
  if (t == 0) {
    if (t2 == 0) {
      throw ConfigError(fmt::format(
          "ArrayConfig: out_buffer_bytes ({}) cannot hold one output row of this layer ({} "
          "bytes + {} bytes of beat slack); the hardware refuses it (DESC_LIMIT)",
          cfg.out_buffer_bytes, p.out_row_bytes, slack));
    }
    throw ConfigError(fmt::format(
        "ArrayConfig: act_buffer_bytes ({}) cannot hold the input rows of {} output row(s) of "
        "this layer ({} rows of {} bytes + {} bytes of beat slack); the hardware refuses it "
        "(DESC_LIMIT)",
        cfg.act_buffer_bytes, d.pool ? 2 : 1, (d.pool ? d.stride : 0) + d.kernel_h, p.row_bytes,
        slack));
  }
  p.band_rows = static_cast<int>(t);
  p.bands = static_cast<int>(CeilDiv(p.comp_h, t));
  p.groups = static_cast<int>(CeilDiv(d.out_c, cfg.pes));
  return p;
}

BandRows PlanBand(const LayerDesc& d, const LayerPlan& p, int64_t band) {
  BandRows r;
  r.y0 = band * p.band_rows;
  r.y1 = std::min<int64_t>(p.comp_h, r.y0 + p.band_rows);
  r.o0 = d.pool ? r.y0 / 2 : r.y0;
  r.o1 = d.pool ? r.y1 / 2 : r.y1;
  r.in_lo = std::max<int64_t>(0, r.y0 * d.stride - d.pad_top);
  r.in_hi = std::min<int64_t>(d.in.h - 1, (r.y1 - 1) * d.stride + d.kernel_h - 1 - d.pad_top);
  return r;
}

GroupLoad PlanGroupLoad(const LayerDesc& d, const LayerPlan& p, const ArrayConfig& cfg, int64_t g) {
  const int64_t beat = cfg.beat_bytes;
  const int64_t f = p.fan_in;
  const int64_t v = p.vectors_per_filter;
  const int64_t cpw = p.codes_per_word;
  GroupLoad l;
  l.first = g * cfg.pes;
  l.filters = std::min<int64_t>(cfg.pes, d.out_c - l.first);
  const int64_t w0 = l.first * f / cpw;                    // the words of codes [first·F, end)
  const int64_t w1 = (l.first * f + l.filters * f - 1) / cpw;
  l.code_bytes = BeatBytes(8 * w0, 8 * (w1 + 1), beat);
  l.alpha_bytes = BeatBytes(l.first * v, (l.first + l.filters) * v, beat);
  l.bias_bytes = BeatBytes(4 * l.first, 4 * (l.first + l.filters), beat);
  return l;
}

LayerTraffic LayerDram(const LayerDesc& d, const ArrayConfig& cfg) {
  const LayerPlan p = PlanLayer(d, cfg);
  const int64_t beat = cfg.beat_bytes;

  LayerTraffic t;
  t.band_rows = p.band_rows;
  t.bands = p.bands;
  auto& b = t.bytes;
  b[static_cast<size_t>(DramClass::kDescriptor)] = 64;

  // The weights of every filter group, read once per band: the same bytes in every band.
  int64_t codes = 0, alphas = 0, biases = 0;
  for (int64_t g = 0; g < p.groups; ++g) {
    const GroupLoad l = PlanGroupLoad(d, p, cfg, g);
    codes += l.code_bytes;
    alphas += l.alpha_bytes;
    biases += l.bias_bytes;
  }
  b[static_cast<size_t>(DramClass::kCodes)] = codes * p.bands;
  b[static_cast<size_t>(DramClass::kAlphas)] = alphas * p.bands;
  b[static_cast<size_t>(DramClass::kBiases)] = biases * p.bands;

  for (int64_t band = 0; band < p.bands; ++band) {
    const BandRows r = PlanBand(d, p, band);
    if (r.in_hi >= r.in_lo) {
      b[static_cast<size_t>(DramClass::kActIn)] +=
          BeatBytes(r.in_lo * p.row_bytes, (r.in_hi + 1) * p.row_bytes, beat);
    }
    b[static_cast<size_t>(DramClass::kActOut)] +=
        BeatBytes(r.o0 * p.out_row_bytes, r.o1 * p.out_row_bytes, beat);
  }
  return t;
}

}  // namespace qsa::cmodel
