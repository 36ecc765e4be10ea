#include "qsa/sim/axil_host.h"

#include <fmt/format.h>

#include <array>

#include "counters_json.h"
#include "qsa/cmodel/error.h"

namespace qsa::sim {

namespace {

constexpr std::array<CounterDef<AxiLiteHostCounters>, 7> kHostCounterDefs = {{
    {"cycles", &AxiLiteHostCounters::cycles, "clock cycles ticked"},
    {"busy_cycles", &AxiLiteHostCounters::busy_cycles, "cycles with an operation in flight"},
    {"writes", &AxiLiteHostCounters::writes, "writes completed (B handshakes)"},
    {"reads", &AxiLiteHostCounters::reads, "reads completed (R handshakes)"},
    {"slverr", &AxiLiteHostCounters::slverr, "responses SLVERR"},
    {"decerr", &AxiLiteHostCounters::decerr, "responses DECERR"},
    {"protocol_errors", &AxiLiteHostCounters::protocol_errors, "AXI rule violations by the slave"},
}};

}  // namespace

std::span<const CounterDef<AxiLiteHostCounters>> AxiLiteHostCounters::Defs() {
  return kHostCounterDefs;
}

nlohmann::json AxiLiteHostCounters::ToJson() const { return detail::CountersToJson(*this); }

void AxiLiteHostConfig::Validate() const {
  if (addr_width < 1 || addr_width > 32) {
    throw ConfigError(
        fmt::format("AxiLiteHostConfig: addr_width must be in [1, 32], got {}", addr_width));
  }
  if (!(ready_stall_prob >= 0.0 && ready_stall_prob < 1.0)) {
    throw ConfigError(fmt::format("AxiLiteHostConfig: ready_stall_prob must be in [0, 1), got {}",
                                  ready_stall_prob));
  }
}

AxiLiteHost::AxiLiteHost(const AxiLiteHostConfig& cfg) : cfg_(cfg) {
  cfg_.Validate();
  Reset();
}

void AxiLiteHost::Reset() {
  rng_.Seed(cfg_.seed);
  cur_.reset();
  queue_.clear();
  reads_done_.clear();
  writes_done_.clear();
  last_resp_ = kAxiRespOkay;
  stall_ready_ = false;
  prev_m_ = {};
  prev_s_ = {};
  have_prev_ = false;
}

nlohmann::json AxiLiteHost::CountersJson() const { return c_.ToJson(); }

void AxiLiteHost::CheckAddr(uint32_t addr) const {
  if (cfg_.addr_width < 32 && (addr >> cfg_.addr_width) != 0) {
    throw Error(
        fmt::format("AxiLiteHost: address {:#x} does not fit {} bits", addr, cfg_.addr_width));
  }
}

uint64_t AxiLiteHost::StartWrite(uint32_t addr, uint32_t data, uint8_t strb) {
  CheckAddr(addr);
  if (strb > 0xf) throw Error(fmt::format("AxiLiteHost: WSTRB {:#x} is wider than 4 bits", strb));
  const Op op{next_tag_++, true, addr, data, strb};
  if (cur_) {
    queue_.push_back(op);
  } else {
    Begin(op);
  }
  return op.tag;
}

uint64_t AxiLiteHost::StartRead(uint32_t addr) {
  CheckAddr(addr);
  const Op op{next_tag_++, false, addr, 0, 0};
  if (cur_) {
    queue_.push_back(op);
  } else {
    Begin(op);
  }
  return op.tag;
}

void AxiLiteHost::Begin(const Op& op) {
  Flight f;
  f.op = op;
  f.start = now_;
  if (op.write && cfg_.random_aw_w_order) {
    switch (rng_.Below(3)) {
      case 0:  // AW first
        f.w_delay = static_cast<int>(rng_.Range(1, 3));
        break;
      case 1:  // W first
        f.aw_delay = static_cast<int>(rng_.Range(1, 3));
        break;
      default:  // together
        break;
    }
  }
  cur_ = f;
}

std::optional<AxiLiteResult> AxiLiteHost::TakeRead() {
  if (reads_done_.empty()) return std::nullopt;
  AxiLiteResult r = reads_done_.front();
  reads_done_.pop_front();
  return r;
}

std::optional<AxiLiteResult> AxiLiteHost::TakeWrite() {
  if (writes_done_.empty()) return std::nullopt;
  AxiLiteResult r = writes_done_.front();
  writes_done_.pop_front();
  return r;
}

std::optional<uint32_t> AxiLiteHost::TakeReadData() {
  std::optional<AxiLiteResult> r = TakeRead();
  if (!r) return std::nullopt;
  return r->data;
}

void AxiLiteHost::ProtocolError(std::string msg) {
  ++c_.protocol_errors;
  if (messages_.size() < kMaxMessages) {
    messages_.push_back(fmt::format("AxiLiteHost cycle {}: {}", now_, msg));
  }
}

void AxiLiteHost::Drive(AxiLiteMasterOut& m) const {
  m = {};
  if (!cur_) return;
  const Flight& f = *cur_;
  if (f.op.write) {
    m.awaddr = f.op.addr;
    m.awvalid = !f.a_done && f.aw_delay == 0;
    m.wdata = f.op.data;
    m.wstrb = f.op.strb;
    m.wvalid = !f.w_done && f.w_delay == 0;
    m.bready = !stall_ready_;
  } else {
    m.araddr = f.op.addr;
    m.arvalid = !f.a_done;
    m.rready = !stall_ready_;
  }
}

void AxiLiteHost::Tick(const AxiLiteMasterOut& m, const AxiLiteSlaveOut& s) {
  ++c_.cycles;
  if (cur_) ++c_.busy_cycles;

  if (have_prev_) {
    if (prev_s_.bvalid && !prev_m_.bready && (!s.bvalid || s.bresp != prev_s_.bresp)) {
      ProtocolError("BVALID dropped or BRESP changed before BREADY");
    }
    if (prev_s_.rvalid && !prev_m_.rready &&
        (!s.rvalid || s.rdata != prev_s_.rdata || s.rresp != prev_s_.rresp)) {
      ProtocolError("RVALID dropped or R changed before RREADY");
    }
  }

  const bool aw_hs = m.awvalid && s.awready;
  const bool w_hs = m.wvalid && s.wready;
  const bool ar_hs = m.arvalid && s.arready;
  const bool b_hs = s.bvalid && m.bready;
  const bool r_hs = s.rvalid && m.rready;

  bool done = false;
  if (cur_) {
    Flight& f = *cur_;
    if (aw_hs || ar_hs) f.a_done = true;
    if (w_hs) f.w_done = true;
    if (f.aw_delay > 0) --f.aw_delay;
    if (f.w_delay > 0) --f.w_delay;
    AxiLiteResult res{f.op.tag, f.op.write, f.op.addr, f.op.data, f.op.strb, 0, now_ - f.start + 1};
    if (f.op.write && b_hs) {
      if (!(f.a_done && f.w_done)) ProtocolError("B before both AW and W were accepted");
      res.resp = s.bresp;
      writes_done_.push_back(res);
      ++c_.writes;
      done = true;
    } else if (!f.op.write && r_hs) {
      if (!f.a_done) ProtocolError("R before AR was accepted");
      res.data = s.rdata;
      res.resp = s.rresp;
      reads_done_.push_back(res);
      ++c_.reads;
      done = true;
    }
    if (done) {
      last_resp_ = res.resp;
      if (res.resp == kAxiRespSlvErr) ++c_.slverr;
      if (res.resp == kAxiRespDecErr) ++c_.decerr;
    }
    if (!f.op.write && b_hs) ProtocolError("B during a read");
    if (f.op.write && r_hs) ProtocolError("R during a write");
  } else if (b_hs || r_hs) {
    ProtocolError("response with no operation in flight");
  }

  prev_m_ = m;
  prev_s_ = s;
  have_prev_ = true;
  ++now_;
  if (done) {
    cur_.reset();
    if (!queue_.empty()) {
      Begin(queue_.front());
      queue_.pop_front();
    }
  }
  stall_ready_ = rng_.Chance(cfg_.ready_stall_prob);
}

}  // namespace qsa::sim
