#pragma once
/// @file Encoding a float network into a QSA model (spec §6), and its options.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/float_model.h"
#include "qsa/cmodel/model.h"
#include "qsa/encoder/quantize.h"

namespace qsa::encoder {

/// Orientation choice; kAuto is channel-wise when C >= N, else filter-wise.
enum class OrientChoice { kAuto, kChannel, kFilter };

/// Per-layer settings; unset fields take the network-wide defaults.
struct LayerOptions {
  std::optional<int> bits;
  std::optional<int> phi;
  std::optional<int> vector_len;
  std::optional<OrientChoice> orient;
  std::optional<int> k;
  std::optional<Mode> mode;
};

/// Encoder options. Defaults (docs/cli.md): 3-bit, φ = 4, N = 16, orientation auto,
/// optimal mode, k = 0 (exact), 512 calibration images.
struct EncodeOptions {
  int bits = 3;
  int phi = 4;
  int vector_len = 16;
  OrientChoice orient = OrientChoice::kAuto;
  Mode mode = Mode::kOptimal;
  int k = 0;
  int calib_images = 512;
  std::vector<LayerOptions> per_layer;  ///< Indexed by layer; may be shorter than the model.
  /// Layers taken as they are from an earlier encoding (codes, α's, α exponent and vector
  /// settings; the float weights of these layers are ignored), e.g. convolutions frozen at
  /// their quantized values while the FC layers were fine-tuned. Exponents of activations and
  /// the biases are computed as for any layer. The geometry must match the float layer's.
  std::map<size_t, cmodel::Layer> frozen;

  void Validate() const;  ///< Throws ConfigError("EncodeOptions: <field> ...").
  /// Resolved settings of layer i (defaults + override), validated against that layer.
  LayerOptions Resolve(size_t i) const;
};

/// Quantization report of one layer (float-domain errors).
struct LayerEncodeReport {
  double l2_error = 0;        ///< ||W − Ŵ||² with the deployed weights.
  double l2_error_paper = 0;  ///< The same in paper mode (for comparison).
  double weight_energy = 0;   ///< ||W||².
};

/// Encodes `model`; `calib` supplies the calibration images (spec §6). `report`, if given,
/// receives one entry per layer.
cmodel::Model Encode(const cmodel::FloatModel& model, const EncodeOptions& options,
                     const cmodel::Dataset& calib,
                     std::vector<LayerEncodeReport>* report = nullptr);

/// Dequantized (deployed) weights of an encoded layer in real units, [o][r][s][c].
std::vector<float> DequantizeWeights(const cmodel::Layer& layer);

}  // namespace qsa::encoder
