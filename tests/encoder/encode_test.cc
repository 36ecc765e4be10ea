// Encoding a float network (spec §6): options, orientation, optimal vs paper, scales, biases.
#include "qsa/encoder/encode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"

namespace qsa::encoder {
namespace {

using cmodel::FloatLayer;
using cmodel::FloatModel;
using cmodel::LayerKind;

FloatModel SmallNet(unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.3f);
  FloatModel m;
  m.name = "small";
  m.input = {8, 8, 1};
  FloatLayer c;
  c.name = "conv";
  c.in = {8, 8, 1};
  c.out_c = 4;
  c.kernel_h = c.kernel_w = 3;
  c.pad_top = c.pad_left = c.pad_bottom = c.pad_right = 1;
  c.relu = true;
  c.pool = true;
  for (int i = 0; i < 36; ++i) c.weights.push_back(g(rng));
  for (int i = 0; i < 4; ++i) c.bias.push_back(g(rng) * 0.1f);
  FloatLayer f;
  f.name = "fc";
  f.kind = LayerKind::kFc;
  f.in = {1, 1, 64};
  f.out_c = 5;
  for (int i = 0; i < 320; ++i) f.weights.push_back(g(rng) * 0.3f);
  for (int i = 0; i < 5; ++i) f.bias.push_back(g(rng) * 0.1f);
  m.layers = {c, f};
  return m;
}

cmodel::Dataset Images(unsigned seed, int n) {
  std::mt19937 rng(seed);
  cmodel::Dataset d;
  d.name = "synthetic";
  d.count = n;
  d.height = d.width = 8;
  for (int i = 0; i < n * 64; ++i) d.images.push_back(static_cast<uint8_t>(rng() % 256));
  d.labels.assign(size_t(n), 0);
  return d;
}

TEST(Encode, ProducesAValidModelAndOptimalIsNeverWorse) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const FloatModel fm = SmallNet(seed);
    EncodeOptions paper_opts;
    paper_opts.mode = Mode::kPaper;
    EncodeOptions opt_opts;
    std::vector<LayerEncodeReport> paper, optimal;
    const cmodel::Model pm = Encode(fm, paper_opts, Images(seed, 16), &paper);
    const cmodel::Model om = Encode(fm, opt_opts, Images(seed, 16), &optimal);
    EXPECT_NO_THROW(pm.Validate());
    EXPECT_NO_THROW(om.Validate());
    for (size_t l = 0; l < fm.layers.size(); ++l) {
      EXPECT_DOUBLE_EQ(paper[l].l2_error, paper[l].l2_error_paper);
      EXPECT_LE(optimal[l].l2_error, paper[l].l2_error) << "seed " << seed << " layer " << l;
      EXPECT_LE(optimal[l].l2_error, optimal[l].l2_error_paper);
      EXPECT_LT(optimal[l].l2_error, 0.2 * optimal[l].weight_energy);
    }
  }
}

TEST(Encode, AutoOrientationUsesFilterVectorsForOneChannel) {
  const FloatModel fm = SmallNet(3);
  const cmodel::Model m = Encode(fm, EncodeOptions{}, Images(3, 4));
  EXPECT_EQ(m.layers[0].desc.orient, cmodel::Orientation::kFilter);   // C = 1 < 16
  EXPECT_EQ(m.layers[1].desc.orient, cmodel::Orientation::kChannel);  // C = 64
  EXPECT_EQ(m.layers[0].alphas.size(), 4u * 1u);  // 9 weights per filter -> one vector of 9
  EncodeOptions ch;
  ch.orient = OrientChoice::kChannel;
  const cmodel::Model mc = Encode(fm, ch, Images(3, 4));
  EXPECT_EQ(mc.layers[0].alphas.size(), 36u);  // N = 1 per (r, s)
}

TEST(Encode, PerLayerOverridesApply) {
  EncodeOptions o;
  o.per_layer.resize(2);
  o.per_layer[1].bits = 2;
  o.per_layer[1].phi = 1;
  o.per_layer[1].vector_len = 8;
  o.per_layer[0].k = 2;
  const cmodel::Model m = Encode(SmallNet(4), o, Images(4, 4));
  EXPECT_EQ(m.layers[0].desc.bits, 3);
  EXPECT_EQ(m.layers[0].desc.k, 2);
  EXPECT_EQ(m.layers[1].desc.bits, 2);
  EXPECT_EQ(m.layers[1].desc.vector_len, 8);
  for (uint8_t c : m.layers[1].codes) EXPECT_LT(c, 3);
}

TEST(Encode, OptionErrorsNameTheField) {
  auto expect_error = [](EncodeOptions o, const std::string& field) {
    try {
      o.Validate();
      FAIL() << "expected ConfigError for " << field;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  EncodeOptions o;
  o.bits = 4;
  expect_error(o, "bits");
  o = {};
  o.phi = 3;
  expect_error(o, "phi");
  o = {};
  o.bits = 2;  // phi stays 4
  expect_error(o, "phi");
  o = {};
  o.vector_len = 65;
  expect_error(o, "vector");
  o = {};
  o.k = 6;
  expect_error(o, "k must");
  o = {};
  o.per_layer.resize(3);
  o.per_layer[2].phi = 5;
  expect_error(o, "layer 2");
}

TEST(Encode, ScalesKeepShiftInRangeAndTrackTheFloatNetwork) {
  const FloatModel fm = SmallNet(6);
  const cmodel::Dataset calib = Images(6, 32);
  const cmodel::Model m = Encode(fm, EncodeOptions{}, calib);
  EXPECT_EQ(m.input_exp, -7);
  EXPECT_EQ(m.layers[0].desc.in_exp, -7);
  EXPECT_EQ(m.layers[1].desc.in_exp, m.layers[0].desc.out_exp);
  for (const auto& l : m.layers) {
    EXPECT_GE(l.desc.Shift(), 0);
    EXPECT_LE(l.desc.Shift(), 31);
  }
  // The int8 network follows the float network with deployed weights within a few LSBs.
  FloatModel deployed = fm;
  for (size_t l = 0; l < fm.layers.size(); ++l) deployed.layers[l].weights = DequantizeWeights(m.layers[l]);
  const cmodel::Engine engine(m);
  for (int i = 0; i < calib.count; ++i) {
    const std::vector<float> want = cmodel::RunFloat(deployed, calib.Image(i));
    const std::vector<int8_t> got = engine.Run(calib.Image(i)).output;
    const double lsb = std::ldexp(1.0, m.layers.back().desc.out_exp);
    for (size_t j = 0; j < want.size(); ++j) EXPECT_NEAR(got[j] * lsb, want[j], 6 * lsb) << i;
  }
}

TEST(Encode, RejectsMismatchedCalibrationImages) {
  cmodel::Dataset d = Images(1, 2);
  d.height = d.width = 4;
  d.images.resize(32);
  EXPECT_THROW(Encode(SmallNet(1), EncodeOptions{}, d), ConfigError);
}

TEST(Encode, PaperNearestUsesEq9AlphaAndIsNeverWorseThanPaper) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const FloatModel fm = SmallNet(seed);
    EncodeOptions paper_opts;
    paper_opts.mode = Mode::kPaper;
    EncodeOptions near_opts;
    near_opts.mode = Mode::kPaperNearest;
    std::vector<LayerEncodeReport> paper, near;
    const cmodel::Model pm = Encode(fm, paper_opts, Images(seed, 8), &paper);
    const cmodel::Model nm = Encode(fm, near_opts, Images(seed, 8), &near);
    for (size_t l = 0; l < fm.layers.size(); ++l) {
      EXPECT_EQ(pm.layers[l].alphas, nm.layers[l].alphas) << "same eq. 9 alpha";
      EXPECT_LE(near[l].l2_error, paper[l].l2_error + 1e-12);
    }
  }
}

// --freeze: a frozen layer keeps the earlier encoding's codes, alphas and vector settings even
// when the float weights differ (fine-tuned elsewhere); a geometry mismatch is refused.
TEST(Encode, FrozenLayersKeepTheirCodes) {
  const FloatModel fm = SmallNet(8);
  EncodeOptions first;
  first.mode = Mode::kPaper;
  first.vector_len = 4;
  const cmodel::Model earlier = Encode(fm, first, Images(8, 8));
  FloatModel tuned = fm;
  for (float& w : tuned.layers[0].weights) w *= 1.5f;  // would quantize differently
  for (float& w : tuned.layers[1].weights) w *= 0.5f;
  EncodeOptions o;
  o.frozen[0] = earlier.layers[0];
  const cmodel::Model m = Encode(tuned, o, Images(8, 8));
  EXPECT_EQ(m.layers[0].codes, earlier.layers[0].codes);
  EXPECT_EQ(m.layers[0].alphas, earlier.layers[0].alphas);
  EXPECT_EQ(m.layers[0].desc.vector_len, 4);
  EXPECT_EQ(m.layers[0].desc.alpha_exp, earlier.layers[0].desc.alpha_exp);
  EXPECT_NE(m.layers[1].alphas, earlier.layers[1].alphas) << "layer 1 was encoded anew";

  EncodeOptions wrong;
  wrong.frozen[1] = earlier.layers[0];  // layer 0's geometry in layer 1's place
  EXPECT_THROW(
      {
        try {
          Encode(tuned, wrong, Images(8, 8));
        } catch (const ConfigError& e) {
          EXPECT_NE(std::string(e.what()).find("frozen layer 1"), std::string::npos) << e.what();
          throw;
        }
      },
      ConfigError);
}

}  // namespace
}  // namespace qsa::encoder
