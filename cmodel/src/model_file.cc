// The version-1 model file (docs/spec.md §7): serialization, and a parser that treats the file
// as untrusted input (every size is checked in 64 bits against the file before it is used).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string_view>
#include <system_error>
#include <utility>

#include "qsa/cmodel/error.h"
#include "qsa/cmodel/model.h"

namespace qsa::cmodel {
namespace {

constexpr std::array<uint8_t, 4> kMagic = {'Q', 'S', 'A', 0x1A};
constexpr uint16_t kVersion = 1;
constexpr uint32_t kHeaderBytes = 64;
constexpr uint32_t kDescBytes = 64;
constexpr uint32_t kNameBytes = 32;
constexpr uint32_t kCrcStart = 16;  // the CRC covers bytes [16, file bytes)
constexpr int kMaxLayers = 256;
constexpr uint64_t kAlign = 8;  // one 64-bit DMA beat
constexpr uint64_t kMaxFileBytes = std::numeric_limits<uint32_t>::max();
constexpr uint8_t kFlagRelu = 1u << 0;
constexpr uint8_t kFlagPool = 1u << 1;

// Header field offsets (spec §7).
namespace hdr {
constexpr size_t kMagic = 0, kVersion = 4, kHeaderBytes = 6, kFileBytes = 8, kCrc = 12,
                 kLayers = 16, kInH = 18, kInW = 20, kInC = 22, kInExp = 24, kClasses = 25,
                 kDescBytes = 26, kDescOffset = 28, kName = 32;
}  // namespace hdr

// Descriptor field offsets (spec §7).
namespace desc {
constexpr size_t kKind = 0, kBits = 1, kOrient = 2, kVectorLen = 3, kK = 4, kFlags = 5,
                 kKernelH = 6, kKernelW = 7, kStride = 8, kPadTop = 9, kPadLeft = 10,
                 kPadBottom = 11, kPadRight = 12, kAlphaExp = 13, kInExp = 14, kOutExp = 15,
                 kInH = 16, kInW = 18, kInC = 20, kOutC = 22, kVectors = 24, kCodesOffset = 28,
                 kCodesBytes = 32, kAlphaOffset = 36, kAlphaBytes = 40, kBiasOffset = 44,
                 kBiasBytes = 48, kPhi = 52, kReserved = 53;
}  // namespace desc

// Little-endian accessors. Callers check bounds before reading.
uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t Get32(const uint8_t* p) { return uint32_t{Get16(p)} | uint32_t{Get16(p + 2)} << 16; }
uint64_t Get64(const uint8_t* p) { return uint64_t{Get32(p)} | uint64_t{Get32(p + 4)} << 32; }
void Put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void Put32(uint8_t* p, uint32_t v) {
  Put16(p, v & 0xFFFFu);
  Put16(p + 2, v >> 16);
}
uint8_t I8(int v) { return static_cast<uint8_t>(static_cast<int8_t>(v)); }  // v fits int8
int AsI8(uint8_t b) { return static_cast<int8_t>(b); }

uint64_t AlignUp(uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }

// "<origin>: <field>: <what>" or "<origin>: layer <i>: <field>: <what>" (layer ≥ 0).
template <typename... Args>
[[noreturn]] void Fail(const std::string& origin, int layer, std::string_view field,
                       fmt::format_string<Args...> what, Args&&... args) {
  const std::string text = fmt::format(what, std::forward<Args>(args)...);
  if (layer < 0) throw FormatError(fmt::format("{}: {}: {}", origin, field, text));
  throw FormatError(fmt::format("{}: layer {}: {}: {}", origin, layer, field, text));
}

// Where a layer's three sections sit in the file.
struct Placement {
  uint64_t codes_offset = 0;
  uint64_t alpha_offset = 0;
  uint64_t bias_offset = 0;
};

// One section as claimed by a descriptor, for the overlap and padding checks.
struct Section {
  uint64_t begin = 0;
  uint64_t end = 0;
  int layer = 0;
  std::string_view name;  // "codes", "alpha" or "bias"
};

std::vector<uint8_t> Serialize(const Model& model, const std::string& origin) {
  model.Validate(origin);
  const size_t layers = model.layers.size();

  // Layout: header, descriptor table, then per layer codes, α's, biases, each 8-aligned.
  std::vector<Placement> place(layers);
  std::vector<LayerSections> sizes(layers);
  uint64_t end = kHeaderBytes + uint64_t{kDescBytes} * layers;
  for (size_t i = 0; i < layers; ++i) {
    sizes[i] = SectionSizes(model.layers[i].desc);
    uint64_t at = AlignUp(end);
    place[i].codes_offset = at;
    at = AlignUp(at + static_cast<uint64_t>(sizes[i].codes_bytes));
    place[i].alpha_offset = at;
    at = AlignUp(at + static_cast<uint64_t>(sizes[i].alpha_bytes));
    place[i].bias_offset = at;
    end = at + static_cast<uint64_t>(sizes[i].bias_bytes);
  }
  end = AlignUp(end);  // the file ends on a whole DMA beat
  if (end > kMaxFileBytes) {
    throw FormatError(
        fmt::format("{}: file bytes: {} bytes exceed the 32-bit limit of the format", origin, end));
  }

  std::vector<uint8_t> out(static_cast<size_t>(end), 0);
  uint8_t* h = out.data();
  std::copy(kMagic.begin(), kMagic.end(), h + hdr::kMagic);
  Put16(h + hdr::kVersion, kVersion);
  Put16(h + hdr::kHeaderBytes, kHeaderBytes);
  Put32(h + hdr::kFileBytes, static_cast<uint32_t>(end));
  Put16(h + hdr::kLayers, static_cast<uint32_t>(layers));
  Put16(h + hdr::kInH, static_cast<uint32_t>(model.input.h));
  Put16(h + hdr::kInW, static_cast<uint32_t>(model.input.w));
  Put16(h + hdr::kInC, static_cast<uint32_t>(model.input.c));
  h[hdr::kInExp] = I8(model.input_exp);
  h[hdr::kClasses] = static_cast<uint8_t>(model.Classes());
  Put16(h + hdr::kDescBytes, kDescBytes);
  Put32(h + hdr::kDescOffset, kHeaderBytes);
  std::copy(model.name.begin(), model.name.end(), h + hdr::kName);

  for (size_t i = 0; i < layers; ++i) {
    const Layer& layer = model.layers[i];
    const LayerDesc& d = layer.desc;
    const LayerSections& s = sizes[i];
    uint8_t* p = out.data() + kHeaderBytes + kDescBytes * i;
    p[desc::kKind] = static_cast<uint8_t>(d.kind);
    p[desc::kBits] = static_cast<uint8_t>(d.bits);
    p[desc::kOrient] = static_cast<uint8_t>(d.orient);
    p[desc::kVectorLen] = static_cast<uint8_t>(d.vector_len);
    p[desc::kK] = static_cast<uint8_t>(d.k);
    p[desc::kFlags] = static_cast<uint8_t>((d.relu ? kFlagRelu : 0) | (d.pool ? kFlagPool : 0));
    p[desc::kKernelH] = static_cast<uint8_t>(d.kernel_h);
    p[desc::kKernelW] = static_cast<uint8_t>(d.kernel_w);
    p[desc::kStride] = static_cast<uint8_t>(d.stride);
    p[desc::kPadTop] = static_cast<uint8_t>(d.pad_top);
    p[desc::kPadLeft] = static_cast<uint8_t>(d.pad_left);
    p[desc::kPadBottom] = static_cast<uint8_t>(d.pad_bottom);
    p[desc::kPadRight] = static_cast<uint8_t>(d.pad_right);
    p[desc::kAlphaExp] = I8(d.alpha_exp);
    p[desc::kInExp] = I8(d.in_exp);
    p[desc::kOutExp] = I8(d.out_exp);
    Put16(p + desc::kInH, static_cast<uint32_t>(d.in.h));
    Put16(p + desc::kInW, static_cast<uint32_t>(d.in.w));
    Put16(p + desc::kInC, static_cast<uint32_t>(d.in.c));
    Put16(p + desc::kOutC, static_cast<uint32_t>(d.out_c));
    // Every size and offset is below the file size checked above, so it fits u32.
    Put32(p + desc::kVectors, static_cast<uint32_t>(s.vectors));
    Put32(p + desc::kCodesOffset, static_cast<uint32_t>(place[i].codes_offset));
    Put32(p + desc::kCodesBytes, static_cast<uint32_t>(s.codes_bytes));
    Put32(p + desc::kAlphaOffset, static_cast<uint32_t>(place[i].alpha_offset));
    Put32(p + desc::kAlphaBytes, static_cast<uint32_t>(s.alpha_bytes));
    Put32(p + desc::kBiasOffset, static_cast<uint32_t>(place[i].bias_offset));
    Put32(p + desc::kBiasBytes, static_cast<uint32_t>(s.bias_bytes));
    p[desc::kPhi] = static_cast<uint8_t>(d.phi);

    const std::vector<uint8_t> packed = PackCodes(layer.codes, d.bits);
    std::copy(packed.begin(), packed.end(), out.begin() + place[i].codes_offset);
    std::copy(layer.alphas.begin(), layer.alphas.end(), out.begin() + place[i].alpha_offset);
    for (size_t o = 0; o < layer.biases.size(); ++o) {
      Put32(out.data() + place[i].bias_offset + 4 * o, static_cast<uint32_t>(layer.biases[o]));
    }
  }
  Put32(h + hdr::kCrc, Crc32(out.data() + kCrcStart, out.size() - kCrcStart));
  return out;
}

// Reads descriptor i (already known to lie inside the file) into a LayerDesc, checking what
// only the encoding can get wrong (enum values, flag and reserved bits), then the descriptor's
// semantic rules (ValidateLayerDesc).
LayerDesc ParseDescriptor(const uint8_t* p, const std::string& origin, int i) {
  LayerDesc d;
  if (p[desc::kKind] > 1) {
    Fail(origin, i, "kind", "{} is not 0 (conv) or 1 (fully connected)", p[desc::kKind]);
  }
  if (p[desc::kOrient] > 1) {
    Fail(origin, i, "orientation", "{} is not 0 (channel-wise) or 1 (filter-wise)",
         p[desc::kOrient]);
  }
  const uint8_t flags = p[desc::kFlags];
  if ((flags & ~(kFlagRelu | kFlagPool)) != 0) {
    Fail(origin, i, "flags", "0x{:02x} has reserved bits set (only bit 0 ReLU, bit 1 pool)", flags);
  }
  for (size_t b = desc::kReserved; b < kDescBytes; ++b) {
    if (p[b] != 0) Fail(origin, i, "reserved", "descriptor byte {} is 0x{:02x}, not 0", b, p[b]);
  }
  d.kind = static_cast<LayerKind>(p[desc::kKind]);
  d.bits = p[desc::kBits];
  d.orient = static_cast<Orientation>(p[desc::kOrient]);
  d.vector_len = p[desc::kVectorLen];
  d.k = p[desc::kK];
  d.relu = (flags & kFlagRelu) != 0;
  d.pool = (flags & kFlagPool) != 0;
  d.kernel_h = p[desc::kKernelH];
  d.kernel_w = p[desc::kKernelW];
  d.stride = p[desc::kStride];
  d.pad_top = p[desc::kPadTop];
  d.pad_left = p[desc::kPadLeft];
  d.pad_bottom = p[desc::kPadBottom];
  d.pad_right = p[desc::kPadRight];
  d.alpha_exp = AsI8(p[desc::kAlphaExp]);
  d.in_exp = AsI8(p[desc::kInExp]);
  d.out_exp = AsI8(p[desc::kOutExp]);
  d.in = {Get16(p + desc::kInH), Get16(p + desc::kInW), Get16(p + desc::kInC)};
  d.out_c = Get16(p + desc::kOutC);
  d.phi = p[desc::kPhi];
  ValidateLayerDesc(d, origin, i);
  return d;
}

// Checks one section's claimed size against the geometry and its placement against the file.
Section CheckSection(const uint8_t* p, size_t offset_field, size_t bytes_field,
                     std::string_view name, int64_t expected_bytes, uint64_t table_end,
                     uint64_t file_bytes, const std::string& origin, int i) {
  const uint64_t offset = Get32(p + offset_field);
  const uint64_t bytes = Get32(p + bytes_field);  // 64-bit: offset + bytes cannot wrap
  const std::string offset_name = fmt::format("{} offset", name);
  if (bytes != static_cast<uint64_t>(expected_bytes)) {
    Fail(origin, i, fmt::format("{} bytes", name), "{}, the geometry needs {}", bytes,
         expected_bytes);
  }
  if (offset % kAlign != 0) {
    Fail(origin, i, offset_name, "0x{:x} is not {}-byte aligned", offset, kAlign);
  }
  if (offset < table_end) {
    Fail(origin, i, offset_name, "0x{:x} overlaps the header and descriptor table [0, 0x{:x})",
         offset, table_end);
  }
  if (offset + bytes > file_bytes) {
    Fail(origin, i, offset_name,
         "section [0x{:x}, 0x{:x}) extends past the end of the file (0x{:x})", offset,
         offset + bytes, file_bytes);
  }
  return {offset, offset + bytes, i, name};
}

// Unpacks `count` codes from whole 64-bit words; every bit not holding a code (bit 63 of a
// 3-bit word, the tail of the last word) must be 0. Code values are checked by Validate.
std::vector<uint8_t> UnpackCodes(const uint8_t* words, int64_t count, int bits,
                                 const std::string& origin, int i) {
  const int64_t per_word = 64 / bits;
  const uint64_t code_mask = (uint64_t{1} << bits) - 1;
  std::vector<uint8_t> codes(static_cast<size_t>(count));
  for (int64_t w = 0; w * per_word < count; ++w) {
    const uint64_t word = Get64(words + 8 * w);
    const int64_t used = std::min(per_word, count - w * per_word);
    const uint64_t used_mask =
        used * bits == 64 ? ~uint64_t{0} : (uint64_t{1} << (used * bits)) - 1;
    if ((word & ~used_mask) != 0) {
      Fail(origin, i, "codes", "word {} has nonzero unused bits 0x{:016x} ({})", w,
           word & ~used_mask, used == per_word ? "bit 63 of a full word" : "after the last code");
    }
    for (int64_t j = 0; j < used; ++j) {
      codes[static_cast<size_t>(w * per_word + j)] =
          static_cast<uint8_t>((word >> (j * bits)) & code_mask);
    }
  }
  return codes;
}

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Abandons a WriteModelFile: closes `fd` (if ≥ 0), removes the temporary file and throws.
[[noreturn]] void FailWrite(const std::string& path, const std::string& tmp, int fd,
                            std::string_view what, int err) {
  if (fd >= 0) ::close(fd);
  ::unlink(tmp.c_str());
  throw Error(fmt::format("{}: {} {}: {}", path, what, tmp, ErrnoText(err)));
}

}  // namespace

std::vector<uint8_t> SerializeModel(const Model& model) {
  return Serialize(model, model.name.empty() ? "model" : model.name);
}

Model ParseModel(const std::vector<uint8_t>& bytes, const std::string& origin) {
  // Header: fixed-size fields first, so that nothing below reads outside `bytes`.
  if (bytes.size() < kHeaderBytes) {
    Fail(origin, -1, "file size", "{} bytes, shorter than the {}-byte header", bytes.size(),
         kHeaderBytes);
  }
  const uint8_t* h = bytes.data();
  if (!std::equal(kMagic.begin(), kMagic.end(), h + hdr::kMagic)) {
    Fail(origin, -1, "magic", "{:02x} {:02x} {:02x} {:02x}, expected 51 53 41 1a (\"QSA\\x1A\")",
         h[0], h[1], h[2], h[3]);
  }
  if (Get16(h + hdr::kVersion) != kVersion) {
    Fail(origin, -1, "version", "{} is not supported (only version {})", Get16(h + hdr::kVersion),
         kVersion);
  }
  if (Get16(h + hdr::kHeaderBytes) != kHeaderBytes) {
    Fail(origin, -1, "header bytes", "{}, expected {}", Get16(h + hdr::kHeaderBytes), kHeaderBytes);
  }
  const uint64_t file_bytes = Get32(h + hdr::kFileBytes);
  if (file_bytes != bytes.size()) {
    Fail(origin, -1, "file bytes", "header says {} but the file has {} bytes ({})", file_bytes,
         bytes.size(), file_bytes > bytes.size() ? "truncated" : "trailing data");
  }
  const uint32_t stored_crc = Get32(h + hdr::kCrc);
  const uint32_t actual_crc = Crc32(h + kCrcStart, bytes.size() - kCrcStart);
  if (stored_crc != actual_crc) {
    Fail(origin, -1, "crc", "header says 0x{:08x} but bytes [{}, {}) give 0x{:08x}", stored_crc,
         kCrcStart, file_bytes, actual_crc);
  }
  if (Get16(h + hdr::kDescBytes) != kDescBytes) {
    Fail(origin, -1, "descriptor bytes", "{}, expected {}", Get16(h + hdr::kDescBytes), kDescBytes);
  }
  if (Get32(h + hdr::kDescOffset) != kHeaderBytes) {
    Fail(origin, -1, "descriptor offset", "{}, expected {}", Get32(h + hdr::kDescOffset),
         kHeaderBytes);
  }
  const int layers = Get16(h + hdr::kLayers);
  if (layers < 1 || layers > kMaxLayers) {
    Fail(origin, -1, "layer count", "{} is out of range 1..{}", layers, kMaxLayers);
  }
  const uint64_t table_end = kHeaderBytes + uint64_t{kDescBytes} * static_cast<uint64_t>(layers);
  if (table_end > file_bytes) {
    Fail(origin, -1, "descriptor table",
         "{} descriptors end at byte {}, past the end of the file ({})", layers, table_end,
         file_bytes);
  }

  Model model;
  const auto* name = reinterpret_cast<const char*>(h + hdr::kName);
  const size_t name_len = std::find(name, name + kNameBytes, '\0') - name;
  if (name_len == kNameBytes) {
    Fail(origin, -1, "name", "not NUL-terminated within {} bytes", kNameBytes);
  }
  for (size_t b = name_len; b < kNameBytes; ++b) {
    if (name[b] != '\0') Fail(origin, -1, "name", "nonzero padding byte {} after the NUL", b);
  }
  model.name.assign(name, name_len);
  model.input = {Get16(h + hdr::kInH), Get16(h + hdr::kInW), Get16(h + hdr::kInC)};
  model.input_exp = AsI8(h[hdr::kInExp]);

  // Descriptors: semantic field checks, then sizes against the geometry and placement in the
  // file, all before any allocation that depends on them.
  std::vector<Section> sections;
  sections.reserve(3 * static_cast<size_t>(layers));
  model.layers.resize(static_cast<size_t>(layers));
  for (int i = 0; i < layers; ++i) {
    const uint8_t* p = h + kHeaderBytes + kDescBytes * static_cast<size_t>(i);
    LayerDesc& d = model.layers[static_cast<size_t>(i)].desc;
    d = ParseDescriptor(p, origin, i);
    const LayerSections s = SectionSizes(d);  // small: ValidateLayerDesc bounds the geometry
    if (Get32(p + desc::kVectors) != static_cast<uint64_t>(s.vectors)) {
      Fail(origin, i, "vector count", "{}, the geometry gives {}", Get32(p + desc::kVectors),
           s.vectors);
    }
    sections.push_back(CheckSection(p, desc::kCodesOffset, desc::kCodesBytes, "codes",
                                    s.codes_bytes, table_end, file_bytes, origin, i));
    sections.push_back(CheckSection(p, desc::kAlphaOffset, desc::kAlphaBytes, "alpha",
                                    s.alpha_bytes, table_end, file_bytes, origin, i));
    sections.push_back(CheckSection(p, desc::kBiasOffset, desc::kBiasBytes, "bias", s.bias_bytes,
                                    table_end, file_bytes, origin, i));
  }

  // No two sections may overlap; every byte outside the header, the table and the sections is
  // padding and must be 0.
  std::sort(sections.begin(), sections.end(),
            [](const Section& a, const Section& b) { return a.begin < b.begin; });
  uint64_t covered = table_end;
  const Section* previous = nullptr;
  for (const Section& s : sections) {
    if (previous != nullptr && s.begin < previous->end) {
      Fail(origin, s.layer, fmt::format("{} offset", s.name),
           "section [0x{:x}, 0x{:x}) overlaps layer {} {} [0x{:x}, 0x{:x})", s.begin, s.end,
           previous->layer, previous->name, previous->begin, previous->end);
    }
    for (uint64_t b = covered; b < s.begin; ++b) {
      if (bytes[b] != 0) Fail(origin, -1, "padding", "byte 0x{:x} is 0x{:02x}, not 0", b, bytes[b]);
    }
    covered = s.end;
    previous = &s;
  }
  for (uint64_t b = covered; b < file_bytes; ++b) {
    if (bytes[b] != 0) Fail(origin, -1, "padding", "byte 0x{:x} is 0x{:02x}, not 0", b, bytes[b]);
  }

  // Payload. Each section lies inside the file, so every allocation is bounded by its size.
  for (int i = 0; i < layers; ++i) {
    const uint8_t* p = h + kHeaderBytes + kDescBytes * static_cast<size_t>(i);
    Layer& layer = model.layers[static_cast<size_t>(i)];
    const LayerDesc& d = layer.desc;
    layer.codes = UnpackCodes(h + Get32(p + desc::kCodesOffset), d.Weights(), d.bits, origin, i);
    const uint8_t* alphas = h + Get32(p + desc::kAlphaOffset);
    layer.alphas.assign(alphas, alphas + Get32(p + desc::kAlphaBytes));
    const uint8_t* biases = h + Get32(p + desc::kBiasOffset);
    layer.biases.resize(static_cast<size_t>(d.out_c));
    for (size_t o = 0; o < layer.biases.size(); ++o) {
      layer.biases[o] = static_cast<int32_t>(Get32(biases + 4 * o));
    }
  }

  model.Validate(origin);  // ranges, chaining, codes, accumulator bound
  if (h[hdr::kClasses] != model.Classes()) {
    Fail(origin, -1, "classes", "header says {} but the last layer has {} output channels",
         h[hdr::kClasses], model.Classes());
  }
  return model;
}

Model ReadModelFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("{}: cannot open: {}", path, ErrnoText(errno)));
  // Read to EOF (works for pipes too), refusing anything larger than the format allows.
  std::vector<uint8_t> bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) <= kMaxFileBytes) {
    bytes.reserve(static_cast<size_t>(st.st_size));
  }
  std::array<uint8_t, 1 << 16> chunk;
  while (true) {
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(fmt::format("{}: cannot read: {}", path, ErrnoText(err)));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > kMaxFileBytes) {
      ::close(fd);
      throw FormatError(fmt::format("{}: file size: larger than the format's limit of {} bytes",
                                    path, kMaxFileBytes));
    }
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
  }
  ::close(fd);
  return ParseModel(bytes, path);
}

void WriteModelFile(const Model& model, const std::string& path) {
  const std::vector<uint8_t> bytes = Serialize(model, path);
  // Write a temporary file next to the target, then rename it over the target: readers see
  // either the old file or the complete new one.
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(fmt::format("{}: cannot create {}: {}", path, tmp, ErrnoText(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) FailWrite(path, tmp, fd, "cannot write", errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) FailWrite(path, tmp, fd, "cannot sync", errno);
  if (::close(fd) != 0) FailWrite(path, tmp, -1, "cannot close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) FailWrite(path, tmp, -1, "cannot rename", errno);
}

}  // namespace qsa::cmodel
