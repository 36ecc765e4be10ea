#include "qsa/cmodel/stats.h"

#include <nlohmann/json.hpp>

namespace qsa::cmodel {

int64_t LayerStats::DramReadBytes() const {
  int64_t total = 0;
  for (int c = 0; c < static_cast<int>(DramClass::kCount); ++c) {
    if (c != static_cast<int>(DramClass::kActOut)) total += dram[static_cast<size_t>(c)];
  }
  return total;
}

int64_t LayerStats::DramWriteBytes() const {
  return dram[static_cast<size_t>(DramClass::kActOut)];
}

LayerStats& LayerStats::operator+=(const LayerStats& o) {
  macs += o.macs;
  macs_zero_code += o.macs_zero_code;
  macs_zero_act += o.macs_zero_act;
  multiplies += o.multiplies;
  partial_products += o.partial_products;
  for (size_t c = 0; c < dram.size(); ++c) dram[c] += o.dram[c];
  sram_bytes += o.sram_bytes;
  outputs += o.outputs;
  return *this;
}

Energy LayerEnergy(const LayerStats& s, const EnergyTable& t) {
  Energy e;
  const auto dram_bytes = static_cast<double>(s.DramReadBytes() + s.DramWriteBytes());
  e.dram_pj = dram_bytes * 8.0 / 32.0 * t.dram_pj_per_32bit;
  e.sram_pj = static_cast<double>(s.sram_bytes) * t.sram_pj_per_64bit / 8.0;
  e.compute_pj =
      static_cast<double>(s.MacsDone() + s.partial_products + s.multiplies + 2 * s.outputs) *
      t.add32_pj;
  return e;
}

nlohmann::json ToJson(const LayerStats& s) {
  nlohmann::json j;
  j["macs"] = s.macs;
  j["macs_zero_code"] = s.macs_zero_code;
  j["macs_zero_act"] = s.macs_zero_act;
  j["macs_done"] = s.MacsDone();
  j["multiplies"] = s.multiplies;
  j["partial_products"] = s.partial_products;
  j["outputs"] = s.outputs;
  j["sram_bytes"] = s.sram_bytes;
  nlohmann::json dram;
  for (size_t c = 0; c < s.dram.size(); ++c) dram[std::string(kDramClassNames[c])] = s.dram[c];
  j["dram_bytes"] = dram;
  j["dram_read_bytes"] = s.DramReadBytes();
  j["dram_write_bytes"] = s.DramWriteBytes();
  return j;
}

}  // namespace qsa::cmodel
