#pragma once
// Test helpers for wire JSON as a Boost.JSON DOM (golden comparisons, round trips; the
// codecs themselves read with formats/json_read.h and write with formats/json_writer.h): lenient
// typed field access (a missing field and a field of the wrong type read the same way), a
// non-throwing parse, and a writer that produces the exact byte style each wire uses
// (compact for OpenAI/Anthropic, `{"key": value,"key2": ...}` for Gemini SSE).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/json_writer.h"  // JsonStyle

namespace omni::formats {

namespace bj = boost::json;

// Parses `text` as JSON; a syntax error becomes a 400 invalid_request_error.
Result<bj::value> ParseJson(std::string_view text);
// JSON text (IR pass-through fields) as a DOM value; null when it does not parse.
bj::value ParseJsonOrNull(std::string_view text);
// Like ParseJson but the top level must be an object.
Result<bj::object> ParseJsonObject(std::string_view text);

// Field access. Each returns the "absent" value when the key is missing, null or of
// another type.
const bj::value* Field(const bj::object& o, std::string_view key);
std::string_view StringField(const bj::object& o, std::string_view key);
std::optional<int64_t> IntField(const bj::object& o, std::string_view key);
std::optional<double> NumberField(const bj::object& o, std::string_view key);
std::optional<bool> BoolField(const bj::object& o, std::string_view key);
const bj::object* ObjectField(const bj::object& o, std::string_view key);
const bj::array* ArrayField(const bj::object& o, std::string_view key);
std::optional<int64_t> AsInt(const bj::value& v);
std::optional<double> AsNumber(const bj::value& v);

void WriteJson(const bj::value& v, std::string& out, JsonStyle style = JsonStyle::kCompact);
std::string ToJson(const bj::value& v, JsonStyle style = JsonStyle::kCompact);

// A JSON number for a double that prints the shortest round-trip form (0.7, not 7E-1).
bj::value Number(double d);

}  // namespace omni::formats
