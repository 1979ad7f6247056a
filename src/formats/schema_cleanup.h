#pragma once
// JSON-Schema adaptation for tool parameters. Gemini's `parameters` accepts an OpenAPI 3.0
// subset and rejects much of what clients send (Claude Code, MCP servers, pydantic):
// $ref/$defs, additionalProperties, const, type arrays, oneOf/allOf, unsupported `format`s,
// non-string enums, empty `properties` on objects. CleanSchemaForGemini rewrites a schema
// into that subset keeping its meaning as far as the subset can express it.
// NormalizeSchemaFromGemini goes the other way (upper-case OpenAPI types → JSON Schema).
//
// Both read the schema from a parsed document and write the result straight into the
// encoder's JsonWriter: tool schemas are on every translated request.

#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

// Writes `schema` cleaned for Gemini (always an object; a non-object schema becomes {}).
void CleanSchemaForGemini(JsonWriter& out, const JVal& schema);
// Writes a Gemini `parameters` schema as JSON Schema.
void NormalizeSchemaFromGemini(JsonWriter& out, const JVal& schema);

// True for a schema that declares no parameters at all (null, {}, or an object without
// properties): Gemini function declarations then omit `parameters`.
bool IsEmptyObjectSchema(const JVal& schema);

// The Gemini `parameters` text for a tool schema given as JSON text: cleaned, or "" when the
// schema declares no parameters (or is not JSON). Remembered per thread (schema_cache.cc):
// agents send the same tools with every request, and cleaning a schema costs more than the
// rest of its share of the translation. The view is valid until the next call on this thread.
std::string_view GeminiParametersFor(std::string_view schema_json);

}  // namespace omni::formats
