#pragma once
/// @file A small seeded random generator (SplitMix64) whose sequence is the same on every platform
/// and standard library, for reproducible stalls and test stimuli.

#include <cstdint>

namespace qsa::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) : state_(seed) {}
  void Seed(uint64_t seed) { state_ = seed; }

  /// Next 64 random bits.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) (n > 0; the modulo bias is negligible for small n).
  uint64_t Below(uint64_t n) { return Next() % n; }
  /// Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  /// True with probability p (p <= 0: never; p >= 1: always).
  bool Chance(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  uint64_t state_;
};

}  // namespace qsa::sim
