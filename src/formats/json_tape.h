#pragma once
// The parsed form behind json_read.h: one validating pass over the text records every value as
// a node that keeps its exact source span. Pass-through JSON (tool schemas, arguments, unknown
// fields, the routed model's bytes) is then a slice of the request, never re-serialised, and
// strings without escapes are read in place (only escaped ones are decoded, into one buffer).
//
// Nodes are laid out in document order. A container's children follow it; `next` is the index
// just past a value's subtree, so siblings are one hop apart. An object's children alternate
// key (a string node) and value.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace omni::formats {

// JSON's whitespace (RFC 8259): space, tab, line feed, carriage return.
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

enum class JsonKind : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

struct JsonNode {
  uint32_t begin;  // first byte of the value in the text (a string's opening quote)
  uint32_t end;    // one past its last byte
  uint32_t next;   // index of the node after this value's subtree
  uint32_t count;  // array: elements; object: members; string: decoded length
  uint32_t str;    // string: offset of the decoded bytes (in the text, or in the buffer)
  JsonKind kind;
  uint8_t flags;
};

class JsonTape {
 public:
  static constexpr uint8_t kInteger = 1;  // number: no fraction or exponent
  static constexpr uint8_t kSpaced = 2;   // container: whitespace between its tokens
  static constexpr uint8_t kDecoded = 4;  // string: had escapes, decoded bytes are in the buffer
  static constexpr size_t kMaxDepth = 1024;

  // Validates and indexes `text` (RFC 8259: UTF-8, no lone surrogates, nesting ≤ kMaxDepth).
  // The text must outlive every view into the tape. Errors are 400 invalid_json.
  Status Parse(std::string_view text);

  const JsonNode& node(uint32_t i) const { return nodes_[i]; }
  std::string_view Raw(uint32_t i) const {
    const JsonNode& n = nodes_[i];
    return text_.substr(n.begin, n.end - n.begin);
  }
  std::string_view String(uint32_t i) const {
    const JsonNode& n = nodes_[i];
    return {((n.flags & kDecoded) ? decoded_.get() : text_.data()) + n.str, n.count};
  }

 private:
  uint32_t Push(const JsonNode& n) {
    if (size_ == nodes_cap_) Grow(size_ + 1);
    nodes_[size_] = n;
    return size_++;
  }
  void Grow(size_t at_least);

  std::string_view text_;
  // Nodes in a plain array: pushing is the parser's most frequent step and must inline.
  std::unique_ptr<JsonNode[]> nodes_;
  uint32_t size_ = 0;
  size_t nodes_cap_ = 0;
  std::vector<uint32_t> open_;  // containers being filled
  // Decoded strings. Never larger than the text (decoding only shrinks), plus room for 16-byte
  // stores past the end, so it is sized once per parse.
  std::unique_ptr<char[]> decoded_;
  size_t decoded_cap_ = 0;
};

}  // namespace omni::formats
