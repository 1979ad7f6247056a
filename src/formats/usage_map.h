#pragma once
// Token usage between the IR (input includes cached, output includes reasoning) and each
// wire format's usage object; shared by the response and stream codecs.
// See fixtures/README.md "Usage mapping".

#include <boost/json/object.hpp>

#include "formats/ir.h"

namespace omni::formats {

Usage UsageFromOpenAIChat(const boost::json::object& usage);
boost::json::object UsageToOpenAIChat(const Usage& usage);

// Anthropic input_tokens excludes cache reads and writes.
Usage UsageFromAnthropic(const boost::json::object& usage);
boost::json::object UsageToAnthropic(const Usage& usage);

// Gemini candidatesTokenCount excludes thoughtsTokenCount.
Usage UsageFromGemini(const boost::json::object& usage_metadata);
boost::json::object UsageToGemini(const Usage& usage);

Usage UsageFromResponses(const boost::json::object& usage);
boost::json::object UsageToResponses(const Usage& usage);

}  // namespace omni::formats
