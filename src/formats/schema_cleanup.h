#pragma once
// JSON-Schema adaptation for tool parameters. Gemini's `parameters` accepts an OpenAPI 3.0
// subset and rejects much of what clients send (Claude Code, MCP servers, pydantic):
// $ref/$defs, additionalProperties, const, type arrays, oneOf/allOf, unsupported `format`s,
// non-string enums, empty `properties` on objects. CleanSchemaForGemini rewrites a schema
// into that subset keeping its meaning as far as the subset can express it.
// NormalizeSchemaFromGemini goes the other way (upper-case OpenAPI types → JSON Schema).

#include <boost/json/value.hpp>

namespace omni::formats {

boost::json::value CleanSchemaForGemini(const boost::json::value& schema);
boost::json::value NormalizeSchemaFromGemini(const boost::json::value& schema);

// True for a schema that declares no parameters at all ({}, or an object without
// properties): Gemini function declarations then omit `parameters`.
bool IsEmptyObjectSchema(const boost::json::value& schema);

}  // namespace omni::formats
