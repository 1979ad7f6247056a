#include "formats/request_normalize.h"

#include <algorithm>
#include <map>
#include <set>

namespace omni::formats {
namespace {

bool IsToolResult(const Part& p) { return std::holds_alternative<ToolResultPart>(p); }

}  // namespace

void NormalizeRequest(Request& request) {
  auto& msgs = request.messages;
  std::map<std::string, std::string> names;  // call id → tool name
  for (size_t i = 0; i < msgs.size(); ++i) {
    if (msgs[i].role != Role::kAssistant) continue;
    std::set<std::string> ids;
    for (const Part& p : msgs[i].parts) {
      if (auto* call = std::get_if<ToolCallPart>(&p)) {
        ids.insert(call->id);
        names[call->id] = call->name;
      }
    }
    if (ids.empty()) continue;
    // Pull the matching results out of the following turns, up to the next assistant turn.
    Message results{Role::kTool, {}};
    size_t j = i + 1;
    for (; j < msgs.size() && msgs[j].role != Role::kAssistant; ++j) {
      auto& parts = msgs[j].parts;
      for (auto it = parts.begin(); it != parts.end();) {
        auto* r = std::get_if<ToolResultPart>(&*it);
        if (r && ids.count(r->tool_call_id)) {
          results.parts.push_back(std::move(*it));
          it = parts.erase(it);
        } else {
          ++it;
        }
      }
    }
    if (!results.parts.empty()) msgs.insert(msgs.begin() + i + 1, std::move(results));
  }
  // A user turn that still mixes (orphan) tool results with other content: results first.
  for (Message& m : msgs) {
    if (m.role == Role::kUser && std::any_of(m.parts.begin(), m.parts.end(), IsToolResult))
      std::stable_partition(m.parts.begin(), m.parts.end(), IsToolResult);
  }
  for (Message& m : msgs) {
    for (Part& p : m.parts) {
      auto* r = std::get_if<ToolResultPart>(&p);
      if (r && r->name.empty()) {
        auto it = names.find(r->tool_call_id);
        if (it != names.end()) r->name = it->second;
      }
    }
  }
  // Empty text carries nothing and providers reject it; then no empty or split turns.
  for (Message& m : msgs) {
    m.parts.erase(std::remove_if(m.parts.begin(), m.parts.end(),
                                 [](const Part& p) {
                                   auto* t = std::get_if<TextPart>(&p);
                                   return t && t->text.empty();
                                 }),
                  m.parts.end());
  }
  std::vector<Message> merged;
  for (Message& m : msgs) {
    if (m.parts.empty()) continue;
    if (!merged.empty() && merged.back().role == m.role && m.role != Role::kTool) {
      for (Part& p : m.parts) merged.back().parts.push_back(std::move(p));
    } else {
      merged.push_back(std::move(m));
    }
  }
  msgs = std::move(merged);
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
