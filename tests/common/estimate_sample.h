#pragma once
// The sample on which the reference model's cycle estimate (spec §8, "Cycle estimate") is
// measured against the RTL: QsaTop.CycleEstimateOverRandomLayers checks it and
// bench/estimate_accuracy.cc reports it (docs/results.md).

#include <cstdint>
#include <random>
#include <vector>

#include "common/random_model.h"
#include "qsa/cmodel/cycles.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/accel.h"
#include "qsa/sim/cosim.h"
#include "qsa_regs.h"

namespace qsa::testing {

/// One layer run alone as one job (DESC_COUNT = 1, START to DONE: BUSY_CYCLES) on the RTL, and
/// the reference model's estimate of those cycles.
struct EstimateCase {
  cmodel::Layer layer;
  double rtl = 0, est = 0;
};

/// Runs `layer` alone on the RTL under `cfg`, on random input from `rng`.
inline EstimateCase RunLayerAndEstimate(const cmodel::Layer& layer, std::mt19937& rng,
                                        const sim::AccelConfig& cfg) {
  cmodel::Model m;
  m.name = "one";
  m.input = layer.desc.in;
  m.layers = {layer};
  m.layers[0].desc.in_exp = m.input_exp;
  m.layers[0].desc.out_exp = m.input_exp + m.layers[0].desc.alpha_exp + 6;
  sim::Accel accel(cfg);
  accel.LoadModel(cmodel::SerializeModel(m));
  accel.LoadInput(RandomActs(rng, m.input.Elements()));
  const sim::AccelRun run = accel.Run(0, 1);
  if (!run.ok()) throw Error("RunLayerAndEstimate: the RTL run failed: " + run.message);
  EstimateCase c;
  c.layer = m.layers[0];
  c.rtl = static_cast<double>(run.counters[QSA_PERF_BUSY_CYCLES_IDX]);
  c.est = static_cast<double>(cmodel::EstimateLayerCycles(m.layers[0], cmodel::ArrayConfig{},
                                                          sim::EstimateTiming(cfg.dram)));
  return c;
}

/// `count` random layers that the default build accepts, from `seed`: every fourth an FC layer,
/// the others conv (inputs 4..30 × 4..30 × 1..12; kernels, strides, padding and pooling), both
/// orientations, 2- and 3-bit codes, 30 % zero codes; each run by RunLayerAndEstimate.
inline std::vector<EstimateCase> EstimateSample(uint32_t seed, int count,
                                                const sim::AccelConfig& cfg) {
  std::mt19937 rng(seed);
  std::vector<EstimateCase> out;
  while (static_cast<int>(out.size()) < count) {
    std::uniform_int_distribution<int> dim(4, 30);
    const bool fc = out.size() % 4 == 0;
    const cmodel::Layer l = RandomLayer(rng, {dim(rng), dim(rng), dim(rng) % 12 + 1}, fc, 0.3);
    try {
      cmodel::PlanLayer(l.desc, cmodel::ArrayConfig{});
    } catch (const Error&) {  // does not fit the default build (ConfigError, FormatError)
      continue;
    }
    out.push_back(RunLayerAndEstimate(l, rng, cfg));
  }
  return out;
}

}  // namespace qsa::testing
