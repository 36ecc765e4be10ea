// qsa: the QSA command line. Thin: parses options and calls qsa::encoder / qsa::cmodel.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string_view>

#include "commands.h"
#include "qsa/cmodel/error.h"

namespace qsa::tools {

namespace {

// The temporary WriteTextFile writes before renaming it into place.
std::string TmpPath(const std::string& path) { return path + ".tmp"; }

// Whether a and b name the same file: the same inode when both exist (links included), else
// the same path once made absolute and normalized (an output that does not exist yet).
bool SameFile(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  if (std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec)) {
    return std::filesystem::equivalent(a, b, ec);
  }
  const std::filesystem::path ca = std::filesystem::weakly_canonical(a, ec);
  if (ec) return false;
  const std::filesystem::path cb = std::filesystem::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

}  // namespace

void CheckWritable(const std::string& option, const std::string& path,
                   std::initializer_list<std::string_view> inputs) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(fmt::format("{} {}: is a directory", option, path));
  }
  for (const std::string_view input : inputs) {
    if (!input.empty() && SameFile(path, input)) {
      throw Error(fmt::format("{} {}: is the same file as {}, which it would overwrite", option,
                              path, input));
    }
  }
  // WriteTextFile's temporary, created and removed again
  const std::string tmp = TmpPath(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw Error(fmt::format("{} {}: cannot write ({})", option, path, std::strerror(errno)));
    }
  }
  std::remove(tmp.c_str());
}

void WriteTextFile(const std::string& path, const std::string& text) {
  const std::string tmp = TmpPath(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("{}: cannot write ({})", path, std::strerror(errno)));
    out << text;
    out.close();
    if (!out) throw Error(fmt::format("{}: write failed ({})", path, std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot rename into place ({})", path, why));
  }
}

}  // namespace qsa::tools

int main(int argc, char** argv) {
  CLI::App app{
      "qsa: quality-scalable DNN accelerator tools (encoder, reference model, co-simulation)"};
  app.require_subcommand(1);
  // Option errors read like every other bad input (docs/cli.md): "qsa: error: ...", exit 1.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("qsa: error: {}\nRun with --help for more information.\n", e.what());
  });
  qsa::tools::AddEncodeCommand(app);
  qsa::tools::AddInspectCommand(app);
  qsa::tools::AddInferCommand(app);
#ifdef QSA_HAVE_SIM
  qsa::tools::AddSimCommand(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; any other parse error is bad input
    return app.exit(e) == 0 ? 0 : 1;
  } catch (const qsa::Error& e) {
    fmt::print(stderr, "qsa: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "qsa: internal error: {}\n", e.what());
    return 2;
  }
  return 0;
}
