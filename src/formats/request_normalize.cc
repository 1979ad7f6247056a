#include "formats/request_normalize.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace omni::formats {
namespace {

bool IsToolResult(const Part& p) { return std::holds_alternative<ToolResultPart>(p); }

// The name of the call `id` among the calls of `m`, or null.
const std::string* CallName(const Message& m, std::string_view id) {
  for (const Part& p : m.parts)
    if (auto* call = std::get_if<ToolCallPart>(&p); call && call->id == id) return &call->name;
  return nullptr;
}

bool IsMatchingResult(const Part& p, const std::vector<std::string_view>& ids) {
  auto* r = std::get_if<ToolResultPart>(&p);
  return r && std::find(ids.begin(), ids.end(), r->tool_call_id) != ids.end();
}

// Whether msgs[i + 1] is a tool turn holding only results of `ids` (the calls of msgs[i]) and
// the turns after it, up to the next assistant turn, hold none.
bool IsResultTurnFor(const std::vector<Message>& msgs, size_t i,
                     const std::vector<std::string_view>& ids) {
  if (i + 1 >= msgs.size() || msgs[i + 1].role != Role::kTool || msgs[i + 1].parts.empty())
    return false;
  for (const Part& p : msgs[i + 1].parts)
    if (!IsMatchingResult(p, ids)) return false;
  for (size_t j = i + 2; j < msgs.size() && msgs[j].role != Role::kAssistant; ++j)
    for (const Part& p : msgs[j].parts)
      if (IsMatchingResult(p, ids)) return false;
  return true;
}

}  // namespace

// Runs on every decoded request, so it works in place: no maps, no copies of ids or names,
// no second message list.
void NormalizeRequest(Request& request) {
  auto& msgs = request.messages;
  // Rebuilt into a new list (moves only), so placing result turns costs no mid-vector inserts.
  std::vector<Message> placed;
  placed.reserve(msgs.size() + 4);
  std::vector<std::string_view> ids;  // the calls of the assistant turn at hand (views)
  for (size_t i = 0; i < msgs.size(); ++i) {
    if (msgs[i].role != Role::kAssistant) {
      placed.push_back(std::move(msgs[i]));
      continue;
    }
    ids.clear();
    for (const Part& p : msgs[i].parts)
      if (auto* call = std::get_if<ToolCallPart>(&p)) ids.push_back(call->id);
    // The usual shape already: the next turn holds only results of these calls and no later
    // turn (up to the next assistant turn) holds more. Kept as it is, with names filled in.
    if (!ids.empty() && IsResultTurnFor(msgs, i, ids)) {
      for (Part& p : msgs[i + 1].parts) {
        auto& r = std::get<ToolResultPart>(p);
        if (r.name.empty()) r.name = *CallName(msgs[i], r.tool_call_id);
      }
      ids.clear();
      placed.push_back(std::move(msgs[i]));
      placed.push_back(std::move(msgs[i + 1]));
      ++i;
      continue;
    }
    // Pull the matching results out of the following turns, up to the next assistant turn.
    Message results{Role::kTool, {}};
    for (size_t j = i + 1; !ids.empty() && j < msgs.size() && msgs[j].role != Role::kAssistant;
         ++j) {
      auto& parts = msgs[j].parts;
      auto keep = parts.begin();
      for (auto it = parts.begin(); it != parts.end(); ++it) {
        if (IsMatchingResult(*it, ids)) {
          auto* r = std::get_if<ToolResultPart>(&*it);
          if (r->name.empty()) r->name = *CallName(msgs[i], r->tool_call_id);
          results.parts.push_back(std::move(*it));
        } else {
          if (keep != it) *keep = std::move(*it);
          ++keep;
        }
      }
      parts.erase(keep, parts.end());
    }
    // Views into msgs[i] are done with before it moves.
    ids.clear();
    placed.push_back(std::move(msgs[i]));
    if (!results.parts.empty()) placed.push_back(std::move(results));
  }
  msgs.swap(placed);
  for (Message& m : msgs) {
    // Empty text carries nothing and providers reject it.
    std::erase_if(m.parts, [](const Part& p) {
      auto* t = std::get_if<TextPart>(&p);
      return t && t->text.empty();
    });
    if (!std::any_of(m.parts.begin(), m.parts.end(), IsToolResult)) continue;
    // A user turn that still holds (orphan) tool results: results first.
    if (m.role == Role::kUser) std::stable_partition(m.parts.begin(), m.parts.end(), IsToolResult);
    // Results not matched above are named after their call wherever it is.
    for (Part& p : m.parts) {
      auto* r = std::get_if<ToolResultPart>(&p);
      if (!r || !r->name.empty()) continue;
      for (const Message& other : msgs) {
        if (other.role != Role::kAssistant) continue;
        if (const std::string* name = CallName(other, r->tool_call_id)) {
          r->name = *name;
          break;
        }
      }
    }
  }
  // No empty or split turns.
  size_t out = 0;
  for (size_t k = 0; k < msgs.size(); ++k) {
    Message& m = msgs[k];
    if (m.parts.empty()) continue;
    if (out > 0 && msgs[out - 1].role == m.role && m.role != Role::kTool) {
      auto& into = msgs[out - 1].parts;
      into.insert(into.end(), std::make_move_iterator(m.parts.begin()),
                  std::make_move_iterator(m.parts.end()));
    } else {
      if (out != k) msgs[out] = std::move(m);
      ++out;
    }
  }
  msgs.erase(msgs.begin() + static_cast<std::ptrdiff_t>(out), msgs.end());
}

std::string JoinText(const std::vector<TextPart>& parts) {
  std::string out;
  for (const TextPart& p : parts) {
    if (p.text.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += p.text;
  }
  return out;
}

std::string ToolResultText(const ToolResultPart& result) {
  std::string out;
  bool first = true;
  for (const ToolResultContent& c : result.content) {
    if (auto* t = std::get_if<TextPart>(&c)) {
      if (!first) out += "\n";
      out += t->text;
      first = false;
    }
  }
  return out;
}

}  // namespace omni::formats
