#include "qsa/cmodel/engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

namespace {

// Sum of a[j] * b[j]; written plainly so that the compiler vectorizes it (pmaddwd).
int32_t Dot(const int16_t* a, const int16_t* b, int n) {
  int32_t sum = 0;
  for (int j = 0; j < n; ++j) sum += int32_t{a[j]} * int32_t{b[j]};
  return sum;
}

// 2x2 stride-2 max-pool of an HWC int8 tensor, floor mode.
std::vector<int8_t> MaxPool2(const std::vector<int8_t>& in, int h, int w, int c) {
  const int oh = h / 2;
  const int ow = w / 2;
  std::vector<int8_t> out(size_t(oh) * ow * c);
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      for (int ch = 0; ch < c; ++ch) {
        auto at = [&](int yy, int xx) { return in[(size_t(yy) * w + xx) * c + ch]; };
        out[(size_t(y) * ow + x) * c + ch] =
            std::max(std::max(at(2 * y, 2 * x), at(2 * y, 2 * x + 1)),
                     std::max(at(2 * y + 1, 2 * x), at(2 * y + 1, 2 * x + 1)));
      }
    }
  }
  return out;
}

}  // namespace

std::vector<int8_t> QuantizeImage(const Model& model, const uint8_t* pixels) {
  std::vector<int8_t> q(static_cast<size_t>(model.input.Elements()));
  for (size_t i = 0; i < q.size(); ++i) q[i] = QuantizeInput(pixels[i], model.input_exp);
  return q;
}

Engine::Engine(const Model& model, const ArrayConfig& array) : model_(model) {
  model_.Validate(model_.name.empty() ? "model" : model_.name);
  array.Validate();
  prepared_.resize(model_.layers.size());
  for (size_t li = 0; li < model_.layers.size(); ++li) {
    const Layer& layer = model_.layers[li];
    const LayerDesc& d = layer.desc;
    Prepared& p = prepared_[li];
    const int fan_in = d.FanIn();
    p.fan_in_padded = (fan_in + 7) / 8 * 8;
    p.weights.assign(size_t(p.fan_in_padded) * d.out_c, 0);
    p.nonzero.assign(p.weights.size(), 0);
    const std::vector<VectorSpan> spans = FilterVectors(d);
    // Spec §8: only the computed positions Hc x Wc count (pooling drops an odd last row or
    // column, which the hardware does not compute).
    p.plan = PlanLayer(d, array);
    const int64_t positions = int64_t{p.plan.comp_h} * p.plan.comp_w;
    LayerStats& s = p.static_stats;
    size_t vec = 0;
    int64_t zero_codes = 0;
    for (int o = 0; o < d.out_c; ++o) {
      for (const VectorSpan& span : spans) {
        const int m = layer.alphas[vec++];
        const auto qm = static_cast<int32_t>(NafTopK(m, d.k));
        bool any = false;
        for (int j = span.start; j < span.start + span.length; ++j) {
          const size_t src = size_t(o) * fan_in + j;
          const int beta = DecodeCode(layer.codes[src], d.bits);
          const size_t dst = size_t(o) * p.fan_in_padded + j;
          p.weights[dst] = static_cast<int16_t>(beta * qm);
          p.nonzero[dst] = beta != 0;
          any |= beta != 0;
          zero_codes += beta == 0;
        }
        if (any && m != 0) {
          s.multiplies += positions;
          s.partial_products += positions * NafKeptDigits(m, d.k);
        }
      }
    }
    s.macs = positions * d.Weights();
    s.macs_zero_code = positions * zero_codes;
    s.outputs = positions * d.out_c;
    const LayerTraffic traffic = LayerDram(d, array);
    s.dram = traffic.bytes;
    const LayerSections sec = SectionSizes(d);
    s.sram_bytes = s.DramReadBytes() + positions * (sec.codes_bytes + sec.alpha_bytes);
  }
}

std::vector<int8_t> Engine::RunLayer(size_t li, const std::vector<int8_t>& input,
                                     LayerStats* stats) const {
  const Layer& layer = model_.layers[li];
  const LayerDesc& d = layer.desc;
  const Prepared& p = prepared_[li];
  if (input.size() != static_cast<size_t>(d.in.Elements())) {
    throw ConfigError(fmt::format("Engine: layer {}: input has {} values, expected {}", li,
                                  input.size(), d.in.Elements()));
  }
  // Only the computed positions (spec §8): the row and column that pooling would drop are not
  // evaluated, which leaves the pooled output unchanged.
  const int oh = p.plan.comp_h;
  const int ow = p.plan.comp_w;
  const int shift = d.Shift();
  const int c = d.in.c;
  std::vector<int16_t> col(size_t(p.fan_in_padded), 0);
  std::vector<int16_t> zero(size_t(p.fan_in_padded), 0);
  std::vector<int8_t> out(size_t(oh) * ow * d.out_c);
  int64_t zero_act = 0;
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      // Gather the receptive field in [r][s][c] order; padding reads 0.
      int j = 0;
      for (int r = 0; r < d.kernel_h; ++r) {
        const int iy = y * d.stride + r - d.pad_top;
        for (int sx = 0; sx < d.kernel_w; ++sx) {
          const int ix = x * d.stride + sx - d.pad_left;
          if (iy < 0 || iy >= d.in.h || ix < 0 || ix >= d.in.w) {
            std::fill_n(col.begin() + j, c, int16_t{0});
          } else {
            const int8_t* src = input.data() + (size_t(iy) * d.in.w + ix) * c;
            for (int ch = 0; ch < c; ++ch) col[size_t(j + ch)] = src[ch];
          }
          j += c;
        }
      }
      if (stats != nullptr) {
        for (int k = 0; k < j; ++k) zero[size_t(k)] = col[size_t(k)] == 0;
      }
      int8_t* dst = out.data() + (size_t(y) * ow + x) * d.out_c;
      for (int o = 0; o < d.out_c; ++o) {
        const size_t base = size_t(o) * p.fan_in_padded;
        const int32_t acc = layer.biases[size_t(o)] + Dot(p.weights.data() + base, col.data(),
                                                          p.fan_in_padded);
        int8_t q = Requantize(acc, shift);
        dst[o] = d.relu ? Relu(q) : q;
        if (stats != nullptr) zero_act += Dot(p.nonzero.data() + base, zero.data(), p.fan_in_padded);
      }
    }
  }
  if (stats != nullptr) {
    LayerStats s = p.static_stats;
    s.macs_zero_act = zero_act;
    s.sram_bytes += s.MacsDone();
    *stats += s;
  }
  return d.pool ? MaxPool2(out, oh, ow, d.out_c) : out;
}

std::vector<std::vector<int8_t>> Engine::RunAll(const uint8_t* pixels,
                                                std::vector<LayerStats>* stats) const {
  std::vector<std::vector<int8_t>> acts;
  acts.reserve(model_.layers.size() + 1);
  acts.push_back(QuantizeImage(model_, pixels));
  for (size_t li = 0; li < model_.layers.size(); ++li) {
    acts.push_back(RunLayer(li, acts.back(), stats != nullptr ? &(*stats)[li] : nullptr));
  }
  return acts;
}

InferResult Engine::Run(const uint8_t* pixels, std::vector<LayerStats>* stats) const {
  std::vector<int8_t> act = QuantizeImage(model_, pixels);
  for (size_t li = 0; li < model_.layers.size(); ++li) {
    act = RunLayer(li, act, stats != nullptr ? &(*stats)[li] : nullptr);
  }
  InferResult r;
  r.prediction = static_cast<int>(std::max_element(act.begin(), act.end()) - act.begin());
  r.output = std::move(act);
  return r;
}

}  // namespace qsa::cmodel
