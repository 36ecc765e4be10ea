// The DRAM dataflow and tiling model (spec §8).
#include "qsa/cmodel/dataflow.h"

#include <gtest/gtest.h>

#include "qsa/cmodel/error.h"

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

TEST(Dataflow, SmallLayerReadsEverythingOnce) {
  const LayerDesc d = Conv({28, 28, 1}, 6, 5, 1, 2, true);  // LeNet conv1
  const LayerTraffic t = LayerDram(d, ArrayConfig{});
  EXPECT_EQ(t.bands, 1);
  EXPECT_EQ(t.bytes[C(DramClass::kDescriptor)], 64);
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], 784);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 14 * 14 * 6);
  const LayerSections s = SectionSizes(d);
  EXPECT_EQ(t.bytes[C(DramClass::kCodes)], s.codes_bytes);
  EXPECT_EQ(t.bytes[C(DramClass::kAlphas)], (s.alpha_bytes + 7) / 8 * 8);
  EXPECT_EQ(t.bytes[C(DramClass::kBiases)], (s.bias_bytes + 7) / 8 * 8);
}

TEST(Dataflow, TilingReReadsHaloRows) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 10 * 16 * 4;  // 10 input rows of 16x4
  const LayerDesc d = Conv({16, 16, 4}, 4, 3, 1, 1, false);
  const LayerTraffic t = LayerDram(d, cfg);
  EXPECT_EQ(t.band_rows, 8);  // (8-1)*1 + 3 = 10 rows
  EXPECT_EQ(t.bands, 2);
  // Band 0: output rows 0..7 read input rows 0..8 (pad row clipped); band 1: rows 7..15.
  EXPECT_EQ(t.bytes[C(DramClass::kActIn)], (9 + 9) * 16 * 4);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 16 * 16 * 4);
}

TEST(Dataflow, PoolingBandsAreEven) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 6 * 10 * 1;  // 6 rows: 3x3 stride 1 gives 4 output rows
  const LayerDesc d = Conv({10, 10, 1}, 2, 3, 1, 0, true);
  const LayerTraffic t = LayerDram(d, cfg);
  EXPECT_EQ(t.band_rows, 4);  // 8 conv rows in two bands of 4; each writes 2 pooled rows
  EXPECT_EQ(t.bands, 2);
  EXPECT_EQ(t.bytes[C(DramClass::kActOut)], 2 * ((2 * 4 * 2 + 7) / 8 * 8));
}

TEST(Dataflow, WeightsReReadPerBandWhenTooLarge) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 5 * 8 * 64;
  cfg.weight_buffer_bytes = 64;
  const LayerDesc d = Conv({8, 8, 64}, 16, 3, 1, 1, false);
  const LayerTraffic t = LayerDram(d, cfg);
  ASSERT_GT(t.bands, 1);
  EXPECT_EQ(t.bytes[C(DramClass::kCodes)], SectionSizes(d).codes_bytes * t.bands);
}

TEST(Dataflow, BufferTooSmallIsAClearError) {
  ArrayConfig cfg;
  cfg.act_buffer_bytes = 16;
  const LayerDesc d = Conv({8, 8, 64}, 16, 3, 1, 1, false);
  try {
    LayerDram(d, cfg);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("act_buffer_bytes"), std::string::npos);
  }
}

TEST(Dataflow, ConfigValidateNamesField) {
  ArrayConfig cfg;
  cfg.beat_bytes = 6;
  EXPECT_THROW(cfg.Validate(), ConfigError);
  cfg = {};
  cfg.weight_buffer_bytes = 0;
  try {
    cfg.Validate();
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("weight_buffer_bytes"), std::string::npos);
  }
}

}  // namespace
}  // namespace qsa::cmodel
