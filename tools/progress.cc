#include "progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace qsa::tools {

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) != 0 && total > 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Advance(int64_t n) {
  const int64_t done = done_ += n;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  Draw(done);
}

void Progress::Draw(int64_t done) {
  constexpr int kWidth = 40;
  const double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(stderr, "\r{} [{:<{}}] {}/{} {:.1f}s", label_, std::string(size_t(filled), '#'),
             kWidth, done, total_, secs);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::lock_guard lock(mu_);
  Draw(done_);
  fmt::print(stderr, "\n");
}

}  // namespace qsa::tools
