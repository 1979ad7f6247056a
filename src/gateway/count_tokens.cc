// POST /v1/messages/count_tokens (Claude Code calls it before large requests). Anthropic
// upstreams count exactly; for other formats we estimate (~4 bytes of JSON per token), which is
// what clients use it for: deciding whether to compact.
#include <boost/json.hpp>

#include "gateway/client_error.h"
#include "gateway/gateway.h"
#include "gateway/model_splice.h"
#include "gateway/request_sniffer.h"
#include "providers/upstream_dialect.h"

namespace omni::gateway {
namespace net = boost::asio;
using formats::Format;

net::awaitable<void> Gateway::CountTokens(http::Exchange& ex) {
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, false, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await SendClientError(ex, Format::kAnthropic, who.error());
    co_return;
  }
  std::string& body = ex.Body();
  auto sniff = SniffRequest(body);
  Status checked = sniff.ok() ? CheckModelAllowed(*who, sniff->model) : Status(sniff.error());
  auto snapshot = snapshots_.Get();
  auto target = checked.ok() ? snapshot->Resolve(sniff->model)
                             : Result<routing::ResolvedTarget>(checked.error());
  if (!target.ok()) {
    co_await SendClientError(ex, Format::kAnthropic, target.error());
    co_return;
  }
  if (target->provider->wire != Format::kAnthropic) {
    const int64_t estimate = std::max<int64_t>(1, static_cast<int64_t>(body.size() / 4));
    const std::string answer = "{\"input_tokens\":" + std::to_string(estimate) + "}";
    co_await ex.Respond(200, "application/json", answer);
    co_return;
  }
  SplicedBody upstream_body;
  SpliceModel(body, *sniff, target->model, upstream_body);
  const auto& conn = *target->connection;
  std::string_view version = ex.Header("anthropic-version");
  std::array<http::HeaderPair, 4> headers{
      {{conn.auth_header, conn.auth_value},
       {"Content-Type", "application/json"},
       {"anthropic-version", version.empty() ? providers::kAnthropicVersion : version},
       {"anthropic-beta", ex.Header("anthropic-beta")}}};
  const std::string path = *providers::CountTokensPath(Format::kAnthropic, target->model);
  http::UpstreamRequest req;
  req.url = &conn.url;
  req.path = path;
  req.headers = std::span<const http::HeaderPair>(headers.data(),
                                                  ex.Header("anthropic-beta").empty() ? 3 : 4);
  req.body = std::span<const std::string_view>(upstream_body.parts.data(), upstream_body.n_parts);
  req.timeouts = options_.timeouts;
  http::UpstreamCall call;
  auto st = co_await call.Start(req);
  if (!st.ok()) {
    co_await SendClientError(ex, Format::kAnthropic, st.error());
    co_return;
  }
  auto answer = co_await call.ReadAll(1 << 20);
  if (!answer.ok()) {
    co_await SendClientError(ex, Format::kAnthropic, answer.error());
    co_return;
  }
  co_await ex.Respond(call.status(), "application/json", *answer);
}

}  // namespace omni::gateway
