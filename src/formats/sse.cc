#include "formats/sse.h"

namespace omni::formats {
namespace {

// Lines longer than this are not SSE from a model API; drop them instead of growing.
constexpr size_t kMaxLine = 64 * 1024 * 1024;

}  // namespace

void SseParser::Feed(std::string_view bytes, const Handler& on_event) {
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c != '\n' && c != '\r') continue;
    if (c == '\n' && last_was_cr_ && start == i && line_.empty()) {
      // The \n of a \r\n split across (or within) feeds: the line already ended at \r.
      last_was_cr_ = false;
      start = i + 1;
      continue;
    }
    std::string_view piece = bytes.substr(start, i - start);
    if (line_.empty()) {
      Line(piece, on_event);
    } else {
      line_.append(piece);
      Line(line_, on_event);
      line_.clear();
    }
    last_was_cr_ = c == '\r';
    start = i + 1;
  }
  if (start < bytes.size()) {
    last_was_cr_ = false;
    if (line_.size() + (bytes.size() - start) <= kMaxLine) line_.append(bytes.substr(start));
  }
}

void SseParser::Finish(const Handler& on_event) {
  if (!line_.empty()) {
    Line(line_, on_event);
    line_.clear();
  }
  Dispatch(on_event);
}

void SseParser::Line(std::string_view line, const Handler& on_event) {
  if (line.empty()) {
    Dispatch(on_event);
    return;
  }
  if (line[0] == ':') return;  // comment / keep-alive
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
}

void SseParser::Dispatch(const Handler& on_event) {
  if (has_data_) on_event(event_, data_);
  event_.clear();
  data_.clear();
  has_data_ = false;
}

void AppendSseEvent(std::string& out, std::string_view name, std::string_view data,
                    std::string_view eol) {
  if (!name.empty()) {
    out.append("event: ");
    out.append(name);
    out.append(eol);
  }
  out.append("data: ");
  out.append(data);
  out.append(eol);
  out.append(eol);
}

}  // namespace omni::formats
