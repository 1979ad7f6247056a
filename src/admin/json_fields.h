#pragma once
// Validating accessors for admin JSON bodies: each failure names the field, so a script
// author sees exactly what to fix ("field \"priority\" must be an integer").

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/result.h"

namespace omni::admin {

// Parses a body that must be a JSON object.
Result<boost::json::object> ParseObject(std::string_view body);

Error FieldError(std::string_view field, std::string_view problem);

// Each returns nullopt when the field is absent (or null); an Error when the type is wrong.
Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view field);
Result<std::optional<int64_t>> OptInt(const boost::json::object& o, std::string_view field);
Result<std::optional<bool>> OptBool(const boost::json::object& o, std::string_view field);

// A looked-up row, or 404 naming what was missing ("no provider node \"node_1\"").
template <typename T>
Result<T> Found(Result<std::optional<T>> row, std::string_view what, std::string_view id) {
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::NotFound("no " + std::string(what) + " \"" + std::string(id) + "\"");
  return std::move(**row);
}

// "sk-…wxyz": enough to recognise a key, never enough to use it.
std::string MaskSecret(std::string_view secret);

}  // namespace omni::admin
