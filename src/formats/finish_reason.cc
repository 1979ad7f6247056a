#include "formats/finish_reason.h"

namespace omni::formats {

std::string_view FinishToOpenAIChat(FinishReason reason) {
  switch (reason) {
    case FinishReason::kLength:
      return "length";
    case FinishReason::kToolCalls:
      return "tool_calls";
    case FinishReason::kContentFilter:
      return "content_filter";
    default:
      return "stop";
  }
}

FinishReason FinishFromOpenAIChat(std::string_view r) {
  if (r == "stop") return FinishReason::kStop;
  if (r == "length") return FinishReason::kLength;
  if (r == "tool_calls" || r == "function_call") return FinishReason::kToolCalls;
  if (r == "content_filter") return FinishReason::kContentFilter;
  if (r.empty()) return FinishReason::kUnknown;
  return FinishReason::kStop;
}

std::string_view FinishToAnthropic(FinishReason reason) {
  switch (reason) {
    case FinishReason::kLength:
      return "max_tokens";
    case FinishReason::kStopSequence:
      return "stop_sequence";
    case FinishReason::kToolCalls:
      return "tool_use";
    case FinishReason::kContentFilter:
      return "refusal";
    case FinishReason::kPauseTurn:
      return "pause_turn";
    default:
      return "end_turn";
  }
}

FinishReason FinishFromAnthropic(std::string_view r) {
  if (r == "end_turn") return FinishReason::kStop;
  if (r == "max_tokens" || r == "model_context_window_exceeded") return FinishReason::kLength;
  if (r == "stop_sequence") return FinishReason::kStopSequence;
  if (r == "tool_use") return FinishReason::kToolCalls;
  if (r == "refusal") return FinishReason::kContentFilter;
  if (r == "pause_turn") return FinishReason::kPauseTurn;
  if (r.empty()) return FinishReason::kUnknown;
  return FinishReason::kStop;
}

std::string_view FinishToGemini(FinishReason reason) {
  switch (reason) {
    case FinishReason::kLength:
      return "MAX_TOKENS";
    case FinishReason::kContentFilter:
      return "SAFETY";
    case FinishReason::kError:
      return "OTHER";
    default:
      return "STOP";
  }
}

FinishReason FinishFromGemini(std::string_view r, bool saw_function_call) {
  if (r.empty()) return FinishReason::kUnknown;
  if (r == "STOP") return saw_function_call ? FinishReason::kToolCalls : FinishReason::kStop;
  if (r == "MAX_TOKENS") return FinishReason::kLength;
  if (r == "SAFETY" || r == "PROHIBITED_CONTENT" || r == "BLOCKLIST" || r == "SPII" ||
      r == "RECITATION" || r == "IMAGE_SAFETY")
    return FinishReason::kContentFilter;
  if (r == "MALFORMED_FUNCTION_CALL" || r == "UNEXPECTED_TOOL_CALL") return FinishReason::kError;
  return saw_function_call ? FinishReason::kToolCalls : FinishReason::kStop;
}

ResponsesStatus FinishToResponses(FinishReason reason) {
  switch (reason) {
    case FinishReason::kLength:
      return {"incomplete", "max_output_tokens"};
    case FinishReason::kContentFilter:
      return {"incomplete", "content_filter"};
    case FinishReason::kError:
      return {"failed", ""};
    default:
      return {"completed", ""};
  }
}

FinishReason FinishFromResponses(std::string_view status, std::string_view incomplete_reason,
                                 bool has_function_calls) {
  if (status == "incomplete") {
    return incomplete_reason == "content_filter" ? FinishReason::kContentFilter
                                                 : FinishReason::kLength;
  }
  if (status == "failed" || status == "cancelled") return FinishReason::kError;
  return has_function_calls ? FinishReason::kToolCalls : FinishReason::kStop;
}

}  // namespace omni::formats
