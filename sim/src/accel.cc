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
  if (dram.base % 64 != 0) {
    throw ConfigError(fmt::format(
        "AccelConfig: dram.base = {:#x} must be 64-byte aligned (the driver's DRAM region)",
        dram.base));
  }
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
    // VerilatedFstC::open reports nothing when the file cannot be created: a run would then
    // end without its waveform and without an error.
    if (!isOpen()) throw ConfigError(fmt::format("trace {}: cannot open for writing", file));
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

namespace {

uint32_t LoadU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

uint32_t Accel::HalRead32(void* ctx, uint32_t offset) {
  return static_cast<Accel*>(ctx)->HalRead(offset);
}
void Accel::HalWrite32(void* ctx, uint32_t offset, uint32_t value) {
  static_cast<Accel*>(ctx)->HalWrite(offset, value);
}
void Accel::HalIdle(void* ctx) { static_cast<Accel*>(ctx)->Idle(); }

// The driver is C: a failing host-port transaction must not unwind through it. The HAL records
// the first failure, answers reads with all ones, and CheckHal() throws after the driver call.
uint32_t Accel::HalRead(uint32_t offset) {
  if (!hal_error_.empty()) return 0xffffffffu;
  try {
    return Transact(false, offset, 0).data;
  } catch (const Error& e) {
    hal_error_ = e.what();
    return 0xffffffffu;
  }
}

void Accel::HalWrite(uint32_t offset, uint32_t value) {
  if (!hal_error_.empty()) return;
  try {
    Transact(true, offset, value);
  } catch (const Error& e) {
    hal_error_ = e.what();
  }
}

// The co-simulation's "wait for interrupt": one clock, then the interrupt handler if the line
// is high.
void Accel::Idle() {
  Clock();
  if (top_->irq_o) qsa_isr(dev_.get());
}

void Accel::CheckHal() {
  if (hal_error_.empty()) return;
  const std::string msg = std::move(hal_error_);
  hal_error_.clear();
  throw Error(msg);
}

void Accel::LoadModel(std::span<const uint8_t> image) {
  if (!dev_) {
    dev_ = std::make_unique<qsa_dev>();
    const qsa_hal hal{HalRead32, HalWrite32, this};
    const qsa_mem mem{dram_.HostView(Base(), cfg_.dram.size), static_cast<uint32_t>(Base()),
                      static_cast<uint32_t>(cfg_.dram.size)};
    const qsa_err e = qsa_init(dev_.get(), &hal, &mem);
    CheckHal();
    if (e != QSA_OK) {
      dev_.reset();
      throw Error(fmt::format("qsa_top: driver init failed: {}", qsa_err_str(e)));
    }
    dev_->idle = HalIdle;
    dev_->idle_ctx = this;
  }
  if (image.size() > UINT32_MAX) {
    throw Error(fmt::format("qsa_top: a {}-byte model is too large", image.size()));
  }
  const qsa_err e = qsa_load_model(dev_.get(), image.data(), static_cast<uint32_t>(image.size()));
  if (e != QSA_OK) throw Error(fmt::format("qsa_top: cannot load the model: {}", qsa_err_str(e)));

  // Per-class byte counts: the descriptor list, each layer's sections, the activations.
  using cmodel::DramClass;
  dram_.ClearTags();
  const uint64_t bus = Base();
  dram_.TagRange(bus + dev_->desc_off, 64ull * dev_->layers, int(DramClass::kDescriptor));
  for (uint32_t i = 0; i < dev_->layers; ++i) {
    const uint8_t* d = image.data() + 64 + 64 * i;
    dram_.TagRange(bus + LoadU32(d + 28), LoadU32(d + 32), int(DramClass::kCodes));
    dram_.TagRange(bus + LoadU32(d + 36), LoadU32(d + 40), int(DramClass::kAlphas));
    dram_.TagRange(bus + LoadU32(d + 44), LoadU32(d + 48), int(DramClass::kBiases));
  }
  for (uint32_t off : dev_->act_off) {
    dram_.TagRange(bus + off, dev_->act_bytes, int(DramClass::kActIn));
  }
}

int Accel::Layers() const { return dev_ ? dev_->layers : 0; }

uint64_t Accel::ModelAddress() const { return Base(); }

const qsa_dev& Accel::driver() const {
  if (!dev_) throw Error("qsa_top: no model loaded (the driver is bound by LoadModel)");
  return *dev_;
}

std::span<int8_t> Accel::LayerInput(int layer) {
  if (!dev_ || layer < 0 || layer >= dev_->layers) {
    throw Error(fmt::format("qsa_top: no layer {} (the model has {})", layer, Layers()));
  }
  return {qsa_layer_input(dev_.get(), static_cast<uint16_t>(layer)),
          dev_->layer[layer].in_bytes};
}

std::span<const int8_t> Accel::LayerOutput(int layer) const {
  if (!dev_ || layer < 0 || layer >= dev_->layers) {
    throw Error(fmt::format("qsa_top: no layer {} (the model has {})", layer, Layers()));
  }
  return {qsa_layer_output(dev_.get(), static_cast<uint16_t>(layer)),
          dev_->layer[layer].out_bytes};
}

void Accel::LoadInput(std::span<const int8_t> acts) {
  std::span<int8_t> in = LayerInput(0);
  if (acts.size() != in.size()) {
    throw Error(fmt::format("qsa_top: the input has {} bytes, layer 0 takes {}", acts.size(),
                            in.size()));
  }
  std::copy(acts.begin(), acts.end(), in.begin());
}

AccelRun Accel::Run(int first, int count, const std::vector<int>& k) {
  if (!dev_ || dev_->layers == 0) throw Error("qsa_top: Run before LoadModel");
  if (first < 0 || count < 1 || first + count > dev_->layers) {
    throw Error(fmt::format("qsa_top: layers [{}, {}) are outside the model's {}", first,
                            first + count, dev_->layers));
  }
  std::vector<int8_t> kk;
  if (!k.empty()) {
    kk.assign(size_t(count), -1);
    for (size_t j = 0; j < k.size() && j < kk.size(); ++j) {
      if (k[j] > 5) throw Error(fmt::format("qsa_top: k = {} for layer {} (0..5)", k[j], first + j));
      kk[j] = static_cast<int8_t>(k[j] < 0 ? -1 : k[j]);
    }
  }
  qsa_job job = qsa_job_default(static_cast<uint16_t>(first), static_cast<uint16_t>(count));
  job.k = kk.empty() ? nullptr : kk.data();
  job.wait = cfg_.wait_irq ? QSA_WAIT_IRQ : QSA_WAIT_POLL;
  // An idle call is one cycle; a poll is one AXI4-Lite read of several.
  job.timeout = static_cast<uint32_t>(std::min<uint64_t>(cfg_.max_cycles, UINT32_MAX));

  dram_.ClearTagCounts();
  AccelRun run;
  qsa_result res{};
  const qsa_err e = qsa_run(dev_.get(), &job, &res);
  CheckHal();
  run.driver = e;
  run.status = res.status;
  run.err_status = res.err_status;
  run.err_info = res.err_info;
  run.err_addr = res.err_addr;
  run.finished = e == QSA_OK || e == QSA_E_ACCEL;
  if (e == QSA_E_ACCEL) {
    run.message = fmt::format(
        "accelerator error {} (ERR_STATUS {:#x}) at layer {} of the job, ERR_ADDR {:#x}",
        qsa_cause_str(QSA_FIELD_GET(res.err_info, QSA_ERR_INFO_CAUSE)), res.err_status,
        first + int(QSA_FIELD_GET(res.err_info, QSA_ERR_INFO_LAYER)), res.err_addr);
  } else if (e != QSA_OK) {
    run.message = qsa_err_str(e);
  }
  run.counters.assign(kPerfCounters, 0);
  qsa_read_counters(dev_.get(), run.counters.data(), kPerfCounters);
  CheckHal();
  run.cycles = run.counters[QSA_PERF_BUSY_CYCLES_IDX];
  using cmodel::DramClass;
  for (int c = 0; c < int(DramClass::kActIn) + 1; ++c) {
    run.dram_bytes[size_t(c)] = dram_.tag_read_bytes()[size_t(c)];
  }
  run.dram_bytes[size_t(DramClass::kActOut)] = dram_.tag_write_bytes()[size_t(DramClass::kActIn)];
  return run;
}

}  // namespace qsa::sim
