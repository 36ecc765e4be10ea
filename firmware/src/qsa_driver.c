/* QSA accelerator driver (see qsa_driver.h). Freestanding C11: no libc. */
#include "qsa_driver.h"

#include "qsa_regs.h"

#define QSA_ALIGN 64u

/* ---- little helpers (no libc) ---- */

static uint32_t ld16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

static uint32_t ld32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) dst[i] = src[i];
}

static uint64_t align_up(uint64_t v) { return (v + QSA_ALIGN - 1u) & ~(uint64_t)(QSA_ALIGN - 1u); }

/* CRC-32 (IEEE 802.3, reflected, as zlib), bitwise: small and table-free. */
static uint32_t crc32_ieee(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xffffffffu;
  for (uint32_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static uint32_t rd(qsa_dev *dev, uint32_t off) { return dev->hal.read32(dev->hal.ctx, off); }

static void wr(qsa_dev *dev, uint32_t off, uint32_t v) { dev->hal.write32(dev->hal.ctx, off, v); }

/* ---- device ---- */

qsa_err qsa_init(qsa_dev *dev, const qsa_hal *hal, const qsa_mem *mem) {
  if (dev == NULL || hal == NULL || mem == NULL || hal->read32 == NULL || hal->write32 == NULL ||
      mem->cpu == NULL || mem->size == 0u || mem->bus % QSA_ALIGN != 0u ||
      (uint64_t)mem->bus + mem->size > 0x100000000ull) {
    return QSA_E_ARG;
  }
  dev->hal = *hal;
  dev->mem = *mem;
  dev->layers = 0;
  dev->model_bytes = 0;
  dev->irq_pending = 0;
  dev->idle = NULL;
  dev->idle_ctx = NULL;
  if (rd(dev, QSA_REG_ID_OFFSET) != QSA_REG_ID_RESET) return QSA_E_DEVICE;
  const uint32_t version = rd(dev, QSA_REG_VERSION_OFFSET);
  if (QSA_FIELD_GET(version, QSA_VERSION_SPEC_MAJOR) != 1u) return QSA_E_DEVICE;
  dev->config = rd(dev, QSA_REG_CONFIG_OFFSET);
  dev->buf_config = rd(dev, QSA_REG_BUF_CONFIG_OFFSET);
  return QSA_OK;
}

/* Output shape of one descriptor (spec §4: convolution, then the 2x2 pool's floor). */
static qsa_err layer_shape(const uint8_t *d, qsa_layer_info *li) {
  const uint32_t r = d[6], s = d[7], stride = d[8];
  const uint32_t pt = d[9], pl = d[10], pb = d[11], pr = d[12];
  const uint32_t h = ld16(d + 16), w = ld16(d + 18), c = ld16(d + 20), k = ld16(d + 22);
  if (r == 0u || s == 0u || stride == 0u || h == 0u || w == 0u || c == 0u || k == 0u ||
      h + pt + pb < r || w + pl + pr < s) {
    return QSA_E_MODEL;
  }
  uint32_t oh = (h + pt + pb - r) / stride + 1u;
  uint32_t ow = (w + pl + pr - s) / stride + 1u;
  if (d[5] & 2u) {
    oh /= 2u;
    ow /= 2u;
  }
  if (oh == 0u || ow == 0u) return QSA_E_MODEL;
  li->in_h = (uint16_t)h;
  li->in_w = (uint16_t)w;
  li->in_c = (uint16_t)c;
  li->out_h = (uint16_t)oh;
  li->out_w = (uint16_t)ow;
  li->out_c = (uint16_t)k;
  const uint64_t in_bytes = (uint64_t)h * w * c;
  const uint64_t out_bytes = (uint64_t)oh * ow * k;
  if (in_bytes > 0x7fffffffu || out_bytes > 0x7fffffffu) return QSA_E_NO_SPACE;
  li->in_bytes = (uint32_t)in_bytes;
  li->out_bytes = (uint32_t)out_bytes;
  return QSA_OK;
}

qsa_err qsa_load_model(qsa_dev *dev, const uint8_t *image, uint32_t bytes) {
  if (dev == NULL || image == NULL) return QSA_E_ARG;
  dev->layers = 0;
  /* The header (spec §7). */
  if (bytes < 64u || image[0] != 'Q' || image[1] != 'S' || image[2] != 'A' || image[3] != 0x1a ||
      ld16(image + 4) != 1u || ld16(image + 6) != 64u || ld32(image + 8) != bytes ||
      ld32(image + 12) != crc32_ieee(image + 16, bytes - 16u) || ld16(image + 26) != 64u ||
      ld32(image + 28) != 64u) {
    return QSA_E_MODEL;
  }
  const uint32_t layers = ld16(image + 16);
  if (layers == 0u || layers > QSA_DRV_MAX_LAYERS || 64u + 64u * layers > bytes) {
    return QSA_E_MODEL;
  }
  /* Shapes, and the activation buffer size: the largest input or output. */
  const uint64_t input = (uint64_t)ld16(image + 18) * ld16(image + 20) * ld16(image + 22);
  uint64_t act = input;
  for (uint32_t i = 0; i < layers; ++i) {
    const qsa_err e = layer_shape(image + 64u + 64u * i, &dev->layer[i]);
    if (e != QSA_OK) return e;
    if (dev->layer[i].in_bytes > act) act = dev->layer[i].in_bytes;
    if (dev->layer[i].out_bytes > act) act = dev->layer[i].out_bytes;
  }
  if (dev->layer[0].in_bytes != input) return QSA_E_MODEL;
  if (act > dev->mem.size) return QSA_E_NO_SPACE;
  /* Layout: model, descriptor list, two activation buffers. */
  const uint64_t desc_off = align_up(bytes);
  const uint64_t act0 = desc_off + align_up(64u * layers);
  const uint64_t act1 = act0 + align_up(act);
  if (act1 + align_up(act) > dev->mem.size) return QSA_E_NO_SPACE;
  copy_bytes(dev->mem.cpu, image, bytes);
  dev->model_bytes = bytes;
  dev->desc_off = (uint32_t)desc_off;
  dev->act_off[0] = (uint32_t)act0;
  dev->act_off[1] = (uint32_t)act1;
  dev->act_bytes = (uint32_t)align_up(act);
  dev->layers = (uint16_t)layers;
  return QSA_OK;
}

uint16_t qsa_layer_count(const qsa_dev *dev) { return dev == NULL ? 0u : dev->layers; }

const qsa_layer_info *qsa_layer(const qsa_dev *dev, uint16_t layer) {
  return (dev == NULL || layer >= dev->layers) ? NULL : &dev->layer[layer];
}

int8_t *qsa_layer_input(qsa_dev *dev, uint16_t layer) {
  if (dev == NULL || layer >= dev->layers) return NULL;
  return (int8_t *)(dev->mem.cpu + dev->act_off[layer % 2u]);
}

const int8_t *qsa_layer_output(const qsa_dev *dev, uint16_t layer) {
  if (dev == NULL || layer >= dev->layers) return NULL;
  return (const int8_t *)(dev->mem.cpu + dev->act_off[(layer + 1u) % 2u]);
}

qsa_job qsa_job_default(uint16_t first, uint16_t count) {
  qsa_job job;
  job.first = first;
  job.count = count;
  job.k = NULL;
  job.wait = QSA_WAIT_POLL;
  job.timeout = 0;
  return job;
}

/* ---- jobs ---- */

qsa_err qsa_start(qsa_dev *dev, const qsa_job *job) {
  if (dev == NULL || job == NULL) return QSA_E_ARG;
  if (dev->layers == 0u) return QSA_E_NO_MODEL;
  if (job->count == 0u || job->first >= dev->layers || job->count > dev->layers - job->first ||
      (job->wait != QSA_WAIT_POLL && job->wait != QSA_WAIT_IRQ)) {
    return QSA_E_ARG;
  }
  if (job->k != NULL) {
    for (uint32_t i = 0; i < job->count; ++i) {
      if (job->k[i] > 5) return QSA_E_ARG;
    }
  }
  if (rd(dev, QSA_REG_STATUS_OFFSET) & QSA_STATUS_BUSY_MASK) return QSA_E_BUSY;

  /* The descriptor list: the job's descriptors, in order, with their k's. */
  uint8_t *list = dev->mem.cpu + dev->desc_off;
  for (uint32_t i = 0; i < job->count; ++i) {
    uint8_t *d = list + 64u * i;
    copy_bytes(d, dev->mem.cpu + 64u + 64u * (job->first + i), 64u);
    if (job->k != NULL && job->k[i] >= 0) d[4] = (uint8_t)job->k[i];
  }

  const uint32_t bus = dev->mem.bus;
  const uint32_t first_buf = job->first % 2u;
  wr(dev, QSA_REG_MODEL_BASE_OFFSET, bus);
  wr(dev, QSA_REG_DESC_PTR_OFFSET, bus + dev->desc_off);
  wr(dev, QSA_REG_DESC_COUNT_OFFSET, job->count);
  wr(dev, QSA_REG_ACT_ADDR0_OFFSET, bus + dev->act_off[first_buf]);
  wr(dev, QSA_REG_ACT_ADDR1_OFFSET, bus + dev->act_off[1u - first_buf]);
  /* The accelerator may touch only this region. */
  wr(dev, QSA_REG_WIN_BASE_OFFSET, bus);
  wr(dev, QSA_REG_WIN_LIMIT_OFFSET, (uint32_t)(((uint64_t)bus + dev->mem.size) & 0xfffffff8u));
  for (uint32_t r = 0; r < 4u; ++r) wr(dev, QSA_REG_K_OVERRIDE_OFFSET(r), 0u);
  wr(dev, QSA_REG_PERF_CTRL_OFFSET, QSA_PERF_CTRL_CLEAR_MASK);
  wr(dev, QSA_REG_IRQ_STATUS_OFFSET, 0xffffffffu);
  dev->irq_pending = 0;
  uint32_t ctrl = QSA_CTRL_START_MASK;
  if (job->wait == QSA_WAIT_IRQ) {
    wr(dev, QSA_REG_IRQ_ENABLE_OFFSET, QSA_IRQ_ENABLE_DONE_MASK | QSA_IRQ_ENABLE_ERROR_MASK);
    ctrl |= QSA_CTRL_IRQ_EN_MASK;
  } else {
    wr(dev, QSA_REG_IRQ_ENABLE_OFFSET, 0u);
  }
  wr(dev, QSA_REG_CTRL_OFFSET, ctrl);
  return QSA_OK;
}

void qsa_isr(qsa_dev *dev) {
  const uint32_t pending = rd(dev, QSA_REG_IRQ_STATUS_OFFSET);
  wr(dev, QSA_REG_IRQ_STATUS_OFFSET, pending);
  dev->irq_pending |= pending;
}

qsa_err qsa_wait(qsa_dev *dev, const qsa_job *job, qsa_result *res) {
  if (dev == NULL || job == NULL || res == NULL) return QSA_E_ARG;
  const uint32_t limit = job->timeout != 0u ? job->timeout : QSA_DRV_DEFAULT_TIMEOUT;
  uint32_t n = 0;
  int done = 0;
  while (!done && n < limit) {
    ++n;
    if (job->wait == QSA_WAIT_IRQ) {
      if (dev->idle != NULL) dev->idle(dev->idle_ctx);
      done = (dev->irq_pending & QSA_IRQ_STATUS_DONE_MASK) != 0u;
    } else {
      done = (rd(dev, QSA_REG_STATUS_OFFSET) & QSA_STATUS_DONE_MASK) != 0u;
    }
  }
  res->polls = n;
  res->status = rd(dev, QSA_REG_STATUS_OFFSET);
  res->err_status = rd(dev, QSA_REG_ERR_STATUS_OFFSET);
  res->err_info = rd(dev, QSA_REG_ERR_INFO_OFFSET);
  res->err_addr = rd(dev, QSA_REG_ERR_ADDR_OFFSET);
  if (!done || !(res->status & QSA_STATUS_DONE_MASK)) return QSA_E_TIMEOUT;
  wr(dev, QSA_REG_IRQ_STATUS_OFFSET, 0xffffffffu);
  if (res->err_status != 0u || (res->status & QSA_STATUS_ERROR_MASK)) {
    wr(dev, QSA_REG_CTRL_OFFSET, QSA_CTRL_CLEAR_ERRORS_MASK);
    return QSA_E_ACCEL;
  }
  return QSA_OK;
}

qsa_err qsa_run(qsa_dev *dev, const qsa_job *job, qsa_result *res) {
  const qsa_err e = qsa_start(dev, job);
  return e != QSA_OK ? e : qsa_wait(dev, job, res);
}

qsa_err qsa_read_counters(qsa_dev *dev, uint64_t *out, uint32_t n) {
  if (dev == NULL || out == NULL || n > QSA_DRV_PERF_COUNTERS) return QSA_E_ARG;
  wr(dev, QSA_REG_PERF_CTRL_OFFSET, QSA_PERF_CTRL_FREEZE_MASK);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t lo = rd(dev, QSA_REG_PERF_LO_OFFSET(i));
    const uint64_t hi = rd(dev, QSA_REG_PERF_HI_OFFSET(i));
    out[i] = hi << 32 | lo;
  }
  wr(dev, QSA_REG_PERF_CTRL_OFFSET, 0u);
  return QSA_OK;
}

const char *qsa_err_str(qsa_err err) {
  switch (err) {
    case QSA_OK: return "ok";
    case QSA_E_ARG: return "invalid argument";
    case QSA_E_DEVICE: return "not a QSA v1 accelerator (ID/VERSION)";
    case QSA_E_MODEL: return "malformed model image";
    case QSA_E_NO_SPACE: return "model and activations do not fit the DRAM region";
    case QSA_E_NO_MODEL: return "no model loaded";
    case QSA_E_BUSY: return "accelerator busy";
    case QSA_E_TIMEOUT: return "timed out waiting for DONE";
    case QSA_E_ACCEL: return "accelerator reported an error";
  }
  return "unknown error";
}

const char *qsa_cause_str(uint32_t cause) {
  switch (cause) {
    case QSA_ERR_CAUSE_NONE: return "NONE";
    case QSA_ERR_CAUSE_CODE_RESERVED: return "CODE_RESERVED";
    case QSA_ERR_CAUSE_DESC_COUNT: return "DESC_COUNT";
    case QSA_ERR_CAUSE_DESC_FIELD: return "DESC_FIELD";
    case QSA_ERR_CAUSE_DESC_SHAPE: return "DESC_SHAPE";
    case QSA_ERR_CAUSE_DESC_ALIGN: return "DESC_ALIGN";
    case QSA_ERR_CAUSE_DESC_RESERVED: return "DESC_RESERVED";
    case QSA_ERR_CAUSE_DESC_LIMIT: return "DESC_LIMIT";
    case QSA_ERR_CAUSE_AXI_RD_SLVERR: return "AXI_RD_SLVERR";
    case QSA_ERR_CAUSE_AXI_RD_DECERR: return "AXI_RD_DECERR";
    case QSA_ERR_CAUSE_AXI_WR_SLVERR: return "AXI_WR_SLVERR";
    case QSA_ERR_CAUSE_AXI_WR_DECERR: return "AXI_WR_DECERR";
    case QSA_ERR_CAUSE_WIN_READ: return "WIN_READ";
    case QSA_ERR_CAUSE_WIN_WRITE: return "WIN_WRITE";
    default: return "?";
  }
}
