// AxiLiteHost against qsa_axil_csr (Verilated): reset values from the generated register header,
// read/write of rw registers with WSTRB, SLVERR on unmapped addresses, and a random stress with
// random AW/W ordering and BREADY/RREADY stalls against a shadow of the rw registers.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "Vqsa_axil_csr.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/axil_host.h"
#include "qsa/sim/rng.h"
#include "qsa/sim/verilator_ports.h"
#include "qsa_regs.h"
#include "verilated.h"

namespace qsa::sim {
namespace {

constexpr int kTimeout = 1000;  // cycles per operation

class CsrBench {
 public:
  explicit CsrBench(const AxiLiteHostConfig& cfg = {})
      : ctx_(std::make_unique<VerilatedContext>()), host_(cfg) {
    top_ = std::make_unique<Vqsa_axil_csr>(ctx_.get(), "csr");
    // Datapath inputs: idle, no events; build configuration as in qsa_top's defaults.
    top_->busy_i = 0;
    top_->done_i = 0;
    top_->err_i = 0;
    top_->err_layer_i = 0;
    top_->err_cause_i = 0;
    top_->err_addr_i = 0;
    top_->layer_i = 0;
    top_->cfg_pes_i = 8;
    top_->cfg_lanes_i = 8;
    top_->cfg_axi_bytes_i = 8;
    top_->cfg_act_kib_i = 32;
    top_->cfg_out_kib_i = 8;
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->eval();
    for (int i = 0; i < 3; ++i) {
      top_->clk_i = 1;
      top_->eval();
      top_->clk_i = 0;
      top_->eval();
    }
    top_->rst_ni = 1;
  }
  ~CsrBench() { top_->final(); }

  AxiLiteHost& host() { return host_; }

  void Step() {
    AxiLiteMasterOut m;
    host_.Drive(m);
    ApplyAxiLiteMasterOut(m, *top_);
    top_->clk_i = 0;
    top_->eval();
    const AxiLiteSlaveOut s = SampleAxiLiteSlaveOut(*top_);
    host_.Tick(m, s);
    top_->clk_i = 1;
    top_->eval();
  }
  /// Steps until the host has nothing in flight; false on timeout.
  bool Drain(int ops = 1) {
    for (int i = 0; i < kTimeout * ops && host_.Busy(); ++i) Step();
    return !host_.Busy();
  }

  AxiLiteResult Read(uint32_t addr) {
    host_.StartRead(addr);
    EXPECT_TRUE(Drain()) << "read " << addr << " timed out";
    return host_.TakeRead().value_or(AxiLiteResult{});
  }
  AxiLiteResult Write(uint32_t addr, uint32_t data, uint8_t strb = 0xf) {
    host_.StartWrite(addr, data, strb);
    EXPECT_TRUE(Drain()) << "write " << addr << " timed out";
    return host_.TakeWrite().value_or(AxiLiteResult{});
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vqsa_axil_csr> top_;
  AxiLiteHost host_;
};

TEST(AxilCsrCosim, ResetValuesMatchTheGeneratedHeader) {
  CsrBench t;
  const AxiLiteResult id = t.Read(QSA_REG_ID_OFFSET);
  EXPECT_TRUE(id.ok());
  EXPECT_EQ(id.data, QSA_REG_ID_RESET);
  EXPECT_EQ(t.Read(QSA_REG_VERSION_OFFSET).data, QSA_REG_VERSION_RESET);
  EXPECT_EQ(t.Read(QSA_REG_CONFIG_OFFSET).data, QSA_REG_CONFIG_RESET);
  EXPECT_EQ(t.Read(QSA_REG_BUF_CONFIG_OFFSET).data, QSA_REG_BUF_CONFIG_RESET);
  EXPECT_EQ(t.Read(QSA_REG_MODEL_BASE_OFFSET).data, QSA_REG_MODEL_BASE_RESET);
  EXPECT_EQ(t.host().counters().reads, 5);
  EXPECT_EQ(t.host().counters().protocol_errors, 0);
}

TEST(AxilCsrCosim, WriteReadBackWithStrobes) {
  CsrBench t;
  EXPECT_TRUE(t.Write(QSA_REG_MODEL_BASE_OFFSET, 0x12345677).ok());
  EXPECT_EQ(t.Read(QSA_REG_MODEL_BASE_OFFSET).data, 0x12345677 & QSA_REG_MODEL_BASE_RW_MASK);
  // Only byte 1 enabled.
  EXPECT_TRUE(t.Write(QSA_REG_MODEL_BASE_OFFSET, 0xaabbccdd, 0x2).ok());
  EXPECT_EQ(t.Read(QSA_REG_MODEL_BASE_OFFSET).data, 0x1234cc70u);
  // A write to a read-only register is answered OKAY and changes nothing.
  EXPECT_TRUE(t.Write(QSA_REG_ID_OFFSET, 0).ok());
  EXPECT_EQ(t.Read(QSA_REG_ID_OFFSET).data, QSA_REG_ID_RESET);
  EXPECT_EQ(t.host().last_resp(), kAxiRespOkay);
}

TEST(AxilCsrCosim, UnmappedAddressAnswersSlvErr) {
  CsrBench t;
  for (uint32_t addr : {0x02cu, 0x03cu, 0x0d8u, 0x800u, 0xffcu}) {
    const AxiLiteResult r = t.Read(addr);
    EXPECT_EQ(r.resp, kAxiRespSlvErr) << "read " << addr;
    EXPECT_EQ(r.data, 0u);
    EXPECT_EQ(t.Write(addr, 0xffffffff).resp, kAxiRespSlvErr) << "write " << addr;
  }
  EXPECT_EQ(t.host().counters().slverr, 10);
  EXPECT_EQ(t.Read(QSA_REG_ID_OFFSET).data, QSA_REG_ID_RESET);  // still answering
  EXPECT_THROW(t.host().StartRead(0x1000), qsa::Error);         // does not fit 12 bits
}

// Queued random reads and writes of the rw registers, AW/W in random order and spacing, with
// BREADY/RREADY stalls: every read matches a shadow copy and the slave keeps the AXI rules.
TEST(AxilCsrCosim, RandomOrderStressMatchesShadow) {
  AxiLiteHostConfig cfg;
  cfg.random_aw_w_order = true;
  cfg.ready_stall_prob = 0.3;
  cfg.seed = 42;
  CsrBench t(cfg);
  const std::map<uint32_t, uint32_t> rw = {
      {QSA_REG_MODEL_BASE_OFFSET, QSA_REG_MODEL_BASE_RW_MASK},
      {QSA_REG_DESC_PTR_OFFSET, QSA_REG_DESC_PTR_RW_MASK},
      {QSA_REG_DESC_COUNT_OFFSET, QSA_REG_DESC_COUNT_RW_MASK},
      {QSA_REG_ACT_ADDR0_OFFSET, QSA_REG_ACT_ADDR0_RW_MASK},
      {QSA_REG_ACT_ADDR1_OFFSET, QSA_REG_ACT_ADDR1_RW_MASK},
      {QSA_REG_WIN_BASE_OFFSET, QSA_REG_WIN_BASE_RW_MASK},
      {QSA_REG_WIN_LIMIT_OFFSET, QSA_REG_WIN_LIMIT_RW_MASK},
      {QSA_REG_K_OVERRIDE0_OFFSET, QSA_REG_K_OVERRIDE0_RW_MASK},
      {QSA_REG_K_OVERRIDE1_OFFSET, QSA_REG_K_OVERRIDE1_RW_MASK},
      {QSA_REG_K_OVERRIDE2_OFFSET, QSA_REG_K_OVERRIDE2_RW_MASK},
      {QSA_REG_K_OVERRIDE3_OFFSET, QSA_REG_K_OVERRIDE3_RW_MASK},
  };
  std::vector<uint32_t> addrs;
  std::map<uint32_t, uint32_t> shadow;
  for (const auto& [addr, mask] : rw) {
    addrs.push_back(addr);
    shadow[addr] = 0;
  }
  Rng rng(17);
  int reads = 0, writes = 0;
  for (int batch = 0; batch < 50; ++batch) {
    // Up to 8 operations queued at once; expected read values follow the issue order.
    std::vector<uint32_t> expect;
    const int n = static_cast<int>(rng.Range(1, 8));
    for (int i = 0; i < n; ++i) {
      const uint32_t addr = addrs[rng.Below(addrs.size())];
      if (rng.Chance(0.5)) {
        const auto data = static_cast<uint32_t>(rng.Next());
        const auto strb = static_cast<uint8_t>(rng.Below(16));
        uint32_t bytes = 0;
        for (int b = 0; b < 4; ++b) {
          if ((strb >> b) & 1) bytes |= 0xffu << (8 * b);
        }
        const uint32_t m = bytes & rw.at(addr);
        shadow[addr] = (shadow[addr] & ~m) | (data & m);
        t.host().StartWrite(addr, data, strb);
        ++writes;
      } else {
        t.host().StartRead(addr);
        expect.push_back(shadow[addr]);
        ++reads;
      }
    }
    ASSERT_TRUE(t.Drain(n));
    for (uint32_t want : expect) {
      const std::optional<AxiLiteResult> r = t.host().TakeRead();
      ASSERT_TRUE(r.has_value());
      EXPECT_TRUE(r->ok());
      EXPECT_EQ(r->data, want) << "register " << r->addr;
    }
    while (std::optional<AxiLiteResult> w = t.host().TakeWrite()) EXPECT_TRUE(w->ok());
    EXPECT_FALSE(t.host().TakeReadData().has_value());
  }
  const AxiLiteHostCounters& c = t.host().counters();
  EXPECT_EQ(c.reads, reads);
  EXPECT_EQ(c.writes, writes);
  EXPECT_EQ(c.slverr + c.decerr, 0);
  EXPECT_EQ(c.protocol_errors, 0) << (t.host().protocol_messages().empty()
                                          ? ""
                                          : t.host().protocol_messages().front());
  EXPECT_GT(c.busy_cycles, 0);
}

TEST(AxiLiteHost, ConfigValidation) {
  AxiLiteHostConfig c;
  c.addr_width = 0;
  EXPECT_THROW(c.Validate(), qsa::ConfigError);
  c = {};
  c.ready_stall_prob = 1.5;
  EXPECT_THROW(AxiLiteHost{c}, qsa::ConfigError);
  AxiLiteHost h;
  EXPECT_THROW(h.StartWrite(0, 0, 0x10), qsa::Error);
  EXPECT_FALSE(h.Busy());
  h.StartRead(4);
  EXPECT_TRUE(h.Busy());
  AxiLiteMasterOut m;
  h.Drive(m);
  EXPECT_TRUE(m.arvalid);  // presented in the cycle it was issued
  EXPECT_EQ(m.araddr, 4u);
}

}  // namespace
}  // namespace qsa::sim
