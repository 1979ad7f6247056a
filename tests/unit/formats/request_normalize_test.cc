#include "formats/request_normalize.h"

#include <gtest/gtest.h>

namespace omni::formats {
namespace {

Message Assistant(std::vector<std::string> call_ids) {
  Message m{Role::kAssistant, {}};
  for (auto& id : call_ids) m.parts.push_back(ToolCallPart{id, "tool_" + id, "{}", "", {}});
  return m;
}

ToolResultPart Result(std::string id) {
  return ToolResultPart{id, "", {TextPart{"r" + id}}, false};
}

Message Turn(Role role, std::vector<Part> parts) { return Message{role, std::move(parts)}; }

std::vector<std::string> ResultIds(const Message& m) {
  std::vector<std::string> ids;
  for (const Part& p : m.parts)
    if (auto* r = std::get_if<ToolResultPart>(&p)) ids.push_back(r->tool_call_id);
  return ids;
}

// The shape every decoder usually produces: kept, with the tool names filled in.
TEST(NormalizeRequestTest, ResultTurnRightAfterItsCallsStaysAndGetsNames) {
  Request r;
  r.messages = {Turn(Role::kUser, {TextPart{"go"}}), Assistant({"a", "b"}),
                Turn(Role::kTool, {Result("a"), Result("b")}),
                Turn(Role::kUser, {TextPart{"next"}})};
  NormalizeRequest(r);
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[2].role, Role::kTool);
  EXPECT_EQ(ResultIds(r.messages[2]), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(std::get<ToolResultPart>(r.messages[2].parts[0]).name, "tool_a");
  EXPECT_EQ(std::get<ToolResultPart>(r.messages[2].parts[1]).name, "tool_b");
}

// One tool turn per result (OpenAI's tool messages) and a result inside a later user turn:
// all are gathered into one turn after the calls, in order, and the user text follows.
TEST(NormalizeRequestTest, ResultsSpreadOverTurnsAreGathered) {
  Request r;
  r.messages = {Assistant({"a", "b", "c"}), Turn(Role::kTool, {Result("a")}),
                Turn(Role::kTool, {Result("b")}),
                Turn(Role::kUser, {Result("c"), TextPart{"and then?"}})};
  NormalizeRequest(r);
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[1].role, Role::kTool);
  EXPECT_EQ(ResultIds(r.messages[1]), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(std::get<ToolResultPart>(r.messages[1].parts[2]).name, "tool_c");
  EXPECT_EQ(r.messages[2].role, Role::kUser);
  ASSERT_EQ(r.messages[2].parts.size(), 1u);
  EXPECT_EQ(std::get<TextPart>(r.messages[2].parts[0]).text, "and then?");
}

// Results placed before their call's turn ends (text first) are moved after the calls.
TEST(NormalizeRequestTest, ResultsAfterUserTextMoveBeforeIt) {
  Request r;
  r.messages = {Assistant({"a"}), Turn(Role::kUser, {TextPart{"here"}, Result("a")})};
  NormalizeRequest(r);
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[1].role, Role::kTool);
  EXPECT_EQ(r.messages[2].role, Role::kUser);
}

TEST(NormalizeRequestTest, NoEmptyOrSplitTurns) {
  Request r;
  r.messages = {Turn(Role::kUser, {TextPart{""}}), Turn(Role::kUser, {TextPart{"a"}}),
                Turn(Role::kUser, {TextPart{"b"}})};
  NormalizeRequest(r);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].parts.size(), 2u);
}

}  // namespace
}  // namespace omni::formats
