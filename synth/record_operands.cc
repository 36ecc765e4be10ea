// Records PE operand streams from real LeNet-5 layers for the switching-activity proxy
// (docs/synthesis.md, synth/activity.py). Runs the bit-exact reference model on MNIST test
// images and, for a deterministic sample of (output position, filter) pairs of every layer,
// writes what one PE's datapath sees, cycle by cycle:
//
//   qsa_L<L>.txt   one line per cycle for synth/rtl/qsa_pe_datapath.sv:
//                  "valid last alpha codes acts" (hex; codes L×3 bits, acts L×8 bits, lane 0
//                  in the low bits): each vector's nonzero codes, L per cycle in vector order
//                  (the zero-skip compaction; a vector without nonzero codes costs no cycle),
//                  with their activations; last marks the vector's final group.
//   conv_L<L>.txt  one line per cycle for synth/rtl/conv_pe.sv: "valid wgt acts": the same
//                  MAC slots densely, L per cycle, with int8 weights of the float model
//                  (per-filter symmetric: round(127·w / max|w|)), the same activations.
//   mult.txt       "x alpha" per multiply the QSA PE issues (S_v, α), for the multiplier alone.
//   meta_L<L>.json MAC slots, cycles and multiplies per layer.
//
//   qsa_record_operands MODEL.onnx MODEL.qsa OUTDIR LANES [IMAGES] [SLOTS_PER_LAYER]
// MODEL.qsa must be the encoding of MODEL.onnx (same layers and shapes); bad arguments, files
// that cannot be read or written and a mismatched pair end with an error message and exit 1.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/float_model.h"
#include "qsa/cmodel/model.h"
#include "qsa/encoder/onnx_import.h"

namespace {

using qsa::cmodel::DecodeCode;
using qsa::cmodel::EncodeBeta;

// Hex of a little-endian lane vector (lane 0 in the low bits) of `bits` bits per lane.
std::string Hex(const std::vector<uint32_t>& lanes, int bits) {
  const int total = static_cast<int>(lanes.size()) * bits;
  std::vector<int> bit(static_cast<size_t>(total), 0);
  for (size_t l = 0; l < lanes.size(); ++l) {
    for (int b = 0; b < bits; ++b) bit[l * size_t(bits) + size_t(b)] = (lanes[l] >> b) & 1u;
  }
  std::string s;
  for (int nib = (total + 3) / 4 - 1; nib >= 0; --nib) {
    int v = 0;
    for (int b = 3; b >= 0; --b) {
      const int i = nib * 4 + b;
      v = v * 2 + (i < total ? bit[size_t(i)] : 0);
    }
    s += "0123456789abcdef"[v];
  }
  return s;
}

// Opens an output stream, or throws naming the file.
std::ofstream OpenOut(const std::string& path) {
  std::ofstream f(path);
  if (!f) throw qsa::Error(path + ": cannot open for writing");
  return f;
}

// The float network and the encoded one must have the same layers: the conventional PE's int8
// weights come from the first, the QSA streams from the second.
void CheckPair(const qsa::cmodel::FloatModel& fmodel, const qsa::cmodel::Model& model) {
  if (fmodel.layers.size() != model.layers.size()) {
    throw qsa::Error("the .qsa model has " + std::to_string(model.layers.size()) +
                     " layers, the ONNX model " + std::to_string(fmodel.layers.size()) +
                     ": not its encoding");
  }
  for (size_t li = 0; li < model.layers.size(); ++li) {
    const qsa::cmodel::LayerDesc& d = model.layers[li].desc;
    const size_t want = size_t(d.out_c) * size_t(d.FanIn());
    if (fmodel.layers[li].weights.size() != want) {
      throw qsa::Error("layer " + std::to_string(li) + ": the ONNX model has " +
                       std::to_string(fmodel.layers[li].weights.size()) +
                       " weights, the .qsa model " + std::to_string(want) +
                       ": not its encoding");
    }
  }
}

int Record(const std::string& onnx_path, const std::string& qsa_path, const std::string& outdir,
           int lanes, int images, int64_t slots_per_layer) {
  const qsa::cmodel::FloatModel fmodel = qsa::encoder::ImportOnnx(onnx_path);
  const qsa::cmodel::Model model = qsa::cmodel::ReadModelFile(qsa_path);
  CheckPair(fmodel, model);
  const qsa::cmodel::Engine engine(model);
  const qsa::cmodel::Dataset data = qsa::cmodel::LoadDataset("mnist:test").Head(images);

  const std::string qpath = outdir + "/qsa_L" + std::to_string(lanes) + ".txt";
  const std::string cpath = outdir + "/conv_L" + std::to_string(lanes) + ".txt";
  const std::string mpath = outdir + "/mult.txt";
  const std::string metapath = outdir + "/meta_L" + std::to_string(lanes) + ".json";
  std::ofstream qf = OpenOut(qpath);
  std::ofstream cf = OpenOut(cpath);
  std::ofstream mf = OpenOut(mpath);
  std::ofstream meta = OpenOut(metapath);
  meta << "{\"lanes\": " << lanes << ", \"images\": " << data.count << ", \"layers\": [";
  const std::vector<uint32_t> zero_lanes(size_t(lanes), 0);

  for (int img = 0; img < data.count; ++img) {
    const auto outs = engine.RunAll(data.Image(img));
    for (size_t li = 0; li < model.layers.size(); ++li) {
      const qsa::cmodel::Layer& layer = model.layers[li];
      const qsa::cmodel::LayerDesc& d = layer.desc;
      const auto& fl = fmodel.layers[li];
      const std::vector<int8_t>& in = outs[li];
      const auto spans = qsa::cmodel::FilterVectors(d);
      const int oh = d.ConvOutH();
      const int ow = d.ConvOutW();
      const int fan = d.FanIn();
      const int64_t pairs = int64_t{oh} * ow * d.out_c;
      const int64_t want = std::max<int64_t>(1, slots_per_layer / fan);
      const int64_t step = std::max<int64_t>(1, pairs / want);
      // int8 weights of the float model, per filter
      std::vector<int> w8(size_t(d.out_c) * size_t(fan));
      for (int o = 0; o < d.out_c; ++o) {
        float mx = 0.f;
        for (int j = 0; j < fan; ++j) mx = std::max(mx, std::fabs(fl.weights[size_t(o) * fan + j]));
        for (int j = 0; j < fan; ++j) {
          const float w = fl.weights[size_t(o) * fan + j];
          w8[size_t(o) * fan + j] = mx > 0 ? static_cast<int>(std::lround(127.0 * w / mx)) : 0;
        }
      }
      int64_t slots = 0, qcycles = 0, ccycles = 0, mults = 0;
      for (int64_t p = (step / 2) % pairs; p < pairs; p += step) {
        const int o = static_cast<int>(p % d.out_c);
        const int x = static_cast<int>((p / d.out_c) % ow);
        const int y = static_cast<int>(p / (int64_t{d.out_c} * ow));
        auto act = [&](int j) -> int {
          const int r = j / (d.kernel_w * d.in.c);
          const int s = (j / d.in.c) % d.kernel_w;
          const int ch = j % d.in.c;
          const int iy = y * d.stride + r - d.pad_top;
          const int ix = x * d.stride + s - d.pad_left;
          if (iy < 0 || iy >= d.in.h || ix < 0 || ix >= d.in.w) return 0;
          return in[(size_t(iy) * d.in.w + ix) * d.in.c + ch];
        };
        slots += fan;
        // QSA: per vector, the nonzero codes L at a time
        for (size_t v = 0; v < spans.size(); ++v) {
          const int m = layer.alphas[size_t(o) * spans.size() + v];
          std::vector<uint32_t> codes, acts;
          int64_t sv = 0;
          for (int j = spans[v].start; j < spans[v].start + spans[v].length; ++j) {
            const int beta = DecodeCode(layer.codes[size_t(o) * fan + j], d.bits);
            if (beta == 0) continue;
            codes.push_back(EncodeBeta(beta, 3));
            acts.push_back(static_cast<uint32_t>(act(j)) & 0xffu);
            sv += int64_t{beta} * act(j);
          }
          if (codes.empty()) continue;
          for (size_t g = 0; g < codes.size(); g += size_t(lanes)) {
            std::vector<uint32_t> gc(zero_lanes), ga(zero_lanes);
            for (size_t l = 0; l < size_t(lanes) && g + l < codes.size(); ++l) {
              gc[l] = codes[g + l];
              ga[l] = acts[g + l];
            }
            const bool last = g + size_t(lanes) >= codes.size();
            char a[8];
            std::snprintf(a, sizeof a, "%02x", m);
            qf << "1 " << (last ? 1 : 0) << ' ' << a << ' ' << Hex(gc, 3) << ' ' << Hex(ga, 8)
               << '\n';
            ++qcycles;
          }
          if (m != 0) {
            mf << Hex({static_cast<uint32_t>(sv) & 0x1ffffu}, 17) << ' ' << Hex({uint32_t(m)}, 8)
               << '\n';
            ++mults;
          }
        }
        // conventional: every slot, L per cycle
        for (int j0 = 0; j0 < fan; j0 += lanes) {
          std::vector<uint32_t> gw(zero_lanes), ga(zero_lanes);
          for (int l = 0; l < lanes && j0 + l < fan; ++l) {
            gw[size_t(l)] = static_cast<uint32_t>(w8[size_t(o) * fan + j0 + l]) & 0xffu;
            ga[size_t(l)] = static_cast<uint32_t>(act(j0 + l)) & 0xffu;
          }
          cf << "1 " << Hex(gw, 8) << ' ' << Hex(ga, 8) << '\n';
          ++ccycles;
        }
      }
      meta << (img || li ? ", " : "") << "{\"image\": " << img << ", \"layer\": " << li
           << ", \"k\": " << d.k << ", \"mac_slots\": " << slots << ", \"qsa_cycles\": " << qcycles
           << ", \"conv_cycles\": " << ccycles << ", \"multiplies\": " << mults << "}";
    }
  }
  meta << "]}\n";
  for (auto [f, path] : {std::pair<std::ofstream*, const std::string*>{&qf, &qpath},
                         {&cf, &cpath}, {&mf, &mpath}, {&meta, &metapath}}) {
    f->close();
    if (!*f) throw qsa::Error(*path + ": write failed");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Records PE operand streams of real LeNet-5 layers for synth/activity.py.",
               "qsa_record_operands"};
  std::string onnx_path, qsa_path, outdir;
  int lanes = 8;
  int images = 1;
  int64_t slots = 4000;
  app.add_option("onnx", onnx_path, "Float model (.onnx)")->required()->check(CLI::ExistingFile);
  app.add_option("qsa", qsa_path, "Its encoding (.qsa)")->required()->check(CLI::ExistingFile);
  app.add_option("outdir", outdir, "Directory for the streams")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("lanes", lanes, "Lanes per PE")->required()->check(CLI::Range(1, 64));
  app.add_option("images", images, "MNIST test images")->check(CLI::Range(1, 1 << 20));
  app.add_option("slots", slots, "MAC slots sampled per layer")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  CLI11_PARSE(app, argc, argv);
  try {
    return Record(onnx_path, qsa_path, outdir, lanes, images, slots);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qsa_record_operands: %s\n", e.what());
    return 1;
  }
}
