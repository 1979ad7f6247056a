// Golden translation tests (DuckDB style: tests are data). Each case is a directory
//   tests/unit/formats/golden/<from>_to_<to>/<kind>-<name>/
// holding `input.json` or `input.sse`, `expected.json` or `expected.sse`, and optionally
// `warnings.txt` (the translation's warnings, one per line). <kind> is request, response,
// stream or error. JSON is compared semantically, SSE byte for byte. Ids and timestamps the
// translation generates come from a SequentialIdGenerator and a FakeClock.
// Regenerate with OMNI_UPDATE_GOLDEN=1, then review every changed expected file by eye.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "formats/error_body.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"
#include "wire_json.h"

namespace omni::formats {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string name;  // "anthropic_to_openai_chat/stream-tools"
  fs::path dir;
  Format from, to;
  std::string kind;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, std::string_view text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}

std::vector<GoldenCase> FindCases() {
  std::vector<GoldenCase> cases;
  fs::path root = fs::path(OMNI_SOURCE_DIR) / "tests/unit/formats/golden";
  if (!fs::exists(root)) return cases;
  for (const auto& direction : fs::directory_iterator(root)) {
    std::string d = direction.path().filename().string();
    size_t sep = d.find("_to_");
    if (sep == std::string::npos) continue;
    auto from = ParseFormat(d.substr(0, sep));
    auto to = ParseFormat(d.substr(sep + 4));
    if (!from || !to) continue;
    for (const auto& c : fs::directory_iterator(direction.path())) {
      std::string name = c.path().filename().string();
      cases.push_back({d + "/" + name, c.path(), *from, *to, name.substr(0, name.find('-'))});
    }
  }
  std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return cases;
}

// Stable, readable JSON for expected files (2-space indent, keys in output order).
void Pretty(const boost::json::value& v, std::string& out, int indent) {
  std::string pad(indent + 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + ToJson(boost::json::value(kv.key())) + ": ";
      Pretty(kv.value(), out, indent + 2);
    }
    out += "\n" + std::string(indent, ' ') + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& e : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      Pretty(e, out, indent + 2);
    }
    out += "\n" + std::string(indent, ' ') + "]";
  } else {
    out += ToJson(v);
  }
}

std::string PrettyJson(std::string_view json) {
  auto v = ParseJson(json);
  if (!v.ok()) return std::string(json);
  std::string out;
  Pretty(*v, out, 0);
  return out + "\n";
}

struct Output {
  std::string text;
  bool is_json = true;
  std::vector<std::string> warnings;
};

Output Translate(const GoldenCase& c, const std::string& input, size_t chunk) {
  SequentialIdGenerator ids;
  FakeClock clock;
  CodecOptions options;
  options.ids = &ids;
  options.clock = &clock;
  if (c.kind == "request" && c.from == Format::kGemini) options.model = "gemini-2.5-flash";
  Output out;
  Warnings w;
  if (c.kind == "stream") {
    out.is_json = false;
    StreamTranslator t(c.from, c.to, options);
    for (size_t i = 0; i < input.size(); i += chunk)
      t.Feed(std::string_view(input).substr(i, chunk), out.text);
    t.Finish(out.text);
    w = t.warnings();
  } else if (c.kind == "error") {
    out.text = TranslateErrorBody(c.from, c.to, 429, input);
  } else {
    auto r = c.kind == "request" ? TranslateRequest(c.from, c.to, input, &w, options)
                                 : TranslateResponse(c.from, c.to, input, &w, options);
    out.text = r.ok() ? *r : "ERROR: " + r.error().message;
  }
  out.warnings = w.items;
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

class FormatsGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(FormatsGoldenTest, MatchesExpected) {
  const GoldenCase& c = GetParam();
  bool sse = c.kind == "stream";
  fs::path input_path = c.dir / (sse ? "input.sse" : "input.json");
  fs::path expected_path = c.dir / (sse ? "expected.sse" : "expected.json");
  fs::path warnings_path = c.dir / "warnings.txt";
  ASSERT_TRUE(fs::exists(input_path)) << input_path;
  std::string input = ReadFile(input_path);
  Output out = Translate(c, input, input.size() + 1);

  if (const char* update = std::getenv("OMNI_UPDATE_GOLDEN");
      update && std::string(update) == "1") {
    WriteFile(expected_path, out.is_json ? PrettyJson(out.text) : out.text);
    if (out.warnings.empty())
      fs::remove(warnings_path);
    else
      WriteFile(warnings_path, JoinLines(out.warnings));
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << "missing " << expected_path << " (OMNI_UPDATE_GOLDEN=1)";
  std::string expected = ReadFile(expected_path);
  if (out.is_json) {
    auto got = ParseJson(out.text);
    auto want = ParseJson(expected);
    ASSERT_TRUE(got.ok()) << out.text;
    ASSERT_TRUE(want.ok()) << expected_path;
    EXPECT_EQ(*got, *want) << "got:\n" << PrettyJson(out.text);
  } else {
    EXPECT_EQ(out.text, expected);
    // Chunking must not matter: the same bytes fed 7 at a time.
    EXPECT_EQ(Translate(c, input, 7).text, out.text)
        << "output depends on how the input is chunked";
  }
  std::string want_warnings = fs::exists(warnings_path) ? ReadFile(warnings_path) : "";
  EXPECT_EQ(JoinLines(out.warnings), want_warnings);
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Golden, FormatsGoldenTest, ::testing::ValuesIn(FindCases()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FormatsGoldenTest);

TEST(FormatsGoldenLayout, EveryDirectionHasCases) {
  std::set<std::string> directions;
  for (const GoldenCase& c : FindCases()) directions.insert(c.name.substr(0, c.name.find('/')));
  EXPECT_EQ(directions.size(), 12u);
}

}  // namespace
}  // namespace omni::formats
