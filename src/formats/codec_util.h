#pragma once
// Small pieces several codecs share: data: URLs, the `extra` bag, usage arithmetic and
// the warnings for content a target cannot carry.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "formats/ir.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

// "data:image/png;base64,AAAA" → {media_type "image/png", data "AAAA"}; nullopt otherwise.
std::optional<ImagePart> ParseDataUrl(std::string_view url);
// An ImagePart as a URL string: its url, or a data: URL built from its base64 data.
std::string ImageUrl(const ImagePart& image);
// A media type guessed from a URL's extension (Gemini fileData needs one); "" if unknown.
std::string GuessMediaType(std::string_view url);

// Copies every field of `body` whose key is not in `known` into `extra` (as JSON text).
void CollectExtra(const JObj& body, std::initializer_list<std::string_view> known,
                  JsonFields& extra);
const JsonField* FindExtra(const JsonFields& extra, std::string_view key);
void EraseExtra(JsonFields& extra, std::string_view key);
// Same-format encoders re-emit `extra` (without overwriting what they set); other formats
// drop it and say so, except for the one field named `carried` that the encoder mapped.
void WriteExtra(JsonWriter& out, const JsonFields& extra, std::optional<Format> extra_format,
                Format self, Warnings& warnings, std::string_view carried = {});

// The parameters of a function tool that declared none.
inline constexpr std::string_view kEmptyObjectSchema = R"({"type":"object","properties":{}})";

// Warning text for a part or tool the target cannot carry.
void WarnDropped(Warnings& warnings, std::string_view what, Format target);

// OpenAI Chat and Responses spell tool_choice the same way except for a named tool (nested
// "function" object in Chat, flat "name" in Responses): the shared words, "" for kTool.
std::string_view OpenAIToolChoiceWord(ToolChoice::Mode mode);

// "a content part of type 'input_audio'" (for warnings about dropped opaque parts).
std::string DescribeOpaque(const OpaquePart& part);

// A tool call's arguments as a JSON object (Anthropic input, Gemini args). Invalid or
// non-object JSON becomes {} with a warning.
std::string_view ArgumentsObjectJson(const ToolCallPart& call, Warnings& warnings);

}  // namespace omni::formats
