#pragma once
/// @file Energy presets, from the data file cmodel/data/energy.json (embedded at build time).

#include <string>
#include <vector>

#include "qsa/cmodel/stats.h"

namespace qsa::cmodel {

/// Names of the presets in the energy table, default first.
std::vector<std::string> EnergyPresetNames();
/// The preset named `name` ("horowitz45", "paper", "lpddr4"); throws ConfigError listing the
/// valid names otherwise.
EnergyTable EnergyPreset(const std::string& name);
/// The default preset's name.
std::string DefaultEnergyPreset();

}  // namespace qsa::cmodel
