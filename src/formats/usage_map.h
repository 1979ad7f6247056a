#pragma once
// Token usage between the IR (input includes cached, output includes reasoning) and each
// wire format's usage object; shared by the response and stream codecs.
// See fixtures/README.md "Usage mapping".

#include "formats/ir.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

Usage UsageFromOpenAIChat(const JObj& usage);
void WriteUsageOpenAIChat(JsonWriter& out, const Usage& usage);

// Anthropic input_tokens excludes cache reads and writes.
Usage UsageFromAnthropic(const JObj& usage);
void WriteUsageAnthropic(JsonWriter& out, const Usage& usage);

// Gemini candidatesTokenCount excludes thoughtsTokenCount.
Usage UsageFromGemini(const JObj& usage_metadata);
void WriteUsageGemini(JsonWriter& out, const Usage& usage);

Usage UsageFromResponses(const JObj& usage);
void WriteUsageResponses(JsonWriter& out, const Usage& usage);

}  // namespace omni::formats
