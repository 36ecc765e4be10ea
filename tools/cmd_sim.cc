// qsa sim: runs a data set on the RTL (Verilated qsa_top, through the firmware driver) and
// checks every layer's output against the bit-exact reference model.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "progress.h"
#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/energy.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/cosim.h"

namespace qsa::tools {

namespace {

struct SimArgs {
  std::string model;
  std::string data;
  std::string trace;
  std::string energy;
  std::string json;
  int limit = 10;
  int k = -1;
  uint64_t seed = 1;
  double stall = 0.0;
  int latency = 20;
  bool irq = false;
  uint64_t max_cycles = 50'000'000;
};

struct Totals {
  cmodel::Energy energy;
  cmodel::LayerStats stats;
  int64_t cycles = 0;
};

nlohmann::json EnergyJson(const cmodel::Energy& e, double per) {
  return {{"dram", e.dram_pj / per},
          {"sram", e.sram_pj / per},
          {"compute", e.compute_pj / per},
          {"total", e.Total() / per}};
}

// Nonzero-code MACs over the array's MAC slots in the cycles taken.
double Utilization(const cmodel::LayerStats& s, int64_t cycles, int slots_per_cycle) {
  if (cycles <= 0) return 0.0;
  return double(s.macs - s.macs_zero_code) / (double(cycles) * slots_per_cycle);
}

// The reference model's cycle estimate against the RTL's cycles: (estimate - RTL) / RTL.
double EstimateError(int64_t estimate, double rtl_cycles) {
  return rtl_cycles > 0 ? (double(estimate) - rtl_cycles) / rtl_cycles : 0.0;
}

void RunSim(const SimArgs& a) {
  if (a.limit < 1) throw ConfigError("--limit must be >= 1");
  if (!a.json.empty()) CheckWritable("--json", a.json, {a.model});
  if (!a.trace.empty()) CheckWritable("--trace", a.trace, {a.model, a.json});
  const cmodel::Model model = cmodel::ReadModelFile(a.model);
  const cmodel::Dataset data = cmodel::LoadDataset(a.data).Head(a.limit);
  if (model.input.h != data.height || model.input.w != data.width || model.input.c != 1) {
    throw ConfigError(fmt::format("{} takes {}x{}x{} inputs but {} has {}x{}x1 images", a.model,
                                  model.input.h, model.input.w, model.input.c, a.data, data.height,
                                  data.width));
  }
  const cmodel::EnergyTable table =
      cmodel::EnergyPreset(a.energy.empty() ? cmodel::DefaultEnergyPreset() : a.energy);

  sim::AccelConfig cfg;
  cfg.dram.base = 0x80000000ull;
  cfg.dram.size = 64ull << 20;
  cfg.dram.read_latency = a.latency;
  cfg.dram.write_latency = a.latency;
  cfg.dram.stall_prob = a.stall;
  cfg.dram.seed = a.seed;
  cfg.wait_irq = a.irq;
  cfg.max_cycles = a.max_cycles;
  cfg.trace_fst = a.trace;
  sim::Cosim cosim(model, cfg);
  const cmodel::ArrayConfig array;
  const int slots = array.pes * array.lanes;
  const std::vector<int> k(model.layers.size(), a.k);

  Progress progress("sim " + a.data, data.count);
  int images = 0, correct = 0;
  std::optional<sim::Mismatch> mismatch;
  std::string error;
  for (int i = 0; i < data.count; ++i) {
    const std::vector<int8_t> in = cmodel::QuantizeImage(model, data.Image(i));
    const sim::ImageCosim r = cosim.Run(in, a.k >= 0 ? k : std::vector<int>{});
    progress.Advance();
    if (!r.ok) {
      mismatch = r.mismatch;
      error = r.error;
      break;
    }
    ++images;
    correct += r.prediction == data.labels[size_t(i)];
  }
  progress.Finish();

  nlohmann::json j;
  j["model"] = a.model;
  j["data"] = a.data;
  j["energy_preset"] = std::string(table.name);
  j["images"] = images;
  j["correct"] = correct;
  j["accuracy"] = images > 0 ? double(correct) / images : 0.0;
  j["mismatches"] = mismatch ? 1 : 0;
  if (mismatch) {
    j["mismatch"] = {{"image", mismatch->image},       {"layer", mismatch->layer},
                     {"what", mismatch->what},         {"index", mismatch->index},
                     {"expected", mismatch->expected}, {"got", mismatch->got}};
  }
  if (!error.empty()) j["error"] = error;
  j["dram"] = {{"read_latency", a.latency}, {"stall_prob", a.stall}, {"seed", a.seed}};
  j["array"] = {{"pes", array.pes}, {"lanes", array.lanes}, {"on_chip_bytes", array.OnChipBytes()}};

  const double n = std::max(images, 1);
  Totals tot;
  bool dram_equal = true;
  int64_t est_total = 0, saved_total = 0;
  j["layers"] = nlohmann::json::array();
  for (size_t l = 0; l < cosim.layers().size(); ++l) {
    const sim::LayerCosim& lc = cosim.layers()[l];
    const cmodel::Energy e = cmodel::LayerEnergy(lc.rtl, table);
    tot.energy.dram_pj += e.dram_pj;
    tot.energy.sram_pj += e.sram_pj;
    tot.energy.compute_pj += e.compute_pj;
    tot.stats += lc.rtl;
    tot.cycles += lc.cycles;
    est_total += lc.estimate_cycles;
    saved_total += lc.estimate_dense_cycles - lc.estimate_cycles;
    const bool equal = lc.rtl.dram == lc.ref.dram;
    dram_equal = dram_equal && equal;
    nlohmann::json dram = nlohmann::json::object();
    for (size_t c = 0; c < sim::kDramClasses; ++c) {
      dram[std::string(cmodel::kDramClassNames[c])] = double(lc.rtl.dram[c]) / n;
    }
    j["layers"].push_back({
        {"layer", l},
        {"kind", model.layers[l].desc.kind == cmodel::LayerKind::kConv ? "conv" : "fc"},
        {"cycles", double(lc.cycles) / n},
        {"stall_cycles", double(lc.stall_cycles) / n},
        {"utilization", Utilization(lc.rtl, lc.cycles, slots)},
        {"ideal_cycles", double(lc.rtl.macs - lc.rtl.macs_zero_code) / slots / n},
        {"estimate_cycles", lc.estimate_cycles},
        {"estimate_error", EstimateError(lc.estimate_cycles, double(lc.cycles) / n)},
        {"zero_skip_saved_cycles", lc.estimate_dense_cycles - lc.estimate_cycles},
        {"mac_slots", double(lc.rtl.macs) / n},
        {"macs_skipped", double(lc.rtl.macs_zero_code) / n},
        {"macs_gated", double(lc.rtl.macs_zero_act) / n},
        {"multiplies", double(lc.rtl.multiplies) / n},
        {"partial_products", double(lc.rtl.partial_products) / n},
        {"dram_read_bytes", double(lc.rtl.DramReadBytes()) / n},
        {"dram_write_bytes", double(lc.rtl.DramWriteBytes()) / n},
        {"dram_bytes", dram},
        {"dram_equal_to_reference", equal},
        {"energy_pj", EnergyJson(e, n)},
    });
  }
  j["cycles"] = double(tot.cycles) / n;
  j["utilization"] = Utilization(tot.stats, tot.cycles, slots);
  j["estimate_cycles"] = est_total;
  j["estimate_error"] = EstimateError(est_total, double(tot.cycles) / n);
  j["zero_skip_saved_cycles"] = saved_total;
  j["multiplies"] = double(tot.stats.multiplies) / n;
  j["dram_read_bytes"] = double(tot.stats.DramReadBytes()) / n;
  j["dram_write_bytes"] = double(tot.stats.DramWriteBytes()) / n;
  j["dram_equal_to_reference"] = dram_equal;
  j["energy_pj"] = EnergyJson(tot.energy, n);
  j["sim_cycles"] = cosim.sim_cycles();
  j["sim_seconds"] = cosim.sim_seconds();
  j["sim_cycles_per_second"] =
      cosim.sim_seconds() > 0 ? double(cosim.sim_cycles()) / cosim.sim_seconds() : 0.0;

  fmt::print("{} on {} (RTL, Verilated qsa_top, {} PEs x {} lanes): {} image(s)\n", a.model, a.data,
             array.pes, array.lanes, images);
  fmt::print(
      "{:>3} {:>5} {:>10} {:>10} {:>6} {:>10} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} "
      "{:>12}\n",
      "#", "kind", "cycles", "ideal", "util", "estimate", "est err", "zs saved", "stall",
      "multiplies", "DRAM rd B", "DRAM wr B", "energy pJ");
  for (const nlohmann::json& lj : j["layers"]) {
    fmt::print(
        "{:>3} {:>5} {:>10.0f} {:>10.0f} {:>5.1f}% {:>10} {:>+7.1f}% {:>10} {:>10.0f} "
        "{:>10.0f} {:>10.0f} {:>10.0f} {:>12.1f}\n",
        lj["layer"].get<int>(), lj["kind"].get<std::string>(), lj["cycles"].get<double>(),
        lj["ideal_cycles"].get<double>(), 100.0 * lj["utilization"].get<double>(),
        lj["estimate_cycles"].get<int64_t>(), 100.0 * lj["estimate_error"].get<double>(),
        lj["zero_skip_saved_cycles"].get<int64_t>(), lj["stall_cycles"].get<double>(),
        lj["multiplies"].get<double>(), lj["dram_read_bytes"].get<double>(),
        lj["dram_write_bytes"].get<double>(), lj["energy_pj"]["total"].get<double>());
  }
  fmt::print(
      "per image: {:.0f} cycles (estimate {}, {:+.1f}%; zero skipping saves {} by the "
      "estimate), utilization {:.1f}%, {:.0f} DRAM bytes read, {:.0f} written; energy {:.1f} nJ "
      "(DRAM {:.1f}, SRAM {:.1f}, compute {:.1f}) [{}]\n",
      j["cycles"].get<double>(), est_total, 100.0 * j["estimate_error"].get<double>(), saved_total,
      100.0 * j["utilization"].get<double>(), j["dram_read_bytes"].get<double>(),
      j["dram_write_bytes"].get<double>(), tot.energy.Total() / n / 1000.0,
      tot.energy.dram_pj / n / 1000.0, tot.energy.sram_pj / n / 1000.0,
      tot.energy.compute_pj / n / 1000.0, table.name);
  fmt::print(
      "accuracy {:.2f}% ({}/{}); {} mismatches; DRAM bytes {} the reference model's; "
      "{:.0f} simulated cycles/s\n",
      100.0 * j["accuracy"].get<double>(), correct, images, j["mismatches"].get<int>(),
      dram_equal ? "equal to" : "DIFFERENT FROM", j["sim_cycles_per_second"].get<double>());
  if (!a.json.empty()) WriteTextFile(a.json, j.dump(2) + "\n");
  if (mismatch) throw Error(fmt::format("sim: MISMATCH at {}", mismatch->ToString()));
  if (!error.empty()) throw Error(fmt::format("sim: {}", error));
  if (!dram_equal) throw Error("sim: the DRAM bytes differ from the reference model's");
}

}  // namespace

void AddSimCommand(CLI::App& app) {
  auto args = std::make_shared<SimArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sim", "Run a data set on the RTL (Verilator) and check it against the reference model");
  cmd->add_option("model", args->model, "Encoded model (.qsa)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--data", args->data, "Data set: mnist:test, fashion:test, ...")->required();
  cmd->add_option("--limit", args->limit, "Images to run")->capture_default_str();
  cmd->add_option("--trace", args->trace, "Write an FST waveform of the whole run to FILE");
  cmd->add_option("--energy", args->energy, "Energy preset: horowitz45 (default), paper, lpddr4");
  cmd->add_option("--k", args->k, "Override the quality knob k of every layer (0 = exact)")
      ->check(CLI::Range(0, cmodel::kMaxK));
  cmd->add_option("--seed", args->seed, "Seed of the DRAM model's random back-pressure")
      ->capture_default_str();
  cmd->add_option("--stall", args->stall,
                  "DRAM back-pressure: probability per cycle of a stalled channel, [0, 1)")
      ->capture_default_str();
  cmd->add_option("--latency", args->latency, "DRAM read and write latency in cycles")
      ->capture_default_str();
  cmd->add_flag("--irq", args->irq, "The driver waits for the interrupt instead of polling");
  cmd->add_option("--max-cycles", args->max_cycles, "Watchdog of one layer's job, in cycles")
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Write the results as JSON");
  cmd->callback([args] { RunSim(*args); });
}

}  // namespace qsa::tools
