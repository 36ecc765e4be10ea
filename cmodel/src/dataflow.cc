#include "qsa/cmodel/dataflow.h"

#include <fmt/format.h>

#include <algorithm>

#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

void ArrayConfig::Validate() const {
  if (beat_bytes <= 0 || (beat_bytes & (beat_bytes - 1)) != 0) {
    throw ConfigError(fmt::format("ArrayConfig: beat_bytes must be a power of two, got {}",
                                  beat_bytes));
  }
  if (act_buffer_bytes < beat_bytes) {
    throw ConfigError(fmt::format("ArrayConfig: act_buffer_bytes must be >= beat_bytes, got {}",
                                  act_buffer_bytes));
  }
  if (weight_buffer_bytes < beat_bytes) {
    throw ConfigError(fmt::format(
        "ArrayConfig: weight_buffer_bytes must be >= beat_bytes, got {}", weight_buffer_bytes));
  }
}

namespace {

int64_t RoundUp(int64_t bytes, int64_t beat) { return (bytes + beat - 1) / beat * beat; }

// Input rows a band of output rows [y0, y0 + rows) reads, clipped to the real input.
int64_t BandInputRows(const LayerDesc& d, int y0, int rows) {
  const int64_t first = int64_t{y0} * d.stride - d.pad_top;
  const int64_t last = int64_t{y0 + rows - 1} * d.stride + d.kernel_h - 1 - d.pad_top;
  const int64_t lo = std::max<int64_t>(first, 0);
  const int64_t hi = std::min<int64_t>(last, d.in.h - 1);
  return hi >= lo ? hi - lo + 1 : 0;
}

}  // namespace

LayerTraffic LayerDram(const LayerDesc& d, const ArrayConfig& cfg) {
  const int64_t beat = cfg.beat_bytes;
  const int64_t row_bytes = int64_t{d.in.w} * d.in.c;
  const int out_h = d.ConvOutH();
  // Largest band (even when pooling) whose input window fits the activation buffer.
  int band = 0;
  for (int t = out_h; t >= 1; --t) {
    if (d.pool && t % 2 != 0 && t != 1) continue;
    const int64_t window = std::min<int64_t>(int64_t{t - 1} * d.stride + d.kernel_h,
                                             int64_t{d.in.h} + d.pad_top + d.pad_bottom);
    if (window * row_bytes <= cfg.act_buffer_bytes) {
      band = t;
      break;
    }
  }
  if (band == 0 || (d.pool && band == 1 && out_h > 1)) {
    throw ConfigError(fmt::format(
        "ArrayConfig: act_buffer_bytes ({}) cannot hold one band of this layer ({} bytes)",
        cfg.act_buffer_bytes, (int64_t{d.pool ? 2 : 1} * d.stride + d.kernel_h) * row_bytes));
  }

  LayerTraffic t;
  t.band_rows = band;
  t.bands = (out_h + band - 1) / band;
  const Shape out = d.Out();
  const LayerSections sec = SectionSizes(d);
  auto& b = t.bytes;
  b[static_cast<size_t>(DramClass::kDescriptor)] = 64;
  const int64_t weight_bytes =
      RoundUp(sec.codes_bytes, beat) + RoundUp(sec.alpha_bytes, beat) + RoundUp(sec.bias_bytes, beat);
  const int64_t weight_reads = weight_bytes > cfg.weight_buffer_bytes ? t.bands : 1;
  b[static_cast<size_t>(DramClass::kCodes)] = RoundUp(sec.codes_bytes, beat) * weight_reads;
  b[static_cast<size_t>(DramClass::kAlphas)] = RoundUp(sec.alpha_bytes, beat) * weight_reads;
  b[static_cast<size_t>(DramClass::kBiases)] = RoundUp(sec.bias_bytes, beat) * weight_reads;
  for (int y0 = 0; y0 < out_h; y0 += band) {
    const int rows = std::min(band, out_h - y0);
    b[static_cast<size_t>(DramClass::kActIn)] +=
        RoundUp(BandInputRows(d, y0, rows) * row_bytes, beat);
    const int64_t out_rows = d.pool ? rows / 2 : rows;
    b[static_cast<size_t>(DramClass::kActOut)] +=
        RoundUp(out_rows * int64_t{out.w} * out.c, beat);
  }
  return t;
}

}  // namespace qsa::cmodel
