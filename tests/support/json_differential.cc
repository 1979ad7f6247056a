#include "json_differential.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

namespace omni::testing {

namespace bj = boost::json;
using formats::JArr;
using formats::JObj;
using formats::JVal;

namespace {

size_t Depth(const bj::value& v) {
  size_t d = 0;
  if (v.is_array())
    for (const bj::value& e : v.get_array()) d = std::max(d, Depth(e));
  else if (v.is_object())
    for (const auto& m : v.get_object()) d = std::max(d, Depth(m.value()));
  else
    return 0;
  return d + 1;
}

bool HasSpaceOutsideStrings(std::string_view json) {
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return true;
    }
  }
  return false;
}

// Boost 1.81 does not always round decimal→double correctly (and the same text can come out
// one ulp apart in two documents), so it only bounds ours, which is checked against strtod.
bool NearlyEqual(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b || std::abs(a - b) <= std::max(std::abs(b) * 1e-14, 1e-320);
}

// Boost values equal up to NearlyEqual doubles.
bool SameValue(const bj::value& a, const bj::value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.is_double()) return NearlyEqual(a.get_double(), b.get_double());
  if (a.is_array()) {
    const bj::array &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!SameValue(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const bj::object &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
      if (i->key() != j->key() || !SameValue(i->value(), j->value())) return false;
    return true;
  }
  return a == b;
}

std::string DiffNumber(JVal ours, const bj::value& ref) {
  const std::string raw(ours.raw());
  const std::optional<double> d = ours.ToDouble();
  const double exact = std::strtod(raw.c_str(), nullptr);  // correctly rounded, ±inf past range
  if (!std::isfinite(exact)) {
    if (d) return "ToDouble of an overflowing number is " + std::to_string(*d);
  } else if (!d) {
    return "ToDouble is nullopt";
  } else if (*d != exact || std::signbit(*d) != std::signbit(exact)) {
    return "ToDouble is not correctly rounded";
  }
  // Boost 1.81 reads a zero with an exponent past the double range (0e782) as NaN; it is 0.
  const double want = ref.is_double()  ? ref.get_double()
                      : ref.is_int64() ? static_cast<double>(ref.get_int64())
                                       : static_cast<double>(ref.get_uint64());
  if (std::isnan(want) ? exact != 0 : !NearlyEqual(exact, want))
    return "Boost reads " + std::to_string(want);
  const std::optional<int64_t> i = ours.ToInt();
  if (ref.is_int64() && i != ref.get_int64()) return "ToInt differs from Boost's int64";
  if (ref.is_uint64() && i != static_cast<int64_t>(ref.get_uint64()))
    return "ToInt differs from Boost's uint64 (cast)";
  if (ref.is_double() && d && std::abs(*d) < 9.2e18 && i != static_cast<int64_t>(*d))
    return "ToInt is not the truncated double";
  return "";
}

// raw() and Json() of `v` (and, when `deep`, of every value inside) re-parse to `ref`.
std::string CheckViews(JVal v, const bj::value& ref, bool deep) {
  const BoostParse raw(v.raw());
  if (!raw.ok() || !SameValue(raw.value, ref))
    return "raw() does not re-parse: " + Printable(v.raw());
  const std::string json = v.Json();
  const BoostParse compact(json);
  if (!compact.ok() || !SameValue(compact.value, ref))
    return "Json() does not re-parse: " + Printable(json);
  if (HasSpaceOutsideStrings(json)) return "Json() has whitespace: " + Printable(json);
  if (!deep) return "";
  if (v.is_array()) {
    size_t n = 0;
    for (JVal e : v.get_array())
      if (auto d = CheckViews(e, ref.get_array()[n++], deep); !d.empty()) return d;
  } else if (v.is_object()) {
    // Against each member's own parse: Boost's object has dropped repeated keys.
    for (auto [key, value] : v.get_object()) {
      const BoostParse alone(value.raw());
      if (!alone.ok()) return "raw() of member \"" + Printable(key) + "\" does not parse";
      if (auto d = CheckViews(value, alone.value, deep); !d.empty()) return d;
    }
  }
  return "";
}

// Exponent digit runs longer than 3 (outside strings) become "999", so Boost can check the rest
// of a document it refused only for its exponent.
std::string ShortenExponents(std::string_view text) {
  const auto digit = [&](size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
  };
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    out += c;
    if (in_string) {
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if ((c == 'e' || c == 'E') && i > 0 && digit(i - 1)) {
      if (i + 1 < text.size() && (text[i + 1] == '+' || text[i + 1] == '-')) out += text[++i];
      size_t n = 0;
      while (digit(i + 1 + n)) ++n;
      out += n > 3 ? std::string("999") : std::string(text.substr(i + 1, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string Printable(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (out.size() >= 400) return out + "...(" + std::to_string(bytes.size()) + " bytes)";
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

namespace {

bj::parse_options DeepOptions() {
  bj::parse_options options;
  options.max_depth = 2000;
  return options;
}

}  // namespace

// Built in place: assigning a parsed value would deep-copy it (quadratic on deep documents).
BoostParse::BoostParse(std::string_view text) : value(bj::parse(text, ec, {}, DeepOptions())) {}

std::string DiffTrees(JVal ours, const bj::value& ref, const std::string& path) {
  const auto fail = [&](const std::string& what) { return what + " at " + path; };
  switch (ref.kind()) {
    case bj::kind::null:
      return ours.is_null() ? "" : fail("expected null");
    case bj::kind::bool_:
      return ours.is_bool() && ours.get_bool() == ref.get_bool() ? "" : fail("expected a bool");
    case bj::kind::string:
      if (!ours.is_string()) return fail("expected a string");
      if (ours.get_string() != std::string_view(ref.get_string()))
        return fail("string \"" + Printable(ours.get_string()) + "\" vs \"" +
                    Printable(ref.get_string()) + "\"");
      return "";
    case bj::kind::int64:
    case bj::kind::uint64:
    case bj::kind::double_: {
      if (!ours.is_number()) return fail("expected a number");
      const std::string d = DiffNumber(ours, ref);
      return d.empty() ? "" : fail(d + " (" + std::string(ours.raw()) + ")");
    }
    case bj::kind::array: {
      if (!ours.is_array()) return fail("expected an array");
      const JArr a = ours.get_array();
      const bj::array& r = ref.get_array();
      if (a.size() != r.size()) return fail("array size " + std::to_string(a.size()));
      size_t n = 0;
      for (JVal e : a) {
        if (n >= r.size()) return fail("iteration runs past size()");
        if (auto d = DiffTrees(e, r[n], path + "[" + std::to_string(n) + "]"); !d.empty()) return d;
        // operator[] walks the array: only the first elements, to stay linear.
        if (n < 16 && a[n].raw().data() != e.raw().data()) return fail("operator[] != iteration");
        ++n;
      }
      if (n != r.size()) return fail("iteration ends early");
      if (n < 16 && (!a[n].is_null() || a[n].raw() != "null")) return fail("a[size()] not null");
      return "";
    }
    case bj::kind::object: {
      if (!ours.is_object()) return fail("expected an object");
      const JObj o = ours.get_object();
      const bj::object& r = ref.get_object();
      std::vector<std::pair<std::string_view, JVal>> members;  // distinct keys, last values
      std::map<std::string_view, size_t> index;
      size_t n = 0;
      for (auto [key, value] : o) {
        ++n;
        auto [it, fresh] = index.emplace(key, members.size());
        if (fresh) {
          members.emplace_back(key, value);
          if (o.find(key)->raw().data() != value.raw().data()) return fail("find() not first");
        } else {
          members[it->second].second = value;
        }
      }
      if (n != o.size()) return fail("size() " + std::to_string(o.size()) + " vs iteration");
      if (members.size() != r.size()) return fail("distinct keys " + std::to_string(n));
      auto it = r.begin();
      for (const auto& [key, value] : members) {
        if (key != std::string_view(it->key())) return fail("key \"" + Printable(key) + "\"");
        if (auto d = DiffTrees(value, it->value(), path + "." + Printable(key.substr(0, 16)));
            !d.empty())
          return d;
        ++it;
      }
      return "";
    }
  }
  return fail("unknown kind");
}

std::string CompareWithBoost(std::string_view input, bool deep) {
  const std::unique_ptr<char[]> copy(new char[input.size()]);
  std::memcpy(copy.get(), input.data(), input.size());
  const std::string_view text(copy.get(), input.size());
  formats::JsonDoc doc;
  Result<JVal> ours = doc.Parse(text);
  const BoostParse ref(text);
  if (!ours.ok()) {
    const Error& e = ours.error();
    if (e.status != 400 || e.code != "invalid_json") return "error is not a 400 invalid_json";
    if (!ref.ok()) return "";
    if (Depth(ref.value) > formats::JsonTape::kMaxDepth &&
        e.message.find("nesting deeper than 1024") != std::string::npos)
      return "";
    return "we reject (" + e.message + "), Boost accepts";
  }
  if (!ref.ok()) {
    if (ref.ec != bj::error::exponent_overflow)
      return "we accept, Boost rejects: " + ref.ec.message();
    const std::string shorter = ShortenExponents(text);
    if (!BoostParse(shorter).ok()) return "we accept, Boost rejects even with short exponents";
    return formats::JsonDoc().Parse(shorter).ok() ? "" : "we reject it with short exponents";
  }
  if (auto d = DiffTrees(*ours, ref.value); !d.empty()) return d;
  return CheckViews(*ours, ref.value, deep && text.size() <= 8192);
}

std::string RandomJson::Document() {
  std::string out;
  Space(out);
  Value(out, 0);
  Space(out);
  return out;
}

void RandomJson::Space(std::string& out) {
  if (Below(4) != 0) return;
  for (size_t n = 1 + Below(3); n > 0; --n) out += " \t\r\n"[Below(4)];
}

void RandomJson::Value(std::string& out, int depth) {
  const size_t pick = Below(depth < 5 ? 10 : 7);
  if (pick < 3) return String(out);
  if (pick < 5) return Number(out);
  if (pick < 7) {
    out += pick == 5 ? "null" : Below(2) ? "true" : "false";
    return;
  }
  const bool object = pick >= 8;
  out += object ? '{' : '[';
  const size_t n = Below(7);
  std::vector<std::string> keys;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    Space(out);
    if (object) {
      if (!keys.empty() && Below(5) == 0) {  // a repeated key
        out += keys[Below(keys.size())];
      } else {
        keys.emplace_back();
        String(keys.back());
        out += keys.back();
      }
      Space(out);
      out += ':';
      Space(out);
    }
    Value(out, depth + 1);
    Space(out);
  }
  if (n == 0) Space(out);
  out += object ? '}' : ']';
}

void RandomJson::Hex4(std::string& out, uint32_t v) {
  const char* digits = Below(2) ? "0123456789abcdef" : "0123456789ABCDEF";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(v >> shift) & 0xf];
}

void RandomJson::String(std::string& out) {
  static const char* const kEscapes[] = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"};
  out += '"';
  const size_t pieces = Below(4) == 0 ? 0 : Below(Below(3) == 0 ? 80 : 20);
  for (size_t i = 0; i < pieces; ++i) {
    switch (Below(12)) {
      case 0:
        out += kEscapes[Below(8)];
        break;
      case 1: {  // \u outside the surrogates
        uint32_t v = static_cast<uint32_t>(Below(0x10000));
        if (v >= 0xd800 && v <= 0xdfff) v -= 0x800;
        Hex4(out, v);
        break;
      }
      case 2:  // a surrogate pair
        Hex4(out, 0xd800 + static_cast<uint32_t>(Below(0x400)));
        Hex4(out, 0xdc00 + static_cast<uint32_t>(Below(0x400)));
        break;
      case 3: {  // raw UTF-8, 2 to 4 bytes, never a surrogate
        const uint32_t lo[] = {0x80, 0x800, 0xe000, 0x10000};
        const uint32_t hi[] = {0x7ff, 0xd7ff, 0xffff, 0x10ffff};
        const size_t k = Below(4);
        const uint32_t cp = lo[k] + static_cast<uint32_t>(Below(hi[k] - lo[k] + 1));
        if (cp < 0x800) {
          out += static_cast<char>(0xc0 | (cp >> 6));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xe0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        } else {
          out += static_cast<char>(0xf0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        }
        out += static_cast<char>(0x80 | (cp & 0x3f));
        break;
      }
      case 4:  // a plain run of about one 16-byte block
        out.append(15 + Below(3), static_cast<char>('a' + Below(26)));
        break;
      default:
        out += static_cast<char>(0x20 + Below(0x5f));
        if (out.back() == '"' || out.back() == '\\') out.back() = '_';
    }
  }
  out += '"';
}

void RandomJson::Number(std::string& out) {
  const auto digit = [this] { return static_cast<char>('0' + Below(10)); };
  if (Below(2)) out += '-';
  if (Below(4) == 0) {
    out += '0';
  } else {
    out += static_cast<char>('1' + Below(9));
    for (size_t n = Below(Below(4) == 0 ? 25 : 6); n > 0; --n) out += digit();
  }
  if (Below(3) == 0) {
    out += '.';
    for (size_t n = 1 + Below(20); n > 0; --n) out += digit();
  }
  if (Below(4) == 0) {
    out += "eE"[Below(2)];
    if (Below(2)) out += "+-"[Below(2)];
    for (size_t n = 1 + Below(3); n > 0; --n) out += digit();
  }
}

void MutateJson(std::string& s, RandomJson& r) {
  static constexpr unsigned char kInteresting[] = {
      '"',  '\\', '/',  'u', 'n', 0x00, 0x1f, ' ', 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xf0,
      0xf4, 0xf5, 0xff, '{', '}', '[',  ']',  ',', ':',  '0',  '-',  '.',  'e',  'E',  '+',  'D'};
  const char byte = r.Below(4) == 0 ? static_cast<char>(r.Below(256))
                                    : static_cast<char>(kInteresting[r.Below(sizeof kInteresting)]);
  if (s.empty()) {
    s += byte;
    return;
  }
  size_t at = r.Below(s.size());
  if (r.Below(3) == 0) {  // around the string scanner's 16-byte block edge
    std::vector<size_t> quotes;
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] == '"') quotes.push_back(i);
    if (!quotes.empty())
      at = std::min(s.size() - 1, quotes[r.Below(quotes.size())] + 15 + r.Below(4));
  }
  switch (r.Below(6)) {
    case 0:
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), byte);
      break;
    case 1:
      s.erase(at, 1 + r.Below(3));
      break;
    case 2:
      s[at] = static_cast<char>(s[at] ^ (1 << r.Below(8)));
      break;
    case 3:
      s[at] = byte;
      break;
    case 4:
      s.resize(at);
      break;
    default:  // duplicate a piece: repeats keys, digits, escapes
      s.insert(r.Below(s.size() + 1), s.substr(at, 1 + r.Below(8)));
  }
}

}  // namespace omni::testing
