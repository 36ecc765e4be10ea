#pragma once
/// @file The execution plan of a layer and the DRAM bytes it moves (spec §8, "Execution plan
/// and DRAM dataflow (v2)").

#include <array>
#include <cstdint>

#include "qsa/cmodel/model.h"
#include "qsa/cmodel/stats.h"

namespace qsa::cmodel {

/// Build parameters of the accelerator that the plan depends on (spec §8; `qsa_top`
/// parameters of the same meaning).
struct ArrayConfig {
  int pes = 8;                       ///< E: processing elements (filters computed together).
  int lanes = 8;                     ///< L: lanes per PE.
  int beat_bytes = 8;                ///< DMA beat; sections and tensors start beat-aligned.
  int64_t act_buffer_bytes = 32768;  ///< A: activation input buffer, bytes per half (two halves).
  int64_t out_buffer_bytes = 8192;   ///< O: output buffer, bytes per half (two halves).
  int vec_rows = 256;                ///< Vmax: vectors of one filter a PE holds.
  /// Throws ConfigError("ArrayConfig: <field> ...") unless every field is in range: counts
  /// positive, beat a power of two, buffers whole beats and at least one beat.
  void Validate() const;
  /// On-chip buffer bytes of the build (the qsa_mem instances of qsa_top): two activation
  /// halves, two output halves, and per PE its code rows (vec_rows × 64 codes × 3 bits) and α
  /// rows (vec_rows × 8 bits).
  int64_t OnChipBytes() const;
};

/// The plan of one layer on a build (spec §8 v2, "Plan of a layer").
struct LayerPlan {
  int fan_in = 0;              ///< F = R·S·C.
  int vectors_per_filter = 0;  ///< V.
  int codes_per_word = 0;      ///< cpw: 21 (3-bit codes) or 32 (2-bit codes).
  int conv_h = 0, conv_w = 0;  ///< H_out, W_out (convolution output, before pooling).
  int comp_h = 0, comp_w = 0;  ///< Hc, Wc: computed positions (pool drops an odd last row/col).
  int out_h = 0, out_w = 0;    ///< H_o, W_o: the layer's final output (after pooling).
  int64_t row_bytes = 0;       ///< rb = W·C, one input row.
  int64_t out_row_bytes = 0;   ///< ob = W_o·K, one final output row.
  int band_rows = 0;           ///< T: computed output rows per band (even when pooling).
  int bands = 0;               ///< ⌈Hc / T⌉.
  int groups = 0;              ///< ⌈K / E⌉ filter groups.
};

/// Plans a layer (the descriptor must pass ValidateLayerDesc; it is checked again here and a
/// FormatError is thrown otherwise). Throws ConfigError naming the ArrayConfig field when the
/// layer does not fit the build: band rows T = 0, or V > vec_rows (spec §8: the hardware
/// refuses such a descriptor with DESC_LIMIT).
LayerPlan PlanLayer(const LayerDesc& d, const ArrayConfig& cfg);

/// Band `band` of a plan (spec §8 v2): its computed output rows [y0, y1), its final output
/// rows [o0, o1) (halved when pooling) and the input rows [in_lo, in_hi] it reads; in_hi < in_lo
/// when every row it reads is padding.
struct BandRows {
  int64_t y0 = 0, y1 = 0;
  int64_t o0 = 0, o1 = 0;
  int64_t in_lo = 0, in_hi = -1;
};
BandRows PlanBand(const LayerDesc& d, const LayerPlan& p, int64_t band);

/// Bytes of the beats a transfer of bytes [s, e) of a beat-aligned region touches:
/// beat · (⌈e/beat⌉ − ⌊s/beat⌋); 0 when the range is empty.
int64_t BeatBytes(int64_t s, int64_t e, int64_t beat);

/// The weight load of filter group g (spec §8 v2): its filters [first, first + filters) and
/// the bytes of whole beats each of its three reads moves: the packed code words holding the
/// group's codes, its α mantissas and its int32 biases.
struct GroupLoad {
  int64_t first = 0;
  int64_t filters = 0;
  int64_t code_bytes = 0;
  int64_t alpha_bytes = 0;
  int64_t bias_bytes = 0;
};
GroupLoad PlanGroupLoad(const LayerDesc& d, const LayerPlan& p, const ArrayConfig& cfg, int64_t g);

/// DRAM bytes one run of the layer moves, per class, and its row-band tiling.
struct LayerTraffic {
  std::array<int64_t, static_cast<int>(DramClass::kCount)> bytes{};
  int bands = 1;
  int band_rows = 0;  ///< Computed output rows per band (before pooling), T.
};
/// Counts exactly the transfers of spec §8 v2 (descriptor; per band: act in, per filter group
/// codes/α/bias, act out). Throws like PlanLayer.
LayerTraffic LayerDram(const LayerDesc& d, const ArrayConfig& cfg);

}  // namespace qsa::cmodel
