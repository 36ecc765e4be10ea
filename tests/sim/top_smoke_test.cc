// qsa_top (Verilated) end to end: encoded layers run from DRAM through the descriptor list, the
// outputs compared bit for bit with the reference model (qsa::cmodel::Engine).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "common/random_model.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/accel.h"
#include "qsa_regs.h"

namespace qsa::sim {
namespace {

AccelConfig SmokeConfig() {
  AccelConfig cfg;
  cfg.dram.base = 0x80000000ull;
  cfg.dram.size = 16ull << 20;
  cfg.dram.read_latency = 20;
  cfg.dram.write_latency = 10;
  cfg.max_cycles = 5'000'000;
  return cfg;
}

/// A random model that the default build accepts (spec §8 v2: the reference model refuses the
/// same layers as the hardware, e.g. more vectors per filter than a PE holds).
cmodel::Model FittingModel(std::mt19937& rng, cmodel::Shape in, int convs, int fcs) {
  for (;;) {
    cmodel::Model m = testing::RandomModel(rng, in, convs, fcs);
    try {
      const cmodel::Engine engine(m);
      return m;
    } catch (const ConfigError&) {
      continue;
    }
  }
}

/// Runs `model` on the RTL and on the reference model; returns the number of layers whose
/// output differs (and reports the first difference).
int RunAndCompare(const cmodel::Model& model, std::mt19937& rng) {
  const cmodel::Engine engine(model);
  std::vector<int8_t> in = testing::RandomActs(rng, model.input.Elements());
  Accel accel(SmokeConfig());
  accel.LoadModel(cmodel::SerializeModel(model));
  accel.LoadInput(in);
  const AccelRun run = accel.Run(0, static_cast<int>(model.layers.size()));
  EXPECT_TRUE(run.ok()) << run.message;
  int bad = 0;

  std::vector<int8_t> act = in;
  cmodel::LayerStats total;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    cmodel::LayerStats st;
    const std::vector<int8_t> want = engine.RunLayer(i, act, &st);
    total += st;
    const std::span<const int8_t> got = accel.LayerOutput(static_cast<int>(i));
    EXPECT_EQ(got.size(), want.size()) << "layer " << i;
    if (got.size() != want.size()) return ++bad;
    for (size_t j = 0; j < want.size(); ++j) {
      if (got[j] != want[j]) {
        ADD_FAILURE() << "layer " << i << " index " << j << ": expected " << int{want[j]}
                      << ", got " << int{got[j]};
        ++bad;
        break;
      }
    }
    act = want;
  }
  // The counters count what the reference model's statistics count (spec §8).
  EXPECT_EQ(run.counters.size(), kPerfCounters);
  if (run.counters.size() == kPerfCounters) {
    EXPECT_EQ(run.counters[QSA_PERF_MAC_SLOTS_IDX], uint64_t(total.macs));
    EXPECT_EQ(run.counters[QSA_PERF_MACS_SKIPPED_IDX], uint64_t(total.macs_zero_code));
    EXPECT_EQ(run.counters[QSA_PERF_MACS_GATED_IDX], uint64_t(total.macs_zero_act));
    EXPECT_EQ(run.counters[QSA_PERF_MACS_DONE_IDX], uint64_t(total.MacsDone()));
    EXPECT_EQ(run.counters[QSA_PERF_MULTIPLIES_IDX], uint64_t(total.multiplies));
    EXPECT_EQ(run.counters[QSA_PERF_PARTIAL_PRODUCTS_IDX], uint64_t(total.partial_products));
    EXPECT_EQ(run.counters[QSA_PERF_DRAM_READ_BYTES_IDX], uint64_t(total.DramReadBytes()));
    EXPECT_EQ(run.counters[QSA_PERF_DRAM_WRITE_BYTES_IDX], uint64_t(total.DramWriteBytes()));
  }
  // The DRAM model's per-class bytes (address ranges) are the reference model's, class by class.
  for (size_t c = 0; c < kDramClasses; ++c) {
    EXPECT_EQ(run.dram_bytes[c], total.dram[c]) << cmodel::kDramClassNames[c];
  }
  return bad;
}

TEST(QsaTop, ConvThenFcMatchesReferenceModel) {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    EXPECT_EQ(RunAndCompare(FittingModel(rng, {9, 7, 5}, 1, 1), rng), 0);
  }
}

// Inputs larger than one activation-buffer half (32 KiB) and outputs larger than one output
// half (8 KiB): several row bands, double-buffered loads and stores, halo rows re-read.
TEST(QsaTop, TiledLayersMatchReferenceModel) {
  for (uint32_t seed = 100; seed < 104; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    EXPECT_EQ(RunAndCompare(FittingModel(rng, {44, 40, 24}, 2, 0), rng), 0);
  }
}

}  // namespace
}  // namespace qsa::sim
