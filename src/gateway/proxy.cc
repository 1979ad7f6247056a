// The proxy pipeline: any client format in, any provider format out (see ARCHITECTURE.md
// "Life of a request"). Same format on both sides → splice the client's bytes with only the
// model rewritten and relay the answer untouched; otherwise translate through the IR, the
// stream event by event.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "core/version.h"
#include "formats/error_body.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"
#include "gateway/client_error.h"
#include "gateway/gateway.h"
#include "gateway/model_splice.h"
#include "gateway/request_sniffer.h"
#include "gateway/usage_sniffer.h"
#include "providers/upstream_dialect.h"

namespace omni::gateway {
namespace net = boost::asio;
using formats::Format;
using http::HeaderPair;

namespace {

constexpr size_t kMaxUpstreamErrorBody = 1 << 20;

bool LooksLikeJson(std::string_view body) {
  size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (body[i] == '{' || body[i] == '[');
}

// Warnings travel to the client in one header line (ASCII, no line breaks).
std::string WarningsHeader(const formats::Warnings& warnings) {
  std::string out;
  for (const auto& w : warnings.items) {
    if (!out.empty()) out += "; ";
    for (char c : w) out.push_back((c >= 0x20 && c < 0x7f) ? c : ' ');
  }
  return out.substr(0, 2000);
}

bool QueryHas(std::string_view query, std::string_view pair) {
  while (!query.empty()) {
    auto amp = query.find('&');
    if (query.substr(0, amp) == pair) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace

net::awaitable<void> Gateway::Proxy(http::Exchange& ex, Ingress ingress) {
  const auto started = std::chrono::steady_clock::now();
  const Format from = ingress.format;
  auto auth = auth_.Get();
  auto who = CheckClientAccess(ex, *auth, options_.access, false, clock_.NowUnixMs());
  if (!who.ok()) {
    co_await SendClientError(ex, from, who.error());
    co_return;
  }
  std::string& body = ex.Body();
  formats::JsonDoc doc;  // released before the first wait on the upstream (below)
  auto sniff = SniffRequest(body, doc);
  if (!sniff.ok()) {
    co_await SendClientError(ex, from, sniff.error());
    co_return;
  }
  const bool stream = from == Format::kGemini ? ingress.url_stream : sniff->stream;
  std::string_view model =
      from == Format::kGemini ? ingress.url_model : std::string_view(sniff->model);

  // Dedicated provider route: the prefix is implied; a different explicit one is an error.
  auto snapshot = snapshots_.Get();  // keeps the connection data alive for this request
  std::string qualified;
  if (!ingress.forced_provider.empty() && !model.empty()) {
    auto slash = model.find('/');
    const auto* forced = snapshot->FindProvider(ingress.forced_provider);
    const auto* named =
        slash == std::string_view::npos ? nullptr : snapshot->FindProvider(model.substr(0, slash));
    if (named && forced && named != forced) {
      const Error e = Error::InvalidRequest("model \"" + std::string(model) +
                                                "\" does not belong to provider \"" +
                                                std::string(ingress.forced_provider) + "\"",
                                            "model_provider_mismatch");
      co_await SendClientError(ex, from, e);
      co_return;
    }
    if (!named) {
      qualified = std::string(ingress.forced_provider) + "/" + std::string(model);
      model = qualified;
    }
  }
  if (auto allowed = CheckModelAllowed(*who, model); !allowed.ok()) {
    co_await SendClientError(ex, from, allowed.error());
    co_return;
  }
  auto target = snapshot->Resolve(model);
  if (!target.ok()) {
    co_await SendClientError(ex, from, target.error());
    co_return;
  }
  const Format to = target->provider->wire;
  const bool same = from == to;

  // The upstream body.
  SplicedBody upstream_body;
  formats::Warnings warnings;
  formats::CodecOptions codec;
  codec.model = std::string(target->model);
  codec.size_hint = body.size();
  if (same) {
    SpliceModel(body, *sniff, target->model, upstream_body);
  } else {
    // Through the IR, decoded from the document the sniff parsed. A Gemini client says
    // "stream" in its URL, not its body.
    auto ir = formats::DecodeRequest(from, sniff->root, &warnings);
    doc.Release();  // the IR owns its strings
    if (ir.ok()) {
      if (from == Format::kGemini) ir->stream = stream;
      ir->model = std::string(target->model);
    }
    auto translated = ir.ok() ? formats::EncodeRequest(to, *ir, &warnings, codec)
                              : Result<std::string>(ir.error());
    if (!translated.ok()) {
      co_await SendClientError(ex, from, translated.error());
      co_return;
    }
    upstream_body.reencoded = std::move(translated).value();
    upstream_body.parts[0] = upstream_body.reencoded;
    upstream_body.n_parts = 1;
  }
  // No view into the document is used past this point; hand the per-thread parser back so
  // requests that run while this one waits on its upstream reuse it.
  doc.Release();

  // Headers: the key in the provider's style, version headers, and the client headers the
  // upstream understands, passed through unchanged.
  const auto& conn = *target->connection;
  static const std::string kUserAgent = std::string("OmniRoute/") + kVersion;
  std::array<HeaderPair, 8> headers;
  size_t n_headers = 0;
  headers[n_headers++] = {conn.auth_header, conn.auth_value};
  headers[n_headers++] = {"Content-Type", "application/json"};
  headers[n_headers++] = {"Accept", stream ? "text/event-stream" : "application/json"};
  headers[n_headers++] = {"User-Agent", kUserAgent};
  if (to == Format::kAnthropic) {
    std::string_view version =
        from == Format::kAnthropic ? ex.Header("anthropic-version") : std::string_view();
    headers[n_headers++] = {"anthropic-version",
                            version.empty() ? providers::kAnthropicVersion : version};
    if (std::string_view beta = ex.Header("anthropic-beta");
        from == Format::kAnthropic && !beta.empty())
      headers[n_headers++] = {"anthropic-beta", beta};
  }
  if (std::string_view beta = ex.Header("OpenAI-Beta"); same && !beta.empty())
    headers[n_headers++] = {"OpenAI-Beta", beta};

  const bool beta_query = from == Format::kAnthropic && QueryHas(ex.Query(), "beta=true");
  const std::string path = providers::UpstreamPath(to, target->model, stream, beta_query);
  http::UpstreamRequest req;
  req.method = "POST";
  req.url = &conn.url;
  req.path = path;
  req.headers = std::span<const HeaderPair>(headers.data(), n_headers);
  req.body = std::span<const std::string_view>(upstream_body.parts.data(), upstream_body.n_parts);
  req.timeouts = options_.timeouts;

  const std::string warning_text = WarningsHeader(warnings);
  std::array<HeaderPair, 2> extra;
  size_t n_extra = 0;
  if (!warning_text.empty()) extra[n_extra++] = {"X-OmniRoute-Warnings", warning_text};

  http::UpstreamCall call;
  ex.WatchClient([&call] { call.Abort(); });  // stopped by Respond, or below for streams
  auto started_call = co_await call.Start(req);

  int status = 0;
  TokenUsage usage;
  if (!started_call.ok()) {
    status = started_call.error().status;
    if (!ex.ClientGone()) co_await SendClientError(ex, from, started_call.error());
  } else if (status = call.status(); status < 200 || status >= 300) {
    auto err_body = co_await call.ReadAll(kMaxUpstreamErrorBody);
    const std::string_view retry_after = call.Header("Retry-After");
    if (!retry_after.empty()) extra[n_extra++] = {"Retry-After", retry_after};
    const std::span<const HeaderPair> extra_span(extra.data(), n_extra);
    const std::string_view raw = err_body.ok() ? std::string_view(*err_body) : std::string_view();
    if (same && LooksLikeJson(raw)) {
      co_await ex.Respond(status, "application/json", raw, extra_span);
    } else {
      // Another format's error (or an HTML page): re-shaped for the client's SDK.
      const std::string translated = formats::TranslateErrorBody(to, from, status, raw);
      co_await ex.Respond(formats::ErrorStatusFor(from, status), "application/json", translated,
                          extra_span);
    }
  } else if (call.Header("Content-Type").starts_with("text/event-stream")) {
    std::optional<formats::StreamTranslator> translator;
    if (!same) translator.emplace(to, from, codec);
    SseUsageSniffer sniffer;
    std::string out;
    // Head and first events usually arrive together: then the client gets them in one write.
    const bool defer_head = call.HasBufferedBody();
    const bool began =
        co_await ex.BeginStream(status, "text/event-stream",
                                std::span<const HeaderPair>(extra.data(), n_extra), defer_head);
    bool ended = false;
    if (began) {
      for (;;) {
        auto piece = co_await call.Read();
        if (!piece.ok()) {
          if (ex.ClientGone()) break;
          // Bytes already reached the client: end its stream with an in-format error event.
          status = piece.error().status;
          out.clear();
          if (translator)
            translator->Fail(piece.error(), out);
          else
            out = formats::StreamErrorEvent(from, piece.error());
          co_await ex.WriteChunk(out);
          break;
        }
        // The last piece goes out with the stream's end in the same write.
        const bool last = piece->empty() || call.done();
        std::string_view send = *piece;
        if (translator) {
          out.clear();
          translator->Feed(*piece, out);
          if (last) translator->Finish(out);
          send = out;
        } else if (from == Format::kOpenAIChat) {
          sniffer.Feed(*piece);
        }
        const bool written = last ? co_await ex.WriteLastChunk(send) : co_await ex.WriteChunk(send);
        if (!written || last) {
          ended = written;
          break;
        }
      }
      ex.StopWatchingClient();
      if (!ended && !ex.ClientGone()) co_await ex.EndStream();
    }
    if (ex.ClientGone()) call.Abort();
    if (translator) {
      const auto& u = translator->usage();
      usage = {u.input, u.output, u.cached, u.reasoning, u.present};
    } else {
      usage = sniffer.usage();
    }
  } else {
    auto answer = co_await call.ReadAll(options_.max_response_bytes);
    if (!answer.ok()) {
      status = answer.error().status;
      co_await SendClientError(ex, from, answer.error());
    } else if (same) {
      if (from == Format::kOpenAIChat) FindUsage(*answer, usage);
      const std::string_view ctype = call.Header("Content-Type");
      co_await ex.Respond(status, ctype.empty() ? "application/json" : ctype, *answer,
                          std::span<const HeaderPair>(extra.data(), n_extra));
    } else {
      auto translated = formats::TranslateResponse(to, from, *answer, &warnings, codec);
      if (!translated.ok()) {
        const Error e{502, "upstream_error", "upstream_bad_response",
                      "could not read the upstream answer: " + translated.error().message};
        status = 502;
        co_await SendClientError(ex, from, e);
      } else {
        co_await ex.Respond(status, "application/json", *translated,
                            std::span<const HeaderPair>(extra.data(), n_extra));
      }
    }
  }

  ex.StopWatchingClient();  // the watch refers to `call`, which ends here
  if (options_.request_logs || spdlog::should_log(spdlog::level::debug)) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    spdlog::log(options_.request_logs ? spdlog::level::info : spdlog::level::debug,
                "{} {} {}->{} model={} provider={} connection={} status={}{} ms={} tokens_in={} "
                "tokens_out={}",
                ex.Method(), ex.Path(), formats::FormatName(from), formats::FormatName(to), model,
                target->provider->id, conn.conn.id, status, ex.ClientGone() ? " (client gone)" : "",
                ms, usage.input_tokens, usage.output_tokens);
  }
}

}  // namespace omni::gateway
