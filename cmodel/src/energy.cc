#include "qsa/cmodel/energy.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "qsa/cmodel/error.h"

namespace qsa::cmodel {
namespace detail {
const char* EnergyTableJson();  // Generated from cmodel/data/energy.json.
}  // namespace detail

namespace {

const nlohmann::json& Table() {
  static const nlohmann::json table = nlohmann::json::parse(detail::EnergyTableJson());
  return table;
}

}  // namespace

std::string DefaultEnergyPreset() { return Table().at("default").get<std::string>(); }

std::vector<std::string> EnergyPresetNames() {
  std::vector<std::string> names = {DefaultEnergyPreset()};
  for (const auto& [name, _] : Table().at("presets").items()) {
    if (name != names.front()) names.push_back(name);
  }
  return names;
}

EnergyTable EnergyPreset(const std::string& name) {
  const auto& presets = Table().at("presets");
  if (!presets.contains(name)) {
    throw ConfigError(fmt::format("energy: unknown preset '{}' (valid: {})", name,
                                  fmt::join(EnergyPresetNames(), ", ")));
  }
  const auto& p = presets.at(name);
  EnergyTable t;
  // The preset's name must outlive the table: the static JSON owns the key.
  t.name = presets.find(name).key();
  t.dram_pj_per_32bit = p.at("dram_pj_per_32bit").get<double>();
  t.sram_pj_per_64bit = p.at("sram_pj_per_64bit").get<double>();
  t.add8_pj = p.at("add8_pj").get<double>();
  t.add32_pj = p.at("add32_pj").get<double>();
  t.mult8_pj = p.at("mult8_pj").get<double>();
  t.mult32_pj = p.at("mult32_pj").get<double>();
  return t;
}

}  // namespace qsa::cmodel
