#include "http/router.h"

#include "core/json_text.h"

namespace omni::http {

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  Route r;
  r.method = std::move(method);
  r.handler = std::move(handler);
  std::string_view p = pattern;
  while (!p.empty()) {
    if (p.front() == '/') p.remove_prefix(1);
    auto slash = p.find('/');
    auto seg = p.substr(0, slash);
    if (seg == "*") {
      r.wildcard = true;
      break;
    }
    r.segments.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    p.remove_prefix(slash);
  }
  routes_.push_back(std::move(r));
}

bool Router::Match(const Route& r, std::string_view path, RouteParams& params) {
  params.Clear();
  size_t i = 0;
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    if (path.empty()) break;
    if (i == r.segments.size()) return r.wildcard;
    auto slash = path.find('/');
    auto seg = path.substr(0, slash);
    const std::string& want = r.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      params.Add(std::string_view(want).substr(1, want.size() - 2), seg);
    } else if (want != seg) {
      return false;
    }
    ++i;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return i == r.segments.size();
}

boost::asio::awaitable<void> Router::Dispatch(Exchange& ex) const {
  std::string_view path = ex.Path();
  std::string_view method = ex.Method();
  RouteParams params;
  std::string allowed;
  for (const auto& r : routes_) {
    if (!Match(r, path, params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      co_await r.handler(ex, params);
      co_return;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += r.method;
  }
  if (!allowed.empty()) {
    std::array<HeaderPair, 1> allow{{{"Allow", allowed}}};
    Error e{405, "invalid_request_error", "method_not_allowed",
            "method " + std::string(method) + " not allowed on " + std::string(path) +
                " (allowed: " + allowed + ")"};
    co_await SendRoutingError(ex, e, allow);
    co_return;
  }
  Error e = Error::NotFound("no route for " + std::string(method) + " " + std::string(path));
  co_await SendRoutingError(ex, e, {});
}

boost::asio::awaitable<void> Router::SendRoutingError(Exchange& ex, const Error& error,
                                                      std::span<const HeaderPair> extra) const {
  if (!error_renderer_) {
    co_await SendError(ex, error, extra);
    co_return;
  }
  const std::string body =
      error_renderer_(ex.Path(), error.status, error.type, error.code, error.message);
  co_await ex.Respond(error.status, "application/json", body, extra);
}

boost::asio::awaitable<void> Router::SendError(Exchange& ex, const Error& error,
                                               std::span<const HeaderPair> extra) {
  std::string body = "{\"error\":{\"message\":";
  AppendJsonQuoted(body, error.message);
  body += ",\"type\":";
  AppendJsonQuoted(body, error.type.empty() ? "server_error" : error.type);
  body += ",\"code\":";
  AppendJsonQuoted(body, error.code);
  body += "}}";
  co_await ex.Respond(error.status, "application/json", body, extra);
}

}  // namespace omni::http
