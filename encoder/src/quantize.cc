#include "qsa/encoder/quantize.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qsa::encoder {

namespace {

// Population standard deviation of the values, 0 for fewer than two.
double StdDev(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double sq = 0.0;
  for (double x : v) sq += (x - mean) * (x - mean);
  return std::sqrt(sq / static_cast<double>(v.size()));
}

// Magnitude of the nonzero level eq. 10 gives to x = |w| > γ, for the vector's σ of w's sign.
int NonzeroLevel(double x, double sigma, double delta, int phi) {
  if (phi == 4 && x > delta * sigma) return 4;
  if (phi >= 2 && x > sigma) return 2;
  return 1;
}

constexpr int kGammaSteps = 64;
constexpr int kDeltaSteps = 49;

}  // namespace

std::vector<int> Levels(int phi) {
  if (phi == 1) return {1};
  if (phi == 2) return {1, 2};
  return {1, 2, 4};
}

double SquaredError(std::span<const float> w, const std::vector<int>& beta, double alpha) {
  double e = 0.0;
  for (size_t j = 0; j < w.size(); ++j) {
    const double d = double{w[j]} - alpha * beta[j];
    e += d * d;
  }
  return e;
}

std::vector<int> NearestLevels(std::span<const float> w, double alpha, int phi) {
  std::vector<int> beta(w.size(), 0);
  if (alpha <= 0.0) return beta;
  const std::vector<int> levels = Levels(phi);
  for (size_t j = 0; j < w.size(); ++j) {
    const double x = std::fabs(double{w[j]});
    int best = 0;
    double best_err = x * x;
    for (int l : levels) {  // ascending magnitude: strict < keeps ties at the smaller |b|
      const double d = x - alpha * l;
      if (d * d < best_err) {
        best_err = d * d;
        best = l;
      }
    }
    beta[j] = w[j] < 0 ? -best : best;
  }
  return beta;
}

VectorCode QuantizePaper(std::span<const float> w, int phi) {
  const size_t n = w.size();
  VectorCode code;
  code.beta.assign(n, 0);
  double sum_abs = 0.0;
  double max_abs = 0.0;
  std::vector<double> pos;
  std::vector<double> neg;
  for (float v : w) {
    sum_abs += std::fabs(double{v});
    max_abs = std::max(max_abs, std::fabs(double{v}));
    if (v > 0) pos.push_back(v);
    if (v < 0) neg.push_back(-double{v});
  }
  code.alpha = n == 0 ? 0.0 : sum_abs / (phi * static_cast<double>(n));  // eq. 9
  if (code.alpha == 0.0) return code;
  const double sigma_p = StdDev(pos);
  const double sigma_n = StdDev(neg);

  // Exhaustive search of (δ, γ) on the grid. Elements sorted by |w| so that, for one δ, the
  // error of every γ follows from prefix sums: x <= γ costs x², x > γ costs its level's error.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::fabs(w[a]) < std::fabs(w[b]); });
  std::vector<double> zero_prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const double x = std::fabs(double{w[order[i]]});
    zero_prefix[i + 1] = zero_prefix[i] + x * x;
  }
  const int delta_steps = phi == 4 ? kDeltaSteps : 1;
  double best_err = INFINITY;
  double best_gamma = 0.0;
  double best_delta = 1.0;
  std::vector<double> nz_suffix(n + 1, 0.0);
  for (int td = 0; td < delta_steps; ++td) {
    const double delta = 1.0 + td / 16.0;
    for (size_t i = n; i-- > 0;) {
      const double x = std::fabs(double{w[order[i]]});
      const double sigma = w[order[i]] > 0 ? sigma_p : sigma_n;
      const double d = x - code.alpha * NonzeroLevel(x, sigma, delta, phi);
      nz_suffix[i] = nz_suffix[i + 1] + d * d;
    }
    size_t zeros = 0;  // elements with x <= γ
    for (int tg = 0; tg < kGammaSteps; ++tg) {
      const double gamma = tg / static_cast<double>(kGammaSteps) * max_abs;
      while (zeros < n && std::fabs(double{w[order[zeros]]}) <= gamma) ++zeros;
      const double err = zero_prefix[zeros] + nz_suffix[zeros];
      if (err < best_err) {
        best_err = err;
        best_gamma = gamma;
        best_delta = delta;
      }
    }
  }
  code.sigma_p = sigma_p;
  code.sigma_n = sigma_n;
  code.gamma = best_gamma;
  code.delta = best_delta;
  for (size_t j = 0; j < n; ++j) {
    const double x = std::fabs(double{w[j]});
    if (x <= best_gamma) continue;
    const int level = NonzeroLevel(x, w[j] > 0 ? sigma_p : sigma_n, best_delta, phi);
    code.beta[j] = w[j] > 0 ? level : -level;
  }
  return code;
}

VectorCode QuantizeOptimal(std::span<const float> w, int phi) {
  VectorCode best = QuantizePaper(w, phi);
  double best_err = SquaredError(w, best.beta, best.alpha);
  VectorCode cur = best;
  for (int round = 0; round < 50; ++round) {
    double num = 0.0;
    double den = 0.0;
    for (size_t j = 0; j < w.size(); ++j) {
      num += double{w[j]} * cur.beta[j];
      den += static_cast<double>(cur.beta[j]) * cur.beta[j];
    }
    if (den == 0.0 || num <= 0.0) break;
    cur.alpha = num / den;                         // least-squares α for the assignment
    cur.beta = NearestLevels(w, cur.alpha, phi);   // nearest level for that α
    const double err = SquaredError(w, cur.beta, cur.alpha);
    if (!(err < best_err * (1.0 - 1e-12))) {
      if (err < best_err) {
        best = cur;
        best_err = err;
      }
      break;
    }
    best = cur;
    best_err = err;
  }
  return best;
}

}  // namespace qsa::encoder
