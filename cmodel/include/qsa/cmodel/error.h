#pragma once
/// @file Error types of the QSA libraries.

#include <stdexcept>
#include <string>

namespace qsa {

/// Base of every error QSA throws; the message names the component and field at fault.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An invalid configuration or option (a struct's Validate()).
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A malformed input file (model file, data set, ONNX graph).
class FormatError : public Error {
 public:
  using Error::Error;
};

}  // namespace qsa
