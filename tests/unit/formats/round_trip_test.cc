// Round trips through the IR keep meaning:
//   - A → IR → A gives back the request (JSON-equal for the request inputs of the golden
//     suite, which start from the shared fixtures);
//   - decode(encode(decode(x))) == decode(x) for requests, responses and streams;
//   - A → B → A keeps the conversation (roles, text, tool calls and results, tools) for
//     every pair of formats.
// Plus stream invariants every Anthropic client relies on, checked on all golden outputs.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "formats/stream_codec.h"
#include "formats/translate.h"
#include "wire_json.h"

namespace omni::formats {
namespace {

namespace fs = std::filesystem;
constexpr Format kFormats[] = {Format::kOpenAIChat, Format::kAnthropic, Format::kGemini,
                               Format::kResponses};

const std::set<std::string> kFixtureCases = {"request-basic", "request-tools", "request-image",
                                             "request-thinking"};

fs::path GoldenRoot() { return fs::path(OMNI_SOURCE_DIR) / "tests/unit/formats/golden"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The inputs of one source format and kind ("request", "response", "stream"), by case name.
std::map<std::string, std::string> Inputs(Format from, std::string_view kind) {
  std::map<std::string, std::string> out;
  for (const auto& dir : fs::directory_iterator(GoldenRoot())) {
    std::string d = dir.path().filename().string();
    if (d.rfind(std::string(FormatName(from)) + "_to_", 0) != 0) continue;
    for (const auto& c : fs::directory_iterator(dir.path())) {
      std::string name = c.path().filename().string();
      if (name.rfind(std::string(kind) + "-", 0) != 0) continue;
      fs::path input = c.path() / (kind == "stream" ? "input.sse" : "input.json");
      if (fs::exists(input)) out[name] = ReadFile(input);
    }
  }
  return out;
}

bj::value Json(std::string_view text) {
  auto v = ParseJson(text);
  return v.ok() ? v.value() : bj::value(std::string(text));
}

CodecOptions Options(SequentialIdGenerator& ids, Format from) {
  CodecOptions o;
  o.ids = &ids;
  if (from == Format::kGemini) o.model = "gemini-2.5-flash";
  return o;
}

TEST(FormatsRoundTrip, SameFormatRequestIsUnchanged) {
  for (Format f : kFormats) {
    for (const auto& [name, input] : Inputs(f, "request")) {
      SCOPED_TRACE(std::string(FormatName(f)) + "/" + name);
      SequentialIdGenerator ids;
      Warnings w;
      auto out = TranslateRequest(f, f, input, &w, CodecOptions{&ids, nullptr, "", true});
      ASSERT_TRUE(out.ok()) << out.error().message;
      // Only the fixture conversations: the synthetic cases use equivalent spellings the
      // encoders normalize (content blocks vs strings, OBJECT vs object).
      if (!kFixtureCases.count(name)) continue;
      EXPECT_EQ(Json(*out), Json(input)) << *out;
    }
  }
}

TEST(FormatsRoundTrip, RequestIrIsStable) {
  for (Format f : kFormats) {
    for (const auto& [name, input] : Inputs(f, "request")) {
      SCOPED_TRACE(std::string(FormatName(f)) + "/" + name);
      auto first = DecodeRequest(f, input, nullptr);
      ASSERT_TRUE(first.ok());
      SequentialIdGenerator ids;
      auto encoded = EncodeRequest(f, *first, nullptr, Options(ids, f));
      ASSERT_TRUE(encoded.ok());
      auto second = DecodeRequest(f, *encoded, nullptr);
      ASSERT_TRUE(second.ok());
      if (f == Format::kGemini) second->model = first->model;
      EXPECT_TRUE(*first == *second) << *encoded;
    }
  }
}

TEST(FormatsRoundTrip, ResponseIrIsStable) {
  for (Format f : kFormats) {
    for (const auto& [name, input] : Inputs(f, "response")) {
      SCOPED_TRACE(std::string(FormatName(f)) + "/" + name);
      SequentialIdGenerator ids1, ids2, ids3;
      auto first = DecodeResponse(f, input, nullptr, CodecOptions{&ids1, nullptr, "", true});
      ASSERT_TRUE(first.ok());
      auto encoded = EncodeResponse(f, *first, nullptr, CodecOptions{&ids2, nullptr, "", true});
      ASSERT_TRUE(encoded.ok());
      auto second = DecodeResponse(f, *encoded, nullptr, CodecOptions{&ids3, nullptr, "", true});
      ASSERT_TRUE(second.ok());
      // Extras (echoed request fields) are outside the IR's meaning.
      first->extra.clear();
      second->extra.clear();
      if (f == Format::kResponses || f == Format::kGemini) second->created = first->created;
      EXPECT_TRUE(*first == *second) << *encoded;
    }
  }
}

StreamEvents DecodeStream(Format f, std::string_view bytes) {
  SequentialIdGenerator ids;
  CodecOptions o{&ids, nullptr, "", true};
  auto d = MakeStreamDecoder(f, o);
  StreamEvents events;
  d->Feed(bytes, events);
  d->Finish(events);
  return events;
}

TEST(FormatsRoundTrip, StreamEventsAreStable) {
  for (Format f : kFormats) {
    for (const auto& [name, input] : Inputs(f, "stream")) {
      SCOPED_TRACE(std::string(FormatName(f)) + "/" + name);
      StreamEvents first = DecodeStream(f, input);
      SequentialIdGenerator ids;
      FakeClock clock;
      CodecOptions o{&ids, &clock, "", true};
      auto encoder = MakeStreamEncoder(f, o);
      std::string bytes;
      for (const StreamEvent& e : first) encoder->Encode(e, bytes);
      StreamEvents second = DecodeStream(f, bytes);
      ASSERT_EQ(first.size(), second.size()) << bytes;
      for (size_t i = 0; i < first.size(); ++i) {
        if (auto* s = std::get_if<MessageStartEvent>(&second[i]))
          s->created = std::get<MessageStartEvent>(first[i]).created;
        // Stream error events carry a message; the HTTP status and type are not on the wire.
        if (auto* e = std::get_if<ErrorEvent>(&second[i]);
            e && std::holds_alternative<ErrorEvent>(first[i]))
          e->error = std::get<ErrorEvent>(first[i]).error;
        EXPECT_TRUE(first[i] == second[i]) << "event " << i << "\n" << bytes;
      }
    }
  }
}

// What a conversation means, independent of wire details and generated ids.
std::string Meaning(const Request& r) {
  std::string m = "system:";
  for (const auto& t : r.system) m += t.text + "|";
  std::map<std::string, int> ids;  // call id → ordinal, so synthesized ids compare equal
  auto id = [&](const std::string& s) {
    auto [it, fresh] = ids.emplace(s, static_cast<int>(ids.size()));
    return std::to_string(it->second);
  };
  for (const Message& msg : r.messages) {
    m += "\n" + std::to_string(static_cast<int>(msg.role)) + ":";
    for (const Part& p : msg.parts) {
      if (auto* t = std::get_if<TextPart>(&p)) m += "text(" + t->text + ")";
      if (auto* i = std::get_if<ImagePart>(&p))
        m += "image(" + i->url + i->data.substr(0, 16) + ")";
      if (auto* c = std::get_if<ToolCallPart>(&p))
        m += "call(" + id(c->id) + "," + c->name + "," + ToJson(Json(c->arguments_json)) + ")";
      if (auto* t = std::get_if<ToolResultPart>(&p)) {
        m += "result(" + id(t->tool_call_id) + ",";
        for (const auto& c : t->content)
          if (auto* tt = std::get_if<TextPart>(&c)) m += tt->text;
        m += ")";
      }
    }
  }
  m += "\ntools:";
  for (const Tool& t : r.tools)
    if (t.kind == ToolKind::kFunction) m += t.name + "/" + t.description + "|";
  return m;
}

TEST(FormatsRoundTrip, CrossFormatRequestKeepsConversation) {
  for (Format a : kFormats) {
    for (Format b : kFormats) {
      if (a == b) continue;
      for (const auto& [name, input] : Inputs(a, "request")) {
        // Results flagged is_error carry an "Error: " prefix where no flag exists.
        if (name == "request-parallel-tools") continue;
        // Chat tool messages and Gemini functionResponses carry no images: they move to the
        // user turn (and Chat sends a result without its call as user text).
        if ((name == "request-tool-result-images" || name == "request-orphan-result-image") &&
            (b == Format::kOpenAIChat || b == Format::kGemini))
          continue;
        SCOPED_TRACE(std::string(FormatName(a)) + "->" + std::string(FormatName(b)) + "/" + name);
        SequentialIdGenerator ids;
        auto there = TranslateRequest(a, b, input, nullptr, Options(ids, a));
        ASSERT_TRUE(there.ok());
        auto back = TranslateRequest(b, a, *there, nullptr, Options(ids, b));
        ASSERT_TRUE(back.ok());
        auto original = DecodeRequest(a, input, nullptr);
        auto returned = DecodeRequest(a, *back, nullptr);
        ASSERT_TRUE(original.ok() && returned.ok());
        EXPECT_EQ(Meaning(*original), Meaning(*returned)) << *there;
      }
    }
  }
}

// Anthropic clients (Claude Code and the SDK) need: one content_block_start per block with
// a tool's id and name, every delta inside the open block, blocks closed before the next.
TEST(FormatsStreamInvariants, AnthropicOutputsOpenOneBlockPerToolCall) {
  int checked = 0;
  for (const auto& dir : fs::directory_iterator(GoldenRoot())) {
    std::string d = dir.path().filename().string();
    if (d.size() < 13 || d.substr(d.size() - 13) != "_to_anthropic") continue;
    for (const auto& c : fs::directory_iterator(dir.path())) {
      fs::path expected = c.path() / "expected.sse";
      if (!fs::exists(expected)) continue;
      SCOPED_TRACE(expected.string());
      ++checked;
      int open = -1, last = -1;
      SseParser parser;
      parser.Feed(ReadFile(expected), [&](std::string_view event, std::string_view data) {
        auto ev = ParseJsonObject(data);
        ASSERT_TRUE(ev.ok());
        EXPECT_EQ(event, StringField(*ev, "type"));
        int64_t index = IntField(*ev, "index").value_or(-1);
        if (event == "content_block_start") {
          EXPECT_EQ(open, -1) << "a block opened while another is open";
          EXPECT_EQ(index, last + 1) << "block indexes must be consecutive";
          open = last = static_cast<int>(index);
          const bj::object* block = ObjectField(*ev, "content_block");
          ASSERT_NE(block, nullptr);
          if (StringField(*block, "type") == "tool_use") {
            EXPECT_FALSE(StringField(*block, "id").empty());
            EXPECT_FALSE(StringField(*block, "name").empty());
          }
        } else if (event == "content_block_delta") {
          EXPECT_EQ(index, open) << "delta outside its block";
        } else if (event == "content_block_stop") {
          EXPECT_EQ(index, open);
          open = -1;
        } else if (event == "message_delta" || event == "message_stop") {
          EXPECT_EQ(open, -1);
        }
      });
    }
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
}  // namespace omni::formats
