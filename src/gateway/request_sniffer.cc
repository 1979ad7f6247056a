#include "gateway/request_sniffer.h"

namespace omni::gateway {
namespace {

// A cursor over JSON text that is already known to be valid (simdjson validated it), so it
// only needs to find where values end, never to check them.
class ValidJsonCursor {
 public:
  explicit ValidJsonCursor(std::string_view text) : text_(text) {}

  size_t pos() const { return pos_; }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  void Expect() { ++pos_; }  // steps over a '{', ':' or ',' that validity guarantees
  // Steps over a string starting at its opening quote.
  void SkipString() {
    ++pos_;
    while (true) {
      size_t q = text_.find_first_of("\"\\", pos_);
      if (q == std::string_view::npos) {
        pos_ = text_.size();
        return;
      }
      if (text_[q] == '\\') {
        pos_ = q + 2;
        continue;
      }
      pos_ = q + 1;
      return;
    }
  }
  // Steps over any value.
  void SkipValue() {
    SkipSpace();
    if (pos_ >= text_.size()) return;
    char c = text_[pos_];
    if (c == '"') return SkipString();
    if (c != '{' && c != '[') {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']' && text_[pos_] != ' ' && text_[pos_] != '\n' &&
             text_[pos_] != '\r' && text_[pos_] != '\t')
        ++pos_;
      return;
    }
    int depth = 0;
    while (pos_ < text_.size()) {
      c = text_[pos_];
      if (c == '"') {
        SkipString();
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return;
    }
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The byte range of the value of member number `index` of the top-level object in `body`.
void LocateMemberValue(std::string_view body, size_t index, size_t& begin, size_t& end) {
  ValidJsonCursor c(body);
  c.SkipSpace();
  c.Expect();  // {
  for (size_t i = 0;; ++i) {
    c.SkipSpace();
    c.SkipString();  // key
    c.SkipSpace();
    c.Expect();  // :
    c.SkipSpace();
    if (i == index) {
      begin = c.pos();
      c.SkipValue();
      end = c.pos();
      return;
    }
    c.SkipValue();
    c.SkipSpace();
    c.Expect();  // ,
  }
}

}  // namespace

Result<RequestSniff> SniffRequest(std::string_view body, formats::JsonDoc& doc) {
  RequestSniff sniff;
  auto root = doc.Parse(body);
  if (!root.ok()) {
    Error e = std::move(root).error();
    e.message = "request " + e.message;  // "request body is not valid JSON: ..."
    return e;
  }
  if (!root->is_object())
    return Error::InvalidRequest("request body must be a JSON object", "invalid_json");
  sniff.root = root->get_object();
  // Duplicate keys: the last one wins, as in the upstreams' JSON parsers, so routing checks
  // the model the provider will actually read.
  size_t index = 0, model_index = 0;
  for (auto [key, value] : sniff.root) {
    if (key == "model") {
      sniff.has_model = value.is_string();
      sniff.model = sniff.has_model ? std::string(value.get_string()) : std::string();
      model_index = index;
    } else if (key == "stream") {
      sniff.stream = value.is_bool() && value.get_bool();
    }
    ++index;
  }
  if (sniff.has_model) LocateMemberValue(body, model_index, sniff.model_begin, sniff.model_end);
  return sniff;
}

Result<RequestSniff> SniffRequest(std::string_view body) {
  formats::JsonDoc doc;
  return SniffRequest(body, doc);
}

}  // namespace omni::gateway
