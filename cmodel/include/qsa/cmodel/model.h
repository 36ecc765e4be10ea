#pragma once
/// @file An encoded QSA model (docs/spec.md §5, §7): layer descriptors, codes, α's, biases.

#include <cstdint>
#include <string>
#include <vector>

namespace qsa::cmodel {

enum class LayerKind : uint8_t { kConv = 0, kFc = 1 };
enum class Orientation : uint8_t { kChannel = 0, kFilter = 1 };

/// Shape of an HWC activation tensor.
struct Shape {
  int h = 0;
  int w = 0;
  int c = 0;
  int64_t Elements() const { return int64_t{h} * w * c; }
  bool operator==(const Shape&) const = default;
};

/// One layer descriptor, the fields of spec §7 (offsets and byte counts are derived).
struct LayerDesc {
  LayerKind kind = LayerKind::kConv;
  int bits = 3;         ///< Code width: 2 or 3.
  int phi = 4;          ///< Quality knob φ: 1, 2 or 4.
  Orientation orient = Orientation::kChannel;
  int vector_len = 16;  ///< N, 1..64.
  int k = 0;            ///< Quality knob k: 0 = exact, 1..5.
  bool relu = false;
  bool pool = false;    ///< 2x2 max-pool, stride 2.
  int kernel_h = 1;
  int kernel_w = 1;
  int stride = 1;
  int pad_top = 0;
  int pad_left = 0;
  int pad_bottom = 0;
  int pad_right = 0;
  int alpha_exp = 0;    ///< e_α
  int in_exp = 0;       ///< e_in
  int out_exp = 0;      ///< e_out
  Shape in;             ///< Input tensor shape.
  int out_c = 0;        ///< Filters.

  int FanIn() const { return kernel_h * kernel_w * in.c; }
  int Shift() const { return out_exp - in_exp - alpha_exp; }
  int ConvOutH() const { return (in.h + pad_top + pad_bottom - kernel_h) / stride + 1; }
  int ConvOutW() const { return (in.w + pad_left + pad_right - kernel_w) / stride + 1; }
  /// Output shape after the optional pool.
  Shape Out() const {
    return pool ? Shape{ConvOutH() / 2, ConvOutW() / 2, out_c}
                : Shape{ConvOutH(), ConvOutW(), out_c};
  }
  int64_t Weights() const { return int64_t{FanIn()} * out_c; }
};

/// Where the vectors of one filter start, in stream order (spec §5): start index within the
/// filter's [r][s][c] flattening and length. Identical for every filter of a layer.
struct VectorSpan {
  int start = 0;
  int length = 0;
};
std::vector<VectorSpan> FilterVectors(const LayerDesc& d);

/// One encoded layer. `codes` holds one code per weight in stream order (unpacked);
/// `alphas` one mantissa per vector; `biases` one int32 per filter.
struct Layer {
  LayerDesc desc;
  std::vector<uint8_t> codes;
  std::vector<uint8_t> alphas;
  std::vector<int32_t> biases;
};

/// An encoded network. Immutable once loaded; safe to share between threads.
struct Model {
  std::string name;
  Shape input;
  int input_exp = -7;
  std::vector<Layer> layers;

  int Classes() const { return layers.empty() ? 0 : layers.back().desc.out_c; }
  /// Checks every rule of spec §4, §5 and §7 that applies to the in-memory model; throws
  /// FormatError naming `origin`, the layer and the field at fault.
  void Validate(const std::string& origin = "model") const;
};

/// Checks the rules of spec §4, §5 and §7 that concern one layer descriptor on its own (field
/// ranges, geometry, the FC form, fan-in); throws FormatError "<origin>: layer <index>: <field>:
/// ...". Model::Validate applies it to every layer; ParseModel applies it before trusting any
/// size derived from a descriptor.
void ValidateLayerDesc(const LayerDesc& d, const std::string& origin, int index);

/// Serializes to the version-1 file format of spec §7 (with CRC).
std::vector<uint8_t> SerializeModel(const Model& model);
/// Parses and fully validates a model file image; `origin` names it in errors.
Model ParseModel(const std::vector<uint8_t>& bytes, const std::string& origin);
/// Reads and parses a model file.
Model ReadModelFile(const std::string& path);
/// Writes a model file atomically (temporary file, then rename).
void WriteModelFile(const Model& model, const std::string& path);

/// CRC-32 (IEEE 802.3, reflected, as zlib's crc32).
uint32_t Crc32(const uint8_t* data, size_t size);

/// Byte sizes of a layer's sections as laid out in the file (spec §7).
struct LayerSections {
  int64_t codes_bytes = 0;
  int64_t alpha_bytes = 0;
  int64_t bias_bytes = 0;
  int64_t vectors = 0;
};
LayerSections SectionSizes(const LayerDesc& d);

/// Packs codes into 64-bit words (21 x 3-bit or 32 x 2-bit per word), little-endian bytes.
std::vector<uint8_t> PackCodes(const std::vector<uint8_t>& codes, int bits);

}  // namespace qsa::cmodel
