#pragma once
// Token usage between the IR (input includes cached, output includes reasoning) and each
// wire format's usage object; shared by the response and stream codecs.
// See fixtures/README.md "Usage mapping". The readers take either a simdjson JObj or a
// Boost.JSON object (instantiated for both).

#include <boost/json/object.hpp>

#include "formats/json_read.h"
#include "formats/json_writer.h"

#include "formats/ir.h"

namespace omni::formats {

template <class Obj>
Usage UsageFromOpenAIChat(const Obj& usage);
boost::json::object UsageToOpenAIChat(const Usage& usage);
void WriteUsageOpenAIChat(JsonWriter& out, const Usage& usage);

// Anthropic input_tokens excludes cache reads and writes.
template <class Obj>
Usage UsageFromAnthropic(const Obj& usage);
boost::json::object UsageToAnthropic(const Usage& usage);
void WriteUsageAnthropic(JsonWriter& out, const Usage& usage);

// Gemini candidatesTokenCount excludes thoughtsTokenCount.
template <class Obj>
Usage UsageFromGemini(const Obj& usage_metadata);
boost::json::object UsageToGemini(const Usage& usage);
void WriteUsageGemini(JsonWriter& out, const Usage& usage);

template <class Obj>
Usage UsageFromResponses(const Obj& usage);
boost::json::object UsageToResponses(const Usage& usage);
void WriteUsageResponses(JsonWriter& out, const Usage& usage);

}  // namespace omni::formats
