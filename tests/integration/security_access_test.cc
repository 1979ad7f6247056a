// Who may reach the gateway at all: the loopback rule for keyless /v1/* calls (a remote client,
// or a local proxy forwarding one, needs a key), X-Forwarded-For believed only from configured
// proxies, IP allow / deny lists (IPv4, IPv6, mapped) in front of /v1 and /api alike, validation
// of the lists, and blocked providers that are never routed to.
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>

#include <cstdlib>
#include <optional>

#include "gateway_fixture.h"
#include "support/temp_dir.h"

namespace omni::testing {
namespace {

std::string ErrorCode(const HttpResponse& res) {
  try {
    return std::string(Json(res.body).at("error").at("code").as_string());
  } catch (const std::exception&) {
    return "<not an error JSON: " + res.body + ">";
  }
}

// First address of `family` on an interface that is up and not loopback ("" if none).
std::string NonLoopbackAddress(int family) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string out;
  for (ifaddrs* a = list; a && out.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != family || !(a->ifa_flags & IFF_UP) ||
        (a->ifa_flags & IFF_LOOPBACK))
      continue;
    char host[NI_MAXHOST];
    socklen_t len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (getnameinfo(a->ifa_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) continue;
    std::string h = host;
    if (h.find('%') != std::string::npos || h.starts_with("fe80"))
      continue;  // link-local needs a zone
    out = h;
  }
  freeifaddrs(list);
  return out;
}

class SecurityAccessTest : public GatewayTest {
 protected:
  void PutSecurity(std::string_view json) {
    auto res = client_->Request("PUT", "/api/settings/security", json);
    ASSERT_EQ(res.status, 200) << json << " -> " << res.body;
  }
  HttpResponse KeylessChat(const HeaderList& headers = {}) {
    HttpClient anon = gateway_->AnonymousClient();
    return anon.Post("/v1/chat/completions", ChatBody("openai/mock-small", false), headers);
  }
  std::string CreateKey() {
    auto res = client_->Post("/api/keys", R"({"name":"k"})");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(Json(res.body).at("key").as_string());
  }
};

TEST_F(SecurityAccessTest, KeylessCallsOnlyFromThisMachine) {
  EXPECT_EQ(KeylessChat().status, 200);
  HttpClient anon = gateway_->AnonymousClient();
  EXPECT_EQ(anon.Get("/v1/models").status, 200);
  // A loopback peer that forwards for someone else (a local nginx we were not told to trust)
  // is not a local client.
  for (const auto& [name, value] :
       {std::pair{"X-Forwarded-For", "203.0.113.9"}, std::pair{"X-Forwarded-For", "127.0.0.1"},
        std::pair{"Forwarded", "for=203.0.113.9"}, std::pair{"X-Real-IP", "203.0.113.9"}}) {
    auto res = KeylessChat({{name, value}});
    EXPECT_EQ(res.status, 401) << name << ": " << value << " -> " << res.body;
    EXPECT_EQ(ErrorCode(res), "api_key_required") << name;
    EXPECT_EQ(anon.Get("/v1/models", {{name, value}}).status, 401) << name;
  }
  // An empty first line cannot hide a line a proxy added after it.
  auto hidden = KeylessChat({{"X-Forwarded-For", ""}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(hidden.status, 401) << hidden.body;
  const std::string key = CreateKey();
  EXPECT_EQ(
      KeylessChat({{"X-Forwarded-For", "203.0.113.9"}, {"Authorization", "Bearer " + key}}).status,
      200);
}

TEST_F(SecurityAccessTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  PutSecurity(R"({"trustedProxies":["127.0.0.1/32"]})");
  const std::string key = CreateKey();
  struct Case {
    const char* xff;
    int status;
  } cases[] = {
      {"203.0.113.9", 401},             // a remote client behind our proxy
      {"127.0.0.1, 203.0.113.9", 401},  // the client's own claim to be local is left of it
      {"203.0.113.9, 127.0.0.1", 401},  // two trusted hops, then the real client
      {"127.0.0.1", 200},               // a local client through the local proxy
      {"[::1]:5555", 200},
      {"2001:db8::7", 401},
  };
  for (const auto& c : cases) {
    auto res = KeylessChat({{"X-Forwarded-For", c.xff}});
    EXPECT_EQ(res.status, c.status) << c.xff << " -> " << res.body;
  }
  EXPECT_EQ(KeylessChat({{"X-Forwarded-For", "203.0.113.9"}, {"x-api-key", key}}).status, 200);
}

TEST_F(SecurityAccessTest, DenyListShutsEverythingIncludingTheAdminApi) {
  PutSecurity(R"({"ipDenyList":["127.0.0.0/8"]})");
  HttpClient anon = gateway_->AnonymousClient();
  const HeaderList spoof{{"X-Forwarded-For", "203.0.113.9"}};  // from an untrusted peer: ignored
  for (const HeaderList& extra : {HeaderList{}, spoof}) {
    auto chat = KeylessChat(extra);
    EXPECT_EQ(chat.status, 403) << chat.body;
    EXPECT_EQ(ErrorCode(chat), "ip_not_allowed");
    EXPECT_EQ(anon.Get("/v1/models", extra).status, 403);
    EXPECT_EQ(client_->Get("/api/keys", extra).status, 403)
        << "a session does not beat the deny list";
    EXPECT_EQ(anon.Get("/api/health/live", extra).status, 403);
    EXPECT_EQ(anon.Post("/api/auth/login", R"({"password":"123456"})", extra).status, 403);
  }
  EXPECT_EQ(mock_->Requests().size(), 0u);
}

TEST_F(SecurityAccessTest, AllowListOfAnotherFamilyOrAddressRefusesUs) {
  PutSecurity(R"({"ipAllowList":["::1/128"]})");
  EXPECT_EQ(KeylessChat().status, 403) << "127.0.0.1 is not ::1";
  EXPECT_EQ(client_->Get("/api/keys").status, 403);
  // Claiming to be an allowed address through an untrusted peer does not get in.
  EXPECT_EQ(KeylessChat({{"X-Forwarded-For", "::1"}}).status, 403);
}

TEST_F(SecurityAccessTest, ListsMatchIpv6AndMappedAddressesBehindAProxy) {
  const std::string key = CreateKey();  // before the lists lock this test's own address out
  PutSecurity(
      R"({"trustedProxies":["127.0.0.1"],"ipAllowList":["2001:db8::/32","198.51.100.0/24"],)"
      R"("ipDenyList":["2001:db8:bad::/48","198.51.100.66"]})");
  struct Case {
    const char* xff;
    int status;
  } cases[] = {
      {"2001:db8::5", 200},
      {"[2001:db8:1::9]:443", 200},
      {"2001:db8:bad::1", 403},
      {"2001:db9::1", 403},
      {"198.51.100.7", 200},
      {"::ffff:198.51.100.7", 200},
      {"::ffff:198.51.100.66", 403},
      {"198.51.100.66:8080", 403},
      {"203.0.113.1", 403},
      {"127.0.0.1", 403},  // the proxy itself is not on the allow list
  };
  for (const auto& c : cases) {
    auto res = KeylessChat({{"X-Forwarded-For", c.xff}, {"Authorization", "Bearer " + key}});
    EXPECT_EQ(res.status, c.status) << c.xff << " -> " << res.body;
  }
}

// A proxy that adds its own X-Forwarded-For line (instead of appending to the client's) must
// not let the client's line, which comes first, pick the address (RFC 9110 §5.3: repeated
// field lines are one comma-separated list).
TEST_F(SecurityAccessTest, RepeatedForwardedForLinesAreOneList) {
  PutSecurity(R"({"trustedProxies":["127.0.0.1/32"],"ipDenyList":["203.0.113.0/24"]})");
  auto res = KeylessChat({{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(ErrorCode(res), "ip_not_allowed");
  HttpClient anon = gateway_->AnonymousClient();
  auto api = anon.Get("/api/health/live",
                      {{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(api.status, 403) << api.body;
}

TEST_F(SecurityAccessTest, BadListEntriesAre400NamingThem) {
  struct Case {
    const char* body;
    const char* named;
  } cases[] = {
      {R"({"ipAllowList":["10.0.0.0/33"]})", "10.0.0.0/33"},
      {R"({"ipDenyList":["300.1.2.3"]})", "300.1.2.3"},
      {R"({"ipDenyList":["::1/129"]})", "::1/129"},
      {R"({"trustedProxies":["not-an-ip"]})", "not-an-ip"},
      {R"({"ipAllowList":["10.0.0.1","010.0.0.1"]})", "010.0.0.1"},
      {R"({"ipAllowList":"10.0.0.0/8"})", "ipAllowList"},
      {R"({"blockedProviders":["no-such-provider"]})", "no-such-provider"},
      {R"({"requireAuthForModels":"no"})", "requireAuthForModels"},
  };
  for (const auto& c : cases) {
    auto res = client_->Request("PUT", "/api/settings/security", c.body);
    EXPECT_EQ(res.status, 400) << c.body << " -> " << res.body;
    if (res.status != 400) continue;
    EXPECT_NE(Json(res.body).at("error").at("message").as_string().find(c.named), std::string::npos)
        << c.body << " -> " << res.body;
  }
  auto now = client_->Get("/api/settings/security");
  ASSERT_EQ(now.status, 200);
  EXPECT_EQ(Json(now.body), Json(R"({"ipAllowList":[],"ipDenyList":[],"trustedProxies":[],)"
                                 R"("blockedProviders":[],"requireAuthForModels":true})"));
  EXPECT_EQ(KeylessChat().status, 200);
}

TEST_F(SecurityAccessTest, BlockedProvidersAreNeverRoutedTo) {
  ASSERT_EQ(KeylessChat().status, 200);
  mock_->ClearRequests();
  PutSecurity(R"({"blockedProviders":["openai"]})");
  auto res = KeylessChat();
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(ErrorCode(res), "provider_blocked");
  HttpClient anon = gateway_->AnonymousClient();
  auto direct = anon.Post("/v1/providers/openai/chat/completions", ChatBody("mock-small", false));
  EXPECT_EQ(direct.status, 403) << direct.body;
  EXPECT_EQ(mock_->Requests().size(), 0u);
  auto models = anon.Get("/v1/models");
  ASSERT_EQ(models.status, 200);
  const auto listed = Json(models.body);  // the loop must not outlive the document
  for (const auto& m : listed.at("data").as_array())
    EXPECT_FALSE(m.at("id").as_string().starts_with("openai/")) << m;
  PutSecurity(R"({"blockedProviders":[]})");
  EXPECT_EQ(KeylessChat().status, 200);
}

// A true remote peer: the gateway bound to every address, reached through this machine's own
// non-loopback address (the kernel then reports that address as the peer, not 127.0.0.1).
TEST(SecurityRemotePeer, KeylessCallFromANonLoopbackAddressIs401) {
  for (int family : {AF_INET, AF_INET6}) {
    const std::string addr = NonLoopbackAddress(family);
    if (addr.empty()) continue;
    SCOPED_TRACE(addr);
    TempDir dir("omni-sec-remote-");
    auto proc = Subprocess::Start({OMNI_BINARY_PATH, "--host", family == AF_INET ? "0.0.0.0" : "::",
                                   "--port", "0", "--data-dir", dir.path(), "--workers", "1"},
                                  {}, dir.path());
    auto line = proc->ReadLineMatching("omniroute ready on http://", std::chrono::seconds(20));
    ASSERT_TRUE(line.has_value()) << proc->StderrContents();
    const uint16_t port = ParsePortFromReadyLine(*line);
    HttpClient remote(addr, port);
    auto res = remote.Post("/v1/chat/completions", ChatBody("openai/mock-small", false));
    EXPECT_EQ(res.status, 401) << res.body << res.error;
    EXPECT_EQ(ErrorCode(res), "api_key_required");
    // Loopback on the same listener still counts as local (no connection configured: 400).
    HttpClient local(family == AF_INET ? "127.0.0.1" : "::1", port);
    auto mine = local.Post("/v1/chat/completions", ChatBody("openai/mock-small", false));
    EXPECT_NE(mine.status, 401) << mine.body << mine.error;
  }
}

// Secure by default: without --host / HOSTNAME the listener is loopback only.
TEST(SecurityDefaults, ListensOnLoopbackUnlessHostnameSaysOtherwise) {
  std::optional<std::string> saved;
  if (const char* h = std::getenv("HOSTNAME")) saved = h;  // Docker exports the container name
  ::unsetenv("HOSTNAME");
  for (const std::string host : {"", "0.0.0.0"}) {
    TempDir dir("omni-sec-host-");
    std::map<std::string, std::string> env;
    if (!host.empty()) env["HOSTNAME"] = host;
    auto proc = Subprocess::Start(
        {OMNI_BINARY_PATH, "--port", "0", "--data-dir", dir.path(), "--workers", "1"}, env,
        dir.path());
    auto line = proc->ReadLineMatching("omniroute ready on http://", std::chrono::seconds(20));
    ASSERT_TRUE(line.has_value()) << proc->StderrContents();
    const std::string expected = host.empty() ? "127.0.0.1" : host;
    EXPECT_NE(line->find("http://" + expected + ":"), std::string::npos) << *line;
    const std::string other = NonLoopbackAddress(AF_INET);
    if (host.empty() && !other.empty()) {
      HttpClient remote(other, ParsePortFromReadyLine(*line),
                        HttpClientOptions{.timeout = std::chrono::seconds(2)});
      auto res = remote.Get("/api/health/live");
      EXPECT_EQ(res.status, 0) << "reachable on " << other << " without HOSTNAME";
    }
  }
  if (saved) ::setenv("HOSTNAME", saved->c_str(), 1);
}

}  // namespace
}  // namespace omni::testing
