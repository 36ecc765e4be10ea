#pragma once
/// @file The Verilated qsa_top with its DRAM (AxiDram) and host port (AxiLiteHost): runs an
/// encoded model on the RTL, cycle by cycle.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qsa/cmodel/model.h"
#include "qsa/sim/axi_dram.h"
#include "qsa/sim/axil_host.h"
#include "qsa_regs.h"

class Vqsa_top;
class VerilatedContext;
class VerilatedFstC;

namespace qsa::sim {

/// Where a run puts things in DRAM, and how long it may take.
struct AccelConfig {
  DramConfig dram;                    ///< base/size/latency/stalls of the DRAM model
  AxiLiteHostConfig host;             ///< AXI4-Lite host options
  uint64_t model_offset = 0;          ///< model image, from the DRAM base
  uint64_t act0_offset = 8ull << 20;  ///< ACT_ADDR0, from the DRAM base
  uint64_t act1_offset = 12ull << 20; ///< ACT_ADDR1, from the DRAM base
  uint64_t max_cycles = 200'000'000;  ///< watchdog of one run
  std::string trace_fst;              ///< FST waveform file ("" = none)
  void Validate() const;              ///< Throws ConfigError("AccelConfig: <field> ...").
};

/// Performance counters (PERF_*_IDX 0 .. STALL_CYCLES, the last).
inline constexpr uint32_t kPerfCounters = QSA_PERF_STALL_CYCLES_IDX + 1;

/// The end of one run, as the host sees it in the registers.
struct AccelRun {
  bool finished = false;  ///< STATUS.DONE seen before the watchdog
  uint32_t status = 0, err_status = 0, err_info = 0, err_addr = 0;
  uint64_t cycles = 0;    ///< clock cycles from START to DONE
  std::vector<uint64_t> counters;  ///< kPerfCounters values, PERF_*_IDX order
};

class Accel {
 public:
  explicit Accel(const AccelConfig& cfg);
  ~Accel();
  Accel(const Accel&) = delete;
  Accel& operator=(const Accel&) = delete;

  /// Writes the model image (spec §7) at model_offset.
  void LoadModel(std::span<const uint8_t> image);
  /// Writes an int8 HWC tensor at ACT_ADDR0 (the first layer's input).
  void LoadInput(std::span<const int8_t> acts);
  /// Programs the registers and runs layers [0, count) of the loaded model; k_override[j] >= 0
  /// overrides layer j's k.
  AccelRun Run(int count, const std::vector<int>& k_override = {});
  /// The activation tensor that layer `layer` wrote (n bytes).
  std::vector<int8_t> LayerOutput(int layer, size_t n) const;

  uint32_t ReadReg(uint32_t offset);
  void WriteReg(uint32_t offset, uint32_t value);
  AxiDram& dram() { return dram_; }
  uint64_t cycle() const { return cycle_; }

 private:
  void Clock();
  /// One AXI4-Lite read or write, clocked to its response; throws on an error response.
  AxiLiteResult Transact(bool write, uint32_t offset, uint32_t value);
  uint64_t Base() const { return cfg_.dram.base; }

  AccelConfig cfg_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vqsa_top> top_;
  std::unique_ptr<VerilatedFstC> trace_;
  AxiDram dram_;
  AxiLiteHost host_;
  uint64_t cycle_ = 0;
};

}  // namespace qsa::sim
