#include "gateway/usage_sniffer.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace omni::gateway {
namespace {

constexpr size_t kMaxLine = 1 << 20;  // longer SSE lines are forwarded but not inspected

// Given text starting at '{', returns the length of the balanced object (0 if incomplete).
size_t ObjectLength(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return 0;
}

int64_t IntAt(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return 0;
}

const boost::json::object* ObjectAt(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

}  // namespace

bool FindUsage(std::string_view json, TokenUsage& usage) {
  // The last "usage" key wins (streams repeat it; the final one is complete).
  size_t pos = json.rfind("\"usage\"");
  while (pos != std::string_view::npos) {
    size_t i = pos + 7;
    while (i < json.size() &&
           (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
      ++i;
    if (i < json.size() && json[i] == ':') {
      ++i;
      while (i < json.size() &&
             (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
        ++i;
      if (i < json.size() && json[i] == '{') {
        size_t len = ObjectLength(json.substr(i));
        if (len == 0) return false;
        boost::system::error_code ec;
        auto v = boost::json::parse(boost::json::string_view(json.data() + i, len), ec);
        if (ec || !v.is_object()) return false;
        const auto& o = v.as_object();
        usage.input_tokens = IntAt(o, "prompt_tokens");
        usage.output_tokens = IntAt(o, "completion_tokens");
        if (const auto* d = ObjectAt(o, "prompt_tokens_details"))
          usage.cached_tokens = IntAt(*d, "cached_tokens");
        if (const auto* d = ObjectAt(o, "completion_tokens_details"))
          usage.reasoning_tokens = IntAt(*d, "reasoning_tokens");
        usage.present = true;
        return true;
      }
    }
    if (pos == 0) break;
    pos = json.rfind("\"usage\"", pos - 1);
  }
  return false;
}

void SseUsageSniffer::Feed(std::string_view piece) {
  while (!piece.empty()) {
    size_t nl = piece.find('\n');
    if (nl == std::string_view::npos) {
      if (!overflow_ && partial_.size() + piece.size() <= kMaxLine)
        partial_.append(piece);
      else
        overflow_ = true;
      return;
    }
    std::string_view rest = piece.substr(0, nl);
    if (partial_.empty()) {
      if (!overflow_) Line(rest);
    } else {
      if (!overflow_) {
        partial_.append(rest);
        Line(partial_);
      }
      partial_.clear();
    }
    overflow_ = false;
    piece.remove_prefix(nl + 1);
  }
}

void SseUsageSniffer::Line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.rfind("data:", 0) != 0) return;
  line.remove_prefix(5);
  if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line == "[DONE]") {
    saw_done_ = true;
    return;
  }
  // Cheap pre-check: most chunks carry no usage object at all.
  if (line.find("\"usage\"") == std::string_view::npos) return;
  TokenUsage u;
  if (FindUsage(line, u)) usage_ = u;
}

}  // namespace omni::gateway
