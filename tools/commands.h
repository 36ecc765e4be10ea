#pragma once
// Subcommands of the qsa tool: each registers its options on the app and runs on callback.

#include <CLI/CLI.hpp>

namespace qsa::tools {

void AddEncodeCommand(CLI::App& app);
void AddInspectCommand(CLI::App& app);
void AddInferCommand(CLI::App& app);
/// `qsa sim` (only when built with the co-simulation, QSA_HAVE_SIM).
void AddSimCommand(CLI::App& app);

/// Writes JSON text to `path` atomically; throws qsa::Error naming the path on failure.
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace qsa::tools
