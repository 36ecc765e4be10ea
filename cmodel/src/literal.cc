// The spec-literal evaluation of one layer (docs/spec.md §4): per-vector sums of shifted and
// inverted activations, one Q_k multiply per vector, bias, requantize, ReLU, pool. Slow and
// plain on purpose: it is the naive reference the fast Engine is tested against.
#include <algorithm>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/engine.h"

namespace qsa::cmodel {

std::vector<int8_t> RunLayerLiteral(const Layer& layer, const std::vector<int8_t>& input) {
  const LayerDesc& d = layer.desc;
  const int oh = d.ConvOutH();
  const int ow = d.ConvOutW();
  const int c = d.in.c;
  const std::vector<VectorSpan> spans = FilterVectors(d);
  auto act = [&](int iy, int ix, int ch) -> int64_t {
    if (iy < 0 || iy >= d.in.h || ix < 0 || ix >= d.in.w) return 0;  // zero padding
    return input[(size_t(iy) * d.in.w + ix) * c + ch];
  };
  std::vector<int8_t> conv(size_t(oh) * ow * d.out_c);
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      for (int o = 0; o < d.out_c; ++o) {
        int64_t acc = layer.biases[size_t(o)];
        for (size_t v = 0; v < spans.size(); ++v) {
          const int m = layer.alphas[size_t(o) * spans.size() + v];
          int64_t vector_sum = 0;  // S_v: shift/invert-add of the vector's activations
          for (int j = spans[v].start; j < spans[v].start + spans[v].length; ++j) {
            const int r = j / (d.kernel_w * c);
            const int s = (j / c) % d.kernel_w;
            const int ch = j % c;
            const int beta = DecodeCode(layer.codes[size_t(o) * d.FanIn() + j], d.bits);
            vector_sum += beta * act(y * d.stride + r - d.pad_top, x * d.stride + s - d.pad_left, ch);
          }
          acc += NafTopK(m, d.k) * vector_sum;  // one multiply per vector
        }
        const int8_t q = Requantize(static_cast<int32_t>(acc), d.Shift());
        conv[(size_t(y) * ow + x) * d.out_c + o] = d.relu ? Relu(q) : q;
      }
    }
  }
  if (!d.pool) return conv;
  const Shape out = d.Out();
  std::vector<int8_t> pooled(static_cast<size_t>(out.Elements()));
  for (int y = 0; y < out.h; ++y) {
    for (int x = 0; x < out.w; ++x) {
      for (int o = 0; o < d.out_c; ++o) {
        int8_t best = -128;
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            best = std::max(best, conv[(size_t(2 * y + dy) * ow + 2 * x + dx) * d.out_c + o]);
          }
        }
        pooled[(size_t(y) * out.w + x) * d.out_c + o] = best;
      }
    }
  }
  return pooled;
}

}  // namespace qsa::cmodel
