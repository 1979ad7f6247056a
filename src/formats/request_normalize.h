#pragma once
// Puts a decoded Request into the IR's canonical shape, whatever the source wire allowed:
//   - every tool result sits in a Role::kTool message directly after the assistant message
//     that carries its call, in the order the results were given; text that shared a turn
//     with the results follows them;
//   - tool results know their tool's name (Gemini functionResponse needs it);
//   - no message is empty.
// Shared by all request decoders; also small text helpers the encoders share.

#include <string>
#include <vector>

#include "formats/ir.h"

namespace omni::formats {

void NormalizeRequest(Request& request);

// The texts joined by "\n\n" (system prompts, multi-part text where a format takes a string).
std::string JoinText(const std::vector<TextPart>& parts);
// The text of a tool result (its text parts joined by "\n").
std::string ToolResultText(const ToolResultPart& result);

}  // namespace omni::formats
