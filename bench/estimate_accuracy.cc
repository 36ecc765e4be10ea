// qsa_estimate_accuracy: the reference model's cycle estimate (spec §8, "Cycle estimate")
// against the RTL over a sample of random layers (testing::EstimateSample: every fourth an FC
// layer, the others conv with random kernels, strides, padding and pooling; both orientations,
// 2- and 3-bit codes, 30 % zero codes), each run alone as one job on the Verilated qsa_top with
// the default DRAM timing (AccelConfig's). bench/run_bench.py turns its JSON into a section of
// docs/results.md; QsaTop.CycleEstimateOverRandomLayers checks its first 300 layers.
//
//   qsa_estimate_accuracy [--seed S] [--count N]
//
// Prints JSON: the DRAM timing and, per layer, its shape and the RTL's and the estimate's
// cycles.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>

#include "common/estimate_sample.h"

int main(int argc, char** argv) {
  using namespace qsa;
  CLI::App app{"The cycle estimate against the RTL over random layers.", "qsa_estimate_accuracy"};
  uint32_t seed = 2026;
  int count = 1000;
  app.add_option("--seed", seed, "Seed of the sample");
  app.add_option("--count", count, "Layers")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  try {
    sim::AccelConfig cfg;
    cfg.dram.size = 16ULL << 20;  // room enough; a smaller DRAM is quicker to set up per layer
    nlohmann::json out;
    out["seed"] = seed;
    out["dram"] = {{"read_latency", cfg.dram.read_latency},
                   {"write_latency", cfg.dram.write_latency}};
    out["layers"] = nlohmann::json::array();
    for (const testing::EstimateCase& c : testing::EstimateSample(seed, count, cfg)) {
      const cmodel::LayerDesc& d = c.layer.desc;
      out["layers"].push_back({{"kind", d.kind == cmodel::LayerKind::kFc ? "fc" : "conv"},
                               {"in", {d.in.h, d.in.w, d.in.c}},
                               {"out_c", d.out_c},
                               {"kernel", {d.kernel_h, d.kernel_w}},
                               {"stride", d.stride},
                               {"pool", d.pool},
                               {"rtl_cycles", c.rtl},
                               {"estimate_cycles", c.est}});
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qsa_estimate_accuracy: %s\n", e.what());
    return 1;
  }
}
