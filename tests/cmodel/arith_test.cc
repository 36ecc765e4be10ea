// Exhaustive tests of the named arithmetic steps of docs/spec.md §1-§4.
#include "qsa/cmodel/arith.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace qsa::cmodel {
namespace {

TEST(DecodeCode, ThreeBitTableMatchesSpec) {
  const int expected[8] = {0, 1, 2, 4, -1, -2, -4, kReservedCode};
  for (unsigned code = 0; code < 8; ++code) EXPECT_EQ(DecodeCode(code, 3), expected[code]) << code;
}

TEST(DecodeCode, TwoBitTableMatchesSpec) {
  const int expected[4] = {0, 1, -1, kReservedCode};
  for (unsigned code = 0; code < 4; ++code) EXPECT_EQ(DecodeCode(code, 2), expected[code]) << code;
}

TEST(DecodeCode, EncodeBetaIsItsInverse) {
  for (int bits : {2, 3}) {
    for (unsigned code = 0; code < (1u << bits); ++code) {
      const int beta = DecodeCode(code, bits);
      if (beta == kReservedCode) continue;
      EXPECT_EQ(EncodeBeta(beta, bits), code) << "bits " << bits << " beta " << beta;
    }
  }
}

// NAF over all 16-bit values (signed and unsigned range): value, non-adjacency, minimality
// of the nonzero count, and uniqueness (checked against an independent construction).
TEST(Naf, ValueNonAdjacencyAndUniquenessOver16Bits) {
  for (int64_t x = -65536; x <= 65535; ++x) {
    const Naf naf = NafDigits(x);
    int64_t value = 0;
    for (int i = 0; i < naf.length; ++i) {
      const int d = naf.digit[size_t(i)];
      ASSERT_TRUE(d >= -1 && d <= 1);
      value += d * (int64_t{1} << i);
      if (i + 1 < naf.length) {
        ASSERT_EQ(d * naf.digit[size_t(i + 1)], 0) << "adjacent at " << x;
      }
    }
    ASSERT_EQ(value, x);
    if (naf.length > 0) {
      ASSERT_NE(naf.digit[size_t(naf.length - 1)], 0);
    }
    // Uniqueness: the NAF is the unique non-adjacent signed-digit form; an independent
    // construction (Reitwiesner via x ^ 3x) must produce the same digits.
    const int64_t ax = x < 0 ? -x : x;
    const int64_t plus = (3 * ax) & ~ax;   // positions of +1 digits of NAF(|x|), shifted
    const int64_t minus = ax & ~(3 * ax);  // positions of -1 digits, shifted
    for (int i = 0; i < 34; ++i) {
      const int want = static_cast<int>(((plus >> (i + 1)) & 1) - ((minus >> (i + 1)) & 1));
      ASSERT_EQ(naf.digit[size_t(i)], x < 0 ? -want : want) << "x=" << x << " digit " << i;
    }
  }
}

TEST(Naf, NonzeroCountIsMinimalAtMostFiveFor8Bits) {
  int worst = 0;
  for (int m = 0; m <= 255; ++m) worst = std::max(worst, NafNonzeroCount(m));
  EXPECT_EQ(worst, 5);
  EXPECT_EQ(NafNonzeroCount(255), 2);  // 256 - 1
  EXPECT_EQ(NafDigits(7).length, 4);   // 8 - 1
}

TEST(NafTopK, ExactWhenKCoversAllDigits) {
  for (int m = 0; m <= 255; ++m) {
    EXPECT_EQ(NafTopK(m, 0), m);
    for (int k = NafNonzeroCount(m); k <= 7; ++k) EXPECT_EQ(NafTopK(m, k), m) << m << " k " << k;
  }
}

TEST(NafTopK, ErrorBoundAndRange) {
  for (int m = 0; m <= 255; ++m) {
    for (int k = 1; k <= kMaxK; ++k) {
      const int64_t q = NafTopK(m, k);
      ASSERT_GE(q, 0);
      ASSERT_LE(q, 256);
      // Position of the k-th kept digit (or 0 if fewer digits): |m - Q_k(m)| <= 2^q / 3.
      const Naf naf = NafDigits(m);
      int kept = 0;
      int pos = 0;
      for (int i = naf.length - 1; i >= 0 && kept < k; --i) {
        if (naf.digit[size_t(i)] != 0) {
          ++kept;
          pos = i;
        }
      }
      ASSERT_LE(3 * std::llabs(m - q), int64_t{1} << pos) << "m=" << m << " k=" << k;
      ASSERT_EQ(NafNonzeroCount(q), std::min(k, NafNonzeroCount(m)));
      ASSERT_EQ(NafKeptDigits(m, k), std::min(k, NafNonzeroCount(m)));
    }
  }
  EXPECT_EQ(NafTopK(255, 1), 256);
}

TEST(NafTopK, KnownValues) {
  // 11 = 16 - 4 - 1 in NAF (digits 1,0,-1,0,-1).
  EXPECT_EQ(NafTopK(11, 1), 16);
  EXPECT_EQ(NafTopK(11, 2), 12);
  EXPECT_EQ(NafTopK(11, 3), 11);
  EXPECT_EQ(NafTopK(100, 1), 128);  // 100 = 128 - 32 + 4
  EXPECT_EQ(NafTopK(100, 2), 96);
}

// The commutation that allows one multiply per vector: Q_k(beta * m) == beta * Q_k(m) for every
// 8-bit mantissa, every beta of the code set and every k (spec §3).
TEST(NafTopK, ShiftAndSignCommuteWithTruncationExhaustively) {
  for (int m = 0; m <= 255; ++m) {
    for (int beta : {0, 1, 2, 4, -1, -2, -4}) {
      for (int k = 0; k <= 7; ++k) {
        ASSERT_EQ(NafTopK(int64_t{beta} * m, k), beta * NafTopK(m, k))
            << "m=" << m << " beta=" << beta << " k=" << k;
      }
    }
  }
}

TEST(Requantize, RoundHalfUpAndSaturate) {
  EXPECT_EQ(Requantize(5, 1), 3);     // 2.5 -> 3
  EXPECT_EQ(Requantize(-5, 1), -2);   // -2.5 -> -2 (half up)
  EXPECT_EQ(Requantize(-6, 1), -3);
  EXPECT_EQ(Requantize(7, 0), 7);
  EXPECT_EQ(Requantize(1000, 2), 127);
  EXPECT_EQ(Requantize(-1000, 2), -128);
  EXPECT_EQ(Requantize(INT32_MAX, 31), 1);
  EXPECT_EQ(Requantize(INT32_MIN, 31), -1);
  EXPECT_EQ(Requantize(INT32_MAX, 0), 127);
  for (int32_t acc = -70000; acc <= 70000; acc += 7) {
    for (int s = 0; s <= 10; ++s) {
      const double exact = acc / double(1 << s);
      const int64_t want = std::clamp<int64_t>(static_cast<int64_t>(std::floor(exact + 0.5)), -128, 127);
      ASSERT_EQ(Requantize(acc, s), want) << acc << " >> " << s;
    }
  }
}

TEST(Relu, ClampsNegatives) {
  for (int q = -128; q <= 127; ++q) EXPECT_EQ(Relu(int8_t(q)), q < 0 ? 0 : q);
}

TEST(QuantizeInput, RoundsPixelOver255) {
  for (int e = -7; e <= 0; ++e) {
    for (int p = 0; p <= 255; ++p) {
      const double exact = p / 255.0 / std::ldexp(1.0, e);
      const int want = std::min(127, static_cast<int>(std::floor(exact + 0.5)));
      ASSERT_EQ(QuantizeInput(uint8_t(p), e), want) << p << " e " << e;
    }
  }
  EXPECT_EQ(QuantizeInput(255, -7), 127);
  EXPECT_EQ(QuantizeInput(0, -7), 0);
}

}  // namespace
}  // namespace qsa::cmodel
