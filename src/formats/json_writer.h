#pragma once
// Writes JSON text directly, for encoders on the request/stream path: no DOM, no per-node
// allocation, one growing output string. Commas are placed automatically.
//
//   std::string out;
//   JsonWriter w(out);
//   w.BeginObject();
//   w.Key("model"); w.String(model);
//   w.Key("tools"); w.BeginArray(); ... w.EndArray();
//   w.EndObject();
//
// Keys written at the top level are remembered so `WroteTopLevelKey` can tell an encoder that
// re-emits pass-through fields which ones it already set. Keys must outlive the writer
// (literals or strings of the IR being encoded).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_read.h"


namespace omni::formats {

// Compact for OpenAI/Anthropic; Gemini's SSE wire puts a space after each colon.
enum class JsonStyle { kCompact, kGemini };

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, JsonStyle style = JsonStyle::kCompact)
      : out_(out), style_(style) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t i);
  void Double(double d);  // shortest round-trip form; non-finite → null
  void Bool(bool b);
  void Null();
  // Already-serialised JSON text (a pass-through field, a tool schema). Empty → null.
  void Raw(std::string_view json);
  // A parsed value, as its (compacted) source text.
  void Value(const JVal& v) {
    BeforeValue();
    v.AppendJson(out_);
  }

  // Shorthands for one member.
  void Field(std::string_view key, std::string_view s) {
    Key(key);
    String(s);
  }
  void Field(std::string_view key, const char* s) { Field(key, std::string_view(s)); }
  void Field(std::string_view key, const std::string& s) { Field(key, std::string_view(s)); }
  void IntField(std::string_view key, int64_t i) {
    Key(key);
    Int(i);
  }
  void BoolField(std::string_view key, bool b) {
    Key(key);
    Bool(b);
  }

  bool WroteTopLevelKey(std::string_view key) const;
  std::string& out() { return out_; }

 private:
  // Whether the next value needs a comma before it (and marks the container non-empty).
  bool NeedsComma();
  void BeforeValue() {
    if (NeedsComma()) out_.push_back(',');
  }
  void WriteQuoted(bool comma, std::string_view s, std::string_view suffix);
  void Open(char c);
  void Close(char c);

  static constexpr int kMaxDepth = 256;

  std::string& out_;
  JsonStyle style_;
  // Bit d set: the container at depth d already has a member/element (the next needs a comma).
  // Deeper nesting than kMaxDepth reuses bits (and may misplace commas): encoders nest a
  // handful of levels, and deep client values come through Raw.
  std::array<uint64_t, kMaxDepth / 64> has_items_{};
  int depth_ = 0;
  bool after_key_ = false;
  // Top-level keys: inline for the usual handful, so a writer per SSE event costs no
  // allocation.
  std::array<std::string_view, 24> top_keys_;
  size_t n_top_keys_ = 0;
  std::vector<std::string_view> more_top_keys_;
};

}  // namespace omni::formats
