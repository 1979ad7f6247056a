#pragma once
// JSON text helpers for code that writes small JSON by hand on hot paths (error bodies,
// the model rewrite) where building a DOM would cost more than the answer.
#include <string>
#include <string_view>

namespace omni {
// Appends `value` as a quoted, escaped JSON string literal.
void AppendJsonQuoted(std::string& out, std::string_view value);
}  // namespace omni
