#pragma once
/// @file The named arithmetic steps of docs/spec.md. Each has an RTL twin in qsa_pkg.

#include <array>
#include <cstddef>
#include <cstdint>

namespace qsa::cmodel {

inline constexpr int kAlphaBits = 8;          ///< α mantissa width (spec §2).
inline constexpr int kAlphaMax = 255;         ///< Largest α mantissa.
inline constexpr int kNafDigits = kAlphaBits + 1;  ///< NAF digit positions of an 8-bit value.
inline constexpr int kMaxK = 5;               ///< Largest meaningful quality knob k.
inline constexpr int kMaxVector = 64;         ///< Largest vector length N.
inline constexpr int kMaxFanIn = 16383;       ///< Largest R·S·C without accumulator overflow.

/// Sentinel returned by DecodeCode for a reserved code (3-bit 111, 2-bit 11).
inline constexpr int kReservedCode = 0x7fff;

/// β of a weight code (spec §1): 3-bit 000..110 -> 0,+1,+2,+4,-1,-2,-4; 2-bit 00..10 -> 0,+1,-1.
/// Returns kReservedCode for a reserved code. [decode_code]
constexpr int DecodeCode(unsigned code, int bits) {
  if (bits == 2) {
    constexpr std::array<int, 4> kTable = {0, 1, -1, kReservedCode};
    return kTable[code & 3u];
  }
  constexpr std::array<int, 8> kTable = {0, 1, 2, 4, -1, -2, -4, kReservedCode};
  return kTable[code & 7u];
}

/// The code of a β value (inverse of DecodeCode); β must be in the code set of `bits`.
constexpr unsigned EncodeBeta(int beta, int bits) {
  if (bits == 2) return beta == 0 ? 0u : (beta > 0 ? 1u : 2u);
  switch (beta) {
    case 1: return 1u;
    case 2: return 2u;
    case 4: return 3u;
    case -1: return 4u;
    case -2: return 5u;
    case -4: return 6u;
    default: return 0u;
  }
}

/// Non-adjacent form of a signed integer, least significant digit first; digits in {-1,0,1}.
/// Positions beyond the value's NAF are 0. [naf_digits]
struct Naf {
  std::array<int8_t, 34> digit{};
  int length = 0;  ///< Number of digit positions in use (index of top nonzero digit + 1).
};
constexpr Naf NafDigits(int64_t x) {
  Naf naf;
  int i = 0;
  while (x != 0) {
    int8_t d = 0;
    if (x & 1) {
      d = static_cast<int8_t>(2 - static_cast<int>(((x % 4) + 4) % 4));  // x mod 4 == 1 -> +1, 3 -> -1
      x -= d;
    }
    naf.digit[static_cast<std::size_t>(i)] = d;
    x /= 2;
    ++i;
  }
  naf.length = i;
  return naf;
}

/// Number of nonzero NAF digits of x.
constexpr int NafNonzeroCount(int64_t x) {
  const Naf naf = NafDigits(x);
  int n = 0;
  for (int i = 0; i < naf.length; ++i) n += naf.digit[static_cast<std::size_t>(i)] != 0;
  return n;
}

/// Q_k(x): keeps the k most significant nonzero NAF digits of x; k = 0 keeps all. [naf_topk]
constexpr int64_t NafTopK(int64_t x, int k) {
  if (k <= 0) return x;
  const Naf naf = NafDigits(x);
  int64_t value = 0;
  int kept = 0;
  for (int i = naf.length - 1; i >= 0 && kept < k; --i) {
    const int d = naf.digit[static_cast<std::size_t>(i)];
    if (d != 0) {
      value += static_cast<int64_t>(d) * (int64_t{1} << i);
      ++kept;
    }
  }
  return value;
}

/// Digits Q_k keeps: min(k, nnz) for k > 0, nnz for k = 0 (partial products of one multiply).
constexpr int NafKeptDigits(int64_t x, int k) {
  const int nnz = NafNonzeroCount(x);
  return (k <= 0 || k > nnz) ? nnz : k;
}

/// Saturate to int8. [sat8]
constexpr int8_t Saturate8(int64_t x) {
  return static_cast<int8_t>(x > 127 ? 127 : (x < -128 ? -128 : x));
}

/// Arithmetic right shift by `shift` in [0, 31] rounding half up, then saturate to int8.
/// [requantize]
constexpr int8_t Requantize(int32_t acc, int shift) {
  const int64_t wide = acc;
  const int64_t rounded = shift > 0 ? (wide + (int64_t{1} << (shift - 1))) >> shift : wide;
  return Saturate8(rounded);
}

/// ReLU on an int8 value. [relu]
constexpr int8_t Relu(int8_t q) { return q > 0 ? q : int8_t{0}; }

/// Quantizes an 8-bit pixel p (real value p/255) to int8 with exponent e_in in [-7, 0]:
/// min(127, floor((2·p·2^-e_in + 255) / 510)). [quantize_input]
constexpr int8_t QuantizeInput(uint8_t pixel, int e_in) {
  const int64_t num = 2 * static_cast<int64_t>(pixel) * (int64_t{1} << (-e_in)) + 255;
  const int64_t q = num / 510;
  return static_cast<int8_t>(q > 127 ? 127 : q);
}

}  // namespace qsa::cmodel
