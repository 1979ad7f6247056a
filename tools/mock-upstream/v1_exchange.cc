#include "v1_exchange.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "answer.h"
#include "dialect.h"
#include "fault_script.h"

namespace omni::mock {
namespace {

// Deliberately not HTTP: no status line, a NUL and high bytes, so any HTTP parser rejects it.
constexpr std::string_view kGarbage =
    "\x01\x02GARBAGE \xff\xfe not an HTTP response \x00 at all\r\n\r\n";

RecordedRequest MakeRecord(const Request& request) {
  RecordedRequest record;
  record.method = std::string(request.method_string());
  record.target = std::string(request.target());
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto [it, inserted] = record.headers.try_emplace(std::move(name), field.value());
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }
  record.body = request.body();
  return record;
}

void ApplyRuleHeaders(const FaultRule& rule, std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : rule.headers) headers[name] = value;
  if (rule.retry_after) headers["Retry-After"] = *rule.retry_after;
}

// A non-stream response cut short: full headers (with the full Content-Length) but only the
// first `keep` body bytes, so the client sees a premature end of the body.
std::string TruncatedResponse(const Reply& reply, int64_t keep) {
  size_t cut =
      std::min<size_t>(static_cast<size_t>(keep), reply.body.empty() ? 0 : reply.body.size() - 1);
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                    " OK\r\nContent-Type: " + reply.content_type +
                    "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
  for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  out.append(reply.body, 0, cut);
  return out;
}

// Writes the SSE stream event by event (each its own chunk and its own write, so the client sees
// them as separate arrivals), honouring chunk pacing and drop_after_chunks.
template <class Stream>
net::awaitable<bool> WriteEventStream(Stream& stream, const Request& request, MockState& state,
                                      const std::vector<std::string>& events,
                                      const FaultRule* rule) {
  http::response<http::empty_body> res{http::status::ok, request.version()};
  res.set(http::field::server, "omni-mock-upstream");
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(request.keep_alive());
  res.chunked(true);
  if (rule != nullptr) {
    std::map<std::string, std::string> headers;
    ApplyRuleHeaders(*rule, headers);
    for (const auto& [name, value] : headers) res.set(name, value);
  }
  http::response_serializer<http::empty_body> serializer{res};
  auto [header_ec, header_bytes] = co_await http::async_write_header(stream, serializer, kUseTuple);
  (void)header_bytes;
  if (header_ec) {
    state.OnAbortedStream();
    co_return false;
  }
  const int64_t drop_after =
      rule != nullptr && rule->drop_after_chunks ? *rule->drop_after_chunks : -1;
  const int64_t chunk_delay = rule != nullptr ? rule->chunk_delay_ms : 0;
  std::string frame;
  for (size_t i = 0; i < events.size(); ++i) {
    if (drop_after >= 0 && static_cast<int64_t>(i) >= drop_after) break;
    if (i > 0 && chunk_delay > 0) co_await SleepMs(chunk_delay);
    frame = ChunkFrame(events[i]);
    boost::system::error_code ec = co_await WriteAll(stream, frame);
    if (ec) {
      state.OnAbortedStream();
      co_return false;
    }
  }
  if (drop_after >= 0) {
    // Even when every event went out, the terminating chunk never does: the message is cut.
    Abort(stream);
    co_return false;
  }
  frame = "0\r\n\r\n";
  boost::system::error_code ec = co_await WriteAll(stream, frame);
  if (ec) {
    state.OnAbortedStream();
    co_return false;
  }
  co_return res.keep_alive();
}

// What to send for one request, decided synchronously (no I/O, no co_await) before any byte
// goes out: the matching fault rule and either a complete reply or the SSE events.
struct Plan {
  std::optional<FaultRule> rule;
  Reply reply;
  bool stream = false;
  std::vector<std::string> events;  // when `stream`
};

Plan PlanV1(const Request& request, MockState& state) {
  Plan plan;
  const std::string target(request.target());
  const size_t query_start = target.find('?');
  const std::string path = target.substr(0, query_start);
  const std::string query = query_start == std::string::npos ? "" : target.substr(query_start + 1);
  const bool anthropic_client = request.find("anthropic-version") != request.end();
  const Endpoint endpoint =
      ClassifyEndpoint(request.method() == http::verb::get, request.method() == http::verb::post,
                       path, query, anthropic_client);
  const Dialect& dialect = *endpoint.dialect;
  // Parse once: the request also supplies the model the fault rules match on.
  std::string parse_error;
  std::optional<ParsedRequest> parsed;
  if (endpoint.kind == EndpointKind::kGenerate) {
    parsed = dialect.parse(request.body(), &parse_error);
    if (parsed && !endpoint.model.empty()) parsed->model = endpoint.model;
    if (parsed && endpoint.stream) parsed->stream = *endpoint.stream;
  }
  const std::string model = !endpoint.model.empty() ? endpoint.model
                            : parsed                ? parsed->model
                                                    : SniffModel(request.body());
  plan.rule = state.faults().Take(model, target);
  const FaultRule* rule = plan.rule ? &*plan.rule : nullptr;

  Reply& reply = plan.reply;
  if (rule != nullptr && rule->status) {
    reply.status = *rule->status;
    reply.body = rule->body
                     ? *rule->body
                     : dialect.error(reply.status,
                                     "mock fault: scripted status " + std::to_string(reply.status),
                                     "mock_fault");
  } else if (endpoint.kind == EndpointKind::kModels) {
    reply.body = dialect.models();
  } else if (endpoint.kind == EndpointKind::kGenerate && !parsed) {
    reply.status = 400;
    reply.body = dialect.error(400, parse_error, "");
  } else if (endpoint.kind == EndpointKind::kGenerate) {
    const Answer answer = BuildAnswer(*parsed, rule, state.NextAnswerNumber());
    if (!parsed->stream) {
      reply.body = dialect.body(*parsed, answer);
    } else if (endpoint.sse || dialect.stream_array == nullptr) {
      plan.stream = true;
      plan.events = dialect.events(*parsed, answer);
    } else {
      reply.body = dialect.stream_array(*parsed, answer);
    }
  } else {
    reply.status = 404;
    reply.body = dialect.error(404,
                               "Unknown request URL: " + std::string(request.method_string()) +
                                   " " + path + ". Please check the URL for typos.",
                               "unknown_url");
  }
  if (rule != nullptr) ApplyRuleHeaders(*rule, reply.headers);
  return plan;
}

}  // namespace

template <class Stream>
net::awaitable<bool> ServeV1(Stream& stream, const Request& request, MockState& state) {
  state.Record(MakeRecord(request));
  const Plan plan = PlanV1(request, state);
  const FaultRule* rule = plan.rule ? &*plan.rule : nullptr;

  if (rule != nullptr && rule->delay_ms > 0) co_await SleepMs(rule->delay_ms);
  if (rule != nullptr && rule->garbage) {
    const std::string garbage(kGarbage.data(), kGarbage.size());
    boost::system::error_code ec = co_await WriteAll(stream, garbage);
    (void)ec;
    Abort(stream);
    co_return false;
  }
  if (plan.stream) co_return co_await WriteEventStream(stream, request, state, plan.events, rule);

  if (rule != nullptr && rule->drop_after_chunks) {
    if (*rule->drop_after_chunks > 0) {
      const std::string partial = TruncatedResponse(plan.reply, *rule->drop_after_chunks);
      boost::system::error_code ec = co_await WriteAll(stream, partial);
      (void)ec;
    }
    Abort(stream);
    co_return false;
  }
  co_return co_await WriteReply(stream, request, plan.reply);
}

template net::awaitable<bool> ServeV1<Tcp::socket>(Tcp::socket&, const Request&, MockState&);
template net::awaitable<bool> ServeV1<TlsStream>(TlsStream&, const Request&, MockState&);

}  // namespace omni::mock
