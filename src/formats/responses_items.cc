#include "formats/responses_items.h"

#include "formats/finish_reason.h"
#include "formats/usage_map.h"

namespace omni::formats {

void WriteResponsesOutputText(JsonWriter& w, std::string_view text) {
  w.BeginObject();
  w.Field("type", "output_text");
  w.Key("annotations");
  w.BeginArray();
  w.EndArray();
  w.Key("logprobs");
  w.BeginArray();
  w.EndArray();
  w.Field("text", text);
  w.EndObject();
}

void WriteResponsesMessageItem(JsonWriter& w, std::string_view id, std::string_view status,
                               std::span<const std::string_view> texts) {
  w.BeginObject();
  w.Field("id", id);
  w.Field("type", "message");
  w.Field("status", status);
  w.Key("content");
  w.BeginArray();
  for (std::string_view text : texts) WriteResponsesOutputText(w, text);
  w.EndArray();
  w.Field("role", "assistant");
  w.EndObject();
}

void WriteResponsesReasoningItem(JsonWriter& w, std::string_view id, std::string_view summary_text,
                                 std::string_view encrypted_content) {
  w.BeginObject();
  w.Field("id", id);
  w.Field("type", "reasoning");
  w.Key("summary");
  w.BeginArray();
  if (!summary_text.empty()) {
    w.BeginObject();
    w.Field("type", "summary_text");
    w.Field("text", summary_text);
    w.EndObject();
  }
  w.EndArray();
  if (!encrypted_content.empty()) w.Field("encrypted_content", encrypted_content);
  w.EndObject();
}

void WriteResponsesFunctionCallItem(JsonWriter& w, std::string_view id, std::string_view status,
                                    std::string_view call_id, std::string_view name,
                                    std::string_view arguments) {
  w.BeginObject();
  w.Field("id", id);
  w.Field("type", "function_call");
  w.Field("status", status);
  w.Field("arguments", arguments);
  w.Field("call_id", call_id);
  w.Field("name", name);
  w.EndObject();
}

void WriteResponsesObject(JsonWriter& w, std::string_view id, int64_t created_at,
                          std::string_view model, std::string_view status, FinishReason finish,
                          std::span<const std::string> output_items, const Usage* usage,
                          std::string_view error_json) {
  ResponsesStatus s = FinishToResponses(finish);
  if (!status.empty()) s.status = status;
  w.BeginObject();
  w.Field("id", id);
  w.Field("object", "response");
  w.IntField("created_at", created_at);
  w.Field("status", s.status);
  w.Key("error");
  w.Raw(error_json);  // "" → null
  w.Key("incomplete_details");
  if (s.status == "incomplete") {
    w.BeginObject();
    w.Field("reason", s.incomplete_reason);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Field("model", model);
  w.Key("output");
  w.BeginArray();
  for (const std::string& item : output_items) w.Raw(item);
  w.EndArray();
  w.Key("usage");
  if (usage)
    WriteUsageResponses(w, *usage);
  else
    w.Null();
  w.EndObject();
}

}  // namespace omni::formats
