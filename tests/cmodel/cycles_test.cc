// The analytical cycle estimate of a single-layer job (spec §8, "Cycle estimate"): its basic
// properties. Its accuracy against the RTL is measured by co-simulation (tests/sim).
#include "qsa/cmodel/cycles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/error.h"
#include "random_model.h"

namespace qsa::cmodel {
namespace {

// A conv layer with every code nonzero (+1), α = 1, bias 0.
Layer DenseConv(Shape in, int out_c, int kernel, int n, Orientation orient, bool pool = false,
                int pad = 0) {
  Layer l;
  LayerDesc& d = l.desc;
  d.in = in;
  d.out_c = out_c;
  d.kernel_h = d.kernel_w = kernel;
  d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = pad;
  d.pool = pool;
  d.vector_len = n;
  d.orient = orient;
  d.alpha_exp = -8;
  d.in_exp = -7;
  d.out_exp = -7;
  l.codes.assign(static_cast<size_t>(d.Weights()), static_cast<uint8_t>(EncodeBeta(1, 3)));
  l.alphas.assign(FilterVectors(d).size() * static_cast<size_t>(out_c), 1);
  l.biases.assign(static_cast<size_t>(out_c), 0);
  return l;
}

Layer LeNetConv1() { return DenseConv({28, 28, 1}, 6, 5, 16, Orientation::kFilter, true, 2); }
Layer LeNetConv2() { return DenseConv({14, 14, 6}, 16, 5, 16, Orientation::kFilter, true); }

TEST(Cycles, ChunksPairVectorsOfAtMost32Weights) {
  const LayerDesc d1 = LeNetConv1().desc;  // F = 25: vectors 16 + 9, one chunk
  const ChunkPlan c1 = PlanChunks(d1);
  EXPECT_TRUE(c1.paired);
  ASSERT_EQ(c1.chunks_per_filter, 1);
  EXPECT_EQ(c1.start[0], 0);
  EXPECT_EQ(c1.length[0], 25);
  const ChunkPlan c2 = PlanChunks(LeNetConv2().desc);  // F = 150: 9 x 16 + 6, five chunks
  EXPECT_TRUE(c2.paired);
  ASSERT_EQ(c2.chunks_per_filter, 5);
  EXPECT_EQ(c2.length[4], 16 + 6);
  // N = 33: one vector per chunk
  const ChunkPlan c3 = PlanChunks(DenseConv({8, 8, 8}, 4, 3, 33, Orientation::kFilter).desc);
  EXPECT_FALSE(c3.paired);
  EXPECT_EQ(c3.chunks_per_filter, 3);  // 72 = 33 + 33 + 6
  // channel-wise vectors as short as C pair even when N is large
  const ChunkPlan c4 = PlanChunks(DenseConv({8, 8, 8}, 4, 3, 40, Orientation::kChannel).desc);
  EXPECT_TRUE(c4.paired);
  EXPECT_EQ(c4.chunks_per_filter, 5);  // 9 vectors of 8
  // the chunks tile the filter
  for (const ChunkPlan& c : {c1, c2, c3, c4}) {
    int next = 0;
    for (int i = 0; i < c.chunks_per_filter; ++i) {
      EXPECT_EQ(c.start[static_cast<size_t>(i)], next);
      EXPECT_LE(c.length[static_cast<size_t>(i)], 64);
      next += c.length[static_cast<size_t>(i)];
    }
  }
}

TEST(Cycles, PhasesAddUpAndTheArrayCyclesAreExact) {
  const Layer l = LeNetConv1();
  const CycleEstimate e = EstimateLayer(l, ArrayConfig{}, DramTiming{});
  EXPECT_EQ(e.total, e.setup + e.first_load + e.first_input + e.body + e.tail);
  EXPECT_EQ(e.total, EstimateLayerCycles(l, ArrayConfig{}, DramTiming{}));
  EXPECT_EQ(e.jobs, 1);
  // dense codes: the 25-weight chunk takes ceil(25 / 8) = 4 cycles at each of 28 x 28
  // computed positions; the job is compute-bound
  EXPECT_EQ(e.group_cycles, 28 * 28 * 4);
  EXPECT_GE(e.body, e.compute);
  EXPECT_GT(e.compute, e.group_cycles);
  // the descriptor's read (8 beats, one burst; it goes out in START's cycle) and the
  // checker's fixed latency come first
  EXPECT_EQ(e.setup, (20 + 8 + 1) + 79 + 2);
}

TEST(Cycles, MonotonicInTheWork) {
  const ArrayConfig cfg;
  const DramTiming t;
  // more filters, more groups
  int64_t prev = 0;
  for (int k : {4, 8, 12, 16, 24}) {
    const int64_t c =
        EstimateLayerCycles(DenseConv({12, 12, 6}, k, 3, 16, Orientation::kFilter), cfg, t);
    EXPECT_GT(c, prev) << "K = " << k;
    prev = c;
  }
  // a larger input, more positions
  prev = 0;
  for (int h : {6, 10, 16, 24, 40}) {
    const int64_t c =
        EstimateLayerCycles(DenseConv({h, h, 4}, 8, 3, 16, Orientation::kChannel), cfg, t);
    EXPECT_GT(c, prev) << "H = W = " << h;
    prev = c;
  }
  // several bands
  const Layer big = DenseConv({120, 120, 8}, 8, 3, 16, Orientation::kChannel);
  const CycleEstimate e = EstimateLayer(big, cfg, t);
  EXPECT_GT(PlanLayer(big.desc, cfg).bands, 1);
  EXPECT_EQ(e.jobs, PlanLayer(big.desc, cfg).bands);
  EXPECT_GT(e.total,
            EstimateLayerCycles(DenseConv({60, 120, 8}, 8, 3, 16, Orientation::kChannel), cfg, t));
}

TEST(Cycles, ZeroSkipShortensIt) {
  const ArrayConfig cfg;
  const DramTiming t;
  Layer l = LeNetConv2();
  const CycleEstimate dense = EstimateLayer(l, cfg, t);
  // zero every other code: chunks of 32 weights go from 4 cycles to 2
  for (size_t i = 0; i < l.codes.size(); i += 2) l.codes[i] = 0;
  const CycleEstimate half = EstimateLayer(l, cfg, t);
  EXPECT_LT(half.group_cycles, dense.group_cycles);
  EXPECT_LT(half.total, dense.total);
  // no nonzero code at all: the position's last chunk is a null chunk (one cycle), the other
  // four are skipped, their segment walks (one cycle each) and the null chunk's own cycle the
  // only cost
  std::fill(l.codes.begin(), l.codes.end(), 0);
  const CycleEstimate none = EstimateLayer(l, cfg, t);
  EXPECT_EQ(none.group_cycles, 2 * 10 * 10 * 5);
  EXPECT_LT(none.total, half.total);
}

TEST(Cycles, SlowerDramTakesLonger) {
  const ArrayConfig cfg;
  std::mt19937 rng(7);
  for (int i = 0; i < 20;) {
    const Layer l = testing::RandomLayer(rng, {10, 9, 6}, i % 3 == 0);
    try {
      PlanLayer(l.desc, cfg);
    } catch (const ConfigError&) {
      continue;  // more vectors per filter than a PE holds
    }
    ++i;
    DramTiming t;
    const int64_t base = EstimateLayerCycles(l, cfg, t);
    t.read_latency = 60;
    const int64_t slow_read = EstimateLayerCycles(l, cfg, t);
    EXPECT_GT(slow_read, base);
    t = DramTiming{};
    t.write_latency = 80;
    EXPECT_GE(EstimateLayerCycles(l, cfg, t), base);
    t = DramTiming{};
    t.bytes_per_cycle = 1.0;
    EXPECT_GT(EstimateLayerCycles(l, cfg, t), base);
    t.bytes_per_cycle = 64.0;  // more than a beat a cycle: the bus is the limit
    EXPECT_EQ(EstimateLayerCycles(l, cfg, t), base);
  }
}

TEST(Cycles, LoadBoundFullyConnectedLayer) {
  // LeNet's FC1 shape: 400 -> 120, 15 filter groups of one position each. The group loads
  // (codes, α's, biases) are the work; the array is idle most of the time.
  Layer l = DenseConv({1, 1, 400}, 120, 1, 16, Orientation::kChannel);
  l.desc.kind = LayerKind::kFc;
  const CycleEstimate e = EstimateLayer(l, ArrayConfig{}, DramTiming{});
  EXPECT_EQ(e.jobs, 15);
  EXPECT_GT(e.dma, 3 * e.compute);
  EXPECT_GT(e.body, e.dma);
}

// Outstanding reads hide the read latency behind the beats of a long transfer: FC1's group
// loads (about 60 beats of codes each, four bursts) pay it about once instead of per burst.
TEST(Cycles, OutstandingReadsHideTheLatency) {
  Layer l = DenseConv({1, 1, 400}, 120, 1, 16, Orientation::kChannel);
  l.desc.kind = LayerKind::kFc;
  DramTiming t;
  t.max_reads = 1;
  const CycleEstimate one = EstimateLayer(l, ArrayConfig{}, t);
  t.max_reads = 2;
  const CycleEstimate two = EstimateLayer(l, ArrayConfig{}, t);
  t.max_reads = 4;
  const CycleEstimate four = EstimateLayer(l, ArrayConfig{}, t);
  EXPECT_LT(two.total, one.total);
  EXPECT_LE(four.total, two.total);
  // With 16-beat bursts, latency 20: two outstanding bursts cannot cover the latency, three
  // can, and a fourth changes next to nothing (the α and bias reads queued behind the codes
  // share the limit: at most a cycle per group load); one burst at a time pays 20 cycles per
  // burst.
  t.max_reads = 3;
  EXPECT_GE(EstimateLayer(l, ArrayConfig{}, t).total, four.total);
  EXPECT_LE(EstimateLayer(l, ArrayConfig{}, t).total, four.total + 15);
  EXPECT_GT(one.dma - four.dma, 15 * 3 * 20 * 8 / 10);  // 15 loads, 3 bursts' latency, -20 %
}

TEST(Cycles, RefusesWhatThePlanRefuses) {
  ArrayConfig small;
  small.act_buffer_bytes = 64;
  EXPECT_THROW(EstimateLayer(LeNetConv2(), small, DramTiming{}), ConfigError);
  auto expect_bad = [](DramTiming t, const std::string& field) {
    try {
      t.Validate();
      ADD_FAILURE() << "expected ConfigError for " << field;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("DramTiming: " + field), std::string::npos) << e.what();
    }
  };
  DramTiming t;
  t.read_latency = 0;
  expect_bad(t, "read_latency");
  t = DramTiming{};
  t.write_latency = -1;
  expect_bad(t, "write_latency");
  t = DramTiming{};
  t.bytes_per_cycle = -2.0;
  expect_bad(t, "bytes_per_cycle");
  t = DramTiming{};
  t.max_burst = 0;
  expect_bad(t, "max_burst");
  t = DramTiming{};
  t.max_reads = 0;
  expect_bad(t, "max_reads");
  t.max_reads = 65;
  expect_bad(t, "max_reads");
}

}  // namespace
}  // namespace qsa::cmodel
