// Tests of the ONNX importer (docs/spec.md §6, "Accepted ONNX graphs"): small ModelProtos are
// built in memory, serialized and imported with ImportOnnxBytes.

#include "qsa/encoder/onnx_import.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "qsa/cmodel/error.h"
#include "qsa/cmodel/float_model.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <onnx/onnx_pb.h>
#pragma GCC diagnostic pop

namespace qsa::encoder {
namespace {

using cmodel::FloatModel;
using cmodel::LayerKind;
using cmodel::Shape;

constexpr char kOrigin[] = "test.onnx";

/// 0, 1, 2, ...: a weight's value is its index in ONNX order, so permutations can be checked.
std::vector<float> Iota(int64_t n, float start = 0.0f) {
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return v;
}

void SetInts(onnx::NodeProto* node, const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void SetInt(onnx::NodeProto* node, const std::string& name, int64_t v) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void SetFloat(onnx::NodeProto* node, const std::string& name, float v) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void FillFloats(onnx::TensorProto* t, const std::vector<int64_t>& dims,
                const std::vector<float>& data, bool raw) {
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  if (raw) {
    std::string bytes;
    for (float f : data) {
      const uint32_t bits = std::bit_cast<uint32_t>(f);
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
    }
    t->set_raw_data(bytes);
  } else {
    for (float f : data) t->add_float_data(f);
  }
}

void FillInt64s(onnx::TensorProto* t, const std::vector<int64_t>& dims,
                const std::vector<int64_t>& data, bool raw) {
  t->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t->add_dims(d);
  if (raw) {
    std::string bytes;
    for (int64_t v : data) {
      const auto bits = static_cast<uint64_t>(v);
      for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
    }
    t->set_raw_data(bytes);
  } else {
    for (int64_t v : data) t->add_int64_data(v);
  }
}

/// Builds a chain graph: each op consumes the current tensor and produces the next one.
class OnnxBuilder {
 public:
  /// Input dims [N, C, H, W]; N < 0 makes the batch symbolic.
  explicit OnnxBuilder(std::vector<int64_t> dims, std::string input = "input") : cur_(input) {
    model_.set_ir_version(8);
    model_.add_opset_import()->set_version(13);
    graph_ = model_.mutable_graph();
    graph_->set_name("test_net");
    onnx::ValueInfoProto* in = graph_->add_input();
    in->set_name(input);
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) {
      auto* dim = tt->mutable_shape()->add_dim();
      if (d < 0) {
        dim->set_dim_param("batch");
      } else {
        dim->set_dim_value(d);
      }
    }
  }

  onnx::GraphProto* graph() { return graph_; }
  const std::string& cur() const { return cur_; }
  void set_cur(const std::string& name) { cur_ = name; }

  /// Adds a float initializer.
  std::string Init(const std::string& name, const std::vector<int64_t>& dims,
                   const std::vector<float>& data, bool raw = false) {
    FillFloats(graph_->add_initializer(), dims, data, raw);
    graph_->mutable_initializer(graph_->initializer_size() - 1)->set_name(name);
    return name;
  }
  std::string InitInt64(const std::string& name, const std::vector<int64_t>& dims,
                        const std::vector<int64_t>& data, bool raw = false) {
    FillInt64s(graph_->add_initializer(), dims, data, raw);
    graph_->mutable_initializer(graph_->initializer_size() - 1)->set_name(name);
    return name;
  }

  /// Adds `op` consuming the current tensor (then `extra` inputs); its output becomes current.
  onnx::NodeProto* Op(const std::string& op, const std::string& name,
                      const std::vector<std::string>& extra = {}) {
    onnx::NodeProto* n = graph_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    n->add_input(cur_);
    for (const std::string& e : extra) n->add_input(e);
    cur_ = name + "_out";
    n->add_output(cur_);
    return n;
  }

  /// Conv with weights Iota(K*C*R*S, start) and bias 100 + o.
  onnx::NodeProto* Conv(const std::string& name, int64_t k, int64_t c, int64_t r, int64_t s,
                        bool raw = false, float start = 0.0f) {
    const std::string w = Init(name + ".W", {k, c, r, s}, Iota(k * c * r * s, start), raw);
    const std::string b = Init(name + ".B", {k}, Iota(k, 100.0f), raw);
    onnx::NodeProto* n = Op("Conv", name, {w, b});
    SetInts(n, "kernel_shape", {r, s});
    return n;
  }

  /// Gemm out x in (transB = 1: weight [out, in]; else [in, out]); weights Iota, bias 200 + o.
  onnx::NodeProto* Gemm(const std::string& name, int64_t out, int64_t in, int64_t trans_b = 1,
                        bool raw = false) {
    const std::vector<int64_t> dims =
        trans_b ? std::vector<int64_t>{out, in} : std::vector<int64_t>{in, out};
    const std::string w = Init(name + ".W", dims, Iota(out * in), raw);
    const std::string b = Init(name + ".B", {out}, Iota(out, 200.0f), raw);
    onnx::NodeProto* n = Op("Gemm", name, {w, b});
    SetFloat(n, "alpha", 1.0f);
    SetFloat(n, "beta", 1.0f);
    SetInt(n, "transB", trans_b);
    return n;
  }

  onnx::NodeProto* MaxPool(const std::string& name, int64_t k = 2, int64_t s = 2) {
    onnx::NodeProto* n = Op("MaxPool", name);
    SetInts(n, "kernel_shape", {k, k});
    SetInts(n, "strides", {s, s});
    SetInts(n, "pads", {0, 0, 0, 0});
    return n;
  }

  /// Marks the current tensor as the graph output and serializes.
  std::string Bytes() {
    graph_->add_output()->set_name(cur_);
    std::string bytes;
    model_.SerializeToString(&bytes);
    return bytes;
  }

 private:
  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
  std::string cur_;
};

/// The reference chain: input 8x8x2; Conv 3 filters 3x3, stride 2, pads [1, 0, 1, 1] → 4x4x3;
/// MaxPool → 2x2x3; Relu; Flatten → 12; Gemm 12→5 + Relu; Gemm 5→4.
OnnxBuilder ReferenceChain(bool raw) {
  OnnxBuilder b({1, 2, 8, 8});
  onnx::NodeProto* conv = b.Conv("conv1", 3, 2, 3, 3, raw);
  SetInts(conv, "strides", {2, 2});
  SetInts(conv, "pads", {1, 0, 1, 1});
  SetInts(conv, "dilations", {1, 1});
  SetInt(conv, "group", 1);
  b.MaxPool("pool1");
  b.Op("Relu", "relu1");
  SetInt(b.Op("Flatten", "flatten"), "axis", 1);
  b.Gemm("fc1", 5, 12, 1, raw);
  b.Op("Relu", "relu2");
  b.Gemm("fc2", 4, 5, 1, raw);
  return b;
}

/// Runs the importer and returns the FormatError message ("" if none was thrown).
std::string ImportError(const std::string& bytes) {
  try {
    ImportOnnxBytes(bytes, kOrigin);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(OnnxImport, ReferenceChainLayersShapesAndFlags) {
  const FloatModel m = ImportOnnxBytes(ReferenceChain(false).Bytes(), kOrigin);
  EXPECT_EQ(m.name, "test_net");
  EXPECT_EQ(m.input, (Shape{8, 8, 2}));
  ASSERT_EQ(m.layers.size(), 3u);

  const auto& conv = m.layers[0];
  EXPECT_EQ(conv.name, "conv1");
  EXPECT_EQ(conv.kind, LayerKind::kConv);
  EXPECT_EQ(conv.in, (Shape{8, 8, 2}));
  EXPECT_EQ(conv.out_c, 3);
  EXPECT_EQ(conv.kernel_h, 3);
  EXPECT_EQ(conv.kernel_w, 3);
  EXPECT_EQ(conv.stride, 2);
  EXPECT_EQ(conv.pad_top, 1);
  EXPECT_EQ(conv.pad_left, 0);
  EXPECT_EQ(conv.pad_bottom, 1);
  EXPECT_EQ(conv.pad_right, 1);
  EXPECT_TRUE(conv.relu);
  EXPECT_TRUE(conv.pool);
  EXPECT_EQ(conv.weights.size(), 3u * 3 * 3 * 2);
  EXPECT_EQ(conv.bias, (std::vector<float>{100, 101, 102}));

  const auto& fc1 = m.layers[1];
  EXPECT_EQ(fc1.name, "fc1");
  EXPECT_EQ(fc1.kind, LayerKind::kFc);
  EXPECT_EQ(fc1.in, (Shape{1, 1, 12}));  // 2x2x3 after the pool
  EXPECT_EQ(fc1.out_c, 5);
  EXPECT_EQ(fc1.kernel_h, 1);
  EXPECT_EQ(fc1.kernel_w, 1);
  EXPECT_EQ(fc1.stride, 1);
  EXPECT_TRUE(fc1.relu);
  EXPECT_FALSE(fc1.pool);
  EXPECT_EQ(fc1.weights.size(), 60u);
  EXPECT_EQ(fc1.bias, (std::vector<float>{200, 201, 202, 203, 204}));

  const auto& fc2 = m.layers[2];
  EXPECT_EQ(fc2.kind, LayerKind::kFc);
  EXPECT_EQ(fc2.in, (Shape{1, 1, 5}));
  EXPECT_EQ(fc2.out_c, 4);
  EXPECT_FALSE(fc2.relu);
  EXPECT_FALSE(fc2.pool);
  // After a Gemm the flattening is trivial: weights keep their [o][i] order.
  EXPECT_EQ(fc2.weights, Iota(20));
}

TEST(OnnxImport, ConvWeightsArePermutedToOrsc) {
  const FloatModel m = ImportOnnxBytes(ReferenceChain(false).Bytes(), kOrigin);
  const auto& w = m.layers[0].weights;
  constexpr int kK = 3, kC = 2, kR = 3, kS = 3;
  // Specific elements: ONNX W[o][c][r][s] has value ((o*C + c)*R + r)*S + s.
  // W[0][1][0][0] = 9 lands at ours[0][0][0][1] = index 1.
  EXPECT_EQ(w[1], 9.0f);
  // W[2][1][2][1] = ((2*2+1)*3+2)*3+1 = 52 lands at ((2*3+2)*3+1)*2+1 = 51.
  EXPECT_EQ(w[51], 52.0f);
  // W[1][0][1][2] = ((1*2+0)*3+1)*3+2 = 23 lands at ((1*3+1)*3+2)*2+0 = 28.
  EXPECT_EQ(w[28], 23.0f);
  for (int o = 0; o < kK; ++o) {
    for (int c = 0; c < kC; ++c) {
      for (int r = 0; r < kR; ++r) {
        for (int s = 0; s < kS; ++s) {
          EXPECT_EQ(w[static_cast<size_t>(((o * kR + r) * kS + s) * kC + c)],
                    static_cast<float>(((o * kC + c) * kR + r) * kS + s))
              << o << c << r << s;
        }
      }
    }
  }
}

TEST(OnnxImport, FcAfterConvIsPermutedFromChwToHwc) {
  const FloatModel m = ImportOnnxBytes(ReferenceChain(false).Bytes(), kOrigin);
  const auto& w = m.layers[1].weights;  // 5 x 12, input 2x2x3 (H, W, C)
  constexpr int kH = 2, kW = 2, kC = 3, kIn = 12;
  // ONNX input index c*H*W + y*W + x; ours (y*W + x)*C + c. B[o][i] has value o*12 + i.
  // o=1, c=2, y=1, x=0: ONNX 12 + 8 + 2 = 22 → ours 12 + 2*3 + 2 = 20.
  EXPECT_EQ(w[20], 22.0f);
  // o=0, c=1, y=0, x=1: ONNX 4 + 1 = 5 → ours (1)*3 + 1 = 4.
  EXPECT_EQ(w[4], 5.0f);
  // o=4, c=0, y=1, x=1: ONNX 48 + 3 = 51 → ours 48 + 3*3 = 57.
  EXPECT_EQ(w[57], 51.0f);
  for (int o = 0; o < 5; ++o) {
    for (int c = 0; c < kC; ++c) {
      for (int y = 0; y < kH; ++y) {
        for (int x = 0; x < kW; ++x) {
          EXPECT_EQ(w[static_cast<size_t>(o * kIn + (y * kW + x) * kC + c)],
                    static_cast<float>(o * kIn + (c * kH + y) * kW + x));
        }
      }
    }
  }
}

TEST(OnnxImport, RawDataEqualsFloatData) {
  const FloatModel a = ImportOnnxBytes(ReferenceChain(false).Bytes(), kOrigin);
  const FloatModel b = ImportOnnxBytes(ReferenceChain(true).Bytes(), kOrigin);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].weights, b.layers[i].weights) << i;
    EXPECT_EQ(a.layers[i].bias, b.layers[i].bias) << i;
  }
}

TEST(OnnxImport, RawDataKeepsExactBits) {
  OnnxBuilder b({1, 1, 4, 4});
  const std::vector<float> w = {-0.0f, 1.5e-38f, -3.25f, 1e30f};
  const std::string wn = b.Init("w", {1, 1, 2, 2}, w, /*raw=*/true);
  b.Op("Conv", "c", {wn});
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers[0].weights.size(), 4u);
  for (size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint32_t>(m.layers[0].weights[i]), std::bit_cast<uint32_t>(w[i]));
  }
  EXPECT_EQ(m.layers[0].bias, (std::vector<float>{0.0f}));  // no bias input: zeros
}

TEST(OnnxImport, GemmTransBZero) {
  OnnxBuilder b({1, 1, 2, 3});
  b.Op("Flatten", "flat");
  b.Gemm("fc", 4, 6, /*trans_b=*/0);
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers.size(), 1u);
  const auto& fc = m.layers[0];
  EXPECT_EQ(fc.kind, LayerKind::kFc);
  EXPECT_EQ(fc.in, (Shape{1, 1, 6}));
  EXPECT_EQ(fc.out_c, 4);
  // B is [in=6][out=4] with value i*4 + o; ours [o][i]. C = 1, so CHW and HWC agree.
  for (int o = 0; o < 4; ++o) {
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(fc.weights[static_cast<size_t>(o * 6 + i)], static_cast<float>(i * 4 + o));
    }
  }
  EXPECT_EQ(fc.bias, (std::vector<float>{200, 201, 202, 203}));
}

TEST(OnnxImport, GemmOnFlattenedInputIsPermuted) {
  // A Gemm directly on the (flattened) network input takes the same CHW → HWC permutation.
  OnnxBuilder b({1, 3, 2, 2});
  b.Op("Flatten", "flat");
  b.Gemm("fc", 2, 12);
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].in, (Shape{1, 1, 12}));
  // o=1, c=2, y=1, x=0: ONNX 12 + 10 = 22 → ours 12 + 8 = 20.
  EXPECT_EQ(m.layers[0].weights[20], 22.0f);
}

TEST(OnnxImport, MatMulPlusAddIsAGemm) {
  OnnxBuilder b({-1, 2, 2, 2});  // symbolic batch
  b.Op("Flatten", "flat");
  const std::string w = b.Init("W", {8, 3}, Iota(24));
  const std::string bias = b.Init("bias", {1, 3}, {7.0f, 8.0f, 9.0f});
  b.Op("MatMul", "mm", {w});
  // The constant may come first.
  onnx::NodeProto* add = b.Op("Add", "add");
  add->clear_input();
  add->add_input(bias);
  add->add_input("mm_out");
  b.Op("Relu", "relu");
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers.size(), 1u);
  const auto& fc = m.layers[0];
  EXPECT_EQ(fc.name, "mm");
  EXPECT_EQ(fc.kind, LayerKind::kFc);
  EXPECT_EQ(fc.in, (Shape{1, 1, 8}));
  EXPECT_EQ(fc.out_c, 3);
  EXPECT_TRUE(fc.relu);
  EXPECT_EQ(fc.bias, (std::vector<float>{7, 8, 9}));
  // W[i][o] = i*3 + o, ONNX i = c*4 + y*2 + x, ours (y*2 + x)*2 + c.
  // o=2, c=1, y=0, x=1: ONNX i = 5 (value 17) → ours 1*2 + 1 = 3.
  EXPECT_EQ(fc.weights[2 * 8 + 3], 17.0f);
}

TEST(OnnxImport, ReshapeViaConstantNode) {
  OnnxBuilder b({1, 2, 4, 4});
  b.Conv("conv", 4, 2, 3, 3);  // 2x2x4
  onnx::NodeProto* cst = b.graph()->add_node();
  cst->set_op_type("Constant");
  cst->set_name("shape_const");
  cst->add_output("shape");
  onnx::AttributeProto* a = cst->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  FillInt64s(a->mutable_t(), {2}, {1, -1}, /*raw=*/true);
  b.Op("Reshape", "reshape", {"shape"});
  b.Gemm("fc", 3, 16);
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[1].kind, LayerKind::kFc);
  EXPECT_EQ(m.layers[1].in, (Shape{1, 1, 16}));
  // o=0, c=3, y=0, x=1: ONNX 12 + 1 = 13 → ours 1*4 + 3 = 7.
  EXPECT_EQ(m.layers[1].weights[7], 13.0f);
}

TEST(OnnxImport, ReshapeViaInitializerIdentityAndDropoutAreSkipped) {
  OnnxBuilder b({1, 1, 4, 4});
  b.Conv("conv", 2, 1, 3, 3);  // 2x2x2
  b.Op("Identity", "id");
  b.Op("Reshape", "reshape", {b.InitInt64("shape", {2}, {0, 8})});
  b.Op("Dropout", "drop");
  b.Gemm("fc", 3, 8);
  const FloatModel m = ImportOnnxBytes(b.Bytes(), kOrigin);
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[1].in, (Shape{1, 1, 8}));
}

TEST(OnnxImport, UnsupportedOpNamesNodeAndOp) {
  OnnxBuilder b({1, 1, 4, 4});
  b.Conv("conv", 2, 1, 3, 3);
  b.Op("Softmax", "prob");
  EXPECT_EQ(ImportError(b.Bytes()), "test.onnx: node 'prob' (#1): unsupported op 'Softmax'");
}

TEST(OnnxImport, RejectsGroupNotOne) {
  OnnxBuilder b({1, 2, 4, 4});
  SetInt(b.Conv("conv", 2, 1, 3, 3), "group", 2);
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("'group'"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsDilationNotOne) {
  OnnxBuilder b({1, 1, 8, 8});
  SetInts(b.Conv("conv", 2, 1, 3, 3), "dilations", {2, 2});
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("'dilations'"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsMaxPool3x3) {
  OnnxBuilder b({1, 1, 8, 8});
  b.Conv("conv", 2, 1, 3, 3);
  b.MaxPool("pool", 3, 2);
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'pool' (#1)"), std::string::npos) << e;
  EXPECT_NE(e.find("'kernel_shape'"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsUnequalStrides) {
  OnnxBuilder b({1, 1, 8, 8});
  SetInts(b.Conv("conv", 2, 1, 3, 3), "strides", {1, 2});
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("'strides'"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsUnknownAttribute) {
  OnnxBuilder b({1, 1, 8, 8});
  SetInt(b.Conv("conv", 2, 1, 3, 3), "frobnicate", 1);
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("'frobnicate'"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsNonChainGraph) {
  // conv1's output feeds two Relu nodes.
  OnnxBuilder b({1, 1, 8, 8});
  b.Conv("conv", 2, 1, 3, 3);
  const std::string branch = b.cur();
  b.Op("Relu", "relu_a");
  b.set_cur(branch);
  b.Op("Relu", "relu_b");
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("feeds 2 nodes"), std::string::npos) << e;
  EXPECT_NE(e.find("chain"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsAddOfTwoActivations) {
  OnnxBuilder b({1, 1, 8, 8});
  b.Conv("conv", 2, 1, 3, 3);
  const std::string skip = b.cur();
  b.Op("Relu", "relu");
  b.Op("Add", "residual", {skip});
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'residual' (#2)"), std::string::npos) << e;
  EXPECT_NE(e.find("chain"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsConvChannelMismatch) {
  OnnxBuilder b({1, 3, 8, 8});
  b.Conv("conv", 4, 2, 3, 3);  // weight expects 2 channels, input has 3
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("expects 2 input channels"), std::string::npos) << e;
  EXPECT_NE(e.find("8x8x3"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsGemmInFeaturesMismatch) {
  OnnxBuilder b({1, 1, 8, 8});
  b.Conv("conv", 2, 1, 3, 3);  // 6x6x2 = 72
  b.Op("Flatten", "flat");
  b.Gemm("fc", 10, 70);
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'fc' (#2)"), std::string::npos) << e;
  EXPECT_NE(e.find("in-features 70"), std::string::npos) << e;
  EXPECT_NE(e.find("6x6x2"), std::string::npos) << e;
  EXPECT_NE(e.find("= 72"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsGarbageBytes) {
  const std::string e = ImportError("this is not an ONNX file");
  EXPECT_NE(e.find("test.onnx: not an ONNX model"), std::string::npos) << e;
  EXPECT_NE(ImportError("").find("not an ONNX model"), std::string::npos);
}

TEST(OnnxImport, RejectsMissingInitializer) {
  OnnxBuilder b({1, 1, 8, 8});
  b.Op("Conv", "conv", {"conv.W"});  // never defined
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("node 'conv' (#0)"), std::string::npos) << e;
  EXPECT_NE(e.find("'conv.W' is not defined"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsExternalData) {
  OnnxBuilder b({1, 1, 8, 8});
  b.Conv("conv", 2, 1, 3, 3);
  onnx::TensorProto* w = b.graph()->mutable_initializer(0);
  w->clear_float_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* entry = w->add_external_data();
  entry->set_key("location");
  entry->set_value("weights.bin");
  const std::string e = ImportError(b.Bytes());
  EXPECT_NE(e.find("external data"), std::string::npos) << e;
}

TEST(OnnxImport, RejectsPoolOrReluWithoutLayerAndDoublePool) {
  {
    OnnxBuilder b({1, 1, 8, 8});
    b.Op("Relu", "relu");
    b.Conv("conv", 2, 1, 3, 3);
    EXPECT_NE(ImportError(b.Bytes()).find("no preceding"), std::string::npos);
  }
  {
    OnnxBuilder b({1, 1, 8, 8});
    b.MaxPool("pool");
    b.Conv("conv", 2, 1, 3, 3);
    EXPECT_NE(ImportError(b.Bytes()).find("no preceding"), std::string::npos);
  }
  {
    OnnxBuilder b({1, 1, 16, 16});
    b.Conv("conv", 2, 1, 3, 3);
    b.MaxPool("pool1");
    b.Op("Relu", "relu");
    b.MaxPool("pool2");
    const std::string e = ImportError(b.Bytes());
    EXPECT_NE(e.find("node 'pool2' (#3)"), std::string::npos) << e;
    EXPECT_NE(e.find("already has a MaxPool"), std::string::npos) << e;
  }
}

TEST(OnnxImport, RejectsBadInputShapes) {
  {
    OnnxBuilder b({1, 28, 28});  // 3-D
    b.Conv("conv", 2, 1, 3, 3);
    EXPECT_NE(ImportError(b.Bytes()).find("expected 4"), std::string::npos);
  }
  {
    OnnxBuilder b({4, 1, 8, 8});  // batch 4
    b.Conv("conv", 2, 1, 3, 3);
    EXPECT_NE(ImportError(b.Bytes()).find("batch size 4"), std::string::npos);
  }
  {
    OnnxBuilder b({1, 1, -1, 8});  // symbolic height
    b.Conv("conv", 2, 1, 3, 3);
    EXPECT_NE(ImportError(b.Bytes()).find("(H) is unknown"), std::string::npos);
  }
}

TEST(OnnxImport, RejectsGemmWithoutFlattenAndBadReshape) {
  {
    OnnxBuilder b({1, 1, 4, 4});
    b.Gemm("fc", 3, 16);
    EXPECT_NE(ImportError(b.Bytes()).find("insert Flatten"), std::string::npos);
  }
  {
    OnnxBuilder b({1, 2, 4, 4});
    b.Op("Reshape", "reshape", {b.InitInt64("shape", {2}, {2, -1})});
    b.Gemm("fc", 3, 16);
    EXPECT_NE(ImportError(b.Bytes()).find("Reshape to [2, -1] is not supported"),
              std::string::npos);
  }
}

TEST(OnnxImport, NameFallsBackToFileStem) {
  OnnxBuilder b({1, 1, 4, 4});
  b.graph()->set_name("main_graph");  // torch's default
  b.Conv("conv", 2, 1, 3, 3);
  EXPECT_EQ(ImportOnnxBytes(b.Bytes(), "some/dir/mynet.onnx").name, "mynet");
}

TEST(OnnxImport, MissingFileThrows) {
  EXPECT_THROW(ImportOnnx("/nonexistent/dir/model.onnx"), qsa::Error);
}

TEST(OnnxImport, LeNet5FromModelsDirectory) {
  const std::filesystem::path path = std::filesystem::path(QSA_SOURCE_DIR) / "models/lenet5.onnx";
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " is missing (train it with models/train.py lenet5)";
  const FloatModel m = ImportOnnx(path.string());
  EXPECT_EQ(m.input, (Shape{28, 28, 1}));
  ASSERT_EQ(m.layers.size(), 5u);
  const auto& l = m.layers;

  EXPECT_EQ(l[0].kind, LayerKind::kConv);
  EXPECT_EQ(l[0].in, (Shape{28, 28, 1}));
  EXPECT_EQ(l[0].out_c, 6);
  EXPECT_EQ(l[0].kernel_h, 5);
  EXPECT_EQ(l[0].kernel_w, 5);
  EXPECT_EQ(l[0].stride, 1);
  EXPECT_EQ(l[0].pad_top, 2);
  EXPECT_EQ(l[0].pad_left, 2);
  EXPECT_EQ(l[0].pad_bottom, 2);
  EXPECT_EQ(l[0].pad_right, 2);
  EXPECT_TRUE(l[0].relu);
  EXPECT_TRUE(l[0].pool);
  EXPECT_EQ(l[0].weights.size(), 6u * 5 * 5 * 1);

  EXPECT_EQ(l[1].kind, LayerKind::kConv);
  EXPECT_EQ(l[1].in, (Shape{14, 14, 6}));
  EXPECT_EQ(l[1].out_c, 16);
  EXPECT_EQ(l[1].kernel_h, 5);
  EXPECT_EQ(l[1].kernel_w, 5);
  EXPECT_EQ(l[1].pad_top + l[1].pad_left + l[1].pad_bottom + l[1].pad_right, 0);
  EXPECT_TRUE(l[1].relu);
  EXPECT_TRUE(l[1].pool);
  EXPECT_EQ(l[1].weights.size(), 16u * 5 * 5 * 6);

  const int fc_in[3] = {400, 120, 84};
  const int fc_out[3] = {120, 84, 10};
  for (int i = 0; i < 3; ++i) {
    const auto& fc = l[static_cast<size_t>(i + 2)];
    EXPECT_EQ(fc.kind, LayerKind::kFc) << i;
    EXPECT_EQ(fc.in, (Shape{1, 1, fc_in[i]})) << i;
    EXPECT_EQ(fc.out_c, fc_out[i]) << i;
    EXPECT_EQ(fc.kernel_h, 1) << i;
    EXPECT_EQ(fc.relu, i < 2) << i;
    EXPECT_FALSE(fc.pool) << i;
    EXPECT_EQ(fc.weights.size(), static_cast<size_t>(fc_in[i] * fc_out[i])) << i;
    EXPECT_EQ(fc.bias.size(), static_cast<size_t>(fc_out[i])) << i;
  }
}

}  // namespace
}  // namespace qsa::encoder
