// /api/providers and /api/provider-nodes: shapes, validation, masking, effect on routing.
#include "gateway_fixture.h"

namespace omni::testing {
namespace {

constexpr const char* kKey = "sk-test-key-0123456789";

std::string ErrorMessage(const HttpResponse& res) {
  return std::string(Json(res.body).at("error").at("message").as_string());
}

TEST_F(GatewayTest, ConnectionShapeAndMasking) {
  auto res = client_->Get("/api/providers/" + conn_id_);
  ASSERT_EQ(res.status, 200);
  auto c = Json(res.body).as_object();
  EXPECT_EQ(c.at("provider").as_string(), "openai");
  EXPECT_EQ(c.at("name").as_string(), "test");
  EXPECT_EQ(c.at("priority").as_int64(), 1);
  EXPECT_TRUE(c.at("enabled").as_bool());
  EXPECT_EQ(c.at("baseUrl").as_string(), mock_->BaseUrl());
  EXPECT_EQ(c.at("apiKey").as_string(), "sk-…6789");
  for (const char* path : {"/api/providers", "/api/providers/", "/api/providers?provider=openai"}) {
    auto list = client_->Get(std::string(path) + (std::string(path).back() == '/' ? conn_id_ : ""));
    EXPECT_EQ(list.body.find(kKey), std::string::npos) << path;
  }
}

TEST_F(GatewayTest, ListFiltersByProviderIdOrAlias) {
  AddConnection(*client_, "ds", "http://127.0.0.1:9/v1");
  auto all = Json(client_->Get("/api/providers").body).at("connections").as_array();
  EXPECT_EQ(all.size(), 2u);
  auto ds = Json(client_->Get("/api/providers?provider=ds").body).at("connections").as_array();
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].at("provider").as_string(), "deepseek");
  auto by_id =
      Json(client_->Get("/api/providers?provider=deepseek").body).at("connections").as_array();
  EXPECT_EQ(by_id.size(), 1u);
}

TEST_F(GatewayTest, ValidationErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({"apiKey":"sk-1"})", "provider"},
      {R"({"provider":"openai"})", "apiKey"},
      {R"({"provider":"openai","apiKey":""})", "apiKey"},
      {R"({"provider":"nope","apiKey":"sk-1"})", "provider"},
      {R"({"provider":"openai","apiKey":"sk-1","priority":"high"})", "priority"},
      {R"({"provider":"openai","apiKey":"sk-1","enabled":"yes"})", "enabled"},
      {R"({"provider":"openai","apiKey":"sk-1","baseUrl":"ftp://x"})", "baseUrl"},
      {R"({"provider":"openai","apiKey":42})", "apiKey"},
  };
  for (const auto& c : cases) {
    auto res = client_->Post("/api/providers", c.body);
    EXPECT_EQ(res.status, 400) << c.body;
    EXPECT_NE(ErrorMessage(res).find(std::string("\"") + c.field + "\""), std::string::npos)
        << c.body << " -> " << res.body;
  }
  auto bad_json = client_->Post("/api/providers", "{nope");
  EXPECT_EQ(bad_json.status, 400);
}

TEST_F(GatewayTest, PatchAndDeleteChangeRouting) {
  auto patched =
      client_->Request("PATCH", "/api/providers/" + conn_id_, R"({"enabled":false,"name":"off"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(Json(patched.body).at("enabled").as_bool());
  EXPECT_EQ(Json(patched.body).at("name").as_string(), "off");
  EXPECT_EQ(Chat("openai/mock-small").status, 400);  // no enabled connection

  ASSERT_EQ(client_->Request("PATCH", "/api/providers/" + conn_id_, R"({"enabled":true})").status,
            200);
  EXPECT_EQ(Chat("openai/mock-small").status, 200);

  auto cant = client_->Request("PATCH", "/api/providers/" + conn_id_, R"({"provider":"groq"})");
  EXPECT_EQ(cant.status, 400);

  auto deleted = client_->Request("DELETE", "/api/providers/" + conn_id_);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(client_->Get("/api/providers/" + conn_id_).status, 404);
  EXPECT_EQ(client_->Request("DELETE", "/api/providers/" + conn_id_).status, 404);
  EXPECT_EQ(Chat("openai/mock-small").status, 400);
}

TEST_F(GatewayTest, KeyRotationTakesEffectImmediately) {
  ASSERT_EQ(
      client_
          ->Request("PATCH", "/api/providers/" + conn_id_, R"({"apiKey":"sk-rotated-0123456789"})")
          .status,
      200);
  ASSERT_EQ(Chat("openai/mock-small").status, 200);
  EXPECT_EQ(mock_->Requests().back().at("headers").at("authorization").as_string(),
            "Bearer sk-rotated-0123456789");
}

TEST_F(GatewayTest, ConnectionTestReportsReachability) {
  auto ok = client_->Post("/api/providers/" + conn_id_ + "/test", "");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(Json(ok.body).at("ok").as_bool()) << ok.body;
  EXPECT_EQ(mock_->Requests().back().at("target").as_string(), "/v1/models");

  mock_->SetFaults(R"({"faults":[{"status":401,"body":"{\"error\":\"bad key\"}"}]})");
  auto denied = client_->Post("/api/providers/" + conn_id_ + "/test", "");
  EXPECT_FALSE(Json(denied.body).at("ok").as_bool());
  EXPECT_EQ(Json(denied.body).at("status").as_int64(), 401);

  auto dead = AddConnection(*client_, "groq", "http://127.0.0.1:9/v1");
  auto unreachable = client_->Post("/api/providers/" + dead + "/test", "");
  EXPECT_FALSE(Json(unreachable.body).at("ok").as_bool());
  EXPECT_EQ(client_->Post("/api/providers/conn_missing/test", "").status, 404);
}

TEST_F(GatewayTest, ProviderNodeValidationAndLifecycle) {
  EXPECT_EQ(client_->Post("/api/provider-nodes", R"({"name":"x","baseUrl":"http://a/v1"})").status,
            400);
  auto builtin = client_->Post("/api/provider-nodes",
                               R"({"name":"x","prefix":"openai","baseUrl":"http://a/v1"})");
  EXPECT_EQ(builtin.status, 400);
  EXPECT_NE(ErrorMessage(builtin).find("\"prefix\""), std::string::npos);
  EXPECT_EQ(client_
                ->Post("/api/provider-nodes",
                       R"({"name":"x","prefix":"Bad Prefix","baseUrl":"http://a/v1"})")
                .status,
            400);
  EXPECT_EQ(
      client_->Post("/api/provider-nodes", R"({"name":"x","prefix":"p","baseUrl":"nope"})").status,
      400);

  auto created =
      client_->Post("/api/provider-nodes",
                    R"({"name":"Local","prefix":"local","baseUrl":")" + mock_->BaseUrl() + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto node = Json(created.body).as_object();
  EXPECT_EQ(node.at("format").as_string(), "openai");
  std::string id(node.at("id").as_string());
  EXPECT_EQ(client_
                ->Post("/api/provider-nodes",
                       R"({"name":"dup","prefix":"local","baseUrl":"http://a/v1"})")
                .status,
            409);
  auto list = Json(client_->Get("/api/provider-nodes").body).at("nodes").as_array();
  EXPECT_EQ(list.size(), 1u);

  auto renamed = client_->Request("PATCH", "/api/provider-nodes/" + id, R"({"name":"Renamed"})");
  EXPECT_EQ(Json(renamed.body).at("name").as_string(), "Renamed");

  auto conn = AddConnection(*client_, "local", "");
  EXPECT_EQ(client_->Request("DELETE", "/api/provider-nodes/" + id).status, 409);  // still in use
  ASSERT_EQ(client_->Request("DELETE", "/api/providers/" + conn).status, 200);
  EXPECT_EQ(client_->Request("DELETE", "/api/provider-nodes/" + id).status, 200);
  EXPECT_EQ(client_->Get("/api/provider-nodes/" + id).status, 404);
}

}  // namespace
}  // namespace omni::testing
