#pragma once
/// @file Analytical cycle estimate of a layer on the RTL (spec §8, "Cycle estimate"): the
/// clock cycles from START to DONE of a job that runs this one layer (DESC_COUNT = 1) on
/// `qsa_top`, from the plan of spec §8 v2, the layer's code statistics and the DRAM timing.
/// Formulas over the plan, not a simulation of the RTL's state machines.

#include <cstdint>
#include <string_view>
#include <vector>

#include "qsa/cmodel/dataflow.h"
#include "qsa/cmodel/model.h"

namespace qsa::cmodel {

/// Throws ConfigError("<owner>: <field> ...") unless both latencies are in [1, 1000000] and the
/// bandwidth is finite and >= 0 (0 = unlimited): the timing checks DramTiming shares with the
/// co-simulation's sim::DramConfig.
void ValidateDramTiming(std::string_view owner, int read_latency, int write_latency,
                        double bytes_per_cycle);

/// The DRAM as the accelerator sees it: the timing of sim::DramConfig (same defaults), the
/// DMA's burst limit (`qsa_top` parameter MaxBurst) and the read bursts it keeps outstanding
/// (`qsa_top` parameter MaxReads, or fewer if the DRAM accepts fewer).
struct DramTiming {
  int read_latency = 20;         ///< Cycles from a read burst's address to its first beat.
  int write_latency = 20;        ///< Cycles from a write burst's address to its response.
  double bytes_per_cycle = 0.0;  ///< Read + write bandwidth; 0 = unlimited (a beat a cycle).
  int max_burst = 16;            ///< Beats per AXI burst.
  int max_reads = 4;             ///< Read bursts outstanding.
  /// Throws ConfigError("DramTiming: <field> ...") unless latencies are in [1, 1000000],
  /// the bandwidth is >= 0 and finite, max_burst is in [1, 256] and max_reads in [1, 64].
  void Validate() const;
};

/// How the array walks a filter's vectors (docs/architecture.md, "Chunks"): two consecutive
/// vectors share a chunk when the longest vector has at most 32 weights.
struct ChunkPlan {
  bool paired = false;
  int chunks_per_filter = 0;
  std::vector<int> start;   ///< Per chunk: first weight in the filter's [r][s][c] stream.
  std::vector<int> length;  ///< Per chunk: weights (one or two vectors).
};
ChunkPlan PlanChunks(const LayerDesc& d);

/// The estimate by phase (cycles). total = setup + first_load + first_input + body + tail.
struct CycleEstimate {
  int64_t setup = 0;        ///< START to the first group load: descriptor read and check.
  int64_t first_load = 0;   ///< The first group's codes, α's and biases.
  int64_t first_input = 0;  ///< Waiting for the input rows of the first position.
  int64_t compute = 0;      ///< Σ over jobs of the array's cycles and the per-job overhead.
  int64_t dma = 0;          ///< DMA work under the jobs: later group loads, inputs, stores.
  int64_t body = 0;         ///< max(compute, dma + the last job): compute- or load-bound.
  int64_t tail = 0;         ///< The last output piece and DONE.
  int64_t total = 0;
  int64_t group_cycles = 0;  ///< Σ over jobs and positions of the chunk costs (array busy).
  int jobs = 0;              ///< Bands × filter groups.
};

/// Estimates START-to-DONE cycles (BUSY_CYCLES) of a single-layer job. Throws like
/// PlanLayer when the layer does not fit `cfg`, and ConfigError for a bad `t`.
CycleEstimate EstimateLayer(const Layer& layer, const ArrayConfig& cfg, const DramTiming& t);
/// EstimateLayer(layer, cfg, t).total.
int64_t EstimateLayerCycles(const Layer& layer, const ArrayConfig& cfg, const DramTiming& t);

}  // namespace qsa::cmodel
