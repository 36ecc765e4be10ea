#pragma once
/// @file Per-vector quality-scalable quantization (spec §6): paper mode and optimal mode.

#include <span>
#include <vector>

namespace qsa::encoder {

/// kPaper: eq. 9 and eq. 10 as printed (corrected). kPaperNearest: eq. 9's α with each weight
/// at its nearest level, an ablation that isolates eq. 10's σ-based thresholds. kOptimal:
/// minimum L2 error.
enum class Mode { kPaper, kPaperNearest, kOptimal };

/// β per weight and the real scalar α of one vector.
struct VectorCode {
  std::vector<int> beta;
  double alpha = 0;
  // Paper mode's statistics and the thresholds its search chose (eq. 10).
  double sigma_p = 0;
  double sigma_n = 0;
  double gamma = 0;
  double delta = 1;
};

/// The level set of φ: {1}, {1,2} or {1,2,4} (magnitudes; 0 and signs implied).
std::vector<int> Levels(int phi);

/// Paper mode: α by eq. 9, β by eq. 10 (corrected) with γ, δ from the exhaustive grid search.
VectorCode QuantizePaper(std::span<const float> w, int phi);
/// Optimal mode before α quantization: alternating nearest-level / least-squares from paper.
VectorCode QuantizeOptimal(std::span<const float> w, int phi);
/// Nearest level β for every weight, given α (ties toward the smaller magnitude).
std::vector<int> NearestLevels(std::span<const float> w, double alpha, int phi);
/// ||w − α·β||².
double SquaredError(std::span<const float> w, const std::vector<int>& beta, double alpha);

}  // namespace qsa::encoder
