#pragma once
// JSON text helpers for code that writes small JSON by hand on hot paths (error bodies,
// the model rewrite) where building a DOM would cost more than the answer.
#include <string>
#include <string_view>

namespace omni {
// Appends `value` as a quoted, escaped JSON string literal.
void AppendJsonQuoted(std::string& out, std::string_view value);
// True when no byte of `value` needs escaping in a JSON string (so it can be quoted as is).
bool JsonStringIsPlain(std::string_view value);
}  // namespace omni
