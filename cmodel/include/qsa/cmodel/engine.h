#pragma once
/// @file The bit-exact reference model: runs an encoded Model per docs/spec.md §4.

#include <cstdint>
#include <vector>

#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"

namespace qsa::cmodel {

/// Result of one image.
struct InferResult {
  std::vector<int8_t> output;  ///< Last layer's int8 output.
  int prediction = 0;          ///< argmax, lowest index on ties.
};

/// Fast bit-exact engine. Construction precomputes the effective weights β·Q_k(m) (equal to
/// the per-vector form by spec §3); Run is const and thread-safe.
class Engine {
 public:
  /// Validates the model and plans every layer on `array` (spec §8): throws ConfigError, as
  /// PlanLayer does, for a layer this build refuses (band rows T = 0 or V > vec_rows).
  explicit Engine(const Model& model, const ArrayConfig& array = {});

  /// Quantizes the pixels (spec §4) and runs every layer. If `stats` is non-null it must have
  /// one entry per layer; counters are added to it.
  InferResult Run(const uint8_t* pixels, std::vector<LayerStats>* stats = nullptr) const;
  /// Runs every layer and returns all layer outputs (index 0 = quantized input).
  std::vector<std::vector<int8_t>> RunAll(const uint8_t* pixels,
                                          std::vector<LayerStats>* stats = nullptr) const;
  /// Runs one layer on an int8 HWC input of the layer's input shape.
  std::vector<int8_t> RunLayer(size_t layer, const std::vector<int8_t>& input,
                               LayerStats* stats = nullptr) const;

  const Model& model() const { return model_; }
  /// Data-independent per-image counters of a layer (MACs, skips, multiplies, DRAM, ...).
  const LayerStats& StaticStats(size_t layer) const { return prepared_[layer].static_stats; }

 private:
  struct Prepared {
    std::vector<int16_t> weights;   ///< [o][fan_in] effective weights, padded to a multiple of 8.
    std::vector<int16_t> nonzero;   ///< [o][fan_in] 1 where the code is nonzero.
    int fan_in_padded = 0;
    LayerStats static_stats;        ///< Per image, data-independent part.
    LayerPlan plan;                 ///< Spec §8 plan on the engine's ArrayConfig.
  };
  Model model_;
  std::vector<Prepared> prepared_;
};

/// Spec-literal, slow evaluation of one layer (per-vector sums, one Q_k multiply per vector,
/// bias, requantize, ReLU, pool), the naive reference the Engine is tested against.
std::vector<int8_t> RunLayerLiteral(const Layer& layer, const std::vector<int8_t>& input);

/// Quantizes an image to the model's int8 input (spec §4).
std::vector<int8_t> QuantizeImage(const Model& model, const uint8_t* pixels);

}  // namespace qsa::cmodel
