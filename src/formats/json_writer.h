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
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "formats/json_read.h"

namespace omni::formats {

// Compact for OpenAI/Anthropic; Gemini's SSE wire puts a space after each colon.
enum class JsonStyle { kCompact, kGemini };

// kShared: `out` stays a valid string after every call, so code may append to it between
// writer calls (SSE framing around an event). kOwned: the writer alone appends to `out` until
// Finish() (or destruction) and writes through a pointer into its spare capacity, without a
// std::string call per token; for whole bodies (requests, responses).
enum class JsonTail { kShared, kOwned };

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, JsonStyle style = JsonStyle::kCompact,
                      JsonTail tail = JsonTail::kShared);
  ~JsonWriter() { Finish(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  // kOwned: trims `out` to what was written (idempotent). kShared: nothing to do.
  void Finish();

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(std::string_view key) { WriteKey(key, false); }
  // String literals only (every key an encoder spells out): plain by construction, so the
  // escape check is skipped.
  template <size_t N>
  void Key(const char (&key)[N]) {
    constexpr size_t n = N - 1;
    // The bulk of every body: a literal key inside a nested object of an owned compact body.
    // Comma, quoted key and colon are stored inline, the key with fixed-size moves (through
    // ComposeQuoted's general copies a translation took ~2 % more instructions). Top-level keys
    // go the long way, which records them.
    if (cur_ && depth_ > 1 && style_ == JsonStyle::kCompact &&
        static_cast<size_t>(end_ - cur_) >= n + 4) {
      char* d = cur_;
      *d = ',';
      d += NeedsComma();
      *d++ = '"';
      std::memcpy(d, key, n);
      d += n;
      d[0] = '"';
      d[1] = ':';
      cur_ = d + 2;
      after_key_ = true;
      return;
    }
    WriteKey(std::string_view(key, n), true);
  }
  void String(std::string_view s) {
    // Short plain values (ids, roles, types) in an owned body: stored inline.
    if (cur_ && s.size() < 16 && end_ - cur_ >= 19 && ShortJsonStringIsPlain(s.data(), s.size())) {
      cur_ += ComposeQuoted(cur_, NeedsComma(), s, {});
      return;
    }
    WriteQuoted(NeedsComma(), s, {});
  }
  void Int(int64_t i);
  void Double(double d);  // shortest round-trip form; non-finite → null
  void Bool(bool b);
  void Null();
  // Already-serialised JSON text (a pass-through field, a tool schema). Empty → null.
  void Raw(std::string_view json);
  // A parsed value, as its (compacted) source text.
  void Value(const JVal& v);

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
  template <size_t N>
  void Field(const char (&key)[N], std::string_view s) {
    Key(key);
    String(s);
  }
  template <size_t N>
  void Field(const char (&key)[N], const char* s) {
    Field(key, std::string_view(s));
  }
  template <size_t N>
  void Field(const char (&key)[N], const std::string& s) {
    Field(key, std::string_view(s));
  }
  template <size_t N>
  void IntField(const char (&key)[N], int64_t i) {
    Key(key);
    Int(i);
  }
  template <size_t N>
  void DoubleField(const char (&key)[N], double d) {
    Key(key);
    Double(d);
  }
  template <size_t N>
  void BoolField(const char (&key)[N], bool b) {
    Key(key);
    Bool(b);
  }

  bool WroteTopLevelKey(std::string_view key) const;
  std::string& out() { return out_; }

 private:
  // Whether the next value needs a comma before it (and marks the container non-empty).
  bool NeedsComma() {
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
  void BeforeValue() {
    if (NeedsComma()) PutChar(',');
  }
  void WriteKey(std::string_view key, bool plain);
  void WriteQuoted(bool comma, std::string_view s, std::string_view suffix, bool plain = false);
  void Open(char c) {
    // Room for the comma too, so both bytes go out with one check.
    const bool comma = NeedsComma();
    if (cur_ && end_ - cur_ >= 2) {
      *cur_ = ',';
      cur_ += comma;
      *cur_++ = c;
    } else {
      if (comma) PutChar(',');
      PutChar(c);
    }
    ++depth_;
    const int d = depth_ % kMaxDepth;
    has_items_[static_cast<size_t>(d / 64)] &= ~(uint64_t{1} << (d % 64));
  }
  void Close(char c) {
    PutChar(c);
    --depth_;
  }
  // Writes [,]"s"suffix at d (s plain, room made by the caller); returns the bytes written.
  static size_t ComposeQuoted(char* d, bool comma, std::string_view s, std::string_view suffix) {
    size_t n = 0;
    d[n] = ',';
    n += comma;
    d[n++] = '"';
    Copy(d + n, s.data(), s.size());
    n += s.size();
    d[n++] = '"';
    Copy(d + n, suffix.data(), suffix.size());
    return n + suffix.size();
  }

  // Output primitives; cur_ is null in kShared mode.
  void Put(std::string_view s) {
    if (!cur_) return (void)out_.append(s);
    Room(s.size());
    Copy(cur_, s.data(), s.size());
    cur_ += s.size();
  }
  // Tokens are a few bytes: fixed-size moves beat a memcpy call for them.
  static void Copy(char* d, const char* s, size_t n) {
    if (n >= 8 && n <= 16) {
      std::memcpy(d, s, 8);
      std::memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4 && n < 8) {
      std::memcpy(d, s, 4);
      std::memcpy(d + n - 4, s + n - 4, 4);
    } else if (n < 4) {
      for (size_t i = 0; i < n; ++i) d[i] = s[i];
    } else {
      std::memcpy(d, s, n);
    }
  }
  void PutChar(char c) {
    if (!cur_) return out_.push_back(c);
    Room(1);
    *cur_++ = c;
  }
  void Room(size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) Regrow(n);
  }
  void Regrow(size_t n);
  // kOwned: makes out_'s spare capacity the write tail (Finish() gives it back).
  void TakeTail();

  static constexpr int kMaxDepth = 256;

  std::string& out_;
  JsonStyle style_;
  char* cur_ = nullptr;  // kOwned: next byte to write in out_, which is sized to end_
  char* end_ = nullptr;
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
