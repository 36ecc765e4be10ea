// Energy presets, model-size accounting, data-set reading and the float path.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include "qsa/cmodel/accounting.h"
#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/energy.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/float_model.h"
#include "random_model.h"

namespace qsa::cmodel {
namespace {

TEST(Energy, PresetsFromTheDataFile) {
  EXPECT_EQ(DefaultEnergyPreset(), "horowitz45");
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").dram_pj_per_32bit, 640.0);
  EXPECT_DOUBLE_EQ(EnergyPreset("paper").dram_pj_per_32bit, 6400.0);
  EXPECT_DOUBLE_EQ(EnergyPreset("lpddr4").dram_pj_per_32bit, 8.0 * 32);
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").mult8_pj, 0.2);
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").mult32_pj, 3.1);
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").add8_pj, 0.03);
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").add32_pj, 0.1);
  EXPECT_DOUBLE_EQ(EnergyPreset("horowitz45").sram_pj_per_64bit, 20.0);
  EXPECT_EQ(EnergyPresetNames().size(), 3u);
  try {
    EnergyPreset("nope");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("horowitz45"), std::string::npos);
  }
}

TEST(Energy, DramEnergyIsBytesTimesPresetRate) {
  LayerStats s;
  s.dram[static_cast<size_t>(DramClass::kCodes)] = 400;
  s.dram[static_cast<size_t>(DramClass::kActOut)] = 400;
  EXPECT_DOUBLE_EQ(LayerEnergy(s, EnergyPreset("paper")).dram_pj, 200 * 6400.0);
  EXPECT_DOUBLE_EQ(LayerEnergy(s, EnergyPreset("horowitz45")).dram_pj, 200 * 640.0);
}

TEST(Accounting, BitsByEquationsAndDeployed) {
  Layer l;
  l.desc.in = {4, 4, 8};
  l.desc.out_c = 2;
  l.desc.kernel_h = l.desc.kernel_w = 3;
  l.desc.vector_len = 4;
  l.desc.bits = 3;
  const int64_t p = 3 * 3 * 8 * 2;  // 144 weights, 36 vectors (channel-wise, 2 per (r,s))
  l.codes.assign(size_t(p), 0);
  l.codes[0] = 1;
  l.alphas.assign(36, 1);
  l.biases.assign(2, 0);
  const ModelBits b = LayerBits(l);
  EXPECT_EQ(b.weights, p);
  EXPECT_EQ(b.vectors, 36);
  EXPECT_EQ(b.zero_codes, p - 1);
  EXPECT_EQ(b.fp32_bits, 32 * (p + 2));
  EXPECT_EQ(b.eq11_bits, 32 * p);
  EXPECT_EQ(b.eq12_bits, 3 * p + 32 * 3 * 3 * 8);
  EXPECT_EQ(b.eq12_vector_bits, 3 * p + 32 * 36);
  // 144 codes -> 7 words of 21 -> 56 bytes; 36 alpha bytes; 8 bias bytes.
  EXPECT_EQ(b.deployed_bits, 8 * (56 + 36 + 8));
  EXPECT_NEAR(b.Compression(), 1.0 - 800.0 / (32.0 * 146), 1e-12);
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name;
}

void WriteBytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()),
                                             static_cast<std::streamsize>(b.size()));
}

TEST(Dataset, ReadsIdxAndRejectsBadFiles) {
  std::vector<uint8_t> img = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
  for (int i = 0; i < 8; ++i) img.push_back(uint8_t(i));
  std::vector<uint8_t> lab = {0, 0, 8, 1, 0, 0, 0, 2, 3, 9};
  WriteBytes(TempPath("i.idx"), img);
  WriteBytes(TempPath("l.idx"), lab);
  const Dataset d = ReadIdx(TempPath("i.idx"), TempPath("l.idx"), "t");
  EXPECT_EQ(d.count, 2);
  EXPECT_EQ(d.Image(1)[3], 7);
  EXPECT_EQ(d.labels[1], 9);
  EXPECT_EQ(d.Head(1).count, 1);

  std::vector<uint8_t> short_img(img.begin(), img.end() - 1);
  WriteBytes(TempPath("s.idx"), short_img);
  EXPECT_THROW(ReadIdx(TempPath("s.idx"), TempPath("l.idx"), "t"), FormatError);
  std::vector<uint8_t> bad_lab = lab;
  bad_lab.back() = 12;
  WriteBytes(TempPath("bl.idx"), bad_lab);
  EXPECT_THROW(ReadIdx(TempPath("i.idx"), TempPath("bl.idx"), "t"), FormatError);
  EXPECT_THROW(ReadIdx(TempPath("missing"), TempPath("l.idx"), "t"), FormatError);
  EXPECT_THROW(LoadDataset("cifar:test"), ConfigError);
  EXPECT_THROW(LoadDataset("mnist"), ConfigError);
}

// A float model of one 3x3 convolution, 4x4x1 -> 2x2x2.
FloatModel OneConv() {
  FloatModel m;
  m.name = "f";
  m.input = {4, 4, 1};
  FloatLayer l;
  l.name = "c";
  l.in = {4, 4, 1};
  l.out_c = 2;
  l.kernel_h = l.kernel_w = 3;
  l.weights.assign(18, 0.5f);
  l.bias.assign(2, 0.0f);
  m.layers.push_back(l);
  return m;
}

TEST(FloatModel, ValidateRejectsBrokenChains) {
  FloatModel m = OneConv();
  EXPECT_NO_THROW(m.Validate());
  FloatLayer fc;
  fc.name = "fc";
  fc.kind = LayerKind::kFc;
  fc.in = {1, 1, 8};
  fc.out_c = 3;
  fc.weights.assign(24, 0.1f);
  fc.bias.assign(3, 0.0f);
  m.layers.push_back(fc);
  EXPECT_NO_THROW(m.Validate());
  m.layers[1].in = {1, 1, 9};
  EXPECT_THROW(m.Validate(), FormatError);
  m.layers[1].in = {1, 1, 8};
  m.layers[1].weights.pop_back();
  EXPECT_THROW(m.Validate(), FormatError);
}

TEST(FloatModel, ValidateRejectsNonFiniteParameters) {
  FloatModel m = OneConv();
  EXPECT_NO_THROW(m.Validate("m.onnx"));
  const auto message = [&] {
    try {
      m.Validate("m.onnx");
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  m.layers[0].weights[7] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(message(),
            "m.onnx: layer 0 (c): weights: value 7 is nan; every weight and bias must be finite");
  m.layers[0].weights[7] = 0.5f;
  m.layers[0].bias[1] = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(message(),
            "m.onnx: layer 0 (c): bias: value 1 is -inf; every weight and bias must be finite");
}

TEST(FloatModel, ConvAndPoolByHand) {
  FloatLayer l;
  l.in = {2, 2, 1};
  l.out_c = 1;
  l.kernel_h = l.kernel_w = 1;
  l.weights = {2.0f};
  l.bias = {-1.0f};
  l.relu = true;
  l.pool = true;
  const std::vector<float> out = RunFloatLayer(l, {0.25f, 1.0f, 3.0f, -2.0f});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FLOAT_EQ(out[0], 5.0f);
}

}  // namespace
}  // namespace qsa::cmodel
