#include "formats/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/json_text.h"

namespace omni::formats {
namespace {

// Strings up to this size are written straight into an owned tail (room for the worst case is
// made first); longer ones grow the string as their escapes need, so a huge prompt never
// reserves six times its size.
constexpr size_t kDirectQuoteMax = 4096;

}  // namespace

JsonWriter::JsonWriter(std::string& out, JsonStyle style, JsonTail tail)
    : out_(out), style_(style) {
  if (tail == JsonTail::kOwned) TakeTail();
}

void JsonWriter::TakeTail() {
  const size_t used = out_.size();
  // The spare capacity becomes the tail (zero-filled once, by resize).
  out_.resize(std::max(out_.capacity(), used + 256));
  cur_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void JsonWriter::Finish() {
  if (!cur_) return;
  out_.resize(static_cast<size_t>(cur_ - out_.data()));
  cur_ = end_ = nullptr;
}

void JsonWriter::Regrow(size_t n) {
  const size_t used = static_cast<size_t>(cur_ - out_.data());
  out_.resize(std::max(out_.size() * 2, used + n + 256));
  cur_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void JsonWriter::WriteKey(std::string_view key, bool plain) {
  const bool comma = NeedsComma();
  if (depth_ == 1) {
    if (n_top_keys_ < top_keys_.size())
      top_keys_[n_top_keys_++] = key;
    else
      more_top_keys_.push_back(key);
  }
  WriteQuoted(comma, key, style_ == JsonStyle::kGemini ? std::string_view(": ") : ":", plain);
  after_key_ = true;
}

void JsonWriter::WriteQuoted(bool comma, std::string_view s, std::string_view suffix, bool plain) {
  // Most keys and many values are short and plain: then comma, quotes, text and colon go out
  // in one piece. Written straight into the tail: composing them in a stack buffer first and
  // copying that with wide loads stalls each load on the byte stores just made.
  if (s.size() <= 32 && (plain || JsonStringIsPlain(s))) {
    if (!cur_) {
      char buf[1 + 1 + 32 + 1 + 2];
      const size_t n = ComposeQuoted(buf, comma, s, suffix);
      out_.append(buf, n);
      return;
    }
    Room(1 + 1 + 32 + 1 + 2);
    cur_ += ComposeQuoted(cur_, comma, s, suffix);
    return;
  }
  if (comma) PutChar(',');
  if (cur_ && s.size() <= kDirectQuoteMax) {
    Room(JsonQuotedMaxSize(s.size()));
    cur_ = WriteJsonQuoted(cur_, s);
  } else if (cur_) {
    // Hand the string back for the growing form, then take the tail again.
    Finish();
    AppendJsonQuoted(out_, s);
    TakeTail();
  } else {
    AppendJsonQuoted(out_, s);
  }
  Put(suffix);
}

void JsonWriter::Int(int64_t i) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  Put(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

void JsonWriter::Double(double d) {
  BeforeValue();
  if (!std::isfinite(d)) {
    Put("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  Put(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

void JsonWriter::Bool(bool b) {
  BeforeValue();
  Put(b ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  Put("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  Put(json.empty() ? std::string_view("null") : json);
}

void JsonWriter::Value(const JVal& v) {
  BeforeValue();
  if (v.compact())
    Put(v.raw());
  else
    Put(v.Json());
}

bool JsonWriter::WroteTopLevelKey(std::string_view key) const {
  auto end = top_keys_.begin() + static_cast<std::ptrdiff_t>(n_top_keys_);
  return std::find(top_keys_.begin(), end, key) != end ||
         std::find(more_top_keys_.begin(), more_top_keys_.end(), key) != more_top_keys_.end();
}

}  // namespace omni::formats
