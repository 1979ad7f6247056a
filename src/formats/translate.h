#pragma once
// The translation hub's non-stream API: decode a body of one format into the IR, encode the
// IR into another format. Pure functions over bytes: no HTTP, no providers, no I/O.
// Thread-safe (no shared state; the IdGenerator/Clock in CodecOptions belong to the caller).
//
//   Warnings w;
//   auto body = TranslateRequest(Format::kAnthropic, Format::kOpenAIChat, text, &w);
//   if (!body.ok()) return body.error();   // 400 in the client's format via EncodeErrorBody

#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/codec_options.h"
#include "formats/error_body.h"
#include "formats/ir.h"
#include "formats/json_read.h"

namespace omni::formats {

Result<Request> DecodeRequest(Format format, std::string_view body, Warnings* warnings);
// The same from a body already parsed (the gateway's sniff parses each body once).
Result<Request> DecodeRequest(Format format, const JObj& body, Warnings* warnings);
Result<std::string> EncodeRequest(Format format, const Request& request, Warnings* warnings,
                                  const CodecOptions& options = {});
Result<Response> DecodeResponse(Format format, std::string_view body, Warnings* warnings,
                                const CodecOptions& options = {});
Result<std::string> EncodeResponse(Format format, const Response& response, Warnings* warnings,
                                   const CodecOptions& options = {});

// Request bodies: client format → provider format. For a Gemini source pass the model from
// the URL in options.model; a Gemini target takes the model and streaming in its URL, so
// read them with DecodeRequest when needed.
Result<std::string> TranslateRequest(Format from, Format to, std::string_view body,
                                     Warnings* warnings, const CodecOptions& options = {});
// Non-stream response bodies: provider format → client format.
Result<std::string> TranslateResponse(Format from, Format to, std::string_view body,
                                      Warnings* warnings, const CodecOptions& options = {});

}  // namespace omni::formats
