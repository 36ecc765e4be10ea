#pragma once
// Subcommands of the qsa tool: each registers its options on the app and runs on callback.

#include <CLI/CLI.hpp>
#include <string>

namespace qsa::tools {

void AddEncodeCommand(CLI::App& app);
void AddInspectCommand(CLI::App& app);
void AddInferCommand(CLI::App& app);
/// `qsa sim` (only when built with the co-simulation, QSA_HAVE_SIM).
void AddSimCommand(CLI::App& app);

/// Throws qsa::Error naming `option` and `path` unless WriteTextFile(path, ...) can create its
/// file: called before a long run, so that its results are not lost at the end.
void CheckWritable(const std::string& option, const std::string& path);

/// Writes JSON text to `path` atomically; throws qsa::Error naming the path on failure.
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace qsa::tools
