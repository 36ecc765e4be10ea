#pragma once
// Random but valid encoded layers and models for tests (fixed seeds, reproducible).

#include <random>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/model.h"

namespace qsa::testing {

/// A valid random layer for `in`. Zero codes appear with probability `zero_share`.
inline cmodel::Layer RandomLayer(std::mt19937& rng, cmodel::Shape in, bool fc = false,
                                 double zero_share = 0.3) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  cmodel::Layer l;
  cmodel::LayerDesc& d = l.desc;
  d.kind = fc ? cmodel::LayerKind::kFc : cmodel::LayerKind::kConv;
  d.bits = uni(0, 3) == 0 ? 2 : 3;
  d.phi = d.bits == 2 ? 1 : (1 << uni(0, 2));
  d.orient = uni(0, 1) ? cmodel::Orientation::kChannel : cmodel::Orientation::kFilter;
  d.vector_len = uni(1, 20);
  d.k = uni(0, 5);
  d.in = fc ? cmodel::Shape{1, 1, static_cast<int>(in.Elements())} : in;
  if (!fc) {
    d.kernel_h = uni(1, std::min(5, in.h));
    d.kernel_w = uni(1, std::min(5, in.w));
    d.stride = uni(1, 2);
    d.pad_top = uni(0, d.kernel_h - 1);
    d.pad_bottom = uni(0, d.kernel_h - 1);
    d.pad_left = uni(0, d.kernel_w - 1);
    d.pad_right = uni(0, d.kernel_w - 1);
    d.pool = d.ConvOutH() >= 2 && d.ConvOutW() >= 2 && uni(0, 1);
  }
  d.relu = uni(0, 1);
  d.out_c = uni(1, 12);
  d.alpha_exp = uni(-12, -4);
  d.in_exp = uni(-7, -3);
  d.out_exp = d.in_exp + d.alpha_exp + uni(0, 12);
  const std::vector<cmodel::VectorSpan> spans = cmodel::FilterVectors(d);
  const int max_level = d.phi;
  std::bernoulli_distribution zero(zero_share);
  for (int64_t i = 0; i < d.Weights(); ++i) {
    int beta = 0;
    if (!zero(rng)) {
      const int mag = 1 << uni(0, max_level == 4 ? 2 : (max_level == 2 ? 1 : 0));
      beta = uni(0, 1) ? mag : -mag;
    }
    l.codes.push_back(static_cast<uint8_t>(cmodel::EncodeBeta(beta, d.bits)));
  }
  for (size_t v = 0; v < spans.size() * size_t(d.out_c); ++v) l.alphas.push_back(uint8_t(uni(0, 255)));
  for (int o = 0; o < d.out_c; ++o) l.biases.push_back(uni(-200000, 200000));
  return l;
}

/// A random chain of conv layers then FC layers starting at `input`.
inline cmodel::Model RandomModel(std::mt19937& rng, cmodel::Shape input, int convs, int fcs) {
  cmodel::Model m;
  m.name = "random";
  m.input = input;
  m.input_exp = -7;
  cmodel::Shape cur = input;
  for (int i = 0; i < convs + fcs; ++i) {
    cmodel::Layer l = RandomLayer(rng, cur, i >= convs);
    l.desc.in_exp = i == 0 ? m.input_exp : m.layers.back().desc.out_exp;
    l.desc.out_exp = l.desc.in_exp + l.desc.alpha_exp + std::uniform_int_distribution<int>(0, 12)(rng);
    cur = l.desc.Out();
    m.layers.push_back(std::move(l));
  }
  return m;
}

/// Random int8 activations with a share of zeros.
inline std::vector<int8_t> RandomActs(std::mt19937& rng, int64_t n, double zero_share = 0.4) {
  std::vector<int8_t> a(static_cast<size_t>(n));
  std::bernoulli_distribution zero(zero_share);
  std::uniform_int_distribution<int> val(-128, 127);
  for (auto& x : a) x = zero(rng) ? int8_t{0} : static_cast<int8_t>(val(rng));
  return a;
}

}  // namespace qsa::testing
