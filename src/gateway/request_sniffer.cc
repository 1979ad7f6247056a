#include "gateway/request_sniffer.h"

#include <boost/json/basic_parser_impl.hpp>

namespace omni::gateway {
namespace {

using boost::json::error_code;
using boost::json::string_view;

// SAX handler: tracks nesting depth and captures top-level "model" and "stream".
class SniffHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  SniffHandler(std::string_view input, RequestSniff& out) : input_(input), out_(out) {}

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return Enter(false); }
  bool on_array_end(std::size_t, error_code&) { return Leave(); }
  bool on_object_begin(error_code&) { return Enter(true); }
  bool on_object_end(std::size_t, error_code&) { return Leave(); }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    if (pending_ == Field::kModel) {
      out_.model.append(s.data(), s.size());
      model_parts_++;
    }
    return true;
  }
  bool on_string(string_view s, std::size_t n, error_code&) {
    if (pending_ == Field::kModel) {
      out_.model.append(s.data(), s.size());
      out_.has_model = true;
      // The value's bytes are in the input verbatim only when delivered in one piece that
      // points into it (escapes make the parser hand out unescaped copies).
      const char* begin = input_.data();
      if (model_parts_ == 0 && s.data() > begin && s.data() + s.size() < begin + input_.size() &&
          s.data()[-1] == '"' && s.data()[s.size()] == '"' && n == s.size()) {
        out_.model_begin = static_cast<size_t>(s.data() - begin) - 1;
        out_.model_end = out_.model_begin + s.size() + 2;
        out_.model_span_exact = true;
      }
    }
    pending_ = Field::kNone;
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    pending_ = Field::kNone;
    if (depth_ == 1 && top_is_object_) {
      if (key_ == "model")
        pending_ = Field::kModel, out_.model.clear(), model_parts_ = 0;
      else if (key_ == "stream")
        pending_ = Field::kStream;
    }
    key_.clear();
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return Scalar(); }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return Scalar(); }
  bool on_double(double, string_view, error_code&) { return Scalar(); }
  bool on_bool(bool b, error_code&) {
    if (pending_ == Field::kStream) out_.stream = b;
    return Scalar();
  }
  bool on_null(error_code&) { return Scalar(); }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  bool top_is_object() const { return top_is_object_; }

 private:
  enum class Field { kNone, kModel, kStream };
  bool Enter(bool object) {
    if (depth_ == 0) top_is_object_ = object;
    ++depth_;
    pending_ = Field::kNone;
    return true;
  }
  bool Leave() {
    --depth_;
    return true;
  }
  bool Scalar() {
    pending_ = Field::kNone;
    return true;
  }

  std::string_view input_;
  RequestSniff& out_;
  std::string key_;
  int depth_ = 0;
  int model_parts_ = 0;
  bool top_is_object_ = false;
  Field pending_ = Field::kNone;
};

}  // namespace

Result<RequestSniff> SniffRequest(std::string_view body) {
  RequestSniff sniff;
  boost::json::parse_options opts;
  opts.max_depth = 128;
  boost::json::basic_parser<SniffHandler> parser(opts, body, sniff);
  error_code ec;
  size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && used != body.size()) ec = boost::json::error::extra_data;
  if (ec) {
    return Error::InvalidRequest("request body is not valid JSON: " + ec.message(), "invalid_json");
  }
  if (!parser.handler().top_is_object())
    return Error::InvalidRequest("request body must be a JSON object", "invalid_json");
  return sniff;
}

}  // namespace omni::gateway
