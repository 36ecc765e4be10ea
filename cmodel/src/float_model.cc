#include "qsa/cmodel/float_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

LayerDesc FloatLayer::Geometry() const {
  LayerDesc d;
  d.kind = kind;
  d.kernel_h = kernel_h;
  d.kernel_w = kernel_w;
  d.stride = stride;
  d.pad_top = pad_top;
  d.pad_left = pad_left;
  d.pad_bottom = pad_bottom;
  d.pad_right = pad_right;
  d.relu = relu;
  d.pool = pool;
  d.in = in;
  d.out_c = out_c;
  return d;
}

void FloatModel::Validate(const std::string& origin) const {
  if (layers.empty()) throw FormatError(fmt::format("{}: no layers", origin));
  Shape expected = input;
  for (size_t i = 0; i < layers.size(); ++i) {
    const FloatLayer& l = layers[i];
    const auto fail = [&](std::string_view field, const std::string& what) {
      throw FormatError(fmt::format("{}: layer {} ({}): {}: {}", origin, i, l.name, field, what));
    };
    if (l.kernel_h < 1 || l.kernel_w < 1 || l.stride < 1) fail("kernel", "must be >= 1");
    if (l.out_c < 1) fail("out_c", "must be >= 1");
    const Shape want = l.kind == LayerKind::kFc
                           ? Shape{1, 1, static_cast<int>(expected.Elements())}
                           : expected;
    if (!(l.in == want)) {
      fail("input shape", fmt::format("{}x{}x{} does not match the previous output {}x{}x{}",
                                      l.in.h, l.in.w, l.in.c, want.h, want.w, want.c));
    }
    const LayerDesc g = l.Geometry();
    if (g.ConvOutH() < 1 || g.ConvOutW() < 1 || (l.pool && (g.ConvOutH() < 2 || g.ConvOutW() < 2)))
      fail("geometry", "output would be empty");
    if (l.weights.size() != static_cast<size_t>(g.Weights()))
      fail("weights", fmt::format("{} values, expected {}", l.weights.size(), g.Weights()));
    if (l.bias.size() != static_cast<size_t>(l.out_c))
      fail("bias", fmt::format("{} values, expected {}", l.bias.size(), l.out_c));
    // A NaN or infinity would pass through the encoder's search as a silent wrong code (a NaN
    // compares false everywhere) and through float inference as a wrong class.
    for (const auto& [field, values] : {std::pair{"weights", &l.weights}, {"bias", &l.bias}}) {
      const auto bad = std::find_if(values->begin(), values->end(),
                                    [](float v) { return !std::isfinite(v); });
      if (bad != values->end()) {
        fail(field, fmt::format("value {} is {}; every weight and bias must be finite",
                                bad - values->begin(), *bad));
      }
    }
    expected = g.Out();
  }
}

std::vector<float> RunFloatLayer(const FloatLayer& l, const std::vector<float>& input) {
  const LayerDesc g = l.Geometry();
  const int oh = g.ConvOutH();
  const int ow = g.ConvOutW();
  const int c = l.in.c;
  const int fan_in = l.FanIn();
  std::vector<float> out(size_t(oh) * ow * l.out_c);
  std::vector<float> col(static_cast<size_t>(fan_in));
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      int j = 0;
      for (int r = 0; r < l.kernel_h; ++r) {
        const int iy = y * l.stride + r - l.pad_top;
        for (int s = 0; s < l.kernel_w; ++s) {
          const int ix = x * l.stride + s - l.pad_left;
          const bool inside = iy >= 0 && iy < l.in.h && ix >= 0 && ix < l.in.w;
          for (int ch = 0; ch < c; ++ch) {
            col[size_t(j++)] = inside ? input[(size_t(iy) * l.in.w + ix) * c + ch] : 0.0f;
          }
        }
      }
      for (int o = 0; o < l.out_c; ++o) {
        const float* w = l.weights.data() + size_t(o) * fan_in;
        float acc = l.bias[size_t(o)];
        for (int k = 0; k < fan_in; ++k) acc += w[k] * col[size_t(k)];
        out[(size_t(y) * ow + x) * l.out_c + o] = l.relu ? std::max(acc, 0.0f) : acc;
      }
    }
  }
  if (!l.pool) return out;
  const Shape po = g.Out();
  std::vector<float> pooled(static_cast<size_t>(po.Elements()));
  for (int y = 0; y < po.h; ++y) {
    for (int x = 0; x < po.w; ++x) {
      for (int o = 0; o < l.out_c; ++o) {
        float best = -std::numeric_limits<float>::infinity();
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            best = std::max(best, out[(size_t(2 * y + dy) * ow + 2 * x + dx) * l.out_c + o]);
          }
        }
        pooled[(size_t(y) * po.w + x) * l.out_c + o] = best;
      }
    }
  }
  return pooled;
}

std::vector<float> RunFloat(const FloatModel& model, const uint8_t* pixels,
                            std::vector<std::vector<float>>* per_layer) {
  std::vector<float> act(static_cast<size_t>(model.input.Elements()));
  for (size_t i = 0; i < act.size(); ++i) act[i] = static_cast<float>(pixels[i]) / 255.0f;
  if (per_layer != nullptr) per_layer->clear();
  for (const FloatLayer& layer : model.layers) {
    act = RunFloatLayer(layer, act);
    if (per_layer != nullptr) per_layer->push_back(act);
  }
  return act;
}

}  // namespace qsa::cmodel
