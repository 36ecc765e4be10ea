// qsa infer: runs a data set on the bit-exact reference model (or the fp32 baseline).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands.h"
#include "progress.h"
#include "qsa/cmodel/accounting.h"
#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/energy.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/encoder/encode.h"
#include "qsa/encoder/onnx_import.h"
#include "report.h"

namespace qsa::tools {

namespace {

struct InferArgs {
  std::string model;
  std::string fp32;
  std::string data;
  std::string energy;
  std::string json;
  std::string deployed;              // --fp32 with these layers' deployed weights
  std::vector<int> deployed_layers;  // empty: every layer
  int limit = 0;
  int threads = 1;
  int k = -1;
  int vec_rows = cmodel::ArrayConfig{}.vec_rows;  // Vmax of the modelled build
  bool vec_rows_given = false;                    // --vec-rows on the command line
};

// Runs `work(begin, end, worker)` over [0, n) split across `threads` workers.
template <typename Work>
void ParallelFor(int n, int threads, Work work) {
  std::vector<std::thread> pool;
  const int per = (n + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    const int begin = t * per;
    const int end = std::min(n, begin + per);
    if (begin >= end) break;
    pool.emplace_back([&work, begin, end, t] { work(begin, end, t); });
  }
  for (auto& th : pool) th.join();
}

// Replaces the float weights of the chosen layers by the deployed (dequantized) ones of an
// encoded model of the same network: the accuracy cost of quantizing those layers alone.
std::vector<int> UseDeployedWeights(cmodel::FloatModel& fm, const InferArgs& a) {
  const cmodel::Model model = cmodel::ReadModelFile(a.deployed);
  if (model.layers.size() != fm.layers.size()) {
    throw ConfigError(fmt::format("--deployed {} has {} layers but {} has {}", a.deployed,
                                  model.layers.size(), a.fp32, fm.layers.size()));
  }
  std::vector<int> layers = a.deployed_layers;
  if (layers.empty()) {
    for (size_t i = 0; i < fm.layers.size(); ++i) layers.push_back(int(i));
  }
  for (int i : layers) {
    if (i < 0 || size_t(i) >= fm.layers.size()) {
      throw ConfigError(fmt::format("--layers: no layer {} (the model has {})", i, fm.layers.size()));
    }
    std::vector<float> w = encoder::DequantizeWeights(model.layers[size_t(i)]);
    if (w.size() != fm.layers[size_t(i)].weights.size()) {
      throw ConfigError(fmt::format("--deployed {} layer {} has {} weights but {} has {}",
                                    a.deployed, i, w.size(), a.fp32,
                                    fm.layers[size_t(i)].weights.size()));
    }
    fm.layers[size_t(i)].weights = std::move(w);
  }
  return layers;
}

void RunFp32(const InferArgs& a, const cmodel::Dataset& data) {
  cmodel::FloatModel fm = encoder::ImportOnnx(a.fp32);
  std::vector<int> deployed;
  if (!a.deployed.empty()) deployed = UseDeployedWeights(fm, a);
  if (fm.input.h != data.height || fm.input.w != data.width || fm.input.c != 1) {
    throw ConfigError(fmt::format("{} takes {}x{}x{} inputs but {} has {}x{}x1 images", a.fp32,
                                  fm.input.h, fm.input.w, fm.input.c, a.data, data.height,
                                  data.width));
  }
  Progress progress("fp32 " + a.data, data.count);
  std::vector<int> correct(size_t(a.threads), 0);
  const auto start = std::chrono::steady_clock::now();
  ParallelFor(data.count, a.threads, [&](int begin, int end, int t) {
    for (int i = begin; i < end; ++i) {
      const std::vector<float> logits = cmodel::RunFloat(fm, data.Image(i));
      const auto pred = std::max_element(logits.begin(), logits.end()) - logits.begin();
      correct[size_t(t)] += pred == data.labels[size_t(i)];
      progress.Advance();
    }
  });
  progress.Finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int total_correct = 0;
  for (int c : correct) total_correct += c;
  nlohmann::json j;
  j["model"] = a.fp32;
  j["precision"] = "fp32";
  if (!a.deployed.empty()) {
    j["deployed"] = a.deployed;
    j["deployed_layers"] = deployed;
  }
  j["data"] = a.data;
  j["images"] = data.count;
  j["correct"] = total_correct;
  j["accuracy"] = static_cast<double>(total_correct) / data.count;
  j["images_per_second"] = data.count / secs;
  j["threads"] = a.threads;
  int64_t params = 0;
  for (const auto& l : fm.layers) params += static_cast<int64_t>(l.weights.size() + l.bias.size());
  j["fp32_bits"] = 32 * params;
  j["model_bits"] = 32 * params;
  const std::string what =
      deployed.empty() ? "fp32"
                       : fmt::format("fp32 with the deployed weights of layers {} from {},",
                                     fmt::join(deployed, ","), a.deployed);
  fmt::print("{} {} on {}: accuracy {:.2f}% ({}/{}), {:.0f} images/s\n", what, a.fp32, a.data,
             100.0 * j["accuracy"].get<double>(), total_correct, data.count,
             j["images_per_second"].get<double>());
  if (!a.json.empty()) WriteTextFile(a.json, j.dump(2) + "\n");
}

void RunQsa(const InferArgs& a, const cmodel::Dataset& data) {
  cmodel::Model model = cmodel::ReadModelFile(a.model);
  if (a.k >= 0) {
    for (auto& l : model.layers) l.desc.k = a.k;
  }
  if (model.input.h != data.height || model.input.w != data.width || model.input.c != 1) {
    throw ConfigError(fmt::format("{} takes {}x{}x{} inputs but {} has {}x{}x1 images", a.model,
                                  model.input.h, model.input.w, model.input.c, a.data,
                                  data.height, data.width));
  }
  const cmodel::EnergyTable energy =
      cmodel::EnergyPreset(a.energy.empty() ? cmodel::DefaultEnergyPreset() : a.energy);
  cmodel::ArrayConfig array;
  array.vec_rows = a.vec_rows;
  array.Validate();
  const cmodel::Engine engine(model, array);
  const size_t layers = model.layers.size();
  std::vector<std::vector<cmodel::LayerStats>> stats(size_t(a.threads),
                                                     std::vector<cmodel::LayerStats>(layers));
  std::vector<int> correct(size_t(a.threads), 0);
  Progress progress("infer " + a.data, data.count);
  const auto start = std::chrono::steady_clock::now();
  ParallelFor(data.count, a.threads, [&](int begin, int end, int t) {
    for (int i = begin; i < end; ++i) {
      const cmodel::InferResult r = engine.Run(data.Image(i), &stats[size_t(t)]);
      correct[size_t(t)] += r.prediction == data.labels[size_t(i)];
      progress.Advance();
    }
  });
  progress.Finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<cmodel::LayerStats> total(layers);
  int total_correct = 0;
  for (int t = 0; t < a.threads; ++t) {
    for (size_t l = 0; l < layers; ++l) total[l] += stats[size_t(t)][l];
    total_correct += correct[size_t(t)];
  }

  nlohmann::json j = ModelReport(model, energy);
  const nlohmann::json bits = j["total"];
  j["model"] = a.model;
  j["data"] = a.data;
  j["images"] = data.count;
  j["correct"] = total_correct;
  j["accuracy"] = static_cast<double>(total_correct) / data.count;
  j["images_per_second"] = data.count / secs;
  j["threads"] = a.threads;
  j["array"] = {{"pes", array.pes}, {"lanes", array.lanes}, {"vec_rows", array.vec_rows},
                {"on_chip_bytes", array.OnChipBytes()}};
  j["model_bits"] = bits["model_bits"];
  j["fp32_bits"] = bits["fp32_bits"];
  j["compression"] = bits["compression"];
  cmodel::LayerStats sum;
  cmodel::Energy esum;
  const double n = data.count;
  for (size_t l = 0; l < layers; ++l) {
    sum += total[l];
    const cmodel::Energy e = cmodel::LayerEnergy(total[l], energy);
    esum.dram_pj += e.dram_pj;
    esum.sram_pj += e.sram_pj;
    esum.compute_pj += e.compute_pj;
    nlohmann::json& lj = j["layers"][l];
    lj["stats"] = cmodel::ToJson(total[l]);
    lj["energy_pj"] = e.Total() / n;
    lj["energy_breakdown_pj"] = {{"dram", e.dram_pj / n}, {"sram", e.sram_pj / n},
                                 {"compute", e.compute_pj / n}};
  }
  j["stats"] = cmodel::ToJson(sum);
  j["dram_read_bytes"] = sum.DramReadBytes() / data.count;
  j["dram_write_bytes"] = sum.DramWriteBytes() / data.count;
  j["energy_pj"] = esum.Total() / n;
  j["energy_breakdown_pj"] = {{"dram", esum.dram_pj / n}, {"sram", esum.sram_pj / n},
                              {"compute", esum.compute_pj / n}};

  fmt::print("{} on {}: accuracy {:.2f}% ({}/{}), {:.0f} images/s on {} thread(s)\n", a.model,
             a.data, 100.0 * j["accuracy"].get<double>(), total_correct, data.count,
             j["images_per_second"].get<double>(), a.threads);
  fmt::print("{:>3} {:>12} {:>12} {:>12} {:>12} {:>11} {:>11} {:>10} {:>10} {:>12}\n", "#",
             "MACs/img", "zero-code", "zero-act", "done", "multiplies", "partial pp",
             "DRAM rd B", "DRAM wr B", "energy pJ");
  for (size_t l = 0; l < layers; ++l) {
    const auto& s = total[l];
    fmt::print("{:>3} {:>12} {:>12} {:>12} {:>12} {:>11} {:>11} {:>10} {:>10} {:>12.1f}\n", l,
               s.macs / data.count, s.macs_zero_code / data.count, s.macs_zero_act / data.count,
               s.MacsDone() / data.count, s.multiplies / data.count,
               s.partial_products / data.count, s.DramReadBytes() / data.count,
               s.DramWriteBytes() / data.count, j["layers"][l]["energy_pj"].get<double>());
  }
  fmt::print("per image: {} MAC slots, {:.1f}% skipped (zero code), {:.1f}% gated (zero "
             "activation), {} DRAM bytes; energy {:.1f} nJ (DRAM {:.1f}, SRAM {:.1f}, compute "
             "{:.1f}) [{}]\n",
             sum.macs / data.count, 100.0 * double(sum.macs_zero_code) / double(sum.macs),
             100.0 * double(sum.macs_zero_act) / double(sum.macs),
             (sum.DramReadBytes() + sum.DramWriteBytes()) / data.count,
             esum.Total() / n / 1000.0, esum.dram_pj / n / 1000.0, esum.sram_pj / n / 1000.0,
             esum.compute_pj / n / 1000.0, energy.name);
  fmt::print("parameter memory: {} bits vs {} fp32 ({:.2f}% saved)\n",
             bits["model_bits"].get<int64_t>(), bits["fp32_bits"].get<int64_t>(),
             100.0 * bits["compression"].get<double>());
  if (!a.json.empty()) WriteTextFile(a.json, j.dump(2) + "\n");
}

void RunInfer(InferArgs& a) {
  if (a.model.empty() == a.fp32.empty()) {
    throw ConfigError("infer: give exactly one of MODEL.qsa or --fp32 MODEL.onnx");
  }
  if (a.threads < 1 || a.threads > 256) throw ConfigError("--threads must be in 1..256");
  if (!a.deployed.empty() && a.fp32.empty()) {
    throw ConfigError("--deployed needs --fp32 MODEL.onnx (the float network it replaces weights in)");
  }
  if (!a.deployed_layers.empty() && a.deployed.empty()) {
    throw ConfigError("--layers needs --deployed OUT.qsa");
  }
  if (a.limit < 0) throw ConfigError("--limit must be >= 0 (0 = all images)");
  if (!a.json.empty()) CheckWritable("--json", a.json, {a.model, a.fp32, a.deployed});
  if (!a.fp32.empty() && a.vec_rows_given) {
    throw ConfigError("--vec-rows models a build for an encoded model; it does not apply to --fp32");
  }
  const cmodel::Dataset data = cmodel::LoadDataset(a.data).Head(a.limit);
  if (a.fp32.empty()) {
    RunQsa(a, data);
  } else {
    RunFp32(a, data);
  }
}

}  // namespace

void AddInferCommand(CLI::App& app) {
  auto args = std::make_shared<InferArgs>();
  CLI::App* cmd = app.add_subcommand("infer", "Run a data set on the bit-exact reference model");
  cmd->add_option("model", args->model, "Encoded model (.qsa)")->check(CLI::ExistingFile);
  cmd->add_option("--fp32", args->fp32, "Run the fp32 baseline of this ONNX model instead")
      ->check(CLI::ExistingFile);
  cmd->add_option("--data", args->data, "Data set: mnist:test, mnist:train, fashion:test, ...")
      ->required();
  cmd->add_option("--deployed", args->deployed,
                  "With --fp32: use the deployed weights of this encoded model (all layers, or "
                  "--layers)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--layers", args->deployed_layers,
                  "With --deployed: only these layers (0-based, comma-separated)")
      ->delimiter(',');
  cmd->add_option("--limit", args->limit, "Run only the first N images (0 = all)");
  cmd->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--energy", args->energy, "Energy preset: horowitz45 (default), paper, lpddr4");
  cmd->add_option("--k", args->k, "Override the quality knob k of every layer (0 = exact)")
      ->check(CLI::Range(0, cmodel::kMaxK));
  CLI::Option* vec_rows = cmd->add_option("--vec-rows", args->vec_rows,
                  "Vectors of one filter a PE holds (Vmax) in the modelled build; a larger value "
                  "than the RTL's runs layers the hardware refuses (reference model only)")
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Write the results as JSON");
  cmd->callback([args, vec_rows] {
    args->vec_rows_given = vec_rows->count() > 0;
    RunInfer(*args);
  });
}

}  // namespace qsa::tools
