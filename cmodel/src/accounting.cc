#include "qsa/cmodel/accounting.h"

namespace qsa::cmodel {

ModelBits& ModelBits::operator+=(const ModelBits& o) {
  weights += o.weights;
  biases += o.biases;
  vectors += o.vectors;
  zero_codes += o.zero_codes;
  fp32_bits += o.fp32_bits;
  int8_bits += o.int8_bits;
  eq11_bits += o.eq11_bits;
  eq12_bits += o.eq12_bits;
  eq12_vector_bits += o.eq12_vector_bits;
  deployed_bits += o.deployed_bits;
  return *this;
}

ModelBits LayerBits(const Layer& layer) {
  const LayerDesc& d = layer.desc;
  const LayerSections sec = SectionSizes(d);
  ModelBits b;
  b.weights = d.Weights();
  b.biases = d.out_c;
  b.vectors = sec.vectors;
  for (uint8_t code : layer.codes) b.zero_codes += code == 0;
  b.fp32_bits = 32 * (b.weights + b.biases);
  b.int8_bits = 8 * b.weights + 32 * b.biases;
  b.eq11_bits = 32 * b.weights;
  b.eq12_bits = d.bits * b.weights + 32 * int64_t{d.kernel_h} * d.kernel_w * d.in.c;
  b.eq12_vector_bits = d.bits * b.weights + 32 * b.vectors;
  b.deployed_bits = 8 * (sec.codes_bytes + sec.alpha_bytes + sec.bias_bytes);
  return b;
}

ModelBits TotalBits(const Model& model) {
  ModelBits total;
  for (const Layer& layer : model.layers) total += LayerBits(layer);
  return total;
}

}  // namespace qsa::cmodel
