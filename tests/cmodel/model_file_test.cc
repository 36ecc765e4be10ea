// Vector geometry, code packing, CRC-32, Model::Validate and the version-1 model file
// (docs/spec.md §1, §4, §5, §7), including a malformed-file case for every reader rule.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/model.h"

namespace qsa::cmodel {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Helpers

// File layout of spec §7, written out independently of the implementation.
constexpr size_t kHeader = 64;
constexpr size_t kDesc = 64;
namespace hdr {
constexpr size_t kVersion = 4, kHeaderBytes = 6, kFileBytes = 8, kCrc = 12, kLayers = 16, kInH = 18,
                 kInExp = 24, kClasses = 25, kDescBytes = 26, kDescOffset = 28, kName = 32;
}  // namespace hdr
namespace desc {
constexpr size_t kKind = 0, kBits = 1, kOrient = 2, kVectorLen = 3, kK = 4, kFlags = 5,
                 kKernelH = 6, kStride = 8, kPadTop = 9, kOutExp = 15, kInH = 16, kInC = 20,
                 kOutC = 22, kVectors = 24, kCodesOffset = 28, kCodesBytes = 32, kAlphaOffset = 36,
                 kAlphaBytes = 40, kBiasOffset = 44, kBiasBytes = 48, kPhi = 52;
}  // namespace desc

using Bytes = std::vector<uint8_t>;

uint32_t Get32(const Bytes& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
         uint32_t{b[at + 3]} << 24;
}
uint64_t Get64(const Bytes& b, size_t at) {
  return uint64_t{Get32(b, at)} | uint64_t{Get32(b, at + 4)} << 32;
}
void Put16(Bytes& b, size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
}
void Put32(Bytes& b, size_t at, uint32_t v) {
  Put16(b, at, v & 0xFFFFu);
  Put16(b, at + 2, v >> 16);
}
void Put64(Bytes& b, size_t at, uint64_t v) {
  Put32(b, at, static_cast<uint32_t>(v));
  Put32(b, at + 4, static_cast<uint32_t>(v >> 32));
}
size_t DescAt(int layer) { return kHeader + kDesc * static_cast<size_t>(layer); }

// Recomputes the header CRC, so that a test reaches the check it is about.
void FixCrc(Bytes& b) { Put32(b, hdr::kCrc, Crc32(b.data() + 16, b.size() - 16)); }

// Overwrites code `index` of `layer` in a serialized file (packing per spec §7).
void SetCode(Bytes& b, int layer, size_t index, unsigned code) {
  const size_t d = DescAt(layer);
  const unsigned bits = b[d + desc::kBits];
  const size_t per_word = 64 / bits;
  const size_t at = Get32(b, d + desc::kCodesOffset) + 8 * (index / per_word);
  const unsigned shift = static_cast<unsigned>(index % per_word) * bits;
  uint64_t word = Get64(b, at);
  word &= ~(((uint64_t{1} << bits) - 1) << shift);
  word |= uint64_t{code} << shift;
  Put64(b, at, word);
}

// A valid three-layer model with random codes, α's and biases:
//   0: conv 3x3 pad 1, 12x12x3 -> 12x12x8, ReLU + pool -> 6x6x8; filter-wise N=8 (27 weights:
//      vectors of 8, 8, 8, 3), 3-bit, phi=4, k=2;
//   1: conv 3x3, 6x6x8 -> 4x4x6, ReLU; channel-wise N=3 (8 channels: 3, 3, 2), 2-bit, phi=1;
//   2: FC 1x1x96 -> 10; channel-wise N=16, 3-bit, phi=2, k=1.
Model MakeModel(uint32_t seed = 1) {
  std::mt19937 rng(seed);
  Model m;
  m.name = "tiny-net";
  m.input = {12, 12, 3};
  m.input_exp = -7;

  LayerDesc d0;
  d0.kind = LayerKind::kConv;
  d0.bits = 3;
  d0.phi = 4;
  d0.orient = Orientation::kFilter;
  d0.vector_len = 8;
  d0.k = 2;
  d0.relu = true;
  d0.pool = true;
  d0.kernel_h = d0.kernel_w = 3;
  d0.pad_top = d0.pad_left = d0.pad_bottom = d0.pad_right = 1;
  d0.alpha_exp = -6;
  d0.in_exp = -7;
  d0.out_exp = -4;
  d0.in = {12, 12, 3};
  d0.out_c = 8;

  LayerDesc d1;
  d1.bits = 2;
  d1.phi = 1;
  d1.orient = Orientation::kChannel;
  d1.vector_len = 3;
  d1.relu = true;
  d1.kernel_h = d1.kernel_w = 3;
  d1.alpha_exp = -5;
  d1.in_exp = -4;
  d1.out_exp = -3;
  d1.in = {6, 6, 8};
  d1.out_c = 6;

  LayerDesc d2;
  d2.kind = LayerKind::kFc;
  d2.bits = 3;
  d2.phi = 2;
  d2.orient = Orientation::kChannel;
  d2.vector_len = 16;
  d2.k = 1;
  d2.alpha_exp = -6;
  d2.in_exp = -3;
  d2.out_exp = -2;
  d2.in = {1, 1, 96};
  d2.out_c = 10;

  for (const LayerDesc& d : {d0, d1, d2}) {
    Layer layer;
    layer.desc = d;
    std::vector<int> levels = {0, 1, -1};
    if (d.phi >= 2) levels.insert(levels.end(), {2, -2});
    if (d.phi >= 4) levels.insert(levels.end(), {4, -4});
    std::uniform_int_distribution<size_t> level(0, levels.size() - 1);
    for (int64_t j = 0; j < d.Weights(); ++j) {
      layer.codes.push_back(static_cast<uint8_t>(EncodeBeta(levels[level(rng)], d.bits)));
    }
    std::uniform_int_distribution<int> alpha(0, 255);
    for (int64_t v = 0; v < SectionSizes(d).vectors; ++v) {
      layer.alphas.push_back(static_cast<uint8_t>(alpha(rng)));
    }
    const int32_t limit = static_cast<int32_t>(2147483647 - int64_t{d.FanIn()} * (1 << 17));
    std::uniform_int_distribution<int32_t> bias(-limit, limit);
    for (int o = 0; o < d.out_c; ++o) layer.biases.push_back(bias(rng));
    layer.biases.front() = limit;  // the accumulator bound is inclusive
    layer.biases.back() = -limit;
    m.layers.push_back(std::move(layer));
  }
  return m;
}

Bytes ValidBytes() { return SerializeModel(MakeModel()); }

// The message of the FormatError that parsing `b` must throw ("" and a failure if none).
std::string ParseError(const Bytes& b) {
  try {
    ParseModel(b, "test.qsa");
  } catch (const FormatError& e) {
    return e.what();
  }
  ADD_FAILURE() << "ParseModel accepted a malformed file";
  return "";
}

std::string ValidateError(const Model& m) {
  try {
    m.Validate("m.qsa");
  } catch (const FormatError& e) {
    return e.what();
  }
  ADD_FAILURE() << "Validate accepted an invalid model";
  return "";
}

void ExpectSameModel(const Model& a, const Model& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.input_exp, b.input_exp);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "layer " << i);
    const LayerDesc& x = a.layers[i].desc;
    const LayerDesc& y = b.layers[i].desc;
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.bits, y.bits);
    EXPECT_EQ(x.phi, y.phi);
    EXPECT_EQ(x.orient, y.orient);
    EXPECT_EQ(x.vector_len, y.vector_len);
    EXPECT_EQ(x.k, y.k);
    EXPECT_EQ(x.relu, y.relu);
    EXPECT_EQ(x.pool, y.pool);
    EXPECT_EQ(x.kernel_h, y.kernel_h);
    EXPECT_EQ(x.kernel_w, y.kernel_w);
    EXPECT_EQ(x.stride, y.stride);
    EXPECT_EQ(x.pad_top, y.pad_top);
    EXPECT_EQ(x.pad_left, y.pad_left);
    EXPECT_EQ(x.pad_bottom, y.pad_bottom);
    EXPECT_EQ(x.pad_right, y.pad_right);
    EXPECT_EQ(x.alpha_exp, y.alpha_exp);
    EXPECT_EQ(x.in_exp, y.in_exp);
    EXPECT_EQ(x.out_exp, y.out_exp);
    EXPECT_EQ(x.in, y.in);
    EXPECT_EQ(x.out_c, y.out_c);
    EXPECT_EQ(a.layers[i].codes, b.layers[i].codes);
    EXPECT_EQ(a.layers[i].alphas, b.layers[i].alphas);
    EXPECT_EQ(a.layers[i].biases, b.layers[i].biases);
  }
}

// A fresh, empty directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qsa_model_test.XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// ---------------------------------------------------------------------------------------------
// Vectors (§5)

LayerDesc Geometry(int r, int s, int c, int n, Orientation orient) {
  LayerDesc d;
  d.kernel_h = r;
  d.kernel_w = s;
  d.in = {16, 16, c};
  d.vector_len = n;
  d.orient = orient;
  d.out_c = 5;
  return d;
}

std::vector<std::pair<int, int>> Spans(const LayerDesc& d) {
  std::vector<std::pair<int, int>> out;
  for (const VectorSpan& v : FilterVectors(d)) out.emplace_back(v.start, v.length);
  return out;
}

TEST(FilterVectorsTest, ChannelWiseCutsEachPositionAndShortensTheLast) {
  // 2x2 kernel, C = 10, N = 4: per (r, s) channels [0,4) [4,8) [8,10).
  const LayerDesc d = Geometry(2, 2, 10, 4, Orientation::kChannel);
  std::vector<std::pair<int, int>> expected;
  for (int pos = 0; pos < 4; ++pos) {
    expected.insert(expected.end(), {{pos * 10, 4}, {pos * 10 + 4, 4}, {pos * 10 + 8, 2}});
  }
  EXPECT_EQ(Spans(d), expected);
  EXPECT_EQ(SectionSizes(d).vectors, 12 * 5);
}

TEST(FilterVectorsTest, ChannelWiseWithCMultipleOfN) {
  const LayerDesc d = Geometry(1, 3, 8, 4, Orientation::kChannel);
  const std::vector<std::pair<int, int>> expected = {{0, 4},  {4, 4},  {8, 4},
                                                     {12, 4}, {16, 4}, {20, 4}};
  EXPECT_EQ(Spans(d), expected);
}

TEST(FilterVectorsTest, FilterWiseCutsTheWholeFilterAcrossPositions) {
  // 3x3x3 = 27 weights, N = 8: 8, 8, 8, 3 (vectors cross (r, s) boundaries).
  const LayerDesc d = Geometry(3, 3, 3, 8, Orientation::kFilter);
  const std::vector<std::pair<int, int>> expected = {{0, 8}, {8, 8}, {16, 8}, {24, 3}};
  EXPECT_EQ(Spans(d), expected);
  EXPECT_EQ(SectionSizes(d).vectors, 4 * 5);
}

TEST(FilterVectorsTest, OneChannelLayer) {
  // Channel-wise degenerates to one weight per vector; filter-wise gives real vectors.
  const LayerDesc channel = Geometry(5, 5, 1, 16, Orientation::kChannel);
  const std::vector<VectorSpan> spans = FilterVectors(channel);
  ASSERT_EQ(spans.size(), 25u);
  for (int i = 0; i < 25; ++i) {
    EXPECT_EQ(spans[static_cast<size_t>(i)].start, i);
    EXPECT_EQ(spans[static_cast<size_t>(i)].length, 1);
  }
  const LayerDesc filter = Geometry(5, 5, 1, 16, Orientation::kFilter);
  const std::vector<std::pair<int, int>> expected = {{0, 16}, {16, 9}};
  EXPECT_EQ(Spans(filter), expected);
}

TEST(FilterVectorsTest, VectorsTileTheFilterExactlyOnce) {
  for (Orientation o : {Orientation::kChannel, Orientation::kFilter}) {
    for (int n : {1, 3, 7, 16, 64}) {
      const LayerDesc d = Geometry(3, 2, 13, n, o);
      int next = 0;
      for (const VectorSpan& v : FilterVectors(d)) {
        EXPECT_EQ(v.start, next);
        EXPECT_GE(v.length, 1);
        EXPECT_LE(v.length, n);
        next = v.start + v.length;
      }
      EXPECT_EQ(next, d.FanIn());
      EXPECT_EQ(static_cast<int64_t>(FilterVectors(d).size()) * d.out_c, SectionSizes(d).vectors);
    }
  }
}

TEST(SectionSizesTest, BytesFollowTheGeometry) {
  const Model m = MakeModel();
  // Layer 0: 216 3-bit codes -> 11 words; 8 filters x 4 vectors; 8 biases.
  LayerSections s = SectionSizes(m.layers[0].desc);
  EXPECT_EQ(s.codes_bytes, 88);
  EXPECT_EQ(s.vectors, 32);
  EXPECT_EQ(s.alpha_bytes, 32);
  EXPECT_EQ(s.bias_bytes, 32);
  // Layer 1: 432 2-bit codes -> 14 words; 6 filters x 9 positions x 3 vectors.
  s = SectionSizes(m.layers[1].desc);
  EXPECT_EQ(s.codes_bytes, 112);
  EXPECT_EQ(s.vectors, 162);
  EXPECT_EQ(s.alpha_bytes, 162);
  EXPECT_EQ(s.bias_bytes, 24);
}

TEST(SectionSizesTest, LargestRawGeometryDoesNotOverflow) {
  // The widest values a descriptor can hold (u8 kernel, u16 channels): products beyond 32 bits
  // must come out exact, so that the reader can compare them with the u32 fields.
  LayerDesc d = Geometry(255, 255, 65535, 1, Orientation::kFilter);
  d.out_c = 65535;
  const int64_t weights = int64_t{255} * 255 * 65535 * 65535;
  const LayerSections s = SectionSizes(d);
  EXPECT_EQ(s.vectors, weights);
  EXPECT_EQ(s.codes_bytes, (weights + 20) / 21 * 8);
  EXPECT_EQ(s.bias_bytes, int64_t{4} * 65535);
}

// ---------------------------------------------------------------------------------------------
// Packing and CRC (§7)

TEST(PackCodesTest, ThreeBitCodesAre21PerWordWithBit63Zero) {
  std::vector<uint8_t> codes;
  for (int i = 0; i < 22; ++i) codes.push_back(static_cast<uint8_t>(i % 7));
  const Bytes packed = PackCodes(codes, 3);
  ASSERT_EQ(packed.size(), 16u);
  uint64_t expected = 0;
  for (unsigned i = 0; i < 21; ++i) expected |= uint64_t{codes[i]} << (3 * i);
  EXPECT_EQ(Get64(packed, 0), expected);
  EXPECT_EQ(Get64(packed, 0) >> 63, 0u);
  EXPECT_EQ(Get64(packed, 8), uint64_t{codes[21]});  // code 21 starts word 1; the rest is 0
  EXPECT_EQ(packed[0], (codes[0] | codes[1] << 3 | codes[2] << 6) & 0xFF);  // little-endian
}

TEST(PackCodesTest, ThreeBitAllOnesLeavesBit63Clear) {
  const Bytes packed = PackCodes(std::vector<uint8_t>(21, 6), 3);
  ASSERT_EQ(packed.size(), 8u);
  uint64_t expected = 0;
  for (unsigned i = 0; i < 21; ++i) expected |= uint64_t{6} << (3 * i);
  EXPECT_EQ(Get64(packed, 0), expected);
  EXPECT_EQ(packed[7] & 0x80, 0);
}

TEST(PackCodesTest, TwoBitCodesAre32PerWord) {
  std::vector<uint8_t> codes;
  for (int i = 0; i < 33; ++i) codes.push_back(static_cast<uint8_t>(i % 3));
  const Bytes packed = PackCodes(codes, 2);
  ASSERT_EQ(packed.size(), 16u);
  uint64_t expected = 0;
  for (unsigned i = 0; i < 32; ++i) expected |= uint64_t{codes[i]} << (2 * i);
  EXPECT_EQ(Get64(packed, 0), expected);
  EXPECT_EQ(Get64(packed, 8), uint64_t{codes[32]});
  EXPECT_EQ(PackCodes(std::vector<uint8_t>(32, 1), 2).size(), 8u);
  EXPECT_TRUE(PackCodes({}, 2).empty());
}

TEST(PackCodesTest, RejectsCodesWiderThanBits) {
  EXPECT_THROW(PackCodes({0, 4}, 2), FormatError);
  EXPECT_THROW(PackCodes({8}, 3), FormatError);
  EXPECT_THROW(PackCodes({0}, 4), FormatError);
}

TEST(Crc32Test, MatchesZlibCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(Crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xCBF43926u);
  EXPECT_EQ(Crc32(nullptr, 0), 0u);
  const uint8_t zero = 0;
  EXPECT_EQ(Crc32(&zero, 1), 0xD202EF8Du);
}

// ---------------------------------------------------------------------------------------------
// Model::Validate on in-memory models

TEST(ModelValidateTest, AcceptsTheTestModel) { EXPECT_NO_THROW(MakeModel().Validate("m.qsa")); }

TEST(ModelValidateTest, ReservedCodeMessageNamesOriginLayerAndIndex) {
  Model m = MakeModel();
  m.layers[2].codes[117] = 7;
  try {
    m.Validate("lenet.qsa");
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_STREQ(e.what(), "lenet.qsa: layer 2: code 117: reserved code 0b111");
  }
  m = MakeModel();
  m.layers[1].codes[4] = 3;
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 1: code 4: reserved code 0b11"));
}

TEST(ModelValidateTest, CodeMustBeInThePhiLevelSet) {
  Model m = MakeModel();
  m.layers[2].codes[9] = static_cast<uint8_t>(EncodeBeta(-4, 3));  // phi = 2
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 2: code 9: beta -4"));
  m = MakeModel();
  m.layers[1].codes[0] = 4;  // does not fit 2 bits
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 1: code 0: value 4"));
}

TEST(ModelValidateTest, FieldRanges) {
  struct Case {
    void (*mutate)(LayerDesc&);
    const char* field;
  };
  const Case cases[] = {
      {[](LayerDesc& d) { d.bits = 4; }, "layer 0: bits"},
      {[](LayerDesc& d) { d.phi = 3; }, "layer 0: phi"},
      {[](LayerDesc& d) { d.vector_len = 65; }, "layer 0: vector length"},
      {[](LayerDesc& d) { d.k = 6; }, "layer 0: k"},
      {[](LayerDesc& d) { d.kernel_w = 16; }, "layer 0: kernel width"},
      {[](LayerDesc& d) { d.stride = 0; }, "layer 0: stride"},
      {[](LayerDesc& d) { d.pad_right = 3; }, "layer 0: pad right"},
      {[](LayerDesc& d) { d.pad_top = -1; }, "layer 0: pad top"},
      {[](LayerDesc& d) { d.alpha_exp = 200; }, "layer 0: alpha exp"},
      {[](LayerDesc& d) { d.out_exp = -20; }, "layer 0: shift"},
      {[](LayerDesc& d) { d.out_exp = 30; }, "layer 0: shift"},
      {[](LayerDesc& d) { d.out_c = 4097; }, "layer 0: output channels"},
      {[](LayerDesc& d) { d.in.w = 0; }, "layer 0: input width"},
      {[](LayerDesc& d) { d.kind = static_cast<LayerKind>(7); }, "layer 0: kind"},
      {[](LayerDesc& d) { d.orient = static_cast<Orientation>(2); }, "layer 0: orientation"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    Model m = MakeModel();
    c.mutate(m.layers[0].desc);
    EXPECT_THAT(ValidateError(m), HasSubstr(c.field));
  }
}

TEST(ModelValidateTest, TwoBitCodesRequirePhi1) {
  Model m = MakeModel();
  m.layers[1].desc.phi = 2;
  EXPECT_THAT(ValidateError(m), AllOf(HasSubstr("layer 1: phi"), HasSubstr("2-bit")));
}

TEST(ModelValidateTest, ConvOutputUsesFloorNotTruncation) {
  // (4 + 0 - 5) / 2 + 1 truncates to 1 in C++; the spec's floor gives 0: no output.
  LayerDesc d = Geometry(5, 1, 1, 1, Orientation::kChannel);
  d.in = {4, 8, 1};
  d.stride = 2;
  d.out_c = 1;
  EXPECT_THAT(
      ValidateError(Model{"x", d.in, -7, {Layer{d, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0}}}}),
      HasSubstr("layer 0: output height"));
}

TEST(ModelValidateTest, PooledOutputMustNotBeEmpty) {
  LayerDesc d = Geometry(1, 1, 1, 1, Orientation::kChannel);
  d.in = {1, 8, 1};
  d.pool = true;
  d.out_c = 1;
  EXPECT_THAT(ValidateError(Model{"x", d.in, -7, {Layer{d, {1}, {1}, {0}}}}),
              HasSubstr("layer 0: pooled height"));
}

TEST(ModelValidateTest, FullyConnectedLayerForm) {
  Model m = MakeModel();
  m.layers[2].desc.stride = 2;
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 2: stride"));
  // An FC layer may also come first and read the flattened network input.
  LayerDesc d = Geometry(1, 1, 12, 4, Orientation::kChannel);
  d.kind = LayerKind::kFc;
  d.in = {1, 1, 12};
  d.out_c = 2;
  Model fc{
      "fc", {2, 2, 3}, -7, {Layer{d, std::vector<uint8_t>(24, 1), {1, 2, 3, 4, 5, 6}, {0, 0}}}};
  EXPECT_NO_THROW(fc.Validate());
  fc.layers[0].desc.kind = LayerKind::kConv;
  EXPECT_THAT(ValidateError(fc), HasSubstr("layer 0: input shape"));
}

TEST(ModelValidateTest, LayersMustChain) {
  Model m = MakeModel();
  m.layers[1].desc.in.h = 7;
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 1: input shape: 7x6x8"));
  m = MakeModel();
  m.layers[1].desc.pool = true;  // layer 2 now gets 2x2x6 = 24 values, not 96
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 2: input shape"));
  m = MakeModel();
  m.input.c = 1;
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 0: input shape"));
}

TEST(ModelValidateTest, PayloadSizesMatchTheGeometry) {
  Model m = MakeModel();
  m.layers[0].codes.pop_back();
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 0: codes"));
  m = MakeModel();
  m.layers[1].alphas.push_back(0);
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 1: alphas"));
  m = MakeModel();
  m.layers[2].biases.pop_back();
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 2: biases"));
}

TEST(ModelValidateTest, AccumulatorBound) {
  Model m = MakeModel();  // biases of ±limit are already present and accepted
  m.layers[0].biases[3] = static_cast<int32_t>(2147483647 - 27 * (1 << 17) + 1);
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 0: bias 3"));
  m = MakeModel();
  m.layers[0].biases[0] = std::numeric_limits<int32_t>::min();
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 0: bias 0"));
  m = MakeModel();
  m.layers[1].desc.in.c = 2048;  // fan-in 3·3·2048 = 18432 > 16383
  EXPECT_THAT(ValidateError(m), HasSubstr("layer 1: fan-in"));
}

TEST(ModelValidateTest, ModelLevelFields) {
  Model m = MakeModel();
  m.name = std::string(32, 'a');
  EXPECT_THAT(ValidateError(m), HasSubstr("m.qsa: name"));
  m.name = std::string(31, 'a');
  EXPECT_NO_THROW(m.Validate());
  m.name = "bad\xC3";
  EXPECT_THAT(ValidateError(m), HasSubstr("name: not valid UTF-8"));
  m.name = "caf\xC3\xA9";
  EXPECT_NO_THROW(m.Validate());
  m = MakeModel();
  m.layers.clear();
  EXPECT_THAT(ValidateError(m), HasSubstr("layer count"));
  m = MakeModel();
  m.input_exp = 1;  // QuantizeInput is defined for e_in in [-7, 0]
  EXPECT_THAT(ValidateError(m), HasSubstr("input exp"));
  m = MakeModel();
  m.layers.resize(257, m.layers[0]);
  EXPECT_THAT(ValidateError(m), HasSubstr("layer count"));
}

TEST(ModelValidateTest, ClassCountFitsTheHeaderByte) {
  Model m = MakeModel();
  Layer& last = m.layers[2];
  last.desc.out_c = 256;
  last.codes.assign(96 * 256, 0);
  last.alphas.assign(6 * 256, 0);
  last.biases.assign(256, 0);
  EXPECT_THAT(ValidateError(m), HasSubstr("classes"));
}

TEST(SerializeModelTest, RejectsAnInvalidModel) {
  Model m = MakeModel();
  m.layers[0].codes[0] = 7;
  EXPECT_THROW(SerializeModel(m), FormatError);
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(ModelFileTest, SerializeParseRoundTrip) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    const Model m = MakeModel(seed);
    const Bytes b = SerializeModel(m);
    const Model back = ParseModel(b, "roundtrip.qsa");
    ExpectSameModel(m, back);
    EXPECT_EQ(SerializeModel(back), b);
  }
}

TEST(ModelFileTest, LayoutFollowsTheSpec) {
  const Model m = MakeModel();
  const Bytes b = SerializeModel(m);
  EXPECT_EQ(b[0], 'Q');
  EXPECT_EQ(b[3], 0x1A);
  EXPECT_EQ(Get32(b, hdr::kFileBytes), b.size());
  EXPECT_EQ(b.size() % 8, 0u);
  EXPECT_EQ(b[hdr::kClasses], 10);
  EXPECT_EQ(static_cast<int8_t>(b[hdr::kInExp]), -7);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&b[hdr::kName])), "tiny-net");
  // Sections in layer order, codes -> α -> bias, each 8-aligned, right after the table.
  size_t expected_at = kHeader + 3 * kDesc;
  for (int i = 0; i < 3; ++i) {
    const size_t d = DescAt(i);
    for (size_t field : {desc::kCodesOffset, desc::kAlphaOffset, desc::kBiasOffset}) {
      const size_t at = Get32(b, d + field);
      EXPECT_EQ(at, (expected_at + 7) / 8 * 8);
      expected_at = at + Get32(b, d + field + 4);
    }
  }
  // Biases: little-endian int32.
  const size_t bias_at = Get32(b, DescAt(2) + desc::kBiasOffset);
  EXPECT_EQ(static_cast<int32_t>(Get32(b, bias_at + 4)), m.layers[2].biases[1]);
}

TEST(ModelFileTest, WriteReadFileRoundTrip) {
  TempDir dir;
  const std::string path = (dir.path() / "tiny.qsa").string();
  const Model m = MakeModel(7);
  WriteModelFile(m, path);
  ExpectSameModel(m, ReadModelFile(path));
  // Overwriting replaces the file and leaves no temporary behind.
  const Model m2 = MakeModel(8);
  WriteModelFile(m2, path);
  ExpectSameModel(m2, ReadModelFile(path));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
  std::ifstream in(path, std::ios::binary);
  const Bytes on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(on_disk, SerializeModel(m2));
}

TEST(ModelFileTest, FileErrorsNameThePathAndErrno) {
  TempDir dir;
  const std::string missing = (dir.path() / "none.qsa").string();
  try {
    ReadModelFile(missing);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(missing), HasSubstr("No such file or directory")));
  }
  const std::string bad_dir = (dir.path() / "no_dir" / "x.qsa").string();
  try {
    WriteModelFile(MakeModel(), bad_dir);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(bad_dir), HasSubstr("No such file or directory")));
  }
  // A malformed file on disk is reported under its path.
  const std::string path = (dir.path() / "short.qsa").string();
  std::ofstream(path, std::ios::binary) << "QSA";
  try {
    ReadModelFile(path);
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ": file size"));
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed files: each must throw FormatError naming the field at fault.

TEST(ModelFileParseTest, EmptyFile) {
  EXPECT_THAT(ParseError({}), HasSubstr("test.qsa: file size: 0 bytes"));
}

TEST(ModelFileParseTest, OneByteFile) {
  EXPECT_THAT(ParseError({'Q'}), HasSubstr("test.qsa: file size: 1 bytes"));
}

TEST(ModelFileParseTest, RandomGarbage) {
  std::mt19937 rng(42);
  for (size_t size : {2u, 63u, 64u, 65u, 200u, 4096u}) {
    Bytes b(size);
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
    EXPECT_THROW(ParseModel(b, "garbage"), FormatError);
    if (size >= 64) {
      // Garbage behind a plausible header prefix must still be rejected cleanly.
      b[0] = 'Q', b[1] = 'S', b[2] = 'A', b[3] = 0x1A;
      Put16(b, hdr::kVersion, 1);
      Put16(b, hdr::kHeaderBytes, 64);
      Put32(b, hdr::kFileBytes, static_cast<uint32_t>(size));
      FixCrc(b);
      EXPECT_THROW(ParseModel(b, "garbage"), FormatError);
    }
  }
}

TEST(ModelFileParseTest, RandomMutationsNeverCrash) {
  // Flip random bytes of a valid file (CRC re-fixed so the checks behind it run): the parser
  // either rejects with FormatError or returns a model that validates. ASan/UBSan watch.
  const Bytes valid = ValidBytes();
  std::mt19937 rng(1234);
  std::uniform_int_distribution<size_t> pos(16, valid.size() - 1);
  std::uniform_int_distribution<size_t> head(16, kHeader + 3 * kDesc - 1);
  int rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    Bytes b = valid;
    const int flips = 1 + iter % 3;
    for (int f = 0; f < flips; ++f) {
      const size_t at = iter % 2 ? head(rng) : pos(rng);  // half the mutations hit descriptors
      b[at] = static_cast<uint8_t>(rng());
    }
    FixCrc(b);
    try {
      ParseModel(b, "mutant").Validate();
    } catch (const FormatError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(ModelFileParseTest, ShortFile) {
  const Bytes valid = ValidBytes();
  const Bytes b(valid.begin(), valid.end() - 8);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("test.qsa: file bytes"), HasSubstr("truncated")));
}

TEST(ModelFileParseTest, LongFile) {
  Bytes b = ValidBytes();
  b.resize(b.size() + 8, 0);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("test.qsa: file bytes"), HasSubstr("trailing")));
}

TEST(ModelFileParseTest, BadMagic) {
  Bytes b = ValidBytes();
  b[3] = 0;
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: magic"));
}

TEST(ModelFileParseTest, UnknownVersion) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kVersion, 2);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: version: 2"));
}

TEST(ModelFileParseTest, WrongHeaderSize) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kHeaderBytes, 72);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: header bytes: 72"));
}

TEST(ModelFileParseTest, WrongDescriptorSize) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kDescBytes, 48);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: descriptor bytes: 48"));
}

TEST(ModelFileParseTest, WrongDescriptorOffset) {
  Bytes b = ValidBytes();
  Put32(b, hdr::kDescOffset, 128);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: descriptor offset: 128"));
}

TEST(ModelFileParseTest, CrcMismatchReportsBothValuesInHex) {
  Bytes b = ValidBytes();
  b[b.size() - 1] ^= 0x01;  // a bias byte
  const uint32_t stored = Get32(b, hdr::kCrc);
  const uint32_t actual = Crc32(b.data() + 16, b.size() - 16);
  EXPECT_THAT(ParseError(b),
              AllOf(HasSubstr("test.qsa: crc"), HasSubstr(fmt::format("0x{:08x}", stored)),
                    HasSubstr(fmt::format("0x{:08x}", actual))));
}

TEST(ModelFileParseTest, LayerCountOutOfRange) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kLayers, 0);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: layer count: 0"));
  Put16(b, hdr::kLayers, 257);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: layer count: 257"));
}

TEST(ModelFileParseTest, DescriptorTablePastTheEnd) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kLayers, 256);  // 64 + 256·64 bytes > the file
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: descriptor table"));
}

TEST(ModelFileParseTest, NameWithoutTerminator) {
  Bytes b = ValidBytes();
  for (size_t i = 0; i < 32; ++i) b[hdr::kName + i] = 'n';
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: name: not NUL-terminated"));
}

TEST(ModelFileParseTest, NameWithNonzeroPadding) {
  Bytes b = ValidBytes();
  b[hdr::kName + 30] = 'x';  // after "tiny-net\0"
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: name: nonzero padding"));
}

TEST(ModelFileParseTest, HeaderInputOutOfRange) {
  Bytes b = ValidBytes();
  Put16(b, hdr::kInH, 0);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: input height: 0"));
  b = ValidBytes();
  b[hdr::kInExp] = 3;
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: input exp: 3"));
}

TEST(ModelFileParseTest, ClassCountMismatch) {
  Bytes b = ValidBytes();
  b[hdr::kClasses] = 11;
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: classes: header says 11"));
}

// Out-of-range descriptor fields, each caught before any size derived from it is used.
struct FieldCase {
  int layer;
  size_t offset;
  uint32_t value;
  int width;  // bytes
  const char* message;
};

void ExpectFieldRejected(const FieldCase& c) {
  SCOPED_TRACE(c.message);
  Bytes b = ValidBytes();
  const size_t at = DescAt(c.layer) + c.offset;
  if (c.width == 1) b[at] = static_cast<uint8_t>(c.value);
  if (c.width == 2) Put16(b, at, c.value);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr(c.message));
}

TEST(ModelFileParseTest, KindOutOfRange) {
  ExpectFieldRejected({0, desc::kKind, 2, 1, "test.qsa: layer 0: kind: 2"});
}

TEST(ModelFileParseTest, BitsOutOfRange) {
  ExpectFieldRejected({1, desc::kBits, 4, 1, "test.qsa: layer 1: bits: 4"});
}

TEST(ModelFileParseTest, OrientationOutOfRange) {
  ExpectFieldRejected({0, desc::kOrient, 2, 1, "layer 0: orientation: 2"});
}

TEST(ModelFileParseTest, VectorLengthOutOfRange) {
  ExpectFieldRejected({0, desc::kVectorLen, 0, 1, "layer 0: vector length: 0"});
  ExpectFieldRejected({0, desc::kVectorLen, 65, 1, "layer 0: vector length: 65"});
}

TEST(ModelFileParseTest, KOutOfRange) { ExpectFieldRejected({2, desc::kK, 6, 1, "layer 2: k: 6"}); }

TEST(ModelFileParseTest, KernelOutOfRange) {
  ExpectFieldRejected({1, desc::kKernelH, 16, 1, "layer 1: kernel height: 16"});
  ExpectFieldRejected({1, desc::kKernelH, 0, 1, "layer 1: kernel height: 0"});
  // The widest value the byte holds: rejected as out of range, not as a size mismatch.
  ExpectFieldRejected({1, desc::kKernelH, 255, 1, "layer 1: kernel height: 255"});
}

TEST(ModelFileParseTest, StrideOutOfRange) {
  ExpectFieldRejected({0, desc::kStride, 0, 1, "layer 0: stride: 0"});
  ExpectFieldRejected({0, desc::kStride, 16, 1, "layer 0: stride: 16"});
}

TEST(ModelFileParseTest, PadNotBelowKernel) {
  ExpectFieldRejected({0, desc::kPadTop, 3, 1, "layer 0: pad top: 3"});
}

TEST(ModelFileParseTest, ShiftOutOfRange) {
  // Layer 0: e_in = -7, e_α = -6, so e_out = -14 gives shift -1 and e_out = 19 gives 32.
  ExpectFieldRejected({0, desc::kOutExp, static_cast<uint8_t>(-14), 1, "layer 0: shift"});
  ExpectFieldRejected({0, desc::kOutExp, 19, 1, "layer 0: shift"});
}

TEST(ModelFileParseTest, PhiOutOfRange) {
  ExpectFieldRejected({0, desc::kPhi, 3, 1, "layer 0: phi: 3"});
  ExpectFieldRejected({1, desc::kPhi, 2, 1, "layer 1: phi: 2 with 2-bit codes"});
}

TEST(ModelFileParseTest, ShapeOutOfRange) {
  ExpectFieldRejected({1, desc::kInH, 0, 2, "layer 1: input height: 0"});
  ExpectFieldRejected({1, desc::kInC, 65535, 2, "layer 1: input channels: 65535"});
  ExpectFieldRejected({1, desc::kOutC, 0, 2, "layer 1: output channels: 0"});
  ExpectFieldRejected({1, desc::kOutC, 4097, 2, "layer 1: output channels: 4097"});
}

TEST(ModelFileParseTest, FullyConnectedLayerWithKernel) {
  ExpectFieldRejected({2, desc::kKernelH, 3, 1, "layer 2: kernel height"});
}

TEST(ModelFileParseTest, InconsistentShapes) {
  // Layer 1 claims a 7-row input; layer 0 produces 6 rows.
  ExpectFieldRejected({1, desc::kInH, 7, 2, "layer 1: input shape"});
  // Pooling in layer 1 shrinks its output; the FC layer 2 no longer matches the flattening.
  ExpectFieldRejected({1, desc::kFlags, 3, 1, "layer 2: input shape"});
}

TEST(ModelFileParseTest, SectionsOverlapEachOther) {
  Bytes b = ValidBytes();
  Put32(b, DescAt(0) + desc::kAlphaOffset, Get32(b, DescAt(0) + desc::kCodesOffset));
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("alpha offset"), HasSubstr("overlaps layer 0 codes")));
  b = ValidBytes();
  Put32(b, DescAt(2) + desc::kBiasOffset, Get32(b, DescAt(1) + desc::kAlphaOffset) + 8);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("overlaps"));
}

TEST(ModelFileParseTest, SectionOverlapsDescriptorTable) {
  Bytes b = ValidBytes();
  Put32(b, DescAt(1) + desc::kCodesOffset, 64);
  FixCrc(b);
  EXPECT_THAT(ParseError(b),
              AllOf(HasSubstr("layer 1: codes offset"), HasSubstr("descriptor table")));
}

TEST(ModelFileParseTest, SectionOutsideTheFile) {
  Bytes b = ValidBytes();
  Put32(b, DescAt(2) + desc::kBiasOffset, static_cast<uint32_t>(b.size()));
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 2: bias offset"), HasSubstr("past the end")));
}

TEST(ModelFileParseTest, SectionEndOverflowing32BitsIsOutsideTheFile) {
  // 0xFFFFFFF8 + 88 wraps to 0x50 in 32-bit arithmetic; the reader must not be fooled.
  Bytes b = ValidBytes();
  Put32(b, DescAt(0) + desc::kCodesOffset, 0xFFFFFFF8u);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 0: codes offset"), HasSubstr("past the end")));
}

TEST(ModelFileParseTest, SectionMisaligned) {
  Bytes b = ValidBytes();
  Put32(b, DescAt(0) + desc::kAlphaOffset, Get32(b, DescAt(0) + desc::kAlphaOffset) + 4);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 0: alpha offset"), HasSubstr("aligned")));
}

TEST(ModelFileParseTest, VectorCountDisagreesWithGeometry) {
  Bytes b = ValidBytes();
  Put32(b, DescAt(1) + desc::kVectors, 161);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("layer 1: vector count: 161, the geometry gives 162"));
}

TEST(ModelFileParseTest, SectionBytesDisagreeWithGeometry) {
  for (size_t field : {desc::kCodesBytes, desc::kAlphaBytes, desc::kBiasBytes}) {
    Bytes b = ValidBytes();
    Put32(b, DescAt(0) + field, Get32(b, DescAt(0) + field) + 8);
    FixCrc(b);
    const char* name = field == desc::kCodesBytes   ? "layer 0: codes bytes"
                       : field == desc::kAlphaBytes ? "layer 0: alpha bytes"
                                                    : "layer 0: bias bytes";
    EXPECT_THAT(ParseError(b), HasSubstr(name));
  }
}

TEST(ModelFileParseTest, OutC4096WithLyingSizesFailsFast) {
  // Only out_c changed: the counts no longer match.
  Bytes b = ValidBytes();
  Put16(b, DescAt(2) + desc::kOutC, 4096);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("layer 2: vector count"));
  // Counts made consistent with 4096 filters (~100 KB of sections) in a file of < 1 KB.
  Put32(b, DescAt(2) + desc::kVectors, 6 * 4096);
  Put32(b, DescAt(2) + desc::kCodesBytes, (96 * 4096 + 20) / 21 * 8);
  Put32(b, DescAt(2) + desc::kAlphaBytes, 6 * 4096);
  Put32(b, DescAt(2) + desc::kBiasBytes, 4 * 4096);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 2: codes offset"), HasSubstr("past the end")));
  // A header claiming a 4 GiB file.
  b = ValidBytes();
  Put32(b, hdr::kFileBytes, 0xFFFFFFFFu);
  EXPECT_THAT(ParseError(b), HasSubstr("file bytes: header says 4294967295"));
}

TEST(ModelFileParseTest, ReservedThreeBitCode) {
  Bytes b = ValidBytes();
  SetCode(b, 0, 25, 7);  // word 1, slot 4
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: layer 0: code 25: reserved code 0b111"));
}

TEST(ModelFileParseTest, ReservedTwoBitCode) {
  Bytes b = ValidBytes();
  SetCode(b, 1, 40, 3);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("test.qsa: layer 1: code 40: reserved code 0b11"));
}

TEST(ModelFileParseTest, CodeOutsideThePhiLevelSet) {
  Bytes b = ValidBytes();
  SetCode(b, 2, 3, EncodeBeta(4, 3));  // layer 2 has phi = 2
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 2: code 3: beta +4"), HasSubstr("phi=2")));
}

TEST(ModelFileParseTest, UnusedBit63OfAThreeBitWord) {
  Bytes b = ValidBytes();
  const size_t at = Get32(b, DescAt(0) + desc::kCodesOffset) + 8;  // word 1
  b[at + 7] |= 0x80;
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 0: codes: word 1"), HasSubstr("bit 63")));
}

TEST(ModelFileParseTest, NonzeroTrailingCodeBits) {
  // Layer 0 has 216 codes: the last of 11 words holds 6 codes (bits 0..17).
  Bytes b = ValidBytes();
  const size_t at = Get32(b, DescAt(0) + desc::kCodesOffset) + 80;
  b[at + 2] |= 0x04;  // bit 18
  FixCrc(b);
  EXPECT_THAT(ParseError(b),
              AllOf(HasSubstr("layer 0: codes: word 10"), HasSubstr("after the last code")));
  // Layer 1 (2-bit) has 432 codes: the last of 14 words holds 16 codes (bits 0..31).
  b = ValidBytes();
  b[Get32(b, DescAt(1) + desc::kCodesOffset) + 13 * 8 + 7] = 0x40;
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr("layer 1: codes: word 13"));
}

TEST(ModelFileParseTest, NonzeroReservedDescriptorByte) {
  ExpectFieldRejected({1, 60, 1, 1, "layer 1: reserved: descriptor byte 60"});
}

TEST(ModelFileParseTest, NonzeroReservedFlagBits) {
  ExpectFieldRejected({0, desc::kFlags, 0x83, 1, "layer 0: flags: 0x83"});
}

TEST(ModelFileParseTest, NonzeroPadding) {
  // Layer 1 has 162 α bytes, so 6 padding bytes precede its biases.
  Bytes b = ValidBytes();
  const size_t pad = Get32(b, DescAt(1) + desc::kAlphaOffset) + 162;
  ASSERT_LT(pad, Get32(b, DescAt(1) + desc::kBiasOffset));
  b[pad + 5] = 0x10;
  FixCrc(b);
  EXPECT_THAT(ParseError(b), HasSubstr(fmt::format("test.qsa: padding: byte 0x{:x}", pad + 5)));
}

TEST(ModelFileParseTest, AccumulatorOverflowBias) {
  Bytes b = ValidBytes();
  Put32(b, Get32(b, DescAt(2) + desc::kBiasOffset) + 4 * 3, 0x7FFFFFFFu);
  FixCrc(b);
  EXPECT_THAT(ParseError(b), AllOf(HasSubstr("layer 2: bias 3"), HasSubstr("overflow")));
}

TEST(ModelFileParseTest, AccumulatorOverflowFanIn) {
  // 3x3 kernel over 2048 channels: fan-in 18432 > 16383.
  ExpectFieldRejected({1, desc::kInC, 2048, 2, "layer 1: fan-in: 3x3x2048 = 18432"});
}

}  // namespace
}  // namespace qsa::cmodel
