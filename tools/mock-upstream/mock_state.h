#pragma once
// Everything the mock remembers between requests: the recorded /v1 requests, the counters behind
// /__mock/stats and the active fault script, plus the /__mock/* control API over them. No I/O
// here; MockServer feeds it parsed requests and writes out the answers.
//
// Ownership: MockServer owns one MockState. Thread-safety: none; the mock is single-threaded.

#include <boost/json/array.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fault_script.h"

namespace omni::mock {

// A /v1 or /v1beta request as recorded for GET /__mock/requests.
struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lowercase names; repeats joined with ", "
  std::string body;
};

struct ControlResponse {
  int status = 200;
  std::string body;  // JSON
};

class MockState {
 public:
  explicit MockState(bool record) : record_(record) {}

  // Counters. `connections` excludes connections whose first request was a control call, so a
  // test's own /__mock/* traffic does not disturb assertions about the client under test.
  void OnAccepted() { ++accepted_; }
  void OnControlConnection() { ++control_connections_; }
  void OnAbortedStream() { ++aborted_streams_; }

  // Counts (and, unless recording is off, stores) a /v1 or /v1beta request.
  void Record(RecordedRequest request);

  // The next answer number N (chatcmpl-mock-N, msg_mock_N, resp_mock_N, ...), shared by all
  // formats so ids stay unique across them.
  int64_t NextAnswerNumber() { return ++completions_; }

  FaultScript& faults() { return faults_; }

  // Serves /__mock/requests, /__mock/faults and /__mock/stats.
  ControlResponse HandleControl(std::string_view method, std::string_view target,
                                std::string_view body);

 private:
  boost::json::object StatsJson() const;

  bool record_;
  boost::json::array recorded_;
  FaultScript faults_;
  int64_t accepted_ = 0;
  int64_t control_connections_ = 0;
  int64_t requests_ = 0;
  int64_t aborted_streams_ = 0;
  int64_t completions_ = 0;
};

}  // namespace omni::mock
