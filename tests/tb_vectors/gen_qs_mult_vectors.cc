// Writes the expected results of testbench/qsa_qs_mult_tb.sv from the reference model.
//
//   gen_qs_mult_vectors OUT.hex [--xwidth 8|17]
//
// One line per check, all fields hex: "<x> <alpha> <k> <product> <pp_count>", x and product as
// 32-bit two's complement, product = x * NafTopK(alpha, k), pp_count = NafKeptDigits(alpha, k).
// Every alpha in 0..255 and every k in 0..7 (the 3-bit field; 6 and 7 must act as 0) is crossed
// with the x values of the width:
//   --xwidth 8  (default): every x in [-128, 127], exhaustive (524288 lines).
//   --xwidth 17: the extremes and carry boundaries of a 17-bit signed x crossed with every
//     alpha and k, then 20000 pseudo-random x (fixed seed), each with a pseudo-random alpha
//     and every k (194816 lines). The alpha/k recoding is exhaustive in the 8-bit set; this
//     set covers the width of the rows and of their sum.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "qsa/cmodel/arith.h"

namespace {

constexpr int kKValues = 8;  // the whole 3-bit k field
constexpr int kRandomX = 20000;
constexpr std::uint32_t kSeed = 20240517u;

void WriteLine(std::FILE* out, std::int64_t x, int alpha, int k) {
  const std::int64_t product = x * qsa::cmodel::NafTopK(alpha, k);
  const int pp_count = qsa::cmodel::NafKeptDigits(alpha, k);
  std::fprintf(out, "%08x %02x %x %08x %x\n", static_cast<std::uint32_t>(x), alpha, k,
               static_cast<std::uint32_t>(product), pp_count);
}

// Lines are grouped by alpha, then k, with x innermost: consecutive checks then change only the
// multiplicand, which keeps the event-driven simulators fast.
void WriteCross(std::FILE* out, const std::vector<std::int64_t>& xs) {
  for (int alpha = 0; alpha <= qsa::cmodel::kAlphaMax; ++alpha) {
    for (int k = 0; k < kKValues; ++k) {
      for (const std::int64_t x : xs) WriteLine(out, x, alpha, k);
    }
  }
}

int Usage() {
  std::fprintf(stderr, "usage: gen_qs_mult_vectors OUT.hex [--xwidth 8|17]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return Usage();
  const std::string path = argv[1];
  int xwidth = 8;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--xwidth") == 0 && i + 1 < argc) {
      xwidth = std::atoi(argv[++i]);
    } else {
      return Usage();
    }
  }
  if (xwidth != 8 && xwidth != 17) return Usage();

  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "gen_qs_mult_vectors: cannot write %s\n", path.c_str());
    return 1;
  }

  if (xwidth == 8) {
    std::vector<std::int64_t> xs;
    for (std::int64_t x = -128; x <= 127; ++x) xs.push_back(x);
    WriteCross(out, xs);
  } else {
    const std::int64_t lo = -(std::int64_t{1} << 16);  // -2^16
    const std::int64_t hi = (std::int64_t{1} << 16) - 1;
    WriteCross(out, {lo, lo + 1, lo + 2, -32769, -32768, -256, -129, -128, -1, 0, 1, 127, 128,
                     32767, 32768, hi - 1, hi});
    // Random (x, alpha) pairs from raw mt19937 words (the engine's sequence is fixed by the
    // standard, distributions are not), bucketed by alpha, each pair with every k.
    std::mt19937 rng(kSeed);
    std::vector<std::vector<std::int64_t>> xs_of_alpha(qsa::cmodel::kAlphaMax + 1);
    for (int n = 0; n < kRandomX; ++n) {
      const std::int64_t x = lo + static_cast<std::int64_t>(rng() % (1u << 17));
      const auto alpha = static_cast<std::size_t>(rng() % 256u);
      xs_of_alpha[alpha].push_back(x);
    }
    for (int alpha = 0; alpha <= qsa::cmodel::kAlphaMax; ++alpha) {
      for (int k = 0; k < kKValues; ++k) {
        for (const std::int64_t x : xs_of_alpha[static_cast<std::size_t>(alpha)]) {
          WriteLine(out, x, alpha, k);
        }
      }
    }
  }

  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "gen_qs_mult_vectors: error writing %s\n", path.c_str());
    return 1;
  }
  return 0;
}
