#include "formats/json_read.h"

#include <array>
#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace omni::formats {
namespace {

// A simdjson parser keeps buffers of ~15 bytes per input byte of its largest document; the
// per-thread one only takes documents up to this size so it stays small (bigger bodies are
// rare and their parse dwarfs a fresh parser's setup).
constexpr size_t kThreadParserMaxBytes = 256 << 10;

}  // namespace

struct JsonDoc::ThreadParser {
  simdjson::dom::parser parser;
  bool in_use = false;
};

namespace {

// Two per thread: a document may be open while another is parsed (an encoder checking tool
// arguments while the request's document is still held).
JsonDoc::ThreadParser* FreeThreadParser() {
  thread_local std::array<JsonDoc::ThreadParser, 2> parsers;
  for (auto& p : parsers)
    if (!p.in_use) return &p;
  return nullptr;
}

}  // namespace

std::string_view JVal::get_string() const {
  std::string_view s;
  if (e_.get_string().get(s)) return {};
  return s;
}

bool JVal::get_bool() const {
  bool b = false;
  if (e_.get_bool().get(b)) return false;
  return b;
}

JObj JVal::get_object() const {
  simdjson::dom::object o;
  if (e_.get_object().get(o)) return JObj();
  return JObj(o);
}

JArr JVal::get_array() const {
  simdjson::dom::array a;
  if (e_.get_array().get(a)) return JArr();
  return JArr(a);
}

std::optional<int64_t> JVal::ToInt() const {
  int64_t i = 0;
  if (!e_.get_int64().get(i)) return i;
  uint64_t u = 0;
  if (!e_.get_uint64().get(u)) return static_cast<int64_t>(u);
  double d = 0;
  if (!e_.get_double().get(d) && d > -9.2e18 && d < 9.2e18) return static_cast<int64_t>(d);
  return std::nullopt;
}

std::optional<double> JVal::ToDouble() const {
  double d = 0;
  if (!e_.get_double().get(d)) return d;  // simdjson converts int64/uint64 here too
  return std::nullopt;
}

namespace {

void AppendObject(simdjson::dom::object o, std::string& out);

// Compact JSON text of a parsed value. Ours rather than simdjson::minify: strings go through
// the word-at-a-time AppendJsonQuoted (minify escapes byte by byte, and tool schemas and
// arguments are mostly strings). Depth is bounded by the parser's (1024).
void AppendElement(simdjson::dom::element e, std::string& out) {
  using Type = simdjson::dom::element_type;
  switch (e.type()) {
    case Type::ARRAY: {
      simdjson::dom::array a;
      if (e.get_array().get(a)) return;  // cannot fail: the type was checked
      out.push_back('[');
      bool first = true;
      for (simdjson::dom::element child : a) {
        if (!first) out.push_back(',');
        first = false;
        AppendElement(child, out);
      }
      out.push_back(']');
      return;
    }
    case Type::OBJECT: {
      simdjson::dom::object o;
      if (e.get_object().get(o)) return;  // cannot fail: the type was checked
      AppendObject(o, out);
      return;
    }
    case Type::STRING: {
      std::string_view s;
      if (e.get_string().get(s)) return;  // cannot fail: the type was checked
      AppendJsonQuoted(out, s);
      return;
    }
    case Type::INT64: {
      int64_t i = 0;
      if (e.get_int64().get(i)) return;  // cannot fail: the type was checked
      char buf[24];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, i).ptr);
      return;
    }
    case Type::UINT64: {
      uint64_t u = 0;
      if (e.get_uint64().get(u)) return;  // cannot fail: the type was checked
      char buf[24];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, u).ptr);
      return;
    }
    case Type::DOUBLE: {
      double d = 0;
      if (e.get_double().get(d)) return;  // cannot fail: the type was checked
      char buf[32];
      char* end = std::to_chars(buf, buf + sizeof buf, d).ptr;
      out.append(buf, end);
      // Keep it a floating-point number for the reader (1.0 stays 1.0, not 1).
      if (std::string_view(buf, static_cast<size_t>(end - buf)).find_first_of(".eE") ==
          std::string_view::npos)
        out.append(".0");
      return;
    }
    case Type::BOOL: {
      bool b = false;
      if (e.get_bool().get(b)) return;  // cannot fail: the type was checked
      out.append(b ? "true" : "false");
      return;
    }
    case Type::NULL_VALUE:
      out.append("null");
      return;
  }
}

void AppendObject(simdjson::dom::object o, std::string& out) {
  out.push_back('{');
  bool first = true;
  for (auto member : o) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonQuoted(out, member.key);
    out.push_back(':');
    AppendElement(member.value, out);
  }
  out.push_back('}');
}

}  // namespace

std::string JVal::Json() const {
  std::string out;
  AppendElement(e_, out);
  return out;
}

void JVal::AppendJson(std::string& out) const { AppendElement(e_, out); }

std::string JObj::Json() const {
  std::string out;
  AppendObject(o_, out);
  return out;
}

std::optional<JVal> JObj::find(std::string_view key) const {
  simdjson::dom::element e;
  if (o_.at_key(key).get(e)) return std::nullopt;
  return JVal(e);
}

JVal JArr::operator[](size_t i) const {
  simdjson::dom::element e;
  if (a_.at(i).get(e)) return JVal(simdjson::dom::element());
  return JVal(e);
}

JsonDoc::~JsonDoc() { Release(); }

void JsonDoc::Release() {
  if (thread_) thread_->in_use = false;
  thread_ = nullptr;
  parser_ = nullptr;
  own_.reset();
}

Result<JVal> JsonDoc::Parse(std::string_view text) {
  if (!parser_) {
    ThreadParser* tp = text.size() <= kThreadParserMaxBytes ? FreeThreadParser() : nullptr;
    if (tp) {
      tp->in_use = true;
      thread_ = tp;
      parser_ = &tp->parser;
    } else {
      own_ = std::make_unique<simdjson::dom::parser>();
      parser_ = own_.get();
    }
  }
  simdjson::dom::element root;
  // realloc_if_needed: simdjson reads up to 64 bytes past the end, so it copies the text into
  // its own padded buffer (reused across parses of the thread parser).
  auto error = parser_->parse(text.data(), text.size(), true).get(root);
  if (error) {
    return Error::InvalidRequest(
        std::string("body is not valid JSON: ") + simdjson::error_message(error), "invalid_json");
  }
  return JVal(root);
}

Result<JObj> JsonDoc::ParseObject(std::string_view text) {
  auto v = Parse(text);
  if (!v.ok()) return std::move(v).error();
  if (!v->is_object()) return Error::InvalidRequest("body must be a JSON object", "invalid_json");
  return v->get_object();
}

std::optional<JVal> Field(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  if (!v || v->is_null()) return std::nullopt;
  return v;
}

std::string_view StringField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  return v && v->is_string() ? v->get_string() : std::string_view();
}

std::optional<int64_t> IntField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  return v ? v->ToInt() : std::nullopt;
}

std::optional<double> NumberField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  return v ? v->ToDouble() : std::nullopt;
}

std::optional<bool> BoolField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

std::optional<JObj> ObjectField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  if (!v || !v->is_object()) return std::nullopt;
  return v->get_object();
}

std::optional<JArr> ArrayField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  if (!v || !v->is_array()) return std::nullopt;
  return v->get_array();
}

}  // namespace omni::formats
