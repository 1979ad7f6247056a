#pragma once
// Server-sent events parsing for tests that inspect streamed answers.
//
// Thread-safety: a pure function.

#include <string>
#include <string_view>
#include <vector>

namespace omni::testing {

struct SseEvent {
  std::string event;  // "" when the event had no "event:" field
  std::string data;   // "data:" lines joined with '\n'
  std::string id;
};

// Parses a complete text/event-stream body per the HTML SSE rules (CRLF or LF line ends,
// comments ignored, one optional space after the colon). A trailing event without its blank
// line is not dispatched, exactly as a browser would drop it.
std::vector<SseEvent> ParseSse(std::string_view text);

}  // namespace omni::testing
