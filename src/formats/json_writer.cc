#include "formats/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/json_text.h"

namespace omni::formats {

bool JsonWriter::NeedsComma() {
  if (after_key_) {
    after_key_ = false;
    return false;
  }
  const int d = depth_ % kMaxDepth;
  uint64_t& word = has_items_[static_cast<size_t>(d / 64)];
  const uint64_t bit = uint64_t{1} << (d % 64);
  const bool comma = depth_ > 0 && (word & bit);
  word |= bit;
  return comma;
}

void JsonWriter::Open(char c) {
  if (NeedsComma()) {
    const char two[2] = {',', c};
    out_.append(two, 2);
  } else {
    out_.push_back(c);
  }
  ++depth_;
  const int d = depth_ % kMaxDepth;
  has_items_[static_cast<size_t>(d / 64)] &= ~(uint64_t{1} << (d % 64));
}

void JsonWriter::Close(char c) {
  out_.push_back(c);
  --depth_;
}

void JsonWriter::Key(std::string_view key) {
  const bool comma = NeedsComma();
  if (depth_ == 1) {
    if (n_top_keys_ < top_keys_.size())
      top_keys_[n_top_keys_++] = key;
    else
      more_top_keys_.push_back(key);
  }
  WriteQuoted(comma, key, style_ == JsonStyle::kGemini ? std::string_view(": ") : ":");
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) { WriteQuoted(NeedsComma(), s, {}); }

void JsonWriter::WriteQuoted(bool comma, std::string_view s, std::string_view suffix) {
  // Most keys and many values are short and plain: then comma, quotes, text and colon go out
  // in one append.
  if (s.size() <= 32 && JsonStringIsPlain(s)) {
    char buf[1 + 1 + 32 + 1 + 2];
    size_t n = 0;
    buf[n] = ',';
    n += comma;
    buf[n++] = '"';
    std::memcpy(buf + n, s.data(), s.size());
    n += s.size();
    buf[n++] = '"';
    std::memcpy(buf + n, suffix.data(), suffix.size());
    n += suffix.size();
    out_.append(buf, n);
    return;
  }
  if (comma) out_.push_back(',');
  AppendJsonQuoted(out_, s);
  out_.append(suffix);
}

void JsonWriter::Int(int64_t i) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out_.append(buf, r.ptr);
}

void JsonWriter::Double(double d) {
  BeforeValue();
  if (!std::isfinite(d)) {
    out_.append("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out_.append(buf, r.ptr);
}

void JsonWriter::Bool(bool b) {
  BeforeValue();
  out_.append(b ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json.empty() ? std::string_view("null") : json);
}

bool JsonWriter::WroteTopLevelKey(std::string_view key) const {
  auto end = top_keys_.begin() + static_cast<std::ptrdiff_t>(n_top_keys_);
  return std::find(top_keys_.begin(), end, key) != end ||
         std::find(more_top_keys_.begin(), more_top_keys_.end(), key) != more_top_keys_.end();
}

}  // namespace omni::formats
