#include "mock_state.h"

#include <boost/json.hpp>

#include "openai_responder.h"

namespace omni::mock {
namespace {

namespace json = boost::json;

ControlResponse Ok(json::object extra = {}) {
  extra["ok"] = true;
  return {200, json::serialize(extra)};
}

ControlResponse NotFound(std::string_view method, std::string_view target) {
  std::string message = "Unknown mock control call: ";
  message += method;
  message += ' ';
  message += target;
  return {404, ErrorJson(message, "invalid_request_error", "not_found")};
}

}  // namespace

void MockState::Record(RecordedRequest request) {
  ++requests_;
  if (!record_) return;
  json::object headers;
  for (auto& [name, value] : request.headers) headers[name] = std::move(value);
  recorded_.push_back(json::object{{"method", std::move(request.method)},
                                   {"target", std::move(request.target)},
                                   {"headers", std::move(headers)},
                                   {"body", std::move(request.body)}});
}

json::object MockState::StatsJson() const {
  return json::object{{"connections", accepted_ - control_connections_},
                      {"accepted", accepted_},
                      {"requests", requests_},
                      {"aborted_streams", aborted_streams_},
                      {"faults", faults_.size()}};
}

ControlResponse MockState::HandleControl(std::string_view method, std::string_view target,
                                         std::string_view body) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/__mock/requests") {
    if (method == "GET") return {200, json::serialize(recorded_)};
    if (method == "DELETE") {
      recorded_.clear();
      return Ok();
    }
  } else if (path == "/__mock/faults") {
    if (method == "POST" || method == "PUT") {
      boost::system::error_code ec;
      json::value doc = json::parse(body, ec);
      if (ec) return {400, ErrorJson("malformed JSON: " + ec.message(), "invalid_request_error")};
      ParsedFaults parsed = ParseFaults(doc);
      if (!parsed.error.empty()) {
        return {400, ErrorJson(parsed.error, "invalid_request_error")};
      }
      faults_.Replace(std::move(parsed.rules));
      return Ok(json::object{{"count", faults_.size()}});
    }
    if (method == "DELETE") {
      faults_.Clear();
      return Ok();
    }
    if (method == "GET") return Ok(json::object{{"count", faults_.size()}});
  } else if (path == "/__mock/stats") {
    if (method == "GET") return {200, json::serialize(StatsJson())};
    if (method == "DELETE") {
      // Resetting keeps the control-connection bookkeeping consistent: the caller's own
      // connection stays excluded because both counters restart from zero together.
      accepted_ = control_connections_ = requests_ = aborted_streams_ = 0;
      return Ok();
    }
  }
  return NotFound(method, target);
}

}  // namespace omni::mock
