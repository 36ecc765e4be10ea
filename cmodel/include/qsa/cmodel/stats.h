#pragma once
/// @file Per-layer statistics of the reference model (spec §8), with named counters.

#include <array>
#include <cstdint>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace qsa::cmodel {

/// DRAM traffic classes (spec §8).
enum class DramClass : int { kDescriptor = 0, kCodes, kAlphas, kBiases, kActIn, kActOut, kCount };
inline constexpr std::array<std::string_view, 6> kDramClassNames = {
    "descriptor", "codes", "alphas", "biases", "act_in", "act_out"};

/// Counters of one layer, summed over the images run.
/// Compute counters cover the computed positions Hc·Wc only (spec §8, P_pos): an output row
/// or column that pooling drops is not computed and not counted.
struct LayerStats {
  int64_t macs = 0;              ///< MAC slots.
  int64_t macs_zero_code = 0;    ///< Skipped: weight code 0.
  int64_t macs_zero_act = 0;     ///< Gated: nonzero code, zero activation.
  int64_t multiplies = 0;        ///< Per-vector α multiplies needed.
  int64_t partial_products = 0;  ///< Nonzero NAF digits used by those multiplies.
  std::array<int64_t, static_cast<int>(DramClass::kCount)> dram{};  ///< Bytes per class.
  int64_t sram_bytes = 0;        ///< On-chip buffer bytes (spec §8).
  int64_t outputs = 0;           ///< Values computed (before pooling): Hc·Wc·K (spec §8).

  int64_t MacsDone() const { return macs - macs_zero_code - macs_zero_act; }
  int64_t DramReadBytes() const;
  int64_t DramWriteBytes() const;
  LayerStats& operator+=(const LayerStats& o);
};

/// Energy preset (spec §8); values in picojoules.
struct EnergyTable {
  std::string_view name;
  double dram_pj_per_32bit = 640.0;
  double sram_pj_per_64bit = 20.0;
  double add8_pj = 0.03;
  double add32_pj = 0.1;
  double mult8_pj = 0.2;
  double mult32_pj = 3.1;
};

/// Energy split of a layer or network, in pJ.
struct Energy {
  double dram_pj = 0;
  double sram_pj = 0;
  double compute_pj = 0;
  double Total() const { return dram_pj + sram_pj + compute_pj; }
};
Energy LayerEnergy(const LayerStats& s, const EnergyTable& t);

/// Statistics as JSON (counters and, given a table, energy).
nlohmann::json ToJson(const LayerStats& s);

}  // namespace qsa::cmodel
