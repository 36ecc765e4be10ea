// ONNX import (docs/spec.md §6, "Accepted ONNX graphs"): a chain of Conv / Gemm / MatMul+Add
// layers with Relu and MaxPool folded in, converted to a FloatModel in HWC / [o][r][s][c] order.

#include "qsa/encoder/onnx_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qsa/cmodel/error.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <onnx/onnx_pb.h>
#pragma GCC diagnostic pop

namespace qsa::encoder {
namespace {

using cmodel::FloatLayer;
using cmodel::FloatModel;
using cmodel::LayerKind;
using cmodel::Shape;

// Largest tensor we accept (elements); keeps every index computation inside int.
constexpr int64_t kMaxElements = int64_t{1} << 30;

// Graph names that exporters write by default; the file stem is a better model name.
bool IsGenericGraphName(const std::string& name) {
  return name.empty() || name == "main_graph" || name == "torch_jit" || name == "torch-jit-export";
}

std::string DimsString(const std::vector<int64_t>& dims) {
  return fmt::format("[{}]", fmt::join(dims, ", "));
}

std::string ShapeString(const Shape& s) { return fmt::format("{}x{}x{}", s.h, s.w, s.c); }

/// A constant tensor (initializer or Constant node output) decoded to host values.
struct ConstTensor {
  std::string name;
  std::vector<int64_t> dims;
  int32_t data_type = 0;
  const onnx::TensorProto* proto = nullptr;
};

class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string origin)
      : graph_(model.graph()), origin_(std::move(origin)) {}

  FloatModel Run();

 private:
  // Operations along the chain, as far as folding is concerned.
  enum class Last { kNone, kMatMul, kOther };

  [[noreturn]] void Fail(const std::string& what) const {
    throw FormatError(fmt::format("{}: {}", origin_, what));
  }
  [[noreturn]] void NodeFail(int index, const std::string& what) const {
    const onnx::NodeProto& n = graph_.node(index);
    throw FormatError(fmt::format("{}: node '{}' (#{}): {}", origin_, n.name(), index, what));
  }

  // Graph preparation.
  void CollectConstants();
  void AddConstantNode(int index);
  void CheckNodes();
  std::string DataInput(int index) const;
  void ReadInput();

  // Constants.
  const ConstTensor* FindConst(const std::string& name) const {
    auto it = consts_.find(name);
    return it == consts_.end() ? nullptr : &it->second;
  }
  const ConstTensor& ConstInput(int index, int slot) const;
  int64_t Elements(const ConstTensor& t, int index) const;
  std::vector<float> Floats(const ConstTensor& t, int index) const;
  std::vector<int64_t> Ints(const ConstTensor& t, int index) const;

  // Attributes.
  void CheckAttributeNames(int index, std::initializer_list<std::string_view> allowed) const;
  const onnx::AttributeProto* Attr(int index, std::string_view name) const;
  int64_t IntAttr(int index, std::string_view name, int64_t def) const;
  float FloatAttr(int index, std::string_view name, float def) const;
  std::optional<std::vector<int64_t>> IntsAttr(int index, std::string_view name) const;
  std::string StringAttr(int index, std::string_view name, const std::string& def) const;

  // Ops.
  void Process(int index);
  void Conv(int index);
  void Gemm(int index);
  void MatMul(int index);
  void Add(int index, Last prev);
  void Relu(int index);
  void MaxPool(int index);
  void Flatten(int index);
  void Reshape(int index);

  std::string LayerName(int index) const {
    const std::string& n = graph_.node(index).name();
    return n.empty() ? fmt::format("layer{}", model_.layers.size()) : n;
  }
  int ToInt(int index, int64_t v, const std::string& what) const {
    if (v < 0 || v > std::numeric_limits<int>::max()) {
      NodeFail(index, fmt::format("{} = {} is out of range", what, v));
    }
    return static_cast<int>(v);
  }
  // Stores an FC weight matrix given as wt(o, i) with i in ONNX's CHW flattening of flat_from_.
  template <typename WeightAt>
  void AddFcLayer(int index, int out, WeightAt wt);

  const onnx::GraphProto& graph_;
  std::string origin_;
  std::map<std::string, ConstTensor> consts_;
  std::deque<onnx::TensorProto> owned_;  // tensors made from Constant value_* attributes
  std::set<std::string> produced_;       // outputs of non-Constant nodes
  std::string input_name_;
  std::vector<std::string> data_input_;  // per node; empty for Constant nodes

  FloatModel model_;
  Shape shape_;        // current activation: HWC, or the shape it was flattened from
  bool flat_ = false;  // current activation is 2-D [1, shape_.Elements()]
  Last last_ = Last::kNone;
};

// --------------------------------------------------------------------------- constants ----

void Importer::CollectConstants() {
  for (const onnx::TensorProto& t : graph_.initializer()) {
    if (t.name().empty()) Fail("an initializer has no name");
    if (consts_.count(t.name()) != 0) Fail(fmt::format("initializer '{}' defined twice", t.name()));
    consts_[t.name()] =
        ConstTensor{t.name(), {t.dims().begin(), t.dims().end()}, t.data_type(), &t};
  }
  for (int i = 0; i < graph_.node_size(); ++i) {
    if (graph_.node(i).op_type() == "Constant" && graph_.node(i).domain().empty()) {
      AddConstantNode(i);
    }
  }
}

void Importer::AddConstantNode(int index) {
  const onnx::NodeProto& n = graph_.node(index);
  if (n.output_size() != 1 || n.output(0).empty()) NodeFail(index, "Constant needs one output");
  if (n.attribute_size() != 1) {
    NodeFail(index, "Constant needs exactly one value attribute");
  }
  const onnx::AttributeProto& a = n.attribute(0);
  const onnx::TensorProto* t = nullptr;
  if (a.name() == "value") {
    if (!a.has_t()) NodeFail(index, "Constant attribute 'value' holds no tensor");
    t = &a.t();
  } else if (a.name() == "value_ints" || a.name() == "value_int") {
    onnx::TensorProto& o = owned_.emplace_back();
    o.set_data_type(onnx::TensorProto::INT64);
    if (a.name() == "value_ints") {
      o.add_dims(a.ints_size());
      for (int64_t v : a.ints()) o.add_int64_data(v);
    } else {
      o.add_int64_data(a.i());
    }
    t = &o;
  } else if (a.name() == "value_floats" || a.name() == "value_float") {
    onnx::TensorProto& o = owned_.emplace_back();
    o.set_data_type(onnx::TensorProto::FLOAT);
    if (a.name() == "value_floats") {
      o.add_dims(a.floats_size());
      for (float v : a.floats()) o.add_float_data(v);
    } else {
      o.add_float_data(a.f());
    }
    t = &o;
  } else {
    NodeFail(index, fmt::format("unsupported Constant attribute '{}'", a.name()));
  }
  const std::string& name = n.output(0);
  if (consts_.count(name) != 0) NodeFail(index, fmt::format("tensor '{}' defined twice", name));
  consts_[name] = ConstTensor{name, {t->dims().begin(), t->dims().end()}, t->data_type(), t};
}

int64_t Importer::Elements(const ConstTensor& t, int index) const {
  const onnx::TensorProto& p = *t.proto;
  if (p.data_location() == onnx::TensorProto::EXTERNAL || p.external_data_size() > 0) {
    NodeFail(index, fmt::format("tensor '{}' uses external data, which is not supported (save "
                                "the model with its weights embedded)",
                                t.name));
  }
  if (p.has_segment()) NodeFail(index, fmt::format("tensor '{}' is segmented", t.name));
  int64_t n = 1;
  for (int64_t d : t.dims) {
    if (d < 0) NodeFail(index, fmt::format("tensor '{}' has a negative dimension", t.name));
    if (d != 0 && n > kMaxElements / d) {
      NodeFail(index, fmt::format("tensor '{}' {} is too large", t.name, DimsString(t.dims)));
    }
    n *= d;
  }
  return n;
}

std::vector<float> Importer::Floats(const ConstTensor& t, int index) const {
  const int64_t n = Elements(t, index);
  if (t.data_type != onnx::TensorProto::FLOAT) {
    NodeFail(index,
             fmt::format("tensor '{}' has data type {}; expected FLOAT (1)", t.name, t.data_type));
  }
  const onnx::TensorProto& p = *t.proto;
  std::vector<float> out;
  if (!p.raw_data().empty()) {
    const std::string& raw = p.raw_data();
    if (static_cast<int64_t>(raw.size()) != n * 4) {
      NodeFail(index, fmt::format("tensor '{}' {}: raw_data has {} bytes, expected {}", t.name,
                                  DimsString(t.dims), raw.size(), n * 4));
    }
    out.resize(static_cast<size_t>(n));
    for (size_t i = 0; i < out.size(); ++i) {
      uint32_t bits = 0;
      for (int b = 3; b >= 0; --b) {
        bits = (bits << 8) | static_cast<uint8_t>(raw[i * 4 + static_cast<size_t>(b)]);
      }
      out[i] = std::bit_cast<float>(bits);
    }
  } else {
    if (p.float_data_size() != n) {
      NodeFail(index, fmt::format("tensor '{}' {}: has {} values, expected {}", t.name,
                                  DimsString(t.dims), p.float_data_size(), n));
    }
    out.assign(p.float_data().begin(), p.float_data().end());
  }
  return out;
}

std::vector<int64_t> Importer::Ints(const ConstTensor& t, int index) const {
  const int64_t n = Elements(t, index);
  if (t.data_type != onnx::TensorProto::INT64) {
    NodeFail(index,
             fmt::format("tensor '{}' has data type {}; expected INT64 (7)", t.name, t.data_type));
  }
  const onnx::TensorProto& p = *t.proto;
  std::vector<int64_t> out;
  if (!p.raw_data().empty()) {
    const std::string& raw = p.raw_data();
    if (static_cast<int64_t>(raw.size()) != n * 8) {
      NodeFail(index, fmt::format("tensor '{}' {}: raw_data has {} bytes, expected {}", t.name,
                                  DimsString(t.dims), raw.size(), n * 8));
    }
    out.resize(static_cast<size_t>(n));
    for (size_t i = 0; i < out.size(); ++i) {
      uint64_t bits = 0;
      for (int b = 7; b >= 0; --b) {
        bits = (bits << 8) | static_cast<uint8_t>(raw[i * 8 + static_cast<size_t>(b)]);
      }
      out[i] = static_cast<int64_t>(bits);
    }
  } else {
    if (p.int64_data_size() != n) {
      NodeFail(index, fmt::format("tensor '{}' {}: has {} values, expected {}", t.name,
                                  DimsString(t.dims), p.int64_data_size(), n));
    }
    out.assign(p.int64_data().begin(), p.int64_data().end());
  }
  return out;
}

const ConstTensor& Importer::ConstInput(int index, int slot) const {
  const onnx::NodeProto& n = graph_.node(index);
  const ConstTensor* t = slot < n.input_size() ? FindConst(n.input(slot)) : nullptr;
  if (t == nullptr) {
    NodeFail(index,
             fmt::format("{} input #{} must be an initializer or a Constant", n.op_type(), slot));
  }
  return *t;
}

// --------------------------------------------------------------------------- attributes ----

void Importer::CheckAttributeNames(int index,
                                   std::initializer_list<std::string_view> allowed) const {
  const onnx::NodeProto& n = graph_.node(index);
  for (const onnx::AttributeProto& a : n.attribute()) {
    if (std::find(allowed.begin(), allowed.end(), a.name()) == allowed.end()) {
      NodeFail(index, fmt::format("{} attribute '{}' is not supported", n.op_type(), a.name()));
    }
  }
}

const onnx::AttributeProto* Importer::Attr(int index, std::string_view name) const {
  for (const onnx::AttributeProto& a : graph_.node(index).attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t Importer::IntAttr(int index, std::string_view name, int64_t def) const {
  const onnx::AttributeProto* a = Attr(index, name);
  if (a == nullptr) return def;
  if (a->type() != onnx::AttributeProto::INT && a->type() != onnx::AttributeProto::UNDEFINED) {
    NodeFail(index, fmt::format("attribute '{}' must be an integer", name));
  }
  return a->i();
}

float Importer::FloatAttr(int index, std::string_view name, float def) const {
  const onnx::AttributeProto* a = Attr(index, name);
  if (a == nullptr) return def;
  if (a->type() != onnx::AttributeProto::FLOAT && a->type() != onnx::AttributeProto::UNDEFINED) {
    NodeFail(index, fmt::format("attribute '{}' must be a float", name));
  }
  return a->f();
}

std::optional<std::vector<int64_t>> Importer::IntsAttr(int index, std::string_view name) const {
  const onnx::AttributeProto* a = Attr(index, name);
  if (a == nullptr) return std::nullopt;
  if (a->type() != onnx::AttributeProto::INTS && a->type() != onnx::AttributeProto::UNDEFINED) {
    NodeFail(index, fmt::format("attribute '{}' must be a list of integers", name));
  }
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::string Importer::StringAttr(int index, std::string_view name, const std::string& def) const {
  const onnx::AttributeProto* a = Attr(index, name);
  if (a == nullptr) return def;
  if (a->type() != onnx::AttributeProto::STRING && a->type() != onnx::AttributeProto::UNDEFINED) {
    NodeFail(index, fmt::format("attribute '{}' must be a string", name));
  }
  return a->s();
}

// ---------------------------------------------------------------------------- the graph ----

constexpr std::string_view kSupportedOps[] = {"Conv",     "Gemm",    "MatMul",  "Add",
                                              "Relu",     "MaxPool", "Flatten", "Reshape",
                                              "Identity", "Dropout", "Constant"};

// The one input of a node that carries activations; the others must be constants.
std::string Importer::DataInput(int index) const {
  const onnx::NodeProto& n = graph_.node(index);
  const std::string& op = n.op_type();
  auto is_const = [&](int slot) {
    return slot < n.input_size() && FindConst(n.input(slot)) != nullptr;
  };
  auto present = [&](int slot) { return slot < n.input_size() && !n.input(slot).empty(); };
  auto require_inputs = [&](int min, int max) {
    if (n.input_size() < min || n.input_size() > max || !present(0)) {
      NodeFail(index, fmt::format(
                          "{} has {} inputs; expected {}", op, n.input_size(),
                          min == max ? fmt::format("{}", min) : fmt::format("{} to {}", min, max)));
    }
  };
  if (op == "Add") {
    require_inputs(2, 2);
    if (is_const(0) == is_const(1)) {
      NodeFail(index, is_const(0) ? "Add of two constants is not supported"
                                  : "Add of two activation tensors is not supported (the graph "
                                    "must be a chain; Add is only accepted as MatMul's bias)");
    }
    return is_const(0) ? n.input(1) : n.input(0);
  }
  int max_inputs = 1;
  int min_inputs = 1;
  if (op == "Conv" || op == "Gemm") {
    min_inputs = 2;
    max_inputs = 3;
  } else if (op == "MatMul") {
    min_inputs = max_inputs = 2;
  } else if (op == "Reshape") {
    max_inputs = 2;  // the shape is an input since opset 5, an attribute before
  } else if (op == "Dropout") {
    max_inputs = 3;  // ratio, training_mode (opset 12+)
  }
  require_inputs(min_inputs, max_inputs);
  if (is_const(0)) {
    NodeFail(index, fmt::format("{} input #0 '{}' is a constant; expected the activations", op,
                                n.input(0)));
  }
  for (int slot = 1; slot < n.input_size(); ++slot) {
    if (present(slot) && !is_const(slot)) {
      NodeFail(index, fmt::format("{} input #{} '{}' must be an initializer or a Constant", op,
                                  slot, n.input(slot)));
    }
  }
  return n.input(0);
}

void Importer::CheckNodes() {
  // Every op must be supported and every input defined before the structure is examined, so
  // that an unknown op is reported as such rather than as a broken chain.
  for (int i = 0; i < graph_.node_size(); ++i) {
    const onnx::NodeProto& n = graph_.node(i);
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      NodeFail(i, fmt::format("unsupported op '{}.{}'", n.domain(), n.op_type()));
    }
    if (std::find(std::begin(kSupportedOps), std::end(kSupportedOps), n.op_type()) ==
        std::end(kSupportedOps)) {
      NodeFail(i, fmt::format("unsupported op '{}'", n.op_type()));
    }
    if (n.op_type() == "Constant") continue;
    if (n.output_size() < 1 || n.output(0).empty()) NodeFail(i, "node has no output");
    for (const std::string& out : n.output()) {
      if (out.empty()) continue;
      if (produced_.count(out) != 0 || consts_.count(out) != 0) {
        NodeFail(i, fmt::format("tensor '{}' is produced twice", out));
      }
      produced_.insert(out);
    }
  }
  std::set<std::string> graph_inputs;
  for (const onnx::ValueInfoProto& v : graph_.input()) graph_inputs.insert(v.name());
  data_input_.assign(static_cast<size_t>(graph_.node_size()), "");
  for (int i = 0; i < graph_.node_size(); ++i) {
    const onnx::NodeProto& n = graph_.node(i);
    if (n.op_type() == "Constant") continue;
    for (const std::string& in : n.input()) {
      if (in.empty() || consts_.count(in) != 0 || produced_.count(in) != 0 ||
          graph_inputs.count(in) != 0) {
        continue;
      }
      NodeFail(i, fmt::format("input '{}' is not defined (no initializer, Constant, graph input "
                              "or node output has that name)",
                              in));
    }
    data_input_[static_cast<size_t>(i)] = DataInput(i);
  }
}

void Importer::ReadInput() {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const onnx::ValueInfoProto& v : graph_.input()) {
    if (consts_.count(v.name()) == 0) inputs.push_back(&v);
  }
  if (inputs.size() != 1) {
    std::vector<std::string> names;
    for (const auto* v : inputs) names.push_back("'" + v->name() + "'");
    Fail(fmt::format("the graph has {} inputs ({}); expected exactly one", inputs.size(),
                     fmt::join(names, ", ")));
  }
  const onnx::ValueInfoProto& in = *inputs[0];
  input_name_ = in.name();
  if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) {
    Fail(fmt::format("graph input '{}' has no tensor shape", in.name()));
  }
  const onnx::TypeProto_Tensor& tt = in.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto::UNDEFINED &&
      tt.elem_type() != onnx::TensorProto::FLOAT) {
    Fail(fmt::format("graph input '{}' has element type {}; expected FLOAT (1)", in.name(),
                     tt.elem_type()));
  }
  const onnx::TensorShapeProto& shape = tt.shape();
  if (shape.dim_size() != 4) {
    Fail(fmt::format("graph input '{}' has {} dimensions; expected 4 ([N, C, H, W])", in.name(),
                     shape.dim_size()));
  }
  const onnx::TensorShapeProto_Dimension& batch = shape.dim(0);
  if (batch.has_dim_value() && batch.dim_value() != 1) {
    Fail(fmt::format("graph input '{}' has batch size {}; expected 1 or symbolic", in.name(),
                     batch.dim_value()));
  }
  static constexpr const char* kAxis[] = {"N", "C", "H", "W"};
  int dims[4] = {1, 0, 0, 0};
  for (int d = 1; d < 4; ++d) {
    const onnx::TensorShapeProto_Dimension& dim = shape.dim(d);
    if (!dim.has_dim_value() || dim.dim_value() <= 0 || dim.dim_value() > 65535) {
      Fail(fmt::format("graph input '{}' dimension {} ({}) is {}; expected a fixed size", in.name(),
                       d, kAxis[d],
                       dim.has_dim_value() ? fmt::format("{}", dim.dim_value())
                                           : fmt::format("unknown ('{}')", dim.dim_param())));
    }
    dims[d] = static_cast<int>(dim.dim_value());
  }
  model_.input = Shape{dims[2], dims[3], dims[1]};
  if (model_.input.Elements() > kMaxElements) {
    Fail(fmt::format("graph input '{}' is too large", in.name()));
  }
}

// -------------------------------------------------------------------------------- layers ----

void Importer::Conv(int index) {
  CheckAttributeNames(index, {"kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"});
  const onnx::NodeProto& n = graph_.node(index);
  if (flat_) NodeFail(index, "Conv needs a 4-D input but its input was flattened");
  const ConstTensor& wt = ConstInput(index, 1);
  if (wt.dims.size() != 4) {
    NodeFail(index, fmt::format("weight '{}' has shape {}; expected [K, C, R, S]", wt.name,
                                DimsString(wt.dims)));
  }
  const int k = ToInt(index, wt.dims[0], "weight K");
  const int c = ToInt(index, wt.dims[1], "weight C");
  const int r = ToInt(index, wt.dims[2], "weight R");
  const int s = ToInt(index, wt.dims[3], "weight S");
  if (k < 1 || r < 1 || s < 1) {
    NodeFail(index, fmt::format("weight '{}' has an empty shape {}", wt.name, DimsString(wt.dims)));
  }
  if (const std::string pad = StringAttr(index, "auto_pad", "NOTSET"); pad != "NOTSET") {
    NodeFail(index, fmt::format("Conv attribute 'auto_pad' = '{}' is not supported (use explicit "
                                "pads)",
                                pad));
  }
  if (const int64_t g = IntAttr(index, "group", 1); g != 1) {
    NodeFail(index, fmt::format("Conv attribute 'group' = {} is not supported (must be 1)", g));
  }
  if (auto ks = IntsAttr(index, "kernel_shape");
      ks && *ks != std::vector<int64_t>{wt.dims[2], wt.dims[3]}) {
    NodeFail(index, fmt::format("Conv attribute 'kernel_shape' = {} disagrees with weight '{}' {}",
                                DimsString(*ks), wt.name, DimsString(wt.dims)));
  }
  if (auto dil = IntsAttr(index, "dilations");
      dil && std::any_of(dil->begin(), dil->end(), [](int64_t v) { return v != 1; })) {
    NodeFail(index, fmt::format("Conv attribute 'dilations' = {} is not supported (must be all 1)",
                                DimsString(*dil)));
  }
  int stride = 1;
  if (auto st = IntsAttr(index, "strides")) {
    if (st->size() != 2 || (*st)[0] != (*st)[1] || (*st)[0] < 1) {
      NodeFail(index, fmt::format("Conv attribute 'strides' = {} is not supported (must be two "
                                  "equal positive values)",
                                  DimsString(*st)));
    }
    stride = ToInt(index, (*st)[0], "stride");
  }
  int pads[4] = {0, 0, 0, 0};
  if (auto p = IntsAttr(index, "pads")) {
    if (p->size() != 4 || std::any_of(p->begin(), p->end(), [](int64_t v) { return v < 0; })) {
      NodeFail(index, fmt::format("Conv attribute 'pads' = {} is not supported (must be four "
                                  "values >= 0)",
                                  DimsString(*p)));
    }
    for (size_t i = 0; i < 4; ++i) pads[i] = ToInt(index, (*p)[i], "pad");
  }
  if (c != shape_.c) {
    NodeFail(index, fmt::format("weight '{}' {} expects {} input channels but the input {} (HxWxC) "
                                "has {}",
                                wt.name, DimsString(wt.dims), c, ShapeString(shape_), shape_.c));
  }
  FloatLayer layer;
  layer.name = LayerName(index);
  layer.kind = LayerKind::kConv;
  layer.kernel_h = r;
  layer.kernel_w = s;
  layer.stride = stride;
  // ONNX pads are [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right].
  layer.pad_top = pads[0];
  layer.pad_left = pads[1];
  layer.pad_bottom = pads[2];
  layer.pad_right = pads[3];
  layer.in = shape_;
  layer.out_c = k;
  const int64_t span_h = int64_t{shape_.h} + pads[0] + pads[2] - r;
  const int64_t span_w = int64_t{shape_.w} + pads[1] + pads[3] - s;
  if (span_h < 0 || span_w < 0) {
    NodeFail(index,
             fmt::format("kernel {}x{} with pads {} does not fit the input {} (HxWxC)", r, s,
                         DimsString({pads[0], pads[1], pads[2], pads[3]}), ShapeString(shape_)));
  }
  const std::vector<float> w = Floats(wt, index);
  layer.weights.resize(w.size());
  for (int o = 0; o < k; ++o) {
    for (int ci = 0; ci < c; ++ci) {
      for (int y = 0; y < r; ++y) {
        for (int x = 0; x < s; ++x) {
          const size_t from = ((static_cast<size_t>(o) * c + ci) * r + y) * s + x;
          const size_t to = ((static_cast<size_t>(o) * r + y) * s + x) * c + ci;
          layer.weights[to] = w[from];
        }
      }
    }
  }
  layer.bias.assign(static_cast<size_t>(k), 0.0f);
  if (n.input_size() > 2 && !n.input(2).empty()) {
    const ConstTensor& b = ConstInput(index, 2);
    if (b.dims != std::vector<int64_t>{k}) {
      NodeFail(index,
               fmt::format("bias '{}' has shape {}; expected [{}]", b.name, DimsString(b.dims), k));
    }
    layer.bias = Floats(b, index);
  }
  shape_ = Shape{static_cast<int>(span_h / stride + 1), static_cast<int>(span_w / stride + 1), k};
  model_.layers.push_back(std::move(layer));
}

template <typename WeightAt>
void Importer::AddFcLayer(int index, int out, WeightAt wt) {
  const Shape from = shape_;
  const int in = static_cast<int>(from.Elements());
  FloatLayer layer;
  layer.name = LayerName(index);
  layer.kind = LayerKind::kFc;
  layer.in = Shape{1, 1, in};
  layer.out_c = out;
  layer.weights.resize(static_cast<size_t>(out) * static_cast<size_t>(in));
  // ONNX flattens the NCHW tensor as c*H*W + y*W + x; our activations are HWC: (y*W + x)*C + c.
  for (int o = 0; o < out; ++o) {
    float* row = layer.weights.data() + static_cast<size_t>(o) * static_cast<size_t>(in);
    for (int c = 0; c < from.c; ++c) {
      for (int y = 0; y < from.h; ++y) {
        for (int x = 0; x < from.w; ++x) {
          const int onnx_i = (c * from.h + y) * from.w + x;
          row[(y * from.w + x) * from.c + c] = wt(o, onnx_i);
        }
      }
    }
  }
  layer.bias.assign(static_cast<size_t>(out), 0.0f);
  model_.layers.push_back(std::move(layer));
  shape_ = Shape{1, 1, out};
  flat_ = true;
}

void Importer::Gemm(int index) {
  CheckAttributeNames(index, {"alpha", "beta", "transA", "transB"});
  const onnx::NodeProto& n = graph_.node(index);
  if (!flat_) {
    NodeFail(index, fmt::format("Gemm needs a 2-D input but gets the 4-D tensor {} (HxWxC); "
                                "insert Flatten",
                                ShapeString(shape_)));
  }
  if (const float alpha = FloatAttr(index, "alpha", 1.0f); alpha != 1.0f) {
    NodeFail(index, fmt::format("Gemm attribute 'alpha' = {} is not supported (must be 1)", alpha));
  }
  const bool has_c = n.input_size() > 2 && !n.input(2).empty();
  if (const float beta = FloatAttr(index, "beta", 1.0f); has_c && beta != 1.0f) {
    NodeFail(index, fmt::format("Gemm attribute 'beta' = {} is not supported (must be 1)", beta));
  }
  if (const int64_t ta = IntAttr(index, "transA", 0); ta != 0) {
    NodeFail(index, fmt::format("Gemm attribute 'transA' = {} is not supported (must be 0)", ta));
  }
  const int64_t trans_b = IntAttr(index, "transB", 0);
  if (trans_b != 0 && trans_b != 1) {
    NodeFail(index, fmt::format("Gemm attribute 'transB' = {} is not supported (must be 0 or 1)",
                                trans_b));
  }
  const ConstTensor& bt = ConstInput(index, 1);
  if (bt.dims.size() != 2) {
    NodeFail(index,
             fmt::format("weight '{}' has shape {}; expected 2-D", bt.name, DimsString(bt.dims)));
  }
  const int out = ToInt(index, trans_b ? bt.dims[0] : bt.dims[1], "Gemm out-features");
  const int in = ToInt(index, trans_b ? bt.dims[1] : bt.dims[0], "Gemm in-features");
  if (out < 1) NodeFail(index, fmt::format("weight '{}' has no outputs", bt.name));
  if (in != shape_.Elements()) {
    NodeFail(index, fmt::format("Gemm in-features {} (weight '{}' {}, transB={}) do not match the "
                                "flattened input {} (HxWxC) = {}",
                                in, bt.name, DimsString(bt.dims), trans_b, ShapeString(shape_),
                                shape_.Elements()));
  }
  const std::vector<float> w = Floats(bt, index);
  const size_t in_z = static_cast<size_t>(in);
  const size_t out_z = static_cast<size_t>(out);
  if (trans_b) {
    AddFcLayer(index, out, [&](int o, int i) { return w[o * in_z + i]; });
  } else {
    AddFcLayer(index, out, [&](int o, int i) { return w[i * out_z + o]; });
  }
  if (has_c) {
    const ConstTensor& ct = ConstInput(index, 2);
    if (ct.dims != std::vector<int64_t>{out} && ct.dims != std::vector<int64_t>{1, out}) {
      NodeFail(index, fmt::format("bias '{}' has shape {}; expected [{}] or [1, {}]", ct.name,
                                  DimsString(ct.dims), out, out));
    }
    model_.layers.back().bias = Floats(ct, index);
  }
}

void Importer::MatMul(int index) {
  CheckAttributeNames(index, {});
  if (!flat_) {
    NodeFail(index, fmt::format("MatMul needs a 2-D input but gets the 4-D tensor {} (HxWxC); "
                                "insert Flatten",
                                ShapeString(shape_)));
  }
  const ConstTensor& bt = ConstInput(index, 1);
  if (bt.dims.size() != 2) {
    NodeFail(index, fmt::format("weight '{}' has shape {}; expected 2-D [in, out]", bt.name,
                                DimsString(bt.dims)));
  }
  const int in = ToInt(index, bt.dims[0], "MatMul in-features");
  const int out = ToInt(index, bt.dims[1], "MatMul out-features");
  if (out < 1) NodeFail(index, fmt::format("weight '{}' has no outputs", bt.name));
  if (in != shape_.Elements()) {
    NodeFail(index,
             fmt::format("MatMul in-features {} (weight '{}' {}) do not match the flattened "
                         "input {} (HxWxC) = {}",
                         in, bt.name, DimsString(bt.dims), ShapeString(shape_), shape_.Elements()));
  }
  const std::vector<float> w = Floats(bt, index);
  const size_t out_z = static_cast<size_t>(out);
  AddFcLayer(index, out, [&](int o, int i) { return w[i * out_z + o]; });
}

void Importer::Add(int index, Last prev) {
  CheckAttributeNames(index, {});
  if (prev != Last::kMatMul) {
    NodeFail(index, "Add is only supported directly after a MatMul (as its bias)");
  }
  const onnx::NodeProto& n = graph_.node(index);
  const ConstTensor& ct = ConstInput(index, FindConst(n.input(0)) != nullptr ? 0 : 1);
  FloatLayer& layer = model_.layers.back();
  const int64_t out = layer.out_c;
  if (ct.dims != std::vector<int64_t>{out} && ct.dims != std::vector<int64_t>{1, out}) {
    NodeFail(index, fmt::format("Add constant '{}' has shape {}; expected [{}] or [1, {}]", ct.name,
                                DimsString(ct.dims), out, out));
  }
  const std::vector<float> b = Floats(ct, index);
  for (size_t i = 0; i < b.size(); ++i) layer.bias[i] += b[i];
}

void Importer::Relu(int index) {
  CheckAttributeNames(index, {});
  if (model_.layers.empty()) {
    NodeFail(index, "Relu has no preceding Conv/Gemm/MatMul layer to fold into");
  }
  model_.layers.back().relu = true;
}

void Importer::MaxPool(int index) {
  CheckAttributeNames(index, {"kernel_shape", "strides", "pads", "ceil_mode", "dilations",
                              "storage_order", "auto_pad"});
  if (model_.layers.empty()) {
    NodeFail(index, "MaxPool has no preceding Conv/Gemm/MatMul layer to fold into");
  }
  if (flat_) NodeFail(index, "MaxPool needs a 4-D input but its input was flattened");
  FloatLayer& layer = model_.layers.back();
  if (layer.pool) {
    NodeFail(index,
             fmt::format("layer '{}' already has a MaxPool; only one per layer", layer.name));
  }
  auto ks = IntsAttr(index, "kernel_shape");
  if (!ks || *ks != std::vector<int64_t>{2, 2}) {
    NodeFail(index, fmt::format("MaxPool attribute 'kernel_shape' = {} is not supported (must be "
                                "[2, 2])",
                                ks ? DimsString(*ks) : "(absent)"));
  }
  if (auto st = IntsAttr(index, "strides"); !st || *st != std::vector<int64_t>{2, 2}) {
    NodeFail(index, fmt::format("MaxPool attribute 'strides' = {} is not supported (must be "
                                "[2, 2])",
                                st ? DimsString(*st) : "(absent, i.e. 1)"));
  }
  if (auto p = IntsAttr(index, "pads");
      p && std::any_of(p->begin(), p->end(), [](int64_t v) { return v != 0; })) {
    NodeFail(index, fmt::format("MaxPool attribute 'pads' = {} is not supported (must be all 0)",
                                DimsString(*p)));
  }
  if (auto dil = IntsAttr(index, "dilations");
      dil && std::any_of(dil->begin(), dil->end(), [](int64_t v) { return v != 1; })) {
    NodeFail(index, fmt::format("MaxPool attribute 'dilations' = {} is not supported (must be all "
                                "1)",
                                DimsString(*dil)));
  }
  if (const int64_t cm = IntAttr(index, "ceil_mode", 0); cm != 0) {
    NodeFail(index,
             fmt::format("MaxPool attribute 'ceil_mode' = {} is not supported (must be 0)", cm));
  }
  if (const int64_t so = IntAttr(index, "storage_order", 0); so != 0) {
    NodeFail(index, fmt::format(
                        "MaxPool attribute 'storage_order' = {} is not supported (must be 0)", so));
  }
  if (const std::string pad = StringAttr(index, "auto_pad", "NOTSET"); pad != "NOTSET") {
    NodeFail(
        index,
        fmt::format("MaxPool attribute 'auto_pad' = '{}' is not supported (must be NOTSET)", pad));
  }
  if (shape_.h < 2 || shape_.w < 2) {
    NodeFail(index, fmt::format("MaxPool 2x2 on the {} (HxWxC) tensor gives an empty output",
                                ShapeString(shape_)));
  }
  layer.pool = true;
  shape_.h /= 2;
  shape_.w /= 2;
}

void Importer::Flatten(int index) {
  CheckAttributeNames(index, {"axis"});
  int64_t axis = IntAttr(index, "axis", 1);
  if (axis < 0) axis += flat_ ? 2 : 4;
  if (axis != 1) {
    NodeFail(index, fmt::format("Flatten attribute 'axis' = {} is not supported (must be 1)",
                                IntAttr(index, "axis", 1)));
  }
  flat_ = true;
}

void Importer::Reshape(int index) {
  CheckAttributeNames(index, {"allowzero", "shape"});
  const onnx::NodeProto& n = graph_.node(index);
  const bool allow_zero = IntAttr(index, "allowzero", 0) != 0;
  std::vector<int64_t> target;
  if (n.input_size() > 1 && !n.input(1).empty()) {
    if (Attr(index, "shape") != nullptr)
      NodeFail(index, "Reshape has both a shape input and attribute");
    target = Ints(ConstInput(index, 1), index);
  } else if (auto s = IntsAttr(index, "shape")) {
    target = *s;
  } else {
    NodeFail(index, "Reshape has no shape");
  }
  const int64_t size = shape_.Elements();
  const bool ok = target.size() == 2 &&
                  (target[0] == 1 || (target[0] == 0 && !allow_zero) ||
                   (target[0] == -1 && target[1] == size)) &&
                  (target[1] == -1 || target[1] == size) && !(target[0] == -1 && target[1] == -1);
  if (!ok) {
    NodeFail(index, fmt::format("Reshape to {} is not supported (only a flatten to [1, -1] or "
                                "[1, {}] of the {} (HxWxC) tensor)",
                                DimsString(target), size, ShapeString(shape_)));
  }
  flat_ = true;
}

void Importer::Process(int index) {
  const std::string& op = graph_.node(index).op_type();
  const Last last = last_;
  last_ = Last::kOther;
  if (op == "Conv") {
    Conv(index);
  } else if (op == "Gemm") {
    Gemm(index);
  } else if (op == "MatMul") {
    MatMul(index);
    last_ = Last::kMatMul;
  } else if (op == "Add") {
    Add(index, last);
  } else if (op == "Relu") {
    Relu(index);
  } else if (op == "MaxPool") {
    MaxPool(index);
  } else if (op == "Flatten") {
    Flatten(index);
  } else if (op == "Reshape") {
    Reshape(index);
  } else if (op == "Identity") {
    CheckAttributeNames(index, {});
  } else if (op == "Dropout") {
    CheckAttributeNames(index, {"ratio", "seed", "is_test"});  // inference: a no-op
  } else {
    NodeFail(index, fmt::format("unsupported op '{}'", op));  // not reached (CheckNodes)
  }
}

FloatModel Importer::Run() {
  CollectConstants();
  CheckNodes();
  ReadInput();
  if (graph_.output_size() != 1) {
    Fail(fmt::format("the graph has {} outputs; expected exactly one", graph_.output_size()));
  }
  const std::string& output = graph_.output(0).name();

  std::map<std::string, std::vector<int>> consumers;
  int chain_nodes = 0;
  for (int i = 0; i < graph_.node_size(); ++i) {
    if (graph_.node(i).op_type() == "Constant") continue;
    consumers[data_input_[static_cast<size_t>(i)]].push_back(i);
    ++chain_nodes;
  }

  shape_ = model_.input;
  std::vector<bool> visited(static_cast<size_t>(graph_.node_size()), false);
  std::string cur = input_name_;
  int walked = 0;
  for (;;) {
    auto it = consumers.find(cur);
    if (it == consumers.end()) break;
    const std::vector<int>& users = it->second;
    if (users.size() > 1) {
      std::vector<std::string> names;
      for (int u : users) names.push_back(fmt::format("'{}' (#{})", graph_.node(u).name(), u));
      Fail(fmt::format("tensor '{}' feeds {} nodes ({}); the graph must be a chain", cur,
                       users.size(), fmt::join(names, ", ")));
    }
    const int index = users[0];
    if (visited[static_cast<size_t>(index)]) NodeFail(index, "the graph has a cycle");
    visited[static_cast<size_t>(index)] = true;
    if (cur == output) {
      NodeFail(index, fmt::format("consumes the graph output '{}'; the output must end the chain",
                                  output));
    }
    Process(index);
    ++walked;
    const onnx::NodeProto& n = graph_.node(index);
    for (int o = 1; o < n.output_size(); ++o) {
      if (n.output(o).empty()) continue;
      if (consumers.count(n.output(o)) != 0 || n.output(o) == output) {
        NodeFail(index, fmt::format("{} output #{} '{}' is used; only the first output may be",
                                    n.op_type(), o, n.output(o)));
      }
    }
    cur = n.output(0);
  }
  if (walked != chain_nodes) {
    for (int i = 0; i < graph_.node_size(); ++i) {
      if (graph_.node(i).op_type() != "Constant" && !visited[static_cast<size_t>(i)]) {
        NodeFail(i, fmt::format("not on the chain from graph input '{}' to output '{}'; the graph "
                                "must be a chain",
                                input_name_, output));
      }
    }
  }
  if (cur != output) {
    Fail(fmt::format("the chain from graph input '{}' ends at '{}', not at the graph output '{}'",
                     input_name_, cur, output));
  }
  if (model_.layers.empty()) Fail("the graph has no Conv, Gemm or MatMul layer");
  return std::move(model_);
}

}  // namespace

cmodel::FloatModel ImportOnnxBytes(const std::string& bytes, const std::string& origin) {
  onnx::ModelProto proto;
  if (!proto.ParseFromString(bytes)) {
    throw FormatError(fmt::format("{}: not an ONNX model (protobuf parse failed)", origin));
  }
  if (!proto.has_graph()) {
    throw FormatError(fmt::format("{}: not an ONNX model (no graph)", origin));
  }
  FloatModel model = Importer(proto, origin).Run();
  model.name = proto.graph().name();
  if (IsGenericGraphName(model.name)) {
    model.name = std::filesystem::path(origin).stem().string();
    if (model.name.empty()) model.name = proto.graph().name();
  }
  model.Validate(origin);
  return model;
}

cmodel::FloatModel ImportOnnx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(fmt::format("{}: read error", path));
  return ImportOnnxBytes(bytes, path);
}

}  // namespace qsa::encoder
