#pragma once
// Server-sent events: an incremental parser (bytes in any chunking → complete events) and
// the writer side. The parser accepts \n, \r\n and \r line endings (Gemini uses \r\n) and
// keeps only the current partial line and event, so a stream is never buffered whole.
// Not thread-safe: one parser per stream.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace omni::formats {

class SseParser {
 public:
  // Called once per complete event: its `event:` name ("" if none) and its data lines
  // joined by "\n".
  using Handler = std::function<void(std::string_view event, std::string_view data)>;

  void Feed(std::string_view bytes, const Handler& on_event);
  // The body ended: dispatches a last event that had no terminating blank line.
  void Finish(const Handler& on_event);

 private:
  void Line(std::string_view line, const Handler& on_event);
  void Dispatch(const Handler& on_event);

  std::string line_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  bool last_was_cr_ = false;
};

// Appends one event: "event: NAME\n" (when name is not empty), "data: DATA\n", then a blank
// line, with `eol` as the line terminator ("\n", or "\r\n" for Gemini).
void AppendSseEvent(std::string& out, std::string_view name, std::string_view data,
                    std::string_view eol = "\n");

}  // namespace omni::formats
