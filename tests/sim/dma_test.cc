// qsa_dma (Verilated) against AxiDram: random unaligned read and write commands under random
// latency, stalls, bandwidth limits and stream back-pressure; the error paths (SLVERR, DECERR,
// window). The C++ driver plays the command port, the read-stream consumer and the write-stream
// producer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "Vqsa_dma.h"
#include "qsa/sim/axi_dram.h"
#include "qsa/sim/rng.h"
#include "qsa/sim/verilator_ports.h"
#include "verilated.h"

namespace qsa::sim {
namespace {

constexpr uint64_t kBase = 0x80000000ULL;
constexpr uint64_t kSize = 64 * 1024;
constexpr int kStrb = 8;       // qsa_dma DataWidth = 64
constexpr int kMaxBurst = 16;  // qsa_dma default
constexpr int kCmdTimeout = 200000;

struct Outcome {
  bool done = false;  // done_o seen before the watchdog
  bool err = false;
  int code = 0;
  uint32_t err_addr = 0;
  int decerr = -1;              // err_decerr_o with done_o (-1: the model has no such port)
  std::vector<uint64_t> beats;  // read beats taken from rd_data_o, or write beats taken
  bool last_ok = true;          // rd_last_o exactly on the last expected beat
  int64_t pulses_rd = 0;        // beats_rd_o pulses during the command
  int64_t pulses_wr = 0;
  uint64_t cycles = 0;
};

/// err_decerr_o, or -1 for a qsa_dma without it.
template <class Top>
int DecErr(const Top& top) {
  if constexpr (requires { top.err_decerr_o; }) {
    return top.err_decerr_o;
  } else {
    return -1;
  }
}

/// Beats that cover [addr, addr + len).
int64_t CoverBeats(uint64_t addr, uint64_t len) {
  return static_cast<int64_t>(((addr + len + kStrb - 1) / kStrb) - addr / kStrb);
}

class DmaBench {
 public:
  DmaBench(const DramConfig& cfg, uint64_t seed, double prod_prob, double cons_prob)
      : ctx_(std::make_unique<VerilatedContext>()),
        dram_(cfg),
        rng_(seed),
        prod_prob_(prod_prob),
        cons_prob_(cons_prob) {
    top_ = std::make_unique<Vqsa_dma>(ctx_.get(), "dma");
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->eval();
    for (int i = 0; i < 4; ++i) Clock();
    top_->rst_ni = 1;
    dram_.Reset();
  }
  ~DmaBench() { top_->final(); }

  AxiDram& dram() { return dram_; }
  int64_t total_pulses_rd() const { return total_rd_; }
  int64_t total_pulses_wr() const { return total_wr_; }

  /// Runs one command to its done_o pulse. For writes, `beats` are the full beats to offer.
  Outcome Run(bool write, uint32_t addr, uint32_t len, uint32_t win_base, uint32_t win_limit,
              const std::vector<uint64_t>& beats = {}) {
    Outcome o;
    const int64_t expect = len == 0 ? 0 : CoverBeats(addr, len);
    bool cmd_valid = true;
    size_t prod_idx = 0;
    bool prod_valid = write && !beats.empty() && rng_.Chance(prod_prob_);
    bool cons_ready = rng_.Chance(cons_prob_);
    for (int cyc = 0; cyc < kCmdTimeout; ++cyc) {
      AxiSlaveOut s;
      dram_.Drive(s);
      ApplyAxiSlaveOut(s, *top_);
      top_->cmd_valid_i = cmd_valid;
      top_->cmd_write_i = write;
      top_->cmd_addr_i = addr;
      top_->cmd_len_i = len;
      top_->win_base_i = win_base;
      top_->win_limit_i = win_limit;
      top_->wr_valid_i = prod_valid;
      top_->wr_data_i = prod_idx < beats.size() ? beats[prod_idx] : 0;
      top_->rd_ready_i = cons_ready;
      top_->clk_i = 0;
      top_->eval();

      const AxiMasterOut m = SampleAxiMasterOut(*top_);
      const bool cmd_hs = cmd_valid && top_->cmd_ready_o;
      const bool wr_hs = prod_valid && top_->wr_ready_o;
      const bool rd_hs = top_->rd_valid_o && cons_ready;
      if (rd_hs) {
        o.beats.push_back(top_->rd_data_o);
        const bool last = static_cast<int64_t>(o.beats.size()) == expect;
        if ((top_->rd_last_o != 0) != last) o.last_ok = false;
      }
      if (wr_hs) o.beats.push_back(beats[prod_idx]);
      o.pulses_rd += top_->beats_rd_o;
      o.pulses_wr += top_->beats_wr_o;
      const bool done = top_->done_o != 0;
      if (done) TakeDone(o);
      dram_.Tick(m, s);
      top_->clk_i = 1;
      top_->eval();

      // Next cycle's driver state (Moore: decided now, presented next cycle).
      if (cmd_hs) cmd_valid = false;
      if (wr_hs) {
        ++prod_idx;
        prod_valid = false;
      }
      if (!prod_valid && prod_idx < beats.size()) prod_valid = rng_.Chance(prod_prob_);
      cons_ready = rng_.Chance(cons_prob_);
      o.cycles = static_cast<uint64_t>(cyc) + 1;
      if (done) break;
    }
    total_rd_ += o.pulses_rd;
    total_wr_ += o.pulses_wr;
    return o;
  }

  /// A read command of RunQueued.
  struct ReadCmd {
    uint32_t addr = 0, len = 0, win_base = 0, win_limit = 0;
  };
  /// Presents the read commands back to back (each as soon as the one before was accepted,
  /// which qsa_dma allows while the earlier read streams) until every one has had its done_o.
  /// Outcome i holds command i's done_o fields and the beats taken while it was the oldest
  /// command not yet done; `queued` counts commands accepted before the previous one's done_o.
  std::vector<Outcome> RunQueued(const std::vector<ReadCmd>& cmds, int* queued = nullptr,
                                 uint64_t* cycles = nullptr) {
    std::vector<Outcome> out(cmds.size());
    size_t next = 0, oldest = 0;  // next command to present; oldest not done
    bool cons_ready = rng_.Chance(cons_prob_);
    int q = 0;
    uint64_t cyc = 0;
    for (; cyc < kCmdTimeout && oldest < cmds.size(); ++cyc) {
      AxiSlaveOut s;
      dram_.Drive(s);
      ApplyAxiSlaveOut(s, *top_);
      const bool cmd_valid = next < cmds.size();
      const ReadCmd c = cmd_valid ? cmds[next] : ReadCmd{};
      top_->cmd_valid_i = cmd_valid;
      top_->cmd_write_i = 0;
      top_->cmd_addr_i = c.addr;
      top_->cmd_len_i = c.len;
      top_->win_base_i = c.win_base;
      top_->win_limit_i = c.win_limit;
      top_->wr_valid_i = 0;
      top_->rd_ready_i = cons_ready;
      top_->clk_i = 0;
      top_->eval();

      const AxiMasterOut m = SampleAxiMasterOut(*top_);
      const bool cmd_hs = cmd_valid && top_->cmd_ready_o;
      Outcome& o = out[oldest];
      if (top_->rd_valid_o && cons_ready) {
        o.beats.push_back(top_->rd_data_o);
        const ReadCmd& oc = cmds[oldest];
        const bool last = static_cast<int64_t>(o.beats.size()) == CoverBeats(oc.addr, oc.len);
        if ((top_->rd_last_o != 0) != last) o.last_ok = false;
      }
      o.pulses_rd += top_->beats_rd_o;
      const bool done = top_->done_o != 0;
      if (done) TakeDone(o);
      if (cmd_hs && next > oldest && !(done && next == oldest + 1)) ++q;
      dram_.Tick(m, s);
      top_->clk_i = 1;
      top_->eval();
      if (cmd_hs) ++next;
      if (done) ++oldest;
      cons_ready = rng_.Chance(cons_prob_);
    }
    if (queued) *queued = q;
    if (cycles) *cycles = cyc;
    return out;
  }

  /// done_o's fields into o.
  void TakeDone(Outcome& o) const {
    o.done = true;
    o.err = top_->err_o != 0;
    o.code = top_->err_code_o;
    o.err_addr = top_->err_addr_o;
    o.decerr = DecErr(*top_);
  }

  /// Idle cycles (no command), e.g. to let the DRAM drain.
  void Idle(int n) {
    for (int i = 0; i < n; ++i) {
      AxiSlaveOut s;
      dram_.Drive(s);
      ApplyAxiSlaveOut(s, *top_);
      top_->cmd_valid_i = 0;
      top_->wr_valid_i = 0;
      top_->rd_ready_i = 0;
      top_->clk_i = 0;
      top_->eval();
      const AxiMasterOut m = SampleAxiMasterOut(*top_);
      dram_.Tick(m, s);
      top_->clk_i = 1;
      top_->eval();
    }
  }

 private:
  void Clock() {
    top_->clk_i = 0;
    top_->eval();
    top_->clk_i = 1;
    top_->eval();
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vqsa_dma> top_;
  AxiDram dram_;
  Rng rng_;
  double prod_prob_;
  double cons_prob_;
  int64_t total_rd_ = 0;
  int64_t total_wr_ = 0;
};

std::string Messages(const AxiDram& d) {
  std::string s;
  for (const std::string& m : d.protocol_messages()) s += m + "\n";
  return s;
}

/// Full beats for a write of `data` at addr: bytes outside [addr, addr + len) are garbage.
std::vector<uint64_t> WriteBeats(uint64_t addr, const std::vector<uint8_t>& data, Rng& rng) {
  const uint64_t first = addr & ~uint64_t{kStrb - 1};
  const int64_t n = CoverBeats(addr, data.size());
  std::vector<uint64_t> beats;
  for (int64_t b = 0; b < n; ++b) {
    uint64_t v = rng.Next();
    for (int lane = 0; lane < kStrb; ++lane) {
      const uint64_t a = first + static_cast<uint64_t>(b * kStrb + lane);
      if (a >= addr && a < addr + data.size()) {
        v &= ~(uint64_t{0xff} << (8 * lane));
        v |= uint64_t{data[a - addr]} << (8 * lane);
      }
    }
    beats.push_back(v);
  }
  return beats;
}

// A few hundred random commands in four timing settings (fixed seeds).
TEST(DmaCosim, RandomCommandsMatchShadowMemory) {
  Rng top_rng(2024);
  int commands = 0;
  for (int seg = 0; seg < 4; ++seg) {
    DramConfig cfg;
    cfg.base = kBase;
    cfg.size = kSize;
    cfg.read_latency = static_cast<int>(top_rng.Range(1, 30));
    cfg.write_latency = static_cast<int>(top_rng.Range(1, 30));
    const double stalls[] = {0.0, 0.1, 0.3, 0.5};
    const double bandwidth[] = {0.0, 0.0, 4.0, 12.0};
    cfg.stall_prob = stalls[seg];
    cfg.bytes_per_cycle = bandwidth[top_rng.Below(4)];
    cfg.max_reads = static_cast<int>(top_rng.Range(1, 4));
    cfg.seed = top_rng.Next();
    const double prod = seg == 0 ? 1.0 : 0.3 + 0.7 * static_cast<double>(top_rng.Below(8)) / 8;
    const double cons = seg == 0 ? 1.0 : 0.3 + 0.7 * static_cast<double>(top_rng.Below(8)) / 8;
    SCOPED_TRACE("segment " + std::to_string(seg) + ": read_latency " +
                 std::to_string(cfg.read_latency) + ", write_latency " +
                 std::to_string(cfg.write_latency) + ", stall_prob " +
                 std::to_string(cfg.stall_prob) + ", bytes_per_cycle " +
                 std::to_string(cfg.bytes_per_cycle));
    DmaBench t(cfg, top_rng.Next(), prod, cons);
    Rng rng(top_rng.Next());
    std::vector<uint8_t> shadow(kSize);
    for (uint8_t& b : shadow) b = static_cast<uint8_t>(rng.Next());
    t.dram().Write(kBase, shadow);

    for (int n = 0; n < 100; ++n, ++commands) {
      const uint64_t pick = rng.Below(10);
      const uint32_t len = static_cast<uint32_t>(
          pick < 4 ? rng.Range(1, 16) : (pick < 8 ? rng.Range(1, 300) : rng.Range(1, 2000)));
      const uint64_t off = rng.Below(kSize - len + 1);
      const uint32_t addr = static_cast<uint32_t>(kBase + off);
      const bool write = rng.Chance(0.5);
      const int64_t expect = CoverBeats(addr, len);
      SCOPED_TRACE(std::string(write ? "write" : "read") + " addr " + std::to_string(addr) +
                   " len " + std::to_string(len));
      const AxiDramCounters before = t.dram().counters();
      Outcome o;
      std::vector<uint8_t> data(len);
      if (write) {
        for (uint8_t& b : data) b = static_cast<uint8_t>(rng.Next());
        o = t.Run(true, addr, len, kBase, kBase + kSize, WriteBeats(addr, data, rng));
      } else {
        o = t.Run(false, addr, len, kBase, kBase + kSize);
      }
      ASSERT_TRUE(o.done) << "no done_o within " << kCmdTimeout << " cycles";
      ASSERT_FALSE(o.err) << "err_code " << o.code;
      ASSERT_EQ(static_cast<int64_t>(o.beats.size()), expect);
      if (write) {
        std::copy(data.begin(), data.end(), shadow.begin() + static_cast<ptrdiff_t>(off));
        ASSERT_EQ(o.pulses_wr, expect);
        ASSERT_EQ(o.pulses_rd, 0);
      } else {
        ASSERT_TRUE(o.last_ok);
        ASSERT_EQ(o.pulses_rd, expect);
        ASSERT_EQ(o.pulses_wr, 0);
        const uint64_t first = addr & ~uint64_t{kStrb - 1};
        for (uint32_t i = 0; i < len; ++i) {
          const uint64_t a = addr + i;
          const uint64_t beat = o.beats[(a - first) / kStrb];
          ASSERT_EQ(static_cast<uint8_t>(beat >> (8 * (a % kStrb))), shadow[off + i])
              << "byte " << i;
        }
      }
      // The DRAM saw exactly the beats the DMA pulsed for, in bursts that obey MaxBurst.
      const AxiDramCounters& after = t.dram().counters();
      ASSERT_EQ(after.r_beats - before.r_beats, o.pulses_rd);
      ASSERT_EQ(after.w_beats - before.w_beats, o.pulses_wr);
      const int64_t bursts =
          write ? after.aw_bursts - before.aw_bursts : after.ar_bursts - before.ar_bursts;
      ASSERT_GE(bursts, (expect + kMaxBurst - 1) / kMaxBurst);
      // Written bytes: only the strobed ones, i.e. exactly len.
      if (write) {
        ASSERT_EQ(after.write_strobe_bytes - before.write_strobe_bytes, int64_t{len});
      }
      ASSERT_EQ(after.protocol_errors, 0) << Messages(t.dram());
      if (write) {
        // The neighbourhood of the write: the new bytes, the bytes around untouched.
        const uint64_t lo = off >= 16 ? off - 16 : 0;
        const uint64_t hi = std::min<uint64_t>(kSize, off + len + 16);
        const std::vector<uint8_t> got = t.dram().Read(kBase + lo, hi - lo);
        ASSERT_TRUE(
            std::equal(got.begin(), got.end(), shadow.begin() + static_cast<ptrdiff_t>(lo)));
      }
    }
    t.Idle(4);
    EXPECT_TRUE(t.dram().Idle());
    EXPECT_EQ(t.dram().Read(kBase, kSize), shadow);
    const AxiDramCounters& c = t.dram().counters();
    EXPECT_EQ(c.r_beats, t.total_pulses_rd());
    EXPECT_EQ(c.w_beats, t.total_pulses_wr());
    EXPECT_EQ(c.read_bytes + c.write_bytes, (t.total_pulses_rd() + t.total_pulses_wr()) * kStrb);
    EXPECT_EQ(c.r_slverr_beats + c.r_decerr_beats + c.b_slverr + c.b_decerr, 0);
    EXPECT_EQ(c.protocol_errors, 0) << Messages(t.dram());
    if (cfg.stall_prob > 0) {
      EXPECT_GT(c.ar_wait_cycles + c.aw_wait_cycles + c.w_wait_cycles, 0);
    }
  }
  EXPECT_EQ(commands, 400);
}

/// The test DRAM at kBase with a read latency and nothing else configured.
DramConfig LatencyConfig(int read_latency) {
  DramConfig cfg;
  cfg.base = kBase;
  cfg.size = kSize;
  cfg.read_latency = read_latency;
  return cfg;
}

DramConfig ErrorConfig() {
  DramConfig cfg;
  cfg.base = kBase;
  cfg.size = kSize;
  cfg.read_latency = 4;
  cfg.write_latency = 6;
  cfg.stall_prob = 0.2;
  cfg.seed = 3;
  return cfg;
}

/// After a command that ended in an error: the DRAM drains to idle with no protocol error, and
/// the engine then completes a 64-byte read at addr.
void ExpectDrainedThenRecovers(DmaBench& t, uint32_t addr) {
  t.Idle(2);
  EXPECT_TRUE(t.dram().Idle());
  EXPECT_EQ(t.dram().counters().protocol_errors, 0) << Messages(t.dram());
  const Outcome ok = t.Run(false, addr, 64, kBase, kBase + kSize);
  ASSERT_TRUE(ok.done);
  EXPECT_FALSE(ok.err);
  EXPECT_EQ(static_cast<int64_t>(ok.beats.size()), CoverBeats(addr, 64));
}

TEST(DmaCosim, ReadSlvErrReportsTheFailingBeat) {
  DramConfig cfg = ErrorConfig();
  cfg.error_base = kBase + 0x1234;  // beat 0x1230
  cfg.error_size = 2;
  DmaBench t(cfg, 1, 0.8, 0.7);
  const Outcome o = t.Run(false, kBase + 0x1101, 500, kBase, kBase + kSize);
  ASSERT_TRUE(o.done);
  EXPECT_TRUE(o.err);
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err_addr, kBase + 0x1230);
  EXPECT_NE(o.decerr, 1);
  // The beats before the error reached the consumer; the error beat, the rest of its burst and
  // the bursts already requested were drained. The command's bursts from 0x1100 are 16, 16,
  // 16 and 15 beats; the error is in the third, so at least three were requested.
  EXPECT_EQ(static_cast<int64_t>(o.beats.size()), (0x1230 - 0x1100) / kStrb);
  EXPECT_EQ(t.dram().counters().r_slverr_beats, 1);
  EXPECT_EQ(t.dram().counters().r_beats, o.pulses_rd);
  const int64_t bursts = t.dram().counters().ar_bursts;
  EXPECT_GE(bursts, 3);
  EXPECT_EQ(t.dram().counters().r_beats, std::min<int64_t>(63, bursts * kMaxBurst));  // whole
  ExpectDrainedThenRecovers(t, kBase + 8);
}

// Reads keep up to MaxReads (4) bursts outstanding, so a long read pays the DRAM latency about
// once; a DRAM that takes one burst at a time makes every burst pay it.
TEST(DmaCosim, OutstandingReadsHideTheLatency) {
  constexpr int kMaxReads = 4;  // qsa_dma default
  DramConfig cfg = LatencyConfig(20);
  for (int dram_reads : {1, 2, 8}) {
    SCOPED_TRACE("DRAM max_reads " + std::to_string(dram_reads));
    cfg.max_reads = dram_reads;
    DmaBench t(cfg, 5, 1.0, 1.0);
    const Outcome o = t.Run(false, kBase + 0x400, 1024, kBase, kBase + kSize);  // 8 bursts
    ASSERT_TRUE(o.done);
    ASSERT_FALSE(o.err);
    ASSERT_EQ(o.beats.size(), 128U);
    EXPECT_TRUE(o.last_ok);
    EXPECT_EQ(t.dram().counters().ar_bursts, 8);
    if (dram_reads == 1) {
      EXPECT_GE(o.cycles, 8U * 20 + 128);  // every burst: address, latency, beats
    } else if (dram_reads == 2) {
      EXPECT_LT(o.cycles, 8U * 20 + 128);
      EXPECT_GT(o.cycles, 20U + 128 + 8);  // 2 x 16 beats do not cover 20 cycles of latency
    } else {
      EXPECT_LE(o.cycles, 20U + 128 + 4);  // the latency once, then a beat every cycle
    }
    EXPECT_EQ(t.dram().counters().protocol_errors, 0) << Messages(t.dram());
  }
  // The engine's own limit: at latency 60 four bursts of 16 beats cannot cover the latency, so
  // a DRAM that would take eight outstanding still sees a gap after every fourth burst.
  cfg.read_latency = 60;
  cfg.max_reads = 8;
  DmaBench t(cfg, 7, 1.0, 1.0);
  const Outcome o = t.Run(false, kBase + 0x400, 1024, kBase, kBase + kSize);
  ASSERT_TRUE(o.done);
  ASSERT_FALSE(o.err);
  EXPECT_GT(o.cycles, 60U + 128 + 2 + 8);
  EXPECT_LT(o.cycles, 60U + 128 + 2 + 2 * (60 - (kMaxReads - 1) * kMaxBurst) + 8);
}

// An error in the first burst while three more are outstanding: all four are drained on AXI,
// none after them is requested, and the engine takes the next command.
TEST(DmaCosim, ReadErrorDrainsTheOutstandingBursts) {
  DramConfig cfg = LatencyConfig(20);
  cfg.error_base = kBase + 0x818;  // beat 3 of the first burst
  cfg.error_size = 1;
  DmaBench t(cfg, 6, 1.0, 1.0);
  const Outcome o = t.Run(false, kBase + 0x800, 1024, kBase, kBase + kSize);  // 8 bursts
  ASSERT_TRUE(o.done);
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err_addr, kBase + 0x818);
  EXPECT_EQ(o.beats.size(), 3U);
  EXPECT_EQ(t.dram().counters().ar_bursts, 4);
  EXPECT_EQ(t.dram().counters().r_beats, 4 * kMaxBurst);
  EXPECT_EQ(o.pulses_rd, 4 * kMaxBurst);
  ExpectDrainedThenRecovers(t, kBase + 0x1003);
}

// Reads queued behind the current one: each command's beats are its own (rd_last_o on its last),
// the done pulses come in order, and the DRAM latency of the next read overlaps the current
// one's beats. Random lengths and alignments, stalls and consumer back-pressure.
TEST(DmaCosim, QueuedReadsStreamInOrder) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    DramConfig cfg;
    cfg.base = kBase;
    cfg.size = kSize;
    cfg.read_latency = 3 + static_cast<int>(seed * 7 % 30);
    cfg.stall_prob = seed % 2 ? 0.0 : 0.3;
    cfg.seed = seed;
    DmaBench t(cfg, seed, 1.0, seed % 3 ? 1.0 : 0.6);
    Rng rng(seed + 100);
    std::vector<uint8_t> image(kSize);
    for (auto& b : image) b = static_cast<uint8_t>(rng.Next());
    t.dram().Write(kBase, image);
    std::vector<DmaBench::ReadCmd> cmds;
    for (int i = 0; i < 12; ++i) {
      const uint32_t len = 1 + static_cast<uint32_t>(rng.Next() % (i % 3 ? 300 : 1500));
      const uint32_t addr = kBase + static_cast<uint32_t>(rng.Next() % (kSize - len));
      cmds.push_back({addr, len, kBase, kBase + kSize});
    }
    int queued = 0;
    const std::vector<Outcome> out = t.RunQueued(cmds, &queued);
    for (size_t i = 0; i < cmds.size(); ++i) {
      SCOPED_TRACE("command " + std::to_string(i));
      ASSERT_TRUE(out[i].done);
      EXPECT_FALSE(out[i].err);
      EXPECT_TRUE(out[i].last_ok);
      const uint64_t first = cmds[i].addr & ~uint64_t{kStrb - 1};
      const int64_t n = CoverBeats(cmds[i].addr, cmds[i].len);
      ASSERT_EQ(static_cast<int64_t>(out[i].beats.size()), n);
      for (int64_t b = 0; b < n; ++b) {
        uint64_t want = 0;
        for (int lane = 0; lane < kStrb; ++lane) {
          want |= uint64_t{image[first - kBase + static_cast<uint64_t>(b * kStrb + lane)]}
                  << (8 * lane);
        }
        ASSERT_EQ(out[i].beats[static_cast<size_t>(b)], want) << "beat " << b;
      }
    }
    EXPECT_GE(queued, 6);  // most commands were taken while the one before still streamed
    EXPECT_EQ(t.dram().counters().protocol_errors, 0) << Messages(t.dram());
  }

  // Without stalls two reads queued take the latency about once: 20 + 64 + 64 beats and the
  // done cycle between them, against 2 x (20 + 64) one after the other.
  DramConfig cfg = LatencyConfig(20);
  DmaBench t(cfg, 9, 1.0, 1.0);
  uint64_t both = 0;
  const std::vector<Outcome> out =
      t.RunQueued({{kBase, 512, kBase, kBase + kSize}, {kBase + 4096, 512, kBase, kBase + kSize}},
                  nullptr, &both);
  ASSERT_TRUE(out[0].done && out[1].done);
  EXPECT_LE(both, 20U + 128 + 6);
  const Outcome a = t.Run(false, kBase, 512, kBase, kBase + kSize);
  const Outcome b = t.Run(false, kBase + 4096, 512, kBase, kBase + kSize);
  EXPECT_GE(a.cycles + b.cycles, 2U * (20 + 64));
}

// A queued read that needs no transaction (outside the window, or no byte) ends in order after
// the current one, with its own result; one queued behind a read that fails is abandoned with
// the same ERR_AXI, its bursts drained, and the engine then takes new commands.
TEST(DmaCosim, QueuedReadsWindowEmptyAndError) {
  {
    DmaBench t(ErrorConfig(), 11, 1.0, 0.8);
    const AxiDramCounters before = t.dram().counters();
    const std::vector<Outcome> out = t.RunQueued({{kBase + 0x100, 300, kBase, kBase + kSize},
                                                  {kBase + 0x40, 64, kBase + 0x80, kBase + kSize},
                                                  {kBase + 0x200, 0, kBase, kBase + kSize},
                                                  {kBase + 0x303, 20, kBase, kBase + kSize}});
    ASSERT_EQ(out.size(), 4U);
    for (const Outcome& o : out) ASSERT_TRUE(o.done);
    EXPECT_FALSE(out[0].err);
    EXPECT_EQ(static_cast<int64_t>(out[0].beats.size()), CoverBeats(kBase + 0x100, 300));
    EXPECT_EQ(out[1].code, 1);
    EXPECT_EQ(out[1].err_addr, kBase + 0x40);
    EXPECT_TRUE(out[1].beats.empty());
    EXPECT_FALSE(out[2].err);
    EXPECT_TRUE(out[2].beats.empty());
    EXPECT_FALSE(out[3].err);
    EXPECT_EQ(static_cast<int64_t>(out[3].beats.size()), CoverBeats(kBase + 0x303, 20));
    EXPECT_EQ(t.dram().counters().ar_bursts - before.ar_bursts,
              (CoverBeats(kBase + 0x100, 300) + kMaxBurst - 1) / kMaxBurst + 1);
  }
  {
    DramConfig cfg = LatencyConfig(20);
    cfg.error_base = kBase + 0x818;  // beat 3 of the first command
    cfg.error_size = 1;
    DmaBench t(cfg, 12, 1.0, 1.0);
    const std::vector<Outcome> out = t.RunQueued({{kBase + 0x800, 40, kBase, kBase + kSize},
                                                  {kBase + 0x900, 1024, kBase, kBase + kSize}});
    ASSERT_TRUE(out[0].done && out[1].done);
    EXPECT_EQ(out[0].code, 2);
    EXPECT_EQ(out[0].err_addr, kBase + 0x818);
    EXPECT_EQ(out[0].beats.size(), 3U);
    EXPECT_EQ(out[1].code, 2);
    EXPECT_EQ(out[1].err_addr, kBase + 0x818);
    EXPECT_TRUE(out[1].beats.empty());
    // What was requested was drained: beats on AXI = bursts requested x their lengths.
    EXPECT_EQ(t.dram().counters().r_beats, out[0].pulses_rd + out[1].pulses_rd);
    EXPECT_LE(t.dram().counters().ar_bursts, 1 + 4);
    ExpectDrainedThenRecovers(t, kBase + 0x1003);
  }
}

TEST(DmaCosim, WriteSlvErrReportsTheBurstAddress) {
  DramConfig cfg = ErrorConfig();
  cfg.error_base = kBase + 0x2238;
  cfg.error_size = 8;
  DmaBench t(cfg, 2, 0.8, 0.7);
  Rng rng(9);
  std::vector<uint8_t> data(700, 0x77);
  const uint32_t addr = kBase + 0x2003;
  const std::vector<uint8_t> before = t.dram().Read(kBase + 0x2000, 0x400);
  const Outcome o = t.Run(true, addr, 700, kBase, kBase + kSize, WriteBeats(addr, data, rng));
  ASSERT_TRUE(o.done);
  EXPECT_TRUE(o.err);
  EXPECT_EQ(o.code, 2);
  // Bursts of 16 beats (128 bytes) from 0x2000: the error beat 0x2238 is in the burst at 0x2200.
  EXPECT_EQ(o.err_addr, kBase + 0x2200);
  EXPECT_EQ(t.dram().counters().b_slverr, 1);
  EXPECT_EQ(t.dram().counters().aw_bursts, 5);
  EXPECT_EQ(t.dram().counters().w_beats, o.pulses_wr);
  // Bytes before the failing beat are written; the failing beat and everything after are not.
  const std::vector<uint8_t> after = t.dram().Read(kBase + 0x2000, 0x400);
  for (size_t i = 0; i < after.size(); ++i) {
    const bool written = i >= 3 && i < 0x238;
    const bool kept_by_burst = i >= 0x240 && i < 0x280;  // rest of the failing burst: written
    if (written || kept_by_burst) {
      EXPECT_EQ(after[i], 0x77) << "byte " << i;
    } else {
      EXPECT_EQ(after[i], before[i]) << "byte " << i;
    }
  }
  EXPECT_EQ(t.dram().counters().protocol_errors, 0) << Messages(t.dram());
}

TEST(DmaCosim, DecErrOutsideDramAndWindowError) {
  DmaBench t(ErrorConfig(), 4, 1.0, 1.0);
  // The window reaches beyond the DRAM: the read runs into DECERR at the DRAM's end.
  const Outcome o = t.Run(false, kBase + kSize - 40, 100, kBase, kBase + 2 * kSize);
  ASSERT_TRUE(o.done);
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err_addr, kBase + kSize);
  EXPECT_NE(o.decerr, 0);
  EXPECT_EQ(static_cast<int64_t>(o.beats.size()), 5);
  EXPECT_GE(t.dram().counters().r_decerr_beats, 1);

  // Outside the window: no AXI traffic at all.
  const AxiDramCounters before = t.dram().counters();
  const Outcome w = t.Run(true, kBase + 100, 64, kBase + 128, kBase + kSize, {});
  ASSERT_TRUE(w.done);
  EXPECT_EQ(w.code, 1);
  EXPECT_EQ(w.err_addr, kBase + 100);
  EXPECT_EQ(t.dram().counters().aw_bursts, before.aw_bursts);
  EXPECT_EQ(t.dram().counters().ar_bursts, before.ar_bursts);

  // Zero length: done at once, no error, no traffic.
  const Outcome z = t.Run(false, kBase, 0, kBase, kBase + kSize);
  ASSERT_TRUE(z.done);
  EXPECT_FALSE(z.err);
  EXPECT_EQ(t.dram().counters().ar_bursts, before.ar_bursts);
  EXPECT_EQ(t.dram().counters().protocol_errors, 0) << Messages(t.dram());
}

}  // namespace
}  // namespace qsa::sim
