// Error metrics of the quality-scalable α multiply, exhaustively over every operand pair
// (issue 6, docs/synthesis.md): p = x · Q_k(α) against the exact x · α, for x every 17-bit signed
// vector sum S_v (the qsa_qs_mult XWidth) and α every 8-bit mantissa, one set per k = 0..5.
//
// EvoApproxLib definitions (Mrazek et al., DATE 2017), e = exact − approximate:
//   MAE = mean |e|, WCE = max |e|, MRE = mean |e| / max(1, |exact|), EP = P(e ≠ 0),
// and MAE, WCE also as a percentage of the output range 2^(XWidth+8).
// Q_k is qsa::cmodel::NafTopK, the function the RTL's qsa_pkg::naf_topk is checked against.
// Prints one JSON object to stdout.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "qsa/cmodel/arith.h"

int main() {
  constexpr int kXWidth = 17;
  constexpr int64_t kXMin = -(int64_t{1} << (kXWidth - 1));
  constexpr int64_t kXMax = (int64_t{1} << (kXWidth - 1)) - 1;
  const double pairs = static_cast<double>(kXMax - kXMin + 1) * (qsa::cmodel::kAlphaMax + 1);
  const double range = std::ldexp(1.0, kXWidth + qsa::cmodel::kAlphaBits);
  std::printf("{\"x_width\": %d, \"alpha_bits\": %d, \"pairs\": %.0f, \"k\": [\n", kXWidth,
              qsa::cmodel::kAlphaBits, pairs);
  for (int k = 0; k <= qsa::cmodel::kMaxK; ++k) {
    double sum_abs = 0.0;
    double sum_rel = 0.0;
    int64_t wce = 0;
    int64_t wrong = 0;
    double alpha_rel = 0.0;  // mean |α − Q_k(α)| / max(1, α) over α alone
    double mean_pp = 0.0;    // mean partial products (NafKeptDigits) over α
    for (int64_t alpha = 0; alpha <= qsa::cmodel::kAlphaMax; ++alpha) {
      const int64_t q = qsa::cmodel::NafTopK(alpha, k);
      alpha_rel +=
          static_cast<double>(std::llabs(alpha - q)) / static_cast<double>(alpha > 1 ? alpha : 1);
      mean_pp += qsa::cmodel::NafKeptDigits(alpha, k);
      for (int64_t x = kXMin; x <= kXMax; ++x) {
        const int64_t exact = x * alpha;
        const int64_t err = std::llabs(exact - x * q);
        const int64_t mag = std::llabs(exact);
        sum_abs += static_cast<double>(err);
        sum_rel += static_cast<double>(err) / static_cast<double>(mag > 1 ? mag : 1);
        wce = err > wce ? err : wce;
        wrong += err != 0;
      }
    }
    const double alphas = qsa::cmodel::kAlphaMax + 1;
    std::printf(
        "  {\"k\": %d, \"mae\": %.6f, \"mae_pct\": %.8f, \"wce\": %lld, \"wce_pct\": %.6f, "
        "\"mre_pct\": %.6f, \"ep_pct\": %.6f, \"alpha_mre_pct\": %.6f, \"mean_pp\": %.6f}%s\n",
        k, sum_abs / pairs, 100.0 * sum_abs / pairs / range, static_cast<long long>(wce),
        100.0 * static_cast<double>(wce) / range, 100.0 * sum_rel / pairs,
        100.0 * static_cast<double>(wrong) / pairs, 100.0 * alpha_rel / alphas, mean_pp / alphas,
        k < qsa::cmodel::kMaxK ? "," : "");
  }
  std::printf("]}\n");
  return 0;
}
