#pragma once
/// @file Model-size accounting (spec §8): eq. 11, eq. 12 and as deployed.

#include <cstdint>

#include "qsa/cmodel/model.h"

namespace qsa::cmodel {

struct ModelBits {
  int64_t weights = 0;
  int64_t biases = 0;
  int64_t vectors = 0;
  int64_t zero_codes = 0;
  int64_t fp32_bits = 0;
  int64_t int8_bits = 0;
  int64_t eq11_bits = 0;
  int64_t eq12_bits = 0;
  int64_t eq12_vector_bits = 0;
  int64_t deployed_bits = 0;

  double Compression() const {
    return fp32_bits ? 1.0 - double(deployed_bits) / double(fp32_bits) : 0;
  }
  double CompressionVsInt8() const {
    return int8_bits ? 1.0 - double(deployed_bits) / double(int8_bits) : 0;
  }
  double ZeroShare() const { return weights ? double(zero_codes) / double(weights) : 0; }
  ModelBits& operator+=(const ModelBits& o);
};

ModelBits LayerBits(const Layer& layer);
ModelBits TotalBits(const Model& model);

}  // namespace qsa::cmodel
