#pragma once
// Model-size and weight-energy report shared by encode, inspect and infer.

#include <nlohmann/json.hpp>

#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"

namespace qsa::tools {

/// Per-layer and total bits (eq. 11, eq. 12, deployed), compression, zero share and the DRAM
/// energy of moving the weights once, as JSON.
nlohmann::json ModelReport(const cmodel::Model& model, const cmodel::EnergyTable& energy);
/// Prints the report of ModelReport as a table.
void PrintModelReport(const nlohmann::json& report);

}  // namespace qsa::tools
