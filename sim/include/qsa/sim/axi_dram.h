#pragma once
/// @file AxiDram: a cycle-based AXI4 slave memory (64-bit data, 32-bit addresses, IDs ignored)
/// for Verilator co-simulation.
///
/// Calling convention, once per clock cycle, with a Verilated model `top` whose AXI4 master port
/// is connected to the DRAM (see verilator_ports.h for the port copies):
///
///     AxiSlaveOut s;
///     dram.Drive(s);                       // 1. slave outputs of this cycle (from state only)
///     ApplyAxiSlaveOut(s, *top);           //    ... and every other input of the DUT
///     top->clk_i = 0; top->eval();         // 2. settle the combinational logic
///     AxiMasterOut m = SampleAxiMasterOut(*top);  // 3. master outputs of this cycle
///     dram.Tick(m, s);                     // 4. handshakes of this cycle; advance the state
///     top->clk_i = 1; top->eval();         // 5. rising edge
///
/// Drive() is Moore style: its outputs depend only on the state left by the last Tick(), so the
/// DUT may have combinational paths from the slave outputs to its master outputs (qsa_dma has:
/// RVALID -> rd_valid_o, rd_ready_i -> RREADY, wr_valid_i -> WVALID). Tick() must be given the
/// master outputs after the eval() that saw this cycle's slave outputs, and the same `s` that
/// Drive() produced. A handshake happens in a cycle where valid and ready are both high at step 3.
///
/// Timing model:
///  - AR: accepted when fewer than max_reads read bursts are outstanding (and no random stall).
///    The first R beat is valid read_latency cycles after the AR handshake cycle (>= 1), then
///    one beat per cycle unless stalled, throttled or back-pressured; bursts answer in order.
///  - AW: accepted when fewer than max_writes write bursts are outstanding. W beats are accepted
///    (WREADY) only for a burst whose AW has been accepted, in AW order. B is valid at
///    max(AW cycle + write_latency, last W cycle + 1), in order.
///  - bytes_per_cycle > 0 throttles R and W beats together (a credit of bytes_per_cycle per
///    cycle, 8 bytes per beat); 0 means one R and one W beat per cycle.
///  - stall_prob: each cycle, independently, AWREADY, ARREADY and WREADY are dropped and a new
///    R or B beat is held back with this probability. A valid R/B is never withdrawn.
///
/// Responses, per beat: a beat outside [base, base + size) answers DECERR, a beat that overlaps
/// the error-injection range answers SLVERR; error beats read as 0 and are not written. B carries
/// the worst response of its burst (DECERR > SLVERR > OKAY).
///
/// Protocol checks: AxSIZE must be 3, AxBURST INCR, and a burst must not cross a 4 KiB boundary
/// (such a burst is answered SLVERR on every beat and touches no memory); WLAST must mark the last
/// beat of the burst; a master must hold AxVALID/WVALID and their payload until ready. A violation
/// increments the protocol_errors counter and records a message; Tick() never throws.

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "qsa/sim/axi.h"
#include "qsa/sim/counters.h"
#include "qsa/sim/rng.h"

namespace qsa::sim {

/// Largest DRAM the model holds (all of it lives in host memory).
inline constexpr uint64_t kMaxDramBytes = 1ull << 30;

/// Tags of address ranges whose traffic AxiDram counts separately (e.g. operand classes).
inline constexpr int kDramTags = 8;

/// Configuration of AxiDram.
struct DramConfig {
  uint64_t base = 0;             ///< First byte address (multiple of 8).
  uint64_t size = 64ULL << 20;   ///< Bytes (multiple of 8, <= 1 GiB); base + size <= 2^32.
  int read_latency = 20;         ///< Cycles from the AR handshake to the first R beat (>= 1).
  int write_latency = 20;        ///< Cycles from the AW handshake to B (>= 1).
  double bytes_per_cycle = 0.0;  ///< R+W bandwidth limit; 0 = unlimited.
  double stall_prob = 0.0;       ///< Random back-pressure probability per cycle, [0, 1).
  int max_reads = 8;             ///< Outstanding read bursts (>= 1).
  int max_writes = 8;            ///< Outstanding write bursts, AW accepted to B done (>= 1).
  uint64_t error_base = 0;       ///< SLVERR injection range [error_base, error_base+error_size).
  uint64_t error_size = 0;       ///< 0: no injection.
  uint8_t fill = 0;              ///< Value of bytes never written.
  uint64_t seed = 1;             ///< Seed of the random stalls.
  /// Throws qsa::ConfigError("DramConfig: <field> ...").
  void Validate() const;
};

/// Statistics of AxiDram. Bytes are whole bus beats (8 bytes), as the accelerator counts them.
struct AxiDramCounters {
  int64_t cycles = 0;
  int64_t ar_bursts = 0;
  int64_t aw_bursts = 0;
  int64_t r_beats = 0;
  int64_t w_beats = 0;
  int64_t read_bytes = 0;
  int64_t write_bytes = 0;
  int64_t write_strobe_bytes = 0;
  int64_t r_bursts_done = 0;
  int64_t b_responses = 0;
  int64_t r_slverr_beats = 0;
  int64_t r_decerr_beats = 0;
  int64_t b_slverr = 0;
  int64_t b_decerr = 0;
  int64_t protocol_errors = 0;
  int64_t ar_wait_cycles = 0;
  int64_t aw_wait_cycles = 0;
  int64_t w_wait_cycles = 0;
  int64_t r_backpressure_cycles = 0;
  int64_t b_backpressure_cycles = 0;

  static std::span<const CounterDef<AxiDramCounters>> Defs();
  nlohmann::json ToJson() const;
};

/// Cycle-based AXI4 slave memory; see the file comment for the calling convention.
class AxiDram {
 public:
  /// Validates the configuration (throws qsa::ConfigError) and resets.
  explicit AxiDram(const DramConfig& cfg = {});

  const DramConfig& config() const { return cfg_; }

  /// Drops every outstanding transaction and reseeds the random stalls; keeps memory contents and
  /// counters. Call it while the master is in reset (no valid requests).
  void Reset();

  /// Slave outputs of the current cycle, from the state only.
  void Drive(AxiSlaveOut& s) const { s = out_; }
  /// At the rising edge: sample this cycle's handshakes (`m` from the DUT, `s` from Drive()) and
  /// advance one cycle. Never throws.
  void Tick(const AxiMasterOut& m, const AxiSlaveOut& s);

  /// Backdoor write (not counted, no timing). Throws qsa::Error if the range is outside memory.
  void Write(uint64_t addr, std::span<const uint8_t> data);
  /// Backdoor read of n bytes (not counted). Throws qsa::Error if the range is outside memory.
  std::vector<uint8_t> Read(uint64_t addr, uint64_t n) const;
  /// The memory itself, as a CPU sees DRAM: a pointer to the n bytes at addr, valid for the
  /// DRAM's lifetime. Throws qsa::Error if the range is outside memory.
  uint8_t* HostView(uint64_t addr, uint64_t n);

  /// Counts the R and W beats that touch [base, base + size) under `tag` (0 .. kDramTags-1),
  /// 8 bytes a beat. Ranges must not overlap (throws ConfigError); a beat in no range is
  /// counted only in the totals.
  void TagRange(uint64_t base, uint64_t size, int tag);
  /// Removes every range and zeroes the per-tag counts.
  void ClearTags();
  void ClearTagCounts();
  const std::array<int64_t, kDramTags>& tag_read_bytes() const { return tag_read_bytes_; }
  const std::array<int64_t, kDramTags>& tag_write_bytes() const { return tag_write_bytes_; }

  /// Sets the SLVERR injection range (size 0 disables it); takes effect for beats not yet
  /// presented or written.
  void InjectSlvErr(uint64_t base, uint64_t size);

  /// No burst outstanding and no R/B beat pending.
  bool Idle() const;
  /// Cycles ticked since construction.
  uint64_t cycle() const { return now_; }

  const AxiDramCounters& counters() const { return c_; }
  void ClearCounters() { c_ = {}; }
  /// counters() as {"name": value, ...}.
  nlohmann::json CountersJson() const;

  /// Messages of the first protocol errors (at most kMaxMessages; the counter counts all).
  const std::vector<std::string>& protocol_messages() const { return messages_; }
  static constexpr size_t kMaxMessages = 64;

 private:
  struct ReadBurst {
    uint64_t addr = 0;  // aligned address of beat 0
    int beats = 0;
    int next = 0;           // beats handshaken
    uint64_t ready_at = 0;  // first cycle the first beat may be valid
    bool bad = false;       // protocol error: SLVERR, no access
  };
  struct WriteBurst {
    uint64_t addr = 0;  // address as given (beat 0 may be unaligned)
    int beats = 0;
    int next = 0;  // W beats received
    uint64_t accepted = 0;
    uint64_t b_at = 0;  // first cycle B may be valid
    bool bad = false;
    uint8_t resp = kAxiRespOkay;
  };

  struct Tagged {
    uint64_t begin = 0, end = 0;
    int tag = 0;
  };
  uint8_t BeatResp(uint64_t beat_addr) const;
  void CountTag(uint64_t beat_addr, std::array<int64_t, kDramTags>& bytes) const;
  bool CheckBurst(char ch, uint32_t addr, uint8_t len, uint8_t size, uint8_t burst);
  void AcceptW(const AxiMasterOut& m);
  void CheckMasterHold(const AxiMasterOut& m);
  void ComputeOutputs(bool r_hold, bool b_hold);
  void ProtocolError(std::string msg);

  static constexpr uint64_t kPageBytes = 4096;

  DramConfig cfg_;
  Rng rng_;
  uint64_t now_ = 0;
  double credit_ = 0.0;
  AxiSlaveOut out_;
  AxiMasterOut prev_m_;
  AxiSlaveOut prev_s_;
  bool have_prev_ = false;
  std::deque<ReadBurst> reads_;
  std::deque<WriteBurst> writes_;  // AW accepted, W beats outstanding
  std::deque<WriteBurst> bq_;      // all W beats received, B outstanding
  std::vector<uint8_t> mem_;  // [base, base + size), filled with cfg_.fill
  std::vector<Tagged> tags_;  // sorted by begin, disjoint
  std::array<int64_t, kDramTags> tag_read_bytes_{};
  std::array<int64_t, kDramTags> tag_write_bytes_{};
  AxiDramCounters c_;
  std::vector<std::string> messages_;
};

}  // namespace qsa::sim
