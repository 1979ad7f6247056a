#include "sse_parser.h"

#include <utility>

namespace omni::testing {

std::vector<SseEvent> ParseSse(std::string_view text) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool has_data = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) break;  // an unterminated last line is incomplete
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (text[end] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    if (line.empty()) {
      if (has_data) events.push_back(std::move(current));
      current = SseEvent{};
      has_data = false;
      continue;
    }
    if (line.front() == ':') continue;  // comment (keep-alive pings)
    size_t colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
      value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "event") {
      current.event = std::string(value);
    } else if (field == "data") {
      if (has_data) current.data += '\n';
      current.data += value;
      has_data = true;
    } else if (field == "id") {
      current.id = std::string(value);
    }
  }
  return events;
}

}  // namespace omni::testing
