#pragma once
// The per-format codecs behind translate.h: one decoder and one encoder per format for
// requests and responses. Decoders take the parsed body and append to `warnings` what they
// could not represent; encoders build the target body. Internal to formats/ (the gateway
// uses translate.h and stream_translator.h).

#include <string>

#include "core/result.h"
#include "formats/codec_options.h"
#include "formats/ir.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

// Requests are on the hot path of every translated call: decoders read a JSON tape (spans into
// the body), encoders write text directly (json_read.h, json_writer.h).
Result<Request> DecodeOpenAIChatRequest(const JObj& body, Warnings& warnings);
Result<Request> DecodeAnthropicRequest(const JObj& body, Warnings& warnings);
Result<Request> DecodeGeminiRequest(const JObj& body, Warnings& warnings);
Result<Request> DecodeResponsesRequest(const JObj& body, Warnings& warnings);

void EncodeOpenAIChatRequest(const Request& request, JsonWriter& out, Warnings& warnings,
                             const CodecOptions& options);
void EncodeAnthropicRequest(const Request& request, JsonWriter& out, Warnings& warnings,
                            const CodecOptions& options);
void EncodeGeminiRequest(const Request& request, JsonWriter& out, Warnings& warnings,
                         const CodecOptions& options);
void EncodeResponsesRequest(const Request& request, JsonWriter& out, Warnings& warnings,
                            const CodecOptions& options);

Result<Response> DecodeOpenAIChatResponse(const JObj& body, Warnings& warnings);
Result<Response> DecodeAnthropicResponse(const JObj& body, Warnings& warnings);
Result<Response> DecodeGeminiResponse(const JObj& body, Warnings& warnings, IdGenerator& ids);
Result<Response> DecodeResponsesResponse(const JObj& body, Warnings& warnings);

void EncodeOpenAIChatResponse(const Response& response, JsonWriter& out, Warnings& warnings,
                              const CodecOptions& options);
void EncodeAnthropicResponse(const Response& response, JsonWriter& out, Warnings& warnings,
                             const CodecOptions& options);
void EncodeGeminiResponse(const Response& response, JsonWriter& out, Warnings& warnings,
                          const CodecOptions& options);
void EncodeResponsesResponse(const Response& response, JsonWriter& out, Warnings& warnings,
                             const CodecOptions& options);

// Shared between the non-stream and stream codecs of one format.
// The reasoning text of an OpenAI-compatible message or delta (reasoning_details,
// reasoning_content or reasoning: DeepSeek, Qwen, GLM, Kimi, OpenRouter, vLLM).
std::string OpenAIReasoningText(const JObj& message);

}  // namespace omni::formats
