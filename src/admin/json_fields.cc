#include "admin/json_fields.h"

#include <boost/json/parse.hpp>

namespace omni::admin {

Result<boost::json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  if (ec)
    return Error::InvalidRequest("request body is not valid JSON: " + ec.message(), "invalid_json");
  if (!v.is_object())
    return Error::InvalidRequest("request body must be a JSON object", "invalid_json");
  return std::move(v.as_object());
}

Error FieldError(std::string_view field, std::string_view problem) {
  return Error::InvalidRequest("field \"" + std::string(field) + "\" " + std::string(problem),
                               "invalid_field");
}

Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return FieldError(field, "must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<int64_t>> OptInt(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  return FieldError(field, "must be an integer");
}

Result<std::optional<bool>> OptBool(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return FieldError(field, "must be true or false");
  return std::optional<bool>(v->as_bool());
}

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < 12) return "****";
  return std::string(secret.substr(0, 3)) + "…" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace omni::admin
