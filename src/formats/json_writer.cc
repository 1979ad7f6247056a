#include "formats/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace omni::formats {

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  const int d = depth_ % kMaxDepth;
  uint64_t& word = has_items_[static_cast<size_t>(d / 64)];
  const uint64_t bit = uint64_t{1} << (d % 64);
  if (depth_ > 0 && (word & bit)) out_.push_back(',');
  word |= bit;
}

void JsonWriter::Open(char c) {
  BeforeValue();
  out_.push_back(c);
  ++depth_;
  const int d = depth_ % kMaxDepth;
  has_items_[static_cast<size_t>(d / 64)] &= ~(uint64_t{1} << (d % 64));
}

void JsonWriter::Close(char c) {
  out_.push_back(c);
  --depth_;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  if (depth_ == 1) {
    if (n_top_keys_ < top_keys_.size())
      top_keys_[n_top_keys_++] = key;
    else
      more_top_keys_.push_back(key);
  }
  AppendJsonQuoted(out_, key);
  if (style_ == JsonStyle::kGemini)
    out_.append(": ");
  else
    out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonQuoted(out_, s);
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
