#pragma once
/// @file AxiLiteHost: a cycle-based AXI4-Lite master (32-bit data) that runs a queue of register
/// reads and writes, one at a time, for a driver or a test.
///
/// Same two-phase calling convention as AxiDram (axi_dram.h), per clock cycle:
///
///     AxiLiteMasterOut m;
///     host.Drive(m);                          // 1. master outputs (from state only)
///     ApplyAxiLiteMasterOut(m, *top);         //    ... and the DUT's other inputs
///     top->clk_i = 0; top->eval();            // 2. settle
///     AxiLiteSlaveOut s = SampleAxiLiteSlaveOut(*top);  // 3. slave outputs of this cycle
///     host.Tick(m, s);                        // 4. handshakes; completions; next state
///     top->clk_i = 1; top->eval();            // 5. rising edge
///
/// StartWrite()/StartRead() may be called between cycles (before Drive()); an operation issued
/// to an idle host is presented in the same cycle. Operations complete in issue order; their
/// results queue up until taken with TakeRead()/TakeReadData()/TakeWrite().
///
/// A write presents AW and W together, or, with random_aw_w_order, AW first, W first or both,
/// with 1..3 cycles between them (seeded). BREADY/RREADY are high while a write/read is in
/// flight unless ready_stall_prob drops them for a cycle. Slave rule violations (BVALID/RVALID
/// or their payload withdrawn before ready, a response with no request) are counted in
/// protocol_errors with a message; Tick() never throws.

#include <cstdint>
#include <deque>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "qsa/sim/axi.h"
#include "qsa/sim/counters.h"
#include "qsa/sim/rng.h"

namespace qsa::sim {

/// Configuration of AxiLiteHost.
struct AxiLiteHostConfig {
  int addr_width = 12;             ///< Address bits of the slave (1..32); wider addresses throw.
  bool random_aw_w_order = false;  ///< Randomise the order and spacing of AW and W.
  double ready_stall_prob = 0.0;   ///< Per-cycle probability of BREADY/RREADY low, [0, 1).
  uint64_t seed = 1;
  /// Throws qsa::ConfigError("AxiLiteHostConfig: <field> ...").
  void Validate() const;
};

/// A completed AXI4-Lite operation.
struct AxiLiteResult {
  uint64_t tag = 0;  ///< as returned by StartWrite()/StartRead()
  bool write = false;
  uint32_t addr = 0;
  uint32_t data = 0;    ///< write data, or the read data
  uint8_t strb = 0;     ///< write strobes (0 for reads)
  uint8_t resp = 0;     ///< BRESP / RRESP
  uint64_t cycles = 0;  ///< cycles from the first valid to the response handshake, inclusive
  bool ok() const { return resp == kAxiRespOkay; }
};

/// Statistics of AxiLiteHost.
struct AxiLiteHostCounters {
  int64_t cycles = 0;
  int64_t busy_cycles = 0;
  int64_t writes = 0;
  int64_t reads = 0;
  int64_t slverr = 0;
  int64_t decerr = 0;
  int64_t protocol_errors = 0;

  static std::span<const CounterDef<AxiLiteHostCounters>> Defs();
  nlohmann::json ToJson() const;
};

/// Cycle-based AXI4-Lite master; see the file comment for the calling convention.
class AxiLiteHost {
 public:
  /// Validates the configuration (throws qsa::ConfigError) and resets.
  explicit AxiLiteHost(const AxiLiteHostConfig& cfg = {});

  const AxiLiteHostConfig& config() const { return cfg_; }

  /// Drops the queue, the operation in flight and untaken results; reseeds. Keeps counters.
  void Reset();

  /// Queues a write of `data` (bytes enabled by `strb`) to `addr`; returns its tag. Throws
  /// qsa::Error if addr does not fit addr_width bits or strb > 0xf.
  uint64_t StartWrite(uint32_t addr, uint32_t data, uint8_t strb = 0xf);
  /// Queues a read of `addr`; returns its tag. Throws qsa::Error if addr does not fit.
  uint64_t StartRead(uint32_t addr);

  /// An operation is queued or in flight.
  bool Busy() const { return cur_.has_value(); }
  /// Operations queued or in flight.
  size_t Pending() const { return (cur_ ? 1 : 0) + queue_.size(); }

  /// The oldest untaken completed read / write, if any.
  std::optional<AxiLiteResult> TakeRead();
  std::optional<AxiLiteResult> TakeWrite();
  /// TakeRead()'s data only (the response code is dropped: use TakeRead() to check it).
  std::optional<uint32_t> TakeReadData();
  /// Response of the most recently completed operation (kAxiRespOkay before any).
  uint8_t last_resp() const { return last_resp_; }

  /// Master outputs of the current cycle, from the state only.
  void Drive(AxiLiteMasterOut& m) const;
  /// At the rising edge: sample this cycle's handshakes and advance one cycle. Never throws.
  void Tick(const AxiLiteMasterOut& m, const AxiLiteSlaveOut& s);

  const AxiLiteHostCounters& counters() const { return c_; }
  void ClearCounters() { c_ = {}; }
  /// counters() as {"name": value, ...}.
  nlohmann::json CountersJson() const;
  const std::vector<std::string>& protocol_messages() const { return messages_; }
  static constexpr size_t kMaxMessages = 64;

 private:
  struct Op {
    uint64_t tag = 0;
    bool write = false;
    uint32_t addr = 0;
    uint32_t data = 0;
    uint8_t strb = 0;
  };
  struct Flight {
    Op op;
    bool a_done = false;  // AW or AR handshaken
    bool w_done = false;  // W handshaken (writes)
    int aw_delay = 0;     // cycles before AWVALID/ARVALID
    int w_delay = 0;      // cycles before WVALID
    uint64_t start = 0;   // cycle of the first valid
  };

  void CheckAddr(uint32_t addr) const;
  void Begin(const Op& op);
  void ProtocolError(std::string msg);

  AxiLiteHostConfig cfg_;
  Rng rng_;
  uint64_t now_ = 0;
  uint64_t next_tag_ = 1;
  std::optional<Flight> cur_;
  std::deque<Op> queue_;
  std::deque<AxiLiteResult> reads_done_;
  std::deque<AxiLiteResult> writes_done_;
  uint8_t last_resp_ = kAxiRespOkay;
  bool stall_ready_ = false;
  AxiLiteMasterOut prev_m_;
  AxiLiteSlaveOut prev_s_;
  bool have_prev_ = false;
  AxiLiteHostCounters c_;
  std::vector<std::string> messages_;
};

}  // namespace qsa::sim
