#pragma once
/// @file The Verilated qsa_top with its DRAM (AxiDram) and host port (AxiLiteHost): runs an
/// encoded model on the RTL, cycle by cycle.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"
#include "qsa/sim/axi_dram.h"
#include "qsa/sim/axil_host.h"
#include "qsa_driver.h"
#include "qsa_regs.h"

class Vqsa_top;
class VerilatedContext;
class VerilatedFstC;

namespace qsa::sim {

/// The DRAM, the host port and the limits of a co-simulation. The firmware driver
/// (firmware/qsa_driver.h) lays the model, its descriptor list and the activations out in the
/// whole DRAM, which is also its DMA window.
struct AccelConfig {
  DramConfig dram;                    ///< base/size/latency/stalls of the DRAM model
  AxiLiteHostConfig host;             ///< AXI4-Lite host options
  uint64_t max_cycles = 200'000'000;  ///< watchdog of one job (poll or idle cycles)
  bool wait_irq = false;              ///< the driver waits for the interrupt (else it polls)
  std::string trace_fst;              ///< FST waveform file ("" = none)
  void Validate() const;              ///< Throws ConfigError("AccelConfig: <field> ...").
};

/// Performance counters (PERF_*_IDX 0 .. STALL_CYCLES, the last).
inline constexpr uint32_t kPerfCounters = QSA_PERF_STALL_CYCLES_IDX + 1;
inline constexpr size_t kDramClasses = static_cast<size_t>(cmodel::DramClass::kCount);
/// qsa_top's MaxBurst as the simulation builds it (the parameter's default): the DMA's burst
/// limit in beats. QsaTop.MaxBurstIsTheBuilds checks it against the RTL.
inline constexpr int kMaxBurst = 16;
/// qsa_top's MaxReads as the simulation builds it: the read bursts the DMA keeps outstanding.
/// QsaTop.MaxBurstIsTheBuilds checks it against the RTL.
inline constexpr int kMaxReads = 4;

/// The end of one job, as the driver saw it.
struct AccelRun {
  bool finished = false;  ///< DONE seen before the watchdog
  int driver = 0;         ///< the driver's qsa_err (0 = QSA_OK)
  std::string message;    ///< "" or what went wrong, with the error cause's name
  uint32_t status = 0, err_status = 0, err_info = 0, err_addr = 0;
  uint64_t cycles = 0;             ///< BUSY_CYCLES: START to DONE
  std::vector<uint64_t> counters;  ///< kPerfCounters values, PERF_*_IDX order
  /// DRAM bytes the DRAM model saw, per cmodel::DramClass (reads: descriptor, codes, alphas,
  /// biases, act_in; writes: act_out), whole beats.
  std::array<int64_t, kDramClasses> dram_bytes{};
  bool ok() const { return finished && driver == 0; }
};

class Accel {
 public:
  explicit Accel(const AccelConfig& cfg);
  ~Accel();
  Accel(const Accel&) = delete;
  Accel& operator=(const Accel&) = delete;

  /// Loads the model image (spec §7) through the driver (qsa_load_model), and tags its
  /// sections and the activation buffers in the DRAM model for the per-class byte counts.
  /// Throws Error naming the driver's complaint.
  void LoadModel(std::span<const uint8_t> image);
  /// Where layer `layer` reads its input (int8 HWC, the layer's input bytes); write it there.
  std::span<int8_t> LayerInput(int layer);
  /// Layer `layer`'s output, where it wrote it (the layer's output bytes).
  std::span<const int8_t> LayerOutput(int layer) const;
  /// Copies acts into layer 0's input.
  void LoadInput(std::span<const int8_t> acts);
  /// Runs layers [first, first + count) as one job through the driver: descriptor list,
  /// registers, START, wait (poll or interrupt), status, counters. k[j] >= 0 replaces layer
  /// first + j's k. Throws Error only for a broken harness (host port); accelerator errors
  /// and time-outs are reported in the result.
  AccelRun Run(int first, int count, const std::vector<int>& k = {});
  /// The loaded model's layer count and the bus address of the model image.
  int Layers() const;
  uint64_t ModelAddress() const;
  /// The driver's device (its DRAM layout: desc_off, act_off[], act_bytes); LoadModel first.
  const qsa_dev& driver() const;

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
  std::unique_ptr<qsa_dev> dev_;  // the firmware driver's device
  std::string hal_error_;         // a host-port failure inside a driver call
  // The driver's HAL (qsa_hal) and idle hook, bound to this object.
  static uint32_t HalRead32(void* ctx, uint32_t offset);
  static void HalWrite32(void* ctx, uint32_t offset, uint32_t value);
  static void HalIdle(void* ctx);
  uint32_t HalRead(uint32_t offset);
  void HalWrite(uint32_t offset, uint32_t value);
  void Idle();
  void CheckHal();
};

}  // namespace qsa::sim
