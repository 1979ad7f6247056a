#include "formats/json_read.h"

#include <array>
#include <cmath>

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

std::string JVal::Json() const { return simdjson::minify(e_); }

void JVal::AppendJson(std::string& out) const { out += simdjson::minify(e_); }

std::string JObj::Json() const { return simdjson::minify(o_); }

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

std::optional<int64_t> AsInt(const JVal& v) { return v.ToInt(); }

std::optional<double> AsNumber(const JVal& v) { return v.ToDouble(); }

std::optional<int64_t> IntField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  return v ? AsInt(*v) : std::nullopt;
}

std::optional<double> NumberField(const JObj& o, std::string_view key) {
  auto v = o.find(key);
  return v ? AsNumber(*v) : std::nullopt;
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
