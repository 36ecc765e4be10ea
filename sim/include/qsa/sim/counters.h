#pragma once
/// @file Named statistics counters (Ramulator 2 style): a component keeps its counters as plain
/// int64_t fields of a struct, increments them directly in the per-cycle path and names them once
/// in a static table, which the JSON dump walks.

#include <cstdint>
#include <string_view>

namespace qsa::sim {

/// One named counter of the statistics struct S.
template <class S>
struct CounterDef {
  std::string_view name;  ///< JSON key, snake_case
  int64_t S::*field;      ///< the counter
  std::string_view help;  ///< one line: what is counted
};

/// A statistics struct S of this kind has `static std::span<const CounterDef<S>> Defs()` (every
/// counter, in dump order) and `nlohmann::json ToJson() const` ({"name": value, ...}).

}  // namespace qsa::sim
