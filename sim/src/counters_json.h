#pragma once
// Private helper: the JSON dump of a statistics struct with a Defs() table.

#include <nlohmann/json.hpp>
#include <string>

#include "qsa/sim/counters.h"

namespace qsa::sim::detail {

template <class S>
nlohmann::json CountersToJson(const S& s) {
  nlohmann::json j = nlohmann::json::object();
  for (const CounterDef<S>& d : S::Defs()) j[std::string(d.name)] = s.*(d.field);
  return j;
}

}  // namespace qsa::sim::detail
