#include "formats/responses_items.h"

#include "formats/finish_reason.h"
#include "formats/usage_map.h"
#include "formats/wire_json.h"

namespace omni::formats {

bj::object ResponsesOutputText(std::string_view text) {
  return {{"type", "output_text"},
          {"annotations", bj::array{}},
          {"logprobs", bj::array{}},
          {"text", text}};
}

bj::object ResponsesMessageItem(std::string_view id, std::string_view status, bj::array content) {
  return {{"id", id},
          {"type", "message"},
          {"status", status},
          {"content", std::move(content)},
          {"role", "assistant"}};
}

bj::object ResponsesReasoningItem(std::string_view id, std::string_view summary_text,
                                  std::string_view encrypted_content) {
  bj::array summary;
  if (!summary_text.empty())
    summary.push_back(bj::object{{"type", "summary_text"}, {"text", summary_text}});
  bj::object item{{"id", id}, {"type", "reasoning"}, {"summary", std::move(summary)}};
  if (!encrypted_content.empty()) item["encrypted_content"] = encrypted_content;
  return item;
}

bj::object ResponsesFunctionCallItem(std::string_view id, std::string_view status,
                                     std::string_view call_id, std::string_view name,
                                     std::string_view arguments) {
  return {{"id", id},           {"type", "function_call"},
          {"status", status},   {"arguments", arguments},
          {"call_id", call_id}, {"name", name}};
}

bj::object ResponsesObject(std::string_view id, int64_t created_at, std::string_view model,
                           std::string_view status, FinishReason finish, bj::array output,
                           const Usage* usage) {
  ResponsesStatus s = FinishToResponses(finish);
  if (!status.empty()) s.status = status;
  bj::object o{{"id", id},
               {"object", "response"},
               {"created_at", created_at},
               {"status", s.status},
               {"error", nullptr}};
  if (s.status == "incomplete")
    o["incomplete_details"] = bj::object{{"reason", s.incomplete_reason}};
  else
    o["incomplete_details"] = nullptr;
  o["model"] = model;
  o["output"] = std::move(output);
  o["usage"] = usage ? bj::value(UsageToResponses(*usage)) : bj::value(nullptr);
  return o;
}

}  // namespace omni::formats
