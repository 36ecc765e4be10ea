// Benchmarks: LeNet-5 images/s on the reference model (one core) and encoder time.
// Needs the data cache (scripts/fetch_data.sh) and models/lenet5.onnx.
#include <benchmark/benchmark.h>

#include "qsa/cmodel/dataset.h"
#include "qsa/cmodel/engine.h"
#include "qsa/encoder/encode.h"
#include "qsa/encoder/onnx_import.h"

namespace {

const qsa::cmodel::Dataset& Test() {
  static const qsa::cmodel::Dataset d = qsa::cmodel::LoadDataset("mnist:test");
  return d;
}

const qsa::cmodel::FloatModel& LeNet() {
  static const qsa::cmodel::FloatModel m =
      qsa::encoder::ImportOnnx(std::string(QSA_SOURCE_DIR) + "/models/lenet5.onnx");
  return m;
}

const qsa::cmodel::Model& LeNetEncoded() {
  static const qsa::cmodel::Model m = qsa::encoder::Encode(
      LeNet(), qsa::encoder::EncodeOptions{}, qsa::cmodel::LoadDataset("mnist:train").Head(512));
  return m;
}

// One image per iteration, statistics on (as qsa infer runs it) or off.
void BM_LeNetInference(benchmark::State& state) {
  const qsa::cmodel::Engine engine(LeNetEncoded());
  const auto& data = Test();
  std::vector<qsa::cmodel::LayerStats> stats(LeNetEncoded().layers.size());
  const bool with_stats = state.range(0) != 0;
  int i = 0;
  for (auto _ : state) {
    auto r = engine.Run(data.Image(i), with_stats ? &stats : nullptr);
    benchmark::DoNotOptimize(r);
    i = (i + 1) % data.count;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["images_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LeNetInference)->Arg(1)->Arg(0)->ArgName("stats")->Unit(benchmark::kMicrosecond);

void BM_EncodeLeNet(benchmark::State& state) {
  const auto calib = qsa::cmodel::LoadDataset("mnist:train").Head(512);
  qsa::encoder::EncodeOptions o;
  o.mode = state.range(0) != 0 ? qsa::encoder::Mode::kOptimal : qsa::encoder::Mode::kPaper;
  for (auto _ : state) {
    auto m = qsa::encoder::Encode(LeNet(), o, calib);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_EncodeLeNet)->Arg(0)->Arg(1)->ArgName("optimal")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
