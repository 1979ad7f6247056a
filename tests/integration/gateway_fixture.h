#pragma once
// Shared fixture for gateway integration tests: a mock upstream plus a gateway with one
// "openai" connection pointing at it.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/mock_upstream.h"

namespace omni::testing {

inline std::string ChatBody(std::string_view model, bool stream,
                            std::string_view text = "hello there") {
  boost::json::object body{
      {"model", model},
      {"messages", boost::json::array{boost::json::object{{"role", "user"}, {"content", text}}}}};
  if (stream) body["stream"] = true;
  return boost::json::serialize(body);
}

inline boost::json::value Json(std::string_view text) { return boost::json::parse(text); }

// Adds a provider connection through the admin API; returns its id.
inline std::string AddConnection(HttpClient& client, std::string_view provider,
                                 std::string_view base_url,
                                 std::string_view key = "sk-test-key-0123456789",
                                 int priority = 1) {
  boost::json::object req{{"provider", provider},
                          {"name", "test"},
                          {"apiKey", key},
                          {"baseUrl", base_url},
                          {"priority", priority}};
  auto res = client.Post("/api/providers", boost::json::serialize(req));
  EXPECT_EQ(res.status, 201) << res.body;
  return std::string(Json(res.body).at("id").as_string());
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = std::make_unique<MockUpstream>();
    gateway_ = std::make_unique<GatewayProcess>(Options());
    client_ = std::make_unique<HttpClient>(gateway_->Client());
    conn_id_ = AddConnection(*client_, "openai", mock_->BaseUrl());
  }
  virtual GatewayOptions Options() { return {}; }

  HttpResponse Chat(std::string_view model, bool stream = false) {
    return client_->Post("/v1/chat/completions", ChatBody(model, stream));
  }

  std::unique_ptr<MockUpstream> mock_;
  std::unique_ptr<GatewayProcess> gateway_;
  std::unique_ptr<HttpClient> client_;
  std::string conn_id_;
};

}  // namespace omni::testing
