// POST /v1/chat/completions (and the dedicated /v1/providers/{p}/chat/completions): the
// OpenAI-format passthrough pipeline.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "core/json_text.h"
#include "core/version.h"
#include "gateway/gateway.h"
#include "gateway/request_sniffer.h"
#include "gateway/usage_sniffer.h"

namespace omni::gateway {
namespace net = boost::asio;
using http::HeaderPair;

namespace {

constexpr size_t kMaxUpstreamErrorBody = 1 << 20;

bool LooksLikeJson(std::string_view body) {
  size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (body[i] == '{' || body[i] == '[');
}

// Builds the upstream body: the client's bytes with only the model value replaced. When the
// raw value cannot be located exactly (escaped characters), re-encode through a DOM.
Result<void> RewriteModel(std::string_view body, const RequestSniff& sniff, std::string_view model,
                          std::string& model_json, std::string& reencoded,
                          std::array<std::string_view, 3>& parts, size_t& n_parts) {
  if (sniff.model_span_exact) {
    AppendJsonQuoted(model_json, model);
    parts = {body.substr(0, sniff.model_begin), model_json, body.substr(sniff.model_end)};
    n_parts = 3;
    return {};
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  if (ec || !doc.is_object()) return Error::InvalidRequest("request body is not a JSON object", "invalid_json");
  doc.as_object()["model"] = boost::json::string(model.data(), model.size());
  reencoded = boost::json::serialize(doc);
  parts[0] = reencoded;
  n_parts = 1;
  return {};
}

// Turns a non-JSON upstream error body into an OpenAI-shaped error, keeping its status.
std::string WrapUpstreamError(int status, std::string_view body) {
  std::string msg = "upstream returned HTTP " + std::to_string(status);
  if (!body.empty()) msg += ": " + std::string(body.substr(0, 500));
  std::string out = "{\"error\":{\"message\":";
  AppendJsonQuoted(out, msg);
  out += ",\"type\":\"upstream_error\",\"code\":\"upstream_http_" + std::to_string(status) + "\"}}";
  return out;
}

}  // namespace

net::awaitable<void> Gateway::ChatCompletions(http::Exchange& ex, std::string_view forced_provider) {
  const auto started = std::chrono::steady_clock::now();
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, false, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await http::Router::SendError(ex, who.error());
    co_return;
  }
  std::string& body = ex.Body();
  auto sniff = SniffRequest(body);
  if (!sniff.ok()) {
    co_await http::Router::SendError(ex, sniff.error());
    co_return;
  }
  // Dedicated provider route: the prefix is implied; a different explicit one is an error.
  std::string qualified;
  std::string_view model = sniff->model;
  if (!forced_provider.empty() && sniff->has_model) {
    auto slash = model.find('/');
    auto snap_for_check = snapshots_.Get();
    const auto* forced = snap_for_check->FindProvider(forced_provider);
    const auto* named = slash == std::string_view::npos ? nullptr
                                                        : snap_for_check->FindProvider(model.substr(0, slash));
    if (named && forced && named != forced) {
      Error e = Error::InvalidRequest("model \"" + std::string(model) + "\" does not belong to provider \"" +
                                          std::string(forced_provider) + "\"",
                                      "model_provider_mismatch");
      co_await http::Router::SendError(ex, e);
      co_return;
    }
    if (!named) {
      qualified = std::string(forced_provider) + "/" + std::string(model);
      model = qualified;
    }
  }

  if (auto allowed = CheckModelAllowed(*who, model); !allowed.ok()) {
    co_await http::Router::SendError(ex, allowed.error());
    co_return;
  }
  auto snapshot = snapshots_.Get();  // keeps the connection data alive for this request
  auto target = snapshot->Resolve(model);
  if (!target.ok()) {
    co_await http::Router::SendError(ex, target.error());
    co_return;
  }
  if (target->provider->format != "openai") {
    Error e{501, "invalid_request_error", "format_not_supported",
            "provider \"" + target->provider->id + "\" speaks " + target->provider->format +
                ", which this build cannot translate yet"};
    co_await http::Router::SendError(ex, e);
    co_return;
  }

  std::string model_json, reencoded;
  std::array<std::string_view, 3> parts;
  size_t n_parts = 0;
  if (auto rw = RewriteModel(body, *sniff, target->model, model_json, reencoded, parts, n_parts); !rw.ok()) {
    co_await http::Router::SendError(ex, rw.error());
    co_return;
  }

  const auto& conn = *target->connection;
  static const std::string kUserAgent = std::string("OmniRoute/") + kVersion;
  // GCC 12 coroutines mishandle C arrays in the frame ("array used as initializer"): std::array.
  std::array<HeaderPair, 4> headers{{
      {"Authorization", conn.authorization},
      {"Content-Type", "application/json"},
      {"Accept", sniff->stream ? "text/event-stream" : "application/json"},
      {"User-Agent", kUserAgent},
  }};
  http::UpstreamRequest req;
  req.method = "POST";
  req.url = &conn.url;
  req.path = "/chat/completions";
  req.headers = headers;
  req.body = std::span<const std::string_view>(parts.data(), n_parts);
  req.timeouts = options_.timeouts;

  http::UpstreamCall call;
  ex.WatchClient([&call] { call.Abort(); });
  auto started_call = co_await call.Start(req);
  ex.StopWatchingClient();

  int status = 0;
  TokenUsage usage;
  if (!started_call.ok()) {
    status = started_call.error().status;
    if (!ex.ClientGone()) co_await http::Router::SendError(ex, started_call.error());
  } else if (status = call.status(); status < 200 || status >= 300) {
    auto err_body = co_await call.ReadAll(kMaxUpstreamErrorBody);
    std::string_view retry_after = call.Header("Retry-After");
    std::array<HeaderPair, 1> extra{{{"Retry-After", retry_after}}};
    std::span<const HeaderPair> extra_span(extra.data(), retry_after.empty() ? 0 : 1);
    if (err_body.ok() && LooksLikeJson(*err_body)) {
      co_await ex.Respond(status, "application/json", *err_body, extra_span);
    } else {
      std::string wrapped = WrapUpstreamError(status, err_body.ok() ? std::string_view(*err_body) : "");
      co_await ex.Respond(status, "application/json", wrapped, extra_span);
    }
  } else if (call.Header("Content-Type").starts_with("text/event-stream")) {
    SseUsageSniffer sniffer;
    const bool began = co_await ex.BeginStream(status, "text/event-stream");
    if (began) {
      ex.WatchClient([&call] { call.Abort(); });
      for (;;) {
        auto piece = co_await call.Read();
        if (!piece.ok()) {
          if (ex.ClientGone()) break;
          // Bytes already reached the client: end the stream with an in-format error event.
          const Error& e = piece.error();
          std::string event = "data: {\"error\":{\"message\":";
          AppendJsonQuoted(event, e.message);
          event += ",\"type\":\"upstream_error\",\"code\":";
          AppendJsonQuoted(event, e.code);
          event += "}}\n\n";
          co_await ex.WriteChunk(event);
          status = e.status;
          break;
        }
        if (piece->empty()) break;
        sniffer.Feed(*piece);
        const bool written = co_await ex.WriteChunk(*piece);
        if (!written) break;
      }
      ex.StopWatchingClient();
      if (!ex.ClientGone()) co_await ex.EndStream();
    }
    if (ex.ClientGone()) call.Abort();
    usage = sniffer.usage();
  } else {
    auto answer = co_await call.ReadAll(options_.max_response_bytes);
    if (!answer.ok()) {
      status = answer.error().status;
      co_await http::Router::SendError(ex, answer.error());
    } else {
      FindUsage(*answer, usage);
      std::string_view ctype = call.Header("Content-Type");
      co_await ex.Respond(status, ctype.empty() ? "application/json" : ctype, *answer);
    }
  }

  if (options_.request_logs || spdlog::should_log(spdlog::level::debug)) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    spdlog::log(options_.request_logs ? spdlog::level::info : spdlog::level::debug,
                "{} {} model={} provider={} connection={} status={}{} ms={} tokens_in={} tokens_out={}",
                ex.Method(), ex.Path(), sniff->model, target->provider->id, conn.conn.id, status,
                ex.ClientGone() ? " (client gone)" : "", ms, usage.input_tokens, usage.output_tokens);
  }
}

}  // namespace omni::gateway
