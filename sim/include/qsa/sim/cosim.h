#pragma once
/// @file Co-simulation against the reference model: runs inputs through the Verilated qsa_top
/// (through the firmware driver, one job per layer) and through qsa::cmodel::Engine, compares
/// every layer's output bit for bit and every counter, and accumulates per-layer cycles,
/// counters and DRAM bytes per class. Used by `qsa sim`, the cosim regression and bench/.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "qsa/cmodel/cycles.h"
#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"
#include "qsa/sim/accel.h"

namespace qsa::sim {

/// The first difference between the RTL and the reference model.
struct Mismatch {
  int image = 0;  ///< input number in this session
  int layer = 0;
  std::string what;      ///< "output", or the counter / DRAM class that differs
  int64_t index = 0;     ///< element of the output tensor (HWC order), for "output"
  int64_t expected = 0;  ///< reference model
  int64_t got = 0;       ///< RTL
  std::string ToString() const;
};

/// Per-layer totals over the inputs run so far.
struct LayerCosim {
  int64_t jobs = 0;
  int64_t cycles = 0;        ///< RTL BUSY_CYCLES (START to DONE), summed
  int64_t stall_cycles = 0;  ///< RTL STALL_CYCLES
  cmodel::LayerStats rtl;    ///< the RTL's counters and DRAM-model bytes, as stats
  cmodel::LayerStats ref;    ///< the reference model's statistics
  /// The reference model's analytical estimate of one job's cycles (cmodel/cycles.h, spec §8
  /// "Cycle estimate"), at this session's DRAM timing.
  int64_t estimate_cycles = 0;
  /// The same estimate with every zero code made nonzero: what the job would take without
  /// zero skipping. estimate_dense_cycles - estimate_cycles = cycles saved by zero skipping.
  int64_t estimate_dense_cycles = 0;
};

/// One input's outcome.
struct ImageCosim {
  bool ok = false;                   ///< every layer ran and matched
  std::optional<Mismatch> mismatch;  ///< the first difference, if any
  std::string error;                 ///< the accelerator or driver error, if a job failed
  std::vector<int8_t> output;        ///< the last layer's output (RTL)
  int prediction = -1;               ///< argmax of output, lowest index on ties
  int64_t cycles = 0;                ///< RTL cycles of all the layers' jobs
};

class Cosim {
 public:
  /// Plans the model on the reference model (throws ConfigError for layers the build refuses)
  /// and loads it into a new Verilated accelerator.
  Cosim(const cmodel::Model& model, const AccelConfig& cfg);

  /// Runs one int8 input (layer 0's input shape) through every layer, one job per layer, with
  /// k_override[j] >= 0 replacing layer j's k on both sides. Stops at the first difference.
  ImageCosim Run(std::span<const int8_t> input, const std::vector<int>& k_override = {});

  const std::vector<LayerCosim>& layers() const { return layers_; }
  int images() const { return images_; }
  /// Simulated clock cycles (including register traffic) and the wall-clock seconds spent in
  /// the simulator.
  uint64_t sim_cycles() const { return accel_.cycle(); }
  double sim_seconds() const { return sim_seconds_; }
  Accel& accel() { return accel_; }

 private:
  const cmodel::Engine& EngineFor(const std::vector<int>& k_override);

  cmodel::Model model_;
  Accel accel_;
  std::vector<LayerCosim> layers_;
  // Engines per k override (the reference model precomputes Q_k per model).
  std::vector<std::pair<std::vector<int>, std::unique_ptr<cmodel::Engine>>> engines_;
  int images_ = 0;
  double sim_seconds_ = 0;
};

/// The DRAM timing of `cfg` as the cycle estimate takes it (burst limit and outstanding reads: qsa_top's MaxBurst and MaxReads).
cmodel::DramTiming EstimateTiming(const DramConfig& cfg);

/// RTL counters of one job as reference-model statistics (MAC and multiply counters from the
/// PERF registers, DRAM bytes per class from the DRAM model; sram_bytes and outputs are not
/// counted by the RTL and stay 0).
cmodel::LayerStats RtlStats(const AccelRun& run);

}  // namespace qsa::sim
