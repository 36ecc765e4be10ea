#include "qsa/sim/cosim.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"
#include "qsa_regs.h"

namespace qsa::sim {

std::string Mismatch::ToString() const {
  if (what == "output") {
    return fmt::format("image {} layer {}: output index {}: expected {}, got {}", image, layer,
                       index, expected, got);
  }
  return fmt::format("image {} layer {}: {}: expected {}, got {}", image, layer, what, expected,
                     got);
}

cmodel::LayerStats RtlStats(const AccelRun& run) {
  cmodel::LayerStats s;
  auto c = [&](uint32_t idx) { return static_cast<int64_t>(run.counters.at(idx)); };
  s.macs = c(QSA_PERF_MAC_SLOTS_IDX);
  s.macs_zero_code = c(QSA_PERF_MACS_SKIPPED_IDX);
  s.macs_zero_act = c(QSA_PERF_MACS_GATED_IDX);
  s.multiplies = c(QSA_PERF_MULTIPLIES_IDX);
  s.partial_products = c(QSA_PERF_PARTIAL_PRODUCTS_IDX);
  for (size_t i = 0; i < kDramClasses; ++i) s.dram[i] = run.dram_bytes[i];
  return s;
}

cmodel::DramTiming EstimateTiming(const DramConfig& cfg) {
  cmodel::DramTiming t;
  t.read_latency = cfg.read_latency;
  t.write_latency = cfg.write_latency;
  t.bytes_per_cycle = cfg.bytes_per_cycle;
  t.max_burst = kMaxBurst;
  t.max_reads = std::min(kMaxReads, cfg.max_reads);  // the DMA's, unless the DRAM takes fewer
  return t;
}

namespace {

cmodel::Model Checked(const cmodel::Model& m) {
  m.Validate();
  const cmodel::Engine plan(m);  // throws ConfigError for layers the build refuses
  return m;
}

// The first counter of `got` that differs from `want` (the counters the RTL keeps).
std::optional<Mismatch> CompareStats(const cmodel::LayerStats& want, const cmodel::LayerStats& got,
                                     const AccelRun& run) {
  struct Item {
    const char* name;
    int64_t want, got;
  };
  std::vector<Item> items = {
      {"MAC_SLOTS", want.macs, got.macs},
      {"MACS_SKIPPED", want.macs_zero_code, got.macs_zero_code},
      {"MACS_GATED", want.macs_zero_act, got.macs_zero_act},
      {"MACS_DONE", want.MacsDone(), int64_t(run.counters[QSA_PERF_MACS_DONE_IDX])},
      {"MULTIPLIES", want.multiplies, got.multiplies},
      {"PARTIAL_PRODUCTS", want.partial_products, got.partial_products},
      {"DRAM_READ_BYTES", want.DramReadBytes(),
       int64_t(run.counters[QSA_PERF_DRAM_READ_BYTES_IDX])},
      {"DRAM_WRITE_BYTES", want.DramWriteBytes(),
       int64_t(run.counters[QSA_PERF_DRAM_WRITE_BYTES_IDX])},
  };
  for (size_t i = 0; i < kDramClasses; ++i) {
    items.push_back({cmodel::kDramClassNames[i].data(), want.dram[i], got.dram[i]});
  }
  for (const Item& it : items) {
    if (it.want != it.got) {
      Mismatch m;
      m.what = it.name;
      m.expected = it.want;
      m.got = it.got;
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace

Cosim::Cosim(const cmodel::Model& model, const AccelConfig& cfg)
    : model_(Checked(model)), accel_(cfg), layers_(model_.layers.size()) {
  accel_.LoadModel(cmodel::SerializeModel(model_));
  const cmodel::DramTiming timing = EstimateTiming(cfg.dram);
  const cmodel::ArrayConfig array;
  for (size_t j = 0; j < layers_.size(); ++j) {
    cmodel::Layer dense = model_.layers[j];
    for (uint8_t& c : dense.codes) c = c == 0 ? uint8_t{1} : c;
    layers_[j].estimate_cycles = cmodel::EstimateLayerCycles(model_.layers[j], array, timing);
    layers_[j].estimate_dense_cycles = cmodel::EstimateLayerCycles(dense, array, timing);
  }
}

const cmodel::Engine& Cosim::EngineFor(const std::vector<int>& k_override) {
  for (const auto& [k, e] : engines_) {
    if (k == k_override) return *e;
  }
  cmodel::Model m = model_;
  for (size_t j = 0; j < k_override.size() && j < m.layers.size(); ++j) {
    if (k_override[j] >= 0) m.layers[j].desc.k = k_override[j];
  }
  engines_.emplace_back(k_override, std::make_unique<cmodel::Engine>(m));
  return *engines_.back().second;
}

ImageCosim Cosim::Run(std::span<const int8_t> input, const std::vector<int>& k_override) {
  for (size_t j = 0; j < k_override.size(); ++j) {
    if (k_override[j] > cmodel::kMaxK) {
      throw ConfigError(
          fmt::format("k = {} for layer {}: k must be in 0..{}", k_override[j], j, cmodel::kMaxK));
    }
  }
  const cmodel::Engine& engine = EngineFor(k_override);
  const int image = images_++;
  ImageCosim out;
  std::vector<int8_t> act(input.begin(), input.end());
  accel_.LoadInput(act);
  for (size_t j = 0; j < model_.layers.size(); ++j) {
    const int layer = static_cast<int>(j);
    cmodel::LayerStats ref;
    const std::vector<int8_t> want = engine.RunLayer(j, act, &ref);

    std::vector<int> k;
    if (j < k_override.size()) k = {k_override[j]};
    const auto t0 = std::chrono::steady_clock::now();
    const AccelRun run = accel_.Run(layer, 1, k);
    sim_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    LayerCosim& lc = layers_[j];
    ++lc.jobs;
    lc.cycles += static_cast<int64_t>(run.cycles);
    lc.stall_cycles += static_cast<int64_t>(run.counters[QSA_PERF_STALL_CYCLES_IDX]);
    const cmodel::LayerStats rtl = RtlStats(run);
    lc.rtl += rtl;
    // The RTL does not count on-chip buffer bytes or outputs: they come from the reference.
    lc.rtl.sram_bytes += ref.sram_bytes;
    lc.rtl.outputs += ref.outputs;
    lc.ref += ref;
    out.cycles += static_cast<int64_t>(run.cycles);
    if (!run.ok()) {
      out.error = fmt::format("image {} layer {}: {}", image, layer, run.message);
      return out;
    }
    const std::span<const int8_t> got = accel_.LayerOutput(layer);
    for (size_t i = 0; i < want.size(); ++i) {
      if (got[i] != want[i]) {
        out.mismatch = Mismatch{image, layer, "output", int64_t(i), want[i], got[i]};
        return out;
      }
    }
    if (std::optional<Mismatch> m = CompareStats(ref, rtl, run)) {
      m->image = image;
      m->layer = layer;
      out.mismatch = m;
      return out;
    }
    act.assign(got.begin(), got.end());
  }
  out.ok = true;
  out.output = act;
  out.prediction = static_cast<int>(std::max_element(act.begin(), act.end()) - act.begin());
  return out;
}

}  // namespace qsa::sim
