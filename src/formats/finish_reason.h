#pragma once
// Finish / stop reason mapping between the IR and each wire format (one table, used by the
// response and stream codecs alike). See fixtures/README.md "Finish / stop reason mapping".

#include <string_view>

#include "formats/ir.h"

namespace omni::formats {

std::string_view FinishToOpenAIChat(FinishReason reason);
FinishReason FinishFromOpenAIChat(std::string_view reason);

std::string_view FinishToAnthropic(FinishReason reason);
FinishReason FinishFromAnthropic(std::string_view reason);

std::string_view FinishToGemini(FinishReason reason);
// Gemini has no tool-call reason: STOP with functionCall parts means kToolCalls.
FinishReason FinishFromGemini(std::string_view reason, bool saw_function_call);

// Responses encodes the reason as status + incomplete_details.reason.
struct ResponsesStatus {
  std::string_view status;             // "completed" | "incomplete" | "failed"
  std::string_view incomplete_reason;  // "max_output_tokens" | "content_filter" | ""
};
ResponsesStatus FinishToResponses(FinishReason reason);
FinishReason FinishFromResponses(std::string_view status, std::string_view incomplete_reason,
                                 bool has_function_calls);

}  // namespace omni::formats
