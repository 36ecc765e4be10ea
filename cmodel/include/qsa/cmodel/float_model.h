#pragma once
/// @file A float (fp32) network: the encoder's input and the accuracy baseline.

#include <cstdint>
#include <string>
#include <vector>

#include "qsa/cmodel/model.h"

namespace qsa::cmodel {

/// One float layer: convolution (FC = 1x1 conv on a 1x1xC input) + optional ReLU and pool.
/// Weights are in [o][r][s][c] order (spec §5), already permuted to HWC for FC layers.
struct FloatLayer {
  std::string name;
  LayerKind kind = LayerKind::kConv;
  int kernel_h = 1;
  int kernel_w = 1;
  int stride = 1;
  int pad_top = 0;
  int pad_left = 0;
  int pad_bottom = 0;
  int pad_right = 0;
  bool relu = false;
  bool pool = false;
  Shape in;
  int out_c = 0;
  std::vector<float> weights;
  std::vector<float> bias;

  /// The geometry as a LayerDesc (quantization fields left at their defaults).
  LayerDesc Geometry() const;
  int FanIn() const { return kernel_h * kernel_w * in.c; }
};

/// A float network over 8-bit images whose real input is pixel / 255.
struct FloatModel {
  std::string name;
  Shape input;
  std::vector<FloatLayer> layers;

  /// Checks shapes chain and sizes are consistent; throws FormatError naming `origin`.
  void Validate(const std::string& origin = "float model") const;
};

/// Runs one float layer on an HWC input.
std::vector<float> RunFloatLayer(const FloatLayer& layer, const std::vector<float>& input);

/// Runs the network on one image (H*W*C pixels, HWC); returns the logits. If `per_layer` is
/// given, it receives every layer's output.
std::vector<float> RunFloat(const FloatModel& model, const uint8_t* pixels,
                            std::vector<std::vector<float>>* per_layer = nullptr);

}  // namespace qsa::cmodel
