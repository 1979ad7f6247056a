#pragma once
// Logging setup (spdlog to stderr). Log lines never contain secrets: callers log ids and
// provider names, never header values or bodies (see DESIGN.md "Security").
#include <string>

namespace omni {
void InitLogging(const std::string& level);
}  // namespace omni
