#pragma once
// JSON text helpers for code that writes small JSON by hand on hot paths (error bodies,
// the model rewrite) where building a DOM would cost more than the answer.
#include <cstddef>
#include <string>
#include <string_view>

namespace omni {
// Appends `value` as a quoted, escaped JSON string literal.
void AppendJsonQuoted(std::string& out, std::string_view value);
// The same at d, which must have room for JsonQuotedMaxSize(value.size()) bytes; returns the
// end of what was written.
char* WriteJsonQuoted(char* d, std::string_view value);
constexpr size_t JsonQuotedMaxSize(size_t n) { return 6 * n + 2 + 112; }
// True when no byte of `value` needs escaping in a JSON string (so it can be quoted as is).
bool JsonStringIsPlain(std::string_view value);
}  // namespace omni
