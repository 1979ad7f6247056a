#pragma once
// Router: maps (method, path pattern) to handlers. Patterns are literal segments,
// `{name}` captures one segment, and a trailing `*` matches any rest. Unknown paths get a
// JSON 404 and known paths with the wrong method a JSON 405 with Allow. Routes are added at
// start-up; Dispatch is const and thread-safe afterwards.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/exchange.h"

namespace omni::http {

class RouteParams {
 public:
  std::string_view Get(std::string_view name) const {
    for (const auto& [n, v] : items_)
      if (n == name) return v;
    return {};
  }
  void Add(std::string_view name, std::string_view value) { items_.emplace_back(name, value); }
  void Clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> items_;
};

using RouteHandler = std::function<boost::asio::awaitable<void>(Exchange&, const RouteParams&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteHandler handler);
  // Shapes the 404/405 bodies by path (default: OpenAI shape).
  void SetErrorRenderer(ErrorRenderer renderer) { error_renderer_ = std::move(renderer); }
  boost::asio::awaitable<void> Dispatch(Exchange& ex) const;

  // Answers an Error as JSON in OpenAI shape {"error":{"message","type","code"}}.
  static boost::asio::awaitable<void> SendError(Exchange& ex, const Error& error,
                                                std::span<const HeaderPair> extra = {});

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    bool wildcard = false;
    RouteHandler handler;
  };
  static bool Match(const Route& r, std::string_view path, RouteParams& params);
  boost::asio::awaitable<void> SendRoutingError(Exchange& ex, const Error& error,
                                                std::span<const HeaderPair> extra) const;
  std::vector<Route> routes_;
  ErrorRenderer error_renderer_;
};

}  // namespace omni::http
