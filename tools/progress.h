#pragma once
// A minimal progress bar on stderr, drawn only when stderr is a terminal.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace qsa::tools {

class Progress {
 public:
  Progress(std::string label, int64_t total);
  ~Progress();
  void Advance(int64_t n = 1);  ///< Thread-safe.
  void Finish();

 private:
  void Draw(int64_t done);
  std::string label_;
  int64_t total_;
  std::atomic<int64_t> done_{0};
  bool enabled_;
  bool finished_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace qsa::tools
