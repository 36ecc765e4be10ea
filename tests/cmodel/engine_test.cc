// The fast Engine against the spec-literal per-vector evaluation, and its statistics against
// brute-force counts.
#include "qsa/cmodel/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"
#include "random_model.h"

namespace qsa::cmodel {
namespace {

// One small layer computed by hand: 1x1 conv, one filter, two channels, vector of 2.
TEST(Engine, HandComputedLayer) {
  Model m;
  m.name = "hand";
  m.input = {1, 1, 2};
  m.input_exp = -7;
  Layer l;
  l.desc.in = {1, 1, 2};
  l.desc.out_c = 1;
  l.desc.vector_len = 2;
  l.desc.phi = 4;
  l.desc.alpha_exp = -6;
  l.desc.in_exp = -7;
  l.desc.out_exp = -10;  // shift = -10 + 7 + 6 = 3
  l.codes = {0b011, 0b101};  // +4, -2
  l.alphas = {11};           // Q_0 = 11
  l.biases = {5};
  m.layers.push_back(l);
  const Engine engine(m);
  // acc = 5 + 11 * (4*10 - 2*3) = 5 + 11*34 = 379; 379 / 8 = 47.375 -> 47
  EXPECT_EQ(engine.RunLayer(0, {10, 3})[0], 47);
  // k = 1: Q_1(11) = 16 -> acc = 5 + 16*34 = 549 -> 68.6 -> 69
  m.layers[0].desc.k = 1;
  EXPECT_EQ(Engine(m).RunLayer(0, {10, 3})[0], 69);
}

class EngineRandomLayer : public ::testing::TestWithParam<int> {};

TEST_P(EngineRandomLayer, MatchesLiteralAndCounts) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()));
  std::uniform_int_distribution<int> dim(1, 12);
  const bool fc = GetParam() % 4 == 3;
  const Shape in{dim(rng), dim(rng), std::uniform_int_distribution<int>(1, 40)(rng)};
  Model m;
  m.name = "random";
  m.input = in;
  m.layers.push_back(qsa::testing::RandomLayer(rng, in, fc));
  if (fc) m.input = {1, 1, static_cast<int>(in.Elements())};
  m.layers[0].desc.in_exp = m.input_exp;
  m.layers[0].desc.out_exp = m.input_exp + m.layers[0].desc.alpha_exp + 6;
  const Engine engine(m);
  const LayerDesc& d = m.layers[0].desc;
  const std::vector<int8_t> act = qsa::testing::RandomActs(rng, d.in.Elements());
  LayerStats stats;
  const std::vector<int8_t> fast = engine.RunLayer(0, act, &stats);
  const std::vector<int8_t> literal = RunLayerLiteral(m.layers[0], act);
  ASSERT_EQ(fast, literal);

  // Brute-force counters over the computed positions (spec §8: pooling's dropped odd row and
  // column are not computed).
  const int hc = d.pool ? d.ConvOutH() / 2 * 2 : d.ConvOutH();
  const int wc = d.pool ? d.ConvOutW() / 2 * 2 : d.ConvOutW();
  int64_t macs = 0, zero_code = 0, zero_act = 0;
  for (int y = 0; y < hc; ++y) {
    for (int x = 0; x < wc; ++x) {
      for (int o = 0; o < d.out_c; ++o) {
        for (int j = 0; j < d.FanIn(); ++j) {
          const int r = j / (d.kernel_w * d.in.c), s = (j / d.in.c) % d.kernel_w, c = j % d.in.c;
          const int iy = y * d.stride + r - d.pad_top, ix = x * d.stride + s - d.pad_left;
          const bool inside = iy >= 0 && iy < d.in.h && ix >= 0 && ix < d.in.w;
          const int a = inside ? act[(size_t(iy) * d.in.w + ix) * d.in.c + c] : 0;
          const bool zc = m.layers[0].codes[size_t(o) * d.FanIn() + j] == 0;
          ++macs;
          zero_code += zc;
          zero_act += !zc && a == 0;
        }
      }
    }
  }
  EXPECT_EQ(stats.macs, macs);
  EXPECT_EQ(stats.macs_zero_code, zero_code);
  EXPECT_EQ(stats.macs_zero_act, zero_act);
  EXPECT_EQ(stats.outputs, int64_t{hc} * wc * d.out_c);
  EXPECT_LE(stats.partial_products, stats.multiplies * kMaxK);
}

INSTANTIATE_TEST_SUITE_P(Seeds, EngineRandomLayer, ::testing::Range(1, 41));

TEST(Engine, WholeRandomModelMatchesLiteralChain) {
  for (unsigned seed = 100; seed < 110; ++seed) {
    std::mt19937 rng(seed);
    const Model m = qsa::testing::RandomModel(rng, {12, 12, 1}, 2, 2);
    const Engine engine(m);
    std::vector<uint8_t> pixels(144);
    for (auto& p : pixels) p = static_cast<uint8_t>(rng() & 0xff);
    const auto acts = engine.RunAll(pixels.data());
    std::vector<int8_t> cur = QuantizeImage(m, pixels.data());
    for (size_t l = 0; l < m.layers.size(); ++l) {
      cur = RunLayerLiteral(m.layers[l], cur);
      ASSERT_EQ(acts[l + 1], cur) << "seed " << seed << " layer " << l;
    }
    EXPECT_EQ(engine.Run(pixels.data()).output, cur);
  }
}

TEST(Engine, MaxPoolIsFloorMode) {
  Model m;
  m.name = "pool";
  m.input = {5, 5, 1};
  Layer l;
  l.desc.in = {5, 5, 1};
  l.desc.out_c = 1;
  l.desc.vector_len = 1;
  l.desc.pool = true;
  l.desc.in_exp = -7;
  l.desc.alpha_exp = 0;
  l.desc.out_exp = -7;
  l.codes = {1};  // +1
  l.alphas = {1};
  l.biases = {0};
  m.layers.push_back(l);
  std::vector<int8_t> in(25);
  for (int i = 0; i < 25; ++i) in[size_t(i)] = static_cast<int8_t>(i);
  const auto out = Engine(m).RunLayer(0, in);
  ASSERT_EQ(out.size(), 4u);  // 5x5 -> 2x2, last row and column dropped
  EXPECT_EQ(out[0], 6);
  EXPECT_EQ(out[1], 8);
  EXPECT_EQ(out[2], 16);
  EXPECT_EQ(out[3], 18);
}

TEST(Engine, RejectsWrongInputSize) {
  std::mt19937 rng(7);
  const Model m = qsa::testing::RandomModel(rng, {6, 6, 2}, 1, 0);
  const Engine engine(m);
  EXPECT_THROW(engine.RunLayer(0, std::vector<int8_t>(3)), ConfigError);
}

TEST(Engine, RunIsThreadSafeOnASharedEngine) {
  std::mt19937 rng(11);
  const Model m = qsa::testing::RandomModel(rng, {10, 10, 1}, 2, 1);
  const Engine engine(m);
  std::vector<uint8_t> pixels(100);
  for (auto& p : pixels) p = static_cast<uint8_t>(rng() & 0xff);
  const InferResult want = engine.Run(pixels.data());
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) bad += engine.Run(pixels.data()).output != want.output;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace qsa::cmodel
