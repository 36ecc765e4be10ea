/* QSA accelerator driver: freestanding C11 (only stdint.h and stddef.h, no libc calls).
 *
 * The platform gives the driver two things:
 *  - a register-access HAL of two functions (qsa_hal: read32/write32 at a byte offset of the
 *    accelerator's AXI4-Lite register block, docs/registers.md);
 *  - the DRAM the accelerator reads and writes, as the CPU sees it (qsa_mem: a CPU pointer and
 *    the bus address of the same byte). The driver assumes CPU writes reach DRAM before the
 *    register write that starts a job, and that DRAM written by the accelerator is visible to
 *    the CPU after DONE (coherent or uncached memory; add cache maintenance here otherwise).
 *
 * Use:
 *     qsa_dev dev;
 *     qsa_init(&dev, &hal, &mem);                   // checks ID and VERSION
 *     qsa_load_model(&dev, image, bytes);           // checks the .qsa header, copies it to DRAM
 *     copy the input into qsa_layer_input(&dev, 0);
 *     qsa_job job = qsa_job_default(0, qsa_layer_count(&dev));
 *     qsa_run(&dev, &job, &result);                 // descriptor list, CSRs, START, wait
 *     read qsa_layer_output(&dev, last) and qsa_read_counters(&dev, ...).
 *
 * DRAM layout inside qsa_mem (all 64-byte aligned): the model image (spec §7) at offset 0, the
 * descriptor list the driver builds for a job, then two activation buffers. Layer i of the
 * model reads buffer i mod 2 and writes buffer (i + 1) mod 2, whichever job runs it, so a job
 * may start at any layer whose input is in place (for example one layer per job).
 *
 * No function blocks without bound: waits count polls (or idle calls) up to job.timeout.
 * Every function returns a qsa_err; qsa_err_str() names it. Not thread-safe per device.
 */
#ifndef QSA_DRIVER_H
#define QSA_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QSA_DRV_MAX_LAYERS 256u
#define QSA_DRV_PERF_COUNTERS 11u
#define QSA_DRV_DEFAULT_TIMEOUT 100000000u

/* Register access: byte offsets into the register block, 32-bit accesses. */
typedef struct qsa_hal {
  uint32_t (*read32)(void *ctx, uint32_t offset);
  void (*write32)(void *ctx, uint32_t offset, uint32_t value);
  void *ctx;
} qsa_hal;

/* The DRAM region the driver may use, as the CPU and the accelerator see it. */
typedef struct qsa_mem {
  uint8_t *cpu; /* CPU pointer to the first byte */
  uint32_t bus; /* the accelerator's address of the same byte (multiple of 64) */
  uint32_t size; /* bytes */
} qsa_mem;

typedef enum qsa_err {
  QSA_OK = 0,
  QSA_E_ARG,      /* a null pointer, a layer range or k out of range */
  QSA_E_DEVICE,   /* the ID or VERSION register is not a QSA v1 accelerator */
  QSA_E_MODEL,    /* the model image is malformed (magic, version, sizes, CRC, shapes) */
  QSA_E_NO_SPACE, /* the model, descriptor list and activations do not fit qsa_mem */
  QSA_E_NO_MODEL, /* no model loaded */
  QSA_E_BUSY,     /* the accelerator is still busy (a job timed out earlier) */
  QSA_E_TIMEOUT,  /* no DONE within job.timeout polls; the job may still be running */
  QSA_E_ACCEL     /* the accelerator reported an error: see qsa_result (cleared since) */
} qsa_err;

typedef enum qsa_wait_mode {
  QSA_WAIT_POLL = 0, /* poll STATUS.DONE */
  QSA_WAIT_IRQ = 1   /* interrupt: the platform calls qsa_isr(); the driver waits on it */
} qsa_wait_mode;

typedef struct qsa_layer_info {
  uint16_t in_h, in_w, in_c;
  uint16_t out_h, out_w, out_c;
  uint32_t in_bytes, out_bytes;
} qsa_layer_info;

typedef struct qsa_dev {
  qsa_hal hal;
  qsa_mem mem;
  uint32_t config;     /* CONFIG register: PEs, lanes, AXI bytes */
  uint32_t buf_config; /* BUF_CONFIG register */
  /* The loaded model. */
  uint16_t layers;
  uint32_t model_bytes;
  uint32_t desc_off;   /* descriptor list, offset in mem */
  uint32_t act_off[2]; /* activation buffers, offsets in mem */
  uint32_t act_bytes;  /* bytes of each activation buffer */
  qsa_layer_info layer[QSA_DRV_MAX_LAYERS];
  /* Interrupt mode: set by qsa_isr (IRQ_STATUS bits), consumed by the wait. */
  volatile uint32_t irq_pending;
  /* Optional: called once per wait iteration in QSA_WAIT_IRQ mode (a platform's "wait for
   * interrupt"; the co-simulation advances the clock here). NULL spins. */
  void (*idle)(void *ctx);
  void *idle_ctx;
} qsa_dev;

typedef struct qsa_job {
  uint16_t first; /* first layer of the model */
  uint16_t count; /* layers, 1 ... layers - first */
  /* NULL: each descriptor's own k. Else k[i] (0 exact, 1..5) replaces layer first+i's k in
   * the descriptor list; a negative k[i] keeps the descriptor's. */
  const int8_t *k;
  qsa_wait_mode wait;
  uint32_t timeout; /* polls (or idle calls); 0 = QSA_DRV_DEFAULT_TIMEOUT */
} qsa_job;

typedef struct qsa_result {
  uint32_t status;     /* STATUS at the end */
  uint32_t err_status; /* ERR_STATUS: BAD_CODE, BAD_DESC, AXI_RESP, WINDOW bits */
  uint32_t err_info;   /* ERR_INFO: LAYER (within the job) and CAUSE */
  uint32_t err_addr;   /* ERR_ADDR */
  uint32_t polls;      /* wait iterations */
} qsa_result;

/* Binds the device; reads ID, VERSION, CONFIG and BUF_CONFIG. */
qsa_err qsa_init(qsa_dev *dev, const qsa_hal *hal, const qsa_mem *mem);
/* Checks the .qsa image's header (magic, version, sizes, CRC-32, the descriptor table and
 * each layer's shape) and copies it to DRAM; plans the descriptor list and activation
 * buffers. The accelerator checks every descriptor field again (BAD_DESC). */
qsa_err qsa_load_model(qsa_dev *dev, const uint8_t *image, uint32_t bytes);
uint16_t qsa_layer_count(const qsa_dev *dev);
/* Layer `layer`'s shapes, or NULL when out of range. */
const qsa_layer_info *qsa_layer(const qsa_dev *dev, uint16_t layer);
/* CPU pointers to where layer `layer` reads its input and writes its output (int8, HWC), or
 * NULL when out of range. */
int8_t *qsa_layer_input(qsa_dev *dev, uint16_t layer);
const int8_t *qsa_layer_output(const qsa_dev *dev, uint16_t layer);

/* A job of `count` layers from `first`, polling, default timeout, descriptor k's. */
qsa_job qsa_job_default(uint16_t first, uint16_t count);
/* Builds the job's descriptor list, programs the registers, clears the counters and starts. */
qsa_err qsa_start(qsa_dev *dev, const qsa_job *job);
/* Waits for DONE (job->wait, job->timeout), reads the status and error registers into *res
 * and acknowledges the interrupt. On an accelerator error, clears it (CTRL.CLEAR_ERRORS) so
 * the next job can start, and returns QSA_E_ACCEL. */
qsa_err qsa_wait(qsa_dev *dev, const qsa_job *job, qsa_result *res);
/* qsa_start, then qsa_wait. */
qsa_err qsa_run(qsa_dev *dev, const qsa_job *job, qsa_result *res);
/* The interrupt handler: acknowledges IRQ_STATUS and records it for qsa_wait. */
void qsa_isr(qsa_dev *dev);
/* Reads n (<= QSA_DRV_PERF_COUNTERS) 64-bit counters, PERF_*_IDX order, frozen while read. */
qsa_err qsa_read_counters(qsa_dev *dev, uint64_t *out, uint32_t n);

const char *qsa_err_str(qsa_err err);
/* The name of an ERR_INFO.CAUSE value ("DESC_FIELD", ...), "?" if unknown. */
const char *qsa_cause_str(uint32_t cause);

#ifdef __cplusplus
}
#endif

#endif /* QSA_DRIVER_H */
