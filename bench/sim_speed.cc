// qsa_sim_speed: simulation speed of the Verilated qsa_top (Accel, default configuration, one
// thread, no trace) on one MNIST test image through an encoded model, and the inputs of the same
// test for the Icarus testbench testbench/qsa_top_sim_tb.sv. bench/sim_speed.py runs both.
//
//   qsa_sim_speed MODEL.qsa [--image N] [--min-time SECONDS] [--max-cycles N] [--dump DIR]
//
// Runs the image again and again (the input reloaded each time) for at least --min-time seconds
// and prints JSON: simulated clock cycles per run (START to DONE, as AccelRun::cycles; and
// clock_cycles_per_run, all the clock cycles of one Accel::Run, register programming included),
// cycles per second of the whole Accel::Run (register programming included) over thread CPU time
// (best and median run) and wall time, and whether the output matched the reference model (exit 1
// if not). --max-cycles N stops each run N cycles after START, the window of a partial Icarus run
// (no output check): the driver then waits by interrupt, one clock cycle per idle call, with a
// watchdog of N calls (AccelConfig::wait_irq, max_cycles), and every run starts on a fresh
// Accel, so none finds the previous, unfinished job still busy. --dump DIR writes the test for
// the testbench: DIR/dram.hex (the DRAM image, 64-bit little-endian words for $readmemh, word 0 at
// the DRAM base), DIR/expect.hex (the last layer's output, one byte per line) and DIR/test.json
// (register values, the output address and length, the expected cycles).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "qsa/cmodel/model.h"
#include "qsa/sim/accel.h"

namespace {

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// 64-bit little-endian words of `bytes` placed at byte offset `off` (a multiple of 8).
void DumpWords(std::ofstream& f, uint64_t off, const std::vector<uint8_t>& bytes) {
  f << fmt::format("@{:x}\n", off / 8);
  for (size_t i = 0; i < bytes.size(); i += 8) {
    uint64_t w = 0;
    for (size_t b = 0; b < 8 && i + b < bytes.size(); ++b) w |= uint64_t{bytes[i + b]} << (8 * b);
    f << fmt::format("{:016x}\n", w);
  }
}

int Measure(const std::string& model_path, int image, double min_time, uint64_t max_cycles,
            const std::string& dump) {
  using namespace qsa;
  const cmodel::Dataset data = cmodel::LoadDataset("mnist:test");
  if (image >= data.count) {
    throw Error(fmt::format("--image {}: mnist:test has {} images (0..{})", image, data.count,
                            data.count - 1));
  }
  const cmodel::Model model = cmodel::ReadModelFile(model_path);
  const std::vector<int8_t> input = cmodel::QuantizeImage(model, data.Image(image));
  const cmodel::Engine engine(model);
  std::vector<int8_t> want = input;
  for (size_t l = 0; l < model.layers.size(); ++l) want = engine.RunLayer(l, want, nullptr);
  const int layers = static_cast<int>(model.layers.size());

  sim::AccelConfig cfg;  // the default configuration
  if (max_cycles != 0) {
    cfg.max_cycles = max_cycles;
    cfg.wait_irq = true;
  }
  const std::vector<uint8_t> image_bytes = cmodel::SerializeModel(model);
  auto accel = std::make_unique<sim::Accel>(cfg);
  accel->LoadModel(image_bytes);

  std::vector<double> cps;  // simulated cycles per CPU second, per run
  sim::AccelRun run;
  bool ok = true;
  uint64_t total_cycles = 0;
  uint64_t clock_cycles = 0;  // of the last run: START to DONE and the driver's register accesses
  double wall = 0.0;          // of the runs alone
  double cpu_total = 0.0;
  do {
    if (max_cycles != 0 && !cps.empty()) {  // the window: from idle again (not timed)
      accel = std::make_unique<sim::Accel>(cfg);
      accel->LoadModel(image_bytes);
    }
    accel->LoadInput(input);
    const uint64_t c0 = accel->cycle();
    const double t0 = ThreadCpuSeconds();
    const auto w0 = std::chrono::steady_clock::now();
    run = accel->Run(0, layers);
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const double t = ThreadCpuSeconds() - t0;
    const uint64_t n = accel->cycle() - c0;
    clock_cycles = n;
    cpu_total += t;
    total_cycles += n;
    cps.push_back(static_cast<double>(n) / t);
    if (max_cycles == 0) {
      const std::span<const int8_t> got = accel->LayerOutput(layers - 1);
      ok = ok && run.ok() && std::equal(got.begin(), got.end(), want.begin(), want.end());
    }
  } while (cpu_total < min_time);
  std::vector<double> sorted = cps;
  std::sort(sorted.begin(), sorted.end());

  // The driver's layout: model at 0, activation buffers at act_off[]; the last layer writes
  // buffer layers mod 2.
  const qsa_dev& drv = accel->driver();
  const uint64_t model_offset = 0, act0_offset = drv.act_off[0], act1_offset = drv.act_off[1];
  const uint64_t out_off = drv.act_off[layers % 2];
  if (!dump.empty()) {
    std::ofstream hex(dump + "/dram.hex");
    DumpWords(hex, model_offset, image_bytes);
    DumpWords(hex, act0_offset, std::vector<uint8_t>(input.begin(), input.end()));
    std::ofstream exp(dump + "/expect.hex");
    for (int8_t v : want) exp << fmt::format("{:02x}\n", static_cast<uint8_t>(v));
    const uint64_t base = cfg.dram.base;
    std::ofstream js(dump + "/test.json");
    js << fmt::format(
        "{{\"dram_base\": {}, \"dram_bytes\": {}, \"model_base\": {}, \"desc_ptr\": {}, "
        "\"desc_count\": {}, \"act_addr0\": {}, \"act_addr1\": {}, \"win_base\": {}, "
        "\"win_limit\": {}, \"out_addr\": {}, \"out_bytes\": {}, \"read_latency\": {}, "
        "\"write_latency\": {}, \"max_reads\": {}, \"max_writes\": {}, \"cycles\": {}}}\n",
        base, cfg.dram.size, base + model_offset, base + model_offset + 64, layers,
        base + act0_offset, base + act1_offset, base, base + cfg.dram.size, base + out_off,
        want.size(), cfg.dram.read_latency, cfg.dram.write_latency, cfg.dram.max_reads,
        cfg.dram.max_writes, run.cycles);
  }

  std::printf(
      "{\"simulator\": \"verilator\", \"model\": \"%s\", \"image\": %d, \"cycles_per_run\": %llu, "
      "\"clock_cycles_per_run\": %llu, \"runs\": %zu, \"cycles_per_second\": %.0f, "
      "\"cycles_per_second_median\": %.0f, "
      "\"cycles_per_second_wall\": %.0f, \"whole_run\": %s, \"output_matches\": %s}\n",
      model_path.c_str(), image, static_cast<unsigned long long>(run.cycles),
      static_cast<unsigned long long>(clock_cycles), cps.size(), sorted.back(),
      sorted[sorted.size() / 2], static_cast<double>(total_cycles) / wall,
      max_cycles == 0 ? "true" : "false", max_cycles == 0 ? (ok ? "true" : "false") : "null");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace qsa;
  CLI::App app{"Simulation speed of the Verilated qsa_top on one MNIST test image.",
               "qsa_sim_speed"};
  std::string model_path;
  int image = 0;
  double min_time = 2.0;
  std::string dump;
  uint64_t max_cycles = 0;
  app.add_option("model", model_path, "Encoded model (.qsa)")->required();
  app.add_option("--image", image, "MNIST test image index")->check(CLI::Range(0, 1 << 30));
  app.add_option("--min-time", min_time, "Run again until this much thread CPU time (s)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--max-cycles", max_cycles,
                 "Stop each run this many cycles after START (0: whole run)");
  app.add_option("--dump", dump, "Write the Icarus test (dram.hex, expect.hex, test.json) here")
      ->check(CLI::ExistingDirectory);
  CLI11_PARSE(app, argc, argv);
  try {
    return Measure(model_path, image, min_time, max_cycles, dump);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qsa_sim_speed: %s\n", e.what());
    return 1;
  }
}
