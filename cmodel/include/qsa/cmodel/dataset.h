#pragma once
/// @file Image data sets from the local data cache (scripts/fetch_data.sh), IDX format.

#include <cstdint>
#include <string>
#include <vector>

namespace qsa::cmodel {

/// A set of 8-bit single-channel images with labels.
struct Dataset {
  std::string name;  ///< e.g. "mnist:test"
  int count = 0;
  int height = 0;
  int width = 0;
  std::vector<uint8_t> images;  ///< count * height * width, row-major.
  std::vector<uint8_t> labels;

  const uint8_t* Image(int i) const { return images.data() + size_t(i) * height * width; }
  /// The first n images (or all if n <= 0 or n > count).
  Dataset Head(int n) const;
};

/// The data cache directory: $QSA_DATA_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/qsa.
std::string DataCacheDir();

/// Loads "mnist:train|test" or "fashion:train|test" from the cache; throws FormatError or
/// ConfigError naming the file or the spec at fault.
Dataset LoadDataset(const std::string& spec);

/// Reads an IDX image file and its label file.
Dataset ReadIdx(const std::string& images_path, const std::string& labels_path,
                const std::string& name);

}  // namespace qsa::cmodel
