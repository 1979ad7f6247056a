#include "gateway/client_error.h"

#include "formats/error_body.h"

namespace omni::gateway {

boost::asio::awaitable<void> SendClientError(http::Exchange& ex, formats::Format format,
                                             Error error, std::span<const http::HeaderPair> extra) {
  const std::string body = formats::EncodeErrorBody(format, error);
  co_await ex.Respond(formats::ErrorStatusFor(format, error.status), "application/json", body,
                      extra);
}

formats::Format FormatForPath(std::string_view path) {
  if (path.starts_with("/v1beta/")) return formats::Format::kGemini;
  if (path.find("/messages") != std::string_view::npos) return formats::Format::kAnthropic;
  if (path.find("/responses") != std::string_view::npos) return formats::Format::kResponses;
  return formats::Format::kOpenAIChat;
}

}  // namespace omni::gateway
