// AxiDram against a scripted AXI4 master: bursts, WSTRB, DECERR, SLVERR injection, latency,
// bandwidth, back-pressure, outstanding limits, protocol-error detection and counters.
#include "qsa/sim/axi_dram.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "qsa/cmodel/error.h"
#include "qsa/sim/rng.h"

namespace qsa::sim {
namespace {

constexpr uint64_t kBase = 0x80000000ULL;

/// A scripted AXI4 master: queues of AR, AW and W to present (each held until its handshake),
/// optional random RREADY/BREADY, and a record of every R beat and B response. It also checks the
/// slave side of the valid/ready rules (a valid R/B and its payload hold until ready).
class Master {
 public:
  struct Addr {
    uint32_t addr = 0;
    uint8_t len = 0;
    uint8_t size = kAxiBeatSize;
    uint8_t burst = kAxiBurstIncr;
  };
  struct WBeat {
    uint64_t data = 0;
    uint8_t strb = 0xff;
    bool last = false;
  };
  struct RBeat {
    uint64_t data;
    uint8_t resp;
    bool last;
    uint64_t cycle;
  };
  struct BResp {
    uint8_t resp;
    uint64_t cycle;
  };

  std::deque<Addr> ar, aw;
  std::deque<WBeat> w;
  std::vector<RBeat> r;
  std::vector<BResp> b;
  std::vector<uint64_t> ar_cycles, aw_cycles, w_cycles;
  double ready_prob = 1.0;  // RREADY/BREADY probability per cycle
  int slave_rule_violations = 0;

  AxiMasterOut Out() const {
    AxiMasterOut m;
    if (!ar.empty()) {
      m.arvalid = true;
      m.araddr = ar.front().addr;
      m.arlen = ar.front().len;
      m.arsize = ar.front().size;
      m.arburst = ar.front().burst;
    }
    if (!aw.empty()) {
      m.awvalid = true;
      m.awaddr = aw.front().addr;
      m.awlen = aw.front().len;
      m.awsize = aw.front().size;
      m.awburst = aw.front().burst;
    }
    if (!w.empty()) {
      m.wvalid = true;
      m.wdata = w.front().data;
      m.wstrb = w.front().strb;
      m.wlast = w.front().last;
    }
    m.rready = rready_;
    m.bready = bready_;
    return m;
  }

  void Tick(const AxiMasterOut& m, const AxiSlaveOut& s, uint64_t cycle) {
    if (prev_s_.rvalid && !prev_m_.rready &&
        (!s.rvalid || s.rdata != prev_s_.rdata || s.rresp != prev_s_.rresp ||
         s.rlast != prev_s_.rlast)) {
      ++slave_rule_violations;
    }
    if (prev_s_.bvalid && !prev_m_.bready && (!s.bvalid || s.bresp != prev_s_.bresp)) {
      ++slave_rule_violations;
    }
    if (m.arvalid && s.arready) {
      ar.pop_front();
      ar_cycles.push_back(cycle);
    }
    if (m.awvalid && s.awready) {
      aw.pop_front();
      aw_cycles.push_back(cycle);
    }
    if (m.wvalid && s.wready) {
      w.pop_front();
      w_cycles.push_back(cycle);
    }
    if (s.rvalid && m.rready) r.push_back({s.rdata, s.rresp, s.rlast, cycle});
    if (s.bvalid && m.bready) b.push_back({s.bresp, cycle});
    rready_ = rng_.Chance(ready_prob);
    bready_ = rng_.Chance(ready_prob);
    prev_m_ = m;
    prev_s_ = s;
  }

  /// Queues a full write burst: AW and one W beat per element of data.
  void Write(uint32_t addr, const std::vector<uint64_t>& data,
             const std::vector<uint8_t>& strb = {}) {
    aw.push_back({addr, static_cast<uint8_t>(data.size() - 1)});
    for (size_t i = 0; i < data.size(); ++i) {
      w.push_back({data[i], strb.empty() ? uint8_t{0xff} : strb[i], i + 1 == data.size()});
    }
  }

 private:
  Rng rng_{7};
  bool rready_ = true;
  bool bready_ = true;
  AxiMasterOut prev_m_;
  AxiSlaveOut prev_s_;
};

class Bench {
 public:
  explicit Bench(const DramConfig& cfg) : dram(cfg) {}

  void Step() {
    AxiSlaveOut s;
    dram.Drive(s);
    const AxiMasterOut m = master.Out();
    master.Tick(m, s, cycle);
    dram.Tick(m, s);
    ++cycle;
  }
  /// Steps until done() or the limit; false on timeout.
  bool RunUntil(const std::function<bool()>& done, int limit = 100000) {
    for (int i = 0; i < limit; ++i) {
      if (done()) return true;
      Step();
    }
    return done();
  }
  bool RunReads(size_t beats) {
    return RunUntil([&] { return master.r.size() >= beats; });
  }
  bool RunWrites(size_t bursts) {
    return RunUntil([&] { return master.b.size() >= bursts; });
  }

  AxiDram dram;
  Master master;
  uint64_t cycle = 0;
};

DramConfig Quick() {
  DramConfig c;
  c.base = kBase;
  c.size = 1 << 20;
  c.read_latency = 3;
  c.write_latency = 3;
  return c;
}

uint64_t Le64(const std::vector<uint8_t>& b, size_t off) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v |= uint64_t{b[off + i]} << (8 * i);
  return v;
}

std::vector<uint8_t> Pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + 7 * i + (i >> 8));
  return v;
}

TEST(AxiDram, ReadBurstReturnsMemory) {
  Bench t(Quick());
  const std::vector<uint8_t> img = Pattern(4096, 3);
  t.dram.Write(kBase, img);
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 0x100), 15});
  ASSERT_TRUE(t.RunReads(16));
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(t.master.r[i].data, Le64(img, 0x100 + 8 * i)) << "beat " << i;
    EXPECT_EQ(t.master.r[i].resp, kAxiRespOkay);
    EXPECT_EQ(t.master.r[i].last, i == 15);
  }
  const AxiDramCounters& c = t.dram.counters();
  EXPECT_EQ(c.ar_bursts, 1);
  EXPECT_EQ(c.r_beats, 16);
  EXPECT_EQ(c.read_bytes, 128);
  EXPECT_EQ(c.r_bursts_done, 1);
  EXPECT_EQ(c.protocol_errors, 0);
  t.Step();
  EXPECT_TRUE(t.dram.Idle());
}

TEST(AxiDram, ReadLatencyAndBackToBackBursts) {
  DramConfig cfg = Quick();
  cfg.read_latency = 7;
  Bench t(cfg);
  t.master.ar.push_back({static_cast<uint32_t>(kBase), 3});
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 64), 1});
  ASSERT_TRUE(t.RunReads(6));
  ASSERT_EQ(t.master.ar_cycles.size(), 2u);
  EXPECT_EQ(t.master.ar_cycles[0], 0u);  // ARREADY is high from the first cycle
  EXPECT_EQ(t.master.ar_cycles[1], 1u);
  // First beat read_latency cycles after the AR handshake, then one per cycle; the second
  // burst (due at cycle 8) follows the first without a gap.
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(t.master.r[i].cycle, 7 + i) << "beat " << i;
}

TEST(AxiDram, WriteBurstHonoursStrobesAndLatency) {
  DramConfig cfg = Quick();
  cfg.write_latency = 10;
  cfg.fill = 0xaa;
  Bench t(cfg);
  const uint32_t a = static_cast<uint32_t>(kBase + 0x200);
  t.master.Write(
      a,
      {0x0706050403020100ULL, 0x1716151413121110ULL, 0x2726252423222120ULL, 0x3736353433323130ULL},
      {0xff, 0x0f, 0xf0, 0x81});
  ASSERT_TRUE(t.RunWrites(1));
  EXPECT_EQ(t.master.b[0].resp, kAxiRespOkay);
  // AW at cycle 0, W beats at 1..4 (WREADY once AW is in), B at max(0 + 10, 4 + 1).
  EXPECT_EQ(t.master.aw_cycles[0], 0u);
  EXPECT_EQ(t.master.w_cycles.back(), 4u);
  EXPECT_EQ(t.master.b[0].cycle, 10u);
  const std::vector<uint8_t> got = t.dram.Read(a - 8, 48);
  std::vector<uint8_t> want(48, 0xaa);
  for (int i = 0; i < 8; ++i) want[8 + i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 4; ++i) want[16 + i] = static_cast<uint8_t>(0x10 + i);
  for (int i = 4; i < 8; ++i) want[24 + i] = static_cast<uint8_t>(0x20 + i);
  want[32] = 0x30;
  want[39] = 0x37;
  EXPECT_EQ(got, want);
  const AxiDramCounters& c = t.dram.counters();
  EXPECT_EQ(c.aw_bursts, 1);
  EXPECT_EQ(c.w_beats, 4);
  EXPECT_EQ(c.write_bytes, 32);
  EXPECT_EQ(c.write_strobe_bytes, 8 + 4 + 4 + 2);
  EXPECT_EQ(c.b_responses, 1);
}

TEST(AxiDram, WriteResponseWaitsForLastBeat) {
  DramConfig cfg = Quick();
  cfg.write_latency = 1;
  Bench t(cfg);
  t.master.Write(static_cast<uint32_t>(kBase), {1, 2, 3});
  ASSERT_TRUE(t.RunWrites(1));
  EXPECT_EQ(t.master.b[0].cycle, t.master.w_cycles.back() + 1);
}

TEST(AxiDram, UnalignedIncrStartIgnoresLanesBelowTheAddress) {
  Bench t(Quick());
  t.master.Write(static_cast<uint32_t>(kBase + 3), {0x1111111111111111ULL, 0x2222222222222222ULL});
  ASSERT_TRUE(t.RunWrites(1));
  const std::vector<uint8_t> got = t.dram.Read(kBase, 16);
  const std::vector<uint8_t> want = {0,    0,    0,    0x11, 0x11, 0x11, 0x11, 0x11,
                                     0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22};
  EXPECT_EQ(got, want);
  EXPECT_EQ(t.dram.counters().protocol_errors, 0);
}

TEST(AxiDram, OutOfRangeAnswersDecErrPerBeat) {
  DramConfig cfg = Quick();
  cfg.size = 0x1010;  // the last beats of the second page are outside
  Bench t(cfg);
  t.dram.Write(kBase + 0x1000, Pattern(16, 9));
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 0x1000), 3});
  t.master.ar.push_back({static_cast<uint32_t>(kBase - 0x40), 0});
  ASSERT_TRUE(t.RunReads(5));
  EXPECT_EQ(t.master.r[0].resp, kAxiRespOkay);
  EXPECT_EQ(t.master.r[1].resp, kAxiRespOkay);
  EXPECT_EQ(t.master.r[1].data, Le64(Pattern(16, 9), 8));
  EXPECT_EQ(t.master.r[2].resp, kAxiRespDecErr);
  EXPECT_EQ(t.master.r[2].data, 0u);
  EXPECT_EQ(t.master.r[3].resp, kAxiRespDecErr);
  EXPECT_TRUE(t.master.r[3].last);
  EXPECT_EQ(t.master.r[4].resp, kAxiRespDecErr);
  EXPECT_EQ(t.dram.counters().r_decerr_beats, 3);

  t.master.Write(static_cast<uint32_t>(kBase + 0x1008), {0xdead, 0xbeef});
  t.master.Write(static_cast<uint32_t>(kBase + 0x2000), {1});
  ASSERT_TRUE(t.RunWrites(2));
  EXPECT_EQ(t.master.b[0].resp, kAxiRespDecErr);  // worst of OKAY, DECERR
  EXPECT_EQ(t.master.b[1].resp, kAxiRespDecErr);
  EXPECT_EQ(Le64(t.dram.Read(kBase + 0x1008, 8), 0), 0xdeadu);  // the in-range beat is written
  EXPECT_EQ(t.dram.counters().b_decerr, 2);
  EXPECT_EQ(t.dram.counters().protocol_errors, 0);
}

TEST(AxiDram, SlvErrInjection) {
  DramConfig cfg = Quick();
  cfg.error_base = kBase + 0x300;
  cfg.error_size = 1;
  Bench t(cfg);
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 0x2f0), 3});
  ASSERT_TRUE(t.RunReads(4));
  EXPECT_EQ(t.master.r[0].resp, kAxiRespOkay);
  EXPECT_EQ(t.master.r[1].resp, kAxiRespOkay);
  EXPECT_EQ(t.master.r[2].resp, kAxiRespSlvErr);
  EXPECT_EQ(t.master.r[3].resp, kAxiRespOkay);
  EXPECT_EQ(t.dram.counters().r_slverr_beats, 1);

  t.master.Write(static_cast<uint32_t>(kBase + 0x2f8), {5, 6, 7});
  ASSERT_TRUE(t.RunWrites(1));
  EXPECT_EQ(t.master.b[0].resp, kAxiRespSlvErr);
  EXPECT_EQ(Le64(t.dram.Read(kBase + 0x2f8, 24), 0), 5u);
  EXPECT_EQ(Le64(t.dram.Read(kBase + 0x2f8, 24), 8), 0u);  // the error beat is not written
  EXPECT_EQ(Le64(t.dram.Read(kBase + 0x2f8, 24), 16), 7u);

  t.dram.InjectSlvErr(0, 0);
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 0x300), 0});
  ASSERT_TRUE(t.RunReads(5));
  EXPECT_EQ(t.master.r[4].resp, kAxiRespOkay);
  EXPECT_EQ(t.dram.counters().b_slverr, 1);
}

TEST(AxiDram, BandwidthLimit) {
  DramConfig cfg = Quick();
  cfg.bytes_per_cycle = 2.0;  // a beat every 4 cycles
  Bench t(cfg);
  for (int i = 0; i < 4; ++i) {
    t.master.ar.push_back({static_cast<uint32_t>(kBase + 128 * i), 15});
  }
  ASSERT_TRUE(t.RunReads(64));
  const uint64_t span = t.master.r.back().cycle - t.master.r.front().cycle;
  EXPECT_GE(span, 63u * 4 - 8);
  EXPECT_LE(span, 63u * 4 + 8);
}

TEST(AxiDram, OutstandingReadLimit) {
  DramConfig cfg = Quick();
  cfg.max_reads = 2;
  cfg.read_latency = 20;
  Bench t(cfg);
  for (int i = 0; i < 4; ++i) t.master.ar.push_back({static_cast<uint32_t>(kBase + 8 * i), 0});
  ASSERT_TRUE(t.RunReads(4));
  ASSERT_EQ(t.master.ar_cycles.size(), 4u);
  EXPECT_EQ(t.master.ar_cycles[1], 1u);
  // The third AR waits until the first burst has completed.
  EXPECT_GT(t.master.ar_cycles[2], t.master.r[0].cycle);
  EXPECT_GT(t.dram.counters().ar_wait_cycles, 0);
}

// Random reads and writes through random back-pressure on both sides, throttled bandwidth and
// several outstanding bursts: memory matches a shadow copy and nothing breaks the AXI rules.
TEST(AxiDram, RandomTrafficWithStallsMatchesShadow) {
  DramConfig cfg = Quick();
  cfg.size = 1 << 16;
  cfg.stall_prob = 0.3;
  cfg.bytes_per_cycle = 6.0;
  cfg.read_latency = 5;
  cfg.write_latency = 9;
  cfg.max_reads = 3;
  cfg.max_writes = 2;
  cfg.seed = 11;
  Bench t(cfg);
  t.master.ready_prob = 0.6;
  std::vector<uint8_t> shadow = Pattern(cfg.size, 1);
  t.dram.Write(kBase, shadow);
  Rng rng(5);
  size_t beats_read = 0, bursts_written = 0;
  for (int n = 0; n < 200; ++n) {
    const int beats = static_cast<int>(rng.Range(1, 16));
    const uint64_t off = 8 * rng.Below((cfg.size - 8 * beats) / 8);
    if ((off % 4096) + 8 * static_cast<uint64_t>(beats) > 4096) continue;
    if (rng.Chance(0.5)) {
      // Read: compare against the shadow as it is now (writes are complete before a read is
      // issued, so there is no ordering ambiguity).
      ASSERT_TRUE(t.RunWrites(bursts_written));
      t.master.ar.push_back({static_cast<uint32_t>(kBase + off), static_cast<uint8_t>(beats - 1)});
      ASSERT_TRUE(t.RunReads(beats_read + static_cast<size_t>(beats)));
      for (int i = 0; i < beats; ++i) {
        const Master::RBeat& r = t.master.r[beats_read + static_cast<size_t>(i)];
        EXPECT_EQ(r.data, Le64(shadow, off + 8 * static_cast<uint64_t>(i)));
        EXPECT_EQ(r.last, i == beats - 1);
      }
      beats_read += static_cast<size_t>(beats);
    } else {
      std::vector<uint64_t> data;
      std::vector<uint8_t> strb;
      for (int i = 0; i < beats; ++i) {
        data.push_back(rng.Next());
        strb.push_back(static_cast<uint8_t>(rng.Next()));
        for (int l = 0; l < 8; ++l) {
          if ((strb.back() >> l) & 1) {
            shadow[off + 8 * static_cast<uint64_t>(i) + static_cast<uint64_t>(l)] =
                static_cast<uint8_t>(data.back() >> (8 * l));
          }
        }
      }
      t.master.Write(static_cast<uint32_t>(kBase + off), data, strb);
      ++bursts_written;
    }
  }
  ASSERT_TRUE(t.RunWrites(bursts_written));
  EXPECT_EQ(t.dram.Read(kBase, cfg.size), shadow);
  const AxiDramCounters& c = t.dram.counters();
  EXPECT_EQ(c.r_beats, static_cast<int64_t>(beats_read));
  EXPECT_EQ(c.b_responses, static_cast<int64_t>(bursts_written));
  EXPECT_EQ(c.protocol_errors, 0) << (t.dram.protocol_messages().empty()
                                          ? ""
                                          : t.dram.protocol_messages().front());
  EXPECT_EQ(t.master.slave_rule_violations, 0);
  EXPECT_GT(c.w_wait_cycles, 0);
  EXPECT_GT(c.r_backpressure_cycles, 0);
  EXPECT_GT(c.aw_wait_cycles + c.ar_wait_cycles, 0);
}

TEST(AxiDram, ProtocolErrorsAreCountedNotThrown) {
  Bench t(Quick());
  t.dram.Write(kBase, Pattern(64, 1));
  Master::Addr narrow{static_cast<uint32_t>(kBase), 1, 2, kAxiBurstIncr};
  Master::Addr fixed{static_cast<uint32_t>(kBase), 0, kAxiBeatSize, kAxiBurstFixed};
  Master::Addr cross{static_cast<uint32_t>(kBase + 4096 - 16), 3};
  t.master.ar.push_back(narrow);
  t.master.ar.push_back(fixed);
  t.master.ar.push_back(cross);
  ASSERT_TRUE(t.RunReads(2 + 1 + 4));
  for (const Master::RBeat& r : t.master.r) {
    EXPECT_EQ(r.resp, kAxiRespSlvErr);
    EXPECT_EQ(r.data, 0u);
  }
  EXPECT_EQ(t.dram.counters().protocol_errors, 3);

  // A bad write burst touches no memory; a wrong WLAST is reported.
  t.master.aw.push_back(cross);
  for (int i = 0; i < 4; ++i) t.master.w.push_back({~0ULL, 0xff, i == 3});
  t.master.aw.push_back({static_cast<uint32_t>(kBase), 1});
  t.master.w.push_back({~0ULL, 0xff, true});  // WLAST one beat early
  t.master.w.push_back({~0ULL, 0xff, true});
  ASSERT_TRUE(t.RunWrites(2));
  EXPECT_EQ(t.master.b[0].resp, kAxiRespSlvErr);
  EXPECT_EQ(t.dram.Read(kBase + 4096 - 16, 16), std::vector<uint8_t>(16, 0));
  EXPECT_EQ(t.dram.counters().protocol_errors, 5);
  ASSERT_EQ(t.dram.protocol_messages().size(), 5u);
  EXPECT_NE(t.dram.protocol_messages()[0].find("ARSIZE 2"), std::string::npos);
  EXPECT_NE(t.dram.protocol_messages()[2].find("4 KiB"), std::string::npos);
  EXPECT_NE(t.dram.protocol_messages()[4].find("WLAST"), std::string::npos);
}

TEST(AxiDram, MasterDroppingValidIsAProtocolError) {
  DramConfig cfg = Quick();
  cfg.max_reads = 1;
  cfg.read_latency = 10;
  Bench t(cfg);
  // The first AR fills the only slot, so the second waits; withdrawing it breaks the rules.
  t.master.ar.push_back({static_cast<uint32_t>(kBase), 0});
  t.master.ar.push_back({static_cast<uint32_t>(kBase + 8), 0});
  t.Step();
  t.Step();
  t.Step();
  t.master.ar.clear();
  t.Step();
  EXPECT_EQ(t.dram.counters().protocol_errors, 1);
  EXPECT_NE(t.dram.protocol_messages()[0].find("ARVALID dropped"), std::string::npos);
}

TEST(AxiDram, CountersJson) {
  Bench t(Quick());
  t.master.ar.push_back({static_cast<uint32_t>(kBase), 1});
  ASSERT_TRUE(t.RunReads(2));
  const nlohmann::json j = t.dram.CountersJson();
  EXPECT_EQ(j.size(), AxiDramCounters::Defs().size());
  EXPECT_EQ(j.at("r_beats").get<int64_t>(), 2);
  EXPECT_EQ(j.at("read_bytes").get<int64_t>(), 16);
  EXPECT_EQ(j.at("cycles").get<int64_t>(), static_cast<int64_t>(t.cycle));
  for (const auto& d : AxiDramCounters::Defs()) EXPECT_FALSE(d.help.empty()) << d.name;
  t.dram.ClearCounters();
  EXPECT_EQ(t.dram.counters().r_beats, 0);
}

TEST(AxiDram, BackdoorAccess) {
  DramConfig cfg = Quick();
  cfg.fill = 0x5a;
  AxiDram d(cfg);
  EXPECT_EQ(d.Read(kBase + 5000, 3), std::vector<uint8_t>(3, 0x5a));
  const std::vector<uint8_t> v = Pattern(10000, 4);  // spans pages
  d.Write(kBase + 4090, v);
  EXPECT_EQ(d.Read(kBase + 4090, v.size()), v);
  EXPECT_EQ(d.Read(kBase + cfg.size - 1, 1).size(), 1u);
  EXPECT_THROW(d.Read(kBase + cfg.size - 1, 2), qsa::Error);
  EXPECT_THROW(d.Read(kBase - 1, 1), qsa::Error);
  EXPECT_THROW(d.Write(kBase + cfg.size, std::vector<uint8_t>(1)), qsa::Error);
  EXPECT_EQ(d.counters().r_beats + d.counters().w_beats, 0);
}

TEST(AxiDram, ConfigValidation) {
  auto field_of = [](const DramConfig& c) -> std::string {
    try {
      c.Validate();
    } catch (const qsa::ConfigError& e) {
      return e.what();
    }
    return "";
  };
  DramConfig c;
  EXPECT_EQ(field_of(c), "");
  c = {};
  c.size = 0;
  EXPECT_NE(field_of(c).find("DramConfig: size"), std::string::npos);
  c = {};
  c.base = 0xffff0000;
  c.size = 0x20000;
  EXPECT_NE(field_of(c).find("2^32"), std::string::npos);
  c = {};
  c.read_latency = 0;
  EXPECT_NE(field_of(c).find("read_latency"), std::string::npos);
  c = {};
  c.stall_prob = 1.0;
  EXPECT_NE(field_of(c).find("stall_prob"), std::string::npos);
  c = {};
  c.bytes_per_cycle = -1;
  EXPECT_NE(field_of(c).find("bytes_per_cycle"), std::string::npos);
  c = {};
  c.base = 4;
  EXPECT_NE(field_of(c).find("base"), std::string::npos);
  c = {};
  c.max_writes = 0;
  EXPECT_THROW(AxiDram{c}, qsa::ConfigError);
}

}  // namespace
}  // namespace qsa::sim
