#pragma once
// JSON shapes of the Responses API's output items and response object, shared by the
// non-stream encoder and the stream encoder (whose response.completed repeats the output).
// Each writes one JSON value into a JsonWriter.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "formats/ir.h"
#include "formats/json_writer.h"

namespace omni::formats {

void WriteResponsesOutputText(JsonWriter& w, std::string_view text);
// A message item with one output_text part per entry of `texts`.
void WriteResponsesMessageItem(JsonWriter& w, std::string_view id, std::string_view status,
                               std::span<const std::string_view> texts);
void WriteResponsesReasoningItem(JsonWriter& w, std::string_view id, std::string_view summary_text,
                                 std::string_view encrypted_content);
void WriteResponsesFunctionCallItem(JsonWriter& w, std::string_view id, std::string_view status,
                                    std::string_view call_id, std::string_view name,
                                    std::string_view arguments);

// The response object around `output_items` (each an output item as JSON text); `usage` null
// while in progress. `status` overrides the status that `finish` implies (for the
// in_progress and failed snapshots); `error_json` is the error object's text ("" → null).
void WriteResponsesObject(JsonWriter& w, std::string_view id, int64_t created_at,
                          std::string_view model, std::string_view status, FinishReason finish,
                          std::span<const std::string> output_items, const Usage* usage,
                          std::string_view error_json = {});

}  // namespace omni::formats
