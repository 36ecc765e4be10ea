#pragma once
/// @file The documented DRAM dataflow and tiling model (spec §8, "DRAM dataflow model v1").

#include <array>
#include <cstdint>

#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"

namespace qsa::cmodel {

/// On-chip buffer sizes assumed by the dataflow model.
struct ArrayConfig {
  int64_t act_buffer_bytes = 32 * 1024;
  int64_t weight_buffer_bytes = 32 * 1024;
  int beat_bytes = 8;
  void Validate() const;  ///< Throws ConfigError("ArrayConfig: <field> ...").
};

/// DRAM bytes one run of the layer moves, per class, and its row-band tiling.
struct LayerTraffic {
  std::array<int64_t, static_cast<int>(DramClass::kCount)> bytes{};
  int bands = 1;
  int band_rows = 0;  ///< Output rows per band (before pooling).
};
LayerTraffic LayerDram(const LayerDesc& d, const ArrayConfig& cfg);

}  // namespace qsa::cmodel
