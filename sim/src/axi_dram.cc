#include "qsa/sim/axi_dram.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

#include "counters_json.h"
#include "qsa/cmodel/cycles.h"
#include "qsa/cmodel/error.h"

namespace qsa::sim {

namespace {

constexpr uint64_t kAddrSpace = 1ULL << 32;
constexpr uint64_t kBeat = kAxiBeatBytes;

constexpr std::array<CounterDef<AxiDramCounters>, 20> kDramCounterDefs = {{
    {"cycles", &AxiDramCounters::cycles, "clock cycles ticked"},
    {"ar_bursts", &AxiDramCounters::ar_bursts, "AR handshakes (read bursts)"},
    {"aw_bursts", &AxiDramCounters::aw_bursts, "AW handshakes (write bursts)"},
    {"r_beats", &AxiDramCounters::r_beats, "R handshakes, error beats included"},
    {"w_beats", &AxiDramCounters::w_beats, "W handshakes, error beats included"},
    {"read_bytes", &AxiDramCounters::read_bytes, "8 x r_beats"},
    {"write_bytes", &AxiDramCounters::write_bytes, "8 x w_beats"},
    {"write_strobe_bytes", &AxiDramCounters::write_strobe_bytes,
     "bytes actually written (WSTRB set, OKAY beats)"},
    {"r_bursts_done", &AxiDramCounters::r_bursts_done, "read bursts whose last beat was taken"},
    {"b_responses", &AxiDramCounters::b_responses, "B handshakes"},
    {"r_slverr_beats", &AxiDramCounters::r_slverr_beats, "R beats answered SLVERR"},
    {"r_decerr_beats", &AxiDramCounters::r_decerr_beats, "R beats answered DECERR"},
    {"b_slverr", &AxiDramCounters::b_slverr, "B responses SLVERR"},
    {"b_decerr", &AxiDramCounters::b_decerr, "B responses DECERR"},
    {"protocol_errors", &AxiDramCounters::protocol_errors, "AXI rule violations by the master"},
    {"ar_wait_cycles", &AxiDramCounters::ar_wait_cycles, "cycles with ARVALID and not ARREADY"},
    {"aw_wait_cycles", &AxiDramCounters::aw_wait_cycles, "cycles with AWVALID and not AWREADY"},
    {"w_wait_cycles", &AxiDramCounters::w_wait_cycles, "cycles with WVALID and not WREADY"},
    {"r_backpressure_cycles", &AxiDramCounters::r_backpressure_cycles,
     "cycles with RVALID and not RREADY"},
    {"b_backpressure_cycles", &AxiDramCounters::b_backpressure_cycles,
     "cycles with BVALID and not BREADY"},
}};

uint8_t WorstResp(uint8_t a, uint8_t b) {
  auto rank = [](uint8_t r) { return r == kAxiRespDecErr ? 2 : (r == kAxiRespSlvErr ? 1 : 0); };
  return rank(b) > rank(a) ? b : a;
}

}  // namespace

std::span<const CounterDef<AxiDramCounters>> AxiDramCounters::Defs() { return kDramCounterDefs; }

nlohmann::json AxiDramCounters::ToJson() const { return detail::CountersToJson(*this); }

void DramConfig::Validate() const {
  auto fail = [](std::string_view field, std::string_view what) {
    throw ConfigError(fmt::format("DramConfig: {} {}", field, what));
  };
  if (size == 0) fail("size", "must be > 0");
  if (base % kBeat != 0) fail("base", fmt::format("must be a multiple of 8, got {:#x}", base));
  if (size % kBeat != 0) fail("size", fmt::format("must be a multiple of 8, got {}", size));
  if (size > kMaxDramBytes) {
    fail("size", fmt::format("must be <= {} MiB (the model keeps all of it in host memory), got {}",
                             kMaxDramBytes >> 20, size));
  }
  if (base >= kAddrSpace || size > kAddrSpace - base) {
    fail("base + size",
         fmt::format("must be <= 2^32 (32-bit addresses), got {:#x} + {:#x}", base, size));
  }
  cmodel::ValidateDramTiming("DramConfig", read_latency, write_latency, bytes_per_cycle);
  if (!(stall_prob >= 0.0 && stall_prob < 1.0)) {
    fail("stall_prob", fmt::format("must be in [0, 1), got {}", stall_prob));
  }
  if (max_reads < 1) fail("max_reads", fmt::format("must be >= 1, got {}", max_reads));
  if (max_writes < 1) fail("max_writes", fmt::format("must be >= 1, got {}", max_writes));
  if (error_size > kAddrSpace || error_base > kAddrSpace - error_size) {
    fail("error_base + error_size", "must be <= 2^32");
  }
}

AxiDram::AxiDram(const DramConfig& cfg) : cfg_(cfg) {
  cfg_.Validate();
  mem_.assign(cfg_.size, cfg_.fill);
  Reset();
}

void AxiDram::Reset() {
  rng_.Seed(cfg_.seed);
  credit_ = static_cast<double>(kBeat);
  out_ = {};
  prev_m_ = {};
  prev_s_ = {};
  have_prev_ = false;
  reads_.clear();
  writes_.clear();
  bq_.clear();
  ComputeOutputs(false, false);
}

nlohmann::json AxiDram::CountersJson() const { return c_.ToJson(); }

void AxiDram::InjectSlvErr(uint64_t base, uint64_t size) {
  cfg_.error_base = base;
  cfg_.error_size = size;
}

bool AxiDram::Idle() const {
  return reads_.empty() && writes_.empty() && bq_.empty() && !out_.rvalid && !out_.bvalid;
}

void AxiDram::ProtocolError(std::string msg) {
  ++c_.protocol_errors;
  if (messages_.size() < kMaxMessages) {
    messages_.push_back(fmt::format("AxiDram cycle {}: {}", now_, msg));
  }
}

uint8_t AxiDram::BeatResp(uint64_t beat_addr) const {
  if (beat_addr < cfg_.base || beat_addr + kBeat > cfg_.base + cfg_.size) return kAxiRespDecErr;
  if (cfg_.error_size != 0 && beat_addr < cfg_.error_base + cfg_.error_size &&
      cfg_.error_base < beat_addr + kBeat) {
    return kAxiRespSlvErr;
  }
  return kAxiRespOkay;
}

bool AxiDram::CheckBurst(char ch, uint32_t addr, uint8_t len, uint8_t size, uint8_t burst) {
  bool ok = true;
  if (size != kAxiBeatSize) {
    ProtocolError(fmt::format("A{} addr {:#x}: A{}SIZE {} (only 3, 8-byte beats, supported)", ch,
                              addr, ch, size));
    ok = false;
  }
  if (burst != kAxiBurstIncr) {
    ProtocolError(
        fmt::format("A{} addr {:#x}: A{}BURST {} (only INCR = 1 supported)", ch, addr, ch, burst));
    ok = false;
  }
  const uint64_t first = addr & ~(kBeat - 1);
  const uint64_t last = first + uint64_t{len} * kBeat;
  if (first / kPageBytes != last / kPageBytes) {
    ProtocolError(
        fmt::format("A{} addr {:#x} A{}LEN {}: burst crosses a 4 KiB boundary", ch, addr, ch, len));
    ok = false;
  }
  return ok;
}

void AxiDram::TagRange(uint64_t base, uint64_t size, int tag) {
  if (tag < 0 || tag >= kDramTags) {
    throw ConfigError(fmt::format("AxiDram::TagRange: tag {} is outside [0, {})", tag, kDramTags));
  }
  if (size == 0) return;
  const Tagged t{base, base + size, tag};
  for (const Tagged& o : tags_) {
    if (t.begin < o.end && o.begin < t.end) {
      throw ConfigError(fmt::format(
          "AxiDram::TagRange: [{:#x}, {:#x}) overlaps the tagged range [{:#x}, {:#x})", t.begin,
          t.end, o.begin, o.end));
    }
  }
  tags_.insert(std::upper_bound(tags_.begin(), tags_.end(), t,
                                [](const Tagged& a, const Tagged& b) { return a.begin < b.begin; }),
               t);
}

void AxiDram::ClearTags() {
  tags_.clear();
  ClearTagCounts();
}

void AxiDram::ClearTagCounts() {
  tag_read_bytes_.fill(0);
  tag_write_bytes_.fill(0);
}

void AxiDram::CountTag(uint64_t beat_addr, std::array<int64_t, kDramTags>& bytes) const {
  // The last range that starts at or below the beat; a beat belongs to a range if any byte does.
  auto it = std::upper_bound(tags_.begin(), tags_.end(), beat_addr + kBeat - 1,
                             [](uint64_t a, const Tagged& t) { return a < t.begin; });
  if (it == tags_.begin()) return;
  --it;
  if (beat_addr < it->end) bytes[static_cast<size_t>(it->tag)] += static_cast<int64_t>(kBeat);
}

uint8_t* AxiDram::HostView(uint64_t addr, uint64_t n) {
  if (addr < cfg_.base || addr > cfg_.base + cfg_.size || n > cfg_.base + cfg_.size - addr) {
    throw Error(fmt::format("AxiDram::HostView: [{:#x}, +{}) is outside [{:#x}, +{:#x})", addr,
                            n, cfg_.base, cfg_.size));
  }
  return mem_.data() + (addr - cfg_.base);
}

void AxiDram::CheckMasterHold(const AxiMasterOut& m) {
  if (!have_prev_) return;
  const AxiMasterOut& p = prev_m_;
  if (p.arvalid && !prev_s_.arready &&
      (!m.arvalid || m.araddr != p.araddr || m.arlen != p.arlen || m.arsize != p.arsize ||
       m.arburst != p.arburst)) {
    ProtocolError(
        fmt::format("AR addr {:#x}: ARVALID dropped or AR changed before ARREADY", p.araddr));
  }
  if (p.awvalid && !prev_s_.awready &&
      (!m.awvalid || m.awaddr != p.awaddr || m.awlen != p.awlen || m.awsize != p.awsize ||
       m.awburst != p.awburst)) {
    ProtocolError(
        fmt::format("AW addr {:#x}: AWVALID dropped or AW changed before AWREADY", p.awaddr));
  }
  if (p.wvalid && !prev_s_.wready &&
      (!m.wvalid || m.wdata != p.wdata || m.wstrb != p.wstrb || m.wlast != p.wlast)) {
    ProtocolError("W: WVALID dropped or W changed before WREADY");
  }
}

void AxiDram::AcceptW(const AxiMasterOut& m) {
  if (writes_.empty()) {  // cannot happen while WREADY follows the state
    ProtocolError("W handshake with no write burst outstanding");
    return;
  }
  WriteBurst& w = writes_.front();
  const uint64_t first = w.addr & ~(kBeat - 1);
  const uint64_t beat_addr = first + static_cast<uint64_t>(w.next) * kBeat;
  const bool last = (w.next == w.beats - 1);
  if (m.wlast != last) {
    ProtocolError(fmt::format("W beat {} of the burst at {:#x} ({} beats): WLAST {}", w.next,
                              w.addr, w.beats, m.wlast ? 1 : 0));
  }
  ++c_.w_beats;
  c_.write_bytes += static_cast<int64_t>(kBeat);
  CountTag(beat_addr, tag_write_bytes_);
  const uint8_t resp = w.bad ? kAxiRespSlvErr : BeatResp(beat_addr);
  w.resp = WorstResp(w.resp, resp);
  if (resp == kAxiRespOkay) {
    unsigned strb = m.wstrb;
    if (w.next == 0) strb &= ~((1u << (w.addr & (kBeat - 1))) - 1u);  // below an unaligned start
    if (strb != 0) {
      uint8_t* b = mem_.data() + (beat_addr - cfg_.base);
      for (unsigned lane = 0; lane < kBeat; ++lane) {
        if ((strb >> lane) & 1u) b[lane] = static_cast<uint8_t>(m.wdata >> (8 * lane));
      }
      c_.write_strobe_bytes += std::popcount(strb);
    }
  }
  ++w.next;
  if (w.next == w.beats) {
    w.b_at = std::max(w.accepted + static_cast<uint64_t>(cfg_.write_latency), now_ + 1);
    bq_.push_back(w);
    writes_.pop_front();
  }
}

void AxiDram::Tick(const AxiMasterOut& m, const AxiSlaveOut& s) {
  ++c_.cycles;
  CheckMasterHold(m);

  const bool ar_hs = m.arvalid && s.arready;
  const bool aw_hs = m.awvalid && s.awready;
  const bool w_hs = m.wvalid && s.wready;
  const bool r_hs = s.rvalid && m.rready;
  const bool b_hs = s.bvalid && m.bready;
  if (m.arvalid && !s.arready) ++c_.ar_wait_cycles;
  if (m.awvalid && !s.awready) ++c_.aw_wait_cycles;
  if (m.wvalid && !s.wready) ++c_.w_wait_cycles;
  if (s.rvalid && !m.rready) ++c_.r_backpressure_cycles;
  if (s.bvalid && !m.bready) ++c_.b_backpressure_cycles;

  if (r_hs) {
    ++c_.r_beats;
    c_.read_bytes += static_cast<int64_t>(kBeat);
    if (s.rresp == kAxiRespSlvErr) ++c_.r_slverr_beats;
    if (s.rresp == kAxiRespDecErr) ++c_.r_decerr_beats;
    if (!reads_.empty()) {
      ReadBurst& r = reads_.front();
      CountTag(r.addr + static_cast<uint64_t>(r.next) * kBeat, tag_read_bytes_);
      if (++r.next == r.beats) {
        ++c_.r_bursts_done;
        reads_.pop_front();
      }
    }
  }
  if (b_hs) {
    ++c_.b_responses;
    if (s.bresp == kAxiRespSlvErr) ++c_.b_slverr;
    if (s.bresp == kAxiRespDecErr) ++c_.b_decerr;
    if (!bq_.empty()) bq_.pop_front();
  }
  if (w_hs) AcceptW(m);
  if (aw_hs) {
    ++c_.aw_bursts;
    WriteBurst w;
    w.addr = m.awaddr;
    w.beats = m.awlen + 1;
    w.accepted = now_;
    w.bad = !CheckBurst('W', m.awaddr, m.awlen, m.awsize, m.awburst);
    writes_.push_back(w);
  }
  if (ar_hs) {
    ++c_.ar_bursts;
    ReadBurst r;
    r.addr = m.araddr & ~(kBeat - 1);
    r.beats = m.arlen + 1;
    r.ready_at = now_ + static_cast<uint64_t>(cfg_.read_latency);
    r.bad = !CheckBurst('R', m.araddr, m.arlen, m.arsize, m.arburst);
    reads_.push_back(r);
  }

  if (cfg_.bytes_per_cycle > 0.0) {
    if (r_hs) credit_ -= static_cast<double>(kBeat);
    if (w_hs) credit_ -= static_cast<double>(kBeat);
    credit_ = std::min(credit_ + cfg_.bytes_per_cycle,
                       std::max(cfg_.bytes_per_cycle, 2.0 * static_cast<double>(kBeat)));
  }

  prev_m_ = m;
  prev_s_ = s;
  have_prev_ = true;
  ++now_;
  ComputeOutputs(s.rvalid && !m.rready, s.bvalid && !m.bready);
}

void AxiDram::ComputeOutputs(bool r_hold, bool b_hold) {
  const double p = cfg_.stall_prob;
  const bool stall_ar = rng_.Chance(p);
  const bool stall_aw = rng_.Chance(p);
  const bool stall_w = rng_.Chance(p);
  const bool stall_r = rng_.Chance(p);
  const bool stall_b = rng_.Chance(p);
  const bool bw_ok = cfg_.bytes_per_cycle <= 0.0 || credit_ >= static_cast<double>(kBeat);

  out_.arready = !stall_ar && reads_.size() < static_cast<size_t>(cfg_.max_reads);
  out_.awready = !stall_aw && writes_.size() + bq_.size() < static_cast<size_t>(cfg_.max_writes);
  out_.wready = !stall_w && bw_ok && !writes_.empty();

  // R: a presented beat stays until taken; otherwise present the next one when due.
  if (!r_hold) {
    out_.rvalid = false;
    out_.rdata = 0;
    out_.rresp = kAxiRespOkay;
    out_.rlast = false;
    if (!reads_.empty() && reads_.front().ready_at <= now_ && !stall_r && bw_ok) {
      const ReadBurst& r = reads_.front();
      const uint64_t beat_addr = r.addr + static_cast<uint64_t>(r.next) * kBeat;
      const uint8_t resp = r.bad ? kAxiRespSlvErr : BeatResp(beat_addr);
      uint64_t data = 0;
      if (resp == kAxiRespOkay) {
        const uint8_t* b = mem_.data() + (beat_addr - cfg_.base);
        for (unsigned lane = 0; lane < kBeat; ++lane) data |= uint64_t{b[lane]} << (8 * lane);
      }
      out_.rvalid = true;
      out_.rdata = data;
      out_.rresp = resp;
      out_.rlast = (r.next == r.beats - 1);
    }
  }
  if (!b_hold) {
    out_.bvalid = false;
    out_.bresp = kAxiRespOkay;
    if (!bq_.empty() && bq_.front().b_at <= now_ && !stall_b) {
      out_.bvalid = true;
      out_.bresp = bq_.front().resp;
    }
  }
}

void AxiDram::Write(uint64_t addr, std::span<const uint8_t> data) {
  if (addr < cfg_.base || addr > cfg_.base + cfg_.size ||
      data.size() > cfg_.base + cfg_.size - addr) {
    throw Error(fmt::format("AxiDram::Write: [{:#x}, +{}) is outside [{:#x}, +{:#x})", addr,
                            data.size(), cfg_.base, cfg_.size));
  }
  if (!data.empty()) std::memcpy(mem_.data() + (addr - cfg_.base), data.data(), data.size());
}

std::vector<uint8_t> AxiDram::Read(uint64_t addr, uint64_t n) const {
  if (addr < cfg_.base || addr > cfg_.base + cfg_.size || n > cfg_.base + cfg_.size - addr) {
    throw Error(fmt::format("AxiDram::Read: [{:#x}, +{}) is outside [{:#x}, +{:#x})", addr, n,
                            cfg_.base, cfg_.size));
  }
  const uint8_t* b = mem_.data() + (addr - cfg_.base);
  return {b, b + n};
}

}  // namespace qsa::sim
