// qsa encode MODEL.onnx -o OUT.qsa [options]: quantize a float ONNX CNN into a QSA model file.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "commands.h"
#include "qsa/cmodel/accounting.h"
#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/energy.h"
#include "qsa/cmodel/error.h"
#include "qsa/encoder/encode.h"
#include "qsa/encoder/onnx_import.h"
#include "report.h"

namespace qsa::tools {

namespace {

struct EncodeArgs {
  std::string model;
  std::string out;
  std::string orient = "auto";
  std::string mode = "optimal";
  std::string calib = "mnist:train";
  std::string energy;
  std::string json;
  std::vector<std::string> layer_overrides;
  std::string freeze;  // FROM.qsa:L,L,...
  encoder::EncodeOptions options;
  bool phi_given = false;
};

int ParseInt(const std::string& text, const std::string& what) {
  size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(text, &used);
  } catch (const std::out_of_range&) {
    throw ConfigError(fmt::format("{}: '{}' is out of range", what, text));
  } catch (const std::invalid_argument&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw ConfigError(fmt::format("{}: '{}' is not an integer", what, text));
  }
  return v;
}

encoder::OrientChoice ParseOrient(const std::string& s, const std::string& what) {
  if (s == "auto") return encoder::OrientChoice::kAuto;
  if (s == "channel") return encoder::OrientChoice::kChannel;
  if (s == "filter") return encoder::OrientChoice::kFilter;
  throw ConfigError(fmt::format("{}: orientation '{}' is not channel, filter or auto", what, s));
}

encoder::Mode ParseMode(const std::string& s, const std::string& what) {
  if (s == "paper") return encoder::Mode::kPaper;
  if (s == "paper-nearest") return encoder::Mode::kPaperNearest;
  if (s == "optimal") return encoder::Mode::kOptimal;
  throw ConfigError(
      fmt::format("{}: mode '{}' is not paper, paper-nearest or optimal", what, s));
}

// "--layer I:key=value,key=value" -> per-layer override of layer I.
void ApplyLayerOverride(const std::string& spec, encoder::EncodeOptions& options) {
  const std::string what = fmt::format("--layer {}", spec);
  const size_t colon = spec.find(':');
  if (colon == std::string::npos) {
    throw ConfigError(fmt::format("{}: expected LAYER:key=value[,key=value]", what));
  }
  const int index = ParseInt(spec.substr(0, colon), what + ": layer index");
  if (index < 0 || index > 255) throw ConfigError(fmt::format("{}: layer index out of range", what));
  if (options.per_layer.size() <= size_t(index)) options.per_layer.resize(size_t(index) + 1);
  encoder::LayerOptions& o = options.per_layer[size_t(index)];
  std::stringstream items(spec.substr(colon + 1));
  std::string item;
  std::set<std::string> seen;
  while (std::getline(items, item, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) throw ConfigError(fmt::format("{}: '{}' is not key=value", what, item));
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    if (!seen.insert(key).second) {
      throw ConfigError(fmt::format("{}: key '{}' given twice", what, key));
    }
    if (key == "bits") o.bits = ParseInt(value, what);
    else if (key == "phi") o.phi = ParseInt(value, what);
    else if (key == "vector") o.vector_len = ParseInt(value, what);
    else if (key == "k") o.k = ParseInt(value, what);
    else if (key == "orient") o.orient = ParseOrient(value, what);
    else if (key == "mode") o.mode = ParseMode(value, what);
    else throw ConfigError(fmt::format("{}: unknown key '{}' (bits, phi, vector, orient, k, mode)", what, key));
  }
}

void RunEncode(EncodeArgs& a) {
  encoder::EncodeOptions& opt = a.options;
  if (opt.bits == 2 && !a.phi_given) opt.phi = 1;  // ternary codes have one level
  opt.orient = ParseOrient(a.orient, "--orient");
  opt.mode = ParseMode(a.mode, "--mode");
  for (const std::string& spec : a.layer_overrides) ApplyLayerOverride(spec, opt);
  CheckWritable("-o", a.out, {a.model});
  if (!a.json.empty()) CheckWritable("--json", a.json, {a.model, a.out});
  const cmodel::EnergyTable energy =
      cmodel::EnergyPreset(a.energy.empty() ? cmodel::DefaultEnergyPreset() : a.energy);

  const auto start = std::chrono::steady_clock::now();
  const cmodel::FloatModel fm = encoder::ImportOnnx(a.model);
  if (opt.per_layer.size() > fm.layers.size()) {
    throw ConfigError(fmt::format("--layer: layer {} does not exist ({} has {} layers)",
                                  opt.per_layer.size() - 1, a.model, fm.layers.size()));
  }
  opt.Validate();
  if (!a.freeze.empty()) {
    const size_t colon = a.freeze.rfind(':');
    if (colon == std::string::npos || colon + 1 == a.freeze.size()) {
      throw ConfigError(fmt::format("--freeze '{}': expected FROM.qsa:LAYER[,LAYER...]", a.freeze));
    }
    const std::string from = a.freeze.substr(0, colon);
    const cmodel::Model frozen = cmodel::ReadModelFile(from);
    std::string list = a.freeze.substr(colon + 1);
    for (size_t pos = 0; pos <= list.size();) {
      const size_t comma = std::min(list.find(',', pos), list.size());
      const int li = ParseInt(list.substr(pos, comma - pos), "--freeze layer");
      if (li < 0 || size_t(li) >= fm.layers.size() || size_t(li) >= frozen.layers.size()) {
        throw ConfigError(fmt::format("--freeze: layer {} does not exist ({} has {}, {} has {})",
                                      li, a.model, fm.layers.size(), from, frozen.layers.size()));
      }
      opt.frozen[size_t(li)] = frozen.layers[size_t(li)];
      pos = comma + 1;
    }
  }
  const cmodel::Dataset calib = cmodel::LoadDataset(a.calib).Head(opt.calib_images);
  std::vector<encoder::LayerEncodeReport> reports;
  const cmodel::Model model = encoder::Encode(fm, opt, calib, &reports);
  cmodel::WriteModelFile(model, a.out);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json j = ModelReport(model, energy);
  for (size_t i = 0; i < reports.size(); ++i) {
    const auto& r = reports[i];
    auto& l = j["layers"][i];
    l["name"] = fm.layers[i].name;
    l["l2_error"] = r.l2_error;
    l["l2_error_paper"] = r.l2_error_paper;
    l["relative_l2_error"] = r.weight_energy > 0 ? r.l2_error / r.weight_energy : 0.0;
  }
  j["source"] = a.model;
  j["output"] = a.out;
  j["calibration"] = {{"data", a.calib}, {"images", calib.count}};
  j["encode_seconds"] = secs;
  PrintModelReport(j);
  fmt::print("wrote {} ({} layers) in {:.2f} s\n", a.out, model.layers.size(), secs);
  if (!a.json.empty()) WriteTextFile(a.json, j.dump(2) + "\n");
}

}  // namespace

void AddEncodeCommand(CLI::App& app) {
  auto args = std::make_shared<EncodeArgs>();
  CLI::App* cmd = app.add_subcommand("encode", "Quantize a float ONNX CNN into a .qsa model file");
  cmd->add_option("model", args->model, "Float model (.onnx)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", args->out, "Output model file (.qsa)")->required();
  cmd->add_option("--bits", args->options.bits, "Code width: 2 (ternary) or 3")->capture_default_str();
  cmd->add_option("--phi", args->options.phi, "Quality knob phi: 1, 2 or 4")
      ->capture_default_str()->each([args](const std::string&) { args->phi_given = true; });
  cmd->add_option("--vector", args->options.vector_len, "Vector length N (1..64)")->capture_default_str();
  cmd->add_option("--orient", args->orient, "Vector orientation: channel, filter or auto")->capture_default_str();
  cmd->add_option("--mode", args->mode, "Quantizer: paper (eq. 9-10), paper-nearest (eq. 9 alpha, nearest level) or optimal (min L2)")->capture_default_str();
  cmd->add_option("--k", args->options.k, "Quality knob k: NAF digits of alpha kept (0 = exact)")->capture_default_str();
  cmd->add_option("--calib", args->calib, "Calibration data set (mnist:train, fashion:train, ...)")->capture_default_str();
  cmd->add_option("--calib-images", args->options.calib_images, "Calibration images")->capture_default_str();
  cmd->add_option("--layer", args->layer_overrides,
                  "Per-layer override LAYER:key=value[,...] (keys bits, phi, vector, orient, k, mode)");
  cmd->add_option("--freeze", args->freeze,
                  "FROM.qsa:L[,L...]: keep these layers' codes and alphas from an earlier "
                  "encoding (e.g. conv layers frozen while the FC layers were fine-tuned)");
  cmd->add_option("--energy", args->energy, "Energy preset for the report (horowitz45, paper, lpddr4)");
  cmd->add_option("--json", args->json, "Write the report as JSON");
  cmd->callback([args] { RunEncode(*args); });
}

}  // namespace qsa::tools
