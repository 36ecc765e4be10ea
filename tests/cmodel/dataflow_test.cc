// The execution plan and DRAM dataflow model (spec §8 v2), against hand-worked layers and a
// brute-force simulation of the transfer list written independently here.
#include "qsa/cmodel/dataflow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "qsa/cmodel/engine.h"
#include "qsa/cmodel/error.h"
#include "random_model.h"

namespace qsa::cmodel {
namespace {

LayerDesc Conv(Shape in, int out_c, int kernel, int stride, int pad, bool pool) {
  LayerDesc d;
  d.in = in;
  d.out_c = out_c;
  d.kernel_h = d.kernel_w = kernel;
  d.stride = stride;
  d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = pad;
  d.pool = pool;
  d.vector_len = 8;
  return d;
}

size_t C(DramClass c) { return static_cast<size_t>(c); }

// Expects `fn` to throw ConfigError whose message contains `text`.
template <typename Fn>
void ExpectConfigError(Fn fn, const std::string& text) {
  try {
    fn();
    ADD_FAILURE() << "expected ConfigError mentioning '" << text << "'";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// Brute force: the plan by search and the transfer list by a plain loop; beats by enumerating
// every byte moved.
// ---------------------------------------------------------------------------------------------

struct Transfer {
  DramClass cls;
  int64_t s, e;  // bytes [s, e) of a beat-aligned section or tensor
};

// Beats touched by [s, e), counted byte by byte (bytes are visited in order, so a new beat is
// one whose index differs from the previous byte's).
int64_t BruteBeatBytes(int64_t s, int64_t e, int64_t beat) {
  int64_t beats = 0;
  int64_t last = -1;
  for (int64_t x = s; x < e; ++x) {
    if (x / beat != last) ++beats;
    last = x / beat;
  }
  return beats * beat;
}

struct BrutePlan {
  bool fits = false;
  int t = 0;   // band rows
  int hc = 0;  // computed rows
  int ho = 0;  // final output rows
  int64_t rb = 0, ob = 0;
  int v = 0;
};

BrutePlan BrutePlanOf(const LayerDesc& d, const ArrayConfig& cfg) {
  BrutePlan p;
  const int h_out = d.ConvOutH();
  const int w_out = d.ConvOutW();
  p.hc = d.pool ? h_out - h_out % 2 : h_out;
  p.ho = d.pool ? h_out / 2 : h_out;
  const int wo = d.pool ? w_out / 2 : w_out;
  p.rb = int64_t{d.in.w} * d.in.c;
  p.ob = int64_t{wo} * d.out_c;
  // V by counting the vectors of one filter (spec §5) directly.
  p.v = static_cast<int>(FilterVectors(d).size());
  if (p.v > cfg.vec_rows) return p;
  // The largest T <= Hc (even when pooling) whose input window, (T-1)·stride + R rows, and whose
  // output rows fit their buffer halves less the beat slack.
  const int64_t slack = cfg.beat_bytes - 1;
  for (int t = p.hc; t >= 1; --t) {
    if (d.pool && t % 2 != 0) continue;
    const int64_t in_rows = int64_t{t - 1} * d.stride + d.kernel_h;
    const int64_t out_rows = d.pool ? t / 2 : t;
    if (in_rows * p.rb <= cfg.act_buffer_bytes - slack &&
        out_rows * p.ob <= cfg.out_buffer_bytes - slack) {
      p.t = t;
      break;
    }
  }
  p.fits = p.t > 0;
  return p;
}

// The transfers of spec §8 v2 in execution order.
std::vector<Transfer> TransferList(const LayerDesc& d, const ArrayConfig& cfg, const BrutePlan& p) {
  std::vector<Transfer> list;
  list.push_back({DramClass::kDescriptor, 0, 64});
  const int64_t f = d.FanIn();
  const int64_t cpw = 64 / d.bits;
  // Code words holding any weight of each filter group [o0, o1) (the same in every band).
  std::vector<std::pair<int64_t, int64_t>> group_words;
  for (int o0 = 0; o0 < d.out_c; o0 += cfg.pes) {
    const int o1 = std::min(d.out_c, o0 + cfg.pes);
    std::set<int64_t> words;
    for (int64_t i = o0 * f; i < o1 * f; ++i) words.insert(i / cpw);
    EXPECT_EQ(static_cast<int64_t>(words.size()), *words.rbegin() - *words.begin() + 1);
    group_words.emplace_back(*words.begin(), *words.rbegin());
  }
  for (int y0 = 0; y0 < p.hc; y0 += p.t) {
    const int y1 = std::min(p.hc, y0 + p.t);
    // Input rows of every position of the band, clipped to the tensor.
    int64_t lo = d.in.h, hi = -1;
    for (int y = y0; y < y1; ++y) {
      for (int r = 0; r < d.kernel_h; ++r) {
        const int64_t iy = int64_t{y} * d.stride + r - d.pad_top;
        if (iy >= 0 && iy < d.in.h) lo = std::min(lo, iy), hi = std::max(hi, iy);
      }
    }
    if (hi >= lo) list.push_back({DramClass::kActIn, lo * p.rb, (hi + 1) * p.rb});
    for (int o0 = 0, g = 0; o0 < d.out_c; o0 += cfg.pes, ++g) {
      const int o1 = std::min(d.out_c, o0 + cfg.pes);
      const auto [w0, w1] = group_words[size_t(g)];
      list.push_back({DramClass::kCodes, 8 * w0, 8 * (w1 + 1)});
      list.push_back({DramClass::kAlphas, int64_t{o0} * p.v, int64_t{o1} * p.v});
      list.push_back({DramClass::kBiases, 4 * int64_t{o0}, 4 * int64_t{o1}});
    }
    const int64_t r0 = d.pool ? y0 / 2 : y0;
    const int64_t r1 = d.pool ? y1 / 2 : y1;
    list.push_back({DramClass::kActOut, r0 * p.ob, r1 * p.ob});
  }
  return list;
}

// A random valid layer with a wide spread of shapes (not only the small ones of random_model.h).
LayerDesc RandomDesc(std::mt19937& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  LayerDesc d;
  for (;;) {
    d = {};
    d.kind = uni(0, 5) == 0 ? LayerKind::kFc : LayerKind::kConv;
    d.bits = uni(0, 2) == 0 ? 2 : 3;
    d.phi = d.bits == 2 ? 1 : 4;
    d.orient = uni(0, 1) ? Orientation::kChannel : Orientation::kFilter;
    d.vector_len = uni(0, 3) == 0 ? uni(1, 4) : uni(1, 64);
    d.out_c = uni(0, 3) == 0 ? uni(1, 3) : uni(1, 70);
    if (d.kind == LayerKind::kFc) {
      d.in = {1, 1, uni(1, 4096)};
    } else {
      d.in = {uni(1, 60), uni(1, 60), uni(0, 2) == 0 ? uni(1, 3) : uni(1, 100)};
      d.kernel_h = uni(1, 7);
      d.kernel_w = uni(1, 7);
      d.stride = uni(0, 2) == 0 ? uni(2, 5) : 1;
      d.pad_top = uni(0, d.kernel_h - 1);
      d.pad_bottom = uni(0, d.kernel_h - 1);
      d.pad_left = uni(0, d.kernel_w - 1);
      d.pad_right = uni(0, d.kernel_w - 1);
      if (d.in.h + d.pad_top + d.pad_bottom < d.kernel_h) continue;
      if (d.in.w + d.pad_left + d.pad_right < d.kernel_w) continue;
      d.pool = d.ConvOutH() >= 2 && d.ConvOutW() >= 2 && uni(0, 1);
    }
    if (d.FanIn() > kMaxFanIn) continue;
    return d;
  }
}

ArrayConfig RandomConfig(std::mt19937& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ArrayConfig cfg;
  cfg.pes = std::array<int, 6>{1, 2, 3, 5, 8, 16}[size_t(uni(0, 5))];
  cfg.beat_bytes = uni(0, 4) == 0 ? 16 : 8;
  const int64_t beat = cfg.beat_bytes;
  // From a few beats (many thin bands, frequent refusals) up to the default sizes.
  cfg.act_buffer_bytes = beat * (uni(0, 1) ? uni(1, 64) : uni(1, 4096));
  cfg.out_buffer_bytes = beat * (uni(0, 1) ? uni(1, 32) : uni(1, 1024));
  cfg.vec_rows = uni(0, 3) == 0 ? uni(1, 32) : 256;
  return cfg;
}

TEST(Dataflow, MatchesBruteForceTransferList) {
  std::mt19937 rng(20240601u);
  int planned = 0, refused = 0, multi_band = 0, multi_group = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    const LayerDesc d = RandomDesc(rng);
    const ArrayConfig cfg = iter < 300 ? ArrayConfig{} : RandomConfig(rng);
    const BrutePlan bp = BrutePlanOf(d, cfg);
    SCOPED_TRACE(::testing::Message()
                 << "iter " << iter << ": in " << d.in.h << "x" << d.in.w << "x" << d.in.c
                 << " K=" << d.out_c << " R,S=" << d.kernel_h << "," << d.kernel_w
                 << " stride=" << d.stride << " pool=" << d.pool << " A=" << cfg.act_buffer_bytes
                 << " O=" << cfg.out_buffer_bytes << " E=" << cfg.pes
                 << " beat=" << cfg.beat_bytes);
    if (!bp.fits) {
      EXPECT_THROW(PlanLayer(d, cfg), ConfigError);
      EXPECT_THROW(LayerDram(d, cfg), ConfigError);
      ++refused;
      continue;
    }
    const LayerPlan p = PlanLayer(d, cfg);
    ASSERT_EQ(p.band_rows, bp.t);
    EXPECT_EQ(p.comp_h, bp.hc);
    EXPECT_EQ(p.out_h, bp.ho);
    EXPECT_EQ(p.out_w, d.Out().w);
    EXPECT_EQ(p.out_h, d.Out().h);
    EXPECT_EQ(p.vectors_per_filter, bp.v);
    EXPECT_EQ(int64_t{p.vectors_per_filter} * d.out_c, SectionSizes(d).vectors);
    EXPECT_EQ(p.row_bytes, bp.rb);
    EXPECT_EQ(p.out_row_bytes, bp.ob);
    EXPECT_EQ(p.bands, (bp.hc + bp.t - 1) / bp.t);
    EXPECT_EQ(p.groups, (d.out_c + cfg.pes - 1) / cfg.pes);

    std::array<int64_t, static_cast<int>(DramClass::kCount)> want{};
    int64_t out_bytes = 0;
    for (const Transfer& t : TransferList(d, cfg, bp)) {
      const int64_t beats = BruteBeatBytes(t.s, t.e, cfg.beat_bytes);
      EXPECT_EQ(BeatBytes(t.s, t.e, cfg.beat_bytes), beats);
      want[C(t.cls)] += beats;
      // Every activation transfer fits one buffer half, wherever in a beat it starts.
      if (t.cls == DramClass::kActIn) {
        EXPECT_LE(beats, cfg.act_buffer_bytes);
      }
      if (t.cls == DramClass::kActOut) {
        EXPECT_LE(beats, cfg.out_buffer_bytes);
        out_bytes += t.e - t.s;
      }
    }
    EXPECT_EQ(out_bytes, d.Out().Elements());  // the bands write the output exactly once
    const LayerTraffic t = LayerDram(d, cfg);
    EXPECT_EQ(t.bytes, want);
    EXPECT_EQ(t.bands, p.bands);
    EXPECT_EQ(t.band_rows, p.band_rows);
    ++planned;
    multi_band += p.bands > 1;
    multi_group += p.groups > 1;
  }
  // The sample exercises every branch.
  EXPECT_GT(planned, 1000);
  EXPECT_GT(refused, 100);
  EXPECT_GT(multi_band, 300);
  EXPECT_GT(multi_group, 300);
}

// ---------------------------------------------------------------------------------------------
// Hand-worked layers
// ---------------------------------------------------------------------------------------------

TEST(Dataflow, LeNetConv1ReadsEverythingOnce) {
  const LayerDesc d = Conv({28, 28, 1}, 6, 5, 1, 2, true);
  const LayerPlan p = PlanLayer(d, ArrayConfig{});
  EXPECT_EQ(p.fan_in, 25);
  EXPECT_EQ(p.vectors_per_filter, 25);  // channel-wise, C = 1: one vector per (r, s)
  EXPECT_EQ(p.codes_per_word, 21);
  EXPECT_EQ(p.conv_h, 28);
  EXPECT_EQ(p.comp_h, 28);
  EXPECT_EQ(p.out_h, 14);
  EXPECT_EQ(p.row_bytes, 28);
  EXPECT_EQ(p.out_row_bytes, 84);
  // rows_in = 32761 / 28 = 1170 -> T1 = 1166; rows_out = 8185 / 84 = 97 -> T2 = 194; Hc = 28.
  EXPECT_EQ(p.band_rows, 28);
  EXPECT_EQ(p.bands, 1);
  EXPECT_EQ(p.groups, 1);
  const LayerTraffic t = LayerDram(d, ArrayConfig{});
  EXPECT_EQ(t.bytes[C(DramClass::kDescriptor)], 64);
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], 784);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 14 * 14 * 6);
  EXPECT_EQ(t.bytes[C(DramClass::kCodes)], 64);    // 150 codes: words 0..7
  EXPECT_EQ(t.bytes[C(DramClass::kAlphas)], 152);  // 150 bytes
  EXPECT_EQ(t.bytes[C(DramClass::kBiases)], 24);
}

TEST(Dataflow, BandsReReadHaloRowsAndWeights) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 11 * 16 * 4 / 8 * 8;  // 704: (704 - 7) / 64 = 10 input rows
  const LayerDesc d = Conv({16, 16, 4}, 4, 3, 1, 1, false);
  const LayerPlan p = PlanLayer(d, cfg);
  EXPECT_EQ(p.band_rows, 8);  // (8 - 1) · 1 + 3 = 10 rows
  EXPECT_EQ(p.bands, 2);
  const LayerTraffic t = LayerDram(d, cfg);
  // Band 0: output rows 0..7 read input rows 0..8 (pad row clipped); band 1: rows 7..15.
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], (9 + 9) * 16 * 4);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 16 * 16 * 4);
  // 144 codes in words 0..6, 4 filters x 9 vectors of α (36 -> 40 bytes), 16 bias bytes: read
  // by both bands.
  EXPECT_EQ(PlanLayer(d, cfg).vectors_per_filter, 9);
  EXPECT_EQ(t.bytes[C(DramClass::kCodes)], 2 * 7 * 8);
  EXPECT_EQ(t.bytes[C(DramClass::kAlphas)], 2 * 40);
  EXPECT_EQ(t.bytes[C(DramClass::kBiases)], 2 * 16);
}

TEST(Dataflow, FilterGroupsShareCodeWords) {
  ArrayConfig cfg;
  cfg.pes = 4;
  // 1x1 conv, C = 10, K = 10: F = 10, groups of 4, 4, 2 filters.
  LayerDesc d = Conv({2, 2, 10}, 10, 1, 1, 0, false);
  d.vector_len = 4;  // channel-wise: V = ceil(10 / 4) = 3
  const LayerPlan p = PlanLayer(d, cfg);
  EXPECT_EQ(p.groups, 3);
  EXPECT_EQ(p.vectors_per_filter, 3);
  const LayerTraffic t = LayerDram(d, cfg);
  // Codes (cpw 21): group 0 weights 0..39 -> words 0..1; group 1 40..79 -> words 1..3 (word 1
  // read again); group 2 80..99 -> words 3..4. 2 + 3 + 2 words.
  EXPECT_EQ(t.bytes[C(DramClass::kCodes)], (2 + 3 + 2) * 8);
  // α: [0, 12) -> 16 bytes, [12, 24) -> beats 1..2 = 16, [24, 30) -> beat 3 = 8.
  EXPECT_EQ(t.bytes[C(DramClass::kAlphas)], 16 + 16 + 8);
  // Bias: [0, 16) 16, [16, 32) 16, [32, 40) 8.
  EXPECT_EQ(t.bytes[C(DramClass::kBiases)], 40);
}

TEST(Dataflow, UnalignedBandStartsTouchExtraBeats) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 64;  // (64 - 7) / 13 = 4 input rows
  cfg.out_buffer_bytes = 64;
  // 1x1 kernel on 12 rows of 13 bytes (W = 13, C = 1): T = 4, three bands of 52 bytes each.
  LayerDesc d = Conv({12, 13, 1}, 1, 1, 1, 0, false);
  const LayerPlan p = PlanLayer(d, cfg);
  EXPECT_EQ(p.band_rows, 4);
  EXPECT_EQ(p.bands, 3);
  const LayerTraffic t = LayerDram(d, cfg);
  // [0, 52) -> beats 0..6 (56 B); [52, 104) -> beats 6..12 (56 B); [104, 156) -> 13..19 (56 B).
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], 56 + 56 + 56);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 56 + 56 + 56);
  EXPECT_EQ(BeatBytes(52, 104, 8), 56);
  EXPECT_EQ(BeatBytes(51, 57, 8), 16);
  EXPECT_EQ(BeatBytes(8, 16, 8), 8);
  EXPECT_EQ(BeatBytes(5, 5, 8), 0);
}

TEST(Dataflow, PoolingWithOddOutputSkipsTheDroppedRow) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 48;  // (48 - 7) / 9 = 4 input rows: T1 = (4 - 3) / 1 + 1 = 2
  // 9x9x1, 3x3, no pad: H_out = W_out = 7, Hc = Wc = 6, pooled 3x3.
  const LayerDesc d = Conv({9, 9, 1}, 2, 3, 1, 0, true);
  const LayerPlan p = PlanLayer(d, cfg);
  EXPECT_EQ(p.conv_h, 7);
  EXPECT_EQ(p.comp_h, 6);
  EXPECT_EQ(p.comp_w, 6);
  EXPECT_EQ(p.out_h, 3);
  EXPECT_EQ(p.band_rows, 2);
  EXPECT_EQ(p.bands, 3);  // rows 0-1, 2-3, 4-5; conv row 6 is never computed
  const LayerTraffic t = LayerDram(d, cfg);
  // Band b reads input rows 2b .. 2b + 3 of 9 bytes: [0,36), [18,54), [36,72).
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)],
            BeatBytes(0, 36, 8) + BeatBytes(18, 54, 8) + BeatBytes(36, 72, 8));
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], 40 + 40 + 40);  // input row 8 is never read
  // One pooled row of 3 x 2 bytes per band: [0,6) one beat, [6,12) and [12,18) two each.
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 8 + 16 + 16);

  // An odd T from the buffers is rounded down to even when pooling.
  cfg.act_buffer_bytes = 56;  // (56 - 7) / 9 = 5 rows: T1 = 3 -> T = 2
  EXPECT_EQ(PlanLayer(d, cfg).band_rows, 2);
  // Without pooling the same buffer gives T = 3 over all 7 rows.
  LayerDesc np = d;
  np.pool = false;
  EXPECT_EQ(PlanLayer(np, cfg).band_rows, 3);
  EXPECT_EQ(PlanLayer(np, cfg).bands, 3);
  EXPECT_EQ(PlanLayer(np, cfg).comp_h, 7);
}

TEST(Dataflow, RefusesLayersThatDoNotFit) {
  const LayerDesc d = Conv({8, 8, 64}, 16, 3, 1, 1, false);  // rb = 512
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 3 * 512;  // (1536 - 7) / 512 = 2 rows < R = 3
  ExpectConfigError([&] { PlanLayer(d, cfg); }, "act_buffer_bytes");
  ExpectConfigError([&] { LayerDram(d, cfg); }, "act_buffer_bytes");
  cfg.act_buffer_bytes = 3 * 512 + 8;  // 3 rows: T = 1
  EXPECT_EQ(PlanLayer(d, cfg).band_rows, 1);
  EXPECT_EQ(PlanLayer(d, cfg).bands, 8);

  // Pooling needs two output rows per band: T1 = 1 is refused.
  LayerDesc pooled = d;
  pooled.pool = true;
  ExpectConfigError([&] { PlanLayer(pooled, cfg); }, "act_buffer_bytes");
  cfg.act_buffer_bytes = 4 * 512 + 8;
  EXPECT_EQ(PlanLayer(pooled, cfg).band_rows, 2);

  // The output row (W_o · K bytes) must fit O - 7.
  cfg = {};
  cfg.out_buffer_bytes = 8 * 16;  // ob = 8 · 16 = 128 > 121
  ExpectConfigError([&] { PlanLayer(d, cfg); }, "out_buffer_bytes");
  cfg.out_buffer_bytes = 8 * 16 + 8;
  EXPECT_EQ(PlanLayer(d, cfg).band_rows, 1);

  // V > vec_rows.
  LayerDesc wide = Conv({4, 4, 100}, 2, 3, 1, 1, false);
  wide.vector_len = 1;
  wide.orient = Orientation::kFilter;  // V = 900
  ExpectConfigError([&] { PlanLayer(wide, ArrayConfig{}); }, "vec_rows");
  cfg = {};
  cfg.vec_rows = 900;
  EXPECT_EQ(PlanLayer(wide, cfg).vectors_per_filter, 900);
  wide.vector_len = 4;  // 225 vectors
  EXPECT_EQ(PlanLayer(wide, ArrayConfig{}).vectors_per_filter, 225);
}

TEST(Dataflow, RejectsInvalidDescriptors) {
  LayerDesc d = Conv({8, 8, 4}, 4, 3, 1, 1, false);
  d.kernel_h = 11;  // taller than the padded input
  d.pad_top = d.pad_bottom = 0;
  EXPECT_THROW(PlanLayer(d, ArrayConfig{}), FormatError);
}

TEST(Dataflow, ConfigValidateNamesField) {
  auto expect_field = [](ArrayConfig cfg, const std::string& field) {
    ExpectConfigError([&] { cfg.Validate(); }, "ArrayConfig: " + field);
  };
  ArrayConfig cfg;
  EXPECT_NO_THROW(cfg.Validate());
  cfg = {};
  cfg.pes = 0;
  expect_field(cfg, "pes");
  cfg = {};
  cfg.lanes = -1;
  expect_field(cfg, "lanes");
  cfg = {};
  cfg.beat_bytes = 6;
  expect_field(cfg, "beat_bytes");
  cfg = {};
  cfg.beat_bytes = 0;
  expect_field(cfg, "beat_bytes");
  cfg = {};
  cfg.act_buffer_bytes = 4;
  expect_field(cfg, "act_buffer_bytes");
  cfg = {};
  cfg.act_buffer_bytes = 1001;  // not whole beats
  expect_field(cfg, "act_buffer_bytes");
  cfg = {};
  cfg.out_buffer_bytes = 0;
  expect_field(cfg, "out_buffer_bytes");
  cfg = {};
  cfg.out_buffer_bytes = 12;
  expect_field(cfg, "out_buffer_bytes");
  cfg = {};
  cfg.vec_rows = 0;
  expect_field(cfg, "vec_rows");
  cfg = {};
  cfg.pes = 0;
  ExpectConfigError([&] { PlanLayer(Conv({4, 4, 1}, 1, 1, 1, 0, false), cfg); }, "pes");
}

// ---------------------------------------------------------------------------------------------
// Compute statistics count only the computed positions Hc x Wc (spec §8)
// ---------------------------------------------------------------------------------------------

TEST(Dataflow, StatsSkipPositionsDroppedByPooling) {
  std::mt19937 rng(99);
  int odd_layers = 0;
  for (int iter = 0; iter < 60; ++iter) {
    // 5..11 rows/cols, 3x3 or 2x2 kernels, stride 1: odd and even conv outputs both occur.
    const Shape in{5 + iter % 7, 5 + (iter / 7) % 7, 1 + iter % 3};
    Model m;
    m.name = "pool";
    m.input = in;
    Layer l = qsa::testing::RandomLayer(rng, in);
    LayerDesc& d = l.desc;
    d.kernel_h = 2 + iter % 2;
    d.kernel_w = 3 - iter % 2;
    d.stride = 1;
    d.pad_top = d.pad_bottom = d.pad_left = d.pad_right = 0;
    d.pool = true;
    d.in_exp = m.input_exp;
    d.out_exp = d.in_exp + d.alpha_exp + 6;
    // Weights for the new geometry: +1, with every third code zero.
    l.codes.assign(static_cast<size_t>(d.Weights()), 1);  // +1 everywhere
    for (size_t j = 0; j < l.codes.size(); j += 3) l.codes[j] = 0;
    l.alphas.assign(static_cast<size_t>(SectionSizes(d).vectors), 3);
    l.biases.assign(static_cast<size_t>(d.out_c), 0);
    m.layers.push_back(l);
    const Engine engine(m);
    const std::vector<int8_t> act = qsa::testing::RandomActs(rng, in.Elements());
    LayerStats s;
    const std::vector<int8_t> out = engine.RunLayer(0, act, &s);
    ASSERT_EQ(out, RunLayerLiteral(l, act));  // outputs unchanged by skipping

    const int hc = d.ConvOutH() / 2 * 2, wc = d.ConvOutW() / 2 * 2;
    odd_layers += hc != d.ConvOutH() || wc != d.ConvOutW();
    int64_t zero_codes = 0;
    for (uint8_t c : l.codes) zero_codes += c == 0;
    int64_t zero_act = 0;
    for (int y = 0; y < hc; ++y) {
      for (int x = 0; x < wc; ++x) {
        for (int o = 0; o < d.out_c; ++o) {
          for (int j = 0; j < d.FanIn(); ++j) {
            const int r = j / (d.kernel_w * d.in.c), sx = (j / d.in.c) % d.kernel_w;
            const int c = j % d.in.c;
            const int a = act[(size_t(y + r) * d.in.w + x + sx) * d.in.c + c];
            zero_act += l.codes[size_t(o) * d.FanIn() + j] != 0 && a == 0;
          }
        }
      }
    }
    const int64_t pos = int64_t{hc} * wc;
    EXPECT_EQ(s.macs, pos * d.Weights());
    EXPECT_EQ(s.macs_zero_code, pos * zero_codes);
    EXPECT_EQ(s.macs_zero_act, zero_act);
    EXPECT_EQ(s.outputs, pos * d.out_c);
    // m = 3 (NAF 4 - 1: two digits, one when k = 1) for every vector with a nonzero code.
    int64_t vectors = 0;
    for (int o = 0; o < d.out_c; ++o) {
      for (const VectorSpan& v : FilterVectors(d)) {
        bool any = false;
        for (int j = v.start; j < v.start + v.length; ++j) {
          any |= l.codes[size_t(o) * d.FanIn() + j] != 0;
        }
        vectors += any;
      }
    }
    EXPECT_EQ(s.multiplies, pos * vectors);
    EXPECT_EQ(s.partial_products, pos * vectors * (d.k == 1 ? 1 : 2));
    EXPECT_EQ(engine.StaticStats(0).macs, s.macs);
  }
  EXPECT_GT(odd_layers, 20);
}

}  // namespace
}  // namespace qsa::cmodel
