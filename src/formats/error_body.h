#pragma once
// Error bodies in each format's own shape (see fixtures/errors.md), so an error reaches the
// client the way its SDK expects: status-specific types (Anthropic rate_limit_error, Gemini
// RESOURCE_EXHAUSTED, ...) are derived from the HTTP status.

#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/ir.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

// The non-stream error body: OpenAI/Responses {"error":{message,type,param,code}},
// Anthropic {"type":"error","error":{type,message}}, Gemini {"error":{code,message,status}}.
std::string EncodeErrorBody(Format format, const Error& error);
// The same object as EncodeErrorBody, for embedding in stream events.
void WriteErrorObject(JsonWriter& out, Format format, const Error& error);
// The OpenAI/Responses inner error object {message, type, param, code} (Responses stream
// `error` events carry it flat).
void WriteOpenAIErrorDetail(JsonWriter& out, const Error& error);
// The OpenAI `code` of an error: its own, or the one its status implies; "" means null.
std::string_view OpenAIErrorCode(const Error& error);
// The "code" and "message" members of a Responses error (stream `error` events and a failed
// response's `error`).
void WriteResponsesErrorMembers(JsonWriter& out, const Error& error);
// Reads an upstream error body of `format` (best effort: an unreadable body keeps its text
// as the message).
Error DecodeErrorBody(Format format, int http_status, std::string_view body);
// Reads an error object found inside a stream event of `format`.
Error ErrorFromJson(Format format, int http_status, const JObj& event);
// The HTTP status to answer a client of `format` with (529 exists only for Anthropic).
int ErrorStatusFor(Format format, int status);
// Decode in `from`, encode in `to`; the status to send is ErrorStatusFor(to, status).
std::string TranslateErrorBody(Format from, Format to, int http_status, std::string_view body);

}  // namespace omni::formats
