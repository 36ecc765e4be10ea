#include "report.h"

#include <fmt/format.h>

#include "qsa/cmodel/accounting.h"

namespace qsa::tools {

namespace {

const char* OrientName(cmodel::Orientation o) {
  return o == cmodel::Orientation::kChannel ? "channel" : "filter";
}

nlohmann::json BitsJson(const cmodel::ModelBits& b, const cmodel::EnergyTable& energy) {
  const double pj32 = energy.dram_pj_per_32bit;
  return {{"weights", b.weights},
          {"biases", b.biases},
          {"vectors", b.vectors},
          {"zero_codes", b.zero_codes},
          {"zero_share", b.ZeroShare()},
          {"fp32_bits", b.fp32_bits},
          {"int8_bits", b.int8_bits},
          {"eq11_bits", b.eq11_bits},
          {"eq12_bits", b.eq12_bits},
          {"eq12_vector_bits", b.eq12_vector_bits},
          {"model_bits", b.deployed_bits},
          {"compression", b.Compression()},
          {"compression_vs_int8", b.CompressionVsInt8()},
          {"weight_dram_energy_pj", static_cast<double>(b.deployed_bits) / 32.0 * pj32},
          {"fp32_weight_dram_energy_pj", static_cast<double>(b.fp32_bits) / 32.0 * pj32},
          {"weight_dram_energy_saving", b.Compression()}};
}

}  // namespace

nlohmann::json ModelReport(const cmodel::Model& model, const cmodel::EnergyTable& energy) {
  nlohmann::json j;
  j["model"] = model.name;
  j["input"] = {model.input.h, model.input.w, model.input.c};
  j["input_exp"] = model.input_exp;
  j["energy_preset"] = std::string(energy.name);
  j["layers"] = nlohmann::json::array();
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const cmodel::Layer& layer = model.layers[i];
    const cmodel::LayerDesc& d = layer.desc;
    nlohmann::json l = BitsJson(cmodel::LayerBits(layer), energy);
    l["index"] = i;
    l["kind"] = d.kind == cmodel::LayerKind::kConv ? "conv" : "fc";
    l["in"] = {d.in.h, d.in.w, d.in.c};
    const cmodel::Shape out = d.Out();
    l["out"] = {out.h, out.w, out.c};
    l["kernel"] = {d.kernel_h, d.kernel_w};
    l["stride"] = d.stride;
    l["pads"] = {d.pad_top, d.pad_left, d.pad_bottom, d.pad_right};
    l["relu"] = d.relu;
    l["pool"] = d.pool;
    l["bits"] = d.bits;
    l["phi"] = d.phi;
    l["vector"] = d.vector_len;
    l["orient"] = OrientName(d.orient);
    l["k"] = d.k;
    l["alpha_exp"] = d.alpha_exp;
    l["in_exp"] = d.in_exp;
    l["out_exp"] = d.out_exp;
    l["shift"] = d.Shift();
    j["layers"].push_back(l);
  }
  j["total"] = BitsJson(cmodel::TotalBits(model), energy);
  return j;
}

void PrintModelReport(const nlohmann::json& j) {
  fmt::print("model '{}', input {}x{}x{}, energy preset {}\n", j["model"].get<std::string>(),
             j["input"][0].get<int>(), j["input"][1].get<int>(), j["input"][2].get<int>(),
             j["energy_preset"].get<std::string>());
  fmt::print("{:>3} {:<4} {:>12} {:>12} {:>4} {:>3} {:>3} {:>7} {:>2} {:>8} {:>6} {:>10} {:>10} "
             "{:>10} {:>10} {:>7} {:>9}\n",
             "#", "kind", "in", "out", "bits", "phi", "N", "orient", "k", "weights", "zeros",
             "eq11 bits", "eq12 bits", "eq12/vec", "deployed", "saved", "wDRAM pJ");
  auto row = [](const nlohmann::json& l, const std::string& idx, const std::string& kind,
                const std::string& in, const std::string& out, const std::string& cfg) {
    fmt::print("{:>3} {:<4} {:>12} {:>12} {} {:>8} {:>5.1f}% {:>10} {:>10} {:>10} {:>10} "
               "{:>6.2f}% {:>9.0f}\n",
               idx, kind, in, out, cfg, l["weights"].get<int64_t>(),
               100.0 * l["zero_share"].get<double>(), l["eq11_bits"].get<int64_t>(),
               l["eq12_bits"].get<int64_t>(), l["eq12_vector_bits"].get<int64_t>(),
               l["model_bits"].get<int64_t>(), 100.0 * l["compression"].get<double>(),
               l["weight_dram_energy_pj"].get<double>());
  };
  auto shape = [](const nlohmann::json& s) {
    return fmt::format("{}x{}x{}", s[0].get<int>(), s[1].get<int>(), s[2].get<int>());
  };
  for (const auto& l : j["layers"]) {
    row(l, std::to_string(l["index"].get<int>()), l["kind"].get<std::string>(), shape(l["in"]),
        shape(l["out"]),
        fmt::format("{:>4} {:>3} {:>3} {:>7} {:>2}", l["bits"].get<int>(), l["phi"].get<int>(),
                    l["vector"].get<int>(), l["orient"].get<std::string>(), l["k"].get<int>()));
  }
  row(j["total"], "", "all", "", "", fmt::format("{:>4} {:>3} {:>3} {:>7} {:>2}", "", "", "", "", ""));
  const auto& t = j["total"];
  fmt::print("parameter memory: {} bits deployed vs {} fp32: {:.2f}% saved ({:.2f}% vs int8); "
             "weight DRAM energy {:.0f} pJ vs {:.0f} pJ fp32\n",
             t["model_bits"].get<int64_t>(), t["fp32_bits"].get<int64_t>(),
             100.0 * t["compression"].get<double>(), 100.0 * t["compression_vs_int8"].get<double>(),
             t["weight_dram_energy_pj"].get<double>(), t["fp32_weight_dram_energy_pj"].get<double>());
}

}  // namespace qsa::tools
