#include "qsa/sim/accel.h"

#include <fmt/format.h>

#include <optional>

#include "Vqsa_top.h"
#include "qsa/cmodel/error.h"
#include "qsa/sim/verilator_ports.h"
#include "qsa_regs.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#if QSA_SIM_TRACE
#include "Vqsa_top_trace.h"
#endif

namespace qsa::sim {

void AccelConfig::Validate() const {
  dram.Validate();
  host.Validate();
  auto check = [&](uint64_t off, const char* field) {
    if (off % 8 != 0 || off >= dram.size) {
      throw ConfigError(fmt::format(
          "AccelConfig: {} = {:#x} must be 8-byte aligned and inside the DRAM ({:#x} bytes)",
          field, off, dram.size));
    }
  };
  check(model_offset, "model_offset");
  check(act0_offset, "act0_offset");
  check(act1_offset, "act1_offset");
  if (max_cycles == 0) throw ConfigError("AccelConfig: max_cycles must be positive");
}

namespace {
const AccelConfig& Validated(const AccelConfig& cfg) {
  cfg.Validate();
  return cfg;
}
}  // namespace

#if QSA_SIM_TRACE
namespace {
/// The FST waveform of a run. Vqsa_top, the fast model, is built without tracing; this is its
/// traced twin (Vqsa_top_trace: the same RTL with --trace-fst, in its own context), which
/// Accel::Clock() drives with the same inputs as the fast model, evaluates in lockstep and dumps.
/// The fast model stays the one that is sampled, so a run is the same with or without a trace.
/// It is the VerilatedFstC that Accel holds in trace_.
class TracedTwin final : public VerilatedFstC {
 public:
  explicit TracedTwin(const std::string& file) : ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->traceEverOn(true);
    model_ = std::make_unique<Vqsa_top_trace>(ctx_.get(), "qsa_top");
    model_->trace(this, 99);
    open(file.c_str());
  }
  ~TracedTwin() override {
    close();
    model_->final();
  }
  /// The fast model's inputs of this eval (s, hm, clock and reset), then eval and, if `dump`, a
  /// dump at `time`.
  void Eval(const Vqsa_top& top, const AxiSlaveOut& s, const AxiLiteMasterOut& hm, uint64_t time,
            bool dump) {
    ApplyAxiSlaveOut(s, *model_);
    ApplyAxiLiteMasterOut(hm, *model_);
    model_->clk_i = top.clk_i;
    model_->rst_ni = top.rst_ni;
    ctx_->time(time);
    model_->eval();
    if (dump) this->dump(time);
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vqsa_top_trace> model_;
};
}  // namespace
#endif

Accel::Accel(const AccelConfig& cfg)
    : cfg_(Validated(cfg)),
      ctx_(std::make_unique<VerilatedContext>()),
      dram_(cfg.dram),
      host_(cfg.host) {
  top_ = std::make_unique<Vqsa_top>(ctx_.get(), "qsa_top");
  if (!cfg_.trace_fst.empty()) {
#if QSA_SIM_TRACE
    trace_ = std::make_unique<TracedTwin>(cfg_.trace_fst);
#else
    throw ConfigError("AccelConfig: trace_fst needs the traced model (-DQSA_SIM_TRACE=ON)");
#endif
  }
  top_->clk_i = 0;
  top_->rst_ni = 0;
  top_->eval();
#if QSA_SIM_TRACE
  if (trace_) static_cast<TracedTwin&>(*trace_).Eval(*top_, {}, {}, ctx_->time(), false);
#endif
  for (int i = 0; i < 4; ++i) Clock();
  top_->rst_ni = 1;
  dram_.Reset();
}

Accel::~Accel() {
  trace_.reset();  // closes the waveform
  top_->final();
}

void Accel::Clock() {
  AxiSlaveOut s;
  dram_.Drive(s);
  ApplyAxiSlaveOut(s, *top_);
  AxiLiteMasterOut hm;
  host_.Drive(hm);
  ApplyAxiLiteMasterOut(hm, *top_);
  top_->clk_i = 0;
  top_->eval();
#if QSA_SIM_TRACE
  if (trace_) static_cast<TracedTwin&>(*trace_).Eval(*top_, s, hm, ctx_->time(), true);
#endif
  ctx_->timeInc(1);
  const AxiMasterOut m = SampleAxiMasterOut(*top_);
  const AxiLiteSlaveOut hs = SampleAxiLiteSlaveOut(*top_);
  dram_.Tick(m, s);
  host_.Tick(hm, hs);
  top_->clk_i = 1;
  top_->eval();
#if QSA_SIM_TRACE
  if (trace_) static_cast<TracedTwin&>(*trace_).Eval(*top_, s, hm, ctx_->time(), true);
#endif
  ctx_->timeInc(1);
  ++cycle_;
}

AxiLiteResult Accel::Transact(bool write, uint32_t offset, uint32_t value) {
  if (write) {
    host_.StartWrite(offset, value);
  } else {
    host_.StartRead(offset);
  }
  const char* what = write ? "write" : "read";
  for (int i = 0; i < 10000; ++i) {
    Clock();
    if (std::optional<AxiLiteResult> r = write ? host_.TakeWrite() : host_.TakeRead()) {
      if (!r->ok()) {
        throw Error(fmt::format("qsa_top: {} of register {:#x} answered {}", what, offset, r->resp));
      }
      return *r;
    }
  }
  throw Error(fmt::format("qsa_top: {} of register {:#x} timed out", what, offset));
}

uint32_t Accel::ReadReg(uint32_t offset) { return Transact(false, offset, 0).data; }

void Accel::WriteReg(uint32_t offset, uint32_t value) { Transact(true, offset, value); }

void Accel::LoadModel(std::span<const uint8_t> image) {
  if (cfg_.model_offset + image.size() > cfg_.dram.size) {
    throw Error(fmt::format("qsa_top: a {}-byte model does not fit the DRAM", image.size()));
  }
  dram_.Write(Base() + cfg_.model_offset, image);
}

void Accel::LoadInput(std::span<const int8_t> acts) {
  dram_.Write(Base() + cfg_.act0_offset,
              std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(acts.data()), acts.size()));
}

std::vector<int8_t> Accel::LayerOutput(int layer, size_t n) const {
  const uint64_t off = (layer % 2 == 0) ? cfg_.act1_offset : cfg_.act0_offset;
  const std::vector<uint8_t> b = dram_.Read(Base() + off, n);
  return {b.begin(), b.end()};
}

AccelRun Accel::Run(int count, const std::vector<int>& k_override) {
  const uint32_t base = static_cast<uint32_t>(Base());
  WriteReg(QSA_REG_MODEL_BASE_OFFSET, base + static_cast<uint32_t>(cfg_.model_offset));
  WriteReg(QSA_REG_DESC_PTR_OFFSET, base + static_cast<uint32_t>(cfg_.model_offset) + 64);
  WriteReg(QSA_REG_DESC_COUNT_OFFSET, static_cast<uint32_t>(count));
  WriteReg(QSA_REG_ACT_ADDR0_OFFSET, base + static_cast<uint32_t>(cfg_.act0_offset));
  WriteReg(QSA_REG_ACT_ADDR1_OFFSET, base + static_cast<uint32_t>(cfg_.act1_offset));
  WriteReg(QSA_REG_WIN_BASE_OFFSET, base);
  WriteReg(QSA_REG_WIN_LIMIT_OFFSET, static_cast<uint32_t>(Base() + cfg_.dram.size));
  for (int r = 0; r < 4; ++r) {
    uint32_t v = 0;
    for (int j = 0; j < 8; ++j) {
      const size_t layer = static_cast<size_t>(r * 8 + j);
      if (layer < k_override.size() && k_override[layer] >= 0) {
        v |= (8u | static_cast<uint32_t>(k_override[layer] & 7)) << (4 * j);
      }
    }
    WriteReg(QSA_REG_K_OVERRIDE_OFFSET(r), v);
  }
  WriteReg(QSA_REG_PERF_CTRL_OFFSET, QSA_PERF_CTRL_CLEAR_MASK);
  AccelRun run;
  const uint64_t start = cycle_;
  WriteReg(QSA_REG_IRQ_STATUS_OFFSET, 0xffffffffu);
  WriteReg(QSA_REG_IRQ_ENABLE_OFFSET, QSA_IRQ_ENABLE_DONE_MASK);
  WriteReg(QSA_REG_CTRL_OFFSET, QSA_CTRL_START_MASK | QSA_CTRL_IRQ_EN_MASK);
  // Wait for the DONE interrupt, then read the registers as a driver would.
  while (cycle_ - start < cfg_.max_cycles) {
    Clock();
    if (top_->irq_o) {
      run.finished = true;
      break;
    }
  }
  run.cycles = cycle_ - start;
  run.status = ReadReg(QSA_REG_STATUS_OFFSET);
  run.finished = run.finished && (run.status & QSA_STATUS_DONE_MASK);
  run.err_status = ReadReg(QSA_REG_ERR_STATUS_OFFSET);
  run.err_info = ReadReg(QSA_REG_ERR_INFO_OFFSET);
  run.err_addr = ReadReg(QSA_REG_ERR_ADDR_OFFSET);
  WriteReg(QSA_REG_IRQ_STATUS_OFFSET, 0xffffffffu);
  for (uint32_t i = 0; i < kPerfCounters; ++i) {
    const uint64_t lo = ReadReg(QSA_REG_PERF_LO_OFFSET(i));
    const uint64_t hi = ReadReg(QSA_REG_PERF_HI_OFFSET(i));
    run.counters.push_back(hi << 32 | lo);
  }
  return run;
}

}  // namespace qsa::sim
