// The omniroute command line as a user meets it: flags, environment, .env files, start-up
// errors, and state surviving a restart. Runs the real binary (OMNI_BINARY_PATH).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace omni::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every run gets its own HOME, so a developer's ~/.omniroute/.env never leaks into a test.
class CliTest : public ::testing::Test {
 protected:
  RunResult Run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), OMNI_BINARY_PATH);
    env.emplace("HOME", home_.path());
    return RunToCompletion(args, env, std::chrono::seconds(30));
  }
  std::map<std::string, std::string> HermeticEnv(std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.path());
    return env;
  }

  TempDir home_{"omni-cli-home-"};
};

// A start-up error is one line on stderr, "omniroute: ...", with no crash residue.
void ExpectCleanUsageError(const RunResult& r, const std::string& mentions) {
  EXPECT_EQ(r.exit_code, 2) << "stderr: " << r.stderr_text;
  const std::string& err = r.stderr_text;
  EXPECT_EQ(err.rfind("omniroute:", 0), 0u) << err;
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back(), '\n') << err;
  EXPECT_EQ(err.find('\n'), err.size() - 1) << "more than one line:\n" << err;
  EXPECT_NE(err.find(mentions), std::string::npos) << err;
  for (const char* residue : {"terminate", "what()", "Aborted", "core dumped", "#0 ", "#1 "})
    EXPECT_EQ(err.find(residue), std::string::npos) << residue << " in:\n" << err;
  EXPECT_EQ(r.stdout_text.find("ready on"), std::string::npos) << r.stdout_text;
}

// The "connections" array of GET /api/providers.
json::array Connections(HttpClient& client) {
  HttpResponse r = client.Get("/api/providers");
  EXPECT_EQ(r.status, 200) << r.error << r.body;
  json::value v = json::parse(r.body);
  return v.as_object().at("connections").as_array();
}

constexpr const char* kApiKey = "sk-test-1234567890";
constexpr const char* kCreateBody =
    R"({"provider":"openai","name":"work","apiKey":"sk-test-1234567890","baseUrl":"http://127.0.0.1:9/v1"})";

// --- one-shot runs ------------------------------------------------------------------------

TEST_F(CliTest, HelpExitsZeroAndListsTheFlags) {
  RunResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const char* flag :
       {"--port", "--data-dir", "--workers", "--log-level", "--host", "--version"})
    EXPECT_NE(r.stdout_text.find(flag), std::string::npos) << flag << " missing in:\n"
                                                           << r.stdout_text;
}

TEST_F(CliTest, VersionPrintsNameAndVersion) {
  RunResult r = Run({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "omniroute 0.1.0\n");
}

TEST_F(CliTest, NonNumericPortFlagIsAOneLineUsageError) {
  ExpectCleanUsageError(Run({"--port", "abc"}), "--port");
}

TEST_F(CliTest, OutOfRangePortFlagIsAUsageError) {
  ExpectCleanUsageError(Run({"--port", "70000"}), "--port");
}

TEST_F(CliTest, UnknownFlagIsAUsageError) {
  ExpectCleanUsageError(Run({"--frobnicate"}), "--frobnicate");
}

TEST_F(CliTest, ZeroWorkersFlagIsAUsageError) {
  ExpectCleanUsageError(Run({"--workers", "0"}), "--workers");
}

TEST_F(CliTest, BadLogLevelFlagIsAUsageError) {
  ExpectCleanUsageError(Run({"--log-level", "chatty"}), "log level");
}

TEST_F(CliTest, NonNumericPortEnvIsAUsageError) {
  ExpectCleanUsageError(Run({}, {{"PORT", "abc"}}), "PORT");
}

TEST_F(CliTest, NonBooleanRequireApiKeyEnvIsAUsageError) {
  ExpectCleanUsageError(Run({}, {{"REQUIRE_API_KEY", "maybe"}}), "REQUIRE_API_KEY");
}

TEST_F(CliTest, DataDirBelowRegularFileIsAStartupError) {
  TempDir tmp("omni-cli-");
  WriteFile(tmp.File("plain"), "not a directory");
  const std::string data_dir = tmp.File("plain") + "/data";
  RunResult r = Run({"--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir});
  ExpectCleanUsageError(r, "data directory");
  EXPECT_NE(r.stderr_text.find(data_dir), std::string::npos) << r.stderr_text;
}

TEST_F(CliTest, DataDirThatIsARegularFileIsAStartupError) {
  TempDir tmp("omni-cli-");
  WriteFile(tmp.File("plain"), "not a directory");
  RunResult r = Run({"--host", "127.0.0.1", "--port", "0", "--data-dir", tmp.File("plain")});
  ExpectCleanUsageError(r, "data directory");
}

// --- settings from .env and the environment, observed through the log level -------------------
// The "listening on" start-up line is logged at info: it is in stderr exactly when the level
// in effect lets info through. stderr is read after a graceful stop, when it is complete.

std::string StderrAfterStop(GatewayProcess& gw) {
  ExitStatus st = gw.Stop();
  EXPECT_EQ(st.code, 0) << st.ToString();
  return gw.process().StderrContents();
}

TEST_F(CliTest, DefaultLogLevelLogsTheListeningLine) {
  GatewayProcess gw(GatewayOptions{.env = HermeticEnv()});
  std::string err = StderrAfterStop(gw);
  EXPECT_NE(err.find("listening on"), std::string::npos) << err;
}

TEST_F(CliTest, DotEnvInWorkingDirectoryIsApplied) {
  TempDir data("omni-cli-data-");
  WriteFile(data.File(".env"), "# quiet please\nexport LOG_LEVEL=warn\n");
  GatewayProcess gw(GatewayOptions{.data_dir = data.path(), .env = HermeticEnv()});
  std::string err = StderrAfterStop(gw);
  EXPECT_EQ(err.find("listening on"), std::string::npos) << err;
}

TEST_F(CliTest, DotEnvInHomeIsApplied) {
  fs::create_directories(home_.path() + "/.omniroute");
  WriteFile(home_.path() + "/.omniroute/.env", "LOG_LEVEL=warn\n");
  GatewayProcess gw(GatewayOptions{.env = HermeticEnv()});
  std::string err = StderrAfterStop(gw);
  EXPECT_EQ(err.find("listening on"), std::string::npos) << err;
}

TEST_F(CliTest, EnvironmentOverridesDotEnv) {
  TempDir data("omni-cli-data-");
  WriteFile(data.File(".env"), "LOG_LEVEL=warn\n");
  GatewayProcess gw(
      GatewayOptions{.data_dir = data.path(), .env = HermeticEnv({{"LOG_LEVEL", "info"}})});
  std::string err = StderrAfterStop(gw);
  EXPECT_NE(err.find("listening on"), std::string::npos) << err;
}

TEST_F(CliTest, FlagOverridesEnvironmentAndDotEnv) {
  TempDir data("omni-cli-data-");
  WriteFile(data.File(".env"), "LOG_LEVEL=error\n");
  GatewayProcess gw(GatewayOptions{.data_dir = data.path(),
                                   .args = {"--log-level", "info"},
                                   .env = HermeticEnv({{"LOG_LEVEL", "warn"}})});
  std::string err = StderrAfterStop(gw);
  EXPECT_NE(err.find("listening on"), std::string::npos) << err;
}

TEST_F(CliTest, DataDirIsCreatedWhenMissing) {
  TempDir tmp("omni-cli-");
  const std::string data_dir = tmp.path() + "/nested/state";
  // Not GatewayProcess: it runs the gateway inside the data dir, which must exist for that.
  auto gw = Subprocess::Start({OMNI_BINARY_PATH, "--host", "127.0.0.1", "--port", "0", "--data-dir",
                               data_dir, "--workers", "1"},
                              HermeticEnv(), tmp.path());
  ASSERT_TRUE(gw->ReadLineMatching("ready on", std::chrono::seconds(20))) << gw->StderrContents();
  EXPECT_TRUE(fs::is_directory(data_dir));
  EXPECT_EQ(fs::status(data_dir).permissions() & fs::perms::all, fs::perms::owner_all);
}

// --- state across a restart -----------------------------------------------------------------

TEST_F(CliTest, ProviderConnectionSurvivesRestart) {
  TempDir data("omni-cli-data-");
  {
    GatewayProcess gw(GatewayOptions{.data_dir = data.path(), .env = HermeticEnv()});
    HttpClient client = gw.Client();
    HttpResponse created = client.Post("/api/providers", kCreateBody);
    ASSERT_EQ(created.status, 201) << created.error << created.body;
    ExitStatus st = gw.Stop();
    EXPECT_TRUE(st.exited_normally()) << st.ToString();
    EXPECT_EQ(st.code, 0) << st.ToString();
  }
  EXPECT_TRUE(fs::exists(fs::path(data.path()) / "storage.sqlite"));

  GatewayProcess gw(GatewayOptions{.data_dir = data.path(), .env = HermeticEnv()});
  HttpClient client = gw.Client();
  json::array list = Connections(client);
  ASSERT_EQ(list.size(), 1u) << json::serialize(list);
  const json::object& c = list[0].as_object();
  EXPECT_EQ(c.at("provider").as_string(), "openai");
  EXPECT_EQ(c.at("name").as_string(), "work");
  EXPECT_EQ(c.at("baseUrl").as_string(), "http://127.0.0.1:9/v1");
  EXPECT_EQ(c.at("enabled").as_bool(), true);
  const std::string masked(c.at("apiKey").as_string());
  EXPECT_FALSE(masked.empty());
  EXPECT_NE(masked, kApiKey);
  EXPECT_EQ(masked.find("1234567890"), std::string::npos) << masked;
}

TEST_F(CliTest, ProviderListingNeverContainsTheFullKey) {
  GatewayProcess gw(GatewayOptions{.env = HermeticEnv()});
  HttpClient client = gw.Client();
  HttpResponse created = client.Post("/api/providers", kCreateBody);
  ASSERT_EQ(created.status, 201) << created.error << created.body;
  EXPECT_EQ(created.body.find(kApiKey), std::string::npos) << created.body;
  HttpResponse listed = client.Get("/api/providers");
  ASSERT_EQ(listed.status, 200) << listed.error << listed.body;
  EXPECT_EQ(listed.body.find(kApiKey), std::string::npos) << listed.body;
}

TEST_F(CliTest, ApiKeyIsNotStoredInPlaintextOnDisk) {
  TempDir data("omni-cli-data-");
  {
    GatewayProcess gw(GatewayOptions{.data_dir = data.path(), .env = HermeticEnv()});
    HttpClient client = gw.Client();
    HttpResponse created = client.Post("/api/providers", kCreateBody);
    ASSERT_EQ(created.status, 201) << created.error << created.body;
    EXPECT_EQ(gw.Stop().code, 0);
  }
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(ReadFile(entry.path()).find(kApiKey), std::string::npos)
        << "plaintext key in " << entry.path();
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace omni::testing
