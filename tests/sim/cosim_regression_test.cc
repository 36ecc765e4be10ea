// The co-simulation regression (ctest label "cosim"): constrained-random layers on the RTL
// (Verilated qsa_top, through the firmware driver) against the reference model, bit for bit,
// with every counter and the DRAM bytes per class; the same layers again under random DRAM
// back-pressure and latency; and one test per accelerator error status.
//
// The seed list is fixed (CI: seeds 1..200, in groups of 10, one ctest entry per group).
// Longer runs: `cosim_regression_tests --seeds=FIRST:COUNT` (e.g. --seeds=1000:5000).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/cosim.h"
#include "qsa_regs.h"

namespace qsa::sim {
namespace {

uint32_t g_first_seed = 1;
uint32_t g_seed_count = 200;
constexpr uint32_t kGroup = 10;

AccelConfig BaseConfig() {
  AccelConfig cfg;
  cfg.dram.base = 0x80000000ull;
  cfg.dram.size = 4ull << 20;
  cfg.max_cycles = 20'000'000;
  return cfg;
}

/// A random valid layer within the constraints of the regression.
struct RandomCase {
  cmodel::Model model;
  double act_zero_share = 0;
  std::string Describe() const {
    const cmodel::LayerDesc& d = model.layers[0].desc;
    return fmt::format(
        "{} in {}x{}x{} k{}x{} s{} pad {}{}{}{} K={} N={} {} bits={} phi={} k={} {}{}",
        d.kind == cmodel::LayerKind::kConv ? "conv" : "fc", d.in.h, d.in.w, d.in.c, d.kernel_h,
        d.kernel_w, d.stride, d.pad_top, d.pad_left, d.pad_bottom, d.pad_right, d.out_c,
        d.vector_len, d.orient == cmodel::Orientation::kChannel ? "channel" : "filter", d.bits,
        d.phi, d.k, d.relu ? "relu " : "", d.pool ? "pool" : "");
  }
};

/// Random codes (sparsity from dense to all zero), α's and biases for l's descriptor.
void FillWeights(cmodel::Layer& l, std::mt19937& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const cmodel::LayerDesc& d = l.desc;
  // Weight sparsity from dense to nearly all zero (whole zero vectors and filters included).
  const double zero_share = std::vector<double>{0.0, 0.15, 0.3, 0.6, 0.9, 1.0}[size_t(uni(0, 5))];
  std::bernoulli_distribution zero(zero_share);
  const int levels = d.phi == 4 ? 2 : (d.phi == 2 ? 1 : 0);
  for (int64_t i = 0; i < d.Weights(); ++i) {
    int beta = 0;
    if (!zero(rng)) {
      const int mag = 1 << uni(0, levels);
      beta = uni(0, 1) ? mag : -mag;
    }
    l.codes.push_back(static_cast<uint8_t>(cmodel::EncodeBeta(beta, d.bits)));
  }
  const size_t vectors = cmodel::FilterVectors(d).size() * size_t(d.out_c);
  for (size_t v = 0; v < vectors; ++v) {
    l.alphas.push_back(chance(0.05) ? uint8_t{0} : static_cast<uint8_t>(uni(1, 255)));
  }
  for (int o = 0; o < d.out_c; ++o) l.biases.push_back(uni(-100000, 100000));
}

cmodel::Layer DrawLayer(std::mt19937& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  cmodel::Layer l;
  cmodel::LayerDesc& d = l.desc;
  const bool fc = chance(0.2);
  const bool big = !fc && chance(0.12);  // overflows a buffer half: several bands
  d.kind = fc ? cmodel::LayerKind::kFc : cmodel::LayerKind::kConv;
  d.bits = chance(0.25) ? 2 : 3;
  d.phi = d.bits == 2 ? 1 : (1 << uni(0, 2));
  d.orient = chance(0.5) ? cmodel::Orientation::kChannel : cmodel::Orientation::kFilter;
  d.vector_len = chance(0.3) ? uni(1, 8) : uni(1, 64);
  d.k = uni(0, cmodel::kMaxK);
  if (fc) {
    d.in = {1, 1, uni(1, 600)};
  } else if (big) {
    d.in = {uni(40, 72), uni(40, 72), uni(12, 32)};
  } else {
    d.in = {uni(1, 24), uni(1, 24), uni(1, 24)};
  }
  if (!fc) {
    d.kernel_h = uni(1, std::min(7, d.in.h + 2));
    d.kernel_w = uni(1, std::min(7, d.in.w + 2));
    d.stride = uni(1, 3);
    d.pad_top = uni(0, d.kernel_h - 1);
    d.pad_bottom = uni(0, d.kernel_h - 1);
    d.pad_left = uni(0, d.kernel_w - 1);
    d.pad_right = uni(0, d.kernel_w - 1);
    if (d.in.h + d.pad_top + d.pad_bottom < d.kernel_h) d.pad_bottom = d.kernel_h - d.in.h;
    if (d.in.w + d.pad_left + d.pad_right < d.kernel_w) d.pad_right = d.kernel_w - d.in.w;
    d.pool = d.ConvOutH() >= 2 && d.ConvOutW() >= 2 && chance(0.4);
  }
  d.relu = chance(0.6);
  d.out_c = big ? uni(1, 12) : uni(1, 24);
  d.alpha_exp = uni(-12, -4);
  d.in_exp = uni(-7, -3);
  d.out_exp = d.in_exp + d.alpha_exp + uni(0, 14);
  FillWeights(l, rng);
  return l;
}

/// A random one-layer model that the reference model accepts and the build can run.
RandomCase DrawCase(uint32_t seed) {
  std::mt19937 rng(seed);
  for (;;) {
    RandomCase c;
    c.model.name = "cosim";
    c.model.layers.push_back(DrawLayer(rng));
    const cmodel::LayerDesc& d = c.model.layers[0].desc;
    c.model.input = d.in;
    c.model.input_exp = d.in_exp;
    c.act_zero_share = std::vector<double>{0.0, 0.2, 0.5, 0.9}[seed % 4];
    try {
      const cmodel::Engine engine(c.model);  // validates and plans (spec §8 limits)
      return c;
    } catch (const Error&) {
      continue;  // a draw outside the format's or the build's limits: draw again
    }
  }
}

std::vector<int8_t> DrawInput(const RandomCase& c, uint32_t seed) {
  std::mt19937 rng(seed * 7919u + 1u);
  std::vector<int8_t> a(size_t(c.model.input.Elements()));
  std::bernoulli_distribution zero(c.act_zero_share);
  std::uniform_int_distribution<int> val(-128, 127);
  for (auto& x : a) x = zero(rng) ? int8_t{0} : static_cast<int8_t>(val(rng));
  return a;
}

/// Runs seed's layer on the RTL; returns the RTL output ("" on success, else a failure).
std::string RunCase(uint32_t seed, const AccelConfig& cfg, std::vector<int8_t>* output,
                    LayerCosim* stats = nullptr) {
  const RandomCase c = DrawCase(seed);
  if (std::getenv("QSA_COSIM_VERBOSE") != nullptr) {
    std::fprintf(stderr, "seed %u: %s\n", seed, c.Describe().c_str());
  }
  Cosim cosim(c.model, cfg);
  const ImageCosim r = cosim.Run(DrawInput(c, seed));
  if (stats != nullptr) *stats = cosim.layers()[0];
  if (!r.ok) {
    return fmt::format("seed {} ({}): {}", seed, c.Describe(),
                       r.mismatch ? r.mismatch->ToString() : r.error);
  }
  *output = r.output;
  return "";
}

class RandomLayers : public ::testing::TestWithParam<uint32_t> {};

// Every layer of the group: outputs bit-exact, counters and DRAM bytes per class equal.
TEST_P(RandomLayers, MatchReferenceModel) {
  const uint32_t begin = GetParam();
  const uint32_t end = std::min(begin + kGroup, g_first_seed + g_seed_count);
  for (uint32_t seed = begin; seed < end; ++seed) {
    std::vector<int8_t> out;
    const std::string err = RunCase(seed, BaseConfig(), &out);
    EXPECT_EQ(err, "");
  }
}

// The same layers (every other seed) under random back-pressure, latency (1..120 cycles) and
// outstanding-burst limits, some waiting by interrupt: identical outputs and DRAM bytes.
TEST_P(RandomLayers, TimingDoesNotChangeResults) {
  const uint32_t begin = GetParam();
  const uint32_t end = std::min(begin + kGroup, g_first_seed + g_seed_count);
  for (uint32_t seed = begin; seed < end; seed += 2) {
    std::vector<int8_t> calm, stressed;
    LayerCosim calm_stats, stressed_stats;
    ASSERT_EQ(RunCase(seed, BaseConfig(), &calm, &calm_stats), "");
    AccelConfig cfg = BaseConfig();
    std::mt19937 rng(seed);
    cfg.dram.stall_prob = std::uniform_real_distribution<double>(0.1, 0.5)(rng);
    cfg.dram.read_latency = std::uniform_int_distribution<int>(1, 120)(rng);
    cfg.dram.write_latency = std::uniform_int_distribution<int>(1, 120)(rng);
    cfg.dram.max_reads = std::uniform_int_distribution<int>(1, 8)(rng);
    cfg.dram.max_writes = std::uniform_int_distribution<int>(1, 8)(rng);
    cfg.dram.seed = seed;
    cfg.wait_irq = (seed % 4) == 1;
    ASSERT_EQ(RunCase(seed, cfg, &stressed, &stressed_stats), "")
        << "stall " << cfg.dram.stall_prob << " latency " << cfg.dram.read_latency;
    EXPECT_EQ(calm, stressed) << "seed " << seed;
    EXPECT_EQ(calm_stats.rtl.dram, stressed_stats.rtl.dram) << "seed " << seed;
  }
}

std::vector<uint32_t> Groups() {
  std::vector<uint32_t> g;
  for (uint32_t s = g_first_seed; s < g_first_seed + g_seed_count; s += kGroup) g.push_back(s);
  return g;
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomLayers, ::testing::ValuesIn(Groups()),
                         [](const ::testing::TestParamInfo<uint32_t>& i) {
                           return fmt::format("seeds_{}", i.param);
                         });

// ---- Named regressions: layers that once broke the RTL, kept whatever the draw becomes.

// A band's jobs can all end before its input load does: they stream the input and never read
// the load's last bytes (here input columns 58 and 59 of each row, past the last window of
// stride 3). qsa_seq used to mark that half full when the load ended, after the job runner had
// released it: band 2 then ran on band 0's rows, its own input was never loaded and its job
// waited for words past the half forever (random layer seed 40).
TEST(Regressions, BandEndsBeforeItsInputLoad) {
  RandomCase c;
  cmodel::Layer l;
  cmodel::LayerDesc& d = l.desc;
  d.kind = cmodel::LayerKind::kConv;
  d.bits = 3;
  d.phi = 1;
  d.orient = cmodel::Orientation::kChannel;
  d.vector_len = 9;
  d.k = 3;
  d.in = {45, 60, 31};
  d.kernel_h = 6;
  d.kernel_w = 1;
  d.stride = 3;
  d.pad_top = 3;
  d.pad_bottom = 5;
  d.out_c = 4;
  d.alpha_exp = -8;
  d.in_exp = -5;
  d.out_exp = -6;
  std::mt19937 rng(40);
  FillWeights(l, rng);
  c.model.name = "cosim";
  c.model.layers.push_back(l);
  c.model.input = d.in;
  c.model.input_exp = d.in_exp;
  AccelConfig cfg = BaseConfig();
  cfg.max_cycles = 300'000;  // a hang fails in seconds (the layer takes about 30 000 cycles)
  Cosim cosim(c.model, cfg);
  const ImageCosim r = cosim.Run(DrawInput(c, 40));
  EXPECT_TRUE(r.ok) << c.Describe() << ": " << (r.mismatch ? r.mismatch->ToString() : r.error);
}

// ---- Errors: one test per ERR_STATUS bit. Each stops cleanly, reports, and the next job
// (the same layer, repaired) runs bit-exact.

class Errors : public ::testing::Test {
 protected:
  void SetUp() override {
    c_ = DrawCase(3);
    cosim_ = std::make_unique<Cosim>(c_.model, BaseConfig());
    input_ = DrawInput(c_, 3);
  }
  Accel& accel() { return cosim_->accel(); }
  uint8_t* Model() { return accel().dram().HostView(accel().ModelAddress(), 128); }
  // The descriptor of layer 0, in the model image in DRAM.
  uint8_t* Desc() { return Model() + 64; }
  uint32_t DescU32(int off) {
    uint32_t v;
    std::memcpy(&v, Desc() + off, 4);
    return v;
  }
  AccelRun RunBroken() {
    accel().LoadInput(input_);
    return accel().Run(0, 1);
  }
  void ExpectError(const AccelRun& run, uint32_t status_bit, uint32_t cause) {
    EXPECT_TRUE(run.finished) << "the accelerator stops with DONE";
    EXPECT_EQ(run.driver, QSA_E_ACCEL) << run.message;
    EXPECT_EQ(run.err_status, status_bit) << run.message;
    EXPECT_EQ(QSA_FIELD_GET(run.err_info, QSA_ERR_INFO_CAUSE), cause) << run.message;
    EXPECT_FALSE(run.status & QSA_STATUS_BUSY_MASK);
    EXPECT_EQ(accel().ReadReg(QSA_REG_ERR_STATUS_OFFSET), 0u) << "the driver cleared it";
    EXPECT_EQ(accel().dram().counters().protocol_errors, 0);
  }
  void ExpectNextJobRuns() {
    const ImageCosim r = cosim_->Run(input_);
    EXPECT_TRUE(r.ok) << (r.mismatch ? r.mismatch->ToString() : r.error);
  }

  RandomCase c_;
  std::unique_ptr<Cosim> cosim_;
  std::vector<int8_t> input_;
};

TEST_F(Errors, BadCodeStopsAndTheNextJobRuns) {
  uint8_t* codes = Model() + DescU32(28);
  uint8_t saved[8];
  std::memcpy(saved, codes, 8);
  codes[0] |= c_.model.layers[0].desc.bits == 3 ? uint8_t{0x07} : uint8_t{0x03};  // reserved
  ExpectError(RunBroken(), QSA_ERR_STATUS_BAD_CODE_MASK, QSA_ERR_CAUSE_CODE_RESERVED);
  std::memcpy(codes, saved, 8);
  ExpectNextJobRuns();
}

TEST_F(Errors, BadDescriptorStopsAndTheNextJobRuns) {
  const uint8_t saved = Desc()[53];
  Desc()[53] = 1;  // a reserved byte
  ExpectError(RunBroken(), QSA_ERR_STATUS_BAD_DESC_MASK, QSA_ERR_CAUSE_DESC_RESERVED);
  Desc()[53] = saved;
  const uint8_t r = Desc()[6];
  Desc()[6] = 0;  // kernel height 0
  ExpectError(RunBroken(), QSA_ERR_STATUS_BAD_DESC_MASK, QSA_ERR_CAUSE_DESC_FIELD);
  Desc()[6] = r;
  ExpectNextJobRuns();
}

TEST_F(Errors, WindowViolationStopsAndTheNextJobRuns) {
  const uint32_t saved = DescU32(28);
  const uint32_t far = 0x7fff0000u;  // aligned, far outside the 4 MiB DMA window
  std::memcpy(Desc() + 28, &far, 4);
  const AccelRun run = RunBroken();
  ExpectError(run, QSA_ERR_STATUS_WINDOW_MASK, QSA_ERR_CAUSE_WIN_READ);
  EXPECT_EQ(run.err_addr, uint32_t(accel().ModelAddress()) + far);
  EXPECT_EQ(accel().dram().counters().r_decerr_beats, 0) << "the read never left the chip";
  std::memcpy(Desc() + 28, &saved, 4);
  ExpectNextJobRuns();
}

TEST_F(Errors, AxiReadErrorStopsAndTheNextJobRuns) {
  const uint64_t codes = accel().ModelAddress() + DescU32(28);
  accel().dram().InjectSlvErr(codes, 8);
  const AccelRun run = RunBroken();
  ExpectError(run, QSA_ERR_STATUS_AXI_RESP_MASK, QSA_ERR_CAUSE_AXI_RD_SLVERR);
  accel().dram().InjectSlvErr(0, 0);
  ExpectNextJobRuns();
}

TEST_F(Errors, AxiWriteErrorStopsAndTheNextJobRuns) {
  const std::span<const int8_t> out = accel().LayerOutput(0);
  const uint64_t addr = accel().ModelAddress() +
                        uint64_t(reinterpret_cast<const uint8_t*>(out.data()) - Model());
  accel().dram().InjectSlvErr(addr, 8);
  const AccelRun run = RunBroken();
  ExpectError(run, QSA_ERR_STATUS_AXI_RESP_MASK, QSA_ERR_CAUSE_AXI_WR_SLVERR);
  accel().dram().InjectSlvErr(0, 0);
  ExpectNextJobRuns();
}

}  // namespace
}  // namespace qsa::sim

// --seeds=FIRST:COUNT replaces the fixed seed list (before GoogleTest registers the groups).
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--seeds=", 0) == 0) {
      const std::string v = a.substr(8);
      const size_t colon = v.find(':');
      char* end = nullptr;
      const unsigned long first = std::strtoul(v.c_str(), &end, 10);
      const unsigned long count =
          colon == std::string::npos ? 0 : std::strtoul(v.c_str() + colon + 1, &end, 10);
      if (colon == std::string::npos || count == 0 || count > 10'000'000 || *end != '\0') {
        std::fprintf(stderr, "cosim_regression_tests: --seeds=FIRST:COUNT (COUNT >= 1), got '%s'\n",
                     v.c_str());
        return 2;
      }
      qsa::sim::g_first_seed = static_cast<uint32_t>(first);
      qsa::sim::g_seed_count = static_cast<uint32_t>(count);
    }
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
