#include "qsa/encoder/encode.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"

namespace qsa::encoder {

using cmodel::Layer;
using cmodel::LayerDesc;
using cmodel::Orientation;

void EncodeOptions::Validate() const {
  const auto check = [](const std::string& where, const LayerOptions& o) {
    if (o.bits && *o.bits != 2 && *o.bits != 3)
      throw ConfigError(fmt::format("EncodeOptions: {}bits must be 2 or 3, got {}", where, *o.bits));
    if (o.phi && *o.phi != 1 && *o.phi != 2 && *o.phi != 4)
      throw ConfigError(fmt::format("EncodeOptions: {}phi must be 1, 2 or 4, got {}", where, *o.phi));
    if (o.vector_len && (*o.vector_len < 1 || *o.vector_len > cmodel::kMaxVector))
      throw ConfigError(fmt::format("EncodeOptions: {}vector must be in 1..{}, got {}", where,
                                    cmodel::kMaxVector, *o.vector_len));
    if (o.k && (*o.k < 0 || *o.k > cmodel::kMaxK))
      throw ConfigError(fmt::format("EncodeOptions: {}k must be in 0..{} (0 = exact), got {}",
                                    where, cmodel::kMaxK, *o.k));
  };
  check("", LayerOptions{bits, phi, vector_len, orient, k, mode});
  for (size_t i = 0; i < per_layer.size(); ++i) check(fmt::format("layer {}: ", i), per_layer[i]);
  for (size_t i = 0; i <= per_layer.size(); ++i) Resolve(i);
  if (calib_images < 1)
    throw ConfigError(fmt::format("EncodeOptions: calib_images must be >= 1, got {}", calib_images));
}

LayerOptions EncodeOptions::Resolve(size_t i) const {
  LayerOptions r{bits, phi, vector_len, orient, k, mode};
  if (i < per_layer.size()) {
    const LayerOptions& o = per_layer[i];
    if (o.bits) r.bits = o.bits;
    if (o.phi) r.phi = o.phi;
    if (o.vector_len) r.vector_len = o.vector_len;
    if (o.orient) r.orient = o.orient;
    if (o.k) r.k = o.k;
    if (o.mode) r.mode = o.mode;
  }
  if (*r.bits == 2 && *r.phi != 1) {
    throw ConfigError(fmt::format(
        "EncodeOptions: layer {}: 2-bit (ternary) codes need phi = 1, got phi = {}", i, *r.phi));
  }
  return r;
}

std::vector<float> DequantizeWeights(const Layer& layer) {
  const LayerDesc& d = layer.desc;
  const std::vector<cmodel::VectorSpan> spans = FilterVectors(d);
  std::vector<float> w(static_cast<size_t>(d.Weights()));
  const double unit = std::ldexp(1.0, d.alpha_exp);
  size_t vec = 0;
  for (int o = 0; o < d.out_c; ++o) {
    for (const auto& span : spans) {
      const double alpha = static_cast<double>(cmodel::NafTopK(layer.alphas[vec++], d.k)) * unit;
      for (int j = span.start; j < span.start + span.length; ++j) {
        const size_t at = size_t(o) * d.FanIn() + j;
        w[at] = static_cast<float>(cmodel::DecodeCode(layer.codes[at], d.bits) * alpha);
      }
    }
  }
  return w;
}

namespace {

// Mantissa of α for exponent e: round half up, clamped to 0..255 (spec §2).
int AlphaMantissa(double alpha, int e) {
  const double m = std::floor(alpha / std::ldexp(1.0, e) + 0.5);
  return static_cast<int>(std::clamp(m, 0.0, double{cmodel::kAlphaMax}));
}

// Smallest e with max_alpha <= 255 * 2^e (0 for an all-zero layer).
int AlphaExponent(double max_alpha) {
  if (max_alpha <= 0.0) return 0;
  int e = static_cast<int>(std::ceil(std::log2(max_alpha / cmodel::kAlphaMax)));
  while (max_alpha > cmodel::kAlphaMax * std::ldexp(1.0, e)) ++e;
  while (max_alpha <= cmodel::kAlphaMax * std::ldexp(1.0, e - 1)) --e;
  return e;
}

struct Candidate {
  int m = 0;
  std::vector<int> beta;
  double err = 0;
};

// The deployed candidate for a real α: mantissa m, effective scale Q_k(m)·2^e.
Candidate Deploy(std::span<const float> w, double alpha, const std::vector<int>* beta, int e,
                 int k, int phi) {
  Candidate c;
  c.m = AlphaMantissa(alpha, e);
  const double eff = static_cast<double>(cmodel::NafTopK(c.m, k)) * std::ldexp(1.0, e);
  c.beta = beta != nullptr ? *beta : NearestLevels(w, eff, phi);
  c.err = SquaredError(w, c.beta, eff);
  return c;
}

// Output exponent covering a largest magnitude M with int8: smallest e with M <= 127·2^e.
int OutputExponent(double max_out, int floor_exp) {
  if (!(max_out > 0.0)) return floor_exp;
  int e = static_cast<int>(std::ceil(std::log2(max_out / 127.0)));
  while (max_out > 127.0 * std::ldexp(1.0, e)) ++e;
  return std::clamp(e, floor_exp, floor_exp + 31);
}

}  // namespace

// A frozen layer: its codes and α's as given, checked against the float layer's geometry.
Layer FrozenLayer(const Layer& frozen, const cmodel::FloatLayer& fl, size_t li) {
  const LayerDesc g = fl.Geometry();
  const LayerDesc& d = frozen.desc;
  if (d.kind != g.kind || d.in.h != g.in.h || d.in.w != g.in.w || d.in.c != g.in.c ||
      d.out_c != g.out_c || d.kernel_h != g.kernel_h || d.kernel_w != g.kernel_w ||
      d.stride != g.stride || d.pad_top != g.pad_top || d.pad_left != g.pad_left ||
      d.pad_bottom != g.pad_bottom || d.pad_right != g.pad_right || d.relu != g.relu ||
      d.pool != g.pool) {
    throw ConfigError(fmt::format(
        "Encode: frozen layer {} does not have the geometry of the float layer {} ({})", li, li,
        fl.name));
  }
  Layer layer;
  layer.desc = g;
  layer.desc.bits = d.bits;
  layer.desc.phi = d.phi;
  layer.desc.orient = d.orient;
  layer.desc.vector_len = d.vector_len;
  layer.desc.k = d.k;
  layer.desc.alpha_exp = d.alpha_exp;
  layer.codes = frozen.codes;
  layer.alphas = frozen.alphas;
  return layer;
}

cmodel::Model Encode(const cmodel::FloatModel& model, const EncodeOptions& options,
                     const cmodel::Dataset& calib, std::vector<LayerEncodeReport>* report) {
  model.Validate(model.name);
  options.Validate();
  if (calib.count < 1) throw ConfigError("Encode: the calibration set is empty");
  if (calib.height != model.input.h || calib.width != model.input.w || model.input.c != 1) {
    throw ConfigError(fmt::format(
        "Encode: calibration images are {}x{}x1 but the model '{}' takes {}x{}x{}", calib.height,
        calib.width, model.name, model.input.h, model.input.w, model.input.c));
  }
  cmodel::Model out;
  out.name = model.name.substr(0, 31);
  out.input = model.input;
  out.input_exp = -7;
  if (report != nullptr) report->assign(model.layers.size(), {});

  // 1. Weights: per-vector codes and α's.
  cmodel::FloatModel deployed = model;  // the float network with dequantized weights
  for (size_t li = 0; li < model.layers.size(); ++li) {
    const cmodel::FloatLayer& fl = model.layers[li];
    if (auto it = options.frozen.find(li); it != options.frozen.end()) {
      out.layers.push_back(FrozenLayer(it->second, fl, li));
      deployed.layers[li].weights = DequantizeWeights(out.layers.back());
      continue;
    }
    const LayerOptions o = options.Resolve(li);
    Layer layer;
    LayerDesc& d = layer.desc;
    d = fl.Geometry();
    d.bits = *o.bits;
    d.phi = *o.phi;
    d.vector_len = *o.vector_len;
    d.k = *o.k;
    const OrientChoice orient = *o.orient;
    d.orient = orient == OrientChoice::kFilter ||
                       (orient == OrientChoice::kAuto && fl.in.c < d.vector_len)
                   ? Orientation::kFilter
                   : Orientation::kChannel;
    if (d.FanIn() > cmodel::kMaxFanIn) {
      throw ConfigError(fmt::format(
          "Encode: layer {} ({}): fan-in {} exceeds {}; the 32-bit accumulator could overflow",
          li, fl.name, d.FanIn(), cmodel::kMaxFanIn));
    }
    const std::vector<cmodel::VectorSpan> spans = FilterVectors(d);
    const int fan_in = d.FanIn();
    std::vector<VectorCode> paper;
    std::vector<VectorCode> optimal;
    double max_alpha = 0.0;
    for (int oc = 0; oc < d.out_c; ++oc) {
      for (const auto& span : spans) {
        std::span<const float> w(fl.weights.data() + size_t(oc) * fan_in + span.start,
                                 size_t(span.length));
        paper.push_back(QuantizePaper(w, d.phi));
        max_alpha = std::max(max_alpha, paper.back().alpha);
        if (*o.mode == Mode::kOptimal) {
          optimal.push_back(QuantizeOptimal(w, d.phi));
          max_alpha = std::max(max_alpha, optimal.back().alpha);
        }
      }
    }
    d.alpha_exp = AlphaExponent(max_alpha);
    LayerEncodeReport rep;
    size_t v = 0;
    for (int oc = 0; oc < d.out_c; ++oc) {
      for (const auto& span : spans) {
        std::span<const float> w(fl.weights.data() + size_t(oc) * fan_in + span.start,
                                 size_t(span.length));
        for (float x : w) rep.weight_energy += double{x} * x;
        Candidate best = Deploy(w, paper[v].alpha, &paper[v].beta, d.alpha_exp, d.k, d.phi);
        rep.l2_error_paper += best.err;
        if (*o.mode == Mode::kPaperNearest) {
          best = Deploy(w, paper[v].alpha, nullptr, d.alpha_exp, d.k, d.phi);
        }
        if (*o.mode == Mode::kOptimal) {
          // Re-assign both candidates for their quantized α; keep the better (spec §6).
          for (const VectorCode* cand : {&paper[v], &optimal[v]}) {
            Candidate c = Deploy(w, cand->alpha, nullptr, d.alpha_exp, d.k, d.phi);
            if (c.err < best.err) best = std::move(c);
          }
        }
        rep.l2_error += best.err;
        layer.alphas.push_back(static_cast<uint8_t>(best.m));
        for (int b : best.beta) layer.codes.push_back(static_cast<uint8_t>(cmodel::EncodeBeta(b, d.bits)));
        ++v;
      }
    }
    if (report != nullptr) (*report)[li] = rep;
    out.layers.push_back(std::move(layer));
    deployed.layers[li].weights = DequantizeWeights(out.layers.back());
  }

  // 2. Activation scales from the calibration set, run on the deployed float network.
  const int n = std::min(calib.count, options.calib_images);
  std::vector<double> max_out(model.layers.size(), 0.0);
  std::vector<std::vector<float>> acts;
  for (int i = 0; i < n; ++i) {
    cmodel::RunFloat(deployed, calib.Image(i), &acts);
    for (size_t li = 0; li < acts.size(); ++li) {
      for (float x : acts[li]) max_out[li] = std::max(max_out[li], std::fabs(double{x}));
    }
  }
  int in_exp = out.input_exp;
  for (size_t li = 0; li < out.layers.size(); ++li) {
    LayerDesc& d = out.layers[li].desc;
    d.in_exp = in_exp;
    d.out_exp = OutputExponent(max_out[li], d.in_exp + d.alpha_exp);
    if (d.out_exp < -128 || d.out_exp > 127 || d.alpha_exp < -128 || d.alpha_exp > 127) {
      throw ConfigError(fmt::format("Encode: layer {} ({}): exponents out of int8 range", li,
                                    model.layers[li].name));
    }
    // Biases in accumulator units 2^(e_in + e_α), checked against the overflow bound (§4).
    const double unit = std::ldexp(1.0, d.in_exp + d.alpha_exp);
    const double limit = 2147483647.0 - double(d.FanIn()) * (1 << 17);
    for (float b : model.layers[li].bias) {
      const double q = std::floor(double{b} / unit + 0.5);
      if (std::fabs(q) > limit) {
        throw ConfigError(fmt::format(
            "Encode: layer {} ({}): bias {} needs {} accumulator units, beyond the overflow bound",
            li, model.layers[li].name, b, q));
      }
      out.layers[li].biases.push_back(static_cast<int32_t>(q));
    }
    in_exp = d.out_exp;
  }
  out.Validate(out.name);
  return out;
}

}  // namespace qsa::encoder
