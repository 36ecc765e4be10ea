#pragma once
/// @file Import of float CNNs from ONNX (spec §6, "Accepted ONNX graphs").

#include <string>

#include "qsa/cmodel/float_model.h"

namespace qsa::encoder {

/// Reads an ONNX file and converts it to a FloatModel: a chain of Conv / Gemm / MatMul+Add,
/// with Relu and MaxPool(2x2, stride 2) folded into the preceding layer and Flatten/Reshape
/// turning the next layer into a fully-connected one (weights permuted from CHW to HWC).
/// The input must be [1, C, H, W] (or [N, C, H, W] with N symbolic or 1). Any other op, or an
/// unsupported attribute, throws qsa::FormatError naming the file, the node and the op.
cmodel::FloatModel ImportOnnx(const std::string& path);

/// Same, from serialized ModelProto bytes; `origin` names the source in errors.
cmodel::FloatModel ImportOnnxBytes(const std::string& bytes, const std::string& origin);

}  // namespace qsa::encoder
