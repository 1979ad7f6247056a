#pragma once
// Scripted misbehaviour for the mock upstream. Tests POST a list of rules to /__mock/faults;
// for every /v1 or /v1beta request (any format) the first matching rule decides how the answer
// deviates from the well-behaved default (error status, delays, dropped connections, garbage
// bytes, ...) or what it says (fixed content, a tool call, a thinking block; see answer.h).
//
// Ownership: FaultScript owns its rules by value. Thread-safety: none — the mock runs on one
// io_context thread, so all access happens on that thread.

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omni::mock {

// A scripted tool call (rule field `tool_call`).
struct ScriptedToolCall {
  std::string name;
  std::string arguments;  // compact JSON object text
};

// One rule. Every field is optional; an absent matcher matches everything and an absent
// action leaves that aspect of the answer as normal.
struct FaultRule {
  // Matchers.
  std::optional<std::string> model;  // exact match on the request's model (Gemini: from the URL)
  std::optional<std::string> path;   // prefix match on the request target
  std::optional<int64_t> times;      // remaining applications; absent = unlimited

  // Actions.
  std::optional<int> status;                   // answer with this status ...
  std::optional<std::string> body;             // ... and this raw body (default: an error JSON)
  std::map<std::string, std::string> headers;  // extra response headers
  std::optional<std::string> retry_after;      // adds a Retry-After header
  int64_t delay_ms = 0;                        // wait before the response headers
  int64_t chunk_delay_ms = 0;                  // wait between SSE events
  std::optional<int64_t> drop_after_chunks;    // close the connection abruptly after N events
  bool garbage = false;                        // write non-HTTP bytes instead, then close
  std::optional<int64_t> chunks;               // number of content events in a stream
  std::optional<std::string> content;          // fixed answer text
  std::optional<ScriptedToolCall> tool_call;   // answer with this tool call (after `content`)
  std::optional<std::string> thinking;         // reasoning block before the answer
};

// Parses `{"faults":[rule,...]}` (a bare array is accepted too). Returns an error message on
// malformed input so the control endpoint can answer 400 instead of guessing.
struct ParsedFaults {
  std::vector<FaultRule> rules;
  std::string error;  // empty on success
};
ParsedFaults ParseFaults(const boost::json::value& document);

// The active rule list.
class FaultScript {
 public:
  void Replace(std::vector<FaultRule> rules) { rules_ = std::move(rules); }
  void Clear() { rules_.clear(); }
  size_t size() const { return rules_.size(); }

  // The first rule matching (model, target), consuming one of its `times`; a rule whose count
  // reaches zero is removed. Returns a copy because the rule may be gone afterwards.
  std::optional<FaultRule> Take(std::string_view model, std::string_view target);

 private:
  std::vector<FaultRule> rules_;
};

}  // namespace omni::mock
