#include "formats/json_read.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace omni::formats {
namespace {

// A tape holds ~2 bytes per input byte; the per-thread ones only take documents up to this
// size so they stay small (bigger bodies are rare and their parse dwarfs a fresh tape's setup).
constexpr size_t kThreadTapeMaxBytes = 256 << 10;

// Copies JSON text without the whitespace between tokens (strings are copied verbatim).
void AppendCompact(std::string& out, std::string_view json) {
  const char* p = json.data();
  const char* const end = p + json.size();
  while (p < end) {
    const char* run = p;
    while (p < end && !IsJsonSpace(*p) && *p != '"') ++p;
    out.append(run, p);
    if (p == end) break;
    if (*p != '"') {
      ++p;
      continue;
    }
    // A string: up to its closing quote, stepping over escapes.
    const char* s = p++;
    while (p < end && *p != '"') p += *p == '\\' ? 2 : 1;
    p = p < end ? p + 1 : end;
    out.append(s, p);
  }
}

}  // namespace

struct JsonDoc::ThreadTape {
  JsonTape tape;
  bool in_use = false;
};

namespace {

// Two per thread: a document may be open while another is parsed (an encoder checking tool
// arguments while the request's document is still held).
JsonDoc::ThreadTape* FreeThreadTape() {
  thread_local std::array<JsonDoc::ThreadTape, 2> tapes;
  for (auto& t : tapes)
    if (!t.in_use) return &t;
  return nullptr;
}

}  // namespace

std::optional<int64_t> JVal::ToInt() const {
  if (!is_number()) return std::nullopt;
  const std::string_view text = raw();
  const char* const first = text.data();
  const char* const last = first + text.size();
  if (t_->node(i_).flags & JsonTape::kInteger) {
    int64_t i = 0;
    if (auto r = std::from_chars(first, last, i); r.ec == std::errc() && r.ptr == last) return i;
    uint64_t u = 0;
    if (auto r = std::from_chars(first, last, u); r.ec == std::errc() && r.ptr == last)
      return static_cast<int64_t>(u);
  }
  if (auto d = ToDouble(); d && *d > -9.2e18 && *d < 9.2e18) return static_cast<int64_t>(*d);
  return std::nullopt;
}

std::optional<double> JVal::ToDouble() const {
  if (!is_number()) return std::nullopt;
  const std::string_view text = raw();
  double d = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // Rare: too small to represent is (signed) zero, too large has no double. strtod tells
    // them apart by value (the text alone does not: 0.000…1 has no exponent, 1000…e-10 is
    // huge). The program never sets a locale, so '.' is the decimal point.
    const double v = std::strtod(std::string(text).c_str(), nullptr);
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  }
  if (r.ec != std::errc() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string JVal::Json() const {
  std::string out;
  AppendJson(out);
  return out;
}

void JVal::AppendJson(std::string& out) const {
  if (t_ && (t_->node(i_).flags & JsonTape::kSpaced))
    AppendCompact(out, raw());
  else
    out.append(raw());
}

namespace {

// Member names are short: compared with a few overlapping word loads (never outside either
// text) instead of a memcmp call.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8 && n <= 16) return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
  if (n >= 4 && n < 8) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  if (n < 4) {
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

std::optional<JVal> JObj::find(std::string_view key) const {
  if (!t_) return std::nullopt;
  // Most members differ in length, read from the key's node before its text is located; only
  // names of the same length are compared.
  const uint32_t end = t_->node(i_).next;
  for (uint32_t k = i_ + 1; k != end; k = t_->node(k + 1).next) {
    if (t_->node(k).count != key.size()) continue;
    if (SameBytes(t_->String(k).data(), key.data(), key.size())) return JVal(t_, k + 1);
  }
  return std::nullopt;
}

JVal JArr::operator[](size_t i) const {
  for (JVal v : *this)
    if (i-- == 0) return v;
  return JVal();
}

JsonDoc::~JsonDoc() { Release(); }

void JsonDoc::Release() {
  if (thread_) thread_->in_use = false;
  thread_ = nullptr;
  tape_ = nullptr;
  own_.reset();
}

Result<JVal> JsonDoc::Parse(std::string_view text) {
  if (!tape_) {
    ThreadTape* tt = text.size() <= kThreadTapeMaxBytes ? FreeThreadTape() : nullptr;
    if (tt) {
      tt->in_use = true;
      thread_ = tt;
      tape_ = &tt->tape;
    } else {
      own_ = std::make_unique<JsonTape>();
      tape_ = own_.get();
    }
  }
  if (auto parsed = tape_->Parse(text); !parsed.ok()) return std::move(parsed).error();
  return JVal(tape_, 0);
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
