// The firmware driver (firmware/qsa_driver.c) against a fake register block: image checks,
// DRAM layout, the descriptor list, the register programming, waits, errors and time-outs.
// The driver runs on the real accelerator in the co-simulation tests (label cosim).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "qsa/cmodel/model.h"
#include "qsa_driver.h"
#include "qsa_regs.h"
#include "random_model.h"

namespace {

/// A register block that answers like an idle QSA v1 and finishes a job after `latency`
/// STATUS reads; `error_info` != 0 makes the job end in an error.
struct FakeRegs {
  std::map<uint32_t, uint32_t> writes;  // last value written per offset
  std::vector<uint32_t> order;          // offsets written, in order
  int latency = 3;
  int reads_since_start = -1;           // -1: not started
  uint32_t id = QSA_REG_ID_RESET;
  uint32_t err_status = 0, err_info = 0;
  uint32_t irq_status = 0;
  bool never_done = false;

  uint32_t Read(uint32_t off) {
    if (off == QSA_REG_ID_OFFSET) return id;
    if (off == QSA_REG_VERSION_OFFSET) return QSA_REG_VERSION_RESET;
    if (off == QSA_REG_CONFIG_OFFSET) return QSA_REG_CONFIG_RESET;
    if (off == QSA_REG_BUF_CONFIG_OFFSET) return QSA_REG_BUF_CONFIG_RESET;
    if (off == QSA_REG_STATUS_OFFSET) {
      if (reads_since_start < 0) return 0;
      if (never_done || ++reads_since_start <= latency) return QSA_STATUS_BUSY_MASK;
      irq_status |= QSA_IRQ_STATUS_DONE_MASK;
      return QSA_STATUS_DONE_MASK | (err_status ? QSA_STATUS_ERROR_MASK : 0u);
    }
    if (off == QSA_REG_ERR_STATUS_OFFSET) return Done() ? err_status : 0u;
    if (off == QSA_REG_ERR_INFO_OFFSET) return Done() ? err_info : 0u;
    if (off == QSA_REG_IRQ_STATUS_OFFSET) return irq_status;
    if (off >= QSA_REG_PERF_LO_OFFSET(0) && off < QSA_REG_PERF_LO_OFFSET(QSA_DRV_PERF_COUNTERS)) {
      return off;  // a recognizable value per half
    }
    return 0;
  }
  bool Done() const { return reads_since_start > latency; }
  void Write(uint32_t off, uint32_t v) {
    writes[off] = v;
    order.push_back(off);
    if (off == QSA_REG_CTRL_OFFSET && (v & QSA_CTRL_START_MASK)) reads_since_start = 0;
    if (off == QSA_REG_CTRL_OFFSET && (v & QSA_CTRL_CLEAR_ERRORS_MASK)) err_status = err_info = 0;
    if (off == QSA_REG_IRQ_STATUS_OFFSET) irq_status &= ~v;
  }
};

uint32_t FakeRead(void* ctx, uint32_t off) { return static_cast<FakeRegs*>(ctx)->Read(off); }
void FakeWrite(void* ctx, uint32_t off, uint32_t v) { static_cast<FakeRegs*>(ctx)->Write(off, v); }

class DriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(7);
    model_ = qsa::testing::RandomModel(rng, {9, 7, 5}, 2, 1);
    image_ = qsa::cmodel::SerializeModel(model_);
    dram_.assign(1 << 20, 0xee);
    hal_ = {FakeRead, FakeWrite, &regs_};
    mem_ = {dram_.data(), 0x80000000u, static_cast<uint32_t>(dram_.size())};
    ASSERT_EQ(qsa_init(&dev_, &hal_, &mem_), QSA_OK);
  }
  qsa_err Load() { return qsa_load_model(&dev_, image_.data(), uint32_t(image_.size())); }

  qsa::cmodel::Model model_;
  std::vector<uint8_t> image_;
  std::vector<uint8_t> dram_;
  FakeRegs regs_;
  qsa_hal hal_{};
  qsa_mem mem_{};
  qsa_dev dev_{};
};

TEST_F(DriverTest, InitRefusesAnotherDevice) {
  regs_.id = 0x12345678;
  qsa_dev dev{};
  EXPECT_EQ(qsa_init(&dev, &hal_, &mem_), QSA_E_DEVICE);
}

TEST_F(DriverTest, InitRefusesBadArguments) {
  qsa_dev dev{};
  EXPECT_EQ(qsa_init(nullptr, &hal_, &mem_), QSA_E_ARG);
  qsa_mem unaligned = mem_;
  unaligned.bus += 8;
  EXPECT_EQ(qsa_init(&dev, &hal_, &unaligned), QSA_E_ARG);
  qsa_hal no_read = hal_;
  no_read.read32 = nullptr;
  EXPECT_EQ(qsa_init(&dev, &no_read, &mem_), QSA_E_ARG);
}

TEST_F(DriverTest, LoadCopiesTheImageAndPlansBuffers) {
  ASSERT_EQ(Load(), QSA_OK);
  EXPECT_EQ(qsa_layer_count(&dev_), model_.layers.size());
  EXPECT_EQ(std::memcmp(dram_.data(), image_.data(), image_.size()), 0);
  EXPECT_EQ(dev_.desc_off % 64, 0u);
  EXPECT_GE(dev_.desc_off, image_.size());
  EXPECT_GE(dev_.act_off[0], dev_.desc_off + 64 * model_.layers.size());
  EXPECT_GE(dev_.act_off[1], dev_.act_off[0] + dev_.act_bytes);
  for (size_t i = 0; i < model_.layers.size(); ++i) {
    const qsa_layer_info* li = qsa_layer(&dev_, uint16_t(i));
    ASSERT_NE(li, nullptr);
    EXPECT_EQ(li->in_bytes, model_.layers[i].desc.in.Elements()) << "layer " << i;
    EXPECT_EQ(li->out_bytes, model_.layers[i].desc.Out().Elements()) << "layer " << i;
    EXPECT_LE(li->in_bytes, dev_.act_bytes);
    // Layer i reads buffer i mod 2 and writes the other.
    EXPECT_EQ(reinterpret_cast<const uint8_t*>(qsa_layer_input(&dev_, uint16_t(i))),
              dram_.data() + dev_.act_off[i % 2]);
    EXPECT_EQ(reinterpret_cast<const uint8_t*>(qsa_layer_output(&dev_, uint16_t(i))),
              dram_.data() + dev_.act_off[(i + 1) % 2]);
  }
  EXPECT_EQ(qsa_layer(&dev_, uint16_t(model_.layers.size())), nullptr);
  EXPECT_EQ(qsa_layer_input(&dev_, uint16_t(model_.layers.size())), nullptr);
}

TEST_F(DriverTest, LoadRefusesMalformedImages) {
  auto expect_refused = [&](std::vector<uint8_t> img, const char* what) {
    EXPECT_EQ(qsa_load_model(&dev_, img.data(), uint32_t(img.size())), QSA_E_MODEL) << what;
    EXPECT_EQ(qsa_layer_count(&dev_), 0) << what << ": a failed load leaves no model";
  };
  std::vector<uint8_t> img = image_;
  img[0] = 'X';
  expect_refused(img, "magic");
  img = image_;
  img[4] = 2;
  expect_refused(img, "version");
  img = image_;
  img[img.size() - 1] ^= 1;
  expect_refused(img, "CRC");
  img = image_;
  img.resize(img.size() - 8);
  expect_refused(img, "truncated");
  expect_refused(std::vector<uint8_t>(32, 0), "shorter than a header");
  EXPECT_EQ(qsa_load_model(&dev_, nullptr, 64), QSA_E_ARG);
}

TEST_F(DriverTest, LoadRefusesARegionTooSmall) {
  mem_.size = uint32_t(image_.size());
  ASSERT_EQ(qsa_init(&dev_, &hal_, &mem_), QSA_OK);
  EXPECT_EQ(Load(), QSA_E_NO_SPACE);
}

TEST_F(DriverTest, RunBuildsTheDescriptorListAndProgramsTheRegisters) {
  ASSERT_EQ(Load(), QSA_OK);
  const int8_t k[2] = {3, -1};
  qsa_job job = qsa_job_default(1, 2);
  job.k = k;
  qsa_result res{};
  ASSERT_EQ(qsa_run(&dev_, &job, &res), QSA_OK);
  // The list: descriptors 1 and 2 of the model, layer 1's k replaced, layer 2's kept.
  const uint8_t* list = dram_.data() + dev_.desc_off;
  std::vector<uint8_t> want(image_.begin() + 64 + 64, image_.begin() + 64 + 3 * 64);
  want[4] = 3;
  EXPECT_EQ(std::vector<uint8_t>(list, list + 128), want);
  EXPECT_EQ(regs_.writes[QSA_REG_MODEL_BASE_OFFSET], mem_.bus);
  EXPECT_EQ(regs_.writes[QSA_REG_DESC_PTR_OFFSET], mem_.bus + dev_.desc_off);
  EXPECT_EQ(regs_.writes[QSA_REG_DESC_COUNT_OFFSET], 2u);
  // Layer 1 reads buffer 1: the job's ACT_ADDR0.
  EXPECT_EQ(regs_.writes[QSA_REG_ACT_ADDR0_OFFSET], mem_.bus + dev_.act_off[1]);
  EXPECT_EQ(regs_.writes[QSA_REG_ACT_ADDR1_OFFSET], mem_.bus + dev_.act_off[0]);
  EXPECT_EQ(regs_.writes[QSA_REG_WIN_BASE_OFFSET], mem_.bus);
  EXPECT_EQ(regs_.writes[QSA_REG_WIN_LIMIT_OFFSET], mem_.bus + mem_.size);
  // Everything is programmed before START.
  const auto start = std::find(regs_.order.begin(), regs_.order.end(), QSA_REG_CTRL_OFFSET);
  ASSERT_NE(start, regs_.order.end());
  for (uint32_t reg : {QSA_REG_MODEL_BASE_OFFSET, QSA_REG_DESC_PTR_OFFSET,
                       QSA_REG_DESC_COUNT_OFFSET, QSA_REG_ACT_ADDR0_OFFSET,
                       QSA_REG_ACT_ADDR1_OFFSET, QSA_REG_WIN_LIMIT_OFFSET}) {
    EXPECT_NE(std::find(regs_.order.begin(), start, reg), start) << "register " << reg;
  }
  EXPECT_GT(res.polls, uint32_t(regs_.latency));
  EXPECT_TRUE(res.status & QSA_STATUS_DONE_MASK);

  uint64_t c[QSA_DRV_PERF_COUNTERS];
  ASSERT_EQ(qsa_read_counters(&dev_, c, QSA_DRV_PERF_COUNTERS), QSA_OK);
  EXPECT_EQ(c[2], uint64_t(QSA_REG_PERF_HI_OFFSET(2)) << 32 | QSA_REG_PERF_LO_OFFSET(2));
  EXPECT_EQ(regs_.writes[QSA_REG_PERF_CTRL_OFFSET], 0u) << "counters unfrozen after reading";
}

TEST_F(DriverTest, RunRefusesBadJobs) {
  qsa_job job = qsa_job_default(0, 1);
  qsa_result res{};
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_NO_MODEL);
  ASSERT_EQ(Load(), QSA_OK);
  const uint16_t n = qsa_layer_count(&dev_);
  job = qsa_job_default(0, 0);
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_ARG) << "no layers";
  job = qsa_job_default(n, 1);
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_ARG) << "first past the end";
  job = qsa_job_default(1, n);
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_ARG) << "count past the end";
  const int8_t bad_k[1] = {6};
  job = qsa_job_default(0, 1);
  job.k = bad_k;
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_ARG) << "k = 6";
  EXPECT_EQ(regs_.reads_since_start, -1) << "nothing was started";
}

TEST_F(DriverTest, AcceleratorErrorIsReportedAndCleared) {
  ASSERT_EQ(Load(), QSA_OK);
  regs_.err_status = QSA_ERR_STATUS_BAD_DESC_MASK;
  regs_.err_info = QSA_FIELD_PREP(QSA_ERR_INFO_CAUSE, QSA_ERR_CAUSE_DESC_FIELD) | 1u;
  qsa_job job = qsa_job_default(0, 2);
  qsa_result res{};
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_ACCEL);
  EXPECT_EQ(res.err_status, QSA_ERR_STATUS_BAD_DESC_MASK);
  EXPECT_STREQ(qsa_cause_str(QSA_FIELD_GET(res.err_info, QSA_ERR_INFO_CAUSE)), "DESC_FIELD");
  EXPECT_EQ(regs_.err_status, 0u) << "CTRL.CLEAR_ERRORS written";
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_OK) << "the next job runs";
}

TEST_F(DriverTest, WaitTimesOut) {
  ASSERT_EQ(Load(), QSA_OK);
  regs_.never_done = true;
  qsa_job job = qsa_job_default(0, 1);
  job.timeout = 50;
  qsa_result res{};
  EXPECT_EQ(qsa_run(&dev_, &job, &res), QSA_E_TIMEOUT);
  EXPECT_EQ(res.polls, 50u);
  EXPECT_EQ(qsa_start(&dev_, &job), QSA_E_BUSY) << "still busy: no second START";
}

// Interrupt mode: the platform's idle hook stands in for "wait for interrupt"; the fake
// raises DONE, and the hook calls the interrupt handler as the interrupt controller would.
TEST_F(DriverTest, InterruptModeWaitsForTheHandler) {
  ASSERT_EQ(Load(), QSA_OK);
  struct Ctx {
    qsa_dev* dev;
    FakeRegs* regs;
    int idles = 0;
  } ctx{&dev_, &regs_};
  dev_.idle = [](void* p) {
    Ctx* c = static_cast<Ctx*>(p);
    ++c->idles;
    c->regs->Read(QSA_REG_STATUS_OFFSET);  // time passes
    if (c->regs->irq_status != 0) qsa_isr(c->dev);
  };
  dev_.idle_ctx = &ctx;
  qsa_job job = qsa_job_default(0, 1);
  job.wait = QSA_WAIT_IRQ;
  qsa_result res{};
  ASSERT_EQ(qsa_run(&dev_, &job, &res), QSA_OK);
  EXPECT_EQ(regs_.writes[QSA_REG_IRQ_ENABLE_OFFSET],
            QSA_IRQ_ENABLE_DONE_MASK | QSA_IRQ_ENABLE_ERROR_MASK);
  EXPECT_TRUE(regs_.writes[QSA_REG_CTRL_OFFSET] & QSA_CTRL_IRQ_EN_MASK);
  EXPECT_EQ(ctx.idles, regs_.latency + 1);
  EXPECT_EQ(regs_.irq_status, 0u) << "acknowledged";
}

TEST(DriverStrings, EveryErrorHasAName) {
  for (int e = QSA_OK; e <= QSA_E_ACCEL; ++e) {
    EXPECT_STRNE(qsa_err_str(static_cast<qsa_err>(e)), "unknown error") << e;
  }
  EXPECT_STREQ(qsa_cause_str(QSA_ERR_CAUSE_WIN_WRITE), "WIN_WRITE");
  EXPECT_STREQ(qsa_cause_str(0xff), "?");
}

}  // namespace
