// qsa inspect FILE: validates a .qsa model file and prints its header, descriptors and sizes.
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "commands.h"
#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/energy.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/model.h"
#include "qsa/encoder/encode.h"
#include "report.h"

namespace qsa::tools {

namespace {

struct InspectArgs {
  std::string file;
  std::string json;
  std::string weights;
  int dump = 0;
};

// The deployed weights in real units (spec §6: β·m·2^e_α), [o][r][s][c] per layer.
void WriteWeights(const cmodel::Model& model, const std::string& path) {
  nlohmann::json j;
  j["model"] = model.name;
  j["order"] = "[o][r][s][c]";
  j["layers"] = nlohmann::json::array();
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const cmodel::LayerDesc& d = model.layers[i].desc;
    j["layers"].push_back({{"index", i},
                           {"kind", d.kind == cmodel::LayerKind::kConv ? "conv" : "fc"},
                           {"shape", {d.out_c, d.kernel_h, d.kernel_w, d.in.c}},
                           {"weights", encoder::DequantizeWeights(model.layers[i])}});
  }
  WriteTextFile(path, j.dump() + "\n");
}

uint32_t Le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
         uint32_t{b[at + 3]} << 24;
}

void RunInspect(const InspectArgs& a) {
  if (!a.json.empty()) CheckWritable("--json", a.json, {a.file});
  if (!a.weights.empty()) CheckWritable("--weights", a.weights, {a.file, a.json});
  std::ifstream in(a.file, std::ios::binary);
  if (!in) throw FormatError(fmt::format("{}: cannot open", a.file));
  const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  const cmodel::Model model = cmodel::ParseModel(bytes, a.file);  // validates everything

  fmt::print("{}: QSA model v1, {} bytes, CRC-32 0x{:08x} (valid)\n", a.file, bytes.size(),
             Le32(bytes, 12));
  fmt::print("name '{}', input {}x{}x{} (HWC) exponent {}, {} layers, {} classes\n", model.name,
             model.input.h, model.input.w, model.input.c, model.input_exp, model.layers.size(),
             model.Classes());
  fmt::print("{:>3} {:<4} {:>6} {:>6} {:>4} {:>6} {:>4} {:>5} {:>4} {:>5} {:>10} {:>9} {:>10} "
             "{:>7} {:>10} {:>6}\n",
             "#", "kind", "kernel", "stride", "pads", "flags", "eA", "e_in", "eOut", "shift",
             "codes@", "bytes", "alpha@", "bytes", "bias@", "bytes");
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const cmodel::LayerDesc& d = model.layers[i].desc;
    const size_t at = 64 + 64 * i;
    fmt::print("{:>3} {:<4} {:>6} {:>6} {:>4} {:>6} {:>4} {:>5} {:>4} {:>5} {:>#10x} {:>9} "
               "{:>#10x} {:>7} {:>#10x} {:>6}\n",
               i, d.kind == cmodel::LayerKind::kConv ? "conv" : "fc",
               fmt::format("{}x{}", d.kernel_h, d.kernel_w), d.stride,
               fmt::format("{}{}{}{}", d.pad_top, d.pad_left, d.pad_bottom, d.pad_right),
               fmt::format("{}{}", d.relu ? "relu" : "", d.pool ? "+pool" : ""), d.alpha_exp,
               d.in_exp, d.out_exp, d.Shift(), Le32(bytes, at + 28), Le32(bytes, at + 32),
               Le32(bytes, at + 36), Le32(bytes, at + 40), Le32(bytes, at + 44),
               Le32(bytes, at + 48));
    if (a.dump > 0) {
      const auto& l = model.layers[i];
      std::vector<int> betas;
      for (size_t c = 0; c < l.codes.size() && c < size_t(a.dump); ++c)
        betas.push_back(cmodel::DecodeCode(l.codes[c], d.bits));
      std::vector<int> alphas(l.alphas.begin(),
                              l.alphas.begin() + std::min<size_t>(l.alphas.size(), size_t(a.dump)));
      std::vector<int32_t> biases(l.biases.begin(),
                                  l.biases.begin() + std::min<size_t>(l.biases.size(), size_t(a.dump)));
      fmt::print("    beta:  {}\n    alpha: {}\n    bias:  {}\n", fmt::join(betas, " "),
                 fmt::join(alphas, " "), fmt::join(biases, " "));
    }
  }
  const nlohmann::json report = ModelReport(model, cmodel::EnergyPreset(cmodel::DefaultEnergyPreset()));
  PrintModelReport(report);
  if (!a.json.empty()) WriteTextFile(a.json, report.dump(2) + "\n");
  if (!a.weights.empty()) WriteWeights(model, a.weights);
}

}  // namespace

void AddInspectCommand(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand("inspect", "Validate and print a .qsa model file");
  cmd->add_option("file", args->file, "Model file (.qsa)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--dump", args->dump, "Also print the first N codes, alphas and biases per layer")
      ->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--json", args->json, "Write the size report as JSON");
  cmd->add_option("--weights", args->weights,
                  "Write the deployed weights (real units, [o][r][s][c] per layer) as JSON");
  cmd->callback([args] { RunInspect(*args); });
}

}  // namespace qsa::tools
