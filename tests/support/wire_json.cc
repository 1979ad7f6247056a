#include "wire_json.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace omni::formats {

Result<bj::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  // A bump allocator per document: decoding allocates thousands of small nodes, and freeing
  // them one by one was a third of the translation time. The values keep it alive.
  bj::value v = bj::parse(text, ec, bj::make_shared_resource<bj::monotonic_resource>());
  if (ec) return Error::InvalidRequest("body is not valid JSON: " + ec.message(), "invalid_json");
  return v;
}

bj::value ParseJsonOrNull(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec) return nullptr;
  return v;
}

Result<bj::object> ParseJsonObject(std::string_view text) {
  auto v = ParseJson(text);
  if (!v.ok()) return std::move(v).error();
  if (!v->is_object()) return Error::InvalidRequest("body must be a JSON object", "invalid_json");
  return std::move(v->as_object());
}

const bj::value* Field(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

std::string_view StringField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  if (!v || !v->is_string()) return {};
  const bj::string& s = v->get_string();
  return {s.data(), s.size()};
}

std::optional<int64_t> AsInt(const bj::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d)) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> AsNumber(const bj::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

std::optional<int64_t> IntField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  return v ? AsInt(*v) : std::nullopt;
}

std::optional<double> NumberField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  return v ? AsNumber(*v) : std::nullopt;
}

std::optional<bool> BoolField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

const bj::object* ObjectField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const bj::array* ArrayField(const bj::object& o, std::string_view key) {
  const bj::value* v = Field(o, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

bj::value Number(double d) { return bj::value(d); }

namespace {

void WriteDouble(double d, std::string& out) {
  if (!std::isfinite(d)) {
    out.append("null");
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

template <typename T>
void WriteInt(T i, std::string& out) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

}  // namespace

void WriteJson(const bj::value& v, std::string& out, JsonStyle style) {
  const char* colon = style == JsonStyle::kGemini ? ": " : ":";
  switch (v.kind()) {
    case bj::kind::null:
      out.append("null");
      break;
    case bj::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      break;
    case bj::kind::int64:
      WriteInt(v.get_int64(), out);
      break;
    case bj::kind::uint64:
      WriteInt(v.get_uint64(), out);
      break;
    case bj::kind::double_:
      WriteDouble(v.get_double(), out);
      break;
    case bj::kind::string: {
      const bj::string& s = v.get_string();
      AppendJsonQuoted(out, std::string_view(s.data(), s.size()));
      break;
    }
    case bj::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const bj::value& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        WriteJson(e, out, style);
      }
      out.push_back(']');
      break;
    }
    case bj::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonQuoted(out, std::string_view(kv.key().data(), kv.key().size()));
        out.append(colon);
        WriteJson(kv.value(), out, style);
      }
      out.push_back('}');
      break;
    }
  }
}

std::string ToJson(const bj::value& v, JsonStyle style) {
  std::string out;
  WriteJson(v, out, style);
  return out;
}

}  // namespace omni::formats
