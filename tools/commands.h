#pragma once
// Subcommands of the qsa tool: each registers its options on the app and runs on callback.

#include <CLI/CLI.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

namespace qsa::tools {

void AddEncodeCommand(CLI::App& app);
void AddInspectCommand(CLI::App& app);
void AddInferCommand(CLI::App& app);
/// `qsa sim` (only when built with the co-simulation, QSA_HAVE_SIM).
void AddSimCommand(CLI::App& app);

/// Throws qsa::Error naming `option` and `path` unless WriteTextFile(path, ...) can create its
/// file, or if `path` is one of the command's `inputs` (the same file under any name), which
/// it would overwrite: called before the work, so that neither its results nor its inputs are
/// lost.
void CheckWritable(const std::string& option, const std::string& path,
                   std::initializer_list<std::string_view> inputs = {});

/// Writes JSON text to `path` atomically; throws qsa::Error naming the path on failure.
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace qsa::tools
