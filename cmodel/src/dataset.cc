#include "qsa/cmodel/dataset.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "qsa/cmodel/error.h"

namespace qsa::cmodel {

namespace {

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw FormatError(fmt::format("{}: cannot open ({}); run scripts/fetch_data.sh (or make data)",
                                  path, std::strerror(errno)));
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

uint32_t Be32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

}  // namespace

Dataset Dataset::Head(int n) const {
  if (n <= 0 || n >= count) return *this;
  Dataset d = *this;
  d.count = n;
  d.images.resize(size_t(n) * height * width);
  d.labels.resize(size_t(n));
  return d;
}

std::string DataCacheDir() {
  if (const char* dir = std::getenv("QSA_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/qsa";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.cache/qsa";
}

Dataset ReadIdx(const std::string& images_path, const std::string& labels_path,
                const std::string& name) {
  const std::vector<uint8_t> img = ReadAll(images_path);
  const std::vector<uint8_t> lab = ReadAll(labels_path);
  if (img.size() < 16 || Be32(img, 0) != 0x00000803) {
    throw FormatError(fmt::format("{}: not an IDX image file (magic 0x00000803)", images_path));
  }
  if (lab.size() < 8 || Be32(lab, 0) != 0x00000801) {
    throw FormatError(fmt::format("{}: not an IDX label file (magic 0x00000801)", labels_path));
  }
  const uint64_t n = Be32(img, 4);
  const uint64_t h = Be32(img, 8);
  const uint64_t w = Be32(img, 12);
  if (h == 0 || w == 0 || h > 4096 || w > 4096 || n > (1u << 24)) {
    throw FormatError(fmt::format("{}: implausible dimensions {}x{}x{}", images_path, n, h, w));
  }
  if (img.size() != 16 + n * h * w) {
    throw FormatError(fmt::format("{}: {} bytes, expected {} for {} images of {}x{}", images_path,
                                  img.size(), 16 + n * h * w, n, h, w));
  }
  if (Be32(lab, 4) != n || lab.size() != 8 + n) {
    throw FormatError(fmt::format("{}: label count does not match the {} images of {}",
                                  labels_path, n, images_path));
  }
  Dataset d;
  d.name = name;
  d.count = static_cast<int>(n);
  d.height = static_cast<int>(h);
  d.width = static_cast<int>(w);
  d.images.assign(img.begin() + 16, img.end());
  d.labels.assign(lab.begin() + 8, lab.end());
  for (size_t i = 0; i < d.labels.size(); ++i) {
    if (d.labels[i] > 9) {
      throw FormatError(fmt::format("{}: label {} is {}, expected 0..9", labels_path, i,
                                    d.labels[i]));
    }
  }
  return d;
}

Dataset LoadDataset(const std::string& spec) {
  const size_t colon = spec.find(':');
  const std::string set = spec.substr(0, colon);
  const std::string split = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if ((set != "mnist" && set != "fashion") || (split != "train" && split != "test")) {
    throw ConfigError(fmt::format(
        "data set '{}': expected mnist:train, mnist:test, fashion:train or fashion:test", spec));
  }
  const std::string dir = DataCacheDir() + "/" + set + "/";
  return ReadIdx(dir + split + "-images-idx3-ubyte", dir + split + "-labels-idx1-ubyte", spec);
}

}  // namespace qsa::cmodel
