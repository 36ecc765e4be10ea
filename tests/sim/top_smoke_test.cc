// qsa_top (Verilated) end to end: encoded layers run from DRAM through the descriptor list, the
// outputs compared bit for bit with the reference model (qsa::cmodel::Engine).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "common/estimate_sample.h"
#include "common/random_model.h"
#include "qsa/cmodel/cycles.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/accel.h"
#include "qsa/sim/cosim.h"
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

/// The DRAM timing the cycle estimate takes by default (sim::DramConfig's).
AccelConfig EstimateConfig() {
  AccelConfig cfg = SmokeConfig();
  cfg.dram.write_latency = 20;
  return cfg;
}

// The reference model's analytical cycle estimate (spec §8, "Cycle estimate") against the RTL:
// each layer run as its own job (DESC_COUNT = 1) from START to DONE (BUSY_CYCLES). The LeNet-5
// shapes (conv1, conv2, FC1) with random codes, then random layers.
TEST(QsaTop, CycleEstimateTracksTheRtl) {
  std::mt19937 rng(2024);
  std::vector<cmodel::Layer> layers;
  auto lenet = [&](cmodel::Shape in, int k, int r, int pad, bool pool, bool fc) {
    cmodel::Layer l = testing::RandomLayer(rng, in, fc, 0.15);
    cmodel::LayerDesc& d = l.desc;
    d.orient = fc ? cmodel::Orientation::kChannel : cmodel::Orientation::kFilter;
    d.vector_len = 16;
    d.kernel_h = d.kernel_w = r;
    d.stride = 1;
    d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = pad;
    d.pool = pool;
    d.out_c = k;
    l.codes.resize(static_cast<size_t>(d.Weights()));
    for (auto& c : l.codes) c = std::bernoulli_distribution(0.15)(rng) ? 0 : 1;
    l.alphas.assign(cmodel::FilterVectors(d).size() * static_cast<size_t>(k), 77);
    l.biases.assign(static_cast<size_t>(k), 1000);
    return l;
  };
  layers.push_back(lenet({28, 28, 1}, 6, 5, 2, true, false));
  layers.push_back(lenet({14, 14, 6}, 16, 5, 0, true, false));
  layers.push_back(lenet({5, 5, 16}, 120, 1, 0, false, true));
  while (layers.size() < 12) {
    std::uniform_int_distribution<int> dim(4, 30);
    cmodel::Layer l = testing::RandomLayer(rng, {dim(rng), dim(rng), dim(rng) % 12 + 1},
                                           layers.size() % 4 == 0, 0.3);
    try {
      cmodel::PlanLayer(l.desc, cmodel::ArrayConfig{});
    } catch (const ConfigError&) {
      continue;
    }
    layers.push_back(std::move(l));
  }
  double sum = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const testing::EstimateCase r = testing::RunLayerAndEstimate(layers[i], rng, EstimateConfig());
    const double err = (r.est - r.rtl) / r.rtl;
    SCOPED_TRACE(i);
    EXPECT_LT(std::fabs(err), i < 3 ? 0.05 : 0.15)
        << "RTL " << r.rtl << " cycles, estimate " << r.est;
    sum += std::fabs(err);
  }
  EXPECT_LT(sum / static_cast<double>(layers.size()), 0.05);
}

// The estimate over the first 300 layers of the sample bench/estimate_accuracy.cc reports
// (testing::EstimateSample, seed 2026, the default DRAM timing): each within 8 % of the RTL, nine
// in ten within 3 %, the median within 1 % (spec §8, "Cycle estimate"). A store model that ignored
// the overlap of a band's pieces with its input read put one layer 23 % over; an RTL that did not
// queue a band's input behind its group load, one 13 % off; a gather that gave padding segments
// no place in a cycle, or took every line to start 4 bytes before its first segment (windows of
// 8 channels start on a word), one 9 to 10 % off.
TEST(QsaTop, CycleEstimateOverRandomLayers) {
  std::vector<double> errs;
  for (const testing::EstimateCase& c : testing::EstimateSample(2026, 300, EstimateConfig())) {
    const double err = std::fabs(c.est - c.rtl) / c.rtl;
    EXPECT_LT(err, 0.08) << "layer " << errs.size() << ": RTL " << c.rtl << " cycles, estimate "
                         << c.est;
    errs.push_back(err);
  }
  std::sort(errs.begin(), errs.end());
  EXPECT_LT(errs[errs.size() / 2], 0.01) << "median";
  EXPECT_LT(errs[errs.size() * 9 / 10], 0.03) << "90th percentile";
}

// A waveform file that cannot be created is an error when the Accel is made, not a run that ends
// without its waveform (VerilatedFstC::open says nothing).
TEST(QsaTop, TraceThatCannotBeOpenedIsAnError) {
  AccelConfig cfg = SmokeConfig();
  cfg.trace_fst = "/nonexistent_qsa_dir/x.fst";
  try {
    Accel accel(cfg);
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("trace"), std::string::npos) << e.what();
  }
}

// The estimate's burst limit and outstanding reads (kMaxBurst, kMaxReads) are the MaxBurst and
// MaxReads qsa_top is built with.
TEST(QsaTop, MaxBurstIsTheBuilds) {
  std::ifstream f(QSA_SOURCE_DIR "/rtl/qsa_top.sv");
  ASSERT_TRUE(f) << "cannot read rtl/qsa_top.sv";
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(parameter\s+int\s+MaxBurst\s*=\s*(\d+))")));
  EXPECT_EQ(std::stoi(m[1].str()), kMaxBurst);
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(parameter\s+int\s+MaxReads\s*=\s*(\d+))")));
  EXPECT_EQ(std::stoi(m[1].str()), kMaxReads);
}

}  // namespace
}  // namespace qsa::sim
