#include <boost/beast/http/status.hpp>

#include "http/exchange.h"

namespace omni::http {

std::string_view ReasonPhrase(int status) {
  auto s = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  return s.empty() ? std::string_view("Unknown") : std::string_view(s.data(), s.size());
}

}  // namespace omni::http
