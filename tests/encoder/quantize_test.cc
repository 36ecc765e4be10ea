// Paper-mode formulas (eq. 9, 10) and optimal mode (spec §6).
#include "qsa/encoder/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace qsa::encoder {
namespace {

// Eq. 10 (corrected) for one weight, written independently of the implementation.
int Eq10(double w, double alpha_unused, double sp, double sn, double gamma, double delta, int phi) {
  (void)alpha_unused;
  const double x = std::fabs(w);
  if (x <= gamma) return 0;
  const double sigma = w > 0 ? sp : sn;
  int level = 1;
  if (phi >= 2 && x > sigma) level = 2;
  if (phi == 4 && x > delta * sigma) level = 4;
  return w > 0 ? level : -level;
}

TEST(PaperMode, HandComputedAlphaAndSigmas) {
  const std::vector<float> w = {0.9f, -0.3f, 0.1f, -0.05f, 0.5f, -0.7f};
  const VectorCode c = QuantizePaper(w, 4);
  double sum_abs = 0;
  for (float x : w) sum_abs += std::fabs(double{x});
  EXPECT_NEAR(c.alpha, sum_abs / (4.0 * 6.0), 1e-12);  // eq. 9: 2.55 / 24
  EXPECT_NEAR(c.alpha, 0.10625, 1e-7);
  EXPECT_NEAR(c.sigma_p, std::sqrt(0.32 / 3.0), 1e-6);           // {0.9, 0.1, 0.5}
  EXPECT_NEAR(c.sigma_n, std::sqrt((0.0025 + 0.09 + 0.1225) / 3.0), 1e-6);  // {0.3, 0.05, 0.7}
  for (size_t j = 0; j < w.size(); ++j) {
    EXPECT_EQ(c.beta[j], Eq10(w[j], c.alpha, c.sigma_p, c.sigma_n, c.gamma, c.delta, 4)) << j;
  }
}

TEST(PaperMode, PhiTwoAndOneUseOnlyTheirLevels) {
  const std::vector<float> w = {0.9f, -0.3f, 0.1f, -0.05f, 0.5f, -0.7f, 2.0f, -2.0f};
  const VectorCode two = QuantizePaper(w, 2);
  EXPECT_NEAR(two.alpha, 6.55 / 16.0, 1e-6);
  for (int b : two.beta) EXPECT_LE(std::abs(b), 2);
  const VectorCode one = QuantizePaper(w, 1);
  EXPECT_NEAR(one.alpha, 6.55 / 8.0, 1e-6);
  for (int b : one.beta) EXPECT_LE(std::abs(b), 1);
}

// The (γ, δ) search is exhaustive: no grid point gives a smaller error.
TEST(PaperMode, SearchIsExhaustiveOverTheGrid) {
  std::mt19937 rng(5);
  std::normal_distribution<float> g(0.0f, 0.2f);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> w(static_cast<size_t>(1 + trial % 40));
    for (auto& x : w) x = g(rng);
    for (int phi : {1, 2, 4}) {
      const VectorCode c = QuantizePaper(w, phi);
      const double got = SquaredError(w, c.beta, c.alpha);
      double max_abs = 0;
      for (float x : w) max_abs = std::max(max_abs, std::fabs(double{x}));
      for (int td = 0; td < 49; ++td) {
        for (int tg = 0; tg < 64; ++tg) {
          std::vector<int> beta;
          for (float x : w) {
            beta.push_back(Eq10(x, c.alpha, c.sigma_p, c.sigma_n, tg / 64.0 * max_abs,
                                1 + td / 16.0, phi));
          }
          ASSERT_LE(got, SquaredError(w, beta, c.alpha) + 1e-12) << "trial " << trial;
        }
      }
    }
  }
}

TEST(PaperMode, AllZeroVector) {
  const std::vector<float> w(5, 0.0f);
  const VectorCode c = QuantizePaper(w, 4);
  EXPECT_EQ(c.alpha, 0.0);
  for (int b : c.beta) EXPECT_EQ(b, 0);
}

TEST(OptimalMode, NeverWorseThanPaperMode) {
  std::mt19937 rng(9);
  std::normal_distribution<float> g(0.0f, 0.1f);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> w(static_cast<size_t>(1 + trial % 64));
    for (auto& x : w) x = g(rng) * (trial % 3 == 0 ? 10.0f : 1.0f);
    for (int phi : {1, 2, 4}) {
      const VectorCode p = QuantizePaper(w, phi);
      const VectorCode o = QuantizeOptimal(w, phi);
      ASSERT_LE(SquaredError(w, o.beta, o.alpha), SquaredError(w, p.beta, p.alpha) + 1e-15);
      for (int b : o.beta) ASSERT_TRUE(b == 0 || std::abs(b) == 1 || std::abs(b) == 2 || std::abs(b) == 4);
      for (int b : o.beta) {
        ASSERT_LE(std::abs(b), phi);
      }
    }
  }
}

TEST(NearestLevels, PicksClosestAndBreaksTiesLow) {
  const std::vector<float> w = {0.0f, 0.5f, 0.75f, 1.5f, 3.0f, 100.0f, -3.0f, -0.6f};
  const std::vector<int> b = NearestLevels(w, 1.0, 4);
  EXPECT_EQ(b, (std::vector<int>{0, 0, 1, 1, 2, 4, -2, -1}));
  EXPECT_EQ(NearestLevels(w, 1.0, 2), (std::vector<int>{0, 0, 1, 1, 2, 2, -2, -1}));
  EXPECT_EQ(NearestLevels(w, 0.0, 4), std::vector<int>(8, 0));
}

}  // namespace
}  // namespace qsa::encoder
