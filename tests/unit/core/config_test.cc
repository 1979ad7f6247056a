#include "core/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace omni {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;
using omni::testing::TempDir;

void WriteFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// Runs LoadConfig with `args` after the program name. `home` holds ~/.omniroute/.env; the
// ./.env path is a file in the same TempDir so nothing from the test's cwd leaks in.
class LoadConfigTest : public ::testing::Test {
 protected:
  ConfigOrExit Load(std::vector<std::string> args = {}, const Env& env = {}) {
    std::vector<const char*> argv = {"omniroute"};
    for (const auto& a : args) argv.push_back(a.c_str());
    return LoadConfig(static_cast<int>(argv.size()), argv.data(), env, home_.path(), CwdEnvPath());
  }
  std::string CwdEnvPath() const { return home_.File("cwd.env"); }
  std::string HomeEnvPath() const { return home_.path() + "/.omniroute/.env"; }

  TempDir home_{"omni-config-test-"};
};

// The exit message must be a single line that starts like every other CLI error.
void ExpectOneLineError(const ConfigOrExit& r, const std::string& names) {
  ASSERT_TRUE(r.should_exit);
  EXPECT_EQ(r.exit.exit_code, 2);
  EXPECT_EQ(r.exit.message.rfind("omniroute:", 0), 0u) << r.exit.message;
  EXPECT_EQ(r.exit.message.find('\n'), std::string::npos) << r.exit.message;
  EXPECT_NE(r.exit.message.find(names), std::string::npos) << r.exit.message;
}

// --- defaults ---------------------------------------------------------------------------

TEST_F(LoadConfigTest, DefaultsWithNoFlagsEnvOrDotEnv) {
  auto r = Load();
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.port, 20128);
  EXPECT_EQ(r.config.host, "127.0.0.1");
  EXPECT_EQ(r.config.data_dir, home_.path() + "/.omniroute");
  EXPECT_EQ(r.config.log_level, "info");
  EXPECT_FALSE(r.config.require_api_key);
}

TEST_F(LoadConfigTest, WorkersDefaultToNumberOfCores) {
  auto r = Load();
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  unsigned cores = std::thread::hardware_concurrency();
  EXPECT_EQ(r.config.workers, static_cast<int>(cores == 0 ? 1 : cores));
}

// --- precedence -------------------------------------------------------------------------

TEST_F(LoadConfigTest, HomeDotEnvOverridesDefaults) {
  WriteFile(HomeEnvPath(), "PORT=1111\nLOG_LEVEL=warn\n");
  auto r = Load();
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.port, 1111);
  EXPECT_EQ(r.config.log_level, "warn");
}

TEST_F(LoadConfigTest, CwdDotEnvOverridesHomeDotEnv) {
  WriteFile(HomeEnvPath(), "PORT=1111\nHOSTNAME=10.0.0.1\n");
  WriteFile(CwdEnvPath(), "PORT=2222\n");
  auto r = Load();
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.port, 2222);
  EXPECT_EQ(r.config.host, "10.0.0.1");  // only in the home file: still applies
}

TEST_F(LoadConfigTest, EnvironmentOverridesBothDotEnvFiles) {
  WriteFile(HomeEnvPath(), "PORT=1111\n");
  WriteFile(CwdEnvPath(), "PORT=2222\n");
  auto r = Load({}, {{"PORT", "3333"}});
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.port, 3333);
}

TEST_F(LoadConfigTest, FlagsOverrideEnvironmentAndDotEnv) {
  WriteFile(CwdEnvPath(), "PORT=2222\nLOG_LEVEL=error\n");
  auto r = Load({"--port", "4444", "--host", "0.0.0.0", "--log-level", "debug", "--workers", "3",
                 "--data-dir", "/srv/omni"},
                {{"PORT", "3333"},
                 {"HOSTNAME", "10.0.0.2"},
                 {"LOG_LEVEL", "warn"},
                 {"OMNIROUTE_WORKERS", "7"},
                 {"DATA_DIR", "/var/omni"}});
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.port, 4444);
  EXPECT_EQ(r.config.host, "0.0.0.0");
  EXPECT_EQ(r.config.log_level, "debug");
  EXPECT_EQ(r.config.workers, 3);
  EXPECT_EQ(r.config.data_dir, "/srv/omni");
}

TEST_F(LoadConfigTest, EnvironmentSetsDataDirAndWorkers) {
  auto r = Load({}, {{"DATA_DIR", "/var/omni"}, {"OMNIROUTE_WORKERS", "5"}});
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_EQ(r.config.data_dir, "/var/omni");
  EXPECT_EQ(r.config.workers, 5);
}

TEST_F(LoadConfigTest, BooleanSettingAcceptsTrue) {
  auto r = Load({}, {{"REQUIRE_API_KEY", "true"}});
  ASSERT_FALSE(r.should_exit) << r.exit.message;
  EXPECT_TRUE(r.config.require_api_key);
}

// --- early exits --------------------------------------------------------------------------

TEST_F(LoadConfigTest, HelpExitsZeroWithUsage) {
  auto r = Load({"--help"});
  ASSERT_TRUE(r.should_exit);
  EXPECT_EQ(r.exit.exit_code, 0);
  EXPECT_NE(r.exit.message.find("--port"), std::string::npos) << r.exit.message;
}

TEST_F(LoadConfigTest, VersionExitsZeroWithVersionLine) {
  auto r = Load({"--version"});
  ASSERT_TRUE(r.should_exit);
  EXPECT_EQ(r.exit.exit_code, 0);
  EXPECT_EQ(r.exit.message.rfind("omniroute ", 0), 0u) << r.exit.message;
}

TEST_F(LoadConfigTest, HelpWinsOverInvalidEnvironment) {
  auto r = Load({"--help"}, {{"PORT", "abc"}});
  ASSERT_TRUE(r.should_exit);
  EXPECT_EQ(r.exit.exit_code, 0);
}

TEST_F(LoadConfigTest, NonNumericPortFlagExitsTwo) {
  ExpectOneLineError(Load({"--port", "abc"}), "--port");
}

TEST_F(LoadConfigTest, OutOfRangePortFlagExitsTwo) {
  ExpectOneLineError(Load({"--port", "70000"}), "--port");
}

TEST_F(LoadConfigTest, UnknownFlagExitsTwo) {
  ExpectOneLineError(Load({"--no-such-flag"}), "--no-such-flag");
}

TEST_F(LoadConfigTest, NonNumericPortEnvExitsTwo) {
  ExpectOneLineError(Load({}, {{"PORT", "abc"}}), "PORT");
}

TEST_F(LoadConfigTest, OutOfRangePortEnvExitsTwo) {
  ExpectOneLineError(Load({}, {{"PORT", "70000"}}), "PORT");
}

TEST_F(LoadConfigTest, PortEnvWithTrailingGarbageExitsTwo) {
  ExpectOneLineError(Load({}, {{"PORT", "80x"}}), "PORT");
}

TEST_F(LoadConfigTest, InvalidPortInDotEnvExitsTwo) {
  WriteFile(CwdEnvPath(), "PORT=abc\n");
  ExpectOneLineError(Load(), "PORT");
}

TEST_F(LoadConfigTest, NonBooleanRequireApiKeyExitsTwo) {
  ExpectOneLineError(Load({}, {{"REQUIRE_API_KEY", "maybe"}}), "REQUIRE_API_KEY");
}

TEST_F(LoadConfigTest, BadLogLevelFlagExitsTwo) {
  ExpectOneLineError(Load({"--log-level", "loud"}), "log level");
}

TEST_F(LoadConfigTest, BadLogLevelEnvExitsTwo) {
  ExpectOneLineError(Load({}, {{"LOG_LEVEL", "verbose"}}), "verbose");
}

TEST_F(LoadConfigTest, EmptyHostFlagExitsTwo) { ExpectOneLineError(Load({"--host", ""}), "host"); }

// --- ParseDotEnv --------------------------------------------------------------------------

TEST(ParseDotEnvTest, PlainKeyValuePairs) {
  auto m = ParseDotEnv("A=1\nB=two\n");
  EXPECT_EQ(m, (Env{{"A", "1"}, {"B", "two"}}));
}

TEST(ParseDotEnvTest, SkipsCommentsAndBlankLines) {
  auto m = ParseDotEnv("# a comment\n\n   \n  # indented comment\nA=1\n\n");
  EXPECT_EQ(m, (Env{{"A", "1"}}));
}

TEST(ParseDotEnvTest, StripsExportPrefix) {
  auto m = ParseDotEnv("export PORT=9000\n");
  EXPECT_EQ(m, (Env{{"PORT", "9000"}}));
}

TEST(ParseDotEnvTest, StripsDoubleAndSingleQuotes) {
  auto m = ParseDotEnv("A=\"hello world\"\nB='it is # not a comment'\n");
  EXPECT_EQ(m["A"], "hello world");
  EXPECT_EQ(m["B"], "it is # not a comment");
}

TEST(ParseDotEnvTest, StripsInlineCommentAfterUnquotedValue) {
  auto m = ParseDotEnv("PORT=9000 # the dev port\n");
  EXPECT_EQ(m["PORT"], "9000");
}

TEST(ParseDotEnvTest, StripsInlineCommentAfterQuotedValue) {
  auto m = ParseDotEnv("PORT=\"9000\" # the dev port\nNAME='a b' # who\n");
  EXPECT_EQ(m["PORT"], "9000");
  EXPECT_EQ(m["NAME"], "a b");
}

TEST(ParseDotEnvTest, HashWithoutSpaceIsPartOfValue) {
  auto m = ParseDotEnv("SECRET=abc#def\n");
  EXPECT_EQ(m["SECRET"], "abc#def");
}

TEST(ParseDotEnvTest, TrimsWhitespaceAroundKeyAndValue) {
  auto m = ParseDotEnv("  KEY  =  value  \n");
  EXPECT_EQ(m, (Env{{"KEY", "value"}}));
}

TEST(ParseDotEnvTest, HandlesCrlfLineEndings) {
  auto m = ParseDotEnv("A=1\r\nB=\"x\"\r\n");
  EXPECT_EQ(m, (Env{{"A", "1"}, {"B", "x"}}));
}

TEST(ParseDotEnvTest, ValueMayContainEquals) {
  auto m = ParseDotEnv("URL=http://x/?a=b\n");
  EXPECT_EQ(m["URL"], "http://x/?a=b");
}

TEST(ParseDotEnvTest, EmptyValueIsKept) {
  auto m = ParseDotEnv("EMPTY=\n");
  ASSERT_EQ(m.count("EMPTY"), 1u);
  EXPECT_EQ(m["EMPTY"], "");
}

TEST(ParseDotEnvTest, LinesWithoutEqualsOrKeyAreIgnored) {
  auto m = ParseDotEnv("garbage line\n=novalue\nA=1\n");
  EXPECT_EQ(m, (Env{{"A", "1"}}));
}

TEST(ParseDotEnvTest, LaterKeyWins) {
  auto m = ParseDotEnv("A=1\nA=2\n");
  EXPECT_EQ(m["A"], "2");
}

TEST(ParseDotEnvTest, LastLineWithoutNewlineIsRead) {
  auto m = ParseDotEnv("A=1\nB=2");
  EXPECT_EQ(m["B"], "2");
}

// --- PrepareDataDir -----------------------------------------------------------------------

TEST(PrepareDataDirTest, CreatesNestedDirectoriesPrivateToUser) {
  TempDir tmp("omni-datadir-test-");
  std::string dir = tmp.path() + "/a/b/c";
  ASSERT_TRUE(PrepareDataDir(dir).ok());
  for (const std::string& p : {tmp.path() + "/a", tmp.path() + "/a/b", dir}) {
    struct stat st {};
    ASSERT_EQ(stat(p.c_str(), &st), 0) << p;
    EXPECT_TRUE(S_ISDIR(st.st_mode)) << p;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << p;
  }
}

TEST(PrepareDataDirTest, ExistingDirectoryIsAccepted) {
  TempDir tmp("omni-datadir-test-");
  EXPECT_TRUE(PrepareDataDir(tmp.path()).ok());
  EXPECT_TRUE(PrepareDataDir(tmp.path()).ok());  // idempotent
}

TEST(PrepareDataDirTest, TrailingSlashIsAccepted) {
  TempDir tmp("omni-datadir-test-");
  EXPECT_TRUE(PrepareDataDir(tmp.path() + "/new/").ok());
  EXPECT_TRUE(fs::is_directory(tmp.path() + "/new"));
}

TEST(PrepareDataDirTest, PathBelowRegularFileFailsNamingTheDirectory) {
  TempDir tmp("omni-datadir-test-");
  WriteFile(tmp.File("plain"), "x");
  std::string dir = tmp.File("plain") + "/data";
  auto st = PrepareDataDir(dir);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(dir), std::string::npos) << st.error().message;
}

TEST(PrepareDataDirTest, RegularFileAsDataDirFails) {
  TempDir tmp("omni-datadir-test-");
  WriteFile(tmp.File("plain"), "x");
  EXPECT_FALSE(PrepareDataDir(tmp.File("plain")).ok());
}

TEST(PrepareDataDirTest, UnwritableDirectoryFails) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores permission bits";
  TempDir tmp("omni-datadir-test-");
  std::string dir = tmp.File("locked");
  ASSERT_EQ(mkdir(dir.c_str(), 0500), 0);
  ASSERT_EQ(chmod(dir.c_str(), 0500), 0);  // in case the umask widened nothing
  auto st = PrepareDataDir(dir);
  chmod(dir.c_str(), 0700);  // so TempDir can remove it
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("not writable"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace omni
